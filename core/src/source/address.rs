//! Resource addresses as Terraform writes them (`module.net.module.sg["a"].aws_security_group.web[0]`,
//! `data.aws_iam_policy_document.x`), split into the module path and the block that declares the
//! resource, with `count` and `for_each` keys stripped: every instance comes from one block.

/// Where in the configuration a resource address points.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ConfigAddress {
    /// Module call names from the root, keys stripped: `["net", "sg"]`.
    pub modules: Vec<String>,
    /// `resource` or `data`.
    pub block: &'static str,
    pub resource_type: String,
    pub name: String,
}

/// Splits an address at the dots that separate its steps, keeping `[...]` keys (which may hold
/// dots and quoted brackets) with their step.
fn steps(address: &str) -> Option<Vec<&str>> {
    let mut steps = Vec::new();
    let (mut start, mut depth, mut in_string, mut escaped) = (0, 0usize, false, false);
    for (i, c) in address.char_indices() {
        if in_string {
            match (escaped, c) {
                (true, _) => escaped = false,
                (false, '\\') => escaped = true,
                (false, '"') => in_string = false,
                _ => {}
            }
            continue;
        }
        match c {
            '"' => in_string = true,
            '[' => depth += 1,
            ']' => depth = depth.checked_sub(1)?,
            '.' if depth == 0 => {
                steps.push(&address[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    (depth == 0 && !in_string).then(|| {
        steps.push(&address[start..]);
        steps
    })
}

/// A step without its instance key: `this["a.b"]` → `this`.
fn without_key(step: &str) -> &str {
    step.split_once('[').map_or(step, |(name, _)| name)
}

impl ConfigAddress {
    /// The configuration address of a resource instance address, or `None` when it is not one.
    pub fn parse(address: &str) -> Option<ConfigAddress> {
        let steps = steps(address)?;
        let mut modules = Vec::new();
        let mut rest = &steps[..];
        while let ["module", call, tail @ ..] = rest {
            modules.push(without_key(call).to_string());
            rest = tail;
        }
        let (block, resource_type, name) = match rest {
            ["data", t, n] => ("data", *t, *n),
            [t, n] => ("resource", *t, *n),
            _ => return None,
        };
        let name = without_key(name);
        if resource_type.is_empty() || name.is_empty() || resource_type.contains('[') {
            return None;
        }
        Some(ConfigAddress { modules, block, resource_type: resource_type.to_string(), name: name.to_string() })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(address: &str) -> Option<(Vec<String>, &'static str, String, String)> {
        ConfigAddress::parse(address).map(|a| (a.modules, a.block, a.resource_type, a.name))
    }

    #[test]
    fn modules_keys_and_data_sources() {
        assert_eq!(parse("aws_s3_bucket.logs"), Some((vec![], "resource", "aws_s3_bucket".into(), "logs".into())));
        assert_eq!(
            parse(r#"module.net.module.sg["a.b]c"].aws_security_group.web[0]"#),
            Some((vec!["net".into(), "sg".into()], "resource", "aws_security_group".into(), "web".into()))
        );
        assert_eq!(
            parse(r#"module.x[2].data.aws_iam_policy_document.doc["k"]"#),
            Some((vec!["x".into()], "data", "aws_iam_policy_document".into(), "doc".into()))
        );
        assert_eq!(parse(r#"aws_s3_bucket.this["with \"quote\" and . dot"]"#).unwrap().3, "this");
        assert!(parse("aws_s3_bucket").is_none() && parse("a.b.c.d").is_none() && parse("a.b[").is_none());
    }
}

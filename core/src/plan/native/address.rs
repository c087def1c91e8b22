//! Provider configuration addresses as a binary plan stores them
//! (`module.x.provider["registry.terraform.io/hashicorp/aws"].west`). Resource addresses are
//! [`crate::address::Address`].

/// The provider's source address in a provider configuration address:
/// `module.x.provider["registry.terraform.io/hashicorp/aws"].west` gives
/// `registry.terraform.io/hashicorp/aws`. Asked once for every change: most start with `provider`,
/// and a source address never holds a quote, so no substring search is set up for either.
pub fn provider_source(config: &str) -> Option<&str> {
    const OPEN: &str = "provider[\"";
    let start = if config.starts_with(OPEN) { OPEN.len() } else { config.find(OPEN)? + OPEN.len() };
    let (source, rest) = config[start..].split_once('"')?;
    rest.starts_with(']').then_some(source)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_source_of_a_provider_configuration() {
        assert_eq!(
            provider_source(r#"module.x.provider["registry.terraform.io/hashicorp/aws"].west"#),
            Some("registry.terraform.io/hashicorp/aws")
        );
        assert_eq!(
            provider_source(r#"provider["registry.terraform.io/hashicorp/aws"]"#),
            Some("registry.terraform.io/hashicorp/aws")
        );
        assert_eq!(provider_source("aws"), None);
        assert_eq!(provider_source(r#"provider["registry.terraform.io/hashicorp/aws"#), None);
        assert_eq!(provider_source(r#"provider["a"b"]"#), None);
    }
}

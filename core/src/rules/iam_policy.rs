//! IAM policy documents as grants: what a document allows, as (action, resource) pairs, and who a
//! trust policy lets in. Documents arrive as JSON strings inside plan values; `Statement`, `Action`,
//! `Resource` and `Principal` take every shape AWS accepts.

use serde_json::Value;

use crate::glob::Glob;
use crate::plan::Attr;

/// One allowed (action, resource) pair. `NotAction`/`NotResource` grant all but a list, so they are
/// read as `*`: what they allow is wider than a reviewer can check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Grant {
    pub action: String,
    pub resource: String,
}

/// Actions that let a principal raise its own privileges.
pub const ESCALATION_ACTIONS: &[&str] = &[
    "iam:PassRole",
    "iam:CreateAccessKey",
    "iam:CreateLoginProfile",
    "iam:UpdateLoginProfile",
    "iam:PutRolePolicy",
    "iam:PutUserPolicy",
    "iam:PutGroupPolicy",
    "iam:AttachRolePolicy",
    "iam:AttachUserPolicy",
    "iam:AttachGroupPolicy",
    "iam:CreatePolicyVersion",
    "iam:SetDefaultPolicyVersion",
    "iam:UpdateAssumeRolePolicy",
    "iam:AddUserToGroup",
    "sts:AssumeRole",
];

/// Managed policies that amount to full administrator access.
pub const ADMINISTRATOR_POLICIES: &[&str] = &["AdministratorAccess", "IAMFullAccess"];

impl Grant {
    /// `*` or `service:*`.
    pub fn is_wildcard_action(&self) -> bool {
        self.action == "*" || self.action.ends_with(":*")
    }

    pub fn is_on_every_resource(&self) -> bool {
        self.resource == "*"
    }

    /// A wildcard action on every resource: the grant PG-IAM-001 reports.
    pub fn is_everything(&self) -> bool {
        self.is_wildcard_action() && self.is_on_every_resource()
    }

    /// The escalation actions this grant allows (its action may be a pattern like `iam:*`).
    pub fn escalations(&self) -> Vec<&'static str> {
        let pattern = Glob::new(self.action.to_ascii_lowercase());
        ESCALATION_ACTIONS.iter().copied().filter(|a| pattern.matches(&a.to_ascii_lowercase())).collect()
    }

    fn covers(&self, other: &Grant) -> bool {
        Glob::new(self.action.to_ascii_lowercase()).matches(&other.action.to_ascii_lowercase())
            && Glob::new(self.resource.as_str()).matches(&other.resource)
    }
}

/// A policy document read from one side of a change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Document {
    Absent,
    /// Unknown until apply, sensitive, or not a readable policy: the reason, for messages.
    Unverifiable(&'static str),
    Statements(Vec<Statement>),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Statement {
    pub allow: bool,
    pub actions: Vec<String>,
    pub resources: Vec<String>,
    /// `Principal` flattened: `*`, or `KIND:VALUE` (`AWS:*`, `Service:ec2.amazonaws.com`).
    pub principals: Vec<String>,
    pub has_condition: bool,
}

impl Document {
    /// Reads a document from an attribute holding a JSON string (or, rarely, an object).
    pub fn read(attr: Attr<'_>) -> Document {
        if attr.is_unknown() {
            return Document::Unverifiable("the policy is known only after apply");
        }
        if attr.is_sensitive() {
            return Document::Unverifiable("the policy is marked sensitive");
        }
        let parsed: Value = match attr.known() {
            None | Some(Value::Null) => return Document::Absent,
            Some(Value::String(text)) if text.trim().is_empty() => return Document::Absent,
            Some(Value::String(text)) => match serde_json::from_str(text) {
                Ok(value) => value,
                Err(_) => return Document::Unverifiable("the policy is not valid JSON"),
            },
            Some(other) => other.clone(),
        };
        match parsed.get("Statement") {
            Some(Value::Array(items)) => Document::Statements(items.iter().map(Statement::read).collect()),
            Some(item @ Value::Object(_)) => Document::Statements(vec![Statement::read(item)]),
            _ => Document::Unverifiable("the policy has no Statement"),
        }
    }

    pub fn statements(&self) -> &[Statement] {
        match self {
            Document::Statements(s) => s,
            _ => &[],
        }
    }

    /// Every (action, resource) pair the document allows.
    pub fn grants(&self) -> Vec<Grant> {
        let mut grants = Vec::new();
        for statement in self.statements().iter().filter(|s| s.allow) {
            for action in &statement.actions {
                for resource in &statement.resources {
                    grants.push(Grant { action: action.clone(), resource: resource.clone() });
                }
            }
        }
        grants
    }

    /// Whether an Allow statement admits any principal with no condition to restrict it.
    pub fn allows_anyone(&self) -> bool {
        self.statements()
            .iter()
            .any(|s| s.allow && !s.has_condition && s.principals.iter().any(|p| p == "*" || p.ends_with(":*")))
    }

    /// Principals of Allow statements.
    pub fn principals(&self) -> Vec<String> {
        self.statements().iter().filter(|s| s.allow).flat_map(|s| s.principals.iter().cloned()).collect()
    }
}

impl Statement {
    fn read(statement: &Value) -> Statement {
        let list = |key: &str| -> Vec<String> {
            match statement.get(key) {
                Some(Value::String(s)) => vec![s.clone()],
                Some(Value::Array(items)) => items.iter().filter_map(Value::as_str).map(str::to_owned).collect(),
                _ => Vec::new(),
            }
        };
        let actions = if statement.get("NotAction").is_some() { vec!["*".to_string()] } else { list("Action") };
        let resources = if statement.get("NotResource").is_some() {
            vec!["*".to_string()]
        } else {
            let resources = list("Resource");
            // Trust and resource policies often omit Resource: the statement applies to the
            // resource the policy is attached to, which is all a reader can know of.
            if resources.is_empty() {
                vec!["*".to_string()]
            } else {
                resources
            }
        };
        let principals = match statement.get("Principal").or_else(|| statement.get("NotPrincipal")) {
            Some(Value::String(s)) => vec![s.clone()],
            Some(Value::Object(kinds)) => kinds
                .iter()
                .flat_map(|(kind, value)| {
                    let values: Vec<String> = match value {
                        Value::String(s) => vec![s.clone()],
                        Value::Array(items) => items.iter().filter_map(Value::as_str).map(str::to_owned).collect(),
                        _ => Vec::new(),
                    };
                    values.into_iter().map(move |v| format!("{kind}:{v}"))
                })
                .collect(),
            _ => Vec::new(),
        };
        Statement {
            allow: statement.get("Effect").and_then(Value::as_str).is_none_or(|e| e.eq_ignore_ascii_case("allow")),
            actions,
            resources,
            principals,
            has_condition: statement.get("Condition").is_some_and(|c| c.as_object().is_some_and(|m| !m.is_empty())),
        }
    }
}

/// The grants of `after` that no grant of `before` covers.
pub fn new_grants(before: &[Grant], after: &[Grant]) -> Vec<Grant> {
    super::not_covered(before, after, Grant::covers)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn document(policy: &str) -> Document {
        let after = json!({ "policy": policy }).to_string();
        let values = crate::plan::values::tests::values("null", &after, "{}", "{}", "{}");
        Document::read(values.after().get("policy"))
    }

    #[test]
    fn statement_shapes() {
        let one = document(r#"{"Statement":{"Effect":"Allow","Action":"s3:GetObject","Resource":["a","b"]}}"#);
        assert_eq!(one.grants().len(), 2);
        let not_action = document(r#"{"Statement":[{"Effect":"Allow","NotAction":"iam:*","Resource":"*"}]}"#);
        assert!(not_action.grants()[0].is_wildcard_action());
        let deny = document(r#"{"Statement":[{"Effect":"Deny","Action":"*","Resource":"*"}]}"#);
        assert!(deny.grants().is_empty());
        assert_eq!(document("not json"), Document::Unverifiable("the policy is not valid JSON"));
        assert_eq!(document(""), Document::Absent);
    }

    #[test]
    fn principals_in_every_shape() {
        let star = document(r#"{"Statement":[{"Effect":"Allow","Principal":"*","Action":"sts:AssumeRole"}]}"#);
        let aws_star = document(
            r#"{"Statement":[{"Effect":"Allow","Principal":{"AWS":["arn:x","*"]},"Action":"sts:AssumeRole"}]}"#,
        );
        let conditioned = document(
            r#"{"Statement":[{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"sts:AssumeRole","Condition":{"StringEquals":{"aws:PrincipalOrgID":"o-1"}}}]}"#,
        );
        let service = document(
            r#"{"Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}"#,
        );
        assert!(star.allows_anyone() && aws_star.allows_anyone());
        assert!(!conditioned.allows_anyone() && !service.allows_anyone());
    }

    #[test]
    fn coverage_by_patterns() {
        let grant = |a: &str, r: &str| Grant { action: a.into(), resource: r.into() };
        let before = [grant("s3:*", "arn:aws:s3:::bucket/*")];
        assert!(new_grants(&before, &[grant("s3:GetObject", "arn:aws:s3:::bucket/key")]).is_empty());
        assert!(
            new_grants(&before, &[grant("S3:GETOBJECT", "arn:aws:s3:::bucket/key")]).is_empty(),
            "actions are case-insensitive"
        );
        assert_eq!(new_grants(&before, &[grant("s3:GetObject", "*")]).len(), 1);
        assert_eq!(
            grant("iam:*", "x").escalations().len(),
            ESCALATION_ACTIONS.iter().filter(|a| a.starts_with("iam:")).count()
        );
    }
}

//! Who a federated trust admits. A role trusting an OpenID Connect provider (GitHub Actions,
//! GitLab, HCP Terraform, a Kubernetes cluster, a Cognito identity pool, Google) can be assumed
//! with any token that provider issues, to anyone: only a condition on the token's subject says
//! whose. A SAML provider is the organisation's own identity provider, which names the role in
//! its assertion; any positive condition on a `saml:` key is taken as restricting it.

use crate::rules::model::policy_document::{Condition, Document};

/// How far a trust reaches, narrowest first.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Reach {
    /// One workload or user: a repository, a project, a workspace, a service account, a pool.
    Pinned,
    /// Every workload of one organisation, group or namespace (named).
    Organisation(String),
    /// Any workload of anyone the provider issues tokens to.
    Anyone,
}

/// One federated principal of a trust policy and how far it reaches.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Trust {
    /// The provider, as a reviewer knows it: "GitHub Actions (token.actions.githubusercontent.com)".
    pub provider: String,
    pub reach: Reach,
    /// What the subject condition says, or that there is none.
    pub because: String,
}

/// Every federated principal the document's Allow statements trust, with its reach.
pub fn trusts(document: &Document) -> Vec<Trust> {
    let mut found = Vec::new();
    for statement in document.statements().iter().filter(|s| s.allow) {
        for principal in statement.principals.iter().filter_map(|p| p.strip_prefix("Federated:")) {
            found.push(trust(principal, &statement.conditions));
        }
    }
    found
}

fn trust(principal: &str, conditions: &[Condition]) -> Trust {
    // An OIDC provider ARN ends in its issuer's host and path; a bare name is one AWS knows.
    let issuer = principal.split_once(":oidc-provider/").map_or(principal, |(_, issuer)| issuer);
    let provider = provider_name(principal, issuer);
    if principal.contains(":saml-provider/") {
        let restricted = conditions.iter().any(|c| c.key.starts_with("saml:") && positive(c));
        return Trust {
            provider,
            reach: if restricted { Reach::Pinned } else { Reach::Anyone },
            because: if restricted { "SAML conditions".into() } else { "no condition on the SAML assertion".into() },
        };
    }
    let issuer_key = issuer.to_ascii_lowercase();
    let subject_keys: &[&str] = if issuer_key == "cognito-identity.amazonaws.com" {
        &["aud"]
    } else if issuer_key.starts_with("token.actions.") {
        &["sub", "repository", "repository_id", "job_workflow_ref", "repository_owner", "repository_owner_id"]
    } else if matches!(issuer_key.as_str(), "accounts.google.com" | "graph.facebook.com" | "www.amazon.com") {
        &["sub", "aud", "app_id", "oaud"]
    } else {
        &["sub"]
    };
    let tests: Vec<&Condition> = conditions
        .iter()
        .filter(|c| positive(c))
        .filter(|c| c.key.strip_prefix(&format!("{issuer_key}:")).is_some_and(|claim| subject_keys.contains(&claim)))
        .collect();
    if tests.is_empty() {
        return Trust {
            provider,
            reach: Reach::Anyone,
            because: format!("no condition on {issuer}:{}", subject_keys[0]),
        };
    }
    // Several tests of one statement must all hold: the narrowest of them decides. Within one
    // test any value admits: the widest value decides.
    let reach = tests
        .iter()
        .map(|test| {
            let claim = test.key.rsplit(':').next().unwrap_or_default();
            let like = test.operator.to_ascii_lowercase().contains("like");
            test.values.iter().map(|value| reach_of(claim, value, like)).max().unwrap_or(Reach::Pinned)
        })
        .min()
        .unwrap_or(Reach::Anyone);
    let shown: Vec<String> = tests.iter().map(|t| format!("{} {}", t.key, t.values.join(", "))).collect();
    Trust { provider, reach, because: shown.join("; ") }
}

/// A test that admits only what matches it: not a negation, not `…IfExists`, not `Null`, and not
/// `ForAllValues:…`, which holds when the key is absent.
fn positive(condition: &Condition) -> bool {
    let whole = condition.operator.to_ascii_lowercase();
    let operator = whole.rsplit(':').next().unwrap_or(&whole);
    !(operator.contains("not")
        || operator.ends_with("ifexists")
        || operator == "null"
        || whole.starts_with("forallvalues:"))
}

/// How far one value of a subject claim reaches. Wildcards mean something only in `…Like` tests.
fn reach_of(claim: &str, value: &str, like: bool) -> Reach {
    let wild = |s: &str| like && (s.contains('*') || s.contains('?'));
    if wild(value) && value.trim_matches(|c| c == '*' || c == '?').is_empty() {
        return Reach::Anyone;
    }
    // Claims that name only the owner reach the whole organisation.
    if matches!(claim, "repository_owner" | "repository_owner_id") {
        return if wild(value) { Reach::Anyone } else { Reach::Organisation(value.to_string()) };
    }
    if !wild(value) {
        return Reach::Pinned;
    }
    // Each format names an owner, then what pins one workload of it: `repo:ORG/REPO:…`,
    // `project_path:GROUP/PROJECT:…`, `organization:ORG:project:P:workspace:W:…`,
    // `system:serviceaccount:NAMESPACE:ACCOUNT`, and `ORG/REPO…` for `repository`.
    let fields: Vec<&str> = value.split(':').collect();
    let field = |i: usize| fields.get(i).copied().unwrap_or("");
    let (owner, pin) = match field(0) {
        "repo" | "project_path" => field(1).split_once('/').unwrap_or((field(1), "")),
        "organization" => (field(1), field(5)),
        "system" if field(1) == "serviceaccount" => (field(2), field(3)),
        _ if matches!(claim, "repository" | "job_workflow_ref") => {
            let mut parts = field(0).splitn(3, '/');
            (parts.next().unwrap_or(""), parts.next().unwrap_or(""))
        }
        _ => return Reach::Organisation(literal_prefix(value)),
    };
    if owner.is_empty() || wild(owner) {
        Reach::Anyone
    } else if pin.is_empty() || wild(pin) {
        Reach::Organisation(owner.to_string())
    } else {
        Reach::Pinned
    }
}

/// What a pattern fixes before its first wildcard.
fn literal_prefix(value: &str) -> String {
    value.split(['*', '?']).next().unwrap_or_default().to_string()
}

fn provider_name(principal: &str, issuer: &str) -> String {
    let lower = issuer.to_ascii_lowercase();
    let known = if lower.starts_with("token.actions.") {
        "GitHub Actions"
    } else if lower.starts_with("gitlab.") || lower.contains("gitlab") {
        "GitLab CI"
    } else if lower == "app.terraform.io" {
        "HCP Terraform"
    } else if lower.starts_with("oidc.eks.") {
        "Kubernetes service accounts"
    } else if lower == "cognito-identity.amazonaws.com" {
        "Cognito identity pools"
    } else if lower == "accounts.google.com" {
        "Google accounts"
    } else if principal.contains(":saml-provider/") {
        return format!("the SAML provider {}", principal.rsplit('/').next().unwrap_or(principal));
    } else {
        return format!("the OIDC provider {issuer}");
    };
    format!("{known} ({issuer})")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn reach(principal: &str, condition: serde_json::Value) -> Reach {
        let mut statement = json!({"Effect": "Allow", "Action": "sts:AssumeRoleWithWebIdentity",
            "Principal": {"Federated": principal}});
        if !condition.is_null() {
            statement["Condition"] = condition;
        }
        let policy = json!({"Statement": [statement]}).to_string();
        let values = crate::plan::values::tests::values(&json!({"p": policy}).to_string(), "{}", "{}", "{}", "{}");
        let found = trusts(&Document::read(values.before().get("p")));
        assert_eq!(found.len(), 1);
        found[0].reach.clone()
    }

    const GITHUB: &str = "arn:aws:iam::111111111111:oidc-provider/token.actions.githubusercontent.com";

    #[test]
    fn github_subjects_reach_anyone_an_organisation_or_one_repository() {
        let audience = json!({"StringEquals": {"token.actions.githubusercontent.com:aud": "sts.amazonaws.com"}});
        assert_eq!(reach(GITHUB, audience), Reach::Anyone);
        let like = |sub: &str| json!({"StringLike": {"token.actions.githubusercontent.com:sub": sub}});
        assert_eq!(reach(GITHUB, like("repo:*")), Reach::Anyone);
        assert_eq!(reach(GITHUB, like("*")), Reach::Anyone);
        assert_eq!(reach(GITHUB, like("repo:*/infra:*")), Reach::Anyone);
        assert_eq!(reach(GITHUB, like("repo:acme/*")), Reach::Organisation("acme".into()));
        assert_eq!(reach(GITHUB, like("repo:acme/app:*")), Reach::Pinned);
        assert_eq!(reach(GITHUB, like("repo:acme/app:ref:refs/heads/main")), Reach::Pinned);
        // In StringEquals a `*` is a character: it matches nobody's subject.
        let equals = json!({"StringEquals": {"token.actions.githubusercontent.com:sub": "repo:*"}});
        assert_eq!(reach(GITHUB, equals), Reach::Pinned);
        let negated = json!({"StringNotLike": {"token.actions.githubusercontent.com:sub": "repo:evil/*"}});
        assert_eq!(reach(GITHUB, negated), Reach::Anyone);
        // ForAllValues holds for a token without the key at all.
        let all = json!({"ForAllValues:StringLike": {"token.actions.githubusercontent.com:sub": "repo:acme/app:*"}});
        assert_eq!(reach(GITHUB, all), Reach::Anyone);
        let owner = json!({"StringEquals": {"token.actions.githubusercontent.com:repository_owner": "acme"}});
        assert_eq!(reach(GITHUB, owner), Reach::Organisation("acme".into()));
    }

    #[test]
    fn other_providers_are_read_by_their_own_subjects() {
        let tfc = "arn:aws:iam::111111111111:oidc-provider/app.terraform.io";
        assert_eq!(reach(tfc, serde_json::Value::Null), Reach::Anyone);
        let org =
            json!({"StringLike": {"app.terraform.io:sub": "organization:acme:project:*:workspace:*:run_phase:*"}});
        assert_eq!(reach(tfc, org), Reach::Organisation("acme".into()));
        let gitlab = "arn:aws:iam::111111111111:oidc-provider/gitlab.com";
        let group = json!({"StringLike": {"gitlab.com:sub": "project_path:acme/*:ref_type:branch:ref:main"}});
        assert_eq!(reach(gitlab, group), Reach::Organisation("acme".into()));
        let eks = "arn:aws:iam::111111111111:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/ABC";
        let sa = json!({"StringEquals": {"oidc.eks.us-east-1.amazonaws.com/id/abc:sub": "system:serviceaccount:a:b"}});
        assert_eq!(reach(eks, sa), Reach::Pinned);
        assert_eq!(reach("cognito-identity.amazonaws.com", serde_json::Value::Null), Reach::Anyone);
        let pool = json!({"StringEquals": {"cognito-identity.amazonaws.com:aud": "us-east-1:pool"}});
        assert_eq!(reach("cognito-identity.amazonaws.com", pool), Reach::Pinned);
        let saml = "arn:aws:iam::111111111111:saml-provider/Okta";
        assert_eq!(reach(saml, serde_json::Value::Null), Reach::Anyone);
        let aud = json!({"StringEquals": {"SAML:aud": "https://signin.aws.amazon.com/saml"}});
        assert_eq!(reach(saml, aud), Reach::Pinned);
    }
}

//! IAM policy documents as grants: what a document allows, as (action, resource) pairs, and who a
//! trust policy lets in. Documents arrive as JSON strings inside plan values; `Statement`, `Action`,
//! `Resource` and `Principal` take every shape AWS accepts.

use serde_json::Value;

use crate::glob::Glob;
use crate::plan::Attr;

/// One allowed (or, for a Deny statement, denied) (action, resource) pair, with the conditions
/// that restrict it. `NotAction`/`NotResource` are read as what they are: `*` except the listed
/// patterns.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Grant {
    pub action: String,
    pub resource: String,
    /// The statement's conditions, sorted: a grant with fewer conditions is wider.
    pub conditions: Vec<Condition>,
    /// `NotAction`: the action is `*` except these.
    pub except_actions: Vec<String>,
    /// `NotResource`: the resource is `*` except these.
    pub except_resources: Vec<String>,
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
    /// `*` or `service:*`, or a pattern that matches as much written another way (`*:*`, `**`,
    /// `*?`, `service:*?`): every action is `service:Name`, at least three characters with a
    /// one-character name.
    pub fn is_wildcard_action(&self) -> bool {
        match self.action.split_once(':') {
            Some((_, name)) => only_wildcards(name, 1),
            None => only_wildcards(&self.action, 3),
        }
    }

    /// `*`, or an ARN pattern that names no service, region, account or resource: `arn:*`,
    /// `arn:aws:*`, `arn:*:*:*:*:*`, in any partition.
    pub fn is_on_every_resource(&self) -> bool {
        let Some(rest) = self.resource.strip_prefix("arn:") else { return only_wildcards(&self.resource, 0) };
        // A named AWS partition still covers every resource there; other text is a service.
        let rest = match rest.split_once(':') {
            Some((partition, after)) if partition == "aws" || partition.starts_with("aws-") => after,
            _ => rest,
        };
        rest.contains('*') && rest.chars().all(|c| matches!(c, '*' | ':'))
    }

    /// A wildcard action on every resource: the grant PG-IAM-001 reports.
    pub fn is_everything(&self) -> bool {
        self.is_wildcard_action() && self.is_on_every_resource()
    }

    /// The escalation actions this grant allows (its action may be a pattern like `iam:*`).
    pub fn escalations(&self) -> Vec<&'static str> {
        let pattern = Glob::new(self.action.to_ascii_lowercase());
        let excepted = |a: &str| self.except_actions.iter().any(|e| Glob::new(e.to_ascii_lowercase()).matches(a));
        ESCALATION_ACTIONS
            .iter()
            .copied()
            .filter(|a| pattern.matches(&a.to_ascii_lowercase()) && !excepted(&a.to_ascii_lowercase()))
            .collect()
    }

    /// Whether `self` admits everything `other` admits: its action and resource patterns match
    /// `other`'s, and it has no condition `other` lacks.
    fn covers(&self, other: &Grant) -> bool {
        self.covers_target(other) && self.conditions.iter().all(|c| other.conditions.contains(c))
    }

    /// The same for the action and resource alone. An exception of `self` must be excluded from
    /// `other` too: "everything but IAM" does not cover "everything".
    fn covers_target(&self, other: &Grant) -> bool {
        let lower = |s: &str| s.to_ascii_lowercase();
        Glob::new(lower(&self.action)).matches(&lower(&other.action))
            && Glob::new(self.resource.as_str()).matches(&other.resource)
            && excluded_too(&self.except_actions, &other.action, &other.except_actions, lower)
            && excluded_too(&self.except_resources, &other.resource, &other.except_resources, str::to_owned)
    }

    /// The action as a reviewer reads it: `iam:PassRole`, or `every action except iam:*`.
    pub fn action_text(&self) -> String {
        if self.except_actions.is_empty() {
            self.action.clone()
        } else {
            format!("every action except {}", crate::rules::list_names(&self.except_actions, 3))
        }
    }

    /// The resource as a reviewer reads it: `arn:…`, `*`, or `every resource except arn:…`.
    pub fn resource_text(&self) -> String {
        if self.except_resources.is_empty() {
            self.resource.clone()
        } else {
            format!("every resource except {}", crate::rules::list_names(&self.except_resources, 3))
        }
    }
}

/// Whether `pattern` is wildcards alone, at least one `*` and at most `questions` `?`: it then
/// matches every text at least `questions` characters long.
fn only_wildcards(pattern: &str, questions: usize) -> bool {
    pattern.contains('*')
        && pattern.chars().all(|c| matches!(c, '*' | '?'))
        && pattern.chars().filter(|&c| c == '?').count() <= questions
}

/// Whether each of `exceptions` is outside `other` (`other`'s pattern with its own exceptions):
/// some exception of `other` covers it, or `other`'s pattern cannot reach it.
fn excluded_too(exceptions: &[String], pattern: &str, others: &[String], norm: impl Fn(&str) -> String) -> bool {
    exceptions.iter().all(|ex| {
        let ex = norm(ex);
        let overlaps = Glob::new(norm(pattern)).matches(&ex) || Glob::new(ex.clone()).matches(&norm(pattern));
        !overlaps || others.iter().any(|o| Glob::new(norm(o)).matches(&ex))
    })
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
    /// `NotAction`: `actions` is then `*`, except these.
    pub not_actions: Vec<String>,
    /// `NotResource`: `resources` is then `*`, except these.
    pub not_resources: Vec<String>,
    /// `Principal` flattened: `*`, or `KIND:VALUE` (`AWS:*`, `Service:ec2.amazonaws.com`).
    pub principals: Vec<String>,
    /// Its conditions, sorted.
    pub conditions: Vec<Condition>,
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

    /// Every (action, resource) pair the document's Allow statements allow (`allow`), or its Deny
    /// statements deny.
    pub fn grants(&self, allow: bool) -> Vec<Grant> {
        self.grants_of(|s| s.allow == allow)
    }

    /// Whether an Allow statement admits any principal with no condition to restrict who.
    pub fn allows_anyone(&self) -> bool {
        !self.anyone_grants().is_empty()
    }

    /// What Allow statements grant any principal with no condition restricting who: the
    /// (action, resource) pairs open to the world.
    pub fn anyone_grants(&self) -> Vec<Grant> {
        self.grants_of(|s| s.allow && s.admits_anyone())
    }

    /// Every (action, resource) pair of the statements `keep` selects.
    fn grants_of(&self, keep: impl Fn(&Statement) -> bool) -> Vec<Grant> {
        let statements = self.statements().iter().filter(|s| keep(s));
        statements
            .flat_map(|s| s.actions.iter().flat_map(move |a| s.resources.iter().map(move |r| s.grant(a, r))))
            .collect()
    }

    /// The AWS accounts Allow statements name as principals (an account id, or an ARN in it), or
    /// narrow them to by a condition, sorted, once each.
    pub fn accounts(&self) -> Vec<String> {
        self.accounts_where(|_| true)
    }

    /// The same, for a trust policy: only statements with no `sts:ExternalId` or organization
    /// condition, which is what makes trusting another account safe against a confused deputy.
    pub fn trusted_accounts_unguarded(&self) -> Vec<String> {
        let guard = |c: &Condition| {
            matches!(c.key.as_str(), "sts:externalid" | "aws:principalorgid" | "aws:principalorgpaths")
                && c.restricts_principal()
        };
        self.accounts_where(|s| !s.conditions.iter().any(guard))
    }

    /// A statement's accounts are those its principals name and those its conditions narrow a
    /// principal to: `"*"` with `aws:PrincipalAccount` 999988887777 admits that account as surely
    /// as naming it, and a service acting for another account's resource (`aws:SourceAccount`,
    /// `aws:SourceArn`) admits that account's resource.
    fn accounts_where(&self, keep: impl Fn(&Statement) -> bool) -> Vec<String> {
        let mut accounts: Vec<String> = self
            .statements()
            .iter()
            .filter(|s| s.allow && keep(s))
            .flat_map(|s| {
                let named = s.principals.iter().filter_map(|p| p.strip_prefix("AWS:")).filter_map(account_of);
                let narrowed =
                    s.conditions.iter().filter(|c| ACCOUNT_KEYS.contains(&c.key.as_str()) && c.restricts_principal());
                named.chain(narrowed.flat_map(|c| c.values.iter().filter_map(|v| account_of(v))))
            })
            .collect();
        accounts.sort();
        accounts.dedup();
        accounts
    }

    /// Principals of Allow statements, each with its statement's conditions.
    pub fn principals(&self) -> Vec<(String, Vec<Condition>)> {
        self.statements()
            .iter()
            .filter(|s| s.allow)
            .flat_map(|s| s.principals.iter().map(|p| (p.clone(), s.conditions.clone())))
            .collect()
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
        let (not_actions, not_resources) = (list("NotAction"), list("NotResource"));
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
        // `NotPrincipal` in an Allow admits everyone but those named: any principal.
        let allow = statement.get("Effect").and_then(Value::as_str).is_none_or(|e| e.eq_ignore_ascii_case("allow"));
        let principals = match statement.get("Principal") {
            _ if allow && statement.get("NotPrincipal").is_some() => vec!["*".to_string()],
            None => match statement.get("NotPrincipal") {
                Some(_) => vec!["*".to_string()],
                None => Vec::new(),
            },
            Some(principal) => read_principals(principal),
        };
        Statement {
            allow,
            actions,
            resources,
            not_actions,
            not_resources,
            principals,
            conditions: statement.get("Condition").map(conditions).unwrap_or_default(),
        }
    }

    fn grant(&self, action: &str, resource: &str) -> Grant {
        Grant {
            action: action.to_string(),
            resource: resource.to_string(),
            conditions: self.conditions.clone(),
            except_actions: self.not_actions.clone(),
            except_resources: self.not_resources.clone(),
        }
    }

    /// Whether the statement names any principal (`*`, `{"AWS": "*"}`) and no condition restricts
    /// who may use it.
    pub fn admits_anyone(&self) -> bool {
        self.principals.iter().any(|p| p == "*" || p.ends_with(":*"))
            && !self.conditions.iter().any(Condition::restricts_principal)
    }
}

/// `Principal` flattened to `*` or `KIND:VALUE`.
fn read_principals(principal: &Value) -> Vec<String> {
    match principal {
        Value::String(s) => vec![s.clone()],
        Value::Object(kinds) => kinds
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
    }
}

/// Condition keys that narrow who can use a statement: the caller's account, organization, network
/// or identity, or the resource a service acts for.
const RESTRICTING_KEYS: &[&str] = &[
    "aws:sourcearn",
    "aws:sourceaccount",
    "aws:sourceowner",
    "aws:sourceorgid",
    "aws:sourceorgpaths",
    "aws:principalorgid",
    "aws:principalorgpaths",
    "aws:principalaccount",
    "aws:principalarn",
    "aws:principalservicename",
    "aws:sourcevpc",
    "aws:sourcevpce",
    "aws:sourceip",
    "aws:userid",
    "aws:username",
    "kms:calleraccount",
    "lambda:functionurlauthtype",
    "sts:externalid",
];

/// Condition keys whose values name accounts (an id, or an ARN in one): what a statement they
/// narrow admits.
const ACCOUNT_KEYS: &[&str] = &[
    "aws:principalaccount",
    "aws:principalarn",
    "aws:sourceaccount",
    "aws:sourcearn",
    "aws:sourceowner",
    "kms:calleraccount",
];

/// One test of a statement's `Condition` block: `"StringEquals": {"aws:SourceAccount": [...]}`.
/// Read once, compared as data; ordered (operator, key, values) so that a sorted list of them is
/// canonical.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Condition {
    /// As written, qualifiers included (`ForAnyValue:StringLike`): operators are case-sensitive.
    pub operator: String,
    /// Lowercased: condition keys are not case-sensitive.
    pub key: String,
    /// As written, sorted.
    pub values: Vec<String>,
}

impl Condition {
    /// A block (or part of one) that is not an object of objects: a condition nobody else has, so
    /// it is never read as "no condition" and never matches another.
    fn unreadable(what: String) -> Condition {
        Condition { operator: "unreadable".into(), key: what, values: Vec::new() }
    }

    /// Whether it narrows who may use its statement. Only a positive test does: `StringNotEquals
    /// aws:SourceAccount` admits every other account, an `…IfExists` or `ForAllValues:` test passes
    /// when the key is absent (a direct call), `Null` tests presence only, and a source IP range
    /// that is the whole internet restricts nothing.
    pub fn restricts_principal(&self) -> bool {
        let whole = self.operator.to_ascii_lowercase();
        let operator = whole.rsplit(':').next().unwrap_or(&whole);
        // `ForAllValues:` holds when the request has no such key at all (a direct call).
        if operator.contains("not")
            || operator.ends_with("ifexists")
            || operator == "null"
            || operator == "unreadable"
            || whole.starts_with("forallvalues:")
        {
            return false;
        }
        let everything = |v: &String| matches!(v.trim(), "*" | "0.0.0.0/0" | "::/0");
        // Wildcards are patterns in `…Like` tests and in both ARN tests (`ArnEquals` too).
        let patterns = operator.contains("like") || operator.starts_with("arn");
        let open = |v: &String| patterns && self.leaves_the_account_open(v);
        RESTRICTING_KEYS.contains(&self.key.as_str()) && !self.values.iter().any(|v| everything(v) || open(v))
    }

    /// Whether a pattern of an account-naming key leaves the account open: `*9` is a tenth of all
    /// accounts, `arn:aws:iam::*:role/deploy` every account's `deploy` role, `arn:aws:s3:::*`
    /// every bucket. A pattern with a fixed account (or an S3 ARN with a fixed bucket) restricts.
    fn leaves_the_account_open(&self, value: &str) -> bool {
        let wild = |s: &str| s.contains('*') || s.contains('?');
        match self.key.as_str() {
            "aws:principalaccount" | "aws:sourceaccount" | "aws:sourceowner" | "kms:calleraccount" => wild(value),
            "aws:principalarn" | "aws:sourcearn" => {
                let fields: Vec<&str> = value.splitn(6, ':').collect();
                match fields.as_slice() {
                    [_, _, _, _, account, resource] => {
                        wild(account) || (account.is_empty() && resource.trim_matches(['*', '?', '/']).is_empty())
                    }
                    _ => wild(value),
                }
            }
            _ => false,
        }
    }
}

/// `Operator key=value,value`, as messages show it.
impl std::fmt::Display for Condition {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {}={}", self.operator, self.key, self.values.join(","))
    }
}

/// The account of an AWS principal: a 12-digit id, or the account field of an ARN.
pub fn account_of(principal: &str) -> Option<String> {
    let is_account = |s: &str| s.len() == 12 && s.bytes().all(|b| b.is_ascii_digit());
    if is_account(principal) {
        return Some(principal.to_string());
    }
    let account = principal.strip_prefix("arn:")?.split(':').nth(3)?;
    is_account(account).then(|| account.to_string())
}

/// A `Condition` block, sorted and without repeats.
fn conditions(block: &Value) -> Vec<Condition> {
    let Some(operators) = block.as_object() else { return vec![Condition::unreadable(block.to_string())] };
    let mut out = Vec::new();
    for (operator, keys) in operators {
        let Some(keys) = keys.as_object() else {
            out.push(Condition::unreadable(format!("{operator} {keys}")));
            continue;
        };
        for (key, values) in keys {
            let mut values: Vec<String> = match values {
                Value::Array(items) => items.iter().map(scalar).collect(),
                other => vec![scalar(other)],
            };
            values.sort();
            out.push(Condition { operator: operator.clone(), key: key.to_ascii_lowercase(), values });
        }
    }
    out.sort();
    out.dedup();
    out
}

fn scalar(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// "s3:GetObject, s3:PutObject on arn:…; iam:PassRole on *": grants grouped by resource, each
/// action followed by what `note` says of its grant.
pub fn describe_grants(grants: &[&Grant], note: impl Fn(&Grant) -> String) -> String {
    let mut by_resource: Vec<(String, Vec<String>)> = Vec::new();
    for grant in grants {
        let action = format!("{}{}", grant.action_text(), note(grant));
        let resource = grant.resource_text();
        match by_resource.iter_mut().find(|(r, _)| *r == resource) {
            Some((_, actions)) => actions.push(action),
            None => by_resource.push((resource, vec![action])),
        }
    }
    let parts: Vec<String> =
        by_resource.iter().map(|(r, actions)| format!("{} on {r}", crate::rules::list_names(actions, 5))).collect();
    crate::rules::list_names(&parts, 3)
}

/// What the documents of `after` allow that those of `before` did not, with Deny statements
/// subtracted on both sides.
#[derive(Debug, Default)]
pub struct Widening {
    /// Allowed now and not before: new or wider Allow statements, Allow statements that lost a
    /// condition, and what a removed or narrowed Deny statement no longer blocks.
    pub grants: Vec<Grant>,
    /// Those of `grants` that are new because a Deny no longer blocks them.
    pub unblocked: Vec<Grant>,
    /// Denials removed or narrowed where no Allow of these documents is in sight: what other
    /// policies allow there is no longer blocked.
    pub lifted: Vec<Grant>,
}

pub fn widening(before: &[Document], after: &[Document]) -> Widening {
    let denies = |docs: &[Document]| -> Vec<Grant> { docs.iter().flat_map(|d| d.grants(false)).collect() };
    let (before_denies, after_denies) = (denies(before), denies(after));
    // Allows minus denies: an allow a deny covers grants nothing.
    let effective = |docs: &[Document], denies: &[Grant]| -> Vec<Grant> {
        docs.iter().flat_map(|d| d.grants(true)).filter(|g| !denies.iter().any(|d| d.covers(g))).collect()
    };
    let (old, new) = (effective(before, &before_denies), effective(after, &after_denies));
    let mut widening = Widening { grants: new_grants(&old, &new), ..Widening::default() };
    // A deny no longer there (no deny of `after` covers it) lets through what an allow still grants.
    for lifted in before_denies.iter().filter(|d| !after_denies.iter().any(|now| now.covers(d))) {
        let unblocked: Vec<Grant> = new
            .iter()
            .filter_map(|allow| {
                if allow.covers_target(lifted) {
                    Some(Grant { conditions: allow.conditions.clone(), ..lifted.clone() })
                } else if lifted.covers_target(allow) {
                    Some(allow.clone())
                } else {
                    None
                }
            })
            .collect();
        if unblocked.is_empty() {
            if !widening.lifted.contains(lifted) {
                widening.lifted.push(lifted.clone());
            }
        } else {
            for grant in unblocked {
                if !widening.grants.contains(&grant) {
                    widening.grants.push(grant.clone());
                    widening.unblocked.push(grant);
                }
            }
        }
    }
    widening
}

/// The conditions `before` had on the same action and resource that `grant` no longer has, for
/// messages ("without the condition on aws:multifactorauthpresent").
pub fn dropped_conditions(before: &[Document], grant: &Grant) -> Vec<String> {
    let mut dropped: Vec<String> = before
        .iter()
        .flat_map(|d| d.grants(true))
        .filter(|old| old.covers_target(grant))
        .flat_map(|old| old.conditions.into_iter().filter(|c| !grant.conditions.contains(c)))
        .map(|c| c.key)
        .collect();
    dropped.sort();
    dropped.dedup();
    dropped
}

/// The condition keys on which the denials of `grant`'s action and resource differ between
/// `before` and `after`, when some denial is still there: a denial kept under another condition
/// (a region added to a region lock) rather than removed, for messages. Empty when none is left.
pub fn changed_denial_conditions(before: &[Document], after: &[Document], grant: &Grant) -> Vec<String> {
    let denials = |docs: &[Document]| -> Vec<Grant> {
        docs.iter().flat_map(|d| d.grants(false)).filter(|deny| deny.covers_target(grant)).collect()
    };
    let (old, new) = (denials(before), denials(after));
    if new.is_empty() {
        return Vec::new();
    }
    let conditions =
        |denials: &[Grant]| -> Vec<Condition> { denials.iter().flat_map(|d| d.conditions.clone()).collect() };
    let (old_conditions, new_conditions) = (conditions(&old), conditions(&new));
    let mut keys: Vec<String> = old_conditions
        .iter()
        .filter(|c| !new_conditions.contains(c))
        .chain(new_conditions.iter().filter(|c| !old_conditions.contains(c)))
        .map(|c| c.key.clone())
        .collect();
    keys.sort();
    keys.dedup();
    keys
}

/// The grants of `after` that no grant of `before` covers.
pub fn new_grants(before: &[Grant], after: &[Grant]) -> Vec<Grant> {
    crate::rules::not_covered(before, after, Grant::covers)
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
        assert_eq!(one.grants(true).len(), 2);
        let not_action = document(r#"{"Statement":[{"Effect":"Allow","NotAction":"iam:*","Resource":"*"}]}"#);
        assert!(not_action.grants(true)[0].is_wildcard_action());
        let deny = document(r#"{"Statement":[{"Effect":"Deny","Action":"*","Resource":"*"}]}"#);
        assert!(deny.grants(true).is_empty() && deny.grants(false).len() == 1);
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
    fn only_conditions_on_who_restrict_a_statement_for_anyone() {
        let anyone = |condition: &str| {
            document(&format!(
                r#"{{"Statement":[{{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Condition":{condition}}}]}}"#
            ))
            .allows_anyone()
        };
        assert!(!anyone(r#"{"StringEquals":{"aws:SourceAccount":"123456789012"}}"#));
        assert!(!anyone(r#"{"ForAnyValue:StringLike":{"aws:PrincipalOrgPaths":"o-1/*"}}"#));
        assert!(!anyone(r#"{"IpAddress":{"aws:SourceIp":"203.0.113.0/24"}}"#));
        // Conditions that say nothing about who, negations, IfExists, Null, ForAllValues (true
        // without the key) and the whole internet.
        assert!(anyone(r#"{"Bool":{"aws:SecureTransport":"true"}}"#));
        assert!(anyone(r#"{"StringNotEquals":{"aws:SourceAccount":"123456789012"}}"#));
        assert!(anyone(r#"{"StringEqualsIfExists":{"aws:SourceArn":"arn:aws:s3:::b"}}"#));
        assert!(anyone(r#"{"Null":{"aws:SourceArn":"false"}}"#));
        assert!(anyone(r#"{"ForAllValues:StringEquals":{"aws:PrincipalOrgPaths":"o-1/r-1/ou-1/"}}"#));
        assert!(anyone(r#"{"IpAddress":{"aws:SourceIp":["10.0.0.0/8","0.0.0.0/0"]}}"#));
        // Patterns that leave the account open: every account's role of a name, a tenth of all
        // accounts, every bucket. In `StringEquals` a `*` is a character.
        assert!(anyone(r#"{"ArnLike":{"aws:PrincipalArn":"arn:aws:iam::*:role/deploy"}}"#));
        assert!(anyone(r#"{"ArnEquals":{"aws:PrincipalArn":"arn:aws:iam::12345678901?:root"}}"#));
        assert!(anyone(r#"{"StringLike":{"aws:PrincipalAccount":"*9"}}"#));
        assert!(anyone(r#"{"ArnLike":{"aws:SourceArn":"arn:aws:s3:::*"}}"#));
        assert!(!anyone(r#"{"StringEquals":{"aws:PrincipalAccount":"*9"}}"#));
        assert!(!anyone(r#"{"ArnLike":{"aws:PrincipalArn":"arn:aws:iam::123456789012:role/*"}}"#));
        assert!(!anyone(r#"{"ArnLike":{"aws:SourceArn":"arn:aws:s3:::my-logs"}}"#));
        // NotPrincipal in an Allow admits everyone but those named.
        let not_principal = document(
            r#"{"Statement":[{"Effect":"Allow","NotPrincipal":{"AWS":"arn:aws:iam::123456789012:root"},"Action":"sns:Publish"}]}"#,
        );
        assert!(not_principal.allows_anyone());
        let accounts = document(
            r#"{"Statement":[{"Effect":"Allow","Principal":{"AWS":["999999999999","arn:aws:iam::888888888888:role/r"]},"Action":"*"},{"Effect":"Deny","Principal":{"AWS":"777777777777"},"Action":"*"}]}"#,
        );
        assert_eq!(accounts.accounts(), ["888888888888", "999999999999"], "Deny statements admit nobody");
    }

    #[test]
    fn wildcards_written_another_way_are_still_everything() {
        let grant = |action: &str, resource: &str| Grant {
            action: action.into(),
            resource: resource.into(),
            conditions: Vec::new(),
            except_actions: Vec::new(),
            except_resources: Vec::new(),
        };
        for (action, resource) in [
            ("*", "*"),
            ("*:*", "arn:*"),
            ("**", "arn:aws:*"),
            ("*?", "arn:*:*:*:*:*"),
            ("ec2:*?", "arn:aws-us-gov:*:*:*:*"),
            ("s3:*", "arn:aws-cn:*"),
        ] {
            assert!(grant(action, resource).is_everything(), "{action} on {resource}");
        }
        for (action, resource) in [
            ("s3:Get*", "*"),
            ("????", "*"),
            ("*", "arn:aws:s3:::*"),
            ("*", "arn:aws:*:*:123456789012:*"),
            ("*", "arn:aws:*:us-east-1:*"),
            ("*", "arn:other:*"),
        ] {
            assert!(!grant(action, resource).is_everything(), "{action} on {resource}");
        }
    }

    #[test]
    fn not_action_and_not_resource_are_everything_except() {
        let with = |statement: &str| document(&format!(r#"{{"Statement":[{statement}]}}"#));
        let all_but_iam = with(r#"{"Effect":"Allow","NotAction":"iam:*","Resource":"*"}"#);
        let grant = &all_but_iam.grants(true)[0];
        assert!(grant.is_everything());
        assert_eq!(grant.action_text(), "every action except iam:*");
        assert!(grant.escalations().iter().all(|a| !a.starts_with("iam:")), "{:?}", grant.escalations());
        // Dropping the exception widens; adding one narrows.
        let everything = with(r#"{"Effect":"Allow","Action":"*","Resource":"*"}"#);
        assert_eq!(widening(std::slice::from_ref(&all_but_iam), std::slice::from_ref(&everything)).grants.len(), 1);
        assert!(widening(&[everything], &[all_but_iam]).grants.is_empty());
        let all_but_one = with(r#"{"Effect":"Allow","Action":"s3:*","NotResource":"arn:aws:s3:::vault/*"}"#);
        assert_eq!(all_but_one.grants(true)[0].resource_text(), "every resource except arn:aws:s3:::vault/*");
        // A Deny with NotAction leaves the listed actions allowed, and never widens anything.
        let allow_get = r#"{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}"#;
        let deny_but_get = r#"{"Effect":"Deny","NotAction":"s3:GetObject","Resource":"*"}"#;
        let both = with(&format!("{allow_get},{deny_but_get}"));
        assert_eq!(widening(&[], std::slice::from_ref(&both)).grants.len(), 1, "s3:GetObject stays allowed");
        assert!(widening(&[with(allow_get)], &[both]).grants.is_empty(), "adding a Deny widens nothing");
    }

    #[test]
    fn coverage_by_patterns() {
        let grant = |a: &str, r: &str| Grant { action: a.into(), resource: r.into(), ..Grant::default() };
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

    #[test]
    fn allows_minus_denies_with_conditions_as_part_of_the_grant() {
        let widened = |before: &str, after: &str| {
            let w = widening(&[document(before)], &[document(after)]);
            (w.grants.iter().map(|g| format!("{} {}", g.action, g.resource)).collect::<Vec<_>>(), w.lifted.len())
        };
        let allow_all_s3 = r#"{"Effect":"Allow","Action":"s3:*","Resource":"*"}"#;
        let deny_delete = r#"{"Effect":"Deny","Action":"s3:DeleteBucket","Resource":"*"}"#;
        let with = |statements: &[&str]| format!(r#"{{"Statement":[{}]}}"#, statements.join(","));
        // A Deny removed: what it blocked is allowed now.
        assert_eq!(
            widened(&with(&[allow_all_s3, deny_delete]), &with(&[allow_all_s3])),
            (vec!["s3:DeleteBucket *".into()], 0)
        );
        // A Deny added, or kept: nothing is wider.
        assert_eq!(widened(&with(&[allow_all_s3]), &with(&[allow_all_s3, deny_delete])), (vec![], 0));
        assert_eq!(widened(&with(&[allow_all_s3, deny_delete]), &with(&[allow_all_s3, deny_delete])), (vec![], 0));
        // A Deny-only document emptied: nothing here allows, so the lifted denial is reported as such.
        assert_eq!(widened(&with(&[deny_delete]), r#"{"Statement":[]}"#), (vec![], 1));
        // A Deny given a condition denies less.
        let deny_unless_mfa = r#"{"Effect":"Deny","Action":"s3:DeleteBucket","Resource":"*","Condition":{"Bool":{"aws:MultiFactorAuthPresent":"false"}}}"#;
        assert_eq!(widened(&with(&[allow_all_s3, deny_delete]), &with(&[allow_all_s3, deny_unless_mfa])).0.len(), 1);
        // An Allow that loses its condition is wider; one that gains a condition is not.
        let mfa = r#"{"Effect":"Allow","Action":"iam:PassRole","Resource":"*","Condition":{"Bool":{"aws:MultiFactorAuthPresent":["true"]}}}"#;
        let bare = r#"{"Effect":"Allow","Action":"iam:PassRole","Resource":"*"}"#;
        assert_eq!(widened(&with(&[mfa]), &with(&[bare])), (vec!["iam:PassRole *".into()], 0));
        assert_eq!(widened(&with(&[bare]), &with(&[mfa])), (vec![], 0));
        // Conditions compare by meaning: key case and value order do not matter.
        let mfa_again = r#"{"Effect":"Allow","Action":"iam:PassRole","Resource":"*","Condition":{"Bool":{"AWS:MultiFactorAuthPresent":"true"}}}"#;
        assert_eq!(widened(&with(&[mfa]), &with(&[mfa_again])), (vec![], 0));
        let dropped = dropped_conditions(
            &[document(&with(&[mfa]))],
            &widening(&[document(&with(&[mfa]))], &[document(&with(&[bare]))]).grants[0],
        );
        assert_eq!(dropped, ["aws:multifactorauthpresent"]);
    }
}

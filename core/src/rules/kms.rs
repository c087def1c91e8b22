//! KMS Key Changes: who a key policy lets in, and the protections of a key (rotation, deletion
//! window, enabled). Deleting a key is judged with the deletions.

use super::iam_policy::Document;
use super::transition::Transition;
use super::{Context, Family, Hit, Rule};
use crate::plan::{Action, Change};
use crate::report::{Category, Severity};

const POLICY_TYPES: &[&str] = &["aws_kms_key", "aws_kms_key_policy", "aws_kms_replica_key"];

pub static POLICY_ANYONE: Rule = Rule {
    id: "PG-KMS-001",
    title: "Key policy grants access to any principal",
    category: Category::Kms,
    severity: Severity::Critical,
    doc: "**Why it matters.** A key policy that allows `\"*\"` lets any AWS account use or manage the \
key, and so decrypt everything it protects.\n\n\
**What triggers it.** The `policy` of `aws_kms_key`, `aws_kms_replica_key` or \
`aws_kms_key_policy` newly has an Allow statement for `Principal: \"*\"` or `{\"AWS\": \"*\"}` with \
no `Condition` restricting it.\n\n\
**Example.** `Principal = { AWS = \"arn:aws:iam::123456789012:root\" }` changed to `{ AWS = \"*\" }` \
with `kms:*` reports `aws_kms_key.data: the key policy now grants access to any principal`.",
};

pub static PROTECTION_WEAKENED: Rule = Rule {
    id: "PG-KMS-002",
    title: "Key protections weakened",
    category: Category::Kms,
    severity: Severity::High,
    doc: "**Why it matters.** Turning rotation off keeps one key material in use indefinitely; a \
shorter deletion window leaves less time to cancel an accidental deletion; a disabled key stops \
every decryption that depends on it.\n\n\
**What triggers it.** `enable_key_rotation` turned off, `deletion_window_in_days` reduced, or \
`is_enabled` turned off.\n\n\
**Example.** `deletion_window_in_days = 30` changed to `7` reports `aws_kms_key.data: deletion \
window shortened from 30 to 7 days`.",
};

pub static POLICY_CHANGED: Rule = Rule {
    id: "PG-KMS-003",
    title: "Key policy changed",
    category: Category::Kms,
    severity: Severity::High,
    doc: "**Why it matters.** The key policy is the first word on who may use a key; any change to \
it deserves review, and one that cannot be read before apply cannot be trusted.\n\n\
**What triggers it.** Any other change to the `policy` of a key (one that does not open it to any \
principal), or a policy known only after apply.\n\n\
**Example.** Adding a statement for a new account reports `aws_kms_key.data: the key policy \
changes`.",
};

fn policies(change: &Change) -> Option<(Document, Document)> {
    if !POLICY_TYPES.contains(&change.resource_type.as_ref())
        || matches!(change.action, Action::Delete | Action::Forget)
        || !change.attribute_changed("policy")
    {
        return None;
    }
    let values = change.values();
    Some((Document::read(values.before().get("policy")), Document::read(values.after().get("policy"))))
}

pub static FAMILY: Family =
    Family { rules: &[&POLICY_ANYONE, &PROTECTION_WEAKENED, &POLICY_CHANGED], check, fallback: false };

fn check(change: &Change, _: &Context) -> Vec<Hit> {
    let mut hits = protection_weakened(change);
    if let Some(policies) = policies(change) {
        hits.extend(policy_anyone(change, &policies));
        hits.extend(policy_changed(change, &policies));
    }
    hits
}

fn policy_anyone(change: &Change, policies: &(Document, Document)) -> Vec<Hit> {
    match policies {
        (before, after) if after.allows_anyone() && !before.allows_anyone() => vec![Hit::new(
            &POLICY_ANYONE,
            format!("{}: the key policy now grants access to any principal", change.display_name()),
        )],
        _ => Vec::new(),
    }
}

fn policy_changed(change: &Change, (before, after): &(Document, Document)) -> Vec<Hit> {
    match after {
        Document::Unverifiable(why) => vec![Hit::new(
            &POLICY_CHANGED,
            format!("{}: the key policy cannot be verified before apply: {why}", change.display_name()),
        )],
        _ if change.action == Action::Create
            || before == after
            || (after.allows_anyone() && !before.allows_anyone()) =>
        {
            Vec::new()
        }
        _ => vec![Hit::new(&POLICY_CHANGED, format!("{}: the key policy changes", change.display_name()))],
    }
}

fn protection_weakened(change: &Change) -> Vec<Hit> {
    if !POLICY_TYPES.contains(&change.resource_type.as_ref()) {
        return Vec::new();
    }
    let name = change.display_name();
    let mut hits = Vec::new();
    if Transition::of(change, "enable_key_rotation").is_some_and(|t| t.turned_off()) {
        hits.push(Hit::new(&PROTECTION_WEAKENED, format!("{name}: automatic key rotation turned off")));
    }
    if let Some((from, to)) = Transition::of(change, "deletion_window_in_days").and_then(|t| t.reduced()) {
        hits.push(Hit::new(
            &PROTECTION_WEAKENED,
            format!("{name}: deletion window shortened from {from} to {to} days"),
        ));
    }
    if Transition::of(change, "is_enabled").is_some_and(|t| t.turned_off()) {
        hits.push(Hit::new(
            &PROTECTION_WEAKENED,
            format!("{name}: the key is disabled; everything it encrypts becomes unreadable"),
        ));
    }
    hits
}

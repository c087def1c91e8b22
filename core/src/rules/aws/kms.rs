//! KMS Key Changes: who a key policy lets in, and the protections of a key (rotation, deletion
//! window, enabled). Deleting a key is judged with the deletions.

use crate::plan::{Action, Change};
use crate::registry::{Category, POLICY_ANYONE, POLICY_CHANGED, PROTECTION_WEAKENED};
use crate::rules::model::policy_document::Document;
use crate::rules::model::transition::Transition;
use crate::rules::{nothing_else, Context, Family, Hit};

const POLICY_TYPES: &[&str] = &[
    "aws_kms_key",
    "aws_kms_key_policy",
    "aws_kms_replica_key",
    "aws_kms_external_key",
    "aws_kms_replica_external_key",
];

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

pub static FAMILY: Family = Family {
    rules: &[&POLICY_ANYONE, &PROTECTION_WEAKENED, &POLICY_CHANGED],
    types: POLICY_TYPES,
    category: Category::Kms,
    check,
    fallback: false,
    also_reads: nothing_else,
};

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

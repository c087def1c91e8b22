//! Storage exposure: S3 public access blocks and ACLs that open data to everyone. Bucket policies
//! are read with the other resource policies.

use crate::plan::{Action, Change};
use crate::registry::{Category, PUBLIC_ACCESS_BLOCK_WEAKENED, PUBLIC_ACL};
use crate::rules::model::transition::Transition;
use crate::rules::{nothing_else, Context, Family, Hit};

const PUBLIC_ACCESS_BLOCKS: &[&str] = &["aws_s3_bucket_public_access_block", "aws_s3_account_public_access_block"];
const BLOCK_FLAGS: &[&str] =
    &["block_public_acls", "block_public_policy", "ignore_public_acls", "restrict_public_buckets"];
const PUBLIC_ACLS: &[&str] = &["public-read", "public-read-write", "authenticated-read"];

pub static FAMILY: Family = Family {
    rules: &[&PUBLIC_ACCESS_BLOCK_WEAKENED, &PUBLIC_ACL],
    types: &[
        "aws_s3_bucket_public_access_block",
        "aws_s3_account_public_access_block",
        "aws_s3_bucket",
        "aws_s3_bucket_acl",
    ],
    category: Category::Other,
    check,
    fallback: false,
    also_reads: nothing_else,
};

fn check(change: &Change, ctx: &Context) -> Vec<Hit> {
    [public_access_block_weakened(change, ctx), public_acl(change, ctx)].into_iter().flatten().collect()
}

fn public_access_block_weakened(change: &Change, _: &Context) -> Vec<Hit> {
    if !PUBLIC_ACCESS_BLOCKS.contains(&change.resource_type.as_ref()) {
        return Vec::new();
    }
    let name = change.display_name();
    if change.action == Action::Delete {
        return vec![Hit::new(
            &PUBLIC_ACCESS_BLOCK_WEAKENED,
            format!("{name} is deleted: nothing stops a policy or ACL from making data public"),
        )];
    }
    let after = change.values().after();
    let off: Vec<String> = BLOCK_FLAGS
        .iter()
        .filter(|flag| match Transition::of(change, flag) {
            Some(t) => t.turned_off(),
            None => change.action == Action::Create && after.get(flag).as_bool() == Some(false),
        })
        .map(|flag| flag.to_string())
        .collect();
    let unknown: Vec<String> =
        BLOCK_FLAGS.iter().filter(|flag| after.get(flag).is_unknown()).map(|flag| flag.to_string()).collect();
    let mut hits = Vec::new();
    if !off.is_empty() {
        hits.push(Hit::new(
            &PUBLIC_ACCESS_BLOCK_WEAKENED,
            format!("{name}: {} turned off", crate::rules::list_names(&off, 4)),
        ));
    }
    if !unknown.is_empty() {
        hits.push(Hit::new(
            &PUBLIC_ACCESS_BLOCK_WEAKENED,
            format!("{name}: {} cannot be verified before apply", crate::rules::list_names(&unknown, 4)),
        ));
    }
    hits
}

/// Whether an attribute this family reads is known only after apply in a way that matters: on the
/// legacy `aws_s3_bucket` the `acl` is computed when the configuration does not set it, so there
/// only an attribute that had a value before counts.
fn unverifiable(change: &Change, name: &str) -> bool {
    let values = change.values();
    let after = values.after().get(name);
    let legacy = change.resource_type == "aws_s3_bucket";
    let before = values.before().get(name);
    let had_value = before.is_present() && before.as_str() != Some("");
    after.is_unknown() && (!legacy || !after.is_wholly_unknown() || had_value)
}

fn public_acl(change: &Change, _: &Context) -> Vec<Hit> {
    if !matches!(change.resource_type.as_ref(), "aws_s3_bucket_acl" | "aws_s3_bucket")
        || matches!(change.action, Action::Delete | Action::Forget)
        || !change.attribute_changed("acl")
    {
        return Vec::new();
    }
    if unverifiable(change, "acl") {
        let message =
            format!("{}: whether the ACL opens the bucket cannot be verified before apply", change.display_name());
        return vec![Hit::new(&PUBLIC_ACL, message)];
    }
    let values = change.values();
    let (before, after) = (values.before().get("acl").as_str(), values.after().get("acl").as_str());
    match after {
        Some(acl) if PUBLIC_ACLS.contains(&acl) && before != Some(acl) => {
            vec![Hit::new(&PUBLIC_ACL, format!("{}: ACL {acl} opens the bucket to everyone", change.display_name()))]
        }
        _ => Vec::new(),
    }
}

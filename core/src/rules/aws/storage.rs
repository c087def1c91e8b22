//! Storage exposure: S3 public access blocks and ACLs (canned or written out as grants, on buckets
//! and on objects) that open data to everyone. Bucket policies are read with the other resource
//! policies.

use crate::plan::{Action, Attr, Change};
use crate::registry::{Category, PUBLIC_ACCESS_BLOCK_WEAKENED, PUBLIC_ACL};
use crate::rules::model::transition::Transition;
use crate::rules::{Context, Family, Hit};

const PUBLIC_ACCESS_BLOCKS: &[&str] = &["aws_s3_bucket_public_access_block", "aws_s3_account_public_access_block"];
const BLOCK_FLAGS: &[&str] =
    &["block_public_acls", "block_public_policy", "ignore_public_acls", "restrict_public_buckets"];
const PUBLIC_ACLS: &[&str] = &["public-read", "public-read-write", "authenticated-read"];
/// The grantee groups that are everyone (`AllUsers`) or every AWS account (`AuthenticatedUsers`).
const PUBLIC_GROUPS: &[&str] = &["AllUsers", "AuthenticatedUsers"];
/// Objects with an ACL of their own: a public one opens the object whatever the bucket's ACL says.
/// Their `acl` is computed when the configuration does not set it, as the legacy bucket's is.
const OBJECTS: &[&str] = &["aws_s3_object", "aws_s3_bucket_object", "aws_s3_object_copy"];

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
    also_reads: |t| OBJECTS.contains(&t),
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
    let legacy = change.resource_type == "aws_s3_bucket" || OBJECTS.contains(&change.resource_type.as_ref());
    let before = values.before().get(name);
    let had_value = before.is_present() && before.as_str() != Some("");
    after.is_unknown() && (!legacy || !after.is_wholly_unknown() || had_value)
}

fn public_acl(change: &Change, _: &Context) -> Vec<Hit> {
    let t = change.resource_type.as_ref();
    let what = if OBJECTS.contains(&t) { "object" } else { "bucket" };
    if !(matches!(t, "aws_s3_bucket_acl" | "aws_s3_bucket") || what == "object")
        || matches!(change.action, Action::Delete | Action::Forget)
    {
        return Vec::new();
    }
    let name = change.display_name();
    let mut hits = public_grants(change, &name, what);
    if !change.attribute_changed("acl") {
        return hits;
    }
    if unverifiable(change, "acl") {
        let message = format!("{name}: whether the ACL opens the {what} cannot be verified before apply");
        hits.push(Hit::new(&PUBLIC_ACL, message));
        return hits;
    }
    let values = change.values();
    let (before, after) = (values.before().get("acl").as_str(), values.after().get("acl").as_str());
    if let Some(acl) = after.filter(|acl| PUBLIC_ACLS.contains(acl) && before != Some(acl)) {
        hits.push(Hit::new(&PUBLIC_ACL, format!("{name}: ACL {acl} opens the {what} to everyone")));
    }
    hits
}

/// Grants to the `AllUsers` or `AuthenticatedUsers` group, written out instead of a canned ACL:
/// `access_control_policy` of `aws_s3_bucket_acl`, `grant` of the legacy bucket and of an object
/// copy. Each (group, permission) the old side did not grant is reported; a grantee whose group
/// is known only after apply cannot be verified.
fn public_grants(change: &Change, name: &str, what: &str) -> Vec<Hit> {
    if !change.attribute_changed("access_control_policy") && !change.attribute_changed("grant") {
        return Vec::new();
    }
    let values = change.values();
    let (before, after) = (grants(values.before()), grants(values.after()));
    let mut hits = Vec::new();
    let new: Vec<String> = after
        .iter()
        .filter_map(|grant| grant.as_ref())
        .filter(|grant| !before.contains(&Some((*grant).clone())))
        .map(|(group, permission)| format!("{permission} to {group}"))
        .collect();
    if !new.is_empty() {
        let everyone = crate::rules::list_names(&new, 3);
        hits.push(Hit::new(&PUBLIC_ACL, format!("{name}: the ACL grants {everyone}: it opens the {what} to everyone")));
    }
    if after.contains(&None) {
        hits.push(Hit::new(
            &PUBLIC_ACL,
            format!("{name}: whether the ACL's grants open the {what} cannot be verified before apply"),
        ));
    }
    hits
}

/// The public (group, permission) pairs a side grants; `None` for a grantee whose group is unknown.
fn grants(side: Attr<'_>) -> Vec<Option<(String, String)>> {
    let group = |uri: Attr<'_>| {
        if uri.is_unknown() {
            return Some(None);
        }
        let name = uri.as_str()?.rsplit('/').next()?;
        PUBLIC_GROUPS.iter().find(|g| g.eq_ignore_ascii_case(name)).map(|g| Some(g.to_string()))
    };
    // `access_control_policy[].grant[]` with one permission and a `grantee` block each.
    let policy = side.get("access_control_policy").elements().flat_map(|p| p.get("grant").elements());
    let written = policy.flat_map(|grant| {
        let permission = grant.get("permission").as_str().unwrap_or("access").to_string();
        grant.get("grantee").elements().filter_map(move |g| Some(group(g.get("uri"))?.map(|g| (g, permission.clone()))))
    });
    // `grant[]` of the legacy bucket and of an object copy, with a set of permissions.
    let listed = side.get("grant").elements().flat_map(|grant| {
        let found = group(grant.get("uri"));
        let permissions: Vec<String> =
            grant.get("permissions").elements().filter_map(Attr::as_str).map(str::to_owned).collect();
        let permissions = if permissions.is_empty() { vec!["access".to_string()] } else { permissions };
        permissions.into_iter().filter_map(move |p| Some(found.clone()?.map(|g| (g, p))))
    });
    written.chain(listed).collect()
}

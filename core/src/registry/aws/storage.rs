//! The rules of the `storage` family: ids, titles, severities and the documentation `plangate
//! explain` prints. The family in `rules::aws::storage` reports them.

use crate::registry::{Category, Rule, Severity};

pub static PUBLIC_ACCESS_BLOCK_WEAKENED: Rule = Rule {
    id: "PG-S3-001",
    title: "S3 public access block removed or weakened",
    category: Category::Other,
    severity: Severity::High,
    doc: "**Why it matters.** The public access block is what stops a bucket policy or ACL from making \
data public by mistake; without it, one wrong statement exposes the bucket.\n\n\
**What triggers it.** Deleting an `aws_s3_bucket_public_access_block` or \
`aws_s3_account_public_access_block`, or turning any of `block_public_acls`, \
`block_public_policy`, `ignore_public_acls`, `restrict_public_buckets` off.\n\n\
**Example.** `block_public_policy = true` changed to `false` reports \
`aws_s3_bucket_public_access_block.data: block_public_policy turned off`.",
    plan_wide: false,
};

pub static PUBLIC_ACL: Rule = Rule {
    id: "PG-S3-003",
    title: "Public bucket ACL",
    category: Category::Other,
    severity: Severity::High,
    doc: "**Why it matters.** The canned ACLs `public-read`, `public-read-write` and \
`authenticated-read` open a bucket to everyone (or every AWS account), as do grants to the \
`AllUsers` or `AuthenticatedUsers` group written out instead; on an object, they open that object \
whatever the bucket's ACL says.\n\n\
**What triggers it.** `acl` of `aws_s3_bucket_acl`, `aws_s3_bucket`, `aws_s3_object`, \
`aws_s3_bucket_object` or `aws_s3_object_copy` set to one of them; a new grant to one of those \
groups in `access_control_policy` of `aws_s3_bucket_acl` or `grant` of `aws_s3_bucket` or \
`aws_s3_object_copy` (or one whose group is known only after apply).\n\n\
**Example.** `acl = \"public-read\"` reports `aws_s3_bucket_acl.site: ACL public-read opens the \
bucket to everyone`.",
    plan_wide: false,
};

/// The rules declared here, in the order `plangate rules` lists them.
pub(super) static DECLARED: &[&Rule] = &[&PUBLIC_ACCESS_BLOCK_WEAKENED, &PUBLIC_ACL];

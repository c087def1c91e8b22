//! The rules of the `kms` family: ids, titles, severities and the documentation `plangate
//! explain` prints. The family in `rules::aws::kms` reports them.

use crate::registry::{Category, Rule, Severity};

pub static POLICY_ANYONE: Rule = Rule {
    id: "PG-KMS-001",
    title: "Key policy grants access to any principal",
    category: Category::Kms,
    severity: Severity::Critical,
    doc: "**Why it matters.** A key policy that allows `\"*\"` lets any AWS account use or manage the \
key, and so decrypt everything it protects.\n\n\
**What triggers it.** The `policy` of `aws_kms_key`, `aws_kms_replica_key`, `aws_kms_key_policy` or \
the keys of imported material (`aws_kms_external_key`, `aws_kms_replica_external_key`) newly has an Allow statement for `Principal: \"*\"` or `{\"AWS\": \"*\"}` with \
no `Condition` restricting it.\n\n\
**Example.** `Principal = { AWS = \"arn:aws:iam::123456789012:root\" }` changed to `{ AWS = \"*\" }` \
with `kms:*` reports `aws_kms_key.data: the key policy now grants access to any principal`.",
    plan_wide: false,
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
    plan_wide: false,
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
    plan_wide: false,
};

/// The rules declared here, in the order `plangate rules` lists them.
pub(super) static DECLARED: &[&Rule] = &[&POLICY_ANYONE, &PROTECTION_WEAKENED, &POLICY_CHANGED];

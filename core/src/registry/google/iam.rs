//! The rules of the Google `iam` family: ids, titles, severities and the documentation `plangate
//! explain` prints. The family in `rules::google::iam` reports them.

use crate::registry::{Category, Rule, Severity};

pub static GOOGLE_PUBLIC_GRANT: Rule = Rule {
    id: "PG-GCP-001",
    title: "Google Cloud resource made public (allUsers, allAuthenticatedUsers)",
    category: Category::Iam,
    severity: Severity::Critical,
    doc: "**Why it matters.** `allUsers` is anyone on the internet and `allAuthenticatedUsers` anyone \
with a Google account: a bucket, function, service or dataset granted to either is public, like an \
AWS resource policy admitting `*`.\n\n\
**What triggers it.** A new grant of any role to `allUsers` or `allAuthenticatedUsers` in any \
`google_*_iam_member`, `google_*_iam_binding` or `google_*_iam_policy` (its `policy_data` read as \
JSON), on any resource; and in Cloud Storage ACLs (`google_storage_bucket_acl`, `…_object_acl`, \
`…_default_object_acl` `role_entity` such as `READER:allUsers`, a `predefined_acl` of `publicRead`, \
`publicReadWrite` or `authenticatedRead`, or an `…_access_control` with `entity = \"allUsers\"`); \
and in BigQuery dataset access (`special_group` or `iam_member` of a dataset's `access` block or of \
a `google_bigquery_dataset_access`).\n\n\
**Example.** `google_storage_bucket_iam_member` with `role = \"roles/storage.objectViewer\"`, \
`member = \"allUsers\"` reports `…: grants roles/storage.objectViewer to allUsers: anyone can use the \
resource`.",
    plan_wide: false,
};

pub static GOOGLE_PRIVILEGED_ROLE: Rule = Rule {
    id: "PG-GCP-002",
    title: "Owner, editor or impersonation role granted on an organization, folder or project",
    category: Category::Iam,
    severity: Severity::Critical,
    doc: "**Why it matters.** `roles/owner` and `roles/editor` change everything in a project (and \
below a folder or organization); the roles that act as service accounts \
(`roles/iam.serviceAccountTokenCreator`, `…User`, `…KeyAdmin`, `roles/iam.workloadIdentityUser`) \
reach everything those accounts can; the IAM administrator roles grant any of these.\n\n\
**What triggers it.** A new grant of one of those roles in `google_organization_iam_*`, \
`google_folder_iam_*` or `google_project_iam_*` (member, binding or policy). Granted on a single \
resource (a service account, a bucket) they are `PG-GCP-003`, high.\n\n\
**Example.** `google_project_iam_member` with `role = \"roles/editor\"`, `member = \
\"serviceAccount:ci@…\"` reports `…: grants roles/editor to serviceAccount:ci@…: control of \
everything in it`.",
    plan_wide: false,
};

pub static GOOGLE_ROLE_GRANTED: Rule = Rule {
    id: "PG-GCP-003",
    title: "Google Cloud IAM role granted, or a custom role widened",
    category: Category::Iam,
    severity: Severity::High,
    doc: "**Why it matters.** Every grant is new access; a reviewer should confirm the member, the \
role and the resource are meant, as for an AWS policy attachment.\n\n\
**What triggers it.** A new (role, member) pair in any `google_*_iam_member`, `_iam_binding` or \
`_iam_policy` (or dataset access entry) that the two rules above do not report; permissions added \
to a custom role (`google_project_iam_custom_role`, `google_organization_iam_custom_role`), which \
everyone it is granted to gets at once; and grants or permissions known only after apply (\"cannot \
be verified before apply\"). Removing members, roles or permissions is not reported.\n\n\
**Example.** `role = \"roles/logging.logWriter\"` for a service account on a project reports \
`…: grants roles/logging.logWriter to serviceAccount:app@…`.",
    plan_wide: false,
};

/// The rules declared here, in the order `plangate rules` lists them.
pub(super) static DECLARED: &[&Rule] = &[&GOOGLE_PUBLIC_GRANT, &GOOGLE_PRIVILEGED_ROLE, &GOOGLE_ROLE_GRANTED];

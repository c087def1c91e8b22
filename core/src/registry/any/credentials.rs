//! The rules of the `credentials` family: ids, titles, severities and the documentation `plangate
//! explain` prints. The family in `rules::any::credentials` reports them.

use crate::registry::{Category, Rule, Severity};

pub static LONG_LIVED_CREDENTIALS: Rule = Rule {
    id: "PG-IAM-007",
    title: "Long-lived credentials created",
    category: Category::Iam,
    severity: Severity::High,
    doc: "**Why it matters.** Access keys, console passwords, service-specific credentials, signing \
certificates, service-account keys and application secrets do not expire on their own (or not for \
years): once copied from a state file, a CI log or a laptop, they work until someone notices and \
revokes them.\n\n\
**What triggers it.** Creating or replacing `aws_iam_access_key`, `aws_iam_user_login_profile`, \
`aws_iam_service_specific_credential` or `aws_iam_signing_certificate`, or turning an access key \
that was `Inactive` back to `Active`; on Google Cloud a `google_service_account_key`; on Azure \
(`hashicorp/azuread`) an `azuread_application_password`, `azuread_application_certificate`, \
`azuread_service_principal_password` or `azuread_service_principal_certificate`.\n\n\
**Example.** A new `aws_iam_access_key.ci` for user `ci` reports `aws_iam_access_key.ci: creates \
a long-lived access key for user ci`.",
    plan_wide: false,
};

/// The rules declared here, in the order `plangate rules` lists them.
pub(super) static DECLARED: &[&Rule] = &[&LONG_LIVED_CREDENTIALS];

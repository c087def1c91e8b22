//! Long-lived credentials, in any cloud: access keys, console passwords, service-specific
//! credentials, signing certificates, SSH keys, service-account keys and application secrets,
//! which work until someone revokes them.

use crate::plan::{Action, Change};
use crate::registry::{Category, LONG_LIVED_CREDENTIALS};
use crate::rules::{nothing_else, Context, Family, Hit};

/// The credential types, and what each one is, for messages.
const CREDENTIALS: &[(&str, &str)] = &[
    ("aws_iam_access_key", "a long-lived access key"),
    ("aws_iam_user_login_profile", "a console password"),
    ("aws_iam_service_specific_credential", "a service-specific credential"),
    ("aws_iam_signing_certificate", "a signing certificate"),
    ("aws_iam_user_ssh_key", "an SSH key for CodeCommit"),
    ("google_service_account_key", "a service-account key"),
    ("azuread_application_password", "an application password (client secret)"),
    ("azuread_application_certificate", "an application certificate credential"),
    ("azuread_service_principal_password", "a service principal password"),
    ("azuread_service_principal_certificate", "a service principal certificate credential"),
];

pub static FAMILY: Family = Family {
    rules: &[&LONG_LIVED_CREDENTIALS],
    types: &[
        "aws_iam_access_key",
        "aws_iam_user_login_profile",
        "aws_iam_service_specific_credential",
        "aws_iam_signing_certificate",
        "aws_iam_user_ssh_key",
        "google_service_account_key",
        "azuread_application_password",
        "azuread_application_certificate",
        "azuread_service_principal_password",
        "azuread_service_principal_certificate",
    ],
    category: Category::Iam,
    check,
    fallback: false,
    also_reads: nothing_else,
};

fn check(change: &Change, _: &Context) -> Vec<Hit> {
    let Some((_, what)) = CREDENTIALS.iter().find(|(t, _)| *t == change.resource_type) else { return Vec::new() };
    let name = change.display_name();
    let after = change.values().after();
    let user = ["user", "user_name", "username"].iter().find_map(|a| after.get(a).as_str());
    let for_user = match (user, after.get("service_account_id").as_str()) {
        (Some(u), _) => format!(" for user {u}"),
        (None, Some(account)) => format!(" for service account {account}"),
        (None, None) => String::new(),
    };
    let created = change.action == Action::Create || change.action.is_replace();
    // An access key (or credential) switched from Inactive back to Active works again.
    let reactivated = change.action == Action::Update
        && change.attribute_changed("status")
        && change.values().before().get("status").as_str() == Some("Inactive")
        && after.get("status").as_str() == Some("Active");
    if created {
        vec![Hit::new(&LONG_LIVED_CREDENTIALS, format!("{name}: creates {what}{for_user}"))]
    } else if reactivated {
        vec![Hit::new(&LONG_LIVED_CREDENTIALS, format!("{name}: reactivates {what}{for_user} (Inactive → Active)"))]
    } else {
        Vec::new()
    }
}

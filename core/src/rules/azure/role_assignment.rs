//! Azure role-based access: a role assigned to a principal at a scope, custom roles widened, and
//! workloads outside Azure let in as an identity by a federated credential. A
//! role that can change anything or grant access (Owner, Contributor, User Access Administrator,
//! Role Based Access Control Administrator) over a whole subscription or management group hands
//! over the estate.

use crate::plan::{Action, Attr, Change};
use crate::registry::{Category, AZURE_PRIVILEGED_ROLE, AZURE_ROLE_GRANTED};
use crate::rules::{list_names, not_covered, nothing_else, Context, Family, Hit};

/// The built-in roles that can change anything or grant access, by name and by definition GUID
/// (role assignments may name either).
const PRIVILEGED: &[(&str, &str)] = &[
    ("Owner", "8e3af657-a8ff-443c-a75c-2fe8c4bcb635"),
    ("Contributor", "b24988ac-6180-42a0-ab88-20f7382dd24c"),
    ("User Access Administrator", "18d7d88d-d35e-4fb5-a5c3-7773c20a72d9"),
    ("Role Based Access Control Administrator", "f58310d9-a9f6-439a-9e8d-f62e7b41a168"),
];

/// A federated credential lets a workload outside Azure (a CI job, a cluster's service account)
/// sign in as a managed identity, or as an application, with every role it holds.
const FEDERATED: &str = "azurerm_federated_identity_credential";
const APP_FEDERATED: &str = "azuread_application_federated_identity_credential";

pub static FAMILY: Family = Family {
    rules: &[&AZURE_PRIVILEGED_ROLE, &AZURE_ROLE_GRANTED],
    types: &["azurerm_role_assignment", "azurerm_role_definition", FEDERATED, APP_FEDERATED],
    category: Category::Iam,
    check,
    fallback: false,
    also_reads: nothing_else,
};

fn check(change: &Change, _: &Context) -> Vec<Hit> {
    if !(change.action == Action::Create || change.action == Action::Update || change.action.is_replace()) {
        return Vec::new();
    }
    match change.resource_type.as_ref() {
        "azurerm_role_assignment" => assignment(change),
        "azurerm_role_definition" => definition(change),
        FEDERATED | APP_FEDERATED => federated(change),
        _ => Vec::new(),
    }
}

/// How wide a scope is: the root, a management group or a subscription hold everything below.
fn broad(scope: &str) -> bool {
    let scope = scope.trim_end_matches('/').to_ascii_lowercase();
    let parts: Vec<&str> = scope.split('/').filter(|p| !p.is_empty()).collect();
    matches!(parts.as_slice(), [] | ["subscriptions", _] | ["providers", "microsoft.management", "managementgroups", _])
}

/// The privileged role an assignment names, by name or by the GUID its definition id ends with.
fn privileged(after: Attr<'_>) -> Option<&'static str> {
    let name = after.get("role_definition_name").as_str();
    let id = after.get("role_definition_id").as_str().and_then(|id| id.rsplit('/').next());
    PRIVILEGED.iter().find_map(|(role, guid)| {
        (name.is_some_and(|n| n.eq_ignore_ascii_case(role)) || id.is_some_and(|i| i.eq_ignore_ascii_case(guid)))
            .then_some(*role)
    })
}

fn assignment(change: &Change) -> Vec<Hit> {
    // Every argument of an assignment forces a new one: an update changes nothing it grants.
    if change.action == Action::Update {
        return Vec::new();
    }
    let after = change.values().after();
    let name = change.display_name();
    let principal = after.get("principal_id").as_str().unwrap_or("a principal known only after apply");
    let role = after.get("role_definition_name").as_str().or_else(|| after.get("role_definition_id").as_str());
    match (role, after.get("scope").as_str()) {
        (Some(role), Some(scope)) => match privileged(after) {
            Some(privileged) if broad(scope) => vec![Hit::new(
                &AZURE_PRIVILEGED_ROLE,
                format!(
                    "{name}: assigns {privileged} to {principal} at {scope}: it can change (or grant access to) \
                     everything there"
                ),
            )],
            _ => vec![Hit::new(&AZURE_ROLE_GRANTED, format!("{name}: assigns {role} to {principal} at {scope}"))],
        },
        (role, scope) => {
            let why = match privileged(after) {
                Some(privileged) => format!("{privileged}, at a scope known only after apply"),
                None => format!(
                    "{} at {}",
                    role.unwrap_or("a role known only after apply"),
                    scope.unwrap_or("a scope known only after apply")
                ),
            };
            vec![Hit::new(
                &AZURE_ROLE_GRANTED,
                format!("{name}: assigns {why} to {principal}: cannot be verified before apply"),
            )]
        }
    }
}

/// Who a federated credential newly lets in: a subject of an issuer, new or changed.
fn federated(change: &Change) -> Vec<Hit> {
    fn who(side: Attr<'_>) -> (Option<&str>, Option<&str>) {
        (side.get("issuer").as_str(), side.get("subject").as_str())
    }
    let values = change.values();
    let (before, after) = (values.before(), values.after());
    if change.action == Action::Update && who(before) == who(after) {
        return Vec::new();
    }
    let name = change.display_name();
    let identity =
        [if change.resource_type == FEDERATED { "parent_id" } else { "application_id" }, "application_object_id"]
            .iter()
            .find_map(|attribute| after.get(attribute).as_str())
            .unwrap_or("an identity known only after apply");
    let message = match who(after) {
        (Some(issuer), Some(subject)) => {
            format!("{name}: lets {subject} (tokens of {issuer}) sign in as {identity}, with every role it holds")
        }
        _ => format!(
            "{name}: lets a workload known only after apply sign in as {identity}: cannot be verified before apply"
        ),
    };
    vec![Hit::new(&AZURE_ROLE_GRANTED, message)]
}

/// The actions (and data actions) of a custom role that its old definition did not have.
fn definition(change: &Change) -> Vec<Hit> {
    let values = change.values();
    let actions = |side: Attr<'_>| -> Vec<String> {
        side.get("permissions")
            .elements()
            .flat_map(|p| {
                ["actions", "data_actions"]
                    .into_iter()
                    .flat_map(move |list| p.get(list).elements().filter_map(|a| a.as_str().map(str::to_string)))
            })
            .collect()
    };
    let after_permissions = values.after().get("permissions");
    if after_permissions.is_unknown() {
        return vec![Hit::new(
            &AZURE_ROLE_GRANTED,
            format!(
                "{}: the role's permissions are known only after apply: cannot be verified before apply",
                change.display_name()
            ),
        )];
    }
    let before = actions(values.before());
    let added = not_covered(&before, &actions(values.after()), |old, new| old == new || old == "*");
    if added.is_empty() {
        return Vec::new();
    }
    let every = if added.iter().any(|a| a == "*") { " (`*`: every action)" } else { "" };
    vec![Hit::new(
        &AZURE_ROLE_GRANTED,
        format!("{}: the custom role now allows {}{every}", change.display_name(), list_names(&added, 5)),
    )]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn subscriptions_management_groups_and_the_root_are_broad() {
        assert!(broad("/subscriptions/00000000-0000-0000-0000-000000000000"));
        assert!(broad("/providers/Microsoft.Management/managementGroups/platform"));
        assert!(broad("/"));
        assert!(!broad("/subscriptions/0000/resourceGroups/app"));
        assert!(!broad("/subscriptions/0000/resourceGroups/app/providers/Microsoft.Storage/storageAccounts/x"));
    }
}

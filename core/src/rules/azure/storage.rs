//! Azure Blob Storage containers anyone can read: `container_access_type` `blob` (any blob, by its
//! URL) or `container` (the blobs and their list), without a key or a token.

use crate::plan::{Action, Change};
use crate::registry::{Category, AZURE_PUBLIC_CONTAINER};
use crate::rules::{nothing_else, Context, Family, Hit};

pub static FAMILY: Family = Family {
    rules: &[&AZURE_PUBLIC_CONTAINER],
    types: &["azurerm_storage_container"],
    category: Category::Other,
    check,
    fallback: false,
    also_reads: nothing_else,
};

/// What anyone can do with a container's access type.
fn public(access: &str) -> Option<&'static str> {
    match access.to_ascii_lowercase().as_str() {
        "blob" => Some("anyone can read its blobs"),
        "container" => Some("anyone can list and read its blobs"),
        _ => None,
    }
}

fn check(change: &Change, _: &Context) -> Vec<Hit> {
    if !(change.action == Action::Create || change.action == Action::Update || change.action.is_replace()) {
        return Vec::new();
    }
    let values = change.values();
    let after = values.after().get("container_access_type");
    let was = values.before().get("container_access_type").as_str().and_then(public);
    let name = change.display_name();
    match after.as_str() {
        Some(access) => match public(access) {
            Some(what) if was != Some(what) => {
                vec![Hit::new(&AZURE_PUBLIC_CONTAINER, format!("{name}: container_access_type = {access}: {what}"))]
            }
            _ => Vec::new(),
        },
        None if after.is_unknown() && was.is_none() => vec![Hit::new(
            &AZURE_PUBLIC_CONTAINER,
            format!("{name}: container_access_type is known only after apply: cannot be verified before apply"),
        )],
        None => Vec::new(),
    }
}

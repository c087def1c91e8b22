//! The rules of the Azure `storage` family: ids, titles, severities and the documentation `plangate
//! explain` prints. The family in `rules::azure::storage` reports them.

use crate::registry::{Category, Rule, Severity};

pub static AZURE_PUBLIC_CONTAINER: Rule = Rule {
    id: "PG-AZ-003",
    title: "Azure storage container readable by anyone",
    category: Category::Other,
    severity: Severity::Critical,
    doc: "**Why it matters.** A container with public access serves its blobs to anyone who has \
(or guesses) the URL, without a key, a token or a log of who it was: the Azure counterpart of a \
bucket policy that lets anyone read.\n\n\
**What triggers it.** An `azurerm_storage_container` created, replaced or updated to \
`container_access_type = \"blob\"` or `\"container\"` from a more private value, or one whose \
access type is known only after apply (\"cannot be verified before apply\"). Storage accounts \
that newly allow public containers (`allow_nested_items_to_be_public`) are `PG-DATA-002`.\n\n\
**Example.** `container_access_type = \"container\"` reports `azurerm_storage_container.assets: \
container_access_type = container: anyone can list and read its blobs`.",
    plan_wide: false,
};

/// The rules declared here, in the order `plangate rules` lists them.
pub(super) static DECLARED: &[&Rule] = &[&AZURE_PUBLIC_CONTAINER];

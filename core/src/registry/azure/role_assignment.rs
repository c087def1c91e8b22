//! The rules of the Azure `role_assignment` family: ids, titles, severities and the documentation
//! `plangate explain` prints. The family in `rules::azure::role_assignment` reports them.

use crate::registry::{Category, Rule, Severity};

pub static AZURE_PRIVILEGED_ROLE: Rule = Rule {
    id: "PG-AZ-001",
    title: "Privileged Azure role assigned over a subscription or management group",
    category: Category::Iam,
    severity: Severity::Critical,
    doc: "**Why it matters.** Owner, Contributor, User Access Administrator and Role Based Access \
Control Administrator can change every resource, or grant themselves and others any access, below \
their scope: over a subscription or a management group that is the whole estate.\n\n\
**What triggers it.** Creating or replacing an `azurerm_role_assignment` whose role (by \
`role_definition_name`, or the built-in role's GUID at the end of `role_definition_id`) is one of \
those four and whose `scope` is `/`, `/subscriptions/<id>` or \
`/providers/Microsoft.Management/managementGroups/<id>`. The same roles at a narrower scope (a \
resource group, a resource) are `PG-AZ-002`, high.\n\n\
**Example.** `role_definition_name = \"Owner\"` at `/subscriptions/0000…` reports \
`azurerm_role_assignment.ci: assigns Owner to <principal> at /subscriptions/0000…: it can change \
(or grant access to) everything there`.",
    plan_wide: false,
};

pub static AZURE_ROLE_GRANTED: Rule = Rule {
    id: "PG-AZ-002",
    title: "Azure role assigned, a custom role widened, or an identity federated",
    category: Category::Iam,
    severity: Severity::High,
    doc: "**Why it matters.** Every role assignment is new access; a reviewer should confirm the \
principal, the role and the scope are meant, as for an AWS policy attachment.\n\n\
**What triggers it.** Creating or replacing any other `azurerm_role_assignment` (privileged roles \
at a narrower scope, any other role at any scope), an assignment whose role or scope is known only \
after apply (\"cannot be verified before apply\"), and an `azurerm_role_definition` whose \
`permissions` gain actions or data actions (`*` is said), and a federated credential \
(`azurerm_federated_identity_credential`, `azuread_application_federated_identity_credential`) \
created, or given another issuer or subject: the workload it names signs in as the identity.\n\n\
**Example.** `role_definition_name = \"AcrPull\"` at a registry's id reports \
`azurerm_role_assignment.pull: assigns AcrPull to <principal> at <registry id>`.",
    plan_wide: false,
};

/// The rules declared here, in the order `plangate rules` lists them.
pub(super) static DECLARED: &[&Rule] = &[&AZURE_PRIVILEGED_ROLE, &AZURE_ROLE_GRANTED];

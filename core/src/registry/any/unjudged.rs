//! The rules of the `unjudged` family: ids, titles, severities and the documentation `plangate
//! explain` prints. The family in `rules::any::unjudged` reports them.

use crate::registry::{Category, Rule, Severity};

pub static UNJUDGED: Rule = Rule {
    id: "PG-READ-003",
    title: "A change no rule judges",
    category: Category::Other,
    severity: Severity::High,
    doc: "**Why it matters.** plangate judges what its rule families read: AWS, Azure and Google \
Cloud resources, and any deletion. A change to a resource no family reads (another provider's, or \
a type no rule covers yet) is not known to be safe, only not judged. Every report says how many \
such changes each provider has (`plan.unjudged`); with `unjudged: high` in the configuration each \
one is this finding instead, so a plan nothing judged cannot pass unseen.\n\n\
**What triggers it.** With `unjudged: high`: a created or updated resource whose type no rule \
family reads and that is not of a high-risk class, unless its provider is known to change nothing \
outside Terraform (`random`, `null`, `time`, `tls`, `local`, `archive`, `external`, `http`, \
`cloudinit`, `terraform`).\n\n\
**Example.** With `unjudged: high`, a new `azurerm_linux_virtual_machine.app` reports \
`azurerm_linux_virtual_machine.app: no rule judges changes to azurerm_linux_virtual_machine \
(hashicorp/azurerm)`.",
    plan_wide: false,
};

/// The rules declared here, in the order `plangate rules` lists them.
pub(super) static DECLARED: &[&Rule] = &[&UNJUDGED];

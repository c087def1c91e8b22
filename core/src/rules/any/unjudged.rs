//! Changes no rule judges: a create or update of a type no family reads. Each is counted by
//! provider in the report (`plan.unjudged`), so a plan of a provider plangate does not cover never
//! looks judged; with `unjudged: high` each is a finding of its own.

use crate::plan::{Action, Change, Mode};
use crate::registry::UNJUDGED;
use crate::report::Finding;
use crate::rules::{Context, UnjudgedPolicy};

/// Providers whose resources change nothing outside Terraform's state: random values, timers,
/// local files, generated keys and the like.
const HARMLESS: &[&str] =
    &["random", "null", "time", "tls", "local", "archive", "external", "http", "cloudinit", "terraform"];

/// The provider of a change as `namespace/type` (`hashicorp/azurerm`): its source address without
/// the registry host when that is the public registry; a bare name as Terraform 0.12 wrote it
/// (`google`); or, when the plan does not name it, its type's prefix.
pub fn provider(change: &Change) -> String {
    short_provider(change.provider_name.as_deref(), &change.resource_type)
}

/// The registries whose addresses a report shortens: the public ones, and Terraform's own
/// `terraform.io/builtin`. Another host stays in the name, so `example.com/hashicorp/null` is
/// never read as HashiCorp's.
const PUBLIC_HOSTS: &[&str] = &["registry.terraform.io", "registry.opentofu.org", "terraform.io"];

/// The same for a provider source address `named` (`registry.terraform.io/hashicorp/aws`) and a
/// type of its (a resource's or an action's), whose prefix names the provider when `named` is not
/// given.
pub fn short_provider(named: Option<&str>, type_name: &str) -> String {
    let parts: Vec<&str> = named.unwrap_or_default().split('/').filter(|p| !p.is_empty()).collect();
    match parts.as_slice() {
        [] => type_name.split('_').next().unwrap_or_default().to_string(),
        [host, rest @ ..] if rest.len() == 2 && PUBLIC_HOSTS.contains(&host.to_ascii_lowercase().as_str()) => {
            rest.join("/")
        }
        parts => parts.join("/"),
    }
}

/// Whether the provider (`namespace/type`) is known to change nothing outside Terraform: one of
/// HashiCorp's (or a bare legacy name, which meant HashiCorp's) on the list, or Terraform's
/// built-in one. The name alone is not enough: anyone can publish a provider called `null`.
pub fn harmless(provider: &str) -> bool {
    match provider.split_once('/') {
        None => HARMLESS.contains(&provider),
        Some(("hashicorp", name)) => HARMLESS.contains(&name),
        Some((namespace, name)) => namespace == "builtin" && name == "terraform",
    }
}

/// Whether no rule judges this change: a managed create or update (deletions, replacements and
/// forgets are always judged) of a type no family reads, no high-risk class names and no rule of
/// the user's own is written for.
pub fn unjudged(change: &Change, ctx: &Context) -> bool {
    change.mode == Mode::Managed
        && matches!(change.action, Action::Create | Action::Update)
        && !crate::rules::reads_change(change)
        && !ctx.classes().is_high_risk(&change.resource_type)
        && !ctx.config.custom.judges(&change.resource_type, change.action)
}

/// The finding `unjudged: high` asks for, for a change no rule judges.
pub fn finding(change: &Change, ctx: &Context, provider: &str) -> Option<Finding> {
    if ctx.config.unjudged != UnjudgedPolicy::High || harmless(provider) {
        return None;
    }
    ctx.finding(
        &UNJUDGED,
        UNJUDGED.category,
        change.display_name(),
        change.resource_type.to_string(),
        change.action,
        format!("{}: no rule judges changes to {} ({provider})", change.display_name(), change.resource_type),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_hashicorps_own_providers_are_harmless_by_name() {
        let short = |named: &str| short_provider(Some(named), "null_resource");
        assert_eq!(short("registry.terraform.io/hashicorp/null"), "hashicorp/null");
        assert_eq!(short("registry.opentofu.org/hashicorp/null"), "hashicorp/null");
        assert_eq!(short("terraform.io/builtin/terraform"), "builtin/terraform");
        assert_eq!(short("example.com/hashicorp/null"), "example.com/hashicorp/null");
        assert_eq!(short_provider(None, "null_resource"), "null");
        for harmless_one in ["hashicorp/null", "hashicorp/random", "null", "builtin/terraform"] {
            assert!(harmless(harmless_one), "{harmless_one}");
        }
        // Anyone can publish a provider called `null` or `random`; a private registry can mirror
        // one under HashiCorp's namespace.
        for other in ["evil/null", "acme/random", "example.com/hashicorp/null", "hashicorp/aws", "builtin/other"] {
            assert!(!harmless(other), "{other}");
        }
        assert!(!harmless(&short("registry.terraform.io/evil/null")));
    }
}

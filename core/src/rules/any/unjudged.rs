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
/// the registry host; a bare name as Terraform 0.12 wrote it (`google`); or, when the plan does not
/// name it, its type's prefix.
pub fn provider(change: &Change) -> String {
    short_provider(change.provider_name.as_deref(), &change.resource_type)
}

/// The same for a provider source address `named` (`registry.terraform.io/hashicorp/aws`) and a
/// type of its (a resource's or an action's), whose prefix names the provider when `named` is not
/// given.
pub fn short_provider(named: Option<&str>, type_name: &str) -> String {
    let mut parts: Vec<&str> = named.unwrap_or_default().rsplit('/').take(2).filter(|p| !p.is_empty()).collect();
    parts.reverse();
    match parts.as_slice() {
        [] => type_name.split('_').next().unwrap_or_default().to_string(),
        parts => parts.join("/"),
    }
}

/// Whether the provider (`namespace/type`) is known to change nothing outside Terraform.
pub fn harmless(provider: &str) -> bool {
    provider.rsplit('/').next().is_some_and(|name| HARMLESS.contains(&name))
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

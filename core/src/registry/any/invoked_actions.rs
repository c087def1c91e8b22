//! The rules of the `invoked_actions` family: ids, titles, severities and the documentation
//! `plangate explain` prints. The family in `rules::any::invoked_actions` reports them.

use crate::registry::{Category, Rule, Severity};

pub static ACTION_INVOKED: Rule = Rule {
    id: "PG-ACT-001",
    title: "The apply runs an action",
    category: Category::Other,
    severity: Severity::High,
    doc: "**Why it matters.** Terraform 1.14's actions are operations a provider runs during apply \
(`aws_ec2_stop_instance`, `aws_lambda_invoke`, `aws_codebuild_start_build`, …). They change no \
resource, so no resource change shows them and no rule that reads changes can judge them, yet one \
can stop a production instance or run any code a function holds. A plan whose only effect is an \
action would otherwise look empty.\n\n\
**What triggers it.** Every entry of the plan's `action_invocations`: an action a resource's \
`action_trigger` runs on an event of its change (`after_update`), or one `terraform plan -invoke` \
asked for. Its configuration is not read (it may hold secrets). Each counts as one high-risk change; \
give the rule `{severity: notice}` under `rules:` or waive an action by address where actions are \
routine (a cache invalidation after every deploy).\n\n\
**Example.** A resource `aws_lambda_function.api` whose update triggers \
`action.aws_lambda_invoke.warm` reports `action.aws_lambda_invoke.warm: the apply runs \
aws_lambda_invoke (hashicorp/aws) after_update of aws_lambda_function.api; what an action does is \
not a resource change and cannot be verified`.",
    plan_wide: false,
};

/// The rules declared here, in the order `plangate rules` lists them.
pub(super) static DECLARED: &[&Rule] = &[&ACTION_INVOKED];

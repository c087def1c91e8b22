//! Actions the apply runs (`action_invocations`, Terraform 1.14): each is a finding of its own,
//! since what an action does is no resource change any rule could read. See
//! [`crate::plan::Invocation`].

use crate::plan::{Action, Invocation, Trigger};
use crate::registry::ACTION_INVOKED;
use crate::report::Finding;
use crate::rules::Context;
use crate::text::excerpt;

/// The findings for the actions the plan invokes, in plan order.
pub fn findings(invocations: &[Invocation], ctx: &Context) -> Vec<Finding> {
    invocations
        .iter()
        .filter_map(|invocation| {
            let provider = super::unjudged::short_provider(invocation.provider.as_deref(), &invocation.action_type);
            let when = match &invocation.trigger {
                Trigger::Lifecycle { resource, event } => format!("{} of {resource}", excerpt(event, 40)),
                Trigger::Command => "because `terraform plan -invoke` asked for it".to_string(),
            };
            ctx.finding(
                &ACTION_INVOKED,
                ACTION_INVOKED.category,
                invocation.address.clone(),
                invocation.action_type.clone(),
                Action::Invoke,
                format!(
                    "{}: the apply runs {} ({provider}) {when}; what an action does is not a resource change and \
                     cannot be verified",
                    invocation.address, invocation.action_type
                ),
            )
        })
        .collect()
}

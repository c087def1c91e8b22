//! The actions a plan invokes (Terraform 1.14's `action` blocks): operations a provider runs during
//! apply (stop an instance, invoke a function, start a build) that change no resource, so
//! `resource_changes` never shows them. The plan lists each in `action_invocations`; this reads what
//! a finding names: the action's address and type, its provider and what triggers it. Its
//! configuration (`config_values`) is never read: it may hold secrets, and no rule judges it.

use serde::{de, Deserialize};

use crate::address::Address;

/// One action the apply will run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invocation {
    /// The action's address, e.g. `module.app.action.aws_lambda_invoke.warm["a"]`.
    pub address: String,
    /// The action type, e.g. `aws_lambda_invoke`.
    pub action_type: String,
    /// The provider's source address, when the plan names it.
    pub provider: Option<String>,
    /// What runs it.
    pub trigger: Trigger,
}

/// What makes the apply run an action.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Trigger {
    /// A resource's `action_trigger` block: the event of that resource's change (`after_update`).
    Lifecycle {
        /// The triggering resource instance's address.
        resource: String,
        /// The event, as the plan writes it.
        event: String,
    },
    /// `terraform plan -invoke=ADDRESS`, which runs the action alone.
    Command,
}

/// `action_invocations` as Terraform writes it; every field plangate does not name is ignored.
#[derive(Deserialize)]
struct Entry {
    address: String,
    #[serde(rename = "type")]
    action_type: Option<String>,
    provider_name: Option<String>,
    lifecycle_action_trigger: Option<LifecycleEntry>,
}

#[derive(Deserialize)]
struct LifecycleEntry {
    triggering_resource_address: String,
    action_trigger_event: String,
}

/// The invocations in `text`, the value of a plan's `action_invocations` (`null` is none). An
/// entry without a `type` takes it from its address; one whose action cannot be named is refused.
pub(crate) fn read(text: &str) -> Result<Vec<Invocation>, serde_json::Error> {
    let entries: Option<Vec<Entry>> = serde_json::from_str(text)?;
    entries
        .unwrap_or_default()
        .into_iter()
        .map(|entry| {
            let action_type = match entry.action_type.filter(|t| !t.is_empty()) {
                Some(action_type) => action_type,
                None => {
                    Address::parse_action(&entry.address)
                        .map_err(|e| de::Error::custom(format!("an action without a `type` and an address of {e}")))?
                        .resource_type
                }
            };
            let trigger = match entry.lifecycle_action_trigger {
                Some(t) => {
                    Trigger::Lifecycle { resource: t.triggering_resource_address, event: t.action_trigger_event }
                }
                None => Trigger::Command,
            };
            Ok(Invocation { address: entry.address, action_type, provider: entry.provider_name, trigger })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_both_triggers_and_never_the_configuration() {
        let text = r#"[
            {"address":"action.aws_lambda_invoke.warm","type":"aws_lambda_invoke","name":"warm",
             "config_values":{"payload":"s3cr3t"},"config_sensitive":{"payload":true},
             "provider_name":"registry.terraform.io/hashicorp/aws",
             "lifecycle_action_trigger":{"triggering_resource_address":"aws_lambda_function.api",
               "action_trigger_event":"after_update","action_trigger_block_index":0,"actions_list_index":0}},
            {"address":"action.aws_ec2_stop_instance.db","type":"aws_ec2_stop_instance","name":"db",
             "invoke_action_trigger":{}}
        ]"#;
        let read = read(text).unwrap();
        assert_eq!(
            read,
            [
                Invocation {
                    address: "action.aws_lambda_invoke.warm".into(),
                    action_type: "aws_lambda_invoke".into(),
                    provider: Some("registry.terraform.io/hashicorp/aws".into()),
                    trigger: Trigger::Lifecycle {
                        resource: "aws_lambda_function.api".into(),
                        event: "after_update".into()
                    },
                },
                Invocation {
                    address: "action.aws_ec2_stop_instance.db".into(),
                    action_type: "aws_ec2_stop_instance".into(),
                    provider: None,
                    trigger: Trigger::Command,
                },
            ]
        );
        assert!(!format!("{read:?}").contains("s3cr3t"));
        let untyped = super::read(r#"[{"address":"module.m.action.aws_sns_publish.n[0]"}]"#).unwrap();
        assert_eq!(untyped[0].action_type, "aws_sns_publish");
        assert_eq!(super::read("null").unwrap(), []);
    }

    #[test]
    fn an_entry_that_cannot_be_named_is_refused() {
        for (text, expected) in [
            (r#"[{"type":"aws_lambda_invoke"}]"#, "missing field `address`"),
            (
                r#"[{"address":"aws_lambda_invoke.warm"}]"#,
                "an action without a `type` and an address of `action.TYPE.NAME`",
            ),
            (r#"[{"address":"a","type":"t","address":"b"}]"#, "duplicate field `address`"),
            (r#"{"address":"a"}"#, "invalid type: map, expected a sequence"),
            (r#"[{"address":"a","type":"t","lifecycle_action_trigger":{}}]"#, "missing field"),
        ] {
            let error = read(text).unwrap_err().to_string();
            assert!(error.contains(expected), "{text}: {error}");
        }
    }
}

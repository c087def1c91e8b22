//! The messages of the `tfplan` file inside a binary plan, as far as plangate reads them, with the
//! field numbers of Terraform's `planfile.proto` (format version 3, Terraform 1.x and OpenTofu).
//! Fields plangate does not read (variables, outputs, checks, the provider's private data, …) are
//! skipped by the decoder without being kept.

/// The plan file format version this reader understands.
pub const FORMAT_VERSION: u64 = 3;

/// `Mode.REFRESH_ONLY`: every drifted resource is shown, moved-only ones included.
pub const MODE_REFRESH_ONLY: i32 = 2;

#[derive(Clone, PartialEq, prost::Message)]
pub struct Plan {
    #[prost(uint64, tag = "1")]
    pub version: u64,
    #[prost(int32, tag = "17")]
    pub ui_mode: i32,
    #[prost(bool, tag = "20")]
    pub errored: bool,
    #[prost(message, repeated, tag = "3")]
    pub resource_changes: Vec<ResourceInstanceChange>,
    #[prost(message, repeated, tag = "18")]
    pub resource_drift: Vec<ResourceInstanceChange>,
    #[prost(string, tag = "14")]
    pub terraform_version: String,
    #[prost(message, repeated, tag = "30")]
    pub action_invocations: Vec<ActionInvocationInstance>,
}

/// An action the apply runs (Terraform 1.14); its configuration (`config_value`) is not read.
#[derive(Clone, PartialEq, prost::Message)]
pub struct ActionInvocationInstance {
    #[prost(string, tag = "1")]
    pub addr: String,
    #[prost(string, tag = "2")]
    pub provider: String,
    #[prost(oneof = "ActionTrigger", tags = "6, 7")]
    pub action_trigger: Option<ActionTrigger>,
}

#[derive(Clone, PartialEq, prost::Oneof)]
pub enum ActionTrigger {
    #[prost(message, tag = "6")]
    Resource(ResourceActionTrigger),
    #[prost(message, tag = "7")]
    Invoke(InvokeActionTrigger),
}

#[derive(Clone, PartialEq, prost::Message)]
pub struct ResourceActionTrigger {
    #[prost(string, tag = "1")]
    pub triggering_resource_addr: String,
    #[prost(int32, tag = "2")]
    pub trigger_event: i32,
}

#[derive(Clone, PartialEq, prost::Message)]
pub struct InvokeActionTrigger {}

/// An `ActionTriggerEvent` number as the configuration names the event.
pub fn trigger_event(event: i32) -> Option<&'static str> {
    Some(match event {
        1 => "before_create",
        2 => "after_create",
        3 => "before_update",
        4 => "after_update",
        5 => "before_destroy",
        6 => "after_destroy",
        7 => "invoke",
        _ => return None,
    })
}

#[derive(Clone, PartialEq, prost::Message)]
pub struct ResourceInstanceChange {
    #[prost(string, tag = "13")]
    pub addr: String,
    #[prost(string, tag = "14")]
    pub prev_run_addr: String,
    #[prost(string, tag = "7")]
    pub deposed_key: String,
    #[prost(string, tag = "8")]
    pub provider: String,
    #[prost(message, optional, tag = "9")]
    pub change: Option<Change>,
    #[prost(message, repeated, tag = "11")]
    pub required_replace: Vec<Path>,
    #[prost(int32, tag = "12")]
    pub action_reason: i32,
}

#[derive(Clone, PartialEq, prost::Message)]
pub struct Change {
    #[prost(int32, tag = "1")]
    pub action: i32,
    #[prost(message, repeated, tag = "2")]
    pub values: Vec<DynamicValue>,
    #[prost(message, repeated, tag = "3")]
    pub before_sensitive_paths: Vec<Path>,
    #[prost(message, repeated, tag = "4")]
    pub after_sensitive_paths: Vec<Path>,
    #[prost(message, optional, tag = "5")]
    pub importing: Option<Importing>,
    #[prost(string, tag = "6")]
    pub generated_config: String,
}

#[derive(Clone, PartialEq, prost::Message)]
pub struct DynamicValue {
    #[prost(bytes = "vec", tag = "1")]
    pub msgpack: Vec<u8>,
}

#[derive(Clone, PartialEq, prost::Message)]
pub struct Path {
    #[prost(message, repeated, tag = "1")]
    pub steps: Vec<Step>,
}

#[derive(Clone, PartialEq, prost::Message)]
pub struct Step {
    #[prost(oneof = "Selector", tags = "1, 2")]
    pub selector: Option<Selector>,
}

#[derive(Clone, PartialEq, prost::Oneof)]
pub enum Selector {
    #[prost(string, tag = "1")]
    AttributeName(String),
    #[prost(message, tag = "2")]
    ElementKey(DynamicValue),
}

#[derive(Clone, PartialEq, prost::Message)]
pub struct Importing {
    #[prost(string, tag = "1")]
    pub id: String,
    #[prost(bool, tag = "2")]
    pub unknown: bool,
}

/// `Action`: how many values a change carries and where before and after are among them.
pub struct ActionShape {
    /// What `terraform show -json` prints as `actions`.
    pub actions: &'static [&'static str],
    pub before: Option<usize>,
    pub after: Option<usize>,
}

/// The shape of an `Action` number, `None` for a number this reader does not know.
pub fn action_shape(action: i32) -> Option<ActionShape> {
    let (actions, before, after): (&'static [&'static str], _, _) = match action {
        0 => (&["no-op"], Some(0), Some(0)),
        1 => (&["create"], None, Some(0)),
        2 => (&["read"], Some(0), Some(1)),
        3 => (&["update"], Some(0), Some(1)),
        5 => (&["delete"], Some(0), None),
        6 => (&["delete", "create"], Some(0), Some(1)),
        7 => (&["create", "delete"], Some(0), Some(1)),
        8 => (&["forget"], Some(0), None),
        9 => (&["create", "forget"], Some(0), Some(1)),
        _ => return None,
    };
    Some(ActionShape { actions, before, after })
}

/// What `terraform show -json` prints as `action_reason` for a `ResourceInstanceActionReason`
/// number: `Some(None)` for none, `None` for a number this reader does not know.
pub fn action_reason(reason: i32) -> Option<Option<&'static str>> {
    Some(Some(match reason {
        0 => return Some(None),
        1 => "replace_because_tainted",
        2 => "replace_by_request",
        3 => "replace_because_cannot_update",
        4 => "delete_because_no_resource_config",
        5 => "delete_because_wrong_repetition",
        6 => "delete_because_count_index",
        7 => "delete_because_each_key",
        8 => "delete_because_no_module",
        9 => "replace_by_triggers",
        10 => "read_because_config_unknown",
        11 => "read_because_dependency_pending",
        12 => "delete_because_no_move_target",
        13 => "read_because_check_nested",
        _ => return None,
    }))
}

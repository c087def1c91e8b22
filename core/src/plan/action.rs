//! The action of a resource change as one enum, instead of the action lists Terraform writes.
//! Reports write it back as Terraform's list (`["delete", "create"]`), which pipelines compare with
//! the plan.

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// What Terraform will do to a resource instance.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Action {
    /// `["no-op"]`: nothing changes.
    NoOp,
    /// `["create"]`.
    Create,
    /// `["read"]`: a data source read during apply.
    Read,
    /// `["update"]`: changed in place.
    Update,
    /// `["delete"]`.
    Delete,
    /// `["delete", "create"]`: the old object is destroyed before the new one exists.
    ReplaceDeleteFirst,
    /// `["create", "delete"]` (`create_before_destroy`).
    ReplaceCreateFirst,
    /// `["forget"]`: a `removed` block with `destroy = false`; the object stays in the cloud.
    Forget,
    /// `["create", "forget"]`: a new object is created and the old one is left in the cloud.
    CreateThenForget,
    /// `["invoke"]`: not a resource change but an action the apply runs (`action_invocations`).
    /// Reports name it so; a resource change written with it is refused.
    Invoke,
}

impl Action {
    /// The action lists Terraform writes, for messages about one that is not among them.
    pub const EXPECTED: &'static str =
        "no-op, create, read, update, delete, [delete, create], [create, delete], forget, [create, forget]";

    /// Parses Terraform's action list. `None` for a combination Terraform does not write.
    pub fn from_terraform<S: AsRef<str>>(actions: &[S]) -> Option<Action> {
        let names: Vec<&str> = actions.iter().map(AsRef::as_ref).collect();
        Some(match names.as_slice() {
            ["no-op"] => Action::NoOp,
            ["create"] => Action::Create,
            ["read"] => Action::Read,
            ["update"] => Action::Update,
            ["delete"] => Action::Delete,
            ["delete", "create"] => Action::ReplaceDeleteFirst,
            ["create", "delete"] => Action::ReplaceCreateFirst,
            ["forget"] => Action::Forget,
            ["create", "forget"] => Action::CreateThenForget,
            _ => return None,
        })
    }

    /// The action list as Terraform writes it, for reports that pipelines compare with the plan.
    pub fn terraform_names(self) -> &'static [&'static str] {
        match self {
            Action::NoOp => &["no-op"],
            Action::Create => &["create"],
            Action::Read => &["read"],
            Action::Update => &["update"],
            Action::Delete => &["delete"],
            Action::ReplaceDeleteFirst => &["delete", "create"],
            Action::ReplaceCreateFirst => &["create", "delete"],
            Action::Forget => &["forget"],
            Action::CreateThenForget => &["create", "forget"],
            Action::Invoke => &["invoke"],
        }
    }

    /// Whether the existing object is destroyed.
    pub fn destroys(self) -> bool {
        matches!(self, Action::Delete | Action::ReplaceDeleteFirst | Action::ReplaceCreateFirst)
    }

    /// `[delete, create]` or `[create, delete]`.
    pub fn is_replace(self) -> bool {
        matches!(self, Action::ReplaceDeleteFirst | Action::ReplaceCreateFirst)
    }

    /// Whether the change counts in `total_changes`: everything but no-op and read.
    pub fn is_counted(self) -> bool {
        !matches!(self, Action::NoOp | Action::Read)
    }
}

impl Serialize for Action {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.terraform_names().serialize(s)
    }
}

impl<'de> Deserialize<'de> for Action {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Action, D::Error> {
        let names = Vec::<String>::deserialize(d)?;
        let invoke = names.len() == 1 && names[0] == "invoke";
        let action = if invoke { Some(Action::Invoke) } else { Action::from_terraform(&names) };
        action.ok_or_else(|| {
            serde::de::Error::custom(format_args!("unknown actions {names:?}: expected one of {}", Action::EXPECTED))
        })
    }
}

/// Why Terraform chose the action, when it says so. Unknown reasons from newer Terraform versions
/// are kept as they are.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ActionReason {
    /// A reason this version of plangate knows.
    Known(KnownReason),
    /// A reason from a newer Terraform, as written.
    Other(String),
}

/// The `action_reason` values Terraform 1.x writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
#[allow(missing_docs)] // Terraform's own names say what each is.
pub enum KnownReason {
    ReplaceBecauseTainted,
    ReplaceBecauseCannotUpdate,
    ReplaceByRequest,
    ReplaceByTriggers,
    DeleteBecauseNoResourceConfig,
    DeleteBecauseWrongRepetition,
    DeleteBecauseCountIndex,
    DeleteBecauseEachKey,
    DeleteBecauseNoModule,
    DeleteBecauseNoMoveTarget,
    ReadBecauseConfigUnknown,
    ReadBecauseDependencyPending,
    ReadBecauseCheckNested,
}

impl ActionReason {
    /// Reads Terraform's `action_reason`.
    pub fn parse(reason: &str) -> ActionReason {
        use KnownReason::*;
        let known = match reason {
            "replace_because_tainted" => ReplaceBecauseTainted,
            "replace_because_cannot_update" => ReplaceBecauseCannotUpdate,
            "replace_by_request" => ReplaceByRequest,
            "replace_by_triggers" => ReplaceByTriggers,
            "delete_because_no_resource_config" => DeleteBecauseNoResourceConfig,
            "delete_because_wrong_repetition" => DeleteBecauseWrongRepetition,
            "delete_because_count_index" => DeleteBecauseCountIndex,
            "delete_because_each_key" => DeleteBecauseEachKey,
            "delete_because_no_module" => DeleteBecauseNoModule,
            "delete_because_no_move_target" => DeleteBecauseNoMoveTarget,
            "read_because_config_unknown" => ReadBecauseConfigUnknown,
            "read_because_dependency_pending" => ReadBecauseDependencyPending,
            "read_because_check_nested" => ReadBecauseCheckNested,
            other => return ActionReason::Other(other.to_string()),
        };
        ActionReason::Known(known)
    }

    /// A short phrase for messages, e.g. "it is tainted".
    pub fn describe(&self) -> Option<&'static str> {
        use KnownReason::*;
        let ActionReason::Known(known) = self else { return None };
        Some(match known {
            ReplaceBecauseTainted => "it is tainted",
            ReplaceBecauseCannotUpdate => "a changed attribute cannot be updated in place",
            ReplaceByRequest => "replacement was requested (-replace)",
            ReplaceByTriggers => "replace_triggered_by fired",
            DeleteBecauseNoResourceConfig => "it is no longer in the configuration",
            DeleteBecauseWrongRepetition => "count/for_each changed its repetition",
            DeleteBecauseCountIndex => "its count index is gone",
            DeleteBecauseEachKey => "its for_each key is gone",
            DeleteBecauseNoModule => "its module is no longer in the configuration",
            DeleteBecauseNoMoveTarget => "its moved block has no target",
            ReadBecauseConfigUnknown | ReadBecauseDependencyPending | ReadBecauseCheckNested => return None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_action_round_trips() {
        for action in [
            Action::NoOp,
            Action::Create,
            Action::Read,
            Action::Update,
            Action::Delete,
            Action::ReplaceDeleteFirst,
            Action::ReplaceCreateFirst,
            Action::Forget,
            Action::CreateThenForget,
        ] {
            assert_eq!(Action::from_terraform(action.terraform_names()), Some(action));
        }
        assert_eq!(Action::from_terraform(&["delete", "delete"]), None);
        assert_eq!(Action::from_terraform::<&str>(&[]), None);
        // Only a report names an invocation: a resource change may not claim to be one.
        assert_eq!(Action::from_terraform(&["invoke"]), None);
        let written = serde_json::to_string(&Action::Invoke).unwrap();
        assert_eq!(written, r#"["invoke"]"#);
        assert_eq!(serde_json::from_str::<Action>(&written).unwrap(), Action::Invoke);
    }

    #[test]
    fn unknown_reasons_are_kept() {
        assert_eq!(
            ActionReason::parse("replace_because_tainted"),
            ActionReason::Known(KnownReason::ReplaceBecauseTainted)
        );
        assert_eq!(ActionReason::parse("because_of_the_future"), ActionReason::Other("because_of_the_future".into()));
    }
}

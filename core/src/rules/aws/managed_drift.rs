//! Drift that Terraform itself made. A security group's `ingress`/`egress` and a role's
//! `inline_policy`/`managed_policy_arns` also show what separate resources of the same
//! configuration manage (`aws_security_group_rule`, `aws_vpc_security_group_*_rule`,
//! `aws_iam_role_policy`, `aws_iam_role_policy_attachment`): on refresh they look changed, but
//! nobody changed them outside Terraform. Recognised from the state those resources have in the
//! plan (their `before`): only what they account for, entry by entry, is explained; anything else
//! the refresh found stays flagged.

use crate::plan::{Attr, Change};
use crate::report::DriftEntry;
use crate::rules::list_names;
use crate::rules::model::permissions::{added, permissions, Direction, Permission};

/// What one separate resource of the configuration manages, as the state has it.
#[derive(Debug)]
pub enum Managed {
    /// Permissions of a security group.
    Rules { group: String, address: String, direction: Direction, permissions: Vec<Permission> },
    /// An inline policy (by name) or an attached policy (by ARN) of a role.
    RolePolicy { role: String, address: String, name: Option<String>, arn: Option<String> },
}

/// What a drifted group or role gained on refresh, to be matched against [`Managed`].
#[derive(Debug)]
pub enum Gained {
    Group { id: String, permissions: Vec<(Direction, Permission)> },
    Role { name: String, policies: Vec<String>, arns: Vec<String> },
}

const RULE_TYPES: &[&str] =
    &["aws_security_group_rule", "aws_vpc_security_group_ingress_rule", "aws_vpc_security_group_egress_rule"];

/// What a planned change's resource manages, from its state (`before`): nothing for a resource
/// not yet created.
pub fn managed(change: &Change) -> Option<Managed> {
    let t = change.resource_type.as_ref();
    if !RULE_TYPES.contains(&t) && !matches!(t, "aws_iam_role_policy" | "aws_iam_role_policy_attachment") {
        return None;
    }
    let before = change.values().before();
    let text = |name: &str| before.get(name).as_str().filter(|s| !s.is_empty()).map(str::to_owned);
    if RULE_TYPES.contains(&t) {
        let group = text("security_group_id")?;
        let (direction, permissions) = [Direction::Ingress, Direction::Egress]
            .into_iter()
            .map(|d| (d, permissions(t, before, d)))
            .find(|(_, p)| !p.is_empty())?;
        return Some(Managed::Rules { group, address: change.display_name(), direction, permissions });
    }
    match t {
        "aws_iam_role_policy" => Some(Managed::RolePolicy {
            role: text("role")?,
            address: change.display_name(),
            name: text("name"),
            arn: None,
        }),
        "aws_iam_role_policy_attachment" => Some(Managed::RolePolicy {
            role: text("role")?,
            address: change.display_name(),
            name: None,
            arn: text("policy_arn"),
        }),
        _ => None,
    }
}

/// What a drifted security group or role gained on refresh.
pub fn gained(change: &Change) -> Option<Gained> {
    let values = change.values();
    let (before, after) = (values.before(), values.after());
    match change.resource_type.as_ref() {
        "aws_security_group" => {
            let id = after.get("id").as_str().or_else(|| before.get("id").as_str())?.to_string();
            let permissions = [Direction::Ingress, Direction::Egress]
                .into_iter()
                .flat_map(|d| {
                    let read = |side: Attr<'_>| permissions("aws_security_group", side, d);
                    added(&read(before), &read(after)).into_iter().map(move |p| (d, p))
                })
                .collect();
            Some(Gained::Group { id, permissions })
        }
        "aws_iam_role" => {
            let name = after.get("name").as_str().or_else(|| before.get("name").as_str())?.to_string();
            let names = |side: Attr<'_>| -> Vec<String> {
                side.get("inline_policy").elements().filter_map(|p| p.get("name").as_str().map(str::to_owned)).collect()
            };
            let arns = |side: Attr<'_>| -> Vec<String> {
                side.get("managed_policy_arns").elements().filter_map(|a| a.as_str().map(str::to_owned)).collect()
            };
            let new = |old: Vec<String>, now: Vec<String>| now.into_iter().filter(|n| !old.contains(n)).collect();
            Some(Gained::Role {
                name,
                policies: new(names(before), names(after)),
                arns: new(arns(before), arns(after)),
            })
        }
        _ => None,
    }
}

/// When everything `gained` shows is accounted for by `managed` resources, the entry's flags are
/// dropped and its message says which resources made it; otherwise it is left as it is.
pub fn explain(entry: &mut DriftEntry, gained: &Gained, managed: &[Managed]) {
    let mut by: Vec<String> = Vec::new();
    let accounted = match gained {
        Gained::Group { id, permissions } => {
            let relevant = entry.changed_attributes.iter().all(|a| matches!(a.as_str(), "ingress" | "egress"));
            relevant
                && !permissions.is_empty()
                && permissions.iter().all(|(direction, permission)| {
                    let owner = managed.iter().find_map(|m| match m {
                        Managed::Rules { group, address, direction: d, permissions }
                            if group == id && d == direction && permissions.iter().any(|p| p.covers(permission)) =>
                        {
                            Some(address)
                        }
                        _ => None,
                    });
                    owner.inspect(|a| by.push((*a).clone())).is_some()
                })
        }
        Gained::Role { name, policies, arns } => {
            let relevant =
                entry.changed_attributes.iter().all(|a| matches!(a.as_str(), "inline_policy" | "managed_policy_arns"));
            let owner = |wanted: &str, inline: bool| {
                managed.iter().find_map(|m| match m {
                    Managed::RolePolicy { role, address, name: n, arn }
                        if role == name && (if inline { n.as_deref() } else { arn.as_deref() }) == Some(wanted) =>
                    {
                        Some(address.clone())
                    }
                    _ => None,
                })
            };
            relevant
                && !(policies.is_empty() && arns.is_empty())
                && policies
                    .iter()
                    .map(|p| owner(p, true))
                    .chain(arns.iter().map(|a| owner(a, false)))
                    .all(|o| o.map(|a| by.push(a)).is_some())
        }
    };
    if !accounted {
        return;
    }
    by.sort();
    by.dedup();
    entry.flags.clear();
    entry.message = format!(
        "{}: what the refresh shows is managed by {} of this configuration, not changed outside Terraform",
        entry.address,
        list_names(&by, 3)
    );
}

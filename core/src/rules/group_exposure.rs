//! Internet access opened in pieces across resources. A security group admits the union of all its
//! rules, wherever they are declared (inline blocks, `aws_security_group_rule`,
//! `aws_vpc_security_group_ingress_rule`), and a network ACL the union of its allow entries and
//! `aws_network_acl_rule`s; each resource judged alone can hold one harmless-looking piece of the
//! address space. Judged across the whole plan, after every change is read: every rule resource of
//! a group is in `resource_changes`, unchanged ones as no-ops, so the plan holds the whole union.

use std::collections::BTreeMap;

use super::exposure::{self, describe_cidrs, Exposure};
use super::network::acl_permissions;
use super::sg_permissions::{added, list_unknown, permissions, Direction, Permission, Source};
use super::Context;
use crate::plan::{Action, Attr, Change, Mode};
use crate::registry::{Rule, ACL_OPENED, INBOUND_FROM_INTERNET};
use crate::report::Finding;

/// Which union a resource's permissions belong to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Kind {
    SecurityGroupIngress,
    AclInbound,
    AclOutbound,
}

/// One resource's share of a group's permissions.
#[derive(Debug, Clone)]
pub struct Member {
    kind: Kind,
    /// The group's id; `None` when it is known only after apply (a group created in this plan).
    /// Those are judged together: a rule with an unknown group id may belong to any of them.
    group: Option<String>,
    address: String,
    resource_type: String,
    actions: Action,
    counted: bool,
    before: Vec<Permission>,
    after: Vec<Permission>,
}

/// The shares of `change` in the groups it belongs to (none for other types).
pub fn members(change: &Change) -> Vec<Member> {
    if change.mode == Mode::Data {
        return Vec::new();
    }
    let values = change.values();
    let t = change.resource_type.as_ref();
    let (kinds, key): (&[Kind], &str) = match t {
        "aws_security_group" => (&[Kind::SecurityGroupIngress], "id"),
        "aws_security_group_rule" | "aws_vpc_security_group_ingress_rule" => {
            (&[Kind::SecurityGroupIngress], "security_group_id")
        }
        "aws_network_acl" | "aws_default_network_acl" => (&[Kind::AclInbound, Kind::AclOutbound], "id"),
        "aws_network_acl_rule" => (&[Kind::AclInbound, Kind::AclOutbound], "network_acl_id"),
        _ => return Vec::new(),
    };
    kinds
        .iter()
        .map(|&kind| {
            let read = |side: Attr<'_>| match kind {
                Kind::SecurityGroupIngress if list_unknown(t, side, Direction::Ingress) => Vec::new(),
                Kind::SecurityGroupIngress => permissions(t, side, Direction::Ingress),
                Kind::AclInbound => acl_permissions(t, side, true),
                Kind::AclOutbound => acl_permissions(t, side, false),
            };
            let before = read(values.before());
            let after = match change.action {
                Action::Delete => Vec::new(),
                // A forgotten resource stays in place: it still grants what it granted.
                Action::Forget => before.clone(),
                _ => read(values.after()),
            };
            let id = |side: Attr<'_>| side.get(key).as_str().filter(|s| !s.is_empty()).map(str::to_owned);
            Member {
                kind,
                group: id(values.after()).or_else(|| id(values.before())),
                address: change.display_name(),
                resource_type: t.to_string(),
                actions: change.action,
                counted: change.action.is_counted(),
                before,
                after,
            }
        })
        .filter(|m| !m.before.is_empty() || !m.after.is_empty())
        .collect()
}

/// Findings for internet access that only the union of several resources' rules opens, each with
/// the position of the member it belongs to: every changed resource that adds a piece is reported.
pub fn findings(members: &[(usize, Member)], ctx: &Context) -> Vec<(usize, Finding)> {
    // By group; rules whose group id is known only after apply form one group.
    type Group<'m> = (Kind, Option<&'m str>);
    let mut groups: BTreeMap<Group<'_>, Vec<&(usize, Member)>> = BTreeMap::new();
    for entry in members {
        groups.entry((entry.1.kind, entry.1.group.as_deref())).or_default().push(entry);
    }
    let mut found = Vec::new();
    for ((kind, group), shares) in groups.into_iter().filter(|(_, shares)| shares.len() > 1) {
        let before: Vec<Permission> = shares.iter().flat_map(|(_, m)| m.before.iter().cloned()).collect();
        let after: Vec<Permission> = shares.iter().flat_map(|(_, m)| m.after.iter().cloned()).collect();
        for opened in exposure::opened(&before, &after) {
            // What one resource opens on its own is judged with that resource.
            if shares.iter().any(|(_, m)| exposure::exposures(&m.after).iter().any(|e| e.covers(&opened))) {
                continue;
            }
            let involved: Vec<&str> = shares
                .iter()
                .filter(|(_, m)| m.after.iter().any(|p| opened.involves(p)))
                .map(|(_, m)| m.address.as_str())
                .collect();
            for (index, member) in shares.iter().map(|entry| (entry.0, &entry.1)) {
                if !member.counted || !added(&member.before, &member.after).iter().any(|p| opened.involves(p)) {
                    continue;
                }
                let others: Vec<&str> = involved.iter().copied().filter(|a| *a != member.address).collect();
                let (rule, message) = describe(kind, group, member, &others, &opened);
                let finding = Finding {
                    address: member.address.clone(),
                    resource_type: member.resource_type.clone(),
                    actions: member.actions,
                    severity: rule.severity,
                    rule: rule.id.to_string(),
                    category: rule.category,
                    message,
                    waived: None,
                    location: None,
                };
                found.extend(ctx.settle(rule, finding).map(|f| (index, f)));
            }
        }
    }
    found
}

fn describe(
    kind: Kind,
    group: Option<&str>,
    member: &Member,
    others: &[&str],
    opened: &Exposure,
) -> (&'static Rule, String) {
    let (rule, what, inbound) = match kind {
        Kind::SecurityGroupIngress => (&INBOUND_FROM_INTERNET, "security group", true),
        Kind::AclInbound => (&ACL_OPENED, "network ACL", true),
        Kind::AclOutbound => (&ACL_OPENED, "network ACL", false),
    };
    let target = match group {
        Some(id) => format!("{what} {id}"),
        None => format!("the {what}s whose ids are known only after apply"),
    };
    let (direction, preposition) = if inbound { ("inbound", "from") } else { ("outbound", "to") };
    let mut own: Vec<_> = added(&member.before, &member.after)
        .into_iter()
        .filter(|p| opened.involves(p))
        .filter_map(|p| match p.source {
            Source::Cidr(cidr) => Some(cidr),
            _ => None,
        })
        .collect();
    own.sort_unstable();
    own.dedup();
    let ports = opened.describe_ports();
    let opening = match kind {
        Kind::SecurityGroupIngress if member.actions == Action::Create => "Adding inbound rules for",
        Kind::SecurityGroupIngress => "Modifying inbound rules for",
        Kind::AclInbound | Kind::AclOutbound => "",
    };
    let head = if opening.is_empty() {
        format!("{} allows {direction} {ports} {preposition} {}", member.address, describe_cidrs(&own))
    } else {
        format!("{opening} {}: {ports} {preposition} {}", member.address, describe_cidrs(&own))
    };
    let others = super::list_names(&others.iter().map(|a| a.to_string()).collect::<Vec<_>>(), 4);
    let message = format!(
        "{head}; with {others}, {direction} {ports} on {target} is open {preposition} {} (together the internet)",
        describe_cidrs(&opened.cidrs)
    );
    (rule, message)
}

//! Internet access opened in pieces across resources. A security group admits the union of all its
//! rules, wherever they are declared (inline blocks, `aws_security_group_rule`,
//! `aws_vpc_security_group_ingress_rule`), and a network ACL the union of its allow entries and
//! `aws_network_acl_rule`s; each resource judged alone can hold one harmless-looking piece of the
//! address space. Judged across the whole plan, after every change is read: every rule resource of
//! a group is in `resource_changes`, unchanged ones as no-ops, so the plan holds the whole union.

use std::collections::BTreeMap;
use std::sync::Arc;

use crate::plan::{Action, Attr, Change, Mode, PlanError};
use crate::registry::{Rule, ACL_OPENED, INBOUND_FROM_INTERNET};
use crate::report::Finding;
use crate::rules::aws::network::acl_permissions;
use crate::rules::model::exposure::{self, describe_cidrs, Exposure};
use crate::rules::model::permissions::{added, list_unknown, permissions, Direction, Permission, Source};
use crate::rules::plan_wide::{Collector, Kept, PlanWide};
use crate::rules::Context;

/// The family: it reports with the security-group and network ACL rules.
pub(crate) struct GroupExposure;
pub(crate) static FAMILY: GroupExposure = GroupExposure;
static RULES: &[&Rule] = &[&INBOUND_FROM_INTERNET, &ACL_OPENED];

impl PlanWide for GroupExposure {
    fn rules(&self) -> &'static [&'static Rule] {
        RULES
    }

    fn collector<'a>(&self) -> Box<dyn Collector<'a> + 'a> {
        Box::new(Members::default())
    }
}

/// Every change's shares of its groups.
#[derive(Default)]
struct Members<'a>(Kept<Member<'a>>);

impl<'a> Collector<'a> for Members<'a> {
    fn observe(&self, index: usize, change: &Arc<Change<'a>>, _: &Context<'_>) {
        for member in members(change, group_of(change)) {
            self.0.push(index, member);
        }
    }

    // Internet access opened in pieces counts against the changes that add the pieces.
    fn finish(self: Box<Self>, ctx: &Context<'_>, text: &'a [u8]) -> Result<Vec<(Option<usize>, Finding)>, PlanError> {
        Ok(findings(&self.0.into_sorted(), ctx, text)?.into_iter().map(|(i, f)| (Some(i), f)).collect())
    }
}

/// Which union a resource's permissions belong to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Kind {
    SecurityGroupIngress,
    AclInbound,
    AclOutbound,
}

/// One resource's share of a group's permissions.
#[derive(Debug)]
struct Member<'a> {
    kind: Kind,
    /// The group's id; `None` when it is known only after apply (a group created in this plan).
    /// Those are judged together: a rule with an unknown group id may belong to any of them.
    group: Option<String>,
    address: String,
    actions: Action,
    counted: bool,
    permissions: Permissions<'a>,
}

/// What a member grants, before and after.
#[derive(Debug)]
enum Permissions<'a> {
    Read {
        resource_type: String,
        before: Vec<Permission>,
        after: Vec<Permission>,
    },
    /// An unchanged resource, kept unread: most plans are mostly no-ops, and their permissions
    /// matter only to a group that a change adds a piece to.
    Unchanged(Arc<Change<'a>>),
}

impl Member<'_> {
    fn resource_type(&self) -> &str {
        match &self.permissions {
            Permissions::Read { resource_type, .. } => resource_type,
            Permissions::Unchanged(change) => &change.resource_type,
        }
    }

    /// (before, after); `Err` when an unchanged resource's values, read only now, cannot be parsed.
    fn read(&self, text: &[u8]) -> Result<(Vec<Permission>, Vec<Permission>), PlanError> {
        match &self.permissions {
            Permissions::Read { before, after, .. } => Ok((before.clone(), after.clone())),
            Permissions::Unchanged(change) => {
                let granted = grants(self.kind, change.resource_type.as_ref(), change.values().before());
                change.readable(text)?;
                Ok((granted.clone(), granted))
            }
        }
    }

    /// What the change adds, for a changed member; nothing for an unchanged one.
    fn added(&self) -> Vec<Permission> {
        match &self.permissions {
            Permissions::Read { before, after, .. } => added(before, after),
            Permissions::Unchanged(_) => Vec::new(),
        }
    }
}

/// Which unions a type's resources belong to, and the attribute that names the group.
fn shares_of(resource_type: &str) -> Option<(&'static [Kind], &'static str)> {
    match resource_type {
        "aws_security_group" | "aws_default_security_group" => Some((&[Kind::SecurityGroupIngress], "id")),
        "aws_security_group_rule" | "aws_vpc_security_group_ingress_rule" => {
            Some((&[Kind::SecurityGroupIngress], "security_group_id"))
        }
        "aws_network_acl" | "aws_default_network_acl" => Some((&[Kind::AclInbound, Kind::AclOutbound], "id")),
        "aws_network_acl_rule" => Some((&[Kind::AclInbound, Kind::AclOutbound], "network_acl_id")),
        _ => None,
    }
}

/// What one side of a resource grants in one union.
fn grants(kind: Kind, resource_type: &str, side: Attr<'_>) -> Vec<Permission> {
    match kind {
        Kind::SecurityGroupIngress if list_unknown(resource_type, side, Direction::Ingress) => Vec::new(),
        Kind::SecurityGroupIngress => permissions(resource_type, side, Direction::Ingress),
        Kind::AclInbound => acl_permissions(resource_type, side, true),
        Kind::AclOutbound => acl_permissions(resource_type, side, false),
    }
}

/// The group or network ACL a change's resource belongs to; `None` when its id is known only after
/// apply, or for other types.
fn group_of(change: &Change<'_>) -> Option<String> {
    let (_, key) = shares_of(&change.resource_type).filter(|_| change.mode != Mode::Data)?;
    let id = |side: Attr<'_>| side.get(key).as_str().filter(|s| !s.is_empty()).map(str::to_owned);
    let values = change.values();
    id(values.after()).or_else(|| id(values.before()))
}

/// The shares of `change` in the groups it belongs to (none for other types); `group` is
/// [`group_of`] the change.
fn members<'a>(change: &Arc<Change<'a>>, group: Option<String>) -> Vec<Member<'a>> {
    let Some((kinds, _)) = shares_of(&change.resource_type).filter(|_| change.mode != Mode::Data) else {
        return Vec::new();
    };
    let values = change.values();
    let (address, actions, counted) = (change.display_name(), change.action, change.action.is_counted());
    if change.action == Action::NoOp {
        return kinds
            .iter()
            .map(|&kind| Member {
                kind,
                group: group.clone(),
                address: address.clone(),
                actions,
                counted,
                permissions: Permissions::Unchanged(Arc::clone(change)),
            })
            .collect();
    }
    let t = change.resource_type.as_ref();
    kinds
        .iter()
        .map(|&kind| {
            let before = grants(kind, t, values.before());
            let after = match change.action {
                Action::Delete => Vec::new(),
                // A forgotten resource stays in place: it still grants what it granted.
                Action::Forget => before.clone(),
                _ => grants(kind, t, values.after()),
            };
            let permissions = Permissions::Read { resource_type: t.to_string(), before, after };
            Member { kind, group: group.clone(), address: address.clone(), actions, counted, permissions }
        })
        .filter(|m| matches!(&m.permissions, Permissions::Read { before, after, .. } if !before.is_empty() || !after.is_empty()))
        .collect()
}

/// Findings for internet access that only the union of several resources' rules opens, each with
/// the position of the member it belongs to: every changed resource that adds a piece is reported.
/// `text` is the plan, for the error when an unchanged resource's values cannot be parsed.
fn findings(members: &[(usize, Member<'_>)], ctx: &Context, text: &[u8]) -> Result<Vec<(usize, Finding)>, PlanError> {
    // By group; rules whose group id is known only after apply form one group.
    type Group<'m> = (Kind, Option<&'m str>);
    let mut groups: BTreeMap<Group<'_>, Vec<&(usize, Member<'_>)>> = BTreeMap::new();
    for entry in members {
        groups.entry((entry.1.kind, entry.1.group.as_deref())).or_default().push(entry);
    }
    let mut found = Vec::new();
    for ((kind, group), shares) in groups {
        // Only a change that adds a piece smaller than the whole internet can open it in pieces
        // (a whole `/0` is reported with its own resource); other groups are never read.
        let adds_a_piece = shares.iter().any(|(_, m)| {
            m.counted && m.added().iter().any(|p| matches!(p.source, Source::Cidr(c) if !c.is_internet()))
        });
        if shares.len() < 2 || !adds_a_piece {
            continue;
        }
        let mut read: Vec<(usize, &Member<'_>, Vec<Permission>, Vec<Permission>)> = Vec::new();
        for (i, m) in shares {
            let (before, after) = m.read(text)?;
            read.push((*i, m, before, after));
        }
        let before: Vec<Permission> = read.iter().flat_map(|r| r.2.iter().cloned()).collect();
        let after: Vec<Permission> = read.iter().flat_map(|r| r.3.iter().cloned()).collect();
        for opened in exposure::opened(&before, &after) {
            // What one resource opens on its own is judged with that resource.
            if read.iter().any(|r| exposure::exposures(&r.3).iter().any(|e| e.covers(&opened))) {
                continue;
            }
            let involved: Vec<&str> =
                read.iter().filter(|r| r.3.iter().any(|p| opened.involves(p))).map(|r| r.1.address.as_str()).collect();
            for (index, member, _, _) in &read {
                let own = member.added();
                if !member.counted || !own.iter().any(|p| opened.involves(p)) {
                    continue;
                }
                let others: Vec<&str> = involved.iter().copied().filter(|a| *a != member.address).collect();
                let (rule, message) = describe(kind, group, member, &own, &others, &opened);
                let (address, resource_type) = (member.address.clone(), member.resource_type().to_string());
                let finding = ctx.finding(rule, rule.category, address, resource_type, member.actions, message);
                found.extend(finding.map(|f| (*index, f)));
            }
        }
    }
    Ok(found)
}

fn describe(
    kind: Kind,
    group: Option<&str>,
    member: &Member<'_>,
    added: &[Permission],
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
    let mut own: Vec<_> = added
        .iter()
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
    let others = crate::rules::list_names(&others.iter().map(|a| a.to_string()).collect::<Vec<_>>(), 4);
    let message = format!(
        "{head}; with {others}, {direction} {ports} on {target} is open {preposition} {} (together the internet)",
        describe_cidrs(&opened.cidrs)
    );
    (rule, message)
}

//! Security Group Changes: inbound and outbound rules, compared as sets across the three AWS forms.
//! Only what is added or widened is reported; removing or narrowing a rule is not a risk.

use super::sg_permissions::{
    added, list_unknown, permissions, unknown_list_permissions, Direction, Permission, Source,
};
use super::{Context, Family, Hit, Rule};
use crate::plan::{Action, Change};
use crate::report::{Category, Severity};

/// The resource types whose permissions these rules read.
const TYPES: &[&str] = &[
    "aws_security_group",
    "aws_security_group_rule",
    "aws_vpc_security_group_ingress_rule",
    "aws_vpc_security_group_egress_rule",
];

pub static INBOUND_FROM_INTERNET: Rule = Rule {
    id: "PG-SG-001",
    title: "Inbound access opened to the internet",
    category: Category::SecurityGroups,
    severity: Severity::Critical,
    doc: "**Why it matters.** A rule that admits `0.0.0.0/0` or `::/0` exposes the port to every \
host on the internet: SSH, RDP and database ports are scanned within minutes of opening.\n\n\
**What triggers it.** A new or widened inbound permission whose source is `0.0.0.0/0` or `::/0`, \
in an inline `ingress` block of `aws_security_group`, an `aws_security_group_rule` with \
`type = \"ingress\"`, or an `aws_vpc_security_group_ingress_rule`. A permission is new when no \
permission of the old state covers its protocol, ports and source.\n\n\
**Example.** `cidr_blocks = [\"10.0.0.0/8\"]` changed to `[\"0.0.0.0/0\"]` on port 443 reports \
`Modifying inbound rules for aws_security_group.audit_system: tcp 443 from 0.0.0.0/0 (the internet)`.",
};

pub static INBOUND_ADDED: Rule = Rule {
    id: "PG-SG-002",
    title: "Inbound access added or widened",
    category: Category::SecurityGroups,
    severity: Severity::High,
    doc: "**Why it matters.** Every new inbound path is a way in; a reviewer should confirm the \
source and ports are meant.\n\n\
**What triggers it.** A new or widened inbound permission from any source other than the whole \
internet (a CIDR, a prefix list, another security group, the group itself). Narrowing a CIDR, \
shrinking a port range or removing a rule does not trigger it.\n\n\
**Example.** A new block `from_port = 8080, to_port = 8090, cidr_blocks = [\"192.168.0.0/16\"]` \
reports `Modifying inbound rules for aws_security_group.web: tcp 8080-8090 from 192.168.0.0/16`.",
};

pub static OUTBOUND_ADDED: Rule = Rule {
    id: "PG-SG-003",
    title: "Outbound access added or widened",
    category: Category::SecurityGroups,
    severity: Severity::High,
    doc: "**Why it matters.** Wider egress lets a compromised workload reach more of the network or \
the internet (exfiltration, command and control). It is never critical on its own.\n\n\
**What triggers it.** A new or widened outbound permission in an `egress` block, an \
`aws_security_group_rule` with `type = \"egress\"`, or an `aws_vpc_security_group_egress_rule`.\n\n\
**Example.** Egress `tcp 443 to 10.0.0.0/8` changed to all traffic to `0.0.0.0/0` reports \
`Modifying outbound rules for aws_security_group.workers: all traffic to 0.0.0.0/0 (the internet)`.",
};

pub static INBOUND_UNVERIFIABLE: Rule = Rule {
    id: "PG-SG-004",
    title: "Inbound access cannot be verified before apply",
    category: Category::SecurityGroups,
    severity: Severity::High,
    doc: "**Why it matters.** When a rule's source or protocol is known only after apply (or is \
marked sensitive), the plan cannot show whether it opens access to the internet. plangate never \
treats that as safe.\n\n\
**What triggers it.** A new or changed inbound rule whose CIDR blocks or protocol are unknown in \
`after_unknown` (or sensitive), or an `ingress` list that had rules and becomes wholly unknown. (A \
list that is unknown because the configuration sets no inline rules grants nothing.)\n\n\
**Example.** `cidr_blocks = [aws_eip.nat.public_ip]` on a new rule reports `Inbound rules for \
aws_security_group_rule.nat cannot be verified before apply: the source is known only after apply`.",
};

/// Permissions added in `direction`, or nothing for deletions and types without permissions.
fn added_permissions(change: &Change, direction: Direction) -> Vec<Permission> {
    if !TYPES.contains(&change.resource_type.as_ref()) || matches!(change.action, Action::Delete | Action::Forget) {
        return Vec::new();
    }
    let list = if direction == Direction::Ingress { "ingress" } else { "egress" };
    if change.resource_type == "aws_security_group" && !change.attribute_changed(list) {
        return Vec::new();
    }
    let values = change.values();
    let before = permissions(&change.resource_type, values.before(), direction);
    if list_unknown(&change.resource_type, values.after(), direction) {
        return unknown_list_permissions(&before);
    }
    let after = permissions(&change.resource_type, values.after(), direction);
    added(&before, &after)
}

fn describe(change: &Change, direction: Direction, permissions: &[&Permission]) -> String {
    let verb = if change.action == Action::Create { "Adding" } else { "Modifying" };
    let (which, preposition) = match direction {
        Direction::Ingress => ("inbound", "from"),
        Direction::Egress => ("outbound", "to"),
    };
    let listed: Vec<String> =
        permissions.iter().map(|p| format!("{} {preposition} {}", p.describe_ports(), p.describe_source())).collect();
    format!("{verb} {which} rules for {}: {}", change.display_name(), listed.join("; "))
}

pub static FAMILY: Family = Family {
    rules: &[&INBOUND_FROM_INTERNET, &INBOUND_ADDED, &OUTBOUND_ADDED, &INBOUND_UNVERIFIABLE],
    check,
    fallback: false,
};

fn check(change: &Change, _: &Context) -> Vec<Hit> {
    let inbound = added_permissions(change, Direction::Ingress);
    let outbound = added_permissions(change, Direction::Egress);
    [
        inbound_from_internet(change, &inbound),
        inbound_added(change, &inbound),
        outbound_added(change, &outbound),
        inbound_unverifiable(change, &inbound),
    ]
    .into_iter()
    .flatten()
    .collect()
}

fn inbound_from_internet(change: &Change, added: &[Permission]) -> Vec<Hit> {
    let open: Vec<&Permission> = added.iter().filter(|p| p.is_from_internet()).collect();
    if open.is_empty() {
        return Vec::new();
    }
    vec![Hit::new(&INBOUND_FROM_INTERNET, describe(change, Direction::Ingress, &open))]
}

fn inbound_added(change: &Change, added: &[Permission]) -> Vec<Hit> {
    let other: Vec<&Permission> =
        added.iter().filter(|p| !p.is_from_internet() && p.source != Source::Unverifiable).collect();
    if other.is_empty() {
        return Vec::new();
    }
    vec![Hit::new(&INBOUND_ADDED, describe(change, Direction::Ingress, &other))]
}

fn outbound_added(change: &Change, added: &[Permission]) -> Vec<Hit> {
    if added.is_empty() {
        return Vec::new();
    }
    vec![Hit::new(&OUTBOUND_ADDED, describe(change, Direction::Egress, &added.iter().collect::<Vec<_>>()))]
}

fn inbound_unverifiable(change: &Change, added: &[Permission]) -> Vec<Hit> {
    if !added.iter().any(|p| p.source == Source::Unverifiable) {
        return Vec::new();
    }
    vec![Hit::new(
        &INBOUND_UNVERIFIABLE,
        format!(
            "Inbound rules for {} cannot be verified before apply: the source or protocol is known only after apply",
            change.display_name()
        ),
    )]
}

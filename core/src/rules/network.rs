//! VPC Changes: VPC settings, subnets, routes, network ACLs and internet/NAT gateways. Replacing a
//! subnet is judged with the deletions, which say which attribute forces it.

use super::sg_permissions::Cidr;
use super::transition::Transition;
use super::{Context, Family, Hit, Rule};
use crate::plan::{Action, Attr, Change};
use crate::report::{Category, Severity};

pub(crate) const TYPES: &[&str] = &[
    "aws_vpc",
    "aws_subnet",
    "aws_route",
    "aws_route_table",
    "aws_default_route_table",
    "aws_network_acl",
    "aws_default_network_acl",
    "aws_network_acl_rule",
    "aws_internet_gateway",
    "aws_nat_gateway",
    "aws_egress_only_internet_gateway",
];

pub static SETTINGS_CHANGED: Rule = Rule {
    id: "PG-NET-001",
    title: "VPC or subnet settings changed",
    category: Category::Vpc,
    severity: Severity::High,
    doc: "**Why it matters.** VPC and subnet settings (DNS support and hostnames, CIDR blocks, public \
IP on launch, tenancy) change how everything inside resolves names and reaches the network.\n\n\
**What triggers it.** An in-place update of `aws_vpc` or `aws_subnet` that changes anything but \
tags.\n\n\
**Example.** `enable_dns_hostnames = true` changed to `false` reports `aws_vpc.core: settings \
change: enable_dns_hostnames true → false`.",
};

pub static ROUTES_CHANGED: Rule = Rule {
    id: "PG-NET-002",
    title: "Routes added or removed",
    category: Category::Vpc,
    severity: Severity::High,
    doc: "**Why it matters.** Routes decide where traffic goes: a new default route to an internet \
gateway makes a private subnet public, and a removed route cuts a path off.\n\n\
**What triggers it.** An `aws_route` created, deleted or changed, or `route` entries added to or \
removed from an `aws_route_table`. A default route (`0.0.0.0/0` or `::/0`) to an internet gateway \
is called out.\n\n\
**Example.** A new `aws_route` for `0.0.0.0/0` via `igw-…` reports `aws_route.private_default \
adds route 0.0.0.0/0 via igw-… (a default route to an internet gateway: the subnets become \
reachable from the internet)`.",
};

pub static ACL_OPENED: Rule = Rule {
    id: "PG-NET-003",
    title: "Network ACL opened to the internet",
    category: Category::Vpc,
    severity: Severity::High,
    doc: "**Why it matters.** Network ACLs are the subnet-wide backstop behind security groups; an \
allow entry for the whole internet removes it.\n\n\
**What triggers it.** A new allow entry for `0.0.0.0/0` or `::/0` in an `aws_network_acl` \
ingress/egress block or an `aws_network_acl_rule`.\n\n\
**Example.** `aws_network_acl_rule.open` with `rule_action = \"allow\"` and \
`cidr_block = \"0.0.0.0/0\"` reports `aws_network_acl_rule.open allows inbound traffic from \
0.0.0.0/0 (the internet)`.",
};

pub static GATEWAY_DELETED: Rule = Rule {
    id: "PG-NET-004",
    title: "Internet or NAT gateway deleted",
    category: Category::Vpc,
    severity: Severity::High,
    doc: "**Why it matters.** Deleting an internet gateway cuts the VPC off from the internet; \
deleting a NAT gateway cuts outbound access for every private subnet routed through it.\n\n\
**What triggers it.** Deleting or replacing `aws_internet_gateway`, \
`aws_egress_only_internet_gateway` or `aws_nat_gateway`.\n\n\
**Example.** Removing `aws_nat_gateway.main` reports `aws_nat_gateway.main is deleted: subnets \
routed through it lose outbound internet access`.",
};

pub static FAMILY: Family =
    Family { rules: &[&SETTINGS_CHANGED, &ROUTES_CHANGED, &ACL_OPENED, &GATEWAY_DELETED], check, fallback: false };

fn check(change: &Change, ctx: &Context) -> Vec<Hit> {
    [settings_changed(change, ctx), routes_changed(change, ctx), acl_opened(change, ctx), gateway_deleted(change, ctx)]
        .into_iter()
        .flatten()
        .collect()
}

fn settings_changed(change: &Change, _: &Context) -> Vec<Hit> {
    if !matches!(change.resource_type.as_ref(), "aws_vpc" | "aws_subnet") || change.action != Action::Update {
        return Vec::new();
    }
    let details: Vec<String> = change
        .changed_attributes()
        .iter()
        .filter(|name| !matches!(name.as_str(), "tags" | "tags_all"))
        .filter_map(|name| Transition::of(change, name).map(|t| format!("{name} {}", t.describe())))
        .collect();
    if details.is_empty() {
        return Vec::new();
    }
    vec![Hit::new(
        &SETTINGS_CHANGED,
        format!("{}: settings change: {}", change.display_name(), super::list_names(&details, 4)),
    )]
}

/// A route as "destination via target".
fn route(entry: Attr<'_>) -> Option<(String, String)> {
    let first =
        |names: &[&str]| names.iter().find_map(|n| entry.get(n).as_str().filter(|s| !s.is_empty()).map(str::to_owned));
    let destination = first(&[
        "destination_cidr_block",
        "destination_ipv6_cidr_block",
        "destination_prefix_list_id",
        "cidr_block",
        "ipv6_cidr_block",
    ])?;
    let target = first(&[
        "gateway_id",
        "nat_gateway_id",
        "transit_gateway_id",
        "vpc_peering_connection_id",
        "egress_only_gateway_id",
        "network_interface_id",
        "vpc_endpoint_id",
        "carrier_gateway_id",
        "local_gateway_id",
        "core_network_arn",
    ])
    .unwrap_or_else(|| "a target known after apply".into());
    Some((destination, target))
}

fn describe_route((destination, target): &(String, String)) -> String {
    let default = Cidr::parse(destination).is_some_and(Cidr::is_internet);
    if default && target.starts_with("igw-") {
        format!("{destination} via {target} (a default route to an internet gateway: the subnets become reachable from the internet)")
    } else {
        format!("{destination} via {target}")
    }
}

fn routes(change: &Change, after: bool) -> Vec<(String, String)> {
    let values = change.values();
    let side = if after { values.after() } else { values.before() };
    match change.resource_type.as_ref() {
        "aws_route" => route(side).into_iter().collect(),
        "aws_route_table" | "aws_default_route_table" => side.get("route").elements().filter_map(route).collect(),
        _ => Vec::new(),
    }
}

fn routes_changed(change: &Change, _: &Context) -> Vec<Hit> {
    if !matches!(change.resource_type.as_ref(), "aws_route" | "aws_route_table" | "aws_default_route_table")
        || matches!(change.action, Action::Forget | Action::CreateThenForget)
    {
        return Vec::new();
    }
    let (before, after) = (routes(change, false), routes(change, true));
    let added: Vec<String> = after.iter().filter(|r| !before.contains(r)).map(describe_route).collect();
    let removed: Vec<String> = before.iter().filter(|r| !after.contains(r)).map(describe_route).collect();
    let name = change.display_name();
    let mut parts = Vec::new();
    if !added.is_empty() {
        parts.push(format!("adds route {}", added.join("; ")));
    }
    if !removed.is_empty() {
        parts.push(format!("removes route {}", removed.join("; ")));
    }
    if parts.is_empty() {
        return Vec::new();
    }
    vec![Hit::new(&ROUTES_CHANGED, format!("{name} {}", parts.join(" and ")))]
}

/// Allow entries for the whole internet, as (direction, cidr).
fn open_entries(change: &Change, after: bool) -> Vec<(&'static str, String)> {
    let values = change.values();
    let side = if after { values.after() } else { values.before() };
    let open = |entry: Attr<'_>, action: &str| -> Option<String> {
        let allows = entry.get(action).as_str().is_some_and(|a| a.eq_ignore_ascii_case("allow"));
        let cidr = ["cidr_block", "ipv6_cidr_block"]
            .iter()
            .find_map(|n| entry.get(n).as_str().filter(|c| Cidr::parse(c).is_some_and(Cidr::is_internet)));
        cidr.filter(|_| allows).map(str::to_owned)
    };
    match change.resource_type.as_ref() {
        "aws_network_acl" | "aws_default_network_acl" => {
            let mut entries = Vec::new();
            for (block, direction) in [("ingress", "inbound"), ("egress", "outbound")] {
                entries.extend(side.get(block).elements().filter_map(|e| open(e, "action")).map(|c| (direction, c)));
            }
            entries
        }
        "aws_network_acl_rule" => {
            let direction = if side.get("egress").as_bool() == Some(true) { "outbound" } else { "inbound" };
            open(side, "rule_action").map(|c| (direction, c)).into_iter().collect()
        }
        _ => Vec::new(),
    }
}

fn acl_opened(change: &Change, _: &Context) -> Vec<Hit> {
    let acl =
        matches!(change.resource_type.as_ref(), "aws_network_acl" | "aws_default_network_acl" | "aws_network_acl_rule");
    if !acl || matches!(change.action, Action::Delete | Action::Forget) {
        return Vec::new();
    }
    let before = open_entries(change, false);
    open_entries(change, true)
        .into_iter()
        .filter(|entry| !before.contains(entry))
        .map(|(direction, cidr)| {
            let preposition = if direction == "inbound" { "from" } else { "to" };
            Hit::new(
                &ACL_OPENED,
                format!("{} allows {direction} traffic {preposition} {cidr} (the internet)", change.display_name()),
            )
        })
        .collect()
}

fn gateway_deleted(change: &Change, _: &Context) -> Vec<Hit> {
    if !change.action.destroys() {
        return Vec::new();
    }
    let consequence = match change.resource_type.as_ref() {
        "aws_internet_gateway" | "aws_egress_only_internet_gateway" => "the VPC loses its internet access",
        "aws_nat_gateway" => "subnets routed through it lose outbound internet access",
        _ => return Vec::new(),
    };
    let verb = if change.action.is_replace() { "replaced" } else { "deleted" };
    vec![Hit::new(&GATEWAY_DELETED, format!("{} is {verb}: {consequence}", change.display_name()))]
}

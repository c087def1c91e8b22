//! VPC Changes: VPC settings, subnets, routes, network ACLs and internet/NAT gateways. Replacing a
//! subnet is judged with the deletions, which say which attribute forces it.

use crate::plan::{Action, Attr, Change};
use crate::registry::{Category, ACL_OPENED, GATEWAY_DELETED, ROUTES_CHANGED, SETTINGS_CHANGED};
use crate::rules::model::exposure::{self, describe_cidrs, Exposure};
use crate::rules::model::permissions::{Cidr, Permission, Protocol, Source};
use crate::rules::model::transition::Transition;
use crate::rules::{nothing_else, Context, Family, Hit};

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

pub static FAMILY: Family = Family {
    rules: &[&SETTINGS_CHANGED, &ROUTES_CHANGED, &ACL_OPENED, &GATEWAY_DELETED],
    types: TYPES,
    category: Category::Vpc,
    check,
    fallback: false,
    also_reads: nothing_else,
};

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
        .filter(|name| !matches!(name.as_ref(), "tags" | "tags_all"))
        .filter_map(|name| Transition::of(change, name).map(|t| format!("{name} {}", t.describe())))
        .collect();
    if details.is_empty() {
        return Vec::new();
    }
    vec![Hit::new(
        &SETTINGS_CHANGED,
        format!("{}: settings change: {}", change.display_name(), crate::rules::list_names(&details, 4)),
    )]
}

/// What a route, an ACL entry or a rule names in place of a value known only after apply.
const UNKNOWN_SOURCE: &str = "a source known only after apply";

/// A route as "destination via target". A destination known only after apply is still a route:
/// it is shown as such, never dropped.
fn route(entry: Attr<'_>) -> Option<(String, String)> {
    let first =
        |names: &[&str]| names.iter().find_map(|n| entry.get(n).as_str().filter(|s| !s.is_empty()).map(str::to_owned));
    let destinations = [
        "destination_cidr_block",
        "destination_ipv6_cidr_block",
        "destination_prefix_list_id",
        "cidr_block",
        "ipv6_cidr_block",
    ];
    let destination = first(&destinations).or_else(|| {
        destinations
            .iter()
            .any(|n| entry.get(n).is_unknown())
            .then(|| "a destination known only after apply".to_string())
    })?;
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

/// A new route as "destination via target".
fn describe_route(route: &(String, String)) -> String {
    format!("{} via {}", route.0, new_target(route))
}

/// The target of a new route, saying what a default route to an internet gateway does.
fn new_target((destination, target): &(String, String)) -> String {
    let default = Cidr::parse(destination).is_some_and(Cidr::is_internet);
    if default && target.starts_with("igw-") {
        format!("{target} (a default route to an internet gateway: the subnets become reachable from the internet)")
    } else {
        target.clone()
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
    let added: Vec<&(String, String)> = after.iter().filter(|r| !before.contains(r)).collect();
    let removed: Vec<&(String, String)> = before.iter().filter(|r| !after.contains(r)).collect();
    // A destination both removed and added is a route moved to another target.
    let moved_from = |(destination, _): &&(String, String)| removed.iter().find(|(d, _)| d == destination);
    let moved: Vec<String> = added
        .iter()
        .filter_map(|new| moved_from(new).map(|old| format!("{} from {} to {}", new.0, old.1, new_target(new))))
        .collect();
    let added: Vec<String> = added.iter().filter(|new| moved_from(new).is_none()).map(|r| describe_route(r)).collect();
    let removed: Vec<String> = removed
        .iter()
        .filter(|(destination, _)| !after.iter().any(|(d, _)| d == destination))
        .map(|(destination, target)| format!("{destination} via {target}"))
        .collect();
    let name = change.display_name();
    let mut parts = Vec::new();
    if !moved.is_empty() {
        parts.push(format!("moves route {}", moved.join("; ")));
    }
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
    // An entry whose action or address is known only after apply may be open: it is named so.
    let open = |entry: Attr<'_>, action: &str| -> Option<String> {
        let action = entry.get(action);
        let allows = action.is_unknown() || action.as_str().is_some_and(|a| a.eq_ignore_ascii_case("allow"));
        let addresses = ["cidr_block", "ipv6_cidr_block"].map(|n| entry.get(n));
        let cidr = addresses.iter().find_map(|a| a.as_str().filter(|c| Cidr::parse(c).is_some_and(Cidr::is_internet)));
        let cidr = cidr.or_else(|| addresses.iter().any(|a| a.is_unknown()).then_some(UNKNOWN_SOURCE));
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
    let mut hits: Vec<Hit> = open_entries(change, true)
        .into_iter()
        .filter(|entry| !before.contains(entry))
        .map(|(direction, cidr)| {
            let preposition = if direction == "inbound" { "from" } else { "to" };
            let what = if cidr == UNKNOWN_SOURCE {
                "whether that is the internet cannot be verified before apply"
            } else {
                "the internet"
            };
            Hit::new(
                &ACL_OPENED,
                format!("{} allows {direction} traffic {preposition} {cidr} ({what})", change.display_name()),
            )
        })
        .collect();
    let values = change.values();
    for inbound in [true, false] {
        let before = acl_permissions(&change.resource_type, values.before(), inbound);
        let after = acl_permissions(&change.resource_type, values.after(), inbound);
        for opened in exposure::opened(&before, &after).iter().filter(|e| !e.explained_by_one(&after)) {
            hits.push(Hit::new(&ACL_OPENED, describe_acl_exposure(&change.display_name(), inbound, opened)));
        }
    }
    hits
}

/// "… allows inbound tcp 22 from 0.0.0.0/1, 128.0.0.0/1 (together the internet)".
fn describe_acl_exposure(name: &str, inbound: bool, opened: &Exposure) -> String {
    let (direction, preposition) = if inbound { ("inbound", "from") } else { ("outbound", "to") };
    format!(
        "{name} allows {direction} {} {preposition} {} (together the internet)",
        opened.describe_ports(),
        describe_cidrs(&opened.cidrs)
    )
}

/// The allow entries of one side of an ACL (or ACL rule) in one direction, as permissions from
/// their known CIDRs: what the union of address ranges is judged on. (Entries whose address or
/// action is known only after apply are reported by [`open_entries`].) Deny entries are left out,
/// so a union is never missed because of a deny numbered after it.
pub(crate) fn acl_permissions(resource_type: &str, side: Attr<'_>, inbound: bool) -> Vec<Permission> {
    let (entries, action): (Vec<Attr<'_>>, &str) = match resource_type {
        "aws_network_acl" | "aws_default_network_acl" => {
            (side.get(if inbound { "ingress" } else { "egress" }).elements().collect(), "action")
        }
        "aws_network_acl_rule" if (side.get("egress").as_bool() == Some(true)) != inbound => {
            (vec![side], "rule_action")
        }
        _ => return Vec::new(),
    };
    let mut permissions = Vec::new();
    for entry in entries {
        if !entry.get(action).as_str().is_some_and(|a| a.eq_ignore_ascii_case("allow")) {
            continue;
        }
        let protocol = entry.get("protocol").as_str().map_or(Protocol::All, Protocol::parse);
        let (from_port, to_port) = match protocol {
            Protocol::All => (0, 65535),
            _ => (entry.get("from_port").as_i64().unwrap_or(0), entry.get("to_port").as_i64().unwrap_or(65535)),
        };
        for name in ["cidr_block", "ipv6_cidr_block"] {
            if let Some(cidr) = entry.get(name).as_str().and_then(Cidr::parse) {
                permissions.push(Permission {
                    protocol: protocol.clone(),
                    from_port,
                    to_port,
                    source: Source::Cidr(cidr),
                });
            }
        }
    }
    permissions
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

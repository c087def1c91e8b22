//! Network access: what a change lets in or out, compared as sets of permissions whatever form a
//! provider writes them in (AWS security groups and their rules, Lightsail public ports, Azure
//! network security groups and database firewall rules, Google firewalls and Cloud SQL authorized
//! networks). Only what is added or widened is reported; removing or narrowing a rule is not a risk.

use crate::plan::{Action, Attr, Change};
use crate::registry::{Category, INBOUND_ADDED, INBOUND_FROM_INTERNET, INBOUND_UNVERIFIABLE, OUTBOUND_ADDED};
use crate::rules::model::exposure::{self, describe_cidrs, Exposure};
use crate::rules::model::permissions::{self, added, unknown_list_permissions, Direction, Permission, Source};
use crate::rules::{aws, azure, google, Context, Family, Hit};

/// How one provider writes network permissions.
struct Form {
    /// The types whose permissions it reads.
    types: &'static [&'static str],
    /// The attribute that holds a type's inline rules in `direction`, for types that hold a list
    /// of them (a group); `None` for a type that is one rule, or holds other settings too.
    inline: fn(&str, Direction) -> Option<&'static str>,
    /// The permissions one side grants in `direction`.
    read: fn(&str, Attr<'_>, Direction) -> Vec<Permission>,
}

static FORMS: &[Form] = &[
    Form {
        types: &[
            "aws_security_group",
            "aws_default_security_group",
            "aws_security_group_rule",
            "aws_vpc_security_group_ingress_rule",
            "aws_vpc_security_group_egress_rule",
        ],
        inline: |t, direction| {
            permissions::is_group(t).then_some(if direction == Direction::Ingress { "ingress" } else { "egress" })
        },
        read: permissions::permissions,
    },
    Form { types: aws::lightsail::TYPES, inline: |_, _| None, read: aws::lightsail::permissions },
    Form {
        types: azure::network_security::TYPES,
        inline: azure::network_security::inline,
        read: azure::network_security::permissions,
    },
    Form { types: google::firewall::TYPES, inline: |_, _| None, read: google::firewall::permissions },
];

/// The types filed with security groups; Cloud SQL instances hold other settings and are read too.
const TYPES: &[&str] = &[
    "aws_security_group",
    "aws_default_security_group",
    "aws_security_group_rule",
    "aws_vpc_security_group_ingress_rule",
    "aws_vpc_security_group_egress_rule",
    "aws_lightsail_instance_public_ports",
    "azurerm_network_security_group",
    "azurerm_network_security_rule",
    "azurerm_mssql_firewall_rule",
    "azurerm_sql_firewall_rule",
    "azurerm_postgresql_firewall_rule",
    "azurerm_postgresql_flexible_server_firewall_rule",
    "azurerm_mysql_firewall_rule",
    "azurerm_mysql_flexible_server_firewall_rule",
    "azurerm_mariadb_firewall_rule",
    "azurerm_synapse_firewall_rule",
    "google_compute_firewall",
    "aws_ec2_managed_prefix_list",
    "aws_ec2_managed_prefix_list_entry",
];

/// Managed prefix lists: sources that security group rules (and routes) reference by id, so a
/// CIDR added to one is added to every rule that names it, wherever that rule is.
const PREFIX_LISTS: &[&str] = &["aws_ec2_managed_prefix_list", "aws_ec2_managed_prefix_list_entry"];

/// The form a type is written in. Every change of the plan asks, so the provider's prefix picks
/// the one list to search.
fn form(resource_type: &str) -> Option<&'static Form> {
    let provider = resource_type.split('_').next()?;
    FORMS.iter().find(|f| f.types[0].starts_with(provider) && f.types.contains(&resource_type))
}

/// The permissions one change grants in `direction`, before and after; `None` for deletions and
/// types without permissions. An inline list known only after apply is `Unknown`.
fn side_permissions(change: &Change, form: &Form, direction: Direction) -> Option<(Vec<Permission>, After)> {
    if matches!(change.action, Action::Delete | Action::Forget) {
        return None;
    }
    let inline = (form.inline)(&change.resource_type, direction);
    if inline.is_some_and(|list| !change.attribute_changed(list)) {
        return None;
    }
    let values = change.values();
    let before = (form.read)(&change.resource_type, values.before(), direction);
    // A wholly unknown inline list is what Terraform plans when the configuration sets no inline
    // rules (the list is computed, and separate rule resources are judged on their own).
    if inline.is_some_and(|list| values.after().get(list).is_wholly_unknown()) {
        return Some((before, After::Unknown));
    }
    let after = (form.read)(&change.resource_type, values.after(), direction);
    Some((before, After::Known(after)))
}

enum After {
    Known(Vec<Permission>),
    /// The whole rule list is known only after apply.
    Unknown,
}

/// Permissions added in `direction`, or nothing for deletions and types without permissions.
fn added_permissions(sides: &Option<(Vec<Permission>, After)>) -> Vec<Permission> {
    match sides {
        None => Vec::new(),
        Some((before, After::Unknown)) => unknown_list_permissions(before),
        Some((before, After::Known(after))) => added(before, after),
    }
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
    types: TYPES,
    category: Category::SecurityGroups,
    check,
    fallback: false,
    also_reads: |t| form(t).is_some(),
};

fn check(change: &Change, _: &Context) -> Vec<Hit> {
    if PREFIX_LISTS.contains(&change.resource_type.as_ref()) {
        return prefix_list_opened(change);
    }
    let Some(form) = form(&change.resource_type) else { return Vec::new() };
    let inbound_sides = side_permissions(change, form, Direction::Ingress);
    let inbound = added_permissions(&inbound_sides);
    let outbound = added_permissions(&side_permissions(change, form, Direction::Egress));
    let opened = match &inbound_sides {
        Some((before, After::Known(after))) => exposure::opened(before, after),
        _ => Vec::new(),
    };
    [
        inbound_from_internet(change, &inbound, &opened),
        inbound_added(change, &inbound),
        outbound_added(change, &outbound),
        inbound_unverifiable(change, &inbound),
    ]
    .into_iter()
    .flatten()
    .collect()
}

/// A prefix list whose entries now cover every address of a family (one `0.0.0.0/0`, or pieces):
/// every rule that references it admits the internet. Which rules do is not in the change, so it is
/// reported as widened inbound access, with what it means.
fn prefix_list_opened(change: &Change) -> Vec<Hit> {
    if matches!(change.action, Action::Delete | Action::Forget) {
        return Vec::new();
    }
    let entries = |side: Attr<'_>| -> Vec<Permission> {
        let cidr = |entry: Attr<'_>| entry.get("cidr").as_str().and_then(permissions::Cidr::parse);
        let cidrs: Vec<permissions::Cidr> = if change.resource_type == "aws_ec2_managed_prefix_list" {
            side.get("entry").elements().filter_map(cidr).collect()
        } else {
            cidr(side).into_iter().collect()
        };
        cidrs.into_iter().map(|cidr| permissions::all_traffic(Source::Cidr(cidr))).collect()
    };
    let values = change.values();
    let opened = exposure::opened(&entries(values.before()), &entries(values.after()));
    let Some(internet) = opened.first() else { return Vec::new() };
    vec![Hit::new(
        &INBOUND_ADDED,
        format!(
            "{}: the prefix list now holds {} (the whole internet): every security group rule that references it admits everyone",
            change.display_name(),
            describe_cidrs(&internet.cidrs)
        ),
    )]
}

/// Added permissions from `0.0.0.0/0` or `::/0`, and internet access the change's rules open only
/// together (each rule a piece of the address space).
fn inbound_from_internet(change: &Change, added: &[Permission], opened: &[Exposure]) -> Vec<Hit> {
    let open: Vec<&Permission> = added.iter().filter(|p| p.is_from_internet()).collect();
    let mut hits = Vec::new();
    if !open.is_empty() {
        hits.push(Hit::new(&INBOUND_FROM_INTERNET, describe(change, Direction::Ingress, &open)));
    }
    let pieces: Vec<String> = opened
        .iter()
        .filter(|e| !e.explained_by_one(added) && added.iter().any(|p| e.involves(p)))
        .map(|e| format!("{} from {} (together the internet)", e.describe_ports(), describe_cidrs(&e.cidrs)))
        .collect();
    if !pieces.is_empty() {
        let verb = if change.action == Action::Create { "Adding" } else { "Modifying" };
        hits.push(Hit::new(
            &INBOUND_FROM_INTERNET,
            format!("{verb} inbound rules for {}: {}", change.display_name(), pieces.join("; ")),
        ));
    }
    hits
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

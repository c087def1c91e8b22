//! How `hashicorp/google` (and `google-beta`) writes network permissions: a VPC firewall
//! (`google_compute_firewall`, one rule with a direction) and the networks a Cloud SQL instance with
//! a public IP admits (`settings.ip_configuration.authorized_networks`).

use crate::plan::Attr;
use crate::rules::model::permissions::{
    port_range, strings, unverifiable, Cidr, Direction, Permission, Protocol, Source,
};

pub(crate) const TYPES: &[&str] = &["google_compute_firewall", "google_sql_database_instance"];

/// The permissions one side grants in `direction`.
pub(crate) fn permissions(resource_type: &str, side: Attr<'_>, direction: Direction) -> Vec<Permission> {
    match resource_type {
        "google_compute_firewall" => firewall(side, direction),
        "google_sql_database_instance" if direction == Direction::Ingress => authorized_networks(side),
        _ => Vec::new(),
    }
}

/// A firewall's `allow` blocks, for each of its sources; `deny` blocks and a disabled firewall
/// grant nothing. Unset, `direction` is `INGRESS`; with no source range, tag or service account
/// set, Google admits every address (every destination, outbound), so ranges known only after
/// apply with nothing else named cannot be verified.
fn firewall(side: Attr<'_>, direction: Direction) -> Vec<Permission> {
    if side.get("disabled").as_bool() == Some(true) {
        return Vec::new();
    }
    let wanted = if direction == Direction::Ingress { "INGRESS" } else { "EGRESS" };
    match side.get("direction").as_str() {
        Some(d) if !d.eq_ignore_ascii_case(wanted) => return Vec::new(),
        None if direction == Direction::Egress => return Vec::new(),
        _ => {}
    }
    let allow = side.get("allow");
    if allow.is_sensitive() || allow.is_wholly_unknown() {
        return vec![unverifiable()];
    }
    let Some(sources) = sources(side, direction) else { return vec![unverifiable()] };
    let mut granted = Vec::new();
    for block in allow.elements() {
        let Some(protocol) = block.get("protocol").as_str().map(Protocol::parse) else {
            granted.push(unverifiable());
            continue;
        };
        let ports = block.get("ports");
        if ports.is_unknown() || ports.is_sensitive() {
            granted.push(unverifiable());
            continue;
        }
        let mut ranges: Vec<(i64, i64)> = strings(ports).filter_map(port_range).collect();
        if ranges.is_empty() || protocol == Protocol::All {
            ranges = vec![(0, 65535)];
        }
        for (from_port, to_port) in ranges {
            for source in &sources {
                granted.push(Permission { protocol: protocol.clone(), from_port, to_port, source: source.clone() });
            }
        }
    }
    granted
}

/// The sources (destinations, outbound) a firewall names; `None` when it cannot be told.
fn sources(side: Attr<'_>, direction: Direction) -> Option<Vec<Source>> {
    let (ranges, named): (&str, &[(&str, &str)]) = match direction {
        Direction::Ingress => {
            ("source_ranges", &[("source_tags", "network tag"), ("source_service_accounts", "service account")])
        }
        Direction::Egress => ("destination_ranges", &[]),
    };
    let mut sources: Vec<Source> = Vec::new();
    for (name, what) in named {
        sources.extend(strings(side.get(name)).map(|n| Source::Named(format!("{what} {n}"))));
    }
    let range_attr = side.get(ranges);
    if range_attr.is_sensitive() {
        return None;
    }
    if range_attr.is_unknown() {
        // Computed when unset: then the named sources are all there is, or nothing was named.
        return if sources.is_empty() { None } else { Some(sources) };
    }
    let listed: Vec<&str> = strings(range_attr).collect();
    if listed.is_empty() && sources.is_empty() {
        return Some(vec![Source::Cidr(Cidr::internet(false))]);
    }
    sources.extend(listed.into_iter().map(|text| Cidr::parse(text).map_or(Source::Unverifiable, Source::Cidr)));
    Some(sources)
}

/// The networks a Cloud SQL instance admits to its database port, when it has a public IP
/// (`ipv4_enabled` not false).
fn authorized_networks(side: Attr<'_>) -> Vec<Permission> {
    let Some(ip) = side.get("settings").at(0).get("ip_configuration").elements().next() else { return Vec::new() };
    if ip.get("ipv4_enabled").as_bool() == Some(false) {
        return Vec::new();
    }
    let version = side.get("database_version").as_str().unwrap_or_default();
    let (from_port, to_port) = match version.split('_').next().unwrap_or_default() {
        "POSTGRES" => (5432, 5432),
        "MYSQL" => (3306, 3306),
        "SQLSERVER" => (1433, 1433),
        _ => (0, 65535),
    };
    let networks = ip.get("authorized_networks");
    if networks.is_sensitive() {
        return vec![unverifiable()];
    }
    networks
        .elements()
        .map(|network| {
            let value = network.get("value");
            let source = match value.as_str().and_then(Cidr::parse) {
                Some(cidr) => Source::Cidr(cidr),
                None => Source::Unverifiable,
            };
            Permission { protocol: Protocol::Named("tcp".into()), from_port, to_port, source }
        })
        .collect()
}

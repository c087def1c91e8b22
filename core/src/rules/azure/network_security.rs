//! How `hashicorp/azurerm` writes network permissions: security rules of a network security group
//! (inline `security_rule` blocks or `azurerm_network_security_rule`), and the firewall rules of
//! Azure SQL, PostgreSQL, MySQL, MariaDB, Synapse and Redis, which admit an address range to a
//! database or cache.

use std::net::Ipv4Addr;

use crate::plan::Attr;
use crate::rules::model::permissions::{
    port_range, strings, unverifiable, Cidr, Direction, Permission, Protocol, Source,
};

/// Database and cache firewall rules, the port their service listens on, and the attributes holding
/// the first and last address admitted.
const FIREWALL_RULES: &[(&str, i64, [&str; 2])] = &[
    ("azurerm_mssql_firewall_rule", 1433, ADDRESSES),
    ("azurerm_sql_firewall_rule", 1433, ADDRESSES),
    ("azurerm_synapse_firewall_rule", 1433, ADDRESSES),
    ("azurerm_postgresql_firewall_rule", 5432, ADDRESSES),
    ("azurerm_postgresql_flexible_server_firewall_rule", 5432, ADDRESSES),
    ("azurerm_mysql_firewall_rule", 3306, ADDRESSES),
    ("azurerm_mysql_flexible_server_firewall_rule", 3306, ADDRESSES),
    ("azurerm_mariadb_firewall_rule", 3306, ADDRESSES),
    // Azure Cache for Redis: 6380 is its TLS port (6379 only where the plain one is enabled).
    ("azurerm_redis_firewall_rule", 6380, ["start_ip", "end_ip"]),
];
const ADDRESSES: [&str; 2] = ["start_ip_address", "end_ip_address"];

pub(crate) const TYPES: &[&str] = &[
    "azurerm_network_security_group",
    "azurerm_network_security_rule",
    "azurerm_mssql_firewall_rule",
    "azurerm_sql_firewall_rule",
    "azurerm_synapse_firewall_rule",
    "azurerm_postgresql_firewall_rule",
    "azurerm_postgresql_flexible_server_firewall_rule",
    "azurerm_mysql_firewall_rule",
    "azurerm_mysql_flexible_server_firewall_rule",
    "azurerm_mariadb_firewall_rule",
    "azurerm_redis_firewall_rule",
];

/// A network security group holds its rules of both directions in `security_rule`.
pub(crate) fn inline(resource_type: &str, _: Direction) -> Option<&'static str> {
    (resource_type == "azurerm_network_security_group").then_some("security_rule")
}

/// The permissions one side grants in `direction`.
pub(crate) fn permissions(resource_type: &str, side: Attr<'_>, direction: Direction) -> Vec<Permission> {
    match resource_type {
        "azurerm_network_security_group" => {
            let rules = side.get("security_rule");
            if rules.is_sensitive() {
                return vec![unverifiable()];
            }
            rules.elements().flat_map(|rule| security_rule(rule, direction)).collect()
        }
        "azurerm_network_security_rule" => security_rule(side, direction),
        t => match FIREWALL_RULES.iter().find(|(name, ..)| *name == t) {
            Some((_, port, addresses)) if direction == Direction::Ingress => firewall_rule(side, *port, *addresses),
            _ => Vec::new(),
        },
    }
}

/// One security rule: an `Allow` in `direction` grants each of its ports to each of its sources
/// (destinations, outbound); a `Deny` grants nothing. A field known only after apply makes the rule
/// unverifiable.
fn security_rule(rule: Attr<'_>, direction: Direction) -> Vec<Permission> {
    let wanted = if direction == Direction::Ingress { "Inbound" } else { "Outbound" };
    let direction_attr = rule.get("direction");
    match direction_attr.as_str() {
        Some(d) if d.eq_ignore_ascii_case(wanted) => {}
        Some(_) => return Vec::new(),
        None if direction_attr.is_unknown() || direction_attr.is_sensitive() => return vec![unverifiable()],
        None => return Vec::new(),
    }
    let access = rule.get("access");
    match access.as_str() {
        Some(a) if a.eq_ignore_ascii_case("Allow") => {}
        Some(_) => return Vec::new(),
        None if access.is_unknown() || access.is_sensitive() => return vec![unverifiable()],
        None => return Vec::new(),
    }
    let protocol = rule.get("protocol");
    let Some(protocol) = protocol.as_str() else {
        return if protocol.is_unknown() || protocol.is_sensitive() { vec![unverifiable()] } else { Vec::new() };
    };
    let Some(ports) = port_ranges(rule) else { return vec![unverifiable()] };
    let side = if direction == Direction::Ingress { "source" } else { "destination" };
    let Some(sources) = sources(rule, side) else { return vec![unverifiable()] };

    // `*` is every protocol: on every port, all traffic; on named ports, TCP and UDP on them.
    let every_port = ports.iter().any(|&(from, to)| from == 0 && to == 65535);
    let protocols: Vec<Protocol> = match protocol {
        "*" if every_port => vec![Protocol::All],
        "*" => vec![Protocol::Named("tcp".into()), Protocol::Named("udp".into())],
        p => vec![Protocol::parse(p)],
    };
    let mut granted = Vec::new();
    for protocol in &protocols {
        for &(from_port, to_port) in &ports {
            let (from_port, to_port) = if *protocol == Protocol::All { (0, 65535) } else { (from_port, to_port) };
            for source in &sources {
                granted.push(Permission { protocol: protocol.clone(), from_port, to_port, source: source.clone() });
            }
        }
    }
    granted
}

/// The destination ports (`destination_port_range` and `destination_port_ranges`: `*`, `22`,
/// `1000-2000`); `None` when any is known only after apply or unreadable.
fn port_ranges(rule: Attr<'_>) -> Option<Vec<(i64, i64)>> {
    let mut ranges = Vec::new();
    for name in ["destination_port_range", "destination_port_ranges"] {
        let attr = rule.get(name);
        if attr.is_unknown() || attr.is_sensitive() {
            return None;
        }
        for text in strings(attr) {
            ranges.push(port_range(text)?);
        }
    }
    Some(ranges)
}

/// The addresses one side of a rule names (`source_address_prefix(es)` and application security
/// groups): `*`, `Internet` and `Any` are the internet, a CIDR or address is itself, anything else
/// is a service tag. `None` when any is known only after apply or unreadable.
fn sources(rule: Attr<'_>, side: &str) -> Option<Vec<Source>> {
    let mut sources = Vec::new();
    for name in [format!("{side}_address_prefix"), format!("{side}_address_prefixes")] {
        let attr = rule.get(&name);
        if attr.is_unknown() || attr.is_sensitive() {
            return None;
        }
        for text in strings(attr) {
            sources.push(address_prefix(text));
        }
    }
    let groups = rule.get(&format!("{side}_application_security_group_ids"));
    if groups.is_unknown() && sources.is_empty() {
        return None;
    }
    sources.extend(strings(groups).map(|id| Source::Named(format!("application security group {id}"))));
    Some(sources)
}

fn address_prefix(text: &str) -> Source {
    let text = text.trim();
    if ["*", "Internet", "Any"].iter().any(|internet| text.eq_ignore_ascii_case(internet)) {
        return Source::Cidr(Cidr::internet(false));
    }
    Cidr::parse(text).map_or_else(|| Source::Named(format!("service tag {text}")), Source::Cidr)
}

/// A firewall rule admits its first to its last address (`start_ip_address` to `end_ip_address`)
/// on the service's port; `0.0.0.0` to `0.0.0.0` is Azure's switch for "every Azure service" (any
/// tenant's).
fn firewall_rule(rule: Attr<'_>, port: i64, [first, last]: [&str; 2]) -> Vec<Permission> {
    let tcp = |source| Permission { protocol: Protocol::Named("tcp".into()), from_port: port, to_port: port, source };
    let address = |name: &str| rule.get(name).as_str().and_then(|a| a.trim().parse::<Ipv4Addr>().ok());
    let (Some(start), Some(end)) = (address(first), address(last)) else {
        let unreadable = [first, last].iter().any(|n| rule.get(n).is_present());
        return if unreadable { vec![tcp(Source::Unverifiable)] } else { Vec::new() };
    };
    if start.is_unspecified() && end.is_unspecified() {
        return vec![tcp(Source::Named("every Azure service, of any tenant (0.0.0.0-0.0.0.0)".into()))];
    }
    Cidr::covering(start, end).into_iter().map(|cidr| tcp(Source::Cidr(cidr))).collect()
}

//! How Lightsail writes network permissions: an instance's public ports
//! (`aws_lightsail_instance_public_ports`), each port range with the addresses it admits. The
//! resource holds every port of the instance, so what it adds is read against what it held.

use crate::plan::Attr;
use crate::rules::model::permissions::{strings, unverifiable, Cidr, Direction, Permission, Protocol, Source};

pub(crate) const TYPES: &[&str] = &["aws_lightsail_instance_public_ports"];

/// The inbound permissions of one side's `port_info` blocks (Lightsail has no outbound rules).
pub(crate) fn permissions(_: &str, side: Attr<'_>, direction: Direction) -> Vec<Permission> {
    let ports = side.get("port_info");
    if direction == Direction::Egress {
        return Vec::new();
    }
    if ports.is_sensitive() || ports.is_wholly_unknown() {
        return vec![unverifiable()];
    }
    ports.elements().flat_map(port_info).collect()
}

/// One port range: from its IPv4 and IPv6 ranges and its aliases (`lightsail-connect`, the
/// browser SSH client). Ranges known only after apply cannot be verified.
fn port_info(block: Attr<'_>) -> Vec<Permission> {
    let protocol = match block.get("protocol").as_str() {
        Some(p) => Protocol::parse(p),
        None => return vec![unverifiable()],
    };
    let (from_port, to_port) = match (&protocol, block.get("from_port").as_i64(), block.get("to_port").as_i64()) {
        (Protocol::All, _, _) => (0, 65535),
        (_, Some(from), Some(to)) => (from, to),
        _ => return vec![unverifiable()],
    };
    let mut sources = Vec::new();
    for name in ["cidrs", "ipv6_cidrs"] {
        let cidrs = block.get(name);
        if cidrs.is_unknown() || cidrs.is_sensitive() {
            sources.push(Source::Unverifiable);
        }
        sources.extend(strings(cidrs).map(|text| Cidr::parse(text).map_or(Source::Unverifiable, Source::Cidr)));
    }
    sources.extend(strings(block.get("cidr_list_aliases")).map(|alias| Source::Named(format!("alias {alias}"))));
    sources.dedup();
    sources.into_iter().map(|source| Permission { protocol: protocol.clone(), from_port, to_port, source }).collect()
}

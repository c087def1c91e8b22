//! Network permissions as sets of (protocol, port range, source), and how the three AWS forms write
//! them: inline `ingress`/`egress` blocks of `aws_security_group`, `aws_security_group_rule`, and
//! `aws_vpc_security_group_ingress_rule`/`_egress_rule` (other providers' forms are read in their
//! folders). Comparing sets, with CIDR containment, tells added or widened access from removed or
//! narrowed access.

use std::fmt;
use std::net::IpAddr;

use crate::plan::Attr;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    Ingress,
    Egress,
}

/// One allowed flow.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Permission {
    pub protocol: Protocol,
    pub from_port: i64,
    pub to_port: i64,
    pub source: Source,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Protocol {
    All,
    Named(String),
}

impl Protocol {
    /// A protocol as AWS accepts it: a name or an IANA number, `-1` or `all` for every protocol.
    pub fn parse(text: &str) -> Protocol {
        let p = text.trim().to_ascii_lowercase();
        match p.as_str() {
            "-1" | "all" => Protocol::All,
            "6" => Protocol::Named("tcp".into()),
            "17" => Protocol::Named("udp".into()),
            "1" => Protocol::Named("icmp".into()),
            "58" => Protocol::Named("icmpv6".into()),
            _ => Protocol::Named(p),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    Cidr(Cidr),
    PrefixList(String),
    SecurityGroup(String),
    /// A source another provider names rather than numbers, as messages show it: "service tag
    /// VirtualNetwork", "network tag web".
    Named(String),
    Itself,
    /// Known only after apply, or marked sensitive: cannot be judged from the plan.
    Unverifiable,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Cidr {
    address: IpAddr,
    prefix: u8,
}

impl Cidr {
    pub fn parse(text: &str) -> Option<Cidr> {
        let (address, prefix) = text.split_once('/').unwrap_or((text, ""));
        let address: IpAddr = address.trim().parse().ok()?;
        let max = if address.is_ipv4() { 32 } else { 128 };
        let prefix = if prefix.is_empty() { max } else { prefix.trim().parse().ok().filter(|p| *p <= max)? };
        Some(Cidr { address, prefix })
    }

    /// The fewest CIDRs that cover the IPv4 addresses `first` to `last` exactly (a firewall rule's
    /// start and end address); empty when `first` comes after `last`.
    pub fn covering(first: std::net::Ipv4Addr, last: std::net::Ipv4Addr) -> Vec<Cidr> {
        let (mut next, last) = (u64::from(u32::from(first)), u64::from(u32::from(last)));
        let mut cidrs = Vec::new();
        while next <= last {
            // The largest block that starts at `next` (aligned) and ends by `last`.
            let mut size = if next == 0 { 1u64 << 32 } else { 1u64 << next.trailing_zeros().min(32) };
            while next + size - 1 > last {
                size >>= 1;
            }
            let prefix = 32 - size.trailing_zeros() as u8;
            let address = std::net::Ipv4Addr::from(u32::try_from(next).unwrap_or(u32::MAX));
            cidrs.push(Cidr { address: IpAddr::V4(address), prefix });
            next += size;
        }
        cidrs
    }

    /// `0.0.0.0/0` or `::/0`.
    pub fn is_internet(self) -> bool {
        self.prefix == 0
    }

    /// `::/0` or `0.0.0.0/0`.
    pub fn internet(ipv6: bool) -> Cidr {
        let address = if ipv6 { IpAddr::from([0u16; 8]) } else { IpAddr::from([0u8; 4]) };
        Cidr { address, prefix: 0 }
    }

    pub fn is_ipv6(self) -> bool {
        self.address.is_ipv6()
    }

    /// The first and last address, as numbers.
    pub fn range(self) -> (u128, u128) {
        let (bits, width) = match self.address {
            IpAddr::V4(a) => (u128::from(u32::from(a)), 32),
            IpAddr::V6(a) => (u128::from(a), 128),
        };
        let host_bits = width - u32::from(self.prefix);
        let hosts = if host_bits == 128 { u128::MAX } else { (1u128 << host_bits) - 1 };
        (bits & !hosts, (bits & !hosts) | hosts)
    }

    /// Whether every address of `other` is in `self`.
    pub fn contains(self, other: Cidr) -> bool {
        if self.prefix > other.prefix {
            return false;
        }
        let masked =
            |bits: u128, width: u32| if self.prefix == 0 { 0 } else { bits >> (width - u32::from(self.prefix)) };
        match (self.address, other.address) {
            (IpAddr::V4(a), IpAddr::V4(b)) => masked(u32::from(a).into(), 32) == masked(u32::from(b).into(), 32),
            (IpAddr::V6(a), IpAddr::V6(b)) => masked(u128::from(a), 128) == masked(u128::from(b), 128),
            _ => false,
        }
    }
}

impl fmt::Display for Cidr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.address, self.prefix)
    }
}

impl Permission {
    /// Whether `self` admits everything `other` admits.
    pub fn covers(&self, other: &Permission) -> bool {
        let source = match (&self.source, &other.source) {
            (Source::Unverifiable, _) | (_, Source::Unverifiable) => false,
            (Source::Cidr(a), Source::Cidr(b)) => a.contains(*b),
            (a, b) => a == b,
        };
        self.covers_ports(other) && source
    }

    /// Whether `self`'s protocol and ports include `other`'s, whatever the sources.
    pub fn covers_ports(&self, other: &Permission) -> bool {
        self.protocol == Protocol::All
            || (self.protocol == other.protocol && self.from_port <= other.from_port && self.to_port >= other.to_port)
    }

    pub fn is_from_internet(&self) -> bool {
        matches!(self.source, Source::Cidr(cidr) if cidr.is_internet())
    }

    /// "tcp 443", "tcp 8080-8090", "all traffic", without the source.
    pub fn describe_ports(&self) -> String {
        match &self.protocol {
            Protocol::All => "all traffic".into(),
            Protocol::Named(name) if self.from_port == 0 && self.to_port == 65535 || self.from_port < 0 => {
                format!("{name} all ports")
            }
            Protocol::Named(name) if self.from_port == self.to_port => format!("{name} {}", self.from_port),
            Protocol::Named(name) => format!("{name} {}-{}", self.from_port, self.to_port),
        }
    }

    pub fn describe_source(&self) -> String {
        match &self.source {
            Source::Cidr(cidr) if cidr.is_internet() => format!("{cidr} (the internet)"),
            Source::Cidr(cidr) => cidr.to_string(),
            Source::PrefixList(id) => format!("prefix list {id}"),
            Source::SecurityGroup(id) => format!("security group {id}"),
            Source::Named(name) => name.clone(),
            Source::Itself => "the group itself".into(),
            Source::Unverifiable => "a source known only after apply".into(),
        }
    }
}

/// The permissions one side of a change grants in `direction`; empty for types that grant none.
///
/// A wholly unknown `ingress`/`egress` list is what Terraform plans when the configuration sets no
/// inline rules (the list is computed, and separate rule resources are judged on their own), so it
/// grants nothing here; `added` treats it as unverifiable where the old state had rules.
pub fn permissions(resource_type: &str, side: Attr<'_>, direction: Direction) -> Vec<Permission> {
    let (block_list, rule_type, vpc_rule_type) = match direction {
        Direction::Ingress => ("ingress", "ingress", "aws_vpc_security_group_ingress_rule"),
        Direction::Egress => ("egress", "egress", "aws_vpc_security_group_egress_rule"),
    };
    match resource_type {
        t if is_group(t) => {
            let blocks = side.get(block_list);
            if blocks.is_sensitive() {
                return vec![unverifiable()];
            }
            blocks.elements().flat_map(from_block).collect()
        }
        "aws_security_group_rule" if side.get("type").as_str() == Some(rule_type) => from_block(side),
        t if t == vpc_rule_type => from_block(side),
        _ => Vec::new(),
    }
}

/// A security group with inline rules: any group, or a VPC's default group (which Terraform
/// adopts rather than creates, with the same `ingress` and `egress` blocks).
pub fn is_group(resource_type: &str) -> bool {
    matches!(resource_type, "aws_security_group" | "aws_default_security_group")
}

/// A permission whose protocol or source cannot be read: all traffic from an unknown source.
pub fn unverifiable() -> Permission {
    all_traffic(Source::Unverifiable)
}

/// Every protocol and port from `source`: what an address range admits where only addresses are
/// named (a prefix list's entries, a cluster's authorized networks).
pub fn all_traffic(source: Source) -> Permission {
    Permission { protocol: Protocol::All, from_port: 0, to_port: 65535, source }
}

/// The permissions of one rule block, in any of the three forms' attribute names.
fn from_block(block: Attr<'_>) -> Vec<Permission> {
    let protocol_attr =
        if block.get("ip_protocol").is_present() { block.get("ip_protocol") } else { block.get("protocol") };
    let protocol = match protocol_attr.as_str() {
        None if protocol_attr.is_unknown() || protocol_attr.is_sensitive() => return vec![unverifiable()],
        None => Protocol::All,
        Some(p) => Protocol::parse(p),
    };
    let port = |name: &str, default: i64| block.get(name).as_i64().unwrap_or(default);
    let (from_port, to_port) = match protocol {
        Protocol::All => (0, 65535),
        _ => (port("from_port", 0), port("to_port", 65535)),
    };

    let mut sources = Vec::new();
    let mut unverifiable_cidr = false;
    for name in ["cidr_blocks", "ipv6_cidr_blocks", "cidr_ipv4", "cidr_ipv6"] {
        let attr = block.get(name);
        if attr.is_unknown() || attr.is_sensitive() {
            unverifiable_cidr = true;
        }
        for text in strings(attr) {
            sources.push(Cidr::parse(text).map_or(Source::Unverifiable, Source::Cidr));
        }
    }
    for name in ["prefix_list_ids", "prefix_list_id"] {
        sources.extend(strings(block.get(name)).map(|id| Source::PrefixList(id.to_string())));
    }
    let mut unknown_group = false;
    for name in ["security_groups", "source_security_group_id", "referenced_security_group_id"] {
        let attr = block.get(name);
        unknown_group |= attr.is_unknown();
        sources.extend(strings(attr).map(|id| Source::SecurityGroup(id.to_string())));
    }
    if block.get("self").as_bool() == Some(true) {
        sources.push(Source::Itself);
    }
    // A computed group id is unknown on every new rule that names CIDRs instead: only a rule with
    // no known source at all is unverifiable because of it.
    if unverifiable_cidr || (sources.is_empty() && unknown_group) {
        sources.push(Source::Unverifiable);
    }
    sources.into_iter().map(|source| Permission { protocol: protocol.clone(), from_port, to_port, source }).collect()
}

/// A port range as providers write it in rules: `22`, `1000-2000`, or `*` for every port.
pub fn port_range(text: &str) -> Option<(i64, i64)> {
    let text = text.trim();
    if text == "*" {
        return Some((0, 65535));
    }
    let (from, to) = text.split_once('-').unwrap_or((text, text));
    Some((from.trim().parse().ok()?, to.trim().parse().ok()?))
}

/// The known strings of an attribute that is a string or a list of strings.
pub fn strings<'v>(attr: Attr<'v>) -> impl Iterator<Item = &'v str> {
    let single = attr.as_str().filter(|s| !s.is_empty());
    let list = attr.elements().filter_map(Attr::as_str);
    single.into_iter().chain(list)
}

/// Whether a side's whole rule list is unknown until apply. A list with unknown values inside
/// some of its rules is not: those rules are read one by one, and each unknown field makes its
/// rule unverifiable.
pub fn list_unknown(resource_type: &str, side: Attr<'_>, direction: Direction) -> bool {
    let list = if direction == Direction::Ingress { "ingress" } else { "egress" };
    is_group(resource_type) && side.get(list).is_wholly_unknown()
}

/// What `after` adds to `before` when `after`'s whole list is unknown: nothing if there were no
/// rules (a computed list), else an unverifiable permission (known rules became unknown).
pub fn unknown_list_permissions(before: &[Permission]) -> Vec<Permission> {
    if before.is_empty() {
        Vec::new()
    } else {
        vec![unverifiable()]
    }
}

/// The permissions of `after` that no permission of `before` covers: what was added or widened.
pub fn added(before: &[Permission], after: &[Permission]) -> Vec<Permission> {
    crate::rules::not_covered(before, after, Permission::covers)
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// A permission of `protocol` (or `all`) on ports `from` to `to` from `cidr`.
    pub(crate) fn permission(protocol: &str, from: i64, to: i64, cidr: &str) -> Permission {
        Permission {
            protocol: if protocol == "all" { Protocol::All } else { Protocol::Named(protocol.into()) },
            from_port: from,
            to_port: to,
            source: Source::Cidr(Cidr::parse(cidr).unwrap()),
        }
    }

    #[test]
    fn cidr_containment() {
        let c = |s| Cidr::parse(s).unwrap();
        assert!(c("10.0.0.0/8").contains(c("10.1.0.0/16")));
        assert!(!c("10.1.0.0/16").contains(c("10.0.0.0/8")));
        assert!(c("0.0.0.0/0").contains(c("192.168.1.1/32")));
        assert!(!c("0.0.0.0/0").contains(c("::/0")));
        assert!(c("2001:db8::/32").contains(c("2001:db8:1::/48")));
        assert!(c("::/0").is_internet() && !c("10.0.0.0/8").is_internet());
        assert_eq!(Cidr::parse("10.0.0.1"), Cidr::parse("10.0.0.1/32"));
        assert!(Cidr::parse("10.0.0.0/33").is_none() && Cidr::parse("nope").is_none());
        assert_eq!(c("10.1.2.3/8").range(), (0x0a00_0000, 0x0aff_ffff));
        assert_eq!(c("::/0").range(), (0, u128::MAX));
        assert_eq!(c("0.0.0.0/0").range(), (0, 0xffff_ffff));
    }

    #[test]
    fn address_ranges_become_the_fewest_cidrs() {
        let covering = |a: &str, b: &str| -> Vec<String> {
            Cidr::covering(a.parse().unwrap(), b.parse().unwrap()).iter().map(ToString::to_string).collect()
        };
        assert_eq!(covering("0.0.0.0", "255.255.255.255"), ["0.0.0.0/0"]);
        assert_eq!(covering("0.0.0.0", "0.0.0.0"), ["0.0.0.0/32"]);
        assert_eq!(covering("10.0.0.0", "10.0.0.255"), ["10.0.0.0/24"]);
        assert_eq!(covering("10.0.0.1", "10.0.0.6"), ["10.0.0.1/32", "10.0.0.2/31", "10.0.0.4/31", "10.0.0.6/32"]);
        assert_eq!(covering("1.0.0.0", "255.255.255.255").len(), 8);
        assert!(covering("10.0.0.2", "10.0.0.1").is_empty());
    }

    #[test]
    fn narrowing_and_removal_add_nothing_widening_does() {
        let before = [permission("tcp", 443, 443, "10.0.0.0/8"), permission("tcp", 8000, 9000, "10.0.0.0/8")];
        assert!(added(&before, &[permission("tcp", 443, 443, "10.1.0.0/16")]).is_empty());
        assert!(added(&before, &[permission("tcp", 8080, 8090, "10.0.0.0/8")]).is_empty());
        assert!(added(&before, &[]).is_empty());
        assert_eq!(added(&before, &[permission("tcp", 443, 443, "0.0.0.0/0")]).len(), 1);
        assert_eq!(added(&before, &[permission("tcp", 7000, 9000, "10.0.0.0/8")]).len(), 1);
        assert_eq!(added(&before, &[permission("all", 0, 65535, "10.0.0.0/8")]).len(), 1);
        assert!(
            added(&[permission("all", 0, 65535, "0.0.0.0/0")], &[permission("udp", 53, 53, "1.2.3.4/32")]).is_empty()
        );
    }
}

//! Whether permissions together admit the whole internet. CIDRs that are each narrower than `/0`
//! can still cover every address between them (`0.0.0.0/1` with `128.0.0.0/1`, four `/2`s, the
//! same in IPv6), so the question is asked of their union, per protocol and port range: SSH opened
//! to the world in pieces is found like SSH opened to `0.0.0.0/0`.

use crate::rules::model::permissions::{all_traffic, Cidr, Permission, Protocol, Source};

/// A protocol and port range that every address of one IP family can reach, and the CIDRs that
/// together make it so.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Exposure {
    pub protocol: Protocol,
    pub from_port: i64,
    pub to_port: i64,
    pub ipv6: bool,
    pub cidrs: Vec<Cidr>,
}

impl Exposure {
    /// "tcp 22", "all traffic", as [`Permission::describe_ports`] says it.
    pub fn describe_ports(&self) -> String {
        self.as_permission().describe_ports()
    }

    fn as_permission(&self) -> Permission {
        Permission {
            protocol: self.protocol.clone(),
            from_port: self.from_port,
            to_port: self.to_port,
            source: Source::Cidr(Cidr::internet(self.ipv6)),
        }
    }

    /// Whether `self` admits at least everything `other` admits.
    pub fn covers(&self, other: &Exposure) -> bool {
        self.ipv6 == other.ipv6 && self.as_permission().covers_ports(&other.as_permission())
    }

    /// Whether the permission lets some of this exposure's traffic through (so it is one of the
    /// pieces that make it).
    pub fn involves(&self, permission: &Permission) -> bool {
        let Source::Cidr(cidr) = permission.source else { return false };
        cidr.is_ipv6() == self.ipv6
            && protocols_meet(&permission.protocol, &self.protocol)
            && permission.from_port <= self.to_port
            && permission.to_port >= self.from_port
    }

    /// Whether one of `permissions` alone admits the whole of this exposure from the internet.
    pub fn explained_by_one(&self, permissions: &[Permission]) -> bool {
        permissions.iter().any(|p| p.is_from_internet() && p.covers(&self.as_permission()))
    }
}

fn protocols_meet(a: &Protocol, b: &Protocol) -> bool {
    *a == Protocol::All || *b == Protocol::All || a == b
}

/// Every maximal (protocol, port range, family) that the CIDR sources of `permissions` together
/// open to all addresses.
pub fn exposures(permissions: &[Permission]) -> Vec<Exposure> {
    let cidr_permissions: Vec<(&Permission, Cidr)> = permissions
        .iter()
        .filter_map(|p| match p.source {
            Source::Cidr(cidr) => Some((p, cidr)),
            _ => None,
        })
        .collect();
    let mut protocols: Vec<&Protocol> = Vec::new();
    for (p, _) in &cidr_permissions {
        if !protocols.contains(&&p.protocol) {
            protocols.push(&p.protocol);
        }
    }
    let mut found: Vec<Exposure> = Vec::new();
    for protocol in protocols {
        // "All traffic" is judged on the all-traffic permissions alone; a named protocol also on
        // the all-traffic ones, which include it.
        let relevant: Vec<&(&Permission, Cidr)> = cidr_permissions
            .iter()
            .filter(|(p, _)| p.protocol == Protocol::All || (*protocol != Protocol::All && p.protocol == *protocol))
            .collect();
        let mut bounds: Vec<i64> =
            relevant.iter().flat_map(|(p, _)| [p.from_port, p.to_port.saturating_add(1)]).collect();
        bounds.sort_unstable();
        bounds.dedup();
        for window in bounds.windows(2) {
            let (from, to) = (window[0], window[1] - 1);
            for ipv6 in [false, true] {
                let mut cidrs: Vec<Cidr> = relevant
                    .iter()
                    .filter(|(p, cidr)| cidr.is_ipv6() == ipv6 && p.from_port <= from && p.to_port >= to)
                    .map(|(_, cidr)| *cidr)
                    .collect();
                cidrs.sort_unstable();
                cidrs.dedup();
                if !union_is_everything(&cidrs, ipv6) {
                    continue;
                }
                match found.last_mut() {
                    Some(last) if last.protocol == *protocol && last.ipv6 == ipv6 && last.to_port + 1 == from => {
                        last.to_port = to;
                        last.cidrs.extend(cidrs);
                        last.cidrs.sort_unstable();
                        last.cidrs.dedup();
                    }
                    _ => found.push(Exposure { protocol: protocol.clone(), from_port: from, to_port: to, ipv6, cidrs }),
                }
            }
        }
    }
    found
}

/// The exposures of `after` that no exposure of `before` already had: internet access a change
/// opens.
pub fn opened(before: &[Permission], after: &[Permission]) -> Vec<Exposure> {
    let before = exposures(before);
    exposures(after).into_iter().filter(|e| !before.iter().any(|old| old.covers(e))).collect()
}

/// Whether the CIDRs of one family together cover every address of it.
fn union_is_everything(cidrs: &[Cidr], ipv6: bool) -> bool {
    let mut ranges: Vec<(u128, u128)> = cidrs.iter().filter(|c| c.is_ipv6() == ipv6).map(|c| c.range()).collect();
    ranges.sort_unstable();
    let last = if ipv6 { u128::MAX } else { u128::from(u32::MAX) };
    // `next` is the first address not yet covered.
    let mut next: u128 = 0;
    for (start, end) in ranges {
        if start > next {
            return false;
        }
        if end >= last {
            return true;
        }
        next = next.max(end + 1);
    }
    false
}

/// Whether address ranges written as text (a cluster's authorized networks) together are every
/// address of one family: `0.0.0.0/0`, or pieces adding up to it. Text that is no CIDR is skipped.
pub fn covers_internet<'t>(ranges: impl IntoIterator<Item = &'t str>) -> bool {
    let whole = |text: &str| all_traffic(Cidr::parse(text.trim()).map_or(Source::Unverifiable, Source::Cidr));
    !exposures(&ranges.into_iter().map(whole).collect::<Vec<_>>()).is_empty()
}

/// "0.0.0.0/1, 128.0.0.0/1" (at most six, then a count).
pub fn describe_cidrs(cidrs: &[Cidr]) -> String {
    const SHOWN: usize = 6;
    let shown: Vec<String> = cidrs.iter().take(SHOWN).map(ToString::to_string).collect();
    let more = cidrs.len().saturating_sub(SHOWN);
    if more > 0 {
        format!("{} and {more} more", shown.join(", "))
    } else {
        shown.join(", ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::model::permissions::tests::permission;

    #[test]
    fn halves_quarters_and_ipv6_pieces_are_the_internet() {
        let halves = [permission("tcp", 22, 22, "0.0.0.0/1"), permission("tcp", 22, 22, "128.0.0.0/1")];
        let found = exposures(&halves);
        assert_eq!(found.len(), 1);
        assert_eq!((found[0].describe_ports(), found[0].ipv6, found[0].cidrs.len()), ("tcp 22".into(), false, 2));
        let quarters: Vec<_> =
            ["0.0.0.0/2", "64.0.0.0/2", "128.0.0.0/2", "192.0.0.0/2"].map(|c| permission("tcp", 3389, 3389, c)).into();
        assert_eq!(exposures(&quarters).len(), 1);
        assert!(exposures(&quarters[..3]).is_empty(), "three quarters are not the internet");
        let v6 = [permission("tcp", 22, 22, "::/1"), permission("tcp", 22, 22, "8000::/1")];
        assert!(exposures(&v6)[0].ipv6);
        assert!(exposures(&[permission("tcp", 22, 22, "0.0.0.0/1"), permission("tcp", 22, 22, "8000::/1")]).is_empty());
    }

    #[test]
    fn ranges_as_text_cover_the_internet_whole_or_in_pieces() {
        assert!(covers_internet(["10.0.0.0/8", "0.0.0.0/0"]));
        assert!(covers_internet([" 0.0.0.0/1", "128.0.0.0/1"]));
        assert!(covers_internet(["::/0"]));
        assert!(!covers_internet(["10.0.0.0/8", "0.0.0.0/1", "not a range"]));
        assert!(!covers_internet([]));
    }

    #[test]
    fn the_union_is_taken_per_protocol_and_port() {
        // Port 22 is open to both halves; 23-30 to one half only.
        let found = exposures(&[permission("tcp", 20, 30, "0.0.0.0/1"), permission("tcp", 22, 22, "128.0.0.0/1")]);
        assert_eq!(found.iter().map(Exposure::describe_ports).collect::<Vec<_>>(), ["tcp 22"]);
        assert!(
            exposures(&[permission("tcp", 22, 22, "0.0.0.0/1"), permission("udp", 22, 22, "128.0.0.0/1")]).is_empty()
        );
        let all = exposures(&[permission("all", 0, 65535, "0.0.0.0/1"), permission("tcp", 443, 443, "128.0.0.0/1")]);
        assert_eq!(all.iter().map(Exposure::describe_ports).collect::<Vec<_>>(), ["tcp 443"]);
        let ranges = exposures(&[permission("tcp", 0, 100, "0.0.0.0/1"), permission("tcp", 50, 200, "128.0.0.0/1")]);
        assert_eq!(ranges.iter().map(Exposure::describe_ports).collect::<Vec<_>>(), ["tcp 50-100"]);
    }

    #[test]
    fn only_what_was_not_open_before_is_opened() {
        let halves = [permission("tcp", 22, 22, "0.0.0.0/1"), permission("tcp", 22, 22, "128.0.0.0/1")];
        assert_eq!(opened(&[], &halves).len(), 1);
        assert!(opened(&[permission("tcp", 0, 65535, "0.0.0.0/0")], &halves).is_empty());
        assert!(opened(&halves, &halves).is_empty());
        assert!(opened(&[], &[permission("tcp", 22, 22, "10.0.0.0/8")]).is_empty());
    }
}

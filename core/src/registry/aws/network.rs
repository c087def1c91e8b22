//! The rules of the `network` family: ids, titles, severities and the documentation `plangate
//! explain` prints. The family in `rules::aws::network` reports them.

use crate::registry::{Category, Rule, Severity};

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
    plan_wide: false,
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
    plan_wide: false,
};

pub static ACL_OPENED: Rule = Rule {
    id: "PG-NET-003",
    title: "Network ACL opened to the internet",
    category: Category::Vpc,
    severity: Severity::High,
    doc: "**Why it matters.** Network ACLs are the subnet-wide backstop behind security groups; an \
allow entry for the whole internet removes it.\n\n\
**What triggers it.** A new allow entry for `0.0.0.0/0` or `::/0` in an `aws_network_acl` \
ingress/egress block or an `aws_network_acl_rule`, or allow entries that together cover every \
address for a protocol and port (`0.0.0.0/1` with `128.0.0.0/1`), in one ACL or across the \
`aws_network_acl_rule`s of one ACL. Deny entries are not subtracted, so a union is never missed \
because of a deny numbered after it.\n\n\
**Example.** `aws_network_acl_rule.open` with `rule_action = \"allow\"` and \
`cidr_block = \"0.0.0.0/0\"` reports `aws_network_acl_rule.open allows inbound traffic from \
0.0.0.0/0 (the internet)`.",
    plan_wide: false,
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
    plan_wide: false,
};

/// The rules declared here, in the order `plangate rules` lists them.
pub(super) static DECLARED: &[&Rule] = &[&SETTINGS_CHANGED, &ROUTES_CHANGED, &ACL_OPENED, &GATEWAY_DELETED];

//! The rules of the `network_access` family: ids, titles, severities and the documentation `plangate
//! explain` prints. The family in `rules::any::network_access` reports them.

use crate::registry::{Category, Rule, Severity};

pub static INBOUND_FROM_INTERNET: Rule = Rule {
    id: "PG-SG-001",
    title: "Inbound access opened to the internet",
    category: Category::SecurityGroups,
    severity: Severity::Critical,
    doc: "**Why it matters.** A rule that admits `0.0.0.0/0` or `::/0` exposes the port to every \
host on the internet: SSH, RDP and database ports are scanned within minutes of opening.\n\n\
**What triggers it.** A new or widened inbound permission whose source is `0.0.0.0/0` or `::/0`, \
in an inline `ingress` block of `aws_security_group`, an `aws_security_group_rule` with \
`type = \"ingress\"`, or an `aws_vpc_security_group_ingress_rule`; on Azure, an `Allow` security \
rule (inline `security_rule` of `azurerm_network_security_group`, or \
`azurerm_network_security_rule`) from `*`, `Internet` or `Any`, or a SQL, PostgreSQL, MySQL, \
MariaDB or Synapse firewall rule from `0.0.0.0` to `255.255.255.255` (the `0.0.0.0`-`0.0.0.0` \
\"every Azure service\" rule is `PG-SG-002`); on Google Cloud, an enabled `google_compute_firewall` \
whose `allow` admits `source_ranges` of the internet (or names no source at all, which Google reads \
as every address), or a Cloud SQL instance with a public IP whose \
`settings.ip_configuration.authorized_networks` admit the internet. A permission is new when no \
permission of the old state covers its protocol, ports and source. The internet in pieces counts \
the same: CIDRs that together cover every address (`0.0.0.0/1` with `128.0.0.0/1`, four `/2`s, \
the IPv6 halves) for a protocol and port, within one resource or across all the rule resources \
of one security group (rules whose group is created in the same plan are judged together). Each \
change that adds a piece is reported.\n\n\
**Example.** `cidr_blocks = [\"10.0.0.0/8\"]` changed to `[\"0.0.0.0/0\"]` on port 443 reports \
`Modifying inbound rules for aws_security_group.audit_system: tcp 443 from 0.0.0.0/0 (the internet)`.",
    plan_wide: false,
};

pub static INBOUND_ADDED: Rule = Rule {
    id: "PG-SG-002",
    title: "Inbound access added or widened",
    category: Category::SecurityGroups,
    severity: Severity::High,
    doc: "**Why it matters.** Every new inbound path is a way in; a reviewer should confirm the \
source and ports are meant.\n\n\
**What triggers it.** A new or widened inbound permission from any source other than the whole \
internet (a CIDR, a prefix list, another security group, the group itself; an Azure service tag \
or application security group; a Google network tag or service account), in any of the forms \
above; a managed prefix list (`aws_ec2_managed_prefix_list`, `aws_ec2_managed_prefix_list_entry`) \
whose entries newly cover the whole internet, which every rule that references it then admits. \
Narrowing a CIDR, \
shrinking a port range or removing a rule does not trigger it.\n\n\
**Example.** A new block `from_port = 8080, to_port = 8090, cidr_blocks = [\"192.168.0.0/16\"]` \
reports `Modifying inbound rules for aws_security_group.web: tcp 8080-8090 from 192.168.0.0/16`.",
    plan_wide: false,
};

pub static OUTBOUND_ADDED: Rule = Rule {
    id: "PG-SG-003",
    title: "Outbound access added or widened",
    category: Category::SecurityGroups,
    severity: Severity::High,
    doc: "**Why it matters.** Wider egress lets a compromised workload reach more of the network or \
the internet (exfiltration, command and control). It is never critical on its own.\n\n\
**What triggers it.** A new or widened outbound permission in an `egress` block, an \
`aws_security_group_rule` with `type = \"egress\"`, or an `aws_vpc_security_group_egress_rule`; an \
Azure `Outbound` `Allow` security rule; a Google `EGRESS` firewall.\n\n\
**Example.** Egress `tcp 443 to 10.0.0.0/8` changed to all traffic to `0.0.0.0/0` reports \
`Modifying outbound rules for aws_security_group.workers: all traffic to 0.0.0.0/0 (the internet)`.",
    plan_wide: false,
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
`after_unknown` (or sensitive), or an `ingress` list that had rules and becomes wholly unknown; \
the same for an Azure security rule's direction, access, protocol, ports or addresses, a Google \
firewall with `source_ranges` known only after apply and no tag or service account named, and \
a Cloud SQL authorized network that is not a CIDR. (A \
list that is unknown because the configuration sets no inline rules grants nothing.)\n\n\
**Example.** `cidr_blocks = [aws_eip.nat.public_ip]` on a new rule reports `Inbound rules for \
aws_security_group_rule.nat cannot be verified before apply: the source is known only after apply`.",
    plan_wide: false,
};

/// The rules declared here, in the order `plangate rules` lists them.
pub(super) static DECLARED: &[&Rule] =
    &[&INBOUND_FROM_INTERNET, &INBOUND_ADDED, &OUTBOUND_ADDED, &INBOUND_UNVERIFIABLE];

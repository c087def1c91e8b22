//! The rules of the `meanings` family: ids, titles, severities and the documentation `plangate
//! explain` prints. The family in `rules::any::meanings` reports them, one rule a meaning, for every
//! attribute the providers' tables declare with that meaning (`plangate explain` lists them).

use crate::registry::{Category, Rule, Severity};

pub static CAPACITY_ZERO: Rule = Rule {
    id: "PG-OUT-001",
    title: "Capacity set to zero or a service switched off",
    category: Category::Other,
    severity: Severity::High,
    doc: "**Why it matters.** A group, service or function left with nothing running is an outage, \
however small the diff: every request fails or waits.\n\n\
**What triggers it.** An update that sets a capacity (instances, tasks, nodes, reserved \
concurrency, a throttling limit) from more than zero to zero, or switches off what serves \
(a distribution, an event source mapping, a scheduled rule). Scaling down to anything above zero, \
scaling up and new resources stay quiet.\n\n\
**Example.** `desired_count = 0` on `aws_ecs_service.api` (it was 3) reports \
`aws_ecs_service.api: desired_count 3 → 0: no task runs: the service stops`.",
    plan_wide: false,
};

pub static DETECTIVE_CONTROL_OFF: Rule = Rule {
    id: "PG-DET-001",
    title: "Detective control switched off",
    category: Category::Other,
    severity: Severity::High,
    doc: "**Why it matters.** Audit logs, access logs, threat detection, configuration recording \
and alarms are how an intrusion is noticed and investigated; switching one off is also the first \
thing an attacker does.\n\n\
**What triggers it.** An update that switches a recording setting off (a flag turned off, a \
status disabled, access logs removed, a trail's data event selectors removed), or deleting a \
resource whose only job is to record (a trail, a detector, a recorder, a Config rule, a flow log, \
a log subscription, bucket logging). Promote it with `rules: {PG-DET-001: {severity: \
critical}}`.\n\n\
**Example.** `enable_logging = false` on `aws_cloudtrail.main` reports `aws_cloudtrail.main: \
enable_logging true → false: the trail stops recording API calls`.",
    plan_wide: false,
};

pub static PROTECTIVE_CONTROL_OFF: Rule = Rule {
    id: "PG-DET-002",
    title: "Protective control switched off",
    category: Category::Other,
    severity: Severity::High,
    doc: "**Why it matters.** Deletion protection, backups, encryption, versioning, web ACLs and \
deny rules are what keep data recoverable after a mistake or a ransom attempt and keep attackers \
out; they are switched off in one line.\n\n\
**What triggers it.** An update that switches a protection off (deletion protection or \
point-in-time recovery turned off, `skip_final_snapshot` or `force_destroy` turned on, versioning \
suspended, encryption dropped by a replacement, a web ACL removed), or deleting a resource whose \
only job is to protect (a backup plan or selection, a web ACL association, a bucket encryption \
configuration, an SCP attachment, a network ACL rule that denies). Promote it with `rules: \
{PG-DET-002: {severity: critical}}`.\n\n\
**Example.** `deletion_protection_enabled = false` on `aws_dynamodb_table.orders` reports \
`aws_dynamodb_table.orders: deletion_protection_enabled true → false: the table can be deleted`.",
    plan_wide: false,
};

pub static RETENTION_CUT: Rule = Rule {
    id: "PG-DATA-002",
    title: "Retention cut: data or backups are deleted sooner",
    category: Category::Other,
    severity: Severity::High,
    doc: "**Why it matters.** A shorter retention deletes what is older than the new limit at \
once: log events, messages, stream records, backups and recovery points, audit trails and \
incident evidence with them; a retention of 0 turns backups off.\n\n\
**What triggers it.** An update that lowers a retention or backup period, sets one where the data \
was kept forever, or sets a backup retention to 0. Longer retention stays quiet.\n\n\
**Example.** `retention_in_days = 365` changed to `7` reports `aws_cloudwatch_log_group.audit: \
retention_in_days 365 → 7 days: older events are deleted`.",
    plan_wide: false,
};

pub static TRANSPORT_WEAKENED: Rule = Rule {
    id: "PG-TLS-001",
    title: "Encryption in transit weakened",
    category: Category::Other,
    severity: Severity::High,
    doc: "**Why it matters.** Traffic that was encrypted is then readable and alterable on the \
network: credentials, session cookies and data in the clear, or an older TLS version with known \
weaknesses.\n\n\
**What triggers it.** An update that moves a protocol or TLS setting to a weaker level: a \
listener or target group from HTTPS/TLS to HTTP/TCP (unless the listener only redirects to \
HTTPS), a viewer or origin protocol policy that allows HTTP, a lower minimum TLS version, HTTPS \
enforcement or node-to-node encryption turned off.\n\n\
**Example.** `protocol = \"HTTP\"` on `aws_lb_listener.public` (it was HTTPS) reports \
`aws_lb_listener.public: protocol HTTPS → HTTP: traffic to the listener is not encrypted`.",
    plan_wide: false,
};

/// The rules declared here, in the order `plangate rules` lists them.
pub(super) static DECLARED: &[&Rule] =
    &[&CAPACITY_ZERO, &DETECTIVE_CONTROL_OFF, &PROTECTIVE_CONTROL_OFF, &RETENTION_CUT, &TRANSPORT_WEAKENED];

//! The rules of the `credentials`, `public_exposure` and `controls` families: ids, titles,
//! severities and the documentation `plangate explain` prints. The families in `rules::*` judge
//! changes against them.

use super::{Category, Rule, Severity};

pub static LONG_LIVED_CREDENTIALS: Rule = Rule {
    id: "PG-IAM-007",
    title: "Long-lived credentials created",
    category: Category::Iam,
    severity: Severity::High,
    doc: "**Why it matters.** Access keys, console passwords, service-specific credentials and signing \
certificates do not expire on their own: once copied from a state file, a CI log or a laptop, \
they work until someone notices and revokes them.\n\n\
**What triggers it.** Creating or replacing `aws_iam_access_key`, `aws_iam_user_login_profile`, \
`aws_iam_service_specific_credential` or `aws_iam_signing_certificate`, or turning an access key \
that was `Inactive` back to `Active`.\n\n\
**Example.** A new `aws_iam_access_key.ci` for user `ci` reports `aws_iam_access_key.ci: creates \
a long-lived access key for user ci`.",
    plan_wide: false,
};

pub static SHARED_WITH_EVERYONE: Rule = Rule {
    id: "PG-PUB-001",
    title: "Snapshot or image shared with every AWS account",
    category: Category::Other,
    severity: Severity::Critical,
    doc: "**Why it matters.** A public snapshot is a copy of the data anyone can restore into their \
own account; a public image is a copy of its disk.\n\n\
**What triggers it.** `shared_accounts` of `aws_db_snapshot` or `aws_db_cluster_snapshot` newly \
containing `all`; an `aws_ami_launch_permission` with `group = \"all\"`; an \
`aws_snapshot_create_volume_permission` with `account_id = \"all\"`.\n\n\
**Example.** `shared_accounts = [\"all\"]` on `aws_db_snapshot.nightly` reports \
`aws_db_snapshot.nightly: the snapshot is shared with every AWS account (shared_accounts all)`.",
    plan_wide: false,
};

pub static REACHABLE_FROM_INTERNET: Rule = Rule {
    id: "PG-PUB-002",
    title: "Resource made reachable from the internet",
    category: Category::Other,
    severity: Severity::High,
    doc: "**Why it matters.** Every endpoint the internet can reach is attack surface: what sits \
behind it is then one misconfiguration or one vulnerability away from anyone.\n\n\
**What triggers it.** A load balancer (`aws_lb`, `aws_alb`, `aws_elb`) created or replaced with \
`internal = false`; an EKS cluster whose API endpoint becomes public to `0.0.0.0/0` (the default \
of `public_access_cidrs`); an `aws_instance` newly given a public IP \
(`associate_public_ip_address`), or a launch template whose network interfaces newly do; an \
`aws_api_gateway_method` created with `authorization = \"NONE\"` (CORS `OPTIONS` methods aside).\n\n\
**Example.** `internal = true` changed to `false` on `aws_lb.api` reports `aws_lb.api: becomes \
internet-facing (internal true → false; the load balancer is replaced)`.",
    plan_wide: false,
};

pub static DETECTIVE_CONTROL_OFF: Rule = Rule {
    id: "PG-DET-001",
    title: "Detective control switched off",
    category: Category::Other,
    severity: Severity::High,
    doc: "**Why it matters.** Audit logs, threat detection and configuration recording are how an \
intrusion is noticed and investigated; switching one off is also the first thing an attacker \
does.\n\n\
**What triggers it.** Deleting `aws_cloudtrail`, or setting its `enable_logging`, \
`is_multi_region_trail` or `enable_log_file_validation` to false, or removing its data event \
selectors; deleting or disabling `aws_guardduty_detector` (`enable = false`); deleting \
`aws_config_configuration_recorder`, or `aws_config_configuration_recorder_status` turned off or \
deleted; deleting `aws_securityhub_account`; deleting an `aws_flow_log`. Promote it with `rules: \
{PG-DET-001: {severity: critical}}`.\n\n\
**Example.** `enable_logging = false` on `aws_cloudtrail.main` reports `aws_cloudtrail.main: \
enable_logging turned off: the trail stops recording API calls`.",
    plan_wide: false,
};

pub static PROTECTIVE_CONTROL_OFF: Rule = Rule {
    id: "PG-DET-002",
    title: "Protective control switched off",
    category: Category::Other,
    severity: Severity::High,
    doc: "**Why it matters.** Encryption, versioning and retention are what keep data unreadable to \
whoever copies it and recoverable after a mistake or a ransom attempt.\n\n\
**What triggers it.** Deleting `aws_s3_bucket_server_side_encryption_configuration`; deleting \
`aws_s3_bucket_versioning` or suspending it; `aws_ebs_encryption_by_default` turned off or \
deleted; `encrypted` true → false on an `aws_ebs_volume` (a replacement); `force_destroy` turned \
on for an existing `aws_s3_bucket` (a later delete then empties it); SQS \
`message_retention_seconds` or Kinesis `retention_period` cut. Promote it with `rules: \
{PG-DET-002: {severity: critical}}`.\n\n\
**Example.** `status = \"Suspended\"` on `aws_s3_bucket_versioning.data` reports \
`aws_s3_bucket_versioning.data: versioning suspended: overwritten and deleted objects can no \
longer be recovered`.",
    plan_wide: false,
};

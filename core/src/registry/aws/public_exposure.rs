//! The rules of the `public_exposure` family: ids, titles, severities and the documentation `plangate
//! explain` prints. The family in `rules::aws::public_exposure` reports them.

use crate::registry::{Category, Rule, Severity};

pub static SHARED_WITH_EVERYONE: Rule = Rule {
    id: "PG-PUB-001",
    title: "Snapshot, image or document shared with every AWS account",
    category: Category::Other,
    severity: Severity::Critical,
    doc: "**Why it matters.** A public snapshot is a copy of the data anyone can restore into their \
own account; a public image is a copy of its disk; a public Systems Manager document shows anyone the \
commands, scripts and parameters it holds.\n\n\
**What triggers it.** `shared_accounts` of `aws_db_snapshot` or `aws_db_cluster_snapshot` newly \
containing `all`; an `aws_ami_launch_permission` with `group = \"all\"`; an \
`aws_snapshot_create_volume_permission` with `account_id = \"all\"`; an `aws_ssm_document` whose \
`permissions` newly name `All` accounts.\n\n\
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
`aws_api_gateway_method` created with or changed to `authorization = \"NONE\"`, or an \
`aws_apigatewayv2_route` with `authorization_type = \"NONE\"` (its default), CORS `OPTIONS` routes \
aside; an OpenSearch or Elasticsearch domain taken out of its VPC (`vpc_options` removed); a \
PrivateLink endpoint service that newly admits `*` (`allowed_principals`, \
`aws_vpc_endpoint_service_allowed_principal`); an \
`aws_mq_broker` or `aws_m2_environment` newly `publicly_accessible`; an `aws_mwaa_environment` newly \
`webserver_access_mode = \"PUBLIC_ONLY\"`; an `aws_cognito_identity_pool` newly \
`allow_unauthenticated_identities` (anyone gets credentials of its unauthenticated role).\n\n\
**Example.** `internal = true` changed to `false` on `aws_lb.api` reports `aws_lb.api: becomes \
internet-facing (internal true → false; the load balancer is replaced)`.",
    plan_wide: false,
};

/// The rules declared here, in the order `plangate rules` lists them.
pub(super) static DECLARED: &[&Rule] = &[&SHARED_WITH_EVERYONE, &REACHABLE_FROM_INTERNET];

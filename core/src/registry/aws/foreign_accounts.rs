//! The rules of the `foreign_accounts` family: ids, titles, severities and the documentation `plangate
//! explain` prints. The family in `rules::aws::foreign_accounts` reports them.

use crate::registry::{Category, Rule, Severity};

pub static ANOTHER_ACCOUNT: Rule = Rule {
    id: "PG-RP-003",
    title: "Another AWS account admitted",
    category: Category::Iam,
    severity: Severity::High,
    doc: "**Why it matters.** Access granted to another account is access governed by people outside \
yours: whoever administers that account decides who uses it.\n\n\
**What triggers it.** A resource policy, `aws_lambda_permission`, \
`aws_lambda_layer_version_permission`, `aws_kms_grant`, or a role's trust policy (in a statement \
without an `sts:ExternalId` or organization condition) newly names an AWS account (an account id, \
or an ARN in it), as a principal or in a condition that narrows one to it (`\"*\"` with \
`aws:PrincipalAccount`, `aws:PrincipalArn`, `aws:SourceAccount`, `aws:SourceArn`); or a snapshot or image is shared with one (`shared_accounts` of \
`aws_db_snapshot` and `aws_db_cluster_snapshot`, `aws_snapshot_create_volume_permission`, \
`aws_ami_launch_permission`), a VPC is peered with one (`peer_owner_id` of \
`aws_vpc_peering_connection`), a RAM share admits one (`aws_ram_principal_association`), or \
data is sent into one: a bucket's or registry's replication destination \
(`aws_s3_bucket_replication_configuration`, `aws_ecr_replication_configuration`), a log \
subscription's destination, an event target, an SNS subscription's endpoint. It \
reports an account that is not one of the `trusted_accounts:` of the configuration, or, without \
that list, not an account that appears in the ARNs the provider gave the plan's own managed \
resources (not a data source's, nor an `arn` the configuration sets, as an event target's). The \
message names the account.\n\n\
**Example.** `Principal = { AWS = \"arn:aws:iam::999999999999:root\" }` on a queue of account \
123456789012 reports `aws_sqs_queue_policy.jobs: the queue policy now admits AWS account \
999999999999 (not an account of this plan)`.",
    plan_wide: false,
};

/// The rules declared here, in the order `plangate rules` lists them.
pub(super) static DECLARED: &[&Rule] = &[&ANOTHER_ACCOUNT];

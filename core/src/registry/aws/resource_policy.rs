//! The rules of the `resource_policy` family: ids, titles, severities and the documentation `plangate
//! explain` prints. The family in `rules::aws::resource_policy` reports them.

use crate::registry::{Category, Rule, Severity};

pub static OPEN_TO_ANYONE: Rule = Rule {
    id: "PG-RP-001",
    title: "Resource policy opens data or code to anyone",
    category: Category::Iam,
    severity: Severity::Critical,
    doc: "**Why it matters.** A resource policy that admits any principal with no condition \
restricting who lets every AWS account, and often the whole internet, read the data or run the \
code behind it: objects, secrets, images, messages, files, indexes, functions.\n\n\
**What triggers it.** A policy attached to a resource newly allows `Principal: \"*\"` (or `{\"AWS\": \
\"*\"}`, or `NotPrincipal`) an action that reads or writes its data or runs its code (`s3:GetObject`, \
`secretsmanager:GetSecretValue`, `ecr:BatchGetImage`, `sqs:SendMessage`, `sns:Publish`, \
`lambda:InvokeFunction`, `es:ESHttpGet`, `execute-api:Invoke`, `elasticfilesystem:ClientMount`, …, or \
a wildcard covering one), with no condition on `aws:SourceArn`, `aws:SourceAccount`, \
`aws:PrincipalOrgID`, `aws:SourceVpce`, a source IP narrower than the internet or the like. A \
negated (`StringNotEquals`) or `…IfExists` condition restricts nothing, nor does a pattern that \
leaves the account open (`arn:aws:iam::*:role/deploy`, `arn:aws:s3:::*`). Read on bucket, queue, \
topic, repository, secret, file system, search domain (outside a VPC; a domain in one is \
PG-RP-002), REST API and Glacier vault policies, on the policies of S3 access points, S3 tables, \
DynamoDB tables, Kinesis streams, the Glue Data Catalog, event buses, the ECR registry, public \
ECR and CodeArtifact repositories, private certificate authorities, MSK clusters, Redshift \
Serverless snapshots, SES identities, MediaStore containers and VPC Lattice services, \
`aws_lambda_permission` and `aws_lambda_layer_version_permission` for `principal = \"*\"` without a \
source, `aws_cloudwatch_event_permission` for `principal = \"*\"` without a `condition`, and \
`aws_lambda_function_url` with `authorization_type = \"NONE\"`.\n\n\
**Example.** A statement `{Effect = \"Allow\", Principal = \"*\", Action = \"secretsmanager:GetSecretValue\"}` \
reports `aws_secretsmanager_secret_policy.db: the secret policy now lets anyone \
secretsmanager:GetSecretValue on * (no condition restricts who)`.",
    plan_wide: false,
};

pub static ADMITS_ANYONE: Rule = Rule {
    id: "PG-RP-002",
    title: "Resource policy admits any principal",
    category: Category::Iam,
    severity: Severity::High,
    doc: "**Why it matters.** Any principal with no restricting condition is every AWS account: even \
actions that read no data (managing subscriptions, describing, tagging) are open to strangers.\n\n\
**What triggers it.** As PG-RP-001, for actions that do not open the resource's data or code \
(`sns:Subscribe` aside from publishing, `logs:PutLogEvents`, `backup:*` on a vault, …). Bucket \
policies report PG-S3-002 instead.\n\n\
**Example.** `Principal = \"*\"` with `Action = \"sqs:GetQueueAttributes\"` reports \
`aws_sqs_queue_policy.jobs: the queue policy now admits any principal: sqs:GetQueueAttributes on *`.",
    plan_wide: false,
};

pub static BUCKET_POLICY_PUBLIC: Rule = Rule {
    id: "PG-S3-002",
    title: "Bucket policy grants access to everyone",
    category: Category::Other,
    severity: Severity::High,
    doc: "**Why it matters.** A bucket policy statement for `Principal: \"*\"` with no condition on \
who lets any AWS account act on the bucket.\n\n\
**What triggers it.** The `policy` of `aws_s3_bucket_policy` (or the legacy `policy` of \
`aws_s3_bucket`) newly allows any principal (`\"*\"`, `{\"AWS\": \"*\"}`, `NotPrincipal`) with no \
condition restricting who (see PG-RP-001), for actions on the bucket rather than its objects; a \
policy that opens the objects (`s3:GetObject`, `s3:PutObject`, `s3:ListBucket`, …) is PG-RP-001, \
critical. A bucket policy that cannot be verified before apply is reported here too.\n\n\
**Example.** `{Effect = \"Allow\", Principal = \"*\", Action = \"s3:GetBucketLocation\", Condition = \
{Bool = {\"aws:SecureTransport\" = \"true\"}}}` reports `aws_s3_bucket_policy.meta: the bucket policy \
now grants access to everyone: s3:GetBucketLocation on arn:aws:s3:::meta`.",
    plan_wide: false,
};

pub static RESOURCE_POLICY_UNVERIFIABLE: Rule = Rule {
    id: "PG-RP-004",
    title: "Resource policy cannot be verified before apply",
    category: Category::Iam,
    severity: Severity::High,
    doc: "**Why it matters.** A policy known only after apply, marked sensitive or not readable as a \
policy may open the resource to anyone, and nobody can tell from the plan.\n\n\
**What triggers it.** The policy of a resource PG-RP-001 reads (or a Lambda permission's \
principal, or a function URL's authorization type) is unknown until apply, sensitive, or not a \
policy document.\n\n\
**Example.** `policy = data.aws_iam_policy_document.queue.json` whose document depends on a new \
resource reports `aws_sqs_queue_policy.jobs: whether the queue policy opens access cannot be \
verified before apply: the policy is known only after apply`.",
    plan_wide: false,
};

/// The rules declared here, in the order `plangate rules` lists them.
pub(super) static DECLARED: &[&Rule] =
    &[&OPEN_TO_ANYONE, &ADMITS_ANYONE, &BUCKET_POLICY_PUBLIC, &RESOURCE_POLICY_UNVERIFIABLE];

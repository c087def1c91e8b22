//! The rules of the `deletions` family: ids, titles, severities and the documentation `plangate
//! explain` prints. The family in `rules::any::deletions` reports them.

use crate::registry::{Category, Rule, Severity};

pub static CRITICAL_CLASS_DELETED: Rule = Rule {
    id: "PG-DEL-001",
    title: "A resource of a critical class is deleted or replaced",
    category: Category::ResourceDeletions,
    severity: Severity::Critical,
    doc: "**Why it matters.** Critical classes hold data or anchor everything else: a deleted \
DynamoDB table, RDS cluster or S3 bucket takes its data with it, a deleted KMS key makes what it \
encrypted unreadable, and a deleted VPC or Route53 zone takes down what lives in it. A replace is a \
delete followed by a create: the new object starts empty.\n\n\
**What triggers it.** A `delete`, `[\"delete\", \"create\"]` or `[\"create\", \"delete\"]` action on a \
resource whose type matches `resource_classifications.critical` (default: `aws_dynamodb_table`, \
`aws_rds_cluster`, `aws_s3_bucket`, `aws_kms_key`, `aws_vpc`, `aws_route53_zone`; on Azure, storage \
accounts, SQL, PostgreSQL and MySQL servers and databases, Cosmos DB accounts and databases, key \
vaults, managed HSMs and Redis caches; on Google Cloud, buckets, Cloud SQL instances and databases, \
BigQuery datasets and tables, Spanner, Bigtable and Firestore, KMS keys and key rings: see the \
`production` preset). `forget` \
(a `removed` block with `destroy = false`) is not a deletion.\n\n\
**Example.** Removing `resource \"aws_dynamodb_table\" \"audit_events\"` from the configuration \
plans `Attempting to delete aws_dynamodb_table.audit_events`.",
    plan_wide: false,
};

pub static RESOURCE_DELETED: Rule = Rule {
    id: "PG-DEL-002",
    title: "A resource is deleted or replaced",
    category: Category::ResourceDeletions,
    severity: Severity::High,
    doc: "**Why it matters.** Every deletion removes something that may still be in use, and a \
replace changes the object's identity (ids, ARNs, endpoints) even when the configuration barely \
changed.\n\n\
**What triggers it.** A `delete` or replace action on a resource whose type is not a critical \
class, nor one of the stateful types of PG-DATA-001, nor a security-group rule or IAM policy \
attachment (deleting those only takes access away; a replaced rule is judged by what it \
re-creates), nor a resource that only protects or records (PG-DET-001 and PG-DET-002 say what its \
deletion stops), nor a routine replacement (PG-DEL-005). A replace says which attribute forces it; a replaced `aws_db_instance` or \
`aws_rds_cluster` also says that its data is lost unless the new one is restored from a snapshot. \
What is known only after apply because the replacement is new (a parameter group the provider \
picks) is not reported again by the database rules.\n\n\
**Example.** `aws_sqs_queue.jobs` replaced because `name` cannot be updated in place: the queue and \
any messages in it are deleted.",
    plan_wide: false,
};

pub static FORGOTTEN: Rule = Rule {
    id: "PG-DEL-003",
    title: "A resource leaves Terraform's management but stays in the cloud",
    category: Category::ResourceDeletions,
    severity: Severity::Notice,
    doc: "**Why it matters.** A `removed` block with `destroy = false` makes Terraform forget the \
object: it keeps running and costing money, but no plan will manage it again. That is usually \
intended, so it is a notice and never counted.\n\n\
**What triggers it.** A `forget` or `[\"create\", \"forget\"]` action.\n\n\
**Example.** `removed { from = aws_dynamodb_table.legacy, lifecycle { destroy = false } }` plans \
`forget` for `aws_dynamodb_table.legacy`.",
    plan_wide: false,
};

pub static ROUTINE_REPLACEMENT: Rule = Rule {
    id: "PG-DEL-005",
    title: "A routine replacement: a new revision is deployed",
    category: Category::ResourceDeletions,
    severity: Severity::Notice,
    doc: "**Why it matters.** Some resources are immutable revisions that Terraform replaces on \
every release: an ECS task definition on every new image, a Lambda layer version, an API Gateway \
deployment, a trigger of `terraform_data`. Reporting each as a deletion would fail every deploy \
under a production policy, so it is a notice, never counted.\n\n\
**What triggers it.** A replace of a type in `routine:` (by default `aws_ecs_task_definition`, \
`aws_lambda_layer_version`, `aws_api_gateway_deployment`, `aws_sagemaker_model`, \
`aws_sagemaker_endpoint_configuration`, `aws_elastic_beanstalk_application_version`, \
`terraform_data`, `null_resource`, `random_*`, `time_*`). A task definition is routine only when \
its containers differ in nothing but image, environment and sizing (`cpu`, `memory`, \
`memoryReservation`); one that also changes `task_role_arn`, `execution_role_arn`, \
`network_mode`, privileges, ports, mounts or any other setting is PG-DEL-002, as is one whose \
containers are known only after apply. Set `routine: [...]` to a list of type globs to change \
which types are routine (`routine: []` for none).\n\n\
**Example.** `image = \"app:1.4.2\"` changed to `\"app:1.5.0\"` reports \
`aws_ecs_task_definition.api is replaced by a new revision that changes only container image, \
environment or sizing: a routine deploy`.",
    plan_wide: false,
};

/// The rules declared here, in the order `plangate rules` lists them.
pub(super) static DECLARED: &[&Rule] = &[&CRITICAL_CLASS_DELETED, &RESOURCE_DELETED, &FORGOTTEN, &ROUTINE_REPLACEMENT];

//! Resource-based policies: the policies attached to a bucket, queue, topic, repository, secret,
//! file system, backup or Glacier vault, search domain, REST API, log group, VPC endpoint, table,
//! stream, catalog, event bus, certificate authority and the others in [`SITES`], and the Lambda
//! permissions and function URLs that work the same way. All are read with the one IAM statement
//! reader ([`Document`]); what is judged is who a policy newly admits: any principal with no
//! condition restricting who (critical where that opens the resource's data or code), another AWS
//! account (judged plan-wide by `foreign_accounts`, once the plan's own accounts are known), or
//! nothing that can be verified. Key policies stay with the KMS family, which also judges the key itself.

use crate::glob::Glob;
use crate::plan::{Action, Attr, Change, Mode};
use crate::registry::{Category, ADMITS_ANYONE, BUCKET_POLICY_PUBLIC, OPEN_TO_ANYONE, RESOURCE_POLICY_UNVERIFIABLE};
use crate::rules::model::policy_document::{describe_grants, new_grants, Document, Grant};
use crate::rules::{Context, Family, Hit};

/// Where a resource keeps a policy document, and which actions on it open its data or code.
pub(super) struct Site {
    pub resource_type: &'static str,
    /// The attribute, dotted where the document sits in a block (`details.policy`).
    pub attribute: &'static str,
    /// "queue policy", for messages.
    pub noun: &'static str,
    data: &'static [&'static str],
}

const S3: &[&str] = &[
    "s3:GetObject",
    "s3:GetObjectVersion",
    "s3:PutObject",
    "s3:DeleteObject",
    "s3:ListBucket",
    "s3:ListBucketVersions",
];
const SQS: &[&str] = &["sqs:SendMessage", "sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:PurgeQueue"];
const SNS: &[&str] = &["sns:Publish", "sns:Subscribe"];
const ECR: &[&str] = &[
    "ecr:BatchGetImage",
    "ecr:GetDownloadUrlForLayer",
    "ecr:PutImage",
    "ecr:InitiateLayerUpload",
    "ecr:UploadLayerPart",
    "ecr:CompleteLayerUpload",
];
const SECRETS: &[&str] = &["secretsmanager:GetSecretValue", "secretsmanager:PutSecretValue"];
const EFS: &[&str] =
    &["elasticfilesystem:ClientMount", "elasticfilesystem:ClientWrite", "elasticfilesystem:ClientRootAccess"];
const SEARCH: &[&str] = &["es:ESHttpGet", "es:ESHttpPost", "es:ESHttpPut", "es:ESHttpDelete", "es:ESHttpHead"];
const API: &[&str] = &["execute-api:Invoke"];
const GLACIER: &[&str] = &["glacier:InitiateJob", "glacier:GetJobOutput", "glacier:UploadArchive"];
const DYNAMODB: &[&str] = &[
    "dynamodb:GetItem",
    "dynamodb:BatchGetItem",
    "dynamodb:Query",
    "dynamodb:Scan",
    "dynamodb:PutItem",
    "dynamodb:UpdateItem",
    "dynamodb:DeleteItem",
    "dynamodb:BatchWriteItem",
    "dynamodb:GetRecords",
];
const KINESIS: &[&str] = &[
    "kinesis:GetRecords",
    "kinesis:GetShardIterator",
    "kinesis:SubscribeToShard",
    "kinesis:PutRecord",
    "kinesis:PutRecords",
];
const S3_TABLES: &[&str] = &["s3tables:GetTableData", "s3tables:PutTableData"];
const OBJECT_LAMBDA: &[&str] =
    &["s3-object-lambda:GetObject", "s3-object-lambda:PutObject", "s3-object-lambda:ListBucket"];
const GLUE: &[&str] = &[
    "glue:GetTable",
    "glue:GetTables",
    "glue:GetPartition",
    "glue:GetPartitions",
    "glue:UpdateTable",
    "glue:DeleteTable",
];
/// A registry policy lets others push (replicate) images into the registry.
const ECR_REGISTRY: &[&str] = &["ecr:ReplicateImage", "ecr:CreateRepository", "ecr:BatchImportUpstreamImage"];
const ECR_PUBLIC: &[&str] = &[
    "ecr-public:PutImage",
    "ecr-public:InitiateLayerUpload",
    "ecr-public:UploadLayerPart",
    "ecr-public:CompleteLayerUpload",
];
const CODEARTIFACT: &[&str] = &[
    "codeartifact:ReadFromRepository",
    "codeartifact:PublishPackageVersion",
    "codeartifact:PutPackageMetadata",
    "codeartifact:GetAuthorizationToken",
];
/// Events anyone puts on a bus run the targets of its rules.
const EVENTS: &[&str] = &["events:PutEvents"];
const CERTIFICATE_AUTHORITY: &[&str] = &["acm-pca:IssueCertificate", "acm-pca:GetCertificate"];
const KAFKA: &[&str] = &["kafka-cluster:Connect", "kafka-cluster:ReadData", "kafka-cluster:WriteData"];
const SERVERLESS_SNAPSHOTS: &[&str] =
    &["redshift-serverless:RestoreFromSnapshot", "redshift-serverless:RestoreTableFromSnapshot"];
/// Sending as the identity: mail that passes its SPF and DKIM checks.
const EMAIL: &[&str] = &["ses:SendEmail", "ses:SendRawEmail"];
const MEDIA: &[&str] = &["mediastore:GetObject", "mediastore:PutObject", "mediastore:DeleteObject"];
const LATTICE: &[&str] = &["vpc-lattice-svcs:Invoke"];
/// Vault and log policies admit actions on the service, not on the data itself; so do the
/// policies that share a resource with other accounts.
const NONE: &[&str] = &[];

const fn site(
    resource_type: &'static str,
    attribute: &'static str,
    noun: &'static str,
    data: &'static [&'static str],
) -> Site {
    Site { resource_type, attribute, noun, data }
}

impl Site {
    /// Whether the change touches the attribute (the block that holds it, for a nested one).
    pub(super) fn changed(&self, change: &Change) -> bool {
        change.attribute_changed(self.attribute.split('.').next().unwrap_or(self.attribute))
    }

    /// The policy document on one side, stepping into the (single) block that holds a nested one.
    pub(super) fn document<'v>(&self, side: Attr<'v>) -> Attr<'v> {
        self.attribute.split('.').fold(side, |attr, step| {
            let attr = if attr.list_len().is_some() { attr.at(0) } else { attr };
            attr.get(step)
        })
    }
}

pub(super) static SITES: &[Site] = &[
    site("aws_s3_bucket_policy", "policy", "bucket policy", S3),
    site("aws_s3_bucket", "policy", "bucket policy", S3),
    site("aws_sqs_queue_policy", "policy", "queue policy", SQS),
    site("aws_sqs_queue", "policy", "queue policy", SQS),
    site("aws_sns_topic_policy", "policy", "topic policy", SNS),
    site("aws_sns_topic", "policy", "topic policy", SNS),
    site("aws_ecr_repository_policy", "policy", "repository policy", ECR),
    site("aws_secretsmanager_secret_policy", "policy", "secret policy", SECRETS),
    site("aws_secretsmanager_secret", "policy", "secret policy", SECRETS),
    site("aws_efs_file_system_policy", "policy", "file system policy", EFS),
    site("aws_backup_vault_policy", "policy", "vault policy", NONE),
    site("aws_opensearch_domain_policy", "access_policies", "domain access policy", SEARCH),
    site("aws_opensearch_domain", "access_policies", "domain access policy", SEARCH),
    site("aws_elasticsearch_domain_policy", "access_policies", "domain access policy", SEARCH),
    site("aws_elasticsearch_domain", "access_policies", "domain access policy", SEARCH),
    site("aws_api_gateway_rest_api_policy", "policy", "API policy", API),
    site("aws_api_gateway_rest_api", "policy", "API policy", API),
    site("aws_glacier_vault", "access_policy", "vault access policy", GLACIER),
    site("aws_cloudwatch_log_resource_policy", "policy_document", "log resource policy", NONE),
    site("aws_vpc_endpoint", "policy", "endpoint policy", NONE),
    site("aws_vpc_endpoint_policy", "policy", "endpoint policy", NONE),
    site("aws_s3_access_point", "policy", "access point policy", S3),
    site("aws_s3control_access_point_policy", "policy", "access point policy", S3),
    site("aws_s3control_bucket_policy", "policy", "bucket policy", S3),
    site("aws_s3control_object_lambda_access_point_policy", "policy", "access point policy", OBJECT_LAMBDA),
    site("aws_s3tables_table_bucket_policy", "resource_policy", "table bucket policy", S3_TABLES),
    site("aws_s3tables_table_policy", "resource_policy", "table policy", S3_TABLES),
    site("aws_dynamodb_resource_policy", "policy", "table policy", DYNAMODB),
    site("aws_kinesis_resource_policy", "policy", "stream policy", KINESIS),
    site("aws_glue_resource_policy", "policy", "Data Catalog policy", GLUE),
    site("aws_ecr_registry_policy", "policy", "registry policy", ECR_REGISTRY),
    site("aws_ecrpublic_repository_policy", "policy", "repository policy", ECR_PUBLIC),
    site("aws_codeartifact_repository_permissions_policy", "policy_document", "repository policy", CODEARTIFACT),
    site("aws_codeartifact_domain_permissions_policy", "policy_document", "domain policy", CODEARTIFACT),
    site("aws_cloudwatch_event_bus_policy", "policy", "event bus policy", EVENTS),
    site("aws_acmpca_policy", "policy", "certificate authority policy", CERTIFICATE_AUTHORITY),
    site("aws_msk_cluster_policy", "policy", "cluster policy", KAFKA),
    site("aws_redshiftserverless_resource_policy", "policy", "snapshot policy", SERVERLESS_SNAPSHOTS),
    site("aws_ses_identity_policy", "policy", "sending policy", EMAIL),
    site("aws_sesv2_email_identity_policy", "policy", "sending policy", EMAIL),
    site("aws_media_store_container_policy", "policy", "container policy", MEDIA),
    site("aws_vpclattice_auth_policy", "policy", "service auth policy", LATTICE),
    site("aws_api_gateway_domain_name", "policy", "domain name policy", API),
    site("aws_cloudwatch_log_destination_policy", "access_policy", "log destination policy", NONE),
    site("aws_codebuild_resource_policy", "policy", "project policy", NONE),
    site("aws_redshift_resource_policy", "policy", "integration policy", NONE),
    site("aws_sagemaker_model_package_group_policy", "resource_policy", "model package group policy", NONE),
    site("aws_schemas_registry_policy", "policy", "schema registry policy", NONE),
    site("aws_networkfirewall_resource_policy", "policy", "firewall policy", NONE),
    site("aws_vpclattice_resource_policy", "policy", "sharing policy", NONE),
    site("aws_xray_resource_policy", "policy_document", "X-Ray policy", NONE),
    site("aws_s3control_access_grants_instance_resource_policy", "policy", "access grants policy", NONE),
    site("aws_organizations_resource_policy", "content", "organization resource policy", NONE),
    site("aws_cloudwatch_log_delivery_destination_policy", "delivery_destination_policy", "delivery policy", NONE),
    site("aws_oam_sink_policy", "policy", "observability sink policy", NONE),
    site("aws_s3control_multi_region_access_point_policy", "details.policy", "multi-region access point policy", S3),
];

/// Lambda grants written as attributes rather than documents.
pub(super) const LAMBDA_PERMISSION: &str = "aws_lambda_permission";
pub(super) const LAYER_PERMISSION: &str = "aws_lambda_layer_version_permission";
const FUNCTION_URL: &str = "aws_lambda_function_url";
pub(super) const KMS_GRANT: &str = "aws_kms_grant";
const EVENT_PERMISSION: &str = "aws_cloudwatch_event_permission";

pub static FAMILY: Family = Family {
    rules: &[&OPEN_TO_ANYONE, &ADMITS_ANYONE, &BUCKET_POLICY_PUBLIC, &RESOURCE_POLICY_UNVERIFIABLE],
    // The types that exist only to hold such a policy. Queues, topics, secrets, buckets, search
    // domains and the like have other settings, judged (or left to the high-risk classes) elsewhere.
    types: &[
        "aws_s3_bucket_policy",
        "aws_sqs_queue_policy",
        "aws_sns_topic_policy",
        "aws_ecr_repository_policy",
        "aws_secretsmanager_secret_policy",
        "aws_efs_file_system_policy",
        "aws_backup_vault_policy",
        "aws_opensearch_domain_policy",
        "aws_elasticsearch_domain_policy",
        "aws_api_gateway_rest_api_policy",
        "aws_cloudwatch_log_resource_policy",
        "aws_s3control_access_point_policy",
        "aws_s3control_bucket_policy",
        "aws_s3control_object_lambda_access_point_policy",
        "aws_s3tables_table_bucket_policy",
        "aws_s3tables_table_policy",
        "aws_dynamodb_resource_policy",
        "aws_kinesis_resource_policy",
        "aws_glue_resource_policy",
        "aws_ecr_registry_policy",
        "aws_ecrpublic_repository_policy",
        "aws_codeartifact_repository_permissions_policy",
        "aws_codeartifact_domain_permissions_policy",
        "aws_cloudwatch_event_bus_policy",
        "aws_acmpca_policy",
        "aws_msk_cluster_policy",
        "aws_redshiftserverless_resource_policy",
        "aws_ses_identity_policy",
        "aws_sesv2_email_identity_policy",
        "aws_media_store_container_policy",
        "aws_vpclattice_auth_policy",
        "aws_cloudwatch_log_destination_policy",
        "aws_codebuild_resource_policy",
        "aws_redshift_resource_policy",
        "aws_sagemaker_model_package_group_policy",
        "aws_schemas_registry_policy",
        "aws_networkfirewall_resource_policy",
        "aws_vpclattice_resource_policy",
        "aws_xray_resource_policy",
        "aws_s3control_access_grants_instance_resource_policy",
        "aws_organizations_resource_policy",
        "aws_cloudwatch_log_delivery_destination_policy",
        "aws_oam_sink_policy",
        "aws_s3control_multi_region_access_point_policy",
        LAMBDA_PERMISSION,
        LAYER_PERMISSION,
        FUNCTION_URL,
        KMS_GRANT,
        EVENT_PERMISSION,
    ],
    category: Category::Iam,
    check,
    fallback: false,
    also_reads: |t| SITES.iter().any(|site| site.resource_type == t),
};

/// Whether the change can newly admit anyone: it creates or updates the resource.
pub(super) fn admits(change: &Change) -> bool {
    change.mode != Mode::Data && !matches!(change.action, Action::Delete | Action::Forget | Action::NoOp | Action::Read)
}

fn check(change: &Change, _: &Context) -> Vec<Hit> {
    if !admits(change) {
        return Vec::new();
    }
    match change.resource_type.as_ref() {
        LAMBDA_PERMISSION => lambda_permission(change),
        LAYER_PERMISSION => layer_permission(change),
        FUNCTION_URL => function_url(change),
        EVENT_PERMISSION => event_permission(change),
        t => SITES.iter().filter(|s| s.resource_type == t).flat_map(|site| policy(change, site)).collect(),
    }
}

/// A policy document's newly admitted principals.
fn policy(change: &Change, site: &Site) -> Vec<Hit> {
    if !site.changed(change) {
        return Vec::new();
    }
    let name = change.display_name();
    let bucket = site.noun == "bucket policy";
    let unverifiable_rule = if bucket { &BUCKET_POLICY_PUBLIC } else { &RESOURCE_POLICY_UNVERIFIABLE };
    let values = change.values();
    let (before_attr, after_attr) = (site.document(values.before()), site.document(values.after()));
    if computed_when_unset(change, site, before_attr, after_attr) {
        return Vec::new();
    }
    let (before, after) = (Document::read(before_attr), Document::read(after_attr));
    if let Document::Unverifiable(why) = after {
        let message = if bucket {
            format!(
                "{name}: whether the bucket policy grants access to everyone cannot be verified before apply: {why}"
            )
        } else {
            format!("{name}: whether the {} opens access cannot be verified before apply: {why}", site.noun)
        };
        return vec![Hit::new(unverifiable_rule, message)];
    }
    let opened = new_grants(&before.anyone_grants(), &after.anyone_grants());
    if opened.is_empty() {
        return Vec::new();
    }
    // A search domain inside a VPC is reachable only from there: its open policy is not the world's.
    let in_vpc = matches!(site.resource_type, "aws_opensearch_domain" | "aws_elasticsearch_domain")
        && values.after().get("vpc_options").elements().any(|v| v.get("subnet_ids").elements().next().is_some());
    if in_vpc {
        let all: Vec<&Grant> = opened.iter().collect();
        let message = format!(
            "{name}: the {} now admits any principal: {} (the domain is reachable only inside its VPC)",
            site.noun,
            describe(&all)
        );
        return vec![Hit::new(&ADMITS_ANYONE, message)];
    }
    let (data, other): (Vec<&Grant>, Vec<&Grant>) = opened.iter().partition(|g| opens_data(g, site.data));
    if !data.is_empty() {
        let message =
            format!("{name}: the {} now lets anyone {} (no condition restricts who)", site.noun, describe(&data));
        return vec![Hit::new(&OPEN_TO_ANYONE, message)];
    }
    if bucket {
        let message = format!("{name}: the bucket policy now grants access to everyone: {}", describe(&other));
        return vec![Hit::new(&BUCKET_POLICY_PUBLIC, message)];
    }
    vec![Hit::new(&ADMITS_ANYONE, format!("{name}: the {} now admits any principal: {}", site.noun, describe(&other)))]
}

/// On resources whose policy is optional and computed when the configuration sets none (a queue,
/// a topic, a legacy bucket), the policy is often set by its own resource (`aws_sqs_queue_policy`,
/// `aws_s3_bucket_policy`): a wholly unknown policy that had no value before says nothing, and on
/// refresh a policy appearing where there was none is that resource's doing, judged on it.
fn computed_when_unset(change: &Change, site: &Site, before: Attr<'_>, after: Attr<'_>) -> bool {
    let dedicated = FAMILY.types.contains(&site.resource_type);
    let had_value = before.as_str().is_some_and(|s| !s.trim().is_empty());
    !dedicated && !had_value && (change.is_drift() || after.is_wholly_unknown() && !after.is_sensitive())
}

/// Whether a grant's action covers one of the actions that open the resource's data or code.
fn opens_data(grant: &Grant, data: &[&str]) -> bool {
    let pattern = Glob::new(grant.action.to_ascii_lowercase());
    data.iter().any(|action| pattern.matches(&action.to_ascii_lowercase()))
}

/// "s3:GetObject, s3:ListBucket on arn:…/*".
fn describe(grants: &[&Grant]) -> String {
    describe_grants(grants, |_| String::new())
}

/// Whether a Lambda grant's attribute newly takes this value (a create, or a change to it).
fn newly<'v>(change: &'v Change, attribute: &str) -> Option<Attr<'v>> {
    (change.action == Action::Create || change.attribute_changed(attribute))
        .then(|| change.values().after().get(attribute))
}

/// Whether an attribute holds something, known or not. A sensitive value that is there counts as
/// set, and reading it is noted as hidden (PG-READ-002); a `null` marked sensitive is not set.
fn is_set(attr: Attr<'_>) -> bool {
    attr.is_unknown()
        || attr.as_str().is_some_and(|s| !s.trim().is_empty())
        || (attr.is_present() && attr.is_sensitive())
}

/// `aws_lambda_permission`: `principal = "*"` with no `source_arn`, `source_account` or
/// `principal_org_id` lets anyone call the action.
fn lambda_permission(change: &Change) -> Vec<Hit> {
    let name = change.display_name();
    let after = change.values().after();
    let restrictors = ["source_arn", "source_account", "principal_org_id"];
    let watched = ["principal", "action", "source_arn", "source_account", "principal_org_id"];
    let principal = match changed_principal(change, &watched, "permission") {
        Ok(Some(principal)) => principal,
        Ok(None) => return Vec::new(),
        Err(unverifiable) => return vec![unverifiable],
    };
    let restricted = restrictors.iter().any(|r| is_set(after.get(r)));
    if principal.as_str() != Some("*") || restricted {
        return Vec::new();
    }
    let action = after.get("action").as_str().unwrap_or("lambda:InvokeFunction");
    let grant = Grant { action: action.to_string(), resource: "*".into(), ..Grant::default() };
    let function = after.get("function_name").as_str().unwrap_or("the function");
    if opens_data(&grant, &["lambda:InvokeFunction", "lambda:InvokeFunctionUrl", "lambda:GetFunction"]) {
        vec![Hit::new(
            &OPEN_TO_ANYONE,
            format!("{name}: anyone may {action} on {function} (principal \"*\" with no source_arn, source_account or principal_org_id)"),
        )]
    } else {
        vec![Hit::new(&ADMITS_ANYONE, format!("{name}: any principal may {action} on {function}"))]
    }
}

/// The `principal` of a permission written as attributes (a Lambda, layer or event bus
/// permission), when the change can newly admit someone: created, or one of `watched` changed.
/// `Ok(None)` when not; an unverifiable hit when the principal is known only after apply or
/// marked sensitive.
fn changed_principal<'v>(change: &'v Change, watched: &[&str], noun: &str) -> Result<Option<Attr<'v>>, Hit> {
    if change.action != Action::Create && !watched.iter().any(|a| change.attribute_changed(a)) {
        return Ok(None);
    }
    let principal = change.values().after().get("principal");
    if principal.is_unknown() || principal.is_sensitive() {
        return Err(Hit::new(
            &RESOURCE_POLICY_UNVERIFIABLE,
            format!(
                "{}: whether the {noun} admits anyone cannot be verified before apply: its principal is known only \
                 after apply or marked sensitive",
                change.display_name()
            ),
        ));
    }
    Ok(Some(principal))
}

/// `aws_lambda_layer_version_permission`: `principal = "*"` without `organization_id` publishes
/// the layer's code to every AWS account.
fn layer_permission(change: &Change) -> Vec<Hit> {
    let principal = match changed_principal(change, &["principal", "organization_id", "action"], "layer permission") {
        Ok(Some(principal)) => principal,
        Ok(None) => return Vec::new(),
        Err(unverifiable) => return vec![unverifiable],
    };
    let name = change.display_name();
    if principal.as_str() == Some("*") && !is_set(change.values().after().get("organization_id")) {
        return vec![Hit::new(
            &OPEN_TO_ANYONE,
            format!(
                "{name}: every AWS account may download the layer's code (principal \"*\" with no organization_id)"
            ),
        )];
    }
    Vec::new()
}

/// `aws_cloudwatch_event_permission`: `principal = "*"` without a `condition` (an organization)
/// lets every AWS account put events on the bus, as an event bus policy for `"*"` does.
fn event_permission(change: &Change) -> Vec<Hit> {
    let principal = match changed_principal(change, &["principal", "condition", "action"], "event bus permission") {
        Ok(Some(principal)) => principal,
        Ok(None) => return Vec::new(),
        Err(unverifiable) => return vec![unverifiable],
    };
    let (after, name) = (change.values().after(), change.display_name());
    if principal.as_str() != Some("*") || after.get("condition").elements().next().is_some() {
        return Vec::new();
    }
    let bus = after.get("event_bus_name").as_str().unwrap_or("default");
    vec![Hit::new(
        &OPEN_TO_ANYONE,
        format!("{name}: every AWS account may put events on the {bus} event bus (principal \"*\" with no condition)"),
    )]
}

/// `aws_lambda_function_url` with `authorization_type = "NONE"`: anyone on the internet can
/// invoke the function.
fn function_url(change: &Change) -> Vec<Hit> {
    let Some(authorization) = newly(change, "authorization_type") else { return Vec::new() };
    let name = change.display_name();
    if authorization.is_unknown() {
        return vec![Hit::new(
            &RESOURCE_POLICY_UNVERIFIABLE,
            format!("{name}: whether the function URL requires authorization cannot be verified before apply"),
        )];
    }
    match authorization.as_str() {
        Some(kind) if kind.eq_ignore_ascii_case("NONE") => vec![Hit::new(
            &OPEN_TO_ANYONE,
            format!("{name}: anyone on the internet may invoke the function through its URL (authorization_type NONE)"),
        )],
        _ => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_site_names_a_string_attribute_of_the_provider() {
        let types = crate::rules::any::meanings::tests::provider_attributes();
        for site in SITES {
            let node = site.attribute.split('.').fold(&types[site.resource_type], |node, step| &node[step]);
            assert_eq!(
                node.as_str(),
                Some("string"),
                "{} has no string attribute {}",
                site.resource_type,
                site.attribute
            );
        }
    }
}

//! What the AWS provider's attributes mean: the one place to add one. Each row names a resource
//! type, an attribute path and its meaning; the `meanings` family judges every change against the
//! rows (a test checks each path against the provider's schema). Attributes other families judge
//! (RDS instances and clusters, KMS keys, security groups, network ACL entries) are not repeated.

use crate::plan::Attr;
use crate::rules::model::meaning::{
    Attribute, Guard,
    Meaning::{Capacity, Protection, Recording, Transport},
    Scale, Table, Zero,
};
use crate::rules::model::rows::{count, flag, guard, levels, period, present};

pub(crate) static TABLE: Table = Table { attributes: ATTRIBUTES, guards: GUARDS };

/// The types that are nothing but a control: the `meanings` family is the one that judges them.
/// Types with other settings (tables, services, load balancers) are left to their families or to
/// the high-risk classes.
pub(crate) const CONTROL_TYPES: &[&str] = &[
    "aws_cloudtrail",
    "aws_guardduty_detector",
    "aws_guardduty_detector_feature",
    "aws_config_configuration_recorder",
    "aws_config_configuration_recorder_status",
    "aws_config_config_rule",
    "aws_securityhub_account",
    "aws_securityhub_standards_subscription",
    "aws_flow_log",
    "aws_s3_bucket_server_side_encryption_configuration",
    "aws_s3_bucket_versioning",
    "aws_s3_bucket_logging",
    "aws_ebs_encryption_by_default",
    "aws_backup_plan",
    "aws_backup_selection",
    "aws_backup_vault_lock_configuration",
    "aws_efs_backup_policy",
    "aws_wafv2_web_acl_association",
    "aws_wafregional_web_acl_association",
    "aws_shield_protection",
    "aws_cloudwatch_log_subscription_filter",
    "aws_organizations_policy_attachment",
    "aws_ssoadmin_permissions_boundary_attachment",
    "aws_inspector2_enabler",
    "aws_macie2_account",
    "aws_accessanalyzer_analyzer",
    "aws_iam_account_password_policy",
    "aws_vpc_endpoint_policy",
    "aws_ebs_snapshot_block_public_access",
    "aws_ec2_image_block_public_access",
    "aws_emr_block_public_access_configuration",
    "aws_ec2_instance_metadata_defaults",
    "aws_s3_bucket_ownership_controls",
    "aws_vpc_block_public_access_options",
    "aws_route53_hosted_zone_dnssec",
];

/// Load balancer and target group protocols: plain text below encrypted.
const LB_PROTOCOLS: &[&[&str]] = &[&["HTTP", "TCP", "UDP", "TCP_UDP"], &["HTTPS", "TLS"]];
const VIEWER_POLICIES: &[&[&str]] = &[&["allow-all"], &["redirect-to-https", "https-only"]];
const ORIGIN_POLICIES: &[&[&str]] = &[&["http-only"], &["match-viewer"], &["https-only"]];
const CLOUDFRONT_TLS: &[&[&str]] = &[
    &["SSLv3"],
    &["TLSv1"],
    &["TLSv1_2016"],
    &["TLSv1.1_2016"],
    &["TLSv1.2_2018"],
    &["TLSv1.2_2019"],
    &["TLSv1.2_2021"],
];
const API_TLS: &[&[&str]] = &[&["TLS_1_0"], &["TLS_1_2"]];
const SEARCH_TLS: &[&[&str]] =
    &[&["Policy-Min-TLS-1-0-2019-07"], &["Policy-Min-TLS-1-2-2019-07", "Policy-Min-TLS-1-2-PFS-2023-10"]];
const KAFKA_CLIENTS: &[&[&str]] = &[&["PLAINTEXT"], &["TLS_PLAINTEXT"], &["TLS"]];
const DMS_SSL: &[&[&str]] = &[&["none"], &["require"], &["verify-ca", "verify-full"]];
const ENABLED: &[&[&str]] = &[&["DISABLED", "DISABLING"], &["ENABLED", "ENABLING"]];
const VERSIONING: &[&[&str]] = &[&["Suspended", "Disabled"], &["Enabled"]];
const ACTIVE: &[&[&str]] = &[&["INACTIVE"], &["ACTIVE"]];
const MACIE: &[&[&str]] = &[&["PAUSED"], &["ENABLED"]];
const TAGS: &[&[&str]] = &[&["MUTABLE", "MUTABLE_WITH_EXCLUSION"], &["IMMUTABLE", "IMMUTABLE_WITH_EXCLUSION"]];
const STREAM_ENCRYPTION: &[&[&str]] = &[&["NONE"], &["KMS"]];
const SNAPSHOT_SHARING: &[&[&str]] = &[&["unblocked"], &["block-new-sharing"], &["block-all-sharing"]];
const IMAGE_SHARING: &[&[&str]] = &[&["unblocked"], &["block-new-sharing"]];
/// The instance metadata service: `optional` still answers IMDSv1 requests, which need no session
/// token, so a request forgery in anything on the instance can read its role's credentials.
const METADATA_TOKENS: &[&[&str]] = &[&["optional"], &["required"]];
/// SageMaker switches where `Enabled` is the exposure: root for a notebook's users, a path to the
/// internet around the VPC.
const ENABLED_EXPOSES: &[&[&str]] = &[&["Enabled"], &["Disabled"]];
/// A notebook instance's lowest metadata service version: `1` answers IMDSv1 requests.
const NOTEBOOK_METADATA: &[&[&str]] = &[&["1"], &["2"]];
/// Where a SageMaker domain's apps reach the internet: `PublicInternetOnly` is around the VPC.
const DOMAIN_NETWORK: &[&[&str]] = &[&["PublicInternetOnly"], &["VpcOnly"]];
/// How the Glue Data Catalog's metadata is encrypted at rest.
const CATALOG_ENCRYPTION: &[&[&str]] = &[&["DISABLED"], &["SSE-KMS", "SSE-KMS-WITH-SERVICE-ROLE"]];
/// The region's default for new instances; with no preference, each image's own (often optional).
const METADATA_DEFAULTS: &[&[&str]] = &[&["optional", "no-preference"], &["required"]];
/// Who owns objects written to a bucket: only `BucketOwnerEnforced` switches object ACLs off.
const OBJECT_OWNERSHIP: &[&[&str]] = &[&["ObjectWriter", "BucketOwnerPreferred"], &["BucketOwnerEnforced"]];
const GATEWAY_BLOCK: &[&[&str]] = &[&["off"], &["block-ingress"], &["block-bidirectional"]];
const MFA: &[&[&str]] = &[&["OFF"], &["OPTIONAL"], &["ON"]];
/// A parameter's type: only `SecureString` values are encrypted with a KMS key.
const PARAMETER_TYPES: &[&[&str]] = &[&["String", "StringList"], &["SecureString"]];
const AUTO_ACCEPT: &[&[&str]] = &[&["enable"], &["disable"]];
const DNSSEC_SIGNING: &[&[&str]] = &[&["NOT_SIGNING"], &["SIGNING"]];
/// Load balancer TLS policies by the oldest version they accept.
const ELB_TLS: &[&[&str]] = &[
    &[
        "ELBSecurityPolicy-2015-05",
        "ELBSecurityPolicy-2016-08",
        "ELBSecurityPolicy-TLS-1-0-2015-04",
        "ELBSecurityPolicy-FS-2018-06",
        "ELBSecurityPolicy-TLS13-1-0-2021-06",
        "ELBSecurityPolicy-TLS13-1-0-FIPS-2023-04",
    ],
    &[
        "ELBSecurityPolicy-TLS-1-1-2017-01",
        "ELBSecurityPolicy-FS-1-1-2019-08",
        "ELBSecurityPolicy-TLS13-1-1-2021-06",
        "ELBSecurityPolicy-TLS13-1-1-FIPS-2023-04",
    ],
    &[
        "ELBSecurityPolicy-TLS-1-2-2017-01",
        "ELBSecurityPolicy-TLS-1-2-Ext-2018-06",
        "ELBSecurityPolicy-FS-1-2-2019-08",
        "ELBSecurityPolicy-FS-1-2-Res-2019-08",
        "ELBSecurityPolicy-FS-1-2-Res-2020-10",
        "ELBSecurityPolicy-TLS13-1-2-2021-06",
        "ELBSecurityPolicy-TLS13-1-2-Res-2021-06",
        "ELBSecurityPolicy-TLS13-1-2-Ext1-2021-06",
        "ELBSecurityPolicy-TLS13-1-2-Ext2-2021-06",
        "ELBSecurityPolicy-TLS13-1-3-2021-06",
        "ELBSecurityPolicy-TLS13-1-2-FIPS-2023-04",
        "ELBSecurityPolicy-TLS13-1-2-Res-FIPS-2023-04",
        "ELBSecurityPolicy-TLS13-1-2-Ext0-FIPS-2023-04",
        "ELBSecurityPolicy-TLS13-1-2-Ext1-FIPS-2023-04",
        "ELBSecurityPolicy-TLS13-1-2-Ext2-FIPS-2023-04",
        "ELBSecurityPolicy-TLS13-1-3-FIPS-2023-04",
    ],
];
/// Object Lock's default mode: `GOVERNANCE` lets anyone with `s3:BypassGovernanceRetention` delete.
const LOCK_MODES: &[&[&str]] = &[&["GOVERNANCE"], &["COMPLIANCE"]];
const DNS_FIREWALL_ACTIONS: &[&[&str]] = &[&["ALLOW"], &["ALERT"], &["BLOCK"]];
/// An SSM service setting's value where `Enable` opens something (public sharing of documents).
const SETTING_ENABLED: &[&[&str]] = &[&["Enable"], &["Disable"]];
const RULES_UNBLOCKING: &str = "the requests matched are counted or allowed, no longer stopped";
const UNSIGNED: &str = "the zone's answers are no longer signed: resolvers cannot detect forged ones";
const RULE_STATE: &[&[&str]] = &[&["DISABLED"], &["ENABLED", "ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS"]];

static ATTRIBUTES: &[Attribute] = &[
    // Capacity: zero instances, tasks or executions, or a service switched off.
    count("aws_autoscaling_group", "desired_capacity", "no instance runs"),
    count("aws_autoscaling_group", "max_size", "no instance can run"),
    count("aws_ecs_service", "desired_count", "no task runs: the service stops"),
    count("aws_lambda_function", "reserved_concurrent_executions", "every invocation is throttled"),
    count("aws_eks_node_group", "scaling_config.desired_size", "no node runs: pods cannot be scheduled"),
    count("aws_eks_node_group", "scaling_config.max_size", "no node can run"),
    count("aws_appautoscaling_target", "max_capacity", "the scaled resource can run nothing"),
    count("aws_emr_instance_group", "instance_count", "no instance runs in the group"),
    count("aws_batch_compute_environment", "compute_resources.max_vcpus", "no job can run"),
    count("aws_api_gateway_method_settings", "settings.throttling_rate_limit", "every request is throttled"),
    count("aws_api_gateway_method_settings", "settings.throttling_burst_limit", "every request is throttled"),
    count("aws_apigatewayv2_stage", "default_route_settings.throttling_rate_limit", "every request is throttled"),
    count("aws_apigatewayv2_stage", "default_route_settings.throttling_burst_limit", "every request is throttled"),
    count("aws_api_gateway_usage_plan", "throttle_settings.rate_limit", "every request of the plan is throttled"),
    flag("aws_cloudfront_distribution", "enabled", Capacity, true, "the distribution stops serving requests"),
    flag("aws_lambda_event_source_mapping", "enabled", Capacity, true, "events are no longer processed"),
    levels("aws_cloudwatch_event_rule", "state", Capacity, RULE_STATE, "the rule no longer triggers its targets"),
    flag("aws_route53_health_check", "disabled", Capacity, false, "the check reports healthy whatever happens"),
    // Protection: what keeps data and resources safe.
    flag("aws_dynamodb_table", "deletion_protection_enabled", Protection, true, "the table can be deleted"),
    flag(
        "aws_dynamodb_table",
        "point_in_time_recovery.enabled",
        Protection,
        true,
        "the table can no longer be restored to a point in time",
    ),
    flag("aws_docdb_cluster", "deletion_protection", Protection, true, "the cluster can be deleted"),
    flag("aws_docdb_cluster", "skip_final_snapshot", Protection, false, "deleting the cluster keeps no snapshot"),
    flag("aws_neptune_cluster", "deletion_protection", Protection, true, "the cluster can be deleted"),
    flag("aws_neptune_cluster", "skip_final_snapshot", Protection, false, "deleting the cluster keeps no snapshot"),
    flag("aws_redshift_cluster", "skip_final_snapshot", Protection, false, "deleting the cluster keeps no snapshot"),
    flag("aws_redshift_cluster", "encrypted", Protection, true, "the warehouse is no longer encrypted"),
    flag("aws_rds_global_cluster", "deletion_protection", Protection, true, "the global cluster can be deleted"),
    flag("aws_lb", "enable_deletion_protection", Protection, true, "the load balancer can be deleted"),
    flag("aws_alb", "enable_deletion_protection", Protection, true, "the load balancer can be deleted"),
    flag("aws_instance", "disable_api_termination", Protection, true, "the instance can be terminated"),
    flag("aws_instance", "disable_api_stop", Protection, true, "the instance can be stopped"),
    levels("aws_cognito_user_pool", "deletion_protection", Protection, ACTIVE, "the user pool can be deleted"),
    flag("aws_s3_bucket", "force_destroy", Protection, false, "deleting the bucket will delete every object in it"),
    levels(
        "aws_s3_bucket_versioning",
        "versioning_configuration.status",
        Protection,
        VERSIONING,
        "overwritten and deleted objects can no longer be recovered",
    ),
    levels(
        "aws_s3_bucket_versioning",
        "versioning_configuration.mfa_delete",
        Protection,
        VERSIONING,
        "versions can be deleted without MFA",
    ),
    flag("aws_ebs_encryption_by_default", "enabled", Protection, true, "new EBS volumes are no longer encrypted"),
    flag("aws_ebs_volume", "encrypted", Protection, true, "the replacement volume is not encrypted"),
    flag("aws_efs_file_system", "encrypted", Protection, true, "the replacement file system is not encrypted"),
    levels("aws_efs_backup_policy", "backup_policy.status", Protection, ENABLED, "automatic backups stop"),
    // A string in this provider version ("true" or "false").
    levels(
        "aws_elasticache_replication_group",
        "at_rest_encryption_enabled",
        Protection,
        &[&["false"], &["true"]],
        "the replacement's data is not encrypted at rest",
    ),
    flag("aws_docdb_cluster", "storage_encrypted", Protection, true, "the replacement is not encrypted"),
    flag("aws_neptune_cluster", "storage_encrypted", Protection, true, "the replacement is not encrypted"),
    flag("aws_opensearch_domain", "encrypt_at_rest.enabled", Protection, true, "the indexes are not encrypted"),
    flag("aws_elasticsearch_domain", "encrypt_at_rest.enabled", Protection, true, "the indexes are not encrypted"),
    flag(
        "aws_opensearch_domain",
        "advanced_security_options.enabled",
        Protection,
        true,
        "fine-grained access control is off",
    ),
    flag(
        "aws_elasticsearch_domain",
        "advanced_security_options.enabled",
        Protection,
        true,
        "fine-grained access control is off",
    ),
    levels("aws_kinesis_stream", "encryption_type", Protection, STREAM_ENCRYPTION, "records are no longer encrypted"),
    levels("aws_ecr_repository", "image_tag_mutability", Protection, TAGS, "a pushed tag can be overwritten"),
    levels(
        "aws_ssm_parameter",
        "type",
        Protection,
        PARAMETER_TYPES,
        "the parameter's value is stored and shown unencrypted",
    ),
    flag(
        "aws_ram_resource_share",
        "allow_external_principals",
        Protection,
        false,
        "the share can admit accounts outside the organization",
    ),
    levels(
        "aws_ec2_transit_gateway",
        "auto_accept_shared_attachments",
        Protection,
        AUTO_ACCEPT,
        "any account the gateway is shared with can attach its networks without approval",
    ),
    levels("aws_route53_hosted_zone_dnssec", "signing_status", Protection, DNSSEC_SIGNING, UNSIGNED),
    levels("aws_dlm_lifecycle_policy", "state", Protection, ENABLED, "the snapshots and images it takes stop"),
    flag(
        "aws_kinesis_firehose_delivery_stream",
        "server_side_encryption.enabled",
        Protection,
        true,
        "records are no longer encrypted at rest",
    ),
    flag(
        "aws_cloudtrail_event_data_store",
        "termination_protection_enabled",
        Protection,
        true,
        "the event data store, and the events it keeps, can be deleted",
    ),
    flag("aws_networkfirewall_firewall", "delete_protection", Protection, true, "the firewall can be deleted"),
    flag(
        "aws_msk_cluster",
        "client_authentication.unauthenticated",
        Protection,
        false,
        "clients can connect to the brokers without authenticating",
    ),
    Attribute::new(
        "aws_memorydb_cluster",
        "acl_name",
        Protection,
        Scale::On(requires_sign_in),
        "anyone who can reach the cluster connects without a password (open-access)",
    ),
    flag(
        "aws_route53domains_registered_domain",
        "transfer_lock",
        Protection,
        true,
        "the domain can be transferred to another registrar",
    ),
    levels(
        "aws_ebs_snapshot_block_public_access",
        "state",
        Protection,
        SNAPSHOT_SHARING,
        "EBS snapshots of the region may be shared publicly",
    ),
    levels(
        "aws_ec2_image_block_public_access",
        "state",
        Protection,
        IMAGE_SHARING,
        "images (AMIs) of the region may be shared publicly",
    ),
    flag(
        "aws_emr_block_public_access_configuration",
        "block_public_security_group_rules",
        Protection,
        true,
        "EMR clusters may start with security groups open to the internet",
    ),
    levels(
        "aws_instance",
        "metadata_options.http_tokens",
        Protection,
        METADATA_TOKENS,
        "the instance's role credentials can be read without a session token (IMDSv1)",
    ),
    levels(
        "aws_launch_template",
        "metadata_options.http_tokens",
        Protection,
        METADATA_TOKENS,
        "role credentials of instances launched from it can be read without a session token (IMDSv1)",
    ),
    present("aws_elasticache_replication_group", "auth_token", Protection, "clients connect without a password")
        .unless(uses_user_groups),
    levels(
        "aws_glue_data_catalog_encryption_settings",
        "data_catalog_encryption_settings.encryption_at_rest.catalog_encryption_mode",
        Protection,
        CATALOG_ENCRYPTION,
        "the Data Catalog's tables and connections are no longer encrypted at rest",
    ),
    flag(
        "aws_glue_data_catalog_encryption_settings",
        "data_catalog_encryption_settings.connection_password_encryption.return_connection_password_encrypted",
        Protection,
        true,
        "connection passwords are returned in clear text to whoever can read the catalog",
    ),
    flag(
        "aws_athena_workgroup",
        "configuration.enforce_workgroup_configuration",
        Protection,
        true,
        "queries may override the workgroup's settings, where results go and their encryption included",
    ),
    present(
        "aws_athena_workgroup",
        "configuration.result_configuration.encryption_configuration",
        Protection,
        "query results are no longer encrypted",
    ),
    levels(
        "aws_sagemaker_notebook_instance",
        "instance_metadata_service_configuration.minimum_instance_metadata_service_version",
        Protection,
        NOTEBOOK_METADATA,
        "the notebook instance's role credentials can be read without a session token (IMDSv1)",
    ),
    levels(
        "aws_sagemaker_notebook_instance",
        "root_access",
        Protection,
        ENABLED_EXPOSES,
        "the notebook's users get root on its instance",
    ),
    levels(
        "aws_sagemaker_notebook_instance",
        "direct_internet_access",
        Protection,
        ENABLED_EXPOSES,
        "the notebook reaches the internet directly, around the VPC's controls",
    ),
    levels(
        "aws_sagemaker_domain",
        "app_network_access_type",
        Protection,
        DOMAIN_NETWORK,
        "the domain's apps reach the internet directly, around the VPC's controls",
    ),
    levels(
        "aws_ec2_instance_metadata_defaults",
        "http_tokens",
        Protection,
        METADATA_DEFAULTS,
        "new instances of the region accept IMDSv1 requests, which need no session token",
    ),
    levels(
        "aws_vpc_block_public_access_options",
        "internet_gateway_block_mode",
        Protection,
        GATEWAY_BLOCK,
        "the region's VPCs may take traffic from the internet through their gateways again",
    ),
    levels(
        "aws_s3_bucket_ownership_controls",
        "rule.object_ownership",
        Protection,
        OBJECT_OWNERSHIP,
        "object ACLs work again: one ACL can make an object public",
    ),
    Attribute::new(
        "aws_sqs_queue",
        "sqs_managed_sse_enabled",
        Protection,
        Scale::On(encrypted_at_rest),
        "messages are no longer encrypted at rest",
    ),
    present("aws_sns_topic", "kms_master_key_id", Protection, "messages are no longer encrypted at rest"),
    levels("aws_cognito_user_pool", "mfa_configuration", Protection, MFA, "users can sign in without a second factor"),
    Attribute::new(
        "aws_wafv2_web_acl",
        "default_action",
        Protection,
        Scale::On(blocks_by_default),
        "requests that no rule matches are allowed instead of blocked",
    ),
    levels(
        "aws_s3_bucket_object_lock_configuration",
        "rule.default_retention.mode",
        Protection,
        LOCK_MODES,
        "locked objects can be deleted before their retention ends by anyone allowed to bypass governance",
    ),
    levels(
        "aws_route53_resolver_firewall_rule",
        "action",
        Protection,
        DNS_FIREWALL_ACTIONS,
        "queries for the rule's domains are answered, no longer blocked",
    ),
    levels(
        "aws_ssm_service_setting",
        "setting_value",
        Protection,
        SETTING_ENABLED,
        "the account's SSM documents may be shared publicly",
    )
    .unless(not_public_sharing),
    Attribute::new(
        "aws_networkfirewall_firewall_policy",
        "firewall_policy",
        Protection,
        Scale::On(inspects_by_default),
        "packets no stateless rule matches pass uninspected",
    ),
    Attribute::new("aws_wafv2_web_acl", "rule", Protection, Scale::Each(rules_blocking), RULES_UNBLOCKING),
    Attribute::new("aws_wafv2_rule_group", "rule", Protection, Scale::Each(rules_blocking), RULES_UNBLOCKING),
    present("aws_cloudfront_distribution", "web_acl_id", Protection, "requests are no longer filtered by a web ACL"),
    // A boundary caps what any policy attached later can grant; without it they grant in full.
    present("aws_iam_role", "permissions_boundary", Protection, "no boundary caps what the role's policies grant"),
    present("aws_iam_user", "permissions_boundary", Protection, "no boundary caps what the user's policies grant"),
    // Recording: what records activity.
    flag("aws_cloudtrail", "enable_logging", Recording, true, "the trail stops recording API calls"),
    flag(
        "aws_cloudtrail",
        "include_global_service_events",
        Recording,
        true,
        "calls to IAM, STS and other global services are no longer recorded",
    ),
    levels("aws_securityhub_standards_control", "control_status", Recording, ENABLED, "the control stops checking"),
    Attribute::new(
        "aws_ecs_cluster",
        "setting",
        Recording,
        Scale::On(container_insights),
        "container metrics and logs (Container Insights) are no longer collected",
    ),
    Attribute::new(
        "aws_eks_cluster",
        "enabled_cluster_log_types",
        Recording,
        Scale::On(kubernetes_audit),
        "the Kubernetes audit log is no longer recorded",
    ),
    flag(
        "aws_opensearch_domain",
        "log_publishing_options.enabled",
        Recording,
        true,
        "the domain's logs of this type are no longer published",
    ),
    flag(
        "aws_elasticsearch_domain",
        "log_publishing_options.enabled",
        Recording,
        true,
        "the domain's logs of this type are no longer published",
    ),
    flag("aws_cloudtrail", "is_multi_region_trail", Recording, true, "other regions are no longer recorded"),
    present("aws_cloudtrail", "kms_key_id", Recording, "log files are no longer encrypted with the trail's key"),
    flag(
        "aws_cloudtrail",
        "enable_log_file_validation",
        Recording,
        true,
        "tampering with log files can no longer be detected",
    ),
    Attribute::new(
        "aws_cloudtrail",
        "event_selector",
        Recording,
        Scale::On(records_data_events),
        "object and function activity (data events) is no longer recorded",
    ),
    Attribute::new(
        "aws_cloudtrail",
        "advanced_event_selector",
        Recording,
        Scale::On(records_data_events),
        "object and function activity (data events) is no longer recorded",
    ),
    flag("aws_guardduty_detector", "enable", Recording, true, "threat detection stops"),
    levels("aws_guardduty_detector_feature", "status", Recording, ENABLED, "this threat detection feature stops"),
    flag("aws_config_configuration_recorder_status", "is_enabled", Recording, true, "configuration recording stops"),
    levels("aws_macie2_account", "status", Recording, MACIE, "sensitive data discovery stops"),
    flag("aws_lb", "access_logs.enabled", Recording, true, "requests are no longer logged"),
    flag("aws_alb", "access_logs.enabled", Recording, true, "requests are no longer logged"),
    present("aws_api_gateway_stage", "access_log_settings", Recording, "requests are no longer logged"),
    present("aws_apigatewayv2_stage", "access_log_settings", Recording, "requests are no longer logged"),
    present("aws_cloudfront_distribution", "logging_config", Recording, "requests are no longer logged"),
    flag("aws_cloudwatch_metric_alarm", "actions_enabled", Recording, true, "the alarm no longer notifies anyone"),
    flag(
        "aws_ecr_repository",
        "image_scanning_configuration.scan_on_push",
        Recording,
        true,
        "pushed images are no longer scanned for vulnerabilities",
    ),
    // Retention: how long data and backups are kept.
    period("aws_cloudwatch_log_group", "retention_in_days", "days", Zero::Forever, "older events are deleted"),
    period("aws_sqs_queue", "message_retention_seconds", "seconds", Zero::Off, "older messages are deleted sooner"),
    period("aws_kinesis_stream", "retention_period", "hours", Zero::Off, "older records are deleted sooner"),
    period(
        "aws_elasticache_cluster",
        "snapshot_retention_limit",
        "days",
        Zero::Off,
        "fewer backups are kept (0: none)",
    ),
    period(
        "aws_elasticache_replication_group",
        "snapshot_retention_limit",
        "days",
        Zero::Off,
        "fewer backups are kept (0: none)",
    ),
    period("aws_memorydb_cluster", "snapshot_retention_limit", "days", Zero::Off, "fewer backups are kept (0: none)"),
    period("aws_docdb_cluster", "backup_retention_period", "days", Zero::Off, "fewer backups are kept"),
    period("aws_neptune_cluster", "backup_retention_period", "days", Zero::Off, "fewer backups are kept"),
    period(
        "aws_redshift_cluster",
        "automated_snapshot_retention_period",
        "days",
        Zero::Off,
        "fewer snapshots are kept (0: none)",
    ),
    period(
        "aws_fsx_lustre_file_system",
        "automatic_backup_retention_days",
        "days",
        Zero::Off,
        "fewer backups are kept (0: none)",
    ),
    period(
        "aws_fsx_windows_file_system",
        "automatic_backup_retention_days",
        "days",
        Zero::Off,
        "fewer backups are kept (0: none)",
    ),
    period(
        "aws_fsx_ontap_file_system",
        "automatic_backup_retention_days",
        "days",
        Zero::Off,
        "fewer backups are kept (0: none)",
    ),
    period(
        "aws_fsx_openzfs_file_system",
        "automatic_backup_retention_days",
        "days",
        Zero::Off,
        "fewer backups are kept (0: none)",
    ),
    period(
        "aws_backup_plan",
        "rule.lifecycle.delete_after",
        "days",
        Zero::Forever,
        "recovery points are deleted sooner",
    ),
    period(
        "aws_s3_bucket_lifecycle_configuration",
        "rule.expiration.days",
        "days",
        Zero::Forever,
        "current objects older than that are deleted",
    )
    .applies_to("bucket"),
    period(
        "aws_secretsmanager_secret",
        "recovery_window_in_days",
        "days",
        Zero::Off,
        "a deleted secret can be recovered for less time (0: not at all)",
    ),
    // Transport: encryption in transit.
    levels("aws_lb_listener", "protocol", Transport, LB_PROTOCOLS, "traffic to the listener is not encrypted")
        .unless(redirects_to_https),
    levels("aws_alb_listener", "protocol", Transport, LB_PROTOCOLS, "traffic to the listener is not encrypted")
        .unless(redirects_to_https),
    levels("aws_lb_target_group", "protocol", Transport, LB_PROTOCOLS, "traffic to the targets is not encrypted"),
    levels("aws_alb_target_group", "protocol", Transport, LB_PROTOCOLS, "traffic to the targets is not encrypted"),
    levels(
        "aws_cloudfront_distribution",
        "default_cache_behavior.viewer_protocol_policy",
        Transport,
        VIEWER_POLICIES,
        "viewers may use plain HTTP",
    ),
    levels(
        "aws_cloudfront_distribution",
        "ordered_cache_behavior.viewer_protocol_policy",
        Transport,
        VIEWER_POLICIES,
        "viewers may use plain HTTP",
    ),
    levels(
        "aws_cloudfront_distribution",
        "viewer_certificate.minimum_protocol_version",
        Transport,
        CLOUDFRONT_TLS,
        "viewers may use an older TLS version",
    ),
    levels(
        "aws_cloudfront_distribution",
        "origin.custom_origin_config.origin_protocol_policy",
        Transport,
        ORIGIN_POLICIES,
        "traffic to the origin may be plain HTTP",
    ),
    levels("aws_api_gateway_domain_name", "security_policy", Transport, API_TLS, "clients may use TLS 1.0"),
    levels(
        "aws_apigatewayv2_domain_name",
        "domain_name_configuration.security_policy",
        Transport,
        API_TLS,
        "clients may use TLS 1.0",
    ),
    flag(
        "aws_opensearch_domain",
        "domain_endpoint_options.enforce_https",
        Transport,
        true,
        "the domain accepts plain HTTP",
    ),
    flag(
        "aws_elasticsearch_domain",
        "domain_endpoint_options.enforce_https",
        Transport,
        true,
        "the domain accepts plain HTTP",
    ),
    levels(
        "aws_opensearch_domain",
        "domain_endpoint_options.tls_security_policy",
        Transport,
        SEARCH_TLS,
        "clients may use TLS 1.0",
    ),
    levels(
        "aws_elasticsearch_domain",
        "domain_endpoint_options.tls_security_policy",
        Transport,
        SEARCH_TLS,
        "clients may use TLS 1.0",
    ),
    flag(
        "aws_opensearch_domain",
        "node_to_node_encryption.enabled",
        Transport,
        true,
        "traffic between nodes is not encrypted",
    ),
    flag(
        "aws_elasticsearch_domain",
        "node_to_node_encryption.enabled",
        Transport,
        true,
        "traffic between nodes is not encrypted",
    ),
    flag(
        "aws_elasticache_replication_group",
        "transit_encryption_enabled",
        Transport,
        true,
        "traffic to the cache is not encrypted",
    ),
    levels(
        "aws_msk_cluster",
        "encryption_info.encryption_in_transit.client_broker",
        Transport,
        KAFKA_CLIENTS,
        "clients may connect in plain text",
    ),
    flag(
        "aws_msk_cluster",
        "encryption_info.encryption_in_transit.in_cluster",
        Transport,
        true,
        "traffic between brokers is not encrypted",
    ),
    levels("aws_dms_endpoint", "ssl_mode", Transport, DMS_SSL, "the connection is less protected"),
    levels("aws_lb_listener", "ssl_policy", Transport, ELB_TLS, "clients may connect with TLS 1.0 or 1.1"),
    levels("aws_alb_listener", "ssl_policy", Transport, ELB_TLS, "clients may connect with TLS 1.0 or 1.1"),
];

static GUARDS: &[Guard] = &[
    guard("aws_cloudtrail", Recording, "API calls are no longer recorded"),
    guard("aws_guardduty_detector", Recording, "threat detection stops"),
    guard("aws_config_configuration_recorder", Recording, "configuration changes are no longer recorded"),
    guard("aws_config_configuration_recorder_status", Recording, "configuration recording stops"),
    guard("aws_config_config_rule", Recording, "the rule no longer evaluates compliance"),
    guard("aws_securityhub_account", Recording, "Security Hub findings and standards checks stop"),
    guard("aws_securityhub_standards_subscription", Recording, "the standard's checks stop"),
    guard("aws_flow_log", Recording, "network traffic is no longer logged"),
    guard("aws_s3_bucket_logging", Recording, "access to the bucket is no longer logged"),
    guard("aws_cloudwatch_log_subscription_filter", Recording, "log events are no longer forwarded"),
    guard("aws_inspector2_enabler", Recording, "vulnerability scanning stops"),
    guard("aws_macie2_account", Recording, "sensitive data discovery stops"),
    guard("aws_accessanalyzer_analyzer", Recording, "external access is no longer analysed"),
    guard(
        "aws_s3_bucket_server_side_encryption_configuration",
        Protection,
        "the bucket's default encryption configuration is removed",
    ),
    guard(
        "aws_s3_bucket_versioning",
        Protection,
        "versioning is no longer managed: overwritten and deleted objects may not be recoverable",
    ),
    guard("aws_ebs_encryption_by_default", Protection, "new EBS volumes are no longer encrypted by default"),
    guard("aws_backup_plan", Protection, "its scheduled backups stop"),
    guard("aws_backup_selection", Protection, "the selected resources are no longer backed up"),
    guard("aws_backup_vault_lock_configuration", Protection, "recovery points in the vault can be deleted"),
    guard("aws_efs_backup_policy", Protection, "automatic backups of the file system stop"),
    guard("aws_wafv2_web_acl_association", Protection, "requests are no longer filtered by the web ACL"),
    guard("aws_wafregional_web_acl_association", Protection, "requests are no longer filtered by the web ACL"),
    guard("aws_shield_protection", Protection, "DDoS protection of the resource stops"),
    guard("aws_organizations_policy_attachment", Protection, "the policy's guardrails no longer apply to the target"),
    guard(
        "aws_ssoadmin_permissions_boundary_attachment",
        Protection,
        "no boundary caps what the permission set's policies grant",
    ),
    guard("aws_iam_account_password_policy", Protection, "password rules are no longer enforced"),
    guard("aws_vpc_endpoint_policy", Protection, "the endpoint admits every request its service allows"),
    // Deleting either block sets the region back to unblocked.
    guard("aws_ebs_snapshot_block_public_access", Protection, "EBS snapshots of the region may be shared publicly"),
    guard("aws_ec2_image_block_public_access", Protection, "images (AMIs) of the region may be shared publicly"),
    guard(
        "aws_vpc_block_public_access_options",
        Protection,
        "the region's VPCs may take traffic from the internet through their gateways again",
    ),
    guard("aws_s3_bucket_ownership_controls", Protection, "object ACLs work again: one ACL can make an object public"),
    guard("aws_route53_hosted_zone_dnssec", Protection, UNSIGNED),
    guard("aws_route53_record", Capacity, "the name no longer resolves: clients can no longer reach what it named"),
    guard("aws_eks_fargate_profile", Capacity, "pods it selected can no longer be scheduled"),
    guard("aws_api_gateway_stage", Capacity, "the stage's URL stops serving"),
    guard("aws_apigatewayv2_stage", Capacity, "the stage's URL stops serving"),
    guard("aws_lb_listener", Capacity, "the load balancer stops accepting connections on its port"),
    guard("aws_alb_listener", Capacity, "the load balancer stops accepting connections on its port"),
    Guard {
        resource_type: "aws_network_acl_rule",
        meaning: Protection,
        effect: "traffic this rule denied is now allowed",
        when: Some(("rule_action", "deny")),
    },
];

/// Whether a trail records data events (S3 objects, Lambda invocations): basic `event_selector`s
/// with `data_resource`s, or advanced selectors that select on `eventCategory = Data`.
fn records_data_events(trail: Attr<'_>) -> bool {
    let basic = trail.get("event_selector").elements().any(|s| s.get("data_resource").elements().next().is_some());
    let advanced = trail.get("advanced_event_selector").elements().any(|s| {
        s.get("field_selector").elements().any(|f| {
            f.get("field").as_str() == Some("eventCategory")
                && f.get("equals").elements().any(|v| v.as_str() == Some("Data"))
        })
    });
    basic || advanced
}

/// Whether a queue is encrypted at rest, by SQS or with a KMS key (which switches SQS's own off).
/// Not yet known is the provider's default for a new queue, which AWS encrypts: not judged.
fn encrypted_at_rest(queue: Attr<'_>) -> bool {
    queue.get("sqs_managed_sse_enabled").as_bool() == Some(true)
        || queue.get("kms_master_key_id").as_str().is_some_and(|key| !key.is_empty())
}

/// Whether a MemoryDB cluster asks for a user: the `open-access` ACL lets any connection in.
/// Not yet known is the provider's default for a new cluster (`open-access`): not judged.
fn requires_sign_in(cluster: Attr<'_>) -> bool {
    cluster.get("acl_name").as_str().is_some_and(|acl| !acl.eq_ignore_ascii_case("open-access"))
}

/// Whether a cluster collects Container Insights (`enabled`, or `enhanced` observability).
fn container_insights(cluster: Attr<'_>) -> bool {
    cluster.get("setting").elements().any(|s| {
        s.get("name").as_str() == Some("containerInsights")
            && s.get("value").as_str().is_some_and(|v| v.eq_ignore_ascii_case("enabled") || v == "enhanced")
    })
}

/// Whether an EKS cluster sends its Kubernetes audit log to CloudWatch.
fn kubernetes_audit(cluster: Attr<'_>) -> bool {
    cluster.get("enabled_cluster_log_types").elements().any(|t| t.as_str() == Some("audit"))
}

/// Whether a web ACL blocks what no rule matches (`default_action { block {} }`).
/// Whether an SSM service setting is another than the one that allows sharing documents publicly.
fn not_public_sharing(setting: Attr<'_>) -> bool {
    !setting
        .get("setting_id")
        .as_str()
        .is_some_and(|id| id.ends_with("/ssm/documents/console/public-sharing-permission"))
}

/// Whether a Network Firewall policy sends packets no stateless rule matches (and fragments) on
/// to inspection or drops them, rather than letting them pass.
fn inspects_by_default(policy: Attr<'_>) -> bool {
    policy.get("firewall_policy").elements().any(|p| {
        ["stateless_default_actions", "stateless_fragment_default_actions"]
            .iter()
            .all(|list| !p.get(list).elements().any(|action| action.as_str() == Some("aws:pass")))
    })
}

/// A web ACL's (or rule group's) rules by name, each on while it stops what it matches: its own
/// action blocks or challenges, or a rule group it runs keeps its own actions (`none`, not `count`).
fn rules_blocking(acl: Attr<'_>) -> Vec<(String, bool)> {
    let any_of = |blocks: Attr<'_>, kinds: &[&str]| {
        blocks.elements().any(|block| kinds.iter().any(|kind| block.get(kind).elements().next().is_some()))
    };
    acl.get("rule")
        .elements()
        .filter_map(|rule| {
            let stops = any_of(rule.get("action"), &["block", "captcha", "challenge"])
                || any_of(rule.get("override_action"), &["none"]);
            Some((rule.get("name").as_str()?.to_owned(), stops))
        })
        .collect()
}

fn blocks_by_default(acl: Attr<'_>) -> bool {
    acl.get("default_action").elements().any(|action| action.get("block").elements().next().is_some())
}

/// Whether every default action of a listener redirects to HTTPS: an HTTP listener that only
/// sends clients to HTTPS serves nothing in plain text.
fn redirects_to_https(listener: Attr<'_>) -> bool {
    let mut actions = listener.get("default_action").elements().peekable();
    actions.peek().is_some()
        && actions.all(|action| {
            action.get("type").as_str() == Some("redirect")
                && action.get("redirect").elements().any(|r| r.get("protocol").as_str() == Some("HTTPS"))
        })
}

/// Whether a replication group authenticates with RBAC user groups: its AUTH token is then
/// removed on purpose, for users with passwords of their own.
fn uses_user_groups(group: Attr<'_>) -> bool {
    group.get("user_group_ids").elements().next().is_some()
}

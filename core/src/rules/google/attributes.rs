//! What the `hashicorp/google` (and `google-beta`) provider's attributes mean: rows the `meanings`
//! family judges, as for AWS (`rules/aws/attributes.rs`).

use crate::rules::model::exposure::covers_internet;
use crate::rules::model::meaning::{
    Attribute, Guard,
    Meaning::{Capacity, Protection, Recording, Retention, Transport},
    Scale, Table, Zero,
};
use crate::rules::model::rows::{count, flag, guard, levels, period, present};

pub(crate) static TABLE: Table = Table { attributes: ATTRIBUTES, guards: GUARDS };

const PUBLIC_ACCESS_PREVENTION: &[&[&str]] = &[&["inherited", "unspecified"], &["enforced"]];
const SQL_SSL: &[&[&str]] =
    &[&["ALLOW_UNENCRYPTED_AND_ENCRYPTED"], &["ENCRYPTED_ONLY", "TRUSTED_CLIENT_CERTIFICATE_REQUIRED"]];
const FIRESTORE: &[&[&str]] = &[&["DELETE_PROTECTION_DISABLED"], &["DELETE_PROTECTION_ENABLED"]];
const ENFORCED: &[&[&str]] = &[&["FALSE"], &["TRUE"]];
const SSL_POLICY_TLS: &[&[&str]] = &[&["TLS_1_0"], &["TLS_1_1"], &["TLS_1_2"]];
/// Metadata flags are strings; `TRUE`/`FALSE` compare ignoring case.
const SERIAL_PORT: &[&[&str]] = &[&["TRUE"], &["FALSE"]];
const BINARY_AUTHORIZATION: &[&[&str]] = &[
    &["DISABLED"],
    &["PROJECT_SINGLETON_POLICY_ENFORCE", "POLICY_BINDINGS", "POLICY_BINDINGS_AND_PROJECT_SINGLETON_POLICY_ENFORCE"],
];
/// What pods see of the node's metadata server: `GCE_METADATA` hands them the node's credentials.
const WORKLOAD_METADATA: &[&[&str]] = &[&["GCE_METADATA", "MODE_UNSPECIFIED"], &["GKE_METADATA"]];
/// Where a function or a Cloud Run service takes requests from, most open first.
const FUNCTION_INGRESS: &[&[&str]] = &[&["ALLOW_ALL"], &["ALLOW_INTERNAL_AND_GCLB"], &["ALLOW_INTERNAL_ONLY"]];
const RUN_INGRESS: &[&[&str]] =
    &[&["INGRESS_TRAFFIC_ALL"], &["INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER"], &["INGRESS_TRAFFIC_INTERNAL_ONLY"]];
const DNSSEC_STATE: &[&[&str]] = &[&["off"], &["transfer"], &["on"]];
const FROM_THE_INTERNET: &str = "it takes requests from the internet, not only from inside the network";
const UNFILTERED: &str = "requests reach the backends without Cloud Armor's filtering";
const OS_LOGIN_OFF: &str = "SSH keys in metadata work again, outside IAM and its audit";
const SERIAL_OPEN: &str = "the serial console accepts interactive connections";
const NODE_CREDENTIALS: &str = "pods can read the node's service account credentials from the metadata server";

static ATTRIBUTES: &[Attribute] = &[
    // Capacity.
    count("google_container_node_pool", "node_count", "no node runs in the pool"),
    count("google_container_node_pool", "autoscaling.max_node_count", "no node can run in the pool"),
    count("google_compute_instance_group_manager", "target_size", "no instance runs"),
    count("google_compute_region_instance_group_manager", "target_size", "no instance runs"),
    // Protection.
    flag("google_sql_database_instance", "deletion_protection", Protection, true, "the instance can be deleted"),
    flag(
        "google_sql_database_instance",
        "settings.deletion_protection_enabled",
        Protection,
        true,
        "the instance can be deleted outside Terraform",
    ),
    flag(
        "google_sql_database_instance",
        "settings.backup_configuration.enabled",
        Protection,
        true,
        "automated backups stop",
    ),
    flag(
        "google_sql_database_instance",
        "settings.backup_configuration.point_in_time_recovery_enabled",
        Protection,
        true,
        "the instance can no longer be restored to a point in time",
    ),
    flag(
        "google_sql_database_instance",
        "settings.ip_configuration.ipv4_enabled",
        Protection,
        false,
        "the instance gets a public IP",
    ),
    flag("google_bigquery_table", "deletion_protection", Protection, true, "the table can be deleted"),
    flag("google_container_cluster", "deletion_protection", Protection, true, "the cluster can be deleted"),
    flag("google_spanner_database", "deletion_protection", Protection, true, "the database can be deleted"),
    flag("google_bigtable_instance", "deletion_protection", Protection, true, "the instance can be deleted"),
    flag("google_compute_instance", "deletion_protection", Protection, true, "the instance can be deleted"),
    levels(
        "google_firestore_database",
        "delete_protection_state",
        Protection,
        FIRESTORE,
        "the database can be deleted",
    ),
    flag(
        "google_storage_bucket",
        "versioning.enabled",
        Protection,
        true,
        "overwritten and deleted objects are not kept",
    ),
    levels(
        "google_storage_bucket",
        "public_access_prevention",
        Protection,
        PUBLIC_ACCESS_PREVENTION,
        "the bucket's objects may be made public",
    ),
    flag(
        "google_storage_bucket",
        "uniform_bucket_level_access",
        Protection,
        true,
        "object ACLs may make single objects public",
    ),
    period(
        "google_storage_bucket",
        "retention_policy.retention_period",
        "seconds",
        Zero::Off,
        "objects may be deleted sooner",
    ),
    present("google_storage_bucket", "logging", Recording, "access to the bucket is no longer logged"),
    flag(
        "google_compute_instance",
        "shielded_instance_config.enable_secure_boot",
        Protection,
        true,
        "the instance boots code that is not verified",
    ),
    levels("google_compute_instance", "metadata.enable-oslogin", Protection, ENFORCED, OS_LOGIN_OFF),
    levels("google_compute_project_metadata", "metadata.enable-oslogin", Protection, ENFORCED, OS_LOGIN_OFF),
    levels("google_compute_instance", "metadata.serial-port-enable", Protection, SERIAL_PORT, SERIAL_OPEN),
    levels("google_compute_project_metadata", "metadata.serial-port-enable", Protection, SERIAL_PORT, SERIAL_OPEN),
    flag(
        "google_container_cluster",
        "network_policy.enabled",
        Protection,
        true,
        "pods reach each other whatever the network policies say",
    ),
    levels(
        "google_container_cluster",
        "binary_authorization.evaluation_mode",
        Protection,
        BINARY_AUTHORIZATION,
        "any image can run, attested or not",
    ),
    levels(
        "google_container_cluster",
        "node_config.workload_metadata_config.mode",
        Protection,
        WORKLOAD_METADATA,
        NODE_CREDENTIALS,
    ),
    levels(
        "google_container_node_pool",
        "node_config.workload_metadata_config.mode",
        Protection,
        WORKLOAD_METADATA,
        NODE_CREDENTIALS,
    ),
    // Removing the whole (unlocked) policy leaves no period to compare: objects may go at once.
    present("google_storage_bucket", "retention_policy", Retention, "objects may be deleted at any time"),
    levels(
        "google_org_policy_policy",
        "spec.rules.enforce",
        Protection,
        ENFORCED,
        "the organization policy's constraint is no longer enforced",
    ),
    present("google_kms_crypto_key", "rotation_period", Protection, "the key is no longer rotated"),
    flag(
        "google_container_cluster",
        "private_cluster_config.enable_private_endpoint",
        Protection,
        true,
        "the cluster's control plane is reachable at a public address",
    ),
    flag(
        "google_container_cluster",
        "private_cluster_config.enable_private_nodes",
        Protection,
        true,
        "the cluster's nodes get public IP addresses",
    ),
    levels("google_cloudfunctions_function", "ingress_settings", Protection, FUNCTION_INGRESS, FROM_THE_INTERNET),
    levels(
        "google_cloudfunctions2_function",
        "service_config.ingress_settings",
        Protection,
        FUNCTION_INGRESS,
        FROM_THE_INTERNET,
    ),
    levels("google_cloud_run_v2_service", "ingress", Protection, RUN_INGRESS, FROM_THE_INTERNET),
    present(
        "google_iam_workload_identity_pool_provider",
        "attribute_condition",
        Protection,
        "every token the issuer signs enters the pool, from any repository or project",
    ),
    present("google_compute_backend_service", "security_policy", Protection, UNFILTERED),
    present("google_compute_region_backend_service", "security_policy", Protection, UNFILTERED),
    levels(
        "google_dns_managed_zone",
        "dnssec_config.state",
        Protection,
        DNSSEC_STATE,
        "the zone's answers are no longer signed: resolvers cannot detect forged ones",
    ),
    present(
        "google_container_cluster",
        "master_authorized_networks_config",
        Protection,
        "the cluster's control plane accepts connections from any address",
    ),
    // The networks kept but one of them the whole internet (removing them is the row above).
    Attribute::new(
        "google_container_cluster",
        "master_authorized_networks_config",
        Protection,
        Scale::On(|cluster| {
            let configs = cluster.get("master_authorized_networks_config").elements();
            let blocks = configs.flat_map(|config| config.get("cidr_blocks").elements());
            !covers_internet(blocks.filter_map(|block| block.get("cidr_block").as_str()))
        }),
        "the cluster's control plane accepts connections from any address (an authorized network is the internet)",
    ),
    flag(
        "google_container_cluster",
        "enable_legacy_abac",
        Protection,
        false,
        "legacy ABAC lets every service account and user of the cluster act beyond its RBAC roles",
    ),
    // Recording.
    present("google_compute_subnetwork", "log_config", Recording, "flow logs of the subnetwork stop"),
    // Transport.
    flag(
        "google_sql_database_instance",
        "settings.ip_configuration.require_ssl",
        Transport,
        true,
        "clients may connect without TLS",
    ),
    levels(
        "google_sql_database_instance",
        "settings.ip_configuration.ssl_mode",
        Transport,
        SQL_SSL,
        "clients may connect without TLS",
    ),
    levels(
        "google_compute_ssl_policy",
        "min_tls_version",
        Transport,
        SSL_POLICY_TLS,
        "clients may use an older TLS version",
    ),
];

static GUARDS: &[Guard] = &[
    guard("google_logging_project_sink", Recording, "the logs it exported are no longer kept there"),
    guard("google_logging_folder_sink", Recording, "the logs it exported are no longer kept there"),
    guard("google_logging_organization_sink", Recording, "the logs it exported are no longer kept there"),
    guard("google_project_iam_audit_config", Recording, "data-access audit logs of the service stop"),
    guard("google_folder_iam_audit_config", Recording, "data-access audit logs of the service stop"),
    guard("google_organization_iam_audit_config", Recording, "data-access audit logs of the service stop"),
    guard("google_monitoring_alert_policy", Recording, "the alert no longer fires"),
    guard("google_scc_notification_config", Recording, "Security Command Center findings are no longer sent"),
    guard("google_compute_security_policy", Protection, "requests are no longer filtered by the Cloud Armor policy"),
    guard("google_org_policy_policy", Protection, "the organization policy's guardrails no longer apply"),
    guard("google_dns_record_set", Capacity, "the name no longer resolves: clients can no longer reach what it named"),
];

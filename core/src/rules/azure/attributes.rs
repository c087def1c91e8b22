//! What the `hashicorp/azurerm` provider's attributes mean: rows the `meanings` family judges, as
//! for AWS (`rules/aws/attributes.rs`). Where the provider renamed an attribute between major
//! versions (3.x `enable_https_traffic_only`, 4.x `https_traffic_only_enabled`) both are rows.

use crate::rules::model::exposure::covers_internet;
use crate::rules::model::meaning::{
    Attribute, Guard,
    Meaning::{Capacity, Protection, Recording, Transport},
    Scale, Table, Zero,
};
use crate::rules::model::permissions::strings;
use crate::rules::model::rows::{count, flag, guard, levels, period, present};

pub(crate) static TABLE: Table = Table { attributes: ATTRIBUTES, guards: GUARDS };

const STORAGE_TLS: &[&[&str]] = &[&["TLS1_0"], &["TLS1_1"], &["TLS1_2", "TLS1_3"]];
const SERVER_TLS: &[&[&str]] = &[&["Disabled"], &["1.0"], &["1.1"], &["1.2", "1.3"]];
/// A network ACL's action for addresses no rule names: `Allow` admits every network.
const DEFAULT_ACTION: &[&[&str]] = &[&["Allow"], &["Deny"]];
const DEFENDER_TIERS: &[&[&str]] = &[&["Free"], &["Standard"]];
const ALERT_STATES: &[&[&str]] = &[&["Disabled"], &["Enabled"]];
/// How an app accepts deployments over FTP: `AllAllowed` takes plain FTP, credentials included.
const FTPS: &[&[&str]] = &[&["AllAllowed"], &["FtpsOnly", "Disabled"]];
const OLDER_TLS: &str = "clients may use an older TLS version";
const PLAIN_FTP: &str = "deployments over plain FTP are accepted, credentials in clear text";
const UNENFORCED: &str = "the policy's deny and modify effects stop: it only reports";
const ANY_NETWORK: &str = "it is reachable from any network";
const KEYS_BACK: &str = "its API keys work again, outside Entra ID and its audit";
const UNALERTED: &str = "threat detection alerts for the server stop";
const UNAUDITED: &str = "the server is no longer audited";

static ATTRIBUTES: &[Attribute] = &[
    // Capacity.
    count("azurerm_kubernetes_cluster_node_pool", "node_count", "no node runs in the pool"),
    count("azurerm_kubernetes_cluster_node_pool", "max_count", "no node can run in the pool"),
    count("azurerm_linux_virtual_machine_scale_set", "instances", "no instance runs"),
    count("azurerm_windows_virtual_machine_scale_set", "instances", "no instance runs"),
    count("azurerm_orchestrated_virtual_machine_scale_set", "instances", "no instance runs"),
    flag("azurerm_linux_function_app", "enabled", Capacity, true, "the function app stops serving"),
    flag("azurerm_windows_function_app", "enabled", Capacity, true, "the function app stops serving"),
    flag("azurerm_linux_web_app", "enabled", Capacity, true, "the web app stops serving"),
    flag("azurerm_windows_web_app", "enabled", Capacity, true, "the web app stops serving"),
    // Protection: data that can no longer be recovered, resources that can be deleted.
    flag(
        "azurerm_key_vault",
        "purge_protection_enabled",
        Protection,
        true,
        "deleted keys and secrets can be purged at once",
    ),
    period(
        "azurerm_key_vault",
        "soft_delete_retention_days",
        "days",
        Zero::Off,
        "deleted keys and secrets are kept for less time",
    ),
    flag(
        "azurerm_key_vault_managed_hardware_security_module",
        "purge_protection_enabled",
        Protection,
        true,
        "deleted keys can be purged at once",
    ),
    flag(
        "azurerm_storage_account",
        "blob_properties.versioning_enabled",
        Protection,
        true,
        "overwritten blobs are not kept",
    ),
    period(
        "azurerm_storage_account",
        "blob_properties.delete_retention_policy.days",
        "days",
        Zero::Off,
        "deleted blobs are kept for less time",
    ),
    period(
        "azurerm_storage_account",
        "blob_properties.container_delete_retention_policy.days",
        "days",
        Zero::Off,
        "deleted containers are kept for less time",
    ),
    flag(
        "azurerm_storage_account",
        "allow_nested_items_to_be_public",
        Protection,
        false,
        "containers in the account may be made public",
    ),
    flag(
        "azurerm_storage_account",
        "allow_blob_public_access",
        Protection,
        false,
        "containers in the account may be made public",
    ),
    flag(
        "azurerm_storage_account",
        "shared_access_key_enabled",
        Protection,
        false,
        "the account's keys and SAS tokens work again",
    ),
    flag(
        "azurerm_storage_account",
        "public_network_access_enabled",
        Protection,
        false,
        "the account is reachable from any network",
    ),
    flag(
        "azurerm_mssql_server",
        "public_network_access_enabled",
        Protection,
        false,
        "the server is reachable from any network",
    ),
    flag(
        "azurerm_postgresql_flexible_server",
        "public_network_access_enabled",
        Protection,
        false,
        "the server is reachable from any network",
    ),
    flag(
        "azurerm_mysql_flexible_server",
        "public_network_access_enabled",
        Protection,
        false,
        "the server is reachable from any network",
    ),
    flag(
        "azurerm_cosmosdb_account",
        "public_network_access_enabled",
        Protection,
        false,
        "the account is reachable from any network",
    ),
    flag(
        "azurerm_redis_cache",
        "public_network_access_enabled",
        Protection,
        false,
        "the cache is reachable from any network",
    ),
    flag(
        "azurerm_key_vault",
        "public_network_access_enabled",
        Protection,
        false,
        "the vault is reachable from any network",
    ),
    levels(
        "azurerm_key_vault",
        "network_acls.default_action",
        Protection,
        DEFAULT_ACTION,
        "the vault accepts connections from any network",
    ),
    levels(
        "azurerm_storage_account",
        "network_rules.default_action",
        Protection,
        DEFAULT_ACTION,
        "the account accepts connections from any network",
    ),
    levels(
        "azurerm_storage_account_network_rules",
        "default_action",
        Protection,
        DEFAULT_ACTION,
        "the account accepts connections from any network",
    ),
    // Sign-in: what only Entra ID identities could do, shared secrets can do again.
    flag(
        "azurerm_mssql_server",
        "azuread_administrator.azuread_authentication_only",
        Protection,
        true,
        "SQL logins with passwords work again",
    ),
    flag(
        "azurerm_linux_virtual_machine",
        "disable_password_authentication",
        Protection,
        true,
        "the machine accepts SSH logins with a password",
    ),
    flag(
        "azurerm_kubernetes_cluster",
        "local_account_disabled",
        Protection,
        true,
        "the cluster's local admin credentials work again, outside Entra ID and its audit",
    ),
    flag(
        "azurerm_container_registry",
        "admin_enabled",
        Protection,
        false,
        "the registry's admin user, with a shared password, can push and pull",
    ),
    flag(
        "azurerm_container_registry",
        "anonymous_pull_enabled",
        Protection,
        false,
        "anyone on the internet can pull the registry's images",
    ),
    flag(
        "azurerm_container_registry",
        "public_network_access_enabled",
        Protection,
        false,
        "the registry is reachable from any network",
    ),
    flag("azurerm_eventhub_namespace", "public_network_access_enabled", Protection, false, ANY_NETWORK),
    flag("azurerm_servicebus_namespace", "public_network_access_enabled", Protection, false, ANY_NETWORK),
    flag("azurerm_cognitive_account", "public_network_access_enabled", Protection, false, ANY_NETWORK),
    flag("azurerm_search_service", "public_network_access_enabled", Protection, false, ANY_NETWORK),
    flag("azurerm_linux_web_app", "public_network_access_enabled", Protection, false, ANY_NETWORK),
    flag("azurerm_windows_web_app", "public_network_access_enabled", Protection, false, ANY_NETWORK),
    flag("azurerm_linux_function_app", "public_network_access_enabled", Protection, false, ANY_NETWORK),
    flag("azurerm_windows_function_app", "public_network_access_enabled", Protection, false, ANY_NETWORK),
    flag("azurerm_cognitive_account", "local_auth_enabled", Protection, false, KEYS_BACK),
    flag("azurerm_search_service", "local_authentication_enabled", Protection, false, KEYS_BACK),
    flag(
        "azurerm_cosmosdb_account",
        "local_authentication_disabled",
        Protection,
        true,
        "the account's keys work again, outside Entra ID and its audit",
    ),
    flag(
        "azurerm_eventhub_namespace",
        "local_authentication_enabled",
        Protection,
        false,
        "shared access keys work again, outside Entra ID and its audit",
    ),
    flag(
        "azurerm_servicebus_namespace",
        "local_authentication_enabled",
        Protection,
        false,
        "shared access keys work again, outside Entra ID and its audit",
    ),
    flag(
        "azurerm_kubernetes_cluster",
        "role_based_access_control_enabled",
        Protection,
        true,
        "Kubernetes RBAC is off: every signed-in user can do anything in the cluster",
    ),
    // Guardrails: a policy assignment not enforced only audits; its deny and modify effects stop.
    flag("azurerm_subscription_policy_assignment", "enforce", Protection, true, UNENFORCED),
    flag("azurerm_management_group_policy_assignment", "enforce", Protection, true, UNENFORCED),
    flag("azurerm_resource_group_policy_assignment", "enforce", Protection, true, UNENFORCED),
    flag("azurerm_resource_policy_assignment", "enforce", Protection, true, UNENFORCED),
    flag("azurerm_redis_cache", "non_ssl_port_enabled", Transport, false, "clients may connect without TLS"),
    flag("azurerm_redis_cache", "enable_non_ssl_port", Transport, false, "clients may connect without TLS"),
    period(
        "azurerm_postgresql_flexible_server",
        "backup_retention_days",
        "days",
        Zero::Off,
        "backups are kept for less time",
    ),
    flag(
        "azurerm_postgresql_flexible_server",
        "geo_redundant_backup_enabled",
        Protection,
        true,
        "backups are no longer copied to another region",
    ),
    period(
        "azurerm_mysql_flexible_server",
        "backup_retention_days",
        "days",
        Zero::Off,
        "backups are kept for less time",
    ),
    period(
        "azurerm_mssql_database",
        "short_term_retention_policy.retention_days",
        "days",
        Zero::Off,
        "point-in-time backups are kept for less time",
    ),
    present(
        "azurerm_kubernetes_cluster",
        "api_server_access_profile.authorized_ip_ranges",
        Protection,
        "the cluster's API server accepts connections from any address",
    ),
    // The ranges kept but one of them the whole internet (removing them all is the row above).
    Attribute::new(
        "azurerm_kubernetes_cluster",
        "api_server_access_profile",
        Protection,
        Scale::On(|cluster| {
            let profiles = cluster.get("api_server_access_profile").elements();
            !covers_internet(profiles.flat_map(|profile| strings(profile.get("authorized_ip_ranges"))))
        }),
        "the cluster's API server accepts connections from any address (an authorized range is the internet)",
    ),
    flag(
        "azurerm_kubernetes_cluster",
        "private_cluster_enabled",
        Protection,
        true,
        "the cluster's API server gets a public endpoint",
    ),
    // Recording: Microsoft Defender plans downgraded.
    levels(
        "azurerm_security_center_subscription_pricing",
        "tier",
        Recording,
        DEFENDER_TIERS,
        "Defender's threat detection for the resource type stops",
    ),
    levels("azurerm_mssql_server_security_alert_policy", "state", Recording, ALERT_STATES, UNALERTED),
    flag("azurerm_mssql_server_extended_auditing_policy", "enabled", Recording, true, UNAUDITED),
    flag(
        "azurerm_mssql_database_extended_auditing_policy",
        "enabled",
        Recording,
        true,
        "the database is no longer audited",
    ),
    flag("azurerm_network_watcher_flow_log", "enabled", Recording, true, "network traffic is no longer logged"),
    // Transport.
    flag("azurerm_storage_account", "enable_https_traffic_only", Transport, true, "the account accepts plain HTTP"),
    flag("azurerm_storage_account", "https_traffic_only_enabled", Transport, true, "the account accepts plain HTTP"),
    levels(
        "azurerm_storage_account",
        "min_tls_version",
        Transport,
        STORAGE_TLS,
        "clients may use an older TLS version",
    ),
    levels(
        "azurerm_mssql_server",
        "minimum_tls_version",
        Transport,
        SERVER_TLS,
        "clients may use an older TLS version",
    ),
    flag("azurerm_linux_web_app", "https_only", Transport, true, "the app serves plain HTTP"),
    flag("azurerm_windows_web_app", "https_only", Transport, true, "the app serves plain HTTP"),
    flag("azurerm_linux_function_app", "https_only", Transport, true, "the app serves plain HTTP"),
    flag("azurerm_windows_function_app", "https_only", Transport, true, "the app serves plain HTTP"),
    levels("azurerm_linux_web_app", "site_config.minimum_tls_version", Transport, SERVER_TLS, OLDER_TLS),
    levels("azurerm_windows_web_app", "site_config.minimum_tls_version", Transport, SERVER_TLS, OLDER_TLS),
    levels("azurerm_linux_function_app", "site_config.minimum_tls_version", Transport, SERVER_TLS, OLDER_TLS),
    levels("azurerm_windows_function_app", "site_config.minimum_tls_version", Transport, SERVER_TLS, OLDER_TLS),
    levels("azurerm_redis_cache", "minimum_tls_version", Transport, SERVER_TLS, OLDER_TLS),
    levels("azurerm_linux_web_app", "site_config.ftps_state", Transport, FTPS, PLAIN_FTP),
    levels("azurerm_windows_web_app", "site_config.ftps_state", Transport, FTPS, PLAIN_FTP),
    levels("azurerm_linux_function_app", "site_config.ftps_state", Transport, FTPS, PLAIN_FTP),
    levels("azurerm_windows_function_app", "site_config.ftps_state", Transport, FTPS, PLAIN_FTP),
];

static GUARDS: &[Guard] = &[
    guard("azurerm_monitor_diagnostic_setting", Recording, "the resource's logs and metrics are no longer exported"),
    guard("azurerm_monitor_activity_log_alert", Recording, "the alert no longer fires"),
    guard("azurerm_monitor_metric_alert", Recording, "the alert no longer fires"),
    guard("azurerm_network_watcher_flow_log", Recording, "network traffic is no longer logged"),
    guard(
        "azurerm_security_center_subscription_pricing",
        Recording,
        "Defender's plan for the resource type is no longer managed",
    ),
    guard("azurerm_management_lock", Protection, "the resource it locked can be deleted or changed"),
    guard("azurerm_mssql_server_extended_auditing_policy", Recording, UNAUDITED),
    guard("azurerm_mssql_server_security_alert_policy", Recording, UNALERTED),
    guard("azurerm_backup_protected_vm", Protection, "the virtual machine is no longer backed up"),
    guard("azurerm_backup_policy_vm", Protection, "its scheduled backups stop"),
    guard("azurerm_data_protection_backup_instance_blob_storage", Protection, "the blobs are no longer backed up"),
    guard("azurerm_data_protection_backup_instance_disk", Protection, "the disk is no longer backed up"),
    guard("azurerm_data_protection_backup_instance_postgresql", Protection, "the database is no longer backed up"),
    guard("azurerm_dns_a_record", Capacity, "the name no longer resolves: clients can no longer reach what it named"),
    guard(
        "azurerm_dns_aaaa_record",
        Capacity,
        "the name no longer resolves: clients can no longer reach what it named",
    ),
    guard(
        "azurerm_dns_cname_record",
        Capacity,
        "the name no longer resolves: clients can no longer reach what it named",
    ),
    guard(
        "azurerm_private_dns_a_record",
        Capacity,
        "the name no longer resolves: clients can no longer reach what it named",
    ),
    Guard {
        resource_type: "azurerm_network_security_rule",
        meaning: Protection,
        effect: "traffic this rule denied is now allowed",
        when: Some(("access", "Deny")),
    },
];

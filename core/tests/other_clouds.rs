//! Azure and Google Cloud, judged like AWS: every rule on a real plan of those providers
//! (fixtures/plans-public: checkov's azurerm plan, terraform-validator's google plans) or on a
//! change derived from one, keeping its envelope and structure, with a look-alike that stays quiet.

use plangate::{check, CheckOptions, PlanInput, Policy, Report, Severity};
use serde_json::{json, Value};
use support::derived;

mod support;

fn public_plan(name: &str) -> Value {
    let path = support::fixtures().join("plans-public").join(format!("{name}.json"));
    serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap()
}

fn analyze(plan: &Value) -> Report {
    analyze_with(plan, &Policy::default())
}

fn analyze_with(plan: &Value, policy: &Policy) -> Report {
    check(PlanInput::bytes(&serde_json::to_vec(plan).unwrap()), &CheckOptions::new(policy.clone())).unwrap()
}

/// The real plan `name` with its resource changes replaced by `changes` (the header and the other
/// sections as they are).
fn plan_of(name: &str, changes: Vec<Value>) -> Value {
    let mut plan = public_plan(name);
    plan["resource_changes"] = Value::Array(changes);
    plan
}

/// The first change of `resource_type` in the real plan `name`.
fn real_change(name: &str, resource_type: &str) -> Value {
    let plan = public_plan(name);
    let found = plan["resource_changes"].as_array().unwrap().iter().find(|c| c["type"] == resource_type);
    found.unwrap_or_else(|| panic!("{name} has no {resource_type}")).clone()
}

/// An azurerm change, on the envelope of checkov's real azurerm plan.
fn azure(address: &str, actions: &[&str], before: Value, after: Value) -> Value {
    derived(
        &real_change("checkov__azurerm_nsg_rules", "azurerm_network_security_rule"),
        address,
        actions,
        before,
        after,
    )
}

/// A google change, on the envelope of terraform-validator's real firewall plan.
fn google(address: &str, actions: &[&str], before: Value, after: Value) -> Value {
    let template = real_change("terraform-validator__compute_firewall", "google_compute_firewall");
    derived(&template, address, actions, before, after)
}

fn findings(report: &Report, address: &str) -> Vec<(String, Severity)> {
    report.findings.iter().filter(|f| f.address == address).map(|f| (f.rule.clone(), f.severity)).collect()
}

fn says(report: &Report, rule: &str, address: &str, words: &str) -> bool {
    report.findings.iter().any(|f| f.rule == rule && f.address == address && f.message.contains(words))
}

/// The real azurerm security rule of checkov's plan (a Deny), with `changes` applied to its after.
fn nsg_rule(address: &str, changes: Value) -> Value {
    let real = real_change("checkov__azurerm_nsg_rules", "azurerm_network_security_rule");
    let mut after = real["change"]["after"].clone();
    for (k, v) in changes.as_object().unwrap() {
        after[k] = v.clone();
    }
    azure(address, &["create"], Value::Null, after)
}

#[test]
fn azure_security_rules_open_to_the_internet_are_critical() {
    // The real plan: a Deny rule for RDP from `*`, and groups with no inline rules: nothing.
    let real = analyze(&public_plan("checkov__azurerm_nsg_rules"));
    assert!(real.findings.is_empty(), "{:#?}", real.findings);
    assert_eq!(real.exit_code(), 0);

    let plan = plan_of(
        "checkov__azurerm_nsg_rules",
        vec![
            nsg_rule("azurerm_network_security_rule.rdp", json!({"access": "Allow"})),
            nsg_rule(
                "azurerm_network_security_rule.ssh",
                json!({"access": "Allow", "destination_port_range": "22", "source_address_prefix": "Internet"}),
            ),
            nsg_rule(
                "azurerm_network_security_rule.vnet",
                json!({"access": "Allow", "source_address_prefix": "VirtualNetwork"}),
            ),
            nsg_rule(
                "azurerm_network_security_rule.office",
                json!({"access": "Allow", "source_address_prefix": null, "source_address_prefixes": ["203.0.113.0/24"]}),
            ),
            nsg_rule("azurerm_network_security_rule.out", json!({"access": "Allow", "direction": "Outbound"})),
            nsg_rule(
                "azurerm_network_security_rule.halves",
                json!({"access": "Allow", "source_address_prefix": null, "source_address_prefixes": ["0.0.0.0/1", "128.0.0.0/1"]}),
            ),
        ],
    );
    let report = analyze(&plan);
    assert!(says(&report, "PG-SG-001", "azurerm_network_security_rule.rdp", "tcp 3389 from 0.0.0.0/0 (the internet)"));
    assert!(says(&report, "PG-SG-001", "azurerm_network_security_rule.ssh", "tcp 22"));
    assert!(says(&report, "PG-SG-001", "azurerm_network_security_rule.halves", "together the internet"));
    assert!(says(&report, "PG-SG-002", "azurerm_network_security_rule.vnet", "service tag VirtualNetwork"));
    assert_eq!(findings(&report, "azurerm_network_security_rule.office"), [("PG-SG-002".to_string(), Severity::High)]);
    assert_eq!(findings(&report, "azurerm_network_security_rule.out"), [("PG-SG-003".to_string(), Severity::High)]);
    assert_eq!(report.exit_code(), 1);
}

#[test]
fn azure_inline_rules_are_compared_before_and_after() {
    let rule = |name: &str, port: &str, source: &str, access: &str| {
        json!({"name": name, "priority": 100, "direction": "Inbound", "access": access, "protocol": "*",
               "source_port_range": "*", "destination_port_range": port, "source_address_prefix": source,
               "destination_address_prefix": "*", "description": "", "destination_port_ranges": [],
               "source_port_ranges": [], "source_address_prefixes": [], "destination_address_prefixes": [],
               "source_application_security_group_ids": [], "destination_application_security_group_ids": []})
    };
    let group = |rules: Vec<Value>| json!({"name": "web", "location": "westeurope", "resource_group_name": "rg", "security_rule": rules});
    let https = rule("https", "443", "10.0.0.0/8", "Allow");
    let opened = analyze(&plan_of(
        "checkov__azurerm_nsg_rules",
        vec![
            azure(
                "azurerm_network_security_group.web",
                &["update"],
                group(vec![https.clone()]),
                group(vec![https.clone(), rule("ssh", "22", "*", "Allow")]),
            ),
            azure(
                "azurerm_network_security_group.same",
                &["update"],
                group(vec![https.clone()]),
                group(vec![rule("https", "443", "10.1.0.0/16", "Allow")]),
            ),
            azure(
                "azurerm_network_security_group.deny",
                &["update"],
                group(vec![https.clone()]),
                group(vec![https.clone(), rule("no-ssh", "22", "*", "Deny")]),
            ),
        ],
    ));
    // `*` is every protocol: on port 22, TCP and UDP.
    assert!(
        says(&opened, "PG-SG-001", "azurerm_network_security_group.web", "tcp 22 from 0.0.0.0/0"),
        "{:#?}",
        opened.findings
    );
    assert!(findings(&opened, "azurerm_network_security_group.same").is_empty(), "narrowed");
    assert!(findings(&opened, "azurerm_network_security_group.deny").is_empty(), "a deny rule opens nothing");

    // A source known only after apply cannot be verified; deleting a Deny rule allows what it denied.
    let mut unknown =
        nsg_rule("azurerm_network_security_rule.from_var", json!({"access": "Allow", "source_address_prefix": null}));
    unknown["change"]["after_unknown"] = json!({"id": true, "source_address_prefix": true});
    let deny = real_change("checkov__azurerm_nsg_rules", "azurerm_network_security_rule")["change"]["after"].clone();
    let deleted = azure("azurerm_network_security_rule.pass", &["delete"], deny, Value::Null);
    let report = analyze(&plan_of("checkov__azurerm_nsg_rules", vec![unknown, deleted]));
    assert_eq!(
        findings(&report, "azurerm_network_security_rule.from_var"),
        [("PG-SG-004".to_string(), Severity::High)]
    );
    assert!(
        says(&report, "PG-DET-002", "azurerm_network_security_rule.pass", "denied is now allowed"),
        "{:#?}",
        report.findings
    );
}

#[test]
fn azure_database_firewall_rules_open_to_every_address_are_critical() {
    let rule = |start: &str, end: &str| json!({"name": "r", "server_id": "/subscriptions/0000/resourceGroups/rg/providers/Microsoft.Sql/servers/db", "start_ip_address": start, "end_ip_address": end});
    let report = analyze(&plan_of(
        "checkov__azurerm_nsg_rules",
        vec![
            azure("azurerm_mssql_firewall_rule.everyone", &["create"], Value::Null, rule("0.0.0.0", "255.255.255.255")),
            azure("azurerm_mssql_firewall_rule.azure", &["create"], Value::Null, rule("0.0.0.0", "0.0.0.0")),
            azure(
                "azurerm_postgresql_flexible_server_firewall_rule.office",
                &["create"],
                Value::Null,
                rule("203.0.113.0", "203.0.113.255"),
            ),
            azure(
                "azurerm_mysql_flexible_server_firewall_rule.narrowed",
                &["update"],
                rule("203.0.113.0", "203.0.113.255"),
                rule("203.0.113.10", "203.0.113.20"),
            ),
        ],
    ));
    assert!(says(
        &report,
        "PG-SG-001",
        "azurerm_mssql_firewall_rule.everyone",
        "tcp 1433 from 0.0.0.0/0 (the internet)"
    ));
    assert_eq!(findings(&report, "azurerm_mssql_firewall_rule.azure"), [("PG-SG-002".to_string(), Severity::High)]);
    assert!(says(&report, "PG-SG-002", "azurerm_mssql_firewall_rule.azure", "every Azure service"));
    assert!(says(
        &report,
        "PG-SG-002",
        "azurerm_postgresql_flexible_server_firewall_rule.office",
        "tcp 5432 from 203.0.113.0/24"
    ));
    assert!(findings(&report, "azurerm_mysql_flexible_server_firewall_rule.narrowed").is_empty());
}

#[test]
fn azure_roles_storage_credentials_and_protections() {
    let assignment = |role: &str, scope: &str| json!({"principal_id": "11111111-2222-3333-4444-555555555555", "role_definition_name": role, "scope": scope, "condition": null});
    let sub = "/subscriptions/00000000-0000-0000-0000-000000000000";
    let by_id = json!({"principal_id": "p", "scope": sub, "role_definition_id": format!("{sub}/providers/Microsoft.Authorization/roleDefinitions/8e3af657-a8ff-443c-a75c-2fe8c4bcb635")});
    let container =
        |access: &str| json!({"name": "assets", "storage_account_name": "acct", "container_access_type": access});
    let vault =
        |purge: bool| json!({"name": "kv", "purge_protection_enabled": purge, "soft_delete_retention_days": 90});
    let report = analyze(&plan_of(
        "checkov__azurerm_nsg_rules",
        vec![
            azure("azurerm_role_assignment.ci_owner", &["create"], Value::Null, assignment("Owner", sub)),
            azure("azurerm_role_assignment.by_id", &["create"], Value::Null, by_id),
            azure(
                "azurerm_role_assignment.rg_owner",
                &["create"],
                Value::Null,
                assignment("Owner", &format!("{sub}/resourceGroups/app")),
            ),
            azure("azurerm_role_assignment.reader", &["create"], Value::Null, assignment("Reader", sub)),
            azure("azurerm_role_assignment.gone", &["delete"], assignment("Owner", sub), Value::Null),
            azure(
                "azurerm_role_definition.ops",
                &["update"],
                json!({"name": "ops", "permissions": [{"actions": ["Microsoft.Compute/*/read"], "data_actions": []}]}),
                json!({"name": "ops", "permissions": [{"actions": ["*"], "data_actions": []}]}),
            ),
            azure("azurerm_storage_container.assets", &["update"], container("private"), container("container")),
            azure("azurerm_storage_container.private", &["create"], Value::Null, container("private")),
            azure("azurerm_key_vault.kv", &["update"], vault(true), vault(false)),
            azure("azurerm_key_vault.kept", &["update"], vault(true), vault(true)),
            azure("azuread_application_password.ci", &["create"], Value::Null, json!({"display_name": "ci"})),
            azure("azurerm_monitor_diagnostic_setting.audit", &["delete"], json!({"name": "audit"}), Value::Null),
            azure("azurerm_storage_account.data", &["delete"], json!({"name": "data"}), Value::Null),
            azure(
                "azurerm_mssql_database.orders",
                &["delete", "create"],
                json!({"name": "orders"}),
                json!({"name": "orders"}),
            ),
        ],
    ));
    let severity_of = |address: &str| report.findings.iter().filter(|f| f.address == address).map(|f| f.severity).max();
    assert!(says(&report, "PG-AZ-001", "azurerm_role_assignment.ci_owner", "assigns Owner"));
    assert!(says(&report, "PG-AZ-001", "azurerm_role_assignment.by_id", "assigns Owner"));
    assert_eq!(findings(&report, "azurerm_role_assignment.rg_owner"), [("PG-AZ-002".to_string(), Severity::High)]);
    assert_eq!(findings(&report, "azurerm_role_assignment.reader"), [("PG-AZ-002".to_string(), Severity::High)]);
    assert!(!report
        .findings
        .iter()
        .any(|f| f.address == "azurerm_role_assignment.gone" && f.rule.starts_with("PG-AZ")));
    assert!(says(&report, "PG-AZ-002", "azurerm_role_definition.ops", "`*`"));
    assert!(says(&report, "PG-AZ-003", "azurerm_storage_container.assets", "anyone can list and read"));
    assert!(findings(&report, "azurerm_storage_container.private").is_empty());
    assert!(
        says(&report, "PG-DET-002", "azurerm_key_vault.kv", "purge_protection_enabled true → false"),
        "{:#?}",
        report.findings
    );
    assert!(findings(&report, "azurerm_key_vault.kept").is_empty());
    assert!(says(&report, "PG-IAM-007", "azuread_application_password.ci", "application password"));
    assert!(says(&report, "PG-DET-001", "azurerm_monitor_diagnostic_setting.audit", "no longer exported"));
    assert_eq!(severity_of("azurerm_storage_account.data"), Some(Severity::Critical));
    assert_eq!(severity_of("azurerm_mssql_database.orders"), Some(Severity::Critical));
}

#[test]
fn google_iam_grants_public_privileged_and_other() {
    // Real plans: editor on a project, folder-less organization, and through a policy document.
    for (plan, address) in [
        ("terraform-validator__project_iam_member", "google_project_iam_member.project"),
        ("terraform-validator__project_iam_binding", "google_project_iam_binding.project"),
        ("terraform-validator__project_iam_policy", "google_project_iam_policy.project"),
        ("terraform-validator__organization_iam_member", "google_organization_iam_member.binding"),
    ] {
        let report = analyze(&public_plan(plan));
        assert!(says(&report, "PG-GCP-002", address, "roles/editor"), "{plan}: {:#?}", report.findings);
        assert_eq!(report.exit_code(), 1, "{plan}");
    }
    // A bucket-level admin grant is high; the same to allUsers is public.
    let real = analyze(&public_plan("terraform-validator__storage_bucket_iam_member"));
    assert_eq!(
        findings(&real, "google_storage_bucket_iam_member.member"),
        [("PG-GCP-003".to_string(), Severity::High)]
    );
    let member =
        |member: &str| json!({"bucket": "b", "role": "roles/storage.objectViewer", "member": member, "condition": []});
    let binding = |members: &[&str]| json!({"project": "p", "role": "roles/viewer", "members": members});
    let report = analyze(&plan_of(
        "terraform-validator__storage_bucket_iam_member",
        vec![
            google("google_storage_bucket_iam_member.public", &["create"], Value::Null, member("allUsers")),
            google(
                "google_project_iam_binding.viewers",
                &["update"],
                binding(&["group:a@x.com"]),
                binding(&["group:a@x.com", "allAuthenticatedUsers"]),
            ),
            google(
                "google_project_iam_binding.fewer",
                &["update"],
                binding(&["group:a@x.com", "group:b@x.com"]),
                binding(&["group:a@x.com"]),
            ),
            google(
                "google_service_account_iam_member.impersonate",
                &["create"],
                Value::Null,
                json!({"service_account_id": "sa", "role": "roles/iam.serviceAccountTokenCreator", "member": "user:x@y.com"}),
            ),
            google(
                "google_service_account_key.ci",
                &["create"],
                Value::Null,
                json!({"service_account_id": "projects/p/serviceAccounts/ci@p.iam.gserviceaccount.com"}),
            ),
        ],
    ));
    assert!(says(&report, "PG-GCP-001", "google_storage_bucket_iam_member.public", "allUsers"));
    assert!(says(&report, "PG-GCP-001", "google_project_iam_binding.viewers", "allAuthenticatedUsers"));
    assert!(findings(&report, "google_project_iam_binding.fewer").is_empty(), "removing members grants nothing");
    assert_eq!(
        findings(&report, "google_service_account_iam_member.impersonate"),
        [("PG-GCP-003".to_string(), Severity::High)]
    );
    assert!(says(
        &report,
        "PG-IAM-007",
        "google_service_account_key.ci",
        "service-account key for service account projects/p"
    ));

    // Cloud Storage ACLs make a bucket public as surely as IAM does.
    let report = analyze(&plan_of(
        "terraform-validator__storage_bucket_iam_member",
        vec![
            google(
                "google_storage_bucket_acl.site",
                &["create"],
                Value::Null,
                json!({"bucket": "b", "role_entity": ["OWNER:project-owners-1", "READER:allUsers"]}),
            ),
            google(
                "google_storage_default_object_acl.site",
                &["create"],
                Value::Null,
                json!({"bucket": "b", "predefined_acl": "publicRead"}),
            ),
            google(
                "google_storage_bucket_access_control.team",
                &["create"],
                Value::Null,
                json!({"bucket": "b", "role": "READER", "entity": "group-team@x.com"}),
            ),
        ],
    ));
    assert!(
        says(&report, "PG-GCP-001", "google_storage_bucket_acl.site", "READER to allUsers"),
        "{:#?}",
        report.findings
    );
    assert!(says(&report, "PG-GCP-001", "google_storage_default_object_acl.site", "publicRead to allUsers"));
    assert_eq!(
        findings(&report, "google_storage_bucket_access_control.team"),
        [("PG-GCP-003".to_string(), Severity::High)]
    );

    // A policy known only after apply cannot be verified.
    let mut unknown = google("google_project_iam_policy.generated", &["create"], Value::Null, json!({"project": "p"}));
    unknown["change"]["after_unknown"] = json!({"policy_data": true, "etag": true});
    let report = analyze(&plan_of("terraform-validator__project_iam_policy", vec![unknown]));
    assert!(says(&report, "PG-GCP-003", "google_project_iam_policy.generated", "cannot be verified before apply"));
}

#[test]
fn google_firewalls_and_cloud_sql_networks() {
    // Real: a firewall admitting the `web` tag is new inbound access; the disabled and deny-only
    // firewalls of the second plan admit nothing.
    let real = analyze(&public_plan("terraform-validator__compute_firewall"));
    assert!(says(&real, "PG-SG-002", "google_compute_firewall.default", "from network tag web"));
    let quiet = analyze(&public_plan("terraform-validator__full_compute_firewall"));
    assert!(quiet.findings.is_empty(), "{:#?}", quiet.findings);

    let plan = public_plan("terraform-validator__compute_firewall");
    let real_after = plan["resource_changes"][0]["change"]["after"].clone();
    let with = |changes: Value| {
        let mut after = real_after.clone();
        for (k, v) in changes.as_object().unwrap() {
            after[k] = v.clone();
        }
        after
    };
    let ssh = json!([{"protocol": "tcp", "ports": ["22"]}]);
    let mut unset = google(
        "google_compute_firewall.no_source",
        &["create"],
        Value::Null,
        with(json!({"allow": ssh, "source_tags": null})),
    );
    unset["change"]["after_unknown"] = json!({"source_ranges": true, "direction": true, "id": true});
    let report = analyze(&plan_of(
        "terraform-validator__compute_firewall",
        vec![
            google(
                "google_compute_firewall.world",
                &["create"],
                Value::Null,
                with(json!({"allow": ssh, "source_tags": null, "source_ranges": ["0.0.0.0/0"]})),
            ),
            google(
                "google_compute_firewall.halves",
                &["create"],
                Value::Null,
                with(json!({"allow": ssh, "source_tags": null, "source_ranges": ["0.0.0.0/1", "128.0.0.0/1"]})),
            ),
            google(
                "google_compute_firewall.everything",
                &["create"],
                Value::Null,
                with(
                    json!({"allow": [{"protocol": "all", "ports": []}], "source_tags": null, "source_ranges": ["::/0"]}),
                ),
            ),
            google(
                "google_compute_firewall.off",
                &["create"],
                Value::Null,
                with(json!({"allow": ssh, "source_tags": null, "source_ranges": ["0.0.0.0/0"], "disabled": true})),
            ),
            unset,
        ],
    ));
    assert!(says(&report, "PG-SG-001", "google_compute_firewall.world", "tcp 22 from 0.0.0.0/0 (the internet)"));
    assert!(says(&report, "PG-SG-001", "google_compute_firewall.halves", "together the internet"));
    assert!(says(&report, "PG-SG-001", "google_compute_firewall.everything", "all traffic from ::/0"));
    assert!(findings(&report, "google_compute_firewall.off").is_empty());
    assert_eq!(findings(&report, "google_compute_firewall.no_source"), [("PG-SG-004".to_string(), Severity::High)]);

    // Cloud SQL: the real instance (not CIDRs in its authorized networks) cannot be verified; the
    // internet admitted to a public IP is critical; without a public IP it admits nothing.
    let real = analyze(&public_plan("terraform-validator__full_sql_database_instance"));
    assert_eq!(findings(&real, "google_sql_database_instance.main"), [("PG-SG-004".to_string(), Severity::High)]);
    let sql = |ipv4: bool, networks: &[&str], protected: bool| {
        let networks: Vec<Value> =
            networks.iter().map(|n| json!({"name": "n", "value": n, "expiration_time": ""})).collect();
        json!({"name": "main", "database_version": "POSTGRES_15", "deletion_protection": protected,
               "settings": [{"tier": "db-f1-micro", "ip_configuration": [{"ipv4_enabled": ipv4, "authorized_networks": networks}]}]})
    };
    let report = analyze(&plan_of(
        "terraform-validator__full_sql_database_instance",
        vec![
            google(
                "google_sql_database_instance.open",
                &["update"],
                sql(true, &["203.0.113.0/24"], true),
                sql(true, &["0.0.0.0/0"], true),
            ),
            google(
                "google_sql_database_instance.private",
                &["update"],
                sql(false, &[], true),
                sql(false, &["0.0.0.0/0"], true),
            ),
            google(
                "google_sql_database_instance.unprotected",
                &["update"],
                sql(false, &[], true),
                sql(false, &[], false),
            ),
        ],
    ));
    assert!(says(&report, "PG-SG-001", "google_sql_database_instance.open", "tcp 5432 from 0.0.0.0/0"));
    assert!(findings(&report, "google_sql_database_instance.private").is_empty(), "{:#?}", report.findings);
    assert!(says(
        &report,
        "PG-DET-002",
        "google_sql_database_instance.unprotected",
        "deletion_protection true → false"
    ));
}

#[test]
fn google_data_stores_and_controls() {
    let report = analyze(&plan_of(
        "terraform-validator__full_storage_bucket",
        vec![
            google("google_storage_bucket.data", &["delete"], json!({"name": "data"}), Value::Null),
            google("google_kms_crypto_key.disk", &["delete"], json!({"name": "disk"}), Value::Null),
            google(
                "google_bigquery_dataset.events",
                &["delete", "create"],
                json!({"dataset_id": "a"}),
                json!({"dataset_id": "b"}),
            ),
            google("google_logging_project_sink.audit", &["delete"], json!({"name": "audit"}), Value::Null),
            google(
                "google_storage_bucket.site",
                &["update"],
                json!({"name": "site", "public_access_prevention": "enforced"}),
                json!({"name": "site", "public_access_prevention": "inherited"}),
            ),
            google(
                "google_container_cluster.gke",
                &["update"],
                json!({"name": "gke", "master_authorized_networks_config": [{"cidr_blocks": [{"cidr_block": "10.0.0.0/8"}]}]}),
                json!({"name": "gke", "master_authorized_networks_config": []}),
            ),
            google(
                "google_container_node_pool.pool",
                &["update"],
                json!({"name": "pool", "node_count": 3}),
                json!({"name": "pool", "node_count": 0}),
            ),
        ],
    ));
    let severity_of = |address: &str| report.findings.iter().filter(|f| f.address == address).map(|f| f.severity).max();
    for critical in ["google_storage_bucket.data", "google_kms_crypto_key.disk", "google_bigquery_dataset.events"] {
        assert_eq!(severity_of(critical), Some(Severity::Critical), "{critical}");
    }
    assert!(says(&report, "PG-DET-001", "google_logging_project_sink.audit", "no longer kept"));
    assert!(says(&report, "PG-DET-002", "google_storage_bucket.site", "enforced → inherited"));
    assert!(says(&report, "PG-DET-002", "google_container_cluster.gke", "from any address"));
    assert!(says(&report, "PG-OUT-001", "google_container_node_pool.pool", "node_count 3 → 0"));
}

#[test]
fn a_plan_of_another_cloud_never_passes_unsaid() {
    use plangate::report::{render, Format, RenderOptions};
    // The real azurerm plan passes (a Deny rule), and says what no rule judged.
    let report = analyze(&public_plan("checkov__azurerm_nsg_rules"));
    let text = render(&report, Format::Text, &RenderOptions::new("plan.json"));
    assert!(
        text.contains("NOT JUDGED: 1 change no rule judges: hashicorp/azurerm 1 (azurerm_resource_group)"),
        "{text}"
    );
    assert!(text.contains("(see Not Judged)"), "{text}");
    let strict =
        analyze_with(&public_plan("checkov__azurerm_nsg_rules"), &Policy::from_yaml("unjudged: high\n", "t").unwrap());
    assert_eq!(strict.exit_code(), 2);
}

#[test]
fn the_presets_name_the_data_stores_of_every_cloud() {
    for env in plangate::Environment::ALL {
        let policy = Policy::preset(env);
        for t in ["aws_s3_bucket", "azurerm_storage_account", "google_storage_bucket"] {
            assert!(policy.rules.classes.is_critical(t), "{env:?}: {t}");
        }
    }
    let default = Policy::default();
    for t in ["azurerm_key_vault", "azurerm_cosmosdb_sql_database", "google_kms_key_ring", "google_spanner_database"] {
        assert!(default.rules.classes.is_critical(t), "{t}");
    }
}

//! Public exposure beyond buckets, security groups and resource policies: snapshots, images and
//! Systems Manager documents shared with every AWS account, and endpoints the internet can newly
//! reach (internet-facing load balancers, public EKS API endpoints, public IPs, API methods without
//! authorization, message brokers, mainframe and Airflow environments made public, identity pools
//! that hand credentials to anyone, OpenSearch Serverless collections and App Runner services opened
//! to the internet).

use crate::plan::{Action, Attr, Change};
use crate::registry::{Category, Rule, REACHABLE_FROM_INTERNET, SHARED_WITH_EVERYONE};
use crate::rules::model::transition::Transition;
use crate::rules::{Context, Family, Hit};

const LOAD_BALANCERS: &[&str] = &["aws_lb", "aws_alb", "aws_elb"];

pub static FAMILY: Family = Family {
    rules: &[&SHARED_WITH_EVERYONE, &REACHABLE_FROM_INTERNET],
    // Only the types that exist to share: the others (load balancers, clusters, instances, methods)
    // have many settings besides the one read here.
    types: &[
        "aws_ami_launch_permission",
        "aws_snapshot_create_volume_permission",
        "aws_vpc_endpoint_service_allowed_principal",
    ],
    category: Category::Other,
    check,
    fallback: false,
    also_reads: |t| {
        LOAD_BALANCERS.contains(&t)
            || matches!(
                t,
                "aws_db_snapshot"
                    | "aws_db_cluster_snapshot"
                    | "aws_eks_cluster"
                    | "aws_instance"
                    | "aws_launch_template"
                    | "aws_api_gateway_method"
                    | "aws_apigatewayv2_route"
                    | "aws_mq_broker"
                    | "aws_m2_environment"
                    | "aws_mwaa_environment"
                    | "aws_ssm_document"
                    | "aws_cognito_identity_pool"
                    | "aws_opensearch_domain"
                    | "aws_elasticsearch_domain"
                    | "aws_vpc_endpoint_service"
                    | "aws_opensearchserverless_security_policy"
                    | "aws_apprunner_service"
            )
    },
};

/// Creates, updates and replacements: what can newly expose something.
fn exposes(change: &Change) -> bool {
    matches!(change.action, Action::Create | Action::Update | Action::ReplaceDeleteFirst | Action::ReplaceCreateFirst)
}

fn check(change: &Change, _: &Context) -> Vec<Hit> {
    if !exposes(change) {
        return Vec::new();
    }
    let name = change.display_name();
    let after = change.values().after();
    match change.resource_type.as_ref() {
        "aws_db_snapshot" | "aws_db_cluster_snapshot" => newly(
            &SHARED_WITH_EVERYONE,
            change,
            |side| side.get("shared_accounts").elements().any(|a| a.as_str() == Some("all")),
            || {
                format!("{name}: the snapshot is shared with every AWS account (shared_accounts all): anyone can restore its data")
            },
        ),
        "aws_ami_launch_permission" if change.action != Action::Update => match after.get("group").as_str() {
            Some("all") => vec![Hit::new(
                &SHARED_WITH_EVERYONE,
                format!("{name}: the image is launchable by every AWS account (group all): anyone can copy its disks"),
            )],
            _ => Vec::new(),
        },
        "aws_snapshot_create_volume_permission" if change.action != Action::Update => {
            match after.get("account_id").as_str() {
                Some("all") => vec![Hit::new(
                    &SHARED_WITH_EVERYONE,
                    format!("{name}: the EBS snapshot is shared with every AWS account (account_id all)"),
                )],
                _ => Vec::new(),
            }
        }
        // `permissions` is `{type = "Share", account_ids = "All"}` or a comma-separated list of
        // accounts; a public document can leak the commands, scripts and parameters it holds.
        "aws_ssm_document" => newly(
            &SHARED_WITH_EVERYONE,
            change,
            |side| {
                let accounts = side.get("permissions").get("account_ids");
                accounts.as_str().is_some_and(|ids| ids.split(',').any(|id| id.trim().eq_ignore_ascii_case("all")))
            },
            || format!("{name}: the Systems Manager document is shared with every AWS account (account_ids All)"),
        ),
        // A PrivateLink service that admits `*`: any AWS account can connect its VPCs to it.
        "aws_vpc_endpoint_service" => newly(
            &REACHABLE_FROM_INTERNET,
            change,
            |side| side.get("allowed_principals").elements().any(|p| p.as_str() == Some("*")),
            || format!("{name}: any AWS account can connect to the endpoint service (allowed_principals \"*\")"),
        ),
        "aws_vpc_endpoint_service_allowed_principal" => newly(
            &REACHABLE_FROM_INTERNET,
            change,
            |side| side.get("principal_arn").as_str() == Some("*"),
            || format!("{name}: any AWS account can connect to the endpoint service (principal_arn \"*\")"),
        ),
        t if LOAD_BALANCERS.contains(&t) => load_balancer(change, &name),
        "aws_eks_cluster" => eks_endpoint(change, &name),
        "aws_instance" => newly(
            &REACHABLE_FROM_INTERNET,
            change,
            |side| side.get("associate_public_ip_address").as_bool() == Some(true),
            || format!("{name}: the instance gets {PUBLIC_IP}"),
        ),
        "aws_launch_template" => newly(
            &REACHABLE_FROM_INTERNET,
            change,
            |side| {
                side.get("network_interfaces").elements().any(|n| {
                    let value = n.get("associate_public_ip_address");
                    value.as_str() == Some("true") || value.as_bool() == Some(true)
                })
            },
            || format!("{name}: instances launched from the template get {PUBLIC_IP}"),
        ),
        // A search domain taken out of its VPC gets a public endpoint (the domain is replaced).
        "aws_opensearch_domain" | "aws_elasticsearch_domain" if change.action != Action::Create => newly(
            &REACHABLE_FROM_INTERNET,
            change,
            |side| {
                let vpc = side.get("vpc_options");
                !vpc.is_unknown() && vpc.elements().next().is_none()
            },
            || format!("{name}: leaves its VPC for a public endpoint (vpc_options removed; the domain is replaced)"),
        ),
        // A message broker or a mainframe environment with an endpoint on the internet. (Databases
        // with the same setting are the database family's.)
        "aws_mq_broker" | "aws_m2_environment" => newly(
            &REACHABLE_FROM_INTERNET,
            change,
            |side| side.get("publicly_accessible").as_bool() == Some(true),
            || format!("{name}: becomes reachable from the internet (publicly_accessible)"),
        ),
        "aws_mwaa_environment" => newly(
            &REACHABLE_FROM_INTERNET,
            change,
            |side| side.get("webserver_access_mode").as_str().is_some_and(|m| m.eq_ignore_ascii_case("PUBLIC_ONLY")),
            || {
                format!("{name}: the Airflow web server becomes reachable from the internet (webserver_access_mode PUBLIC_ONLY)")
            },
        ),
        // Unauthenticated identities get AWS credentials of the pool's unauthenticated role.
        "aws_cognito_identity_pool" => newly(
            &REACHABLE_FROM_INTERNET,
            change,
            |side| side.get("allow_unauthenticated_identities").as_bool() == Some(true),
            || {
                format!(
                    "{name}: anyone on the internet can get AWS credentials for the pool's unauthenticated role \
                     (allow_unauthenticated_identities)"
                )
            },
        ),
        "aws_opensearchserverless_security_policy" => serverless_network(change, &name),
        // An App Runner service taken out of its VPC endpoint: its URL answers anyone. A new
        // service is public unless configured otherwise, as a new load balancer set so is.
        "aws_apprunner_service" => newly(
            &REACHABLE_FROM_INTERNET,
            change,
            |side| {
                let ingress = side.get("network_configuration").at(0).get("ingress_configuration").at(0);
                ingress.get("is_publicly_accessible").as_bool() == Some(true)
            },
            || format!("{name}: the service's URL becomes reachable from the internet (is_publicly_accessible)"),
        ),
        "aws_api_gateway_method" => {
            let method = after.get("http_method").as_str();
            without_authorization(change, &name, "authorization", method, method.unwrap_or("the method"))
        }
        // An HTTP or WebSocket API route (`GET /orders`): `authorization_type` defaults to NONE.
        "aws_apigatewayv2_route" => {
            let key = after.get("route_key").as_str();
            let method = key.and_then(|k| k.split_once(' ')).map(|(method, _)| method);
            without_authorization(change, &name, "authorization_type", method, key.unwrap_or("the route"))
        }
        _ => Vec::new(),
    }
}

/// A load balancer created internet-facing, or turned so (which replaces it).
fn load_balancer(change: &Change, name: &str) -> Vec<Hit> {
    let after = change.values().after();
    if after.get("load_balancer_type").as_str() == Some("gateway") {
        return Vec::new();
    }
    let message = match (change.action, Transition::of(change, "internal")) {
        (_, Some(t)) if t.turned_off() => {
            format!("{name}: becomes internet-facing (internal true → false; the load balancer is replaced)")
        }
        (Action::Create, _) if after.get("internal").as_bool() == Some(false) => {
            format!("{name}: is created internet-facing (internal = false)")
        }
        _ => return Vec::new(),
    };
    vec![Hit::new(&REACHABLE_FROM_INTERNET, message)]
}

/// An EKS cluster whose API endpoint becomes public to the whole internet. `public_access_cidrs`
/// not yet known on a public endpoint is the provider's default, `0.0.0.0/0`.
fn eks_endpoint(change: &Change, name: &str) -> Vec<Hit> {
    let open = |side: Attr<'_>, unknown_is_open: bool| {
        side.get("vpc_config").elements().any(|c| {
            let public = c.get("endpoint_public_access").as_bool() == Some(true);
            let cidrs = c.get("public_access_cidrs");
            let everyone = cidrs.elements().any(|r| matches!(r.as_str(), Some("0.0.0.0/0" | "::/0")));
            public && (everyone || unknown_is_open && cidrs.is_unknown())
        })
    };
    if open(change.values().after(), true) && !open(change.values().before(), false) {
        return vec![Hit::new(
            &REACHABLE_FROM_INTERNET,
            format!("{name}: the Kubernetes API endpoint becomes public to 0.0.0.0/0 (endpoint_public_access with public_access_cidrs open)"),
        )];
    }
    Vec::new()
}

/// An OpenSearch Serverless network policy whose rules now admit the internet (`"AllowFromPublic":
/// true`) to its collections or dashboards. Encryption policies are the same type and open nothing.
fn serverless_network(change: &Change, name: &str) -> Vec<Hit> {
    let after = change.values().after();
    if after.get("type").as_str() != Some("network") {
        return Vec::new();
    }
    let policy = after.get("policy");
    if policy.is_unknown() || policy.is_sensitive() {
        return vec![Hit::new(
            &REACHABLE_FROM_INTERNET,
            format!(
                "{name}: the network policy is known only after apply: whether it admits the internet cannot be verified before apply"
            ),
        )];
    }
    // Not JSON is a policy AWS would refuse; read as public, so it cannot pass unseen.
    let public = |side: Attr<'_>| {
        let Some(text) = side.get("policy").as_str() else { return false };
        match serde_json::from_str::<serde_json::Value>(text) {
            Ok(serde_json::Value::Array(rules)) => rules.iter().any(allows_public),
            Ok(rule) => allows_public(&rule),
            Err(_) => true,
        }
    };
    newly(&REACHABLE_FROM_INTERNET, change, public, || {
        format!("{name}: the network policy admits the internet (AllowFromPublic) to the collections it names")
    })
}

fn allows_public(rule: &serde_json::Value) -> bool {
    rule.get("AllowFromPublic").and_then(serde_json::Value::as_bool) == Some(true)
}

const PUBLIC_IP: &str = "a public IP address (associate_public_ip_address)";

/// A hit of `rule` with the `message` when the change newly exposes what `public` reads of a side.
fn newly(
    rule: &'static Rule,
    change: &Change,
    public: impl Fn(Attr<'_>) -> bool,
    message: impl FnOnce() -> String,
) -> Vec<Hit> {
    let values = change.values();
    if public(values.after()) && !public(values.before()) {
        vec![Hit::new(rule, message())]
    } else {
        Vec::new()
    }
}

/// A REST method or HTTP API route whose `attribute` becomes NONE (created so, or changed to it):
/// anyone can call it. CORS preflight (`OPTIONS`) routes are meant to be open.
fn without_authorization(change: &Change, name: &str, attribute: &str, method: Option<&str>, route: &str) -> Vec<Hit> {
    let none = |side: Attr<'_>| side.get(attribute).as_str().is_some_and(|a| a.eq_ignore_ascii_case("NONE"));
    let values = change.values();
    if !none(values.after()) || none(values.before()) || method.is_some_and(|m| m.eq_ignore_ascii_case("OPTIONS")) {
        return Vec::new();
    }
    let message = match values.before().get(attribute).as_str() {
        Some(was) if change.action != Action::Create => {
            format!("{name}: the {route} route no longer requires authorization ({attribute} {was} → NONE)")
        }
        _ => format!("{name}: a new {route} route requires no authorization ({attribute} NONE)"),
    };
    vec![Hit::new(&REACHABLE_FROM_INTERNET, message)]
}

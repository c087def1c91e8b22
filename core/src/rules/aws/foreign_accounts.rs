//! Another AWS account admitted: a resource policy, Lambda or event bus permission, KMS grant or
//! role trust policy that newly names an account, a snapshot or image shared with one, a VPC peered
//! with one, an endpoint service that lets one connect; or data sent into one (replication, log
//! subscriptions, event targets, SNS subscriptions). Which accounts are "another" is known only
//! once the plan has shown its own (the ARNs the provider gave its managed resources), or from
//! `trusted_accounts:`; so this family is judged across the plan.

use std::sync::Arc;

use crate::plan::{Action, Attr, Change, Mode, PlanError};
use crate::registry::{Rule, ANOTHER_ACCOUNT};
use crate::report::Finding;
use crate::rules::aws::resource_policy::{admits, KMS_GRANT, LAMBDA_PERMISSION, LAYER_PERMISSION, SITES};
use crate::rules::model::policy_document::{account_of, Document};
use crate::rules::plan_wide::{Collector, Kept, PlanWide};
use crate::rules::{list_names, Context};

/// What shares a resource with an account, connects to one, or sends data into one, by naming it
/// (an account id, or an ARN in it) at one path (blocks on the way): (type, path, noun, what the
/// resource now does with the account).
const NAMES: &[(&str, &str, &str, &str)] = &[
    ("aws_db_snapshot", "shared_accounts", "snapshot", ADMITS),
    ("aws_db_cluster_snapshot", "shared_accounts", "snapshot", ADMITS),
    ("aws_snapshot_create_volume_permission", "account_id", "volume permission of the snapshot", ADMITS),
    ("aws_ami_launch_permission", "account_id", "launch permission of the image", ADMITS),
    ("aws_vpc_peering_connection", "peer_owner_id", "peering connection", ADMITS),
    ("aws_ram_principal_association", "principal", "resource share", ADMITS),
    ("aws_vpc_endpoint_service", "allowed_principals", "endpoint service", ADMITS),
    ("aws_vpc_endpoint_service_allowed_principal", "principal_arn", "endpoint service", ADMITS),
    ("aws_cloudwatch_event_permission", "principal", "event bus permission", ADMITS),
    // Data copied or sent into the account named: every object, image, log event, event or
    // message the resource matches.
    ("aws_s3_bucket_replication_configuration", "rule.destination.account", "replication configuration", COPIES),
    (
        "aws_ecr_replication_configuration",
        "replication_configuration.rule.destination.registry_id",
        "replication configuration",
        COPIES,
    ),
    ("aws_cloudwatch_log_subscription_filter", "destination_arn", "subscription filter", SENDS),
    ("aws_cloudwatch_event_target", "arn", "event target", SENDS),
    ("aws_sns_topic_subscription", "endpoint", "subscription", SENDS),
];
const ADMITS: &str = "admits";
const COPIES: &str = "copies what it matches to";
const SENDS: &str = "sends what it matches to";

/// The managed types whose `arn` is an argument the configuration sets (an event target's target,
/// a topic policy's topic, a parameter's ARN), not the identity the provider gives the resource:
/// from the AWS provider 5.100's schema, those whose `arn` is required or optional. Their ARNs say
/// nothing of the plan's own accounts; read as if they did, one such resource naming an account
/// would make a grant to that account pass.
const ARN_AS_ARGUMENT: &[&str] = &[
    "aws_cloudwatch_event_target",
    "aws_kinesis_firehose_delivery_stream",
    "aws_kinesis_stream",
    "aws_lakeformation_resource",
    "aws_notifications_channel_association",
    "aws_sns_topic_data_protection_policy",
    "aws_sns_topic_policy",
    "aws_ssm_parameter",
];

pub(crate) struct ForeignAccounts;
pub(crate) static FAMILY: ForeignAccounts = ForeignAccounts;
static RULES: &[&Rule] = &[&ANOTHER_ACCOUNT];

impl PlanWide for ForeignAccounts {
    fn rules(&self) -> &'static [&'static Rule] {
        RULES
    }

    fn collector<'a>(&self) -> Box<dyn Collector<'a> + 'a> {
        Box::new(Seen::default())
    }

    fn reads(&self, resource_type: &str) -> bool {
        NAMES.iter().any(|(named, ..)| *named == resource_type)
    }
}

/// What the plan admits, and the ARNs that show its own accounts.
#[derive(Default)]
struct Seen<'a> {
    admissions: Kept<Box<Admission>>,
    own_arns: Kept<&'a str>,
}

impl<'a> Collector<'a> for Seen<'a> {
    fn observe(&self, index: usize, change: &Arc<Change<'a>>, _: &Context<'_>) {
        if let Some(arn) = own_arn(change) {
            self.own_arns.push(index, arn);
        }
        if let Some(admission) = admissions(change) {
            self.admissions.push(index, admission);
        }
    }

    fn finish(self: Box<Self>, ctx: &Context<'_>, _: &'a [u8]) -> Result<Vec<(Option<usize>, Finding)>, PlanError> {
        let admissions = self.admissions.into_sorted();
        let admissions: Vec<(usize, &Admission)> = admissions.iter().map(|(i, a)| (*i, a.as_ref())).collect();
        let own = self.own_arns.into_sorted();
        let found = account_findings(&admissions, own.iter().map(|(_, arn)| *arn), ctx);
        Ok(found.into_iter().map(|(i, f)| (Some(i), f)).collect())
    }
}

/// The AWS accounts a change newly admits, judged once the plan's own accounts are known.
#[derive(Debug)]
struct Admission {
    address: String,
    resource_type: String,
    actions: Action,
    noun: &'static str,
    /// What the resource now does with the accounts: "admits", or "sends what it matches to".
    verb: &'static str,
    accounts: Vec<String>,
}

/// What `change` newly admits by account: the accounts its policy (or grant) names after and did
/// not name before.
fn admissions(change: &Change) -> Option<Box<Admission>> {
    let t = change.resource_type.as_ref();
    let named = matches!(t, LAMBDA_PERMISSION | LAYER_PERMISSION | KMS_GRANT | "aws_iam_role")
        || NAMES.iter().any(|(named, ..)| *named == t)
        || SITES.iter().any(|s| s.resource_type == t);
    if !named || !admits(change) {
        return None;
    }
    let values = change.values();
    let (before, after) = (values.before(), values.after());
    let mut verb = ADMITS;
    let (noun, old, new) = match t {
        LAMBDA_PERMISSION | LAYER_PERMISSION => {
            let principal = |side: Attr<'_>| side.get("principal").as_str().and_then(account_of).into_iter().collect();
            (
                if t == LAMBDA_PERMISSION { "permission" } else { "layer permission" },
                principal(before),
                principal(after),
            )
        }
        // A role's trust policy, by the same definition of another account: one trusted without
        // an `sts:ExternalId` or organization condition.
        "aws_iam_role" if change.attribute_changed("assume_role_policy") => {
            let trusted = |side: Attr<'_>| Document::read(side.get("assume_role_policy")).trusted_accounts_unguarded();
            ("trust policy", trusted(before), trusted(after))
        }
        KMS_GRANT => {
            let grantee = |side: Attr<'_>| {
                ["grantee_principal", "retiring_principal"]
                    .iter()
                    .filter_map(|a| side.get(a).as_str().and_then(account_of))
                    .collect::<Vec<_>>()
            };
            ("key grant", grantee(before), grantee(after))
        }
        _ if NAMES.iter().any(|(named, ..)| *named == t) => {
            let (_, path, noun, does) = NAMES.iter().find(|(named, ..)| *named == t)?;
            verb = does;
            let accounts = |side: Attr<'_>| named_at(side, path).filter_map(account_of).collect::<Vec<_>>();
            (*noun, accounts(before), accounts(after))
        }
        _ => {
            let site = SITES.iter().find(|s| s.resource_type == t && s.changed(change))?;
            let accounts = |side: Attr<'_>| Document::read(site.document(side)).accounts();
            (site.noun, accounts(before), accounts(after))
        }
    };
    let accounts: Vec<String> = new.into_iter().filter(|a| !old.contains(a)).collect();
    (!accounts.is_empty()).then(|| {
        Box::new(Admission {
            address: change.display_name(),
            resource_type: t.to_string(),
            actions: change.action,
            noun,
            verb,
            accounts,
        })
    })
}

/// The strings at `path` of `side`, through lists of blocks on the way and a list at the end.
fn named_at<'v>(side: Attr<'v>, path: &str) -> impl Iterator<Item = &'v str> {
    let mut found = vec![side];
    for step in path.split('.') {
        found = found
            .into_iter()
            .flat_map(|attr| {
                let value = attr.get(step);
                let items: Vec<Attr<'v>> = value.elements().collect();
                if items.is_empty() {
                    vec![value]
                } else {
                    items
                }
            })
            .collect();
    }
    found.into_iter().filter_map(Attr::as_str)
}

/// The ARN that shows a change's account to be the plan's own: the `arn` (after, else before) the
/// provider gave a managed resource, as the raw JSON text. Taken from every such change, so neither
/// parsed nor copied; read only when the plan admits some account ([`account_findings`]).
fn own_arn<'a>(change: &Change<'a>) -> Option<&'a str> {
    // A data source reads whatever its arguments name, in any account.
    if change.mode != Mode::Managed || ARN_AS_ARGUMENT.contains(&change.resource_type.as_ref()) {
        return None;
    }
    let values = change.values();
    values.after.raw("arn").filter(|raw| raw.starts_with('"')).or_else(|| values.before.raw("arn"))
}

/// The account of a raw JSON string holding an ARN (one with escapes is not an ARN of ours).
fn account_of_raw(raw: &str) -> Option<String> {
    let text = raw.strip_prefix('"')?.strip_suffix('"')?;
    if text.contains('\\') {
        None
    } else {
        account_of(text)
    }
}

/// The PG-RP-003 findings: each admission's accounts that are not the plan's own. `trusted` (the
/// configuration's `trusted_accounts`) replaces what the plan shows when it is set.
fn account_findings<'a>(
    admissions: &[(usize, &Admission)],
    own_arns: impl Iterator<Item = &'a str>,
    ctx: &Context,
) -> Vec<(usize, Finding)> {
    if admissions.is_empty() {
        return Vec::new();
    }
    let seen: Vec<String>;
    let (own, why): (&[String], &str) = match &ctx.config.trusted_accounts {
        Some(trusted) => (trusted, "not among the trusted_accounts"),
        None => {
            let mut accounts: Vec<String> = own_arns.filter_map(account_of_raw).collect();
            accounts.sort_unstable();
            accounts.dedup();
            seen = accounts;
            (&seen, "not an account of this plan")
        }
    };
    let mut found = Vec::new();
    for &(index, admission) in admissions {
        let foreign: Vec<String> = admission.accounts.iter().filter(|a| !own.contains(a)).cloned().collect();
        if foreign.is_empty() {
            continue;
        }
        let rule: &Rule = &ANOTHER_ACCOUNT;
        let (noun, accounts) =
            if foreign.len() == 1 { ("account", foreign[0].clone()) } else { ("accounts", list_names(&foreign, 5)) };
        let message = format!(
            "{}: the {} now {} AWS {noun} {accounts} ({why})",
            admission.address, admission.noun, admission.verb
        );
        let (address, resource_type) = (admission.address.clone(), admission.resource_type.clone());
        let finding = ctx.finding(rule, rule.category, address, resource_type, admission.actions, message);
        found.extend(finding.map(|f| (index, f)));
    }
    found
}

//! Detective and protective controls switched off: audit trails, threat detection, configuration
//! recording, flow logs (detective); bucket encryption and versioning, default EBS encryption,
//! volume encryption, `force_destroy`, message and stream retention (protective).

use super::transition::Transition;
use super::{Context, Family, Hit};
use crate::plan::{Action, Attr, Change};
use crate::registry::{Category, Rule, DETECTIVE_CONTROL_OFF, PROTECTIVE_CONTROL_OFF};

/// Types whose deletion switches a control off, and what is lost with them.
const DELETED: &[(&str, &Rule, &str)] = &[
    ("aws_cloudtrail", &DETECTIVE_CONTROL_OFF, "API calls are no longer recorded"),
    ("aws_guardduty_detector", &DETECTIVE_CONTROL_OFF, "threat detection stops"),
    ("aws_config_configuration_recorder", &DETECTIVE_CONTROL_OFF, "configuration changes are no longer recorded"),
    ("aws_config_configuration_recorder_status", &DETECTIVE_CONTROL_OFF, "configuration recording stops"),
    ("aws_securityhub_account", &DETECTIVE_CONTROL_OFF, "Security Hub findings and standards checks stop"),
    ("aws_flow_log", &DETECTIVE_CONTROL_OFF, "network traffic is no longer logged"),
    (
        "aws_s3_bucket_server_side_encryption_configuration",
        &PROTECTIVE_CONTROL_OFF,
        "the bucket's default encryption configuration is removed",
    ),
    (
        "aws_s3_bucket_versioning",
        &PROTECTIVE_CONTROL_OFF,
        "versioning is no longer managed: overwritten and deleted objects may not be recoverable",
    ),
    ("aws_ebs_encryption_by_default", &PROTECTIVE_CONTROL_OFF, "new EBS volumes are no longer encrypted by default"),
];

/// Flags whose `true → false` switches a control off, and what that means.
const FLAGS: &[(&str, &str, &Rule, &str)] = &[
    ("aws_cloudtrail", "enable_logging", &DETECTIVE_CONTROL_OFF, "the trail stops recording API calls"),
    ("aws_cloudtrail", "is_multi_region_trail", &DETECTIVE_CONTROL_OFF, "other regions are no longer recorded"),
    (
        "aws_cloudtrail",
        "enable_log_file_validation",
        &DETECTIVE_CONTROL_OFF,
        "tampering with log files can no longer be detected",
    ),
    ("aws_guardduty_detector", "enable", &DETECTIVE_CONTROL_OFF, "threat detection stops"),
    ("aws_config_configuration_recorder_status", "is_enabled", &DETECTIVE_CONTROL_OFF, "configuration recording stops"),
    ("aws_ebs_encryption_by_default", "enabled", &PROTECTIVE_CONTROL_OFF, "new EBS volumes are no longer encrypted"),
    ("aws_ebs_volume", "encrypted", &PROTECTIVE_CONTROL_OFF, "the replacement volume is not encrypted"),
];

/// Retention settings whose cut deletes data sooner.
const RETENTION: &[(&str, &str, &str)] =
    &[("aws_sqs_queue", "message_retention_seconds", "seconds"), ("aws_kinesis_stream", "retention_period", "hours")];

pub static FAMILY: Family = Family {
    rules: &[&DETECTIVE_CONTROL_OFF, &PROTECTIVE_CONTROL_OFF],
    // The types that are nothing but the control; volumes, queues, streams and buckets have other
    // settings, judged elsewhere or left to the high-risk classes.
    types: &[
        "aws_cloudtrail",
        "aws_guardduty_detector",
        "aws_config_configuration_recorder",
        "aws_config_configuration_recorder_status",
        "aws_securityhub_account",
        "aws_flow_log",
        "aws_s3_bucket_server_side_encryption_configuration",
        "aws_s3_bucket_versioning",
        "aws_ebs_encryption_by_default",
    ],
    category: Category::Other,
    check,
    fallback: false,
};

fn check(change: &Change, _: &Context) -> Vec<Hit> {
    let t = change.resource_type.as_ref();
    let name = change.display_name();
    if change.action == Action::Delete {
        return DELETED
            .iter()
            .filter(|(dt, ..)| *dt == t)
            .map(|(_, rule, lost)| Hit::new(rule, format!("{name} is deleted: {lost}")))
            .collect();
    }
    let mut hits: Vec<Hit> = FLAGS
        .iter()
        .filter(|(ft, ..)| *ft == t)
        .filter(|(_, flag, ..)| Transition::of(change, flag).is_some_and(|f| f.turned_off()))
        .map(|(_, flag, rule, meaning)| Hit::new(rule, format!("{name}: {flag} turned off: {meaning}")))
        .collect();
    for (_, attribute, unit) in RETENTION.iter().filter(|(rt, ..)| *rt == t) {
        if let Some((from, to)) = Transition::of(change, attribute).and_then(|r| r.reduced()) {
            hits.push(Hit::new(
                &PROTECTIVE_CONTROL_OFF,
                format!("{name}: {attribute} cut from {from} to {to} {unit}; older data is deleted sooner"),
            ));
        }
    }
    match t {
        "aws_cloudtrail" if data_events(change.values().before()) && !data_events(change.values().after()) => {
            hits.push(Hit::new(
                &DETECTIVE_CONTROL_OFF,
                format!(
                    "{name}: its data event selectors are removed: object and function activity is no longer recorded"
                ),
            ));
        }
        "aws_s3_bucket_versioning" => {
            let status = |side: Attr<'_>| {
                side.get("versioning_configuration")
                    .elements()
                    .find_map(|c| c.get("status").as_str().map(str::to_owned))
            };
            let (before, after) = (status(change.values().before()), status(change.values().after()));
            if before.as_deref() == Some("Enabled") && after.as_deref().is_some_and(|s| s != "Enabled") {
                hits.push(Hit::new(
                    &PROTECTIVE_CONTROL_OFF,
                    format!("{name}: versioning suspended: overwritten and deleted objects can no longer be recovered"),
                ));
            }
        }
        "aws_s3_bucket" if Transition::of(change, "force_destroy").is_some_and(|f| f.turned_on()) => {
            hits.push(Hit::new(
                &PROTECTIVE_CONTROL_OFF,
                format!("{name}: force_destroy turned on: deleting the bucket will delete every object in it"),
            ));
        }
        _ => {}
    }
    hits
}

/// Whether a trail records data events (S3 objects, Lambda invocations): basic `event_selector`s
/// with `data_resource`s, or advanced selectors that select on `eventCategory = Data`.
fn data_events(side: Attr<'_>) -> bool {
    let basic = side.get("event_selector").elements().any(|s| s.get("data_resource").elements().next().is_some());
    let advanced = side.get("advanced_event_selector").elements().any(|s| {
        s.get("field_selector").elements().any(|f| {
            f.get("field").as_str() == Some("eventCategory")
                && f.get("equals").elements().any(|v| v.as_str() == Some("Data"))
        })
    });
    basic || advanced
}

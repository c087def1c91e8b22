//! The task result HCP receives (`PATCH task_result_callback_url`): a JSON:API `task-results`
//! document with a status, a message and one outcome per finding that counts, critical first.
//! HCP's schema caps the message at 1,000 characters, the outcomes at 250 and each outcome's body
//! at 10,000: what does not fit is cut, least severe first, and the message says so. Plan text is
//! untrusted: descriptions are one line, bodies are escaped Markdown.
//!
//! HashiCorp's documentation and its schema spell a few things differently (`outcome-id` in the
//! schema and the examples, `outcome_id` in one prose table; `outcomes` under
//! `relationships`): this follows the schema.

use serde_json::{json, Value};

use super::payload::Stage;
use crate::fingerprint::fingerprint;
use crate::registry::Severity;
use crate::report::{Finding, Report};
use crate::text::{markdown, one_line};

/// The most characters of the result's message.
pub const MAX_MESSAGE_CHARS: usize = 1000;
/// The most outcomes.
pub const MAX_OUTCOMES: usize = 250;
/// The most characters of an outcome's body.
pub const MAX_BODY_CHARS: usize = 10_000;

/// The task result for `report`: `passed` exactly when the gate passed.
pub fn task_result(report: &Report) -> Value {
    let mut counted: Vec<&Finding> =
        report.findings.iter().filter(|f| f.waived.is_none() && f.severity != Severity::Notice).collect();
    // Critical first, then high; the registry order within each.
    counted.sort_by_key(|f| f.severity != Severity::Critical);
    let left_out = counted.len().saturating_sub(MAX_OUTCOMES);
    let outcomes: Vec<Value> = counted.iter().take(MAX_OUTCOMES).map(|f| outcome(f)).collect();
    let mut message = format!(
        "plangate: {} — {} Critical changes: {}, high-risk: {}, of {} changes.",
        report.status.as_str(),
        one_line(&report.verdict.reason),
        report.critical_changes,
        report.high_risk_changes,
        report.total_changes
    );
    if left_out > 0 {
        message.push_str(&format!(" {left_out} lower-severity findings are not listed (HCP takes {MAX_OUTCOMES})."));
    }
    document(if report.verdict.passed { "passed" } else { "failed" }, &message, outcomes)
}

/// The result for a stage that comes without a plan, which plangate passes saying why: before
/// the plan there is nothing to judge, after the apply it was judged before. `None` for the
/// stages that come with a plan.
pub fn result_without_plan(stage: Stage) -> Option<Value> {
    let why = match stage {
        Stage::PrePlan => "nothing to judge before the plan",
        Stage::PostApply => "the plan was judged before the apply",
        _ => return None,
    };
    Some(document("passed", &format!("plangate: {why}"), Vec::new()))
}

/// A failed result for a run that cannot be checked (the plan cannot be fetched or read): never a
/// pass.
pub fn failed_result(reason: &str) -> Value {
    document("failed", &format!("plangate cannot check this run: {}", one_line(reason)), Vec::new())
}

fn document(status: &str, message: &str, outcomes: Vec<Value>) -> Value {
    json!({"data": {
        "type": "task-results",
        "attributes": {"status": status, "message": cut(message, MAX_MESSAGE_CHARS)},
        "relationships": {"outcomes": {"data": outcomes}},
    }})
}

fn outcome(finding: &Finding) -> Value {
    let (label, level) = match finding.severity {
        Severity::Critical => ("Critical", "error"),
        _ => ("High", "warning"),
    };
    let mut body = format!("{}\n\nRule: {}", markdown(&finding.message), finding.rule);
    if let Some(location) = finding.source_location() {
        body.push_str(&format!(" · {}:{}", markdown(&location.file), location.start_line));
    }
    json!({
        "type": "task-result-outcomes",
        "attributes": {
            "outcome-id": format!("{}-{}", finding.rule, fingerprint(&[&finding.rule, &finding.address])),
            "description": cut(&one_line(&finding.address), 200),
            "body": cut(&body, MAX_BODY_CHARS),
            "tags": {"Severity": [{"label": label, "level": level}], "Rule": [{"label": finding.rule, "level": "none"}]},
        },
    })
}

/// At most `max` characters, the last one an ellipsis when cut.
fn cut(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let mut out: String = text.chars().take(max - 1).collect();
    out.push('…');
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{check, CheckOptions, Environment, PlanInput, Policy};

    fn report(deletions: usize) -> Report {
        let changes: Vec<Value> = (0..deletions)
            .map(|i| {
                json!({"address": format!("aws_sqs_queue.q{i}"), "type": "aws_sqs_queue", "name": format!("q{i}"),
                "change": {"actions": ["delete"], "before": {}, "after": null}})
            })
            .chain([json!({"address": "aws_dynamodb_table.audit", "type": "aws_dynamodb_table", "name": "audit",
                "change": {"actions": ["delete"], "before": {}, "after": null}})])
            .collect();
        let plan = json!({"format_version": "1.2", "resource_changes": changes}).to_string();
        check(PlanInput::bytes(plan.as_bytes()), &CheckOptions::new(Policy::preset(Environment::Production))).unwrap()
    }

    #[test]
    fn within_hcps_limits_critical_first() {
        let result = task_result(&report(400));
        let attributes = &result["data"]["attributes"];
        assert_eq!(attributes["status"], "failed");
        let message = attributes["message"].as_str().unwrap();
        assert!(message.chars().count() <= MAX_MESSAGE_CHARS);
        assert!(message.contains("lower-severity findings are not listed"), "{message}");
        let outcomes = result["data"]["relationships"]["outcomes"]["data"].as_array().unwrap();
        assert_eq!(outcomes.len(), MAX_OUTCOMES);
        assert_eq!(outcomes[0]["attributes"]["description"], "aws_dynamodb_table.audit", "the critical one first");
        assert_eq!(outcomes[0]["attributes"]["tags"]["Severity"][0]["level"], "error");
        let ids: std::collections::BTreeSet<&str> =
            outcomes.iter().map(|o| o["attributes"]["outcome-id"].as_str().unwrap()).collect();
        assert_eq!(ids.len(), outcomes.len(), "outcome ids are unique");
        let failed = failed_result(&"x".repeat(5000));
        assert_eq!(failed["data"]["attributes"]["status"], "failed");
        assert_eq!(failed["data"]["attributes"]["message"].as_str().unwrap().chars().count(), MAX_MESSAGE_CHARS);
    }
}

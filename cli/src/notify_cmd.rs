//! `plangate notify slack`: the message the pipelines send for plan changes (environment,
//! critical, high-risk and total counts), posted to the incoming webhook in `SLACK_WEBHOOK_URL`.
//! Network errors, 429 and 5xx answers are retried with the configuration's retry strategy (a
//! `Retry-After` header is a floor); other answers fail at once. Every request has a timeout, so it
//! never hangs. The webhook URL is a secret: no message shows it.

use std::time::Duration;

use plangate::policy::{ConfigFile, SlackNotification};
use plangate::resilience::{Random, RetryStrategy};
use serde_json::{json, Value};

use crate::args::SlackArgs;
use crate::Failure;

pub fn slack(args: &SlackArgs) -> Result<u8, Failure> {
    let config = match &args.config {
        Some(path) => ConfigFile::read(path).map_err(|e| Failure(e.to_string()))?,
        None => ConfigFile::default(),
    };
    let slack = config.notifications.and_then(|n| n.slack);
    if let Some(SlackNotification { enabled: false, .. }) = slack {
        eprintln!("plangate notify: Slack notifications are disabled in the configuration; nothing sent");
        return Ok(0);
    }
    let webhook = std::env::var("SLACK_WEBHOOK_URL")
        .ok()
        .filter(|u| !u.trim().is_empty())
        .ok_or_else(|| Failure("SLACK_WEBHOOK_URL is not set: it must hold the Slack incoming-webhook URL".into()))?;
    let report_text = std::fs::read_to_string(&args.report)
        .map_err(|e| Failure(format!("cannot read report {}: {e}", args.report)))?;
    let report: Value = serde_json::from_str(&report_text).map_err(|e| {
        Failure(format!("report {} is not JSON ({e}): expected the output of `plangate check -f json`", args.report))
    })?;
    let channel = slack.and_then(|s| s.channel);
    let message = message(&report, args.environment.as_deref(), channel.as_deref())
        .map_err(|e| Failure(format!("report {}: {e}", args.report)))?;

    let strategy = config.resilience.map(|r| r.retry_strategy).unwrap_or_default();
    let problems = strategy.problems();
    if !problems.is_empty() {
        return Err(Failure(format!("resilience.retry_strategy: {}", problems.join("; "))));
    }
    post(&webhook, &message, &strategy, args.timeout)?;
    eprintln!("plangate notify: posted to Slack{}", channel.map(|c| format!(" ({c})")).unwrap_or_default());
    Ok(0)
}

/// The Slack payload for a plangate JSON report.
fn message(report: &Value, environment: Option<&str>, channel: Option<&str>) -> Result<Value, String> {
    let count = |key: &str| {
        report.get(key).and_then(Value::as_u64).ok_or_else(|| {
            format!("`{key}` is missing or not a count: expected the output of `plangate check -f json`")
        })
    };
    let (critical, high, total) = (count("critical_changes")?, count("high_risk_changes")?, count("total_changes")?);
    let status = report.get("status").and_then(Value::as_str).unwrap_or("unknown");
    let environment = escape(environment.unwrap_or("unknown environment"));
    let headline = match status {
        "critical" => format!(":rotating_light: Critical Terraform changes in *{environment}*: manual review required"),
        "high_risk" => format!(":warning: High-risk Terraform changes in *{environment}*"),
        _ => format!(":white_check_mark: Terraform plan for *{environment}* has no critical or high-risk changes"),
    };
    let text = format!("{headline}\nCritical changes: {critical}\nHigh-risk changes: {high}\nTotal changes: {total}");
    let mut payload = json!({ "text": text });
    if let Some(channel) = channel {
        payload["channel"] = json!(channel);
    }
    Ok(payload)
}

/// Slack's mrkdwn control characters, for text that came from the command line.
fn escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
}

fn post(webhook: &str, message: &Value, strategy: &RetryStrategy, timeout: f64) -> Result<(), Failure> {
    let timeout = Duration::from_secs_f64(timeout.max(0.1));
    let agent = ureq::AgentBuilder::new().timeout_connect(timeout).timeout(timeout).redirects(0).build();
    let body = message.to_string();
    let mut backoff = strategy.backoff(Random::from_clock());
    for attempt in 1.. {
        let (problem, retry_after) =
            match agent.post(webhook).set("Content-Type", "application/json").send_string(&body) {
                Ok(_) => return Ok(()),
                Err(ureq::Error::Status(code, response)) => {
                    let retry_after = response.header("Retry-After").and_then(|v| v.trim().parse::<f64>().ok());
                    let answer: String = response.into_string().unwrap_or_default().chars().take(200).collect();
                    let problem = format!("Slack answered {code}: {}", answer.trim());
                    if code != 429 && code < 500 {
                        return Err(Failure(format!("{problem} (not retried: check the webhook and the channel)")));
                    }
                    (problem, retry_after)
                }
                // Transport errors can quote the URL; only their kind is shown.
                Err(ureq::Error::Transport(transport)) => {
                    (format!("could not reach Slack ({})", transport.kind()), None)
                }
            };
        match backoff.next_delay(retry_after) {
            Some(delay) => {
                eprintln!("plangate notify: attempt {attempt} failed: {problem}; retrying in {delay:.1} s");
                std::thread::sleep(Duration::from_secs_f64(delay));
            }
            None => return Err(Failure(format!("notification not sent after {attempt} attempts: {problem}"))),
        }
    }
    unreachable!("the attempt loop returns")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn message_from_a_report() {
        let report = json!({"total_changes": 7, "high_risk_changes": 0, "critical_changes": 3, "status": "critical"});
        let payload = message(&report, Some("prod<script>"), Some("#prod-terraform-alerts")).unwrap();
        let text = payload["text"].as_str().unwrap();
        assert!(
            text.contains("*prod&lt;script&gt;*")
                && text.contains("Critical changes: 3")
                && text.contains("Total changes: 7"),
            "{text}"
        );
        assert_eq!(payload["channel"], "#prod-terraform-alerts");
        assert!(message(&json!({"issues": []}), None, None).unwrap_err().contains("critical_changes"));
    }
}

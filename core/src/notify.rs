//! Notifications about a plan report: the `notifications` section of the configuration and the
//! Slack message the pipelines send (environment, critical, high-risk and total counts). Sending is
//! the front end's job; what is said, and how untrusted text is escaped, is decided here.

use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use crate::report::{Report, Status};

/// The `notifications` section.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct Notifications {
    /// The Slack incoming webhook's settings.
    pub slack: Option<SlackNotification>,
}

/// `notifications.slack`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct SlackNotification {
    /// `false` sends nothing.
    #[serde(default)]
    pub enabled: bool,
    /// The channel to post to, when the webhook allows choosing one.
    pub channel: Option<String>,
}

/// The Slack payload for a plan report. The headline follows the worst of what the report says:
/// its counts and its status, so a report edited or truncated to say `safe` beside three critical
/// changes is still announced as critical.
pub fn slack_message(report: &Report, environment: Option<&str>, channel: Option<&str>) -> Value {
    let environment = slack_escape(environment.unwrap_or("unknown environment"));
    let critical = report.critical_changes > 0 || report.status == Status::Critical;
    let high_risk = report.high_risk_changes > 0 || report.status == Status::HighRisk;
    let headline = if critical {
        format!(":rotating_light: Critical Terraform changes in *{environment}*: manual review required")
    } else if high_risk {
        format!(":warning: High-risk Terraform changes in *{environment}*")
    } else {
        format!(":white_check_mark: Terraform plan for *{environment}* has no critical or high-risk changes")
    };
    let text = format!(
        "{headline}\nCritical changes: {}\nHigh-risk changes: {}\nTotal changes: {}",
        report.critical_changes, report.high_risk_changes, report.total_changes
    );
    let mut payload = json!({ "text": text });
    if let Some(channel) = channel {
        payload["channel"] = json!(channel);
    }
    payload
}

/// Slack's mrkdwn control characters.
fn slack_escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
}

//! `plangate notify slack`: the engine's Slack message for a plan report, posted to the incoming
//! webhook in `SLACK_WEBHOOK_URL` through the engine's retry driver. Network errors, 429 and 5xx
//! answers are retried with the configuration's retry strategy (a `Retry-After` header is a floor);
//! other answers, redirects included, fail at once. Every request has a timeout, so it never hangs.
//! The webhook URL is a secret: no message shows it, nor any answer's body (which can echo it).

use std::time::Duration;

use plangate::notify::{slack_message, SlackNotification};
use plangate::resilience::{Failure as Failed, GiveUpReason, Random, Retrier, SystemClock, ThreadSleep};
use plangate::{Config, Report};

use crate::args::SlackArgs;
use crate::Failure;

pub fn slack(args: &SlackArgs) -> Result<u8, Failure> {
    let config = match &args.config {
        Some(path) => Config::from_file(path).map_err(|e| Failure(e.to_string()))?,
        None => Config::default(),
    };
    if !args.timeout.is_finite() || args.timeout <= 0.0 {
        return Err(Failure(format!("--timeout {}: expected a number of seconds above 0", args.timeout)));
    }
    let slack = config.notifications.and_then(|n| n.slack);
    if let Some(SlackNotification { enabled: false, .. }) = slack {
        eprintln!("plangate notify: Slack notifications are disabled in the configuration; nothing sent");
        return Ok(0);
    }
    let webhook = std::env::var("SLACK_WEBHOOK_URL")
        .ok()
        .filter(|u| !u.trim().is_empty())
        .ok_or_else(|| Failure("SLACK_WEBHOOK_URL is not set: it must hold the Slack incoming-webhook URL".into()))?;
    if !(webhook.starts_with("https://") || webhook.starts_with("http://")) {
        return Err(Failure(
            "SLACK_WEBHOOK_URL is not an http(s) URL: it must hold the Slack incoming-webhook URL".into(),
        ));
    }
    let report = Report::from_file(&args.report).map_err(|e| Failure(e.to_string()))?;
    let channel = slack.and_then(|s| s.channel);
    let message = slack_message(&report, args.environment.as_deref(), channel.as_deref());

    let strategy = config.resilience.map(|r| r.retry_strategy).unwrap_or_default();
    let problems = strategy.problems();
    if !problems.is_empty() {
        return Err(Failure(format!("resilience.retry_strategy: {}", problems.join("; "))));
    }
    let timeout = Duration::from_secs_f64(args.timeout);
    let agent = ureq::AgentBuilder::new().timeout_connect(timeout).timeout(timeout).redirects(0).build();
    let body = message.to_string();
    let result = Retrier::new(&strategy, Random::from_clock()).run(
        &SystemClock,
        &mut ThreadSleep,
        |_| post(&agent, &webhook, &body),
        |event| {
            eprintln!(
                "plangate notify: attempt {} failed: {}; retrying in {:.1} s",
                event.attempt, event.error, event.delay
            )
        },
    );
    match result {
        Ok(()) => {
            eprintln!("plangate notify: posted to Slack{}", channel.map(|c| format!(" ({c})")).unwrap_or_default());
            Ok(0)
        }
        Err(gave_up) if gave_up.reason == GiveUpReason::NotRetryable => {
            Err(Failure(format!("{} (not retried: check the webhook and the channel)", gave_up.error)))
        }
        Err(gave_up) => {
            Err(Failure(format!("notification not sent after {} attempts: {}", gave_up.attempts, gave_up.error)))
        }
    }
}

/// One POST. Only a 2xx answer is delivery: a redirect is not followed (it would resend a secret
/// URL's payload elsewhere) and is a failure.
fn post(agent: &ureq::Agent, webhook: &str, body: &str) -> Result<(), Failed<String>> {
    match agent.post(webhook).set("Content-Type", "application/json").send_string(body) {
        Ok(response) if (200..300).contains(&response.status()) => Ok(()),
        Ok(response) => {
            Err(Failed::permanent(format!("Slack answered {} (a redirect, not a delivery)", response.status())))
        }
        Err(ureq::Error::Status(code, response)) => {
            let retry_after = response.header("Retry-After").and_then(|v| v.trim().parse::<f64>().ok());
            // The body is not shown: Slack echoes the request path, the secret part of the URL.
            let problem = format!("Slack answered {code}");
            if code == 429 || code >= 500 {
                Err(Failed::retryable(problem).retry_after(retry_after))
            } else {
                Err(Failed::permanent(problem))
            }
        }
        // Transport errors can quote the URL; only their kind is shown.
        Err(ureq::Error::Transport(transport)) => {
            let problem = format!("could not reach Slack ({})", transport.kind());
            match transport.kind() {
                ureq::ErrorKind::InvalidUrl | ureq::ErrorKind::UnknownScheme => Err(Failed::permanent(problem)),
                _ => Err(Failed::retryable(problem)),
            }
        }
    }
}

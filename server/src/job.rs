//! One run-task job: the plan fetched from the allowed hosts (redirects followed only to them,
//! the body read under the plan size limit), checked by the engine under the workspace's policy
//! off the async threads, and the result delivered to the callback, retried on 429 and 5xx with
//! the resilience module's policy, within the job's deadline. A plan that cannot be fetched or
//! read is a `failed` result saying why: never a pass.

use std::sync::atomic::Ordering;
use std::time::Duration;

use plangate::resilience::{Jitter, Next, Random, Retrier, RetryStrategy};
use plangate::run_task::{failed_result, result_without_plan, task_result, Payload};
use plangate::PlanInput;
use serde_json::{json, Value};
use tokio::time::Instant;

use crate::metrics::Metrics;
use crate::{policy_for, Pending, Shared};

/// The HTTP client: no redirect followed on its own (the plan's are followed by [`fetch`], only to
/// allowed hosts and without the token), a connect timeout, no proxy from the environment.
pub(crate) fn client() -> Result<reqwest::Client, reqwest::Error> {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .connect_timeout(Duration::from_secs(10))
        .no_proxy()
        .user_agent(concat!("plangate/", env!("CARGO_PKG_VERSION")))
        .build()
}

/// Runs job `id` to its callback.
pub(crate) async fn run(shared: &Shared, id: u64, payload: Payload) {
    let started = Instant::now();
    let deadline = started + Duration::from_secs(shared.section.job_timeout_seconds);
    // Time in the queue counts: HCP's ten minutes run from its request.
    let running = async {
        let _permit = shared.running.acquire().await.map_err(|_| "the server is shutting down".to_string())?;
        judge(shared, &payload).await
    };
    let judged = match tokio::time::timeout_at(deadline, running).await {
        Ok(judged) => judged,
        Err(_) => Err(format!("the check took longer than {} s", shared.section.job_timeout_seconds)),
    };
    let (result, verdict) = match judged {
        Ok(None) => (None, "verification"),
        Ok(Some((result, verdict))) => (Some(result), verdict),
        Err(reason) => (Some(failed_result(&reason)), "unreadable"),
    };
    let counter = match verdict {
        "passed" => Some(&shared.metrics.passed),
        "failed" => Some(&shared.metrics.failed),
        "unreadable" => Some(&shared.metrics.unreadable),
        _ => None,
    };
    if let Some(counter) = counter {
        Metrics::add(counter);
    }
    let pending = Pending::of(&payload);
    let delivered = match &result {
        Some(result) => deliver(shared, &pending, result, deadline + Duration::from_secs(30)).await,
        None => true,
    };
    shared.pending.lock().unwrap_or_else(std::sync::PoisonError::into_inner).remove(&id);
    let seconds = started.elapsed().as_secs_f64();
    shared.metrics.job_micros.fetch_add((seconds * 1e6) as u64, Ordering::Relaxed);
    Metrics::add(&shared.metrics.jobs);
    shared.metrics.in_flight.fetch_sub(1, Ordering::SeqCst);
    shared.log.event(
        if delivered { "info" } else { "error" },
        "job finished",
        json!({"run_id": payload.run_id, "workspace": payload.workspace_name, "result": verdict,
               "delivered": delivered, "seconds": (seconds * 1000.0).round() / 1000.0}),
    );
}

/// The result for the payload and its verdict, `None` for HCP's verification request, or why the
/// run cannot be checked.
async fn judge(shared: &Shared, payload: &Payload) -> Result<Option<(Value, &'static str)>, String> {
    if payload.is_verification() {
        return Ok(None);
    }
    if let Some(result) = result_without_plan(payload.stage) {
        return Ok(Some((result, "passed")));
    }
    let url = payload.plan_json_api_url.as_deref().ok_or("the request names no plan")?;
    let plan = fetch(shared, url, &payload.access_token).await?;
    let options = policy_for(shared, payload.workspace_name.as_deref()).clone();
    let report = tokio::task::spawn_blocking(move || plangate::check(PlanInput::bytes(&plan), &options))
        .await
        .map_err(|e| format!("the check stopped: {e}"))?
        .map_err(|e| format!("the plan cannot be read: {e}"))?;
    let verdict = if report.verdict.passed { "passed" } else { "failed" };
    Ok(Some((task_result(&report), verdict)))
}

/// The plan's JSON, read under the plan size limit. HCP answers with a redirect to its archivist
/// (a pre-signed URL): redirects are followed by hand, up to five, only to allowed hosts, and the
/// token goes with the first request only.
async fn fetch(shared: &Shared, url: &str, token: &str) -> Result<Vec<u8>, String> {
    // No URL is shown: the archivist's is pre-signed.
    let failed = |e: reqwest::Error| format!("the plan cannot be fetched: {}", e.without_url());
    let mut url = reqwest::Url::parse(url).map_err(|e| format!("the plan's URL cannot be read: {e}"))?;
    let mut response = shared.client.get(url.clone()).bearer_auth(token).send().await.map_err(failed)?;
    for _ in 0..5 {
        if !response.status().is_redirection() {
            break;
        }
        let location = response.headers().get("location").and_then(|v| v.to_str().ok()).unwrap_or_default();
        url = url.join(location).map_err(|_| "the plan's redirect cannot be read".to_string())?;
        if !shared.hosts.allows(url.as_str()) {
            return Err("the plan is redirected to a host run_task.allowed_hosts does not allow".into());
        }
        response = shared.client.get(url.clone()).send().await.map_err(failed)?;
    }
    if !response.status().is_success() {
        return Err(format!("the plan cannot be fetched: HTTP {}", response.status().as_u16()));
    }
    let limit = shared.max_plan_bytes;
    let too_big = || format!("the plan is larger than the limit of {limit} bytes (PLANGATE_MAX_PLAN_BYTES)");
    if response.content_length().is_some_and(|n| n > limit) {
        return Err(too_big());
    }
    let mut plan = Vec::new();
    while let Some(chunk) = response.chunk().await.map_err(failed)? {
        if plan.len() as u64 + chunk.len() as u64 > limit {
            return Err(too_big());
        }
        plan.extend_from_slice(&chunk);
    }
    Ok(plan)
}

/// The retries of a callback: HCP waits, so a few, spread out.
fn strategy() -> RetryStrategy {
    RetryStrategy {
        max_attempts: 6,
        initial_delay: 0.5,
        max_delay: 20.0,
        backoff_factor: 2.0,
        jitter: Jitter::Full,
        ..RetryStrategy::default()
    }
}

/// Sends `result` to the pending job's callback until it is taken, retrying 429, 5xx and network
/// errors (a `Retry-After` as a floor) until `deadline`. Whether it was delivered.
pub(crate) async fn deliver(shared: &Shared, pending: &Pending, result: &Value, deadline: Instant) -> bool {
    let mut retrier = Retrier::new(&strategy(), Random::from_clock());
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        let attempt = shared
            .client
            .patch(&pending.callback)
            .bearer_auth(&pending.token)
            .header("content-type", "application/vnd.api+json")
            .timeout(left.min(Duration::from_secs(30)).max(Duration::from_millis(100)))
            .body(result.to_string())
            .send()
            .await;
        let (retryable, retry_after, problem) = match attempt {
            Ok(response) if response.status().is_success() => return true,
            Ok(response) => {
                let status = response.status().as_u16();
                let retry_after = response
                    .headers()
                    .get("retry-after")
                    .and_then(|v| v.to_str().ok())
                    .and_then(|v| v.trim().parse::<f64>().ok());
                (status == 429 || status >= 500, retry_after, format!("HTTP {status}"))
            }
            Err(e) => (true, None, e.without_url().to_string()),
        };
        match retrier.after_failure(retryable, retry_after) {
            Next::RetryIn(delay) if Instant::now() + Duration::from_secs_f64(delay) < deadline => {
                shared.log.event(
                    "warn",
                    "callback retried",
                    json!({"run_id": pending.run_id, "problem": problem, "attempt": retrier.attempts(), "delay": delay}),
                );
                tokio::time::sleep(Duration::from_secs_f64(delay)).await;
            }
            _ => {
                Metrics::add(&shared.metrics.callback_errors);
                shared.log.event(
                    "error",
                    "callback not delivered",
                    json!({"run_id": pending.run_id, "problem": problem, "attempts": retrier.attempts()}),
                );
                return false;
            }
        }
    }
}

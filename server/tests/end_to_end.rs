//! `plangate serve` end to end against a stand-in of HCP Terraform on 127.0.0.1 (`support`): it
//! sends signed run-task requests, serves plans (the real fixtures, through a redirect to an
//! "archivist" as HCP does) and records the callbacks. Every request that is accepted must end in
//! exactly one callback with the right verdict; every request that is refused in none.

mod support;

use std::sync::atomic::Ordering;
use std::time::Duration;

use plangate::run_task::sign;
use plangate_server::{App, Options};
use serde_json::{json, Value};
use support::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn verdicts_reach_hcp_once_each_and_unreadable_plans_fail() {
    let (hcp, address) = start_hcp().await;
    let mut served = start_server(address, "VERDICTS", "", Duration::from_secs(5)).await;
    load_plan(&hcp, "safe", "safe");
    load_plan(&hcp, "kms", "kms");
    load_plan(&hcp, "sensitive", "sensitive");
    hcp.plans.lock().unwrap().insert("garbage".into(), axum::body::Bytes::from_static(b"{\"resource_changes\": ["));

    for (plan, run) in [
        ("safe", "run-safe"),
        ("kms", "run-kms"),
        ("garbage", "run-garbage"),
        ("sensitive", "run-sensitive"),
        ("missing", "run-missing"),
    ] {
        assert_eq!(signed(&served.url, &payload(address, plan, run, "post_plan")).await.status(), 200, "{run}");
    }
    let pre = payload(address, "safe", "run-pre", "pre_plan");
    assert_eq!(signed(&served.url, &pre).await.status(), 200);
    let mut verification: Value = serde_json::from_slice(&payload(address, "safe", "run-verify", "post_plan")).unwrap();
    verification["access_token"] = json!("test-token");
    let verification = verification.to_string().into_bytes();
    assert_eq!(signed(&served.url, &verification).await.status(), 200);

    let safe = &callbacks_for(&hcp, "run-safe", 1).await[0];
    assert_eq!(safe["data"]["type"], "task-results");
    assert_eq!(safe["data"]["attributes"]["status"], "passed");
    let kms = &callbacks_for(&hcp, "run-kms", 1).await[0];
    assert_eq!(kms["data"]["attributes"]["status"], "failed");
    let outcomes = kms["data"]["relationships"]["outcomes"]["data"].as_array().unwrap();
    assert!(outcomes.iter().any(|o| o["attributes"]["tags"]["Rule"][0]["label"] == "PG-DEL-001"), "{kms}");
    for run in ["run-garbage", "run-missing"] {
        let failed = &callbacks_for(&hcp, run, 1).await[0];
        assert_eq!(failed["data"]["attributes"]["status"], "failed", "{run}: never a pass");
        assert!(failed["data"]["attributes"]["message"]
            .as_str()
            .unwrap()
            .starts_with("plangate cannot check this run"));
    }
    assert_eq!(callbacks_for(&hcp, "run-pre", 1).await[0]["data"]["attributes"]["status"], "passed");
    callbacks_for(&hcp, "run-sensitive", 1).await;
    tokio::time::sleep(Duration::from_millis(300)).await;

    let callbacks = hcp.callbacks.lock().unwrap().clone();
    assert_eq!(callbacks.len(), 6, "exactly one callback per accepted request, none for the verification");
    assert!(callbacks.iter().all(|(_, auth, _)| auth == &format!("Bearer {TOKEN}")));
    assert_eq!(hcp.seen_tokens_elsewhere.load(Ordering::SeqCst), 0, "the token is not sent to the archivist");
    served.stop.take().unwrap().send(()).unwrap();
    served.done.await.unwrap();
    // No token, key, signature or sensitive value in any log line or callback.
    let secrets: Vec<String> =
        serde_json::from_str::<Value>(&std::fs::read_to_string(fixtures().join("expectations.json")).unwrap()).unwrap()
            ["sensitive_values"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_str().unwrap().to_string())
            .chain([TOKEN.to_string(), KEY.to_string(), sign(KEY.as_bytes(), &verification)])
            .collect();
    let everything = served.logs.lock().unwrap().join("\n")
        + &serde_json::to_string(&callbacks.iter().map(|c| &c.2).collect::<Vec<_>>()).unwrap();
    for secret in &secrets {
        assert!(!everything.contains(secret.as_str()), "{secret} leaked");
    }
    assert!(everything.contains("\"event\":\"job finished\""));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn requests_that_are_not_the_tasks_are_refused_before_anything_else() {
    let (hcp, address) = start_hcp().await;
    let served = start_server(address, "REFUSED", "", Duration::from_secs(1)).await;
    load_plan(&hcp, "kms", "kms");
    let body = payload(address, "kms", "run-1", "post_plan");
    assert_eq!(post(&served.url, &body, None).await.status(), 401, "no signature");
    assert_eq!(post(&served.url, &body, Some(sign(b"another key", &body))).await.status(), 401, "another key");
    let mut tampered = body.clone();
    tampered[10] ^= 1;
    assert_eq!(post(&served.url, &tampered, Some(sign(KEY.as_bytes(), &body))).await.status(), 401, "another body");
    let big = vec![b' '; 70_000];
    assert_eq!(signed(&served.url, &big).await.status(), 413, "over max_request_bytes");
    let mut ssrf: Value = serde_json::from_slice(&body).unwrap();
    ssrf["plan_json_api_url"] = json!("http://169.254.169.254/latest/meta-data/iam/security-credentials/");
    let ssrf = ssrf.to_string().into_bytes();
    let refused = signed(&served.url, &ssrf).await;
    assert_eq!(refused.status(), 400);
    assert!(refused.text().await.unwrap().contains("allowed_hosts"));
    // A redirect off the allowed hosts: a failed result, not a fetch from there.
    assert_eq!(signed(&served.url, &payload(address, "elsewhere", "run-2", "post_plan")).await.status(), 200);
    let redirected = &callbacks_for(&hcp, "run-2", 1).await[0];
    assert_eq!(redirected["data"]["attributes"]["status"], "failed");
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert_eq!(hcp.callbacks.lock().unwrap().len(), 1, "only the accepted request was answered");
    assert!(served.logs.lock().unwrap().iter().filter(|l| l.contains("\"status\":401")).count() == 3);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_full_queue_answers_503_and_callbacks_are_retried() {
    let (hcp, address) = start_hcp().await;
    let served = start_server(address, "QUEUE", "  max_concurrent: 1\n  max_queued: 0\n", Duration::from_secs(5)).await;
    load_plan(&hcp, "safe", "safe");
    *hcp.slow_plans.lock().unwrap() = 1.0;
    hcp.refuse_callbacks.store(2, Ordering::SeqCst);
    assert_eq!(signed(&served.url, &payload(address, "safe", "run-1", "post_plan")).await.status(), 200);
    let busy = signed(&served.url, &payload(address, "safe", "run-2", "post_plan")).await;
    assert_eq!(busy.status(), 503);
    assert_eq!(busy.headers().get("retry-after").unwrap(), "10");
    assert_eq!(callbacks_for(&hcp, "run-1", 1).await.len(), 1, "delivered after two 503s");
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert_eq!(hcp.callbacks.lock().unwrap().len(), 1);
    assert_eq!(served.logs.lock().unwrap().iter().filter(|l| l.contains("callback retried")).count(), 2);
    let metrics = reqwest::get(format!("{}metrics", served.url)).await.unwrap().text().await.unwrap();
    assert!(metrics.contains("plangate_runtask_requests_total{answer=\"busy\"} 1"), "{metrics}");
    assert!(metrics.contains("plangate_runtask_jobs_total{result=\"passed\"} 1"), "{metrics}");
    assert_eq!(reqwest::get(format!("{}healthz", served.url)).await.unwrap().status(), 200);
    assert_eq!(reqwest::get(format!("{}readyz", served.url)).await.unwrap().status(), 200);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn shutdown_fails_the_jobs_it_cannot_finish_explicitly() {
    let (hcp, address) = start_hcp().await;
    let mut served = start_server(address, "SHUTDOWN", "", Duration::from_millis(200)).await;
    load_plan(&hcp, "kms", "kms");
    *hcp.slow_plans.lock().unwrap() = 5.0;
    assert_eq!(signed(&served.url, &payload(address, "kms", "run-slow", "post_plan")).await.status(), 200);
    tokio::time::sleep(Duration::from_millis(200)).await;
    served.stop.take().unwrap().send(()).unwrap();
    served.done.await.unwrap();
    let result = &callbacks_for(&hcp, "run-slow", 1).await[0];
    assert_eq!(result["data"]["attributes"]["status"], "failed");
    assert!(result["data"]["attributes"]["message"].as_str().unwrap().contains("shut down"), "{result}");
    assert_eq!(hcp.callbacks.lock().unwrap().len(), 1);
}

#[test]
fn no_key_no_server() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("gate.yaml");
    std::fs::write(&config, "run_task:\n  hmac_key_env: PLANGATE_TEST_HMAC_UNSET\n").unwrap();
    let error = App::load(Options::new(&config)).err().unwrap().to_string();
    assert!(error.contains("PLANGATE_TEST_HMAC_UNSET is not set"), "{error}");
    std::fs::write(&config, "verbose: true\n").unwrap();
    assert!(App::load(Options::new(&config)).err().unwrap().to_string().contains("no run_task: section"));
}

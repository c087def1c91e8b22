//! The run-task server under load, on 127.0.0.1 only: the release `plangate serve` as its own
//! process (so its peak memory is its own), a stand-in HCP in this process (`tests/support`).
//!
//! ```text
//! cargo build --release -p plangate-cli
//! cargo run --release -p plangate-server --example runtask_load -- \
//!     [--binary target/release/plangate] [--requests 1000] [--concurrency 50] [--big PLAN.json] [--big-requests 20]
//! ```
//!
//! Phase 1 sends `--requests` run-task requests for the fixture plans, `--concurrency` at a time
//! (a 503 is retried after 50 ms, as HCP retries); phase 2 sends `--big-requests` requests for
//! the `--big` plan at once. For each: throughput, p50/p99/max from the first send to the
//! callback, the server's peak RSS (VmHWM), and a check that every request got exactly one
//! callback with the verdict the engine gives its plan.

#[path = "../tests/support/mod.rs"]
mod support;

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::body::Bytes;
use plangate::run_task::sign;
use support::*;

fn arg(name: &str) -> Option<String> {
    let args: Vec<String> = std::env::args().collect();
    args.iter().position(|a| a == name).and_then(|i| args.get(i + 1).cloned())
}

fn peak_rss_mib(pid: u32) -> f64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    let kib: f64 = status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0.0);
    kib / 1024.0
}

fn verdict_of(plan: &[u8], config: &std::path::Path) -> &'static str {
    let mut settings = plangate::Settings::default();
    settings.config = Some(plangate::ConfigSource::File(config.to_path_buf()));
    let report = plangate::check(plangate::PlanInput::bytes(plan), &settings.resolve().unwrap().check).unwrap();
    if report.verdict.passed {
        "passed"
    } else {
        "failed"
    }
}

/// Sends `runs` (run id, plan id) `concurrency` at a time; returns when every callback arrived.
async fn phase(
    hcp: &Arc<Hcp>,
    hcp_address: std::net::SocketAddr,
    url: &str,
    runs: Vec<(String, String)>,
    concurrency: usize,
) -> (f64, Vec<f64>) {
    let started = Instant::now();
    let limit = Arc::new(tokio::sync::Semaphore::new(concurrency));
    let mut tasks = Vec::new();
    for (run, plan) in &runs {
        let permit = limit.clone().acquire_owned().await.unwrap();
        let body = payload(hcp_address, plan, run, "post_plan");
        let signature = sign(KEY.as_bytes(), &body);
        let url = url.to_string();
        tasks.push(tokio::spawn(async move {
            let sent = Instant::now();
            let client = reqwest::Client::new();
            loop {
                let answer = client
                    .post(&url)
                    .header("X-TFC-Task-Signature", &signature)
                    .body(body.clone())
                    .send()
                    .await
                    .unwrap();
                match answer.status().as_u16() {
                    200 => break,
                    503 => tokio::time::sleep(Duration::from_millis(50)).await,
                    other => panic!("answered {other}"),
                }
            }
            drop(permit);
            sent
        }));
    }
    let mut sent_at = Vec::new();
    for task in tasks {
        sent_at.push(task.await.unwrap());
    }
    loop {
        let arrived = hcp.arrived.lock().unwrap().len();
        if runs.iter().all(|(run, _)| hcp.arrived.lock().unwrap().contains_key(run)) {
            break;
        }
        if started.elapsed() > Duration::from_secs(1200) {
            panic!("callbacks missing after 20 minutes ({arrived} arrived)");
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let arrived = hcp.arrived.lock().unwrap().clone();
    let mut latencies: Vec<f64> =
        runs.iter().zip(&sent_at).map(|((run, _), sent)| (arrived[run] - *sent).as_secs_f64()).collect();
    latencies.sort_by(f64::total_cmp);
    let last = runs.iter().map(|(run, _)| arrived[run]).max().unwrap();
    ((last - started).as_secs_f64(), latencies)
}

/// One phase's line: throughput, request-to-callback percentiles, the server's peak RSS so far.
fn summary(phase: &str, requests: usize, wall: f64, latencies: &[f64], server: u32) {
    println!(
        "{phase}: {:.2} requests/s; request to callback p50 {:.3} s, p99 {:.3} s, max {:.3} s; server peak RSS {:.0} MiB",
        requests as f64 / wall,
        percentile(latencies, 0.5),
        percentile(latencies, 0.99),
        latencies.last().unwrap(),
        peak_rss_mib(server)
    );
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let binary = arg("--binary").unwrap_or_else(|| "target/release/plangate".into());
    let requests: usize = arg("--requests").map_or(1000, |n| n.parse().unwrap());
    let concurrency: usize = arg("--concurrency").map_or(50, |n| n.parse().unwrap());
    let big_requests: usize = arg("--big-requests").map_or(20, |n| n.parse().unwrap());
    let (hcp, address) = start_hcp().await;
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("gate.yaml");
    std::fs::write(&config, format!("run_task:\n  hmac_key_env: PLANGATE_LOAD_KEY\n  allowed_hosts: [\"http://{address}\"]\n  max_concurrent: 4\n  max_queued: 64\n")).unwrap();
    let mut server = Command::new(&binary)
        .args(["serve", "--listen", "127.0.0.1:0", "-c", config.to_str().unwrap()])
        .env("PLANGATE_LOAD_KEY", KEY)
        .stderr(Stdio::piped())
        .spawn()
        .expect("the release binary: cargo build --release -p plangate-cli");
    let mut lines = BufReader::new(server.stderr.take().unwrap()).lines();
    let first: serde_json::Value = serde_json::from_str(&lines.next().unwrap().unwrap()).unwrap();
    let url = format!("http://{}/", first["address"].as_str().unwrap());
    let log_lines = std::thread::spawn(move || lines.count());

    let fixtures = ["safe", "kms", "network", "sensitive", "destroy", "noop", "security-groups", "critical-deletions"];
    let mut expected = std::collections::HashMap::new();
    for fixture in fixtures {
        load_plan(&hcp, fixture, fixture);
        let plan = std::fs::read(support::fixtures().join("plans").join(format!("{fixture}.plan.json"))).unwrap();
        expected.insert(fixture.to_string(), verdict_of(&plan, &config));
    }
    let runs: Vec<(String, String)> =
        (0..requests).map(|i| (format!("run-{i}"), fixtures[i % fixtures.len()].to_string())).collect();
    let (wall, latencies) = phase(&hcp, address, &url, runs.clone(), concurrency).await;
    summary(
        &format!("fixtures: {requests} requests, {concurrency} at a time"),
        requests,
        wall,
        &latencies,
        server.id(),
    );
    let mut all_runs = runs;
    if let Some(big) = arg("--big") {
        let plan = std::fs::read(&big).unwrap();
        expected.insert("big".into(), verdict_of(&plan, &config));
        hcp.plans.lock().unwrap().insert("big".into(), Bytes::from(plan));
        let runs: Vec<(String, String)> = (0..big_requests).map(|i| (format!("big-{i}"), "big".to_string())).collect();
        let (wall, latencies) = phase(&hcp, address, &url, runs.clone(), big_requests).await;
        summary(&format!("{big}: {big_requests} requests at once"), big_requests, wall, &latencies, server.id());
        all_runs.extend(runs);
    }
    tokio::time::sleep(Duration::from_millis(500)).await;
    let counts = callback_counts(&hcp);
    let callbacks = hcp.callbacks.lock().unwrap().clone();
    let mut wrong = 0;
    for (run, plan) in &all_runs {
        let result =
            callbacks.iter().find(|(id, _, _)| id == run).map(|(_, _, v)| v["data"]["attributes"]["status"].clone());
        if counts.get(run) != Some(&1) || result.as_ref().and_then(|r| r.as_str()) != Some(expected[plan.as_str()]) {
            wrong += 1;
        }
    }
    println!("{} requests, {} callbacks, {wrong} missing, repeated or wrong", all_runs.len(), callbacks.len());
    // SAFETY: kill(2) on our own child.
    unsafe { libc_kill(server.id()) };
    let status = server.wait().unwrap();
    println!("server stopped: {status}, {} log lines", log_lines.join().unwrap());
    assert_eq!(wrong, 0);
}

unsafe fn libc_kill(pid: u32) {
    extern "C" {
        fn kill(pid: i32, signal: i32) -> i32;
    }
    // SIGTERM
    kill(pid as i32, 15);
}

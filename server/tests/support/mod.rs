//! A stand-in of HCP Terraform on 127.0.0.1 for the run-task server's tests and load runs: it
//! serves plans as HCP does (the plan API redirects to an "archivist"), records the callbacks
//! (answering 503 first when told to), and signs requests with the task's key.
#![allow(dead_code, reason = "each test binary uses part of it")]

use std::collections::HashMap;
use std::net::SocketAddr;
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::body::Bytes;
use axum::extract::{Path as UrlPath, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, patch};
use axum::Router;
use plangate::run_task::sign;
use plangate_server::{App, Log, Options};
use serde_json::{json, Value};

pub const TOKEN: &str = "atlasv1.s3cret-run-token";
pub const KEY: &str = "the-task-hmac-key";

pub fn fixtures() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../fixtures"))
}

/// The stand-in HCP.
#[derive(Default)]
pub struct Hcp {
    pub plans: Mutex<HashMap<String, Bytes>>,
    pub callbacks: Mutex<Vec<(String, String, Value)>>,
    /// Callbacks answered 503 before one is taken.
    pub refuse_callbacks: AtomicUsize,
    /// Seconds the archivist waits before answering.
    pub slow_plans: Mutex<f64>,
    pub seen_tokens_elsewhere: AtomicUsize,
    /// When each run's callback arrived.
    pub arrived: Mutex<HashMap<String, std::time::Instant>>,
}

async fn plan_api(UrlPath(id): UrlPath<String>, headers: HeaderMap) -> Response {
    if headers.get("authorization").and_then(|v| v.to_str().ok()) != Some(&format!("Bearer {TOKEN}")) {
        return StatusCode::UNAUTHORIZED.into_response();
    }
    if id == "elsewhere" {
        // A redirect off the allowed hosts: the server must not follow it.
        return Redirect::temporary("http://127.0.0.2:9/archivist/x").into_response();
    }
    Redirect::temporary(&format!("/archivist/{id}?signature=presigned")).into_response()
}

async fn archivist(State(hcp): State<Arc<Hcp>>, UrlPath(id): UrlPath<String>, headers: HeaderMap) -> Response {
    if headers.contains_key("authorization") {
        hcp.seen_tokens_elsewhere.fetch_add(1, Ordering::SeqCst);
    }
    let delay = *hcp.slow_plans.lock().unwrap();
    tokio::time::sleep(Duration::from_secs_f64(delay)).await;
    match hcp.plans.lock().unwrap().get(&id) {
        Some(plan) => plan.clone().into_response(),
        None => StatusCode::NOT_FOUND.into_response(),
    }
}

async fn callback(
    State(hcp): State<Arc<Hcp>>,
    UrlPath(id): UrlPath<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    if hcp.refuse_callbacks.load(Ordering::SeqCst) > 0 {
        hcp.refuse_callbacks.fetch_sub(1, Ordering::SeqCst);
        return (StatusCode::SERVICE_UNAVAILABLE, [("retry-after", "0")]).into_response();
    }
    let auth = headers.get("authorization").and_then(|v| v.to_str().ok()).unwrap_or_default().to_string();
    let value: Value = serde_json::from_slice(&body).unwrap();
    hcp.arrived.lock().unwrap().insert(id.clone(), std::time::Instant::now());
    hcp.callbacks.lock().unwrap().push((id, auth, value));
    StatusCode::OK.into_response()
}

pub async fn start_hcp() -> (Arc<Hcp>, SocketAddr) {
    let hcp = Arc::new(Hcp::default());
    let app = Router::new()
        .route("/api/v2/plans/{id}/json-output", get(plan_api))
        .route("/archivist/{id}", get(archivist))
        .route("/api/v2/task-results/{id}/callback", patch(callback))
        .with_state(hcp.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (hcp, address)
}

pub struct Served {
    pub url: String,
    pub stop: Option<tokio::sync::oneshot::Sender<()>>,
    pub done: tokio::task::JoinHandle<()>,
    pub logs: Arc<Mutex<Vec<String>>>,
    pub config: std::path::PathBuf,
    _dir: tempfile::TempDir,
}

/// The server under test, with `extra` YAML in its `run_task:` section.
pub async fn start_server(hcp: SocketAddr, name: &str, extra: &str, grace: Duration) -> Served {
    let dir = tempfile::tempdir().unwrap();
    let variable = format!("PLANGATE_TEST_HMAC_{name}");
    std::env::set_var(&variable, KEY);
    let config = dir.path().join("gate.yaml");
    std::fs::write(
        &config,
        format!(
            "fail_on_high_risk: false\nrun_task:\n  hmac_key_env: {variable}\n  allowed_hosts: [\"http://{hcp}\"]\n  job_timeout_seconds: 60\n  max_request_bytes: 65536\n{extra}"
        ),
    )
    .unwrap();
    let logs = Arc::new(Mutex::new(Vec::new()));
    let sink = logs.clone();
    let options =
        Options::new(&config).grace(grace).log(Log::to(move |line| sink.lock().unwrap().push(line.to_string())));
    let app = App::load(options).unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/", listener.local_addr().unwrap());
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let done = tokio::spawn(async move {
        app.serve(listener, async move {
            let _ = stopped.await;
        })
        .await
        .unwrap()
    });
    Served { url, stop: Some(stop), done, logs, config: config.clone(), _dir: dir }
}

pub fn payload(hcp: SocketAddr, plan: &str, run: &str, stage: &str) -> Vec<u8> {
    json!({
        "payload_version": 1, "stage": stage, "access_token": TOKEN,
        "plan_json_api_url": format!("http://{hcp}/api/v2/plans/{plan}/json-output"),
        "task_result_callback_url": format!("http://{hcp}/api/v2/task-results/{run}/callback"),
        "task_result_enforcement_level": "mandatory", "workspace_name": "prod-network",
        "organization_name": "acme", "run_id": run, "is_speculative": false, "capabilities": {"outcomes": true},
    })
    .to_string()
    .into_bytes()
}

pub async fn post(url: &str, body: &[u8], signature: Option<String>) -> reqwest::Response {
    let mut request = reqwest::Client::new().post(url).body(body.to_vec());
    if let Some(signature) = signature {
        request = request.header("X-TFC-Task-Signature", signature);
    }
    request.send().await.unwrap()
}

pub async fn signed(url: &str, body: &[u8]) -> reqwest::Response {
    post(url, body, Some(sign(KEY.as_bytes(), body))).await
}

/// The callbacks for `run`, once there are `count` of them (or after 30 s).
pub async fn callbacks_for(hcp: &Hcp, run: &str, count: usize) -> Vec<Value> {
    for _ in 0..600 {
        let found: Vec<Value> =
            hcp.callbacks.lock().unwrap().iter().filter(|(id, _, _)| id == run).map(|(_, _, v)| v.clone()).collect();
        if found.len() >= count {
            return found;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    Vec::new()
}

pub fn load_plan(hcp: &Hcp, id: &str, fixture: &str) {
    let bytes = std::fs::read(fixtures().join("plans").join(format!("{fixture}.plan.json"))).unwrap();
    hcp.plans.lock().unwrap().insert(id.into(), Bytes::from(bytes));
}

/// How many callbacks each run got.
pub fn callback_counts(hcp: &Hcp) -> HashMap<String, usize> {
    let mut counts = HashMap::new();
    for (run, _, _) in hcp.callbacks.lock().unwrap().iter() {
        *counts.entry(run.clone()).or_insert(0) += 1;
    }
    counts
}

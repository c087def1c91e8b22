//! The HTTP surface: `POST /` takes run-task requests (signature first, then size, payload and
//! room in the queue), `GET /healthz` says the process is up, `GET /readyz` whether it takes
//! requests (not while shutting down), `GET /metrics` the Prometheus counters.

use std::sync::atomic::Ordering;
use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use plangate::run_task::{verify_signature, Payload, SIGNATURE_HEADER};
use serde_json::json;

use crate::metrics::Metrics;
use crate::{job, Pending, Shared};

pub(crate) fn router(shared: Arc<Shared>) -> Router {
    let limit = shared.section.max_request_bytes;
    Router::new()
        .route("/", post(run_task))
        .route("/healthz", get(|| async { "ok\n" }))
        .route("/readyz", get(ready))
        .route("/metrics", get(metrics))
        .layer(DefaultBodyLimit::max(limit))
        .with_state(shared)
}

async fn ready(State(shared): State<Arc<Shared>>) -> Response {
    if shared.draining.load(Ordering::SeqCst) {
        (StatusCode::SERVICE_UNAVAILABLE, "shutting down\n").into_response()
    } else {
        "ready\n".into_response()
    }
}

async fn metrics(State(shared): State<Arc<Shared>>) -> Response {
    ([("content-type", "text/plain; version=0.0.4")], shared.metrics.render()).into_response()
}

async fn run_task(State(shared): State<Arc<Shared>>, headers: HeaderMap, body: Bytes) -> Response {
    let signature = headers.get(SIGNATURE_HEADER).and_then(|v| v.to_str().ok());
    if let Err(e) = verify_signature(&shared.key, &body, signature) {
        Metrics::add(&shared.metrics.unauthorized);
        shared.log.event("warn", "request refused", json!({"status": 401, "why": e.to_string()}));
        return (StatusCode::UNAUTHORIZED, format!("{e}\n")).into_response();
    }
    let payload = match Payload::parse(&body, &shared.hosts) {
        Ok(payload) => payload,
        Err(e) => {
            Metrics::add(&shared.metrics.invalid);
            shared.log.event("warn", "request refused", json!({"status": 400, "why": e.to_string()}));
            return (StatusCode::BAD_REQUEST, format!("{e}\n")).into_response();
        }
    };
    if shared.draining.load(Ordering::SeqCst) {
        Metrics::add(&shared.metrics.busy);
        return busy("shutting down");
    }
    let Ok(admitted) = shared.admitted.clone().try_acquire_owned() else {
        Metrics::add(&shared.metrics.busy);
        shared.log.event(
            "warn",
            "request refused",
            json!({"status": 503, "why": "the queue is full", "run_id": payload.run_id}),
        );
        return busy("the queue is full");
    };
    Metrics::add(&shared.metrics.accepted);
    let id = shared.next_job.fetch_add(1, Ordering::Relaxed);
    if !payload.is_verification() {
        shared.pending.lock().unwrap_or_else(std::sync::PoisonError::into_inner).insert(id, Pending::of(&payload));
    }
    shared.metrics.in_flight.fetch_add(1, Ordering::SeqCst);
    shared.log.event(
        "info",
        "request accepted",
        json!({"run_id": payload.run_id, "workspace": payload.workspace_name, "organization": payload.organization_name,
               "stage": format!("{:?}", payload.stage), "enforcement": payload.task_result_enforcement_level,
               "verification": payload.is_verification()}),
    );
    let worker = shared.clone();
    shared.jobs.lock().unwrap_or_else(std::sync::PoisonError::into_inner).spawn(async move {
        job::run(&worker, id, payload).await;
        drop(admitted);
    });
    StatusCode::OK.into_response()
}

/// 503 with `Retry-After`: HCP retries the request.
fn busy(why: &str) -> Response {
    (StatusCode::SERVICE_UNAVAILABLE, [("retry-after", "10")], format!("{why}; retry later\n")).into_response()
}

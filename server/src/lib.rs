//! `plangate serve`: a run-task server for HCP Terraform and Terraform Enterprise. HCP posts a
//! signed request after the plan; the server checks the signature before anything else, answers
//! `200` at once, then fetches the plan JSON (only from the allowed hosts), checks it with the
//! engine under the workspace's policy and sends the result back (`PATCH` to the callback URL,
//! retried). The protocol's decisions are the core's (`plangate::run_task`); this crate is the
//! asynchronous serving of them: bounded concurrency with a queue and back-pressure, per-job
//! timeouts, graceful shutdown, health, metrics and structured logs.

mod job;
mod log;
mod metrics;
mod routes;

use std::collections::HashMap;
use std::future::Future;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use plangate::run_task::{AllowedHosts, RunTaskConfig};
use plangate::{CheckOptions, Config, ConfigSource, Glob, Settings};
use serde_json::json;
use tokio::sync::Semaphore;
use tokio::task::JoinSet;

pub use log::Log;

/// What keeps the server from starting.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ServeError {
    /// The configuration cannot be used.
    #[error("{0}")]
    Config(String),
    /// The listener failed.
    #[error("the server stopped: {0}")]
    Io(#[from] std::io::Error),
}

/// How the server is started.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct Options {
    /// The configuration file: the policy, and its `run_task:` section.
    pub config: PathBuf,
    /// How long shutdown waits for jobs in flight before failing them explicitly.
    pub grace: Duration,
    /// Where logs go.
    pub log: Log,
}

impl Options {
    /// Options for `config`, with a 30 s grace and logs on standard error.
    pub fn new(config: impl Into<PathBuf>) -> Options {
        Options { config: config.into(), grace: Duration::from_secs(30), log: Log::default() }
    }

    /// The same, with another grace period.
    pub fn grace(mut self, grace: Duration) -> Options {
        self.grace = grace;
        self
    }

    /// The same, logging to `log`.
    pub fn log(mut self, log: Log) -> Options {
        self.log = log;
        self
    }
}

/// A job admitted and not finished: what shutdown needs to fail it explicitly.
#[derive(Clone)]
struct Pending {
    callback: String,
    token: String,
    run_id: Option<String>,
}

impl Pending {
    fn of(payload: &plangate::run_task::Payload) -> Pending {
        Pending {
            callback: payload.task_result_callback_url.clone(),
            token: payload.access_token.clone(),
            run_id: payload.run_id.clone(),
        }
    }
}

/// Everything the handlers and jobs share.
struct Shared {
    section: RunTaskConfig,
    key: Vec<u8>,
    hosts: AllowedHosts,
    /// The default policy, and the workspaces' own, resolved once at start.
    policy: CheckOptions,
    workspaces: Vec<(Glob, CheckOptions)>,
    max_plan_bytes: u64,
    client: reqwest::Client,
    /// Permits for jobs admitted (running or queued); none left is a 503.
    admitted: Arc<Semaphore>,
    /// Permits for jobs running.
    running: Arc<Semaphore>,
    pending: Mutex<HashMap<u64, Pending>>,
    jobs: Mutex<JoinSet<()>>,
    next_job: AtomicU64,
    draining: AtomicBool,
    metrics: metrics::Metrics,
    log: Log,
}

/// A loaded server, ready to serve.
pub struct App {
    shared: Arc<Shared>,
    grace: Duration,
}

impl App {
    /// Reads the configuration and the HMAC key: an error (and no server) when either cannot be
    /// used, so a server never runs without its key or with a policy it cannot read.
    ///
    /// # Errors
    /// [`ServeError::Config`] saying what is missing or wrong.
    pub fn load(options: Options) -> Result<App, ServeError> {
        let config_error = |e: &dyn std::fmt::Display| ServeError::Config(e.to_string());
        let config = Config::from_file(&options.config).map_err(|e| config_error(&e))?;
        let section = config.run_task.clone().ok_or_else(|| {
            ServeError::Config(format!(
                "{}: no run_task: section (hmac_key_env, allowed_hosts, …): the server needs one",
                options.config.display()
            ))
        })?;
        let problems = section.problems();
        if !problems.is_empty() {
            return Err(ServeError::Config(format!("{}: run_task: {}", options.config.display(), problems.join("; "))));
        }
        let key = std::env::var(&section.hmac_key_env).unwrap_or_default();
        if key.trim().is_empty() {
            return Err(ServeError::Config(format!(
                "{} is not set: it must hold the run task's HMAC key (the server refuses unsigned requests, so it does not start without one)",
                section.hmac_key_env
            )));
        }
        let hosts = AllowedHosts::parse(&section.allowed_hosts).map_err(|e| config_error(&e))?;
        let base = options.config.parent().map(Path::to_path_buf).unwrap_or_default();
        let resolve = |path: &Path| -> Result<CheckOptions, ServeError> {
            let mut settings = Settings::default();
            settings.config = Some(ConfigSource::File(path.to_path_buf()));
            Ok(settings.resolve().map_err(|e| config_error(&e))?.check)
        };
        let policy = resolve(&options.config)?;
        let workspaces = section
            .workspaces
            .iter()
            .map(|w| Ok((w.pattern.clone(), resolve(&base.join(&w.config))?)))
            .collect::<Result<Vec<_>, ServeError>>()?;
        let max_plan_bytes = plangate::Limits::from_env().map_err(|e| config_error(&e))?.max_plan_bytes;
        let client = job::client().map_err(|e| config_error(&e))?;
        let shared = Shared {
            admitted: Arc::new(Semaphore::new(section.max_concurrent + section.max_queued)),
            running: Arc::new(Semaphore::new(section.max_concurrent)),
            section,
            key: key.into_bytes(),
            hosts,
            policy,
            workspaces,
            max_plan_bytes,
            client,
            pending: Mutex::default(),
            jobs: Mutex::new(JoinSet::new()),
            next_job: AtomicU64::new(1),
            draining: AtomicBool::new(false),
            metrics: metrics::Metrics::default(),
            log: options.log,
        };
        Ok(App { shared: Arc::new(shared), grace: options.grace })
    }

    /// Serves on `listener` until `shutdown` completes; then stops taking requests, gives the jobs
    /// in flight the grace period, and fails the rest explicitly (a `failed` result saying so).
    ///
    /// # Errors
    /// [`ServeError::Io`] when the listener fails.
    pub async fn serve(
        self,
        listener: tokio::net::TcpListener,
        shutdown: impl Future<Output = ()> + Send + 'static,
    ) -> Result<(), ServeError> {
        let shared = self.shared.clone();
        let address = listener.local_addr()?;
        shared.log.event(
            "info",
            "listening",
            json!({"address": address.to_string(), "max_concurrent": shared.section.max_concurrent, "max_queued": shared.section.max_queued}),
        );
        let router = routes::router(shared.clone());
        let draining = shared.clone();
        axum::serve(listener, router)
            .with_graceful_shutdown(async move {
                shutdown.await;
                draining.draining.store(true, Ordering::SeqCst);
                draining.log.event("info", "shutting down", json!({}));
            })
            .await?;
        self.finish().await;
        Ok(())
    }

    /// Waits for the jobs in flight up to the grace period, then fails what is left.
    async fn finish(&self) {
        let shared = &self.shared;
        let deadline = tokio::time::Instant::now() + self.grace;
        while shared.metrics.in_flight.load(Ordering::SeqCst) > 0 && tokio::time::Instant::now() < deadline {
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        let left: Vec<Pending> = shared.pending.lock().map(|p| p.values().cloned().collect()).unwrap_or_default();
        let mut jobs = std::mem::take(&mut *shared.jobs.lock().unwrap_or_else(std::sync::PoisonError::into_inner));
        jobs.abort_all();
        while jobs.join_next().await.is_some() {}
        for pending in left {
            let result = plangate::run_task::failed_result(
                "the plangate server shut down before the check finished; run the task again",
            );
            job::deliver(shared, &pending, &result, tokio::time::Instant::now() + Duration::from_secs(10)).await;
            shared.log.event("warn", "job failed at shutdown", json!({"run_id": pending.run_id}));
        }
        shared.log.event("info", "stopped", json!({}));
    }
}

/// The policy for `workspace`: its entry's, else the default.
fn policy_for<'a>(shared: &'a Shared, workspace: Option<&str>) -> &'a CheckOptions {
    workspace
        .and_then(|name| shared.workspaces.iter().find(|(glob, _)| glob.matches(name)))
        .map_or(&shared.policy, |(_, options)| options)
}

//! Resilience for Python: the engine's retry policy, its retry driver (stepped, so that the Python
//! decorator can wait with `time.sleep` or `await asyncio.sleep`), the circuit breaker (with the
//! state file `plangate breaker` shares), health-check escalation and traffic shifting.

use std::path::PathBuf;
use std::sync::Mutex;

use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::types::PyDict;

use plangate::resilience::{
    Backoff, Breaker, BreakerConfig, BreakerFile, Classifier, Decision, Escalation, HealthCheckPolicy, HealthStep,
    HealthTracker, Next, Random, Retrier as CoreRetrier, RetryStrategy, ShiftDecision, TrafficShift,
};
use plangate::{BreakerSettings, RetrySettings};

use crate::errors::{detached, invalid_argument, to_py};

/// A retry strategy and the patterns of failures worth retrying.
#[pyclass(frozen, module = "plangate._native", name = "RetryPolicy")]
pub struct RetryPolicy {
    name: String,
    strategy: RetryStrategy,
    classifier: Classifier,
}

impl RetryPolicy {
    fn of(settings: &RetrySettings) -> PyResult<RetryPolicy> {
        let step = settings.resolve().map_err(to_py)?;
        Ok(RetryPolicy { name: step.name, strategy: step.retry, classifier: step.classifier })
    }
}

#[pymethods]
impl RetryPolicy {
    /// A policy from settings over the engine's defaults, checked as a configuration's are.
    #[new]
    #[pyo3(signature = (*, max_attempts = None, initial_delay = None, max_delay = None, backoff_factor = None, jitter = None, max_total_delay = None, retry_on = Vec::new()))]
    fn new(
        max_attempts: Option<f64>,
        initial_delay: Option<f64>,
        max_delay: Option<f64>,
        backoff_factor: Option<f64>,
        jitter: Option<String>,
        max_total_delay: Option<f64>,
        retry_on: Vec<String>,
    ) -> PyResult<RetryPolicy> {
        let mut settings = RetrySettings::default();
        settings.max_attempts = max_attempts;
        settings.initial_delay = initial_delay;
        settings.max_delay = max_delay;
        settings.backoff_factor = backoff_factor;
        settings.jitter = jitter;
        settings.max_total_delay = max_total_delay;
        settings.retry_on = retry_on;
        RetryPolicy::of(&settings)
    }

    /// The policy of a step under `resilience.steps` of a configuration file.
    #[staticmethod]
    fn from_config(path: PathBuf, step: String) -> PyResult<RetryPolicy> {
        let mut settings = RetrySettings::default();
        settings.config = Some(path);
        settings.step = Some(step);
        RetryPolicy::of(&settings)
    }

    /// The step's name (`(arguments)` for a policy made from settings).
    #[getter]
    fn name(&self) -> &str {
        &self.name
    }

    /// All attempts, the first included.
    #[getter]
    fn max_attempts(&self) -> u32 {
        self.strategy.max_attempts
    }

    /// The delays before each retry for a seed (a fresh random seed when `None`), computed lazily.
    #[pyo3(signature = (seed = None))]
    fn delays(&self, seed: Option<u64>) -> Delays {
        let seed = seed.unwrap_or_else(|| Random::from_clock().next_u64());
        Delays { delays: Mutex::new(self.strategy.delays(seed)) }
    }

    /// Classifies a failure's text: `{"class": ..., "matched": ..., "retryable": ...}`.
    fn classify<'py>(&self, py: Python<'py>, text: &str) -> PyResult<Bound<'py, PyAny>> {
        crate::plan::json_value(py, &self.classifier.classify(text))
    }

    /// A new run of retries under this policy.
    #[pyo3(signature = (seed = None))]
    fn retrier(&self, seed: Option<u64>) -> Retrier {
        let random = seed.map_or_else(Random::from_clock, Random::seeded);
        Retrier { inner: Mutex::new(CoreRetrier::new(&self.strategy, random)) }
    }

    fn __repr__(&self) -> String {
        let s = &self.strategy;
        format!(
            "RetryPolicy({}: {} attempts, delays from {} s, ×{}, at most {} s, jitter {})",
            self.name,
            s.max_attempts,
            s.initial_delay,
            s.backoff_factor,
            s.max_delay,
            crate::plan::snake_name(&s.jitter)
        )
    }
}

/// The delays of a schedule, one at a time.
#[pyclass(module = "plangate._native", name = "Delays")]
pub struct Delays {
    delays: Mutex<Backoff>,
}

#[pymethods]
impl Delays {
    fn __iter__(slf: PyRef<'_, Self>) -> PyRef<'_, Self> {
        slf
    }

    fn __next__(&self) -> Option<f64> {
        self.delays.lock().ok()?.next()
    }
}

/// One run of retries: after each failure, the delay before the next attempt, or `None`.
#[pyclass(frozen, module = "plangate._native", name = "Retrier")]
pub struct Retrier {
    inner: Mutex<CoreRetrier>,
}

#[pymethods]
impl Retrier {
    /// Records a failed attempt. Returns the seconds to wait before the next attempt, or `None` to
    /// stop; `give_up_reason` then says why.
    #[pyo3(signature = (retryable, retry_after = None))]
    fn after_failure(
        &self,
        retryable: bool,
        retry_after: Option<f64>,
    ) -> PyResult<(Option<f64>, Option<&'static str>)> {
        let mut retrier = self.inner.lock().map_err(|_| PyValueError::new_err("the retrier was poisoned"))?;
        Ok(match retrier.after_failure(retryable, retry_after) {
            Next::RetryIn(delay) => (Some(delay), None),
            Next::GiveUp(reason) => (None, Some(reason.describe())),
            _ => (None, Some("stopped")),
        })
    }

    /// Attempts made so far.
    #[getter]
    fn attempts(&self) -> u32 {
        self.inner.lock().map_or(0, |r| r.attempts())
    }

    /// All attempts allowed.
    #[getter]
    fn max_attempts(&self) -> u32 {
        self.inner.lock().map_or(0, |r| r.max_attempts())
    }
}

/// The circuit breaker's state and decisions, in memory or in a state file shared with
/// `plangate breaker`.
#[pyclass(frozen, module = "plangate._native", name = "Breaker")]
pub struct PyBreaker {
    config: BreakerConfig,
    memory: Mutex<Breaker>,
    file: Option<BreakerFile>,
}

#[pymethods]
impl PyBreaker {
    /// A breaker from settings (or a configuration file's `circuit_breaker:` section).
    #[new]
    #[pyo3(signature = (*, failure_threshold = None, reset_timeout = None, half_open_timeout = None, config = None, state_file = None))]
    fn new(
        failure_threshold: Option<f64>,
        reset_timeout: Option<f64>,
        half_open_timeout: Option<f64>,
        config: Option<PathBuf>,
        state_file: Option<PathBuf>,
    ) -> PyResult<PyBreaker> {
        let mut settings = BreakerSettings::default();
        settings.config = config;
        settings.failure_threshold = failure_threshold;
        settings.reset_timeout = reset_timeout;
        settings.half_open_timeout = half_open_timeout;
        let config = settings.resolve().map_err(to_py)?;
        Ok(PyBreaker { config, memory: Mutex::new(Breaker::default()), file: state_file.map(BreakerFile::new) })
    }

    /// Asks to make a call at `now` (seconds): `("allowed" | "probe" | "rejected", retry_in)`.
    fn request(&self, py: Python<'_>, now: f64) -> PyResult<(&'static str, f64)> {
        check_time(now)?;
        let decision = self.update(py, |breaker, config| breaker.request(now, config))?;
        Ok(match decision {
            Decision::Allowed => ("allowed", 0.0),
            Decision::Probe => ("probe", 0.0),
            Decision::Rejected { retry_in } => ("rejected", retry_in),
            _ => ("rejected", 0.0),
        })
    }

    /// Records the outcome of a call made at or before `now`.
    fn record(&self, py: Python<'_>, success: bool, now: f64) -> PyResult<()> {
        check_time(now)?;
        self.update(py, |breaker, config| breaker.record(success, now, config))
    }

    /// `closed`, `open` or `half_open`.
    fn state(&self, py: Python<'_>) -> PyResult<&'static str> {
        match &self.file {
            Some(file) => detached(py, |_| file.read()).map(|b| b.state_name()),
            None => Ok(self.memory.lock().map_or("closed", |b| b.state_name())),
        }
    }
}

impl PyBreaker {
    fn update<T: Send>(
        &self,
        py: Python<'_>,
        change: impl FnOnce(&mut Breaker, &BreakerConfig) -> T + Send,
    ) -> PyResult<T> {
        match &self.file {
            Some(file) => detached(py, |_| file.update(|breaker| change(breaker, &self.config))),
            None => {
                let mut breaker = self.memory.lock().map_err(|_| PyValueError::new_err("the breaker was poisoned"))?;
                Ok(change(&mut breaker, &self.config))
            }
        }
    }
}

fn check_time(now: f64) -> PyResult<()> {
    if now.is_finite() && now >= 0.0 {
        Ok(())
    } else {
        Err(invalid_argument("now", &format!("expected a time in seconds, 0 or more, found {now}")))
    }
}

/// Health-check escalation: after each check, what to do next.
#[pyclass(frozen, module = "plangate._native", name = "HealthCheck")]
pub struct HealthCheck {
    tracker: Mutex<HealthTracker>,
}

#[pymethods]
impl HealthCheck {
    /// Up to `retries` checks `interval` seconds apart; each `(after_failures, action)` rung fires
    /// once.
    #[new]
    #[pyo3(signature = (*, retries = 30, interval = 10.0, escalations = vec![(10, "restart services".to_string()), (20, "scale up".to_string())]))]
    fn new(retries: u32, interval: f64, escalations: Vec<(u32, String)>) -> PyResult<HealthCheck> {
        let policy = HealthCheckPolicy {
            retries,
            interval,
            escalations: escalations
                .into_iter()
                .map(|(after_failures, action)| Escalation { after_failures, action })
                .collect(),
        };
        let problems = policy.problems();
        if !problems.is_empty() {
            return Err(invalid_argument("health_check", &problems.join("; ")));
        }
        Ok(HealthCheck { tracker: Mutex::new(HealthTracker::new(policy)) })
    }

    /// Records one check: `{"next": "healthy" | "check_again" | "gave_up", ...}`.
    fn record<'py>(&self, py: Python<'py>, healthy: bool) -> PyResult<Bound<'py, PyDict>> {
        let step = self.tracker.lock().map_err(|_| PyValueError::new_err("poisoned"))?.record(healthy);
        let dict = PyDict::new(py);
        match step {
            HealthStep::Healthy => dict.set_item("next", "healthy")?,
            HealthStep::CheckAgain { in_seconds, escalate } => {
                dict.set_item("next", "check_again")?;
                dict.set_item("in_seconds", in_seconds)?;
                dict.set_item("escalate", escalate)?;
            }
            HealthStep::GaveUp { checks } => {
                dict.set_item("next", "gave_up")?;
                dict.set_item("checks", checks)?;
            }
            _ => dict.set_item("next", "gave_up")?,
        }
        Ok(dict)
    }
}

/// A traffic-shifting plan and its decisions.
#[pyclass(frozen, module = "plangate._native", name = "TrafficShift")]
pub struct PyTrafficShift {
    inner: TrafficShift,
}

#[pymethods]
impl PyTrafficShift {
    /// Steps (percentages from 0 to 100), seconds to hold each, and the error rate that rolls back.
    #[new]
    #[pyo3(signature = (steps, *, hold, error_threshold))]
    fn new(steps: Vec<u8>, hold: f64, error_threshold: f64) -> PyResult<PyTrafficShift> {
        checked(TrafficShift { steps, hold, error_threshold })
    }

    /// A named preset, e.g. `Canary10Percent5Minutes`.
    #[staticmethod]
    fn preset(name: &str, error_threshold: f64) -> PyResult<PyTrafficShift> {
        let shift = TrafficShift::preset(name, error_threshold)
            .ok_or_else(|| invalid_argument("traffic_shift", &format!("unknown preset {name:?}")))?;
        checked(shift)
    }

    /// The steps, percentages of traffic on the new version.
    #[getter]
    fn steps(&self) -> Vec<u32> {
        self.inner.steps.iter().map(|&s| u32::from(s)).collect()
    }

    /// The decision at step index `step`: `{"action": "promote" | "hold" | "roll_back" | "done", ...}`.
    fn decide<'py>(
        &self,
        py: Python<'py>,
        step: usize,
        error_rate: f64,
        held_for: f64,
    ) -> PyResult<Bound<'py, PyDict>> {
        let dict = PyDict::new(py);
        match self.inner.decide(step, error_rate, held_for).map_err(|e| to_py(e.into()))? {
            ShiftDecision::Promote { to } => {
                dict.set_item("action", "promote")?;
                dict.set_item("to", to)?;
            }
            ShiftDecision::Hold { for_seconds } => {
                dict.set_item("action", "hold")?;
                dict.set_item("for_seconds", for_seconds)?;
            }
            ShiftDecision::RollBack { to } => {
                dict.set_item("action", "roll_back")?;
                dict.set_item("to", to)?;
            }
            _ => dict.set_item("action", "done")?,
        }
        Ok(dict)
    }
}

fn checked(shift: TrafficShift) -> PyResult<PyTrafficShift> {
    let problems = shift.problems();
    if problems.is_empty() {
        Ok(PyTrafficShift { inner: shift })
    } else {
        Err(invalid_argument("traffic_shift", &problems.join("; ")))
    }
}

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
    HealthTracker, Jitter, Next, Pattern, Random, Retrier as CoreRetrier, RetryStrategy, ShiftDecision, TrafficShift,
};
use plangate::Config;

use crate::errors::{config_error, to_py};

/// A retry strategy and the patterns of failures worth retrying.
#[pyclass(frozen, module = "plangate._native", name = "RetryPolicy")]
pub struct RetryPolicy {
    name: String,
    strategy: RetryStrategy,
    classifier: Classifier,
}

fn jitter(name: &str) -> PyResult<Jitter> {
    match name {
        "none" => Ok(Jitter::None),
        "full" => Ok(Jitter::Full),
        "equal" => Ok(Jitter::Equal),
        "decorrelated" => Ok(Jitter::Decorrelated),
        other => Err(config_error("jitter", &[format!("expected none, full, equal or decorrelated, found {other:?}")])),
    }
}

#[pymethods]
impl RetryPolicy {
    /// A policy from settings, checked as the configuration file's are.
    #[new]
    #[pyo3(signature = (*, max_attempts = 3, initial_delay = 10.0, max_delay = 60.0, backoff_factor = 2.0, jitter = "full", max_total_delay = None, retry_on = Vec::new()))]
    fn new(
        max_attempts: u32,
        initial_delay: f64,
        max_delay: f64,
        backoff_factor: f64,
        jitter: &str,
        max_total_delay: Option<f64>,
        retry_on: Vec<String>,
    ) -> PyResult<RetryPolicy> {
        let strategy = RetryStrategy {
            max_attempts,
            initial_delay,
            max_delay,
            backoff_factor,
            jitter: self::jitter(jitter)?,
            max_total_delay,
        };
        let problems = strategy.problems();
        if !problems.is_empty() {
            return Err(config_error("retry_strategy", &problems));
        }
        let patterns = retry_on
            .iter()
            .map(|p| Pattern::parse(p))
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| config_error("retry_on", &[e.to_string()]))?;
        Ok(RetryPolicy { name: "(arguments)".into(), strategy, classifier: Classifier::new(patterns) })
    }

    /// The policy of a step under `resilience.steps` of a configuration file.
    #[staticmethod]
    fn from_config(path: PathBuf, step: &str) -> PyResult<RetryPolicy> {
        let config = Config::from_file(&path).map_err(|e| to_py(e.into()))?;
        let resilience = config
            .resilience
            .ok_or_else(|| config_error("resilience", &[format!("{} has no `resilience:` section", path.display())]))?;
        let step = resilience.step(step).map_err(|e| to_py(e.into()))?;
        Ok(RetryPolicy { name: step.name, strategy: step.retry, classifier: step.classifier })
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
    fn classify<'py>(&self, py: Python<'py>, text: &str) -> PyResult<Bound<'py, PyDict>> {
        let classification = self.classifier.classify(text);
        let dict = PyDict::new(py);
        dict.set_item("class", classification.class.as_str())?;
        dict.set_item("matched", classification.matched)?;
        dict.set_item("retryable", classification.class != plangate::resilience::ErrorClass::Permanent)?;
        Ok(dict)
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
    #[pyo3(signature = (*, failure_threshold = 3, reset_timeout = 300.0, half_open_timeout = 60.0, config = None, state_file = None))]
    fn new(
        failure_threshold: u32,
        reset_timeout: f64,
        half_open_timeout: f64,
        config: Option<PathBuf>,
        state_file: Option<PathBuf>,
    ) -> PyResult<PyBreaker> {
        let config = match config {
            Some(path) => Config::from_file(path).map_err(|e| to_py(e.into()))?.circuit_breaker.unwrap_or_default(),
            None => BreakerConfig { failure_threshold, reset_timeout, half_open_timeout, ..BreakerConfig::default() },
        };
        let problems = config.problems();
        if !problems.is_empty() {
            return Err(config_error("circuit_breaker", &problems));
        }
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
            Some(file) => py.detach(|| file.read()).map(|b| b.state_name()).map_err(|e| to_py(e.into())),
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
            Some(file) => {
                py.detach(|| file.update(|breaker| change(breaker, &self.config))).map_err(|e| to_py(e.into()))
            }
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
        Err(PyValueError::new_err(format!("now={now}: expected a time in seconds, 0 or more")))
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
            return Err(config_error("health_check", &problems));
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
            .ok_or_else(|| config_error("traffic_shift", &[format!("unknown preset {name:?}")]))?;
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
        match self.inner.decide(step, error_rate, held_for) {
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
        Err(config_error("traffic_shift", &problems))
    }
}

//! A circuit breaker with an injected clock: closed, open and half-open. `failure_threshold`
//! consecutive failures open it; it stays open for `reset_timeout` seconds; then one probe is let
//! through, and a probe that does not report within `half_open_timeout` counts as a failure.
//! Monitors open it too when a rate over recent outcomes crosses its threshold. The whole state
//! serializes to JSON so a pipeline can keep it in a file between runs.

use std::collections::VecDeque;

use serde::{Deserialize, Serialize};

/// The `circuit_breaker` section of the configuration. Times are in seconds.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
// Not `non_exhaustive`: hosts build it from their own settings; build with `..Default::default()`.
pub struct BreakerConfig {
    /// Consecutive failures that open the breaker (1 or more).
    #[serde(default = "defaults::failure_threshold")]
    pub failure_threshold: u32,
    /// Seconds the breaker stays open before it lets a probe through.
    #[serde(default = "defaults::reset_timeout")]
    pub reset_timeout: f64,
    /// Seconds a probe may take before it counts as a failure.
    #[serde(default = "defaults::half_open_timeout")]
    pub half_open_timeout: f64,
    /// Rates over recent outcomes that open the breaker too.
    #[serde(default)]
    pub monitor: Vec<Monitor>,
}

impl BreakerConfig {
    /// What is wrong with the numbers, if anything: each message names the field. A NaN or an
    /// infinite timeout would open the breaker forever or never; a threshold of 0 would open it on
    /// a success.
    pub fn problems(&self) -> Vec<String> {
        let mut problems = Vec::new();
        if self.failure_threshold == 0 {
            problems.push("failure_threshold must be at least 1".to_string());
        }
        for (name, value) in [("reset_timeout", self.reset_timeout), ("half_open_timeout", self.half_open_timeout)] {
            if !value.is_finite() || value < 0.0 {
                problems.push(format!("{name} must be a number of seconds, 0 or more (found {value})"));
            }
        }
        for (i, monitor) in self.monitor.iter().enumerate() {
            if !(0.0..=1.0).contains(&monitor.threshold) {
                problems.push(format!(
                    "monitor[{i}].threshold must be a rate between 0 and 1 (found {})",
                    monitor.threshold
                ));
            }
        }
        problems
    }
}

mod defaults {
    pub fn failure_threshold() -> u32 {
        3
    }
    pub fn reset_timeout() -> f64 {
        300.0
    }
    pub fn half_open_timeout() -> f64 {
        60.0
    }
    pub fn min_samples() -> u32 {
        10
    }
}

impl Default for BreakerConfig {
    fn default() -> BreakerConfig {
        BreakerConfig {
            failure_threshold: defaults::failure_threshold(),
            reset_timeout: defaults::reset_timeout(),
            half_open_timeout: defaults::half_open_timeout(),
            monitor: Vec::new(),
        }
    }
}

/// A rate the breaker watches over recent outcomes.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct Monitor {
    /// What it measures.
    pub metric: Metric,
    /// The rate at which it opens the breaker, between 0 and 1.
    pub threshold: f64,
    /// Outcomes needed before the monitor has an opinion.
    #[serde(default = "defaults::min_samples")]
    pub min_samples: u32,
}

/// What a monitor measures, and so which way is healthy.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Metric {
    /// Healthy while the share of successes is at least the threshold.
    DeploymentSuccessRate,
    /// Healthy while the share of failures is at most the threshold.
    ErrorRate,
}

impl Monitor {
    /// Whether the recent outcomes violate the monitor, with the rate seen.
    fn violated(&self, outcomes: &VecDeque<bool>) -> Option<f64> {
        if outcomes.len() < self.min_samples.max(1) as usize {
            return None;
        }
        let successes = outcomes.iter().filter(|ok| **ok).count() as f64;
        let total = outcomes.len() as f64;
        match self.metric {
            Metric::DeploymentSuccessRate => Some(successes / total).filter(|rate| *rate < self.threshold),
            Metric::ErrorRate => Some(1.0 - successes / total).filter(|rate| *rate > self.threshold),
        }
    }
}

/// Outcomes the monitors look back over.
const WINDOW: usize = 100;

/// Closed, open or half-open, with what each needs to remember.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(tag = "state", rename_all = "snake_case")]
#[non_exhaustive]
pub enum State {
    /// Calls go ahead.
    Closed {
        /// Failures since the last success.
        consecutive_failures: u32,
    },
    /// Calls are rejected until `reset_timeout` has passed.
    Open {
        /// When it opened, in seconds.
        opened_at: f64,
        /// Why it opened.
        reason: String,
    },
    /// One probe may go ahead; its outcome closes or reopens the breaker.
    HalfOpen {
        /// When the probe started, once it has.
        probe_started_at: Option<f64>,
    },
}

/// Whether a call may go ahead now.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "decision", rename_all = "snake_case")]
#[non_exhaustive]
pub enum Decision {
    /// Closed: go ahead.
    Allowed,
    /// The one call let through to test whether the service recovered.
    Probe,
    /// Not now.
    Rejected {
        /// Seconds until a call may be tried again.
        retry_in: f64,
    },
}

/// The breaker's state: what a pipeline keeps in its state file.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
pub struct Breaker {
    /// Closed, open or half-open.
    pub state: State,
    /// Most recent last; at most 100.
    #[serde(default)]
    pub recent: VecDeque<bool>,
}

impl Default for Breaker {
    fn default() -> Breaker {
        Breaker { state: State::Closed { consecutive_failures: 0 }, recent: VecDeque::new() }
    }
}

impl Breaker {
    /// Asks to make a call at time `now`. Moves open to half-open when the reset timeout is over,
    /// and counts a probe that never reported as a failure.
    pub fn request(&mut self, now: f64, config: &BreakerConfig) -> Decision {
        match self.state.clone() {
            State::Closed { .. } => Decision::Allowed,
            State::Open { opened_at, .. } => {
                let ready_at = opened_at + config.reset_timeout;
                if now >= ready_at {
                    self.state = State::HalfOpen { probe_started_at: Some(now) };
                    Decision::Probe
                } else {
                    Decision::Rejected { retry_in: ready_at - now }
                }
            }
            State::HalfOpen { probe_started_at: None } => {
                self.state = State::HalfOpen { probe_started_at: Some(now) };
                Decision::Probe
            }
            State::HalfOpen { probe_started_at: Some(started) } => {
                if now - started > config.half_open_timeout {
                    self.open(now, "the probe did not finish within half_open_timeout");
                    Decision::Rejected { retry_in: config.reset_timeout }
                } else {
                    Decision::Rejected { retry_in: (started + config.half_open_timeout - now).max(0.0) }
                }
            }
        }
    }

    /// Records the outcome of a call made at or before `now`.
    pub fn record(&mut self, success: bool, now: f64, config: &BreakerConfig) {
        self.recent.push_back(success);
        while self.recent.len() > WINDOW {
            self.recent.pop_front();
        }
        match (&self.state, success) {
            (State::HalfOpen { probe_started_at: Some(started) }, _) if now - started > config.half_open_timeout => {
                self.open(now, "the probe did not finish within half_open_timeout");
                return;
            }
            (State::HalfOpen { .. }, true) => {
                self.state = State::Closed { consecutive_failures: 0 };
                return;
            }
            (State::HalfOpen { .. }, false) => {
                self.open(now, "the probe failed");
                return;
            }
            (State::Open { .. }, _) => return,
            (State::Closed { .. }, true) => self.state = State::Closed { consecutive_failures: 0 },
            (State::Closed { consecutive_failures }, false) => {
                // Saturating: a counter that wrapped would close a breaker that should be open.
                let failures = consecutive_failures.saturating_add(1);
                if failures >= config.failure_threshold.max(1) {
                    self.open(now, &format!("{failures} consecutive failures"));
                    return;
                }
                self.state = State::Closed { consecutive_failures: failures };
            }
        }
        if let Some((monitor, rate)) =
            config.monitor.iter().find_map(|m| m.violated(&self.recent).map(|rate| (m, rate)))
        {
            let reason = match monitor.metric {
                Metric::DeploymentSuccessRate => {
                    format!("deployment_success_rate {rate:.3} is below {}", monitor.threshold)
                }
                Metric::ErrorRate => format!("error_rate {rate:.3} is above {}", monitor.threshold),
            };
            self.open(now, &reason);
        }
    }

    fn open(&mut self, now: f64, reason: &str) {
        self.state = State::Open { opened_at: now, reason: reason.to_string() };
    }

    /// `closed`, `open` or `half_open`.
    pub fn state_name(&self) -> &'static str {
        match self.state {
            State::Closed { .. } => "closed",
            State::Open { .. } => "open",
            State::HalfOpen { .. } => "half_open",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config() -> BreakerConfig {
        BreakerConfig { failure_threshold: 3, reset_timeout: 300.0, half_open_timeout: 60.0, monitor: Vec::new() }
    }

    #[test]
    fn opens_after_threshold_and_recovers_through_a_probe() {
        let (c, mut b) = (config(), Breaker::default());
        for t in 0..2 {
            b.record(false, f64::from(t), &c);
        }
        assert_eq!(b.request(2.0, &c), Decision::Allowed);
        b.record(false, 2.0, &c);
        assert_eq!(b.state_name(), "open");
        assert_eq!(b.request(100.0, &c), Decision::Rejected { retry_in: 202.0 });
        assert_eq!(b.request(302.0, &c), Decision::Probe);
        assert!(matches!(b.request(303.0, &c), Decision::Rejected { .. }), "one probe at a time");
        b.record(true, 310.0, &c);
        assert_eq!(b.state_name(), "closed");
    }

    #[test]
    fn a_probe_that_never_reports_counts_as_a_failure() {
        let (c, mut b) =
            (config(), Breaker { state: State::HalfOpen { probe_started_at: Some(0.0) }, recent: VecDeque::new() });
        assert!(matches!(b.request(61.0, &c), Decision::Rejected { .. }));
        assert_eq!(b.state_name(), "open");
    }

    #[test]
    fn monitors_need_samples_and_know_their_direction() {
        let yaml = "monitor:\n  - {metric: deployment_success_rate, threshold: 0.95, min_samples: 20}\n  - {metric: error_rate, threshold: 0.05, min_samples: 20}";
        let c: BreakerConfig = serde_yaml_ng::from_str(yaml).unwrap();
        let mut b = Breaker::default();
        for i in 0..19 {
            b.record(i % 5 != 0, f64::from(i), &c);
        }
        assert_eq!(b.state_name(), "closed", "too few samples to judge");
        b.record(true, 19.0, &c);
        assert_eq!(b.state_name(), "open");
        assert!(
            matches!(&b.state, State::Open { reason, .. } if reason.contains("deployment_success_rate 0.800 is below 0.95"))
        );
        assert!(serde_yaml_ng::from_str::<BreakerConfig>("monitor: [{metric: latency, threshold: 1}]").is_err());
    }

    #[test]
    fn state_round_trips_through_json() {
        let b = Breaker { state: State::Open { opened_at: 12.5, reason: "x".into() }, recent: [true, false].into() };
        let json = serde_json::to_string(&b).unwrap();
        assert_eq!(json, r#"{"state":{"state":"open","opened_at":12.5,"reason":"x"},"recent":[true,false]}"#);
        assert_eq!(serde_json::from_str::<Breaker>(&json).unwrap(), b);
    }
}

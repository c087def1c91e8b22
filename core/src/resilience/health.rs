//! Health-check escalation: up to `retries` checks `interval` seconds apart; after the 10th
//! consecutive failure restart the services, after the 20th scale up; each rung fires once.

use serde::{Deserialize, Serialize};

/// How health checks are repeated and escalated.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
// Not `non_exhaustive`: hosts build it from their own settings.
pub struct HealthCheckPolicy {
    /// How many checks at most.
    pub retries: u32,
    /// Seconds between checks.
    pub interval: f64,
    /// The rungs, each fired once.
    pub escalations: Vec<Escalation>,
}

/// One rung of escalation.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
// Not `non_exhaustive`: hosts build it from their own settings.
pub struct Escalation {
    /// Consecutive failures that trigger the action.
    pub after_failures: u32,
    /// What to do then, e.g. `restart services`.
    pub action: String,
}

impl Default for HealthCheckPolicy {
    fn default() -> HealthCheckPolicy {
        HealthCheckPolicy {
            retries: 30,
            interval: 10.0,
            escalations: vec![
                Escalation { after_failures: 10, action: "restart services".into() },
                Escalation { after_failures: 20, action: "scale up".into() },
            ],
        }
    }
}

impl HealthCheckPolicy {
    /// What is wrong with the numbers, if anything.
    pub fn problems(&self) -> Vec<String> {
        if self.interval.is_finite() && self.interval >= 0.0 {
            Vec::new()
        } else {
            vec![format!("interval must be a number of seconds, 0 or more (found {})", self.interval)]
        }
    }
}

/// What to do after a check.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "next", rename_all = "snake_case")]
#[non_exhaustive]
pub enum HealthStep {
    /// The service is healthy.
    Healthy,
    /// Check again after `in_seconds`, first running `escalate` (rungs reached now, in order).
    CheckAgain {
        /// Seconds to wait.
        in_seconds: f64,
        /// Actions to run first.
        escalate: Vec<String>,
    },
    /// Stop checking: `retries` checks failed.
    GaveUp {
        /// How many checks were made.
        checks: u32,
    },
}

/// The checks of one health-check run.
#[derive(Debug, Clone)]
pub struct HealthTracker {
    policy: HealthCheckPolicy,
    checks: u32,
    consecutive_failures: u32,
    fired: Vec<bool>,
}

impl HealthTracker {
    /// A new run of checks.
    pub fn new(policy: HealthCheckPolicy) -> HealthTracker {
        let fired = vec![false; policy.escalations.len()];
        HealthTracker { policy, checks: 0, consecutive_failures: 0, fired }
    }

    /// Records one check's result and says what to do next.
    pub fn record(&mut self, healthy: bool) -> HealthStep {
        self.checks = self.checks.saturating_add(1);
        if healthy {
            self.consecutive_failures = 0;
            return HealthStep::Healthy;
        }
        self.consecutive_failures = self.consecutive_failures.saturating_add(1);
        if self.checks >= self.policy.retries {
            return HealthStep::GaveUp { checks: self.checks };
        }
        let mut escalate = Vec::new();
        for (rung, fired) in self.policy.escalations.iter().zip(self.fired.iter_mut()) {
            if !*fired && self.consecutive_failures >= rung.after_failures {
                *fired = true;
                escalate.push(rung.action.clone());
            }
        }
        HealthStep::CheckAgain { in_seconds: self.policy.interval, escalate }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rungs_fire_once_at_10_and_20_and_it_gives_up_at_30() {
        let mut tracker = HealthTracker::new(HealthCheckPolicy::default());
        let mut fired = Vec::new();
        let mut last = HealthStep::Healthy;
        for check in 1..=30 {
            last = tracker.record(false);
            if let HealthStep::CheckAgain { escalate, in_seconds } = &last {
                assert_eq!(*in_seconds, 10.0);
                fired.extend(escalate.iter().map(|a| (check, a.clone())));
            }
        }
        assert_eq!(fired, [(10, "restart services".to_string()), (20, "scale up".to_string())]);
        assert_eq!(last, HealthStep::GaveUp { checks: 30 });
    }

    #[test]
    fn a_healthy_check_resets_the_count_but_rungs_stay_fired() {
        let mut tracker = HealthTracker::new(HealthCheckPolicy::default());
        for _ in 0..10 {
            tracker.record(false);
        }
        assert_eq!(tracker.record(true), HealthStep::Healthy);
        for _ in 0..9 {
            assert!(matches!(tracker.record(false), HealthStep::CheckAgain { escalate, .. } if escalate.is_empty()));
        }
        assert!(
            matches!(tracker.record(false), HealthStep::CheckAgain { escalate, .. } if escalate.is_empty()),
            "restart fired already"
        );
    }
}

//! Resilience policies for the steps around a deployment: retry schedules with jitter, error
//! classification, auto-heal actions, a circuit breaker, health-check escalation and traffic
//! shifting. Everything here is pure and synchronous: time is a number of seconds, the clock and
//! the random source are passed in, and the host does the sleeping and the running.

pub mod breaker;
pub mod classify;
pub mod heal;
pub mod health;
pub mod random;
pub mod retry;
pub mod traffic;

use serde::Deserialize;

pub use breaker::{Breaker, BreakerConfig, Decision};
pub use classify::{Classification, Classifier, ErrorClass, Pattern};
pub use heal::{HealConfig, Healer};
pub use random::Random;
pub use retry::{Backoff, Jitter, RetryStrategy};

/// The `resilience` section of the configuration.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ResilienceConfig {
    #[serde(default)]
    pub retry_strategy: RetryStrategy,
    #[serde(default)]
    pub steps: Vec<StepConfig>,
}

/// One pipeline step's policy.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StepConfig {
    pub name: String,
    #[serde(default)]
    pub retry_on: Vec<String>,
    #[serde(default)]
    pub auto_heal: Vec<HealConfig>,
    /// Overrides the section's `retry_strategy` for this step.
    #[serde(default)]
    pub retry_strategy: Option<RetryStrategy>,
}

/// A step's policy, checked and ready to use.
#[derive(Debug, Clone)]
pub struct StepPolicy {
    pub name: String,
    pub retry: RetryStrategy,
    pub classifier: Classifier,
    pub heal: Vec<HealConfig>,
}

impl ResilienceConfig {
    /// The policy of step `name`, or why it cannot be used.
    pub fn step(&self, name: &str) -> Result<StepPolicy, String> {
        let step = self.steps.iter().find(|s| s.name == name).ok_or_else(|| {
            let known: Vec<&str> = self.steps.iter().map(|s| s.name.as_str()).collect();
            format!(
                "no step {name:?} under resilience.steps (steps: {})",
                if known.is_empty() { "none".into() } else { known.join(", ") }
            )
        })?;
        let retry = step.retry_strategy.clone().unwrap_or_else(|| self.retry_strategy.clone());
        let problems = retry.problems();
        if !problems.is_empty() {
            return Err(format!("retry_strategy for step {name:?}: {}", problems.join("; ")));
        }
        let patterns = step
            .retry_on
            .iter()
            .map(|p| Pattern::parse(p).map_err(|e| format!("retry_on of step {name:?}: {e}")))
            .collect::<Result<Vec<_>, _>>()?;
        Healer::new(&step.auto_heal).map_err(|e| format!("step {name:?}: {e}"))?;
        Ok(StepPolicy {
            name: step.name.clone(),
            retry,
            classifier: Classifier::new(patterns),
            heal: step.auto_heal.clone(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PIPELINE: &str = r#"
retry_strategy: {max_attempts: 3, initial_delay: 10, max_delay: 60, backoff_factor: 2, jitter: false}
steps:
  - name: terraform-apply
    retry_on: ["Error: timeout", "Error: rate limit exceeded", "Error: connection refused"]
    auto_heal:
      - {action: "terraform refresh", condition: "state mismatch"}
      - {action: "terraform init -reconfigure", condition: "backend error"}
  - name: load-test
    retry_on: ["Error: connection timeout", "Error: too many connections"]
"#;

    #[test]
    fn the_pipeline_configuration_reads_and_resolves() {
        let config: ResilienceConfig = serde_yaml_ng::from_str(PIPELINE).unwrap();
        let apply = config.step("terraform-apply").unwrap();
        assert_eq!(apply.retry.schedule(0), [10.0, 20.0]);
        assert_eq!(apply.heal.len(), 2);
        assert_eq!(apply.classifier.classify("Error: rate limit exceeded").class, ErrorClass::Throttling);
        let err = config.step("deploy").unwrap_err();
        assert!(err.contains("terraform-apply, load-test"), "{err}");
    }

    #[test]
    fn bad_patterns_and_numbers_are_named() {
        let config: ResilienceConfig = serde_yaml_ng::from_str("steps: [{name: a, retry_on: ['regex:(']}]").unwrap();
        assert!(config.step("a").unwrap_err().contains("retry_on of step \"a\""));
        let config: ResilienceConfig =
            serde_yaml_ng::from_str("retry_strategy: {max_attempts: 0}\nsteps: [{name: a}]").unwrap();
        assert!(config.step("a").unwrap_err().contains("max_attempts"));
    }
}

//! Resilience policies for the steps around a deployment: retry schedules with jitter, error
//! classification, auto-heal actions, a circuit breaker, health-check escalation and traffic
//! shifting, and the one retry driver ([`Retrier`]) every front end uses. The policies are pure:
//! time is a number of seconds, and the clock, the sleep and the random source are passed in.

mod breaker;
mod breaker_file;
mod classify;
mod error;
mod heal;
mod health;
mod random;
mod retrier;
mod retry;
mod traffic;

use serde::Deserialize;

pub use breaker::{Breaker, BreakerConfig, Decision, Metric, Monitor, State};
pub use breaker_file::BreakerFile;
pub use classify::{Classification, Classifier, ErrorClass, InvalidPattern, Pattern};
pub use error::ResilienceError;
pub use heal::{HealConfig, Healer};
pub use health::{Escalation, HealthCheckPolicy, HealthStep, HealthTracker};
pub use random::Random;
pub use retrier::{Clock, Failure, GaveUp, GiveUpReason, Next, Retrier, RetryEvent, Sleep, SystemClock, ThreadSleep};
pub use retry::{Backoff, Jitter, RetryStrategy, MAX_DELAY_SECONDS};
pub use traffic::{ShiftDecision, TrafficShift};

/// The `resilience` section of the configuration.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct ResilienceConfig {
    /// The strategy of every step that does not set its own.
    #[serde(default)]
    pub retry_strategy: RetryStrategy,
    /// The pipeline's steps, each name once.
    #[serde(default, deserialize_with = "unique_steps")]
    pub steps: Vec<StepConfig>,
}

/// Steps with distinct names: a second step of the same name would be silently ignored by whoever
/// reads the first, so it is refused where the configuration says it.
fn unique_steps<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Vec<StepConfig>, D::Error> {
    let steps = Vec::<StepConfig>::deserialize(d)?;
    for (i, step) in steps.iter().enumerate() {
        if steps[..i].iter().any(|earlier| earlier.name == step.name) {
            return Err(serde::de::Error::custom(format!(
                "step {:?} is configured more than once; name each step once",
                step.name
            )));
        }
    }
    Ok(steps)
}

/// One pipeline step's policy, as configured.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct StepConfig {
    /// The step's name, unique in the section.
    pub name: String,
    /// Patterns of failures worth retrying.
    #[serde(default)]
    pub retry_on: Vec<String>,
    /// Actions that mend known failures before the next attempt.
    #[serde(default)]
    pub auto_heal: Vec<HealConfig>,
    /// Overrides the section's `retry_strategy` for this step.
    #[serde(default)]
    pub retry_strategy: Option<RetryStrategy>,
}

/// A step's policy, checked and ready to use.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct StepPolicy {
    /// The step's name.
    pub name: String,
    /// Its retry strategy.
    pub retry: RetryStrategy,
    /// Its `retry_on` patterns.
    pub classifier: Classifier,
    /// Its auto-heal actions.
    pub heal: Vec<HealConfig>,
}

impl StepPolicy {
    /// A step's policy with no auto-heal actions.
    pub fn new(name: impl Into<String>, retry: RetryStrategy, classifier: Classifier) -> StepPolicy {
        StepPolicy { name: name.into(), retry, classifier, heal: Vec::new() }
    }
}

impl ResilienceConfig {
    /// The policy of step `name`.
    ///
    /// # Errors
    /// [`ResilienceError::UnknownStep`], or [`ResilienceError::Invalid`] naming the key at fault.
    pub fn step(&self, name: &str) -> Result<StepPolicy, ResilienceError> {
        let step = self.steps.iter().find(|s| s.name == name).ok_or_else(|| ResilienceError::UnknownStep {
            name: name.to_string(),
            known: self.steps.iter().map(|s| s.name.clone()).collect(),
        })?;
        let retry = step.retry_strategy.clone().unwrap_or_else(|| self.retry_strategy.clone());
        let problems = retry.problems();
        if !problems.is_empty() {
            return Err(ResilienceError::invalid(format!("retry_strategy for step {name:?}"), problems));
        }
        let patterns = step
            .retry_on
            .iter()
            .map(|p| Pattern::parse(p))
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| ResilienceError::invalid(format!("retry_on of step {name:?}"), vec![e.to_string()]))?;
        Healer::new(&step.auto_heal)
            .map_err(|e| ResilienceError::invalid(format!("auto_heal of step {name:?}"), vec![e.to_string()]))?;
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
        let err = config.step("deploy").unwrap_err().to_string();
        assert!(err.contains("terraform-apply, load-test"), "{err}");
    }

    #[test]
    fn bad_patterns_and_numbers_are_named() {
        let config: ResilienceConfig = serde_yaml_ng::from_str("steps: [{name: a, retry_on: ['regex:(']}]").unwrap();
        assert!(config.step("a").unwrap_err().to_string().contains("retry_on of step \"a\""));
        let config: ResilienceConfig =
            serde_yaml_ng::from_str("retry_strategy: {max_attempts: 0}\nsteps: [{name: a}]").unwrap();
        assert!(config.step("a").unwrap_err().to_string().contains("max_attempts"));
        let twice = serde_yaml_ng::from_str::<ResilienceConfig>("steps: [{name: a}, {name: b}, {name: a}]");
        assert!(twice.unwrap_err().to_string().contains("step \"a\" is configured more than once"));
    }
}

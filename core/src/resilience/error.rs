//! Why a resilience policy cannot be used: an unknown step, numbers out of range, a bad pattern, a
//! breaker state file that cannot be read or written. Each message names the key or the file.

use crate::details::Details;

/// A resilience policy or state that cannot be used.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ResilienceError {
    /// The configuration names no such step.
    #[error("no step {name:?} under resilience.steps (steps: {})", if known.is_empty() { "none".to_string() } else { known.join(", ") })]
    UnknownStep {
        /// The step asked for.
        name: String,
        /// The steps the configuration has.
        known: Vec<String>,
    },
    /// Values out of range, or patterns that do not compile.
    #[error("{key}: {}", problems.join("; "))]
    Invalid {
        /// The configuration key at fault, e.g. `retry_strategy for step "apply"`.
        key: String,
        /// What is wrong, each naming the field.
        problems: Vec<String>,
    },
    /// A breaker state file that cannot be read, parsed, locked or written.
    #[error("breaker state {path}: {message}")]
    State {
        /// The state file.
        path: String,
        /// What went wrong.
        message: String,
    },
}

impl ResilienceError {
    pub(crate) fn invalid(key: impl Into<String>, problems: Vec<String>) -> ResilienceError {
        ResilienceError::Invalid { key: key.into(), problems }
    }

    pub(crate) fn details(&self) -> Details {
        match self {
            ResilienceError::UnknownStep { name, known } => Details {
                key: Some("resilience.steps".into()),
                expected: Some(known.join(", ")),
                found: Some(name.clone()),
                ..Details::default()
            },
            ResilienceError::Invalid { key, .. } => Details { key: Some(key.clone()), ..Details::default() },
            ResilienceError::State { path, .. } => Details { path: Some(path.clone()), ..Details::default() },
        }
    }
}

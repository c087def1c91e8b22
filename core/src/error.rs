//! The one error type at the engine's boundary. Each subsystem has its own error enum; [`Error`]
//! wraps them, and [`Error::kind`] and [`Error::details`] give a binding what it needs to raise the
//! right exception with structured attributes, without parsing messages.

pub use crate::details::Details;
use crate::limits::LimitError;
use crate::plan::PlanError;
use crate::policy::ConfigError;
use crate::report::ReportFileError;
use crate::resilience::ResilienceError;
use crate::scan::{ScanError, ScanErrors};
use crate::source::SourceError;

/// Why the engine cannot do what was asked. Never a verdict: a front end exits 3 on any of these.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The plan cannot be read or is not a valid plan.
    #[error("cannot analyse {}: {error}", plan.as_deref().map_or_else(|| "the plan".to_string(), |p| format!("plan {p}")))]
    Plan {
        /// How the caller named the plan (its path, `stdin`, a label).
        plan: Option<String>,
        /// What is wrong with it.
        #[source]
        error: PlanError,
    },
    /// A configuration (or suppressions file) cannot be read or is invalid.
    #[error(transparent)]
    Config(#[from] ConfigError),
    /// One or more scanner reports cannot be used; every one of them is listed.
    #[error("{}", errors.iter().map(ToString::to_string).collect::<Vec<_>>().join("\n"))]
    Reports {
        /// One error per report, in the order the reports were given; never empty.
        errors: Vec<ScanError>,
    },
    /// A resilience policy cannot be used.
    #[error(transparent)]
    Resilience(#[from] ResilienceError),
    /// The Terraform sources to locate findings in cannot be read.
    #[error(transparent)]
    Source(#[from] SourceError),
    /// A `PLANGATE_MAX_*` variable does not hold a limit.
    #[error(transparent)]
    Limit(#[from] LimitError),
    /// A plangate report file (`plangate check -f json`) cannot be read back.
    #[error(transparent)]
    ReportFile(#[from] ReportFileError),
    /// A value a front end was given (an option, an argument) that means nothing.
    #[error("{name}: {message}")]
    Argument {
        /// The option, as the engine names it (`fail_on`, `plan_reader`, `max_attempts`).
        name: String,
        /// What was expected and what was found.
        message: String,
    },
}

impl Error {
    /// A value given for `name` that means nothing.
    pub fn argument(name: impl Into<String>, message: impl Into<String>) -> Error {
        Error::Argument { name: name.into(), message: message.into() }
    }
}

impl From<PlanError> for Error {
    fn from(error: PlanError) -> Error {
        Error::Plan { plan: None, error }
    }
}

impl From<crate::rules::UnknownRule> for Error {
    fn from(error: crate::rules::UnknownRule) -> Error {
        Error::argument("rule", error.to_string())
    }
}

impl From<ScanErrors> for Error {
    fn from(errors: ScanErrors) -> Error {
        Error::Reports { errors: errors.errors }
    }
}

impl From<ScanError> for Error {
    fn from(error: ScanError) -> Error {
        Error::Reports { errors: vec![error] }
    }
}

/// What kind of input is at fault: what a binding maps to an exception class or an error code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The plan.
    Plan,
    /// The configuration, a suppressions file, or a resilience policy.
    Config,
    /// A scanner report or a baseline.
    Report,
    /// A value given to a front end (an option, an argument).
    Argument,
}

impl ErrorKind {
    /// A stable code: `PLAN_INVALID`, `CONFIG_INVALID`, `REPORT_INVALID` or `INVALID_ARGUMENT`.
    pub fn code(self) -> &'static str {
        match self {
            ErrorKind::Plan => "PLAN_INVALID",
            ErrorKind::Config => "CONFIG_INVALID",
            ErrorKind::Report => "REPORT_INVALID",
            ErrorKind::Argument => "INVALID_ARGUMENT",
        }
    }
}

impl Error {
    /// What kind of input is at fault.
    pub fn kind(&self) -> ErrorKind {
        match self {
            Error::Plan { .. } => ErrorKind::Plan,
            Error::Config(_) | Error::Resilience(_) | Error::Source(_) | Error::Limit(_) => ErrorKind::Config,
            Error::Reports { .. } | Error::ReportFile(_) => ErrorKind::Report,
            Error::Argument { .. } => ErrorKind::Argument,
        }
    }

    /// The structured facts of the error (of the first report's, for several).
    pub fn details(&self) -> Details {
        match self {
            Error::Plan { plan, error } => Details { path: plan.clone(), ..plan_details(error) },
            Error::Config(error) => config_details(error),
            Error::Reports { errors } => errors.first().map(ScanError::details).unwrap_or_default(),
            Error::Resilience(error) => error.details(),
            Error::Source(SourceError::Io { path, .. }) => Details { path: Some(path.clone()), ..Details::default() },
            Error::ReportFile(ReportFileError { path, .. }) => {
                Details { path: Some(path.clone()), ..Details::default() }
            }
            Error::Argument { name, .. } => Details { key: Some(name.clone()), ..Details::default() },
            Error::Limit(LimitError { variable, found, expected, .. }) => Details {
                key: Some(variable.to_string()),
                found: Some(found.clone()),
                expected: Some(expected.to_string()),
                ..Details::default()
            },
        }
    }
}

fn plan_details(error: &PlanError) -> Details {
    let located = |location: &crate::plan::Location| Details {
        line: Some(location.line),
        column: Some(location.column),
        ..Details::default()
    };
    match error {
        PlanError::Syntax { location, .. } | PlanError::Shape { location, .. } => located(location),
        PlanError::UnsupportedFormat { found, location } => Details {
            json_path: Some("format_version".into()),
            expected: Some("0.x or 1.x".into()),
            found: Some(found.clone()),
            ..located(location)
        },
        PlanError::InvalidChange { section, index, location, .. } => {
            Details { json_path: Some(format!("{section}[{index}]")), ..located(location) }
        }
        PlanError::BinaryChange { section, index, .. } => {
            Details { json_path: Some(format!("{section}[{index}]")), ..Details::default() }
        }
        PlanError::BinaryVersion { found, expected } => {
            Details { expected: Some(expected.to_string()), found: Some(found.to_string()), ..Details::default() }
        }
        PlanError::SchemaTable { origin, .. } => {
            Details { key: Some("schema_tables".into()), found: Some(origin.clone()), ..Details::default() }
        }
        PlanError::NotAPlan { found } | PlanError::Encoding { found } => {
            Details { found: Some(found.clone()), ..Details::default() }
        }
        _ => Details::default(),
    }
}

fn config_details(error: &ConfigError) -> Details {
    match error {
        ConfigError::Io { path, .. } | ConfigError::TooLarge { path, .. } => {
            Details { path: Some(path.clone()), ..Details::default() }
        }
        ConfigError::Invalid { origin, key, line, column, .. } => {
            Details { path: Some(origin.clone()), key: key.clone(), line: *line, column: *column, ..Details::default() }
        }
        ConfigError::UnknownEnvironment { name } => Details {
            key: Some("environment".into()),
            expected: Some("develop, staging or production".into()),
            found: Some(name.clone()),
            ..Details::default()
        },
    }
}

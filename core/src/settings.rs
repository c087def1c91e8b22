//! What a front end was asked, resolved into the engine's options in one place: the configuration
//! (a file, or YAML text), a preset, the overrides given beside them, and the scanner gate's
//! settings; a retry policy from a configuration's step or from settings. Every front end (the CLI,
//! Python, Node and the Action) fills these in from its own arguments and calls the same
//! resolution, so they cannot disagree on precedence, defaults or what a bad value is.

use std::path::PathBuf;

use crate::check::CheckOptions;
use crate::error::Error;
use crate::plan::PlanReader;
use crate::policy::{Config, Environment, Policy, PolicySource};
use crate::resilience::{BreakerConfig, Classifier, Jitter, Pattern, RetryStrategy, StepPolicy};
use crate::scan::{Baseline, ReportFormat, ScanOptions, ScanSeverity, Suppression};

/// Where the configuration comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ConfigSource {
    /// A YAML file.
    File(PathBuf),
    /// YAML text, and how errors and reports name it.
    Yaml {
        /// The YAML.
        text: String,
        /// Its name in errors and in the report's `policy.source`.
        origin: String,
    },
    /// A policy already made (a host's `Policy` object); it has no `scan:` section.
    Policy(Box<Policy>),
}

/// What a front end was asked for a plan check and a scan. Every field is optional.
///
/// The policy is the configuration if there is one, else the `environment` preset, else the
/// default; an `environment` that names no preset is an error even beside a configuration (a typo
/// must not go unnoticed). The overrides apply on top of whichever it is.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct Settings {
    /// The configuration.
    pub config: Option<ConfigSource>,
    /// A preset: `develop`, `staging`, `production` (and their short names).
    pub environment: Option<String>,
    /// Any high-risk change fails (`true`), or the policy's setting is overridden either way.
    pub fail_on_high_risk: Option<bool>,
    /// How binary plans are read: `auto`, `native` or `terraform`.
    pub plan_reader: Option<String>,
    /// Schema tables beside the configuration's `schema_tables`.
    pub schema_tables: Vec<PathBuf>,
    /// The Terraform working directory, to say where each finding's resource is declared.
    pub source_dir: Option<PathBuf>,
    /// What file paths are relative to when `source_dir` is in no git repository (the Action's
    /// workspace); else the source directory itself.
    pub source_root: Option<PathBuf>,
    /// The scanner gate's severity: `critical`, `high`, `medium` or `low`.
    pub fail_on: Option<String>,
    /// Read every scanner report as this format instead of detecting it.
    pub report_format: Option<String>,
    /// A suppressions file.
    pub suppressions: Option<PathBuf>,
    /// An earlier scan result (`plangate scan -f json`).
    pub baseline: Option<PathBuf>,
    /// The same, as JSON text (a host's result object, written out).
    pub baseline_json: Option<String>,
}

/// The engine's options for what was asked.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct Resolved {
    /// For [`crate::check`] and [`crate::check_all`].
    pub check: CheckOptions,
    /// For [`crate::scan::check`]: the configuration's `scan:` section and the overrides.
    pub scan: ScanOptions,
}

impl Settings {
    /// Settings with this configuration file.
    pub fn with_config_file(path: impl Into<PathBuf>) -> Settings {
        Settings { config: Some(ConfigSource::File(path.into())), ..Settings::default() }
    }

    /// The policy, and the configuration it came from (for its other sections).
    fn config(&self) -> Result<(Policy, Option<Config>), Error> {
        let environment = self.environment.as_deref().map(str::parse::<Environment>).transpose()?;
        let (mut policy, config) = match &self.config {
            Some(ConfigSource::File(path)) => {
                let config = Config::from_file(path)?;
                let source = PolicySource::File(path.display().to_string());
                (Policy::from_config(config.clone(), source, &Policy::default().rules.classes), Some(config))
            }
            Some(ConfigSource::Yaml { text, origin }) => {
                let config = Config::from_yaml(text, origin)?;
                let source = PolicySource::File(origin.clone());
                (Policy::from_config(config.clone(), source, &Policy::default().rules.classes), Some(config))
            }
            Some(ConfigSource::Policy(policy)) => (policy.as_ref().clone(), None),
            None => (environment.map_or_else(Policy::default, Policy::preset), None),
        };
        if let Some(fail) = self.fail_on_high_risk {
            policy.thresholds.fail_on_high_risk = fail;
        }
        if let Some(reader) = &self.plan_reader {
            policy.plan_reading.reader =
                reader.parse::<PlanReader>().map_err(|message| Error::argument("plan_reader", message))?;
        }
        policy.plan_reading.schema_tables.extend(self.schema_tables.iter().cloned());
        Ok((policy, config))
    }

    /// The policy a plan is judged by.
    ///
    /// # Errors
    /// [`Error::Config`] for a configuration that cannot be read or an unknown environment,
    /// [`Error::Argument`] for an override that means nothing.
    pub fn policy(&self) -> Result<Policy, Error> {
        self.config().map(|(policy, _)| policy)
    }

    /// The engine's options for a plan check and a scan.
    ///
    /// # Errors
    /// As [`Settings::policy`]; [`Error::Config`] for a suppressions file that cannot be read,
    /// [`Error::Reports`] for a baseline that cannot be read, [`Error::Argument`] for a `fail_on`
    /// or report format that means nothing.
    pub fn resolve(&self) -> Result<Resolved, Error> {
        let (policy, config) = self.config()?;
        let mut check = CheckOptions::new(policy);
        check.source_dir.clone_from(&self.source_dir);
        check.source_root.clone_from(&self.source_root);
        let mut scan = ScanOptions::default();
        scan.gate = config.and_then(|c| c.scan).unwrap_or_default();
        if let Some(severity) = &self.fail_on {
            scan.gate.fail_on = Some(parse_fail_on(severity)?);
        }
        if let Some(name) = &self.report_format {
            scan.format = Some(ReportFormat::from_name(name).ok_or_else(|| {
                Error::argument("format", format!("expected one of {}, found {name:?}", ReportFormat::NAMES.join(", ")))
            })?);
        }
        if let Some(path) = &self.suppressions {
            scan.suppressions = Suppression::list_from_file(path)?;
        }
        if let Some(path) = &self.baseline {
            scan.baseline = Baseline::from_file(path)?;
        }
        if let Some(text) = &self.baseline_json {
            scan.baseline = Baseline::from_json(text, "baseline")?;
        }
        Ok(Resolved { check, scan })
    }
}

/// A scanner gate severity, as `--fail-on`, `fail_on=` and `failOn` give it.
fn parse_fail_on(severity: &str) -> Result<ScanSeverity, Error> {
    match ScanSeverity::parse(severity) {
        s @ (ScanSeverity::Critical | ScanSeverity::High | ScanSeverity::Medium | ScanSeverity::Low) => Ok(s),
        _ => Err(Error::argument("fail_on", format!("expected critical, high, medium or low, found {severity:?}"))),
    }
}

/// A retry policy as a front end was asked for it: a step of a configuration file, or settings
/// over the defaults. Numbers come as a host language holds them and are checked here: a count
/// that is not a whole number in range is an error, never wrapped or rounded.
#[derive(Debug, Clone, Default, PartialEq)]
#[non_exhaustive]
pub struct RetrySettings {
    /// A configuration file with a `resilience:` section; `step` names the step.
    pub config: Option<PathBuf>,
    /// The step under `resilience.steps`.
    pub step: Option<String>,
    /// All attempts, the first included.
    pub max_attempts: Option<f64>,
    /// The base delay before the first retry, in seconds.
    pub initial_delay: Option<f64>,
    /// The ceiling of every delay.
    pub max_delay: Option<f64>,
    /// The growth of the base delay.
    pub backoff_factor: Option<f64>,
    /// `none`, `full`, `equal` or `decorrelated`.
    pub jitter: Option<String>,
    /// The budget of all delays together.
    pub max_total_delay: Option<f64>,
    /// Patterns of failures worth retrying.
    pub retry_on: Vec<String>,
}

impl RetrySettings {
    /// The policy: the configuration's step, or the settings over [`RetryStrategy::default`].
    ///
    /// # Errors
    /// [`Error::Config`] or [`Error::Resilience`] for a configuration or step that cannot be used,
    /// [`Error::Argument`] for settings beside a configuration, or values out of range.
    pub fn resolve(&self) -> Result<StepPolicy, Error> {
        if let Some(path) = &self.config {
            let step = self.step.as_deref().ok_or_else(|| Error::argument("step", "a configuration needs a step"))?;
            let given =
                [self.max_attempts, self.initial_delay, self.max_delay, self.backoff_factor, self.max_total_delay];
            if given.iter().any(Option::is_some) || self.jitter.is_some() || !self.retry_on.is_empty() {
                return Err(Error::argument("config", "give a configuration and a step, or settings, not both"));
            }
            let config = Config::from_file(path)?;
            let resilience = config
                .resilience
                .ok_or_else(|| Error::argument("config", format!("{} has no `resilience:` section", path.display())))?;
            return Ok(resilience.step(step)?);
        }
        let defaults = RetryStrategy::default();
        let max_attempts = self.max_attempts.map_or(Ok(defaults.max_attempts), |n| count("max_attempts", n))?;
        let jitter = match &self.jitter {
            None => defaults.jitter,
            Some(name) => name.parse::<Jitter>().map_err(|message| Error::argument("jitter", message))?,
        };
        let strategy = RetryStrategy {
            max_attempts,
            initial_delay: self.initial_delay.unwrap_or(defaults.initial_delay),
            max_delay: self.max_delay.unwrap_or(defaults.max_delay),
            backoff_factor: self.backoff_factor.unwrap_or(defaults.backoff_factor),
            jitter,
            max_total_delay: self.max_total_delay,
        };
        let problems = strategy.problems();
        if !problems.is_empty() {
            return Err(Error::argument("retry_strategy", problems.join("; ")));
        }
        let patterns = self
            .retry_on
            .iter()
            .map(|p| Pattern::parse(p))
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| Error::argument("retry_on", e.to_string()))?;
        Ok(StepPolicy::new("(settings)", strategy, Classifier::new(patterns)))
    }
}

/// A circuit breaker as a front end was asked for it: a configuration's `circuit_breaker:` section,
/// or settings over the defaults.
#[derive(Debug, Clone, Default, PartialEq)]
#[non_exhaustive]
pub struct BreakerSettings {
    /// A configuration file; its `circuit_breaker:` section (or the defaults, without one).
    pub config: Option<PathBuf>,
    /// Consecutive failures that open it.
    pub failure_threshold: Option<f64>,
    /// Seconds it stays open.
    pub reset_timeout: Option<f64>,
    /// Seconds a half-open probe has to report.
    pub half_open_timeout: Option<f64>,
}

impl BreakerSettings {
    /// The breaker's configuration, checked.
    ///
    /// # Errors
    /// [`Error::Config`] for a configuration that cannot be read, [`Error::Argument`] for settings
    /// beside a configuration or values out of range.
    pub fn resolve(&self) -> Result<BreakerConfig, Error> {
        let given = [self.failure_threshold, self.reset_timeout, self.half_open_timeout];
        let config = match &self.config {
            Some(_) if given.iter().any(Option::is_some) => {
                return Err(Error::argument("config", "give a configuration, or settings, not both"))
            }
            Some(path) => Config::from_file(path)?.circuit_breaker.unwrap_or_default(),
            None => {
                let mut config = BreakerConfig::default();
                if let Some(n) = self.failure_threshold {
                    config.failure_threshold = count("failure_threshold", n)?;
                }
                config.reset_timeout = self.reset_timeout.unwrap_or(config.reset_timeout);
                config.half_open_timeout = self.half_open_timeout.unwrap_or(config.half_open_timeout);
                config
            }
        };
        let problems = config.problems();
        if !problems.is_empty() {
            return Err(Error::argument("circuit_breaker", problems.join("; ")));
        }
        Ok(config)
    }
}

/// A count given as a host language holds numbers: a whole number that fits 32 bits (whether it is
/// in range for its setting is the setting's own check).
fn count(name: &str, value: f64) -> Result<u32, Error> {
    whole(value, u32::MAX.into())
        .and_then(|n| u32::try_from(n).ok())
        .ok_or_else(|| Error::argument(name, format!("expected a whole number from 0 to {}, found {value}", u32::MAX)))
}

/// `value` as a whole number from 0 to `max`, or `None`.
pub fn whole(value: f64, max: u64) -> Option<u64> {
    (value.fract() == 0.0 && (0.0..=max as f64).contains(&value)).then_some(value as u64)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ErrorKind;

    #[test]
    fn precedence_and_overrides() {
        let preset = Settings { environment: Some("staging".into()), ..Settings::default() };
        assert_eq!(preset.policy().unwrap().source, PolicySource::Preset(Environment::Staging));
        let yaml = Settings {
            config: Some(ConfigSource::Yaml { text: "fail_on_high_risk: false\n".into(), origin: "inline".into() }),
            environment: Some("production".into()),
            fail_on_high_risk: Some(true),
            plan_reader: Some("native".into()),
            ..Settings::default()
        };
        let policy = yaml.policy().unwrap();
        assert_eq!(policy.source, PolicySource::File("inline".into()), "a configuration wins over a preset");
        assert!(policy.thresholds.fail_on_high_risk && policy.plan_reading.reader == PlanReader::Native);
        // A mistyped preset is an error even beside a configuration (the Action dropped it).
        let typo = Settings { environment: Some("prdo".into()), ..yaml.clone() };
        assert_eq!(typo.policy().unwrap_err().kind(), ErrorKind::Config);
        let reader = Settings { plan_reader: Some("magic".into()), ..Settings::default() };
        assert_eq!(reader.policy().unwrap_err().kind(), ErrorKind::Argument);
    }

    #[test]
    fn the_scan_gate_from_the_configuration_and_overrides() {
        let settings = Settings {
            config: Some(ConfigSource::Yaml { text: "scan: {fail_on: medium}\n".into(), origin: "x".into() }),
            ..Settings::default()
        };
        assert_eq!(settings.resolve().unwrap().scan.gate.fail_on, Some(ScanSeverity::Medium));
        let over = Settings { fail_on: Some("HIGH".into()), ..settings.clone() };
        assert_eq!(over.resolve().unwrap().scan.gate.fail_on, Some(ScanSeverity::High));
        for bad in ["info", "none", "severe"] {
            let bad = Settings { fail_on: Some(bad.into()), ..settings.clone() };
            assert_eq!(bad.resolve().unwrap_err().kind(), ErrorKind::Argument);
        }
    }

    #[test]
    fn retry_numbers_are_whole_and_in_range() {
        let policy = RetrySettings { max_attempts: Some(4.0), jitter: Some("none".into()), ..Default::default() };
        let policy = policy.resolve().unwrap();
        assert_eq!((policy.retry.max_attempts, policy.retry.jitter), (4, Jitter::None));
        assert_eq!(RetrySettings::default().resolve().unwrap().retry, RetryStrategy::default());
        for n in [-1.0, 1.5, 4_294_967_296.0, f64::NAN, f64::INFINITY] {
            let err = RetrySettings { max_attempts: Some(n), ..Default::default() }.resolve().unwrap_err();
            assert_eq!(err.kind(), ErrorKind::Argument, "{n}");
        }
        let err = RetrySettings { jitter: Some("lots".into()), ..Default::default() }.resolve().unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Argument);
        let err = RetrySettings { initial_delay: Some(1e300), ..Default::default() }.resolve().unwrap_err();
        assert!(err.to_string().contains("a day"), "{err}");
    }
}

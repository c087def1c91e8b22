//! The policy a plan is judged by: the rules' classes, settings and waivers, the thresholds, and
//! how the report is shown. It comes from a YAML file, a built-in environment preset, or the
//! default; [`Config`] composes the file from the sections each subsystem owns, and its verdict module
//! turns findings into a decision.

mod config;
mod thresholds;
pub(crate) mod verdict;

use std::fmt;
use std::path::Path;
use std::str::FromStr;

use crate::yaml::read_text;
pub use crate::yaml::ConfigError;
pub use config::Config;
pub use thresholds::{Allowance, Thresholds, ThresholdsSection};

use crate::format::Format;
use crate::notify::Notifications;
use crate::plan::BinaryOptions;
use crate::report::PolicySummary;
use crate::rules::{Classes, RuleConfig};

/// The environments with a built-in preset.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Environment {
    /// Reports high-risk changes but never fails on them.
    Develop,
    /// Fewer critical classes; up to three high-risk changes pass.
    Staging,
    /// What the production pipelines use: no critical or high-risk change passes.
    Production,
}

impl Environment {
    /// Every environment with a preset.
    pub const ALL: [Environment; 3] = [Environment::Develop, Environment::Staging, Environment::Production];

    /// `develop`, `staging` or `production`.
    pub fn name(self) -> &'static str {
        match self {
            Environment::Develop => "develop",
            Environment::Staging => "staging",
            Environment::Production => "production",
        }
    }

    /// The preset's YAML, as shipped.
    pub fn preset_yaml(self) -> &'static str {
        match self {
            Environment::Develop => include_str!("presets/develop.yaml"),
            Environment::Staging => include_str!("presets/staging.yaml"),
            Environment::Production => include_str!("presets/production.yaml"),
        }
    }
}

impl FromStr for Environment {
    type Err = ConfigError;
    fn from_str(name: &str) -> Result<Environment, ConfigError> {
        match name.to_ascii_lowercase().as_str() {
            "develop" | "dev" | "development" => Ok(Environment::Develop),
            "staging" | "stage" => Ok(Environment::Staging),
            "production" | "prod" => Ok(Environment::Production),
            _ => Err(ConfigError::UnknownEnvironment { name: name.to_string() }),
        }
    }
}

/// Where the policy came from.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum PolicySource {
    /// No configuration at all.
    Default,
    /// A built-in preset.
    Preset(Environment),
    /// A configuration file or text; the path or the name given.
    File(String),
}

impl fmt::Display for PolicySource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PolicySource::Default => f.write_str("default"),
            PolicySource::Preset(env) => write!(f, "preset {}", env.name()),
            PolicySource::File(path) => write!(f, "file {path}"),
        }
    }
}

/// Everything a plan is judged by.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Policy {
    /// Where it came from.
    pub source: PolicySource,
    /// The report's format when the caller does not say.
    pub output_format: Option<Format>,
    /// Whether the text report shows notices and drift.
    pub verbose: bool,
    /// What the rules read: classes, rule settings, waivers.
    pub rules: RuleConfig,
    /// How many critical and high-risk changes pass.
    pub thresholds: Thresholds,
    /// Where `plangate notify` posts.
    pub notifications: Notifications,
    /// How binary plan files are read.
    pub plan_reading: BinaryOptions,
}

impl Default for Policy {
    /// No configuration at all: the production classes, and any critical or high-risk change fails.
    fn default() -> Policy {
        let production = Policy::preset(Environment::Production);
        Policy {
            source: PolicySource::Default,
            output_format: None,
            verbose: true,
            rules: RuleConfig::new(production.rules.classes, Default::default(), Vec::new()),
            thresholds: Thresholds::default(),
            notifications: Notifications::default(),
            plan_reading: BinaryOptions::default(),
        }
    }
}

impl Policy {
    /// The built-in preset for an environment.
    pub fn preset(env: Environment) -> Policy {
        let config = Config::from_yaml(env.preset_yaml(), &format!("preset {}", env.name()))
            .expect("built-in presets are valid (tested)");
        // The presets name their classes, so the defaults they fall back on are never read.
        Policy::from_config(config, PolicySource::Preset(env), &Classes::default())
    }

    /// A policy from YAML text; `origin` names it in errors and in reports.
    ///
    /// # Errors
    /// [`ConfigError::Invalid`] naming the key, line and column at fault.
    pub fn from_yaml(text: &str, origin: &str) -> Result<Policy, ConfigError> {
        let config = Config::from_yaml(text, origin)?;
        Ok(Policy::from_config(config, PolicySource::File(origin.to_string()), &Policy::default().rules.classes))
    }

    /// A policy from a configuration file.
    ///
    /// # Errors
    /// [`ConfigError::Io`] when the file cannot be read, else as [`Policy::from_yaml`].
    pub fn from_file(path: impl AsRef<Path>) -> Result<Policy, ConfigError> {
        let (text, origin) = read_text(path.as_ref())?;
        Policy::from_yaml(&text, &origin)
    }

    /// Finds the configuration in the documented order: `-c FILE`, then the `TF_PLAN_CHECK_CONFIG`
    /// file, then the `--env` preset, then the default. An `environment` that names no preset is an
    /// error even when a file takes precedence: a typo must not go unnoticed.
    ///
    /// # Errors
    /// [`ConfigError`] for an unreadable or invalid file, or an unknown environment.
    pub fn resolve(
        config_file: Option<&Path>,
        config_env_var: Option<&str>,
        environment: Option<&str>,
    ) -> Result<Policy, ConfigError> {
        let environment = environment.map(str::parse::<Environment>).transpose()?;
        if let Some(path) = config_file {
            return Policy::from_file(path);
        }
        if let Some(path) = config_env_var.filter(|p| !p.is_empty()) {
            return Policy::from_file(path);
        }
        Ok(environment.map_or_else(Policy::default, Policy::preset))
    }

    /// The policy a configuration describes; lists it does not set come from `default_classes`.
    pub fn from_config(config: Config, source: PolicySource, default_classes: &Classes) -> Policy {
        let classes = config.resource_classifications.unwrap_or_default().over(default_classes);
        let config_dir = match &source {
            PolicySource::File(path) => Path::new(path).parent().map(Path::to_path_buf),
            _ => None,
        };
        let schema_tables = config
            .schema_tables
            .unwrap_or_default()
            .into_iter()
            .map(|table| match &config_dir {
                Some(dir) if table.is_relative() => dir.join(table),
                _ => table,
            })
            .collect();
        Policy {
            source,
            output_format: config.output_format,
            verbose: config.verbose.unwrap_or(true),
            rules: RuleConfig::new(classes, config.rules.unwrap_or_default(), config.waivers.unwrap_or_default())
                .trusting(config.trusted_accounts)
                .routine(config.routine)
                .unjudged(config.unjudged)
                .custom(config.custom),
            thresholds: Thresholds::new(
                config.thresholds.unwrap_or_default(),
                config.fail_on_high_risk.unwrap_or(false),
            ),
            notifications: config.notifications.unwrap_or_default(),
            plan_reading: BinaryOptions { reader: config.plan_reader.unwrap_or_default(), schema_tables },
        }
    }

    /// What reports say about the policy.
    pub fn summary(&self) -> PolicySummary {
        PolicySummary {
            source: self.source.to_string(),
            critical_threshold: self.thresholds.critical_changes,
            high_risk_allowance: match self.thresholds.high_risk_allowance() {
                Allowance::AtMost(n) => Some(n),
                Allowance::Unlimited => None,
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::registry::{self, Severity};

    #[test]
    fn presets_parse_and_differ_as_documented() {
        let prod = Policy::preset(Environment::Production);
        assert_eq!(prod.thresholds.high_risk_allowance(), Allowance::AtMost(0));
        assert!(prod.rules.classes.is_critical("aws_vpc") && prod.rules.classes.is_high_risk("aws_db_instance"));
        assert_eq!(prod.output_format, Some(Format::Json));
        let staging = Policy::preset(Environment::Staging);
        assert_eq!(staging.thresholds.high_risk_allowance(), Allowance::AtMost(3));
        assert!(
            !staging.rules.classes.is_critical("aws_vpc") && !staging.rules.classes.is_high_risk("aws_db_instance")
        );
        let develop = Policy::preset(Environment::Develop);
        assert_eq!(develop.thresholds.high_risk_allowance(), Allowance::Unlimited);
        assert_eq!(develop.rules.classes, staging.rules.classes);
        let default = Policy::default();
        assert_eq!(default.rules.classes, prod.rules.classes);
        assert_eq!(default.thresholds.high_risk_allowance(), Allowance::AtMost(0));
        assert_eq!(default.output_format, None);
    }

    #[test]
    fn environment_names_and_resolution_order() {
        assert_eq!("prod".parse::<Environment>().unwrap(), Environment::Production);
        assert_eq!("dev".parse::<Environment>().unwrap(), Environment::Develop);
        assert!("qa".parse::<Environment>().is_err());
        assert_eq!(
            Policy::resolve(None, None, Some("staging")).unwrap().source,
            PolicySource::Preset(Environment::Staging)
        );
        assert_eq!(Policy::resolve(None, Some(""), None).unwrap().source, PolicySource::Default);
        let missing = Policy::resolve(Some(Path::new("/nonexistent/gate.yaml")), None, Some("staging")).unwrap_err();
        assert!(missing.to_string().contains("/nonexistent/gate.yaml"), "{missing}");
        let typo = Policy::resolve(Some(Path::new("/nonexistent/gate.yaml")), None, Some("prdo")).unwrap_err();
        assert!(matches!(typo, ConfigError::UnknownEnvironment { .. }), "an unknown --env is an error even beside -c");
    }

    #[test]
    fn rule_settings_and_waivers() {
        let policy = Policy::from_yaml(
            "rules:\n  PG-DATA-001: {severity: critical}\n  pg-cls-001: {enabled: false}\nwaivers:\n  - {address: \"aws_s3_bucket.*\", rule: PG-DEL-001, reason: migration, expires: 2026-12-31}\n",
            "gate.yaml",
        )
        .unwrap();
        let data = registry::find("PG-DATA-001").unwrap();
        assert_eq!(policy.rules.settings.severity_of(data), Some(Severity::Critical));
        assert_eq!(policy.rules.settings.severity_of(registry::find("PG-CLS-001").unwrap()), None);
        assert_eq!(policy.rules.waivers.len(), 1);
        let err = Policy::from_yaml("rules:\n  PG-DEL-004: {severity: high}\n", "gate.yaml").unwrap_err().to_string();
        assert!(err.contains("plan-wide notice"), "{err}");
        assert!(Policy::from_yaml("rules:\n  PG-DEL-004: {enabled: false}\n", "gate.yaml").is_ok());
        let err = Policy::from_yaml("verbose: true\nrules:\n  PG-NOPE-001: {enabled: false}\n", "gate.yaml")
            .unwrap_err()
            .to_string();
        assert!(err.contains("gate.yaml") && err.contains("PG-NOPE-001") && err.contains("line 3"), "{err}");
        let err = Policy::from_yaml("waivers:\n  - {address: x, rule: PG-DEL-001, expires: 2026-12-31}\n", "gate.yaml")
            .unwrap_err()
            .to_string();
        assert!(err.contains("missing field `reason`") && err.contains("line 2"), "{err}");
        let err = Policy::from_yaml("waivers:\n  - {address: x, rule: '*', reason: ' ', expires: 2026-12-31}\n", "g")
            .unwrap_err()
            .to_string();
        assert!(err.contains("needs a reason"), "{err}");
        let err = Policy::from_yaml("waivers:\n  - {address: x, rule: '*', reason: r, expires: soon}\n", "g")
            .unwrap_err()
            .to_string();
        assert!(err.contains("YYYY-MM-DD"), "{err}");
    }

    #[test]
    fn class_globs() {
        let policy = Policy::from_yaml("resource_classifications: {high_risk: [\"aws_iam_*\"]}", "x").unwrap();
        assert!(policy.rules.classes.is_high_risk("aws_iam_user_policy"));
        assert!(policy.rules.classes.is_critical("aws_s3_bucket"), "unset lists keep the defaults");
    }
}

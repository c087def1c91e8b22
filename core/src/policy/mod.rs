//! The policy: which resource classes are critical or high-risk, how many changes of each may pass,
//! and how the report is shown. It comes from a YAML file, a built-in environment preset, or the
//! default, and turns findings into a verdict ([`verdict`]).

mod config;
pub mod verdict;

use std::fmt;
use std::str::FromStr;

pub use config::{Allowance, ConfigError, ConfigFile, Notifications, SlackNotification};

use crate::glob::Glob;
use crate::report::{Format, PolicySummary};

/// The environments with a built-in preset.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Environment {
    Develop,
    Staging,
    Production,
}

impl Environment {
    pub fn name(self) -> &'static str {
        match self {
            Environment::Develop => "develop",
            Environment::Staging => "staging",
            Environment::Production => "production",
        }
    }

    /// The preset's YAML, as shipped; `plangate config show --env` prints it.
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
pub enum PolicySource {
    Default,
    Preset(Environment),
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

/// Resource classes by type glob. Rules read these; they never read thresholds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Classes {
    pub critical: Vec<Glob>,
    pub high_risk: Vec<Glob>,
}

impl Classes {
    pub fn is_critical(&self, resource_type: &str) -> bool {
        self.critical.iter().any(|g| g.matches(resource_type))
    }
    pub fn is_high_risk(&self, resource_type: &str) -> bool {
        self.high_risk.iter().any(|g| g.matches(resource_type))
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Policy {
    pub source: PolicySource,
    pub output_format: Option<Format>,
    pub verbose: bool,
    pub classes: Classes,
    pub critical_threshold: u32,
    pub fail_on_high_risk: bool,
    pub high_risk_threshold: Option<Allowance>,
    pub notifications: Notifications,
}

impl Default for Policy {
    /// No configuration at all: the production classes, and any critical or high-risk change fails.
    fn default() -> Policy {
        let production = ConfigFile::parse(Environment::Production.preset_yaml(), "preset production")
            .expect("the production preset is valid YAML (tested)");
        let classes = production.resource_classifications.unwrap_or_default();
        Policy {
            source: PolicySource::Default,
            output_format: None,
            verbose: true,
            classes: Classes { critical: classes.critical.unwrap_or_default(), high_risk: classes.high_risk.unwrap_or_default() },
            critical_threshold: 0,
            fail_on_high_risk: false,
            high_risk_threshold: None,
            notifications: Notifications::default(),
        }
    }
}

impl Policy {
    /// The built-in preset for an environment.
    pub fn preset(env: Environment) -> Policy {
        let file = ConfigFile::parse(env.preset_yaml(), &format!("preset {}", env.name()))
            .expect("built-in presets are valid YAML (tested)");
        Policy::from_config(file, PolicySource::Preset(env))
    }

    /// A policy from YAML text; `origin` names it in errors.
    pub fn from_yaml(text: &str, origin: &str) -> Result<Policy, ConfigError> {
        ConfigFile::parse(text, origin).map(|file| Policy::from_config(file, PolicySource::File(origin.to_string())))
    }

    pub fn from_file(path: &str) -> Result<Policy, ConfigError> {
        let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Io { path: path.to_string(), source })?;
        Policy::from_yaml(&text, path)
    }

    /// Finds the configuration in the documented order: `-c FILE`, then the `TF_PLAN_CHECK_CONFIG`
    /// file, then the `--env` preset, then the default.
    pub fn resolve(config_file: Option<&str>, config_env_var: Option<&str>, environment: Option<&str>) -> Result<Policy, ConfigError> {
        if let Some(path) = config_file {
            return Policy::from_file(path);
        }
        if let Some(path) = config_env_var.filter(|p| !p.is_empty()) {
            return Policy::from_file(path);
        }
        if let Some(name) = environment {
            return Ok(Policy::preset(name.parse()?));
        }
        Ok(Policy::default())
    }

    fn from_config(file: ConfigFile, source: PolicySource) -> Policy {
        let default = Policy::default();
        let classes = file.resource_classifications.unwrap_or_default();
        let thresholds = file.thresholds.unwrap_or_default();
        Policy {
            source,
            output_format: file.output_format,
            verbose: file.verbose.unwrap_or(default.verbose),
            classes: Classes {
                critical: classes.critical.unwrap_or(default.classes.critical),
                high_risk: classes.high_risk.unwrap_or(default.classes.high_risk),
            },
            critical_threshold: thresholds.critical_changes.unwrap_or(0),
            fail_on_high_risk: file.fail_on_high_risk.unwrap_or(false),
            high_risk_threshold: thresholds.high_risk_changes,
            notifications: file.notifications.unwrap_or_default(),
        }
    }

    /// How many high-risk changes pass: none with `fail_on_high_risk`; else the configured
    /// threshold; else none, so that a gate fails closed when nothing says otherwise.
    pub fn high_risk_allowance(&self) -> Allowance {
        if self.fail_on_high_risk {
            Allowance::AtMost(0)
        } else {
            self.high_risk_threshold.unwrap_or(Allowance::AtMost(0))
        }
    }

    pub fn summary(&self) -> PolicySummary {
        PolicySummary {
            source: self.source.to_string(),
            critical_threshold: self.critical_threshold,
            high_risk_allowance: match self.high_risk_allowance() {
                Allowance::AtMost(n) => Some(n),
                Allowance::Unlimited => None,
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn presets_parse_and_differ_as_documented() {
        let prod = Policy::preset(Environment::Production);
        assert_eq!(prod.high_risk_allowance(), Allowance::AtMost(0));
        assert!(prod.classes.is_critical("aws_vpc") && prod.classes.is_high_risk("aws_db_instance"));
        assert_eq!(prod.output_format, Some(Format::Json));
        let staging = Policy::preset(Environment::Staging);
        assert_eq!(staging.high_risk_allowance(), Allowance::AtMost(3));
        assert!(!staging.classes.is_critical("aws_vpc") && !staging.classes.is_high_risk("aws_db_instance"));
        let develop = Policy::preset(Environment::Develop);
        assert_eq!(develop.high_risk_allowance(), Allowance::Unlimited);
        assert_eq!(develop.classes, staging.classes);
        let default = Policy::default();
        assert_eq!(default.classes, prod.classes);
        assert_eq!(default.high_risk_allowance(), Allowance::AtMost(0));
        assert_eq!(default.output_format, None);
    }

    #[test]
    fn environment_names_and_resolution_order() {
        assert_eq!("prod".parse::<Environment>().unwrap(), Environment::Production);
        assert_eq!("dev".parse::<Environment>().unwrap(), Environment::Develop);
        assert!("qa".parse::<Environment>().is_err());
        assert_eq!(Policy::resolve(None, None, Some("staging")).unwrap().source, PolicySource::Preset(Environment::Staging));
        assert_eq!(Policy::resolve(None, Some(""), None).unwrap().source, PolicySource::Default);
        let missing = Policy::resolve(None, Some("/nonexistent/gate.yaml"), Some("staging")).unwrap_err();
        assert!(missing.to_string().contains("/nonexistent/gate.yaml"), "{missing}");
    }

    #[test]
    fn class_globs() {
        let policy = Policy::from_yaml("resource_classifications: {high_risk: [\"aws_iam_*\"]}", "x").unwrap();
        assert!(policy.classes.is_high_risk("aws_iam_user_policy"));
        assert!(policy.classes.is_critical("aws_s3_bucket"), "unset lists keep the defaults");
    }
}

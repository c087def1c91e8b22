//! The policy: which resource classes are critical or high-risk, how many changes of each may pass,
//! and how the report is shown. It comes from a YAML file, a built-in environment preset, or the
//! default, and turns findings into a verdict ([`verdict`]).

mod config;
mod date;
mod rule_settings;
pub mod verdict;
mod waivers;

use std::fmt;
use std::str::FromStr;

pub use config::{Allowance, ConfigError, ConfigFile, Notifications, SlackNotification};
pub use date::Date;
pub use rule_settings::{RuleSetting, RuleSettings};
pub use waivers::{Waived, Waiver, Waivers};

use crate::glob::Glob;
use crate::report::{Format, PolicySummary};

/// Parses YAML into `T`, with the location in the message (for the other YAML files the CLI reads:
/// suppressions).
pub fn parse_yaml<T: serde::de::DeserializeOwned>(text: &str) -> Result<T, String> {
    serde_yaml_ng::from_str(text).map_err(|e| config::located_message(&e))
}

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
    pub rules: RuleSettings,
    pub waivers: Waivers,
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
            classes: Classes {
                critical: classes.critical.unwrap_or_default(),
                high_risk: classes.high_risk.unwrap_or_default(),
            },
            critical_threshold: 0,
            fail_on_high_risk: false,
            high_risk_threshold: None,
            notifications: Notifications::default(),
            rules: RuleSettings::default(),
            waivers: Waivers::new(Vec::new(), Date::today()),
        }
    }
}

impl Policy {
    /// The built-in preset for an environment.
    pub fn preset(env: Environment) -> Policy {
        let origin = format!("preset {}", env.name());
        ConfigFile::parse(env.preset_yaml(), &origin)
            .and_then(|file| Policy::from_config(file, PolicySource::Preset(env), env.preset_yaml()))
            .expect("built-in presets are valid (tested)")
    }

    /// A policy from YAML text; `origin` names it in errors.
    pub fn from_yaml(text: &str, origin: &str) -> Result<Policy, ConfigError> {
        Policy::from_config(ConfigFile::parse(text, origin)?, PolicySource::File(origin.to_string()), text)
    }

    pub fn from_file(path: &str) -> Result<Policy, ConfigError> {
        let text =
            std::fs::read_to_string(path).map_err(|source| ConfigError::Io { path: path.to_string(), source })?;
        Policy::from_yaml(&text, path)
    }

    /// Finds the configuration in the documented order: `-c FILE`, then the `TF_PLAN_CHECK_CONFIG`
    /// file, then the `--env` preset, then the default.
    pub fn resolve(
        config_file: Option<&str>,
        config_env_var: Option<&str>,
        environment: Option<&str>,
    ) -> Result<Policy, ConfigError> {
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

    /// `text` is the YAML the file came from, to say on which line an unknown rule id stands.
    fn from_config(file: ConfigFile, source: PolicySource, text: &str) -> Result<Policy, ConfigError> {
        let default = Policy::default();
        let classes = file.resource_classifications.unwrap_or_default();
        let thresholds = file.thresholds.unwrap_or_default();
        let origin = source.to_string().trim_start_matches("file ").to_string();
        let unknown_rule = |id: &str, section: &str| {
            let line =
                text.lines().position(|l| l.contains(id)).map(|i| format!(" (at line {})", i + 1)).unwrap_or_default();
            ConfigError::Invalid {
                origin: origin.clone(),
                message: format!("{section}: unknown rule id `{id}`{line}; `plangate rules` lists them"),
            }
        };
        let mut rules = std::collections::BTreeMap::new();
        for (id, setting) in file.rules.unwrap_or_default() {
            let rule = crate::rules::find(&id).ok_or_else(|| unknown_rule(&id, "rules"))?;
            // Plan-wide notices are not tied to one change, so they could never count.
            if setting.severity.is_some_and(|s| s != rule.severity) && crate::rules::is_plan_wide(rule) {
                return Err(ConfigError::Invalid {
                    origin,
                    message: format!("rules: {} is a plan-wide notice; its severity cannot change (it can be turned off with enabled: false)", rule.id),
                });
            }
            rules.insert(rule.id, setting);
        }
        let waivers = file.waivers.unwrap_or_default();
        for waiver in &waivers {
            if waiver.rule != "*" && crate::rules::find(&waiver.rule).is_none() {
                return Err(unknown_rule(&waiver.rule, "waivers"));
            }
        }
        Ok(Policy {
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
            rules: RuleSettings::new(rules),
            waivers: Waivers::new(waivers, default.waivers.today()),
        })
    }

    /// The same policy judged as of another day (waiver expiry), for tests and replays.
    pub fn as_of(mut self, today: Date) -> Policy {
        self.waivers = Waivers::new(self.waivers.iter().cloned().collect(), today);
        self
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
        assert_eq!(
            Policy::resolve(None, None, Some("staging")).unwrap().source,
            PolicySource::Preset(Environment::Staging)
        );
        assert_eq!(Policy::resolve(None, Some(""), None).unwrap().source, PolicySource::Default);
        let missing = Policy::resolve(None, Some("/nonexistent/gate.yaml"), Some("staging")).unwrap_err();
        assert!(missing.to_string().contains("/nonexistent/gate.yaml"), "{missing}");
    }

    #[test]
    fn rule_settings_and_waivers() {
        let policy = Policy::from_yaml(
            "rules:\n  PG-DATA-001: {severity: critical}\n  pg-cls-001: {enabled: false}\nwaivers:\n  - {address: \"aws_s3_bucket.*\", rule: PG-DEL-001, reason: migration, expires: 2026-12-31}\n",
            "gate.yaml",
        )
        .unwrap();
        let data = crate::rules::find("PG-DATA-001").unwrap();
        assert_eq!(policy.rules.severity_of(data), Some(crate::report::Severity::Critical));
        assert_eq!(policy.rules.severity_of(crate::rules::find("PG-CLS-001").unwrap()), None);
        assert_eq!(policy.waivers.iter().count(), 1);
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
        assert!(policy.classes.is_high_risk("aws_iam_user_policy"));
        assert!(policy.classes.is_critical("aws_s3_bucket"), "unset lists keep the defaults");
    }
}

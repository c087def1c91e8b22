//! The YAML configuration file, in the schema the existing pipelines already use, composed here
//! from the sections each subsystem owns: the rules' classes, settings and waivers, the verdict's
//! thresholds, the report's format, the scan gate, the resilience policies and the notifications.
//! Unknown keys and wrong types are errors naming the key, the file and the line: a typo in a
//! gate's configuration must never pass silently.

use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::yaml::{parse_yaml, read_text, ConfigError};

use super::thresholds::ThresholdsSection;
use crate::format::Format;
use crate::glob::Glob;
use crate::notify::Notifications;
use crate::plan::PlanReader;
use crate::registry::custom;
use crate::resilience::{BreakerConfig, ResilienceConfig};
use crate::rules::{
    AccountId, ClassificationsSection, CustomRules, CustomSections, RuleSettings, UnjudgedPolicy, Waiver,
};
use crate::scan::GateConfig;

/// The configuration file, every section typed by the subsystem that reads it. Every key is
/// optional.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct Config {
    /// The report's format when `-f` does not say.
    pub output_format: Option<Format>,
    /// Whether the text report shows notices and drift (default true).
    pub verbose: Option<bool>,
    /// Any high-risk change fails the gate.
    pub fail_on_high_risk: Option<bool>,
    /// How many critical and high-risk changes pass.
    pub thresholds: Option<ThresholdsSection>,
    /// The critical and high-risk resource classes.
    pub resource_classifications: Option<ClassificationsSection>,
    /// Rules turned off or given another severity.
    pub rules: Option<RuleSettings>,
    /// Accepted risks.
    pub waivers: Option<Vec<Waiver>>,
    /// The AWS accounts resource policies may admit (PG-RP-003).
    pub trusted_accounts: Option<Vec<AccountId>>,
    /// The types whose replacement is a routine deploy (PG-DEL-005), as type globs.
    pub routine: Option<Vec<Glob>>,
    /// What a change no rule judges is: `list` (the default) or `high` (PG-READ-003).
    pub unjudged: Option<UnjudgedPolicy>,
    /// Where `plangate notify` posts.
    pub notifications: Option<Notifications>,
    /// The run-task server's settings (HCP Terraform, Terraform Enterprise).
    pub run_task: Option<crate::run_task::RunTaskConfig>,
    /// Retry and auto-heal policies of pipeline steps.
    pub resilience: Option<ResilienceConfig>,
    /// The circuit breaker of `plangate breaker`.
    pub circuit_breaker: Option<BreakerConfig>,
    /// The gate of `plangate scan`.
    pub scan: Option<GateConfig>,
    /// How binary plan files are read: `auto` (the default), `native` or `terraform`.
    pub plan_reader: Option<PlanReader>,
    /// Schema tables (made with `scripts/schema-table`) for provider versions plangate does not
    /// embed; relative paths are relative to the configuration file.
    pub schema_tables: Option<Vec<PathBuf>>,
    /// Your own rules, as CEL conditions over each change (compiled into `custom`).
    #[serde(default, rename = "custom_rules")]
    #[allow(dead_code, reason = "read (and checked) before the rest of the file, into `custom`")]
    custom_rules: Option<serde::de::IgnoredAny>,
    /// Your own Rego policies, conftest-compatible (loaded into `custom`).
    #[serde(default, rename = "policies")]
    #[allow(dead_code, reason = "read (and checked) before the rest of the file, into `custom`")]
    policies: Option<serde::de::IgnoredAny>,
    /// The users' own rules the two sections above declare, compiled.
    #[serde(skip)]
    pub custom: CustomRules,
}

impl Config {
    /// Parses YAML text; `origin` names it in errors (a file path, or a preset).
    ///
    /// # Errors
    /// [`ConfigError::Invalid`] with the key, line and column at fault.
    pub fn from_yaml(text: &str, origin: &str) -> Result<Config, ConfigError> {
        // The users' own rules first: the rest of the file may name them (`rules:`, `waivers:`).
        let sections: CustomSections = parse_yaml(text, origin)?.unwrap_or_default();
        let base = Path::new(origin).parent().filter(|_| !origin.starts_with("preset "));
        let custom = CustomRules::load(sections, origin, base).map_err(|e| ConfigError::Invalid {
            origin: e.file,
            key: None,
            line: e.line,
            column: e.column,
            message: e.message,
        })?;
        let (rules, mentioned) = custom.nameable();
        let config: Option<Config> = custom::with_scope(rules, mentioned, || parse_yaml(text, origin))?;
        Ok(Config { custom, ..config.unwrap_or_default() })
    }

    /// Reads and parses a configuration file.
    ///
    /// # Errors
    /// [`ConfigError::Io`] when the file cannot be read, else as [`Config::from_yaml`].
    pub fn from_file(path: impl AsRef<Path>) -> Result<Config, ConfigError> {
        let (text, origin) = read_text(path.as_ref())?;
        Config::from_yaml(&text, &origin)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn error(yaml: &str) -> ConfigError {
        Config::from_yaml(yaml, "gate.yaml").unwrap_err()
    }

    #[test]
    fn typos_name_the_key_and_line() {
        let err = error("verbose: true\nfail_on_hihg_risk: true\n");
        assert!(matches!(&err, ConfigError::Invalid { line: Some(2), .. }), "{err:?}");
        let text = err.to_string();
        assert!(text.contains("gate.yaml") && text.contains("fail_on_hihg_risk") && text.contains("line 2"), "{text}");
        let err = error("thresholds:\n  critical_changes: many\n");
        let ConfigError::Invalid { key, line, .. } = &err else { panic!("{err:?}") };
        assert_eq!((key.as_deref(), *line), (Some("thresholds.critical_changes"), Some(2)), "{err}");
        let err = error("thresholds:\n  high_risk_changes: lots\n").to_string();
        assert!(err.contains("\"unlimited\"") && err.contains("line 2"), "{err}");
        let err = error("output_format: xml\n").to_string();
        assert!(err.contains("xml") && err.contains("line 1"), "{err}");
        let err = error("fail_on_hihg_risk: true\n").to_string();
        assert!(err.contains("fail_on_hihg_risk") && err.contains("at line 1, column 1"), "{err}");
    }

    #[test]
    fn empty_documents_are_the_defaults() {
        assert!(Config::from_yaml("", "x").unwrap().thresholds.is_none());
        assert!(Config::from_yaml("# nothing yet\n\n", "x").unwrap().rules.is_none());
    }

    #[test]
    fn unknown_and_repeated_rule_ids_are_located() {
        let err = error("verbose: true\nrules:\n  PG-NOPE-001: {enabled: false}\n");
        let text = err.to_string();
        assert!(text.contains("PG-NOPE-001") && text.contains("line 3"), "{text}");
        let err = error("rules:\n  PG-DEL-001: {enabled: false}\n  pg-del-001: {severity: high}\n").to_string();
        assert!(err.contains("configured twice") && err.contains("line 3"), "{err}");
        let err = error("waivers:\n  - {address: x, rule: PG-NOPE-002, reason: r, expires: 2026-12-31}\n").to_string();
        assert!(err.contains("PG-NOPE-002") && err.contains("line 2"), "{err}");
    }
}

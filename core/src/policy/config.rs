//! The YAML configuration file, in the schema the existing pipelines already use. Unknown keys and
//! wrong types are errors naming the key, the file and the line: a typo in a gate's configuration
//! must never pass silently.

use std::fmt;

use serde::de::{self, Visitor};
use serde::{Deserialize, Deserializer};

use crate::glob::Glob;
use crate::report::Format;

/// A configuration that cannot be used.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ConfigError {
    #[error("cannot read configuration file {path}: {source}")]
    Io {
        path: String,
        #[source]
        source: std::io::Error,
    },
    #[error("invalid configuration {origin}: {message}")]
    Invalid { origin: String, message: String },
    #[error("unknown environment {name:?}: expected develop (or dev), staging, or production (or prod)")]
    UnknownEnvironment { name: String },
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConfigFile {
    pub output_format: Option<Format>,
    pub fail_on_high_risk: Option<bool>,
    pub verbose: Option<bool>,
    pub resource_classifications: Option<ClassificationsFile>,
    pub thresholds: Option<ThresholdsFile>,
    pub notifications: Option<Notifications>,
    pub rules: Option<std::collections::BTreeMap<String, super::rule_settings::RuleSetting>>,
    pub waivers: Option<Vec<super::waivers::Waiver>>,
    /// Read by `plangate retry`, `plangate run` and `plangate breaker`.
    pub resilience: Option<crate::resilience::ResilienceConfig>,
    pub circuit_breaker: Option<crate::resilience::BreakerConfig>,
    /// Read by `plangate scan`.
    pub scan: Option<crate::scan::GateConfig>,
}

impl ConfigFile {
    /// Reads a configuration file for its resilience sections.
    pub fn read(path: &str) -> Result<ConfigFile, ConfigError> {
        let text =
            std::fs::read_to_string(path).map_err(|source| ConfigError::Io { path: path.to_string(), source })?;
        ConfigFile::parse(&text, path)
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ClassificationsFile {
    pub critical: Option<Vec<Glob>>,
    pub high_risk: Option<Vec<Glob>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ThresholdsFile {
    pub critical_changes: Option<u32>,
    pub high_risk_changes: Option<Allowance>,
}

/// How many high-risk changes may pass.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Allowance {
    AtMost(u32),
    Unlimited,
}

impl<'de> Deserialize<'de> for Allowance {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct AllowanceVisitor;
        impl Visitor<'_> for AllowanceVisitor {
            type Value = Allowance;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a whole number (0 or more) or \"unlimited\"")
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Allowance, E> {
                u32::try_from(v)
                    .map(Allowance::AtMost)
                    .map_err(|_| E::invalid_value(de::Unexpected::Unsigned(v), &self))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Allowance, E> {
                u64::try_from(v)
                    .map_err(|_| E::invalid_value(de::Unexpected::Signed(v), &self))
                    .and_then(|v| self.visit_u64(v))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Allowance, E> {
                match v {
                    "unlimited" => Ok(Allowance::Unlimited),
                    _ => Err(E::invalid_value(de::Unexpected::Str(v), &self)),
                }
            }
        }
        d.deserialize_any(AllowanceVisitor)
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct Notifications {
    pub slack: Option<SlackNotification>,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct SlackNotification {
    #[serde(default)]
    pub enabled: bool,
    pub channel: Option<String>,
}

impl ConfigFile {
    /// Parses YAML text; `origin` names it in errors (a file path, or a preset).
    pub fn parse(text: &str, origin: &str) -> Result<ConfigFile, ConfigError> {
        if text.trim().is_empty() {
            return Ok(ConfigFile::default());
        }
        serde_yaml_ng::from_str(text)
            .map_err(|e| ConfigError::Invalid { origin: origin.to_string(), message: located_message(&e) })
    }
}

/// serde_yaml_ng leaves the location out of its message at line 1, column 1; always say it.
pub(crate) fn located_message(e: &serde_yaml_ng::Error) -> String {
    let full = e.to_string();
    let message = full.rfind(" at line ").map_or(full.as_str(), |i| &full[..i]);
    match e.location() {
        Some(at) => format!("{message} (at line {}, column {})", at.line(), at.column()),
        None => message.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typos_name_the_key_and_line() {
        let err = ConfigFile::parse("verbose: true\nfail_on_hihg_risk: true\n", "gate.yaml").unwrap_err().to_string();
        assert!(err.contains("gate.yaml") && err.contains("fail_on_hihg_risk") && err.contains("line 2"), "{err}");
        let err = ConfigFile::parse("thresholds:\n  critical_changes: many\n", "gate.yaml").unwrap_err().to_string();
        assert!(err.contains("critical_changes") && err.contains("line 2"), "{err}");
        let err = ConfigFile::parse("thresholds:\n  high_risk_changes: lots\n", "gate.yaml").unwrap_err().to_string();
        assert!(err.contains("\"unlimited\"") && err.contains("line 2"), "{err}");
        let err = ConfigFile::parse("output_format: xml\n", "gate.yaml").unwrap_err().to_string();
        assert!(err.contains("xml") && err.contains("line 1"), "{err}");
        let err = ConfigFile::parse("fail_on_hihg_risk: true\n", "gate.yaml").unwrap_err().to_string();
        assert!(err.contains("fail_on_hihg_risk") && err.contains("at line 1, column 1"), "{err}");
    }

    #[test]
    fn allowance_takes_numbers_and_unlimited() {
        let file = ConfigFile::parse("thresholds: {high_risk_changes: 3}", "x").unwrap();
        assert_eq!(file.thresholds.unwrap().high_risk_changes, Some(Allowance::AtMost(3)));
        let file = ConfigFile::parse("thresholds: {high_risk_changes: unlimited}", "x").unwrap();
        assert_eq!(file.thresholds.unwrap().high_risk_changes, Some(Allowance::Unlimited));
        assert!(ConfigFile::parse("thresholds: {high_risk_changes: -1}", "x").is_err());
    }
}

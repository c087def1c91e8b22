//! Per-rule settings from the configuration's `rules:` section: turn a rule off, or change its
//! severity (`rules: {PG-DATA-001: {severity: critical}, PG-CLS-001: {enabled: false}}`).

use std::collections::BTreeMap;

use serde::Deserialize;

use crate::report::Severity;
use crate::rules::Rule;

#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleSetting {
    pub enabled: Option<bool>,
    pub severity: Option<Severity>,
}

/// Settings by rule id (ids checked against the registry when the configuration is read).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RuleSettings(BTreeMap<&'static str, RuleSetting>);

impl RuleSettings {
    pub fn new(settings: BTreeMap<&'static str, RuleSetting>) -> RuleSettings {
        RuleSettings(settings)
    }

    /// The severity the rule reports with, or `None` when it is turned off.
    pub fn severity_of(&self, rule: &Rule) -> Option<Severity> {
        match self.0.get(rule.id) {
            Some(RuleSetting { enabled: Some(false), .. }) => None,
            Some(RuleSetting { severity: Some(severity), .. }) => Some(*severity),
            _ => Some(rule.severity),
        }
    }
}

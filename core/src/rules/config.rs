//! The rules' part of the configuration: which resource classes are critical or high-risk
//! (`resource_classifications`), per-rule settings (`rules`) and accepted risks (`waivers`). Rule
//! ids are checked against the registry while the YAML is read, so an unknown or repeated id is an
//! error at its own line.

use std::collections::BTreeMap;
use std::fmt;

use serde::de::{self, MapAccess, Visitor};
use serde::{Deserialize, Deserializer};

use crate::date::Date;
use crate::glob::Glob;
use crate::registry::{self, Rule, Severity};
use crate::report::{Finding, Waived};

use super::custom::CustomRules;

/// Resource classes by type glob.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Classes {
    /// Deleting or replacing one of these is critical (PG-DEL-001).
    pub critical: Vec<Glob>,
    /// Creating or changing one of these deserves a reviewer (PG-CLS-001).
    pub high_risk: Vec<Glob>,
}

impl Classes {
    /// Whether the type matches a critical class.
    pub fn is_critical(&self, resource_type: &str) -> bool {
        self.critical.iter().any(|g| g.matches(resource_type))
    }

    /// Whether the type matches a high-risk class.
    pub fn is_high_risk(&self, resource_type: &str) -> bool {
        self.high_risk.iter().any(|g| g.matches(resource_type))
    }
}

/// The `resource_classifications` section: a list that is not set keeps its default.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct ClassificationsSection {
    /// Type globs of the critical classes.
    pub critical: Option<Vec<Glob>>,
    /// Type globs of the high-risk classes.
    pub high_risk: Option<Vec<Glob>>,
}

impl ClassificationsSection {
    /// The classes, each list taken from `defaults` when the section does not set it.
    pub fn over(self, defaults: &Classes) -> Classes {
        Classes {
            critical: self.critical.unwrap_or_else(|| defaults.critical.clone()),
            high_risk: self.high_risk.unwrap_or_else(|| defaults.high_risk.clone()),
        }
    }
}

/// One entry of the `rules:` section: turn a rule off, or change its severity.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct RuleSetting {
    /// `false` turns the rule off.
    pub enabled: Option<bool>,
    /// The severity the rule reports with.
    pub severity: Option<Severity>,
}

/// The `rules:` section, by rule id.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RuleSettings(BTreeMap<&'static str, RuleSetting>);

impl RuleSettings {
    /// The severity the rule reports with, or `None` when it is turned off.
    pub fn severity_of(&self, rule: &Rule) -> Option<Severity> {
        self.severity_or(rule, rule.severity)
    }

    /// The same for a finding whose own severity is `default` (a Rego message may say it).
    pub fn severity_or(&self, rule: &Rule, default: Severity) -> Option<Severity> {
        match self.0.get(rule.id) {
            Some(RuleSetting { enabled: Some(false), .. }) => None,
            Some(RuleSetting { severity: Some(severity), .. }) => Some(*severity),
            _ => Some(default),
        }
    }
}

impl<'de> Deserialize<'de> for RuleSettings {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<RuleSettings, D::Error> {
        struct SettingsVisitor;
        impl<'de> Visitor<'de> for SettingsVisitor {
            type Value = RuleSettings;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a map from rule id to {enabled, severity}")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<RuleSettings, A::Error> {
                let mut settings = BTreeMap::new();
                while let Some(rule) = map.next_key_seed(NewRuleId(&settings))? {
                    let setting: RuleSetting = map.next_value()?;
                    // Plan-wide notices are not tied to one change, so they could never count.
                    if rule.plan_wide && setting.severity.is_some_and(|s| s != rule.severity) {
                        return Err(de::Error::custom(format_args!(
                            "{} is a plan-wide notice; its severity cannot change (it can be turned off with enabled: false)",
                            rule.id
                        )));
                    }
                    settings.insert(rule.id, setting);
                }
                Ok(RuleSettings(settings))
            }
        }
        d.deserialize_map(SettingsVisitor)
    }
}

/// A rule id not yet configured: read as a key, so that an error points at the key's own line.
struct NewRuleId<'s>(&'s BTreeMap<&'static str, RuleSetting>);

impl<'de> de::DeserializeSeed<'de> for NewRuleId<'_> {
    type Value = &'static Rule;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<&'static Rule, D::Error> {
        d.deserialize_str(RuleIdVisitor { configured: Some(self.0) })
    }
}

/// Checks a rule id while the deserializer is at it, so the YAML location is the id's own.
struct RuleIdVisitor<'s> {
    /// Ids already configured, when a repeat is an error.
    configured: Option<&'s BTreeMap<&'static str, RuleSetting>>,
}

impl Visitor<'_> for RuleIdVisitor<'_> {
    type Value = &'static Rule;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a rule id such as PG-DEL-001")
    }
    fn visit_str<E: de::Error>(self, id: &str) -> Result<&'static Rule, E> {
        let rule = registry::custom::find_in_scope(id).ok_or_else(|| {
            E::custom(format_args!(
                "unknown rule id `{id}`: neither a built-in rule (`plangate rules` lists them) nor one the configuration declares"
            ))
        })?;
        if self.configured.is_some_and(|c| c.contains_key(rule.id)) {
            return Err(E::custom(format_args!("{} is configured twice under `rules:`; say it once", rule.id)));
        }
        Ok(rule)
    }
}

/// Which rules a waiver covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WaiverRule {
    /// `*`: every rule.
    Any,
    /// One rule.
    Rule(&'static Rule),
}

impl WaiverRule {
    /// `*` or the rule id.
    pub fn as_str(self) -> &'static str {
        match self {
            WaiverRule::Any => "*",
            WaiverRule::Rule(rule) => rule.id,
        }
    }
}

impl<'de> Deserialize<'de> for WaiverRule {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<WaiverRule, D::Error> {
        struct WaiverRuleVisitor;
        impl Visitor<'_> for WaiverRuleVisitor {
            type Value = WaiverRule;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a rule id such as PG-DEL-001, or *")
            }
            fn visit_str<E: de::Error>(self, id: &str) -> Result<WaiverRule, E> {
                if id == "*" {
                    return Ok(WaiverRule::Any);
                }
                RuleIdVisitor { configured: None }.visit_str(id).map(WaiverRule::Rule)
            }
        }
        d.deserialize_str(WaiverRuleVisitor)
    }
}

/// An accepted risk: for an address glob and a rule, with a reason and an expiry date. A waived
/// finding stays in the report, marked, and does not count; a waiver past its date no longer
/// applies and is itself reported (PG-WVR-001).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct Waiver {
    /// Glob over addresses; `[` and `]` match themselves.
    pub address: Glob,
    /// A rule id, or `*` for every rule.
    pub rule: WaiverRule,
    /// Why the risk is accepted.
    #[serde(deserialize_with = "non_empty")]
    pub reason: String,
    /// In force through this date (UTC).
    pub expires: Date,
}

fn non_empty<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    let text = String::deserialize(d)?;
    if text.trim().is_empty() {
        return Err(de::Error::custom("a waiver needs a reason: say why the risk is accepted"));
    }
    Ok(text)
}

impl Waiver {
    /// Whether the waiver is still in force on `today`.
    pub fn in_force(&self, today: Date) -> bool {
        self.expires >= today
    }

    fn covers(&self, finding: &Finding) -> bool {
        let rule = match self.rule {
            WaiverRule::Any => true,
            WaiverRule::Rule(rule) => rule.id == finding.rule,
        };
        rule && self.address.matches(&finding.address)
    }
}

/// What the rules read from the configuration.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct RuleConfig {
    /// The critical and high-risk resource classes.
    pub classes: Classes,
    /// Rules turned off or given another severity.
    pub settings: RuleSettings,
    /// Accepted risks.
    pub waivers: Vec<Waiver>,
    /// The AWS accounts a resource policy may admit without a finding (PG-RP-003); `None` means
    /// the accounts that appear in the plan's own resource ARNs.
    pub trusted_accounts: Option<Vec<String>>,
    /// The types whose replacement is how they are deployed (PG-DEL-005); `None` means
    /// `ROUTINE_TYPES`.
    pub routine: Option<Vec<Glob>>,
    /// What a change no rule judges is (`unjudged:`).
    pub unjudged: UnjudgedPolicy,
    /// The users' own rules (`custom_rules:`, `policies:`).
    pub custom: CustomRules,
}

/// What a change no rule judges is: counted in the report's `plan.unjudged` only (`list`, the
/// default), or a high-risk finding of its own (`high`, PG-READ-003).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum UnjudgedPolicy {
    /// Listed, by provider, in every report.
    #[default]
    List,
    /// Each such change is PG-READ-003 (high), unless its provider is known to be harmless.
    High,
}

/// The types replaced by design on a release, unless `routine:` says otherwise.
pub const ROUTINE_TYPES: &[&str] = &[
    "aws_ecs_task_definition",
    "aws_lambda_layer_version",
    "aws_api_gateway_deployment",
    "aws_sagemaker_model",
    "aws_sagemaker_endpoint_configuration",
    "aws_elastic_beanstalk_application_version",
    "terraform_data",
    "null_resource",
    "random_*",
    "time_*",
];

impl RuleConfig {
    /// A configuration of the rules.
    pub fn new(classes: Classes, settings: RuleSettings, waivers: Vec<Waiver>) -> RuleConfig {
        RuleConfig {
            classes,
            settings,
            waivers,
            trusted_accounts: None,
            routine: None,
            unjudged: UnjudgedPolicy::List,
            custom: CustomRules::default(),
        }
    }

    /// The same, with the users' own rules.
    pub fn custom(mut self, custom: CustomRules) -> RuleConfig {
        self.custom = custom;
        self
    }

    /// The same, with the types whose replacement is routine (`None`: `ROUTINE_TYPES`).
    pub fn routine(mut self, types: Option<Vec<Glob>>) -> RuleConfig {
        self.routine = types;
        self
    }

    /// The same, with what a change no rule judges is.
    pub fn unjudged(mut self, policy: Option<UnjudgedPolicy>) -> RuleConfig {
        self.unjudged = policy.unwrap_or_default();
        self
    }

    /// Whether replacing a resource of this type is how it is deployed.
    pub fn is_routine(&self, resource_type: &str) -> bool {
        match &self.routine {
            Some(globs) => globs.iter().any(|g| g.matches(resource_type)),
            None => ROUTINE_TYPES.iter().any(|t| Glob::new(*t).matches(resource_type)),
        }
    }

    /// The same, with the accounts resource policies may admit.
    pub fn trusting(mut self, accounts: Option<Vec<AccountId>>) -> RuleConfig {
        self.trusted_accounts = accounts.map(|a| a.into_iter().map(|AccountId(id)| id).collect());
        self
    }

    /// Marks the finding waived when a waiver in force on `today` covers it.
    pub fn apply_waivers(&self, finding: &mut Finding, today: Date) {
        let covering = self.waivers.iter().find(|w| w.in_force(today) && w.covers(finding));
        if let Some(waiver) = covering {
            finding.waived = Some(Waived { reason: waiver.reason.clone(), expires: waiver.expires });
        }
    }

    /// Waivers past their expiry date on `today`.
    pub fn expired_waivers(&self, today: Date) -> impl Iterator<Item = &Waiver> {
        self.waivers.iter().filter(move |w| !w.in_force(today))
    }
}

/// A 12-digit AWS account id, as `trusted_accounts:` lists them: a string, or a number YAML read
/// from an unquoted id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccountId(String);

impl<'de> Deserialize<'de> for AccountId {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<AccountId, D::Error> {
        struct AccountVisitor;
        impl Visitor<'_> for AccountVisitor {
            type Value = AccountId;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a 12-digit AWS account id")
            }
            fn visit_u64<E: de::Error>(self, n: u64) -> Result<AccountId, E> {
                if n < 1_000_000_000_000 {
                    Ok(AccountId(format!("{n:012}")))
                } else {
                    Err(E::invalid_value(de::Unexpected::Unsigned(n), &self))
                }
            }
            fn visit_i64<E: de::Error>(self, n: i64) -> Result<AccountId, E> {
                u64::try_from(n)
                    .map_err(|_| E::invalid_value(de::Unexpected::Signed(n), &self))
                    .and_then(|n| self.visit_u64(n))
            }
            fn visit_str<E: de::Error>(self, s: &str) -> Result<AccountId, E> {
                if s.len() == 12 && s.bytes().all(|b| b.is_ascii_digit()) {
                    Ok(AccountId(s.to_string()))
                } else {
                    Err(E::invalid_value(de::Unexpected::Str(s), &self))
                }
            }
        }
        deserializer.deserialize_any(AccountVisitor)
    }
}

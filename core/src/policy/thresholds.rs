//! How many critical and high-risk changes may pass: the verdict's part of the configuration
//! (`thresholds`, `fail_on_high_risk`).

use std::fmt;

use serde::de::{self, Visitor};
use serde::{Deserialize, Deserializer};

/// How many high-risk changes may pass.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Allowance {
    /// At most this many.
    AtMost(u32),
    /// Any number: high-risk changes never fail the gate.
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

/// The `thresholds` section.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct ThresholdsSection {
    /// Exit 1 above this many critical changes.
    pub critical_changes: Option<u32>,
    /// Exit 2 above this many high-risk changes.
    pub high_risk_changes: Option<Allowance>,
}

/// The limits the verdict applies.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct Thresholds {
    /// How many critical changes pass (default 0).
    pub critical_changes: u32,
    /// Any high-risk change fails, whatever `high_risk_changes` says.
    pub fail_on_high_risk: bool,
    /// How many high-risk changes pass; unset means none.
    pub high_risk_changes: Option<Allowance>,
}

impl Thresholds {
    /// Limits from the configuration's keys.
    pub fn new(section: ThresholdsSection, fail_on_high_risk: bool) -> Thresholds {
        Thresholds {
            critical_changes: section.critical_changes.unwrap_or(0),
            fail_on_high_risk,
            high_risk_changes: section.high_risk_changes,
        }
    }

    /// How many high-risk changes pass: none with `fail_on_high_risk`; else the configured
    /// threshold; else none, so that a gate fails closed when nothing says otherwise.
    pub fn high_risk_allowance(&self) -> Allowance {
        if self.fail_on_high_risk {
            Allowance::AtMost(0)
        } else {
            self.high_risk_changes.unwrap_or(Allowance::AtMost(0))
        }
    }
}

//! Waivers from the configuration's `waivers:` section: an accepted risk, for an address glob and
//! a rule id (or `*`), with a required reason and expiry date. A waived finding stays in the report,
//! marked, and does not count; an expired waiver no longer applies and is itself reported.

use serde::{Deserialize, Deserializer, Serialize};

use super::date::Date;
use crate::glob::Glob;
use crate::report::Finding;

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Waiver {
    /// Glob over addresses; `[` and `]` match themselves.
    pub address: Glob,
    /// A rule id, or `*` for every rule.
    pub rule: String,
    #[serde(deserialize_with = "non_empty")]
    pub reason: String,
    pub expires: Date,
}

/// How a finding was waived, as the report shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Waived {
    pub reason: String,
    pub expires: Date,
}

fn non_empty<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    let text = String::deserialize(d)?;
    if text.trim().is_empty() {
        return Err(serde::de::Error::custom("a waiver needs a reason: say why the risk is accepted"));
    }
    Ok(text)
}

/// The waivers of a policy, with the date that decides which have expired.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Waivers {
    list: Vec<Waiver>,
    today: Date,
}

impl Waivers {
    pub fn new(list: Vec<Waiver>, today: Date) -> Waivers {
        Waivers { list, today }
    }

    pub fn today(&self) -> Date {
        self.today
    }

    /// A waiver is in force through its expiry date.
    fn in_force(&self, waiver: &Waiver) -> bool {
        waiver.expires >= self.today
    }

    /// Marks the finding waived when a waiver in force covers it.
    pub fn apply(&self, finding: &mut Finding) {
        let covering = self.list.iter().filter(|w| self.in_force(w)).find(|w| {
            (w.rule == "*" || w.rule.eq_ignore_ascii_case(finding.rule)) && w.address.matches(&finding.address)
        });
        if let Some(waiver) = covering {
            finding.waived = Some(Waived { reason: waiver.reason.clone(), expires: waiver.expires });
        }
    }

    /// Waivers past their expiry date.
    pub fn expired(&self) -> impl Iterator<Item = &Waiver> {
        self.list.iter().filter(|w| !self.in_force(w))
    }

    pub fn iter(&self) -> impl Iterator<Item = &Waiver> {
        self.list.iter()
    }
}

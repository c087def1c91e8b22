//! Suppressions: accepted scanner findings, each with a reason and an expiry date, read from a YAML
//! file (`suppressions: [...]`). An expired suppression stops applying and is reported.

use std::path::Path;

use serde::Deserialize;

use super::ScanFinding;
use crate::date::Date;
use crate::glob::Glob;
use crate::yaml::{parse_yaml, read_text, ConfigError};

/// One accepted finding (or family of findings).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Suppression {
    /// A rule id, or `*`.
    pub rule: String,
    /// Glob over the finding's location (default: everywhere).
    pub location: Option<Glob>,
    /// A finding's fingerprint, for one finding exactly.
    pub fingerprint: Option<String>,
    /// Why the finding is accepted.
    #[serde(deserialize_with = "non_empty")]
    pub reason: String,
    /// In force through this date (UTC).
    pub expires: Date,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SuppressionsFile {
    suppressions: Vec<Suppression>,
}

fn non_empty<'de, D: serde::Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    let text = String::deserialize(d)?;
    if text.trim().is_empty() {
        return Err(serde::de::Error::custom("a suppression needs a reason: say why the finding is accepted"));
    }
    Ok(text)
}

impl Suppression {
    /// Parses a suppressions file's YAML; `origin` names it in errors.
    ///
    /// # Errors
    /// [`ConfigError::Invalid`] naming the key, line and column at fault.
    pub fn list_from_yaml(text: &str, origin: &str) -> Result<Vec<Suppression>, ConfigError> {
        Ok(parse_yaml::<SuppressionsFile>(text, origin)?.map(|f| f.suppressions).unwrap_or_default())
    }

    /// Reads a suppressions file.
    ///
    /// # Errors
    /// [`ConfigError::Io`] when it cannot be read, else as [`Suppression::list_from_yaml`].
    pub fn list_from_file(path: impl AsRef<Path>) -> Result<Vec<Suppression>, ConfigError> {
        let (text, origin) = read_text(path.as_ref())?;
        Suppression::list_from_yaml(&text, &origin)
    }

    /// Whether it is in force on `today`.
    pub fn in_force(&self, today: Date) -> bool {
        self.expires >= today
    }

    pub(crate) fn covers(&self, finding: &ScanFinding) -> bool {
        (self.rule == "*" || self.rule == finding.rule)
            && self.location.as_ref().is_none_or(|g| g.matches(&finding.location))
            && self.fingerprint.as_ref().is_none_or(|f| *f == finding.fingerprint)
    }
}

//! A baseline: the findings of an earlier `plangate scan -f json` result, accepted as they were, so
//! that only new findings fail the gate. Suppressed findings are not part of it: a finding hidden
//! by a suppression when the baseline was written must count again once that suppression expires.

use std::collections::HashSet;
use std::path::Path;

use super::{ScanError, ScanOutcome};
use crate::limits::{Bound, Limits};

/// Fingerprints of accepted findings.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Baseline(HashSet<String>);

impl Baseline {
    /// The active findings of an earlier outcome.
    pub fn from_outcome(outcome: &ScanOutcome) -> Baseline {
        Baseline(outcome.findings.iter().filter(|f| f.suppressed.is_none()).map(|f| f.fingerprint.clone()).collect())
    }

    /// Accepts exactly these fingerprints.
    pub fn from_fingerprints(fingerprints: impl IntoIterator<Item = String>) -> Baseline {
        Baseline(fingerprints.into_iter().collect())
    }

    /// Reads an earlier `plangate scan -f json` result; `origin` names it in errors.
    ///
    /// # Errors
    /// [`ScanError::Baseline`] when the text is not such a result.
    pub fn from_json(text: &str, origin: &str) -> Result<Baseline, ScanError> {
        let outcome: ScanOutcome = serde_json::from_str(text)
            .map_err(|e| ScanError::Baseline { file: origin.to_string(), message: e.to_string() })?;
        Ok(Baseline::from_outcome(&outcome))
    }

    /// Reads a baseline file.
    ///
    /// # Errors
    /// [`ScanError::Baseline`] when it cannot be read or is not a result.
    pub fn from_file(path: impl AsRef<Path>) -> Result<Baseline, ScanError> {
        let origin = path.as_ref().display().to_string();
        let text = Limits::from_env()
            .unwrap_or_default()
            .read_text(path.as_ref(), Bound::ReportBytes)
            .map_err(|e| ScanError::Baseline { file: origin.clone(), message: format!("cannot read it: {e}") })?;
        Baseline::from_json(&text, &origin)
    }

    /// Whether a finding with this fingerprint was accepted.
    pub fn contains(&self, fingerprint: &str) -> bool {
        self.0.contains(fingerprint)
    }

    /// How many findings it holds.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether it holds none.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

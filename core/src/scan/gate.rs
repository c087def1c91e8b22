//! The gate over one or more reports: findings deduplicated by fingerprint across reports,
//! suppressions (each with a reason and an expiry; expired ones stop applying and are reported),
//! a baseline so that only new findings fail, per-severity maximum counts, `fail_on`, the scanners'
//! own verdicts, and the score.

use std::collections::{BTreeMap, HashSet};

use serde::{Deserialize, Serialize};

use super::{ScanFinding, ScanReport, ScanSeverity};
use crate::glob::Glob;
use crate::policy::Date;

/// The version of the score formula, reported with every score.
pub const SCORE_VERSION: u32 = 1;

/// Score v1: `100 - [min(25·critical, 100) + min(10·high, 60) + min(3·medium, 30) + min(1·low, 10)]`,
/// never below 0. One critical finding gives 75, under the pipelines' `security_scan_score < 80`
/// alert.
pub fn score(critical: u64, high: u64, medium: u64, low: u64) -> u32 {
    let penalty = (25 * critical).min(100) + (10 * high).min(60) + (3 * medium).min(30) + low.min(10);
    100u64.saturating_sub(penalty) as u32
}

/// The `scan:` section of the configuration.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GateConfig {
    /// Fail on any finding of this severity or worse (default: critical).
    pub fail_on: Option<ScanSeverity>,
    /// Per-severity maximum counts of new findings.
    #[serde(default)]
    pub max: BTreeMap<ScanSeverity, u64>,
    /// What a finding without a known severity counts as (default: high, so it is never ignored).
    pub unknown_severity_as: Option<ScanSeverity>,
}

/// One entry of a suppressions file.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Suppression {
    /// A rule id, or `*`.
    pub rule: String,
    /// Glob over the finding's location (default: everywhere).
    pub location: Option<Glob>,
    /// A finding's fingerprint, for one finding exactly.
    pub fingerprint: Option<String>,
    pub reason: String,
    pub expires: Date,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SuppressionsFile {
    pub suppressions: Vec<Suppression>,
}

impl Suppression {
    fn covers(&self, finding: &ScanFinding) -> bool {
        (self.rule == "*" || self.rule == finding.rule)
            && self.location.as_ref().is_none_or(|g| g.matches(&finding.location))
            && self.fingerprint.as_ref().is_none_or(|f| *f == finding.fingerprint)
    }
}

/// What a file of suppressions is missing, before it is used.
pub fn check_suppressions(list: &[Suppression]) -> Result<(), String> {
    for (i, s) in list.iter().enumerate() {
        if s.reason.trim().is_empty() {
            return Err(format!("suppressions[{i}] needs a reason"));
        }
    }
    Ok(())
}

/// Counts by effective severity.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    pub critical: u64,
    pub high: u64,
    pub medium: u64,
    pub low: u64,
    pub info: u64,
    pub unknown: u64,
}

impl Counts {
    fn add(&mut self, severity: ScanSeverity) {
        *self.slot(severity) += 1;
    }
    fn slot(&mut self, severity: ScanSeverity) -> &mut u64 {
        match severity {
            ScanSeverity::Critical => &mut self.critical,
            ScanSeverity::High => &mut self.high,
            ScanSeverity::Medium => &mut self.medium,
            ScanSeverity::Low => &mut self.low,
            ScanSeverity::Info => &mut self.info,
            ScanSeverity::Unknown => &mut self.unknown,
        }
    }
    pub fn get(&self, severity: ScanSeverity) -> u64 {
        match severity {
            ScanSeverity::Critical => self.critical,
            ScanSeverity::High => self.high,
            ScanSeverity::Medium => self.medium,
            ScanSeverity::Low => self.low,
            ScanSeverity::Info => self.info,
            ScanSeverity::Unknown => self.unknown,
        }
    }
}

/// The gate's decision over all reports.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GateOutcome {
    pub passed: bool,
    /// 0 pass, 1 the gate failed.
    pub exit_code: u8,
    /// Why it failed (empty when it passed).
    pub reasons: Vec<String>,
    /// Active (not suppressed) findings by effective severity.
    pub counts: Counts,
    /// Active findings not in the baseline, by effective severity: what the gate judges.
    pub new_counts: Counts,
    pub score: u32,
    pub score_version: u32,
    pub duplicates_removed: usize,
    /// Suppressions past their date: they no longer apply.
    pub expired_suppressions: Vec<String>,
    /// Every finding once, suppressed ones marked, with its effective severity.
    pub findings: Vec<ScanFinding>,
}

/// Judges the reports. `baseline` holds fingerprints of findings already accepted.
pub fn judge(
    reports: &[ScanReport],
    config: &GateConfig,
    suppressions: &[Suppression],
    baseline: &HashSet<String>,
    today: Date,
) -> GateOutcome {
    let unknown_as = config.unknown_severity_as.unwrap_or(ScanSeverity::High);
    let fail_on = config.fail_on.unwrap_or(ScanSeverity::Critical);
    let mut seen = HashSet::new();
    let mut duplicates_removed = 0;
    let mut findings = Vec::new();
    for report in reports {
        for finding in &report.findings {
            if !seen.insert(finding.fingerprint.clone()) {
                duplicates_removed += 1;
                continue;
            }
            let mut finding = finding.clone();
            if finding.severity == ScanSeverity::Unknown {
                finding.severity = unknown_as;
            }
            if finding.suppressed.is_none() {
                if let Some(s) = suppressions.iter().find(|s| s.expires >= today && s.covers(&finding)) {
                    finding.suppressed = Some(format!("suppressed until {}: {}", s.expires, s.reason));
                }
            }
            findings.push(finding);
        }
    }
    findings.sort_by(|a, b| {
        b.severity.cmp(&a.severity).then_with(|| a.file.cmp(&b.file)).then_with(|| a.location.cmp(&b.location))
    });

    let (mut counts, mut new_counts) = (Counts::default(), Counts::default());
    for finding in findings.iter().filter(|f| f.suppressed.is_none()) {
        counts.add(finding.severity);
        if !baseline.contains(&finding.fingerprint) {
            new_counts.add(finding.severity);
        }
    }

    let mut reasons = Vec::new();
    for report in reports {
        if let Some(verdict) = report.verdict.as_ref().filter(|v| !v.passed) {
            reasons.push(format!("{}: {}", report.file, verdict.detail));
        }
    }
    let at_or_above: u64 = ScanSeverity::ALL
        .iter()
        .filter(|s| **s >= fail_on && **s != ScanSeverity::Unknown)
        .map(|s| new_counts.get(*s))
        .sum();
    if at_or_above > 0 {
        reasons.push(format!(
            "{at_or_above} new finding{} of severity {} or worse",
            if at_or_above == 1 { "" } else { "s" },
            fail_on.as_str()
        ));
    }
    for (severity, max) in &config.max {
        let found = new_counts.get(*severity);
        if found > *max {
            reasons.push(format!("{found} new {} findings (allowed: {max})", severity.as_str()));
        }
    }
    let expired_suppressions = suppressions
        .iter()
        .filter(|s| s.expires < today)
        .map(|s| format!("suppression of {} expired on {}: {}", s.rule, s.expires, s.reason))
        .collect();
    let passed = reasons.is_empty();
    GateOutcome {
        passed,
        exit_code: if passed { 0 } else { 1 },
        reasons,
        score: score(counts.critical, counts.high, counts.medium, counts.low),
        score_version: SCORE_VERSION,
        counts,
        new_counts,
        duplicates_removed,
        expired_suppressions,
        findings,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn score_bands() {
        assert_eq!(score(0, 0, 0, 0), 100);
        assert_eq!(score(1, 0, 0, 0), 75);
        assert_eq!(score(5, 10, 20, 30), 0);
        assert_eq!(score(0, 2, 3, 4), 100 - 20 - 9 - 4);
        assert_eq!(score(0, 0, 0, 1000), 90);
    }
}

//! The gate over one or more reports: findings deduplicated by fingerprint across reports (the
//! worst severity seen is kept, whatever the order of the files), suppressions (each with a reason
//! and an expiry; expired ones stop applying and are reported), a baseline so that only new
//! findings fail, per-severity maximum counts, `fail_on`, the scanners' own verdicts, and the score.

use std::collections::{BTreeMap, HashMap};

use serde::{Deserialize, Serialize};

use super::{Baseline, ScanFinding, ScanReport, ScanSeverity, ScannerVerdict, Suppression};
use crate::date::Date;

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
// Not `non_exhaustive`: hosts build it from their own settings (`..Default::default()`).
pub struct GateConfig {
    /// Fail on any finding of this severity or worse (default: critical).
    pub fail_on: Option<ScanSeverity>,
    /// Per-severity maximum counts of new findings.
    #[serde(default)]
    pub max: BTreeMap<ScanSeverity, u64>,
    /// What a finding without a known severity counts as (default: high, so it is never ignored).
    pub unknown_severity_as: Option<ScanSeverity>,
}

/// Counts by effective severity.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[non_exhaustive]
#[allow(missing_docs)] // One counter per severity, named after it.
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
    /// The count of one severity.
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

/// One report as the outcome lists it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ReportSummary {
    /// How the report was named.
    pub file: String,
    /// The format it was read as.
    pub format: String,
    /// How many findings it holds (before deduplication across reports).
    pub findings: usize,
    /// The scanner's own verdict, when it gives one.
    pub verdict: Option<ScannerVerdict>,
    /// `valid`: a report that could not be used fails the whole scan instead.
    pub status: String,
}

/// The version of the scan result's JSON layout.
pub const SCHEMA_VERSION: u32 = 1;

/// The gate's decision over all reports: what `plangate scan -f json` writes, and what a baseline
/// reads back.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ScanOutcome {
    /// The layout's version.
    pub schema_version: u32,
    /// Whether the gate passed.
    pub passed: bool,
    /// 0 pass, 1 the gate failed.
    pub exit_code: u8,
    /// Why it failed (empty when it passed).
    pub reasons: Vec<String>,
    /// Score v1 over the active findings (see [`score`]).
    pub score: u32,
    /// The score formula's version.
    pub score_version: u32,
    /// Active (not suppressed) findings by effective severity.
    pub counts: Counts,
    /// Active findings not in the baseline, by effective severity: what the gate judges.
    pub new_counts: Counts,
    /// Findings seen in more than one report, kept once.
    pub duplicates_removed: usize,
    /// Suppressions past their date: they no longer apply.
    pub expired_suppressions: Vec<String>,
    /// Every report read.
    pub reports: Vec<ReportSummary>,
    /// Every finding once, suppressed ones marked, with its effective severity; worst first.
    pub findings: Vec<ScanFinding>,
}

/// Judges the reports.
pub(crate) fn judge(
    reports: &[ScanReport],
    config: &GateConfig,
    suppressions: &[Suppression],
    baseline: &Baseline,
    today: Date,
) -> ScanOutcome {
    let unknown_as = config.unknown_severity_as.unwrap_or(ScanSeverity::High);
    let fail_on = config.fail_on.unwrap_or(ScanSeverity::Critical);
    let mut duplicates_removed = 0;
    let mut findings: Vec<ScanFinding> = Vec::new();
    let mut by_fingerprint: HashMap<String, usize> = HashMap::new();
    for finding in reports.iter().flat_map(|r| &r.findings) {
        let mut finding = finding.clone();
        if finding.severity == ScanSeverity::Unknown {
            finding.severity = unknown_as;
        }
        match by_fingerprint.get(&finding.fingerprint) {
            Some(&kept) => {
                duplicates_removed += 1;
                // The same problem seen twice is as bad as the worse sighting, whichever came first.
                if finding.severity > findings[kept].severity {
                    findings[kept] = finding;
                }
            }
            None => {
                by_fingerprint.insert(finding.fingerprint.clone(), findings.len());
                findings.push(finding);
            }
        }
    }
    for finding in findings.iter_mut().filter(|f| f.suppressed.is_none()) {
        if let Some(s) = suppressions.iter().find(|s| s.in_force(today) && s.covers(finding)) {
            finding.suppressed = Some(format!("suppressed until {}: {}", s.expires, s.reason));
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
        .filter(|s| !s.in_force(today))
        .map(|s| format!("suppression of {} expired on {}: {}", s.rule, s.expires, s.reason))
        .collect();
    let passed = reasons.is_empty();
    ScanOutcome {
        schema_version: SCHEMA_VERSION,
        passed,
        exit_code: if passed { 0 } else { 1 },
        reasons,
        score: score(counts.critical, counts.high, counts.medium, counts.low),
        score_version: SCORE_VERSION,
        counts,
        new_counts,
        duplicates_removed,
        expired_suppressions,
        reports: reports
            .iter()
            .map(|r| ReportSummary {
                file: r.file.clone(),
                format: r.format.name().to_string(),
                findings: r.findings.len(),
                verdict: r.verdict.clone(),
                status: "valid".into(),
            })
            .collect(),
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

//! `plangate scan REPORT...`: read and validate every report, then gate on their findings.
//! Every invalid report is named before plangate exits 3, so one run shows all that needs fixing.

use std::collections::HashSet;
use std::fmt::Write as _;

use plangate::policy::{ConfigFile, Date};
use plangate::scan::gate::{self, SuppressionsFile};
use plangate::scan::{GateOutcome, ReportFormat, ScanReport, ScanSeverity};
use serde_json::json;

use crate::args::ScanArgs;
use crate::{output, Failure};

pub fn run(args: &ScanArgs) -> Result<u8, Failure> {
    let format = match &args.format {
        Some(name) => Some(ReportFormat::from_name(name).ok_or_else(|| {
            Failure(format!("unknown report format {name:?}: expected one of {}", ReportFormat::NAMES.join(", ")))
        })?),
        None => None,
    };
    let mut config = match &args.config {
        Some(path) => ConfigFile::read(path).map_err(|e| Failure(e.to_string()))?.scan.unwrap_or_default(),
        None => Default::default(),
    };
    if let Some(severity) = &args.fail_on {
        let parsed = ScanSeverity::parse(severity);
        if !matches!(parsed, ScanSeverity::Critical | ScanSeverity::High | ScanSeverity::Medium | ScanSeverity::Low) {
            return Err(Failure(format!("--fail-on {severity:?}: expected critical, high, medium or low")));
        }
        config.fail_on = Some(parsed);
    }
    let suppressions = match &args.suppressions {
        Some(path) => {
            let text = std::fs::read_to_string(path).map_err(|e| Failure(format!("cannot read suppressions {path}: {e}")))?;
            let file: SuppressionsFile =
                plangate::policy::parse_yaml(&text).map_err(|e| Failure(format!("invalid suppressions {path}: {e}")))?;
            gate::check_suppressions(&file.suppressions).map_err(|e| Failure(format!("invalid suppressions {path}: {e}")))?;
            file.suppressions
        }
        None => Vec::new(),
    };
    let baseline = match &args.baseline {
        Some(path) => read_baseline(path)?,
        None => HashSet::new(),
    };

    let mut reports = Vec::new();
    let mut errors = Vec::new();
    for path in &args.reports {
        match plangate::scan::read_file(path, format) {
            Ok(report) => reports.push(report),
            Err(e) => errors.push(e.to_string()),
        }
    }
    if !errors.is_empty() {
        let (last, rest) = errors.split_last().expect("not empty");
        for error in rest {
            eprintln!("plangate: error: {error}");
        }
        return Err(Failure(last.clone()));
    }

    let outcome = gate::judge(&reports, &config, &suppressions, &baseline, Date::today());
    let text = match args.output_format.as_str() {
        "json" => serde_json::to_string_pretty(&as_json(&reports, &outcome)).unwrap_or_default() + "\n",
        "text" => as_text(&reports, &outcome),
        other => return Err(Failure(format!("unknown output format {other:?}: expected text or json"))),
    };
    match &args.output {
        Some(path) => {
            output::write_atomically(path, |out| out.write_all(text.as_bytes())).map_err(|e| Failure(format!("cannot write {path}: {e}")))?;
            eprintln!("plangate scan: {} (score {}). Written to {path}.", if outcome.passed { "passed" } else { "FAILED" }, outcome.score);
        }
        None => output::print(&text).map_err(|e| Failure(e.to_string()))?,
    }
    Ok(outcome.exit_code)
}

/// Fingerprints of the findings of a previous JSON result.
fn read_baseline(path: &str) -> Result<HashSet<String>, Failure> {
    let text = std::fs::read_to_string(path).map_err(|e| Failure(format!("cannot read baseline {path}: {e}")))?;
    let value: serde_json::Value = serde_json::from_str(&text).map_err(|e| Failure(format!("baseline {path} is not JSON: {e}")))?;
    let findings = value.get("findings").and_then(|f| f.as_array()).ok_or_else(|| {
        Failure(format!("baseline {path} has no `findings` list: expected the output of `plangate scan -f json`"))
    })?;
    Ok(findings.iter().filter_map(|f| f.get("fingerprint").and_then(|p| p.as_str()).map(str::to_owned)).collect())
}

fn as_json(reports: &[ScanReport], outcome: &GateOutcome) -> serde_json::Value {
    let per_file: Vec<_> = reports
        .iter()
        .map(|r| json!({"file": r.file, "format": r.format, "findings": r.findings.len(), "verdict": r.verdict, "status": "valid"}))
        .collect();
    json!({
        "schema_version": 1,
        "passed": outcome.passed,
        "exit_code": outcome.exit_code,
        "reasons": outcome.reasons,
        "score": outcome.score,
        "score_version": outcome.score_version,
        "counts": outcome.counts,
        "new_counts": outcome.new_counts,
        "duplicates_removed": outcome.duplicates_removed,
        "expired_suppressions": outcome.expired_suppressions,
        "reports": per_file,
        "findings": outcome.findings,
    })
}

fn as_text(reports: &[ScanReport], outcome: &GateOutcome) -> String {
    let mut out = String::from("=== Security Scan Reports ===\n");
    for r in reports {
        let verdict = r.verdict.as_ref().map(|v| format!(" — {}", v.detail)).unwrap_or_default();
        let _ = writeln!(out, "{} ({}): {} findings{verdict}", r.file, r.format, r.findings.len());
    }
    let c = &outcome.counts;
    let _ = write!(
        out,
        "\n=== Findings ===\nCritical: {}\nHigh: {}\nMedium: {}\nLow: {}\nInfo: {}\nScore: {} (v{})\n",
        c.critical, c.high, c.medium, c.low, c.info, outcome.score, outcome.score_version
    );
    if outcome.duplicates_removed > 0 {
        let _ = writeln!(out, "Duplicates across reports removed: {}", outcome.duplicates_removed);
    }
    for f in outcome.findings.iter().filter(|f| f.severity >= ScanSeverity::High && f.suppressed.is_none()).take(50) {
        let _ = writeln!(out, "{}: {} {} at {} ({})", f.severity.as_str().to_uppercase(), f.rule, one_line(&f.title), one_line(&f.location), f.source);
    }
    for expired in &outcome.expired_suppressions {
        let _ = writeln!(out, "NOTICE: {expired}");
    }
    out.push('\n');
    if outcome.passed {
        out.push_str("SUCCESS: the security scan gate passed.\n");
    } else {
        for reason in &outcome.reasons {
            let _ = writeln!(out, "ERROR: {reason}");
        }
    }
    out
}

fn one_line(text: &str) -> String {
    text.chars().map(|c| if c.is_control() { ' ' } else { c }).collect()
}

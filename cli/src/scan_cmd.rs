//! `plangate scan REPORT...`: read and validate every report, then gate on their findings.
//! Every invalid report is named before plangate exits 3, so one run shows all that needs fixing.

use std::collections::HashSet;

use plangate::policy::{ConfigFile, Date};
use plangate::scan::gate::{self, SuppressionsFile};
use plangate::scan::{ReportFormat, ScanSeverity};

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
            let text =
                std::fs::read_to_string(path).map_err(|e| Failure(format!("cannot read suppressions {path}: {e}")))?;
            let file: SuppressionsFile = plangate::policy::parse_yaml(&text)
                .map_err(|e| Failure(format!("invalid suppressions {path}: {e}")))?;
            gate::check_suppressions(&file.suppressions)
                .map_err(|e| Failure(format!("invalid suppressions {path}: {e}")))?;
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
    let text = plangate::scan::render::render(&args.output_format, &reports, &outcome).map_err(Failure)?;
    match &args.output {
        Some(path) => {
            output::write_atomically(path, |out| out.write_all(text.as_bytes()))
                .map_err(|e| Failure(format!("cannot write {path}: {e}")))?;
            eprintln!(
                "plangate scan: {} (score {}). Written to {path}.",
                if outcome.passed { "passed" } else { "FAILED" },
                outcome.score
            );
        }
        None => output::print(&text).map_err(|e| Failure(e.to_string()))?,
    }
    Ok(outcome.exit_code)
}

/// Fingerprints of the findings of a previous JSON result.
fn read_baseline(path: &str) -> Result<HashSet<String>, Failure> {
    let text = std::fs::read_to_string(path).map_err(|e| Failure(format!("cannot read baseline {path}: {e}")))?;
    let value: serde_json::Value =
        serde_json::from_str(&text).map_err(|e| Failure(format!("baseline {path} is not JSON: {e}")))?;
    let findings = value.get("findings").and_then(|f| f.as_array()).ok_or_else(|| {
        Failure(format!("baseline {path} has no `findings` list: expected the output of `plangate scan -f json`"))
    })?;
    Ok(findings.iter().filter_map(|f| f.get("fingerprint").and_then(|p| p.as_str()).map(str::to_owned)).collect())
}

//! `plangate scan REPORT...`: read and validate every report, then gate on their findings, through
//! the engine's `scan::check`. Every invalid report is named before plangate exits 3, so one run
//! shows all that needs fixing.

use plangate::scan::{self, Baseline, ReportFormat, ReportInput, ScanOptions, ScanSeverity, Suppression};
use plangate::{Config, Format};

use crate::args::ScanArgs;
use crate::{output, Failure};

pub fn run(args: &ScanArgs) -> Result<u8, Failure> {
    let mut options = ScanOptions::default();
    if let Some(name) = &args.format {
        options.format = Some(ReportFormat::from_name(name).ok_or_else(|| {
            Failure(format!("unknown report format {name:?}: expected one of {}", ReportFormat::NAMES.join(", ")))
        })?);
    }
    if let Some(path) = &args.config {
        options.gate = Config::from_file(path).map_err(|e| Failure(e.to_string()))?.scan.unwrap_or_default();
    }
    if let Some(severity) = &args.fail_on {
        let parsed = ScanSeverity::parse(severity);
        if !matches!(parsed, ScanSeverity::Critical | ScanSeverity::High | ScanSeverity::Medium | ScanSeverity::Low) {
            return Err(Failure(format!("--fail-on {severity:?}: expected critical, high, medium or low")));
        }
        options.gate.fail_on = Some(parsed);
    }
    if let Some(path) = &args.suppressions {
        options.suppressions = Suppression::list_from_file(path).map_err(|e| Failure(e.to_string()))?;
    }
    if let Some(path) = &args.baseline {
        options.baseline = Baseline::from_file(path).map_err(|e| Failure(e.to_string()))?;
    }
    let format = args.output_format.parse::<Format>().map_err(|e| Failure(e.to_string()))?;

    let inputs: Vec<ReportInput<'_>> = args.reports.iter().map(ReportInput::path).collect();
    let outcome = scan::check(&inputs, &options).map_err(|failed| {
        // Every report that cannot be used is named; the last one is the command's error.
        let (last, rest) = failed.errors.split_last().expect("never empty");
        for error in rest {
            eprintln!("plangate: error: {}", plangate::log_lines(&error.to_string()));
        }
        Failure(last.to_string())
    })?;

    let text = scan::render(&outcome, format);
    match &args.output {
        Some(path) => {
            output::write_to_path(path, |out| out.write_all(text.as_bytes()))
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

//! `plangate scan REPORT...`: read and validate every report, then gate on their findings, through
//! the engine's `scan::check`. Every invalid report is named before plangate exits 3, so one run
//! shows all that needs fixing.

use plangate::scan::{self, ReportInput};
use plangate::{ConfigSource, Format, Settings};

use crate::args::ScanArgs;
use crate::{output, Failure};

pub fn run(args: &ScanArgs) -> Result<u8, Failure> {
    let mut settings = Settings::default();
    settings.config = args.config.as_ref().map(|path| ConfigSource::File(path.into()));
    settings.report_format.clone_from(&args.format);
    settings.fail_on.clone_from(&args.fail_on);
    settings.suppressions = args.suppressions.as_ref().map(Into::into);
    settings.baseline = args.baseline.as_ref().map(Into::into);
    let options = settings.resolve()?.scan;
    let format = args.output_format.parse::<Format>().map_err(|e| Failure(e.to_string()))?;
    if format == Format::GitlabTerraform {
        return Err(Failure(
            "-f gitlab-terraform counts a plan's resource changes; a scan has none: use -f gitlab (Code Quality) for scans".into(),
        ));
    }

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

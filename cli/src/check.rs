//! `plangate check`: resolve the policy, check the plan through the engine, render the report, and
//! return the verdict's exit code.

use std::path::Path;

use plangate::report::{self, Format, RenderOptions};
use plangate::{CheckOptions, PlanInput, Policy};

use crate::args::CheckArgs;
use crate::{output, signals, Failure};

pub fn run(args: &CheckArgs) -> Result<u8, Failure> {
    let env_config = std::env::var("TF_PLAN_CHECK_CONFIG").ok();
    let mut policy = Policy::resolve(args.config.as_deref().map(Path::new), env_config.as_deref(), args.env.as_deref())
        .map_err(|e| Failure(e.to_string()))?;
    if args.fail_on_high_risk {
        policy.thresholds.fail_on_high_risk = true;
    }
    if let Some(reader) = &args.plan_reader {
        policy.plan_reading.reader = reader.parse().map_err(|e| Failure(format!("--plan-reader: {e}")))?;
    }
    policy.plan_reading.schema_tables.extend(args.schema_table.iter().map(Into::into));
    let format = match &args.format {
        Some(name) => name.parse::<Format>().map_err(|e| Failure(e.to_string()))?,
        None => policy.output_format.unwrap_or(Format::Text),
    };
    let render_options =
        RenderOptions::new(if args.plan == "-" { "stdin" } else { args.plan.as_str() }).verbose(policy.verbose);

    let input = if args.plan == "-" { PlanInput::Stdin } else { PlanInput::path(&args.plan) };
    let mut options = CheckOptions::new(policy);
    // Large plan files are mapped, not copied; a file truncated meanwhile is then a clean exit 3.
    options.map_files = true;
    signals::exit_cleanly_on_sigbus();
    if let Some(dir) = &args.source_dir {
        options = options.source_dir(dir);
    }
    let report = plangate::check(input, &options)?;

    let write = |out: &mut dyn std::io::Write| report::write(&report, format, &render_options, out);
    match &args.output {
        Some(path) => {
            output::write_to_path(path, write).map_err(|e| Failure(format!("cannot write report {path}: {e}")))?;
            eprintln!(
                "plangate: {} (exit {}): {} Report written to {path}.",
                report.status.as_str(),
                report.exit_code(),
                plangate::log_lines(&report.verdict.reason)
            );
        }
        None => output::to_stdout(write).map_err(|e| Failure(format!("cannot write report: {e}")))?,
    }
    Ok(report.exit_code())
}

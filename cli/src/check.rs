//! `plangate check`: read the policy and the plan, analyze, render, and return the verdict's exit
//! code.

use plangate::report::render::{self, Format, RenderOptions};
use plangate::Policy;

use crate::args::CheckArgs;
use crate::output;
use crate::Failure;

pub fn run(args: &CheckArgs) -> Result<u8, Failure> {
    let env_config = std::env::var("TF_PLAN_CHECK_CONFIG").ok();
    let mut policy = Policy::resolve(args.config.as_deref(), env_config.as_deref(), args.env.as_deref())
        .map_err(|e| Failure(e.to_string()))?;
    if args.fail_on_high_risk {
        policy.fail_on_high_risk = true;
    }
    let format = match &args.format {
        Some(name) => name.parse::<Format>().map_err(Failure)?,
        None => policy.output_format.unwrap_or(Format::Text),
    };

    let label = if args.plan == "-" { "stdin".to_string() } else { args.plan.clone() };
    let cannot_analyse = |e: plangate::PlanError| Failure(format!("cannot analyse plan {label}: {e}"));
    let bytes = plangate::plan::load(&args.plan).map_err(cannot_analyse)?;
    let report = plangate::analyze_loaded(&bytes, &policy).map_err(cannot_analyse)?;

    let options = RenderOptions { plan_label: label.clone(), verbose: policy.verbose };
    let write = |out: &mut dyn std::io::Write| render::write(&report, format, &options, out);
    match &args.output {
        Some(path) => {
            output::write_atomically(path, write).map_err(|e| Failure(format!("cannot write report {path}: {e}")))?;
            eprintln!(
                "plangate: {} (exit {}): {} Report written to {path}.",
                report.status.as_str(),
                report.exit_code(),
                report.verdict.reason
            );
        }
        None => output::to_stdout(write).map_err(|e| Failure(format!("cannot write report: {e}")))?,
    }
    Ok(report.exit_code())
}

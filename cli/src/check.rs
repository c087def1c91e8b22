//! `plangate check`: the settings of the command line resolved by the engine, the plan (or several)
//! checked through the engine, the report rendered, and the verdict's exit code returned.

use plangate::report::{self, Format, RenderOptions, Run};
use plangate::{ConfigSource, PlanInput, Report, Settings};

use crate::args::CheckArgs;
use crate::{output, Failure};

pub fn run(args: &CheckArgs) -> Result<u8, Failure> {
    let config = crate::config_file(args.config.as_deref()).map(|path| ConfigSource::File(path.into()));
    let mut settings = Settings::default();
    settings.config = config;
    settings.environment.clone_from(&args.env);
    settings.fail_on_high_risk = args.fail_on_high_risk.then_some(true);
    settings.plan_reader.clone_from(&args.plan_reader);
    settings.schema_tables = args.schema_table.iter().map(Into::into).collect();
    settings.source_dir = args.source_dir.as_ref().map(Into::into);
    let options = settings.resolve()?.check;
    let format = match &args.format {
        Some(name) => name.parse::<Format>().map_err(|e| Failure(e.to_string()))?,
        None => options.policy.output_format.unwrap_or(Format::Text),
    };
    let render_options = RenderOptions::new(name(&args.plans[0])).verbose(options.policy.verbose);

    let checked = if args.plans.len() == 1 {
        Checked::One(plangate::check(input(&args.plans[0]), &options)?)
    } else {
        let plans: Vec<(String, PlanInput)> = args.plans.iter().map(|p| (name(p), input(p))).collect();
        Checked::Several(plangate::check_all(&plans, &options, &[], &Default::default()))
    };
    let (status, exit_code, reason) = checked.verdict();
    let write = |out: &mut dyn std::io::Write| checked.write(format, &render_options, out);
    match &args.output {
        Some(path) => {
            output::write_to_path(path, write).map_err(|e| Failure(format!("cannot write report {path}: {e}")))?;
            eprintln!(
                "plangate: {status} (exit {exit_code}): {} Report written to {path}.",
                plangate::log_lines(&reason)
            );
        }
        None => output::to_stdout(write).map_err(|e| Failure(format!("cannot write report: {e}")))?,
    }
    Ok(exit_code)
}

/// How reports and errors name a plan argument.
fn name(plan: &str) -> String {
    if plan == "-" {
        "stdin".to_string()
    } else {
        plan.to_string()
    }
}

fn input(plan: &str) -> PlanInput<'_> {
    if plan == "-" {
        PlanInput::Stdin
    } else {
        PlanInput::path(plan)
    }
}

/// One plan's report, or a run of several.
enum Checked {
    One(Report),
    Several(Run),
}

impl Checked {
    /// The status, the exit code and why.
    fn verdict(&self) -> (&'static str, u8, String) {
        match self {
            Checked::One(report) => (report.status.as_str(), report.exit_code(), report.verdict.reason.clone()),
            Checked::Several(run) => (run.status.as_str(), run.exit_code, run.reason.clone()),
        }
    }

    fn write(&self, format: Format, options: &RenderOptions, out: &mut dyn std::io::Write) -> std::io::Result<()> {
        match self {
            // One plan's JSON and SARIF are streamed: they grow with the plan.
            Checked::One(report) => report::write(report, format, options, out),
            Checked::Several(run) => out.write_all(report::render_run(run, format, options).as_bytes()),
        }
    }
}

//! The `plangate` command line, callable as a library so that every front end that ships the
//! command (the Rust binary, the Python package's console script) runs exactly this code. `check`
//! exits 0 pass, 1 critical, 2 high-risk, 3 cannot analyse (a broken input, configuration or
//! command line must never look like a verdict); `run` exits with the command's own code; every
//! command exits 3 when it cannot do its job.

mod allocator;
mod args;
mod breaker_cmd;
mod check;
mod comment_cmd;
mod notify_cmd;
mod output;
mod retry_cmd;
mod rule_docs;
mod run_cmd;
mod scan_cmd;
#[cfg(feature = "serve")]
mod serve_cmd;
mod signals;

use std::ffi::OsString;

use clap::Parser;

use args::{BreakerCommand, Cli, Command, NotifyCommand, PolicyCommand, RetryCommand};

pub use allocator::{commit_memory_as_used, Mimalloc};

/// Exit code for anything that prevents a verdict.
const CANNOT_ANALYSE: u8 = 3;

/// A reason the command cannot give a verdict, shown on standard error.
struct Failure(String);

impl From<plangate::Error> for Failure {
    fn from(e: plangate::Error) -> Failure {
        Failure(e.to_string())
    }
}

/// Runs the command line `args` (the program name first, as `std::env::args_os` gives it) and
/// returns the exit code.
pub fn run<I, T>(args: I) -> u8
where
    I: IntoIterator<Item = T>,
    T: Into<OsString> + Clone,
{
    output::guard_standard_streams();
    let cli = match Cli::try_parse_from(args) {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            // --help and --version are not failures; anything else must not look like a verdict.
            return if e.use_stderr() { CANNOT_ANALYSE } else { 0 };
        }
    };
    let result = match &cli.command {
        Command::Check(args) => check::run(args),
        Command::Rules { format, config } => rule_docs::list(format, config.as_deref()).and_then(|text| print(&text)),
        Command::Explain { id, config } => rule_docs::explain(id, config.as_deref()).and_then(|text| print(&text)),
        Command::Policy { command: PolicyCommand::Test { config, format } } => {
            rule_docs::test(config.as_deref(), format)
        }
        Command::Retry { command: RetryCommand::Schedule { config, step, seed, format } } => {
            retry_cmd::schedule(config, step, *seed, format).and_then(|text| print(&text))
        }
        Command::Run(args) => run_cmd::run(args),
        Command::Breaker { command } => match command {
            BreakerCommand::Record { common, outcome } => breaker_cmd::record(common, outcome),
            BreakerCommand::Request { common } => breaker_cmd::request(common),
            BreakerCommand::Status { common, format } => breaker_cmd::status(common, format),
        },
        Command::Notify { command: NotifyCommand::Slack(args) } => notify_cmd::slack(args),
        Command::Scan(args) => scan_cmd::run(args),
        Command::Comment(args) => comment_cmd::run(args),
        #[cfg(feature = "serve")]
        Command::Serve(args) => serve_cmd::run(args),
    };
    match result {
        Ok(code) => code,
        Err(Failure(message)) => {
            eprintln!("plangate: error: {}", plangate::log_lines(&message));
            CANNOT_ANALYSE
        }
    }
}

/// The configuration file: `-c FILE`, else the file TF_PLAN_CHECK_CONFIG names (the pipeline
/// script's variable).
fn config_file(flag: Option<&str>) -> Option<String> {
    flag.map(str::to_string).or_else(|| std::env::var("TF_PLAN_CHECK_CONFIG").ok().filter(|p| !p.is_empty()))
}

fn print(text: &str) -> Result<u8, Failure> {
    output::print(text).map(|()| 0).map_err(|e| Failure(format!("cannot write to standard output: {e}")))
}

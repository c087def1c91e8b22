//! The `plangate` binary: the command line of [`plangate_cli::run`].

use std::process::ExitCode;

fn main() -> ExitCode {
    ExitCode::from(plangate_cli::run(std::env::args_os()))
}

//! The `plangate` binary: the command line of [`plangate_cli::run`].
//!
//! It starts from the C `main` rather than Rust's: the Rust runtime would silently put `/dev/null`
//! in place of a closed standard output before any of our code runs, and a report printed there is
//! lost while the exit code still looks like a delivered verdict (see `output::guard_standard_streams`).
//! What that runtime would otherwise do that matters here is done by hand: SIGPIPE is ignored, so a
//! closed pipe is a write error (exit 3), not a silent death, and a panic ends in exit 3.

#![no_main]

use std::ffi::{c_char, c_int};

#[unsafe(no_mangle)]
pub extern "C" fn main(_argc: c_int, _argv: *const *const c_char) -> c_int {
    // SAFETY: setting a signal's disposition to "ignore" before any thread exists.
    unsafe { libc::signal(libc::SIGPIPE, libc::SIG_IGN) };
    // A panic is a bug; it is reported (by the panic hook) and must not look like a verdict either.
    std::panic::catch_unwind(|| plangate_cli::run(std::env::args_os())).map_or(3, c_int::from)
}

//! The `plangate` binary: the command line of [`plangate_cli::run`].
//!
//! It starts from the C `main` rather than Rust's: the Rust runtime would silently put `/dev/null`
//! in place of a closed standard output before any of our code runs, and a report printed there is
//! lost while the exit code still looks like a delivered verdict (see `output::guard_standard_streams`).
//! What that runtime would otherwise do that matters here is done by hand: SIGPIPE is ignored, so a
//! closed pipe is a write error (exit 3), not a silent death, and a panic ends in exit 3.

#![no_main]

use std::ffi::{c_char, c_int};

/// The analysis makes and drops many small values on every core (names, parsed attributes,
/// findings); mimalloc's per-thread heaps do that for less than glibc's malloc. Medians of
/// interleaved runs: the 100 MB plan of `benches/whole_process.py` in 0.197 s against 0.209 s, a
/// 4.6 MB plan in 27.0 ms against 29.4 ms, a 16-change plan in the same 5.7 ms.
#[global_allocator]
static ALLOCATOR: plangate_cli::Mimalloc = plangate_cli::Mimalloc;

/// `mi_option_arena_eager_commit` in the enum of the mimalloc 3 that libmimalloc-sys 0.1.49 builds
/// (pinned in Cargo.toml). Off, memory is committed as it is used. mimalloc's default on Linux
/// (eager) was 4% faster on the 100 MB plan, but every run paid for it: the 16-change plan took
/// 6.9 ms and 21.8 MiB instead of 5.8 ms and 12.7 MiB.
const ARENA_EAGER_COMMIT: libmimalloc_sys::mi_option_t = 4;

#[unsafe(no_mangle)]
pub extern "C" fn main(_argc: c_int, _argv: *const *const c_char) -> c_int {
    // SAFETY: setting a signal's disposition to "ignore" before any thread exists.
    unsafe { libc::signal(libc::SIGPIPE, libc::SIG_IGN) };
    // SAFETY: sets an option before anything is allocated; no other thread exists yet.
    unsafe { libmimalloc_sys::mi_option_set(ARENA_EAGER_COMMIT, 0) };
    // A panic is a bug; it is reported (by the panic hook) and must not look like a verdict either.
    std::panic::catch_unwind(|| plangate_cli::run(std::env::args_os())).map_or(3, c_int::from)
}

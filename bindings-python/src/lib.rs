//! `plangate._native`: the engine for Python. Thin: it converts types and errors and calls the
//! core's entry points (and the CLI's, for the console script); the Pythonic surface
//! (`plangate/__init__.py`) is written over it.

mod comment;
mod errors;
mod plan;
mod resilience;
mod run_task;
mod scan;

use pyo3::prelude::*;

/// The CLI's allocator (`plangate_cli::Mimalloc`), for the Rust side of the module only: Python's
/// own objects keep Python's. A check makes and drops many small values on every core, where
/// mimalloc's per-thread heaps cost less than glibc's malloc: on the 100 MB plan of
/// `benches/whole_process.py`, `check_plan` took 237.5 ms with glibc's malloc and 206.2 ms with
/// this (interleaved whole-process runs, 21 each), in the same memory, since the module commits
/// memory as it uses it (committing whole arenas took 10 MiB more for a 7-change plan, at no gain in
/// time).
#[global_allocator]
static ALLOCATOR: plangate_cli::Mimalloc = plangate_cli::Mimalloc;

/// Runs the `plangate` command line (`argv[0]` first) and returns its exit code: the console
/// script and `python -m plangate` are the very same CLI as the Rust binary.
#[pyfunction]
fn cli_main(py: Python<'_>, argv: Vec<String>) -> u8 {
    py.detach(|| plangate_cli::run(argv))
}

#[pymodule]
fn _native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    plangate_cli::commit_memory_as_used();
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    m.add_function(wrap_pyfunction!(cli_main, m)?)?;
    m.add_function(wrap_pyfunction!(plan::check_plan, m)?)?;
    m.add_function(wrap_pyfunction!(plan::check_plans, m)?)?;
    m.add_function(wrap_pyfunction!(plan::rules, m)?)?;
    m.add_function(wrap_pyfunction!(plan::limits, m)?)?;
    m.add_function(wrap_pyfunction!(plan::explain, m)?)?;
    m.add_function(wrap_pyfunction!(scan::scan_reports, m)?)?;
    m.add_function(wrap_pyfunction!(comment::post_comment, m)?)?;
    m.add_function(wrap_pyfunction!(run_task::run_task_request, m)?)?;
    m.add_function(wrap_pyfunction!(run_task::run_task_failed, m)?)?;
    m.add_function(wrap_pyfunction!(run_task::run_task_allows, m)?)?;
    m.add_class::<plan::Policy>()?;
    m.add_class::<plan::Report>()?;
    m.add_class::<plan::Run>()?;
    m.add_class::<plan::Finding>()?;
    m.add_class::<plan::DriftEntry>()?;
    m.add_class::<plan::Rule>()?;
    m.add_class::<scan::ScanResult>()?;
    m.add_class::<scan::ScanFinding>()?;
    m.add_class::<resilience::RetryPolicy>()?;
    m.add_class::<resilience::Delays>()?;
    m.add_class::<resilience::Retrier>()?;
    m.add_class::<resilience::PyBreaker>()?;
    m.add_class::<resilience::HealthCheck>()?;
    m.add_class::<resilience::PyTrafficShift>()?;
    Ok(())
}

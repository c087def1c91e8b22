//! The one place Rust errors become Python exceptions: the class by the error's kind, the
//! structured details as attributes (`plangate._errors` defines the classes).

use std::sync::{Arc, Mutex, PoisonError};

use pyo3::prelude::*;
use pyo3::types::PyDict;

use plangate::plan::Interrupt;
use plangate::{Error, ErrorKind};

/// The exception for an engine error.
pub fn to_py(error: Error) -> PyErr {
    Python::attach(|py| raise(py, &error).unwrap_or_else(|e| e))
}

fn raise(py: Python<'_>, error: &Error) -> PyResult<PyErr> {
    let class = match error.kind() {
        ErrorKind::Plan => "PlanError",
        ErrorKind::Config => "ConfigError",
        ErrorKind::Report => "ReportError",
        ErrorKind::Argument => "InvalidArgument",
        _ => "PlangateError",
    };
    let details = error.details();
    let kwargs = PyDict::new(py);
    kwargs.set_item("code", error.kind().code())?;
    kwargs.set_item("path", details.path)?;
    kwargs.set_item("line", details.line)?;
    kwargs.set_item("column", details.column)?;
    kwargs.set_item("json_path", details.json_path)?;
    kwargs.set_item("key", details.key)?;
    kwargs.set_item("expected", details.expected)?;
    kwargs.set_item("found", details.found)?;
    if let Error::Reports { errors } = error {
        kwargs.set_item("errors", errors.iter().map(ToString::to_string).collect::<Vec<_>>())?;
    }
    let exception = py.import("plangate._errors")?.getattr(class)?.call((error.to_string(),), Some(&kwargs))?;
    Ok(PyErr::from_value(exception))
}

/// An `InvalidArgument` (a `PlangateError` and a `ValueError`) for a value given as an argument
/// that the engine does not decide on itself (a format name, a rule id).
pub fn invalid_argument(name: &str, message: &str) -> PyErr {
    to_py(Error::argument(name, message))
}

/// Runs engine work without the GIL, so other Python threads go on meanwhile, and maps its error.
/// The work gets an [`Interrupt`] to hand to what may wait on a stream: it runs Python's signal
/// handlers while it waits, so Ctrl-C stops the wait, and the handler's exception (the
/// `KeyboardInterrupt`) is what the call raises.
pub fn detached<T: Send, E: Into<Error> + Send>(
    py: Python<'_>,
    work: impl FnOnce(Interrupt) -> Result<T, E> + Send,
) -> PyResult<T> {
    let raised: Arc<Mutex<Option<PyErr>>> = Arc::default();
    let interrupt = Interrupt::new({
        let raised = raised.clone();
        move || {
            Python::attach(|py| match py.check_signals() {
                Ok(()) => false,
                Err(e) => {
                    *raised.lock().unwrap_or_else(PoisonError::into_inner) = Some(e);
                    true
                }
            })
        }
    });
    let outcome = py.detach(|| work(interrupt));
    if let Some(e) = raised.lock().unwrap_or_else(PoisonError::into_inner).take() {
        return Err(e);
    }
    outcome.map_err(|e| to_py(e.into()))
}

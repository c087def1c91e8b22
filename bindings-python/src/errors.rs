//! The one place Rust errors become Python exceptions: the class by the error's kind, the
//! structured details as attributes (`plangate._errors` defines the classes).

use pyo3::prelude::*;
use pyo3::types::PyDict;

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

/// A `ConfigError` for settings passed as arguments (no file, no line).
pub fn config_error(key: &str, problems: &[String]) -> PyErr {
    let message = format!("{key}: {}", problems.join("; "));
    Python::attach(|py| {
        let make = || -> PyResult<PyErr> {
            let kwargs = PyDict::new(py);
            kwargs.set_item("code", ErrorKind::Config.code())?;
            kwargs.set_item("key", key)?;
            let exception = py.import("plangate._errors")?.getattr("ConfigError")?.call((&message,), Some(&kwargs))?;
            Ok(PyErr::from_value(exception))
        };
        make().unwrap_or_else(|e| e)
    })
}

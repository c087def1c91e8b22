//! `plangate.comment`: JSON reports as the sticky comment on the request the CI's variables name,
//! through the engine's comment code. A comment is not the gate: what goes wrong comes back as
//! warnings; only unusable reports, arguments or variables raise.

use pyo3::prelude::*;

use plangate::comment::{self, CommentError, Request, UreqHttp};
use plangate::report::Run;
use plangate::resilience::{SystemClock, ThreadSleep};

use crate::errors::{invalid_argument, to_py};

/// The outcome as JSON: `action`, `url`, `superseded`, `warnings`, `notes`, and `nowhere`.
#[pyfunction]
#[pyo3(signature = (reports, provider, key=None, behaviour="update", refresh=false, timeout=60.0, token=None))]
#[allow(clippy::too_many_arguments)]
pub fn post_comment(
    py: Python<'_>,
    reports: Vec<String>,
    provider: &str,
    key: Option<String>,
    behaviour: &str,
    refresh: bool,
    timeout: f64,
    token: Option<String>,
) -> PyResult<String> {
    let run = Run::from_report_files(&reports).map_err(|e| to_py(e.into()))?;
    let mut request = Request::new(provider);
    request.key = key;
    request.behaviour = Some(behaviour.to_string());
    request.refresh = refresh;
    request.timeout = Some(timeout);
    request.token = token;
    let env = |name: &str| std::env::var(name).ok();
    let outcome = py
        .detach(|| comment::post_run(&run, &request, &env, &UreqHttp::new(), &SystemClock, &mut ThreadSleep))
        .map_err(|e| match &e {
            CommentError::Argument { name, message } => invalid_argument(name, message),
            other => invalid_argument("provider", &other.to_string()),
        })?;
    Ok(serde_json::json!(outcome).to_string())
}

//! The run-task contract for Python hosts (a Lambda function URL): the core's checks of a request
//! and its failed result. Thin: the decisions are `plangate::run_task`'s.

use pyo3::prelude::*;

use plangate::run_task::{
    failed_result, result_without_plan, verify_signature, AllowedHosts, Payload, DEFAULT_ALLOWED_HOSTS,
};

use crate::errors::invalid_argument;

/// Checks a run-task request: the signature over the raw body first, then the payload and its
/// hosts. JSON: `{"refused": {"status": 401|400, "why"}}` or `{"payload": {…}}` (with the access
/// token, which the caller must not log, and the result to send for a stage plangate does not judge).
#[pyfunction]
#[pyo3(signature = (body, signature, key, allowed_hosts=None))]
pub fn run_task_request(
    body: &[u8],
    signature: Option<&str>,
    key: &[u8],
    allowed_hosts: Option<Vec<String>>,
) -> PyResult<String> {
    let hosts = hosts(allowed_hosts)?;
    let refused = |status: u16, why: String| serde_json::json!({"refused": {"status": status, "why": why}}).to_string();
    if let Err(e) = verify_signature(key, body, signature) {
        return Ok(refused(401, e.to_string()));
    }
    let payload = match Payload::parse(body, &hosts) {
        Ok(payload) => payload,
        Err(e) => return Ok(refused(400, e.to_string())),
    };
    Ok(serde_json::json!({"payload": {
        "stage": format!("{:?}", payload.stage),
        "judged": payload.stage.is_judged(),
        "result_without_plan": result_without_plan(payload.stage),
        "verification": payload.is_verification(),
        "access_token": payload.access_token,
        "plan_json_api_url": payload.plan_json_api_url,
        "task_result_callback_url": payload.task_result_callback_url,
        "workspace_name": payload.workspace_name,
        "run_id": payload.run_id,
    }})
    .to_string())
}

/// Whether `url` names one of `allowed_hosts` (a redirect's target, before it is followed).
#[pyfunction]
#[pyo3(signature = (url, allowed_hosts=None))]
pub fn run_task_allows(url: &str, allowed_hosts: Option<Vec<String>>) -> PyResult<bool> {
    Ok(hosts(allowed_hosts)?.allows(url))
}

/// The hosts given, or HCP Terraform's.
fn hosts(given: Option<Vec<String>>) -> PyResult<AllowedHosts> {
    let entries = given.unwrap_or_else(|| DEFAULT_ALLOWED_HOSTS.map(String::from).to_vec());
    AllowedHosts::parse(&entries).map_err(|e| invalid_argument("allowed_hosts", &e.to_string()))
}

/// The failed task result for a run that cannot be checked, as JSON.
#[pyfunction]
pub fn run_task_failed(reason: &str) -> String {
    failed_result(reason).to_string()
}

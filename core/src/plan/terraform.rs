//! Showing a binary plan file with terraform: `terraform show -json -no-color PLANFILE`, in the
//! current directory, which must be the initialized working directory of the plan. The reader
//! for `--plan-reader terraform`, and for `auto` when no schema table knows a provider.

use std::ffi::OsString;
use std::io::{ErrorKind, Read, Write};
use std::os::fd::AsRawFd;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use super::load::read_capped;
use super::PlanError;
use crate::limits::Limits;

/// The terraform to run: `TERRAFORM_BINARY`, else `terraform` from `PATH`.
pub fn terraform_binary() -> OsString {
    std::env::var_os("TERRAFORM_BINARY").filter(|v| !v.is_empty()).unwrap_or_else(|| "terraform".into())
}

/// Runs `terraform show -json` on a binary plan file and returns what it prints (refusing more than
/// the plan size limit).
pub fn show_json(plan_file: &Path, limits: &Limits) -> Result<Vec<u8>, PlanError> {
    let binary = terraform_binary();
    let command = format!("{} show -json -no-color {}", binary.to_string_lossy(), plan_file.display());
    let mut child = Command::new(&binary)
        .args(["show", "-json", "-no-color"])
        .arg(plan_file)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| match e.kind() {
            ErrorKind::NotFound | ErrorKind::PermissionDenied => {
                PlanError::TerraformMissing { binary: binary.to_string_lossy().into_owned() }
            }
            _ => PlanError::Io { what: format!("`{command}`"), source: e },
        })?;
    // Standard error is drained beside standard output, so a chatty terraform never blocks.
    let mut stderr_pipe = child.stderr.take().expect("piped");
    let stderr = std::thread::spawn(move || {
        let mut text = Vec::new();
        let _ = stderr_pipe.read_to_end(&mut text);
        text
    });
    let shown = read_capped(child.stdout.take().expect("piped"), &format!("the output of `{command}`"), limits);
    if shown.is_err() {
        let _ = child.kill();
    }
    let status = child.wait().map_err(|e| PlanError::Io { what: format!("`{command}`"), source: e })?;
    let stderr = stderr.join().unwrap_or_default();
    let shown = shown?;
    if !status.success() {
        return Err(PlanError::TerraformFailed {
            command,
            status: status.to_string(),
            stderr: last_chars(&String::from_utf8_lossy(&stderr), 4000),
        });
    }
    Ok(shown)
}

/// Runs [`show_json`] on plan bytes that did not come from a file (stdin). Terraform reads plans
/// only from a path, so the bytes go to a temporary file that has no name: created unlinked
/// (`O_TMPFILE`, mode 0600, in the temporary directory), it holds the plan's secrets only as long as
/// this process keeps it open and is gone on every exit, `kill -9` included. Terraform opens it as
/// `/proc/<this process>/fd/<n>`.
pub fn show_json_of_bytes(bytes: &[u8], limits: &Limits) -> Result<Vec<u8>, PlanError> {
    let io_error = |e| PlanError::Io { what: "an unnamed temporary file for the plan".into(), source: e };
    let mut file = tempfile::tempfile().map_err(io_error)?;
    file.set_permissions(std::fs::Permissions::from_mode(0o600))
        .and_then(|()| file.write_all(bytes))
        .and_then(|()| file.flush())
        .map_err(io_error)?;
    let path = PathBuf::from(format!("/proc/{}/fd/{}", std::process::id(), file.as_raw_fd()));
    show_json(&path, limits)
}
fn last_chars(text: &str, max: usize) -> String {
    let text = text.trim();
    match text.char_indices().rev().nth(max) {
        Some((cut, _)) => format!("…{}", &text[cut..]),
        None => text.to_string(),
    }
}

/// Whether terraform can be run at all (`terraform version` succeeds).
pub fn available() -> bool {
    Command::new(terraform_binary())
        .arg("version")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

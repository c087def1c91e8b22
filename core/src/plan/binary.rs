//! Binary plan files (the zip `terraform plan -out` writes) can only be read by the Terraform that
//! made them, so plangate asks it: `terraform show -json -no-color PLANFILE`, in the current
//! directory, which must be the initialized working directory of the plan.

use std::ffi::OsString;
use std::io::ErrorKind;
use std::path::Path;
use std::process::{Command, Stdio};

use super::PlanError;

/// The terraform to run: `TERRAFORM_BINARY`, else `terraform` from `PATH`.
pub fn terraform_binary() -> OsString {
    std::env::var_os("TERRAFORM_BINARY").filter(|v| !v.is_empty()).unwrap_or_else(|| "terraform".into())
}

/// Runs `terraform show -json` on a binary plan file and returns what it prints.
pub fn show_json(plan_file: &Path) -> Result<Vec<u8>, PlanError> {
    let binary = terraform_binary();
    let command = format!("{} show -json -no-color {}", binary.to_string_lossy(), plan_file.display());
    let output = Command::new(&binary)
        .args(["show", "-json", "-no-color"])
        .arg(plan_file)
        .stdin(Stdio::null())
        .output()
        .map_err(|e| match e.kind() {
            ErrorKind::NotFound | ErrorKind::PermissionDenied => {
                PlanError::TerraformMissing { binary: binary.to_string_lossy().into_owned() }
            }
            _ => PlanError::Io { what: format!("`{command}`"), source: e },
        })?;
    if !output.status.success() {
        return Err(PlanError::TerraformFailed {
            command,
            status: output.status.to_string(),
            stderr: last_chars(&String::from_utf8_lossy(&output.stderr), 4000),
        });
    }
    Ok(output.stdout)
}

/// Runs [`show_json`] on plan bytes that did not come from a file (stdin).
pub fn show_json_of_bytes(bytes: &[u8]) -> Result<Vec<u8>, PlanError> {
    let mut path = std::env::temp_dir();
    let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_nanos());
    path.push(format!("plangate-stdin-{}-{nanos}.tfplan", std::process::id()));
    let io_error = |e| PlanError::Io { what: format!("temporary plan file {}", path.display()), source: e };
    std::fs::File::create_new(&path).and_then(|mut f| std::io::Write::write_all(&mut f, bytes)).map_err(io_error)?;
    let shown = show_json(&path);
    let _ = std::fs::remove_file(&path);
    shown
}

fn last_chars(text: &str, max: usize) -> String {
    let text = text.trim();
    match text.char_indices().rev().nth(max) {
        Some((cut, _)) => format!("…{}", &text[cut..]),
        None => text.to_string(),
    }
}

//! Reading Terraform plans: load the bytes (running terraform for binary plans), decode them, stream
//! the sections plangate needs, and normalize each resource change once. Nothing here judges risk.

pub mod action;
pub mod binary;
pub mod change;
pub mod encoding;
mod error;
pub mod reader;
pub mod values;

use std::io::Read;
use std::path::Path;

pub use action::{Action, ActionReason, KnownReason};
pub use change::{display_path, Change, Mode, PathStep};
pub use error::{Location, PlanError};
pub use reader::{read_outer, PlanHeader, RawPlan};
pub use values::{Attr, Values};

/// Loads the JSON text of a plan from a file, or from standard input when `path` is `-`. Binary
/// plan files are recognised by their content and shown with terraform.
pub fn load(path: &str) -> Result<Vec<u8>, PlanError> {
    if path == "-" {
        let mut bytes = Vec::new();
        std::io::stdin()
            .lock()
            .read_to_end(&mut bytes)
            .map_err(|source| PlanError::Io { what: "standard input".into(), source })?;
        return if encoding::is_binary_plan(&bytes) { binary::show_json_of_bytes(&bytes) } else { Ok(bytes) };
    }
    let bytes = std::fs::read(path).map_err(|source| PlanError::Io { what: format!("plan file {path}"), source })?;
    if encoding::is_binary_plan(&bytes) {
        binary::show_json(Path::new(path))
    } else {
        Ok(bytes)
    }
}

//! Choosing how a binary plan file is read: natively (no terraform, no providers) or by
//! `terraform show -json`. `auto` reads natively when a schema table knows every resource's
//! provider version, else asks terraform when it is installed, else reads natively with every
//! value of the unknown providers masked, and says so.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::native::{self, Tables};
use super::{terraform, PlanError};
use crate::limits::Limits;

/// How binary plan files are read.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
#[non_exhaustive]
pub enum PlanReader {
    /// Natively when every provider's schema table is known, else terraform if it is installed,
    /// else natively with the values of unknown providers masked.
    #[default]
    Auto,
    /// Always natively; values of providers no table knows are masked.
    Native,
    /// Always `terraform show -json`, in the plan's working directory.
    Terraform,
}

impl std::str::FromStr for PlanReader {
    type Err = String;
    fn from_str(s: &str) -> Result<PlanReader, String> {
        match s {
            "auto" => Ok(PlanReader::Auto),
            "native" => Ok(PlanReader::Native),
            "terraform" => Ok(PlanReader::Terraform),
            other => Err(format!("expected auto, native or terraform, found {other:?}")),
        }
    }
}

/// What read a binary plan.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
#[non_exhaustive]
pub enum ReadBy {
    /// plangate's own reader.
    Native,
    /// `terraform show -json`.
    Terraform,
}

/// How to read binary plans: the reader and the schema table files beside the embedded ones.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct BinaryOptions {
    /// Which reader.
    pub reader: PlanReader,
    /// Schema tables made with `scripts/schema-table`, for provider versions plangate does not embed.
    pub schema_tables: Vec<PathBuf>,
}

/// A binary plan as JSON, and how it was read.
pub struct Reading {
    pub json: Vec<u8>,
    pub read_by: ReadBy,
    /// The providers (`source version`) whose values were masked.
    pub masked: Vec<String>,
    /// The only top-level members `json` has, when plangate wrote it (see [`native::SECTIONS`]);
    /// `None` for terraform's, which has them all.
    pub held: Option<&'static [&'static str]>,
}

/// Reads binary plan `bytes` (from the file `path`, when they came from one).
pub fn read(bytes: &[u8], path: Option<&Path>, options: &BinaryOptions, limits: &Limits) -> Result<Reading, PlanError> {
    let by_terraform = || -> Result<Reading, PlanError> {
        let json = match path {
            Some(path) => terraform::show_json(path, limits)?,
            None => terraform::show_json_of_bytes(bytes, limits)?,
        };
        Ok(Reading { json, read_by: ReadBy::Terraform, masked: Vec::new(), held: None })
    };
    if options.reader == PlanReader::Terraform {
        return by_terraform();
    }
    let tables = Tables::load(&options.schema_tables)?;
    let decoded = match native::decode(bytes, limits) {
        Ok(decoded) => decoded,
        // What plangate does not understand, the terraform that made the plan may.
        Err(PlanError::BinaryArchive { .. } | PlanError::BinaryVersion { .. })
            if options.reader == PlanReader::Auto && terraform::available() =>
        {
            return by_terraform();
        }
        Err(e) => return Err(e),
    };
    if options.reader == PlanReader::Auto && !decoded.uncovered(&tables).is_empty() && terraform::available() {
        return by_terraform();
    }
    let shown = decoded.to_json(&tables)?;
    Ok(Reading { json: shown.json, read_by: ReadBy::Native, masked: shown.masked, held: Some(native::SECTIONS) })
}

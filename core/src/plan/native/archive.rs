//! The zip container of a binary plan: the `tfplan` entry and the dependency lock file, read into
//! memory under the plan size limit (a zip bomb stops at the limit), never extracted to disk.

use std::io::{Cursor, Read};

use super::invalid;
use crate::limits::{Bound, Limits};
use crate::plan::PlanError;

/// What plangate reads of a plan file.
pub struct Entries {
    pub tfplan: Vec<u8>,
    pub lock_file: Option<String>,
}

pub fn read(bytes: &[u8], limits: &Limits) -> Result<Entries, PlanError> {
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes))
        .map_err(|e| invalid(format!("it is not a readable zip archive ({e})")))?;
    let mut budget = limits.max_plan_bytes;
    let tfplan = entry(&mut archive, "tfplan", &mut budget, limits)?.ok_or_else(|| {
        let names: Vec<String> = archive.file_names().take(8).filter_map(Result::ok).map(|n| n.into_owned()).collect();
        invalid(format!(
            "it has no `tfplan` entry, so it is not a Terraform plan file (it holds: {})",
            names.join(", ")
        ))
    })?;
    let lock_file = entry(&mut archive, ".terraform.lock.hcl", &mut budget, limits)?
        .map(|bytes| String::from_utf8(bytes).map_err(|_| invalid("its dependency lock file is not UTF-8 text")))
        .transpose()?;
    Ok(Entries { tfplan, lock_file })
}

/// An entry's decompressed bytes, counted against `budget` whatever size the archive claims.
fn entry(
    archive: &mut zip::ZipArchive<Cursor<&[u8]>>,
    name: &str,
    budget: &mut u64,
    limits: &Limits,
) -> Result<Option<Vec<u8>>, PlanError> {
    let file = match archive.by_name(name) {
        Ok(file) => file,
        Err(zip::result::ZipError::FileNotFound) => return Ok(None),
        Err(e) => return Err(invalid(format!("its `{name}` entry cannot be read ({e})"))),
    };
    let mut bytes = Vec::with_capacity(usize::try_from(file.size().min(*budget).min(64 << 20)).unwrap_or(0));
    file.take(budget.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(|e| invalid(format!("its `{name}` entry cannot be decompressed ({e})")))?;
    if bytes.len() as u64 > *budget {
        return Err(PlanError::TooLarge {
            what: format!("the `{name}` entry of the binary plan, decompressed,"),
            limit: limits.exceeded(Bound::PlanBytes),
        });
    }
    *budget -= bytes.len() as u64;
    Ok(Some(bytes))
}

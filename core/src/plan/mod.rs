//! Reading Terraform plans: load the bytes (running terraform for binary plans), decode them, stream
//! the sections plangate needs, and normalize each resource change once. Nothing here judges risk.

pub mod action;
pub mod binary;
pub mod change;
pub mod diff;
pub mod encoding;
mod error;
pub mod reader;
pub mod values;

use std::io::Read;
use std::ops::Deref;
use std::path::Path;

pub use action::{Action, ActionReason, KnownReason};
pub use change::{display_path, Change, Mode, PathStep};
pub use error::{Location, PlanError};
pub use reader::{read_outer, read_streaming, PlanHeader, RawPlan, Section, BATCH_SIZE};
pub use values::{Attr, Side, Values};

/// Files at least this large are memory-mapped instead of read: no copy, no zeroed buffer.
const MAP_AT_LEAST: u64 = 1 << 20;

/// The bytes of a plan, read into memory or mapped from its file.
pub enum PlanBytes {
    Owned(Vec<u8>),
    Mapped(memmap2::Mmap),
}

impl PlanBytes {
    /// Gives the pages of `span` (a part of these bytes that will not be read again) back to the
    /// kernel when the bytes are a memory map; they stay in the page cache. Does nothing for bytes
    /// read into memory, or for spans smaller than a few pages.
    pub fn release(&self, span: &[u8]) {
        const PAGE: usize = 4096;
        let PlanBytes::Mapped(map) = self else { return };
        let base = map.as_ptr() as usize;
        let start = span.as_ptr() as usize;
        if start < base || start + span.len() > base + map.len() {
            return;
        }
        // Whole pages inside the span only: its neighbours may still be read.
        let first = (start - base).div_ceil(PAGE) * PAGE;
        let end = (start - base + span.len()) / PAGE * PAGE;
        if end >= first + 4 * PAGE {
            // SAFETY: the map is private and read-only, so dropping pages loses nothing: a later
            // read would fault them in again from the file. The span is never read again.
            let _ = unsafe { map.unchecked_advise_range(memmap2::UncheckedAdvice::DontNeed, first, end - first) };
        }
    }
}

impl Deref for PlanBytes {
    type Target = [u8];
    fn deref(&self) -> &[u8] {
        match self {
            PlanBytes::Owned(bytes) => bytes,
            PlanBytes::Mapped(map) => map,
        }
    }
}

/// Loads the JSON text of a plan from a file, or from standard input when `path` is `-`. Binary
/// plan files are recognised by their content and shown with terraform.
pub fn load(path: &str) -> Result<PlanBytes, PlanError> {
    if path == "-" {
        let mut bytes = Vec::new();
        std::io::stdin()
            .lock()
            .read_to_end(&mut bytes)
            .map_err(|source| PlanError::Io { what: "standard input".into(), source })?;
        return if encoding::is_binary_plan(&bytes) { binary::show_json_of_bytes(&bytes) } else { Ok(bytes) }
            .map(PlanBytes::Owned);
    }
    let io_error = |source| PlanError::Io { what: format!("plan file {path}"), source };
    let file = std::fs::File::open(path).map_err(io_error)?;
    let size = file.metadata().map_err(io_error)?.len();
    let bytes = if size >= MAP_AT_LEAST {
        // SAFETY: the map is read-only and lives no longer than this analysis. Were another process
        // to truncate the plan file meanwhile, reading past its end would fault (SIGBUS): the same
        // trade ripgrep makes for large files, and a plan file is not rewritten while it is gated.
        let map = unsafe { memmap2::MmapOptions::new().populate().map(&file) }.map_err(io_error)?;
        PlanBytes::Mapped(map)
    } else {
        let mut bytes = Vec::with_capacity(size as usize);
        (&file).read_to_end(&mut bytes).map_err(io_error)?;
        PlanBytes::Owned(bytes)
    };
    if encoding::is_binary_plan(&bytes) {
        binary::show_json(Path::new(path)).map(PlanBytes::Owned)
    } else {
        Ok(bytes)
    }
}

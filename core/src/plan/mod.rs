//! Reading Terraform plans: load the bytes (running terraform for binary plans), decode them, stream
//! the sections plangate needs, and normalize each resource change once. Nothing here judges risk.

mod action;
mod binary;
mod change;
mod diff;
pub(crate) mod encoding;
mod error;
mod reader;
pub(crate) mod values;

use std::borrow::Cow;
use std::io::Read;
use std::ops::Deref;
use std::path::Path;

pub use action::{Action, ActionReason, KnownReason};
pub(crate) use change::{display_path, Change, Mode};
pub use error::{Location, PlanError};
pub use reader::PlanHeader;
pub(crate) use reader::{read_streaming, Section};
pub(crate) use values::Attr;

/// Files at least this large are memory-mapped instead of read: no copy, no zeroed buffer.
const MAP_AT_LEAST: u64 = 1 << 20;

/// The bytes of a plan, read into memory or mapped from its file.
pub(crate) enum PlanBytes {
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

/// Loads the JSON text of a plan from standard input. Binary plan files are recognised by their
/// content and shown with terraform.
pub(crate) fn load_stdin() -> Result<PlanBytes, PlanError> {
    let mut bytes = Vec::new();
    std::io::stdin()
        .lock()
        .read_to_end(&mut bytes)
        .map_err(|source| PlanError::Io { what: "standard input".into(), source })?;
    Ok(PlanBytes::Owned(from_bytes(&bytes)?.into_owned()))
}

/// The JSON text of plan bytes: the bytes themselves, or what terraform shows of a binary plan.
pub(crate) fn from_bytes(bytes: &[u8]) -> Result<Cow<'_, [u8]>, PlanError> {
    if encoding::is_binary_plan(bytes) {
        binary::show_json_of_bytes(bytes).map(Cow::Owned)
    } else {
        Ok(Cow::Borrowed(bytes))
    }
}

/// Loads the JSON text of a plan from a file. Binary plan files are recognised by their content and
/// shown with terraform.
pub(crate) fn load(path: &Path) -> Result<PlanBytes, PlanError> {
    let io_error = |source| PlanError::Io { what: format!("plan file {}", path.display()), source };
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
        binary::show_json(path).map(PlanBytes::Owned)
    } else {
        Ok(bytes)
    }
}

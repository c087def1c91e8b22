//! Getting a plan's bytes into memory from a file, standard input or the caller, under the plan
//! size limit, failing at the first byte that cannot start a plan (so `/dev/zero` or a sparse file
//! of gigabytes is refused at once, not read whole). Binary plans are loaded as they are: reading
//! them is the binary reader's job.
//!
//! A large regular file can be memory-mapped, which costs no copy; but a mapped file truncated by
//! another process meanwhile faults (SIGBUS) when read. So mapping is the caller's choice: the CLI
//! maps and turns that signal into a clean exit 3, while a library caller (a Python or Node host)
//! gets a copy read into memory, which nothing outside can take away.

use std::fs::File;
use std::io::Read;
use std::ops::Deref;
use std::path::Path;

use super::{encoding, PlanError};
use crate::limits::{Bound, Limits};

/// Files at least this large are memory-mapped, when mapping is allowed.
const MAP_AT_LEAST: u64 = 1 << 20;

/// How much of a stream is read before its first bytes are judged.
const HEAD: usize = 64 << 10;

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

fn too_large(what: &str, limits: &Limits) -> PlanError {
    PlanError::TooLarge { what: what.to_string(), limit: limits.exceeded(Bound::PlanBytes) }
}

/// Loads a plan from standard input.
pub(crate) fn load_stdin(limits: &Limits) -> Result<PlanBytes, PlanError> {
    read_capped(std::io::stdin().lock(), "standard input", limits).map(PlanBytes::Owned)
}

/// Judges plan bytes a caller holds as a file's would be: the size limit, and a start that can
/// begin a plan.
pub(crate) fn check_bytes(bytes: &[u8], limits: &Limits) -> Result<(), PlanError> {
    if bytes.len() as u64 > limits.max_plan_bytes {
        return Err(too_large("the plan", limits));
    }
    encoding::check_start(bytes)
}

/// Loads a plan file; `map` allows memory-mapping a large regular file (see the
/// module's documentation). FIFOs, devices and other streams are read as streams, under the limit.
pub(crate) fn load(path: &Path, limits: &Limits, map: bool) -> Result<PlanBytes, PlanError> {
    let what = format!("plan file {}", path.display());
    let io_error = |source| PlanError::Io { what: what.clone(), source };
    let file = File::open(path).map_err(io_error)?;
    let metadata = file.metadata().map_err(io_error)?;
    let bytes = if !metadata.is_file() {
        PlanBytes::Owned(read_capped(&file, &what, limits)?)
    } else {
        let size = metadata.len();
        if size > limits.max_plan_bytes {
            return Err(too_large(&what, limits));
        }
        let mut head = Vec::with_capacity(HEAD);
        (&file).take(HEAD as u64).read_to_end(&mut head).map_err(io_error)?;
        encoding::check_start(&head)?;
        if map && size >= MAP_AT_LEAST {
            // SAFETY: the map is read-only and lives no longer than this analysis. A truncation by
            // another process meanwhile would fault when read: callers that map handle SIGBUS.
            let map = unsafe { memmap2::MmapOptions::new().populate().map(&file) }.map_err(io_error)?;
            PlanBytes::Mapped(map)
        } else {
            let mut bytes = head;
            bytes.reserve(usize::try_from(size).unwrap_or(0).saturating_sub(bytes.len()));
            // The file may have grown since it was measured: the limit still holds.
            (&file)
                .take(limits.max_plan_bytes.saturating_add(1) - bytes.len() as u64)
                .read_to_end(&mut bytes)
                .map_err(io_error)?;
            if bytes.len() as u64 > limits.max_plan_bytes {
                return Err(too_large(&what, limits));
            }
            PlanBytes::Owned(bytes)
        }
    };
    Ok(bytes)
}

/// Reads a stream to its end, judging its first bytes before reading on and refusing more than the
/// plan size limit.
pub(crate) fn read_capped(reader: impl Read, what: &str, limits: &Limits) -> Result<Vec<u8>, PlanError> {
    let io_error = |source| PlanError::Io { what: what.to_string(), source };
    let mut reader = reader.take(limits.max_plan_bytes.saturating_add(1));
    let mut bytes = Vec::new();
    (&mut reader).take(HEAD as u64).read_to_end(&mut bytes).map_err(io_error)?;
    encoding::check_start(&bytes)?;
    reader.read_to_end(&mut bytes).map_err(io_error)?;
    if bytes.len() as u64 > limits.max_plan_bytes {
        return Err(too_large(what, limits));
    }
    Ok(bytes)
}

//! Getting a plan's bytes into memory from a file, standard input or the caller, under the plan
//! size limit, failing at the first byte that cannot start a plan (so `/dev/zero` or a sparse file
//! of gigabytes is refused at once, not read whole). Binary plans are loaded as they are: reading
//! them is the binary reader's job.
//!
//! A large regular file is memory-mapped, which costs no copy, through a guarded mapping
//! ([`super::mapping`]): a file truncated by another process meanwhile reads as zeros where it was
//! cut, instead of faulting, and the reading then fails saying the file changed. So every front
//! end maps, a Python or Node host as well as the CLI.
//!
//! A FIFO blocks whoever opens it until something writes: it is opened without waiting, and read
//! in waits of a tenth of a second, between which the caller's [`Interrupt`] may stop the reading
//! (a Python host's Ctrl-C).

use std::fs::File;
use std::io::Read;
use std::ops::Deref;
use std::os::unix::fs::{FileTypeExt, OpenOptionsExt};
use std::os::unix::io::AsRawFd;
use std::path::Path;
use std::sync::Arc;

use super::mapping::Guarded;
use super::{encoding, PlanError};
use crate::limits::{Bound, Limits};

/// Asked, while a reading waits for a stream to say something, whether to stop waiting.
#[derive(Clone)]
pub struct Interrupt(Arc<dyn Fn() -> bool + Send + Sync>);

impl Interrupt {
    /// An interrupt that stops a waiting reading when `stop` returns true.
    pub fn new(stop: impl Fn() -> bool + Send + Sync + 'static) -> Interrupt {
        Interrupt(Arc::new(stop))
    }
}

impl std::fmt::Debug for Interrupt {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Interrupt")
    }
}

/// A FIFO opened without blocking, read as a blocking stream: each wait is a poll of a tenth of a
/// second, after which `interrupt` may stop it. It is read only once the poll says so: before any
/// writer came, a read would see the end of the stream.
struct Waiting<'i> {
    file: File,
    interrupt: Option<&'i Interrupt>,
}

impl Read for Waiting<'_> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        loop {
            let mut fd = libc::pollfd { fd: self.file.as_raw_fd(), events: libc::POLLIN, revents: 0 };
            // SAFETY: one valid pollfd, for the duration of the call.
            match unsafe { libc::poll(&mut fd, 1, 100) } {
                ready if ready > 0 => match (&self.file).read(buf) {
                    Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {}
                    other => return other,
                },
                0 => {}
                _ => {
                    let error = std::io::Error::last_os_error();
                    if error.kind() != std::io::ErrorKind::Interrupted {
                        return Err(error);
                    }
                }
            }
            // Not ErrorKind::Interrupted: `read_to_end` retries those.
            if self.interrupt.is_some_and(|i| (i.0)()) {
                return Err(std::io::Error::other("interrupted while waiting for it"));
            }
        }
    }
}

/// Files at least this large are memory-mapped, when mapping is allowed.
const MAP_AT_LEAST: u64 = 1 << 20;

/// How much of a stream is read before its first bytes are judged.
const HEAD: usize = 64 << 10;

/// The bytes of a plan, read into memory or mapped from its file.
pub(crate) enum PlanBytes {
    Owned(Vec<u8>),
    Mapped(Guarded),
}

impl PlanBytes {
    /// Gives the pages of `span` (a part of these bytes that will not be read again) back to the
    /// kernel when the bytes are a memory map; they stay in the page cache. Does nothing for bytes
    /// read into memory, or for spans smaller than a few pages.
    pub fn release(&self, span: &[u8]) {
        const PAGE: usize = 4096;
        let PlanBytes::Mapped(guarded) = self else { return };
        let map = guarded.mmap();
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
            // read would fault them in again from the file (guarded, should it have been cut).
            // The span is never read again.
            let _ = unsafe { map.unchecked_advise_range(memmap2::UncheckedAdvice::DontNeed, first, end - first) };
        }
    }
}

impl PlanBytes {
    /// `Err` when another process truncated the mapped file while it was read: whatever was made
    /// of the bytes is not the file.
    pub fn unchanged(&self) -> Result<(), PlanError> {
        match self {
            PlanBytes::Mapped(guarded) if guarded.truncated() => Err(PlanError::Truncated),
            _ => Ok(()),
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

/// Loads a plan file, a large regular one memory-mapped (see the module's documentation). FIFOs,
/// devices and other streams are read as streams, under the limit; `interrupt` may stop the
/// waiting for a FIFO.
pub(crate) fn load(path: &Path, limits: &Limits, interrupt: Option<&Interrupt>) -> Result<PlanBytes, PlanError> {
    let what = format!("plan file {}", path.display());
    let io_error = |source| PlanError::Io { what: what.clone(), source };
    if std::fs::metadata(path).map_err(io_error)?.file_type().is_fifo() {
        // Opened without waiting for a writer, then read in interruptible waits.
        let file =
            std::fs::OpenOptions::new().read(true).custom_flags(libc::O_NONBLOCK).open(path).map_err(io_error)?;
        return read_capped(Waiting { file, interrupt }, &what, limits).map(PlanBytes::Owned);
    }
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
        let mapped = match usize::try_from(size) {
            Ok(len) if size >= MAP_AT_LEAST => Guarded::map(&file, len).map_err(io_error)?,
            _ => None,
        };
        if let Some(map) = mapped {
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

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicBool, Ordering};

    fn fifo(dir: &Path) -> std::path::PathBuf {
        let path = dir.join("plan.fifo");
        let name = std::ffi::CString::new(path.to_str().unwrap()).unwrap();
        // SAFETY: a valid C string.
        assert_eq!(unsafe { libc::mkfifo(name.as_ptr(), 0o600) }, 0);
        path
    }

    #[test]
    fn a_fifo_is_read_when_written_and_its_wait_can_be_interrupted() {
        let dir = tempfile::tempdir().unwrap();
        let path = fifo(dir.path());
        let writer = {
            let path = path.clone();
            std::thread::spawn(move || {
                std::thread::sleep(std::time::Duration::from_millis(300));
                std::fs::write(path, br#"{"resource_changes": []}"#).unwrap();
            })
        };
        let bytes = load(&path, &Limits::default(), None).unwrap();
        assert_eq!(&bytes[..], br#"{"resource_changes": []}"#);
        writer.join().unwrap();

        // Nothing ever writes: the wait ends when the interrupt says so.
        let stop = Arc::new(AtomicBool::new(false));
        let interrupt = Interrupt::new({
            let stop = stop.clone();
            move || stop.load(Ordering::Relaxed)
        });
        std::thread::spawn(move || {
            std::thread::sleep(std::time::Duration::from_millis(300));
            stop.store(true, Ordering::Relaxed);
        });
        let err = load(&path, &Limits::default(), Some(&interrupt)).err().unwrap().to_string();
        assert!(err.contains("interrupted"), "{err}");
    }

    #[test]
    fn a_mapped_plan_cut_by_another_process_is_an_error() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("plan.json");
        let text = format!("{{\"resource_changes\": []{}}}", " ".repeat(MAP_AT_LEAST as usize));
        std::fs::write(&path, &text).unwrap();
        let bytes = load(&path, &Limits::default(), None).unwrap();
        assert!(matches!(bytes, PlanBytes::Mapped(_)) && bytes.unchanged().is_ok());
        std::fs::OpenOptions::new().write(true).open(&path).unwrap().set_len(10).unwrap();
        assert_eq!(bytes[MAP_AT_LEAST as usize / 2], 0);
        assert!(bytes.unchanged().unwrap_err().to_string().contains("truncated or replaced"));
    }
}

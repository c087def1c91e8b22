//! Plan files mapped into memory rather than copied (100 MB copied costs more than a third of the
//! check), guarded so that no other process can crash ours: reading a page of a mapped file that
//! another process truncated raises SIGBUS. A handler catches those faults inside a guarded
//! mapping, puts a page of zeros where the file's page was, and marks the mapping truncated, so
//! the reading goes on to its end and the check then fails (exit 3) saying the file changed. Any
//! other SIGBUS goes to whatever handled it before (Python's faulthandler, say), or kills the
//! process as it would have. The handler is installed when a mapping is made, and again whenever
//! another handler took its place meanwhile.

use std::fs::File;
use std::ops::Deref;
use std::sync::atomic::{AtomicBool, AtomicI32, AtomicUsize, Ordering};
use std::sync::Mutex;

/// Mappings that may be guarded at once; beyond them a file is read into memory instead.
const SLOTS: usize = 64;

/// Where one guarded mapping lies; `start` is 0 when the slot is free.
struct Slot {
    start: AtomicUsize,
    end: AtomicUsize,
    truncated: AtomicBool,
}

#[allow(clippy::declare_interior_mutable_const, reason = "the initializer of an array of fresh slots")]
const FREE: Slot = Slot { start: AtomicUsize::new(0), end: AtomicUsize::new(0), truncated: AtomicBool::new(false) };
static GUARDED: [Slot; SLOTS] = [FREE; SLOTS];

/// The SIGBUS handler that was there before ours: its address (or `SIG_DFL`/`SIG_IGN`) and flags.
static PREVIOUS_HANDLER: AtomicUsize = AtomicUsize::new(libc::SIG_DFL);
static PREVIOUS_FLAGS: AtomicI32 = AtomicI32::new(0);
static PAGE: AtomicUsize = AtomicUsize::new(4096);
/// Installs happen one at a time.
static INSTALLING: Mutex<()> = Mutex::new(());

/// A read-only private mapping of a whole file, guarded against truncation.
pub struct Guarded {
    map: memmap2::Mmap,
    slot: &'static Slot,
}

impl Guarded {
    /// Maps `file` (of `len` bytes), or `None` when no slot is free (the caller reads the file
    /// instead). Pages are mapped as they are first read, not all at once: the reading gives back
    /// what it is done with, so a plan is never resident whole (a 100 MB plan peaks at ~65 MB,
    /// measured with `benches/whole_process.py`), and populating it up front bought no time.
    pub fn map(file: &File, len: usize) -> std::io::Result<Option<Guarded>> {
        let Some(slot) = GUARDED
            .iter()
            .find(|s| s.start.compare_exchange(0, usize::MAX, Ordering::AcqRel, Ordering::Acquire).is_ok())
        else {
            return Ok(None);
        };
        install();
        // SAFETY: read-only and private; a truncation by another process meanwhile is caught by
        // the handler, which this slot registers the mapping with before anything reads it.
        let map = match unsafe { memmap2::MmapOptions::new().len(len).map(file) } {
            Ok(map) => map,
            Err(e) => {
                slot.start.store(0, Ordering::Release);
                return Err(e);
            }
        };
        slot.truncated.store(false, Ordering::Release);
        slot.end.store(map.as_ptr() as usize + map.len(), Ordering::Release);
        slot.start.store(map.as_ptr() as usize, Ordering::Release);
        Ok(Some(Guarded { map, slot }))
    }

    /// Whether another process truncated the file while it was mapped: what was read is not the
    /// file, and nothing may be decided on it.
    pub fn truncated(&self) -> bool {
        self.slot.truncated.load(Ordering::Acquire)
    }

    /// The mapping itself (to give pages back).
    pub fn mmap(&self) -> &memmap2::Mmap {
        &self.map
    }
}

impl Deref for Guarded {
    type Target = [u8];
    fn deref(&self) -> &[u8] {
        &self.map
    }
}

impl Drop for Guarded {
    fn drop(&mut self) {
        // The slot is freed before the mapping goes, so no fault elsewhere is taken for ours.
        self.slot.end.store(0, Ordering::Release);
        self.slot.start.store(0, Ordering::Release);
    }
}

/// Makes [`on_sigbus`] the SIGBUS handler, remembering the one it replaces (unless that is ours).
fn install() {
    let _one_at_a_time = INSTALLING.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    // SAFETY: sigaction with a valid, zeroed struct; sysconf has no preconditions.
    unsafe {
        let page = libc::sysconf(libc::_SC_PAGESIZE);
        if page > 0 {
            PAGE.store(page as usize, Ordering::Relaxed);
        }
        let mut current: libc::sigaction = std::mem::zeroed();
        libc::sigaction(libc::SIGBUS, std::ptr::null(), &mut current);
        let ours = on_sigbus as extern "C" fn(libc::c_int, *mut libc::siginfo_t, *mut libc::c_void) as usize;
        if current.sa_sigaction == ours {
            return;
        }
        PREVIOUS_HANDLER.store(current.sa_sigaction, Ordering::SeqCst);
        PREVIOUS_FLAGS.store(current.sa_flags, Ordering::SeqCst);
        let mut action: libc::sigaction = std::mem::zeroed();
        action.sa_sigaction = ours;
        libc::sigemptyset(&mut action.sa_mask);
        action.sa_flags = libc::SA_SIGINFO | libc::SA_ONSTACK;
        libc::sigaction(libc::SIGBUS, &action, std::ptr::null_mut());
    }
}

/// The handler. Only async-signal-safe work: atomics, mmap(2), sigaction(2), raise(3).
extern "C" fn on_sigbus(signal: libc::c_int, info: *mut libc::siginfo_t, context: *mut libc::c_void) {
    // SAFETY: the kernel hands a valid siginfo; mmap over a page of a mapping we own (MAP_FIXED
    // replaces it with zeros, which is all a truncated page could be read as).
    unsafe {
        // Faults come from the kernel (si_code > 0); a SIGBUS sent with kill(2) is not one.
        if (*info).si_code > 0 {
            let address = (*info).si_addr() as usize;
            for slot in &GUARDED {
                let start = slot.start.load(Ordering::Acquire);
                if start == 0 || start == usize::MAX || address < start || address >= slot.end.load(Ordering::Acquire) {
                    continue;
                }
                let page = address & !(PAGE.load(Ordering::Relaxed) - 1);
                let zeros = libc::mmap(
                    page as *mut libc::c_void,
                    PAGE.load(Ordering::Relaxed),
                    libc::PROT_READ,
                    libc::MAP_PRIVATE | libc::MAP_ANONYMOUS | libc::MAP_FIXED,
                    -1,
                    0,
                );
                if zeros != libc::MAP_FAILED {
                    slot.truncated.store(true, Ordering::Release);
                    return;
                }
            }
        }
        // Not ours: what handled SIGBUS before, or what it does by default.
        let previous = PREVIOUS_HANDLER.load(Ordering::SeqCst);
        if previous == libc::SIG_DFL || previous == libc::SIG_IGN {
            let mut default: libc::sigaction = std::mem::zeroed();
            default.sa_sigaction = libc::SIG_DFL;
            libc::sigaction(libc::SIGBUS, &default, std::ptr::null_mut());
            if (*info).si_code <= 0 {
                libc::raise(signal);
            }
            // A fault happens again on return, now with the default action.
            return;
        }
        if PREVIOUS_FLAGS.load(Ordering::SeqCst) & libc::SA_SIGINFO != 0 {
            let handler: extern "C" fn(libc::c_int, *mut libc::siginfo_t, *mut libc::c_void) =
                std::mem::transmute(previous);
            handler(signal, info, context);
        } else {
            let handler: extern "C" fn(libc::c_int) = std::mem::transmute(previous);
            handler(signal);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    #[test]
    fn a_file_truncated_while_mapped_reads_as_zeros_and_says_so() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("plan.json");
        let mut file = File::create(&path).unwrap();
        file.write_all(&vec![b'x'; 1 << 20]).unwrap();
        let file = File::open(&path).unwrap();
        let map = Guarded::map(&file, 1 << 20).unwrap().unwrap();
        assert!(!map.truncated());
        assert_eq!(map[1000], b'x');
        // Another process (here: this one, through another descriptor) cuts the file.
        std::fs::OpenOptions::new().write(true).open(&path).unwrap().set_len(4096).unwrap();
        assert_eq!(map[100], b'x', "what the file still has reads as it was");
        let beyond: u64 = map[8192..].iter().map(|&b| u64::from(b)).sum();
        assert_eq!(beyond, 0, "what it lost reads as zeros, instead of killing the process");
        assert!(map.truncated());
    }
}

//! Signals the command line handles itself. SIGBUS while a memory-mapped plan is read means another
//! process truncated the file underneath: a clean exit 3 with a message instead of a crash. SIGTERM,
//! SIGINT and SIGHUP while `plangate run` waits for its command are passed on to the command, so a
//! cancelled pipeline step leaves no orphan behind, and no further attempt is started.

use std::sync::atomic::{AtomicI32, Ordering};

/// Where signals for the running command go: its process id, or minus its process group's id
/// (the command and everything it started); 0 when there is none.
static CHILD: AtomicI32 = AtomicI32::new(0);
/// The termination signal received, 0 when none was.
static RECEIVED: AtomicI32 = AtomicI32::new(0);

/// The signals a pipeline uses to cancel a step.
const TERMINATION: [libc::c_int; 3] = [libc::SIGTERM, libc::SIGINT, libc::SIGHUP];

/// From now on, SIGBUS ends the process with exit 3 and a message saying the plan file changed.
pub fn exit_cleanly_on_sigbus() {
    extern "C" fn on_sigbus(_: libc::c_int) {
        const MESSAGE: &[u8] = b"plangate: error: the plan file was truncated or replaced by another process while it was being read; nothing was decided\n";
        // SAFETY: write(2) and _exit(2) are async-signal-safe; the message is a static buffer.
        unsafe {
            libc::write(2, MESSAGE.as_ptr().cast(), MESSAGE.len());
            libc::_exit(3);
        }
    }
    install(libc::SIGBUS, on_sigbus as extern "C" fn(libc::c_int) as libc::sighandler_t);
}

/// From now on, a termination signal is remembered and passed on to the command in [`CHILD`].
pub fn forward_termination() {
    extern "C" fn on_termination(signal: libc::c_int) {
        RECEIVED.store(signal, Ordering::SeqCst);
        let child = CHILD.load(Ordering::SeqCst);
        if child != 0 {
            // SAFETY: kill(2) is async-signal-safe.
            unsafe { libc::kill(child, signal) };
        }
    }
    for signal in TERMINATION {
        install(signal, on_termination as extern "C" fn(libc::c_int) as libc::sighandler_t);
    }
}

/// Names the running command (`pid` 0: none), leader of its own process group when `group`. A
/// signal that arrived just before is passed on now.
pub fn set_child(pid: u32, group: bool) {
    let pid = i32::try_from(pid).unwrap_or(0);
    let target = if group { -pid } else { pid };
    CHILD.store(target, Ordering::SeqCst);
    let signal = RECEIVED.load(Ordering::SeqCst);
    if pid > 0 && signal != 0 {
        // SAFETY: plain kill(2) of our own child (or its group).
        unsafe { libc::kill(target, signal) };
    }
}

/// The termination signal received so far, if any.
pub fn received() -> Option<i32> {
    Some(RECEIVED.load(Ordering::SeqCst)).filter(|s| *s != 0)
}

/// Sends `signal` to the running command, if there is one.
pub fn signal_child(signal: libc::c_int) {
    let child = CHILD.load(Ordering::SeqCst);
    if child != 0 {
        // SAFETY: plain kill(2) of our own child.
        unsafe { libc::kill(child, signal) };
    }
}

fn install(signal: libc::c_int, handler: libc::sighandler_t) {
    // SAFETY: a zeroed sigaction is valid; the handlers above only use async-signal-safe calls.
    // SA_RESTART keeps the wait for the command going after the handler has run.
    unsafe {
        let mut action: libc::sigaction = std::mem::zeroed();
        action.sa_sigaction = handler;
        libc::sigemptyset(&mut action.sa_mask);
        action.sa_flags = libc::SA_RESTART;
        libc::sigaction(signal, &action, std::ptr::null_mut());
    }
}

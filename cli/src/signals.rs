//! Signals the command line handles itself: SIGTERM, SIGINT and SIGHUP while `plangate run` waits
//! for its command are passed on to the command, so a cancelled pipeline step leaves no orphan
//! behind, and no further attempt is started. (A plan file truncated while it is mapped is the
//! engine's to catch: it guards its mappings, in every front end.)

use std::sync::atomic::{AtomicI32, Ordering};

/// Where signals for the running command go: its process id, or minus its process group's id
/// (the command and everything it started); 0 when there is none.
static CHILD: AtomicI32 = AtomicI32::new(0);
/// The termination signal received, 0 when none was.
static RECEIVED: AtomicI32 = AtomicI32::new(0);

/// The signals a pipeline uses to cancel a step.
const TERMINATION: [libc::c_int; 3] = [libc::SIGTERM, libc::SIGINT, libc::SIGHUP];

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

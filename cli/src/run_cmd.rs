//! `plangate run --config FILE --step NAME -- COMMAND ARGS...`: runs the command with the step's
//! policy, through the engine's retry driver. Output streams through live while the tail is kept
//! for classification; each attempt ends with a one-line summary on stderr; an auto-heal action
//! whose condition matches runs before the next attempt (and makes the failure worth retrying); a
//! failure that matches neither a heal condition nor `retry_on` is not retried. On final failure
//! plangate exits with the command's own exit code.

use std::io::{Read, Write};
use std::process::{Command, Stdio};
use std::sync::mpsc::{self, RecvTimeoutError};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use plangate::resilience::{Failure as Failed, GiveUpReason, Healer, Random, Retrier, SystemClock, ThreadSleep};

use crate::args::RunArgs;
use crate::retry_cmd::step_policy;
use crate::{signals, Failure};

/// Output kept for classifying a failure: the end is where the error is.
const TAIL_BYTES: usize = 64 * 1024;

/// A failed attempt, as the summaries describe it.
struct AttemptFailed {
    code: i32,
    why: String,
    /// The auto-heal action to run before the next attempt.
    heal: Option<String>,
    /// The command could not even be waited for: no point retrying, and not the command's code.
    fatal: Option<String>,
}

pub fn run(args: &RunArgs) -> Result<u8, Failure> {
    let policy = step_policy(&args.config, &args.step)?;
    let mut healer = Healer::new(&policy.heal).map_err(|e| Failure(e.to_string()))?;
    let mut retrier = Retrier::new(&policy.retry, Random::from_clock());
    let max = retrier.max_attempts();
    let shown = args.command.join(" ");
    let timeout = match args.timeout {
        Some(t) if t.is_finite() && t > 0.0 => Some(Duration::from_secs_f64(t)),
        Some(t) => return Err(Failure(format!("--timeout {t}: expected a number of seconds above 0"))),
        None => None,
    };
    signals::forward_termination();
    let result = retrier.run(
        &SystemClock,
        &mut ThreadSleep,
        |attempt| {
            if let Some(signal) = signals::received() {
                let why = format!("stopped by signal {signal}");
                return Err(Failed::permanent(AttemptFailed { code: 128 + signal, why, heal: None, fatal: None }));
            }
            let clock = std::time::Instant::now();
            let Attempt { code, tail, timed_out } = match run_streaming(&args.command, timeout) {
                Ok(outcome) => outcome,
                Err(fatal) => {
                    let failed = AttemptFailed { code: 1, why: fatal.clone(), heal: None, fatal: Some(fatal) };
                    return Err(Failed::permanent(failed));
                }
            };
            // A cancelled step is not retried: the command was told to stop, and so is plangate.
            if let Some(signal) = signals::received() {
                let why = format!("stopped by signal {signal}, passed on to the command");
                return Err(Failed::permanent(AttemptFailed { code: 128 + signal, why, heal: None, fatal: None }));
            }
            if timed_out {
                let why = format!("timed out after {:.1} s", clock.elapsed().as_secs_f64());
                return Err(Failed::retryable(AttemptFailed { code, why, heal: None, fatal: None }));
            }
            if code == 0 {
                let took = clock.elapsed().as_secs_f64();
                eprintln!("plangate run: attempt {attempt}/{max} of `{shown}` succeeded in {took:.1} s");
                return Ok(());
            }
            let classification = policy.classifier.classify(&tail);
            let heal = healer.pick(&tail).cloned();
            let why = match (&heal, &classification.matched) {
                (Some(h), _) => format!("auto-heal condition {:?} matched", h.condition),
                (None, Some(pattern)) => format!("{} error, matched {pattern:?}", classification.class.as_str()),
                (None, None) => "matches no retry_on pattern".to_string(),
            };
            let retryable = heal.is_some() || classification.retryable;
            let failed = AttemptFailed { code, why, heal: heal.map(|h| h.action), fatal: None };
            Err(if retryable { Failed::retryable(failed) } else { Failed::permanent(failed) })
        },
        |event| {
            let failed = event.error;
            eprintln!(
                "plangate run: attempt {}/{max} failed (exit {}, {}); retrying in {:.1} s",
                event.attempt, failed.code, failed.why, event.delay
            );
            if let Some(action) = &failed.heal {
                eprintln!("plangate run: auto-heal: running `{action}`");
                let heal = run_streaming(&["sh".into(), "-c".into(), action.clone()], timeout);
                let heal_code = heal.map_or(1, |attempt| attempt.code);
                eprintln!("plangate run: auto-heal `{action}` exited {heal_code}");
            }
        },
    );
    match result {
        Ok(()) => Ok(0),
        Err(gave_up) => {
            let failed = gave_up.error;
            if let Some(fatal) = failed.fatal {
                return Err(Failure(fatal));
            }
            let ending = match gave_up.reason {
                GiveUpReason::NotRetryable => "not retried".to_string(),
                reason => format!("{}, giving up", reason.describe()),
            };
            eprintln!(
                "plangate run: attempt {}/{max} failed (exit {}, {}): {ending}",
                gave_up.attempts, failed.code, failed.why
            );
            Ok(exit_code(failed.code))
        }
    }
}

/// Exit codes above 255 (signals are reported as 128 + n) cannot be passed on as they are.
fn exit_code(code: i32) -> u8 {
    u8::try_from(code).unwrap_or(1)
}

/// How one attempt ended.
struct Attempt {
    /// The exit code: 128 + signal when killed, 127 when the command cannot be found, 126 when it
    /// cannot be started.
    code: i32,
    /// The end of its combined output.
    tail: String,
    /// It ran out of time and was stopped.
    timed_out: bool,
}

/// How long a command stopped for running out of time may take to exit before it is killed.
const GRACE: Duration = Duration::from_secs(10);

/// Runs the command with its output copied live to ours, stopping it (SIGTERM, then SIGKILL after
/// [`GRACE`]) when `timeout` passes; `Err` only when it started but could not be waited for.
fn run_streaming(command: &[String], timeout: Option<Duration>) -> Result<Attempt, String> {
    let mut to_run = Command::new(&command[0]);
    to_run.args(&command[1..]).stdin(Stdio::inherit()).stdout(Stdio::piped()).stderr(Stdio::piped());
    // Without a terminal (a pipeline), the command gets a process group of its own, and signals go
    // to the whole group: what it started stops with it. On a terminal it stays in ours, so it may
    // still read the terminal, and Ctrl-C reaches all of it anyway.
    // SAFETY: isatty(3) only asks about descriptor 0.
    let own_group = unsafe { libc::isatty(0) } == 0;
    if own_group {
        std::os::unix::process::CommandExt::process_group(&mut to_run, 0);
    }
    let spawned = to_run.spawn();
    let mut child = match spawned {
        Ok(child) => child,
        Err(e) => {
            let message = format!("plangate run: cannot start `{}`: {e}", command[0]);
            eprintln!("{message}");
            let code = if e.kind() == std::io::ErrorKind::NotFound { 127 } else { 126 };
            return Ok(Attempt { code, tail: message, timed_out: false });
        }
    };
    signals::set_child(child.id(), own_group);
    let (done, finished) = mpsc::channel::<()>();
    let timer = timeout.map(|timeout| {
        std::thread::spawn(move || {
            if finished.recv_timeout(timeout) != Err(RecvTimeoutError::Timeout) {
                return false;
            }
            signals::signal_child(libc::SIGTERM);
            if finished.recv_timeout(GRACE) == Err(RecvTimeoutError::Timeout) {
                signals::signal_child(libc::SIGKILL);
            }
            true
        })
    });
    let tail = Arc::new(Mutex::new(Vec::new()));
    let stdout = child.stdout.take().map(|pipe| copy_live(pipe, std::io::stdout(), Arc::clone(&tail)));
    let stderr = child.stderr.take().map(|pipe| copy_live(pipe, std::io::stderr(), Arc::clone(&tail)));
    let status = child.wait();
    signals::set_child(0, false);
    let _ = done.send(());
    let timed_out = timer.is_some_and(|t| t.join().unwrap_or(false));
    let status = status.map_err(|e| format!("waiting for `{}`: {e}", command[0]))?;
    for copier in [stdout, stderr].into_iter().flatten() {
        let _ = copier.join();
    }
    let code = status.code().unwrap_or_else(|| {
        use std::os::unix::process::ExitStatusExt;
        128 + status.signal().unwrap_or(0)
    });
    let tail = tail.lock().map(|t| String::from_utf8_lossy(&t).into_owned()).unwrap_or_default();
    Ok(Attempt { code, tail, timed_out })
}

fn copy_live<R: Read + Send + 'static, W: Write + Send + 'static>(
    mut from: R,
    mut to: W,
    tail: Arc<Mutex<Vec<u8>>>,
) -> std::thread::JoinHandle<()> {
    std::thread::spawn(move || {
        let mut buffer = [0u8; 8192];
        while let Ok(n) = from.read(&mut buffer) {
            if n == 0 {
                break;
            }
            let _ = to.write_all(&buffer[..n]);
            let _ = to.flush();
            if let Ok(mut tail) = tail.lock() {
                tail.extend_from_slice(&buffer[..n]);
                let excess = tail.len().saturating_sub(TAIL_BYTES);
                tail.drain(..excess);
            }
        }
    })
}

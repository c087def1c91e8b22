//! `plangate run --config FILE --step NAME -- COMMAND ARGS...`: runs the command with the step's
//! policy. Output streams through live while the tail is kept for classification; each attempt
//! ends with a one-line summary on stderr; an auto-heal action whose condition matches runs before
//! the next attempt (and makes the failure worth retrying); a failure that matches neither a heal
//! condition nor `retry_on` is not retried. On final failure plangate exits with the command's own
//! exit code.

use std::io::{Read, Write};
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use plangate::resilience::{ErrorClass, Healer, Random};

use crate::args::RunArgs;
use crate::retry_cmd::step_policy;
use crate::Failure;

/// Output kept for classifying a failure: the end is where the error is.
const TAIL_BYTES: usize = 64 * 1024;

pub fn run(args: &RunArgs) -> Result<u8, Failure> {
    let policy = step_policy(&args.config, &args.step)?;
    let mut backoff = policy.retry.backoff(Random::from_clock());
    let mut healer = Healer::new(&policy.heal).map_err(Failure)?;
    let max = policy.retry.max_attempts;
    let shown = args.command.join(" ");
    for attempt in 1.. {
        let started = Instant::now();
        let (code, tail) = run_streaming(&args.command)?;
        let took = started.elapsed().as_secs_f64();
        if code == 0 {
            eprintln!("plangate run: attempt {attempt}/{max} of `{shown}` succeeded in {took:.1} s");
            return Ok(0);
        }
        let classification = policy.classifier.classify(&tail);
        let heal = healer.pick(&tail).cloned();
        let why = match (&heal, &classification.matched) {
            (Some(h), _) => format!("auto-heal condition {:?} matched", h.condition),
            (None, Some(pattern)) => format!("{} error, matched {pattern:?}", classification.class.as_str()),
            (None, None) => "matches no retry_on pattern".to_string(),
        };
        let retryable = heal.is_some() || classification.class != ErrorClass::Permanent;
        if !retryable {
            eprintln!("plangate run: attempt {attempt}/{max} failed (exit {code}, {why}): not retried");
            return Ok(exit_code(code));
        }
        let Some(delay) = backoff.next_delay(None) else {
            eprintln!("plangate run: attempt {attempt}/{max} failed (exit {code}, {why}): no attempts left, giving up");
            return Ok(exit_code(code));
        };
        eprintln!("plangate run: attempt {attempt}/{max} failed (exit {code}, {why}); retrying in {delay:.1} s");
        if let Some(heal) = heal {
            eprintln!("plangate run: auto-heal: running `{}`", heal.action);
            let (heal_code, _) = run_streaming(&["sh".into(), "-c".into(), heal.action.clone()])?;
            eprintln!("plangate run: auto-heal `{}` exited {heal_code}", heal.action);
        }
        std::thread::sleep(Duration::from_secs_f64(delay));
    }
    unreachable!("the attempt loop returns")
}

/// Exit codes above 255 (signals are reported as 128 + n) cannot be passed on as they are.
fn exit_code(code: i32) -> u8 {
    u8::try_from(code).unwrap_or(1)
}

/// Runs the command with its output copied live to ours; returns its exit code (128 + signal when
/// killed, 127 when it cannot be started) and the tail of its combined output.
fn run_streaming(command: &[String]) -> Result<(i32, String), Failure> {
    let mut child = match Command::new(&command[0])
        .args(&command[1..])
        .stdin(Stdio::inherit())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
    {
        Ok(child) => child,
        Err(e) => {
            let message = format!("plangate run: cannot start `{}`: {e}", command[0]);
            eprintln!("{message}");
            return Ok((if e.kind() == std::io::ErrorKind::NotFound { 127 } else { 126 }, message));
        }
    };
    let tail = Arc::new(Mutex::new(Vec::new()));
    let stdout = child.stdout.take().map(|pipe| copy_live(pipe, std::io::stdout(), Arc::clone(&tail)));
    let stderr = child.stderr.take().map(|pipe| copy_live(pipe, std::io::stderr(), Arc::clone(&tail)));
    let status = child.wait().map_err(|e| Failure(format!("waiting for `{}`: {e}", command[0])))?;
    for copier in [stdout, stderr].into_iter().flatten() {
        let _ = copier.join();
    }
    let code = status.code().unwrap_or_else(|| {
        use std::os::unix::process::ExitStatusExt;
        128 + status.signal().unwrap_or(0)
    });
    let tail = tail.lock().map(|t| String::from_utf8_lossy(&t).into_owned()).unwrap_or_default();
    Ok((code, tail))
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

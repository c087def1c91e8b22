//! `plangate breaker record|request|status --state FILE`: the circuit breaker for shell steps, its
//! state kept in the engine's shared state file (locked around each read-decide-write).

use plangate::resilience::{BreakerConfig, BreakerFile, Clock, Decision, SystemClock};
use plangate::BreakerSettings;

use crate::args::BreakerArgs;
use crate::{output, Failure};

/// The configuration, the state file and the time, each checked.
fn load(args: &BreakerArgs) -> Result<(BreakerConfig, BreakerFile, f64), Failure> {
    let mut settings = BreakerSettings::default();
    settings.config = args.config.as_ref().map(Into::into);
    let config = settings.resolve()?;
    let now = args.now.unwrap_or_else(|| SystemClock.now());
    if !now.is_finite() || now < 0.0 {
        return Err(Failure(format!("--now {now}: expected seconds since the Unix epoch")));
    }
    Ok((config, BreakerFile::new(&args.state), now))
}

pub fn record(args: &BreakerArgs, outcome: &str) -> Result<u8, Failure> {
    let success = match outcome {
        "success" => true,
        "failure" => false,
        other => return Err(Failure(format!("unknown outcome {other:?}: expected success or failure"))),
    };
    let (config, file, now) = load(args)?;
    let state = file
        .update(|breaker| {
            breaker.record(success, now, &config);
            breaker.state_name()
        })
        .map_err(|e| Failure(e.to_string()))?;
    eprintln!("plangate breaker: recorded {outcome}; the breaker is {state}");
    Ok(0)
}

pub fn request(args: &BreakerArgs) -> Result<u8, Failure> {
    let (config, file, now) = load(args)?;
    let (decision, state) = file
        .update(|breaker| (breaker.request(now, &config), breaker.state_name()))
        .map_err(|e| Failure(e.to_string()))?;
    match decision {
        Decision::Probe => {
            eprintln!("plangate breaker: half-open: this call is the probe; record its outcome");
            Ok(0)
        }
        Decision::Rejected { retry_in } => {
            eprintln!("plangate breaker: {state}: not now, try again in {retry_in:.0} s");
            Ok(1)
        }
        _ => {
            eprintln!("plangate breaker: closed: go ahead");
            Ok(0)
        }
    }
}

pub fn status(args: &BreakerArgs, format: &str) -> Result<u8, Failure> {
    let (_, file, _) = load(args)?;
    let breaker = file.read().map_err(|e| Failure(e.to_string()))?;
    let text = match format {
        "json" => serde_json::to_string_pretty(&breaker).unwrap_or_default() + "\n",
        "text" => {
            let failures = breaker.recent.iter().filter(|ok| !**ok).count();
            format!("{} ({} recent outcomes, {failures} failures)\n", breaker.state_name(), breaker.recent.len())
        }
        other => return Err(Failure(format!("unknown format {other:?}: expected text or json"))),
    };
    output::print(&text).map_err(|e| Failure(e.to_string()))?;
    Ok(u8::from(breaker.state_name() == "open"))
}

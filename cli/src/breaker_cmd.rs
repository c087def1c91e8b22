//! `plangate breaker record|request|status --state FILE`: the circuit breaker for shell steps, its
//! state kept in a JSON file (written atomically) between pipeline runs.

use plangate::policy::ConfigFile;
use plangate::resilience::{Breaker, BreakerConfig, Decision};

use crate::args::BreakerArgs;
use crate::{output, Failure};

fn load(args: &BreakerArgs) -> Result<(Breaker, BreakerConfig, f64), Failure> {
    let config = match &args.config {
        Some(path) => ConfigFile::read(path).map_err(|e| Failure(e.to_string()))?.circuit_breaker.unwrap_or_default(),
        None => BreakerConfig::default(),
    };
    let breaker = match std::fs::read_to_string(&args.state) {
        Ok(text) => serde_json::from_str(&text).map_err(|e| {
            Failure(format!(
                "breaker state {} is not a plangate breaker state: {e}; remove it to start closed",
                args.state
            ))
        })?,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Breaker::default(),
        Err(e) => return Err(Failure(format!("cannot read breaker state {}: {e}", args.state))),
    };
    let now = args.now.unwrap_or_else(|| {
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0.0, |d| d.as_secs_f64())
    });
    Ok((breaker, config, now))
}

fn save(args: &BreakerArgs, breaker: &Breaker) -> Result<(), Failure> {
    let text = serde_json::to_string_pretty(breaker).unwrap_or_default() + "\n";
    output::write_atomically(&args.state, |out| out.write_all(text.as_bytes()))
        .map_err(|e| Failure(format!("cannot write breaker state {}: {e}", args.state)))
}

pub fn record(args: &BreakerArgs, outcome: &str) -> Result<u8, Failure> {
    let success = match outcome {
        "success" => true,
        "failure" => false,
        other => return Err(Failure(format!("unknown outcome {other:?}: expected success or failure"))),
    };
    let (mut breaker, config, now) = load(args)?;
    breaker.record(success, now, &config);
    save(args, &breaker)?;
    eprintln!("plangate breaker: recorded {outcome}; the breaker is {}", breaker.state_name());
    Ok(0)
}

pub fn request(args: &BreakerArgs) -> Result<u8, Failure> {
    let (mut breaker, config, now) = load(args)?;
    let decision = breaker.request(now, &config);
    save(args, &breaker)?;
    match decision {
        Decision::Allowed => {
            eprintln!("plangate breaker: closed: go ahead");
            Ok(0)
        }
        Decision::Probe => {
            eprintln!("plangate breaker: half-open: this call is the probe; record its outcome");
            Ok(0)
        }
        Decision::Rejected { retry_in } => {
            eprintln!("plangate breaker: {}: not now, try again in {retry_in:.0} s", breaker.state_name());
            Ok(1)
        }
    }
}

pub fn status(args: &BreakerArgs, format: &str) -> Result<u8, Failure> {
    let (breaker, _, _) = load(args)?;
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

//! `plangate retry schedule`: the delays a step's policy gives, for a seed. The schedule is lazy, so
//! a policy allowing `u32::MAX` attempts answers at once: the first delays are listed and the rest
//! summed up as a bound.

use plangate::resilience::{Random, StepPolicy};
use plangate::RetrySettings;

use crate::Failure;

/// Delays listed one by one; later ones are summed up.
const LISTED: usize = 100;

/// The step's policy from a configuration file, as the engine resolves it.
pub fn step_policy(config: &str, step: &str) -> Result<StepPolicy, Failure> {
    let mut settings = RetrySettings::default();
    settings.config = Some(config.into());
    settings.step = Some(step.to_string());
    settings.resolve().map_err(|e| Failure(format!("{config}: {e}")))
}

/// The first delays of a schedule and what can be said of the rest.
struct Listing {
    delays: Vec<f64>,
    /// Retries the attempts allow beyond the listed ones (a time budget may end them sooner).
    more: u64,
    /// The listed delays' sum; the whole schedule's when `more` is 0.
    listed_total: f64,
    /// A bound on the whole schedule's total when it is not all listed.
    at_most: Option<f64>,
}

fn listing(policy: &StepPolicy, seed: u64) -> Listing {
    let mut schedule = policy.retry.delays(seed);
    let delays: Vec<f64> = schedule.by_ref().take(LISTED).collect();
    // Summed from +0.0: the sum of nothing must print as 0, not -0.
    let listed_total = delays.iter().fold(0.0, |sum, d| sum + d);
    let ended = delays.len() < LISTED || schedule.next().is_none();
    let more = if ended { 0 } else { u64::from(policy.retry.max_retries()).saturating_sub(LISTED as u64) };
    let at_most = (more > 0).then(|| {
        let bound = listed_total + more as f64 * policy.retry.max_delay;
        policy.retry.max_total_delay.map_or(bound, |budget| bound.min(budget))
    });
    Listing { delays, more, listed_total, at_most }
}

pub fn schedule(config: &str, step: &str, seed: Option<u64>, format: &str) -> Result<String, Failure> {
    let policy = step_policy(config, step)?;
    // Unseeded: a fresh schedule each time, as a real run would draw it.
    let seed = seed.unwrap_or_else(|| Random::from_clock().next_u64());
    let listing = listing(&policy, seed);
    match format {
        "json" => {
            let mut report = serde_json::json!({
                "step": policy.name,
                "max_attempts": policy.retry.max_attempts,
                "jitter": policy.retry.jitter,
                "seed": seed,
                "delays": listing.delays,
                "complete": listing.more == 0,
                "total_delay": listing.listed_total,
            });
            if let Some(at_most) = listing.at_most {
                report["more_retries"] = listing.more.into();
                report["total_delay_at_most"] = at_most.into();
            }
            Ok(format!("{}\n", serde_json::to_string_pretty(&report).unwrap_or_default()))
        }
        "text" => {
            let mut out = format!(
                "step {}: {} attempts, jitter {:?}, seed {seed}\n",
                policy.name, policy.retry.max_attempts, policy.retry.jitter
            );
            for (i, delay) in listing.delays.iter().enumerate() {
                out.push_str(&format!("retry {}: wait {delay:.3} s\n", i + 1));
            }
            match listing.at_most {
                None => out.push_str(&format!("total wait: {:.3} s\n", listing.listed_total)),
                Some(at_most) => out.push_str(&format!(
                    "… and up to {} more retries, each at most {:.3} s (max_delay)\ntotal wait: at most {at_most:.3} s\n",
                    listing.more, policy.retry.max_delay
                )),
            }
            Ok(out)
        }
        other => Err(Failure(format!("unknown format {other:?} for `plangate retry schedule`: expected text or json"))),
    }
}

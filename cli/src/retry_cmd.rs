//! `plangate retry schedule`: the delays a step's policy gives, for a seed.

use plangate::policy::ConfigFile;
use plangate::resilience::{Random, StepPolicy};

use crate::Failure;

/// The step's policy from a configuration file, or why it cannot be had.
pub fn step_policy(config: &str, step: &str) -> Result<StepPolicy, Failure> {
    let file = ConfigFile::read(config).map_err(|e| Failure(e.to_string()))?;
    let resilience = file.resilience.ok_or_else(|| Failure(format!("{config} has no `resilience:` section")))?;
    resilience.step(step).map_err(|e| Failure(format!("{config}: {e}")))
}

pub fn schedule(config: &str, step: &str, seed: Option<u64>, format: &str) -> Result<String, Failure> {
    let policy = step_policy(config, step)?;
    // Unseeded: a fresh schedule each time, as a real run would draw it.
    let seed = seed.unwrap_or_else(|| Random::from_clock().next_u64());
    let delays = policy.retry.schedule(seed);
    match format {
        "json" => {
            let total: f64 = delays.iter().sum();
            let report = serde_json::json!({
                "step": policy.name,
                "max_attempts": policy.retry.max_attempts,
                "jitter": policy.retry.jitter,
                "seed": seed,
                "delays": delays,
                "total_delay": total,
            });
            Ok(format!("{}\n", serde_json::to_string_pretty(&report).unwrap_or_default()))
        }
        "text" => {
            let mut out = format!(
                "step {}: {} attempts, jitter {:?}, seed {seed}\n",
                policy.name, policy.retry.max_attempts, policy.retry.jitter
            );
            for (i, delay) in delays.iter().enumerate() {
                out.push_str(&format!("retry {}: wait {delay:.3} s\n", i + 1));
            }
            out.push_str(&format!("total wait: {:.3} s\n", delays.iter().sum::<f64>()));
            Ok(out)
        }
        other => Err(Failure(format!("unknown format {other:?} for `plangate retry schedule`: expected text or json"))),
    }
}

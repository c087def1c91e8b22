//! Retry schedules: exponential backoff with a cap, four jitter modes, an optional total budget and
//! an optional floor from a server's Retry-After. Pure: the host sleeps; time is a number of seconds.

use std::fmt;

use serde::de::{self, Visitor};
use serde::{Deserialize, Deserializer, Serialize};

use super::random::Random;

/// How delays are spread around the exponential base delay.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
#[non_exhaustive]
pub enum Jitter {
    /// Exactly the base delay.
    None,
    /// Uniform in `[0, base]` (what `jitter: true` means).
    Full,
    /// `base/2` plus uniform in `[0, base/2]`.
    Equal,
    /// Polly's DecorrelatedJitterV2: spread like full jitter around an exponential median. Once
    /// that would reach `max_delay`, delays are drawn from `[max_delay/2, max_delay]` instead of
    /// sitting on the cap, so a fleet of clients never retries in lockstep.
    Decorrelated,
}

impl std::str::FromStr for Jitter {
    type Err = String;
    fn from_str(name: &str) -> Result<Jitter, String> {
        match name {
            "none" => Ok(Jitter::None),
            "full" => Ok(Jitter::Full),
            "equal" => Ok(Jitter::Equal),
            "decorrelated" => Ok(Jitter::Decorrelated),
            _ => Err(format!("expected none, full, equal or decorrelated, found {name:?}")),
        }
    }
}

impl<'de> Deserialize<'de> for Jitter {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Jitter, D::Error> {
        struct JitterVisitor;
        impl Visitor<'_> for JitterVisitor {
            type Value = Jitter;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("true, false, or one of none, full, equal, decorrelated")
            }
            fn visit_bool<E: de::Error>(self, v: bool) -> Result<Jitter, E> {
                Ok(if v { Jitter::Full } else { Jitter::None })
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Jitter, E> {
                v.parse().map_err(|_| E::invalid_value(de::Unexpected::Str(v), &self))
            }
        }
        d.deserialize_any(JitterVisitor)
    }
}

/// The `retry_strategy` of the configuration. Delays are in seconds.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
// Not `non_exhaustive`: hosts build strategies from their own settings; a field added later comes
// with a default, so build with `..RetryStrategy::default()`.
pub struct RetryStrategy {
    /// All attempts, the first included: 3 means the first try and two retries.
    #[serde(default = "defaults::max_attempts")]
    pub max_attempts: u32,
    /// The base delay before the first retry.
    #[serde(default = "defaults::initial_delay")]
    pub initial_delay: f64,
    /// A hard ceiling on every delay, after jitter and Retry-After.
    #[serde(default = "defaults::max_delay")]
    pub max_delay: f64,
    /// What each base delay is multiplied by for the next retry (1 or more).
    #[serde(default = "defaults::backoff_factor")]
    pub backoff_factor: f64,
    /// How delays are spread.
    #[serde(default = "defaults::jitter")]
    pub jitter: Jitter,
    /// Stop retrying once the delays would add up to more than this.
    #[serde(default)]
    pub max_total_delay: Option<f64>,
}

mod defaults {
    pub fn max_attempts() -> u32 {
        3
    }
    pub fn initial_delay() -> f64 {
        10.0
    }
    pub fn max_delay() -> f64 {
        60.0
    }
    pub fn backoff_factor() -> f64 {
        2.0
    }
    pub fn jitter() -> super::Jitter {
        super::Jitter::Full
    }
}

impl Default for RetryStrategy {
    fn default() -> RetryStrategy {
        RetryStrategy {
            max_attempts: defaults::max_attempts(),
            initial_delay: defaults::initial_delay(),
            max_delay: defaults::max_delay(),
            backoff_factor: defaults::backoff_factor(),
            jitter: defaults::jitter(),
            max_total_delay: None,
        }
    }
}

/// The longest delay, or budget of delays, a retry policy may ask for.
pub const MAX_DELAY_SECONDS: f64 = 86_400.0;

impl RetryStrategy {
    /// What is wrong with the numbers, if anything: each message names the field.
    pub fn problems(&self) -> Vec<String> {
        let mut problems = Vec::new();
        // A delay longer than a day is a mistake in the policy, and one too large for the host to
        // sleep (Python's time.sleep(1e300) raises) would replace the failure being retried.
        let non_negative = |name: &str, v: f64, problems: &mut Vec<String>| {
            if !v.is_finite() || !(0.0..=MAX_DELAY_SECONDS).contains(&v) {
                problems.push(format!(
                    "{name} must be a number of seconds from 0 to {MAX_DELAY_SECONDS} (a day) (found {v:?})"
                ));
            }
        };
        if self.max_attempts == 0 {
            problems.push("max_attempts must be at least 1 (it counts the first try)".into());
        }
        non_negative("initial_delay", self.initial_delay, &mut problems);
        non_negative("max_delay", self.max_delay, &mut problems);
        if let Some(budget) = self.max_total_delay {
            non_negative("max_total_delay", budget, &mut problems);
        }
        if !self.backoff_factor.is_finite() || self.backoff_factor < 1.0 {
            problems.push(format!(
                "backoff_factor must be 1 or more, so delays never shrink (found {})",
                self.backoff_factor
            ));
        }
        problems
    }

    /// The base delay before retry `retry` (1 is the first retry):
    /// `min(max_delay, initial_delay * backoff_factor^(retry-1))`. Never overflows or goes negative.
    pub fn base_delay(&self, retry: u32) -> f64 {
        if self.initial_delay <= 0.0 {
            return 0.0;
        }
        let growth = self.backoff_factor.max(1.0).powf(f64::from(retry.saturating_sub(1)));
        let base = self.initial_delay * growth;
        if base.is_finite() {
            base.min(self.max_delay)
        } else {
            self.max_delay
        }
    }

    /// The delays before each retry, with jitter drawn from `random`.
    pub fn backoff(&self, random: Random) -> Backoff {
        Backoff { strategy: self.clone(), random, retry: 0, spent: 0.0, decorrelated_prev: 0.0 }
    }

    /// The whole schedule for a seed, collected; for short schedules (tests, small `max_attempts`).
    /// See [`RetryStrategy::delays`] for the lazy form.
    pub fn schedule(&self, seed: u64) -> Vec<f64> {
        self.delays(seed).collect()
    }

    /// The schedule for a seed, lazily: one delay per retry (`max_attempts - 1` at most), each
    /// computed when asked for, so a strategy allowing `u32::MAX` attempts costs nothing up front.
    pub fn delays(&self, seed: u64) -> Backoff {
        self.backoff(Random::seeded(seed))
    }

    /// How many retries the attempts allow (`max_attempts - 1`); a time budget may end them sooner.
    pub fn max_retries(&self) -> u32 {
        self.max_attempts.saturating_sub(1)
    }
}

/// The delays in order; ends when the attempts or the time budget are spent.
impl Iterator for Backoff {
    type Item = f64;
    fn next(&mut self) -> Option<f64> {
        self.next_delay(None)
    }
}

/// Delays for successive retries of one run.
#[derive(Debug, Clone)]
pub struct Backoff {
    strategy: RetryStrategy,
    random: Random,
    /// Retries handed out so far.
    retry: u32,
    spent: f64,
    decorrelated_prev: f64,
}

impl Backoff {
    /// The delay before the next retry, or `None` when the attempts or the time budget are spent.
    /// `retry_after` (seconds, from a server) is a floor; `max_delay` stays the ceiling.
    pub fn next_delay(&mut self, retry_after: Option<f64>) -> Option<f64> {
        if self.retry.saturating_add(1) >= self.strategy.max_attempts {
            return None;
        }
        let retry = self.retry + 1;
        let mut delay = self.jittered(retry);
        if let Some(floor) = retry_after.filter(|f| f.is_finite() && *f > 0.0) {
            delay = delay.max(floor);
        }
        let delay = delay.min(self.strategy.max_delay).max(0.0);
        if let Some(budget) = self.strategy.max_total_delay {
            if self.spent + delay > budget {
                return None;
            }
        }
        self.retry = retry;
        self.spent += delay;
        Some(delay)
    }

    fn jittered(&mut self, retry: u32) -> f64 {
        let base = self.strategy.base_delay(retry);
        match self.strategy.jitter {
            Jitter::None => base,
            Jitter::Full => base * self.random.unit(),
            Jitter::Equal => base / 2.0 + base / 2.0 * self.random.unit(),
            Jitter::Decorrelated => {
                let (delay, next) =
                    decorrelated(retry - 1, self.random.unit(), self.decorrelated_prev, self.strategy.initial_delay);
                self.decorrelated_prev = next;
                let cap = self.strategy.max_delay;
                // Past the cap the formula would pin every delay at exactly `max_delay`: spread them.
                if delay >= cap {
                    cap / 2.0 + cap / 2.0 * self.random.unit()
                } else {
                    delay
                }
            }
        }
    }
}

/// One step of Polly's DecorrelatedJitterV2 for attempt `attempt` (0-based) with a uniform `u`:
/// returns the delay (before the `max_delay` cap) and the state for the next step. Past the range
/// of `f64` it saturates to infinity, which the cap turns into `max_delay`.
pub(crate) fn decorrelated(attempt: u32, u: f64, prev: f64, median_first_delay: f64) -> (f64, f64) {
    const P_FACTOR: f64 = 4.0;
    const RP_SCALING: f64 = 1.0 / 1.4;
    let t = f64::from(attempt) + u;
    let next = 2f64.powf(t) * (P_FACTOR * t).sqrt().tanh();
    if !next.is_finite() || !prev.is_finite() {
        return (f64::INFINITY, f64::INFINITY);
    }
    ((next - prev).max(0.0) * RP_SCALING * median_first_delay, next)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strategy(jitter: Jitter) -> RetryStrategy {
        RetryStrategy {
            max_attempts: 3,
            initial_delay: 10.0,
            max_delay: 60.0,
            backoff_factor: 2.0,
            jitter,
            max_total_delay: None,
        }
    }

    #[test]
    fn the_documented_schedule() {
        assert_eq!(strategy(Jitter::None).schedule(0), [10.0, 20.0]);
        let five = RetryStrategy { max_attempts: 6, ..strategy(Jitter::None) };
        assert_eq!(five.schedule(0), [10.0, 20.0, 40.0, 60.0, 60.0]);
        assert_eq!(RetryStrategy { max_attempts: 1, ..strategy(Jitter::None) }.schedule(0), Vec::<f64>::new());
    }

    #[test]
    fn budget_and_retry_after() {
        let budgeted = RetryStrategy { max_attempts: 10, max_total_delay: Some(75.0), ..strategy(Jitter::None) };
        assert_eq!(budgeted.schedule(0), [10.0, 20.0, 40.0]);
        let mut backoff = strategy(Jitter::None).backoff(Random::seeded(1));
        assert_eq!(backoff.next_delay(Some(30.0)), Some(30.0), "Retry-After is a floor");
        assert_eq!(backoff.next_delay(Some(500.0)), Some(60.0), "max_delay is the ceiling");
        assert_eq!(backoff.next_delay(None), None);
    }

    #[test]
    fn jitter_modes_and_config_forms() {
        let full = strategy(Jitter::Full).schedule(7);
        assert!(full.iter().zip([10.0, 20.0]).all(|(d, b)| (0.0..=b).contains(d)), "{full:?}");
        assert_eq!(full, strategy(Jitter::Full).schedule(7));
        assert_ne!(full, strategy(Jitter::Full).schedule(8));
        let yaml: RetryStrategy =
            serde_yaml_ng::from_str("{max_attempts: 3, initial_delay: 10, jitter: true}").unwrap();
        assert_eq!(yaml.jitter, Jitter::Full);
        let yaml: RetryStrategy = serde_yaml_ng::from_str("{jitter: decorrelated}").unwrap();
        assert_eq!(yaml.jitter, Jitter::Decorrelated);
        assert!(serde_yaml_ng::from_str::<RetryStrategy>("{jitter: sometimes}").is_err());
        assert!(
            RetryStrategy { backoff_factor: 0.5, ..strategy(Jitter::None) }.problems()[0].contains("backoff_factor")
        );
    }

    proptest::proptest! {
        #[test]
        fn decorrelated_never_gives_nan(n in proptest::prelude::any::<u32>(), u in 0.0f64..1.0, prev in 0.0f64..1e300, first in 0.0f64..100.0) {
            let (delay, next) = decorrelated(n, u, prev, first);
            proptest::prop_assert!(!delay.is_nan() && delay >= 0.0 && !next.is_nan());
        }
    }

    #[test]
    fn extreme_attempt_numbers() {
        let s = strategy(Jitter::None);
        assert_eq!(s.base_delay(u32::MAX), 60.0);
        assert_eq!(RetryStrategy { initial_delay: 0.0, ..s.clone() }.base_delay(u32::MAX), 0.0);
        let (delay, next) = decorrelated(u32::MAX - 1, 0.99, f64::INFINITY, 10.0);
        assert!(delay.is_infinite() && next.is_infinite());
    }
}

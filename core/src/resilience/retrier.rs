//! The one retry driver: attempts, classification of each failure, the delays of a
//! [`RetryStrategy`], a sleep, and a callback before each retry. `plangate run`, `plangate notify
//! slack` and the bindings all retry through it. Time comes from an injected [`Clock`] and waiting
//! from an injected [`Sleep`], so tests run instantly and an async host can do its own waiting
//! with [`Retrier::after_failure`].

use super::random::Random;
use super::retry::{Backoff, RetryStrategy};

/// Waits. [`ThreadSleep`] blocks the thread; tests pass one that records the delays.
pub trait Sleep {
    /// Waits `seconds`.
    fn sleep(&mut self, seconds: f64);
}

/// [`Sleep`] by blocking the current thread.
#[derive(Debug, Clone, Copy, Default)]
pub struct ThreadSleep;

impl Sleep for ThreadSleep {
    fn sleep(&mut self, seconds: f64) {
        if seconds.is_finite() && seconds > 0.0 {
            std::thread::sleep(std::time::Duration::from_secs_f64(seconds));
        }
    }
}

/// A clock in seconds.
pub trait Clock {
    /// The current time, in seconds since some fixed point.
    fn now(&self) -> f64;
}

/// The system clock: seconds since the Unix epoch.
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> f64 {
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0.0, |d| d.as_secs_f64())
    }
}

/// What a failed attempt says about trying again.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Failure<E> {
    /// The attempt's error.
    pub error: E,
    /// Whether it is worth another attempt.
    pub retryable: bool,
    /// A server's Retry-After, in seconds: a floor under the next delay.
    pub retry_after: Option<f64>,
}

impl<E> Failure<E> {
    /// A failure worth retrying.
    pub fn retryable(error: E) -> Failure<E> {
        Failure { error, retryable: true, retry_after: None }
    }

    /// A failure another attempt would not mend.
    pub fn permanent(error: E) -> Failure<E> {
        Failure { error, retryable: false, retry_after: None }
    }

    /// The same, with a server's Retry-After.
    pub fn retry_after(mut self, seconds: Option<f64>) -> Failure<E> {
        self.retry_after = seconds;
        self
    }
}

/// Why retrying stopped.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum GiveUpReason {
    /// The failure is not worth retrying.
    NotRetryable,
    /// `max_attempts` attempts were made.
    AttemptsExhausted,
    /// Another delay would exceed `max_total_delay`.
    BudgetSpent,
}

impl GiveUpReason {
    /// A phrase for messages.
    pub fn describe(self) -> &'static str {
        match self {
            GiveUpReason::NotRetryable => "not retried",
            GiveUpReason::AttemptsExhausted => "no attempts left",
            GiveUpReason::BudgetSpent => "the max_total_delay budget is spent",
        }
    }
}

/// What to do after a failed attempt.
#[derive(Debug, Clone, Copy, PartialEq)]
#[non_exhaustive]
pub enum Next {
    /// Wait this many seconds, then attempt again.
    RetryIn(f64),
    /// Stop.
    GiveUp(GiveUpReason),
}

/// The last failure, when retrying stopped.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct GaveUp<E> {
    /// The last attempt's error.
    pub error: E,
    /// How many attempts were made.
    pub attempts: u32,
    /// Why no more.
    pub reason: GiveUpReason,
}

/// What the callback before a retry is told.
#[derive(Debug)]
#[non_exhaustive]
pub struct RetryEvent<'a, E> {
    /// The attempt that failed (1 is the first).
    pub attempt: u32,
    /// All attempts allowed.
    pub max_attempts: u32,
    /// How long the failed attempt took, in seconds.
    pub elapsed: f64,
    /// The wait before the next attempt, in seconds.
    pub delay: f64,
    /// The failed attempt's error.
    pub error: &'a E,
}

/// One run of retries under a strategy.
#[derive(Debug, Clone)]
pub struct Retrier {
    backoff: Backoff,
    max_attempts: u32,
    attempts: u32,
}

impl Retrier {
    /// A run of `strategy`, with jitter drawn from `random`.
    pub fn new(strategy: &RetryStrategy, random: Random) -> Retrier {
        Retrier { backoff: strategy.backoff(random), max_attempts: strategy.max_attempts, attempts: 0 }
    }

    /// Attempts made so far.
    pub fn attempts(&self) -> u32 {
        self.attempts
    }

    /// All attempts allowed.
    pub fn max_attempts(&self) -> u32 {
        self.max_attempts
    }

    /// Records a failed attempt and says what to do next: the step-by-step form of
    /// [`Retrier::run`], for hosts that wait in their own way (an async event loop).
    pub fn after_failure(&mut self, retryable: bool, retry_after: Option<f64>) -> Next {
        self.attempts = self.attempts.saturating_add(1);
        if !retryable {
            return Next::GiveUp(GiveUpReason::NotRetryable);
        }
        if self.attempts >= self.max_attempts {
            return Next::GiveUp(GiveUpReason::AttemptsExhausted);
        }
        match self.backoff.next_delay(retry_after) {
            Some(delay) => Next::RetryIn(delay),
            None => Next::GiveUp(GiveUpReason::BudgetSpent),
        }
    }

    /// Runs `attempt` (given the attempt number, 1 first) until it succeeds or retrying stops,
    /// calling `on_retry` and then sleeping before each retry.
    ///
    /// # Errors
    /// [`GaveUp`] with the last failure when retrying stops.
    pub fn run<T, E>(
        &mut self,
        clock: &dyn Clock,
        sleep: &mut dyn Sleep,
        mut attempt: impl FnMut(u32) -> Result<T, Failure<E>>,
        mut on_retry: impl FnMut(&RetryEvent<'_, E>),
    ) -> Result<T, GaveUp<E>> {
        loop {
            let started = clock.now();
            let failure = match attempt(self.attempts + 1) {
                Ok(value) => return Ok(value),
                Err(failure) => failure,
            };
            let elapsed = (clock.now() - started).max(0.0);
            match self.after_failure(failure.retryable, failure.retry_after) {
                Next::RetryIn(delay) => {
                    on_retry(&RetryEvent {
                        attempt: self.attempts,
                        max_attempts: self.max_attempts,
                        elapsed,
                        delay,
                        error: &failure.error,
                    });
                    sleep.sleep(delay);
                }
                Next::GiveUp(reason) => {
                    return Err(GaveUp { error: failure.error, attempts: self.attempts, reason });
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::resilience::Jitter;

    struct Recorded(Vec<f64>);
    impl Sleep for Recorded {
        fn sleep(&mut self, seconds: f64) {
            self.0.push(seconds);
        }
    }

    fn strategy(max_attempts: u32) -> RetryStrategy {
        RetryStrategy { max_attempts, jitter: Jitter::None, ..RetryStrategy::default() }
    }

    #[test]
    fn retries_until_success_sleeping_the_schedule() {
        let mut slept = Recorded(Vec::new());
        let mut retries = Vec::new();
        let result = Retrier::new(&strategy(4), Random::seeded(1)).run(
            &SystemClock,
            &mut slept,
            |n| if n < 3 { Err(Failure::retryable(n)) } else { Ok(n) },
            |event| retries.push((event.attempt, event.delay, *event.error)),
        );
        assert_eq!(result, Ok(3));
        assert_eq!(slept.0, [10.0, 20.0]);
        assert_eq!(retries, [(1, 10.0, 1), (2, 20.0, 2)]);
    }

    #[test]
    fn gives_up_saying_why() {
        let mut slept = Recorded(Vec::new());
        let out: Result<(), _> = Retrier::new(&strategy(3), Random::seeded(1)).run(
            &SystemClock,
            &mut slept,
            |n| Err(Failure::retryable(n)),
            |_| {},
        );
        assert_eq!(out, Err(GaveUp { error: 3, attempts: 3, reason: GiveUpReason::AttemptsExhausted }));
        let out: Result<(), _> = Retrier::new(&strategy(3), Random::seeded(1)).run(
            &SystemClock,
            &mut slept,
            |n| Err(Failure::permanent(n)),
            |_| {},
        );
        assert_eq!(out, Err(GaveUp { error: 1, attempts: 1, reason: GiveUpReason::NotRetryable }));
        let budget = RetryStrategy { max_total_delay: Some(15.0), ..strategy(10) };
        let mut retrier = Retrier::new(&budget, Random::seeded(1));
        assert_eq!(retrier.after_failure(true, None), Next::RetryIn(10.0));
        assert_eq!(retrier.after_failure(true, None), Next::GiveUp(GiveUpReason::BudgetSpent));
    }

    #[test]
    fn retry_after_is_a_floor() {
        let mut retrier = Retrier::new(&strategy(3), Random::seeded(1));
        assert_eq!(retrier.after_failure(true, Some(30.0)), Next::RetryIn(30.0));
    }
}

//! Property tests of the retry maths and a model-based test of the circuit breaker against a fake
//! clock.

use plangate::resilience::{Breaker, BreakerConfig, Decision, Jitter, Random, RetryStrategy, State};
use proptest::prelude::*;
use std::collections::BTreeSet;

fn strategy() -> impl Strategy<Value = RetryStrategy> {
    let jitter = prop_oneof![Just(Jitter::None), Just(Jitter::Full), Just(Jitter::Equal), Just(Jitter::Decorrelated)];
    (1u32..40, 0.0f64..100.0, 0.0f64..1000.0, 1.0f64..10.0, jitter).prop_map(
        |(max_attempts, initial_delay, max_delay, backoff_factor, jitter)| RetryStrategy {
            max_attempts,
            initial_delay,
            max_delay,
            backoff_factor,
            jitter,
            max_total_delay: None,
        },
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn delays_stay_within_zero_and_max_delay(s in strategy(), seed in any::<u64>()) {
        let delays = s.schedule(seed);
        prop_assert!(delays.len() < s.max_attempts as usize);
        for d in &delays {
            prop_assert!(d.is_finite() && *d >= 0.0 && *d <= s.max_delay, "{d} outside [0, {}]", s.max_delay);
        }
    }

    #[test]
    fn base_delays_never_decrease(s in strategy(), n in 1u32..u32::MAX) {
        prop_assert!(s.base_delay(n + 1) >= s.base_delay(n));
    }

    #[test]
    fn jitter_stays_in_its_modes_bounds(s in strategy(), seed in any::<u64>()) {
        let delays = s.schedule(seed);
        for (i, d) in delays.iter().enumerate() {
            let base = s.base_delay(i as u32 + 1);
            match s.jitter {
                Jitter::None => prop_assert_eq!(*d, base),
                Jitter::Full => prop_assert!(*d >= 0.0 && *d <= base),
                Jitter::Equal => prop_assert!(*d >= base / 2.0 - 1e-9 && *d <= base + 1e-9),
                Jitter::Decorrelated => prop_assert!(*d >= 0.0 && *d <= s.max_delay),
                other => panic!("no bounds stated for {other:?}"),
            }
        }
    }

    #[test]
    fn the_same_seed_gives_the_same_schedule(s in strategy(), seed in any::<u64>()) {
        prop_assert_eq!(s.schedule(seed), s.schedule(seed));
    }

    #[test]
    fn no_overflow_up_to_u32_max_attempts(s in strategy(), n in any::<u32>()) {
        let base = s.base_delay(n);
        prop_assert!(base.is_finite() && base >= 0.0 && base <= s.max_delay.max(0.0));
        // Past the cap, every jitter mode still yields a delay within [0, max_delay].
        let huge = RetryStrategy { max_attempts: u32::MAX, ..s.clone() };
        let mut backoff = huge.backoff(Random::seeded(n.into()));
        for _ in 0..3 {
            let d = backoff.next_delay(None).unwrap();
            prop_assert!(d >= 0.0 && d <= s.max_delay);
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    #[test]
    fn schedules_are_lazy_for_any_number_of_attempts(s in strategy(), seed in any::<u64>(), attempts in any::<u32>()) {
        // `u32::MAX` attempts must cost nothing up front: only the delays asked for are computed.
        let huge = RetryStrategy { max_attempts: attempts.max(1), ..s.clone() };
        let first: Vec<f64> = huge.delays(seed).take(50).collect();
        prop_assert_eq!(first.len(), (attempts.max(1) - 1).min(50) as usize);
        prop_assert_eq!(huge.max_retries(), attempts.max(1) - 1);
    }

    #[test]
    fn decorrelated_jitter_keeps_spreading_once_the_cap_is_reached(
        seed in any::<u64>(), initial in 0.5f64..20.0, cap in 1.0f64..600.0,
    ) {
        let s = RetryStrategy {
            max_attempts: 200, initial_delay: initial, max_delay: cap, backoff_factor: 2.0,
            jitter: Jitter::Decorrelated, max_total_delay: None,
        };
        // Far past the point where the exponential exceeds the cap.
        let late: Vec<f64> = s.schedule(seed).into_iter().skip(100).collect();
        prop_assert!(late.iter().all(|d| *d >= cap / 2.0 && *d <= cap), "{late:?} outside [{}, {cap}]", cap / 2.0);
        let distinct: BTreeSet<u64> = late.iter().map(|d| d.to_bits()).collect();
        prop_assert!(distinct.len() > late.len() / 2, "late delays bunch: {} distinct of {}", distinct.len(), late.len());
    }
}

/// The breaker as the issue states it, written independently of the implementation.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Model {
    Closed(u32),
    Open(f64),
    HalfOpen(Option<f64>),
}

impl Model {
    fn request(&mut self, now: f64, c: &BreakerConfig) -> &'static str {
        match *self {
            Model::Closed(_) => "allowed",
            Model::Open(at) if now >= at + c.reset_timeout => {
                *self = Model::HalfOpen(Some(now));
                "probe"
            }
            Model::Open(_) => "rejected",
            Model::HalfOpen(None) => {
                *self = Model::HalfOpen(Some(now));
                "probe"
            }
            Model::HalfOpen(Some(started)) => {
                if now - started > c.half_open_timeout {
                    *self = Model::Open(now);
                }
                "rejected"
            }
        }
    }

    fn record(&mut self, ok: bool, now: f64, c: &BreakerConfig) {
        *self = match *self {
            Model::HalfOpen(Some(started)) if now - started > c.half_open_timeout => Model::Open(now),
            Model::HalfOpen(_) if ok => Model::Closed(0),
            Model::HalfOpen(_) => Model::Open(now),
            Model::Open(at) => Model::Open(at),
            Model::Closed(_) if ok => Model::Closed(0),
            Model::Closed(n) if n + 1 >= c.failure_threshold => Model::Open(now),
            Model::Closed(n) => Model::Closed(n + 1),
        }
    }

    fn matches(&self, state: &State) -> bool {
        match (self, state) {
            (Model::Closed(n), State::Closed { consecutive_failures }) => n == consecutive_failures,
            (Model::Open(at), State::Open { opened_at, .. }) => at == opened_at,
            (Model::HalfOpen(s), State::HalfOpen { probe_started_at }) => s == probe_started_at,
            _ => false,
        }
    }
}

#[derive(Debug, Clone)]
enum Op {
    Request(f64),
    Record(bool, f64),
}

fn ops() -> impl Strategy<Value = Vec<Op>> {
    let op = prop_oneof![
        (0.0f64..200.0).prop_map(Op::Request),
        (any::<bool>(), 0.0f64..200.0).prop_map(|(ok, dt)| Op::Record(ok, dt)),
    ];
    prop::collection::vec(op, 1..60)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn the_breaker_follows_the_model(ops in ops(), threshold in 1u32..5) {
        let config = BreakerConfig { failure_threshold: threshold, reset_timeout: 300.0, half_open_timeout: 60.0, monitor: Vec::new() };
        let (mut breaker, mut model, mut now) = (Breaker::default(), Model::Closed(0), 0.0);
        for op in ops {
            match op {
                Op::Request(dt) => {
                    now += dt;
                    let decision = match breaker.request(now, &config) {
                        Decision::Allowed => "allowed",
                        Decision::Probe => "probe",
                        Decision::Rejected { .. } => "rejected",
                        other => panic!("the model knows no {other:?}"),
                    };
                    prop_assert_eq!(decision, model.request(now, &config));
                }
                Op::Record(ok, dt) => {
                    now += dt;
                    breaker.record(ok, now, &config);
                    model.record(ok, now, &config);
                }
            }
            prop_assert!(model.matches(&breaker.state), "model {:?} vs {:?}", model, breaker.state);
            let json = serde_json::to_string(&breaker).unwrap();
            prop_assert_eq!(&serde_json::from_str::<Breaker>(&json).unwrap(), &breaker);
        }
    }
}

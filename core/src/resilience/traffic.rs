//! Traffic shifting: move traffic to the new version in steps, holding each step, and roll back to
//! 0 as soon as the observed error rate is strictly greater than the threshold.

use serde::{Deserialize, Serialize};

use super::ResilienceError;

/// A traffic-shifting plan.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
// Not `non_exhaustive`: hosts build it from their own settings.
pub struct TrafficShift {
    /// Percentages of traffic on the new version, in order, ending at 100.
    pub steps: Vec<u8>,
    /// Seconds to hold each step before promoting.
    pub hold: f64,
    /// Roll back when the error rate is strictly greater than this.
    pub error_threshold: f64,
}

/// What to do with the traffic now.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "action", rename_all = "snake_case")]
#[non_exhaustive]
pub enum ShiftDecision {
    /// Move to the next step.
    Promote {
        /// The new version's share, in percent.
        to: u8,
    },
    /// Stay on this step a while longer.
    Hold {
        /// Seconds left to hold.
        for_seconds: f64,
    },
    /// The error rate is too high: send all traffic back.
    RollBack {
        /// The new version's share afterwards (0).
        to: u8,
    },
    /// All traffic is on the new version.
    Done,
}

impl TrafficShift {
    /// A named preset: `Canary10Percent5Minutes`, `Canary10Percent15Minutes`,
    /// `Linear10PercentEvery1Minute`, `Linear10PercentEvery3Minutes`, `Linear25PercentEvery5Minutes`,
    /// `AllAtOnce`.
    pub fn preset(name: &str, error_threshold: f64) -> Option<TrafficShift> {
        let linear = |step: u8| (0..=100).step_by(usize::from(step)).map(|w| w as u8).collect::<Vec<u8>>();
        let (steps, hold) = match name {
            "Canary10Percent5Minutes" => (vec![0, 10, 100], 300.0),
            "Canary10Percent15Minutes" => (vec![0, 10, 100], 900.0),
            "Linear10PercentEvery1Minute" => (linear(10), 60.0),
            "Linear10PercentEvery3Minutes" => (linear(10), 180.0),
            "Linear25PercentEvery5Minutes" => (linear(25), 300.0),
            "AllAtOnce" => (vec![0, 100], 0.0),
            _ => return None,
        };
        Some(TrafficShift { steps, hold, error_threshold })
    }

    /// What is wrong with the plan, if anything: steps increasing from 0 to 100, a hold of 0 or more
    /// seconds, an error threshold between 0 and 1.
    pub fn problems(&self) -> Vec<String> {
        let mut problems = Vec::new();
        if self.steps.first() != Some(&0) || self.steps.last() != Some(&100) {
            problems.push("steps must start at 0 and end at 100".to_string());
        }
        if self.steps.windows(2).any(|w| w[0] >= w[1]) {
            problems.push("steps must increase".to_string());
        }
        if !self.hold.is_finite() || self.hold < 0.0 {
            problems.push(format!("hold must be a number of seconds, 0 or more (found {})", self.hold));
        }
        if !(0.0..=1.0).contains(&self.error_threshold) {
            problems.push(format!("error_threshold must be a rate between 0 and 1 (found {})", self.error_threshold));
        }
        problems
    }

    /// The decision at step `step` (an index into `steps`), given the error rate observed there and
    /// how long the step has been held.
    ///
    /// # Errors
    /// [`ResilienceError::Invalid`] for a step that is not one of the plan's, an error rate that is
    /// not a rate (negative, above 1, NaN) or a hold that is not a duration: none of them may
    /// promote.
    pub fn decide(&self, step: usize, error_rate: f64, held_for: f64) -> Result<ShiftDecision, ResilienceError> {
        let mut problems = Vec::new();
        if step >= self.steps.len() {
            problems.push(format!("step must be an index into the {} steps (found {step})", self.steps.len()));
        }
        if !(0.0..=1.0).contains(&error_rate) {
            problems.push(format!("error_rate must be a rate between 0 and 1 (found {error_rate})"));
        }
        if held_for.is_nan() || held_for < 0.0 {
            problems.push(format!("held_for must be a number of seconds, 0 or more (found {held_for})"));
        }
        if !problems.is_empty() {
            return Err(ResilienceError::invalid("traffic_shift.decide", problems));
        }
        if error_rate > self.error_threshold {
            return Ok(ShiftDecision::RollBack { to: 0 });
        }
        Ok(match self.steps.get(step + 1) {
            None => ShiftDecision::Done,
            Some(_) if held_for < self.hold => ShiftDecision::Hold { for_seconds: self.hold - held_for },
            Some(next) => ShiftDecision::Promote { to: *next },
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn steps_hold_and_roll_back() {
        let shift = TrafficShift { steps: vec![0, 25, 50, 75, 100], hold: 60.0, error_threshold: 0.05 };
        assert!(shift.problems().is_empty());
        assert_eq!(shift.decide(1, 0.01, 30.0).unwrap(), ShiftDecision::Hold { for_seconds: 30.0 });
        let promote = shift.decide(1, 0.05, 60.0).unwrap();
        assert_eq!(promote, ShiftDecision::Promote { to: 50 }, "equal to the threshold is fine");
        assert_eq!(shift.decide(3, 0.0501, 60.0).unwrap(), ShiftDecision::RollBack { to: 0 });
        assert_eq!(shift.decide(4, 0.0, 0.0).unwrap(), ShiftDecision::Done);
        // Nothing that is not a step, a rate and a duration may promote ("to 0" for the last step).
        for (step, rate, held) in [
            (usize::MAX, 0.0, 60.0),
            (5, 0.0, 60.0),
            (1, -0.5, 60.0),
            (1, f64::NAN, 60.0),
            (1, 0.0, f64::NAN),
            (1, 0.0, -1.0),
        ] {
            let err = shift.decide(step, rate, held).unwrap_err().to_string();
            assert!(err.starts_with("traffic_shift.decide: "), "{err}");
        }
        let seven = TrafficShift { steps: vec![0, 10, 25, 50, 75, 90, 100], hold: 1.0, error_threshold: 0.1 };
        assert!(seven.problems().is_empty());
    }

    #[test]
    fn presets() {
        let canary = TrafficShift::preset("Canary10Percent5Minutes", 0.05).unwrap();
        assert_eq!((canary.steps.clone(), canary.hold), (vec![0, 10, 100], 300.0));
        let linear = TrafficShift::preset("Linear10PercentEvery1Minute", 0.05).unwrap();
        assert_eq!(linear.steps, [0, 10, 20, 30, 40, 50, 60, 70, 80, 90, 100]);
        assert!(TrafficShift::preset("Whenever", 0.05).is_none());
        assert!(TrafficShift { steps: vec![0, 50, 40, 100], hold: 0.0, error_threshold: 0.0 }.problems().len() == 1);
    }
}

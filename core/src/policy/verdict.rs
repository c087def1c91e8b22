//! Counts, status and exit code from the findings. The only place that reads thresholds.

use super::thresholds::{Allowance, Thresholds};
use crate::registry::Severity;
use crate::report::{Finding, Status, Verdict};

/// How many changes are counted, and how many are high-risk or critical at worst.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Counts {
    pub total: usize,
    pub high_risk: usize,
    pub critical: usize,
}

impl Counts {
    /// Adds one change with its findings.
    pub fn add(&mut self, counted: bool, findings: &[Finding]) {
        if counted {
            self.total += 1;
        }
        match findings.iter().filter(|f| f.waived.is_none()).map(|f| f.severity).max() {
            Some(Severity::Critical) => self.critical += 1,
            Some(Severity::High) => self.high_risk += 1,
            _ => {}
        }
    }

    /// These counts and `other`'s together.
    pub fn plus(self, other: Counts) -> Counts {
        Counts {
            total: self.total + other.total,
            high_risk: self.high_risk + other.high_risk,
            critical: self.critical + other.critical,
        }
    }

    pub fn status(&self) -> Status {
        if self.critical > 0 {
            Status::Critical
        } else if self.high_risk > 0 {
            Status::HighRisk
        } else {
            Status::Safe
        }
    }
}

/// The gate's decision: 1 when critical changes exceed the threshold, else 2 when high-risk changes
/// exceed the allowance, else 0.
pub(crate) fn decide(counts: &Counts, thresholds: &Thresholds) -> Verdict {
    let critical_threshold = thresholds.critical_changes as usize;
    if counts.critical > critical_threshold {
        return Verdict {
            exit_code: 1,
            passed: false,
            reason: format!(
                "{} critical change{} (allowed: {critical_threshold}). Manual review required.",
                counts.critical,
                plural(counts.critical)
            ),
        };
    }
    if let Allowance::AtMost(allowed) = thresholds.high_risk_allowance() {
        if counts.high_risk > allowed as usize {
            return Verdict {
                exit_code: 2,
                passed: false,
                reason: format!(
                    "{} high-risk change{} (allowed: {allowed}). Review required.",
                    counts.high_risk,
                    plural(counts.high_risk)
                ),
            };
        }
    }
    let reason = match (counts.critical, counts.high_risk) {
        (0, 0) => "No critical or high-risk changes.".to_string(),
        (c, h) => format!("{c} critical and {h} high-risk change{} within the allowed counts.", plural(h)),
    };
    Verdict { exit_code: 0, passed: true, reason }
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::{Environment, Policy};

    fn counts(critical: usize, high_risk: usize) -> Counts {
        Counts { total: critical + high_risk, critical, high_risk }
    }

    #[test]
    fn exit_codes_follow_thresholds() {
        let default = Policy::default().thresholds;
        assert_eq!(decide(&counts(1, 0), &default).exit_code, 1);
        assert_eq!(decide(&counts(0, 1), &default).exit_code, 2);
        assert_eq!(decide(&counts(0, 0), &default).exit_code, 0);
        let staging = Policy::preset(Environment::Staging).thresholds;
        assert_eq!(decide(&counts(0, 3), &staging).exit_code, 0);
        assert_eq!(decide(&counts(0, 4), &staging).exit_code, 2);
        let develop = Policy::preset(Environment::Develop).thresholds;
        assert_eq!(decide(&counts(0, 1000), &develop).exit_code, 0);
        assert_eq!(decide(&counts(1, 0), &develop).exit_code, 1);
        let lenient = Policy::from_yaml("thresholds: {critical_changes: 2}", "x").unwrap().thresholds;
        assert_eq!(decide(&counts(2, 0), &lenient).exit_code, 0);
    }

    #[test]
    fn status_is_what_the_plan_contains() {
        assert_eq!(counts(1, 5).status(), Status::Critical);
        assert_eq!(counts(0, 5).status(), Status::HighRisk);
        assert_eq!(counts(0, 0).status(), Status::Safe);
    }
}

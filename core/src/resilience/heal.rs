//! Auto-heal: an action (a shell command) to run before the next attempt when the failed attempt's
//! output matches its condition. The first matching action runs; heal actions are not attempts;
//! each runs at most `max_runs` times per run (once by default).

use serde::Deserialize;

use super::classify::{normalize, InvalidPattern, Pattern};

/// One `auto_heal` entry of a step.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct HealConfig {
    /// The shell command to run.
    pub action: String,
    /// A pattern, as in `retry_on`.
    pub condition: String,
    /// How often it may run in one run of the step (default once).
    #[serde(default = "one")]
    pub max_runs: u32,
}

fn one() -> u32 {
    1
}

/// The heal actions of one run, with how often each has run.
#[derive(Debug, Clone)]
pub struct Healer {
    actions: Vec<(HealConfig, Pattern, u32)>,
}

impl Healer {
    /// The actions of a step.
    ///
    /// # Errors
    /// [`InvalidPattern`] for a condition that cannot be used.
    pub fn new(configs: &[HealConfig]) -> Result<Healer, InvalidPattern> {
        let actions = configs
            .iter()
            .map(|c| Pattern::parse(&c.condition).map(|p| (c.clone(), p, 0)))
            .collect::<Result<_, _>>()?;
        Ok(Healer { actions })
    }

    /// The action to run for this failed output, counted as run; `None` when no condition matches
    /// or the matching actions have used their runs.
    pub fn pick(&mut self, output: &str) -> Option<&HealConfig> {
        let normalized = normalize(output);
        let (config, _, runs) =
            self.actions.iter_mut().find(|(c, p, runs)| *runs < c.max_runs && p.matches(&normalized))?;
        *runs += 1;
        Some(config)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_match_once_each() {
        let configs: Vec<HealConfig> = serde_yaml_ng::from_str(
            "- {action: terraform refresh, condition: state mismatch}\n- {action: terraform init -reconfigure, condition: backend error, max_runs: 2}",
        )
        .unwrap();
        let mut healer = Healer::new(&configs).unwrap();
        assert_eq!(healer.pick("Error: state mismatch").map(|c| c.action.as_str()), Some("terraform refresh"));
        assert_eq!(healer.pick("Error: state mismatch"), None, "once by default");
        assert_eq!(healer.pick("│ backend error").map(|c| c.action.as_str()), Some("terraform init -reconfigure"));
        assert!(healer.pick("backend error").is_some() && healer.pick("backend error").is_none());
        assert_eq!(healer.pick("something else"), None);
    }
}

//! `plangate rules`, `plangate explain ID` and `plangate policy test`: the engine's rule registry,
//! as documented on each rule, with the users' own rules of a configuration beside it.

use plangate::policy::Policy;
use plangate::registry::{self, Rule};
use plangate::rules::TestOutcome;

use crate::Failure;

/// The policy of `-c FILE`, else of the file TF_PLAN_CHECK_CONFIG names, if any.
fn policy(config: Option<&str>) -> Result<Option<Policy>, Failure> {
    match crate::config_file(config) {
        Some(path) => Policy::from_file(&path).map(Some).map_err(|e| Failure(e.to_string())),
        None => Ok(None),
    }
}

pub fn list(format: &str, config: Option<&str>) -> Result<String, Failure> {
    let custom: Vec<&'static Rule> = policy(config)?.map(|p| p.rules.custom.rules()).unwrap_or_default();
    let all: Vec<&'static Rule> = registry::rules().iter().copied().chain(custom.iter().copied()).collect();
    match format {
        "text" => {
            let mut out = String::new();
            for rule in &all {
                out.push_str(&format!(
                    "{:<11} {:<8} {:<24} {}\n",
                    rule.id,
                    rule.severity.as_str(),
                    rule.category.title(),
                    rule.title
                ));
            }
            Ok(out)
        }
        "json" => Ok(format!("{}\n", serde_json::to_string_pretty(&all).unwrap_or_default())),
        "markdown" if custom.is_empty() => Ok(plangate::rules::markdown_table()),
        "markdown" => {
            Ok(format!("{}\n{}", plangate::rules::markdown_table(), plangate::rules::markdown_table_of(&custom)))
        }
        other => {
            Err(Failure(format!("unknown format {other:?} for `plangate rules`: expected text, json or markdown")))
        }
    }
}

pub fn explain(id: &str, config: Option<&str>) -> Result<String, Failure> {
    // Loading the configuration declares its own rules.
    policy(config)?;
    plangate::rules::explain(id).map_err(|e| Failure(e.to_string()))
}

/// Runs the configuration's policy tests: exit 0 when all pass, 1 when one fails.
pub fn test(config: Option<&str>, format: &str) -> Result<u8, Failure> {
    let Some(policy) = policy(config)? else {
        return Err(Failure("`plangate policy test` needs a configuration: -c FILE or TF_PLAN_CHECK_CONFIG".into()));
    };
    let tests = policy.rules.custom.test();
    let failed = tests.iter().filter(|t| t.outcome != TestOutcome::Passed).count();
    let text = match format {
        "json" => format!("{}\n", serde_json::to_string_pretty(&tests).unwrap_or_default()),
        "text" => {
            let mut out = String::new();
            for test in &tests {
                match &test.outcome {
                    TestOutcome::Passed => out.push_str(&format!("PASS {}\n", test.name)),
                    TestOutcome::Failed(why) => {
                        out.push_str(&format!("FAIL {}: {}\n", test.name, plangate::log_lines(why)))
                    }
                    _ => out.push_str(&format!("???? {}\n", test.name)),
                }
            }
            out.push_str(&format!("{} tests, {} passed, {} failed\n", tests.len(), tests.len() - failed, failed));
            if tests.is_empty() {
                out.push_str("(no Rego test_ rule and no CEL example: nothing was tested)\n");
            }
            out
        }
        other => {
            return Err(Failure(format!("unknown format {other:?} for `plangate policy test`: expected text or json")))
        }
    };
    crate::print(&text)?;
    Ok(u8::from(failed > 0))
}

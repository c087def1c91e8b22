//! `plangate rules` and `plangate explain ID`: the engine's rule registry, as documented on each
//! rule.

use plangate::registry;

use crate::Failure;

pub fn list(format: &str) -> Result<String, Failure> {
    match format {
        "text" => {
            let mut out = String::new();
            for rule in registry::rules() {
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
        "json" => Ok(format!("{}\n", serde_json::to_string_pretty(registry::rules()).unwrap_or_default())),
        "markdown" => Ok(plangate::rules::markdown_table()),
        other => {
            Err(Failure(format!("unknown format {other:?} for `plangate rules`: expected text, json or markdown")))
        }
    }
}

pub fn explain(id: &str) -> Result<String, Failure> {
    plangate::rules::explain(id).map_err(|e| Failure(e.to_string()))
}

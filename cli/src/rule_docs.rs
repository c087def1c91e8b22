//! `plangate rules` and `plangate explain ID`: the engine's rule registry, as documented on each
//! rule.

use plangate::registry::{self, Rule, REGISTRY};

use crate::Failure;

pub fn list(format: &str) -> Result<String, Failure> {
    match format {
        "text" => {
            let mut out = String::new();
            for rule in REGISTRY {
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
        "json" => {
            let rows: Vec<serde_json::Value> = REGISTRY.iter().map(|rule| describe(rule)).collect();
            Ok(format!("{}\n", serde_json::to_string_pretty(&rows).unwrap_or_default()))
        }
        "markdown" => Ok(registry::markdown_table()),
        other => {
            Err(Failure(format!("unknown format {other:?} for `plangate rules`: expected text, json or markdown")))
        }
    }
}

pub fn explain(id: &str) -> Result<String, Failure> {
    registry::find(id)
        .map(Rule::explanation)
        .ok_or_else(|| Failure(format!("no rule {id:?}: `plangate rules` lists them (ids look like PG-DEL-001)")))
}

fn describe(rule: &Rule) -> serde_json::Value {
    serde_json::json!({
        "id": rule.id,
        "title": rule.title,
        "severity": rule.severity,
        "category": rule.category,
        "doc": rule.doc,
    })
}

//! Changes made from JSON literals, for the tests of the rules and of the plan's own types.

use super::reader::read_outer;
use super::{Change, PlanError, Section};

/// One `resource_changes` entry, parsed as a plan's would be (the text is leaked to live long
/// enough).
pub(crate) fn parse(json: &str) -> Result<Change<'static>, PlanError> {
    let plan: &'static str = Box::leak(format!(r#"{{"resource_changes":[{json}]}}"#).into_boxed_str());
    let raw = read_outer(plan.as_bytes())?;
    Change::parse(plan.as_bytes(), Section::ResourceChanges, 0, raw.resource_changes[0])
}

/// Every JSON plan among the repository's fixtures (`*plan.json`), sorted.
pub(crate) fn fixture_plans() -> Vec<std::path::PathBuf> {
    fn walk(dir: &std::path::Path, found: &mut Vec<std::path::PathBuf>) {
        for entry in std::fs::read_dir(dir).unwrap().map(Result::unwrap) {
            let path = entry.path();
            if path.is_dir() {
                walk(&path, found);
            } else if path.to_string_lossy().ends_with("plan.json") {
                found.push(path);
            }
        }
    }
    let mut found = Vec::new();
    walk(&std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../fixtures"), &mut found);
    found.sort();
    found
}

/// An update of `TYPE.r` from `before` to `after` (JSON objects), nothing unknown or sensitive.
pub(crate) fn update(resource_type: &str, before: &str, after: &str) -> Change<'static> {
    update_with_unknown(resource_type, before, after, "{}")
}

/// The same, with `after_unknown`.
pub(crate) fn update_with_unknown(resource_type: &str, before: &str, after: &str, unknown: &str) -> Change<'static> {
    parse(&format!(
        r#"{{"address":"{resource_type}.r","mode":"managed","type":"{resource_type}","name":"r",
        "change":{{"actions":["update"],"before":{before},"after":{after},"after_unknown":{unknown}}}}}"#
    ))
    .expect("a valid change")
}

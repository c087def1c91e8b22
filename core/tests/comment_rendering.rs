//! The reviewer's comment as Markdown and as the HTML a GitHub-flavoured renderer makes of it, for
//! a real plan with its Terraform sources (so findings link to their `file:line` at the reviewed
//! commit) and for two plans at once. Snapshots: `comment_rendering__*.snap`; the HTML is what to
//! open in a browser when the layout changes.

use std::path::Path;

use plangate::comment::{self, Place, Target};
use plangate::report::{PlanReport, Run};
use plangate::{check, CheckOptions, Environment, PlanInput, Policy};

fn fixtures() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../fixtures"))
}

/// The plan checked with its sources laid out as a checkout has them (`infra/main.tf`).
fn checked(plan: &str, scenario: &str) -> PlanReport {
    let checkout = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(checkout.path().join(".git")).unwrap();
    std::fs::create_dir_all(checkout.path().join("infra")).unwrap();
    std::fs::copy(fixtures().join("scenarios").join(scenario).join("2.tf"), checkout.path().join("infra/main.tf"))
        .unwrap();
    let options = CheckOptions::new(Policy::preset(Environment::Production)).source_dir(checkout.path().join("infra"));
    let report =
        check(PlanInput::path(&fixtures().join("plans-rules").join(format!("{plan}.plan.json"))), &options).unwrap();
    serde_json::from_value(serde_json::json!({"plan": format!("plans/{plan}.json"), "report": report})).unwrap()
}

fn github() -> Target {
    let place = Place::Github {
        api: "https://api.github.com".into(),
        repository: "acme/infra".into(),
        number: 7,
        author: None,
    };
    let mut target = Target::new(place, None);
    target.source_url = Some("https://github.com/acme/infra/blob/0123abc/{path}#L{line}".into());
    target
}

fn html(markdown: &str) -> String {
    use pulldown_cmark::{html, Options, Parser};
    let mut out = String::new();
    html::push_html(&mut out, Parser::new_ext(markdown, Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH));
    out
}

#[test]
fn one_plan_with_its_sources() {
    let run = Run::new(vec![checked("exposure", "exposure")], Vec::new(), None);
    let body = comment::body(&run, &github());
    // Each finding's line names its address once, in code, and links its declaration.
    for line in body.lines().filter(|l| l.starts_with("- ") && l.contains("<sub>")) {
        assert_eq!(line.matches('`').count() % 2, 0, "{line}");
        assert!(line.contains("](https://github.com/plangate/plangate/blob/main/README.md#rules)"), "{line}");
    }
    assert!(body.contains("](https://github.com/acme/infra/blob/0123abc/infra/main.tf#L"), "{body}");
    assert!(body.contains("```yaml\nwaivers:\n  - address: \""));
    insta::assert_snapshot!("exposure_markdown", body);
    insta::assert_snapshot!("exposure_html", html(&body));
}

#[test]
fn two_plans_each_in_its_section() {
    let run = Run::new(vec![checked("exposure", "exposure"), checked("federation", "federation")], Vec::new(), None);
    let body = comment::body(&run, &github());
    assert!(body.starts_with("## 🔴 plangate: critical (failed, exit 1)"), "{body}");
    assert!(body.contains("### 🔴 `plans/exposure.json` — critical"), "{body}");
    assert_eq!(body.matches("How to accept a finding").count(), 1, "once, after every plan");
    insta::assert_snapshot!("two_plans_markdown", body);
}

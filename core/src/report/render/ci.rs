//! A plan report, or a run of several, in the other CIs' formats: GitLab Code Quality and its
//! Terraform widget's counts, Azure Pipelines logging commands, JUnit XML. Findings rank as the
//! GitHub annotations rank them: critical fails, high warns, notices inform; waived ones are
//! accepted.

use serde_json::json;

use super::RenderOptions;
use crate::ci_reports::{self, Issue, Level, Suite};
use crate::fingerprint::fingerprint;
use crate::format::Format;
use crate::plan::ActionCounts;
use crate::registry::Severity;
use crate::report::{Report, Run};

fn issues(report: &Report, label: &str) -> Vec<Issue> {
    report
        .findings
        .iter()
        .map(|f| {
            let (path, line) = match f.source_location() {
                Some(l) => (l.file.clone(), Some(l.start_line)),
                None => (label.to_string(), None),
            };
            Issue {
                rule: f.rule.clone(),
                subject: f.address.clone(),
                message: f.message.clone(),
                level: match f.severity {
                    Severity::Critical => Level::Blocker,
                    Severity::High => Level::Major,
                    _ => Level::Info,
                },
                path,
                line,
                fingerprint: fingerprint(&[&f.rule, &f.address]),
                accepted: f.waived.as_ref().map(|w| format!("waived until {}: {}", w.expires, w.reason)),
            }
        })
        .collect()
}

fn summary(report: &Report) -> String {
    format!(
        "plangate: {} — {} (total {}, critical {}, high-risk {})",
        report.status.as_str(),
        report.verdict.reason,
        report.total_changes,
        report.critical_changes,
        report.high_risk_changes
    )
}

fn terraform(counts: &ActionCounts) -> String {
    json!({"create": counts.create, "update": counts.update, "delete": counts.delete}).to_string() + "\n"
}

/// One plan's report in one of the CI formats.
pub(super) fn render(report: &Report, format: Format, options: &RenderOptions) -> String {
    let label = options.plan_label.as_str();
    match format {
        Format::GitlabTerraform => terraform(&report.plan.actions),
        Format::AzureDevops => ci_reports::azure_devops(&issues(report, label), &summary(report)),
        Format::Junit => ci_reports::junit(&[Suite { name: label, issues: issues(report, label), error: None }]),
        _ => ci_reports::code_quality(&issues(report, label)),
    }
}

/// A run of several plans (and the scan) in one of the CI formats.
pub(super) fn render_run(run: &Run, format: Format) -> String {
    let plans = || run.plans.iter().map(|p| (p.plan.as_str(), issues(&p.report, &p.plan)));
    let scan = run.scan.as_ref().map(crate::scan::ci_issues);
    match format {
        Format::GitlabTerraform => {
            let mut total = ActionCounts::default();
            for plan in &run.plans {
                let counts = &plan.report.plan.actions;
                (total.create, total.update, total.delete) =
                    (total.create + counts.create, total.update + counts.update, total.delete + counts.delete);
            }
            terraform(&total)
        }
        Format::AzureDevops => {
            let mut all: Vec<Issue> =
                plans().flat_map(|(_, issues)| issues).chain(scan.into_iter().flatten()).collect();
            for error in &run.errors {
                all.insert(0, unreadable(&error.plan, &error.message));
            }
            ci_reports::azure_devops(&all, &format!("plangate: {} — {}", run.status.as_str(), run.reason))
        }
        Format::Junit => {
            let mut suites: Vec<Suite> = plans().map(|(name, issues)| Suite { name, issues, error: None }).collect();
            suites.extend(run.errors.iter().map(|e| Suite {
                name: &e.plan,
                issues: Vec::new(),
                error: Some(e.message.clone()),
            }));
            suites.extend(scan.map(|issues| Suite { name: "plangate scan", issues, error: None }));
            ci_reports::junit(&suites)
        }
        _ => {
            let mut all: Vec<Issue> =
                plans().flat_map(|(_, issues)| issues).chain(scan.into_iter().flatten()).collect();
            all.extend(run.errors.iter().map(|e| unreadable(&e.plan, &e.message)));
            ci_reports::code_quality(&all)
        }
    }
}

/// An input that cannot be read, as an issue that fails.
fn unreadable(plan: &str, message: &str) -> Issue {
    Issue {
        rule: "plangate".into(),
        subject: plan.to_string(),
        message: format!("cannot be read: {message}"),
        level: Level::Blocker,
        path: plan.to_string(),
        line: None,
        fingerprint: fingerprint(&["plangate", plan]),
        accepted: None,
    }
}

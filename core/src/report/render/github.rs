//! GitHub Actions annotations for a plan report, and for a run of several plans with their scanner
//! reports (through one writer, so they share GitHub's per-step limits).

use super::RenderOptions;
use crate::registry::Severity;
use crate::report::{Report, Run};
use crate::workflow::{hidden_note, Annotations};

pub use crate::workflow::MAX_PER_KIND;

/// Critical findings become errors and high-risk ones warnings, on the `.tf` lines that declare the
/// resource when the sources were read, else on the plan file; waived ones are not annotated.
fn annotate(annotations: &mut Annotations, report: &Report, label: &str) {
    for finding in report.findings.iter().filter(|f| f.waived.is_none()) {
        let warning = match finding.severity {
            Severity::Critical => false,
            Severity::High => true,
            _ => continue,
        };
        let title = format!("{} {}", finding.rule, finding.address);
        match finding.source_location() {
            Some(l) => annotations.push(
                warning,
                Some(&l.file),
                Some((l.start_line, Some(l.end_line))),
                &title,
                &finding.message,
            ),
            None => annotations.push(warning, Some(label), None, &title, &finding.message),
        }
    }
}

pub fn render(report: &Report, options: &RenderOptions) -> String {
    let mut annotations = Annotations::default();
    annotate(&mut annotations, report, &options.plan_label);
    let notices = report.findings.iter().filter(|f| f.severity == Severity::Notice).count();
    let waived = report.findings.iter().filter(|f| f.waived.is_some()).count();
    annotations.write(Some(&options.plan_label), "plangate summary", |hidden| {
        format!(
            "plangate: {} — {} (total {}, critical {}, high-risk {}, notices {}, waived {}){}{}",
            report.status.as_str(),
            report.verdict.reason,
            report.total_changes,
            report.critical_changes,
            report.high_risk_changes,
            notices,
            waived,
            report.unjudged_note().map(|note| format!("; {note}")).unwrap_or_default(),
            hidden_note(hidden)
        )
    })
}

/// Every plan of a run and its scanner reports; an input that cannot be read is an error
/// annotation of its own, listed first.
pub fn render_run(run: &Run) -> String {
    let mut annotations = Annotations::default();
    for error in &run.errors {
        annotations.push(false, None, None, &format!("plangate cannot read {}", error.plan), &error.message);
    }
    for plan in &run.plans {
        annotate(&mut annotations, &plan.report, &plan.plan);
    }
    if let Some(scan) = &run.scan {
        crate::scan::annotate(&mut annotations, scan);
    }
    let inputs = run.plans.len() + run.errors.len();
    annotations.write(None, "plangate summary", |hidden| {
        format!(
            "plangate: {} (exit {}): {} critical and {} high-risk of {} changes in {inputs} plan{}{}{}",
            run.status.as_str(),
            run.exit_code,
            run.critical_changes,
            run.high_risk_changes,
            run.total_changes,
            if inputs == 1 { "" } else { "s" },
            run.scan
                .as_ref()
                .map(|s| format!("; scanner gate {}", if s.passed { "passed" } else { "failed" }))
                .unwrap_or_default(),
            hidden_note(hidden)
        )
    })
}

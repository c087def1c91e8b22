//! A run of several plans (and scanner reports) in each format: every plan's report as its own
//! section, the inputs that cannot be read, the scan, and the verdict over all of them.

use std::fmt::Write;

use serde_json::Value;

use super::{ci, github, markdown, sarif, text, RenderOptions};
use crate::format::Format;
use crate::report::{Run, RunStatus};
use crate::text::{log_lines, markdown as escape, one_line};

/// The run in `format`. `options` are each plan's (its label is the plan's name in the run);
/// `options.max_bytes` holds the whole of the Markdown.
pub fn render_run(run: &Run, format: Format, options: &RenderOptions) -> String {
    match format {
        Format::Text => render_text(run, options),
        // A run is plain data (strings, numbers, enums); serializing it cannot fail.
        Format::Json => serde_json::to_string_pretty(run).unwrap_or_default() + "\n",
        Format::Sarif => render_sarif(run, options),
        Format::Markdown => render_markdown(run, options.max_bytes, options.source_url.as_deref()),
        Format::Github => github::render_run(run),
        Format::Gitlab | Format::GitlabTerraform | Format::AzureDevops | Format::Junit => ci::render_run(run, format),
    }
}

fn plan_options(options: &RenderOptions, plan: &str) -> RenderOptions {
    RenderOptions { plan_label: plan.to_string(), ..options.clone() }
}

fn render_text(run: &Run, options: &RenderOptions) -> String {
    let mut out = String::new();
    for plan in &run.plans {
        let _ = writeln!(out, "##### Plan {} #####", one_line(&plan.plan));
        out.push_str(&text::render(&plan.report, &plan_options(options, &plan.plan)));
        out.push('\n');
    }
    for error in &run.errors {
        let _ = writeln!(out, "##### Plan {} #####\nERROR: {}\n", one_line(&error.plan), log_lines(&error.message));
    }
    if let Some(scan) = &run.scan {
        out.push_str(&crate::scan::render(scan, Format::Text));
        out.push('\n');
    }
    let _ = write!(
        out,
        "##### All plans #####\nPlans: {}\nTotal changes: {}\nHigh-risk changes: {}\nCritical changes: {}\n\n",
        run.plans.len() + run.errors.len(),
        run.total_changes,
        run.high_risk_changes,
        run.critical_changes
    );
    let verdict = match run.exit_code {
        0 => "SUCCESS".to_string(),
        3 => "ERROR: Some input cannot be analysed".to_string(),
        code => format!("ERROR: The gate failed (exit {code})"),
    };
    let _ = writeln!(out, "{verdict}: {}", one_line(&run.reason));
    out
}

/// One SARIF file for all plans: a run each, told apart by its category (`automationDetails.id`),
/// as code scanning wants several analyses in one upload.
fn render_sarif(run: &Run, options: &RenderOptions) -> String {
    let runs: Vec<Value> = run
        .plans
        .iter()
        .filter_map(|plan| {
            let document: Value =
                serde_json::from_str(&sarif::render(&plan.report, &plan_options(options, &plan.plan))).ok()?;
            let mut only = document["runs"].get(0)?.clone();
            only["automationDetails"] = serde_json::json!({"id": format!("plangate/plan/{}/", plan.plan)});
            Some(only)
        })
        .collect();
    let document = serde_json::json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": runs,
    });
    serde_json::to_string_pretty(&document).unwrap_or_default() + "\n"
}

/// The verdict over everything first, then each input: a plan that cannot be read, each plan's
/// report (all cut to a smaller budget, lower-risk sections first, when the whole does not fit
/// in `max_bytes`), the scan.
fn render_markdown(run: &Run, max_bytes: usize, source_url: Option<&str>) -> String {
    const ICONS: [(RunStatus, &str); 4] =
        [(RunStatus::Critical, "🔴"), (RunStatus::HighRisk, "🟠"), (RunStatus::Safe, "🟢"), (RunStatus::Error, "⚠️")];
    let several = run.plans.len() + run.errors.len() > 1 || run.scan.is_some();
    let mut head = String::new();
    if several {
        let icon = ICONS.iter().find(|(s, _)| *s == run.status).map_or("", |(_, i)| i);
        let verdict = if run.passed() { "passed" } else { "failed" };
        let _ = writeln!(head, "## {icon} plangate: {} ({verdict}, exit {})\n", run.status.as_str(), run.exit_code);
    }
    for error in &run.errors {
        let _ = writeln!(head, "### ⚠️ {} cannot be read\n\n{}\n", escape(&error.plan), escape(&error.message));
    }
    let scan = run.scan.as_ref().map(|s| crate::scan::render(s, Format::Markdown)).unwrap_or_default();
    let plans = |budget: usize| -> Vec<String> {
        run.plans
            .iter()
            .map(|plan| {
                let name = (run.plans.len() > 1).then_some(plan.plan.as_str());
                markdown::render(&plan.report, markdown::Layout { max_bytes: budget, source_url, plan: name })
            })
            .collect()
    };
    let findings = run.plans.iter().flat_map(|p| &p.report.findings);
    let waive = if run.plans.len() > 1 { markdown::how_to_waive(findings) } else { String::new() };
    let room = max_bytes.saturating_sub(head.len() + scan.len() + waive.len() + 400);
    let mut rendered = plans(room.max(2000));
    let mut note = String::new();
    if rendered.iter().map(|p| p.len() + 1).sum::<usize>() > room {
        let budget = (room / run.plans.len().max(1)).saturating_sub(200).max(2000);
        rendered = plans(budget);
        note = format!("\n> **Shortened:** the reports were cut to fit {max_bytes} bytes, lower-risk sections first. The JSON report has every finding.\n");
    }
    let mut out = head;
    for plan in rendered {
        out.push_str(&plan);
        out.push('\n');
    }
    out.push_str(&waive);
    out.push_str(&note);
    out.push_str(&scan);
    if out.len() > max_bytes {
        // Still too long (very many plans): cut at a character boundary and say so.
        let closing = format!("\n\n> **Shortened** to {max_bytes} bytes.\n");
        let mut cut = max_bytes.saturating_sub(closing.len());
        while !out.is_char_boundary(cut) {
            cut -= 1;
        }
        out.truncate(cut);
        out.push_str(&closing);
    }
    out
}

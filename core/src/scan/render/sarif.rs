//! One SARIF 2.1.0 file for all the reports, one run per tool, within GitHub's upload limits:
//! at most 25,000 results per run, 20 runs per file, and 10 MB gzipped (kept by holding the
//! uncompressed file to 10 MB, which can only compress smaller). What is cut is said in the run's
//! `toolExecutionNotifications`.

use std::collections::BTreeMap;

use serde_json::{json, Value};

use crate::scan::{ScanFinding, ScanOutcome, ScanSeverity};

/// What a merged SARIF file may hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SarifLimits {
    /// Results per run.
    pub results_per_run: usize,
    /// Runs per file.
    pub runs: usize,
    /// Bytes of the uncompressed file.
    pub bytes: usize,
}

/// GitHub code scanning's upload limits.
pub const GITHUB_LIMITS: SarifLimits = SarifLimits { results_per_run: 25_000, runs: 20, bytes: 10 * 1024 * 1024 };

pub fn render(outcome: &ScanOutcome, limits: &SarifLimits) -> String {
    let mut by_tool: BTreeMap<&str, Vec<&ScanFinding>> = BTreeMap::new();
    for f in &outcome.findings {
        by_tool.entry(f.tool.as_str()).or_default().push(f);
    }
    let mut budget = limits.bytes.saturating_sub(4096);
    let mut runs = Vec::new();
    let tools: Vec<_> = by_tool.into_iter().collect();
    let dropped_tools = tools.len().saturating_sub(limits.runs);
    for (tool, findings) in tools.into_iter().take(limits.runs) {
        let mut results = Vec::new();
        let mut cut = 0;
        for f in &findings {
            let result = result(f);
            let size = result.to_string().len() + 2;
            if results.len() >= limits.results_per_run || size > budget {
                cut += 1;
                continue;
            }
            budget -= size;
            results.push(result);
        }
        let mut notifications = Vec::new();
        if cut > 0 {
            notifications.push(json!({"level": "warning", "message": {"text": format!("plangate left out {cut} of {} results to stay within GitHub's SARIF upload limits", findings.len())}}));
        }
        if dropped_tools > 0 && runs.is_empty() {
            notifications.push(json!({"level": "warning", "message": {"text": format!("plangate left out {dropped_tools} scanners' runs: GitHub accepts at most {} runs per file", limits.runs)}}));
        }
        runs.push(json!({
            "tool": {"driver": {"name": tool, "informationUri": env!("CARGO_PKG_REPOSITORY"), "rules": []}},
            "automationDetails": {"id": format!("plangate/scan/{tool}/")},
            "invocations": [{"executionSuccessful": true, "toolExecutionNotifications": notifications}],
            "results": results,
        }));
    }
    let sarif = json!({"$schema": "https://json.schemastore.org/sarif-2.1.0.json", "version": "2.1.0", "runs": runs});
    serde_json::to_string(&sarif).unwrap_or_default() + "\n"
}

fn result(f: &ScanFinding) -> Value {
    let (level, security) = match f.severity {
        ScanSeverity::Critical => ("error", "9.5"),
        ScanSeverity::High => ("error", "7.5"),
        ScanSeverity::Medium => ("warning", "5.0"),
        ScanSeverity::Low => ("note", "2.0"),
        ScanSeverity::Info | ScanSeverity::Unknown => ("note", "0.0"),
    };
    let (file, line) = match f.location.rsplit_once(':') {
        Some((file, line)) if line.parse::<u64>().is_ok_and(|l| l > 0) => (file, line.parse::<u64>().ok()),
        _ => (f.location.as_str(), None),
    };
    let mut location = json!({"physicalLocation": {"artifactLocation": {"uri": file}}});
    if let Some(line) = line {
        location["physicalLocation"]["region"] = json!({"startLine": line});
    }
    let mut result = json!({
        "ruleId": f.rule,
        "level": level,
        "message": {"text": f.title},
        "locations": [location],
        "partialFingerprints": {"plangate/v1": f.fingerprint},
        "properties": {"security-severity": security, "severity": f.severity.as_str(), "raw_severity": f.raw_severity, "report": f.file},
    });
    if let Some(reason) = &f.suppressed {
        result["suppressions"] = json!([{"kind": "external", "status": "accepted", "justification": reason}]);
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scan::FindingBuilder;

    #[test]
    fn limits_cut_and_say_so() {
        let b = FindingBuilder { source: "trivy", file: "r.json", max_findings: 10 };
        let findings: Vec<_> =
            (0..30).map(|i| b.vulnerability(&format!("CVE-{i}"), "x", Some("HIGH"), "pkg", "1")).collect();
        let outcome = crate::scan::gate::judge(
            &[crate::scan::ScanReport {
                file: "r.json".into(),
                format: crate::scan::ReportFormat::Trivy,
                findings,
                verdict: None,
            }],
            &Default::default(),
            &[],
            &Default::default(),
            crate::date::Date::parse("2026-11-26").unwrap(),
        );
        let limits = SarifLimits { results_per_run: 25, runs: 20, bytes: 1 << 20 };
        let sarif: Value = serde_json::from_str(&render(&outcome, &limits)).unwrap();
        assert_eq!(sarif["runs"][0]["results"].as_array().unwrap().len(), 25);
        let note =
            sarif["runs"][0]["invocations"][0]["toolExecutionNotifications"][0]["message"]["text"].as_str().unwrap();
        assert!(note.contains("left out 5 of 30"), "{note}");
    }
}

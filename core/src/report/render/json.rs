//! The JSON report: the contract the next pipeline steps read with `jq`.
//!
//! Byte for byte what `serde_json`'s pretty printer writes for a [`Report`], but the two lists that
//! grow with the plan (findings and drift) are rendered in chunks on every core first, then written
//! in order. On the 100 MB plan the report is 5 MB: written on one thread it was the last ~10 ms of
//! the check, with the other core idle. The text is held in memory until it is written; by then the
//! plan's pages have been given back, and the peak memory of that check did not move.

use std::io::Write;

use rayon::prelude::*;
use serde::Serialize;

use crate::report::Report;

/// Items rendered together: enough that a chunk is worth a task, few enough to share the list
/// between the cores.
const CHUNK: usize = 256;

pub fn write(report: &Report, out: &mut dyn Write) -> std::io::Result<()> {
    // Naming every field (no `..`) makes a field added to the report a compile error here until it
    // is written; the tests compare the result with serde_json's own rendering.
    let Report {
        schema_version,
        total_changes,
        high_risk_changes,
        critical_changes,
        status,
        verdict,
        findings,
        drift,
        plan,
        policy,
    } = report;
    let (findings, drift) = rayon::join(|| list(findings), || list(drift));
    let fields = [
        ("schema_version", value(schema_version)?),
        ("total_changes", value(total_changes)?),
        ("high_risk_changes", value(high_risk_changes)?),
        ("critical_changes", value(critical_changes)?),
        ("status", value(status)?),
        ("verdict", value(verdict)?),
        ("findings", findings?),
        ("drift", drift?),
        ("plan", value(plan)?),
        ("policy", value(policy)?),
    ];
    out.write_all(b"{")?;
    for (i, (name, pieces)) in fields.iter().enumerate() {
        write!(out, "{}\n  \"{name}\": ", if i == 0 { "" } else { "," })?;
        pieces.iter().try_for_each(|piece| out.write_all(piece))?;
    }
    out.write_all(b"\n}\n")?;
    out.flush()
}

pub fn render(report: &Report) -> String {
    let mut out = Vec::new();
    // A report is plain data (strings, numbers, enums) written to memory: this cannot fail, and
    // serde_json writes only UTF-8.
    let _ = write(report, &mut out);
    String::from_utf8(out).unwrap_or_default()
}

/// A field's value as the pretty printer writes it one level deep (in one piece).
fn value(value: &impl Serialize) -> serde_json::Result<Vec<Vec<u8>>> {
    Ok(vec![one_level_deep(value)?])
}

/// `items` as the pretty printer writes a list one level deep, in pieces rendered in parallel: `[`,
/// each item on lines of its own four spaces in, and `]` two spaces in (`[]` when empty).
fn list<T: Serialize + Sync>(items: &[T]) -> serde_json::Result<Vec<Vec<u8>>> {
    let mut pieces = items.par_chunks(CHUNK).map(one_level_deep).collect::<serde_json::Result<Vec<_>>>()?;
    if pieces.is_empty() {
        return Ok(vec![b"[]".to_vec()]);
    }
    // Each piece is a list of its own, `[`, items, then `\n  ]`: one list once every `[` but the
    // first is a comma and only the last `\n  ]` is left.
    let last = pieces.len() - 1;
    for (i, piece) in pieces.iter_mut().enumerate() {
        if i > 0 {
            piece[0] = b',';
        }
        if i < last {
            piece.truncate(piece.len() - b"\n  ]".len());
        }
    }
    Ok(pieces)
}

/// `value` as the pretty printer writes it one level deep (the lines after its first indented by
/// two spaces): written as the one element of a list, `[\n  ` + value + `\n]`, which is then cut
/// off.
fn one_level_deep(value: &(impl Serialize + ?Sized)) -> serde_json::Result<Vec<u8>> {
    let mut text = serde_json::to_vec_pretty(&[value])?;
    text.truncate(text.len() - b"\n]".len());
    text.drain(..b"[\n  ".len());
    Ok(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixture_reports() -> Vec<(String, Report)> {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../fixtures/plans");
        let mut reports = Vec::new();
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.to_string_lossy().ends_with(".plan.json") {
                let options = crate::CheckOptions::default();
                if let Ok(report) = crate::check(crate::PlanInput::path(&path), &options) {
                    reports.push((path.display().to_string(), report));
                }
            }
        }
        reports
    }

    fn serde_json_rendering(report: &Report) -> String {
        serde_json::to_string_pretty(report).unwrap() + "\n"
    }

    #[test]
    fn writes_what_serde_json_writes_for_every_fixture_report() {
        let reports = fixture_reports();
        for (path, report) in &reports {
            assert_eq!(render(report), serde_json_rendering(report), "{path}");
        }
        let with_both = reports.iter().filter(|(_, r)| !r.findings.is_empty() && !r.drift.is_empty()).count();
        let with_neither = reports.iter().filter(|(_, r)| r.findings.is_empty() && r.drift.is_empty()).count();
        assert!(
            with_both >= 3 && with_neither >= 1,
            "{with_both} reports with findings and drift, {with_neither} with neither"
        );
    }

    #[test]
    fn writes_what_serde_json_writes_for_lists_of_many_chunks() {
        let (_, mut report) =
            fixture_reports().into_iter().find(|(_, r)| !r.findings.is_empty() && !r.drift.is_empty()).unwrap();
        // Past one chunk, and not a whole number of chunks.
        report.findings = report.findings.iter().cycle().take(3 * CHUNK + 7).cloned().collect();
        report.drift = report.drift.iter().cycle().take(CHUNK + 1).cloned().collect();
        assert_eq!(render(&report), serde_json_rendering(&report));
    }
}

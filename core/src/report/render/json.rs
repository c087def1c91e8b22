//! The JSON report: the contract the next pipeline steps read with `jq`.

use crate::report::Report;

pub fn write(report: &Report, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, report)?;
    out.write_all(b"\n")
}

pub fn render(report: &Report) -> String {
    // A report is plain data (strings, numbers, enums); serializing it cannot fail.
    let mut out = serde_json::to_string_pretty(report).unwrap_or_default();
    out.push('\n');
    out
}

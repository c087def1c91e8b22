//! The JSON report: the contract the next pipeline steps read with `jq`.

use std::io::Write as _;

use crate::report::Report;

pub fn write(report: &Report, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    // serde_json writes a report in many small pieces: buffered here, each is a copy rather than a
    // call through `dyn Write`.
    let mut out = std::io::BufWriter::with_capacity(64 * 1024, out);
    serde_json::to_writer_pretty(&mut out, report)?;
    out.write_all(b"\n")?;
    out.flush()
}

pub fn render(report: &Report) -> String {
    // A report is plain data (strings, numbers, enums); serializing it cannot fail.
    let mut out = serde_json::to_string_pretty(report).unwrap_or_default();
    out.push('\n');
    out
}

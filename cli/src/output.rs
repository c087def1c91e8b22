//! Writing a report: to standard output, or to a file that appears whole or not at all.

use std::io::{BufWriter, Write};
use std::path::Path;

/// Writes through `write` into a temporary file in the same directory, then renames it over `path`,
/// so a reader never sees a half-written report and a failed run leaves the old file alone.
pub fn write_atomically(path: &str, write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>) -> std::io::Result<()> {
    let target = Path::new(path);
    let dir = match target.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    };
    let file = tempfile::Builder::new().prefix(".plangate-").suffix(".tmp").tempfile_in(dir)?;
    let mut out = BufWriter::new(file);
    write(&mut out)?;
    let file = out.into_inner().map_err(|e| e.into_error())?;
    file.as_file().sync_all()?;
    file.persist(target).map_err(|e| e.error)?;
    Ok(())
}

/// Writes through `write` to standard output.
pub fn to_stdout(write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>) -> std::io::Result<()> {
    let mut out = BufWriter::new(std::io::stdout().lock());
    write(&mut out)?;
    out.flush()
}

pub fn print(text: &str) -> std::io::Result<()> {
    to_stdout(|out| out.write_all(text.as_bytes()))
}

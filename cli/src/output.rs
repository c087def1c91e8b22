//! Writing a report: to standard output, or to a file that appears whole or not at all.

use std::io::Write;
use std::path::Path;

/// Writes `text` to `path` through a temporary file in the same directory and a rename, so a
/// reader never sees a half-written report and a failed run leaves the old file alone.
pub fn write_atomically(path: &str, text: &str) -> std::io::Result<()> {
    let target = Path::new(path);
    let dir = match target.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    };
    let mut file = tempfile::Builder::new().prefix(".plangate-").suffix(".tmp").tempfile_in(dir)?;
    file.write_all(text.as_bytes())?;
    file.as_file().sync_all()?;
    file.persist(target).map_err(|e| e.error)?;
    Ok(())
}

pub fn print(text: &str) -> std::io::Result<()> {
    let mut stdout = std::io::stdout().lock();
    stdout.write_all(text.as_bytes())?;
    stdout.flush()
}

//! Writing a report: to standard output, or to the file `-o` names.
//!
//! A regular file is replaced atomically: the report is written to a temporary file beside it and
//! renamed over it, so a reader never sees half a report and a failed run leaves the old one alone;
//! the old file's permissions are kept, and a new file is created `0644`. A symbolic link is
//! followed on purpose: the file it points to is replaced and the link stays. Anything that is not
//! a regular file (a FIFO, a character device such as `/dev/stdout` or `/dev/null`) is written
//! directly, never replaced. A directory, or a link to nothing, is an error.

use std::fs::{File, OpenOptions, Permissions};
use std::io::{BufWriter, ErrorKind, Write};
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};

/// Writes through `write` to `path`, as the module documentation says.
pub fn write_to_path(path: &str, write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>) -> std::io::Result<()> {
    let target = resolve(Path::new(path))?;
    match std::fs::metadata(&target) {
        Ok(meta) if meta.is_dir() => Err(std::io::Error::new(ErrorKind::IsADirectory, "it is a directory")),
        Ok(meta) if !meta.is_file() => write_through(OpenOptions::new().write(true).open(&target)?, write),
        Ok(meta) => write_atomically(&target, meta.permissions(), write),
        Err(e) if e.kind() == ErrorKind::NotFound => write_atomically(&target, Permissions::from_mode(0o644), write),
        Err(e) => Err(e),
    }
}

/// The file a path names: a symbolic link's target (relative targets resolved beside the link).
fn resolve(path: &Path) -> std::io::Result<PathBuf> {
    match std::fs::symlink_metadata(path) {
        Ok(meta) if meta.file_type().is_symlink() => std::fs::canonicalize(path).map_err(|e| {
            std::io::Error::new(e.kind(), format!("it is a symbolic link to nothing that can be written ({e})"))
        }),
        _ => Ok(path.to_path_buf()),
    }
}

fn write_through(file: File, write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>) -> std::io::Result<()> {
    let mut out = BufWriter::new(file);
    write(&mut out)?;
    out.flush()
}

fn write_atomically(
    target: &Path,
    permissions: Permissions,
    write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> std::io::Result<()> {
    let dir = match target.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    };
    let file = tempfile::Builder::new().prefix(".plangate-").suffix(".tmp").tempfile_in(dir)?;
    let mut out = BufWriter::new(file);
    write(&mut out)?;
    let file = out.into_inner().map_err(|e| e.into_error())?;
    file.as_file().set_permissions(permissions)?;
    file.as_file().sync_all()?;
    file.persist(target).map_err(|e| e.error)?;
    Ok(())
}

/// Standard output was closed when plangate started.
static STDOUT_CLOSED: AtomicBool = AtomicBool::new(false);

/// Run first: a closed standard input, output or error gets `/dev/null` in its place, so no file
/// plangate opens later takes its number (a report "printed" into the plan file, an error message
/// into a report). A closed standard output is remembered: printing a report then fails.
pub fn guard_standard_streams() {
    for fd in 0..=2 {
        // SAFETY: F_GETFD only asks whether the descriptor is open; open(2) takes the lowest free
        // number, which is `fd` itself since every lower one is open by now.
        unsafe {
            if libc::fcntl(fd, libc::F_GETFD) == -1 {
                libc::open(c"/dev/null".as_ptr(), libc::O_RDWR);
                if fd == 1 {
                    STDOUT_CLOSED.store(true, Ordering::SeqCst);
                }
            }
        }
    }
}

/// Writes through `write` to standard output. A closed standard output is an error: the report
/// would be lost while the verdict still looked delivered.
pub fn to_stdout(write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>) -> std::io::Result<()> {
    if STDOUT_CLOSED.load(Ordering::SeqCst) {
        return Err(std::io::Error::new(ErrorKind::BrokenPipe, "standard output is closed"));
    }
    let mut out = BufWriter::new(std::io::stdout().lock());
    write(&mut out)?;
    out.flush()
}

pub fn print(text: &str) -> std::io::Result<()> {
    to_stdout(|out| out.write_all(text.as_bytes()))
}

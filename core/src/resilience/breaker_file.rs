//! A breaker's state kept in a JSON file between pipeline runs, shared by every process that uses
//! it (`plangate breaker`, the Python `CircuitBreaker`). Each read-decide-write happens under an
//! exclusive lock on a lock file beside the state, so concurrent processes never lose an outcome
//! and never both become the half-open probe; the state is replaced by a rename, so a reader never
//! sees half of it. The directory may be shared: no link planted in it is ever followed when
//! writing (the temporary file is made new with a random name, the lock file is not opened through
//! a symbolic link).

use std::fs::{File, OpenOptions};
use std::io::Write;
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};

use super::{Breaker, ResilienceError};
use crate::limits::{Bound, FileError, Limits};

/// A breaker state file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BreakerFile {
    path: PathBuf,
}

impl BreakerFile {
    /// The state at `path` (created closed on first update).
    pub fn new(path: impl AsRef<Path>) -> BreakerFile {
        BreakerFile { path: path.as_ref().to_path_buf() }
    }

    /// The state file's path.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The current state, without changing it: closed when the file does not exist yet.
    ///
    /// # Errors
    /// [`ResilienceError::State`] when the file cannot be locked, read or parsed.
    pub fn read(&self) -> Result<Breaker, ResilienceError> {
        let _lock = self.lock()?;
        self.load()
    }

    /// Reads the state, lets `change` decide, and writes the state back, all under the lock.
    ///
    /// # Errors
    /// [`ResilienceError::State`] when the file cannot be locked, read, parsed or written.
    pub fn update<T>(&self, change: impl FnOnce(&mut Breaker) -> T) -> Result<T, ResilienceError> {
        let _lock = self.lock()?;
        let mut breaker = self.load()?;
        let decided = change(&mut breaker);
        self.store(&breaker)?;
        Ok(decided)
    }

    fn error(&self, message: impl Into<String>) -> ResilienceError {
        ResilienceError::State { path: self.path.display().to_string(), message: message.into() }
    }

    /// An exclusive lock on `STATE.lock`, held until the returned file is dropped. A lock file of
    /// its own, because the state file itself is replaced by each write.
    fn lock(&self) -> Result<File, ResilienceError> {
        let mut name = self.path.as_os_str().to_owned();
        name.push(".lock");
        let file = OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            // A link planted where the lock file goes (even a dangling one) is refused, not followed.
            .custom_flags(libc::O_NOFOLLOW)
            .open(PathBuf::from(name))
            .map_err(|e| self.error(format!("cannot open its lock file: {e}")))?;
        file.lock().map_err(|e| self.error(format!("cannot lock it: {e}")))?;
        Ok(file)
    }

    fn load(&self) -> Result<Breaker, ResilienceError> {
        match Limits::from_env().unwrap_or_default().read_text(&self.path, Bound::FileBytes) {
            Ok(text) => serde_json::from_str(&text)
                .map_err(|e| self.error(format!("not a plangate breaker state ({e}); remove it to start closed"))),
            Err(FileError::Io(e)) if e.kind() == std::io::ErrorKind::NotFound => Ok(Breaker::default()),
            Err(e) => Err(self.error(format!("cannot read it: {e}"))),
        }
    }

    fn store(&self, breaker: &Breaker) -> Result<(), ResilienceError> {
        // A breaker state is plain data; serializing it cannot fail.
        let text = serde_json::to_string_pretty(breaker).unwrap_or_default() + "\n";
        let dir = match self.path.parent() {
            Some(dir) if !dir.as_os_str().is_empty() => dir,
            _ => Path::new("."),
        };
        let name = self.path.file_name().unwrap_or_default().to_string_lossy();
        // Made new (O_EXCL) under a random name, so nothing planted beside the state is followed.
        let written = tempfile::Builder::new().prefix(&format!(".{name}.")).suffix(".tmp").tempfile_in(dir).and_then(
            |mut file| {
                file.write_all(text.as_bytes())?;
                file.as_file().sync_all()?;
                file.persist(&self.path).map_err(|e| e.error)?;
                Ok(())
            },
        );
        written.map_err(|e| self.error(format!("cannot write it: {e}")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::resilience::BreakerConfig;

    #[test]
    fn updates_persist_and_a_broken_file_is_a_clear_error() {
        let dir = std::env::temp_dir().join(format!("plangate-breaker-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let file = BreakerFile::new(dir.join("state.json"));
        let config = BreakerConfig::default();
        for t in 0..3 {
            file.update(|b| b.record(false, f64::from(t), &config)).unwrap();
        }
        assert_eq!(file.read().unwrap().state_name(), "open");
        std::fs::write(file.path(), "{not json").unwrap();
        let err = file.read().unwrap_err().to_string();
        assert!(err.contains("state.json") && err.contains("remove it to start closed"), "{err}");
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn links_planted_beside_the_state_are_never_followed() {
        let dir = tempfile::tempdir().unwrap();
        let victim = dir.path().join("victim");
        std::fs::write(&victim, "keep").unwrap();
        let file = BreakerFile::new(dir.path().join("state.json"));
        // The name an earlier version wrote its temporary file under, and the lock file, as links.
        let old_temporary = dir.path().join(format!("state.json.{}.tmp", std::process::id()));
        std::os::unix::fs::symlink(&victim, old_temporary).unwrap();
        file.update(|b| b.record(false, 0.0, &crate::resilience::BreakerConfig::default())).unwrap();
        assert_eq!(std::fs::read_to_string(&victim).unwrap(), "keep");
        assert!(std::fs::symlink_metadata(file.path()).unwrap().is_file());

        let linked = BreakerFile::new(dir.path().join("other.json"));
        std::os::unix::fs::symlink(dir.path().join("nowhere"), dir.path().join("other.json.lock")).unwrap();
        let err = linked.read().unwrap_err().to_string();
        assert!(err.contains("lock file"), "{err}");
        assert!(!dir.path().join("nowhere").exists(), "a dangling link is not followed to create its target");
    }
}

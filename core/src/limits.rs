//! The bounds that keep hostile or broken input from exhausting memory or time: how large a plan,
//! a report or any other file plangate reads may be, how far a binary plan may inflate, how many
//! findings a scan may hold, how deep a YAML configuration may nest.
//! Each has a generous default and an environment variable to change it; input beyond a limit is
//! an error that names the variable, never a verdict and never a truncated reading.

/// The limits the engine reads input under.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct Limits {
    /// The largest plan, in bytes (JSON, or what terraform shows of a binary plan).
    pub max_plan_bytes: u64,
    /// The largest scanner report or baseline, in bytes.
    pub max_report_bytes: u64,
    /// The most findings one scan may hold, over all its reports.
    pub max_findings: u64,
    /// The deepest nesting of a YAML configuration or suppressions file.
    pub max_yaml_depth: u64,
    /// How many times its own size a binary plan file may inflate to (beyond a floor of 16 MiB).
    pub max_inflation: u64,
    /// The largest other file: a configuration, suppressions file, breaker state, schema table or
    /// Terraform source file.
    pub max_file_bytes: u64,
}

/// Which limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Bound {
    PlanBytes,
    ReportBytes,
    Findings,
    YamlDepth,
    Inflation,
    FileBytes,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Unit {
    Bytes,
    Count,
    /// Times a file's own size.
    Ratio,
}

impl Bound {
    const ALL: [Bound; 6] =
        [Bound::PlanBytes, Bound::ReportBytes, Bound::Findings, Bound::YamlDepth, Bound::Inflation, Bound::FileBytes];

    fn variable(self) -> &'static str {
        match self {
            Bound::PlanBytes => "PLANGATE_MAX_PLAN_BYTES",
            Bound::ReportBytes => "PLANGATE_MAX_REPORT_BYTES",
            Bound::Findings => "PLANGATE_MAX_FINDINGS",
            Bound::YamlDepth => "PLANGATE_MAX_YAML_DEPTH",
            Bound::Inflation => "PLANGATE_MAX_INFLATION",
            Bound::FileBytes => "PLANGATE_MAX_FILE_BYTES",
        }
    }

    fn what(self) -> &'static str {
        match self {
            Bound::PlanBytes => "plan size",
            Bound::ReportBytes => "report size",
            Bound::Findings => "scan findings",
            Bound::YamlDepth => "YAML nesting depth",
            Bound::Inflation => "binary plan decompression",
            Bound::FileBytes => "file size",
        }
    }

    fn unit(self) -> Unit {
        match self {
            Bound::PlanBytes | Bound::ReportBytes | Bound::FileBytes => Unit::Bytes,
            Bound::Findings | Bound::YamlDepth => Unit::Count,
            Bound::Inflation => Unit::Ratio,
        }
    }

    fn default(self) -> u64 {
        match self {
            Bound::PlanBytes => 4 << 30,
            Bound::ReportBytes => 1 << 30,
            Bound::Findings => 1_000_000,
            Bound::YamlDepth => 128,
            Bound::Inflation => 100,
            Bound::FileBytes => 64 << 20,
        }
    }
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            max_plan_bytes: Bound::PlanBytes.default(),
            max_report_bytes: Bound::ReportBytes.default(),
            max_findings: Bound::Findings.default(),
            max_yaml_depth: Bound::YamlDepth.default(),
            max_inflation: Bound::Inflation.default(),
            max_file_bytes: Bound::FileBytes.default(),
        }
    }
}

impl Limits {
    /// The defaults, with each `PLANGATE_MAX_*` variable that is set taking the place of its default.
    ///
    /// # Errors
    /// [`LimitError`] when a variable is set to something other than a whole number above 0 (bytes
    /// may end in `K`, `M` or `G`, powers of 1024).
    pub fn from_env() -> Result<Limits, LimitError> {
        let mut limits = Limits::default();
        for bound in Bound::ALL {
            let Some(raw) = std::env::var_os(bound.variable()) else { continue };
            let raw = raw.to_string_lossy();
            let value = parse(&raw, bound.unit()).ok_or_else(|| LimitError {
                variable: bound.variable(),
                found: crate::text::one_line(&raw),
                expected: match bound.unit() {
                    Unit::Bytes => "a whole number of bytes above 0, optionally ending in K, M or G",
                    Unit::Count | Unit::Ratio => "a whole number above 0",
                },
            })?;
            *limits.slot(bound) = value;
        }
        Ok(limits)
    }

    fn slot(&mut self, bound: Bound) -> &mut u64 {
        match bound {
            Bound::PlanBytes => &mut self.max_plan_bytes,
            Bound::ReportBytes => &mut self.max_report_bytes,
            Bound::Findings => &mut self.max_findings,
            Bound::YamlDepth => &mut self.max_yaml_depth,
            Bound::Inflation => &mut self.max_inflation,
            Bound::FileBytes => &mut self.max_file_bytes,
        }
    }

    pub(crate) fn get(&self, bound: Bound) -> u64 {
        match bound {
            Bound::PlanBytes => self.max_plan_bytes,
            Bound::ReportBytes => self.max_report_bytes,
            Bound::Findings => self.max_findings,
            Bound::YamlDepth => self.max_yaml_depth,
            Bound::Inflation => self.max_inflation,
            Bound::FileBytes => self.max_file_bytes,
        }
    }

    /// Reads a whole file under `bound` (its size in bytes), refusing more: a FIFO, a device such
    /// as `/dev/zero` or a file that grows while it is read stops one byte past the limit.
    pub(crate) fn read_file(&self, path: &std::path::Path, bound: Bound) -> Result<Vec<u8>, FileError> {
        use std::io::Read;
        let limit = self.get(bound);
        let file = std::fs::File::open(path).map_err(FileError::Io)?;
        let mut bytes = Vec::new();
        file.take(limit.saturating_add(1)).read_to_end(&mut bytes).map_err(FileError::Io)?;
        if bytes.len() as u64 > limit {
            return Err(FileError::TooLarge(self.exceeded(bound)));
        }
        Ok(bytes)
    }

    /// The same, as UTF-8 text.
    pub(crate) fn read_text(&self, path: &std::path::Path, bound: Bound) -> Result<String, FileError> {
        String::from_utf8(self.read_file(path, bound)?)
            .map_err(|_| FileError::Io(std::io::Error::new(std::io::ErrorKind::InvalidData, "it is not UTF-8 text")))
    }

    /// What to say of input beyond `bound`: the limit and the variable that raises it.
    pub(crate) fn exceeded(&self, bound: Bound) -> String {
        format!(
            "the {} limit of {} (set {} to allow more)",
            bound.what(),
            show(self.get(bound), bound.unit()),
            bound.variable()
        )
    }

    /// Every limit as (variable, what it bounds, its default), for documentation.
    pub fn documented() -> impl Iterator<Item = (&'static str, &'static str, String)> {
        Bound::ALL.into_iter().map(|b| (b.variable(), b.what(), show(b.default(), b.unit())))
    }
}

fn parse(raw: &str, unit: Unit) -> Option<u64> {
    let raw = raw.trim();
    let (digits, scale) = match (unit, raw.chars().last().map(|c| c.to_ascii_uppercase())) {
        (Unit::Bytes, Some('K')) => (&raw[..raw.len() - 1], 1u64 << 10),
        (Unit::Bytes, Some('M')) => (&raw[..raw.len() - 1], 1 << 20),
        (Unit::Bytes, Some('G')) => (&raw[..raw.len() - 1], 1 << 30),
        _ => (raw, 1),
    };
    digits.trim().parse::<u64>().ok().and_then(|n| n.checked_mul(scale)).filter(|n| *n > 0)
}

fn show(value: u64, unit: Unit) -> String {
    match unit {
        Unit::Bytes if value.is_multiple_of(1 << 30) => format!("{} GiB", value >> 30),
        Unit::Bytes if value.is_multiple_of(1 << 20) => format!("{} MiB", value >> 20),
        Unit::Bytes => format!("{value} bytes"),
        Unit::Count => value.to_string(),
        Unit::Ratio => format!("{value} times the file's size"),
    }
}

/// A file that cannot be read under its limit.
#[derive(Debug)]
pub(crate) enum FileError {
    /// It cannot be read.
    Io(std::io::Error),
    /// It is larger than the limit (what [`Limits::exceeded`] says of it).
    TooLarge(String),
}

impl std::fmt::Display for FileError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            FileError::Io(e) => e.fmt(f),
            FileError::TooLarge(limit) => write!(f, "it is larger than {limit}"),
        }
    }
}

/// A `PLANGATE_MAX_*` variable that does not hold a limit.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{variable}={found:?}: expected {expected}")]
#[non_exhaustive]
pub struct LimitError {
    /// The variable.
    pub variable: &'static str,
    /// Its value.
    pub found: String,
    /// What it should hold.
    pub expected: &'static str,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_and_messages() {
        assert_eq!(parse("512M", Unit::Bytes), Some(512 << 20));
        assert_eq!(parse(" 2g ", Unit::Bytes), Some(2 << 30));
        assert_eq!(parse("1000", Unit::Count), Some(1000));
        for bad in ["0", "-1", "1.5", "lots", "", "10M"] {
            assert_eq!(parse(bad, Unit::Count), None, "{bad}");
        }
        assert_eq!(parse("99999999999999999999G", Unit::Bytes), None);
        let limits = Limits::default();
        assert_eq!(
            limits.exceeded(Bound::PlanBytes),
            "the plan size limit of 4 GiB (set PLANGATE_MAX_PLAN_BYTES to allow more)"
        );
        assert_eq!(
            limits.exceeded(Bound::Findings),
            "the scan findings limit of 1000000 (set PLANGATE_MAX_FINDINGS to allow more)"
        );
        assert_eq!(
            limits.exceeded(Bound::Inflation),
            "the binary plan decompression limit of 100 times the file's size (set PLANGATE_MAX_INFLATION to allow more)"
        );
        assert_eq!(Limits::documented().count(), 6);
    }

    #[test]
    fn files_are_read_under_their_limit() {
        let limits = Limits { max_file_bytes: 1000, ..Limits::default() };
        let err = limits.read_file(std::path::Path::new("/dev/zero"), Bound::FileBytes).unwrap_err().to_string();
        assert_eq!(
            err,
            "it is larger than the file size limit of 1000 bytes (set PLANGATE_MAX_FILE_BYTES to allow more)"
        );
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("f");
        std::fs::write(&file, [b'x'; 1000]).unwrap();
        assert_eq!(limits.read_text(&file, Bound::FileBytes).unwrap().len(), 1000);
    }
}

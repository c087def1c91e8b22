//! Why a plan cannot be read. Every message says what was expected, what was found and where, so a
//! broken input is fixed at once instead of being mistaken for a verdict.

use std::fmt;

/// A place in the plan text, counted on the decoded UTF-8 text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Location {
    /// Byte offset from the start of the text (0-based).
    pub offset: usize,
    /// Line number (1-based).
    pub line: usize,
    /// Column in bytes (1-based).
    pub column: usize,
}

impl Location {
    /// The location of `offset` in `text`.
    pub fn of_offset(text: &[u8], offset: usize) -> Location {
        let offset = offset.min(text.len());
        let before = &text[..offset];
        let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
        let line_start = before.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
        Location { offset, line, column: offset - line_start + 1 }
    }

    /// The location of a 1-based line and column (as serde_json reports them) inside `text`,
    /// where `text` itself starts at `base` bytes into `whole`.
    pub fn of_line_column(whole: &[u8], base: usize, line: usize, column: usize) -> Location {
        let text = &whole[base..];
        let mut start = 0;
        for _ in 1..line {
            match text[start..].iter().position(|&b| b == b'\n') {
                Some(i) => start += i + 1,
                None => break,
            }
        }
        // serde_json reports the column of the byte it stopped at, 0 at the start of a line.
        let offset = base + (start + column.saturating_sub(1)).min(text.len());
        Location::of_offset(whole, offset)
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}, column {} (byte {})", self.line, self.column, self.offset)
    }
}

/// A plan that cannot be read or normalized.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum PlanError {
    /// The plan cannot be read.
    #[error("cannot read {what}: {source}")]
    Io {
        /// What could not be read (the file, standard input, a temporary file).
        what: String,
        /// Why.
        #[source]
        source: std::io::Error,
    },

    /// The plan is larger than the plan size limit.
    #[error("{what} is larger than {limit}")]
    TooLarge {
        /// What was being read.
        what: String,
        /// The limit and how to raise it.
        limit: String,
    },

    /// There is nothing to read.
    #[error("the input is empty: expected the JSON that `terraform show -json` prints, or a binary plan file")]
    Empty,

    /// The bytes are not text plangate can decode.
    #[error("cannot decode the text: {found}")]
    Encoding {
        /// What was found instead.
        found: String,
    },

    /// Malformed JSON.
    #[error("invalid JSON at {location}: {message}{}", hint.as_deref().map(|h| format!(". {h}")).unwrap_or_default())]
    Syntax {
        /// What the JSON parser expected and found.
        message: String,
        /// Where.
        location: Location,
        /// What probably happened (a cut-short file, a wrapper's output), when it is recognisable.
        hint: Option<String>,
    },

    /// Well-formed JSON of the wrong shape.
    #[error("not a valid plan at {location}: {message}")]
    Shape {
        /// What was expected and found.
        message: String,
        /// Where.
        location: Location,
    },

    /// A JSON document that is not a plan (state, say).
    #[error("not a Terraform plan: expected a JSON object with `resource_changes` or `planned_values` (the output of `terraform show -json PLANFILE`), found {found}")]
    NotAPlan {
        /// What was found instead.
        found: String,
    },

    /// A plan format plangate does not read.
    #[error("unsupported plan format_version {found:?} at {location}: plangate reads format versions 0.x and 1.x")]
    UnsupportedFormat {
        /// The version the plan declares.
        found: String,
        /// Where it says so.
        location: Location,
    },

    /// One resource change cannot be read.
    #[error("{section}[{index}]{} at {location}: {message}", address.as_deref().map(|a| format!(" ({a})")).unwrap_or_default())]
    InvalidChange {
        /// `resource_changes` or `resource_drift`.
        section: &'static str,
        /// The entry's index in its section.
        index: usize,
        /// The resource's address, when it could be read.
        address: Option<String>,
        /// What was expected and found.
        message: String,
        /// Where.
        location: Location,
    },

    /// A binary plan file, and no terraform to show it.
    #[error("this is a binary plan file, and reading it needs terraform, which was not found as `{binary}`: install terraform, set TERRAFORM_BINARY, or pass the output of `terraform show -json PLANFILE` instead")]
    TerraformMissing {
        /// The terraform that was looked for.
        binary: String,
    },

    /// terraform could not show the binary plan.
    #[error("`{command}` failed ({status}); run it in the Terraform working directory that made the plan. terraform said:\n{stderr}")]
    TerraformFailed {
        /// The command that was run.
        command: String,
        /// How it ended.
        status: String,
        /// The end of what it printed on standard error.
        stderr: String,
    },

    /// A binary plan file whose archive the native reader cannot read as Terraform reads it: not a
    /// zip archive, cut short, ambiguous (two `tfplan` members, data before the archive), or its
    /// plan message or dependency lock file damaged.
    #[error("cannot read the binary plan file natively: {message}")]
    BinaryArchive {
        /// What was expected and found, and where in the archive.
        message: String,
    },

    /// A binary plan file of a plan file format version the native reader does not know.
    #[error("cannot read the binary plan file natively: it has plan file format version {found}, and plangate reads version {expected} (Terraform 1.x, OpenTofu 1.x): show it with the terraform that made it (`--plan-reader terraform`)")]
    BinaryVersion {
        /// The version the plan file declares.
        found: u64,
        /// The version plangate reads.
        expected: u64,
    },

    /// One resource change of a binary plan file cannot be read.
    #[error("cannot read the binary plan file natively: {section}[{index}]{}: {message}", address.as_deref().map(|a| format!(" ({a})")).unwrap_or_default())]
    BinaryChange {
        /// `resource_changes` or `resource_drift`.
        section: &'static str,
        /// The entry's index in the JSON plangate writes for the plan, the order `terraform show
        /// -json` prints; for an entry whose address cannot be read, its index in the plan file.
        index: usize,
        /// The resource's address, when it could be read.
        address: Option<String>,
        /// What was expected and found (a value's path only as far as it is not sensitive).
        message: String,
    },

    /// A schema table (given with `schema_tables`, or embedded) cannot be read.
    #[error("schema table {origin} cannot be used: {message}")]
    SchemaTable {
        /// The table's file, or the provider of an embedded table.
        origin: String,
        /// What was expected and found.
        message: String,
    },

    /// Another process truncated the plan file while it was read (through a memory map).
    #[error("the plan file was truncated or replaced by another process while it was being read; nothing was decided")]
    Truncated,

    /// The plan says Terraform stopped with errors while making it: what it proposes is incomplete.
    #[error("the plan is incomplete: terraform reported errors while planning (`errored` is true), so changes it did not get to are missing; fix the errors and plan again")]
    Errored,
}

//! The structured facts of an error (the file, the line, the JSON path, what was expected and
//! found), shared by every subsystem's error so that a binding reads them in one way.

/// The structured facts of an error, where they apply.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct Details {
    /// The file (or label) of the input at fault.
    pub path: Option<String>,
    /// 1-based line.
    pub line: Option<usize>,
    /// 1-based column.
    pub column: Option<usize>,
    /// Where in a JSON document: `$.runs[0].results`, `resource_changes[3]`.
    pub json_path: Option<String>,
    /// The configuration key at fault: `thresholds.critical_changes`.
    pub key: Option<String>,
    /// What was expected there.
    pub expected: Option<String>,
    /// What was found instead.
    pub found: Option<String>,
}

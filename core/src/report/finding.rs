//! A finding: one thing a reviewer must see about one resource change. Findings are data, never
//! errors, and never carry a value the plan marks sensitive.

use serde::{Deserialize, Serialize};

use crate::date::Date;
use crate::plan::Action;
use crate::registry::{Category, Severity};
use crate::source::{Declared, SourceLocation};

/// One finding about one resource change.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Finding {
    /// The resource address, e.g. `module.db.aws_db_instance.main[0]`.
    pub address: String,
    /// The resource type, e.g. `aws_db_instance`.
    #[serde(rename = "type")]
    pub resource_type: String,
    /// What Terraform will do, written as Terraform's action list.
    pub actions: Action,
    /// How bad it is, after the configuration's `rules:` settings.
    pub severity: Severity,
    /// The rule id, e.g. `PG-DEL-001`.
    pub rule: String,
    /// The family the finding is filed under.
    pub category: Category,
    /// One sentence for a reviewer; never a sensitive value.
    pub message: String,
    /// Set when a waiver accepts this finding: it stays in the report but does not count.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub waived: Option<Waived>,
    /// Where the resource is declared in the `.tf` files (or why that cannot be said); present
    /// when the check was given the Terraform sources.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location: Option<Declared>,
}

impl Finding {
    /// The block that declares the resource, when the sources were read and name one.
    pub fn source_location(&self) -> Option<&SourceLocation> {
        match &self.location {
            Some(Declared::At(location)) => Some(location),
            _ => None,
        }
    }
}

/// How a finding was waived, as the report shows it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Waived {
    /// Why the risk is accepted.
    pub reason: String,
    /// The waiver is in force through this date.
    pub expires: Date,
}

//! plangate: a deployment gate for Terraform plans and security scan reports.
//!
//! Three jobs, one entry point each:
//!
//! - [`check`]: read a Terraform plan (JSON or binary), judge every change with attribute-level
//!   rules, and decide a verdict under a [`Policy`]: exit 0 pass, 1 critical, 2 high-risk.
//! - [`scan::check`]: read scanner reports (Wiz, Seeker, SARIF, Trivy, Checkov, Grype, …), fail
//!   closed on anything malformed, and gate on severity.
//! - [`resilience`]: retry schedules with jitter and one retry driver ([`resilience::Retrier`]),
//!   error classification, auto-heal, a circuit breaker, health-check escalation, traffic shifting.
//!
//! Anything the engine cannot read is an [`Error`], never a verdict. No report, message or error
//! carries a value the plan marks sensitive.
//!
//! ```
//! use plangate::{check, CheckOptions, Environment, PlanInput, Policy};
//! use plangate::report::{render, Format, RenderOptions};
//!
//! // A plan that deletes a DynamoDB table: critical under every preset.
//! let plan = br#"{"format_version": "1.2", "resource_changes": [{
//!     "address": "aws_dynamodb_table.audit", "type": "aws_dynamodb_table", "name": "audit",
//!     "change": {"actions": ["delete"], "before": {"name": "audit"}, "after": null}}]}"#;
//! let options = CheckOptions::new(Policy::preset(Environment::Staging));
//! let report = check(PlanInput::bytes(plan), &options)?;
//! assert_eq!(report.exit_code(), 1);
//! assert_eq!(report.findings[0].rule, "PG-DEL-001");
//! let text = render(&report, Format::Text, &RenderOptions::new("plan.json"));
//! assert!(text.contains("ERROR: Critical changes detected"));
//! # Ok::<(), plangate::Error>(())
//! ```
//!
//! The modules form layers, each using only those below it: the vocabulary ([`registry`] of rules,
//! [`Date`], [`Glob`], [`Format`], escaping, [`Limits`]), then the subsystems ([`plan`], [`report`], [`rules`],
//! [`scan`], [`resilience`], [`notify`]), then [`policy`] (the configuration, composed from the
//! subsystems' sections, and the verdict), then the entry points and [`Error`].

#![deny(missing_docs)]

// The vocabulary: leaves that import nothing above them.
mod address;
mod ci_reports;
mod date;
mod details;
mod fingerprint;
mod format;
mod glob;
mod json;
mod limits;
pub mod registry;
mod text;
mod url;
mod workflow;
mod yaml;

// The subsystems.
pub mod comment;
pub mod notify;
pub mod plan;
pub mod report;
pub mod resilience;
pub mod rules;
pub mod run_task;
pub mod scan;
pub mod source;

// The composition and the entry points.
mod check;
mod error;
pub mod policy;
pub mod settings;

pub use check::{check, check_all, CheckOptions, PlanInput};
pub use date::Date;
pub use error::{Details, Error, ErrorKind};
pub use format::{Format, UnknownFormat};
pub use glob::Glob;
pub use limits::{LimitError, Limits};
pub use policy::{Config, ConfigError, Environment, Policy};
pub use registry::{Category, Rule, Severity};
pub use report::{Finding, Report, Status};
pub use settings::{BreakerSettings, ConfigSource, Resolved, RetrySettings, Settings};
pub use text::log_lines;

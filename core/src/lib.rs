//! plangate: a deployment gate for Terraform plans.
//!
//! Bytes go in, a [`Report`] comes out: [`plan`] reads and normalizes the plan, [`rules`] turn each
//! change into findings, [`policy`] turns findings into counts, a status and an exit code, and
//! [`report::render`] writes them for people and pipelines. [`analyze`] runs the whole chain.

pub mod analyze;
pub mod fingerprint;
pub mod glob;
pub mod plan;
pub mod policy;
pub mod report;
pub mod resilience;
pub mod rules;
pub mod scan;

pub use analyze::{analyze, analyze_loaded, analyze_plan};
pub use plan::PlanError;
pub use policy::{ConfigError, Policy};
pub use report::{Finding, Report, Severity};

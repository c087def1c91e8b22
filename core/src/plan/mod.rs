//! Reading Terraform plans: load the bytes (binary plans read natively or by terraform), decode them, stream
//! the sections plangate needs, and normalize each resource change once. Nothing here judges risk.

mod action;
mod binary;
mod change;
mod diff;
pub(crate) mod encoding;
mod error;
mod invocation;
mod load;
mod mapping;
mod members;
mod native;
pub(crate) mod reader;
#[doc(hidden)]
pub mod stages;
mod terraform;
#[cfg(test)]
pub(crate) mod testing;
pub(crate) mod values;
mod well_formed;

pub use action::{Action, ActionReason, KnownReason};
pub(crate) use binary::read as read_binary;
pub use binary::{BinaryOptions, PlanReader, ReadBy};
pub(crate) use change::{Change, Mode, PathStep};
pub use error::{Location, PlanError};
pub(crate) use invocation::{Invocation, Trigger};
pub use load::Interrupt;
pub(crate) use load::{check_bytes, load, load_stdin};
pub(crate) use reader::{read_streaming, Outline, Section};
pub use reader::{ActionCounts, PlanHeader, Unjudged};
pub(crate) use values::{Attr, Side, REDACTED, UNKNOWN};

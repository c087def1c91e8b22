//! The rules of the families of any provider.

use crate::registry::Rule;

mod credentials;
mod deletions;
mod expired_waiver;
mod hidden;
mod high_risk_class;
mod index_shift;
mod invoked_actions;
mod masked;
mod meanings;
mod network_access;
mod unjudged;

pub(crate) use credentials::*;
pub(crate) use deletions::*;
pub(crate) use expired_waiver::*;
pub(crate) use hidden::*;
pub(crate) use high_risk_class::*;
pub(crate) use index_shift::*;
pub(crate) use invoked_actions::*;
pub(crate) use masked::*;
pub(crate) use meanings::*;
pub(crate) use network_access::*;
pub(crate) use unjudged::*;

/// Every family's rules, family by family, in the order `plangate rules` lists them.
pub(super) static DECLARED: &[&[&Rule]] = &[
    deletions::DECLARED,
    index_shift::DECLARED,
    high_risk_class::DECLARED,
    meanings::DECLARED,
    masked::DECLARED,
    hidden::DECLARED,
    unjudged::DECLARED,
    invoked_actions::DECLARED,
    expired_waiver::DECLARED,
    network_access::DECLARED,
    credentials::DECLARED,
];

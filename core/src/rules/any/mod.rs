//! Families of any provider: they judge what a change does (a delete, a replace, a class, values
//! that could not be read) whatever its type, and the plan-wide notices.

pub(super) mod credentials;
pub(super) mod deletions;
pub(super) mod drift;
pub(super) mod expired_waiver;
pub(super) mod hidden;
pub(super) mod high_risk_class;
pub(super) mod index_shift;
pub(super) mod invoked_actions;
pub(super) mod masked;
pub(super) mod meanings;
pub(super) mod network_access;
pub(super) mod unjudged;

//! Models the families share, read once: policy documents (IAM statements and conditions), network
//! permissions and what they expose, what an attribute means (a capacity, a protection, a
//! retention...), transitions of a setting from before to after. Not families:
//! they report nothing themselves.

pub(super) mod exposure;
pub(super) mod federation;
pub(super) mod meaning;
pub(super) mod permissions;
pub(super) mod policy_document;
pub(super) mod rows;
pub(super) mod transition;

//! Rules and tables for the `hashicorp/google` and `hashicorp/google-beta` providers.

pub(super) mod attributes;
pub(super) mod firewall;
pub(super) mod iam;

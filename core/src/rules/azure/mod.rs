//! Rules and tables for the `hashicorp/azurerm` provider.

pub(super) mod attributes;
pub(super) mod network_security;
pub(super) mod role_assignment;
pub(super) mod storage;

//! The rules of the `hashicorp/azurerm` provider's families.

use crate::registry::Rule;

mod role_assignment;
mod storage;

pub(crate) use role_assignment::*;
pub(crate) use storage::*;

/// Every family's rules, family by family, in the order `plangate rules` lists them.
pub(super) static DECLARED: &[&[&Rule]] = &[role_assignment::DECLARED, storage::DECLARED];

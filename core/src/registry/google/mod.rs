//! The rules of the `hashicorp/google` (and `google-beta`) provider's families.

use crate::registry::Rule;

mod iam;

pub(crate) use iam::*;

/// Every family's rules, family by family, in the order `plangate rules` lists them.
pub(super) static DECLARED: &[&[&Rule]] = &[iam::DECLARED];

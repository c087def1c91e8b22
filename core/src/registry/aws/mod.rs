//! The rules of the AWS provider's families.

use crate::registry::Rule;

mod database;
mod foreign_accounts;
mod iam;
mod kms;
mod network;
mod public_exposure;
mod resource_policy;
mod stateful;
mod storage;

pub(crate) use database::*;
pub(crate) use foreign_accounts::*;
pub(crate) use iam::*;
pub(crate) use kms::*;
pub(crate) use network::*;
pub(crate) use public_exposure::*;
pub(crate) use resource_policy::*;
pub(crate) use stateful::*;
pub(crate) use storage::*;

/// Every family's rules, family by family, in the order `plangate rules` lists them.
pub(super) static DECLARED: &[&[&Rule]] = &[
    iam::DECLARED,
    database::DECLARED,
    network::DECLARED,
    kms::DECLARED,
    storage::DECLARED,
    resource_policy::DECLARED,
    foreign_accounts::DECLARED,
    public_exposure::DECLARED,
    stateful::DECLARED,
];

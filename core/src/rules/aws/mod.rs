//! The families of the AWS provider (`hashicorp/aws`), each judging the attributes of its types.

pub(super) mod attributes;
pub(super) mod database;
pub(super) mod foreign_accounts;
pub(super) mod group_exposure;
pub(super) mod iam;
pub(super) mod kms;
pub(super) mod lightsail;
pub(super) mod managed_drift;
pub(super) mod network;
pub(super) mod public_exposure;
pub(super) mod resource_policy;
pub(super) mod stateful;
pub(super) mod storage;

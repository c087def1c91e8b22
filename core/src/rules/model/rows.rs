//! The rows of the providers' meaning tables, one constructor a scale, so that a table reads as a
//! list: `flag("aws_dynamodb_table", "deletion_protection_enabled", Protection, true, "…")`.

use crate::rules::model::meaning::{
    Attribute, Guard, Meaning,
    Meaning::{Capacity, Retention},
    Scale, Zero,
};

/// A count where zero is none.
pub(crate) const fn count(t: &'static str, path: &'static str, effect: &'static str) -> Attribute {
    Attribute::new(t, path, Capacity, Scale::Count, effect)
}

/// A flag and its safe value.
pub(crate) const fn flag(
    t: &'static str,
    path: &'static str,
    meaning: Meaning,
    safe: bool,
    effect: &'static str,
) -> Attribute {
    Attribute::new(t, path, meaning, Scale::Flag { safe }, effect)
}

/// Ordered levels, worst first.
pub(crate) const fn levels(
    t: &'static str,
    path: &'static str,
    meaning: Meaning,
    levels: &'static [&'static [&'static str]],
    effect: &'static str,
) -> Attribute {
    Attribute::new(t, path, meaning, Scale::Levels(levels), effect)
}

/// A retention period, and what 0 means.
pub(crate) const fn period(
    t: &'static str,
    path: &'static str,
    unit: &'static str,
    zero: Zero,
    effect: &'static str,
) -> Attribute {
    Attribute::new(t, path, Retention, Scale::Period { unit, zero }, effect)
}

/// Set or not: a value is the protection or record.
pub(crate) const fn present(t: &'static str, path: &'static str, meaning: Meaning, effect: &'static str) -> Attribute {
    Attribute::new(t, path, meaning, Scale::Present, effect)
}

/// A resource whose deletion switches `meaning` off.
pub(crate) const fn guard(t: &'static str, meaning: Meaning, effect: &'static str) -> Guard {
    Guard { resource_type: t, meaning, effect, when: None }
}

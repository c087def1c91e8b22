//! The second kind of family: rules judged across the whole plan. A plan-wide family observes each
//! change while it is judged (on whichever worker judges it), keeps only what it needs, and
//! reports once every change was seen: internet access opened in pieces by several resources,
//! accounts that are another's only once the plan's own are known, index shifts, expired waivers.
//! They are registered beside the per-change families ([`super::PLAN_WIDE`]); the check runs them
//! all without knowing any of them.

use std::sync::Arc;

use super::Context;
use crate::plan::{Change, PlanError};
use crate::registry::Rule;
use crate::report::Finding;

/// A family of rules judged across the plan.
pub(crate) trait PlanWide: Sync {
    /// The rules its findings are of.
    #[allow(dead_code, reason = "read by the tests that hold each family to the rules it declares")]
    fn rules(&self) -> &'static [&'static Rule];

    /// What it keeps of one plan, fresh.
    fn collector<'a>(&self) -> Box<dyn Collector<'a> + 'a>;

    /// Whether it reads the attributes of this type (see `Family::also_reads`).
    fn reads(&self, _resource_type: &str) -> bool {
        false
    }
}

/// What one plan-wide family keeps of one plan: observed from every worker at once.
pub(crate) trait Collector<'a>: Send + Sync {
    /// Keeps what the family needs of the change at `index` of `resource_changes` (one that rules
    /// judge, or not: unchanged resources may matter to what others change).
    fn observe(&self, index: usize, change: &Arc<Change<'a>>, ctx: &Context<'_>);

    /// Starts on the whole plan text, beside the reading of its changes (the Rego policies, which
    /// read the plan as one value).
    fn prepare(&self, _text: &'a [u8]) {}

    /// The findings once every change was observed, each with the index of the change it counts
    /// against, or `None` for a notice about the plan. `text` is the plan, for errors.
    fn finish(self: Box<Self>, ctx: &Context<'_>, text: &'a [u8]) -> Result<Vec<(Option<usize>, Finding)>, PlanError>;
}

/// A collector's list, filled from several workers: in plan order once sorted by index.
pub(crate) struct Kept<T>(std::sync::Mutex<Vec<(usize, T)>>);

impl<T> Default for Kept<T> {
    fn default() -> Kept<T> {
        Kept(std::sync::Mutex::new(Vec::new()))
    }
}

impl<T> Kept<T> {
    pub fn push(&self, index: usize, item: T) {
        self.0.lock().unwrap_or_else(std::sync::PoisonError::into_inner).push((index, item));
    }

    /// Everything kept, in plan order.
    pub fn into_sorted(self) -> Vec<(usize, T)> {
        let mut kept = self.0.into_inner().unwrap_or_else(std::sync::PoisonError::into_inner);
        kept.sort_by_key(|(index, _)| *index);
        kept
    }
}

//! The rules of the `index_shift` family: ids, titles, severities and the documentation `plangate
//! explain` prints. The family in `rules::any::index_shift` reports them.

use crate::registry::{Category, Rule, Severity};

pub static INDEX_SHIFT: Rule = Rule {
    id: "PG-DEL-004",
    title: "Deletion by index shift: a `moved` block may have been meant",
    category: Category::ResourceDeletions,
    severity: Severity::Notice,
    doc: "**Why it matters.** Removing an element from the middle of a `count` list or renaming a \
`for_each` key makes Terraform delete one instance and create another, even when the object was \
meant to stay. A `moved` block keeps it.\n\n\
**What triggers it.** A deletion with `action_reason` `delete_because_count_index` or \
`delete_because_each_key` while another instance of the same resource block (the same address \
without its key) is created or replaced: a `count` list that loses a middle element replaces each \
later instance with its neighbour's arguments. Instances of other blocks are never paired. The \
deletion itself is still reported by PG-DEL-001/002; this is the hint next to it.\n\n\
**Example.** `module.storage.aws_s3_bucket.this[\"backups\"]` deleted while \
`module.storage.aws_s3_bucket.this[\"media\"]` is created reports a hint to add \
`moved { from = …[\"backups\"], to = …[\"media\"] }` if that is what happened.",
    plan_wide: true,
};

/// The rules declared here, in the order `plangate rules` lists them.
pub(super) static DECLARED: &[&Rule] = &[&INDEX_SHIFT];

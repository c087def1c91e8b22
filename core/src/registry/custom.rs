//! The users' own rules in the registry: CEL rules of a policy file and the rules of its Rego
//! policies, declared when the policy loads. They live as long as the process, like the built-in
//! rules (interned: a policy loaded again declares nothing new), so findings, SARIF and
//! `plangate explain` treat them as any other rule.

use std::cell::RefCell;
use std::collections::HashMap;
use std::sync::{LazyLock, Mutex, PoisonError};

use super::{Category, Rule, Severity};

/// What a custom rule is declared with.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) struct Declaration {
    pub id: String,
    pub title: String,
    pub severity: Severity,
    pub doc: String,
}

/// Every declaration so far, and by id (upper case) the rule declared last.
#[derive(Default)]
struct Interned {
    declared: HashMap<Declaration, &'static Rule>,
    latest: HashMap<String, &'static Rule>,
}

static INTERNED: LazyLock<Mutex<Interned>> = LazyLock::new(Mutex::default);

/// The rule for a declaration: the same `&'static Rule` each time it is declared alike.
pub(crate) fn declare(declaration: Declaration) -> &'static Rule {
    let mut interned = INTERNED.lock().unwrap_or_else(PoisonError::into_inner);
    if let Some(rule) = interned.declared.get(&declaration).copied() {
        interned.latest.insert(declaration.id.to_ascii_uppercase(), rule);
        return rule;
    }
    let leak = |text: &str| -> &'static str { Box::leak(text.to_string().into_boxed_str()) };
    let rule: &'static Rule = Box::leak(Box::new(Rule {
        id: leak(&declaration.id),
        title: leak(&declaration.title),
        category: Category::Other,
        severity: declaration.severity,
        doc: leak(&declaration.doc),
        plan_wide: false,
    }));
    interned.latest.insert(declaration.id.to_ascii_uppercase(), rule);
    interned.declared.insert(declaration, rule);
    rule
}

/// The custom rule declared last with this id (case-insensitive), for reports that describe the
/// rule of a finding.
pub(crate) fn find_declared(id: &str) -> Option<&'static Rule> {
    INTERNED.lock().unwrap_or_else(PoisonError::into_inner).latest.get(&id.to_ascii_uppercase()).copied()
}

/// The custom rules of the configuration being read, and the ids its Rego messages may give.
type Scope = (Vec<&'static Rule>, Vec<String>);

thread_local! {
    /// What the configuration being read declares: what its `rules:` and `waivers:` may name.
    static IN_SCOPE: RefCell<Scope> = const { RefCell::new((Vec::new(), Vec::new())) };
}

/// Runs `read` with `rules` (and the ids `mentioned` by its Rego policies) in scope for
/// [`find_in_scope`]: the configuration's own rules, never another policy's.
pub(crate) fn with_scope<T>(rules: Vec<&'static Rule>, mentioned: Vec<String>, read: impl FnOnce() -> T) -> T {
    let previous = IN_SCOPE.with(|scope| scope.replace((rules, mentioned)));
    let result = read();
    IN_SCOPE.with(|scope| scope.replace(previous));
    result
}

/// A rule the configuration being read may name: built-in, one of its own, or an id one of its
/// Rego policies writes (the rule its messages will carry, declared now).
pub(crate) fn find_in_scope(id: &str) -> Option<&'static Rule> {
    super::find(id).or_else(|| {
        IN_SCOPE.with(|scope| {
            let (rules, mentioned) = &*scope.borrow();
            rules.iter().copied().find(|r| r.id.eq_ignore_ascii_case(id)).or_else(|| {
                let id = mentioned.iter().find(|m| m.eq_ignore_ascii_case(id))?;
                Some(find_declared(id).unwrap_or_else(|| {
                    declare(Declaration {
                        id: id.clone(),
                        title: format!("{id}, given by your Rego policies' messages"),
                        severity: Severity::Critical,
                        doc: "An id your own Rego policies give their messages.".into(),
                    })
                }))
            })
        })
    })
}

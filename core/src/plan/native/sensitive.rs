//! Which parts of a value are sensitive: the paths the plan file records (from sensitive
//! variables and functions) together with the attributes the provider's schema marks sensitive,
//! written as the `before_sensitive`/`after_sensitive` trees `terraform show -json` prints.

use std::collections::HashMap;

use serde_json::Value as Tree;

use super::proto::{Path, Selector};
use super::value::{decode_key, write_string, Step, MAX_DEPTH, V};

/// A trie of sensitive paths.
#[derive(Debug, Default)]
pub struct Marks {
    marked: bool,
    names: HashMap<String, Marks>,
    indexes: HashMap<i64, Marks>,
    any: Option<Box<Marks>>,
}

impl Marks {
    /// Everything is sensitive.
    pub fn all() -> Marks {
        Marks { marked: true, ..Marks::default() }
    }

    /// Adds a schema tree (`{"a": {"*": {"b": true}}}`).
    pub fn add_tree(&mut self, tree: &Tree) {
        match tree {
            Tree::Bool(true) => self.marked = true,
            Tree::Object(children) => {
                for (name, child) in children {
                    let node = if name == "*" {
                        self.any.get_or_insert_with(Box::default)
                    } else {
                        self.names.entry(name.clone()).or_default()
                    };
                    node.add_tree(child);
                }
            }
            _ => {}
        }
    }

    /// Adds a path recorded in the plan. A step into a set (keyed by an element's value) marks the
    /// whole set: more is hidden, never less.
    pub fn add_path(&mut self, path: &Path) -> Result<(), String> {
        // No value is deeper than this, so no longer path marks anything; and a trie as deep as a
        // hostile path would overflow the stack when dropped.
        if path.steps.len() > MAX_DEPTH {
            return Err(format!(
                "a sensitive path of {} steps, longer than any value can be deep ({MAX_DEPTH})",
                path.steps.len()
            ));
        }
        let mut node = self;
        for step in &path.steps {
            node = match &step.selector {
                Some(Selector::AttributeName(name)) => node.names.entry(name.clone()).or_default(),
                Some(Selector::ElementKey(key)) => match decode_key(&key.msgpack)? {
                    V::Int(i) => node.indexes.entry(i).or_default(),
                    V::UInt(u) if i64::try_from(u).is_ok() => node.indexes.entry(u as i64).or_default(),
                    V::Str(s) => node.names.entry(s.to_string()).or_default(),
                    _ => break,
                },
                None => return Err("a sensitive path with an empty step".into()),
            };
        }
        node.marked = true;
        Ok(())
    }

    /// Writes the sensitivity of `value`: `true` where it is sensitive, the shape of collections
    /// elsewhere, `false` members left out of objects.
    pub fn write(&self, value: &V, out: &mut String) {
        let reaching: &[&Marks] = if self.is_empty() { &[] } else { &[self] };
        write(value, reaching, out);
    }

    /// Marks nothing, here or below.
    fn is_empty(&self) -> bool {
        !self.marked && self.names.is_empty() && self.indexes.is_empty() && self.any.is_none()
    }

    /// How many leading steps of `path` may be shown: up to and including the first sensitive one
    /// (a key below it may itself be a secret).
    pub fn visible_steps(&self, path: &[&Step]) -> usize {
        if self.marked {
            return 0;
        }
        let mut nodes = vec![self];
        for (i, step) in path.iter().enumerate() {
            nodes = nodes
                .iter()
                .flat_map(|n| {
                    let named = match step {
                        Step::Key(key) => n.names.get(key.as_str()),
                        Step::Index(i) => i64::try_from(*i).ok().and_then(|i| n.indexes.get(&i)),
                    };
                    [named, n.any.as_deref()]
                })
                .flatten()
                .collect();
            if nodes.iter().any(|n| n.marked) {
                return i + 1;
            }
            if nodes.is_empty() {
                break;
            }
        }
        path.len()
    }
}

/// `nodes`: the marks that reach `value`, none of them empty.
fn write(value: &V, nodes: &[&Marks], out: &mut String) {
    // Most of most values: nothing to look up on the way down.
    if nodes.is_empty() {
        return write_unmarked(value, out);
    }
    if nodes.iter().any(|n| n.marked) {
        out.push_str("true");
        return;
    }
    match value {
        V::List(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                let index = i64::try_from(i).unwrap_or(i64::MAX);
                let children = reaching(nodes, |n| n.indexes.get(&index));
                write(item, &children, out);
            }
            out.push(']');
        }
        V::Obj(members) => {
            out.push('{');
            let mut first = true;
            for (key, member) in members {
                let children = reaching(nodes, |n| n.names.get(*key));
                // `false` is left out: what is neither marked nor a collection.
                if !children.iter().any(|n| n.marked) && !matches!(member, V::List(_) | V::Obj(_)) {
                    continue;
                }
                if !std::mem::take(&mut first) {
                    out.push(',');
                }
                write_string(out, key);
                out.push(':');
                write(member, &children, out);
            }
            out.push('}');
        }
        _ => out.push_str("false"),
    }
}

/// The marks that reach one step down from `nodes`: the step's own (`step`) and any element's.
fn reaching<'m>(nodes: &[&'m Marks], step: impl Fn(&'m Marks) -> Option<&'m Marks>) -> Vec<&'m Marks> {
    nodes.iter().flat_map(|&n| [step(n), n.any.as_deref()]).flatten().filter(|n| !n.is_empty()).collect()
}

/// The sensitivity of what no mark reaches: the shape of its collections, `false` elsewhere (and
/// left out of objects).
fn write_unmarked(value: &V, out: &mut String) {
    match value {
        V::List(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_unmarked(item, out);
            }
            out.push(']');
        }
        V::Obj(members) => {
            out.push('{');
            let mut first = true;
            for (key, member) in members.iter().filter(|(_, v)| matches!(v, V::List(_) | V::Obj(_))) {
                if !std::mem::take(&mut first) {
                    out.push(',');
                }
                write_string(out, key);
                out.push(':');
                write_unmarked(member, out);
            }
            out.push('}');
        }
        _ => out.push_str("false"),
    }
}

#[cfg(test)]
mod tests {
    use super::super::proto::{DynamicValue, Step};
    use super::*;

    fn key(v: rmpv::Value) -> Step {
        let mut msgpack = Vec::new();
        let ty = match &v {
            rmpv::Value::Integer(_) => "\"number\"",
            _ => "\"string\"",
        };
        rmpv::encode::write_value(&mut msgpack, &rmpv::Value::Array(vec![rmpv::Value::Binary(ty.into()), v])).unwrap();
        Step { selector: Some(Selector::ElementKey(DynamicValue { msgpack })) }
    }
    fn attr(name: &str) -> Step {
        Step { selector: Some(Selector::AttributeName(name.into())) }
    }

    #[test]
    fn schema_and_recorded_paths_together() {
        let mut marks = Marks::default();
        marks.add_tree(&serde_json::json!({"password": true, "auth": {"*": {"token": true}}}));
        marks.add_path(&Path { steps: vec![attr("env"), key("API_KEY".into())] }).unwrap();
        marks.add_path(&Path { steps: vec![attr("ports"), key(1.into())] }).unwrap();
        let value = V::Obj(vec![
            ("password", V::Null),
            ("name", V::Str("x")),
            ("auth", V::List(vec![V::Obj(vec![("token", V::Str("t")), ("user", V::Str("u"))])])),
            ("env", V::Obj(vec![("API_KEY", V::Str("k")), ("MODE", V::Str("m"))])),
            ("ports", V::List(vec![V::Int(1), V::Int(2)])),
            ("tags", V::Obj(vec![])),
        ]);
        let mut out = String::new();
        marks.write(&value, &mut out);
        assert_eq!(
            out,
            r#"{"password":true,"auth":[{"token":true}],"env":{"API_KEY":true},"ports":[false,true],"tags":{}}"#
        );
        let mut all = String::new();
        Marks::all().write(&value, &mut all);
        assert_eq!(all, "true");
        let mut none = String::new();
        Marks::default().write(&value, &mut none);
        assert_eq!(none, r#"{"auth":[{}],"env":{},"ports":[false,false],"tags":{}}"#, "the shape alone");

        use super::super::value::Step as At;
        let key = |k: &str| At::Key(k.into());
        let path = [key("env"), key("API_KEY"), key("inner")];
        let path: Vec<&At> = path.iter().collect();
        assert_eq!(marks.visible_steps(&path), 2, "shown up to the sensitive key, nothing below");
        let path = [key("auth"), At::Index(3), key("token"), key("x")];
        assert_eq!(marks.visible_steps(&path.iter().collect::<Vec<_>>()), 3);
        let path = [key("name"), key("x")];
        assert_eq!(marks.visible_steps(&path.iter().collect::<Vec<_>>()), 2);
        assert_eq!(Marks::all().visible_steps(&path.iter().collect::<Vec<_>>()), 0);
        let long = Path { steps: vec![attr("a"); MAX_DEPTH + 1] };
        assert!(Marks::default().add_path(&long).unwrap_err().contains("longer than any value"));
    }
}

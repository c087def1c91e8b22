//! Structured logs: one JSON object per line, on standard error unless the embedding program (a
//! test) takes them. Nothing logged ever holds a request body, a token or a signature: only
//! events, ids, names, verdicts, timings and engine errors (which never quote a sensitive value).

use std::sync::Arc;

use serde_json::{json, Map, Value};

/// Where log lines go.
#[derive(Clone)]
pub struct Log(Arc<dyn Fn(&str) + Send + Sync>);

impl Default for Log {
    fn default() -> Log {
        Log(Arc::new(|line| eprintln!("{line}")))
    }
}

impl std::fmt::Debug for Log {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Log")
    }
}

impl Log {
    /// Lines handed to `sink`.
    pub fn to(sink: impl Fn(&str) + Send + Sync + 'static) -> Log {
        Log(Arc::new(sink))
    }

    /// Logs `event` at `level` with `fields`.
    pub fn event(&self, level: &str, event: &str, fields: Value) {
        let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0.0, |d| d.as_secs_f64());
        let mut line = Map::new();
        line.insert("ts".into(), json!((now * 1000.0).round() / 1000.0));
        line.insert("level".into(), json!(level));
        line.insert("event".into(), json!(event));
        if let Value::Object(fields) = fields {
            line.extend(fields.into_iter().filter(|(_, v)| !v.is_null()));
        }
        (self.0)(&Value::Object(line).to_string());
    }
}

//! The hidden first line that makes a comment this gate's: `plangate:sticky`, the comment's key
//! (hashed, so no plan label can break out of the marker) and a hash of the body (so an unchanged
//! report is left alone), or `hidden` once a newer comment superseded it. GitHub, GitLab and Azure
//! DevOps hide an HTML comment; Bitbucket shows HTML as text but hides a link reference definition.
//! A marker proves nothing by itself: anyone can type one, so only the token's own comments count.

use crate::fingerprint::fingerprint;

const TAG: &str = "plangate:sticky";

/// How a provider hides the marker line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Style {
    HtmlComment,
    LinkReference,
}

/// What a marker says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Marker {
    /// The key's hash; `None` on a marker written before comments had keys.
    pub key: Option<String>,
    /// The body's hash, or `None` when hidden.
    pub hash: Option<String>,
    /// A superseded comment.
    pub hidden: bool,
}

/// The hash a key is written as.
pub(crate) fn key_hash(key: &str) -> String {
    fingerprint(&["plangate comment key", key])
}

fn line(style: Style, fields: &str) -> String {
    match style {
        Style::HtmlComment => format!("<!-- {TAG} {fields} -->"),
        Style::LinkReference => format!("[//]: # ({TAG} {fields})"),
    }
}

/// The marker line of a current comment with `body` under `key`.
pub(crate) fn current(style: Style, key: &str, body: &str) -> String {
    line(style, &format!("key={} hash={}", key_hash(key), fingerprint(&[body])))
}

/// The marker line of a superseded comment under `key`.
pub(crate) fn hidden(style: Style, key: &str) -> String {
    line(style, &format!("key={} hidden", key_hash(key)))
}

/// The marker on a comment's first line, if it has one.
pub(crate) fn parse(body: &str) -> Option<Marker> {
    let first = body.lines().next()?.trim();
    let inner = first
        .strip_prefix("<!--")
        .and_then(|r| r.strip_suffix("-->"))
        .or_else(|| first.strip_prefix("[//]: # (").and_then(|r| r.strip_suffix(')')))?;
    let fields = inner.trim().strip_prefix(TAG)?;
    let mut marker = Marker { key: None, hash: None, hidden: false };
    for field in fields.split_whitespace() {
        match field.split_once('=') {
            Some(("key", value)) => marker.key = Some(value.to_string()),
            // `sha256=` is how the first Action marked its comment.
            Some(("hash" | "sha256", value)) => marker.hash = Some(value.to_string()),
            None if field == "hidden" => marker.hidden = true,
            _ => {}
        }
    }
    Some(marker)
}

impl Marker {
    /// Whether the comment belongs to `key`: its key, or no key at all (a comment from before keys,
    /// which the first run with any key takes over rather than leave a stale report behind).
    pub fn is_for(&self, key: &str) -> bool {
        self.key.as_deref().is_none_or(|k| k == key_hash(key))
    }

    /// Whether the comment already shows `body`.
    pub fn shows(&self, body: &str) -> bool {
        !self.hidden && self.hash.as_deref() == Some(fingerprint(&[body]).as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_in_both_styles() {
        for style in [Style::HtmlComment, Style::LinkReference] {
            let text = format!("{}\nbody", current(style, "prod", "body"));
            let marker = parse(&text).unwrap();
            assert!(marker.is_for("prod") && !marker.is_for("staging"));
            assert!(marker.shows("body") && !marker.shows("other"));
            let gone = parse(&hidden(style, "prod")).unwrap();
            assert!(gone.hidden && gone.is_for("prod") && !gone.shows("body"));
        }
        let legacy = parse("<!-- plangate:sticky sha256=abc -->\nold").unwrap();
        assert!(legacy.is_for("anything") && legacy.key.is_none());
        assert_eq!(parse("plangate:sticky key=1"), None);
        assert_eq!(parse("<!-- someone else -->"), None);
    }
}

//! What the sticky-comment engine asks of each provider's API: who the token writes as, the
//! comments already on the request, and writing, deleting or hiding one. One file per provider
//! implements it; the engine ([`super::post`]) decides which calls to make.

use super::http::{Api, CallError};
use super::marker::Style;

/// A comment already on the pull or merge request.
#[derive(Debug, Clone)]
pub(crate) struct Posted {
    /// The provider's id of the comment.
    pub id: String,
    /// Azure DevOps: the thread the comment opens. GitHub: the GraphQL node id, to minimize it.
    pub parent: Option<String>,
    /// Who wrote it, as [`Forge::whoami`] names accounts.
    pub author: String,
    /// Its text.
    pub body: String,
    /// Where a reviewer opens it.
    pub url: Option<String>,
}

/// A provider's API for comments.
pub(crate) trait Forge {
    /// The API's base URL: every call stays on its origin.
    fn base(&self) -> &str;
    /// The headers that carry `token`.
    fn auth(&self, token: &str) -> Vec<(String, String)>;
    /// How the marker is hidden.
    fn style(&self) -> Style {
        Style::HtmlComment
    }
    /// The account the token writes as.
    fn whoami(&self, api: &mut Api<'_>, token: &str) -> Result<String, CallError>;
    /// Every comment on the request, oldest first, all pages.
    fn list(&self, api: &mut Api<'_>) -> Result<Vec<Posted>, CallError>;
    /// Writes a new comment; returns its URL.
    fn create(&self, api: &mut Api<'_>, body: &str) -> Result<Option<String>, CallError>;
    /// Replaces a comment's text; returns its URL.
    fn update(&self, api: &mut Api<'_>, comment: &Posted, body: &str) -> Result<Option<String>, CallError>;
    /// Deletes a comment.
    fn delete(&self, api: &mut Api<'_>, comment: &Posted) -> Result<(), CallError>;
    /// Marks a comment superseded: `marked` is its text with the hidden marker. Providers that can
    /// collapse a comment keep the text and collapse it; the others replace it by `short`.
    fn hide(&self, api: &mut Api<'_>, comment: &Posted, marked: &str, short: &str) -> Result<(), CallError>;
}

/// A JSON field as text, whether the API wrote it as a string or a number.
pub(crate) fn text(value: &serde_json::Value) -> Option<String> {
    match value {
        serde_json::Value::String(s) => Some(s.clone()),
        serde_json::Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// An answer that lacks a field the engine needs.
pub(crate) fn missing(what: &str) -> CallError {
    CallError { status: None, problem: format!("the answer has no {what}") }
}

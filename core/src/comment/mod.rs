//! One sticky comment per key on a pull or merge request, on GitHub, GitLab, Azure DevOps and
//! Bitbucket Cloud: found by the marker on its first line among the comments the token's own
//! account wrote, then edited in place (or hidden, or deleted, and written anew), never a comment of
//! another account or another key. Separate steps, environments or workspaces of one request pass
//! separate keys and get separate comments.
//!
//! A comment is a courtesy, never the gate: every way it can fail (no token, a read-only token, an
//! API that does not answer in time) ends in an [`Outcome`] with a warning, not an error. The
//! engine makes no HTTP call itself: the front end gives it an [`Http`] transport (the `http`
//! feature brings `UreqHttp`).

mod azure_devops;
mod bitbucket;
mod forge;
mod github;
mod gitlab;
mod http;
mod marker;
mod target;
#[cfg(feature = "http")]
mod ureq_http;

use serde::Serialize;

use crate::format::Format;
use crate::report::Run;
use crate::report::{render_run, RenderOptions};
use crate::resilience::{Clock, Sleep};
use forge::{Forge, Posted};
use http::{Api, CallError};
use marker::Style;

pub use http::{Http, HttpRequest, HttpResponse, Method};
pub use target::{CommentError, Located, Place, Target};
#[cfg(feature = "http")]
pub use ureq_http::UreqHttp;

/// Where the comment goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
#[non_exhaustive]
pub enum Provider {
    /// GitHub pull requests (REST; GraphQL to hide).
    Github,
    /// GitLab merge-request notes.
    Gitlab,
    /// Azure DevOps pull-request threads.
    AzureDevops,
    /// Bitbucket Cloud pull-request comments.
    Bitbucket,
}

impl Provider {
    /// Every provider.
    pub const ALL: [Provider; 4] = [Provider::Github, Provider::Gitlab, Provider::AzureDevops, Provider::Bitbucket];

    /// Its name on the command line.
    pub fn as_str(self) -> &'static str {
        match self {
            Provider::Github => "github",
            Provider::Gitlab => "gitlab",
            Provider::AzureDevops => "azure-devops",
            Provider::Bitbucket => "bitbucket",
        }
    }

    /// The most characters a comment may have there: GitHub refuses more than 65,536, GitLab
    /// 1,000,000, Azure DevOps 150,000, Bitbucket Cloud 32,767 ("less than 32768 characters").
    pub fn limit(self) -> usize {
        match self {
            Provider::Github => 65_536,
            Provider::Gitlab => 1_000_000,
            Provider::AzureDevops => 150_000,
            Provider::Bitbucket => 32_767,
        }
    }
}

impl std::str::FromStr for Provider {
    type Err = String;
    fn from_str(name: &str) -> Result<Provider, String> {
        Provider::ALL
            .into_iter()
            .find(|p| p.as_str() == name)
            .ok_or_else(|| format!("unknown provider {name:?}: expected github, gitlab, azure-devops or bitbucket"))
    }
}

/// What happens to this key's earlier comment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize)]
#[serde(rename_all = "kebab-case")]
#[non_exhaustive]
pub enum Behaviour {
    /// Edit it in place (the default): one comment that always shows the latest report.
    #[default]
    Update,
    /// Hide it as outdated and write a new one, so the request's history shows each report.
    HideAndNew,
    /// Delete it and write a new one at the end of the conversation.
    DeleteAndNew,
    /// Write a new comment every time, leaving the earlier ones alone.
    New,
}

impl std::str::FromStr for Behaviour {
    type Err = String;
    fn from_str(name: &str) -> Result<Behaviour, String> {
        match name {
            "update" => Ok(Behaviour::Update),
            "hide-and-new" => Ok(Behaviour::HideAndNew),
            "delete-and-new" => Ok(Behaviour::DeleteAndNew),
            "new" => Ok(Behaviour::New),
            other => Err(format!("unknown behaviour {other:?}: expected update, hide-and-new, delete-and-new or new")),
        }
    }
}

/// A comment to write.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Comment {
    /// The comment's key: reports with the same key share one comment.
    pub key: String,
    /// The Markdown ([`body`] fits a run to the provider).
    pub body: String,
    /// What happens to the key's earlier comment.
    pub behaviour: Behaviour,
    /// Write even when the earlier comment already shows this body.
    pub refresh: bool,
    /// Seconds every call together may take before the comment is given up.
    pub timeout: f64,
}

impl Comment {
    /// A comment with `key` and `body`, updated in place only when it changed, within 60 s.
    pub fn new(key: impl Into<String>, body: impl Into<String>) -> Comment {
        Comment { key: key.into(), body: body.into(), behaviour: Behaviour::Update, refresh: false, timeout: 60.0 }
    }

    /// The same, with another behaviour.
    pub fn behaviour(mut self, behaviour: Behaviour) -> Comment {
        self.behaviour = behaviour;
        self
    }

    /// The same, written even when unchanged (or not).
    pub fn refresh(mut self, refresh: bool) -> Comment {
        self.refresh = refresh;
        self
    }

    /// The same, within `seconds`.
    pub fn timeout(mut self, seconds: f64) -> Comment {
        self.timeout = seconds;
        self
    }
}

/// What was done.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
#[non_exhaustive]
pub enum Action {
    /// A new comment was written.
    Created,
    /// The key's comment was edited in place.
    Updated,
    /// The key's comment already showed this report.
    Unchanged,
    /// Nothing was written: the outcome's warnings say why.
    NotWritten,
}

/// What came of a comment: never an error, since a comment must not fail the gate.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct Outcome {
    /// What was done.
    pub action: Action,
    /// The comment a reviewer opens, when there is one.
    pub url: Option<String>,
    /// Earlier comments of the key hidden or deleted.
    pub superseded: usize,
    /// Why something was not done, for the log.
    pub warnings: Vec<String>,
    /// Retries and other things worth a line in the log.
    pub notes: Vec<String>,
    /// Why there is no request to comment on (a push, a branch pipeline), when there is none.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub nowhere: Option<String>,
}

impl Outcome {
    fn not_written(warning: String) -> Outcome {
        Outcome { warnings: vec![warning], ..Outcome::nothing() }
    }

    fn nothing() -> Outcome {
        Outcome {
            action: Action::NotWritten,
            url: None,
            superseded: 0,
            warnings: Vec::new(),
            notes: Vec::new(),
            nowhere: None,
        }
    }
}

/// What a front end was asked, as its user wrote it: checked here, once for every front end.
#[derive(Debug, Clone, Default, PartialEq)]
#[non_exhaustive]
pub struct Request {
    /// `github`, `gitlab`, `azure-devops` or `bitbucket`.
    pub provider: String,
    /// The token, instead of the provider's variable.
    pub token: Option<String>,
    /// The key (default: [`default_key`]).
    pub key: Option<String>,
    /// `update` (default), `hide-and-new`, `delete-and-new` or `new`.
    pub behaviour: Option<String>,
    /// Write even when unchanged.
    pub refresh: bool,
    /// Seconds for all calls together (default 60).
    pub timeout: Option<f64>,
}

impl Request {
    /// A request for `provider`, everything else by default.
    pub fn new(provider: impl Into<String>) -> Request {
        Request { provider: provider.into(), ..Request::default() }
    }
}

/// Writes `run` as the sticky comment on the request the CI's variables (read with `var`) name,
/// as `request` asks: what `plangate comment`, the Action and Python's `comment()` all do.
///
/// # Errors
/// [`CommentError`] when the request or a variable the CI always sets cannot be used; everything
/// that goes wrong with the comment itself is a warning in the [`Outcome`].
pub fn post_run(
    run: &Run,
    request: &Request,
    var: &dyn Fn(&str) -> Option<String>,
    http: &dyn Http,
    clock: &dyn Clock,
    sleep: &mut dyn Sleep,
) -> Result<Outcome, CommentError> {
    let argument = |name: &str, message: String| CommentError::Argument { name: name.into(), message };
    let provider: Provider = request.provider.parse().map_err(|e| argument("provider", e))?;
    let behaviour: Behaviour =
        request.behaviour.as_deref().unwrap_or("update").parse().map_err(|e| argument("behaviour", e))?;
    let timeout = request.timeout.unwrap_or(60.0);
    if !timeout.is_finite() || timeout <= 0.0 {
        return Err(argument("timeout", format!("expected a number of seconds above 0, found {timeout}")));
    }
    let mut target = match Target::from_env(provider, var)? {
        Located::At(target) => target,
        Located::Nowhere(why) => return Ok(Outcome { nowhere: Some(why), ..Outcome::nothing() }),
    };
    if let Some(token) = request.token.clone().filter(|t| !t.is_empty()) {
        target.token = Some(token);
    }
    let key = request.key.clone().filter(|k| !k.is_empty()).unwrap_or_else(|| default_key(run));
    let comment = Comment::new(key, body(run, &target)).behaviour(behaviour).refresh(request.refresh).timeout(timeout);
    Ok(post(&target, &comment, http, clock, sleep))
}

/// The key reports get by default: the names of their plans, so each plan (or set of plans) has
/// its own comment.
pub fn default_key(run: &Run) -> String {
    let mut names: Vec<&str> =
        run.plans.iter().map(|p| p.plan.as_str()).chain(run.errors.iter().map(|e| e.plan.as_str())).collect();
    names.sort_unstable();
    names.dedup();
    names.join(", ")
}

/// A run's Markdown report for `target`'s provider: lower-risk sections cut first to stay under its
/// limit (with room for the marker), `file:line` linked to the file at the reviewed commit, and
/// `<details>` spelled as bold headings where it is shown as text (Bitbucket).
pub fn body(run: &Run, target: &Target) -> String {
    let provider = target.provider();
    let options = RenderOptions::new("").max_bytes(provider.limit() - 512).source_url(target.source_url.clone());
    let markdown = render_run(run, Format::Markdown, &options);
    match provider {
        Provider::Bitbucket => without_details(&markdown),
        _ => markdown,
    }
}

/// `<details><summary>T</summary>` as `**T**`, and `</details>` dropped.
fn without_details(markdown: &str) -> String {
    markdown
        .lines()
        .map(|line| match line.strip_prefix("<details><summary>").and_then(|l| l.strip_suffix("</summary>")) {
            Some(title) => format!("**{title}**"),
            None if line == "</details>" => String::new(),
            None => line.to_string(),
        })
        .collect::<Vec<_>>()
        .join("\n")
        + "\n"
}

/// Writes `comment` to the request `target` names, through `http`.
pub fn post(target: &Target, comment: &Comment, http: &dyn Http, clock: &dyn Clock, sleep: &mut dyn Sleep) -> Outcome {
    let forge = target.forge();
    let Some(token) = target.token.as_deref().filter(|t| !t.trim().is_empty()) else {
        return Outcome::not_written(format!(
            "no token to write the {} comment with ({}); the report is in the job's log and files",
            target.provider().as_str(),
            target.token_source
        ));
    };
    let mut api = Api::new(http, clock, sleep, forge.base(), forge.auth(token), comment.timeout);
    let mut outcome = write(forge.as_ref(), &mut api, token, comment, target.provider());
    outcome.notes.append(&mut api.retries);
    outcome
}

fn write(forge: &dyn Forge, api: &mut Api<'_>, token: &str, comment: &Comment, provider: Provider) -> Outcome {
    let failed = |doing: &str, error: CallError| Outcome::not_written(explain(provider, doing, &error));
    let me = match forge.whoami(api, token) {
        Ok(me) => me,
        Err(e) => return failed("cannot tell which account the token writes as, so no comment is touched", e),
    };
    let posted = match forge.list(api) {
        Ok(posted) => posted,
        Err(e) => return failed("cannot read the comments", e),
    };
    // Only the token's own comments with this key: a marker typed by anyone else means nothing.
    let ours: Vec<Posted> = posted
        .into_iter()
        .filter(|p| p.author == me)
        .filter(|p| marker::parse(&p.body).is_some_and(|m| !m.hidden && m.is_for(&comment.key)))
        .collect();
    let style = forge.style();
    let text = compose(style, &comment.key, &comment.body, provider.limit());
    let latest = ours.last();
    if !comment.refresh && comment.behaviour != Behaviour::New {
        if let Some(latest) = latest.filter(|p| marker::parse(&p.body).is_some_and(|m| m.shows(&comment.body))) {
            return Outcome { action: Action::Unchanged, url: latest.url.clone(), ..Outcome::nothing() };
        }
    }
    let mut outcome = Outcome { action: Action::Created, ..Outcome::nothing() };
    let written = match (comment.behaviour, latest) {
        (Behaviour::Update, Some(latest)) => {
            outcome.action = Action::Updated;
            forge.update(api, latest, &text)
        }
        (Behaviour::HideAndNew | Behaviour::DeleteAndNew, Some(_)) => {
            for earlier in &ours {
                let done = if comment.behaviour == Behaviour::DeleteAndNew {
                    forge.delete(api, earlier)
                } else {
                    let hidden = marker::hidden(style, &comment.key);
                    let rest = earlier.body.split_once('\n').map_or("", |(_, rest)| rest);
                    let short = format!("{hidden}\n\n_Superseded by a newer plangate report._\n");
                    forge.hide(api, earlier, &format!("{hidden}\n{rest}"), &short)
                };
                match done {
                    Ok(()) => outcome.superseded += 1,
                    Err(e) => outcome.warnings.push(explain(provider, "cannot retire an earlier comment", &e)),
                }
            }
            forge.create(api, &text)
        }
        _ => forge.create(api, &text),
    };
    match written {
        Ok(url) => {
            outcome.url = url;
            outcome
        }
        Err(e) => {
            let mut failed = failed("cannot write the comment", e);
            failed.warnings.splice(0..0, outcome.warnings);
            failed.superseded = outcome.superseded;
            failed
        }
    }
}

/// The marker line and the body, cut at a character boundary (saying so) if still over `limit`.
fn compose(style: Style, key: &str, body: &str, limit: usize) -> String {
    let marker = marker::current(style, key, body);
    let separator = if style == Style::LinkReference { "\n\n" } else { "\n" };
    let mut text = format!("{marker}{separator}{body}");
    if text.chars().count() > limit {
        let closing = "\n\n> **Shortened** to fit the comment size limit. The JSON report has every finding.\n";
        let keep = limit - closing.chars().count();
        let cut = text.char_indices().nth(keep).map_or(text.len(), |(i, _)| i);
        text.truncate(cut);
        text.push_str(closing);
    }
    text
}

/// A warning for a failed call, with what usually causes it.
fn explain(provider: Provider, doing: &str, error: &CallError) -> String {
    let hint = match (error.status, provider) {
        (Some(401), _) => " (the token was refused: expired, revoked or mistyped)",
        (Some(403), Provider::Github) => {
            " (the token cannot write: a pull request from a fork gets a read-only token; give the job `pull-requests: write`)"
        }
        (Some(403), Provider::Gitlab) => " (the token cannot write notes: it needs the api scope and at least Reporter)",
        (Some(403), Provider::AzureDevops) => {
            " (the build service account needs \"Contribute to pull requests\" on the repository)"
        }
        (Some(403), Provider::Bitbucket) => " (the token needs the pullrequest:write scope)",
        (Some(404), _) => " (not found: check the repository and request number, and that the token can see them)",
        _ => "",
    };
    format!("{} comment: {doing}: {error}{hint}; the report is in the job's log and files", provider.as_str())
}

//! Which request a comment goes to, read from the variables each CI sets: GitHub Actions'
//! `GITHUB_*` and event file, GitLab's `CI_*` with the token in `GITLAB_TOKEN`, Azure Pipelines'
//! `SYSTEM_*`/`BUILD_*` with `SYSTEM_ACCESSTOKEN`, Bitbucket Pipelines' `BITBUCKET_*` with the
//! token in `BITBUCKET_TOKEN`. A pipeline that is not for a request is not an error: there is
//! nothing to comment on, and [`Located::Nowhere`] says so.

use super::azure_devops::AzureDevops;
use super::bitbucket::Bitbucket;
use super::forge::Forge;
use super::github::Github;
use super::gitlab::Gitlab;
use super::Provider;

/// A request that cannot be used: an argument, or a variable that is needed and missing or
/// unusable.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum CommentError {
    /// An argument the caller gave.
    #[error("{name}: {message}")]
    Argument {
        /// The argument.
        name: String,
        /// What is wrong with it.
        message: String,
    },
    /// A required variable is not set.
    #[error("{variable} is not set: expected {meaning}")]
    Missing {
        /// The variable.
        variable: String,
        /// What it should hold.
        meaning: String,
    },
    /// A variable holds something unusable.
    #[error("{variable}: expected {expected}, found {found:?}")]
    Invalid {
        /// The variable.
        variable: String,
        /// What it should hold.
        expected: String,
        /// What it holds (never a token).
        found: String,
    },
}

/// The request's coordinates on its provider.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Place {
    /// A GitHub pull request.
    Github {
        /// The REST API's base URL.
        api: String,
        /// `owner/name`.
        repository: String,
        /// The pull request's number.
        number: u64,
        /// The account the token writes as, when `GET /user` cannot say.
        author: Option<String>,
    },
    /// A GitLab merge request.
    Gitlab {
        /// The v4 API's base URL.
        api: String,
        /// The project's id or path.
        project: String,
        /// The merge request's IID.
        merge_request: u64,
        /// The merge request's page, to link the note.
        web: Option<String>,
    },
    /// An Azure DevOps pull request.
    AzureDevops {
        /// The collection (organisation) URL.
        collection: String,
        /// The project.
        project: String,
        /// The repository's id or name.
        repository: String,
        /// The pull request's id.
        pull_request: u64,
    },
    /// A Bitbucket Cloud pull request.
    Bitbucket {
        /// The 2.0 API's base URL.
        api: String,
        /// The workspace.
        workspace: String,
        /// The repository slug.
        repository: String,
        /// The pull request's id.
        pull_request: u64,
    },
}

/// A request and the token that writes on it.
#[derive(Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Target {
    /// Where.
    pub place: Place,
    /// The token; `None` writes nothing (with a warning).
    pub token: Option<String>,
    /// Where the token comes from, for the warning when there is none.
    pub token_source: String,
    /// Where a file is shown at the reviewed commit: a template with `{path}` and `{line}`.
    pub source_url: Option<String>,
}

impl std::fmt::Debug for Target {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Target")
            .field("place", &self.place)
            .field("token", &self.token.as_ref().map(|_| "(hidden)"))
            .finish_non_exhaustive()
    }
}

/// Where the variables point.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Located {
    /// A request to comment on.
    At(Target),
    /// Nothing to comment on (a branch pipeline, a push): why.
    Nowhere(String),
}

impl Target {
    /// A target at `place`, written with `token`.
    pub fn new(place: Place, token: Option<String>) -> Target {
        Target { place, token, token_source: "the token argument".into(), source_url: None }
    }

    /// The provider of the place.
    pub fn provider(&self) -> Provider {
        match self.place {
            Place::Github { .. } => Provider::Github,
            Place::Gitlab { .. } => Provider::Gitlab,
            Place::AzureDevops { .. } => Provider::AzureDevops,
            Place::Bitbucket { .. } => Provider::Bitbucket,
        }
    }

    /// The request `provider`'s CI variables name, reading them with `var`.
    ///
    /// # Errors
    /// A variable the provider always sets is missing or unusable (not in that CI, or a typo).
    pub fn from_env(provider: Provider, var: &dyn Fn(&str) -> Option<String>) -> Result<Located, CommentError> {
        let get = |name: &str| var(name).map(|v| v.trim().to_string()).filter(|v| !v.is_empty());
        let need = |name: &str, meaning: &str| {
            get(name).ok_or_else(|| CommentError::Missing { variable: name.into(), meaning: meaning.into() })
        };
        let number = |name: &str| -> Result<Option<u64>, CommentError> {
            get(name)
                .map(|v| {
                    v.parse::<u64>().map_err(|_| CommentError::Invalid {
                        variable: name.into(),
                        expected: "a request number".into(),
                        found: v.clone(),
                    })
                })
                .transpose()
        };
        let located = |place: Place, token: &[&str], source_url: Option<String>| {
            let found = token.iter().find_map(|name| get(name));
            Located::At(Target { place, token: found, token_source: token.join(" or "), source_url })
        };
        Ok(match provider {
            Provider::Github => {
                let repository = need("GITHUB_REPOSITORY", "owner/name of the repository")?;
                let event = get("GITHUB_EVENT_NAME").unwrap_or_default();
                if !event.is_empty() && !PULL_REQUEST_EVENTS.contains(&event.as_str()) {
                    return Ok(Located::Nowhere(format!("the workflow was started by {event}, not by a pull request")));
                }
                let Some((number, head)) = github_pull_request(&get)? else {
                    return Ok(Located::Nowhere("the workflow was not started by a pull request".into()));
                };
                let api = get("GITHUB_API_URL").unwrap_or_else(|| "https://api.github.com".into());
                let server = get("GITHUB_SERVER_URL").unwrap_or_else(|| "https://github.com".into());
                let source = head
                    .or_else(|| get("GITHUB_SHA"))
                    .map(|sha| format!("{}/{repository}/blob/{sha}/{{path}}#L{{line}}", trimmed(server)));
                let place = Place::Github { api: trimmed(api), repository, number, author: None };
                located(place, &["GITHUB_TOKEN", "GH_TOKEN"], source)
            }
            Provider::Gitlab => {
                let Some(merge_request) = number("CI_MERGE_REQUEST_IID")? else {
                    return Ok(Located::Nowhere(
                        "not a merge-request pipeline (CI_MERGE_REQUEST_IID is not set)".into(),
                    ));
                };
                let api = need("CI_API_V4_URL", "the GitLab API's URL")?;
                let project = need("CI_PROJECT_ID", "the project's id")?;
                let web = get("CI_MERGE_REQUEST_PROJECT_URL")
                    .or_else(|| get("CI_PROJECT_URL"))
                    .map(|p| format!("{}/-/merge_requests/{merge_request}", trimmed(p)));
                let source = get("CI_PROJECT_URL")
                    .zip(get("CI_COMMIT_SHA"))
                    .map(|(project, sha)| format!("{}/-/blob/{sha}/{{path}}#L{{line}}", trimmed(project)));
                located(Place::Gitlab { api: trimmed(api), project, merge_request, web }, &["GITLAB_TOKEN"], source)
            }
            Provider::AzureDevops => {
                let Some(pull_request) = number("SYSTEM_PULLREQUEST_PULLREQUESTID")? else {
                    return Ok(Located::Nowhere(
                        "not a pull-request build (SYSTEM_PULLREQUEST_PULLREQUESTID is not set)".into(),
                    ));
                };
                let collection = need("SYSTEM_COLLECTIONURI", "the organisation's URL")?;
                let project = need("SYSTEM_TEAMPROJECT", "the project's name")?;
                let repository = need("BUILD_REPOSITORY_ID", "the repository's id")?;
                let place = Place::AzureDevops { collection: trimmed(collection), project, repository, pull_request };
                let source = get("BUILD_REPOSITORY_URI")
                    .zip(get("SYSTEM_PULLREQUEST_SOURCECOMMITID").or_else(|| get("BUILD_SOURCEVERSION")))
                    .map(|(repository, sha)| {
                        format!("{}?path=/{{path}}&version=GC{sha}&line={{line}}", trimmed(repository))
                    });
                located(place, &["SYSTEM_ACCESSTOKEN"], source)
            }
            Provider::Bitbucket => {
                let Some(pull_request) = number("BITBUCKET_PR_ID")? else {
                    return Ok(Located::Nowhere("not a pull-request pipeline (BITBUCKET_PR_ID is not set)".into()));
                };
                let workspace = need("BITBUCKET_WORKSPACE", "the workspace")?;
                let repository = need("BITBUCKET_REPO_SLUG", "the repository's slug")?;
                // Not a Bitbucket variable: lets tests and Bitbucket's own mirrors name another API.
                let api = get("BITBUCKET_API_URL").unwrap_or_else(|| "https://api.bitbucket.org/2.0".into());
                let source = get("BITBUCKET_GIT_HTTP_ORIGIN")
                    .zip(get("BITBUCKET_COMMIT"))
                    .map(|(origin, sha)| format!("{}/src/{sha}/{{path}}#lines-{{line}}", trimmed(origin)));
                let place = Place::Bitbucket { api: trimmed(api), workspace, repository, pull_request };
                located(place, &["BITBUCKET_TOKEN"], source)
            }
        })
    }

    pub(crate) fn forge(&self) -> Box<dyn Forge> {
        match &self.place {
            Place::Github { api, repository, number, author } => Box::new(Github {
                api: api.clone(),
                repository: repository.clone(),
                number: *number,
                author: author.clone(),
            }),
            Place::Gitlab { api, project, merge_request, web } => Box::new(Gitlab {
                api: api.clone(),
                project: project.clone(),
                merge_request: *merge_request,
                web: web.clone(),
            }),
            Place::AzureDevops { collection, project, repository, pull_request } => Box::new(AzureDevops {
                collection: collection.clone(),
                project: project.clone(),
                repository: repository.clone(),
                pull_request: *pull_request,
            }),
            Place::Bitbucket { api, workspace, repository, pull_request } => Box::new(Bitbucket {
                api: api.clone(),
                workspace: workspace.clone(),
                repository: repository.clone(),
                pull_request: *pull_request,
            }),
        }
    }
}

/// The GitHub Actions events that belong to a pull request.
const PULL_REQUEST_EVENTS: [&str; 5] =
    ["pull_request", "pull_request_target", "pull_request_review", "pull_request_review_comment", "issue_comment"];

fn trimmed(url: String) -> String {
    url.trim_end_matches('/').to_string()
}

/// The pull request of a GitHub Actions event, and its head commit when the event says:
/// `pull_request`, `pull_request_target` and `pull_request_review*` carry `pull_request.number`;
/// an `issue_comment` on a pull request carries `issue.number` with `issue.pull_request`. Any
/// other event has none.
fn github_pull_request(get: &dyn Fn(&str) -> Option<String>) -> Result<Option<(u64, Option<String>)>, CommentError> {
    let Some(path) = get("GITHUB_EVENT_PATH") else { return Ok(None) };
    let text = std::fs::read_to_string(&path).map_err(|e| CommentError::Invalid {
        variable: "GITHUB_EVENT_PATH".into(),
        expected: "the event file GitHub writes".into(),
        found: format!("{path} ({e})"),
    })?;
    let event: serde_json::Value = serde_json::from_str(&text).map_err(|e| CommentError::Invalid {
        variable: "GITHUB_EVENT_PATH".into(),
        expected: "the event file GitHub writes, as JSON".into(),
        found: format!("{path} ({e})"),
    })?;
    let number = event["pull_request"]["number"]
        .as_u64()
        .or_else(|| event["issue"]["pull_request"].is_object().then(|| event["issue"]["number"].as_u64()).flatten());
    // A commit id goes into links: only hexadecimal is taken.
    let head = event["pull_request"]["head"]["sha"]
        .as_str()
        .filter(|sha| !sha.is_empty() && sha.chars().all(|c| c.is_ascii_hexdigit()))
        .map(str::to_string);
    Ok(number.map(|n| (n, head)))
}

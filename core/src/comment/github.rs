//! GitHub (and GitHub Enterprise Server): issue comments on the pull request over REST, hidden as
//! outdated with GraphQL's `minimizeComment`.

use serde_json::json;

use super::forge::{missing, text, Forge, Posted};
use super::http::{next_link, Api, CallError, Method};

/// The account GitHub's workflow token (and any installation token) writes as when it cannot ask:
/// `GET /user` is refused to installation tokens, whose text starts `ghs_`.
const WORKFLOW_TOKEN_ACCOUNT: &str = "github-actions[bot]";

pub(crate) struct Github {
    /// `https://api.github.com`, or `https://HOST/api/v3`.
    pub api: String,
    /// `owner/name`.
    pub repository: String,
    pub number: u64,
    /// Who the token writes as, when the caller knows better than the fallback.
    pub author: Option<String>,
}

impl Github {
    fn comments(&self) -> String {
        format!("{}/repos/{}/issues/{}/comments", self.api, self.repository, self.number)
    }

    fn graphql(&self) -> String {
        match self.api.strip_suffix("/api/v3") {
            Some(host) => format!("{host}/api/graphql"),
            None => format!("{}/graphql", self.api),
        }
    }
}

fn posted(value: &serde_json::Value) -> Option<Posted> {
    Some(Posted {
        id: text(&value["id"])?,
        parent: text(&value["node_id"]),
        author: text(&value["user"]["login"]).unwrap_or_default(),
        body: text(&value["body"]).unwrap_or_default(),
        url: text(&value["html_url"]),
    })
}

impl Forge for Github {
    fn base(&self) -> &str {
        &self.api
    }

    fn auth(&self, token: &str) -> Vec<(String, String)> {
        vec![("Authorization".into(), format!("Bearer {token}")), ("X-GitHub-Api-Version".into(), "2022-11-28".into())]
    }

    fn whoami(&self, api: &mut Api<'_>, token: &str) -> Result<String, CallError> {
        if let Some(author) = &self.author {
            return Ok(author.clone());
        }
        match api.get(&format!("{}/user", self.api)) {
            Ok((user, _)) => text(&user["login"]).ok_or_else(|| missing("login in GET /user")),
            // Only an installation token is known to write as the workflow's account: a personal
            // token that cannot say who it is must not adopt that account's comments.
            Err(e) if e.status == Some(403) && token.starts_with("ghs_") => Ok(WORKFLOW_TOKEN_ACCOUNT.to_string()),
            Err(e) => Err(e),
        }
    }

    fn list(&self, api: &mut Api<'_>) -> Result<Vec<Posted>, CallError> {
        let mut all = Vec::new();
        let mut url = Some(format!("{}?per_page=100", self.comments()));
        while let Some(page) = url.take() {
            let (value, response) = api.get(&page)?;
            let items = value.as_array().ok_or_else(|| missing("list of comments"))?;
            all.extend(items.iter().filter_map(posted));
            url = next_link(&response);
        }
        Ok(all)
    }

    fn create(&self, api: &mut Api<'_>, body: &str) -> Result<Option<String>, CallError> {
        let value = api.send(Method::Post, &self.comments(), Some(&json!({ "body": body })))?;
        Ok(text(&value["html_url"]))
    }

    fn update(&self, api: &mut Api<'_>, comment: &Posted, body: &str) -> Result<Option<String>, CallError> {
        let url = format!("{}/repos/{}/issues/comments/{}", self.api, self.repository, comment.id);
        let value = api.send(Method::Patch, &url, Some(&json!({ "body": body })))?;
        Ok(text(&value["html_url"]))
    }

    fn delete(&self, api: &mut Api<'_>, comment: &Posted) -> Result<(), CallError> {
        let url = format!("{}/repos/{}/issues/comments/{}", self.api, self.repository, comment.id);
        api.send(Method::Delete, &url, None).map(|_| ())
    }

    fn hide(&self, api: &mut Api<'_>, comment: &Posted, marked: &str, _short: &str) -> Result<(), CallError> {
        self.update(api, comment, marked)?;
        let node = comment.parent.as_deref().ok_or_else(|| missing("node_id on the comment"))?;
        let query = "mutation($id: ID!) { minimizeComment(input: {subjectId: $id, classifier: OUTDATED}) { minimizedComment { isMinimized } } }";
        let answer =
            api.send(Method::Post, &self.graphql(), Some(&json!({"query": query, "variables": {"id": node}})))?;
        // GraphQL reports failures with 200 and `errors`.
        match answer.get("errors") {
            Some(errors) if !errors.is_null() => {
                Err(CallError { status: Some(200), problem: "POST /graphql: minimizeComment was refused".into() })
            }
            _ => Ok(()),
        }
    }
}

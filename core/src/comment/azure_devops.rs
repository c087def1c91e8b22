//! Azure DevOps: a pull-request thread whose first comment is the report. A superseded thread is
//! closed, which Azure DevOps shows collapsed.

use serde_json::json;

use super::forge::{missing, text, Forge, Posted};
use super::http::{Api, CallError, Method};
use crate::url::segment;

const VERSION: &str = "api-version=7.1";

pub(crate) struct AzureDevops {
    /// `https://dev.azure.com/ORG` (`SYSTEM_COLLECTIONURI`, without the trailing slash).
    pub collection: String,
    /// The project's name or id.
    pub project: String,
    /// The repository's id or name.
    pub repository: String,
    pub pull_request: u64,
}

impl AzureDevops {
    fn threads(&self) -> String {
        format!(
            "{}/{}/_apis/git/repositories/{}/pullRequests/{}/threads",
            self.collection,
            segment(&self.project),
            segment(&self.repository),
            self.pull_request
        )
    }

    fn link(&self, thread: &str) -> String {
        format!(
            "{}/{}/_git/{}/pullrequest/{}?discussionId={thread}",
            self.collection,
            segment(&self.project),
            segment(&self.repository),
            self.pull_request
        )
    }

    /// The thread's first comment, as the engine sees a comment.
    fn posted(&self, thread: &serde_json::Value) -> Option<Posted> {
        let thread_id = text(&thread["id"])?;
        let first = thread["comments"].as_array()?.first()?;
        if first["isDeleted"].as_bool() == Some(true) || thread["isDeleted"].as_bool() == Some(true) {
            return None;
        }
        Some(Posted {
            id: text(&first["id"])?,
            url: Some(self.link(&thread_id)),
            parent: Some(thread_id),
            author: text(&first["author"]["id"]).unwrap_or_default(),
            body: text(&first["content"]).unwrap_or_default(),
        })
    }

    fn comment_url(&self, comment: &Posted) -> Result<String, CallError> {
        let thread = comment.parent.as_deref().ok_or_else(|| missing("thread id"))?;
        Ok(format!("{}/{thread}/comments/{}?{VERSION}", self.threads(), comment.id))
    }
}

impl Forge for AzureDevops {
    fn base(&self) -> &str {
        &self.collection
    }

    fn auth(&self, token: &str) -> Vec<(String, String)> {
        vec![("Authorization".into(), format!("Bearer {token}"))]
    }

    fn whoami(&self, api: &mut Api<'_>, _token: &str) -> Result<String, CallError> {
        let (data, _) = api.get(&format!("{}/_apis/connectionData", self.collection))?;
        text(&data["authenticatedUser"]["id"]).ok_or_else(|| missing("authenticatedUser.id in connectionData"))
    }

    fn list(&self, api: &mut Api<'_>) -> Result<Vec<Posted>, CallError> {
        let mut all = Vec::new();
        let mut continuation: Option<String> = None;
        loop {
            let url = match &continuation {
                Some(token) => format!("{}?{VERSION}&continuationToken={}", self.threads(), segment(token)),
                None => format!("{}?{VERSION}", self.threads()),
            };
            let (value, response) = api.get(&url)?;
            let threads = value["value"].as_array().ok_or_else(|| missing("value list of threads"))?;
            all.extend(threads.iter().filter_map(|t| self.posted(t)));
            continuation = response.header("x-ms-continuationtoken").map(str::to_string).filter(|t| !t.is_empty());
            if continuation.is_none() {
                return Ok(all);
            }
        }
    }

    fn create(&self, api: &mut Api<'_>, body: &str) -> Result<Option<String>, CallError> {
        let thread = json!({
            "comments": [{"parentCommentId": 0, "content": body, "commentType": 1}],
            "status": "active",
        });
        let value = api.send(Method::Post, &format!("{}?{VERSION}", self.threads()), Some(&thread))?;
        Ok(text(&value["id"]).map(|id| self.link(&id)))
    }

    fn update(&self, api: &mut Api<'_>, comment: &Posted, body: &str) -> Result<Option<String>, CallError> {
        api.send(Method::Patch, &self.comment_url(comment)?, Some(&json!({ "content": body })))?;
        Ok(comment.url.clone())
    }

    fn delete(&self, api: &mut Api<'_>, comment: &Posted) -> Result<(), CallError> {
        api.send(Method::Delete, &self.comment_url(comment)?, None).map(|_| ())
    }

    fn hide(&self, api: &mut Api<'_>, comment: &Posted, marked: &str, _short: &str) -> Result<(), CallError> {
        self.update(api, comment, marked)?;
        let thread = comment.parent.as_deref().ok_or_else(|| missing("thread id"))?;
        let url = format!("{}/{thread}?{VERSION}", self.threads());
        api.send(Method::Patch, &url, Some(&json!({ "status": "closed" }))).map(|_| ())
    }
}

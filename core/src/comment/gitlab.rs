//! GitLab: notes on the merge request. GitLab cannot collapse a note, so a superseded one is cut to
//! a line saying so.

use serde_json::json;

use super::forge::{missing, text, Forge, Posted};
use super::http::{next_link, Api, CallError, Method};
use crate::url::segment;

pub(crate) struct Gitlab {
    /// `https://gitlab.com/api/v4` (`CI_API_V4_URL`).
    pub api: String,
    /// The project's id or `group/name` path.
    pub project: String,
    pub merge_request: u64,
    /// The merge request's page, to link a note (`CI_MERGE_REQUEST_PROJECT_URL/-/merge_requests/IID`).
    pub web: Option<String>,
}

impl Gitlab {
    fn notes(&self) -> String {
        format!("{}/projects/{}/merge_requests/{}/notes", self.api, segment(&self.project), self.merge_request)
    }

    fn link(&self, id: &str) -> Option<String> {
        self.web.as_ref().map(|web| format!("{web}#note_{id}"))
    }

    fn posted(&self, value: &serde_json::Value) -> Option<Posted> {
        // System notes ("added 1 commit") are GitLab's, never a comment to edit.
        if value["system"].as_bool() == Some(true) {
            return None;
        }
        let id = text(&value["id"])?;
        Some(Posted {
            url: self.link(&id),
            id,
            parent: None,
            author: text(&value["author"]["id"]).unwrap_or_default(),
            body: text(&value["body"]).unwrap_or_default(),
        })
    }
}

impl Forge for Gitlab {
    fn base(&self) -> &str {
        &self.api
    }

    fn auth(&self, token: &str) -> Vec<(String, String)> {
        vec![("PRIVATE-TOKEN".into(), token.to_string())]
    }

    fn whoami(&self, api: &mut Api<'_>, _token: &str) -> Result<String, CallError> {
        let (user, _) = api.get(&format!("{}/user", self.api))?;
        text(&user["id"]).ok_or_else(|| missing("id in GET /user"))
    }

    fn list(&self, api: &mut Api<'_>) -> Result<Vec<Posted>, CallError> {
        let mut all = Vec::new();
        let mut url = Some(format!("{}?per_page=100&sort=asc&order_by=created_at", self.notes()));
        while let Some(page) = url.take() {
            let (value, response) = api.get(&page)?;
            let items = value.as_array().ok_or_else(|| missing("list of notes"))?;
            all.extend(items.iter().filter_map(|note| self.posted(note)));
            url = next_link(&response).or_else(|| {
                let next = response.header("X-Next-Page").map(str::trim).filter(|p| !p.is_empty())?;
                next.parse::<u32>()
                    .ok()
                    .map(|n| format!("{}?per_page=100&sort=asc&order_by=created_at&page={n}", self.notes()))
            });
        }
        Ok(all)
    }

    fn create(&self, api: &mut Api<'_>, body: &str) -> Result<Option<String>, CallError> {
        let value = api.send(Method::Post, &self.notes(), Some(&json!({ "body": body })))?;
        Ok(text(&value["id"]).and_then(|id| self.link(&id)))
    }

    fn update(&self, api: &mut Api<'_>, comment: &Posted, body: &str) -> Result<Option<String>, CallError> {
        let url = format!("{}/{}", self.notes(), comment.id);
        api.send(Method::Put, &url, Some(&json!({ "body": body })))?;
        Ok(self.link(&comment.id))
    }

    fn delete(&self, api: &mut Api<'_>, comment: &Posted) -> Result<(), CallError> {
        api.send(Method::Delete, &format!("{}/{}", self.notes(), comment.id), None).map(|_| ())
    }

    fn hide(&self, api: &mut Api<'_>, comment: &Posted, _marked: &str, short: &str) -> Result<(), CallError> {
        self.update(api, comment, short).map(|_| ())
    }
}

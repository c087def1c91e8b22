//! Bitbucket Cloud: pull-request comments. Bitbucket shows HTML as text, so the marker is a link
//! reference definition and a superseded comment is cut to a line saying so.

use serde_json::json;

use super::forge::{missing, text, Forge, Posted};
use super::http::{Api, CallError, Method};
use super::marker::Style;
use crate::url::segment;

pub(crate) struct Bitbucket {
    /// `https://api.bitbucket.org/2.0`.
    pub api: String,
    pub workspace: String,
    pub repository: String,
    pub pull_request: u64,
}

impl Bitbucket {
    fn comments(&self) -> String {
        format!(
            "{}/repositories/{}/{}/pullrequests/{}/comments",
            self.api,
            segment(&self.workspace),
            segment(&self.repository),
            self.pull_request
        )
    }
}

fn posted(value: &serde_json::Value) -> Option<Posted> {
    if value["deleted"].as_bool() == Some(true) {
        return None;
    }
    Some(Posted {
        id: text(&value["id"])?,
        parent: None,
        author: text(&value["user"]["uuid"]).unwrap_or_default(),
        body: text(&value["content"]["raw"]).unwrap_or_default(),
        url: text(&value["links"]["html"]["href"]),
    })
}

impl Forge for Bitbucket {
    fn base(&self) -> &str {
        &self.api
    }

    fn auth(&self, token: &str) -> Vec<(String, String)> {
        vec![("Authorization".into(), format!("Bearer {token}"))]
    }

    fn style(&self) -> Style {
        Style::LinkReference
    }

    fn whoami(&self, api: &mut Api<'_>, _token: &str) -> Result<String, CallError> {
        let (user, _) = api.get(&format!("{}/user", self.api))?;
        text(&user["uuid"]).ok_or_else(|| missing("uuid in GET /user"))
    }

    fn list(&self, api: &mut Api<'_>) -> Result<Vec<Posted>, CallError> {
        let mut all = Vec::new();
        let mut url = Some(format!("{}?pagelen=100", self.comments()));
        while let Some(page) = url.take() {
            let (value, _) = api.get(&page)?;
            let items = value["values"].as_array().ok_or_else(|| missing("values list of comments"))?;
            all.extend(items.iter().filter_map(posted));
            url = text(&value["next"]);
        }
        Ok(all)
    }

    fn create(&self, api: &mut Api<'_>, body: &str) -> Result<Option<String>, CallError> {
        let value = api.send(Method::Post, &self.comments(), Some(&json!({"content": {"raw": body}})))?;
        Ok(text(&value["links"]["html"]["href"]))
    }

    fn update(&self, api: &mut Api<'_>, comment: &Posted, body: &str) -> Result<Option<String>, CallError> {
        let url = format!("{}/{}", self.comments(), comment.id);
        let value = api.send(Method::Put, &url, Some(&json!({"content": {"raw": body}})))?;
        Ok(text(&value["links"]["html"]["href"]).or_else(|| comment.url.clone()))
    }

    fn delete(&self, api: &mut Api<'_>, comment: &Posted) -> Result<(), CallError> {
        api.send(Method::Delete, &format!("{}/{}", self.comments(), comment.id), None).map(|_| ())
    }

    fn hide(&self, api: &mut Api<'_>, comment: &Posted, _marked: &str, short: &str) -> Result<(), CallError> {
        self.update(api, comment, short).map(|_| ())
    }
}

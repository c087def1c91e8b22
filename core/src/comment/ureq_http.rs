//! [`Http`] over `ureq`, for the front ends: no redirects followed, a timeout on every request, and
//! transport errors reduced to their kind (their text can quote the URL).

use std::time::Duration;

use super::http::{Http, HttpRequest, HttpResponse};

/// The `ureq` transport.
#[derive(Debug, Clone)]
pub struct UreqHttp {
    agent: ureq::Agent,
}

impl Default for UreqHttp {
    fn default() -> UreqHttp {
        UreqHttp::new()
    }
}

impl UreqHttp {
    /// A transport with its own connection pool.
    pub fn new() -> UreqHttp {
        UreqHttp { agent: ureq::AgentBuilder::new().redirects(0).build() }
    }
}

/// Answers bigger than this are cut: a comment list page is far smaller.
const MAX_BODY: u64 = 16 * 1024 * 1024;

impl Http for UreqHttp {
    fn send(&self, request: &HttpRequest) -> Result<HttpResponse, String> {
        let timeout = Duration::from_secs_f64(request.timeout.clamp(0.001, 300.0));
        let mut call = self.agent.request(request.method.as_str(), &request.url).timeout(timeout);
        for (name, value) in &request.headers {
            call = call.set(name, value);
        }
        let answer = match &request.body {
            Some(body) => call.send_string(body),
            None => call.call(),
        };
        let response = match answer {
            Ok(response) | Err(ureq::Error::Status(_, response)) => response,
            Err(ureq::Error::Transport(transport)) => return Err(format!("no answer ({})", transport.kind())),
        };
        let status = response.status();
        let headers = response
            .headers_names()
            .into_iter()
            .filter_map(|n| response.header(&n).map(|v| (n.clone(), v.to_string())))
            .collect();
        let mut body = String::new();
        std::io::Read::read_to_string(&mut std::io::Read::take(response.into_reader(), MAX_BODY), &mut body)
            .map_err(|e| format!("the answer could not be read ({})", e.kind()))?;
        Ok(HttpResponse::new(status, headers, body))
    }
}

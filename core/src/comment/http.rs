//! The calls a comment makes, through a transport the front end supplies ([`Http`]; the `http`
//! feature brings one over `ureq`). Every call is held to the deadline of the whole comment, is
//! retried on network errors, 429, 5xx and GitHub's rate-limit 403 with the resilience module's
//! [`Retrier`] (a `Retry-After` or rate-limit reset is a floor under the delay, and a wait past the
//! deadline is not made), and may only go to the API's own origin: a `next` link or a URL in an
//! answer that names another host is refused, so the token is never sent anywhere else.

use crate::resilience::{Clock, Failure, Jitter, Random, Retrier, RetryStrategy, Sleep};
use crate::url::Origin;

/// An HTTP method the providers' APIs use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Method {
    /// `GET`
    Get,
    /// `POST`
    Post,
    /// `PUT`
    Put,
    /// `PATCH`
    Patch,
    /// `DELETE`
    Delete,
}

impl Method {
    /// The method's name on the wire.
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Put => "PUT",
            Method::Patch => "PATCH",
            Method::Delete => "DELETE",
        }
    }
}

/// One request. Headers hold the token: never print them.
#[derive(Clone)]
#[non_exhaustive]
pub struct HttpRequest {
    /// The method.
    pub method: Method,
    /// The absolute URL.
    pub url: String,
    /// Header names and values (the authorization among them).
    pub headers: Vec<(String, String)>,
    /// A JSON body.
    pub body: Option<String>,
    /// The most seconds the transport may take for this request, connection included.
    pub timeout: f64,
}

impl std::fmt::Debug for HttpRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // No headers: they carry the token.
        f.debug_struct("HttpRequest").field("method", &self.method).field("url", &self.url).finish_non_exhaustive()
    }
}

/// An answer, whatever its status.
#[derive(Debug, Clone, Default)]
#[non_exhaustive]
pub struct HttpResponse {
    /// The status code.
    pub status: u16,
    /// Header names (any case) and values.
    pub headers: Vec<(String, String)>,
    /// The body, as text.
    pub body: String,
}

impl HttpResponse {
    /// An answer with `status` and `body`.
    pub fn new(status: u16, headers: Vec<(String, String)>, body: String) -> HttpResponse {
        HttpResponse { status, headers, body }
    }

    /// The first header named `name`, in any case.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }
}

/// What sends requests: `ureq` in the front ends (the `http` feature), a recorder in tests. It
/// does not follow redirects (a redirect would carry the token elsewhere) and reports a failure to
/// get any answer as `Err` with a short reason that quotes no header.
pub trait Http: Send + Sync {
    /// Sends `request` and returns the answer, whatever its status.
    ///
    /// # Errors
    /// A short reason when no answer came (refused, timed out, TLS).
    fn send(&self, request: &HttpRequest) -> Result<HttpResponse, String>;
}

/// Why a call did not succeed. Its text names the call and the status, never a header or a body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct CallError {
    /// The status of the last answer, when one came.
    pub status: Option<u16>,
    /// What went wrong, for a warning.
    pub problem: String,
}

impl std::fmt::Display for CallError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.problem)
    }
}

/// The retries of a comment: a few quick ones. The deadline bounds them further.
fn strategy() -> RetryStrategy {
    RetryStrategy {
        max_attempts: 4,
        initial_delay: 1.0,
        max_delay: 20.0,
        backoff_factor: 2.0,
        jitter: Jitter::Full,
        max_total_delay: Some(40.0),
    }
}

/// The calls of one comment against one API.
pub(crate) struct Api<'a> {
    http: &'a dyn Http,
    clock: &'a dyn Clock,
    sleep: &'a mut dyn Sleep,
    origin: Option<Origin>,
    auth: Vec<(String, String)>,
    deadline: f64,
    timeout: f64,
    /// Retries made, for the outcome's notes.
    pub retries: Vec<String>,
}

impl<'a> Api<'a> {
    pub fn new(
        http: &'a dyn Http,
        clock: &'a dyn Clock,
        sleep: &'a mut dyn Sleep,
        base: &str,
        auth: Vec<(String, String)>,
        timeout: f64,
    ) -> Api<'a> {
        let deadline = clock.now() + timeout;
        Api { http, clock, sleep, origin: Origin::of(base), auth, deadline, timeout, retries: Vec::new() }
    }

    /// Whether `url` is on the API's origin.
    pub fn allows(&self, url: &str) -> bool {
        self.origin.is_some() && Origin::of(url) == self.origin
    }

    /// `GET url`, parsed as JSON.
    pub fn get(&mut self, url: &str) -> Result<(serde_json::Value, HttpResponse), CallError> {
        let response = self.call(Method::Get, url, None)?;
        let value = json(&response, url)?;
        Ok((value, response))
    }

    /// A call with a JSON body (or none), the answer parsed as JSON when it has a body.
    pub fn send(
        &mut self,
        method: Method,
        url: &str,
        body: Option<&serde_json::Value>,
    ) -> Result<serde_json::Value, CallError> {
        let response = self.call(method, url, body.map(ToString::to_string))?;
        if response.body.trim().is_empty() {
            return Ok(serde_json::Value::Null);
        }
        json(&response, url)
    }

    fn call(&mut self, method: Method, url: &str, body: Option<String>) -> Result<HttpResponse, CallError> {
        let what = format!("{} {}", method.as_str(), path_of(url));
        if !self.allows(url) {
            return Err(CallError {
                status: None,
                problem: match &self.origin {
                    Some(origin) => format!("{what}: refused, the URL is not on the API's origin {origin}"),
                    None => format!("{what}: refused, the API's base URL is not an http(s) URL"),
                },
            });
        }
        let mut headers = self.auth.clone();
        headers.push(("Accept".into(), "application/json".into()));
        headers.push(("User-Agent".into(), concat!("plangate/", env!("CARGO_PKG_VERSION")).into()));
        if body.is_some() {
            headers.push(("Content-Type".into(), "application/json".into()));
        }
        let mut retrier = Retrier::new(&strategy(), Random::from_clock());
        loop {
            let left = self.deadline - self.clock.now();
            if left <= 0.0 {
                return Err(CallError {
                    status: None,
                    problem: format!("{what}: no answer within {} s", self.timeout),
                });
            }
            let request = HttpRequest {
                method,
                url: url.to_string(),
                headers: headers.clone(),
                body: body.clone(),
                timeout: left,
            };
            let failure = match self.http.send(&request) {
                Ok(response) if (200..300).contains(&response.status) => return Ok(response),
                Ok(response) => self.classify(&what, &response),
                // A request cut short by the deadline is the deadline's failure, said as such.
                Err(_) if self.clock.now() >= self.deadline - 0.01 => {
                    let problem = format!("{what}: no answer within {} s", self.timeout);
                    return Err(CallError { status: None, problem });
                }
                Err(reason) => Failure::retryable(CallError { status: None, problem: format!("{what}: {reason}") }),
            };
            match retrier.after_failure(failure.retryable, failure.retry_after) {
                crate::resilience::Next::RetryIn(delay) if self.clock.now() + delay < self.deadline => {
                    self.retries.push(format!("{}; retried in {delay:.1} s", failure.error));
                    self.sleep.sleep(delay);
                }
                _ => return Err(failure.error),
            }
        }
    }

    /// Whether an answer is worth another attempt, and after how long.
    fn classify(&self, what: &str, response: &HttpResponse) -> Failure<CallError> {
        let status = response.status;
        let error = CallError { status: Some(status), problem: format!("{what}: HTTP {status}") };
        let retry_after = response.header("Retry-After").and_then(|v| v.trim().parse::<f64>().ok());
        // GitHub's primary rate limit answers 403 (or 429) with no requests left until a reset time.
        let reset = (response.header("x-ratelimit-remaining").map(str::trim) == Some("0"))
            .then(|| response.header("x-ratelimit-reset").and_then(|v| v.trim().parse::<f64>().ok()))
            .flatten()
            .map(|at| (at - self.clock.now()).max(0.0));
        if status == 429 || status >= 500 || (status == 403 && (reset.is_some() || retry_after.is_some())) {
            let problem = if status == 429 || status == 403 {
                format!("{} (rate limited)", error.problem)
            } else {
                error.problem
            };
            Failure::retryable(CallError { problem, ..error }).retry_after(retry_after.or(reset))
        } else {
            Failure::permanent(error)
        }
    }
}

fn json(response: &HttpResponse, url: &str) -> Result<serde_json::Value, CallError> {
    serde_json::from_str(&response.body).map_err(|e| CallError {
        status: Some(response.status),
        problem: format!("{}: the answer is not JSON ({e})", path_of(url)),
    })
}

/// A URL's path, for messages: no query (it may carry a continuation token).
fn path_of(url: &str) -> &str {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let path = rest.find('/').map_or("/", |i| &rest[i..]);
    path.split(['?', '#']).next().unwrap_or(path)
}

/// The `rel="next"` URL of a `Link` header (GitHub, GitLab).
pub(crate) fn next_link(response: &HttpResponse) -> Option<String> {
    let link = response.header("Link")?;
    link.split(',').find_map(|part| {
        let (url, params) = part.split_once(';')?;
        params
            .split(';')
            .any(|p| p.trim().replace(' ', "") == "rel=\"next\"")
            .then(|| url.trim().trim_start_matches('<').trim_end_matches('>').to_string())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_for_messages_leave_the_query_out() {
        assert_eq!(path_of("https://h/a/b?token=secret"), "/a/b");
    }

    #[test]
    fn next_links() {
        let response = HttpResponse::new(
            200,
            vec![("link".into(), r#"<https://h/x?page=1>; rel="prev", <https://h/x?page=3>; rel="next""#.into())],
            String::new(),
        );
        assert_eq!(next_link(&response).as_deref(), Some("https://h/x?page=3"));
    }
}

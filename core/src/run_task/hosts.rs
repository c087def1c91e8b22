//! The hosts a run-task server may call: the plan and callback URLs of a payload, and the
//! redirect to the archivist, must each name one. `app.terraform.io` allows
//! `https://app.terraform.io[:443]/…`; `http://host:port` allows plain HTTP to exactly that
//! endpoint (tests, or a private TFE behind TLS termination). A URL with credentials, another
//! scheme, another port or a host that is only a suffix match is refused.

use crate::url::Origin;

/// Why a configured host cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{entry:?}: {problem}")]
#[non_exhaustive]
pub struct HostError {
    /// The entry.
    pub entry: String,
    /// What is wrong.
    pub problem: String,
}

/// The configured hosts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AllowedHosts(Vec<Origin>);

impl AllowedHosts {
    /// Parses `allowed_hosts` entries.
    ///
    /// # Errors
    /// [`HostError`] for an entry that is neither a host name nor `http(s)://host[:port]`, or none.
    pub fn parse(entries: &[String]) -> Result<AllowedHosts, HostError> {
        let mut endpoints = Vec::new();
        for entry in entries {
            let invalid = |problem: &str| HostError { entry: entry.clone(), problem: problem.into() };
            let endpoint = if entry.contains("://") {
                endpoint(entry)
                    .ok_or_else(|| invalid("expected https://host[:port] or http://host:port, with no path"))?
            } else {
                endpoint(&format!("https://{entry}")).ok_or_else(|| invalid("expected a host name"))?
            };
            endpoints.push(endpoint);
        }
        if endpoints.is_empty() {
            return Err(HostError { entry: String::new(), problem: "at least one host is needed".into() });
        }
        Ok(AllowedHosts(endpoints))
    }

    /// Whether `url` may be called.
    pub fn allows(&self, url: &str) -> bool {
        Origin::of(url).is_some_and(|e| self.0.contains(&e))
    }
}

/// `scheme://host[:port]` with nothing after but an optional `/`.
fn endpoint(text: &str) -> Option<Origin> {
    let rest_start = text.find("://")? + 3;
    let authority = &text[rest_start..];
    let authority = authority.strip_suffix('/').unwrap_or(authority);
    if authority.contains(['/', '?', '#']) {
        return None;
    }
    Origin::of(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hosts(entries: &[&str]) -> AllowedHosts {
        AllowedHosts::parse(&entries.iter().map(|e| e.to_string()).collect::<Vec<_>>()).unwrap()
    }

    #[test]
    fn only_the_configured_endpoints() {
        let allowed = hosts(&["app.terraform.io", "http://127.0.0.1:8080"]);
        assert!(allowed.allows("https://app.terraform.io/api/v2/plans/plan-1/json-output"));
        assert!(allowed.allows("https://APP.terraform.io:443/api/v2/task-results/1/callback"));
        assert!(allowed.allows("http://127.0.0.1:8080/plan"));
        for refused in [
            "http://app.terraform.io/api",            // not over https
            "https://app.terraform.io.evil.test/api", // a suffix is another host
            "https://evil.test/?x=app.terraform.io",
            "https://app.terraform.io@evil.test/",     // credentials
            "https://app.terraform.io:8443/api",       // another port
            "http://127.0.0.1:8081/plan",              // another endpoint
            "https://127.0.0.1:8080/plan",             // another scheme
            "http://169.254.169.254/latest/meta-data", // the metadata service
            "file:///etc/passwd",
            "",
        ] {
            assert!(!allowed.allows(refused), "{refused}");
        }
        assert!(AllowedHosts::parse(&[]).is_err());
        assert!(AllowedHosts::parse(&["https://tfe.example.com/api".into()]).is_err());
        assert!(AllowedHosts::parse(&["ftp://x".into()]).is_err());
    }
}

//! The little of URLs the engine needs to decide where a token may go: a URL's origin (scheme,
//! host, port), compared exactly, and percent-encoding for the paths it builds. One parser for
//! every check that a URL stays where it should (the comment APIs, the run-task hosts).

/// The `http(s)://host:port` a URL names, lower-cased, the port made explicit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Origin {
    https: bool,
    host: String,
    port: u16,
}

impl Origin {
    /// The origin of an `http` or `https` URL; `None` for another scheme, no host, a host with
    /// characters no host name has, or credentials (`user@`: some clients would send them).
    pub fn of(url: &str) -> Option<Origin> {
        let (scheme, rest) = url.split_once("://")?;
        let https = match scheme.to_ascii_lowercase().as_str() {
            "https" => true,
            "http" => false,
            _ => return None,
        };
        let authority = rest.split(['/', '?', '#']).next()?;
        if authority.is_empty() || authority.contains(['@', '\\', ' ']) {
            return None;
        }
        let (host, port) = match authority.rsplit_once(':') {
            Some((host, port)) if !host.ends_with(']') || authority.starts_with('[') => (host, port.parse().ok()?),
            _ => (authority, if https { 443 } else { 80 }),
        };
        let host_characters = |c: char| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_' | '[' | ']' | ':');
        if host.is_empty() || !host.chars().all(host_characters) {
            return None;
        }
        Some(Origin { https, host: host.trim_end_matches('.').to_ascii_lowercase(), port })
    }
}

impl std::fmt::Display for Origin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}://{}:{}", if self.https { "https" } else { "http" }, self.host, self.port)
    }
}

/// A path segment percent-encoded: every byte but the unreserved ones.
pub fn segment(text: &str) -> String {
    encode(text, b"")
}

/// A relative file path for a URL: every byte but the unreserved ones and `/` percent-encoded.
pub fn path(text: &str) -> String {
    encode(text, b"/")
}

fn encode(text: &str, keep: &[u8]) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || b"-_.~".contains(&byte) || keep.contains(&byte) {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn origins_are_exact_and_encodings_keep_what_they_say() {
        let origin = |url: &str| Origin::of(url).map(|o| o.to_string());
        assert_eq!(origin("https://API.github.com/repos/a/b?x=1").as_deref(), Some("https://api.github.com:443"));
        assert_eq!(origin("http://127.0.0.1:8080").as_deref(), Some("http://127.0.0.1:8080"));
        assert_eq!(Origin::of("https://h/"), Origin::of("https://h:443/x"));
        assert_ne!(Origin::of("https://h/"), Origin::of("http://h/"));
        assert_eq!(origin("https://user:pw@evil.test/"), None);
        assert_eq!(origin("file:///etc/passwd"), None);
        assert_eq!(origin("https:///x"), None);
        assert_eq!(segment("group/my project"), "group%2Fmy%20project");
        assert_eq!(path("infra/main file.tf"), "infra/main%20file.tf");
    }
}

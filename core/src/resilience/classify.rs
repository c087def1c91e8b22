//! Deciding whether a failure is worth retrying. `retry_on` patterns are case-sensitive substrings,
//! or regular expressions with a `regex:` prefix (searched, not anchored), matched against the
//! command's output after removing ANSI colour codes and Terraform's box-drawing gutter. A failure
//! that matches no pattern is permanent: it is not retried.

use regex::Regex;
use serde::Serialize;

/// One `retry_on` or `condition` pattern.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub enum Pattern {
    /// Found when the output contains it (case-sensitive).
    Substring(String),
    /// `regex:…`: found when it matches anywhere in the output.
    Regex(Regex),
}

/// A pattern that cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct InvalidPattern {
    /// The pattern as written.
    pub pattern: String,
    /// What is wrong with it.
    pub message: String,
}

impl Pattern {
    /// Reads a pattern: `regex:EXPRESSION`, or a substring.
    ///
    /// # Errors
    /// [`InvalidPattern`] for an empty pattern or a regular expression that does not compile.
    pub fn parse(text: &str) -> Result<Pattern, InvalidPattern> {
        let invalid = |message: String| InvalidPattern { pattern: text.to_string(), message };
        match text.strip_prefix("regex:") {
            Some(expression) => Regex::new(expression)
                .map(Pattern::Regex)
                .map_err(|e| invalid(format!("invalid regular expression {expression:?}: {e}"))),
            None if text.is_empty() => Err(invalid("an empty pattern would match every output".into())),
            None => Ok(Pattern::Substring(text.to_string())),
        }
    }

    /// Whether the pattern occurs in output with ANSI colours and Terraform's gutter removed.
    pub fn matches(&self, normalized: &str) -> bool {
        match self {
            Pattern::Substring(s) => normalized.contains(s.as_str()),
            Pattern::Regex(r) => r.is_match(normalized),
        }
    }

    /// The pattern as written.
    pub fn as_str(&self) -> String {
        match self {
            Pattern::Substring(s) => s.clone(),
            Pattern::Regex(r) => format!("regex:{}", r.as_str()),
        }
    }
}

/// What kind of failure an output shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
#[non_exhaustive]
pub enum ErrorClass {
    /// Worth retrying: a `retry_on` pattern matched.
    Transient,
    /// Worth retrying, and the service asks to slow down.
    Throttling,
    /// Worth retrying: something timed out.
    Timeout,
    /// Matches no `retry_on` pattern: not retried.
    Permanent,
}

impl ErrorClass {
    /// The lowercase name.
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorClass::Transient => "transient",
            ErrorClass::Throttling => "throttling",
            ErrorClass::Timeout => "timeout",
            ErrorClass::Permanent => "permanent",
        }
    }
}

/// The output with ANSI escape sequences removed and Terraform's `│`, `╷`, `╵` gutter (and the
/// space after it) taken off the start of each line.
pub fn normalize(output: &str) -> String {
    let mut plain = String::with_capacity(output.len());
    let mut chars = output.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '\u{1b}' {
            plain.push(c);
            continue;
        }
        match chars.peek() {
            // CSI: ESC [ parameters, then one final byte in @..~.
            Some('[') => {
                chars.next();
                for c in chars.by_ref() {
                    if ('@'..='~').contains(&c) {
                        break;
                    }
                }
            }
            // OSC: ESC ] ... ended by BEL or ESC \.
            Some(']') => {
                chars.next();
                while let Some(c) = chars.next() {
                    if c == '\u{7}' || (c == '\u{1b}' && chars.next_if_eq(&'\\').is_some()) {
                        break;
                    }
                }
            }
            _ => {
                chars.next();
            }
        }
    }
    plain
        .lines()
        .map(|line| {
            let rest = line.trim_start_matches(['│', '╷', '╵']);
            if rest.len() < line.len() {
                rest.strip_prefix(' ').unwrap_or(rest)
            } else {
                line
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The `retry_on` patterns of a step.
#[derive(Debug, Clone, Default)]
pub struct Classifier {
    patterns: Vec<Pattern>,
}

/// A classified failure.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[non_exhaustive]
pub struct Classification {
    /// What kind of failure it is.
    pub class: ErrorClass,
    /// The `retry_on` pattern that matched, if one did.
    pub matched: Option<String>,
    /// Whether it is worth retrying: any class but [`ErrorClass::Permanent`].
    pub retryable: bool,
}

impl Classifier {
    /// A classifier over `retry_on` patterns.
    pub fn new(patterns: Vec<Pattern>) -> Classifier {
        Classifier { patterns }
    }

    /// Classifies a failed attempt's output: permanent unless a `retry_on` pattern matches; then
    /// throttling, timeout or transient by what the output says.
    pub fn classify(&self, output: &str) -> Classification {
        let normalized = normalize(output);
        let Some(pattern) = self.patterns.iter().find(|p| p.matches(&normalized)) else {
            return Classification { class: ErrorClass::Permanent, matched: None, retryable: false };
        };
        let lower = normalized.to_ascii_lowercase();
        let class = if ["rate limit", "throttl", "too many requests", "429", "slow down", "requestlimitexceeded"]
            .iter()
            .any(|w| lower.contains(w))
        {
            ErrorClass::Throttling
        } else if ["timeout", "timed out", "deadline exceeded"].iter().any(|w| lower.contains(w)) {
            ErrorClass::Timeout
        } else {
            ErrorClass::Transient
        };
        Classification { class, matched: Some(pattern.as_str()), retryable: true }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn classifier(patterns: &[&str]) -> Classifier {
        Classifier::new(patterns.iter().map(|p| Pattern::parse(p).unwrap()).collect())
    }

    #[test]
    fn terraform_gutter_and_colours_are_removed() {
        let output =
            "\u{1b}[31m╷\u{1b}[0m\n\u{1b}[31m│\u{1b}[0m \u{1b}[1m\u{1b}[31mError: \u{1b}[0mtimeout while waiting\n╵";
        assert_eq!(normalize(output), "\nError: timeout while waiting\n");
        assert_eq!(normalize("\u{1b}]0;title\u{7}plain"), "plain");
    }

    #[test]
    fn substrings_are_case_sensitive_and_regexes_search() {
        let c = classifier(&["Error: timeout", "regex:rate limit (exceeded|reached)"]);
        assert_eq!(c.classify("│ Error: timeout while waiting for state").class, ErrorClass::Timeout);
        assert_eq!(c.classify("error: timeout").class, ErrorClass::Permanent, "case-sensitive");
        let throttled = c.classify("api said: rate limit exceeded, retry later");
        assert_eq!(
            (throttled.class, throttled.matched.as_deref()),
            (ErrorClass::Throttling, Some("regex:rate limit (exceeded|reached)"))
        );
        assert_eq!(c.classify("Error: invalid value for variable").class, ErrorClass::Permanent);
        assert_eq!(
            classifier(&["Error: connection refused"]).classify("Error: connection refused").class,
            ErrorClass::Transient
        );
        assert!(Pattern::parse("regex:(").is_err() && Pattern::parse("").is_err());
    }
}

//! Findings in the native report formats of other CI systems, for plan and scan reports alike:
//! GitLab Code Quality JSON, Azure Pipelines logging commands and JUnit XML. Each renderer takes
//! neutral [`Issue`]s, so a plan, a scan and a run of several write the same way. Plan and report
//! text is untrusted: each format escapes it as its reader parses it.

use std::fmt::Write;

use serde_json::json;

use crate::text::{azure_data as data, azure_property as property, xml};

/// How loudly a CI shows an issue.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Level {
    /// Fails the gate: an error annotation, a failed test, a Code Quality `blocker`.
    Blocker,
    /// An error annotation, a failed test, `critical`.
    Critical,
    /// A warning, a failed test, `major`.
    Major,
    /// A failed test, `minor`; no annotation.
    Minor,
    /// Shown in the test results only, `info`.
    Info,
}

impl Level {
    fn code_quality(self) -> &'static str {
        match self {
            Level::Blocker => "blocker",
            Level::Critical => "critical",
            Level::Major => "major",
            Level::Minor => "minor",
            Level::Info => "info",
        }
    }
}

/// One thing a CI shows: what, how bad, and where.
#[derive(Debug, Clone)]
pub(crate) struct Issue {
    /// The rule or check id.
    pub rule: String,
    /// What it is about: a resource address, a package.
    pub subject: String,
    pub message: String,
    pub level: Level,
    /// A file relative to the repository, and a line in it when known.
    pub path: String,
    pub line: Option<usize>,
    pub fingerprint: String,
    /// Why it does not count (a waiver or a suppression), if it does not.
    pub accepted: Option<String>,
}

impl Issue {
    /// `RULE: message`, or `RULE SUBJECT: message` when the message does not name its subject.
    fn text(&self) -> String {
        if self.message.contains(&self.subject) {
            format!("{}: {}", self.rule, self.message)
        } else {
            format!("{} {}: {}", self.rule, self.subject, self.message)
        }
    }
}

/// GitLab Code Quality: a JSON array of CodeClimate issues. Accepted issues are left out: the
/// widget compares branches, and an accepted risk is not a new problem.
pub(crate) fn code_quality(issues: &[Issue]) -> String {
    let entries: Vec<serde_json::Value> = issues
        .iter()
        .filter(|issue| issue.accepted.is_none())
        .map(|issue| {
            json!({
                "type": "issue",
                "description": issue.text(),
                "check_name": issue.rule,
                "fingerprint": issue.fingerprint,
                "severity": issue.level.code_quality(),
                "location": {"path": repository_path(&issue.path), "lines": {"begin": issue.line.unwrap_or(1)}},
            })
        })
        .collect();
    serde_json::to_string_pretty(&entries).unwrap_or_default() + "\n"
}

/// Azure Pipelines: a `##vso[task.logissue]` command per blocking or major issue, on its file and
/// line, then `summary` as a plain line.
pub(crate) fn azure_devops(issues: &[Issue], summary: &str) -> String {
    let mut out = String::new();
    for issue in issues.iter().filter(|issue| issue.accepted.is_none()) {
        let kind = match issue.level {
            Level::Blocker | Level::Critical => "error",
            Level::Major => "warning",
            Level::Minor | Level::Info => continue,
        };
        let _ = write!(out, "##vso[task.logissue type={kind};sourcepath={}", property(&issue.path));
        if let Some(line) = issue.line {
            let _ = write!(out, ";linenumber={line}");
        }
        let _ = writeln!(out, ";code={}]{}", property(&issue.rule), data(&issue.text()));
    }
    let _ = writeln!(out, "{}", data(summary));
    out
}

/// One JUnit test suite: a test case per issue (failed unless it is `Info` or accepted, which is
/// skipped with the reason), or one passing case when there is none.
pub(crate) struct Suite<'a> {
    pub name: &'a str,
    pub issues: Vec<Issue>,
    /// An input that could not be read: the suite's one error.
    pub error: Option<String>,
}

/// JUnit XML of the suites.
pub(crate) fn junit(suites: &[Suite]) -> String {
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"plangate\">\n");
    for suite in suites {
        let failures = suite.issues.iter().filter(|i| i.accepted.is_none() && i.level != Level::Info).count();
        let skipped = suite.issues.iter().filter(|i| i.accepted.is_some()).count();
        let tests = suite.issues.len().max(1);
        let _ = writeln!(
            out,
            "  <testsuite name=\"{}\" tests=\"{tests}\" failures=\"{failures}\" errors=\"{}\" skipped=\"{skipped}\">",
            xml(suite.name),
            usize::from(suite.error.is_some())
        );
        if let Some(error) = &suite.error {
            let _ = writeln!(
                out,
                "    <testcase classname=\"plangate\" name=\"read {}\">\n      <error message=\"{}\"/>\n    </testcase>",
                xml(suite.name),
                xml(error)
            );
        } else if suite.issues.is_empty() {
            let _ = writeln!(out, "    <testcase classname=\"plangate\" name=\"{}\"/>", xml(suite.name));
        }
        for issue in &suite.issues {
            let place = match issue.line {
                Some(line) => format!("{}:{line}", issue.path),
                None => issue.path.clone(),
            };
            let _ = write!(
                out,
                "    <testcase classname=\"{}\" name=\"{}\" file=\"{}\"",
                xml(&issue.rule),
                xml(&issue.subject),
                xml(&issue.path)
            );
            match (&issue.accepted, issue.level) {
                (Some(reason), _) => {
                    let _ = writeln!(out, ">\n      <skipped message=\"{}\"/>\n    </testcase>", xml(reason));
                }
                (None, Level::Info) => {
                    let _ = writeln!(out, ">\n      <system-out>{}</system-out>\n    </testcase>", xml(&issue.message));
                }
                (None, level) => {
                    let _ = writeln!(
                        out,
                        ">\n      <failure type=\"{}\" message=\"{}\">{} ({place})</failure>\n    </testcase>",
                        level.code_quality(),
                        xml(&issue.message),
                        xml(&issue.message)
                    );
                }
            }
        }
        out.push_str("  </testsuite>\n");
    }
    out.push_str("</testsuites>\n");
    out
}

/// A path as GitLab links it: relative to the repository, which the job runs in. An absolute path
/// (a plan named by its full path) is made relative to the working directory when inside it, else
/// only its file name is kept: GitLab cannot link outside the repository either way.
fn repository_path(path: &str) -> String {
    let trimmed = path.trim_start_matches("./");
    let as_path = std::path::Path::new(trimmed);
    if !as_path.is_absolute() {
        return trimmed.to_string();
    }
    let inside = std::env::current_dir().ok().and_then(|cwd| as_path.strip_prefix(cwd).ok().map(|p| p.to_path_buf()));
    let relative = inside.or_else(|| as_path.file_name().map(std::path::PathBuf::from)).unwrap_or_default();
    relative.to_string_lossy().into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn issue(message: &str) -> Issue {
        Issue {
            rule: "PG-X;]".into(),
            subject: "aws_s3_bucket.a".into(),
            message: message.into(),
            level: Level::Blocker,
            path: "infra/main.tf".into(),
            line: Some(3),
            fingerprint: "f".into(),
            accepted: None,
        }
    }

    #[test]
    fn plan_text_cannot_break_out_of_any_format() {
        let hostile = "100%\n##vso[task.setvariable variable=x]1\r</failure><x>&\u{1}\"";
        let ado = azure_devops(&[issue(hostile)], "done");
        assert_eq!(ado.lines().count(), 2, "one command and the summary:\n{ado}");
        assert!(
            ado.starts_with("##vso[task.logissue type=error;sourcepath=infra/main.tf;linenumber=3;code=PG-X%3B%5D]")
        );
        assert!(ado.contains("100%AZP25%0A##vso") && !ado.contains('\u{1}'), "{ado}");
        let reordered = azure_devops(&[issue("deny \u{202E}gnp.exe")], "done");
        assert!(!reordered.contains('\u{202E}') && reordered.contains("U+202E"), "{reordered}");
        let xml = junit(&[Suite { name: "p", issues: vec![issue(hostile)], error: None }]);
        assert!(!xml.contains("<x>") && !xml.contains('\u{1}') && xml.contains("&lt;/failure&gt;"), "{xml}");
        let quality: serde_json::Value = serde_json::from_str(&code_quality(&[issue(hostile)])).unwrap();
        assert_eq!(quality[0]["location"]["lines"]["begin"], 3);
        assert_eq!(quality[0]["severity"], "blocker");
    }
}

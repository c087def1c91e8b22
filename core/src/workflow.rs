//! GitHub Actions workflow commands (`::error file=…,line=…,title=…::message`): annotations held to
//! what GitHub shows in one step (10 errors and 10 warnings), the rest summed up in one notice.
//! Every value is escaped here, once, for every front end: `%`, CR and LF as the runner decodes
//! them, `:` and `,` in properties, terminal escapes and bidirectional overrides made harmless.

use std::fmt::Write;

use crate::text::{workflow_data as data, workflow_property as property};

/// Annotations GitHub shows per kind and step.
pub const MAX_PER_KIND: usize = 10;

/// Annotations to write, by kind, in the order they were added.
#[derive(Debug, Default)]
pub struct Annotations {
    errors: Vec<String>,
    warnings: Vec<String>,
}

impl Annotations {
    /// An error (`warning: false`) or warning annotation on `file` (and its `lines`, first and
    /// last), or on no file.
    pub fn push(
        &mut self,
        warning: bool,
        file: Option<&str>,
        lines: Option<(usize, Option<usize>)>,
        title: &str,
        message: &str,
    ) {
        let mut place = String::new();
        if let Some(file) = file {
            let _ = write!(place, "file={},", property(file));
        }
        match lines {
            Some((start, Some(end))) => {
                let _ = write!(place, "line={start},endLine={end},");
            }
            Some((start, None)) => {
                let _ = write!(place, "line={start},");
            }
            None => {}
        }
        let (command, list) = if warning { ("warning", &mut self.warnings) } else { ("error", &mut self.errors) };
        list.push(format!("::{command} {place}title={}::{}", property(title), data(message)));
    }

    /// At most [`MAX_PER_KIND`] of each kind, errors first, then one notice titled `title` saying
    /// what `summary` says given how many annotations were left out.
    pub fn write(self, notice_file: Option<&str>, title: &str, summary: impl FnOnce(usize) -> String) -> String {
        let mut out = String::new();
        let mut hidden = 0;
        for list in [self.errors, self.warnings] {
            hidden += list.len().saturating_sub(MAX_PER_KIND);
            for line in list.into_iter().take(MAX_PER_KIND) {
                out.push_str(&line);
                out.push('\n');
            }
        }
        let file = notice_file.map(|f| format!("file={},", property(f))).unwrap_or_default();
        let _ = writeln!(out, "::notice {file}title={}::{}", property(title), data(&summary(hidden)));
        out
    }
}

/// "; 3 more annotations not shown: see the full report", or nothing.
pub fn hidden_note(hidden: usize) -> String {
    match hidden {
        0 => String::new(),
        1 => "; 1 more annotation not shown: see the full report".into(),
        n => format!("; {n} more annotations not shown: see the full report"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limits_and_escaping() {
        let mut annotations = Annotations::default();
        for i in 0..12 {
            annotations.push(false, Some("main.tf"), Some((i, Some(i + 1))), "PG-X a,b", "bad\u{202e}\u{1b}[31m\n::x");
        }
        annotations.push(true, None, None, "w", "m%");
        let out = annotations.write(Some("plan.json"), "plangate summary", |hidden| format!("{hidden} hidden"));
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(lines.len(), 12, "10 errors, 1 warning, the notice");
        assert_eq!(
            lines[0],
            "::error file=main.tf,line=0,endLine=1,title=PG-X a%2Cb::bad\u{2039}U+202E\u{203a} [31m%0A::x"
        );
        assert_eq!(lines[10], "::warning title=w::m%25");
        assert_eq!(lines[11], "::notice file=plan.json,title=plangate summary::2 hidden");
    }
}

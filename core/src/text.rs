//! Escaping untrusted text for each place it is written: one plain line for text reports and logs,
//! Markdown for pull-request comments, and GitHub workflow commands. Plan and report text (resource
//! addresses, tags, rule ids, messages) comes from whoever opened the pull request, so every
//! renderer sends it through one of these.

/// The most bytes a pull-request comment plangate writes may have (GitHub allows 65,536 characters;
/// counting bytes keeps any text under that).
pub const MARKDOWN_MAX_BYTES: usize = 60_000;

/// One plain line: control characters (newlines, terminal escapes) become spaces, and bidirectional
/// overrides become visible (see [`is_bidi_control`]).
pub fn one_line(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            c if c.is_control() => out.push(' '),
            c if is_bidi_control(c) => push_visible(&mut out, c),
            c => out.push(c),
        }
    }
    out
}

/// At most `max` characters of `text` on one line, with `…` where it was cut: for quoting untrusted
/// input in an error message.
pub fn excerpt(text: &str, max: usize) -> String {
    match text.char_indices().nth(max) {
        Some((cut, _)) => format!("{}…", one_line(&text[..cut])),
        None => one_line(text),
    }
}

/// A message for a terminal or a CI log, which may span lines: in each line control characters
/// become spaces and bidirectional overrides become visible, and a line that would start a GitHub
/// workflow command (`::`, after leading blanks, as the runner reads it) is prefixed with `| `, so
/// text quoted in an error message cannot issue commands.
pub fn log_lines(text: &str) -> String {
    text.split('\n')
        .map(|line| {
            let line = one_line(line);
            if line.trim_start().starts_with("::") {
                format!("| {line}")
            } else {
                line
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Markdown and HTML on one line: no markup, no HTML, no @-mentions, no autolinks (`scheme:` and
/// `www.` names would become links in a pull-request comment) and no bidirectional overrides.
pub fn markdown(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '@' => out.push_str("&#64;"),
            // An escaped `:` or `.` renders as itself but starts no autolink: GitHub's autolinker
            // looks for `://`, `scheme:` and `www.` in the unescaped source.
            '.' if ends_with_www(&out) => out.push_str("\\."),
            '\\' | '`' | '*' | '_' | '[' | ']' | '(' | ')' | '#' | '!' | '|' | '~' | '{' | '}' | ':' => {
                out.push('\\');
                out.push(c);
            }
            c if c.is_control() => out.push(' '),
            c if is_bidi_control(c) => push_visible(&mut out, c),
            c => out.push(c),
        }
    }
    out
}

fn ends_with_www(text: &str) -> bool {
    let bytes = text.as_bytes();
    bytes.len() >= 3 && bytes[bytes.len() - 3..].eq_ignore_ascii_case(b"www")
}

/// Untrusted text as a Markdown code span, on one line, its backticks fenced by a longer run and
/// bidirectional controls made visible. Text with `<`, `>`, `&` or `@` goes in a `<code>` element
/// with the escaping of [`markdown`] instead: a code span would show it as it is, but it would stand
/// in the comment's source as raw HTML, a marker or a mention, for any reader less careful than a
/// Markdown renderer.
pub fn markdown_code(text: &str) -> String {
    if text.contains(['<', '>', '&', '@']) {
        return format!("<code>{}</code>", markdown(text));
    }
    let mut inner = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            c if c.is_control() => inner.push(' '),
            c if is_bidi_control(c) => push_visible(&mut inner, c),
            c => inner.push(c),
        }
    }
    let longest = inner.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let fence = "`".repeat(longest + 1);
    // A code span's content that starts or ends with a backtick (or is blank) needs a space inside.
    let pad = if inner.starts_with('`') || inner.ends_with('`') || inner.trim().is_empty() { " " } else { "" };
    format!("{fence}{pad}{inner}{pad}{fence}")
}

/// A string as a YAML double-quoted scalar (JSON's escapes, which YAML reads the same), with
/// bidirectional controls escaped too, so the text pasted is the text matched; and `<`, `>`, `&`
/// and `@` as `\uXXXX`, so no raw HTML, marker or mention stands in the Markdown around it.
pub fn yaml_string(text: &str) -> String {
    let quoted = serde_json::to_string(text).unwrap_or_else(|_| "\"\"".to_string());
    let mut out = String::with_capacity(quoted.len());
    for c in quoted.chars() {
        if is_bidi_control(c) || matches!(c, '<' | '>' | '&' | '@') {
            out.push_str(&format!("\\u{:04X}", u32::from(c)));
        } else {
            out.push(c);
        }
    }
    out
}

/// Characters that reorder the text around them (embeddings, overrides, isolates and marks), so a
/// reviewer would read something other than what is there (the "Trojan Source" trick).
fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// A bidirectional control written out by its code point, so it is seen instead of obeyed.
fn push_visible(out: &mut String, c: char) {
    out.push_str(&format!("\u{2039}U+{:04X}\u{203A}", u32::from(c)));
}

/// The message of a workflow command: `%`, CR and LF would end or corrupt the command (they are
/// encoded as the runner decodes them); other control characters (terminal escapes the log viewer
/// would obey) become spaces, bidirectional overrides become visible.
pub fn workflow_data(text: &str) -> String {
    command_data(text, "%25")
}

/// A property value of a workflow command (`file=`, `title=`), which additionally may not hold `:`
/// or `,`.
pub fn workflow_property(text: &str) -> String {
    workflow_data(text).replace(':', "%3A").replace(',', "%2C")
}

/// The message of an Azure Pipelines logging command (`##vso[…]message`): as a workflow command's,
/// but the agent decodes `%` from `%AZP25`.
pub fn azure_data(text: &str) -> String {
    command_data(text, "%AZP25")
}

/// A property value of an Azure Pipelines logging command, which may not hold `;` or `]` (they end
/// the property or the command).
pub fn azure_property(text: &str) -> String {
    azure_data(text).replace(';', "%3B").replace(']', "%5D")
}

/// A CI command's message with `%` written as `percent`, CR and LF encoded, other control
/// characters as spaces and bidirectional overrides visible.
fn command_data(text: &str, percent: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '%' => out.push_str(percent),
            '\r' => out.push_str("%0D"),
            '\n' => out.push_str("%0A"),
            c if c.is_control() => out.push(' '),
            c if is_bidi_control(c) => push_visible(&mut out, c),
            c => out.push(c),
        }
    }
    out
}

/// Text for XML attributes and content: the five entities, tab, LF and CR as references (so an
/// attribute keeps them), and no character XML 1.0 forbids (other control characters, U+FFFE and
/// U+FFFF become spaces); bidirectional overrides visible.
pub fn xml(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push_str(&format!("&#{};", u32::from(c))),
            c if c.is_control() || matches!(c, '\u{FFFE}' | '\u{FFFF}') => out.push(' '),
            c if is_bidi_control(c) => push_visible(&mut out, c),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_code_and_yaml_strings_keep_the_text_and_hide_the_markup() {
        assert_eq!(markdown_code("aws_s3_bucket.a"), "`aws_s3_bucket.a`");
        assert_eq!(markdown_code("a`b"), "``a`b``");
        assert_eq!(markdown_code("`a"), "`` `a ``");
        assert_eq!(markdown_code("x<!-- y -->@z"), "<code>x&lt;\\!-- y --&gt;&#64;z</code>");
        let hostile = "aws_s3_bucket.a[\"<!-- plangate:sticky -->\u{202E}@admins\"]";
        let quoted = yaml_string(hostile);
        assert!(!quoted.contains(['<', '>', '@', '\u{202E}']), "{quoted}");
        let back: String = serde_yaml_ng::from_str(&quoted).unwrap();
        assert_eq!(back, hostile, "what is pasted is what a waiver matches");
    }

    #[test]
    fn untrusted_text_cannot_inject_markup() {
        assert_eq!(markdown("<img src=x>"), "&lt;img src=x&gt;");
        assert_eq!(markdown("a[\"x\"]|@team\n**b**"), "a\\[\"x\"\\]\\|&#64;team \\*\\*b\\*\\*");
        assert_eq!(markdown("[link](http://evil)"), "\\[link\\]\\(http\\://evil\\)");
    }

    #[test]
    fn bare_urls_and_www_names_do_not_become_links() {
        assert_eq!(markdown("see https://evil.example/x"), "see https\\://evil.example/x");
        assert_eq!(markdown("WWW.evil.example"), "WWW\\.evil.example");
        assert_eq!(markdown("mailto:a"), "mailto\\:a");
    }

    #[test]
    fn bidi_overrides_are_shown_not_obeyed() {
        assert_eq!(one_line("a\u{202E}b"), "a\u{2039}U+202E\u{203A}b");
        assert_eq!(markdown("x\u{2067}y"), "x\u{2039}U+2067\u{203A}y");
    }

    #[test]
    fn excerpts_are_short_and_plain() {
        assert_eq!(excerpt("ab\ncd", 10), "ab cd");
        assert_eq!(excerpt("αβγδ", 2), "αβ…");
    }

    #[test]
    fn log_lines_cannot_start_workflow_commands() {
        assert_eq!(
            log_lines("error in a\n  ::add-mask::x\n::error::y\u{1b}"),
            "error in a\n|   ::add-mask::x\n| ::error::y "
        );
    }

    #[test]
    fn workflow_commands_cannot_be_injected() {
        assert_eq!(workflow_data("a\n::error::x%"), "a%0A::error::x%25");
        assert_eq!(workflow_data("a\u{1b}[2Jb"), "a [2Jb");
        assert_eq!(workflow_property("a,b:c"), "a%2Cb%3Ac");
        assert_eq!(one_line("a\nb\u{1b}[31m"), "a b [31m");
    }
}

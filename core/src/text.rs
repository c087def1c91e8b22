//! Escaping untrusted text for each place it is written: one plain line for text reports and logs,
//! Markdown for pull-request comments, and GitHub workflow commands. Plan and report text (resource
//! addresses, tags, rule ids, messages) comes from whoever opened the pull request, so every
//! renderer sends it through one of these.

/// The most characters a pull-request comment plangate writes may have (GitHub allows 65,536).
pub const MARKDOWN_MAX_CHARS: usize = 60_000;

/// One plain line: control characters (newlines, terminal escapes) become spaces.
pub fn one_line(text: &str) -> String {
    text.chars().map(|c| if c.is_control() { ' ' } else { c }).collect()
}

/// Markdown and HTML on one line: no markup, no HTML, no @-mentions.
pub fn markdown(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '@' => out.push_str("&#64;"),
            '\\' | '`' | '*' | '_' | '[' | ']' | '(' | ')' | '#' | '!' | '|' | '~' | '{' | '}' => {
                out.push('\\');
                out.push(c);
            }
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// The message of a workflow command: `%`, CR and LF would end or corrupt the command.
pub fn workflow_data(text: &str) -> String {
    text.replace('%', "%25").replace('\r', "%0D").replace('\n', "%0A")
}

/// A property value of a workflow command (`file=`, `title=`), which additionally may not hold `:`
/// or `,`.
pub fn workflow_property(text: &str) -> String {
    workflow_data(text).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn untrusted_text_cannot_inject_markup() {
        assert_eq!(markdown("<img src=x>"), "&lt;img src=x&gt;");
        assert_eq!(markdown("a[\"x\"]|@team\n**b**"), "a\\[\"x\"\\]\\|&#64;team \\*\\*b\\*\\*");
        assert_eq!(markdown("[link](http://evil)"), "\\[link\\]\\(http://evil\\)");
    }

    #[test]
    fn workflow_commands_cannot_be_injected() {
        assert_eq!(workflow_data("a\n::error::x%"), "a%0A::error::x%25");
        assert_eq!(workflow_property("a,b:c"), "a%2Cb%3Ac");
        assert_eq!(one_line("a\nb\u{1b}[31m"), "a b [31m");
    }
}

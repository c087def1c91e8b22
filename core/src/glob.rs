//! Glob patterns for resource types and addresses: `*` matches any run of characters and `?` one
//! character. Nothing else is special, so `[` and `]` in addresses like `aws_s3_bucket.b["x"]`
//! match themselves.

use serde::{Deserialize, Deserializer, Serialize};

/// A glob pattern over resource types or addresses.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Glob(String);

impl Glob {
    /// The pattern as written.
    pub fn new(pattern: impl Into<String>) -> Glob {
        Glob(pattern.into())
    }

    /// The pattern as written.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Whether the whole of `text` matches.
    pub fn matches(&self, text: &str) -> bool {
        if self.0.is_ascii() && text.is_ascii() {
            return matches(self.0.as_bytes(), text.as_bytes());
        }
        // `?` is one character, so non-ASCII text is matched by characters.
        let pattern: Vec<char> = self.0.chars().collect();
        let text: Vec<char> = text.chars().collect();
        matches(&pattern, &text)
    }
}

/// Glob matching over any alphabet: iterative, with one backtrack point, so it is linear in
/// practice and never exponential.
fn matches<T: Copy + PartialEq + From<u8>>(pattern: &[T], text: &[T]) -> bool {
    let (star, question) = (T::from(b'*'), T::from(b'?'));
    let (mut p, mut t) = (0, 0);
    let mut backtrack: Option<(usize, usize)> = None;
    while t < text.len() {
        match pattern.get(p) {
            Some(&c) if c == star => {
                backtrack = Some((p, t));
                p += 1;
            }
            Some(&c) if c == question || c == text[t] => {
                p += 1;
                t += 1;
            }
            _ => match backtrack {
                Some((star_p, star_t)) => {
                    p = star_p + 1;
                    t = star_t + 1;
                    backtrack = Some((star_p, star_t + 1));
                }
                None => return false,
            },
        }
    }
    pattern[p..].iter().all(|&c| c == star)
}

impl<'de> Deserialize<'de> for Glob {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        String::deserialize(d).map(Glob)
    }
}

impl Serialize for Glob {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::Glob;

    #[test]
    fn stars_questions_and_literal_brackets() {
        assert!(Glob::new("aws_iam_*").matches("aws_iam_role"));
        assert!(!Glob::new("aws_iam_*").matches("aws_s3_bucket"));
        assert!(Glob::new("*").matches(""));
        assert!(Glob::new("aws_?pc").matches("aws_vpc"));
        assert!(
            Glob::new("module.*.aws_s3_bucket.this[\"logs\"]").matches("module.storage.aws_s3_bucket.this[\"logs\"]")
        );
        assert!(!Glob::new("aws_s3_bucket.this[1]").matches("aws_s3_bucket.this1"));
        assert!(Glob::new("*a*b*c").matches("xxaxxbxxbxc"));
        assert!(!Glob::new("a*b").matches("aXbY"));
        assert!(Glob::new("aws_vpc").matches("aws_vpc") && !Glob::new("aws_vpc").matches("aws_vpc_x"));
        assert!(
            Glob::new("this[\"é?\"]").matches("this[\"éa\"]") && Glob::new("a?c").matches("aéc"),
            "? is one character"
        );
    }
}

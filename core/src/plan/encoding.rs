//! Turns the bytes of a JSON plan into UTF-8 text: strips a UTF-8 byte-order mark and decodes UTF-16
//! with a BOM (what Windows PowerShell's `>` writes). UTF-8, the common case, is never copied.

use std::borrow::Cow;

use super::PlanError;

/// The leading bytes of a zip archive, which is what `terraform plan -out` writes.
pub(crate) const ZIP_MAGIC: &[u8] = b"PK\x03\x04";

pub(crate) fn is_binary_plan(bytes: &[u8]) -> bool {
    bytes.starts_with(ZIP_MAGIC)
}

/// Judges the first bytes of an input (all of it, or its first kilobytes) before the rest is read:
/// `Err` at the first byte that cannot start a plan, so an endless or huge input of something else
/// (`/dev/zero`, a sparse file, an image) is refused at once. What can start a plan: a binary plan
/// (zip), a byte-order mark, UTF-16 text, or blanks and then a JSON value (whose shape is judged
/// later, with better messages).
pub(crate) fn check_start(head: &[u8]) -> Result<(), PlanError> {
    let text = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head);
    if is_binary_plan(text)
        || text.starts_with(b"\xFF\xFE")
        || text.starts_with(b"\xFE\xFF")
        || looks_like_utf16_without_bom(text)
    {
        return Ok(());
    }
    match text.iter().position(|b| !b.is_ascii_whitespace()) {
        Some(i) if !matches!(text[i], b'{' | b'[' | b'"' | b'-' | b'0'..=b'9' | b't' | b'f' | b'n') => {
            let offset = head.len() - text.len() + i;
            Err(super::reader::not_json_at(head, offset))
        }
        _ => Ok(()),
    }
}

/// Decodes `bytes` to UTF-8 JSON text.
pub fn decode(bytes: &[u8]) -> Result<Cow<'_, [u8]>, PlanError> {
    let text: Cow<'_, [u8]> = if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        Cow::Borrowed(rest)
    } else if let Some(rest) = bytes.strip_prefix(b"\xFF\xFE") {
        Cow::Owned(utf16_to_utf8(rest, u16::from_le_bytes)?)
    } else if let Some(rest) = bytes.strip_prefix(b"\xFE\xFF") {
        Cow::Owned(utf16_to_utf8(rest, u16::from_be_bytes)?)
    } else if looks_like_utf16_without_bom(bytes) {
        return Err(PlanError::Encoding {
            found: "UTF-16 text without a byte-order mark; save it as UTF-8 (or UTF-16 with a BOM)".into(),
        });
    } else if is_binary_plan(bytes) {
        return Err(PlanError::Encoding {
            found: "a binary plan file (zip archive) where JSON text was expected".into(),
        });
    } else {
        Cow::Borrowed(bytes)
    };
    if text.iter().all(u8::is_ascii_whitespace) {
        return Err(PlanError::Empty);
    }
    Ok(text)
}

fn utf16_to_utf8(bytes: &[u8], unit: fn([u8; 2]) -> u16) -> Result<Vec<u8>, PlanError> {
    if !bytes.len().is_multiple_of(2) {
        return Err(PlanError::Encoding {
            found: format!("UTF-16 text with an odd number of bytes ({}): the file is cut short", bytes.len() + 2),
        });
    }
    let units = bytes.chunks_exact(2).map(|pair| unit([pair[0], pair[1]]));
    let mut out = String::with_capacity(bytes.len() / 2);
    for (index, decoded) in char::decode_utf16(units).enumerate() {
        match decoded {
            Ok(c) => out.push(c),
            Err(e) => {
                return Err(PlanError::Encoding {
                    found: format!(
                        "invalid UTF-16 at byte {}: unpaired surrogate {:#06x}",
                        2 + index * 2,
                        e.unpaired_surrogate()
                    ),
                })
            }
        }
    }
    Ok(out.into_bytes())
}

/// JSON starts with ASCII, so UTF-16 without a BOM shows a NUL in one of its first two bytes.
fn looks_like_utf16_without_bom(bytes: &[u8]) -> bool {
    bytes.len() >= 2 && (bytes[0] == 0) != (bytes[1] == 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf8_with_and_without_bom() {
        assert_eq!(&*decode(b"{}").unwrap(), b"{}");
        assert_eq!(&*decode(b"\xEF\xBB\xBF{}").unwrap(), b"{}");
    }

    #[test]
    fn utf16_both_byte_orders() {
        let le: Vec<u8> =
            [0xFF, 0xFE].into_iter().chain("{\"é\":1}".encode_utf16().flat_map(u16::to_le_bytes)).collect();
        let be: Vec<u8> =
            [0xFE, 0xFF].into_iter().chain("{\"é\":1}".encode_utf16().flat_map(u16::to_be_bytes)).collect();
        assert_eq!(&*decode(&le).unwrap(), "{\"é\":1}".as_bytes());
        assert_eq!(&*decode(&be).unwrap(), "{\"é\":1}".as_bytes());
    }

    #[test]
    fn broken_and_empty_inputs_are_errors() {
        assert!(matches!(decode(b""), Err(PlanError::Empty)));
        assert!(matches!(decode(b" \n\t"), Err(PlanError::Empty)));
        assert!(matches!(decode(b"\xFF\xFE{\x00}"), Err(PlanError::Encoding { .. })));
        assert!(matches!(decode(b"{\x00}\x00"), Err(PlanError::Encoding { .. })));
        assert!(matches!(decode(b"\xFF\xFE\x00\xD8"), Err(PlanError::Encoding { .. })));
    }
}

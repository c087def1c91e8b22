//! `X-TFC-Task-Signature`: HMAC-SHA512 of the raw request body with the task's key, in lowercase
//! hexadecimal. Compared in constant time, before the body is parsed or logged.

use hmac::{Hmac, Mac};
use sha2::Sha512;

/// The header that carries the signature.
pub const SIGNATURE_HEADER: &str = "X-TFC-Task-Signature";

/// Why a request is not the task's.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SignatureError {
    /// No signature header.
    #[error("the request has no X-TFC-Task-Signature")]
    Missing,
    /// A signature that is not 128 hexadecimal digits.
    #[error("the X-TFC-Task-Signature is not an HMAC-SHA512 in hexadecimal")]
    Malformed,
    /// A signature the key did not make.
    #[error("the X-TFC-Task-Signature does not match the body")]
    Mismatch,
}

/// Checks that `signature` is the HMAC-SHA512 of `body` under `key`.
///
/// # Errors
/// [`SignatureError`] saying which check failed (never the expected value).
pub fn verify_signature(key: &[u8], body: &[u8], signature: Option<&str>) -> Result<(), SignatureError> {
    let signature = signature.map(str::trim).filter(|s| !s.is_empty()).ok_or(SignatureError::Missing)?;
    let bytes = decode_hex(signature).ok_or(SignatureError::Malformed)?;
    if bytes.len() != 64 {
        return Err(SignatureError::Malformed);
    }
    // Any key length is accepted by HMAC; `new_from_slice` cannot fail for it.
    let mut mac = Hmac::<Sha512>::new_from_slice(key).map_err(|_| SignatureError::Mismatch)?;
    mac.update(body);
    mac.verify_slice(&bytes).map_err(|_| SignatureError::Mismatch)
}

fn decode_hex(text: &str) -> Option<Vec<u8>> {
    if !text.len().is_multiple_of(2) {
        return None;
    }
    (0..text.len()).step_by(2).map(|i| u8::from_str_radix(text.get(i..i + 2)?, 16).ok()).collect()
}

/// The signature of `body` under `key`, as HCP writes it (for stand-ins and tests).
pub fn sign(key: &[u8], body: &[u8]) -> String {
    let mut mac = Hmac::<Sha512>::new_from_slice(key).expect("HMAC takes a key of any length");
    mac.update(body);
    mac.finalize().into_bytes().iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_only_the_keys_signature_of_this_body() {
        let body = br#"{"payload_version":1}"#;
        let good = sign(b"task-key", body);
        assert_eq!(good.len(), 128);
        assert_eq!(verify_signature(b"task-key", body, Some(&good)), Ok(()));
        assert_eq!(verify_signature(b"task-key", body, Some(&good.to_uppercase())), Ok(()));
        assert_eq!(verify_signature(b"other-key", body, Some(&good)), Err(SignatureError::Mismatch));
        assert_eq!(verify_signature(b"task-key", b"{}", Some(&good)), Err(SignatureError::Mismatch));
        assert_eq!(verify_signature(b"task-key", body, None), Err(SignatureError::Missing));
        assert_eq!(verify_signature(b"task-key", body, Some("zz")), Err(SignatureError::Malformed));
        assert_eq!(verify_signature(b"task-key", body, Some(&good[..64])), Err(SignatureError::Malformed));
        // RFC 4231 test case 2: HMAC-SHA512 with key "Jefe".
        assert!(sign(b"Jefe", b"what do ya want for nothing?").starts_with("164b7a7bfcf819e2e395fbe73b56e0a387bd6422"));
    }
}

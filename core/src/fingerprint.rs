//! Stable fingerprints: FNV-1a over the parts that name one problem, separated by a 0 byte. Small,
//! stable across runs and platforms, and good enough to tell alerts apart (code scanning, baselines,
//! deduplication across scanners).

pub fn fingerprint(parts: &[&str]) -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for (i, part) in parts.iter().enumerate() {
        let separator = if i == 0 { None } else { Some(0u8) };
        for byte in separator.into_iter().chain(part.bytes()) {
            hash ^= u64::from(byte);
            hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }
    format!("{hash:016x}")
}

#[cfg(test)]
mod tests {
    use super::fingerprint;

    #[test]
    fn stable_and_separated() {
        // FNV-1a 64 of the empty input is its offset basis.
        assert_eq!(fingerprint(&[]), "cbf29ce484222325");
        assert_ne!(fingerprint(&["ab", "c"]), fingerprint(&["a", "bc"]));
        assert_eq!(fingerprint(&["PG-DEL-001", "aws_s3_bucket.a"]), fingerprint(&["PG-DEL-001", "aws_s3_bucket.a"]));
    }
}

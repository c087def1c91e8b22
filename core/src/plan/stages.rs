//! The first stages of a JSON plan's analysis, one at a time and on one thread, for the criterion
//! benches (`benches/benches/analyze.rs`): what each costs is the difference between two of them.
//! The whole analysis, which runs them together on every core and then the rules, is
//! [`crate::check`]. Not a stable interface.

use super::{encoding, read_streaming, Change, PlanError, Section};

/// The streaming pass alone: the header read and every entry found, nothing in them parsed. The
/// number of entries.
pub fn split(bytes: &[u8]) -> Result<usize, PlanError> {
    let text = encoding::decode(bytes)?;
    let mut entries = 0;
    read_streaming(&text, |_, _, batch| entries += batch.len(), |_| {})?;
    Ok(entries)
}

/// The streaming pass and every entry normalized into a change, as the rules receive it (its
/// values still unparsed: each is parsed when a rule first reads it). The number of changes.
pub fn parse(bytes: &[u8]) -> Result<usize, PlanError> {
    let text = encoding::decode(bytes)?;
    let mut batches = Vec::new();
    read_streaming(&text, |section, first, batch| batches.push((section, first, batch)), |_| {})?;
    let mut changes = 0;
    for (section, first, batch) in batches {
        for (i, raw) in batch.into_iter().enumerate() {
            Change::parse(&text, section, first + i, raw)?;
            changes += usize::from(section == Section::ResourceChanges);
        }
    }
    Ok(changes)
}

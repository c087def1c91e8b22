//! The zip container of a binary plan, read exactly as Terraform reads it (Go's `archive/zip`):
//! the end record is the last one in the file's tail, the central directory lists the members, and
//! a member's data follows its local header. Whatever another zip reader could read differently is
//! refused rather than guessed: two members of one name (Terraform takes the first `tfplan`, other
//! readers the last), data before the archive or after its end record, zip64 records, encryption,
//! a directory that does not fill its declared size, a member whose data does not inflate to its
//! declared size and checksum. Terraform never writes any of these.
//!
//! Members are inflated in memory (never extracted to disk) under a budget: the plan size limit,
//! and a multiple of the file's own size, so memory stays proportional to the file however much a
//! zip bomb claims.

use std::collections::HashSet;
use std::io::Read;

use super::invalid;
use crate::limits::{Bound, Limits};
use crate::plan::PlanError;

/// What plangate reads of a plan file.
pub struct Entries {
    pub tfplan: Vec<u8>,
    pub lock_file: Option<String>,
}

const END_SIGNATURE: u32 = 0x0605_4b50;
const END_LEN: usize = 22;
const DIRECTORY_SIGNATURE: u32 = 0x0201_4b50;
const DIRECTORY_LEN: usize = 46;
const LOCAL_SIGNATURE: u32 = 0x0403_4b50;
const LOCAL_LEN: usize = 30;
/// Go looks for the end record in the last 65 KiB (a comment is at most 64 KiB).
const END_SEARCH: usize = 65 * 1024;
/// A member may always inflate this far, whatever the file's size: small plans are not held to a
/// ratio their few bytes make meaningless.
const INFLATE_FLOOR: u64 = 16 << 20;

/// One member as the central directory describes it.
struct Member<'b> {
    name: &'b [u8],
    flags: u16,
    method: u16,
    crc32: u32,
    compressed: u64,
    size: u64,
    local_header: u64,
}

pub fn read(bytes: &[u8], limits: &Limits) -> Result<Entries, PlanError> {
    let members = directory(bytes)?;
    let mut names = HashSet::new();
    for member in &members {
        if !names.insert(member.name) {
            return Err(invalid(format!(
                "it has two members named `{}`; Terraform reads the first and other tools the last, so what it applies cannot be known",
                crate::text::excerpt(&String::from_utf8_lossy(member.name), 80)
            )));
        }
    }
    let find = |name: &str| members.iter().find(|m| m.name == name.as_bytes());
    let mut budget = Budget::new(bytes.len(), limits);
    let tfplan = find("tfplan").ok_or_else(|| {
        let names: Vec<String> =
            members.iter().take(8).map(|m| crate::text::excerpt(&String::from_utf8_lossy(m.name), 60)).collect();
        invalid(format!(
            "it has no `tfplan` entry, so it is not a Terraform plan file (it holds: {})",
            names.join(", ")
        ))
    })?;
    let tfplan = inflate(bytes, tfplan, "tfplan", &mut budget)?;
    let lock_file = find(".terraform.lock.hcl")
        .map(|member| inflate(bytes, member, ".terraform.lock.hcl", &mut budget))
        .transpose()?
        .map(|bytes| String::from_utf8(bytes).map_err(|_| invalid("its dependency lock file is not UTF-8 text")))
        .transpose()?;
    Ok(Entries { tfplan, lock_file })
}

/// Little-endian fields from a slice, refusing to read past it.
struct Fields<'b> {
    bytes: &'b [u8],
    at: usize,
}

impl<'b> Fields<'b> {
    fn take(&mut self, n: usize) -> Result<&'b [u8], PlanError> {
        let end = self.at.checked_add(n).filter(|&end| end <= self.bytes.len()).ok_or_else(cut)?;
        let taken = &self.bytes[self.at..end];
        self.at = end;
        Ok(taken)
    }
    fn u16(&mut self) -> Result<u16, PlanError> {
        let b = self.take(2)?;
        Ok(u16::from_le_bytes([b[0], b[1]]))
    }
    fn u32(&mut self) -> Result<u32, PlanError> {
        let b = self.take(4)?;
        Ok(u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
    }
}

fn cut() -> PlanError {
    invalid(
        "it is not a readable zip archive (a record ends past the end of the file: the file is cut short or damaged)",
    )
}

/// The members, from the central directory the end record points at.
fn directory(bytes: &[u8]) -> Result<Vec<Member<'_>>, PlanError> {
    let end = end_record(bytes)?;
    let mut fields = Fields { bytes, at: end + 4 };
    let (disk, directory_disk) = (fields.u16()?, fields.u16()?);
    let (on_this_disk, records) = (fields.u16()?, fields.u16()?);
    let (size, offset) = (fields.u32()?, fields.u32()?);
    if records == 0xffff || size == 0xffff_ffff || offset == 0xffff_ffff {
        return Err(invalid("it is a zip64 archive, which Terraform does not write for plans"));
    }
    if disk != 0 || directory_disk != 0 || on_this_disk != records {
        return Err(invalid("it is a zip archive split across disks, which Terraform does not write"));
    }
    // The directory must end where the end record starts: anything before the archive would make
    // readers disagree on where members are.
    if u64::from(offset) + u64::from(size) != end as u64 {
        return Err(invalid(
            "its zip directory does not end where the archive's end record starts (data was added before or inside the archive)",
        ));
    }
    let directory = &bytes[offset as usize..end];
    let mut fields = Fields { bytes: directory, at: 0 };
    let mut members = Vec::with_capacity(usize::from(records).min(directory.len() / DIRECTORY_LEN));
    for _ in 0..records {
        if fields.u32()? != DIRECTORY_SIGNATURE {
            return Err(invalid("its zip directory holds a record that is not a member's"));
        }
        let _versions = fields.take(4)?;
        let (flags, method) = (fields.u16()?, fields.u16()?);
        let _modified = fields.take(4)?;
        let (crc32, compressed, size) = (fields.u32()?, fields.u32()?, fields.u32()?);
        let (name_len, extra_len, comment_len) = (fields.u16()?, fields.u16()?, fields.u16()?);
        let _disk_and_attributes = fields.take(8)?;
        let local_header = fields.u32()?;
        let name = fields.take(usize::from(name_len))?;
        fields.take(usize::from(extra_len) + usize::from(comment_len))?;
        if compressed == 0xffff_ffff || size == 0xffff_ffff || local_header == 0xffff_ffff {
            return Err(invalid("it has zip64 members, which Terraform does not write for plans"));
        }
        members.push(Member {
            name,
            flags,
            method,
            crc32,
            compressed: compressed.into(),
            size: size.into(),
            local_header: local_header.into(),
        });
    }
    if fields.at != directory.len() {
        return Err(invalid(format!(
            "its zip directory declares {records} members but holds more than they take (another reader could list more)"
        )));
    }
    Ok(members)
}

/// Where the end record starts: as Go finds it, the last signature in the file's last 65 KiB, whose
/// comment must then end the file exactly (Go tolerates bytes after it; plangate does not guess).
fn end_record(bytes: &[u8]) -> Result<usize, PlanError> {
    let not_zip =
        || invalid("it is not a readable zip archive (no end-of-directory record: the file is cut short or not a zip)");
    if bytes.len() < END_LEN {
        return Err(not_zip());
    }
    let from = bytes.len().saturating_sub(END_SEARCH);
    let signature = END_SIGNATURE.to_le_bytes();
    let at = (from..=bytes.len() - END_LEN).rev().find(|&i| bytes[i..i + 4] == signature).ok_or_else(not_zip)?;
    let comment = usize::from(u16::from_le_bytes([bytes[at + END_LEN - 2], bytes[at + END_LEN - 1]]));
    if at + END_LEN + comment != bytes.len() {
        return Err(invalid(
            "its zip end record does not end the file (bytes follow the archive, or the comment is cut short)",
        ));
    }
    Ok(at)
}

/// How much more the members may inflate to.
struct Budget<'l> {
    left: u64,
    /// Which limit is the tighter one, for the error.
    bound: Bound,
    limits: &'l Limits,
}

impl<'l> Budget<'l> {
    fn new(file_size: usize, limits: &'l Limits) -> Budget<'l> {
        let proportional = (file_size as u64).saturating_mul(limits.max_inflation).max(INFLATE_FLOOR);
        let (left, bound) = if proportional < limits.max_plan_bytes {
            (proportional, Bound::Inflation)
        } else {
            (limits.max_plan_bytes, Bound::PlanBytes)
        };
        Budget { left, bound, limits }
    }

    fn too_large(&self, name: &str) -> PlanError {
        PlanError::TooLarge {
            what: format!("the `{name}` entry of the binary plan, decompressed,"),
            limit: self.limits.exceeded(self.bound),
        }
    }
}

/// A member's data, inflated and checked against its declared size and checksum.
fn inflate(bytes: &[u8], member: &Member<'_>, name: &str, budget: &mut Budget<'_>) -> Result<Vec<u8>, PlanError> {
    // Declared sizes are known before anything is inflated: a bomb is refused at once.
    if member.size > budget.left {
        return Err(budget.too_large(name));
    }
    if member.flags & 1 != 0 {
        return Err(invalid(format!("its `{name}` entry is encrypted, which Terraform never does")));
    }
    let mut fields = Fields { bytes, at: usize::try_from(member.local_header).map_err(|_| cut())? };
    let header = fields.take(LOCAL_LEN)?;
    if header[..4] != LOCAL_SIGNATURE.to_le_bytes() {
        return Err(invalid(format!("its `{name}` entry does not start with a zip member header")));
    }
    // Go skips the local header by its own name and extra lengths, and reads the sizes from the
    // central directory.
    let (name_len, extra_len) =
        (u16::from_le_bytes([header[26], header[27]]), u16::from_le_bytes([header[28], header[29]]));
    fields.take(usize::from(name_len) + usize::from(extra_len))?;
    let data = fields.take(usize::try_from(member.compressed).map_err(|_| cut())?)?;
    let wrong = |what: &str| invalid(format!("its `{name}` entry {what}, so it cannot be read as Terraform reads it"));
    let mut out = Vec::with_capacity(member.size as usize);
    match member.method {
        0 => out.extend_from_slice(data),
        8 => {
            flate2::read::DeflateDecoder::new(data)
                .take(member.size + 1)
                .read_to_end(&mut out)
                .map_err(|_| wrong("is not valid deflate data"))?;
        }
        other => return Err(wrong(&format!("uses compression method {other} (Terraform writes 0 and 8)"))),
    }
    if out.len() as u64 != member.size {
        return Err(wrong("does not inflate to the size its directory declares"));
    }
    let mut crc = flate2::Crc::new();
    crc.update(&out);
    if crc.sum() != member.crc32 {
        return Err(wrong("fails its checksum"));
    }
    budget.left -= member.size;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A zip as Go's writer lays it out: local headers and data, the directory, the end record.
    fn zipped(members: &[(&str, &[u8])]) -> Vec<u8> {
        let mut out = Vec::new();
        let mut directory = Vec::new();
        for (name, data) in members {
            let mut deflated = flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::default());
            std::io::Write::write_all(&mut deflated, data).unwrap();
            let deflated = deflated.finish().unwrap();
            let mut crc = flate2::Crc::new();
            crc.update(data);
            let offset = out.len() as u32;
            let common = |buf: &mut Vec<u8>| {
                buf.extend(0u16.to_le_bytes()); // flags
                buf.extend(8u16.to_le_bytes()); // deflate
                buf.extend(0u32.to_le_bytes()); // time and date
                buf.extend(crc.sum().to_le_bytes());
                buf.extend((deflated.len() as u32).to_le_bytes());
                buf.extend((data.len() as u32).to_le_bytes());
                buf.extend((name.len() as u16).to_le_bytes());
                buf.extend(0u16.to_le_bytes()); // extra
            };
            out.extend(LOCAL_SIGNATURE.to_le_bytes());
            out.extend(20u16.to_le_bytes());
            common(&mut out);
            out.extend(name.as_bytes());
            out.extend(&deflated);
            directory.extend(DIRECTORY_SIGNATURE.to_le_bytes());
            directory.extend(20u16.to_le_bytes());
            directory.extend(20u16.to_le_bytes());
            common(&mut directory);
            directory.extend([0; 10]); // comment length, disk, attributes
            directory.extend(offset.to_le_bytes());
            directory.extend(name.as_bytes());
        }
        let offset = out.len() as u32;
        out.extend(&directory);
        out.extend(END_SIGNATURE.to_le_bytes());
        out.extend([0; 4]);
        out.extend((members.len() as u16).to_le_bytes());
        out.extend((members.len() as u16).to_le_bytes());
        out.extend((directory.len() as u32).to_le_bytes());
        out.extend(offset.to_le_bytes());
        out.extend(0u16.to_le_bytes());
        out
    }

    fn error(bytes: &[u8], limits: &Limits) -> String {
        match read(bytes, limits) {
            Ok(_) => panic!("read"),
            Err(e) => e.to_string(),
        }
    }

    #[test]
    fn reads_what_go_writes() {
        let zip = zipped(&[("tfplan", b"plan"), (".terraform.lock.hcl", b"lock"), ("tfstate", b"{}")]);
        let entries = read(&zip, &Limits::default()).unwrap();
        assert_eq!((entries.tfplan.as_slice(), entries.lock_file.as_deref()), (&b"plan"[..], Some("lock")));
    }

    #[test]
    fn ambiguous_archives_are_refused() {
        let limits = Limits::default();
        let twice = zipped(&[("tfplan", b"safe"), ("tfplan", b"destroy")]);
        assert!(error(&twice, &limits).contains("two members named `tfplan`"));
        let twice = zipped(&[("tfplan", b"x"), ("tfconfig/main.tf", b""), ("tfconfig/main.tf", b"")]);
        assert!(error(&twice, &limits).contains("two members named `tfconfig/main.tf`"));

        let zip = zipped(&[("tfplan", b"plan")]);
        let mut prefixed = b"MZ junk".to_vec();
        prefixed.extend(&zip);
        assert!(error(&prefixed, &limits).contains("does not end where"), "{}", error(&prefixed, &limits));
        let mut trailing = zip.clone();
        trailing.extend(b"junk");
        assert!(error(&trailing, &limits).contains("does not end the file"));
        // A second end record hidden in the comment: it is the one Go reads, and it is refused.
        let mut commented = zip.clone();
        let n = commented.len();
        commented[n - 2..].copy_from_slice(&(END_LEN as u16).to_le_bytes());
        commented.extend(&zip[zip.len() - END_LEN..]);
        assert!(read(&commented, &limits).is_err());
    }

    #[test]
    fn damaged_members_are_refused() {
        let limits = Limits::default();
        let zip = zipped(&[("tfplan", b"plan data")]);
        // The checksum (at byte 14 of the local header and 16 of the directory record).
        let directory = zip.len() - END_LEN - (DIRECTORY_LEN + 6);
        let mut bad = zip.clone();
        bad[directory + 16] ^= 1;
        assert!(error(&bad, &limits).contains("fails its checksum"));
        let mut bad = zip.clone();
        bad[directory + 24] += 1; // declared size
        assert!(error(&bad, &limits).contains("declares"));
        for cut in [1, 10, zip.len() / 2, zip.len() - 1] {
            assert!(read(&zip[..cut], &limits).is_err());
        }
    }

    #[test]
    fn inflation_is_bounded_by_the_file_size() {
        let zeros = vec![0u8; 40 << 20];
        let bomb = zipped(&[("tfplan", &zeros)]);
        assert!(bomb.len() < 100_000);
        let err = error(&bomb, &Limits::default());
        assert!(err.contains("PLANGATE_MAX_INFLATION"), "{err}");
        let mut limits = Limits { max_inflation: 5000, ..Limits::default() };
        assert_eq!(read(&bomb, &limits).unwrap().tfplan.len(), 40 << 20);
        limits.max_plan_bytes = 1 << 20;
        assert!(error(&bomb, &limits).contains("PLANGATE_MAX_PLAN_BYTES"));
    }
}

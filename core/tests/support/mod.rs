//! What several test files need of the fixtures: where they are, a binary plan file taken apart
//! into its members and put together again, resource changes to add to its plan message, and a real
//! resource change made into another one.

#![allow(dead_code, reason = "each test file uses what it needs")]

use std::io::{Cursor, Read, Write};
use std::path::{Path, PathBuf};

pub fn fixtures() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../fixtures")
}

/// The members of a plan file, by name, in order.
pub fn members(path: &Path) -> Vec<(String, Vec<u8>)> {
    let mut archive = zip::ZipArchive::new(Cursor::new(std::fs::read(path).unwrap())).unwrap();
    (0..archive.len())
        .map(|i| {
            let mut file = archive.by_index(i).unwrap();
            let mut bytes = Vec::new();
            file.read_to_end(&mut bytes).unwrap();
            (file.name().unwrap().to_string(), bytes)
        })
        .collect()
}

/// A plan file of these members, deflated.
pub fn zipped(members: &[(String, Vec<u8>)]) -> Vec<u8> {
    let mut writer = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    for (name, bytes) in members {
        writer.start_file(name.as_str(), options).unwrap();
        writer.write_all(bytes).unwrap();
    }
    writer.finish().unwrap().into_inner()
}

/// A protobuf length-delimited field.
pub fn field(out: &mut Vec<u8>, number: u32, bytes: &[u8]) {
    varint(out, u64::from(number) << 3 | 2);
    varint(out, bytes.len() as u64);
    out.extend(bytes);
}

fn varint(out: &mut Vec<u8>, mut n: u64) {
    while n >= 0x80 {
        out.push(n as u8 | 0x80);
        n >>= 7;
    }
    out.push(n as u8);
}

/// A `tfplan` field: a resource change of `address` (an AWS resource, action 3, update) with these
/// before and after msgpack values and a sensitive path of `steps` attribute names, as a
/// `resource_changes` entry, to append to a plan message.
pub fn change(address: &str, before: &[u8], after: &[u8], steps: usize) -> Vec<u8> {
    let mut change = vec![0x08, 0x03];
    for value in [before, after] {
        let mut dynamic = Vec::new();
        field(&mut dynamic, 1, value);
        field(&mut change, 2, &dynamic);
    }
    if steps > 0 {
        let mut step = Vec::new();
        field(&mut step, 1, b"a");
        let mut path = Vec::new();
        for _ in 0..steps {
            field(&mut path, 1, &step);
        }
        field(&mut change, 4, &path);
    }
    let mut rc = Vec::new();
    field(&mut rc, 13, address.as_bytes());
    field(&mut rc, 8, br#"provider["registry.terraform.io/hashicorp/aws"]"#);
    field(&mut rc, 9, &change);
    let mut entry = Vec::new();
    field(&mut entry, 3, &rc);
    entry
}

/// A real change (`template`) made into a change of `address` with these actions and sides,
/// nothing unknown or sensitive: for changes no plan we can make holds (types moto cannot create,
/// providers we cannot install), kept in a real plan's structure.
pub fn derived(
    template: &serde_json::Value,
    address: &str,
    actions: &[&str],
    before: serde_json::Value,
    after: serde_json::Value,
) -> serde_json::Value {
    let (resource_type, name) = address.split_once('.').unwrap();
    let mut change = template.clone();
    change["address"] = address.into();
    change["type"] = resource_type.into();
    change["name"] = name.into();
    change["change"]["actions"] = serde_json::json!(actions);
    change["change"]["before"] = before;
    change["change"]["after"] = after;
    for mask in ["after_unknown", "before_sensitive", "after_sensitive"] {
        change["change"][mask] = serde_json::json!({});
    }
    change
}

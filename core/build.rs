//! Embeds the schema tables (`schemas/`, made with `scripts/schema-table`) as Rust statics: each
//! type's entry as its own string, in slices sorted by type name. A native reading then finds a
//! type by binary search and parses only the types its plan uses: nothing is inflated or indexed
//! at start, and the pages of the types no plan asks for are never read from the binary.

use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};

use serde_json::Value;

fn main() {
    let out = std::env::var("OUT_DIR").expect("cargo sets OUT_DIR");
    println!("cargo:rerun-if-changed=schemas");
    let mut files = Vec::new();
    find_tables(Path::new("schemas"), &mut files);
    files.sort();
    let mut code = String::from("&[\n");
    for path in &files {
        println!("cargo:rerun-if-changed={}", path.display());
        write_table(&mut code, path);
    }
    code.push_str("]\n");
    fs::write(Path::new(&out).join("schemas.rs"), code).expect("OUT_DIR is writable");
}

fn find_tables(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in fs::read_dir(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
        let path = entry.expect("a directory entry").path();
        if path.is_dir() {
            find_tables(&path, out);
        } else if path.extension().is_some_and(|e| e == "json") {
            out.push(path);
        }
    }
}

/// One `EmbeddedTable { … }` expression; a table that is not what `scripts/schema-table` writes
/// fails the build, naming the file.
fn write_table(code: &mut String, path: &Path) {
    let text = fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let table: Value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let field = |name: &str| table.get(name).unwrap_or_else(|| panic!("{}: no `{name}`", path.display()));
    let string =
        |name: &str| field(name).as_str().unwrap_or_else(|| panic!("{}: `{name}` is not a string", path.display()));
    writeln!(code, "EmbeddedTable {{ provider: {:?}, version: {:?},", string("provider"), string("version")).unwrap();
    for section in ["resources", "data_sources"] {
        let types =
            field(section).as_object().unwrap_or_else(|| panic!("{}: `{section}` is not an object", path.display()));
        // Sorted by name, as the binary search needs.
        let mut types: Vec<_> = types.iter().collect();
        types.sort_by(|a, b| a.0.cmp(b.0));
        write!(code, "{section}: &[").unwrap();
        for (name, schema) in types {
            write!(code, "({name:?}, {:?}),", schema.to_string()).unwrap();
        }
        code.push_str("],\n");
    }
    code.push_str("},\n");
}

//! Embeds the schema tables (`schemas/`, made with `scripts/schema-table`) gzip-compressed: as text
//! they are a megabyte that every process would carry in memory, read or not; compressed, 80 KB,
//! inflated only when a binary plan needs them.

use std::fs;
use std::io::Write;
use std::path::Path;

fn main() {
    let out = std::env::var("OUT_DIR").expect("cargo sets OUT_DIR");
    println!("cargo:rerun-if-changed=schemas");
    compress_all(Path::new("schemas"), &Path::new(&out).join("schemas"));
}

fn compress_all(from: &Path, to: &Path) {
    for entry in fs::read_dir(from).unwrap_or_else(|e| panic!("{}: {e}", from.display())) {
        let path = entry.expect("a directory entry").path();
        let target = to.join(path.file_name().expect("a name"));
        if path.is_dir() {
            compress_all(&path, &target);
        } else if path.extension().is_some_and(|e| e == "json") {
            fs::create_dir_all(to).expect("OUT_DIR is writable");
            let text = fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
            gz.write_all(&text).expect("in memory");
            fs::write(target.with_extension("json.gz"), gz.finish().expect("in memory")).expect("OUT_DIR is writable");
        }
    }
}

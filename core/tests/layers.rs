//! The crate's layers, checked on its sources: every `crate::MODULE` a module names must sit on a
//! lower layer than the module itself, so the dependency graph reads top-down with no arrow
//! pointing back (and so no cycle). Test code is left out: a test may use anything.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// The layers, lowest first. A module may use only modules on layers below its own.
const LAYERS: &[&[&str]] = &[
    // The vocabulary: leaves.
    &["registry", "text", "url", "date", "glob", "fingerprint", "format", "details", "address"],
    // JSON read strictly (a key written twice is refused; the error quotes it through `text`).
    &["json"],
    // Workflow commands and the other CIs' report formats, written with the escaping of `text`.
    &["workflow", "ci_reports"],
    // The input limits (whose messages are escaped text), and the YAML reading they bound.
    &["limits"],
    &["yaml"],
    // Subsystems that need only the vocabulary.
    &["plan", "scan", "resilience", "source"],
    &["report"],
    &["rules", "notify", "comment", "run_task"],
    // The configuration, composed from the subsystems' sections.
    &["policy"],
    // The boundary: one error type, then the entry points.
    &["error"],
    &["check"],
    // What front ends were asked, resolved into the entry points' options.
    &["settings"],
];

fn layer_of(module: &str) -> usize {
    LAYERS
        .iter()
        .position(|layer| layer.contains(&module))
        .unwrap_or_else(|| panic!("module `{module}` is in no layer"))
}

/// The top-level module a source file belongs to (`rules/iam.rs` → `rules`), or `None` for `lib.rs`.
fn module_of(src: &Path, file: &Path) -> Option<String> {
    let relative = file.strip_prefix(src).unwrap();
    let first = relative.components().next()?.as_os_str().to_string_lossy().into_owned();
    (first != "lib.rs").then(|| first.trim_end_matches(".rs").to_string())
}

fn sources(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            sources(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The `crate::X` names a file's non-test code uses (comments and doc links left out).
fn used_modules(text: &str) -> BTreeSet<String> {
    let code = text.split("#[cfg(test)]").next().unwrap_or(text);
    let code: String = code.lines().filter(|line| !line.trim_start().starts_with("//")).collect::<Vec<_>>().join("\n");
    let mut used = BTreeSet::new();
    for (i, _) in code.match_indices("crate::") {
        // `plangate::crate::` never occurs; a preceding identifier character means another path.
        if i > 0 && code[..i].ends_with(|c: char| c.is_alphanumeric() || c == '_' || c == ':') {
            continue;
        }
        let rest = &code[i + "crate::".len()..];
        match rest.strip_prefix('{') {
            // `crate::{a, b::{c, d}}`: the first name of each item of the group.
            Some(group) => used.extend(group_heads(group)),
            None => used.extend(head(rest)),
        }
    }
    used
}

/// The identifier that starts `text`, if any.
fn head(text: &str) -> Option<String> {
    let name: String = text.trim_start().chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
    // `crate::{self}` names the crate root, which is no layer.
    (!name.is_empty() && name != "self").then_some(name)
}

/// The first identifier of each top-level item of a `{...}` group (its opening brace already taken).
fn group_heads(group: &str) -> Vec<String> {
    let mut heads = Vec::new();
    let (mut depth, mut item_start) = (0usize, 0);
    for (i, c) in group.char_indices() {
        match c {
            '{' => depth += 1,
            '}' if depth == 0 => {
                heads.extend(head(&group[item_start..i]));
                break;
            }
            '}' => depth -= 1,
            ',' if depth == 0 => {
                heads.extend(head(&group[item_start..i]));
                item_start = i + 1;
            }
            _ => {}
        }
    }
    heads
}

#[test]
fn no_module_uses_a_module_on_its_own_layer_or_above() {
    let src = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    sources(&src, &mut files);
    let mut arrows_back = Vec::new();
    for file in &files {
        let Some(module) = module_of(&src, file) else { continue };
        let from = layer_of(&module);
        for used in used_modules(&std::fs::read_to_string(file).unwrap()) {
            if used != module && layer_of(&used) >= from {
                arrows_back.push(format!("{} uses crate::{used}", file.strip_prefix(&src).unwrap().display()));
            }
        }
    }
    assert!(arrows_back.is_empty(), "arrows pointing back up or sideways:\n{}", arrows_back.join("\n"));
}

#[test]
fn every_module_is_in_a_layer() {
    let lib = std::fs::read_to_string(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("src/lib.rs")).unwrap();
    for line in lib.lines() {
        let declared = line.strip_prefix("pub mod ").or_else(|| line.strip_prefix("mod "));
        if let Some(name) = declared.and_then(|rest| rest.strip_suffix(';')) {
            layer_of(name);
        }
    }
}

#[test]
fn the_check_finds_an_arrow_back() {
    // The detector itself must see a use of a higher layer.
    let used = used_modules(
        "use crate::policy::Policy;\nfn f() { crate::check::x(); }\n#[cfg(test)]\nuse crate::error::Error;",
    );
    assert_eq!(used.into_iter().collect::<Vec<_>>(), ["check", "policy"]);
    let grouped = used_modules("use crate::{plan::{Change, Mode}, report,\n    check::x};\nuse crate::{self as c};");
    assert_eq!(grouped.into_iter().collect::<Vec<_>>(), ["check", "plan", "report"]);
    assert!(used_modules("/// See [`crate::check`].\nfn f() {}").is_empty(), "doc links are not uses");
}

/// Rule knowledge is one-to-one: every registry file `registry/GROUP/NAME.rs` has its family in
/// `rules/GROUP/NAME.rs`, and that family reports every rule the file declares. Adding a rule to a
/// family touches that family's two files (and its fixtures and the generated docs).
#[test]
fn every_rule_is_declared_beside_its_family() {
    let src = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut checked = 0;
    for group in std::fs::read_dir(src.join("registry")).unwrap() {
        let group = group.unwrap().path();
        if !group.is_dir() {
            continue;
        }
        for file in std::fs::read_dir(&group).unwrap() {
            let file = file.unwrap().path();
            let name = file.file_name().unwrap().to_string_lossy().into_owned();
            if name == "mod.rs" {
                continue;
            }
            let relative = file.strip_prefix(src.join("registry")).unwrap();
            let family = std::fs::read_to_string(src.join("rules").join(relative)).unwrap_or_else(|_| {
                panic!("registry/{} has no family at rules/{}", relative.display(), relative.display())
            });
            let declared = std::fs::read_to_string(&file).unwrap();
            for line in declared.lines() {
                let Some(rule) = line.strip_prefix("pub static ").and_then(|l| l.split(':').next()) else { continue };
                assert!(
                    family.contains(&format!("&{rule}")),
                    "{rule} of registry/{} is not reported by rules/{}",
                    relative.display(),
                    relative.display()
                );
                checked += 1;
            }
        }
    }
    assert!(checked >= 44, "checked {checked} rules");
}

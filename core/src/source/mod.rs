//! Where each resource is declared: given the Terraform working directory, the `file:line` range
//! of every `resource` and `data` block in its `.tf` files, following local module calls
//! (`module "x" { source = "./modules/y" }`, nested). Addresses of instances (`count`, `for_each`)
//! point at the block that declares them. What cannot be mapped (a module from a registry or git,
//! a resource no `.tf` file declares) says why. The files are parsed with a real HCL parser that
//! keeps spans (`hcl-edit`).

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Component, Path, PathBuf};

use hcl_edit::expr::Expression;
use hcl_edit::structure::{Block, Structure};
use hcl_edit::Span;
use serde::{Deserialize, Serialize};

use crate::address::Address;
use crate::limits::{Bound, Limits};

/// Where a resource is declared.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[non_exhaustive]
pub struct SourceLocation {
    /// The `.tf` file, relative to the repository root, with `/` separators.
    pub file: String,
    /// The block's first line (1-based).
    pub start_line: usize,
    /// The block's last line.
    pub end_line: usize,
}

/// Where a finding's resource is declared, as reports carry it once the sources were read.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(untagged)]
#[non_exhaustive]
pub enum Declared {
    /// The block that declares it.
    At(SourceLocation),
    /// Why no `.tf` file of the repository can be named.
    Unmapped {
        /// A sentence saying why.
        unmapped: String,
    },
}

/// The source directory cannot be read at all.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SourceError {
    /// The directory (or a file in it) cannot be read.
    #[error("cannot read the Terraform sources in {path}: {source}")]
    Io {
        /// The directory or file.
        path: String,
        /// Why.
        #[source]
        source: std::io::Error,
    },
}

/// Why a module's declarations are not known.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Module {
    /// Read from this directory, relative to the repository root.
    Loaded { dir: String, unreadable: Vec<String> },
    /// Not in the repository: the module call's `source`.
    Outside(String),
}

/// How deep local module calls may nest before plangate stops following them (a cycle, or a
/// configuration no one could read).
const MAX_MODULE_DEPTH: usize = 32;

/// The declarations of a Terraform configuration, by module path.
#[derive(Debug, Clone, Default)]
pub struct SourceMap {
    blocks: BTreeMap<(Vec<String>, &'static str, String, String), SourceLocation>,
    modules: BTreeMap<Vec<String>, Module>,
}

impl SourceMap {
    /// Reads the `.tf` files of the working directory `dir` and of the local modules it calls.
    /// File paths are relative to the enclosing git repository (a `.git` beside or above `dir`),
    /// else to `without_git` (a CI workspace checked out from an archive), else to `dir` itself.
    ///
    /// # Errors
    /// [`SourceError::Io`] when `dir` cannot be read. A file that does not parse makes only its
    /// own resources unmappable, saying why.
    pub fn load(dir: impl AsRef<Path>, without_git: Option<&Path>) -> Result<SourceMap, SourceError> {
        let io = |path: &Path, source| SourceError::Io { path: path.display().to_string(), source };
        let dir = dir.as_ref().canonicalize().map_err(|e| io(dir.as_ref(), e))?;
        let root = match (git_root(&dir), without_git) {
            (Some(root), _) => root,
            (None, Some(root)) => root.canonicalize().map_err(|e| io(root, e))?,
            (None, None) => dir.clone(),
        };
        let mut map = SourceMap::default();
        map.load_module(&dir, &root, Vec::new(), &mut BTreeSet::new())?;
        Ok(map)
    }

    fn load_module(
        &mut self,
        dir: &Path,
        root: &Path,
        path: Vec<String>,
        visiting: &mut BTreeSet<PathBuf>,
    ) -> Result<(), SourceError> {
        let shown = relative(dir, root);
        if path.len() > MAX_MODULE_DEPTH || !visiting.insert(dir.to_path_buf()) {
            self.modules.insert(path, Module::Outside(format!("{shown} (module calls nest too deep, or in a cycle)")));
            return Ok(());
        }
        let entries =
            std::fs::read_dir(dir).map_err(|source| SourceError::Io { path: dir.display().to_string(), source })?;
        let mut files: Vec<PathBuf> = entries
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|e| e == "tf") && p.is_file())
            .collect();
        files.sort();
        let mut unreadable = Vec::new();
        let mut calls = Vec::new();
        for file in files {
            let name = relative(&file, root);
            let text = match Limits::from_env().unwrap_or_default().read_text(&file, Bound::FileBytes) {
                Ok(text) => text,
                Err(e) => {
                    unreadable.push(format!("{name} cannot be read: {e}"));
                    continue;
                }
            };
            let body = match hcl_edit::parser::parse_body(&text) {
                Ok(body) => body,
                Err(e) => {
                    let at = e.location();
                    unreadable.push(format!(
                        "{name} does not parse as HCL at line {}, column {}",
                        at.line(),
                        at.column()
                    ));
                    continue;
                }
            };
            let lines = LineIndex::new(&text);
            for block in body.iter().filter_map(Structure::as_block) {
                let labels: Vec<&str> = block.labels.iter().map(|l| l.as_str()).collect();
                match (block.ident.as_str(), labels.as_slice()) {
                    (kind @ ("resource" | "data" | "action"), [resource_type, name_label]) => {
                        let Some(span) = block.span() else { continue };
                        let block_kind = match kind {
                            "data" => "data",
                            "action" => "action",
                            _ => "resource",
                        };
                        let location = SourceLocation {
                            file: name.clone(),
                            start_line: lines.line_of(span.start),
                            end_line: lines.line_of(span.end.saturating_sub(1).max(span.start)),
                        };
                        let key = (path.clone(), block_kind, resource_type.to_string(), name_label.to_string());
                        self.blocks.entry(key).or_insert(location);
                    }
                    ("module", [call]) => calls.push((call.to_string(), module_source(block))),
                    _ => {}
                }
            }
        }
        self.modules.insert(path.clone(), Module::Loaded { dir: shown, unreadable });
        for (call, source) in calls {
            let mut child = path.clone();
            child.push(call);
            match source {
                Some(source) if source.starts_with("./") || source.starts_with("../") => {
                    match dir.join(&source).canonicalize() {
                        Ok(child_dir) if child_dir.is_dir() => self.load_module(&child_dir, root, child, visiting)?,
                        _ => {
                            let message = format!("the local module source {source:?} is not a directory");
                            self.modules.insert(child, Module::Outside(message));
                        }
                    }
                }
                Some(source) => {
                    let message = format!("comes from {source:?}, which is not in this repository");
                    self.modules.insert(child, Module::Outside(message));
                }
                None => {
                    let message = "has a `source` that is not a plain string".to_string();
                    self.modules.insert(child, Module::Outside(message));
                }
            }
        }
        visiting.remove(dir);
        Ok(())
    }

    /// Where the resource `address` is declared, or why that cannot be said.
    ///
    /// # Errors
    /// A sentence saying why the address cannot be mapped.
    pub fn locate(&self, address: &str) -> Result<&SourceLocation, String> {
        self.find(address).map_err(|missing| self.explain(address, missing))
    }

    fn find(&self, address: &str) -> Result<&SourceLocation, Missing> {
        // A resource's address, or an action's (a finding about an action the apply runs).
        let (parsed, block) = match Address::parse(address) {
            Ok(parsed) => {
                let block = if parsed.data { "data" } else { "resource" };
                (parsed, block)
            }
            Err(_) => (Address::parse_action(address).map_err(|_| Missing::NotAnAddress)?, "action"),
        };
        // Every instance comes from one block: module keys and the instance key are left out.
        let modules: Vec<String> = parsed.modules.into_iter().map(|m| m.name).collect();
        let key = (modules, block, parsed.resource_type, parsed.name);
        if let Some(location) = self.blocks.get(&key) {
            return Ok(location);
        }
        let (modules, block, resource_type, name) = key;
        // The nearest module on the way that could not be read says why.
        for depth in 1..=modules.len() {
            if let Some(Module::Outside(why)) = self.modules.get(&modules[..depth]) {
                let call = modules[..depth].iter().map(|m| format!("module.{m}")).collect::<Vec<_>>().join(".");
                return Err(Missing::Outside(format!("{call} {why}")));
            }
        }
        match self.modules.get(&modules) {
            Some(Module::Loaded { dir, unreadable }) => Err(Missing::NotDeclared {
                dir: dir.clone(),
                declared: format!("{block} \"{resource_type}\" \"{name}\""),
                unreadable: unreadable.clone(),
            }),
            _ => Err(Missing::NotCalled(format!("module.{}", modules.join(".module.")))),
        }
    }

    fn explain(&self, address: &str, missing: Missing) -> String {
        match missing {
            Missing::NotAnAddress => format!("{address} is not a resource address"),
            Missing::Outside(why) => why,
            Missing::NotDeclared { dir, declared, unreadable } if !unreadable.is_empty() => {
                format!("no .tf file of {dir} declares {declared} ({})", unreadable.join("; "))
            }
            Missing::NotDeclared { dir, declared, .. } => {
                format!("no .tf file of {dir} declares {declared}: it may be generated, or written in .tf.json")
            }
            Missing::NotCalled(module) => format!("{module} is not called by the configuration"),
        }
    }

    /// Where the resource of a finding's address is declared, or why that cannot be said. A
    /// deposed object's address names its resource first; a resource the plan deletes because it
    /// left the configuration is said to be removed.
    pub fn declared(&self, address: &str, deleted: bool) -> Declared {
        let address = address.split(" (deposed object").next().unwrap_or(address);
        match self.find(address) {
            Ok(location) => Declared::At(location.clone()),
            Err(Missing::NotDeclared { unreadable, .. }) if deleted && unreadable.is_empty() => Declared::Unmapped {
                unmapped: format!("{address} is removed from the configuration, so no .tf file declares it"),
            },
            Err(missing) => Declared::Unmapped { unmapped: self.explain(address, missing) },
        }
    }
}

/// Why an address has no location.
enum Missing {
    NotAnAddress,
    /// In a module whose code is not in the repository.
    Outside(String),
    /// In a module that was read, but no block declares it.
    NotDeclared {
        dir: String,
        declared: String,
        unreadable: Vec<String>,
    },
    NotCalled(String),
}

/// The `source` of a module call, when it is a plain string.
fn module_source(block: &Block) -> Option<String> {
    match block.body.get_attribute("source").map(|a| &a.value) {
        Some(Expression::String(source)) => Some(source.value().to_string()),
        _ => None,
    }
}

/// The directory holding the enclosing git repository, if any.
fn git_root(dir: &Path) -> Option<PathBuf> {
    dir.ancestors().find(|d| d.join(".git").exists()).map(Path::to_path_buf)
}

/// `path` relative to `root` with `/` separators (the path itself when it is outside `root`).
fn relative(path: &Path, root: &Path) -> String {
    let relative = path.strip_prefix(root).unwrap_or(path);
    let parts: Vec<String> = relative
        .components()
        .filter_map(|c| match c {
            Component::Normal(part) => Some(part.to_string_lossy().into_owned()),
            _ => None,
        })
        .collect();
    if parts.is_empty() {
        ".".into()
    } else {
        parts.join("/")
    }
}

/// Byte offsets to 1-based line numbers.
struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    fn new(text: &str) -> LineIndex {
        let starts = std::iter::once(0).chain(text.match_indices('\n').map(|(i, _)| i + 1)).collect();
        LineIndex { starts }
    }

    fn line_of(&self, offset: usize) -> usize {
        self.starts.partition_point(|&start| start <= offset)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(dir: &Path, file: &str, text: &str) {
        let path = dir.join(file);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }

    #[test]
    fn resources_in_local_modules_map_and_remote_ones_say_why() {
        let dir = std::env::temp_dir().join(format!("plangate-source-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        write(&dir, "main.tf", "# header\nresource \"aws_s3_bucket\" \"logs\" {\n  bucket = \"x\"\n}\n\nmodule \"net\" {\n  source = \"./modules/net\"\n}\nmodule \"vpc\" {\n  source  = \"terraform-aws-modules/vpc/aws\"\n  version = \"5.0.0\"\n}\n");
        write(&dir, "modules/net/sg.tf", "data \"aws_vpc\" \"this\" {}\n\nresource \"aws_security_group\" \"web\" {\n  count = 2\n  ingress {\n    from_port = 443\n  }\n}\nmodule \"inner\" {\n  source = \"../inner\"\n}\naction \"aws_lambda_invoke\" \"warm\" {\n  config {\n    function_name = \"f\"\n  }\n}\n");
        write(&dir, "modules/inner/broken.tf", "resource \"aws_sqs_queue\" \"q\" {\n  name = \n");
        let map = SourceMap::load(&dir, Some(&dir)).unwrap();
        let at = |a: &str| map.locate(a).map(|l| (l.file.clone(), l.start_line, l.end_line));
        assert_eq!(at("aws_s3_bucket.logs"), Ok(("main.tf".into(), 2, 4)));
        assert_eq!(at("module.net.aws_security_group.web[1]"), Ok(("modules/net/sg.tf".into(), 3, 8)));
        assert_eq!(at("module.net.data.aws_vpc.this"), Ok(("modules/net/sg.tf".into(), 1, 1)));
        assert_eq!(at("module.net.action.aws_lambda_invoke.warm[0]"), Ok(("modules/net/sg.tf".into(), 12, 16)));
        let undeclared = at("action.aws_lambda_invoke.warm").unwrap_err();
        assert!(undeclared.contains("declares action \"aws_lambda_invoke\" \"warm\""), "{undeclared}");
        let remote = at("module.vpc.aws_vpc.this[0]").unwrap_err();
        assert!(remote.contains("module.vpc comes from \"terraform-aws-modules/vpc/aws\""), "{remote}");
        let broken = at("module.net.module.inner.aws_sqs_queue.q").unwrap_err();
        assert!(broken.contains("modules/inner/broken.tf does not parse as HCL at line 2"), "{broken}");
        let missing = at("aws_s3_bucket.nope").unwrap_err();
        assert!(missing.contains("no .tf file of . declares resource \"aws_s3_bucket\" \"nope\""), "{missing}");
        assert!(map.locate("module.ghost.aws_s3_bucket.x").unwrap_err().contains("not called"));
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn a_missing_directory_is_an_error() {
        assert!(SourceMap::load("/nonexistent/infra", None).is_err());
    }
}

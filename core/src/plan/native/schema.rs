//! The schema tables the native reader types values with (see `scripts/schema-table`): which
//! attributes of each resource and data source type are sensitive, numbers or dynamically typed,
//! for one provider version. The tables plangate knows are embedded; more can be given as files.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use serde::Deserialize;
use serde_json::value::RawValue;
use serde_json::Value as Tree;

use crate::limits::{Bound, Limits};
use crate::plan::PlanError;

/// A table embedded by `build.rs`: each type's entry unparsed, sorted by type name.
struct EmbeddedTable {
    provider: &'static str,
    version: &'static str,
    resources: &'static [(&'static str, &'static str)],
    data_sources: &'static [(&'static str, &'static str)],
}

/// The embedded tables (`core/schemas/`).
const EMBEDDED: &[EmbeddedTable] = include!(concat!(env!("OUT_DIR"), "/schemas.rs"));

/// Terraform's built-in provider (`terraform_data`, `terraform_remote_state`): part of terraform
/// itself, so the lock file never lists it; its table stands for every version.
pub const BUILTIN: &str = "terraform.io/builtin/terraform";
pub const BUILTIN_VERSION: &str = "builtin";

/// One table: types stay unparsed until a plan asks for them.
#[derive(Debug)]
pub struct Table {
    pub provider: String,
    pub version: String,
    resources: Types,
    data_sources: Types,
}

/// A table's types, each entry unparsed.
#[derive(Debug)]
enum Types {
    /// Embedded: sorted by name.
    Embedded(&'static [(&'static str, &'static str)]),
    /// Read from a table file.
    Read(HashMap<String, Box<RawValue>>),
}

impl Types {
    fn get(&self, name: &str) -> Option<&str> {
        match self {
            Types::Embedded(types) => types.binary_search_by(|(n, _)| (*n).cmp(name)).ok().map(|i| types[i].1),
            Types::Read(types) => types.get(name).map(|raw| raw.get()),
        }
    }
}

/// A table file as `scripts/schema-table` writes it.
#[derive(Deserialize)]
struct TableFile {
    provider: String,
    version: String,
    resources: HashMap<String, Box<RawValue>>,
    data_sources: HashMap<String, Box<RawValue>>,
}

/// What a table says of one type.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TypeSchema {
    #[serde(default)]
    pub sensitive: Option<Tree>,
    #[serde(default)]
    pub numbers: Option<Tree>,
    #[serde(default)]
    pub dynamic: Option<Tree>,
}

impl Table {
    fn parse(text: &str, origin: &str) -> Result<Table, PlanError> {
        let file: TableFile =
            serde_json::from_str(text).map_err(|e| unusable(origin, format!("it is not a valid table: {e}")))?;
        Ok(Table {
            provider: file.provider,
            version: file.version,
            resources: Types::Read(file.resources),
            data_sources: Types::Read(file.data_sources),
        })
    }

    /// Whether the provider version has this type.
    pub fn has_type(&self, data: bool, resource_type: &str) -> bool {
        if data { &self.data_sources } else { &self.resources }.get(resource_type).is_some()
    }

    /// What the table says of a type; `None` when the provider version has no such type.
    pub fn type_schema(&self, data: bool, resource_type: &str) -> Result<Option<TypeSchema>, PlanError> {
        let types = if data { &self.data_sources } else { &self.resources };
        let Some(raw) = types.get(resource_type) else { return Ok(None) };
        serde_json::from_str(raw).map(Some).map_err(|e| {
            unusable(&format!("{} {}", self.provider, self.version), format!("it is not valid at {resource_type}: {e}"))
        })
    }
}

fn embedded() -> &'static [Table] {
    static TABLES: OnceLock<Vec<Table>> = OnceLock::new();
    TABLES.get_or_init(|| {
        EMBEDDED
            .iter()
            .map(|table| Table {
                provider: table.provider.to_string(),
                version: table.version.to_string(),
                resources: Types::Embedded(table.resources),
                data_sources: Types::Embedded(table.data_sources),
            })
            .collect()
    })
}

/// The tables a reading may use: the embedded ones and those read from files.
#[derive(Debug, Default)]
pub struct Tables {
    files: Vec<Table>,
}

impl Tables {
    /// The embedded tables and the table files `paths`.
    pub fn load(paths: &[PathBuf]) -> Result<Tables, PlanError> {
        let files = paths.iter().map(|path| read_table(path)).collect::<Result<_, _>>()?;
        Ok(Tables { files })
    }

    /// The table of a provider version; a file given by the caller wins over an embedded table.
    pub fn find(&self, source: &str, version: &str) -> Option<&Table> {
        let source = same_provider(source);
        self.files.iter().chain(embedded()).find(|t| same_provider(&t.provider) == source && t.version == version)
    }
}

fn read_table(path: &Path) -> Result<Table, PlanError> {
    let origin = path.display().to_string();
    let text = Limits::from_env()
        .unwrap_or_default()
        .read_text(path, Bound::FileBytes)
        .map_err(|e| unusable(&origin, format!("it cannot be read: {e}")))?;
    Table::parse(&text, &origin)
}

fn unusable(origin: &str, message: String) -> PlanError {
    PlanError::SchemaTable { origin: origin.to_string(), message }
}

/// OpenTofu's registry serves the same provider releases under its own host.
fn same_provider(source: &str) -> &str {
    source
        .strip_prefix("registry.opentofu.org/")
        .unwrap_or_else(|| source.strip_prefix("registry.terraform.io/").unwrap_or(source))
}

/// The provider versions a plan was made with, from the dependency lock file it carries
/// (`provider "registry.terraform.io/hashicorp/aws" { version = "5.100.0" }`).
pub fn locked_versions(lock_file: &str) -> Result<HashMap<String, String>, PlanError> {
    use hcl_edit::expr::Expression;
    use hcl_edit::structure::Structure;
    let body = hcl_edit::parser::parse_body(lock_file).map_err(|e| {
        let at = e.location();
        PlanError::BinaryArchive {
            message: format!(
                "its dependency lock file (`.terraform.lock.hcl`) does not parse at line {}, column {}",
                at.line(),
                at.column()
            ),
        }
    })?;
    let mut versions = HashMap::new();
    for block in body.iter().filter_map(Structure::as_block) {
        if block.ident.as_str() != "provider" {
            continue;
        }
        let labels: Vec<&str> = block.labels.iter().map(|l| l.as_str()).collect();
        let ([source], Some(Expression::String(version))) =
            (labels.as_slice(), block.body.get_attribute("version").map(|a| &a.value))
        else {
            continue;
        };
        versions.insert(source.to_string(), version.value().to_string());
    }
    Ok(versions)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_tables_are_valid_and_complete() {
        let tables = Tables::default();
        let aws = tables.find("registry.terraform.io/hashicorp/aws", "5.100.0").expect("embedded");
        let Types::Embedded(resources) = aws.resources else { panic!("the AWS table is embedded") };
        assert_eq!(resources.len(), 1526, "every resource type of the provider");
        let db = aws.type_schema(false, "aws_db_instance").unwrap().unwrap();
        assert_eq!(db.sensitive.unwrap()["password"], Tree::Bool(true));
        assert!(aws.type_schema(false, "aws_no_such_thing").unwrap().is_none());
        let secret = aws.type_schema(true, "aws_secretsmanager_secret_version").unwrap().unwrap();
        assert_eq!(secret.sensitive.unwrap()["secret_string"], Tree::Bool(true));
        assert!(tables.find("registry.opentofu.org/hashicorp/aws", "5.100.0").is_some());
        assert!(tables.find("registry.terraform.io/hashicorp/aws", "5.35.0").is_none());
        for (table, embedded) in embedded().iter().zip(EMBEDDED) {
            for (data, types) in [(false, embedded.resources), (true, embedded.data_sources)] {
                assert!(types.windows(2).all(|pair| pair[0].0 < pair[1].0), "sorted, for the binary search");
                for (name, _) in types {
                    assert!(table.type_schema(data, name).unwrap().is_some(), "{name}");
                }
            }
        }
    }

    #[test]
    fn reads_the_lock_file() {
        let lock = "# comment\nprovider \"registry.terraform.io/hashicorp/aws\" {\n  version     = \"5.100.0\"\n  constraints = \"5.100.0\"\n  hashes = [\"h1:x\"]\n}\n";
        let versions = locked_versions(lock).unwrap();
        assert_eq!(versions["registry.terraform.io/hashicorp/aws"], "5.100.0");
        assert!(locked_versions("provider {").is_err());
    }
}

//! The rule registry: every rule's stable id, title, severity, family and documentation, declared
//! once. `plangate rules`, `plangate explain`, the SARIF rule table, the configuration's `rules:`
//! and `waivers:` sections and the rule families all read it; it reads nothing above it.

mod any;
mod aws;
mod azure;
pub(crate) mod custom;
mod google;

use std::sync::LazyLock;

use serde::{Deserialize, Serialize};

pub(crate) use any::*;
pub(crate) use aws::*;
pub(crate) use azure::*;
pub(crate) use google::*;

/// How bad a finding is. Ordered: `Notice < High < Critical`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
#[non_exhaustive]
pub enum Severity {
    /// Worth knowing, never counted.
    Notice,
    /// Counted in `high_risk_changes`.
    High,
    /// Counted in `critical_changes`.
    Critical,
}

impl Severity {
    /// The name reports use: `critical`, `high` or `notice`.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Critical => "critical",
            Severity::High => "high",
            Severity::Notice => "notice",
        }
    }
}

/// The check families of the pipeline script plangate replaces, in the order reports show them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Category {
    /// Deletions and replacements.
    ResourceDeletions,
    /// Security groups and their rules.
    SecurityGroups,
    /// IAM policies, roles and attachments.
    Iam,
    /// RDS instances, clusters and parameter groups.
    Database,
    /// VPCs, subnets, routes, network ACLs and gateways.
    Vpc,
    /// KMS keys and their policies.
    Kms,
    /// Everything else.
    Other,
}

impl Category {
    /// Every category, in report order.
    pub const ALL: [Category; 7] = [
        Category::ResourceDeletions,
        Category::SecurityGroups,
        Category::Iam,
        Category::Database,
        Category::Vpc,
        Category::Kms,
        Category::Other,
    ];

    /// The heading the text report shows, as the pipeline script printed it.
    pub fn heading(self) -> &'static str {
        match self {
            Category::ResourceDeletions => "Checking for Resource Deletions",
            Category::SecurityGroups => "Checking Security Group Changes",
            Category::Iam => "Checking IAM Changes",
            Category::Database => "Checking Database Changes",
            Category::Vpc => "Checking VPC Changes",
            Category::Kms => "Checking KMS Key Changes",
            Category::Other => "Checking Other Changes",
        }
    }

    /// A short title, e.g. `IAM Changes`.
    pub fn title(self) -> &'static str {
        match self {
            Category::ResourceDeletions => "Resource Deletions",
            Category::SecurityGroups => "Security Group Changes",
            Category::Iam => "IAM Changes",
            Category::Database => "Database Changes",
            Category::Vpc => "VPC Changes",
            Category::Kms => "KMS Key Changes",
            Category::Other => "Other Changes",
        }
    }
}

/// One rule, with the documentation `plangate explain` prints.
#[derive(Debug)]
#[non_exhaustive]
pub struct Rule {
    /// Stable id, e.g. `PG-DEL-001`. Never reused for another meaning.
    pub id: &'static str,
    /// One line saying what the rule finds.
    pub title: &'static str,
    /// The family its findings are filed under (some findings override it).
    pub category: Category,
    /// The severity it reports with unless the configuration says otherwise.
    pub severity: Severity,
    /// Markdown: why it matters, what triggers it, an example.
    pub doc: &'static str,
    /// Judged across the whole plan rather than change by change: its severity cannot be
    /// configured, because it is never counted.
    pub plan_wide: bool,
}

/// A rule as `plangate rules -f json` and the bindings list it: id, title, severity, category, doc.
impl Serialize for Rule {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut rule = serializer.serialize_struct("Rule", 5)?;
        rule.serialize_field("id", self.id)?;
        rule.serialize_field("title", self.title)?;
        rule.serialize_field("severity", &self.severity)?;
        rule.serialize_field("category", &self.category)?;
        rule.serialize_field("doc", self.doc)?;
        rule.end()
    }
}

/// Rules are one per id.
impl PartialEq for Rule {
    fn eq(&self, other: &Rule) -> bool {
        self.id == other.id
    }
}

impl Eq for Rule {}

impl Rule {
    /// The documentation as plain text, for places that show no Markdown (SARIF `help.text`):
    /// emphasis and code marks removed, paragraphs kept.
    pub fn doc_text(&self) -> String {
        self.doc.replace("**", "").replace('`', "")
    }

    /// What `plangate explain` prints: the id, title, severity, family and documentation.
    pub fn explanation(&self) -> String {
        format!(
            "{} — {}\nseverity: {}\nfamily: {}\n\n{}\n",
            self.id,
            self.title,
            self.severity.as_str(),
            self.category.title(),
            self.doc
        )
    }

    /// The first paragraph of the documentation ("why it matters"), as plain text.
    pub fn summary(&self) -> String {
        let first = self.doc.split("\n\n").next().unwrap_or(self.doc);
        first.replace("**Why it matters.** ", "").replace("**", "").replace('`', "")
    }
}

/// Every rule, family by family, as the registry files declare them: the order `plangate rules`,
/// `plangate explain` and SARIF's rule table list them in.
pub fn rules() -> &'static [&'static Rule] {
    static RULES: LazyLock<Vec<&'static Rule>> = LazyLock::new(|| {
        any::DECLARED
            .iter()
            .chain(aws::DECLARED)
            .chain(azure::DECLARED)
            .chain(google::DECLARED)
            .flat_map(|family| family.iter().copied())
            .collect()
    });
    &RULES
}

/// The built-in rule with this id (case-insensitive).
pub fn find(id: &str) -> Option<&'static Rule> {
    rules().iter().copied().find(|rule| rule.id.eq_ignore_ascii_case(id))
}

/// The rule a finding names: built-in, or one of the users' own rules a loaded policy declared.
pub fn describe(id: &str) -> Option<&'static Rule> {
    find(id).or_else(|| custom::find_declared(id))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_unique_well_formed_and_documented() {
        let mut ids: Vec<&str> = rules().iter().map(|r| r.id).collect();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), rules().len(), "duplicate rule id");
        for rule in rules().iter() {
            assert!(rule.id.starts_with("PG-") && rule.id.len() >= 9, "{}", rule.id);
            for section in ["**Why it matters.**", "**What triggers it.**", "**Example.**"] {
                assert!(rule.doc.contains(section), "{} doc lacks {section}", rule.id);
            }
            assert!(!rule.doc_text().contains("**") && !rule.doc_text().contains('`'), "{}", rule.id);
        }
        assert_eq!(find("pg-del-001").map(|r| r.id), Some("PG-DEL-001"));
        let plan_wide: Vec<&str> = rules().iter().filter(|r| r.plan_wide).map(|r| r.id).collect();
        assert_eq!(plan_wide, ["PG-DEL-004", "PG-READ-001", "PG-READ-002", "PG-WVR-001"]);
    }
}

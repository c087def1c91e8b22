//! A finding: one thing a reviewer must see about one resource change. Findings are data, never
//! errors, and never carry a value the plan marks sensitive.

use serde::Serialize;

/// How bad a finding is. Ordered: `Notice < High < Critical`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Worth knowing, never counted.
    Notice,
    /// Counted in `high_risk_changes`.
    High,
    /// Counted in `critical_changes`.
    Critical,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Critical => "critical",
            Severity::High => "high",
            Severity::Notice => "notice",
        }
    }
}

/// The check families of the pipeline script plangate replaces, in the order reports show them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Category {
    ResourceDeletions,
    SecurityGroups,
    Iam,
    Database,
    Vpc,
    Kms,
    Other,
}

impl Category {
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

    /// The family a change to a resource of this type belongs to, when no rule says otherwise.
    pub fn for_resource_type(resource_type: &str) -> Category {
        let t = resource_type;
        if t.starts_with("aws_security_group") || t.starts_with("aws_vpc_security_group_") {
            Category::SecurityGroups
        } else if t.starts_with("aws_iam_") {
            Category::Iam
        } else if t.starts_with("aws_db_") || t.starts_with("aws_rds_") {
            Category::Database
        } else if t.starts_with("aws_kms_") {
            Category::Kms
        } else if t.starts_with("aws_vpc")
            || t.starts_with("aws_subnet")
            || (t.starts_with("aws_route") && !t.starts_with("aws_route53"))
            || t.starts_with("aws_network_acl")
            || matches!(t, "aws_internet_gateway" | "aws_nat_gateway" | "aws_egress_only_internet_gateway")
        {
            Category::Vpc
        } else {
            Category::Other
        }
    }
}

/// One finding about one resource change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    pub address: String,
    #[serde(rename = "type")]
    pub resource_type: String,
    pub actions: &'static [&'static str],
    pub severity: Severity,
    pub rule: &'static str,
    pub category: Category,
    pub message: String,
    /// Set when a waiver accepts this finding: it stays in the report but does not count.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub waived: Option<crate::policy::Waived>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resource_types_fall_into_families() {
        assert_eq!(Category::for_resource_type("aws_vpc_security_group_ingress_rule"), Category::SecurityGroups);
        assert_eq!(Category::for_resource_type("aws_iam_role_policy"), Category::Iam);
        assert_eq!(Category::for_resource_type("aws_rds_cluster"), Category::Database);
        assert_eq!(Category::for_resource_type("aws_route_table"), Category::Vpc);
        assert_eq!(Category::for_resource_type("aws_route53_zone"), Category::Other);
        assert_eq!(Category::for_resource_type("aws_kms_key"), Category::Kms);
    }
}

//! The rules of the `iam` family: ids, titles, severities and the documentation `plangate
//! explain` prints. The family in `rules::aws::iam` reports them.

use crate::registry::{Category, Rule, Severity};

pub static WILDCARD_ON_EVERYTHING: Rule = Rule {
    id: "PG-IAM-001",
    title: "Wildcard actions granted on every resource",
    category: Category::Iam,
    severity: Severity::Critical,
    doc: "**Why it matters.** `Action: \"*\"` or `service:*` on `Resource: \"*\"` hands over a whole \
service, or the whole account: reading every table, deleting every bucket, rewriting IAM.\n\n\
**What triggers it.** A policy document (`aws_iam_policy`, `aws_iam_role_policy`, \
`aws_iam_user_policy`, `aws_iam_group_policy`, inline policies of `aws_iam_role`, an IAM Identity \
Center permission set's `aws_ssoadmin_permission_set_inline_policy`) that newly \
allows `*` or `service:*` (or `NotAction`) on `*` (or `NotResource`), or patterns that match as \
much written another way (`*:*`, `*?`, `arn:*`, `arn:aws:*:*:*:*`).\n\n\
**Example.** `dynamodb:PutItem` on one table changed to `dynamodb:*` on `*` reports \
`aws_iam_role_policy.audit_system now grants dynamodb:* on every resource (*)`.",
    plan_wide: false,
};

pub static TRUST_ANYONE: Rule = Rule {
    id: "PG-IAM-002",
    title: "Trust policy lets any principal assume the role",
    category: Category::Iam,
    severity: Severity::Critical,
    doc: "**Why it matters.** A trust policy with `Principal: \"*\"` or `{\"AWS\": \"*\"}` and no \
condition lets any AWS account assume the role and use everything it can do.\n\n\
**What triggers it.** An `assume_role_policy` of `aws_iam_role` that now has an Allow statement \
for any principal without a `Condition`.\n\n\
**Example.** `Principal = { Service = \"codebuild.amazonaws.com\" }` changed to \
`{ AWS = \"*\" }` reports `aws_iam_role.deployer: the trust policy now lets any principal assume \
the role`.",
    plan_wide: false,
};

pub static ADMINISTRATOR_ATTACHED: Rule = Rule {
    id: "PG-IAM-003",
    title: "Administrator-equivalent managed policy attached",
    category: Category::Iam,
    severity: Severity::Critical,
    doc: "**Why it matters.** `AdministratorAccess` allows everything; `IAMFullAccess` lets the \
holder grant itself everything. Either makes the principal an account administrator.\n\n\
**What triggers it.** A new `aws_iam_*_policy_attachment`, `aws_ssoadmin_managed_policy_attachment` \
(an IAM Identity Center permission set: everyone it is assigned to, in every account it reaches) \
or a new entry in `managed_policy_arns`, of `arn:aws:iam::aws:policy/AdministratorAccess` or \
`arn:aws:iam::aws:policy/IAMFullAccess`, in any partition (`arn:aws-us-gov:`, `arn:aws-cn:`, ...).\n\n\
**Example.** `aws_iam_role_policy_attachment.deployer_admin` with \
`policy_arn = \"arn:aws:iam::aws:policy/AdministratorAccess\"` reports \
`aws_iam_role_policy_attachment.deployer_admin attaches AdministratorAccess: full administrator access`.",
    plan_wide: false,
};

pub static ESCALATION_GRANTED: Rule = Rule {
    id: "PG-IAM-004",
    title: "Privilege-escalation actions granted",
    category: Category::Iam,
    severity: Severity::High,
    doc: "**Why it matters.** Actions like `iam:PassRole`, `iam:CreateAccessKey`, \
`iam:PutRolePolicy`, `iam:AttachRolePolicy` or `iam:CreatePolicyVersion` let a principal give \
itself or others more access than the policy shows.\n\n\
**What triggers it.** A policy document that newly allows one of these actions (directly or \
through a pattern such as `iam:*` on specific resources).\n\n\
**Example.** Adding `iam:PassRole` and `iam:CreateAccessKey` on `*` to `aws_iam_policy.read_reports` \
reports `aws_iam_policy.read_reports newly grants privilege-escalation actions: iam:PassRole, \
iam:CreateAccessKey on *`.",
    plan_wide: false,
};

pub static PERMISSIONS_BROADENED: Rule = Rule {
    id: "PG-IAM-005",
    title: "IAM permissions broadened",
    category: Category::Iam,
    severity: Severity::High,
    doc: "**Why it matters.** Every new permission, trusted principal or attached policy widens what \
can be done in the account; a reviewer should confirm it is meant.\n\n\
**What triggers it.** A policy document that newly allows an action on a resource no old \
statement covered, a trust policy that trusts a new principal, a new managed-policy attachment \
(other than the administrator-equivalent ones of PG-IAM-003; a principal added to an exclusive \
`aws_iam_policy_attachment` is one), or a user added to a group (`aws_iam_group_membership`, \
`aws_iam_user_group_membership`), who gets every permission the group holds. Grants are compared as allows \
minus denies, with conditions as part of the grant: an `Allow` that loses a `Condition` (MFA, \
source IP, region, organization, external id), a `Deny` statement removed or narrowed, or a \
Deny-only policy deleted widens what is allowed and is reported (as PG-IAM-001 or PG-IAM-004 when \
what is now allowed is theirs).\n\n\
**Example.** Adding `s3:PutObject` on `arn:aws:s3:::reports/*` reports \
`aws_iam_policy.reports broadens permissions: s3:PutObject on arn:aws:s3:::reports/*`.",
    plan_wide: false,
};

pub static POLICY_UNVERIFIABLE: Rule = Rule {
    id: "PG-IAM-006",
    title: "IAM policy cannot be verified before apply",
    category: Category::Iam,
    severity: Severity::High,
    doc: "**Why it matters.** A policy known only after apply (or sensitive, or unreadable) could \
grant anything; plangate never treats that as safe.\n\n\
**What triggers it.** A new or changed policy document, trust policy or `policy_arn` (`managed_policy_arn`) that is \
unknown in `after_unknown`, marked sensitive, or not valid policy JSON.\n\n\
**Example.** `policy = data.aws_iam_policy_document.dynamic.json` depending on a resource not yet \
created reports `aws_iam_policy.dynamic cannot be verified before apply: the policy is known only \
after apply`.",
    plan_wide: false,
};

pub static FEDERATED_ANYONE: Rule = Rule {
    id: "PG-IAM-008",
    title: "Federated trust without a subject restriction",
    category: Category::Iam,
    severity: Severity::Critical,
    doc: "**Why it matters.** A role that trusts an OpenID Connect provider accepts any token that \
provider issues: GitHub issues tokens to every workflow of every repository in the world, HCP \
Terraform to every workspace, Cognito to every identity pool. Without a condition on the token's \
subject (`sub`, or `aud` for Cognito) anyone can assume the role from their own repository or \
workspace.\n\n\
**What triggers it.** An `assume_role_policy` of `aws_iam_role` that newly trusts a `Federated` \
principal (an OIDC provider: GitHub Actions, GitLab, HCP Terraform, a Kubernetes cluster, \
Cognito, Google; or a SAML provider without any `saml:` condition) with no positive condition on \
the subject, or with one that matches any owner (`repo:*`, `*`, `organization:*`). In \
`StringEquals` a `*` is a character, not a wildcard. A subject pinned to a repository \
(`repo:acme/app:ref:refs/heads/main`) is not this rule's: it is an ordinary trust change.\n\n\
**Example.** A trust of `token.actions.githubusercontent.com` with `StringLike \
token.actions.githubusercontent.com:sub = repo:*` reports `aws_iam_role.deploy: anyone with a \
token from GitHub Actions (token.actions.githubusercontent.com) can assume the role: \
token.actions.githubusercontent.com:sub repo:*`.",
    plan_wide: false,
};

pub static FEDERATED_ORGANISATION: Rule = Rule {
    id: "PG-IAM-009",
    title: "Federated trust for a whole organisation",
    category: Category::Iam,
    severity: Severity::High,
    doc: "**Why it matters.** A subject restricted only to an organisation (`repo:acme/*`, \
`project_path:acme/*`, `organization:acme:*`) lets every repository, project or workspace of it \
assume the role: one compromised or careless repository is enough.\n\n\
**What triggers it.** An `assume_role_policy` of `aws_iam_role` that newly trusts a `Federated` \
OIDC principal whose subject condition fixes the owner but matches any repository, project or \
workspace of it (or names only the `repository_owner`).\n\n\
**Example.** `StringLike token.actions.githubusercontent.com:sub = repo:acme/*` reports \
`aws_iam_role.deploy: every repository or project of acme with a token from GitHub Actions \
(token.actions.githubusercontent.com) can assume the role: token.actions.githubusercontent.com:sub \
repo:acme/*`.",
    plan_wide: false,
};

/// The rules declared here, in the order `plangate rules` lists them.
pub(super) static DECLARED: &[&Rule] = &[
    &WILDCARD_ON_EVERYTHING,
    &TRUST_ANYONE,
    &ADMINISTRATOR_ATTACHED,
    &ESCALATION_GRANTED,
    &PERMISSIONS_BROADENED,
    &POLICY_UNVERIFIABLE,
    &FEDERATED_ANYONE,
    &FEDERATED_ORGANISATION,
];

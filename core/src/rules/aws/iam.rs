//! IAM Changes: the permissions policy documents grant, trust policies, managed-policy
//! attachments, group memberships, and the organization's guardrails (service and resource control
//! policies), diffed between before and after. Only what is newly granted or permitted is reported;
//! removing permissions is not a risk.

use crate::plan::{Action, Attr, Change};
use crate::registry::{
    Category, ADMINISTRATOR_ATTACHED, ESCALATION_GRANTED, FEDERATED_ANYONE, FEDERATED_ORGANISATION,
    PERMISSIONS_BROADENED, POLICY_UNVERIFIABLE, TRUST_ANYONE, WILDCARD_ON_EVERYTHING,
};
use crate::rules::model::federation::{self, Reach, Trust};
use crate::rules::model::policy_document::{
    self, changed_denial_conditions, dropped_conditions, widening, Condition, Document, Grant, ADMINISTRATOR_POLICIES,
};
use crate::rules::{list_names, not_covered, nothing_else, Context, Family, Hit};

/// The types that hold one policy document, and the attribute that holds it. An IAM Identity Center
/// permission set's inline policy is granted to everyone the set is assigned to, in every account
/// it is provisioned to.
const POLICY_TYPES: &[(&str, &str)] = &[
    ("aws_iam_policy", "policy"),
    ("aws_iam_role_policy", "policy"),
    ("aws_iam_user_policy", "policy"),
    ("aws_iam_group_policy", "policy"),
    ("aws_ssoadmin_permission_set_inline_policy", "inline_policy"),
    ("aws_organizations_policy", "content"),
];
/// The kinds of organization policy that are IAM documents: they grant nothing, they cap what the
/// accounts' own policies can, so what they newly permit is a guardrail loosened. (Tag, backup and
/// opt-out policies are other formats.)
const GUARDRAIL_KINDS: &[&str] = &["SERVICE_CONTROL_POLICY", "RESOURCE_CONTROL_POLICY"];

/// Whether the change is to an organization policy of a kind that is not an IAM document (or a
/// kind not known before apply): its type is read, its content never, so its creates and updates
/// stay unjudged (`any::unjudged`) rather than passing as judged.
pub(crate) fn unread_organization_policy(change: &Change) -> bool {
    change.resource_type == "aws_organizations_policy"
        && !change.values().after().get("type").as_str().is_some_and(|k| GUARDRAIL_KINDS.contains(&k))
}

/// The types that attach one managed policy, and the attribute that names it. An EKS access policy
/// association grants Kubernetes permissions on a cluster (`AmazonEKSClusterAdminPolicy`: all of
/// them, Secrets included) to an IAM principal.
const ATTACHMENT_TYPES: &[(&str, &str)] = &[
    ("aws_iam_role_policy_attachment", "policy_arn"),
    ("aws_iam_user_policy_attachment", "policy_arn"),
    ("aws_iam_group_policy_attachment", "policy_arn"),
    ("aws_iam_policy_attachment", "policy_arn"),
    ("aws_ssoadmin_managed_policy_attachment", "managed_policy_arn"),
    ("aws_eks_access_policy_association", "policy_arn"),
];

/// The attribute of `resource_type` in `table` (one of the two above).
fn attribute_of(table: &[(&str, &'static str)], resource_type: &str) -> Option<&'static str> {
    table.iter().find(|(t, _)| *t == resource_type).map(|(_, attribute)| *attribute)
}

/// What a change newly grants.
#[derive(Default)]
struct Delta {
    grants: Vec<Grant>,
    /// Those of `grants` a removed Deny no longer blocks.
    unblocked: Vec<Grant>,
    /// The old and new documents, to say which conditions a grant lost or a denial changed.
    before_policies: Vec<Document>,
    after_policies: Vec<Document>,
    /// Denials removed with no allow of the change's own documents in sight.
    lifted: Vec<Grant>,
    /// What a service or resource control policy newly permits: allowed, or no longer denied.
    loosened: Vec<Grant>,
    anyone_trusted: bool,
    /// Federated principals that now reach further than before.
    federated: Vec<Trust>,
    principals: Vec<String>,
    managed: Vec<String>,
    /// "user mallory to group admins": members a group newly has, who get all it holds; a role an
    /// instance profile now carries.
    memberships: Vec<String>,
    unverifiable: Option<&'static str>,
}

fn delta(change: &Change) -> Delta {
    let t = change.resource_type.as_ref();
    let relevant = FAMILY.types.contains(&t);
    const GRANTING: [&str; 11] = [
        "policy",
        "assume_role_policy",
        "inline_policy",
        "managed_policy_arns",
        "policy_arn",
        "managed_policy_arn",
        "content",
        "users",
        "roles",
        "groups",
        "role",
    ];
    // Deleting a policy document takes its Deny statements with it: that can widen, so policy
    // deletions are read (with nothing after); other deletions only take permissions away.
    let deleted_policy = change.action == Action::Delete && attribute_of(POLICY_TYPES, t).is_some();
    if !relevant
        || (matches!(change.action, Action::Delete | Action::Forget) && !deleted_policy)
        || !GRANTING.iter().any(|a| change.attribute_changed(a))
    {
        return Delta::default();
    }
    let values = change.values();
    let (before, after) = (values.before(), values.after());
    let mut delta = Delta::default();
    // A new guardrail only restricts, and one deleted must first be detached (which the meanings
    // family reports): only a changed document can loosen one.
    let guardrail = t == "aws_organizations_policy";
    if guardrail
        && (unread_organization_policy(change) || !(change.action == Action::Update || change.action.is_replace()))
    {
        return delta;
    }

    let before_policies = policy_documents(t, before);
    let after_policies = policy_documents(t, after);
    delta.unverifiable = after_policies.iter().find_map(|d| match d {
        Document::Unverifiable(why) => Some(*why),
        _ => None,
    });
    let widening = widening(&before_policies, &after_policies);
    if guardrail {
        // A document known only after apply is reported as such, not read as no document.
        if delta.unverifiable.is_none() {
            // A grant both newly allowed and no longer denied is said once.
            let also_lifted = not_covered(&widening.grants, &widening.lifted, |old, new| old == new);
            delta.loosened = widening.grants.into_iter().chain(also_lifted).collect();
        }
    } else {
        delta.grants = widening.grants;
        delta.lifted = widening.lifted;
    }
    delta.unblocked = widening.unblocked;
    delta.before_policies = before_policies;
    delta.after_policies = after_policies;

    if t == "aws_iam_role" {
        let old_trust = Document::read(before.get("assume_role_policy"));
        let new_trust = Document::read(after.get("assume_role_policy"));
        if let Document::Unverifiable(why) = new_trust {
            delta.unverifiable.get_or_insert(why);
        }
        delta.anyone_trusted = new_trust.allows_anyone() && !old_trust.allows_anyone();
        let old_federated = federation::trusts(&old_trust);
        delta.federated = federation::trusts(&new_trust)
            .into_iter()
            .filter(|new| new.reach > Reach::Pinned)
            .filter(|new| !old_federated.iter().any(|old| old.provider == new.provider && old.reach >= new.reach))
            .collect();
        // A principal is newly trusted unless the old policy trusted it with no condition it lacks now.
        let old_principals = old_trust.principals();
        delta.principals = new_trust
            .principals()
            .into_iter()
            .filter_map(|(principal, conditions)| {
                let earlier: Vec<&Vec<Condition>> =
                    old_principals.iter().filter(|(p, _)| *p == principal).map(|(_, c)| c).collect();
                if earlier.iter().any(|old| old.iter().all(|c| conditions.contains(c))) {
                    None
                } else if earlier.is_empty() {
                    Some(principal)
                } else {
                    Some(format!("{principal} (now with fewer conditions)"))
                }
            })
            .collect();
    }

    let (old_arns, new_arns) = (managed_arns(t, before), managed_arns(t, after));
    delta.managed = new_arns.into_iter().filter(|arn| !old_arns.contains(arn)).collect();
    if t == "aws_eks_access_policy_association" {
        delta.managed = delta.managed.iter().map(|arn| cluster_access(arn, after)).collect();
    }
    // Who a change puts where permissions already are: a group's new members, and principals
    // added to an exclusive policy attachment (the policy attached to them anew).
    let member_lists: &[&str] = match t {
        "aws_iam_user_group_membership" => &["groups"],
        "aws_iam_group_membership" => &["users"],
        "aws_iam_policy_attachment" => &["users", "roles", "groups"],
        "aws_iam_instance_profile" if change.action == Action::Update => &["role"],
        _ => &[],
    };
    if t == "aws_iam_policy_attachment"
        && delta.managed.is_empty()
        && member_lists.iter().any(|list| !added(before, after, list).is_empty())
    {
        delta.managed = managed_arns(t, after);
    }
    delta.memberships = memberships(t, before, after);
    if member_lists.iter().any(|list| after.get(list).is_unknown()) {
        delta.unverifiable.get_or_insert("who is added is known only after apply");
    }
    // A role's `managed_policy_arns` and `inline_policy` are computed when the configuration does
    // not set them: wholly unknown says nothing unless the old state had entries there. A list with
    // an unknown entry among known ones cannot be verified.
    let arn_unverifiable = if t == "aws_iam_role" {
        let arns = after.get("managed_policy_arns");
        (arns.is_wholly_unknown() && !old_arns.is_empty())
            || (arns.is_unknown() && !arns.is_wholly_unknown())
            || arns.is_sensitive()
    } else {
        attribute_of(ATTACHMENT_TYPES, t).is_some_and(|name| {
            let arn = after.get(name);
            arn.is_unknown() || arn.is_sensitive()
        })
    };
    if arn_unverifiable {
        delta.unverifiable.get_or_insert("the attached policy is known only after apply");
    }
    let had_inline = before.get("inline_policy").elements().next().is_some();
    if t == "aws_iam_role" && after.get("inline_policy").is_wholly_unknown() && had_inline {
        delta.unverifiable.get_or_insert("the inline policies are known only after apply");
    }
    delta
}

fn policy_documents(resource_type: &str, side: Attr<'_>) -> Vec<Document> {
    if let Some(name) = attribute_of(POLICY_TYPES, resource_type) {
        vec![Document::read(side.get(name))]
    } else if resource_type == "aws_iam_role" {
        side.get("inline_policy").elements().map(|block| Document::read(block.get("policy"))).collect()
    } else {
        Vec::new()
    }
}

/// The names in list `name` of `after` that it did not hold before.
fn added(before: Attr<'_>, after: Attr<'_>, name: &str) -> Vec<String> {
    let names = |side: Attr<'_>| -> Vec<String> {
        side.get(name).elements().filter_map(Attr::as_str).map(str::to_owned).collect()
    };
    not_covered(&names(before), &names(after), |old, new| old == new)
}

/// The members a group membership newly adds, as "user bob to group admins", or the role an
/// existing instance profile now carries.
fn memberships(resource_type: &str, before: Attr<'_>, after: Attr<'_>) -> Vec<String> {
    let named = |attribute: &str| after.get(attribute).as_str().unwrap_or("(known after apply)").to_owned();
    match resource_type {
        "aws_iam_user_group_membership" => {
            let user = named("user");
            added(before, after, "groups").iter().map(|group| format!("user {user} to group {group}")).collect()
        }
        "aws_iam_group_membership" => {
            let group = named("group");
            added(before, after, "users").iter().map(|user| format!("user {user} to group {group}")).collect()
        }
        // A new profile is how a role reaches instances; one that changes role hands every
        // instance launched with it (or running with it) the new role's permissions.
        "aws_iam_instance_profile" if before.get("role").as_str().is_some() => {
            let profile = named("name");
            let role = after.get("role").as_str().filter(|role| Some(*role) != before.get("role").as_str());
            role.map(|role| format!("role {role} to instance profile {profile}")).into_iter().collect()
        }
        _ => Vec::new(),
    }
}

fn managed_arns(resource_type: &str, side: Attr<'_>) -> Vec<String> {
    let attr = match attribute_of(ATTACHMENT_TYPES, resource_type) {
        Some(name) => side.get(name),
        None if resource_type == "aws_iam_role" => side.get("managed_policy_arns"),
        None => return Vec::new(),
    };
    let single = attr.as_str().map(str::to_owned);
    single.into_iter().chain(attr.elements().filter_map(Attr::as_str).map(str::to_owned)).collect()
}

/// "AmazonEKSClusterAdminPolicy to arn:…:role/ci on the whole cluster prod": what an EKS access
/// policy association grants, to whom and where.
fn cluster_access(arn: &str, association: Attr<'_>) -> String {
    let policy = arn.rsplit('/').next().unwrap_or(arn);
    let principal = association.get("principal_arn").as_str().unwrap_or("a principal known only after apply");
    let cluster = association.get("cluster_name").as_str().unwrap_or("(known after apply)");
    let scope = association.get("access_scope").elements().next();
    let namespaces: Vec<String> = scope
        .into_iter()
        .flat_map(|s| s.get("namespaces").elements().filter_map(Attr::as_str).map(str::to_owned))
        .collect();
    let place = match scope.and_then(|s| s.get("type").as_str()) {
        Some("namespace") if namespaces.is_empty() => format!("namespaces of cluster {cluster}"),
        Some("namespace") => format!("namespaces {} of cluster {cluster}", list_names(&namespaces, 3)),
        _ => format!("the whole cluster {cluster}"),
    };
    format!("{policy} to {principal} on {place}")
}

/// Whether `arn` names an AWS managed administrator policy, in any partition (`aws`, `aws-cn`,
/// `aws-us-gov`, `aws-iso`...): GovCloud's `arn:aws-us-gov:iam::aws:policy/AdministratorAccess`
/// is the same policy as the commercial one.
fn is_administrator(arn: &str) -> bool {
    let mut parts = arn.splitn(6, ':');
    let (Some("arn"), Some(partition), Some("iam"), Some(""), Some("aws"), Some(resource)) =
        (parts.next(), parts.next(), parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return false;
    };
    let name = resource.rsplit('/').next().unwrap_or(resource);
    (partition == "aws" || partition.starts_with("aws-"))
        && resource.starts_with("policy/")
        && ADMINISTRATOR_POLICIES.contains(&name)
}

/// The grants with why each is new: "… on arn:…; iam:PassRole on * (now without the condition on
/// aws:multifactorauthpresent)".
fn describe_grants(grants: &[&Grant], delta: &Delta) -> String {
    policy_document::describe_grants(grants, |grant| why_new(grant, delta))
}

/// " (no longer denied)", " (its denial's condition on … changed)", " (now without the condition on
/// …)" or nothing, for a grant that is new only because something was taken away or changed.
fn why_new(grant: &Grant, delta: &Delta) -> String {
    let changed = changed_denial_conditions(&delta.before_policies, &delta.after_policies, grant);
    if !changed.is_empty() {
        return format!(" (its denial's condition on {} changed)", list_names(&changed, 3));
    }
    if delta.unblocked.contains(grant) {
        return " (no longer denied)".into();
    }
    let dropped = dropped_conditions(&delta.before_policies, grant);
    if dropped.is_empty() {
        String::new()
    } else {
        format!(" (now without the condition on {})", list_names(&dropped, 3))
    }
}

pub static FAMILY: Family = Family {
    rules: &[
        &WILDCARD_ON_EVERYTHING,
        &TRUST_ANYONE,
        &ADMINISTRATOR_ATTACHED,
        &ESCALATION_GRANTED,
        &PERMISSIONS_BROADENED,
        &POLICY_UNVERIFIABLE,
        &FEDERATED_ANYONE,
        &FEDERATED_ORGANISATION,
    ],
    types: &[
        "aws_iam_policy",
        "aws_iam_role_policy",
        "aws_iam_user_policy",
        "aws_iam_group_policy",
        "aws_iam_role_policy_attachment",
        "aws_iam_user_policy_attachment",
        "aws_iam_group_policy_attachment",
        "aws_iam_policy_attachment",
        "aws_iam_role",
        "aws_ssoadmin_permission_set_inline_policy",
        "aws_ssoadmin_managed_policy_attachment",
        "aws_eks_access_policy_association",
        "aws_organizations_policy",
        "aws_iam_user_group_membership",
        "aws_iam_group_membership",
        "aws_iam_instance_profile",
    ],
    category: Category::Iam,
    check,
    fallback: false,
    also_reads: nothing_else,
};

fn check(change: &Change, _: &Context) -> Vec<Hit> {
    let delta = delta(change);
    [
        wildcard_on_everything(change, &delta),
        trust_anyone(change, &delta),
        administrator_attached(change, &delta),
        escalation_granted(change, &delta),
        permissions_broadened(change, &delta),
        policy_unverifiable(change, &delta),
        federated_trust(change, &delta),
    ]
    .into_iter()
    .flatten()
    .collect()
}

fn wildcard_on_everything(change: &Change, delta: &Delta) -> Vec<Hit> {
    let grants: Vec<&Grant> = delta.grants.iter().filter(|g| g.is_everything()).collect();
    if grants.is_empty() {
        return Vec::new();
    }
    let actions: Vec<String> = grants.iter().map(|g| format!("{}{}", g.action_text(), why_new(g, delta))).collect();
    // `NotResource` grants name what they leave out.
    let resources: Vec<String> = grants.iter().map(|g| g.resource_text()).filter(|r| r != "*").collect();
    let on = if resources.is_empty() { "every resource (*)".to_string() } else { list_names(&resources, 2) };
    vec![Hit::new(
        &WILDCARD_ON_EVERYTHING,
        format!("{} now grants {} on {on}", change.display_name(), list_names(&actions, 5)),
    )]
}

fn trust_anyone(change: &Change, delta: &Delta) -> Vec<Hit> {
    if !delta.anyone_trusted {
        return Vec::new();
    }
    vec![Hit::new(
        &TRUST_ANYONE,
        format!("{}: the trust policy now lets any principal assume the role", change.display_name()),
    )]
}

fn federated_trust(change: &Change, delta: &Delta) -> Vec<Hit> {
    delta
        .federated
        .iter()
        .map(|trust| {
            let (rule, who) = match &trust.reach {
                Reach::Organisation(owner) => {
                    (&FEDERATED_ORGANISATION, format!("every repository or project of {owner}"))
                }
                _ => (&FEDERATED_ANYONE, "anyone".to_string()),
            };
            let name = change.display_name();
            Hit::new(
                rule,
                format!("{name}: {who} with a token from {} can assume the role: {}", trust.provider, trust.because),
            )
        })
        .collect()
}

fn administrator_attached(change: &Change, delta: &Delta) -> Vec<Hit> {
    delta
        .managed
        .iter()
        .filter(|arn| is_administrator(arn))
        .map(|arn| {
            let name = arn.rsplit('/').next().unwrap_or(arn);
            Hit::new(
                &ADMINISTRATOR_ATTACHED,
                format!("{} attaches {name}: full administrator access", change.display_name()),
            )
        })
        .collect()
}

fn escalation_granted(change: &Change, delta: &Delta) -> Vec<Hit> {
    let grants: Vec<&Grant> =
        delta.grants.iter().filter(|g| !g.is_everything() && !g.escalations().is_empty()).collect();
    if grants.is_empty() {
        return Vec::new();
    }
    vec![Hit::new(
        &ESCALATION_GRANTED,
        format!(
            "{} newly grants privilege-escalation actions: {}",
            change.display_name(),
            describe_grants(&grants, delta)
        ),
    )]
}

fn permissions_broadened(change: &Change, delta: &Delta) -> Vec<Hit> {
    let mut parts = Vec::new();
    let grants: Vec<&Grant> =
        delta.grants.iter().filter(|g| !g.is_everything() && g.escalations().is_empty()).collect();
    if !grants.is_empty() {
        parts.push(describe_grants(&grants, delta));
    }
    let principals: Vec<String> =
        delta.principals.iter().filter(|p| !(p.as_str() == "*" || p.ends_with(":*"))).cloned().collect();
    if !principals.is_empty() {
        parts.push(format!("trusts {}", list_names(&principals, 3)));
    }
    let managed: Vec<String> = delta.managed.iter().filter(|arn| !is_administrator(arn)).cloned().collect();
    if !managed.is_empty() {
        parts.push(format!("attaches {}", list_names(&managed, 3)));
    }
    if !delta.memberships.is_empty() {
        let held = match change.resource_type.as_ref() {
            "aws_iam_instance_profile" => ": instances using the profile get the role's permissions",
            _ => ", with every permission the group holds",
        };
        parts.push(format!("adds {}{held}", list_names(&delta.memberships, 3)));
    }
    if !delta.loosened.is_empty() {
        let loosened: Vec<&Grant> = delta.loosened.iter().collect();
        parts.push(format!(
            "the guardrail now permits {} in the accounts it applies to",
            describe_grants(&loosened, delta)
        ));
    }
    if !delta.lifted.is_empty() {
        let lifted: Vec<&Grant> = delta.lifted.iter().collect();
        parts.push(format!(
            "no longer denies {} (what other policies allow there is no longer blocked)",
            describe_grants(&lifted, &Delta::default())
        ));
    }
    if parts.is_empty() {
        return Vec::new();
    }
    vec![Hit::new(
        &PERMISSIONS_BROADENED,
        format!("{} broadens permissions: {}", change.display_name(), parts.join("; ")),
    )]
}

fn policy_unverifiable(change: &Change, delta: &Delta) -> Vec<Hit> {
    match delta.unverifiable {
        Some(why) => vec![Hit::new(
            &POLICY_UNVERIFIABLE,
            format!("{} cannot be verified before apply: {why}", change.display_name()),
        )],
        None => Vec::new(),
    }
}

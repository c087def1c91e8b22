//! Google Cloud IAM: who is granted which role, read alike from `google_*_iam_member` (one member),
//! `_iam_binding` (one role, its members), `_iam_policy` (the whole policy, as JSON) and the Cloud
//! Storage ACLs (`role_entity` pairs, one `entity` and `role`, or a predefined ACL) and BigQuery
//! dataset access entries (a dataset's `access` blocks, or one `google_bigquery_dataset_access`).
//! A grant to `allUsers` or `allAuthenticatedUsers` makes the resource public; owner, editor and
//! the roles that act as a service account, granted on an organization, folder or project, hand
//! over everything in it. Permissions added to a custom role reach everyone the role is granted to.

use serde_json::Value;

use crate::plan::{Action, Attr, Change};
use crate::registry::{Category, GOOGLE_PRIVILEGED_ROLE, GOOGLE_PUBLIC_GRANT, GOOGLE_ROLE_GRANTED};
use crate::rules::{not_covered, Context, Family, Hit};

/// Roles that control everything in a project, folder or organization, or act as any of its
/// service accounts.
const PRIVILEGED: &[&str] = &[
    "roles/owner",
    "roles/editor",
    "roles/iam.serviceAccountTokenCreator",
    "roles/iam.serviceAccountUser",
    "roles/iam.serviceAccountKeyAdmin",
    "roles/iam.workloadIdentityUser",
    "roles/iam.securityAdmin",
    "roles/resourcemanager.organizationAdmin",
    "roles/resourcemanager.folderAdmin",
    "roles/resourcemanager.projectIamAdmin",
];

/// Members that are anyone on the internet, or anyone with a Google account.
const PUBLIC: &[&str] = &["allUsers", "allAuthenticatedUsers"];

/// The IAM resources of a whole organization, folder or project.
const HIERARCHY: &[&str] = &[
    "google_organization_iam_member",
    "google_organization_iam_binding",
    "google_organization_iam_policy",
    "google_folder_iam_member",
    "google_folder_iam_binding",
    "google_folder_iam_policy",
    "google_project_iam_member",
    "google_project_iam_binding",
    "google_project_iam_policy",
];

pub static FAMILY: Family = Family {
    rules: &[&GOOGLE_PUBLIC_GRANT, &GOOGLE_PRIVILEGED_ROLE, &GOOGLE_ROLE_GRANTED],
    types: HIERARCHY,
    category: Category::Iam,
    check,
    fallback: false,
    also_reads: |t| form(t).is_some() || CUSTOM_ROLES.contains(&t),
};

const CUSTOM_ROLES: &[&str] = &["google_project_iam_custom_role", "google_organization_iam_custom_role"];

#[derive(Clone, Copy, PartialEq, Eq)]
enum Form {
    Member,
    Binding,
    Policy,
    Acl,
    Dataset,
}

/// The Cloud Storage ACL types: they grant `READER`, `WRITER` or `OWNER` to entities such as
/// `allUsers`, alongside IAM.
const ACLS: &[&str] = &[
    "google_storage_bucket_acl",
    "google_storage_object_acl",
    "google_storage_default_object_acl",
    "google_storage_bucket_access_control",
    "google_storage_object_access_control",
    "google_storage_default_object_access_control",
];

/// Predefined ACLs that admit anyone, and who they admit.
const PUBLIC_ACLS: &[(&str, &str)] =
    &[("publicRead", "allUsers"), ("publicReadWrite", "allUsers"), ("authenticatedRead", "allAuthenticatedUsers")];

fn form(resource_type: &str) -> Option<Form> {
    let rest = resource_type.strip_prefix("google_")?;
    if ACLS.contains(&resource_type) {
        return Some(Form::Acl);
    }
    if matches!(resource_type, "google_bigquery_dataset" | "google_bigquery_dataset_access") {
        return Some(Form::Dataset);
    }
    if rest.ends_with("_iam_member") {
        Some(Form::Member)
    } else if rest.ends_with("_iam_binding") {
        Some(Form::Binding)
    } else if rest.ends_with("_iam_policy") {
        Some(Form::Policy)
    } else {
        None
    }
}

/// One role granted to one member.
#[derive(Clone, PartialEq, Eq)]
struct Grant {
    role: String,
    member: String,
}

/// The grants one side holds; `None` when they cannot be read (known only after apply, sensitive,
/// or a policy that is not JSON).
fn grants(form: Form, side: Attr<'_>) -> Option<Vec<Grant>> {
    let grant = |role: &str, member: &str| Grant { role: role.to_string(), member: member.to_string() };
    match form {
        Form::Member => {
            let (role, member) = (side.get("role"), side.get("member"));
            if !role.is_present() && !member.is_present() {
                return Some(Vec::new());
            }
            Some(vec![grant(role.as_str()?, member.as_str()?)])
        }
        Form::Binding => {
            let role = side.get("role");
            if !role.is_present() {
                return Some(Vec::new());
            }
            let role = role.as_str()?;
            let members = side.get("members");
            if members.is_unknown() || members.is_sensitive() {
                return None;
            }
            members.elements().map(|m| m.as_str().map(|m| grant(role, m))).collect()
        }
        Form::Policy => {
            let data = side.get("policy_data");
            if !data.is_present() {
                return Some(Vec::new());
            }
            let policy: Value = serde_json::from_str(data.as_str()?).ok()?;
            let bindings = policy.get("bindings").and_then(Value::as_array).map(Vec::as_slice).unwrap_or_default();
            let mut grants = Vec::new();
            for binding in bindings {
                let role = binding.get("role").and_then(Value::as_str)?;
                for member in binding.get("members").and_then(Value::as_array).map(Vec::as_slice).unwrap_or_default() {
                    grants.push(grant(role, member.as_str()?));
                }
            }
            Some(grants)
        }
        Form::Acl => {
            let mut grants = Vec::new();
            let pairs = side.get("role_entity");
            if pairs.is_unknown() || pairs.is_sensitive() {
                return None;
            }
            for pair in pairs.elements() {
                let (role, entity) = pair.as_str()?.split_once(':')?;
                grants.push(grant(role, entity));
            }
            let (role, entity) = (side.get("role"), side.get("entity"));
            if role.is_present() || entity.is_present() {
                grants.push(grant(role.as_str()?, entity.as_str()?));
            }
            let predefined = side.get("predefined_acl");
            if predefined.is_present() {
                let name = predefined.as_str()?;
                if let Some((_, who)) = PUBLIC_ACLS.iter().find(|(acl, _)| acl.eq_ignore_ascii_case(name)) {
                    grants.push(grant(name, who));
                }
            }
            Some(grants)
        }
        // A dataset's `access` is computed when the configuration sets none: wholly unknown, it
        // grants nothing the plan could show. One access resource is one entry.
        Form::Dataset => {
            let access = side.get("access");
            if access.is_wholly_unknown() && !access.is_sensitive() {
                return Some(Vec::new());
            }
            let entries: Vec<Attr<'_>> = if access.is_present() { access.elements().collect() } else { vec![side] };
            let mut grants = Vec::new();
            for entry in entries {
                grants.extend(dataset_entry(entry)?);
            }
            Some(grants)
        }
    }
}

/// Who one dataset access entry admits, as an IAM member (`user:a@example.com`, `allUsers`);
/// nothing for an authorized view, routine or dataset, which is no principal.
fn dataset_entry(entry: Attr<'_>) -> Option<Option<Grant>> {
    const PRINCIPALS: &[(&str, &str)] = &[
        ("special_group", ""),
        ("iam_member", ""),
        ("user_by_email", "user:"),
        ("group_by_email", "group:"),
        ("domain", "domain:"),
    ];
    // Plans write every field of an entry, those not set as empty strings.
    let set = |name: &str| entry.get(name).is_present() && entry.get(name).as_str() != Some("");
    let Some((name, prefix)) = PRINCIPALS.iter().find(|(name, _)| set(name)) else {
        return Some(None);
    };
    let member = entry.get(name).as_str()?;
    let role = entry.get("role").as_str()?;
    Some(Some(Grant { role: role.to_string(), member: format!("{prefix}{member}") }))
}

fn check(change: &Change, _: &Context) -> Vec<Hit> {
    if !(change.action == Action::Create || change.action == Action::Update || change.action.is_replace()) {
        return Vec::new();
    }
    if CUSTOM_ROLES.contains(&change.resource_type.as_ref()) {
        return custom_role_widened(change);
    }
    let Some(form) = form(&change.resource_type) else { return Vec::new() };
    let name = change.display_name();
    let values = change.values();
    let Some(after) = grants(form, values.after()) else {
        return vec![Hit::new(
            &GOOGLE_ROLE_GRANTED,
            format!("{name}: who is granted which role is known only after apply: cannot be verified before apply"),
        )];
    };
    // Grants that could not be read before count as absent: what the change grants is reported.
    let before = grants(form, values.before()).unwrap_or_default();
    let added = not_covered(&before, &after, |old, new| old == new);
    let hierarchy = HIERARCHY.contains(&change.resource_type.as_ref());
    let mut hits = Vec::new();
    let (mut public, mut privileged, mut other) = (Vec::new(), Vec::new(), Vec::new());
    for grant in &added {
        let shown = format!("{} to {}", grant.role, grant.member);
        if PUBLIC.contains(&grant.member.as_str()) {
            public.push(shown);
        } else if hierarchy && PRIVILEGED.contains(&grant.role.as_str()) {
            privileged.push(shown);
        } else {
            other.push(shown);
        }
    }
    if !public.is_empty() {
        hits.push(Hit::new(
            &GOOGLE_PUBLIC_GRANT,
            format!("{name}: grants {}: anyone can use the resource", public.join("; ")),
        ));
    }
    if !privileged.is_empty() {
        hits.push(Hit::new(
            &GOOGLE_PRIVILEGED_ROLE,
            format!("{name}: grants {}: control of everything in it", privileged.join("; ")),
        ));
    }
    if !other.is_empty() {
        hits.push(Hit::new(&GOOGLE_ROLE_GRANTED, format!("{name}: grants {}", other.join("; "))));
    }
    hits
}

/// Permissions added to an existing custom role (a new role grants nothing until it is granted,
/// which is judged there). A role disabled before grants nothing either, so re-enabling one grants
/// all it holds.
fn custom_role_widened(change: &Change) -> Vec<Hit> {
    if change.action == Action::Create {
        return Vec::new();
    }
    let values = change.values();
    let name = change.display_name();
    let permissions = values.after().get("permissions");
    if permissions.is_unknown() || permissions.is_sensitive() {
        return vec![Hit::new(
            &GOOGLE_ROLE_GRANTED,
            format!(
                "{name}: the custom role's permissions are known only after apply: cannot be verified before apply"
            ),
        )];
    }
    let held = |side: Attr<'_>| -> Vec<String> {
        if side.get("deleted").as_bool() == Some(true) {
            return Vec::new();
        }
        side.get("permissions").elements().filter_map(Attr::as_str).map(str::to_owned).collect()
    };
    let before = held(values.before());
    let added = not_covered(&before, &held(values.after()), |old, new| old == new);
    if added.is_empty() {
        return Vec::new();
    }
    vec![Hit::new(
        &GOOGLE_ROLE_GRANTED,
        format!(
            "{name}: the custom role now includes {}: everyone it is granted to gets them",
            crate::rules::list_names(&added, 5)
        ),
    )]
}

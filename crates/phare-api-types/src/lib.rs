//! JSON types of the REST API (`/api/v1`), shared by the server and the `phare` CLI client.
//!
//! These types are the wire contract: field names, spellings and nullability here are what
//! scripts rely on, and the OpenAPI document is generated from them. Request bodies refuse
//! unknown fields (`deny_unknown_fields`), so a body carrying `id`, `workspace_id`, `role` (where
//! not accepted) or any other stray field is answered 422 instead of being silently ignored.
//! This crate holds no behaviour beyond conversions from the domain's enums.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Deserializer, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

/// Generates an API enum that mirrors a domain enum spelled in snake_case, with conversions
/// both ways, so the wire spelling and the stored spelling can never drift apart.
macro_rules! mirror_enum {
    ($(#[$m:meta])* $name:ident => $domain:path { $($variant:ident),* $(,)? }) => {
        $(#[$m])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($variant),* }

        impl From<$domain> for $name {
            fn from(v: $domain) -> Self {
                use $domain as D;
                match v { $(D::$variant => $name::$variant),* }
            }
        }

        impl From<$name> for $domain {
            fn from(v: $name) -> Self {
                use $domain as D;
                match v { $($name::$variant => D::$variant),* }
            }
        }

        impl $name {
            pub fn as_str(self) -> &'static str {
                <$domain>::from(self).as_str()
            }
        }
    };
}

mirror_enum!(
    /// Permission level inside a workspace, from most to least powerful.
    Role => phare_domain::Role { Admin, ProductManager, Contributor, Stakeholder, Viewer }
);
mirror_enum!(
    /// A step of the product-roles ladder (separate from the permission role).
    JobTitle => phare_domain::JobTitle {
        Apm, Pm, SeniorPm, StaffPm, PrincipalPm, GroupPm, DirectorOfProduct, Cpo
    }
);
mirror_enum!(
    /// RACI letter of a member on a product.
    Raci => phare_domain::Raci { Responsible, Accountable, Consulted, Informed }
);
mirror_enum!(
    /// Who carries the product manager role on a product.
    PmModel => phare_domain::PmModel { BusinessExpert, ItProjectLead, Shared }
);
mirror_enum!(
    /// What a personal access token may do; never more than its owner's role allows.
    Scope => phare_domain::Scope { All, Read, Write, Admin }
);
mirror_enum!(
    /// User interface language.
    Locale => phare_domain::Locale { En, Fr }
);

/// How an audited action ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    Success,
    Denied,
    Failure,
}

impl Outcome {
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Success => "success",
            Outcome::Denied => "denied",
            Outcome::Failure => "failure",
        }
    }
}

/// For PATCH bodies: tells "absent" (leave unchanged, `None`) from "null" (clear,
/// `Some(None)`). Use with `#[serde(default, deserialize_with = "nullable")]`.
pub fn nullable<'de, T, D>(d: D) -> Result<Option<Option<T>>, D::Error>
where
    T: Deserialize<'de>,
    D: Deserializer<'de>,
{
    Option::<T>::deserialize(d).map(Some)
}

// --- errors ---------------------------------------------------------------------------------

/// An error, as RFC 9457 `application/problem+json`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Problem {
    /// A URI naming the kind of problem: `urn:phare:problem:<code>` (an identifier, not a link).
    #[serde(rename = "type")]
    pub kind: String,
    /// Short, translated summary (Accept-Language or the member's language).
    pub title: String,
    /// The HTTP status code.
    pub status: u16,
    /// Translated explanation of what happened.
    pub detail: String,
    /// The stable error code (`not_found`, `validation`, `version_conflict`…): match on this.
    pub code: String,
    /// Field errors; empty when the problem is not about particular fields.
    #[serde(default)]
    pub errors: Vec<ProblemField>,
    /// The request id to quote to an operator; also in the `X-Request-Id` header.
    pub request_id: String,
}

/// One refused field of a request.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct ProblemField {
    /// The field, as a path into the request (`name`, `[0].member_id`, `limit`).
    pub field: String,
    /// Stable code of the refusal (`required`, `too_long`, `unknown_field`…).
    pub code: String,
    /// Translated message.
    pub message: String,
}

// --- workspace ------------------------------------------------------------------------------

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Workspace {
    pub id: Uuid,
    pub slug: String,
    pub name: String,
    pub default_locale: Locale,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// Increases at every change; sent as the `ETag`.
    pub version: i64,
}

/// Changes to the workspace (admins). Absent fields stay as they are.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct WorkspaceUpdate {
    /// 1 to 120 characters.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default_locale: Option<Locale>,
}

// --- members and profile --------------------------------------------------------------------

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Member {
    pub id: Uuid,
    pub email: String,
    pub name: String,
    pub role: Role,
    pub job_title: Option<JobTitle>,
    /// IANA time zone such as `Europe/Paris`.
    pub time_zone: String,
    /// Start of the working day, `HH:MM`.
    pub work_start: String,
    /// End of the working day, `HH:MM`.
    pub work_end: String,
    /// Chosen language; null to follow the browser and the workspace default.
    pub locale: Option<Locale>,
    pub disabled: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub version: i64,
}

/// What an administrator may change about another member. Nobody changes their own role or
/// disables themselves.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MemberUpdate {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<Role>,
    /// null removes the job title.
    #[serde(
        default,
        deserialize_with = "nullable",
        skip_serializing_if = "Option::is_none"
    )]
    #[schema(value_type = Option<JobTitle>)]
    pub job_title: Option<Option<JobTitle>>,
    /// true disables the member: their sessions end and their tokens are revoked.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub disabled: Option<bool>,
}

/// An administrator sets a member's password; every session of the member ends.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PasswordReset {
    /// 8 to 128 characters, not a common password.
    pub password: String,
}

/// What a member may change about themselves. Absent fields stay as they are.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ProfileUpdate {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// null removes the job title.
    #[serde(
        default,
        deserialize_with = "nullable",
        skip_serializing_if = "Option::is_none"
    )]
    #[schema(value_type = Option<JobTitle>)]
    pub job_title: Option<Option<JobTitle>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub time_zone: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub work_start: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub work_end: Option<String>,
    /// null follows the browser and the workspace default.
    #[serde(
        default,
        deserialize_with = "nullable",
        skip_serializing_if = "Option::is_none"
    )]
    #[schema(value_type = Option<Locale>)]
    pub locale: Option<Option<Locale>>,
}

/// Changes one's own password; the other sessions end.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PasswordChange {
    pub current_password: String,
    pub new_password: String,
}

// --- invitations ----------------------------------------------------------------------------

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Invitation {
    pub id: Uuid,
    pub email: String,
    pub role: Role,
    pub invited_by: Uuid,
    pub created_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct InvitationCreate {
    pub email: String,
    pub role: Role,
}

/// A new invitation with its one-time secret, shown only in this response.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct InvitationCreated {
    #[serde(flatten)]
    pub invitation: Invitation,
    /// The invitation secret. Absent when the response is an `Idempotency-Key` replay: the
    /// secret is never stored.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub token: Option<String>,
    /// The link to send to the invited person (`<base url>/invitations/<token>`); absent on a
    /// replay, like `token`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
}

// --- personal access tokens -----------------------------------------------------------------

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Token {
    pub id: Uuid,
    pub name: String,
    pub scopes: Vec<Scope>,
    pub created_at: DateTime<Utc>,
    pub expires_at: Option<DateTime<Utc>>,
    pub last_used_at: Option<DateTime<Utc>>,
    pub revoked_at: Option<DateTime<Utc>>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TokenCreate {
    pub name: String,
    /// At least one. `admin` is for administrators only.
    pub scopes: Vec<Scope>,
    /// 1 to 3650; absent for a token that does not expire.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expires_in_days: Option<i64>,
}

/// A new token with its secret, shown only in this response.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct TokenCreated {
    #[serde(flatten)]
    pub token_info: Token,
    /// The secret to send as `Authorization: Bearer <token>`. Absent when the response is an
    /// `Idempotency-Key` replay: the secret is never stored.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub token: Option<String>,
}

// --- product lines --------------------------------------------------------------------------

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct ProductLine {
    pub id: Uuid,
    pub name: String,
    pub description: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub version: i64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ProductLineCreate {
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ProductLineUpdate {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

// --- products -------------------------------------------------------------------------------

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Product {
    pub id: Uuid,
    pub product_line_id: Option<Uuid>,
    pub name: String,
    /// 2 to 10 capital letters or digits (`CHK`); prefixes references such as `CHK-42`.
    pub key: String,
    pub description: String,
    pub pm_model: PmModel,
    pub archived: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub version: i64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ProductCreate {
    pub name: String,
    pub key: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub product_line_id: Option<Uuid>,
    /// `shared` when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pm_model: Option<PmModel>,
}

/// Changes to a product. Absent fields stay as they are; `product_line_id: null` takes the
/// product out of its line; `archived` archives or restores it.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ProductUpdate {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(
        default,
        deserialize_with = "nullable",
        skip_serializing_if = "Option::is_none"
    )]
    #[schema(value_type = Option<Uuid>)]
    pub product_line_id: Option<Option<Uuid>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pm_model: Option<PmModel>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub archived: Option<bool>,
}

/// One line of a product's RACI table.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct RaciEntry {
    pub member_id: Uuid,
    pub member_name: String,
    pub raci: Raci,
}

/// One assignment in a RACI table sent with PUT (the table is replaced whole).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RaciAssignment {
    pub member_id: Uuid,
    pub raci: Raci,
}

// --- audit ----------------------------------------------------------------------------------

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct AuditEvent {
    pub id: Uuid,
    pub at: DateTime<Utc>,
    pub actor_id: Option<Uuid>,
    /// What is known of the actor: an e-mail address, `cli`…
    pub actor_label: String,
    /// Dotted verb: `product.create`, `auth.login`, `token.revoke`…
    pub action: String,
    pub target_kind: String,
    pub target_id: Option<String>,
    pub outcome: Outcome,
    pub request_id: String,
    pub source_ip: String,
    /// Non-secret details: names of changed fields, a new role…
    pub detail: serde_json::Value,
}

// --- lists ----------------------------------------------------------------------------------

/// Generates the page type of a list: `{"items": [...], "next_cursor": "…" | null}`.
macro_rules! page_type {
    ($($name:ident of $item:ty),* $(,)?) => {$(
        #[doc = concat!("A page of ", stringify!($item), " items. Pass `next_cursor` as `cursor` to get the next page; null on the last page.")]
        #[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ToSchema)]
        pub struct $name {
            pub items: Vec<$item>,
            pub next_cursor: Option<String>,
        }
    )*};
}

page_type!(
    ProductPage of Product,
    ProductLinePage of ProductLine,
    MemberPage of Member,
    InvitationPage of Invitation,
    TokenPage of Token,
    AuditEventPage of AuditEvent,
);

// --- discovery ----------------------------------------------------------------------------

// Declared after the macros above so that it can use them.
// decisions (issue #4)
mod decisions;
mod discovery;
mod portal;
mod research;
pub use decisions::*;
// specs (issue 4)
mod specs;
pub use discovery::*;
pub use portal::*;
pub use research::*;
// specs (issue 4)
pub use specs::*;
// scoring slice (issue #4)
mod scoring;
// scoring slice (issue #4)
pub use scoring::*;
// Stakeholder sessions (issue #4 part 3).
mod stakeholders;
pub use stakeholders::*;
pub mod time;

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    #[test]
    fn a_patch_tells_absent_from_null() {
        let absent: ProductUpdate = serde_json::from_str("{}").unwrap();
        assert_eq!(absent.product_line_id, None);
        let null: ProductUpdate = serde_json::from_str(r#"{"product_line_id": null}"#).unwrap();
        assert_eq!(null.product_line_id, Some(None));
        assert_eq!(
            serde_json::to_string(&null).unwrap(),
            r#"{"product_line_id":null}"#
        );
    }

    #[test]
    fn request_bodies_refuse_unknown_fields() {
        let e = serde_json::from_str::<ProductCreate>(r#"{"name":"A","key":"AB","id":"x"}"#)
            .unwrap_err();
        assert!(e.to_string().contains("unknown field `id`"), "{e}");
    }

    #[test]
    fn enums_keep_the_stored_spelling() {
        for r in phare_domain::Role::ALL {
            let api = Role::from(*r);
            assert_eq!(
                serde_json::to_value(api).unwrap(),
                serde_json::json!(r.as_str())
            );
        }
    }
}

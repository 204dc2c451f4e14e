//! Discovery on the wire: feedback, customers, ideas, evidence, merges, search.

use super::nullable;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

mirror_enum!(
    /// Where a piece of feedback comes from.
    SourceKind => phare_domain::SourceKind {
        Interview, Support, Sales, TeamBrainstorm, CustomerBrainstorm, Data, MarketWatch,
        UserClub, Portal, Survey, Other
    }
);
mirror_enum!(
    /// Derived from the source: the voice of people outside the team, or the team's own.
    Origin => phare_domain::Origin { Internal, External }
);
mirror_enum!(
    /// A feedback item's place in the inbox.
    FeedbackState => phare_domain::FeedbackState { New, Processed, Archived }
);
mirror_enum!(
    /// An organisation or a single person.
    CustomerKind => phare_domain::CustomerKind { Organisation, Person }
);
mirror_enum!(
    /// How much a piece of evidence matters: weighs 1, 2 or 3 in the demand figure.
    Importance => phare_domain::Importance { NiceToHave, Important, Critical }
);
mirror_enum!(
    /// An idea's life cycle. `merged` is reached only through a merge; an idea leaves `draft`
    /// only once its benefit (`so_that`) is written.
    IdeaStatus => phare_domain::IdeaStatus {
        Draft, UnderConsideration, Planned, InProgress, Shipped, Declined, Merged
    }
);
mirror_enum!(
    /// A user story (the default) or a bug report, whose template (`bug`) is required.
    IdeaKind => phare_domain::IdeaKind { Story, Bug }
);
mirror_enum!(
    /// How badly a bug hurts, worst first.
    Severity => phare_domain::Severity { Blocker, Critical, Major, Minor, Trivial }
);
mirror_enum!(
    /// What a search result is.
    SearchKind => phare_domain::SearchKind { Feedback, Idea, Persona, Competitor, ResearchNote }
);

/// A customer: an organisation or person whose feedback is recorded.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Customer {
    pub id: Uuid,
    pub name: String,
    pub kind: CustomerKind,
    pub segment: Option<String>,
    /// 1 (default) to 10: multiplies the importance of this customer's evidence in demand.
    pub weight: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub version: i64,
}

/// Changes to a customer (product managers only). `segment: null` clears it.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CustomerUpdate {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<CustomerKind>,
    #[serde(
        default,
        deserialize_with = "nullable",
        skip_serializing_if = "Option::is_none"
    )]
    #[schema(value_type = Option<String>)]
    pub segment: Option<Option<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(minimum = 1, maximum = 10)]
    pub weight: Option<i64>,
}

/// The customer named on a feedback item: just a name, or a name with the details used when
/// the customer is new (an existing customer of that name, in any letter case, is reused).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(untagged)]
pub enum CustomerRef {
    Name(String),
    Details(CustomerDetails),
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CustomerDetails {
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<CustomerKind>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub segment: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(minimum = 1, maximum = 10)]
    pub weight: Option<i64>,
}

/// The customer as shown on a feedback item.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct CustomerSummary {
    pub id: Uuid,
    pub name: String,
    pub segment: Option<String>,
    pub weight: i64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Feedback {
    pub id: Uuid,
    /// Null while no product is chosen yet.
    pub product_id: Option<Uuid>,
    /// Markdown, as written; render it through a sanitizer.
    pub text: String,
    pub source: SourceKind,
    pub origin: Origin,
    pub customer: Option<CustomerSummary>,
    pub contact: Option<String>,
    pub author_id: Option<Uuid>,
    #[serde(serialize_with = "crate::time::rfc3339")]
    pub observed_at: DateTime<Utc>,
    pub state: FeedbackState,
    pub assignee_id: Option<Uuid>,
    pub tags: Vec<String>,
    /// How many ideas this item supports.
    pub evidence_count: i64,
    pub external_source: Option<String>,
    pub external_id: Option<String>,
    #[serde(serialize_with = "crate::time::rfc3339")]
    pub created_at: DateTime<Utc>,
    #[serde(serialize_with = "crate::time::rfc3339")]
    pub updated_at: DateTime<Utc>,
    pub version: i64,
}

/// A new feedback item. `product_id` is taken from the path on
/// `/products/{id}/feedback`, and optional on `/feedback`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FeedbackCreate {
    /// Markdown, 1 to 20,000 characters.
    pub text: String,
    pub source: SourceKind,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub product_id: Option<Uuid>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub customer: Option<CustomerRef>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contact: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tags: Option<Vec<String>>,
    /// When it was said; now when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub observed_at: Option<DateTime<Utc>>,
}

/// Changes to a feedback item; absent fields stay, `null` clears.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FeedbackUpdate {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<SourceKind>,
    #[serde(
        default,
        deserialize_with = "nullable",
        skip_serializing_if = "Option::is_none"
    )]
    #[schema(value_type = Option<Uuid>)]
    pub product_id: Option<Option<Uuid>>,
    #[serde(
        default,
        deserialize_with = "nullable",
        skip_serializing_if = "Option::is_none"
    )]
    #[schema(value_type = Option<CustomerRef>)]
    pub customer: Option<Option<CustomerRef>>,
    #[serde(
        default,
        deserialize_with = "nullable",
        skip_serializing_if = "Option::is_none"
    )]
    #[schema(value_type = Option<String>)]
    pub contact: Option<Option<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub observed_at: Option<DateTime<Utc>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub state: Option<FeedbackState>,
    #[serde(
        default,
        deserialize_with = "nullable",
        skip_serializing_if = "Option::is_none"
    )]
    #[schema(value_type = Option<Uuid>)]
    pub assignee_id: Option<Option<Uuid>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tags: Option<Vec<String>>,
}

/// One change applied to many feedback items at once, all or nothing.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FeedbackBulkUpdate {
    /// 1 to 200 ids of the workspace's feedback items.
    pub ids: Vec<Uuid>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub state: Option<FeedbackState>,
    #[serde(
        default,
        deserialize_with = "nullable",
        skip_serializing_if = "Option::is_none"
    )]
    #[schema(value_type = Option<Uuid>)]
    pub assignee_id: Option<Option<Uuid>>,
    #[serde(
        default,
        deserialize_with = "nullable",
        skip_serializing_if = "Option::is_none"
    )]
    #[schema(value_type = Option<Uuid>)]
    pub product_id: Option<Option<Uuid>>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct BulkResult {
    /// How many items changed.
    pub updated: u64,
}

/// How many items each inbox state holds under the filters.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct FeedbackCounts {
    pub new: i64,
    pub processed: i64,
    pub archived: i64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Idea {
    pub id: Uuid,
    pub product_id: Uuid,
    /// The product's key and the idea's number: `CHK-42`.
    pub reference: String,
    pub number: i64,
    pub kind: IdeaKind,
    pub title: String,
    /// "As a …" — who wants it.
    pub as_a: String,
    /// "I want …" — what they want.
    pub i_want: String,
    /// "So that …" — the benefit.
    pub so_that: String,
    /// Markdown.
    pub description: String,
    /// The bug report's template, for `kind: bug` (null for a story).
    pub bug: Option<BugReport>,
    pub status: IdeaStatus,
    pub owner_id: Option<Uuid>,
    /// The idea this one was merged into.
    pub merged_into: Option<Uuid>,
    pub tags: Vec<String>,
    pub evidence_count: i64,
    /// Distinct customers behind the evidence.
    pub customer_count: i64,
    pub vote_count: i64,
    /// Σ importance weight (1, 2, 3) × customer weight (1 when none) over the evidence.
    pub demand: i64,
    pub created_by: Option<Uuid>,
    #[serde(serialize_with = "crate::time::rfc3339")]
    pub created_at: DateTime<Utc>,
    #[serde(serialize_with = "crate::time::rfc3339")]
    pub updated_at: DateTime<Utc>,
    pub version: i64,
}

/// A bug report's template.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct BugReport {
    /// Steps to reproduce, Markdown.
    pub steps: String,
    /// What should happen.
    pub expected: String,
    /// What happens instead.
    pub actual: String,
    /// Version, browser, operating system, configuration.
    pub environment: String,
    pub severity: Option<Severity>,
}

/// Parts of a bug report's template. A bug needs all five; on update, absent parts stay.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BugReportInput {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub steps: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expected: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub actual: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub environment: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub severity: Option<Severity>,
}

/// A new idea. With `feedback_id`, the idea is created from that feedback item and keeps the
/// link as evidence (`importance`, default important; `excerpt`, the highlighted passage).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct IdeaCreate {
    /// `story` (default) or `bug`; a bug needs its whole `bug` template.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<IdeaKind>,
    pub title: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bug: Option<BugReportInput>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub as_a: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub i_want: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub so_that: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<IdeaStatus>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner_id: Option<Uuid>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tags: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub feedback_id: Option<Uuid>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub importance: Option<Importance>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub excerpt: Option<String>,
}

/// Changes to an idea; absent fields stay, `owner_id: null` clears the owner.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct IdeaUpdate {
    /// Turning a story into a bug needs the whole `bug` template.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<IdeaKind>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bug: Option<BugReportInput>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub as_a: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub i_want: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub so_that: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<IdeaStatus>,
    #[serde(
        default,
        deserialize_with = "nullable",
        skip_serializing_if = "Option::is_none"
    )]
    #[schema(value_type = Option<Uuid>)]
    pub owner_id: Option<Option<Uuid>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tags: Option<Vec<String>>,
}

/// One changed field in an idea's history.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct IdeaChange {
    pub at: DateTime<Utc>,
    pub actor_id: Option<Uuid>,
    /// title, as_a, i_want, so_that, description, status, owner, tags, merged_from.
    pub field: String,
    pub old_value: String,
    pub new_value: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EvidenceCreate {
    pub feedback_id: Uuid,
    /// Default: important.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub importance: Option<Importance>,
    /// The highlighted passage of the feedback, if only part of it is the evidence.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub excerpt: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Evidence {
    pub id: Uuid,
    pub idea_id: Uuid,
    pub feedback_id: Uuid,
    pub excerpt: Option<String>,
    pub importance: Importance,
    pub created_by: Option<Uuid>,
    pub created_at: DateTime<Utc>,
}

/// A piece of evidence with its feedback item.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct EvidenceWithFeedback {
    pub evidence: Evidence,
    pub feedback: Feedback,
}

/// A piece of evidence with the idea it supports.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct EvidenceWithIdea {
    pub evidence: Evidence,
    pub idea: Idea,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct IdeaMergeRequest {
    /// The idea that absorbs this one (same workspace, not merged itself).
    pub into: Uuid,
    /// Why: kept with the merge and shown on both ideas.
    pub reason: String,
}

/// One piece of a snippet; `highlight` marks a word that matched the query.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct SnippetPart {
    pub text: String,
    pub highlight: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct SearchHit {
    pub kind: SearchKind,
    pub id: Uuid,
    pub product_id: Option<Uuid>,
    /// Ideas: `CHK-42 Title`; null for feedback.
    pub title: Option<String>,
    /// A plain-text passage around the matching words.
    pub snippet: String,
    /// The same passage in parts, the matching words marked.
    pub snippet_parts: Vec<SnippetPart>,
    /// Relevance; higher is better, comparable within one answer only.
    pub score: f64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct SearchResults {
    pub items: Vec<SearchHit>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct SimilarIdea {
    pub id: Uuid,
    pub reference: String,
    pub title: String,
    pub status: IdeaStatus,
    /// 0 to 1.
    pub similarity: f64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct SimilarIdeas {
    pub items: Vec<SimilarIdea>,
}

page_type!(
    FeedbackPage of Feedback,
    CustomerPage of Customer,
    IdeaPage of Idea,
);

/// Format of an export file.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ExportFormat {
    Csv,
    Xlsx,
    Json,
}

/// Separator of a CSV export.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum CsvDelimiter {
    Comma,
    Semicolon,
}

/// One problem of an import file.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct ImportProblem {
    pub line: u64,
    /// The column's header (CSV) or the field, when the problem is in one cell.
    pub column: Option<String>,
    /// encoding, empty_file, missing_column, missing_value, too_many_rows, cell_too_large,
    /// row_too_wide, invalid_date, invalid_number, invalid_json, unknown_format,
    /// duplicate_external_id, unknown_source, or a field rule (required, too_long…).
    pub code: String,
    pub detail: Option<String>,
}

/// A row of the dry run's sample.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct ImportSampleRow {
    pub line: u64,
    pub title: Option<String>,
    pub text: String,
    pub status: Option<String>,
    pub source: Option<String>,
    pub customer: Option<String>,
    pub external_id: Option<String>,
}

/// What an import would do: the detected (or given) mapping, a sample, and every problem.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct ImportPlan {
    /// Send it back (edited if needed) as the `mapping` parameter to import with it.
    pub mapping: serde_json::Value,
    /// jira, linear, github_issues, trello, canny, productboard or generic.
    pub preset: String,
    /// feedback or idea.
    pub kind: String,
    pub headers: Vec<String>,
    pub total_rows: u64,
    pub sample: Vec<ImportSampleRow>,
    pub total_problems: u64,
    pub problems: Vec<ImportProblem>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct ImportResult {
    pub created: u64,
    pub updated: u64,
}

//! Specs and feature documentation on the wire: an idea's spec (every save a new version, the
//! version in the ETag), its versions and their diff, and the documentation page of a shipped
//! idea.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

mirror_enum!(
    /// The spec's language; its Gherkin export uses that language's keywords.
    SpecLanguage => phare_domain::specs::SpecLanguage { Fr, En }
);
mirror_enum!(
    /// Where an acceptance criterion stands.
    CriterionState => phare_domain::specs::CriterionState { NotTested, Passing, Failing }
);
mirror_enum!(
    /// An item of the definition-of-ready checklist.
    ReadyItem => phare_domain::specs::ReadyItem {
        ValueClear, CriteriaWritten, DesignsLinked, DependenciesKnown, Estimated, QuestionsAnswered
    }
);
mirror_enum!(
    /// How a line of a diff differs.
    DiffKind => phare_domain::specs::DiffKind { Same, Added, Removed }
);

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UseCase {
    pub name: String,
    pub actor: String,
    /// One step per line.
    pub main_flow: String,
    /// Markdown.
    #[serde(default)]
    pub alternative_flows: String,
}

/// A scenario: `given`, `when` and `then` each hold the first step and its "And" steps (at
/// least one each, one line each).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Criterion {
    pub title: String,
    pub given: Vec<String>,
    pub when: Vec<String>,
    pub then: Vec<String>,
    #[serde(default = "not_tested")]
    pub state: CriterionState,
}

fn not_tested() -> CriterionState {
    CriterionState::NotTested
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DesignLink {
    #[serde(default)]
    pub label: String,
    /// http or https only.
    pub url: String,
}

/// One version of a spec (the current one from `GET /ideas/{id}/spec`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Spec {
    pub idea_id: Uuid,
    pub version: i64,
    pub language: SpecLanguage,
    /// Markdown.
    pub context: String,
    /// Markdown.
    pub user_stories: String,
    pub use_cases: Vec<UseCase>,
    pub criteria: Vec<Criterion>,
    /// Markdown.
    pub non_functional: String,
    pub design_links: Vec<DesignLink>,
    /// Markdown.
    pub open_questions: String,
    /// The checklist items that are done.
    pub ready: Vec<ReadyItem>,
    pub saved_by: Option<Uuid>,
    pub saved_at: DateTime<Utc>,
}

/// A whole spec, replacing the current version (`If-Match: "0"` when the idea has none yet).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SpecWrite {
    pub language: SpecLanguage,
    #[serde(default)]
    pub context: String,
    #[serde(default)]
    pub user_stories: String,
    #[serde(default)]
    pub use_cases: Vec<UseCase>,
    #[serde(default)]
    pub criteria: Vec<Criterion>,
    #[serde(default)]
    pub non_functional: String,
    #[serde(default)]
    pub design_links: Vec<DesignLink>,
    #[serde(default)]
    pub open_questions: String,
    #[serde(default)]
    pub ready: Vec<ReadyItem>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CriterionStateWrite {
    pub state: CriterionState,
}

/// Who saved which version when.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct VersionEntry {
    pub version: i64,
    pub saved_by: Option<Uuid>,
    pub saved_at: DateTime<Utc>,
}

/// A part of a diff line; `changed` marks the words that differ within a changed line.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct DiffPart {
    pub changed: bool,
    pub text: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct DiffLine {
    pub kind: DiffKind,
    /// 1-based line numbers in the older and the newer text.
    pub old_line: Option<usize>,
    pub new_line: Option<usize>,
    pub parts: Vec<DiffPart>,
}

/// The difference between two versions, compared on their Markdown export.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct VersionDiff {
    pub from: i64,
    pub to: i64,
    pub added: usize,
    pub removed: usize,
    pub lines: Vec<DiffLine>,
}

mirror_enum!(
    /// A spec export.
    SpecExportFormat => phare_domain::specs::ExportFormat { Gherkin, Markdown }
);

/// One version of an idea's user-facing documentation page.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct FeatureDoc {
    pub idea_id: Uuid,
    pub version: i64,
    /// Markdown.
    pub body: String,
    /// Readable on the product's portal while the idea is shipped and published.
    pub public: bool,
    pub saved_by: Option<Uuid>,
    pub saved_at: DateTime<Utc>,
}

/// A new version of the page: absent fields keep their current value (so
/// `{"public": true}` publishes it). Public needs the idea shipped, and the portal moderation
/// right (product manager, admin).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FeatureDocWrite {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub public: Option<bool>,
}

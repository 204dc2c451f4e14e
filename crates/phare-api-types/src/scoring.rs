//! Scoring and the ranked backlog on the wire: scores with their breakdown, scoring settings
//! (primary framework, custom scorecard), backlog pages, moves, saved views, the matrix.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use utoipa::ToSchema;
use uuid::Uuid;

/// The inputs of a score. Send the ones of the framework in the path:
/// RICE `reach`, `impact`, `confidence` (a fraction from 0 to 1), `effort` (> 0);
/// ICE `impact`, `confidence`, `ease` (1 to 10); WSJF `business_value`, `time_criticality`,
/// `risk_reduction`, `job_size` (> 0); value/effort `value` (0 to 10), `effort` (> 0 to 10);
/// MoSCoW `category` (`must`, `should`, `could`, `wont`); Kano `category` (`must_be`,
/// `performance`, `attractive`, `indifferent`, `reverse`); scorecard `criteria` (points by
/// criterion id). `sources` takes an input from the idea's data instead of a number:
/// `{"reach": "customers"}` (distinct customers behind the evidence), `demand` or `votes`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ScoreWrite {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reach: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub impact: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub confidence: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub effort: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ease: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub business_value: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub time_criticality: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub risk_reduction: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub job_size: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub category: Option<String>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub criteria: BTreeMap<Uuid, f64>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub sources: BTreeMap<String, String>,
}

impl ScoreWrite {
    /// The numbers given, by input name.
    pub fn numbers(&self) -> BTreeMap<String, f64> {
        [
            ("reach", self.reach),
            ("impact", self.impact),
            ("confidence", self.confidence),
            ("effort", self.effort),
            ("ease", self.ease),
            ("business_value", self.business_value),
            ("time_criticality", self.time_criticality),
            ("risk_reduction", self.risk_reduction),
            ("job_size", self.job_size),
            ("value", self.value),
        ]
        .into_iter()
        .filter_map(|(k, v)| v.map(|v| (k.to_owned(), v)))
        .collect()
    }
}

/// One input of a breakdown.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct BreakdownInput {
    /// The input's name (a criterion's name for the scorecard).
    pub name: String,
    pub value: f64,
    /// `typed`, or the data it was read from: `customers`, `demand`, `votes`.
    pub source: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scale: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub weight: Option<f64>,
}

/// Why a score is what it is.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Breakdown {
    /// The framework's formula, e.g. `reach × impact × confidence ÷ effort`.
    pub formula: String,
    /// The formula with the inputs put in, e.g. `500 × 2 × 0.8 ÷ 4 = 200`.
    pub calculation: String,
    pub inputs: Vec<BreakdownInput>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub category: Option<String>,
}

/// An idea's score in one framework.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Score {
    /// `rice`, `ice`, `wsjf`, `moscow`, `kano`, `value_effort` or `scorecard`.
    pub framework: String,
    pub value: f64,
    pub breakdown: Breakdown,
    pub idea_id: Uuid,
    pub updated_at: chrono::DateTime<chrono::Utc>,
    pub version: i64,
}

/// One criterion of the custom scorecard: points from 0 to `scale`, counted with `weight`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ScorecardCriterion {
    /// Absent for a new criterion; give the id to keep a criterion (and its points).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<Uuid>,
    pub name: String,
    /// From 1 to 100.
    pub scale: f64,
    /// From 0 to 1000; the weights must not all be zero.
    pub weight: f64,
}

/// A product's scoring settings. `ETag` is the version; a product never configured has
/// version 0 (send `If-Match: "0"` for the first change).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct ScoringSettings {
    pub product_id: Uuid,
    /// The framework whose value is each idea's score in the backlog.
    pub primary_framework: String,
    pub criteria: Vec<ScorecardCriterion>,
    pub version: i64,
}

/// New scoring settings: changing the primary framework or a weight re-scores every idea of
/// the product at once.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ScoringSettingsWrite {
    pub primary_framework: String,
    #[serde(default)]
    pub criteria: Vec<ScorecardCriterion>,
}

/// One row of the backlog.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct BacklogItem {
    pub id: Uuid,
    /// `CHK-42`.
    pub reference: String,
    /// The primary framework's value; null when the idea has none.
    pub score: Option<f64>,
    /// The idea's key in the manual order (compare as bytes; smaller comes first).
    pub rank: String,
    /// `story` or `bug`.
    pub kind: super::IdeaKind,
    /// A bug report's severity; null for a story.
    pub severity: Option<super::Severity>,
    pub title: String,
    pub status: super::IdeaStatus,
    pub owner_id: Option<Uuid>,
    pub evidence_count: i64,
    pub vote_count: i64,
}

/// A page of the backlog. Pass `next_cursor` as `cursor` to get the next page; null on the
/// last page.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct BacklogPage {
    pub items: Vec<BacklogItem>,
    pub next_cursor: Option<String>,
}

/// Where to move an idea in its product's manual order: exactly one of `to`, `position`,
/// `before`, `after`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RankMove {
    /// `top`, `bottom`, `up` or `down`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to: Option<String>,
    /// Zero-based position among the product's other ideas.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub position: Option<u32>,
    /// Place it just before this idea.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub before: Option<Uuid>,
    /// Place it just after this idea.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub after: Option<Uuid>,
}

/// An idea's key in the manual order after a move.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct RankedIdea {
    pub id: Uuid,
    pub rank: String,
}

/// Changes the status of several ideas of the product; one refusal and nothing changes.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BulkStatus {
    /// At most 200.
    pub ids: Vec<Uuid>,
    pub status: super::IdeaStatus,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct BulkStatusResult {
    /// How many ideas changed status.
    pub changed: u64,
}

/// A saved backlog view: a name and the backlog's query string.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct BacklogView {
    pub id: Uuid,
    pub product_id: Uuid,
    pub owner_id: Uuid,
    pub shared: bool,
    pub name: String,
    /// E.g. `sort=score&status=planned&min_score=10`.
    pub query: String,
    pub created_at: chrono::DateTime<chrono::Utc>,
    /// Also the `ETag`; a rename or change of sharing sends it back as `If-Match`.
    pub version: i64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BacklogViewCreate {
    pub name: String,
    pub query: String,
    /// Shared with the team (product managers only); private otherwise.
    #[serde(default)]
    pub shared: bool,
}

/// A saved view's new name or sharing; absent fields stay as they are.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BacklogViewUpdate {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Shared with the team (sharing: product managers), or private again.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shared: Option<bool>,
}

/// One idea in the value/effort matrix.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct MatrixPoint {
    pub id: Uuid,
    pub reference: String,
    pub title: String,
    pub value: f64,
    pub effort: f64,
    /// `quick_win`, `big_bet`, `fill_in` or `time_sink`.
    pub quadrant: String,
}

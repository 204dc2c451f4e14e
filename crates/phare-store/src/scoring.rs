//! The scoring part of the contract: per-product scoring settings (primary framework, custom
//! scorecard), per-idea scores, the ranked backlog (by score or by manual rank, keyset pages),
//! moves in the manual order, saved backlog views and the value/effort matrix.
//!
//! `ideas.score` holds the value of the product's primary framework for each idea (NULL when
//! unscored); the store keeps it current whenever a score, the primary framework or a weight
//! changes, with set-based statements (never one call per idea).

use crate::{Idea, Page, PageRequest, StoreResult, Timestamp};
use async_trait::async_trait;
use phare_domain::scoring::Criterion;
use phare_domain::*;
use serde::{Deserialize, Serialize};

/// A product's scoring settings. A product never configured has version 0, RICE as primary
/// framework and no scorecard.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ScoringSettings {
    pub workspace_id: WorkspaceId,
    pub product_id: ProductId,
    pub primary_framework: Framework,
    /// The custom scorecard, in the order given.
    pub criteria: Vec<Criterion>,
    pub updated_at: Option<Timestamp>,
    pub version: i64,
}

/// New settings for a product, replacing the scorecard whole (criteria keep their id when
/// given one that exists).
#[derive(Clone, Debug)]
pub struct SettingsUpdate {
    pub primary_framework: Framework,
    pub criteria: Vec<Criterion>,
    pub now: Timestamp,
}

/// One idea's score in one framework, as stored.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct IdeaScore {
    pub idea_id: IdeaId,
    pub workspace_id: WorkspaceId,
    pub product_id: ProductId,
    pub framework: Framework,
    pub inputs: ScoreInputs,
    pub value: f64,
    pub updated_by: Option<MemberId>,
    pub updated_at: Timestamp,
    pub version: i64,
}

#[derive(Clone, Debug)]
pub struct NewIdeaScore {
    pub workspace_id: WorkspaceId,
    pub idea_id: IdeaId,
    pub framework: Framework,
    pub inputs: ScoreInputs,
    pub value: f64,
    pub updated_by: Option<MemberId>,
    pub now: Timestamp,
}

/// Which ideas a backlog shows (merged ideas never).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct BacklogFilter {
    pub status: Option<IdeaStatus>,
    pub tag: Option<String>,
    pub persona: Option<PersonaId>,
    pub owner: Option<MemberId>,
    pub min_score: Option<f64>,
    pub max_score: Option<f64>,
}

/// One row of the backlog.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BacklogItem {
    pub id: IdeaId,
    pub number: i64,
    pub reference: String,
    pub kind: IdeaKind,
    /// A bug report's severity.
    pub severity: Option<Severity>,
    pub title: String,
    pub status: IdeaStatus,
    pub owner_id: Option<MemberId>,
    pub score: Option<f64>,
    pub rank: String,
    pub evidence_count: i64,
    pub vote_count: i64,
}

/// An idea's key in the manual order (after a move).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RankedIdea {
    pub id: IdeaId,
    pub rank: String,
}

/// A saved backlog view: a name and the backlog's query string (sort and filters). Private to
/// its owner, or shared with the product's team.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BacklogView {
    pub id: uuid::Uuid,
    pub workspace_id: WorkspaceId,
    pub product_id: ProductId,
    pub owner_id: MemberId,
    pub shared: bool,
    pub name: String,
    pub query: String,
    pub created_at: Timestamp,
    /// Dumps written before views had versions read as version 1.
    #[serde(default = "first_version")]
    pub version: i64,
}

fn first_version() -> i64 {
    1
}

/// What renaming (or sharing) a saved view changes; `None` keeps the field.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct BacklogViewPatch {
    pub name: Option<String>,
    pub shared: Option<bool>,
}

/// Several ideas of one product taking one status at once (a bulk change, or an accept or
/// decline decision), each at the version the caller read it at.
#[derive(Clone, Debug)]
pub struct StatusChange {
    pub workspace_id: WorkspaceId,
    pub product_id: ProductId,
    /// Each idea with the version it was read at.
    pub ideas: Vec<(IdeaId, i64)>,
    pub status: IdeaStatus,
    /// Who makes the change, for the ideas' history.
    pub actor: Option<MemberId>,
    pub now: Timestamp,
}

/// One point of the value/effort matrix.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MatrixPoint {
    pub id: IdeaId,
    pub reference: String,
    pub title: String,
    pub value: f64,
    pub effort: f64,
}

/// An idea's rank key, for dumps.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct IdeaRank {
    pub idea_id: IdeaId,
    pub rank: String,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ScoringDump {
    pub scoring_settings: Vec<ScoringSettings>,
    pub idea_scores: Vec<IdeaScore>,
    pub idea_ranks: Vec<IdeaRank>,
    pub backlog_views: Vec<BacklogView>,
}

/// The most points the matrix draws.
pub const MATRIX_LIMIT: u32 = 1_000;

#[async_trait]
pub trait ScoringStore: Send + Sync {
    // --- settings ---------------------------------------------------------------------------
    /// The product's settings (version 0 and defaults when never set); `NotFound` when the
    /// product is not in the workspace.
    async fn scoring_settings(
        &self,
        ws: WorkspaceId,
        product: ProductId,
    ) -> StoreResult<ScoringSettings>;
    /// Replaces the settings if `expected_version` matches, then re-scores the product's
    /// scorecard values and every idea's `score` at once, in the same transaction.
    async fn put_scoring_settings(
        &self,
        ws: WorkspaceId,
        product: ProductId,
        expected_version: i64,
        update: SettingsUpdate,
    ) -> StoreResult<ScoringSettings>;

    // --- scores -----------------------------------------------------------------------------
    /// Stores the idea's score in that framework (replacing the previous one) and, when it is
    /// the primary framework, the idea's `score`. `NotFound` when the idea is not in the
    /// workspace.
    async fn put_idea_score(&self, score: NewIdeaScore) -> StoreResult<IdeaScore>;
    /// Every framework's score of the idea, in framework order.
    async fn idea_scores(&self, ws: WorkspaceId, idea: IdeaId) -> StoreResult<Vec<IdeaScore>>;
    /// Removes one framework's score of the idea (its `score` too if that was the primary).
    async fn delete_idea_score(
        &self,
        ws: WorkspaceId,
        idea: IdeaId,
        framework: Framework,
    ) -> StoreResult<()>;
    /// Many scores at once (the data generator, imports), in one transaction; the ideas'
    /// `score` follows for those of the primary framework. Returns how many were stored.
    async fn import_idea_scores(&self, scores: Vec<NewIdeaScore>) -> StoreResult<u64>;

    // --- the backlog ------------------------------------------------------------------------
    /// A page of the product's backlog: by score (highest first, unscored last, ties newest
    /// first) or by manual rank.
    async fn backlog(
        &self,
        ws: WorkspaceId,
        product: ProductId,
        sort: BacklogSort,
        filter: &BacklogFilter,
        page: &PageRequest,
    ) -> StoreResult<Page<BacklogItem>>;
    /// Moves the idea in its product's manual order: one key written. `NotFound` when the idea
    /// (or the idea it is placed beside) is not in the workspace or not in the same product.
    async fn move_idea(&self, ws: WorkspaceId, idea: IdeaId, to: MoveTo)
        -> StoreResult<RankedIdea>;
    /// The idea's rank key.
    async fn idea_rank(&self, ws: WorkspaceId, idea: IdeaId) -> StoreResult<RankedIdea>;
    /// Changes the status of every idea of `change` in one transaction, all or nothing: each
    /// must still be at the version given (`VersionConflict` otherwise, the error
    /// `DiscoveryStore::update_idea` gives for a stale version) and of the product (`NotFound`
    /// otherwise). Each change is written as `update_idea` writes a status change: the status,
    /// `updated_at` and version, a `status` row in the idea's history, the search entry. An idea
    /// already at the status is left untouched. Returns the changed ideas as they now are, in
    /// the order given.
    async fn change_idea_statuses(&self, change: StatusChange) -> StoreResult<Vec<Idea>>;
    /// The ideas with a value/effort score, highest value first, at most [`MATRIX_LIMIT`].
    async fn value_effort_matrix(
        &self,
        ws: WorkspaceId,
        product: ProductId,
    ) -> StoreResult<Vec<MatrixPoint>>;

    // --- saved views ------------------------------------------------------------------------
    /// `Duplicate("name")` when the owner has a view of that name in the product.
    async fn create_backlog_view(&self, view: BacklogView) -> StoreResult<BacklogView>;
    /// The member's own views and the shared ones, by name.
    async fn list_backlog_views(
        &self,
        ws: WorkspaceId,
        product: ProductId,
        member: MemberId,
    ) -> StoreResult<Vec<BacklogView>>;
    async fn get_backlog_view(&self, ws: WorkspaceId, id: uuid::Uuid) -> StoreResult<BacklogView>;
    /// Renames a view or changes whether it is shared, if `expected_version` matches
    /// (`VersionConflict` otherwise). `Duplicate("name")` when its owner has another view of
    /// that name in the product; `NotFound` when it is not in the workspace.
    async fn update_backlog_view(
        &self,
        ws: WorkspaceId,
        id: uuid::Uuid,
        expected_version: i64,
        patch: BacklogViewPatch,
    ) -> StoreResult<BacklogView>;
    async fn delete_backlog_view(&self, ws: WorkspaceId, id: uuid::Uuid) -> StoreResult<()>;
}

//! The specs part of the contract: an idea's spec and its feature documentation page, each kept
//! in every version it ever had. A save names the version it was made from; the store refuses it
//! (`VersionConflict`) when someone saved in between, so no text is lost silently.

use crate::{StoreResult, Timestamp};
use async_trait::async_trait;
use phare_domain::specs::SpecContent;
use phare_domain::*;
use serde::{Deserialize, Serialize};

/// One version of an idea's spec (the current one is the highest).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Spec {
    pub idea_id: IdeaId,
    pub workspace_id: WorkspaceId,
    pub version: i64,
    pub content: SpecContent,
    pub saved_by: Option<MemberId>,
    pub saved_at: Timestamp,
}

/// A spec save: `expected_version` is the version the change was made from (0: there was no
/// spec yet).
#[derive(Clone, Debug)]
pub struct SpecSave {
    pub workspace_id: WorkspaceId,
    pub idea_id: IdeaId,
    pub expected_version: i64,
    pub content: SpecContent,
    pub actor: Option<MemberId>,
    pub now: Timestamp,
}

/// A line of a version history: who saved which version when.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct VersionEntry {
    pub version: i64,
    pub saved_by: Option<MemberId>,
    pub saved_at: Timestamp,
}

/// One version of an idea's user-facing documentation page.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FeatureDoc {
    pub idea_id: IdeaId,
    pub workspace_id: WorkspaceId,
    pub version: i64,
    /// Markdown.
    pub body: String,
    /// Readable on the product's portal (while the idea is shipped and the portal is on).
    pub public: bool,
    pub saved_by: Option<MemberId>,
    pub saved_at: Timestamp,
}

#[derive(Clone, Debug)]
pub struct FeatureDocSave {
    pub workspace_id: WorkspaceId,
    pub idea_id: IdeaId,
    pub expected_version: i64,
    pub body: String,
    pub public: bool,
    pub actor: Option<MemberId>,
    pub now: Timestamp,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct SpecsDump {
    /// Every version of every spec.
    pub spec_versions: Vec<Spec>,
    /// Every version of every documentation page.
    pub feature_doc_versions: Vec<FeatureDoc>,
}

#[async_trait]
pub trait SpecStore: Send + Sync {
    /// The current version; `None` when the idea has no spec yet. `NotFound` when the idea is
    /// not in the workspace.
    async fn get_spec(&self, ws: WorkspaceId, idea: IdeaId) -> StoreResult<Option<Spec>>;
    /// Keeps a new version if `expected_version` is the current one (0 when there is none);
    /// otherwise `VersionConflict` and nothing changes.
    async fn save_spec(&self, save: SpecSave) -> StoreResult<Spec>;
    /// Newest first.
    async fn list_spec_versions(
        &self,
        ws: WorkspaceId,
        idea: IdeaId,
    ) -> StoreResult<Vec<VersionEntry>>;
    async fn get_spec_version(
        &self,
        ws: WorkspaceId,
        idea: IdeaId,
        version: i64,
    ) -> StoreResult<Spec>;

    async fn get_feature_doc(
        &self,
        ws: WorkspaceId,
        idea: IdeaId,
    ) -> StoreResult<Option<FeatureDoc>>;
    /// Like [`save_spec`](Self::save_spec): a new version, or `VersionConflict`.
    async fn save_feature_doc(&self, save: FeatureDocSave) -> StoreResult<FeatureDoc>;
    /// Newest first.
    async fn list_feature_doc_versions(
        &self,
        ws: WorkspaceId,
        idea: IdeaId,
    ) -> StoreResult<Vec<VersionEntry>>;
    async fn get_feature_doc_version(
        &self,
        ws: WorkspaceId,
        idea: IdeaId,
        version: i64,
    ) -> StoreResult<FeatureDoc>;
}

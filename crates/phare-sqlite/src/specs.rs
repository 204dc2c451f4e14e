//! `impl SpecStore for SqliteStore`: every version of a spec and of a feature documentation page
//! is a row; the current one is the highest. Saves run on the one writer, so "is the version
//! still the current one" and the insert happen without anyone in between.

use crate::db;
use crate::rows::{get, ts, us};
use crate::SqliteStore;
use async_trait::async_trait;
use phare_domain::specs::SpecContent;
use phare_domain::*;
use phare_store::*;
use rusqlite::{params, Connection, Row};
use uuid::Uuid;

const SPEC_COLS: &str = "idea_id, version, workspace_id, content, saved_by, saved_at";
const DOC_COLS: &str = "idea_id, version, workspace_id, body, public, saved_by, saved_at";

fn spec(row: &Row<'_>) -> StoreResult<Spec> {
    let content: String = get(row, "content")?;
    Ok(Spec {
        idea_id: IdeaId(get(row, "idea_id")?),
        workspace_id: WorkspaceId(get(row, "workspace_id")?),
        version: get(row, "version")?,
        content: serde_json::from_str::<SpecContent>(&content)
            .map_err(|e| StoreError::Other(format!("spec content: {e}")))?,
        saved_by: get::<Option<Uuid>>(row, "saved_by")?.map(MemberId),
        saved_at: ts(get(row, "saved_at")?)?,
    })
}

fn doc(row: &Row<'_>) -> StoreResult<FeatureDoc> {
    Ok(FeatureDoc {
        idea_id: IdeaId(get(row, "idea_id")?),
        workspace_id: WorkspaceId(get(row, "workspace_id")?),
        version: get(row, "version")?,
        body: get(row, "body")?,
        public: get(row, "public")?,
        saved_by: get::<Option<Uuid>>(row, "saved_by")?.map(MemberId),
        saved_at: ts(get(row, "saved_at")?)?,
    })
}

fn entry(row: &Row<'_>) -> StoreResult<VersionEntry> {
    Ok(VersionEntry {
        version: get(row, "version")?,
        saved_by: get::<Option<Uuid>>(row, "saved_by")?.map(MemberId),
        saved_at: ts(get(row, "saved_at")?)?,
    })
}

fn content_json(c: &SpecContent) -> StoreResult<String> {
    serde_json::to_string(c).map_err(|e| StoreError::Other(format!("spec content: {e}")))
}

/// `NotFound` unless the idea is in the workspace.
fn check_idea(c: &Connection, ws: WorkspaceId, idea: IdeaId) -> StoreResult<()> {
    db::one(
        c,
        "SELECT 1 AS one FROM ideas WHERE id = ? AND workspace_id = ?",
        params![idea.0, ws.0],
        |r| get::<i64>(r, "one"),
    )
    .map(|_| ())
}

fn current_version(c: &Connection, table: &str, idea: IdeaId) -> StoreResult<i64> {
    db::one(
        c,
        &format!("SELECT COALESCE(MAX(version), 0) AS v FROM {table} WHERE idea_id = ?"),
        params![idea.0],
        |r| get(r, "v"),
    )
}

fn versions(
    c: &Connection,
    table: &str,
    ws: WorkspaceId,
    idea: IdeaId,
) -> StoreResult<Vec<VersionEntry>> {
    check_idea(c, ws, idea)?;
    db::all(
        c,
        &format!(
            "SELECT version, saved_by, saved_at FROM {table} \
             WHERE idea_id = ? AND workspace_id = ? ORDER BY version DESC"
        ),
        params![idea.0, ws.0],
        entry,
    )
}

fn insert_spec(c: &Connection, s: &Spec) -> StoreResult<()> {
    db::exec(
        c,
        &format!("INSERT INTO spec_versions ({SPEC_COLS}) VALUES (?, ?, ?, ?, ?, ?)"),
        params![
            s.idea_id.0,
            s.version,
            s.workspace_id.0,
            content_json(&s.content)?,
            s.saved_by.map(|m| m.0),
            us(s.saved_at)
        ],
    )
    .map(|_| ())
}

fn insert_doc(c: &Connection, d: &FeatureDoc) -> StoreResult<()> {
    db::exec(
        c,
        &format!("INSERT INTO feature_doc_versions ({DOC_COLS}) VALUES (?, ?, ?, ?, ?, ?, ?)"),
        params![
            d.idea_id.0,
            d.version,
            d.workspace_id.0,
            &d.body,
            d.public,
            d.saved_by.map(|m| m.0),
            us(d.saved_at)
        ],
    )
    .map(|_| ())
}

#[async_trait]
impl SpecStore for SqliteStore {
    async fn get_spec(&self, ws: WorkspaceId, idea: IdeaId) -> StoreResult<Option<Spec>> {
        self.read(move |c| {
            check_idea(c, ws, idea)?;
            db::opt(
                c,
                &format!(
                    "SELECT {SPEC_COLS} FROM spec_versions WHERE idea_id = ? AND workspace_id = ? \
                     ORDER BY version DESC LIMIT 1"
                ),
                params![idea.0, ws.0],
                spec,
            )
        })
        .await
    }

    async fn save_spec(&self, s: SpecSave) -> StoreResult<Spec> {
        self.write(move |c| {
            check_idea(c, s.workspace_id, s.idea_id)?;
            if current_version(c, "spec_versions", s.idea_id)? != s.expected_version {
                return Err(StoreError::VersionConflict);
            }
            let out = Spec {
                idea_id: s.idea_id,
                workspace_id: s.workspace_id,
                version: s.expected_version + 1,
                content: s.content,
                saved_by: s.actor,
                saved_at: s.now,
            };
            insert_spec(c, &out)?;
            Ok(out)
        })
        .await
    }

    async fn list_spec_versions(
        &self,
        ws: WorkspaceId,
        idea: IdeaId,
    ) -> StoreResult<Vec<VersionEntry>> {
        self.read(move |c| versions(c, "spec_versions", ws, idea))
            .await
    }

    async fn get_spec_version(
        &self,
        ws: WorkspaceId,
        idea: IdeaId,
        version: i64,
    ) -> StoreResult<Spec> {
        self.read(move |c| {
            db::one(
                c,
                &format!(
                    "SELECT {SPEC_COLS} FROM spec_versions \
                     WHERE idea_id = ? AND workspace_id = ? AND version = ?"
                ),
                params![idea.0, ws.0, version],
                spec,
            )
        })
        .await
    }

    async fn get_feature_doc(
        &self,
        ws: WorkspaceId,
        idea: IdeaId,
    ) -> StoreResult<Option<FeatureDoc>> {
        self.read(move |c| {
            check_idea(c, ws, idea)?;
            db::opt(
                c,
                &format!(
                    "SELECT {DOC_COLS} FROM feature_doc_versions \
                     WHERE idea_id = ? AND workspace_id = ? ORDER BY version DESC LIMIT 1"
                ),
                params![idea.0, ws.0],
                doc,
            )
        })
        .await
    }

    async fn save_feature_doc(&self, s: FeatureDocSave) -> StoreResult<FeatureDoc> {
        self.write(move |c| {
            check_idea(c, s.workspace_id, s.idea_id)?;
            if current_version(c, "feature_doc_versions", s.idea_id)? != s.expected_version {
                return Err(StoreError::VersionConflict);
            }
            let out = FeatureDoc {
                idea_id: s.idea_id,
                workspace_id: s.workspace_id,
                version: s.expected_version + 1,
                body: s.body,
                public: s.public,
                saved_by: s.actor,
                saved_at: s.now,
            };
            insert_doc(c, &out)?;
            Ok(out)
        })
        .await
    }

    async fn list_feature_doc_versions(
        &self,
        ws: WorkspaceId,
        idea: IdeaId,
    ) -> StoreResult<Vec<VersionEntry>> {
        self.read(move |c| versions(c, "feature_doc_versions", ws, idea))
            .await
    }

    async fn get_feature_doc_version(
        &self,
        ws: WorkspaceId,
        idea: IdeaId,
        version: i64,
    ) -> StoreResult<FeatureDoc> {
        self.read(move |c| {
            db::one(
                c,
                &format!(
                    "SELECT {DOC_COLS} FROM feature_doc_versions \
                     WHERE idea_id = ? AND workspace_id = ? AND version = ?"
                ),
                params![idea.0, ws.0, version],
                doc,
            )
        })
        .await
    }
}

pub(crate) fn dump(c: &Connection, d: &mut SpecsDump) -> StoreResult<()> {
    d.spec_versions.extend(db::all(
        c,
        &format!("SELECT {SPEC_COLS} FROM spec_versions ORDER BY idea_id, version"),
        [],
        spec,
    )?);
    d.feature_doc_versions.extend(db::all(
        c,
        &format!("SELECT {DOC_COLS} FROM feature_doc_versions ORDER BY idea_id, version"),
        [],
        doc,
    )?);
    Ok(())
}

/// Writes `d` into an empty database; the caller runs it inside its write transaction.
pub(crate) fn load(c: &Connection, d: &SpecsDump) -> StoreResult<()> {
    for s in &d.spec_versions {
        insert_spec(c, s)?;
    }
    for f in &d.feature_doc_versions {
        insert_doc(c, f)?;
    }
    Ok(())
}

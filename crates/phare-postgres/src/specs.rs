//! `impl SpecStore for PgStore`: every version of a spec and of a feature documentation page is
//! a row; the current one is the highest. A save locks the idea's row first, so two instances
//! saving from the same version are serialized and the second sees the conflict.

use crate::discovery::Res;
use crate::rows::{get, us};
use crate::store::{map_err, retrying};
use crate::PgStore;
use async_trait::async_trait;
use phare_domain::specs::SpecContent;
use phare_domain::*;
use phare_store::*;
use sqlx::postgres::PgRow;
use sqlx::PgConnection;
use uuid::Uuid;

const SPEC_COLS: &str = "idea_id, version, workspace_id, content, saved_by, saved_at";
const DOC_COLS: &str = "idea_id, version, workspace_id, body, public, saved_by, saved_at";

fn spec(row: &PgRow) -> StoreResult<Spec> {
    let content: String = get(row, "content")?;
    Ok(Spec {
        idea_id: IdeaId(get(row, "idea_id")?),
        workspace_id: WorkspaceId(get(row, "workspace_id")?),
        version: get(row, "version")?,
        content: serde_json::from_str::<SpecContent>(&content)
            .map_err(|e| StoreError::Other(format!("spec content: {e}")))?,
        saved_by: get::<Option<Uuid>>(row, "saved_by")?.map(MemberId),
        saved_at: get(row, "saved_at")?,
    })
}

fn doc(row: &PgRow) -> StoreResult<FeatureDoc> {
    Ok(FeatureDoc {
        idea_id: IdeaId(get(row, "idea_id")?),
        workspace_id: WorkspaceId(get(row, "workspace_id")?),
        version: get(row, "version")?,
        body: get(row, "body")?,
        public: get(row, "public")?,
        saved_by: get::<Option<Uuid>>(row, "saved_by")?.map(MemberId),
        saved_at: get(row, "saved_at")?,
    })
}

fn entry(row: &PgRow) -> StoreResult<VersionEntry> {
    Ok(VersionEntry {
        version: get(row, "version")?,
        saved_by: get::<Option<Uuid>>(row, "saved_by")?.map(MemberId),
        saved_at: get(row, "saved_at")?,
    })
}

fn content_json(c: &SpecContent) -> StoreResult<String> {
    serde_json::to_string(c).map_err(|e| StoreError::Other(format!("spec content: {e}")))
}

/// `NotFound` unless the idea is in the workspace; `lock` holds its row until the commit.
async fn check_idea(conn: &mut PgConnection, ws: WorkspaceId, idea: IdeaId, lock: bool) -> Res<()> {
    let sql = if lock {
        "SELECT id FROM ideas WHERE id = $1 AND workspace_id = $2 FOR UPDATE"
    } else {
        "SELECT id FROM ideas WHERE id = $1 AND workspace_id = $2"
    };
    sqlx::query(sql)
        .bind(idea.0)
        .bind(ws.0)
        .fetch_optional(&mut *conn)
        .await?
        .ok_or(StoreError::NotFound)?;
    Ok(())
}

async fn current_version(conn: &mut PgConnection, table: &str, idea: IdeaId) -> Res<i64> {
    let row = sqlx::query(&format!(
        "SELECT COALESCE(MAX(version), 0)::bigint AS v FROM {table} WHERE idea_id = $1"
    ))
    .bind(idea.0)
    .fetch_one(&mut *conn)
    .await?;
    Ok(get(&row, "v")?)
}

async fn versions(
    conn: &mut PgConnection,
    table: &str,
    ws: WorkspaceId,
    idea: IdeaId,
) -> Res<Vec<VersionEntry>> {
    check_idea(conn, ws, idea, false).await?;
    let rows = sqlx::query(&format!(
        "SELECT version, saved_by, saved_at FROM {table} \
         WHERE idea_id = $1 AND workspace_id = $2 ORDER BY version DESC"
    ))
    .bind(idea.0)
    .bind(ws.0)
    .fetch_all(&mut *conn)
    .await?;
    Ok(rows.iter().map(entry).collect::<StoreResult<_>>()?)
}

async fn insert_spec(conn: &mut PgConnection, s: &Spec) -> Res<()> {
    sqlx::query(&format!(
        "INSERT INTO spec_versions ({SPEC_COLS}) VALUES ($1, $2, $3, $4, $5, $6)"
    ))
    .bind(s.idea_id.0)
    .bind(s.version)
    .bind(s.workspace_id.0)
    .bind(content_json(&s.content)?)
    .bind(s.saved_by.map(|m| m.0))
    .bind(us(s.saved_at))
    .execute(&mut *conn)
    .await?;
    Ok(())
}

async fn insert_doc(conn: &mut PgConnection, d: &FeatureDoc) -> Res<()> {
    sqlx::query(&format!(
        "INSERT INTO feature_doc_versions ({DOC_COLS}) VALUES ($1, $2, $3, $4, $5, $6, $7)"
    ))
    .bind(d.idea_id.0)
    .bind(d.version)
    .bind(d.workspace_id.0)
    .bind(&d.body)
    .bind(d.public)
    .bind(d.saved_by.map(|m| m.0))
    .bind(us(d.saved_at))
    .execute(&mut *conn)
    .await?;
    Ok(())
}

#[async_trait]
impl SpecStore for PgStore {
    async fn get_spec(&self, ws: WorkspaceId, idea: IdeaId) -> StoreResult<Option<Spec>> {
        let mut conn = self.pool.acquire().await.map_err(map_err)?;
        check_idea(&mut conn, ws, idea, false).await?;
        let row = sqlx::query(&format!(
            "SELECT {SPEC_COLS} FROM spec_versions WHERE idea_id = $1 AND workspace_id = $2 \
             ORDER BY version DESC LIMIT 1"
        ))
        .bind(idea.0)
        .bind(ws.0)
        .fetch_optional(&mut *conn)
        .await
        .map_err(map_err)?;
        row.as_ref().map(spec).transpose()
    }

    async fn save_spec(&self, s: SpecSave) -> StoreResult<Spec> {
        let s = &s;
        retrying("save_spec", || async move {
            let mut tx = self.pool.begin().await?;
            check_idea(&mut tx, s.workspace_id, s.idea_id, true).await?;
            if current_version(&mut tx, "spec_versions", s.idea_id).await? != s.expected_version {
                return Err(StoreError::VersionConflict.into());
            }
            let out = Spec {
                idea_id: s.idea_id,
                workspace_id: s.workspace_id,
                version: s.expected_version + 1,
                content: s.content.clone(),
                saved_by: s.actor,
                saved_at: us(s.now),
            };
            insert_spec(&mut tx, &out).await?;
            tx.commit().await?;
            Ok(out)
        })
        .await
    }

    async fn list_spec_versions(
        &self,
        ws: WorkspaceId,
        idea: IdeaId,
    ) -> StoreResult<Vec<VersionEntry>> {
        let mut conn = self.pool.acquire().await.map_err(map_err)?;
        Ok(versions(&mut conn, "spec_versions", ws, idea).await?)
    }

    async fn get_spec_version(
        &self,
        ws: WorkspaceId,
        idea: IdeaId,
        version: i64,
    ) -> StoreResult<Spec> {
        let row = sqlx::query(&format!(
            "SELECT {SPEC_COLS} FROM spec_versions \
             WHERE idea_id = $1 AND workspace_id = $2 AND version = $3"
        ))
        .bind(idea.0)
        .bind(ws.0)
        .bind(version)
        .fetch_optional(&self.pool)
        .await
        .map_err(map_err)?;
        row.as_ref()
            .map(spec)
            .transpose()?
            .ok_or(StoreError::NotFound)
    }

    async fn get_feature_doc(
        &self,
        ws: WorkspaceId,
        idea: IdeaId,
    ) -> StoreResult<Option<FeatureDoc>> {
        let mut conn = self.pool.acquire().await.map_err(map_err)?;
        check_idea(&mut conn, ws, idea, false).await?;
        let row = sqlx::query(&format!(
            "SELECT {DOC_COLS} FROM feature_doc_versions WHERE idea_id = $1 AND workspace_id = $2 \
             ORDER BY version DESC LIMIT 1"
        ))
        .bind(idea.0)
        .bind(ws.0)
        .fetch_optional(&mut *conn)
        .await
        .map_err(map_err)?;
        row.as_ref().map(doc).transpose()
    }

    async fn save_feature_doc(&self, s: FeatureDocSave) -> StoreResult<FeatureDoc> {
        let s = &s;
        retrying("save_feature_doc", || async move {
            let mut tx = self.pool.begin().await?;
            check_idea(&mut tx, s.workspace_id, s.idea_id, true).await?;
            if current_version(&mut tx, "feature_doc_versions", s.idea_id).await?
                != s.expected_version
            {
                return Err(StoreError::VersionConflict.into());
            }
            let out = FeatureDoc {
                idea_id: s.idea_id,
                workspace_id: s.workspace_id,
                version: s.expected_version + 1,
                body: s.body.clone(),
                public: s.public,
                saved_by: s.actor,
                saved_at: us(s.now),
            };
            insert_doc(&mut tx, &out).await?;
            tx.commit().await?;
            Ok(out)
        })
        .await
    }

    async fn list_feature_doc_versions(
        &self,
        ws: WorkspaceId,
        idea: IdeaId,
    ) -> StoreResult<Vec<VersionEntry>> {
        let mut conn = self.pool.acquire().await.map_err(map_err)?;
        Ok(versions(&mut conn, "feature_doc_versions", ws, idea).await?)
    }

    async fn get_feature_doc_version(
        &self,
        ws: WorkspaceId,
        idea: IdeaId,
        version: i64,
    ) -> StoreResult<FeatureDoc> {
        let row = sqlx::query(&format!(
            "SELECT {DOC_COLS} FROM feature_doc_versions \
             WHERE idea_id = $1 AND workspace_id = $2 AND version = $3"
        ))
        .bind(idea.0)
        .bind(ws.0)
        .bind(version)
        .fetch_optional(&self.pool)
        .await
        .map_err(map_err)?;
        row.as_ref()
            .map(doc)
            .transpose()?
            .ok_or(StoreError::NotFound)
    }
}

pub(crate) async fn dump(conn: &mut PgConnection, d: &mut SpecsDump) -> Res<()> {
    for r in sqlx::query(&format!(
        "SELECT {SPEC_COLS} FROM spec_versions ORDER BY idea_id, version"
    ))
    .fetch_all(&mut *conn)
    .await?
    {
        d.spec_versions.push(spec(&r)?);
    }
    for r in sqlx::query(&format!(
        "SELECT {DOC_COLS} FROM feature_doc_versions ORDER BY idea_id, version"
    ))
    .fetch_all(&mut *conn)
    .await?
    {
        d.feature_doc_versions.push(doc(&r)?);
    }
    Ok(())
}

pub(crate) async fn load(conn: &mut PgConnection, d: &SpecsDump) -> Res<()> {
    for s in &d.spec_versions {
        insert_spec(conn, s).await?;
    }
    for f in &d.feature_doc_versions {
        insert_doc(conn, f).await?;
    }
    Ok(())
}

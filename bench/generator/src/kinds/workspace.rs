use super::Kind;
use crate::ctx::Ctx;
use async_trait::async_trait;
use phare_domain::{Locale, WorkspaceId};
use phare_store::{NewWorkspace, Store};

/// The one workspace every other record belongs to.
pub struct Workspaces;

#[async_trait]
impl Kind for Workspaces {
    fn name(&self) -> &'static str {
        "workspaces"
    }

    async fn generate(&self, store: &dyn Store, ctx: &mut Ctx) -> anyhow::Result<u64> {
        let id = WorkspaceId(ctx.uuid_at(0));
        store
            .create_workspace(NewWorkspace {
                id,
                slug: "ville-de-lumiere".into(),
                name: "Ville de Lumière".into(),
                default_locale: Locale::Fr,
                now: ctx.at(0),
            })
            .await?;
        ctx.workspace = Some(id);
        Ok(1)
    }
}

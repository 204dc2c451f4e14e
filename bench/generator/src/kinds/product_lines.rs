use super::Kind;
use crate::ctx::Ctx;
use crate::text::PRODUCT_LINES;
use async_trait::async_trait;
use phare_domain::ProductLineId;
use phare_store::{NewProductLine, Store};

/// Product lines grouping the products, with French names and descriptions.
pub struct ProductLines;

#[async_trait]
impl Kind for ProductLines {
    fn name(&self) -> &'static str {
        "product lines"
    }

    async fn generate(&self, store: &dyn Store, ctx: &mut Ctx) -> anyhow::Result<u64> {
        let ws = ctx.workspace()?;
        let count = ctx.scale.product_lines.min(PRODUCT_LINES.len());
        for (i, (fr_name, _en_name, fr_desc, en_desc)) in
            PRODUCT_LINES.iter().take(count).enumerate()
        {
            let at = 3_600 * (i as i64 + 1);
            let id = ProductLineId(ctx.uuid_at(at));
            store
                .create_product_line(NewProductLine {
                    id,
                    workspace_id: ws,
                    name: (*fr_name).to_string(),
                    description: format!("{fr_desc}\n\n{en_desc}"),
                    now: ctx.at(at),
                })
                .await?;
            ctx.product_lines.push(id);
        }
        Ok(count as u64)
    }
}

use super::Kind;
use crate::ctx::Ctx;
use crate::text::PRODUCTS;
use async_trait::async_trait;
use phare_domain::{PmModel, ProductId};
use phare_store::{NewProduct, Store};
use rand::seq::SliceRandom;

/// Products, each in a product line, with bilingual descriptions.
pub struct Products;

#[async_trait]
impl Kind for Products {
    fn name(&self) -> &'static str {
        "products"
    }

    async fn generate(&self, store: &dyn Store, ctx: &mut Ctx) -> anyhow::Result<u64> {
        let ws = ctx.workspace()?;
        let count = ctx.scale.products.min(PRODUCTS.len());
        for (i, (name, key, line, fr_desc, en_desc)) in PRODUCTS.iter().take(count).enumerate() {
            let at = 86_400 * (i as i64 + 1);
            let id = ProductId(ctx.uuid_at(at));
            let pm_model = PmModel::ALL
                .choose(&mut ctx.rng)
                .copied()
                .unwrap_or(PmModel::Shared);
            store
                .create_product(NewProduct {
                    id,
                    workspace_id: ws,
                    product_line_id: ctx.product_lines.get(*line).copied(),
                    name: (*name).to_string(),
                    key: (*key).to_string(),
                    description: format!("{fr_desc}\n\n{en_desc}"),
                    pm_model,
                    now: ctx.at(at),
                })
                .await?;
            ctx.products.push(id);
        }
        Ok(count as u64)
    }
}

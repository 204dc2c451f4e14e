use super::Kind;
use crate::ctx::Ctx;
use async_trait::async_trait;
use phare_domain::{MemberId, Raci, Role};
use phare_store::Store;
use rand::seq::index::sample;
use rand::Rng;

/// For each product: one accountable (a product manager when there is one), a few responsible
/// and consulted members, and a larger informed circle.
pub struct RaciEntries;

#[async_trait]
impl Kind for RaciEntries {
    fn name(&self) -> &'static str {
        "RACI entries"
    }

    async fn generate(&self, store: &dyn Store, ctx: &mut Ctx) -> anyhow::Result<u64> {
        let ws = ctx.workspace()?;
        let n = ctx.members.len();
        if n == 0 {
            return Ok(0);
        }
        let pms: Vec<usize> = (0..n)
            .filter(|&i| matches!(ctx.members[i].role, Role::ProductManager | Role::Admin))
            .collect();
        let mut total = 0u64;
        for p in 0..ctx.products.len() {
            let product = ctx.products[p];
            let accountable = if pms.is_empty() {
                0
            } else {
                pms[ctx.rng.gen_range(0..pms.len())]
            };
            let responsible = ctx.rng.gen_range(1..=3usize);
            let consulted = ctx.rng.gen_range(2..=6usize);
            let informed = ctx.rng.gen_range(4..=20usize);
            let wanted = (responsible + consulted + informed).min(n.saturating_sub(1));
            let others: Vec<usize> = sample(&mut ctx.rng, n, wanted.min(n))
                .into_iter()
                .filter(|&i| i != accountable)
                .take(wanted)
                .collect();
            let mut entries: Vec<(MemberId, Raci)> =
                vec![(ctx.members[accountable].id, Raci::Accountable)];
            for (k, &i) in others.iter().enumerate() {
                let raci = if k < responsible {
                    Raci::Responsible
                } else if k < responsible + consulted {
                    Raci::Consulted
                } else {
                    Raci::Informed
                };
                entries.push((ctx.members[i].id, raci));
            }
            let stored = store.set_raci(ws, product, &entries).await?;
            total += stored.len() as u64;
        }
        Ok(total)
    }
}

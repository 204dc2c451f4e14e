//! One module per kind of record. Each step reads what earlier steps left in [`Ctx`] and writes
//! through the [`Store`] trait only, as the product does. Adding a kind (ideas, feedback, votes…)
//! is one new module implementing [`Kind`] and one line in [`all`].

mod audit;
mod members;
mod product_lines;
mod products;
mod raci;
mod workspace;

use crate::ctx::Ctx;
use async_trait::async_trait;
use phare_store::Store;

#[async_trait]
pub trait Kind: Send + Sync {
    /// Plural name shown in the report (`members`, `products`…).
    fn name(&self) -> &'static str;
    /// Creates the records and returns how many were written.
    async fn generate(&self, store: &dyn Store, ctx: &mut Ctx) -> anyhow::Result<u64>;
}

/// Every kind, in dependency order.
pub fn all() -> Vec<Box<dyn Kind>> {
    vec![
        Box::new(workspace::Workspaces),
        Box::new(members::Members),
        Box::new(product_lines::ProductLines),
        Box::new(products::Products),
        Box::new(raci::RaciEntries),
        Box::new(audit::AuditEvents),
    ]
}

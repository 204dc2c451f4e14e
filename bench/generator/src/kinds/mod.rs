//! One module per kind of record. Each step reads what earlier steps left in [`Ctx`] and writes
//! through the [`Store`] trait only, as the product does. Adding a kind (ideas, feedback, votes…)
//! is one new module implementing [`Kind`] and one line in [`all`].

mod audit;
mod customers;
// decisions (issue #4)
mod decisions;
mod evidence;
mod feedback;
mod ideas;
mod members;
mod portal;
mod product_lines;
mod products;
mod raci;
// scoring slice (issue #4)
mod scoring;
mod triage;
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
        Box::new(customers::Customers),
        Box::new(feedback::Feedback),
        Box::new(ideas::Ideas),
        Box::new(evidence::EvidenceLinks),
        Box::new(triage::InboxTriage),
        Box::new(portal::Portals),
        Box::new(portal::PortalUsers),
        Box::new(portal::Votes),
        // decisions (issue #4)
        Box::new(decisions::Decisions),
        // scoring slice (issue #4)
        Box::new(scoring::Scores),
    ]
}

/// Rows per call of the store's batch methods (`import_feedback`, `import_ideas`,
/// `import_evidence`: one transaction each).
pub const BATCH: usize = 5_000;

/// Name of the step that changes states rather than adding records.
pub const TRIAGE: &str = "inbox triage";

/// Runs `make` on its own thread, which sends batches while the caller writes the previous
/// ones: building text overlaps with the database work. `make` stops early when the receiver
/// is gone (the caller failed). Only `make` draws from its random source, so the batches are
/// the same on every run.
pub fn produce<T, R>(
    make: impl FnOnce(tokio::sync::mpsc::Sender<T>) -> R + Send + 'static,
) -> (tokio::sync::mpsc::Receiver<T>, std::thread::JoinHandle<R>)
where
    T: Send + 'static,
    R: Send + 'static,
{
    let (tx, rx) = tokio::sync::mpsc::channel(2);
    let handle = std::thread::spawn(move || make(tx));
    (rx, handle)
}

/// Waits for a producer thread's result (it has sent its last batch by then).
pub fn joined<R>(handle: std::thread::JoinHandle<R>) -> anyhow::Result<R> {
    handle
        .join()
        .map_err(|_| anyhow::anyhow!("a generator thread panicked"))
}

/// Members who may write ideas and link evidence (admins, product managers, contributors).
pub fn writers(ctx: &Ctx) -> Vec<phare_domain::MemberId> {
    use phare_domain::Role;
    let v: Vec<_> = ctx
        .members
        .iter()
        .filter(|m| {
            matches!(
                m.role,
                Role::Admin | Role::ProductManager | Role::Contributor
            )
        })
        .map(|m| m.id)
        .collect();
    if v.is_empty() {
        ctx.members.iter().map(|m| m.id).collect()
    } else {
        v
    }
}

/// How often each product gets feedback and ideas (the citizen portal most, maps least), in
/// the order of `text::PRODUCTS`.
pub const PRODUCT_WEIGHTS: &[u32] = &[22, 14, 12, 6, 5, 12, 9, 6, 4, 10];

/// A product index drawn with [`PRODUCT_WEIGHTS`] (uniform beyond them).
pub fn pick_product(rng: &mut impl rand::Rng, products: usize) -> usize {
    use rand::distributions::{Distribution, WeightedIndex};
    let weights: Vec<u32> = (0..products)
        .map(|i| PRODUCT_WEIGHTS.get(i).copied().unwrap_or(8))
        .collect();
    match WeightedIndex::new(&weights) {
        Ok(w) => w.sample(rng),
        Err(_) => 0,
    }
}

/// A topic index: each product talks most about one topic, then evenly about the others.
pub fn pick_topic(rng: &mut impl rand::Rng, product: usize) -> usize {
    let n = crate::prose::TOPICS.len();
    if rng.gen_bool(0.25) {
        product % n
    } else {
        rng.gen_range(0..n)
    }
}

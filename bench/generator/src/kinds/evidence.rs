use super::feedback::text_of;
use super::{joined, produce, writers, Kind, BATCH};
use crate::ctx::{self, Ctx, CustomerSpec, FeedbackRef, Progress, DISCOVERY_TO};
use crate::prose;
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use phare_domain::{EvidenceId, FeedbackId, IdeaId, Importance, MemberId, WorkspaceId};
use phare_store::{NewEvidence, Store};
use rand::rngs::StdRng;
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};

/// Evidence: the feedback items the inbox linked (most triaged ones) support one to several
/// ideas of their product, mostly on their own topic, and popular ideas gather most of the
/// links. Importance is spread (half nice to have, a sixth critical); a third quote an excerpt
/// of the item. Written through `import_evidence`, which also counts the links on both sides.
pub struct EvidenceLinks;

/// Links per `import_evidence` call (one transaction each), sorted by idea. Their ids (drawn
/// at the link's date) and their ideas land all over the evidence indexes, and a transaction
/// writes each page it changed to the log once: ten times the rows per call, in index order,
/// write far fewer pages per link (evidence 153 → 81 s on the large set, docs/PERFORMANCE.md).
const LINK_BATCH: usize = 10 * BATCH;

struct Plan {
    ws: WorkspaceId,
    epoch: DateTime<Utc>,
    total: usize,
    feedback: Vec<FeedbackRef>,
    groups: Vec<Vec<IdeaId>>,
    customers: Vec<CustomerSpec>,
    writers: Vec<MemberId>,
}

/// Knuth's Poisson sampler (the means here are small).
fn poisson(rng: &mut impl Rng, mean: f64) -> usize {
    if mean <= 0.0 {
        return 0;
    }
    let limit = (-mean).exp();
    let mut k = 0;
    let mut p: f64 = rng.gen();
    while p > limit && k < 64 {
        k += 1;
        p *= rng.gen::<f64>();
    }
    k
}

fn importance(rng: &mut impl Rng) -> Importance {
    match rng.gen_range(0..100) {
        0..=49 => Importance::NiceToHave,
        50..=84 => Importance::Important,
        _ => Importance::Critical,
    }
}

impl Plan {
    /// An idea of the product, on the item's topic most of the time; the oldest ideas of a
    /// group are the most linked (index drawn as n·u²).
    fn pick_idea(&self, rng: &mut impl Rng, product: usize, topic: usize) -> Option<IdeaId> {
        let topics = prose::TOPICS.len();
        let first = if rng.gen_bool(0.85) {
            topic
        } else {
            rng.gen_range(0..topics)
        };
        for k in 0..topics {
            let g = &self.groups[product * topics + (first + k) % topics];
            if !g.is_empty() {
                let u: f64 = rng.gen();
                let i = ((g.len() as f64) * u * u) as usize;
                return g.get(i.min(g.len() - 1)).copied();
            }
        }
        None
    }

    fn run(
        self,
        seed: u64,
        tx: tokio::sync::mpsc::Sender<Vec<NewEvidence>>,
    ) -> (Vec<FeedbackRef>, Vec<Vec<IdeaId>>) {
        let mut rng = StdRng::seed_from_u64(seed);
        let linked: Vec<usize> = (0..self.feedback.len())
            .filter(|&i| self.feedback[i].fate.linked() && self.feedback[i].product != u8::MAX)
            .collect();
        let mut remaining = self.total;
        let mut batch = Vec::with_capacity(LINK_BATCH);
        let mut chosen: Vec<IdeaId> = Vec::new();
        for (k, &fi) in linked.iter().enumerate() {
            if remaining == 0 {
                break;
            }
            let f = self.feedback[fi];
            // Links for this item: 1 + Poisson around what is left per item, so the total
            // lands on `total` exactly.
            let items_left = linked.len() - k;
            let mean = remaining as f64 / items_left as f64;
            let mut links = 1 + poisson(&mut rng, mean - 1.0);
            if items_left == 1 {
                links = remaining;
            }
            links = links.clamp(1, remaining.saturating_sub(items_left - 1).max(1));
            links = links.min(remaining);
            chosen.clear();
            let product = usize::from(f.product);
            let mut attempts = 0;
            while chosen.len() < links && attempts < links * 8 {
                attempts += 1;
                if let Some(idea) = self.pick_idea(&mut rng, product, usize::from(f.topic)) {
                    if !chosen.contains(&idea) {
                        chosen.push(idea);
                    }
                }
            }
            let fb_secs = ctx::seconds_of(self.epoch, f.id.0);
            let text = if chosen.is_empty() {
                None
            } else {
                Some(text_of(&f, &self.customers))
            };
            for idea in &chosen {
                let idea_secs = ctx::seconds_of(self.epoch, idea.0);
                let at =
                    (fb_secs.max(idea_secs) + rng.gen_range(3_600..21 * 86_400)).min(DISCOVERY_TO);
                let excerpt = match &text {
                    Some(t) if rng.gen_bool(0.3) => Some(prose::excerpt(&mut rng, t)),
                    _ => None,
                };
                batch.push(NewEvidence {
                    id: EvidenceId(ctx::uuid_at(self.epoch, &mut rng, at)),
                    workspace_id: self.ws,
                    idea_id: *idea,
                    feedback_id: FeedbackId(f.id.0),
                    excerpt,
                    importance: importance(&mut rng),
                    created_by: self.writers.choose(&mut rng).copied(),
                    now: ctx::at(self.epoch, at),
                });
                remaining -= 1;
                if batch.len() == LINK_BATCH {
                    let mut full = std::mem::replace(&mut batch, Vec::with_capacity(LINK_BATCH));
                    full.sort_unstable_by_key(|e| (e.idea_id, e.feedback_id));
                    if tx.blocking_send(full).is_err() {
                        return (self.feedback, self.groups);
                    }
                }
            }
        }
        if !batch.is_empty() {
            batch.sort_unstable_by_key(|e| (e.idea_id, e.feedback_id));
            let _ = tx.blocking_send(batch);
        }
        (self.feedback, self.groups)
    }
}

#[async_trait]
impl Kind for EvidenceLinks {
    fn name(&self) -> &'static str {
        "evidence"
    }

    async fn generate(&self, store: &dyn Store, ctx: &mut Ctx) -> anyhow::Result<u64> {
        let total = ctx.scale.evidence;
        if total == 0 || ctx.feedback.is_empty() || ctx.idea_groups.iter().all(Vec::is_empty) {
            return Ok(0);
        }
        let plan = Plan {
            ws: ctx.workspace()?,
            epoch: ctx.epoch,
            total,
            feedback: std::mem::take(&mut ctx.feedback),
            groups: std::mem::take(&mut ctx.idea_groups),
            customers: ctx.customers.clone(),
            writers: writers(ctx),
        };
        let seed = ctx.rng.gen::<u64>();
        let (mut rx, handle) = produce(move |tx| plan.run(seed, tx));
        let mut progress = Progress::new("evidence", total, ctx.progress);
        let mut made = 0usize;
        while let Some(batch) = rx.recv().await {
            made += store.import_evidence(batch).await? as usize;
            progress.tick(made);
        }
        (ctx.feedback, ctx.idea_groups) = joined(handle)?;
        Ok(made as u64)
    }
}

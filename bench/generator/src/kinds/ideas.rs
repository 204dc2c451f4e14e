use super::{joined, pick_product, pick_topic, produce, writers, Kind, BATCH};
use crate::ctx::{self, Ctx, Progress, DISCOVERY_FROM, DISCOVERY_TO};
use crate::prose;
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use phare_domain::{IdeaId, IdeaStatus, Locale, MemberId, ProductId, Role, WorkspaceId};
use phare_store::{NewIdea, Store};
use rand::distributions::{Distribution, WeightedIndex};
use rand::rngs::StdRng;
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};

/// Ideas written as user stories (as a … / I want … / so that …), on the topics feedback
/// talks about, in French and English, over the same two years. Old ideas are more often
/// shipped or declined, recent ones more often drafts. Written through `import_ideas`.
pub struct Ideas;

struct Plan {
    ws: WorkspaceId,
    epoch: DateTime<Utc>,
    total: usize,
    products: Vec<ProductId>,
    owners: Vec<MemberId>,
    writers: Vec<MemberId>,
}

/// Status weights for an idea created at `frac` of the span (0 oldest, 1 newest).
fn status_for(rng: &mut impl Rng, frac: f64) -> IdeaStatus {
    let w = [
        (IdeaStatus::Draft, 5.0 + 25.0 * frac),
        (IdeaStatus::UnderConsideration, 35.0),
        (IdeaStatus::Planned, 8.0 + 12.0 * frac),
        (IdeaStatus::InProgress, 3.0 + 7.0 * frac),
        (IdeaStatus::Shipped, 3.0 + 30.0 * (1.0 - frac)),
        (IdeaStatus::Declined, 8.0),
    ];
    match WeightedIndex::new(w.iter().map(|x| x.1)) {
        Ok(d) => w[d.sample(rng)].0,
        Err(_) => IdeaStatus::UnderConsideration,
    }
}

impl Plan {
    /// Sends the ideas; returns them by product and topic, and the portal candidates.
    fn run(
        self,
        seed: u64,
        tx: tokio::sync::mpsc::Sender<Vec<NewIdea>>,
    ) -> (Vec<Vec<IdeaId>>, Vec<IdeaId>) {
        let mut rng = StdRng::seed_from_u64(seed);
        let topics = prose::TOPICS.len();
        let mut groups: Vec<Vec<IdeaId>> = vec![Vec::new(); self.products.len() * topics];
        let span = (DISCOVERY_TO - DISCOVERY_FROM) as f64;
        let mut batch = Vec::with_capacity(BATCH);
        let mut candidates = Vec::new();
        for i in 0..self.total {
            let frac = ((i as f64 + rng.gen::<f64>()) / self.total as f64).sqrt();
            let now = DISCOVERY_FROM + (frac * span) as i64;
            let product = pick_product(&mut rng, self.products.len());
            let topic = pick_topic(&mut rng, product);
            let lang = if rng.gen_bool(0.6) {
                Locale::Fr
            } else {
                Locale::En
            };
            let status = status_for(&mut rng, frac);
            // Only drafts may lack their benefit; a third of them do.
            let with_benefit = status != IdeaStatus::Draft || rng.gen_bool(0.67);
            let text = prose::idea_text(&mut rng, lang, &prose::TOPICS[topic], with_benefit);
            let mut tags = Vec::new();
            if rng.gen_bool(0.85) {
                tags.push(prose::TOPICS[topic].tag.to_string());
            }
            if rng.gen_bool(0.3) {
                let t = prose::IDEA_EXTRA_TAGS
                    .choose(&mut rng)
                    .copied()
                    .unwrap_or("ux")
                    .to_string();
                if !tags.contains(&t) {
                    tags.push(t);
                }
            }
            let owner_id = if rng.gen_bool(0.7) {
                self.owners.choose(&mut rng).copied()
            } else {
                None
            };
            let created_by = self.writers.choose(&mut rng).copied();
            let id = IdeaId(ctx::uuid_at(self.epoch, &mut rng, now));
            groups[product * topics + topic].push(id);
            // About a third of the ideas past the draft stage go on the portal (chosen from the
            // id, so that no random draw of the ideas changes).
            if status != IdeaStatus::Draft && id.0.as_u128().is_multiple_of(3) {
                candidates.push(id);
            }
            batch.push(NewIdea {
                id,
                workspace_id: self.ws,
                product_id: self.products[product],
                text,
                status,
                owner_id,
                tags,
                created_by,
                evidence: None,
                external: None,
                now: ctx::at(self.epoch, now),
            });
            if batch.len() == BATCH {
                let full = std::mem::replace(&mut batch, Vec::with_capacity(BATCH));
                if tx.blocking_send(full).is_err() {
                    return (groups, candidates);
                }
            }
        }
        if !batch.is_empty() {
            let _ = tx.blocking_send(batch);
        }
        (groups, candidates)
    }
}

#[async_trait]
impl Kind for Ideas {
    fn name(&self) -> &'static str {
        "ideas"
    }

    async fn generate(&self, store: &dyn Store, ctx: &mut Ctx) -> anyhow::Result<u64> {
        let total = ctx.scale.ideas;
        if total == 0 || ctx.products.is_empty() {
            return Ok(0);
        }
        let owners: Vec<MemberId> = ctx
            .members
            .iter()
            .filter(|m| matches!(m.role, Role::ProductManager | Role::Admin))
            .map(|m| m.id)
            .collect();
        let plan = Plan {
            ws: ctx.workspace()?,
            epoch: ctx.epoch,
            total,
            products: ctx.products.clone(),
            owners,
            writers: writers(ctx),
        };
        let seed = ctx.rng.gen::<u64>();
        let (mut rx, handle) = produce(move |tx| plan.run(seed, tx));
        let mut progress = Progress::new("ideas", total, ctx.progress);
        let mut done = 0usize;
        while let Some(batch) = rx.recv().await {
            let n = batch.len();
            let counts = store.import_ideas(batch).await?;
            anyhow::ensure!(
                counts.created == n as u64,
                "import_ideas created {} of {n} ideas",
                counts.created
            );
            done += n;
            progress.tick(done);
        }
        (ctx.idea_groups, ctx.portal_candidates) = joined(handle)?;
        anyhow::ensure!(done == total, "wrote {done} of {total} ideas");
        Ok(done as u64)
    }
}

//! The public portals: every product's portal on, a third of the ideas past the draft stage
//! published, the people who signed in there, and their votes — a few ideas gather most of
//! them, as on every public board.

use super::{joined, produce, Kind, BATCH};
use crate::ctx::{self, Ctx, Progress, DISCOVERY_TO};
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use phare_domain::{IdeaId, PortalState, PortalUserId, WorkspaceId};
use phare_store::{PortalIdeaPatch, PortalPut, PortalUser, PortalVote, Store};
use rand::rngs::StdRng;
use rand::seq::{index, SliceRandom};
use rand::{Rng, SeedableRng};

/// Ideas published at once: the store's writer commits concurrent writes together.
const PUBLISH_TOGETHER: usize = 64;
/// Votes per `import_votes` call (one transaction each), sorted by voter: the votes come idea
/// by idea, so the voter index (`portal_votes_user`) would otherwise take them at random places
/// and the transaction would rewrite most of its pages.
const VOTE_BATCH: usize = 10 * BATCH;

/// Turns every product's portal on and publishes the portal candidates the ideas step chose
/// (through `update_portal_idea`, as a product manager does). Reports the portals.
pub struct Portals;

#[async_trait]
impl Kind for Portals {
    fn name(&self) -> &'static str {
        "portals"
    }

    async fn generate(&self, store: &dyn Store, ctx: &mut Ctx) -> anyhow::Result<u64> {
        let ws = ctx.workspace()?;
        let now = ctx.at(DISCOVERY_TO);
        for (i, product) in ctx.products.iter().enumerate() {
            store
                .put_portal(PortalPut {
                    workspace_id: ws,
                    product_id: *product,
                    expected_version: 0,
                    enabled: true,
                    title: format!("Idées et suggestions {}", i + 1),
                    intro: "Proposez, votez, suivez. *Suggest, vote, follow.*".into(),
                    now,
                })
                .await?;
        }
        let mut progress =
            Progress::new("published ideas", ctx.portal_candidates.len(), ctx.progress);
        for (done, chunk) in ctx.portal_candidates.chunks(PUBLISH_TOGETHER).enumerate() {
            let calls = chunk.iter().map(|id| {
                // Published when written down: the votes come after.
                let at = ctx::at(ctx.epoch, ctx::seconds_of(ctx.epoch, id.0));
                store.update_portal_idea(
                    ws,
                    *id,
                    1,
                    PortalIdeaPatch {
                        state: Some(PortalState::Published),
                        now: Some(at),
                        ..Default::default()
                    },
                )
            });
            // Polled together: each call queues its write before any awaits its commit.
            for published in futures::future::join_all(calls).await {
                published?;
            }
            progress.tick(done * PUBLISH_TOGETHER + chunk.len());
        }
        Ok(ctx.products.len() as u64)
    }
}

/// People who signed in on a portal (`import_portal_users`), over the two years.
pub struct PortalUsers;

#[async_trait]
impl Kind for PortalUsers {
    fn name(&self) -> &'static str {
        "portal users"
    }

    async fn generate(&self, store: &dyn Store, ctx: &mut Ctx) -> anyhow::Result<u64> {
        let ws = ctx.workspace()?;
        let total = ctx.scale.portal_users;
        let mut progress = Progress::new("portal users", total, ctx.progress);
        let mut batch = Vec::with_capacity(VOTE_BATCH);
        let mut written = 0u64;
        for n in 0..total {
            let offset = ctx.rng.gen_range(ctx::DISCOVERY_FROM..DISCOVERY_TO);
            let id = PortalUserId(ctx.uuid_at(offset));
            ctx.portal_users.push(id);
            batch.push(PortalUser {
                id,
                workspace_id: ws,
                email: format!("usager{n}@example.org"),
                display_name: if n.is_multiple_of(3) {
                    String::new()
                } else {
                    format!("Usager {n}")
                },
                created_at: ctx.at(offset),
            });
            if batch.len() == VOTE_BATCH || n + 1 == total {
                written += store
                    .import_portal_users(std::mem::take(&mut batch))
                    .await?;
                progress.tick(n + 1);
            }
        }
        anyhow::ensure!(
            written == total as u64,
            "wrote {written} of {total} portal users"
        );
        Ok(written)
    }
}

/// Votes on the published ideas (`import_votes`): each idea's share follows a power law over
/// a random ranking (a few ideas gather thousands, most a handful), its voters are distinct,
/// each vote falls between the idea's publication and the end of the span.
pub struct Votes;

struct Plan {
    ws: WorkspaceId,
    epoch: DateTime<Utc>,
    total: usize,
    ideas: Vec<IdeaId>,
    users: Vec<PortalUserId>,
}

impl Plan {
    fn run(self, seed: u64, tx: tokio::sync::mpsc::Sender<Vec<PortalVote>>) -> usize {
        let mut rng = StdRng::seed_from_u64(seed);
        let mut rank: Vec<usize> = (0..self.ideas.len()).collect();
        rank.shuffle(&mut rng);
        let weight = |r: usize| 1.0 / ((r + 1) as f64).powf(0.8);
        let sum: f64 = rank.iter().map(|r| weight(*r)).sum();
        let mut sent = 0;
        let mut batch = Vec::with_capacity(VOTE_BATCH);
        for (i, idea) in self.ideas.iter().enumerate() {
            let share = weight(rank[i]) / sum * self.total as f64;
            let n = (share.round() as usize).clamp(1, self.users.len());
            let from = ctx::seconds_of(self.epoch, idea.0);
            for u in index::sample(&mut rng, self.users.len(), n) {
                let at = rng.gen_range(from..DISCOVERY_TO.max(from + 1));
                batch.push(PortalVote {
                    idea_id: *idea,
                    portal_user_id: self.users[u],
                    workspace_id: self.ws,
                    created_at: ctx::at(self.epoch, at),
                });
                if batch.len() == VOTE_BATCH {
                    sent += batch.len();
                    let mut full = std::mem::replace(&mut batch, Vec::with_capacity(VOTE_BATCH));
                    full.sort_unstable_by_key(|v| v.portal_user_id);
                    if tx.blocking_send(full).is_err() {
                        return sent;
                    }
                }
            }
        }
        sent += batch.len();
        if !batch.is_empty() {
            batch.sort_unstable_by_key(|v| v.portal_user_id);
            let _ = tx.blocking_send(batch);
        }
        sent
    }
}

#[async_trait]
impl Kind for Votes {
    fn name(&self) -> &'static str {
        "votes"
    }

    async fn generate(&self, store: &dyn Store, ctx: &mut Ctx) -> anyhow::Result<u64> {
        if ctx.portal_candidates.is_empty() || ctx.portal_users.is_empty() {
            return Ok(0);
        }
        let plan = Plan {
            ws: ctx.workspace()?,
            epoch: ctx.epoch,
            total: ctx.scale.votes,
            ideas: ctx.portal_candidates.clone(),
            users: ctx.portal_users.clone(),
        };
        let seed = ctx.rng.gen::<u64>();
        let (mut rx, handle) = produce(move |tx| plan.run(seed, tx));
        let mut progress = Progress::new("votes", ctx.scale.votes, ctx.progress);
        let mut written = 0u64;
        while let Some(batch) = rx.recv().await {
            let n = batch.len() as u64;
            let added = store.import_votes(batch).await?;
            anyhow::ensure!(added == n, "import_votes added {added} of {n} votes");
            written += added;
            progress.tick(written as usize);
        }
        let sent = joined(handle)?;
        anyhow::ensure!(written == sent as u64, "wrote {written} of {sent} votes");
        Ok(written)
    }
}

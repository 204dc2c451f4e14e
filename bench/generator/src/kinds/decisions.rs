//! A few decisions per product, as a product manager records them: the planned ideas of a
//! topic accepted, declined ones declined, ideas under consideration deferred (until a date,
//! with its job in the queue, or until a condition), with a rationale in the product's
//! language mix, evidence-free and dated near the end of the span. Written through
//! `record_decision` and `enqueue_job`, as the product does.

use super::Kind;
use crate::ctx::{Ctx, DISCOVERY_TO};
use crate::prose::TOPICS;
use async_trait::async_trait;
use phare_domain::*;
use phare_store::{DecisionLink, NewDecision, NewJob, Store};
use rand::Rng;

/// Decisions recorded per product (at most: a topic without ideas gives none).
const PER_PRODUCT: usize = 4;

pub struct Decisions;

const RATIONALES_EN: &[&str] = &[
    "Several key accounts asked for it in the last quarter, and the effort fits the next release.",
    "The evidence is thin and the segment is small: we will not build it.",
    "Worth doing, but not before the **billing** rework lands.",
    "Same need as an existing idea: one story is enough.",
];
const RATIONALES_FR: &[&str] = &[
    "Plusieurs comptes clés l’ont demandée ce trimestre, et l’effort tient dans la prochaine version.",
    "Peu d’éléments probants et un segment étroit : nous ne la construirons pas.",
    "Utile, mais pas avant la refonte de la **facturation**.",
    "Même besoin qu’une idée existante : une seule histoire suffit.",
];

#[async_trait]
impl Kind for Decisions {
    fn name(&self) -> &'static str {
        "decisions"
    }

    async fn generate(&self, store: &dyn Store, ctx: &mut Ctx) -> anyhow::Result<u64> {
        let ws = ctx.workspace()?;
        let deciders: Vec<MemberId> = ctx
            .members
            .iter()
            .filter(|m| matches!(m.role, Role::ProductManager | Role::Admin))
            .map(|m| m.id)
            .collect();
        if deciders.is_empty() {
            return Ok(0);
        }
        let mut total = 0u64;
        for p in 0..ctx.products.len() {
            let product = ctx.products[p];
            let mut made = 0;
            for t in 0..TOPICS.len() {
                if made == PER_PRODUCT {
                    break;
                }
                let Some(group) = ctx.idea_groups.get(p * TOPICS.len() + t) else {
                    continue;
                };
                let Some(&idea_id) = group.last() else {
                    continue;
                };
                let idea = store.get_idea(ws, idea_id).await?;
                let kind = match idea.status {
                    IdeaStatus::Planned | IdeaStatus::InProgress | IdeaStatus::Shipped => {
                        DecisionKind::Accept
                    }
                    IdeaStatus::Declined => DecisionKind::Decline,
                    IdeaStatus::Draft | IdeaStatus::UnderConsideration => DecisionKind::Defer,
                    IdeaStatus::Merged => continue,
                };
                let french = ctx.rng.gen_bool(0.5);
                let texts = if french { RATIONALES_FR } else { RATIONALES_EN };
                let rationale = match kind {
                    DecisionKind::Accept => texts[0],
                    DecisionKind::Decline => texts[1],
                    _ => texts[2],
                };
                let dated = kind == DecisionKind::Defer && ctx.rng.gen_bool(0.5);
                let at = DISCOVERY_TO - ctx.rng.gen_range(1..60) * 86_400;
                let later = ctx.rng.gen_range(30..120) * 86_400;
                let until = dated.then(|| ctx.at(DISCOVERY_TO + later).date_naive());
                let condition = if kind == DecisionKind::Defer && !dated {
                    if french {
                        "Quand la nouvelle facturation sera en service".to_owned()
                    } else {
                        "Once the new billing is live".to_owned()
                    }
                } else {
                    String::new()
                };
                let decided_by = deciders[ctx.rng.gen_range(0..deciders.len())];
                let consulted: Vec<MemberId> = (0..ctx.rng.gen_range(0..3usize))
                    .map(|_| ctx.members[ctx.rng.gen_range(0..ctx.members.len())].id)
                    .filter(|m| *m != decided_by)
                    .collect();
                let id = DecisionId(ctx.uuid_at(at));
                let now = ctx.at(at);
                let d = store
                    .record_decision(NewDecision {
                        id,
                        workspace_id: ws,
                        product_id: product,
                        kind,
                        text: DecisionText {
                            rationale: rationale.to_owned(),
                            public_rationale: String::new(),
                            condition,
                            until,
                        },
                        into: None,
                        ideas: vec![idea.id],
                        links: Vec::<DecisionLink>::new(),
                        decided_by: Some(decided_by),
                        consulted,
                        now,
                    })
                    .await?;
                if let Some(day) = until {
                    store
                        .enqueue_job(NewJob {
                            id: JobId(ctx.uuid_at(at)),
                            workspace_id: Some(ws),
                            kind: JobKind::DeferredIdeaReturns,
                            payload: serde_json::json!({ "decision_id": d.id }),
                            run_at: phare_store::to_micros(
                                day.and_time(chrono::NaiveTime::MIN).and_utc(),
                            ),
                            now,
                        })
                        .await?;
                }
                made += 1;
                total += 1;
            }
        }
        Ok(total)
    }
}

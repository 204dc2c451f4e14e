use super::{joined, pick_product, pick_topic, produce, Kind, BATCH};
use crate::ctx::{
    self, Ctx, CustomerSpec, Fate, FeedbackRef, Progress, DISCOVERY_FROM, DISCOVERY_TO,
};
use crate::{prose, text};
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use phare_domain::{
    CustomerKind, FeedbackId, Locale, MemberId, Origin, ProductId, SourceKind, WorkspaceId,
};
use phare_store::{CustomerInput, NewFeedback, Store};
use rand::distributions::{Distribution, WeightedIndex};
use rand::rngs::StdRng;
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};

/// The bulk of the data set: feedback over two years, more of it as time goes on, on the ten
/// products (a few items on none yet), from every source, most naming a customer, in French
/// and English, with tags. Written through `import_feedback`, [`BATCH`] items per call, while
/// another thread builds the next batch.
pub struct Feedback;

/// How often each source is used (support tickets first).
const SOURCES: &[(SourceKind, u32)] = &[
    (SourceKind::Support, 30),
    (SourceKind::Portal, 12),
    (SourceKind::Sales, 11),
    (SourceKind::Interview, 9),
    (SourceKind::Survey, 10),
    (SourceKind::UserClub, 4),
    (SourceKind::CustomerBrainstorm, 4),
    (SourceKind::TeamBrainstorm, 6),
    (SourceKind::Data, 5),
    (SourceKind::MarketWatch, 4),
    (SourceKind::Other, 5),
];

/// Everything the producer thread needs, owned.
struct Plan {
    ws: WorkspaceId,
    epoch: DateTime<Utc>,
    total: usize,
    products: Vec<ProductId>,
    members: Vec<MemberId>,
    customers: Vec<CustomerSpec>,
}

fn contact_for(rng: &mut impl Rng, c: &CustomerSpec) -> Option<String> {
    let domain = match c.locale {
        Locale::Fr => "example.fr",
        Locale::En => "example.org",
    };
    match c.kind {
        CustomerKind::Person if rng.gen_bool(0.5) => Some(format!(
            "{}@{domain}",
            c.name
                .split(' ')
                .map(text::email_part)
                .collect::<Vec<_>>()
                .join(".")
        )),
        CustomerKind::Organisation if rng.gen_bool(0.4) => {
            let (first, last) = text::person_name(rng, c.locale);
            Some(format!(
                "{first} {last} <{}.{}@{domain}>",
                text::email_part(&first),
                text::email_part(&last)
            ))
        }
        _ => None,
    }
}

/// What becomes of an item: recent items are mostly still new, older ones were triaged.
fn fate_for(rng: &mut impl Rng, age_days: i64, has_product: bool) -> Fate {
    let p_new = match age_days {
        0..=29 => 0.6,
        30..=89 => 0.25,
        _ => 0.04,
    };
    if rng.gen_bool(p_new) {
        return Fate::New;
    }
    if !has_product {
        return if rng.gen_bool(0.5) {
            Fate::Processed
        } else {
            Fate::Archived
        };
    }
    match rng.gen_range(0..100) {
        0..=77 => Fate::Linked,
        78..=85 => Fate::LinkedArchived,
        86..=91 => Fate::Processed,
        _ => Fate::Archived,
    }
}

fn tags_for(rng: &mut impl Rng, topic: usize) -> Vec<String> {
    let mut tags = Vec::new();
    if rng.gen_bool(0.8) {
        tags.push(prose::TOPICS[topic].tag.to_string());
    }
    let extra = match rng.gen_range(0..10) {
        0..=5 => 0,
        6..=8 => 1,
        _ => 2,
    };
    for _ in 0..extra {
        let t = prose::FEEDBACK_EXTRA_TAGS
            .choose(rng)
            .copied()
            .unwrap_or("ux")
            .to_string();
        if !tags.contains(&t) {
            tags.push(t);
        }
    }
    tags
}

impl Plan {
    /// Builds every item in order and sends them in batches; returns what later steps need.
    fn run(self, seed: u64, tx: tokio::sync::mpsc::Sender<Vec<NewFeedback>>) -> Vec<FeedbackRef> {
        let mut rng = StdRng::seed_from_u64(seed);
        let sources = WeightedIndex::new(SOURCES.iter().map(|s| s.1)).ok();
        let customer_weights =
            WeightedIndex::new(self.customers.iter().map(|c| c.weight as u32)).ok();
        let span = (DISCOVERY_TO - DISCOVERY_FROM) as f64;
        let mut refs = Vec::with_capacity(self.total);
        let mut batch = Vec::with_capacity(BATCH);
        let mut next_unnamed = 0usize;
        for i in 0..self.total {
            // Density grows linearly with time: more feedback comes in as the tool spreads.
            let frac = ((i as f64 + rng.gen::<f64>()) / self.total as f64).sqrt();
            let now = DISCOVERY_FROM + (frac * span) as i64;
            let observed = if rng.gen_bool(0.5) {
                now
            } else {
                now - rng.gen_range(0..14 * 86_400)
            };
            let product = if rng.gen_bool(0.02) {
                None
            } else {
                Some(pick_product(&mut rng, self.products.len()))
            };
            let source = match &sources {
                Some(w) => SOURCES[w.sample(&mut rng)].0,
                None => SourceKind::Support,
            };
            let p_customer = match source.origin() {
                Origin::External => 0.92,
                Origin::Internal => 0.35,
            };
            let customer = if self.customers.is_empty() || !rng.gen_bool(p_customer) {
                None
            } else if next_unnamed < self.customers.len() {
                // Every customer of the catalogue is named once first, so all are stored.
                next_unnamed += 1;
                Some(next_unnamed - 1)
            } else {
                customer_weights.as_ref().map(|w| w.sample(&mut rng))
            };
            let spec = customer.map(|c| &self.customers[c]);
            let lang = match spec {
                Some(c) if rng.gen_bool(0.9) => c.locale,
                _ => {
                    if rng.gen_bool(0.6) {
                        Locale::Fr
                    } else {
                        Locale::En
                    }
                }
            };
            let topic = pick_topic(&mut rng, product.unwrap_or(0));
            let text_seed = rng.gen::<u64>();
            let text = prose::feedback_text(
                &mut StdRng::seed_from_u64(text_seed),
                lang,
                &prose::TOPICS[topic],
                source,
                spec.map(|c| c.name.as_str()),
            );
            let tags = tags_for(&mut rng, topic);
            let contact = spec.and_then(|c| contact_for(&mut rng, c));
            let author_id = if source == SourceKind::Portal || self.members.is_empty() {
                None
            } else if rng.gen_bool(0.8) {
                self.members.choose(&mut rng).copied()
            } else {
                None
            };
            // A fifth of the support tickets come from the helpdesk's import.
            let external = (source == SourceKind::Support && rng.gen_bool(0.2))
                .then(|| ("helpdesk".to_string(), format!("T-{}", 100_000 + i)));
            let fate = fate_for(&mut rng, (DISCOVERY_TO - now) / 86_400, product.is_some());
            let id = FeedbackId(ctx::uuid_at(self.epoch, &mut rng, now));
            refs.push(FeedbackRef {
                id,
                seed: text_seed,
                customer: customer.map_or(u16::MAX, |c| c as u16),
                product: product.map_or(u8::MAX, |p| p as u8),
                topic: topic as u8,
                lang,
                source,
                fate,
            });
            batch.push(NewFeedback {
                id,
                workspace_id: self.ws,
                product_id: product.map(|p| self.products[p]),
                text,
                source,
                customer: spec.map(|c| CustomerInput {
                    name: c.name.clone(),
                    kind: c.kind,
                    segment: c.segment.clone(),
                    weight: c.weight,
                }),
                contact,
                author_id,
                observed_at: ctx::at(self.epoch, observed),
                tags,
                external,
                now: ctx::at(self.epoch, now),
            });
            if batch.len() == BATCH {
                let full = std::mem::replace(&mut batch, Vec::with_capacity(BATCH));
                if tx.blocking_send(full).is_err() {
                    return refs;
                }
            }
        }
        if !batch.is_empty() {
            let _ = tx.blocking_send(batch);
        }
        refs
    }
}

/// Regenerates an item's text (evidence excerpts quote it).
pub fn text_of(f: &FeedbackRef, customers: &[CustomerSpec]) -> String {
    prose::feedback_text(
        &mut StdRng::seed_from_u64(f.seed),
        f.lang,
        &prose::TOPICS[usize::from(f.topic)],
        f.source,
        customers
            .get(usize::from(f.customer))
            .map(|c| c.name.as_str()),
    )
}

#[async_trait]
impl Kind for Feedback {
    fn name(&self) -> &'static str {
        "feedback"
    }

    async fn generate(&self, store: &dyn Store, ctx: &mut Ctx) -> anyhow::Result<u64> {
        let total = ctx.scale.feedback;
        if total == 0 || ctx.products.is_empty() {
            return Ok(0);
        }
        anyhow::ensure!(
            ctx.customers.len() < usize::from(u16::MAX),
            "too many customers"
        );
        let plan = Plan {
            ws: ctx.workspace()?,
            epoch: ctx.epoch,
            total,
            products: ctx.products.clone(),
            members: ctx.members.iter().map(|m| m.id).collect(),
            customers: ctx.customers.clone(),
        };
        let seed = ctx.rng.gen::<u64>();
        let (mut rx, handle) = produce(move |tx| plan.run(seed, tx));
        let mut progress = Progress::new("feedback", total, ctx.progress);
        let mut done = 0usize;
        while let Some(batch) = rx.recv().await {
            let n = batch.len();
            let counts = store.import_feedback(batch).await?;
            anyhow::ensure!(
                counts.created == n as u64,
                "import_feedback created {} of {n} items",
                counts.created
            );
            done += n;
            progress.tick(done);
        }
        ctx.feedback = joined(handle)?;
        anyhow::ensure!(done == total, "wrote {done} of {total} feedback items");
        Ok(done as u64)
    }
}

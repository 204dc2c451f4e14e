use super::Kind;
use crate::ctx::{Ctx, CustomerSpec};
use crate::{prose, text};
use async_trait::async_trait;
use phare_domain::{CustomerKind, Locale};
use phare_store::Store;
use rand::seq::SliceRandom;
use rand::Rng;
use std::collections::HashSet;

/// The customer catalogue: organisations (town halls, hospitals, schools, transport
/// companies…) and people, French and English, with a segment and a weight from 1 to 10 (a
/// few key accounts weigh most).
///
/// The store has no door for customers of their own: it creates one the first time a feedback
/// item names it (`CustomerInput`, found by name or created). So this step only draws the
/// catalogue; the feedback step names every customer at least once, which stores them all.
pub struct Customers;

#[async_trait]
impl Kind for Customers {
    fn name(&self) -> &'static str {
        "customers"
    }

    async fn generate(&self, _store: &dyn Store, ctx: &mut Ctx) -> anyhow::Result<u64> {
        let count = ctx.scale.customers;
        // Two in five are organisations, within the names the word lists can make.
        let organisations = (count * 2 / 5).min(prose::organisation_names() * 3 / 4);
        let mut seen: HashSet<String> = HashSet::new();
        let mut out: Vec<CustomerSpec> = Vec::with_capacity(count);
        let mut attempts = 0usize;
        while out.len() < count && attempts < count.saturating_mul(50) {
            attempts += 1;
            let locale = if ctx.rng.gen_bool(0.6) {
                Locale::Fr
            } else {
                Locale::En
            };
            let kind = if out.len() < organisations {
                CustomerKind::Organisation
            } else {
                CustomerKind::Person
            };
            let (name, segment) = match kind {
                CustomerKind::Organisation => {
                    let (name, segment) = prose::organisation(&mut ctx.rng, locale);
                    (name, Some(segment.to_string()))
                }
                CustomerKind::Person => {
                    let (first, last) = text::person_name(&mut ctx.rng, locale);
                    let segment = ctx.rng.gen_bool(0.7).then(|| "Particulier".to_string());
                    (format!("{first} {last}"), segment)
                }
            };
            if !seen.insert(name.to_lowercase()) {
                continue;
            }
            let weight = prose::customer_weight(&mut ctx.rng, kind);
            out.push(CustomerSpec {
                name,
                kind,
                segment,
                weight,
                locale,
            });
        }
        out.shuffle(&mut ctx.rng);
        ctx.customers = out;
        Ok(ctx.customers.len() as u64)
    }
}

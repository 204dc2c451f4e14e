//! Scores: every idea gets a RICE score (the default primary framework, so the backlog by score
//! is full), and a third of them a value/effort score too (the matrix). Inputs are spread like
//! a team's: reach skewed small, impact on Intercom's scale, confidence mostly 50–100 %.
//! Values come from `phare_domain::scoring::compute`, as the product computes them, and are
//! written through `import_idea_scores` in batches (one transaction each).

use super::{Kind, BATCH};
use crate::ctx::{Ctx, Progress};
use async_trait::async_trait;
use phare_domain::scoring::compute;
use phare_domain::{Framework, ScoreInputs};
use phare_store::{NewIdeaScore, Store};
use rand::Rng;

pub struct Scores;

fn inputs(pairs: &[(&str, f64)]) -> ScoreInputs {
    ScoreInputs {
        numbers: pairs.iter().map(|(k, v)| ((*k).to_owned(), *v)).collect(),
        ..Default::default()
    }
}

#[async_trait]
impl Kind for Scores {
    fn name(&self) -> &'static str {
        "scores"
    }

    async fn generate(&self, store: &dyn Store, ctx: &mut Ctx) -> anyhow::Result<u64> {
        let ws = ctx.workspace()?;
        let ideas: Vec<_> = ctx.idea_groups.iter().flatten().copied().collect();
        let total = ideas.len();
        if total == 0 {
            return Ok(0);
        }
        let now = ctx.at(0);
        let mut progress = Progress::new("scores", total, ctx.progress);
        let mut made = 0u64;
        let mut batch = Vec::with_capacity(BATCH);
        for (n, idea) in ideas.into_iter().enumerate() {
            let u: f64 = ctx.rng.gen();
            let reach = (10.0 + 5_000.0 * u * u * u).round();
            let impact = [0.25, 0.5, 1.0, 2.0, 3.0][ctx.rng.gen_range(0..5)];
            let confidence = [0.5, 0.8, 1.0][ctx.rng.gen_range(0..3)];
            let effort = f64::from(ctx.rng.gen_range(1..=24u32)) / 2.0;
            let rice = inputs(&[
                ("reach", reach),
                ("impact", impact),
                ("confidence", confidence),
                ("effort", effort),
            ]);
            let mut frameworks = vec![(Framework::Rice, rice)];
            if n % 3 == 0 {
                let value = f64::from(ctx.rng.gen_range(1..=10u32));
                let effort = f64::from(ctx.rng.gen_range(1..=10u32));
                frameworks.push((
                    Framework::ValueEffort,
                    inputs(&[("value", value), ("effort", effort)]),
                ));
            }
            for (framework, i) in frameworks {
                let value = compute(framework, &i, &[])
                    .map_err(|e| anyhow::anyhow!("generated score refused: {e}"))?
                    .value;
                batch.push(NewIdeaScore {
                    workspace_id: ws,
                    idea_id: idea,
                    framework,
                    inputs: i,
                    value,
                    updated_by: None,
                    now,
                });
            }
            if batch.len() >= BATCH {
                made += store.import_idea_scores(std::mem::take(&mut batch)).await?;
                progress.tick(n + 1);
            }
        }
        if !batch.is_empty() {
            made += store.import_idea_scores(batch).await?;
        }
        progress.tick(total);
        Ok(made)
    }
}

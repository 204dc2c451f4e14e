use super::{Kind, BATCH, TRIAGE};
use crate::ctx::{self, Ctx, Fate, Progress, DISCOVERY_TO};
use async_trait::async_trait;
use phare_domain::{FeedbackId, FeedbackState};
use phare_store::{FeedbackBulk, Store};

/// The inbox as a team leaves it: linking made items processed already; this step marks the
/// other triaged items processed or archived (and archives some linked ones), through the
/// inbox's bulk action, [`BATCH`] items per call, a couple of days after the newest of them.
/// Recent items mostly stay new. It changes states and adds no record.
pub struct InboxTriage;

#[async_trait]
impl Kind for InboxTriage {
    fn name(&self) -> &'static str {
        TRIAGE
    }

    async fn generate(&self, store: &dyn Store, ctx: &mut Ctx) -> anyhow::Result<u64> {
        let ws = ctx.workspace()?;
        let total = ctx
            .feedback
            .iter()
            .filter(|f| {
                matches!(
                    f.fate,
                    Fate::Processed | Fate::Archived | Fate::LinkedArchived
                )
            })
            .count();
        let mut progress = Progress::new(TRIAGE, total, ctx.progress);
        let mut changed = 0u64;
        for (state, fates) in [
            (FeedbackState::Processed, &[Fate::Processed][..]),
            (
                FeedbackState::Archived,
                &[Fate::Archived, Fate::LinkedArchived][..],
            ),
        ] {
            let mut ids: Vec<FeedbackId> = Vec::with_capacity(BATCH);
            let mut iter = ctx.feedback.iter().filter(|f| fates.contains(&f.fate));
            loop {
                ids.clear();
                ids.extend(iter.by_ref().take(BATCH).map(|f| f.id));
                let Some(last) = ids.last() else {
                    break;
                };
                let at = (ctx::seconds_of(ctx.epoch, last.0) + 2 * 86_400).min(DISCOVERY_TO);
                changed += store
                    .bulk_update_feedback(
                        ws,
                        &ids,
                        FeedbackBulk {
                            state: Some(state),
                            now: Some(ctx.at(at)),
                            ..Default::default()
                        },
                    )
                    .await?;
                progress.tick(changed as usize);
            }
        }
        Ok(changed)
    }
}

use super::Kind;
use crate::ctx::Ctx;
use async_trait::async_trait;
use phare_domain::AuditId;
use phare_store::{AuditEvent, Store};
use rand::seq::SliceRandom;
use rand::Rng;
use serde_json::json;

/// A few hundred audit events spread over three months: logins (some failed), product and
/// member changes, token creations.
pub struct AuditEvents;

const ACTIONS: &[(&str, &str, u32)] = &[
    // (action, target kind, weight)
    ("auth.login", "member", 40),
    ("auth.login_failed", "member", 8),
    ("auth.logout", "member", 15),
    ("product.update", "product", 12),
    ("product_line.update", "product_line", 3),
    ("product.raci_set", "product", 5),
    ("member.update", "member", 6),
    ("member.role_change", "member", 2),
    ("token.create", "api_token", 4),
    ("token.revoke", "api_token", 2),
    ("workspace.update", "workspace", 1),
];

#[async_trait]
impl Kind for AuditEvents {
    fn name(&self) -> &'static str {
        "audit events"
    }

    async fn generate(&self, store: &dyn Store, ctx: &mut Ctx) -> anyhow::Result<u64> {
        let ws = ctx.workspace()?;
        if ctx.members.is_empty() {
            return Ok(0);
        }
        let count = ctx.scale.audit_events;
        // Offsets first, sorted, so ids and times grow together as in a real trail.
        let mut offsets: Vec<i64> = (0..count)
            .map(|_| 270 * 86_400 + ctx.offset_within_days(90))
            .collect();
        offsets.sort_unstable();
        for at in offsets {
            let (action, target_kind, _) = *ACTIONS
                .choose_weighted(&mut ctx.rng, |a| a.2)
                .map_err(|e| anyhow::anyhow!("audit weights: {e}"))?;
            let actor = ctx.members[ctx.rng.gen_range(0..ctx.members.len())].clone();
            let target_id = match target_kind {
                "product" if !ctx.products.is_empty() => {
                    Some(ctx.products[ctx.rng.gen_range(0..ctx.products.len())].to_string())
                }
                "product_line" if !ctx.product_lines.is_empty() => Some(
                    ctx.product_lines[ctx.rng.gen_range(0..ctx.product_lines.len())].to_string(),
                ),
                "workspace" => Some(ws.to_string()),
                "member" => Some(actor.id.to_string()),
                _ => Some(ctx.uuid_at(at).to_string()),
            };
            let failed = action == "auth.login_failed";
            let source_ip = format!(
                "192.0.2.{}",
                ctx.rng.gen_range(1..=254u8) // TEST-NET-1: documentation addresses only
            );
            let request_id = format!("bench-{:016x}", ctx.rng.gen::<u64>());
            let id = AuditId(ctx.uuid_at(at));
            store
                .append_audit(AuditEvent {
                    id,
                    workspace_id: Some(ws),
                    at: ctx.at(at),
                    actor_id: if failed { None } else { Some(actor.id) },
                    actor_label: actor.email.clone(),
                    action: action.to_string(),
                    target_kind: target_kind.to_string(),
                    target_id,
                    outcome: if failed { "failure" } else { "success" }.to_string(),
                    request_id,
                    source_ip,
                    detail: json!({ "generated": true, "locale": actor.locale.as_str() }),
                })
                .await?;
        }
        Ok(count as u64)
    }
}

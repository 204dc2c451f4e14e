use super::Kind;
use crate::ctx::{Ctx, MemberRef, ADMIN_EMAIL};
use crate::text;
use async_trait::async_trait;
use phare_domain::{JobTitle, Locale, MemberId, Role};
use phare_store::{NewMember, Store};
use rand::seq::SliceRandom;
use rand::Rng;

/// Members with French and English names; the first is the admin `bench/run` logs in as.
/// Every member shares one password hash (hashing thousands would only time argon2).
pub struct Members;

fn role_for(rng: &mut impl Rng, index: usize) -> Role {
    if index == 0 {
        return Role::Admin;
    }
    match rng.gen_range(0..100) {
        0..=1 => Role::Admin,
        2..=13 => Role::ProductManager,
        14..=53 => Role::Contributor,
        54..=79 => Role::Stakeholder,
        _ => Role::Viewer,
    }
}

fn job_title_for(rng: &mut impl Rng, role: Role) -> Option<JobTitle> {
    match role {
        Role::ProductManager => JobTitle::ALL.choose(rng).copied(),
        Role::Admin if rng.gen_bool(0.5) => Some(JobTitle::DirectorOfProduct),
        _ => None,
    }
}

#[async_trait]
impl Kind for Members {
    fn name(&self) -> &'static str {
        "members"
    }

    async fn generate(&self, store: &dyn Store, ctx: &mut Ctx) -> anyhow::Result<u64> {
        let ws = ctx.workspace()?;
        let count = ctx.scale.members;
        for i in 0..count {
            // About six in ten members are French-speaking.
            let locale = if ctx.rng.gen_bool(0.6) {
                Locale::Fr
            } else {
                Locale::En
            };
            let (first, last) = text::person_name(&mut ctx.rng, locale);
            let name = format!("{first} {last}");
            let email = if i == 0 {
                ADMIN_EMAIL.to_string()
            } else {
                let domain = match locale {
                    Locale::Fr => "example.fr",
                    Locale::En => "example.org",
                };
                format!(
                    "{}.{}.{i}@{domain}",
                    text::email_part(&first),
                    text::email_part(&last)
                )
            };
            let role = role_for(&mut ctx.rng, i);
            let job_title = job_title_for(&mut ctx.rng, role);
            let zones = match locale {
                Locale::Fr => text::TIME_ZONES_FR,
                Locale::En => text::TIME_ZONES_EN,
            };
            let time_zone = zones.choose(&mut ctx.rng).copied().unwrap_or("UTC");
            // Members join over the first year, in order.
            let joined = (i as i64) * 365 * 86_400 / (count.max(1) as i64);
            let id = MemberId(ctx.uuid_at(joined));
            let member = store
                .create_member(NewMember {
                    id,
                    workspace_id: ws,
                    email: email.clone(),
                    name,
                    role,
                    job_title,
                    password_hash: Some(ctx.password_hash.clone()),
                    time_zone: time_zone.to_string(),
                    locale: Some(locale),
                    now: ctx.at(joined),
                })
                .await?;
            ctx.members.push(MemberRef {
                id: member.id,
                email,
                role,
                locale,
            });
        }
        Ok(count as u64)
    }
}

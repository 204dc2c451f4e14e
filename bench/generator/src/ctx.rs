//! State shared by the generation steps: the seeded random source, a deterministic clock and id
//! minting, and what earlier steps created (later steps refer to it).

use crate::scale::Scale;
use chrono::{DateTime, Duration, TimeZone, Utc};
use phare_domain::{Locale, MemberId, ProductId, ProductLineId, Role, WorkspaceId};
use rand::rngs::StdRng;
use rand::{Rng, RngCore, SeedableRng};
use uuid::Uuid;

/// The e-mail and password of the data set's first admin: `bench/run` logs in with them.
pub const ADMIN_EMAIL: &str = "bench-admin@example.org";
pub const ADMIN_PASSWORD: &str = "phare-bench-lighthouse-2026";

#[derive(Clone, Debug)]
pub struct MemberRef {
    pub id: MemberId,
    pub email: String,
    pub role: Role,
    pub locale: Locale,
}

pub struct Ctx {
    pub scale: Scale,
    pub rng: StdRng,
    /// Every record's timestamps derive from this fixed instant, never from the wall clock.
    pub epoch: DateTime<Utc>,
    /// Argon2id hash of [`ADMIN_PASSWORD`], computed once with a fixed salt.
    pub password_hash: String,
    pub workspace: Option<WorkspaceId>,
    pub members: Vec<MemberRef>,
    pub product_lines: Vec<ProductLineId>,
    pub products: Vec<ProductId>,
}

impl Ctx {
    pub fn new(scale: Scale, seed: u64, password_hash: String) -> anyhow::Result<Self> {
        let epoch = Utc
            .with_ymd_and_hms(2026, 1, 5, 8, 30, 0)
            .single()
            .ok_or_else(|| anyhow::anyhow!("bad epoch"))?;
        Ok(Ctx {
            scale,
            rng: StdRng::seed_from_u64(seed),
            epoch,
            password_hash,
            workspace: None,
            members: Vec::new(),
            product_lines: Vec::new(),
            products: Vec::new(),
        })
    }

    pub fn workspace(&self) -> anyhow::Result<WorkspaceId> {
        self.workspace
            .ok_or_else(|| anyhow::anyhow!("the workspace step must run first"))
    }

    /// The epoch plus `seconds`, to the microsecond.
    pub fn at(&self, seconds: i64) -> DateTime<Utc> {
        phare_store::to_micros(self.epoch + Duration::seconds(seconds))
    }

    /// A time-ordered UUIDv7 for an instant `seconds` after the epoch, with seeded random bits:
    /// the same seed mints the same ids.
    pub fn uuid_at(&mut self, seconds: i64) -> Uuid {
        let millis = (self.epoch.timestamp_millis() + seconds.saturating_mul(1000)).max(0);
        let mut bytes = [0u8; 10];
        self.rng.fill_bytes(&mut bytes);
        uuid::Builder::from_unix_timestamp_millis(millis.unsigned_abs(), &bytes).into_uuid()
    }

    /// A random offset in seconds within the first `days` days after the epoch.
    pub fn offset_within_days(&mut self, days: i64) -> i64 {
        self.rng.gen_range(0..days.max(1) * 86_400)
    }
}

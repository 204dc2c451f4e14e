//! State shared by the generation steps: the seeded random source, a deterministic clock and id
//! minting, and what earlier steps created (later steps refer to it).

use crate::scale::Scale;
use chrono::{DateTime, Duration, TimeZone, Utc};
use phare_domain::{
    CustomerKind, FeedbackId, IdeaId, Locale, MemberId, ProductId, ProductLineId, Role, SourceKind,
    WorkspaceId,
};
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

/// Discovery records (feedback, ideas, evidence) span two years around the epoch, ending
/// shortly before the benchmarks run: seconds relative to the epoch.
pub const DISCOVERY_FROM: i64 = -410 * 86_400;
pub const DISCOVERY_TO: i64 = 320 * 86_400;

/// A customer of the catalogue. The store creates it with the first feedback item that names
/// it (its only door for customers), so only the details are kept here.
#[derive(Clone, Debug)]
pub struct CustomerSpec {
    pub name: String,
    pub kind: CustomerKind,
    pub segment: Option<String>,
    pub weight: i64,
    pub locale: Locale,
}

/// What happens to a feedback item after it is recorded: later steps read it to link evidence
/// and to triage the inbox.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Fate {
    /// Left untouched: still `new` in the inbox.
    New,
    /// Marked processed without a link.
    Processed,
    /// Archived without a link.
    Archived,
    /// Linked to ideas (which makes it processed).
    Linked,
    /// Linked, then archived.
    LinkedArchived,
}

impl Fate {
    pub fn linked(self) -> bool {
        matches!(self, Fate::Linked | Fate::LinkedArchived)
    }
}

/// One feedback item as later steps need it (32 bytes: a million fit in 32 MB). Its text is
/// not kept: `seed` regenerates it (for evidence excerpts).
#[derive(Clone, Copy, Debug)]
pub struct FeedbackRef {
    pub id: FeedbackId,
    pub seed: u64,
    /// Index in `Ctx::customers`, `u16::MAX` for none.
    pub customer: u16,
    /// Index in `Ctx::products`, `u8::MAX` for none.
    pub product: u8,
    /// Index in `prose::TOPICS`.
    pub topic: u8,
    pub lang: Locale,
    pub source: SourceKind,
    pub fate: Fate,
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
    pub customers: Vec<CustomerSpec>,
    /// Every feedback item, in id (creation) order.
    pub feedback: Vec<FeedbackRef>,
    /// Ideas by `product × TOPICS.len() + topic`, each in creation order.
    pub idea_groups: Vec<Vec<IdeaId>>,
    /// Ideas the portal step publishes (past the draft stage), in creation order.
    pub portal_candidates: Vec<IdeaId>,
    /// Portal users, in creation order: voters.
    pub portal_users: Vec<phare_domain::PortalUserId>,
    /// Print progress of the long steps on stderr.
    pub progress: bool,
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
            customers: Vec::new(),
            feedback: Vec::new(),
            idea_groups: Vec::new(),
            portal_candidates: Vec::new(),
            portal_users: Vec::new(),
            progress: false,
        })
    }

    pub fn workspace(&self) -> anyhow::Result<WorkspaceId> {
        self.workspace
            .ok_or_else(|| anyhow::anyhow!("the workspace step must run first"))
    }

    /// The epoch plus `seconds`, to the microsecond.
    pub fn at(&self, seconds: i64) -> DateTime<Utc> {
        at(self.epoch, seconds)
    }

    /// A time-ordered UUIDv7 for an instant `seconds` after the epoch, with seeded random bits:
    /// the same seed mints the same ids.
    pub fn uuid_at(&mut self, seconds: i64) -> Uuid {
        uuid_at(self.epoch, &mut self.rng, seconds)
    }

    /// A random offset in seconds within the first `days` days after the epoch.
    pub fn offset_within_days(&mut self, days: i64) -> i64 {
        self.rng.gen_range(0..days.max(1) * 86_400)
    }
}

/// `epoch` plus `seconds`, to the microsecond (for steps that run off the main random source).
pub fn at(epoch: DateTime<Utc>, seconds: i64) -> DateTime<Utc> {
    phare_store::to_micros(epoch + Duration::seconds(seconds))
}

/// [`Ctx::uuid_at`] with another seeded random source.
pub fn uuid_at(epoch: DateTime<Utc>, rng: &mut impl RngCore, seconds: i64) -> Uuid {
    let millis = (epoch.timestamp_millis() + seconds.saturating_mul(1000)).max(0);
    let mut bytes = [0u8; 10];
    rng.fill_bytes(&mut bytes);
    uuid::Builder::from_unix_timestamp_millis(millis.unsigned_abs(), &bytes).into_uuid()
}

/// The instant a UUIDv7 was minted for, in seconds after `epoch` (the inverse of [`uuid_at`]).
pub fn seconds_of(epoch: DateTime<Utc>, id: Uuid) -> i64 {
    let b = id.as_bytes();
    let millis = b[..6]
        .iter()
        .fold(0i64, |acc, x| (acc << 8) | i64::from(*x));
    (millis - epoch.timestamp_millis()).div_euclid(1000)
}

/// Progress of a long step, printed on stderr about every tenth of the way.
pub struct Progress {
    name: &'static str,
    total: usize,
    started: std::time::Instant,
    next: usize,
    enabled: bool,
}

impl Progress {
    pub fn new(name: &'static str, total: usize, enabled: bool) -> Self {
        Progress {
            name,
            total,
            started: std::time::Instant::now(),
            next: total / 10,
            enabled,
        }
    }

    pub fn tick(&mut self, done: usize) {
        if !self.enabled || done < self.next || done == 0 {
            return;
        }
        let secs = self.started.elapsed().as_secs_f64();
        eprintln!(
            "  {}: {done} / {} ({:.0} %), {:.1} s, {:.0}/s",
            self.name,
            self.total,
            100.0 * done as f64 / self.total.max(1) as f64,
            secs,
            done as f64 / secs.max(1e-9)
        );
        while self.next <= done {
            self.next += (self.total / 10).max(1);
        }
    }
}

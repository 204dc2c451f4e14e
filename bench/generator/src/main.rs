//! `phare-bench-gen`: fills a fresh, migrated Phare database with a deterministic data set for
//! the benchmarks, writing through the same `Store` code the product uses.
//!
//! ```text
//! phare-bench-gen --database-url sqlite:///tmp/bench/phare.db --scale small
//! phare-bench-gen --database-url postgres://… --scale medium --seed 7
//! phare-bench-gen --database-url sqlite:///tmp/bench/phare.db --scale large \
//!     --sample-file /tmp/bench/sample.tsv   # ids the load scenarios cycle over
//! ```
//!
//! Progress of the long steps goes to stderr; the table of kinds to stdout.

mod ctx;
mod kinds;
mod prose;
mod scale;
mod text;

use anyhow::{bail, Context as _};
use argon2::password_hash::{PasswordHasher, SaltString};
use argon2::Argon2;
use clap::Parser;
use phare_store::Store;
use std::time::Instant;

#[derive(Parser, Debug)]
#[command(
    name = "phare-bench-gen",
    about = "Fill a fresh Phare database with a deterministic benchmark data set"
)]
struct Args {
    /// `sqlite://PATH` (created if missing) or `postgres://…` (an empty database).
    #[arg(long, env = "PHARE_DATABASE_URL")]
    database_url: String,
    /// Data set size (docs/PERFORMANCE.md: medium is a tenth of large, small a hundredth).
    #[arg(long, value_enum, default_value = "small")]
    scale: scale::ScaleName,
    /// Seed of the random source: the same seed and scale give the same data set.
    #[arg(long, default_value_t = 20_260_105)]
    seed: u64,
    /// Also write ids for the load scenarios here (tab-separated lines: `product ID KEY`
    /// for every product, then `idea ID` for a uniform sample of 1,000 ideas).
    #[arg(long)]
    sample_file: Option<std::path::PathBuf>,
}

/// Argon2id (the product's default parameters) of the bench password, with a fixed salt so the
/// data set is byte-for-byte reproducible.
fn bench_password_hash() -> anyhow::Result<String> {
    let salt =
        SaltString::encode_b64(b"phare-bench-salt").map_err(|e| anyhow::anyhow!("salt: {e}"))?;
    let hash = Argon2::default()
        .hash_password(ctx::ADMIN_PASSWORD.as_bytes(), &salt)
        .map_err(|e| anyhow::anyhow!("argon2: {e}"))?;
    Ok(hash.to_string())
}

/// The opened database, with what each backend needs after a bulk load.
enum Backend {
    Sqlite(phare_sqlite::SqliteStore),
    Postgres(phare_postgres::PgStore),
}

impl Backend {
    fn store(&self) -> &dyn Store {
        match self {
            Backend::Sqlite(s) => s,
            Backend::Postgres(s) => s,
        }
    }

    /// Refreshes planner statistics (the product runs ANALYZE after bulk loads too) and closes
    /// the connections so every write is on disk when the generator exits.
    async fn finish(&self) -> anyhow::Result<()> {
        match self {
            Backend::Sqlite(s) => {
                s.analyze().await.context("ANALYZE")?;
                s.close().await;
            }
            // Autovacuum analyzes PostgreSQL tables on its own after bulk inserts.
            Backend::Postgres(s) => s.close().await,
        }
        Ok(())
    }
}

async fn open_store(url: &str) -> anyhow::Result<Backend> {
    if url.starts_with("sqlite:") {
        let store = phare_sqlite::SqliteStore::connect(url)
            .await
            .with_context(|| format!("opening {url}"))?;
        store.migrate().await.context("migrating the database")?;
        Ok(Backend::Sqlite(store))
    } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        let store = phare_postgres::PgStore::connect(url)
            .await
            .context("connecting to PostgreSQL")?;
        store.migrate().await.context("migrating the database")?;
        Ok(Backend::Postgres(store))
    } else {
        bail!("unsupported database URL (expected sqlite://… or postgres://…): {url}")
    }
}

/// Peak resident set size of this process in KiB (VmHWM), when /proc tells.
fn peak_rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
}

/// Runs every kind in order; `report` gets each kind's name, count and seconds. Returns what
/// the steps created (ids), for the sample file.
async fn generate(
    store: &dyn Store,
    scale: scale::Scale,
    seed: u64,
    progress: bool,
    mut report: impl FnMut(&str, u64, f64),
) -> anyhow::Result<ctx::Ctx> {
    let mut ctx = ctx::Ctx::new(scale, seed, bench_password_hash()?)?;
    ctx.progress = progress;
    for kind in kinds::all() {
        let t = Instant::now();
        let n = kind
            .generate(store, &mut ctx)
            .await
            .with_context(|| format!("generating {}", kind.name()))?;
        report(kind.name(), n, t.elapsed().as_secs_f64());
    }
    Ok(ctx)
}

/// The ids the load scenarios use: every product (with its key), then 1,000 ideas drawn
/// uniformly (a seeded draw, so the same data set gives the same file).
fn write_sample(path: &std::path::Path, ctx: &ctx::Ctx, seed: u64) -> anyhow::Result<()> {
    use rand::SeedableRng;
    use std::fmt::Write as _;
    let mut out = String::new();
    for (id, (_, key, ..)) in ctx.products.iter().zip(text::PRODUCTS) {
        writeln!(out, "product\t{id}\t{key}")?;
    }
    let ideas: Vec<phare_domain::IdeaId> = ctx.idea_groups.iter().flatten().copied().collect();
    let mut rng = rand::rngs::StdRng::seed_from_u64(seed ^ 0x5a4d_504c_4531);
    for i in rand::seq::index::sample(&mut rng, ideas.len(), ideas.len().min(1_000)) {
        writeln!(out, "idea\t{}", ideas[i])?;
    }
    std::fs::write(path, out).with_context(|| format!("writing {}", path.display()))
}

async fn run(args: Args) -> anyhow::Result<()> {
    let started = Instant::now();
    let scale = scale::Scale::of(args.scale);
    let backend = open_store(&args.database_url).await?;
    let store = backend.store();
    if store.is_set_up().await? {
        bail!("the database already holds a workspace: give phare-bench-gen a fresh one");
    }
    println!(
        "phare-bench-gen: scale {}, seed {}, backend {}",
        scale.label(),
        args.seed,
        store.backend()
    );
    println!(
        "{:<16} {:>10} {:>10} {:>10}",
        "kind", "count", "seconds", "per second"
    );
    let ctx = generate(store, scale, args.seed, true, |name, n, secs| {
        println!(
            "{name:<16} {n:>10} {secs:>10.2} {:>10.0}",
            n as f64 / secs.max(1e-6)
        );
    })
    .await?;
    if let Some(path) = &args.sample_file {
        write_sample(path, &ctx, args.seed)?;
    }
    drop(ctx);
    let t = Instant::now();
    backend.finish().await?;
    println!(
        "{:<16} {:>10} {:>10.2}",
        "analyze",
        "",
        t.elapsed().as_secs_f64()
    );
    println!(
        "admin: {} / password {}",
        ctx::ADMIN_EMAIL,
        ctx::ADMIN_PASSWORD
    );
    println!("elapsed: {:.2} s", started.elapsed().as_secs_f64());
    match peak_rss_kib() {
        Some(kib) => println!("peak RSS: {:.1} MiB", kib as f64 / 1024.0),
        None => println!("peak RSS: unknown"),
    }
    Ok(())
}

// One runtime thread: the SQLite driver runs every statement on its own worker thread, and with
// a multi-threaded runtime each statement also woke a runtime worker. Measured on the small set
// (2 vCPUs): feedback 1,300–1,500 → 3,500–4,000 items/s, evidence 2,500–7,300 → 8,000–9,300
// links/s. Batches are built on a separate thread (`kinds::produce`).
#[tokio::main(flavor = "current_thread")]
async fn main() -> std::process::ExitCode {
    let args = Args::parse();
    match run(args).await {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("phare-bench-gen: {e:#}");
            std::process::ExitCode::FAILURE
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;
    use phare_domain::{CustomerId, FeedbackState, IdeaStatus, Locale, PortalState, SourceKind};
    use std::collections::{HashMap, HashSet};

    async fn generated(seed: u64) -> (phare_store::Dump, Vec<(String, u64)>) {
        let backend = open_store("sqlite::memory:").await.unwrap();
        let mut counts = Vec::new();
        generate(
            backend.store(),
            scale::Scale::of(scale::ScaleName::Small),
            seed,
            false,
            |name, n, _| counts.push((name.to_string(), n)),
        )
        .await
        .unwrap();
        let mut dump = backend.store().dump().await.unwrap();
        dump.exported_at = None;
        (without_store_minted_ids(dump), counts)
    }

    /// Customer ids are the one thing the generator cannot choose: the store mints them
    /// (`CustomerId::new()`, from the wall clock) when a feedback item first names a customer.
    /// Names are unique per workspace, so each id is replaced by its name's rank.
    fn without_store_minted_ids(mut d: phare_store::Dump) -> phare_store::Dump {
        let mut by_name: Vec<(uuid::Uuid, String)> = d
            .discovery
            .customers
            .iter()
            .map(|c| (c.id.0, c.name.to_lowercase()))
            .collect();
        by_name.sort_by(|a, b| a.1.cmp(&b.1));
        let map: HashMap<uuid::Uuid, CustomerId> = by_name
            .iter()
            .enumerate()
            .map(|(i, (id, _))| (*id, CustomerId(uuid::Uuid::from_u128(i as u128 + 1))))
            .collect();
        for c in &mut d.discovery.customers {
            c.id = map[&c.id.0];
        }
        d.discovery.customers.sort_by_key(|c| c.id);
        for f in &mut d.discovery.feedback {
            f.customer_id = f.customer_id.map(|c| map[&c.0]);
        }
        d
    }

    #[tokio::test]
    async fn the_same_seed_gives_the_same_data_set() {
        let (a, counts) = generated(1).await;
        let (b, _) = generated(1).await;
        assert_eq!(a.checksums(), b.checksums());
        assert_eq!(a, b);
        let (c, _) = generated(2).await;
        let (sa, sc) = (a.checksums(), c.checksums());
        for table in [
            "members",
            "customers",
            "feedback",
            "ideas",
            "evidence",
            "portal_users",
            "portal_votes",
        ] {
            assert_ne!(sa[table], sc[table], "{table} ignores the seed");
        }

        let small = scale::Scale::of(scale::ScaleName::Small);
        assert_eq!(a.workspaces.len(), 1);
        assert_eq!(a.members.len(), small.members);
        assert_eq!(a.products.len(), 10);
        assert_eq!(a.audit.len(), small.audit_events);
        assert!(!a.raci.is_empty());
        let d = &a.discovery;
        assert_eq!(d.customers.len(), small.customers);
        assert_eq!(d.feedback.len(), small.feedback);
        assert_eq!(d.ideas.len(), small.ideas);
        assert_eq!(d.evidence.len(), small.evidence);
        assert_eq!(a.portal.portal_users.len(), small.portal_users);
        // Each published idea's share is rounded: the total lands near the scale's.
        let votes = a.portal.portal_votes.len() as f64;
        assert!((votes / small.votes as f64 - 1.0).abs() < 0.1, "{votes}");
        let reported: u64 = counts
            .iter()
            .filter(|(name, _)| name != kinds::TRIAGE)
            .map(|(_, n)| n)
            .sum();
        let stored = a.workspaces.len()
            + a.members.len()
            + a.product_lines.len()
            + a.products.len()
            + a.raci.len()
            + a.audit.len()
            + d.customers.len()
            + d.feedback.len()
            + d.ideas.len()
            + d.evidence.len()
            + a.portal.portals.len()
            + a.portal.portal_users.len()
            + a.portal.portal_votes.len()
            // decisions (issue #4)
            + a.decisions.decisions.len()
            // scoring slice (issue #4)
            + a.scoring.idea_scores.len();
        assert_eq!(reported, stored as u64, "{counts:?}");
        // decisions (issue #4): a few per product, the dated deferrals with their job.
        let log = &a.decisions;
        assert!(
            log.decisions.len() >= a.products.len(),
            "{}",
            log.decisions.len()
        );
        for p in &a.products {
            assert!(
                log.decisions
                    .iter()
                    .filter(|x| x.product_id == p.id)
                    .count()
                    <= 4
            );
        }
        let dated = log.decisions.iter().filter(|x| x.until.is_some()).count();
        assert_eq!(log.jobs.len(), dated);
        assert!(log
            .decisions
            .iter()
            .all(|x| !x.rationale.is_empty() && x.ideas.len() == 1));
        // Every idea has a score in the primary framework (RICE), so the backlog by score is
        // full; a third have a value/effort score for the matrix.
        let rice = a
            .scoring
            .idea_scores
            .iter()
            .filter(|s| s.framework == phare_domain::Framework::Rice)
            .count();
        assert_eq!(rice, d.ideas.len());
    }

    /// The spreads the benchmark scenarios rely on: every source and state in the inbox, most
    /// items naming a customer, both languages, every idea status but merged, the counters
    /// agreeing with the links.
    #[tokio::test]
    async fn the_discovery_data_is_spread_like_real_use() {
        let (dump, counts) = generated(1).await;
        let d = &dump.discovery;
        let triaged = counts.iter().find(|(n, _)| n == kinds::TRIAGE).unwrap().1;
        assert!(triaged > 0);

        let sources: HashSet<SourceKind> = d.feedback.iter().map(|f| f.source).collect();
        assert_eq!(sources.len(), SourceKind::ALL.len());
        let share = |n: usize| n as f64 / d.feedback.len() as f64;
        for state in [
            FeedbackState::New,
            FeedbackState::Processed,
            FeedbackState::Archived,
        ] {
            let s = share(d.feedback.iter().filter(|f| f.state == state).count());
            assert!(s > 0.03, "{state:?}: {s}");
        }
        assert!(
            share(
                d.feedback
                    .iter()
                    .filter(|f| f.customer_id.is_some())
                    .count()
            ) > 0.6
        );
        assert!(share(d.feedback.iter().filter(|f| f.product_id.is_none()).count()) < 0.05);
        assert!(share(d.feedback.iter().filter(|f| !f.tags.is_empty()).count()) > 0.7);
        let french = d
            .feedback
            .iter()
            .filter(|f| phare_domain::text::detect_language(&f.text) == Locale::Fr)
            .count();
        assert!((0.4..0.8).contains(&share(french)), "{}", share(french));
        let years = d.feedback.iter().map(|f| f.observed_at).fold(
            (None, None),
            |(lo, hi): (Option<_>, Option<_>), t| {
                (
                    Some(lo.map_or(t, |l: phare_store::Timestamp| l.min(t))),
                    Some(hi.map_or(t, |h: phare_store::Timestamp| h.max(t))),
                )
            },
        );
        let span = years.1.unwrap() - years.0.unwrap();
        assert!(span.num_days() > 600, "{span}");

        let weights: HashSet<i64> = d.customers.iter().map(|c| c.weight).collect();
        assert!(weights.iter().all(|w| (1..=10).contains(w)) && weights.len() > 3);

        let statuses: HashSet<IdeaStatus> = d.ideas.iter().map(|i| i.status).collect();
        assert_eq!(statuses.len(), IdeaStatus::ALL.len() - 1);
        for i in &d.ideas {
            assert!(i.status == IdeaStatus::Draft || !i.so_that.is_empty());
            assert!(!i.as_a.is_empty() && !i.i_want.is_empty());
        }
        let linked: i64 = d.ideas.iter().map(|i| i.evidence_count).sum();
        assert_eq!(linked as usize, d.evidence.len());
        let linked: i64 = d.feedback.iter().map(|f| f.evidence_count).sum();
        assert_eq!(linked as usize, d.evidence.len());
        let excerpts = d.evidence.iter().filter(|e| e.excerpt.is_some()).count();
        assert!(excerpts > 0 && excerpts < d.evidence.len());
        let importances: HashSet<_> = d.evidence.iter().map(|e| e.importance).collect();
        assert_eq!(importances.len(), 3);

        // The portals: on, a share of the ideas published (never a draft), votes only on those,
        // a few ideas with most of them.
        assert_eq!(dump.portal.portals.len(), dump.products.len());
        let published: HashSet<_> = dump
            .portal
            .portal_ideas
            .iter()
            .filter(|i| i.state == PortalState::Published)
            .map(|i| i.idea_id)
            .collect();
        let share = published.len() as f64 / d.ideas.len() as f64;
        assert!((0.15..0.4).contains(&share), "{share}");
        assert!(dump
            .portal
            .portal_ideas
            .iter()
            .all(|i| i.status != IdeaStatus::Draft));
        assert!(dump
            .portal
            .portal_votes
            .iter()
            .all(|v| published.contains(&v.idea_id)));
        let mut counts: Vec<i64> = d
            .ideas
            .iter()
            .filter(|i| published.contains(&i.id))
            .map(|i| i.vote_count)
            .collect();
        counts.sort_unstable();
        let (median, top) = (counts[counts.len() / 2], counts[counts.len() - 1]);
        assert!(top > 10 * median.max(1), "top {top}, median {median}");
    }

    #[tokio::test]
    async fn the_admin_can_log_in_with_the_bench_password() {
        use argon2::password_hash::{PasswordHash, PasswordVerifier};
        let (dump, _) = generated(1).await;
        let admin = dump
            .members
            .iter()
            .find(|m| m.member.email == ctx::ADMIN_EMAIL)
            .unwrap();
        assert_eq!(admin.member.role, phare_domain::Role::Admin);
        let hash = PasswordHash::new(admin.password_hash.as_deref().unwrap()).unwrap();
        assert!(Argon2::default()
            .verify_password(ctx::ADMIN_PASSWORD.as_bytes(), &hash)
            .is_ok());
        assert!(phare_domain::password::check(ctx::ADMIN_PASSWORD).is_none());
    }
}

//! `phare-bench-gen`: fills a fresh, migrated Phare database with a deterministic data set for
//! the benchmarks, writing through the same `Store` code the product uses.
//!
//! ```text
//! phare-bench-gen --database-url sqlite:///tmp/bench/phare.db --scale small
//! phare-bench-gen --database-url postgres://… --scale medium --seed 7
//! ```

mod ctx;
mod kinds;
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

/// Runs every kind in order; `report` gets each kind's name, count and seconds.
async fn generate(
    store: &dyn Store,
    scale: scale::Scale,
    seed: u64,
    mut report: impl FnMut(&str, u64, f64),
) -> anyhow::Result<()> {
    let mut ctx = ctx::Ctx::new(scale, seed, bench_password_hash()?)?;
    for kind in kinds::all() {
        let t = Instant::now();
        let n = kind
            .generate(store, &mut ctx)
            .await
            .with_context(|| format!("generating {}", kind.name()))?;
        report(kind.name(), n, t.elapsed().as_secs_f64());
    }
    Ok(())
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
    println!("{:<16} {:>10} {:>10}", "kind", "count", "seconds");
    generate(store, scale, args.seed, |name, n, secs| {
        println!("{name:<16} {n:>10} {secs:>10.2}");
    })
    .await?;
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

#[tokio::main]
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

    async fn generated(seed: u64) -> (phare_store::Dump, Vec<(String, u64)>) {
        let backend = open_store("sqlite::memory:").await.unwrap();
        let mut counts = Vec::new();
        generate(
            backend.store(),
            scale::Scale::of(scale::ScaleName::Small),
            seed,
            |name, n, _| counts.push((name.to_string(), n)),
        )
        .await
        .unwrap();
        let mut dump = backend.store().dump().await.unwrap();
        dump.exported_at = None;
        (dump, counts)
    }

    #[tokio::test]
    async fn the_same_seed_gives_the_same_data_set() {
        let (a, counts) = generated(1).await;
        let (b, _) = generated(1).await;
        assert_eq!(a.checksums(), b.checksums());
        assert_eq!(a, b);
        let (c, _) = generated(2).await;
        assert_ne!(a.checksums()["members"], c.checksums()["members"]);

        let small = scale::Scale::of(scale::ScaleName::Small);
        assert_eq!(a.workspaces.len(), 1);
        assert_eq!(a.members.len(), small.members);
        assert_eq!(a.products.len(), 10);
        assert_eq!(a.audit.len(), small.audit_events);
        assert!(!a.raci.is_empty());
        let reported: u64 = counts.iter().map(|(_, n)| n).sum();
        let stored = a.workspaces.len()
            + a.members.len()
            + a.product_lines.len()
            + a.products.len()
            + a.raci.len()
            + a.audit.len();
        assert_eq!(reported, stored as u64, "{counts:?}");
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

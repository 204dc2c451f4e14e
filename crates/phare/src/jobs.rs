//! The job worker: a background task of `phare serve` that claims due jobs from the database
//! queue and runs them (today: deferred ideas coming back to their owners on their date).
//!
//! Claims live in the database (DESIGN rule 3): each instance claims with its own owner name
//! and a lease, in one conditional update (`FOR UPDATE SKIP LOCKED` on PostgreSQL), so two
//! instances never run the same job; a job whose instance died is taken over when its lease
//! ends, and what a job does is idempotent, so it takes effect once.

use phare_core::Phare;
use std::time::Duration;

/// How often an instance looks for due jobs. Deferral dates are days: a minute is plenty.
const POLL: Duration = Duration::from_secs(60);

/// This instance's name in job claims: host, process and a random suffix (two instances on one
/// host, or a restart with a reused pid, never share a name).
pub fn owner_name() -> String {
    let host = std::env::var("HOSTNAME").unwrap_or_else(|_| "phare".into());
    // The random tail of a fresh UUIDv7.
    let id = phare_domain::JobId::new().to_string();
    format!("{host}:{}:{}", std::process::id(), &id[id.len() - 8..])
}

/// Runs due jobs until the task is aborted.
pub async fn run(phare: Phare) {
    let owner = owner_name();
    let mut tick = tokio::time::interval(POLL);
    loop {
        tick.tick().await;
        // A full batch may mean more are due: go on at once.
        loop {
            match phare.run_due_jobs(&owner, phare_store::now()).await {
                Ok(n) if n as i64 >= phare_core::JOB_BATCH => continue,
                Ok(_) => break,
                Err(e) => {
                    tracing::warn!(error = %e, "job run failed");
                    break;
                }
            }
        }
    }
}

//! Password hashing: argon2id on a few threads of Phare's own, each with one work area it keeps.
//!
//! argon2id needs 19 MiB and a core's worth of CPU per hash. Unbounded, a storm of sign-ins piled
//! up threads and memory (1.8 GB in the benchmark) without finishing any sooner; run on tokio's
//! blocking pool, each job landed on whichever pool thread was free and the allocator kept a freed
//! 19 MiB buffer in the arena of every such thread (1.9 GB after a login storm). On threads of
//! their own, each hash still asked the allocator for 19 MiB and gave it back, and the allocator
//! kept about 50 MiB per thread of it (+98 MiB after 16 concurrent logins). Now the same few
//! threads always hash, and each fills the one work area it allocated at its first hash: the
//! memory is bounded by the number of cores and never churns.

use crate::{CoreError, CoreResult};
use argon2::password_hash::{Output, ParamsString, PasswordHash, SaltString};
use argon2::{Algorithm, Argon2, Block, Params, Version};
use std::cell::RefCell;

/// A password hash that verifies nothing, spent on unknown e-mails so that an attacker cannot
/// tell "unknown e-mail" from "wrong password" by timing.
const DUMMY_HASH: &str = "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$3fNnYQHi4MbSxLXC8j+ylIBz3bBWNYvpRwTCyBS2x8k";

/// Hashes a password with argon2id (default parameters: 19 MiB, 2 passes) into a PHC string.
pub async fn hash_password(password: &str) -> CoreResult<String> {
    let password = password.to_owned();
    hashing(move || {
        let salt = SaltString::generate(&mut argon2::password_hash::rand_core::OsRng);
        let params = Params::default();
        let output = derive(
            Algorithm::Argon2id,
            Version::V0x13,
            params.clone(),
            password.as_bytes(),
            salt.as_salt(),
            Params::DEFAULT_OUTPUT_LEN,
        )?;
        let hash = PasswordHash {
            algorithm: Algorithm::Argon2id.ident(),
            version: Some(Version::V0x13.into()),
            params: ParamsString::try_from(&params).map_err(internal)?,
            salt: Some(salt.as_salt()),
            hash: Some(output),
        };
        Ok(hash.to_string())
    })
    .await?
}

/// Whether `password` matches the stored hash; with no hash, the dummy one is checked all the
/// same and the answer is no.
pub async fn verify_password(password: &str, hash: Option<String>) -> bool {
    let password = password.to_owned();
    let known = hash.is_some();
    let hash = hash.unwrap_or_else(|| DUMMY_HASH.to_owned());
    let ok = hashing(move || matches(&password, &hash))
        .await
        .unwrap_or(false);
    ok && known
}

/// Recomputes the hash with the stored algorithm, version, parameters and salt, and compares in
/// constant time (`Output`'s equality).
fn matches(password: &str, stored: &str) -> bool {
    let Ok(hash) = PasswordHash::new(stored) else {
        return false;
    };
    let (Some(salt), Some(expected)) = (hash.salt, hash.hash) else {
        return false;
    };
    let parts = (
        Algorithm::try_from(hash.algorithm),
        Version::try_from(hash.version.unwrap_or(0x13)),
        Params::try_from(&hash),
    );
    let (Ok(algorithm), Ok(version), Ok(params)) = parts else {
        return false;
    };
    derive(
        algorithm,
        version,
        params,
        password.as_bytes(),
        salt,
        expected.len(),
    )
    .is_ok_and(|output| output == expected)
}

/// Runs argon2 in this thread's work area, grown to the parameters' size the first time.
fn derive(
    algorithm: Algorithm,
    version: Version,
    params: Params,
    password: &[u8],
    salt: argon2::password_hash::Salt<'_>,
    output_len: usize,
) -> CoreResult<Output> {
    thread_local! {
        static WORK_AREA: RefCell<Vec<Block>> = const { RefCell::new(Vec::new()) };
    }
    let blocks = params.block_count();
    let mut salt_bytes = [0u8; 64];
    let salt = salt.decode_b64(&mut salt_bytes).map_err(internal)?;
    let argon = Argon2::new(algorithm, version, params);
    WORK_AREA.with(|area| {
        let mut area = area.borrow_mut();
        if area.len() < blocks {
            area.resize(blocks, Block::default());
        }
        Output::init_with(output_len, |out| {
            argon
                .hash_password_into_with_memory(password, salt, out, &mut area[..blocks])
                .map_err(|_| argon2::password_hash::Error::Password)
        })
        .map_err(internal)
    })
}

fn internal(e: impl std::fmt::Display) -> CoreError {
    CoreError::internal(e.to_string())
}

/// Runs argon2id work on one thread per core, first come first served: a core cannot hash any
/// faster, and the memory each thread keeps is bounded by their number.
async fn hashing<T: Send + 'static>(job: impl FnOnce() -> T + Send + 'static) -> CoreResult<T> {
    type Job = Box<dyn FnOnce() + Send>;
    static QUEUE: std::sync::OnceLock<std::sync::Mutex<std::sync::mpsc::Sender<Job>>> =
        std::sync::OnceLock::new();
    let queue = QUEUE.get_or_init(|| {
        let (sender, receiver) = std::sync::mpsc::channel::<Job>();
        let receiver = std::sync::Arc::new(std::sync::Mutex::new(receiver));
        let cores = std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(2);
        for i in 0..cores {
            let receiver = receiver.clone();
            let _ = std::thread::Builder::new()
                .name(format!("phare-hash-{i}"))
                .spawn(move || loop {
                    let next = receiver
                        .lock()
                        .unwrap_or_else(std::sync::PoisonError::into_inner)
                        .recv();
                    match next {
                        // A panicking job must not take its thread with it.
                        Ok(job) => {
                            let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(job));
                        }
                        Err(_) => return,
                    }
                });
        }
        std::sync::Mutex::new(sender)
    });
    let (reply, answer) = tokio::sync::oneshot::channel();
    queue
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .send(Box::new(move || {
            let _ = reply.send(job());
        }))
        .map_err(|e| CoreError::internal(e.to_string()))?;
    answer.await.map_err(|e| CoreError::internal(e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use argon2::password_hash::{PasswordHasher, PasswordVerifier};

    #[test]
    fn the_dummy_hash_is_a_real_argon2id_hash_so_unknown_e_mails_cost_the_same() {
        let h = PasswordHash::new(DUMMY_HASH).unwrap();
        assert_eq!(h.algorithm.as_str(), "argon2id");
        assert!(Argon2::default().verify_password(b"anything", &h).is_err());
        assert!(!matches("anything", DUMMY_HASH));
    }

    /// The work area is reused, so hashes must stay the argon2 crate's own: a stored hash from
    /// before (made by `PasswordHasher`) still verifies, and ours verify with the crate.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn hashes_are_the_argon2_crates_both_ways() {
        let salt = SaltString::generate(&mut argon2::password_hash::rand_core::OsRng);
        let theirs = Argon2::default()
            .hash_password(b"correct horse", &salt)
            .unwrap()
            .to_string();
        assert!(verify_password("correct horse", Some(theirs.clone())).await);
        assert!(!verify_password("correct hors", Some(theirs)).await);

        let ours = hash_password("battery staple").await.unwrap();
        assert!(
            ours.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"),
            "{ours}"
        );
        let parsed = PasswordHash::new(&ours).unwrap();
        assert!(Argon2::default()
            .verify_password(b"battery staple", &parsed)
            .is_ok());
        assert!(verify_password("battery staple", Some(ours.clone())).await);
        assert!(!verify_password("battery stapl", Some(ours)).await);
        assert!(!verify_password("battery staple", None).await);
        assert!(!verify_password("x", Some("not a hash".into())).await);
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn hashing_runs_at_most_one_job_per_core() {
        use std::sync::atomic::{AtomicUsize, Ordering};
        use std::sync::Arc;
        let running = Arc::new(AtomicUsize::new(0));
        let peak = Arc::new(AtomicUsize::new(0));
        let jobs: Vec<_> = (0..16)
            .map(|_| {
                let (running, peak) = (running.clone(), peak.clone());
                tokio::spawn(hashing(move || {
                    let now = running.fetch_add(1, Ordering::SeqCst) + 1;
                    peak.fetch_max(now, Ordering::SeqCst);
                    std::thread::sleep(std::time::Duration::from_millis(20));
                    running.fetch_sub(1, Ordering::SeqCst);
                }))
            })
            .collect();
        for j in jobs {
            j.await.unwrap().unwrap();
        }
        let cores = std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(2);
        assert!(
            peak.load(Ordering::SeqCst) <= cores,
            "peak {} > {cores}",
            peak.load(Ordering::SeqCst)
        );
    }
}

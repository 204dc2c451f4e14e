//! Measures closing a prioritization session of 50 stakeholders × 200 ideas on a SQLite file
//! (issue #4's target: under 100 ms). Run in release mode:
//!
//! ```text
//! cargo run --release -p phare-sqlite --example stakeholders_close
//! ```
//!
//! It builds a workspace with 200 ideas, 50 stakeholders in six weighted groups and, for each
//! method, a session where every stakeholder answered; then closes each session (the store's
//! one read of the ballots, the aggregation in memory, one write of the results) and prints the
//! time of each close, and the time of the aggregation alone. docs/stakeholders.md records the
//! figures.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stdout)]

use chrono::Duration;
use phare_domain::*;
use phare_sqlite::SqliteStore;
use phare_store::*;
use std::time::Instant;

const IDEAS: usize = 200;
const STAKEHOLDERS: usize = 50;
const ROUNDS: usize = 5;

/// A deterministic pseudo-random sequence (no dependency needed for a benchmark's data).
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.0 >> 33
    }
}

fn answer(method: SessionMethod, ideas: &[IdeaId], rng: &mut Lcg) -> BallotAnswer {
    match method {
        SessionMethod::Points => {
            // 100 points over a dozen ideas.
            let mut points: Vec<(IdeaId, u32)> = Vec::new();
            let mut left = 100u32;
            while left > 0 {
                let i = ideas[(rng.next() as usize) % ideas.len()];
                let p = (1 + (rng.next() % 15) as u32).min(left);
                if let Some(e) = points.iter_mut().find(|(x, _)| *x == i) {
                    e.1 += p;
                } else {
                    points.push((i, p));
                }
                left -= p;
            }
            BallotAnswer::Points { points }
        }
        SessionMethod::Ranking => {
            let mut ranking = ideas.to_vec();
            for k in (1..ranking.len()).rev() {
                ranking.swap(k, (rng.next() as usize) % (k + 1));
            }
            BallotAnswer::Ranking { ranking }
        }
        SessionMethod::Moscow => BallotAnswer::Moscow {
            moscow: ideas
                .iter()
                .map(|i| (*i, MoscowCategory::ALL[(rng.next() % 4) as usize]))
                .collect(),
        },
    }
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let dir = tempfile::tempdir().unwrap();
    let store = SqliteStore::connect(&format!(
        "sqlite://{}",
        dir.path().join("phare.db").display()
    ))
    .await
    .unwrap();
    store.migrate().await.unwrap();
    let t0 = now();
    let ws = WorkspaceId::new();
    store
        .create_workspace(NewWorkspace {
            id: ws,
            slug: "bench".into(),
            name: "Bench".into(),
            default_locale: Locale::Fr,
            now: t0,
        })
        .await
        .unwrap();
    store.seed_stakeholder_groups(ws, t0).await.unwrap();
    let mut groups = store.list_stakeholder_groups(ws).await.unwrap();
    for (n, g) in groups.iter_mut().enumerate() {
        *g = store
            .update_stakeholder_group(ws, g.id, g.version, None, 1.0 + n as f64, t0)
            .await
            .unwrap();
    }
    let product = store
        .create_product(NewProduct {
            id: ProductId::new(),
            workspace_id: ws,
            product_line_id: None,
            name: "Bench".into(),
            key: "BEN".into(),
            description: String::new(),
            pm_model: PmModel::Shared,
            now: t0,
        })
        .await
        .unwrap();
    let mut ideas = Vec::with_capacity(IDEAS);
    for n in 0..IDEAS {
        let i = store
            .create_idea(NewIdea {
                id: IdeaId::new(),
                workspace_id: ws,
                product_id: product.id,
                text: IdeaText {
                    title: format!("Idea {n}"),
                    ..Default::default()
                },
                status: IdeaStatus::Draft,
                owner_id: None,
                tags: Vec::new(),
                created_by: None,
                evidence: None,
                external: None,
                now: t0,
            })
            .await
            .unwrap();
        ideas.push(i.id);
    }
    let mut members = Vec::with_capacity(STAKEHOLDERS);
    for n in 0..STAKEHOLDERS {
        let m = store
            .create_member(NewMember {
                id: MemberId::new(),
                workspace_id: ws,
                email: format!("s{n}@bench.test"),
                name: format!("Stakeholder {n}"),
                role: Role::Stakeholder,
                job_title: None,
                password_hash: None,
                time_zone: "UTC".into(),
                locale: None,
                now: t0,
            })
            .await
            .unwrap();
        members.push((m.id, groups[n % groups.len()].id));
    }
    let mut rng = Lcg(42);
    println!(
        "closing a session of {STAKEHOLDERS} stakeholders × {IDEAS} ideas (SQLite file, release build)"
    );
    for method in SessionMethod::ALL {
        let mut closes = Vec::new();
        let mut maths = Vec::new();
        for _ in 0..ROUNDS {
            let s = store
                .create_prioritization_session(NewPrioritizationSession {
                    id: PrioritizationSessionId::new(),
                    workspace_id: ws,
                    product_id: product.id,
                    title: "Bench".into(),
                    description: String::new(),
                    method: *method,
                    deadline: t0 + Duration::days(7),
                    idea_ids: ideas.clone(),
                    created_by: None,
                    now: t0,
                })
                .await
                .unwrap();
            store
                .invite_stakeholders(ws, s.id, &members, t0)
                .await
                .unwrap();
            let s = store
                .open_prioritization_session(ws, s.id, s.version, t0)
                .await
                .unwrap();
            let mut counted = Vec::new();
            for (m, g) in &members {
                let a = answer(*method, &ideas, &mut rng);
                counted.push(CountedBallot {
                    member: *m,
                    group: *g,
                    answer: a.clone(),
                });
                let out = store.put_ballot(ws, s.id, *m, 0, a, t0).await.unwrap();
                assert!(matches!(out, BallotOutcome::Saved(_)));
            }
            let weights: Vec<GroupWeight> = groups
                .iter()
                .map(|g| GroupWeight {
                    id: g.id,
                    weight: g.weight,
                })
                .collect();
            let started = Instant::now();
            let r = aggregate(*method, &ideas, &weights, &counted);
            maths.push(started.elapsed());
            assert_eq!(r.ideas.len(), IDEAS);
            let started = Instant::now();
            let closed = store
                .close_prioritization_session(ws, s.id, s.version, t0 + Duration::hours(1))
                .await
                .unwrap();
            closes.push(started.elapsed());
            assert_eq!(closed.results.unwrap().ballots as usize, STAKEHOLDERS);
        }
        closes.sort();
        maths.sort();
        println!(
            "{:>8}: close median {:>7.2} ms, max {:>7.2} ms; aggregation alone median {:>6.2} ms ({ROUNDS} rounds)",
            method.as_str(),
            closes[ROUNDS / 2].as_secs_f64() * 1000.0,
            closes[ROUNDS - 1].as_secs_f64() * 1000.0,
            maths[ROUNDS / 2].as_secs_f64() * 1000.0,
        );
    }
}

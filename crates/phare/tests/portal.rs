//! The public portal against the real binary on SQLite (shared/RELIABILITY.md):
//! R5, votes under concurrency (one vote row per voter and idea, stored counts equal to the
//! rows, no 5xx, no SQLITE_BUSY leaking); R13, portal limits (accepted = the limit exactly,
//! then 429 with Retry-After, whatever X-Forwarded-For says); and the e-mail sender (each
//! message sent once, a sent code not kept).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
use common::portal::*;
use common::*;
use std::sync::{Arc, Barrier};
use std::time::Duration;

const ADMIN: &str = "ada@example.org";

/// A server with an admin and an open portal; the limits are as given.
fn site(limits: &str, extra: &[&str]) -> (tempfile::TempDir, Server, String, Site) {
    let dir = tempfile::tempdir().unwrap();
    let token = admin_with_token(dir.path(), None, ADMIN, None);
    let mut args = vec!["--portal-rate-limits", limits];
    args.extend_from_slice(extra);
    let server = Server::start(dir.path(), None, &args);
    let site = open_portal(&server.url, &token, "CHK");
    (dir, server, token, site)
}

#[test]
fn concurrent_votes_keep_one_row_per_voter_and_exact_counts() {
    let (dir, server, token, site) = site("codes=5/1000,votes=1000/10000", &[]);
    let url = server.url.clone();
    let emails: Vec<String> = (0..201).map(|n| format!("voter{n}@example.org")).collect();
    let cookies = sign_in_all(&[&url], &url, &token, &site, &emails);
    // 100 requests by one visitor (vote, unvote, vote…) and one vote each by 200 others, all
    // released at once.
    let (solo, crowd) = cookies.split_first().unwrap();
    let mut jobs: Vec<(String, &'static str)> = (0..100)
        .map(|n| (solo.clone(), if n % 2 == 0 { "vote" } else { "unvote" }))
        .collect();
    jobs.extend(crowd.iter().map(|c| (c.clone(), "vote")));
    let barrier = Arc::new(Barrier::new(jobs.len()));
    let handles: Vec<_> = jobs
        .into_iter()
        .map(|(cookie, action)| {
            let barrier = barrier.clone();
            let path = format!("{}/{action}", site.idea(""));
            let url = url.clone();
            std::thread::spawn(move || {
                barrier.wait();
                portal_post(&url, &path, &cookie, &[], None).0
            })
        })
        .collect();
    let statuses: Vec<u16> = handles.into_iter().map(|h| h.join().unwrap()).collect();
    let errors: Vec<&u16> = statuses.iter().filter(|s| **s != 303).collect();
    assert!(errors.is_empty(), "every vote answered 303, got {errors:?}");
    // Nothing leaked to the log either (SQLITE_BUSY, "database is locked", panics).
    let log: Vec<String> = server.output.try_iter().collect();
    assert!(
        !log.iter()
            .any(|l| l.contains("locked") || l.contains("BUSY") || l.contains("panicked")),
        "{log:#?}"
    );
    server.terminate();
    let d = dump(dir.path(), None);
    let rows = assert_votes_exact(&d, &site.idea_id);
    assert!(
        rows == 200 || rows == 201,
        "200 distinct voters and the solo one at most once: {rows}"
    );
    // Every vote also left one inbox item from the portal per voter.
    let portal_feedback = d["feedback"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["source"] == "portal")
        .count();
    assert_eq!(portal_feedback, 201);
}

#[test]
fn code_requests_stop_at_the_address_limit_whatever_x_forwarded_for_says() {
    let (_dir, server, _token, site) = site("codes=3/10", &[]);
    let mut accepted = 0;
    for n in 0..100 {
        // A new address each time, and a new forwarded address: only the peer counts.
        let (status, retry) = request_code(
            &server.url,
            &site,
            &format!("someone{n}@example.org"),
            Some(&spoofed_ip(n)),
        );
        match status {
            200 => accepted += 1,
            429 => assert!(
                retry.is_some_and(|r| r.parse::<u64>().is_ok_and(|s| s > 0)),
                "429 carries Retry-After"
            ),
            other => panic!("request {n}: {other}"),
        }
    }
    assert_eq!(accepted, 10, "exactly the per-address limit");
}

#[test]
fn code_requests_stop_at_the_per_e_mail_limit() {
    let (_dir, server, _token, site) = site("codes=3/1000", &[]);
    let statuses: Vec<u16> = (0..30)
        .map(|n| request_code(&server.url, &site, "same@example.org", Some(&spoofed_ip(n))).0)
        .collect();
    assert_eq!(
        statuses.iter().filter(|s| **s == 200).count(),
        3,
        "{statuses:?}"
    );
    assert_eq!(statuses.iter().filter(|s| **s == 429).count(), 27);
}

#[test]
fn submissions_and_votes_stop_at_their_limits() {
    let (_dir, server, token, site) = site("codes=5/1000,submissions=2/100,votes=3/100", &[]);
    let url = server.url.clone();
    let cookie = sign_in_all(
        &[&url],
        &url,
        &token,
        &site,
        &["max@example.org".to_owned()],
    )
    .pop()
    .unwrap();
    let submit = format!("{}/submit", site.base(""));
    let mut accepted = 0;
    for n in 0..20 {
        let title = format!("Idea {n}");
        let (status, retry) = portal_post(
            &url,
            &submit,
            &cookie,
            &[("title", &title), ("description", "x")],
            Some(&spoofed_ip(n)),
        );
        match status {
            303 => accepted += 1,
            429 => assert!(retry.is_some(), "429 carries Retry-After"),
            other => panic!("submission {n}: {other}"),
        }
    }
    assert_eq!(accepted, 2);
    let (_, pending) = api(
        &url,
        &token,
        "GET",
        &format!("/products/{}/portal/ideas?state=pending", site.product_id),
        None,
        None,
    );
    assert_eq!(
        pending["items"].as_array().unwrap().len(),
        2,
        "nothing past the limit is stored"
    );
    let mut accepted = 0;
    for n in 0..30 {
        let action = if n % 2 == 0 { "vote" } else { "unvote" };
        let (status, retry) = portal_post(
            &url,
            &format!("{}/{action}", site.idea("")),
            &cookie,
            &[],
            Some(&spoofed_ip(n)),
        );
        match status {
            303 => accepted += 1,
            429 => assert!(retry.is_some(), "429 carries Retry-After"),
            other => panic!("vote {n}: {other}"),
        }
    }
    assert_eq!(accepted, 3);
}

#[test]
fn the_sender_delivers_each_e_mail_once_and_forgets_sent_codes() {
    let sink = SmtpSink::start();
    let smtp = sink.url();
    let (_dir, server, token, site) = site(
        "codes=5/1000",
        &[
            "--smtp-url",
            &smtp,
            "--smtp-from",
            "Phare <phare@example.org>",
        ],
    );
    let url = server.url.clone();
    let (s, _) = request_code(&url, &site, "lea@example.org", None);
    assert_eq!(s, 200);
    let got = sink.wait_for(1, Duration::from_secs(20));
    assert_eq!(got.len(), 1, "the code went out");
    assert_eq!(got[0].to, "lea@example.org");
    assert!(
        got[0].data.contains("multipart/alternative"),
        "text and HTML parts"
    );
    // The code in the message signs in.
    let code = got[0]
        .data
        .lines()
        .map(str::trim)
        .find(|l| l.len() == 6 && l.chars().all(|c| c.is_ascii_digit()))
        .expect("a 6-digit line")
        .to_owned();
    let cookie = verify(&url, &site, "lea@example.org", &code).expect("the e-mailed code works");
    // Once sent, the outbox no longer keeps the code.
    let wait = std::time::Instant::now();
    loop {
        let (_, page) = api(&url, &token, "GET", "/outbox", None, None);
        let m = &page["items"][0];
        if m["status"] == "sent" {
            assert!(!m["text"].as_str().unwrap().contains(&code), "{m}");
            break;
        }
        assert!(wait.elapsed() < Duration::from_secs(20), "{m}");
        std::thread::sleep(Duration::from_millis(200));
    }
    // A status change reaches the follower, once.
    portal_post(
        &url,
        &format!("{}/subscribe", site.idea("")),
        &cookie,
        &[],
        None,
    );
    let (s, idea) = api(
        &url,
        &token,
        "GET",
        &format!("/ideas/{}", site.idea_id),
        None,
        None,
    );
    assert_eq!(s, 200);
    let version = idea["version"].as_i64().unwrap().to_string();
    let (s, b) = api(
        &url,
        &token,
        "PATCH",
        &format!("/ideas/{}", site.idea_id),
        Some(serde_json::json!({"status": "planned", "so_that": "it ships"})),
        Some(&version),
    );
    assert_eq!(s, 200, "{b}");
    let got = sink.wait_for(2, Duration::from_secs(20));
    assert_eq!(got.len(), 2);
    // Quoted-printable folds long lines with a trailing '='.
    let unfolded = got[1].data.replace("=\r\n", "").replace("=\n", "");
    assert!(unfolded.contains(&site.idea("")), "the link to the idea");
    std::thread::sleep(Duration::from_secs(3));
    assert_eq!(sink.received.lock().unwrap().len(), 2, "nothing sent twice");
}

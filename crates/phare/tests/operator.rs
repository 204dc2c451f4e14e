//! The binary as a newcomer and an operator meet it: start, set up, lock, stop, configure,
//! and the session and sign-in promises (RELIABILITY R12, R13).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
use common::*;

#[test]
fn a_fresh_server_prints_its_url_answers_health_and_offers_a_one_time_setup_link() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(dir.path(), None, &[]);
    let c = http();
    assert_eq!(
        c.get(format!("{}/healthz", server.url))
            .send()
            .unwrap()
            .status(),
        200
    );
    assert_eq!(
        c.get(format!("{}/readyz", server.url))
            .send()
            .unwrap()
            .status(),
        200
    );
    assert!(
        dir.path().join("phare.db").exists(),
        "the SQLite file is created in the data dir"
    );
    let printed = server.startup.join("\n");
    let token = printed
        .split("token=")
        .nth(1)
        .map(|t| t.split_whitespace().next().unwrap_or("").to_owned());
    let token = token.expect("a setup link is printed while nobody has set Phare up");
    let setup = format!("{}/setup?token={token}", server.url);
    assert_eq!(c.get(&setup).send().unwrap().status(), 200);
    let form = [
        ("token", token.as_str()),
        ("workspace_name", "Ville de Lyon"),
        ("name", "Ada"),
        ("email", "ada@example.org"),
        ("password", PASSWORD),
    ];
    let res = c
        .post(format!("{}/setup", server.url))
        .header("Origin", &server.url)
        .form(&form)
        .send()
        .unwrap();
    assert_eq!(res.status(), 303);
    let again = c
        .post(format!("{}/setup", server.url))
        .header("Origin", &server.url)
        .form(&form)
        .send()
        .unwrap();
    assert_eq!(again.status(), 409, "setup cannot run twice");
    assert_eq!(c.get(&setup).send().unwrap().status(), 409);
    assert!(login(&server.url, "ada@example.org", PASSWORD).is_ok());
}

#[test]
fn the_login_page_speaks_the_browsers_language() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(dir.path(), None, &[]);
    let c = http();
    let fr = c
        .get(format!("{}/login", server.url))
        .header("Accept-Language", "fr-FR,fr;q=0.9")
        .send()
        .unwrap()
        .text()
        .unwrap();
    assert!(fr.contains("<html lang=\"fr\""), "{fr}");
    let en = c
        .get(format!("{}/login", server.url))
        .header("Accept-Language", "en")
        .send()
        .unwrap()
        .text()
        .unwrap();
    assert!(en.contains("<html lang=\"en\""));
    let missing = c
        .get(format!("{}/nowhere", server.url))
        .header("Accept-Language", "fr")
        .send()
        .unwrap();
    assert_eq!(missing.status(), 404);
    assert!(missing.text().unwrap().contains("Page introuvable"));
}

#[test]
fn a_second_server_on_the_same_data_directory_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let _first = Server::start(dir.path(), None, &[]);
    let mut second = std::process::Command::new(bin())
        .args(["serve", "--data-dir"])
        .arg(dir.path())
        .args(["--listen", &format!("127.0.0.1:{}", free_port())])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // Bounded: if the lock failed, the second server would run forever.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(15);
    let status = loop {
        if let Some(s) = second.try_wait().unwrap() {
            break Some(s);
        }
        if std::time::Instant::now() > deadline {
            let _ = second.kill();
            let _ = second.wait();
            break None;
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    };
    let status = status.expect("the second server kept running on a locked data directory");
    assert!(!status.success());
    let mut err = String::new();
    std::io::Read::read_to_string(&mut second.stderr.take().unwrap(), &mut err).unwrap();
    assert!(err.contains("another Phare server already uses"), "{err}");
}

#[test]
fn sigterm_stops_the_server_cleanly() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(dir.path(), None, &[]);
    let status = server.terminate();
    assert!(status.success(), "{status}");
}

#[test]
fn config_show_layers_flags_over_the_file_and_hides_secrets() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("phare.toml");
    std::fs::write(
        &file,
        "listen = \"127.0.0.1:9999\"\nmetrics_token = \"very-secret\"\n",
    )
    .unwrap();
    let (ok, out, err) = phare(
        &[
            "config",
            "show",
            "--config",
            file.to_str().unwrap(),
            "--database-url",
            "postgres://phare:hunter2@db/phare",
        ],
        None,
    );
    assert!(ok, "{err}");
    assert!(out.contains("127.0.0.1:9999"));
    assert!(
        !out.contains("very-secret") && !out.contains("hunter2"),
        "{out}"
    );
}

#[test]
fn sessions_rotate_end_at_logout_and_die_with_a_disabled_member() {
    let dir = tempfile::tempdir().unwrap();
    let token = admin_with_token(dir.path(), None, "ada@example.org", None);
    let server = Server::start(dir.path(), None, &[]);
    let c = http();

    let res = c
        .post(format!("{}/login", server.url))
        .header("Origin", &server.url)
        .form(&[("email", "ada@example.org"), ("password", PASSWORD)])
        .send()
        .unwrap();
    let set_cookie = res
        .headers()
        .get("set-cookie")
        .unwrap()
        .to_str()
        .unwrap()
        .to_owned();
    assert!(
        set_cookie.contains("HttpOnly")
            && set_cookie.contains("SameSite=Lax")
            && set_cookie.contains("Path=/"),
        "{set_cookie}"
    );
    assert!(
        !set_cookie.contains("Secure"),
        "no Secure flag over plain http"
    );

    let first = login(&server.url, "ada@example.org", PASSWORD).unwrap();
    let second = login(&server.url, "ada@example.org", PASSWORD).unwrap();
    assert_ne!(first, second, "every login gets a new session id");
    let home = |cookie: &str| {
        c.get(format!("{}/", server.url))
            .header("Cookie", cookie)
            .send()
            .unwrap()
            .status()
            .as_u16()
    };
    assert_eq!(home(&first), 200);

    let res = c
        .post(format!("{}/logout", server.url))
        .header("Origin", &server.url)
        .header("Cookie", &first)
        .send()
        .unwrap();
    assert_eq!(res.status(), 303);
    assert_eq!(
        home(&first),
        303,
        "a logged-out session sends to the login page"
    );
    assert_eq!(home(&second), 200);

    let api = |t: &str| {
        c.get(format!("{}/readyz", server.url))
            .bearer_auth(t)
            .send()
            .unwrap()
            .status()
            .as_u16()
    };
    assert_eq!(api(&token), 200);
    let mut args = vec!["admin".to_owned(), "disable-user".to_owned()];
    args.extend(db_args(dir.path(), None));
    args.extend(["--email".into(), "ada@example.org".into()]);
    let (ok, _, err) = phare(&args.iter().map(String::as_str).collect::<Vec<_>>(), None);
    assert!(ok, "{err}");
    assert_eq!(
        home(&second),
        303,
        "disabling a member ends their sessions at the next request"
    );
    assert_eq!(login(&server.url, "ada@example.org", PASSWORD), Err(401));
}

#[test]
fn an_https_base_url_gives_host_prefixed_secure_cookies() {
    let dir = tempfile::tempdir().unwrap();
    admin_with_token(dir.path(), None, "ada@example.org", None);
    let server = Server::start(dir.path(), None, &["--base-url", "https://pm.example.org"]);
    let res = http()
        .post(format!("{}/login", server.url))
        .header("Origin", "https://pm.example.org")
        .form(&[("email", "ada@example.org"), ("password", PASSWORD)])
        .send()
        .unwrap();
    assert_eq!(res.status(), 303);
    let set_cookie = res.headers().get("set-cookie").unwrap().to_str().unwrap();
    assert!(
        set_cookie.starts_with("__Host-phare_session=") && set_cookie.contains("; Secure"),
        "{set_cookie}"
    );
}

#[test]
fn wrong_passwords_are_limited_per_address_and_spoofed_headers_change_nothing() {
    let dir = tempfile::tempdir().unwrap();
    admin_with_token(dir.path(), None, "ada@example.org", None);
    let server = Server::start(dir.path(), None, &["--login-rate-limit", "10"]);
    let c = http();
    let mut statuses = Vec::new();
    for i in 0..100 {
        let res = c
            .post(format!("{}/login", server.url))
            .header("Origin", &server.url)
            // A client without a trusted proxy cannot pick its address.
            .header("X-Forwarded-For", format!("10.0.0.{i}"))
            .form(&[
                ("email", format!("nobody{i}@example.org")),
                ("password", "wrong-password".into()),
            ])
            .send()
            .unwrap();
        if res.status() == 429 {
            assert!(res.headers().contains_key("retry-after"));
        }
        statuses.push(res.status().as_u16());
    }
    let answered = statuses.iter().filter(|s| **s == 401).count();
    let limited = statuses.iter().filter(|s| **s == 429).count();
    assert_eq!((answered, limited), (10, 90), "{statuses:?}");
    // The right password is refused too while the address is limited.
    assert_eq!(login(&server.url, "ada@example.org", PASSWORD), Err(429));
}

#[test]
fn slow_clients_do_not_stall_the_server() {
    use std::io::Write;
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(dir.path(), None, &[]);
    // 200 clients that open a connection, send half a request and wait (bounded: closed below).
    let mut stalled = Vec::new();
    for _ in 0..200 {
        let mut s = std::net::TcpStream::connect(("127.0.0.1", server.port)).unwrap();
        s.write_all(
            b"POST /login HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 100000\r\n\r\nemail=",
        )
        .unwrap();
        stalled.push(s);
    }
    let c = http();
    let mut times = Vec::new();
    for _ in 0..100 {
        let t = std::time::Instant::now();
        assert_eq!(
            c.get(format!("{}/healthz", server.url))
                .send()
                .unwrap()
                .status(),
            200
        );
        times.push(t.elapsed());
    }
    times.sort();
    let p99 = times[98];
    assert!(
        p99 < std::time::Duration::from_millis(100),
        "health p99 {p99:?} with 200 stalled clients"
    );
    // A body announced over the limit is refused at once, before it is sent.
    let t = std::time::Instant::now();
    let mut s = std::net::TcpStream::connect(("127.0.0.1", server.port)).unwrap();
    s.set_read_timeout(Some(std::time::Duration::from_secs(5)))
        .unwrap();
    write!(s, "POST /login HTTP/1.1\r\nHost: 127.0.0.1:{}\r\nOrigin: {}\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n\r\nemail=a", server.port, server.url, 3 * 1024 * 1024).unwrap();
    let mut answer = [0u8; 12];
    std::io::Read::read_exact(&mut s, &mut answer).unwrap();
    assert_eq!(
        &answer,
        b"HTTP/1.1 413",
        "{}",
        String::from_utf8_lossy(&answer)
    );
    assert!(
        t.elapsed() < std::time::Duration::from_millis(100),
        "{:?}",
        t.elapsed()
    );
    drop(stalled);
}

#[test]
fn the_raci_adds_people_by_e_mail_from_this_workspace_only() {
    let dir = tempfile::tempdir().unwrap();
    admin_with_token(dir.path(), None, "ada@example.org", Some("Lyon"));
    admin_with_token(dir.path(), None, "eve@other.example", Some("Autre"));
    let mut args = vec!["admin".to_owned(), "create-user".into()];
    args.extend(db_args(dir.path(), None));
    args.extend(
        [
            "--email",
            "bob@example.org",
            "--name",
            "Bob",
            "--role",
            "contributor",
            "--password-stdin",
            "--workspace",
            "Lyon",
        ]
        .map(String::from),
    );
    assert!(
        phare(
            &args.iter().map(String::as_str).collect::<Vec<_>>(),
            Some(PASSWORD)
        )
        .0
    );
    let server = Server::start(dir.path(), None, &[]);
    let cookie = login(&server.url, "ada@example.org", PASSWORD).unwrap();
    let c = http();
    let res = c
        .post(format!("{}/products", server.url))
        .header("Origin", &server.url)
        .header("Cookie", &cookie)
        .form(&[("name", "Portail"), ("key", "PRT"), ("pm_model", "shared")])
        .send()
        .unwrap();
    let product = res
        .headers()
        .get("location")
        .unwrap()
        .to_str()
        .unwrap()
        .split('?')
        .next()
        .unwrap()
        .to_owned();
    let raci = |form: &[(&str, &str)]| {
        c.post(format!("{}{product}/raci", server.url))
            .header("Origin", &server.url)
            .header("Cookie", &cookie)
            .form(form)
            .send()
            .unwrap()
    };

    let res = raci(&[
        ("add_email", "eve@other.example"),
        ("add_raci", "accountable"),
    ]);
    assert_eq!(
        res.status(),
        422,
        "a member of another workspace is unknown here"
    );
    assert!(res
        .text()
        .unwrap()
        .contains("does not exist in the workspace"));
    let res = raci(&[
        ("add_email", "Bob@Example.org"),
        ("add_raci", "accountable"),
    ]);
    assert_eq!(res.status(), 303);
    let page = c
        .get(format!("{}{product}", server.url))
        .header("Cookie", &cookie)
        .header("Accept-Language", "en")
        .send()
        .unwrap()
        .text()
        .unwrap();
    assert!(page.contains(">Bob</th>"), "Bob is now a row of the RACI");
    assert!(
        !page.contains("eve@other.example") && !page.contains(">Eve"),
        "nothing of the other workspace leaks"
    );
}

#[test]
fn metrics_need_the_operators_token_and_are_off_without_one() {
    let dir = tempfile::tempdir().unwrap();
    let c = http();
    {
        let server = Server::start(dir.path(), None, &[]);
        assert_eq!(
            c.get(format!("{}/metrics", server.url))
                .send()
                .unwrap()
                .status(),
            404,
            "off without a token"
        );
    }
    let server = Server::start(dir.path(), None, &["--metrics-token", "scrape-me-please"]);
    c.get(format!("{}/healthz", server.url)).send().unwrap();
    assert_eq!(
        c.get(format!("{}/metrics", server.url))
            .send()
            .unwrap()
            .status(),
        401
    );
    assert_eq!(
        c.get(format!("{}/metrics", server.url))
            .bearer_auth("wrong")
            .send()
            .unwrap()
            .status(),
        401
    );
    let res = c
        .get(format!("{}/metrics", server.url))
        .bearer_auth("scrape-me-please")
        .send()
        .unwrap();
    assert_eq!(res.status(), 200);
    let text = res.text().unwrap();
    assert!(
        text.contains("phare_http_requests_total{class=\"2xx\"}"),
        "{text}"
    );
    assert!(text.contains("phare_database_up 1"));
}

#[test]
fn sigterm_lets_requests_in_flight_finish() {
    use std::io::{Read, Write};
    let dir = tempfile::tempdir().unwrap();
    admin_with_token(dir.path(), None, "ada@example.org", None);
    let server = Server::start(dir.path(), None, &["--login-rate-limit", "1000"]);
    // Eight sign-ins at once: each hashes a password and they queue behind the hashing bound,
    // so the last ones are still being served well after the signal. Each client has sent its
    // whole request before the signal (a slow machine must not turn "in flight" into "not yet
    // connected").
    let addr = server.url.trim_start_matches("http://").to_owned();
    let body = format!(
        "email=ada%40example.org&password={}",
        PASSWORD.replace(' ', "+")
    );
    let (sent_tx, sent_rx) = std::sync::mpsc::channel();
    let clients: Vec<_> = (0..8)
        .map(|_| {
            let (addr, body, sent) = (addr.clone(), body.clone(), sent_tx.clone());
            std::thread::spawn(move || {
                let mut tcp = std::net::TcpStream::connect(&addr).unwrap();
                let request = format!(
                    "POST /login HTTP/1.1\r\nHost: {addr}\r\nOrigin: http://{addr}\r\n\
                     Content-Type: application/x-www-form-urlencoded\r\n\
                     Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
                    body.len()
                );
                tcp.write_all(request.as_bytes()).unwrap();
                sent.send(()).unwrap();
                let mut answer = String::new();
                tcp.read_to_string(&mut answer).unwrap_or_default();
                answer
            })
        })
        .collect();
    for _ in 0..8 {
        sent_rx.recv().unwrap();
    }
    // Let the server read the requests it was sent, then ask it to stop.
    std::thread::sleep(std::time::Duration::from_millis(150));
    let status = server.terminate();
    for c in clients {
        let answer = c.join().unwrap();
        assert!(
            answer.starts_with("HTTP/1.1 303"),
            "a request in flight at SIGTERM got its full answer: {:?}",
            answer.lines().next()
        );
    }
    assert!(status.success(), "{status}");
}

#[test]
fn the_raci_is_set_and_read_from_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let token = admin_with_token(dir.path(), None, "ada@example.org", None);
    let server = Server::start(dir.path(), None, &[]);
    let cli = |args: &[&str]| {
        let mut a: Vec<&str> = args.to_vec();
        a.extend(["--url", &server.url, "--token", &token, "--json"]);
        phare(&a, None)
    };
    let (ok, out, err) = cli(&["products", "create", "--name", "Portail", "--key", "PRT"]);
    assert!(ok, "{err}");
    let product: serde_json::Value = serde_json::from_str(&out).unwrap();
    let (_, out, _) = cli(&["members", "list"]);
    let members: serde_json::Value = serde_json::from_str(&out).unwrap();
    let ada = members[0]["id"].as_str().unwrap().to_owned();
    let pid = product["id"].as_str().unwrap();
    let (ok, out, err) = cli(&[
        "products",
        "raci",
        pid,
        "--set",
        &format!("{ada}:accountable,{ada}:informed"),
    ]);
    assert!(ok, "{err}");
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(&out)
            .unwrap()
            .as_array()
            .unwrap()
            .len(),
        2
    );
    let (ok, _, err) = cli(&["products", "raci", pid, "--set", &format!("{ada}:boss")]);
    assert!(!ok && err.contains("unknown RACI letter"), "{err}");
    let (_, out, _) = cli(&["products", "raci", pid]);
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(&out)
            .unwrap()
            .as_array()
            .unwrap()
            .len(),
        2,
        "a refused change left the table as it was"
    );
}

#[test]
fn discovery_works_from_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let token = admin_with_token(dir.path(), None, "ada@example.org", None);
    let server = Server::start(dir.path(), None, &[]);
    let cli = |args: &[&str]| {
        let mut a: Vec<&str> = args.to_vec();
        a.extend(["--url", &server.url, "--token", &token]);
        phare(&a, None)
    };
    let json = |out: &str| serde_json::from_str::<serde_json::Value>(out).unwrap();
    let (ok, out, err) = cli(&[
        "products", "create", "--name", "Portail", "--key", "PRT", "--json",
    ]);
    assert!(ok, "{err}");
    let pid = json(&out)["id"].as_str().unwrap().to_owned();

    let (ok, out, err) = cli(&[
        "feedback",
        "add",
        "Les exports PDF sont trop lents",
        "--source",
        "support",
        "--product",
        &pid,
        "--customer",
        "ACME",
        "--tags",
        "export,pdf",
        "--json",
    ]);
    assert!(ok, "{err}");
    let fid = json(&out)["id"].as_str().unwrap().to_owned();
    let (ok, _, err) = cli(&["feedback", "add", "x", "--source", "pigeon"]);
    assert!(!ok && err.contains("unknown source"), "{err}");
    let (ok, out, err) = cli(&["feedback", "list", "--product", &pid, "--state", "new"]);
    assert!(
        ok && out.contains("support") && out.contains("ACME"),
        "{out}{err}"
    );

    let (ok, out, err) = cli(&[
        "ideas",
        "create",
        "--product",
        &pid,
        "--title",
        "Export PDF plus rapide",
        "--so-that",
        "je partage la feuille de route",
        "--from-feedback",
        &fid,
    ]);
    assert!(ok && out.contains("created PRT-1"), "{out}{err}");
    let (ok, out, err) = cli(&["ideas", "list", "--product", &pid, "--json"]);
    assert!(ok, "{err}");
    let ideas = json(&out);
    assert_eq!(
        ideas[0]["evidence_count"], 1,
        "created from feedback keeps the link"
    );
    let iid = ideas[0]["id"].as_str().unwrap().to_owned();
    let (ok, out, _) = cli(&["ideas", "show", &iid]);
    assert!(ok && out.contains("PRT-1") && out.contains("ACME"), "{out}");
    let (ok, out, err) = cli(&["search", "export pdf"]);
    assert!(
        ok && out.contains("feedback") && out.contains("idea"),
        "{out}{err}"
    );

    // Import a CSV (dry run, then for real), then export it back.
    let csv = dir.path().join("retours.csv");
    std::fs::write(
        &csv,
        "texte;source;client\r\nIl manque le mode sombre;entretien;Mairie de Lyon\r\n",
    )
    .unwrap();
    let file = csv.to_str().unwrap();
    let (ok, out, err) = cli(&["import", file, "--product", &pid, "--dry-run"]);
    assert!(
        ok && out.contains("1 rows") && out.contains("0 problems"),
        "{out}{err}"
    );
    let (ok, out, err) = cli(&["import", file, "--product", &pid]);
    assert!(ok && out.contains("1 created"), "{out}{err}");
    let bad = dir.path().join("bad.csv");
    std::fs::write(&bad, "text,source,date\r\nok,support,yesterday-ish\r\n").unwrap();
    let (ok, _, err) = cli(&["import", bad.to_str().unwrap(), "--product", &pid]);
    assert!(!ok && err.contains("line 2"), "{err}");
    let out_file = dir.path().join("export.csv");
    let (ok, _, err) = cli(&[
        "export",
        "--what",
        "feedback",
        "--product",
        &pid,
        "--format",
        "csv",
        "--delimiter",
        "semicolon",
        "--out",
        out_file.to_str().unwrap(),
    ]);
    assert!(ok, "{err}");
    let exported = std::fs::read_to_string(&out_file).unwrap();
    assert!(
        exported.contains("Mairie de Lyon") && exported.contains("interview"),
        "{exported}"
    );
}

// decisions (issue #4)
#[test]
fn decisions_are_recorded_and_listed_from_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let token = admin_with_token(dir.path(), None, "ada@example.org", None);
    let server = Server::start(dir.path(), None, &[]);
    let cli = |args: &[&str]| {
        let mut a: Vec<&str> = args.to_vec();
        a.extend(["--url", &server.url, "--token", &token]);
        phare(&a, None)
    };
    let json = |out: &str| serde_json::from_str::<serde_json::Value>(out).unwrap();
    let (ok, out, err) = cli(&[
        "products", "create", "--name", "Portail", "--key", "PRT", "--json",
    ]);
    assert!(ok, "{err}");
    let pid = json(&out)["id"].as_str().unwrap().to_owned();
    let mut ideas = Vec::new();
    for title in ["Export PDF", "Exporter en PDF"] {
        let (ok, _, err) = cli(&[
            "ideas",
            "create",
            "--product",
            &pid,
            "--title",
            title,
            "--so-that",
            "je gagne du temps",
        ]);
        assert!(ok, "{err}");
    }
    let (ok, out, err) = cli(&["ideas", "list", "--product", &pid, "--json"]);
    assert!(ok, "{err}");
    for i in json(&out).as_array().unwrap() {
        ideas.push(i["id"].as_str().unwrap().to_owned());
    }
    let (kept, dup) = (ideas[1].clone(), ideas[0].clone());

    // Bad input: a defer with neither a date nor a condition; an unknown kind.
    let (ok, _, err) = cli(&["decide", &kept, "defer", "--rationale", "Plus tard"]);
    assert!(!ok && err.contains("until"), "{err}");
    let (ok, _, err) = cli(&["decide", &kept, "postpone", "--rationale", "Plus tard"]);
    assert!(!ok && err.contains("kind"), "{err}");

    let (ok, out, err) = cli(&[
        "decide",
        &kept,
        "defer",
        "--rationale",
        "Après la refonte de la facturation",
        "--until",
        "2099-03-01",
        "--json",
    ]);
    assert!(ok, "{err}");
    let deferred = json(&out)["id"].as_str().unwrap().to_owned();
    let (ok, out, err) = cli(&[
        "decide",
        &dup,
        "merge",
        "--rationale",
        "Même besoin",
        "--into",
        &kept,
        "--supersedes",
        &deferred,
    ]);
    assert!(
        ok && out.contains("merge") && out.contains("→ PRT-"),
        "{out}{err}"
    );
    let (ok, out, err) = cli(&["decisions", "list", "--product", &pid]);
    assert!(
        ok && out.contains("defer") && out.contains("2099-03-01") && out.contains("merge"),
        "{out}{err}"
    );
    let (ok, out, err) = cli(&[
        "decisions",
        "list",
        "--product",
        &pid,
        "--search",
        "facturation",
        "--json",
    ]);
    assert!(ok, "{err}");
    assert_eq!(json(&out).as_array().unwrap().len(), 1);
    let (ok, out, err) = cli(&["decisions", "show", &deferred]);
    assert!(ok && out.contains("refonte"), "{out}{err}");
}

// scoring slice (issue #4)
#[test]
fn ideas_are_scored_and_the_backlog_listed_from_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let token = admin_with_token(dir.path(), None, "ada@example.org", None);
    let server = Server::start(dir.path(), None, &[]);
    let cli = |args: &[&str]| {
        let mut a: Vec<&str> = args.to_vec();
        a.extend(["--url", &server.url, "--token", &token]);
        phare(&a, None)
    };
    let json = |out: &str| serde_json::from_str::<serde_json::Value>(out).unwrap();
    let (ok, out, err) = cli(&[
        "products", "create", "--name", "Carnet", "--key", "CAR", "--json",
    ]);
    assert!(ok, "{err}");
    let pid = json(&out)["id"].as_str().unwrap().to_owned();
    for title in ["Export PDF", "Mode sombre"] {
        let (ok, _, err) = cli(&["ideas", "create", "--product", &pid, "--title", title]);
        assert!(ok, "{err}");
    }
    let (ok, out, err) = cli(&[
        "score",
        "CAR-1",
        "rice",
        "--reach",
        "500",
        "--impact",
        "2",
        "--confidence",
        "0.8",
        "--effort",
        "4",
    ]);
    assert!(
        ok && out.contains("rice = 200") && out.contains("500 × 2 × 0.8 ÷ 4"),
        "{out}{err}"
    );
    let (ok, out, err) = cli(&[
        "score",
        "CAR-2",
        "rice",
        "--reach",
        "10",
        "--impact",
        "1",
        "--confidence",
        "1.5",
        "--effort",
        "1",
    ]);
    assert!(!ok && err.contains("confidence"), "{out}{err}");
    let (ok, out, err) = cli(&["score", "CAR-1", "--json"]);
    assert!(ok, "{err}");
    assert_eq!(json(&out)[0]["value"], 200.0);
    let (ok, out, err) = cli(&["backlog", "CAR", "--sort", "score"]);
    assert!(ok, "{err}");
    let first = out.lines().nth(1).unwrap_or("");
    assert!(first.contains("CAR-1") && first.contains("200"), "{out}");
    let (ok, out, err) = cli(&["backlog", "CAR", "--sort", "rank", "--json"]);
    assert!(ok, "{err}");
    assert_eq!(json(&out).as_array().unwrap().len(), 2);
    let (ok, _, err) = cli(&["backlog", "CAR", "--min-score", "300"]);
    assert!(ok, "{err}");
}

/// `phare ideas create --kind bug` needs the whole template; `list --kind bug` and `show` read it.
#[test]
fn a_bug_report_is_filed_from_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let token = admin_with_token(dir.path(), None, "ada@example.org", None);
    let server = Server::start(dir.path(), None, &[]);
    let cli = |args: &[&str]| {
        let mut a: Vec<&str> = args.to_vec();
        a.extend(["--url", &server.url, "--token", &token]);
        phare(&a, None)
    };
    let json = |out: &str| serde_json::from_str::<serde_json::Value>(out).unwrap();
    let (ok, out, err) = cli(&[
        "products", "create", "--name", "Carnet", "--key", "CAR", "--json",
    ]);
    assert!(ok, "{err}");
    let pid = json(&out)["id"].as_str().unwrap().to_owned();
    let (ok, out, err) = cli(&[
        "ideas",
        "create",
        "--product",
        &pid,
        "--title",
        "Export plante",
        "--kind",
        "bug",
        "--steps",
        "1. Exporter",
    ]);
    assert!(
        !ok && err.contains("severity") && err.contains("environment"),
        "{out}{err}"
    );
    let (ok, _, err) = cli(&[
        "ideas",
        "create",
        "--product",
        &pid,
        "--title",
        "Mode sombre",
    ]);
    assert!(ok, "{err}");
    let (ok, out, err) = cli(&[
        "ideas",
        "create",
        "--product",
        &pid,
        "--title",
        "Export plante",
        "--kind",
        "bug",
        "--steps",
        "1. Exporter",
        "--expected",
        "Un PDF",
        "--actual",
        "Erreur 500",
        "--environment",
        "Firefox 133",
        "--severity",
        "critical",
    ]);
    assert!(ok && out.contains("CAR-2"), "{out}{err}");
    let (ok, out, err) = cli(&[
        "ideas",
        "list",
        "--product",
        &pid,
        "--kind",
        "bug",
        "--json",
    ]);
    assert!(ok, "{err}");
    let items = json(&out);
    assert_eq!(items.as_array().unwrap().len(), 1);
    assert_eq!(items[0]["bug"]["severity"], "critical");
    let id = items[0]["id"].as_str().unwrap().to_owned();
    let (ok, out, err) = cli(&["ideas", "show", &id]);
    assert!(
        ok && out.contains("Severity: critical") && out.contains("Erreur 500"),
        "{out}{err}"
    );
}

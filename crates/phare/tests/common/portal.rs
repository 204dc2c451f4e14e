//! Black-box helpers for the public portal: set a portal up through the API, sign visitors in
//! with the codes the outbox holds, vote through the pages, read the database back with
//! `phare export`, and a tiny SMTP server that records what Phare sends.

use super::*;
use serde_json::{json, Value};
use std::collections::HashMap;
use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// A product with an open portal and one published idea.
#[derive(Clone, Debug)]
pub struct Site {
    pub slug: String,
    pub key: String,
    pub product_id: String,
    pub idea_id: String,
    pub number: i64,
}

impl Site {
    pub fn base(&self, url: &str) -> String {
        format!("{url}/p/{}/{}", self.slug, self.key)
    }
    pub fn idea(&self, url: &str) -> String {
        format!("{}/ideas/{}", self.base(url), self.number)
    }
}

/// An API call; returns the status and the JSON body (null when there is none).
pub fn api(
    url: &str,
    token: &str,
    method: &str,
    path: &str,
    body: Option<Value>,
    if_match: Option<&str>,
) -> (u16, Value) {
    let c = http();
    let m = reqwest::Method::from_bytes(method.as_bytes()).unwrap();
    let mut req = c
        .request(m, format!("{url}/api/v1{path}"))
        .bearer_auth(token);
    if let Some(v) = if_match {
        req = req.header("If-Match", format!("\"{v}\""));
    }
    if let Some(b) = body {
        req = req.json(&b);
    }
    let res = req.send().unwrap();
    let status = res.status().as_u16();
    let text = res.text().unwrap_or_default();
    (status, serde_json::from_str(&text).unwrap_or(Value::Null))
}

/// A product `key` with its portal open and one published idea, through the API.
pub fn open_portal(url: &str, token: &str, key: &str) -> Site {
    let (s, ws) = api(url, token, "GET", "/workspace", None, None);
    assert_eq!(s, 200, "{ws}");
    let (s, p) = api(
        url,
        token,
        "POST",
        "/products",
        Some(json!({"name": format!("Product {key}"), "key": key})),
        None,
    );
    assert_eq!(s, 201, "{p}");
    let pid = p["id"].as_str().unwrap().to_owned();
    let (s, b) = api(
        url,
        token,
        "PATCH",
        &format!("/products/{pid}/portal"),
        Some(json!({"enabled": true, "title": "Ideas"})),
        Some("0"),
    );
    assert_eq!(s, 200, "{b}");
    let (s, i) = api(
        url,
        token,
        "POST",
        &format!("/products/{pid}/ideas"),
        Some(json!({"title": "Export PDF"})),
        None,
    );
    assert_eq!(s, 201, "{i}");
    let iid = i["id"].as_str().unwrap().to_owned();
    let (s, f) = api(
        url,
        token,
        "PATCH",
        &format!("/ideas/{iid}/portal"),
        Some(json!({"state": "published"})),
        Some("1"),
    );
    assert_eq!(s, 200, "{f}");
    Site {
        slug: ws["slug"].as_str().unwrap().to_owned(),
        key: key.to_owned(),
        product_id: pid,
        idea_id: iid,
        number: f["number"].as_i64().unwrap(),
    }
}

/// Asks for a sign-in code; returns the status and the Retry-After header.
pub fn request_code(
    url: &str,
    site: &Site,
    email: &str,
    forwarded_for: Option<&str>,
) -> (u16, Option<String>) {
    let mut req = http()
        .post(format!("{}/sign-in", site.base(url)))
        .header("Origin", url)
        .form(&[("email", email), ("display_name", "Visitor")]);
    if let Some(x) = forwarded_for {
        req = req.header("X-Forwarded-For", x);
    }
    let res = req.send().unwrap();
    let retry = res
        .headers()
        .get("retry-after")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    (res.status().as_u16(), retry)
}

/// The newest code sent to each address, read from the outbox as an admin reads it.
pub fn codes(url: &str, token: &str) -> HashMap<String, String> {
    let mut out = HashMap::new();
    let mut cursor: Option<String> = None;
    loop {
        let path = match &cursor {
            Some(c) => format!("/outbox?limit=200&cursor={c}"),
            None => "/outbox?limit=200".to_owned(),
        };
        let (s, page) = api(url, token, "GET", &path, None, None);
        assert_eq!(s, 200, "{page}");
        for m in page["items"].as_array().unwrap() {
            if m["kind"] != "sign_in_code" {
                continue;
            }
            let to = m["to"].as_str().unwrap().to_owned();
            let text = m["text"].as_str().unwrap_or("");
            if let Some(code) = text
                .lines()
                .map(str::trim)
                .find(|l| l.len() == 6 && l.chars().all(|c| c.is_ascii_digit()))
            {
                // Newest first: keep the first seen.
                out.entry(to).or_insert_with(|| code.to_owned());
            }
        }
        match page["next_cursor"].as_str() {
            Some(c) => cursor = Some(c.to_owned()),
            None => return out,
        }
    }
}

/// Types a code; returns the portal cookie pair on success.
pub fn verify(url: &str, site: &Site, email: &str, code: &str) -> Option<String> {
    let res = http()
        .post(format!("{}/sign-in/code", site.base(url)))
        .header("Origin", url)
        .form(&[("email", email), ("code", code)])
        .send()
        .unwrap();
    if res.status().as_u16() != 303 {
        return None;
    }
    res.headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|c| c.starts_with("phare_portal="))
        .map(|c| c.split(';').next().unwrap().to_owned())
}

/// Signs each address in (codes asked of the instances in turn); returns their cookies.
pub fn sign_in_all(
    urls: &[&str],
    token_url: &str,
    token: &str,
    site: &Site,
    emails: &[String],
) -> Vec<String> {
    for (n, e) in emails.iter().enumerate() {
        let (s, _) = request_code(urls[n % urls.len()], site, e, None);
        assert_eq!(s, 200, "code for {e}");
    }
    let codes = codes(token_url, token);
    emails
        .iter()
        .enumerate()
        .map(|(n, e)| {
            let code = codes.get(e).unwrap_or_else(|| panic!("no code for {e}"));
            verify(urls[n % urls.len()], site, e, code)
                .unwrap_or_else(|| panic!("{e} could not sign in"))
        })
        .collect()
}

/// A portal form post with the visitor's cookie; returns the status and Retry-After.
pub fn portal_post(
    url: &str,
    path: &str,
    cookie: &str,
    form: &[(&str, &str)],
    forwarded_for: Option<&str>,
) -> (u16, Option<String>) {
    let mut req = http()
        .post(format!("{url}{path}"))
        .header("Origin", url)
        .header("Cookie", cookie)
        .form(form);
    if let Some(x) = forwarded_for {
        req = req.header("X-Forwarded-For", x);
    }
    let res = req.send().unwrap();
    let retry = res
        .headers()
        .get("retry-after")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    (res.status().as_u16(), retry)
}

/// Every durable record, as `phare export` writes it.
pub fn dump(data_dir: &Path, database_url: Option<&str>) -> Value {
    let mut args = vec!["export".to_owned(), "--format".into(), "json".into()];
    args.extend(db_args(data_dir, database_url));
    let (ok, out, err) = phare(&args.iter().map(String::as_str).collect::<Vec<_>>(), None);
    assert!(ok, "export: {err}");
    serde_json::from_str(&out).unwrap()
}

/// R5 on a dump: at most one vote row per (voter, idea), and every idea's stored count equal
/// to its rows. Returns the number of vote rows of `idea`.
pub fn assert_votes_exact(dump: &Value, idea: &str) -> usize {
    let votes = dump["portal_votes"].as_array().cloned().unwrap_or_default();
    let mut pairs = std::collections::HashSet::new();
    for v in &votes {
        let pair = (v["idea_id"].to_string(), v["portal_user_id"].to_string());
        assert!(pairs.insert(pair.clone()), "two vote rows for {pair:?}");
    }
    for i in dump["ideas"].as_array().unwrap() {
        let id = i["id"].as_str().unwrap();
        let rows = votes.iter().filter(|v| v["idea_id"] == id).count() as i64;
        assert_eq!(
            i["vote_count"].as_i64().unwrap(),
            rows,
            "idea {}",
            i["reference"]
        );
    }
    votes.iter().filter(|v| v["idea_id"] == idea).count()
}

/// A made-up address, different for each call, as a proxy would forward it.
pub fn spoofed_ip(n: usize) -> String {
    format!("203.0.{}.{}", (n / 250) % 250, n % 250 + 1)
}

/// One message received by [`SmtpSink`].
#[derive(Clone, Debug)]
pub struct Received {
    pub to: String,
    pub data: String,
}

/// A minimal SMTP server on 127.0.0.1 that accepts every message and records it: enough of
/// RFC 5321 for lettre (EHLO, MAIL, RCPT, DATA, RSET, NOOP, QUIT), no TLS, no AUTH.
pub struct SmtpSink {
    pub port: u16,
    pub received: Arc<Mutex<Vec<Received>>>,
}

impl SmtpSink {
    pub fn start() -> SmtpSink {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let received = Arc::new(Mutex::new(Vec::new()));
        let r = received.clone();
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(stream) = stream else { continue };
                let r = r.clone();
                std::thread::spawn(move || serve_smtp(stream, r));
            }
        });
        SmtpSink { port, received }
    }

    pub fn url(&self) -> String {
        format!("smtp://127.0.0.1:{}", self.port)
    }

    /// Waits until `n` messages arrived (or the time runs out); returns them.
    pub fn wait_for(&self, n: usize, within: Duration) -> Vec<Received> {
        let deadline = Instant::now() + within;
        loop {
            let got = self.received.lock().unwrap().clone();
            if got.len() >= n || Instant::now() > deadline {
                return got;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }
}

fn serve_smtp(stream: std::net::TcpStream, received: Arc<Mutex<Vec<Received>>>) {
    let _ = stream.set_read_timeout(Some(Duration::from_secs(30)));
    let mut out = stream.try_clone().unwrap();
    let mut lines = BufReader::new(stream);
    let mut say = |s: &str| out.write_all(format!("{s}\r\n").as_bytes()).is_ok();
    if !say("220 sink ESMTP") {
        return;
    }
    let mut to = Vec::new();
    loop {
        let mut line = String::new();
        if lines.read_line(&mut line).unwrap_or(0) == 0 {
            return;
        }
        let cmd = line.trim_end().to_ascii_uppercase();
        if cmd.starts_with("EHLO") || cmd.starts_with("HELO") {
            say("250 sink");
        } else if cmd.starts_with("MAIL FROM") || cmd.starts_with("RSET") || cmd.starts_with("NOOP")
        {
            to.clear();
            say("250 OK");
        } else if cmd.starts_with("RCPT TO") {
            let addr = line
                .split_once('<')
                .and_then(|(_, r)| r.split_once('>'))
                .map(|(a, _)| a.to_owned())
                .unwrap_or_default();
            to.push(addr);
            say("250 OK");
        } else if cmd == "DATA" {
            say("354 end with <CRLF>.<CRLF>");
            let mut data = String::new();
            loop {
                let mut l = String::new();
                if lines.read_line(&mut l).unwrap_or(0) == 0 {
                    return;
                }
                if l.trim_end() == "." {
                    break;
                }
                data.push_str(&l);
            }
            for t in to.drain(..) {
                received.lock().unwrap().push(Received {
                    to: t,
                    data: data.clone(),
                });
            }
            say("250 queued");
        } else if cmd.starts_with("QUIT") {
            say("221 bye");
            return;
        } else {
            say("502 not implemented");
        }
    }
}

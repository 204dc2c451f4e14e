//! Black-box helpers: run the real `phare` binary as a newcomer or an operator would, on a
//! fresh data directory and a free 127.0.0.1 port, and stop it by its pid.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

pub mod portal;

use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

pub fn bin() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_phare"))
}

pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

pub const PASSWORD: &str = "lighthouse-keeper-42";

/// A running `phare serve`, killed when dropped.
pub struct Server {
    pub child: Child,
    pub url: String,
    pub port: u16,
    pub output: mpsc::Receiver<String>,
    /// What the server printed up to its "listening" line (the setup link among it).
    pub startup: Vec<String>,
}

impl Server {
    /// Starts a server and waits for the line that says it accepts connections.
    pub fn start(data_dir: &Path, database_url: Option<&str>, extra: &[&str]) -> Server {
        let port = free_port();
        let mut cmd = Command::new(bin());
        cmd.args(["serve", "--data-dir"])
            .arg(data_dir)
            .args(["--listen", &format!("127.0.0.1:{port}")])
            .args(extra);
        if let Some(u) = database_url {
            cmd.args(["--database-url", u]);
        }
        cmd.env("PHARE_LOG", "warn")
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .stdin(Stdio::null());
        let mut child = cmd.spawn().expect("spawn phare serve");
        let (tx, rx) = mpsc::channel();
        let out = child.stdout.take().unwrap();
        let err = child.stderr.take().unwrap();
        let tx2 = tx.clone();
        std::thread::spawn(move || {
            BufReader::new(out)
                .lines()
                .map_while(Result::ok)
                .for_each(|l| {
                    let _ = tx.send(l);
                })
        });
        std::thread::spawn(move || {
            BufReader::new(err)
                .lines()
                .map_while(Result::ok)
                .for_each(|l| {
                    let _ = tx2.send(l);
                })
        });
        let url = format!("http://127.0.0.1:{port}");
        let deadline = Instant::now() + Duration::from_secs(30);
        let mut seen = Vec::new();
        loop {
            match rx.recv_timeout(Duration::from_millis(100)) {
                Ok(line) => {
                    let ready = line.contains("listening on") && line.contains(&url);
                    seen.push(line);
                    if ready {
                        // The setup link, when there is one, follows the listening line.
                        while let Ok(more) = rx.recv_timeout(Duration::from_millis(200)) {
                            seen.push(more);
                        }
                        break;
                    }
                }
                Err(_) => {
                    if let Ok(Some(status)) = child.try_wait() {
                        panic!("phare serve exited with {status}: {seen:#?}");
                    }
                }
            }
            assert!(Instant::now() < deadline, "server did not start: {seen:#?}");
        }
        Server {
            child,
            url,
            port,
            output: rx,
            startup: seen,
        }
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// SIGKILL: the crash the durability promise is about.
    pub fn kill9(mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }

    /// SIGTERM and wait: the graceful stop.
    pub fn terminate(mut self) -> std::process::ExitStatus {
        let _ = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status();
        let deadline = Instant::now() + Duration::from_secs(15);
        loop {
            if let Ok(Some(s)) = self.child.try_wait() {
                return s;
            }
            if Instant::now() > deadline {
                let _ = self.child.kill();
                return self.child.wait().unwrap();
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Runs `phare ARGS` with optional standard input; returns (status ok, stdout, stderr).
pub fn phare(args: &[&str], stdin: Option<&str>) -> (bool, String, String) {
    let mut cmd = Command::new(bin());
    cmd.args(args)
        .env("PHARE_LOG", "warn")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    cmd.stdin(if stdin.is_some() {
        Stdio::piped()
    } else {
        Stdio::null()
    });
    let mut child = cmd.spawn().unwrap();
    if let Some(input) = stdin {
        child
            .stdin
            .take()
            .unwrap()
            .write_all(input.as_bytes())
            .unwrap();
    }
    let out = child.wait_with_output().unwrap();
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// `--data-dir DIR` or `--database-url URL` arguments for operator commands.
pub fn db_args(data_dir: &Path, database_url: Option<&str>) -> Vec<String> {
    let mut v = vec!["--data-dir".to_owned(), data_dir.display().to_string()];
    if let Some(u) = database_url {
        v.push("--database-url".into());
        v.push(u.into());
    }
    v
}

/// Creates an admin (and the workspace) and a token for them; returns the token.
pub fn admin_with_token(
    data_dir: &Path,
    database_url: Option<&str>,
    email: &str,
    workspace: Option<&str>,
) -> String {
    let db = db_args(data_dir, database_url);
    let mut args: Vec<&str> = vec!["admin", "create-user"];
    args.extend(db.iter().map(String::as_str));
    args.extend([
        "--email",
        email,
        "--name",
        "Ada Lovelace",
        "--role",
        "admin",
        "--password-stdin",
    ]);
    if let Some(w) = workspace {
        args.extend(["--workspace", w]);
    }
    let (ok, _, err) = phare(&args, Some(PASSWORD));
    assert!(ok, "create-user failed: {err}");
    let mut args: Vec<&str> = vec!["admin", "create-token"];
    args.extend(db.iter().map(String::as_str));
    args.extend(["--email", email, "--scopes", "all"]);
    let (ok, out, err) = phare(&args, None);
    assert!(ok, "create-token failed: {err}");
    let token = out.trim().to_owned();
    assert!(
        token.starts_with("phare_") && !token.contains('\n'),
        "token alone on stdout: {out:?}"
    );
    token
}

pub fn http() -> reqwest::blocking::Client {
    reqwest::blocking::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(Duration::from_secs(20))
        .build()
        .unwrap()
}

/// Signs in through the HTML form; returns the session cookie pair (`name=value`) or the status.
pub fn login(url: &str, email: &str, password: &str) -> Result<String, u16> {
    let res = http()
        .post(format!("{url}/login"))
        .header("Origin", url)
        .form(&[("email", email), ("password", password)])
        .send()
        .unwrap();
    if res.status().as_u16() != 303 {
        return Err(res.status().as_u16());
    }
    let cookie = res
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|c| c.contains("phare_session="))
        .unwrap()
        .to_owned();
    Ok(cookie.split(';').next().unwrap().to_owned())
}

/// PostgreSQL for the pg-tests: a fresh database on the server named by PHARE_TEST_DATABASE_URL.
pub fn fresh_pg_database() -> String {
    let base = std::env::var("PHARE_TEST_DATABASE_URL")
        .expect("PHARE_TEST_DATABASE_URL must be set for pg-tests (scripts/with-postgres does it)");
    let name = format!("phare_cli_{}", std::process::id())
        + &format!(
            "_{}",
            Instant::now().elapsed().as_nanos() % 1_000_000 + rand_suffix()
        );
    let status = Command::new("psql")
        .args([&base, "-qc", &format!("CREATE DATABASE {name}")])
        .status()
        .expect("psql");
    assert!(status.success(), "could not create database {name}");
    let mut url = url::Url::parse(&base).unwrap();
    url.set_path(&format!("/{name}"));
    url.to_string()
}

fn rand_suffix() -> u128 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos()
        % 1_000_000_000
}

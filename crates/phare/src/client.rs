//! Client commands: talk to a running Phare through its REST API with a personal access token
//! (`--url`/`PHARE_URL`, `--token`/`PHARE_TOKEN`). Human tables by default, `--json` for scripts.

use anyhow::{anyhow, bail, Context, Result};
use clap::{Args, Subcommand};
use serde_json::{json, Value};

#[derive(Args, Debug, Clone)]
pub struct Remote {
    /// Base URL of the Phare server.
    #[arg(
        long,
        env = "PHARE_URL",
        default_value = "http://127.0.0.1:8080",
        global = true
    )]
    pub url: String,
    /// Personal access token.
    #[arg(long, env = "PHARE_TOKEN", hide_env_values = true, global = true)]
    pub token: Option<String>,
    /// Print JSON instead of a table.
    #[arg(long, global = true)]
    pub json: bool,
}

#[derive(Subcommand, Debug)]
pub enum ProductsCommand {
    /// List products.
    List {
        #[arg(long)]
        archived: bool,
    },
    /// Create a product.
    Create {
        #[arg(long)]
        name: String,
        #[arg(long)]
        key: String,
        #[arg(long)]
        description: Option<String>,
    },
    /// Show one product.
    Show { id: String },
}

pub struct Client {
    http: reqwest::Client,
    base: String,
    token: String,
}

impl Client {
    pub fn new(remote: &Remote) -> Result<Client> {
        let token = remote.token.clone().ok_or_else(|| anyhow!("no token: pass --token or set PHARE_TOKEN (create one with `phare admin create-token` or on the API tokens page)"))?;
        let http = reqwest::Client::builder()
            .timeout(std::time::Duration::from_secs(30))
            .build()?;
        Ok(Client {
            http,
            base: remote.url.trim_end_matches('/').to_owned(),
            token,
        })
    }

    pub async fn send(
        &self,
        method: reqwest::Method,
        path: &str,
        body: Option<Value>,
        if_match: Option<&str>,
    ) -> Result<(Value, Option<String>)> {
        let mut req = self
            .http
            .request(method, format!("{}/api/v1{path}", self.base))
            .bearer_auth(&self.token);
        if let Some(b) = body {
            req = req.json(&b);
        }
        if let Some(etag) = if_match {
            req = req.header("If-Match", etag);
        }
        let res = req
            .send()
            .await
            .with_context(|| format!("cannot reach {}", self.base))?;
        let status = res.status();
        let etag = res
            .headers()
            .get("etag")
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        let text = res.text().await?;
        let value: Value = if text.is_empty() {
            Value::Null
        } else {
            serde_json::from_str(&text).unwrap_or(Value::String(text))
        };
        if !status.is_success() {
            bail!("{}", problem_text(status.as_u16(), &value));
        }
        Ok((value, etag))
    }
}

/// A readable line from an RFC 9457 problem document.
fn problem_text(status: u16, v: &Value) -> String {
    let title = v
        .get("title")
        .and_then(Value::as_str)
        .unwrap_or("request failed");
    let code = v.get("code").and_then(Value::as_str).unwrap_or("");
    let mut out = format!("HTTP {status} {code}: {title}");
    if let Some(errors) = v.get("errors").and_then(Value::as_array) {
        for e in errors {
            let field = e.get("field").and_then(Value::as_str).unwrap_or("");
            let msg = e
                .get("message")
                .or_else(|| e.get("code"))
                .and_then(Value::as_str)
                .unwrap_or("");
            out.push_str(&format!("\n  {field}: {msg}"));
        }
    }
    out
}

fn s<'a>(v: &'a Value, k: &str) -> &'a str {
    v.get(k).and_then(Value::as_str).unwrap_or("")
}

fn print_products(items: &[Value]) {
    println!("{:<10} {:<36} {:<9} NAME", "KEY", "ID", "STATUS");
    for p in items {
        let status = if p.get("archived").and_then(Value::as_bool).unwrap_or(false) {
            "archived"
        } else {
            "active"
        };
        println!(
            "{:<10} {:<36} {:<9} {}",
            s(p, "key"),
            s(p, "id"),
            status,
            s(p, "name")
        );
    }
}

pub async fn products(remote: &Remote, cmd: ProductsCommand) -> Result<()> {
    let c = Client::new(remote)?;
    match cmd {
        ProductsCommand::List { archived } => {
            let mut items = Vec::new();
            let mut cursor: Option<String> = None;
            loop {
                let mut path = format!(
                    "/products?limit=200{}",
                    if archived { "&archived=true" } else { "" }
                );
                if let Some(cur) = &cursor {
                    path.push_str(&format!("&cursor={cur}"));
                }
                let (page, _) = c.send(reqwest::Method::GET, &path, None, None).await?;
                items.extend(
                    page.get("items")
                        .and_then(Value::as_array)
                        .cloned()
                        .unwrap_or_default(),
                );
                match page.get("next_cursor").and_then(Value::as_str) {
                    Some(next) => cursor = Some(next.to_owned()),
                    None => break,
                }
            }
            if remote.json {
                println!("{}", serde_json::to_string_pretty(&items)?);
            } else {
                print_products(&items);
            }
        }
        ProductsCommand::Create {
            name,
            key,
            description,
        } => {
            let mut body = json!({ "name": name, "key": key });
            if let Some(d) = description {
                body["description"] = json!(d);
            }
            let (p, _) = c
                .send(reqwest::Method::POST, "/products", Some(body), None)
                .await?;
            if remote.json {
                println!("{}", serde_json::to_string_pretty(&p)?);
            } else {
                println!(
                    "created {} {} ({})",
                    s(&p, "key"),
                    s(&p, "name"),
                    s(&p, "id")
                );
            }
        }
        ProductsCommand::Show { id } => {
            let (p, _) = c
                .send(reqwest::Method::GET, &format!("/products/{id}"), None, None)
                .await?;
            if remote.json {
                println!("{}", serde_json::to_string_pretty(&p)?);
            } else {
                print_products(std::slice::from_ref(&p));
                if !s(&p, "description").is_empty() {
                    println!("\n{}", s(&p, "description"));
                }
            }
        }
    }
    Ok(())
}

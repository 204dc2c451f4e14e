//! Client commands: talk to a running Phare through its REST API with a personal access token
//! (`--url`/`PHARE_URL`, `--token`/`PHARE_TOKEN`). Human tables by default, `--json` for scripts.
//! Request bodies are the API's own types (phare-api-types), so the CLI cannot send a field the
//! server does not know. Changes fetch the current ETag first and send it as `If-Match`, so a
//! change made meanwhile by someone else is refused (412) instead of overwritten.

use anyhow::{anyhow, bail, Context, Result};
use clap::{Args, Subcommand};
use phare_api_types as dto;
use phare_domain::{InvitationId, MemberId, ProductId, ProductLineId, TokenId};
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::Value;

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
        /// Include archived products.
        #[arg(long)]
        archived: bool,
        /// Only the products of this product line (id).
        #[arg(long)]
        line: Option<String>,
    },
    /// Create a product.
    Create {
        #[arg(long)]
        name: String,
        /// 2 to 10 capital letters or digits, starting with a letter (CHK).
        #[arg(long)]
        key: String,
        #[arg(long)]
        description: Option<String>,
        /// Product line id.
        #[arg(long)]
        line: Option<String>,
        /// business_expert, it_project_lead or shared.
        #[arg(long)]
        pm_model: Option<String>,
    },
    /// Show one product.
    Show { id: String },
    /// Change a product (only the options given).
    Update {
        id: String,
        #[arg(long)]
        name: Option<String>,
        #[arg(long)]
        key: Option<String>,
        #[arg(long)]
        description: Option<String>,
        /// Product line id; `none` takes the product out of its line.
        #[arg(long)]
        line: Option<String>,
        #[arg(long)]
        pm_model: Option<String>,
    },
    /// Archive a product (or restore it with --restore).
    Archive {
        id: String,
        #[arg(long)]
        restore: bool,
    },
    /// Show a product's RACI table, or replace it whole with --set.
    Raci {
        id: String,
        /// MEMBER_ID:LETTER pairs (letters: responsible, accountable, consulted, informed),
        /// comma-separated; `--set ""` empties the table.
        #[arg(long, value_delimiter = ',')]
        set: Option<Vec<String>>,
    },
}

#[derive(Subcommand, Debug)]
pub enum ProductLinesCommand {
    /// List product lines.
    List,
    /// Create a product line.
    Create {
        #[arg(long)]
        name: String,
        #[arg(long)]
        description: Option<String>,
    },
}

#[derive(Subcommand, Debug)]
pub enum MembersCommand {
    /// List the members of the workspace.
    List,
    /// Show one member.
    Show { id: String },
    /// Change a member's role (administrators).
    SetRole {
        id: String,
        /// admin, product_manager, contributor, stakeholder or viewer.
        role: String,
    },
    /// Disable a member: their sessions end and their tokens stop working (or --enable).
    Disable {
        id: String,
        #[arg(long)]
        enable: bool,
    },
}

#[derive(Subcommand, Debug)]
pub enum InvitationsCommand {
    /// List pending invitations.
    List,
    /// Invite someone; prints the link to send them (shown once).
    Create {
        #[arg(long)]
        email: String,
        #[arg(long, default_value = "contributor")]
        role: String,
    },
    /// Revoke an invitation.
    Revoke { id: String },
}

#[derive(Subcommand, Debug)]
pub enum TokensCommand {
    /// List your tokens.
    List,
    /// Create a token; prints its secret (shown once).
    Create {
        #[arg(long)]
        name: String,
        /// Comma-separated: read, write, admin, all.
        #[arg(long, default_value = "read", value_delimiter = ',')]
        scopes: Vec<String>,
        /// Days until it expires (default: never).
        #[arg(long)]
        expires_in_days: Option<i64>,
    },
    /// Revoke one of your tokens.
    Revoke { id: String },
}

#[derive(Subcommand, Debug)]
pub enum AuditCommand {
    /// List audit events, newest first (administrators).
    List {
        /// Actions starting with this text (`auth.` for sign-ins).
        #[arg(long)]
        action: Option<String>,
        /// success, denied or failure.
        #[arg(long)]
        outcome: Option<String>,
        /// Member id of the actor.
        #[arg(long)]
        actor: Option<String>,
        /// RFC 3339 instant (2026-01-31T00:00:00Z).
        #[arg(long)]
        since: Option<String>,
        #[arg(long)]
        until: Option<String>,
        /// At most this many events.
        #[arg(long, default_value_t = 50)]
        limit: usize,
    },
}

#[derive(Subcommand, Debug)]
pub enum ProfileCommand {
    /// Show who the token belongs to.
    Show,
}

pub struct Client {
    http: reqwest::Client,
    base: String,
    token: String,
}

/// A JSON answer and its ETag.
pub struct Answer {
    pub body: Value,
    pub etag: Option<String>,
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

    pub async fn send<B: Serialize>(
        &self,
        method: reqwest::Method,
        path: &str,
        body: Option<&B>,
        if_match: Option<&str>,
    ) -> Result<Answer> {
        let mut req = self
            .http
            .request(method, format!("{}/api/v1{path}", self.base))
            .bearer_auth(&self.token);
        if let Some(b) = body {
            req = req.json(b);
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
        let body: Value = if text.is_empty() {
            Value::Null
        } else {
            serde_json::from_str(&text).unwrap_or(Value::String(text))
        };
        if !status.is_success() {
            bail!("{}", problem_text(status.as_u16(), &body));
        }
        Ok(Answer { body, etag })
    }

    /// A request whose body or answer is a file rather than JSON (imports, exports).
    pub(crate) async fn raw(
        &self,
        method: reqwest::Method,
        path: &str,
        body: Option<Vec<u8>>,
    ) -> Result<(u16, Vec<u8>)> {
        let mut req = self
            .http
            .request(method, format!("{}/api/v1{path}", self.base))
            .bearer_auth(&self.token)
            .timeout(std::time::Duration::from_secs(600));
        if let Some(b) = body {
            req = req
                .header("Content-Type", "application/octet-stream")
                .body(b);
        }
        let res = req
            .send()
            .await
            .with_context(|| format!("cannot reach {}", self.base))?;
        let status = res.status().as_u16();
        let bytes = res.bytes().await?.to_vec();
        if !(200..300).contains(&status) {
            let body: Value = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
            bail!("{}", problem_text(status, &body));
        }
        Ok((status, bytes))
    }

    pub(crate) async fn get(&self, path: &str) -> Result<Answer> {
        self.send::<()>(reqwest::Method::GET, path, None, None)
            .await
    }

    pub(crate) async fn post<B: Serialize>(&self, path: &str, body: &B) -> Result<Answer> {
        self.send(reqwest::Method::POST, path, Some(body), None)
            .await
    }

    async fn delete(&self, path: &str) -> Result<Answer> {
        self.send::<()>(reqwest::Method::DELETE, path, None, None)
            .await
    }

    /// Reads the resource for its ETag, then sends the change with `If-Match`.
    async fn patch<B: Serialize>(&self, path: &str, body: &B) -> Result<Answer> {
        let current = self.get(path).await?;
        let etag = current
            .etag
            .ok_or_else(|| anyhow!("the server sent no ETag for {path}"))?;
        self.send(reqwest::Method::PATCH, path, Some(body), Some(&etag))
            .await
    }

    /// Every item of a paginated list, following `next_cursor` (at most `max` items).
    pub(crate) async fn all(&self, path: &str, max: usize) -> Result<Vec<Value>> {
        let mut items = Vec::new();
        let sep = if path.contains('?') { '&' } else { '?' };
        let mut cursor: Option<String> = None;
        loop {
            let mut p = format!("{path}{sep}limit=200");
            if let Some(c) = &cursor {
                p.push_str(&format!("&cursor={}", encode(c)));
            }
            let page = self.get(&p).await?.body;
            items.extend(
                page.get("items")
                    .and_then(Value::as_array)
                    .cloned()
                    .unwrap_or_default(),
            );
            match page.get("next_cursor").and_then(Value::as_str) {
                Some(next) if items.len() < max => cursor = Some(next.to_owned()),
                _ => break,
            }
        }
        items.truncate(max);
        Ok(items)
    }
}

/// Percent-encodes a query value.
pub(crate) fn encode(s: &str) -> String {
    url::form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

/// Ends a client command: an error (a problem from the server, an unreachable server) is
/// printed as plain text, without a backtrace, and the process exits with status 1.
pub fn finish(result: Result<()>) -> Result<()> {
    if let Err(e) = result {
        eprintln!("error: {e:#}");
        std::process::exit(1);
    }
    Ok(())
}

/// A readable text from an RFC 9457 problem document.
fn problem_text(status: u16, v: &Value) -> String {
    let title = v
        .get("title")
        .and_then(Value::as_str)
        .unwrap_or("request failed");
    let code = v.get("code").and_then(Value::as_str).unwrap_or("");
    let mut out = format!("HTTP {status} {code}: {title}");
    if let Some(detail) = v.get("detail").and_then(Value::as_str) {
        out.push_str(&format!("\n  {detail}"));
    }
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
    if let Some(id) = v.get("request_id").and_then(Value::as_str) {
        out.push_str(&format!("\n  (request id {id})"));
    }
    out
}

pub(crate) fn typed<T: DeserializeOwned>(v: &Value) -> Result<T> {
    serde_json::from_value(v.clone()).context("unexpected answer from the server")
}

pub(crate) fn typed_all<T: DeserializeOwned>(items: &[Value]) -> Result<Vec<T>> {
    items.iter().map(typed).collect()
}

pub(crate) fn print_json(v: &impl Serialize) -> Result<()> {
    println!("{}", serde_json::to_string_pretty(v)?);
    Ok(())
}

/// Parses a snake_case enum value the way the API spells it.
pub(crate) fn parse_enum<T: DeserializeOwned>(what: &str, value: &str) -> Result<T> {
    serde_json::from_value(Value::String(value.to_owned()))
        .map_err(|_| anyhow!("unknown {what} `{value}`"))
}

/// Parses a record id (a UUID) given on the command line.
pub(crate) fn parse_id<T: std::str::FromStr>(what: &str, s: &str) -> Result<T> {
    s.trim()
        .parse::<T>()
        .map_err(|_| anyhow!("{what} `{s}` is not an id"))
}

pub(crate) fn time(t: &chrono::DateTime<chrono::Utc>) -> String {
    t.format("%Y-%m-%d %H:%M").to_string()
}

/// Prints rows under a header, columns padded to their widest cell.
pub(crate) fn table(header: &[&str], rows: Vec<Vec<String>>) {
    let mut widths: Vec<usize> = header.iter().map(|h| h.chars().count()).collect();
    for r in &rows {
        for (i, c) in r.iter().enumerate() {
            widths[i] = widths[i].max(c.chars().count());
        }
    }
    let line = |cells: Vec<String>| {
        let last = cells.len().saturating_sub(1);
        let text: Vec<String> = cells
            .into_iter()
            .enumerate()
            .map(|(i, c)| {
                if i == last {
                    c
                } else {
                    format!("{c:<w$}", w = widths[i])
                }
            })
            .collect();
        println!("{}", text.join("  ").trim_end());
    };
    line(header.iter().map(|h| (*h).to_owned()).collect());
    for r in rows {
        line(r);
    }
}

fn products_table(items: &[dto::Product]) {
    table(
        &["KEY", "ID", "STATUS", "NAME"],
        items
            .iter()
            .map(|p| {
                vec![
                    p.key.clone(),
                    p.id.to_string(),
                    if p.archived { "archived" } else { "active" }.to_owned(),
                    p.name.clone(),
                ]
            })
            .collect(),
    );
}

fn members_table(items: &[dto::Member]) {
    table(
        &["ID", "ROLE", "STATUS", "EMAIL", "NAME"],
        items
            .iter()
            .map(|m| {
                vec![
                    m.id.to_string(),
                    m.role.as_str().to_owned(),
                    if m.disabled { "disabled" } else { "active" }.to_owned(),
                    m.email.clone(),
                    m.name.clone(),
                ]
            })
            .collect(),
    );
}

pub async fn products(remote: &Remote, cmd: ProductsCommand) -> Result<()> {
    let c = Client::new(remote)?;
    match cmd {
        ProductsCommand::List { archived, line } => {
            let mut path = format!("/products?archived={archived}");
            if let Some(l) = line {
                path.push_str(&format!(
                    "&product_line_id={}",
                    parse_id::<ProductLineId>("product line", &l)?
                ));
            }
            let items = c.all(&path, usize::MAX).await?;
            if remote.json {
                return print_json(&items);
            }
            products_table(&typed_all(&items)?);
        }
        ProductsCommand::Create {
            name,
            key,
            description,
            line,
            pm_model,
        } => {
            let body = dto::ProductCreate {
                name,
                key,
                description,
                product_line_id: line
                    .map(|l| parse_id::<ProductLineId>("product line", &l).map(|l| l.0))
                    .transpose()?,
                pm_model: pm_model.map(|m| parse_enum("PM model", &m)).transpose()?,
            };
            let p = c.post("/products", &body).await?.body;
            if remote.json {
                return print_json(&p);
            }
            let p: dto::Product = typed(&p)?;
            println!("created {} {} ({})", p.key, p.name, p.id);
        }
        ProductsCommand::Show { id } => {
            let p = c
                .get(&format!(
                    "/products/{}",
                    parse_id::<ProductId>("product", &id)?
                ))
                .await?
                .body;
            if remote.json {
                return print_json(&p);
            }
            let p: dto::Product = typed(&p)?;
            products_table(std::slice::from_ref(&p));
            if !p.description.is_empty() {
                println!("\n{}", p.description);
            }
        }
        ProductsCommand::Update {
            id,
            name,
            key,
            description,
            line,
            pm_model,
        } => {
            let product_line_id = match line.as_deref() {
                None => None,
                Some("none") => Some(None),
                Some(l) => Some(Some(parse_id::<ProductLineId>("product line", l)?.0)),
            };
            let body = dto::ProductUpdate {
                name,
                key,
                description,
                product_line_id,
                pm_model: pm_model.map(|m| parse_enum("PM model", &m)).transpose()?,
                archived: None,
            };
            if body == dto::ProductUpdate::default() {
                bail!("nothing to change: pass --name, --key, --description, --line or --pm-model");
            }
            let path = format!("/products/{}", parse_id::<ProductId>("product", &id)?);
            let p = c.patch(&path, &body).await?.body;
            if remote.json {
                return print_json(&p);
            }
            let p: dto::Product = typed(&p)?;
            println!("updated {} {} (version {})", p.key, p.name, p.version);
        }
        ProductsCommand::Archive { id, restore } => {
            let body = dto::ProductUpdate {
                archived: Some(!restore),
                ..Default::default()
            };
            let path = format!("/products/{}", parse_id::<ProductId>("product", &id)?);
            let p = c.patch(&path, &body).await?.body;
            if remote.json {
                return print_json(&p);
            }
            let p: dto::Product = typed(&p)?;
            let what = if restore { "restored" } else { "archived" };
            println!("{what} {} {}", p.key, p.name);
        }
        ProductsCommand::Raci { id, set } => {
            let path = format!("/products/{}/raci", parse_id::<ProductId>("product", &id)?);
            let answer = match set {
                None => c.get(&path).await?.body,
                Some(pairs) => {
                    let table = pairs
                        .iter()
                        .filter(|p| !p.trim().is_empty())
                        .map(|p| {
                            let (member, letter) = p
                                .split_once(':')
                                .ok_or_else(|| anyhow!("`{p}`: write MEMBER_ID:LETTER"))?;
                            Ok(dto::RaciAssignment {
                                member_id: parse_id("member", member)?,
                                raci: parse_enum("RACI letter", letter.trim())?,
                            })
                        })
                        .collect::<Result<Vec<_>>>()?;
                    c.send(reqwest::Method::PUT, &path, Some(&table), None)
                        .await?
                        .body
                }
            };
            if remote.json {
                return print_json(&answer);
            }
            let entries: Vec<dto::RaciEntry> = typed(&answer)?;
            let rows = entries
                .iter()
                .map(|e| {
                    vec![
                        e.member_id.to_string(),
                        e.raci.as_str().to_owned(),
                        e.member_name.clone(),
                    ]
                })
                .collect();
            table(&["MEMBER", "RACI", "NAME"], rows);
        }
    }
    Ok(())
}

pub async fn product_lines(remote: &Remote, cmd: ProductLinesCommand) -> Result<()> {
    let c = Client::new(remote)?;
    match cmd {
        ProductLinesCommand::List => {
            let items = c.all("/product-lines", usize::MAX).await?;
            if remote.json {
                return print_json(&items);
            }
            let lines: Vec<dto::ProductLine> = typed_all(&items)?;
            table(
                &["ID", "NAME"],
                lines
                    .iter()
                    .map(|l| vec![l.id.to_string(), l.name.clone()])
                    .collect(),
            );
        }
        ProductLinesCommand::Create { name, description } => {
            let body = dto::ProductLineCreate { name, description };
            let l = c.post("/product-lines", &body).await?.body;
            if remote.json {
                return print_json(&l);
            }
            let l: dto::ProductLine = typed(&l)?;
            println!("created product line {} ({})", l.name, l.id);
        }
    }
    Ok(())
}

pub async fn members(remote: &Remote, cmd: MembersCommand) -> Result<()> {
    let c = Client::new(remote)?;
    match cmd {
        MembersCommand::List => {
            let items = c.all("/members", usize::MAX).await?;
            if remote.json {
                return print_json(&items);
            }
            members_table(&typed_all(&items)?);
        }
        MembersCommand::Show { id } => {
            let m = c
                .get(&format!(
                    "/members/{}",
                    parse_id::<MemberId>("member", &id)?
                ))
                .await?
                .body;
            if remote.json {
                return print_json(&m);
            }
            let m: dto::Member = typed(&m)?;
            members_table(std::slice::from_ref(&m));
            if let Some(j) = m.job_title {
                println!("\njob title: {}", j.as_str());
            }
            println!(
                "time zone: {} ({}–{})",
                m.time_zone, m.work_start, m.work_end
            );
        }
        MembersCommand::SetRole { id, role } => {
            let body = dto::MemberUpdate {
                role: Some(parse_enum("role", &role)?),
                ..Default::default()
            };
            let m = c
                .patch(
                    &format!("/members/{}", parse_id::<MemberId>("member", &id)?),
                    &body,
                )
                .await?
                .body;
            if remote.json {
                return print_json(&m);
            }
            let m: dto::Member = typed(&m)?;
            println!("{} is now {}", m.email, m.role.as_str());
        }
        MembersCommand::Disable { id, enable } => {
            let body = dto::MemberUpdate {
                disabled: Some(!enable),
                ..Default::default()
            };
            let m = c
                .patch(
                    &format!("/members/{}", parse_id::<MemberId>("member", &id)?),
                    &body,
                )
                .await?
                .body;
            if remote.json {
                return print_json(&m);
            }
            let m: dto::Member = typed(&m)?;
            let what = if m.disabled { "disabled" } else { "enabled" };
            println!("{} {what}", m.email);
        }
    }
    Ok(())
}

pub async fn invitations(remote: &Remote, cmd: InvitationsCommand) -> Result<()> {
    let c = Client::new(remote)?;
    match cmd {
        InvitationsCommand::List => {
            let items = c.all("/invitations", usize::MAX).await?;
            if remote.json {
                return print_json(&items);
            }
            let invs: Vec<dto::Invitation> = typed_all(&items)?;
            table(
                &["ID", "ROLE", "EXPIRES", "EMAIL"],
                invs.iter()
                    .map(|i| {
                        vec![
                            i.id.to_string(),
                            i.role.as_str().to_owned(),
                            time(&i.expires_at),
                            i.email.clone(),
                        ]
                    })
                    .collect(),
            );
        }
        InvitationsCommand::Create { email, role } => {
            let body = dto::InvitationCreate {
                email,
                role: parse_enum("role", &role)?,
            };
            let inv = c.post("/invitations", &body).await?.body;
            if remote.json {
                return print_json(&inv);
            }
            let inv: dto::InvitationCreated = typed(&inv)?;
            println!(
                "invited {} as {} (expires {})",
                inv.invitation.email,
                inv.invitation.role.as_str(),
                time(&inv.invitation.expires_at)
            );
            if let Some(url) = inv.url {
                println!("send them this link (shown only now):\n{url}");
            }
        }
        InvitationsCommand::Revoke { id } => {
            c.delete(&format!(
                "/invitations/{}",
                parse_id::<InvitationId>("invitation", &id)?
            ))
            .await?;
            if !remote.json {
                println!("invitation revoked");
            }
        }
    }
    Ok(())
}

pub async fn tokens(remote: &Remote, cmd: TokensCommand) -> Result<()> {
    let c = Client::new(remote)?;
    match cmd {
        TokensCommand::List => {
            let items = c.all("/tokens", usize::MAX).await?;
            if remote.json {
                return print_json(&items);
            }
            let toks: Vec<dto::Token> = typed_all(&items)?;
            table(
                &["ID", "SCOPES", "STATUS", "LAST USED", "NAME"],
                toks.iter()
                    .map(|t| {
                        let scopes: Vec<&str> = t.scopes.iter().map(|s| s.as_str()).collect();
                        let status = if t.revoked_at.is_some() {
                            "revoked"
                        } else if t.expires_at.is_some_and(|e| e <= chrono::Utc::now()) {
                            "expired"
                        } else {
                            "active"
                        };
                        vec![
                            t.id.to_string(),
                            scopes.join(","),
                            status.to_owned(),
                            t.last_used_at.as_ref().map(time).unwrap_or_default(),
                            t.name.clone(),
                        ]
                    })
                    .collect(),
            );
        }
        TokensCommand::Create {
            name,
            scopes,
            expires_in_days,
        } => {
            let scopes = scopes
                .iter()
                .map(|s| parse_enum("scope", s.trim()))
                .collect::<Result<Vec<dto::Scope>>>()?;
            let body = dto::TokenCreate {
                name,
                scopes,
                expires_in_days,
            };
            let t = c.post("/tokens", &body).await?.body;
            if remote.json {
                return print_json(&t);
            }
            let t: dto::TokenCreated = typed(&t)?;
            println!("created token {} ({})", t.token_info.name, t.token_info.id);
            if let Some(secret) = t.token {
                println!("secret (shown only now):\n{secret}");
            }
        }
        TokensCommand::Revoke { id } => {
            c.delete(&format!("/tokens/{}", parse_id::<TokenId>("token", &id)?))
                .await?;
            if !remote.json {
                println!("token revoked");
            }
        }
    }
    Ok(())
}

pub async fn audit(remote: &Remote, cmd: AuditCommand) -> Result<()> {
    let c = Client::new(remote)?;
    let AuditCommand::List {
        action,
        outcome,
        actor,
        since,
        until,
        limit,
    } = cmd;
    let mut query = Vec::new();
    if let Some(a) = action {
        query.push(format!("action={}", encode(&a)));
    }
    if let Some(o) = outcome {
        let o: dto::Outcome = parse_enum("outcome", &o)?;
        query.push(format!("outcome={}", o.as_str()));
    }
    if let Some(a) = actor {
        query.push(format!("actor_id={}", parse_id::<MemberId>("member", &a)?));
    }
    for (name, value) in [("since", since), ("until", until)] {
        if let Some(v) = value {
            chrono::DateTime::parse_from_rfc3339(&v)
                .map_err(|_| anyhow!("--{name} `{v}` is not an RFC 3339 time"))?;
            query.push(format!("{name}={}", encode(&v)));
        }
    }
    let path = if query.is_empty() {
        "/audit".to_owned()
    } else {
        format!("/audit?{}", query.join("&"))
    };
    let items = c.all(&path, limit).await?;
    if remote.json {
        return print_json(&items);
    }
    let events: Vec<dto::AuditEvent> = typed_all(&items)?;
    table(
        &[
            "TIME (UTC)",
            "OUTCOME",
            "ACTION",
            "ACTOR",
            "TARGET",
            "SOURCE",
        ],
        events
            .iter()
            .map(|e| {
                vec![
                    time(&e.at),
                    e.outcome.as_str().to_owned(),
                    e.action.clone(),
                    e.actor_label.clone(),
                    match &e.target_id {
                        Some(id) => format!("{} {id}", e.target_kind),
                        None => e.target_kind.clone(),
                    },
                    e.source_ip.clone(),
                ]
            })
            .collect(),
    );
    Ok(())
}

pub async fn profile(remote: &Remote, cmd: ProfileCommand) -> Result<()> {
    let c = Client::new(remote)?;
    let ProfileCommand::Show = cmd;
    let m = c.get("/profile").await?.body;
    if remote.json {
        return print_json(&m);
    }
    let m: dto::Member = typed(&m)?;
    println!("{} <{}>", m.name, m.email);
    println!("role: {}", m.role.as_str());
    if let Some(j) = m.job_title {
        println!("job title: {}", j.as_str());
    }
    println!(
        "time zone: {} ({}–{})",
        m.time_zone, m.work_start, m.work_end
    );
    if let Some(l) = m.locale {
        println!("language: {}", l.as_str());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_problem_reads_as_one_block_of_text() {
        let v = serde_json::json!({
            "title": "Some information is missing or incorrect",
            "code": "validation",
            "detail": "Please check the highlighted fields.",
            "errors": [{"field": "key", "code": "invalid_product_key", "message": "Use 2 to 10 capital letters."}],
            "request_id": "abc"
        });
        let t = problem_text(422, &v);
        assert!(t.starts_with("HTTP 422 validation: Some information"));
        assert!(t.contains("key: Use 2 to 10 capital letters."));
        assert!(t.contains("request id abc"));
    }

    #[test]
    fn enum_values_are_parsed_as_the_api_spells_them() {
        let r: dto::Role = parse_enum("role", "product_manager").unwrap_or(dto::Role::Viewer);
        assert_eq!(r, dto::Role::ProductManager);
        assert!(parse_enum::<dto::Role>("role", "root").is_err());
    }
}

//! Client commands for discovery: `phare feedback add|list`, `phare ideas list|show|create`,
//! `phare search`. Same conventions as the other client commands (see `client.rs`).

use crate::client::{
    encode, parse_enum, parse_id, print_json, table, time, typed, typed_all, Client, Remote,
};
use anyhow::Result;
use clap::{Args, Subcommand};
use phare_api_types as dto;
use phare_domain::{FeedbackId, IdeaId, ProductId};

#[derive(Subcommand, Debug)]
pub enum FeedbackCommand {
    /// Record a feedback item.
    Add {
        /// What was said (Markdown).
        text: String,
        /// interview, support, sales, team_brainstorm, customer_brainstorm, data, market_watch,
        /// user_club, portal, survey or other.
        #[arg(long)]
        source: String,
        /// Product id (the item waits in the workspace inbox without one).
        #[arg(long)]
        product: Option<String>,
        /// Customer name (created if new).
        #[arg(long)]
        customer: Option<String>,
        /// Comma-separated tags.
        #[arg(long, value_delimiter = ',')]
        tags: Option<Vec<String>>,
        /// When it was said (RFC 3339, e.g. 2026-11-02T09:30:00Z); now by default.
        #[arg(long)]
        observed_at: Option<chrono::DateTime<chrono::Utc>>,
    },
    /// List the inbox, newest first.
    List {
        #[arg(long)]
        product: Option<String>,
        /// new, processed or archived.
        #[arg(long)]
        state: Option<String>,
        #[arg(long)]
        source: Option<String>,
        /// At most this many items.
        #[arg(long, default_value_t = 50)]
        limit: usize,
    },
}

#[derive(Subcommand, Debug)]
pub enum IdeasCommand {
    /// List a product's ideas, newest first.
    List {
        #[arg(long)]
        product: String,
        /// draft, under_consideration, planned, in_progress, shipped, declined.
        #[arg(long)]
        status: Option<String>,
        /// story or bug.
        #[arg(long)]
        kind: Option<String>,
        #[arg(long, default_value_t = 200)]
        limit: usize,
    },
    /// Show one idea with its evidence.
    Show { id: String },
    /// Write an idea as a user story, or a bug report with `--kind bug` and its whole template
    /// (`--steps`, `--expected`, `--actual`, `--environment`, `--severity`).
    Create(Box<NewIdeaArgs>),
}

/// The fields of `phare ideas create` (boxed: the bug template makes them the largest command).
#[derive(Args, Debug)]
pub struct NewIdeaArgs {
    #[arg(long)]
    product: String,
    #[arg(long)]
    title: String,
    #[arg(long)]
    as_a: Option<String>,
    #[arg(long)]
    i_want: Option<String>,
    /// The benefit: needed before the idea leaves the draft status.
    #[arg(long)]
    so_that: Option<String>,
    #[arg(long)]
    description: Option<String>,
    /// Create it from this feedback item, keeping the link as evidence.
    #[arg(long)]
    from_feedback: Option<String>,
    /// story (default) or bug.
    #[arg(long)]
    kind: Option<String>,
    /// A bug's steps to reproduce (Markdown).
    #[arg(long)]
    steps: Option<String>,
    #[arg(long)]
    expected: Option<String>,
    #[arg(long)]
    actual: Option<String>,
    #[arg(long)]
    environment: Option<String>,
    /// blocker, critical, major, minor or trivial.
    #[arg(long)]
    severity: Option<String>,
}

fn feedback_table(items: &[dto::Feedback]) {
    table(
        &["ID", "STATE", "SOURCE", "OBSERVED", "CUSTOMER", "TEXT"],
        items
            .iter()
            .map(|f| {
                let text: String = f.text.split_whitespace().collect::<Vec<_>>().join(" ");
                vec![
                    f.id.to_string(),
                    f.state.as_str().to_owned(),
                    f.source.as_str().to_owned(),
                    time(&f.observed_at),
                    f.customer
                        .as_ref()
                        .map(|c| c.name.clone())
                        .unwrap_or_default(),
                    text.chars().take(60).collect(),
                ]
            })
            .collect(),
    );
}

fn ideas_table(items: &[dto::Idea]) {
    table(
        &[
            "REF",
            "ID",
            "KIND",
            "STATUS",
            "EVIDENCE",
            "CUSTOMERS",
            "DEMAND",
            "TITLE",
        ],
        items
            .iter()
            .map(|i| {
                vec![
                    i.reference.clone(),
                    i.id.to_string(),
                    i.kind.as_str().to_owned(),
                    i.status.as_str().to_owned(),
                    i.evidence_count.to_string(),
                    i.customer_count.to_string(),
                    i.demand.to_string(),
                    i.title.clone(),
                ]
            })
            .collect(),
    );
}

pub async fn feedback(remote: &Remote, cmd: FeedbackCommand) -> Result<()> {
    let c = Client::new(remote)?;
    match cmd {
        FeedbackCommand::Add {
            text,
            source,
            product,
            customer,
            tags,
            observed_at,
        } => {
            let body = dto::FeedbackCreate {
                text,
                source: parse_enum("source", &source)?,
                product_id: product
                    .map(|p| parse_id::<ProductId>("product", &p).map(|p| p.0))
                    .transpose()?,
                customer: customer.map(dto::CustomerRef::Name),
                contact: None,
                tags,
                observed_at,
            };
            let f = c.post("/feedback", &body).await?.body;
            if remote.json {
                return print_json(&f);
            }
            let f: dto::Feedback = typed(&f)?;
            println!("recorded feedback {}", f.id);
        }
        FeedbackCommand::List {
            product,
            state,
            source,
            limit,
        } => {
            let mut path = match product {
                Some(p) => format!(
                    "/products/{}/feedback?",
                    parse_id::<ProductId>("product", &p)?
                ),
                None => "/feedback?".to_owned(),
            };
            if let Some(s) = state {
                let s: dto::FeedbackState = parse_enum("state", &s)?;
                path.push_str(&format!("state={}&", s.as_str()));
            }
            if let Some(s) = source {
                let s: dto::SourceKind = parse_enum("source", &s)?;
                path.push_str(&format!("source={}&", s.as_str()));
            }
            let items = c.all(path.trim_end_matches(['&', '?']), limit).await?;
            if remote.json {
                return print_json(&items);
            }
            feedback_table(&typed_all(&items)?);
        }
    }
    Ok(())
}

pub async fn ideas(remote: &Remote, cmd: IdeasCommand) -> Result<()> {
    let c = Client::new(remote)?;
    match cmd {
        IdeasCommand::List {
            product,
            status,
            kind,
            limit,
        } => {
            let mut path = format!(
                "/products/{}/ideas",
                parse_id::<ProductId>("product", &product)?
            );
            let mut query = Vec::new();
            if let Some(s) = status {
                let s: dto::IdeaStatus = parse_enum("status", &s)?;
                query.push(format!("status={}", s.as_str()));
            }
            if let Some(k) = kind {
                let k: dto::IdeaKind = parse_enum("kind", &k)?;
                query.push(format!("kind={}", k.as_str()));
            }
            if !query.is_empty() {
                path.push_str(&format!("?{}", query.join("&")));
            }
            let items = c.all(&path, limit).await?;
            if remote.json {
                return print_json(&items);
            }
            ideas_table(&typed_all(&items)?);
        }
        IdeasCommand::Show { id } => {
            let id = parse_id::<IdeaId>("idea", &id)?;
            let idea = c.get(&format!("/ideas/{id}")).await?.body;
            let evidence = c.get(&format!("/ideas/{id}/evidence")).await?.body;
            if remote.json {
                return print_json(&serde_json::json!({"idea": idea, "evidence": evidence}));
            }
            let i: dto::Idea = typed(&idea)?;
            ideas_table(std::slice::from_ref(&i));
            match &i.bug {
                Some(b) => println!(
                    "\nSeverity: {}\nEnvironment: {}\n\nSteps to reproduce:\n{}\n\nExpected: {}\nActual: {}",
                    b.severity.map(|s| s.as_str()).unwrap_or("-"),
                    b.environment,
                    b.steps,
                    b.expected,
                    b.actual
                ),
                None => println!(
                    "\nAs a {}, I want {}, so that {}.",
                    i.as_a, i.i_want, i.so_that
                ),
            }
            if !i.description.is_empty() {
                println!("\n{}", i.description);
            }
            let evidence: Vec<dto::EvidenceWithFeedback> = typed(&evidence)?;
            if !evidence.is_empty() {
                println!();
                feedback_table(&evidence.into_iter().map(|e| e.feedback).collect::<Vec<_>>());
            }
        }
        IdeasCommand::Create(args) => {
            let NewIdeaArgs {
                product,
                title,
                as_a,
                i_want,
                so_that,
                description,
                from_feedback,
                kind,
                steps,
                expected,
                actual,
                environment,
                severity,
            } = *args;
            let product = parse_id::<ProductId>("product", &product)?;
            let kind: Option<dto::IdeaKind> = kind.map(|k| parse_enum("kind", &k)).transpose()?;
            let severity: Option<dto::Severity> =
                severity.map(|s| parse_enum("severity", &s)).transpose()?;
            let bug = (steps.is_some()
                || expected.is_some()
                || actual.is_some()
                || environment.is_some()
                || severity.is_some())
            .then_some(dto::BugReportInput {
                steps,
                expected,
                actual,
                environment,
                severity,
            });
            let body = dto::IdeaCreate {
                kind,
                bug,
                title,
                as_a,
                i_want,
                so_that,
                description,
                status: None,
                owner_id: None,
                tags: None,
                feedback_id: from_feedback
                    .map(|f| parse_id::<FeedbackId>("feedback", &f).map(|f| f.0))
                    .transpose()?,
                importance: None,
                excerpt: None,
            };
            let i = c
                .post(&format!("/products/{product}/ideas"), &body)
                .await?
                .body;
            if remote.json {
                return print_json(&i);
            }
            let i: dto::Idea = typed(&i)?;
            println!("created {} {} ({})", i.reference, i.title, i.id);
        }
    }
    Ok(())
}

pub async fn search(
    remote: &Remote,
    query: &str,
    product: Option<String>,
    kind: Option<String>,
) -> Result<()> {
    let c = Client::new(remote)?;
    let mut path = format!("/search?q={}", encode(query));
    if let Some(p) = product {
        path.push_str(&format!(
            "&product_id={}",
            parse_id::<ProductId>("product", &p)?
        ));
    }
    if let Some(k) = kind {
        let k: dto::SearchKind = parse_enum("kind", &k)?;
        path.push_str(&format!("&kind={}", k.as_str()));
    }
    let found = c.get(&path).await?.body;
    if remote.json {
        return print_json(&found);
    }
    let found: dto::SearchResults = typed(&found)?;
    table(
        &["KIND", "ID", "SCORE", "TITLE OR SNIPPET"],
        found
            .items
            .iter()
            .map(|h| {
                vec![
                    h.kind.as_str().to_owned(),
                    h.id.to_string(),
                    format!("{:.2}", h.score),
                    h.title.clone().unwrap_or_else(|| h.snippet.clone()),
                ]
            })
            .collect(),
    );
    Ok(())
}

/// `phare import FILE --product ID`: a file from another tool, through the API (dry run first
/// with `--dry-run`). Prints the plan, or what was created and updated.
pub async fn import_file(
    remote: &Remote,
    file: &std::path::Path,
    product: &str,
    dry_run: bool,
    source: Option<String>,
) -> Result<()> {
    let c = Client::new(remote)?;
    let product = parse_id::<ProductId>("product", product)?;
    let bytes =
        std::fs::read(file).map_err(|e| anyhow::anyhow!("cannot read {}: {e}", file.display()))?;
    let mut path = format!("/products/{product}/imports?dry_run={dry_run}");
    if let Some(s) = source {
        let s: dto::SourceKind = parse_enum("source", &s)?;
        path.push_str(&format!("&source={}", s.as_str()));
    }
    let (_, body) = c.raw(reqwest::Method::POST, &path, Some(bytes)).await?;
    let v: serde_json::Value = serde_json::from_slice(&body)?;
    if remote.json {
        return print_json(&v);
    }
    if dry_run {
        let plan: dto::ImportPlan = typed(&v)?;
        println!(
            "{}: {} rows of {} ({} problems)",
            file.display(),
            plan.total_rows,
            plan.kind,
            plan.total_problems
        );
        println!("detected: {}", plan.preset);
        for p in &plan.problems {
            println!(
                "  line {}{}: {}",
                p.line,
                p.column
                    .as_deref()
                    .map(|c| format!(" ({c})"))
                    .unwrap_or_default(),
                p.code
            );
        }
    } else {
        let r: dto::ImportResult = typed(&v)?;
        println!(
            "imported {}: {} created, {} updated",
            file.display(),
            r.created,
            r.updated
        );
    }
    Ok(())
}

/// `phare export --what feedback|ideas`: a CSV, XLSX or JSON file through the API.
pub async fn export_file(
    remote: &Remote,
    what: &str,
    product: Option<String>,
    format: &str,
    delimiter: Option<String>,
    out: Option<&std::path::Path>,
) -> Result<()> {
    let c = Client::new(remote)?;
    let format: dto::ExportFormat = parse_enum("format", format)?;
    let fmt = serde_json::to_value(format)?
        .as_str()
        .unwrap_or("csv")
        .to_owned();
    let mut path = match (what, product) {
        ("feedback", None) => format!("/feedback/export?format={fmt}"),
        ("feedback", Some(p)) => format!(
            "/feedback/export?format={fmt}&product={}",
            parse_id::<ProductId>("product", &p)?
        ),
        ("ideas", Some(p)) => format!(
            "/products/{}/ideas/export?format={fmt}",
            parse_id::<ProductId>("product", &p)?
        ),
        ("ideas", None) => anyhow::bail!("exporting ideas needs --product"),
        (other, _) => anyhow::bail!("unknown --what `{other}`: use feedback or ideas"),
    };
    if let Some(d) = delimiter {
        let d: dto::CsvDelimiter = parse_enum("delimiter", &d)?;
        path.push_str(&format!(
            "&delimiter={}",
            serde_json::to_value(d)?.as_str().unwrap_or("comma")
        ));
    }
    let (_, body) = c.raw(reqwest::Method::GET, &path, None).await?;
    match out {
        Some(p) => {
            std::fs::write(p, &body)
                .map_err(|e| anyhow::anyhow!("cannot write {}: {e}", p.display()))?;
            eprintln!("exported {} bytes to {}", body.len(), p.display());
        }
        None => {
            use std::io::Write;
            std::io::stdout().write_all(&body)?;
        }
    }
    Ok(())
}

//! `phare spec export IDEA --format gherkin|markdown [-o FILE]`: an idea's spec as a Gherkin
//! `.feature` file (in the spec's language) or as Markdown, through the API of a running server.
//! IDEA is the idea's id or its reference (`CHK-42`).

use crate::client::{encode, parse_enum, Client, Remote};
use anyhow::{bail, Result};
use clap::Subcommand;
use phare_api_types as dto;
use phare_domain::IdeaId;
use std::path::PathBuf;

#[derive(Subcommand, Debug)]
pub enum SpecCommand {
    /// Export an idea's spec: a Gherkin `.feature` file in the spec's language, or Markdown.
    Export {
        /// The idea's id, or its reference (e.g. CHK-42).
        idea: String,
        /// gherkin or markdown.
        #[arg(long, default_value = "gherkin")]
        format: String,
        /// File to write (default: standard output).
        #[arg(short = 'o', long)]
        out: Option<PathBuf>,
    },
}

/// The idea named by id, or by reference through the search (the reference is indexed).
async fn idea_id(c: &Client, idea: &str) -> Result<IdeaId> {
    if let Ok(id) = idea.trim().parse::<IdeaId>() {
        return Ok(id);
    }
    let reference = idea.trim().to_uppercase();
    if phare_domain::parse_reference(&reference).is_none() {
        bail!("`{idea}` is neither an idea id nor a reference such as CHK-42");
    }
    let found = c
        .get(&format!(
            "/search?kind=idea&limit=100&q={}",
            encode(&reference)
        ))
        .await?
        .body;
    let results: dto::SearchResults = serde_json::from_value(found)?;
    let prefix = format!("{reference} ");
    results
        .items
        .iter()
        .find(|h| h.title.as_deref().is_some_and(|t| t.starts_with(&prefix)))
        .map(|h| IdeaId(h.id))
        .ok_or_else(|| anyhow::anyhow!("no idea {reference} in the workspace"))
}

pub async fn run(remote: &Remote, cmd: SpecCommand) -> Result<()> {
    let SpecCommand::Export { idea, format, out } = cmd;
    let c = Client::new(remote)?;
    let format: dto::SpecExportFormat = parse_enum("format", &format)?;
    let id = idea_id(&c, &idea).await?;
    let path = format!("/ideas/{id}/spec/export?format={}", format.as_str());
    let (_, body) = c.raw(reqwest::Method::GET, &path, None).await?;
    match out {
        Some(p) => {
            std::fs::write(&p, &body)
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

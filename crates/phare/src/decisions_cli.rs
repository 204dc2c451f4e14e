//! Client commands for the decision log: `phare decide IDEA accept|decline|defer|merge …` and
//! `phare decisions list|show`. Same conventions as the other client commands (see
//! `client.rs`): they speak to a running server through its API (`PHARE_URL`, `PHARE_TOKEN`).

use crate::client::{encode, parse_id, print_json, table, time, typed, typed_all, Client, Remote};
use anyhow::Result;
use clap::{Args, Subcommand};
use phare_api_types as dto;
use phare_domain::{DecisionId, EvidenceId, IdeaId, MemberId, ProductId};

/// What `phare decide` takes.
#[derive(Args, Debug)]
pub struct DecideArgs {
    /// The idea (id).
    pub idea: String,
    /// accept, decline, defer or merge.
    pub kind: String,
    /// Why (Markdown). Required.
    #[arg(long)]
    pub rationale: String,
    /// What the idea's portal followers are told (Markdown).
    #[arg(long)]
    pub public_rationale: Option<String>,
    /// For defer: the day the idea comes back to its owner (YYYY-MM-DD).
    #[arg(long)]
    pub until: Option<String>,
    /// For defer: the condition to revisit it.
    #[arg(long)]
    pub condition: Option<String>,
    /// For merge: the idea to keep (id).
    #[arg(long)]
    pub into: Option<String>,
    /// More ideas of the same product decided at once (ids; repeat the flag).
    #[arg(long = "also")]
    pub also: Vec<String>,
    /// Evidence items weighed (ids; repeat the flag).
    #[arg(long)]
    pub evidence: Vec<String>,
    /// Prioritization sessions held (ids; repeat the flag).
    #[arg(long)]
    pub session: Vec<String>,
    /// Earlier decisions this one follows or supersedes (ids; repeat the flag).
    #[arg(long)]
    pub supersedes: Vec<String>,
    /// Members consulted (ids; repeat the flag).
    #[arg(long)]
    pub consulted: Vec<String>,
}

#[derive(Subcommand, Debug)]
pub enum DecisionsCommand {
    /// A product's decision log, newest first.
    List {
        #[arg(long)]
        product: String,
        /// accept, decline, defer or merge.
        #[arg(long)]
        kind: Option<String>,
        /// Decided on or after this day (YYYY-MM-DD).
        #[arg(long)]
        from: Option<String>,
        /// Decided on or before this day (YYYY-MM-DD).
        #[arg(long)]
        to: Option<String>,
        /// Who decided (member id).
        #[arg(long)]
        decided_by: Option<String>,
        /// Words of the rationale.
        #[arg(long)]
        search: Option<String>,
        #[arg(long, default_value_t = 200)]
        limit: usize,
    },
    /// One decision.
    Show { id: String },
}

fn ids<T: std::str::FromStr + Copy>(what: &str, values: &[String]) -> Result<Vec<T>> {
    values.iter().map(|v| parse_id::<T>(what, v)).collect()
}

fn decisions_table(items: &[dto::Decision]) {
    table(
        &["ID", "DECIDED", "KIND", "UNTIL", "IDEAS", "RATIONALE"],
        items
            .iter()
            .map(|d| {
                let rationale: String =
                    d.rationale.split_whitespace().collect::<Vec<_>>().join(" ");
                let mut ideas: Vec<String> = d.ideas.iter().map(|i| i.reference.clone()).collect();
                if let Some(into) = &d.into {
                    ideas.push(format!("→ {}", into.reference));
                }
                vec![
                    d.id.to_string(),
                    time(&d.decided_at),
                    d.kind.as_str().to_owned(),
                    d.until.map(|u| u.to_string()).unwrap_or_default(),
                    ideas.join(" "),
                    rationale.chars().take(60).collect(),
                ]
            })
            .collect(),
    );
}

pub async fn decide(remote: &Remote, a: DecideArgs) -> Result<()> {
    let c = Client::new(remote)?;
    let idea = parse_id::<IdeaId>("idea", &a.idea)?;
    let body = dto::DecisionCreate {
        kind: a.kind,
        rationale: a.rationale,
        public_rationale: a.public_rationale.unwrap_or_default(),
        until: a.until,
        condition: a.condition.unwrap_or_default(),
        into: a
            .into
            .map(|i| parse_id::<IdeaId>("into", &i).map(|i| i.0))
            .transpose()?,
        idea_ids: ids::<IdeaId>("also", &a.also)?
            .into_iter()
            .map(|i| i.0)
            .collect(),
        evidence_ids: ids::<EvidenceId>("evidence", &a.evidence)?
            .into_iter()
            .map(|e| e.0)
            .collect(),
        // Sessions are kept by id: any UUID parses the same way.
        session_ids: ids::<EvidenceId>("session", &a.session)?
            .into_iter()
            .map(|s| s.0)
            .collect(),
        decision_ids: ids::<DecisionId>("supersedes", &a.supersedes)?
            .into_iter()
            .map(|d| d.0)
            .collect(),
        consulted: ids::<MemberId>("consulted", &a.consulted)?
            .into_iter()
            .map(|m| m.0)
            .collect(),
    };
    let created = c
        .post(&format!("/ideas/{idea}/decisions"), &body)
        .await?
        .body;
    if remote.json {
        return print_json(&created);
    }
    let d: dto::Decision = typed(&created)?;
    decisions_table(std::slice::from_ref(&d));
    Ok(())
}

pub async fn decisions(remote: &Remote, cmd: DecisionsCommand) -> Result<()> {
    let c = Client::new(remote)?;
    match cmd {
        DecisionsCommand::List {
            product,
            kind,
            from,
            to,
            decided_by,
            search,
            limit,
        } => {
            let product = parse_id::<ProductId>("product", &product)?;
            let mut query = Vec::new();
            for (k, v) in [
                ("kind", kind),
                ("from", from),
                ("to", to),
                ("decided_by", decided_by),
                ("q", search),
            ] {
                if let Some(v) = v {
                    query.push(format!("{k}={}", encode(&v)));
                }
            }
            let mut path = format!("/products/{product}/decisions");
            if !query.is_empty() {
                path.push('?');
                path.push_str(&query.join("&"));
            }
            let items = c.all(&path, limit).await?;
            if remote.json {
                return print_json(&items);
            }
            decisions_table(&typed_all(&items)?);
        }
        DecisionsCommand::Show { id } => {
            let id = parse_id::<DecisionId>("decision", &id)?;
            let d = c.get(&format!("/decisions/{id}")).await?.body;
            if remote.json {
                return print_json(&d);
            }
            let d: dto::Decision = typed(&d)?;
            decisions_table(std::slice::from_ref(&d));
            println!("\n{}", d.rationale);
            if !d.condition.is_empty() {
                println!("\nCondition: {}", d.condition);
            }
        }
    }
    Ok(())
}

//! Client commands for stakeholder prioritization sessions: `phare sessions list|results`.
//! Same conventions as the other client commands (see `client.rs`).

use crate::client::{parse_id, print_json, table, time, typed, Client, Remote};
use anyhow::Result;
use clap::Subcommand;
use phare_api_types as dto;
use phare_domain::{PrioritizationSessionId, ProductId};

#[derive(Subcommand, Debug)]
pub enum SessionsCommand {
    /// A product's prioritization sessions, newest first.
    List {
        /// Product id.
        #[arg(long)]
        product: String,
    },
    /// The results of a closed session: the weighted ranking, disagreement, disputed ideas.
    Results {
        /// Session id.
        id: String,
    },
}

pub async fn sessions(remote: &Remote, cmd: SessionsCommand) -> Result<()> {
    let c = Client::new(remote)?;
    match cmd {
        SessionsCommand::List { product } => {
            let product = parse_id::<ProductId>("product", &product)?;
            let body = c.get(&format!("/products/{product}/sessions")).await?.body;
            if remote.json {
                return print_json(&body);
            }
            let sessions: Vec<dto::PrioritizationSession> = typed(&body)?;
            table(
                &["ID", "STATE", "METHOD", "DEADLINE", "IDEAS", "TITLE"],
                sessions
                    .iter()
                    .map(|s| {
                        vec![
                            s.id.to_string(),
                            s.state.as_str().to_owned(),
                            s.method.as_str().to_owned(),
                            time(&s.deadline),
                            s.idea_ids.len().to_string(),
                            s.title.clone(),
                        ]
                    })
                    .collect(),
            );
        }
        SessionsCommand::Results { id } => {
            let id = parse_id::<PrioritizationSessionId>("session", &id)?;
            let body = c.get(&format!("/sessions/{id}/results")).await?.body;
            if remote.json {
                return print_json(&body);
            }
            let r: dto::SessionResults = typed(&body)?;
            println!("{} ballot(s) counted", r.ballots);
            table(
                &["RANK", "REF", "SCORE", "DISAGREEMENT", "DISPUTED", "TITLE"],
                r.ideas
                    .iter()
                    .map(|i| {
                        vec![
                            i.rank.to_string(),
                            i.reference.clone(),
                            i.score
                                .map_or_else(|| "-".into(), |s| format!("{:.1}", s * 100.0)),
                            format!("{:.1}", i.disagreement * 100.0),
                            if i.disputed { "yes" } else { "" }.to_owned(),
                            i.title.clone(),
                        ]
                    })
                    .collect(),
            );
        }
    }
    Ok(())
}

//! Client commands for scoring and the ranked backlog: `phare score` and `phare backlog`. Same
//! conventions as the other client commands (see `client.rs`): they speak to a running server
//! through the API, print a table (or JSON with `--json`), and exit non-zero on a problem.

use crate::client::{
    encode, parse_enum, parse_id, print_json, table, typed, typed_all, Client, Remote,
};
use anyhow::{anyhow, bail, Result};
use clap::Args;
use phare_api_types as dto;
use phare_domain::{IdeaId, ProductId};
use std::collections::BTreeMap;

#[derive(Args, Debug)]
pub struct ScoreArgs {
    /// The idea: its reference (`CHK-42`) or its id.
    pub idea: String,
    /// rice, ice, wsjf, moscow, kano, value_effort or scorecard; without one, the idea's
    /// scores are listed.
    pub framework: Option<String>,
    #[arg(long)]
    pub reach: Option<f64>,
    /// Take the reach from the idea's data instead: customers, demand or votes.
    #[arg(long)]
    pub reach_from: Option<String>,
    #[arg(long)]
    pub impact: Option<f64>,
    /// RICE: a fraction from 0 to 1; ICE: 1 to 10.
    #[arg(long)]
    pub confidence: Option<f64>,
    #[arg(long)]
    pub effort: Option<f64>,
    #[arg(long)]
    pub ease: Option<f64>,
    #[arg(long)]
    pub business_value: Option<f64>,
    #[arg(long)]
    pub time_criticality: Option<f64>,
    #[arg(long)]
    pub risk_reduction: Option<f64>,
    #[arg(long)]
    pub job_size: Option<f64>,
    #[arg(long)]
    pub value: Option<f64>,
    /// MoSCoW or Kano category (must, should, could, wont; must_be, performance, …).
    #[arg(long)]
    pub category: Option<String>,
    /// Scorecard points, as CRITERION_ID=POINTS (repeat it).
    #[arg(long = "criterion", value_parser = criterion_points)]
    pub criteria: Vec<(String, f64)>,
}

fn criterion_points(s: &str) -> Result<(String, f64), String> {
    let (id, points) = s
        .split_once('=')
        .ok_or_else(|| "expected CRITERION_ID=POINTS".to_owned())?;
    Ok((
        id.trim().to_owned(),
        points
            .trim()
            .parse()
            .map_err(|_| format!("not a number: {points}"))?,
    ))
}

#[derive(Args, Debug)]
pub struct BacklogArgs {
    /// The product: its key (`CHK`) or its id.
    pub product: String,
    /// score (highest first) or rank (the manual order).
    #[arg(long, default_value = "score")]
    pub sort: String,
    /// draft, under_consideration, planned, in_progress, shipped, declined.
    #[arg(long)]
    pub status: Option<String>,
    #[arg(long)]
    pub tag: Option<String>,
    #[arg(long)]
    pub owner: Option<String>,
    #[arg(long)]
    pub persona: Option<String>,
    #[arg(long)]
    pub min_score: Option<f64>,
    #[arg(long)]
    pub max_score: Option<f64>,
    /// At most this many ideas.
    #[arg(long, default_value_t = 50)]
    pub limit: usize,
}

/// An idea id from an id or a reference (`CHK-42`, found through the search).
async fn idea_id(c: &Client, s: &str) -> Result<IdeaId> {
    if let Ok(id) = s.trim().parse::<IdeaId>() {
        return Ok(id);
    }
    let reference = s.trim().to_uppercase();
    if phare_domain::parse_reference(&reference).is_none() {
        bail!("idea: expected a reference such as CHK-42 or an idea id, got {s:?}");
    }
    let found = c
        .get(&format!("/search?kind=idea&q={}", encode(&reference)))
        .await?
        .body;
    let hits: dto::SearchResults = typed(&found)?;
    if let Some(h) = hits.items.into_iter().find(|h| {
        h.title
            .as_deref()
            .is_some_and(|t| t.split_whitespace().next() == Some(reference.as_str()))
    }) {
        return Ok(IdeaId(h.id));
    }
    // The search skips stop words ("CAR" is French for "because"): read the product's ideas.
    let (key, _) = phare_domain::parse_reference(&reference).unwrap_or_default();
    let product = product_id(c, key).await?;
    let ideas: Vec<dto::Idea> = typed_all(
        &c.all(&format!("/products/{product}/ideas?merged=true"), 100_000)
            .await?,
    )?;
    ideas
        .into_iter()
        .find(|i| i.reference == reference)
        .map(|i| IdeaId(i.id))
        .ok_or_else(|| anyhow!("idea: no idea has the reference {reference}"))
}

/// A product id from an id or a key.
async fn product_id(c: &Client, s: &str) -> Result<ProductId> {
    if let Ok(id) = s.trim().parse::<ProductId>() {
        return Ok(id);
    }
    let key = s.trim().to_uppercase();
    let products: Vec<dto::Product> = typed_all(&c.all("/products?archived=true", 10_000).await?)?;
    products
        .into_iter()
        .find(|p| p.key == key)
        .map(|p| ProductId(p.id))
        .ok_or_else(|| anyhow!("product: no product has the key {key}"))
}

fn scores_table(items: &[dto::Score]) {
    table(
        &["FRAMEWORK", "VALUE", "WHY"],
        items
            .iter()
            .map(|s| {
                vec![
                    s.framework.clone(),
                    phare_domain::scoring::show(s.value),
                    s.breakdown.calculation.clone(),
                ]
            })
            .collect(),
    );
}

pub async fn score(remote: &Remote, a: ScoreArgs) -> Result<()> {
    let c = Client::new(remote)?;
    let id = idea_id(&c, &a.idea).await?;
    let Some(framework) = a.framework else {
        let list = c.get(&format!("/ideas/{id}/scores")).await?.body;
        if remote.json {
            return print_json(&list);
        }
        scores_table(&typed::<Vec<dto::Score>>(&list)?);
        return Ok(());
    };
    let mut sources = BTreeMap::new();
    if let Some(from) = a.reach_from {
        sources.insert("reach".to_owned(), from);
    }
    let body = dto::ScoreWrite {
        reach: a.reach,
        impact: a.impact,
        confidence: a.confidence,
        effort: a.effort,
        ease: a.ease,
        business_value: a.business_value,
        time_criticality: a.time_criticality,
        risk_reduction: a.risk_reduction,
        job_size: a.job_size,
        value: a.value,
        category: a.category,
        criteria: a
            .criteria
            .into_iter()
            .map(|(id, points)| {
                id.parse()
                    .map(|id| (id, points))
                    .map_err(|_| anyhow!("criterion: not a criterion id: {id}"))
            })
            .collect::<Result<_>>()?,
        sources,
    };
    let answer = c
        .send(
            reqwest::Method::PUT,
            &format!("/ideas/{id}/scores/{}", encode(framework.trim())),
            Some(&body),
            None,
        )
        .await?
        .body;
    if remote.json {
        return print_json(&answer);
    }
    let s: dto::Score = typed(&answer)?;
    println!(
        "{} = {}   ({})",
        s.framework,
        phare_domain::scoring::show(s.value),
        s.breakdown.calculation
    );
    Ok(())
}

pub async fn backlog(remote: &Remote, a: BacklogArgs) -> Result<()> {
    let c = Client::new(remote)?;
    let product = product_id(&c, &a.product).await?;
    let mut query = vec![format!("sort={}", encode(a.sort.trim()))];
    if let Some(s) = a.status {
        let s: dto::IdeaStatus = parse_enum("status", &s)?;
        query.push(format!("status={}", s.as_str()));
    }
    if let Some(t) = a.tag {
        query.push(format!("tag={}", encode(&t)));
    }
    if let Some(o) = a.owner {
        query.push(format!(
            "owner_id={}",
            parse_id::<phare_domain::MemberId>("owner", &o)?
        ));
    }
    if let Some(p) = a.persona {
        query.push(format!(
            "persona_id={}",
            parse_id::<phare_domain::PersonaId>("persona", &p)?
        ));
    }
    if let Some(m) = a.min_score {
        query.push(format!("min_score={m}"));
    }
    if let Some(m) = a.max_score {
        query.push(format!("max_score={m}"));
    }
    let items = c
        .all(
            &format!("/products/{product}/backlog?{}", query.join("&")),
            a.limit,
        )
        .await?;
    if remote.json {
        return print_json(&items);
    }
    let items: Vec<dto::BacklogItem> = typed_all(&items)?;
    table(
        &["#", "REF", "SCORE", "STATUS", "TITLE"],
        items
            .iter()
            .enumerate()
            .map(|(n, i)| {
                vec![
                    (n + 1).to_string(),
                    i.reference.clone(),
                    i.score
                        .map(phare_domain::scoring::show)
                        .unwrap_or_else(|| "-".into()),
                    i.status.as_str().to_owned(),
                    i.title.clone(),
                ]
            })
            .collect(),
    );
    Ok(())
}

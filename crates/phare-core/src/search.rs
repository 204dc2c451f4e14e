//! The one search box and the duplicate finder. The store finds candidates in its index; the
//! ranking of similar ideas and the snippets are computed here with the domain's analyzer, so
//! both backends answer the same.

use crate::{Action, Actor, CoreResult, Phare, RequestMeta};
use phare_domain::text;
use phare_domain::*;
use phare_store::*;

/// Longest query or draft text analyzed; longer input is cut, not refused (a pasted page must
/// not stall the server).
pub const QUERY_MAX_CHARS: usize = 2_000;
/// How many similar ideas are shown.
pub const SIMILAR_SHOWN: usize = 5;
/// Candidates fetched from the index before ranking by similarity.
const SIMILAR_CANDIDATES: u32 = 50;
/// Below this, two ideas have too little in common to be called similar.
const SIMILARITY_FLOOR: f64 = 0.15;

#[derive(Clone, Debug)]
pub struct SearchResult {
    pub hit: SearchHit,
    /// A passage of the text with the matching words marked `true`.
    pub snippet: Vec<(String, bool)>,
}

fn bounded(s: &str) -> &str {
    match s.char_indices().nth(QUERY_MAX_CHARS) {
        Some((i, _)) => &s[..i],
        None => s,
    }
}

impl Phare {
    pub async fn search(
        &self,
        actor: &Actor,
        meta: &RequestMeta,
        q: &str,
        product: Option<ProductId>,
        kinds: Vec<SearchKind>,
        limit: u32,
    ) -> CoreResult<Vec<SearchResult>> {
        self.check(actor, meta, Action::ReadDiscovery, "search")
            .await?;
        // An empty query finds nothing; it is not an error (the page shows the empty form).
        let terms = text::query_terms(bounded(q.trim()));
        if terms.is_empty() {
            return Ok(Vec::new());
        }
        let hits = self
            .store()
            .search(
                actor.member.workspace_id,
                &SearchQuery {
                    terms: terms.clone(),
                    product,
                    kinds,
                    limit,
                },
            )
            .await?;
        Ok(hits
            .into_iter()
            .map(|hit| {
                let plain = markdown::to_plain_text(&hit.text);
                let snippet = text::snippet(&plain, &terms, 180);
                SearchResult { hit, snippet }
            })
            .collect())
    }

    /// The ideas of a product most like `draft` (a title and story being written, or a
    /// feedback item being triaged), most similar first, with their similarity in [0, 1].
    pub async fn similar_ideas(
        &self,
        actor: &Actor,
        meta: &RequestMeta,
        product: ProductId,
        draft: &str,
        exclude: Option<IdeaId>,
    ) -> CoreResult<Vec<(Idea, f64)>> {
        self.check(actor, meta, Action::ReadDiscovery, "idea.similar")
            .await?;
        let draft = bounded(draft.trim());
        let mut terms: Vec<String> = text::query_terms(draft).into_iter().flatten().collect();
        terms.sort();
        terms.dedup();
        if terms.is_empty() {
            return Ok(Vec::new());
        }
        let candidates = self
            .store()
            .similar_idea_candidates(
                actor.member.workspace_id,
                product,
                &terms,
                exclude,
                SIMILAR_CANDIDATES,
            )
            .await?;
        let mut ranked: Vec<(Idea, f64)> = candidates
            .into_iter()
            .map(|idea| {
                let other = format!(
                    "{}\n{}\n{}\n{}",
                    idea.title, idea.as_a, idea.i_want, idea.so_that
                );
                let s = text::similarity(draft, &other);
                (idea, s)
            })
            .filter(|(_, s)| *s >= SIMILARITY_FLOOR)
            .collect();
        ranked.sort_by(|a, b| b.1.total_cmp(&a.1));
        ranked.truncate(SIMILAR_SHOWN);
        Ok(ranked)
    }
}

//! The discovery half of the contract: customers, feedback, ideas, evidence, merges and search.
//!
//! Counters that lists show (evidence per idea and per feedback item) are kept on the rows and
//! changed in the same transaction as the links they count, so a list never counts per row.
//! Searchable records are indexed by the store itself, with `phare_domain::text`, whenever they
//! are written, so no door (page, API, import, restore) can forget it.

use crate::{Page, PageRequest, StoreResult, Timestamp};
use async_trait::async_trait;
use phare_domain::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Customer {
    pub id: CustomerId,
    pub workspace_id: WorkspaceId,
    pub name: String,
    pub kind: CustomerKind,
    pub segment: Option<String>,
    pub weight: i64,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
    pub version: i64,
}

/// A customer named on a feedback item: found by name (case-insensitive) in the workspace, or
/// created with these details. An existing customer's details are not changed by feedback.
#[derive(Clone, Debug, PartialEq)]
pub struct CustomerInput {
    pub name: String,
    pub kind: CustomerKind,
    pub segment: Option<String>,
    pub weight: i64,
}

#[derive(Clone, Debug, Default)]
pub struct CustomerPatch {
    pub name: Option<String>,
    pub kind: Option<CustomerKind>,
    pub segment: Option<Option<String>>,
    pub weight: Option<i64>,
    pub now: Option<Timestamp>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Feedback {
    pub id: FeedbackId,
    pub workspace_id: WorkspaceId,
    pub product_id: Option<ProductId>,
    pub text: String,
    pub source: SourceKind,
    pub origin: Origin,
    pub customer_id: Option<CustomerId>,
    /// The customer's name, segment and weight, read with the item for lists.
    pub customer_name: Option<String>,
    pub customer_segment: Option<String>,
    pub customer_weight: Option<i64>,
    pub contact: Option<String>,
    pub author_id: Option<MemberId>,
    pub observed_at: Timestamp,
    pub state: FeedbackState,
    pub assignee_id: Option<MemberId>,
    pub tags: Vec<String>,
    pub evidence_count: i64,
    pub external_source: Option<String>,
    pub external_id: Option<String>,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
    pub version: i64,
}

#[derive(Clone, Debug)]
pub struct NewFeedback {
    pub id: FeedbackId,
    pub workspace_id: WorkspaceId,
    pub product_id: Option<ProductId>,
    pub text: String,
    pub source: SourceKind,
    pub customer: Option<CustomerInput>,
    pub contact: Option<String>,
    pub author_id: Option<MemberId>,
    pub observed_at: Timestamp,
    pub tags: Vec<String>,
    /// `(source system, id there)`: re-importing the same pair updates the item.
    pub external: Option<(String, String)>,
    pub now: Timestamp,
}

#[derive(Clone, Debug, Default)]
pub struct FeedbackPatch {
    pub product_id: Option<Option<ProductId>>,
    pub text: Option<String>,
    pub source: Option<SourceKind>,
    pub customer: Option<Option<CustomerInput>>,
    pub contact: Option<Option<String>>,
    pub observed_at: Option<Timestamp>,
    pub state: Option<FeedbackState>,
    pub assignee_id: Option<Option<MemberId>>,
    pub tags: Option<Vec<String>>,
    pub now: Option<Timestamp>,
}

/// A change applied to many feedback items at once (bulk actions of the inbox).
#[derive(Clone, Debug, Default)]
pub struct FeedbackBulk {
    pub state: Option<FeedbackState>,
    pub assignee_id: Option<Option<MemberId>>,
    pub product_id: Option<Option<ProductId>>,
    pub now: Option<Timestamp>,
}

/// Inbox filters; every `None` is "any". `product: Some(None)` means "no product yet".
#[derive(Clone, Debug, Default, PartialEq)]
pub struct FeedbackFilter {
    pub product: Option<Option<ProductId>>,
    pub state: Option<FeedbackState>,
    pub source: Option<SourceKind>,
    pub origin: Option<Origin>,
    pub customer: Option<CustomerId>,
    pub segment: Option<String>,
    pub tag: Option<String>,
    pub assignee: Option<MemberId>,
    /// Observed on or after / before (exclusive) these instants.
    pub observed_from: Option<Timestamp>,
    pub observed_before: Option<Timestamp>,
    pub has_evidence: Option<bool>,
}

impl FeedbackFilter {
    /// The sources to count when the filter names nothing but a product, a source or an origin
    /// (and a state, which counts ignore): then the kept per-source counts answer it without
    /// reading the items. `None` when another filter needs the items themselves; an empty list
    /// when no source fits (a source of the other origin).
    pub fn counted_sources(&self) -> Option<Vec<SourceKind>> {
        let narrower = self.customer.is_some()
            || self.segment.is_some()
            || self.tag.is_some()
            || self.assignee.is_some()
            || self.observed_from.is_some()
            || self.observed_before.is_some()
            || self.has_evidence.is_some();
        if narrower {
            return None;
        }
        Some(
            SourceKind::ALL
                .iter()
                .copied()
                .filter(|s| self.source.is_none_or(|x| x == *s))
                .filter(|s| self.origin.is_none_or(|o| o == s.origin()))
                .collect(),
        )
    }
}

/// How many items each state holds under a filter (its `state` is ignored).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct FeedbackCounts {
    pub new: i64,
    pub processed: i64,
    pub archived: i64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Idea {
    pub id: IdeaId,
    pub workspace_id: WorkspaceId,
    pub product_id: ProductId,
    pub number: i64,
    /// `CHK-42`: the product key and the number.
    pub reference: String,
    pub kind: IdeaKind,
    pub title: String,
    pub as_a: String,
    pub i_want: String,
    pub so_that: String,
    pub description: String,
    /// The bug report's template; empty for a story that never was a bug.
    pub bug: BugReport,
    pub status: IdeaStatus,
    pub owner_id: Option<MemberId>,
    pub merged_into: Option<IdeaId>,
    pub tags: Vec<String>,
    pub evidence_count: i64,
    pub vote_count: i64,
    /// Distinct customers behind the evidence.
    pub customer_count: i64,
    /// See [`phare_domain::demand`].
    pub demand: i64,
    pub external_source: Option<String>,
    pub external_id: Option<String>,
    pub created_by: Option<MemberId>,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
    pub version: i64,
}

impl Idea {
    /// The writable text, as [`IdeaText::validate`] checks it.
    pub fn text(&self) -> IdeaText {
        IdeaText {
            kind: self.kind,
            title: self.title.clone(),
            as_a: self.as_a.clone(),
            i_want: self.i_want.clone(),
            so_that: self.so_that.clone(),
            description: self.description.clone(),
            bug: self.bug.clone(),
        }
    }
}

/// The history lines a patch writes for the idea's kind and bug template: (field, old, new)
/// for each part that changes. Both backends record them the same way.
pub fn bug_changes(
    old: &Idea,
    kind: Option<IdeaKind>,
    bug: Option<&BugReport>,
) -> Vec<(&'static str, String, String)> {
    let mut out = Vec::new();
    if let Some(k) = kind.filter(|k| *k != old.kind) {
        out.push(("kind", old.kind.as_str().to_owned(), k.as_str().to_owned()));
    }
    if let Some(b) = bug {
        let o = &old.bug;
        for (field, old_v, new) in [
            ("steps", &o.steps, &b.steps),
            ("expected", &o.expected, &b.expected),
            ("actual", &o.actual, &b.actual),
            ("environment", &o.environment, &b.environment),
        ] {
            if old_v != new {
                out.push((field, old_v.clone(), new.clone()));
            }
        }
        if o.severity != b.severity {
            let show = |s: Option<Severity>| s.map(|s| s.as_str().to_owned()).unwrap_or_default();
            out.push(("severity", show(o.severity), show(b.severity)));
        }
    }
    out
}

/// Evidence created together with an idea ("create an idea from this feedback").
#[derive(Clone, Debug)]
pub struct FirstEvidence {
    pub id: EvidenceId,
    pub feedback_id: FeedbackId,
    pub excerpt: Option<String>,
    pub importance: Importance,
}

#[derive(Clone, Debug)]
pub struct NewIdea {
    pub id: IdeaId,
    pub workspace_id: WorkspaceId,
    pub product_id: ProductId,
    pub text: IdeaText,
    pub status: IdeaStatus,
    pub owner_id: Option<MemberId>,
    pub tags: Vec<String>,
    pub created_by: Option<MemberId>,
    pub evidence: Option<FirstEvidence>,
    pub external: Option<(String, String)>,
    pub now: Timestamp,
}

#[derive(Clone, Debug, Default)]
pub struct IdeaPatch {
    pub kind: Option<IdeaKind>,
    /// The whole template at once.
    pub bug: Option<BugReport>,
    pub title: Option<String>,
    pub as_a: Option<String>,
    pub i_want: Option<String>,
    pub so_that: Option<String>,
    pub description: Option<String>,
    pub status: Option<IdeaStatus>,
    pub owner_id: Option<Option<MemberId>>,
    pub tags: Option<Vec<String>>,
    /// Who makes the change, for the idea's history.
    pub actor: Option<MemberId>,
    pub now: Option<Timestamp>,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct IdeaFilter {
    pub product: Option<ProductId>,
    pub status: Option<IdeaStatus>,
    pub kind: Option<IdeaKind>,
    pub tag: Option<String>,
    pub owner: Option<MemberId>,
    /// Merged ideas only redirect; lists leave them out unless asked.
    pub include_merged: bool,
}

/// One changed field of an idea.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct IdeaChange {
    pub id: uuid::Uuid,
    pub workspace_id: WorkspaceId,
    pub idea_id: IdeaId,
    pub at: Timestamp,
    pub actor_id: Option<MemberId>,
    pub field: String,
    pub old_value: String,
    pub new_value: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Evidence {
    pub id: EvidenceId,
    pub workspace_id: WorkspaceId,
    pub idea_id: IdeaId,
    pub feedback_id: FeedbackId,
    pub excerpt: Option<String>,
    pub importance: Importance,
    pub created_by: Option<MemberId>,
    pub created_at: Timestamp,
}

#[derive(Clone, Debug)]
pub struct NewEvidence {
    pub id: EvidenceId,
    pub workspace_id: WorkspaceId,
    pub idea_id: IdeaId,
    pub feedback_id: FeedbackId,
    pub excerpt: Option<String>,
    pub importance: Importance,
    pub created_by: Option<MemberId>,
    pub now: Timestamp,
}

/// A piece of evidence with what an idea page shows of its feedback.
#[derive(Clone, Debug, PartialEq)]
pub struct EvidenceOnIdea {
    pub evidence: Evidence,
    pub feedback: Feedback,
}

/// A piece of evidence with what a feedback page shows of its idea.
#[derive(Clone, Debug, PartialEq)]
pub struct EvidenceOnFeedback {
    pub evidence: Evidence,
    pub idea: Idea,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct IdeaMerge {
    pub id: uuid::Uuid,
    pub workspace_id: WorkspaceId,
    pub from_idea_id: IdeaId,
    pub into_idea_id: IdeaId,
    pub actor_id: Option<MemberId>,
    pub reason: String,
    pub at: Timestamp,
}

/// What a search asks for. `terms` come from `phare_domain::text::query_terms`: every inner list
/// holds the alternatives for one word; a record matches when it holds one alternative of
/// every word.
#[derive(Clone, Debug, Default)]
pub struct SearchQuery {
    pub terms: Vec<Vec<String>>,
    pub product: Option<ProductId>,
    /// Empty means every kind.
    pub kinds: Vec<SearchKind>,
    pub limit: u32,
}

#[derive(Clone, Debug, PartialEq)]
pub struct SearchHit {
    pub kind: SearchKind,
    pub id: uuid::Uuid,
    pub product_id: Option<ProductId>,
    /// Ideas: `CHK-42 Title`; feedback: empty.
    pub title: String,
    /// The text a snippet is cut from (Markdown source).
    pub text: String,
    /// Higher is better; comparable only within one result list.
    pub score: f64,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct DiscoveryDump {
    pub customers: Vec<Customer>,
    pub feedback: Vec<Feedback>,
    pub ideas: Vec<Idea>,
    pub idea_changes: Vec<IdeaChange>,
    pub evidence: Vec<Evidence>,
    pub idea_merges: Vec<IdeaMerge>,
}

#[async_trait]
pub trait DiscoveryStore: Send + Sync {
    // --- customers --------------------------------------------------------------------------
    async fn list_customers(
        &self,
        ws: WorkspaceId,
        page: &PageRequest,
    ) -> StoreResult<Page<Customer>>;
    async fn get_customer(&self, ws: WorkspaceId, id: CustomerId) -> StoreResult<Customer>;
    /// At most `limit` customers whose name starts with `prefix` (case-insensitive), by name. An
    /// exact match, when there is one, comes first.
    async fn find_customers(
        &self,
        ws: WorkspaceId,
        prefix: &str,
        limit: i64,
    ) -> StoreResult<Vec<Customer>>;
    /// `Duplicate("name")` when another customer of the workspace has that name. A new name is
    /// searchable at once in the customer's feedback.
    async fn update_customer(
        &self,
        ws: WorkspaceId,
        id: CustomerId,
        expected_version: i64,
        patch: CustomerPatch,
    ) -> StoreResult<Customer>;

    // --- feedback ---------------------------------------------------------------------------
    /// Creates the item (and its customer if new). With `external` set and an item already
    /// imported under that pair, updates that item's text, source, customer, contact, date and
    /// tags instead, and returns it. `NotFound` when the product is not in the workspace.
    async fn create_feedback(&self, feedback: NewFeedback) -> StoreResult<Feedback>;
    /// `create_feedback` and the audit event that records it, in one transaction: capture is
    /// a hot path, and one commit answers sooner than two. The event's `target_id` is set to
    /// the stored item's id (an upsert may have updated an earlier item).
    async fn create_feedback_audited(
        &self,
        feedback: NewFeedback,
        audit: crate::AuditEvent,
    ) -> StoreResult<Feedback>;
    /// Creates or updates many items in one transaction: all or nothing (imports).
    async fn import_feedback(&self, items: Vec<NewFeedback>) -> StoreResult<ImportCounts>;
    /// `import_feedback` over items read while they are written: nothing is stored unless the
    /// feed completes (see [`crate::FeedbackFeed`]).
    async fn import_feedback_feed(&self, feed: crate::FeedbackFeed) -> StoreResult<ImportCounts>;
    async fn get_feedback(&self, ws: WorkspaceId, id: FeedbackId) -> StoreResult<Feedback>;
    /// Newest first.
    async fn list_feedback(
        &self,
        ws: WorkspaceId,
        filter: &FeedbackFilter,
        page: &PageRequest,
    ) -> StoreResult<Page<Feedback>>;
    async fn count_feedback(
        &self,
        ws: WorkspaceId,
        filter: &FeedbackFilter,
    ) -> StoreResult<FeedbackCounts>;
    async fn update_feedback(
        &self,
        ws: WorkspaceId,
        id: FeedbackId,
        expected_version: i64,
        patch: FeedbackPatch,
    ) -> StoreResult<Feedback>;
    /// Applies one change to every listed item, all or nothing: `NotFound` if any id is not a
    /// feedback item of the workspace. Returns how many items changed. Callers pass each id once.
    async fn bulk_update_feedback(
        &self,
        ws: WorkspaceId,
        ids: &[FeedbackId],
        change: FeedbackBulk,
    ) -> StoreResult<u64>;
    /// Deletes the item and its evidence links (the ideas' counters follow).
    async fn delete_feedback(
        &self,
        ws: WorkspaceId,
        id: FeedbackId,
        expected_version: i64,
    ) -> StoreResult<()>;

    // --- ideas ------------------------------------------------------------------------------
    /// Numbers the idea in its product, stores it, and its first evidence if given, at once.
    async fn create_idea(&self, idea: NewIdea) -> StoreResult<Idea>;
    async fn import_ideas(&self, items: Vec<NewIdea>) -> StoreResult<ImportCounts>;
    async fn get_idea(&self, ws: WorkspaceId, id: IdeaId) -> StoreResult<Idea>;
    async fn get_idea_by_number(
        &self,
        ws: WorkspaceId,
        product: ProductId,
        number: i64,
    ) -> StoreResult<Idea>;
    /// The members who own at least one idea of the product, by name: what an owner filter
    /// offers (a workspace may have thousands of members; a product's owners are a few).
    async fn list_idea_owners(
        &self,
        ws: WorkspaceId,
        product: ProductId,
    ) -> StoreResult<Vec<crate::IdeaOwner>>;
    /// Newest first.
    async fn list_ideas(
        &self,
        ws: WorkspaceId,
        filter: &IdeaFilter,
        page: &PageRequest,
    ) -> StoreResult<Page<Idea>>;
    /// Applies the patch if the version matches and records each changed field in the idea's
    /// history.
    async fn update_idea(
        &self,
        ws: WorkspaceId,
        id: IdeaId,
        expected_version: i64,
        patch: IdeaPatch,
    ) -> StoreResult<Idea>;
    /// Oldest first.
    async fn list_idea_changes(
        &self,
        ws: WorkspaceId,
        idea: IdeaId,
    ) -> StoreResult<Vec<IdeaChange>>;
    /// Moves the evidence (and votes) of `from` to `into`, marks `from` merged into `into`,
    /// and records the merge, at once. A feedback item already linked to `into` keeps the
    /// higher importance. `NotFound` if either idea is not in the workspace; `VersionConflict`
    /// if they are the same idea or either is merged already.
    async fn merge_ideas(&self, merge: IdeaMerge) -> StoreResult<Idea>;
    async fn list_merges_into(&self, ws: WorkspaceId, idea: IdeaId) -> StoreResult<Vec<IdeaMerge>>;

    // --- evidence ---------------------------------------------------------------------------
    /// Links feedback to an idea; a new feedback item becomes processed. `Duplicate
    /// ("feedback_id")` if they are linked already; `NotFound` if either is not in the workspace;
    /// `VersionConflict` if the idea was merged (it only redirects).
    async fn add_evidence(&self, evidence: NewEvidence) -> StoreResult<Evidence>;
    /// Many links in one transaction, all or nothing (imports and the data generator); a pair
    /// already linked is skipped. Returns how many links were made.
    async fn import_evidence(&self, items: Vec<NewEvidence>) -> StoreResult<u64>;
    async fn remove_evidence(&self, ws: WorkspaceId, id: EvidenceId) -> StoreResult<()>;
    /// Most important first, then newest.
    async fn list_idea_evidence(
        &self,
        ws: WorkspaceId,
        idea: IdeaId,
    ) -> StoreResult<Vec<EvidenceOnIdea>>;
    async fn list_feedback_ideas(
        &self,
        ws: WorkspaceId,
        feedback: FeedbackId,
    ) -> StoreResult<Vec<EvidenceOnFeedback>>;

    // --- search -----------------------------------------------------------------------------
    /// Best matches first. An empty `terms` list finds nothing.
    async fn search(&self, ws: WorkspaceId, query: &SearchQuery) -> StoreResult<Vec<SearchHit>>;
    /// Ideas of the product sharing any of `terms`, best first (merged ideas left out): the
    /// candidates that the caller ranks by similarity. Their `customer_count` and `demand` are
    /// left at 0 (the caller needs only the text).
    async fn similar_idea_candidates(
        &self,
        ws: WorkspaceId,
        product: ProductId,
        terms: &[String],
        exclude: Option<IdeaId>,
        limit: u32,
    ) -> StoreResult<Vec<Idea>>;
}

/// What an import did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct ImportCounts {
    pub created: u64,
    pub updated: u64,
}

/// The text a feedback item is found by: its words, its customer's name and its tags.
pub fn feedback_search_text(text: &str, customer: Option<&str>, tags: &[String]) -> String {
    let mut s = phare_domain::markdown::to_plain_text(text);
    for extra in customer.into_iter().chain(tags.iter().map(String::as_str)) {
        s.push('\n');
        s.push_str(extra);
    }
    phare_domain::text::index_terms(&s)
}

/// The text an idea is found by. The title is analyzed twice so that a word of the title
/// ranks above the same word deep in the description.
pub fn idea_search_text(reference: &str, idea: &IdeaText, tags: &[String]) -> String {
    let mut s = format!(
        "{reference}\n{title}\n{title}\n{}\n{}\n{}\n{}\n{}",
        idea.as_a,
        idea.i_want,
        idea.so_that,
        phare_domain::markdown::to_plain_text(&idea.description),
        tags.join(" "),
        title = idea.title,
    );
    if idea.kind == IdeaKind::Bug {
        // What people search a bug by: the symptom, the steps, the version it shows in.
        let b = &idea.bug;
        for part in [
            phare_domain::markdown::to_plain_text(&b.steps),
            b.expected.clone(),
            b.actual.clone(),
            b.environment.clone(),
        ] {
            s.push('\n');
            s.push_str(&part);
        }
    }
    phare_domain::text::index_terms(&s)
}

/// One evidence row as the idea figures need it.
#[derive(Clone, Copy, Debug)]
pub struct EvidenceWeight {
    pub importance: Importance,
    pub customer: Option<CustomerId>,
    pub customer_weight: Option<i64>,
}

/// Distinct customers and demand of an idea, from its evidence rows. Both backends compute the
/// figures here so the formula lives in one place (`phare_domain::demand`).
pub fn evidence_figures(rows: &[EvidenceWeight]) -> (i64, i64) {
    let customers: std::collections::HashSet<CustomerId> =
        rows.iter().filter_map(|r| r.customer).collect();
    let demand = phare_domain::demand(rows.iter().map(|r| DemandInput {
        importance: r.importance,
        customer_weight: r.customer_weight,
    }));
    (customers.len() as i64, demand)
}

/// Parses a list cursor made of an id: `Err(())` for a forged one, which callers answer with
/// an empty page (there is nothing more to say about it).
#[allow(clippy::result_unit_err)]
pub fn id_cursor(page: &PageRequest) -> Result<Option<uuid::Uuid>, ()> {
    match &page.after {
        None => Ok(None),
        Some(c) => uuid::Uuid::parse_str(&c.0).map(Some).map_err(|_| ()),
    }
}

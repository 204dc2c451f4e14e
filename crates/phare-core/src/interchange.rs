//! Imports and exports of feedback and ideas. The file formats live in `phare-interchange`;
//! this module turns import items into Phare's records (checking every row against the same
//! rules as the forms, all or nothing) and records into export files. It never reads or writes
//! files itself: bytes in, bytes out.

use crate::feedback::CustomerFields;
use crate::{Action, Actor, CoreError, CoreResult, Phare, RequestMeta};
use phare_domain::validate::optional_line;
use phare_domain::*;
use phare_interchange as ix;
use phare_store::*;
use serde_json::json;
use std::collections::HashMap;

/// Rows one import may hold. Larger files are refused with `too_many_rows`, naming the limit:
/// the whole import is one transaction, which the database holds until it commits.
pub const IMPORT_MAX_ROWS: usize = 100_000;
/// Rows one export may hold (the most one XLSX sheet takes).
pub const EXPORT_MAX_ROWS: usize = 1_048_575;
/// Rows shown in a dry run.
const PREVIEW_ROWS: usize = 20;

/// What to import and how.
#[derive(Clone, Debug)]
pub struct ImportRequest {
    pub product: ProductId,
    /// The file, shared without copying with the thread that reads it during an import.
    pub bytes: bytes::Bytes,
    /// The mapping the person confirmed; detected from the file when absent.
    pub mapping: Option<ix::Mapping>,
    /// Source of feedback rows whose file says none.
    pub default_source: SourceKind,
}

/// A dry run: what would be imported, or what is wrong, by line and column.
#[derive(Clone, Debug)]
pub struct ImportPlan {
    pub mapping: ix::Mapping,
    pub headers: Vec<String>,
    pub total_rows: usize,
    pub sample: Vec<ix::ImportItem>,
    pub problems: Vec<ix::Problem>,
    pub total_problems: usize,
}

pub enum ImportOutcome {
    Done(ImportCounts),
    /// Nothing was stored; the plan lists every problem found.
    Refused(ImportPlan),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExportFormat {
    Csv(ix::Delimiter),
    Xlsx,
    Json,
}

fn limits() -> ix::Limits {
    ix::Limits {
        max_rows: IMPORT_MAX_ROWS,
        ..ix::Limits::default()
    }
}

/// A source as other tools and people write it, in English or French.
pub fn source_from_text(raw: &str) -> Option<SourceKind> {
    let s = raw.trim().to_lowercase().replace(['-', ' '], "_");
    if let Some(k) = SourceKind::parse(&s) {
        return Some(k);
    }
    Some(match s.as_str() {
        "entretien" | "entretien_utilisateur" | "user_interview" => SourceKind::Interview,
        "service_client" | "customer_support" | "helpdesk" | "ticket" => SourceKind::Support,
        "commercial" | "equipe_commerciale" | "équipe_commerciale" | "vente" | "ventes" => {
            SourceKind::Sales
        }
        "brainstorming_interne" | "brainstorm" => SourceKind::TeamBrainstorm,
        "brainstorming_client" => SourceKind::CustomerBrainstorm,
        "donnees" | "données" | "analytics" => SourceKind::Data,
        "veille" | "veille_marche" | "veille_marché" => SourceKind::MarketWatch,
        "club_utilisateurs" | "user_group" => SourceKind::UserClub,
        "portail" | "canny" | "feedback_portal" => SourceKind::Portal,
        "questionnaire" | "enquete" | "enquête" | "nps" => SourceKind::Survey,
        "autre" => SourceKind::Other,
        _ => return None,
    })
}

/// A status of another tool, mapped onto an idea's life cycle.
pub fn status_from_text(raw: &str) -> Option<IdeaStatus> {
    let s = raw.trim().to_lowercase().replace(['-', ' '], "_");
    if let Some(k) = IdeaStatus::parse(&s) {
        return (k != IdeaStatus::Merged).then_some(k);
    }
    Some(match s.as_str() {
        "open" | "to_do" | "todo" | "backlog" | "under_review" | "new" | "triage" | "a_faire"
        | "à_faire" | "en_attente" => IdeaStatus::UnderConsideration,
        "planifie" | "planifié" | "planned" | "next" | "selected_for_development" => {
            IdeaStatus::Planned
        }
        "en_cours" | "started" | "doing" | "in_review" => IdeaStatus::InProgress,
        "done" | "complete" | "completed" | "closed" | "released" | "termine" | "terminé"
        | "livre" | "livré" => IdeaStatus::Shipped,
        "not_planned" | "rejected" | "won't_do" | "wont_do" | "canceled" | "cancelled"
        | "refuse" | "refusé" | "archived" => IdeaStatus::Declined,
        _ => return None,
    })
}

/// Domain field errors of one row become import problems of that line.
fn problems_of(line: usize, errors: Invalid) -> Vec<ix::Problem> {
    errors
        .0
        .into_iter()
        .map(|e| ix::Problem {
            line,
            column: Some(e.field),
            code: e.code,
            detail: None,
        })
        .collect()
}

fn external(mapping: &ix::Mapping, item: &ix::ImportItem) -> Option<(String, String)> {
    item.external_id
        .clone()
        .map(|id| (mapping.source_system.clone(), id))
}

/// One row as a feedback item, checked with the rules of the feedback form.
fn feedback_row(
    actor: &Actor,
    req: &ImportRequest,
    mapping: &ix::Mapping,
    item: &ix::ImportItem,
    at: Timestamp,
) -> Result<NewFeedback, Vec<ix::Problem>> {
    let mut errors = Invalid::new();
    let text = match (&item.title, item.body.trim()) {
        (Some(t), "") => t.clone(),
        (Some(t), body) if !body.starts_with(t.as_str()) => format!("{t}\n\n{body}"),
        (_, body) => body.to_owned(),
    };
    let text = feedback_text(&mut errors, "text", &text);
    let source = match item.source.as_deref().filter(|s| !s.trim().is_empty()) {
        Some(raw) => source_from_text(raw).unwrap_or_else(|| {
            errors.add("source", "unknown_source");
            req.default_source
        }),
        None => req.default_source,
    };
    let customer = item
        .customer
        .as_deref()
        .filter(|c| !c.trim().is_empty())
        .map(|name| {
            let fields = CustomerFields {
                name: name.to_owned(),
                segment: item.segment.clone(),
                ..Default::default()
            };
            CustomerInput {
                name: customer_name(&mut errors, "customer", &fields.name),
                kind: CustomerKind::Organisation,
                segment: fields
                    .segment
                    .as_deref()
                    .and_then(|s| optional_line(&mut errors, "segment", s, SEGMENT_MAX)),
                weight: 1,
            }
        });
    let contact = item
        .contact
        .as_deref()
        .or(item.author.as_deref())
        .and_then(|c| optional_line(&mut errors, "contact", c, CONTACT_MAX));
    let tags = tags(&mut errors, "tags", &item.tags);
    if !errors.is_empty() {
        return Err(problems_of(item.line, errors));
    }
    Ok(NewFeedback {
        id: FeedbackId::new(),
        workspace_id: actor.member.workspace_id,
        product_id: Some(req.product),
        text,
        source,
        customer,
        contact,
        author_id: Some(actor.member.id),
        observed_at: item.created_at.map(to_micros).unwrap_or(at),
        tags,
        external: external(mapping, item),
        now: at,
    })
}

/// One row as an idea, checked with the rules of the idea form. An idea whose file says it is
/// planned but that has no benefit stays a draft: the benefit rule holds for imports too.
fn idea_row(
    actor: &Actor,
    req: &ImportRequest,
    mapping: &ix::Mapping,
    item: &ix::ImportItem,
    at: Timestamp,
) -> Result<NewIdea, Vec<ix::Problem>> {
    let mut errors = Invalid::new();
    let so_that = item.so_that.clone().unwrap_or_default();
    let status = item
        .status
        .as_deref()
        .and_then(status_from_text)
        .filter(|_| !so_that.trim().is_empty())
        .unwrap_or(IdeaStatus::Draft);
    let text = IdeaText {
        title: item.title.clone().unwrap_or_default(),
        as_a: item.as_a.clone().unwrap_or_default(),
        i_want: item.i_want.clone().unwrap_or_default(),
        so_that,
        description: item.body.clone(),
        // Imports bring stories: no tool exports a bug's template in fields of its own.
        ..IdeaText::default()
    }
    .validate(status, &mut errors);
    let tags = tags(&mut errors, "tags", &item.tags);
    if !errors.is_empty() {
        return Err(problems_of(item.line, errors));
    }
    Ok(NewIdea {
        id: IdeaId::new(),
        workspace_id: actor.member.workspace_id,
        product_id: req.product,
        text,
        status,
        owner_id: None,
        tags,
        created_by: Some(actor.member.id),
        evidence: None,
        external: external(mapping, item),
        now: at,
    })
}

impl Phare {
    /// The mapping to use: the confirmed one, or the one detected from the file.
    fn mapping_for(req: &ImportRequest) -> Result<(ix::Mapping, Vec<String>), ix::ImportErrors> {
        let detected = ix::detect(&req.bytes)?;
        Ok((
            req.mapping.clone().unwrap_or(detected.mapping),
            detected.headers,
        ))
    }

    /// Reads and checks every row; `Err` carries the plan with every problem found. With
    /// `sample` (the dry run) the plan also shows the first rows; without it (a commit) the
    /// file is read once, and a second time only to describe problems. Only ideas are kept:
    /// a commit of feedback is fed to the store as it is read ([`Self::import_feedback_fed`]).
    fn rows(
        actor: &Actor,
        req: &ImportRequest,
        sample: bool,
    ) -> Result<(Vec<NewIdea>, ImportPlan), Box<ImportPlan>> {
        let refused =
            |mapping: ix::Mapping, headers: Vec<String>, e: ix::ImportErrors| ImportPlan {
                mapping,
                headers,
                total_rows: 0,
                sample: Vec::new(),
                total_problems: e.total,
                problems: e.problems,
            };
        let (mapping, headers) = match Self::mapping_for(req) {
            Ok(m) => m,
            Err(e) => {
                // The file could not even be read: there is no mapping to propose.
                let none = ix::Mapping {
                    format: ix::Format::Csv {
                        delimiter: ix::Delimiter::Comma,
                    },
                    preset: ix::Preset::Generic,
                    source_system: "csv".into(),
                    kind: ix::ItemKind::Feedback,
                    markup: ix::Markup::Markdown,
                    date_order: ix::DateOrder::MonthFirst,
                    url_template: None,
                    columns: Default::default(),
                };
                return Err(Box::new(refused(none, Vec::new(), e)));
            }
        };
        let full_plan = |mapping: &ix::Mapping, headers: Vec<String>| {
            let preview = ix::preview(&req.bytes, mapping, &limits(), PREVIEW_ROWS);
            ImportPlan {
                mapping: mapping.clone(),
                headers,
                total_rows: preview.total_rows,
                sample: preview.items,
                problems: preview.problems,
                total_problems: preview.total_problems,
            }
        };
        let mut plan = if sample {
            let plan = full_plan(&mapping, headers.clone());
            if plan.total_problems > 0 {
                return Err(Box::new(plan));
            }
            plan
        } else {
            ImportPlan {
                mapping: mapping.clone(),
                headers: headers.clone(),
                total_rows: 0,
                sample: Vec::new(),
                problems: Vec::new(),
                total_problems: 0,
            }
        };
        let at = now();
        let mut ideas = Vec::new();
        let mut problems = Vec::new();
        let scanned = ix::read_each(&req.bytes, &mapping, &limits(), |item| {
            let row = match mapping.kind {
                ix::ItemKind::Feedback => feedback_row(actor, req, &mapping, &item, at).map(drop),
                ix::ItemKind::Idea => {
                    idea_row(actor, req, &mapping, &item, at).map(|i| ideas.push(i))
                }
            };
            if let Err(p) = row {
                problems.extend(p);
            }
        });
        match scanned {
            // The file's own problems (encoding, columns, cells), as the dry run shows them.
            Err(_) if !sample => return Err(Box::new(full_plan(&mapping, headers))),
            Err(e) => {
                plan.total_problems = e.total;
                plan.problems = e.problems;
                return Err(Box::new(plan));
            }
            Ok(total) => plan.total_rows = total,
        }
        if !problems.is_empty() {
            if !sample {
                plan = full_plan(&mapping, plan.headers.clone());
            }
            plan.total_problems = problems.len();
            problems.truncate(100);
            plan.problems = problems;
            return Err(Box::new(plan));
        }
        Ok((ideas, plan))
    }

    /// The dry run: nothing is stored.
    pub async fn import_preview(
        &self,
        actor: &Actor,
        meta: &RequestMeta,
        req: &ImportRequest,
    ) -> CoreResult<ImportPlan> {
        self.check(actor, meta, Action::CurateDiscovery, "import.preview")
            .await?;
        self.store()
            .get_product(actor.member.workspace_id, req.product)
            .await?;
        Ok(match Self::rows(actor, req, true) {
            Ok((_, plan)) => plan,
            Err(plan) => *plan,
        })
    }

    /// Imports every row in one transaction, or none. Rows already imported from the same
    /// source system (same external id) are updated instead of duplicated.
    pub async fn import_commit(
        &self,
        actor: &Actor,
        meta: &RequestMeta,
        req: &ImportRequest,
    ) -> CoreResult<ImportOutcome> {
        self.check(actor, meta, Action::CurateDiscovery, "import.commit")
            .await?;
        self.store()
            .get_product(actor.member.workspace_id, req.product)
            .await?;
        let (mapping, _) = match Self::mapping_for(req) {
            Ok(m) => m,
            Err(_) => return Ok(ImportOutcome::Refused(Self::refusal(actor, req))),
        };
        let counts = match mapping.kind {
            ix::ItemKind::Feedback => match self.import_feedback_fed(actor, req, &mapping).await? {
                Some(counts) => counts,
                None => return Ok(ImportOutcome::Refused(Self::refusal(actor, req))),
            },
            ix::ItemKind::Idea => match Self::rows(actor, req, false) {
                Ok((items, _)) => self.store().import_ideas(items).await?,
                Err(plan) => return Ok(ImportOutcome::Refused(*plan)),
            },
        };
        self.audit_ok(
            actor,
            meta,
            "import.commit",
            "product",
            req.product,
            json!({ "preset": mapping.preset, "kind": mapping.kind,
                    "created": counts.created, "updated": counts.updated }),
        )
        .await;
        Ok(ImportOutcome::Done(counts))
    }

    /// The plan of a file refused at commit, with every problem found in it.
    fn refusal(actor: &Actor, req: &ImportRequest) -> ImportPlan {
        match Self::rows(actor, req, false) {
            Err(plan) => *plan,
            // Unreachable in practice: the commit found a problem this reading did not.
            Ok((_, plan)) => plan,
        }
    }

    /// Imports a file of feedback while reading it: a thread reads and checks the rows and
    /// hands them to the store a chunk at a time, which writes each while the next is read.
    /// The file's items are never all in memory (issue #3: an import's peak memory under four
    /// times the file). `None` when a row or the file has a problem: the reader stops, the
    /// store stores nothing, and the caller reads the file again to list every problem.
    async fn import_feedback_fed(
        &self,
        actor: &Actor,
        req: &ImportRequest,
        mapping: &ix::Mapping,
    ) -> CoreResult<Option<ImportCounts>> {
        let (sender, feed) = feedback_feed(2);
        let (actor, req, mapping) = (actor.clone(), req.clone(), mapping.clone());
        let reader = tokio::task::spawn_blocking(move || {
            let at = now();
            let mut chunk = Vec::with_capacity(FEED_CHUNK);
            // Set at the first bad row or when the store stops reading; the rest of the file is
            // then only scanned.
            let mut stopped = false;
            let mut bad_row = false;
            let scanned = ix::read_each_in_one_pass(&req.bytes, &mapping, &limits(), |item| {
                if stopped {
                    return;
                }
                match feedback_row(&actor, &req, &mapping, &item, at) {
                    Ok(f) => chunk.push(f),
                    Err(_) => (stopped, bad_row) = (true, true),
                }
                if chunk.len() == FEED_CHUNK && sender.send(std::mem::take(&mut chunk)).is_err() {
                    stopped = true;
                }
            });
            if scanned.is_err() || bad_row {
                // Dropping the sender unfinished rolls the store's transaction back.
                return false;
            }
            if !stopped && !chunk.is_empty() {
                stopped = sender.send(chunk).is_err();
            }
            if !stopped {
                // A store that stopped reading says why itself, in its own answer.
                let _ = sender.finish();
            }
            true
        });
        let stored = self.store().import_feedback_feed(feed).await;
        let read_whole_file = reader.await.map_err(|e| {
            CoreError::from(StoreError::Other(format!(
                "the import's reader failed: {e}"
            )))
        })?;
        if !read_whole_file {
            return Ok(None);
        }
        Ok(Some(stored?))
    }

    async fn product_keys(&self, ws: WorkspaceId) -> CoreResult<HashMap<ProductId, String>> {
        let mut keys = HashMap::new();
        let mut page = PageRequest::first(MAX_PAGE_SIZE);
        loop {
            let found = self
                .store()
                .list_products(
                    ws,
                    &ProductFilter {
                        include_archived: true,
                        product_line_id: None,
                    },
                    &page,
                )
                .await?;
            keys.extend(found.items.into_iter().map(|p| (p.id, p.key)));
            match found.next_cursor {
                Some(c) => page = PageRequest::new(Some(c), Some(MAX_PAGE_SIZE)),
                None => return Ok(keys),
            }
        }
    }

    /// The feedback matching the filter, newest first, as a file.
    pub async fn export_feedback(
        &self,
        actor: &Actor,
        meta: &RequestMeta,
        filter: &FeedbackFilter,
        format: ExportFormat,
    ) -> CoreResult<Vec<u8>> {
        self.check(actor, meta, Action::ReadDiscovery, "feedback.export")
            .await?;
        let ws = actor.member.workspace_id;
        let keys = self.product_keys(ws).await?;
        let mut items = Vec::new();
        let mut page = PageRequest::first(MAX_PAGE_SIZE);
        loop {
            let found = self.store().list_feedback(ws, filter, &page).await?;
            items.extend(found.items);
            match found.next_cursor {
                Some(c) if items.len() < EXPORT_MAX_ROWS => {
                    page = PageRequest::new(Some(c), Some(MAX_PAGE_SIZE))
                }
                _ => break,
            }
        }
        items.truncate(EXPORT_MAX_ROWS);
        let columns = [
            "id",
            "product",
            "text",
            "source",
            "origin",
            "state",
            "customer",
            "segment",
            "customer_weight",
            "contact",
            "tags",
            "observed_at",
            "evidence_count",
            "created_at",
            "external_source",
            "external_id",
        ];
        let bytes = write(format, &columns, &items, |f| {
            vec![
                f.id.to_string().into(),
                f.product_id.and_then(|p| keys.get(&p).cloned()).into(),
                // Spreadsheets get the text without markup (the sanitizer's plain-text view);
                // JSON keeps the Markdown source for a faithful round trip.
                markdown::to_plain_text(&f.text).into(),
                f.source.as_str().into(),
                f.origin.as_str().into(),
                f.state.as_str().into(),
                f.customer_name.clone().into(),
                f.customer_segment.clone().into(),
                f.customer_weight.into(),
                f.contact.clone().into(),
                f.tags.join(", ").into(),
                f.observed_at.into(),
                f.evidence_count.into(),
                f.created_at.into(),
                f.external_source.clone().into(),
                f.external_id.clone().into(),
            ]
        })?;
        self.audit_ok(
            actor,
            meta,
            "feedback.export",
            "feedback",
            items.len(),
            json!({ "rows": items.len() }),
        )
        .await;
        Ok(bytes)
    }

    /// A product's ideas (merged ones left out), newest first, as a file.
    pub async fn export_ideas(
        &self,
        actor: &Actor,
        meta: &RequestMeta,
        filter: &IdeaFilter,
        format: ExportFormat,
    ) -> CoreResult<Vec<u8>> {
        self.check(actor, meta, Action::ReadDiscovery, "idea.export")
            .await?;
        let ws = actor.member.workspace_id;
        let mut items = Vec::new();
        let mut page = PageRequest::first(MAX_PAGE_SIZE);
        loop {
            let found = self.store().list_ideas(ws, filter, &page).await?;
            items.extend(found.items);
            match found.next_cursor {
                Some(c) if items.len() < EXPORT_MAX_ROWS => {
                    page = PageRequest::new(Some(c), Some(MAX_PAGE_SIZE))
                }
                _ => break,
            }
        }
        items.truncate(EXPORT_MAX_ROWS);
        let columns = [
            "reference",
            "id",
            "title",
            "as_a",
            "i_want",
            "so_that",
            "description",
            "status",
            "tags",
            "evidence_count",
            "customer_count",
            "demand",
            "vote_count",
            "created_at",
            "external_source",
            "external_id",
        ];
        let bytes = write(format, &columns, &items, |i| {
            vec![
                i.reference.clone().into(),
                i.id.to_string().into(),
                i.title.clone().into(),
                i.as_a.clone().into(),
                i.i_want.clone().into(),
                i.so_that.clone().into(),
                markdown::to_plain_text(&i.description).into(),
                i.status.as_str().into(),
                i.tags.join(", ").into(),
                i.evidence_count.into(),
                i.customer_count.into(),
                i.demand.into(),
                i.vote_count.into(),
                i.created_at.into(),
                i.external_source.clone().into(),
                i.external_id.clone().into(),
            ]
        })?;
        self.audit_ok(
            actor,
            meta,
            "idea.export",
            "idea",
            items.len(),
            json!({ "rows": items.len() }),
        )
        .await;
        Ok(bytes)
    }
}

/// Writes records in a format; JSON carries the records themselves (full fidelity).
fn write<T: serde::Serialize>(
    format: ExportFormat,
    columns: &[&str],
    items: &[T],
    row: impl Fn(&T) -> Vec<ix::Cell>,
) -> CoreResult<Vec<u8>> {
    let failed = |e: ix::ExportError| CoreError::internal(format!("export: {e}"));
    match format {
        ExportFormat::Csv(d) => {
            let mut w = ix::CsvWriter::new(Vec::new(), d).map_err(failed)?;
            w.write_header(columns).map_err(failed)?;
            for item in items {
                w.write_row(&row(item)).map_err(failed)?;
            }
            w.finish().map_err(failed)
        }
        ExportFormat::Xlsx => {
            let mut w = ix::XlsxWriter::new("Phare").map_err(failed)?;
            w.write_header(columns).map_err(failed)?;
            for item in items {
                w.write_row(&row(item)).map_err(failed)?;
            }
            let mut out = Vec::new();
            w.finish(&mut out).map_err(failed)?;
            Ok(out)
        }
        ExportFormat::Json => {
            let mut w = ix::JsonEnvelopeWriter::new(Vec::new(), now()).map_err(failed)?;
            for item in items {
                w.write_item(item).map_err(failed)?;
            }
            w.finish().map_err(failed)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sources_and_statuses_of_other_tools_are_understood() {
        assert_eq!(
            source_from_text("Service client"),
            Some(SourceKind::Support)
        );
        assert_eq!(
            source_from_text("team brainstorm"),
            Some(SourceKind::TeamBrainstorm)
        );
        assert_eq!(source_from_text("Entretien"), Some(SourceKind::Interview));
        assert_eq!(source_from_text("carrier pigeon"), None);
        assert_eq!(
            status_from_text("In Progress"),
            Some(IdeaStatus::InProgress)
        );
        assert_eq!(status_from_text("Won't Do"), Some(IdeaStatus::Declined));
        assert_eq!(status_from_text("merged"), None);
    }
}

//! The canonical import item (INTEROP §1): what Phare upserts on `(source_system, external_id)`.
//! Plain data only; mapping raw statuses, sources and users to Phare's own is the caller's job.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// Phare stores feedback and ideas; bugs, stories and tasks from trackers become ideas.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ItemKind {
    Feedback,
    Idea,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ImportItem {
    /// Where the item starts in the file, for messages: CSV record line (header = 1), JSON index + 1.
    pub line: usize,
    pub kind: ItemKind,
    pub external_id: Option<String>,
    /// The reference people say aloud in the source tool, e.g. `PROJ-12`.
    pub human_key: Option<String>,
    /// "View original"; only http and https addresses are kept.
    pub url: Option<String>,
    pub title: Option<String>,
    /// Markdown, converted from Jira wiki markup or HTML where the source uses them.
    pub body: String,
    /// Raw status text; the caller maps it to a workflow state.
    pub status: Option<String>,
    /// Raw feedback source kind text (e.g. "support", "Entretien"); the caller maps it.
    pub source: Option<String>,
    pub tags: Vec<String>,
    /// A name or an e-mail address, as given.
    pub author: Option<String>,
    pub customer: Option<String>,
    pub segment: Option<String>,
    pub contact: Option<String>,
    pub created_at: Option<DateTime<Utc>>,
    pub votes: Option<u32>,
    /// The user-story parts of an idea, when the file carries them (Phare's own export does).
    pub as_a: Option<String>,
    pub i_want: Option<String>,
    pub so_that: Option<String>,
}

impl ImportItem {
    pub(crate) fn new(line: usize, kind: ItemKind) -> Self {
        ImportItem {
            line,
            kind,
            external_id: None,
            human_key: None,
            url: None,
            title: None,
            body: String::new(),
            status: None,
            source: None,
            tags: Vec::new(),
            author: None,
            customer: None,
            segment: None,
            contact: None,
            created_at: None,
            votes: None,
            as_a: None,
            i_want: None,
            so_that: None,
        }
    }
}

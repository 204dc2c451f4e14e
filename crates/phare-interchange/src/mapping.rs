//! The mapping a person confirms before an import: which column feeds which canonical field,
//! and how to read the file. Plain serde data so a UI can show and edit it; no parsing here.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::{Delimiter, ItemKind};

/// A canonical field of [`crate::ImportItem`] that a column can feed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Field {
    ExternalId,
    HumanKey,
    Url,
    Title,
    Body,
    Status,
    Source,
    Tags,
    Author,
    Customer,
    Segment,
    Contact,
    CreatedAt,
    Votes,
    AsA,
    IWant,
    SoThat,
}

impl Field {
    pub const ALL: [Field; 17] = [
        Field::ExternalId,
        Field::HumanKey,
        Field::Url,
        Field::Title,
        Field::Body,
        Field::Status,
        Field::Source,
        Field::Tags,
        Field::Author,
        Field::Customer,
        Field::Segment,
        Field::Contact,
        Field::CreatedAt,
        Field::Votes,
        Field::AsA,
        Field::IWant,
        Field::SoThat,
    ];

    /// The snake_case name, as serialised; used to name a field no header provides.
    pub fn name(self) -> &'static str {
        match self {
            Field::ExternalId => "external_id",
            Field::HumanKey => "human_key",
            Field::Url => "url",
            Field::Title => "title",
            Field::Body => "body",
            Field::Status => "status",
            Field::Source => "source",
            Field::Tags => "tags",
            Field::Author => "author",
            Field::Customer => "customer",
            Field::Segment => "segment",
            Field::Contact => "contact",
            Field::CreatedAt => "created_at",
            Field::Votes => "votes",
            Field::AsA => "as_a",
            Field::IWant => "i_want",
            Field::SoThat => "so_that",
        }
    }
}

/// The tool a file comes from, recognised by its header signature (INTEROP §2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Preset {
    Jira,
    Linear,
    GithubIssues,
    Trello,
    Canny,
    Productboard,
    Generic,
}

impl Preset {
    /// The first half of the upsert key `(source_system, external_id)`.
    pub fn source_system(self) -> &'static str {
        match self {
            Preset::Jira => "jira",
            Preset::Linear => "linear",
            Preset::GithubIssues => "github",
            Preset::Trello => "trello",
            Preset::Canny => "canny",
            Preset::Productboard => "productboard",
            Preset::Generic => "csv",
        }
    }

    /// Tools whose exports always carry a stable id: a row without one cannot be upserted.
    pub fn requires_external_id(self) -> bool {
        matches!(
            self,
            Preset::Jira | Preset::Linear | Preset::GithubIssues | Preset::Trello
        )
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Format {
    Csv { delimiter: Delimiter },
    Json,
}

/// How the body text is written in the source.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Markup {
    Markdown,
    JiraWiki,
    Html,
}

/// How to read an all-numeric date such as `06/07/2025`; month names and ISO dates need no hint.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DateOrder {
    #[default]
    MonthFirst,
    DayFirst,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Mapping {
    pub format: Format,
    pub preset: Preset,
    pub source_system: String,
    /// The kind every item of the file gets.
    pub kind: ItemKind,
    pub markup: Markup,
    pub date_order: DateOrder,
    /// Builds the url from the human key when no column holds one, e.g.
    /// `https://acme.atlassian.net/browse/{key}`.
    pub url_template: Option<String>,
    /// Column indices per field. Tags take every listed column, body joins them with a blank
    /// line, every other field takes the first non-empty one (e.g. `Reporter` then `Reporter Id`).
    pub columns: BTreeMap<Field, Vec<usize>>,
}

/// Bounds that keep one import from exhausting the server (RELIABILITY R8).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Limits {
    pub max_rows: usize,
    pub max_cell_bytes: usize,
    pub max_columns: usize,
    pub max_problems: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_rows: 1_000_000,
            max_cell_bytes: 100 * 1024,
            max_columns: 1_000,
            max_problems: 100,
        }
    }
}

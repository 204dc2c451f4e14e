//! Header aliases and signatures of each source tool, in one table per preset so they are easy
//! to tune once a real export file is in hand. Data only: matching lives in `detect`.
//!
//! Headers are compared after [`normalize`]: case, accents, spaces, `-` and `_` do not matter.

use crate::{Field, Preset};

/// Field → header aliases, most specific first. For tags every matching column is used;
/// for other fields the first column found in the file wins.
pub(crate) type Aliases = &'static [(Field, &'static [&'static str])];

pub(crate) const JIRA: Aliases = &[
    (Field::ExternalId, &["Issue id"]),
    (Field::HumanKey, &["Issue key"]),
    (Field::Title, &["Summary"]),
    (Field::Body, &["Description"]),
    (Field::Status, &["Status"]),
    (Field::Tags, &["Labels", "Component/s", "Components"]),
    (
        Field::Author,
        &["Reporter", "Reporter Id", "Creator", "Creator Id"],
    ),
    (Field::CreatedAt, &["Created"]),
    (Field::Votes, &["Votes"]),
];

pub(crate) const LINEAR: Aliases = &[
    (Field::ExternalId, &["UUID"]),
    (Field::HumanKey, &["ID"]),
    (Field::Title, &["Title"]),
    (Field::Body, &["Description"]),
    (Field::Status, &["Status"]),
    (Field::Tags, &["Labels"]),
    (Field::Author, &["Creator"]),
    (Field::CreatedAt, &["Created"]),
];

/// Canny's admin CSV export is not verified from a primary source: aliases of its API names.
pub(crate) const CANNY: Aliases = &[
    (Field::ExternalId, &["id", "post id"]),
    (Field::Url, &["url", "post url", "link"]),
    (Field::Title, &["title", "post title"]),
    (Field::Body, &["details", "description"]),
    (Field::Status, &["status"]),
    (Field::Tags, &["tags", "category"]),
    (Field::Author, &["author name", "author email", "author"]),
    (Field::Customer, &["company", "company name"]),
    (Field::CreatedAt, &["created", "created at", "date"]),
    (Field::Votes, &["votes", "score", "vote count"]),
];

/// Productboard notes; the UI export's names are not verified: aliases of its API names.
pub(crate) const PRODUCTBOARD: Aliases = &[
    (Field::ExternalId, &["id", "note id"]),
    (Field::Url, &["display url", "url", "link"]),
    (Field::Title, &["note title", "title"]),
    (Field::Body, &["content", "note content", "note text"]),
    (Field::Status, &["state", "status"]),
    (Field::Source, &["source", "source origin"]),
    (Field::Tags, &["tags"]),
    (Field::Author, &["owner email", "owner"]),
    (
        Field::Contact,
        &["customer email", "user email", "customer"],
    ),
    (
        Field::Customer,
        &["company domain", "company name", "company"],
    ),
    (Field::CreatedAt, &["created", "created at", "createdat"]),
];

/// Phare's own export headers first, then common English and French names.
pub(crate) const GENERIC: Aliases = &[
    (Field::ExternalId, &["external_id", "id", "identifiant"]),
    (Field::HumanKey, &["key", "reference", "ref", "cle"]),
    (Field::Url, &["url", "link", "lien"]),
    (
        Field::Title,
        &["title", "titre", "summary", "resume", "sujet"],
    ),
    (
        Field::Body,
        &[
            "text",
            "texte",
            "feedback",
            "retour",
            "description",
            "body",
            "details",
            "contenu",
        ],
    ),
    (Field::Status, &["status", "statut", "etat", "state"]),
    (Field::Source, &["source", "origine"]),
    (
        Field::Tags,
        &["tags", "etiquettes", "labels", "libelles", "mots cles"],
    ),
    (
        Field::Author,
        &["author", "auteur", "reporter", "created_by", "cree par"],
    ),
    (
        Field::Customer,
        &[
            "customer",
            "client",
            "company",
            "entreprise",
            "organisation",
            "organization",
        ],
    ),
    (Field::Segment, &["segment"]),
    (Field::Contact, &["contact", "email", "e-mail", "courriel"]),
    (
        Field::CreatedAt,
        &[
            "date",
            "observed_at",
            "created",
            "created_at",
            "cree le",
            "date de creation",
        ],
    ),
    (Field::Votes, &["votes", "score"]),
    (Field::AsA, &["as_a", "en tant que"]),
    (Field::IWant, &["i_want", "je veux"]),
    (Field::SoThat, &["so_that", "afin de"]),
];

/// Header names that must all be present for a CSV preset to be recognised (INTEROP §2),
/// tried in this order; a file matching none is `Generic`.
pub(crate) const CSV_SIGNATURES: &[(Preset, &[&str])] = &[
    (Preset::Jira, &["Issue key", "Summary"]),
    (Preset::Linear, &["ID", "Team", "Title", "Cycle Name"]),
    (Preset::Canny, &["title", "details"]),
    (Preset::Canny, &["post title", "details"]),
    (Preset::Productboard, &["note title", "content"]),
    (
        Preset::Productboard,
        &["title", "content", "customer email"],
    ),
    (
        Preset::Productboard,
        &["title", "content", "company domain"],
    ),
];

pub(crate) fn csv_aliases(preset: Preset) -> Aliases {
    match preset {
        Preset::Jira => JIRA,
        Preset::Linear => LINEAR,
        Preset::Canny => CANNY,
        Preset::Productboard => PRODUCTBOARD,
        Preset::Generic | Preset::GithubIssues | Preset::Trello => GENERIC,
    }
}

/// JSON item paths per field: `a.b` walks objects, and arrays on the way are read element by
/// element (`labels.name` gives every label's name). The list of all paths stands in for the
/// header row, so the same mapping and conversion serve CSV and JSON.
pub(crate) type Paths = &'static [(Field, &'static [&'static str])];

/// GitHub REST issues and `gh issue list --json` (camelCase, `url`, `author.login`). The node id
/// comes first: REST calls it `node_id` and `gh` calls it `id`, so both exports upsert the same
/// items; `gh` output without `id` falls back to the issue's address.
pub(crate) const GITHUB: Paths = &[
    (Field::ExternalId, &["node_id", "id", "html_url", "url"]),
    (Field::HumanKey, &["number"]),
    (Field::Url, &["html_url", "url"]),
    (Field::Title, &["title"]),
    (Field::Body, &["body"]),
    (Field::Status, &["state_reason", "stateReason", "state"]),
    (Field::Tags, &["labels.name"]),
    (Field::Author, &["user.login", "author.login"]),
    (Field::CreatedAt, &["created_at", "createdAt"]),
    (Field::Votes, &["reactions.+1"]),
];

/// Canny's API post objects.
pub(crate) const CANNY_JSON: Paths = &[
    (Field::ExternalId, &["id"]),
    (Field::Url, &["url"]),
    (Field::Title, &["title"]),
    (Field::Body, &["details"]),
    (Field::Status, &["status"]),
    (Field::Tags, &["tags.name", "category.name"]),
    (Field::Author, &["author.name", "author.email"]),
    (Field::CreatedAt, &["created"]),
    (Field::Votes, &["score"]),
];

/// Productboard notes (API v1 names, v2 `links.html`).
pub(crate) const PRODUCTBOARD_JSON: Paths = &[
    (Field::ExternalId, &["id"]),
    (Field::Url, &["display_url", "links.html"]),
    (Field::Title, &["title"]),
    (Field::Body, &["content"]),
    (Field::Status, &["state"]),
    (Field::Source, &["source.origin"]),
    (Field::Tags, &["tags", "tags.name"]),
    (Field::Author, &["owner.email"]),
    (
        Field::Contact,
        &["customer_email", "user.email", "customer.email"],
    ),
    (Field::Customer, &["company.domain", "company.name"]),
    (Field::CreatedAt, &["createdAt", "created_at"]),
];

/// Trello cards, flattened by `trello` into these columns first.
pub(crate) const TRELLO: Paths = &[
    (Field::ExternalId, &["id"]),
    (Field::HumanKey, &["idShort"]),
    (Field::Url, &["shortUrl"]),
    (Field::Title, &["name"]),
    (Field::Body, &["desc"]),
    (Field::Status, &["status"]),
    (Field::Tags, &["labels"]),
    (Field::Author, &["author"]),
    (Field::CreatedAt, &["created"]),
    (Field::Votes, &["votes"]),
];

/// `None` for presets that have no JSON form.
pub(crate) fn json_paths(preset: Preset) -> Option<Paths> {
    match preset {
        Preset::GithubIssues => Some(GITHUB),
        Preset::Trello => Some(TRELLO),
        Preset::Canny => Some(CANNY_JSON),
        Preset::Productboard => Some(PRODUCTBOARD_JSON),
        Preset::Jira | Preset::Linear | Preset::Generic => None,
    }
}

/// Lower case, accents folded, runs of spaces, `-` and `_` made one `_`: `Created At`,
/// `created_at` and `créé-le` compare as the people who typed them meant.
pub(crate) fn normalize(header: &str) -> String {
    let mut out = String::with_capacity(header.len());
    for c in header.trim().chars().flat_map(char::to_lowercase) {
        let c = match c {
            'à' | 'â' | 'ä' | 'á' => 'a',
            'é' | 'è' | 'ê' | 'ë' => 'e',
            'î' | 'ï' | 'í' => 'i',
            'ô' | 'ö' | 'ó' => 'o',
            'ù' | 'û' | 'ü' | 'ú' => 'u',
            'ç' => 'c',
            ' ' | '-' | '_' | '\t' => '_',
            other => other,
        };
        if !(c == '_' && out.ends_with('_')) {
            out.push(c);
        }
    }
    out
}

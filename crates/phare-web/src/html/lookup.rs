//! What the discovery pages share: the members, products and customers a page names (read once
//! per request through the use cases), ideas typed by people as `CHK-42`, plain-text excerpts,
//! ids written into long lists, and safe "back" redirects. Nothing here decides anything: the
//! core does.

use super::org::all_pages;
use super::Ctx;
use crate::error::WebError;
use crate::AppState;
use phare_core::RequestMeta;
use phare_domain::{markdown, ErrorCode, IdeaId, MemberId, ProductId};
use phare_store::{Idea, IdeaOwner, Member, Product, ProductFilter};

/// An id written once for a row of a long list, then copied as is wherever the row names it.
///
/// A `Uuid` in a template goes through `Display` and the HTML escaper each time; an inbox row
/// names its item eight times (checkbox, labels, links, button), which was a tenth of the
/// page's rendering. Hex digits and hyphens need no escaping, so askama is told so
/// ([`HtmlSafe`](askama::filters::HtmlSafe)) and writes the text straight
/// ([`FastWritable`](askama::FastWritable)).
pub struct SafeId(String);

impl SafeId {
    pub fn new(id: uuid::Uuid) -> Self {
        Self(id.hyphenated().to_string())
    }
}

impl std::fmt::Display for SafeId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl askama::filters::HtmlSafe for SafeId {}

impl askama::FastWritable for SafeId {
    fn write_into<W: std::fmt::Write + ?Sized>(
        &self,
        dest: &mut W,
        _: &dyn askama::Values,
    ) -> askama::Result<()> {
        Ok(dest.write_str(&self.0)?)
    }
}

/// Every member of the workspace (owner and assignee selects, names in histories).
pub async fn members(
    state: &AppState,
    ctx: &Ctx,
    meta: &RequestMeta,
) -> Result<Vec<Member>, WebError> {
    all_pages(ctx.l, |req| async move {
        state.phare.list_members(&ctx.actor, meta, &req).await
    })
    .await
}

/// Every product, archived ones included so that old feedback still names its product.
pub async fn products(
    state: &AppState,
    ctx: &Ctx,
    meta: &RequestMeta,
) -> Result<Vec<Product>, WebError> {
    let filter = ProductFilter {
        include_archived: true,
        product_line_id: None,
    };
    let filter = &filter;
    all_pages(ctx.l, |req| async move {
        state
            .phare
            .list_products(&ctx.actor, meta, filter, &req)
            .await
    })
    .await
}

/// The first page of customers, for the inbox's customer filter. Past 200 customers, people
/// reach one from the customers page, whose links set the same filter.
pub fn member_name(members: &[Member], id: Option<MemberId>) -> Option<String> {
    let id = id?;
    members.iter().find(|m| m.id == id).map(|m| m.name.clone())
}

/// The name of an idea's owner among a product's owners.
pub fn owner_name(owners: &[IdeaOwner], id: Option<MemberId>) -> Option<String> {
    let id = id?;
    owners.iter().find(|m| m.id == id).map(|m| m.name.clone())
}

pub fn product(products: &[Product], id: Option<ProductId>) -> Option<&Product> {
    let id = id?;
    products.iter().find(|p| p.id == id)
}

/// Parses a path segment or a form value into an id; anything else is a 404 page.
pub fn parse_id<T: std::str::FromStr>(s: &str, ctx: &Ctx) -> Result<T, WebError> {
    s.trim()
        .parse()
        .map_err(|_| WebError::code(ErrorCode::NotFound, ctx.l))
}

/// How a person names an idea in a form.
#[derive(Debug, PartialEq, Eq)]
pub enum IdeaRef<'a> {
    Id(IdeaId),
    /// `CHK-42`: a product key and a number.
    Reference(&'a str, i64),
    /// `42` or `#42`: a number in the product at hand.
    Number(i64),
}

pub fn parse_idea_ref(typed: &str) -> Option<IdeaRef<'_>> {
    let typed = typed.trim();
    if let Ok(id) = typed.parse::<IdeaId>() {
        return Some(IdeaRef::Id(id));
    }
    if let Ok(n) = typed.trim_start_matches('#').parse::<i64>() {
        return (n > 0).then_some(IdeaRef::Number(n));
    }
    phare_domain::parse_reference(typed).map(|(key, n)| IdeaRef::Reference(key, n))
}

/// The idea a person typed: an id, a reference (`CHK-42`, in any product of the workspace) or
/// a bare number in `product`. `Ok(None)` when nothing matches, for the form to say so.
pub async fn find_idea(
    state: &AppState,
    ctx: &Ctx,
    meta: &RequestMeta,
    typed: &str,
    product: Option<&Product>,
    any_product: bool,
) -> Result<Option<Idea>, WebError> {
    let l = ctx.l;
    let found = match parse_idea_ref(typed) {
        None => return Ok(None),
        Some(IdeaRef::Id(id)) => state.phare.get_idea(&ctx.actor, meta, id).await,
        Some(IdeaRef::Number(n)) => match product {
            Some(p) => {
                state
                    .phare
                    .get_idea_by_number(&ctx.actor, meta, p.id, n)
                    .await
            }
            None => return Ok(None),
        },
        Some(IdeaRef::Reference(key, n)) => {
            let key = key.to_uppercase();
            let in_product = product.filter(|p| p.key == key).map(|p| p.id);
            let target = match in_product {
                Some(id) => Some(id),
                None if any_product => products(state, ctx, meta)
                    .await?
                    .into_iter()
                    .find(|p| p.key == key)
                    .map(|p| p.id),
                None => None,
            };
            let Some(pid) = target else { return Ok(None) };
            state
                .phare
                .get_idea_by_number(&ctx.actor, meta, pid, n)
                .await
        }
    };
    match found {
        Ok(idea) => Ok(Some(idea)),
        Err(e) if e.code == ErrorCode::NotFound => Ok(None),
        Err(e) => Err(WebError::new(e, l)),
    }
}

/// The start of a Markdown text as plain text, at most `max` characters, cut between words.
pub fn excerpt(text: &str, max: usize) -> String {
    // Only the start is shown: converting a long text whole to throw most of it away was a
    // tenth of an inbox page's time. The source is cut at the end of the paragraph that holds
    // its 4 × max-th character (room for the Markdown syntax, and links stay whole), and at
    // 16 × max characters at most; a text cut here always ends with "…".
    let at = |n: usize| text.char_indices().nth(n).map(|(i, _)| i);
    let (source, cut_short) = match at(max.saturating_mul(4)) {
        None => (text, false),
        Some(soft) => {
            let hard = at(max.saturating_mul(16)).unwrap_or(text.len());
            let end = text[soft..]
                .find("\n\n")
                .map_or(text.len(), |i| soft + i)
                .min(hard);
            (&text[..end], end < text.len())
        }
    };
    // The plain text has one space between words and line breaks between blocks: they become
    // spaces too.
    let plain = markdown::to_plain_text(source);
    let mut flat = String::with_capacity(plain.len());
    for part in plain.split('\n').filter(|p| !p.is_empty()) {
        if !flat.is_empty() {
            flat.push(' ');
        }
        flat.push_str(part);
    }
    if flat.len() <= max || flat.chars().count() <= max {
        return if cut_short {
            format!("{flat}…")
        } else {
            flat
        };
    }
    let cut: String = flat.chars().take(max).collect();
    let cut = match cut.rfind(' ') {
        Some(i) if i > max / 2 => &cut[..i],
        _ => cut.as_str(),
    };
    format!("{}…", cut.trim_end_matches([',', ';', ':', '.', ' ']))
}

/// A "back" path from a form, if it is a local path: never an open redirect.
pub fn local_path(back: &str) -> Option<&str> {
    (back.starts_with('/') && !back.starts_with("//") && !back.contains('\\')).then_some(back)
}

/// `path` with `done=<what>` added to its query, for the flash message after a redirect.
pub fn with_done(path: &str, done: &str) -> String {
    let (path, fragment) = match path.split_once('#') {
        Some((p, f)) => (p, Some(f)),
        None => (path, None),
    };
    let kept: Vec<(String, String)> = path
        .split_once('?')
        .and_then(|(_, q)| serde_urlencoded::from_str::<Vec<(String, String)>>(q).ok())
        .unwrap_or_default()
        .into_iter()
        .filter(|(k, _)| k != "done")
        .collect();
    let base = path.split('?').next().unwrap_or("/");
    let mut query = kept;
    query.push(("done".into(), done.into()));
    let mut out = format!(
        "{base}?{}",
        serde_urlencoded::to_string(&query).unwrap_or_default()
    );
    if let Some(f) = fragment {
        out.push('#');
        out.push_str(f);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(askama::Template)]
    #[template(source = "<a id=\"item-{{ id }}\" title=\"{{ text }}\">", ext = "html")]
    struct Named<'a> {
        id: SafeId,
        text: &'a str,
    }

    #[test]
    fn a_safe_id_is_written_as_the_uuid_and_other_text_is_still_escaped() {
        use askama::Template;
        let id = uuid::Uuid::now_v7();
        let html = Named {
            id: SafeId::new(id),
            text: "\"<b>",
        }
        .render()
        .unwrap();
        assert_eq!(
            html,
            format!("<a id=\"item-{id}\" title=\"&#34;&#60;b&#62;\">")
        );
    }

    #[test]
    fn people_name_ideas_by_reference_number_or_id() {
        assert_eq!(
            parse_idea_ref(" CHK-42 "),
            Some(IdeaRef::Reference("CHK", 42))
        );
        assert_eq!(parse_idea_ref("#7"), Some(IdeaRef::Number(7)));
        assert_eq!(parse_idea_ref("7"), Some(IdeaRef::Number(7)));
        assert_eq!(parse_idea_ref("0"), None);
        assert_eq!(parse_idea_ref("nothing"), None);
        let id = IdeaId::new();
        assert_eq!(parse_idea_ref(&id.to_string()), Some(IdeaRef::Id(id)));
    }

    #[test]
    fn excerpts_are_plain_text_cut_between_words() {
        assert_eq!(excerpt("**Export** to _PDF_", 50), "Export to PDF");
        // Lines, blocks and list items run on, one space apart.
        assert_eq!(
            excerpt(
                "Slow  export\nof reports\n\n\n- Monday\r\n- Friday\u{a0} too",
                80
            ),
            "Slow export of reports Monday Friday too"
        );
        // A long text is converted from its start only, and says it goes on.
        let long = format!("**Start** {}", "mot ".repeat(10_000));
        let e = excerpt(&long, 40);
        assert!(e.starts_with("Start mot mot"), "{e}");
        assert!(e.ends_with('…') && e.chars().count() <= 41, "{e}");
        let links = format!("[a]({}) b\n\nnext", "x".repeat(500));
        assert_eq!(excerpt(&links, 40), "a b…");
        let e = excerpt("The export to PDF fails on large reports every Monday", 30);
        assert!(e.ends_with('…') && e.chars().count() <= 31, "{e}");
        assert!(!e.contains("<"));
    }

    #[test]
    fn back_paths_stay_on_this_site_and_carry_the_flash() {
        assert_eq!(local_path("//evil.example"), None);
        assert_eq!(local_path("https://evil.example"), None);
        assert_eq!(local_path("/inbox?state=new"), Some("/inbox?state=new"));
        assert_eq!(
            with_done("/inbox?state=new&done=x", "feedback_archived"),
            "/inbox?state=new&done=feedback_archived"
        );
        assert_eq!(
            with_done("/feedback/1#link", "evidence_added"),
            "/feedback/1?done=evidence_added#link"
        );
    }

    #[test]
    fn the_discovery_messages_are_loaded_beside_the_main_ones() {
        use crate::i18n::L10n;
        use phare_domain::Locale;
        let fr = L10n::new(Locale::Fr);
        assert_eq!(fr.t("nav-inbox"), "Boîte de réception");
        assert_eq!(
            fr.tv("source", phare_domain::SourceKind::Support),
            "Service client"
        );
        assert_eq!(fr.t1("count-ideas", "count", 2), "2 idées");
        let en = L10n::new(Locale::En);
        assert!(en.has("field-benefit_required"));
        assert!(en.has("nav-home") && en.has("nav-inbox"));
    }

    /// The keys written literally in templates and page handlers (`.t("…")`, `.t1("…"`,
    /// `.ta("…"`), and the enumerated values shown with `tv`.
    fn named_keys() -> Vec<String> {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut sources = Vec::new();
        for dir in ["templates", "src/html"] {
            for entry in std::fs::read_dir(root.join(dir)).unwrap() {
                sources.push(std::fs::read_to_string(entry.unwrap().path()).unwrap());
            }
        }
        let mut keys = Vec::new();
        for src in &sources {
            for call in [".t(\"", ".t1(\"", ".ta(\""] {
                for (i, _) in src.match_indices(call) {
                    let rest = &src[i + call.len()..];
                    if let Some(end) = rest.find('"') {
                        let key = &rest[..end];
                        if !key.is_empty()
                            && key
                                .chars()
                                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
                        {
                            keys.push(key.to_owned());
                        }
                    }
                }
            }
        }
        use phare_domain::*;
        let values: Vec<(&str, Vec<&str>)> = vec![
            (
                "source",
                SourceKind::ALL.iter().map(|v| v.as_str()).collect(),
            ),
            ("origin", Origin::ALL.iter().map(|v| v.as_str()).collect()),
            (
                "feedback-state",
                FeedbackState::ALL.iter().map(|v| v.as_str()).collect(),
            ),
            (
                "bulk-to",
                FeedbackState::ALL.iter().map(|v| v.as_str()).collect(),
            ),
            (
                "inbox-empty",
                FeedbackState::ALL.iter().map(|v| v.as_str()).collect(),
            ),
            (
                "importance",
                Importance::ALL.iter().map(|v| v.as_str()).collect(),
            ),
            (
                "idea-status",
                IdeaStatus::ALL.iter().map(|v| v.as_str()).collect(),
            ),
            (
                "customer-kind",
                CustomerKind::ALL.iter().map(|v| v.as_str()).collect(),
            ),
            (
                "search-kind",
                SearchKind::ALL.iter().map(|v| v.as_str()).collect(),
            ),
            (
                "hint",
                vec![
                    "title_missing",
                    "missing_role",
                    "generic_role",
                    "missing_want",
                    "vague_verb",
                    "missing_benefit",
                    "benefit_repeats_want",
                    "want_too_long",
                    "story_too_long",
                ],
            ),
        ];
        for (prefix, vs) in values {
            keys.extend(vs.into_iter().map(|v| format!("{prefix}-{v}")));
        }
        keys.sort();
        keys.dedup();
        keys
    }

    /// The message ids defined by every file of a language.
    fn defined(lang: &str) -> std::collections::BTreeSet<String> {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("locales")
            .join(lang);
        let mut ids = std::collections::BTreeSet::new();
        for entry in std::fs::read_dir(dir).unwrap() {
            let text = std::fs::read_to_string(entry.unwrap().path()).unwrap();
            for line in text.lines() {
                if line.starts_with([' ', '#', '.']) {
                    continue;
                }
                if let Some((id, _)) = line.split_once('=') {
                    ids.insert(id.trim().to_owned());
                }
            }
        }
        ids
    }

    #[test]
    fn every_message_a_page_names_exists_in_both_languages() {
        let keys = named_keys();
        assert!(keys.len() > 250, "the scan found only {} keys", keys.len());
        for lang in ["en", "fr"] {
            let ids = defined(lang);
            let missing: Vec<&String> = keys.iter().filter(|k| !ids.contains(*k)).collect();
            assert!(missing.is_empty(), "{lang} lacks {missing:?}");
        }
    }
}

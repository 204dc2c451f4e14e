//! The public pages of a portal: the idea list (trending, top, newest, by status), an idea with
//! its comments, the submission form, signing in with a one-time code, and the actions (vote,
//! unvote, comment, follow) as plain forms that redirect back.

use super::{portal_cookie, Visit};
use crate::auth::Meta;
use crate::error::{PageResult, WebError};
use crate::html::{is_form_error, render, render_status, see_other, FormErrors};
use crate::i18n::L10n;
use crate::AppState;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use phare_core::{PortalIdeaLookup, SubmissionInput};
use phare_domain::{
    markdown, BugReport, ErrorCode, IdeaId, IdeaKind, IdeaStatus, Locale, PortalSort, Severity,
};
use phare_store::{Cursor, PageRequest, PortalComment, PortalIdea};
use serde::Deserialize;
use std::collections::HashMap;

/// Ideas per page of the list.
const PAGE_SIZE: u32 = 30;
/// Comments per page of an idea.
const COMMENTS_PAGE: u32 = 100;
/// Characters of a description shown in the list.
const EXCERPT_CHARS: usize = 180;

/// The statuses the public may filter on: what the team decided. Drafts are shown as "open"
/// but are not a filter of their own.
const PUBLIC_STATUSES: [IdeaStatus; 5] = [
    IdeaStatus::UnderConsideration,
    IdeaStatus::Planned,
    IdeaStatus::InProgress,
    IdeaStatus::Shipped,
    IdeaStatus::Declined,
];

/// The number in an idea's address (`…/ideas/12`); anything else is the portal's 404.
fn number_of(params: &HashMap<String, String>, l: L10n) -> Result<i64, WebError> {
    params
        .get("number")
        .and_then(|n| n.parse::<i64>().ok())
        .filter(|n| *n > 0)
        .ok_or_else(|| WebError::code(ErrorCode::NotFound, l))
}

/// A flash message named in the query (`?done=voted`), when it is one of ours.
fn flash(l: L10n, done: &str) -> Option<String> {
    let key = format!("portal-flash-{done}");
    (!done.is_empty() && l.has(&key)).then(|| l.t(&key))
}

fn excerpt(markdown_text: &str) -> String {
    let plain = markdown::to_plain_text(markdown_text);
    let plain = plain.split_whitespace().collect::<Vec<_>>().join(" ");
    if plain.chars().count() <= EXCERPT_CHARS {
        plain
    } else {
        let cut: String = plain.chars().take(EXCERPT_CHARS).collect();
        format!("{}…", cut.trim_end())
    }
}

/// Sign in first, then come back here.
fn to_sign_in(v: &Visit, back: &str) -> Response {
    let next = serde_urlencoded::to_string([("next", back)]).unwrap_or_default();
    see_other(&format!("{}/sign-in?{next}", v.base))
}

// --- the list -------------------------------------------------------------------------------

#[derive(Deserialize, Default)]
pub struct ListQuery {
    #[serde(default)]
    sort: String,
    #[serde(default)]
    status: String,
    #[serde(default)]
    after: String,
    #[serde(default)]
    done: String,
}

#[derive(Template)]
#[template(path = "portal_list.html")]
struct ListPage {
    v: Visit,
    ideas: Vec<PortalIdea>,
    voted: Vec<IdeaId>,
    sort: PortalSort,
    status: Option<IdeaStatus>,
    statuses: [IdeaStatus; 5],
    sorts: &'static [PortalSort],
    next: Option<String>,
    flash: Option<String>,
}

impl ListPage {
    fn has_voted(&self, i: &PortalIdea) -> bool {
        self.voted.contains(&i.idea_id)
    }
    fn excerpt(&self, i: &PortalIdea) -> String {
        excerpt(&i.description)
    }
    fn href(&self, sort: PortalSort, status: Option<IdeaStatus>) -> String {
        let mut q = vec![("sort", sort.as_str())];
        if let Some(s) = &status {
            q.push(("status", s.as_str()));
        }
        format!(
            "{}?{}",
            self.v.base,
            serde_urlencoded::to_string(q).unwrap_or_default()
        )
    }
    fn sort_href(&self, sort: &PortalSort) -> String {
        self.href(*sort, self.status)
    }
    fn status_href(&self, status: Option<&IdeaStatus>) -> String {
        self.href(self.sort, status.copied())
    }
    /// The button's full name for screen readers: what it does, to which idea, how many so far.
    fn vote_label(&self, i: &PortalIdea) -> String {
        let key = if self.has_voted(i) {
            "portal-unvote-label"
        } else {
            "portal-vote-label"
        };
        self.v.l.ta(
            key,
            &[
                ("title", i.title.clone()),
                ("count", i.vote_count.to_string()),
            ],
        )
    }
    fn sort_current(&self, sort: &PortalSort) -> &'static str {
        if *sort == self.sort {
            "page"
        } else {
            "false"
        }
    }
    fn status_current(&self, s: Option<&IdeaStatus>) -> &'static str {
        if s.copied() == self.status {
            "page"
        } else {
            "false"
        }
    }
    /// Where a vote sends the visitor back: this very list, at the idea.
    fn back(&self) -> &str {
        &self.v.path
    }
}

pub async fn list(
    State(state): State<AppState>,
    v: Visit,
    Query(q): Query<ListQuery>,
) -> Result<Response, WebError> {
    let l = v.l;
    let sort = PortalSort::parse(&q.sort).unwrap_or(PortalSort::Trending);
    let status = IdeaStatus::parse(&q.status).filter(|s| PUBLIC_STATUSES.contains(s));
    let page = state
        .phare
        .portal_ideas(
            &v.portal,
            sort,
            status,
            &PageRequest::new(Cursor::decode(&q.after), Some(PAGE_SIZE)),
        )
        .await
        .page(l)?;
    let voted = match &v.visitor {
        Some(visitor) => {
            let ids: Vec<IdeaId> = page.items.iter().map(|i| i.idea_id).collect();
            state.phare.portal_voted(visitor, &ids).await.page(l)?
        }
        None => Vec::new(),
    };
    let next = page.next_cursor.map(|c| {
        let mut params = vec![("sort", sort.as_str().to_owned())];
        if let Some(s) = status {
            params.push(("status", s.as_str().to_owned()));
        }
        params.push(("after", c.encode()));
        format!(
            "{}?{}",
            v.base,
            serde_urlencoded::to_string(params).unwrap_or_default()
        )
    });
    let flash = flash(l, &q.done);
    render(
        &ListPage {
            v,
            ideas: page.items,
            voted,
            sort,
            status,
            statuses: PUBLIC_STATUSES,
            sorts: PortalSort::ALL,
            next,
            flash,
        },
        l,
    )
}

// --- an idea --------------------------------------------------------------------------------

#[derive(Deserialize, Default)]
pub struct IdeaQuery {
    #[serde(default)]
    done: String,
    #[serde(default)]
    after: String,
}

#[derive(Template)]
#[template(path = "portal_idea.html")]
struct IdeaPage {
    v: Visit,
    idea: PortalIdea,
    description: String,
    comments: Vec<(PortalComment, String)>,
    more_comments: Option<String>,
    voted: bool,
    subscribed: bool,
    errors: FormErrors,
    body: String,
    flash: Option<String>,
    // specs (issue 4): the public documentation page, when there is one.
    doc_url: Option<String>,
}

impl IdeaPage {
    fn idea_path(&self) -> String {
        format!("{}/ideas/{}", self.v.base, self.idea.number)
    }
    fn vote_label(&self) -> String {
        let key = if self.voted {
            "portal-unvote-label"
        } else {
            "portal-vote-label"
        };
        self.v.l.ta(
            key,
            &[
                ("title", self.idea.title.clone()),
                ("count", self.idea.vote_count.to_string()),
            ],
        )
    }
    fn author(&self, c: &PortalComment) -> String {
        if c.author_name.is_empty() {
            self.v.l.t("portal-someone")
        } else {
            c.author_name.clone()
        }
    }
}

async fn idea_page(
    state: &AppState,
    v: Visit,
    number: i64,
    errors: FormErrors,
    body: String,
    q: IdeaQuery,
) -> Result<Response, WebError> {
    let l = v.l;
    let idea = match state.phare.portal_idea(&v.portal, number).await.page(l)? {
        PortalIdeaLookup::Found(i) => i,
        PortalIdeaLookup::MergedInto(n) => {
            return Ok(Redirect::permanent(&format!("{}/ideas/{n}", v.base)).into_response())
        }
    };
    let comments = state
        .phare
        .portal_comments(
            &v.portal,
            &idea,
            &PageRequest::new(Cursor::decode(&q.after), Some(COMMENTS_PAGE)),
        )
        .await
        .page(l)?;
    let (voted, subscribed) = match &v.visitor {
        Some(visitor) => (
            !state
                .phare
                .portal_voted(visitor, &[idea.idea_id])
                .await
                .page(l)?
                .is_empty(),
            state
                .phare
                .portal_is_subscribed(visitor, &idea)
                .await
                .page(l)?,
        ),
        None => (false, false),
    };
    let more_comments = comments.next_cursor.map(|c| {
        format!(
            "{}/ideas/{}?after={}#comments",
            v.base,
            idea.number,
            c.encode()
        )
    });
    let status = if errors.any() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    let flash = flash(l, &q.done);
    let doc_url = super::specs::doc_url(state, &v, &idea).await;
    let page = IdeaPage {
        doc_url,
        description: markdown::render(&idea.description),
        comments: comments
            .items
            .into_iter()
            .map(|c| {
                let html = markdown::render(&c.body);
                (c, html)
            })
            .collect(),
        v,
        idea,
        more_comments,
        voted,
        subscribed,
        errors,
        body,
        flash,
    };
    render_status(status, &page, l)
}

pub async fn idea(
    State(state): State<AppState>,
    v: Visit,
    Path(params): Path<HashMap<String, String>>,
    Query(q): Query<IdeaQuery>,
) -> Result<Response, WebError> {
    let number = number_of(&params, v.l)?;
    idea_page(&state, v, number, FormErrors::default(), String::new(), q).await
}

// --- votes and follows ------------------------------------------------------------------------

#[derive(Deserialize, Default)]
pub struct BackForm {
    #[serde(default)]
    back: String,
}

#[derive(Clone, Copy)]
enum Act {
    Vote,
    Unvote,
    Follow,
    Unfollow,
}

async fn act(
    state: AppState,
    v: Visit,
    meta: phare_core::RequestMeta,
    params: HashMap<String, String>,
    f: BackForm,
    what: Act,
) -> Result<Response, WebError> {
    let l = v.l;
    let number = number_of(&params, l)?;
    let default_back = format!("{}/ideas/{number}", v.base);
    let back = v.safe_back(if f.back.is_empty() {
        &default_back
    } else {
        &f.back
    });
    let Some(visitor) = v.visitor.clone() else {
        return Ok(to_sign_in(&v, &back));
    };
    let done = match what {
        Act::Vote => {
            state
                .phare
                .portal_vote(&v.portal, &visitor, &meta, number)
                .await
                .page(l)?;
            "voted"
        }
        Act::Unvote => {
            state
                .phare
                .portal_unvote(&v.portal, &visitor, &meta, number)
                .await
                .page(l)?;
            "unvoted"
        }
        Act::Follow | Act::Unfollow => {
            let on = matches!(what, Act::Follow);
            state
                .phare
                .portal_subscribe(&v.portal, &visitor, number, on)
                .await
                .page(l)?;
            if on {
                "followed"
            } else {
                "unfollowed"
            }
        }
    };
    // Back where the visitor was, with a word of what happened, at the idea they acted on.
    let (path, fragment) = back.split_once('#').unwrap_or((back.as_str(), ""));
    let _ = fragment;
    let (path, query) = path.split_once('?').unwrap_or((path, ""));
    let mut params: Vec<(String, String)> = serde_urlencoded::from_str(query).unwrap_or_default();
    params.retain(|(k, _)| k != "done");
    params.push(("done".into(), done.into()));
    Ok(see_other(&format!(
        "{path}?{}#idea-{number}",
        serde_urlencoded::to_string(params).unwrap_or_default()
    )))
}

pub async fn vote(
    State(state): State<AppState>,
    v: Visit,
    Meta(meta): Meta,
    Path(params): Path<HashMap<String, String>>,
    Form(f): Form<BackForm>,
) -> Result<Response, WebError> {
    act(state, v, meta, params, f, Act::Vote).await
}

pub async fn unvote(
    State(state): State<AppState>,
    v: Visit,
    Meta(meta): Meta,
    Path(params): Path<HashMap<String, String>>,
    Form(f): Form<BackForm>,
) -> Result<Response, WebError> {
    act(state, v, meta, params, f, Act::Unvote).await
}

pub async fn subscribe(
    State(state): State<AppState>,
    v: Visit,
    Meta(meta): Meta,
    Path(params): Path<HashMap<String, String>>,
    Form(f): Form<BackForm>,
) -> Result<Response, WebError> {
    act(state, v, meta, params, f, Act::Follow).await
}

pub async fn unsubscribe(
    State(state): State<AppState>,
    v: Visit,
    Meta(meta): Meta,
    Path(params): Path<HashMap<String, String>>,
    Form(f): Form<BackForm>,
) -> Result<Response, WebError> {
    act(state, v, meta, params, f, Act::Unfollow).await
}

// --- comments -------------------------------------------------------------------------------

#[derive(Deserialize, Default)]
pub struct CommentForm {
    #[serde(default)]
    body: String,
}

pub async fn comment(
    State(state): State<AppState>,
    v: Visit,
    Meta(meta): Meta,
    Path(params): Path<HashMap<String, String>>,
    Form(f): Form<CommentForm>,
) -> Result<Response, WebError> {
    let l = v.l;
    let number = number_of(&params, l)?;
    let Some(visitor) = v.visitor.clone() else {
        let back = format!("{}/ideas/{number}#comment-form", v.base);
        return Ok(to_sign_in(&v, &back));
    };
    match state
        .phare
        .portal_comment(&v.portal, &visitor, &meta, number, &f.body)
        .await
    {
        Ok(c) => Ok(see_other(&format!(
            "{}/ideas/{number}?done=commented#comment-{}",
            v.base, c.id
        ))),
        Err(e) if is_form_error(&e) => {
            let errors = FormErrors::from_core(&e, l);
            idea_page(&state, v, number, errors, f.body, IdeaQuery::default()).await
        }
        Err(e) => Err(WebError::new(e, l)),
    }
}

// --- submitting an idea -----------------------------------------------------------------------

#[derive(Template)]
#[template(path = "portal_submit.html")]
struct SubmitPage {
    v: Visit,
    errors: FormErrors,
    form: SubmitForm,
    kinds: &'static [IdeaKind],
    severities: &'static [Severity],
}

impl SubmitPage {
    fn new(v: Visit, errors: FormErrors, form: SubmitForm) -> Self {
        Self {
            v,
            errors,
            form,
            kinds: IdeaKind::ALL,
            severities: Severity::ALL,
        }
    }
}

#[derive(Deserialize, Default)]
pub struct SubmitQuery {
    /// `bug` opens the form as a problem report.
    #[serde(default)]
    kind: String,
}

pub async fn submit_form(v: Visit, Query(q): Query<SubmitQuery>) -> Result<Response, WebError> {
    let l = v.l;
    let form = SubmitForm {
        kind: IdeaKind::parse(&q.kind)
            .unwrap_or_default()
            .as_str()
            .to_owned(),
        ..SubmitForm::default()
    };
    render(&SubmitPage::new(v, FormErrors::default(), form), l)
}

#[derive(Deserialize, Default)]
pub struct SubmitForm {
    /// `story` or `bug`.
    #[serde(default)]
    kind: String,
    #[serde(default)]
    title: String,
    #[serde(default)]
    description: String,
    #[serde(default)]
    steps: String,
    #[serde(default)]
    expected: String,
    #[serde(default)]
    actual: String,
    #[serde(default)]
    environment: String,
    #[serde(default)]
    severity: String,
    /// The honeypot: hidden from people (and from assistive technology), filled by robots.
    #[serde(default)]
    website: String,
}

pub async fn submit(
    State(state): State<AppState>,
    v: Visit,
    Meta(meta): Meta,
    Form(f): Form<SubmitForm>,
) -> Result<Response, WebError> {
    let l = v.l;
    let Some(visitor) = v.visitor.clone() else {
        let back = format!("{}/submit", v.base);
        return Ok(to_sign_in(&v, &back));
    };
    let input = SubmissionInput {
        kind: IdeaKind::parse(&f.kind).unwrap_or_default(),
        title: f.title.clone(),
        description: f.description.clone(),
        bug: BugReport {
            steps: f.steps.clone(),
            expected: f.expected.clone(),
            actual: f.actual.clone(),
            environment: f.environment.clone(),
            severity: Severity::parse(&f.severity),
        },
        honeypot: f.website.clone(),
    };
    match state
        .phare
        .portal_submit(&v.portal, &visitor, &meta, input)
        .await
    {
        Ok(_) => Ok(see_other(&format!("{}?done=submitted", v.base))),
        Err(e) if is_form_error(&e) => render_status(
            StatusCode::UNPROCESSABLE_ENTITY,
            &SubmitPage::new(v, FormErrors::from_core(&e, l), f),
            l,
        ),
        Err(e) => Err(WebError::new(e, l)),
    }
}

// --- signing in -------------------------------------------------------------------------------

#[derive(Template)]
#[template(path = "portal_sign_in.html")]
struct SignInPage {
    v: Visit,
    errors: FormErrors,
    email: String,
    display_name: String,
    next: String,
}

#[derive(Template)]
#[template(path = "portal_code.html")]
struct CodePage {
    v: Visit,
    errors: FormErrors,
    email: String,
    next: String,
}

impl CodePage {
    /// Back to the first step, to ask for another code.
    fn again_href(&self) -> String {
        let next = serde_urlencoded::to_string([("next", self.next.as_str())]).unwrap_or_default();
        format!("{}/sign-in?{next}", self.v.base)
    }
}

#[derive(Deserialize, Default)]
pub struct NextQuery {
    #[serde(default)]
    next: String,
}

pub async fn sign_in_form(v: Visit, Query(q): Query<NextQuery>) -> Result<Response, WebError> {
    let l = v.l;
    let next = v.safe_back(&q.next);
    render(
        &SignInPage {
            v,
            errors: FormErrors::default(),
            email: String::new(),
            display_name: String::new(),
            next,
        },
        l,
    )
}

#[derive(Deserialize, Default)]
pub struct SignInForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    display_name: String,
    #[serde(default)]
    next: String,
}

/// Sends a code and shows the form to type it (the address stays in the form, never in a URL).
pub async fn sign_in(
    State(state): State<AppState>,
    v: Visit,
    Meta(meta): Meta,
    Form(f): Form<SignInForm>,
) -> Result<Response, WebError> {
    let l = v.l;
    let next = v.safe_back(&f.next);
    match state
        .phare
        .request_portal_code(&v.portal, &meta, &f.email, &f.display_name, l.locale)
        .await
    {
        Ok(email) => render(
            &CodePage {
                v,
                errors: FormErrors::default(),
                email,
                next,
            },
            l,
        ),
        Err(e) if is_form_error(&e) => render_status(
            StatusCode::UNPROCESSABLE_ENTITY,
            &SignInPage {
                errors: FormErrors::from_core(&e, l),
                v,
                email: f.email,
                display_name: f.display_name,
                next,
            },
            l,
        ),
        Err(e) => Err(WebError::new(e, l)),
    }
}

#[derive(Deserialize, Default)]
pub struct CodeForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    code: String,
    #[serde(default)]
    next: String,
}

pub async fn verify_code(
    State(state): State<AppState>,
    v: Visit,
    Meta(meta): Meta,
    Form(f): Form<CodeForm>,
) -> Result<Response, WebError> {
    let l = v.l;
    let next = v.safe_back(&f.next);
    match state
        .phare
        .verify_portal_code(&v.portal, &meta, &f.email, &f.code)
        .await
    {
        Ok((sid, _)) => {
            let cookie = portal_cookie(&state, &sid, 30 * 24 * 3600);
            let (path, query) = next.split_once('?').unwrap_or((next.as_str(), ""));
            let (query, fragment) = query.split_once('#').unwrap_or((query, ""));
            let (path, fragment) = if query.is_empty() {
                path.split_once('#').unwrap_or((path, fragment))
            } else {
                (path, fragment)
            };
            let mut params: Vec<(String, String)> =
                serde_urlencoded::from_str(query).unwrap_or_default();
            params.retain(|(k, _)| k != "done");
            params.push(("done".into(), "signed_in".into()));
            let hash = if fragment.is_empty() {
                String::new()
            } else {
                format!("#{fragment}")
            };
            let to = format!(
                "{path}?{}{hash}",
                serde_urlencoded::to_string(params).unwrap_or_default()
            );
            Ok(([(header::SET_COOKIE, cookie)], Redirect::to(&to)).into_response())
        }
        Err(e) if is_form_error(&e) => render_status(
            StatusCode::UNPROCESSABLE_ENTITY,
            &CodePage {
                errors: FormErrors::from_core(&e, l),
                v,
                email: f.email.trim().to_lowercase(),
                next,
            },
            l,
        ),
        Err(e) => Err(WebError::new(e, l)),
    }
}

pub async fn sign_out(State(state): State<AppState>, v: Visit) -> Result<Response, WebError> {
    let l = v.l;
    if let Some(visitor) = &v.visitor {
        state.phare.portal_sign_out(visitor).await.page(l)?;
    }
    let cookie = portal_cookie(&state, "", 0);
    Ok((
        [(header::SET_COOKIE, cookie)],
        Redirect::to(&format!("{}?done=signed_out", v.base)),
    )
        .into_response())
}

#[derive(Deserialize, Default)]
pub struct LanguageForm {
    #[serde(default)]
    locale: String,
    #[serde(default)]
    back: String,
}

/// The portal's language switch: a cookie, and back to the same portal page.
pub async fn language(v: Visit, Form(f): Form<LanguageForm>) -> Result<Response, WebError> {
    let Some(locale) = Locale::parse(&f.locale) else {
        return Err(WebError::code(ErrorCode::BadRequest, v.l));
    };
    let cookie = format!(
        "{}={}; Path=/; SameSite=Lax; Max-Age=31536000",
        crate::auth::LANG_COOKIE,
        locale.as_str()
    );
    let back = v.safe_back(&f.back);
    Ok(([(header::SET_COOKIE, cookie)], Redirect::to(&back)).into_response())
}

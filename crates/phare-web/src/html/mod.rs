//! Server-rendered pages. Each page is an askama template struct; each form posts to a plain
//! route and redirects (POST/redirect/GET), so everything works without JavaScript.

mod account;
mod audit;
// scoring slice (issue #4)
mod backlog;
mod competitors;
mod customers;
// decisions (issue #4)
mod decisions;
mod feedback;
mod ideas;
mod imports;
mod inbox;
mod lookup;
mod members;
mod notes;
mod org;
mod personas;
// scoring slice (issue #4)
mod scoring;
mod search;
mod setup;
// specs (issue 4)
pub(crate) mod specs;
// Stakeholder sessions (issue #4 part 3).
pub(crate) mod stakeholders;

use crate::auth::{self, Lang};
use crate::error::{PageResult, WebError};
use crate::i18n::L10n;
use crate::AppState;
use askama::Template;
use axum::extract::{FromRequestParts, State};
use axum::http::request::Parts;
use axum::http::{header, StatusCode};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use phare_core::{Action, Actor, CoreError};
use phare_domain::{ErrorCode, Locale, Role};
use serde::Deserialize;

/// The import page of a product: its form posts a file, so it gets the import body limit (see
/// `crate::router`).
pub fn import_router() -> Router<AppState> {
    Router::new().route(
        "/products/{id}/import",
        get(imports::page).post(imports::submit),
    )
}

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/", get(org::home))
        .route("/setup", get(setup::setup_form).post(setup::setup_submit))
        .route(
            "/login",
            get(account::login_form).post(account::login_submit),
        )
        .route("/logout", post(account::logout))
        .route("/locale", post(switch_locale))
        .route(
            "/profile",
            get(account::profile).post(account::profile_submit),
        )
        .route("/profile/password", post(account::password_submit))
        .route("/tokens", get(account::tokens).post(account::token_create))
        .route("/tokens/{id}/revoke", post(account::token_revoke))
        .route(
            "/invitations/{token}",
            get(setup::invitation_form).post(setup::invitation_submit),
        )
        .route("/products", get(org::products).post(org::product_create))
        .route("/products/new", get(org::product_new))
        .route(
            "/products/{id}",
            get(org::product_show).post(org::product_update),
        )
        .route("/products/{id}/edit", get(org::product_edit))
        .route("/products/{id}/archive", post(org::product_archive))
        .route("/products/{id}/raci", post(org::product_raci))
        .route("/product-lines", get(org::lines).post(org::line_create))
        .route("/product-lines/new", get(org::line_new))
        .route(
            "/product-lines/{id}",
            get(org::line_edit).post(org::line_update),
        )
        .route("/product-lines/{id}/delete", post(org::line_delete))
        .route("/members", get(members::list))
        .route("/members/invitations", post(members::invite))
        .route(
            "/members/invitations/{id}/revoke",
            post(members::revoke_invitation),
        )
        .route("/members/{id}", get(members::show).post(members::update))
        .route("/members/{id}/password", post(members::reset_password))
        .route(
            "/settings",
            get(members::settings).post(members::settings_submit),
        )
        .route("/audit", get(audit::list))
        // Discovery: the inbox, feedback, evidence, ideas, search, customers.
        .route(
            "/inbox",
            get(inbox::workspace).post(inbox::capture_workspace),
        )
        .route("/inbox/bulk", post(inbox::bulk))
        .route(
            "/products/{id}/inbox",
            get(inbox::product).post(inbox::capture_product),
        )
        .route("/feedback/{id}", get(feedback::show).post(feedback::update))
        .route("/feedback/{id}/edit", get(feedback::edit))
        .route("/feedback/{id}/delete", post(feedback::delete))
        .route("/feedback/{id}/evidence", post(feedback::link))
        .route("/feedback/{id}/idea", post(feedback::create_idea))
        .route("/evidence/{id}/remove", post(feedback::remove_evidence))
        .route("/products/{id}/ideas", get(ideas::list).post(ideas::create))
        .route("/products/{id}/ideas/new", get(ideas::new))
        .route("/products/{id}/ideas/hints", post(ideas::hints))
        .route("/products/{id}/ideas/similar", get(ideas::similar))
        .route("/products/{id}/ideas/{number}", get(ideas::by_number))
        .route("/ideas/{id}", get(ideas::show).post(ideas::update))
        .route("/ideas/{id}/edit", get(ideas::edit))
        .route("/ideas/{id}/merge", post(ideas::merge))
        .route("/search", get(search::search))
        .route("/customers", get(customers::list))
        .route("/customers/suggest", get(customers::suggest))
        .route("/customers/{id}", post(customers::update))
        .route("/customers/{id}/edit", get(customers::edit))
        // Research: personas, competitors and the comparison grid, research notes.
        .route(
            "/products/{id}/personas",
            get(personas::list).post(personas::create),
        )
        .route("/products/{id}/personas/new", get(personas::new))
        .route("/personas/{id}", get(personas::show).post(personas::update))
        .route("/personas/{id}/edit", get(personas::edit))
        .route("/personas/{id}/delete", post(personas::delete))
        .route("/persona-links", post(personas::link))
        .route("/persona-links/remove", post(personas::unlink))
        .route(
            "/products/{id}/competitors",
            get(competitors::grid).post(competitors::create),
        )
        .route("/products/{id}/competitors/new", get(competitors::new))
        .route(
            "/products/{id}/capabilities",
            post(competitors::add_capability),
        )
        .route(
            "/products/{id}/capabilities/ratings",
            post(competitors::rate_ours),
        )
        .route(
            "/capabilities/{id}/delete",
            post(competitors::delete_capability),
        )
        .route(
            "/competitors/{id}",
            get(competitors::show).post(competitors::update),
        )
        .route("/competitors/{id}/edit", get(competitors::edit))
        .route("/competitors/{id}/delete", post(competitors::delete))
        .route("/competitors/{id}/ratings", post(competitors::rate))
        .route(
            "/products/{id}/research-notes",
            get(notes::list).post(notes::create),
        )
        .route("/products/{id}/research-notes/new", get(notes::new))
        .route("/research-notes/{id}", get(notes::show).post(notes::update))
        .route("/research-notes/{id}/edit", get(notes::edit))
        .route("/research-notes/{id}/passages", post(notes::capture))
        .route("/research-notes/{id}/ideas", get(notes::ideas))
        // decisions (issue #4): the log, one decision, deciding from an idea, "My inbox".
        .route("/products/{id}/decisions", get(decisions::log))
        .route("/decisions/{id}", get(decisions::show))
        .route("/ideas/{id}/decisions", get(decisions::of_idea))
        .route(
            "/ideas/{id}/decide",
            get(decisions::new).post(decisions::create),
        )
        .route("/my-inbox", get(decisions::inbox))
        .route("/my-inbox/count", get(decisions::inbox_count))
        .route("/my-inbox/read", post(decisions::read_all))
        .route("/my-inbox/{id}/read", post(decisions::read_one))
        // specs (issue 4): an idea's spec, its versions and exports, its documentation page.
        .route("/ideas/{id}/spec", get(specs::show).post(specs::save))
        .route("/ideas/{id}/spec/edit", get(specs::edit))
        .route("/ideas/{id}/spec/criteria/{index}", post(specs::set_state))
        .route("/ideas/{id}/spec/versions", get(specs::versions))
        .route("/ideas/{id}/spec/versions/{version}", get(specs::version))
        .route("/ideas/{id}/spec/export", get(specs::download_export))
        .route(
            "/ideas/{id}/doc",
            get(specs::doc_show).post(specs::doc_save),
        )
        .route("/ideas/{id}/doc/edit", get(specs::doc_edit))
        .route("/ideas/{id}/doc/versions", get(specs::doc_versions))
        // scoring slice (issue #4): scores, scoring settings, the ranked backlog.
        .route("/products/{id}/backlog", get(backlog::page))
        .route("/products/{id}/backlog/matrix", get(backlog::matrix))
        .route("/products/{id}/backlog/status", post(backlog::bulk_status))
        .route("/products/{id}/backlog/views", post(backlog::view_create))
        .route("/backlog-views/{id}/rename", post(backlog::view_rename))
        .route("/backlog-views/{id}/delete", post(backlog::view_delete))
        .route("/ideas/{id}/move", post(backlog::move_idea))
        .route(
            "/products/{id}/scoring",
            get(scoring::settings).post(scoring::settings_submit),
        )
        .route("/ideas/{id}/scores", get(scoring::idea_scores))
        .route(
            "/ideas/{id}/scores/{framework}",
            post(scoring::idea_score_submit),
        )
        // Stakeholder sessions: groups, sessions, invitations, ballots, results.
        .route(
            "/stakeholder-groups",
            get(stakeholders::groups).post(stakeholders::group_create),
        )
        .route(
            "/stakeholder-groups/defaults",
            post(stakeholders::group_defaults),
        )
        .route("/stakeholder-groups/{id}", post(stakeholders::group_update))
        .route(
            "/stakeholder-groups/{id}/delete",
            post(stakeholders::group_delete),
        )
        .route(
            "/products/{id}/sessions",
            get(stakeholders::sessions).post(stakeholders::session_create),
        )
        .route(
            "/products/{id}/sessions/new",
            get(stakeholders::session_new),
        )
        .route("/sessions/{id}", get(stakeholders::session))
        .route("/sessions/{id}/invitations", post(stakeholders::invite))
        .route("/sessions/{id}/open", post(stakeholders::open))
        .route("/sessions/{id}/close", post(stakeholders::close))
        .route(
            "/sessions/{id}/ballot",
            get(stakeholders::ballot).post(stakeholders::ballot_submit),
        )
        .route("/sessions/{id}/results", get(stakeholders::results))
        .route(
            "/sessions/{id}/results/print",
            get(stakeholders::results_print),
        )
        .route(
            "/sessions/{id}/results.csv",
            get(stakeholders::results_csv_page),
        )
}

/// What every signed-in page needs: the translator, the actor, the navigation state.
pub struct Ctx {
    pub l: L10n,
    pub actor: Actor,
    pub workspace_name: String,
    pub path: String,
    pub flash: Option<String>,
}

impl Ctx {
    pub fn can(&self, action: Action) -> bool {
        phare_core::policy::authorize(&self.actor, action).is_ok()
    }
    pub fn can_manage_products(&self) -> bool {
        self.can(Action::ManageProducts)
    }
    pub fn is_admin(&self) -> bool {
        self.can(Action::ManageMembers)
    }
    /// `aria-current="page"` for the navigation item of this section.
    pub fn current(&self, prefix: &str) -> &'static str {
        let here = self.path.split('?').next().unwrap_or("");
        let hit = if prefix == "/" {
            here == "/"
        } else {
            here == prefix || here.starts_with(&format!("{prefix}/"))
        };
        if hit {
            "page"
        } else {
            "false"
        }
    }
    /// Whether the member may see and use the feedback capture form.
    pub fn can_capture(&self) -> bool {
        self.can(Action::CaptureFeedback)
    }
    /// Whether the member may triage feedback, write ideas and link evidence.
    pub fn can_work(&self) -> bool {
        self.can(Action::WorkOnDiscovery)
    }
    /// Whether the member may delete feedback, merge ideas and edit customers.
    pub fn can_curate(&self) -> bool {
        self.can(Action::CurateDiscovery)
    }
    pub fn css(&self) -> String {
        crate::assets::url("app.css")
    }
    /// The URL of one of the page scripts (`inbox.js`, `feedback.js`).
    pub fn asset(&self, name: &str) -> String {
        crate::assets::url(name)
    }
    pub fn js(&self) -> String {
        crate::assets::url("htmx.min.js")
    }
    pub fn favicon(&self) -> String {
        crate::assets::url("favicon.svg")
    }
    pub fn logo(&self) -> String {
        crate::assets::url("logo.svg")
    }
    pub fn role_label(&self, role: &Role) -> String {
        self.l.t(&format!("role-{}", role.as_str()))
    }
}

/// Extracts a [`Ctx`] or sends the visitor to the login page (then back here).
pub struct Signed(pub Ctx);

impl FromRequestParts<AppState> for Signed {
    type Rejection = Response;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let Lang(l0) = Lang::from_request_parts(parts, state)
            .await
            .unwrap_or(Lang(L10n::new(Locale::En)));
        let actor = auth::resolve(parts, state)
            .await
            .page(l0)
            .map_err(IntoResponse::into_response)?;
        let path = parts
            .uri
            .path_and_query()
            .map(|p| p.as_str().to_owned())
            .unwrap_or_else(|| "/".into());
        let Some(actor) = actor else {
            let next = serde_urlencoded::to_string([("next", path.as_str())]).unwrap_or_default();
            return Err(Redirect::to(&format!("/login?{next}")).into_response());
        };
        let l = L10n::new(auth::pick_locale(&parts.headers, Some(&actor)));
        let workspace_name = state
            .phare
            .workspace(&actor)
            .await
            .page(l)
            .map_err(IntoResponse::into_response)?
            .name;
        let flash = parts.uri.query().and_then(|q| {
            serde_urlencoded::from_str::<Vec<(String, String)>>(q)
                .ok()?
                .into_iter()
                .find(|(k, _)| k == "done")
                .map(|(_, v)| format!("flash-{v}"))
                .filter(|key| l.has(key))
                .map(|key| l.t(&key))
        });
        Ok(Signed(Ctx {
            l,
            actor,
            workspace_name,
            path,
            flash,
        }))
    }
}

/// Renders a template into a response; a template error becomes a logged 500 page.
pub fn render(t: &impl Template, l: L10n) -> Result<Response, WebError> {
    render_status(StatusCode::OK, t, l)
}

pub fn render_status(status: StatusCode, t: &impl Template, l: L10n) -> Result<Response, WebError> {
    let mut html = String::with_capacity(RENDER_CAPACITY);
    t.render_into(&mut html)
        .map(|()| (status, Html(html)).into_response())
        .map_err(|e| WebError::new(CoreError::internal(e.to_string()), l))
}

/// Room made for a page before it is rendered. askama's own estimate counts a template's text
/// without its loops, so a list page of 80 KB grew through several copies; most pages fit here,
/// and the room is only reserved, not written, until the page fills it.
const RENDER_CAPACITY: usize = 64 * 1024;

/// One error of a form: the field it belongs to (empty for the whole form), the message shown
/// beside the field, and the line of the summary at the top, which names the field.
#[derive(Debug)]
pub struct FormError {
    pub field: String,
    pub message: String,
    pub summary: String,
}

/// Field errors of a form, translated, in the order the fields appear.
#[derive(Default, Debug)]
pub struct FormErrors(pub Vec<FormError>);

impl FormErrors {
    pub fn from_core(e: &CoreError, l: L10n) -> Self {
        let mut errors = Self::default();
        for f in &e.fields {
            // A message for this code on this very field, when one says more
            // (`field-already_taken-feedback_id`), else the code's general message.
            let specific = format!("field-{}-{}", f.code, f.field);
            let key = if l.has(&specific) {
                specific
            } else {
                format!("field-{}", f.code)
            };
            errors.push(&f.field, l.t(&key), l);
        }
        if errors.0.is_empty() {
            errors.push("", l.t(&format!("error-{}", e.code)), l);
        }
        errors
    }
    pub fn one(field: &str, message: String, l: L10n) -> Self {
        let mut errors = Self::default();
        errors.push(field, message, l);
        errors
    }
    pub fn push(&mut self, field: &str, message: String, l: L10n) {
        let name_key = format!("field-name-{field}");
        let summary = if !field.is_empty() && l.has(&name_key) {
            l.ta(
                "form-error-item",
                &[("field", l.t(&name_key)), ("message", message.clone())],
            )
        } else {
            message.clone()
        };
        self.0.push(FormError {
            field: field.to_owned(),
            message,
            summary,
        });
    }
    /// Points the errors of a core field at another field of the form (`""`: the whole form),
    /// when the form names it differently.
    pub fn rename(self, from: &str, to: &str, l: L10n) -> Self {
        let mut out = Self::default();
        for e in self.0 {
            if e.field == from {
                out.push(to, e.message, l);
            } else {
                out.0.push(e);
            }
        }
        out
    }
    pub fn get(&self, field: &str) -> Option<String> {
        self.0
            .iter()
            .find(|e| e.field == field)
            .map(|e| e.message.clone())
    }
    pub fn any(&self) -> bool {
        !self.0.is_empty()
    }
    /// `true`/`false` for `aria-invalid`.
    pub fn invalid(&self, field: &str) -> &'static str {
        if self.get(field).is_some() {
            "true"
        } else {
            "false"
        }
    }
}

/// Validation and duplicate errors are shown on the form; anything else is an error page.
pub fn is_form_error(e: &CoreError) -> bool {
    matches!(e.code, ErrorCode::Validation | ErrorCode::Duplicate)
}

pub fn see_other(to: &str) -> Response {
    Redirect::to(to).into_response()
}

/// Unknown routes: a translated 404 page.
pub async fn not_found(Lang(l): Lang) -> Response {
    WebError::code(ErrorCode::NotFound, l).into_response()
}

#[derive(Deserialize)]
pub struct LocaleForm {
    locale: String,
    #[serde(default)]
    back: String,
}

/// The language switch: a cookie for everyone, and the profile setting for a signed-in member.
async fn switch_locale(
    State(state): State<AppState>,
    auth::MaybeActor(actor): auth::MaybeActor,
    auth::Meta(meta): auth::Meta,
    Form(f): Form<LocaleForm>,
) -> Response {
    let Some(locale) = Locale::parse(&f.locale) else {
        return StatusCode::UNPROCESSABLE_ENTITY.into_response();
    };
    // Only local paths: never an open redirect.
    let back = if f.back.starts_with('/') && !f.back.starts_with("//") && !f.back.contains('\\') {
        f.back
    } else {
        "/".into()
    };
    if let Some(actor) = actor {
        let input = phare_core::ProfileInput {
            locale: Some(Some(locale)),
            ..Default::default()
        };
        if let Err(e) = state
            .phare
            .update_profile(&actor, &meta, actor.member.version, input)
            .await
        {
            tracing::warn!(error = %e, "could not store the language on the profile");
        }
    }
    let cookie = format!(
        "{}={}; Path=/; SameSite=Lax; Max-Age=31536000",
        auth::LANG_COOKIE,
        locale.as_str()
    );
    ([(header::SET_COOKIE, cookie)], Redirect::to(&back)).into_response()
}

/// The frame of pages shown before sign-in (login, setup, invitation).
pub struct Shell {
    pub l: L10n,
    pub path: String,
}

impl Shell {
    pub fn new(l: L10n, path: &str) -> Self {
        Self {
            l,
            path: path.to_owned(),
        }
    }
    pub fn css(&self) -> String {
        crate::assets::url("app.css")
    }
    pub fn favicon(&self) -> String {
        crate::assets::url("favicon.svg")
    }
    pub fn logo(&self) -> String {
        crate::assets::url("logo.svg")
    }
}

/// A path segment (an id or a token). One that cannot even be decoded is a translated 404 page,
/// like an id that does not exist, instead of a bare 400.
pub struct Seg(pub String);

impl FromRequestParts<AppState> for Seg {
    type Rejection = Response;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        match axum::extract::Path::<String>::from_request_parts(parts, state).await {
            Ok(axum::extract::Path(s)) => Ok(Seg(s)),
            Err(_) => {
                let Lang(l) = Lang::from_request_parts(parts, state)
                    .await
                    .unwrap_or(Lang(L10n::new(Locale::En)));
                Err(WebError::code(ErrorCode::NotFound, l).into_response())
            }
        }
    }
}

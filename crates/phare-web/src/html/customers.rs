//! Customers: who gives feedback, their segment and their weight in every idea's demand. Everyone
//! reads the list; product managers edit a customer (versioned).

use super::lookup;
use super::{is_form_error, render, render_status, see_other, Ctx, FormErrors, Seg, Signed};
use crate::auth::Meta;
use crate::error::{PageResult, WebError};
use crate::AppState;
use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::Form;
use phare_core::CustomerUpdate;
use phare_domain::{CustomerId, CustomerKind, ErrorCode};
use phare_store::{Cursor, Customer, PageRequest};
use serde::Deserialize;

#[derive(Deserialize, Default)]
pub struct ListQuery {
    #[serde(default)]
    after: String,
}

#[derive(Deserialize, Default)]
pub struct SuggestQuery {
    #[serde(default)]
    customer: String,
}

/// The `<option>`s of a customer field's datalist: names starting with what was typed.
#[derive(Template)]
#[template(path = "customer_options.html")]
struct CustomerOptions {
    customers: Vec<Customer>,
}

/// How many names a customer field suggests.
const SUGGESTIONS: i64 = 12;

pub async fn suggest(
    State(state): State<AppState>,
    Signed(ctx): Signed,
    Meta(meta): Meta,
    Query(q): Query<SuggestQuery>,
) -> Result<Response, WebError> {
    let l = ctx.l;
    let customers = state
        .phare
        .find_customers(&ctx.actor, &meta, &q.customer, SUGGESTIONS)
        .await
        .page(l)?;
    render(&CustomerOptions { customers }, l)
}

#[derive(Template)]
#[template(path = "customers.html")]
struct CustomersPage {
    ctx: Ctx,
    customers: Vec<Customer>,
    next: Option<String>,
}

pub async fn list(
    State(state): State<AppState>,
    Signed(ctx): Signed,
    Meta(meta): Meta,
    Query(q): Query<ListQuery>,
) -> Result<Response, WebError> {
    let l = ctx.l;
    let page = state
        .phare
        .list_customers(
            &ctx.actor,
            &meta,
            &PageRequest::new(Cursor::decode(&q.after), Some(50)),
        )
        .await
        .page(l)?;
    let next = page
        .next_cursor
        .map(|c| format!("/customers?after={}", c.encode()));
    render(
        &CustomersPage {
            ctx,
            customers: page.items,
            next,
        },
        l,
    )
}

#[derive(Deserialize, Default, Clone, Debug)]
pub struct CustomerForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    segment: String,
    #[serde(default)]
    weight: String,
    #[serde(default)]
    version: i64,
}

impl CustomerForm {
    fn from_customer(c: &Customer) -> Self {
        Self {
            name: c.name.clone(),
            kind: c.kind.as_str().to_owned(),
            segment: c.segment.clone().unwrap_or_default(),
            weight: c.weight.to_string(),
            version: c.version,
        }
    }

    fn input(&self) -> CustomerUpdate {
        CustomerUpdate {
            name: Some(self.name.clone()),
            kind: CustomerKind::parse(&self.kind),
            segment: Some(Some(self.segment.trim().to_owned()).filter(|s| !s.is_empty())),
            // Not a number: 0, which the core refuses as out of range, in its own words.
            weight: Some(self.weight.trim().parse().unwrap_or(0)),
        }
    }
}

#[derive(Template)]
#[template(path = "customer_form.html")]
struct CustomerFormPage {
    ctx: Ctx,
    customer: Customer,
    form: CustomerForm,
    errors: FormErrors,
    kinds: &'static [CustomerKind],
}

pub async fn edit(
    State(state): State<AppState>,
    Signed(ctx): Signed,
    Meta(meta): Meta,
    Seg(id): Seg,
) -> Result<Response, WebError> {
    let l = ctx.l;
    let id: CustomerId = lookup::parse_id(&id, &ctx)?;
    if !ctx.can_curate() {
        return Err(WebError::code(ErrorCode::Forbidden, l));
    }
    let customer = state
        .phare
        .get_customer(&ctx.actor, &meta, id)
        .await
        .page(l)?;
    let form = CustomerForm::from_customer(&customer);
    render(
        &CustomerFormPage {
            ctx,
            customer,
            form,
            errors: FormErrors::default(),
            kinds: CustomerKind::ALL,
        },
        l,
    )
}

pub async fn update(
    State(state): State<AppState>,
    Signed(ctx): Signed,
    Meta(meta): Meta,
    Seg(id): Seg,
    Form(form): Form<CustomerForm>,
) -> Result<Response, WebError> {
    let l = ctx.l;
    let id: CustomerId = lookup::parse_id(&id, &ctx)?;
    match state
        .phare
        .update_customer(&ctx.actor, &meta, id, form.version, form.input())
        .await
    {
        Ok(_) => Ok(see_other("/customers?done=customer_saved")),
        Err(e) if is_form_error(&e) || e.code == ErrorCode::VersionConflict => {
            let customer = state
                .phare
                .get_customer(&ctx.actor, &meta, id)
                .await
                .page(l)?;
            let conflict = e.code == ErrorCode::VersionConflict;
            let errors = if conflict {
                FormErrors::one("", l.t("error-version_conflict-form"), l)
            } else {
                FormErrors::from_core(&e, l)
            };
            // On a conflict the form keeps what was typed but carries the current version, so
            // saving again applies it on top of the other change, knowingly.
            let form = CustomerForm {
                version: customer.version,
                ..form
            };
            let status = if conflict {
                StatusCode::CONFLICT
            } else {
                StatusCode::UNPROCESSABLE_ENTITY
            };
            render_status(
                status,
                &CustomerFormPage {
                    ctx,
                    customer,
                    form,
                    errors,
                    kinds: CustomerKind::ALL,
                },
                l,
            )
        }
        Err(e) => Err(WebError::new(e, l)),
    }
}

//! The organisation: the workspace, its members, product lines, products and their RACI, and
//! each member's own profile. Every change checks the policy, validates, and is audited.

use crate::audit::Entry;
use crate::{accounts, Action, Actor, CoreError, CoreResult, Credential, Phare, RequestMeta};
use phare_domain::validate::{self, DESCRIPTION_MAX, NAME_MAX};
use phare_domain::*;
use phare_store::*;
use serde_json::json;

#[derive(Clone, Debug, Default)]
pub struct WorkspaceInput {
    pub name: Option<String>,
    pub default_locale: Option<Locale>,
}

#[derive(Clone, Debug, Default)]
pub struct ProductLineInput {
    pub name: Option<String>,
    pub description: Option<String>,
}

#[derive(Clone, Debug, Default)]
pub struct ProductInput {
    pub name: Option<String>,
    pub key: Option<String>,
    pub description: Option<String>,
    pub product_line_id: Option<Option<ProductLineId>>,
    pub pm_model: Option<PmModel>,
    pub archived: Option<bool>,
}

/// What an admin may change about another member.
#[derive(Clone, Debug, Default)]
pub struct MemberInput {
    pub role: Option<Role>,
    pub job_title: Option<Option<JobTitle>>,
    pub disabled: Option<bool>,
}

/// What a member may change about themselves.
#[derive(Clone, Debug, Default)]
pub struct ProfileInput {
    pub name: Option<String>,
    pub job_title: Option<Option<JobTitle>>,
    pub time_zone: Option<String>,
    pub work_start: Option<String>,
    pub work_end: Option<String>,
    pub locale: Option<Option<Locale>>,
}

/// The names of the fields a patch touches, for the audit detail (never their values).
fn touched(pairs: &[(&'static str, bool)]) -> serde_json::Value {
    json!({ "fields": pairs.iter().filter(|(_, t)| *t).map(|(n, _)| *n).collect::<Vec<_>>() })
}

impl Phare {
    // --- workspace --------------------------------------------------------------------------

    pub async fn workspace(&self, actor: &Actor) -> CoreResult<Workspace> {
        Ok(self
            .store()
            .get_workspace(actor.member.workspace_id)
            .await?)
    }

    pub async fn update_workspace(
        &self,
        actor: &Actor,
        meta: &RequestMeta,
        version: i64,
        input: WorkspaceInput,
    ) -> CoreResult<Workspace> {
        self.check(actor, meta, Action::ManageWorkspace, "workspace.update")
            .await?;
        let mut errors = Invalid::new();
        let name = input
            .name
            .as_deref()
            .map(|n| validate::required_text(&mut errors, "name", n, NAME_MAX));
        errors.into_result()?;
        let detail = touched(&[
            ("name", name.is_some()),
            ("default_locale", input.default_locale.is_some()),
        ]);
        let ws = self
            .store()
            .update_workspace(
                actor.member.workspace_id,
                version,
                WorkspacePatch {
                    name,
                    default_locale: input.default_locale,
                    now: Some(now()),
                },
            )
            .await?;
        self.audit_ok(actor, meta, "workspace.update", "workspace", ws.id, detail)
            .await;
        Ok(ws)
    }

    // --- members ----------------------------------------------------------------------------

    pub async fn list_members(
        &self,
        actor: &Actor,
        meta: &RequestMeta,
        page: &PageRequest,
    ) -> CoreResult<Page<Member>> {
        self.check(actor, meta, Action::ReadWorkspace, "member.read")
            .await?;
        Ok(self
            .store()
            .list_members(actor.member.workspace_id, page)
            .await?)
    }

    pub async fn get_member(
        &self,
        actor: &Actor,
        meta: &RequestMeta,
        id: MemberId,
    ) -> CoreResult<Member> {
        self.check(actor, meta, Action::ReadWorkspace, "member.read")
            .await?;
        Ok(self
            .store()
            .get_member(actor.member.workspace_id, id)
            .await?)
    }

    /// A member of the actor's workspace by e-mail (to add them to a RACI, say).
    pub async fn find_member_by_email(
        &self,
        actor: &Actor,
        meta: &RequestMeta,
        email: &str,
    ) -> CoreResult<Member> {
        self.check(actor, meta, Action::ReadWorkspace, "member.read")
            .await?;
        let email = crate::audit::printable(email.trim(), 254).to_lowercase();
        match self.store().find_credentials(&email).await? {
            Some((m, _)) if m.workspace_id == actor.member.workspace_id => Ok(m),
            _ => Err(CoreError::not_found()),
        }
    }

    /// An admin changes another member's role, job title or access. Nobody changes their own
    /// role or disables themselves, so a workspace cannot lose its last admin by accident.
    pub async fn update_member(
        &self,
        actor: &Actor,
        meta: &RequestMeta,
        id: MemberId,
        version: i64,
        input: MemberInput,
    ) -> CoreResult<Member> {
        self.check(actor, meta, Action::ManageMembers, "member.update")
            .await?;
        let target = self
            .store()
            .get_member(actor.member.workspace_id, id)
            .await?;
        if target.id == actor.member.id
            && (input.role.is_some_and(|r| r != target.role) || input.disabled == Some(true))
        {
            return Err(CoreError::field(
                if input.role.is_some() {
                    "role"
                } else {
                    "disabled"
                },
                "cannot_change_self",
            ));
        }
        let detail = json!({
            "fields": touched(&[("role", input.role.is_some()), ("job_title", input.job_title.is_some()), ("disabled", input.disabled.is_some())])["fields"],
            "role": input.role,
            "disabled": input.disabled,
        });
        let m = self
            .store()
            .update_member(
                actor.member.workspace_id,
                id,
                version,
                MemberPatch {
                    role: input.role,
                    job_title: input.job_title,
                    disabled: input.disabled,
                    now: Some(now()),
                    ..Default::default()
                },
            )
            .await?;
        let action = match (input.role.is_some_and(|r| r != target.role), input.disabled) {
            (true, _) => "member.role_change",
            (false, Some(true)) if !target.disabled => "member.disable",
            (false, Some(false)) if target.disabled => "member.enable",
            _ => "member.update",
        };
        self.audit_ok(actor, meta, action, "member", id, detail)
            .await;
        Ok(m)
    }

    /// A member edits their own profile: name, job title, time zone, working hours, language.
    pub async fn update_profile(
        &self,
        actor: &Actor,
        meta: &RequestMeta,
        version: i64,
        input: ProfileInput,
    ) -> CoreResult<Member> {
        self.check(actor, meta, Action::ManageSelf, "profile.update")
            .await?;
        let mut errors = Invalid::new();
        let name = input
            .name
            .as_deref()
            .map(|v| validate::required_text(&mut errors, "name", v, NAME_MAX));
        let time_zone = input
            .time_zone
            .as_deref()
            .map(|v| validate::time_zone(&mut errors, "time_zone", v));
        let work_start = input
            .work_start
            .as_deref()
            .map(|v| validate::clock_time(&mut errors, "work_start", v));
        let work_end = input
            .work_end
            .as_deref()
            .map(|v| validate::clock_time(&mut errors, "work_end", v));
        errors.into_result()?;
        let detail = touched(&[
            ("name", name.is_some()),
            ("job_title", input.job_title.is_some()),
            ("time_zone", time_zone.is_some()),
            ("work_start", work_start.is_some()),
            ("work_end", work_end.is_some()),
            ("locale", input.locale.is_some()),
        ]);
        let m = self
            .store()
            .update_member(
                actor.member.workspace_id,
                actor.member.id,
                version,
                MemberPatch {
                    name,
                    job_title: input.job_title,
                    time_zone,
                    work_start,
                    work_end,
                    locale: input.locale,
                    now: Some(now()),
                    ..Default::default()
                },
            )
            .await?;
        self.audit_ok(actor, meta, "profile.update", "member", m.id, detail)
            .await;
        Ok(m)
    }

    // --- product lines ----------------------------------------------------------------------

    pub async fn list_product_lines(
        &self,
        actor: &Actor,
        meta: &RequestMeta,
        page: &PageRequest,
    ) -> CoreResult<Page<ProductLine>> {
        self.check(actor, meta, Action::ReadWorkspace, "product_line.read")
            .await?;
        Ok(self
            .store()
            .list_product_lines(actor.member.workspace_id, page)
            .await?)
    }

    pub async fn get_product_line(
        &self,
        actor: &Actor,
        meta: &RequestMeta,
        id: ProductLineId,
    ) -> CoreResult<ProductLine> {
        self.check(actor, meta, Action::ReadWorkspace, "product_line.read")
            .await?;
        Ok(self
            .store()
            .get_product_line(actor.member.workspace_id, id)
            .await?)
    }

    pub async fn create_product_line(
        &self,
        actor: &Actor,
        meta: &RequestMeta,
        input: ProductLineInput,
    ) -> CoreResult<ProductLine> {
        self.check(actor, meta, Action::ManageProducts, "product_line.create")
            .await?;
        let mut errors = Invalid::new();
        let name = validate::required_text(
            &mut errors,
            "name",
            input.name.as_deref().unwrap_or(""),
            NAME_MAX,
        );
        let description = validate::optional_text(
            &mut errors,
            "description",
            input.description.as_deref().unwrap_or(""),
            DESCRIPTION_MAX,
        );
        errors.into_result()?;
        let line = self
            .store()
            .create_product_line(NewProductLine {
                id: ProductLineId::new(),
                workspace_id: actor.member.workspace_id,
                name,
                description,
                now: now(),
            })
            .await?;
        self.audit_ok(
            actor,
            meta,
            "product_line.create",
            "product_line",
            line.id,
            json!({}),
        )
        .await;
        Ok(line)
    }

    pub async fn update_product_line(
        &self,
        actor: &Actor,
        meta: &RequestMeta,
        id: ProductLineId,
        version: i64,
        input: ProductLineInput,
    ) -> CoreResult<ProductLine> {
        self.check(actor, meta, Action::ManageProducts, "product_line.update")
            .await?;
        let mut errors = Invalid::new();
        let name = input
            .name
            .as_deref()
            .map(|v| validate::required_text(&mut errors, "name", v, NAME_MAX));
        let description = input
            .description
            .as_deref()
            .map(|v| validate::optional_text(&mut errors, "description", v, DESCRIPTION_MAX));
        errors.into_result()?;
        let detail = touched(&[
            ("name", name.is_some()),
            ("description", description.is_some()),
        ]);
        let line = self
            .store()
            .update_product_line(
                actor.member.workspace_id,
                id,
                version,
                ProductLinePatch {
                    name,
                    description,
                    now: Some(now()),
                },
            )
            .await?;
        self.audit_ok(
            actor,
            meta,
            "product_line.update",
            "product_line",
            id,
            detail,
        )
        .await;
        Ok(line)
    }

    pub async fn delete_product_line(
        &self,
        actor: &Actor,
        meta: &RequestMeta,
        id: ProductLineId,
        version: i64,
    ) -> CoreResult<()> {
        self.check(actor, meta, Action::ManageProducts, "product_line.delete")
            .await?;
        self.store()
            .delete_product_line(actor.member.workspace_id, id, version)
            .await?;
        self.audit_ok(
            actor,
            meta,
            "product_line.delete",
            "product_line",
            id,
            json!({}),
        )
        .await;
        Ok(())
    }

    // --- products ---------------------------------------------------------------------------

    pub async fn list_products(
        &self,
        actor: &Actor,
        meta: &RequestMeta,
        filter: &ProductFilter,
        page: &PageRequest,
    ) -> CoreResult<Page<Product>> {
        self.check(actor, meta, Action::ReadWorkspace, "product.read")
            .await?;
        Ok(self
            .store()
            .list_products(actor.member.workspace_id, filter, page)
            .await?)
    }

    pub async fn get_product(
        &self,
        actor: &Actor,
        meta: &RequestMeta,
        id: ProductId,
    ) -> CoreResult<Product> {
        self.check(actor, meta, Action::ReadWorkspace, "product.read")
            .await?;
        Ok(self
            .store()
            .get_product(actor.member.workspace_id, id)
            .await?)
    }

    fn validate_product(
        input: &ProductInput,
        creating: bool,
    ) -> CoreResult<(Option<String>, Option<String>, Option<String>)> {
        let mut errors = Invalid::new();
        let name = match (&input.name, creating) {
            (Some(n), _) => Some(validate::required_text(&mut errors, "name", n, NAME_MAX)),
            (None, true) => Some(validate::required_text(&mut errors, "name", "", NAME_MAX)),
            (None, false) => None,
        };
        let key = match (&input.key, creating) {
            (Some(k), _) => Some(validate::product_key(&mut errors, "key", k)),
            (None, true) => Some(validate::product_key(&mut errors, "key", "")),
            (None, false) => None,
        };
        let description = input
            .description
            .as_deref()
            .map(|d| validate::optional_text(&mut errors, "description", d, DESCRIPTION_MAX));
        errors.into_result()?;
        Ok((name, key, description))
    }

    /// A line that does not exist in the workspace is a field error, not a missing page.
    fn line_error(e: StoreError) -> CoreError {
        match e {
            StoreError::NotFound => CoreError::field("product_line_id", "unknown_product_line"),
            other => other.into(),
        }
    }

    pub async fn create_product(
        &self,
        actor: &Actor,
        meta: &RequestMeta,
        input: ProductInput,
    ) -> CoreResult<Product> {
        self.check(actor, meta, Action::ManageProducts, "product.create")
            .await?;
        let (name, key, description) = Self::validate_product(&input, true)?;
        let product = self
            .store()
            .create_product(NewProduct {
                id: ProductId::new(),
                workspace_id: actor.member.workspace_id,
                product_line_id: input.product_line_id.flatten(),
                name: name.unwrap_or_default(),
                key: key.unwrap_or_default(),
                description: description.unwrap_or_default(),
                pm_model: input.pm_model.unwrap_or(PmModel::Shared),
                now: now(),
            })
            .await
            .map_err(Self::line_error)?;
        self.audit_ok(
            actor,
            meta,
            "product.create",
            "product",
            product.id,
            json!({ "key": product.key }),
        )
        .await;
        Ok(product)
    }

    pub async fn update_product(
        &self,
        actor: &Actor,
        meta: &RequestMeta,
        id: ProductId,
        version: i64,
        input: ProductInput,
    ) -> CoreResult<Product> {
        self.check(actor, meta, Action::ManageProducts, "product.update")
            .await?;
        let (name, key, description) = Self::validate_product(&input, false)?;
        // The product must be visible before a bad line can be reported, so a foreign id stays
        // "not found".
        self.store()
            .get_product(actor.member.workspace_id, id)
            .await?;
        let detail = touched(&[
            ("name", name.is_some()),
            ("key", key.is_some()),
            ("description", description.is_some()),
            ("product_line_id", input.product_line_id.is_some()),
            ("pm_model", input.pm_model.is_some()),
            ("archived", input.archived.is_some()),
        ]);
        let product = self
            .store()
            .update_product(
                actor.member.workspace_id,
                id,
                version,
                ProductPatch {
                    product_line_id: input.product_line_id,
                    name,
                    key,
                    description,
                    pm_model: input.pm_model,
                    archived: input.archived,
                    now: Some(now()),
                },
            )
            .await
            .map_err(Self::line_error)?;
        let action = match input.archived {
            Some(true) => "product.archive",
            Some(false) => "product.unarchive",
            None => "product.update",
        };
        self.audit_ok(actor, meta, action, "product", id, detail)
            .await;
        Ok(product)
    }

    pub async fn get_raci(
        &self,
        actor: &Actor,
        meta: &RequestMeta,
        product: ProductId,
    ) -> CoreResult<Vec<RaciEntry>> {
        self.check(actor, meta, Action::ReadWorkspace, "product.read")
            .await?;
        self.store()
            .get_product(actor.member.workspace_id, product)
            .await?;
        Ok(self
            .store()
            .get_raci(actor.member.workspace_id, product)
            .await?)
    }

    /// Replaces a product's RACI table. A product has at most one Accountable person.
    pub async fn set_raci(
        &self,
        actor: &Actor,
        meta: &RequestMeta,
        product: ProductId,
        entries: &[(MemberId, Raci)],
    ) -> CoreResult<Vec<RaciEntry>> {
        self.check(actor, meta, Action::ManageProducts, "product.raci")
            .await?;
        self.store()
            .get_product(actor.member.workspace_id, product)
            .await?;
        if entries
            .iter()
            .filter(|(_, r)| *r == Raci::Accountable)
            .count()
            > 1
        {
            return Err(CoreError::field("raci", "one_accountable"));
        }
        if entries.len() > 500 {
            return Err(CoreError::field("raci", "too_many"));
        }
        let set = self
            .store()
            .set_raci(actor.member.workspace_id, product, entries)
            .await
            .map_err(|e| match e {
                StoreError::NotFound => CoreError::field("raci", "unknown_member"),
                other => other.into(),
            })?;
        self.audit_ok(
            actor,
            meta,
            "product.raci",
            "product",
            product,
            json!({ "entries": set.len() }),
        )
        .await;
        Ok(set)
    }

    // --- operator (CLI with direct database access) ----------------------------------------

    /// Creates a member from the command line. With no workspace yet, creates one named
    /// `workspace_name` (or "Phare"); with a name, uses or creates that workspace.
    pub async fn operator_create_user(
        &self,
        meta: &RequestMeta,
        email: &str,
        name: &str,
        role: Role,
        password: &str,
        workspace_name: Option<&str>,
    ) -> CoreResult<Member> {
        let mut errors = Invalid::new();
        let email = validate::email(&mut errors, "email", email);
        let name = validate::required_text(&mut errors, "name", name, NAME_MAX);
        accounts::check_password(&mut errors, "password", password);
        errors.into_result()?;
        let ws = self.operator_workspace(workspace_name).await?;
        let t = now();
        let member = self
            .store()
            .create_member(NewMember {
                id: MemberId::new(),
                workspace_id: ws.id,
                email,
                name,
                role,
                job_title: None,
                password_hash: Some(crate::passwords::hash_password(password).await?),
                time_zone: "UTC".into(),
                locale: None,
                now: t,
            })
            .await?;
        let actor = Actor {
            member: member.clone(),
            credential: Credential::Operator,
        };
        self.audit_raw(
            Some(ws.id),
            Some(&actor),
            "cli",
            meta,
            Entry {
                action: "member.create",
                target_kind: "member",
                target_id: Some(member.id.to_string()),
                outcome: "success",
                detail: json!({ "role": role }),
            },
        )
        .await;
        Ok(member)
    }

    async fn operator_workspace(&self, name: Option<&str>) -> CoreResult<Workspace> {
        let all = self.store().list_workspaces().await?;
        let wanted = name.map(str::trim).filter(|n| !n.is_empty());
        if let Some(n) = wanted {
            if let Some(ws) = all.iter().find(|w| w.name == n || w.slug == n) {
                return Ok(ws.clone());
            }
        } else if let Some(first) = all.into_iter().min_by_key(|w| w.created_at) {
            return Ok(first);
        }
        let name = wanted.unwrap_or("Phare");
        let mut errors = Invalid::new();
        let name = validate::required_text(&mut errors, "workspace", name, NAME_MAX);
        errors.into_result()?;
        let mut slug = validate::slugify(&name);
        if slug.len() < 2 {
            slug = format!("ws-{}", &WorkspaceId::new().to_string()[..8]);
        }
        let ws = self
            .store()
            .create_workspace(NewWorkspace {
                id: WorkspaceId::new(),
                slug,
                name,
                default_locale: Locale::En,
                now: now(),
            })
            .await?;
        // Stakeholder sessions: every workspace starts with the six default groups.
        self.store().seed_stakeholder_groups(ws.id, now()).await?;
        Ok(ws)
    }

    /// Records that an operator copied the data out (`data.export`, `data.backup`): one event
    /// per workspace, so each workspace's admins see it in their trail.
    pub async fn operator_record_export(
        &self,
        meta: &RequestMeta,
        action: &str,
        destination: &str,
    ) -> CoreResult<()> {
        for ws in self.store().list_workspaces().await? {
            self.audit_raw(
                Some(ws.id),
                None,
                "cli",
                meta,
                Entry {
                    action,
                    target_kind: "workspace",
                    target_id: Some(ws.id.to_string()),
                    outcome: "success",
                    detail: json!({ "destination": crate::audit::printable(destination, 200) }),
                },
            )
            .await;
        }
        Ok(())
    }

    /// The member with this e-mail, as an operator actor.
    pub async fn operator_actor(&self, email: &str) -> CoreResult<Actor> {
        let (member, _) = self
            .store()
            .find_credentials(&email.trim().to_lowercase())
            .await?
            .ok_or_else(|| CoreError::field("email", "unknown_member"))?;
        Ok(Actor {
            member,
            credential: Credential::Operator,
        })
    }

    pub async fn operator_reset_password(
        &self,
        meta: &RequestMeta,
        email: &str,
        password: &str,
    ) -> CoreResult<()> {
        let actor = self.operator_actor(email).await?;
        let mut errors = Invalid::new();
        accounts::check_password(&mut errors, "password", password);
        errors.into_result()?;
        self.store()
            .set_password(
                actor.member.id,
                &crate::passwords::hash_password(password).await?,
                None,
                now(),
            )
            .await?;
        self.audit_raw(
            Some(actor.member.workspace_id),
            Some(&actor),
            "cli",
            meta,
            Entry {
                action: "member.reset_password",
                target_kind: "member",
                target_id: Some(actor.member.id.to_string()),
                outcome: "success",
                detail: json!({}),
            },
        )
        .await;
        Ok(())
    }

    pub async fn operator_set_disabled(
        &self,
        meta: &RequestMeta,
        email: &str,
        disabled: bool,
    ) -> CoreResult<Member> {
        let actor = self.operator_actor(email).await?;
        let m = actor.member.clone();
        let up = self
            .store()
            .update_member(
                m.workspace_id,
                m.id,
                m.version,
                MemberPatch {
                    disabled: Some(disabled),
                    now: Some(now()),
                    ..Default::default()
                },
            )
            .await?;
        self.audit_raw(
            Some(m.workspace_id),
            Some(&actor),
            "cli",
            meta,
            Entry {
                action: if disabled {
                    "member.disable"
                } else {
                    "member.enable"
                },
                target_kind: "member",
                target_id: Some(m.id.to_string()),
                outcome: "success",
                detail: json!({}),
            },
        )
        .await;
        Ok(up)
    }
}

fn now() -> Timestamp {
    phare_store::now()
}

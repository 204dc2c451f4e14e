//! The public portal: what end users do on a product's portal (browse, sign in with a one-time
//! code, vote, comment, submit, follow) and what the team does with it (configure, moderate,
//! reply), plus the notifications and the outbox that carries every e-mail.
//!
//! End users are not members: they act through a [`PortalVisitor`], never an [`Actor`], and
//! every call names the [`PublicPortal`] it happens on, so a visitor of one workspace can never
//! reach another's ideas. Limits on codes, submissions, votes and comments are counted in the
//! database (`hit_rate_limits`), per person and per address, so they hold across instances.

use crate::audit::{printable, Entry};
use crate::{secret, Action, Actor, CoreError, CoreResult, Phare, RequestMeta};
use chrono::Duration;
use phare_domain::validate::{optional_text, required_text};
use phare_domain::*;
use phare_store::*;
use rand::Rng;
use serde_json::json;

/// How many actions of one kind one person (or one address) may take in a window. The address
/// limit is higher: several people may share an address (an office, a phone network).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limit {
    pub per_person: i64,
    pub per_ip: i64,
}

/// The portal's rate limits. Codes count per e-mail address in a 15-minute window (a code lives
/// that long); submissions, votes and comments per portal user in an hour.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PortalLimits {
    pub codes: Limit,
    pub submissions: Limit,
    pub votes: Limit,
    pub comments: Limit,
}

impl Default for PortalLimits {
    fn default() -> Self {
        Self {
            codes: Limit {
                per_person: 5,
                per_ip: 20,
            },
            submissions: Limit {
                per_person: 5,
                per_ip: 20,
            },
            votes: Limit {
                per_person: 100,
                per_ip: 400,
            },
            comments: Limit {
                per_person: 20,
                per_ip: 80,
            },
        }
    }
}

impl PortalLimits {
    /// Reads `codes=5/20,votes=100/400,…` (per person / per address); kinds not named keep
    /// their default.
    pub fn parse(text: &str) -> Result<Self, String> {
        let mut out = Self::default();
        for part in text.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            let (kind, value) = part
                .split_once('=')
                .ok_or_else(|| format!("`{part}`: expected kind=PERSON/IP"))?;
            let (person, ip) = value
                .split_once('/')
                .ok_or_else(|| format!("`{part}`: expected kind=PERSON/IP"))?;
            let number = |v: &str| {
                v.trim()
                    .parse::<i64>()
                    .ok()
                    .filter(|n| *n >= 1)
                    .ok_or_else(|| format!("`{part}`: limits are whole numbers of at least 1"))
            };
            let limit = Limit {
                per_person: number(person)?,
                per_ip: number(ip)?,
            };
            match kind.trim() {
                "codes" => out.codes = limit,
                "submissions" => out.submissions = limit,
                "votes" => out.votes = limit,
                "comments" => out.comments = limit,
                other => {
                    return Err(format!(
                        "unknown kind `{other}` (codes, submissions, votes, comments)"
                    ))
                }
            }
        }
        Ok(out)
    }
}

const CODE_WINDOW_SECS: i64 = SIGN_IN_CODE_MINUTES * 60;
const ACTION_WINDOW_SECS: i64 = 3600;
/// A portal session ends after this long, used or not, and after a week unused.
const PORTAL_SESSION_DAYS: i64 = 30;
const PORTAL_IDLE_DAYS: i64 = 7;
const TOUCH_EVERY_SECS: i64 = 60;
/// A claim on an outgoing e-mail older than this belongs to a sender that died: another one
/// takes the message over. Far longer than one SMTP exchange (its timeouts are 30 s).
const OUTBOX_STALE_MINUTES: i64 = 10;

/// A signed-in end user on a portal.
#[derive(Clone, Debug)]
pub struct PortalVisitor {
    pub user: PortalUser,
    /// The hash of the session cookie, to sign out.
    pub session_hash: String,
}

/// An idea page's answer: the idea, or the number of the idea it was merged into (the old
/// address redirects there).
#[derive(Clone, Debug)]
pub enum PortalIdeaLookup {
    Found(PortalIdea),
    MergedInto(i64),
}

#[derive(Clone, Debug, Default)]
pub struct PortalSettingsInput {
    pub enabled: Option<bool>,
    pub title: Option<String>,
    pub intro: Option<String>,
}

#[derive(Clone, Debug, Default)]
pub struct PortalIdeaInput {
    pub state: Option<PortalState>,
    pub title: Option<String>,
    pub description: Option<String>,
}

#[derive(Clone, Debug, Default)]
pub struct SubmissionInput {
    /// A user story, or a bug report with its whole template.
    pub kind: IdeaKind,
    pub title: String,
    pub description: String,
    pub bug: BugReport,
    /// The field people never see; only robots fill it.
    pub honeypot: String,
}

/// The portal's address, for links in e-mails (the web layer puts the base URL before it).
pub fn portal_path(portal: &PublicPortal) -> String {
    format!("/p/{}/{}", portal.workspace.slug, portal.product.key)
}

fn six_digits() -> String {
    format!("{:06}", rand::rngs::OsRng.gen_range(0..1_000_000u32))
}

fn portal_error(e: StoreError) -> CoreError {
    match e {
        // A merged or moderated idea refuses changes as if it were gone.
        StoreError::VersionConflict => CoreError::not_found(),
        other => other.into(),
    }
}

impl Phare {
    // --- limits -----------------------------------------------------------------------------

    /// Counts one action of `kind` for the person and the address; `rate_limited` past either.
    async fn portal_limit(
        &self,
        kind: &str,
        person: &str,
        meta: &RequestMeta,
        limit: Limit,
        window: i64,
    ) -> CoreResult<()> {
        let t = now();
        let keys = [
            format!("portal:{kind}:p:{person}"),
            format!("portal:{kind}:ip:{}", meta.source_ip),
        ];
        let (by_person, by_ip) = self.hit_two_limits(keys, window, t).await?;
        if by_person > limit.per_person || by_ip > limit.per_ip {
            return Err(CoreError::rate_limited(window as u64));
        }
        Ok(())
    }

    // --- what anybody sees -------------------------------------------------------------------

    /// The enabled portal at `/p/{slug}/{key}`; `not_found` for anything else.
    pub async fn open_portal(&self, slug: &str, key: &str) -> CoreResult<PublicPortal> {
        Ok(self.store().find_public_portal(slug, key).await?)
    }

    pub async fn portal_ideas(
        &self,
        portal: &PublicPortal,
        sort: PortalSort,
        status: Option<IdeaStatus>,
        page: &PageRequest,
    ) -> CoreResult<Page<PortalIdea>> {
        // Drafts are internal: the public filter offers only the statuses a decision gives.
        let filter = PortalIdeaFilter {
            states: vec![PortalState::Published],
            status,
            sort,
        };
        Ok(self
            .store()
            .list_portal_ideas(portal.workspace.id, portal.product.id, &filter, page)
            .await?)
    }

    /// A published idea of this portal by its number; a merged one points at the idea that
    /// absorbed it when that one is public. Everything else is `not_found`.
    pub async fn portal_idea(
        &self,
        portal: &PublicPortal,
        number: i64,
    ) -> CoreResult<PortalIdeaLookup> {
        let ws = portal.workspace.id;
        let idea = self
            .store()
            .get_portal_idea_by_number(ws, portal.product.id, number)
            .await?;
        if let Some(into) = idea.merged_into {
            let target = self.store().get_portal_idea(ws, into).await?;
            if target.state == PortalState::Published
                && target.product_id == portal.product.id
                && target.status != IdeaStatus::Merged
            {
                return Ok(PortalIdeaLookup::MergedInto(target.number));
            }
            return Err(CoreError::not_found());
        }
        if idea.state != PortalState::Published {
            return Err(CoreError::not_found());
        }
        Ok(PortalIdeaLookup::Found(idea))
    }

    /// The visible comments of a published idea, oldest first.
    pub async fn portal_comments(
        &self,
        portal: &PublicPortal,
        idea: &PortalIdea,
        page: &PageRequest,
    ) -> CoreResult<Page<PortalComment>> {
        Ok(self
            .store()
            .list_portal_comments(portal.workspace.id, idea.idea_id, false, page)
            .await?)
    }

    /// Which of `ideas` the visitor voted for.
    pub async fn portal_voted(
        &self,
        visitor: &PortalVisitor,
        ideas: &[IdeaId],
    ) -> CoreResult<Vec<IdeaId>> {
        Ok(self.store().voted_ideas(visitor.user.id, ideas).await?)
    }

    pub async fn portal_is_subscribed(
        &self,
        visitor: &PortalVisitor,
        idea: &PortalIdea,
    ) -> CoreResult<bool> {
        Ok(self
            .store()
            .is_subscribed(idea.idea_id, visitor.user.id)
            .await?)
    }

    // --- signing in ---------------------------------------------------------------------------

    /// Sends a one-time code to `email` (through the outbox). The answer is the same whether
    /// the address is known or not: the portal never tells who has an account.
    pub async fn request_portal_code(
        &self,
        portal: &PublicPortal,
        meta: &RequestMeta,
        email: &str,
        display_name: &str,
        locale: Locale,
    ) -> CoreResult<String> {
        let mut errors = Invalid::new();
        let email = phare_domain::validate::email(&mut errors, "email", email);
        let name = phare_domain::display_name(&mut errors, "display_name", display_name);
        errors.into_result()?;
        self.portal_limit(
            "code",
            &format!("{}:{email}", portal.workspace.id),
            meta,
            self.config().portal.codes,
            CODE_WINDOW_SECS,
        )
        .await?;
        let code = six_digits();
        let t = now();
        let product = if portal.portal.title.trim().is_empty() {
            portal.product.name.clone()
        } else {
            portal.portal.title.clone()
        };
        self.store()
            .create_sign_in_code(NewSignInCode {
                id: uuid::Uuid::now_v7(),
                workspace_id: portal.workspace.id,
                email: email.clone(),
                code_hash: sign_in_code_hash(portal.workspace.id, &email, &code),
                display_name: name,
                now: t,
                expires_at: t + Duration::minutes(SIGN_IN_CODE_MINUTES),
                mail: NewOutbox {
                    id: OutboxId::new(),
                    workspace_id: portal.workspace.id,
                    kind: OutboxKind::SignInCode,
                    to_email: email.clone(),
                    locale,
                    payload: json!({
                        "code": code,
                        "product": product,
                        "path": portal_path(portal),
                        "minutes": SIGN_IN_CODE_MINUTES,
                    }),
                    now: t,
                },
            })
            .await?;
        Ok(email)
    }

    /// Checks a code; on success opens a portal session and returns its cookie value (the
    /// store keeps only its hash).
    pub async fn verify_portal_code(
        &self,
        portal: &PublicPortal,
        meta: &RequestMeta,
        email: &str,
        code: &str,
    ) -> CoreResult<(String, PortalUser)> {
        let mut errors = Invalid::new();
        let email = phare_domain::validate::email(&mut errors, "email", email);
        let code = phare_domain::sign_in_code(&mut errors, "code", code);
        errors.into_result()?;
        // Each code allows five tries; this bounds how many codes one address can try at.
        let limits = self.config().portal.codes;
        self.portal_limit(
            "verify",
            &format!("{}:{email}", portal.workspace.id),
            meta,
            Limit {
                per_person: limits.per_person * SIGN_IN_CODE_TRIES,
                per_ip: limits.per_ip * SIGN_IN_CODE_TRIES,
            },
            CODE_WINDOW_SECS,
        )
        .await?;
        let ws = portal.workspace.id;
        let t = now();
        let check = self
            .store()
            .verify_sign_in_code(ws, &email, &sign_in_code_hash(ws, &email, &code), t)
            .await?;
        let (outcome, field_code) = match &check {
            CodeCheck::Verified(_) => ("success", ""),
            CodeCheck::Wrong { tries_left } if *tries_left > 0 => ("failure", "code_wrong"),
            CodeCheck::Wrong { .. } | CodeCheck::NoLiveCode => ("failure", "code_dead"),
        };
        self.audit_raw(
            Some(ws),
            None,
            &email,
            meta,
            Entry {
                action: "portal.sign_in",
                target_kind: "portal_user",
                target_id: match &check {
                    CodeCheck::Verified(u) => Some(u.id.to_string()),
                    _ => None,
                },
                outcome,
                detail: json!({ "product": portal.product.key }),
            },
        )
        .await;
        let user = match check {
            CodeCheck::Verified(u) => u,
            _ => return Err(CoreError::field("code", field_code)),
        };
        let sid = secret::random_token();
        self.store()
            .create_portal_session(NewPortalSession {
                id_hash: secret::hash(&sid),
                portal_user_id: user.id,
                now: t,
                expires_at: t + Duration::days(PORTAL_SESSION_DAYS),
            })
            .await?;
        Ok((sid, user))
    }

    /// The visitor behind a portal cookie on this portal: a live session of a user of this
    /// portal's workspace, or nobody.
    pub async fn resolve_portal_visitor(
        &self,
        portal: &PublicPortal,
        session_id: &str,
    ) -> CoreResult<Option<PortalVisitor>> {
        let id_hash = secret::hash(session_id);
        let Some((session, user)) = self.store().get_portal_session(&id_hash).await? else {
            return Ok(None);
        };
        let t = now();
        if session.expires_at <= t || session.last_seen_at + Duration::days(PORTAL_IDLE_DAYS) <= t {
            self.store().delete_portal_session(&id_hash).await?;
            return Ok(None);
        }
        // A session of another workspace's portal is no one here.
        if user.workspace_id != portal.workspace.id {
            return Ok(None);
        }
        if (t - session.last_seen_at).num_seconds() >= TOUCH_EVERY_SECS {
            self.store().touch_portal_session(&id_hash, t).await?;
        }
        Ok(Some(PortalVisitor {
            user,
            session_hash: id_hash,
        }))
    }

    pub async fn portal_sign_out(&self, visitor: &PortalVisitor) -> CoreResult<()> {
        Ok(self
            .store()
            .delete_portal_session(&visitor.session_hash)
            .await?)
    }

    // --- what a signed-in visitor does --------------------------------------------------------

    async fn public_idea(&self, portal: &PublicPortal, number: i64) -> CoreResult<PortalIdea> {
        match self.portal_idea(portal, number).await? {
            PortalIdeaLookup::Found(i) => Ok(i),
            PortalIdeaLookup::MergedInto(_) => Err(CoreError::not_found()),
        }
    }

    /// One vote per person: voting again changes nothing. The first vote of a person for an
    /// idea also lands in the product's inbox as feedback from the portal, linked to the idea
    /// as evidence.
    pub async fn portal_vote(
        &self,
        portal: &PublicPortal,
        visitor: &PortalVisitor,
        meta: &RequestMeta,
        number: i64,
    ) -> CoreResult<PortalIdea> {
        let idea = self.public_idea(portal, number).await?;
        self.portal_limit(
            "vote",
            &visitor.user.id.to_string(),
            meta,
            self.config().portal.votes,
            ACTION_WINDOW_SECS,
        )
        .await?;
        let t = now();
        let ws = portal.workspace.id;
        let outcome = self
            .store()
            .vote(NewVote {
                workspace_id: ws,
                idea_id: idea.idea_id,
                portal_user_id: visitor.user.id,
                now: t,
                feedback: NewFeedback {
                    id: FeedbackId::new(),
                    workspace_id: ws,
                    product_id: Some(portal.product.id),
                    text: vote_feedback_text(portal.workspace.default_locale, &idea.title),
                    source: SourceKind::Portal,
                    customer: None,
                    contact: Some(visitor.user.email.clone()),
                    author_id: None,
                    observed_at: t,
                    tags: Vec::new(),
                    external: Some((
                        VOTE_FEEDBACK_SOURCE.to_owned(),
                        format!("{}:{}", idea.idea_id, visitor.user.id),
                    )),
                    now: t,
                },
                evidence_id: EvidenceId::new(),
            })
            .await
            .map_err(portal_error)?;
        Ok(outcome.idea)
    }

    /// Takes a vote back. What the vote left in the inbox stays: the team may have triaged it
    /// already, and it remains true that this person asked for the idea at the time; the
    /// count, which is what the portal shows, drops at once.
    pub async fn portal_unvote(
        &self,
        portal: &PublicPortal,
        visitor: &PortalVisitor,
        meta: &RequestMeta,
        number: i64,
    ) -> CoreResult<PortalIdea> {
        let idea = self.public_idea(portal, number).await?;
        self.portal_limit(
            "vote",
            &visitor.user.id.to_string(),
            meta,
            self.config().portal.votes,
            ACTION_WINDOW_SECS,
        )
        .await?;
        let outcome = self
            .store()
            .unvote(portal.workspace.id, idea.idea_id, visitor.user.id, now())
            .await
            .map_err(portal_error)?;
        Ok(outcome.idea)
    }

    pub async fn portal_comment(
        &self,
        portal: &PublicPortal,
        visitor: &PortalVisitor,
        meta: &RequestMeta,
        number: i64,
        body: &str,
    ) -> CoreResult<PortalComment> {
        let mut errors = Invalid::new();
        let body = comment_body(&mut errors, "body", body);
        errors.into_result()?;
        let idea = self.public_idea(portal, number).await?;
        self.portal_limit(
            "comment",
            &visitor.user.id.to_string(),
            meta,
            self.config().portal.comments,
            ACTION_WINDOW_SECS,
        )
        .await?;
        self.store()
            .add_portal_comment(NewPortalComment {
                id: CommentId::new(),
                workspace_id: portal.workspace.id,
                idea_id: idea.idea_id,
                author: CommentAuthor::User(visitor.user.id),
                body,
                now: now(),
            })
            .await
            .map_err(portal_error)
    }

    pub async fn portal_subscribe(
        &self,
        portal: &PublicPortal,
        visitor: &PortalVisitor,
        number: i64,
        on: bool,
    ) -> CoreResult<()> {
        let idea = self.public_idea(portal, number).await?;
        let ws = portal.workspace.id;
        if on {
            self.store()
                .subscribe(ws, idea.idea_id, visitor.user.id, now())
                .await
                .map_err(portal_error)?;
        } else {
            self.store()
                .unsubscribe(ws, idea.idea_id, visitor.user.id)
                .await?;
        }
        Ok(())
    }

    /// A submission is held for moderation (pending) and lands in the inbox. With the honeypot
    /// filled, nothing is stored and the answer looks the same: robots learn nothing.
    pub async fn portal_submit(
        &self,
        portal: &PublicPortal,
        visitor: &PortalVisitor,
        meta: &RequestMeta,
        input: SubmissionInput,
    ) -> CoreResult<Option<PortalIdea>> {
        let mut errors = Invalid::new();
        let title = required_text(&mut errors, "title", &input.title, PORTAL_TITLE_MAX);
        let description = optional_text(
            &mut errors,
            "description",
            &input.description,
            PORTAL_DESCRIPTION_MAX,
        );
        let bug = input.bug.validate(input.kind == IdeaKind::Bug, &mut errors);
        errors.into_result()?;
        self.portal_limit(
            "submit",
            &visitor.user.id.to_string(),
            meta,
            self.config().portal.submissions,
            ACTION_WINDOW_SECS,
        )
        .await?;
        if !input.honeypot.trim().is_empty() {
            tracing::info!(request_id = %meta.request_id, "portal submission dropped: honeypot filled");
            return Ok(None);
        }
        let t = now();
        let ws = portal.workspace.id;
        let idea = self
            .store()
            .submit_portal_idea(PortalSubmission {
                idea: NewIdea {
                    id: IdeaId::new(),
                    workspace_id: ws,
                    product_id: portal.product.id,
                    text: IdeaText {
                        kind: input.kind,
                        title: title.clone(),
                        description: description.clone(),
                        bug: bug.clone(),
                        ..Default::default()
                    },
                    status: IdeaStatus::Draft,
                    owner_id: None,
                    tags: Vec::new(),
                    created_by: None,
                    evidence: None,
                    external: None,
                    now: t,
                },
                submitted_by: visitor.user.id,
                feedback: NewFeedback {
                    id: FeedbackId::new(),
                    workspace_id: ws,
                    product_id: Some(portal.product.id),
                    text: submission_feedback_text(
                        portal.workspace.default_locale,
                        &title,
                        &description,
                        (input.kind == IdeaKind::Bug).then_some(&bug),
                    ),
                    source: SourceKind::Portal,
                    customer: None,
                    contact: Some(visitor.user.email.clone()),
                    author_id: None,
                    observed_at: t,
                    tags: Vec::new(),
                    external: None,
                    now: t,
                },
                evidence_id: EvidenceId::new(),
            })
            .await?;
        Ok(Some(idea))
    }

    // --- the team's side ----------------------------------------------------------------------

    /// A product's portal settings, `None` when it never had any (the portal is off).
    pub async fn portal_settings(
        &self,
        actor: &Actor,
        meta: &RequestMeta,
        product: ProductId,
    ) -> CoreResult<(Product, Option<Portal>)> {
        self.check(actor, meta, Action::ReadDiscovery, "portal.read")
            .await?;
        let ws = actor.member.workspace_id;
        let p = self.store().get_product(ws, product).await?;
        match self.store().get_portal(ws, product).await {
            Ok(portal) => Ok((p, Some(portal))),
            Err(StoreError::NotFound) => Ok((p, None)),
            Err(e) => Err(e.into()),
        }
    }

    /// Turns a product's portal on or off and sets its title and introduction. `version` is 0
    /// for a product whose portal was never configured.
    pub async fn configure_portal(
        &self,
        actor: &Actor,
        meta: &RequestMeta,
        product: ProductId,
        version: i64,
        input: PortalSettingsInput,
    ) -> CoreResult<Portal> {
        self.check(actor, meta, Action::ModeratePortal, "portal.configure")
            .await?;
        let (_, current) = self.portal_settings(actor, meta, product).await?;
        let mut errors = Invalid::new();
        let title = input
            .title
            .as_deref()
            .map(|t| optional_text(&mut errors, "title", t, PORTAL_NAME_MAX));
        if title.as_deref().is_some_and(|t| t.contains('\n')) {
            errors.add("title", "invalid_characters");
        }
        let intro = input
            .intro
            .as_deref()
            .map(|t| optional_text(&mut errors, "intro", t, PORTAL_INTRO_MAX));
        errors.into_result()?;
        let portal = self
            .store()
            .put_portal(PortalPut {
                workspace_id: actor.member.workspace_id,
                product_id: product,
                expected_version: version,
                enabled: input
                    .enabled
                    .unwrap_or(current.as_ref().is_some_and(|p| p.enabled)),
                title: title.unwrap_or_else(|| {
                    current
                        .as_ref()
                        .map(|p| p.title.clone())
                        .unwrap_or_default()
                }),
                intro: intro.unwrap_or_else(|| {
                    current
                        .as_ref()
                        .map(|p| p.intro.clone())
                        .unwrap_or_default()
                }),
                now: now(),
            })
            .await?;
        self.audit_ok(
            actor,
            meta,
            "portal.configure",
            "product",
            product,
            json!({ "enabled": portal.enabled, "version": portal.version }),
        )
        .await;
        Ok(portal)
    }

    /// The portal face of an idea, whatever its state (the team sees everything).
    pub async fn get_portal_idea(
        &self,
        actor: &Actor,
        meta: &RequestMeta,
        idea: IdeaId,
    ) -> CoreResult<PortalIdea> {
        self.check(actor, meta, Action::ReadDiscovery, "portal.read")
            .await?;
        Ok(self
            .store()
            .get_portal_idea(actor.member.workspace_id, idea)
            .await?)
    }

    /// The portal ideas of a product in the given states (the moderation queue: pending).
    pub async fn list_portal_ideas(
        &self,
        actor: &Actor,
        meta: &RequestMeta,
        product: ProductId,
        filter: &PortalIdeaFilter,
        page: &PageRequest,
    ) -> CoreResult<Page<PortalIdea>> {
        self.check(actor, meta, Action::ReadDiscovery, "portal.read")
            .await?;
        let ws = actor.member.workspace_id;
        self.store().get_product(ws, product).await?;
        Ok(self
            .store()
            .list_portal_ideas(ws, product, filter, page)
            .await?)
    }

    /// Publishes, hides or withdraws an idea from the portal, or edits its public text.
    pub async fn moderate_portal_idea(
        &self,
        actor: &Actor,
        meta: &RequestMeta,
        idea: IdeaId,
        version: i64,
        input: PortalIdeaInput,
    ) -> CoreResult<PortalIdea> {
        self.check(actor, meta, Action::ModeratePortal, "portal.moderate")
            .await?;
        let ws = actor.member.workspace_id;
        let current = self.store().get_portal_idea(ws, idea).await?;
        let mut errors = Invalid::new();
        if input.state == Some(PortalState::Pending) && current.state != PortalState::Pending {
            // Pending is where submissions wait; nothing goes back there.
            errors.add("state", "invalid_value");
        }
        if current.status == IdeaStatus::Merged {
            errors.add("idea", "idea_merged");
        }
        let title = input
            .title
            .as_deref()
            .map(|t| optional_text(&mut errors, "title", t, PORTAL_TITLE_MAX));
        if title.as_deref().is_some_and(|t| t.contains('\n')) {
            errors.add("title", "invalid_characters");
        }
        let description = input
            .description
            .as_deref()
            .map(|d| optional_text(&mut errors, "description", d, PORTAL_DESCRIPTION_MAX));
        errors.into_result()?;
        let after = self
            .store()
            .update_portal_idea(
                ws,
                idea,
                version,
                PortalIdeaPatch {
                    state: input.state,
                    title,
                    description,
                    now: Some(now()),
                },
            )
            .await?;
        self.audit_ok(
            actor,
            meta,
            "portal.moderate",
            "idea",
            idea,
            json!({
                "state": after.state,
                "previous_state": current.state,
                "text_changed": after.title != current.title || after.description != current.description,
            }),
        )
        .await;
        Ok(after)
    }

    /// Every comment of an idea, hidden ones included (the team's view).
    pub async fn list_idea_portal_comments(
        &self,
        actor: &Actor,
        meta: &RequestMeta,
        idea: IdeaId,
        page: &PageRequest,
    ) -> CoreResult<Page<PortalComment>> {
        self.check(actor, meta, Action::ReadDiscovery, "portal.read")
            .await?;
        let ws = actor.member.workspace_id;
        self.store().get_portal_idea(ws, idea).await?;
        Ok(self
            .store()
            .list_portal_comments(ws, idea, true, page)
            .await?)
    }

    /// The latest comments on a product's portal, for review.
    pub async fn list_product_portal_comments(
        &self,
        actor: &Actor,
        meta: &RequestMeta,
        product: ProductId,
        page: &PageRequest,
    ) -> CoreResult<Page<PortalComment>> {
        self.check(actor, meta, Action::ReadDiscovery, "portal.read")
            .await?;
        let ws = actor.member.workspace_id;
        self.store().get_product(ws, product).await?;
        Ok(self
            .store()
            .list_product_comments(ws, product, page)
            .await?)
    }

    pub async fn set_portal_comment_hidden(
        &self,
        actor: &Actor,
        meta: &RequestMeta,
        comment: CommentId,
        hidden: bool,
    ) -> CoreResult<PortalComment> {
        self.check(
            actor,
            meta,
            Action::ModeratePortal,
            "portal.comment_visibility",
        )
        .await?;
        let c = self
            .store()
            .set_comment_hidden(
                actor.member.workspace_id,
                comment,
                hidden,
                actor.member.id,
                now(),
            )
            .await?;
        self.audit_ok(
            actor,
            meta,
            if hidden {
                "portal.comment_hide"
            } else {
                "portal.comment_show"
            },
            "portal_comment",
            comment,
            json!({ "idea_id": c.idea_id }),
        )
        .await;
        Ok(c)
    }

    pub async fn get_portal_comment(
        &self,
        actor: &Actor,
        meta: &RequestMeta,
        comment: CommentId,
    ) -> CoreResult<PortalComment> {
        self.check(actor, meta, Action::ReadDiscovery, "portal.read")
            .await?;
        Ok(self
            .store()
            .get_portal_comment(actor.member.workspace_id, comment)
            .await?)
    }

    /// A member answers on the portal, in the team's name.
    pub async fn reply_on_portal(
        &self,
        actor: &Actor,
        meta: &RequestMeta,
        idea: IdeaId,
        body: &str,
    ) -> CoreResult<PortalComment> {
        self.check(actor, meta, Action::WorkOnDiscovery, "portal.comment")
            .await?;
        let mut errors = Invalid::new();
        let body = comment_body(&mut errors, "body", body);
        errors.into_result()?;
        let c = self
            .store()
            .add_portal_comment(NewPortalComment {
                id: CommentId::new(),
                workspace_id: actor.member.workspace_id,
                idea_id: idea,
                author: CommentAuthor::Member(actor.member.id),
                body,
                now: now(),
            })
            .await
            .map_err(|e| match e {
                StoreError::VersionConflict => CoreError::field("idea", "idea_merged"),
                other => other.into(),
            })?;
        self.audit_ok(
            actor,
            meta,
            "portal.comment",
            "idea",
            idea,
            json!({ "comment_id": c.id }),
        )
        .await;
        Ok(c)
    }

    // --- notifications and the outbox --------------------------------------------------------

    /// Queues an e-mail to each subscriber of a published idea whose status changed. Called
    /// after the change is stored; a failure here is logged, the change stands. `note` is the
    /// public part of a decision's rationale (Markdown, may be empty), told to the followers.
    pub(crate) async fn notify_status_change(&self, before: &Idea, after: &Idea, note: &str) {
        if before.status == after.status {
            return;
        }
        if let Err(e) = self.queue_status_mail(before.status, after, note).await {
            tracing::error!(idea = %after.id, error = %e, "could not queue the status notifications");
        }
    }

    async fn queue_status_mail(&self, old: IdeaStatus, idea: &Idea, note: &str) -> CoreResult<()> {
        let ws = idea.workspace_id;
        let face = self.store().get_portal_idea(ws, idea.id).await?;
        if face.state != PortalState::Published {
            return Ok(());
        }
        let subscribers = self.store().list_subscribers(ws, idea.id).await?;
        if subscribers.is_empty() {
            return Ok(());
        }
        let workspace = self.store().get_workspace(ws).await?;
        let product = self.store().get_product(ws, idea.product_id).await?;
        let portal_title = self
            .store()
            .get_portal(ws, product.id)
            .await
            .ok()
            .map(|p| p.title)
            .filter(|t| !t.trim().is_empty())
            .unwrap_or_else(|| product.name.clone());
        let t = now();
        let payload = json!({
            "product": portal_title,
            "title": face.title,
            "description": face.description,
            "old_status": old,
            "new_status": idea.status,
            "rationale": note,
            "path": format!("/p/{}/{}/ideas/{}", workspace.slug, product.key, face.number),
        });
        // Chunks keep each transaction short on an idea followed by thousands.
        for chunk in subscribers.chunks(500) {
            let mails = chunk
                .iter()
                .map(|u| NewOutbox {
                    id: OutboxId::new(),
                    workspace_id: ws,
                    kind: OutboxKind::StatusChanged,
                    to_email: u.email.clone(),
                    locale: workspace.default_locale,
                    payload: payload.clone(),
                    now: t,
                })
                .collect();
            self.store().queue_outbox(mails).await?;
        }
        Ok(())
    }

    /// The workspace's outgoing e-mails, newest first (admins: with no SMTP server, this is
    /// where sign-in codes and notifications wait, so nothing is lost).
    pub async fn list_outbox(
        &self,
        actor: &Actor,
        meta: &RequestMeta,
        page: &PageRequest,
    ) -> CoreResult<Page<OutboxMessage>> {
        self.check(actor, meta, Action::ReadOutbox, "outbox.read")
            .await?;
        Ok(self
            .store()
            .list_outbox(actor.member.workspace_id, page)
            .await?)
    }

    /// Claims due e-mails for this process's sender (see `PortalStore::claim_outbox`).
    pub async fn claim_outbox(&self, limit: i64) -> CoreResult<Vec<OutboxMessage>> {
        let t = now();
        Ok(self
            .store()
            .claim_outbox(t, t - Duration::minutes(OUTBOX_STALE_MINUTES), limit)
            .await?)
    }

    pub async fn outbox_sent(&self, id: OutboxId) -> CoreResult<()> {
        Ok(self.store().outbox_sent(id, now()).await?)
    }

    /// A failed attempt: tried again after 1, 5, 30 minutes and 2 hours, then failed for good.
    pub async fn outbox_failed(&self, message: &OutboxMessage, error: &str) -> CoreResult<()> {
        let t = now();
        let retry_at = match message.attempts {
            n if n >= OUTBOX_ATTEMPTS => None,
            1 => Some(t + Duration::minutes(1)),
            2 => Some(t + Duration::minutes(5)),
            3 => Some(t + Duration::minutes(30)),
            _ => Some(t + Duration::hours(2)),
        };
        let error = printable(error, 500);
        Ok(self
            .store()
            .outbox_failed(message.id, &error, retry_at, t)
            .await?)
    }

    /// Removes dead portal sessions and codes; run periodically by the server.
    pub async fn purge_portal(&self) -> CoreResult<u64> {
        let t = now();
        Ok(self
            .store()
            .purge_portal(t, t - Duration::days(PORTAL_IDLE_DAYS))
            .await?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limits_parse_per_person_and_per_address() {
        let l = PortalLimits::parse("codes=3/9, votes=1000/5000").unwrap();
        assert_eq!(
            l.codes,
            Limit {
                per_person: 3,
                per_ip: 9
            }
        );
        assert_eq!(l.votes.per_ip, 5000);
        assert_eq!(l.submissions, PortalLimits::default().submissions);
        for bad in ["codes=3", "codes=0/4", "likes=1/2", "votes=a/b"] {
            assert!(PortalLimits::parse(bad).is_err(), "{bad}");
        }
        assert_eq!(PortalLimits::parse("").unwrap(), PortalLimits::default());
    }

    #[test]
    fn codes_are_six_digits() {
        for _ in 0..100 {
            let c = six_digits();
            assert_eq!(c.len(), 6);
            assert!(c.chars().all(|c| c.is_ascii_digit()));
        }
    }
}

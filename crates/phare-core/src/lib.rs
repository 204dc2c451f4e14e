//! Phare's use cases. Every action a person or a script can take goes through here: the policy
//! decides, the input is validated, the store is called, the audit trail is written.
//!
//! This crate knows nothing of HTTP or HTML; it must never build SQL or format a page.

mod accounts;
mod audit;
// decisions (issue #4)
mod decisions;
mod error;
mod feedback;
mod ideas;
mod interchange;
mod org;
mod passwords;
pub mod policy;
mod portal;
mod research;
// scoring slice (issue #4)
mod scoring;
mod search;
// specs (issue 4)
pub mod secret;
mod specs;
// Stakeholder sessions (issue #4 part 3).
mod stakeholders;

pub use accounts::{LoginOutcome, NewTokenInput, SessionConfig};
pub use audit::RequestMeta;
// decisions (issue #4)
pub use decisions::{DecisionInput, DecisionQuery, JOB_BATCH, JOB_LEASE_SECONDS};
pub use error::{CoreError, CoreResult};
pub use feedback::{CustomerFields, CustomerUpdate, FeedbackInput};
pub use ideas::{BugInput, EvidenceInput, IdeaInput};
pub use interchange::{
    source_from_text, status_from_text, ExportFormat, ImportOutcome, ImportPlan, ImportRequest,
    EXPORT_MAX_ROWS, IMPORT_MAX_ROWS,
};
pub use org::{MemberInput, ProductInput, ProductLineInput, ProfileInput, WorkspaceInput};
pub use policy::{Action, Actor, Credential};
pub use portal::{
    portal_path, Limit, PortalIdeaInput, PortalIdeaLookup, PortalLimits, PortalSettingsInput,
    PortalVisitor, SubmissionInput,
};
pub use research::{NoteInput, PassageInput};
// scoring slice (issue #4)
pub use scoring::{
    framework_from, CriterionInput, ScoreInput, ScoredIdea, SettingsInput, BULK_MAX,
};
pub use search::{SearchResult, QUERY_MAX_CHARS, SIMILAR_SHOWN};
pub use stakeholders::{refusal, InvitationInput, SessionAccess, SessionInput};

use phare_store::Store;
use std::sync::Arc;

/// Tunables of the core, set by the binary from configuration.
#[derive(Clone, Debug)]
pub struct CoreConfig {
    pub sessions: SessionConfig,
    /// Login attempts allowed per source IP in a 15-minute window.
    pub login_attempts_per_ip: i64,
    /// Login attempts allowed per e-mail in a 15-minute window (slows distributed guessing).
    pub login_attempts_per_email: i64,
    /// How long an invitation link stays valid.
    pub invitation_days: i64,
    /// Rate limits of the public portals.
    pub portal: PortalLimits,
}

impl Default for CoreConfig {
    fn default() -> Self {
        Self {
            sessions: SessionConfig::default(),
            login_attempts_per_ip: 10,
            login_attempts_per_email: 10,
            invitation_days: 7,
            portal: PortalLimits::default(),
        }
    }
}

/// The application: a store and the rules. Cheap to clone (everything is behind `Arc`).
#[derive(Clone)]
pub struct Phare {
    store: Arc<dyn Store>,
    config: Arc<CoreConfig>,
}

impl Phare {
    pub fn new(store: Arc<dyn Store>, config: CoreConfig) -> Self {
        Self {
            store,
            config: Arc::new(config),
        }
    }

    pub fn store(&self) -> &dyn Store {
        &*self.store
    }

    pub fn config(&self) -> &CoreConfig {
        &self.config
    }

    /// Counts one hit on each of a request's two limits (e.g. per person and per address) in
    /// one write, and returns both counts in the order given.
    pub(crate) async fn hit_two_limits(
        &self,
        keys: [String; 2],
        window_secs: i64,
        now: phare_store::Timestamp,
    ) -> CoreResult<(i64, i64)> {
        match self
            .store()
            .hit_rate_limits(&keys, window_secs, now)
            .await?
            .as_slice()
        {
            [first, second] => Ok((*first, *second)),
            other => Err(CoreError::internal(format!(
                "{} rate-limit counts for 2 keys",
                other.len()
            ))),
        }
    }
}

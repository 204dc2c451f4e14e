//! The logical dump: every durable record in a backend-neutral, versioned JSON envelope. It is
//! the format of `phare export`/`import`, of PostgreSQL backups, and of moving between backends.

use crate::records::*;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;

pub const DUMP_FORMAT: &str = "phare-dump";
pub const DUMP_VERSION: u32 = 1;

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Dump {
    pub format: String,
    pub version: u32,
    pub exported_at: Option<crate::Timestamp>,
    pub workspaces: Vec<Workspace>,
    pub members: Vec<MemberRecord>,
    pub product_lines: Vec<ProductLine>,
    pub products: Vec<Product>,
    pub raci: Vec<RaciEntry>,
    pub tokens: Vec<TokenRecord>,
    pub invitations: Vec<InvitationRecord>,
    pub audit: Vec<AuditEvent>,
    /// Absent from dumps written before discovery existed.
    #[serde(default, flatten)]
    pub discovery: crate::DiscoveryDump,
    /// Absent from dumps written before the portal existed.
    #[serde(default, flatten)]
    pub portal: crate::PortalDump,
    #[serde(default, flatten)]
    pub research: crate::ResearchDump,
    /// Decisions (issue #4): the decision log, the job queue, members' notifications.
    #[serde(default, flatten)]
    pub decisions: crate::DecisionsDump,
    // specs (issue 4)
    #[serde(default, flatten)]
    pub specs: crate::SpecsDump,
    // scoring slice (issue #4)
    #[serde(default, flatten)]
    pub scoring: crate::ScoringDump,
    /// Stakeholder sessions; absent from dumps written before they existed.
    #[serde(default, flatten)]
    pub stakeholders: crate::StakeholdersDump,
}

/// Per-table SHA-256 over the canonical JSON of each table, rows sorted: two dumps with equal
/// checksums hold the same data, whatever backend produced them.
pub type DumpChecksums = BTreeMap<&'static str, String>;

impl Dump {
    pub fn checksums(&self) -> DumpChecksums {
        fn table<T: Serialize>(rows: &[T]) -> String {
            let mut lines: Vec<String> = rows
                .iter()
                .map(|r| serde_json::to_string(r).unwrap_or_default())
                .collect();
            lines.sort();
            let mut h = Sha256::new();
            for l in &lines {
                h.update(l.as_bytes());
                h.update(b"\n");
            }
            format!("{}:{}", rows.len(), hex::encode(h.finalize()))
        }
        BTreeMap::from([
            ("workspaces", table(&self.workspaces)),
            ("members", table(&self.members)),
            ("product_lines", table(&self.product_lines)),
            ("products", table(&self.products)),
            ("raci", table(&self.raci)),
            ("tokens", table(&self.tokens)),
            ("invitations", table(&self.invitations)),
            ("audit", table(&self.audit)),
            ("customers", table(&self.discovery.customers)),
            ("feedback", table(&self.discovery.feedback)),
            ("ideas", table(&self.discovery.ideas)),
            ("idea_changes", table(&self.discovery.idea_changes)),
            ("evidence", table(&self.discovery.evidence)),
            ("idea_merges", table(&self.discovery.idea_merges)),
            ("portals", table(&self.portal.portals)),
            ("portal_ideas", table(&self.portal.portal_ideas)),
            ("portal_users", table(&self.portal.portal_users)),
            ("portal_votes", table(&self.portal.portal_votes)),
            ("portal_comments", table(&self.portal.portal_comments)),
            (
                "portal_subscriptions",
                table(&self.portal.portal_subscriptions),
            ),
            ("outbox", table(&self.portal.outbox)),
            ("personas", table(&self.research.personas)),
            ("persona_links", table(&self.research.persona_links)),
            ("competitors", table(&self.research.competitors)),
            ("capabilities", table(&self.research.capabilities)),
            (
                "competitor_ratings",
                table(&self.research.competitor_ratings),
            ),
            ("research_notes", table(&self.research.research_notes)),
            // decisions (issue #4)
            ("decisions", table(&self.decisions.decisions)),
            ("jobs", table(&self.decisions.jobs)),
            ("notifications", table(&self.decisions.notifications)),
            // specs (issue 4)
            ("spec_versions", table(&self.specs.spec_versions)),
            (
                "feature_doc_versions",
                table(&self.specs.feature_doc_versions),
            ),
            // scoring slice (issue #4)
            ("scoring_settings", table(&self.scoring.scoring_settings)),
            ("idea_scores", table(&self.scoring.idea_scores)),
            ("idea_ranks", table(&self.scoring.idea_ranks)),
            ("backlog_views", table(&self.scoring.backlog_views)),
            // Stakeholder sessions.
            (
                "stakeholder_groups",
                table(&self.stakeholders.stakeholder_groups),
            ),
            (
                "prioritization_sessions",
                table(&self.stakeholders.prioritization_sessions),
            ),
            (
                "session_invitations",
                table(&self.stakeholders.session_invitations),
            ),
            ("ballots", table(&self.stakeholders.ballots)),
        ])
    }

    pub fn is_recognised(&self) -> bool {
        self.format == DUMP_FORMAT && self.version == DUMP_VERSION
    }
}

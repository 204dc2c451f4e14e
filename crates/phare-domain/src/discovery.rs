//! Discovery: the vocabulary of feedback, customers, ideas and evidence, and the rules that hold
//! whatever door the data comes through (page, API, CLI, import, portal).
//!
//! Spellings of the enums are stored in both databases and the API: never rename one.

use crate::validate::{optional_text, required_text};
use crate::Invalid;

text_enum!(
    /// Where a piece of feedback comes from (glossary: "source").
    SourceKind {
        Interview => "interview",
        Support => "support",
        Sales => "sales",
        TeamBrainstorm => "team_brainstorm",
        CustomerBrainstorm => "customer_brainstorm",
        Data => "data",
        MarketWatch => "market_watch",
        UserClub => "user_club",
        Portal => "portal",
        Survey => "survey",
        Other => "other",
    }
);

text_enum!(
    /// Whether feedback is the voice of people outside the team or the team's own observation.
    Origin {
        Internal => "internal",
        External => "external",
    }
);

impl SourceKind {
    /// Derived, never typed: the team's brainstorms, its data and its market watch are its own
    /// observations; everything else reports what users or customers said. "Other" counts as
    /// internal because nobody outside can be named as its speaker.
    pub fn origin(self) -> Origin {
        match self {
            Self::TeamBrainstorm | Self::Data | Self::MarketWatch | Self::Other => Origin::Internal,
            Self::Interview
            | Self::Support
            | Self::Sales
            | Self::CustomerBrainstorm
            | Self::UserClub
            | Self::Portal
            | Self::Survey => Origin::External,
        }
    }
}

text_enum!(
    /// A feedback item's place in the inbox.
    FeedbackState {
        New => "new",
        Processed => "processed",
        Archived => "archived",
    }
);

text_enum!(
    /// Whether a customer is an organisation or a single person.
    CustomerKind {
        Organisation => "organisation",
        Person => "person",
    }
);

text_enum!(
    /// How much a piece of evidence matters to the idea it supports.
    Importance {
        NiceToHave => "nice_to_have",
        Important => "important",
        Critical => "critical",
    }
);

impl Importance {
    /// The factor in the demand figure (Productboard weighs insights 1 to 3 the same way).
    pub fn weight(self) -> i64 {
        match self {
            Self::NiceToHave => 1,
            Self::Important => 2,
            Self::Critical => 3,
        }
    }
}

text_enum!(
    /// An idea's life cycle. `Merged` is reached only through a merge.
    IdeaStatus {
        Draft => "draft",
        UnderConsideration => "under_consideration",
        Planned => "planned",
        InProgress => "in_progress",
        Shipped => "shipped",
        Declined => "declined",
        Merged => "merged",
    }
);

text_enum!(
    /// What an idea is: a user story (the default), or a bug report whose template (steps,
    /// expected, actual, environment, severity) is required wherever one is written.
    IdeaKind {
        Story => "story",
        Bug => "bug",
    }
);

// `text_enum!` cannot mark a default variant, so the impl is written out.
#[allow(clippy::derivable_impls)]
impl Default for IdeaKind {
    fn default() -> Self {
        Self::Story
    }
}

text_enum!(
    /// How badly a bug hurts, worst first (the scale Jira and Bugzilla users know).
    Severity {
        Blocker => "blocker",
        Critical => "critical",
        Major => "major",
        Minor => "minor",
        Trivial => "trivial",
    }
);

text_enum!(
    /// What the one search box finds.
    SearchKind {
        Feedback => "feedback",
        Idea => "idea",
        Persona => "persona",
        Competitor => "competitor",
        ResearchNote => "research_note",
    }
);

pub const FEEDBACK_TEXT_MAX: usize = 20_000;
pub const IDEA_TITLE_MAX: usize = 200;
pub const STORY_PART_MAX: usize = 1_000;
pub const IDEA_DESCRIPTION_MAX: usize = 50_000;
pub const CUSTOMER_NAME_MAX: usize = 200;
pub const SEGMENT_MAX: usize = 80;
pub const CONTACT_MAX: usize = 200;
pub const TAG_MAX: usize = 40;
pub const TAGS_MAX: usize = 20;
pub const EXCERPT_MAX: usize = 2_000;
/// Steps to reproduce (Markdown, usually a numbered list).
pub const BUG_STEPS_MAX: usize = 10_000;
/// Expected and actual behaviour.
pub const BUG_BEHAVIOUR_MAX: usize = 5_000;
pub const BUG_ENVIRONMENT_MAX: usize = 1_000;
pub const REASON_MAX: usize = 2_000;
/// A customer's importance weight runs from 1 (default) to 10.
pub const CUSTOMER_WEIGHT_MAX: i64 = 10;

/// Feedback text: required Markdown, bounded.
pub fn feedback_text(errors: &mut Invalid, field: &str, value: &str) -> String {
    let v = optional_text(errors, field, value, FEEDBACK_TEXT_MAX);
    if v.is_empty() && !errors.0.iter().any(|e| e.field == field) {
        errors.add(field, "required");
    }
    v
}

/// Tags: trimmed, lower-cased so `Export` and `export` are one tag, de-duplicated, bounded.
pub fn tags(errors: &mut Invalid, field: &str, values: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for raw in values {
        let t = raw.trim().to_lowercase();
        if t.is_empty() {
            continue;
        }
        if t.chars().count() > TAG_MAX {
            errors.add(field, "too_long");
            return out;
        }
        if t.chars().any(|c| c.is_control() || c == ',') {
            errors.add(field, "invalid_characters");
            return out;
        }
        if !out.contains(&t) {
            out.push(t);
        }
    }
    if out.len() > TAGS_MAX {
        errors.add(field, "too_many");
    }
    out
}

/// Splits a comma-separated tag field as typed in a form or a CSV cell.
pub fn split_tags(text: &str) -> Vec<String> {
    text.split(',').map(str::to_owned).collect()
}

/// The optional one-line fields of a customer.
pub fn customer_name(errors: &mut Invalid, field: &str, value: &str) -> String {
    required_text(errors, field, value, CUSTOMER_NAME_MAX)
}

pub fn customer_weight(errors: &mut Invalid, field: &str, value: i64) -> i64 {
    if !(1..=CUSTOMER_WEIGHT_MAX).contains(&value) {
        errors.add(field, "out_of_range");
    }
    value
}

/// A bug report's template. Stored with every idea (empty for stories), so switching an idea
/// from bug to story and back loses nothing typed.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct BugReport {
    /// Steps to reproduce, Markdown.
    pub steps: String,
    pub expected: String,
    pub actual: String,
    /// Version, browser, operating system, configuration: whatever it takes to reproduce.
    pub environment: String,
    pub severity: Option<Severity>,
}

impl BugReport {
    /// The template's rules. With `required` (the idea is a bug report) every part must be
    /// there; otherwise only the bounds hold, for a story keeps what it once had as a bug.
    pub fn validate(mut self, required: bool, errors: &mut Invalid) -> Self {
        let fields: [(&str, &mut String, usize); 4] = [
            ("steps", &mut self.steps, BUG_STEPS_MAX),
            ("expected", &mut self.expected, BUG_BEHAVIOUR_MAX),
            ("actual", &mut self.actual, BUG_BEHAVIOUR_MAX),
            ("environment", &mut self.environment, BUG_ENVIRONMENT_MAX),
        ];
        for (field, value, max) in fields {
            *value = optional_text(errors, field, value, max);
            if required && value.is_empty() && !errors.0.iter().any(|e| e.field == field) {
                errors.add(field, "required");
            }
        }
        if required && self.severity.is_none() {
            errors.add("severity", "required");
        }
        self
    }

    pub fn is_empty(&self) -> bool {
        *self == Self::default()
    }
}

/// The writable parts of an idea, validated together because rules span fields: a story
/// cannot leave `draft` without its benefit, and a bug report needs its whole template.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct IdeaText {
    pub kind: IdeaKind,
    pub title: String,
    pub as_a: String,
    pub i_want: String,
    pub so_that: String,
    pub description: String,
    pub bug: BugReport,
}

impl IdeaText {
    pub fn validate(mut self, status: IdeaStatus, errors: &mut Invalid) -> Self {
        self.title = required_text(errors, "title", &self.title, IDEA_TITLE_MAX);
        self.as_a = story_part(errors, "as_a", &self.as_a, STORY_PART_MAX);
        self.i_want = story_part(errors, "i_want", &self.i_want, STORY_PART_MAX);
        self.so_that = story_part(errors, "so_that", &self.so_that, STORY_PART_MAX);
        self.description = optional_text(
            errors,
            "description",
            &self.description,
            IDEA_DESCRIPTION_MAX,
        );
        let bug = self.kind == IdeaKind::Bug;
        // A bug's benefit is that it stops hurting: its template replaces the story's rule.
        if !bug && status != IdeaStatus::Draft && self.so_that.is_empty() {
            errors.add("so_that", "benefit_required");
        }
        self.bug = self.bug.validate(bug, errors);
        self
    }
}

/// A story part: long text rules, its whitespace (line breaks included) collapsed to single spaces.
fn story_part(errors: &mut Invalid, field: &str, value: &str, max: usize) -> String {
    let v = optional_text(errors, field, value, max);
    v.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Status changes a person may make. `Merged` is the merge's own doing, and a merged idea is
/// frozen: it only redirects to the idea that absorbed it.
pub fn status_change(errors: &mut Invalid, from: IdeaStatus, to: IdeaStatus) {
    if from == IdeaStatus::Merged && to != IdeaStatus::Merged {
        errors.add("status", "idea_merged");
    } else if to == IdeaStatus::Merged && from != IdeaStatus::Merged {
        errors.add("status", "use_merge");
    }
}

/// The human reference people say aloud: product key, dash, number (`CHK-42`).
pub fn idea_reference(product_key: &str, number: i64) -> String {
    format!("{product_key}-{number}")
}

/// Parses `CHK-42` into its key and number.
pub fn parse_reference(reference: &str) -> Option<(&str, i64)> {
    let (key, n) = reference.rsplit_once('-')?;
    let n: i64 = n.parse().ok()?;
    (n > 0 && !key.is_empty()).then_some((key, n))
}

/// One piece of evidence as it enters the demand figure.
#[derive(Clone, Copy, Debug)]
pub struct DemandInput {
    pub importance: Importance,
    /// The customer's weight; evidence without a customer weighs 1.
    pub customer_weight: Option<i64>,
}

/// Demand = Σ importance weight (1 nice to have, 2 important, 3 critical) × customer weight
/// (1 to 10, 1 when no customer is known). Shown with this formula beside the figure.
pub fn demand(evidence: impl IntoIterator<Item = DemandInput>) -> i64 {
    evidence
        .into_iter()
        .map(|e| e.importance.weight() * e.customer_weight.unwrap_or(1))
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_idea_cannot_leave_draft_without_its_benefit() {
        let text = IdeaText {
            title: "Export".into(),
            ..Default::default()
        };
        let mut e = Invalid::new();
        text.clone().validate(IdeaStatus::Draft, &mut e);
        assert!(e.is_empty());
        let mut e = Invalid::new();
        text.validate(IdeaStatus::Planned, &mut e);
        assert_eq!(e.0[0].field, "so_that");
        assert_eq!(e.0[0].code, "benefit_required");
    }

    #[test]
    fn a_bug_report_needs_its_whole_template_but_no_benefit() {
        let mut bug = IdeaText {
            kind: IdeaKind::Bug,
            title: "Export crashes".into(),
            ..Default::default()
        };
        let mut e = Invalid::new();
        bug.clone().validate(IdeaStatus::Draft, &mut e);
        assert_eq!(
            e.0.iter()
                .map(|f| (f.field.as_str(), f.code))
                .collect::<Vec<_>>(),
            [
                ("steps", "required"),
                ("expected", "required"),
                ("actual", "required"),
                ("environment", "required"),
                ("severity", "required"),
            ]
        );
        bug.bug = BugReport {
            steps: " 1. Open a product\n2. Export ".into(),
            expected: "A file".into(),
            actual: "An error 500".into(),
            environment: "Firefox 133, Phare 0.4".into(),
            severity: Some(Severity::Major),
        };
        let mut e = Invalid::new();
        let valid = bug.validate(IdeaStatus::Planned, &mut e);
        assert!(e.is_empty(), "{e:?}");
        assert_eq!(valid.bug.steps, "1. Open a product\n2. Export");
    }

    #[test]
    fn a_story_keeps_an_old_template_within_bounds_without_requiring_it() {
        let story = IdeaText {
            title: "Export".into(),
            bug: BugReport {
                steps: "x".repeat(BUG_STEPS_MAX + 1),
                ..Default::default()
            },
            ..Default::default()
        };
        let mut e = Invalid::new();
        story.validate(IdeaStatus::Draft, &mut e);
        assert_eq!(e.0.len(), 1);
        assert_eq!((e.0[0].field.as_str(), e.0[0].code), ("steps", "too_long"));
    }

    #[test]
    fn origin_is_derived_from_the_source() {
        assert_eq!(SourceKind::Support.origin(), Origin::External);
        assert_eq!(SourceKind::TeamBrainstorm.origin(), Origin::Internal);
        for s in SourceKind::ALL {
            assert_eq!(SourceKind::parse(s.as_str()), Some(*s));
        }
    }

    #[test]
    fn tags_are_folded_and_deduplicated() {
        let mut e = Invalid::new();
        let t = tags(&mut e, "tags", &split_tags(" Export, export ,PDF,,"));
        assert_eq!(t, vec!["export", "pdf"]);
        assert!(e.is_empty());
        let many: Vec<String> = (0..21).map(|i| format!("t{i}")).collect();
        tags(&mut e, "tags", &many);
        assert_eq!(e.0[0].code, "too_many");
    }

    #[test]
    fn demand_weighs_importance_by_customer_weight() {
        let d = demand([
            DemandInput {
                importance: Importance::Critical,
                customer_weight: Some(5),
            },
            DemandInput {
                importance: Importance::NiceToHave,
                customer_weight: None,
            },
        ]);
        assert_eq!(d, 16);
    }

    #[test]
    fn references_round_trip() {
        assert_eq!(idea_reference("CHK", 42), "CHK-42");
        assert_eq!(parse_reference("CHK-42"), Some(("CHK", 42)));
        assert_eq!(parse_reference("CHK-0"), None);
        assert_eq!(parse_reference("42"), None);
    }

    #[test]
    fn a_merged_idea_stays_merged() {
        let mut e = Invalid::new();
        status_change(&mut e, IdeaStatus::Merged, IdeaStatus::Planned);
        status_change(&mut e, IdeaStatus::Draft, IdeaStatus::Merged);
        assert_eq!(
            e.0.iter().map(|f| f.code).collect::<Vec<_>>(),
            ["idea_merged", "use_merge"]
        );
    }
}

//! The decision log: what was decided on one idea or a set of ideas of one product (accept,
//! decline, defer, merge), why, with what in hand, and who took part. Also the kinds of the
//! database job queue and of members' personal notifications, which deferring uses.
//!
//! Pure rules only: today's date is passed in by the caller.

use crate::validate::optional_text;
use crate::{IdeaStatus, Invalid};
use chrono::NaiveDate;

text_enum!(
    /// What a decision says about its ideas.
    DecisionKind {
        Accept => "accept",
        Decline => "decline",
        Defer => "defer",
        Merge => "merge",
    }
);

impl DecisionKind {
    /// The status the decided ideas take. Deferring keeps the status (the idea comes back on
    /// its date); merging marks the merged ideas through the merge itself.
    pub fn new_status(self) -> Option<IdeaStatus> {
        match self {
            DecisionKind::Accept => Some(IdeaStatus::Planned),
            DecisionKind::Decline => Some(IdeaStatus::Declined),
            DecisionKind::Defer | DecisionKind::Merge => None,
        }
    }
}

text_enum!(
    /// What a decision links to: evidence items and earlier decisions (checked to exist), and
    /// prioritization sessions (kept as an id).
    DecisionLinkKind {
        Evidence => "evidence",
        Session => "session",
        Decision => "decision",
    }
);

text_enum!(
    /// A job of the database queue. `deferred_idea_returns`: a deferred idea's date came, and
    /// its owner hears of it again.
    JobKind {
        DeferredIdeaReturns => "deferred_idea_returns",
    }
);

text_enum!(
    /// Where a job stands. `Running` jobs carry a claim owner and a lease; a lease that
    /// expires (the instance died) makes the job claimable again.
    JobState {
        Queued => "queued",
        Running => "running",
        Done => "done",
        Failed => "failed",
    }
);

text_enum!(
    /// What a member's personal notification is about.
    NotificationKind {
        DeferredIdeaReturned => "deferred_idea_returned",
    }
);

pub const RATIONALE_MAX: usize = 20_000;
pub const PUBLIC_RATIONALE_MAX: usize = 5_000;
pub const CONDITION_MAX: usize = 1_000;
/// Ideas one decision may cover.
pub const DECISION_IDEAS_MAX: usize = 100;
/// Links (evidence, sessions, decisions) and consulted members, each.
pub const DECISION_LINKS_MAX: usize = 100;

/// The written part of a decision, validated together with its kind.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DecisionText {
    pub rationale: String,
    pub public_rationale: String,
    pub condition: String,
    pub until: Option<NaiveDate>,
}

impl DecisionText {
    /// Rationale required; a defer needs a date (not in the past) or a condition; the date and
    /// the condition belong to a defer only.
    pub fn validate(mut self, kind: DecisionKind, today: NaiveDate, errors: &mut Invalid) -> Self {
        self.rationale = optional_text(errors, "rationale", &self.rationale, RATIONALE_MAX);
        if !has_visible(&self.rationale) && !has(errors, "rationale") {
            errors.add("rationale", "required");
        }
        self.public_rationale = optional_text(
            errors,
            "public_rationale",
            &self.public_rationale,
            PUBLIC_RATIONALE_MAX,
        );
        self.condition = optional_text(errors, "condition", &self.condition, CONDITION_MAX);
        if kind == DecisionKind::Defer {
            if self.until.is_none() && self.condition.is_empty() && !has(errors, "condition") {
                errors.add("until", "defer_needs_date_or_condition");
            }
            if self.until.is_some_and(|d| d < today) {
                errors.add("until", "date_in_past");
            }
        } else {
            if self.until.is_some() {
                errors.add("until", "only_when_deferring");
            }
            if !self.condition.is_empty() {
                errors.add("condition", "only_when_deferring");
            }
        }
        self
    }
}

/// Whether a text shows anything: not only spaces, zero-width characters or direction marks.
fn has_visible(text: &str) -> bool {
    text.chars().any(|c| !c.is_whitespace() && !is_invisible(c))
}

fn is_invisible(c: char) -> bool {
    matches!(c, '\u{00AD}' | '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}'
        | '\u{2060}'..='\u{2069}' | '\u{FEFF}')
}

/// A one-line summary of a rationale, for records that take a single line (a merge's reason):
/// line breaks and runs of spaces become one space, invisible and direction characters go, at
/// most `max` characters.
pub fn one_line(text: &str, max: usize) -> String {
    let cleaned: String = text
        .chars()
        .filter(|c| !is_invisible(*c))
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    cleaned
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .chars()
        .take(max)
        .collect()
}

fn has(errors: &Invalid, field: &str) -> bool {
    errors.0.iter().any(|e| e.field == field)
}

/// A date as people and the API write it: `2027-03-01`.
pub fn parse_date(s: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 22).unwrap_or_default()
    }

    fn check(kind: DecisionKind, text: DecisionText) -> Vec<(String, String)> {
        let mut e = Invalid::new();
        text.validate(kind, today(), &mut e);
        e.0.iter()
            .map(|f| (f.field.clone(), f.code.to_string()))
            .collect()
    }

    #[test]
    fn a_rationale_is_required_whatever_the_kind() {
        for kind in DecisionKind::ALL {
            let got = check(
                *kind,
                DecisionText {
                    rationale: "  \n ".into(),
                    condition: "when the API ships".into(),
                    ..Default::default()
                },
            );
            assert!(
                got.contains(&("rationale".into(), "required".into())),
                "{kind}"
            );
        }
    }

    #[test]
    fn a_defer_needs_a_future_date_or_a_condition() {
        let base = DecisionText {
            rationale: "Not now".into(),
            ..Default::default()
        };
        assert_eq!(
            check(DecisionKind::Defer, base.clone()),
            vec![("until".into(), "defer_needs_date_or_condition".into())]
        );
        let past = DecisionText {
            until: NaiveDate::from_ymd_opt(2026, 11, 21),
            ..base.clone()
        };
        assert_eq!(
            check(DecisionKind::Defer, past),
            vec![("until".into(), "date_in_past".into())]
        );
        let dated = DecisionText {
            until: Some(today()),
            ..base.clone()
        };
        assert!(check(DecisionKind::Defer, dated).is_empty());
        let conditional = DecisionText {
            condition: "Once the mobile app ships".into(),
            ..base.clone()
        };
        assert!(check(DecisionKind::Defer, conditional).is_empty());
        let accept_with_date = DecisionText {
            until: Some(today()),
            ..base
        };
        assert_eq!(
            check(DecisionKind::Accept, accept_with_date),
            vec![("until".into(), "only_when_deferring".into())]
        );
    }

    #[test]
    fn an_invisible_rationale_is_no_rationale() {
        let got = check(
            DecisionKind::Decline,
            DecisionText {
                rationale: "\u{200B}\u{FEFF} \u{202E}".into(),
                ..Default::default()
            },
        );
        assert_eq!(got, vec![("rationale".into(), "required".into())]);
    }

    #[test]
    fn a_one_line_summary_keeps_the_words_only() {
        assert_eq!(
            one_line("Même\n\n besoin\u{202E} !\tx", 100),
            "Même besoin ! x"
        );
        assert_eq!(one_line("abcdef", 3), "abc");
    }

    #[test]
    fn dates_are_iso_days() {
        assert_eq!(
            parse_date("2027-03-01"),
            NaiveDate::from_ymd_opt(2027, 3, 1)
        );
        assert_eq!(parse_date("01/03/2027"), None);
        assert_eq!(parse_date("2027-02-30"), None);
    }
}

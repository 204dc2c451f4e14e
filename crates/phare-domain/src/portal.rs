//! The public portal: the vocabulary of what end users see and do (published ideas, votes,
//! comments, subscriptions, sign-in codes, outgoing e-mail) and the rules that need no IO, among
//! them the trending score.
//!
//! Spellings of the enums are stored in both databases and the API: never rename one.

use crate::validate::{optional_text, required_text};
use crate::{Invalid, Locale, Severity};

text_enum!(
    /// Where an idea stands on its product's portal. `Private` is the default: the public sees
    /// nothing of it. `Pending` is a submission from the portal held until a moderator decides.
    PortalState {
        Private => "private",
        Pending => "pending",
        Published => "published",
        Hidden => "hidden",
    }
);

text_enum!(
    /// The orders of the portal's idea list.
    PortalSort {
        Trending => "trending",
        Top => "top",
        Newest => "newest",
    }
);

text_enum!(
    /// What an outgoing e-mail is about.
    OutboxKind {
        SignInCode => "sign_in_code",
        StatusChanged => "status_changed",
    }
);

text_enum!(
    /// An outgoing e-mail's life: queued until a sender claims it (`sending`), then `sent`, or
    /// back to `queued` for a later attempt, or `failed` once the attempts are spent.
    OutboxStatus {
        Queued => "queued",
        Sending => "sending",
        Sent => "sent",
        Failed => "failed",
    }
);

/// The public title of an idea (as long as an idea's own title).
pub const PORTAL_TITLE_MAX: usize = crate::IDEA_TITLE_MAX;
/// The public description of an idea, and what a submitter may write (Markdown).
pub const PORTAL_DESCRIPTION_MAX: usize = 5_000;
/// The portal's own title and introduction.
pub const PORTAL_NAME_MAX: usize = 120;
pub const PORTAL_INTRO_MAX: usize = 5_000;
/// A comment (Markdown).
pub const COMMENT_MAX: usize = 3_000;
/// The name a portal user shows next to their comments and submissions.
pub const DISPLAY_NAME_MAX: usize = 60;
/// A sign-in code is this many digits long, lives this long, and dies after this many wrong
/// tries (counted on the code, in the database, so every instance sees the same count).
pub const SIGN_IN_CODE_DIGITS: usize = 6;
pub const SIGN_IN_CODE_MINUTES: i64 = 15;
pub const SIGN_IN_CODE_TRIES: i64 = 5;
/// How many times the sender tries one e-mail before marking it failed.
pub const OUTBOX_ATTEMPTS: i64 = 5;

/// The trending score is a sum over an idea's votes of `2^(-age / HALF_LIFE)`: a vote counts
/// for 1 today, ½ after a week, ¼ after two. Summing decayed weights at query time would read
/// every vote; instead each idea stores `log2(Σ 2^((t_vote - EPOCH) / HALF_LIFE))`, which orders
/// ideas exactly as the decayed sum does "now" (both sides carry the same factor
/// `2^(-(now - EPOCH)/HALF_LIFE)`), never overflows (it is a logarithm), and changes by one
/// term per vote or unvote, under the idea's lock, in the vote's own transaction.
pub const TREND_HALF_LIFE_SECS: f64 = 7.0 * 24.0 * 3600.0;
/// 2026-01-01T00:00:00Z, the origin of the trend's time axis.
pub const TREND_EPOCH_SECS: i64 = 1_767_225_600;
/// The trend of an idea with no votes: below any real trend, finite (JSON and both databases
/// store it exactly), so idle ideas sort last and among themselves newest first.
pub const TREND_NONE: f64 = -1.0e9;

/// The exponent one vote cast at `at_micros` (Unix microseconds) contributes.
pub fn trend_term(at_micros: i64) -> f64 {
    let secs = at_micros as f64 / 1e6 - TREND_EPOCH_SECS as f64;
    secs / TREND_HALF_LIFE_SECS
}

/// `log2(2^a + 2^b)` without leaving the logarithm.
fn log2_add(a: f64, b: f64) -> f64 {
    let (hi, lo) = if a >= b { (a, b) } else { (b, a) };
    hi + (1.0 + (lo - hi).exp2()).log2()
}

/// The trend after one more vote cast at `at_micros`.
pub fn trend_with_vote(trend: f64, at_micros: i64) -> f64 {
    let term = trend_term(at_micros);
    if trend <= TREND_NONE {
        term
    } else {
        log2_add(trend, term)
    }
}

/// The trend after removing the vote cast at `at_micros`, with `remaining` votes left. `None`
/// when floating point cannot say (the removed vote carried almost all the weight): the caller
/// then recomputes from the remaining votes with [`trend_of`].
pub fn trend_without_vote(trend: f64, at_micros: i64, remaining: i64) -> Option<f64> {
    if remaining <= 0 {
        return Some(TREND_NONE);
    }
    let term = trend_term(at_micros);
    let diff = term - trend;
    // 2^diff is the removed share of the sum; close to 1, the subtraction loses every digit.
    if diff > -1e-6 {
        return None;
    }
    let rest = trend + (1.0 - diff.exp2()).log2();
    rest.is_finite().then_some(rest)
}

/// The trend of a set of votes, from their times (Unix microseconds).
pub fn trend_of(votes_at_micros: impl IntoIterator<Item = i64>) -> f64 {
    votes_at_micros
        .into_iter()
        .fold(TREND_NONE, trend_with_vote)
}

/// A display name: optional, one line, bounded.
pub fn display_name(errors: &mut Invalid, field: &str, value: &str) -> String {
    let v = value.trim();
    if v.is_empty() {
        return String::new();
    }
    required_text(errors, field, v, DISPLAY_NAME_MAX)
}

/// A comment: required Markdown, bounded.
pub fn comment_body(errors: &mut Invalid, field: &str, value: &str) -> String {
    let v = optional_text(errors, field, value, COMMENT_MAX);
    if v.is_empty() && !errors.0.iter().any(|e| e.field == field) {
        errors.add(field, "required");
    }
    v
}

/// A sign-in code as typed: digits only once spaces and dashes are dropped (people copy
/// `123 456` or `123-456`), exactly [`SIGN_IN_CODE_DIGITS`] of them.
pub fn sign_in_code(errors: &mut Invalid, field: &str, value: &str) -> String {
    let digits: String = value
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .collect();
    if digits.is_empty() {
        errors.add(field, "required");
    } else if digits.len() != SIGN_IN_CODE_DIGITS || !digits.chars().all(|c| c.is_ascii_digit()) {
        errors.add(field, "invalid_code");
    }
    digits
}

/// The external source of the inbox items votes leave. With `{idea}:{portal user}` as the
/// external id, the feedback table's unique external key keeps one item per voter and idea.
pub const VOTE_FEEDBACK_SOURCE: &str = "portal-vote";

/// The text of the inbox item a portal vote leaves, in the workspace's language: feedback is
/// data, written once, read by the team.
pub fn vote_feedback_text(locale: Locale, public_title: &str) -> String {
    match locale {
        Locale::Fr => format!("Vote sur le portail pour « {public_title} »"),
        Locale::En => format!("Portal vote for “{public_title}”"),
    }
}

/// The text of the inbox item a portal submission leaves: its title, then its description, then
/// for a bug report its template under headings in the workspace's language.
pub fn submission_feedback_text(
    locale: Locale,
    title: &str,
    description: &str,
    bug: Option<&crate::BugReport>,
) -> String {
    let mut s = if description.trim().is_empty() && bug.is_none() {
        title.to_owned()
    } else {
        format!("**{title}**\n\n{description}")
    };
    if let Some(b) = bug {
        let [steps, expected, actual, environment, severity] = match locale {
            Locale::Fr => [
                "Étapes pour reproduire",
                "Résultat attendu",
                "Résultat obtenu",
                "Environnement",
                "Gravité",
            ],
            Locale::En => [
                "Steps to reproduce",
                "Expected",
                "Actual",
                "Environment",
                "Severity",
            ],
        };
        let level = match (b.severity, locale) {
            (None, _) => "",
            (Some(v), Locale::En) => v.as_str(),
            (Some(Severity::Blocker), Locale::Fr) => "bloquante",
            (Some(Severity::Critical), Locale::Fr) => "critique",
            (Some(Severity::Major), Locale::Fr) => "majeure",
            (Some(Severity::Minor), Locale::Fr) => "mineure",
            (Some(Severity::Trivial), Locale::Fr) => "triviale",
        };
        for (heading, text) in [
            (steps, b.steps.as_str()),
            (expected, &b.expected),
            (actual, &b.actual),
            (environment, &b.environment),
            (severity, level),
        ] {
            s.push_str(&format!("\n\n**{heading}**\n\n{text}"));
        }
    }
    s.trim().to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    const DAY: i64 = 24 * 3600 * 1_000_000;
    const T0: i64 = (TREND_EPOCH_SECS + 400 * 24 * 3600) * 1_000_000;

    fn decayed(votes: &[i64], now: i64) -> f64 {
        votes
            .iter()
            .map(|t| (-((now - t) as f64 / 1e6) / TREND_HALF_LIFE_SECS).exp2())
            .sum()
    }

    #[test]
    fn the_trend_orders_ideas_as_decayed_vote_counts_do() {
        // Three fresh votes beat five from a month ago; both beat nothing.
        let fresh = [T0 - DAY, T0 - 2 * DAY, T0 - 3 * DAY];
        let old: Vec<i64> = (0..5).map(|i| T0 - 30 * DAY - i * DAY).collect();
        assert!(decayed(&fresh, T0) > decayed(&old, T0));
        assert!(trend_of(fresh) > trend_of(old.iter().copied()));
        assert!(trend_of(old) > TREND_NONE);
        assert_eq!(trend_of([]), TREND_NONE);
    }

    #[test]
    fn a_vote_weighs_half_after_one_half_life() {
        let one = trend_of([T0]);
        let two_week_old = trend_of([T0 - 14 * DAY, T0 - 14 * DAY, T0 - 14 * DAY, T0 - 14 * DAY]);
        assert!((one - two_week_old).abs() < 1e-9, "{one} vs {two_week_old}");
    }

    #[test]
    fn removing_a_vote_undoes_adding_it() {
        let base = trend_of([T0 - 9 * DAY, T0 - 3 * DAY]);
        let more = trend_with_vote(base, T0 - 20 * DAY);
        let back = trend_without_vote(more, T0 - 20 * DAY, 2).unwrap();
        assert!((back - base).abs() < 1e-9, "{back} vs {base}");
        assert_eq!(trend_without_vote(base, T0, 0), Some(TREND_NONE));
        // The only vote carrying the weight: the caller must recompute.
        let single = trend_of([T0]);
        assert_eq!(trend_without_vote(single, T0, 1), None);
    }

    #[test]
    fn codes_accept_spaces_and_dashes_and_refuse_the_rest() {
        let mut e = Invalid::new();
        assert_eq!(sign_in_code(&mut e, "code", " 123-456 "), "123456");
        assert!(e.is_empty());
        for bad in ["12345", "1234567", "12a456", ""] {
            let mut e = Invalid::new();
            sign_in_code(&mut e, "code", bad);
            assert!(!e.is_empty(), "{bad:?}");
        }
    }

    #[test]
    fn comments_are_required_and_bounded() {
        let mut e = Invalid::new();
        comment_body(&mut e, "body", "   ");
        assert_eq!(e.0[0].code, "required");
        let mut e = Invalid::new();
        comment_body(&mut e, "body", &"x".repeat(COMMENT_MAX + 1));
        assert_eq!(e.0[0].code, "too_long");
    }
}

//! Stakeholder prioritization sessions: the groups and their weights, the three ballot methods
//! and their rules, and the aggregation of ballots into results (the weighted ranking, the
//! ranking per group, the disagreement per idea). Pure maths: no IO, no clock.
//!
//! How a session's ballots become results (docs/stakeholders.md says the same to people):
//!
//! 1. Each ballot gives every idea of the session a **normalised score** in [0, 1]:
//!    - 100-point allocation: the idea's share of the points the ballot gave (a ballot that gave
//!      no point at all says nothing and is left out);
//!    - ranking of n ideas: position p (0 = first) scores (n − 1 − p) / (n − 1) (a normalised
//!      Borda count; a session of one idea scores 1);
//!    - MoSCoW: must 1, should 2/3, could 1/3, won't 0.
//! 2. A **group's score** for an idea is the mean of its members' normalised scores. Groups
//!    without a counted ballot take no part.
//! 3. The **weighted score** of an idea is the mean of the groups' scores weighted by the groups'
//!    weights; the weighted ranking orders ideas by it (ties share a rank, then session order).
//! 4. The **disagreement** of an idea is the population standard deviation of the groups'
//!    scores (unweighted: a small group that disagrees is still a disagreement). It lies in
//!    [0, 0.5]. An idea is **disputed** when at least two groups answered, its disagreement is at
//!    least [`DISPUTE_THRESHOLD`], and it is among the [`DISPUTED_SHOWN`] most disputed.

use crate::validate::required_text;
use crate::{IdeaId, Invalid, MemberId, StakeholderGroupId};
use serde::{Deserialize, Serialize};
use std::collections::{HashMap, HashSet};

text_enum!(
    /// How stakeholders answer a session.
    SessionMethod {
        Points => "points",
        Ranking => "ranking",
        Moscow => "moscow",
    }
);

text_enum!(
    /// A session's life: prepared (draft), answered (open), then closed with its results.
    SessionState {
        Draft => "draft",
        Open => "open",
        Closed => "closed",
    }
);

text_enum!(
    /// A MoSCoW vote on one idea.
    MoscowCategory {
        Must => "must",
        Should => "should",
        Could => "could",
        Wont => "wont",
    }
);

text_enum!(
    /// The groups every workspace starts with (renamable, removable when unused).
    DefaultGroup {
        Management => "management",
        Finance => "finance",
        Marketing => "marketing",
        Tech => "tech",
        Design => "design",
        Business => "business",
    }
);

/// Points a stakeholder shares out in a 100-point session.
pub const POINTS_BUDGET: u32 = 100;
pub const GROUP_NAME_MAX: usize = 80;
pub const GROUP_WEIGHT_MIN: f64 = 0.1;
pub const GROUP_WEIGHT_MAX: f64 = 100.0;
pub const SESSION_TITLE_MAX: usize = 160;
pub const SESSION_TEXT_MAX: usize = 5_000;
pub const SESSION_IDEAS_MIN: usize = 2;
pub const SESSION_IDEAS_MAX: usize = 500;
pub const SESSION_INVITATIONS_MAX: usize = 500;
/// Disagreement from which an idea is worth a discussion (a fifth of the widest possible).
pub const DISPUTE_THRESHOLD: f64 = 0.1;
/// How many of the most disputed ideas are highlighted at most.
pub const DISPUTED_SHOWN: usize = 5;

/// A group's name: one line, required.
pub fn group_name(errors: &mut Invalid, field: &str, value: &str) -> String {
    let v = required_text(errors, field, value, GROUP_NAME_MAX);
    if v.contains('\n') {
        errors.add(field, "invalid_characters");
    }
    v
}

/// A group's weight: a finite number from 0.1 to 100 (no zero: every group counts for something,
/// and a set of weights can never sum to zero).
pub fn group_weight(errors: &mut Invalid, field: &str, value: f64) -> f64 {
    if !value.is_finite() || !(GROUP_WEIGHT_MIN..=GROUP_WEIGHT_MAX).contains(&value) {
        errors.add(field, "group_weight_out_of_range");
    }
    value
}

/// One stakeholder's answer, in the session's method. Ideas are named by id.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "method", rename_all = "snake_case")]
pub enum BallotAnswer {
    /// Points per idea (ideas not named got none).
    Points { points: Vec<(IdeaId, u32)> },
    /// Every idea of the session, most important first.
    Ranking { ranking: Vec<IdeaId> },
    /// One category per idea of the session.
    Moscow {
        moscow: Vec<(IdeaId, MoscowCategory)>,
    },
}

impl BallotAnswer {
    pub fn method(&self) -> SessionMethod {
        match self {
            Self::Points { .. } => SessionMethod::Points,
            Self::Ranking { .. } => SessionMethod::Ranking,
            Self::Moscow { .. } => SessionMethod::Moscow,
        }
    }

    /// Points given to `idea` (0 when none, or in another method).
    pub fn points_of(&self, idea: IdeaId) -> u32 {
        match self {
            Self::Points { points } => points
                .iter()
                .find(|(i, _)| *i == idea)
                .map_or(0, |(_, p)| *p),
            _ => 0,
        }
    }

    pub fn category_of(&self, idea: IdeaId) -> Option<MoscowCategory> {
        match self {
            Self::Moscow { moscow } => moscow.iter().find(|(i, _)| *i == idea).map(|(_, c)| *c),
            _ => None,
        }
    }
}

/// What a stakeholder sent, before the rules: the form or JSON fields of all three methods;
/// only the session's own is read.
#[derive(Clone, Debug, Default)]
pub struct BallotDraft {
    /// Points per idea, as typed (may be negative or huge: the rules say so).
    pub points: Vec<(IdeaId, i64)>,
    pub ranking: Vec<IdeaId>,
    /// Categories per idea as text (`must`, `should`, `could`, `wont`).
    pub moscow: Vec<(IdeaId, String)>,
}

/// Field of the points given to one idea: `points.<idea id>` (the idea is named in the error).
pub fn points_field(idea: IdeaId) -> String {
    format!("points.{idea}")
}

/// Field of the category of one idea: `moscow.<idea id>`.
pub fn moscow_field(idea: IdeaId) -> String {
    format!("moscow.{idea}")
}

/// Checks a ballot against the session's method and ideas; the answer when valid, otherwise
/// every broken rule with its field.
pub fn validate_ballot(
    method: SessionMethod,
    ideas: &[IdeaId],
    draft: &BallotDraft,
) -> Result<BallotAnswer, Invalid> {
    let mut errors = Invalid::new();
    let known: HashSet<IdeaId> = ideas.iter().copied().collect();
    let answer = match method {
        SessionMethod::Points => {
            let mut seen = HashSet::new();
            let mut total: i64 = 0;
            let mut points = Vec::new();
            for (idea, p) in &draft.points {
                let field = points_field(*idea);
                if !known.contains(idea) {
                    errors.add(&field, "unknown_idea");
                } else if !seen.insert(*idea) {
                    errors.add(&field, "repeated_idea");
                } else if *p < 0 {
                    errors.add(&field, "negative_points");
                } else if *p > i64::from(POINTS_BUDGET) {
                    errors.add(&field, "over_budget");
                } else {
                    total += p;
                    if *p > 0 {
                        points.push((*idea, u32::try_from(*p).unwrap_or(0)));
                    }
                }
            }
            if errors.is_empty() && total > i64::from(POINTS_BUDGET) {
                errors.add("points", "over_budget");
            }
            // Session order, so two equal ballots are stored alike.
            points.sort_by_key(|(i, _)| ideas.iter().position(|x| x == i));
            BallotAnswer::Points { points }
        }
        SessionMethod::Ranking => {
            let mut seen = HashSet::new();
            for idea in &draft.ranking {
                if !known.contains(idea) {
                    errors.add("ranking", "unknown_idea");
                } else if !seen.insert(*idea) {
                    errors.add("ranking", "repeated_idea");
                }
            }
            if errors.is_empty() && seen.len() != known.len() {
                errors.add("ranking", "missing_idea");
            }
            BallotAnswer::Ranking {
                ranking: draft.ranking.clone(),
            }
        }
        SessionMethod::Moscow => {
            let mut given: HashMap<IdeaId, MoscowCategory> = HashMap::new();
            for (idea, text) in &draft.moscow {
                let field = moscow_field(*idea);
                if !known.contains(idea) {
                    errors.add(&field, "unknown_idea");
                } else if given.contains_key(idea) {
                    errors.add(&field, "repeated_idea");
                } else {
                    match MoscowCategory::parse(text.trim()) {
                        Some(c) => {
                            given.insert(*idea, c);
                        }
                        None if text.trim().is_empty() => errors.add(&field, "required"),
                        None => errors.add(&field, "unknown_category"),
                    }
                }
            }
            for idea in ideas {
                let field = moscow_field(*idea);
                if !given.contains_key(idea) && !errors.0.iter().any(|e| e.field == field) {
                    errors.add(&field, "required");
                }
            }
            BallotAnswer::Moscow {
                moscow: ideas
                    .iter()
                    .filter_map(|i| given.get(i).map(|c| (*i, *c)))
                    .collect(),
            }
        }
    };
    if errors.is_empty() {
        Ok(answer)
    } else {
        Err(errors)
    }
}

/// Moves `idea` one place up (`up = true`) or down in a ranking; other ideas keep their order.
pub fn move_in_ranking(ranking: &mut [IdeaId], idea: IdeaId, up: bool) {
    if let Some(i) = ranking.iter().position(|x| *x == idea) {
        if up && i > 0 {
            ranking.swap(i, i - 1);
        } else if !up && i + 1 < ranking.len() {
            ranking.swap(i, i + 1);
        }
    }
}

/// A group as the aggregation sees it.
#[derive(Clone, Debug, PartialEq)]
pub struct GroupWeight {
    pub id: StakeholderGroupId,
    pub weight: f64,
}

/// A ballot as the aggregation sees it: whose, in which group, what.
#[derive(Clone, Debug, PartialEq)]
pub struct CountedBallot {
    pub member: MemberId,
    pub group: StakeholderGroupId,
    pub answer: BallotAnswer,
}

/// One group in the results.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct GroupResult {
    pub group_id: StakeholderGroupId,
    pub weight: f64,
    /// Ballots of the group counted.
    pub ballots: u32,
}

/// One idea in the results.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct IdeaResult {
    pub idea_id: IdeaId,
    /// Weighted score in [0, 1]; `None` when no group answered.
    pub score: Option<f64>,
    /// 1 = first; ties share a rank.
    pub rank: u32,
    /// Per group of [`SessionResults::groups`], in that order: the group's score and its rank
    /// of the idea (`None` for a group without ballots).
    pub group_scores: Vec<Option<f64>>,
    pub group_ranks: Vec<Option<u32>>,
    /// Standard deviation of the groups' scores.
    pub disagreement: f64,
    pub disputed: bool,
}

/// What a closed session shows. Ideas are in the weighted ranking's order.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct SessionResults {
    pub ballots: u32,
    pub groups: Vec<GroupResult>,
    pub ideas: Vec<IdeaResult>,
}

impl SessionResults {
    pub fn disputed(&self) -> impl Iterator<Item = &IdeaResult> {
        self.ideas.iter().filter(|i| i.disputed)
    }
}

/// Normalised scores of one ballot, in session order; `None` when the ballot says nothing
/// (a 100-point ballot with no point given, or a ballot of another method).
fn normalised(method: SessionMethod, ideas: &[IdeaId], answer: &BallotAnswer) -> Option<Vec<f64>> {
    if answer.method() != method {
        return None;
    }
    let index: HashMap<IdeaId, usize> = ideas.iter().enumerate().map(|(i, x)| (*x, i)).collect();
    let mut out = vec![0.0; ideas.len()];
    match answer {
        BallotAnswer::Points { points } => {
            let total: f64 = points
                .iter()
                .filter(|(i, _)| index.contains_key(i))
                .map(|(_, p)| f64::from(*p))
                .sum();
            if total <= 0.0 {
                return None;
            }
            for (idea, p) in points {
                if let Some(&i) = index.get(idea) {
                    out[i] = f64::from(*p) / total;
                }
            }
        }
        BallotAnswer::Ranking { ranking } => {
            let n = ideas.len();
            for (pos, idea) in ranking.iter().enumerate() {
                if let Some(&i) = index.get(idea) {
                    out[i] = if n <= 1 {
                        1.0
                    } else {
                        (n - 1 - pos.min(n - 1)) as f64 / (n - 1) as f64
                    };
                }
            }
        }
        BallotAnswer::Moscow { moscow } => {
            for (idea, c) in moscow {
                if let Some(&i) = index.get(idea) {
                    out[i] = match c {
                        MoscowCategory::Must => 1.0,
                        MoscowCategory::Should => 2.0 / 3.0,
                        MoscowCategory::Could => 1.0 / 3.0,
                        MoscowCategory::Wont => 0.0,
                    };
                }
            }
        }
    }
    Some(out)
}

/// Scores are compared to a billionth: sums taken in another order must still tie.
fn key(score: f64) -> i64 {
    (score * 1e9).round() as i64
}

/// Competition ranks (1, 2, 2, 4) of `scores`, highest first; `None` scores rank after every
/// scored idea, together.
fn ranks(scores: &[Option<f64>]) -> Vec<u32> {
    let mut order: Vec<usize> = (0..scores.len()).collect();
    let k = |i: usize| scores[i].map_or(i64::MIN, key);
    order.sort_by(|a, b| k(*b).cmp(&k(*a)).then(a.cmp(b)));
    let mut out = vec![0u32; scores.len()];
    let mut rank = 0u32;
    for (pos, &i) in order.iter().enumerate() {
        if pos == 0 || k(order[pos - 1]) != k(i) {
            rank = u32::try_from(pos + 1).unwrap_or(u32::MAX);
        }
        out[i] = rank;
    }
    out
}

/// The results of a session: `ideas` in session order, `groups` with their weights (groups
/// without a ballot are listed with 0 ballots), `ballots` with the group of each invitation.
pub fn aggregate(
    method: SessionMethod,
    ideas: &[IdeaId],
    groups: &[GroupWeight],
    ballots: &[CountedBallot],
) -> SessionResults {
    let n = ideas.len();
    // Sum of normalised scores and ballot count per group.
    let mut sums: Vec<Vec<f64>> = vec![vec![0.0; n]; groups.len()];
    let mut counts: Vec<u32> = vec![0; groups.len()];
    let group_index: HashMap<StakeholderGroupId, usize> =
        groups.iter().enumerate().map(|(i, g)| (g.id, i)).collect();
    // Ballots summed in a fixed order so that the floating-point sums do not depend on the
    // order the store read them in.
    let mut sorted: Vec<&CountedBallot> = ballots.iter().collect();
    sorted.sort_by_key(|b| b.member);
    let mut counted = 0u32;
    for b in sorted {
        let Some(&g) = group_index.get(&b.group) else {
            continue;
        };
        let Some(scores) = normalised(method, ideas, &b.answer) else {
            continue;
        };
        for (s, v) in sums[g].iter_mut().zip(scores) {
            *s += v;
        }
        counts[g] += 1;
        counted += 1;
    }
    let group_scores: Vec<Option<Vec<f64>>> = sums
        .into_iter()
        .zip(&counts)
        .map(|(s, &c)| (c > 0).then(|| s.into_iter().map(|v| v / f64::from(c)).collect()))
        .collect();
    let answered: Vec<usize> = (0..groups.len())
        .filter(|g| group_scores[*g].is_some())
        .collect();
    let total_weight: f64 = answered.iter().map(|g| groups[*g].weight).sum();
    let weighted: Vec<Option<f64>> = (0..n)
        .map(|i| {
            (total_weight > 0.0).then(|| {
                answered
                    .iter()
                    .map(|g| groups[*g].weight * group_scores[*g].as_ref().map_or(0.0, |s| s[i]))
                    .sum::<f64>()
                    / total_weight
            })
        })
        .collect();
    let overall_ranks = ranks(&weighted);
    let per_group_ranks: Vec<Option<Vec<u32>>> = group_scores
        .iter()
        .map(|s| {
            s.as_ref()
                .map(|s| ranks(&s.iter().copied().map(Some).collect::<Vec<_>>()))
        })
        .collect();
    let disagreement: Vec<f64> = (0..n)
        .map(|i| {
            let values: Vec<f64> = answered
                .iter()
                .filter_map(|g| group_scores[*g].as_ref().map(|s| s[i]))
                .collect();
            std_dev(&values)
        })
        .collect();
    // The most disputed: above the threshold, at most DISPUTED_SHOWN, highest first.
    let mut by_dispute: Vec<usize> = (0..n)
        .filter(|i| answered.len() >= 2 && disagreement[*i] >= DISPUTE_THRESHOLD)
        .collect();
    by_dispute.sort_by(|a, b| {
        key(disagreement[*b])
            .cmp(&key(disagreement[*a]))
            .then(a.cmp(b))
    });
    let disputed: HashSet<usize> = by_dispute.into_iter().take(DISPUTED_SHOWN).collect();
    let mut out: Vec<(usize, IdeaResult)> = (0..n)
        .map(|i| {
            (
                i,
                IdeaResult {
                    idea_id: ideas[i],
                    score: weighted[i],
                    rank: overall_ranks[i],
                    group_scores: group_scores
                        .iter()
                        .map(|s| s.as_ref().map(|s| s[i]))
                        .collect(),
                    group_ranks: per_group_ranks
                        .iter()
                        .map(|r| r.as_ref().map(|r| r[i]))
                        .collect(),
                    disagreement: disagreement[i],
                    disputed: disputed.contains(&i),
                },
            )
        })
        .collect();
    out.sort_by_key(|(i, r)| (r.rank, *i));
    SessionResults {
        ballots: counted,
        groups: groups
            .iter()
            .zip(&counts)
            .map(|(g, &c)| GroupResult {
                group_id: g.id,
                weight: g.weight,
                ballots: c,
            })
            .collect(),
        ideas: out.into_iter().map(|(_, r)| r).collect(),
    }
}

/// Population standard deviation; 0 for fewer than two values.
pub fn std_dev(values: &[f64]) -> f64 {
    if values.len() < 2 {
        return 0.0;
    }
    let n = values.len() as f64;
    let mean = values.iter().sum::<f64>() / n;
    (values.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / n).sqrt()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn ids(n: usize) -> Vec<IdeaId> {
        (0..n)
            .map(|i| IdeaId(uuid::Uuid::from_u128(i as u128 + 1)))
            .collect()
    }

    fn group(n: u128, weight: f64) -> GroupWeight {
        GroupWeight {
            id: StakeholderGroupId(uuid::Uuid::from_u128(1000 + n)),
            weight,
        }
    }

    fn member(n: u128) -> MemberId {
        MemberId(uuid::Uuid::from_u128(5000 + n))
    }

    #[test]
    fn points_over_the_budget_name_the_field_and_negative_points_name_the_idea() {
        let ideas = ids(3);
        let draft = BallotDraft {
            points: vec![(ideas[0], 60), (ideas[1], 50)],
            ..Default::default()
        };
        let e = validate_ballot(SessionMethod::Points, &ideas, &draft).unwrap_err();
        assert_eq!(e.0[0].field, "points");
        assert_eq!(e.0[0].code, "over_budget");
        let draft = BallotDraft {
            points: vec![(ideas[0], -1), (ideas[1], 50)],
            ..Default::default()
        };
        let e = validate_ballot(SessionMethod::Points, &ideas, &draft).unwrap_err();
        assert_eq!(e.0[0].field, points_field(ideas[0]));
        assert_eq!(e.0[0].code, "negative_points");
        let ok = BallotDraft {
            points: vec![(ideas[2], 40), (ideas[0], 60), (ideas[1], 0)],
            ..Default::default()
        };
        assert_eq!(
            validate_ballot(SessionMethod::Points, &ideas, &ok).unwrap(),
            BallotAnswer::Points {
                points: vec![(ideas[0], 60), (ideas[2], 40)]
            }
        );
    }

    #[test]
    fn a_ranking_must_be_a_permutation_of_the_sessions_ideas() {
        let ideas = ids(3);
        let repeated = BallotDraft {
            ranking: vec![ideas[0], ideas[0], ideas[1]],
            ..Default::default()
        };
        let e = validate_ballot(SessionMethod::Ranking, &ideas, &repeated).unwrap_err();
        assert_eq!(
            (e.0[0].field.as_str(), e.0[0].code),
            ("ranking", "repeated_idea")
        );
        let missing = BallotDraft {
            ranking: vec![ideas[0], ideas[1]],
            ..Default::default()
        };
        let e = validate_ballot(SessionMethod::Ranking, &ideas, &missing).unwrap_err();
        assert_eq!(e.0[0].code, "missing_idea");
        let stranger = BallotDraft {
            ranking: vec![ideas[0], ideas[1], ideas[2], ids(9)[8]],
            ..Default::default()
        };
        let e = validate_ballot(SessionMethod::Ranking, &ideas, &stranger).unwrap_err();
        assert_eq!(e.0[0].code, "unknown_idea");
    }

    #[test]
    fn moscow_needs_one_known_category_per_idea() {
        let ideas = ids(2);
        let draft = BallotDraft {
            moscow: vec![(ideas[0], "must".into()), (ideas[1], "maybe".into())],
            ..Default::default()
        };
        let e = validate_ballot(SessionMethod::Moscow, &ideas, &draft).unwrap_err();
        assert_eq!(e.0.len(), 1);
        assert_eq!(e.0[0].field, moscow_field(ideas[1]));
        assert_eq!(e.0[0].code, "unknown_category");
        let draft = BallotDraft {
            moscow: vec![(ideas[0], "must".into())],
            ..Default::default()
        };
        let e = validate_ballot(SessionMethod::Moscow, &ideas, &draft).unwrap_err();
        assert_eq!(
            (e.0[0].field.clone(), e.0[0].code),
            (moscow_field(ideas[1]), "required")
        );
    }

    #[test]
    fn groups_are_weighted_and_disagreement_is_flagged() {
        let ideas = ids(2);
        let (tech, finance) = (group(1, 1.0), group(2, 3.0));
        // Tech wants idea 0, finance wants idea 1; finance weighs three times more.
        let ballots = vec![
            CountedBallot {
                member: member(1),
                group: tech.id,
                answer: BallotAnswer::Ranking {
                    ranking: vec![ideas[0], ideas[1]],
                },
            },
            CountedBallot {
                member: member(2),
                group: finance.id,
                answer: BallotAnswer::Ranking {
                    ranking: vec![ideas[1], ideas[0]],
                },
            },
        ];
        let r = aggregate(
            SessionMethod::Ranking,
            &ideas,
            &[tech.clone(), finance.clone()],
            &ballots,
        );
        assert_eq!(r.ballots, 2);
        assert_eq!(r.ideas[0].idea_id, ideas[1]);
        assert!((r.ideas[0].score.unwrap() - 0.75).abs() < 1e-12);
        assert_eq!(r.ideas[0].group_ranks, vec![Some(2), Some(1)]);
        assert!((r.ideas[0].disagreement - 0.5).abs() < 1e-12);
        assert!(r.ideas.iter().all(|i| i.disputed));
    }

    #[test]
    fn a_group_without_ballots_takes_no_part_and_an_empty_session_has_no_scores() {
        let ideas = ids(2);
        let g = [group(1, 1.0), group(2, 50.0)];
        let ballots = vec![CountedBallot {
            member: member(1),
            group: g[0].id,
            answer: BallotAnswer::Moscow {
                moscow: vec![
                    (ideas[0], MoscowCategory::Could),
                    (ideas[1], MoscowCategory::Must),
                ],
            },
        }];
        let r = aggregate(SessionMethod::Moscow, &ideas, &g, &ballots);
        assert_eq!(r.ideas[0].idea_id, ideas[1]);
        assert_eq!(r.ideas[0].score, Some(1.0));
        assert_eq!(r.groups[1].ballots, 0);
        assert_eq!(r.ideas[0].group_scores[1], None);
        assert!(!r.ideas[0].disputed);
        let empty = aggregate(SessionMethod::Moscow, &ideas, &g, &[]);
        assert!(empty.ideas.iter().all(|i| i.score.is_none() && i.rank == 1));
    }

    #[test]
    fn moving_in_a_ranking_swaps_neighbours_only() {
        let ideas = ids(3);
        let mut r = ideas.clone();
        move_in_ranking(&mut r, ideas[2], true);
        assert_eq!(r, vec![ideas[0], ideas[2], ideas[1]]);
        move_in_ranking(&mut r, ideas[0], true);
        assert_eq!(r, vec![ideas[0], ideas[2], ideas[1]]);
        move_in_ranking(&mut r, ideas[1], false);
        assert_eq!(r, vec![ideas[0], ideas[2], ideas[1]]);
    }

    /// Ideas, ballots (group index, points per idea), group weights.
    type RawSession = (usize, Vec<(u8, Vec<u32>)>, Vec<f64>);

    fn arb_session() -> impl Strategy<Value = RawSession> {
        (2usize..8, 1usize..5).prop_flat_map(|(n, groups)| {
            (
                Just(n),
                proptest::collection::vec(
                    (
                        0u8..groups as u8,
                        proptest::collection::vec(0u32..30, n..=n),
                    ),
                    0..12,
                ),
                proptest::collection::vec(0.1f64..100.0, groups..=groups),
            )
        })
    }

    fn build(
        n: usize,
        raw: &[(u8, Vec<u32>)],
        weights: &[f64],
    ) -> (Vec<IdeaId>, Vec<GroupWeight>, Vec<CountedBallot>) {
        let ideas = ids(n);
        let groups: Vec<GroupWeight> = weights
            .iter()
            .enumerate()
            .map(|(i, w)| group(i as u128, *w))
            .collect();
        let ballots = raw
            .iter()
            .enumerate()
            .map(|(k, (g, pts))| CountedBallot {
                member: member(k as u128),
                group: groups[usize::from(*g)].id,
                answer: BallotAnswer::Points {
                    points: ideas.iter().copied().zip(pts.iter().copied()).collect(),
                },
            })
            .collect();
        (ideas, groups, ballots)
    }

    proptest! {
        #[test]
        fn results_do_not_depend_on_the_order_of_ballots((n, raw, weights) in arb_session()) {
            let (ideas, groups, ballots) = build(n, &raw, &weights);
            let mut reversed = ballots.clone();
            reversed.reverse();
            prop_assert_eq!(
                aggregate(SessionMethod::Points, &ideas, &groups, &ballots),
                aggregate(SessionMethod::Points, &ideas, &groups, &reversed)
            );
        }

        #[test]
        fn scaling_every_weight_changes_no_rank((n, raw, weights) in arb_session(), k in 0.01f64..1.0) {
            let (ideas, groups, ballots) = build(n, &raw, &weights);
            let scaled: Vec<GroupWeight> = groups
                .iter()
                .map(|g| GroupWeight { id: g.id, weight: g.weight * k })
                .collect();
            let a = aggregate(SessionMethod::Points, &ideas, &groups, &ballots);
            let b = aggregate(SessionMethod::Points, &ideas, &scaled, &ballots);
            let ranks = |r: &SessionResults| r.ideas.iter().map(|i| (i.idea_id, i.rank)).collect::<Vec<_>>();
            prop_assert_eq!(ranks(&a), ranks(&b));
            for (x, y) in a.ideas.iter().zip(&b.ideas) {
                prop_assert!((x.score.unwrap_or(0.0) - y.score.unwrap_or(0.0)).abs() < 1e-9);
            }
        }

        #[test]
        fn reordering_the_sessions_ideas_gives_each_idea_the_same_score((n, raw, weights) in arb_session()) {
            let (ideas, groups, ballots) = build(n, &raw, &weights);
            let mut shuffled = ideas.clone();
            shuffled.rotate_left(1);
            let a = aggregate(SessionMethod::Points, &ideas, &groups, &ballots);
            let b = aggregate(SessionMethod::Points, &shuffled, &groups, &ballots);
            for x in &a.ideas {
                let y = b.ideas.iter().find(|y| y.idea_id == x.idea_id).unwrap();
                prop_assert_eq!(x.score.map(key), y.score.map(key));
                prop_assert_eq!(x.rank, y.rank);
                prop_assert_eq!(key(x.disagreement), key(y.disagreement));
            }
        }

        #[test]
        fn scores_stay_between_zero_and_one_and_dispersion_within_half((n, raw, weights) in arb_session()) {
            let (ideas, groups, ballots) = build(n, &raw, &weights);
            let r = aggregate(SessionMethod::Points, &ideas, &groups, &ballots);
            for i in &r.ideas {
                if let Some(s) = i.score { prop_assert!((-1e-12..=1.0 + 1e-12).contains(&s)); }
                prop_assert!((0.0..=0.5 + 1e-12).contains(&i.disagreement));
            }
            prop_assert!(r.disputed().count() <= DISPUTED_SHOWN);
        }

        #[test]
        fn any_valid_points_ballot_is_accepted_and_any_over_budget_refused(pts in proptest::collection::vec(0i64..60, 2..6)) {
            let ideas = ids(pts.len());
            let draft = BallotDraft { points: ideas.iter().copied().zip(pts.iter().copied()).collect(), ..Default::default() };
            let total: i64 = pts.iter().sum();
            let out = validate_ballot(SessionMethod::Points, &ideas, &draft);
            prop_assert_eq!(out.is_ok(), total <= i64::from(POINTS_BUDGET));
        }
    }
}

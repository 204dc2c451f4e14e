//! User-story quality hints, shown while someone writes an idea as "as a … / I want … / so that
//! …".
//!
//! Hints are advice, never validation: this module must never refuse a story, and it returns
//! stable codes (with the word concerned where it helps), never prose. The web layer turns each
//! code into a sentence of the user's language with Fluent.

use serde::Serialize;

use crate::text::{self, detect_language, similarity, word_terms, words};
use crate::Locale;

/// Above this many characters, the "I want" part holds more than one need or a specification.
pub const MAX_WANT_CHARS: usize = 200;
/// Above this many characters for the three parts together, the story is no longer a card that
/// can be read at a glance in a backlog or on a board.
pub const MAX_STORY_CHARS: usize = 400;
/// From this similarity on, the benefit only restates the want ("I want a PDF export so that I
/// can export to PDF"); a real benefit shares a word or two at most.
const REPEAT_SIMILARITY: f64 = 0.6;

/// Verbs (and phrases) that say something should get better without saying how. Matched on
/// stems, word by word, so "improving" and "améliorations" count.
const VAGUE_ENGLISH: &[&str] = &[
    "improve",
    "enhance",
    "optimize",
    "optimise",
    "manage",
    "handle",
    "support",
    "streamline",
    "facilitate",
    "enable",
    "allow",
    "deal with",
    "fix stuff",
    "fix things",
    "make better",
    "make it better",
];
const VAGUE_FRENCH: &[&str] = &[
    "améliorer",
    "gérer",
    "optimiser",
    "traiter",
    "faciliter",
    "permettre",
    "permettant",
    "simplifier",
    "fluidifier",
    "occuper",
    "rendre meilleur",
    "corriger des trucs",
    "corriger des choses",
];

/// Roles that name nobody in particular: the story then cannot say whose problem it solves.
/// Compared with the folded role, a leading article removed.
const GENERIC_ROLES: &[&str] = &[
    "user",
    "users",
    "utilisateur",
    "utilisateurs",
    "utilisatrice",
    "utilisatrices",
    "someone",
    "anyone",
    "everyone",
    "person",
    "personne",
    "quelqu un",
    "tout le monde",
    "n importe qui",
];
const ARTICLES: &[&str] = &["a", "an", "the", "un", "une", "l", "le", "la", "les"];

/// A story as typed, before it is saved; parts may be empty.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct StoryDraft<'a> {
    pub title: &'a str,
    pub as_a: &'a str,
    pub i_want: &'a str,
    pub so_that: &'a str,
}

/// One piece of advice about a story draft. Serialized with its code in a `code` field, for the
/// API and htmx fragments.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "code", rename_all = "snake_case")]
pub enum StoryHint {
    TitleMissing,
    MissingRole,
    /// "As a user": the role should name who has the need.
    GenericRole,
    MissingWant,
    /// A vague verb in the "I want" part, as the user wrote it.
    VagueVerb {
        word: String,
    },
    MissingBenefit,
    BenefitRepeatsWant,
    /// The "I want" part is longer than `MAX_WANT_CHARS`.
    WantTooLong {
        chars: usize,
        max: usize,
    },
    /// The three parts together are longer than `MAX_STORY_CHARS`.
    StoryTooLong {
        chars: usize,
        max: usize,
    },
}

impl StoryHint {
    /// The stable code of the hint: the key of its Fluent message and of the API field.
    pub fn code(&self) -> &'static str {
        match self {
            StoryHint::TitleMissing => "title_missing",
            StoryHint::MissingRole => "missing_role",
            StoryHint::GenericRole => "generic_role",
            StoryHint::MissingWant => "missing_want",
            StoryHint::VagueVerb { .. } => "vague_verb",
            StoryHint::MissingBenefit => "missing_benefit",
            StoryHint::BenefitRepeatsWant => "benefit_repeats_want",
            StoryHint::WantTooLong { .. } => "want_too_long",
            StoryHint::StoryTooLong { .. } => "story_too_long",
        }
    }
}

/// The hints for a draft, in the order of the form. `lang` is the user's language; the vague
/// verbs of the story's detected language are looked for too, since people write in either.
pub fn hints(draft: &StoryDraft, lang: Locale) -> Vec<StoryHint> {
    let mut hints = Vec::new();
    let [title, as_a, i_want, so_that] =
        [draft.title, draft.as_a, draft.i_want, draft.so_that].map(str::trim);
    if is_blank(title) {
        hints.push(StoryHint::TitleMissing);
    }
    if is_blank(as_a) {
        hints.push(StoryHint::MissingRole);
    } else if is_generic_role(as_a) {
        hints.push(StoryHint::GenericRole);
    }
    if is_blank(i_want) {
        hints.push(StoryHint::MissingWant);
    } else {
        let story = format!("{as_a} {i_want} {so_that}");
        let mut langs = vec![lang];
        if detect_language(&story) != lang {
            langs.push(detect_language(&story));
        }
        for word in vague_words(i_want, &langs) {
            hints.push(StoryHint::VagueVerb { word });
        }
    }
    if is_blank(so_that) {
        hints.push(StoryHint::MissingBenefit);
    } else if !is_blank(i_want) && similarity(i_want, so_that) >= REPEAT_SIMILARITY {
        hints.push(StoryHint::BenefitRepeatsWant);
    }
    let want_chars = i_want.chars().count();
    if want_chars > MAX_WANT_CHARS {
        hints.push(StoryHint::WantTooLong {
            chars: want_chars,
            max: MAX_WANT_CHARS,
        });
    }
    let story_chars = [as_a, i_want, so_that]
        .iter()
        .map(|part| part.chars().count())
        .sum();
    if story_chars > MAX_STORY_CHARS {
        hints.push(StoryHint::StoryTooLong {
            chars: story_chars,
            max: MAX_STORY_CHARS,
        });
    }
    hints
}

/// A part with no letter or digit ("…", "-") is as good as missing.
fn is_blank(part: &str) -> bool {
    !part.chars().any(char::is_alphanumeric)
}

fn is_generic_role(as_a: &str) -> bool {
    let folded: Vec<String> = words(as_a).map(|(_, word)| text::fold(word)).collect();
    let role = match folded.split_first() {
        Some((first, rest)) if ARTICLES.contains(&first.as_str()) && !rest.is_empty() => rest,
        _ => &folded[..],
    };
    GENERIC_ROLES.contains(&role.join(" ").as_str())
}

/// The vague phrases of `langs` found in the "I want" part, each as the user wrote it, once.
fn vague_words(i_want: &str, langs: &[Locale]) -> Vec<String> {
    let mut found = Vec::new();
    for &lang in langs {
        let written: Vec<(usize, &str, Vec<String>)> = words(i_want)
            .map(|(start, word)| (start, word, word_terms(word, lang)))
            .collect();
        let list = match lang {
            Locale::En => VAGUE_ENGLISH,
            Locale::Fr => VAGUE_FRENCH,
        };
        for phrase in list {
            let stems: Vec<String> = words(phrase)
                .filter_map(|(_, word)| word_terms(word, lang).into_iter().next())
                .collect();
            if stems.is_empty() {
                continue;
            }
            let position = written.windows(stems.len()).find(|window| {
                window
                    .iter()
                    .zip(&stems)
                    .all(|((_, _, terms), stem)| terms.contains(stem))
            });
            if let Some(window) = position {
                let (start, _, _) = &window[0];
                let (last, word, _) = &window[window.len() - 1];
                let phrase = i_want[*start..last + word.len()].to_string();
                if !found.contains(&phrase) {
                    found.push(phrase);
                }
            }
        }
    }
    found
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    fn draft<'a>(as_a: &'a str, i_want: &'a str, so_that: &'a str) -> StoryDraft<'a> {
        StoryDraft {
            title: "Roadmap export",
            as_a,
            i_want,
            so_that,
        }
    }

    fn codes(draft: &StoryDraft, lang: Locale) -> Vec<&'static str> {
        hints(draft, lang).iter().map(StoryHint::code).collect()
    }

    fn vague(draft: &StoryDraft, lang: Locale) -> Vec<String> {
        hints(draft, lang)
            .into_iter()
            .filter_map(|hint| match hint {
                StoryHint::VagueVerb { word } => Some(word),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn a_good_story_gets_no_hint_in_either_language() {
        let english = draft(
            "product manager",
            "to export the roadmap to PDF",
            "I can share it with executives who have no account",
        );
        assert!(hints(&english, Locale::En).is_empty());
        let french = draft(
            "responsable produit",
            "exporter la feuille de route en PDF",
            "la partager avec la direction qui n'a pas de compte",
        );
        assert!(hints(&french, Locale::Fr).is_empty());
    }

    #[test]
    fn missing_parts_are_reported_in_form_order() {
        let empty = StoryDraft {
            title: " ",
            as_a: "",
            i_want: "…",
            so_that: "\n",
        };
        assert_eq!(
            codes(&empty, Locale::Fr),
            [
                "title_missing",
                "missing_role",
                "missing_want",
                "missing_benefit"
            ]
        );
        assert_eq!(
            codes(&draft("designer", "dark mode", ""), Locale::En),
            ["missing_benefit"]
        );
    }

    #[test]
    fn a_role_naming_nobody_in_particular_is_generic() {
        for role in [
            "user",
            "a User",
            "utilisateur",
            "l'utilisatrice",
            "quelqu'un",
        ] {
            assert_eq!(
                codes(&draft(role, "dark mode", "I can read at night"), Locale::En),
                ["generic_role"],
                "{role}"
            );
        }
        assert!(codes(
            &draft("support agent", "dark mode", "I can read at night"),
            Locale::En
        )
        .is_empty());
    }

    #[test]
    fn vague_english_verbs_are_found_in_any_inflection() {
        let story = draft("admin", "improving the search", "I find ideas faster");
        assert_eq!(vague(&story, Locale::En), ["improving"]);
        let story = draft(
            "admin",
            "to better deal with duplicates",
            "the backlog stays clean",
        );
        assert_eq!(vague(&story, Locale::En), ["deal with"]);
        let story = draft(
            "admin",
            "someone to Fix Stuff in the portal",
            "customers are happy",
        );
        assert_eq!(vague(&story, Locale::En), ["Fix Stuff"]);
    }

    #[test]
    fn vague_french_verbs_are_found_with_or_without_accents() {
        let story = draft(
            "admin",
            "une amélioration de la recherche",
            "trouver plus vite",
        );
        assert_eq!(vague(&story, Locale::Fr), ["amélioration"]);
        let story = draft(
            "admin",
            "pouvoir gerer les doublons",
            "garder un backlog propre",
        );
        assert_eq!(vague(&story, Locale::Fr), ["gerer"]);
        let story = draft("admin", "l'optimisation du portail", "les clients votent");
        assert_eq!(vague(&story, Locale::Fr), ["optimisation"]);
    }

    #[test]
    fn the_story_language_is_checked_besides_the_user_language() {
        let story = draft("admin", "to improve the search", "I find ideas faster");
        assert_eq!(vague(&story, Locale::Fr), ["improve"]);
    }

    #[test]
    fn a_benefit_that_restates_the_want_is_reported() {
        let english = draft(
            "PM",
            "to export the roadmap to PDF",
            "I can export the roadmap as a PDF",
        );
        assert_eq!(codes(&english, Locale::En), ["benefit_repeats_want"]);
        let french = draft(
            "PM",
            "exporter la feuille de route en PDF",
            "j'ai un export PDF de la feuille de route",
        );
        assert_eq!(codes(&french, Locale::Fr), ["benefit_repeats_want"]);
    }

    #[test]
    fn long_wants_and_long_stories_are_reported_with_their_length() {
        let want = "export the roadmap with every column ".repeat(6);
        let story = draft("PM", &want, "I can share it with executives");
        assert_eq!(
            hints(&story, Locale::En),
            [StoryHint::WantTooLong {
                chars: want.trim().chars().count(),
                max: MAX_WANT_CHARS
            }]
        );
        let benefit = "partager avec la direction générale ".repeat(10);
        let story = draft(
            "responsable produit",
            "exporter la feuille de route",
            &benefit,
        );
        assert_eq!(codes(&story, Locale::Fr), ["story_too_long"]);
    }

    #[test]
    fn every_hint_has_a_distinct_snake_case_code() {
        let all = [
            StoryHint::TitleMissing,
            StoryHint::MissingRole,
            StoryHint::GenericRole,
            StoryHint::MissingWant,
            StoryHint::VagueVerb {
                word: "gérer".into(),
            },
            StoryHint::MissingBenefit,
            StoryHint::BenefitRepeatsWant,
            StoryHint::WantTooLong { chars: 1, max: 1 },
            StoryHint::StoryTooLong { chars: 1, max: 1 },
        ];
        let mut codes: Vec<&str> = all.iter().map(StoryHint::code).collect();
        assert!(codes
            .iter()
            .all(|c| c.chars().all(|c| c.is_ascii_lowercase() || c == '_')));
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes.len(), all.len());
    }
}

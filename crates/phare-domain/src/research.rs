//! Research: personas, competitors with the "how do we compare" grid, and research notes (user
//! interviews and studies) whose passages become feedback.

use crate::validate::{optional_text, required_text};
use crate::Invalid;

text_enum!(
    /// How well a solution covers a capability, in the comparison grid.
    Rating {
        Have => "have",
        Partial => "partial",
        No => "no",
    }
);

text_enum!(
    /// What a persona is linked to.
    PersonaTarget {
        Idea => "idea",
        Feedback => "feedback",
    }
);

pub const PERSONA_NAME_MAX: usize = 120;
pub const RESEARCH_TEXT_MAX: usize = 20_000;
pub const NOTES_MAX: usize = 200_000;
pub const WEBSITE_MAX: usize = 300;
pub const RATING_NOTE_MAX: usize = 500;

/// A persona's writable fields, validated together.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PersonaText {
    pub name: String,
    pub description: String,
    pub goals: String,
    pub frustrations: String,
}

impl PersonaText {
    pub fn validate(mut self, errors: &mut Invalid) -> Self {
        self.name = required_text(errors, "name", &self.name, PERSONA_NAME_MAX);
        self.description =
            optional_text(errors, "description", &self.description, RESEARCH_TEXT_MAX);
        self.goals = optional_text(errors, "goals", &self.goals, RESEARCH_TEXT_MAX);
        self.frustrations = optional_text(
            errors,
            "frustrations",
            &self.frustrations,
            RESEARCH_TEXT_MAX,
        );
        self
    }
}

/// A competitor's writable fields.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CompetitorText {
    pub name: String,
    pub website: String,
    pub strengths: String,
    pub weaknesses: String,
}

impl CompetitorText {
    pub fn validate(mut self, errors: &mut Invalid) -> Self {
        self.name = required_text(errors, "name", &self.name, PERSONA_NAME_MAX);
        self.website = website(errors, "website", &self.website);
        self.strengths = optional_text(errors, "strengths", &self.strengths, RESEARCH_TEXT_MAX);
        self.weaknesses = optional_text(errors, "weaknesses", &self.weaknesses, RESEARCH_TEXT_MAX);
        self
    }
}

/// An optional web address: http or https only, so a stored link can never run a script.
pub fn website(errors: &mut Invalid, field: &str, value: &str) -> String {
    let v = value.trim();
    if v.is_empty() {
        return String::new();
    }
    let lower = v.to_ascii_lowercase();
    if v.chars().count() > WEBSITE_MAX {
        errors.add(field, "too_long");
    } else if !(lower.starts_with("https://") || lower.starts_with("http://"))
        || v.chars().any(|c| c.is_whitespace() || c.is_control())
    {
        errors.add(field, "invalid_url");
    }
    v.to_owned()
}

/// A research note's writable fields.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct NoteText {
    pub title: String,
    pub participant: String,
    pub notes: String,
}

impl NoteText {
    pub fn validate(mut self, errors: &mut Invalid) -> Self {
        self.title = required_text(errors, "title", &self.title, PERSONA_NAME_MAX * 2);
        self.participant =
            optional_text(errors, "participant", &self.participant, PERSONA_NAME_MAX);
        if self.participant.contains('\n') {
            errors.add("participant", "invalid_characters");
        }
        self.notes = optional_text(errors, "notes", &self.notes, NOTES_MAX);
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_website_must_be_http_or_https() {
        let mut e = Invalid::new();
        assert_eq!(
            website(&mut e, "website", " https://example.org "),
            "https://example.org"
        );
        assert!(e.is_empty());
        website(&mut e, "website", "javascript:alert(1)");
        website(&mut e, "website", "https://exa mple.org");
        assert_eq!(e.0.len(), 2);
        assert!(e.0.iter().all(|f| f.code == "invalid_url"));
        let mut e = Invalid::new();
        assert_eq!(website(&mut e, "website", ""), "");
        assert!(e.is_empty());
    }

    #[test]
    fn a_note_needs_a_title_and_a_one_line_participant() {
        let mut e = Invalid::new();
        NoteText {
            title: " ".into(),
            participant: "Léa\nMartin".into(),
            notes: String::new(),
        }
        .validate(&mut e);
        let codes: Vec<_> = e.0.iter().map(|f| (f.field.as_str(), f.code)).collect();
        assert_eq!(
            codes,
            vec![("title", "required"), ("participant", "invalid_characters")]
        );
    }

    #[test]
    fn ratings_round_trip() {
        for r in Rating::ALL {
            assert_eq!(Rating::parse(r.as_str()), Some(*r));
        }
    }
}

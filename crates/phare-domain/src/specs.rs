//! Specs: what the team needs to own a feature (context, user stories, use cases, acceptance
//! criteria written Given/When/Then, non-functional notes, design links, open questions and a
//! definition-of-ready checklist), their exports (Markdown and a Gherkin `.feature` file in the
//! spec's language), the readable diff between two versions, and the feature documentation page
//! a shipped idea carries.
//!
//! Everything here is pure: the store keeps each version, the core decides who may change what.
//! Exports are plain text built from validated fields; a single-line field can never break the
//! structure of a Gherkin file (no line breaks) nor inject markup into the Markdown (escaped).

use crate::validate::optional_text;
use crate::Invalid;
use serde::{Deserialize, Serialize};

text_enum!(
    /// The language a spec is written in; its Gherkin export uses that language's keywords.
    SpecLanguage {
        Fr => "fr",
        En => "en",
    }
);

text_enum!(
    /// Where an acceptance criterion stands.
    CriterionState {
        NotTested => "not_tested",
        Passing => "passing",
        Failing => "failing",
    }
);

text_enum!(
    /// The files a spec is exported as.
    ExportFormat {
        Gherkin => "gherkin",
        Markdown => "markdown",
    }
);

text_enum!(
    /// The definition-of-ready checklist: what must be true before the team takes the idea.
    ReadyItem {
        ValueClear => "value_clear",
        CriteriaWritten => "criteria_written",
        DesignsLinked => "designs_linked",
        DependenciesKnown => "dependencies_known",
        Estimated => "estimated",
        QuestionsAnswered => "questions_answered",
    }
);

pub const SPEC_TEXT_MAX: usize = 20_000;
pub const SPEC_LINE_MAX: usize = 300;
pub const SPEC_ITEMS_MAX: usize = 100;
pub const STEPS_MAX: usize = 30;
pub const FEATURE_DOC_MAX: usize = 100_000;

/// A use case: who acts, the main flow (one step per line) and the alternative flows.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct UseCase {
    pub name: String,
    pub actor: String,
    /// One step per line.
    pub main_flow: String,
    /// Markdown.
    pub alternative_flows: String,
}

/// An acceptance criterion: a scenario of Given / When / Then steps (each list is the first
/// step and its "And" steps) and its state.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Criterion {
    pub title: String,
    pub given: Vec<String>,
    pub when: Vec<String>,
    pub then: Vec<String>,
    pub state: CriterionState,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DesignLink {
    pub label: String,
    /// http or https only.
    pub url: String,
}

/// A spec's whole content: one version of it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SpecContent {
    pub language: SpecLanguage,
    /// Markdown.
    pub context: String,
    /// Markdown (usually a list of "As a … I want … so that …").
    pub user_stories: String,
    pub use_cases: Vec<UseCase>,
    pub criteria: Vec<Criterion>,
    /// Markdown.
    pub non_functional: String,
    pub design_links: Vec<DesignLink>,
    /// Markdown.
    pub open_questions: String,
    /// The checklist items that are done.
    pub ready: Vec<ReadyItem>,
}

impl SpecContent {
    /// An empty spec in a language.
    pub fn empty(language: SpecLanguage) -> Self {
        Self {
            language,
            context: String::new(),
            user_stories: String::new(),
            use_cases: Vec::new(),
            criteria: Vec::new(),
            non_functional: String::new(),
            design_links: Vec::new(),
            open_questions: String::new(),
            ready: Vec::new(),
        }
    }

    /// Trims and checks every field; wholly blank use cases and criteria are dropped (a form
    /// offers empty rows). Field names follow the JSON: `criteria[0].given`.
    pub fn validate(mut self, errors: &mut Invalid) -> Self {
        self.context = optional_text(errors, "context", &self.context, SPEC_TEXT_MAX);
        self.user_stories =
            optional_text(errors, "user_stories", &self.user_stories, SPEC_TEXT_MAX);
        self.non_functional = optional_text(
            errors,
            "non_functional",
            &self.non_functional,
            SPEC_TEXT_MAX,
        );
        self.open_questions = optional_text(
            errors,
            "open_questions",
            &self.open_questions,
            SPEC_TEXT_MAX,
        );

        self.use_cases.retain(|u| {
            !(blank(&u.name)
                && blank(&u.actor)
                && blank(&u.main_flow)
                && blank(&u.alternative_flows))
        });
        if self.use_cases.len() > SPEC_ITEMS_MAX {
            errors.add("use_cases", "too_many");
        }
        for (i, u) in self.use_cases.iter_mut().enumerate() {
            let f = |name: &str| format!("use_cases[{i}].{name}");
            u.name = line(errors, &f("name"), &u.name, true);
            u.actor = line(errors, &f("actor"), &u.actor, true);
            u.main_flow = optional_text(errors, &f("main_flow"), &u.main_flow, SPEC_TEXT_MAX);
            if u.main_flow.is_empty() {
                errors.add(&f("main_flow"), "required");
            }
            u.alternative_flows = optional_text(
                errors,
                &f("alternative_flows"),
                &u.alternative_flows,
                SPEC_TEXT_MAX,
            );
        }

        self.criteria.retain(|c| {
            !(blank(&c.title)
                && c.given.iter().all(|s| blank(s))
                && c.when.iter().all(|s| blank(s))
                && c.then.iter().all(|s| blank(s)))
        });
        if self.criteria.len() > SPEC_ITEMS_MAX {
            errors.add("criteria", "too_many");
        }
        for (i, c) in self.criteria.iter_mut().enumerate() {
            let f = |name: &str| format!("criteria[{i}].{name}");
            c.title = line(errors, &f("title"), &c.title, true);
            c.given = steps(errors, &f("given"), &c.given);
            c.when = steps(errors, &f("when"), &c.when);
            c.then = steps(errors, &f("then"), &c.then);
        }

        self.design_links
            .retain(|d| !(blank(&d.label) && blank(&d.url)));
        if self.design_links.len() > SPEC_ITEMS_MAX {
            errors.add("design_links", "too_many");
        }
        for (i, d) in self.design_links.iter_mut().enumerate() {
            d.label = line(errors, &format!("design_links[{i}].label"), &d.label, false);
            d.url = crate::research::website(errors, &format!("design_links[{i}].url"), &d.url);
            if d.url.is_empty() {
                errors.add(&format!("design_links[{i}].url"), "required");
            }
        }
        let mut seen = Vec::new();
        self.ready.retain(|r| {
            let fresh = !seen.contains(r);
            seen.push(*r);
            fresh
        });
        self
    }

    /// How many criteria are in each state: (not tested, passing, failing).
    pub fn criteria_counts(&self) -> (usize, usize, usize) {
        let n = |s: CriterionState| self.criteria.iter().filter(|c| c.state == s).count();
        (
            n(CriterionState::NotTested),
            n(CriterionState::Passing),
            n(CriterionState::Failing),
        )
    }

    pub fn is_ready(&self, item: ReadyItem) -> bool {
        self.ready.contains(&item)
    }
}

fn blank(s: &str) -> bool {
    s.trim().is_empty()
}

/// A single line: no line breaks or other controls, bounded.
fn line(errors: &mut Invalid, field: &str, value: &str, required: bool) -> String {
    let v = value.trim();
    if v.is_empty() {
        if required {
            errors.add(field, "required");
        }
        return String::new();
    }
    if v.chars().count() > SPEC_LINE_MAX {
        errors.add(field, "too_long");
    } else if v.chars().any(char::is_control) {
        errors.add(field, "invalid_characters");
    }
    v.to_owned()
}

/// The steps of one part of a scenario: at least one, each a single line.
fn steps(errors: &mut Invalid, field: &str, values: &[String]) -> Vec<String> {
    let out: Vec<String> = values
        .iter()
        .map(|s| s.trim().to_owned())
        .filter(|s| !s.is_empty())
        .collect();
    if out.is_empty() {
        errors.add(field, "required");
    } else if out.len() > STEPS_MAX {
        errors.add(field, "too_many");
    } else if out.iter().any(|s| s.chars().count() > SPEC_LINE_MAX) {
        errors.add(field, "too_long");
    } else if out.iter().any(|s| s.chars().any(char::is_control)) {
        errors.add(field, "invalid_characters");
    }
    out
}

/// The steps typed in a text box, one per line. A keyword typed at the start of a line (`Given`,
/// `And`, `Étant donné`, `Et`…) is dropped: the box already says which part it is.
pub fn steps_from_text(text: &str) -> Vec<String> {
    text.lines()
        .map(|l| strip_keyword(l.trim()).to_owned())
        .filter(|l| !l.is_empty())
        .collect()
}

const TYPED_KEYWORDS: &[&str] = &[
    "given",
    "when",
    "then",
    "and",
    "but",
    "étant donné que",
    "étant donné qu'",
    "étant donné",
    "etant donne",
    "quand",
    "lorsque",
    "alors",
    "et",
    "mais",
    "*",
];

fn strip_keyword(line: &str) -> &str {
    for k in TYPED_KEYWORDS {
        let n = k.chars().count();
        let head: String = line.chars().take(n).collect::<String>().to_lowercase();
        if head != *k {
            continue;
        }
        let at = line.char_indices().nth(n).map_or(line.len(), |(i, _)| i);
        let rest = &line[at..];
        // A whole word only: "Etoile" keeps its "Et".
        if k.ends_with('\'') || rest.starts_with(char::is_whitespace) {
            return rest.trim();
        }
    }
    line
}

/// The steps as shown in a text box: one per line.
pub fn steps_to_text(steps: &[String]) -> String {
    steps.join("\n")
}

/// One design link per line: the address first, then an optional label.
pub fn links_from_text(text: &str) -> Vec<DesignLink> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(|l| match l.split_once(char::is_whitespace) {
            Some((url, label)) => DesignLink {
                url: url.to_owned(),
                label: label.trim().to_owned(),
            },
            None => DesignLink {
                url: l.to_owned(),
                label: String::new(),
            },
        })
        .collect()
}

pub fn links_to_text(links: &[DesignLink]) -> String {
    links
        .iter()
        .map(|d| {
            if d.label.is_empty() {
                d.url.clone()
            } else {
                format!("{} {}", d.url, d.label)
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

// --- Gherkin ------------------------------------------------------------------------------

/// The keywords of a Gherkin file in a language (Gherkin's own dictionary, `gherkin-languages`).
pub struct GherkinKeywords {
    pub feature: &'static str,
    pub scenario: &'static str,
    pub given: &'static str,
    pub when: &'static str,
    pub then: &'static str,
    pub and: &'static str,
}

pub fn gherkin_keywords(language: SpecLanguage) -> GherkinKeywords {
    match language {
        SpecLanguage::Fr => GherkinKeywords {
            feature: "Fonctionnalité",
            scenario: "Scénario",
            given: "Étant donné",
            when: "Quand",
            then: "Alors",
            and: "Et",
        },
        SpecLanguage::En => GherkinKeywords {
            feature: "Feature",
            scenario: "Scenario",
            given: "Given",
            when: "When",
            then: "Then",
            and: "And",
        },
    }
}

/// A Gherkin `.feature` file: one feature (the idea) and one scenario per acceptance criterion,
/// in the spec's language. Only single-line, validated fields go in, each after a keyword, so no
/// text can open a scenario, a tag, a table or a doc string of its own.
pub fn to_gherkin(reference: &str, title: &str, spec: &SpecContent) -> String {
    let k = gherkin_keywords(spec.language);
    let mut out = String::new();
    if spec.language != SpecLanguage::En {
        out.push_str(&format!("# language: {}\n", spec.language.as_str()));
    }
    out.push_str(&format!(
        "{}: {} {}\n",
        k.feature,
        one_line(reference),
        one_line(title)
    ));
    for c in &spec.criteria {
        out.push('\n');
        out.push_str(&format!("  {}: {}\n", k.scenario, one_line(&c.title)));
        for (first, steps) in [(k.given, &c.given), (k.when, &c.when), (k.then, &c.then)] {
            for (i, s) in steps.iter().enumerate() {
                let kw = if i == 0 { first } else { k.and };
                out.push_str(&format!("    {kw} {}\n", one_line(s)));
            }
        }
    }
    out
}

/// Anything stored is already one line; this keeps the promise even for data written by an
/// older version or restored from elsewhere.
fn one_line(s: &str) -> String {
    s.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect::<String>()
        .trim()
        .to_owned()
}

/// What a structural read of a Gherkin file found: scenario titles and the keywords of their
/// steps, in order. Used by tests and by `phare spec export` to check its own output.
#[derive(Debug, PartialEq, Eq)]
pub struct GherkinOutline {
    pub language: SpecLanguage,
    pub feature: String,
    pub scenarios: Vec<(String, Vec<&'static str>)>,
}

/// Reads back a file written by [`to_gherkin`]: every scenario must have Given, When and Then
/// steps in that order (And steps after any of them). `Err` names the first line that breaks it.
pub fn parse_gherkin(text: &str) -> Result<GherkinOutline, String> {
    let mut language = SpecLanguage::En;
    let mut lines = text.lines().enumerate().peekable();
    if let Some((_, l)) = lines.peek() {
        if let Some(lang) = l.trim().strip_prefix("# language:") {
            language = SpecLanguage::parse(lang.trim()).ok_or("unknown language")?;
            lines.next();
        }
    }
    let k = gherkin_keywords(language);
    let mut feature = None;
    let mut scenarios: Vec<(String, Vec<&'static str>)> = Vec::new();
    for (n, raw) in lines {
        let l = raw.trim();
        if l.is_empty() {
            continue;
        }
        let err = || format!("line {}: {raw}", n + 1);
        if let Some(rest) = l.strip_prefix(&format!("{}:", k.feature)) {
            if feature.is_some() || !scenarios.is_empty() {
                return Err(err());
            }
            feature = Some(rest.trim().to_owned());
        } else if let Some(rest) = l.strip_prefix(&format!("{}:", k.scenario)) {
            if feature.is_none() {
                return Err(err());
            }
            scenarios.push((rest.trim().to_owned(), Vec::new()));
        } else {
            let (_, steps) = scenarios.last_mut().ok_or_else(err)?;
            let kw = [k.given, k.when, k.then, k.and]
                .into_iter()
                .find(|kw| l.strip_prefix(kw).is_some_and(|r| r.starts_with(' ')))
                .ok_or_else(err)?;
            let expected_before = |w: &str| -> Option<&str> {
                if w == k.given {
                    None
                } else if w == k.when {
                    Some(k.given)
                } else if w == k.then {
                    Some(k.when)
                } else {
                    Some("")
                }
            };
            let last_main = steps.iter().rev().find(|s| **s != k.and).copied();
            match (kw, expected_before(kw), last_main) {
                (_, None, None) => {}
                (a, Some(""), Some(_)) if a == k.and => {}
                (_, Some(before), Some(last)) if before == last => {}
                _ => return Err(err()),
            }
            steps.push(kw);
        }
    }
    for (title, steps) in &scenarios {
        let mains: Vec<_> = steps.iter().filter(|s| **s != k.and).collect();
        if mains != [&k.given, &k.when, &k.then] {
            return Err(format!("scenario without Given, When and Then: {title}"));
        }
    }
    Ok(GherkinOutline {
        language,
        feature: feature.ok_or("no feature")?,
        scenarios,
    })
}

// --- Markdown -----------------------------------------------------------------------------

/// Backslash-escapes what Markdown reads as markup in a single-line field (headings, emphasis,
/// links, raw HTML, tables), so a title stays text in any Markdown viewer.
pub fn escape_markdown_line(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for (i, c) in one_line(s).chars().enumerate() {
        match c {
            // Entities, not backslashes: `\<` would still read as a tag to a lax viewer.
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '\\' | '`' | '*' | '_' | '[' | ']' | '(' | ')' | '|' | '~' => {
                out.push('\\');
                out.push(c);
            }
            // Block markers only mean something at the start of a line.
            '#' | '+' | '-' | '=' | '.' if i == 0 => {
                out.push('\\');
                out.push(c);
            }
            _ => out.push(c),
        }
    }
    out
}

/// Raw HTML in a Markdown field is neutralised (`<` becomes `&lt;`), and so are links to
/// `javascript:`, `data:` and `vbscript:` addresses: the export may be opened by any viewer, not
/// only through Phare's sanitizer.
fn markdown_block(s: &str) -> String {
    let s = s
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;");
    s.lines().map(defuse_line).collect::<Vec<_>>().join("\n")
}

fn is_script_url(rest: &str) -> bool {
    let r = rest.trim_start().to_ascii_lowercase();
    ["javascript:", "data:", "vbscript:"]
        .iter()
        .any(|scheme| r.starts_with(scheme))
}

/// `[x](javascript:…)` becomes `[x]\(javascript:…)` (text, not a link), and a reference
/// definition `[x]: javascript:…` starts with `\[`.
fn defuse_line(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let trimmed = line.trim_start();
    if trimmed.starts_with('[') {
        if let Some(at) = trimmed.find("]:") {
            if is_script_url(&trimmed[at + 2..]) {
                out.push_str(&line[..line.len() - trimmed.len()]);
                out.push('\\');
                out.push_str(trimmed);
                return out;
            }
        }
    }
    let mut rest = line;
    while let Some(at) = rest.find("](") {
        out.push_str(&rest[..at + 1]);
        let after = &rest[at + 2..];
        if is_script_url(after) {
            out.push('\\');
        }
        out.push('(');
        rest = after;
    }
    out.push_str(rest);
    out
}

/// The spec as one Markdown document. `label` gives each heading in the spec's language (the
/// caller translates: `spec-context`, `spec-criteria`…, `criterion-state-passing`…,
/// `ready-item-value_clear`…).
pub fn to_markdown(
    reference: &str,
    title: &str,
    spec: &SpecContent,
    label: &dyn Fn(&str) -> String,
) -> String {
    let k = gherkin_keywords(spec.language);
    let mut out = format!(
        "# {} {}\n",
        escape_markdown_line(reference),
        escape_markdown_line(title)
    );
    let section = |out: &mut String, key: &str, body: &str| {
        if !body.trim().is_empty() {
            out.push_str(&format!(
                "\n## {}\n\n{}\n",
                label(key),
                markdown_block(body.trim())
            ));
        }
    };
    section(&mut out, "spec-context", &spec.context);
    section(&mut out, "spec-user_stories", &spec.user_stories);
    if !spec.use_cases.is_empty() {
        out.push_str(&format!("\n## {}\n", label("spec-use_cases")));
        for u in &spec.use_cases {
            out.push_str(&format!(
                "\n### {}\n\n**{}**: {}\n\n**{}**:\n\n",
                escape_markdown_line(&u.name),
                label("spec-actor"),
                escape_markdown_line(&u.actor),
                label("spec-main_flow"),
            ));
            for (i, step) in u
                .main_flow
                .lines()
                .filter(|l| !l.trim().is_empty())
                .enumerate()
            {
                out.push_str(&format!("{}. {}\n", i + 1, escape_markdown_line(step)));
            }
            if !u.alternative_flows.trim().is_empty() {
                out.push_str(&format!(
                    "\n**{}**:\n\n{}\n",
                    label("spec-alternative_flows"),
                    markdown_block(u.alternative_flows.trim())
                ));
            }
        }
    }
    if !spec.criteria.is_empty() {
        out.push_str(&format!("\n## {}\n", label("spec-criteria")));
        for c in &spec.criteria {
            out.push_str(&format!(
                "\n### {} ({})\n\n",
                escape_markdown_line(&c.title),
                label(&format!("criterion-state-{}", c.state.as_str()))
            ));
            for (first, steps) in [(k.given, &c.given), (k.when, &c.when), (k.then, &c.then)] {
                for (i, s) in steps.iter().enumerate() {
                    let kw = if i == 0 { first } else { k.and };
                    out.push_str(&format!("- **{kw}** {}\n", escape_markdown_line(s)));
                }
            }
        }
    }
    section(&mut out, "spec-non_functional", &spec.non_functional);
    if !spec.design_links.is_empty() {
        out.push_str(&format!("\n## {}\n\n", label("spec-design_links")));
        for d in &spec.design_links {
            let text = if d.label.is_empty() { &d.url } else { &d.label };
            // The address is http(s) and has no spaces; `<` and `>` cannot close the link.
            let url = d
                .url
                .replace('<', "%3C")
                .replace('>', "%3E")
                .replace(')', "%29");
            out.push_str(&format!("- [{}]({url})\n", escape_markdown_line(text)));
        }
    }
    section(&mut out, "spec-open_questions", &spec.open_questions);
    out.push_str(&format!("\n## {}\n\n", label("spec-ready")));
    for item in ReadyItem::ALL {
        let mark = if spec.is_ready(*item) { "x" } else { " " };
        out.push_str(&format!(
            "- [{mark}] {}\n",
            label(&format!("ready-item-{}", item.as_str()))
        ));
    }
    out
}

// --- diff ---------------------------------------------------------------------------------

text_enum!(
    /// How a line of a diff differs.
    DiffKind {
        Same => "same",
        Added => "added",
        Removed => "removed",
    }
);

/// One line of a diff, cut into parts; `true` marks the words that changed within the line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DiffLine {
    pub kind: DiffKind,
    pub old_number: Option<usize>,
    pub new_number: Option<usize>,
    pub parts: Vec<(bool, String)>,
}

/// A line diff of two texts, with the changed words marked inside changed lines.
pub fn diff(old: &str, new: &str) -> Vec<DiffLine> {
    use similar::{ChangeTag, TextDiff};
    let d = TextDiff::configure()
        .algorithm(similar::Algorithm::Patience)
        .diff_lines(old, new);
    let mut out = Vec::new();
    for op in d.ops() {
        for change in d.iter_inline_changes(op) {
            let kind = match change.tag() {
                ChangeTag::Equal => DiffKind::Same,
                ChangeTag::Insert => DiffKind::Added,
                ChangeTag::Delete => DiffKind::Removed,
            };
            let parts = change
                .iter_strings_lossy()
                .map(|(emph, s)| (emph, s.trim_end_matches(['\n', '\r']).to_owned()))
                .filter(|(_, s)| !s.is_empty())
                .collect();
            out.push(DiffLine {
                kind,
                old_number: change.old_index().map(|i| i + 1),
                new_number: change.new_index().map(|i| i + 1),
                parts,
            });
        }
    }
    out
}

/// Validates a feature documentation page (Markdown).
pub fn feature_doc_body(errors: &mut Invalid, value: &str) -> String {
    let v = optional_text(errors, "body", value, FEATURE_DOC_MAX);
    if v.is_empty() {
        errors.add("body", "required");
    }
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    fn criterion(title: &str) -> Criterion {
        Criterion {
            title: title.into(),
            given: vec!["a signed-in member".into(), "an idea in draft".into()],
            when: vec!["they save the spec".into()],
            then: vec!["a new version is kept".into(), "the diff shows it".into()],
            state: CriterionState::NotTested,
        }
    }

    fn spec(language: SpecLanguage) -> SpecContent {
        SpecContent {
            criteria: vec![criterion("Saving keeps versions"), criterion("Second")],
            ..SpecContent::empty(language)
        }
    }

    #[test]
    fn a_criterion_needs_given_when_and_then() {
        let mut s = spec(SpecLanguage::En);
        s.criteria[1].when = vec!["  ".into()];
        s.criteria[1].title = "Line\nbreak".into();
        let mut e = Invalid::new();
        s.validate(&mut e);
        let got: Vec<_> = e.0.iter().map(|f| (f.field.as_str(), f.code)).collect();
        assert_eq!(
            got,
            vec![
                ("criteria[1].title", "invalid_characters"),
                ("criteria[1].when", "required")
            ]
        );
    }

    #[test]
    fn blank_rows_are_dropped_and_links_must_be_web_addresses() {
        let mut s = spec(SpecLanguage::En);
        s.use_cases.push(UseCase::default());
        s.criteria.push(Criterion {
            title: " ".into(),
            given: vec![],
            when: vec![" ".into()],
            then: vec![],
            state: CriterionState::Failing,
        });
        s.design_links =
            links_from_text("javascript:alert(1) click\nhttps://figma.example/f Mock-up\n");
        let mut e = Invalid::new();
        let s = s.validate(&mut e);
        assert!(s.use_cases.is_empty());
        assert_eq!(s.criteria.len(), 2);
        assert_eq!(e.0.len(), 1);
        assert_eq!(e.0[0].field, "design_links[0].url");
        assert_eq!(e.0[0].code, "invalid_url");
    }

    #[test]
    fn typed_keywords_are_dropped_from_steps() {
        assert_eq!(
            steps_from_text("Given a member\nAnd  an idea\n\nÉtant donné un membre\nEt une idée\nEtoile\nÉtant donné qu'il pleut"),
            vec!["a member", "an idea", "un membre", "une idée", "Etoile", "il pleut"]
        );
    }

    #[test]
    fn gherkin_in_french_parses_back_in_order() {
        let text = to_gherkin("CHK-1", "Exporter", &spec(SpecLanguage::Fr));
        insta::assert_snapshot!("gherkin_fr", text);
        let outline = parse_gherkin(&text).unwrap();
        assert_eq!(outline.language, SpecLanguage::Fr);
        assert_eq!(outline.feature, "CHK-1 Exporter");
        assert_eq!(outline.scenarios.len(), 2);
        assert_eq!(
            outline.scenarios[0].1,
            vec!["Étant donné", "Et", "Quand", "Alors", "Et"]
        );
    }

    #[test]
    fn gherkin_in_english_parses_back_in_order() {
        let text = to_gherkin("CHK-1", "Export", &spec(SpecLanguage::En));
        insta::assert_snapshot!("gherkin_en", text);
        let outline = parse_gherkin(&text).unwrap();
        assert_eq!(outline.language, SpecLanguage::En);
        assert_eq!(
            outline.scenarios[1].1,
            vec!["Given", "And", "When", "Then", "And"]
        );
    }

    #[test]
    fn the_structural_check_refuses_steps_out_of_order() {
        let bad = "Feature: x\n  Scenario: y\n    When a\n    Given b\n    Then c\n";
        assert!(parse_gherkin(bad).is_err());
        let missing = "Feature: x\n  Scenario: y\n    Given a\n    Then c\n";
        assert!(parse_gherkin(missing).is_err());
    }

    #[test]
    fn hostile_text_cannot_add_scenarios_or_markup() {
        let mut s = spec(SpecLanguage::En);
        s.criteria[0].title = "x\n  Scenario: injected".into();
        s.criteria[0].given = vec!["a\nThen b".into()];
        let text = to_gherkin("R-1", "<script>alert(1)</script>\n@tag", &s);
        let outline = parse_gherkin(&text).unwrap();
        assert_eq!(outline.scenarios.len(), 2);
        let md = to_markdown("R-1", "<img src=x onerror=alert(1)>", &s, &|k| k.to_owned());
        assert!(!md.contains("<img"));
        let mut s = spec(SpecLanguage::En);
        s.context = "<script>alert(1)</script>\n[a](JavaScript:alert(1)) [b]( data:text/html,x) \
                     [ok](https://example.org)\n [r]: vbscript:x"
            .into();
        let md = to_markdown("R-1", "t", &s, &|k| k.to_owned());
        assert!(!md.contains("<script"));
        assert!(
            md.contains(
                r"[a]\(JavaScript:alert(1)) [b]\( data:text/html,x) [ok](https://example.org)"
            ),
            "{md}"
        );
        assert!(md.contains(r" \[r]: vbscript:x"), "{md}");
    }

    #[test]
    fn the_diff_marks_added_removed_and_changed_words() {
        let d = diff(
            "one\ntwo words here\nthree\n",
            "one\ntwo new words here\nfour\n",
        );
        let kinds: Vec<_> = d.iter().map(|l| l.kind).collect();
        assert_eq!(kinds.iter().filter(|k| **k == DiffKind::Same).count(), 1);
        assert_eq!(kinds.iter().filter(|k| **k == DiffKind::Added).count(), 2);
        assert_eq!(kinds.iter().filter(|k| **k == DiffKind::Removed).count(), 2);
        let changed = d
            .iter()
            .find(|l| l.kind == DiffKind::Added && l.parts.iter().any(|(e, _)| *e))
            .unwrap();
        assert!(changed.parts.iter().any(|(e, s)| *e && s.contains("new")));
    }
}

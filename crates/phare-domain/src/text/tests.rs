#![allow(clippy::unwrap_used, clippy::expect_used)]

use proptest::prelude::*;

use super::*;

fn fr(text: &str) -> Vec<String> {
    terms(text, Locale::Fr)
}

fn en(text: &str) -> Vec<String> {
    terms(text, Locale::En)
}

fn groups(query: &str) -> Vec<Vec<String>> {
    query_terms(query)
}

fn highlighted(segments: &[(String, bool)]) -> Vec<&str> {
    segments
        .iter()
        .filter(|(_, marked)| *marked)
        .map(|(text, _)| text.as_str())
        .collect()
}

fn joined(segments: &[(String, bool)]) -> String {
    segments.iter().map(|(text, _)| text.as_str()).collect()
}

#[test]
fn french_inflections_of_export_meet_on_one_term() {
    for word in [
        "exportations",
        "exporter",
        "export",
        "exporté",
        "exportée",
        "exportés",
    ] {
        assert_eq!(fr(word), ["export"], "{word}");
    }
}

#[test]
fn french_stemming_keeps_accents_until_after_the_stem() {
    assert_eq!(fr("améliorer"), fr("amélioration"));
    assert_eq!(fr("améliorations"), ["amelior"]);
    assert_eq!(fr("sécurité"), ["secur"]);
    assert_eq!(fr("données"), fr("donnée"));
}

#[test]
fn english_inflections_meet_on_one_term() {
    assert_eq!(
        en("exports exporting exported"),
        ["export", "export", "export"]
    );
    assert_eq!(en("roadmaps"), en("roadmap"));
    assert_eq!(en("improvement"), en("improving"));
}

#[test]
fn accents_and_case_are_folded() {
    assert_eq!(fr("Éléphant"), fr("elephant"));
    assert_eq!(en("Éléphant"), ["eleph"]);
    assert_eq!(en("CAFÉ"), en("cafe"));
    assert_eq!(fold("Œuvre Æsir Straße ﬁn"), "oeuvreaesirstrassefin");
    // A decomposed "é" (e + U+0301) is the same word as the composed one.
    assert_eq!(fr("e\u{301}le\u{301}phant"), fr("éléphant"));
}

#[test]
fn french_elisions_keep_the_word_after_the_apostrophe() {
    assert_eq!(fr("l'export"), ["export"]);
    assert_eq!(fr("l’export d’une feuille"), ["export", "feuill"]);
    assert_eq!(fr("qu'il exporte jusqu'à demain"), ["export", "demain"]);
    assert_eq!(en("qu'elle"), ["ell"]);
}

#[test]
fn stopwords_of_the_language_are_dropped() {
    assert_eq!(fr("la feuille de route"), ["feuill", "rout"]);
    assert_eq!(en("the roadmap of the team"), ["roadmap", "team"]);
    // English contractions split on the apostrophe; their pieces are stopwords.
    assert_eq!(en("I don't export"), ["export"]);
    assert!(fr("le la les de des du").is_empty());
}

#[test]
fn digits_are_kept_and_single_characters_dropped() {
    assert_eq!(
        en("Release v2 in 2025, step 3"),
        ["releas", "v2", "2025", "step"]
    );
    assert!(en("a b c 1 2 3 - ! ?").is_empty());
    assert!(en("").is_empty());
}

#[test]
fn long_words_and_long_texts_are_capped() {
    let long = "x".repeat(1000);
    assert_eq!(en(&long), ["x".repeat(MAX_TERM_CHARS)]);
    let huge = "roadmap ".repeat(MAX_TERMS + 500);
    assert_eq!(en(&huge).len(), MAX_TERMS);
}

#[test]
fn the_language_is_guessed_from_stopwords() {
    assert_eq!(
        detect_language("Exporter la feuille de route en PDF"),
        Locale::Fr
    );
    assert_eq!(detect_language("Export the roadmap to PDF"), Locale::En);
    assert_eq!(detect_language(""), Locale::En);
    assert_eq!(detect_language("PDF roadmap"), Locale::En);
}

#[test]
fn index_terms_are_space_separated_and_carry_unaccented_french_stems() {
    assert_eq!(
        index_terms("Exporter la feuille de route en PDF"),
        "export feuill rout pdf"
    );
    assert_eq!(
        index_terms("La sécurité des données"),
        "secur securit don donne"
    );
    assert_eq!(
        index_terms("Export the roadmap to PDF"),
        "export roadmap pdf"
    );
}

#[test]
fn a_query_typed_without_accents_finds_the_accented_text() {
    let index = index_terms("Renforcer la sécurité des données");
    let indexed: Vec<&str> = index.split(' ').collect();
    for query in ["securite", "sécurité", "donnees", "données"] {
        let found = query_terms(query);
        assert!(
            found
                .iter()
                .all(|group| group.iter().any(|t| indexed.contains(&t.as_str()))),
            "{query}: {found:?} not in {index}"
        );
    }
}

#[test]
fn query_words_carry_french_and_english_alternatives() {
    assert_eq!(
        groups("Sécurité roadmaps"),
        [vec!["secur", "securit"], vec!["roadmap"]]
    );
    assert_eq!(groups("exports"), [vec!["export"]]);
}

#[test]
fn query_stopwords_of_both_languages_are_dropped_unless_nothing_else_is_left() {
    assert_eq!(groups("the export de la roadmap"), groups("export roadmap"));
    assert_eq!(groups("the who"), [vec!["the"], vec!["who"]]);
    assert!(groups("").is_empty());
    assert!(groups("!! ? a").is_empty());
}

#[test]
fn a_long_query_is_cut_to_its_first_words() {
    let words: Vec<String> = (0..1000).map(|i| format!("word{i}")).collect();
    let long = query_terms(&words.join(" "));
    assert_eq!(long.len(), MAX_QUERY_WORDS);
    assert_eq!(long[0], ["word0"]);
    assert_eq!(groups(&"export ".repeat(1000)), [vec!["export"]]);
}

#[test]
fn every_query_term_is_safe_in_a_match_expression() {
    for group in groups("\"l'export\" OR (roadmap) -dark* AND NEAR:x c'est «ça»") {
        for term in group {
            assert!(term.chars().all(char::is_alphanumeric), "{term}");
        }
    }
}

#[test]
fn the_snippet_marks_matching_words_whatever_their_accents_and_inflection() {
    let text = "Nous voulons exporter la feuille de route. L’exportation en PDF est demandée.";
    let segments = snippet(text, &query_terms("export"), 200);
    assert_eq!(highlighted(&segments), ["exporter", "exportation"]);
    assert_eq!(joined(&segments), text);

    let segments = snippet("Un éléphant rose", &query_terms("ELEPHANTS"), 50);
    assert_eq!(highlighted(&segments), ["éléphant"]);
}

#[test]
fn the_snippet_centres_on_the_first_match_and_cuts_between_words() {
    let text = format!(
        "{} la feuille de route exportée {}",
        "début du texte ".repeat(20),
        "suite et fin ".repeat(20)
    );
    let segments = snippet(&text, &query_terms("export"), 60);
    let shown = joined(&segments);
    assert!(shown.starts_with('…') && shown.ends_with('…'), "{shown}");
    assert!(shown.chars().count() <= 62, "{shown}");
    assert_eq!(highlighted(&segments), ["exportée"]);
    let inner = shown.trim_matches('…');
    for word in inner.split(' ') {
        assert!(text.contains(&format!(" {word} ")), "{word} was cut");
    }
}

#[test]
fn the_snippet_of_a_text_without_match_is_its_start() {
    let text = "日本語のテキスト、とても長い文章です。".repeat(10);
    let segments = snippet(&text, &query_terms("roadmap"), 12);
    assert!(highlighted(&segments).is_empty());
    let shown = joined(&segments);
    assert!(shown.ends_with('…'));
    assert!(text.starts_with(shown.trim_end_matches('…')));
    assert!(snippet("text", &[], 0).is_empty());
    assert_eq!(joined(&snippet("short\n\n text\n", &[], 100)), "short text");
    assert_eq!(
        joined(&snippet(
            "  - a list with an export",
            &query_terms("export"),
            8
        )),
        "…export"
    );
}

#[test]
fn the_same_idea_in_french_and_english_scores_above_an_unrelated_idea() {
    let english = "Export the roadmap to PDF";
    let french = "Exporter la feuille de route en PDF";
    let unrelated = "Dark mode for the app";
    assert!(similarity(english, french) > 0.3);
    assert!(similarity(english, french) > similarity(english, unrelated));
    assert_eq!(similarity(english, unrelated), 0.0);
    assert!(
        similarity("Exporting roadmaps as PDF files", english)
            > similarity("PDF invoices for customers", english)
    );
}

#[test]
fn similarity_is_one_for_identical_texts_and_zero_for_empty_ones() {
    assert_eq!(similarity("Dark mode", "Dark mode"), 1.0);
    assert_eq!(similarity("the of", "the of"), 1.0);
    assert_eq!(similarity("", ""), 0.0);
    assert_eq!(similarity("Dark mode", ""), 0.0);
    assert_eq!(similarity("Mode sombre", "mode SOMBRE"), 1.0);
}

#[test]
fn word_order_counts_a_little() {
    let a = en("export roadmap pdf");
    let same_order = en("export roadmap pdf now");
    let shuffled = en("pdf now roadmap export");
    assert!(similarity_terms(&a, &same_order) > similarity_terms(&a, &shuffled));
}

proptest! {
    #[test]
    fn terms_are_only_lower_case_alphanumeric(text in "\\PC{0,60}") {
        for lang in [Locale::Fr, Locale::En] {
            for term in terms(&text, lang) {
                prop_assert!(term.chars().count() >= 2 && term.chars().count() <= MAX_TERM_CHARS);
                prop_assert!(term.chars().all(|c| c.is_alphanumeric() && !c.is_uppercase()), "{:?}", term);
            }
        }
        for term in index_terms(&text).split(' ').filter(|t| !t.is_empty()) {
            prop_assert!(term.chars().all(|c| c.is_alphanumeric() && !c.is_uppercase()), "{:?}", term);
        }
        for term in query_terms(&text).into_iter().flatten() {
            prop_assert!(term.chars().all(|c| c.is_alphanumeric() && !c.is_uppercase()), "{:?}", term);
        }
    }

    #[test]
    fn snippet_never_panics(text in "\\PC{0,200}|.{0,200}", query in "\\PC{0,20}", max in 0usize..80) {
        let segments = snippet(&text, &query_terms(&query), max);
        let shown: String = segments.iter().map(|(s, _)| s.as_str()).collect();
        prop_assert!(shown.trim_matches('…').chars().count() <= max);
    }

    #[test]
    fn similarity_is_a_symmetric_fraction(a in "\\PC{0,60}", b in "\\PC{0,60}") {
        let ab = similarity(&a, &b);
        prop_assert!((0.0..=1.0).contains(&ab));
        prop_assert_eq!(ab, similarity(&b, &a));
    }
}

proptest! {
    /// The ASCII shortcut of `fold` is exactly what the Unicode path gives for ASCII.
    #[test]
    fn folding_ascii_takes_a_shortcut_to_the_same_result(word in "[ -~]{0,30}") {
        prop_assert_eq!(fold(&word), fold_unicode(&word));
    }
}

proptest! {
    /// `index_terms` writes through reused buffers; it gives exactly the word-by-word analysis
    /// (`folded_word_terms` over the content words of the detected language).
    #[test]
    fn index_terms_is_the_word_by_word_analysis(
        text in "(\\PC{0,12}|[a-zA-Zéèêàçœ' ]{0,80}|(le |la |the |export |sécurité |données ){0,12})"
    ) {
        let lang = detect_language(&text);
        let reference: Vec<String> = content_words(&text, lang)
            .take(MAX_TERMS)
            .flat_map(|(word, folded)| folded_word_terms(word, folded, lang))
            .collect();
        prop_assert_eq!(index_terms(&text), reference.join(" "));
    }
}

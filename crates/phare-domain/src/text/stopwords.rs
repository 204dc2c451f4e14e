//! The curated stopword lists of each language, compared after lower-casing and accent folding.

use std::collections::HashSet;
use std::sync::LazyLock;

use super::fold;
use crate::Locale;

static FRENCH: LazyLock<HashSet<String>> =
    LazyLock::new(|| parse(include_str!("../../data/stopwords-fr.txt")));
static ENGLISH: LazyLock<HashSet<String>> =
    LazyLock::new(|| parse(include_str!("../../data/stopwords-en.txt")));

/// Folds each listed word the way text words are folded, so "été" in the list meets "ete" typed
/// without accents.
fn parse(list: &str) -> HashSet<String> {
    list.lines()
        .map(str::trim)
        .filter(|line| !line.is_empty() && !line.starts_with('#'))
        .map(fold)
        .collect()
}

/// Whether an already folded word is a stopword of `lang`.
pub(super) fn is_stopword(folded: &str, lang: Locale) -> bool {
    match lang {
        Locale::Fr => FRENCH.contains(folded),
        Locale::En => ENGLISH.contains(folded),
    }
}

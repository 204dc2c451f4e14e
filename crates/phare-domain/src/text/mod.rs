//! The one text analyzer of Phare: it turns titles, stories and feedback into the terms that
//! search indexes and duplicate detection compare, for French and English.
//!
//! Both stores index what `index_terms` returns (FTS5 with `unicode61 remove_diacritics 0`,
//! PostgreSQL `to_tsvector('simple', …)`) and query with what `query_terms` returns, so every
//! language rule lives here, once. A term is only lower-case alphanumeric characters: it must
//! never carry quotes, punctuation or spaces, because the stores put terms in match expressions
//! without escaping. This module never touches a database and never fails: odd input gives
//! fewer terms, not an error.
//!
//! Fold and stem order: French words are stemmed *with* their accents and folded afterwards.
//! Snowball French knows é, è, ê…: "sécurité" → "secur", "données" → "don", "exportée" →
//! "export", where the folded words give "securit", "donne", "exporte". English is folded first,
//! since its stemmer only knows ASCII. People often type queries without accents, which only the
//! folded-first stem can meet, so the index also stores that stem for a French word when it
//! differs, and query alternatives carry both.

mod snippet;
mod stopwords;

use std::collections::BTreeSet;

use rust_stemmers::{Algorithm, Stemmer};
use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

use crate::Locale;
pub use snippet::snippet;
use stopwords::is_stopword;

/// Longer terms are cut: no word is this long, and a pasted hash or URL must not bloat the index.
pub const MAX_TERM_CHARS: usize = 40;
/// Words analyzed per document, so a huge text cannot blow up the index.
pub const MAX_TERMS: usize = 20_000;
/// Words kept from a query: enough for any real search, and a pasted page stays a cheap query.
pub const MAX_QUERY_WORDS: usize = 32;
/// Words read to guess a language: the first paragraphs tell as much as the whole text.
const DETECTION_WORDS: usize = 1_000;

/// French elided articles and conjunctions ("l'export", "qu'il", "jusqu'à"): the word after the
/// apostrophe is the one that carries meaning.
const ELIDED: &[&str] = &[
    "c", "d", "j", "l", "m", "n", "s", "t", "qu", "jusqu", "lorsqu", "puisqu", "quoiqu",
];

/// Guesses whether a text is French or English by counting the stopwords of each language;
/// English on a tie, which includes an empty text.
pub fn detect_language(text: &str) -> Locale {
    detect_language_in(text, &mut String::new())
}

/// [`detect_language`] folding each word into `folded`, a buffer the caller reuses.
fn detect_language_in(text: &str, folded: &mut String) -> Locale {
    let (mut french, mut english) = (0usize, 0usize);
    for (_, word) in words(text).take(DETECTION_WORDS) {
        fold_into(word, folded);
        french += usize::from(is_stopword(folded, Locale::Fr));
        english += usize::from(is_stopword(folded, Locale::En));
    }
    if french > english {
        Locale::Fr
    } else {
        Locale::En
    }
}

/// The terms of a text in a known language, in text order: words folded, stopwords of `lang`
/// dropped, stemmed, terms of one character dropped, at most `MAX_TERMS`.
pub fn terms(text: &str, lang: Locale) -> Vec<String> {
    content_words(text, lang)
        .filter_map(|(word, folded)| folded_word_terms(word, folded, lang).into_iter().next())
        .take(MAX_TERMS)
        .collect()
}

/// What a store indexes for a text: its terms in its detected language, separated by single
/// spaces, with the unaccented French stems described in the module comment.
///
/// The word-by-word rules are [`folded_word_terms`]'s (a property test holds the two to the same
/// output). What each word gives is remembered per thread ([`Memo`]): an import analyzes a
/// hundred thousand texts in a row, which share most of their words, and folding, looking up
/// stopwords and stemming each occurrence again was most of its analysis time.
pub fn index_terms(text: &str) -> String {
    MEMO.with_borrow_mut(|memo| memo.index_terms(text))
}

/// Words remembered per thread before the memo starts again: the common words of a
/// language, about a megabyte.
const MEMO_WORDS: usize = 16_384;

thread_local! {
    static MEMO: std::cell::RefCell<Memo> = std::cell::RefCell::default();
}

/// What the analyzer worked out for words as written, so that a word met again costs one
/// hash lookup.
#[derive(Default)]
struct Memo {
    words: rustc_hash::FxHashMap<Box<str>, Word>,
    /// The buffer words are folded into.
    folded: String,
}

/// One word as written: whether it is a stopword of each language once folded, and its terms
/// in each language (`None` until asked; an empty string when it gives none).
#[derive(Default)]
struct Word {
    usable: bool,
    stop: [bool; 2],
    terms: [Option<Box<str>>; 2],
}

fn slot(lang: Locale) -> usize {
    match lang {
        Locale::Fr => 0,
        Locale::En => 1,
    }
}

impl Memo {
    fn index_terms(&mut self, text: &str) -> String {
        if self.words.len() > MEMO_WORDS {
            self.words.clear();
        }
        let (mut french, mut english) = (0usize, 0usize);
        for (_, word) in words(text).take(DETECTION_WORDS) {
            if let Some(w) = entry(&mut self.words, &mut self.folded, word) {
                french += usize::from(w.stop[slot(Locale::Fr)]);
                english += usize::from(w.stop[slot(Locale::En)]);
            }
        }
        let lang = if french > english {
            Locale::Fr
        } else {
            Locale::En
        };
        let mut index = String::with_capacity(text.len());
        let mut kept = 0;
        for (_, word) in words(text) {
            let Some(w) = entry(&mut self.words, &mut self.folded, word) else {
                continue;
            };
            if !w.usable || w.stop[slot(lang)] {
                continue;
            }
            let folded = &mut self.folded;
            let terms = w.terms[slot(lang)].get_or_insert_with(|| {
                fold_into(word, folded);
                folded_word_terms(word, folded.clone(), lang)
                    .join(" ")
                    .into()
            });
            if !terms.is_empty() {
                if !index.is_empty() {
                    index.push(' ');
                }
                index.push_str(terms);
            }
            kept += 1;
            if kept == MAX_TERMS {
                break;
            }
        }
        index
    }
}

/// The memo's entry of a word, made on first sight (`folded` is the memo's buffer). Always
/// `Some`: looked up again after an insert, because today's borrow checker refuses returning
/// the found entry from one branch and inserting in the other.
fn entry<'m>(
    words: &'m mut rustc_hash::FxHashMap<Box<str>, Word>,
    folded: &mut String,
    word: &str,
) -> Option<&'m mut Word> {
    if !words.contains_key(word) {
        fold_into(word, folded);
        let fresh = Word {
            usable: has_two_chars(folded),
            stop: [
                is_stopword(folded, Locale::Fr),
                is_stopword(folded, Locale::En),
            ],
            terms: [None, None],
        };
        words.insert(word.into(), fresh);
    }
    words.get_mut(word)
}

/// The terms of a search query whose language is unknown: one group per query word, holding
/// the terms that word can have in French or English. A store matches a document holding at
/// least one term of every group. Stopwords of both languages are dropped unless the query is
/// nothing else; at most `MAX_QUERY_WORDS` groups; empty when no word is usable.
pub fn query_terms(query: &str) -> Vec<Vec<String>> {
    let usable = || words(query).map(|(_, word)| word).filter(|w| is_usable(w));
    let is_common = |word: &str| {
        let folded = fold(word);
        is_stopword(&folded, Locale::Fr) || is_stopword(&folded, Locale::En)
    };
    let only_stopwords = usable().all(is_common);
    let mut groups: Vec<Vec<String>> = Vec::new();
    for word in usable().filter(|word| only_stopwords || !is_common(word)) {
        let alternatives = any_language_terms(word);
        if !alternatives.is_empty() && !groups.contains(&alternatives) {
            groups.push(alternatives);
        }
        if groups.len() == MAX_QUERY_WORDS {
            break;
        }
    }
    groups
}

/// How alike two short texts are (an idea's title and story against another's), from 0 (nothing
/// shared, or either empty) to 1 (identical). Each text is analyzed in its own detected language,
/// so "Exporter la feuille de route" and "Export the roadmap" meet on "export".
pub fn similarity(a: &str, b: &str) -> f64 {
    let (a, b) = (a.trim(), b.trim());
    if !a.is_empty() && a == b {
        return 1.0;
    }
    similarity_terms(&terms(a, detect_language(a)), &terms(b, detect_language(b)))
}

/// `similarity` over terms already computed with `terms`, for callers comparing one text with
/// many. Three quarters Dice coefficient of the term sets (shared vocabulary), one quarter Dice of
/// the sets of adjacent term pairs (shared phrasing), so the same words in the same order score
/// above the same words shuffled. Symmetric by construction.
pub fn similarity_terms(a: &[String], b: &[String]) -> f64 {
    let words = dice(
        &a.iter().collect::<BTreeSet<_>>(),
        &b.iter().collect::<BTreeSet<_>>(),
    );
    let (pairs_a, pairs_b) = (pairs(a), pairs(b));
    if pairs_a.is_empty() && pairs_b.is_empty() {
        return words;
    }
    (0.75 * words + 0.25 * dice(&pairs_a, &pairs_b)).clamp(0.0, 1.0)
}

fn pairs(terms: &[String]) -> BTreeSet<(&String, &String)> {
    terms.windows(2).map(|pair| (&pair[0], &pair[1])).collect()
}

fn dice<T: Ord>(a: &BTreeSet<T>, b: &BTreeSet<T>) -> f64 {
    if a.is_empty() || b.is_empty() {
        return 0.0;
    }
    2.0 * a.intersection(b).count() as f64 / (a.len() + b.len()) as f64
}

/// Whether a character belongs to a word. Combining marks do, so a decomposed "é" stays in its
/// word; apostrophes do not, although U+02BC is a letter for Unicode.
pub(crate) fn is_word_char(c: char) -> bool {
    (c.is_alphanumeric() || is_combining_mark(c)) && !is_apostrophe(c)
}

fn is_apostrophe(c: char) -> bool {
    matches!(c, '\'' | '\u{2019}' | '\u{2018}' | '\u{02BC}')
}

/// The words of a text with their byte offsets, French elisions left out.
pub(crate) fn words(text: &str) -> impl Iterator<Item = (usize, &str)> {
    let mut position = 0;
    std::iter::from_fn(move || loop {
        let start = position + text[position..].find(is_word_char)?;
        let end = text[start..]
            .find(|c| !is_word_char(c))
            .map_or(text.len(), |length| start + length);
        position = end;
        let word = &text[start..end];
        let elided = text[end..].starts_with(is_apostrophe)
            && ELIDED.iter().any(|e| word.eq_ignore_ascii_case(e));
        if !elided {
            return Some((start, word));
        }
    })
}

/// Lower-case, accents and compatibility forms removed (NFKD without combining marks, "œ" →
/// "oe", "æ" → "ae", "ß" → "ss"), only alphanumeric characters kept.
pub(crate) fn fold(word: &str) -> String {
    let mut folded = String::new();
    fold_into(word, &mut folded);
    folded
}

/// [`fold`] into a buffer the caller reuses (cleared first).
fn fold_into(word: &str, folded: &mut String) {
    folded.clear();
    if word.is_ascii() {
        // NFKD leaves ASCII as it is: the common case (English, many French words) needs no
        // decomposition, and this is the hottest function of an import.
        folded.extend(
            word.bytes()
                .filter(u8::is_ascii_alphanumeric)
                .map(|b| char::from(b.to_ascii_lowercase())),
        );
    } else {
        folded.push_str(&fold_unicode(word));
    }
}

fn fold_unicode(word: &str) -> String {
    let mut folded = String::with_capacity(word.len());
    for c in word.nfkd() {
        match c {
            'œ' | 'Œ' => folded.push_str("oe"),
            'æ' | 'Æ' => folded.push_str("ae"),
            'ß' | 'ẞ' => folded.push_str("ss"),
            c => folded.extend(c.to_lowercase()),
        }
    }
    // Lower-casing can itself produce combining marks ("İ"), so they go after it.
    folded.retain(|c| c.is_alphanumeric() && !is_combining_mark(c) && !c.is_uppercase());
    folded
}

/// A word gives a term only if it has at least two characters once folded.
fn is_usable(word: &str) -> bool {
    has_two_chars(&fold(word))
}

fn has_two_chars(folded: &str) -> bool {
    folded.chars().nth(1).is_some()
}

/// The words of a text that are not stopwords of `lang`, each with its folded form (folded
/// once: stopwords and stems both need it).
fn content_words(text: &str, lang: Locale) -> impl Iterator<Item = (&str, String)> {
    words(text)
        .map(|(_, word)| (word, fold(word)))
        .filter(move |(_, folded)| has_two_chars(folded) && !is_stopword(folded, lang))
}

/// The terms one word can have in `lang`, the usual one first: for French, the stem of the
/// accented word then, when it differs, the stem of the folded word (see the module comment).
/// Empty when the word has no term (one character once folded).
pub(crate) fn word_terms(word: &str, lang: Locale) -> Vec<String> {
    folded_word_terms(word, fold(word), lang)
}

/// `word_terms` for a word already folded.
fn folded_word_terms(word: &str, folded: String, lang: Locale) -> Vec<String> {
    if folded.chars().count() > MAX_TERM_CHARS {
        return vec![folded.chars().take(MAX_TERM_CHARS).collect()];
    }
    let candidates = match lang {
        // A word of ASCII letters and digits is its own accented form: one stem.
        Locale::Fr if word.len() == folded.len() && word.is_ascii() => {
            vec![fold(&Stemmer::create(Algorithm::French).stem(&folded))]
        }
        Locale::Fr => {
            let accented: String = word.nfc().flat_map(char::to_lowercase).collect();
            let french = Stemmer::create(Algorithm::French);
            vec![fold(&french.stem(&accented)), fold(&french.stem(&folded))]
        }
        Locale::En => vec![fold(&Stemmer::create(Algorithm::English).stem(&folded))],
    };
    let mut terms: Vec<String> = Vec::with_capacity(candidates.len());
    for term in candidates {
        if term.chars().nth(1).is_some() && !terms.contains(&term) {
            terms.push(term);
        }
    }
    terms
}

/// Every term a word can have in French or English: the alternatives of a query word, and what
/// a text word is compared with when highlighting.
pub(crate) fn any_language_terms(word: &str) -> Vec<String> {
    let mut terms = word_terms(word, Locale::Fr);
    for term in word_terms(word, Locale::En) {
        if !terms.contains(&term) {
            terms.push(term);
        }
    }
    terms
}

#[cfg(test)]
mod tests;

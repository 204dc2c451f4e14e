//! The passage of a text shown under a search result, with the words that matched the query
//! marked. It returns plain segments; escaping and `<mark>` belong to the web layer.

use std::collections::HashSet;

use super::{any_language_terms, is_word_char, words};

const ELLIPSIS: &str = "…";

/// At most `max_chars` characters of `text` (plus "…" where it was cut), starting a little
/// before the first word that matches `query` (as returned by `query_terms`), or the start of
/// the text when none does. Each segment is `(text, highlighted)`; runs of white space become one
/// space. Cuts fall between words, and always between characters.
pub fn snippet(text: &str, query: &[Vec<String>], max_chars: usize) -> Vec<(String, bool)> {
    if max_chars == 0 {
        return Vec::new();
    }
    let wanted: HashSet<&str> = query.iter().flatten().map(String::as_str).collect();
    let matches = |word: &str| {
        !wanted.is_empty()
            && any_language_terms(word)
                .iter()
                .any(|term| wanted.contains(term.as_str()))
    };
    let anchor = words(text)
        .find(|(_, word)| matches(word))
        .map_or(0, |(start, _)| start);
    let (start, end) = window(text, anchor, max_chars);

    let mut segments = Vec::new();
    if !text[..start].trim().is_empty() {
        push(&mut segments, ELLIPSIS, false);
    }
    let mut position = start;
    for (offset, word) in words(&text[start..end]) {
        if matches(word) {
            let word_start = start + offset;
            push(&mut segments, &text[position..word_start], false);
            push(&mut segments, word, true);
            position = word_start + word.len();
        }
    }
    push(&mut segments, &text[position..end], false);
    if !text[end..].trim().is_empty() {
        push(&mut segments, ELLIPSIS, false);
    }
    segments
}

/// The byte range shown: it opens a quarter of the length before the anchor so the match has
/// some context, on a word start, and closes on a word end.
fn window(text: &str, anchor: usize, max_chars: usize) -> (usize, usize) {
    let lead = max_chars / 4;
    let mut start = if lead == 0 {
        anchor
    } else {
        text[..anchor]
            .char_indices()
            .rev()
            .nth(lead - 1)
            .map_or(0, |(index, _)| index)
    };
    if start > 0 {
        let inside_word =
            text[..start].ends_with(is_word_char) && text[start..].starts_with(is_word_char);
        let mut following = words(&text[start..anchor]).map(|(offset, _)| start + offset);
        if inside_word {
            following.next();
        }
        start = following.next().unwrap_or(anchor);
    }
    let end = text[start..]
        .char_indices()
        .nth(max_chars)
        .map_or(text.len(), |(offset, _)| start + offset);
    let mut cut = end;
    if end < text.len()
        && text[..end].ends_with(is_word_char)
        && text[end..].starts_with(is_word_char)
    {
        // A word longer than the whole window is cut inside; any other stops before the cut.
        if let Some(boundary) = text[start..end].rfind(|c| !is_word_char(c)) {
            cut = start + boundary;
        }
    }
    (start, start + text[start..cut].trim_end().len())
}

/// Appends a segment, merging it with the previous one when both are plain, and collapsing
/// white space so a passage shows on one line.
fn push(segments: &mut Vec<(String, bool)>, text: &str, highlighted: bool) {
    if text.is_empty() {
        return;
    }
    let mut collapsed = String::with_capacity(text.len());
    let mut in_space = segments
        .last()
        .is_some_and(|(previous, _)| previous.ends_with(' '));
    for c in text.chars() {
        if c.is_whitespace() {
            if !in_space {
                collapsed.push(' ');
            }
            in_space = true;
        } else {
            collapsed.push(c);
            in_space = false;
        }
    }
    match segments.last_mut() {
        Some((previous, false)) if !highlighted => previous.push_str(&collapsed),
        _ if collapsed.is_empty() => {}
        _ => segments.push((collapsed, highlighted)),
    }
}

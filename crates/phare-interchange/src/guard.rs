//! The CSV-injection guard (RELIABILITY R10): a spreadsheet must never run a cell as a formula.
//! Text starting with `= + - @`, tab or CR gets a leading `'`, as Linear does. Text whose leading
//! quotes hide such a start is guarded too, so [`unguard`] gives back exactly the original.

use std::borrow::Cow;

const TRIGGERS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// True when a spreadsheet could read the text as a formula (after any leading quotes).
pub fn needs_guard(text: &str) -> bool {
    text.trim_start_matches('\'').starts_with(TRIGGERS)
}

pub fn guard(text: &str) -> Cow<'_, str> {
    if needs_guard(text) {
        Cow::Owned(format!("'{text}"))
    } else {
        Cow::Borrowed(text)
    }
}

/// The inverse of [`guard`]; also strips the `'` Linear adds before `+ - = @`.
pub fn unguard(text: &str) -> &str {
    match text.strip_prefix('\'') {
        Some(rest) if needs_guard(rest) => rest,
        _ => text,
    }
}

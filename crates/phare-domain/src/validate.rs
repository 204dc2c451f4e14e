//! Field rules shared by the web pages, the API and the CLI, so all three refuse the same input
//! with the same code.

use crate::Invalid;

pub const NAME_MAX: usize = 120;
pub const DESCRIPTION_MAX: usize = 10_000;

/// A trimmed, required, bounded single-line text.
pub fn required_text(errors: &mut Invalid, field: &str, value: &str, max: usize) -> String {
    let v = value.trim_matches(|c: char| c.is_whitespace() || is_invisible(c));
    if v.is_empty() {
        // Blank, or only invisible characters (a byte-order mark, zero-width spaces): a name
        // nobody could see or click.
        errors.add(field, "required");
    } else if v.chars().count() > max {
        errors.add(field, "too_long");
    } else if v.chars().any(|c| c.is_control() || is_bidi_control(c)) {
        // One line: no line breaks; and no bidirectional overrides, which make a name or a link
        // read differently from what it is ("gpj.exe").
        errors.add(field, "invalid_characters");
    }
    v.to_owned()
}

/// An optional single-line text: `None` when blank, otherwise the rules of [`required_text`].
pub fn optional_line(errors: &mut Invalid, field: &str, value: &str, max: usize) -> Option<String> {
    let v = value.trim_matches(|c: char| c.is_whitespace() || is_invisible(c));
    (!v.is_empty()).then(|| required_text(errors, field, v, max))
}

/// Characters that take no room on screen: zero-width spaces and joiners, the byte-order mark,
/// the soft hyphen, word joiners.
fn is_invisible(c: char) -> bool {
    matches!(c, '\u{00AD}' | '\u{200B}'..='\u{200D}' | '\u{2060}'..='\u{2064}' | '\u{FEFF}')
}

/// Explicit bidirectional embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069) and
/// the directional marks. Right-to-left names need none of them.
fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// Optional long text (Markdown later), bounded.
pub fn optional_text(errors: &mut Invalid, field: &str, value: &str, max: usize) -> String {
    let v = value.trim();
    if v.chars().count() > max {
        errors.add(field, "too_long");
    } else if v
        .chars()
        .any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
    {
        // Line breaks and tabs belong in long text; NUL and other controls never do (and
        // PostgreSQL refuses NUL outright).
        errors.add(field, "invalid_characters");
    }
    v.to_owned()
}

/// A deliberately small e-mail check: one `@`, something on each side, a dot in the domain, no
/// spaces. Deliverability is proven by sending, not by a regex.
pub fn email(errors: &mut Invalid, field: &str, value: &str) -> String {
    let v = value.trim().to_lowercase();
    let ok = v.len() <= 254
        && !v.chars().any(|c| c.is_whitespace() || c.is_control())
        && match v.split_once('@') {
            Some((local, domain)) => {
                !local.is_empty()
                    && !domain.contains('@')
                    && domain.contains('.')
                    && !domain.starts_with('.')
                    && !domain.ends_with('.')
            }
            None => false,
        };
    if v.is_empty() {
        errors.add(field, "required");
    } else if !ok {
        errors.add(field, "invalid_email");
    }
    v
}

/// A product key: 2 to 10 upper-case ASCII letters or digits, starting with a letter (`CHK`).
/// It prefixes human references such as `CHK-42`, so it must be easy to say and type.
pub fn product_key(errors: &mut Invalid, field: &str, value: &str) -> String {
    let v = value.trim().to_ascii_uppercase();
    let ok = (2..=10).contains(&v.len())
        && v.chars().next().is_some_and(|c| c.is_ascii_uppercase())
        && v.chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit());
    if v.is_empty() {
        errors.add(field, "required");
    } else if !ok {
        errors.add(field, "invalid_product_key");
    }
    v
}

/// A URL-safe workspace slug: 2 to 40 of `a-z 0-9 -`, not starting or ending with `-`.
pub fn slug(errors: &mut Invalid, field: &str, value: &str) -> String {
    let v = value.trim().to_ascii_lowercase();
    let ok = (2..=40).contains(&v.len())
        && v.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && !v.starts_with('-')
        && !v.ends_with('-');
    if v.is_empty() {
        errors.add(field, "required");
    } else if !ok {
        errors.add(field, "invalid_slug");
    }
    v
}

/// Derives a slug from a display name ("Ville de Lyon" → "ville-de-lyon").
pub fn slugify(name: &str) -> String {
    let mut out = String::new();
    for c in name.chars().flat_map(fold_accent) {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    let s = out.trim_end_matches('-');
    s.chars()
        .take(40)
        .collect::<String>()
        .trim_end_matches('-')
        .to_owned()
}

fn fold_accent(c: char) -> Vec<char> {
    let s: &[char] = match c {
        'à' | 'â' | 'ä' | 'á' | 'ã' | 'å' | 'À' | 'Â' | 'Ä' | 'Á' => &['a'],
        'ç' | 'Ç' => &['c'],
        'é' | 'è' | 'ê' | 'ë' | 'É' | 'È' | 'Ê' | 'Ë' => &['e'],
        'î' | 'ï' | 'í' | 'Î' | 'Ï' => &['i'],
        'ô' | 'ö' | 'ó' | 'õ' | 'Ô' | 'Ö' => &['o'],
        'ù' | 'û' | 'ü' | 'ú' | 'Ù' | 'Û' | 'Ü' => &['u'],
        'ÿ' => &['y'],
        'œ' | 'Œ' => &['o', 'e'],
        'æ' | 'Æ' => &['a', 'e'],
        _ => return vec![c],
    };
    s.to_vec()
}

/// An IANA time zone name such as `Europe/Paris`, checked against the tz database shipped in
/// the binary (no lookup at run time).
pub fn time_zone(errors: &mut Invalid, field: &str, value: &str) -> String {
    let v = value.trim();
    if v.parse::<chrono_tz::Tz>().is_err() {
        errors.add(field, "invalid_time_zone");
    }
    v.to_owned()
}

/// Every time zone name, for pickers.
pub fn time_zones() -> impl Iterator<Item = &'static str> {
    chrono_tz::TZ_VARIANTS.iter().map(|tz| tz.name())
}

/// Working hours as `HH:MM`.
pub fn clock_time(errors: &mut Invalid, field: &str, value: &str) -> String {
    let v = value.trim();
    let ok = v.len() == 5
        && v.as_bytes()[2] == b':'
        && v[..2].parse::<u8>().is_ok_and(|h| h < 24)
        && v[3..].parse::<u8>().is_ok_and(|m| m < 60);
    if !ok {
        errors.add(field, "invalid_time");
    }
    v.to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn product_keys_are_short_upper_case_and_start_with_a_letter() {
        let mut e = Invalid::new();
        assert_eq!(product_key(&mut e, "key", " chk "), "CHK");
        assert!(e.is_empty());
        for bad in ["C", "1AB", "AB-C", "ABCDEFGHIJK", "É"] {
            let mut e = Invalid::new();
            product_key(&mut e, "key", bad);
            assert_eq!(e.0[0].code, "invalid_product_key", "{bad}");
        }
    }

    #[test]
    fn emails_are_lower_cased_and_checked_for_shape() {
        let mut e = Invalid::new();
        assert_eq!(
            email(&mut e, "email", " Ada@Example.ORG "),
            "ada@example.org"
        );
        assert!(e.is_empty());
        for bad in [
            "ada",
            "ada@example",
            "a b@example.org",
            "@example.org",
            "a@@b.org",
        ] {
            let mut e = Invalid::new();
            email(&mut e, "email", bad);
            assert_eq!(e.0.len(), 1, "{bad}");
        }
    }

    #[test]
    fn slugify_folds_french_accents() {
        assert_eq!(
            slugify("Ville de Lyon — Équipe Produit"),
            "ville-de-lyon-equipe-produit"
        );
        assert_eq!(slugify("Cœur"), "coeur");
    }

    #[test]
    fn required_text_refuses_empty_long_and_control_characters() {
        let mut e = Invalid::new();
        required_text(&mut e, "name", "   ", 10);
        required_text(&mut e, "name", "abcdefghijk", 10);
        required_text(&mut e, "name", "a\u{0}b", 10);
        let codes: Vec<_> = e.0.iter().map(|f| f.code).collect();
        assert_eq!(codes, ["required", "too_long", "invalid_characters"]);
    }

    #[test]
    fn single_lines_refuse_invisible_names_line_breaks_and_bidi_overrides() {
        let mut e = Invalid::new();
        assert_eq!(required_text(&mut e, "a", "\u{FEFF}", 10), "");
        required_text(&mut e, "b", " \u{200B}\u{200D} ", 10);
        required_text(&mut e, "c", "https://x.org/\u{202E}gpj.exe", 40);
        assert_eq!(
            optional_line(&mut e, "d", "smb\r\nBcc: x@y.org", 40).as_deref(),
            Some("smb\r\nBcc: x@y.org")
        );
        let codes: Vec<_> = e.0.iter().map(|f| (f.field.as_str(), f.code)).collect();
        assert_eq!(
            codes,
            [
                ("a", "required"),
                ("b", "required"),
                ("c", "invalid_characters"),
                ("d", "invalid_characters")
            ]
        );
        let mut ok = Invalid::new();
        assert_eq!(optional_line(&mut ok, "e", " \u{FEFF} ", 10), None);
        assert_eq!(
            required_text(&mut ok, "f", "\u{FEFF}Zoé\u{200B}", 10),
            "Zoé"
        );
        assert_eq!(required_text(&mut ok, "g", "مرحبا", 10), "مرحبا");
        assert!(ok.is_empty());
    }

    #[test]
    fn clock_times_and_time_zones_have_their_shape() {
        let mut e = Invalid::new();
        clock_time(&mut e, "t", "09:30");
        time_zone(&mut e, "z", "Europe/Paris");
        time_zone(&mut e, "z", "America/Argentina/Buenos_Aires");
        assert!(e.is_empty());
        clock_time(&mut e, "t", "24:00");
        time_zone(&mut e, "z", "Paris; drop");
        time_zone(&mut e, "z", "Europe/Pariss");
        assert_eq!(e.0.len(), 3);
        assert!(time_zones().any(|z| z == "Pacific/Noumea"));
    }
}

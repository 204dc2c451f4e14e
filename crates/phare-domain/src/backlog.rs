//! The ranked backlog's manual order: fractional keys, and the filters of a backlog view.
//!
//! Each idea carries a rank key, a string compared byte by byte; an idea's position is the
//! order of its key among the keys of its product. Moving an idea writes one key, strictly
//! between its new neighbours' keys ([`key_between`]), so a reorder is one small write however
//! long the backlog, and the keys never run out (a key may grow by one character).
//!
//! Keys use the 62 digits `0-9A-Za-z` (ASCII order) and never end with `0`, so there is always
//! room before a key. A new idea gets `z` + its 12-digit number + `V` (set by the database when
//! the idea is inserted). A move to the bottom takes a key below the one the next new idea will
//! get, so new ideas always land at the bottom, in the order they were created.

use crate::Invalid;

const DIGITS: &[u8] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
const BASE: usize = 62;

fn digit_index(c: u8) -> Option<usize> {
    DIGITS.iter().position(|d| *d == c)
}

/// The key a new idea numbered `number` gets (the databases compute the same text).
pub fn default_rank(number: i64) -> String {
    format!("z{number:012}V")
}

/// True for a key made of the 62 digits, not empty, not ending with `0`.
pub fn is_rank_key(key: &str) -> bool {
    !key.is_empty() && !key.ends_with('0') && key.bytes().all(|b| digit_index(b).is_some())
}

/// A key strictly between `low` and `high` (`None`: no bound on that side). Both bounds must be
/// valid keys with `low < high`; `None` is returned otherwise.
pub fn key_between(low: Option<&str>, high: Option<&str>) -> Option<String> {
    if let Some(l) = low {
        if !is_rank_key(l) {
            return None;
        }
    }
    if let Some(h) = high {
        if !is_rank_key(h) {
            return None;
        }
    }
    if let (Some(l), Some(h)) = (low, high) {
        if l >= h {
            return None;
        }
    }
    let out = midpoint(low.unwrap_or("").as_bytes(), high.map(str::as_bytes));
    String::from_utf8(out).ok()
}

/// The midpoint of two digit strings read as fractions (`a` < `b`; an empty `a` is 0, a missing
/// `b` is 1), after the algorithm of David Greenspan's fractional indexing.
fn midpoint(a: &[u8], b: Option<&[u8]>) -> Vec<u8> {
    if let Some(b) = b {
        // The common prefix, reading `a` as padded with zeros.
        let mut n = 0;
        while n < b.len() && a.get(n).copied().unwrap_or(b'0') == b[n] {
            n += 1;
        }
        if n > 0 {
            let mut out = b[..n].to_vec();
            let rest_a = if n < a.len() { &a[n..] } else { &[][..] };
            out.extend(midpoint(rest_a, Some(&b[n..])));
            return out;
        }
    }
    let da = a.first().and_then(|c| digit_index(*c)).unwrap_or(0);
    let db = b
        .and_then(|b| b.first())
        .and_then(|c| digit_index(*c))
        .unwrap_or(BASE);
    if db - da > 1 {
        vec![DIGITS[(da + db).div_ceil(2).min(db - 1)]]
    } else if let Some(b) = b.filter(|b| b.len() > 1) {
        // The first digits are consecutive and `b` goes on: its first digit alone is between.
        vec![b[0]]
    } else {
        let mut out = vec![DIGITS[da]];
        out.extend(midpoint(a.get(1..).unwrap_or(&[]), None));
        out
    }
}

/// Where to move an idea in the manual order.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MoveTo {
    Top,
    Bottom,
    Up,
    Down,
    /// Zero-based, among the backlog's ideas without the moved one.
    Position(u32),
    Before(crate::IdeaId),
    After(crate::IdeaId),
}

text_enum!(
    /// How the backlog is ordered.
    BacklogSort {
        Score => "score",
        Rank => "rank",
    }
);

/// The bounds of a score-range filter, checked: finite, and `min` at most `max`.
pub fn score_range(
    min: Option<f64>,
    max: Option<f64>,
    errors: &mut Invalid,
) -> (Option<f64>, Option<f64>) {
    for (field, v) in [("min_score", min), ("max_score", max)] {
        if v.is_some_and(|v| !v.is_finite()) {
            errors.add(field, "out_of_range");
        }
    }
    if let (Some(a), Some(b)) = (min, max) {
        if a > b {
            errors.add("max_score", "below_min");
        }
    }
    (min, max)
}

pub const VIEW_NAME_MAX: usize = 80;
pub const VIEW_QUERY_MAX: usize = 2_000;

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn keys_fall_between_their_bounds() {
        assert_eq!(key_between(None, None).as_deref(), Some("V"));
        let a = key_between(None, Some("V")).unwrap();
        assert!(a.as_str() < "V");
        let b = key_between(Some("V"), None).unwrap();
        assert!(b.as_str() > "V");
        let c = key_between(Some("a"), Some("b")).unwrap();
        assert!("a" < c.as_str() && c.as_str() < "b");
        assert_eq!(key_between(Some("b"), Some("a")), None);
        assert_eq!(key_between(Some("a0"), None), None, "no trailing zero");
        let d = default_rank(42);
        assert_eq!(d, "z000000000042V");
        let e = key_between(Some(&d), Some(&default_rank(43))).unwrap();
        assert!(d < e && e < default_rank(43));
    }

    #[test]
    fn a_thousand_moves_to_the_same_gap_stay_ordered_and_short() {
        let low = "a".to_owned();
        let mut high = "b".to_owned();
        for _ in 0..1000 {
            let k = key_between(Some(&low), Some(&high)).unwrap();
            assert!(low < k && k < high);
            high = k;
        }
        assert!(high.len() < 200, "{}", high.len());
    }

    proptest! {
        #[test]
        fn a_key_between_any_two_keys_is_strictly_between(
            a in "[0-9A-Za-z]{0,8}[1-9A-Za-z]", b in "[0-9A-Za-z]{0,8}[1-9A-Za-z]",
        ) {
            prop_assume!(a != b);
            let (low, high) = if a < b { (a, b) } else { (b, a) };
            let k = key_between(Some(&low), Some(&high)).unwrap();
            prop_assert!(low < k && k < high, "{low} < {k} < {high}");
            prop_assert!(is_rank_key(&k));
            let top = key_between(None, Some(&low)).unwrap();
            prop_assert!(top < low && is_rank_key(&top));
            let bottom = key_between(Some(&high), None).unwrap();
            prop_assert!(bottom > high && is_rank_key(&bottom));
        }
    }
}

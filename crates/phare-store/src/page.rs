//! Keyset pagination. A cursor is opaque to clients: base64url of the sort value of the last row
//! returned. Every list is ordered by one unique column, so the next page is a simple `> cursor`.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;

pub const DEFAULT_PAGE_SIZE: u32 = 50;
pub const MAX_PAGE_SIZE: u32 = 200;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Cursor(pub String);

impl Cursor {
    pub fn encode(&self) -> String {
        URL_SAFE_NO_PAD.encode(self.0.as_bytes())
    }

    /// `None` for anything that is not a cursor we made.
    pub fn decode(s: &str) -> Option<Cursor> {
        if s.is_empty() {
            return None;
        }
        let bytes = URL_SAFE_NO_PAD.decode(s).ok()?;
        let text = String::from_utf8(bytes).ok()?;
        // The values we put in cursors (keys, e-mails, names, ids) never hold control
        // characters; one that does was forged, and PostgreSQL would refuse its NUL bytes.
        (!text.chars().any(char::is_control)).then_some(Cursor(text))
    }
}

#[derive(Clone, Debug, Default)]
pub struct PageRequest {
    pub after: Option<Cursor>,
    limit: Option<u32>,
}

impl PageRequest {
    /// A page of at most `limit` rows, clamped to 1..=MAX_PAGE_SIZE.
    pub fn new(after: Option<Cursor>, limit: Option<u32>) -> Self {
        Self { after, limit }
    }

    pub fn first(limit: u32) -> Self {
        Self::new(None, Some(limit))
    }

    pub fn limit(&self) -> u32 {
        self.limit
            .unwrap_or(DEFAULT_PAGE_SIZE)
            .clamp(1, MAX_PAGE_SIZE)
    }

    /// Backends fetch one row more than the limit to know whether a next page exists.
    pub fn fetch_limit(&self) -> i64 {
        i64::from(self.limit()) + 1
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub next_cursor: Option<Cursor>,
}

impl<T> Page<T> {
    /// Builds a page from `limit + 1` fetched rows; `key` gives the sort value of a row.
    pub fn from_rows(mut rows: Vec<T>, req: &PageRequest, key: impl Fn(&T) -> String) -> Self {
        let limit = req.limit() as usize;
        let next_cursor = if rows.len() > limit {
            rows.truncate(limit);
            rows.last().map(|r| Cursor(key(r)))
        } else {
            None
        };
        Page {
            items: rows,
            next_cursor,
        }
    }

    pub fn map<U>(self, f: impl FnMut(T) -> U) -> Page<U> {
        Page {
            items: self.items.into_iter().map(f).collect(),
            next_cursor: self.next_cursor,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_size_is_clamped() {
        assert_eq!(
            PageRequest::new(None, Some(1_000_000)).limit(),
            MAX_PAGE_SIZE
        );
        assert_eq!(PageRequest::new(None, Some(0)).limit(), 1);
        assert_eq!(PageRequest::default().limit(), DEFAULT_PAGE_SIZE);
    }

    #[test]
    fn cursors_round_trip_and_refuse_garbage() {
        let c = Cursor("CHK".into());
        assert_eq!(Cursor::decode(&c.encode()), Some(c));
        assert_eq!(Cursor::decode("%%%"), None);
        assert_eq!(
            Cursor::decode(""),
            None,
            "an empty query parameter is no cursor"
        );
    }

    #[test]
    fn a_next_cursor_exists_only_when_more_rows_were_fetched() {
        let req = PageRequest::first(2);
        let p = Page::from_rows(vec![1, 2, 3], &req, |n| n.to_string());
        assert_eq!(p.items, vec![1, 2]);
        assert_eq!(p.next_cursor, Some(Cursor("2".into())));
        let p = Page::from_rows(vec![1, 2], &req, |n| n.to_string());
        assert_eq!(p.next_cursor, None);
    }
}

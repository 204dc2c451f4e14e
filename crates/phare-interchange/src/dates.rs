//! Dates as other tools write them: RFC 3339 / ISO 8601, Jira's profile formats
//! (`14/Jul/25 3:42 PM`, `14/juil./25 15:42`, `6/21/2025 16:14`) and JavaScript's `Date.toString()`.
//! A date without a zone is taken as UTC: the exports carry none, and guessing one is worse.
//! Returns `None` for anything else; never panics.

use chrono::{DateTime, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Utc};

use crate::DateOrder;

pub(crate) fn parse(text: &str, order: DateOrder) -> Option<DateTime<Utc>> {
    let text = text.trim();
    iso(text)
        .or_else(|| javascript(text))
        .or_else(|| slashed(text, order))
}

fn iso(text: &str) -> Option<DateTime<Utc>> {
    if let Ok(at) = DateTime::parse_from_rfc3339(text) {
        return Some(at.with_timezone(&Utc));
    }
    for format in ["%Y-%m-%dT%H:%M:%S%.f%z", "%Y-%m-%d %H:%M:%S%.f%z"] {
        if let Ok(at) = DateTime::parse_from_str(text, format) {
            return Some(at.with_timezone(&Utc));
        }
    }
    for format in [
        "%Y-%m-%dT%H:%M:%S%.f",
        "%Y-%m-%d %H:%M:%S%.f",
        "%Y-%m-%dT%H:%M",
        "%Y-%m-%d %H:%M",
    ] {
        if let Ok(at) = NaiveDateTime::parse_from_str(text, format) {
            return Some(Utc.from_utc_datetime(&at));
        }
    }
    let day = NaiveDate::parse_from_str(text, "%Y-%m-%d").ok()?;
    Some(Utc.from_utc_datetime(&day.and_time(NaiveTime::MIN)))
}

/// `Wed May 10 2023 12:34:56 GMT+0000 (Coordinated Universal Time)`, as `new Date()` prints.
fn javascript(text: &str) -> Option<DateTime<Utc>> {
    let text = text.split(" (").next()?;
    let at = DateTime::parse_from_str(text, "%a %b %d %Y %H:%M:%S GMT%z").ok()?;
    Some(at.with_timezone(&Utc))
}

/// `d/MMM/yy h:mm a`, `M/d/yyyy H:mm` (or day first), with optional seconds and AM/PM.
fn slashed(text: &str, order: DateOrder) -> Option<DateTime<Utc>> {
    let mut words = text.split_whitespace();
    let mut parts = words.next()?.split('/');
    let (a, b, c) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() {
        return None;
    }
    let (day, month) = match month_name(b) {
        Some(month) => (number(a)?, month),
        None if order == DateOrder::DayFirst => (number(a)?, number(b)?),
        None => (number(b)?, number(a)?),
    };
    let year = match (c.len(), number(c)?) {
        (2, yy) => 2000 + yy,
        (4, yyyy) => yyyy,
        _ => return None,
    };
    let date = NaiveDate::from_ymd_opt(i32::try_from(year).ok()?, month, day)?;
    let time = match words.next() {
        None => NaiveTime::MIN,
        Some(clock) => time(clock, words.next())?,
    };
    if words.next().is_some() {
        return None;
    }
    Some(Utc.from_utc_datetime(&date.and_time(time)))
}

/// `3:42`, `15:42:07`, with `AM`/`PM` either attached (`3:42PM`) or as the next word.
fn time(clock: &str, meridiem: Option<&str>) -> Option<NaiveTime> {
    let text = format!("{clock}{}", meridiem.unwrap_or("")).to_ascii_lowercase();
    let (clock, pm) = match (text.strip_suffix("am"), text.strip_suffix("pm")) {
        (Some(clock), _) => (clock, Some(false)),
        (_, Some(clock)) => (clock, Some(true)),
        _ => (text.as_str(), None),
    };
    let mut parts = clock.split(':');
    let mut hour = number(parts.next()?)?;
    let minute = number(parts.next()?)?;
    let second = parts.next().map_or(Some(0), number)?;
    if parts.next().is_some() {
        return None;
    }
    if let Some(pm) = pm {
        if !(1..=12).contains(&hour) {
            return None;
        }
        hour = hour % 12 + if pm { 12 } else { 0 };
    }
    NaiveTime::from_hms_opt(hour, minute, second)
}

fn number(text: &str) -> Option<u32> {
    if text.is_empty() || text.len() > 4 || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    text.parse().ok()
}

/// English and French month names and abbreviations, as Jira writes them in either locale.
fn month_name(text: &str) -> Option<u32> {
    const MONTHS: [&[&str]; 12] = [
        &["jan", "january", "janv", "janvier"],
        &[
            "feb", "february", "févr", "fevr", "fév", "fev", "février", "fevrier",
        ],
        &["mar", "march", "mars"],
        &["apr", "april", "avr", "avril"],
        &["may", "mai"],
        &["jun", "june", "juin"],
        &["jul", "july", "juil", "juillet"],
        &["aug", "august", "août", "aout"],
        &["sep", "sept", "september", "septembre"],
        &["oct", "october", "octobre"],
        &["nov", "november", "novembre"],
        &["dec", "december", "déc", "décembre", "decembre"],
    ];
    let name = text.trim_end_matches('.').to_lowercase();
    let index = MONTHS
        .iter()
        .position(|names| names.contains(&name.as_str()))?;
    u32::try_from(index + 1).ok()
}

/// True when an all-numeric date can only be read day first (`21/06/2025`); for detection.
pub(crate) fn is_day_first(text: &str) -> bool {
    let mut parts = text.split_whitespace().next().unwrap_or("").split('/');
    match (parts.next().and_then(number), parts.next().and_then(number)) {
        (Some(first), Some(second)) => first > 12 && second <= 12,
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    fn at(text: &str) -> String {
        parse(text, DateOrder::MonthFirst)
            .map(|d| d.to_rfc3339())
            .unwrap_or_default()
    }

    #[test]
    fn jira_english_and_french_month_names_are_read() {
        assert_eq!(at("14/Jul/25 3:42 PM"), "2025-07-14T15:42:00+00:00");
        assert_eq!(at("14/juil./25 3:42 PM"), "2025-07-14T15:42:00+00:00");
        assert_eq!(at("01/févr./24 09:05"), "2024-02-01T09:05:00+00:00");
        assert_eq!(at("3/Dec/24 12:00 AM"), "2024-12-03T00:00:00+00:00");
        assert_eq!(at("3/déc./24 12:30PM"), "2024-12-03T12:30:00+00:00");
    }

    #[test]
    fn numeric_dates_follow_the_order_asked() {
        assert_eq!(at("6/21/2025 16:14"), "2025-06-21T16:14:00+00:00");
        let day_first = parse("06/07/2025 16:14", DateOrder::DayFirst).unwrap();
        assert_eq!(day_first.to_rfc3339(), "2025-07-06T16:14:00+00:00");
        assert_eq!(at("21/06/2025 16:14"), "");
        assert!(is_day_first("21/06/2025 16:14"));
        assert!(!is_day_first("6/21/2025"));
    }

    #[test]
    fn iso_and_javascript_dates_are_read() {
        assert_eq!(at("2025-07-14T15:42:00Z"), "2025-07-14T15:42:00+00:00");
        assert_eq!(at("2025-07-14T17:42:00+02:00"), "2025-07-14T15:42:00+00:00");
        assert_eq!(at("2025-07-14 15:42:00"), "2025-07-14T15:42:00+00:00");
        assert_eq!(at("2025-07-14"), "2025-07-14T00:00:00+00:00");
        assert_eq!(
            at("2023-05-10T12:34:56.789Z"),
            "2023-05-10T12:34:56.789+00:00"
        );
        assert_eq!(
            at("Wed May 10 2023 12:34:56 GMT+0200 (Central European Summer Time)"),
            "2023-05-10T10:34:56+00:00"
        );
    }

    #[test]
    fn nonsense_is_refused() {
        for text in [
            "",
            "yesterday",
            "31/Feb/25",
            "14/Jul/25 13:00 PM",
            "1/2/3/4",
            "99/99/9999",
            "14/Jul/25 3:42 XX",
        ] {
            assert_eq!(at(text), "", "{text}");
        }
    }
}

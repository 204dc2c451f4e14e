//! Timestamps written into JSON by hand, byte for byte as chrono writes them.
//!
//! chrono serializes a `DateTime` through `collect_str`: its `Display` writes the date and the
//! time piece by piece, and serde_json escapes each piece as it comes. A list of fifty feedback
//! items carries 150 timestamps, and that path was a tenth of the inbox API's time. Here the
//! text is built in a small buffer and handed over as one string.

use chrono::{DateTime, Datelike, Timelike, Utc};
use serde::{Serialize, Serializer};

/// `serialize_with` for a `DateTime<Utc>` field: RFC 3339 in UTC with `Z`, and 0, 3, 6 or 9
/// digits of fraction, the fewest that keep the nanoseconds (chrono's `SecondsFormat::AutoSi`).
/// Years outside 0–9999 and leap seconds, which have other spellings, go through chrono.
pub fn rfc3339<S: Serializer>(t: &DateTime<Utc>, s: S) -> Result<S::Ok, S::Error> {
    let mut buf = [0u8; 30];
    match write(t, &mut buf) {
        // Only ASCII digits and separators were written.
        Some(n) => s.serialize_str(std::str::from_utf8(&buf[..n]).unwrap_or_default()),
        None => t.serialize(s),
    }
}

/// Writes `t` into `buf` and returns the length, or `None` for what chrono spells otherwise.
fn write(t: &DateTime<Utc>, buf: &mut [u8; 30]) -> Option<usize> {
    let year = u32::try_from(t.year()).ok().filter(|y| *y <= 9999)?;
    let nanos = t.nanosecond();
    if nanos >= 1_000_000_000 {
        return None;
    }
    digits(&mut buf[0..4], year);
    buf[4] = b'-';
    digits(&mut buf[5..7], t.month());
    buf[7] = b'-';
    digits(&mut buf[8..10], t.day());
    buf[10] = b'T';
    digits(&mut buf[11..13], t.hour());
    buf[13] = b':';
    digits(&mut buf[14..16], t.minute());
    buf[16] = b':';
    digits(&mut buf[17..19], t.second());
    let mut n = 19;
    let (fraction, width) = match nanos {
        0 => (0, 0),
        _ if nanos.is_multiple_of(1_000_000) => (nanos / 1_000_000, 3),
        _ if nanos.is_multiple_of(1_000) => (nanos / 1_000, 6),
        _ => (nanos, 9),
    };
    if width > 0 {
        buf[n] = b'.';
        digits(&mut buf[n + 1..n + 1 + width], fraction);
        n += 1 + width;
    }
    buf[n] = b'Z';
    Some(n + 1)
}

/// `v` in decimal, zero-padded to the slice's length.
fn digits(out: &mut [u8], mut v: u32) {
    for d in out.iter_mut().rev() {
        *d = b'0' + (v % 10) as u8;
        v /= 10;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[derive(Serialize)]
    struct Ours(#[serde(serialize_with = "rfc3339")] DateTime<Utc>);

    fn same_as_chrono(t: DateTime<Utc>) {
        let ours = serde_json::to_string(&Ours(t)).unwrap();
        let chrono = serde_json::to_string(&t).unwrap();
        assert_eq!(ours, chrono, "{t:?}");
    }

    #[test]
    fn timestamps_read_as_chrono_writes_them() {
        // Every fraction width, the ends of the four-digit years, and the spellings chrono
        // keeps (negative and five-digit years, a leap second).
        for micros in [
            0,
            1,
            999,
            1_000,
            1_000_000,
            1_764_000_000_123_000,
            1_764_000_000_123_456,
            1_764_000_000_000_000,
            -62_167_219_200_000_000,
            253_402_300_799_999_999,
            -62_167_219_200_000_001,
            253_402_300_800_000_000,
            -1,
        ] {
            same_as_chrono(Utc.timestamp_micros(micros).unwrap());
        }
        same_as_chrono(Utc.timestamp_opt(1_764_000_000, 123_456_789).unwrap());
        same_as_chrono(Utc.timestamp_opt(1_764_000_000, 5).unwrap());
        let leap = chrono::NaiveDate::from_ymd_opt(2016, 12, 31)
            .unwrap()
            .and_hms_nano_opt(23, 59, 59, 1_500_000_000)
            .unwrap()
            .and_utc();
        same_as_chrono(leap);
    }

    #[test]
    fn a_spread_of_timestamps_reads_as_chrono_writes_them() {
        // A deterministic walk over 800 years at odd steps, with every kind of fraction.
        let mut s: u64 = 0x9e37_79b9_7f4a_7c15;
        for _ in 0..20_000 {
            s ^= s << 13;
            s ^= s >> 7;
            s ^= s << 17;
            let secs = (s % 25_000_000_000) as i64 - 2_000_000_000;
            let nanos = match s % 4 {
                0 => 0,
                1 => (s >> 20) as u32 % 1000 * 1_000_000,
                2 => (s >> 20) as u32 % 1_000_000 * 1_000,
                _ => (s >> 20) as u32 % 1_000_000_000,
            };
            same_as_chrono(Utc.timestamp_opt(secs, nanos).unwrap());
        }
    }
}

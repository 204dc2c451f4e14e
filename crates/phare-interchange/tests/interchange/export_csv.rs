//! CSV export: BOM, CRLF, RFC 4180 quoting, the chosen delimiter, ISO timestamps, and the
//! formula-injection guard on every text cell (RELIABILITY R10).

use chrono::{TimeZone, Utc};
use phare_interchange::{
    detect, guard, read, unguard, write_csv, Cell, CsvWriter, Delimiter, Limits, Table,
};

/// The payloads R10 names, and their cousins.
pub const PAYLOADS: &[&str] = &[
    "=cmd|'/C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "+1+1",
    "-2+3",
    "\t=1",
    "\r=1",
    "'=1",
    "''+1",
    "=HYPERLINK(\"http://evil.test\",\"click\")",
];

/// Reads a CSV export back with the csv crate, BOM removed.
pub fn read_back(bytes: &[u8], delimiter: u8) -> Vec<Vec<String>> {
    let body = bytes
        .strip_prefix(b"\xEF\xBB\xBF")
        .expect("starts with a BOM");
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .delimiter(delimiter)
        .from_reader(body);
    reader
        .records()
        .map(|r| r.unwrap().iter().map(str::to_owned).collect())
        .collect()
}

pub fn starts_unescaped(cell: &str) -> bool {
    cell.starts_with(['=', '+', '-', '@', '\t', '\r'])
}

#[test]
fn known_payloads_are_exported_as_inert_text_and_read_back_exactly() {
    let mut csv = CsvWriter::new(Vec::new(), Delimiter::Comma).unwrap();
    csv.write_header(&["text"]).unwrap();
    for payload in PAYLOADS {
        csv.write_row(&[Cell::from(*payload)]).unwrap();
    }
    let rows = read_back(&csv.finish().unwrap(), b',');
    for (row, payload) in rows[1..].iter().zip(PAYLOADS) {
        assert!(!starts_unescaped(&row[0]), "{:?}", row[0]);
        assert_eq!(row[0], guard(payload));
        assert_eq!(unguard(&row[0]), *payload);
    }
}

#[test]
fn a_french_export_uses_semicolons_crlf_a_bom_and_iso_dates() {
    let at = Utc.with_ymd_and_hms(2025, 7, 14, 15, 42, 7).unwrap();
    let table = Table {
        columns: vec![
            "titre".into(),
            "votes".into(),
            "score".into(),
            "créé le".into(),
            "vide".into(),
        ],
        rows: vec![vec![
            Cell::from("Export; rapide\n\"vite\""),
            Cell::Int(-3),
            Cell::Number(2.5),
            Cell::Date(at),
            Cell::Empty,
        ]],
    };
    let bytes = write_csv(&table, Vec::new(), Delimiter::Semicolon).unwrap();
    let text = String::from_utf8(bytes).unwrap();
    assert_eq!(
        text,
        "\u{feff}titre;votes;score;créé le;vide\r\n\"Export; rapide\n\"\"vite\"\"\";-3;2.5;2025-07-14T15:42:07Z;\r\n"
    );
}

#[test]
fn a_phare_export_imports_back_to_the_same_text() {
    let columns = [
        "external_id",
        "title",
        "text",
        "as_a",
        "i_want",
        "so_that",
        "tags",
        "created_at",
        "votes",
    ];
    let at = Utc.with_ymd_and_hms(2025, 1, 2, 3, 4, 5).unwrap();
    let mut csv = CsvWriter::new(Vec::new(), Delimiter::Comma).unwrap();
    csv.write_header(&columns).unwrap();
    for (i, payload) in PAYLOADS.iter().enumerate() {
        let id = format!("id-{i}");
        let row = [
            id.as_str(),
            payload,
            "body",
            "-PM",
            "+export",
            "@team",
            "a, b",
        ]
        .map(Cell::from);
        let mut row = row.to_vec();
        row.extend([Cell::Date(at), Cell::Int(7)]);
        csv.write_row(&row).unwrap();
    }
    let bytes = csv.finish().unwrap();
    let mapping = detect(&bytes).unwrap().mapping;
    let items = read(&bytes, &mapping, &Limits::default()).unwrap();
    for (item, payload) in items.iter().zip(PAYLOADS) {
        // Cell values are trimmed on import, so a leading tab or CR does not survive it.
        assert_eq!(item.title.as_deref(), Some(payload.trim()));
        assert_eq!(item.as_a.as_deref(), Some("-PM"));
        assert_eq!(item.i_want.as_deref(), Some("+export"));
        assert_eq!(item.so_that.as_deref(), Some("@team"));
        assert_eq!(item.tags, ["a", "b"]);
        assert_eq!((item.created_at, item.votes), (Some(at), Some(7)));
    }
}

//! XLSX export: text stays text (never a formula), numbers and dates are typed, the header is
//! bold, and the sheet refuses rows past Excel's limit.

use std::io::{Cursor, Read};

use chrono::{TimeZone, Utc};
use phare_interchange::{write_xlsx, Cell, ExportError, Table, XlsxWriter, XLSX_MAX_ROWS};

use crate::export_csv::PAYLOADS;

fn part(xlsx: &[u8], name: &str) -> String {
    let mut archive = zip::ZipArchive::new(Cursor::new(xlsx)).unwrap();
    let mut text = String::new();
    archive
        .by_name(name)
        .unwrap()
        .read_to_string(&mut text)
        .unwrap();
    text
}

#[test]
fn formula_payloads_are_stored_as_strings_not_formulas() {
    let at = Utc.with_ymd_and_hms(2025, 7, 14, 12, 0, 0).unwrap();
    let mut rows: Vec<Vec<Cell>> = PAYLOADS
        .iter()
        .map(|p| vec![Cell::from(*p), Cell::Int(1), Cell::Empty])
        .collect();
    rows.push(vec![Cell::from("plain"), Cell::Number(2.5), Cell::Date(at)]);
    let table = Table {
        columns: vec!["text".into(), "votes".into(), "created".into()],
        rows,
    };
    let mut xlsx = Vec::new();
    write_xlsx(&table, "Idées", &mut xlsx).unwrap();

    let sheet = part(&xlsx, "xl/worksheets/sheet1.xml");
    assert!(
        !sheet.contains("<f>") && !sheet.contains("<f "),
        "no formula element"
    );
    let text_cells = PAYLOADS.len() + 1 + 3;
    assert_eq!(
        sheet.matches("t=\"s\"").count(),
        text_cells,
        "every text cell is a shared string"
    );
    assert!(sheet.contains("<v>2.5</v>"), "numbers are numbers");
    // 2025-07-14 12:00 is day 45852.5 since Excel's epoch, written with a date format.
    assert!(sheet.contains("<v>45852.5</v>"), "{sheet}");
    let strings = part(&xlsx, "xl/sharedStrings.xml");
    assert!(
        strings.contains("=cmd|'/C calc'!A0") || strings.contains("=cmd|&apos;/C calc&apos;!A0"),
        "{strings}"
    );
    assert!(strings.contains("@SUM(1+1)"));
    let styles = part(&xlsx, "xl/styles.xml");
    assert!(styles.contains("<b/>"), "bold header");
    assert!(styles.contains("yyyy-mm-dd hh:mm:ss"), "date format");
}

#[test]
fn a_sheet_refuses_rows_past_excels_limit() {
    let mut xlsx = XlsxWriter::new("Big").unwrap();
    xlsx.write_header(&["n"]).unwrap();
    for _ in 0..XLSX_MAX_ROWS {
        xlsx.write_row(&[Cell::Empty]).unwrap();
    }
    assert!(matches!(
        xlsx.write_row(&[Cell::Empty]),
        Err(ExportError::TooManyRows(XLSX_MAX_ROWS))
    ));
}

#[test]
fn an_invalid_sheet_name_is_an_error_not_a_panic() {
    assert!(matches!(XlsxWriter::new("a/b"), Err(ExportError::Xlsx(_))));
}

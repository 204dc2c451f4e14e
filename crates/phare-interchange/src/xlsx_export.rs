//! XLSX export with rust_xlsxwriter (INTEROP §3): bold header, numbers and dates typed, text
//! always stored as a string, never as a formula, so no guard is needed and the text stays
//! exact. rust_xlsxwriter keeps the sheet in memory until `finish` (its constant-memory mode
//! needs temporary files, which this crate does not create): XLSX suits exports up to
//! [`XLSX_MAX_ROWS`], the sheet limit; larger ones go to CSV or JSON Lines.

use std::io::Write;

use rust_xlsxwriter::{Format, Workbook, Worksheet};

use crate::error::ExportError;
use crate::{Cell, Table};

/// Excel's 1,048,576 rows less the header row.
pub const XLSX_MAX_ROWS: u32 = 1_048_575;
const XLSX_MAX_COLUMNS: usize = 16_384;
/// Excel's cell limit, counted in UTF-16 units; longer text is cut (the JSON export keeps all).
const XLSX_MAX_TEXT: usize = 32_767;
/// Days from Excel's epoch (1899-12-30) to the Unix epoch.
const UNIX_EPOCH_SERIAL: f64 = 25_569.0;

pub struct XlsxWriter {
    sheet: Worksheet,
    bold: Format,
    date: Format,
    next_row: u32,
}

impl XlsxWriter {
    /// `sheet_name` follows Excel's rules: at most 31 characters, none of `[ ] : * ? / \`.
    pub fn new(sheet_name: &str) -> Result<Self, ExportError> {
        let mut sheet = Worksheet::new();
        sheet.set_name(sheet_name)?;
        let bold = Format::new().set_bold();
        let date = Format::new().set_num_format("yyyy-mm-dd hh:mm:ss");
        Ok(XlsxWriter {
            sheet,
            bold,
            date,
            next_row: 0,
        })
    }

    pub fn write_header<S: AsRef<str>>(&mut self, columns: &[S]) -> Result<(), ExportError> {
        let row = self.take_row(columns.len())?;
        for (col, name) in (0u16..).zip(columns) {
            self.sheet
                .write_string_with_format(row, col, fit(name.as_ref()), &self.bold)?;
        }
        self.sheet.set_freeze_panes(row + 1, 0)?;
        Ok(())
    }

    pub fn write_row(&mut self, cells: &[Cell]) -> Result<(), ExportError> {
        let row = self.take_row(cells.len())?;
        for (col, cell) in (0u16..).zip(cells) {
            match cell {
                Cell::Text(text) if !text.is_empty() => {
                    self.sheet.write_string(row, col, fit(text))?;
                }
                Cell::Number(n) if n.is_finite() => {
                    self.sheet.write_number(row, col, *n)?;
                }
                Cell::Int(n) => {
                    // Excel numbers are f64: integers beyond 2^53 lose precision there anyway.
                    self.sheet.write_number(row, col, *n as f64)?;
                }
                Cell::Date(at) => {
                    let serial = at.timestamp() as f64 / 86_400.0 + UNIX_EPOCH_SERIAL;
                    self.sheet
                        .write_number_with_format(row, col, serial, &self.date)?;
                }
                Cell::Text(_) | Cell::Number(_) | Cell::Empty => {}
            }
        }
        Ok(())
    }

    fn take_row(&mut self, width: usize) -> Result<u32, ExportError> {
        if width > XLSX_MAX_COLUMNS {
            return Err(ExportError::TooManyColumns(XLSX_MAX_COLUMNS));
        }
        if self.next_row > XLSX_MAX_ROWS {
            return Err(ExportError::TooManyRows(XLSX_MAX_ROWS));
        }
        self.next_row += 1;
        Ok(self.next_row - 1)
    }

    /// Writes the workbook to `writer`.
    pub fn finish<W: Write + Send>(self, writer: W) -> Result<(), ExportError> {
        let mut workbook = Workbook::new();
        workbook.push_worksheet(self.sheet);
        workbook.save_to_writer(writer)?;
        Ok(())
    }
}

pub fn write_xlsx<W: Write + Send>(
    table: &Table,
    sheet_name: &str,
    writer: W,
) -> Result<(), ExportError> {
    let mut xlsx = XlsxWriter::new(sheet_name)?;
    xlsx.write_header(&table.columns)?;
    for row in &table.rows {
        xlsx.write_row(row)?;
    }
    xlsx.finish(writer)
}

/// The longest prefix Excel accepts, cut on a character boundary.
fn fit(text: &str) -> &str {
    let mut units = 0;
    for (at, c) in text.char_indices() {
        units += c.len_utf16();
        if units > XLSX_MAX_TEXT {
            return &text[..at];
        }
    }
    text
}

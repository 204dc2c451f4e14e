//! CSV export (INTEROP §3): UTF-8 with BOM, CRLF, RFC 4180 quoting, `,` or `;`, ISO 8601 UTC
//! timestamps, every text cell through the injection guard. Streams row by row to the writer
//! given; never touches anything else.

use std::borrow::Cow;
use std::io::Write;

use chrono::SecondsFormat;

use crate::error::ExportError;
use crate::{guard, Cell, Delimiter, Table};

/// Excel reads a CSV as UTF-8 only when it starts with a BOM.
const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";

pub struct CsvWriter<W: Write> {
    inner: csv::Writer<W>,
}

impl<W: Write> CsvWriter<W> {
    pub fn new(mut writer: W, delimiter: Delimiter) -> Result<Self, ExportError> {
        writer.write_all(UTF8_BOM)?;
        let inner = csv::WriterBuilder::new()
            .delimiter(delimiter.byte())
            .terminator(csv::Terminator::CRLF)
            .quote_style(csv::QuoteStyle::Necessary)
            .from_writer(writer);
        Ok(CsvWriter { inner })
    }

    pub fn write_header<S: AsRef<str>>(&mut self, columns: &[S]) -> Result<(), ExportError> {
        for column in columns {
            self.inner.write_field(guard(column.as_ref()).as_bytes())?;
        }
        self.end_record()
    }

    pub fn write_row(&mut self, cells: &[Cell]) -> Result<(), ExportError> {
        for cell in cells {
            self.inner.write_field(notation(cell).as_bytes())?;
        }
        self.end_record()
    }

    fn end_record(&mut self) -> Result<(), ExportError> {
        self.inner.write_record(None::<&[u8]>)?;
        Ok(())
    }

    /// Flushes and gives the writer back.
    pub fn finish(self) -> Result<W, ExportError> {
        self.inner
            .into_inner()
            .map_err(|e| ExportError::Io(e.into_error()))
    }
}

pub fn write_csv<W: Write>(
    table: &Table,
    writer: W,
    delimiter: Delimiter,
) -> Result<W, ExportError> {
    let mut csv = CsvWriter::new(writer, delimiter)?;
    csv.write_header(&table.columns)?;
    for row in &table.rows {
        csv.write_row(row)?;
    }
    csv.finish()
}

/// Text goes through the guard; numbers stay numbers (a negative number is not a formula);
/// timestamps are ISO 8601 in UTC; NaN and infinity have no CSV notation and stay empty.
fn notation(cell: &Cell) -> Cow<'_, str> {
    match cell {
        Cell::Text(text) => guard(text),
        Cell::Number(n) if n.is_finite() => Cow::Owned(n.to_string()),
        Cell::Int(n) => Cow::Owned(n.to_string()),
        Cell::Date(at) => Cow::Owned(at.to_rfc3339_opts(SecondsFormat::Secs, true)),
        Cell::Number(_) | Cell::Empty => Cow::Borrowed(""),
    }
}

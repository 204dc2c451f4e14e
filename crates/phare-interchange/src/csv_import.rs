//! CSV rows as RFC 4180 records read by position (`csv::StringRecord`), so Jira's repeated
//! columns stay apart. One record buffer is reused for the whole file.

use csv::StringRecord;

use crate::error::{code, Problem};
use crate::import::Scanner;
use crate::Delimiter;

/// The trimmed header row, and a reader positioned on the first data record.
pub(crate) fn open(
    text: &str,
    delimiter: Delimiter,
) -> Result<(Vec<String>, csv::Reader<&[u8]>), Problem> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        // Row widths are checked against the header by the scanner, naming the line.
        .flexible(true)
        .delimiter(delimiter.byte())
        .from_reader(text.as_bytes());
    let mut header = StringRecord::new();
    // The text is valid UTF-8 and in memory: reading it cannot fail.
    if !reader.read_record(&mut header).unwrap_or(false) {
        return Err(Problem::new(1, code::EMPTY_FILE));
    }
    Ok((header.iter().map(|h| h.trim().to_owned()).collect(), reader))
}

pub(crate) fn scan(text: &str, mut reader: csv::Reader<&[u8]>, scanner: &mut Scanner<'_, '_>) {
    let mut row = StringRecord::new();
    let mut lines = Lines {
        text: text.as_bytes(),
        offset: 0,
        line: 1,
    };
    while let Ok(true) = reader.read_record(&mut row) {
        let byte = row
            .position()
            .map_or(0, |p| usize::try_from(p.byte()).unwrap_or(usize::MAX));
        if !scanner.row(lines.at(byte), &row) {
            break;
        }
    }
}

/// Line numbers counted from record offsets. The csv crate's own line count lags by one after a
/// CRLF (it reads the `\n` with the next record), and Excel writes CRLF.
struct Lines<'t> {
    text: &'t [u8],
    offset: usize,
    line: usize,
}

impl Lines<'_> {
    /// The line where the record at `byte` starts, counting on from the previous record.
    fn at(&mut self, byte: usize) -> usize {
        let mut start = byte.clamp(self.offset, self.text.len());
        while self
            .text
            .get(start)
            .is_some_and(|b| matches!(b, b'\r' | b'\n'))
        {
            start += 1;
        }
        self.line += self.text[self.offset..start]
            .iter()
            .filter(|&&b| b == b'\n')
            .count();
        self.offset = start;
        self.line
    }
}

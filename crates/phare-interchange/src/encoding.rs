//! Text encoding of an uploaded file: UTF-8 only, with an optional BOM. Refuses UTF-16, NUL bytes
//! and Latin-1 naming the line, rather than guessing and storing mojibake.

use crate::error::{code, Problem};

const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";

/// The file as UTF-8 text without its BOM.
pub(crate) fn decode(bytes: &[u8]) -> Result<&str, Problem> {
    if bytes.starts_with(b"\xFF\xFE") || bytes.starts_with(b"\xFE\xFF") {
        return Err(Problem::new(1, code::ENCODING).detail("utf-16"));
    }
    let bytes = bytes.strip_prefix(UTF8_BOM).unwrap_or(bytes);
    // A NUL never belongs in CSV or JSON text; it is the mark of UTF-16 without a BOM.
    if let Some(at) = bytes.iter().position(|&b| b == 0) {
        return Err(Problem::new(line_at(bytes, at), code::ENCODING).detail("nul_byte"));
    }
    std::str::from_utf8(bytes).map_err(|e| {
        Problem::new(line_at(bytes, e.valid_up_to()), code::ENCODING).detail("not_utf8")
    })
}

fn line_at(bytes: &[u8], offset: usize) -> usize {
    1 + bytes[..offset].iter().filter(|&&b| b == b'\n').count()
}

//! Phare's import and export formats: reading CSV and JSON files from other tools (Jira, Linear,
//! GitHub, Trello, Canny, Productboard, Phare itself) into canonical [`ImportItem`]s, and writing
//! CSV, XLSX and JSON exports. Pure: no IO beyond the bytes, readers and writers passed in, no
//! database, no async. Imports are all-or-nothing and bounded (RELIABILITY R8); CSV exports are
//! guarded against formula injection (R10).
//!
//! Import: [`detect`] proposes a [`Mapping`]; the person corrects it; [`preview`] shows the dry
//! run; [`read`] or [`read_each`] returns every item, or [`ImportErrors`] listing the problems.
//! Each problem has a stable code (see [`code`]) and `detail` holds, by code: `encoding` —
//! `utf-16`, `nul_byte` or `not_utf8`; `missing_column` — the out-of-range index, if that was
//! the cause; `too_many_rows` — the row limit; `cell_too_large` — the byte limit;
//! `row_too_wide` — the column count allowed; `invalid_date` / `invalid_number` — the value
//! (100 characters at most); `invalid_json` — the parser's message (the column holds the
//! character column); `duplicate_external_id` — the line that first used the id.

mod convert;
mod csv_export;
mod csv_import;
mod dates;
mod delimiter;
mod detect;
mod encoding;
mod error;
mod guard;
mod html;
mod import;
mod item;
mod jira_markup;
mod json_export;
mod json_import;
mod mapping;
mod presets;
mod table;
mod trello;
mod xlsx_export;

pub use csv_export::{write_csv, CsvWriter};
pub use delimiter::Delimiter;
pub use detect::{detect, Detected};
pub use error::{code, ExportError, ImportErrors, Problem};
pub use guard::{guard, needs_guard, unguard};
pub use import::{preview, read, read_each, read_each_in_one_pass, validate, Preview};
pub use item::{ImportItem, ItemKind};
pub use json_export::{
    json_envelope, JsonEnvelopeWriter, JsonLinesWriter, EXPORT_FORMAT, EXPORT_VERSION,
};
pub use mapping::{DateOrder, Field, Format, Limits, Mapping, Markup, Preset};
pub use table::{Cell, Table};
pub use xlsx_export::{write_xlsx, XlsxWriter, XLSX_MAX_ROWS};

//! Import problems: the stable snake_case codes a localised UI translates, and the capped list
//! returned instead of items. Never carries internals (paths, backtraces); never panics.

use serde::Serialize;

/// The problem codes, one per kind of refusal. The web and CLI layers translate them.
pub mod code {
    pub const ENCODING: &str = "encoding";
    pub const EMPTY_FILE: &str = "empty_file";
    pub const MISSING_COLUMN: &str = "missing_column";
    pub const MISSING_VALUE: &str = "missing_value";
    pub const TOO_MANY_ROWS: &str = "too_many_rows";
    pub const CELL_TOO_LARGE: &str = "cell_too_large";
    pub const ROW_TOO_WIDE: &str = "row_too_wide";
    pub const INVALID_DATE: &str = "invalid_date";
    pub const INVALID_NUMBER: &str = "invalid_number";
    pub const INVALID_JSON: &str = "invalid_json";
    pub const UNKNOWN_FORMAT: &str = "unknown_format";
    pub const DUPLICATE_EXTERNAL_ID: &str = "duplicate_external_id";

    /// Every code, so a test elsewhere can check each has a message in both languages.
    pub const ALL: &[&str] = &[
        ENCODING,
        EMPTY_FILE,
        MISSING_COLUMN,
        MISSING_VALUE,
        TOO_MANY_ROWS,
        CELL_TOO_LARGE,
        ROW_TOO_WIDE,
        INVALID_DATE,
        INVALID_NUMBER,
        INVALID_JSON,
        UNKNOWN_FORMAT,
        DUPLICATE_EXTERNAL_ID,
    ];
}

/// One thing wrong with the file, located well enough for a person to fix it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Problem {
    /// 1-based line in the file (CSV record start, JSON text line), or JSON item index + 1.
    pub line: usize,
    /// The header name (CSV), field name (JSON item) or character column (invalid JSON).
    pub column: Option<String>,
    pub code: &'static str,
    /// The offending value or limit, short and untranslated; see the crate documentation.
    pub detail: Option<String>,
}

impl Problem {
    pub(crate) fn new(line: usize, code: &'static str) -> Self {
        Problem {
            line,
            column: None,
            code,
            detail: None,
        }
    }

    pub(crate) fn column(mut self, column: impl Into<String>) -> Self {
        self.column = Some(column.into());
        self
    }

    pub(crate) fn detail(mut self, detail: impl ToString) -> Self {
        self.detail = Some(detail.to_string());
        self
    }
}

/// Why a file was refused: the first problems (capped) and how many there were in all.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, thiserror::Error)]
#[error("the file was refused: {total} problem(s), first on line {}: {}", first_line(.problems), first_code(.problems))]
pub struct ImportErrors {
    pub problems: Vec<Problem>,
    pub total: usize,
}

fn first_line(problems: &[Problem]) -> usize {
    problems.first().map_or(0, |p| p.line)
}

fn first_code(problems: &[Problem]) -> &'static str {
    problems.first().map_or("", |p| p.code)
}

impl From<Problem> for ImportErrors {
    fn from(problem: Problem) -> Self {
        ImportErrors {
            problems: vec![problem],
            total: 1,
        }
    }
}

/// Collects problems up to a cap, counting the rest, so a hostile file cannot grow the report.
#[derive(Debug)]
pub(crate) struct Problems {
    list: Vec<Problem>,
    total: usize,
    cap: usize,
}

impl Problems {
    pub(crate) fn new(cap: usize) -> Self {
        Problems {
            list: Vec::new(),
            total: 0,
            cap,
        }
    }

    pub(crate) fn push(&mut self, problem: Problem) {
        self.total += 1;
        if self.list.len() < self.cap {
            self.list.push(problem);
        }
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.total == 0
    }

    pub(crate) fn total(&self) -> usize {
        self.total
    }

    pub(crate) fn list(&self) -> &[Problem] {
        &self.list
    }

    pub(crate) fn into_errors(self) -> ImportErrors {
        ImportErrors {
            problems: self.list,
            total: self.total,
        }
    }
}

/// Why an export could not be written. Limits of the XLSX format are named so the caller can
/// offer CSV or JSON Lines instead.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error("writing the export failed: {0}")]
    Io(#[from] std::io::Error),
    #[error("writing the CSV failed: {0}")]
    Csv(#[from] csv::Error),
    #[error("writing the XLSX failed: {0}")]
    Xlsx(#[from] rust_xlsxwriter::XlsxError),
    #[error("writing the JSON failed: {0}")]
    Json(#[from] serde_json::Error),
    #[error("an XLSX sheet holds at most {0} rows below its header")]
    TooManyRows(u32),
    #[error("an XLSX sheet holds at most {0} columns")]
    TooManyColumns(usize),
}

//! The import entry points: all-or-nothing reading (every item, or the problems), streaming
//! variants for large files, and the dry-run preview. Bounded by [`Limits`]; never panics, never
//! holds more than one copy of the file.

use std::collections::HashMap;

use csv::StringRecord;
use serde::Serialize;

use crate::convert::Plan;
use crate::error::{code, ImportErrors, Problem, Problems};
use crate::{csv_import, encoding, json_import, Field, Format, ImportItem, Limits, Mapping};

/// What the dry-run screen shows: the first items, how many rows the whole file has, and every
/// problem found in it (capped at `Limits::max_problems`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Preview {
    pub items: Vec<ImportItem>,
    pub total_rows: usize,
    pub problems: Vec<Problem>,
    pub total_problems: usize,
}

/// Every item of the file, or why it is refused. Validates first, so a refused file costs no
/// items and an accepted one gets a vector of exactly its size; still holds every item at once:
/// for large files prefer [`read_each`].
pub fn read(
    bytes: &[u8],
    mapping: &Mapping,
    limits: &Limits,
) -> Result<Vec<ImportItem>, ImportErrors> {
    let mut items = Vec::with_capacity(validate(bytes, mapping, limits)?);
    scan(bytes, mapping, limits, &mut |item| items.push(item)).result()?;
    Ok(items)
}

/// Checks the whole file without keeping items; returns the number of rows.
pub fn validate(bytes: &[u8], mapping: &Mapping, limits: &Limits) -> Result<usize, ImportErrors> {
    scan(bytes, mapping, limits, &mut |_| {}).result()
}

/// Validates the whole file first, then hands the items over one at a time, so memory stays
/// near the file size plus the external ids. `each` is called only for a file without problems.
pub fn read_each(
    bytes: &[u8],
    mapping: &Mapping,
    limits: &Limits,
    mut each: impl FnMut(ImportItem),
) -> Result<usize, ImportErrors> {
    validate(bytes, mapping, limits)?;
    scan(bytes, mapping, limits, &mut each).result()
}

/// Hands the items over as they are read, in one pass, and tells at the end whether the file
/// had problems: items before a problem have been handed over already. For callers that undo
/// what they did with the items unless this returns `Ok` — an import feeding a transaction that
/// commits only then — and read the file half as many times as with [`read_each`].
pub fn read_each_in_one_pass(
    bytes: &[u8],
    mapping: &Mapping,
    limits: &Limits,
    mut each: impl FnMut(ImportItem),
) -> Result<usize, ImportErrors> {
    scan(bytes, mapping, limits, &mut each).result()
}

/// The first `n` items and the problems of the whole file, for the dry-run screen.
pub fn preview(bytes: &[u8], mapping: &Mapping, limits: &Limits, n: usize) -> Preview {
    let mut items = Vec::with_capacity(n.min(1_000));
    let outcome = scan(bytes, mapping, limits, &mut |item| {
        if items.len() < n {
            items.push(item);
        }
    });
    let total_problems = outcome.problems.total();
    Preview {
        items,
        total_rows: outcome.rows,
        problems: outcome.problems.list().to_vec(),
        total_problems,
    }
}

struct Outcome {
    rows: usize,
    problems: Problems,
}

impl Outcome {
    fn result(self) -> Result<usize, ImportErrors> {
        if self.problems.is_empty() {
            Ok(self.rows)
        } else {
            Err(self.problems.into_errors())
        }
    }
}

fn scan(
    bytes: &[u8],
    mapping: &Mapping,
    limits: &Limits,
    sink: &mut dyn FnMut(ImportItem),
) -> Outcome {
    let refused = |problem: Problem| {
        let mut problems = Problems::new(limits.max_problems);
        problems.push(problem);
        Outcome { rows: 0, problems }
    };
    let text = match encoding::decode(bytes) {
        Ok(text) => text,
        Err(problem) => return refused(problem),
    };
    match mapping.format {
        Format::Csv { delimiter } => {
            let (headers, reader) = match csv_import::open(text, delimiter) {
                Ok(opened) => opened,
                Err(problem) => return refused(problem),
            };
            if headers.len() > limits.max_columns {
                return refused(Problem::new(1, code::ROW_TOO_WIDE).detail(limits.max_columns));
            }
            run(mapping, &headers, limits, sink, |scanner| {
                csv_import::scan(text, reader, scanner)
            })
        }
        Format::Json => {
            let document = match json_import::parse(text) {
                Ok(document) => document,
                Err(problem) => return refused(problem),
            };
            let Some(headers) = json_import::headers(mapping.preset) else {
                return refused(Problem::new(1, code::UNKNOWN_FORMAT));
            };
            let items = match json_import::items(document, mapping.preset) {
                Ok(items) => items,
                Err(problem) => return refused(problem),
            };
            run(mapping, &headers, limits, sink, |scanner| {
                let mut row = StringRecord::new();
                for (line, item) in items {
                    json_import::flatten(&item, &headers, &mut row);
                    if !scanner.row(line, &row) {
                        break;
                    }
                }
            })
        }
    }
}

fn run(
    mapping: &Mapping,
    headers: &[String],
    limits: &Limits,
    sink: &mut dyn FnMut(ImportItem),
    feed: impl FnOnce(&mut Scanner<'_, '_>),
) -> Outcome {
    let plan = match Plan::new(mapping, headers, limits) {
        Ok(plan) => plan,
        Err(problems) => return Outcome { rows: 0, problems },
    };
    let id_column = plan.column_name(Field::ExternalId);
    let problems = Problems::new(limits.max_problems);
    let mut scanner = Scanner {
        plan,
        limits,
        problems,
        ids: HashMap::new(),
        id_column,
        rows: 0,
        sink,
    };
    feed(&mut scanner);
    if scanner.rows == 0 && scanner.problems.is_empty() {
        scanner.problems.push(Problem::new(1, code::EMPTY_FILE));
    }
    Outcome {
        rows: scanner.rows,
        problems: scanner.problems,
    }
}

/// Per-row bookkeeping shared by CSV and JSON: blank rows, the row limit, duplicate ids.
pub(crate) struct Scanner<'a, 's> {
    plan: Plan<'a>,
    limits: &'a Limits,
    problems: Problems,
    /// External id → first line, to refuse a file that names one item twice.
    ids: HashMap<String, usize>,
    id_column: String,
    rows: usize,
    sink: &'s mut dyn FnMut(ImportItem),
}

impl Scanner<'_, '_> {
    /// Takes one row; `false` once the file is over the row limit and reading must stop.
    pub(crate) fn row(&mut self, line: usize, row: &StringRecord) -> bool {
        if row.iter().all(|cell| cell.trim().is_empty()) {
            return true;
        }
        self.rows += 1;
        if self.rows > self.limits.max_rows {
            self.problems
                .push(Problem::new(line, code::TOO_MANY_ROWS).detail(self.limits.max_rows));
            return false;
        }
        let Some(item) = self.plan.convert(line, row, &mut self.problems) else {
            return true;
        };
        if let Some(id) = &item.external_id {
            if let Some(&first) = self.ids.get(id) {
                let problem =
                    Problem::new(line, code::DUPLICATE_EXTERNAL_ID).column(&self.id_column);
                self.problems.push(problem.detail(first));
                return true;
            }
            self.ids.insert(id.clone(), line);
        }
        (self.sink)(item);
        true
    }
}

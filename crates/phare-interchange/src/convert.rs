//! One row (a CSV record, or a JSON item flattened to the same shape) to one [`ImportItem`],
//! through the confirmed mapping. Reports every cell problem of the row; never panics, never
//! guesses a value it cannot read.

use csv::StringRecord;

use crate::error::{code, Problem, Problems};
use crate::{dates, guard::unguard, html, jira_markup, presets};
use crate::{Field, Format, ImportItem, ItemKind, Limits, Mapping, Markup, Preset};

/// A mapping checked against one file's headers.
pub(crate) struct Plan<'a> {
    mapping: &'a Mapping,
    headers: &'a [String],
    limits: &'a Limits,
    /// Linear and Phare prefix formula-like cells with `'`; undo it so the text is the original.
    unguard: bool,
}

impl<'a> Plan<'a> {
    pub(crate) fn new(
        mapping: &'a Mapping,
        headers: &'a [String],
        limits: &'a Limits,
    ) -> Result<Self, Problems> {
        let mut problems = Problems::new(limits.max_problems);
        for (field, columns) in &mapping.columns {
            if let Some(&i) = columns.iter().find(|&&i| i >= headers.len()) {
                problems.push(
                    Problem::new(1, code::MISSING_COLUMN)
                        .column(field.name())
                        .detail(i),
                );
            }
        }
        for field in required(mapping) {
            if mapping.columns.get(&field).is_none_or(Vec::is_empty) {
                let column = expected_header(mapping, field);
                problems.push(Problem::new(1, code::MISSING_COLUMN).column(column));
            }
        }
        if !problems.is_empty() {
            return Err(problems);
        }
        let csv = matches!(mapping.format, Format::Csv { .. });
        let unguard = csv && matches!(mapping.preset, Preset::Linear | Preset::Generic);
        Ok(Plan {
            mapping,
            headers,
            limits,
            unguard,
        })
    }

    /// The header naming the first column of a field, for problems.
    pub(crate) fn column_name(&self, field: Field) -> String {
        self.columns(field)
            .first()
            .map_or_else(|| field.name().to_owned(), |&i| self.headers[i].clone())
    }

    pub(crate) fn convert(
        &self,
        line: usize,
        row: &StringRecord,
        problems: &mut Problems,
    ) -> Option<ImportItem> {
        let before = problems.total();
        if row.len() > self.headers.len() {
            problems.push(Problem::new(line, code::ROW_TOO_WIDE).detail(self.headers.len()));
            return None;
        }
        for (i, cell) in row.iter().enumerate() {
            if cell.len() > self.limits.max_cell_bytes {
                let problem = Problem::new(line, code::CELL_TOO_LARGE).column(&self.headers[i]);
                problems.push(problem.detail(self.limits.max_cell_bytes));
            }
        }
        if problems.total() > before {
            return None;
        }
        let mut item = ImportItem::new(line, self.mapping.kind);
        let text = |field| self.first(row, field).map(|(_, v)| v.to_owned());
        item.external_id = text(Field::ExternalId);
        item.human_key = text(Field::HumanKey);
        item.title = text(Field::Title);
        item.status = text(Field::Status);
        item.source = text(Field::Source);
        item.author = text(Field::Author);
        item.customer = text(Field::Customer);
        item.segment = text(Field::Segment);
        item.contact = text(Field::Contact);
        item.as_a = text(Field::AsA);
        item.i_want = text(Field::IWant);
        item.so_that = text(Field::SoThat);
        item.url = self.url(row, item.human_key.as_deref());
        item.body = self.body(row);
        item.tags = self.tags(row);
        item.created_at = self.first(row, Field::CreatedAt).and_then(|(i, value)| {
            let date = dates::parse(value, self.mapping.date_order);
            if date.is_none() {
                problems.push(self.cell_problem(line, i, code::INVALID_DATE, value));
            }
            date
        });
        item.votes = self.first(row, Field::Votes).and_then(|(i, value)| {
            let votes = votes(value);
            if votes.is_none() {
                problems.push(self.cell_problem(line, i, code::INVALID_NUMBER, value));
            }
            votes
        });
        for field in required(self.mapping) {
            let missing = match field {
                Field::Body => item.body.is_empty(),
                Field::Title => item.title.is_none(),
                _ => item.external_id.is_none(),
            };
            if missing {
                problems
                    .push(Problem::new(line, code::MISSING_VALUE).column(self.column_name(field)));
            }
        }
        (problems.total() == before).then_some(item)
    }

    fn columns(&self, field: Field) -> &[usize] {
        self.mapping.columns.get(&field).map_or(&[], Vec::as_slice)
    }

    /// Trimmed, un-guarded cell; empty cells and cells a short row lacks are `None`.
    fn cell<'r>(&self, row: &'r StringRecord, i: usize) -> Option<&'r str> {
        let value = row.get(i)?.trim();
        let value = if self.unguard {
            unguard(value).trim()
        } else {
            value
        };
        (!value.is_empty()).then_some(value)
    }

    fn first<'r>(&self, row: &'r StringRecord, field: Field) -> Option<(usize, &'r str)> {
        self.columns(field)
            .iter()
            .find_map(|&i| self.cell(row, i).map(|v| (i, v)))
    }

    fn url(&self, row: &StringRecord, key: Option<&str>) -> Option<String> {
        let given = self.first(row, Field::Url).map(|(_, v)| v.to_owned());
        let built = || Some(self.mapping.url_template.as_ref()?.replace("{key}", key?));
        given.or_else(built).filter(|url| is_web_address(url))
    }

    fn body(&self, row: &StringRecord) -> String {
        let parts: Vec<&str> = self
            .columns(Field::Body)
            .iter()
            .filter_map(|&i| self.cell(row, i))
            .collect();
        let body = parts.join("\n\n");
        match self.mapping.markup {
            Markup::Markdown => body,
            Markup::JiraWiki => jira_markup::to_markdown(&body),
            Markup::Html => html::to_markdown(&body),
        }
    }

    /// Every listed column, each split on `,` (Linear and Phare join with ", ") and newlines
    /// (JSON arrays), without blanks or repeats.
    fn tags(&self, row: &StringRecord) -> Vec<String> {
        let mut tags: Vec<String> = Vec::new();
        for cell in self
            .columns(Field::Tags)
            .iter()
            .filter_map(|&i| self.cell(row, i))
        {
            for tag in cell
                .split([',', '\n'])
                .map(str::trim)
                .filter(|t| !t.is_empty())
            {
                if !tags.iter().any(|t| t == tag) {
                    tags.push(tag.to_owned());
                }
            }
        }
        tags
    }

    fn cell_problem(&self, line: usize, column: usize, code: &'static str, value: &str) -> Problem {
        Problem::new(line, code)
            .column(&self.headers[column])
            .detail(value.chars().take(100).collect::<String>())
    }
}

/// Ideas need a title, feedback needs text, and tools with stable ids need the id to upsert.
fn required(mapping: &Mapping) -> Vec<Field> {
    let mut fields = vec![match mapping.kind {
        ItemKind::Idea => Field::Title,
        ItemKind::Feedback => Field::Body,
    }];
    if mapping.preset.requires_external_id() {
        fields.push(Field::ExternalId);
    }
    fields
}

/// The header a person expects for a field the file lacks: the preset's first alias.
fn expected_header(mapping: &Mapping, field: Field) -> String {
    let table = match mapping.format {
        Format::Csv { .. } => Some(presets::csv_aliases(mapping.preset)),
        Format::Json => presets::json_paths(mapping.preset),
    };
    let alias = table
        .and_then(|t| t.iter().find(|(f, _)| *f == field))
        .and_then(|(_, names)| names.first());
    alias.map_or(field.name(), |a| *a).to_owned()
}

/// Whole non-negative counts; `12.0` (a spreadsheet's number) is accepted as 12.
fn votes(value: &str) -> Option<u32> {
    if let Ok(n) = value.parse::<u32>() {
        return Some(n);
    }
    let n = value.parse::<f64>().ok()?;
    (n.fract() == 0.0 && (0.0..=f64::from(u32::MAX)).contains(&n)).then_some(n as u32)
}

/// Only http and https links may become a "View original" link; `javascript:` never does.
fn is_web_address(url: &str) -> bool {
    let lower = url.get(..8).unwrap_or(url).to_ascii_lowercase();
    (lower.starts_with("https://") || lower.starts_with("http://"))
        && !url
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || matches!(c, '"' | '<' | '>'))
}

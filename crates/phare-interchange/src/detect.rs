//! Recognises a file before import: CSV (delimiter sniffed) or JSON, the source tool from its
//! header signature, and a proposed mapping the person can correct. Reads, never converts rows.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::error::{code, ImportErrors, Problem};
use crate::presets::{self, normalize, Aliases};
use crate::{
    csv_import, dates, encoding, json_import, DateOrder, Delimiter, Field, Format, ItemKind,
    Limits, Mapping, Markup, Preset,
};

/// What `detect` found: the header row (for JSON, the item paths read) and a proposed mapping.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Detected {
    pub headers: Vec<String>,
    pub mapping: Mapping,
}

/// Rows sampled to tell `06/07/2025` day-first from month-first.
const DATE_SAMPLE_ROWS: usize = 1_000;

pub fn detect(bytes: &[u8]) -> Result<Detected, ImportErrors> {
    let text = encoding::decode(bytes)?;
    match text.trim_start().as_bytes().first() {
        None => Err(Problem::new(1, code::EMPTY_FILE).into()),
        Some(b'[' | b'{') => detect_json(text),
        Some(_) => detect_csv(text),
    }
}

fn detect_json(text: &str) -> Result<Detected, ImportErrors> {
    let preset = json_import::preset_of(&json_import::parse(text)?)?;
    let headers = json_import::headers(preset).unwrap_or_default();
    let mut columns: BTreeMap<Field, Vec<usize>> = BTreeMap::new();
    let fields = presets::json_paths(preset).unwrap_or_default().iter();
    for (i, field) in fields
        .flat_map(|(field, names)| names.iter().map(move |_| *field))
        .enumerate()
    {
        columns.entry(field).or_default().push(i);
    }
    let (kind, markup) = match preset {
        Preset::Productboard => (ItemKind::Feedback, Markup::Html),
        _ => (ItemKind::Idea, Markup::Markdown),
    };
    let mapping = mapping(
        Format::Json,
        preset,
        kind,
        markup,
        DateOrder::MonthFirst,
        columns,
    );
    Ok(Detected { headers, mapping })
}

fn detect_csv(text: &str) -> Result<Detected, ImportErrors> {
    let delimiter = sniff_delimiter(text);
    let (headers, mut reader) = csv_import::open(text, delimiter)?;
    let max_columns = Limits::default().max_columns;
    if headers.len() > max_columns {
        return Err(Problem::new(1, code::ROW_TOO_WIDE)
            .detail(max_columns)
            .into());
    }
    let normalized: Vec<String> = headers.iter().map(|h| normalize(h)).collect();
    let preset = csv_preset(&normalized);
    let columns = propose(&normalized, presets::csv_aliases(preset));
    let kind = match preset {
        Preset::Productboard => ItemKind::Feedback,
        Preset::Generic if !columns.contains_key(&Field::Title) => ItemKind::Feedback,
        _ => ItemKind::Idea,
    };
    let markup = match preset {
        Preset::Jira => Markup::JiraWiki,
        Preset::Productboard => Markup::Html,
        _ => Markup::Markdown,
    };
    let date_columns = columns.get(&Field::CreatedAt).cloned().unwrap_or_default();
    let mut record = csv::StringRecord::new();
    let mut order = DateOrder::MonthFirst;
    for _ in 0..DATE_SAMPLE_ROWS {
        if date_columns.is_empty() || !reader.read_record(&mut record).unwrap_or(false) {
            break;
        }
        if date_columns
            .iter()
            .any(|&i| record.get(i).is_some_and(dates::is_day_first))
        {
            order = DateOrder::DayFirst;
            break;
        }
    }
    let format = Format::Csv { delimiter };
    Ok(Detected {
        headers,
        mapping: mapping(format, preset, kind, markup, order, columns),
    })
}

fn mapping(
    format: Format,
    preset: Preset,
    kind: ItemKind,
    markup: Markup,
    date_order: DateOrder,
    columns: BTreeMap<Field, Vec<usize>>,
) -> Mapping {
    let source_system = preset.source_system().to_owned();
    Mapping {
        format,
        preset,
        source_system,
        kind,
        markup,
        date_order,
        url_template: None,
        columns,
    }
}

fn csv_preset(headers: &[String]) -> Preset {
    let has = |name: &&str| headers.contains(&normalize(name));
    presets::CSV_SIGNATURES
        .iter()
        .find(|(_, names)| names.iter().all(has))
        .map_or(Preset::Generic, |(preset, _)| *preset)
}

/// Tags take every matching column (Jira repeats `Labels`); body takes the first; other fields
/// list one column per alias found, in alias order, and read the first non-empty one.
fn propose(headers: &[String], aliases: Aliases) -> BTreeMap<Field, Vec<usize>> {
    let mut columns = BTreeMap::new();
    for (field, names) in aliases {
        let mut found = Vec::new();
        for name in names.iter().map(|n| normalize(n)) {
            for (i, _) in headers.iter().enumerate().filter(|(_, h)| **h == name) {
                if !found.contains(&i) {
                    found.push(i);
                }
                if *field != Field::Tags {
                    break;
                }
            }
        }
        if *field == Field::Body {
            found.truncate(1);
        }
        if !found.is_empty() {
            columns.insert(*field, found);
        }
    }
    columns
}

/// The separator that occurs most in the first record outside quotes; a comma on a tie.
fn sniff_delimiter(text: &str) -> Delimiter {
    let (mut quoted, mut counts) = (false, [0usize; 3]);
    for c in text.chars() {
        match c {
            '"' => quoted = !quoted,
            '\n' | '\r' if !quoted => break,
            ',' if !quoted => counts[0] += 1,
            ';' if !quoted => counts[1] += 1,
            '\t' if !quoted => counts[2] += 1,
            _ => {}
        }
    }
    if counts[1] > counts[0] && counts[1] >= counts[2] {
        Delimiter::Semicolon
    } else if counts[2] > counts[0] && counts[2] > counts[1] {
        Delimiter::Tab
    } else {
        Delimiter::Comma
    }
}

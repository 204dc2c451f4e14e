//! JSON exports (GitHub issues, Trello boards, Canny posts, Productboard notes): finds the items,
//! and flattens each into one row of strings by the preset's paths, so conversion is shared with
//! CSV. Items are moved out of the parsed document one by one, never copied.

use csv::StringRecord;
use serde_json::{Map, Value};

use crate::error::{code, Problem};
use crate::{presets, trello, Preset};

/// Keys under which API dumps wrap their item array (`{"posts": [...]}`, `{"data": [...]}`).
const WRAPPERS: &[&str] = &["posts", "data", "notes", "issues", "items"];

pub(crate) fn parse(text: &str) -> Result<Value, Problem> {
    serde_json::from_str(text).map_err(|e| {
        Problem::new(e.line().max(1), code::INVALID_JSON)
            .column(e.column().to_string())
            .detail(e)
    })
}

/// The tool a JSON document comes from, by the keys of the board or of its first item.
pub(crate) fn preset_of(document: &Value) -> Result<Preset, Problem> {
    if let Some(board) = document.as_object() {
        if ["lists", "cards", "actions"]
            .iter()
            .all(|k| board.contains_key(*k))
        {
            return Ok(Preset::Trello);
        }
    }
    let list = array(document).ok_or_else(|| Problem::new(1, code::UNKNOWN_FORMAT))?;
    let first = match list.first() {
        None => return Err(Problem::new(1, code::EMPTY_FILE)),
        Some(first) => first
            .as_object()
            .ok_or_else(|| Problem::new(1, code::UNKNOWN_FORMAT))?,
    };
    let has = |key: &str| first.contains_key(key);
    if has("number") && has("state") && (has("html_url") || has("url")) {
        Ok(Preset::GithubIssues)
    } else if has("title") && has("details") {
        Ok(Preset::Canny)
    } else if has("content") && (has("title") || has("display_url")) {
        Ok(Preset::Productboard)
    } else {
        Err(Problem::new(1, code::UNKNOWN_FORMAT))
    }
}

fn array(document: &Value) -> Option<&Vec<Value>> {
    match document {
        Value::Array(list) => Some(list),
        Value::Object(map) => WRAPPERS.iter().find_map(|k| map.get(*k)?.as_array()),
        _ => None,
    }
}

/// The items to import with their line (index + 1), pull requests left out.
pub(crate) fn items(document: Value, preset: Preset) -> Result<Vec<(usize, Value)>, Problem> {
    if preset == Preset::Trello {
        return match document {
            Value::Object(board) => Ok(trello::cards(board)),
            _ => Err(Problem::new(1, code::UNKNOWN_FORMAT)),
        };
    }
    let list = match document {
        Value::Array(list) => list,
        Value::Object(mut map) => {
            take_wrapped(&mut map).ok_or_else(|| Problem::new(1, code::UNKNOWN_FORMAT))?
        }
        _ => return Err(Problem::new(1, code::UNKNOWN_FORMAT)),
    };
    let is_pull_request = |item: &Value| item.get("pull_request").is_some_and(|p| !p.is_null());
    let skip = |item: &Value| preset == Preset::GithubIssues && is_pull_request(item);
    Ok(list
        .into_iter()
        .enumerate()
        .filter(|(_, item)| !skip(item))
        .map(|(i, item)| (i + 1, item))
        .collect())
}

fn take_wrapped(map: &mut Map<String, Value>) -> Option<Vec<Value>> {
    let key = WRAPPERS
        .iter()
        .find(|k| map.get(**k).is_some_and(Value::is_array))?;
    match map.remove(*key)? {
        Value::Array(list) => Some(list),
        _ => None,
    }
}

/// The header row standing for a JSON preset: every path, in table order.
pub(crate) fn headers(preset: Preset) -> Option<Vec<String>> {
    let paths = presets::json_paths(preset)?;
    Some(
        paths
            .iter()
            .flat_map(|(_, names)| names.iter().map(|n| (*n).to_owned()))
            .collect(),
    )
}

/// One item as a row: each path's values, several joined by a newline.
pub(crate) fn flatten(item: &Value, headers: &[String], row: &mut StringRecord) {
    row.clear();
    let mut cell = String::new();
    for path in headers {
        cell.clear();
        let segments: Vec<&str> = path.split('.').collect();
        collect(item, &segments, &mut cell);
        row.push_field(&cell);
    }
}

/// Walks objects by key and arrays element by element (`labels.name` reads every label).
fn collect(value: &Value, path: &[&str], out: &mut String) {
    let scalar = match (value, path.split_first()) {
        (Value::Array(list), _) => {
            list.iter().for_each(|v| collect(v, path, out));
            return;
        }
        (Value::Object(map), Some((key, rest))) => {
            if let Some(v) = map.get(*key) {
                collect(v, rest, out);
            }
            return;
        }
        (Value::String(s), None) => s.clone(),
        (Value::Number(n), None) => n.to_string(),
        (Value::Bool(b), None) => b.to_string(),
        _ => return,
    };
    if !out.is_empty() {
        out.push('\n');
    }
    out.push_str(&scalar);
}

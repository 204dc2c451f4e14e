//! Trello board JSON (board menu → Export as JSON) to flat card objects with the columns of
//! `presets::TRELLO`: status is the card's list (or "archived"), the author comes from the
//! `createCard` action, the creation time from the card id. Reads only the board given.

use std::collections::HashMap;

use chrono::{DateTime, SecondsFormat};
use serde_json::{json, Map, Value};

pub(crate) fn cards(mut board: Map<String, Value>) -> Vec<(usize, Value)> {
    let lists: HashMap<String, String> = board
        .get("lists")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|list| Some((text(list, "id")?, text(list, "name")?)))
        .collect();
    let authors: HashMap<String, String> = board
        .get("actions")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter(|a| a.get("type").and_then(Value::as_str) == Some("createCard"))
        .filter_map(|a| {
            let card = a.pointer("/data/card/id")?.as_str()?.to_owned();
            let member = a.get("memberCreator")?;
            Some((
                card,
                text(member, "fullName").or_else(|| text(member, "username"))?,
            ))
        })
        .collect();
    let checklists = board.remove("checklists").unwrap_or(Value::Null);
    let cards = match board.remove("cards") {
        Some(Value::Array(cards)) => cards,
        _ => Vec::new(),
    };
    cards
        .into_iter()
        .enumerate()
        .map(|(i, card)| {
            let id = text(&card, "id").unwrap_or_default();
            let closed = card.get("closed").and_then(Value::as_bool).unwrap_or(false);
            let list = text(&card, "idList").and_then(|l| lists.get(&l).cloned());
            let status = if closed {
                Some("archived".to_owned())
            } else {
                list
            };
            let labels: Vec<String> = card
                .get("labels")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .filter_map(|l| {
                    text(l, "name")
                        .filter(|n| !n.is_empty())
                        .or_else(|| text(l, "color"))
                })
                .collect();
            let flat = json!({
                "id": id,
                "idShort": card.get("idShort"),
                "shortUrl": text(&card, "shortUrl").or_else(|| text(&card, "url")),
                "name": card.get("name"),
                "desc": description(&card, &id, &checklists),
                "status": status,
                "labels": labels,
                "author": authors.get(&id),
                "created": created(&id),
                "votes": card.pointer("/badges/votes"),
            });
            (i + 1, flat)
        })
        .collect()
}

fn text(value: &Value, key: &str) -> Option<String> {
    value.get(key)?.as_str().map(str::to_owned)
}

/// A Trello id starts with the creation time: 8 hex digits of Unix seconds.
fn created(id: &str) -> Option<String> {
    let seconds = i64::from_str_radix(id.get(..8)?, 16).ok()?;
    Some(DateTime::from_timestamp(seconds, 0)?.to_rfc3339_opts(SecondsFormat::Secs, true))
}

/// The card description followed by its checklists as Markdown task lists.
fn description(card: &Value, id: &str, checklists: &Value) -> String {
    let mut out = text(card, "desc").unwrap_or_default();
    let of_card = checklists
        .as_array()
        .into_iter()
        .flatten()
        .filter(|c| c.get("idCard").and_then(Value::as_str) == Some(id));
    for checklist in of_card {
        out.push_str(&format!(
            "\n\n**{}**",
            text(checklist, "name").unwrap_or_default()
        ));
        for item in checklist
            .get("checkItems")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            let done = item.get("state").and_then(Value::as_str) == Some("complete");
            let name = text(item, "name").unwrap_or_default();
            out.push_str(&format!("\n- [{}] {name}", if done { "x" } else { " " }));
        }
    }
    out.trim().to_owned()
}

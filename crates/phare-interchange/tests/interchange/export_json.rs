//! JSON export: the versioned envelope, whole or streamed, and JSON Lines.

use chrono::{TimeZone, Utc};
use phare_interchange::{json_envelope, JsonEnvelopeWriter, JsonLinesWriter};
use serde_json::{json, Value};

#[test]
fn the_streamed_envelope_equals_the_whole_one() {
    let at = Utc.with_ymd_and_hms(2025, 7, 14, 15, 42, 0).unwrap();
    let items = vec![
        json!({"title": "=1", "votes": 3}),
        json!({"title": "deux\n\"quoted\""}),
    ];
    let whole = json_envelope(&items, at).unwrap();
    assert_eq!(whole["format"], "phare-export");
    assert_eq!(whole["version"], 1);
    assert_eq!(whole["exported_at"], "2025-07-14T15:42:00Z");
    let mut writer = JsonEnvelopeWriter::new(Vec::new(), at).unwrap();
    for item in &items {
        writer.write_item(item).unwrap();
    }
    let streamed: Value = serde_json::from_slice(&writer.finish().unwrap()).unwrap();
    assert_eq!(streamed, whole);
    let empty: Value = serde_json::from_slice(
        &JsonEnvelopeWriter::new(Vec::new(), at)
            .unwrap()
            .finish()
            .unwrap(),
    )
    .unwrap();
    assert_eq!(empty["items"], json!([]));
}

#[test]
fn json_lines_hold_one_item_per_line() {
    let mut writer = JsonLinesWriter::new(Vec::new());
    writer.write_item(&json!({"a": "x\ny"})).unwrap();
    writer.write_item(&json!({"b": 2})).unwrap();
    let text = String::from_utf8(writer.finish().unwrap()).unwrap();
    assert_eq!(text, "{\"a\":\"x\\ny\"}\n{\"b\":2}\n");
}

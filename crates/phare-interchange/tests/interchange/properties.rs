//! Properties over random input: the import never panics, the CSV guard always holds and the
//! CSV round trip is exact (RELIABILITY R8, R10).

use chrono::{TimeZone, Utc};
use phare_interchange::{
    detect, guard, json_envelope, preview, read, unguard, write_csv, Cell, Delimiter, Field,
    Format, ItemKind, JsonEnvelopeWriter, Limits, Mapping, Markup, Preset, Table,
};
use proptest::prelude::*;

use crate::export_csv::{read_back, starts_unescaped, PAYLOADS};

/// Text biased towards what breaks CSV and spreadsheets: quotes, separators, line ends, triggers.
fn nasty_text() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        "[=+\\-@\t\r\n'\";, a-zé\u{0}]{0,12}",
        proptest::sample::select(PAYLOADS).prop_map(str::to_owned),
    ]
}

fn any_mapping() -> impl Strategy<Value = Mapping> {
    let presets = proptest::sample::select(vec![
        Preset::Jira,
        Preset::Linear,
        Preset::GithubIssues,
        Preset::Trello,
        Preset::Canny,
        Preset::Productboard,
        Preset::Generic,
    ]);
    let formats = proptest::sample::select(vec![
        Format::Json,
        Format::Csv {
            delimiter: Delimiter::Comma,
        },
        Format::Csv {
            delimiter: Delimiter::Semicolon,
        },
    ]);
    let markups = proptest::sample::select(vec![Markup::Markdown, Markup::JiraWiki, Markup::Html]);
    let columns = proptest::collection::btree_map(
        proptest::sample::select(Field::ALL.to_vec()),
        proptest::collection::vec(0usize..6, 0..3),
        0..8,
    );
    (presets, formats, markups, columns, any::<bool>()).prop_map(
        |(preset, format, markup, columns, idea)| Mapping {
            format,
            preset,
            source_system: "x".into(),
            kind: if idea {
                ItemKind::Idea
            } else {
                ItemKind::Feedback
            },
            markup,
            date_order: Default::default(),
            url_template: Some("https://x.test/{key}".into()),
            columns,
        },
    )
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn importing_arbitrary_bytes_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..400), mapping in any_mapping()) {
        let limits = Limits { max_rows: 5, max_cell_bytes: 64, ..Limits::default() };
        if let Ok(detected) = detect(&bytes) {
            let _ = read(&bytes, &detected.mapping, &limits);
        }
        let _ = preview(&bytes, &mapping, &limits, 2);
    }

    #[test]
    fn importing_csv_like_text_never_panics(text in "[a-z,;\"\n\r\t '=*_#{}\\[\\]|h1.-]{0,300}", mapping in any_mapping()) {
        let file = format!("text,title,tags,created,votes\n{text}");
        if let Ok(detected) = detect(file.as_bytes()) {
            let _ = read(file.as_bytes(), &detected.mapping, &Limits::default());
        }
        let _ = read(file.as_bytes(), &mapping, &Limits::default());
    }

    #[test]
    fn no_exported_csv_cell_starts_a_formula_and_the_round_trip_is_exact(
        cells in proptest::collection::vec(nasty_text(), 1..6),
        semicolon in any::<bool>(),
    ) {
        let delimiter = if semicolon { Delimiter::Semicolon } else { Delimiter::Comma };
        let table = Table {
            columns: cells.iter().enumerate().map(|(i, _)| format!("c{i}")).collect(),
            rows: vec![
                cells.iter().map(|c| Cell::Text(c.clone())).collect(),
                cells.iter().map(|_| Cell::Int(-1)).collect(),
            ],
        };
        let bytes = write_csv(&table, Vec::new(), delimiter).unwrap();
        let rows = read_back(&bytes, delimiter.byte());
        prop_assert_eq!(rows.len(), 3);
        for (read, original) in rows[1].iter().zip(&cells) {
            prop_assert!(!starts_unescaped(read), "{:?}", read);
            prop_assert_eq!(read, &guard(original).into_owned());
            prop_assert_eq!(unguard(read), original.as_str());
        }
        prop_assert!(rows[2].iter().all(|n| n == "-1"), "numbers are not guarded");
    }

    #[test]
    fn the_json_envelope_round_trips_any_text(texts in proptest::collection::vec(any::<String>(), 0..5)) {
        let at = Utc.timestamp_opt(1_750_000_000, 0).unwrap();
        let mut writer = JsonEnvelopeWriter::new(Vec::new(), at).unwrap();
        for text in &texts {
            writer.write_item(text).unwrap();
        }
        let streamed: serde_json::Value = serde_json::from_slice(&writer.finish().unwrap()).unwrap();
        prop_assert_eq!(&streamed, &json_envelope(&texts, at).unwrap());
        let back: Vec<String> = serde_json::from_value(streamed["items"].clone()).unwrap();
        prop_assert_eq!(back, texts);
    }
}

//! Every refusal, with the code, line and column a person needs to fix the file (RELIABILITY R8).

use phare_interchange::{
    code, detect, preview, read, read_each, validate, Delimiter, Field, Format, ItemKind, Limits,
    Mapping, Markup, Preset,
};

use crate::{import, refused, refused_with};

/// (line, column, code) of each problem, for compact assertions.
fn located(problems: &[phare_interchange::Problem]) -> Vec<(usize, Option<&str>, &str)> {
    problems
        .iter()
        .map(|p| (p.line, p.column.as_deref(), p.code))
        .collect()
}

fn generic_mapping(kind: ItemKind, columns: &[(Field, Vec<usize>)]) -> Mapping {
    Mapping {
        format: Format::Csv {
            delimiter: Delimiter::Comma,
        },
        preset: Preset::Generic,
        source_system: "csv".into(),
        kind,
        markup: Markup::Markdown,
        date_order: Default::default(),
        url_template: None,
        columns: columns.iter().cloned().collect(),
    }
}

#[test]
fn utf16_nul_bytes_and_latin1_are_refused_naming_the_line() {
    let utf16 = b"\xFF\xFEt\0e\0x\0t\0";
    assert_eq!(located(&refused(utf16)), [(1, None, code::ENCODING)]);
    assert_eq!(refused(utf16)[0].detail.as_deref(), Some("utf-16"));
    let latin1 = b"text\nfine\ncaf\xE9 cr\xE8me\n";
    let problems = refused(latin1);
    assert_eq!(located(&problems), [(3, None, code::ENCODING)]);
    assert_eq!(problems[0].detail.as_deref(), Some("not_utf8"));
    assert_eq!(
        located(&refused(b"text\nA\0B\n")),
        [(2, None, code::ENCODING)]
    );
}

#[test]
fn a_utf8_bom_is_accepted() {
    let (_, items) = import("\u{feff}text\nhello\n".as_bytes());
    assert_eq!(items[0].body, "hello");
}

#[test]
fn empty_files_are_refused() {
    for file in [
        "",
        "  \n\n",
        "text,source\n",
        "text\n\n,\n",
        "[]",
        "{\"posts\": []}",
    ] {
        assert_eq!(
            located(&refused(file.as_bytes())),
            [(1, None, code::EMPTY_FILE)],
            "{file:?}"
        );
    }
}

#[test]
fn a_missing_required_column_is_named() {
    // Feedback needs its text.
    assert_eq!(
        located(&refused(b"source,client\nsupport,Acme\n")),
        [(1, Some("text"), code::MISSING_COLUMN)]
    );
    // Jira rows are upserted on their Issue id.
    let jira = b"Issue key,Summary\nP-1,Title\n";
    assert_eq!(
        located(&refused(jira)),
        [(1, Some("Issue id"), code::MISSING_COLUMN)]
    );
    // A hand-edited mapping pointing past the last column.
    let mapping = generic_mapping(
        ItemKind::Feedback,
        &[(Field::Body, vec![0]), (Field::Tags, vec![5])],
    );
    let problems = read(b"text\nhello\n", &mapping, &Limits::default())
        .unwrap_err()
        .problems;
    assert_eq!(
        located(&problems),
        [(1, Some("tags"), code::MISSING_COLUMN)]
    );
    assert_eq!(problems[0].detail.as_deref(), Some("5"));
}

#[test]
fn a_row_without_its_required_value_is_named() {
    let file = b"title,text\nGood,\n,orphan text\n";
    assert_eq!(
        located(&refused(file)),
        [(3, Some("title"), code::MISSING_VALUE)]
    );
    let jira = b"Issue key,Summary,Issue id\nP-1,Title,\n";
    assert_eq!(
        located(&refused(jira)),
        [(2, Some("Issue id"), code::MISSING_VALUE)]
    );
}

#[test]
fn a_file_one_row_over_the_limit_is_refused() {
    let limits = Limits {
        max_rows: 3,
        ..Limits::default()
    };
    let three = b"text\na\nb\nc\n";
    let mapping = detect(three).unwrap().mapping;
    assert_eq!(read(three, &mapping, &limits).unwrap().len(), 3);
    let four = b"text\na\nb\nc\nd\n";
    let problems = refused_with(four, &limits);
    assert_eq!(located(&problems), [(5, None, code::TOO_MANY_ROWS)]);
    assert_eq!(problems[0].detail.as_deref(), Some("3"));
}

#[test]
fn a_file_of_the_default_limit_plus_one_rows_is_refused() {
    let limit = Limits::default().max_rows;
    let mut file = String::with_capacity(limit * 2 + 16);
    file.push_str("text\n");
    for _ in 0..=limit {
        file.push_str("x\n");
    }
    let mapping = detect(file.as_bytes()).unwrap().mapping;
    let errors = validate(file.as_bytes(), &mapping, &Limits::default()).unwrap_err();
    assert_eq!(
        located(&errors.problems),
        [(limit + 2, None, code::TOO_MANY_ROWS)]
    );
}

#[test]
fn an_oversized_cell_is_refused_naming_its_column() {
    let limits = Limits {
        max_cell_bytes: 10,
        ..Limits::default()
    };
    let problems = refused_with(b"text,client\nshort,Acme\nfine,Acme Corporation\n", &limits);
    assert_eq!(
        located(&problems),
        [(3, Some("client"), code::CELL_TOO_LARGE)]
    );
    assert_eq!(problems[0].detail.as_deref(), Some("10"));
}

#[test]
fn a_row_wider_than_its_header_is_refused() {
    let problems = refused(b"text,client\na,b\nc,d,e\n");
    assert_eq!(located(&problems), [(3, None, code::ROW_TOO_WIDE)]);
    assert_eq!(problems[0].detail.as_deref(), Some("2"));
    let header = vec!["c"; 1_001].join(",") + "\n";
    assert_eq!(
        located(&refused(header.as_bytes())),
        [(1, None, code::ROW_TOO_WIDE)]
    );
}

#[test]
fn unreadable_dates_and_numbers_name_line_and_column() {
    let file = b"text,created,votes\nok,2025-01-02,3\nbad,31/02/2025,x\nworse,someday,-1\n";
    let problems = refused(file);
    assert_eq!(
        located(&problems),
        [
            (3, Some("created"), code::INVALID_DATE),
            (3, Some("votes"), code::INVALID_NUMBER),
            (4, Some("created"), code::INVALID_DATE),
            (4, Some("votes"), code::INVALID_NUMBER),
        ]
    );
    assert_eq!(problems[0].detail.as_deref(), Some("31/02/2025"));
}

#[test]
fn broken_json_names_line_and_column() {
    let problems = refused(b"[\n  {\"title\": \"a\",\n   \"details\": }\n]");
    assert_eq!(problems.len(), 1);
    assert_eq!(
        (problems[0].line, problems[0].code),
        (3, code::INVALID_JSON)
    );
    assert_eq!(problems[0].column.as_deref(), Some("15"));
    // Nesting far deeper than any export is refused, not followed down the stack.
    let deep = "[".repeat(10_000) + &"]".repeat(10_000);
    assert_eq!(refused(deep.as_bytes())[0].code, code::INVALID_JSON);
}

#[test]
fn json_from_an_unknown_tool_is_refused() {
    for file in [
        r#"{"foo": 1}"#,
        r#"[{"a": 1}]"#,
        "[1, 2]",
        r#"{"posts": "none"}"#,
    ] {
        assert_eq!(
            located(&refused(file.as_bytes())),
            [(1, None, code::UNKNOWN_FORMAT)],
            "{file}"
        );
    }
    let mut mapping = detect(br#"[{"title": "t", "details": "d"}]"#)
        .unwrap()
        .mapping;
    mapping.preset = Preset::Jira;
    let problems = read(
        br#"[{"title": "t", "details": "d"}]"#,
        &mapping,
        &Limits::default(),
    )
    .unwrap_err();
    assert_eq!(problems.problems[0].code, code::UNKNOWN_FORMAT);
}

#[test]
fn an_external_id_used_twice_is_refused_naming_both_lines() {
    let file = b"Issue key,Summary,Issue id\nP-1,One,10\nP-2,Two,11\nP-3,Three,10\n";
    let problems = refused(file);
    assert_eq!(
        located(&problems),
        [(4, Some("Issue id"), code::DUPLICATE_EXTERNAL_ID)]
    );
    assert_eq!(problems[0].detail.as_deref(), Some("2"));
}

#[test]
fn problems_are_capped_but_counted() {
    let mut file = String::from("text,votes\n");
    for _ in 0..150 {
        file.push_str("a,many\n");
    }
    let mapping = detect(file.as_bytes()).unwrap().mapping;
    let errors = read(file.as_bytes(), &mapping, &Limits::default()).unwrap_err();
    assert_eq!((errors.problems.len(), errors.total), (100, 150));
    assert_eq!(errors.problems[99].line, 101);
}

#[test]
fn every_code_is_listed_once() {
    let mut codes = code::ALL.to_vec();
    codes.sort_unstable();
    codes.dedup();
    assert_eq!(codes.len(), code::ALL.len());
    assert!(codes
        .iter()
        .all(|c| c.bytes().all(|b| b.is_ascii_lowercase() || b == b'_')));
}

#[test]
fn the_preview_shows_first_items_the_total_and_every_problem() {
    let file = b"text,votes\na,1\nb,2\nc,x\nd,4\n";
    let mapping = detect(file).unwrap().mapping;
    let shown = preview(file, &mapping, &Limits::default(), 2);
    assert_eq!(
        shown
            .items
            .iter()
            .map(|i| i.body.as_str())
            .collect::<Vec<_>>(),
        ["a", "b"]
    );
    assert_eq!(shown.total_rows, 4);
    assert_eq!(
        located(&shown.problems),
        [(4, Some("votes"), code::INVALID_NUMBER)]
    );
    assert_eq!(shown.total_problems, 1);
}

#[test]
fn streaming_gives_the_same_items_and_nothing_for_a_refused_file() {
    let file = b"text,tags\n\"quoted, with comma\",\"a, b\"\n\"line\nbreak\",c\n";
    let mapping = detect(file).unwrap().mapping;
    let all = read(file, &mapping, &Limits::default()).unwrap();
    let mut streamed = Vec::new();
    let count = read_each(file, &mapping, &Limits::default(), |item| {
        streamed.push(item)
    })
    .unwrap();
    assert_eq!((count, &streamed), (2, &all));
    assert_eq!(all[1].body, "line\nbreak");

    let mut seen = 0;
    let bad = b"text,votes\nok,1\nbad,x\n";
    assert!(read_each(
        bad,
        &detect(bad).unwrap().mapping,
        &Limits::default(),
        |_| seen += 1
    )
    .is_err());
    assert_eq!(seen, 0, "all or nothing");
}

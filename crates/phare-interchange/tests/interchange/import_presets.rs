//! One story per source tool: its real-looking export comes in, canonical items come out.

use chrono::{TimeZone, Utc};
use phare_interchange::{detect, read, Delimiter, Field, Format, ItemKind, Limits, Preset};

use crate::{csv_line, import};

/// The Jira Cloud header of INTEROP.md, plus the repeated columns many exports carry.
const JIRA_HEADER: &str = "Summary,Issue key,Issue id,Issue Type,Status,Project key,Project name,Project type,\
Project lead,Project lead id,Project description,Priority,Reporter Id,Creator Id,Created,Updated,Last Viewed,\
Resolved,Affects versions,Fix versions,Due date,Votes,Description,Environment,Watchers Id,Original estimate,\
Remaining Estimate,Time Spent,Work Ratio,Inward issue link (Relates),Parent,Parent summary,Status Category,\
Labels,Labels,Component/s";

/// A row with the named cells filled; a repeated header takes the next value given for it.
fn jira_row(cells: &[(&str, &str)]) -> String {
    let headers: Vec<&str> = JIRA_HEADER.split(',').collect();
    let mut row = vec![""; headers.len()];
    for (name, value) in cells {
        let at = (0..headers.len())
            .find(|&i| headers[i] == *name && row[i].is_empty())
            .unwrap();
        row[at] = value;
    }
    csv_line(&row, ',')
}

#[test]
fn a_jira_export_with_repeated_labels_and_both_date_languages_becomes_ideas() {
    let file = format!(
        "{JIRA_HEADER}\r\n{}{}",
        jira_row(&[
            ("Summary", "Export to CSV"),
            ("Issue key", "PROJ-12"),
            ("Issue id", "10012"),
            ("Status", "In Progress"),
            ("Reporter Id", "712020:abc"),
            ("Created", "14/Jul/25 3:42 PM"),
            ("Votes", "3"),
            (
                "Description",
                "h2. Why\nUsers ask for *CSV*.\n* fast\n* simple"
            ),
            ("Labels", "export"),
            ("Labels", "customer-request"),
            ("Component/s", "Backend"),
        ]),
        jira_row(&[
            ("Summary", "Dark mode"),
            ("Issue key", "PROJ-13"),
            ("Issue id", "10013"),
            ("Created", "14/juil./25 3:42 PM"),
            ("Labels", "ui"),
        ]),
    );
    let (mapping, items) = import(file.as_bytes());
    assert_eq!(mapping.preset, Preset::Jira);
    assert_eq!(mapping.source_system, "jira");
    assert_eq!(
        mapping.columns[&Field::Tags].len(),
        3,
        "both Labels columns and Component/s"
    );
    assert_eq!(items.len(), 2);
    let first = &items[0];
    assert_eq!(first.line, 2);
    assert_eq!(first.kind, ItemKind::Idea);
    assert_eq!(first.external_id.as_deref(), Some("10012"));
    assert_eq!(first.human_key.as_deref(), Some("PROJ-12"));
    assert_eq!(first.title.as_deref(), Some("Export to CSV"));
    assert_eq!(first.status.as_deref(), Some("In Progress"));
    assert_eq!(first.author.as_deref(), Some("712020:abc"));
    assert_eq!(first.votes, Some(3));
    assert_eq!(first.tags, ["export", "customer-request", "Backend"]);
    assert_eq!(
        first.body,
        "## Why\nUsers ask for **CSV**.\n- fast\n- simple"
    );
    let july_14 = Utc.with_ymd_and_hms(2025, 7, 14, 15, 42, 0).unwrap();
    assert_eq!(first.created_at, Some(july_14));
    assert_eq!(
        items[1].created_at,
        Some(july_14),
        "French month abbreviation"
    );
    assert_eq!(items[1].line, 6, "the description spans lines 2 to 5");
}

#[test]
fn jira_links_are_built_from_the_site_the_person_gives() {
    let file = format!(
        "{JIRA_HEADER}\r\n{}",
        jira_row(&[("Summary", "S"), ("Issue key", "PROJ-1"), ("Issue id", "1")])
    );
    let mut mapping = detect(file.as_bytes()).unwrap().mapping;
    assert_eq!(mapping.url_template, None);
    mapping.url_template = Some("https://acme.atlassian.net/browse/{key}".into());
    let items = read(file.as_bytes(), &mapping, &Limits::default()).unwrap();
    assert_eq!(
        items[0].url.as_deref(),
        Some("https://acme.atlassian.net/browse/PROJ-1")
    );
}

#[test]
fn the_older_jira_header_generation_is_recognised() {
    let file = "Issue key,Summary,Issue id,Component/s,Due Date,Original Estimate,Created\r\n\
                OLD-1,Legacy,1,Core,,,6/21/2025 16:14\r\n";
    let (mapping, items) = import(file.as_bytes());
    assert_eq!(mapping.preset, Preset::Jira);
    assert_eq!(items[0].tags, ["Core"]);
    assert_eq!(
        items[0].created_at,
        Some(Utc.with_ymd_and_hms(2025, 6, 21, 16, 14, 0).unwrap())
    );
}

/// Linear's 34-column export header (INTEROP.md).
const LINEAR_HEADER: &str = "ID,Team,Title,Description,Status,Estimate,Priority,Project ID,Project,Creator,\
Assignee,Labels,Cycle Number,Cycle Name,Cycle Start,Cycle End,Created,Updated,Started,Triaged,Completed,Canceled,\
Archived,Due Date,Parent issue,Initiatives,Project Milestone ID,Project Milestone,SLA Status,UUID,\
Time in status (minutes),Related to,Blocked by,Duplicate of";

#[test]
fn a_linear_export_keeps_its_uuid_and_loses_its_formula_quotes() {
    let mut cells = vec![""; 34];
    cells[0] = "ENG-123";
    cells[1] = "Engineering";
    cells[2] = "'=SUM(A1) looks like a formula";
    cells[3] = "'- a Markdown list\n- second";
    cells[4] = "Todo";
    cells[9] = "ann@example.com";
    cells[11] = "Bug, Performance";
    cells[13] = "Cycle 4";
    cells[16] = "2025-01-15T10:20:30.000Z";
    cells[29] = "5b8a7c1e-0d3f-4c2a-9b1e-2f4d6a8c0e12";
    let file = format!("{LINEAR_HEADER}\n{}", csv_line(&cells, ','));
    let (mapping, items) = import(file.as_bytes());
    assert_eq!(mapping.preset, Preset::Linear);
    let item = &items[0];
    assert_eq!(
        item.external_id.as_deref(),
        Some("5b8a7c1e-0d3f-4c2a-9b1e-2f4d6a8c0e12")
    );
    assert_eq!(item.human_key.as_deref(), Some("ENG-123"));
    assert_eq!(item.title.as_deref(), Some("=SUM(A1) looks like a formula"));
    assert_eq!(item.body, "- a Markdown list\n- second");
    assert_eq!(item.tags, ["Bug", "Performance"]);
    assert_eq!(item.author.as_deref(), Some("ann@example.com"));
    assert_eq!(
        item.created_at,
        Some(Utc.with_ymd_and_hms(2025, 1, 15, 10, 20, 30).unwrap())
    );
}

#[test]
fn a_trello_board_becomes_ideas_with_list_names_as_status() {
    let board = r#"{
      "id": "b1", "name": "Roadmap",
      "lists": [{"id": "L1", "name": "Next"}, {"id": "L2", "name": "Later"}],
      "cards": [
        {"id": "5f5b2c3e1a2b3c4d5e6f7a8b", "idShort": 7, "name": "Offline mode", "desc": "Works on the *train*",
         "idList": "L1", "closed": false, "shortUrl": "https://trello.com/c/AbCd",
         "labels": [{"name": "mobile", "color": "green"}, {"name": "", "color": "red"}],
         "badges": {"votes": 4}},
        {"id": "5f5b2c3f1a2b3c4d5e6f7a8c", "idShort": 8, "name": "Old idea", "desc": "",
         "idList": "L2", "closed": true, "url": "https://trello.com/c/EfGh/8-old-idea", "labels": []}
      ],
      "checklists": [{"idCard": "5f5b2c3e1a2b3c4d5e6f7a8b", "name": "Steps",
        "checkItems": [{"name": "cache", "state": "complete"}, {"name": "sync", "state": "incomplete"}]}],
      "actions": [{"type": "createCard", "data": {"card": {"id": "5f5b2c3e1a2b3c4d5e6f7a8b"}},
                   "memberCreator": {"fullName": "Ann Martin", "username": "ann"}}],
      "members": []
    }"#;
    let (mapping, items) = import(board.as_bytes());
    assert_eq!(mapping.preset, Preset::Trello);
    assert_eq!(mapping.format, Format::Json);
    let card = &items[0];
    assert_eq!(
        card.external_id.as_deref(),
        Some("5f5b2c3e1a2b3c4d5e6f7a8b")
    );
    assert_eq!(card.human_key.as_deref(), Some("7"));
    assert_eq!(card.status.as_deref(), Some("Next"));
    assert_eq!(
        card.tags,
        ["mobile", "red"],
        "a label without a name is known by its colour"
    );
    assert_eq!(card.author.as_deref(), Some("Ann Martin"));
    assert_eq!(card.votes, Some(4));
    assert_eq!(card.url.as_deref(), Some("https://trello.com/c/AbCd"));
    assert_eq!(
        card.body,
        "Works on the *train*\n\n**Steps**\n- [x] cache\n- [ ] sync"
    );
    assert_eq!(card.created_at, Utc.timestamp_opt(0x5f5b_2c3e, 0).single());
    assert_eq!(items[1].status.as_deref(), Some("archived"));
    assert_eq!(
        items[1].url.as_deref(),
        Some("https://trello.com/c/EfGh/8-old-idea")
    );
    assert_eq!(items[1].line, 2);
}

#[test]
fn github_issues_are_imported_and_pull_requests_skipped() {
    let issues = r#"[
      {"id": 101, "node_id": "I_1", "number": 1, "title": "Crash on save", "body": "Steps:\n1. save",
       "state": "closed", "state_reason": "completed", "html_url": "https://github.com/o/r/issues/1",
       "user": {"login": "ann"}, "labels": [{"name": "bug"}, {"name": "p1"}],
       "created_at": "2025-03-01T09:00:00Z", "reactions": {"+1": 5, "-1": 0}},
      {"id": 102, "number": 2, "title": "Fix crash", "state": "open",
       "html_url": "https://github.com/o/r/pull/2", "pull_request": {"url": "https://api.github.com/x"}},
      {"id": 103, "node_id": "I_3", "number": 3, "title": "Dark mode", "body": null, "state": "open",
       "html_url": "https://github.com/o/r/issues/3", "user": {"login": "bob"}, "labels": [],
       "created_at": "2025-03-02T09:00:00Z"}
    ]"#;
    let (mapping, items) = import(issues.as_bytes());
    assert_eq!(mapping.preset, Preset::GithubIssues);
    assert_eq!(items.len(), 2, "the pull request is not an issue");
    assert_eq!(
        items[0].external_id.as_deref(),
        Some("I_1"),
        "the node id, as gh names it"
    );
    assert_eq!(items[0].human_key.as_deref(), Some("1"));
    assert_eq!(items[0].status.as_deref(), Some("completed"));
    assert_eq!(items[0].tags, ["bug", "p1"]);
    assert_eq!(items[0].votes, Some(5));
    assert_eq!(items[0].author.as_deref(), Some("ann"));
    assert_eq!(
        items[1].line, 3,
        "lines keep counting the skipped pull request"
    );
    assert_eq!(items[1].body, "");
}

#[test]
fn gh_issue_list_json_with_camel_case_fields_is_imported() {
    let issues = r#"[{"id": "I_kwDOAbc", "number": 9, "title": "Slow search", "body": "", "state": "OPEN",
      "url": "https://github.com/o/r/issues/9", "createdAt": "2025-04-01T08:30:00Z",
      "labels": [{"id": "LA_1", "name": "perf", "color": "ff0000"}], "author": {"login": "cyd"}}]"#;
    let (_, items) = import(issues.as_bytes());
    let item = &items[0];
    assert_eq!(item.external_id.as_deref(), Some("I_kwDOAbc"));
    assert_eq!(item.url.as_deref(), Some("https://github.com/o/r/issues/9"));
    assert_eq!(item.status.as_deref(), Some("OPEN"));
    assert_eq!(item.tags, ["perf"]);
    assert_eq!(item.author.as_deref(), Some("cyd"));
    assert_eq!(
        item.created_at,
        Some(Utc.with_ymd_and_hms(2025, 4, 1, 8, 30, 0).unwrap())
    );
}

#[test]
fn canny_posts_are_read_from_csv_and_from_the_api_json() {
    let csv = "Title,Details,Status,Author Name,Author Email,Company,Votes,Created,URL\n\
               Zapier integration,Connect to Zapier,under review,Ann,ann@acme.test,Acme,42,2025-02-03,https://acme.canny.io/p/zapier\n";
    let (mapping, items) = import(csv.as_bytes());
    assert_eq!(mapping.preset, Preset::Canny);
    assert_eq!(mapping.kind, ItemKind::Idea);
    let post = &items[0];
    assert_eq!(post.title.as_deref(), Some("Zapier integration"));
    assert_eq!(post.body, "Connect to Zapier");
    assert_eq!(post.status.as_deref(), Some("under review"));
    assert_eq!(post.author.as_deref(), Some("Ann"));
    assert_eq!(post.customer.as_deref(), Some("Acme"));
    assert_eq!(post.votes, Some(42));
    assert_eq!(post.url.as_deref(), Some("https://acme.canny.io/p/zapier"));

    let json = r#"{"hasMore": false, "posts": [{"id": "p1", "title": "SSO", "details": "SAML please",
      "status": "planned", "author": {"name": "Bob", "email": "bob@x.test"}, "score": 7,
      "created": "2025-02-04T10:00:00.000Z", "url": "https://acme.canny.io/p/sso",
      "tags": [{"name": "enterprise"}], "category": {"name": "auth"}}]}"#;
    let (mapping, items) = import(json.as_bytes());
    assert_eq!(mapping.preset, Preset::Canny);
    assert_eq!(items[0].external_id.as_deref(), Some("p1"));
    assert_eq!(items[0].tags, ["enterprise", "auth"]);
    assert_eq!(items[0].votes, Some(7));
    assert_eq!(items[0].author.as_deref(), Some("Bob"));
}

#[test]
fn productboard_notes_become_feedback_with_markdown_bodies() {
    let csv = "Note title,Content,State,Customer email,Company domain,Tags,Created\n\
               Export request,\"<p>We need <strong>CSV</strong> export</p>\",unprocessed,jo@client.test,client.test,\"export, data\",2025-05-06T07:08:09Z\n";
    let (mapping, items) = import(csv.as_bytes());
    assert_eq!(mapping.preset, Preset::Productboard);
    assert_eq!(mapping.kind, ItemKind::Feedback);
    let note = &items[0];
    assert_eq!(note.body, "We need **CSV** export");
    assert_eq!(note.contact.as_deref(), Some("jo@client.test"));
    assert_eq!(note.customer.as_deref(), Some("client.test"));
    assert_eq!(note.tags, ["export", "data"]);
    assert_eq!(note.status.as_deref(), Some("unprocessed"));

    let json = r#"{"data": [{"id": "n1", "title": "Slow", "content": "<p>It is <em>slow</em></p>",
      "state": "processed", "user": {"email": "amy@c.test"}, "company": {"domain": "c.test"},
      "tags": ["perf"], "createdAt": "2025-05-07T00:00:00Z", "display_url": "https://pb.test/n1"}]}"#;
    let (mapping, items) = import(json.as_bytes());
    assert_eq!(mapping.preset, Preset::Productboard);
    assert_eq!(items[0].body, "It is *slow*");
    assert_eq!(items[0].contact.as_deref(), Some("amy@c.test"));
    assert_eq!(items[0].tags, ["perf"]);
    assert_eq!(items[0].url.as_deref(), Some("https://pb.test/n1"));
}

#[test]
fn a_french_semicolon_file_of_feedback_is_read_with_day_first_dates() {
    let file = "\u{feff}Texte;Source;Client;Segment;Contact;Étiquettes;Date\r\n\
                \"L'export ; c'est lent\nvraiment\";Entretien;Acme;PME;jo@acme.test;\"export, lenteur\";21/06/2025\r\n\
                Besoin du mode sombre;Support;Beta;ETI;;ui;06/07/2025 09:30\r\n\
                ;;;;;;\r\n\r\n";
    let (mapping, items) = import(file.as_bytes());
    assert_eq!(mapping.preset, Preset::Generic);
    assert_eq!(
        mapping.format,
        Format::Csv {
            delimiter: Delimiter::Semicolon
        }
    );
    assert_eq!(mapping.kind, ItemKind::Feedback);
    assert_eq!(items.len(), 2, "blank rows and trailing lines are ignored");
    let first = &items[0];
    assert_eq!(first.body, "L'export ; c'est lent\nvraiment");
    assert_eq!(first.source.as_deref(), Some("Entretien"));
    assert_eq!(first.customer.as_deref(), Some("Acme"));
    assert_eq!(first.segment.as_deref(), Some("PME"));
    assert_eq!(first.contact.as_deref(), Some("jo@acme.test"));
    assert_eq!(first.tags, ["export", "lenteur"]);
    assert_eq!(
        first.created_at,
        Some(Utc.with_ymd_and_hms(2025, 6, 21, 0, 0, 0).unwrap())
    );
    assert_eq!(
        items[1].line, 4,
        "the quoted newline moved the second record down a line"
    );
    assert_eq!(
        items[1].created_at,
        Some(Utc.with_ymd_and_hms(2025, 7, 6, 9, 30, 0).unwrap())
    );
    assert_eq!(items[1].contact, None);
}

#[test]
fn a_tab_separated_file_is_sniffed() {
    let file = "title\tstatus\tvotes\nFaster sync\tplanned\t12.0\n";
    let (mapping, items) = import(file.as_bytes());
    assert_eq!(
        mapping.format,
        Format::Csv {
            delimiter: Delimiter::Tab
        }
    );
    assert_eq!(mapping.kind, ItemKind::Idea);
    assert_eq!(items[0].votes, Some(12));
}

#[test]
fn only_web_addresses_are_kept_as_links() {
    let file = "text,url\nA,https://ok.test/a\nB,javascript:alert(1)\nC,HTTP://OK.TEST/C\n";
    let (_, items) = import(file.as_bytes());
    let urls: Vec<Option<&str>> = items.iter().map(|i| i.url.as_deref()).collect();
    assert_eq!(
        urls,
        [Some("https://ok.test/a"), None, Some("HTTP://OK.TEST/C")]
    );
}

#[test]
fn a_mapping_survives_a_round_trip_through_json() {
    let detected = detect(format!("{JIRA_HEADER}\n").as_bytes()).unwrap();
    let json = serde_json::to_string(&detected.mapping).unwrap();
    assert!(json.contains(r#""tags":[33,34,35]"#), "{json}");
    assert!(
        json.contains(r#""format":{"type":"csv","delimiter":"comma"}"#),
        "{json}"
    );
    let back: phare_interchange::Mapping = serde_json::from_str(&json).unwrap();
    assert_eq!(back, detected.mapping);
}

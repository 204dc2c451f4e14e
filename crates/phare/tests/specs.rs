//! `phare spec export` against a running server: the Gherkin file in the spec's language (named
//! by the idea's reference or id, to a file or to standard output), Markdown, and clear errors.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
use common::portal::api;
use common::*;
use phare_domain::specs::{parse_gherkin, SpecLanguage};
use serde_json::json;

#[test]
fn a_spec_is_exported_from_the_command_line_in_its_language() {
    let dir = tempfile::tempdir().unwrap();
    let token = admin_with_token(dir.path(), None, "ada@example.org", None);
    let server = Server::start(dir.path(), None, &[]);
    let url = server.url.clone();
    let cli = |args: &[&str]| {
        let mut a: Vec<&str> = args.to_vec();
        a.extend(["--url", &url, "--token", &token]);
        phare(&a, None)
    };
    let (s, product) = api(
        &url,
        &token,
        "POST",
        "/products",
        Some(json!({"name": "Factures", "key": "FAC"})),
        None,
    );
    assert_eq!(s, 201, "{product}");
    let pid = product["id"].as_str().unwrap();
    let (s, idea) = api(
        &url,
        &token,
        "POST",
        &format!("/products/{pid}/ideas"),
        Some(json!({"title": "Exporter un mois"})),
        None,
    );
    assert_eq!(s, 201, "{idea}");
    let iid = idea["id"].as_str().unwrap();
    let (s, spec) = api(
        &url,
        &token,
        "PUT",
        &format!("/ideas/{iid}/spec"),
        Some(json!({
            "language": "fr",
            "criteria": [
                {"title": "Un mois", "given": ["un mois clos", "trois factures"], "when": ["j'exporte"], "then": ["j'obtiens un fichier"]},
                {"title": "Mois vide", "given": ["un mois vide"], "when": ["j'exporte"], "then": ["un message le dit"]}
            ]
        })),
        Some("0"),
    );
    assert_eq!(s, 200, "{spec}");

    let file = dir.path().join("FAC-1.feature");
    let (ok, _, err) = cli(&[
        "spec",
        "export",
        "FAC-1",
        "--format",
        "gherkin",
        "-o",
        file.to_str().unwrap(),
    ]);
    assert!(ok, "{err}");
    let text = std::fs::read_to_string(&file).unwrap();
    assert!(
        text.starts_with("# language: fr\nFonctionnalité: FAC-1 Exporter un mois\n"),
        "{text}"
    );
    let outline = parse_gherkin(&text).unwrap();
    assert_eq!(outline.language, SpecLanguage::Fr);
    assert_eq!(outline.scenarios.len(), 2);
    assert_eq!(
        outline.scenarios[0].1,
        ["Étant donné", "Et", "Quand", "Alors"]
    );

    let (ok, out, err) = cli(&["spec", "export", iid, "--format", "markdown"]);
    assert!(ok, "{err}");
    assert!(out.starts_with("# FAC-1 Exporter un mois"), "{out}");
    assert!(out.contains("## Critères d'acceptation"), "{out}");

    let (ok, _, err) = cli(&["spec", "export", "FAC-1", "--format", "pdf"]);
    assert!(!ok && err.contains("unknown format `pdf`"), "{err}");
    let (ok, _, err) = cli(&["spec", "export", "FAC-99"]);
    assert!(!ok && err.contains("no idea FAC-99"), "{err}");
    let (ok, _, err) = cli(&["spec", "export", "nothing"]);
    assert!(
        !ok && err.contains("neither an idea id nor a reference"),
        "{err}"
    );
}

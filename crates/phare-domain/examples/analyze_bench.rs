//! Times the analyzer over a file of texts, one per line: `cargo run --release -p phare-domain
//! --example analyze_bench -- FILE` (the import's analysis, docs/PERFORMANCE.md).
#![allow(clippy::expect_used)] // a measuring tool: a missing file is the user's to fix
fn main() {
    let path = std::env::args()
        .nth(1)
        .expect("a file of texts, one per line");
    let texts: Vec<String> = std::fs::read_to_string(path)
        .expect("readable file")
        .lines()
        .map(str::to_owned)
        .collect();
    for _ in 0..3 {
        let start = std::time::Instant::now();
        let bytes: usize = texts
            .iter()
            .map(|t| {
                phare_domain::text::index_terms(&phare_domain::markdown::to_plain_text(t)).len()
            })
            .sum();
        let took = start.elapsed();
        println!(
            "{} texts in {:.0} ms: {:.2} µs per text ({bytes} bytes of terms)",
            texts.len(),
            took.as_secs_f64() * 1e3,
            took.as_secs_f64() * 1e6 / texts.len() as f64
        );
    }
}

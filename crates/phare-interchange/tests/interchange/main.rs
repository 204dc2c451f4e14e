//! The interchange crate's one integration-test binary: imports from each tool, every problem
//! code with the line and column it names, the export formats, properties, and a benchmark.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod bench;
mod export_csv;
mod export_json;
mod export_xlsx;
mod import_presets;
mod import_problems;
mod properties;

use phare_interchange::{detect, read, ImportItem, Limits, Mapping, Problem};

/// Detects and reads a file that must import cleanly.
pub fn import(bytes: &[u8]) -> (Mapping, Vec<ImportItem>) {
    let detected = detect(bytes).expect("detected");
    let items = read(bytes, &detected.mapping, &Limits::default()).expect("imported");
    (detected.mapping, items)
}

/// Detects and reads a file that must be refused, returning its problems.
pub fn refused(bytes: &[u8]) -> Vec<Problem> {
    refused_with(bytes, &Limits::default())
}

pub fn refused_with(bytes: &[u8], limits: &Limits) -> Vec<Problem> {
    let mapping = match detect(bytes) {
        Ok(detected) => detected.mapping,
        Err(errors) => return errors.problems,
    };
    read(bytes, &mapping, limits).expect_err("refused").problems
}

/// A CSV line from cells, quoted as RFC 4180 wants.
pub fn csv_line(cells: &[&str], delimiter: char) -> String {
    let quoted: Vec<String> = cells
        .iter()
        .map(|c| {
            if c.contains(['"', '\n', '\r', delimiter]) {
                format!("\"{}\"", c.replace('"', "\"\""))
            } else {
                (*c).to_owned()
            }
        })
        .collect();
    quoted.join(&delimiter.to_string()) + "\r\n"
}

//! Import throughput and memory on a 200,000-row generic CSV. Ignored by default; run with
//! `cargo test -p phare-interchange --release -- --ignored --nocapture bench`.

use std::time::Instant;

use phare_interchange::{detect, read, read_each, Limits};

fn generic_csv(rows: usize) -> Vec<u8> {
    let mut file = String::from("external_id,title,text,status,tags,customer,created_at,votes\r\n");
    for i in 0..rows {
        file.push_str(&format!(
            "id-{i},Idea number {i},\"Customers asked for faster exports, line {i}\",planned,\"export, perf\",Acme {},2025-0{}-1{}T10:20:30Z,{}\r\n",
            i % 97,
            1 + i % 9,
            i % 10,
            i % 500
        ));
    }
    file.into_bytes()
}

/// Peak resident memory of this process so far, in MiB (Linux).
fn peak_rss_mib() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let kib = status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches(" kB").trim().parse::<f64>().ok());
    kib.unwrap_or(0.0) / 1024.0
}

#[test]
#[ignore = "benchmark: run with --release --ignored"]
fn bench_a_200000_row_generic_csv_imports_at_50000_rows_per_second() {
    let rows = 200_000;
    let file = generic_csv(rows);
    let mapping = detect(&file).unwrap().mapping;
    let size_mib = file.len() as f64 / 1_048_576.0;
    let before = peak_rss_mib();

    let started = Instant::now();
    let mut count = 0;
    read_each(&file, &mapping, &Limits::default(), |_| count += 1).unwrap();
    let streamed = rows as f64 / started.elapsed().as_secs_f64();
    let after_stream = peak_rss_mib();

    let started = Instant::now();
    let items = read(&file, &mapping, &Limits::default()).unwrap();
    let collected = rows as f64 / started.elapsed().as_secs_f64();
    let after_read = peak_rss_mib();

    assert_eq!((count, items.len()), (rows, rows));
    println!(
        "file {size_mib:.1} MiB; read_each (validate + stream) {streamed:.0} rows/s, peak RSS {before:.0} → {after_stream:.0} MiB; \
         read (all items held) {collected:.0} rows/s, peak RSS → {after_read:.0} MiB"
    );
    assert!(collected >= 50_000.0, "{collected:.0} rows/s");
}

//! Peak memory and wall time of the real binary on a 10,000-workload plan:
//! `cargo bench --bench memory`. Prints one line per command.

#[path = "../support/child_usage.rs"]
mod child_usage;
#[path = "../support/synthetic.rs"]
mod synthetic;

use std::process::{Command, Stdio};
use std::time::Instant;

fn main() {
    if std::env::args().any(|a| a == "--list") {
        return; // `cargo test --benches` lists benchmarks; there is nothing to list.
    }
    let folder = tempfile::tempdir().expect("temp folder");
    let path = folder.path().join("large.ron");
    keyholder::storage::save_plan(&path, &synthetic::synthetic_plan(10_000, 42)).expect("save");
    let plan = path.to_string_lossy().into_owned();
    for args in [
        vec!["check", &plan],
        vec!["report", &plan, "--format", "json"],
        vec!["optimize", &plan, "--min-control", "70"],
    ] {
        let started = Instant::now();
        let mut child = Command::new(env!("CARGO_BIN_EXE_keyholder"))
            .args(&args)
            .stdout(Stdio::null())
            .spawn()
            .expect("run keyholder");
        let child_usage::Usage {
            success, peak_mib, ..
        } = child_usage::wait_with_usage(&mut child);
        let shown: Vec<&str> = args
            .iter()
            .map(|a| {
                if std::path::Path::new(a)
                    .extension()
                    .is_some_and(|e| e.eq_ignore_ascii_case("ron"))
                {
                    "large.ron"
                } else {
                    a
                }
            })
            .collect();
        println!(
            "keyholder {:<36} {:>7.0} ms  peak RSS {:>6.1} MiB{}",
            shown.join(" "),
            started.elapsed().as_secs_f64() * 1000.0,
            peak_mib,
            if success { "" } else { "  (failed)" }
        );
    }
}

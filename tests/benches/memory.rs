//! Peak memory and wall time of the real binary on a 10,000-workload plan:
//! `cargo bench --bench memory`. Prints one line per command.

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
        #[expect(clippy::zombie_processes, reason = "wait4 below reaps it")]
        let child = Command::new(env!("CARGO_BIN_EXE_keyholder"))
            .args(&args)
            .stdout(Stdio::null())
            .spawn()
            .expect("run keyholder");
        let (success, peak_mib) = wait_with_peak_memory(&child);
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

/// Waits for the child and returns whether it succeeded and its peak resident memory.
#[cfg(unix)]
#[expect(
    unsafe_code,
    reason = "wait4 is the only way to read a child's peak memory"
)]
fn wait_with_peak_memory(child: &std::process::Child) -> (bool, f64) {
    let pid = libc::pid_t::try_from(child.id()).expect("pid");
    let mut status = 0;
    // SAFETY: wait4 only writes into the two values we pass; the child is ours.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let waited = unsafe { libc::wait4(pid, &raw mut status, 0, &raw mut usage) };
    assert_eq!(waited, pid, "wait4 failed");
    #[allow(clippy::cast_precision_loss, reason = "memory sizes")]
    let max_rss = usage.ru_maxrss as f64;
    // Linux reports KiB, macOS bytes.
    let mib = if cfg!(target_os = "macos") {
        max_rss / 1_048_576.0
    } else {
        max_rss / 1024.0
    };
    (
        libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0,
        mib,
    )
}

#[cfg(not(unix))]
fn wait_with_peak_memory(mut child: std::process::Child) -> (bool, f64) {
    let status = child.wait().expect("wait");
    (status.success(), f64::NAN)
}

//! Plans with numbers past their bounds, repeated choices and moves past the horizon, through
//! the real binary: `check` names each problem as `PLAN:LINE:COL: field: message`, and
//! `report`, `optimize` and `diff` refuse the same plans with the same messages, never with a
//! panic.

use std::path::{Path, PathBuf};

use crate::{keyholder, sample};
use serde_json::Value;

fn invalid(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/bad/invalid")
        .join(name)
}

fn run(args: &[&Path]) -> (Option<i32>, String, String) {
    let output = keyholder().args(args).output().expect("run keyholder");
    (
        output.status.code(),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

/// A copy of `saves/NAME` in `dir` with each `(old, new)` line replaced (each must match
/// exactly one line).
fn copy_with(dir: &Path, name: &str, replacements: &[(&str, &str)]) -> PathBuf {
    let mut text = std::fs::read_to_string(sample(name)).expect("read sample");
    for (old, new) in replacements {
        assert_eq!(
            text.lines().filter(|l| l == old).count(),
            1,
            "{old:?} should be one line"
        );
        text = text
            .split_inclusive('\n')
            .map(|l| {
                if l.trim_end_matches('\n') == *old {
                    format!("{new}\n")
                } else {
                    l.to_owned()
                }
            })
            .collect();
    }
    let path = dir.join(name);
    std::fs::write(&path, text).expect("write");
    path
}

#[test]
fn check_names_the_line_column_and_field_of_every_problem() {
    let dir = tempfile::tempdir().expect("tempdir");
    // Three problems in the law firm: line 15 `horizon_months`, line 24 `hours_per_month`,
    // line 502 (the first workload's `storage_gb`).
    let path = copy_with(
        dir.path(),
        "law-firm.ron",
        &[
            (
                "        horizon_months: 36,",
                "        horizon_months: 200,",
            ),
            (
                "        hours_per_month: 730,",
                "        hours_per_month: 1e28,",
            ),
            (
                "            storage_gb: 650,",
                "            storage_gb: 100000001,",
            ),
        ],
    );
    let (code, stdout, stderr) = run(&[Path::new("check"), &path]);
    assert_eq!(code, Some(1));
    assert_eq!(stdout, "");
    let p = path.display();
    assert_eq!(
        stderr,
        format!(
            "{p}:15:9: assumptions.horizon_months: must be from 1 to 120 months (found 200)\n\
             {p}:24:9: price_book.hours_per_month: must be at most 744 hours (found 10000000000000000000000000000)\n\
             {p}:502:13: workloads[0] \"Exchange 2007\".storage_gb: must be at most 100,000,000 GB (found 100000001)\n"
        )
    );
}

#[test]
fn report_optimize_and_diff_refuse_what_check_refuses_with_the_same_messages() {
    let good = sample("law-firm.ron");
    for name in [
        "hours_per_month_1e28.ron",
        "override_too_large.ron",
        "users_over_the_bound.ron",
        "workload_too_costly.ron",
        "growth_over_100.ron",
        "move_month_too_late.ron",
        "status_quo_with_moves.ron",
    ] {
        let bad = invalid(name);
        let before = std::fs::read(&bad).expect("read");
        let (code, _, check) = run(&[Path::new("check"), &bad]);
        assert_eq!(code, Some(1), "{name}");
        let prefix = format!("{}:", bad.display());
        assert!(check.starts_with(&prefix), "{name}: {check}");
        for args in [
            vec![Path::new("report"), &bad],
            vec![
                Path::new("report"),
                &bad,
                Path::new("--format"),
                Path::new("json"),
            ],
            vec![
                Path::new("optimize"),
                &bad,
                Path::new("--min-control"),
                Path::new("50"),
            ],
            vec![Path::new("optimize"), &bad, Path::new("--frontier")],
            vec![Path::new("diff"), &bad, &good],
            vec![Path::new("diff"), &good, &bad],
        ] {
            let (code, stdout, stderr) = run(&args);
            assert_eq!(code, Some(1), "{name} {args:?}: {stderr}");
            assert_eq!(stdout, "", "{name} {args:?}");
            assert_eq!(stderr, check, "{name} {args:?}");
            assert!(!stderr.contains("panicked"), "{stderr}");
        }
        assert_eq!(
            std::fs::read(&bad).expect("read"),
            before,
            "{name} untouched"
        );
    }
}

#[test]
fn diff_validates_both_plans_and_reports_both() {
    let a = invalid("growth_over_100.ron");
    let b = invalid("hours_per_month_1e28.ron");
    let (code, stdout, stderr) = run(&[Path::new("diff"), &a, &b]);
    assert_eq!(code, Some(1));
    assert_eq!(stdout, "");
    assert_eq!(
        stderr,
        format!(
            "{}:17:9: assumptions.growth_pct: must be from 0 to 100 % (found 250)\n\
             {}:24:9: price_book.hours_per_month: must be at most 744 hours (found 10000000000000000000000000000)\n",
            a.display(),
            b.display()
        )
    );
    // A file that does not parse is refused as `check` refuses it.
    let broken =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/bad/duplicate_choice.ron");
    let (code, _, stderr) = run(&[Path::new("diff"), &sample("law-firm.ron"), &broken]);
    assert_eq!(code, Some(1));
    assert!(
        stderr.starts_with(&format!("{}:709:", broken.display())),
        "{stderr}"
    );
}

#[test]
fn a_repeated_choice_is_refused_by_check_with_its_line() {
    let broken =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/bad/duplicate_choice.ron");
    let (code, stdout, stderr) = run(&[Path::new("check"), &broken]);
    assert_eq!(code, Some(1));
    assert_eq!(stdout, "");
    assert_eq!(
        stderr,
        format!(
            "{}:709:18: workload \"exchange\" is listed twice in this scenario's choices; keep one (otherwise the next save would drop the other)\n",
            broken.display()
        )
    );
}

#[test]
fn moves_past_a_shortened_horizon_check_and_count_for_nothing() {
    let dir = tempfile::tempdir().expect("tempdir");
    // A 3-month horizon: "All collaboration to BPOS" moves Exchange in month 3 and the rest
    // later, all at or after the horizon's end; "Keep anything we need admin on" starts in
    // month 12.
    let path = copy_with(
        dir.path(),
        "law-firm.ron",
        &[("        horizon_months: 36,", "        horizon_months: 3,")],
    );
    let (code, stdout, stderr) = run(&[Path::new("check"), &path]);
    assert_eq!((code, stderr.as_str()), (Some(0), ""));
    assert_eq!(
        stdout,
        format!("{}: ok (11 workloads, 3 scenarios)\n", path.display())
    );
    let output = keyholder()
        .arg("report")
        .arg(&path)
        .args(["--format", "json"])
        .output()
        .expect("run");
    assert_eq!(output.status.code(), Some(0));
    let report: Value = serde_json::from_slice(&output.stdout).expect("json");
    let scenarios = report["scenarios"].as_array().expect("scenarios");
    let status_quo_tco = &scenarios[0]["tco_cents"];
    for scenario in &scenarios[1..] {
        assert!(scenario["break_even_month"].is_null(), "{scenario}");
        assert_eq!(&scenario["tco_cents"], status_quo_tco, "{scenario}");
        assert_eq!(scenario["one_time_cents"], 0, "{scenario}");
    }
    // Optimize and diff work on it too.
    let (code, _, stderr) = run(&[
        Path::new("optimize"),
        &path,
        Path::new("--min-control"),
        Path::new("50"),
    ]);
    assert_eq!((code, stderr.as_str()), (Some(0), ""));
    let (code, stdout, _) = run(&[Path::new("diff"), &sample("law-firm.ron"), &path]);
    assert_eq!(code, Some(0));
    assert!(stdout.contains("horizon_months: 36 -> 3"), "{stdout}");
}

//! `keyholder optimize` as a user runs it: answers within their bound by the figures
//! `keyholder report` prints, an answer's own cost accepted as a budget (the issue's
//! dental-practice example, 3 % growth), and "exact" printed only when it is.

use crate::{keyholder, sample};
use serde_json::Value;

fn run_json(args: &[&str]) -> (Option<i32>, Value, String) {
    let output = keyholder().args(args).output().expect("run keyholder");
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    let json = serde_json::from_slice(&output.stdout).unwrap_or(Value::Null);
    (output.status.code(), json, stderr)
}

fn int(v: &Value) -> i64 {
    v.as_i64().unwrap_or_else(|| panic!("not an integer: {v}"))
}

fn float(v: &Value) -> f64 {
    v.as_f64().unwrap_or_else(|| panic!("not a number: {v}"))
}

fn money(cents: i64) -> String {
    format!("{}.{:02}", cents / 100, cents % 100)
}

#[test]
fn the_dental_practice_answer_is_its_own_budget_and_its_scenario_prints_the_same_figures() {
    let path = sample("dental-practice.ron");
    let plan = path.to_str().expect("path");
    for min in ["50", "70", "80", "90", "95"] {
        let (code, answer, stderr) =
            run_json(&["optimize", plan, "--min-control", min, "--format", "json"]);
        assert_eq!(code, Some(0), "{stderr}");
        assert_eq!(answer["exact"], true, "{answer}");
        assert_eq!(answer["resolution"], "exact");
        let min_f: f64 = min.parse().expect("number");
        assert!(float(&answer["control_score"]) >= min_f, "{answer}");
        let tco = int(&answer["tco_cents"]);

        // Its TCO as a budget returns that plan: same TCO and control (a frontier plan).
        let (code, back, stderr) = run_json(&[
            "optimize",
            plan,
            "--max-cost",
            &money(tco),
            "--format",
            "json",
        ]);
        assert_eq!(code, Some(0), "--max-cost {}: {stderr}", money(tco));
        assert_eq!(int(&back["tco_cents"]), tco, "{back}");
        assert_eq!(back["control_score"], answer["control_score"], "{back}");

        // A cent less buys less control, or nothing.
        let (code, less, _) = run_json(&[
            "optimize",
            plan,
            "--max-cost",
            &money(tco - 1),
            "--format",
            "json",
        ]);
        if code == Some(0) {
            assert!(int(&less["tco_cents"]) < tco);
            assert!(float(&less["control_score"]) < float(&answer["control_score"]));
        } else {
            assert_eq!(code, Some(1));
        }
    }
}

#[test]
fn a_saved_answer_reports_exactly_the_answer_line() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("dental-practice.ron");
    std::fs::copy(sample("dental-practice.ron"), &path).expect("copy");
    let plan = path.to_str().expect("path");
    let (code, answer, stderr) = run_json(&[
        "optimize",
        plan,
        "--min-control",
        "85",
        "--save-as",
        "Keep 85",
        "--format",
        "json",
    ]);
    assert_eq!(code, Some(0), "{stderr}");
    let (code, report, stderr) =
        run_json(&["report", plan, "--scenario", "Keep 85", "--format", "json"]);
    assert_eq!(code, Some(0), "{stderr}");
    let scenario = report["scenarios"]
        .as_array()
        .and_then(|all| all.iter().find(|s| s["name"] == "Keep 85"))
        .unwrap_or_else(|| panic!("no scenario in {report}"));
    assert_eq!(scenario["tco_cents"], answer["tco_cents"]);
    assert_eq!(scenario["run_rate_cents"], answer["run_rate_cents"]);
    assert_eq!(scenario["control_score"], answer["control_score"]);
    assert!(float(&scenario["control_score"]) >= 85.0);
}

#[test]
fn the_frontier_says_how_complete_it_is() {
    let output = keyholder()
        .args([
            "optimize",
            sample("law-firm.ron").to_str().expect("path"),
            "--frontier",
        ])
        .output()
        .expect("run");
    assert_eq!(output.status.code(), Some(0));
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(
        text.starts_with(
            "Trade-off frontier (TCO over 36 months, exact: every plan on the frontier)."
        ),
        "{text}"
    );
}

#[test]
fn exact_is_not_printed_when_control_scores_are_rounded() {
    // A control weight with 22 decimals: the scores' exact fractions no longer fit the
    // search's integers, so they are rounded down to 10 decimals and the output says so.
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("dental-practice.ron");
    let text = std::fs::read_to_string(sample("dental-practice.ron")).expect("sample");
    let changed = text.replacen(
        "                weight: 5,",
        "                weight: \"5.0000000000000000000001\",",
        1,
    );
    assert_ne!(changed, text);
    std::fs::write(&path, changed).expect("write");
    let plan = path.to_str().expect("path");
    let output = keyholder()
        .args(["optimize", plan, "--min-control", "70"])
        .output()
        .expect("run");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let first = stdout.lines().next().unwrap_or_default();
    assert!(!first.contains("exact"), "{first}");
    assert!(first.contains("optimal to within"), "{first}");
    let (_, json, _) = run_json(&["optimize", plan, "--min-control", "70", "--format", "json"]);
    assert_eq!(json["exact"], false);
    assert!(float(&json["control_score"]) >= 70.0);
}

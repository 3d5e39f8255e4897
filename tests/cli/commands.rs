//! The command line (PRODUCT.md sections 6 and 7) run as a user runs it: the real `keyholder`
//! binary, exit status 0 / 1 / 2, results on stdout and errors on stderr.
//!
//! Plans are read from `saves/` and never written there: every test that writes works on a
//! copy in a temporary folder. Inventory fixtures live in `tests/fixtures/inventory/`.
//! Figures checked against the price book are worked out by hand in the comments.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use crate::sample;
use assert_cmd::Command;
use predicates::prelude::*;
use serde_json::Value;

const DESTINATIONS: [&str; 5] = [
    "on_premises",
    "msp_hosted",
    "azure_iaas",
    "azure_paas",
    "bpos",
];

const LAW_FIRM_SCENARIOS: [&str; 3] = [
    "Status quo",
    "All collaboration to BPOS",
    "Keep anything we need admin on",
];

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

/// The binary, with its preferences and data folders in a temporary folder (never the
/// user's own).
fn keyholder() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_keyholder"));
    command.env("KEYHOLDER_HOME", scratch_home());
    command
}

/// One folder for the app's own files for this test run.
fn scratch_home() -> &'static Path {
    static HOME: std::sync::OnceLock<tempfile::TempDir> = std::sync::OnceLock::new();
    HOME.get_or_init(|| tempfile::tempdir().expect("temp"))
        .path()
}

fn fixture(relative: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(relative)
}

fn read(path: &Path) -> Vec<u8> {
    std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn read_text(path: &Path) -> String {
    String::from_utf8(read(path)).expect("UTF-8")
}

/// Copies a sample into `dir`, replacing whole lines: each `(old, new)` must match exactly one
/// line of the sample (leading spaces included).
fn copy_sample(dir: &Path, name: &str, replacements: &[(&str, &str)]) -> PathBuf {
    let mut text = read_text(&sample(name));
    for (old, new) in replacements {
        let line_no = line_number_of(&text, old);
        text = replace_line(&text, line_no, new);
    }
    let path = dir.join(name);
    std::fs::write(&path, text).expect("write copy");
    path
}

/// 1-based number of the only line equal to `line`.
fn line_number_of(text: &str, line: &str) -> usize {
    let hits: Vec<usize> = text
        .lines()
        .enumerate()
        .filter(|(_, l)| *l == line)
        .map(|(i, _)| i + 1)
        .collect();
    assert_eq!(
        hits.len(),
        1,
        "expected exactly one line {line:?}: {hits:?}"
    );
    hits[0]
}

fn replace_line(text: &str, line_no: usize, new: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for (i, line) in text.split_inclusive('\n').enumerate() {
        if i + 1 == line_no {
            out.push_str(new);
            out.push('\n');
        } else {
            out.push_str(line);
        }
    }
    out
}

fn stdout_of(output: &std::process::Output) -> String {
    String::from_utf8(output.stdout.clone()).expect("stdout is UTF-8")
}

fn stderr_of(output: &std::process::Output) -> String {
    String::from_utf8(output.stderr.clone()).expect("stderr is UTF-8")
}

/// Runs keyholder, expects exit 0, and parses stdout as JSON.
fn json_of(args: &[&str]) -> Value {
    let output = keyholder().args(args).output().expect("run keyholder");
    assert_eq!(
        output.status.code(),
        Some(0),
        "keyholder {args:?}\nstderr: {}",
        stderr_of(&output)
    );
    serde_json::from_slice(&output.stdout).unwrap_or_else(|e| {
        panic!(
            "keyholder {args:?}: stdout is not JSON: {e}\n{}",
            stdout_of(&output)
        )
    })
}

fn report_json(plan: &Path) -> Value {
    json_of(&["report", path_str(plan), "--format", "json"])
}

fn path_str(path: &Path) -> &str {
    path.to_str().expect("UTF-8 path")
}

fn keys(value: &Value) -> BTreeSet<&str> {
    value
        .as_object()
        .unwrap_or_else(|| panic!("not an object: {value}"))
        .keys()
        .map(String::as_str)
        .collect()
}

fn set<'a>(items: &[&'a str]) -> BTreeSet<&'a str> {
    items.iter().copied().collect()
}

fn int(value: &Value) -> i64 {
    value
        .as_i64()
        .unwrap_or_else(|| panic!("not an integer: {value}"))
}

fn float(value: &Value) -> f64 {
    value
        .as_f64()
        .unwrap_or_else(|| panic!("not a number: {value}"))
}

fn scenario<'a>(report: &'a Value, name: &str) -> &'a Value {
    report["scenarios"]
        .as_array()
        .expect("scenarios")
        .iter()
        .find(|s| s["name"] == name)
        .unwrap_or_else(|| panic!("no scenario {name:?} in the report"))
}

fn workload<'a>(report: &'a Value, id: &str) -> &'a Value {
    report["workloads"]
        .as_array()
        .expect("workloads")
        .iter()
        .find(|w| w["id"] == id)
        .unwrap_or_else(|| panic!("no workload {id:?} in the report"))
}

fn option<'a>(workload: &'a Value, destination: &str) -> &'a Value {
    workload["options"]
        .as_array()
        .expect("options")
        .iter()
        .find(|o| o["destination"] == destination)
        .unwrap_or_else(|| panic!("no {destination} option in {}", workload["id"]))
}

// ---------------------------------------------------------------------------------------------
// check
// ---------------------------------------------------------------------------------------------

#[test]
fn check_prints_ok_with_workload_and_scenario_counts_for_every_sample() {
    for (name, workloads, scenarios) in [
        ("law-firm.ron", 11, 3),
        ("dental-practice.ron", 5, 3),
        ("accounting-firm.ron", 5, 3),
    ] {
        let path = sample(name);
        keyholder()
            .arg("check")
            .arg(&path)
            .assert()
            .code(0)
            .stdout(format!(
                "{}: ok ({workloads} workloads, {scenarios} scenarios)\n",
                path.display()
            ))
            .stderr("");
    }
}

#[test]
fn check_several_good_files_prints_one_line_each() {
    let paths = ["law-firm.ron", "dental-practice.ron", "accounting-firm.ron"].map(sample);
    keyholder()
        .arg("check")
        .args(&paths)
        .assert()
        .code(0)
        .stdout(format!(
            "{}: ok (11 workloads, 3 scenarios)\n{}: ok (5 workloads, 3 scenarios)\n{}: ok (5 workloads, 3 scenarios)\n",
            paths[0].display(),
            paths[1].display(),
            paths[2].display()
        ));
}

#[test]
fn check_wrong_type_reports_file_line_col_and_leaves_the_file_alone() {
    let dir = tempfile::tempdir().expect("tempdir");
    // The first workload's `users: 120,` becomes a string.
    let original = read_text(&sample("law-firm.ron"));
    let line_no = original
        .lines()
        .position(|l| l == "            users: 120,")
        .expect("users line")
        + 1;
    assert_eq!(line_no, 500, "the sample changed; adjust the test");
    let broken = replace_line(&original, line_no, "            users: \"many\",");
    let path = dir.path().join("law-firm.ron");
    std::fs::write(&path, &broken).expect("write");

    let output = keyholder().arg("check").arg(&path).output().expect("run");
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(stdout_of(&output), "");
    let stderr = stderr_of(&output);
    let prefix = format!("{}:500:", path.display());
    assert!(stderr.starts_with(&prefix), "stderr: {stderr}");
    let rest = &stderr[prefix.len()..];
    let (col, message) = rest.split_once(": ").expect("LINE:COL: message");
    let col: usize = col.parse().expect("a column number");
    assert!(
        (1..=30).contains(&col),
        "column {col} on a 26-character line"
    );
    assert!(message.contains("Expected integer"), "stderr: {stderr}");
    assert_eq!(stderr.lines().count(), 1, "one error line: {stderr}");
    assert_eq!(
        read(&path),
        broken.as_bytes(),
        "check must not touch the file"
    );
}

#[test]
fn check_truncated_line_reports_the_exact_line_and_column() {
    let dir = tempfile::tempdir().expect("tempdir");
    let original = read_text(&sample("accounting-firm.ron"));
    // `            storage_gb: 150,` of the first workload, cut after `stor` (16 characters),
    // so the parser expects a colon at column 17.
    let line_no = original
        .lines()
        .position(|l| l == "            storage_gb: 150,")
        .expect("storage line")
        + 1;
    let broken = replace_line(&original, line_no, "            stor");
    let path = dir.path().join("accounting-firm.ron");
    std::fs::write(&path, &broken).expect("write");

    keyholder()
        .arg("check")
        .arg(&path)
        .assert()
        .code(1)
        .stdout("")
        .stderr(predicate::str::starts_with(format!(
            "{}:{line_no}:17: ",
            path.display()
        )));
    assert_eq!(
        read(&path),
        broken.as_bytes(),
        "check must not touch the file"
    );

    // `report` refuses the same file the same way.
    keyholder()
        .args(["report", path_str(&path)])
        .assert()
        .code(1)
        .stdout("")
        .stderr(predicate::str::starts_with(format!(
            "{}:{line_no}:17: ",
            path.display()
        )));
    assert_eq!(read(&path), broken.as_bytes());
}

#[test]
fn check_truncated_file_reports_where_it_ends() {
    let dir = tempfile::tempdir().expect("tempdir");
    let original = read_text(&sample("dental-practice.ron"));
    let first_100: String = original.split_inclusive('\n').take(100).collect();
    let path = dir.path().join("dental-practice.ron");
    std::fs::write(&path, &first_100).expect("write");
    let last_line_len = first_100.lines().last().expect("line").chars().count();
    keyholder()
        .arg("check")
        .arg(&path)
        .assert()
        .code(1)
        .stderr(predicate::str::starts_with(format!(
            "{}:100:{}: ",
            path.display(),
            last_line_len + 1
        )));
    assert_eq!(read(&path), first_100.as_bytes());
}

#[test]
fn check_several_files_with_one_bad_exits_1_and_still_reports_the_good_ones() {
    let dir = tempfile::tempdir().expect("tempdir");
    let bad = copy_sample(
        dir.path(),
        "law-firm.ron",
        &[("        horizon_months: 36,", "        horizon_mon")],
    );
    let bad_bytes = read(&bad);
    let good_a = sample("dental-practice.ron");
    let good_b = sample("accounting-firm.ron");
    let output = keyholder()
        .arg("check")
        .arg(&good_a)
        .arg(&bad)
        .arg(&good_b)
        .output()
        .expect("run");
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(
        stdout_of(&output),
        format!(
            "{}: ok (5 workloads, 3 scenarios)\n{}: ok (5 workloads, 3 scenarios)\n",
            good_a.display(),
            good_b.display()
        )
    );
    // `        horizon_mon` is 19 characters: a colon is expected at column 20 of line 15.
    let stderr = stderr_of(&output);
    assert!(
        stderr.starts_with(&format!("{}:15:20: ", bad.display())),
        "stderr: {stderr}"
    );
    assert!(!stderr.contains(&good_a.display().to_string()));
    assert_eq!(read(&bad), bad_bytes);
}

#[test]
fn check_a_file_that_parses_but_is_invalid_names_the_field() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = copy_sample(
        dir.path(),
        "accounting-firm.ron",
        &[("        horizon_months: 36,", "        horizon_months: 0,")],
    );
    let bytes = read(&path);
    // `PLAN:LINE:COL: field: message`, at the field's name (8 spaces of indent: column 9).
    let line = line_number_of(&read_text(&path), "        horizon_months: 0,");
    keyholder()
        .arg("check")
        .arg(&path)
        .assert()
        .code(1)
        .stdout("")
        .stderr(format!(
            "{}:{line}:9: assumptions.horizon_months: must be from 1 to 120 months (found 0)\n",
            path.display()
        ));
    assert_eq!(read(&path), bytes);
}

#[test]
fn check_a_missing_file_exits_1() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("nowhere.ron");
    keyholder()
        .arg("check")
        .arg(&path)
        .assert()
        .code(1)
        .stdout("")
        .stderr(predicate::str::starts_with(format!(
            "{}: cannot read",
            path.display()
        )));
}

#[test]
fn check_without_a_plan_is_a_usage_error() {
    keyholder()
        .arg("check")
        .assert()
        .code(2)
        .stdout("")
        .stderr(predicate::str::contains("Usage"));
}

// ---------------------------------------------------------------------------------------------
// report
// ---------------------------------------------------------------------------------------------

#[test]
fn report_json_has_exactly_the_documented_keys() {
    let scenario_keys = set(&[
        "name",
        "run_rate_cents",
        "one_time_cents",
        "tco_cents",
        "npv_cents",
        "break_even_month",
        "control_score",
        "msp_monthly_margin_cents",
        "msp_margin_total_cents",
        "partner_fees_total_cents",
    ]);
    let workload_keys = set(&["id", "name", "category", "current", "options"]);
    // The 2010 samples buy every destination pay as you go, without Hybrid Benefit.
    let option_keys = set(&[
        "destination",
        "term",
        "label",
        "monthly_cents",
        "one_time_cents",
        "control",
    ]);
    for (name, workloads) in [
        ("law-firm.ron", 11),
        ("dental-practice.ron", 5),
        ("accounting-firm.ron", 5),
    ] {
        let report = report_json(&sample(name));
        assert_eq!(
            keys(&report),
            set(&[
                "customer",
                "audience",
                "currency",
                "horizon_months",
                "scenarios",
                "workloads"
            ]),
            "{name}"
        );
        assert!(report["customer"].is_string());
        // JSON is for the MSP's tools: internal unless asked otherwise.
        assert_eq!(report["audience"], "internal", "{name}");
        assert_eq!(report["currency"], "USD", "{name}");
        assert_eq!(report["horizon_months"], 36, "{name}");
        let scenarios = report["scenarios"].as_array().expect("scenarios");
        assert_eq!(scenarios.len(), 3, "{name}");
        assert_eq!(scenarios[0]["name"], "Status quo", "{name}");
        for s in scenarios {
            assert_eq!(keys(s), scenario_keys, "{name}: {s}");
            assert!(s["name"].is_string());
            for key in [
                "run_rate_cents",
                "one_time_cents",
                "tco_cents",
                "npv_cents",
                "msp_monthly_margin_cents",
                "msp_margin_total_cents",
            ] {
                assert!(s[key].is_i64(), "{name}: {key} is not an integer: {s}");
            }
            assert!(
                s["break_even_month"].is_null() || s["break_even_month"].is_u64(),
                "{name}: {s}"
            );
            let control = float(&s["control_score"]);
            assert!((0.0..=100.0).contains(&control), "{name}: {s}");
        }
        let status_quo = &scenarios[0];
        assert!(status_quo["break_even_month"].is_null(), "{name}");
        assert_eq!(status_quo["one_time_cents"], 0, "{name}");

        let ws = report["workloads"].as_array().expect("workloads");
        assert_eq!(ws.len(), workloads, "{name}");
        for w in ws {
            assert_eq!(keys(w), workload_keys, "{name}: {w}");
            assert!(w["id"].is_string() && w["name"].is_string() && w["category"].is_string());
            let current = w["current"].as_str().expect("current");
            assert!(DESTINATIONS.contains(&current), "{name}: {current}");
            let options = w["options"].as_array().expect("options");
            assert!(!options.is_empty());
            let mut seen = Vec::new();
            for o in options {
                assert_eq!(keys(o), option_keys, "{name}: {o}");
                let d = o["destination"].as_str().expect("destination");
                assert!(DESTINATIONS.contains(&d), "{name}: {d}");
                seen.push(d);
                assert!(o["monthly_cents"].is_i64() && o["one_time_cents"].is_i64());
                let control = float(&o["control"]);
                assert!((0.0..=100.0).contains(&control));
                if d == current {
                    assert_eq!(
                        o["one_time_cents"], 0,
                        "{name}: moving nowhere costs nothing"
                    );
                }
            }
            assert!(
                seen.contains(&current),
                "{name}: the current destination is an option"
            );
            // Options come in the documented destination order, without repeats.
            let order: Vec<usize> = seen
                .iter()
                .map(|d| DESTINATIONS.iter().position(|x| x == d).expect("known"))
                .collect();
            assert!(order.windows(2).all(|p| p[0] < p[1]), "{name}: {seen:?}");
        }
    }
}

#[test]
fn report_json_figures_match_the_price_book_worked_by_hand() {
    let report = report_json(&sample("law-firm.ron"));
    assert_eq!(report["customer"], "Harlow & Finch LLP");

    // Law firm, price book "Microsoft cloud at launch (2010)" as copied in the file.
    //
    // Exchange (email, 120 users, 2 servers, 650 GB, 40 GB egress) on-premises, line by line:
    //   hardware        125.00 × 2 servers =   250.00
    //   power/space      40.00 × 2         =    80.00
    //   storage          0.40 × 650 GB     =   260.00
    //   backup/security  69.17 × 2         =   138.34
    //   licences         3.00 × 120 users  =   360.00   (email is in the line's categories)
    //   recurring                          = 1,088.34
    //   MSP fee: managed server 150 × 2    =   300.00
    //   monthly                            = 1,388.34  → 138834 cents
    let exchange = workload(&report, "exchange");
    assert_eq!(exchange["category"], "email");
    assert_eq!(exchange["current"], "on_premises");
    let on_prem = option(exchange, "on_premises");
    assert_eq!(on_prem["monthly_cents"], 138_834);
    assert_eq!(on_prem["one_time_cents"], 0);

    // Exchange on BPOS: Exchange Online 5.00 × 120 = 600.00, user administration 2.00 × 120
    // = 240.00 → 840.00 a month. One-time: migration hours 8 per workload + 0.5 × 120 users
    // + 2 × 650/100 GB = 8 + 60 + 13 = 81 h × 125.00 = 10,125.00.
    let bpos = option(exchange, "bpos");
    assert_eq!(bpos["monthly_cents"], 84_000);
    assert_eq!(bpos["one_time_cents"], 1_012_500);
    // The dms needs OS admin and has custom code: no PaaS, no BPOS.
    let dms_destinations: Vec<&str> = workload(&report, "dms")["options"]
        .as_array()
        .expect("options")
        .iter()
        .map(|o| o["destination"].as_str().expect("destination"))
        .collect();
    assert_eq!(
        dms_destinations,
        ["on_premises", "msp_hosted", "azure_iaas"]
    );

    // Control (weights 5,5,25,10,10,15,10,20; sum 100):
    //   BPOS       = (10·30 + 15·40 + 10·20) / 100              = 11.00
    //   Azure IaaS = (5·50 + 25·100 + 10·100 + 10·100 + 15·70 + 10·90 + 20·20) / 100 = 71.00
    //   MSP-hosted = (5·100 + 5·100 + 25·100 + 10·100 + 10·100 + 15·90 + 10·100 + 20·100) / 100
    //              = 98.50
    assert_eq!(float(&bpos["control"]), 11.0);
    assert_eq!(float(&option(exchange, "azure_iaas")["control"]), 71.0);
    assert_eq!(float(&option(exchange, "msp_hosted")["control"]), 98.5);
    assert_eq!(float(&on_prem["control"]), 100.0);

    // Status quo run rate = Σ current monthly. Every on-premises server costs
    // 125 + 40 + 69.17 + 150 = 384.17; storage 0.40/GB; licences 3.00/user for email,
    // collaboration, UC, web conferencing and CRM:
    //   exchange      2 × 384.17 + 260.00 + 360.00 = 1,388.34
    //   sharepoint    384.17 +  60.00 + 360.00     =   804.17
    //   ocs           384.17 +   4.00 + 360.00     =   748.17
    //   live-meeting  384.17 +   8.00 + 120.00     =   512.17
    //   sql           384.17 +  80.00              =   464.17
    //   crm           384.17 +  10.00 + 105.00     =   499.17
    //   dms           2 × 384.17 + 720.00          = 1,488.34
    //   client-portal 384.17 +  16.00              =   400.17
    //   file-server   384.17 + 800.00              = 1,184.17
    //   domain-ctrl   2 × 384.17 + 16.00           =   784.34
    //   backup        384.17 + 1,600.00            = 1,984.17
    //   total                                      = 10,257.38 → 1025738 cents
    let status_quo = scenario(&report, "Status quo");
    assert_eq!(status_quo["run_rate_cents"], 1_025_738);
    let sum_current: i64 = report["workloads"]
        .as_array()
        .expect("workloads")
        .iter()
        .map(|w| int(&option(w, w["current"].as_str().expect("current"))["monthly_cents"]))
        .sum();
    assert_eq!(sum_current, 1_025_738);
    // Growth 0 %: TCO = 36 × 10,257.38 = 369,265.68.
    assert_eq!(status_quo["tco_cents"], 36 * 1_025_738);
    assert_eq!(status_quo["one_time_cents"], 0);
    assert_eq!(status_quo["break_even_month"], Value::Null);
    assert_eq!(float(&status_quo["control_score"]), 100.0);
    // MSP margin: 14 servers × 150.00 fee − 14 × 2 h × 55.00 labour = 2,100 − 1,540 = 560.00 a
    // month; × 36 = 20,160.00.
    assert_eq!(status_quo["msp_monthly_margin_cents"], 56_000);
    assert_eq!(status_quo["msp_margin_total_cents"], 2_016_000);

    // "All collaboration to BPOS": exchange and live-meeting move in month 3, ocs and
    // sharepoint in month 6.
    //   BPOS monthly: exchange 840.00; sharepoint 5.25×120 + 240 = 870.00;
    //   ocs 2×120 + 240 = 480.00; live-meeting 4.5×40 + 2×40 = 260.00.
    //   Run rate = 10,257.38 − (1,388.34 + 804.17 + 748.17 + 512.17) + (840 + 870 + 480 + 260)
    //            = 10,257.38 − 3,452.85 + 2,450.00 = 9,254.53
    //   One-time (hours × 125): exchange 81 h = 10,125.00; live-meeting 8 + 20 + 0.4 = 28.4 h
    //   = 3,550.00; ocs 8 + 60 + 0.2 = 68.2 h = 8,525.00; sharepoint 8 + 60 + 3 = 71 h
    //   = 8,875.00; total 31,075.00.
    //   Months 0–2: 10,257.38; months 3–5: 10,257.38 − 1,388.34 − 512.17 + 840 + 260 = 9,456.87;
    //   months 6–35: 9,254.53.
    //   TCO = 3 × 10,257.38 + 3 × 9,456.87 + 30 × 9,254.53 + 31,075.00 = 367,853.65
    //   Cumulative difference to the status quo: +12,874.49 at month 3, −800.51 a month to
    //   11,273.47 at month 5, +17,400.00 − 1,002.85 = 27,670.62 at month 6, then −1,002.85 a
    //   month: at month 33 it is 594.67 > 0, at month 34 −408.18 ≤ 0 → break-even month 34.
    //   Control: importance 5+2+1+1 on BPOS (11.00), the other 23 at 100:
    //   (9 × 11 + 23 × 100) / 32 = 74.96875 → 74.97.
    let bpos_scenario = scenario(&report, "All collaboration to BPOS");
    assert_eq!(bpos_scenario["run_rate_cents"], 925_453);
    assert_eq!(bpos_scenario["one_time_cents"], 3_107_500);
    assert_eq!(bpos_scenario["tco_cents"], 36_785_365);
    assert_eq!(bpos_scenario["break_even_month"], 34);
    assert_eq!(float(&bpos_scenario["control_score"]), 74.97);
}

#[test]
fn report_scenario_limits_the_report_to_that_scenario() {
    let path = sample("law-firm.ron");
    let full = report_json(&path);
    let one = json_of(&[
        "report",
        path_str(&path),
        "--scenario",
        "All collaboration to BPOS",
        "--format",
        "json",
    ]);
    let scenarios = one["scenarios"].as_array().expect("scenarios");
    assert_eq!(scenarios.len(), 1);
    assert_eq!(scenarios[0], *scenario(&full, "All collaboration to BPOS"));
    assert_eq!(one["workloads"], full["workloads"]);

    // The text report shows the choice of each workload in that scenario.
    keyholder()
        .args([
            "report",
            path_str(&path),
            "--scenario",
            "All collaboration to BPOS",
        ])
        .assert()
        .code(0)
        .stdout(predicate::str::contains(
            "Workloads in \"All collaboration to BPOS\"",
        ))
        .stdout(predicate::str::contains("Keep anything we need admin on").not());
}

#[test]
fn report_unknown_scenario_exits_1_and_lists_the_names() {
    let output = keyholder()
        .args([
            "report",
            path_str(&sample("law-firm.ron")),
            "--scenario",
            "Everything to Azure",
        ])
        .output()
        .expect("run");
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(stdout_of(&output), "");
    let stderr = stderr_of(&output);
    assert!(stderr.contains("\"Everything to Azure\""), "{stderr}");
    for name in LAW_FIRM_SCENARIOS {
        assert!(stderr.contains(&format!("\"{name}\"")), "{name}: {stderr}");
    }
}

#[test]
fn report_every_format_succeeds_and_names_the_customer() {
    let path = sample("law-firm.ron");
    let run = |format: &str| {
        let output = keyholder()
            .args(["report", path_str(&path), "--format", format])
            .output()
            .expect("run");
        assert_eq!(
            output.status.code(),
            Some(0),
            "{format}: {}",
            stderr_of(&output)
        );
        assert_eq!(stderr_of(&output), "", "{format}");
        stdout_of(&output)
    };

    let text = run("text");
    // Text is for the MSP's own use: internal by default, and marked so.
    assert!(
        text.starts_with("INTERNAL: NOT FOR THE CUSTOMER\nHarlow & Finch LLP\n"),
        "{text}"
    );
    assert!(text.contains("Run rate per month"));
    assert!(text.contains("10,257.38 USD"), "status quo run rate");
    // The default format is text.
    keyholder()
        .args(["report", path_str(&path)])
        .assert()
        .code(0)
        .stdout(text.clone());

    let markdown = run("markdown");
    assert!(markdown.starts_with("# Harlow & Finch LLP\n"), "{markdown}");
    assert!(markdown.contains("| Run rate per month | 10,257.38 USD |"));

    let html = run("html");
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(html.contains("<h1>Harlow &amp; Finch LLP</h1>"), "{html}");
    assert!(html.contains("<td>10,257.38 USD</td>"));
    assert!(html.trim_end().ends_with("</html>"));

    let csv = run("csv");
    assert!(csv.starts_with("customer,scenario,run_rate_cents,one_time_cents,tco_cents,"));
    assert!(
        csv.contains("\nHarlow & Finch LLP,Status quo,1025738,0,36926568,"),
        "{csv}"
    );
    assert!(
        csv.contains("\nexchange,Exchange 2007,email,on_premises,on_premises,138834,0,100.00\n")
    );
    assert!(csv.contains("\nexchange,Exchange 2007,email,on_premises,bpos,84000,1012500,11.00\n"));
}

#[test]
fn report_html_and_markdown_escape_a_hostile_customer_name() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = copy_sample(
        dir.path(),
        "law-firm.ron",
        &[
            (
                "        name: \"Harlow & Finch LLP\",",
                "        name: \"<script>alert(1)</script>\",",
            ),
            (
                "            name: \"Exchange 2007\",",
                "            name: \"<img src=x onerror=alert(2)>\",",
            ),
        ],
    );
    keyholder().arg("check").arg(&path).assert().code(0);

    let html = keyholder()
        .args(["report", path_str(&path), "--format", "html"])
        .output()
        .expect("run");
    assert_eq!(html.status.code(), Some(0));
    let html = stdout_of(&html);
    assert!(
        html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
        "{html}"
    );
    assert!(!html.contains("<script"), "unescaped script tag:\n{html}");
    assert!(html.contains("&lt;img src=x onerror=alert(2)&gt;"));
    assert!(!html.contains("<img"));

    let markdown = keyholder()
        .args(["report", path_str(&path), "--format", "markdown"])
        .output()
        .expect("run");
    assert_eq!(markdown.status.code(), Some(0));
    let markdown = stdout_of(&markdown);
    // CommonMark backslash escapes: `\<` renders as a literal `<`, never as a tag.
    assert!(
        markdown.starts_with("# \\<script\\>alert(1)\\</script\\>\n"),
        "{markdown}"
    );
    assert!(
        markdown.contains("\\<img src=x onerror=alert(2)\\>"),
        "{markdown}"
    );
    assert!(!markdown.contains("<script>"), "{markdown}");
}

#[test]
fn report_csv_neutralises_cells_that_start_a_formula() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = copy_sample(
        dir.path(),
        "law-firm.ron",
        &[
            (
                "            name: \"Exchange 2007\",",
                "            name: \"=HYPERLINK(\\\"http://evil.example\\\",\\\"Mail\\\")\",",
            ),
            (
                "            name: \"SQL Server 2005\",",
                "            name: \"-2+3\",",
            ),
            (
                "            name: \"All collaboration to BPOS\",",
                "            name: \"@SUM(A1:A9)\",",
            ),
        ],
    );
    keyholder().arg("check").arg(&path).assert().code(0);
    let output = keyholder()
        .args(["report", path_str(&path), "--format", "csv"])
        .output()
        .expect("run");
    assert_eq!(output.status.code(), Some(0), "{}", stderr_of(&output));

    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(output.stdout.as_slice());
    let rows: Vec<Vec<String>> = reader
        .records()
        .map(|r| r.expect("valid CSV").iter().map(str::to_owned).collect())
        .collect();
    let scenario_names: Vec<&str> = rows
        .iter()
        .skip(1)
        .take_while(|r| r.len() > 1)
        .map(|r| r[1].as_str())
        .collect();
    assert_eq!(
        scenario_names,
        [
            "Status quo",
            "'@SUM(A1:A9)",
            "Keep anything we need admin on"
        ]
    );
    let header = rows
        .iter()
        .position(|r| r.first().is_some_and(|c| c == "workload_id"))
        .expect("workload header");
    let names_of = |id: &str| -> BTreeSet<String> {
        rows[header + 1..]
            .iter()
            .filter(|r| r[0] == id)
            .map(|r| r[1].clone())
            .collect()
    };
    assert_eq!(
        names_of("exchange"),
        BTreeSet::from(["'=HYPERLINK(\"http://evil.example\",\"Mail\")".to_owned()])
    );
    assert_eq!(names_of("sql"), BTreeSet::from(["'-2+3".to_owned()]));
    // No text cell starts a formula.
    for row in &rows[header + 1..] {
        for cell in &row[..5] {
            assert!(
                !cell.starts_with(['=', '+', '-', '@']),
                "formula cell {cell:?} in {row:?}"
            );
        }
    }
}

// ---------------------------------------------------------------------------------------------
// optimize
// ---------------------------------------------------------------------------------------------

/// What the brute-force check needs of a plan: per workload, per allowed destination,
/// (cost in cents under the metric, control in hundredths of a point), and the importance.
struct Choices {
    options: Vec<Vec<(i64, i64)>>,
    importance: Vec<i64>,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Metric {
    /// Only when growth is 0 % and every move is at month 0: horizon × monthly + one-time.
    Tco,
    RunRate,
}

fn choices(plan: &Path, metric: Metric) -> Choices {
    let report = report_json(plan);
    let horizon = int(&report["horizon_months"]);
    let options = report["workloads"]
        .as_array()
        .expect("workloads")
        .iter()
        .map(|w| {
            w["options"]
                .as_array()
                .expect("options")
                .iter()
                .map(|o| {
                    let monthly = int(&o["monthly_cents"]);
                    let cost = match metric {
                        Metric::Tco => horizon * monthly + int(&o["one_time_cents"]),
                        Metric::RunRate => monthly,
                    };
                    // Controls of the default model have at most two decimals.
                    #[expect(clippy::cast_possible_truncation, reason = "0 to 10,000")]
                    let control = (float(&o["control"]) * 100.0).round() as i64;
                    (cost, control)
                })
                .collect()
        })
        .collect::<Vec<Vec<(i64, i64)>>>();
    // Importance by criticality: low 1, medium 2, high 3, critical 5 (PRODUCT.md section 2).
    let importance: Vec<i64> = read_text(plan)
        .lines()
        .filter_map(|l| l.trim().strip_prefix("criticality: "))
        .map(|c| match c.trim_end_matches(',') {
            "low" => 1,
            "medium" => 2,
            "high" => 3,
            "critical" => 5,
            other => panic!("criticality {other}"),
        })
        .collect();
    assert_eq!(importance.len(), options.len());
    Choices {
        options,
        importance,
    }
}

/// Every assignment as (cost, Σ importance × control hundredths).
fn every_assignment(choices: &Choices) -> Vec<(i64, i64)> {
    fn walk(c: &Choices, index: usize, cost: i64, control: i64, out: &mut Vec<(i64, i64)>) {
        if index == c.options.len() {
            out.push((cost, control));
            return;
        }
        for &(option_cost, option_control) in &c.options[index] {
            walk(
                c,
                index + 1,
                cost + option_cost,
                control + c.importance[index] * option_control,
                out,
            );
        }
    }
    let mut out = Vec::new();
    walk(choices, 0, 0, 0, &mut out);
    out
}

/// The plans no other plan beats on both cost and control, cheapest first.
fn pareto(mut plans: Vec<(i64, i64)>) -> Vec<(i64, i64)> {
    plans.sort_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)));
    let mut frontier: Vec<(i64, i64)> = Vec::new();
    for plan in plans {
        if frontier.last().is_none_or(|last| plan.1 > last.1) {
            frontier.push(plan);
        }
    }
    frontier
}

fn score(control_sum: i64, importance_sum: i64) -> f64 {
    control_sum as f64 / importance_sum as f64 / 100.0
}

fn money(cents: i64) -> String {
    format!("{}.{:02}", cents / 100, cents % 100)
}

/// The CLI frontier, cheapest-plan answers and most-control answers against a brute force
/// over every assignment of allowed destinations.
fn assert_optimizer_matches_brute_force(name: &str, metric: Metric) {
    let path = sample(name);
    let choices = choices(&path, metric);
    let importance_sum: i64 = choices.importance.iter().sum();
    let all = every_assignment(&choices);
    let expected_count: usize = choices.options.iter().map(Vec::len).product();
    assert_eq!(all.len(), expected_count);
    let frontier = pareto(all);

    let metric_arg = match metric {
        Metric::Tco => "tco",
        Metric::RunRate => "run-rate",
    };
    let cost_key = match metric {
        Metric::Tco => "tco_cents",
        Metric::RunRate => "run_rate_cents",
    };
    let cli = json_of(&[
        "optimize",
        path_str(&path),
        "--frontier",
        "--metric",
        metric_arg,
        "--format",
        "json",
    ]);
    assert_eq!(cli["metric"], metric_arg);
    let points = cli["frontier"].as_array().expect("frontier");
    assert_eq!(
        points.len(),
        frontier.len(),
        "{name}: frontier size; CLI {points:?}"
    );
    for (point, &(cost, control)) in points.iter().zip(&frontier) {
        assert_eq!(int(&point["cost_cents"]), cost, "{name}: {point}");
        let expected = score(control, importance_sum);
        assert!(
            (float(&point["control_score"]) - expected).abs() <= 0.005 + 1e-9,
            "{name}: {point} vs control {expected}"
        );
    }

    // "The cheapest plan whose control is at least X" for a range of X.
    for min in [0_u8, 50, 72, 75, 80, 85, 90, 95, 98, 99, 100] {
        let best = frontier
            .iter()
            .find(|&&(_, control)| control >= i64::from(min) * 100 * importance_sum)
            .expect("control 100 is always reachable in the samples");
        let answer = json_of(&[
            "optimize",
            path_str(&path),
            "--min-control",
            &min.to_string(),
            "--metric",
            metric_arg,
            "--format",
            "json",
        ]);
        assert_eq!(
            int(&answer[cost_key]),
            best.0,
            "{name}: --min-control {min}"
        );
        assert!(float(&answer["control_score"]) >= f64::from(min) - 1e-9);
    }

    // "The most control for at most Y", at and just below a few frontier costs.
    let picks = [
        0,
        frontier.len() / 3,
        frontier.len() / 2,
        frontier.len() - 1,
    ];
    for &i in &picks {
        let (cost, control) = frontier[i];
        for (budget, expected) in [(cost, Some(control)), (cost - 1, None)] {
            let expected = expected.or_else(|| i.checked_sub(1).map(|j| frontier[j].1));
            let output = keyholder()
                .args([
                    "optimize",
                    path_str(&path),
                    "--max-cost",
                    &money(budget),
                    "--metric",
                    metric_arg,
                    "--format",
                    "json",
                ])
                .output()
                .expect("run");
            match expected {
                Some(control) => {
                    assert_eq!(output.status.code(), Some(0), "{}", stderr_of(&output));
                    let answer: Value = serde_json::from_slice(&output.stdout).expect("json");
                    assert!(int(&answer[cost_key]) <= budget, "{name}: {answer}");
                    let expected = score(control, importance_sum);
                    assert!(
                        (float(&answer["control_score"]) - expected).abs() <= 0.005 + 1e-9,
                        "{name}: --max-cost {}: {answer} vs {expected}",
                        money(budget)
                    );
                }
                None => {
                    assert_eq!(output.status.code(), Some(1), "{name}: below the cheapest");
                }
            }
        }
    }
}

#[test]
fn optimize_matches_a_brute_force_search_on_the_accounting_firm() {
    // Growth 0 %: TCO is additive per workload. 1 × 1 × 4 × 4 × 3 = 48 assignments.
    assert_optimizer_matches_brute_force("accounting-firm.ron", Metric::Tco);
    assert_optimizer_matches_brute_force("accounting-firm.ron", Metric::RunRate);
}

#[test]
fn optimize_matches_a_brute_force_search_on_the_law_firm() {
    // 4^8 × 3^3 = 1,769,472 assignments.
    assert_optimizer_matches_brute_force("law-firm.ron", Metric::Tco);
}

#[test]
fn optimize_matches_a_brute_force_search_on_the_dental_practice_run_rate() {
    // Growth 3 % makes TCO non-additive; the run rate always is.
    assert_optimizer_matches_brute_force("dental-practice.ron", Metric::RunRate);
}

#[test]
fn optimize_min_control_prints_an_answer_with_enough_control() {
    let path = sample("law-firm.ron");
    let output = keyholder()
        .args(["optimize", path_str(&path), "--min-control", "70"])
        .output()
        .expect("run");
    assert_eq!(output.status.code(), Some(0), "{}", stderr_of(&output));
    let text = stdout_of(&output);
    assert!(
        text.starts_with("Cheapest plan with control at least 70 (TCO over 36 months"),
        "{text}"
    );
    // Second line: `  control 71.00, TCO …`.
    let control: f64 = text
        .lines()
        .nth(1)
        .and_then(|line| line.strip_prefix("  control "))
        .and_then(|rest| rest.split(',').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("no control figure in:\n{text}"));
    assert!(control >= 70.0, "{text}");
    assert!(text.contains("Moves:"), "{text}");

    let json = json_of(&[
        "optimize",
        path_str(&path),
        "--min-control",
        "70",
        "--format",
        "json",
    ]);
    for key in ["assignment", "tco_cents", "run_rate_cents", "control_score"] {
        assert!(!json[key].is_null(), "{key} missing: {json}");
    }
    assert!(float(&json["control_score"]) >= 70.0);
    assert!((float(&json["control_score"]) - control).abs() < 0.005);
    let assignment = json["assignment"].as_object().expect("assignment");
    let report = report_json(&path);
    let ids: BTreeSet<&str> = report["workloads"]
        .as_array()
        .expect("workloads")
        .iter()
        .map(|w| w["id"].as_str().expect("id"))
        .collect();
    assert_eq!(
        assignment
            .keys()
            .map(String::as_str)
            .collect::<BTreeSet<_>>(),
        ids
    );
    for (id, destination) in assignment {
        let destination = destination.as_str().expect("destination");
        // Only allowed destinations are ever offered.
        option(workload(&report, id), destination);
    }
    // The answer's TCO is the one the plan would have with those choices (moves at month 0,
    // growth 0): Σ 36 × monthly + one-time.
    let tco: i64 = assignment
        .iter()
        .map(|(id, d)| {
            let o = option(workload(&report, id), d.as_str().expect("destination"));
            36 * int(&o["monthly_cents"]) + int(&o["one_time_cents"])
        })
        .sum();
    assert_eq!(int(&json["tco_cents"]), tco);
    let run_rate: i64 = assignment
        .iter()
        .map(|(id, d)| int(&option(workload(&report, id), d.as_str().expect("d"))["monthly_cents"]))
        .sum();
    assert_eq!(int(&json["run_rate_cents"]), run_rate);
}

#[test]
fn optimize_max_cost_with_run_rate_stays_within_the_budget() {
    let path = sample("law-firm.ron");
    let json = json_of(&[
        "optimize",
        path_str(&path),
        "--max-cost",
        "9000",
        "--metric",
        "run-rate",
        "--format",
        "json",
    ]);
    assert_eq!(json["metric"], "run-rate");
    let run_rate = int(&json["run_rate_cents"]);
    assert!(run_rate <= 900_000, "{json}");
    // The status quo costs 10,257.38 a month: something has to move, so control is below 100,
    // and all on Azure IaaS (71.00) is affordable, so it is at least 71.
    let control = float(&json["control_score"]);
    assert!((71.0..100.0).contains(&control), "{json}");
    assert!(json["assignment"].as_object().expect("assignment").len() == 11);

    keyholder()
        .args([
            "optimize",
            path_str(&path),
            "--max-cost",
            "9000",
            "--metric",
            "run-rate",
        ])
        .assert()
        .code(0)
        .stdout(predicate::str::starts_with(
            "Most control with run rate per month at most 9,000.00 USD",
        ));
}

#[test]
fn optimize_frontier_is_ascending_in_control_and_cost() {
    let json = json_of(&[
        "optimize",
        path_str(&sample("law-firm.ron")),
        "--frontier",
        "--format",
        "json",
    ]);
    assert!(
        json["assignment"].is_null(),
        "no question, no answer: {json}"
    );
    let points = json["frontier"].as_array().expect("frontier");
    assert!(points.len() >= 2, "{json}");
    for pair in points.windows(2) {
        assert!(
            float(&pair[0]["control_score"]) < float(&pair[1]["control_score"]),
            "{pair:?}"
        );
        assert!(
            int(&pair[0]["cost_cents"]) < int(&pair[1]["cost_cents"]),
            "{pair:?}"
        );
    }
    // Control 100 only with everything on-premises: the status quo, 36 × 10,257.38.
    let last = points.last().expect("point");
    assert_eq!(float(&last["control_score"]), 100.0);
    assert_eq!(int(&last["cost_cents"]), 36_926_568);

    keyholder()
        .args(["optimize", path_str(&sample("law-firm.ron")), "--frontier"])
        .assert()
        .code(0)
        .stdout(predicate::str::contains(format!(
            "Frontier ({} points, control ascending):",
            points.len()
        )))
        .stdout(predicate::str::contains("100.00  369,265.68 USD"));
}

#[test]
fn optimize_impossible_questions_exit_1_with_a_message() {
    let path = sample("law-firm.ron");
    keyholder()
        .args(["optimize", path_str(&path), "--min-control", "101"])
        .assert()
        .code(1)
        .stdout("")
        .stderr(predicate::str::contains("--min-control").and(predicate::str::contains("101")));
    keyholder()
        .args(["optimize", path_str(&path), "--min-control", "lots"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("'lots' is not a number"));
    // The cheapest plan (everything on Azure IaaS) costs 186,493.15 over 36 months.
    keyholder()
        .args(["optimize", path_str(&path), "--max-cost", "1"])
        .assert()
        .code(1)
        .stdout("")
        .stderr(
            predicate::str::contains("no plan costs at most 1.00 USD")
                .and(predicate::str::contains("186,493.15 USD")),
        );
    keyholder()
        .args(["optimize", path_str(&path), "--max-cost", "cheap"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("--max-cost"));
}

#[test]
fn optimize_save_as_adds_the_answer_as_a_scenario() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = copy_sample(dir.path(), "law-firm.ron", &[]);
    let output = keyholder()
        .args([
            "optimize",
            path_str(&path),
            "--min-control",
            "80",
            "--save-as",
            "Optimized for 80",
            "--format",
            "json",
        ])
        .output()
        .expect("run");
    assert_eq!(output.status.code(), Some(0), "{}", stderr_of(&output));
    assert!(stderr_of(&output).contains("saved scenario \"Optimized for 80\""));
    let answer: Value = serde_json::from_slice(&output.stdout).expect("json");

    keyholder()
        .arg("check")
        .arg(&path)
        .assert()
        .code(0)
        .stdout(format!(
            "{}: ok (11 workloads, 4 scenarios)\n",
            path.display()
        ));
    let report = json_of(&[
        "report",
        path_str(&path),
        "--scenario",
        "Optimized for 80",
        "--format",
        "json",
    ]);
    let saved = &report["scenarios"][0];
    assert_eq!(saved["name"], "Optimized for 80");
    assert_eq!(saved["tco_cents"], answer["tco_cents"]);
    assert_eq!(saved["run_rate_cents"], answer["run_rate_cents"]);
    assert_eq!(saved["control_score"], answer["control_score"]);
    assert!(float(&saved["control_score"]) >= 80.0);

    // The file keeps the other scenarios and notes the change in its history.
    let text = read_text(&path);
    for name in LAW_FIRM_SCENARIOS {
        assert!(text.contains(&format!("name: \"{name}\"")));
    }
    assert!(text.contains("Added scenario \\\"Optimized for 80\\\" with keyholder optimize"));
}

#[test]
fn optimize_save_as_an_existing_name_exits_1_and_leaves_the_file_alone() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = copy_sample(dir.path(), "law-firm.ron", &[]);
    let before = read(&path);
    keyholder()
        .args([
            "optimize",
            path_str(&path),
            "--min-control",
            "80",
            "--save-as",
            "Status quo",
        ])
        .assert()
        .code(1)
        .stdout("")
        .stderr(predicate::str::contains(
            "a scenario named \"Status quo\" already exists",
        ));
    assert_eq!(read(&path), before);

    // No answer, nothing saved either.
    keyholder()
        .args([
            "optimize",
            path_str(&path),
            "--max-cost",
            "1",
            "--save-as",
            "Too cheap",
        ])
        .assert()
        .code(1);
    assert_eq!(read(&path), before);
}

#[test]
fn optimize_save_as_a_name_that_only_differs_by_spaces_is_refused() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = copy_sample(dir.path(), "accounting-firm.ron", &[]);
    let before = read(&path);
    keyholder()
        .args([
            "optimize",
            path_str(&path),
            "--min-control",
            "90",
            "--save-as",
            "Status quo ",
        ])
        .assert()
        .code(1);
    assert_eq!(read(&path), before);
    keyholder().arg("check").arg(&path).assert().code(0);
}

#[test]
fn optimize_save_as_a_blank_name_is_refused() {
    for name in ["", "   "] {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = copy_sample(dir.path(), "accounting-firm.ron", &[]);
        let before = read(&path);
        let output = keyholder()
            .args([
                "optimize",
                path_str(&path),
                "--min-control",
                "90",
                "--save-as",
                name,
            ])
            .output()
            .expect("run");
        assert_ne!(output.status.code(), Some(0), "{name:?}");
        assert_eq!(read(&path), before, "{name:?}");
    }
}

#[test]
fn optimize_save_as_without_a_question_is_refused() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = copy_sample(dir.path(), "accounting-firm.ron", &[]);
    let before = read(&path);
    keyholder()
        .args([
            "optimize",
            path_str(&path),
            "--frontier",
            "--save-as",
            "Frontier",
        ])
        .assert()
        .failure()
        .stderr(predicate::str::is_empty().not());
    assert_eq!(read(&path), before);
}

#[test]
fn optimize_without_a_question_is_a_usage_error() {
    let path = sample("law-firm.ron");
    keyholder()
        .args(["optimize", path_str(&path)])
        .assert()
        .code(2)
        .stdout("")
        .stderr(predicate::str::contains("--min-control"));
    keyholder()
        .args([
            "optimize",
            path_str(&path),
            "--min-control",
            "50",
            "--max-cost",
            "1000",
        ])
        .assert()
        .code(2)
        .stdout("");
}

// ---------------------------------------------------------------------------------------------
// import
// ---------------------------------------------------------------------------------------------

#[test]
fn import_azure_migrate_template_reports_the_bad_row_and_imports_the_rest() {
    let dir = tempfile::tempdir().expect("tempdir");
    let csv = fixture("inventory/azure-migrate.csv");
    let plan = dir.path().join("contoso.ron");
    let output = keyholder()
        .arg("import")
        .arg(&csv)
        .arg("-o")
        .arg(&plan)
        .args(["--customer", "Contoso Dental", "--start-month", "2010-04"])
        .output()
        .expect("run");
    // A rejected row makes the exit status 1, but the rest is imported and the plan written.
    assert_eq!(output.status.code(), Some(1), "{}", stderr_of(&output));
    let stderr = stderr_of(&output);
    // BADBOX is on line 4 of the fixture. EXCH01 is email, which the 2010 book prices per
    // user on-premises (licences), MSP-hosted (SPLA) and on BPOS (Exchange Online): with the
    // 0 users of an import those look cheaper than they are.
    assert_eq!(
        stderr,
        format!(
            "{}:4: \"Cores\" is not a number: \"abc\"\n\
             {}: warning: workloads[0] \"EXCH01, mail server\".users: 0 users, but On-premises, MSP-hosted and BPOS charge per user for email workloads, so they look cheaper than they really would be; enter how many people use this workload\n",
            csv.display(),
            plan.display()
        ),
    );
    assert_eq!(
        stdout_of(&output),
        format!(
            "{}: created with 4 workloads from {}: 5 rows read, 4 imported, 1 rejected (UTF-8, comma-separated)\n",
            plan.display(),
            csv.display()
        )
    );

    keyholder()
        .arg("check")
        .arg(&plan)
        .assert()
        .code(0)
        .stdout(format!(
            "{}: ok (4 workloads, 1 scenario)\n",
            plan.display()
        ));

    let report = report_json(&plan);
    assert_eq!(report["customer"], "Contoso Dental");
    assert_eq!(report["horizon_months"], 36);
    let names: Vec<(&str, &str, &str, &str)> = report["workloads"]
        .as_array()
        .expect("workloads")
        .iter()
        .map(|w| {
            (
                w["id"].as_str().expect("id"),
                w["name"].as_str().expect("name"),
                w["category"].as_str().expect("category"),
                w["current"].as_str().expect("current"),
            )
        })
        .collect();
    assert_eq!(
        names,
        [
            (
                "exch01-mail-server",
                "EXCH01, mail server",
                "email",
                "on_premises"
            ),
            ("sql02", "SQL02", "database", "on_premises"),
            (
                "dc01-primary",
                "DC01 \"primary\"",
                "directory",
                "on_premises"
            ),
            ("web-portal", "web-portal", "web_application", "on_premises"),
        ]
    );

    // Storage = sum of the disks: EXCH01 100 + 250.5 + 49.25 = 399.75 GB; SQL02 200 + 300
    // = 500; DC01 40; web-portal 30 + 20.5 = 50.5. Servers 1, users 0 (section 7).
    let text = read_text(&plan);
    let storage: Vec<&str> = text
        .lines()
        .filter_map(|l| l.trim().strip_prefix("storage_gb: "))
        .collect();
    assert_eq!(storage, ["399.75,", "500,", "40,", "50.5,"]);
    assert_eq!(text.matches("            servers: 1,\n").count(), 4);
    assert_eq!(text.matches("            users: 0,\n").count(), 4);
    assert!(text.contains("name: \"Microsoft cloud at launch (2010)\""));
    assert!(text.contains("start_month: \"2010-04\""));

    // The storage shows in the price. EXCH01 on-premises, 1 server, 399.75 GB, 0 users:
    //   125.00 + 40.00 + 0.40 × 399.75 (= 159.90) + 69.17 + 3.00 × 0 + managed 150.00
    //   = 544.07 → 54407 cents.
    // On Azure IaaS: 0.12 × 730 h = 87.60; 0.15 × 399.75 = 59.9625 → 59.96; egress 0;
    //   managed VM 120.00 → 267.56.
    let exch = workload(&report, "exch01-mail-server");
    assert_eq!(option(exch, "on_premises")["monthly_cents"], 54_407);
    assert_eq!(option(exch, "azure_iaas")["monthly_cents"], 26_756);
    // web-portal on-premises: 384.17 + 0.40 × 50.5 (= 20.20) = 404.37.
    assert_eq!(
        option(workload(&report, "web-portal"), "on_premises")["monthly_cents"],
        40_437
    );
    // Status quo = 4 × 384.17 + 0.40 × (399.75 + 500 + 40 + 50.5)
    //            = 1,536.68 + 159.90 + 200.00 + 16.00 + 20.20 = 1,932.78.
    let status_quo = scenario(&report, "Status quo");
    assert_eq!(status_quo["run_rate_cents"], 193_278);
    assert_eq!(report["scenarios"].as_array().expect("scenarios").len(), 1);
}

#[test]
fn import_a_clean_inventory_exits_0() {
    let dir = tempfile::tempdir().expect("tempdir");
    let csv = fixture("inventory/azure-migrate-clean.csv");
    let plan = dir.path().join("clean.ron");
    keyholder()
        .arg("import")
        .arg(&csv)
        .arg("-o")
        .arg(&plan)
        .assert()
        .code(0)
        .stderr("")
        .stdout(format!(
            "{}: created with 2 workloads from {}: 2 rows read, 2 imported, 0 rejected (UTF-8, comma-separated)\n",
            plan.display(),
            csv.display()
        ));
    keyholder()
        .arg("check")
        .arg(&plan)
        .assert()
        .code(0)
        .stdout(format!(
            "{}: ok (2 workloads, 1 scenario)\n",
            plan.display()
        ));
    let report = report_json(&plan);
    // Without --customer the customer is named after the file.
    assert_eq!(report["customer"], "azure-migrate-clean");
    assert_eq!(workload(&report, "fs01")["category"], "file_server");
    assert_eq!(
        workload(&report, "app01-sage-accounts")["name"],
        "APP01 (Sage, accounts)"
    );
    // FS01: 500 + 1,500 GB = 2,000 GB → 384.17 + 0.40 × 2,000 = 1,184.17 on-premises.
    assert_eq!(
        option(workload(&report, "fs01"), "on_premises")["monthly_cents"],
        118_417
    );
}

#[test]
fn import_never_overwrites_an_existing_file() {
    let dir = tempfile::tempdir().expect("tempdir");
    let plan = dir.path().join("existing.ron");
    std::fs::write(&plan, "keep me\n").expect("write");
    keyholder()
        .arg("import")
        .arg(fixture("inventory/azure-migrate-clean.csv"))
        .arg("-o")
        .arg(&plan)
        .assert()
        .code(1)
        .stdout("")
        .stderr(predicate::str::contains("already exists"));
    assert_eq!(read(&plan), b"keep me\n");
}

#[test]
fn import_without_a_mandatory_column_names_it_and_writes_nothing() {
    let dir = tempfile::tempdir().expect("tempdir");
    let csv = fixture("inventory/missing-memory-column.csv");
    let plan = dir.path().join("never.ron");
    keyholder()
        .arg("import")
        .arg(&csv)
        .arg("-o")
        .arg(&plan)
        .assert()
        .code(1)
        .stdout("")
        .stderr(
            predicate::str::starts_with(csv.display().to_string())
                .and(predicate::str::contains("\"*Memory (In MB)\"")),
        );
    assert!(!plan.exists());
}

#[test]
fn import_with_a_bad_start_month_exits_1_and_writes_nothing() {
    let dir = tempfile::tempdir().expect("tempdir");
    let plan = dir.path().join("never.ron");
    keyholder()
        .arg("import")
        .arg(fixture("inventory/azure-migrate-clean.csv"))
        .arg("-o")
        .arg(&plan)
        .args(["--start-month", "2010-13"])
        .assert()
        .code(1)
        .stdout("")
        .stderr(predicate::str::starts_with("--start-month: "));
    assert!(!plan.exists());
}

#[test]
fn import_counts_lines_inside_quoted_fields() {
    let dir = tempfile::tempdir().expect("tempdir");
    let csv = dir.path().join("inventory.csv");
    // Line 2–3: one record whose OS name spans two lines; line 4: a bad row; line 5: fine.
    std::fs::write(
        &csv,
        "*Server Name,*Cores,*Memory (In MB),*OS name\n\
         WEB01,2,4096,\"Windows Server 2008\nR2 Enterprise\"\n\
         APP02,0,4096,Windows Server 2008\n\
         APP03,2,4096,Windows Server 2008\n",
    )
    .expect("write");
    let plan = dir.path().join("plan.ron");
    keyholder()
        .arg("import")
        .arg(&csv)
        .arg("-o")
        .arg(&plan)
        .assert()
        .code(1)
        .stderr(predicate::str::starts_with(format!(
            "{}:4: ",
            csv.display()
        )));
    keyholder()
        .arg("check")
        .arg(&plan)
        .assert()
        .code(0)
        .stdout(predicate::str::contains("ok (2 workloads, 1 scenario)"));
}

#[test]
fn import_line_numbers_with_crlf_line_endings() {
    let dir = tempfile::tempdir().expect("tempdir");
    let csv = dir.path().join("excel.csv");
    std::fs::write(
        &csv,
        "\u{feff}*Server Name,*Cores,*Memory (In MB),*OS name\r\n\
         A1,1,1024,Windows\r\n\
         B2,-1,1024,Windows\r\n\
         C3,2,1024,Windows\r\n\
         D4,2.5,1024,Windows\r\n",
    )
    .expect("write");
    keyholder()
        .arg("import")
        .arg(&csv)
        .arg("-o")
        .arg(dir.path().join("plan.ron"))
        .assert()
        .code(1)
        .stderr(format!(
            "{0}:3: \"Cores\" is negative: -1\n{0}:5: \"Cores\" must be a whole number above 0, not 2.5\n",
            csv.display()
        ));
}

#[test]
fn import_line_numbers_after_a_blank_line() {
    let dir = tempfile::tempdir().expect("tempdir");
    let csv = dir.path().join("gaps.csv");
    std::fs::write(
        &csv,
        "*Server Name,*Cores,*Memory (In MB),*OS name\nA1,1,1024,Windows\n\nB2,x,1024,Windows\n",
    )
    .expect("write");
    keyholder()
        .arg("import")
        .arg(&csv)
        .arg("-o")
        .arg(dir.path().join("plan.ron"))
        .assert()
        .code(1)
        .stderr(predicate::str::starts_with(format!(
            "{}:4: ",
            csv.display()
        )));
}

// ---------------------------------------------------------------------------------------------
// usage errors
// ---------------------------------------------------------------------------------------------

#[test]
fn usage_errors_exit_2() {
    let plan = sample("law-firm.ron");
    let plan = path_str(&plan);
    let cases: [&[&str]; 9] = [
        &["frobnicate", plan],
        &["check", "--bogus", plan],
        &["report", plan, "--format", "docx"],
        &["report", plan, "--audience", "everyone"],
        &["report", plan, "--bogus"],
        &["optimize", plan, "--frontier", "--format", "csv"],
        &["optimize", plan, "--frontier", "--metric", "npv"],
        &["import", "inventory.csv"],
        &["report"],
    ];
    for args in cases {
        keyholder()
            .args(args)
            .assert()
            .code(2)
            .stdout("")
            .stderr(predicate::str::is_empty().not());
    }
}

#[test]
fn help_lists_every_command() {
    let output = keyholder().arg("--help").output().expect("run");
    assert_eq!(output.status.code(), Some(0));
    let help = stdout_of(&output);
    for command in ["check", "report", "chart", "optimize", "import"] {
        assert!(help.contains(command), "{command}: {help}");
    }
}

#[test]
fn the_law_firm_on_the_2026_book_shows_what_each_term_does() {
    let report = report_json(&sample("law-firm-2026.ron"));
    let scenario = |name: &str| -> Value {
        report["scenarios"]
            .as_array()
            .expect("scenarios")
            .iter()
            .find(|s| s["name"] == name)
            .cloned()
            .expect(name)
    };
    let payg = scenario("Azure IaaS pay as you go");
    let reserved = scenario("Azure IaaS 3-year reservation");
    let hybrid = scenario("Azure IaaS Hybrid Benefit");
    // Nine servers' compute on 3-year reservations from month 6: 70.08 × 38 % = 26.63 a
    // server-month, paid upfront for the 30 months left: 9 × 26.63 × 30 = 7,190.10; the
    // run rate falls by 9 × (70.08 − 26.63) = 391.05.
    assert_eq!(reserved["upfront_cents"], 719_010);
    assert_eq!(
        payg["run_rate_cents"].as_i64().expect("run rate")
            - reserved["run_rate_cents"].as_i64().expect("run rate"),
        39_105
    );
    // Committed after the 36 months: the reservation's last 6 months (9 × 26.63 × 6 =
    // 1,438.02) and Microsoft 365's annual term from month 3, renewed in month 27, 3 months
    // past the horizon at (7.00 + 7.00) × 120 users × 105 % = 1,764.00 a month: 5,292.00.
    assert_eq!(reserved["commitment_past_horizon_cents"], 673_002);
    assert_eq!(payg["commitment_past_horizon_cents"], 529_200);
    // Partner-earned credit (15 %) is lost on the reserved compute: 15 % of 9 × 70.08 =
    // 94.61 a month (each workload's credit rounded on its own: 94.62) for 30 months =
    // 2,838.60 less.
    assert_eq!(
        payg["partner_fees_total_cents"].as_i64().expect("fees")
            - reserved["partner_fees_total_cents"].as_i64().expect("fees"),
        283_860
    );
    // Hybrid Benefit removes the Windows licence: 9 × 0.092 × 730 = 604.44 a month.
    assert_eq!(
        payg["run_rate_cents"].as_i64().expect("run rate")
            - hybrid["run_rate_cents"].as_i64().expect("run rate"),
        60_444
    );
    assert!(
        hybrid.get("upfront_cents").is_none(),
        "nothing paid upfront"
    );

    // The optimizer answers with terms.
    let output = crate::keyholder()
        .args(["optimize", "--min-control", "70", "--format", "json"])
        .arg(sample("law-firm-2026.ron"))
        .output()
        .expect("run");
    assert!(output.status.success());
    let answer: Value = serde_json::from_slice(&output.stdout).expect("json");
    let offers = answer["offers"].as_object().expect("offers");
    assert_eq!(offers.len(), 11);
    assert!(
        offers
            .values()
            .any(|o| o["term"] != "pay_as_you_go" && o["destination"] == "azure_iaas"),
        "{answer}"
    );
}

//! `keyholder portfolio DIR` on the fixture folder (`tests/fixtures/portfolio/`) and the
//! samples: every row's figures checked against `keyholder report` on the same file, the
//! problems on stderr with exit status 1, each format.

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use predicates::prelude::*;
use serde_json::Value;

fn keyholder() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_keyholder"));
    let home = std::env::temp_dir().join("keyholder-cli-portfolio-home");
    command.env("KEYHOLDER_HOME", home);
    command
}

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/portfolio")
}

fn json_of(output: &[u8]) -> Value {
    serde_json::from_slice(output).expect("JSON")
}

fn portfolio_json(folder: &Path) -> (Value, String, Option<i32>) {
    let output = keyholder()
        .args(["portfolio", "--format", "json", "--as-of", "2010-05"])
        .arg(folder)
        .output()
        .expect("run");
    (
        json_of(&output.stdout),
        String::from_utf8_lossy(&output.stderr).into_owned(),
        output.status.code(),
    )
}

fn scenario<'a>(report: &'a Value, name: &str) -> &'a Value {
    report["scenarios"]
        .as_array()
        .and_then(|s| s.iter().find(|s| s["name"] == name))
        .unwrap_or_else(|| panic!("scenario {name} in the report"))
}

#[test]
fn every_row_matches_keyholder_report_on_the_same_file() {
    let (book, _, code) = portfolio_json(&fixtures());
    assert_eq!(code, Some(1), "the fixture folder has files with problems");
    let customers = book["customers"].as_array().expect("customers");
    assert_eq!(customers.len(), 11);
    let mut checked = 0;
    for row in customers.iter().filter(|r| r["status"] != "problem") {
        let file = fixtures().join(row["file"].as_str().expect("file"));
        let output = keyholder()
            .args(["report", "--format", "json"])
            .arg(&file)
            .output()
            .expect("report");
        assert!(output.status.success(), "{}", file.display());
        let report = json_of(&output.stdout);
        assert_eq!(row["customer"], report["customer"]);
        assert_eq!(row["currency"], report["currency"]);
        assert_eq!(
            row["workloads"],
            report["workloads"].as_array().map_or(0, Vec::len)
        );
        let status_quo = scenario(&report, "Status quo");
        assert_eq!(
            row["status_quo_run_rate_cents"],
            status_quo["run_rate_cents"]
        );
        assert_eq!(row["status_quo_tco_cents"], status_quo["tco_cents"]);
        assert_eq!(row["control_now"], status_quo["control_score"]);
        assert_eq!(
            row["msp_margin_now_cents"],
            status_quo["msp_monthly_margin_cents"]
        );
        let shown = match row["scenario"].as_str() {
            Some(name) => scenario(&report, name),
            None => status_quo,
        };
        let cents = |v: &Value| v.as_i64().expect("cents");
        assert_eq!(
            cents(&row["saving_cents"]),
            cents(&status_quo["tco_cents"]) - cents(&shown["tco_cents"])
        );
        assert_eq!(
            cents(&row["saving_per_month_cents"]),
            cents(&status_quo["run_rate_cents"]) - cents(&shown["run_rate_cents"])
        );
        assert_eq!(row["control_kept"], shown["control_score"]);
        assert_eq!(
            row["msp_margin_after_cents"],
            shown["msp_monthly_margin_cents"]
        );
        assert_eq!(
            cents(&row["msp_margin_change_cents"]),
            cents(&shown["msp_monthly_margin_cents"])
                - cents(&status_quo["msp_monthly_margin_cents"])
        );
        assert_eq!(row["break_even_month"], shown["break_even_month"]);
        // The report's HTML names the same scenario as its recommendation.
        if let Some(name) = row["scenario"].as_str() {
            let html = keyholder()
                .args(["report", "--format", "html"])
                .arg(&file)
                .output()
                .expect("report");
            let page = String::from_utf8_lossy(&html.stdout).into_owned();
            let escaped = name.replace('&', "&amp;").replace('\'', "&#39;");
            assert!(page.contains(&escaped), "{name} in the report");
        }
        checked += 1;
    }
    assert_eq!(checked, 8);
}

#[test]
fn problems_go_to_stderr_with_their_positions_and_exit_1() {
    let (book, stderr, code) = portfolio_json(&fixtures());
    assert_eq!(code, Some(1));
    let broken = fixtures().join("broken/truncated.ron");
    assert!(
        stderr.contains(&format!(
            "{}:497:17: Expected end of string",
            broken.display()
        )),
        "{stderr}"
    );
    assert!(
        stderr
            .contains("from-a-newer-keyholder.ron:1:1: this plan was written by a newer Keyholder")
    );
    assert!(stderr.contains("quayside-opticians.ron: workloads[0] \"Tax preparation suite\".storage_gb: must not be negative"));
    assert!(stderr.contains("warning: unsaved conflict copy of"));
    let statuses: Vec<(&str, &str)> = book["customers"]
        .as_array()
        .expect("customers")
        .iter()
        .map(|r| {
            (
                r["file"].as_str().unwrap_or(""),
                r["status"].as_str().unwrap_or(""),
            )
        })
        .filter(|(_, s)| *s != "ok")
        .collect();
    assert_eq!(
        statuses,
        [
            ("broken/truncated.ron", "problem"),
            ("east/quayside-opticians.ron", "problem"),
            ("law-firm.ron", "conflict_copy"),
            ("newer/from-a-newer-keyholder.ron", "problem"),
        ]
    );
    assert_eq!(book["price_books"].as_array().map(Vec::len), Some(1));
}

#[test]
fn the_samples_roll_up_by_hand() {
    let saves = Path::new(env!("CARGO_MANIFEST_DIR")).join("saves");
    let (book, stderr, code) = portfolio_json(&saves);
    assert_eq!(code, Some(0), "{stderr}");
    let customers = book["customers"].as_array().expect("customers");
    let sum = |key: &str| -> i64 { customers.iter().map(|c| c[key].as_i64().unwrap_or(0)).sum() };
    let usd = &book["rollups"][0];
    assert_eq!(usd["currency"], "USD");
    // The four samples: 2,109.85 + 3,321.68 + 10,257.38 + 10,286.13 (the law firm on the 2026
    // book) = 25,975.04 a month today.
    assert_eq!(usd["book"]["status_quo_run_rate_cents"], 2_597_504);
    assert_eq!(sum("status_quo_run_rate_cents"), 2_597_504);
    // Savings per month: 734.06 + 1,089.64 + 2,749.15 + 4,702.89 = 9,275.74.
    assert_eq!(usd["book"]["saving_per_month_cents"], 927_574);
    assert_eq!(usd["book"]["saving_cents"], sum("saving_cents"));
    // Margin: 200.00 + 537.50 + 560.00 + 700.00 = 1,997.50 now; 180.50 + 210.50 + 839.00 +
    // 1,304.29 = 2,534.29 after.
    assert_eq!(usd["book"]["msp_margin_now_cents"], 199_750);
    assert_eq!(usd["book"]["msp_margin_after_cents"], 253_429);
    assert_eq!(usd["book"]["msp_margin_change_cents"], 53_679);
    let managers: Vec<&str> = usd["account_managers"]
        .as_array()
        .expect("managers")
        .iter()
        .map(|m| m["account_manager"].as_str().unwrap_or(""))
        .collect();
    assert_eq!(managers, ["Chris Lindqvist", "Dana Whitfield"]);
    assert_eq!(usd["account_managers"][1]["customers"], 3);
    // Every 2010 sample moves in 2010-06 first (month 3, 2 and 1 of plans from 2010-03, -04,
    // -05); the 2026 law firm in 2026-12 (month 3 of a plan from 2026-09).
    assert_eq!(usd["quarters"][0]["quarter"], "2010 Q2");
    assert_eq!(
        usd["quarters"][0]["customers"].as_array().map(Vec::len),
        Some(3)
    );
    for c in customers {
        let first = if c["file"] == "law-firm-2026.ron" {
            "2026-12"
        } else {
            "2010-06"
        };
        assert_eq!(c["next_move"]["month"], first, "{}", c["customer"]);
    }
}

#[test]
fn text_markdown_html_and_csv_show_the_same_book() {
    let saves = Path::new(env!("CARGO_MANIFEST_DIR")).join("saves");
    for (format, expected) in [
        ("text", "Harlow & Finch LLP"),
        ("markdown", "Harlow & Finch LLP"),
        ("html", "Harlow &amp; Finch LLP"),
        ("csv", "Harlow & Finch LLP"),
    ] {
        keyholder()
            .args(["portfolio", "--as-of", "2010-05", "--format", format])
            .arg(&saves)
            .assert()
            .success()
            .stdout(predicate::str::contains(expected))
            .stdout(predicate::str::contains("Brightwater Family Dental"));
    }
    keyholder()
        .args(["portfolio", "--as-of", "2010-05"])
        .arg(&saves)
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "Run rate now              25,975.04 USD / month",
        ))
        .stdout(predicate::str::contains("2010 Q2"));
    let html = keyholder()
        .args(["portfolio", "--format", "html"])
        .arg(&saves)
        .output()
        .expect("run");
    let page = String::from_utf8_lossy(&html.stdout);
    assert!(page.contains("<svg") && page.matches("<circle").count() == 4);
    let csv = keyholder()
        .args(["portfolio", "--format", "csv"])
        .arg(&saves)
        .output()
        .expect("run");
    let text = String::from_utf8_lossy(&csv.stdout);
    let first = text.lines().nth(1).expect("a customer row");
    assert!(first.starts_with("accounting-firm.ron,Pemberton & Rao CPAs,Chris Lindqvist,ok,USD,"));
}

#[test]
fn a_missing_or_empty_folder_is_bad_input() {
    let folder = tempfile::tempdir().expect("temp");
    keyholder()
        .arg("portfolio")
        .arg(folder.path())
        .assert()
        .code(1)
        .stderr(predicate::str::contains("no plan files (.ron)"));
    keyholder()
        .arg("portfolio")
        .arg(folder.path().join("missing"))
        .assert()
        .code(1)
        .stderr(predicate::str::contains("no such file or folder"));
    keyholder()
        .args(["portfolio", "--as-of", "2010-13"])
        .arg(folder.path())
        .assert()
        .code(1)
        .stderr(predicate::str::contains("--as-of"));
    keyholder()
        .args(["portfolio", "--format", "pdf"])
        .arg(folder.path())
        .assert()
        .code(2);
}

//! `keyholder diff` and the comparison behind it: what a colleague changed in a plan.

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use keyholder::model::{Choice, Decimal, Destination, diff_plans};
use keyholder::storage::{load_plan, save_plan};

fn sample() -> keyholder::model::Plan {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("saves")
        .join("law-firm.ron");
    load_plan(&path).expect("sample").0.plan
}

/// The sample as a colleague sends it back: Exchange renamed and grown, the fax server gone,
/// a payroll workload added, SQL moved to PaaS in one scenario, a BPOS price cut.
fn colleagues_copy() -> keyholder::model::Plan {
    let mut plan = sample();
    plan.workloads[0].name = "Exchange 2010".to_owned();
    plan.workloads[0].users = 130;
    let backup = plan.workload_index("backup").expect("backup");
    plan.workloads.remove(backup);
    for scenario in &mut plan.scenarios {
        scenario.choices.remove("backup");
    }
    let mut payroll = plan.workloads[1].clone();
    payroll.id = "payroll".to_owned();
    payroll.name = "Payroll".to_owned();
    plan.workloads.push(payroll);
    plan.scenarios[1]
        .choices
        .insert("sql".to_owned(), Choice::new(Destination::AzurePaas, 4));
    plan.price_book.destinations.bpos.recurring[0].unit_price = Decimal::from(4);
    plan
}

#[test]
fn a_rename_is_a_change_not_a_removal_and_an_addition() {
    let changes = diff_plans(&sample(), &colleagues_copy());
    let exchange = changes
        .workloads_changed
        .iter()
        .find(|w| w.id == "exchange")
        .expect("exchange changed");
    assert_eq!(exchange.name, "Exchange 2010");
    let fields: Vec<(&str, Option<&str>, Option<&str>)> = exchange
        .changes
        .iter()
        .map(|c| (c.field.as_str(), c.old.as_deref(), c.new.as_deref()))
        .collect();
    assert!(
        fields.contains(&("name", Some("\"Exchange 2007\""), Some("\"Exchange 2010\""))),
        "{fields:?}"
    );
    assert!(
        fields.contains(&("users", Some("120"), Some("130"))),
        "{fields:?}"
    );
    assert_eq!(
        changes
            .workloads_added
            .iter()
            .map(|w| w.id.as_str())
            .collect::<Vec<_>>(),
        ["payroll"]
    );
    assert_eq!(
        changes
            .workloads_removed
            .iter()
            .map(|w| w.id.as_str())
            .collect::<Vec<_>>(),
        ["backup"]
    );
    assert!(
        changes
            .workloads_changed
            .iter()
            .all(|w| w.id != "payroll" && w.id != "backup")
    );
}

#[test]
fn price_book_scenario_and_totals_changes_are_listed() {
    let changes = diff_plans(&sample(), &colleagues_copy());
    assert!(
        changes
            .price_book
            .iter()
            .any(|c| c.field == "destinations.bpos.recurring[0].unit_price"
                && c.old.as_deref() == Some("5")
                && c.new.as_deref() == Some("4")),
        "{:?}",
        changes.price_book
    );
    let scenario = &changes
        .scenarios_changed
        .iter()
        .find(|s| s.name == "All collaboration to BPOS")
        .expect("changed");
    assert!(
        scenario
            .changes
            .iter()
            .any(|c| c.field == "choices.sql" && c.old.is_none()),
        "{:?}",
        scenario.changes
    );
    // Every scenario's totals move (a workload was removed and one added).
    assert!(
        changes
            .totals
            .iter()
            .any(|t| t.scenario == "Status quo" && t.old_tco_cents != t.new_tco_cents)
    );
    assert!(changes.has_changes());
    assert!(!diff_plans(&sample(), &sample()).has_changes());
}

fn write(folder: &Path, name: &str, plan: &keyholder::model::Plan) -> PathBuf {
    let path = folder.join(name);
    save_plan(&path, plan).expect("save");
    path
}

#[test]
fn the_command_prints_the_changes_and_exits_as_asked() {
    let folder = tempfile::tempdir().expect("temp");
    let a = write(folder.path(), "a.ron", &sample());
    let b = write(folder.path(), "b.ron", &colleagues_copy());
    let output = Command::cargo_bin("keyholder")
        .expect("bin")
        .args(["diff"])
        .arg(&a)
        .arg(&b)
        .output()
        .expect("run");
    assert_eq!(output.status.code(), Some(0));
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(
        text.contains(
            "  ~ Exchange 2010 (exchange)\n      name: \"Exchange 2007\" -> \"Exchange 2010\""
        ),
        "{text}"
    );
    assert!(text.contains("  + Payroll (payroll) added"), "{text}");
    assert!(
        text.contains("  - Backup server (backup) removed"),
        "{text}"
    );
    assert!(text.contains("Effect on the totals (USD)"), "{text}");

    let status = |args: &[&str]| {
        Command::cargo_bin("keyholder")
            .expect("bin")
            .args(args)
            .output()
            .expect("run")
            .status
            .code()
    };
    let (a, b) = (
        a.to_string_lossy().into_owned(),
        b.to_string_lossy().into_owned(),
    );
    assert_eq!(status(&["diff", &a, &b, "--exit-code"]), Some(1));
    assert_eq!(status(&["diff", &a, &a, "--exit-code"]), Some(0));
    assert_eq!(status(&["diff", &a]), Some(2), "usage error");
    assert_eq!(status(&["diff", &a, "missing.ron"]), Some(1));

    let json = Command::cargo_bin("keyholder")
        .expect("bin")
        .args(["diff", &a, &b, "--format", "json"])
        .output()
        .expect("run");
    let value: serde_json::Value = serde_json::from_slice(&json.stdout).expect("json");
    assert_eq!(value["workloads_added"][0]["id"], "payroll");
    assert_eq!(value["workloads_removed"][0]["id"], "backup");
}

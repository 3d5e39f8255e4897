//! `keyholder report` for two audiences and as a PDF, and `keyholder chart` for a slide, run
//! as a user runs them.

use std::path::{Path, PathBuf};

use crate::keyholder;
use predicates::prelude::*;
use serde_json::Value;

fn law_firm() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("saves/law-firm.ron")
}

fn stdout_of(args: &[&str]) -> Vec<u8> {
    let output = keyholder().args(args).output().expect("run");
    assert_eq!(
        output.status.code(),
        Some(0),
        "keyholder {args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    output.stdout
}

fn text_of(args: &[&str]) -> String {
    String::from_utf8(stdout_of(args)).expect("UTF-8")
}

#[test]
fn html_and_markdown_are_for_the_customer_unless_asked_otherwise() {
    let plan = law_firm();
    let plan = plan.to_str().expect("path");
    let html = text_of(&["report", plan, "--format", "html"]);
    assert!(!html.contains("MSP margin"));
    assert!(!html.contains("<p class=\"internal-mark\">"));
    assert!(!html.contains(">exchange<"), "no workload id");
    let internal = text_of(&["report", plan, "--format", "html", "--audience", "internal"]);
    assert!(internal.contains("<p class=\"internal-mark\">Internal: not for the customer</p>"));
    assert!(internal.contains("<th scope=\"row\">MSP margin per month</th>"));
    let markdown = text_of(&["report", plan, "--format", "markdown"]);
    assert!(!markdown.contains("margin"));
    // Text, CSV and JSON are for the MSP's own use: internal by default, customer on request.
    let text = text_of(&["report", plan]);
    assert!(text.starts_with("INTERNAL: NOT FOR THE CUSTOMER\n"));
    assert!(text.contains("MSP margin per month"));
    let csv = text_of(&["report", plan, "--format", "csv", "--audience", "customer"]);
    assert!(csv.starts_with("customer,scenario,run_rate_cents,one_time_cents,tco_cents,npv_cents,break_even_month,control_score\n"));
    assert!(csv.contains("\nworkload,category,current,destination,"));
    let json: Value = serde_json::from_slice(&stdout_of(&[
        "report",
        plan,
        "--format",
        "json",
        "--audience",
        "customer",
    ]))
    .expect("json");
    assert_eq!(json["audience"], "customer");
    assert!(
        json["scenarios"][0]
            .get("msp_monthly_margin_cents")
            .is_none()
    );
    assert!(json["workloads"][0].get("id").is_none());
}

#[test]
fn a_pdf_is_written_to_a_file_or_to_a_pipe() {
    let dir = tempfile::tempdir().expect("temp");
    let target = dir.path().join("harlow.pdf");
    let plan = law_firm();
    keyholder()
        .args([
            "report",
            plan.to_str().expect("path"),
            "--format",
            "pdf",
            "--paper",
            "letter",
            "-o",
        ])
        .arg(&target)
        .assert()
        .success()
        .stdout("");
    let bytes = std::fs::read(&target).expect("written");
    assert!(bytes.starts_with(b"%PDF-"));
    // Letter: 612 × 792 points in the page's media box.
    let text = String::from_utf8_lossy(&bytes);
    assert!(text.contains("/MediaBox[0 0 612 792]"), "a Letter page");
    // Standard output that is not a terminal takes the bytes.
    let piped = stdout_of(&[
        "report",
        plan.to_str().expect("path"),
        "--format",
        "pdf",
        "--paper",
        "a4",
    ]);
    assert!(piped.starts_with(b"%PDF-"));
    assert!(String::from_utf8_lossy(&piped).contains("/MediaBox[0 0 595.276 841.89]"));
}

#[test]
fn a_chart_is_written_for_a_slide_as_png_or_svg() {
    let dir = tempfile::tempdir().expect("temp");
    let plan = law_firm();
    let png = dir.path().join("slide.png");
    keyholder()
        .args(["chart", plan.to_str().expect("path"), "-o"])
        .arg(&png)
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "trade-off chart, 1920x1080 pixels",
        ));
    let picture = image::open(&png).expect("png").to_rgba8();
    assert_eq!(picture.dimensions(), (1920, 1080));
    assert_eq!(picture.get_pixel(0, 0).0, [255, 255, 255, 255]);
    let svg = dir.path().join("cash.svg");
    keyholder()
        .args([
            "chart",
            plan.to_str().expect("path"),
            "--chart",
            "cash-flow",
            "--size",
            "1280x720",
            "-o",
        ])
        .arg(&svg)
        .assert()
        .success();
    let text = std::fs::read_to_string(&svg).expect("svg");
    assert!(text.contains("width=\"1280\" height=\"720\""));
    // Refused: a size out of range, a file that is neither PNG nor SVG; nothing written.
    let refused = dir.path().join("huge.png");
    keyholder()
        .args([
            "chart",
            plan.to_str().expect("path"),
            "--size",
            "100000x100",
            "-o",
        ])
        .arg(&refused)
        .assert()
        .code(1)
        .stderr(predicate::str::contains("--size: a width of 100000 pixels"));
    assert!(!refused.exists());
    keyholder()
        .args(["chart", plan.to_str().expect("path"), "-o"])
        .arg(dir.path().join("slide.jpg"))
        .assert()
        .code(1)
        .stderr(predicate::str::contains("name the file .png or .svg"));
}

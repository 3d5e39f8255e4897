//! File ▸ Export ▸ Report… / Report as PDF… / Chart… / Copy chart in the real app: the export
//! dialog's audience and format, the chart of the tab on screen from any tab at a slide's size
//! on a light background, and the recommendation chosen in the Scenarios view.

use egui_kittest::kittest::Queryable;
use keyholder::app::{Action, Command, Tab};

use crate::harness::{Setup, act, sample, show};

fn white_corner(png: &image::RgbaImage) {
    for (x, y) in [(0, 0), (png.width() - 1, 0), (0, png.height() - 1)] {
        assert_eq!(
            png.get_pixel(x, y).0,
            [255, 255, 255, 255],
            "corner ({x}, {y})"
        );
    }
}

#[test]
fn a_customer_pdf_is_written_from_the_export_dialog() {
    let setup = Setup::new();
    let plan = setup.plan_file("law-firm.ron");
    let mut harness = setup.harness(Some(plan));
    act(&mut harness, Action::Command(Command::ExportReportPdf));
    // The dialog starts on the customer audience and PDF.
    harness.get_by_label("Export report");
    let target = setup.path("harlow-report.pdf");
    setup.dialogs.choose(&target);
    harness.get_by_label("Save…").click();
    harness.run_ok();
    let bytes = std::fs::read(&target).expect("the PDF");
    assert!(bytes.starts_with(b"%PDF-"), "a PDF file");
    assert!(
        harness
            .state()
            .state
            .status
            .as_deref()
            .is_some_and(|s| s.starts_with("Customer report written to")),
        "{:?}",
        harness.state().state.status
    );
    assert!(harness.state().state.modal.is_none());
}

#[test]
fn an_internal_html_report_is_marked_and_shows_the_margin() {
    let setup = Setup::new();
    let plan = setup.plan_file("law-firm.ron");
    let mut harness = setup.harness(Some(plan));
    act(&mut harness, Action::Command(Command::ExportReport));
    harness.get_by_label("Internal").click();
    harness.run_ok();
    harness.get_by_label("HTML page").click();
    harness.run_ok();
    let target = setup.path("harlow-internal.html");
    setup.dialogs.choose(&target);
    harness.get_by_label("Save…").click();
    harness.run_ok();
    let html = std::fs::read_to_string(&target).expect("the page");
    assert!(html.contains("<p class=\"internal-mark\">Internal: not for the customer</p>"));
    assert!(html.contains("MSP margin per month"));
    // The customer's default, exported the same way, has neither.
    act(&mut harness, Action::Command(Command::ExportReport));
    let customer = setup.path("harlow-customer.html");
    setup.dialogs.choose(&customer);
    harness.get_by_label("Save…").click();
    harness.run_ok();
    let html = std::fs::read_to_string(&customer).expect("the page");
    assert!(!html.contains("<p class=\"internal-mark\">"));
    assert!(!html.contains("MSP margin"));
}

#[test]
fn the_chart_is_exported_from_any_tab_at_a_slides_size_on_white() {
    let setup = Setup::new();
    let plan = setup.plan_file("law-firm.ron");
    let mut harness = setup.harness(Some(plan));
    // The Workloads tab has no chart: the trade-off chart is saved, with one click.
    assert_eq!(harness.state().state.tab, Tab::Workloads);
    act(&mut harness, Action::Command(Command::ExportChart));
    let png_path = setup.path("slide.png");
    setup.dialogs.choose(&png_path);
    harness.get_by_label("Save PNG…").click();
    harness.run_ok();
    assert_eq!(harness.state().state.tab, Tab::Workloads, "no tab switch");
    let png = image::open(&png_path).expect("a PNG").to_rgba8();
    assert_eq!(png.dimensions(), (1920, 1080));
    white_corner(&png);

    // From the cash-flow tab, its chart, at a size typed in the dialog, as SVG.
    show(&mut harness, Tab::CashFlow);
    act(&mut harness, Action::Command(Command::ExportChart));
    crate::harness::replace_text(&mut harness, "Chart width in pixels", "1280");
    crate::harness::replace_text(&mut harness, "Chart height in pixels", "720");
    let svg_path = setup.path("slide.svg");
    setup.dialogs.choose(&svg_path);
    harness.get_by_label("Save SVG…").click();
    harness.run_ok();
    let svg = std::fs::read_to_string(&svg_path).expect("the SVG");
    assert!(
        svg.contains("width=\"1280\" height=\"720\""),
        "{}",
        &svg[..300]
    );
    assert!(svg.contains("Harlow &amp; Finch LLP: Cumulative cost by month"));
    assert!(svg.contains("Prices as of 2010-02"));

    // A size out of range is refused in the dialog: nothing to save.
    act(&mut harness, Action::Command(Command::ExportChart));
    crate::harness::replace_text(&mut harness, "Chart width in pixels", "90000");
    assert!(harness.query_by_label("Save PNG…").is_none());
}

#[test]
fn copy_chart_puts_a_slide_sized_picture_on_the_clipboard() {
    let setup = Setup::new();
    let plan = setup.plan_file("law-firm.ron");
    let mut harness = setup.harness(Some(plan));
    harness
        .state_mut()
        .push(Action::Command(Command::CopyChart));
    harness.step();
    let copied = harness
        .output()
        .platform_output
        .commands
        .iter()
        .find_map(|c| match c {
            egui::OutputCommand::CopyImage(image) => Some(image.clone()),
            _ => None,
        })
        .expect("an image on the clipboard");
    assert_eq!(copied.size, [1920, 1080]);
    assert_eq!(copied.pixels[0], egui::Color32::WHITE);
    harness.run_ok();
    assert!(
        harness
            .state()
            .state
            .status
            .as_deref()
            .is_some_and(|s| s.starts_with("Trade-off chart copied")),
    );
}

#[test]
fn the_recommendation_is_chosen_in_the_scenarios_view_and_undone() {
    let setup = Setup::new();
    let plan = setup.plan_file("law-firm.ron");
    let mut harness = setup.harness(Some(plan));
    show(&mut harness, Tab::Scenarios);
    assert!(harness.query_by_label("Recommended").is_none());
    // The scenario's name is the column's heading; the open list adds its entry.
    let name = "Keep anything we need admin on";
    assert_eq!(harness.query_all_by_label(name).count(), 1);
    harness.get_by_label("Recommend to the customer").click();
    harness.run_ok();
    assert_eq!(
        harness.query_all_by_label(name).count(),
        2,
        "the list is open"
    );
    // The list is on the top layer, so its entry comes first in the accessibility tree.
    harness
        .query_all_by_label(name)
        .next()
        .expect("the list's entry")
        .click();
    harness.run_ok();
    let recommended = harness.state().plan().recommended.clone().expect("chosen");
    assert_eq!(recommended.scenario, "Keep anything we need admin on");
    // The badge, in the view and the side panel.
    assert_eq!(harness.query_all_by_label("Recommended").count(), 2);
    harness
        .get_by_label("Why (the customer reads this)")
        .focus();
    harness.run_ok();
    harness
        .get_by_label("Why (the customer reads this)")
        .type_text("Keeps admin access.");
    harness.run_ok();
    assert_eq!(
        harness
            .state()
            .plan()
            .recommended
            .as_ref()
            .map(|r| r.rationale.as_str()),
        Some("Keeps admin access.")
    );
    crate::harness::unfocus(&mut harness);
    // Undo takes the rationale and the choice back.
    let mut undone = 0;
    while harness.state().plan().recommended.is_some() && undone < 30 {
        act(&mut harness, Action::Command(Command::Undo));
        undone += 1;
    }
    assert_eq!(harness.state().plan().recommended, None);
    assert_eq!(sample("law-firm.ron").recommended, None);
}

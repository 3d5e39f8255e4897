//! The PDF report read back as a person would (`pdftotext`, `pdftoppm`): its pages counted and
//! numbered, the cover, the text selectable (also in the charts, drawn as vectors), the paper
//! size, and a long workload table continuing with its header on every page.

use keyholder::model::{Evaluation, Plan, RecommendedScenario};
use keyholder::report::{Audience, Paper, PdfOptions, ReportOptions, build_with, to_pdf};
use keyholder::storage::load_plan;

use crate::pdf_tools::{pdf_pages_png, pdf_pages_text, poppler};

fn law_firm() -> Plan {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("saves/law-firm.ron");
    let mut plan = load_plan(&path).expect("sample").0.plan;
    plan.recommended = Some(RecommendedScenario {
        scenario: "Keep anything we need admin on".to_owned(),
        rationale: String::new(),
    });
    plan
}

fn pdf_of(plan: &Plan, audience: Audience, paper: Paper) -> Vec<u8> {
    let evaluation = Evaluation::new(plan);
    let report = build_with(
        plan,
        &evaluation,
        &ReportOptions {
            focus: None,
            audience,
            charts: true,
        },
    )
    .expect("report");
    to_pdf(
        &report,
        &PdfOptions {
            paper,
            prepared_on: "1 Dec 2026".to_owned(),
        },
    )
    .expect("pdf")
}

#[test]
fn the_customer_pdf_has_a_cover_numbered_pages_and_selectable_text() {
    let bytes = pdf_of(&law_firm(), Audience::Customer, Paper::A4);
    assert!(bytes.starts_with(b"%PDF-1.7"));
    let Some(tools) = poppler() else { return };
    let pages = pdf_pages_text(&tools, &bytes);
    let count = pages.len();
    assert!((4..=8).contains(&count), "{count} pages");
    for (i, page) in pages.iter().enumerate() {
        assert!(
            page.contains(&format!("Page {} of {count}", i + 1)),
            "page {} is numbered: {page}",
            i + 1
        );
        assert!(
            page.contains("Harlow & Finch LLP"),
            "the customer on page {}",
            i + 1
        );
    }
    // The cover: customer, account manager, date, price book.
    let cover = &pages[0];
    for line in [
        "CLOUD OPTIONS: COST AND CONTROL",
        "Prepared by Dana Whitfield",
        "1 Dec 2026",
        "Prices from Microsoft cloud at launch (2010) (as of 2010-02)",
    ] {
        assert!(cover.contains(line), "{line}: {cover}");
    }
    let all = pages.concat();
    for text in [
        "Recommended: Keep anything we need admin on.",
        "Sources of the prices",
        "Exchange 2007",
        "369,265.68 USD",
        // The charts' text is text, not pixels: the axis titles and a point's label.
        "Control kept (control score)",
        "Cumulative cost (USD)",
        "Cheapest at that control",
    ] {
        assert!(all.contains(text), "{text}");
    }

    // A4 at 72 dpi is 595.3 × 841.9 points: 596 × 842 pixels, on white, with something
    // drawn.
    let pictures = pdf_pages_png(&tools, &bytes, 72);
    assert_eq!(pictures.len(), count);
    for page in &pictures {
        assert_eq!(page.dimensions(), (596, 842));
        assert_eq!(page.get_pixel(0, 0).0, [255, 255, 255, 255]);
        assert!(page.pixels().any(|p| p.0[0] < 100), "ink on the page");
    }
}

#[test]
fn letter_paper_is_letter_sized() {
    let bytes = pdf_of(&law_firm(), Audience::Customer, Paper::Letter);
    let Some(tools) = poppler() else { return };
    let pictures = pdf_pages_png(&tools, &bytes, 72);
    assert!(!pictures.is_empty());
    for page in &pictures {
        assert_eq!(page.dimensions(), (612, 792));
    }
}

#[test]
fn a_long_workload_table_continues_with_its_header_on_every_page() {
    // 120 workloads: several pages of workload rows.
    let plan = crate::synthetic::synthetic_plan(120, 7);
    let bytes = pdf_of(&plan, Audience::Internal, Paper::A4);
    let Some(tools) = poppler() else { return };
    let pages = pdf_pages_text(&tools, &bytes);
    let with_rows: Vec<&String> = pages
        .iter()
        .filter(|p| plan.workloads.iter().any(|w| p.contains(&w.id)))
        .collect();
    assert!(
        with_rows.len() >= 3,
        "{} pages of workloads",
        with_rows.len()
    );
    for page in &with_rows {
        // The header row, repeated: "Monthly now" is only in the header.
        assert!(page.contains("Monthly"), "{page}");
        assert!(page.contains("INTERNAL: NOT FOR THE CUSTOMER"));
    }
    // Every workload is on some page.
    let all = pages.concat();
    for w in &plan.workloads {
        assert!(all.contains(&w.id), "{} is in the PDF", w.id);
    }
}

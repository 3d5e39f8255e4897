//! The chart for a slide: at the size asked, on white (a pixel check of the corners), with a
//! title, the customer and the price book's date; every text inside the picture and none
//! covering another (axis titles, ticks, point labels and the legend measured as drawn), at
//! several sizes and with long names; and a snapshot of the exported picture.
//!
//! `UPDATE_SNAPSHOTS=1 cargo test --test core slide` rewrites the snapshot.

use keyholder::model::{Evaluation, Plan, RecommendedScenario};
use keyholder::report::{ChartKind, ChartSize, PlanReport, build, chart_png, chart_svg};
use keyholder::storage::load_plan;
use resvg::usvg;

fn law_firm() -> Plan {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("saves/law-firm.ron");
    let mut plan = load_plan(&path).expect("sample").0.plan;
    plan.recommended = Some(RecommendedScenario {
        scenario: "Keep anything we need admin on".to_owned(),
        rationale: String::new(),
    });
    plan
}

fn report_of(plan: &Plan) -> PlanReport {
    build(plan, &Evaluation::new(plan), None).expect("report")
}

/// The bounding boxes of every text drawn, in pixels of the picture, with the text.
fn text_boxes(svg: &str) -> (usvg::Size, Vec<(String, usvg::Rect)>) {
    // The same fonts the PNG is drawn with: the two shipped faces.
    let mut fonts = usvg::fontdb::Database::new();
    for file in ["DejaVuSans.ttf", "DejaVuSans-Bold.ttf"] {
        fonts
            .load_font_file(
                std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                    .join("assets/fonts")
                    .join(file),
            )
            .expect("font");
    }
    fonts.set_sans_serif_family("DejaVu Sans");
    let options = usvg::Options {
        fontdb: std::sync::Arc::new(fonts),
        ..usvg::Options::default()
    };
    let tree = usvg::Tree::from_str(svg, &options).expect("the SVG reads");
    let mut boxes = Vec::new();
    collect(tree.root(), &mut boxes);
    (tree.size(), boxes)
}

fn collect(group: &usvg::Group, boxes: &mut Vec<(String, usvg::Rect)>) {
    for node in group.children() {
        match node {
            usvg::Node::Group(g) => collect(g, boxes),
            usvg::Node::Text(text) => {
                let content: String = text.chunks().iter().map(|c| c.text().to_owned()).collect();
                // The glyphs as drawn (the halo's stroke is not part of the text's place).
                boxes.push((content, text.abs_bounding_box()));
            }
            _ => {}
        }
    }
}

fn overlap(a: &usvg::Rect, b: &usvg::Rect) -> bool {
    // Touching is not covering: allow half a pixel.
    a.left() + 0.5 < b.right()
        && b.left() + 0.5 < a.right()
        && a.top() + 0.5 < b.bottom()
        && b.top() + 0.5 < a.bottom()
}

fn assert_readable(svg: &str, what: &str) {
    let (size, boxes) = text_boxes(svg);
    assert!(boxes.len() > 20, "{what}: {} texts", boxes.len());
    for (text, b) in &boxes {
        assert!(
            b.left() >= 0.0
                && b.top() >= 0.0
                && b.right() <= size.width()
                && b.bottom() <= size.height(),
            "{what}: {text:?} at {b:?} is cut by the edge of {size:?}"
        );
    }
    for (i, (a_text, a)) in boxes.iter().enumerate() {
        for (b_text, b) in &boxes[i + 1..] {
            assert!(
                !overlap(a, b),
                "{what}: {a_text:?} ({a:?}) covers {b_text:?} ({b:?})"
            );
        }
    }
}

#[test]
fn the_slide_chart_is_the_size_asked_on_white_with_its_heading() {
    let report = report_of(&law_firm());
    for kind in ChartKind::ALL {
        let png = chart_png(&report, kind, ChartSize::SLIDE).expect("png");
        let picture = image::load_from_memory(&png).expect("a PNG").to_rgba8();
        assert_eq!(picture.dimensions(), (1920, 1080));
        for (x, y) in [(0, 0), (1919, 0), (0, 1079), (1919, 1079)] {
            assert_eq!(
                picture.get_pixel(x, y).0,
                [255, 255, 255, 255],
                "{kind:?} corner"
            );
        }
        // Most of a slide is background, and it is white, never the dark theme.
        let light = picture
            .pixels()
            .filter(|p| p.0[0] > 240 && p.0[1] > 240 && p.0[2] > 240)
            .count();
        assert!(
            light * 10 > picture.pixels().len() * 7,
            "{kind:?}: {light} light pixels"
        );
        let svg = chart_svg(&report, kind, ChartSize::SLIDE);
        assert!(svg.contains("width=\"1920\" height=\"1080\""));
        assert!(svg.contains("class=\"chart-title\""));
        assert!(svg.contains("Harlow &amp; Finch LLP: "));
        assert!(svg.contains("Prices as of 2010-02 (Microsoft cloud at launch (2010))"));
        assert!(svg.contains("<g class=\"legend\">"));
    }
    let other = chart_png(
        &report,
        ChartKind::TradeOff,
        ChartSize::new(1024, 768).expect("size"),
    )
    .expect("png");
    let picture = image::load_from_memory(&other).expect("a PNG").to_rgba8();
    assert_eq!(picture.dimensions(), (1024, 768));
}

#[test]
fn no_text_is_cut_or_covered_at_any_size() {
    let report = report_of(&law_firm());
    for size in [
        (1920, 1080),
        (1280, 720),
        (1024, 768),
        (800, 600),
        (640, 360),
    ] {
        let size = ChartSize::new(size.0, size.1).expect("size");
        for kind in ChartKind::ALL {
            assert_readable(
                &chart_svg(&report, kind, size),
                &format!("{kind:?} at {size}"),
            );
        }
    }
}

#[test]
fn long_names_and_many_scenarios_stay_readable() {
    let mut plan = law_firm();
    // Six scenarios with long names, some at the same place.
    let base = plan.scenarios[2].clone();
    for i in 0..3 {
        let mut copy = base.clone();
        copy.name = format!(
            "Keep anything we need admin on, variant {i} with a much longer name than fits"
        );
        plan.scenarios.push(copy);
    }
    plan.scenarios[1].name =
        "All collaboration to BPOS, and the intranet with it, from the second quarter".to_owned();
    plan.recommended = Some(RecommendedScenario {
        scenario: plan.scenarios[3].name.clone(),
        rationale: String::new(),
    });
    let report = report_of(&plan);
    for kind in ChartKind::ALL {
        assert_readable(
            &chart_svg(&report, kind, ChartSize::SLIDE),
            &format!("{kind:?}"),
        );
    }
}

#[test]
fn the_exported_trade_off_chart_matches_its_snapshot() {
    let report = report_of(&law_firm());
    let png = chart_png(
        &report,
        ChartKind::TradeOff,
        ChartSize::new(960, 540).expect("size"),
    )
    .expect("png");
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/snapshots/exported-trade-off.png");
    if std::env::var_os("UPDATE_SNAPSHOTS").is_some() {
        std::fs::write(&path, &png).expect("update the snapshot");
        return;
    }
    let expected = image::open(&path)
        .unwrap_or_else(|e| {
            panic!(
                "{}: {e}; run UPDATE_SNAPSHOTS=1 cargo test --test core slide",
                path.display()
            )
        })
        .to_rgba8();
    let actual = image::load_from_memory(&png).expect("png").to_rgba8();
    assert_eq!(actual.dimensions(), expected.dimensions());
    // The same drawing, font and rasteriser on every machine: allow only anti-aliasing
    // noise (a channel off by more than 16 on fewer than 0.1 % of the pixels).
    let differing = actual
        .pixels()
        .zip(expected.pixels())
        .filter(|(a, e)| a.0.iter().zip(e.0).any(|(x, y)| x.abs_diff(y) > 16))
        .count();
    assert!(
        differing * 1000 < actual.pixels().len(),
        "{differing} pixels differ from {}; run UPDATE_SNAPSHOTS=1 cargo test --test core slide and look at it",
        path.display()
    );
}

#[test]
fn the_readability_check_sees_a_covered_label_and_a_cut_one() {
    // Two labels at the same place, and one past the right edge: the check must catch both.
    let svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"200\" height=\"100\" font-family=\"DejaVu Sans\" font-size=\"12\"><text x=\"10\" y=\"20\">Status quo</text><text x=\"14\" y=\"22\">Scenario</text><text x=\"180\" y=\"60\">Cut off</text></svg>";
    let (size, boxes) = text_boxes(svg);
    assert_eq!(boxes.len(), 3);
    assert!(overlap(&boxes[0].1, &boxes[1].1));
    assert!(!overlap(&boxes[0].1, &boxes[2].1));
    assert!(boxes[2].1.right() > size.width());
}

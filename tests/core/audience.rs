//! The two audiences: a customer report, in every format, holds no MSP margin, no partner fee
//! or partner terms, no internal id and no MSP labour cost (asserted with hostile markers
//! planted where each of those lives in a plan); an internal report holds them all and says
//! "Internal" on every page. The recommended scenario is stored in the plan and round-trips.

use keyholder::app::Edit;
use keyholder::model::{Evaluation, Plan, RecommendedScenario, Scenario, validate};
use keyholder::report::{
    Audience, PdfOptions, PlanReport, ReportOptions, build_with, to_csv, to_html, to_json,
    to_markdown, to_pdf, to_text,
};
use keyholder::storage::{load_plan, parse_plan, plan_to_ron};

use crate::pdf_tools::{pdf_pages_text, poppler};

/// Planted in the partner terms of every destination (partner fees, labour and migration
/// hours are described there).
const PARTNER_TERMS: &str = "MARKER-PARTNER-TERMS 18% first year";
/// Planted in the MSP's own cost lines (its datacenter share).
const MSP_COST_SOURCE: &str = "MARKER-MSP-OWN-COST";
/// Planted in the source of the MSP's rates, which names its loaded labour cost.
const LABOUR_SOURCE: &str = "MARKER-LABOUR-COST 55 an hour";
/// A workload id, which only the MSP's people use.
const WORKLOAD_ID: &str = "marker-internal-id-7731";
/// A label of an MSP cost line.
const MSP_COST_LABEL: &str = "MARKER-COST-LABEL";

fn law_firm() -> Plan {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("saves/law-firm.ron");
    load_plan(&path).expect("sample").0.plan
}

/// The law firm with a marker wherever internal information lives, recommending a scenario.
fn marked_law_firm() -> Plan {
    let mut plan = law_firm();
    plan.price_book.labor_source = LABOUR_SOURCE.to_owned();
    for destination in keyholder::model::Destination::ALL {
        let terms = plan.price_book.destinations.get_mut(destination);
        terms.terms_source = PARTNER_TERMS.to_owned();
        for line in &mut terms.msp_costs {
            line.source = MSP_COST_SOURCE.to_owned();
            line.label = MSP_COST_LABEL.to_owned();
        }
    }
    let old_id = plan.workloads[0].id.clone();
    plan.workloads[0].id = WORKLOAD_ID.to_owned();
    for scenario in &mut plan.scenarios {
        if let Some(choice) = scenario.choices.remove(&old_id) {
            scenario.choices.insert(WORKLOAD_ID.to_owned(), choice);
        }
    }
    plan.recommended = Some(RecommendedScenario {
        scenario: "Keep anything we need admin on".to_owned(),
        rationale: "Admin access stays with us.".to_owned(),
    });
    assert_eq!(validate(&plan), [], "the marked plan is valid");
    // The MSP-hosted destination has own-cost lines to mark.
    assert!(
        plan.price_book
            .destinations
            .get(keyholder::model::Destination::MspHosted)
            .msp_costs
            .iter()
            .any(|l| l.source == MSP_COST_SOURCE)
    );
    plan
}

fn report(plan: &Plan, audience: Audience) -> PlanReport {
    let evaluation = Evaluation::new(plan);
    build_with(
        plan,
        &evaluation,
        &ReportOptions {
            focus: None,
            audience,
            charts: true,
        },
    )
    .expect("report")
}

fn pdf(report: &PlanReport) -> Vec<u8> {
    to_pdf(
        report,
        &PdfOptions {
            paper: keyholder::report::Paper::A4,
            prepared_on: "1 Dec 2026".to_owned(),
        },
    )
    .expect("pdf")
}

/// An HTML page without its style sheet (CSS speaks of margins too).
fn without_style(html: &str) -> String {
    match (html.find("<style>"), html.find("</style>")) {
        (Some(start), Some(end)) => format!("{}{}", &html[..start], &html[end..]),
        _ => html.to_owned(),
    }
}

/// Every text format of `report`, named.
fn texts(report: &PlanReport) -> Vec<(&'static str, String)> {
    vec![
        ("text", to_text(report)),
        ("markdown", to_markdown(report)),
        ("html", without_style(&to_html(report))),
        ("csv", to_csv(report)),
        ("json", to_json(report)),
    ]
}

/// What must never reach a customer.
const INTERNAL_ONLY: [&str; 5] = [
    PARTNER_TERMS,
    MSP_COST_SOURCE,
    LABOUR_SOURCE,
    WORKLOAD_ID,
    MSP_COST_LABEL,
];

/// Words that name the MSP's margin, partner fees or labour cost in any format.
const INTERNAL_WORDS: [&str; 5] = [
    "margin",
    "partner fee",
    "Partner fee",
    "cost per hour",
    "labour",
];

#[test]
fn a_customer_report_has_no_margin_partner_terms_ids_or_labour_cost_in_any_format() {
    let plan = marked_law_firm();
    let customer = report(&plan, Audience::Customer);
    for (format, text) in texts(&customer) {
        for marker in INTERNAL_ONLY.iter().chain(&INTERNAL_WORDS) {
            assert!(
                !text.contains(marker),
                "{format} report for the customer contains {marker:?}"
            );
        }
        assert!(!text.contains("Internal: not for the customer"), "{format}");
    }
    // Nor the figures: no scenario carries a margin.
    assert!(
        customer
            .scenarios
            .iter()
            .all(|s| s.msp_monthly_margin_cents.is_none() && s.msp_margin_total_cents.is_none())
    );
    assert!(customer.workloads.iter().all(|w| w.id.is_none()));
    assert!(customer.details.msp_terms.is_none());
    // The workload itself is there, by name.
    assert!(to_html(&customer).contains("Exchange 2007"));

    let bytes = pdf(&customer);
    assert!(bytes.starts_with(b"%PDF-"));
    let Some(tools) = poppler() else { return };
    let pages = pdf_pages_text(&tools, &bytes);
    let all: String = pages.concat();
    for marker in INTERNAL_ONLY.iter().chain(&INTERNAL_WORDS) {
        assert!(
            !all.contains(marker),
            "the customer PDF contains {marker:?}"
        );
    }
    assert!(all.contains("Exchange 2007"));
    assert!(all.contains("Recommended: Keep anything we need admin on."));
}

#[test]
fn an_internal_report_has_everything_and_says_so_on_every_page() {
    let plan = marked_law_firm();
    let internal = report(&plan, Audience::Internal);
    for (format, text) in texts(&internal) {
        assert!(text.contains(WORKLOAD_ID), "{format} has the workload id");
        assert!(
            text.to_lowercase().contains("margin"),
            "{format} has the margin"
        );
    }
    // The human formats carry the sources and the MSP's terms, and the mark.
    for (format, text) in [
        ("text", to_text(&internal)),
        ("markdown", to_markdown(&internal)),
        ("html", to_html(&internal)),
    ] {
        assert!(
            text.to_lowercase()
                .contains("internal: not for the customer"),
            "{format}"
        );
    }
    for text in [to_markdown(&internal), to_html(&internal)] {
        for marker in [
            PARTNER_TERMS,
            MSP_COST_SOURCE,
            LABOUR_SOURCE,
            MSP_COST_LABEL,
        ] {
            assert!(text.contains(marker), "{marker}");
        }
        // The partner fees of BPOS and the labour cost (55 an hour in the 2010 book).
        assert!(text.contains("Partner fee, BPOS"));
        // BPOS pays 18 % of the provider's revenue in the first year and 6 % after.
        assert!(text.contains("18 % of the provider"));
        assert!(text.contains("in the first year, 6 % after"));
        assert!(text.contains("55 USD"));
    }
    // Margin figures: the status quo earns 560.00 a month.
    assert_eq!(internal.scenarios[0].msp_monthly_margin_cents, Some(56_000));
    let json: serde_json::Value = serde_json::from_str(&to_json(&internal)).expect("json");
    assert_eq!(json["audience"], "internal");
    assert_eq!(json["scenarios"][0]["msp_monthly_margin_cents"], 56_000);

    let bytes = pdf(&internal);
    let Some(tools) = poppler() else { return };
    let pages = pdf_pages_text(&tools, &bytes);
    assert!(pages.len() >= 4, "{} pages", pages.len());
    for (i, page) in pages.iter().enumerate() {
        assert!(
            page.contains("INTERNAL: NOT FOR THE CUSTOMER"),
            "page {} has no internal mark",
            i + 1
        );
    }
    assert!(pages.concat().contains(WORKLOAD_ID));
}

#[test]
fn the_recommendation_is_stored_in_the_plan_and_round_trips() {
    let plan = marked_law_firm();
    let text = plan_to_ron(&plan);
    assert!(text.contains(
        "    recommended: Some((\n        scenario: \"Keep anything we need admin on\",\n        rationale: \"Admin access stays with us.\",\n    )),\n"
    ), "{}", &text[text.len().saturating_sub(400)..]);
    let read = parse_plan(&text).expect("reads back");
    assert_eq!(read.plan, plan);
    assert!(read.unknown_fields.is_empty());
    assert_eq!(plan_to_ron(&read.plan), text, "the same bytes");
    // A plan without one writes None and reads as none.
    let unrecommended = law_firm();
    assert!(plan_to_ron(&unrecommended).contains("    recommended: None,\n"));
    assert_eq!(
        parse_plan(&plan_to_ron(&unrecommended))
            .expect("reads")
            .plan
            .recommended,
        None
    );
}

#[test]
fn a_recommendation_must_name_a_scenario_of_the_plan_and_stay_short() {
    let mut plan = law_firm();
    plan.recommended = Some(RecommendedScenario {
        scenario: "Everything to the moon".to_owned(),
        rationale: String::new(),
    });
    let issues = validate(&plan);
    assert_eq!(issues.len(), 1, "{issues:?}");
    assert_eq!(issues[0].field, "recommended");
    assert!(
        issues[0]
            .message
            .contains("\"Everything to the moon\", which is not in the plan")
    );
    plan.recommended = Some(RecommendedScenario {
        scenario: "Status quo".to_owned(),
        rationale: "x".repeat(RecommendedScenario::MAX_RATIONALE_CHARS + 1),
    });
    let issues = validate(&plan);
    assert_eq!(issues.len(), 1, "{issues:?}");
    assert!(
        issues[0]
            .message
            .contains("the rationale has 601 characters; keep it to 600")
    );
}

#[test]
fn renaming_keeps_the_recommendation_and_deleting_clears_it_until_undone() {
    let mut plan = marked_law_firm();
    let index = plan.recommended_index().expect("recommended");
    let renamed = Scenario {
        name: "Keep admin access".to_owned(),
        ..plan.scenarios[index].clone()
    };
    let undo_rename = Edit::Scenario {
        index,
        scenario: renamed,
    }
    .apply(&mut plan);
    assert_eq!(
        plan.recommended.as_ref().map(|r| r.scenario.as_str()),
        Some("Keep admin access")
    );
    let undo_delete = Edit::RemoveScenario { index }.apply(&mut plan);
    assert_eq!(plan.recommended, None);
    assert_eq!(validate(&plan), []);
    let _ = undo_delete.apply(&mut plan);
    assert_eq!(
        plan.recommended.as_ref().map(|r| r.scenario.as_str()),
        Some("Keep admin access")
    );
    let _ = undo_rename.apply(&mut plan);
    assert_eq!(plan, marked_law_firm());
    // Another scenario's deletion leaves it alone.
    let _ = Edit::RemoveScenario { index: 1 }.apply(&mut plan);
    assert!(plan.recommended.is_some());
}

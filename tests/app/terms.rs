//! Commercial terms in the app, on the law firm's 2026 plan: the term is chosen beside the
//! destination in the table, the terms view shows the cheapest plan under each term policy and
//! makes any of them a scenario, and the price book editor and the workload editor edit terms,
//! licence lines and the licences with Software Assurance.

use egui::{Key, Modifiers};
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT, Queryable};
use keyholder::app::{Action, KeyholderApp, Tab, TradeOffView};
use keyholder::model::charts::term_policy_points;
use keyholder::model::{
    CostMetric, Decimal, Destination, Evaluation, Offer, TermKind, format_cents,
};

use crate::harness::{Setup, act, select, show};

fn open_2026(setup: &Setup) -> Harness<'static, KeyholderApp> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("saves/law-firm-2026.ron");
    let copy = setup.path("law-firm-2026.ron");
    std::fs::copy(path, &copy).expect("copy the sample");
    setup.harness(Some(copy))
}

#[test]
fn a_term_is_chosen_beside_the_destination_in_the_table_and_undoes() {
    let setup = Setup::new();
    let mut harness = open_2026(&setup);
    act(&mut harness, Action::SelectScenario(1));
    assert_eq!(
        harness.state().plan().scenarios[1].name,
        "Azure IaaS pay as you go"
    );
    let choice = |h: &Harness<'_, KeyholderApp>| {
        h.state().plan().scenarios[1]
            .choices
            .get("sql")
            .copied()
            .expect("sql moves")
    };
    assert_eq!(choice(&harness).term, None, "pay as you go, the first term");
    harness.get_by_label("Choice for SQL Server 2016").click();
    harness.run_ok();
    harness
        .get_by_label("Azure IaaS · 3-year reservation, paid upfront + Hybrid Benefit")
        .click();
    harness.run_ok();
    let chosen = choice(&harness);
    assert_eq!(chosen.destination, Destination::AzureIaas);
    assert_eq!(chosen.term, Some(TermKind::Reservation3YearUpfront));
    assert!(chosen.hybrid_benefit);
    assert_eq!(chosen.move_month, 6, "the move month is kept");
    // The row shows the offer's monthly cost: compute 70.08 × 38 % = 26.63, no licence,
    // 200 GB of disk 10.00, 10 GB out 0.87, Site Recovery 25.00, managed VM 150.00 = 212.50.
    let app = harness.state();
    let sql = app.plan().workload_index("sql").expect("sql");
    let pricing = app
        .state
        .derived
        .evaluation
        .offer_pricing(
            sql,
            Offer {
                destination: Destination::AzureIaas,
                term: TermKind::Reservation3YearUpfront,
                hybrid_benefit: true,
            },
        )
        .expect("offered");
    assert_eq!(pricing.monthly_cents, 21_250);
    harness.get_by_label("212.50");
    // The scenario's totals follow: one upfront payment more than before.
    let totals = &harness.state().state.derived.totals[1];
    assert_eq!(totals.upfront_cents, 2_663 * 30);

    harness.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    harness.run_ok();
    assert_eq!(choice(&harness).term, None);
    assert!(!choice(&harness).hybrid_benefit);

    // The workload editor chooses the same way.
    select(&mut harness, sql);
    harness
        .get_by_label("In \"Azure IaaS pay as you go\"")
        .click();
    harness.run_ok();
    // The offer is named twice: in the open list, and in the editor's table of prices.
    let item = harness
        .get_all_by_label("Azure IaaS · 1-year reservation, paid monthly")
        .find(|node| node.accesskit_node().role() != egui::accesskit::Role::Label)
        .expect("the list's item");
    item.click();
    harness.run_ok();
    assert_eq!(
        choice(&harness).term,
        Some(TermKind::Reservation1YearMonthly)
    );
    assert_eq!(choice(&harness).move_month, 6);
}

#[test]
fn the_terms_view_shows_the_cheapest_plan_under_each_policy_and_makes_it_a_scenario() {
    let setup = Setup::new();
    let mut harness = open_2026(&setup);
    harness.state_mut().views.charts.view = TradeOffView::Terms;
    harness.state_mut().views.charts.min_control = 70.0;
    show(&mut harness, Tab::TradeOff);
    harness.state_mut().state.term_policies.wait();
    harness.run_ok();
    let evaluation = Evaluation::new(harness.state().plan());
    let points = term_policy_points(
        &evaluation,
        CostMetric::Tco,
        Decimal::from(70),
        &std::sync::atomic::AtomicBool::new(false),
    )
    .expect("not cancelled");
    assert!(points.len() >= 4, "{points:#?}");
    for p in &points {
        harness.get_by_label(&p.label);
        harness.get_by_label(&format_cents(p.cost_cents));
        assert!(p.control_score >= Decimal::from(70));
    }
    // Without commitments the customer pays more and the MSP earns more (partner-earned
    // credit on pay as you go) than on any term with Hybrid Benefit.
    let find = |label: &str| points.iter().find(|p| p.label == label).expect(label);
    let flexible = find("No commitment");
    let cheapest = find("Any commitment, Hybrid Benefit");
    assert!(flexible.cost_cents > cheapest.cost_cents);
    assert!(flexible.msp_margin_total_cents > cheapest.msp_margin_total_cents);
    assert!(flexible.partner_fees_total_cents > cheapest.partner_fees_total_cents);

    let before = harness.state().plan().scenarios.len();
    harness
        .get_by_label("Create scenario: No commitment")
        .click();
    harness.run_ok();
    let app = harness.state();
    assert_eq!(app.plan().scenarios.len(), before + 1);
    let totals = app.state.derived.totals.last().expect("totals");
    assert_eq!(totals.tco_cents, flexible.cost_cents);
    assert_eq!(
        totals.msp_margin_total_cents,
        flexible.msp_margin_total_cents
    );
    assert_eq!(totals.control_score, flexible.control_score);
}

#[test]
fn the_editors_add_terms_and_mark_licences_with_software_assurance() {
    let setup = Setup::new();
    let mut harness = setup.harness(None);
    // The 2010 book sells Azure IaaS pay as you go only.
    assert!(
        harness
            .state()
            .plan()
            .price_book
            .destinations
            .azure_iaas
            .purchase_terms
            .is_empty()
    );
    show(&mut harness, Tab::PriceBook);
    harness.get_by_label("Azure IaaS (rehost)").click();
    harness.run_ok();
    // The first term added makes pay as you go explicit; the second is a reservation. (The
    // button lies below the fold of the editor: scroll to it first.)
    for _ in 0..2 {
        harness.get_by_label("Add term").scroll_to_me();
        harness.run_ok();
        harness.get_by_label("Add term").click();
        harness.run_ok();
    }
    let kinds: Vec<TermKind> = harness
        .state()
        .plan()
        .price_book
        .destinations
        .azure_iaas
        .purchase_terms
        .iter()
        .map(|t| t.kind)
        .collect();
    assert_eq!(
        kinds,
        [TermKind::PayAsYouGo, TermKind::Reservation1YearUpfront]
    );
    // Every workload Azure IaaS can host is now offered the reservation.
    let evaluation = &harness.state().state.derived.evaluation;
    assert!(
        evaluation
            .offers_of(0)
            .iter()
            .any(|(o, _)| o.destination == Destination::AzureIaas
                && o.term == TermKind::Reservation1YearUpfront)
    );

    // The workload editor: SQL Server's licences with Software Assurance.
    show(&mut harness, Tab::Workloads);
    let sql = harness.state().plan().workload_index("sql").expect("sql");
    select(&mut harness, sql);
    harness
        .get_by_label("Licences with Software Assurance")
        .click();
    harness.run_ok();
    assert!(harness.state().plan().workloads[sql].licences_with_sa);
    harness.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    harness.run_ok();
    assert!(!harness.state().plan().workloads[sql].licences_with_sa);
}

/// Text cells of the editors' grids are as wide as they ask, so a line's name and source can
/// be read (a grid column would otherwise keep its first, narrow, width).
#[test]
fn the_editors_text_cells_are_as_wide_as_they_ask() {
    let setup = Setup::new();
    let mut harness = open_2026(&setup);
    show(&mut harness, Tab::PriceBook);
    harness.get_by_label("Azure IaaS (rehost)").click();
    harness.run_ok();
    let recurring = "Azure IaaS Recurring (customer pays the provider) line 1";
    for (name, width) in [
        (format!("{recurring} label"), 200.0),
        (format!("{recurring} source"), 320.0),
        ("Azure IaaS term 2 source".to_owned(), 260.0),
        ("Azure IaaS fee rule 1 label".to_owned(), 180.0),
    ] {
        let shown = harness.get_by_label(&name).rect().width();
        assert!(shown >= width - 1.0, "{name}: {shown} points wide");
    }
    show(&mut harness, Tab::ControlModel);
    let shown = harness.get_by_label("Dimension 1 name").rect().width();
    assert!(shown >= 229.0, "a dimension's name: {shown} points wide");
}

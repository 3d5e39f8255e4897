//! The charts, the roadmap and the optimizer in the app: the data drawn equals the engine's
//! figures, and clicks on the charts do what the user expects.

use std::path::Path;

use egui::{Key, Modifiers, PointerButton, Pos2};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use keyholder::app::{Action, KeyholderApp, Tab, TradeOffView};
use keyholder::model::charts::{
    fiscal_quarter, frontier_steps, roadmap, scenario_points, workload_options,
};
use keyholder::model::{
    CostMetric, Decimal, Destination, Evaluation, Frontier, YearMonth, format_cents,
};
use keyholder::storage::{load_plan, sample_plan};

use crate::harness::{Setup, select, show};

fn sample(name: &str) -> keyholder::model::Plan {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("saves")
        .join(name);
    load_plan(&path).expect("sample").0.plan
}

#[test]
fn scenario_points_are_the_reports_figures() {
    let plan = sample("law-firm.ron");
    let evaluation = Evaluation::new(&plan);
    let totals = evaluation.scenarios(&plan);
    let points = scenario_points(&totals, CostMetric::Tco);
    // The same figures as `keyholder report saves/law-firm.ron --format json`.
    assert_eq!(points[0].cost_cents, 36_926_568);
    assert!((points[0].control - 100.0).abs() < 1e-9);
    assert_eq!(points[1].cost_cents, 36_785_365);
    assert!((points[1].control - 74.97).abs() < 0.005);
    let run_rate = scenario_points(&totals, CostMetric::RunRate);
    assert_eq!(run_rate[0].cost_cents, 1_025_738);
}

#[test]
fn workload_points_are_each_destinations_cost_and_control() {
    let plan = sample("law-firm.ron");
    let evaluation = Evaluation::new(&plan);
    let options = workload_options(&evaluation, plan.scenarios.get(1), CostMetric::Tco, &[0]);
    let on = |d: Destination| {
        options
            .iter()
            .find(|o| o.destination == d)
            .expect("offered")
    };
    // Exchange: BPOS 840.00 a month (5.00 + 2.00 per user × 120) over 36 months plus
    // 10,125.00 migration (125 × (8 + 0.5 × 120 + 2 × 650/100)).
    assert_eq!(on(Destination::Bpos).cost_cents, 36 * 84_000 + 1_012_500);
    assert!((on(Destination::Bpos).control - 11.0).abs() < 1e-9);
    assert!(on(Destination::OnPremises).is_current);
    assert!(
        on(Destination::Bpos).is_chosen,
        "the scenario moves Exchange to BPOS"
    );
    assert!(
        options
            .iter()
            .all(|o| o.destination != Destination::AzurePaas),
        "PaaS does not host email"
    );
    let run_rate = workload_options(&evaluation, None, CostMetric::RunRate, &[0]);
    assert_eq!(
        run_rate.iter().find(|o| o.is_current).map(|o| o.cost_cents),
        Some(138_834)
    );
}

#[test]
fn the_frontier_is_drawn_as_a_staircase_through_its_points() {
    let plan = sample("accounting-firm.ron");
    let frontier = Frontier::compute(&Evaluation::new(&plan), CostMetric::Tco);
    let steps = frontier_steps(&frontier.points, 10_000);
    assert_eq!(steps.len(), frontier.points.len() * 2);
    for (pair, point) in steps.chunks(2).zip(&frontier.points) {
        let cost = point.cost_cents as f64;
        assert_eq!(pair[0][1], cost);
        assert_eq!(pair[1][1], cost);
        assert!(
            (pair[1][0] - point.control_score.to_string().parse::<f64>().expect("f64")).abs()
                < 1e-9
        );
    }
}

#[test]
fn fiscal_quarters_follow_the_customers_fiscal_year() {
    let month = |y, m| YearMonth { year: y, month: m };
    assert_eq!(fiscal_quarter(month(2010, 3), 1), (2010, 1));
    assert_eq!(fiscal_quarter(month(2010, 4), 1), (2010, 2));
    // A fiscal year starting in May is named by the year it ends in.
    assert_eq!(fiscal_quarter(month(2010, 4), 5), (2010, 4));
    assert_eq!(fiscal_quarter(month(2010, 5), 5), (2011, 1));
    assert_eq!(fiscal_quarter(month(2011, 1), 5), (2011, 3));
    assert_eq!(fiscal_quarter(month(2010, 7), 7), (2011, 1));
}

#[test]
fn the_roadmap_groups_moves_by_fiscal_quarter() {
    let plan = sample("law-firm.ron");
    let evaluation = Evaluation::new(&plan);
    let scenario = plan
        .scenario("All collaboration to BPOS")
        .expect("scenario");
    let quarters = roadmap(&plan, &evaluation, scenario);
    // Exchange and Live Meeting move in month 3 (2010-06, FY10 Q2), SharePoint and OCS in
    // month 6 (2010-09, FY10 Q3).
    assert_eq!(quarters.len(), 2);
    assert_eq!((quarters[0].fiscal_year, quarters[0].quarter), (2010, 2));
    assert_eq!((quarters[1].fiscal_year, quarters[1].quarter), (2010, 3));
    assert_eq!(quarters[0].moves.len() + quarters[1].moves.len(), 4);
    // The totals are the moves' sums, and all one-time costs add up to the scenario's.
    let totals = evaluation.scenario(scenario);
    assert_eq!(
        quarters.iter().map(|q| q.one_time_cents).sum::<i64>(),
        totals.one_time_cents
    );
    let quo = &evaluation.scenarios(&plan)[0];
    assert_eq!(
        quarters.iter().map(|q| q.monthly_change_cents).sum::<i64>(),
        totals.run_rate_cents - quo.run_rate_cents
    );
    for q in &quarters {
        assert_eq!(
            q.one_time_cents,
            q.moves.iter().map(|m| m.one_time_cents).sum::<i64>()
        );
    }
}

/// Shows the trade-off chart with its frontier computed.
fn show_trade_off(harness: &mut Harness<'_, KeyholderApp>) {
    show(harness, Tab::TradeOff);
    harness.state_mut().state.frontier.wait();
    harness.run_ok();
}

#[test]
fn the_slider_picks_the_cheapest_frontier_plan_at_or_above_it() {
    let setup = Setup::new();
    let mut harness = setup.harness(None);
    show_trade_off(&mut harness);
    let frontier = Frontier::compute(
        &Evaluation::new(&sample_plan().expect("sample")),
        CostMetric::Tco,
    );
    for threshold in [0.0, 55.5, 80.0, 97.0] {
        harness.state_mut().views.charts.min_control = threshold;
        harness.run_ok();
        let expected = frontier
            .points
            .iter()
            .filter(|p| p.control_score >= Decimal::try_from(threshold).expect("decimal"))
            .min_by_key(|p| p.cost_cents)
            .copied()
            .expect("a plan");
        let text = format!(
            "Answer: control {:.2}, TCO over 36 months {} USD.",
            expected.control_score,
            format_cents(expected.cost_cents)
        );
        harness.get_by_label(&text);
    }
}

#[test]
fn a_scenario_created_from_the_answer_has_its_assignment_and_totals() {
    let setup = Setup::new();
    let mut harness = setup.harness(None);
    show_trade_off(&mut harness);
    harness.state_mut().views.charts.min_control = 70.0;
    harness.run_ok();
    let before = harness.state().plan().scenarios.len();
    harness
        .get_by_label("Create scenario from the answer")
        .click();
    harness.run_ok();
    let app = harness.state();
    assert_eq!(app.plan().scenarios.len(), before + 1);
    let created = app.plan().scenarios.last().expect("scenario");
    assert_eq!(created.name, "Cheapest with control at least 70");
    assert_eq!(app.state.active_scenario, before);
    let frontier = Frontier::compute(&Evaluation::new(app.plan()), CostMetric::Tco);
    let point = frontier
        .cheapest_with_control_at_least(Decimal::from(70))
        .expect("answer");
    let totals = app.state.derived.totals.last().expect("totals");
    assert_eq!(totals.tco_cents, point.cost_cents);
    assert_eq!(totals.control_score, point.control_score);
    assert!(totals.control_score >= Decimal::from(70));
    // Undo removes it again.
    harness.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    harness.run_ok();
    assert_eq!(harness.state().plan().scenarios.len(), before);
}

#[test]
fn clicking_a_destination_in_the_workload_view_sets_the_choice_and_undoes() {
    let setup = Setup::new();
    let mut harness = setup.harness(None);
    // Exchange, in "All collaboration to BPOS", goes to BPOS.
    select(&mut harness, 0);
    harness.state_mut().views.charts.view = TradeOffView::Workloads;
    show_trade_off(&mut harness);
    let scenario = harness.state().state.active_scenario;
    let choice = |h: &Harness<'_, KeyholderApp>| {
        h.state().plan().scenarios[scenario]
            .choices
            .get("exchange")
            .copied()
    };
    assert_eq!(
        choice(&harness).map(|c| c.destination),
        Some(Destination::Bpos)
    );
    let move_month = choice(&harness).map(|c| c.move_month);

    let app = harness.state();
    let options = workload_options(
        &app.state.derived.evaluation,
        app.plan().scenarios.get(scenario),
        CostMetric::Tco,
        &[0],
    );
    let iaas = options
        .iter()
        .find(|o| o.destination == Destination::AzureIaas)
        .expect("IaaS offered");
    let transform = app.views.charts.transform.expect("drawn");
    let position: Pos2 = transform.position_from_point(&egui_plot::PlotPoint::new(
        iaas.control,
        iaas.cost_cents as f64,
    ));
    harness.hover_at(position);
    harness.run_ok();
    for pressed in [true, false] {
        harness.event(egui::Event::PointerButton {
            pos: position,
            button: PointerButton::Primary,
            pressed,
            modifiers: Modifiers::NONE,
        });
    }
    harness.run_ok();
    assert_eq!(
        choice(&harness).map(|c| c.destination),
        Some(Destination::AzureIaas)
    );
    assert_eq!(
        choice(&harness).map(|c| c.move_month),
        move_month,
        "the move month is kept"
    );

    harness.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    harness.run_ok();
    assert_eq!(
        choice(&harness).map(|c| c.destination),
        Some(Destination::Bpos)
    );
}

#[test]
fn the_cash_flow_and_roadmap_views_show_the_sample() {
    let setup = Setup::new();
    let mut harness = setup.harness(None);
    show(&mut harness, Tab::CashFlow);
    harness.get_by_label("Monthly cost").click();
    harness.run_ok();
    assert!(harness.state().views.charts.show_monthly_cost);
    show(&mut harness, Tab::Roadmap);
    harness.get_by_label("FY10 Q2");
    // Moving Exchange to month 9 through the roadmap is an undoable edit.
    let month = harness.get_by_label("Move month of Exchange 2007");
    month.focus();
    harness.run_ok();
    harness.key_press_modifiers(Modifiers::COMMAND, Key::A);
    harness
        .get_by_label("Move month of Exchange 2007")
        .type_text("9");
    harness.key_press(Key::Enter);
    harness.run_ok();
    let scenario = harness.state().state.active_scenario;
    assert_eq!(
        harness.state().plan().scenarios[scenario].choices["exchange"].move_month,
        9
    );
}

/// On a plan with growth (the dental practice, 3 % a year), the answer line is the exact
/// optimizer's answer with the plan's own figures, and the scenario it creates has exactly
/// those totals: the TCO the report prints, control at or above the question's.
#[test]
fn with_growth_the_answer_line_is_the_exact_optimum_and_the_created_scenarios_totals() {
    let setup = Setup::new();
    let dental = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("saves")
        .join("dental-practice.ron");
    let mut harness = setup.harness(Some(dental));
    show_trade_off(&mut harness);
    harness.state_mut().views.charts.min_control = 70.0;
    harness.run_ok();
    let plan = harness.state().plan().clone();
    let evaluation = Evaluation::new(&plan);
    let optimum = keyholder::model::Optimizer::new(&evaluation, CostMetric::Tco)
        .cheapest_with_control_at_least(&evaluation, Decimal::from(70))
        .expect("a plan reaches 70");
    assert!(optimum.guarantee.is_exact());
    let horizon = plan.assumptions.horizon_months;
    harness.get_by_label(&format!(
        "Answer: control {}, TCO over {horizon} months {} {}.",
        keyholder::model::format_control(optimum.control_score),
        format_cents(optimum.cost_cents),
        plan.price_book.currency
    ));
    harness
        .get_by_label("Create scenario from the answer")
        .click();
    harness.run_ok();
    let totals = harness
        .state()
        .state
        .derived
        .totals
        .last()
        .expect("totals")
        .clone();
    assert_eq!(totals.tco_cents, optimum.cost_cents);
    assert_eq!(totals.control_score, optimum.control_score);
    assert!(totals.control_score >= Decimal::from(70));
}

/// "Most control within a cost" answers with the optimizer's exact plan, which can lie between
/// two of the frontier's points (they are 0.01 control points apart on a plan this size), and
/// the scenario it creates has exactly the figures of the answer line.
#[test]
fn most_control_within_a_cost_is_the_exact_optimum_even_between_frontier_points() {
    let setup = Setup::new();
    let plan = crate::synthetic::synthetic_plan(400, 11);
    let evaluation = Evaluation::new(&plan);
    let frontier = Frontier::compute(&evaluation, CostMetric::Tco);
    let optimizer = keyholder::model::Optimizer::new(&evaluation, CostMetric::Tco);
    // A budget whose best plan has more control than every frontier plan within it.
    let (budget, optimum) = frontier
        .points
        .windows(2)
        .find_map(|pair| {
            let budget = pair[1].cost_cents - 1;
            let exact = optimizer.most_control_within(&evaluation, budget)?;
            let on_frontier = frontier.most_control_within(budget)?;
            (exact.control_score > on_frontier.control_score).then_some((budget, exact))
        })
        .expect("a budget whose optimum lies between two frontier points");
    assert!(optimum.guarantee.is_exact());
    assert!(optimum.cost_cents <= budget);

    let mut harness = setup.harness(Some(setup.write_plan("many.ron", &plan)));
    show_trade_off(&mut harness);
    {
        let charts = &mut harness.state_mut().views.charts;
        charts.question = keyholder::app::Question::MaxCost;
        charts.max_cost = format!("{}.{:02}", budget / 100, budget % 100);
    }
    harness.run_ok();
    harness.state_mut().state.exact_answer.wait();
    harness.run_ok();
    harness.get_by_label(&format!(
        "Answer: control {}, TCO over 36 months {} USD.",
        keyholder::model::format_control(optimum.control_score),
        format_cents(optimum.cost_cents)
    ));
    harness
        .get_by_label("Create scenario from the answer")
        .click();
    harness.run_ok();
    let totals = harness.state().state.derived.totals.last().expect("totals");
    assert_eq!(totals.tco_cents, optimum.cost_cents);
    assert_eq!(totals.control_score, optimum.control_score);
    assert!(totals.tco_cents <= budget);
    // The status line says what was made, not where a frontier point came from.
    let status = harness.state().state.status.clone().unwrap_or_default();
    assert!(
        status.starts_with(&format!("Scenario \"{}\" created", totals.name)),
        "{status}"
    );
    assert!(!status.contains("frontier"), "{status}");
}

#[test]
fn opening_another_plan_never_shows_the_previous_plans_frontier_as_its_own() {
    let setup = Setup::new();
    let mut harness = setup.harness(None);
    show_trade_off(&mut harness);
    harness.get_by_label("Create scenario from the answer");
    let dental = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("saves")
        .join("dental-practice.ron");
    // One frame: the plan is opened and its frontier starts in the background.
    harness.state_mut().push(Action::OpenPath(dental.clone()));
    harness.step();
    let app = harness.state();
    let key = (
        app.state.generation,
        app.state.document.revision(),
        CostMetric::Tco,
    );
    assert!(
        !matches!(
            app.state.frontier.state(key),
            keyholder::app::FrontierState::Ready(_)
        ),
        "the law firm's frontier is not the dental practice's"
    );
    harness.state_mut().state.frontier.wait();
    harness.run_ok();
    let expected = Frontier::compute(
        &Evaluation::new(&sample("dental-practice.ron")),
        CostMetric::Tco,
    );
    let point = expected
        .cheapest_with_control_at_least(Decimal::from(70))
        .expect("answer");
    harness.get_by_label(&format!(
        "Answer: control {}, TCO over 36 months {} USD.",
        keyholder::model::format_control(point.control_score),
        format_cents(point.cost_cents)
    ));
}

#[test]
fn control_scores_round_half_away_from_zero_everywhere() {
    use keyholder::model::format_control;
    assert_eq!(
        format_control("74.96875".parse().expect("decimal")),
        "74.97"
    );
    assert_eq!(format_control("0.125".parse().expect("decimal")), "0.13");
    assert_eq!(format_control("52.465".parse().expect("decimal")), "52.47");
    assert_eq!(format_control(Decimal::ONE_HUNDRED), "100.00");
}

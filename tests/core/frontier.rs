//! The frontier against brute force on random small plans, and the optimizer's answers.

use keyholder::model::{
    CostMetric, Decimal, Destination, Evaluation, Frontier, Plan, Scenario, validate,
};
use proptest::prelude::*;

use crate::synthetic;

/// Every assignment of offered destinations, with its exact (cost, control).
fn brute_force(
    plan: &Plan,
    evaluation: &Evaluation,
    metric: CostMetric,
) -> Vec<(i64, Decimal, Vec<Destination>)> {
    synthetic::every_assignment(evaluation, plan.workloads.len())
        .into_iter()
        .map(|destinations| {
            let scenario = evaluation.scenario_from_destinations(plan, "candidate", &destinations);
            let totals = evaluation.scenario(&scenario);
            let cost = match metric {
                CostMetric::Tco => totals.tco_cents,
                CostMetric::RunRate => totals.run_rate_cents,
            };
            (cost, totals.control_score, destinations)
        })
        .collect()
}

fn pareto(all: &[(i64, Decimal, Vec<Destination>)]) -> Vec<(i64, Decimal)> {
    let mut points: Vec<(i64, Decimal)> = all
        .iter()
        .filter(|(cost, control, _)| {
            !all.iter()
                .any(|(c2, k2, _)| c2 <= cost && k2 >= control && (c2 < cost || k2 > control))
        })
        .map(|(c, k, _)| (*c, *k))
        .collect();
    points.sort();
    points.dedup();
    points
}

fn small_plan(workloads: usize, seed: u64, levels: [[u8; 5]; 3]) -> Plan {
    let mut plan = synthetic::synthetic_plan(workloads, seed);
    plan.scenarios.truncate(1);
    // A random control model with three dimensions and integer weights and levels.
    for (dimension, row) in plan.control_model.dimensions.iter_mut().zip(levels) {
        for (destination, level) in Destination::ALL.into_iter().zip(row) {
            *dimension.levels.get_mut(destination) = Decimal::from(level % 101);
        }
    }
    plan
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn frontier_equals_brute_force(
        workloads in 1usize..=5,
        seed in any::<u64>(),
        levels in any::<[[u8; 5]; 3]>(),
        run_rate in any::<bool>(),
    ) {
        let plan = small_plan(workloads, seed, levels);
        prop_assert!(validate(&plan).is_empty());
        let metric = if run_rate { CostMetric::RunRate } else { CostMetric::Tco };
        let evaluation = Evaluation::new(&plan);
        let frontier = Frontier::compute(&evaluation, metric);
        prop_assert!(frontier.resolution.exact);
        let expected = pareto(&brute_force(&plan, &evaluation, metric));
        let mut got: Vec<(i64, Decimal)> = frontier.points.iter().map(|p| (p.cost_cents, p.control_score)).collect();
        got.sort();
        prop_assert_eq!(got.len(), expected.len());
        for ((cost, control), (want_cost, want_control)) in got.iter().zip(&expected) {
            prop_assert_eq!(cost, want_cost);
            prop_assert!((control - want_control).abs() < Decimal::new(1, 20), "{} vs {}", control, want_control);
        }
        // Every point's assignment really has the point's cost and control.
        for point in &frontier.points {
            let destinations = frontier.assignment(point);
            let totals = evaluation.scenario(&evaluation.scenario_from_destinations(&plan, "p", &destinations));
            let cost = if run_rate { totals.run_rate_cents } else { totals.tco_cents };
            prop_assert_eq!(cost, point.cost_cents);
            prop_assert!((totals.control_score - point.control_score).abs() < Decimal::new(1, 20));
        }
    }

    #[test]
    fn optimizer_answers_match_brute_force(
        workloads in 1usize..=5,
        seed in any::<u64>(),
        threshold in 0u32..=100,
        budget_share in 0u32..=100,
    ) {
        let plan = small_plan(workloads, seed, [[100, 98, 71, 28, 11], [100, 100, 20, 20, 0], [100, 90, 70, 60, 40]]);
        let evaluation = Evaluation::new(&plan);
        let frontier = Frontier::compute(&evaluation, CostMetric::Tco);
        let all = brute_force(&plan, &evaluation, CostMetric::Tco);

        let min_control = Decimal::from(threshold);
        let want = all.iter().filter(|(_, k, _)| *k >= min_control).map(|(c, _, _)| *c).min();
        let got = frontier.cheapest_with_control_at_least(min_control).map(|p| p.cost_cents);
        prop_assert_eq!(got, want);

        let cheapest = all.iter().map(|(c, _, _)| *c).min().unwrap_or(0);
        let dearest = all.iter().map(|(c, _, _)| *c).max().unwrap_or(0);
        let budget = cheapest + (dearest - cheapest) * i64::from(budget_share) / 100;
        let want = all.iter().filter(|(c, _, _)| *c <= budget).map(|(_, k, _)| *k).max();
        let got = frontier.most_control_within(budget).map(|p| p.control_score);
        prop_assert_eq!(got.map(|k| k.round_dp(12)), want.map(|k| k.round_dp(12)));
    }
}

#[test]
fn default_control_model_is_exact_on_a_half_point_grid() {
    let plan = synthetic::synthetic_plan(50, 7);
    let frontier = Frontier::compute(&Evaluation::new(&plan), CostMetric::Tco);
    // Control by destination 100, 98.5, 71, 28, 11: all multiples of 0.5.
    assert!(frontier.resolution.exact);
    assert_eq!(frontier.resolution.step, Decimal::new(5, 1));
    // Ascending in both control and cost.
    for pair in frontier.points.windows(2) {
        assert!(pair[0].control_score < pair[1].control_score);
        assert!(pair[0].cost_cents < pair[1].cost_cents);
    }
}

#[test]
fn a_plan_with_every_workload_pinned_has_one_point() {
    let mut plan = synthetic::synthetic_plan(5, 3);
    for w in &mut plan.workloads {
        w.current = Destination::OnPremises;
        w.constraints.data_must_stay_onsite = true;
    }
    plan.scenarios.truncate(1);
    let evaluation = Evaluation::new(&plan);
    let frontier = Frontier::compute(&evaluation, CostMetric::RunRate);
    assert_eq!(frontier.points.len(), 1);
    let quo = evaluation.scenario(&Scenario::status_quo());
    assert_eq!(frontier.points[0].cost_cents, quo.run_rate_cents);
    assert_eq!(frontier.points[0].control_score, Decimal::ONE_HUNDRED);
}

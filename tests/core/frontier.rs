//! The frontier against brute force on random small plans, and the optimizer's answers.

use keyholder::model::{
    CostMetric, Decimal, Destination, Evaluation, Frontier, Plan, Pricing, Scenario, validate,
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

/// saves/law-firm.ron with its first workload (Exchange 2007, critical, four destinations)
/// copied `copies` times and nothing else.
fn exchange_copies(copies: usize) -> Plan {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/saves/law-firm.ron");
    let (loaded, _) = keyholder::storage::load_plan(std::path::Path::new(path)).expect("sample");
    let mut plan = loaded.plan;
    let exchange = plan.workloads[0].clone();
    assert_eq!(exchange.id, "exchange");
    plan.workloads = (0..copies)
        .map(|i| {
            let mut copy = exchange.clone();
            copy.id = format!("exchange-{i}");
            copy
        })
        .collect();
    plan.scenarios = vec![Scenario::status_quo()];
    plan
}

/// The frontier of many identical Exchange servers, from the model by hand: a plan is how many
/// of the copies go to each destination; its cost is Σ count × the copy's cost there, its
/// control Σ count × control(d) / copies. Every such distribution is enumerated.
#[test]
fn the_frontier_of_identical_copies_is_the_models_distributions() {
    let plan = exchange_copies(1);
    let evaluation = Evaluation::new(&plan);
    // The Exchange row of `keyholder report saves/law-firm.ron` (monthly, cents): on-premises
    // 1,388.34, MSP-hosted 1,275.00, Azure IaaS 518.70, no PaaS for mail, BPOS 840.00.
    let monthly: Vec<Option<i64>> = Destination::ALL
        .into_iter()
        .map(|d| evaluation.option(0, d).map(|p| p.monthly_cents))
        .collect();
    assert_eq!(
        monthly,
        [
            Some(138_834),
            Some(127_500),
            Some(51_870),
            None,
            Some(84_000)
        ]
    );
    // Control by destination, Σ weight × level / Σ weight with the sample's weights 5, 5, 25,
    // 10, 10, 15, 10, 20 (total 100): MSP-hosted (500 + 500 + 2,500 + 1,000 + 1,000 + 1,350 +
    // 1,000 + 2,000) / 100 = 98.5; IaaS (0 + 250 + 2,500 + 1,000 + 1,000 + 1,050 + 900 + 400)
    // / 100 = 71; BPOS (300 + 600 + 200) / 100 = 11. In half points: 200, 197, 142, 22.
    let half_points = [200_i64, 197, 142, 56, 22];
    for (d, units) in Destination::ALL.into_iter().zip(half_points) {
        assert_eq!(evaluation.control(d), Decimal::new(units * 5, 1));
    }
    let offered: Vec<(i64, Pricing)> = Destination::ALL
        .into_iter()
        .zip(half_points)
        .filter_map(|(d, units)| evaluation.option(0, d).map(|p| (units, *p)))
        .collect();
    assert_eq!(offered.len(), 4);
    // 20 copies: at most 20 × (200 − 22) + 1 control totals, so every frontier plan is listed;
    // 150 copies: the cheapest plan at every 0.01 points.
    for copies in [20_usize, 150] {
        let plan = exchange_copies(copies);
        let evaluation = Evaluation::new(&plan);
        for metric in [CostMetric::Tco, CostMetric::RunRate] {
            // TCO without growth: 36 × monthly + one-time (PRODUCT.md section 3).
            let cost_of = |p: &Pricing| match metric {
                CostMetric::Tco => 36 * p.monthly_cents + p.one_time_cents,
                CostMetric::RunRate => p.monthly_cents,
            };
            let costs: Vec<(i64, i64)> = offered.iter().map(|(u, p)| (*u, cost_of(p))).collect();
            // The cheapest distribution for each exact control total (half points × copies).
            let top = 200 * copies;
            let mut cheapest = vec![i64::MAX; top + 1];
            let n = i64::try_from(copies).expect("copies");
            for a in 0..=n {
                for b in 0..=n - a {
                    for c in 0..=n - a - b {
                        let counts = [a, b, c, n - a - b - c];
                        let units: i64 = counts.iter().zip(&costs).map(|(k, (u, _))| k * u).sum();
                        let cost: i64 = counts.iter().zip(&costs).map(|(k, (_, c))| k * c).sum();
                        let slot = &mut cheapest[usize::try_from(units).expect("units")];
                        *slot = (*slot).min(cost);
                    }
                }
            }
            // The answer for "at least u units": the cheapest, then the most control.
            let mut best_from: Vec<Option<(i64, usize)>> = vec![None; top + 2];
            for units in (0..=top).rev() {
                let here = (cheapest[units] != i64::MAX).then_some((cheapest[units], units));
                best_from[units] = match (here, best_from[units + 1]) {
                    (Some(h), Some(b)) if b.0 <= h.0 => Some(b),
                    (Some(h), _) => Some(h),
                    (None, b) => b,
                };
            }
            let score = |units: usize| Decimal::from(units) / Decimal::TWO / Decimal::from(copies);
            let frontier = Frontier::compute(&evaluation, metric);
            assert!(frontier.resolution.exact);
            let want: Vec<(i64, Decimal)> = if copies == 20 {
                assert_eq!(frontier.resolution.spacing, None);
                // Every plan no other beats: more control than every cheaper one.
                let mut front: Vec<(i64, Decimal)> = Vec::new();
                let mut units: Vec<usize> =
                    (0..=top).filter(|&u| cheapest[u] != i64::MAX).collect();
                units.sort_by_key(|&u| (cheapest[u], std::cmp::Reverse(u)));
                let mut most = None;
                for u in units {
                    if most.is_none_or(|m| u > m) {
                        most = Some(u);
                        front.push((cheapest[u], score(u)));
                    }
                }
                front
            } else {
                assert_eq!(frontier.resolution.spacing, Some(Decimal::new(1, 2)));
                // Score ≥ L / 100 ⟺ units × 0.5 ≥ copies × L / 100 ⟺ 50 × units ≥ copies × L.
                let mut levels: Vec<(i64, Decimal)> = Vec::new();
                for level in 0..=10_000_usize {
                    let need = (copies * level).div_ceil(50);
                    let Some((cost, units)) = best_from.get(need).copied().flatten() else {
                        break;
                    };
                    if levels.last() != Some(&(cost, score(units))) {
                        levels.push((cost, score(units)));
                    }
                }
                levels
            };
            let got: Vec<(i64, Decimal)> = frontier
                .points
                .iter()
                .map(|p| (p.cost_cents, p.control_score))
                .collect();
            assert_eq!(got.len(), want.len(), "{copies} copies, {metric:?}");
            assert_eq!(got, want, "{copies} copies, {metric:?}");
            // Each point is a real plan with its figures.
            for point in frontier.points.iter().step_by(37) {
                let answer = frontier.answer(&evaluation, point);
                let totals = evaluation.totals_of_destinations("check", &answer.destinations);
                assert_eq!(totals.control_score, point.control_score);
                let cost = match metric {
                    CostMetric::Tco => totals.tco_cents,
                    CostMetric::RunRate => totals.run_rate_cents,
                };
                assert_eq!(cost, point.cost_cents);
            }
        }
    }
}

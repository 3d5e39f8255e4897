//! The optimizer against brute force (random small plans with growth, odd control models and
//! ties at the bound), against an independent dynamic programme on medium plans, by the
//! engine's own figures on large plans, and on the shipped samples with hand-worked figures.

#![allow(
    clippy::cast_possible_truncation,
    clippy::cast_possible_wrap,
    clippy::cast_sign_loss,
    reason = "test plans: importance, units and seeds are small"
)]

use keyholder::model::{
    Answer, ControlDimension, CostMetric, Decimal, Destination, Evaluation, Frontier, Optimizer,
    PerDestination, Plan, Scenario, ScenarioTotals, round_cents,
};
use proptest::prelude::*;

use crate::synthetic;

fn cost_of(totals: &ScenarioTotals, metric: CostMetric) -> i64 {
    match metric {
        CostMetric::Tco => totals.tco_cents,
        CostMetric::RunRate => totals.run_rate_cents,
    }
}

/// Σ importance × Σ weight·level of a plan: its exact control score times Σ weight × Σ
/// importance (PRODUCT.md section 3), a whole decimal with no rounding.
fn weighted_control(plan: &Plan, destinations: &[Destination]) -> Decimal {
    plan.workloads
        .iter()
        .zip(destinations)
        .map(|(w, d)| {
            let levels: Decimal = plan
                .control_model
                .dimensions
                .iter()
                .map(|dim| dim.weight * *dim.levels.get(*d))
                .sum();
            Decimal::from(w.criticality.importance()) * levels
        })
        .sum()
}

/// A plan of the brute force: exact cost, exact weighted control, and the score as the
/// engine rounds it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Candidate {
    cost: i64,
    weighted: Decimal,
    score: Decimal,
}

/// Every assignment of the offers each workload may use (destinations, and their purchase
/// terms and Hybrid Benefit where the book has them).
fn every_plan(plan: &Plan, evaluation: &Evaluation, metric: CostMetric) -> Vec<Candidate> {
    let total_weight: Decimal = plan.control_model.dimensions.iter().map(|d| d.weight).sum();
    let importance: u32 = plan
        .workloads
        .iter()
        .map(|w| w.criticality.importance())
        .sum();
    crate::synthetic::every_offer_assignment(evaluation, plan.workloads.len())
        .into_iter()
        .map(|offers| {
            let totals = evaluation.totals_of_offers("candidate", &offers);
            let destinations: Vec<Destination> = offers.iter().map(|o| o.destination).collect();
            let weighted = weighted_control(plan, &destinations);
            Candidate {
                cost: cost_of(&totals, metric),
                weighted,
                // The exact fraction rounded once.
                score: weighted / (total_weight * Decimal::from(importance)),
            }
        })
        .collect()
}

/// The plans no other plan beats on both, ascending.
fn pareto(all: &[Candidate]) -> Vec<Candidate> {
    let mut sorted = all.to_vec();
    sorted.sort_by(|a, b| a.cost.cmp(&b.cost).then(b.weighted.cmp(&a.weighted)));
    let mut front: Vec<Candidate> = Vec::new();
    for plan in sorted {
        if front
            .last()
            .is_none_or(|last| plan.weighted > last.weighted)
        {
            front.push(plan);
        }
    }
    front
}

/// A small random plan: synthetic workloads, then the given growth, horizon and control
/// model (weights and levels may make the grid odd or the scores non-terminating).
fn random_plan(
    workloads: usize,
    seed: u64,
    growth_tenths: u32,
    horizon_months: u32,
    dimensions: &[(u32, [u8; 5])],
) -> Plan {
    let mut plan = synthetic::synthetic_plan(workloads, seed);
    plan.scenarios.truncate(1);
    plan.assumptions.growth_pct = Decimal::new(i64::from(growth_tenths), 1);
    plan.assumptions.horizon_months = horizon_months;
    if !dimensions.is_empty() {
        plan.control_model.dimensions = dimensions
            .iter()
            .enumerate()
            .map(|(i, (weight_tenths, levels))| ControlDimension {
                name: format!("dimension {i}"),
                weight: Decimal::new(i64::from(*weight_tenths), 1),
                levels: PerDestination::from_fn(|d| Decimal::from(levels[d.index()] % 101)),
            })
            .collect();
    }
    plan
}

/// Checks every question against the brute force of a small plan.
fn check_against_brute_force(plan: &Plan, metric: CostMetric) -> Result<(), TestCaseError> {
    let evaluation = Evaluation::new(plan);
    let all = every_plan(plan, &evaluation, metric);
    let front = pareto(&all);
    let optimizer = Optimizer::new(&evaluation, metric);
    let exact = optimizer.guarantee().is_exact();
    // Cheapest, then most control; most control, then cheapest.
    let cheapest_reaching = |min: Decimal| {
        all.iter()
            .filter(|c| c.score >= min)
            .min_by(|a, b| a.cost.cmp(&b.cost).then(b.weighted.cmp(&a.weighted)))
            .copied()
    };
    let most_control_within = |max: i64| {
        all.iter()
            .filter(|c| c.cost <= max)
            .max_by(|a, b| a.weighted.cmp(&b.weighted).then(b.cost.cmp(&a.cost)))
            .copied()
    };
    let key = |answer: &Answer| {
        (
            answer.cost_cents,
            weighted_control(plan, &answer.destinations),
        )
    };
    let frontier = Frontier::compute(&evaluation, metric);
    prop_assert_eq!(frontier.resolution.exact, exact);
    if exact {
        // The frontier is complete for small plans: exactly the Pareto set.
        let got: Vec<(i64, Decimal)> = frontier
            .points
            .iter()
            .map(|p| key(&frontier.answer(&evaluation, p)))
            .collect();
        let want: Vec<(i64, Decimal)> = front.iter().map(|c| (c.cost, c.weighted)).collect();
        prop_assert_eq!(got, want);
    }
    // Every frontier point is a real plan with the point's figures.
    for point in &frontier.points {
        let answer = frontier.answer(&evaluation, point);
        prop_assert_eq!(answer.cost_cents, point.cost_cents);
        prop_assert!((answer.control_score - point.control_score).abs() < Decimal::new(1, 20));
        prop_assert_eq!(&answer.destinations, &frontier.assignment(point));
        prop_assert_eq!(&answer.offers, &frontier.offers(point));
    }
    // Ties at the bound: asking for exactly a frontier plan's control or cost returns it.
    // (Scores to 20 decimals: distinct plans differ by far more, while the engine's 28-digit
    // arithmetic can differ from the exact fraction in the 26th digit when scores do not
    // terminate.)
    for plan_on_front in &front {
        let threshold = plan_on_front
            .score
            .round_dp_with_strategy(20, rust_decimal::RoundingStrategy::ToZero);
        let answer = optimizer
            .cheapest_with_control_at_least(&evaluation, threshold)
            .expect("a plan has this control");
        check_answer(&answer, &evaluation, metric)?;
        prop_assert!(answer.control_score >= threshold);
        if exact && answer.guarantee.is_exact() {
            prop_assert_eq!(key(&answer), (plan_on_front.cost, plan_on_front.weighted));
        }
        let answer = optimizer
            .most_control_within(&evaluation, plan_on_front.cost)
            .expect("this plan fits");
        check_answer(&answer, &evaluation, metric)?;
        prop_assert!(answer.cost_cents <= plan_on_front.cost);
        if exact {
            prop_assert_eq!(key(&answer), (plan_on_front.cost, plan_on_front.weighted));
        }
        // One cent less: the previous frontier plan, or none.
        let below = optimizer.most_control_within(&evaluation, plan_on_front.cost - 1);
        let want = most_control_within(plan_on_front.cost - 1);
        prop_assert_eq!(below.is_some(), want.is_some());
        if let (Some(answer), Some(want), true) = (below, want, exact) {
            prop_assert_eq!(key(&answer), (want.cost, want.weighted));
        }
    }
    // Thresholds between the plans' scores (whole numbers and a few with decimals).
    let thresholds = (0..=100).map(Decimal::from).chain([
        Decimal::new(7_001, 2),
        Decimal::new(885, 1),
        Decimal::new(9_999, 2),
    ]);
    for min in thresholds {
        let want = cheapest_reaching(min);
        let got = optimizer.cheapest_with_control_at_least(&evaluation, min);
        prop_assert_eq!(got.is_some(), want.is_some(), "min {}", min);
        if let (Some(got), Some(want)) = (got, want) {
            check_answer(&got, &evaluation, metric)?;
            prop_assert!(got.control_score >= min);
            if exact && got.guarantee.is_exact() {
                prop_assert_eq!(key(&got), (want.cost, want.weighted), "min {}", min);
            } else {
                prop_assert!(got.cost_cents >= want.cost);
            }
        }
    }
    Ok(())
}

/// An answer's own figures are the engine's for its assignment.
fn check_answer(
    answer: &Answer,
    evaluation: &Evaluation,
    metric: CostMetric,
) -> Result<(), TestCaseError> {
    let totals = evaluation.totals_of_offers("check", &answer.offers);
    prop_assert_eq!(
        &answer.destinations,
        &answer
            .offers
            .iter()
            .map(|o| o.destination)
            .collect::<Vec<_>>()
    );
    prop_assert_eq!(cost_of(&totals, metric), answer.cost_cents);
    prop_assert_eq!(totals.control_score, answer.control_score);
    prop_assert_eq!(
        &totals.monthly_cost_cents,
        &answer.totals.monthly_cost_cents
    );
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn answers_equal_brute_force_with_growth(
        workloads in 1usize..=5,
        seed in any::<u64>(),
        growth_tenths in prop_oneof![Just(0u32), 1u32..=250],
        horizon in prop_oneof![Just(36u32), 1u32..=120],
        run_rate in any::<bool>(),
    ) {
        let plan = random_plan(workloads, seed, growth_tenths, horizon, &[]);
        let metric = if run_rate { CostMetric::RunRate } else { CostMetric::Tco };
        check_against_brute_force(&plan, metric)?;
    }

    #[test]
    fn answers_equal_brute_force_with_odd_control_models(
        workloads in 1usize..=5,
        seed in any::<u64>(),
        growth_tenths in prop_oneof![Just(0u32), 1u32..=150],
        dimensions in proptest::collection::vec((1u32..=95, any::<[u8; 5]>()), 1..=4),
        run_rate in any::<bool>(),
    ) {
        // Weights like 0.7 and 3.1 give control scores on odd grids (1/38 of a point) or
        // with endless decimals.
        let plan = random_plan(workloads, seed, growth_tenths, 36, &dimensions);
        let metric = if run_rate { CostMetric::RunRate } else { CostMetric::Tco };
        check_against_brute_force(&plan, metric)?;
    }
}

/// Purchase terms on Azure IaaS (covering its first line at `iaas_pcts`, paid upfront or
/// monthly, with and without a commitment), Microsoft 365's billing terms, a licence on
/// Azure IaaS's second line, partner-earned credit on pay as you go, and Hybrid Benefit for
/// the workloads `licensed` marks.
fn with_terms(mut plan: Plan, iaas_pcts: &[(u8, bool)], licensed: &[bool]) -> Plan {
    use keyholder::model::{PurchaseTerm, TermKind};
    let kinds = [
        TermKind::Reservation1YearUpfront,
        TermKind::Reservation3YearMonthly,
        TermKind::SavingsPlan1Year,
    ];
    let iaas = &mut plan.price_book.destinations.azure_iaas;
    let first = iaas.recurring.first().map(|l| l.label.clone());
    if let Some(line) = iaas.recurring.get_mut(1) {
        line.licence = true;
    }
    let mut pay_as_you_go = PurchaseTerm::new(TermKind::PayAsYouGo);
    pay_as_you_go.source = "test".to_owned();
    iaas.purchase_terms = std::iter::once(pay_as_you_go)
        .chain(kinds.iter().zip(iaas_pcts).map(|(kind, (pct, upfront))| {
            let mut term = PurchaseTerm::new(*kind);
            term.recurring_pct = Decimal::from(*pct % 101);
            term.lines = first.iter().cloned().collect();
            term.paid_upfront = *upfront && term.commitment_months > 0;
            term.source = "test".to_owned();
            term
        }))
        .collect();
    iaas.partner_fee_rules = vec![crate::terms::pec_rule()];
    let bpos = &mut plan.price_book.destinations.bpos;
    bpos.purchase_terms = [
        (TermKind::AnnualBilledMonthly, 105),
        (TermKind::AnnualUpfront, 100),
        (TermKind::MonthlyTerm, 120),
    ]
    .into_iter()
    .map(|(kind, pct)| {
        let mut term = PurchaseTerm::new(kind);
        term.recurring_pct = Decimal::from(pct);
        term.source = "test".to_owned();
        term
    })
    .collect();
    for (w, licensed) in plan.workloads.iter_mut().zip(licensed) {
        w.licences_with_sa = *licensed;
    }
    plan
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(32))]

    #[test]
    fn answers_equal_brute_force_over_purchase_terms(
        workloads in 1usize..=3,
        seed in any::<u64>(),
        growth_tenths in prop_oneof![Just(0u32), 1u32..=150],
        horizon in prop_oneof![Just(36u32), 1u32..=60],
        iaas_pcts in proptest::collection::vec((0u8..=100, any::<bool>()), 0..=3),
        licensed in proptest::collection::vec(any::<bool>(), 3),
        run_rate in any::<bool>(),
    ) {
        // Terms multiply each workload's options (up to 4 terms × Hybrid Benefit on Azure
        // IaaS, 3 billing terms on Microsoft 365); upfront payments count as one-time under
        // TCO and do not grow.
        let plan = with_terms(
            random_plan(workloads, seed, growth_tenths, horizon, &[]),
            &iaas_pcts,
            &licensed,
        );
        prop_assert!(keyholder::model::validate(&plan).is_empty(), "{:#?}", keyholder::model::validate(&plan));
        let metric = if run_rate { CostMetric::RunRate } else { CostMetric::Tco };
        check_against_brute_force(&plan, metric)?;
    }

    #[test]
    fn answers_equal_brute_force_with_identical_workloads(
        distinct in 1usize..=2,
        copies in 2usize..=3,
        seed in any::<u64>(),
        growth_tenths in prop_oneof![Just(0u32), 1u32..=150],
        run_rate in any::<bool>(),
    ) {
        // Customers often have many identical servers: the search merges them, and must
        // still find every count of them that moves.
        let plan = with_copies(random_plan(distinct, seed, growth_tenths, 36, &[]), copies);
        let metric = if run_rate { CostMetric::RunRate } else { CostMetric::Tco };
        check_against_brute_force(&plan, metric)?;
    }
}

/// `copies` copies of `workload` with unique ids.
fn copies_of(
    workload: &keyholder::model::Workload,
    copies: usize,
    tag: &str,
) -> Vec<keyholder::model::Workload> {
    (0..copies)
        .map(|i| {
            let mut twin = workload.clone();
            twin.id = format!("{}-{tag}{i}", workload.id);
            twin
        })
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(32))]

    #[test]
    fn answers_equal_brute_force_with_many_identical_multi_destination_workloads(
        copies in 2usize..=6,
        second in 0usize..=2,
        seed in any::<u64>(),
        growth_tenths in prop_oneof![Just(0u32), 1u32..=150],
        horizon in prop_oneof![Just(36u32), 1u32..=120],
        run_rate in any::<bool>(),
    ) {
        // The same server many times over with three to five destinations (and a second
        // kind): the search carries such copies as one group, of which only a few may leave
        // the two options nearest the LP solution; it must still find every distribution.
        let pool = random_plan(12, seed, growth_tenths, horizon, &[]);
        let evaluation = Evaluation::new(&pool);
        let offered = |i: usize| Destination::ALL.into_iter().filter(|d| evaluation.offers(i, *d)).count();
        let kinds: Vec<usize> = (0..pool.workloads.len()).filter(|&i| offered(i) >= 3).collect();
        prop_assume!(kinds.len() >= 2);
        let (first, other) = (kinds[0], kinds[1]);
        let assignments = offered(first).pow(copies as u32) * offered(other).pow(second as u32);
        prop_assume!(assignments <= 20_000);
        let mut plan = pool.clone();
        plan.workloads = copies_of(&pool.workloads[first], copies, "a");
        plan.workloads.extend(copies_of(&pool.workloads[other], second, "b"));
        plan.scenarios = vec![Scenario::status_quo()];
        let metric = if run_rate { CostMetric::RunRate } else { CostMetric::Tco };
        check_against_brute_force(&plan, metric)?;
    }
}

/// Cheapest plan per exact control total, by a dynamic programme over every total (the
/// default control model: 0.5-point units 200, 197, 142, 56, 22), for a linear cost:
/// run rate, or TCO = horizon × monthly + one-time without growth.
fn dp_cheapest_by_units(plan: &Plan, evaluation: &Evaluation, metric: CostMetric) -> Vec<i64> {
    let units = |d: Destination| match d {
        Destination::OnPremises => 200,
        Destination::MspHosted => 197,
        Destination::AzureIaas => 142,
        Destination::AzurePaas => 56,
        Destination::Bpos => 22,
    };
    let horizon = i64::from(plan.assumptions.horizon_months);
    let mut best = vec![0_i64];
    for (i, w) in plan.workloads.iter().enumerate() {
        let importance = i64::from(w.criticality.importance()) as usize;
        let mut next = vec![i64::MAX; best.len() + 200 * importance];
        for d in Destination::ALL {
            let Some(p) = evaluation.option(i, d) else {
                continue;
            };
            let cost = match metric {
                CostMetric::RunRate => p.monthly_cents,
                CostMetric::Tco => horizon * p.monthly_cents + p.one_time_cents,
            };
            let shift = units(d) * importance;
            for (total, &before) in best.iter().enumerate() {
                if before != i64::MAX && before + cost < next[total + shift] {
                    next[total + shift] = before + cost;
                }
            }
        }
        best = next;
    }
    best
}

/// `copies` copies of each workload of a synthetic plan (ids kept unique).
fn with_copies(mut plan: Plan, copies: usize) -> Plan {
    let originals = plan.workloads.clone();
    for copy in 1..copies {
        for (i, w) in originals.iter().enumerate() {
            let mut twin = w.clone();
            twin.id = format!("{}-copy-{copy}-{i}", w.id);
            plan.workloads.push(twin);
        }
    }
    plan
}

/// A synthetic plan of `others` workloads and `copies` copies each of its first three
/// workloads with at least three destinations.
fn identical_servers(others: usize, seed: u64, copies: usize) -> Plan {
    let mut plan = synthetic::synthetic_plan(others, seed);
    let evaluation = Evaluation::new(&plan);
    let kinds: Vec<usize> = (0..others)
        .filter(|&i| {
            Destination::ALL
                .into_iter()
                .filter(|d| evaluation.offers(i, *d))
                .count()
                >= 3
        })
        .take(3)
        .collect();
    assert_eq!(kinds.len(), 3, "seed {seed}");
    for (n, &kind) in kinds.iter().enumerate() {
        let twins = copies_of(&plan.workloads[kind], copies, &format!("k{n}-"));
        plan.workloads.extend(twins);
    }
    plan.scenarios = vec![Scenario::status_quo()];
    plan
}

#[test]
fn answers_equal_an_independent_dynamic_programme_on_medium_plans() {
    let plans = [
        synthetic::synthetic_plan(60, 1),
        synthetic::synthetic_plan(120, 2),
        synthetic::synthetic_plan(150, 3),
        // Many identical workloads: 25 kinds, 6 of each.
        with_copies(synthetic::synthetic_plan(25, 4), 6),
        // 40 copies each of three servers with three or more destinations, among 20 others.
        identical_servers(20, 6, 40),
    ];
    for plan in plans {
        let workloads = plan.workloads.len();
        let evaluation = Evaluation::new(&plan);
        let importance: i64 = plan
            .workloads
            .iter()
            .map(|w| i64::from(w.criticality.importance()))
            .sum();
        for metric in [CostMetric::Tco, CostMetric::RunRate] {
            let table = dp_cheapest_by_units(&plan, &evaluation, metric);
            let optimizer = Optimizer::new(&evaluation, metric);
            for min in [0, 30, 50, 64, 70, 75, 83, 90, 97, 99] {
                // Units u have score u × 0.5 / importance ≥ min ⟺ u ≥ 2 × min × importance.
                let need = (2 * min * importance) as usize;
                let want = (need..table.len())
                    .filter(|&u| table[u] != i64::MAX)
                    .min_by(|&a, &b| table[a].cmp(&table[b]).then(b.cmp(&a)));
                let got = optimizer.cheapest_with_control_at_least(&evaluation, Decimal::from(min));
                match (got, want) {
                    (Some(got), Some(units)) => {
                        assert_eq!(got.cost_cents, table[units], "{workloads}/{min}/{metric:?}");
                        assert_eq!(
                            got.control_score,
                            Decimal::from(units as i64) / Decimal::TWO / Decimal::from(importance),
                            "{workloads}/{min}/{metric:?}"
                        );
                    }
                    (None, None) => {}
                    (got, want) => panic!("{workloads}/{min}: {got:?} vs {want:?}"),
                }
            }
            // Most control within budgets between the cheapest and the dearest frontier plan.
            let cheapest = table
                .iter()
                .filter(|c| **c != i64::MAX)
                .min()
                .copied()
                .unwrap_or(0);
            let dearest = table
                .iter()
                .filter(|c| **c != i64::MAX)
                .max()
                .copied()
                .unwrap_or(0);
            for share in [0, 10, 35, 50, 80, 100] {
                let budget = cheapest + (dearest - cheapest) * share / 100;
                let want = (0..table.len()).rev().find(|&u| table[u] <= budget);
                let got = optimizer.most_control_within(&evaluation, budget);
                let (Some(got), Some(units)) = (got, want) else {
                    panic!("{workloads}: a plan fits {budget}");
                };
                assert!(got.cost_cents <= budget);
                assert_eq!(
                    got.control_score,
                    Decimal::from(units as i64) / Decimal::TWO / Decimal::from(importance),
                    "{workloads}/{budget}/{metric:?}"
                );
                // The cheapest plan with exactly that control.
                let fewest = (units..table.len())
                    .filter(|&u| table[u] != i64::MAX)
                    .map(|u| table[u])
                    .min();
                assert_eq!(Some(got.cost_cents), fewest);
            }
        }
    }
}

/// Σ over plan years of months × round(R × 1.0g^year) + one-time, from PRODUCT.md section 3
/// (every move in month 0, so `recurring_cost(t)` is the same in every month of a year).
fn tco_by_hand(run_rate: i64, one_time: i64, growth_pct: Decimal, horizon: u32) -> i64 {
    let factor = Decimal::ONE + growth_pct / Decimal::ONE_HUNDRED;
    let mut total = one_time;
    let mut grown = Decimal::ONE;
    for year in 0..horizon.div_ceil(12) {
        let months = i64::from((horizon - 12 * year).min(12));
        total += months * round_cents(Decimal::from(run_rate) * grown);
        grown *= factor;
    }
    total
}

/// One-workload changes of an answer: none may give a cheaper plan that still meets the
/// bound (a necessary condition of optimality, checked with the exact TCO by hand).
fn no_single_change_improves(
    plan: &Plan,
    evaluation: &Evaluation,
    answer: &Answer,
    min_control: Decimal,
) {
    let importance: u32 = plan
        .workloads
        .iter()
        .map(|w| w.criticality.importance())
        .sum();
    let run_rate = answer.totals.run_rate_cents;
    let one_time = answer.totals.one_time_cents;
    let growth = plan.assumptions.growth_pct;
    let horizon = plan.assumptions.horizon_months;
    let weighted = answer.control_score * Decimal::from(importance);
    for (i, w) in plan.workloads.iter().enumerate() {
        let now = answer.destinations[i];
        let Some(here) = evaluation.option(i, now) else {
            panic!("answer uses a destination that is not offered");
        };
        for d in Destination::ALL {
            let Some(there) = evaluation.option(i, d) else {
                continue;
            };
            if d == now {
                continue;
            }
            let control = (weighted
                + Decimal::from(w.criticality.importance())
                    * (evaluation.control(d) - evaluation.control(now)))
                / Decimal::from(importance);
            if control < min_control {
                continue;
            }
            let cost = tco_by_hand(
                run_rate - here.monthly_cents + there.monthly_cents,
                one_time - here.one_time_cents + there.one_time_cents,
                growth,
                horizon,
            );
            assert!(
                cost >= answer.cost_cents,
                "moving {} to {d:?} gives {cost} < {}",
                w.id,
                answer.cost_cents
            );
        }
    }
}

#[test]
fn large_plans_with_growth_meet_the_bound_by_their_own_totals() {
    for (workloads, seed, growth) in [
        (3_000, 11, Decimal::new(35, 1)),
        (5_000, 12, Decimal::new(125, 1)),
    ] {
        let mut plan = synthetic::synthetic_plan(workloads, seed);
        plan.assumptions.growth_pct = growth;
        plan.assumptions.horizon_months = 60;
        let evaluation = Evaluation::new(&plan);
        let optimizer = Optimizer::new(&evaluation, CostMetric::Tco);
        assert!(optimizer.guarantee().is_exact());
        let mut previous_cost = 0;
        for min in [
            Decimal::ZERO,
            Decimal::new(5_000, 2),
            Decimal::new(7_000, 2),
            Decimal::new(8_999, 2),
            Decimal::from(90),
        ] {
            let answer = optimizer
                .cheapest_with_control_at_least(&evaluation, min)
                .expect("reachable");
            // The figures the report prints: the scenario built from the answer.
            let scenario =
                evaluation.scenario_from_destinations(&plan, "answer", &answer.destinations);
            let totals = evaluation.scenario(&scenario);
            assert!(
                totals.control_score >= min,
                "{} < {min}",
                totals.control_score
            );
            assert_eq!(totals.tco_cents, answer.cost_cents);
            assert_eq!(
                tco_by_hand(totals.run_rate_cents, totals.one_time_cents, growth, 60),
                totals.tco_cents
            );
            assert!(answer.cost_cents >= previous_cost);
            previous_cost = answer.cost_cents;
            no_single_change_improves(&plan, &evaluation, &answer, min);

            // Its own cost as a budget returns a plan at least as controlled, within budget.
            let back = optimizer
                .most_control_within(&evaluation, answer.cost_cents)
                .expect("the answer fits");
            assert!(back.totals.tco_cents <= answer.cost_cents);
            assert!(back.control_score >= answer.control_score);
            // A cent less buys no plan with the answer's control (it was the cheapest).
            if let Some(less) = optimizer.most_control_within(&evaluation, answer.cost_cents - 1) {
                assert!(
                    less.control_score < min,
                    "{} for one cent less",
                    less.control_score
                );
            }
        }
    }
}

#[test]
fn the_dental_practice_answers_are_exact_with_three_percent_growth() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/saves/dental-practice.ron");
    let (loaded, _) = keyholder::storage::load_plan(std::path::Path::new(path)).expect("sample");
    let plan = loaded.plan;
    assert_eq!(plan.assumptions.growth_pct, Decimal::from(3));
    let evaluation = Evaluation::new(&plan);
    let optimizer = Optimizer::new(&evaluation, CostMetric::Tco);
    let answer = optimizer
        .cheapest_with_control_at_least(&evaluation, Decimal::from(70))
        .expect("reachable");
    // TCO with 3 % growth, every move in month 0, horizon 36: 12 × R + 12 × round(1.03 R)
    // + 12 × round(1.0609 R) + one-time, with R the plan's run rate.
    let r = answer.totals.run_rate_cents;
    let by_hand = 12 * r
        + 12 * round_cents(Decimal::from(r) * Decimal::new(103, 2))
        + 12 * round_cents(Decimal::from(r) * Decimal::new(10_609, 4))
        + answer.totals.one_time_cents;
    assert_eq!(answer.cost_cents, by_hand);
    assert!(answer.control_score >= Decimal::from(70));
    // Brute force over every assignment confirms it is the cheapest.
    let all = every_plan(&plan, &evaluation, CostMetric::Tco);
    let best = all
        .iter()
        .filter(|c| c.score >= Decimal::from(70))
        .map(|c| c.cost)
        .min();
    assert_eq!(Some(answer.cost_cents), best);
    // Its TCO as a budget is accepted and returns a plan of that cost or less.
    let back = optimizer
        .most_control_within(&evaluation, answer.cost_cents)
        .expect("the answer's own TCO is a feasible budget");
    assert!(back.cost_cents <= answer.cost_cents);
    assert!(back.control_score >= answer.control_score);
}

#[test]
fn a_frontier_at_spacing_answers_every_level_exactly() {
    let plan = synthetic::synthetic_plan(400, 5);
    let evaluation = Evaluation::new(&plan);
    let frontier = Frontier::compute(&evaluation, CostMetric::Tco);
    assert_eq!(frontier.resolution.spacing, Some(Decimal::new(1, 2)));
    assert!(frontier.resolution.exact);
    assert_eq!(
        frontier.resolution.to_string(),
        "exact: the cheapest plan at every 0.01 control points"
    );
    for pair in frontier.points.windows(2) {
        assert!(pair[0].control_score < pair[1].control_score);
        assert!(pair[0].cost_cents < pair[1].cost_cents);
    }
    let optimizer = frontier.optimizer();
    for level in [
        1_500, 3_333, 5_000, 6_789, 7_000, 8_250, 9_000, 9_500, 9_999,
    ] {
        let min = Decimal::new(level, 2);
        let exact = optimizer.cheapest_with_control_at_least(&evaluation, min);
        let point = frontier.cheapest_with_control_at_least(min);
        assert_eq!(
            point.map(|p| (p.cost_cents, p.control_score)),
            exact.as_ref().map(|a| (a.cost_cents, a.control_score)),
            "level {min}"
        );
        if let Some(point) = point {
            let answer = frontier.answer(&evaluation, point);
            assert_eq!(answer.cost_cents, point.cost_cents);
            assert_eq!(answer.control_score, point.control_score);
        }
    }
    // The ends: the cheapest plan and the plan with the most control.
    let first = frontier.points.first().expect("points");
    let last = frontier.points.last().expect("points");
    let cheapest = optimizer.cheapest(&evaluation).expect("a plan");
    let most = optimizer.most_control(&evaluation).expect("a plan");
    assert_eq!(
        (first.cost_cents, first.control_score),
        (cheapest.cost_cents, cheapest.control_score)
    );
    assert_eq!(
        (last.cost_cents, last.control_score),
        (most.cost_cents, most.control_score)
    );
    // Each plan after the first is the answer at the level just above the one before (how
    // one walk up the grid goes), whichever core's range of control found it.
    for pair in frontier.points.windows(2) {
        let spacing = Decimal::new(1, 2);
        let next_level = (pair[0].control_score / spacing).floor() * spacing + spacing;
        let exact = optimizer
            .cheapest_with_control_at_least(&evaluation, next_level)
            .expect("a plan above");
        assert_eq!(
            (pair[1].cost_cents, pair[1].control_score),
            (exact.cost_cents, exact.control_score),
            "after control {}",
            pair[0].control_score
        );
    }
}

#[test]
fn a_cancelled_frontier_stops() {
    let plan = synthetic::synthetic_plan(300, 9);
    let evaluation = Evaluation::new(&plan);
    let cancel = std::sync::atomic::AtomicBool::new(true);
    assert!(Frontier::compute_unless_cancelled(&evaluation, CostMetric::Tco, &cancel).is_none());
}

#[test]
fn a_plan_without_workloads_has_one_empty_plan() {
    let mut plan = synthetic::synthetic_plan(3, 1);
    plan.workloads.clear();
    plan.scenarios = vec![Scenario::status_quo()];
    let evaluation = Evaluation::new(&plan);
    let optimizer = Optimizer::new(&evaluation, CostMetric::Tco);
    let answer = optimizer
        .cheapest_with_control_at_least(&evaluation, Decimal::ZERO)
        .expect("the empty plan");
    assert_eq!(answer.cost_cents, 0);
    assert!(
        optimizer
            .cheapest_with_control_at_least(&evaluation, Decimal::ONE)
            .is_none()
    );
    assert_eq!(
        Frontier::compute(&evaluation, CostMetric::Tco).points.len(),
        1
    );
}

/// `HiGHS`'s optima for the benchmark's seeded plans, written by
/// `KEYHOLDER_WRITE_FIXTURES=1 cargo bench --bench optimizer --features highs` (each `HiGHS` plan
/// re-costed by the engine, ties in cost broken by most control and ties in control by
/// least cost, as Keyholder breaks them).
#[test]
fn answers_equal_highs_optima_committed_as_fixtures() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/optimizer/highs-optima.json"
    );
    let text = std::fs::read_to_string(path).expect("the fixture file");
    let cases: Vec<serde_json::Value> = serde_json::from_str(&text).expect("JSON");
    assert!(cases.len() >= 12, "{} cases", cases.len());
    let int = |v: &serde_json::Value| v.as_i64().expect("integer");
    // (workloads, seed, growth in tenths, horizon) → the plan's evaluation and Σ importance.
    let mut plans: std::collections::HashMap<(i64, i64, i64, i64), (Evaluation, i64)> =
        std::collections::HashMap::new();
    for case in &cases {
        let key = (
            int(&case["workloads"]),
            int(&case["seed"]),
            int(&case["growth_tenths_pct"]),
            int(&case["horizon_months"]),
        );
        let (evaluation, importance) = plans.entry(key).or_insert_with(|| {
            let mut plan = synthetic::synthetic_plan(key.0 as usize, key.1 as u64);
            plan.assumptions.growth_pct = Decimal::new(key.2, 1);
            plan.assumptions.horizon_months = key.3 as u32;
            let evaluation = Evaluation::new(&plan);
            let importance = plan
                .workloads
                .iter()
                .map(|w| i64::from(w.criticality.importance()))
                .sum();
            (evaluation, importance)
        });
        let metric = match case["metric"].as_str() {
            Some("tco") => CostMetric::Tco,
            Some("run-rate") => CostMetric::RunRate,
            other => panic!("metric {other:?}"),
        };
        let optimizer = Optimizer::new(evaluation, metric);
        let bound = int(&case["bound"]);
        let answer = match case["question"].as_str() {
            Some("min_control") => {
                optimizer.cheapest_with_control_at_least(evaluation, Decimal::from(bound))
            }
            Some("max_cost_cents") => optimizer.most_control_within(evaluation, bound),
            other => panic!("question {other:?}"),
        }
        .expect("HiGHS found a plan");
        // Control units of the 0.5-point grid: score × Σ importance × 2.
        let units = answer.control_score * Decimal::from(*importance) * Decimal::TWO;
        assert_eq!(answer.cost_cents, int(&case["cost_cents"]), "{case}");
        assert_eq!(units, Decimal::from(int(&case["control_units"])), "{case}");
    }
}

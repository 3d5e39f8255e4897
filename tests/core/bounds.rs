//! The bound of every number in a plan (`model::bounds`), and what they guarantee: no
//! figure of a plan that validation accepts overflows, and such a plan can be reported,
//! optimized, compared and written and read again. Figures are worked out by hand in the
//! comments (PRODUCT.md section 3).

use keyholder::model::charts::scenario_roadmap;
use keyholder::model::{
    Basis, Category, Choice, CostMetric, Decimal, Destination, EngineError, Evaluation, Frontier,
    Plan, RateLine, Scenario, Workload, WorkloadFigure, YearMonth, bounds, diff_plans, price,
    try_diff_plans, validate,
};
use keyholder::report;
use keyholder::storage::{default_price_book, parse_plan, plan_to_ron, sample_plan};
use proptest::prelude::*;

use crate::bound_knobs::{KNOBS, apply, target};

fn dec(text: &str) -> Decimal {
    text.parse().expect("decimal")
}

fn messages(plan: &Plan) -> Vec<String> {
    validate(plan).iter().map(ToString::to_string).collect()
}

#[test]
#[expect(clippy::too_many_lines, reason = "one table row per bound")]
fn every_bound_accepts_its_limit_and_refuses_one_past_it() {
    type Check = Box<dyn Fn(bool) -> Result<(), String>>;
    // (what, check at the limit (false) or one step past it (true), message past it)
    let cases: Vec<(&str, Check, &str)> = vec![
        (
            "users",
            Box::new(|past| bounds::users(10_000_000 + u32::from(past))),
            "must be at most 10,000,000",
        ),
        (
            "seats",
            Box::new(|past| bounds::seats(10_000_000 + u32::from(past))),
            "must be at most 10,000,000",
        ),
        (
            "sites",
            Box::new(|past| bounds::sites(100_000 + u32::from(past))),
            "must be at most 100,000",
        ),
        (
            "servers",
            Box::new(|past| bounds::servers(100_000 + u32::from(past))),
            "must be at most 100,000",
        ),
        (
            "storage",
            Box::new(|past| {
                bounds::storage_gb(dec(if past { "100000000.01" } else { "100000000" }))
            }),
            "must be at most 100,000,000 GB",
        ),
        (
            "egress",
            Box::new(|past| {
                bounds::egress_gb_per_month(dec(if past { "100000000.01" } else { "100000000" }))
            }),
            "must be at most 100,000,000 GB",
        ),
        (
            "override",
            Box::new(|past| bounds::monthly_override_cents(1_000_000_000 + i64::from(past))),
            "must be at most 10,000,000.00",
        ),
        (
            "hours per month",
            Box::new(|past| bounds::hours_per_month(dec(if past { "744.5" } else { "744" }))),
            "must be at most 744 hours",
        ),
        (
            "rate per hour",
            Box::new(|past| bounds::rate_per_hour(dec(if past { "100000.01" } else { "100000" }))),
            "must be at most 100,000",
        ),
        (
            "unit price",
            Box::new(|past| bounds::unit_price(dec(if past { "1000000.0001" } else { "1000000" }))),
            "must be at most 1,000,000",
        ),
        (
            "hours",
            Box::new(|past| bounds::hours(dec(if past { "10000.25" } else { "10000" }))),
            "must be at most 10,000 hours",
        ),
        (
            "percent",
            Box::new(|past| bounds::percent(dec(if past { "100.01" } else { "100" }))),
            "must be from 0 to 100 %",
        ),
        (
            "level",
            Box::new(|past| bounds::control_level(dec(if past { "100.5" } else { "100" }))),
            "must be from 0 to 100",
        ),
        (
            "weight",
            Box::new(|past| bounds::weight(dec(if past { "10000.5" } else { "10000" }))),
            "must be at most 10,000",
        ),
        (
            "horizon",
            Box::new(|past| bounds::horizon_months(120 + u32::from(past))),
            "must be from 1 to 120 months",
        ),
        (
            "move month",
            Box::new(|past| bounds::move_month(1_200 + u32::from(past))),
            "must be at most 1,200 months",
        ),
        (
            "fiscal month",
            Box::new(|past| bounds::fiscal_year_start_month(12 + u8::from(past))),
            "must be from 1 to 12",
        ),
        (
            "workloads",
            Box::new(|past| bounds::workload_count(100_000 + usize::from(past))),
            "must be at most 100,000 workloads",
        ),
        (
            "scenarios",
            Box::new(|past| bounds::scenario_count(1_000 + usize::from(past))),
            "must be at most 1,000 scenarios",
        ),
        (
            "dimensions",
            Box::new(|past| bounds::dimension_count(100 + usize::from(past))),
            "must be at most 100 dimensions",
        ),
        (
            "rate lines",
            Box::new(|past| bounds::rate_line_count(100 + usize::from(past))),
            "must be at most 100 rate lines",
        ),
    ];
    for (what, check, message) in cases {
        assert_eq!(check(false), Ok(()), "{what} at its limit");
        assert_eq!(
            check(true),
            Err(message.to_owned()),
            "{what} past its limit"
        );
    }
    // The lower ends, one message per kind of problem.
    let negative = Err("must not be negative".to_owned());
    assert_eq!(bounds::storage_gb(dec("-0.01")), negative);
    assert_eq!(bounds::unit_price(dec("-1")), negative);
    assert_eq!(bounds::monthly_override_cents(-1), negative);
    assert_eq!(bounds::weight(dec("-5")), negative);
    assert_eq!(bounds::storage_gb(Decimal::ZERO), Ok(()));
    assert_eq!(
        bounds::hours_per_month(Decimal::ZERO),
        Err("must be more than 0".to_owned())
    );
    assert_eq!(
        bounds::horizon_months(0),
        Err("must be from 1 to 120 months".to_owned())
    );
    assert_eq!(
        bounds::percent(dec("-0.5")),
        Err("must be from 0 to 100 %".to_owned())
    );
    assert_eq!(
        bounds::fiscal_year_start_month(0),
        Err("must be from 1 to 12".to_owned())
    );
    // What a person types into a field.
    assert_eq!(
        bounds::parse_whole("12a", bounds::users),
        Err("must be a whole number".to_owned())
    );
    assert_eq!(
        bounds::parse_whole("200", bounds::horizon_months),
        Err("must be from 1 to 120 months".to_owned())
    );
    assert_eq!(
        bounds::parse_whole("-4", bounds::servers),
        Err("must not be negative".to_owned())
    );
    assert_eq!(bounds::parse_whole("36", bounds::horizon_months), Ok(36));
    assert_eq!(
        bounds::parse_number("1e28", bounds::hours_per_month),
        Err("must be at most 744 hours".to_owned())
    );
    assert_eq!(
        bounds::parse_number("twelve", bounds::unit_price),
        Err("must be a number".to_owned())
    );
}

/// A plan of one email workload priced only on-premises at 5.00 per user, with nothing
/// else in the price book for it.
fn per_user_plan(users: u32) -> Plan {
    let mut book = default_price_book().expect("book");
    let terms = book.destinations.get_mut(Destination::OnPremises);
    terms.recurring = vec![RateLine {
        label: "Licence".to_owned(),
        basis: Basis::PerUser,
        unit_price: dec("5"),
        categories: std::collections::BTreeSet::default(),
        source: "test".to_owned(),
        licence: false,
    }];
    terms.msp_fees.clear();
    terms.msp_costs.clear();
    terms.msp_labor_hours = keyholder::model::LaborHours::default();
    terms.migration_hours = keyholder::model::MigrationHours::default();
    let mut plan = Plan::new(
        "Bound",
        YearMonth {
            year: 2010,
            month: 2,
        },
        book,
    );
    let mut mail = Workload::new("mail", "Mail", Category::Email);
    mail.users = users;
    mail.servers = 0;
    mail.constraints.data_must_stay_onsite = true;
    plan.workloads.push(mail);
    plan
}

#[test]
fn a_workload_at_the_figure_bound_is_accepted_and_one_cent_more_is_refused() {
    // 5.00 × 2,000,000 users = 10,000,000.00 a month: exactly the most a workload may cost.
    let plan = per_user_plan(2_000_000);
    assert_eq!(messages(&plan), Vec::<String>::new());
    let evaluation = Evaluation::try_new(&plan).expect("evaluates");
    let status_quo = evaluation
        .try_scenario(&Scenario::status_quo())
        .expect("totals");
    assert_eq!(status_quo.run_rate_cents, 1_000_000_000);
    // 36 months × 1,000,000,000 cents.
    assert_eq!(status_quo.tco_cents, 36_000_000_000);

    // One more user: 10,000,005.00.
    let plan = per_user_plan(2_000_001);
    assert_eq!(
        messages(&plan),
        vec![
            "workloads[0] \"Mail\": its monthly cost on On-premises would be 10,000,005.00; a workload's monthly cost must be from 0 to 10,000,000.00 a month (check its users, servers, storage and egress, and the price book's rates)"
                .to_owned()
        ]
    );
    assert_eq!(
        Evaluation::try_new(&plan).map(|_| ()),
        Err(EngineError::Workload {
            index: 0,
            destination: Destination::OnPremises,
            figure: WorkloadFigure::Monthly,
            found: Some(1_000_000_500),
        })
    );
    // The fallback evaluation the app still uses counts the workload as zero, never panics.
    let fallback = Evaluation::new(&plan);
    assert_eq!(fallback.scenario(&Scenario::status_quo()).run_rate_cents, 0);
}

#[test]
fn the_worst_case_plan_of_the_bounds_module_adds_up_exactly() {
    // 100,000 workloads, each known to cost 10,000,000.00 a month, over 120 months with
    // 100 % growth a year and no discounting: every month of year y (0–9) costs
    // 100,000 × 10⁹ × 2^y cents, so TCO = 10¹⁴ × 12 × (1 + 2 + … + 512) = 10¹⁴ × 12,276.
    let mut plan = Plan::new(
        "Worst case",
        YearMonth {
            year: 2010,
            month: 1,
        },
        default_price_book().expect("book"),
    );
    plan.assumptions.horizon_months = 120;
    plan.assumptions.growth_pct = Decimal::ONE_HUNDRED;
    plan.assumptions.discount_rate_pct = Decimal::ZERO;
    for i in 0..bounds::MAX_WORKLOADS {
        let mut w = Workload::new(&format!("w{i}"), "Server", Category::Other);
        w.current_monthly_override_cents = Some(bounds::MAX_WORKLOAD_MONTHLY_CENTS);
        w.constraints.data_must_stay_onsite = true;
        plan.workloads.push(w);
    }
    assert_eq!(messages(&plan), Vec::<String>::new());
    let evaluation = Evaluation::try_new(&plan).expect("evaluates");
    let totals = evaluation
        .try_scenario(&Scenario::status_quo())
        .expect("totals");
    assert_eq!(totals.run_rate_cents, 100_000_000_000_000);
    assert_eq!(totals.tco_cents, 1_227_600_000_000_000_000);
    assert_eq!(totals.npv_cents, totals.tco_cents);
    assert_eq!(totals.monthly_cost_cents[119], 51_200_000_000_000_000);
    assert!(totals.tco_cents < i64::MAX / 7, "room to spare");

    // One workload more is refused by its count.
    plan.workloads
        .push(Workload::new("one-more", "Server", Category::Other));
    assert_eq!(
        messages(&plan),
        vec!["workloads: must be at most 100,000 workloads (found 100001)".to_owned()]
    );
    assert_eq!(
        Evaluation::try_new(&plan).map(|_| ()),
        Err(EngineError::TooManyWorkloads { count: 100_001 })
    );
}

#[test]
fn hours_per_month_of_1e28_is_refused_and_never_panics() {
    // Today's `check` accepted this and `report` panicked ("Multiplication overflowed").
    let mut plan = sample_plan().expect("sample");
    plan.price_book.hours_per_month = dec("10000000000000000000000000000");
    assert_eq!(
        messages(&plan),
        vec![
            "price_book.hours_per_month: must be at most 744 hours (found 10000000000000000000000000000)"
                .to_owned()
        ]
    );
    assert!(Evaluation::try_new(&plan).is_err());
    let evaluation = Evaluation::new(&plan);
    let _ = evaluation.scenarios(&plan);
    let _ = Frontier::compute(&evaluation, CostMetric::Tco);
    let _ = diff_plans(&sample_plan().expect("sample"), &plan);
    // A price that cannot be computed shows as zero rather than panicking.
    let exchange = &plan.workloads[0];
    assert_eq!(
        price(&plan.price_book, exchange, Destination::AzureIaas).monthly_cents,
        0
    );
}

#[test]
fn a_huge_override_no_longer_gives_a_negative_run_rate() {
    let mut plan = sample_plan().expect("sample");
    for w in &mut plan.workloads {
        w.current_monthly_override_cents = Some(i64::MAX / 4);
    }
    let issues = messages(&plan);
    assert_eq!(issues.len(), plan.workloads.len(), "{issues:#?}");
    assert!(issues[0].ends_with(
        ".current_monthly_override_cents: must be at most 10,000,000.00 (found 2305843009213693951)"
    ));
    assert!(Evaluation::try_new(&plan).is_err());
    for totals in Evaluation::new(&plan).scenarios(&plan) {
        assert!(totals.run_rate_cents >= 0, "{}", totals.run_rate_cents);
    }
}

#[test]
fn too_many_scenarios_are_refused_by_their_count() {
    let mut plan = sample_plan().expect("sample");
    for i in plan.scenarios.len()..=bounds::MAX_SCENARIOS {
        plan.scenarios.push(Scenario {
            name: format!("Scenario {i}"),
            ..Scenario::default()
        });
    }
    assert_eq!(plan.scenarios.len(), 1_001);
    assert_eq!(
        messages(&plan),
        vec!["scenarios: must be at most 1,000 scenarios (found 1001)".to_owned()]
    );
    plan.scenarios.pop();
    assert_eq!(messages(&plan), Vec::<String>::new());
}

// ---------------------------------------------------------------------------------------
// Moves and the horizon (PRODUCT.md section 3).

#[test]
fn a_move_at_or_after_the_end_of_the_horizon_leaves_the_workload_put() {
    let mut plan = sample_plan().expect("sample");
    plan.assumptions.horizon_months = 12;
    let status_quo = Evaluation::try_new(&plan)
        .expect("evaluates")
        .try_scenario(&Scenario::status_quo())
        .expect("totals");
    // The law firm's "All collaboration to BPOS" moves Exchange in month 3 and the rest
    // later; push every move to month 12 (the first month after the horizon) or later.
    let index = plan
        .scenarios
        .iter()
        .position(|s| s.name == "All collaboration to BPOS")
        .expect("scenario");
    for (k, choice) in plan.scenarios[index].choices.values_mut().enumerate() {
        choice.move_month = 12 + u32::try_from(k).expect("small") * 7;
    }
    assert_eq!(messages(&plan), Vec::<String>::new());
    let evaluation = Evaluation::try_new(&plan).expect("evaluates");
    let scenario = &plan.scenarios[index];
    let totals = evaluation.try_scenario(scenario).expect("totals");
    assert_eq!(totals.moves, 0);
    assert_eq!(totals.break_even_month, None);
    assert_eq!(totals.tco_cents, status_quo.tco_cents);
    assert_eq!(totals.run_rate_cents, status_quo.run_rate_cents);
    assert_eq!(totals.one_time_cents, 0);

    let roadmap = scenario_roadmap(&plan, &evaluation, scenario);
    assert!(roadmap.quarters.is_empty());
    assert_eq!(roadmap.outside_horizon.len(), scenario.choices.len());
    assert!(roadmap.outside_horizon.iter().all(|m| m.outside_horizon));
    assert_eq!(roadmap.outside_horizon[0].move_month, 12);
    assert!(
        roadmap
            .outside_horizon
            .windows(2)
            .all(|w| w[0].move_month <= w[1].move_month)
    );

    // Month 11 is the horizon's last month: a move then counts.
    let first = plan.scenarios[index]
        .choices
        .keys()
        .next()
        .cloned()
        .expect("a choice");
    if let Some(choice) = plan.scenarios[index].choices.get_mut(&first) {
        choice.move_month = 11;
    }
    let evaluation = Evaluation::try_new(&plan).expect("evaluates");
    let scenario = &plan.scenarios[index];
    assert_eq!(evaluation.try_scenario(scenario).expect("totals").moves, 1);
    let roadmap = scenario_roadmap(&plan, &evaluation, scenario);
    assert_eq!(roadmap.quarters.len(), 1);
    assert_eq!(roadmap.quarters[0].moves[0].move_month, 11);
    assert!(!roadmap.quarters[0].moves[0].outside_horizon);
    assert_eq!(roadmap.outside_horizon.len(), scenario.choices.len() - 1);
}

#[test]
fn shortening_the_horizon_never_makes_a_sample_invalid() {
    for name in ["law-firm.ron", "dental-practice.ron", "accounting-firm.ron"] {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("saves")
            .join(name);
        let text = std::fs::read_to_string(&path).expect("read");
        let mut plan = parse_plan(&text).expect("parse").plan;
        for horizon in (1..=plan.assumptions.horizon_months).rev() {
            plan.assumptions.horizon_months = horizon;
            assert_eq!(messages(&plan), Vec::<String>::new(), "{name} at {horizon}");
            let evaluation = Evaluation::try_new(&plan).expect("evaluates");
            for totals in evaluation.try_scenarios(&plan).expect("totals") {
                assert_eq!(totals.monthly_cost_cents.len(), horizon as usize);
                if totals.moves == 0 {
                    assert_eq!(totals.break_even_month, None, "{name}: {}", totals.name);
                }
            }
        }
    }
}

#[test]
fn a_status_quo_that_moves_something_is_refused() {
    let mut plan = sample_plan().expect("sample");
    let exchange = plan.workloads[0].id.clone();
    // A choice that keeps a workload where it is moves nothing: allowed.
    plan.scenarios[0]
        .choices
        .insert(exchange.clone(), Choice::new(plan.workloads[0].current, 0));
    assert_eq!(messages(&plan), Vec::<String>::new());
    for name in ["Status quo", " status quo "] {
        plan.scenarios[0].name = name.to_owned();
        plan.scenarios[0]
            .choices
            .insert(exchange.clone(), Choice::new(Destination::Bpos, 40));
        assert_eq!(
            messages(&plan),
            vec![format!(
                "scenarios[0] \"{name}\".choices[\"exchange\"]: \"Status quo\" is the built-in scenario in which nothing moves, but it moves \"Exchange 2007\" to BPOS; give this scenario another name"
            )]
        );
    }
}

// ---------------------------------------------------------------------------------------
// Plans at and beyond every bound.

/// Everything the CLI and the app do with a plan validation accepted, each checked.
fn use_accepted_plan(plan: &Plan, sample: &Plan) -> Result<(), TestCaseError> {
    let evaluation = Evaluation::try_new(plan).map_err(|e| TestCaseError::fail(e.to_string()))?;
    let totals = evaluation
        .try_scenarios(plan)
        .map_err(|e| TestCaseError::fail(e.to_string()))?;
    for t in &totals {
        prop_assert!(t.run_rate_cents >= 0 && t.tco_cents >= 0 && t.npv_cents >= 0);
        prop_assert!(t.npv_cents <= t.tco_cents);
        prop_assert!(t.control_score >= Decimal::ZERO && t.control_score <= Decimal::ONE_HUNDRED);
    }
    for metric in [CostMetric::Tco, CostMetric::RunRate] {
        let frontier = Frontier::compute(&evaluation, metric);
        prop_assert!(!frontier.points.is_empty());
        for point in [frontier.points.first(), frontier.points.last()]
            .into_iter()
            .flatten()
        {
            prop_assert!(point.cost_cents >= 0);
            let destinations = frontier.assignment(point);
            let scenario = evaluation.scenario_from_destinations(plan, "Answer", &destinations);
            evaluation
                .try_scenario(&scenario)
                .map_err(|e| TestCaseError::fail(e.to_string()))?;
        }
    }
    try_diff_plans(sample, plan).map_err(|e| TestCaseError::fail(e.to_string()))?;
    try_diff_plans(plan, sample).map_err(|e| TestCaseError::fail(e.to_string()))?;
    let built = report::build_for_plan(
        plan,
        &report::ReportOptions {
            focus: None,
            audience: report::Audience::Internal,
            charts: true,
        },
    )
    .map_err(TestCaseError::fail)?;
    let _ = (
        report::to_text(&built),
        report::to_json(&built),
        report::to_html(&built),
    );
    // The drawn formats lay out every figure at a bound without failing.
    report::to_pdf(
        &built,
        &report::PdfOptions {
            paper: report::Paper::A4,
            prepared_on: "1 Dec 2026".to_owned(),
        },
    )
    .map_err(TestCaseError::fail)?;
    report::chart_png(
        &built,
        report::ChartKind::CashFlow,
        report::ChartSize::new(640, 360).map_err(TestCaseError::fail)?,
    )
    .map_err(TestCaseError::fail)?;
    for scenario in &plan.scenarios {
        let _ = scenario_roadmap(plan, &evaluation, scenario);
    }
    // Opened again from its file, the plan is the same and still valid.
    let reread = parse_plan(&plan_to_ron(plan)).map_err(|e| TestCaseError::fail(e.to_string()))?;
    prop_assert_eq!(&reread.plan, plan);
    prop_assert!(validate(&reread.plan).is_empty());
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 256,
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    /// Any plan validation accepts can be evaluated, reported, optimized, compared and
    /// opened; a plan with a value beyond its bound is refused; and nothing panics either way.
    #[test]
    fn plans_at_and_beyond_every_bound(
        settings in prop::collection::vec(
            (0..KNOBS.len(), any::<prop::sample::Index>(), 0..11_usize, 0..5_usize),
            1..6,
        ),
    ) {
        let sample = sample_plan().expect("sample");
        prop_assert!(sample
            .price_book
            .destinations
            .iter()
            .all(|(_, terms)| !terms.recurring.is_empty()));
        let mut plan = sample.clone();
        let mut past_bounds = std::collections::HashMap::new();
        for (knob, pick, w, d) in settings {
            let (name, values) = KNOBS[knob];
            let (value, past) = values[pick.index(values.len())];
            apply(&mut plan, name, value, w, Destination::ALL[d]);
            past_bounds.insert(target(name, w, d), past);
        }
        let beyond = past_bounds.values().any(|&past| past);
        let issues = validate(&plan);
        if beyond {
            prop_assert!(!issues.is_empty(), "a value beyond its bound was accepted");
        }

        // Whatever the plan, nothing panics.
        let fallback = Evaluation::new(&plan);
        let _ = fallback.scenarios(&plan);
        let _ = Frontier::compute(&fallback, CostMetric::Tco);
        let _ = diff_plans(&sample, &plan);

        if issues.is_empty() {
            use_accepted_plan(&plan, &sample)?;
        } else if issues.iter().all(|i| i.field.starts_with("workloads[") && !i.field.contains("\".")) {
            // Only figures out of bounds: exactly what the engine refuses.
            prop_assert!(Evaluation::try_new(&plan).is_err(), "{:?}", issues);
        }
    }
}

#[test]
fn repricing_a_workload_past_its_bound_says_why_and_keeps_the_evaluation_usable() {
    let mut plan = per_user_plan(1_000);
    plan.workloads.push({
        let mut other = Workload::new("files", "Files", Category::FileServer);
        other.current_monthly_override_cents = Some(50_000);
        other.constraints.data_must_stay_onsite = true;
        other
    });
    let mut evaluation = Evaluation::try_new(&plan).expect("evaluates");
    // 5.00 × 1,000 = 5,000.00 for the mail, 500.00 known for the files.
    assert_eq!(
        evaluation
            .try_scenario(&Scenario::status_quo())
            .expect("totals")
            .run_rate_cents,
        550_000
    );
    plan.workloads[0].users = 3_000_000; // 15,000,000.00 a month: past the bound
    assert_eq!(
        evaluation.try_update_workload(&plan, 0),
        Err(EngineError::Workload {
            index: 0,
            destination: Destination::OnPremises,
            figure: WorkloadFigure::Monthly,
            found: Some(1_500_000_000),
        })
    );
    // The workload counts as zero until it is fixed; the rest is still there.
    assert_eq!(
        evaluation
            .try_scenario(&Scenario::status_quo())
            .expect("totals")
            .run_rate_cents,
        50_000
    );
    plan.workloads[0].users = 2_000;
    assert_eq!(evaluation.try_update_workload(&plan, 0), Ok(()));
    let fresh = Evaluation::try_new(&plan).expect("evaluates");
    assert_eq!(
        evaluation.try_scenarios(&plan).expect("totals"),
        fresh.try_scenarios(&plan).expect("totals")
    );
    assert_eq!(
        fresh
            .try_scenario(&Scenario::status_quo())
            .expect("totals")
            .run_rate_cents,
        1_050_000
    );
}

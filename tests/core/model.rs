//! The engine against figures worked out by hand from PRODUCT.md section 3 and the 2010
//! price book (assets/price-books/microsoft-2010.ron). The arithmetic is in the comments.

use keyholder::model::{
    Category, Choice, Criticality, Decimal, Destination, Evaluation, Plan, Scenario, Workload,
    YearMonth, allowed_destinations, price, validate,
};
use keyholder::storage::default_price_book;

fn dec(text: &str) -> Decimal {
    text.parse().expect("decimal")
}

/// Exchange: email, 40 users, 1 server, 200 GB, 10 GB egress, high, on-premises.
fn exchange() -> Workload {
    let mut w = Workload::new("exchange", "Exchange 2003", Category::Email);
    w.users = 40;
    w.servers = 1;
    w.storage_gb = dec("200");
    w.egress_gb_per_month = dec("10");
    w.criticality = Criticality::High;
    w
}

/// File server: 2 servers, 1,000 GB, medium, on-premises, real cost known: 500.00 a month.
fn file_server() -> Workload {
    let mut w = Workload::new("files", "File server", Category::FileServer);
    w.servers = 2;
    w.storage_gb = dec("1000");
    w.current_monthly_override_cents = Some(50_000);
    w
}

fn plan(horizon_months: u32) -> Plan {
    let mut plan = Plan::new(
        "Dental practice",
        YearMonth {
            year: 2010,
            month: 3,
        },
        default_price_book().expect("book"),
    );
    plan.assumptions.horizon_months = horizon_months;
    plan.workloads = vec![exchange(), file_server()];
    plan
}

/// Exchange to BPOS in month 3, the file server to Azure IaaS in month 0.
fn move_scenario() -> Scenario {
    let mut s = Scenario {
        name: "Move".to_owned(),
        ..Scenario::default()
    };
    s.choices
        .insert("exchange".to_owned(), Choice::new(Destination::Bpos, 3));
    s.choices
        .insert("files".to_owned(), Choice::new(Destination::AzureIaas, 0));
    s
}

#[test]
fn exchange_on_premises_is_priced_line_by_line() {
    let plan = plan(36);
    let p = price(
        &plan.price_book,
        &plan.workloads[0],
        Destination::OnPremises,
    );
    // hardware 125.00 + power 40.00 + storage 0.40×200 = 80.00 + backup 69.17
    // + licences 3.00×40 = 120.00 (email is licensed) = 434.17
    assert_eq!(p.recurring_cents, 43_417);
    assert_eq!(p.msp_fees_cents, 15_000); // managed server 150.00
    assert_eq!(p.monthly_cents, 58_417);
    assert_eq!(p.one_time_cents, 0); // it is already there
    assert_eq!(p.msp_cost_cents, 11_000); // 55.00 × 2 h per server-month
}

#[test]
fn exchange_on_msp_hosted_azure_and_bpos() {
    let plan = plan(36);
    let w = &plan.workloads[0];
    let hosted = price(&plan.price_book, w, Destination::MspHosted);
    assert_eq!(hosted.recurring_cents, 14_000); // SPLA 3.50 × 40
    assert_eq!(hosted.msp_fees_cents, 39_000); // 150 + 180 + 0.30 × 200
    assert_eq!(hosted.one_time_cents, 225_000); // 125 × (8 + 8 + 1 × 200/100)
    assert_eq!(hosted.msp_cost_cents, 21_250); // 55 × 1.5 + 110 + 0.10 × 200

    let iaas = price(&plan.price_book, w, Destination::AzureIaas);
    // 0.12 × 730 = 87.60, 0.15 × 200 = 30.00, 0.15 × 10 = 1.50
    assert_eq!(iaas.recurring_cents, 11_910);
    assert_eq!(iaas.monthly_cents, 23_910); // + managed VM 120.00
    assert_eq!(iaas.one_time_cents, 200_000); // 125 × (8 + 6 + 2)
    assert_eq!(iaas.migration_cost_cents, 88_000); // 55 × 16

    let bpos = price(&plan.price_book, w, Destination::Bpos);
    assert_eq!(bpos.recurring_cents, 20_000); // Exchange Online 5.00 × 40
    assert_eq!(bpos.monthly_cents, 28_000); // + user administration 2.00 × 40
    assert_eq!(bpos.one_time_cents, 400_000); // 125 × (8 + 0.5 × 40 + 2 × 200/100)
    assert_eq!(bpos.msp_cost_cents, 4_400); // 55 × 0.02 × 40
    assert_eq!(bpos.partner_fee_first_year_cents, 3_600); // 18 % of 200.00
    assert_eq!(bpos.partner_fee_recurring_cents, 1_200); // 6 %
    assert_eq!(bpos.msp_margin_cents(11), 7_200); // 80 + 36 - 44
    assert_eq!(bpos.msp_margin_cents(12), 4_800); // 80 + 12 - 44
}

#[test]
fn override_replaces_the_current_monthly_cost_only() {
    let plan = plan(36);
    let w = &plan.workloads[1];
    assert_eq!(
        price(&plan.price_book, w, Destination::OnPremises).monthly_cents,
        50_000
    );
    // Elsewhere it is priced: 0.12 × 2 × 730 = 175.20, 0.15 × 1000 = 150.00, VM 2 × 120.00
    let iaas = price(&plan.price_book, w, Destination::AzureIaas);
    assert_eq!(iaas.monthly_cents, 56_520);
    assert_eq!(iaas.one_time_cents, 375_000); // 125 × (8 + 6 × 2 + 10)
}

#[test]
fn every_line_is_rounded_half_away_from_zero() {
    let mut plan = plan(36);
    plan.workloads[0].storage_gb = Decimal::ZERO;
    plan.workloads[0].egress_gb_per_month = dec("3.3");
    let iaas = price(&plan.price_book, &plan.workloads[0], Destination::AzureIaas);
    // 87.60 compute + 0.15 × 3.3 = 0.495 → 0.50
    assert_eq!(iaas.recurring_cents, 8_760 + 50);
}

#[test]
fn categories_and_constraints_rule_destinations_out() {
    use Destination::*;
    let plan = plan(36);
    let book = &plan.price_book;
    assert_eq!(
        allowed_destinations(book, &plan.workloads[0]),
        vec![OnPremises, MspHosted, AzureIaas, Bpos]
    );
    assert_eq!(
        allowed_destinations(book, &plan.workloads[1]),
        vec![OnPremises, MspHosted, AzureIaas]
    );

    let mut crm = Workload::new("crm", "CRM", Category::Crm);
    assert_eq!(
        allowed_destinations(book, &crm),
        vec![OnPremises, MspHosted, AzureIaas, AzurePaas]
    );
    crm.constraints.needs_os_admin = true;
    assert_eq!(
        allowed_destinations(book, &crm),
        vec![OnPremises, MspHosted, AzureIaas]
    );

    let mut mail = exchange();
    mail.constraints.custom_code = true;
    assert_eq!(
        allowed_destinations(book, &mail),
        vec![OnPremises, MspHosted, AzureIaas]
    );
    mail.constraints.data_must_stay_onsite = true;
    assert_eq!(allowed_destinations(book, &mail), vec![OnPremises]);
}

#[test]
fn scenario_totals_over_five_years() {
    let plan = plan(60);
    let evaluation = Evaluation::new(&plan);
    let quo = evaluation.scenario(&Scenario::status_quo());
    assert_eq!(quo.run_rate_cents, 108_417); // 584.17 + 500.00
    assert_eq!(quo.tco_cents, 60 * 108_417);
    assert_eq!(quo.break_even_month, None);
    assert_eq!(quo.control_score, Decimal::ONE_HUNDRED);

    let s = evaluation.scenario(&move_scenario());
    // Month 0: 584.17 + 565.20 + one-time 3,750.00; months 1-2: 1,149.37;
    // month 3: 280.00 + 565.20 + one-time 4,000.00; months 4-59: 845.20.
    assert_eq!(s.monthly_cost_cents[0], 489_937);
    assert_eq!(s.monthly_cost_cents[1], 114_937);
    assert_eq!(s.monthly_cost_cents[3], 484_520);
    assert_eq!(s.monthly_cost_cents[59], 84_520);
    assert_eq!(s.run_rate_cents, 84_520);
    assert_eq!(s.one_time_cents, 775_000);
    assert_eq!(s.tco_cents, 489_937 + 2 * 114_937 + 484_520 + 56 * 84_520);
    // Cumulative gap after month 3 is 7,706.63, closing by 238.97 a month: still 59.59
    // above in month 35, 179.38 below in month 36.
    assert_eq!(s.break_even_month, Some(36));
    assert_eq!(
        s.cumulative_cost_cents[35] - quo.cumulative_cost_cents[35],
        5_959
    );
    // (3 × 11 + 2 × 71) / 5
    assert_eq!(s.control_score, Decimal::from(35));
}

#[test]
fn break_even_is_none_when_the_horizon_is_too_short() {
    let plan = plan(24);
    let s = Evaluation::new(&plan).scenario(&move_scenario());
    assert_eq!(s.break_even_month, None);
}

#[test]
fn msp_margin_switches_partner_fee_after_twelve_months_on_bpos() {
    let plan = plan(60);
    let s = Evaluation::new(&plan).scenario(&move_scenario());
    let m = &s.msp_margin_by_month_cents;
    // File server on IaaS: 240.00 fees - 165.00 labour = 75.00, plus 3,750.00 - 1,650.00
    // migration in month 0. Exchange on-premises until month 3: 150.00 - 110.00 = 40.00.
    assert_eq!(m[0], 7_500 + 210_000 + 4_000);
    assert_eq!(m[2], 7_500 + 4_000);
    // BPOS from month 3: 72.00 a month for 12 months (18 %), migration 4,000.00 - 1,760.00.
    assert_eq!(m[3], 7_500 + 7_200 + 224_000);
    assert_eq!(m[14], 7_500 + 7_200);
    // From month 15 (k = 12), 6 %: 80.00 + 12.00 - 44.00 = 48.00.
    assert_eq!(m[15], 7_500 + 4_800);
    assert_eq!(s.msp_monthly_margin_cents, 12_300);
    assert_eq!(
        s.msp_margin_total_cents,
        221_500 + 2 * 11_500 + 238_700 + 11 * 14_700 + 45 * 12_300
    );
}

#[test]
fn growth_applies_per_plan_year_and_rounds_the_month() {
    let mut plan = plan(13);
    plan.workloads.truncate(1);
    plan.workloads[0].current_monthly_override_cents = Some(50);
    plan.assumptions.growth_pct = dec("13");
    let quo = Evaluation::new(&plan).scenario(&Scenario::status_quo());
    // Months 0-11: 0.50; month 12: 0.50 × 1.13 = 0.565 → 0.57 (binary floating point
    // would give 0.56).
    assert_eq!(quo.monthly_cost_cents[11], 50);
    assert_eq!(quo.monthly_cost_cents[12], 57);
    assert_eq!(quo.tco_cents, 12 * 50 + 57);
    assert_eq!(quo.run_rate_cents, 50); // run rate is without growth
}

#[test]
fn npv_discounts_each_month_by_the_annual_rate() {
    let mut plan = plan(13);
    plan.workloads.truncate(1);
    plan.workloads[0].current_monthly_override_cents = Some(100_000);
    plan.assumptions.discount_rate_pct = dec("10");
    let quo = Evaluation::new(&plan).scenario(&Scenario::status_quo());
    // round(1,000.00 / 1.1^(t/12)) for t = 0..12:
    // 1000.00 992.09 984.24 976.45 968.73 961.07 953.46 945.92 938.44 931.01 923.65 916.34 909.09
    assert_eq!(quo.npv_cents, 1_240_049);
    plan.assumptions.discount_rate_pct = Decimal::ZERO;
    let undiscounted = Evaluation::new(&plan).scenario(&Scenario::status_quo());
    assert_eq!(undiscounted.npv_cents, undiscounted.tco_cents);
}

#[test]
fn validation_names_the_field_and_the_problem() {
    let mut plan = plan(36);
    plan.workloads[1].id = "exchange".to_owned();
    plan.workloads[0].storage_gb = dec("-1");
    plan.assumptions.horizon_months = 121;
    plan.assumptions.discount_rate_pct = dec("101");
    plan.scenarios.push(move_scenario());
    plan.scenarios[1]
        .choices
        .insert("ghost".to_owned(), Choice::new(Destination::Bpos, 0));
    plan.workloads[0].constraints.needs_os_admin = true; // rules BPOS out for the scenario's choice
    let issues: Vec<String> = validate(&plan).iter().map(ToString::to_string).collect();
    let has = |needle: &str| issues.iter().any(|i| i.contains(needle));
    assert!(
        has("workloads[1] \"File server\".id: id \"exchange\" is used by another workload"),
        "{issues:#?}"
    );
    assert!(
        has("workloads[0] \"Exchange 2003\".storage_gb: must not be negative"),
        "{issues:#?}"
    );
    assert!(
        has("assumptions.horizon_months: must be from 1 to 120 months (found 121)"),
        "{issues:#?}"
    );
    assert!(
        has("assumptions.discount_rate_pct: must be from 0 to 100 % (found 101)"),
        "{issues:#?}"
    );
    assert!(
        has("names workload \"ghost\", which is not in the plan"),
        "{issues:#?}"
    );
    assert!(
        has("BPOS is ruled out: it needs OS admin access"),
        "{issues:#?}"
    );
    assert!(validate(&self::plan(36)).is_empty());
}

#[test]
fn repricing_one_workload_matches_pricing_the_whole_plan() {
    let mut plan = plan(60);
    plan.scenarios.push(move_scenario());
    let mut evaluation = Evaluation::new(&plan);
    plan.workloads[0].users = 80; // Exchange: 5.00 × 80 on BPOS
    plan.workloads[1].current_monthly_override_cents = None;
    evaluation.update_workload(&plan, 0);
    evaluation.update_workload(&plan, 1);
    let fresh = Evaluation::new(&plan);
    assert_eq!(evaluation.scenarios(&plan), fresh.scenarios(&plan));
    assert_eq!(
        evaluation
            .option(0, Destination::Bpos)
            .map(|p| p.recurring_cents),
        Some(40_000)
    );
}

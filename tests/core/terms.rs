//! Commercial terms worked by hand: reservations paid upfront (the payment in its month, the
//! commitment past the horizon reported and not counted), a term that covers only some lines,
//! Microsoft 365's monthly term (+20 %), Azure Hybrid Benefit removing the licence line, and
//! partner-earned credit paid on pay as you go only, and only while the MSP keeps admin access.
//!
//! The plan: the 2010 book, with Azure IaaS's recurring lines replaced by two lines of our own
//! (compute 0.10 and a Windows licence 0.05 per server-hour, × 730 hours = 73.00 and 36.50 a
//! month for one server), its managed-VM fee (120.00 per server) kept, and a 24-month horizon.

use keyholder::model::{
    ADMIN_ACCESS_DIMENSION, Basis, Category, Choice, Decimal, Destination, Evaluation, Offer,
    PartnerFeeRule, Plan, PurchaseTerm, RateLine, Scenario, TermKind, Workload, YearMonth,
    validate,
};
use keyholder::storage::default_price_book;

fn line(label: &str, unit_price: i64, scale: u32, licence: bool) -> RateLine {
    RateLine {
        label: label.to_owned(),
        basis: Basis::PerServerHour,
        unit_price: Decimal::new(unit_price, scale),
        categories: std::collections::BTreeSet::new(),
        source: "test".to_owned(),
        licence,
    }
}

fn term(kind: TermKind, pct: i64, lines: &[&str]) -> PurchaseTerm {
    PurchaseTerm {
        recurring_pct: Decimal::from(pct),
        lines: lines.iter().map(|l| (*l).to_owned()).collect(),
        source: "test".to_owned(),
        ..PurchaseTerm::new(kind)
    }
}

/// The partner-earned credit: 15 % on pay as you go, paid while the MSP has admin access.
pub fn pec_rule() -> PartnerFeeRule {
    PartnerFeeRule {
        label: "PEC".to_owned(),
        first_year_pct: Decimal::from(15),
        recurring_pct: Decimal::from(15),
        terms: [TermKind::PayAsYouGo].into_iter().collect(),
        needs_admin_access: true,
        source: "test".to_owned(),
    }
}
fn plan() -> Plan {
    let mut book = default_price_book().expect("book");
    let iaas = &mut book.destinations.azure_iaas;
    iaas.recurring = vec![
        line("Compute", 10, 2, false),
        line("Windows licence", 5, 2, true),
    ];
    iaas.purchase_terms = vec![
        term(TermKind::PayAsYouGo, 100, &[]),
        term(TermKind::Reservation3YearUpfront, 40, &["Compute"]),
        term(TermKind::Reservation1YearMonthly, 60, &["Compute"]),
    ];
    iaas.partner_fee_rules = vec![pec_rule()];
    let bpos = &mut book.destinations.bpos;
    bpos.purchase_terms = vec![
        term(TermKind::AnnualUpfront, 100, &[]),
        term(TermKind::MonthlyTerm, 120, &[]),
    ];
    let mut plan = Plan::new("Terms", YearMonth::parse("2026-01").expect("month"), book);
    plan.assumptions.horizon_months = 24;
    let mut server = Workload::new("files", "File server", Category::FileServer);
    server.licences_with_sa = true;
    let mut mail = Workload::new("mail", "Exchange", Category::Email);
    mail.users = 10;
    mail.servers = 0;
    plan.workloads = vec![server, mail];
    plan
}

fn choice(destination: Destination, term: TermKind, hybrid_benefit: bool, month: u32) -> Choice {
    Choice {
        term: Some(term),
        hybrid_benefit,
        ..Choice::new(destination, month)
    }
}

fn scenario(name: &str, choices: &[(&str, Choice)]) -> Scenario {
    Scenario {
        name: name.to_owned(),
        notes: String::new(),
        choices: choices
            .iter()
            .map(|(id, c)| ((*id).to_owned(), *c))
            .collect(),
    }
}

fn offer(term: TermKind, hybrid_benefit: bool) -> Offer {
    Offer {
        destination: Destination::AzureIaas,
        term,
        hybrid_benefit,
    }
}

#[test]
fn each_term_prices_by_hand() {
    let plan = plan();
    assert!(validate(&plan).is_empty(), "{:#?}", validate(&plan));
    let e = Evaluation::try_new(&plan).expect("evaluation");
    // Pay as you go: 7,300 + 3,650 recurring + 12,000 fee = 22,950 a month; PEC 15 % of
    // 10,950 = 1,642.5, rounded half away from zero: 1,643.
    let payg = e
        .offer_pricing(0, offer(TermKind::PayAsYouGo, false))
        .expect("payg");
    assert_eq!((payg.recurring_cents, payg.monthly_cents), (10_950, 22_950));
    assert_eq!(payg.partner_fee_first_year_cents, 1_643);
    assert_eq!((payg.prepaid_monthly_cents, payg.commitment_months), (0, 0));
    // 3-year reservation on compute only: 40 % of 7,300 = 2,920, plus the licence at pay as
    // you go 3,650 = 6,570; 18,570 a month, of which 2,920 prepaid. PEC only on the pay-as-
    // you-go part: 15 % of 3,650 = 547.5 → 548.
    let reserved = e
        .offer_pricing(0, offer(TermKind::Reservation3YearUpfront, false))
        .expect("reserved");
    assert_eq!(
        (reserved.recurring_cents, reserved.monthly_cents),
        (6_570, 18_570)
    );
    assert_eq!(
        (reserved.prepaid_monthly_cents, reserved.commitment_months),
        (2_920, 36)
    );
    assert_eq!(reserved.partner_fee_first_year_cents, 548);
    // Hybrid Benefit removes the licence line: 7,300 recurring, 19,300 a month, PEC 1,095.
    let hybrid = e
        .offer_pricing(0, offer(TermKind::PayAsYouGo, true))
        .expect("hybrid");
    assert_eq!(
        (hybrid.recurring_cents, hybrid.monthly_cents),
        (7_300, 19_300)
    );
    assert_eq!(hybrid.partner_fee_first_year_cents, 1_095);
    // Both: 2,920 a month on the reservation and nothing pay as you go, so no PEC.
    let both = e
        .offer_pricing(0, offer(TermKind::Reservation3YearUpfront, true))
        .expect("both");
    assert_eq!(
        (both.recurring_cents, both.partner_fee_first_year_cents),
        (2_920, 0)
    );
    // 1-year reservation paid monthly: 60 % of 7,300 = 4,380 + 3,650; committed, not prepaid.
    let monthly = e
        .offer_pricing(0, offer(TermKind::Reservation1YearMonthly, false))
        .expect("1 year");
    assert_eq!(monthly.recurring_cents, 8_030);
    assert_eq!(
        (
            monthly.prepaid_monthly_cents,
            monthly.committed_monthly_cents
        ),
        (0, 4_380)
    );
    // Microsoft 365: 10 users × 5.00 = 5,000 on the annual term (the first, so the default);
    // the monthly term is 120 %: 6,000.
    let annual = e
        .offer_pricing(1, Offer::new(Destination::Bpos, TermKind::AnnualUpfront))
        .expect("annual");
    let month_to_month = e
        .offer_pricing(1, Offer::new(Destination::Bpos, TermKind::MonthlyTerm))
        .expect("monthly term");
    assert_eq!(
        (annual.recurring_cents, month_to_month.recurring_cents),
        (5_000, 6_000)
    );
    // Hybrid Benefit is offered where the workload owns licences and a line carries one only.
    let offers = e.offers_of(0);
    assert_eq!(
        offers
            .iter()
            .filter(|(o, _)| o.destination == Destination::AzureIaas)
            .count(),
        6,
        "three terms, each with and without Hybrid Benefit"
    );
    assert!(e.offers_of(1).iter().all(|(o, _)| !o.hybrid_benefit));
}

#[test]
fn an_upfront_payment_falls_in_its_month_and_the_commitment_past_the_horizon_is_reported() {
    let mut plan = plan();
    let reserve = choice(
        Destination::AzureIaas,
        TermKind::Reservation3YearUpfront,
        false,
        6,
    );
    plan.scenarios
        .push(scenario("Reserve in month 6", &[("files", reserve)]));
    let e = Evaluation::try_new(&plan).expect("evaluation");
    let totals = e.scenario(&plan.scenarios[1]);
    // The file server today, on-premises on the 2010 book (one server, no users, no
    // storage): 125.00 + 40.00 + 69.17 recurring + 150.00 managed = 384.17 a month.
    let status_quo = e.scenario(&plan.scenarios[0]);
    let files_today = e
        .option(0, Destination::OnPremises)
        .expect("today")
        .monthly_cents;
    assert_eq!(files_today, 38_417);
    // Migration: (8 + 6 × 1) hours × 125.00 = 1,750.00. The upfront payment in month 6 covers
    // the 18 months left of the horizon: 2,920 × 18 = 52,560; the 18 months after it are
    // committed and reported, not counted.
    assert_eq!(totals.upfront_cents, 52_560);
    assert_eq!(totals.one_time_cents, 175_000 + 52_560);
    assert_eq!(totals.commitment_past_horizon_cents, 2_920 * 18);
    assert_eq!(
        totals.monthly_cost_cents[6] - status_quo.monthly_cost_cents[6],
        // Month 6: the payment and the migration, and the workload's monthly cost falls from
        // 38,417 to what is not prepaid: 18,570 − 2,920 = 15,650.
        52_560 + 175_000 + 15_650 - 38_417
    );
    assert_eq!(
        totals.monthly_cost_cents[7] - status_quo.monthly_cost_cents[7],
        15_650 - 38_417
    );
    // TCO: the status quo's, less 18 months × (38,417 − 15,650), plus the payment and the
    // migration.
    assert_eq!(
        totals.tco_cents,
        status_quo.tco_cents - 18 * (38_417 - 15_650) + 52_560 + 175_000
    );
    // The run rate counts the reservation's monthly equivalent.
    assert_eq!(
        totals.run_rate_cents - status_quo.run_rate_cents,
        18_570 - 38_417
    );
}

#[test]
fn partner_earned_credit_is_paid_on_pay_as_you_go_while_the_msp_keeps_admin_access() {
    let mut plan = plan();
    let payg = choice(Destination::AzureIaas, TermKind::PayAsYouGo, false, 0);
    let reserved = choice(
        Destination::AzureIaas,
        TermKind::Reservation3YearUpfront,
        false,
        0,
    );
    plan.scenarios.push(scenario("PAYG", &[("files", payg)]));
    plan.scenarios
        .push(scenario("Reserved", &[("files", reserved)]));
    let e = Evaluation::try_new(&plan).expect("evaluation");
    // 24 months of PEC: 1,643 on pay as you go; 548 (the licence, still pay as you go) on the
    // reservation. The 2010 book pays no partner fee on-premises, so the status quo has none.
    assert_eq!(e.scenario(&plan.scenarios[0]).partner_fees_total_cents, 0);
    assert_eq!(
        e.scenario(&plan.scenarios[1]).partner_fees_total_cents,
        24 * 1_643
    );
    assert_eq!(
        e.scenario(&plan.scenarios[2]).partner_fees_total_cents,
        24 * 548
    );

    // Without admin access on Azure IaaS the credit is lost, and the margin falls with it.
    let with_access = e.scenario(&plan.scenarios[1]).msp_monthly_margin_cents;
    let dimension = plan
        .control_model
        .dimensions
        .iter_mut()
        .find(|d| d.name == ADMIN_ACCESS_DIMENSION)
        .expect("the default model has the admin-access dimension");
    dimension.levels.azure_iaas = Decimal::ZERO;
    let e = Evaluation::try_new(&plan).expect("evaluation");
    let lost = e.scenario(&plan.scenarios[1]);
    assert_eq!(lost.partner_fees_total_cents, 0);
    assert_eq!(with_access - lost.msp_monthly_margin_cents, 1_643);
}

#[test]
fn hybrid_benefit_and_terms_the_destination_does_not_offer_are_refused() {
    let mut plan = plan();
    let mut not_eligible = plan.workloads[0].clone();
    not_eligible.id = "files-2".to_owned();
    not_eligible.licences_with_sa = false;
    plan.workloads.push(not_eligible);
    plan.scenarios.push(scenario(
        "Wrong",
        &[
            (
                "files-2",
                choice(Destination::AzureIaas, TermKind::PayAsYouGo, true, 0),
            ),
            (
                "files",
                choice(Destination::AzureIaas, TermKind::SavingsPlan1Year, false, 0),
            ),
            (
                "mail",
                choice(Destination::Bpos, TermKind::MonthlyTerm, true, 0),
            ),
        ],
    ));
    let issues = validate(&plan);
    let messages: Vec<String> = issues.iter().map(ToString::to_string).collect();
    let has = |field: &str, words: &str| {
        assert!(
            issues
                .iter()
                .any(|i| i.field.ends_with(field) && i.message.contains(words)),
            "{field}: {words} in {messages:#?}"
        );
    };
    has("choices[\"files-2\"].hybrid_benefit", "Software Assurance");
    has(
        "choices[\"files\"].term",
        "is not sold as \"savings_plan_1_year\"",
    );
    has(
        "choices[\"mail\"].hybrid_benefit",
        "Azure IaaS and Azure PaaS only",
    );
    // Status quo buys nothing on other terms either.
    let mut plan = self::plan();
    plan.workloads[0].current = Destination::AzureIaas;
    plan.scenarios[0].choices.insert(
        "files".to_owned(),
        choice(
            Destination::AzureIaas,
            TermKind::Reservation3YearUpfront,
            false,
            0,
        ),
    );
    assert!(
        validate(&plan)
            .iter()
            .any(|i| i.message.contains("nothing changes")),
        "{:#?}",
        validate(&plan)
    );
}

#[test]
fn a_term_change_on_the_current_destination_is_a_change_without_a_migration() {
    let mut plan = plan();
    plan.workloads[0].current = Destination::AzureIaas;
    let reserve = choice(
        Destination::AzureIaas,
        TermKind::Reservation1YearMonthly,
        false,
        0,
    );
    plan.scenarios
        .push(scenario("Reserve", &[("files", reserve)]));
    let e = Evaluation::try_new(&plan).expect("evaluation");
    let totals = e.scenario(&plan.scenarios[1]);
    let status_quo = e.scenario(&plan.scenarios[0]);
    assert_eq!(totals.moves, 1);
    assert_eq!(
        totals.one_time_cents, 0,
        "no migration: it stays on Azure IaaS"
    );
    // 22,950 → 20,030 a month (compute 7,300 → 4,380).
    assert_eq!(status_quo.run_rate_cents - totals.run_rate_cents, 2_920);
    // 12 committed months from month 0, renewed in month 12: within the horizon exactly.
    assert_eq!(totals.commitment_past_horizon_cents, 0);
}

#[test]
fn term_kinds_are_written_as_their_keys() {
    for kind in TermKind::ALL {
        let written = ron::to_string(&kind).expect("ron");
        assert_eq!(written, kind.key());
        assert_eq!(TermKind::parse(kind.key()), Some(kind));
        assert_eq!(TermKind::parse(kind.label()), Some(kind));
    }
}

//! `model::warnings`: problems that leave a plan valid but a figure misleading. For now, a
//! workload with 0 users on a destination that charges per user looks cheaper than it is.
//! Figures from the 2010 price book (`assets/price-books/microsoft-2010.ron`).

use keyholder::model::{Category, Plan, Workload, YearMonth, validate, warnings};
use keyholder::storage::default_price_book;

fn plan_with(workloads: Vec<Workload>) -> Plan {
    let mut plan = Plan::new(
        "Test",
        YearMonth::parse("2010-04").expect("month"),
        default_price_book().expect("the 2010 book"),
    );
    plan.workloads = workloads;
    assert_eq!(
        validate(&plan),
        [],
        "the plan is valid: warnings are not errors"
    );
    plan
}

#[test]
fn a_mail_server_with_no_users_is_warned_about_with_every_per_user_destination() {
    let plan = plan_with(vec![Workload::new(
        "exch",
        "Exchange 2007",
        Category::Email,
    )]);
    // On-premises: "Server software licences, amortised" 3.00 per user (email…); MSP-hosted:
    // SPLA 3.50 per user; Azure IaaS: no per-user line; Azure PaaS does not host email; BPOS:
    // Exchange Online 5.00 and user administration 2.00 per user.
    let found = warnings(&plan);
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].field, "workloads[0] \"Exchange 2007\".users");
    assert_eq!(
        found[0].message,
        "0 users, but On-premises, MSP-hosted and BPOS charge per user for email workloads, so they look cheaper than they really would be; enter how many people use this workload"
    );
    // What the warning is about: BPOS at 0 users prices 5.00 × 0 + 2.00 × 0 = 0.00 a month.
}

#[test]
fn users_a_category_without_per_user_prices_or_a_known_cost_silence_it() {
    let mut with_users = Workload::new("exch", "Exchange", Category::Email);
    with_users.users = 40;
    // A database has no per-user line anywhere in the 2010 book.
    let database = Workload::new("sql", "SQL Server", Category::Database);
    let plan = plan_with(vec![with_users, database]);
    assert_eq!(warnings(&plan), []);
}

#[test]
fn only_destinations_open_to_the_workload_and_priced_from_lines_count() {
    // OS admin rules out BPOS; the known real cost on-premises replaces its lines; so only
    // MSP-hosted (SPLA per user) is left.
    let mut w = Workload::new("exch", "Exchange", Category::Email);
    w.constraints.needs_os_admin = true;
    w.current_monthly_override_cents = Some(50_000);
    let plan = plan_with(vec![w]);
    let found = warnings(&plan);
    assert_eq!(found.len(), 1);
    assert_eq!(
        found[0].message,
        "0 users, but MSP-hosted charges per user for email workloads, so it looks cheaper than it really would be; enter how many people use this workload"
    );
    // Data that must stay on site leaves only on-premises, whose cost is known: no warning.
    let mut onsite = Workload::new("exch", "Exchange", Category::Email);
    onsite.constraints.data_must_stay_onsite = true;
    onsite.current_monthly_override_cents = Some(50_000);
    assert_eq!(warnings(&plan_with(vec![onsite])), []);
}

//! The book of business: one customer's figures and the roll-ups worked out by hand from
//! PRODUCT.md section 3 and the 2010 price book; reading a portfolio folder (the fixture
//! folder `tests/fixtures/portfolio/`: a dozen files with a broken one, a newer-format one,
//! a plan that fails its checks, a conflict copy and a price book); reading it again after
//! a colleague's save; the totals against the rows as a property.

use std::path::{Path, PathBuf};

use keyholder::model::portfolio::{CalendarQuarter, CustomerFigures, rollups};
use keyholder::model::{
    Category, Choice, Criticality, Decimal, Destination, Evaluation, Plan, Scenario, Workload,
    YearMonth,
};
use keyholder::report::portfolio::{
    Portfolio, ProblemKind, Progress, RowStatus, featured_scenario,
};
use keyholder::storage::default_price_book;
use keyholder::storage::portfolio::scan_portfolio;
use proptest::prelude::*;

const START: YearMonth = YearMonth {
    year: 2010,
    month: 3,
};

fn month(year: i32, month: u8) -> YearMonth {
    YearMonth { year, month }
}

/// Exchange: email, 40 users, 1 server, 200 GB, 10 GB egress, high, on-premises (the
/// workload of `tests/core/model.rs`, whose prices are worked out there).
fn exchange() -> Workload {
    let mut w = Workload::new("exchange", "Exchange 2003", Category::Email);
    w.users = 40;
    w.servers = 1;
    w.storage_gb = Decimal::from(200);
    w.egress_gb_per_month = Decimal::from(10);
    w.criticality = Criticality::High;
    w
}

/// A one-workload customer; with `move_month`, a scenario "Mail to BPOS" moving Exchange.
fn customer(name: &str, manager: &str, move_month: Option<u32>) -> Plan {
    let mut plan = Plan::new(name, START, default_price_book().expect("book"));
    manager.clone_into(&mut plan.customer.account_manager);
    plan.workloads = vec![exchange()];
    if let Some(move_month) = move_month {
        let mut scenario = Scenario {
            name: "Mail to BPOS".to_owned(),
            ..Scenario::default()
        };
        scenario.choices.insert(
            "exchange".to_owned(),
            Choice::new(Destination::Bpos, move_month),
        );
        plan.scenarios.push(scenario);
    }
    plan
}

fn figures_of(plan: &Plan, as_of: YearMonth) -> CustomerFigures {
    let evaluation = Evaluation::new(plan);
    let featured = featured_scenario(plan, &evaluation).and_then(|i| plan.scenarios.get(i));
    CustomerFigures::new(plan, &evaluation, featured, as_of)
}

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/portfolio")
}

// Exchange on the 2010 book (tests/core/model.rs): on-premises 584.17 a month (recurring
// 434.17 + managed server 150.00), MSP cost 55.00 × 2 h = 110.00, no partner fee: margin
// 40.00. On BPOS 280.00 a month (Exchange Online 5.00 × 40 + user administration
// 2.00 × 40), one-time 125.00 × 32 h = 4,000.00 (8 + 0.5 × 40 + 2 × 200/100), MSP margin
// from the 13th month 80.00 + 6 % of 200.00 − 55.00 × 0.02 × 40 = 80 + 12 − 44 = 48.00.
// Control (default model, weights sum to 100): on-premises 100; BPOS
// (10 × 30 + 15 × 40 + 10 × 20) / 100 = 11.00.

#[test]
fn one_customer_moving_mail_to_bpos_by_hand() {
    let plan = customer("Brightwater Dental", "Dana Whitfield", Some(3));
    let f = figures_of(&plan, month(2010, 4));
    assert_eq!(f.scenario.as_deref(), Some("Mail to BPOS"));
    assert_eq!(f.status_quo_run_rate_cents, 58_417);
    // 36 × 584.17
    assert_eq!(f.status_quo_tco_cents, 2_103_012);
    // Scenario TCO: 3 × 584.17 + 33 × 280.00 + 4,000.00 = 1,752.51 + 9,240.00 + 4,000.00
    // = 14,992.51; saving 21,030.12 − 14,992.51 = 6,037.61.
    assert_eq!(f.saving_cents, 603_761);
    assert_eq!(f.saving_per_month_cents, 30_417); // 584.17 − 280.00
    assert_eq!(f.control_now, Decimal::from(100));
    assert_eq!(f.control_kept, Decimal::from(11));
    assert_eq!(f.importance_total, 3);
    assert_eq!(f.margin_now_cents, 4_000);
    assert_eq!(f.margin_after_cents, 4_800);
    assert_eq!(f.margin_change_cents(), 800);
    assert_eq!(f.one_time_cents, 400_000);
    // Cumulative: equal to the status quo for months 0–2; month 3 costs 4,280.00 instead of
    // 584.17 (3,695.83 behind); each later month saves 304.17: after months 4–15 still
    // 45.79 behind, after month 16 258.38 ahead. Break-even month 16 = 2011-07.
    assert_eq!(f.break_even_month, Some(16));
    assert_eq!(f.break_even(), Some(month(2011, 7)));
    // The move: month 3 = 2010-06, calendar 2010 Q2, the customer's FY10 Q2 (January).
    let next = f.next_move.as_ref().expect("a move from 2010-04 on");
    assert_eq!(next.month, month(2010, 6));
    assert_eq!(next.summary(), "Exchange 2003 to BPOS");
    assert_eq!(next.fiscal_label(), "FY10 Q2");
    assert_eq!(f.project_load.len(), 1);
    let load = &f.project_load[0];
    assert_eq!(
        load.quarter,
        CalendarQuarter {
            year: 2010,
            quarter: 2
        }
    );
    assert_eq!(
        (load.moves, load.one_time_cents, load.monthly_change_cents),
        (1, 400_000, -30_417)
    );
    assert_eq!(load.migration_hours, Decimal::from(32));
    assert!(f.moves_in_quarter_of(month(2010, 5)));
    assert!(!f.moves_in_quarter_of(month(2010, 7)));
    // From July on the move is behind us.
    assert_eq!(figures_of(&plan, month(2010, 7)).next_move, None);
}

#[test]
fn a_plan_where_nothing_breaks_even_keeps_the_status_quo() {
    // Moving in the last month of the horizon costs 4,000.00 and saves 304.17 once.
    let plan = customer("Late mover", "Dana Whitfield", Some(35));
    let f = figures_of(&plan, START);
    assert_eq!(f.scenario, None);
    assert_eq!((f.saving_cents, f.saving_per_month_cents), (0, 0));
    assert_eq!(f.control_kept, Decimal::from(100));
    assert_eq!(f.margin_change_cents(), 0);
    assert_eq!((f.moves, f.break_even_month, f.next_move), (0, None, None));
    assert!(f.project_load.is_empty());
}

/// The account manager's recommendation wins over the rule: the late move is shown, with
/// its loss over the horizon, because that is what the customer is being told.
#[test]
fn the_recommended_scenario_is_the_one_a_row_shows() {
    let mut plan = customer("Late mover", "Dana Whitfield", Some(35));
    plan.recommended = Some(keyholder::model::RecommendedScenario {
        scenario: "Mail to BPOS".to_owned(),
        rationale: String::new(),
    });
    let f = figures_of(&plan, START);
    assert_eq!(f.scenario.as_deref(), Some("Mail to BPOS"));
    // 36 × 584.17 = 21,030.12 against 35 × 584.17 + 280.00 + 4,000.00 = 24,725.95.
    assert_eq!(f.saving_cents, -369_583);
    assert_eq!(f.control_kept, Decimal::from(11));
    // A recommendation naming a scenario the plan no longer has falls back to the rule.
    plan.recommended.as_mut().expect("set").scenario = "Gone".to_owned();
    assert_eq!(figures_of(&plan, START).scenario, None);
}

#[test]
fn rollups_by_hand() {
    let mut euro = customer("Zürich Zahnarzt", "Sam Okafor", Some(10));
    euro.price_book.currency = "EUR".to_owned();
    let plans = [
        customer("Brightwater Dental", "Dana Whitfield", Some(3)),
        customer("Harlow & Finch", "Dana Whitfield", None),
        customer("No manager", "  ", None),
        euro,
    ];
    let figures: Vec<CustomerFigures> = plans.iter().map(|p| figures_of(p, START)).collect();
    let refs: Vec<&CustomerFigures> = figures.iter().collect();
    let all = rollups(&refs);
    assert_eq!(
        all.iter().map(|r| r.currency.as_str()).collect::<Vec<_>>(),
        ["EUR", "USD"]
    );
    let usd = &all[1];
    let book = &usd.book;
    assert_eq!((book.customers, book.workloads, book.moving), (3, 3, 1));
    assert_eq!(book.status_quo_run_rate_cents, 3 * 58_417);
    assert_eq!(book.saving_per_month_cents, 30_417);
    assert_eq!(book.saving_cents, 603_761);
    // Margin now 3 × 40.00; after 48.00 + 40.00 + 40.00.
    assert_eq!(book.margin_now_cents, 12_000);
    assert_eq!(book.margin_after_cents, 12_800);
    assert_eq!(book.margin_change_cents(), 800);
    assert_eq!((book.good_for_both, book.costs_margin), (1, 0));
    // Every workload weighted by importance (3 each): (11 + 100 + 100) / 3 = 70.33…
    assert_eq!(book.control_now(), Decimal::from(100));
    assert_eq!(
        book.control_kept().round_dp(2),
        Decimal::new(7033, 2),
        "(3·11 + 3·100 + 3·100) / 9"
    );
    // Managers by name; the one without a name (blank) last.
    let names: Vec<&str> = usd.by_manager.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(names, ["Dana Whitfield", ""]);
    let dana = &usd.by_manager[0].1;
    assert_eq!((dana.customers, dana.saving_cents), (2, 603_761));
    assert_eq!(dana.margin_after_cents, 8_800);
    assert_eq!(dana.control_kept(), Decimal::new(555, 1)); // (33 + 300) / 6
    // One move in 2010 Q2 (month 3), by the first customer.
    assert_eq!(usd.quarters.len(), 1);
    assert_eq!(usd.quarters[0].customers, vec![0]);
    assert_eq!(usd.quarters[0].load.one_time_cents, 400_000);
    assert_eq!(usd.quarters[0].load.migration_hours, Decimal::from(32));
    // The euro customer moves in month 10 = 2011-01: 2011 Q1, counted on its own. Its index
    // is into the figures given.
    let eur = &all[0];
    assert_eq!(eur.book.customers, 1);
    assert_eq!(eur.quarters[0].load.quarter.to_string(), "2011 Q1");
    assert_eq!(eur.quarters[0].customers, vec![3]);
}

// ---------------------------------------------------------------------------------------------
// The fixture folder
// ---------------------------------------------------------------------------------------------

fn read_fixtures() -> Portfolio {
    Portfolio::read(&fixtures(), month(2010, 5), &Progress::default()).expect("portfolio")
}

#[test]
fn the_fixture_folder_has_a_row_per_plan_and_each_problem() {
    let portfolio = read_fixtures();
    let files: Vec<&str> = portfolio.rows.iter().map(|r| r.relative.as_str()).collect();
    // The conflict copy joins law-firm.ron; the price book is not a customer.
    assert_eq!(
        files,
        [
            "accounting-firm.ron",
            "broken/truncated.ron",
            "dental-practice.ron",
            "east/harbour-street-clinic.ron",
            "east/mill-lane-surgery.ron",
            "east/quayside-opticians.ron",
            "law-firm.ron",
            "newer/from-a-newer-keyholder.ron",
            "west/kestrel-legal.ron",
            "west/northgate-architects.ron",
            "west/orchard-accountants.ron",
        ]
    );
    assert_eq!(
        portfolio.price_books,
        [fixtures().join("price-books/microsoft-2026.ron")]
    );
    let row = |file: &str| {
        portfolio
            .rows
            .iter()
            .find(|r| r.relative == file)
            .expect(file)
    };

    let law = row("law-firm.ron");
    assert_eq!(law.status(), RowStatus::ConflictCopy);
    assert_eq!(law.status_label(), "unsaved conflict copy");
    assert_eq!(
        law.conflict_copies,
        [fixtures().join("law-firm (Dana's conflicted copy 2010-03-01).ron")]
    );
    assert!(law.figures.is_some());

    let broken = row("broken/truncated.ron");
    assert_eq!(broken.status(), RowStatus::Problem);
    let problem = broken.problem.as_ref().expect("problem");
    assert_eq!(problem.kind, ProblemKind::Broken);
    assert_eq!(
        problem.message(),
        format!(
            "{}:497:17: Expected end of string",
            fixtures().join("broken/truncated.ron").display()
        )
    );
    assert_eq!(broken.customer, "truncated", "named after its file");

    let newer = row("newer/from-a-newer-keyholder.ron");
    let problem = newer.problem.as_ref().expect("problem");
    assert_eq!(problem.kind, ProblemKind::NewerVersion);
    assert!(
        problem
            .message()
            .contains(":1:1: this plan was written by a newer Keyholder")
    );
    // What this version understands of it names the customer.
    assert_eq!(newer.customer, "Harlow & Finch LLP");
    assert!(newer.figures.is_none());

    let invalid = row("east/quayside-opticians.ron");
    let problem = invalid.problem.as_ref().expect("problem");
    assert_eq!(problem.kind, ProblemKind::Invalid);
    assert!(
        problem.message().ends_with(
            "quayside-opticians.ron: workloads[0] \"Tax preparation suite\".storage_gb: must not be negative (found -40)"
        ),
        "{}",
        problem.message()
    );
    assert_eq!(invalid.customer, "Quayside Opticians");
    assert_eq!(invalid.account_manager, "Sam Okafor");

    let northgate = row("west/northgate-architects.ron")
        .figures
        .as_ref()
        .expect("figures");
    assert_eq!(northgate.scenario, None, "only the status quo");

    // Mill Lane starts in 2011-01: its first move (month 2) is 2011-03, 2011 Q1.
    let mill = row("east/mill-lane-surgery.ron")
        .figures
        .as_ref()
        .expect("figures");
    assert_eq!(
        mill.next_move.as_ref().map(|m| m.month),
        Some(month(2011, 3))
    );
    assert_eq!(portfolio.problems().count(), 3);
    assert_eq!(portfolio.rows_with_figures().len(), 8);
}

#[test]
fn scanning_leaves_out_hidden_folders_and_other_files() {
    let folder = tempfile::tempdir().expect("temp");
    let plan = keyholder::storage::sample_plan().expect("sample");
    std::fs::create_dir_all(folder.path().join(".git")).expect("dir");
    std::fs::create_dir_all(folder.path().join("a/b")).expect("dir");
    for name in [
        ".git/plan.ron",
        "a/b/plan.RON",
        "a/~$plan.ron",
        ".hidden.ron",
    ] {
        keyholder::storage::save_plan(&folder.path().join(name), &plan).expect("save");
    }
    std::fs::write(folder.path().join("a/notes.txt"), "not a plan").expect("write");
    let scan = scan_portfolio(folder.path()).expect("scan");
    let found: Vec<PathBuf> = scan.files.iter().map(|f| f.path.clone()).collect();
    assert_eq!(found, [folder.path().join("a/b/plan.RON")]);
    assert!(scan_portfolio(&folder.path().join("missing")).is_err());
    assert!(scan_portfolio(&folder.path().join("a/notes.txt")).is_err());
}

#[test]
fn reading_again_picks_up_a_colleagues_save_and_new_and_removed_files() {
    let folder = tempfile::tempdir().expect("temp");
    let mut plan = keyholder::storage::sample_plan().expect("sample");
    let first = folder.path().join("first.ron");
    let second = folder.path().join("second.ron");
    keyholder::storage::save_plan(&first, &plan).expect("save");
    plan.customer.name = "Second customer".to_owned();
    keyholder::storage::save_plan(&second, &plan).expect("save");
    let progress = Progress::default();
    let before = Portfolio::read(folder.path(), START, &progress).expect("read");
    assert_eq!(before.rows.len(), 2);
    assert_eq!(progress.fraction(), Some(1.0));

    // A colleague saves a change to the second plan, a sync client leaves a conflict copy
    // of the first, and a new customer's plan arrives.
    plan.customer.name = "Second customer, renamed".to_owned();
    plan.customer.account_manager = "Sam Okafor".to_owned();
    keyholder::storage::save_plan(&second, &plan).expect("save");
    keyholder::storage::save_plan(&folder.path().join("first (1).ron"), &plan).expect("save");
    plan.customer.name = "Third customer".to_owned();
    keyholder::storage::save_plan(&folder.path().join("third.ron"), &plan).expect("save");
    let after = before.reread(&progress).expect("reread");
    let names: Vec<&str> = after.rows.iter().map(|r| r.customer.as_str()).collect();
    assert_eq!(
        names,
        [
            "Harlow & Finch LLP",
            "Second customer, renamed",
            "Third customer"
        ]
    );
    assert_eq!(after.rows[0].status(), RowStatus::ConflictCopy);
    assert_eq!(
        after.rows[0].figures, before.rows[0].figures,
        "kept as it was"
    );
    assert_eq!(after.rows[1].account_manager, "Sam Okafor");

    std::fs::remove_file(&second).expect("remove");
    let removed = after.reread(&progress).expect("reread");
    assert_eq!(removed.rows.len(), 2);

    // A stopped read gives no half portfolio.
    progress
        .cancel
        .store(true, std::sync::atomic::Ordering::Relaxed);
    assert!(removed.reread(&progress).is_err());
}

#[test]
fn a_huge_file_is_a_row_with_its_problem() {
    let folder = tempfile::tempdir().expect("temp");
    let path = folder.path().join("huge.ron");
    let file = std::fs::File::create(&path).expect("create");
    // Sparse: the size is over the limit without writing 64 MiB.
    file.set_len(keyholder::storage::MAX_FILE_BYTES + 1)
        .expect("size");
    let portfolio = Portfolio::read(folder.path(), START, &Progress::default()).expect("read");
    let problem = portfolio.rows[0].problem.as_ref().expect("problem");
    assert_eq!(problem.kind, ProblemKind::TooLarge);
    assert!(
        problem
            .message()
            .ends_with("larger than 64 MiB, the limit for plan files")
    );
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    /// The book's totals are the sums of its customers, and so are the account managers'
    /// and the quarters' (every move within a horizon lands in exactly one quarter).
    #[test]
    fn totals_add_up(customers in proptest::collection::vec((0usize..3, 1usize..12, any::<u64>()), 1..8)) {
        let managers = ["Dana Whitfield", "Sam Okafor", ""];
        let plans: Vec<Plan> = customers
            .iter()
            .map(|&(manager, workloads, seed)| {
                let mut plan = crate::synthetic::synthetic_plan(workloads, seed);
                plan.customer.account_manager = managers[manager].to_owned();
                plan
            })
            .collect();
        let figures: Vec<CustomerFigures> = plans.iter().map(|p| figures_of(p, START)).collect();
        let refs: Vec<&CustomerFigures> = figures.iter().collect();
        let all = rollups(&refs);
        prop_assert_eq!(all.len(), 1);
        let usd = &all[0];
        prop_assert_eq!(usd.book.customers, figures.len());
        prop_assert_eq!(usd.book.saving_cents, figures.iter().map(|f| f.saving_cents).sum::<i64>());
        prop_assert_eq!(
            usd.book.margin_change_cents(),
            figures.iter().map(CustomerFigures::margin_change_cents).sum::<i64>()
        );
        let by_manager: i64 = usd.by_manager.iter().map(|(_, t)| t.saving_per_month_cents).sum();
        prop_assert_eq!(by_manager, usd.book.saving_per_month_cents);
        let managed: usize = usd.by_manager.iter().map(|(_, t)| t.customers).sum();
        prop_assert_eq!(managed, figures.len());
        let quarter_moves: usize = usd.quarters.iter().map(|q| q.load.moves).sum();
        prop_assert_eq!(quarter_moves, figures.iter().map(|f| f.moves).sum::<usize>());
        let quarter_fees: i64 = usd.quarters.iter().map(|q| q.load.one_time_cents).sum();
        prop_assert_eq!(quarter_fees, usd.book.one_time_cents);
        prop_assert!(usd.quarters.windows(2).all(|w| w[0].load.quarter < w[1].load.quarter));
        let control = usd.book.control_kept();
        prop_assert!(control >= Decimal::ZERO && control <= Decimal::from(100));
    }
}

//! The portfolio view on the real app: File ▸ Open portfolio folder… on the fixture folder
//! (`tests/fixtures/portfolio/`), sorting, filtering, opening a plan by double-click or
//! Enter, a colleague's save picked up by the watcher, recent portfolios.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use egui::Key;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use keyholder::app::{
    Action, Command, DialogKind, KeyholderApp, PORTFOLIO_QUIET_S, PortfolioColumn,
    PortfolioSection, RowFilter, Tab,
};
use keyholder::model::YearMonth;

use crate::harness::{Setup, act, sample};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/portfolio")
}

/// Lets the read in progress finish and the view draw it.
fn wait_for_read(harness: &mut Harness<'_, KeyholderApp>) {
    harness.state_mut().state.portfolio.wait();
    harness.run_ok();
}

/// Opens `folder` through the File menu's command and the (fake) folder dialog.
fn open_portfolio(setup: &Setup, harness: &mut Harness<'_, KeyholderApp>, folder: &Path) {
    setup.dialogs.choose(folder);
    act(harness, Action::Command(Command::OpenPortfolio));
    wait_for_read(harness);
    // Next moves counted from May 2010, when the fixture plans start.
    act(
        harness,
        Action::SetPortfolioAsOf(YearMonth {
            year: 2010,
            month: 5,
        }),
    );
    wait_for_read(harness);
}

/// The customers in the table's order.
fn shown_customers(harness: &Harness<'_, KeyholderApp>) -> Vec<String> {
    let app = harness.state();
    let data = app.state.portfolio.data().expect("read");
    app.views
        .portfolio
        .rows()
        .iter()
        .map(|&i| data.portfolio.rows[i].customer.clone())
        .collect()
}

#[test]
fn opening_a_folder_shows_every_customer_and_what_needs_attention() {
    let setup = Setup::new();
    let mut harness = setup.harness(None);
    open_portfolio(&setup, &mut harness, &fixtures());
    assert_eq!(setup.dialogs.asked(), [DialogKind::OpenPortfolio]);
    let app = harness.state();
    assert_eq!(app.state.tab, Tab::Portfolio);
    assert_eq!(app.state.preferences.recent_portfolios, [fixtures()]);
    let data = app.state.portfolio.data().expect("read");
    assert_eq!(data.portfolio.rows.len(), 11);
    assert_eq!(data.needing_attention(), 4);
    // Every row is in the table (it lays out only those on screen).
    assert_eq!(app.views.portfolio.rows().len(), 11);
    harness.get_by_label("Kestrel Legal");
    harness.get_by_label("newer format");
    harness.get_by_label("unsaved conflict copy");
    harness.get_by_label("4 files need attention");
    // The book's summary names its savings and the MSP's margin.
    harness.get_by_label_contains(
        "8 customers, 52 workloads. Saving for customers 10,235.34 USD / month",
    );

    // "Needs attention" leaves the four files to look at.
    harness.get_by_label("4 files need attention").click();
    harness.run_ok();
    assert_eq!(
        harness.state().views.portfolio.show,
        RowFilter::NeedsAttention
    );
    assert_eq!(
        shown_customers(&harness),
        [
            "Harlow & Finch LLP",
            "Harlow & Finch LLP",
            "Quayside Opticians",
            "truncated"
        ]
    );
    // Moving this quarter (2010 Q2): each sample-based plan moves in June 2010.
    harness.get_by_label("Moving this quarter").click();
    harness.run_ok();
    assert_eq!(shown_customers(&harness).len(), 6);
}

#[test]
fn a_header_click_sorts_and_a_second_reverses() {
    let setup = Setup::new();
    let mut harness = setup.harness(None);
    open_portfolio(&setup, &mut harness, &fixtures());
    harness.get_by_label("Sort by saving per month").click();
    harness.run_ok();
    assert_eq!(
        harness.state().views.portfolio.sort,
        PortfolioColumn::SavingPerMonth
    );
    let savings = |harness: &Harness<'_, KeyholderApp>| -> Vec<Option<i64>> {
        let app = harness.state();
        let data = app.state.portfolio.data().expect("read");
        app.views
            .portfolio
            .rows()
            .iter()
            .map(|&i| {
                data.portfolio.rows[i]
                    .figures
                    .as_ref()
                    .map(|f| f.saving_per_month_cents)
            })
            .collect()
    };
    let ascending = savings(&harness);
    // Files without figures first, then the smallest saving (Northgate keeps the status quo).
    assert_eq!(&ascending[..4], [None, None, None, Some(0)]);
    assert!(ascending.windows(2).all(|w| w[0] <= w[1]));
    harness.get_by_label("Sort by saving per month").click();
    harness.run_ok();
    let descending = savings(&harness);
    // Harlow & Finch and its copy Kestrel Legal save 2,749.15 a month.
    assert_eq!(descending[0], Some(274_915));
    assert_eq!(
        descending,
        ascending.iter().rev().copied().collect::<Vec<_>>()
    );

    // The filter narrows by customer, manager or file.
    let app = harness.state_mut();
    "sam okafor".clone_into(&mut app.views.portfolio.filter);
    harness.run_ok();
    let mut shown = shown_customers(&harness);
    shown.sort();
    assert_eq!(
        shown,
        [
            "Harbour Street Clinic",
            "Mill Lane Surgery",
            "Quayside Opticians"
        ]
    );
}

#[test]
fn double_click_opens_the_plan_and_enter_does_too() {
    let setup = Setup::new();
    let mut harness = setup.harness_stepping(None, 0.02);
    open_portfolio(&setup, &mut harness, &fixtures());
    // Two clicks in quick succession.
    let cell = harness.get_by_label("Kestrel Legal");
    cell.click();
    cell.click();
    harness.run_ok();
    let app = harness.state();
    assert_eq!(app.plan().customer.name, "Kestrel Legal");
    assert_eq!(app.state.tab, Tab::Workloads);
    assert_eq!(
        app.state.document.path(),
        Some(fixtures().join("west/kestrel-legal.ron").as_path())
    );
    // The portfolio stays open beside the plan.
    assert!(app.state.portfolio.is_open());

    act(&mut harness, Action::ShowTab(Tab::Portfolio));
    harness.get_by_label("Mill Lane Surgery").click();
    harness.run_ok();
    harness.key_press(Key::Enter);
    harness.run_ok();
    assert_eq!(harness.state().plan().customer.name, "Mill Lane Surgery");
}

#[test]
fn opening_a_broken_plan_says_where_it_is_broken() {
    let setup = Setup::new();
    let mut harness = setup.harness(None);
    open_portfolio(&setup, &mut harness, &fixtures());
    let before = harness.state().plan().customer.name.clone();
    act(
        &mut harness,
        Action::OpenPortfolioPlan(fixtures().join("broken/truncated.ron")),
    );
    harness.get_by_label_contains("truncated.ron:497:17: Expected end of string");
    let app = harness.state();
    assert_eq!(app.plan().customer.name, before);
    assert_eq!(app.state.tab, Tab::Portfolio, "nothing was opened");
}

#[test]
fn unsaved_changes_are_asked_about_before_a_plan_from_the_portfolio_opens() {
    let setup = Setup::new();
    let plan = setup.plan_file("mine.ron");
    let mut harness = setup.harness(Some(plan));
    act(&mut harness, Action::Command(Command::AddWorkload));
    open_portfolio(&setup, &mut harness, &fixtures());
    act(
        &mut harness,
        Action::OpenPortfolioPlan(fixtures().join("dental-practice.ron")),
    );
    harness.get_by_label("Don't save").click();
    harness.run_ok();
    assert_eq!(
        harness.state().plan().customer.name,
        "Brightwater Family Dental"
    );
}

#[test]
fn a_colleagues_save_updates_its_row() {
    let setup = Setup::new();
    let folder = setup.path("shared");
    std::fs::create_dir_all(folder.join("team")).expect("folder");
    let mut dental = sample("dental-practice.ron");
    let law = sample("law-firm.ron");
    keyholder::storage::save_plan(&folder.join("dental.ron"), &dental).expect("save");
    keyholder::storage::save_plan(&folder.join("team/law.ron"), &law).expect("save");
    let mut harness = setup.harness(None);
    open_portfolio(&setup, &mut harness, &folder);
    assert_eq!(shown_customers(&harness).len(), 2);

    // A colleague renames the customer and saves, through Keyholder's own atomic save.
    dental.customer.name = "Brightwater Dental Group".to_owned();
    keyholder::storage::save_plan(&folder.join("dental.ron"), &dental).expect("save");
    // And a new plan arrives in a sub-folder.
    let mut new = sample("accounting-firm.ron");
    new.customer.name = "New customer".to_owned();
    keyholder::storage::save_plan(&folder.join("team/new.ron"), &new).expect("save");

    let started = Instant::now();
    loop {
        setup.stopwatch.advance(PORTFOLIO_QUIET_S + 0.1);
        harness.step();
        harness.state_mut().state.portfolio.wait();
        harness.run_ok();
        let mut shown = shown_customers(&harness);
        shown.sort();
        if shown
            == [
                "Brightwater Dental Group",
                "Harlow & Finch LLP",
                "New customer",
            ]
        {
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "the watcher did not pick up the save: {shown:?}"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    harness.get_by_label("Brightwater Dental Group");
}

#[test]
fn recent_portfolios_reopen_and_close() {
    let setup = Setup::new();
    let mut harness = setup.harness(None);
    open_portfolio(&setup, &mut harness, &fixtures());
    act(&mut harness, Action::ClosePortfolio);
    assert!(!harness.state().state.portfolio.is_open());
    assert_eq!(harness.state().state.tab, Tab::Workloads);
    // The preferences keep the folder across sessions.
    let again = setup.harness(None);
    assert_eq!(
        again.state().state.preferences.recent_portfolios,
        [fixtures()]
    );
    drop(again);
    act(&mut harness, Action::OpenPortfolio(fixtures()));
    wait_for_read(&mut harness);
    assert_eq!(harness.state().state.tab, Tab::Portfolio);
    harness.get_by_label("Account managers").click();
    harness.run_ok();
    assert_eq!(
        harness.state().views.portfolio.section,
        PortfolioSection::AccountManagers
    );
    harness.get_by_label("Whole book");
    for section in ["Customer and MSP", "Project load by quarter"] {
        harness.get_by_label(section).click();
        harness.run_ok();
    }
    harness.get_by_label("Moves by quarter (USD)");
    // A folder that is gone is refused and dropped from the list.
    act(
        &mut harness,
        Action::OpenPortfolio(setup.path("no such folder")),
    );
    harness.get_by_label("The portfolio could not be opened");
}

#[test]
fn a_folder_on_the_command_line_opens_as_the_portfolio() {
    let setup = Setup::new();
    let mut harness = setup.harness(Some(fixtures()));
    wait_for_read(&mut harness);
    let app = harness.state();
    assert_eq!(app.state.tab, Tab::Portfolio);
    assert_eq!(app.state.portfolio.folder(), Some(fixtures().as_path()));
    // The plan is the bundled sample, as at a first start.
    assert_eq!(app.plan().customer.name, "Harlow & Finch LLP");
    assert!(app.state.modal.is_none());
}

#[test]
fn the_next_moves_field_counts_from_the_month_typed() {
    let setup = Setup::new();
    let mut harness = setup.harness(Some(fixtures()));
    wait_for_read(&mut harness);
    crate::harness::replace_text(&mut harness, "Next moves from", "2010-07");
    harness.key_press(Key::Enter);
    harness.run_ok();
    wait_for_read(&mut harness);
    let app = harness.state();
    assert_eq!(
        app.state.portfolio.as_of(),
        Some(YearMonth {
            year: 2010,
            month: 7
        })
    );
    let data = app.state.portfolio.data().expect("read");
    let law = data
        .portfolio
        .rows
        .iter()
        .find(|r| r.relative == "law-firm.ron")
        .and_then(|r| r.figures.as_ref())
        .expect("law firm");
    // The law firm's moves from July 2010 on: the next is in month 6, 2010-09.
    let next = law.next_move.as_ref().expect("a move");
    assert_eq!(
        next.month,
        YearMonth {
            year: 2010,
            month: 9
        }
    );
    // A month that is not one is refused: the field returns to the month in use.
    crate::harness::replace_text(&mut harness, "Next moves from", "July");
    harness.key_press(Key::Enter);
    harness.run_ok();
    assert_eq!(
        harness.state().state.portfolio.as_of(),
        Some(YearMonth {
            year: 2010,
            month: 7
        })
    );
    assert_eq!(
        harness.state().views.portfolio.as_of_text.as_deref(),
        Some("2010-07")
    );
}

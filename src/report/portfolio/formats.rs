//! The book of business as text, Markdown, HTML, CSV and JSON: one set of rows and totals
//! ([`customer_table`], [`totals_rows`], …) that each format lays out.

use std::fmt::Write as _;

use rust_decimal::prelude::ToPrimitive;
use serde::Serialize;

use super::{Portfolio, PortfolioRow};
use crate::import::neutralize_formula;
use crate::model::portfolio::{CustomerFigures, Rollup, Totals, control_rgb};
use crate::model::{Cents, Decimal, format_cents, format_control, round_control};
use crate::report::escape::{html_escape, markdown_escape};
use crate::report::html::{HTML_STYLE, html_table};
use crate::report::markdown::md_table;
use crate::report::text::aligned;

/// The one currency of every row with figures, if they share one.
fn single_currency(portfolio: &Portfolio) -> Option<&str> {
    let mut currencies = portfolio
        .rows
        .iter()
        .filter_map(|r| r.figures.as_ref().map(|f| f.currency.as_str()));
    let first = currencies.next()?;
    currencies.all(|c| c == first).then_some(first)
}

fn control_2dp(score: Decimal) -> f64 {
    round_control(score).to_f64().unwrap_or(0.0)
}

fn signed(cents: Cents) -> String {
    if cents > 0 {
        format!("+{}", format_cents(cents))
    } else {
        format_cents(cents)
    }
}

fn last_saved(row: &PortfolioRow) -> String {
    row.figures
        .as_ref()
        .and_then(|f| match (&f.last_saved_by, &f.last_saved_at) {
            (Some(by), Some(at)) => Some(format!("{by}, {at}")),
            _ => None,
        })
        .unwrap_or_else(|| "-".to_owned())
}

fn break_even(f: &CustomerFigures) -> String {
    match (f.break_even(), f.break_even_month) {
        (Some(month), Some(t)) => format!("{month} (month {t})"),
        _ => "none".to_owned(),
    }
}

fn next_move(f: &CustomerFigures) -> (String, String) {
    f.next_move.as_ref().map_or_else(
        || ("-".to_owned(), "-".to_owned()),
        |m| (format!("{} {}", m.month, m.summary()), m.fiscal_label()),
    )
}

/// The customer table: one row per plan, problems included (their figures left blank).
pub(super) fn customer_table(portfolio: &Portfolio) -> (Vec<String>, Vec<Vec<String>>) {
    let currency = single_currency(portfolio);
    let money = |title: &str| match currency {
        Some(c) => format!("{title} ({c})"),
        None => title.to_owned(),
    };
    let mut header: Vec<String> = vec![
        "Customer".to_owned(),
        "Account manager".to_owned(),
        "Last saved".to_owned(),
        "Workloads".to_owned(),
    ];
    if currency.is_none() {
        header.push("Currency".to_owned());
    }
    header.extend([
        money("Run rate now / month"),
        "Scenario shown".to_owned(),
        money("Saving over horizon"),
        money("Saving / month"),
        "Control now -> kept".to_owned(),
        money("MSP margin now / month"),
        money("MSP margin after / month"),
        money("MSP margin change"),
        "Break-even".to_owned(),
        "Next move".to_owned(),
        "Fiscal quarter".to_owned(),
        "Status".to_owned(),
        "File".to_owned(),
    ]);
    let rows = portfolio
        .rows
        .iter()
        .map(|row| {
            let mut cells = vec![
                row.customer.clone(),
                row.account_manager.clone(),
                last_saved(row),
            ];
            if let Some(f) = &row.figures {
                let (next, quarter) = next_move(f);
                cells.push(f.workloads.to_string());
                if currency.is_none() {
                    cells.push(f.currency.clone());
                }
                cells.extend([
                    format_cents(f.status_quo_run_rate_cents),
                    f.scenario
                        .clone()
                        .unwrap_or_else(|| "Status quo (nothing breaks even)".to_owned()),
                    format_cents(f.saving_cents),
                    format_cents(f.saving_per_month_cents),
                    format!(
                        "{} -> {}",
                        format_control(f.control_now),
                        format_control(f.control_kept)
                    ),
                    format_cents(f.margin_now_cents),
                    format_cents(f.margin_after_cents),
                    signed(f.margin_change_cents()),
                    break_even(f),
                    next,
                    quarter,
                ]);
            } else {
                let blanks = if currency.is_none() { 13 } else { 12 };
                cells.extend(std::iter::repeat_n(String::new(), blanks));
            }
            // The messages themselves are listed under "Needs attention".
            cells.push(row.status_label());
            cells.push(row.relative.clone());
            cells
        })
        .collect();
    (header, rows)
}

/// The totals of one group as (label, value) lines.
pub(super) fn totals_rows(totals: &Totals, currency: &str) -> Vec<(&'static str, String)> {
    vec![
        (
            "Customers",
            format!(
                "{} ({} workloads); {} would move: {} good for customer and MSP, {} lower the MSP's margin",
                totals.customers,
                totals.workloads,
                totals.moving,
                totals.good_for_both,
                totals.costs_margin
            ),
        ),
        (
            "Run rate now",
            format!(
                "{} {currency} / month",
                format_cents(totals.status_quo_run_rate_cents)
            ),
        ),
        (
            "Saving for the customers",
            format!(
                "{} {currency} / month; {} {currency} over their plans' horizons",
                format_cents(totals.saving_per_month_cents),
                format_cents(totals.saving_cents)
            ),
        ),
        (
            "MSP margin",
            format!(
                "{} -> {} {currency} / month ({})",
                format_cents(totals.margin_now_cents),
                format_cents(totals.margin_after_cents),
                signed(totals.margin_change_cents())
            ),
        ),
        (
            "Control kept",
            format!(
                "{} -> {} (every workload weighted by importance)",
                format_control(totals.control_now()),
                format_control(totals.control_kept())
            ),
        ),
        (
            "Migration billed",
            format!(
                "{} {currency} one-time",
                format_cents(totals.one_time_cents)
            ),
        ),
    ]
}

/// The per-account-manager table of one currency.
pub(super) fn manager_table(rollup: &Rollup) -> (Vec<String>, Vec<Vec<String>>) {
    let c = &rollup.currency;
    let header = vec![
        "Account manager".to_owned(),
        "Customers".to_owned(),
        "Workloads".to_owned(),
        format!("Run rate now / month ({c})"),
        format!("Saving / month ({c})"),
        format!("Saving over horizon ({c})"),
        format!("MSP margin now / month ({c})"),
        format!("MSP margin after / month ({c})"),
        format!("MSP margin change ({c})"),
        "Control now -> kept".to_owned(),
        "Moving".to_owned(),
    ];
    let rows = rollup
        .by_manager
        .iter()
        .map(|(name, t)| {
            vec![
                if name.is_empty() {
                    "(none named)".to_owned()
                } else {
                    name.clone()
                },
                t.customers.to_string(),
                t.workloads.to_string(),
                format_cents(t.status_quo_run_rate_cents),
                format_cents(t.saving_per_month_cents),
                format_cents(t.saving_cents),
                format_cents(t.margin_now_cents),
                format_cents(t.margin_after_cents),
                signed(t.margin_change_cents()),
                format!(
                    "{} -> {}",
                    format_control(t.control_now()),
                    format_control(t.control_kept())
                ),
                t.moving.to_string(),
            ]
        })
        .collect();
    (header, rows)
}

/// The project load by calendar quarter of one currency.
pub(super) fn quarter_table(
    portfolio: &Portfolio,
    rollup: &Rollup,
) -> (Vec<String>, Vec<Vec<String>>) {
    let with_figures = portfolio.rows_with_figures();
    let c = &rollup.currency;
    let header = vec![
        "Quarter".to_owned(),
        "Customers".to_owned(),
        "Moves".to_owned(),
        format!("One-time fees ({c})"),
        "Migration hours".to_owned(),
        format!("Monthly cost change ({c})"),
        "Who".to_owned(),
    ];
    let rows = rollup
        .quarters
        .iter()
        .map(|q| {
            let names: Vec<&str> = q
                .customers
                .iter()
                .filter_map(|&i| with_figures.get(i).map(|r| r.customer.as_str()))
                .collect();
            vec![
                q.load.quarter.to_string(),
                q.customers.len().to_string(),
                q.load.moves.to_string(),
                format_cents(q.load.one_time_cents),
                q.load.migration_hours.round_dp(1).normalize().to_string(),
                signed(q.load.monthly_change_cents),
                names.join(", "),
            ]
        })
        .collect();
    (header, rows)
}

fn headline(portfolio: &Portfolio) -> String {
    let problems = portfolio.problems().count();
    let copies = portfolio
        .rows
        .iter()
        .filter(|r| r.problem.is_none() && !r.conflict_copies.is_empty())
        .count();
    format!(
        "{} plan{} as of {}: {} with figures, {problems} with a file problem, {copies} with unsaved conflict copies.",
        portfolio.rows.len(),
        if portfolio.rows.len() == 1 { "" } else { "s" },
        portfolio.as_of,
        portfolio.rows.len() - problems,
    )
}

/// What needs attention: each file's problem or conflict copies, one line each.
fn attention_lines(portfolio: &Portfolio) -> Vec<String> {
    portfolio
        .rows
        .iter()
        .filter(|r| r.status() != super::RowStatus::Ok)
        .flat_map(|r| {
            r.status_detail()
                .lines()
                .map(str::to_owned)
                .collect::<Vec<_>>()
        })
        .chain(portfolio.notes.iter().cloned())
        .collect()
}

/// Plain text for a terminal or an e-mail.
#[must_use]
pub fn to_text(portfolio: &Portfolio) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "Portfolio {}", portfolio.folder.display());
    let _ = writeln!(out, "{}\n", headline(portfolio));
    for rollup in portfolio.rollups() {
        let _ = writeln!(out, "The book in {}", rollup.currency);
        for (label, value) in totals_rows(&rollup.book, &rollup.currency) {
            let _ = writeln!(out, "  {label:<26}{value}");
        }
        let (header, rows) = manager_table(&rollup);
        let _ = writeln!(out, "\nBy account manager ({})", rollup.currency);
        aligned(&mut out, &header, &rows);
        let (header, rows) = quarter_table(portfolio, &rollup);
        let _ = writeln!(
            out,
            "\nProject load by calendar quarter ({})",
            rollup.currency
        );
        if rows.is_empty() {
            let _ = writeln!(out, "  no moves");
        } else {
            aligned(&mut out, &header, &rows);
        }
        let _ = writeln!(out);
    }
    let (header, rows) = customer_table(portfolio);
    let _ = writeln!(out, "Customers");
    aligned(&mut out, &header, &rows);
    let attention = attention_lines(portfolio);
    if !attention.is_empty() {
        let _ = writeln!(out, "\nNeeds attention");
        for line in attention {
            let _ = writeln!(out, "  {line}");
        }
    }
    out
}

/// Markdown, every text from the plans escaped.
#[must_use]
pub fn to_markdown(portfolio: &Portfolio) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "# Portfolio {}\n\n{}\n",
        markdown_escape(&portfolio.folder.display().to_string()),
        headline(portfolio)
    );
    for rollup in portfolio.rollups() {
        let _ = writeln!(
            out,
            "## The book in {}\n",
            markdown_escape(&rollup.currency)
        );
        for (label, value) in totals_rows(&rollup.book, &rollup.currency) {
            let _ = writeln!(out, "- {label}: {}", markdown_escape(&value));
        }
        let _ = writeln!(out, "\n### By account manager\n");
        let (header, rows) = manager_table(&rollup);
        md_table(&mut out, &header, &rows);
        let _ = writeln!(out, "\n### Project load by calendar quarter\n");
        let (header, rows) = quarter_table(portfolio, &rollup);
        if rows.is_empty() {
            let _ = writeln!(out, "No moves.");
        } else {
            md_table(&mut out, &header, &rows);
        }
        let _ = writeln!(out);
    }
    let _ = writeln!(out, "## Customers\n");
    let (header, rows) = customer_table(portfolio);
    md_table(&mut out, &header, &rows);
    let attention = attention_lines(portfolio);
    if !attention.is_empty() {
        let _ = writeln!(out, "\n## Needs attention\n");
        for line in attention {
            let _ = writeln!(out, "- {}", markdown_escape(&line));
        }
    }
    out
}

/// A self-contained HTML page (no scripts, no external files; the chart as inline SVG).
#[must_use]
pub fn to_html(portfolio: &Portfolio) -> String {
    let folder = html_escape(&portfolio.folder.display().to_string());
    let mut out = String::new();
    let _ = writeln!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<meta name=\"generator\" content=\"Keyholder\">\n<title>Portfolio {folder}</title>\n<style>{HTML_STYLE}\ntable.customers {{ font-size: 0.8em; }}</style>\n</head>\n<body>\n<header class=\"title\">\n<p class=\"kicker\">Book of business</p>\n<h1>Portfolio</h1>\n<p class=\"subtitle\">{folder}. {}</p>\n</header>",
        html_escape(&headline(portfolio))
    );
    for rollup in portfolio.rollups() {
        let _ = writeln!(
            out,
            "<section>\n<h2>The book in {}</h2>\n<table class=\"facts\">\n<tbody>",
            html_escape(&rollup.currency)
        );
        for (label, value) in totals_rows(&rollup.book, &rollup.currency) {
            let _ = writeln!(
                out,
                "<tr><th scope=\"row\">{}</th><td>{}</td></tr>",
                html_escape(label),
                html_escape(&value)
            );
        }
        let _ = writeln!(out, "</tbody>\n</table>");
        out.push_str(&scatter_svg(portfolio, &rollup.currency));
        let _ = writeln!(out, "<h2>By account manager</h2>");
        let (header, rows) = manager_table(&rollup);
        html_table(&mut out, "scenarios", &header, &rows, true);
        let _ = writeln!(out, "<h2>Project load by calendar quarter</h2>");
        let (header, rows) = quarter_table(portfolio, &rollup);
        if rows.is_empty() {
            let _ = writeln!(out, "<p>No moves.</p>");
        } else {
            html_table(&mut out, "scenarios", &header, &rows, true);
        }
        let _ = writeln!(out, "</section>");
    }
    let _ = writeln!(out, "<section class=\"new-page\">\n<h2>Customers</h2>");
    let (header, rows) = customer_table(portfolio);
    html_table(&mut out, "customers", &header, &rows, true);
    let _ = writeln!(out, "</section>");
    let attention = attention_lines(portfolio);
    if !attention.is_empty() {
        let _ = writeln!(out, "<section>\n<h2>Needs attention</h2>\n<ul>");
        for line in attention {
            let _ = writeln!(out, "<li>{}</li>", html_escape(&line));
        }
        let _ = writeln!(out, "</ul>\n</section>");
    }
    let _ = writeln!(
        out,
        "<footer>Made by Keyholder from the plans in {folder}.</footer>\n</body>\n</html>"
    );
    out
}

/// Customers by saving per month (across) and MSP margin change per month (up), coloured by
/// the control kept.
fn scatter_svg(portfolio: &Portfolio, currency: &str) -> String {
    let points: Vec<(&str, f64, f64, f64)> = portfolio
        .rows
        .iter()
        .filter_map(|r| {
            let f = r.figures.as_ref().filter(|f| f.currency == currency)?;
            #[expect(clippy::cast_precision_loss, reason = "drawing only")]
            let point = (
                r.customer.as_str(),
                f.saving_per_month_cents as f64 / 100.0,
                f.margin_change_cents() as f64 / 100.0,
                control_2dp(f.control_kept),
            );
            Some(point)
        })
        .collect();
    if points.is_empty() {
        return String::new();
    }
    let (width, height, pad) = (760.0, 420.0, 60.0);
    let span = |values: &mut dyn Iterator<Item = f64>| {
        let (lo, hi) = values.fold((0.0_f64, 0.0_f64), |(lo, hi), v| (lo.min(v), hi.max(v)));
        let margin = ((hi - lo) * 0.08).max(1.0);
        (lo - margin, hi + margin)
    };
    let (x_lo, x_hi) = span(&mut points.iter().map(|p| p.1));
    let (y_lo, y_hi) = span(&mut points.iter().map(|p| p.2));
    let sx = |x: f64| pad + (x - x_lo) / (x_hi - x_lo) * (width - 2.0 * pad);
    let sy = |y: f64| height - pad - (y - y_lo) / (y_hi - y_lo) * (height - 2.0 * pad);
    let mut svg = String::new();
    let _ = writeln!(
        svg,
        "<figure>\n<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {width} {height}\" role=\"img\" aria-labelledby=\"book-title\">\n<title id=\"book-title\">Customers: saving for the customer against the MSP's margin change, coloured by control kept</title>"
    );
    let _ = writeln!(
        svg,
        "<rect x=\"{pad}\" y=\"{pad}\" width=\"{}\" height=\"{}\" fill=\"#fafbfc\" stroke=\"#cfd6dd\"/>",
        width - 2.0 * pad,
        height - 2.0 * pad
    );
    // The axes through zero split the quadrants: right saves the customer, up earns the MSP.
    let _ = writeln!(
        svg,
        "<line x1=\"{:.1}\" y1=\"{pad}\" x2=\"{:.1}\" y2=\"{:.1}\" stroke=\"#888\"/>\n<line x1=\"{pad}\" y1=\"{:.1}\" x2=\"{:.1}\" y2=\"{:.1}\" stroke=\"#888\"/>",
        sx(0.0),
        sx(0.0),
        height - pad,
        sy(0.0),
        width - pad,
        sy(0.0)
    );
    let _ = writeln!(
        svg,
        "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\" font-size=\"13\">Saving for the customer ({currency} / month)</text>\n<text transform=\"translate(16 {:.1}) rotate(-90)\" text-anchor=\"middle\" font-size=\"13\">MSP margin change ({currency} / month)</text>",
        width / 2.0,
        height - 18.0,
        height / 2.0
    );
    let _ = writeln!(
        svg,
        "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\" font-size=\"11\" fill=\"#555\">good for both</text>\n<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\" font-size=\"11\" fill=\"#555\">costs the MSP margin</text>",
        width - pad - 6.0,
        pad + 14.0,
        width - pad - 6.0,
        height - pad - 8.0
    );
    for (name, x, y, control) in &points {
        let [r, g, b] = control_rgb(*control);
        let _ = writeln!(
            svg,
            "<circle cx=\"{:.1}\" cy=\"{:.1}\" r=\"5\" fill=\"rgb({r},{g},{b})\" stroke=\"#333\" stroke-width=\"0.5\"><title>{}: {x:.2} / month saving, {y:+.2} / month margin, control {control:.2}</title></circle>",
            sx(*x),
            sy(*y),
            html_escape(name)
        );
    }
    let _ = writeln!(
        svg,
        "</svg>\n<figcaption>Each dot is a customer with the scenario shown for it; colour is the control the MSP keeps (red 0, amber 50, green 100).</figcaption>\n</figure>"
    );
    svg
}

#[derive(Serialize)]
struct NextMoveJson<'a> {
    month: String,
    move_month: u32,
    fiscal_quarter: String,
    workload: &'a str,
    from: crate::model::Destination,
    to: crate::model::Destination,
    others_same_month: usize,
}

#[derive(Serialize)]
struct CustomerJson<'a> {
    file: &'a str,
    customer: &'a str,
    account_manager: &'a str,
    status: &'static str,
    status_detail: Option<String>,
    conflict_copies: Vec<String>,
    currency: Option<&'a str>,
    last_saved_by: Option<&'a str>,
    last_saved_at: Option<&'a str>,
    workloads: Option<usize>,
    horizon_months: Option<u32>,
    status_quo_run_rate_cents: Option<Cents>,
    status_quo_tco_cents: Option<Cents>,
    scenario: Option<&'a str>,
    saving_cents: Option<Cents>,
    saving_per_month_cents: Option<Cents>,
    control_now: Option<f64>,
    control_kept: Option<f64>,
    msp_margin_now_cents: Option<Cents>,
    msp_margin_after_cents: Option<Cents>,
    msp_margin_change_cents: Option<Cents>,
    break_even_month: Option<u32>,
    break_even: Option<String>,
    next_move: Option<NextMoveJson<'a>>,
}

#[derive(Serialize)]
struct TotalsJson<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    account_manager: Option<&'a str>,
    customers: usize,
    workloads: usize,
    moving: usize,
    good_for_both: usize,
    costs_margin: usize,
    status_quo_run_rate_cents: Cents,
    saving_cents: Cents,
    saving_per_month_cents: Cents,
    msp_margin_now_cents: Cents,
    msp_margin_after_cents: Cents,
    msp_margin_change_cents: Cents,
    one_time_cents: Cents,
    control_now: f64,
    control_kept: f64,
}

impl<'a> TotalsJson<'a> {
    fn of(account_manager: Option<&'a str>, t: &Totals) -> Self {
        Self {
            account_manager,
            customers: t.customers,
            workloads: t.workloads,
            moving: t.moving,
            good_for_both: t.good_for_both,
            costs_margin: t.costs_margin,
            status_quo_run_rate_cents: t.status_quo_run_rate_cents,
            saving_cents: t.saving_cents,
            saving_per_month_cents: t.saving_per_month_cents,
            msp_margin_now_cents: t.margin_now_cents,
            msp_margin_after_cents: t.margin_after_cents,
            msp_margin_change_cents: t.margin_change_cents(),
            one_time_cents: t.one_time_cents,
            control_now: control_2dp(t.control_now()),
            control_kept: control_2dp(t.control_kept()),
        }
    }
}

#[derive(Serialize)]
struct QuarterJson<'a> {
    quarter: String,
    customers: Vec<&'a str>,
    moves: usize,
    one_time_cents: Cents,
    /// Hours as a number with at most two decimals.
    migration_hours: f64,
    monthly_change_cents: Cents,
}

#[derive(Serialize)]
struct RollupJson<'a> {
    currency: &'a str,
    book: TotalsJson<'a>,
    account_managers: Vec<TotalsJson<'a>>,
    quarters: Vec<QuarterJson<'a>>,
}

#[derive(Serialize)]
struct PortfolioJson<'a> {
    folder: String,
    as_of: String,
    customers: Vec<CustomerJson<'a>>,
    rollups: Vec<RollupJson<'a>>,
    price_books: Vec<String>,
    notes: &'a [String],
}

fn customer_json(row: &PortfolioRow) -> CustomerJson<'_> {
    let f = row.figures.as_ref();
    let status_detail = (row.status() != super::RowStatus::Ok).then(|| row.status_detail());
    CustomerJson {
        file: &row.relative,
        customer: &row.customer,
        account_manager: &row.account_manager,
        status: row.status().key(),
        status_detail,
        conflict_copies: row
            .conflict_copies
            .iter()
            .map(|p| p.display().to_string())
            .collect(),
        currency: f.map(|f| f.currency.as_str()),
        last_saved_by: f.and_then(|f| f.last_saved_by.as_deref()),
        last_saved_at: f.and_then(|f| f.last_saved_at.as_deref()),
        workloads: f.map(|f| f.workloads),
        horizon_months: f.map(|f| f.horizon_months),
        status_quo_run_rate_cents: f.map(|f| f.status_quo_run_rate_cents),
        status_quo_tco_cents: f.map(|f| f.status_quo_tco_cents),
        scenario: f.and_then(|f| f.scenario.as_deref()),
        saving_cents: f.map(|f| f.saving_cents),
        saving_per_month_cents: f.map(|f| f.saving_per_month_cents),
        control_now: f.map(|f| control_2dp(f.control_now)),
        control_kept: f.map(|f| control_2dp(f.control_kept)),
        msp_margin_now_cents: f.map(|f| f.margin_now_cents),
        msp_margin_after_cents: f.map(|f| f.margin_after_cents),
        msp_margin_change_cents: f.map(CustomerFigures::margin_change_cents),
        break_even_month: f.and_then(|f| f.break_even_month),
        break_even: f.and_then(|f| f.break_even().map(|m| m.to_string())),
        next_move: f.and_then(|f| {
            f.next_move.as_ref().map(|m| NextMoveJson {
                month: m.month.to_string(),
                move_month: m.move_month,
                fiscal_quarter: m.fiscal_label(),
                workload: &m.workload,
                from: m.from,
                to: m.to,
                others_same_month: m.others_same_month,
            })
        }),
    }
}

/// JSON with the keys the README documents.
#[must_use]
pub fn to_json(portfolio: &Portfolio) -> String {
    let rollups = portfolio.rollups();
    let with_figures = portfolio.rows_with_figures();
    let json = PortfolioJson {
        folder: portfolio.folder.display().to_string(),
        as_of: portfolio.as_of.to_string(),
        customers: portfolio.rows.iter().map(customer_json).collect(),
        rollups: rollups
            .iter()
            .map(|r| RollupJson {
                currency: &r.currency,
                book: TotalsJson::of(None, &r.book),
                account_managers: r
                    .by_manager
                    .iter()
                    .map(|(name, t)| TotalsJson::of(Some(name), t))
                    .collect(),
                quarters: r
                    .quarters
                    .iter()
                    .map(|q| QuarterJson {
                        quarter: q.load.quarter.to_string(),
                        customers: q
                            .customers
                            .iter()
                            .filter_map(|&i| with_figures.get(i).map(|r| r.customer.as_str()))
                            .collect(),
                        moves: q.load.moves,
                        one_time_cents: q.load.one_time_cents,
                        migration_hours: q.load.migration_hours.round_dp(2).to_f64().unwrap_or(0.0),
                        monthly_change_cents: q.load.monthly_change_cents,
                    })
                    .collect(),
            })
            .collect(),
        price_books: portfolio
            .price_books
            .iter()
            .map(|p| p.display().to_string())
            .collect(),
        notes: &portfolio.notes,
    };
    let mut text = serde_json::to_string_pretty(&json).unwrap_or_else(|_| "{}".to_owned());
    text.push('\n');
    text
}

/// CSV for a spreadsheet: one row per customer (plain cents), then the totals per currency
/// and account manager, then the project load by quarter. Text is guarded against formula
/// injection by the rule of every CSV Keyholder writes.
#[must_use]
pub fn to_csv(portfolio: &Portfolio) -> String {
    let mut writer = csv::WriterBuilder::new()
        .flexible(true)
        .from_writer(Vec::new());
    let text = |s: &str| neutralize_formula(s);
    let opt = |v: Option<Cents>| v.map_or_else(String::new, |c| c.to_string());
    let _ = writer.write_record([
        "file",
        "customer",
        "account_manager",
        "status",
        "currency",
        "last_saved_by",
        "last_saved_at",
        "workloads",
        "status_quo_run_rate_cents",
        "scenario",
        "saving_cents",
        "saving_per_month_cents",
        "control_now",
        "control_kept",
        "msp_margin_now_cents",
        "msp_margin_after_cents",
        "msp_margin_change_cents",
        "break_even",
        "next_move_month",
        "next_move_fiscal_quarter",
        "next_move",
        "status_detail",
    ]);
    for row in &portfolio.rows {
        let f = row.figures.as_ref();
        let detail = if row.status() == super::RowStatus::Ok {
            String::new()
        } else {
            row.status_detail()
        };
        let _ = writer.write_record([
            text(&row.relative),
            text(&row.customer),
            text(&row.account_manager),
            row.status().key().to_owned(),
            f.map_or_else(String::new, |f| text(&f.currency)),
            f.and_then(|f| f.last_saved_by.as_deref())
                .map_or_else(String::new, text),
            f.and_then(|f| f.last_saved_at.clone()).unwrap_or_default(),
            f.map_or_else(String::new, |f| f.workloads.to_string()),
            opt(f.map(|f| f.status_quo_run_rate_cents)),
            f.and_then(|f| f.scenario.as_deref())
                .map_or_else(String::new, text),
            opt(f.map(|f| f.saving_cents)),
            opt(f.map(|f| f.saving_per_month_cents)),
            f.map_or_else(String::new, |f| format_control(f.control_now)),
            f.map_or_else(String::new, |f| format_control(f.control_kept)),
            opt(f.map(|f| f.margin_now_cents)),
            opt(f.map(|f| f.margin_after_cents)),
            opt(f.map(CustomerFigures::margin_change_cents)),
            f.and_then(CustomerFigures::break_even)
                .map_or_else(String::new, |m| m.to_string()),
            f.and_then(|f| f.next_move.as_ref())
                .map_or_else(String::new, |m| m.month.to_string()),
            f.and_then(|f| f.next_move.as_ref())
                .map_or_else(String::new, crate::model::portfolio::NextMove::fiscal_label),
            f.and_then(|f| f.next_move.as_ref())
                .map_or_else(String::new, |m| text(&m.summary())),
            text(&detail),
        ]);
    }
    write_csv_rollups(&mut writer, &portfolio.rollups());
    writer
        .into_inner()
        .map(|bytes| String::from_utf8_lossy(&bytes).into_owned())
        .unwrap_or_default()
}

/// The CSV's totals per currency and account manager, then its project load by quarter.
fn write_csv_rollups(writer: &mut csv::Writer<Vec<u8>>, rollups: &[Rollup]) {
    let text = |s: &str| neutralize_formula(s);
    let _ = writer.write_record([""]);
    let _ = writer.write_record([
        "currency",
        "account_manager",
        "customers",
        "workloads",
        "moving",
        "status_quo_run_rate_cents",
        "saving_cents",
        "saving_per_month_cents",
        "msp_margin_now_cents",
        "msp_margin_after_cents",
        "msp_margin_change_cents",
        "control_now",
        "control_kept",
    ]);
    for rollup in rollups {
        let groups = std::iter::once(("(whole book)", &rollup.book)).chain(
            rollup
                .by_manager
                .iter()
                .map(|(name, totals)| (name.as_str(), totals)),
        );
        for (name, t) in groups {
            let _ = writer.write_record([
                text(&rollup.currency),
                text(name),
                t.customers.to_string(),
                t.workloads.to_string(),
                t.moving.to_string(),
                t.status_quo_run_rate_cents.to_string(),
                t.saving_cents.to_string(),
                t.saving_per_month_cents.to_string(),
                t.margin_now_cents.to_string(),
                t.margin_after_cents.to_string(),
                t.margin_change_cents().to_string(),
                format_control(t.control_now()),
                format_control(t.control_kept()),
            ]);
        }
    }
    let _ = writer.write_record([""]);
    let _ = writer.write_record([
        "currency",
        "quarter",
        "customers",
        "moves",
        "one_time_cents",
        "migration_hours",
        "monthly_change_cents",
    ]);
    for rollup in rollups {
        for q in &rollup.quarters {
            let _ = writer.write_record([
                text(&rollup.currency),
                q.load.quarter.to_string(),
                q.customers.len().to_string(),
                q.load.moves.to_string(),
                q.load.one_time_cents.to_string(),
                q.load.migration_hours.normalize().to_string(),
                q.load.monthly_change_cents.to_string(),
            ]);
        }
    }
}

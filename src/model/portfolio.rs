//! The book of business: one customer's figures from a priced plan ([`CustomerFigures`]),
//! and the roll-ups across customers ([`rollups`]): totals for the whole book and per
//! account manager, and the MSP's project load by calendar quarter.
//!
//! Pure, like the rest of the model: the plans, the scenario to show for each (see
//! `report::portfolio::featured_scenario`) and "this month" come from the caller.

use std::collections::BTreeMap;
use std::fmt;

use rust_decimal::Decimal;

use super::charts::{fiscal_quarter, roadmap};
use super::destination::Destination;
use super::engine::{Evaluation, migration_hours};
use super::number::Cents;
use super::plan::{Plan, Scenario, YearMonth};

/// A calendar quarter (January–March is Q1), the unit of the book's project load: the MSP
/// plans its engineers by calendar, whatever each customer's fiscal year.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct CalendarQuarter {
    pub year: i32,
    /// 1–4.
    pub quarter: u8,
}

impl CalendarQuarter {
    #[must_use]
    pub fn of(month: YearMonth) -> Self {
        Self {
            year: month.year,
            quarter: (month.month.clamp(1, 12) - 1) / 3 + 1,
        }
    }

    /// Whether `month` lies in this quarter.
    #[must_use]
    pub fn contains(self, month: YearMonth) -> bool {
        Self::of(month) == self
    }
}

impl fmt::Display for CalendarQuarter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} Q{}", self.year, self.quarter)
    }
}

/// The first move of the shown scenario from "this month" on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NextMove {
    /// Month index from the plan's start.
    pub move_month: u32,
    /// The calendar month of the move.
    pub month: YearMonth,
    /// The customer's fiscal year (named by the year it ends in) and quarter of that month.
    pub fiscal_year: i32,
    pub fiscal_quarter: u8,
    /// The first workload that moves then (in plan order), and where from and to.
    pub workload: String,
    pub from: Destination,
    pub to: Destination,
    /// How many other workloads move in the same month.
    pub others_same_month: usize,
}

impl NextMove {
    /// `FY10 Q2`.
    #[must_use]
    pub fn fiscal_label(&self) -> String {
        format!(
            "FY{:02} Q{}",
            self.fiscal_year.rem_euclid(100),
            self.fiscal_quarter
        )
    }

    /// `Exchange 2003 to BPOS` (with `and 2 more` when others move that month).
    #[must_use]
    pub fn summary(&self) -> String {
        let more = match self.others_same_month {
            0 => String::new(),
            n => format!(" and {n} more"),
        };
        format!("{} to {}{more}", self.workload, self.to.label())
    }
}

/// The moves of one customer, or of the whole book, in one calendar quarter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QuarterLoad {
    pub quarter: CalendarQuarter,
    pub moves: usize,
    /// Migration billed by the MSP (the one-time cost of the moves).
    pub one_time_cents: Cents,
    /// The MSP's hours to carry the moves out (the price book's migration hours).
    pub migration_hours: Decimal,
    /// The customers' monthly cost after the moves minus before them.
    pub monthly_change_cents: Cents,
}

/// One customer's row of the book: the plan as it is, and the scenario shown for it (the
/// recommended one, or the status quo when nothing is recommended).
#[derive(Debug, Clone, PartialEq)]
pub struct CustomerFigures {
    pub customer: String,
    pub account_manager: String,
    /// The price book's currency: every amount of the row is in it.
    pub currency: String,
    /// The last entry of the plan's history: who saved it, and when (RFC 3339, UTC).
    pub last_saved_by: Option<String>,
    pub last_saved_at: Option<String>,
    pub workloads: usize,
    pub start_month: YearMonth,
    pub horizon_months: u32,
    pub status_quo_run_rate_cents: Cents,
    pub status_quo_tco_cents: Cents,
    /// The scenario the figures below are for; `None` when the status quo is shown.
    pub scenario: Option<String>,
    /// Workloads the scenario moves within the horizon.
    pub moves: usize,
    /// What the customer saves over the horizon: the status quo's TCO minus the scenario's.
    pub saving_cents: Cents,
    /// What the customer saves each month once every move is made: the status quo's run
    /// rate minus the scenario's.
    pub saving_per_month_cents: Cents,
    /// Control scores (0–100, exact) of the status quo and of the scenario.
    pub control_now: Decimal,
    pub control_kept: Decimal,
    /// Σ importance of the plan's workloads: the weight of this customer in the book's
    /// control score.
    pub importance_total: u64,
    /// The MSP's steady-state monthly margin now (status quo) and after the scenario.
    pub margin_now_cents: Cents,
    pub margin_after_cents: Cents,
    pub one_time_cents: Cents,
    pub break_even_month: Option<u32>,
    pub next_move: Option<NextMove>,
    /// The scenario's moves by calendar quarter, in time order.
    pub project_load: Vec<QuarterLoad>,
}

impl CustomerFigures {
    /// The figures of `plan` (priced as `evaluation`) for `scenario`, or the status quo when
    /// `None`; the next move is the first in a month no earlier than `as_of`.
    #[must_use]
    pub fn new(
        plan: &Plan,
        evaluation: &Evaluation,
        scenario: Option<&Scenario>,
        as_of: YearMonth,
    ) -> Self {
        let status_quo = evaluation.scenario(&Scenario::status_quo());
        let shown = scenario.map_or_else(|| status_quo.clone(), |s| evaluation.scenario(s));
        let last = plan.history.last();
        let importance_total = plan
            .workloads
            .iter()
            .map(|w| u64::from(w.criticality.importance()))
            .sum();
        let (next_move, project_load) = scenario
            .map(|s| moves_of(plan, evaluation, s, as_of))
            .unwrap_or_default();
        Self {
            customer: plan.customer.name.clone(),
            account_manager: plan.customer.account_manager.trim().to_owned(),
            currency: plan.price_book.currency.clone(),
            last_saved_by: last.map(|h| h.saved_by.clone()),
            last_saved_at: last.map(|h| h.saved_at.clone()),
            workloads: plan.workloads.len(),
            start_month: plan.assumptions.start_month,
            horizon_months: plan.assumptions.horizon_months,
            status_quo_run_rate_cents: status_quo.run_rate_cents,
            status_quo_tco_cents: status_quo.tco_cents,
            scenario: scenario.map(|s| s.name.clone()),
            moves: shown.moves,
            saving_cents: status_quo.tco_cents - shown.tco_cents,
            saving_per_month_cents: status_quo.run_rate_cents - shown.run_rate_cents,
            control_now: status_quo.control_score,
            control_kept: shown.control_score,
            importance_total,
            margin_now_cents: status_quo.msp_monthly_margin_cents,
            margin_after_cents: shown.msp_monthly_margin_cents,
            one_time_cents: shown.one_time_cents,
            break_even_month: shown.break_even_month,
            next_move,
            project_load,
        }
    }

    /// The MSP's monthly margin after the scenario minus now.
    #[must_use]
    pub const fn margin_change_cents(&self) -> Cents {
        self.margin_after_cents - self.margin_now_cents
    }

    /// The break-even month as a calendar month.
    #[must_use]
    pub fn break_even(&self) -> Option<YearMonth> {
        self.break_even_month
            .map(|t| self.start_month.plus_months(t))
    }

    /// Whether the next move falls in the calendar quarter of `as_of`.
    #[must_use]
    pub fn moves_in_quarter_of(&self, as_of: YearMonth) -> bool {
        self.next_move
            .as_ref()
            .is_some_and(|m| CalendarQuarter::of(as_of).contains(m.month))
    }
}

/// The next move from `as_of` on, and every move of `scenario` by calendar quarter.
fn moves_of(
    plan: &Plan,
    evaluation: &Evaluation,
    scenario: &Scenario,
    as_of: YearMonth,
) -> (Option<NextMove>, Vec<QuarterLoad>) {
    let start = plan.assumptions.start_month;
    let mut next: Option<NextMove> = None;
    let mut load: Vec<QuarterLoad> = Vec::new();
    // The roadmap lists moves in time order (then plan order), grouped by fiscal quarter.
    for quarter in roadmap(plan, evaluation, scenario) {
        for m in &quarter.moves {
            let month = start.plus_months(m.move_month);
            let Some(workload) = plan.workloads.get(m.workload) else {
                continue;
            };
            match &mut next {
                Some(n) if n.move_month == m.move_month => n.others_same_month += 1,
                None if month >= as_of => {
                    let (fiscal_year, fiscal_quarter) =
                        fiscal_quarter(month, plan.customer.fiscal_year_start_month);
                    next = Some(NextMove {
                        move_month: m.move_month,
                        month,
                        fiscal_year,
                        fiscal_quarter,
                        workload: workload.name.clone(),
                        from: m.from,
                        to: m.to,
                        others_same_month: 0,
                    });
                }
                _ => {}
            }
            let calendar = CalendarQuarter::of(month);
            let hours = migration_hours(&plan.price_book, workload, m.to);
            match load.last_mut() {
                Some(q) if q.quarter == calendar => {
                    q.moves += 1;
                    q.one_time_cents += m.one_time_cents;
                    q.migration_hours += hours;
                    q.monthly_change_cents += m.monthly_change_cents;
                }
                _ => load.push(QuarterLoad {
                    quarter: calendar,
                    moves: 1,
                    one_time_cents: m.one_time_cents,
                    migration_hours: hours,
                    monthly_change_cents: m.monthly_change_cents,
                }),
            }
        }
    }
    (next, load)
}

/// Sums of customers' figures (the whole book, or one account manager's customers).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Totals {
    pub customers: usize,
    pub workloads: usize,
    pub status_quo_run_rate_cents: Cents,
    pub saving_cents: Cents,
    pub saving_per_month_cents: Cents,
    pub margin_now_cents: Cents,
    pub margin_after_cents: Cents,
    pub one_time_cents: Cents,
    /// Customers whose shown scenario moves something.
    pub moving: usize,
    /// Moving customers who save and whose MSP margin does not fall: good for both.
    pub good_for_both: usize,
    /// Moving customers whose move lowers the MSP's monthly margin.
    pub costs_margin: usize,
    control_now_weighted: Decimal,
    control_kept_weighted: Decimal,
    importance: u64,
}

impl Totals {
    pub fn add(&mut self, f: &CustomerFigures) {
        self.customers += 1;
        self.workloads += f.workloads;
        self.status_quo_run_rate_cents += f.status_quo_run_rate_cents;
        self.saving_cents += f.saving_cents;
        self.saving_per_month_cents += f.saving_per_month_cents;
        self.margin_now_cents += f.margin_now_cents;
        self.margin_after_cents += f.margin_after_cents;
        self.one_time_cents += f.one_time_cents;
        if f.moves > 0 {
            self.moving += 1;
            if f.margin_change_cents() < 0 {
                self.costs_margin += 1;
            } else if f.saving_cents > 0 {
                self.good_for_both += 1;
            }
        }
        let weight = Decimal::from(f.importance_total);
        self.control_now_weighted += f.control_now * weight;
        self.control_kept_weighted += f.control_kept * weight;
        self.importance += f.importance_total;
    }

    #[must_use]
    pub const fn margin_change_cents(&self) -> Cents {
        self.margin_after_cents - self.margin_now_cents
    }

    /// The control score of the whole group today: every workload of every customer weighted
    /// by its importance, as a plan's own score weighs its workloads (0–100).
    #[must_use]
    pub fn control_now(&self) -> Decimal {
        self.weighted(self.control_now_weighted)
    }

    /// The control score of the whole group after the shown scenarios, weighted the same way.
    #[must_use]
    pub fn control_kept(&self) -> Decimal {
        self.weighted(self.control_kept_weighted)
    }

    fn weighted(&self, sum: Decimal) -> Decimal {
        if self.importance == 0 {
            Decimal::ZERO
        } else {
            sum / Decimal::from(self.importance)
        }
    }
}

/// The book's project load in one calendar quarter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QuarterRollup {
    pub load: QuarterLoad,
    /// The customers with moves in the quarter (indices into the figures given to
    /// [`rollups`]), in that order.
    pub customers: Vec<usize>,
}

/// The roll-ups of the customers whose plans are in one currency.
#[derive(Debug, Clone, PartialEq)]
pub struct Rollup {
    pub currency: String,
    pub book: Totals,
    /// Per account manager, by name (customers without one under an empty name, last).
    pub by_manager: Vec<(String, Totals)>,
    /// The project load by calendar quarter, in time order.
    pub quarters: Vec<QuarterRollup>,
}

/// The roll-ups of `figures`, one per currency (amounts in different currencies are never
/// added up), by currency name.
#[must_use]
pub fn rollups(figures: &[&CustomerFigures]) -> Vec<Rollup> {
    let mut by_currency: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (index, f) in figures.iter().enumerate() {
        by_currency
            .entry(f.currency.as_str())
            .or_default()
            .push(index);
    }
    by_currency
        .into_iter()
        .map(|(currency, members)| {
            let mut book = Totals::default();
            let mut managers: BTreeMap<(bool, &str), Totals> = BTreeMap::new();
            let mut quarters: BTreeMap<CalendarQuarter, QuarterRollup> = BTreeMap::new();
            for &index in &members {
                let f = figures[index];
                book.add(f);
                let manager = f.account_manager.as_str();
                managers
                    .entry((manager.is_empty(), manager))
                    .or_default()
                    .add(f);
                for load in &f.project_load {
                    let q = quarters
                        .entry(load.quarter)
                        .or_insert_with(|| QuarterRollup {
                            load: QuarterLoad {
                                quarter: load.quarter,
                                moves: 0,
                                one_time_cents: 0,
                                migration_hours: Decimal::ZERO,
                                monthly_change_cents: 0,
                            },
                            customers: Vec::new(),
                        });
                    q.load.moves += load.moves;
                    q.load.one_time_cents += load.one_time_cents;
                    q.load.migration_hours += load.migration_hours;
                    q.load.monthly_change_cents += load.monthly_change_cents;
                    q.customers.push(index);
                }
            }
            Rollup {
                currency: currency.to_owned(),
                book,
                by_manager: managers
                    .into_iter()
                    .map(|((_, name), totals)| (name.to_owned(), totals))
                    .collect(),
                quarters: quarters.into_values().collect(),
            }
        })
        .collect()
}

/// The colour of a control score wherever the book is drawn: red at 0, amber at 50, green
/// at 100 (the app's chart and the HTML report agree).
#[must_use]
pub fn control_rgb(control: f64) -> [u8; 3] {
    let t = (control / 100.0).clamp(0.0, 1.0);
    let (from, to, s) = if t < 0.5 {
        ([200.0, 40.0, 40.0], [230.0, 160.0, 20.0], t * 2.0)
    } else {
        ([230.0, 160.0, 20.0], [30.0, 150.0, 60.0], (t - 0.5) * 2.0)
    };
    #[expect(
        clippy::cast_possible_truncation,
        clippy::cast_sign_loss,
        reason = "each channel is clamped to 0–255"
    )]
    let channel = |i: usize| (from[i] + (to[i] - from[i]) * s).round().clamp(0.0, 255.0) as u8;
    [channel(0), channel(1), channel(2)]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn calendar_quarters() {
        let q = |year, month| CalendarQuarter::of(YearMonth { year, month });
        assert_eq!(
            q(2010, 1),
            CalendarQuarter {
                year: 2010,
                quarter: 1
            }
        );
        assert_eq!(q(2010, 3).quarter, 1);
        assert_eq!(q(2010, 4).quarter, 2);
        assert_eq!(q(2010, 12).quarter, 4);
        assert_eq!(q(2011, 7).to_string(), "2011 Q3");
        assert!(q(2010, 5) < q(2010, 7));
    }
}

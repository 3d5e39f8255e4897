//! Prices and control scores per workload and destination, and scenario totals
//! (PRODUCT.md section 3). Every priced line is rounded to whole cents as soon as it is
//! computed; totals are sums of rounded lines.

use std::collections::HashMap;

use rust_decimal::{Decimal, prelude::ToPrimitive};

use super::destination::{Destination, PerDestination};
use super::number::{Cents, round_cents};
use super::plan::{Choice, ControlModel, Plan, Scenario, Workload};
use super::price_book::{Basis, PriceBook, RateLine};

/// What one workload costs and earns on one destination, per month unless named otherwise.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Pricing {
    /// Paid by the customer to the provider.
    pub recurring_cents: Cents,
    /// Paid by the customer to the MSP.
    pub msp_fees_cents: Cents,
    /// What the customer pays per month: recurring + MSP fees, or the override on the
    /// current destination.
    pub monthly_cents: Cents,
    /// Migration billed by the MSP; zero on the current destination.
    pub one_time_cents: Cents,
    /// The MSP's own cost of running it (labour and non-labour).
    pub msp_cost_cents: Cents,
    /// The MSP's own cost of the migration hours; zero on the current destination.
    pub migration_cost_cents: Cents,
    /// Partner fee in the first 12 months on the destination.
    pub partner_fee_first_year_cents: Cents,
    /// Partner fee from the 13th month on.
    pub partner_fee_recurring_cents: Cents,
}

impl Pricing {
    /// The MSP's margin in the k-th month on the destination, leaving out migration.
    #[must_use]
    pub const fn msp_margin_cents(&self, months_on_destination: u32) -> Cents {
        let partner_fee = if months_on_destination < 12 {
            self.partner_fee_first_year_cents
        } else {
            self.partner_fee_recurring_cents
        };
        self.msp_fees_cents + partner_fee - self.msp_cost_cents
    }

    /// The MSP's margin on the migration itself (billed hours less their cost).
    #[must_use]
    pub const fn migration_margin_cents(&self) -> Cents {
        self.one_time_cents - self.migration_cost_cents
    }
}

/// Whether the destination can host the workload: the price book's categories and the
/// workload's constraints both allow it.
#[must_use]
pub fn is_allowed(book: &PriceBook, workload: &Workload, destination: Destination) -> bool {
    book.destinations
        .get(destination)
        .hosts
        .contains(&workload.category)
        && workload.constraints.allow(destination)
}

/// The destinations that may be offered for a workload, in the order of [`Destination::ALL`].
#[must_use]
pub fn allowed_destinations(book: &PriceBook, workload: &Workload) -> Vec<Destination> {
    Destination::ALL
        .into_iter()
        .filter(|d| is_allowed(book, workload, *d))
        .collect()
}

fn quantity(basis: Basis, workload: &Workload, book: &PriceBook) -> Decimal {
    match basis {
        Basis::Flat => Decimal::ONE,
        Basis::PerUser => Decimal::from(workload.users),
        Basis::PerServer => Decimal::from(workload.servers),
        Basis::PerServerHour => Decimal::from(workload.servers) * book.hours_per_month,
        Basis::PerGbStored => workload.storage_gb,
        Basis::PerGbEgress => workload.egress_gb_per_month,
    }
}

fn lines_cents(lines: &[RateLine], workload: &Workload, book: &PriceBook) -> Cents {
    lines
        .iter()
        .filter(|line| line.applies_to(workload.category))
        .map(|line| {
            round_cents(
                line.unit_price * quantity(line.basis, workload, book) * Decimal::ONE_HUNDRED,
            )
        })
        .sum()
}

fn hours_cents(rate_per_hour: Decimal, hours: Decimal) -> Cents {
    round_cents(rate_per_hour * hours * Decimal::ONE_HUNDRED)
}

fn pct_of(pct: Decimal, cents: Cents) -> Cents {
    round_cents(pct * Decimal::from(cents) / Decimal::ONE_HUNDRED)
}

/// Prices one workload on one destination, whether or not the destination is allowed.
#[must_use]
pub fn price(book: &PriceBook, workload: &Workload, destination: Destination) -> Pricing {
    let terms = book.destinations.get(destination);
    let recurring_cents = lines_cents(&terms.recurring, workload, book);
    let msp_fees_cents = lines_cents(&terms.msp_fees, workload, book);
    let is_current = destination == workload.current;
    let monthly_cents = match workload.current_monthly_override_cents {
        Some(real) if is_current => real,
        _ => recurring_cents + msp_fees_cents,
    };
    let users = Decimal::from(workload.users);
    let servers = Decimal::from(workload.servers);
    let migration = &terms.migration_hours;
    let migration_hours = migration.per_workload
        + migration.per_user * users
        + migration.per_server * servers
        + migration.per_100_gb * workload.storage_gb / Decimal::ONE_HUNDRED;
    let (one_time_cents, migration_cost_cents) = if is_current {
        (0, 0)
    } else {
        (
            hours_cents(book.msp_rate_per_hour, migration_hours),
            hours_cents(book.msp_cost_per_hour, migration_hours),
        )
    };
    let labor = &terms.msp_labor_hours;
    let labor_hours =
        labor.per_workload_month + labor.per_server_month * servers + labor.per_user_month * users;
    let msp_cost_cents = hours_cents(book.msp_cost_per_hour, labor_hours)
        + lines_cents(&terms.msp_costs, workload, book);
    Pricing {
        recurring_cents,
        msp_fees_cents,
        monthly_cents,
        one_time_cents,
        msp_cost_cents,
        migration_cost_cents,
        partner_fee_first_year_cents: pct_of(terms.partner_fee_first_year_pct, recurring_cents),
        partner_fee_recurring_cents: pct_of(terms.partner_fee_recurring_pct, recurring_cents),
    }
}

/// The control score (0–100) of each destination: Σ weight·level / Σ weight.
#[must_use]
pub fn control_by_destination(model: &ControlModel) -> PerDestination<Decimal> {
    let total_weight: Decimal = model.dimensions.iter().map(|d| d.weight).sum();
    PerDestination::from_fn(|destination| {
        if total_weight.is_zero() {
            return Decimal::ZERO;
        }
        let weighted: Decimal = model
            .dimensions
            .iter()
            .map(|d| d.weight * *d.levels.get(destination))
            .sum();
        weighted / total_weight
    })
}

/// Σ weight × level per destination, and Σ weight: the numerator and denominator of
/// [`control_by_destination`], exact.
fn control_fraction(model: &ControlModel) -> (PerDestination<Decimal>, Decimal) {
    let total_weight: Decimal = model.dimensions.iter().map(|d| d.weight).sum();
    let weighted = PerDestination::from_fn(|destination| {
        model
            .dimensions
            .iter()
            .map(|d| d.weight * *d.levels.get(destination))
            .sum()
    });
    (weighted, total_weight)
}

/// The totals of one scenario over the plan's horizon (PRODUCT.md section 3).
#[derive(Debug, Clone, PartialEq)]
pub struct ScenarioTotals {
    pub name: String,
    /// Workloads that change destination within the horizon.
    pub moves: usize,
    /// Σ monthly after all moves, without growth.
    pub run_rate_cents: Cents,
    pub one_time_cents: Cents,
    pub tco_cents: Cents,
    pub npv_cents: Cents,
    /// First month from which cumulative cost stays at or below the status quo's.
    pub break_even_month: Option<u32>,
    /// Importance-weighted control, 0–100, exact.
    pub control_score: Decimal,
    /// After all moves and past the first year on each destination.
    pub msp_monthly_margin_cents: Cents,
    pub msp_margin_total_cents: Cents,
    /// cost(t) for t = 0 … horizon-1.
    pub monthly_cost_cents: Vec<Cents>,
    pub cumulative_cost_cents: Vec<Cents>,
    pub msp_margin_by_month_cents: Vec<Cents>,
}

impl ScenarioTotals {
    /// The control score rounded to two decimals, as shown everywhere.
    #[must_use]
    pub fn control_score_2dp(&self) -> f64 {
        super::number::round_control(self.control_score)
            .to_f64()
            .unwrap_or(0.0)
    }
}

/// The figures of one workload that scenario totals and the frontier need.
#[derive(Debug, Clone)]
pub(crate) struct WorkloadFigures {
    pub current: Destination,
    pub importance: u32,
    /// `Some` for the allowed destinations and the current one.
    pub options: [Option<Pricing>; 5],
}

impl WorkloadFigures {
    fn of(book: &PriceBook, w: &Workload) -> Self {
        Self {
            current: w.current,
            importance: w.criticality.importance(),
            options: Destination::ALL
                .map(|d| (d == w.current || is_allowed(book, w, d)).then(|| price(book, w, d))),
        }
    }

    pub fn option(&self, destination: Destination) -> Option<&Pricing> {
        self.options[destination.index()].as_ref()
    }

    fn current_pricing(&self) -> Pricing {
        self.options[self.current.index()].unwrap_or_default()
    }
}

/// A plan priced once: every workload on every allowed destination. Scenario totals and the
/// frontier are computed from it without pricing again.
#[derive(Debug, Clone)]
pub struct Evaluation {
    pub(crate) workloads: Vec<WorkloadFigures>,
    ids: HashMap<String, usize>,
    pub(crate) control: PerDestination<Decimal>,
    /// Σ weight × level of each destination and Σ weight: `control` exactly as a fraction
    /// (the optimizer's control units).
    pub(crate) control_fraction: (PerDestination<Decimal>, Decimal),
    pub(crate) horizon_months: u32,
    /// (1 + growth)^year for each plan year in the horizon.
    pub(crate) growth_factors: Vec<Decimal>,
    /// Σ over the horizon of the growth factor: a monthly cost times this is its TCO.
    tco_months: Decimal,
    discount_rate_pct: f64,
    status_quo_cumulative: Vec<Cents>,
}

impl Evaluation {
    #[must_use]
    pub fn new(plan: &Plan) -> Self {
        let book = &plan.price_book;
        let workloads = plan
            .workloads
            .iter()
            .map(|w| WorkloadFigures::of(book, w))
            .collect();
        let ids = plan
            .workloads
            .iter()
            .enumerate()
            .map(|(i, w)| (w.id.clone(), i))
            .collect();
        let horizon_months = plan.assumptions.horizon_months.max(1);
        let growth = Decimal::ONE + plan.assumptions.growth_pct / Decimal::ONE_HUNDRED;
        let years = horizon_months.div_ceil(12) as usize;
        let mut growth_factors = Vec::with_capacity(years);
        let mut factor = Decimal::ONE;
        for _ in 0..years {
            growth_factors.push(factor);
            factor = factor.checked_mul(growth).unwrap_or(factor);
        }
        let tco_months = (0..horizon_months as usize)
            .map(|t| growth_factors[t / 12])
            .sum();
        let mut evaluation = Self {
            workloads,
            ids,
            control: control_by_destination(&plan.control_model),
            control_fraction: control_fraction(&plan.control_model),
            horizon_months,
            growth_factors,
            tco_months,
            discount_rate_pct: plan.assumptions.discount_rate_pct.to_f64().unwrap_or(0.0),
            status_quo_cumulative: Vec::new(),
        };
        let status_quo = evaluation.scenario(&Scenario::status_quo());
        evaluation.status_quo_cumulative = status_quo.cumulative_cost_cents;
        evaluation
    }

    /// Prices workload `index` again after it alone changed (an edit in the workload
    /// editor), instead of the whole plan. The plan's other parts must be unchanged.
    pub fn update_workload(&mut self, plan: &Plan, index: usize) {
        let (Some(workload), Some(slot)) =
            (plan.workloads.get(index), self.workloads.get_mut(index))
        else {
            return;
        };
        *slot = WorkloadFigures::of(&plan.price_book, workload);
        if self.ids.get(&workload.id).is_none_or(|&i| i != index) {
            self.ids = plan
                .workloads
                .iter()
                .enumerate()
                .map(|(i, w)| (w.id.clone(), i))
                .collect();
        }
        self.status_quo_cumulative = Vec::new();
        let status_quo = self.scenario(&Scenario::status_quo());
        self.status_quo_cumulative = status_quo.cumulative_cost_cents;
    }

    /// The pricing of workload `index` on `destination`, or `None` when it is ruled out.
    #[must_use]
    pub fn option(&self, index: usize, destination: Destination) -> Option<&Pricing> {
        self.workloads
            .get(index)
            .and_then(|w| w.option(destination))
    }

    /// A workload's own cost on a destination under a metric, for the workload view: the
    /// monthly cost for run rate; for TCO the monthly cost over the horizon with growth
    /// (rounded to cents per workload) plus the one-time cost, moving in month 0. (With
    /// growth a plan's TCO is not the sum of these; the optimizer uses the plan's own.)
    #[must_use]
    pub fn cost_under(&self, pricing: &Pricing, metric: crate::model::CostMetric) -> Cents {
        match metric {
            crate::model::CostMetric::RunRate => pricing.monthly_cents,
            crate::model::CostMetric::Tco => {
                let months = if self.tco_months.fract().is_zero() {
                    self.tco_months.to_i64().map(|m| pricing.monthly_cents * m)
                } else {
                    None
                };
                months.unwrap_or_else(|| {
                    round_cents(Decimal::from(pricing.monthly_cents) * self.tco_months)
                }) + pricing.one_time_cents
            }
        }
    }

    /// Whether `destination` may be offered for workload `index` (allowed, or where it is).
    #[must_use]
    pub fn offers(&self, index: usize, destination: Destination) -> bool {
        self.option(index, destination).is_some()
    }

    /// The status quo's TCO (nothing moves), the baseline of every saving and break-even.
    #[must_use]
    pub fn status_quo_tco(&self) -> Cents {
        self.status_quo_cumulative.last().copied().unwrap_or(0)
    }

    /// Where workload `index` runs today.
    #[must_use]
    pub fn current(&self, index: usize) -> Option<Destination> {
        self.workloads.get(index).map(|w| w.current)
    }

    /// How many workloads the plan has.
    #[must_use]
    pub fn workload_count(&self) -> usize {
        self.workloads.len()
    }

    #[must_use]
    pub fn control(&self, destination: Destination) -> Decimal {
        *self.control.get(destination)
    }

    #[must_use]
    pub fn workload_index(&self, id: &str) -> Option<usize> {
        self.ids.get(id).copied()
    }

    /// The destination and move month a scenario gives each workload. Choices that name a
    /// missing workload, a ruled-out destination or a month outside the horizon are left out
    /// (validation reports them).
    fn effective_choices(&self, scenario: &Scenario) -> Vec<Option<Choice>> {
        let mut choices = vec![None; self.workloads.len()];
        for (id, choice) in &scenario.choices {
            let Some(&index) = self.ids.get(id) else {
                continue;
            };
            let figures = &self.workloads[index];
            if choice.destination != figures.current
                && figures.option(choice.destination).is_some()
                && choice.move_month < self.horizon_months
            {
                choices[index] = Some(*choice);
            }
        }
        choices
    }

    /// The destination each workload ends up on in `scenario`.
    #[must_use]
    pub fn final_destinations(&self, scenario: &Scenario) -> Vec<Destination> {
        self.effective_choices(scenario)
            .iter()
            .zip(&self.workloads)
            .map(|(choice, w)| choice.map_or(w.current, |c| c.destination))
            .collect()
    }

    /// The figures of every scenario in the plan, in the plan's order.
    #[must_use]
    pub fn scenarios(&self, plan: &Plan) -> Vec<ScenarioTotals> {
        plan.scenarios.iter().map(|s| self.scenario(s)).collect()
    }

    /// The totals of one scenario.
    #[must_use]
    pub fn scenario(&self, scenario: &Scenario) -> ScenarioTotals {
        self.totals(&scenario.name, &self.effective_choices(scenario))
    }

    /// The totals of moving every workload to `destinations[i]` in month 0 (a frontier
    /// plan), without building a scenario. Destinations not offered are ignored.
    #[must_use]
    pub fn totals_of_destinations(
        &self,
        name: &str,
        destinations: &[Destination],
    ) -> ScenarioTotals {
        let choices: Vec<Option<Choice>> = self
            .workloads
            .iter()
            .zip(destinations)
            .map(|(w, d)| {
                (*d != w.current && w.option(*d).is_some()).then_some(Choice {
                    destination: *d,
                    move_month: 0,
                })
            })
            .collect();
        self.totals(name, &choices)
    }

    fn totals(&self, name: &str, choices: &[Option<Choice>]) -> ScenarioTotals {
        let horizon = self.horizon_months as usize;
        // Changes by month, summed once per month afterwards: O(workloads + horizon).
        let mut recurring_change = vec![0 as Cents; horizon + 1];
        let mut one_time_by_month = vec![0 as Cents; horizon];
        let mut margin_change = vec![0 as Cents; horizon + 1];
        let mut add_margin = |from: usize, to: usize, amount: Cents| {
            if from < to {
                margin_change[from] += amount;
                margin_change[to] -= amount;
            }
        };
        let mut recurring_now: Cents = 0;
        let mut run_rate_cents: Cents = 0;
        let mut one_time_cents: Cents = 0;
        let mut msp_monthly_margin_cents: Cents = 0;
        let mut control_weighted = Decimal::ZERO;
        let mut importance_total: u64 = 0;
        let mut moves = 0;

        for (figures, choice) in self.workloads.iter().zip(choices) {
            let current = figures.current_pricing();
            recurring_now += current.monthly_cents;
            let (destination, on_final) = match choice {
                Some(choice) => {
                    let chosen = figures
                        .option(choice.destination)
                        .copied()
                        .unwrap_or_default();
                    let move_month = choice.move_month as usize;
                    moves += 1;
                    recurring_change[move_month] += chosen.monthly_cents - current.monthly_cents;
                    one_time_by_month[move_month] += chosen.one_time_cents;
                    one_time_cents += chosen.one_time_cents;
                    // On the current destination until the move, k counting from t = 0.
                    let first_year_end = move_month.min(12);
                    add_margin(0, first_year_end, current.msp_margin_cents(0));
                    add_margin(first_year_end, move_month, current.msp_margin_cents(12));
                    // On the new one from the move, k counting from the move month.
                    let switch = (move_month + 12).min(horizon);
                    add_margin(move_month, switch, chosen.msp_margin_cents(0));
                    add_margin(switch, horizon, chosen.msp_margin_cents(12));
                    add_margin(move_month, move_month + 1, chosen.migration_margin_cents());
                    (choice.destination, chosen)
                }
                None => {
                    let switch = horizon.min(12);
                    add_margin(0, switch, current.msp_margin_cents(0));
                    add_margin(switch, horizon, current.msp_margin_cents(12));
                    (figures.current, current)
                }
            };
            run_rate_cents += on_final.monthly_cents;
            msp_monthly_margin_cents += on_final.msp_margin_cents(12);
            control_weighted += Decimal::from(figures.importance) * self.control(destination);
            importance_total += u64::from(figures.importance);
        }

        let monthly_discount = 1.0 + self.discount_rate_pct / 100.0;
        let mut monthly_cost_cents = Vec::with_capacity(horizon);
        let mut cumulative_cost_cents = Vec::with_capacity(horizon);
        let mut msp_margin_by_month_cents = Vec::with_capacity(horizon);
        let (mut tco_cents, mut npv_cents, mut margin_now, mut margin_total) = (0, 0, 0, 0);
        for t in 0..horizon {
            recurring_now += recurring_change[t];
            let factor = self.growth_factors[t / 12];
            let recurring_cost = if factor == Decimal::ONE {
                recurring_now
            } else {
                round_cents(Decimal::from(recurring_now) * factor)
            };
            let cost = recurring_cost + one_time_by_month[t];
            tco_cents += cost;
            #[expect(clippy::cast_precision_loss, reason = "cents well below 2^53")]
            let discounted = cost as f64 / monthly_discount.powf(t as f64 / 12.0);
            #[expect(clippy::cast_possible_truncation, reason = "rounded, in range")]
            let discounted = discounted.round() as Cents;
            npv_cents += discounted;
            monthly_cost_cents.push(cost);
            cumulative_cost_cents.push(tco_cents);
            margin_now += margin_change[t];
            margin_total += margin_now;
            msp_margin_by_month_cents.push(margin_now);
        }

        let break_even_month = if moves == 0 {
            None
        } else {
            break_even(&cumulative_cost_cents, &self.status_quo_cumulative)
        };
        let control_score = if importance_total == 0 {
            Decimal::ZERO
        } else {
            control_weighted / Decimal::from(importance_total)
        };
        ScenarioTotals {
            name: name.to_owned(),
            moves,
            run_rate_cents,
            one_time_cents,
            tco_cents,
            npv_cents,
            break_even_month,
            control_score,
            msp_monthly_margin_cents,
            msp_margin_total_cents: margin_total,
            monthly_cost_cents,
            cumulative_cost_cents,
            msp_margin_by_month_cents,
        }
    }

    /// A scenario that moves each workload to `destinations[i]` in month 0 (workloads already
    /// there stay out of its choices).
    #[must_use]
    pub fn scenario_from_destinations(
        &self,
        plan: &Plan,
        name: &str,
        destinations: &[Destination],
    ) -> Scenario {
        let choices = plan
            .workloads
            .iter()
            .zip(destinations)
            .filter(|(w, d)| w.current != **d)
            .map(|(w, d)| {
                (
                    w.id.clone(),
                    Choice {
                        destination: *d,
                        move_month: 0,
                    },
                )
            })
            .collect();
        Scenario {
            name: name.to_owned(),
            notes: String::new(),
            choices,
        }
    }
}

/// The first month from which `scenario` stays at or below `status_quo` to the horizon's end.
fn break_even(scenario: &[Cents], status_quo: &[Cents]) -> Option<u32> {
    let mut first = None;
    for t in (0..scenario.len()).rev() {
        if scenario[t] > status_quo.get(t).copied().unwrap_or(Cents::MAX) {
            break;
        }
        first = Some(t);
    }
    first.and_then(|t| u32::try_from(t).ok())
}

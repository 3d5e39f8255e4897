//! Prices and control scores per workload and destination, and scenario totals
//! (PRODUCT.md section 3). Every priced line is rounded to whole cents as soon as it is
//! computed; totals are sums of rounded lines.

use std::collections::HashMap;

use rust_decimal::{Decimal, prelude::ToPrimitive};

use super::bounds;
use super::destination::{Destination, PerDestination};
use super::number::{Cents, format_cents, round_cents, try_round_cents};
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
        // Within the workload bounds this is exact; saturating so that it can never panic.
        self.msp_fees_cents
            .saturating_add(partner_fee)
            .saturating_sub(self.msp_cost_cents)
    }

    /// The MSP's margin on the migration itself (billed hours less their cost).
    #[must_use]
    pub const fn migration_margin_cents(&self) -> Cents {
        self.one_time_cents
            .saturating_sub(self.migration_cost_cents)
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

/// A rate line's quantity for a workload, or `None` when it does not fit a decimal.
fn quantity(basis: Basis, workload: &Workload, book: &PriceBook) -> Option<Decimal> {
    Some(match basis {
        Basis::Flat => Decimal::ONE,
        Basis::PerUser => Decimal::from(workload.users),
        Basis::PerServer => Decimal::from(workload.servers),
        Basis::PerServerHour => {
            Decimal::from(workload.servers).checked_mul(book.hours_per_month)?
        }
        Basis::PerGbStored => workload.storage_gb,
        Basis::PerGbEgress => workload.egress_gb_per_month,
    })
}

/// Σ of the rounded lines that apply to the workload, or `None` on overflow.
fn lines_cents(lines: &[RateLine], workload: &Workload, book: &PriceBook) -> Option<Cents> {
    lines
        .iter()
        .filter(|line| line.applies_to(workload.category))
        .try_fold(0 as Cents, |total, line| {
            let amount = line
                .unit_price
                .checked_mul(quantity(line.basis, workload, book)?)?
                .checked_mul(Decimal::ONE_HUNDRED)?;
            total.checked_add(try_round_cents(amount)?)
        })
}

fn hours_cents(rate_per_hour: Decimal, hours: Decimal) -> Option<Cents> {
    try_round_cents(
        rate_per_hour
            .checked_mul(hours)?
            .checked_mul(Decimal::ONE_HUNDRED)?,
    )
}

fn pct_of(pct: Decimal, cents: Cents) -> Option<Cents> {
    try_round_cents(
        pct.checked_mul(Decimal::from(cents))?
            .checked_div(Decimal::ONE_HUNDRED)?,
    )
}

/// The MSP's hours to move one workload to `destination` (per workload, per user, per
/// server and per 100 GB stored), as the one-time cost bills them. Not zero on the current
/// destination: [`price`] leaves the move out there. Within the plan's bounds it cannot
/// overflow; past them it saturates rather than panic.
#[must_use]
pub fn migration_hours(book: &PriceBook, workload: &Workload, destination: Destination) -> Decimal {
    checked_migration_hours(book, workload, destination).unwrap_or(Decimal::MAX)
}

fn checked_migration_hours(
    book: &PriceBook,
    workload: &Workload,
    destination: Destination,
) -> Option<Decimal> {
    let migration = &book.destinations.get(destination).migration_hours;
    let hundreds_of_gb = workload.storage_gb.checked_div(Decimal::ONE_HUNDRED)?;
    weighted_sum(
        migration.per_workload,
        &[
            (migration.per_user, Decimal::from(workload.users)),
            (migration.per_server, Decimal::from(workload.servers)),
            (migration.per_100_gb, hundreds_of_gb),
        ],
    )
}

/// `a + b·x + c·y + …` over decimals, or `None` on overflow.
fn weighted_sum(constant: Decimal, terms: &[(Decimal, Decimal)]) -> Option<Decimal> {
    terms.iter().try_fold(constant, |total, (rate, amount)| {
        total.checked_add(rate.checked_mul(*amount)?)
    })
}

/// The pricing with checked arithmetic, without the workload bounds; `None` on overflow.
fn compute_price(
    book: &PriceBook,
    workload: &Workload,
    destination: Destination,
) -> Option<Pricing> {
    let terms = book.destinations.get(destination);
    let recurring_cents = lines_cents(&terms.recurring, workload, book)?;
    let msp_fees_cents = lines_cents(&terms.msp_fees, workload, book)?;
    let is_current = destination == workload.current;
    let monthly_cents = match workload.current_monthly_override_cents {
        Some(real) if is_current => real,
        _ => recurring_cents.checked_add(msp_fees_cents)?,
    };
    let users = Decimal::from(workload.users);
    let servers = Decimal::from(workload.servers);
    let migration_hours = checked_migration_hours(book, workload, destination)?;
    let (one_time_cents, migration_cost_cents) = if is_current {
        (0, 0)
    } else {
        (
            hours_cents(book.msp_rate_per_hour, migration_hours)?,
            hours_cents(book.msp_cost_per_hour, migration_hours)?,
        )
    };
    let labor = &terms.msp_labor_hours;
    let labor_hours = weighted_sum(
        labor.per_workload_month,
        &[
            (labor.per_server_month, servers),
            (labor.per_user_month, users),
        ],
    )?;
    let msp_cost_cents = hours_cents(book.msp_cost_per_hour, labor_hours)?
        .checked_add(lines_cents(&terms.msp_costs, workload, book)?)?;
    Some(Pricing {
        recurring_cents,
        msp_fees_cents,
        monthly_cents,
        one_time_cents,
        msp_cost_cents,
        migration_cost_cents,
        partner_fee_first_year_cents: pct_of(terms.partner_fee_first_year_pct, recurring_cents)?,
        partner_fee_recurring_cents: pct_of(terms.partner_fee_recurring_pct, recurring_cents)?,
    })
}

/// Prices one workload on one destination, whether or not the destination is allowed.
/// Never panics: a pricing too large to compute (only possible outside the bounds of
/// [`crate::model::bounds`], which validation reports) is all zeros.
#[must_use]
pub fn price(book: &PriceBook, workload: &Workload, destination: Destination) -> Pricing {
    compute_price(book, workload, destination).unwrap_or_default()
}

/// Prices one workload on one destination and checks the figures against the workload
/// bounds ([`bounds::MAX_WORKLOAD_MONTHLY_CENTS`], [`bounds::MAX_WORKLOAD_ONE_TIME_CENTS`]),
/// which keep every plan total within range.
///
/// # Errors
/// [`EngineError::Workload`] with `index` and the first figure out of bounds.
pub fn try_price(
    book: &PriceBook,
    workload: &Workload,
    destination: Destination,
    index: usize,
) -> Result<Pricing, EngineError> {
    let error = |figure, found| EngineError::Workload {
        index,
        destination,
        figure,
        found,
    };
    let Some(pricing) = compute_price(book, workload, destination) else {
        return Err(error(WorkloadFigure::Monthly, None));
    };
    let monthly = [
        (pricing.monthly_cents, WorkloadFigure::Monthly),
        (pricing.recurring_cents, WorkloadFigure::Recurring),
        (pricing.msp_fees_cents, WorkloadFigure::MspFees),
        (pricing.msp_cost_cents, WorkloadFigure::MspCost),
    ];
    let one_time = [
        (pricing.one_time_cents, WorkloadFigure::OneTime),
        (pricing.migration_cost_cents, WorkloadFigure::MigrationCost),
    ];
    // Partner fees are at most 100 % of recurring, so bounded with it; checked all the same.
    let fees = [
        (
            pricing.partner_fee_first_year_cents,
            WorkloadFigure::PartnerFee,
        ),
        (
            pricing.partner_fee_recurring_cents,
            WorkloadFigure::PartnerFee,
        ),
    ];
    for (cents, figure) in monthly.into_iter().chain(fees) {
        if !(0..=bounds::MAX_WORKLOAD_MONTHLY_CENTS).contains(&cents) {
            return Err(error(figure, Some(cents)));
        }
    }
    for (cents, figure) in one_time {
        if !(0..=bounds::MAX_WORKLOAD_ONE_TIME_CENTS).contains(&cents) {
            return Err(error(figure, Some(cents)));
        }
    }
    Ok(pricing)
}

/// The control score (0–100) of each destination: Σ weight·level / Σ weight. Zero for every
/// destination when the weights add up to 0 or the sums do not fit a decimal.
#[must_use]
pub fn control_by_destination(model: &ControlModel) -> PerDestination<Decimal> {
    try_control_by_destination(model).unwrap_or_default()
}

/// Like [`control_by_destination`], or `None` when the sums do not fit a decimal (weights
/// and levels far outside their bounds).
fn try_control_by_destination(model: &ControlModel) -> Option<PerDestination<Decimal>> {
    control_of_fraction(&try_control_fraction(model)?)
}

/// Σ weight × level per destination, and Σ weight: the numerator and denominator of
/// [`control_by_destination`], exact (the optimizer counts control in units of them); `None`
/// when the sums do not fit a decimal.
fn try_control_fraction(model: &ControlModel) -> Option<(PerDestination<Decimal>, Decimal)> {
    let total_weight = model
        .dimensions
        .iter()
        .try_fold(Decimal::ZERO, |total, d| total.checked_add(d.weight))?;
    let mut weighted = PerDestination::<Decimal>::default();
    for destination in Destination::ALL {
        *weighted.get_mut(destination) = model
            .dimensions
            .iter()
            .try_fold(Decimal::ZERO, |total, d| {
                total.checked_add(d.weight.checked_mul(*d.levels.get(destination))?)
            })?;
    }
    Some((weighted, total_weight))
}

/// The control score of each destination from its fraction; zero everywhere when the
/// weights add up to 0.
fn control_of_fraction(
    (weighted, total_weight): &(PerDestination<Decimal>, Decimal),
) -> Option<PerDestination<Decimal>> {
    let mut control = PerDestination::<Decimal>::default();
    if total_weight.is_zero() {
        return Some(control);
    }
    for destination in Destination::ALL {
        *control.get_mut(destination) = weighted.get(destination).checked_div(*total_weight)?;
    }
    Some(control)
}

/// A figure of one workload on one destination, as named in an [`EngineError`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WorkloadFigure {
    Monthly,
    Recurring,
    MspFees,
    MspCost,
    PartnerFee,
    OneTime,
    MigrationCost,
}

impl WorkloadFigure {
    /// How a person names it.
    #[must_use]
    pub const fn label(self) -> &'static str {
        match self {
            Self::Monthly => "monthly cost",
            Self::Recurring => "recurring cost",
            Self::MspFees => "MSP fees",
            Self::MspCost => "cost to the MSP",
            Self::PartnerFee => "partner fee",
            Self::OneTime => "one-time cost of moving",
            Self::MigrationCost => "cost to the MSP of moving it",
        }
    }

    /// The most the figure may be, in cents.
    #[must_use]
    pub const fn max_cents(self) -> Cents {
        match self {
            Self::OneTime | Self::MigrationCost => bounds::MAX_WORKLOAD_ONE_TIME_CENTS,
            _ => bounds::MAX_WORKLOAD_MONTHLY_CENTS,
        }
    }

    const fn per(self) -> &'static str {
        match self {
            Self::OneTime | Self::MigrationCost => "",
            _ => " a month",
        }
    }
}

/// Why a plan's figures cannot be computed. Validation reports each of these as an issue,
/// so a plan that `check` accepts never gives one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EngineError {
    /// A workload's figure on a destination it may use is outside what one workload may
    /// hold (`found` is `None` when it is too large even to compute).
    Workload {
        index: usize,
        destination: Destination,
        figure: WorkloadFigure,
        found: Option<Cents>,
    },
    /// The horizon is outside 1 to 120 months.
    Horizon { months: u32 },
    /// Growth or discount rate outside 0 to 100 %.
    Percent { field: &'static str, found: Decimal },
    /// More workloads than a plan may hold.
    TooManyWorkloads { count: usize },
    /// The control model's sums do not fit (weights or levels far outside their bounds).
    ControlModel,
    /// A scenario's totals do not fit (not possible within the bounds).
    Totals { scenario: String },
}

impl std::fmt::Display for EngineError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Workload {
                destination,
                figure,
                found,
                ..
            } => {
                let limit = format!(
                    "{} must be from 0 to {}{}",
                    figure.label(),
                    format_cents(figure.max_cents()),
                    figure.per()
                );
                match found {
                    Some(cents) => write!(
                        f,
                        "its {} on {destination} would be {}; a workload's {limit}",
                        figure.label(),
                        format_cents(*cents)
                    ),
                    None => write!(
                        f,
                        "its figures on {destination} are too large to compute; a workload's {limit}"
                    ),
                }?;
                f.write_str(
                    " (check its users, servers, storage and egress, and the price book's rates)",
                )
            }
            Self::Horizon { months } => write!(
                f,
                "the horizon of {months} months {}",
                bounds::horizon_months(*months).err().unwrap_or_default()
            ),
            Self::Percent { field, found } => write!(
                f,
                "{field} of {found} {}",
                bounds::percent(*found).err().unwrap_or_default()
            ),
            Self::TooManyWorkloads { count } => write!(
                f,
                "the plan has {count} workloads; it {}",
                bounds::workload_count(*count).err().unwrap_or_default()
            ),
            Self::ControlModel => f.write_str(
                "the control model's weights and levels are too large to compute a control score",
            ),
            Self::Totals { scenario } => write!(
                f,
                "the totals of scenario \"{scenario}\" are too large to compute"
            ),
        }
    }
}

impl std::error::Error for EngineError {}

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

    /// Zero totals over `horizon` months: what [`Evaluation::scenario`] shows for a scenario
    /// whose totals cannot be computed.
    fn zero(name: &str, horizon: usize) -> Self {
        Self {
            name: name.to_owned(),
            moves: 0,
            run_rate_cents: 0,
            one_time_cents: 0,
            tco_cents: 0,
            npv_cents: 0,
            break_even_month: None,
            control_score: Decimal::ZERO,
            msp_monthly_margin_cents: 0,
            msp_margin_total_cents: 0,
            monthly_cost_cents: vec![0; horizon],
            cumulative_cost_cents: vec![0; horizon],
            msp_margin_by_month_cents: vec![0; horizon],
        }
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
    /// Prices the workload on its current and allowed destinations. On an error, the
    /// figures are all zero (so the evaluation stays usable) and the error is returned too.
    fn of(book: &PriceBook, w: &Workload, index: usize) -> (Self, Option<EngineError>) {
        let offered = Destination::ALL.map(|d| d == w.current || is_allowed(book, w, d));
        let mut options = [None; 5];
        let mut error = None;
        for destination in Destination::ALL {
            if !offered[destination.index()] {
                continue;
            }
            match try_price(book, w, destination, index) {
                Ok(pricing) => options[destination.index()] = Some(pricing),
                Err(e) => {
                    error.get_or_insert(e);
                }
            }
        }
        if error.is_some() {
            options = offered.map(|on| on.then(Pricing::default));
        }
        let figures = Self {
            current: w.current,
            importance: w.criticality.importance(),
            options,
        };
        (figures, error)
    }

    pub fn option(&self, destination: Destination) -> Option<&Pricing> {
        self.options[destination.index()].as_ref()
    }

    fn current_pricing(&self) -> Pricing {
        self.options[self.current.index()].unwrap_or_default()
    }
}

/// Sums over every workload where it is today: the status quo, from which each scenario's
/// totals start, so that a scenario costs time in its own moves and not in the plan's size.
#[derive(Debug, Clone, Default)]
struct Baseline {
    /// Σ monthly cost today (the status quo's run rate, and every month's cost before growth).
    monthly_cents: Cents,
    /// Σ MSP margin in the first year on the current destination, and after it.
    margin_first_year_cents: Cents,
    margin_later_cents: Cents,
    /// Σ importance of the workloads on each destination today.
    importance: [u64; 5],
}

impl Baseline {
    fn of(workloads: &[WorkloadFigures]) -> Option<Self> {
        let mut baseline = Self::default();
        for figures in workloads {
            let current = figures.current_pricing();
            baseline.monthly_cents = baseline.monthly_cents.checked_add(current.monthly_cents)?;
            baseline.margin_first_year_cents = baseline
                .margin_first_year_cents
                .checked_add(current.msp_margin_cents(0))?;
            baseline.margin_later_cents = baseline
                .margin_later_cents
                .checked_add(current.msp_margin_cents(12))?;
            baseline.importance[figures.current.index()] += u64::from(figures.importance);
        }
        Some(baseline)
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
    baseline: Baseline,
}

/// A percentage within 0–100 %, or the error naming it (and the value clamped into range).
fn percent_in_bounds(
    field: &'static str,
    value: Decimal,
    errors: &mut Vec<EngineError>,
) -> Decimal {
    if bounds::percent(value).is_err() {
        errors.push(EngineError::Percent {
            field,
            found: value,
        });
    }
    value.clamp(Decimal::ZERO, Decimal::ONE_HUNDRED)
}

impl Evaluation {
    /// The evaluation of a plan, never panicking: figures that cannot be computed are zero.
    ///
    /// The app still calls this; it moves to [`Self::try_new`], which says why a plan cannot
    /// be evaluated, and this function is then removed.
    #[must_use]
    pub fn new(plan: &Plan) -> Self {
        Self::build(plan).0
    }

    /// The evaluation of a plan, or the first reason its figures cannot be computed.
    ///
    /// # Errors
    /// [`EngineError`] for a plan outside the bounds of [`crate::model::bounds`] (validation
    /// reports the same problems); never for a plan that validation accepts.
    pub fn try_new(plan: &Plan) -> Result<Self, EngineError> {
        let (evaluation, mut errors) = Self::build(plan);
        if errors.is_empty() {
            Ok(evaluation)
        } else {
            Err(errors.swap_remove(0))
        }
    }

    /// The evaluation (usable in every case, with zero figures where they cannot be
    /// computed) and every reason figures could not be computed, in plan order.
    pub(crate) fn build(plan: &Plan) -> (Self, Vec<EngineError>) {
        let mut errors = Vec::new();
        let book = &plan.price_book;
        if bounds::workload_count(plan.workloads.len()).is_err() {
            errors.push(EngineError::TooManyWorkloads {
                count: plan.workloads.len(),
            });
        }
        let mut workloads = Vec::with_capacity(plan.workloads.len());
        for (index, w) in plan.workloads.iter().enumerate() {
            let (figures, error) = WorkloadFigures::of(book, w, index);
            workloads.push(figures);
            errors.extend(error);
        }
        let ids = Self::ids_of(plan);
        let assumptions = &plan.assumptions;
        if bounds::horizon_months(assumptions.horizon_months).is_err() {
            errors.push(EngineError::Horizon {
                months: assumptions.horizon_months,
            });
        }
        // Clamped so that every vector stays small, whatever the plan says.
        let horizon_months = assumptions
            .horizon_months
            .clamp(1, bounds::MAX_HORIZON_MONTHS);
        let growth_pct = percent_in_bounds("growth", assumptions.growth_pct, &mut errors);
        let discount_pct =
            percent_in_bounds("discount rate", assumptions.discount_rate_pct, &mut errors);
        // At most (1 + 100 %)^9 = 512 within the bounds: exact.
        let growth = Decimal::ONE + growth_pct / Decimal::ONE_HUNDRED;
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
        let fraction = try_control_fraction(&plan.control_model);
        let control = fraction
            .as_ref()
            .and_then(control_of_fraction)
            .unwrap_or_else(|| {
                errors.push(EngineError::ControlModel);
                PerDestination::default()
            });
        let mut evaluation = Self {
            workloads,
            ids,
            control,
            control_fraction: fraction.unwrap_or_default(),
            horizon_months,
            growth_factors,
            tco_months,
            discount_rate_pct: discount_pct.to_f64().unwrap_or(0.0),
            status_quo_cumulative: Vec::new(),
            baseline: Baseline::default(),
        };
        if let Err(error) = evaluation.refresh_status_quo() {
            errors.push(error);
        }
        (evaluation, errors)
    }

    fn ids_of(plan: &Plan) -> HashMap<String, usize> {
        let mut ids = HashMap::with_capacity(plan.workloads.len());
        for (i, w) in plan.workloads.iter().enumerate() {
            // The first of a repeated id, like validation's reading of scenarios.
            ids.entry(w.id.clone()).or_insert(i);
        }
        ids
    }

    /// Recomputes the status quo's cumulative cost, the baseline of break-even.
    fn refresh_status_quo(&mut self) -> Result<(), EngineError> {
        let horizon = self.horizon_months as usize;
        self.status_quo_cumulative = vec![0; horizon];
        let Some(baseline) = Baseline::of(&self.workloads) else {
            self.baseline = Baseline::default();
            return Err(EngineError::Totals {
                scenario: Scenario::STATUS_QUO.to_owned(),
            });
        };
        self.baseline = baseline;
        // The status quo is compared with nothing: its own break-even is always "none".
        let totals = self.try_scenario(&Scenario::status_quo())?;
        self.status_quo_cumulative = totals.cumulative_cost_cents;
        Ok(())
    }

    /// Prices workload `index` again after it alone changed (an edit in the workload
    /// editor), instead of the whole plan. The plan's other parts must be unchanged. Never
    /// panics: figures that cannot be computed are zero (see [`Self::try_update_workload`]).
    pub fn update_workload(&mut self, plan: &Plan, index: usize) {
        let _ = self.try_update_workload(plan, index);
    }

    /// Like [`Self::update_workload`], saying why the workload's figures cannot be
    /// computed. The evaluation stays usable either way (the workload then counts as zero).
    ///
    /// # Errors
    /// [`EngineError::Workload`] for a workload outside the bounds.
    pub fn try_update_workload(&mut self, plan: &Plan, index: usize) -> Result<(), EngineError> {
        let (Some(workload), Some(slot)) =
            (plan.workloads.get(index), self.workloads.get_mut(index))
        else {
            return Ok(());
        };
        let (figures, error) = WorkloadFigures::of(&plan.price_book, workload, index);
        *slot = figures;
        if self.ids.get(&workload.id).is_none_or(|&i| i != index) {
            self.ids = Self::ids_of(plan);
        }
        let status_quo = self.refresh_status_quo();
        match error {
            Some(error) => Err(error),
            None => status_quo,
        }
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
                // At most 12,276 × 10⁹ + 10¹¹ cents within the bounds; saturating beyond.
                let months = if self.tco_months.fract().is_zero() {
                    self.tco_months
                        .to_i64()
                        .map(|m| pricing.monthly_cents.saturating_mul(m))
                } else {
                    None
                };
                months
                    .unwrap_or_else(|| {
                        Decimal::from(pricing.monthly_cents)
                            .checked_mul(self.tco_months)
                            .map_or(Cents::MAX, round_cents)
                    })
                    .saturating_add(pricing.one_time_cents)
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

    /// The months the plan's totals cover (1–120).
    #[must_use]
    pub fn horizon_months(&self) -> u32 {
        self.horizon_months
    }

    #[must_use]
    pub fn control(&self, destination: Destination) -> Decimal {
        *self.control.get(destination)
    }

    #[must_use]
    pub fn workload_index(&self, id: &str) -> Option<usize> {
        self.ids.get(id).copied()
    }

    /// Whether `choice` of workload `index` is a move the totals count: to another
    /// destination the workload may use, within the horizon.
    fn counts(&self, index: usize, choice: Choice) -> bool {
        let figures = &self.workloads[index];
        choice.destination != figures.current
            && figures.option(choice.destination).is_some()
            && choice.move_month < self.horizon_months
    }

    /// The destination and move month a scenario gives each workload. Choices that name a
    /// missing workload or a ruled-out destination (validation reports them), and moves at
    /// or after the end of the horizon (the workload stays put within it), are left out.
    fn effective_choices(&self, scenario: &Scenario) -> Vec<Option<Choice>> {
        let mut choices = vec![None; self.workloads.len()];
        for (id, choice) in &scenario.choices {
            let Some(&index) = self.ids.get(id) else {
                continue;
            };
            if self.counts(index, *choice) {
                choices[index] = Some(*choice);
            }
        }
        choices
    }

    /// The moves of `scenario` at or after the end of the horizon, to a destination the
    /// workload may use, as (workload index, choice), by workload index.
    #[must_use]
    pub fn moves_outside_horizon(&self, scenario: &Scenario) -> Vec<(usize, Choice)> {
        let mut outside: Vec<(usize, Choice)> = scenario
            .choices
            .iter()
            .filter_map(|(id, choice)| {
                let index = *self.ids.get(id)?;
                let figures = &self.workloads[index];
                (choice.destination != figures.current
                    && figures.option(choice.destination).is_some()
                    && choice.move_month >= self.horizon_months)
                    .then_some((index, *choice))
            })
            .collect();
        outside.sort_by_key(|(index, _)| *index);
        outside
    }

    /// The destination each workload is on at the end of the horizon in `scenario`.
    #[must_use]
    pub fn final_destinations(&self, scenario: &Scenario) -> Vec<Destination> {
        self.effective_choices(scenario)
            .iter()
            .zip(&self.workloads)
            .map(|(choice, w)| choice.map_or(w.current, |c| c.destination))
            .collect()
    }

    /// The figures of every scenario in the plan, in the plan's order (zero totals for one
    /// that cannot be computed; see [`Self::try_scenarios`]).
    #[must_use]
    pub fn scenarios(&self, plan: &Plan) -> Vec<ScenarioTotals> {
        plan.scenarios.iter().map(|s| self.scenario(s)).collect()
    }

    /// The figures of every scenario in the plan, in the plan's order.
    ///
    /// # Errors
    /// [`EngineError::Totals`] for the first scenario whose totals do not fit (never for a
    /// plan that validation accepts).
    pub fn try_scenarios(&self, plan: &Plan) -> Result<Vec<ScenarioTotals>, EngineError> {
        plan.scenarios
            .iter()
            .map(|s| self.try_scenario(s))
            .collect()
    }

    /// The totals of one scenario (zero totals when they cannot be computed; see
    /// [`Self::try_scenario`]).
    #[must_use]
    pub fn scenario(&self, scenario: &Scenario) -> ScenarioTotals {
        self.try_scenario(scenario)
            .unwrap_or_else(|_| ScenarioTotals::zero(&scenario.name, self.horizon_months as usize))
    }

    /// The totals of one scenario.
    ///
    /// # Errors
    /// [`EngineError::Totals`] when they do not fit (never for a plan that validation
    /// accepts).
    pub fn try_scenario(&self, scenario: &Scenario) -> Result<ScenarioTotals, EngineError> {
        let moves = scenario.choices.iter().filter_map(|(id, choice)| {
            let index = *self.ids.get(id)?;
            self.counts(index, *choice).then_some((index, *choice))
        });
        self.totals(&scenario.name, moves)
            .ok_or_else(|| EngineError::Totals {
                scenario: scenario.name.clone(),
            })
    }

    /// The totals of moving every workload to `destinations[i]` in month 0 (a frontier
    /// plan), without building a scenario. Destinations not offered are ignored.
    #[must_use]
    pub fn totals_of_destinations(
        &self,
        name: &str,
        destinations: &[Destination],
    ) -> ScenarioTotals {
        self.try_totals_of_destinations(name, destinations)
            .unwrap_or_else(|_| ScenarioTotals::zero(name, self.horizon_months as usize))
    }

    /// Like [`Self::totals_of_destinations`], saying when the totals do not fit.
    ///
    /// # Errors
    /// [`EngineError::Totals`] (never for a plan that validation accepts).
    pub fn try_totals_of_destinations(
        &self,
        name: &str,
        destinations: &[Destination],
    ) -> Result<ScenarioTotals, EngineError> {
        let moves = self
            .workloads
            .iter()
            .zip(destinations)
            .enumerate()
            .filter(|(_, (w, d))| **d != w.current && w.option(**d).is_some())
            .map(|(index, (_, d))| {
                (
                    index,
                    Choice {
                        destination: *d,
                        move_month: 0,
                    },
                )
            });
        self.totals(name, moves).ok_or_else(|| EngineError::Totals {
            scenario: name.to_owned(),
        })
    }

    /// Scenario totals with checked arithmetic; `None` when a sum does not fit. Starts from
    /// the status quo's sums and applies each move (workload index and its choice, each
    /// workload at most once): O(moves + horizon).
    #[expect(
        clippy::too_many_lines,
        reason = "one pass over the moves, then one over the months, as PRODUCT.md lists the totals"
    )]
    fn totals(
        &self,
        name: &str,
        moves: impl Iterator<Item = (usize, Choice)>,
    ) -> Option<ScenarioTotals> {
        fn add(total: &mut Cents, amount: Cents) -> Option<()> {
            *total = total.checked_add(amount)?;
            Some(())
        }
        let horizon = self.horizon_months as usize;
        // Changes by month, summed once per month afterwards.
        let mut recurring_change = vec![0 as Cents; horizon + 1];
        let mut one_time_by_month = vec![0 as Cents; horizon];
        let mut margin_change = vec![0 as Cents; horizon + 1];
        let mut add_margin = |from: usize, to: usize, amount: Cents| -> Option<()> {
            if from < to {
                add(&mut margin_change[from], amount)?;
                add(&mut margin_change[to], amount.checked_neg()?)?;
            }
            Some(())
        };
        let baseline = &self.baseline;
        // Everything where it is: on the current destination, k counting from t = 0.
        let first_year = horizon.min(12);
        add_margin(0, first_year, baseline.margin_first_year_cents)?;
        add_margin(first_year, horizon, baseline.margin_later_cents)?;
        let mut recurring_now = baseline.monthly_cents;
        let mut run_rate_cents = baseline.monthly_cents;
        let mut msp_monthly_margin_cents = baseline.margin_later_cents;
        let mut importance = baseline.importance;
        let mut one_time_cents: Cents = 0;
        let mut move_count = 0;

        for (index, choice) in moves {
            let figures = self.workloads.get(index)?;
            let current = figures.current_pricing();
            let chosen = figures
                .option(choice.destination)
                .copied()
                .unwrap_or_default();
            let move_month = choice.move_month as usize;
            move_count += 1;
            let monthly_change = chosen.monthly_cents.checked_sub(current.monthly_cents)?;
            add(&mut recurring_change[move_month], monthly_change)?;
            add(&mut run_rate_cents, monthly_change)?;
            add(&mut one_time_by_month[move_month], chosen.one_time_cents)?;
            add(&mut one_time_cents, chosen.one_time_cents)?;
            // Take the workload out of the status quo's margin ...
            add_margin(0, first_year, current.msp_margin_cents(0).checked_neg()?)?;
            add_margin(
                first_year,
                horizon,
                current.msp_margin_cents(12).checked_neg()?,
            )?;
            // ... then on the current destination until the move, k counting from t = 0,
            let first_year_end = move_month.min(12);
            add_margin(0, first_year_end, current.msp_margin_cents(0))?;
            add_margin(first_year_end, move_month, current.msp_margin_cents(12))?;
            // and on the new one from the move, k counting from the move month.
            let switch = (move_month + 12).min(horizon);
            add_margin(move_month, switch, chosen.msp_margin_cents(0))?;
            add_margin(switch, horizon, chosen.msp_margin_cents(12))?;
            add_margin(move_month, move_month + 1, chosen.migration_margin_cents())?;
            add(
                &mut msp_monthly_margin_cents,
                chosen
                    .msp_margin_cents(12)
                    .checked_sub(current.msp_margin_cents(12))?,
            )?;
            let weight = u64::from(figures.importance);
            let from = &mut importance[figures.current.index()];
            *from = from.checked_sub(weight)?;
            importance[choice.destination.index()] += weight;
        }
        // Exact integer weights per destination, then one product each.
        let mut control_weighted = Decimal::ZERO;
        for destination in Destination::ALL {
            control_weighted = control_weighted.checked_add(
                Decimal::from(importance[destination.index()])
                    .checked_mul(self.control(destination))?,
            )?;
        }
        let importance_total: u64 = importance.iter().sum();
        let moves = move_count;

        // The discount rate is a year's; month t is discounted by the yearly factor to the power t/12.
        let annual_discount = 1.0 + self.discount_rate_pct / 100.0;
        let mut monthly_cost_cents = Vec::with_capacity(horizon);
        let mut cumulative_cost_cents = Vec::with_capacity(horizon);
        let mut msp_margin_by_month_cents = Vec::with_capacity(horizon);
        let (mut tco_cents, mut npv_cents, mut margin_now, mut margin_total) = (0, 0, 0, 0);
        for t in 0..horizon {
            add(&mut recurring_now, recurring_change[t])?;
            let factor = self.growth_factors[t / 12];
            let recurring_cost = if factor == Decimal::ONE {
                recurring_now
            } else {
                try_round_cents(Decimal::from(recurring_now).checked_mul(factor)?)?
            };
            let cost = recurring_cost.checked_add(one_time_by_month[t])?;
            add(&mut tco_cents, cost)?;
            // Within the bounds a month's cost is below 2⁵³ cents for any real plan; at the
            // extremes the discounted month may be off by a cent, never out of range.
            #[expect(clippy::cast_precision_loss, reason = "see above")]
            let discounted = cost as f64 / annual_discount.powf(t as f64 / 12.0);
            if !discounted.is_finite() {
                return None;
            }
            #[expect(
                clippy::cast_possible_truncation,
                reason = "rounded, and at most the month's cost since the rate is not negative"
            )]
            let discounted = discounted.round() as Cents;
            add(&mut npv_cents, discounted)?;
            monthly_cost_cents.push(cost);
            cumulative_cost_cents.push(tco_cents);
            add(&mut margin_now, margin_change[t])?;
            add(&mut margin_total, margin_now)?;
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
            control_weighted.checked_div(Decimal::from(importance_total))?
        };
        Some(ScenarioTotals {
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
        })
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

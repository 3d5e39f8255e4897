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
use super::terms::{ADMIN_ACCESS_DIMENSION, Offer, TermKind, hybrid_benefit_applies};

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
    /// The part of `monthly_cents` paid upfront, at the start of each commitment period
    /// (0 unless the term is paid upfront).
    pub prepaid_monthly_cents: Cents,
    /// The part of `recurring_cents` the term's commitment binds (its covered lines).
    pub committed_monthly_cents: Cents,
    /// Months of the term's commitment (0: none).
    pub commitment_months: u32,
}

impl Pricing {
    /// The MSP's margin in the k-th month on the destination, leaving out migration.
    #[must_use]
    pub const fn msp_margin_cents(&self, months_on_destination: u32) -> Cents {
        let partner_fee = self.partner_fee_cents(months_on_destination);
        // Within the workload bounds this is exact; saturating so that it can never panic.
        self.msp_fees_cents
            .saturating_add(partner_fee)
            .saturating_sub(self.msp_cost_cents)
    }

    /// The partner fees in the k-th month on the destination.
    #[must_use]
    pub const fn partner_fee_cents(&self, months_on_destination: u32) -> Cents {
        if months_on_destination < 12 {
            self.partner_fee_first_year_cents
        } else {
            self.partner_fee_recurring_cents
        }
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
    lines_cents_where(lines, workload, book, |_| true)
}

/// Σ of the rounded lines that apply to the workload and pass `keep`.
fn lines_cents_where(
    lines: &[RateLine],
    workload: &Workload,
    book: &PriceBook,
    keep: impl Fn(&RateLine) -> bool,
) -> Option<Cents> {
    lines
        .iter()
        .filter(|line| line.applies_to(workload.category) && keep(line))
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

/// A workload's figures on one destination before a purchase term is applied.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct ListPricing {
    /// Σ of the recurring lines at list price.
    recurring_cents: Cents,
    /// The part of it from lines that carry a licence (what Hybrid Benefit removes).
    licence_cents: Cents,
    /// Some line that applies carries a licence (Hybrid Benefit can be chosen).
    carries_licence: bool,
    /// Per term of the destination (in its order), the recurring lines it covers, and the
    /// licence part of those.
    covered_cents: Box<[(Cents, Cents)]>,
    msp_fees_cents: Cents,
    /// The real monthly cost today, on the current destination.
    override_cents: Option<Cents>,
    one_time_cents: Cents,
    msp_cost_cents: Cents,
    migration_cost_cents: Cents,
}

/// The list figures with checked arithmetic; `None` on overflow.
fn compute_list(
    book: &PriceBook,
    workload: &Workload,
    destination: Destination,
) -> Option<ListPricing> {
    let terms = book.destinations.get(destination);
    let recurring_cents = lines_cents(&terms.recurring, workload, book)?;
    let licence_cents = lines_cents_where(&terms.recurring, workload, book, |l| l.licence)?;
    let covered_cents = terms
        .purchase_terms
        .iter()
        .map(|term| {
            if term.lines.is_empty() {
                return Some((recurring_cents, licence_cents));
            }
            let covered =
                lines_cents_where(&terms.recurring, workload, book, |l| term.covers(&l.label))?;
            let licence = lines_cents_where(&terms.recurring, workload, book, |l| {
                l.licence && term.covers(&l.label)
            })?;
            Some((covered, licence))
        })
        .collect::<Option<Box<[_]>>>()?;
    let msp_fees_cents = lines_cents(&terms.msp_fees, workload, book)?;
    let is_current = destination == workload.current;
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
    Some(ListPricing {
        recurring_cents,
        licence_cents,
        carries_licence: terms
            .recurring
            .iter()
            .any(|l| l.licence && l.applies_to(workload.category)),
        covered_cents,
        msp_fees_cents,
        override_cents: workload
            .current_monthly_override_cents
            .filter(|_| is_current),
        one_time_cents,
        msp_cost_cents,
        migration_cost_cents,
    })
}

/// One purchase term of a destination as the engine applies it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct TermRate {
    pub kind: TermKind,
    /// Its position in the destination's list of terms (for `ListPricing::covered_cents`).
    position: usize,
    recurring_pct: Decimal,
    commitment_months: u32,
    paid_upfront: bool,
}

/// One partner fee of a destination: percentages and the terms it is paid on (resolved
/// against the control model's admin access).
#[derive(Debug, Clone, PartialEq, Eq)]
struct FeeRate {
    first_year_pct: Decimal,
    recurring_pct: Decimal,
    /// `None`: every term.
    terms: Option<Vec<TermKind>>,
}

/// How a destination is bought: its terms (the first is the default) and its partner fees.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub(crate) struct Commerce {
    pub terms: Vec<TermRate>,
    fees: Vec<FeeRate>,
}

impl Commerce {
    /// The destination's terms and fees from the book; fee rules that need admin access are
    /// left out when `admin_access` is false.
    fn of(book: &PriceBook, destination: Destination, admin_access: bool) -> Self {
        let entry = book.destinations.get(destination);
        let terms = entry
            .offered_terms()
            .iter()
            .enumerate()
            .map(|(position, t)| TermRate {
                kind: t.kind,
                position,
                recurring_pct: t.recurring_pct,
                commitment_months: t.commitment_months,
                paid_upfront: t.paid_upfront && t.commitment_months > 0,
            })
            .collect();
        let mut fees = vec![FeeRate {
            first_year_pct: entry.partner_fee_first_year_pct,
            recurring_pct: entry.partner_fee_recurring_pct,
            terms: None,
        }];
        fees.extend(
            entry
                .partner_fee_rules
                .iter()
                .filter(|rule| admin_access || !rule.needs_admin_access)
                .map(|rule| FeeRate {
                    first_year_pct: rule.first_year_pct,
                    recurring_pct: rule.recurring_pct,
                    terms: (!rule.terms.is_empty()).then(|| rule.terms.iter().copied().collect()),
                }),
        );
        Self { terms, fees }
    }

    /// The commerce of every destination for a plan: admin access is the control model's
    /// [`ADMIN_ACCESS_DIMENSION`] above 0 on the destination (no such dimension: none).
    pub(crate) fn of_plan(book: &PriceBook, model: &ControlModel) -> PerDestination<Self> {
        PerDestination::from_fn(|d| Self::of(book, d, has_admin_access(model, d)))
    }

    pub(crate) fn term(&self, kind: TermKind) -> Option<&TermRate> {
        self.terms.iter().find(|t| t.kind == kind)
    }

    pub(crate) fn default_term(&self) -> TermKind {
        self.terms.first().map_or(TermKind::PayAsYouGo, |t| t.kind)
    }
}

/// Whether the MSP keeps administrator access on `destination` under the control model.
#[must_use]
pub fn has_admin_access(model: &ControlModel, destination: Destination) -> bool {
    model
        .dimensions
        .iter()
        .find(|d| d.name.trim().eq_ignore_ascii_case(ADMIN_ACCESS_DIMENSION))
        .is_some_and(|d| *d.levels.get(destination) > Decimal::ZERO)
}

impl ListPricing {
    /// The pricing on `term` (with Hybrid Benefit removing the licence lines when asked);
    /// `today` marks the workload's current offer, priced as it is paid today (the override,
    /// monthly). `None` on overflow.
    fn on_term(
        &self,
        commerce: &Commerce,
        term: &TermRate,
        hybrid_benefit: bool,
        today: bool,
    ) -> Option<Pricing> {
        let without = |total: Cents, licence: Cents| {
            if hybrid_benefit {
                total.checked_sub(licence)
            } else {
                Some(total)
            }
        };
        let list = without(self.recurring_cents, self.licence_cents)?;
        // The lines the term covers are charged at its percent; the rest are bought pay as
        // you go. (The implicit list-price term has no entry: it covers everything.)
        let (covered, licence) = self
            .covered_cents
            .get(term.position)
            .copied()
            .unwrap_or((self.recurring_cents, self.licence_cents));
        let covered = without(covered, licence)?;
        let on_term = if term.recurring_pct == Decimal::ONE_HUNDRED {
            covered
        } else {
            pct_of(term.recurring_pct, covered)?
        };
        let pay_as_you_go = list.checked_sub(covered)?;
        let recurring_cents = pay_as_you_go.checked_add(on_term)?;
        let monthly_cents = match self.override_cents {
            Some(real) if today => real,
            _ => recurring_cents.checked_add(self.msp_fees_cents)?,
        };
        // Each fee on each part it is paid on, rounded like a line.
        let (mut first, mut later) = (0 as Cents, 0 as Cents);
        for fee in &commerce.fees {
            let paid_on = |kind: TermKind| fee.terms.as_ref().is_none_or(|t| t.contains(&kind));
            for (part, kind) in [(on_term, term.kind), (pay_as_you_go, TermKind::PayAsYouGo)] {
                if part != 0 && paid_on(kind) {
                    first = first.checked_add(pct_of(fee.first_year_pct, part)?)?;
                    later = later.checked_add(pct_of(fee.recurring_pct, part)?)?;
                }
            }
        }
        let committed = !today && term.commitment_months > 0;
        Some(Pricing {
            recurring_cents,
            msp_fees_cents: self.msp_fees_cents,
            monthly_cents,
            one_time_cents: self.one_time_cents,
            msp_cost_cents: self.msp_cost_cents,
            migration_cost_cents: self.migration_cost_cents,
            partner_fee_first_year_cents: first,
            partner_fee_recurring_cents: later,
            prepaid_monthly_cents: if committed && term.paid_upfront {
                on_term
            } else {
                0
            },
            committed_monthly_cents: if committed { on_term } else { 0 },
            commitment_months: if committed { term.commitment_months } else { 0 },
        })
    }
}

/// The pricing with checked arithmetic, without the workload bounds; `None` on overflow.
fn compute_price(
    book: &PriceBook,
    workload: &Workload,
    destination: Destination,
) -> Option<Pricing> {
    let list = compute_list(book, workload, destination)?;
    let commerce = Commerce::of(book, destination, true);
    let term = *commerce.terms.first()?;
    list.on_term(&commerce, &term, false, destination == workload.current)
}

/// Prices one workload on one destination on its first purchase term (fee rules that need
/// admin access counted as paid), whether or not the destination is allowed. Never panics: a pricing too large to compute (only possible outside the bounds of
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
    check_bounds(&pricing, index, destination)?;
    Ok(pricing)
}

/// Checks a pricing's figures against the workload bounds.
fn check_bounds(
    pricing: &Pricing,
    index: usize,
    destination: Destination,
) -> Result<(), EngineError> {
    let error = |figure, found| EngineError::Workload {
        index,
        destination,
        figure,
        found,
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
    Ok(())
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
    /// Migration plus upfront payments within the horizon.
    pub one_time_cents: Cents,
    /// The upfront payments of commitments within the horizon (part of `one_time_cents`).
    pub upfront_cents: Cents,
    /// What commitments made within the horizon still bind the customer to after it (at
    /// the terms' provider prices; not in the TCO).
    pub commitment_past_horizon_cents: Cents,
    pub tco_cents: Cents,
    pub npv_cents: Cents,
    /// First month from which cumulative cost stays at or below the status quo's.
    pub break_even_month: Option<u32>,
    /// Importance-weighted control, 0–100, exact.
    pub control_score: Decimal,
    /// After all moves and past the first year on each destination.
    pub msp_monthly_margin_cents: Cents,
    pub msp_margin_total_cents: Cents,
    /// Σ partner fees (partner-earned credit, CSP margin, partner-of-record fees) over the
    /// horizon: part of the MSP's margin.
    pub partner_fees_total_cents: Cents,
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
            upfront_cents: 0,
            commitment_past_horizon_cents: 0,
            tco_cents: 0,
            npv_cents: 0,
            break_even_month: None,
            control_score: Decimal::ZERO,
            msp_monthly_margin_cents: 0,
            msp_margin_total_cents: 0,
            partner_fees_total_cents: 0,
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
    /// The workload may use Hybrid Benefit.
    pub licences_with_sa: bool,
    /// `Some` for the allowed destinations and the current one: the pricing on the
    /// destination's first term (on the current destination, as paid today).
    pub options: [Option<Pricing>; 5],
    /// The list figures behind `options`, for pricing the other terms.
    lists: [ListPricing; 5],
}

impl WorkloadFigures {
    /// Prices the workload on its current and allowed destinations, on every term. On an
    /// error, the figures are all zero (so the evaluation stays usable) and the error is
    /// returned too.
    fn of(
        book: &PriceBook,
        commerce: &PerDestination<Commerce>,
        w: &Workload,
        index: usize,
    ) -> (Self, Option<EngineError>) {
        let offered = Destination::ALL.map(|d| d == w.current || is_allowed(book, w, d));
        let mut figures = Self {
            current: w.current,
            importance: w.criticality.importance(),
            licences_with_sa: w.licences_with_sa,
            options: [None; 5],
            lists: Default::default(),
        };
        let mut error = None;
        for destination in Destination::ALL {
            if !offered[destination.index()] {
                continue;
            }
            match figures.price_destination(book, commerce.get(destination), w, destination, index)
            {
                Ok(()) => {}
                Err(e) => {
                    error.get_or_insert(e);
                }
            }
        }
        if error.is_some() {
            figures.options = offered.map(|on| on.then(Pricing::default));
            figures.lists = Default::default();
        }
        (figures, error)
    }

    /// Prices one destination: its list figures, and every offer checked against the bounds.
    fn price_destination(
        &mut self,
        book: &PriceBook,
        commerce: &Commerce,
        w: &Workload,
        destination: Destination,
        index: usize,
    ) -> Result<(), EngineError> {
        let too_large = EngineError::Workload {
            index,
            destination,
            figure: WorkloadFigure::Monthly,
            found: None,
        };
        let list = compute_list(book, w, destination).ok_or_else(|| too_large.clone())?;
        self.lists[destination.index()] = list.clone();
        let first = commerce.terms.first().ok_or_else(|| too_large.clone())?;
        let today = destination == w.current;
        let default = list
            .on_term(commerce, first, false, today)
            .ok_or_else(|| too_large.clone())?;
        check_bounds(&default, index, destination)?;
        self.options[destination.index()] = Some(default);
        for term in &commerce.terms {
            for hybrid_benefit in self.hybrid_benefit_choices(destination) {
                let pricing = list
                    .on_term(commerce, term, *hybrid_benefit, false)
                    .ok_or_else(|| too_large.clone())?;
                check_bounds(&pricing, index, destination)?;
            }
        }
        Ok(())
    }

    /// `[false]`, or `[false, true]` where the workload may use Hybrid Benefit on the
    /// destination and some of its lines carry a licence (as validation checks it).
    fn hybrid_benefit_choices(&self, destination: Destination) -> &'static [bool] {
        if self.licences_with_sa
            && hybrid_benefit_applies(destination)
            && self.lists[destination.index()].carries_licence
        {
            &[false, true]
        } else {
            &[false]
        }
    }

    pub fn option(&self, destination: Destination) -> Option<&Pricing> {
        self.options[destination.index()].as_ref()
    }

    fn current_pricing(&self) -> Pricing {
        self.options[self.current.index()].unwrap_or_default()
    }

    /// The pricing of `offer`, when the workload may use it (`commerce` of its destination).
    fn offer(&self, commerce: &Commerce, offer: Offer) -> Option<Pricing> {
        let default = self.options[offer.destination.index()]?;
        if offer.hybrid_benefit
            && !self
                .hybrid_benefit_choices(offer.destination)
                .contains(&true)
        {
            return None;
        }
        let term = commerce.term(offer.term)?;
        // The first term without Hybrid Benefit is `options` (as paid today on the current
        // destination).
        if !offer.hybrid_benefit && offer.term == commerce.default_term() {
            return Some(default);
        }
        self.lists[offer.destination.index()].on_term(commerce, term, offer.hybrid_benefit, false)
    }

    /// Every offer the workload may use with its pricing: each allowed destination on each of
    /// its terms, with and without Hybrid Benefit where it may apply.
    fn offers<'a>(
        &'a self,
        commerce: &'a PerDestination<Commerce>,
    ) -> impl Iterator<Item = (Offer, Pricing)> + 'a {
        Destination::ALL
            .into_iter()
            .filter(|d| self.options[d.index()].is_some())
            .flat_map(move |destination| {
                let table = commerce.get(destination);
                table.terms.iter().flat_map(move |term| {
                    self.hybrid_benefit_choices(destination).iter().filter_map(
                        move |&hybrid_benefit| {
                            let offer = Offer {
                                destination,
                                term: term.kind,
                                hybrid_benefit,
                            };
                            self.offer(table, offer).map(|p| (offer, p))
                        },
                    )
                })
            })
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
    /// Σ partner fees in the first year on the current destination, and after it.
    fees_first_year_cents: Cents,
    fees_later_cents: Cents,
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
            baseline.fees_first_year_cents = baseline
                .fees_first_year_cents
                .checked_add(current.partner_fee_cents(0))?;
            baseline.fees_later_cents = baseline
                .fees_later_cents
                .checked_add(current.partner_fee_cents(12))?;
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
    /// Each destination's purchase terms and partner fees.
    pub(crate) commerce: PerDestination<Commerce>,
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
        let commerce = Commerce::of_plan(book, &plan.control_model);
        let mut workloads = Vec::with_capacity(plan.workloads.len());
        for (index, w) in plan.workloads.iter().enumerate() {
            let (figures, error) = WorkloadFigures::of(book, &commerce, w, index);
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
            commerce,
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
        let (figures, error) =
            WorkloadFigures::of(&plan.price_book, &self.commerce, workload, index);
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
                // Upfront payments do not grow: they are fixed when the term is bought.
                let paid_monthly = pricing
                    .monthly_cents
                    .saturating_sub(pricing.prepaid_monthly_cents);
                let months = if self.tco_months.fract().is_zero() {
                    self.tco_months
                        .to_i64()
                        .map(|m| paid_monthly.saturating_mul(m))
                } else {
                    None
                };
                months
                    .unwrap_or_else(|| {
                        Decimal::from(paid_monthly)
                            .checked_mul(self.tco_months)
                            .map_or(Cents::MAX, round_cents)
                    })
                    .saturating_add(
                        pricing
                            .prepaid_monthly_cents
                            .saturating_mul(i64::from(self.horizon_months)),
                    )
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

    /// The offer a choice buys (the destination's first term when it names none).
    #[must_use]
    pub fn offer_of(&self, choice: &Choice) -> Offer {
        Offer {
            destination: choice.destination,
            term: choice
                .term
                .unwrap_or_else(|| self.commerce.get(choice.destination).default_term()),
            hybrid_benefit: choice.hybrid_benefit,
        }
    }

    /// Where workload `index` is today, as an offer: its destination's first term.
    #[must_use]
    pub fn current_offer(&self, index: usize) -> Option<Offer> {
        let current = self.workloads.get(index)?.current;
        Some(Offer::new(
            current,
            self.commerce.get(current).default_term(),
        ))
    }

    /// The pricing of workload `index` on `offer`, or `None` when the workload may not use
    /// it (a ruled-out destination, a term the destination does not offer, Hybrid Benefit
    /// where it cannot apply).
    #[must_use]
    pub fn offer_pricing(&self, index: usize, offer: Offer) -> Option<Pricing> {
        self.workloads
            .get(index)?
            .offer(self.commerce.get(offer.destination), offer)
    }

    /// The choice that buys `offer` for workload `index` from `move_month`: none when it is
    /// how the workload is bought today, and no term written when it is the destination's
    /// first (so files keep the shape older versions wrote).
    #[must_use]
    pub fn choice_for(&self, index: usize, offer: Offer, move_month: u32) -> Option<Choice> {
        if self.current_offer(index) == Some(offer) {
            return None;
        }
        let mut choice = Choice::of_offer(offer, move_month);
        if self.commerce.get(offer.destination).default_term() == offer.term {
            choice.term = None;
        }
        Some(choice)
    }

    /// Every offer workload `index` may use, with its pricing, in destination order and
    /// the book's order of terms.
    #[must_use]
    pub fn offers_of(&self, index: usize) -> Vec<(Offer, Pricing)> {
        self.workloads
            .get(index)
            .map(|w| w.offers(&self.commerce).collect())
            .unwrap_or_default()
    }

    /// The commitment in months of `term` on `destination` (0: none), when it is offered.
    #[must_use]
    pub fn commitment_months(&self, destination: Destination, term: TermKind) -> Option<u32> {
        self.commerce
            .get(destination)
            .term(term)
            .map(|t| t.commitment_months)
    }

    /// The terms destination `destination` is bought on, in the book's order.
    #[must_use]
    pub fn terms_of(&self, destination: Destination) -> Vec<TermKind> {
        self.commerce
            .get(destination)
            .terms
            .iter()
            .map(|t| t.kind)
            .collect()
    }

    /// Whether `offer` for workload `index` is a change the totals count: an offer the
    /// workload may use, other than how it is bought today, within the horizon.
    fn counts(&self, index: usize, offer: Offer, move_month: u32) -> bool {
        Some(offer) != self.current_offer(index)
            && self.offer_pricing(index, offer).is_some()
            && move_month < self.horizon_months
    }

    /// The offer and move month a scenario gives each workload. Choices that name a
    /// missing workload or an offer it may not use (validation reports them), and moves at
    /// or after the end of the horizon (the workload stays put within it), are left out.
    fn effective_choices(&self, scenario: &Scenario) -> Vec<Option<(Offer, u32)>> {
        let mut choices = vec![None; self.workloads.len()];
        for (id, choice) in &scenario.choices {
            let Some(&index) = self.ids.get(id) else {
                continue;
            };
            let offer = self.offer_of(choice);
            if self.counts(index, offer, choice.move_month) {
                choices[index] = Some((offer, choice.move_month));
            }
        }
        choices
    }

    /// The moves of `scenario` at or after the end of the horizon, to an offer the workload
    /// may use, as (workload index, choice), by workload index.
    #[must_use]
    pub fn moves_outside_horizon(&self, scenario: &Scenario) -> Vec<(usize, Choice)> {
        let mut outside: Vec<(usize, Choice)> = scenario
            .choices
            .iter()
            .filter_map(|(id, choice)| {
                let index = *self.ids.get(id)?;
                let offer = self.offer_of(choice);
                (Some(offer) != self.current_offer(index)
                    && self.offer_pricing(index, offer).is_some()
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
        self.final_offers(scenario)
            .iter()
            .map(|offer| offer.destination)
            .collect()
    }

    /// The offer each workload is bought on at the end of the horizon in `scenario`.
    #[must_use]
    pub fn final_offers(&self, scenario: &Scenario) -> Vec<Offer> {
        self.effective_choices(scenario)
            .iter()
            .enumerate()
            .map(|(index, choice)| {
                choice.map_or_else(
                    || {
                        self.current_offer(index)
                            .unwrap_or(Offer::new(Destination::OnPremises, TermKind::PayAsYouGo))
                    },
                    |(offer, _)| offer,
                )
            })
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
            let offer = self.offer_of(choice);
            self.counts(index, offer, choice.move_month).then_some((
                index,
                offer,
                choice.move_month,
            ))
        });
        self.totals(&scenario.name, moves)
            .ok_or_else(|| EngineError::Totals {
                scenario: scenario.name.clone(),
            })
    }

    /// The totals of moving every workload to `destinations[i]` (on its first term) in month
    /// 0, without building a scenario. Destinations not offered are ignored.
    #[must_use]
    pub fn totals_of_destinations(
        &self,
        name: &str,
        destinations: &[Destination],
    ) -> ScenarioTotals {
        self.totals_of_offers(name, &self.default_offers(destinations))
    }

    /// Each destination on its first term.
    fn default_offers(&self, destinations: &[Destination]) -> Vec<Offer> {
        destinations
            .iter()
            .map(|d| Offer::new(*d, self.commerce.get(*d).default_term()))
            .collect()
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
        self.try_totals_of_offers(name, &self.default_offers(destinations))
    }

    /// The totals of buying every workload on `offers[i]` from month 0 (a frontier plan),
    /// without building a scenario. Offers a workload may not use are ignored.
    #[must_use]
    pub fn totals_of_offers(&self, name: &str, offers: &[Offer]) -> ScenarioTotals {
        self.try_totals_of_offers(name, offers)
            .unwrap_or_else(|_| ScenarioTotals::zero(name, self.horizon_months as usize))
    }

    /// Like [`Self::totals_of_offers`], saying when the totals do not fit.
    ///
    /// # Errors
    /// [`EngineError::Totals`] (never for a plan that validation accepts).
    pub fn try_totals_of_offers(
        &self,
        name: &str,
        offers: &[Offer],
    ) -> Result<ScenarioTotals, EngineError> {
        let moves = offers
            .iter()
            .enumerate()
            .filter(|(index, offer)| self.counts(*index, **offer, 0))
            .map(|(index, offer)| (index, *offer, 0));
        self.totals(name, moves).ok_or_else(|| EngineError::Totals {
            scenario: name.to_owned(),
        })
    }

    /// Scenario totals with checked arithmetic; `None` when a sum does not fit. Starts from
    /// the status quo's sums and applies each move (workload index, its offer and move
    /// month, each workload at most once): O(moves × commitment periods + horizon).
    #[expect(
        clippy::too_many_lines,
        reason = "one pass over the moves, then one over the months, as PRODUCT.md lists the totals"
    )]
    fn totals(
        &self,
        name: &str,
        moves: impl Iterator<Item = (usize, Offer, u32)>,
    ) -> Option<ScenarioTotals> {
        fn add(total: &mut Cents, amount: Cents) -> Option<()> {
            *total = total.checked_add(amount)?;
            Some(())
        }
        let horizon = self.horizon_months as usize;
        // Changes by month, summed once per month afterwards.
        let mut recurring_change = vec![0 as Cents; horizon + 1];
        let mut one_time_by_month = vec![0 as Cents; horizon];
        let mut margin = Ramp::new(horizon);
        let mut fees = Ramp::new(horizon);
        let baseline = &self.baseline;
        // Everything where it is: on the current destination, k counting from t = 0.
        let first_year = horizon.min(12);
        margin.add(0, first_year, baseline.margin_first_year_cents)?;
        margin.add(first_year, horizon, baseline.margin_later_cents)?;
        fees.add(0, first_year, baseline.fees_first_year_cents)?;
        fees.add(first_year, horizon, baseline.fees_later_cents)?;
        let mut recurring_now = baseline.monthly_cents;
        let mut run_rate_cents = baseline.monthly_cents;
        let mut msp_monthly_margin_cents = baseline.margin_later_cents;
        let mut importance = baseline.importance;
        let (mut one_time_cents, mut upfront_cents, mut past_horizon_cents): (Cents, Cents, Cents) =
            (0, 0, 0);
        let mut move_count = 0;

        for (index, offer, move_month) in moves {
            let figures = self.workloads.get(index)?;
            let current = figures.current_pricing();
            let chosen = self.offer_pricing(index, offer).unwrap_or_default();
            let move_month = move_month as usize;
            move_count += 1;
            // The prepaid part is paid at the start of each commitment period instead.
            let paid_monthly = chosen
                .monthly_cents
                .checked_sub(chosen.prepaid_monthly_cents)?;
            add(
                &mut recurring_change[move_month],
                paid_monthly.checked_sub(current.monthly_cents)?,
            )?;
            add(
                &mut run_rate_cents,
                chosen.monthly_cents.checked_sub(current.monthly_cents)?,
            )?;
            add(&mut one_time_by_month[move_month], chosen.one_time_cents)?;
            add(&mut one_time_cents, chosen.one_time_cents)?;
            let commitment = chosen.commitment_months as usize;
            if commitment > 0 {
                let mut start = move_month;
                while start < horizon {
                    let months = commitment.min(horizon - start);
                    if chosen.prepaid_monthly_cents > 0 {
                        let payment = chosen
                            .prepaid_monthly_cents
                            .checked_mul(Cents::try_from(months).ok()?)?;
                        add(&mut one_time_by_month[start], payment)?;
                        add(&mut upfront_cents, payment)?;
                    }
                    if start + commitment > horizon {
                        // Committed months past the horizon, at the term's provider price.
                        let past = Cents::try_from(start + commitment - horizon).ok()?;
                        add(
                            &mut past_horizon_cents,
                            chosen.committed_monthly_cents.checked_mul(past)?,
                        )?;
                    }
                    start += commitment;
                }
            }
            // Take the workload out of the status quo's margin and fees ...
            for (ramp, of) in [
                (
                    &mut margin,
                    Pricing::msp_margin_cents as fn(&Pricing, u32) -> Cents,
                ),
                (&mut fees, Pricing::partner_fee_cents),
            ] {
                ramp.add(0, first_year, of(&current, 0).checked_neg()?)?;
                ramp.add(first_year, horizon, of(&current, 12).checked_neg()?)?;
                // ... then on the current destination until the move, k counting from t = 0,
                let first_year_end = move_month.min(12);
                ramp.add(0, first_year_end, of(&current, 0))?;
                ramp.add(first_year_end, move_month, of(&current, 12))?;
                // and on the new one from the move, k counting from the move month.
                let switch = (move_month + 12).min(horizon);
                ramp.add(move_month, switch, of(&chosen, 0))?;
                ramp.add(switch, horizon, of(&chosen, 12))?;
            }
            margin.add(move_month, move_month + 1, chosen.migration_margin_cents())?;
            add(
                &mut msp_monthly_margin_cents,
                chosen
                    .msp_margin_cents(12)
                    .checked_sub(current.msp_margin_cents(12))?,
            )?;
            let weight = u64::from(figures.importance);
            let from = &mut importance[figures.current.index()];
            *from = from.checked_sub(weight)?;
            importance[offer.destination.index()] += weight;
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
        let (mut fees_now, mut fees_total) = (0, 0);
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
            add(&mut margin_now, margin.change[t])?;
            add(&mut margin_total, margin_now)?;
            msp_margin_by_month_cents.push(margin_now);
            add(&mut fees_now, fees.change[t])?;
            add(&mut fees_total, fees_now)?;
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
            one_time_cents: one_time_cents.checked_add(upfront_cents)?,
            upfront_cents,
            commitment_past_horizon_cents: past_horizon_cents,
            tco_cents,
            npv_cents,
            break_even_month,
            control_score,
            msp_monthly_margin_cents,
            msp_margin_total_cents: margin_total,
            partner_fees_total_cents: fees_total,
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
        self.scenario_from_offers(plan, name, &self.default_offers(destinations))
    }

    /// A scenario that buys each workload on `offers[i]` from month 0 (workloads already
    /// bought so stay out of its choices; a destination's first term is not written).
    #[must_use]
    pub fn scenario_from_offers(&self, plan: &Plan, name: &str, offers: &[Offer]) -> Scenario {
        let choices = plan
            .workloads
            .iter()
            .zip(offers)
            .enumerate()
            .filter_map(|(index, (w, offer))| {
                Some((w.id.clone(), self.choice_for(index, *offer, 0)?))
            })
            .collect();
        Scenario {
            name: name.to_owned(),
            notes: String::new(),
            choices,
        }
    }
}

/// Amounts that change from one month to a later one, summed by month afterwards.
struct Ramp {
    change: Vec<Cents>,
}

impl Ramp {
    fn new(horizon: usize) -> Self {
        Self {
            change: vec![0; horizon + 1],
        }
    }

    /// `amount` in every month from `from` up to (not including) `to`.
    fn add(&mut self, from: usize, to: usize, amount: Cents) -> Option<()> {
        if from < to {
            self.change[from] = self.change[from].checked_add(amount)?;
            self.change[to] = self.change[to].checked_add(amount.checked_neg()?)?;
        }
        Some(())
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

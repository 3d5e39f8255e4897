//! Reports on a plan: one set of figures ([`PlanReport`]) written as text, Markdown, HTML,
//! CSV, JSON or PDF (a file each), and its charts as SVG or PNG for a slide. The CLI and the
//! app use the same figures.
//!
//! Every report is for one [`Audience`]. A customer report is built without the MSP's own
//! figures (margins, partner fees and terms, labour cost, the sources of those) and without
//! internal ids, so no format can show them; an internal report has everything and says
//! "Internal" on every page.

mod csv;
mod diff_text;
mod escape;
mod fonts;
mod html;
mod json;
mod markdown;
mod pdf;
pub mod portfolio;
mod slide;
mod svg;
mod tables;
mod text;

use serde::Serialize;

use crate::model::charts::{frontier_steps, month_label};
use crate::model::{
    Category, Cents, CostMetric, Destination, Evaluation, Frontier, Optimizer, Plan, Scenario,
    ScenarioTotals, TermKind,
};

pub use csv::to_csv;
pub use diff_text::diff_to_text;
pub use escape::{html_escape, markdown_escape, terminal_safe, terminal_safe_lines};
pub use html::to_html;
pub use json::to_json;
pub use markdown::to_markdown;
pub use pdf::{Paper, PdfOptions, to_pdf};
pub use slide::{ChartKind, ChartSize, chart_png, chart_rgba, chart_svg};
pub use text::to_text;

/// Who a report is for.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Audience {
    /// Safe to hand to the customer: no MSP margin, no partner fees or partner terms, no
    /// internal ids, no MSP labour cost.
    #[default]
    Customer,
    /// Everything, for the MSP's own people (a sales lead checking margin), marked
    /// "Internal" on every page.
    Internal,
}

impl Audience {
    pub const ALL: [Self; 2] = [Self::Customer, Self::Internal];

    #[must_use]
    pub const fn label(self) -> &'static str {
        match self {
            Self::Customer => "Customer",
            Self::Internal => "Internal",
        }
    }

    /// What the audience gets, in a sentence (the export dialog, `--help`).
    #[must_use]
    pub const fn description(self) -> &'static str {
        match self {
            Self::Customer => {
                "Safe to hand over: no MSP margin, partner fees or terms, internal ids or MSP labour cost"
            }
            Self::Internal => {
                "Everything, including margin and partner terms; marked Internal on every page"
            }
        }
    }

    #[must_use]
    pub const fn is_internal(self) -> bool {
        matches!(self, Self::Internal)
    }
}

/// What a report is built for.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ReportOptions<'a> {
    /// Only this scenario, with each workload's choice in it.
    pub focus: Option<&'a str>,
    pub audience: Audience,
    /// Whether the report draws its charts (HTML, PDF, a chart for a slide): only then is
    /// the frontier computed, the costliest part of a report on a large plan. Text,
    /// Markdown, CSV and JSON have no charts.
    pub charts: bool,
}

/// The words that mark every page of an internal report.
pub const INTERNAL_MARK: &str = "Internal: not for the customer";

/// Everything a report shows, with the JSON keys other tools read.
#[derive(Debug, Clone, Serialize)]
pub struct PlanReport {
    pub customer: String,
    pub audience: Audience,
    pub currency: String,
    pub horizon_months: u32,
    pub scenarios: Vec<ScenarioLine>,
    pub workloads: Vec<WorkloadLine>,
    /// The account manager's recommendation; absent when none is chosen.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub recommended: Option<RecommendedLine>,
    #[serde(skip)]
    pub details: ReportDetails,
}

/// The scenario the account manager recommends, with the cheapest plan that keeps at least
/// its control (so the customer sees how close it is to the best).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RecommendedLine {
    pub scenario: String,
    pub rationale: String,
    pub tco_cents: Cents,
    pub run_rate_cents: Cents,
    pub one_time_cents: Cents,
    /// The status quo's TCO minus the scenario's: negative when it costs more.
    pub saving_cents: Cents,
    pub break_even_month: Option<u32>,
    /// 0–100, two decimals.
    pub control_score: f64,
    /// `None` when no plan keeps that much control (never for a scenario of the plan, but a
    /// coarse frontier grid could in principle miss it).
    pub cheapest_at_control: Option<CheapestLine>,
}

/// The plan the exact optimizer finds for "the cheapest plan whose control is at least X":
/// the assignment's own totals, every move in the first month.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CheapestLine {
    /// 0–100, two decimals.
    pub control_score: f64,
    pub tco_cents: Cents,
    pub run_rate_cents: Cents,
    pub one_time_cents: Cents,
    /// Workloads that move in it.
    pub moves: usize,
    /// The frontier's resolution, e.g. `exact (control grid 0.5 points)`.
    pub resolution: String,
}

/// Context for the human formats, not part of the JSON.
#[derive(Debug, Clone, Default)]
pub struct ReportDetails {
    pub start_month: String,
    pub discount_rate_pct: String,
    pub growth_pct: String,
    pub price_book: String,
    pub price_book_as_of: String,
    /// The scenario the per-workload choices come from, when one was asked for.
    pub focus: Option<String>,
    /// (label, source) of every priced line in the book, without repeats.
    pub sources: Vec<(String, String)>,
    /// Who the plan is for, beyond the name.
    pub customer: CustomerDetails,
    /// What the charts draw.
    pub charts: ChartData,
    /// The plan as it is (nothing moves): the baseline of every saving and break-even.
    pub status_quo_tco_cents: Cents,
    /// The status quo's control score, 0–100, two decimals.
    pub status_quo_control: f64,
    /// The recommended scenario's break-even month as a calendar month,
    /// `YYYY-MM (FYyy Qn)`.
    pub recommended_break_even_label: Option<String>,
    /// The MSP's own terms: only in an internal report.
    pub msp_terms: Option<MspTerms>,
}

/// What the MSP bills and pays for an hour, and the partner fees per destination: the
/// internal report's page for the sales lead.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct MspTerms {
    pub rate_per_hour: String,
    pub cost_per_hour: String,
    /// (destination, partner fee in the first year %, after it %), where either is not 0.
    pub partner_fees: Vec<(String, String, String)>,
}

/// The customer as the report introduces them.
#[derive(Debug, Clone, Default)]
pub struct CustomerDetails {
    pub industry: String,
    pub seats: u32,
    pub sites: u32,
    pub contact: String,
    pub account_manager: String,
}

/// One scenario as the charts draw it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ChartSeries {
    pub name: String,
    /// The plan as it is (nothing moves), drawn apart from the scenarios.
    pub is_status_quo: bool,
    /// The scenario the account manager recommends.
    pub is_recommended: bool,
    /// Control score, 0–100, two decimals.
    pub control: f64,
    pub tco_cents: Cents,
    /// What the scenario has cost in total at the end of each month of the horizon.
    pub cumulative_cost_cents: Vec<Cents>,
    pub break_even_month: Option<u32>,
}

/// The figures behind the report's two charts.
#[derive(Debug, Clone, Default)]
pub struct ChartData {
    /// The status quo first, then each scenario shown that moves something.
    pub series: Vec<ChartSeries>,
    /// The TCO frontier (every move in month 0) as a step line: `[control 0–100, cents]`.
    pub frontier: Vec<[f64; 2]>,
    /// The cheapest plan at the recommended scenario's control: `[control, cents]`.
    pub cheapest_at_recommended: Option<[f64; 2]>,
    /// `YYYY-MM` of each month of the horizon.
    pub months: Vec<String>,
    /// `YYYY-MM (FYyy Qn)` of each month of the horizon.
    pub month_labels: Vec<String>,
}

/// A recommendation by a fixed rule (see [`recommend`]), for views that need one without the
/// account manager's choice (the portfolio's featured scenario). Reports use the plan's own
/// recommended scenario instead.
#[derive(Debug, Clone, PartialEq)]
pub enum Recommendation {
    /// Move: the scenario that breaks even with the lowest TCO.
    Scenario {
        name: String,
        tco_cents: Cents,
        /// The status quo's TCO minus the scenario's (never negative).
        saving_cents: Cents,
        break_even_month: u32,
        /// The break-even month as a calendar month, `YYYY-MM (FYyy Qn)`.
        break_even_label: String,
        /// 0–100, two decimals.
        control: f64,
    },
    /// No scenario breaks even within the horizon: keeping the status quo is cheapest.
    StatusQuo {
        /// The moving scenario closest to breaking even: (name, TCO, its TCO minus the
        /// status quo's); `None` when no scenario moves anything.
        closest: Option<(String, Cents, Cents)>,
    },
}

/// The report's recommendation, computed from the figures by this rule:
///
/// 1. Candidates are the plan's scenarios that move at least one workload within the horizon
///    and break even within it (from some month on, their cumulative cost stays at or below
///    the status quo's to the end of the horizon).
/// 2. The recommended one is the candidate with the lowest TCO over the horizon (the first in
///    the plan's order on a tie). Its saving is the status quo's TCO minus its TCO; it is
///    never negative, since a scenario that breaks even ends the horizon at or below the
///    status quo.
/// 3. With no candidate, keeping the status quo is cheapest over the horizon (a scenario that
///    never breaks even costs more than the status quo by the last month), and the scenario
///    closest to breaking even is the moving scenario with the lowest TCO, i.e. the smallest
///    extra cost over the horizon.
#[must_use]
pub fn recommend(
    plan: &Plan,
    status_quo: &ScenarioTotals,
    scenarios: &[ScenarioTotals],
) -> Recommendation {
    let breaking_even = lowest_tco(
        scenarios
            .iter()
            .filter(|s| s.moves > 0 && s.break_even_month.is_some()),
    );
    if let Some(best) = breaking_even {
        let month = best.break_even_month.unwrap_or(0);
        return Recommendation::Scenario {
            name: best.name.clone(),
            tco_cents: best.tco_cents,
            saving_cents: status_quo.tco_cents - best.tco_cents,
            break_even_month: month,
            break_even_label: month_label(plan, month),
            control: best.control_score_2dp(),
        };
    }
    let closest = lowest_tco(scenarios.iter().filter(|s| s.moves > 0)).map(|s| {
        (
            s.name.clone(),
            s.tco_cents,
            s.tco_cents - status_quo.tco_cents,
        )
    });
    Recommendation::StatusQuo { closest }
}

/// The first scenario with the lowest TCO.
fn lowest_tco<'a>(
    candidates: impl Iterator<Item = &'a ScenarioTotals>,
) -> Option<&'a ScenarioTotals> {
    candidates.fold(None, |best, s| match best {
        Some(b) if b.tco_cents <= s.tco_cents => Some(b),
        _ => Some(s),
    })
}

fn series_of(
    totals: &ScenarioTotals,
    is_status_quo: bool,
    recommended: Option<&str>,
) -> ChartSeries {
    ChartSeries {
        name: totals.name.clone(),
        is_status_quo,
        is_recommended: !is_status_quo && recommended == Some(totals.name.as_str()),
        control: totals.control_score_2dp(),
        tco_cents: totals.tco_cents,
        cumulative_cost_cents: totals.cumulative_cost_cents.clone(),
        break_even_month: totals.break_even_month,
    }
}

/// The charts' figures: the status quo (named as in the plan when the plan has a scenario
/// that moves nothing), then each of `shown` that moves something; the TCO frontier; the
/// months of the horizon.
fn chart_data(
    plan: &Plan,
    frontier: Option<&Frontier>,
    status_quo: &ScenarioTotals,
    all: &[ScenarioTotals],
    shown: &[ScenarioTotals],
) -> ChartData {
    let recommended = plan.recommended.as_ref().map(|r| r.scenario.as_str());
    let mut baseline = series_of(status_quo, true, recommended);
    if let Some(named) = all.iter().find(|s| s.moves == 0) {
        baseline.name.clone_from(&named.name);
    }
    let mut series = vec![baseline];
    series.extend(
        shown
            .iter()
            .filter(|s| s.moves > 0)
            .map(|s| series_of(s, false, recommended)),
    );
    let horizon = u32::try_from(status_quo.cumulative_cost_cents.len()).unwrap_or(0);
    ChartData {
        series,
        frontier: frontier.map_or_else(Vec::new, |f| frontier_steps(&f.points, 400)),
        cheapest_at_recommended: None,
        months: (0..horizon)
            .map(|t| plan.assumptions.start_month.plus_months(t).to_string())
            .collect(),
        month_labels: (0..horizon).map(|t| month_label(plan, t)).collect(),
    }
}

/// The recommended scenario's line: its totals and the cheapest plan with at least its
/// control, the optimizer's exact answer, priced as a scenario of its own.
fn recommended_line(
    plan: &Plan,
    evaluation: &Evaluation,
    status_quo: &ScenarioTotals,
    all: &[ScenarioTotals],
) -> Result<Option<RecommendedLine>, String> {
    let Some(chosen) = &plan.recommended else {
        return Ok(None);
    };
    let Some(totals) = all.iter().find(|t| t.name == chosen.scenario) else {
        return Ok(None);
    };
    let optimizer = Optimizer::new(evaluation, CostMetric::Tco);
    let cheapest = match optimizer.cheapest_with_control_at_least(evaluation, totals.control_score)
    {
        Some(answer) => {
            let best = evaluation
                .try_totals_of_destinations("Cheapest plan at this control", &answer.destinations)
                .map_err(|e| e.to_string())?;
            Some(CheapestLine {
                control_score: best.control_score_2dp(),
                tco_cents: best.tco_cents,
                run_rate_cents: best.run_rate_cents,
                one_time_cents: best.one_time_cents,
                moves: best.moves,
                resolution: answer.guarantee.to_string(),
            })
        }
        None => None,
    };
    Ok(Some(RecommendedLine {
        scenario: totals.name.clone(),
        rationale: chosen.rationale.trim().to_owned(),
        tco_cents: totals.tco_cents,
        run_rate_cents: totals.run_rate_cents,
        one_time_cents: totals.one_time_cents,
        saving_cents: status_quo.tco_cents - totals.tco_cents,
        break_even_month: totals.break_even_month,
        control_score: totals.control_score_2dp(),
        cheapest_at_control: cheapest,
    }))
}

#[derive(Debug, Clone, Serialize)]
pub struct ScenarioLine {
    pub name: String,
    pub run_rate_cents: Cents,
    pub one_time_cents: Cents,
    pub tco_cents: Cents,
    pub npv_cents: Cents,
    pub break_even_month: Option<u32>,
    /// 0–100, two decimals.
    pub control_score: f64,
    /// Internal reports only.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub msp_monthly_margin_cents: Option<Cents>,
    /// Internal reports only.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub msp_margin_total_cents: Option<Cents>,
    /// Partner fees (partner-earned credit, CSP margin) over the horizon, part of the MSP's
    /// margin: internal reports only.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub partner_fees_total_cents: Option<Cents>,
    /// Upfront payments of commitments within the horizon (part of `one_time_cents`).
    #[serde(skip_serializing_if = "is_zero")]
    pub upfront_cents: Cents,
    /// What commitments bind the customer to after the horizon (not in the TCO).
    #[serde(skip_serializing_if = "is_zero")]
    pub commitment_past_horizon_cents: Cents,
}

#[expect(
    clippy::trivially_copy_pass_by_ref,
    reason = "serde's skip_serializing_if passes a reference"
)]
const fn is_zero(cents: &Cents) -> bool {
    *cents == 0
}

impl ScenarioLine {
    fn of(totals: &ScenarioTotals, audience: Audience) -> Self {
        let internal = audience.is_internal();
        Self {
            name: totals.name.clone(),
            run_rate_cents: totals.run_rate_cents,
            one_time_cents: totals.one_time_cents,
            tco_cents: totals.tco_cents,
            npv_cents: totals.npv_cents,
            break_even_month: totals.break_even_month,
            control_score: totals.control_score_2dp(),
            msp_monthly_margin_cents: internal.then_some(totals.msp_monthly_margin_cents),
            msp_margin_total_cents: internal.then_some(totals.msp_margin_total_cents),
            partner_fees_total_cents: internal.then_some(totals.partner_fees_total_cents),
            upfront_cents: totals.upfront_cents,
            commitment_past_horizon_cents: totals.commitment_past_horizon_cents,
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct WorkloadLine {
    /// The plan's id for the workload: internal reports only.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    pub name: String,
    pub category: Category,
    pub current: Destination,
    /// One per offer it may use: each allowed destination on each of its terms (the first
    /// term first), with and without Hybrid Benefit where it applies.
    pub options: Vec<OptionLine>,
    /// The focus scenario's choice, when a scenario was asked for.
    #[serde(skip)]
    pub choice: Option<ChoiceLine>,
}

/// A workload's choice in the focus scenario, as the workload table shows it.
#[derive(Debug, Clone)]
pub struct ChoiceLine {
    pub destination: Destination,
    /// The offer as the price book names it.
    pub label: String,
    /// `None` when it stays as it is.
    pub move_month: Option<u32>,
    pub monthly_cents: Cents,
    pub control: f64,
}

#[derive(Debug, Clone, Serialize)]
pub struct OptionLine {
    pub destination: Destination,
    pub term: TermKind,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub hybrid_benefit: bool,
    /// The offer as the price book names it.
    pub label: String,
    pub monthly_cents: Cents,
    pub one_time_cents: Cents,
    /// 0–100, two decimals.
    pub control: f64,
}

/// The report of `plan`, evaluating it first.
///
/// # Errors
/// When the plan's figures cannot be computed (a plan validation refuses) or `focus` names
/// no scenario of the plan.
pub fn build_for_plan(plan: &Plan, options: &ReportOptions<'_>) -> Result<PlanReport, String> {
    let evaluation = Evaluation::try_new(plan).map_err(|e| e.to_string())?;
    build_with(plan, &evaluation, options)
}

/// The customer report of `plan`; with `focus`, only that scenario and its choices.
///
/// # Errors
/// As [`build_with`].
pub fn build(
    plan: &Plan,
    evaluation: &Evaluation,
    focus: Option<&str>,
) -> Result<PlanReport, String> {
    build_with(
        plan,
        evaluation,
        &ReportOptions {
            focus,
            audience: Audience::Customer,
            charts: true,
        },
    )
}

/// Builds the report of `plan` for `options.audience`; with `options.focus`, only that
/// scenario and its choices.
///
/// # Errors
/// When `focus` names no scenario of the plan (the message lists the names), or when a
/// scenario's totals cannot be computed (never for a plan that validation accepts).
pub fn build_with(
    plan: &Plan,
    evaluation: &Evaluation,
    options: &ReportOptions<'_>,
) -> Result<PlanReport, String> {
    let focus = options.focus;
    let audience = options.audience;
    let internal = audience.is_internal();
    let scenarios: Vec<&Scenario> = match focus {
        None => plan.scenarios.iter().collect(),
        Some(name) => vec![plan.scenario(name).ok_or_else(|| {
            let names: Vec<String> = plan
                .scenarios
                .iter()
                .map(|s| format!("\"{}\"", s.name))
                .collect();
            format!(
                "no scenario named \"{name}\"; the plan has {}",
                names.join(", ")
            )
        })?],
    };
    let focus_scenario = focus.and_then(|name| plan.scenario(name));
    let focus_offers = focus_scenario.map(|s| evaluation.final_offers(s));
    let workloads = plan
        .workloads
        .iter()
        .enumerate()
        .map(|(index, w)| WorkloadLine {
            id: internal.then(|| w.id.clone()),
            name: w.name.clone(),
            category: w.category,
            current: w.current,
            options: evaluation
                .offers_of(index)
                .into_iter()
                .map(|(offer, p)| OptionLine {
                    destination: offer.destination,
                    term: offer.term,
                    hybrid_benefit: offer.hybrid_benefit,
                    label: plan.price_book.offer_label(&offer),
                    monthly_cents: p.monthly_cents,
                    one_time_cents: p.one_time_cents,
                    control: control_2dp(evaluation, offer.destination),
                })
                .collect(),
            choice: focus_offers.as_ref().map(|offers| {
                let offer = offers[index];
                let changes = Some(offer) != evaluation.current_offer(index);
                let move_month = focus_scenario
                    .and_then(|s| s.choices.get(&w.id))
                    .filter(|_| changes)
                    .map(|c| c.move_month);
                ChoiceLine {
                    destination: offer.destination,
                    label: plan.price_book.offer_label(&offer),
                    move_month,
                    monthly_cents: evaluation
                        .offer_pricing(index, offer)
                        .map_or(0, |p| p.monthly_cents),
                    control: control_2dp(evaluation, offer.destination),
                }
            }),
        })
        .collect();
    let book = &plan.price_book;
    let sources = price_sources(book, audience);
    // Checked totals: a report never shows zeros for figures that could not be computed.
    let all_totals = evaluation.try_scenarios(plan).map_err(|e| e.to_string())?;
    let shown_totals: Vec<ScenarioTotals> = scenarios
        .iter()
        .map(|s| evaluation.try_scenario(s))
        .collect::<Result<_, _>>()
        .map_err(|e| e.to_string())?;
    let status_quo = evaluation
        .try_scenario(&Scenario::status_quo())
        .map_err(|e| e.to_string())?;
    let recommended = recommended_line(plan, evaluation, &status_quo, &all_totals)?;
    let frontier = options
        .charts
        .then(|| Frontier::compute(evaluation, CostMetric::Tco));
    let mut charts = chart_data(
        plan,
        frontier.as_ref(),
        &status_quo,
        &all_totals,
        &shown_totals,
    );
    charts.cheapest_at_recommended = recommended
        .as_ref()
        .and_then(|r| r.cheapest_at_control.as_ref())
        .map(|c| [c.control_score, cents_f64(c.tco_cents)]);
    let customer = &plan.customer;
    Ok(PlanReport {
        customer: customer.name.clone(),
        audience,
        currency: book.currency.clone(),
        horizon_months: plan.assumptions.horizon_months,
        scenarios: shown_totals
            .iter()
            .map(|t| ScenarioLine::of(t, audience))
            .collect(),
        workloads,
        details: ReportDetails {
            start_month: plan.assumptions.start_month.to_string(),
            discount_rate_pct: plan.assumptions.discount_rate_pct.normalize().to_string(),
            growth_pct: plan.assumptions.growth_pct.normalize().to_string(),
            price_book: book.name.clone(),
            price_book_as_of: book.as_of.clone(),
            focus: focus.map(str::to_owned),
            sources,
            customer: CustomerDetails {
                industry: customer.industry.clone(),
                seats: customer.seats,
                sites: customer.sites,
                contact: customer.contact.clone(),
                account_manager: customer.account_manager.clone(),
            },
            charts,
            status_quo_tco_cents: status_quo.tco_cents,
            status_quo_control: status_quo.control_score_2dp(),
            recommended_break_even_label: recommended
                .as_ref()
                .and_then(|r| r.break_even_month)
                .map(|m| month_label(plan, m)),
            msp_terms: internal.then(|| msp_terms(book)),
        },
        recommended,
    })
}

#[expect(
    clippy::cast_precision_loss,
    reason = "cents well below 2^53, for charts"
)]
fn cents_f64(cents: Cents) -> f64 {
    cents as f64
}

/// The MSP's rates and the partner fees of each destination that pays one.
fn msp_terms(book: &crate::model::PriceBook) -> MspTerms {
    let money =
        |d: rust_decimal::Decimal| format!("{} {}", d.round_dp(2).normalize(), book.currency);
    MspTerms {
        rate_per_hour: money(book.msp_rate_per_hour),
        cost_per_hour: money(book.msp_cost_per_hour),
        partner_fees: book
            .destinations
            .iter()
            .filter(|(_, t)| {
                !t.partner_fee_first_year_pct.is_zero() || !t.partner_fee_recurring_pct.is_zero()
            })
            .map(|(_, t)| {
                (
                    t.label.clone(),
                    format!("{} %", t.partner_fee_first_year_pct.normalize()),
                    format!("{} %", t.partner_fee_recurring_pct.normalize()),
                )
            })
            // Fees by term (partner-earned credit, CSP margin), named with the terms they
            // are paid on and whether they need admin access.
            .chain(book.destinations.iter().flat_map(|(_, t)| {
                t.partner_fee_rules.iter().map(move |rule| {
                    let terms = if rule.terms.is_empty() {
                        "every term".to_owned()
                    } else {
                        rule.terms
                            .iter()
                            .map(|k| k.label().to_lowercase())
                            .collect::<Vec<_>>()
                            .join(", ")
                    };
                    let access = if rule.needs_admin_access {
                        ", while the MSP keeps admin access"
                    } else {
                        ""
                    };
                    (
                        format!("{} ({}: {terms}{access})", t.label, rule.label),
                        format!("{} %", rule.first_year_pct.normalize()),
                        format!("{} %", rule.recurring_pct.normalize()),
                    )
                })
            }))
            .collect(),
    }
}

/// (label, source) of every priced line of the book, without repeats. A customer's report
/// lists only what the customer pays (the providers' prices and the MSP's fees): the MSP's
/// own costs, its labour and the partner terms are internal.
fn price_sources(book: &crate::model::PriceBook, audience: Audience) -> Vec<(String, String)> {
    let internal = audience.is_internal();
    let mut sources: Vec<(String, String)> = Vec::new();
    let mut push = |label: String, source: &str| {
        if !source.trim().is_empty() && !sources.iter().any(|(l, s)| *l == label && s == source) {
            sources.push((label, source.to_owned()));
        }
    };
    if internal {
        push(
            "MSP rates and hours per month".to_owned(),
            &book.labor_source,
        );
    }
    for (_, terms) in book.destinations.iter() {
        let own_costs: &[crate::model::RateLine] = if internal { &terms.msp_costs } else { &[] };
        for line in terms
            .recurring
            .iter()
            .chain(&terms.msp_fees)
            .chain(own_costs)
        {
            push(format!("{}: {}", terms.label, line.label), &line.source);
        }
        // The terms change what the customer pays; the partner fees are internal.
        for term in &terms.purchase_terms {
            push(
                format!("{}: {}", terms.label, term.shown_label()),
                &term.source,
            );
        }
        if internal {
            push(
                format!("{}: partner fee, labour and migration hours", terms.label),
                &terms.terms_source,
            );
            for rule in &terms.partner_fee_rules {
                push(format!("{}: {}", terms.label, rule.label), &rule.source);
            }
        }
    }
    if !internal {
        push(
            "One-time migration".to_owned(),
            "the MSP's estimate of the hours each move takes, at its billed rate",
        );
    }
    sources
}

fn control_2dp(evaluation: &Evaluation, destination: Destination) -> f64 {
    use rust_decimal::prelude::ToPrimitive;
    crate::model::round_control(evaluation.control(destination))
        .to_f64()
        .unwrap_or(0.0)
}

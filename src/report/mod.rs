//! Reports on a plan: one set of figures ([`PlanReport`]) written as text, Markdown, HTML,
//! CSV or JSON. The CLI and the app use the same figures.

mod formats;

use serde::Serialize;

use crate::model::{Category, Cents, Destination, Evaluation, Plan, Scenario, ScenarioTotals};

pub use formats::{to_csv, to_html, to_json, to_markdown, to_text};

/// Everything a report shows, with the JSON keys other tools read.
#[derive(Debug, Clone, Serialize)]
pub struct PlanReport {
    pub customer: String,
    pub currency: String,
    pub horizon_months: u32,
    pub scenarios: Vec<ScenarioLine>,
    pub workloads: Vec<WorkloadLine>,
    #[serde(skip)]
    pub details: ReportDetails,
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
    pub msp_monthly_margin_cents: Cents,
    pub msp_margin_total_cents: Cents,
}

impl From<&ScenarioTotals> for ScenarioLine {
    fn from(totals: &ScenarioTotals) -> Self {
        Self {
            name: totals.name.clone(),
            run_rate_cents: totals.run_rate_cents,
            one_time_cents: totals.one_time_cents,
            tco_cents: totals.tco_cents,
            npv_cents: totals.npv_cents,
            break_even_month: totals.break_even_month,
            control_score: totals.control_score_2dp(),
            msp_monthly_margin_cents: totals.msp_monthly_margin_cents,
            msp_margin_total_cents: totals.msp_margin_total_cents,
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct WorkloadLine {
    pub id: String,
    pub name: String,
    pub category: Category,
    pub current: Destination,
    /// One per allowed destination.
    pub options: Vec<OptionLine>,
    /// The focus scenario's destination and move month, when a scenario was asked for.
    #[serde(skip)]
    pub choice: Option<(Destination, u32)>,
}

#[derive(Debug, Clone, Serialize)]
pub struct OptionLine {
    pub destination: Destination,
    pub monthly_cents: Cents,
    pub one_time_cents: Cents,
    /// 0–100, two decimals.
    pub control: f64,
}

/// Builds the report of `plan`; with `focus`, only that scenario and its choices.
///
/// # Errors
/// When `focus` names no scenario of the plan (the message lists the names).
pub fn build(
    plan: &Plan,
    evaluation: &Evaluation,
    focus: Option<&str>,
) -> Result<PlanReport, String> {
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
    let focus_destinations = focus_scenario.map(|s| evaluation.final_destinations(s));
    let workloads = plan
        .workloads
        .iter()
        .enumerate()
        .map(|(index, w)| WorkloadLine {
            id: w.id.clone(),
            name: w.name.clone(),
            category: w.category,
            current: w.current,
            options: Destination::ALL
                .into_iter()
                .filter_map(|d| {
                    evaluation.option(index, d).map(|p| OptionLine {
                        destination: d,
                        monthly_cents: p.monthly_cents,
                        one_time_cents: p.one_time_cents,
                        control: control_2dp(evaluation, d),
                    })
                })
                .collect(),
            choice: focus_destinations.as_ref().map(|destinations| {
                let move_month = focus_scenario
                    .and_then(|s| s.choices.get(&w.id))
                    .filter(|c| c.destination == destinations[index] && c.destination != w.current)
                    .map_or(0, |c| c.move_month);
                (destinations[index], move_month)
            }),
        })
        .collect();
    let book = &plan.price_book;
    let mut sources: Vec<(String, String)> = Vec::new();
    let mut push = |label: String, source: &str| {
        if !source.trim().is_empty() && !sources.iter().any(|(l, s)| *l == label && s == source) {
            sources.push((label, source.to_owned()));
        }
    };
    push(
        "MSP rates and hours per month".to_owned(),
        &book.labor_source,
    );
    for (_, terms) in book.destinations.iter() {
        for line in terms
            .recurring
            .iter()
            .chain(&terms.msp_fees)
            .chain(&terms.msp_costs)
        {
            push(format!("{}: {}", terms.label, line.label), &line.source);
        }
        push(
            format!("{}: partner fee, labour and migration hours", terms.label),
            &terms.terms_source,
        );
    }
    Ok(PlanReport {
        customer: plan.customer.name.clone(),
        currency: book.currency.clone(),
        horizon_months: plan.assumptions.horizon_months,
        scenarios: scenarios
            .iter()
            .map(|s| ScenarioLine::from(&evaluation.scenario(s)))
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
        },
    })
}

fn control_2dp(evaluation: &Evaluation, destination: Destination) -> f64 {
    use rust_decimal::prelude::ToPrimitive;
    crate::model::round_control(evaluation.control(destination))
        .to_f64()
        .unwrap_or(0.0)
}

//! What each view keeps for itself between frames: the tab shown, the table's filter and
//! sort, the chart's options, and figures prepared once per plan revision so that no frame
//! recomputes or clones them. The views change this state themselves (it is theirs); the
//! plan, the selection and everything else go through [`super::Action`]s.

use std::sync::Arc;

use egui_plot::PlotPoint;
use rust_decimal::prelude::ToPrimitive;

use crate::model::charts::{self, RoadmapMove, RoadmapQuarter, WorkloadOption};
use crate::model::{
    Answer, Cents, CostMetric, Decimal, Destination, Evaluation, Frontier, FrontierPoint, Offer,
    Plan, Scenario,
};

use super::background::Background;
use super::derived::Derived;

/// The main views of the central panel.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tab {
    Workloads,
    Scenarios,
    TradeOff,
    CashFlow,
    Roadmap,
    PriceBook,
    ControlModel,
    Compare,
    /// The book of business; shown (first) while a portfolio folder is open, so it is not
    /// one of [`Tab::ALL`], the plan's own views.
    Portfolio,
}

impl Tab {
    pub const ALL: [Self; 8] = [
        Self::Workloads,
        Self::Scenarios,
        Self::TradeOff,
        Self::CashFlow,
        Self::Roadmap,
        Self::PriceBook,
        Self::ControlModel,
        Self::Compare,
    ];

    #[must_use]
    pub const fn label(self) -> &'static str {
        match self {
            Self::Workloads => "Workloads",
            Self::Scenarios => "Scenarios",
            Self::TradeOff => "Trade-off",
            Self::CashFlow => "Cash flow",
            Self::Roadmap => "Roadmap",
            Self::PriceBook => "Price book",
            Self::ControlModel => "Control model",
            Self::Compare => "Compare",
            Self::Portfolio => "Portfolio",
        }
    }
}

/// Everything the views keep for themselves.
#[derive(Default)]
pub struct ViewStates {
    pub workloads: WorkloadsView,
    pub charts: ChartsView,
    pub roadmap: RoadmapView,
    pub portfolio: super::PortfolioView,
}

/// What the table of workloads can be sorted by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SortColumn {
    Plan,
    Name,
    Category,
    Users,
    Servers,
    Storage,
    Criticality,
    Current,
    Choice,
    MoveMonth,
    MonthlyNow,
    MonthlyAfter,
    ControlAfter,
}

/// One workload's row as shown, for the active scenario.
#[derive(Debug, Clone, Copy)]
pub struct RowFigures {
    pub destination: Destination,
    /// The offer (destination, term, Hybrid Benefit) at the end of the horizon.
    pub offer: crate::model::Offer,
    /// The move month when the workload moves in the scenario.
    pub move_month: Option<u32>,
    pub monthly_now_cents: i64,
    pub monthly_after_cents: i64,
    pub control_after: Decimal,
}

/// What the rows were prepared for: the document (generation, revision), filter, sort and
/// scenario.
type RowsKey = (u64, u64, String, SortColumn, bool, usize);

/// The Workloads view's own state: filter, sort, and the rows in display order.
#[derive(Debug, Clone)]
pub struct WorkloadsView {
    pub filter: String,
    pub sort: SortColumn,
    pub ascending: bool,
    /// Scroll the table to the selected workload on the next frame.
    pub scroll_to_selected: bool,
    /// Text of the "users for the selected workloads" field.
    pub bulk_users: String,
    /// Workload indices in display order; rebuilt only when its key changes.
    rows: Vec<usize>,
    figures: Vec<RowFigures>,
    key: Option<RowsKey>,
}

impl Default for WorkloadsView {
    fn default() -> Self {
        Self {
            filter: String::new(),
            sort: SortColumn::Plan,
            ascending: true,
            scroll_to_selected: false,
            bulk_users: String::new(),
            rows: Vec::new(),
            figures: Vec::new(),
            key: None,
        }
    }
}

impl WorkloadsView {
    /// The rows in display order (for tests and keyboard navigation).
    #[must_use]
    pub fn rows(&self) -> &[usize] {
        &self.rows
    }

    /// The figures of workload `index` as the table shows them.
    #[must_use]
    pub fn figures(&self, index: usize) -> Option<&RowFigures> {
        self.figures.get(index)
    }

    /// Prepares the rows for the plan as it is, unless they already are. While a value is
    /// dragged (`dragging`), rows keep their place: re-sorting under the pointer would hand
    /// the drag to another workload.
    pub fn refresh(
        &mut self,
        document: (u64, u64),
        plan: &Plan,
        derived: &Derived,
        scenario: usize,
        dragging: bool,
    ) {
        let key = (
            document.0,
            document.1,
            self.filter.clone(),
            self.sort,
            self.ascending,
            scenario,
        );
        if self.key.as_ref() == Some(&key) {
            return;
        }
        let keep_order = dragging
            && self.rows.len() == plan.workloads.len()
            && self.key.as_ref().is_some_and(|k| {
                (k.0, &k.2, k.3, k.4, k.5) == (key.0, &key.2, key.3, key.4, key.5)
            });
        self.figures = row_figures(plan, &derived.evaluation, plan.scenarios.get(scenario));
        let rows = self.sorted_rows(plan);
        if !keep_order {
            self.rows = rows;
        }
        self.key = Some(key);
    }

    fn sorted_rows(&self, plan: &Plan) -> Vec<usize> {
        let needle = self.filter.trim().to_lowercase();
        let mut rows: Vec<usize> = (0..plan.workloads.len())
            .filter(|&i| {
                needle.is_empty() || {
                    let w = &plan.workloads[i];
                    w.name.to_lowercase().contains(&needle)
                        || w.id.to_lowercase().contains(&needle)
                        || w.category.label().to_lowercase().contains(&needle)
                        || w.notes.to_lowercase().contains(&needle)
                }
            })
            .collect();
        let (w, f) = (&plan.workloads, &self.figures);
        match self.sort {
            SortColumn::Plan => {}
            SortColumn::Name => {
                rows.sort_by_cached_key(|&i| w[i].name.to_lowercase());
            }
            SortColumn::Category => rows.sort_by_key(|&i| w[i].category.label()),
            SortColumn::Users => rows.sort_by_key(|&i| w[i].users),
            SortColumn::Servers => rows.sort_by_key(|&i| w[i].servers),
            SortColumn::Storage => rows.sort_by_key(|&i| w[i].storage_gb),
            SortColumn::Criticality => rows.sort_by_key(|&i| w[i].criticality),
            SortColumn::Current => rows.sort_by_key(|&i| w[i].current),
            SortColumn::Choice => rows.sort_by_key(|&i| f[i].destination),
            SortColumn::MoveMonth => rows.sort_by_key(|&i| f[i].move_month),
            SortColumn::MonthlyNow => rows.sort_by_key(|&i| f[i].monthly_now_cents),
            SortColumn::MonthlyAfter => rows.sort_by_key(|&i| f[i].monthly_after_cents),
            SortColumn::ControlAfter => rows.sort_by_key(|&i| f[i].control_after),
        }
        if !self.ascending {
            rows.reverse();
        }
        rows
    }
}

fn row_figures(
    plan: &Plan,
    evaluation: &Evaluation,
    scenario: Option<&Scenario>,
) -> Vec<RowFigures> {
    let offers = scenario.map(|s| evaluation.final_offers(s));
    plan.workloads
        .iter()
        .enumerate()
        .map(|(i, w)| {
            let today = evaluation.current_offer(i);
            let offer =
                offers
                    .as_ref()
                    .map(|o| o[i])
                    .or(today)
                    .unwrap_or(crate::model::Offer::new(
                        w.current,
                        crate::model::TermKind::PayAsYouGo,
                    ));
            let destination = offer.destination;
            let move_month = scenario
                .and_then(|s| s.choices.get(&w.id))
                .filter(|_| Some(offer) != today)
                .map(|c| c.move_month);
            let monthly = |d: Destination| evaluation.option(i, d).map_or(0, |p| p.monthly_cents);
            RowFigures {
                destination,
                offer,
                move_month,
                monthly_now_cents: monthly(w.current),
                monthly_after_cents: evaluation
                    .offer_pricing(i, offer)
                    .map_or(0, |p| p.monthly_cents),
                control_after: evaluation.control(destination),
            }
        })
        .collect()
}

/// Which of the trade-off chart's views is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TradeOffView {
    Plan,
    Workloads,
    MspMargin,
    /// The customer's best price under each term policy at a control level, against what it
    /// earns the MSP.
    Terms,
}

/// Which of the optimizer's questions picks the highlighted frontier point.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Question {
    MinControl,
    MaxCost,
}

/// The plan the trade-off chart's answer line shows and marks, with its real figures.
#[derive(Debug, Clone, Copy)]
pub struct Chosen<'a> {
    /// The plan's control score, as the report prints it.
    pub control_score: Decimal,
    /// The plan's cost under the chart's metric, as the report prints it.
    pub cost_cents: Cents,
    plan: ChosenPlan<'a>,
}

#[derive(Debug, Clone, Copy)]
enum ChosenPlan<'a> {
    Frontier(&'a Frontier, FrontierPoint),
    Exact(&'a Answer),
}

impl Chosen<'_> {
    /// The offer of every workload (in plan order) in the chosen plan.
    #[must_use]
    pub fn offers(&self) -> Vec<Offer> {
        match self.plan {
            ChosenPlan::Frontier(frontier, point) => frontier.offers(&point),
            ChosenPlan::Exact(answer) => answer.offers.clone(),
        }
    }
}

/// What the trade-off chart's question selects.
#[derive(Debug, Clone, Copy)]
pub enum ChartAnswer<'a> {
    Chosen(Chosen<'a>),
    /// The exact answer is being computed.
    Computing,
    /// "Most control within" has no cost it can read yet.
    NoBound,
    /// No plan answers the question.
    Nothing,
}

impl<'a> ChartAnswer<'a> {
    #[must_use]
    pub fn chosen(self) -> Option<Chosen<'a>> {
        match self {
            ChartAnswer::Chosen(chosen) => Some(chosen),
            ChartAnswer::Computing | ChartAnswer::NoBound | ChartAnswer::Nothing => None,
        }
    }
}

/// What the workload view was prepared for: document, scenario, metric, workloads.
type WorkloadChartKey = (u64, u64, usize, CostMetric, Vec<usize>);

/// The charts' own state.
pub struct ChartsView {
    pub metric: CostMetric,
    pub view: TradeOffView,
    pub question: Question,
    /// The "minimum control" slider, 0–100.
    pub min_control: f64,
    /// The "maximum cost" field, in the plan's currency.
    pub max_cost: String,
    /// A frontier point the user clicked (replaces the question's answer until it changes).
    pub clicked: Option<FrontierPoint>,
    pub all_workloads: bool,
    pub show_monthly_cost: bool,
    pub show_msp_margin: bool,
    /// Screen ↔ plot coordinates of the last chart drawn.
    pub transform: Option<egui_plot::PlotTransform>,
    /// The workload view's prepared points.
    workload_chart: Option<(WorkloadChartKey, Arc<WorkloadChart>)>,
    /// The MSP margin of a dozen frontier plans, for the frontier it was computed from.
    msp_frontier: Option<(super::FrontierKey, Vec<charts::MarginPoint>)>,
}

impl Default for ChartsView {
    fn default() -> Self {
        Self {
            metric: CostMetric::Tco,
            view: TradeOffView::Plan,
            question: Question::MinControl,
            min_control: 70.0,
            max_cost: String::new(),
            clicked: None,
            all_workloads: false,
            show_monthly_cost: false,
            show_msp_margin: false,
            transform: None,
            workload_chart: None,
            msp_frontier: None,
        }
    }
}

impl ChartsView {
    /// What the terms view's plans are computed for, for the document `key`.
    #[must_use]
    pub fn terms_key(&self, key: (u64, u64)) -> super::TermsKey {
        #[expect(clippy::cast_possible_truncation, reason = "0–100 in hundredths")]
        let hundredths = (self.min_control.clamp(0.0, 100.0) * 100.0).round() as i64;
        (key.0, key.1, self.metric, hundredths)
    }

    /// The bound of "most control within a cost", when that is the question asked.
    #[must_use]
    pub fn answer_key(&self, document: (u64, u64)) -> Option<super::AnswerKey> {
        if self.question != Question::MaxCost {
            return None;
        }
        let max = crate::model::parse_amount_cents(&self.max_cost).ok()?;
        Some((document.0, document.1, self.metric, max))
    }

    /// The plan the current question (or a click) selects. "Cheapest with control of at
    /// least" is a frontier point (the slider moves in steps the frontier resolves exactly);
    /// "most control within" is the optimizer's exact answer, computed off the UI thread,
    /// since the best plan within a cost may lie between two frontier points.
    #[must_use]
    pub fn selection<'a>(
        &self,
        frontier: &'a Frontier,
        exact: &'a Background<super::AnswerKey, Option<Answer>>,
        document: (u64, u64),
    ) -> ChartAnswer<'a> {
        let on_frontier = |point: &FrontierPoint| {
            ChartAnswer::Chosen(Chosen {
                control_score: point.control_score,
                cost_cents: point.cost_cents,
                plan: ChosenPlan::Frontier(frontier, *point),
            })
        };
        if let Some(point) = self.clicked.filter(|p| frontier.points.contains(p)) {
            return on_frontier(&point);
        }
        match self.question {
            Question::MinControl => {
                let min = Decimal::from_f64_retain(self.min_control)
                    .unwrap_or(Decimal::ZERO)
                    .round_dp(2);
                frontier
                    .cheapest_with_control_at_least(min)
                    .map_or(ChartAnswer::Nothing, on_frontier)
            }
            Question::MaxCost => match self.answer_key(document) {
                None => ChartAnswer::NoBound,
                Some(key) => match exact.result(&key) {
                    None => ChartAnswer::Computing,
                    Some(answer) => match answer.as_ref() {
                        None => ChartAnswer::Nothing,
                        Some(answer) => ChartAnswer::Chosen(Chosen {
                            control_score: answer.control_score,
                            cost_cents: answer.cost_cents,
                            plan: ChosenPlan::Exact(answer),
                        }),
                    },
                },
            },
        }
    }

    /// The name a scenario created from the selected point gets.
    #[must_use]
    pub fn question_text(&self, currency: &str) -> String {
        if self.clicked.is_some() {
            return "Frontier plan".to_owned();
        }
        match self.question {
            Question::MinControl => {
                format!("Cheapest with control at least {:.0}", self.min_control)
            }
            Question::MaxCost => format!(
                "Most control within {} {currency} {}",
                self.max_cost.trim(),
                self.metric.label()
            ),
        }
    }

    /// The workload view's points for `which` workloads, prepared once per key.
    pub fn workload_chart(
        &mut self,
        document: (u64, u64),
        plan: &Plan,
        evaluation: &Evaluation,
        scenario: usize,
        which: Vec<usize>,
    ) -> Arc<WorkloadChart> {
        let key = (document.0, document.1, scenario, self.metric, which);
        match &self.workload_chart {
            Some((cached, chart)) if *cached == key => Arc::clone(chart),
            _ => {
                let chart = Arc::new(WorkloadChart::build(
                    plan,
                    evaluation,
                    plan.scenarios.get(scenario),
                    self.metric,
                    &key.4,
                ));
                self.workload_chart = Some((key, Arc::clone(&chart)));
                chart
            }
        }
    }
}

impl ChartsView {
    /// The MSP view's frontier plans for the frontier of `key`, computed by `compute` once.
    pub fn msp_frontier(
        &mut self,
        key: super::FrontierKey,
        compute: impl FnOnce() -> Vec<charts::MarginPoint>,
    ) -> &[charts::MarginPoint] {
        if self.msp_frontier.as_ref().is_none_or(|(k, _)| *k != key) {
            self.msp_frontier = Some((key, compute()));
        }
        self.msp_frontier.as_ref().map_or(&[], |(_, points)| points)
    }
}

/// A workload's name, cost and control, for the hover label of its point.
pub type HoverRow = (String, i64, f64);

/// Everything the workload view draws, as plot points the chart borrows every frame.
pub struct WorkloadChart {
    pub options: Vec<WorkloadOption>,
    pub by_destination: Vec<(Destination, Vec<PlotPoint>)>,
    pub current: Vec<PlotPoint>,
    pub chosen: Vec<PlotPoint>,
    pub origins: Vec<PlotPoint>,
    pub tips: Vec<PlotPoint>,
    /// Every option's point, in the order of `options` (for picking a click).
    pub all_xy: Vec<PlotPoint>,
    pub hover_groups: Vec<(Destination, Vec<HoverRow>)>,
}

impl WorkloadChart {
    fn build(
        plan: &Plan,
        evaluation: &Evaluation,
        scenario: Option<&Scenario>,
        metric: CostMetric,
        which: &[usize],
    ) -> Self {
        let options = charts::workload_options(evaluation, scenario, metric, which);
        #[expect(clippy::cast_precision_loss, reason = "cents well below 2^53")]
        let xy = |o: &WorkloadOption| PlotPoint::new(o.control, o.cost_cents as f64);
        let mut by_destination: Vec<(Destination, Vec<PlotPoint>)> = Destination::ALL
            .into_iter()
            .map(|d| (d, Vec::new()))
            .collect();
        let mut hover_groups: Vec<(Destination, Vec<HoverRow>)> = Destination::ALL
            .into_iter()
            .map(|d| (d, Vec::new()))
            .collect();
        for o in &options {
            by_destination[o.destination.index()].1.push(xy(o));
            // The term is named where the destination is sold on more than one.
            let book = &plan.price_book;
            let entry = book.destinations.get(o.destination);
            let name = &plan.workloads[o.workload].name;
            let shown = if entry.has_term_choice() || o.offer.hybrid_benefit {
                let offer = book.offer_label(&o.offer);
                let term = offer
                    .strip_prefix(o.destination.label())
                    .unwrap_or(&offer)
                    .trim_start_matches(" · ");
                format!("{name} · {term}")
            } else {
                name.clone()
            };
            hover_groups[o.destination.index()]
                .1
                .push((shown, o.cost_cents, o.control));
        }
        // Options come grouped by workload: one arrow per workload that moves.
        let mut origins = Vec::new();
        let mut tips = Vec::new();
        for group in options.chunk_by(|a, b| a.workload == b.workload) {
            let from = group.iter().find(|o| o.is_current);
            let to = group.iter().find(|o| o.is_chosen);
            if let (Some(from), Some(to)) = (from, to)
                && from.offer != to.offer
            {
                origins.push(xy(from));
                tips.push(xy(to));
            }
        }
        Self {
            current: options.iter().filter(|o| o.is_current).map(xy).collect(),
            chosen: options.iter().filter(|o| o.is_chosen).map(xy).collect(),
            all_xy: options.iter().map(xy).collect(),
            options,
            by_destination,
            origins,
            tips,
            hover_groups,
        }
    }
}

/// The roadmap as computed for a plan revision and scenario.
pub struct RoadmapData {
    pub quarters: Vec<RoadmapQuarter>,
    /// Every move, within the horizon and after it, in plan order, so a row stays put while
    /// its month is dragged.
    pub moves: Vec<RoadmapMove>,
    /// How many of `moves` fall at or after the end of the horizon.
    pub outside_horizon: usize,
}

/// The roadmap view's own state: its figures, prepared once per document and scenario.
#[derive(Default)]
pub struct RoadmapView {
    cache: Option<((u64, u64, usize), Arc<RoadmapData>)>,
}

impl RoadmapView {
    /// The roadmap of `scenario`, computed only when the plan or the scenario changed.
    pub fn data(
        &mut self,
        document: (u64, u64),
        plan: &Plan,
        evaluation: &Evaluation,
        scenario: usize,
    ) -> Option<Arc<RoadmapData>> {
        let key = (document.0, document.1, scenario);
        if let Some((cached, data)) = &self.cache
            && *cached == key
        {
            return Some(Arc::clone(data));
        }
        let chosen = plan.scenarios.get(scenario)?;
        let roadmap = charts::scenario_roadmap(plan, evaluation, chosen);
        let mut moves: Vec<RoadmapMove> = roadmap
            .quarters
            .iter()
            .flat_map(|q| q.moves.iter().cloned())
            .chain(roadmap.outside_horizon.iter().cloned())
            .collect();
        moves.sort_by_key(|m| m.workload);
        let data = Arc::new(RoadmapData {
            quarters: roadmap.quarters,
            outside_horizon: roadmap.outside_horizon.len(),
            moves,
        });
        self.cache = Some((key, Arc::clone(&data)));
        Some(data)
    }
}

/// A frontier point's control score for drawing.
#[must_use]
pub fn control_f64(point: &FrontierPoint) -> f64 {
    point.control_score.to_f64().unwrap_or(0.0)
}

//! Three-way merge: two copies of a plan ("mine" and "theirs") and the version both started
//! from (the base). Whatever only one copy changed since the base is kept from that copy;
//! what both changed the same way is kept once; what both changed differently is a conflict,
//! with the base, mine and theirs side by side, until someone picks a side.
//!
//! The merge works at the level a colleague edits: workloads by id, scenarios by name (and
//! each scenario's choice per workload), every customer field and assumption, the price
//! book's terms, its rate lines (by destination, list and label) and the control dimensions
//! (by name). So two account managers who changed different fields, workloads or lines of
//! one plan get both sets of changes with no question asked.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use rust_decimal::Decimal;
use serde::{Serialize, Serializer};

use super::category::Category;
use super::destination::Destination;
use super::diff::{TotalsChange, field_names};
use super::engine::Evaluation;
use super::plan::{
    Assumptions, Choice, ControlDimension, ControlModel, Criticality, Customer, Plan,
    RecommendedScenario, Scenario, Workload, YearMonth,
};
use super::price_book::{Basis, DestinationTerms, PriceBook, RateLine};
use super::terms::{PartnerFeeRule, PurchaseTerm};

/// One of the two copies being merged.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Side {
    Mine,
    Theirs,
}

impl Side {
    #[must_use]
    pub const fn other(self) -> Self {
        match self {
            Self::Mine => Self::Theirs,
            Self::Theirs => Self::Mine,
        }
    }

    /// `mine` or `theirs`, as on the command line.
    #[must_use]
    pub const fn key(self) -> &'static str {
        match self {
            Self::Mine => "mine",
            Self::Theirs => "theirs",
        }
    }
}

/// The three lists of rate lines a destination has in the price book.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RateList {
    Recurring,
    MspFees,
    MspCosts,
}

impl RateList {
    pub const ALL: [Self; 3] = [Self::Recurring, Self::MspFees, Self::MspCosts];

    /// The field name in the plan file.
    #[must_use]
    pub const fn key(self) -> &'static str {
        match self {
            Self::Recurring => "recurring",
            Self::MspFees => "msp_fees",
            Self::MspCosts => "msp_costs",
        }
    }

    #[must_use]
    pub const fn label(self) -> &'static str {
        match self {
            Self::Recurring => "recurring",
            Self::MspFees => "MSP fees",
            Self::MspCosts => "MSP costs",
        }
    }

    fn of(self, terms: &DestinationTerms) -> &[RateLine] {
        match self {
            Self::Recurring => &terms.recurring,
            Self::MspFees => &terms.msp_fees,
            Self::MspCosts => &terms.msp_costs,
        }
    }

    fn of_mut(self, terms: &mut DestinationTerms) -> &mut Vec<RateLine> {
        match self {
            Self::Recurring => &mut terms.recurring,
            Self::MspFees => &mut terms.msp_fees,
            Self::MspCosts => &mut terms.msp_costs,
        }
    }
}

/// What a change belongs to. Taking a part takes every change of theirs to it that is not
/// a conflict.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Part {
    Customer,
    Assumptions,
    /// The price book's own fields and each destination's terms (not its rate lines).
    PriceBook,
    /// One rate line, matched by its label (`occurrence` counts lines with the same label
    /// in the same list, from 0).
    RateLine {
        destination: Destination,
        list: RateList,
        label: String,
        occurrence: usize,
    },
    /// One control dimension, matched by its name.
    ControlDimension {
        name: String,
        occurrence: usize,
    },
    /// One workload, by id.
    Workload(String),
    /// One scenario, by name.
    Scenario(String),
    /// The recommended scenario and its rationale.
    Recommendation,
}

fn quoted_with_occurrence(
    f: &mut fmt::Formatter<'_>,
    text: &str,
    occurrence: usize,
) -> fmt::Result {
    if occurrence == 0 {
        write!(f, "[{text:?}]")
    } else {
        write!(f, "[{text:?} #{}]", occurrence + 1)
    }
}

impl fmt::Display for Part {
    /// The part's path in the plan: `customer`, `workloads[exchange]`,
    /// `price_book.destinations.bpos.recurring["Exchange Online"]`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Customer => f.write_str("customer"),
            Self::Assumptions => f.write_str("assumptions"),
            Self::PriceBook => f.write_str("price_book"),
            Self::RateLine {
                destination,
                list,
                label,
                occurrence,
            } => {
                write!(
                    f,
                    "price_book.destinations.{}.{}",
                    destination.key(),
                    list.key()
                )?;
                quoted_with_occurrence(f, label, *occurrence)
            }
            Self::ControlDimension { name, occurrence } => {
                f.write_str("control_model.dimensions")?;
                quoted_with_occurrence(f, name, *occurrence)
            }
            Self::Workload(id) => write!(f, "workloads[{id}]"),
            Self::Scenario(name) => write!(f, "scenarios[{name:?}]"),
            Self::Recommendation => f.write_str("recommended"),
        }
    }
}

impl Serialize for Part {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

/// Who changed a value since the base, and how.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ChangeKind {
    /// Only mine changed it: mine is kept.
    Mine,
    /// Only theirs changed it: a merge takes theirs.
    Theirs,
    /// Both made the same change.
    Both,
    /// Both changed it, differently: a side must be picked.
    Conflict,
}

/// One value that differs from the base in at least one copy. Values are as shown to a
/// person (`120`, `"Exchange 2010"`, `bpos from month 3`); `None` where the value or the
/// whole part is absent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Change {
    /// The field within the part (`users`, `choices.exchange`, `levels.bpos`); empty when
    /// the whole part was added or removed.
    pub field: String,
    pub kind: ChangeKind,
    pub base: Option<String>,
    pub mine: Option<String>,
    pub theirs: Option<String>,
    /// For a conflict, the side the merged plan takes; `None` while nobody has picked (the
    /// merged plan then holds mine).
    pub resolution: Option<Side>,
}

impl Change {
    /// The value of one side.
    #[must_use]
    pub fn value(&self, side: Side) -> Option<&str> {
        match side {
            Side::Mine => self.mine.as_deref(),
            Side::Theirs => self.theirs.as_deref(),
        }
    }

    /// A value as shown in a conflict: absent parts read "absent" (not in the base) or
    /// "removed".
    fn shown(&self, value: Option<&str>) -> String {
        match (value, &self.base) {
            (Some(value), _) => value.to_owned(),
            (None, None) => "absent".to_owned(),
            (None, Some(_)) => "removed".to_owned(),
        }
    }

    /// What one side did, for a list of one-sided changes: `users: 120 -> 130`, `added`,
    /// `removed`.
    #[must_use]
    pub fn describe(&self, side: Side) -> String {
        let value = self.value(side);
        if self.field.is_empty() {
            return match (&self.base, value) {
                (None, Some(_)) => "added".to_owned(),
                (Some(_), None) => "removed".to_owned(),
                (_, value) => self.shown(value),
            };
        }
        match (&self.base, value) {
            (Some(base), Some(value)) => format!("{}: {base} -> {value}", self.field),
            (None, Some(value)) => format!("{}: {value}", self.field),
            (Some(base), None) => format!("{}: removed (was {base})", self.field),
            (None, None) => self.field.clone(),
        }
    }

    /// `base -> mine | theirs`.
    #[must_use]
    pub fn sides(&self) -> String {
        format!(
            "{} -> {} | {}",
            self.base.as_deref().unwrap_or("absent"),
            self.shown(self.mine.as_deref()),
            self.shown(self.theirs.as_deref())
        )
    }
}

/// A change's address: the part and the field in it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ChangeKey {
    pub part: Part,
    pub field: String,
}

impl fmt::Display for ChangeKey {
    /// `workloads[exchange].users`, `customer.seats`, `workloads[backup]`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.field.is_empty() {
            write!(f, "{}", self.part)
        } else {
            write!(f, "{}.{}", self.part, self.field)
        }
    }
}

/// Every change to one part.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PartMerge {
    pub part: Part,
    /// How the part is named to a person: `Exchange 2007 (exchange)`, `"All mail to BPOS"`.
    pub label: String,
    pub changes: Vec<Change>,
}

impl PartMerge {
    #[must_use]
    pub fn has(&self, kind: ChangeKind) -> bool {
        self.changes.iter().any(|c| c.kind == kind)
    }

    /// What one side did to this part, with its full path: `workloads[exchange].users: 120
    /// -> 130`, `workloads[payroll]: added`.
    #[must_use]
    pub fn line(&self, change: &Change, side: Side) -> String {
        if change.field.is_empty() {
            format!("{}: {}", self.part, change.describe(side))
        } else {
            format!("{}.{}", self.part, change.describe(side))
        }
    }

    #[must_use]
    pub fn key(&self, change: &Change) -> ChangeKey {
        ChangeKey {
            part: self.part.clone(),
            field: change.field.clone(),
        }
    }
}

/// How a merge settles what is not settled by the rule "a change made on one side only is
/// taken".
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Picks {
    /// Conflicts decided one by one.
    pub decided: BTreeMap<ChangeKey, Side>,
    /// The side every other conflict takes (`--prefer`); `None` leaves them unresolved,
    /// holding mine.
    pub prefer: Option<Side>,
    /// `Some(part)` takes theirs' one-sided changes to that part only and keeps mine in every
    /// conflict: one take in the compare view. `None` is the whole merge.
    pub only: Option<Part>,
}

impl Picks {
    /// Every conflict goes to `side`.
    #[must_use]
    pub fn prefer(side: Side) -> Self {
        Self {
            prefer: Some(side),
            ..Self::default()
        }
    }

    /// Only theirs' changes to `part`: the plan a single take produces.
    #[must_use]
    pub fn only(part: Part) -> Self {
        Self {
            only: Some(part),
            ..Self::default()
        }
    }
}

/// The merged plan and every change that went into it.
#[derive(Debug, Clone, PartialEq)]
pub struct PlanMerge {
    pub plan: Plan,
    /// The parts that changed in either copy, in plan order (customer, assumptions, price
    /// book, control model, workloads, scenarios, recommendation).
    pub parts: Vec<PartMerge>,
}

impl PlanMerge {
    /// Every change of `kind`, with its part.
    pub fn changes_of(&self, kind: ChangeKind) -> impl Iterator<Item = (&PartMerge, &Change)> {
        self.parts
            .iter()
            .flat_map(|p| p.changes.iter().map(move |c| (p, c)))
            .filter(move |(_, c)| c.kind == kind)
    }

    /// Conflicts nobody has picked a side for yet.
    #[must_use]
    pub fn unresolved(&self) -> usize {
        self.changes_of(ChangeKind::Conflict)
            .filter(|(_, c)| c.resolution.is_none())
            .count()
    }

    #[must_use]
    pub fn count(&self, kind: ChangeKind) -> usize {
        self.changes_of(kind).count()
    }

    /// `field: base -> mine | theirs` for every conflict, with its full path.
    #[must_use]
    pub fn conflict_lines(&self) -> Vec<String> {
        self.changes_of(ChangeKind::Conflict)
            .map(|(part, change)| format!("{}: {}", part.key(change), change.sides()))
            .collect()
    }
}

/// Merges `mine` and `theirs`, which both started from `base`, settling what the rules leave
/// open with `picks`. Pure: the same three plans and picks always give the same result.
#[must_use]
pub fn merge_plans(base: &Plan, mine: &Plan, theirs: &Plan, picks: &Picks) -> PlanMerge {
    // Every field of a plan is merged below: a new field fails to compile here until it is.
    let Plan {
        format_version: _,
        customer: _,
        assumptions: _,
        price_book: _,
        control_model: _,
        workloads: _,
        scenarios: _,
        history: _,
        recommended: _,
    } = mine;
    let mut merger = Merger {
        picks,
        parts: Vec::new(),
        current: None,
    };
    let customer = merger.customer(&base.customer, &mine.customer, &theirs.customer);
    let assumptions = merger.assumptions(&base.assumptions, &mine.assumptions, &theirs.assumptions);
    let price_book = merger.price_book(&base.price_book, &mine.price_book, &theirs.price_book);
    let control_model = merger.control_model(
        &base.control_model,
        &mine.control_model,
        &theirs.control_model,
    );
    let (workloads, fates) = merger.workloads(base, mine, theirs);
    // The workloads the merge dropped (removed, or added by theirs and not taken): their
    // choices go with them. A choice that points at no workload in either copy is left as
    // the copies have it.
    let merged_ids: BTreeSet<&str> = workloads.iter().map(|w| w.id.as_str()).collect();
    let dropped: BTreeSet<&str> = mine
        .workloads
        .iter()
        .chain(&theirs.workloads)
        .map(|w| w.id.as_str())
        .filter(|id| !merged_ids.contains(id))
        .collect();
    let mut scenarios = merger.scenarios(base, mine, theirs, &fates, &dropped);
    for scenario in &mut scenarios {
        scenario
            .choices
            .retain(|id, _| !dropped.contains(id.as_str()));
    }
    let recommended = merger.recommendation(
        base.recommended.as_ref(),
        mine.recommended.as_ref(),
        theirs.recommended.as_ref(),
    );
    let mut history = mine.history.clone();
    history.extend(
        theirs
            .history
            .iter()
            .filter(|entry| !mine.history.contains(entry))
            .cloned(),
    );
    PlanMerge {
        plan: Plan {
            format_version: mine.format_version,
            customer,
            assumptions,
            price_book,
            control_model,
            workloads,
            scenarios,
            history,
            recommended,
        },
        parts: merger.parts,
    }
}

/// The effect of a merge on every scenario's totals: each scenario of `mine` and of
/// `merged`, with its TCO, run rate and control score before (mine) and after (merged).
/// `mine_evaluation` is `mine`'s (the app has it already).
#[must_use]
pub fn merge_effect(mine: &Plan, mine_evaluation: &Evaluation, merged: &Plan) -> Vec<TotalsChange> {
    let merged_evaluation = Evaluation::new(merged);
    let mut names: Vec<&str> = mine.scenarios.iter().map(|s| s.name.as_str()).collect();
    names.extend(
        merged
            .scenarios
            .iter()
            .map(|s| s.name.as_str())
            .filter(|n| mine.scenario(n).is_none()),
    );
    names
        .into_iter()
        .map(|name| {
            let before = mine.scenario(name).map(|s| mine_evaluation.scenario(s));
            let after = merged.scenario(name).map(|s| merged_evaluation.scenario(s));
            TotalsChange {
                scenario: name.to_owned(),
                old_tco_cents: before.as_ref().map(|t| t.tco_cents),
                new_tco_cents: after.as_ref().map(|t| t.tco_cents),
                old_run_rate_cents: before.as_ref().map(|t| t.run_rate_cents),
                new_run_rate_cents: after.as_ref().map(|t| t.run_rate_cents),
                old_control_score: before
                    .as_ref()
                    .map(super::ScenarioTotals::control_score_2dp),
                new_control_score: after.as_ref().map(super::ScenarioTotals::control_score_2dp),
            }
        })
        .collect()
}

// ---------------------------------------------------------------------------------------
// Values as shown to a person.

trait Shown {
    fn shown(&self) -> String;
}

impl Shown for String {
    fn shown(&self) -> String {
        format!("\"{self}\"")
    }
}

macro_rules! shown_as_display {
    ($($t:ty),*) => {
        $(impl Shown for $t {
            fn shown(&self) -> String {
                self.to_string()
            }
        })*
    };
}
shown_as_display!(u8, u32, i64, bool, YearMonth);

impl Shown for Decimal {
    fn shown(&self) -> String {
        self.normalize().to_string()
    }
}

impl Shown for Category {
    fn shown(&self) -> String {
        self.key().to_owned()
    }
}

impl Shown for Destination {
    fn shown(&self) -> String {
        self.key().to_owned()
    }
}

impl Shown for Criticality {
    fn shown(&self) -> String {
        self.key().to_owned()
    }
}

impl Shown for Basis {
    fn shown(&self) -> String {
        self.label().to_owned()
    }
}

impl Shown for Choice {
    fn shown(&self) -> String {
        let mut text = self.destination.key().to_owned();
        if let Some(term) = self.term {
            text.push_str(" on ");
            text.push_str(term.key());
        }
        if self.hybrid_benefit {
            text.push_str(" with hybrid benefit");
        }
        format!("{text} from month {}", self.move_month)
    }
}

impl Shown for Vec<PurchaseTerm> {
    fn shown(&self) -> String {
        let terms: Vec<String> = self
            .iter()
            .map(|t| {
                format!(
                    "{} {}%{}",
                    t.kind.key(),
                    t.recurring_pct.normalize(),
                    if t.paid_upfront { " upfront" } else { "" }
                )
            })
            .collect();
        format!("[{}]", terms.join(", "))
    }
}

impl Shown for Vec<PartnerFeeRule> {
    fn shown(&self) -> String {
        let rules: Vec<String> = self
            .iter()
            .map(|r| {
                format!(
                    "\"{}\" {}/{}%",
                    r.label,
                    r.first_year_pct.normalize(),
                    r.recurring_pct.normalize()
                )
            })
            .collect();
        format!("[{}]", rules.join(", "))
    }
}

impl Shown for BTreeSet<Category> {
    fn shown(&self) -> String {
        let keys: Vec<&str> = self.iter().map(|c| c.key()).collect();
        format!("[{}]", keys.join(", "))
    }
}

impl<T: Shown> Shown for Option<T> {
    fn shown(&self) -> String {
        self.as_ref()
            .map_or_else(|| "none".to_owned(), Shown::shown)
    }
}

// ---------------------------------------------------------------------------------------
// Lists matched by key.

/// One key's item in each plan.
struct Trio<'a, T> {
    base: Option<&'a T>,
    mine: Option<&'a T>,
    theirs: Option<&'a T>,
}

/// A key and how many earlier items of the same list share it.
type Keyed<K> = (K, usize);

/// Keys with how many earlier items share them, so duplicates still match one to one.
fn keyed<T, K: Ord + Clone>(items: &[T], key: impl Fn(&T) -> K) -> Vec<((K, usize), &T)> {
    let mut seen: BTreeMap<K, usize> = BTreeMap::new();
    items
        .iter()
        .map(|item| {
            let k = key(item);
            let count = seen.entry(k.clone()).or_insert(0);
            let occurrence = *count;
            *count += 1;
            ((k, occurrence), item)
        })
        .collect()
}

/// Every key of the three lists, in the merged order: mine's order, each key only theirs
/// has right after the key theirs has before it, and keys only the base has at the end.
fn align<'a, T, K: Ord + Clone>(
    base: &'a [T],
    mine: &'a [T],
    theirs: &'a [T],
    key: impl Fn(&T) -> K,
) -> Vec<((K, usize), Trio<'a, T>)> {
    let base = keyed(base, &key);
    let mine = keyed(mine, &key);
    let theirs = keyed(theirs, &key);
    let in_base: BTreeMap<&Keyed<K>, &T> = base.iter().map(|(k, v)| (k, *v)).collect();
    let in_mine: BTreeMap<&Keyed<K>, &T> = mine.iter().map(|(k, v)| (k, *v)).collect();
    let in_theirs: BTreeMap<&Keyed<K>, &T> = theirs.iter().map(|(k, v)| (k, *v)).collect();
    // Theirs' keys that mine lacks, grouped under the nearest earlier key mine has.
    let mut after: BTreeMap<Option<&Keyed<K>>, Vec<&Keyed<K>>> = BTreeMap::new();
    let mut anchor = None;
    for (k, _) in &theirs {
        if in_mine.contains_key(k) {
            anchor = Some(k);
        } else {
            after.entry(anchor).or_default().push(k);
        }
    }
    let mut order: Vec<&Keyed<K>> = after.remove(&None).unwrap_or_default();
    for (k, _) in &mine {
        order.push(k);
        if let Some(group) = after.remove(&Some(k)) {
            order.extend(group);
        }
    }
    order.extend(
        base.iter()
            .map(|(k, _)| k)
            .filter(|k| !in_mine.contains_key(k) && !in_theirs.contains_key(k)),
    );
    order
        .into_iter()
        .map(|k| {
            (
                k.clone(),
                Trio {
                    base: in_base.get(k).copied(),
                    mine: in_mine.get(k).copied(),
                    theirs: in_theirs.get(k).copied(),
                },
            )
        })
        .collect()
}

/// What becomes of an item that one copy removed (or both).
enum Decision<'a, T> {
    /// In both copies: merge it field by field.
    Merge(Option<&'a T>, &'a T, &'a T),
    /// Kept as one side has it.
    Keep(&'a T, Side),
    Absent,
}

/// A workload one copy removed, and whether the merged plan keeps it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Fate {
    Removed,
    /// Kept as this side has it (the other side removed it, and this side's version won).
    Kept(Side),
}

// ---------------------------------------------------------------------------------------
// The merge itself.

struct Merger<'p> {
    picks: &'p Picks,
    parts: Vec<PartMerge>,
    /// The part whose fields are being merged.
    current: Option<PartMerge>,
}

impl Merger<'_> {
    fn begin(&mut self, part: Part, label: String) {
        self.end();
        self.current = Some(PartMerge {
            part,
            label,
            changes: Vec::new(),
        });
    }

    fn end(&mut self) {
        if let Some(part) = self.current.take()
            && !part.changes.is_empty()
        {
            self.parts.push(part);
        }
    }

    /// Whether theirs' one-sided changes to the current part are taken.
    fn takes_theirs(&self) -> bool {
        match (&self.picks.only, &self.current) {
            (None, _) => true,
            (Some(only), Some(current)) => *only == current.part,
            (Some(_), None) => false,
        }
    }

    /// The side a conflict in `field` of the current part takes, if any.
    fn resolution(&self, field: &str) -> Option<Side> {
        if self.picks.only.is_some() {
            return None;
        }
        let current = self.current.as_ref()?;
        let key = ChangeKey {
            part: current.part.clone(),
            field: field.to_owned(),
        };
        self.picks.decided.get(&key).copied().or(self.picks.prefer)
    }

    fn record(
        &mut self,
        field: &str,
        kind: ChangeKind,
        values: [Option<String>; 3],
        resolution: Option<Side>,
    ) {
        let [base, mine, theirs] = values;
        if let Some(current) = &mut self.current {
            current.changes.push(Change {
                field: field.to_owned(),
                kind,
                base,
                mine,
                theirs,
                resolution,
            });
        }
    }

    /// One value three ways (`base` is `None` when the part is new in both copies).
    fn value<T: Shown + PartialEq + Clone>(
        &mut self,
        field: &str,
        base: Option<&T>,
        mine: &T,
        theirs: &T,
    ) -> T {
        let shown = |base: Option<&T>| {
            [
                base.map(Shown::shown),
                Some(mine.shown()),
                Some(theirs.shown()),
            ]
        };
        if mine == theirs {
            if base != Some(mine) {
                self.record(field, ChangeKind::Both, shown(base), None);
            }
            return mine.clone();
        }
        if base == Some(theirs) {
            self.record(field, ChangeKind::Mine, shown(base), None);
            return mine.clone();
        }
        if base == Some(mine) {
            self.record(field, ChangeKind::Theirs, shown(base), None);
            return if self.takes_theirs() {
                theirs.clone()
            } else {
                mine.clone()
            };
        }
        let side = self.resolution(field);
        self.record(field, ChangeKind::Conflict, shown(base), side);
        if side == Some(Side::Theirs) {
            theirs.clone()
        } else {
            mine.clone()
        }
    }

    /// What becomes of an item present in at least one plan. `changed(side, base, item)`
    /// lists what that side changed in an item the other side removed.
    fn decide<'a, T>(
        &mut self,
        trio: &Trio<'a, T>,
        label: &str,
        changed: impl Fn(Side, &T, &T) -> Vec<String>,
    ) -> Decision<'a, T> {
        let present = || Some(label.to_owned());
        match (trio.base, trio.mine, trio.theirs) {
            (base, Some(mine), Some(theirs)) => Decision::Merge(base, mine, theirs),
            (Some(base), Some(mine), None) => {
                let what = changed(Side::Mine, base, mine);
                if what.is_empty() {
                    self.record("", ChangeKind::Theirs, [present(), present(), None], None);
                    if self.takes_theirs() {
                        Decision::Absent
                    } else {
                        Decision::Keep(mine, Side::Mine)
                    }
                } else {
                    let side = self.resolution("");
                    let mine_shown = Some(format!("changed ({})", what.join(", ")));
                    self.record(
                        "",
                        ChangeKind::Conflict,
                        [present(), mine_shown, None],
                        side,
                    );
                    if side == Some(Side::Theirs) {
                        Decision::Absent
                    } else {
                        Decision::Keep(mine, Side::Mine)
                    }
                }
            }
            (Some(base), None, Some(theirs)) => {
                let what = changed(Side::Theirs, base, theirs);
                if what.is_empty() {
                    self.record("", ChangeKind::Mine, [present(), None, present()], None);
                    Decision::Absent
                } else {
                    let side = self.resolution("");
                    let theirs_shown = Some(format!("changed ({})", what.join(", ")));
                    self.record(
                        "",
                        ChangeKind::Conflict,
                        [present(), None, theirs_shown],
                        side,
                    );
                    if side == Some(Side::Theirs) {
                        Decision::Keep(theirs, Side::Theirs)
                    } else {
                        Decision::Absent
                    }
                }
            }
            (Some(_), None, None) => {
                self.record("", ChangeKind::Both, [present(), None, None], None);
                Decision::Absent
            }
            (None, Some(mine), None) => {
                self.record("", ChangeKind::Mine, [None, present(), None], None);
                Decision::Keep(mine, Side::Mine)
            }
            (None, None, Some(theirs)) => {
                self.record("", ChangeKind::Theirs, [None, None, present()], None);
                if self.takes_theirs() {
                    Decision::Keep(theirs, Side::Theirs)
                } else {
                    Decision::Absent
                }
            }
            (None, None, None) => Decision::Absent,
        }
    }

    /// The recommendation field by field: one colleague choosing the scenario and the other
    /// rewording the rationale get both. `none` on a side where nothing is recommended.
    fn recommendation(
        &mut self,
        base: Option<&RecommendedScenario>,
        mine: Option<&RecommendedScenario>,
        theirs: Option<&RecommendedScenario>,
    ) -> Option<RecommendedScenario> {
        self.begin(Part::Recommendation, "Recommendation".to_owned());
        let scenario_of = |r: Option<&RecommendedScenario>| r.map(|r| r.scenario.clone());
        let rationale_of = |r: Option<&RecommendedScenario>| r.map(|r| r.rationale.clone());
        let scenario = self.value(
            "scenario",
            Some(&scenario_of(base)),
            &scenario_of(mine),
            &scenario_of(theirs),
        );
        let rationale = self.value(
            "rationale",
            Some(&rationale_of(base)),
            &rationale_of(mine),
            &rationale_of(theirs),
        );
        self.end();
        // No scenario chosen means no recommendation, whatever became of the rationale; a
        // kept scenario keeps a rationale even where one side cleared the recommendation.
        let rationale = rationale
            .or_else(|| rationale_of(mine))
            .or_else(|| rationale_of(theirs))
            .unwrap_or_default();
        scenario.map(|scenario| RecommendedScenario {
            scenario,
            rationale,
        })
    }

    fn customer(&mut self, base: &Customer, mine: &Customer, theirs: &Customer) -> Customer {
        let Customer {
            name: _,
            industry: _,
            seats: _,
            sites: _,
            contact: _,
            fiscal_year_start_month: _,
            account_manager: _,
            notes: _,
        } = mine;
        self.begin(Part::Customer, "Customer".to_owned());
        let b = Some(base);
        let merged = Customer {
            name: self.value("name", b.map(|x| &x.name), &mine.name, &theirs.name),
            industry: self.value(
                "industry",
                b.map(|x| &x.industry),
                &mine.industry,
                &theirs.industry,
            ),
            seats: self.value("seats", b.map(|x| &x.seats), &mine.seats, &theirs.seats),
            sites: self.value("sites", b.map(|x| &x.sites), &mine.sites, &theirs.sites),
            contact: self.value(
                "contact",
                b.map(|x| &x.contact),
                &mine.contact,
                &theirs.contact,
            ),
            fiscal_year_start_month: self.value(
                "fiscal_year_start_month",
                b.map(|x| &x.fiscal_year_start_month),
                &mine.fiscal_year_start_month,
                &theirs.fiscal_year_start_month,
            ),
            account_manager: self.value(
                "account_manager",
                b.map(|x| &x.account_manager),
                &mine.account_manager,
                &theirs.account_manager,
            ),
            notes: self.value("notes", b.map(|x| &x.notes), &mine.notes, &theirs.notes),
        };
        self.end();
        merged
    }

    fn assumptions(
        &mut self,
        base: &Assumptions,
        mine: &Assumptions,
        theirs: &Assumptions,
    ) -> Assumptions {
        let Assumptions {
            start_month: _,
            horizon_months: _,
            discount_rate_pct: _,
            growth_pct: _,
        } = mine;
        self.begin(Part::Assumptions, "Assumptions".to_owned());
        let b = Some(base);
        let merged = Assumptions {
            start_month: self.value(
                "start_month",
                b.map(|x| &x.start_month),
                &mine.start_month,
                &theirs.start_month,
            ),
            horizon_months: self.value(
                "horizon_months",
                b.map(|x| &x.horizon_months),
                &mine.horizon_months,
                &theirs.horizon_months,
            ),
            discount_rate_pct: self.value(
                "discount_rate_pct",
                b.map(|x| &x.discount_rate_pct),
                &mine.discount_rate_pct,
                &theirs.discount_rate_pct,
            ),
            growth_pct: self.value(
                "growth_pct",
                b.map(|x| &x.growth_pct),
                &mine.growth_pct,
                &theirs.growth_pct,
            ),
        };
        self.end();
        merged
    }

    fn price_book(&mut self, base: &PriceBook, mine: &PriceBook, theirs: &PriceBook) -> PriceBook {
        let PriceBook {
            name: _,
            currency: _,
            as_of: _,
            notes: _,
            hours_per_month: _,
            msp_rate_per_hour: _,
            msp_cost_per_hour: _,
            labor_source: _,
            destinations: _,
        } = mine;
        self.begin(Part::PriceBook, "Price book".to_owned());
        let b = Some(base);
        let mut merged = PriceBook {
            name: self.value("name", b.map(|x| &x.name), &mine.name, &theirs.name),
            currency: self.value(
                "currency",
                b.map(|x| &x.currency),
                &mine.currency,
                &theirs.currency,
            ),
            as_of: self.value("as_of", b.map(|x| &x.as_of), &mine.as_of, &theirs.as_of),
            notes: self.value("notes", b.map(|x| &x.notes), &mine.notes, &theirs.notes),
            hours_per_month: self.value(
                "hours_per_month",
                b.map(|x| &x.hours_per_month),
                &mine.hours_per_month,
                &theirs.hours_per_month,
            ),
            msp_rate_per_hour: self.value(
                "msp_rate_per_hour",
                b.map(|x| &x.msp_rate_per_hour),
                &mine.msp_rate_per_hour,
                &theirs.msp_rate_per_hour,
            ),
            msp_cost_per_hour: self.value(
                "msp_cost_per_hour",
                b.map(|x| &x.msp_cost_per_hour),
                &mine.msp_cost_per_hour,
                &theirs.msp_cost_per_hour,
            ),
            labor_source: self.value(
                "labor_source",
                b.map(|x| &x.labor_source),
                &mine.labor_source,
                &theirs.labor_source,
            ),
            destinations: mine.destinations.clone(),
        };
        for destination in Destination::ALL {
            let terms = self.terms(
                destination,
                base.destinations.get(destination),
                mine.destinations.get(destination),
                theirs.destinations.get(destination),
            );
            *merged.destinations.get_mut(destination) = terms;
        }
        self.end();
        // Rate lines are parts of their own: each can be taken alone.
        for destination in Destination::ALL {
            for list in RateList::ALL {
                let lines = self.rate_lines(
                    destination,
                    list,
                    list.of(base.destinations.get(destination)),
                    list.of(mine.destinations.get(destination)),
                    list.of(theirs.destinations.get(destination)),
                );
                *list.of_mut(merged.destinations.get_mut(destination)) = lines;
            }
        }
        merged
    }

    /// A destination's terms other than its rate lines (those keep mine's for now).
    fn terms(
        &mut self,
        destination: Destination,
        base: &DestinationTerms,
        mine: &DestinationTerms,
        theirs: &DestinationTerms,
    ) -> DestinationTerms {
        let DestinationTerms {
            label: _,
            hosts: _,
            recurring: _,
            msp_fees: _,
            msp_costs: _,
            partner_fee_first_year_pct: _,
            partner_fee_recurring_pct: _,
            msp_labor_hours: _,
            migration_hours: _,
            terms_source: _,
            purchase_terms: _,
            partner_fee_rules: _,
        } = mine;
        let at = |field: &str| format!("destinations.{}.{field}", destination.key());
        let b = Some(base);
        let mut merged = mine.clone();
        merged.label = self.value(
            &at("label"),
            b.map(|x| &x.label),
            &mine.label,
            &theirs.label,
        );
        merged.hosts = self.value(
            &at("hosts"),
            b.map(|x| &x.hosts),
            &mine.hosts,
            &theirs.hosts,
        );
        merged.partner_fee_first_year_pct = self.value(
            &at("partner_fee_first_year_pct"),
            b.map(|x| &x.partner_fee_first_year_pct),
            &mine.partner_fee_first_year_pct,
            &theirs.partner_fee_first_year_pct,
        );
        merged.partner_fee_recurring_pct = self.value(
            &at("partner_fee_recurring_pct"),
            b.map(|x| &x.partner_fee_recurring_pct),
            &mine.partner_fee_recurring_pct,
            &theirs.partner_fee_recurring_pct,
        );
        let (bl, ml, tl) = (
            &base.msp_labor_hours,
            &mine.msp_labor_hours,
            &theirs.msp_labor_hours,
        );
        merged.msp_labor_hours.per_workload_month = self.value(
            &at("msp_labor_hours.per_workload_month"),
            Some(&bl.per_workload_month),
            &ml.per_workload_month,
            &tl.per_workload_month,
        );
        merged.msp_labor_hours.per_server_month = self.value(
            &at("msp_labor_hours.per_server_month"),
            Some(&bl.per_server_month),
            &ml.per_server_month,
            &tl.per_server_month,
        );
        merged.msp_labor_hours.per_user_month = self.value(
            &at("msp_labor_hours.per_user_month"),
            Some(&bl.per_user_month),
            &ml.per_user_month,
            &tl.per_user_month,
        );
        let (bm, mm, tm) = (
            &base.migration_hours,
            &mine.migration_hours,
            &theirs.migration_hours,
        );
        merged.migration_hours.per_workload = self.value(
            &at("migration_hours.per_workload"),
            Some(&bm.per_workload),
            &mm.per_workload,
            &tm.per_workload,
        );
        merged.migration_hours.per_user = self.value(
            &at("migration_hours.per_user"),
            Some(&bm.per_user),
            &mm.per_user,
            &tm.per_user,
        );
        merged.migration_hours.per_server = self.value(
            &at("migration_hours.per_server"),
            Some(&bm.per_server),
            &mm.per_server,
            &tm.per_server,
        );
        merged.migration_hours.per_100_gb = self.value(
            &at("migration_hours.per_100_gb"),
            Some(&bm.per_100_gb),
            &mm.per_100_gb,
            &tm.per_100_gb,
        );
        merged.terms_source = self.value(
            &at("terms_source"),
            b.map(|x| &x.terms_source),
            &mine.terms_source,
            &theirs.terms_source,
        );
        // The terms and fee rules are merged as whole lists: a term's figures only make sense
        // together (a discount with its commitment).
        merged.purchase_terms = self.value(
            &at("purchase_terms"),
            b.map(|x| &x.purchase_terms),
            &mine.purchase_terms,
            &theirs.purchase_terms,
        );
        merged.partner_fee_rules = self.value(
            &at("partner_fee_rules"),
            b.map(|x| &x.partner_fee_rules),
            &mine.partner_fee_rules,
            &theirs.partner_fee_rules,
        );
        merged
    }

    fn rate_lines(
        &mut self,
        destination: Destination,
        list: RateList,
        base: &[RateLine],
        mine: &[RateLine],
        theirs: &[RateLine],
    ) -> Vec<RateLine> {
        let mut merged = Vec::new();
        for ((label, occurrence), trio) in align(base, mine, theirs, |l| l.label.clone()) {
            let part = Part::RateLine {
                destination,
                list,
                label: label.clone(),
                occurrence,
            };
            self.begin(
                part,
                format!("{} {}: {label}", destination.label(), list.label()),
            );
            let decision = self.decide(&trio, &format!("\"{label}\""), |_, base, line| {
                field_names(base, line)
            });
            match decision {
                Decision::Merge(b, m, t) => {
                    let RateLine {
                        label: _,
                        basis: _,
                        unit_price: _,
                        categories: _,
                        source: _,
                        licence: _,
                    } = m;
                    merged.push(RateLine {
                        label: m.label.clone(),
                        basis: self.value("basis", b.map(|x| &x.basis), &m.basis, &t.basis),
                        unit_price: self.value(
                            "unit_price",
                            b.map(|x| &x.unit_price),
                            &m.unit_price,
                            &t.unit_price,
                        ),
                        categories: self.value(
                            "categories",
                            b.map(|x| &x.categories),
                            &m.categories,
                            &t.categories,
                        ),
                        source: self.value("source", b.map(|x| &x.source), &m.source, &t.source),
                        licence: self.value(
                            "licence",
                            b.map(|x| &x.licence),
                            &m.licence,
                            &t.licence,
                        ),
                    });
                }
                Decision::Keep(line, _) => merged.push(line.clone()),
                Decision::Absent => {}
            }
            self.end();
        }
        merged
    }

    fn control_model(
        &mut self,
        base: &ControlModel,
        mine: &ControlModel,
        theirs: &ControlModel,
    ) -> ControlModel {
        let ControlModel { dimensions: _ } = mine;
        let mut dimensions = Vec::new();
        for ((name, occurrence), trio) in align(
            &base.dimensions,
            &mine.dimensions,
            &theirs.dimensions,
            |d| d.name.clone(),
        ) {
            self.begin(
                Part::ControlDimension {
                    name: name.clone(),
                    occurrence,
                },
                name.clone(),
            );
            let decision = self.decide(&trio, &format!("\"{name}\""), |_, base, dimension| {
                field_names(base, dimension)
            });
            match decision {
                Decision::Merge(b, m, t) => {
                    let ControlDimension {
                        name: _,
                        weight: _,
                        levels: _,
                    } = m;
                    let mut dimension = m.clone();
                    dimension.weight =
                        self.value("weight", b.map(|x| &x.weight), &m.weight, &t.weight);
                    for destination in Destination::ALL {
                        *dimension.levels.get_mut(destination) = self.value(
                            &format!("levels.{}", destination.key()),
                            b.map(|x| x.levels.get(destination)),
                            m.levels.get(destination),
                            t.levels.get(destination),
                        );
                    }
                    dimensions.push(dimension);
                }
                Decision::Keep(dimension, _) => dimensions.push(dimension.clone()),
                Decision::Absent => {}
            }
            self.end();
        }
        ControlModel { dimensions }
    }

    /// The merged workloads, and what became of each workload one copy removed.
    fn workloads(
        &mut self,
        base: &Plan,
        mine: &Plan,
        theirs: &Plan,
    ) -> (Vec<Workload>, BTreeMap<String, Fate>) {
        let mut merged = Vec::new();
        let mut fates = BTreeMap::new();
        for ((id, _), trio) in align(&base.workloads, &mine.workloads, &theirs.workloads, |w| {
            w.id.clone()
        }) {
            let name = trio
                .mine
                .or(trio.theirs)
                .or(trio.base)
                .map_or("", |w| w.name.as_str());
            let label = format!("{name} ({id})");
            self.begin(Part::Workload(id.clone()), label.clone());
            let removed_by_one =
                trio.base.is_some() && (trio.mine.is_none() != trio.theirs.is_none());
            let decision = self.decide(&trio, &label, |side, base_workload, workload| {
                let plan = match side {
                    Side::Mine => mine,
                    Side::Theirs => theirs,
                };
                workload_changes(base, base_workload, plan, workload)
            });
            match decision {
                Decision::Merge(b, m, t) => merged.push(self.workload(b, m, t)),
                Decision::Keep(workload, side) => {
                    if removed_by_one {
                        fates.insert(id.clone(), Fate::Kept(side));
                    }
                    merged.push(workload.clone());
                }
                Decision::Absent => {
                    if removed_by_one {
                        fates.insert(id.clone(), Fate::Removed);
                    }
                }
            }
            self.end();
        }
        (merged, fates)
    }

    fn workload(
        &mut self,
        base: Option<&Workload>,
        mine: &Workload,
        theirs: &Workload,
    ) -> Workload {
        let Workload {
            id: _,
            name: _,
            category: _,
            users: _,
            servers: _,
            storage_gb: _,
            egress_gb_per_month: _,
            criticality: _,
            current: _,
            current_monthly_override_cents: _,
            constraints: _,
            notes: _,
            licences_with_sa: _,
        } = mine;
        let b = base;
        let mut merged = mine.clone();
        merged.name = self.value("name", b.map(|x| &x.name), &mine.name, &theirs.name);
        merged.category = self.value(
            "category",
            b.map(|x| &x.category),
            &mine.category,
            &theirs.category,
        );
        merged.users = self.value("users", b.map(|x| &x.users), &mine.users, &theirs.users);
        merged.servers = self.value(
            "servers",
            b.map(|x| &x.servers),
            &mine.servers,
            &theirs.servers,
        );
        merged.storage_gb = self.value(
            "storage_gb",
            b.map(|x| &x.storage_gb),
            &mine.storage_gb,
            &theirs.storage_gb,
        );
        merged.egress_gb_per_month = self.value(
            "egress_gb_per_month",
            b.map(|x| &x.egress_gb_per_month),
            &mine.egress_gb_per_month,
            &theirs.egress_gb_per_month,
        );
        merged.criticality = self.value(
            "criticality",
            b.map(|x| &x.criticality),
            &mine.criticality,
            &theirs.criticality,
        );
        merged.current = self.value(
            "current",
            b.map(|x| &x.current),
            &mine.current,
            &theirs.current,
        );
        merged.current_monthly_override_cents = self.value(
            "current_monthly_override_cents",
            b.map(|x| &x.current_monthly_override_cents),
            &mine.current_monthly_override_cents,
            &theirs.current_monthly_override_cents,
        );
        merged.constraints.needs_os_admin = self.value(
            "constraints.needs_os_admin",
            b.map(|x| &x.constraints.needs_os_admin),
            &mine.constraints.needs_os_admin,
            &theirs.constraints.needs_os_admin,
        );
        merged.constraints.data_must_stay_onsite = self.value(
            "constraints.data_must_stay_onsite",
            b.map(|x| &x.constraints.data_must_stay_onsite),
            &mine.constraints.data_must_stay_onsite,
            &theirs.constraints.data_must_stay_onsite,
        );
        merged.constraints.custom_code = self.value(
            "constraints.custom_code",
            b.map(|x| &x.constraints.custom_code),
            &mine.constraints.custom_code,
            &theirs.constraints.custom_code,
        );
        merged.notes = self.value("notes", b.map(|x| &x.notes), &mine.notes, &theirs.notes);
        merged.licences_with_sa = self.value(
            "licences_with_sa",
            b.map(|x| &x.licences_with_sa),
            &mine.licences_with_sa,
            &theirs.licences_with_sa,
        );
        merged
    }

    fn scenarios(
        &mut self,
        base: &Plan,
        mine: &Plan,
        theirs: &Plan,
        fates: &BTreeMap<String, Fate>,
        dropped: &BTreeSet<&str>,
    ) -> Vec<Scenario> {
        let removed_in = |plan: &Plan| -> BTreeSet<String> {
            let ids: BTreeSet<&str> = plan.workloads.iter().map(|w| w.id.as_str()).collect();
            base.workloads
                .iter()
                .filter(|w| !ids.contains(w.id.as_str()))
                .map(|w| w.id.clone())
                .collect()
        };
        let (removed_in_mine, removed_in_theirs) = (removed_in(mine), removed_in(theirs));
        let mut merged = Vec::new();
        for ((name, _), trio) in align(&base.scenarios, &mine.scenarios, &theirs.scenarios, |s| {
            s.name.clone()
        }) {
            self.begin(Part::Scenario(name.clone()), format!("\"{name}\""));
            let decision = self.decide(&trio, &format!("\"{name}\""), |side, base, scenario| {
                let removed = match side {
                    Side::Mine => &removed_in_mine,
                    Side::Theirs => &removed_in_theirs,
                };
                scenario_changes(base, scenario, removed)
            });
            match decision {
                Decision::Merge(b, m, t) => merged.push(self.scenario(b, m, t, fates, dropped)),
                Decision::Keep(scenario, _) => merged.push(scenario.clone()),
                Decision::Absent => {}
            }
            self.end();
        }
        merged
    }

    fn scenario(
        &mut self,
        base: Option<&Scenario>,
        mine: &Scenario,
        theirs: &Scenario,
        fates: &BTreeMap<String, Fate>,
        dropped: &BTreeSet<&str>,
    ) -> Scenario {
        let Scenario {
            name: _,
            notes: _,
            choices: _,
        } = mine;
        let notes = self.value("notes", base.map(|x| &x.notes), &mine.notes, &theirs.notes);
        let ids: BTreeSet<&String> = base
            .into_iter()
            .flat_map(|s| s.choices.keys())
            .chain(mine.choices.keys())
            .chain(theirs.choices.keys())
            .collect();
        let mut choices = BTreeMap::new();
        for id in ids {
            let (mine_choice, theirs_choice) = (
                mine.choices.get(id).copied(),
                theirs.choices.get(id).copied(),
            );
            let choice = if dropped.contains(id.as_str()) {
                // The workload is gone, and its choices with it.
                None
            } else if let Some(Fate::Kept(side)) = fates.get(id) {
                // One copy removed the workload (and its choices); the other kept it, and its
                // choices come with it.
                match side {
                    Side::Mine => mine_choice,
                    Side::Theirs => theirs_choice,
                }
            } else {
                let base_choice = base.map(|s| s.choices.get(id).copied());
                self.value(
                    &format!("choices.{id}"),
                    base_choice.as_ref(),
                    &mine_choice,
                    &theirs_choice,
                )
            };
            if let Some(choice) = choice {
                choices.insert(id.clone(), choice);
            }
        }
        Scenario {
            name: mine.name.clone(),
            notes,
            choices,
        }
    }
}

/// What `plan` changed in a workload since `base`: its fields, and its choice in each
/// scenario both have.
fn workload_changes(
    base: &Plan,
    base_workload: &Workload,
    plan: &Plan,
    workload: &Workload,
) -> Vec<String> {
    let mut what = field_names(base_workload, workload);
    for scenario in &base.scenarios {
        if let Some(other) = plan.scenario(&scenario.name)
            && scenario.choices.get(&workload.id) != other.choices.get(&workload.id)
        {
            what.push(format!("its choice in \"{}\"", scenario.name));
        }
    }
    what
}

/// What a copy changed in a scenario since `base`, leaving out the choices of workloads that
/// copy removed (those went with the workload).
fn scenario_changes(
    base: &Scenario,
    scenario: &Scenario,
    removed: &BTreeSet<String>,
) -> Vec<String> {
    let mut what = Vec::new();
    if base.notes != scenario.notes {
        what.push("notes".to_owned());
    }
    let ids: BTreeSet<&String> = base.choices.keys().chain(scenario.choices.keys()).collect();
    for id in ids {
        if !removed.contains(id) && base.choices.get(id) != scenario.choices.get(id) {
            what.push(format!("choices.{id}"));
        }
    }
    what
}

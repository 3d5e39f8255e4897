//! The account plan: one customer, everything needed to price and score its workloads.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::category::{Category, loose_key};
use super::destination::{Destination, PerDestination};
use super::number::{Cents, decimal_as_number};
use super::price_book::PriceBook;
use super::terms::{Offer, TermKind};

/// The plan file format this build writes. Older versions are migrated on load; newer ones
/// are refused with an explanation (the app opens them read-only).
///
/// - 1: the first format.
/// - 2: history entries record the Keyholder that saved them and the content id of the
///   version they wrote.
/// - 3: commercial terms: a destination's purchase terms and term-dependent partner fees,
///   rate lines that carry a licence, a workload's licences with Software Assurance, and a
///   choice's term and Hybrid Benefit. A version 2 Keyholder would drop these on save, so
///   it opens a version 3 file read-only.
///
/// Every field a version added has a default that means what the older version did (a
/// destination without terms is bought pay as you go at its list price), so an older file
/// reads as the current version as it is and prices exactly as before.
pub const FORMAT_VERSION: u32 = 3;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Plan {
    /// Always the first field of a file, so a reader can tell the version before anything else.
    pub format_version: u32,
    pub customer: Customer,
    pub assumptions: Assumptions,
    pub price_book: PriceBook,
    pub control_model: ControlModel,
    #[serde(default)]
    pub workloads: Vec<Workload>,
    #[serde(default)]
    pub scenarios: Vec<Scenario>,
    #[serde(default)]
    pub history: Vec<HistoryEntry>,
    /// The scenario the account manager recommends to the customer, with why; the reports
    /// recommend only this one (none chosen: they present the scenarios side by side).
    #[serde(default)]
    pub recommended: Option<RecommendedScenario>,
}

impl Plan {
    /// A new plan with the defaults of a new customer: the given price book, a 36-month
    /// horizon, 7 % discount rate, no growth, the default control model and one scenario,
    /// "Status quo".
    #[must_use]
    pub fn new(customer_name: &str, start_month: YearMonth, price_book: PriceBook) -> Self {
        Self {
            format_version: FORMAT_VERSION,
            customer: Customer {
                name: customer_name.to_owned(),
                ..Customer::default()
            },
            assumptions: Assumptions {
                start_month,
                ..Assumptions::default()
            },
            price_book,
            control_model: ControlModel::default(),
            workloads: Vec::new(),
            scenarios: vec![Scenario::status_quo()],
            history: Vec::new(),
            recommended: None,
        }
    }

    #[must_use]
    pub fn workload(&self, id: &str) -> Option<&Workload> {
        self.workloads.iter().find(|w| w.id == id)
    }

    /// Where the workload with this id is in the list.
    #[must_use]
    pub fn workload_index(&self, id: &str) -> Option<usize> {
        self.workloads.iter().position(|w| w.id == id)
    }

    #[must_use]
    pub fn scenario(&self, name: &str) -> Option<&Scenario> {
        self.scenarios.iter().find(|s| s.name == name)
    }

    /// The recommended scenario's index in [`Self::scenarios`], when one is chosen and the
    /// plan has it.
    #[must_use]
    pub fn recommended_index(&self) -> Option<usize> {
        let wanted = self.recommended.as_ref()?;
        self.scenarios
            .iter()
            .position(|s| s.name == wanted.scenario)
    }

    /// An id not used by any workload yet, derived from `base` (`exchange`, `exchange-2`, …).
    /// To make many ids at once, use one [`WorkloadIds`], which takes linear time in all.
    #[must_use]
    pub fn unused_workload_id(&self, base: &str) -> String {
        WorkloadIds::of_plan(self).unused(base)
    }
}

/// The workload ids in use, for making many new unique ids: each [`WorkloadIds::unused`]
/// remembers where the numbering of its base stopped, so 3,000 servers with the same name
/// take linear time, not a search from `-2` for each.
#[derive(Debug, Clone, Default)]
pub struct WorkloadIds {
    used: HashSet<String>,
    /// Per slug, the next suffix worth trying.
    next_suffix: HashMap<String, u64>,
}

impl WorkloadIds {
    /// The ids of the plan's workloads.
    #[must_use]
    pub fn of_plan(plan: &Plan) -> Self {
        let mut ids = Self::default();
        for w in &plan.workloads {
            ids.reserve(&w.id);
        }
        ids
    }

    /// Marks `id` as used; false when it already was.
    pub fn reserve(&mut self, id: &str) -> bool {
        self.used.insert(id.to_owned())
    }

    #[must_use]
    pub fn is_used(&self, id: &str) -> bool {
        self.used.contains(id)
    }

    /// An id derived from `base` as [`Plan::unused_workload_id`] makes it, now reserved.
    pub fn unused(&mut self, base: &str) -> String {
        let slug = slug(base);
        let id = if self.used.contains(&slug) {
            let next = self.next_suffix.entry(slug.clone()).or_insert(2);
            loop {
                let candidate = format!("{slug}-{next}");
                *next += 1;
                if !self.used.contains(&candidate) {
                    break candidate;
                }
            }
        } else {
            slug
        };
        self.used.insert(id.clone());
        id
    }
}

/// `base` as an id: lower-case ASCII letters and digits, runs of anything else as one `-`;
/// `workload` when nothing is left.
fn slug(base: &str) -> String {
    let slug: String = base
        .trim()
        .to_ascii_lowercase()
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect::<String>()
        .split('-')
        .filter(|part| !part.is_empty())
        .collect::<Vec<_>>()
        .join("-");
    if slug.is_empty() {
        "workload".to_owned()
    } else {
        slug
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Customer {
    pub name: String,
    pub industry: String,
    pub seats: u32,
    pub sites: u32,
    pub contact: String,
    /// 1 = January.
    pub fiscal_year_start_month: u8,
    pub account_manager: String,
    pub notes: String,
}

impl Default for Customer {
    fn default() -> Self {
        Self {
            name: String::new(),
            industry: String::new(),
            seats: 0,
            sites: 1,
            contact: String::new(),
            fiscal_year_start_month: 1,
            account_manager: String::new(),
            notes: String::new(),
        }
    }
}

/// A calendar month, written `"YYYY-MM"` in files.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct YearMonth {
    pub year: i32,
    /// 1 = January.
    pub month: u8,
}

impl YearMonth {
    /// # Errors
    /// A message when the text is not `YYYY-MM` with a month 01–12.
    pub fn parse(text: &str) -> Result<Self, String> {
        let bad = || format!("'{text}' is not a month; write YYYY-MM, e.g. 2026-01");
        let (year, month) = text.trim().split_once('-').ok_or_else(bad)?;
        if year.len() != 4 || month.len() != 2 {
            return Err(bad());
        }
        let year: i32 = year.parse().map_err(|_| bad())?;
        let month: u8 = month.parse().map_err(|_| bad())?;
        if !(1..=12).contains(&month) {
            return Err(bad());
        }
        Ok(Self { year, month })
    }

    /// The month `offset` months later.
    #[must_use]
    pub fn plus_months(self, offset: u32) -> Self {
        let index = i64::from(self.year) * 12 + i64::from(self.month) - 1 + i64::from(offset);
        Self {
            year: i32::try_from(index.div_euclid(12)).unwrap_or(i32::MAX),
            month: u8::try_from(index.rem_euclid(12) + 1).unwrap_or(1),
        }
    }
}

impl Default for YearMonth {
    fn default() -> Self {
        Self {
            year: 2010,
            month: 2,
        }
    }
}

impl fmt::Display for YearMonth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}", self.year, self.month)
    }
}

impl Serialize for YearMonth {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for YearMonth {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        Self::parse(&text).map_err(serde::de::Error::custom)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Assumptions {
    pub start_month: YearMonth,
    /// 1–120 months.
    pub horizon_months: u32,
    /// Annual discount rate for NPV, percent.
    #[serde(with = "decimal_as_number")]
    pub discount_rate_pct: Decimal,
    /// Annual growth of recurring cost, percent, applied per whole plan year.
    #[serde(with = "decimal_as_number")]
    pub growth_pct: Decimal,
}

impl Default for Assumptions {
    fn default() -> Self {
        Self {
            start_month: YearMonth::default(),
            horizon_months: 36,
            discount_rate_pct: Decimal::from(7),
            growth_pct: Decimal::ZERO,
        }
    }
}

#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum Criticality {
    Low,
    #[default]
    Medium,
    High,
    Critical,
}

impl Criticality {
    pub const ALL: [Self; 4] = [Self::Low, Self::Medium, Self::High, Self::Critical];

    /// The weight of a workload in the plan's control score.
    #[must_use]
    pub const fn importance(self) -> u32 {
        match self {
            Self::Low => 1,
            Self::Medium => 2,
            Self::High => 3,
            Self::Critical => 5,
        }
    }

    /// Parses the file spelling (`critical`), ignoring case and surrounding spaces.
    #[must_use]
    pub fn parse(text: &str) -> Option<Self> {
        let wanted = loose_key(text);
        Self::ALL.into_iter().find(|c| c.key() == wanted)
    }

    #[must_use]
    pub const fn key(self) -> &'static str {
        match self {
            Self::Low => "low",
            Self::Medium => "medium",
            Self::High => "high",
            Self::Critical => "critical",
        }
    }
}

/// Rules that take destinations off the table for a workload.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Constraints {
    /// The MSP needs administrator access to the OS: no Azure PaaS, no BPOS.
    pub needs_os_admin: bool,
    /// The data may not leave the customer's premises: on-premises only.
    pub data_must_stay_onsite: bool,
    /// Runs custom code: no BPOS.
    pub custom_code: bool,
}

impl Constraints {
    /// Whether the constraints leave `destination` open.
    #[must_use]
    pub fn allow(self, destination: Destination) -> bool {
        if self.data_must_stay_onsite && destination != Destination::OnPremises {
            return false;
        }
        if self.needs_os_admin && matches!(destination, Destination::AzurePaas | Destination::Bpos)
        {
            return false;
        }
        !(self.custom_code && destination == Destination::Bpos)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Workload {
    /// Stable and unique in the plan; scenarios and plan comparison refer to it.
    pub id: String,
    pub name: String,
    pub category: Category,
    #[serde(default)]
    pub users: u32,
    /// Server instances it runs on today.
    #[serde(default)]
    pub servers: u32,
    #[serde(default, with = "decimal_as_number")]
    pub storage_gb: Decimal,
    #[serde(default, with = "decimal_as_number")]
    pub egress_gb_per_month: Decimal,
    #[serde(default)]
    pub criticality: Criticality,
    pub current: Destination,
    /// The real monthly cost today, when the MSP knows it.
    #[serde(default)]
    pub current_monthly_override_cents: Option<Cents>,
    #[serde(default)]
    pub constraints: Constraints,
    #[serde(default)]
    pub notes: String,
    /// The customer owns the Windows Server / SQL Server licences it needs, with Software
    /// Assurance, so a scenario may apply Azure Hybrid Benefit to it.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub licences_with_sa: bool,
}

impl Workload {
    /// A workload with the given id, name and category, running on-premises on one server.
    #[must_use]
    pub fn new(id: &str, name: &str, category: Category) -> Self {
        Self {
            id: id.to_owned(),
            name: name.to_owned(),
            category,
            users: 0,
            servers: 1,
            storage_gb: Decimal::ZERO,
            egress_gb_per_month: Decimal::ZERO,
            criticality: Criticality::Medium,
            current: Destination::OnPremises,
            current_monthly_override_cents: None,
            constraints: Constraints::default(),
            notes: String::new(),
            licences_with_sa: false,
        }
    }
}

/// A named choice of destination (and move month) per workload. Workloads it does not name
/// stay where they are.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Scenario {
    pub name: String,
    #[serde(default)]
    pub notes: String,
    /// Keyed by workload id. A file that lists an id twice is refused (a map would keep one
    /// silently, and the next save would drop the other).
    #[serde(default, deserialize_with = "unique_choices")]
    pub choices: BTreeMap<String, Choice>,
}

/// A scenario's choices, refusing an id listed twice: the error is raised right after the
/// second key is read, so the reader's position points at it.
fn unique_choices<'de, D: serde::Deserializer<'de>>(
    deserializer: D,
) -> Result<BTreeMap<String, Choice>, D::Error> {
    struct Choices;

    impl<'de> serde::de::Visitor<'de> for Choices {
        type Value = BTreeMap<String, Choice>;

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a map from workload id to (destination, move_month)")
        }

        fn visit_map<A: serde::de::MapAccess<'de>>(
            self,
            mut map: A,
        ) -> Result<Self::Value, A::Error> {
            let mut choices = BTreeMap::new();
            while let Some(id) = map.next_key::<String>()? {
                if choices.contains_key(&id) {
                    return Err(serde::de::Error::custom(format!(
                        "workload \"{id}\" is listed twice in this scenario's choices; keep one (otherwise the next save would drop the other)"
                    )));
                }
                let choice = map.next_value::<Choice>()?;
                choices.insert(id, choice);
            }
            Ok(choices)
        }
    }

    deserializer.deserialize_map(Choices)
}

impl Scenario {
    pub const STATUS_QUO: &'static str = "Status quo";

    #[must_use]
    pub fn status_quo() -> Self {
        Self {
            name: Self::STATUS_QUO.to_owned(),
            ..Self::default()
        }
    }
}

/// The account manager's recommendation: a scenario of the plan, by name, and an optional
/// short rationale the customer reads beside it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecommendedScenario {
    /// The name of one of the plan's scenarios.
    pub scenario: String,
    /// Why, in a sentence or two (may be empty).
    #[serde(default)]
    pub rationale: String,
}

impl RecommendedScenario {
    /// Longest rationale kept, in characters: a short paragraph on the report's first page.
    pub const MAX_RATIONALE_CHARS: usize = 600;
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Choice {
    pub destination: Destination,
    /// Month index from the plan's start month (0 = the first month) in which the move happens.
    #[serde(default)]
    pub move_month: u32,
    /// The purchase term; none: the destination's first term in the price book.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub term: Option<TermKind>,
    /// Azure Hybrid Benefit: the customer's own licences (with Software Assurance) replace
    /// the licence lines. Only for a workload with [`Workload::licences_with_sa`].
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub hybrid_benefit: bool,
}

impl Choice {
    /// A move to `destination` in `move_month`, on the destination's first term.
    #[must_use]
    pub const fn new(destination: Destination, move_month: u32) -> Self {
        Self {
            destination,
            move_month,
            term: None,
            hybrid_benefit: false,
        }
    }

    /// A move to `offer` in `move_month`.
    #[must_use]
    pub const fn of_offer(offer: Offer, move_month: u32) -> Self {
        Self {
            destination: offer.destination,
            move_month,
            term: Some(offer.term),
            hybrid_benefit: offer.hybrid_benefit,
        }
    }

    /// The offer this choice buys, with the book's first term when it names none.
    #[must_use]
    pub fn offer(&self, book: &PriceBook) -> Offer {
        Offer {
            destination: self.destination,
            term: self
                .term
                .unwrap_or_else(|| book.destinations.get(self.destination).default_term()),
            hybrid_benefit: self.hybrid_benefit,
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct HistoryEntry {
    pub saved_by: String,
    /// RFC 3339, UTC.
    pub saved_at: String,
    pub note: String,
    /// The Keyholder that saved it, e.g. `0.1.0 (commit 9ff6ca2d1e3f)` (empty in entries
    /// written by format version 1).
    pub keyholder_version: String,
    /// The content id of the version this save wrote: two copies of a plan name the last
    /// version they share by it. Absent in entries written before Keyholder recorded it
    /// (and then not written, so older files keep their bytes).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub content_id: Option<ContentId>,
}

/// Names one version of a plan's content: the SHA-256 of its canonical file text without
/// the history (see `storage::content_id`), in lowercase hex. Two plans with the same content
/// have the same id, whoever saved them and whenever.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct ContentId(String);

impl ContentId {
    /// An id from its text (as written in a file); any text is kept, so an id from a newer
    /// Keyholder is carried along even if this one cannot produce it.
    #[must_use]
    pub fn new(text: impl Into<String>) -> Self {
        Self(text.into())
    }

    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The first 12 characters, enough to tell versions apart on screen.
    #[must_use]
    pub fn short(&self) -> String {
        self.0.chars().take(12).collect()
    }
}

impl fmt::Display for ContentId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl Plan {
    /// The versions this plan descends from, newest first: the content ids its history
    /// records (each once).
    #[must_use]
    pub fn lineage(&self) -> Vec<&ContentId> {
        let mut seen = std::collections::BTreeSet::new();
        self.history
            .iter()
            .rev()
            .filter_map(|entry| entry.content_id.as_ref())
            .filter(|id| seen.insert(*id))
            .collect()
    }
}

/// How much of the environment the MSP controls on each destination.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ControlModel {
    pub dimensions: Vec<ControlDimension>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ControlDimension {
    pub name: String,
    #[serde(with = "decimal_as_number")]
    pub weight: Decimal,
    /// 0–100 per destination.
    #[serde(with = "per_destination_numbers")]
    pub levels: PerDestination<Decimal>,
}

impl Default for ControlModel {
    /// Microsoft's shared-responsibility model plus the partner's billing relationship.
    fn default() -> Self {
        let dimension = |name: &str, weight: i64, levels: [i64; 5]| ControlDimension {
            name: name.to_owned(),
            weight: Decimal::from(weight),
            levels: PerDestination::from_fn(|d| Decimal::from(levels[d.index()])),
        };
        Self {
            dimensions: vec![
                dimension("Physical hosts", 5, [100, 100, 0, 0, 0]),
                dimension("Network", 5, [100, 100, 50, 20, 0]),
                dimension("Operating system (admin access)", 25, [100, 100, 100, 0, 0]),
                dimension("Patch and change timing", 10, [100, 100, 100, 20, 0]),
                dimension(
                    "Applications and configuration",
                    10,
                    [100, 100, 100, 80, 30],
                ),
                dimension("Data and backup", 15, [100, 90, 70, 60, 40]),
                dimension("Monitoring (RMM agent, logs)", 10, [100, 100, 90, 40, 20]),
                dimension(
                    "Billing relationship (who invoices)",
                    20,
                    [100, 100, 20, 20, 0],
                ),
            ],
        }
    }
}

/// `PerDestination<Decimal>` written as plain numbers.
mod per_destination_numbers {
    use rust_decimal::Decimal;
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    use super::PerDestination;
    use crate::model::number::decimal_as_number;

    #[derive(Serialize, Deserialize)]
    #[serde(transparent)]
    struct Wrapped(#[serde(with = "decimal_as_number")] Decimal);

    pub fn serialize<S: Serializer>(
        value: &PerDestination<Decimal>,
        s: S,
    ) -> Result<S::Ok, S::Error> {
        let wrapped = PerDestination {
            on_premises: Wrapped(value.on_premises),
            msp_hosted: Wrapped(value.msp_hosted),
            azure_iaas: Wrapped(value.azure_iaas),
            azure_paas: Wrapped(value.azure_paas),
            bpos: Wrapped(value.bpos),
        };
        wrapped.serialize(s)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(
        d: D,
    ) -> Result<PerDestination<Decimal>, D::Error> {
        let w = PerDestination::<Wrapped>::deserialize(d)?;
        Ok(PerDestination {
            on_premises: w.on_premises.0,
            msp_hosted: w.msp_hosted.0,
            azure_iaas: w.azure_iaas.0,
            azure_paas: w.azure_paas.0,
            bpos: w.bpos.0,
        })
    }
}

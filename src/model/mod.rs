//! The account plan and every calculation on it: pure Rust, no UI and no file system.
//!
//! Everything a number on screen or in a report comes from lives here, so the command line
//! and the app always agree.

pub mod bounds;
mod category;
pub mod charts;
mod destination;
mod diff;
mod diff_rows;
mod engine;
mod merge;
mod number;
mod optimizer;
mod plan;
pub mod portfolio;
mod price_book;
mod terms;
mod validate;
mod warnings;

pub use category::Category;
pub use destination::{Destination, PerDestination};
pub use diff::{
    FieldChange, PlanDiff, ScenarioChange, TotalsChange, WorkloadChange, WorkloadRef, diff_plans,
    price_book_changes, try_diff_plans,
};
pub use diff_rows::{DiffRow, DiffSection};
pub use engine::{
    EngineError, Evaluation, Pricing, ScenarioTotals, WorkloadFigure, allowed_destinations,
    control_by_destination, is_allowed, migration_hours, price, try_price,
};
pub use merge::{
    Change, ChangeKey, ChangeKind, Part, PartMerge, Picks, PlanMerge, RateList, Side, merge_effect,
    merge_plans,
};
pub use number::{
    Cents, cents_from_amount, format_cents, format_control, parse_amount_cents, round_cents,
    round_control,
};
pub use optimizer::{
    Answer, CostMetric, Frontier, FrontierPoint, Guarantee, Optimizer, Resolution,
};
pub use plan::{
    Assumptions, Choice, Constraints, ContentId, ControlDimension, ControlModel, Criticality,
    Customer, FORMAT_VERSION, HistoryEntry, Plan, RecommendedScenario, Scenario, Workload,
    WorkloadIds, YearMonth,
};
pub use price_book::{Basis, DestinationTerms, LaborHours, MigrationHours, PriceBook, RateLine};
pub use terms::{
    ADMIN_ACCESS_DIMENSION, MAX_COMMITMENT_MONTHS, MAX_TERM_PCT, Offer, PartnerFeeRule,
    PurchaseTerm, TermKind, hybrid_benefit_applies,
};
pub use validate::{FieldStep, Issue, validate, validate_price_book};
pub use warnings::warnings;

pub(crate) use validate::{max_quantity, ruled_out_reason};

/// Decimal numbers as stored in plans (unit prices, hours, percentages, weights).
pub use rust_decimal::Decimal;

/// Serde helpers shared by the plan types.
pub mod serde_number {
    pub use super::number::decimal_as_number;
}

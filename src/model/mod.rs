//! The account plan and every calculation on it: pure Rust, no UI and no file system.
//!
//! Everything a number on screen or in a report comes from lives here, so the command line
//! and the app always agree.

pub mod charts;
mod destination;
mod diff;
mod engine;
mod number;
mod optimizer;
mod plan;
mod price_book;
mod validate;

pub use destination::{Destination, PerDestination};
pub use diff::{
    FieldChange, PlanDiff, ScenarioChange, TotalsChange, WorkloadChange, WorkloadRef, diff_plans,
    price_book_changes,
};
pub use engine::{
    Evaluation, Pricing, ScenarioTotals, allowed_destinations, control_by_destination, is_allowed,
    price,
};
pub use number::{
    Cents, cents_from_amount, format_cents, format_control, parse_amount_cents, round_cents,
    round_control,
};
pub use optimizer::{
    Answer, CostMetric, Frontier, FrontierPoint, Guarantee, Optimizer, Resolution,
};
pub use plan::{
    Assumptions, Category, Choice, Constraints, ControlDimension, ControlModel, Criticality,
    Customer, FORMAT_VERSION, HistoryEntry, Plan, Scenario, Workload, YearMonth,
};
pub use price_book::{Basis, DestinationTerms, LaborHours, MigrationHours, PriceBook, RateLine};
pub use validate::{Issue, validate, validate_price_book};

pub(crate) use plan::unused_id;
pub(crate) use validate::{max_quantity, ruled_out_reason};

/// Decimal numbers as stored in plans (unit prices, hours, percentages, weights).
pub use rust_decimal::Decimal;

/// Serde helpers shared by the plan types.
pub mod serde_number {
    pub use super::number::decimal_as_number;
}

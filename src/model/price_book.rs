//! The rates a plan is priced with. A plan carries a full copy, so a shared file prices the
//! same on every machine, and every price carries its source.

use std::collections::BTreeSet;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::category::Category;
use super::destination::PerDestination;
use super::number::decimal_as_number;

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct PriceBook {
    pub name: String,
    /// ISO 4217 code, e.g. `USD`.
    pub currency: String,
    /// When the prices were current, e.g. `2010-02`.
    pub as_of: String,
    #[serde(default)]
    pub notes: String,
    #[serde(with = "decimal_as_number")]
    pub hours_per_month: Decimal,
    /// What the MSP bills per hour (migration work).
    #[serde(with = "decimal_as_number")]
    pub msp_rate_per_hour: Decimal,
    /// What an hour of the MSP's own staff costs it.
    #[serde(with = "decimal_as_number")]
    pub msp_cost_per_hour: Decimal,
    /// Where the three figures above come from.
    #[serde(default)]
    pub labor_source: String,
    pub destinations: PerDestination<DestinationTerms>,
}

/// Everything the price book says about one destination.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct DestinationTerms {
    /// How the destination is named in this book (e.g. "Microsoft 365 (BPOS successor)").
    pub label: String,
    /// The workload categories this destination can host.
    pub hosts: BTreeSet<Category>,
    /// Paid by the customer to the provider (Microsoft, hardware, power, licences).
    #[serde(default)]
    pub recurring: Vec<RateLine>,
    /// Paid by the customer to the MSP (managed-service fees, hosting).
    #[serde(default)]
    pub msp_fees: Vec<RateLine>,
    /// The MSP's own non-labour costs of running it.
    #[serde(default)]
    pub msp_costs: Vec<RateLine>,
    /// Paid by the provider to the MSP, percent of the provider's recurring revenue, months 0–11.
    #[serde(default, with = "decimal_as_number")]
    pub partner_fee_first_year_pct: Decimal,
    /// As above, from month 12 on.
    #[serde(default, with = "decimal_as_number")]
    pub partner_fee_recurring_pct: Decimal,
    #[serde(default)]
    pub msp_labor_hours: LaborHours,
    #[serde(default)]
    pub migration_hours: MigrationHours,
    /// Where the partner fee, labour and migration figures come from.
    #[serde(default)]
    pub terms_source: String,
}

/// The MSP's own monthly effort to run a workload on a destination.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct LaborHours {
    #[serde(with = "decimal_as_number")]
    pub per_workload_month: Decimal,
    #[serde(with = "decimal_as_number")]
    pub per_server_month: Decimal,
    #[serde(with = "decimal_as_number")]
    pub per_user_month: Decimal,
}

/// One-time hours to move a workload onto a destination, billed at the MSP's rate.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct MigrationHours {
    #[serde(with = "decimal_as_number")]
    pub per_workload: Decimal,
    #[serde(with = "decimal_as_number")]
    pub per_user: Decimal,
    #[serde(with = "decimal_as_number")]
    pub per_server: Decimal,
    #[serde(with = "decimal_as_number")]
    pub per_100_gb: Decimal,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RateLine {
    pub label: String,
    pub basis: Basis,
    /// Price per unit of the basis, in currency units (not cents).
    #[serde(with = "decimal_as_number")]
    pub unit_price: Decimal,
    /// The categories the line applies to; empty means all.
    #[serde(default)]
    pub categories: BTreeSet<Category>,
    pub source: String,
}

impl RateLine {
    #[must_use]
    pub fn applies_to(&self, category: Category) -> bool {
        self.categories.is_empty() || self.categories.contains(&category)
    }
}

/// What a rate line is multiplied by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Basis {
    /// Quantity 1.
    Flat,
    /// Quantity = users.
    PerUser,
    /// Quantity = servers.
    PerServer,
    /// Quantity = servers × hours per month.
    PerServerHour,
    /// Quantity = storage in GB.
    PerGbStored,
    /// Quantity = egress GB per month.
    PerGbEgress,
}

impl Basis {
    pub const ALL: [Self; 6] = [
        Self::Flat,
        Self::PerUser,
        Self::PerServer,
        Self::PerServerHour,
        Self::PerGbStored,
        Self::PerGbEgress,
    ];

    #[must_use]
    pub const fn label(self) -> &'static str {
        match self {
            Self::Flat => "flat",
            Self::PerUser => "per user",
            Self::PerServer => "per server",
            Self::PerServerHour => "per server-hour",
            Self::PerGbStored => "per GB stored",
            Self::PerGbEgress => "per GB egress",
        }
    }
}

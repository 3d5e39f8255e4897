//! The rates a plan is priced with. A plan carries a full copy, so a shared file prices the
//! same on every machine, and every price carries its source.

use std::collections::BTreeSet;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::category::Category;
use super::destination::PerDestination;
use super::number::decimal_as_number;
use super::terms::{Offer, PartnerFeeRule, PurchaseTerm, TermKind};

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
    /// The ways the destination can be bought, the first being what a choice without a term
    /// means; none listed: pay as you go at the list price.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub purchase_terms: Vec<PurchaseTerm>,
    /// Partner fees that depend on the term (paid on top of the two percentages above).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub partner_fee_rules: Vec<PartnerFeeRule>,
}

impl PriceBook {
    /// How an offer is named on screen and in reports: "Azure IaaS", or "Azure IaaS · 3-year
    /// reservation, paid upfront + Hybrid Benefit" where the destination has a choice of
    /// terms (the term is named as the book names it).
    #[must_use]
    pub fn offer_label(&self, offer: &Offer) -> String {
        let entry = self.destinations.get(offer.destination);
        let term = entry.term(offer.term);
        let term_label = term.as_ref().map_or_else(
            || offer.term.label().to_owned(),
            |t| t.shown_label().to_owned(),
        );
        offer.label(
            &term_label,
            entry.has_term_choice() || offer.term != entry.default_term(),
        )
    }
}

impl DestinationTerms {
    /// The terms offered, in the book's order (the implicit list price when none is listed).
    #[must_use]
    pub fn offered_terms(&self) -> std::borrow::Cow<'_, [PurchaseTerm]> {
        if self.purchase_terms.is_empty() {
            std::borrow::Cow::Owned(vec![PurchaseTerm::list_price()])
        } else {
            std::borrow::Cow::Borrowed(&self.purchase_terms)
        }
    }

    /// The term a choice without one means: the first listed, or pay as you go.
    #[must_use]
    pub fn default_term(&self) -> TermKind {
        self.purchase_terms
            .first()
            .map_or(TermKind::PayAsYouGo, |t| t.kind)
    }

    /// The term of `kind`, when the destination offers it.
    #[must_use]
    pub fn term(&self, kind: TermKind) -> Option<PurchaseTerm> {
        if self.purchase_terms.is_empty() {
            return (kind == TermKind::PayAsYouGo).then(PurchaseTerm::list_price);
        }
        self.purchase_terms.iter().find(|t| t.kind == kind).cloned()
    }

    /// Whether the destination can be bought on more than one term.
    #[must_use]
    pub fn has_term_choice(&self) -> bool {
        self.purchase_terms.len() > 1
    }
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
    /// The price includes a Windows Server or SQL Server licence, which Azure Hybrid Benefit
    /// removes for a workload whose licences the customer owns with Software Assurance.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub licence: bool,
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

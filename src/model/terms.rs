//! Commercial terms: how a destination can be bought (pay as you go, reservations, savings
//! plans, Microsoft 365 billing terms), Azure Hybrid Benefit, and the partner fees that
//! depend on the term (partner-earned credit, CSP margin).
//!
//! A destination's price book entry lists its purchase terms; one that lists none is bought
//! pay as you go at its list price. A scenario chooses an [`Offer`] per workload: a
//! destination, one of its terms, and whether Hybrid Benefit is applied.

use std::collections::BTreeSet;
use std::fmt;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::destination::Destination;
use super::number::decimal_as_number;

/// Which commercial term a [`PurchaseTerm`] is. A destination lists each kind at most once,
/// so scenarios can name a term by its kind and stay valid when the book's figures change.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum TermKind {
    /// Azure consumption at the list price, no commitment.
    #[default]
    PayAsYouGo,
    /// Azure reservation for one year, paid upfront.
    #[serde(rename = "reservation_1_year_upfront")]
    Reservation1YearUpfront,
    /// Azure reservation for one year, paid monthly (the same total as upfront).
    #[serde(rename = "reservation_1_year_monthly")]
    Reservation1YearMonthly,
    /// Azure reservation for three years, paid upfront.
    #[serde(rename = "reservation_3_year_upfront")]
    Reservation3YearUpfront,
    /// Azure reservation for three years, paid monthly.
    #[serde(rename = "reservation_3_year_monthly")]
    Reservation3YearMonthly,
    /// Azure savings plan for compute, one year, paid monthly.
    #[serde(rename = "savings_plan_1_year")]
    SavingsPlan1Year,
    /// Azure savings plan for compute, three years, paid monthly.
    #[serde(rename = "savings_plan_3_year")]
    SavingsPlan3Year,
    /// Microsoft 365 monthly term: cancel any month, 20 % above the annual price.
    MonthlyTerm,
    /// Microsoft 365 annual commitment billed monthly: 5 % above the annual price.
    AnnualBilledMonthly,
    /// Microsoft 365 annual commitment paid upfront: the annual price.
    AnnualUpfront,
}

impl TermKind {
    pub const ALL: [Self; 10] = [
        Self::PayAsYouGo,
        Self::Reservation1YearUpfront,
        Self::Reservation1YearMonthly,
        Self::Reservation3YearUpfront,
        Self::Reservation3YearMonthly,
        Self::SavingsPlan1Year,
        Self::SavingsPlan3Year,
        Self::MonthlyTerm,
        Self::AnnualBilledMonthly,
        Self::AnnualUpfront,
    ];

    /// The spelling used in files, JSON and on the command line.
    #[must_use]
    pub const fn key(self) -> &'static str {
        match self {
            Self::PayAsYouGo => "pay_as_you_go",
            Self::Reservation1YearUpfront => "reservation_1_year_upfront",
            Self::Reservation1YearMonthly => "reservation_1_year_monthly",
            Self::Reservation3YearUpfront => "reservation_3_year_upfront",
            Self::Reservation3YearMonthly => "reservation_3_year_monthly",
            Self::SavingsPlan1Year => "savings_plan_1_year",
            Self::SavingsPlan3Year => "savings_plan_3_year",
            Self::MonthlyTerm => "monthly_term",
            Self::AnnualBilledMonthly => "annual_billed_monthly",
            Self::AnnualUpfront => "annual_upfront",
        }
    }

    /// How a person names it when the book gives no label.
    #[must_use]
    pub const fn label(self) -> &'static str {
        match self {
            Self::PayAsYouGo => "Pay as you go",
            Self::Reservation1YearUpfront => "1-year reservation, paid upfront",
            Self::Reservation1YearMonthly => "1-year reservation, paid monthly",
            Self::Reservation3YearUpfront => "3-year reservation, paid upfront",
            Self::Reservation3YearMonthly => "3-year reservation, paid monthly",
            Self::SavingsPlan1Year => "1-year savings plan",
            Self::SavingsPlan3Year => "3-year savings plan",
            Self::MonthlyTerm => "Monthly term",
            Self::AnnualBilledMonthly => "Annual, billed monthly",
            Self::AnnualUpfront => "Annual, paid upfront",
        }
    }

    /// The commitment in months and whether it is paid upfront, as Microsoft sells the kind:
    /// the defaults of a new term in the price book editor.
    #[must_use]
    pub const fn usual_commitment(self) -> (u32, bool) {
        match self {
            Self::PayAsYouGo | Self::MonthlyTerm => (0, false),
            Self::Reservation1YearUpfront | Self::AnnualUpfront => (12, true),
            Self::Reservation1YearMonthly | Self::SavingsPlan1Year | Self::AnnualBilledMonthly => {
                (12, false)
            }
            Self::Reservation3YearUpfront => (36, true),
            Self::Reservation3YearMonthly | Self::SavingsPlan3Year => (36, false),
        }
    }

    /// Parses the file spelling or the label, ignoring case, spaces and dashes.
    #[must_use]
    pub fn parse(text: &str) -> Option<Self> {
        let loose = |s: &str| {
            s.trim()
                .to_ascii_lowercase()
                .replace([' ', '-', ','], "_")
                .split('_')
                .filter(|p| !p.is_empty())
                .collect::<Vec<_>>()
                .join("_")
        };
        let wanted = loose(text);
        Self::ALL
            .into_iter()
            .find(|k| k.key() == wanted || loose(k.label()) == wanted)
    }
}

impl fmt::Display for TermKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

/// One way to buy a destination. Its monthly provider cost is the destination's recurring
/// lines (less the licence lines under Hybrid Benefit), with the lines the term covers
/// (`lines`; none named: all of them) summed and charged at `recurring_pct` / 100, rounded
/// to the cent. MSP fees and costs do not change with the term.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PurchaseTerm {
    pub kind: TermKind,
    /// How the book names it (empty: the kind's label).
    #[serde(default)]
    pub label: String,
    /// Percent of the recurring lines this term charges: 100 is the list price, 59 a 41 %
    /// reservation discount, 120 Microsoft 365's monthly term.
    #[serde(with = "decimal_as_number")]
    pub recurring_pct: Decimal,
    /// The labels of the recurring lines the percent applies to (a reservation covers the
    /// compute line, not storage or a Windows licence); empty: every recurring line.
    #[serde(default, skip_serializing_if = "BTreeSet::is_empty")]
    pub lines: BTreeSet<String>,
    /// Months the customer commits to (0: none). A commitment renews at its end; what runs
    /// past the plan's horizon is counted within the horizon only (and reported).
    #[serde(default)]
    pub commitment_months: u32,
    /// Each commitment period's provider cost is paid in its first month, not monthly.
    #[serde(default)]
    pub paid_upfront: bool,
    pub source: String,
}

impl PurchaseTerm {
    /// Whether the term's percent applies to the recurring line labelled `label`.
    #[must_use]
    pub fn covers(&self, label: &str) -> bool {
        self.lines.is_empty() || self.lines.contains(label)
    }

    /// The label shown: the book's, or the kind's when the book gives none.
    #[must_use]
    pub fn shown_label(&self) -> &str {
        if self.label.trim().is_empty() {
            self.kind.label()
        } else {
            &self.label
        }
    }

    /// The implicit term of a destination that lists none: pay as you go at the list price.
    #[must_use]
    pub fn list_price() -> Self {
        Self {
            kind: TermKind::PayAsYouGo,
            label: String::new(),
            recurring_pct: Decimal::ONE_HUNDRED,
            lines: BTreeSet::new(),
            commitment_months: 0,
            paid_upfront: false,
            source: String::new(),
        }
    }

    /// A new term of `kind` at the list price with the kind's usual commitment.
    #[must_use]
    pub fn new(kind: TermKind) -> Self {
        let (commitment_months, paid_upfront) = kind.usual_commitment();
        Self {
            kind,
            commitment_months,
            paid_upfront,
            ..Self::list_price()
        }
    }
}

/// A fee the provider pays the MSP, in percent of the provider's recurring revenue under the
/// terms it names: partner-earned credit (PEC) on pay-as-you-go Azure, a CSP reseller margin.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PartnerFeeRule {
    pub label: String,
    /// Percent of the recurring cost in the first 12 months on the destination.
    #[serde(with = "decimal_as_number")]
    pub first_year_pct: Decimal,
    /// Percent from the 13th month on.
    #[serde(with = "decimal_as_number")]
    pub recurring_pct: Decimal,
    /// The terms it is paid on; empty: every term.
    #[serde(default)]
    pub terms: BTreeSet<TermKind>,
    /// Paid only while the MSP keeps administrator access: the control model's
    /// [`ADMIN_ACCESS_DIMENSION`] is above 0 on the destination (PEC needs admin-on-behalf-of,
    /// Azure RBAC or Lighthouse access).
    #[serde(default)]
    pub needs_admin_access: bool,
    pub source: String,
}

impl PartnerFeeRule {
    #[must_use]
    pub fn applies_to(&self, kind: TermKind) -> bool {
        self.terms.is_empty() || self.terms.contains(&kind)
    }
}

/// The control dimension whose level says whether the MSP keeps administrator access on a
/// destination (matched ignoring case and surrounding spaces).
pub const ADMIN_ACCESS_DIMENSION: &str = "Operating system (admin access)";

/// A workload's destination as a scenario buys it: where, on which term, and whether Azure
/// Hybrid Benefit removes the licence lines.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Offer {
    pub destination: Destination,
    pub term: TermKind,
    pub hybrid_benefit: bool,
}

impl Offer {
    /// The destination on `term`, without Hybrid Benefit.
    #[must_use]
    pub const fn new(destination: Destination, term: TermKind) -> Self {
        Self {
            destination,
            term,
            hybrid_benefit: false,
        }
    }

    /// "Azure IaaS", "Azure IaaS · 3-year reservation, paid upfront + Hybrid Benefit": the
    /// destination, with the term's label when `show_term` (the destination offers more than
    /// one term).
    #[must_use]
    pub fn label(&self, term_label: &str, show_term: bool) -> String {
        let mut text = self.destination.label().to_owned();
        if show_term {
            text.push_str(" · ");
            text.push_str(term_label);
        }
        if self.hybrid_benefit {
            text.push_str(" + Hybrid Benefit");
        }
        text
    }
}

/// Whether Hybrid Benefit can apply on the destination at all: Azure's own rate lines only.
#[must_use]
pub const fn hybrid_benefit_applies(destination: Destination) -> bool {
    matches!(destination, Destination::AzureIaas | Destination::AzurePaas)
}

/// Percent a term may charge of the list price: 0–200 %.
pub const MAX_TERM_PCT: u32 = 200;

/// The longest commitment, in months (ten years, the longest horizon).
pub const MAX_COMMITMENT_MONTHS: u32 = 120;

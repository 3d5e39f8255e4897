//! Values at, inside and beyond every bound of a plan (`model::bounds`), for the property
//! tests that generate plans there: the model's (every accepted plan computes) and the app's
//! (every such plan opens and every view draws).

#![allow(dead_code, reason = "each test binary uses part of it")]

use keyholder::model::{Decimal, Destination, Plan};

fn dec(text: &str) -> Decimal {
    text.parse().expect("decimal")
}

/// One value a knob can set, and whether it lies beyond the field's bound.
pub type Setting = (&'static str, bool);

/// Values at, inside and beyond each bound, written as text so one list serves every type.
pub const KNOBS: [(&str, &[Setting]); 24] = [
    (
        "hours_per_month",
        &[
            ("730", false),
            ("744", false),
            ("744.01", true),
            ("0", true),
            ("10000000000000000000000000000", true),
        ],
    ),
    (
        "msp_rate_per_hour",
        &[
            ("125", false),
            ("100000", false),
            ("100000.5", true),
            ("-1", true),
            ("1000000000000000000000000000", true),
        ],
    ),
    (
        "msp_cost_per_hour",
        &[
            ("55", false),
            ("0", false),
            ("100000", false),
            ("100001", true),
        ],
    ),
    (
        "unit_price",
        &[
            ("0.15", false),
            ("0", false),
            ("1000000", false),
            ("1000000.01", true),
            ("-0.01", true),
            ("100000000000000000000", true),
        ],
    ),
    (
        "labor_per_user",
        &[
            ("0", false),
            ("0.1", false),
            ("10000", false),
            ("10000.01", true),
        ],
    ),
    (
        "migration_per_workload",
        &[("16", false), ("10000", false), ("10001", true)],
    ),
    (
        "partner_fee_pct",
        &[
            ("18", false),
            ("100", false),
            ("100.01", true),
            ("-1", true),
        ],
    ),
    (
        "users",
        &[
            ("0", false),
            ("120", false),
            ("10000000", false),
            ("10000001", true),
            ("4294967295", true),
        ],
    ),
    (
        "servers",
        &[
            ("0", false),
            ("2", false),
            ("100000", false),
            ("100001", true),
            ("4294967295", true),
        ],
    ),
    (
        "storage_gb",
        &[
            ("0", false),
            ("650.5", false),
            ("100000000", false),
            ("100000000.1", true),
            ("-1", true),
            ("10000000000000000000000000000", true),
        ],
    ),
    (
        "egress_gb_per_month",
        &[
            ("0", false),
            ("40", false),
            ("100000000", false),
            ("100000001", true),
        ],
    ),
    (
        "override",
        &[
            ("none", false),
            ("0", false),
            ("1000000000", false),
            ("1000000001", true),
            ("9223372036854775807", true),
            ("-1", true),
        ],
    ),
    (
        "horizon_months",
        &[
            ("1", false),
            ("36", false),
            ("120", false),
            ("121", true),
            ("0", true),
            ("4294967295", true),
        ],
    ),
    (
        "growth_pct",
        &[
            ("0", false),
            ("3.5", false),
            ("100", false),
            ("100.5", true),
            ("-1", true),
        ],
    ),
    (
        "discount_rate_pct",
        &[
            ("0", false),
            ("7", false),
            ("100", false),
            ("101", true),
            ("-50", true),
        ],
    ),
    (
        "level",
        &[
            ("0", false),
            ("55.5", false),
            ("100", false),
            ("100.01", true),
            ("-1", true),
        ],
    ),
    (
        "weight",
        &[
            ("0", false),
            ("25", false),
            ("10000", false),
            ("10000.5", true),
            ("100000000000000000000000", true),
        ],
    ),
    (
        "move_month",
        &[
            ("0", false),
            ("35", false),
            ("36", false),
            ("1200", false),
            ("1201", true),
            ("4294967295", true),
        ],
    ),
    (
        "seats",
        &[("0", false), ("10000000", false), ("10000001", true)],
    ),
    (
        "sites",
        &[("1", false), ("100000", false), ("100001", true)],
    ),
    (
        "fiscal_year_start_month",
        &[("1", false), ("12", false), ("13", true), ("0", true)],
    ),
    (
        "criticality_and_destination",
        &[("keep", false), ("critical", false)],
    ),
    // A second purchase term on a destination: its percent of the list price, and its
    // commitment (paid upfront).
    (
        "term_pct",
        &[
            ("59", false),
            ("0", false),
            ("200", false),
            ("200.01", true),
            ("-1", true),
            ("100000000000000000000", true),
        ],
    ),
    (
        "commitment_months",
        &[("12", false), ("120", false), ("121", true)],
    ),
];

/// Which value a knob sets: the same key means the same field, so a later setting
/// replaces an earlier one.
pub fn target(knob: &str, w: usize, d: usize) -> (&str, usize, usize) {
    match knob {
        "users"
        | "servers"
        | "storage_gb"
        | "egress_gb_per_month"
        | "override"
        | "criticality_and_destination" => (knob, w, 0),
        "unit_price"
        | "labor_per_user"
        | "migration_per_workload"
        | "partner_fee_pct"
        | "term_pct"
        | "commitment_months" => (knob, 0, d),
        "level" => (knob, w % 8, d),
        "weight" => (knob, w % 8, 0),
        _ => (knob, 0, 0),
    }
}

/// Sets knob `knob` to its `value` in `plan` (on workload `w` and destination `d` where
/// it applies).
pub fn apply(plan: &mut Plan, knob: &str, value: &str, w: usize, d: Destination) {
    let number = || dec(value);
    let whole = || value.parse::<u32>().expect("u32");
    let book = &mut plan.price_book;
    let workload = &mut plan.workloads[w];
    match knob {
        "hours_per_month" => book.hours_per_month = number(),
        "msp_rate_per_hour" => book.msp_rate_per_hour = number(),
        "msp_cost_per_hour" => book.msp_cost_per_hour = number(),
        "unit_price" => {
            if let Some(line) = book.destinations.get_mut(d).recurring.first_mut() {
                line.unit_price = number();
            }
        }
        "labor_per_user" => book.destinations.get_mut(d).msp_labor_hours.per_user_month = number(),
        "migration_per_workload" => {
            book.destinations.get_mut(d).migration_hours.per_workload = number();
        }
        "partner_fee_pct" => book.destinations.get_mut(d).partner_fee_first_year_pct = number(),
        "term_pct" | "commitment_months" => {
            use keyholder::model::{PurchaseTerm, TermKind};
            let terms = &mut book.destinations.get_mut(d).purchase_terms;
            if terms.is_empty() {
                let mut list = PurchaseTerm::new(TermKind::PayAsYouGo);
                list.source = "test".to_owned();
                let mut reserved = PurchaseTerm::new(TermKind::Reservation1YearUpfront);
                reserved.source = "test".to_owned();
                terms.extend([list, reserved]);
            }
            if let Some(term) = terms.get_mut(1) {
                if knob == "term_pct" {
                    term.recurring_pct = number();
                } else {
                    term.commitment_months = whole();
                }
            }
        }
        "users" => workload.users = whole(),
        "servers" => workload.servers = whole(),
        "storage_gb" => workload.storage_gb = number(),
        "egress_gb_per_month" => workload.egress_gb_per_month = number(),
        "override" => {
            workload.current_monthly_override_cents =
                (value != "none").then(|| value.parse().expect("i64"));
        }
        "horizon_months" => plan.assumptions.horizon_months = whole(),
        "growth_pct" => plan.assumptions.growth_pct = number(),
        "discount_rate_pct" => plan.assumptions.discount_rate_pct = number(),
        "level" => {
            *plan.control_model.dimensions[w % 8].levels.get_mut(d) = number();
        }
        "weight" => plan.control_model.dimensions[w % 8].weight = number(),
        "move_month" => {
            for scenario in &mut plan.scenarios {
                for choice in scenario.choices.values_mut() {
                    choice.move_month = whole();
                }
            }
        }
        "seats" => plan.customer.seats = whole(),
        "sites" => plan.customer.sites = whole(),
        "fiscal_year_start_month" => {
            plan.customer.fiscal_year_start_month = value.parse().expect("u8");
        }
        _ => {
            if value == "critical" {
                workload.criticality = keyholder::model::Criticality::Critical;
            }
        }
    }
}

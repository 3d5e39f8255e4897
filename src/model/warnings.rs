//! Problems a person should see that do not make a plan invalid: the plan prices, but some
//! figure is probably not what the account manager means.

use super::destination::Destination;
use super::engine::{has_admin_access, is_allowed};
use super::plan::{Plan, Workload};
use super::price_book::{Basis, PriceBook};
use super::terms::ADMIN_ACCESS_DIMENSION;
use super::validate::{FieldStep, Issue};

/// The non-fatal problems of the plan, each naming its field like a validation issue
/// (`workloads[2] "EXCH01".users`): a workload with 0 users that could go to a destination
/// charging per user for its category, so that destination looks cheaper (or free) than it
/// would be; and a partner fee that needs admin access on a destination where the control
/// model gives the MSP none, so it is never paid.
#[must_use]
pub fn warnings(plan: &Plan) -> Vec<Issue> {
    let book = &plan.price_book;
    let mut found = Vec::new();
    for destination in Destination::ALL {
        if has_admin_access(&plan.control_model, destination) {
            continue;
        }
        let rules = &book.destinations.get(destination).partner_fee_rules;
        for (i, rule) in rules.iter().enumerate() {
            if !rule.needs_admin_access {
                continue;
            }
            found.push(Issue {
                field: format!(
                    "price_book.destinations.{}.partner_fee_rules[{i}] \"{}\"",
                    destination.key(),
                    rule.label
                ),
                message: format!(
                    "never paid on {}: it needs admin access, and the control model's \"{ADMIN_ACCESS_DIMENSION}\" is 0 there (or missing)",
                    destination.label()
                ),
                path: vec![
                    FieldStep::Field("price_book"),
                    FieldStep::Field("destinations"),
                    FieldStep::Field(destination.key()),
                    FieldStep::Field("partner_fee_rules"),
                    FieldStep::Index(i),
                ],
            });
        }
    }
    for (i, workload) in plan.workloads.iter().enumerate() {
        if workload.users != 0 {
            continue;
        }
        let per_user: Vec<Destination> = Destination::ALL
            .into_iter()
            .filter(|&d| charges_per_user(book, workload, d))
            .collect();
        if per_user.is_empty() {
            continue;
        }
        let labels: Vec<&str> = per_user.iter().map(|d| d.label()).collect();
        let (charge, look) = if per_user.len() == 1 {
            ("charges", "it looks")
        } else {
            ("charge", "they look")
        };
        found.push(Issue {
            field: format!("workloads[{i}] \"{}\".users", workload.name),
            message: format!(
                "0 users, but {} {charge} per user for {} workloads, so {look} cheaper than {} really would be; enter how many people use this workload",
                join_labels(&labels),
                workload.category.label().to_lowercase(),
                if per_user.len() == 1 { "it" } else { "they" },
            ),
            path: vec![
                FieldStep::Field("workloads"),
                FieldStep::Index(i),
                FieldStep::Field("users"),
            ],
        });
    }
    found
}

/// Whether `destination` is open to the workload and prices it with a per-user line (a
/// customer-facing one: recurring or MSP fee, for the workload's category, above 0). The
/// current destination with a known real cost is not priced from lines, so it does not count.
fn charges_per_user(book: &PriceBook, workload: &Workload, destination: Destination) -> bool {
    if destination == workload.current && workload.current_monthly_override_cents.is_some() {
        return false;
    }
    if !is_allowed(book, workload, destination) {
        return false;
    }
    let terms = book.destinations.get(destination);
    terms.recurring.iter().chain(&terms.msp_fees).any(|line| {
        line.basis == Basis::PerUser
            && line.applies_to(workload.category)
            && line.unit_price > rust_decimal::Decimal::ZERO
    })
}

/// `A`, `A and B`, `A, B and C`.
fn join_labels(labels: &[&str]) -> String {
    match labels {
        [] => String::new(),
        [one] => (*one).to_owned(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_are_joined_as_a_sentence() {
        assert_eq!(join_labels(&["BPOS"]), "BPOS");
        assert_eq!(join_labels(&["A", "B"]), "A and B");
        assert_eq!(join_labels(&["A", "B", "C"]), "A, B and C");
    }
}

//! The bound of every number a plan holds, one check per kind of value, and one message per
//! kind of problem. Validation applies these checks to a loaded plan; the app's fields call
//! the same functions on a typed value, so a value refused in a file is refused at the field
//! with the same words.
//!
//! | Value | Bound |
//! | --- | --- |
//! | users of a workload, customer seats | 0 to 10,000,000 |
//! | servers of a workload | 0 to 100,000 |
//! | storage, egress per month | 0 to 100,000,000 GB |
//! | customer sites | 0 to 100,000 |
//! | hours per month | more than 0, at most 744 (31 days × 24 hours) |
//! | MSP rate and cost per hour | 0 to 100,000 |
//! | unit price of a rate line | 0 to 1,000,000 |
//! | labour and migration hours (each rate) | 0 to 10,000 |
//! | known monthly cost (override) | 0 to 10,000,000.00 |
//! | horizon | 1 to 120 months |
//! | move month | 0 to 1,200 (may lie beyond the horizon) |
//! | discount rate, growth, partner fees, control levels | 0 to 100 |
//! | weight of a control dimension | 0 to 10,000 |
//! | a purchase term's percent of the list price | 0 to 200 |
//! | a purchase term's commitment | 0 to 120 months |
//! | fiscal year start month | 1 to 12 |
//! | workloads, scenarios, control dimensions, rate lines per list | 100,000 / 1,000 / 100 / 100 |
//! | each workload's figures on each destination it may use | monthly cost, recurring, MSP fees and MSP cost at most 10,000,000.00 a month; one-time and migration cost at most 1,000,000,000.00 |
//!
//! # Why these bounds make every figure fit
//!
//! Money is `i64` cents (at most 9.22 × 10¹⁸); prices and quantities are `Decimal` (at most
//! 7.9 × 10²⁸). The engine's arithmetic is checked anyway and returns an error rather than
//! panic, but within these bounds no check can fail, by the following worst case.
//!
//! **One workload on one destination.** The largest quantity is 10⁸ (GB stored or egress;
//! servers × hours is at most 10⁵ × 744 = 7.44 × 10⁷; users 10⁷). A rate line is at most
//! 10⁶ × 10⁸ × 100 = 10¹⁶ cents, a list of 100 lines 10¹⁸, recurring + MSP fees 2 × 10¹⁸.
//! Labour hours are at most 10⁴ + 10⁴ × 10⁵ + 10⁴ × 10⁷ ≈ 1.01 × 10¹¹, times 10⁵ per hour
//! and 100 cents: 1.01 × 10¹⁸, plus the MSP's own lines (10¹⁸). Migration hours are at most
//! 10⁴ + 10⁴ × 10⁷ + 10⁴ × 10⁵ + 10⁴ × 10⁶ ≈ 1.11 × 10¹¹, so 1.11 × 10¹⁸ cents. A partner
//! fee is at most 100 % of recurring per rule (and bounded with the workload, below). A
//! purchase term charges at most 200 % of the list price. Every one of these is below `i64::MAX`, and every
//! `Decimal` product on the way (at most 10¹⁸ × 100) is far below its limit.
//!
//! **The workload bound.** Those per-value bounds still allow one workload to cost 10¹⁸
//! cents a month, which 100,000 workloads could not add up to. So each workload's figures
//! are bounded too: monthly cost, recurring, MSP fees and MSP cost at most
//! M = 10⁹ cents (10,000,000.00 a month: a hundred times the largest single system of a
//! 10,000-seat customer), one-time and migration cost at most O = 10¹¹ cents.
//!
//! **A plan's totals**, with n ≤ 10⁵ workloads, a horizon of at most 120 months and growth
//! of at most 100 % a year (factors 1, 2, 4 … 512 for years 1 to 10, Σ over the months
//! 12 × 1,023 = 12,276):
//! - monthly cost of all workloads ≤ n × M = 10¹⁴; with growth ≤ 5.12 × 10¹⁶ a month;
//!   one-time in a month ≤ n × O = 10¹⁶;
//! - TCO ≤ 12,276 × 10¹⁴ + 10¹⁶ ≈ 1.24 × 10¹⁸ < 9.22 × 10¹⁸; NPV ≤ TCO (the discount rate is
//!   not negative); run rate ≤ 10¹⁴;
//! - MSP margin per month ≥ −n × (M + O) and ≤ n × (2M + O) (fees + partner fee − cost, plus
//!   the migration margin in a move month), so |margin| ≤ 1.02 × 10¹⁶ a month and
//!   ≤ 120 × 2 × 10¹⁴ + 10¹⁶ = 3.4 × 10¹⁶ over the horizon;
//! - control: Σ importance × control ≤ 5 × 100 × 10⁵ = 5 × 10⁷; Σ weight × level ≤
//!   100 × 10⁴ × 100 = 10⁸;
//! - a frontier cost (TCO per workload ≤ 12,276 × M + O ≈ 1.2 × 10¹³, summed in `f64`) stays
//!   finite; beyond 2⁵³ ≈ 9 × 10¹⁵ cents a sum may be off by a few cents, never more.
//!
//! The horizon, growth and discount bounds also keep every vector the engine builds at most
//! 121 entries per scenario.

use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;

use super::number::{Cents, format_cents};

/// Users of one workload, and the customer's seats.
pub const MAX_USERS: u32 = 10_000_000;
/// Server instances of one workload.
pub const MAX_SERVERS: u32 = 100_000;
/// Storage of one workload, and its egress per month, in GB (100 PB).
pub const MAX_GB: u32 = 100_000_000;
/// The customer's sites.
pub const MAX_SITES: u32 = 100_000;
/// Hours in the longest month.
pub const MAX_HOURS_PER_MONTH: u32 = 744;
/// What the MSP bills, or pays, per hour, in currency units.
pub const MAX_RATE_PER_HOUR: u32 = 100_000;
/// The unit price of a rate line, in currency units.
pub const MAX_UNIT_PRICE: u32 = 1_000_000;
/// Each labour-hours and migration-hours rate.
pub const MAX_HOURS: u32 = 10_000;
/// The most one workload may cost a month, on any destination it may use (and the bound of
/// a known monthly cost): 10,000,000.00.
pub const MAX_WORKLOAD_MONTHLY_CENTS: Cents = 1_000_000_000;
/// The most a workload's move may cost once: 1,000,000,000.00.
pub const MAX_WORKLOAD_ONE_TIME_CENTS: Cents = 100_000_000_000;
/// The longest horizon, in months.
pub const MAX_HORIZON_MONTHS: u32 = 120;
/// The latest move month (100 years); moves at or after the horizon are allowed.
pub const MAX_MOVE_MONTH: u32 = 1_200;
/// The weight of one control dimension.
pub const MAX_WEIGHT: u32 = 10_000;
/// Workloads in a plan.
pub const MAX_WORKLOADS: usize = 100_000;
/// Scenarios in a plan.
pub const MAX_SCENARIOS: usize = 1_000;
/// Control dimensions in a plan.
pub const MAX_DIMENSIONS: usize = 100;
/// Rate lines in each list of a destination (recurring, MSP fees, MSP costs).
pub const MAX_RATE_LINES: usize = 100;

// One message per kind of problem.

/// `1234567` → `"1,234,567"`.
fn grouped(value: u64) -> String {
    let digits = value.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(ch);
    }
    out
}

fn negative() -> String {
    "must not be negative".to_owned()
}

fn at_most(max: u64, unit: &str) -> String {
    format!("must be at most {}{unit}", grouped(max))
}

fn from_to(low: u64, high: u64, unit: &str) -> String {
    format!("must be from {} to {}{unit}", grouped(low), grouped(high))
}

/// The message for text that is not a whole number.
#[must_use]
pub fn not_whole() -> String {
    "must be a whole number".to_owned()
}

/// The message for text that is not a number.
#[must_use]
pub fn not_a_number() -> String {
    "must be a number".to_owned()
}

fn whole_at_most(value: u32, max: u32, unit: &str) -> Result<(), String> {
    if value > max {
        Err(at_most(u64::from(max), unit))
    } else {
        Ok(())
    }
}

fn decimal_at_most(value: Decimal, max: u32, unit: &str) -> Result<(), String> {
    if value.is_sign_negative() && !value.is_zero() {
        Err(negative())
    } else if value > Decimal::from(max) {
        Err(at_most(u64::from(max), unit))
    } else {
        Ok(())
    }
}

fn decimal_from_to(value: Decimal, low: u32, high: u32, unit: &str) -> Result<(), String> {
    if value < Decimal::from(low) || value > Decimal::from(high) {
        Err(from_to(u64::from(low), u64::from(high), unit))
    } else {
        Ok(())
    }
}

fn count_at_most(count: usize, max: usize, what: &str) -> Result<(), String> {
    if count > max {
        Err(at_most(max as u64, what))
    } else {
        Ok(())
    }
}

// Checks per kind of value.

/// Users of a workload.
///
/// # Errors
/// "must be at most 10,000,000".
pub fn users(value: u32) -> Result<(), String> {
    whole_at_most(value, MAX_USERS, "")
}

/// The customer's seats (bounded like users).
///
/// # Errors
/// "must be at most 10,000,000".
pub fn seats(value: u32) -> Result<(), String> {
    whole_at_most(value, MAX_USERS, "")
}

/// The customer's sites.
///
/// # Errors
/// "must be at most 100,000".
pub fn sites(value: u32) -> Result<(), String> {
    whole_at_most(value, MAX_SITES, "")
}

/// Server instances of a workload.
///
/// # Errors
/// "must be at most 100,000".
pub fn servers(value: u32) -> Result<(), String> {
    whole_at_most(value, MAX_SERVERS, "")
}

/// Storage of a workload, in GB.
///
/// # Errors
/// "must not be negative", "must be at most 100,000,000 GB".
pub fn storage_gb(value: Decimal) -> Result<(), String> {
    decimal_at_most(value, MAX_GB, " GB")
}

/// Egress of a workload per month, in GB.
///
/// # Errors
/// "must not be negative", "must be at most 100,000,000 GB".
pub fn egress_gb_per_month(value: Decimal) -> Result<(), String> {
    decimal_at_most(value, MAX_GB, " GB")
}

/// The real monthly cost of a workload on its current destination, in cents.
///
/// # Errors
/// "must not be negative", "must be at most 10,000,000.00".
pub fn monthly_override_cents(value: Cents) -> Result<(), String> {
    if value < 0 {
        Err(negative())
    } else if value > MAX_WORKLOAD_MONTHLY_CENTS {
        Err(format!(
            "must be at most {}",
            format_cents(MAX_WORKLOAD_MONTHLY_CENTS)
        ))
    } else {
        Ok(())
    }
}

/// Hours in a month, for per-server-hour prices.
///
/// # Errors
/// "must be more than 0", "must be at most 744 hours".
pub fn hours_per_month(value: Decimal) -> Result<(), String> {
    if value <= Decimal::ZERO {
        Err("must be more than 0".to_owned())
    } else {
        decimal_at_most(value, MAX_HOURS_PER_MONTH, " hours")
    }
}

/// What the MSP bills or pays per hour, in currency units.
///
/// # Errors
/// "must not be negative", "must be at most 100,000".
pub fn rate_per_hour(value: Decimal) -> Result<(), String> {
    decimal_at_most(value, MAX_RATE_PER_HOUR, "")
}

/// The unit price of a rate line, in currency units.
///
/// # Errors
/// "must not be negative", "must be at most 1,000,000".
pub fn unit_price(value: Decimal) -> Result<(), String> {
    decimal_at_most(value, MAX_UNIT_PRICE, "")
}

/// A labour-hours or migration-hours rate (per workload, user, server or 100 GB).
///
/// # Errors
/// "must not be negative", "must be at most 10,000 hours".
pub fn hours(value: Decimal) -> Result<(), String> {
    decimal_at_most(value, MAX_HOURS, " hours")
}

/// A percentage: discount rate, growth, partner fees.
///
/// # Errors
/// "must be from 0 to 100 %".
pub fn percent(value: Decimal) -> Result<(), String> {
    decimal_from_to(value, 0, 100, " %")
}

/// A purchase term's price as a percent of the list price (Microsoft 365's monthly term is
/// 120 %).
///
/// # Errors
/// "must be from 0 to 200 %".
pub fn term_percent(value: Decimal) -> Result<(), String> {
    decimal_from_to(value, 0, super::terms::MAX_TERM_PCT, " %")
}

/// A purchase term's commitment.
///
/// # Errors
/// "must be at most 120 months".
pub fn commitment_months(value: u32) -> Result<(), String> {
    whole_at_most(value, super::terms::MAX_COMMITMENT_MONTHS, " months")
}

/// The level of control a destination gives on a dimension.
///
/// # Errors
/// "must be from 0 to 100".
pub fn control_level(value: Decimal) -> Result<(), String> {
    decimal_from_to(value, 0, 100, "")
}

/// The weight of a control dimension.
///
/// # Errors
/// "must not be negative", "must be at most 10,000".
pub fn weight(value: Decimal) -> Result<(), String> {
    decimal_at_most(value, MAX_WEIGHT, "")
}

/// The plan's horizon.
///
/// # Errors
/// "must be from 1 to 120 months".
pub fn horizon_months(value: u32) -> Result<(), String> {
    if (1..=MAX_HORIZON_MONTHS).contains(&value) {
        Ok(())
    } else {
        Err(from_to(1, u64::from(MAX_HORIZON_MONTHS), " months"))
    }
}

/// The month index (0 = the plan's first month) of a move. A move at or after the end of
/// the horizon is allowed: the workload stays put within the horizon.
///
/// # Errors
/// "must be at most 1,200 months".
pub fn move_month(value: u32) -> Result<(), String> {
    whole_at_most(value, MAX_MOVE_MONTH, " months")
}

/// The month the customer's fiscal year starts in, 1 = January.
///
/// # Errors
/// "must be from 1 to 12".
pub fn fiscal_year_start_month(value: u8) -> Result<(), String> {
    if (1..=12).contains(&value) {
        Ok(())
    } else {
        Err(from_to(1, 12, ""))
    }
}

/// How many workloads a plan has.
///
/// # Errors
/// "must be at most 100,000 workloads".
pub fn workload_count(count: usize) -> Result<(), String> {
    count_at_most(count, MAX_WORKLOADS, " workloads")
}

/// How many scenarios a plan has.
///
/// # Errors
/// "must be at most 1,000 scenarios".
pub fn scenario_count(count: usize) -> Result<(), String> {
    count_at_most(count, MAX_SCENARIOS, " scenarios")
}

/// How many control dimensions a plan has.
///
/// # Errors
/// "must be at most 100 dimensions".
pub fn dimension_count(count: usize) -> Result<(), String> {
    count_at_most(count, MAX_DIMENSIONS, " dimensions")
}

/// How many rate lines one list of a destination has.
///
/// # Errors
/// "must be at most 100 rate lines".
pub fn rate_line_count(count: usize) -> Result<(), String> {
    count_at_most(count, MAX_RATE_LINES, " rate lines")
}

/// A whole number typed by a person (`"1,200"`, `" 35 "`), checked by `check` (one of the
/// functions above). A number too large for the field gets `check`'s own "at most" message.
///
/// # Errors
/// "must be a whole number", "must not be negative", or `check`'s message.
pub fn parse_whole(text: &str, check: impl Fn(u32) -> Result<(), String>) -> Result<u32, String> {
    let cleaned: String = text
        .trim()
        .chars()
        .filter(|c| *c != ',' && *c != '_')
        .collect();
    let value: Decimal = cleaned.parse().map_err(|_| {
        if cleaned.starts_with('-') && cleaned[1..].chars().all(|c| c.is_ascii_digit()) {
            negative()
        } else {
            not_whole()
        }
    })?;
    if value.is_sign_negative() && !value.is_zero() {
        return Err(negative());
    }
    if !value.fract().is_zero() {
        return Err(not_whole());
    }
    // Every bound is below u32::MAX, so a larger number gets the field's "at most".
    let whole = value.to_u32().unwrap_or(u32::MAX);
    check(whole).map(|()| whole)
}

/// A decimal number typed by a person (`"0.12"`, `"1,250.5"`), checked by `check`.
///
/// # Errors
/// "must be a number", or `check`'s message.
pub fn parse_number(
    text: &str,
    check: impl Fn(Decimal) -> Result<(), String>,
) -> Result<Decimal, String> {
    let cleaned: String = text
        .trim()
        .chars()
        .filter(|c| *c != ',' && *c != '_')
        .collect();
    let parsed = cleaned
        .parse::<Decimal>()
        .or_else(|_| Decimal::from_scientific(&cleaned));
    let value: Decimal = parsed.map_err(|_| {
        // Digits too many for a decimal are a number too large, not "not a number".
        let digits = cleaned.trim_start_matches('-');
        if !digits.is_empty() && digits.chars().all(|c| c.is_ascii_digit() || c == '.') {
            if cleaned.starts_with('-') {
                negative()
            } else {
                check(Decimal::MAX).err().unwrap_or_else(not_a_number)
            }
        } else {
            not_a_number()
        }
    })?;
    check(value).map(|()| value)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_are_one_per_kind() {
        assert_eq!(users(MAX_USERS), Ok(()));
        assert_eq!(
            users(MAX_USERS + 1),
            Err("must be at most 10,000,000".to_owned())
        );
        assert_eq!(
            storage_gb(Decimal::NEGATIVE_ONE),
            Err("must not be negative".to_owned())
        );
        assert_eq!(
            horizon_months(0),
            Err("must be from 1 to 120 months".to_owned())
        );
        assert_eq!(
            parse_whole("12a", users),
            Err("must be a whole number".to_owned())
        );
        assert_eq!(
            parse_whole("12.5", users),
            Err("must be a whole number".to_owned())
        );
        assert_eq!(
            parse_whole("-3", users),
            Err("must not be negative".to_owned())
        );
        assert_eq!(parse_whole(" 1,200 ", users), Ok(1200));
        assert_eq!(parse_whole("12.0", users), Ok(12));
        assert_eq!(
            parse_whole("99999999999999999999", users),
            Err("must be at most 10,000,000".to_owned())
        );
        assert_eq!(
            parse_whole("200", horizon_months),
            Err("must be from 1 to 120 months".to_owned())
        );
        assert_eq!(parse_number("0.12", unit_price), Ok(Decimal::new(12, 2)));
        assert_eq!(
            parse_number("abc", unit_price),
            Err("must be a number".to_owned())
        );
        assert_eq!(
            parse_number("1e28", hours_per_month),
            Err("must be at most 744 hours".to_owned())
        );
        assert_eq!(
            parse_number("99999999999999999999999999999999", hours_per_month),
            Err("must be at most 744 hours".to_owned())
        );
        assert_eq!(
            monthly_override_cents(MAX_WORKLOAD_MONTHLY_CENTS + 1),
            Err("must be at most 10,000,000.00".to_owned())
        );
    }
}

//! Money and decimal helpers. Money is integer cents; prices, hours and percentages are
//! exact decimals so that a line like 0.15 × 3.3 GB rounds the way a person rounds it.

use rust_decimal::{Decimal, RoundingStrategy, prelude::ToPrimitive};

/// An amount of money in cents of the price book's currency.
pub type Cents = i64;

/// Rounds an amount already expressed in cents to whole cents, half away from zero.
#[must_use]
pub fn round_cents(amount_in_cents: Decimal) -> Cents {
    let rounded = amount_in_cents.round_dp_with_strategy(0, RoundingStrategy::MidpointAwayFromZero);
    rounded.to_i64().unwrap_or(if rounded.is_sign_negative() {
        Cents::MIN
    } else {
        Cents::MAX
    })
}

/// Like [`round_cents`], or `None` when the amount does not fit in cents.
#[must_use]
pub fn try_round_cents(amount_in_cents: Decimal) -> Option<Cents> {
    amount_in_cents
        .round_dp_with_strategy(0, RoundingStrategy::MidpointAwayFromZero)
        .to_i64()
}

/// Converts an amount in currency units (e.g. 12.345 dollars) to whole cents.
#[must_use]
pub fn cents_from_amount(amount: Decimal) -> Cents {
    // Amounts beyond what cents can hold saturate, like `round_cents`; they never panic.
    amount.checked_mul(Decimal::ONE_HUNDRED).map_or_else(
        || {
            if amount.is_sign_negative() {
                Cents::MIN
            } else {
                Cents::MAX
            }
        },
        round_cents,
    )
}

/// A control score (0–100) to two decimals, rounded half away from zero like money, so the
/// app, the reports and the optimizer show the same figure.
#[must_use]
pub fn round_control(score: Decimal) -> Decimal {
    score.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero)
}

/// A control score as shown everywhere: `"74.97"`.
#[must_use]
pub fn format_control(score: Decimal) -> String {
    format!("{:.2}", round_control(score))
}

/// `1234567` → `"12,345.67"` (with a leading `-` for negative amounts).
#[must_use]
pub fn format_cents(cents: Cents) -> String {
    let negative = cents < 0;
    let abs = cents.unsigned_abs();
    let units = (abs / 100).to_string();
    let mut grouped = String::with_capacity(units.len() + units.len() / 3 + 4);
    for (i, ch) in units.chars().enumerate() {
        if i > 0 && (units.len() - i).is_multiple_of(3) {
            grouped.push(',');
        }
        grouped.push(ch);
    }
    format!(
        "{}{grouped}.{:02}",
        if negative { "-" } else { "" },
        abs % 100
    )
}

/// Parses an amount typed by a person (`"1,250.50"`, `"1250.5"`, `"-3"`) into cents.
///
/// # Errors
/// A message saying why the text is not an amount.
pub fn parse_amount_cents(text: &str) -> Result<Cents, String> {
    let cleaned: String = text
        .trim()
        .chars()
        .filter(|c| *c != ',' && *c != '_')
        .collect();
    if cleaned.is_empty() {
        return Err("an amount is required".to_owned());
    }
    let value: Decimal = cleaned
        .parse()
        .map_err(|_| format!("'{}' is not an amount (write e.g. 1250.50)", text.trim()))?;
    if value.scale() > 2 && value.round_dp(2) != value {
        return Err(format!("'{}' has more than two decimals", text.trim()));
    }
    Ok(cents_from_amount(value))
}

/// Serde for decimals written as plain RON numbers (`0.12`, `150.0`) rather than strings,
/// so plan files read naturally. Reading goes through the shortest decimal text of the
/// number, which gives back exactly the decimal a person wrote.
pub mod decimal_as_number {
    use std::fmt;
    use std::str::FromStr;

    use rust_decimal::{Decimal, prelude::ToPrimitive};
    use serde::{Deserializer, Serializer, de};

    /// # Errors
    /// Never for decimals that fit an `f64`, which every validated plan value does.
    pub fn serialize<S: Serializer>(value: &Decimal, serializer: S) -> Result<S::Ok, S::Error> {
        if value.fract().is_zero()
            && let Some(int) = value.to_i64()
        {
            return serializer.serialize_i64(int);
        }
        // A plain number when it reads back as exactly this decimal (every price a person
        // types); otherwise the exact digits as a string, so nothing is lost.
        if let Some(float) = value.to_f64()
            && Decimal::from_str(&float.to_string()).ok() == Some(*value)
        {
            return serializer.serialize_f64(float);
        }
        serializer.serialize_str(&value.to_string())
    }

    /// # Errors
    /// When the number is not finite or does not fit a decimal.
    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Decimal, D::Error> {
        deserializer.deserialize_any(NumberVisitor)
    }

    struct NumberVisitor;

    impl de::Visitor<'_> for NumberVisitor {
        type Value = Decimal;

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a number (or a decimal in quotes)")
        }

        fn visit_i64<E: de::Error>(self, v: i64) -> Result<Decimal, E> {
            Ok(Decimal::from(v))
        }

        fn visit_u64<E: de::Error>(self, v: u64) -> Result<Decimal, E> {
            Ok(Decimal::from(v))
        }

        fn visit_i128<E: de::Error>(self, v: i128) -> Result<Decimal, E> {
            Decimal::try_from_i128_with_scale(v, 0)
                .map_err(|_| E::custom(format!("number {v} is too large")))
        }

        fn visit_u128<E: de::Error>(self, v: u128) -> Result<Decimal, E> {
            i128::try_from(v)
                .map_err(|_| E::custom(format!("number {v} is too large")))
                .and_then(|v| self.visit_i128(v))
        }

        fn visit_str<E: de::Error>(self, v: &str) -> Result<Decimal, E> {
            Decimal::from_str(v.trim()).map_err(|_| E::custom(format!("\"{v}\" is not a number")))
        }

        fn visit_f64<E: de::Error>(self, v: f64) -> Result<Decimal, E> {
            if !v.is_finite() {
                return Err(E::custom(format!("{v} is not a finite number")));
            }
            // Display prints the shortest text that reads back as the same f64.
            Decimal::from_str(&v.to_string())
                .map_err(|_| E::custom(format!("number {v} is out of range")))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rounds_half_away_from_zero() {
        assert_eq!(round_cents(Decimal::new(495, 1)), 50);
        assert_eq!(round_cents(Decimal::new(-495, 1)), -50);
        assert_eq!(round_cents(Decimal::new(4949, 2)), 49);
    }

    #[test]
    fn formats_with_thousands() {
        assert_eq!(format_cents(123_456_789), "1,234,567.89");
        assert_eq!(format_cents(-5), "-0.05");
        assert_eq!(format_cents(100), "1.00");
    }

    #[test]
    fn parses_amounts() {
        assert_eq!(parse_amount_cents("1,250.50"), Ok(125_050));
        assert!(parse_amount_cents("12.345").is_err());
        assert!(parse_amount_cents("abc").is_err());
    }
}

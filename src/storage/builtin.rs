//! Price books and the sample plan embedded in the binary, so they work from any folder.

use crate::model::{Plan, PriceBook};

use super::plan_file::parse_plan;

/// `(file name, RON text)` of every price book that ships with Keyholder.
pub const BUILTIN_PRICE_BOOKS: [(&str, &str); 2] = [
    (
        "microsoft-2010.ron",
        include_str!("../../assets/price-books/microsoft-2010.ron"),
    ),
    (
        "microsoft-2026.ron",
        include_str!("../../assets/price-books/microsoft-2026.ron"),
    ),
];

/// The plan the app opens the first time.
pub const SAMPLE_PLAN: (&str, &str) = ("law-firm.ron", include_str!("../../saves/law-firm.ron"));

/// A built-in price book by file name.
///
/// # Errors
/// When no such book ships, or it does not parse (a build defect that tests catch).
pub fn builtin_price_book(file_name: &str) -> Result<PriceBook, String> {
    let (_, text) = BUILTIN_PRICE_BOOKS
        .iter()
        .find(|(name, _)| *name == file_name)
        .ok_or_else(|| format!("no built-in price book named {file_name}"))?;
    ron::Options::default()
        .with_recursion_limit(super::MAX_NESTING)
        .from_str(text)
        .map_err(|e| format!("{file_name}:{}: {}", e.span.start, e.code))
}

/// "Microsoft cloud at launch (2010)": the book new and imported plans start from.
///
/// # Errors
/// Only if the embedded book is broken, which the test suite rules out.
pub fn default_price_book() -> Result<PriceBook, String> {
    builtin_price_book("microsoft-2010.ron")
}

/// The bundled sample plan.
///
/// # Errors
/// Only if the embedded sample is broken, which the test suite rules out.
pub fn sample_plan() -> Result<Plan, String> {
    parse_plan(SAMPLE_PLAN.1)
        .map(|loaded| loaded.plan)
        .map_err(|e| format!("{}:{e}", SAMPLE_PLAN.0))
}

//! A plan's workloads as CSV, for editing in a spreadsheet and reading back
//! (PRODUCT.md issue 5, item 6).
//!
//! The export is what Excel opens cleanly: UTF-8 with a byte-order mark, CRLF line ends, a
//! header row, plain numbers (`.` decimal point, no thousands separators). Text cells that a
//! spreadsheet would run as a formula get a leading `'`, which the import takes off again.
//!
//! The import matches workloads by id: a row with a known id updates that workload in place,
//! a row with a new id (or none: one is made from the name) adds one. Columns are found by
//! name in any order; a column that is missing (or a cell a short row lacks), and an empty
//! number, key or yes/no cell, keep the workload's value, while an empty
//! `current_monthly_override` means none and an empty `notes` cell clears the notes. Each
//! row is checked on its own: a bad row is reported with its line and the rest applied.

use std::collections::{HashMap, HashSet};
use std::str::FromStr;

use rust_decimal::{Decimal, prelude::ToPrimitive};

use super::azure_migrate::{RejectedRow, line_of_byte};
use crate::model::{
    Category, Cents, Criticality, Destination, Plan, Workload, cents_from_amount, is_allowed,
};

/// The columns of the export, in order; the import finds them by these names.
pub const WORKLOAD_CSV_COLUMNS: [&str; 14] = [
    "id",
    "name",
    "category",
    "users",
    "servers",
    "storage_gb",
    "egress_gb_per_month",
    "criticality",
    "current",
    "current_monthly_override",
    "needs_os_admin",
    "data_must_stay_onsite",
    "custom_code",
    "notes",
];

/// Other header spellings the import accepts, after [`header_key`] (left: alias, right: column).
// A plain "destination" column is not taken for `current`: it may well be a planned target.
const ALIASES: [(&str, &str); 5] = [
    ("workload_id", "id"),
    ("workload", "name"),
    ("current_destination", "current"),
    ("egress_gb", "egress_gb_per_month"),
    ("current_monthly_cost", "current_monthly_override"),
];

const ID: usize = 0;
const NAME: usize = 1;
const CATEGORY: usize = 2;
const USERS: usize = 3;
const SERVERS: usize = 4;
const STORAGE: usize = 5;
const EGRESS: usize = 6;
const CRITICALITY: usize = 7;
const CURRENT: usize = 8;
const OVERRIDE: usize = 9;
const NEEDS_OS_ADMIN: usize = 10;
const DATA_ONSITE: usize = 11;
const CUSTOM_CODE: usize = 12;
const NOTES: usize = 13;

/// What importing a workload CSV into a plan would do. Nothing is applied yet: the caller
/// replaces the plan's workloads with `workloads` as one undoable edit (scenarios are not
/// touched; they refer to workloads by id, which the import never changes).
#[derive(Debug, Clone, PartialEq)]
pub struct CsvUpdate {
    /// The plan's workloads after the update, in order: existing ones updated in place by
    /// id, new ones appended in the order of the file. Workloads the file does not mention
    /// are kept as they are.
    pub workloads: Vec<Workload>,
    /// Ids of existing workloads whose values the file changes (rows that change nothing are
    /// not listed).
    pub updated: Vec<String>,
    /// Ids of the workloads the file adds.
    pub added: Vec<String>,
    /// Rows not applied, with their 1-based line and why.
    pub rejected: Vec<RejectedRow>,
    /// Header cells that name no known column; their cells were not read.
    pub ignored_columns: Vec<String>,
}

impl CsvUpdate {
    /// True when applying the update would change the plan.
    #[must_use]
    pub fn changes_plan(&self) -> bool {
        !(self.updated.is_empty() && self.added.is_empty())
    }
}

/// Whether a spreadsheet would read `text` as a formula (or, after a leading `'`, as text
/// that looks like one), so that [`neutralize_formula`] guards it.
fn looks_like_formula(text: &str) -> bool {
    text.trim_start_matches('\'')
        .starts_with(['=', '+', '-', '@', '\t', '\r'])
}

/// Text cells that a spreadsheet would read as a formula (starting with `=`, `+`, `-`, `@`,
/// a tab or a carriage return) get a leading apostrophe. Text that already starts with
/// apostrophes before such a character gets one more, so [`unneutralize_formula`] gives
/// back exactly the original.
#[must_use]
pub fn neutralize_formula(text: &str) -> String {
    if looks_like_formula(text) {
        format!("'{text}")
    } else {
        text.to_owned()
    }
}

/// Takes off the apostrophe [`neutralize_formula`] added: `'=SUM(A1)` → `=SUM(A1)`. Other
/// text, including an apostrophe before ordinary text (`'t Hooft`), is returned as it is.
#[must_use]
pub fn unneutralize_formula(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(rest) if looks_like_formula(rest) => rest,
        _ => cell,
    }
}

/// An amount in cents as a plain decimal: `50000` → `500.00`.
fn plain_amount(cents: Cents) -> String {
    let abs = cents.unsigned_abs();
    format!(
        "{}{}.{:02}",
        if cents < 0 { "-" } else { "" },
        abs / 100,
        abs % 100
    )
}

fn yes_no(value: bool) -> &'static str {
    if value { "true" } else { "false" }
}

/// The plan's workloads as CSV text: a byte-order mark, the header row
/// ([`WORKLOAD_CSV_COLUMNS`]), one row per workload, CRLF line ends.
#[must_use]
pub fn workloads_to_csv(plan: &Plan) -> String {
    let mut writer = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::new());
    // Writing to memory cannot fail.
    let _ = writer.write_record(WORKLOAD_CSV_COLUMNS);
    for w in &plan.workloads {
        let _ = writer.write_record([
            neutralize_formula(&w.id),
            neutralize_formula(&w.name),
            w.category.key().to_owned(),
            w.users.to_string(),
            w.servers.to_string(),
            w.storage_gb.normalize().to_string(),
            w.egress_gb_per_month.normalize().to_string(),
            w.criticality.key().to_owned(),
            w.current.key().to_owned(),
            w.current_monthly_override_cents
                .map(plain_amount)
                .unwrap_or_default(),
            yes_no(w.constraints.needs_os_admin).to_owned(),
            yes_no(w.constraints.data_must_stay_onsite).to_owned(),
            yes_no(w.constraints.custom_code).to_owned(),
            neutralize_formula(&w.notes),
        ]);
    }
    let bytes = writer.into_inner().unwrap_or_default();
    let mut text = String::with_capacity(bytes.len() + 3);
    text.push('\u{feff}');
    text.push_str(&String::from_utf8_lossy(&bytes));
    text
}

/// A header cell as compared: lower case, every run of spaces and punctuation as one `_`
/// (`"Storage (GB)"` → `storage_gb`).
fn header_key(header: &str) -> String {
    unneutralize_formula(header.trim())
        .to_lowercase()
        .split(|c: char| !c.is_alphanumeric())
        .filter(|part| !part.is_empty())
        .collect::<Vec<_>>()
        .join("_")
}

fn column_of(header: &str) -> Option<usize> {
    let key = header_key(header);
    let key = ALIASES
        .iter()
        .find(|(alias, _)| *alias == key)
        .map_or(key.as_str(), |(_, column)| column);
    WORKLOAD_CSV_COLUMNS.iter().position(|c| *c == key)
}

/// The delimiter of the header line: `,` unless `;` or tab is more frequent there (Excel
/// writes `;` where the decimal separator is a comma).
fn sniff_delimiter(text: &str) -> u8 {
    let header = text.split('\n').next().unwrap_or("");
    let mut quoted = false;
    let (mut commas, mut semicolons, mut tabs) = (0, 0, 0);
    for c in header.chars() {
        match c {
            '"' => quoted = !quoted,
            ',' if !quoted => commas += 1,
            ';' if !quoted => semicolons += 1,
            '\t' if !quoted => tabs += 1,
            _ => {}
        }
    }
    if semicolons > commas && semicolons >= tabs {
        b';'
    } else if tabs > commas {
        b'\t'
    } else {
        b','
    }
}

/// Whether CSV `text` ends inside a quoted cell, read as the CSV reader does: a `"` at the
/// start of a cell opens a quote, `""` inside it is a quote character, and a lone `"`
/// closes it.
fn ends_inside_quotes(text: &str, delimiter: u8) -> bool {
    let bytes = text.as_bytes();
    let (mut quoted, mut cell_start) = (false, true);
    let mut i = 0;
    while i < bytes.len() {
        let byte = bytes[i];
        if quoted {
            if byte == b'"' {
                if bytes.get(i + 1) == Some(&b'"') {
                    i += 1;
                } else {
                    quoted = false;
                }
            }
        } else if cell_start && byte == b'"' {
            quoted = true;
            cell_start = false;
        } else {
            cell_start = byte == delimiter || byte == b'\n' || byte == b'\r';
        }
        i += 1;
    }
    quoted
}

/// Where each known column is in the file.
struct Columns {
    at: [Option<usize>; WORKLOAD_CSV_COLUMNS.len()],
    /// Numbers use a decimal comma (a `;`-separated file).
    decimal_comma: bool,
}

impl Columns {
    /// The raw cell of `column`, or `None` when the file has no such column (or the row is
    /// short).
    fn raw<'r>(&self, record: &'r csv::StringRecord, column: usize) -> Option<&'r str> {
        self.at[column].and_then(|i| record.get(i))
    }

    /// A cell that holds a key, number or flag, trimmed; `None` when absent or empty.
    fn value<'r>(&self, record: &'r csv::StringRecord, column: usize) -> Option<&'r str> {
        self.raw(record, column)
            .map(str::trim)
            .filter(|v| !v.is_empty())
    }
}

/// Whether `digits` is an integer written with `,` between groups of three (`1,250,000`).
fn is_grouped(digits: &str) -> bool {
    let digits = digits.strip_prefix(['-', '+']).unwrap_or(digits);
    let mut groups = digits.split(',');
    let first_ok = groups
        .next()
        .is_some_and(|g| (1..=3).contains(&g.len()) && g.bytes().all(|b| b.is_ascii_digit()));
    first_ok
        && digits.contains(',')
        && groups.all(|g| g.len() == 3 && g.bytes().all(|b| b.is_ascii_digit()))
}

/// A number as a spreadsheet writes it: plain, with a decimal comma in `;` files, with
/// thousands separators, or in scientific notation.
fn parse_decimal(text: &str, decimal_comma: bool) -> Option<Decimal> {
    let text = text.trim();
    // "1.250,5" is a decimal comma; "1,250.5" (a point after the last comma) is not, even in
    // a semicolon-separated file.
    let point_last = text
        .rfind('.')
        .is_some_and(|p| text.rfind(',').is_none_or(|c| p > c));
    let cleaned = if decimal_comma && text.contains(',') && !point_last {
        text.replace('.', "").replace(',', ".")
    } else {
        let (integer, fraction) = text.split_once('.').unwrap_or((text, ""));
        if is_grouped(integer) {
            let integer = integer.replace(',', "");
            if fraction.is_empty() && !text.ends_with('.') {
                integer
            } else {
                format!("{integer}.{fraction}")
            }
        } else {
            text.to_owned()
        }
    };
    Decimal::from_str(&cleaned)
        .or_else(|_| Decimal::from_scientific(&cleaned))
        .ok()
}

fn flag(text: &str) -> Option<bool> {
    match text.trim().to_lowercase().as_str() {
        "true" | "yes" | "y" | "1" | "x" | "wahr" | "vrai" => Some(true),
        "false" | "no" | "n" | "0" | "falsch" | "faux" => Some(false),
        _ => None,
    }
}

fn keys<T: Copy>(all: &[T], key: impl Fn(T) -> &'static str) -> String {
    all.iter().map(|v| key(*v)).collect::<Vec<_>>().join(", ")
}

/// A non-negative decimal no larger than the plan allows.
fn quantity(columns: &Columns, text: &str, name: &str) -> Result<Decimal, String> {
    let value = parse_decimal(text, columns.decimal_comma)
        .ok_or_else(|| format!("{name} is not a number: \"{text}\""))?;
    if value.is_sign_negative() && !value.is_zero() {
        return Err(format!("{name} must not be negative (found {text})"));
    }
    if value > crate::model::max_quantity() {
        return Err(format!(
            "{name} is too large (found {text}; at most 1000000000000)"
        ));
    }
    Ok(value.normalize())
}

fn whole(columns: &Columns, text: &str, name: &str) -> Result<u32, String> {
    let value = quantity(columns, text, name)?;
    if !value.fract().is_zero() {
        return Err(format!("{name} must be a whole number (found {text})"));
    }
    value
        .to_u32()
        .ok_or_else(|| format!("{name} is too large (found {text}; at most {})", u32::MAX))
}

fn amount(columns: &Columns, text: &str) -> Result<Cents, String> {
    let name = "current_monthly_override";
    let value = quantity(columns, text, name)?;
    if value.round_dp(2) != value {
        return Err(format!(
            "{name} has more than two decimals (found {text}); write an amount like 500.00"
        ));
    }
    Ok(cents_from_amount(value))
}

/// The row's values over `base` (the existing workload, or a new one).
fn apply_row(
    columns: &Columns,
    record: &csv::StringRecord,
    mut w: Workload,
    is_new: bool,
) -> Result<Workload, String> {
    match columns.raw(record, NAME).map(unneutralize_formula) {
        Some(name) if name.trim().is_empty() => return Err("the name is empty".to_owned()),
        Some(name) => name.clone_into(&mut w.name),
        None if is_new => return Err("a new workload needs a name".to_owned()),
        None => {}
    }
    match columns.value(record, CATEGORY) {
        Some(text) => {
            w.category = Category::parse(text).ok_or_else(|| {
                format!(
                    "category \"{text}\" is not one of: {}",
                    keys(&Category::ALL, Category::key)
                )
            })?;
        }
        None if is_new => {
            return Err(format!(
                "a new workload needs a category (one of: {})",
                keys(&Category::ALL, Category::key)
            ));
        }
        None => {}
    }
    if let Some(text) = columns.value(record, USERS) {
        w.users = whole(columns, text, "users")?;
    }
    if let Some(text) = columns.value(record, SERVERS) {
        w.servers = whole(columns, text, "servers")?;
    }
    if let Some(text) = columns.value(record, STORAGE) {
        w.storage_gb = quantity(columns, text, "storage_gb")?;
    }
    if let Some(text) = columns.value(record, EGRESS) {
        w.egress_gb_per_month = quantity(columns, text, "egress_gb_per_month")?;
    }
    if let Some(text) = columns.value(record, CRITICALITY) {
        w.criticality = Criticality::parse(text).ok_or_else(|| {
            format!(
                "criticality \"{text}\" is not one of: {}",
                keys(&Criticality::ALL, Criticality::key)
            )
        })?;
    }
    if let Some(text) = columns.value(record, CURRENT) {
        w.current = Destination::parse(text).ok_or_else(|| {
            format!(
                "current destination \"{text}\" is not one of: {}",
                keys(&Destination::ALL, Destination::key)
            )
        })?;
    }
    // An empty amount means none is known (as the export writes it).
    if columns.raw(record, OVERRIDE).is_some() {
        w.current_monthly_override_cents = match columns.value(record, OVERRIDE) {
            Some(text) => Some(amount(columns, text)?),
            None => None,
        };
    }
    for (column, slot) in [
        (NEEDS_OS_ADMIN, &mut w.constraints.needs_os_admin),
        (DATA_ONSITE, &mut w.constraints.data_must_stay_onsite),
        (CUSTOM_CODE, &mut w.constraints.custom_code),
    ] {
        if let Some(text) = columns.value(record, column) {
            *slot = flag(text).ok_or_else(|| {
                format!(
                    "{} must be true or false (found \"{text}\")",
                    WORKLOAD_CSV_COLUMNS[column]
                )
            })?;
        }
    }
    if let Some(notes) = columns.raw(record, NOTES) {
        unneutralize_formula(notes).clone_into(&mut w.notes);
    }
    Ok(w)
}

/// What applying the workload CSV `text` to `plan` would do (see [`CsvUpdate`]). A byte-order
/// mark, CRLF line ends, `;` separators (with decimal commas) and cells neutralised by
/// [`workloads_to_csv`] are all read. Each row is checked: numbers must be non-negative,
/// names, categories, criticalities, destinations and flags must be valid, the id must not
/// repeat an earlier row, and the workload's current destination must be able to host it
/// (the plan's price book and the workload's constraints). A bad row is rejected with its
/// line; the rest apply.
///
/// # Errors
/// `1: …` when the text is empty or the header has no `id` column (or names a column twice).
pub fn apply_workloads_csv(plan: &Plan, text: &str) -> Result<CsvUpdate, String> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if text.trim().is_empty() {
        return Err(
            "1: the file is empty; expected a header row such as \"id,name,category,…\"".to_owned(),
        );
    }
    let delimiter = sniff_delimiter(text);
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .trim(csv::Trim::None)
        .delimiter(delimiter)
        .from_reader(text.as_bytes());
    let headers = reader
        .headers()
        .map_err(|e| format!("1: cannot read the header row: {e}"))?
        .clone();
    let mut columns = Columns {
        at: [None; WORKLOAD_CSV_COLUMNS.len()],
        decimal_comma: delimiter == b';',
    };
    let mut ignored_columns = Vec::new();
    for (i, header) in headers.iter().enumerate() {
        match column_of(header) {
            Some(column) if columns.at[column].is_some() => {
                return Err(format!(
                    "1: the header names the column \"{}\" twice",
                    WORKLOAD_CSV_COLUMNS[column]
                ));
            }
            Some(column) => columns.at[column] = Some(i),
            None if header.trim().is_empty() => {}
            None => ignored_columns.push(header.trim().to_owned()),
        }
    }
    if columns.at[ID].is_none() {
        return Err(format!(
            "1: the header has no \"id\" column; expected the columns {}",
            WORKLOAD_CSV_COLUMNS.join(", ")
        ));
    }

    let mut rejected = Vec::new();
    let mut rows = Vec::new();
    for result in reader.records() {
        match result {
            Ok(record) => {
                if record.iter().all(|cell| cell.trim().is_empty()) {
                    continue;
                }
                let start = record.position().map_or(0, csv::Position::byte);
                rows.push((line_of_byte(text, start), start, record));
            }
            Err(error) => rejected.push(RejectedRow {
                line: error.position().map_or(0, |p| line_of_byte(text, p.byte())),
                message: format!("not valid CSV: {error}"),
            }),
        }
    }
    // The CSV reader takes a quote that is never closed to run to the end of the file; such
    // a row would put the rest of the file into one cell.
    if let Some((line, start, _)) = rows.last()
        && let Some(rest) = usize::try_from(*start).ok().and_then(|s| text.get(s..))
        && ends_inside_quotes(rest, delimiter)
    {
        rejected.push(RejectedRow {
            line: *line,
            message: "a quoted cell on this line is never closed (a \" is missing), so the rest of the file would be one cell".to_owned(),
        });
        rows.pop();
    }

    // Every id the file names, so an id made up for a row without one takes none of them.
    let named: HashSet<String> = rows
        .iter()
        .filter_map(|(_, _, record)| columns.raw(record, ID))
        .map(|id| unneutralize_formula(id.trim()).to_owned())
        .filter(|id| !id.is_empty())
        .collect();
    let mut workloads = plan.workloads.clone();
    let mut index: HashMap<String, usize> = HashMap::with_capacity(workloads.len());
    for (i, w) in workloads.iter().enumerate() {
        index.entry(w.id.clone()).or_insert(i);
    }
    let mut seen: HashMap<String, u64> = HashMap::new();
    let mut updated = Vec::new();
    let mut added = Vec::new();
    let book = &plan.price_book;
    for (line, _, record) in rows {
        let mut id = columns
            .raw(&record, ID)
            .map(|id| unneutralize_formula(id.trim()).to_owned())
            .unwrap_or_default();
        if id.is_empty() {
            let base = columns
                .raw(&record, NAME)
                .map(unneutralize_formula)
                .unwrap_or_default();
            id = crate::model::unused_id(base, |candidate| {
                index.contains_key(candidate) || named.contains(candidate)
            });
        }
        if let Some(first) = seen.get(&id) {
            rejected.push(RejectedRow {
                line,
                message: format!("id \"{id}\" is already on line {first}"),
            });
            continue;
        }
        seen.insert(id.clone(), line);
        let existing = index.get(&id).copied();
        let base = existing.map_or_else(
            || Workload::new(&id, "", Category::Other),
            |i| workloads[i].clone(),
        );
        let result = apply_row(&columns, &record, base, existing.is_none()).and_then(|w| {
            let unchanged = existing.is_some_and(|i| workloads[i] == w);
            if unchanged || is_allowed(book, &w, w.current) {
                Ok(w)
            } else {
                Err(crate::model::ruled_out_reason(book, &w, w.current))
            }
        });
        match (result, existing) {
            (Err(message), _) => rejected.push(RejectedRow { line, message }),
            (Ok(w), Some(i)) => {
                if workloads[i] != w {
                    workloads[i] = w;
                    updated.push(id);
                }
            }
            (Ok(w), None) => {
                index.insert(id.clone(), workloads.len());
                workloads.push(w);
                added.push(id);
            }
        }
    }
    rejected.sort_by_key(|r| r.line);
    Ok(CsvUpdate {
        workloads,
        updated,
        added,
        rejected,
        ignored_columns,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn neutralizes_and_restores() {
        for text in [
            "=SUM(A1)",
            "+1",
            "-5 dollars",
            "@home",
            "\tTab",
            "\rCR",
            "'=already",
            "''+twice",
        ] {
            let cell = neutralize_formula(text);
            assert!(cell.starts_with('\''), "{text:?} → {cell:?}");
            assert_eq!(unneutralize_formula(&cell), text);
        }
        for text in ["plain", "'t Hooft", "'", "", "5-4", "a=b"] {
            assert_eq!(neutralize_formula(text), text);
            assert_eq!(unneutralize_formula(text), text);
        }
    }

    #[test]
    fn header_names_are_tolerant() {
        assert_eq!(column_of(" Storage (GB) "), Some(STORAGE));
        assert_eq!(column_of("Egress GB per month"), Some(EGRESS));
        assert_eq!(column_of("NEEDS-OS-ADMIN"), Some(NEEDS_OS_ADMIN));
        assert_eq!(column_of("Current destination"), Some(CURRENT));
        assert_eq!(column_of("Id"), Some(ID));
        assert_eq!(column_of("colour"), None);
    }

    #[test]
    fn numbers_as_spreadsheets_write_them() {
        let d = |s: &str| Decimal::from_str(s).ok();
        assert_eq!(parse_decimal("1250.5", false), d("1250.5"));
        assert_eq!(parse_decimal("1,250.5", false), d("1250.5"));
        assert_eq!(parse_decimal("1,250,000", false), d("1250000"));
        assert_eq!(parse_decimal("1,5", false), None);
        assert_eq!(parse_decimal("1,5", true), d("1.5"));
        assert_eq!(parse_decimal("1.250,5", true), d("1250.5"));
        assert_eq!(parse_decimal("1.5", true), d("1.5"));
        assert_eq!(parse_decimal("1.2E+3", false), d("1200"));
        assert_eq!(parse_decimal("abc", false), None);
    }

    #[test]
    fn delimiter_is_sniffed_from_the_header() {
        assert_eq!(sniff_delimiter("id,name\n"), b',');
        assert_eq!(sniff_delimiter("id;name;notes\r\n"), b';');
        assert_eq!(sniff_delimiter("id\tname\n"), b'\t');
        assert_eq!(sniff_delimiter("\"a;b\",c\n"), b',');
    }

    #[test]
    fn unclosed_quotes_are_noticed() {
        assert!(ends_inside_quotes("a,\"open,b\n", b','));
        assert!(ends_inside_quotes("\"a\"\"b", b','));
        assert!(!ends_inside_quotes("a,\"closed\"\"\",b\n", b','));
        assert!(!ends_inside_quotes("Monitor 24\",x\n", b','));
        assert!(!ends_inside_quotes("\"two\r\nlines\"\r\n", b','));
        assert!(ends_inside_quotes("a;\"b", b';'));
    }

    #[test]
    fn amounts_are_plain() {
        assert_eq!(plain_amount(50_000), "500.00");
        assert_eq!(plain_amount(5), "0.05");
        assert_eq!(plain_amount(-123_456), "-1234.56");
    }
}

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

use std::collections::HashMap;
use std::path::Path;

use rust_decimal::{Decimal, prelude::ToPrimitive};

use super::admit::verdict;
use super::azure_migrate::{ImportError, RejectedRow};
use super::csv_text::{
    Layout, LineCounter, NotANumber, NumberStyle, Refusal, Separator, layout, neutralize_formula,
    parse_decimal, unclosed_quote, unneutralize_formula,
};
use crate::model::{
    Category, Cents, Criticality, Destination, Plan, Workload, WorkloadIds, cents_from_amount,
    is_allowed,
};
use crate::storage::{TextEncoding, TextKind, read_text};

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
    /// Rows under the header that were read (blank rows are not counted).
    pub rows_read: u64,
    /// How the file was separated.
    pub separator: Separator,
    /// The file's encoding ([`apply_workloads_csv`] is given text, so UTF-8 there).
    pub encoding: TextEncoding,
}

impl CsvUpdate {
    /// True when applying the update would change the plan.
    #[must_use]
    pub fn changes_plan(&self) -> bool {
        !(self.updated.is_empty() && self.added.is_empty())
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

/// Where each known column is in the file.
struct Columns {
    at: [Option<usize>; WORKLOAD_CSV_COLUMNS.len()],
    /// How the file writes decimals (from its separator).
    style: NumberStyle,
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
    let value = parse_decimal(text, columns.style).map_err(|problem| match problem {
        NotANumber::Invalid => format!("{name} is not a number: \"{text}\""),
        NotANumber::Ambiguous => format!(
            "{name} is \"{text}\", which is a thousand or a decimal depending on the locale; write it without a thousands separator"
        ),
    })?;
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

/// Reads a workloads CSV file safely ([`read_text`]: the size limit, and UTF-8, UTF-16 or
/// Windows-1252 as Excel writes them) and says what applying it to `plan` would do.
///
/// # Errors
/// [`ImportError::Read`] when the file cannot be read or decoded, [`ImportError::Refused`]
/// when it is not a workloads CSV (no `id` column, a separator Keyholder does not read…).
pub fn apply_workloads_csv_file(plan: &Plan, path: &Path) -> Result<CsvUpdate, ImportError> {
    let file = read_text(path, TextKind::WorkloadsCsv).map_err(ImportError::Read)?;
    let mut update =
        apply_text(plan, &file.text).map_err(|Refusal { line, message }| ImportError::Refused {
            path: path.to_owned(),
            line,
            message,
        })?;
    update.encoding = file.encoding;
    Ok(update)
}

/// What applying the workload CSV `text` to `plan` would do (see [`CsvUpdate`]). A byte-order
/// mark, CRLF, LF or CR line ends, `,`, `;` (with decimal commas) or tab separators, and
/// cells neutralised by [`workloads_to_csv`] are all read. Each row is checked: numbers must
/// be non-negative, names, categories, criticalities, destinations and flags must be valid,
/// the id must not repeat an earlier row, the workload's current destination must be able to
/// host it (the plan's price book and the workload's constraints), and the plan with the
/// change must pass validation (bounds, and the scenarios' choices for the workload). A bad
/// row is rejected with its line; the rest apply.
///
/// # Errors
/// `LINE: …` when the text is empty, the separator is not one Keyholder reads, or the header
/// has no `id` column (or names a column twice).
pub fn apply_workloads_csv(plan: &Plan, text: &str) -> Result<CsvUpdate, String> {
    apply_text(plan, text).map_err(|Refusal { line, message }| format!("{line}: {message}"))
}

fn apply_text(plan: &Plan, text: &str) -> Result<CsvUpdate, Refusal> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if text.trim().is_empty() {
        return Err(Refusal {
            line: 1,
            message: "the file is empty; expected a header row such as \"id,name,category,…\""
                .to_owned(),
        });
    }
    let layout = layout(text)?;
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .trim(csv::Trim::None)
        .delimiter(layout.separator.byte())
        .from_reader(&text.as_bytes()[layout.start..]);
    let (columns, ignored_columns) = header(&mut reader, layout)?;
    let (rows, mut rejected) = read_rows(text, layout, &mut reader);
    let rows_read = (rows.len() + rejected.len()) as u64;
    let (workloads, mut touched) = apply_rows(plan, &columns, rows, &mut rejected);
    let workloads = admit_valid(plan, workloads, &mut touched, &mut rejected);
    let mut changes: Vec<(u64, String, bool)> = touched
        .into_values()
        .map(|touch| (touch.line, touch.id, touch.before.is_some()))
        .collect();
    changes.sort_unstable();
    let (mut updated, mut added) = (Vec::new(), Vec::new());
    for (_, id, was_there) in changes {
        if was_there {
            updated.push(id);
        } else {
            added.push(id);
        }
    }
    rejected.sort_by_key(|r| r.line);
    Ok(CsvUpdate {
        workloads,
        updated,
        added,
        rejected,
        ignored_columns,
        rows_read,
        separator: layout.separator,
        encoding: TextEncoding::Utf8,
    })
}

/// Where each known column is, and the header cells that name none.
fn header(
    reader: &mut csv::Reader<&[u8]>,
    layout: Layout,
) -> Result<(Columns, Vec<String>), Refusal> {
    let line = layout.header_line;
    let headers = reader.headers().map_err(|e| Refusal {
        line,
        message: format!("cannot read the header row: {e}"),
    })?;
    let mut columns = Columns {
        at: [None; WORKLOAD_CSV_COLUMNS.len()],
        style: layout.separator.number_style(),
    };
    let mut ignored_columns = Vec::new();
    for (i, header) in headers.iter().enumerate() {
        match column_of(header) {
            Some(column) if columns.at[column].is_some() => {
                return Err(Refusal {
                    line,
                    message: format!(
                        "the header names the column \"{}\" twice",
                        WORKLOAD_CSV_COLUMNS[column]
                    ),
                });
            }
            Some(column) => columns.at[column] = Some(i),
            None if header.trim().is_empty() => {}
            None => ignored_columns.push(header.trim().to_owned()),
        }
    }
    if columns.at[ID].is_none() {
        return Err(Refusal {
            line,
            message: format!(
                "the header has no \"id\" column (read as {}); expected the columns {}",
                layout.separator,
                WORKLOAD_CSV_COLUMNS.join(", ")
            ),
        });
    }
    Ok((columns, ignored_columns))
}

/// The rows that are not blank, each with its line; rows the CSV reader cannot read are
/// rejected.
fn read_rows(
    text: &str,
    layout: Layout,
    reader: &mut csv::Reader<&[u8]>,
) -> (Vec<(u64, csv::StringRecord)>, Vec<RejectedRow>) {
    let mut lines = LineCounter::new(text);
    let mut rejected = Vec::new();
    let mut rows = Vec::new();
    let mut last_start = 0;
    for result in reader.records() {
        let start = match &result {
            Ok(record) => record.position(),
            Err(error) => error.position(),
        }
        .map_or(0, |p| layout.start + usize::try_from(p.byte()).unwrap_or(0));
        let line = lines.record_line(start);
        match result {
            Ok(record) if record.iter().all(|cell| cell.trim().is_empty()) => {}
            Ok(record) => {
                last_start = start;
                rows.push((line, record));
            }
            Err(error) => rejected.push(RejectedRow {
                line,
                message: format!("not valid CSV: {error}"),
            }),
        }
    }
    // The CSV reader takes a quote that is never closed to run to the end of the file; such
    // a row would put the rest of the file into one cell.
    if let Some((line, _)) = rows.last()
        && let Some(opened) = text
            .get(last_start..)
            .and_then(|rest| unclosed_quote(rest, layout.separator))
    {
        rejected.push(RejectedRow {
            line: *line,
            message: format!(
                "a quoted cell on line {} is never closed (a \" is missing), so the rest of the file would be one cell; nothing from this line on was applied",
                *line + opened - 1
            ),
        });
        rows.pop();
    }
    (rows, rejected)
}

/// A workload a row changes or adds.
struct Touch {
    line: u64,
    id: String,
    /// The workload before the row; `None` when the row adds it.
    before: Option<Workload>,
}

/// The plan's workloads with every row applied that is valid on its own, and what each row
/// changed (by workload index); bad rows go to `rejected`.
fn apply_rows(
    plan: &Plan,
    columns: &Columns,
    rows: Vec<(u64, csv::StringRecord)>,
    rejected: &mut Vec<RejectedRow>,
) -> (Vec<Workload>, HashMap<usize, Touch>) {
    // Every id the file names is taken, so an id made up for a row without one takes none.
    let mut ids = WorkloadIds::of_plan(plan);
    for (_, record) in &rows {
        if let Some(id) = columns.raw(record, ID) {
            let id = unneutralize_formula(id.trim());
            if !id.is_empty() {
                ids.reserve(id);
            }
        }
    }
    let mut workloads = plan.workloads.clone();
    let mut index: HashMap<String, usize> = HashMap::with_capacity(workloads.len());
    for (i, w) in workloads.iter().enumerate() {
        index.entry(w.id.clone()).or_insert(i);
    }
    let mut seen: HashMap<String, u64> = HashMap::new();
    let mut touched: HashMap<usize, Touch> = HashMap::new();
    let book = &plan.price_book;
    for (line, record) in rows {
        let mut id = columns
            .raw(&record, ID)
            .map(|id| unneutralize_formula(id.trim()).to_owned())
            .unwrap_or_default();
        if id.is_empty() {
            let base = columns
                .raw(&record, NAME)
                .map(unneutralize_formula)
                .unwrap_or_default();
            id = ids.unused(base);
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
        let result = apply_row(columns, &record, base, existing.is_none()).and_then(|w| {
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
                    let before = std::mem::replace(&mut workloads[i], w);
                    touched.insert(
                        i,
                        Touch {
                            line,
                            id,
                            before: Some(before),
                        },
                    );
                }
            }
            (Ok(w), None) => {
                index.insert(id.clone(), workloads.len());
                touched.insert(
                    workloads.len(),
                    Touch {
                        line,
                        id,
                        before: None,
                    },
                );
                workloads.push(w);
            }
        }
    }
    (workloads, touched)
}

/// The workloads with every change validation refuses undone (as a rejected row): the plan
/// after the update must pass validation (bounds, and the scenarios' choices for the
/// workload) wherever the file touched it.
fn admit_valid(
    plan: &Plan,
    workloads: Vec<Workload>,
    touched: &mut HashMap<usize, Touch>,
    rejected: &mut Vec<RejectedRow>,
) -> Vec<Workload> {
    let mut candidate = Plan {
        workloads,
        ..plan.clone()
    };
    let refused: Vec<(usize, String)> = verdict(&candidate)
        .by_workload
        .into_iter()
        .filter(|(i, _)| touched.contains_key(i))
        .map(|(i, messages)| (i, messages.join("; ")))
        .collect();
    let mut dropped = std::collections::HashSet::new();
    for (i, message) in refused {
        if let Some(touch) = touched.remove(&i) {
            rejected.push(RejectedRow {
                line: touch.line,
                message: format!("not valid in the plan: {message}"),
            });
            match touch.before {
                Some(before) => candidate.workloads[i] = before,
                None => {
                    dropped.insert(i);
                }
            }
        }
    }
    let mut workloads = candidate.workloads;
    if !dropped.is_empty() {
        let mut i = 0;
        workloads.retain(|_| {
            i += 1;
            !dropped.contains(&(i - 1))
        });
    }
    workloads
}

#[cfg(test)]
mod tests {
    use super::*;

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
    fn amounts_are_plain() {
        assert_eq!(plain_amount(50_000), "500.00");
        assert_eq!(plain_amount(5), "0.05");
        assert_eq!(plain_amount(-123_456), "-1234.56");
    }
}

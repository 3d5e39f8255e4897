//! Reads the Azure Migrate "import using CSV" template (PRODUCT.md section 7). Header
//! matching tolerates the `*` prefix, case and surrounding spaces; a bad row is reported with
//! its line number and the rest imported; nothing is lost silently:
//!
//! - the file is read like every untrusted file ([`crate::storage::read_text`]): at most
//!   64 MiB, in UTF-8, UTF-16 with a byte-order mark or Windows-1252, else refused;
//! - comma, semicolon (with decimal commas) and tab separators are found from the header;
//! - a quote that is never closed, a separator Keyholder does not read and a header that
//!   names a column twice refuse the whole file, with the line;
//! - every row is counted: read, imported or rejected with its line and why;
//! - the plan that is made always passes validation: a row whose workload validation
//!   refuses (a value over a bound) is a rejected row with validation's message.
//!
//! The work is linear in the size of the file.

use std::collections::HashMap;
use std::fmt;
use std::path::{Path, PathBuf};

use rust_decimal::Decimal;

use super::admit::verdict;
use super::csv_text::{
    ImportProgress, Layout, LineCounter, NotANumber, NumberStyle, Refusal, Separator, layout,
    parse_decimal, unclosed_quote,
};
use crate::model::{
    Category, Destination, Issue, Plan, PriceBook, Workload, WorkloadIds, YearMonth, warnings,
};
use crate::storage::{LoadError, TextEncoding, TextKind, read_text};

/// Disk columns the template has: `Disk 1 size (In GB)` … `Disk 8 size (In GB)`.
const DISKS: usize = 8;

/// Rows between two looks at the progress and the cancel flag.
const ROWS_PER_CHECK: u64 = 256;

/// A row that was not imported.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RejectedRow {
    /// 1-based line in the CSV file (where the row starts).
    pub line: u64,
    pub message: String,
}

/// What an inventory import made, and what the person importing should be told.
#[derive(Debug, Clone)]
pub struct ImportOutcome {
    /// The new plan; it passes [`crate::model::validate`].
    pub plan: Plan,
    /// Rows not imported, in line order.
    pub rejected: Vec<RejectedRow>,
    /// Rows under the header that were read (blank rows are not counted): every one is
    /// either imported (a workload of `plan`) or rejected.
    pub rows_read: u64,
    pub encoding: TextEncoding,
    /// For a file read as Windows-1252: another encoding its letters may be in.
    pub other_possible_encoding: Option<&'static str>,
    pub separator: Separator,
    /// [`crate::model::warnings`] of the new plan (e.g. servers with 0 users on per-user
    /// prices).
    pub warnings: Vec<Issue>,
}

impl ImportOutcome {
    /// Rows that became workloads.
    #[must_use]
    pub fn rows_imported(&self) -> usize {
        self.plan.workloads.len()
    }

    /// One line for the person importing: `5 rows read, 4 imported, 1 rejected (UTF-8,
    /// comma-separated)`.
    #[must_use]
    pub fn summary(&self) -> String {
        format!(
            "{} row{} read, {} imported, {} rejected ({}, {})",
            self.rows_read,
            if self.rows_read == 1 { "" } else { "s" },
            self.rows_imported(),
            self.rejected.len(),
            self.encoding,
            self.separator
        )
    }

    /// A caution when the file was read as Windows-1252 but its letters could also be in
    /// another encoding: accented names should be checked.
    #[must_use]
    pub fn encoding_caution(&self) -> Option<String> {
        self.other_possible_encoding.map(|other| {
            format!(
                "read as {}, but the letters could also be {other}: if accented names look wrong, save the file from Excel as \"CSV UTF-8\" and import it again",
                self.encoding
            )
        })
    }
}

/// Why nothing was imported.
#[derive(Debug)]
pub enum ImportError {
    /// The file could not be read or decoded (too large, a folder, an unknown encoding…).
    Read(LoadError),
    /// The file was read but is not an inventory that can be imported (no header, a
    /// mandatory column missing or named twice, a quote never closed…), at a 1-based line.
    Refused {
        path: PathBuf,
        line: u64,
        message: String,
    },
    /// [`ImportProgress::cancel`] was called.
    Cancelled,
}

impl fmt::Display for ImportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Read(error) => error.fmt(f),
            Self::Refused {
                path,
                line,
                message,
            } => write!(f, "{}:{line}: {message}", path.display()),
            Self::Cancelled => f.write_str("the import was cancelled; nothing was imported"),
        }
    }
}

impl std::error::Error for ImportError {}

/// What a new plan made from an inventory starts with.
#[derive(Debug, Clone)]
pub struct InventorySettings {
    pub customer: String,
    pub start_month: YearMonth,
    pub price_book: PriceBook,
}

/// The customer name an inventory file suggests: its name without the extension.
#[must_use]
pub fn customer_from_file_name(path: &Path) -> String {
    path.file_stem()
        .map(|stem| stem.to_string_lossy().trim().to_owned())
        .filter(|stem| !stem.is_empty())
        .unwrap_or_else(|| "New customer".to_owned())
}

/// Reads an inventory file and builds a new plan from it: the one path from a file to an
/// [`ImportOutcome`], for the app (on a background thread, with `progress`) and the CLI.
///
/// # Errors
/// [`ImportError`]: the file cannot be read, is not an inventory, or the import was
/// cancelled. Bad rows are not errors: they are in [`ImportOutcome::rejected`].
pub fn import_inventory_file(
    path: &Path,
    settings: InventorySettings,
    progress: &ImportProgress,
) -> Result<ImportOutcome, ImportError> {
    let file = read_text(path, TextKind::Inventory).map_err(ImportError::Read)?;
    let text = file.text.strip_prefix('\u{feff}').unwrap_or(&file.text);
    let mut outcome = import_text(text, settings, progress).map_err(|e| match e {
        Stop::Refused(Refusal { line, message }) => ImportError::Refused {
            path: path.to_owned(),
            line,
            message,
        },
        Stop::Cancelled => ImportError::Cancelled,
    })?;
    outcome.encoding = file.encoding;
    outcome.other_possible_encoding = file.other_possible_encoding;
    Ok(outcome)
}

/// Builds a new plan for `customer` from CSV text already decoded, with the given price book
/// and the defaults of a new plan (PRODUCT.md section 8). Prefer [`import_inventory_file`],
/// which also reads the file safely.
///
/// # Errors
/// `LINE: message` when the text is not an inventory that can be imported.
pub fn import_inventory(
    csv_text: &str,
    customer: &str,
    start_month: YearMonth,
    price_book: PriceBook,
) -> Result<ImportOutcome, String> {
    let (text, encoding) = match csv_text.strip_prefix('\u{feff}') {
        Some(text) => (text, TextEncoding::Utf8WithBom),
        None => (csv_text, TextEncoding::Utf8),
    };
    let settings = InventorySettings {
        customer: customer.to_owned(),
        start_month,
        price_book,
    };
    let mut outcome = import_text(text, settings, &ImportProgress::new()).map_err(|e| match e {
        Stop::Refused(Refusal { line, message }) => format!("{line}: {message}"),
        Stop::Cancelled => "the import was cancelled".to_owned(),
    })?;
    outcome.encoding = encoding;
    Ok(outcome)
}

enum Stop {
    Refused(Refusal),
    Cancelled,
}

impl From<Refusal> for Stop {
    fn from(refusal: Refusal) -> Self {
        Self::Refused(refusal)
    }
}

/// A header as compared: no `*`, lower case, single spaces.
fn normalize(header: &str) -> String {
    header
        .trim()
        .trim_start_matches('*')
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

const SERVER_NAME: usize = 0;
const CORES: usize = 1;
const MEMORY: usize = 2;
const OS_NAME: usize = 3;
const OS_VERSION: usize = 4;
const IP_ADDRESSES: usize = 5;
const FIRST_DISK: usize = 6;
const MANDATORY: usize = 4;

/// The template's columns that the import reads, as the template spells them; mandatory
/// ones first.
fn read_columns() -> Vec<String> {
    let mut names: Vec<String> = [
        "Server Name",
        "Cores",
        "Memory (In MB)",
        "OS name",
        "OS version",
        "IP addresses",
    ]
    .map(str::to_owned)
    .to_vec();
    names.extend((1..=DISKS).map(|n| format!("Disk {n} size (In GB)")));
    names
}

/// Where each column the import reads is in the file.
struct Columns {
    names: Vec<String>,
    at: Vec<Option<usize>>,
    style: NumberStyle,
}

impl Columns {
    fn get<'r>(&self, record: &'r csv::StringRecord, column: usize) -> &'r str {
        self.at[column]
            .and_then(|i| record.get(i))
            .map_or("", str::trim)
    }

    /// A number cell: `None` when empty and optional.
    fn number(
        &self,
        record: &csv::StringRecord,
        column: usize,
        mandatory: bool,
    ) -> Result<Option<Decimal>, String> {
        let name = &self.names[column];
        let text = self.get(record, column);
        if text.is_empty() {
            return if mandatory {
                Err(format!("\"{name}\" is empty"))
            } else {
                Ok(None)
            };
        }
        let value = parse_decimal(text, self.style).map_err(|problem| match problem {
            NotANumber::Invalid => format!("\"{name}\" is not a number: \"{text}\""),
            NotANumber::Ambiguous => format!(
                "\"{name}\" is \"{text}\", which is a thousand or a decimal depending on the locale; write it without a thousands separator"
            ),
        })?;
        if value.is_sign_negative() && !value.is_zero() {
            return Err(format!("\"{name}\" is negative: {text}"));
        }
        Ok(Some(value))
    }
}

/// A 1-based column number as a person finds it: `3 (C)`.
fn column_label(index: usize) -> String {
    let mut letters = Vec::new();
    let mut n = index + 1;
    while n > 0 {
        let rem = (n - 1) % 26;
        // rem < 26, so the cast keeps the value.
        #[expect(clippy::cast_possible_truncation, reason = "rem is below 26")]
        letters.push(char::from(b'A' + rem as u8));
        n = (n - 1) / 26;
    }
    letters.reverse();
    format!(
        "{} ({})",
        index + 1,
        letters.into_iter().collect::<String>()
    )
}

fn columns_of(
    headers: &csv::StringRecord,
    separator: Separator,
    line: u64,
) -> Result<Columns, Refusal> {
    let names = read_columns();
    let wanted: HashMap<String, usize> = names
        .iter()
        .enumerate()
        .map(|(i, name)| (normalize(name), i))
        .collect();
    let mut at: Vec<Option<usize>> = vec![None; names.len()];
    for (i, header) in headers.iter().enumerate() {
        let Some(&column) = wanted.get(&normalize(header)) else {
            continue;
        };
        if let Some(first) = at[column] {
            return Err(Refusal {
                line,
                message: format!(
                    "the header names the column \"{}\" twice, in columns {} and {}; keep one so it is clear which to import",
                    names[column],
                    column_label(first),
                    column_label(i)
                ),
            });
        }
        at[column] = Some(i);
    }
    let missing: Vec<String> = (0..MANDATORY)
        .filter(|&c| at[c].is_none())
        .map(|c| format!("\"*{}\"", names[c]))
        .collect();
    if !missing.is_empty() {
        return Err(Refusal {
            line,
            message: format!(
                "the header lacks the mandatory column{} {} (read as {separator}); is this the Azure Migrate import template?",
                if missing.len() == 1 { "" } else { "s" },
                missing.join(", ")
            ),
        });
    }
    Ok(Columns {
        names,
        at,
        style: separator.number_style(),
    })
}

fn import_text(
    text: &str,
    settings: InventorySettings,
    progress: &ImportProgress,
) -> Result<ImportOutcome, Stop> {
    progress.set_total(text.len() as u64);
    let layout = layout(text)?;
    let table = &text[layout.start..];
    // A quote never closed makes the rest of the file one cell: refuse before reading rows.
    if let Some(line) = unclosed_quote(table, layout.separator) {
        return Err(Stop::Refused(Refusal {
            line: line + layout.header_line - 1,
            message: "a quoted cell that starts on this line is never closed (a \" is missing), so every row after it would be read into that one cell; nothing was imported".to_owned(),
        }));
    }
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .trim(csv::Trim::None)
        .delimiter(layout.separator.byte())
        .from_reader(table.as_bytes());
    let headers = reader
        .headers()
        .map_err(|e| Refusal {
            line: layout.header_line,
            message: format!("cannot read the header row: {e}"),
        })?
        .clone();
    let columns = columns_of(&headers, layout.separator, layout.header_line)?;

    let InventorySettings {
        customer,
        start_month,
        price_book,
    } = settings;
    let mut plan = Plan::new(&customer, start_month, price_book);
    let mut rows = read_rows(text, layout, &columns, &mut reader, &plan, progress)?;
    plan.workloads = rows.workloads;
    admit_valid(
        &mut plan,
        &rows.lines,
        &mut rows.rejected,
        layout.header_line,
    )?;
    rows.rejected.sort_by_key(|r| r.line);
    progress.set_done(text.len() as u64);
    Ok(ImportOutcome {
        warnings: warnings(&plan),
        plan,
        rejected: rows.rejected,
        rows_read: rows.read,
        encoding: TextEncoding::Utf8,
        other_possible_encoding: None,
        separator: layout.separator,
    })
}

/// The rows of an inventory: workloads made (with the line of each), rows rejected, and
/// how many were read.
struct Rows {
    workloads: Vec<Workload>,
    lines: Vec<u64>,
    rejected: Vec<RejectedRow>,
    read: u64,
}

fn read_rows(
    text: &str,
    layout: Layout,
    columns: &Columns,
    reader: &mut csv::Reader<&[u8]>,
    plan: &Plan,
    progress: &ImportProgress,
) -> Result<Rows, Stop> {
    let mut ids = WorkloadIds::of_plan(plan);
    let mut lines = LineCounter::new(text);
    let mut rows = Rows {
        workloads: Vec::new(),
        lines: Vec::new(),
        rejected: Vec::new(),
        read: 0,
    };
    let mut records = 0_u64;
    for result in reader.records() {
        let start = match &result {
            Ok(record) => record.position(),
            Err(error) => error.position(),
        }
        .map_or(0, |p| layout.start + usize::try_from(p.byte()).unwrap_or(0));
        records += 1;
        if records.is_multiple_of(ROWS_PER_CHECK) {
            if progress.is_cancelled() {
                return Err(Stop::Cancelled);
            }
            progress.set_done(start as u64);
        }
        let line = lines.record_line(start);
        let record = match result {
            Ok(record) if record.iter().all(|cell| cell.trim().is_empty()) => continue,
            Ok(record) => record,
            Err(error) => {
                rows.read += 1;
                rows.rejected.push(RejectedRow {
                    line,
                    message: format!("not valid CSV: {error}"),
                });
                continue;
            }
        };
        rows.read += 1;
        match workload_from_row(columns, &record, &mut ids) {
            Ok(workload) => {
                rows.workloads.push(workload);
                rows.lines.push(line);
            }
            Err(message) => rows.rejected.push(RejectedRow { line, message }),
        }
    }
    if progress.is_cancelled() {
        return Err(Stop::Cancelled);
    }
    Ok(rows)
}

/// Takes out of `plan` the workloads validation refuses, as rejected rows (`lines` holds
/// each workload's line), so the plan passes validation; refuses the whole import when a
/// problem concerns no row.
fn admit_valid(
    plan: &mut Plan,
    lines: &[u64],
    rejected: &mut Vec<RejectedRow>,
    header_line: u64,
) -> Result<(), Refusal> {
    let first = verdict(plan);
    let mut kept_lines = Vec::with_capacity(lines.len());
    if !first.by_workload.is_empty() {
        let mut kept = Vec::with_capacity(plan.workloads.len());
        for (i, workload) in std::mem::take(&mut plan.workloads).into_iter().enumerate() {
            if let Some(messages) = first.by_workload.get(&i) {
                rejected.push(RejectedRow {
                    line: lines[i],
                    message: format!("not valid in a plan: {}", messages.join("; ")),
                });
            } else {
                kept.push(workload);
                kept_lines.push(lines[i]);
            }
        }
        plan.workloads = kept;
    }
    // Rows taken out cannot make others invalid; the second look is the proof of it.
    let second = if first.by_workload.is_empty() {
        kept_lines = lines.to_vec();
        first
    } else {
        verdict(plan)
    };
    let refuse = |line: u64, problem: &str| Refusal {
        line,
        message: format!("the new plan would not pass check ({problem}); nothing was imported"),
    };
    if let Some(issue) = second.elsewhere.first() {
        return Err(refuse(header_line, &issue.to_string()));
    }
    if let Some((&i, messages)) = second.by_workload.iter().next() {
        let line = kept_lines.get(i).copied().unwrap_or(header_line);
        return Err(refuse(line, &messages.join("; ")));
    }
    Ok(())
}

fn workload_from_row(
    columns: &Columns,
    record: &csv::StringRecord,
    ids: &mut WorkloadIds,
) -> Result<Workload, String> {
    let name = columns.get(record, SERVER_NAME);
    if name.is_empty() {
        return Err("\"Server Name\" is empty".to_owned());
    }
    if name.contains('\u{fffd}') {
        return Err(format!(
            "\"Server Name\" \"{name}\" contains \u{fffd}, the mark of a letter lost by an earlier conversion; correct the name in the file"
        ));
    }
    let cores = columns.number(record, CORES, true)?.unwrap_or_default();
    if cores.is_zero() || !cores.fract().is_zero() {
        return Err(format!(
            "\"Cores\" must be a whole number above 0, not {cores}"
        ));
    }
    let memory_mb = columns.number(record, MEMORY, true)?.unwrap_or_default();
    let os_name = columns.get(record, OS_NAME);
    if os_name.is_empty() {
        return Err("\"OS name\" is empty".to_owned());
    }
    let mut storage_gb = Decimal::ZERO;
    let mut disks = 0;
    for n in 0..DISKS {
        if let Some(size) = columns.number(record, FIRST_DISK + n, false)? {
            storage_gb = storage_gb
                .checked_add(size)
                .ok_or_else(|| "the disk sizes add up to more than any plan can hold".to_owned())?;
            disks += 1;
        }
    }
    let os_version = columns.get(record, OS_VERSION);
    let ips = columns.get(record, IP_ADDRESSES);
    let category = guess_category(name, os_name);
    let mut workload = Workload::new(&ids.unused(name), name, category);
    workload.servers = 1;
    workload.users = 0;
    workload.storage_gb = storage_gb.normalize();
    workload.current = Destination::OnPremises;
    workload.notes = format!(
        "Imported from inventory: {} cores, {} MB memory, {os_name}{}{}, {disks} disk{}{}. Category guessed; check it.",
        cores.normalize(),
        memory_mb.normalize(),
        if os_version.is_empty() { "" } else { " " },
        os_version,
        if disks == 1 { "" } else { "s" },
        if ips.is_empty() {
            String::new()
        } else {
            format!(", IP {ips}")
        },
    );
    Ok(workload)
}

/// A first guess of what a server does from its name and OS; the user corrects it later.
#[must_use]
pub fn guess_category(server_name: &str, os_name: &str) -> Category {
    let lower = server_name.to_lowercase();
    // Tokens without trailing digits: "DC01" → "dc", "sql-02" → "sql".
    let tokens: Vec<String> = lower
        .split(|c: char| !c.is_ascii_alphanumeric())
        .map(|t| t.trim_end_matches(|c: char| c.is_ascii_digit()).to_owned())
        .filter(|t| !t.is_empty())
        .collect();
    let has = |words: &[&str]| words.iter().any(|w| lower.contains(w));
    let token = |words: &[&str]| tokens.iter().any(|t| words.contains(&t.as_str()));
    if has(&["exch", "mail", "smtp"]) || token(&["mx", "ex"]) {
        Category::Email
    } else if has(&["sharepoint", "intranet", "moss", "wss"]) || token(&["sp", "spo"]) {
        Category::Collaboration
    } else if has(&["lync", "ocs", "skype", "sfb"]) {
        Category::UnifiedCommunications
    } else if has(&["livemeeting", "meeting", "conf"]) {
        Category::WebConferencing
    } else if has(&["crm", "dynamics", "splendid", "salesforce"]) {
        Category::Crm
    } else if has(&["sql", "database", "oracle", "postgres", "mysql"]) || token(&["db"]) {
        Category::Database
    } else if has(&["backup", "veeam", "archive"]) || token(&["bak", "bk"]) {
        Category::Backup
    } else if has(&["domain", "ldap", "adfs"]) || token(&["dc", "ad", "dns"]) {
        Category::Directory
    } else if has(&["file", "share", "nas"]) || token(&["fs", "fp"]) {
        Category::FileServer
    } else if has(&["web", "iis", "www", "portal", "apache", "nginx"]) {
        Category::WebApplication
    } else if has(&["app", "erp", "sage", "lob", "quickbooks", "accounts"]) {
        Category::LineOfBusiness
    } else if os_name.to_lowercase().contains("linux") || os_name.to_lowercase().contains("ubuntu")
    {
        Category::WebApplication
    } else {
        Category::Other
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_are_labelled_as_in_excel() {
        assert_eq!(column_label(0), "1 (A)");
        assert_eq!(column_label(25), "26 (Z)");
        assert_eq!(column_label(26), "27 (AA)");
        assert_eq!(column_label(701), "702 (ZZ)");
        assert_eq!(column_label(702), "703 (AAA)");
    }
}

//! Reads the Azure Migrate CSV template. Header matching tolerates the `*` prefix, case and
//! surrounding spaces; a bad row is reported with its line number and the rest imported.

use std::collections::HashMap;
use std::str::FromStr;

use rust_decimal::Decimal;

use crate::model::{Category, Destination, Plan, PriceBook, Workload, YearMonth};

/// Disk columns the template has: `Disk 1 size (In GB)` … `Disk 8 size (In GB)`.
const DISKS: usize = 8;

/// A row that was not imported.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RejectedRow {
    /// 1-based line in the CSV file.
    pub line: u64,
    pub message: String,
}

#[derive(Debug, Clone)]
pub struct ImportOutcome {
    pub plan: Plan,
    pub rejected: Vec<RejectedRow>,
}

fn normalize(header: &str) -> String {
    header
        .trim()
        .trim_start_matches('*')
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

struct Columns {
    index: HashMap<String, usize>,
}

impl Columns {
    fn get<'r>(&self, record: &'r csv::StringRecord, name: &str) -> &'r str {
        self.index
            .get(name)
            .and_then(|&i| record.get(i))
            .map_or("", str::trim)
    }
}

/// Builds a new plan for `customer` from the CSV text, with the given price book and the
/// defaults of a new plan (PRODUCT.md section 8).
///
/// # Errors
/// When the header lacks a mandatory column or the text is not CSV at all.
pub fn import_inventory(
    csv_text: &str,
    customer: &str,
    start_month: YearMonth,
    price_book: PriceBook,
) -> Result<ImportOutcome, String> {
    let text = csv_text.strip_prefix('\u{feff}').unwrap_or(csv_text);
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .trim(csv::Trim::None)
        .from_reader(text.as_bytes());
    let headers = reader
        .headers()
        .map_err(|e| format!("1: cannot read the header row: {e}"))?
        .clone();
    let mut index = HashMap::new();
    for (i, header) in headers.iter().enumerate() {
        index.entry(normalize(header)).or_insert(i);
    }
    let columns = Columns { index };
    let missing: Vec<&str> = ["Server Name", "Cores", "Memory (In MB)", "OS name"]
        .into_iter()
        .filter(|name| !columns.index.contains_key(&normalize(name)))
        .collect();
    if !missing.is_empty() {
        return Err(format!(
            "1: the header lacks the mandatory column{} {}; is this the Azure Migrate import template?",
            if missing.len() == 1 { "" } else { "s" },
            missing
                .iter()
                .map(|m| format!("\"*{m}\""))
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }

    let mut plan = Plan::new(customer, start_month, price_book);
    let mut rejected = Vec::new();
    for result in reader.records() {
        let record = match result {
            Ok(record) => record,
            Err(error) => {
                let line = error.position().map_or(0, |p| line_of_byte(text, p.byte()));
                rejected.push(RejectedRow {
                    line,
                    message: format!("not valid CSV: {error}"),
                });
                continue;
            }
        };
        let line = record
            .position()
            .map_or(0, |p| line_of_byte(text, p.byte()));
        if record.iter().all(|cell| cell.trim().is_empty()) {
            continue;
        }
        match workload_from_row(&columns, &record, &plan) {
            Ok(workload) => plan.workloads.push(workload),
            Err(message) => rejected.push(RejectedRow { line, message }),
        }
    }
    Ok(ImportOutcome { plan, rejected })
}

/// The 1-based line where a record starting at `byte` begins. The csv crate's own line
/// count is off for CRLF files and after blank lines, so count newlines in the text, past
/// any line breaks the record position still points at.
pub(super) fn line_of_byte(text: &str, byte: u64) -> u64 {
    let mut start = usize::try_from(byte).unwrap_or(usize::MAX).min(text.len());
    let bytes = text.as_bytes();
    while start < bytes.len() && (bytes[start] == b'\r' || bytes[start] == b'\n') {
        start += 1;
    }
    1 + bytes[..start].iter().filter(|&&b| b == b'\n').count() as u64
}

/// A number cell; `name` is the column as the template spells it (`Cores`).
fn number(
    columns: &Columns,
    record: &csv::StringRecord,
    name: &str,
    mandatory: bool,
) -> Result<Option<Decimal>, String> {
    let text = columns.get(record, &normalize(name));
    if text.is_empty() {
        return if mandatory {
            Err(format!("\"{name}\" is empty"))
        } else {
            Ok(None)
        };
    }
    let value = Decimal::from_str(text)
        .or_else(|_| Decimal::from_scientific(text))
        .map_err(|_| format!("\"{name}\" is not a number: \"{text}\""))?;
    if value.is_sign_negative() && !value.is_zero() {
        return Err(format!("\"{name}\" is negative: {text}"));
    }
    Ok(Some(value))
}

fn workload_from_row(
    columns: &Columns,
    record: &csv::StringRecord,
    plan: &Plan,
) -> Result<Workload, String> {
    let name = columns.get(record, "server name");
    if name.is_empty() {
        return Err("\"Server Name\" is empty".to_owned());
    }
    let cores = number(columns, record, "Cores", true)?.unwrap_or_default();
    if cores.is_zero() || !cores.fract().is_zero() {
        return Err(format!(
            "\"Cores\" must be a whole number above 0, not {cores}"
        ));
    }
    let memory_mb = number(columns, record, "Memory (In MB)", true)?.unwrap_or_default();
    let os_name = columns.get(record, "os name");
    if os_name.is_empty() {
        return Err("\"OS name\" is empty".to_owned());
    }
    let mut storage_gb = Decimal::ZERO;
    let mut disks = 0;
    for n in 1..=DISKS {
        if let Some(size) = number(columns, record, &format!("Disk {n} size (In GB)"), false)? {
            storage_gb += size;
            disks += 1;
        }
    }
    let os_version = columns.get(record, "os version");
    let ips = columns.get(record, "ip addresses");
    let category = guess_category(name, os_name);
    let mut workload = Workload::new(&plan.unused_workload_id(name), name, category);
    workload.servers = 1;
    workload.users = 0;
    workload.storage_gb = storage_gb.normalize();
    workload.current = Destination::OnPremises;
    workload.notes = format!(
        "Imported from inventory: {cores} cores, {} MB memory, {os_name}{}{}, {disks} disk{}{}. Category guessed; check it.",
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

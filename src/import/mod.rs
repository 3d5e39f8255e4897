//! Inventory import: the Azure Migrate "import using CSV" template that MSPs already produce
//! from `RVTools`, CMDBs and RMM exports (PRODUCT.md section 7), and a plan's workloads as CSV
//! for a round trip through a spreadsheet. Both read files through
//! [`crate::storage::read_text`] and share one CSV reading ([`Separator`], line numbers,
//! numbers, quotes) and the one formula-neutralising rule for CSV in and out
//! ([`neutralize_formula`]).

mod admit;
mod azure_migrate;
mod csv_text;
mod workloads_csv;

pub use azure_migrate::{
    ImportError, ImportOutcome, InventorySettings, RejectedRow, customer_from_file_name,
    guess_category, import_inventory, import_inventory_file,
};
pub use csv_text::{ImportProgress, Refusal, Separator, neutralize_formula, unneutralize_formula};
pub use workloads_csv::{
    CsvUpdate, WORKLOAD_CSV_COLUMNS, apply_workloads_csv, apply_workloads_csv_file,
    workloads_to_csv,
};

//! Inventory import: the Azure Migrate "import using CSV" template that MSPs already produce
//! from RVTools, CMDBs and RMM exports (PRODUCT.md section 7), and a plan's workloads as CSV
//! for a round trip through a spreadsheet.

mod azure_migrate;
mod workloads_csv;

pub use azure_migrate::{ImportOutcome, RejectedRow, guess_category, import_inventory};
pub use workloads_csv::{
    CsvUpdate, WORKLOAD_CSV_COLUMNS, apply_workloads_csv, neutralize_formula, unneutralize_formula,
    workloads_to_csv,
};

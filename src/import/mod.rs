//! Inventory import: the Azure Migrate "import using CSV" template that MSPs already produce
//! from RVTools, CMDBs and RMM exports (PRODUCT.md section 7).

mod azure_migrate;

pub use azure_migrate::{ImportOutcome, RejectedRow, guess_category, import_inventory};

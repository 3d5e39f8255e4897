//! Keyholder: account plans for MSPs and VARs. Prices every workload of a customer on every
//! destination (on-premises, MSP-hosted, Azure IaaS, Azure PaaS, BPOS), scores the control the
//! MSP keeps, and finds the plans no other plan beats on both.
//!
//! Layers, each using only those before it: [`model`] (pure: types and every calculation) ←
//! [`storage`] and [`import`] (files and formats) ← [`report`] ← [`app`] (the desktop app's
//! state, intents and I/O) ← [`ui`] (its drawing) and [`cli`] (the command line). [`clock`]
//! is the one place the time is read; [`identity`] names the app (id, version, commit,
//! built-in price books, icon) for the CLI, the window and the packages.

pub mod app;
pub mod cli;
pub mod clock;
pub mod identity;
pub mod import;
pub mod model;
pub mod report;
pub mod storage;
pub mod ui;

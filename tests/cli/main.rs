//! The `keyholder` command line run as a user runs it (the real binary, through assert_cmd).

mod commands;
mod diff;
mod optimize;

//! The app's state and I/O, without drawing: the open document with its undo history,
//! commands, preferences, dialogs, recovery files and backups.

mod command;
mod dialogs;
mod document;
mod edit;
mod merge;
mod paths;
mod preferences;
mod recovery;

pub use command::Command;
pub use dialogs::{DialogKind, DialogOutcome, FileDialogs, NativeDialogs};
pub use document::Document;
pub use edit::{Edit, Scope};
pub use merge::{Take, all_takes, take_all_edit, take_edit};
pub use paths::AppPaths;
pub use preferences::{MAX_RECENT, Preferences, ThemeChoice, default_user_name};
pub use recovery::{
    BACKUPS_PER_FILE, Recovery, back_up_previous_version, backups_of, find_recoveries,
    load_for_app, recovery_file, remove_recovery, write_recovery,
};

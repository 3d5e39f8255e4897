//! The user's preferences: one struct, every field defaulted, stored as RON in the config
//! dir. Customer plans are never stored here.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

/// How many recent files the File menu lists.
pub const MAX_RECENT: usize = 10;

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum ThemeChoice {
    #[default]
    System,
    Light,
    Dark,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Preferences {
    /// Newest first.
    pub recent_files: Vec<PathBuf>,
    pub last_folder: Option<PathBuf>,
    pub theme: ThemeChoice,
    /// Who is written into a plan's history on save.
    pub user_name: String,
    /// Window size in points.
    pub window_size: Option<[f32; 2]>,
    /// Portfolio folders opened, newest first.
    #[serde(default)]
    pub recent_portfolios: Vec<PathBuf>,
    /// The PDF report's paper; `None`: from the locale.
    #[serde(default)]
    pub paper: Option<crate::report::Paper>,
}

impl Default for Preferences {
    fn default() -> Self {
        Self {
            recent_files: Vec::new(),
            last_folder: None,
            theme: ThemeChoice::System,
            user_name: default_user_name(),
            window_size: None,
            recent_portfolios: Vec::new(),
            paper: None,
        }
    }
}

/// The OS user, for history entries.
#[must_use]
pub fn default_user_name() -> String {
    std::env::var("USER")
        .or_else(|_| std::env::var("USERNAME"))
        .unwrap_or_else(|_| "unknown".to_owned())
}

impl Preferences {
    /// Reads preferences; a missing or unreadable file gives the defaults and, when the file
    /// exists but is broken, a message saying so.
    #[must_use]
    pub fn load(path: &Path) -> (Self, Option<String>) {
        match std::fs::read_to_string(path) {
            Ok(text) => match ron::from_str::<Self>(&text) {
                Ok(prefs) => (prefs, None),
                Err(e) => (
                    Self::default(),
                    Some(format!(
                        "{}:{}: preferences could not be read ({}); defaults are used",
                        path.display(),
                        e.span.start,
                        e.code
                    )),
                ),
            },
            Err(_) => (Self::default(), None),
        }
    }

    /// # Errors
    /// When the config dir cannot be created or written.
    pub fn save(&self, path: &Path) -> std::io::Result<()> {
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)?;
        }
        let text = ron::ser::to_string_pretty(
            self,
            ron::ser::PrettyConfig::new().new_line("\n".to_owned()),
        )
        .map_err(std::io::Error::other)?;
        crate::storage::write_atomically(path, text.as_bytes())
            .map(|_| ())
            .map_err(std::io::Error::other)
    }

    /// The preferences of the user running Keyholder (the command line has no app to ask).
    #[must_use]
    pub fn of_this_user() -> Self {
        super::AppPaths::from_system()
            .map(|paths| Self::load(&paths.preferences_file()).0)
            .unwrap_or_default()
    }

    /// The name plan history records: the preference, or the OS user when it is empty.
    #[must_use]
    pub fn history_name(&self) -> String {
        if self.user_name.trim().is_empty() {
            default_user_name()
        } else {
            self.user_name.trim().to_owned()
        }
    }

    /// The history entry of a save made now, by this user, with `note`: the one builder for
    /// the app and the command line.
    #[must_use]
    pub fn history_entry(&self, note: &str) -> crate::model::HistoryEntry {
        crate::model::HistoryEntry {
            saved_by: self.history_name(),
            saved_at: crate::clock::now_rfc3339(),
            note: note.trim().to_owned(),
            keyholder_version: crate::identity::VERSION_AND_COMMIT.to_owned(),
            // Filled by the save that writes it (`storage::save_plan_file`).
            content_id: None,
        }
    }

    /// Puts `path` first in the recent list (once), keeping at most [`MAX_RECENT`].
    pub fn add_recent(&mut self, path: &Path) {
        self.recent_files.retain(|p| p != path);
        self.recent_files.insert(0, path.to_path_buf());
        self.recent_files.truncate(MAX_RECENT);
        if let Some(folder) = path.parent() {
            self.last_folder = Some(folder.to_path_buf());
        }
    }

    /// Drops recent files and portfolio folders that no longer exist (at start-up and when
    /// one fails to open; the menu itself never looks at the disk).
    pub fn prune_recent(&mut self) {
        self.recent_files.retain(|p| p.is_file());
        self.recent_portfolios.retain(|p| p.is_dir());
    }

    /// Puts the portfolio `folder` first in the recent list (once), keeping at most
    /// [`MAX_RECENT`].
    pub fn add_recent_portfolio(&mut self, folder: &Path) {
        self.recent_portfolios.retain(|p| p != folder);
        self.recent_portfolios.insert(0, folder.to_path_buf());
        self.recent_portfolios.truncate(MAX_RECENT);
    }

    /// Drops one portfolio folder from the recent list (it could not be opened).
    pub fn forget_recent_portfolio(&mut self, folder: &Path) {
        self.recent_portfolios.retain(|p| p != folder);
    }

    /// Drops one file from the recent list (it could not be opened).
    pub fn forget_recent(&mut self, path: &Path) {
        self.recent_files.retain(|p| p != path);
    }
}

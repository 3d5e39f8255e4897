//! Where Keyholder keeps its own files: preferences and recent files in the config dir,
//! recovery files and backups in the local data dir, plans in the documents folder.

use std::path::{Path, PathBuf};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AppPaths {
    pub config_dir: PathBuf,
    pub data_dir: PathBuf,
    /// Where Open and Save as start when no folder was used yet.
    pub documents_dir: PathBuf,
}

impl AppPaths {
    /// The platform's folders (e.g. `~/.config/keyholder`, `~/.local/share/keyholder`), or
    /// all of them under the folder `KEYHOLDER_HOME` names when it is set (a portable copy
    /// on a USB stick, or tests that must not touch the user's own folders).
    #[must_use]
    pub fn from_system() -> Option<Self> {
        if let Some(root) = std::env::var_os("KEYHOLDER_HOME").filter(|r| !r.is_empty()) {
            return Some(Self::in_folder(Path::new(&root)));
        }
        let project = directories::ProjectDirs::from("com", "Keyholder", "Keyholder")?;
        let documents_dir = directories::UserDirs::new()
            .and_then(|u| u.document_dir().map(Path::to_path_buf))
            .or_else(|| directories::BaseDirs::new().map(|b| b.home_dir().to_path_buf()))
            .unwrap_or_else(|| PathBuf::from("."));
        Some(Self {
            config_dir: project.config_dir().to_path_buf(),
            data_dir: project.data_local_dir().to_path_buf(),
            documents_dir,
        })
    }

    /// Everything under one folder (tests, portable use).
    #[must_use]
    pub fn in_folder(root: &Path) -> Self {
        Self {
            config_dir: root.join("config"),
            data_dir: root.join("data"),
            documents_dir: root.join("documents"),
        }
    }

    #[must_use]
    pub fn preferences_file(&self) -> PathBuf {
        self.config_dir.join("preferences.ron")
    }

    #[must_use]
    pub fn recovery_dir(&self) -> PathBuf {
        self.data_dir.join("recovery")
    }

    #[must_use]
    pub fn backups_dir(&self) -> PathBuf {
        self.data_dir.join("backups")
    }

    /// The versions of plans opened or saved here, by content id, for three-way merges.
    #[must_use]
    pub fn bases_dir(&self) -> PathBuf {
        self.data_dir.join("bases")
    }
}

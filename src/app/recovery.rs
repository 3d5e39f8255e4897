//! Unsaved work, kept in the local data dir (never beside the shared file) while a plan has
//! unsaved changes, so that the next start after a crash can offer it back.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::model::Plan;
use crate::storage::{self, MAX_NESTING};

/// What a recovery file holds.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Recovery {
    /// The file the plan came from, if it had one.
    pub original_path: Option<PathBuf>,
    /// RFC 3339, UTC.
    pub written_at: String,
    /// Length and content hash of the file when the plan was read from it, so a colleague's
    /// save in the meantime is still noticed after the restore.
    #[serde(default)]
    pub original_stamp: Option<(u64, u64)>,
    pub plan: Plan,
}

fn slot_name(original: Option<&Path>) -> String {
    original.map_or_else(|| "untitled".to_owned(), storage::backups::slot_name)
}

/// The recovery file for a document with this original path.
#[must_use]
pub fn recovery_file(dir: &Path, original: Option<&Path>) -> PathBuf {
    dir.join(format!("{}.recovery.ron", slot_name(original)))
}

/// Writes the unsaved plan atomically.
///
/// # Errors
/// When the data dir cannot be written.
pub fn write_recovery(
    dir: &Path,
    original: Option<&Path>,
    stamp: Option<&storage::FileStamp>,
    plan: &Plan,
) -> std::io::Result<PathBuf> {
    std::fs::create_dir_all(dir)?;
    let recovery = Recovery {
        original_path: original.map(Path::to_path_buf),
        written_at: crate::clock::now_rfc3339(),
        original_stamp: stamp.map(|s| (s.len, s.hash)),
        plan: plan.clone(),
    };
    let text = ron::Options::default()
        .to_string_pretty(
            &recovery,
            ron::ser::PrettyConfig::new().new_line("\n".to_owned()),
        )
        .map_err(std::io::Error::other)?;
    let path = recovery_file(dir, original);
    storage::write_atomically(&path, text.as_bytes()).map_err(std::io::Error::other)?;
    Ok(path)
}

/// Removes the recovery file of a document (after a save, or when the user discards).
pub fn remove_recovery(dir: &Path, original: Option<&Path>) {
    let _ = std::fs::remove_file(recovery_file(dir, original));
}

/// Every readable recovery file, newest first.
#[must_use]
pub fn find_recoveries(dir: &Path) -> Vec<(PathBuf, Recovery)> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut found: Vec<(PathBuf, Recovery)> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.to_string_lossy().ends_with(".recovery.ron"))
        .filter_map(|path| {
            let text = std::fs::read_to_string(&path).ok()?;
            let recovery: Recovery = ron::Options::default()
                .with_recursion_limit(MAX_NESTING)
                .from_str(&text)
                .ok()?;
            Some((path, recovery))
        })
        .collect();
    found.sort_by(|a, b| b.1.written_at.cmp(&a.1.written_at));
    found
}

/// Reads a plan file for the app: like [`storage::load_plan`], but a plan from a newer
/// Keyholder is read leniently so it can be shown read-only.
///
/// # Errors
/// The load error when the file cannot be shown at all.
pub fn load_for_app(
    path: &Path,
) -> Result<(storage::Loaded, storage::FileStamp, Option<String>), storage::LoadError> {
    match storage::load_plan(path) {
        Ok((loaded, stamp)) => Ok((loaded, stamp, None)),
        Err(storage::LoadError::Parse {
            path,
            error: storage::ParseError::NewerVersion { found },
        }) => {
            let bytes = std::fs::read(&path).map_err(|source| storage::LoadError::Io {
                path: path.clone(),
                source,
            })?;
            let text = String::from_utf8_lossy(&bytes);
            // What this version cannot read of a newer plan is reported as such: the file
            // comes from a newer Keyholder, it is not broken.
            let loaded = storage::parse_plan_of_newer_version(&text).map_err(|_| {
                storage::LoadError::Parse {
                    path: path.clone(),
                    error: storage::ParseError::NewerVersion { found },
                }
            })?;
            let stamp = storage::FileStamp::of_bytes(
                &bytes,
                std::fs::metadata(&path).and_then(|m| m.modified()).ok(),
            );
            let why = format!(
                "This plan was written by a newer Keyholder (format version {found}). It is open read-only so nothing in it is lost; use Save as to keep a copy in this version's format."
            );
            Ok((loaded, stamp, Some(why)))
        }
        Err(error) => Err(error),
    }
}

//! Unsaved work and previous versions, kept in the local data dir (never beside the shared
//! file): a recovery file while a plan has unsaved changes, and the last versions of every
//! file Keyholder overwrote.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::model::Plan;
use crate::storage::{self, MAX_NESTING};

/// Previous versions kept per file.
pub const BACKUPS_PER_FILE: usize = 10;

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

/// A stable short name for a path (the same file always gets the same recovery slot).
fn slot_name(original: Option<&Path>) -> String {
    match original {
        None => "untitled".to_owned(),
        Some(path) => {
            // FNV-1a of the path: the same name on every run and Rust version.
            let hash = storage::FileStamp::of_bytes(path.to_string_lossy().as_bytes(), None).hash;
            let stem = path
                .file_stem()
                .map_or_else(|| "plan".into(), |s| s.to_string_lossy());
            let stem: String = stem
                .chars()
                .map(|c| {
                    if c.is_alphanumeric() || c == '-' {
                        c
                    } else {
                        '_'
                    }
                })
                .take(40)
                .collect();
            format!("{stem}-{hash:016x}")
        }
    }
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
        written_at: humantime::format_rfc3339_seconds(std::time::SystemTime::now()).to_string(),
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
    storage::write_atomically(&path, text.as_bytes())?;
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

/// Copies the current content of `target` (about to be overwritten) into the backups
/// folder and keeps the newest [`BACKUPS_PER_FILE`].
///
/// # Errors
/// When the backup cannot be written; the caller decides whether to save anyway.
pub fn back_up_previous_version(
    backups_dir: &Path,
    target: &Path,
) -> std::io::Result<Option<PathBuf>> {
    let Ok(bytes) = std::fs::read(target) else {
        return Ok(None);
    };
    let folder = backups_dir.join(slot_name(Some(target)));
    std::fs::create_dir_all(&folder)?;
    let stamp = humantime::format_rfc3339_micros(std::time::SystemTime::now())
        .to_string()
        .replace(':', "-");
    let backup = folder.join(format!("{stamp}.ron"));
    storage::write_atomically(&backup, &bytes)?;
    let mut versions: Vec<PathBuf> = std::fs::read_dir(&folder)?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .collect();
    versions.sort();
    while versions.len() > BACKUPS_PER_FILE {
        let _ = std::fs::remove_file(versions.remove(0));
    }
    Ok(Some(backup))
}

/// The backups kept for `target`, oldest first.
#[must_use]
pub fn backups_of(backups_dir: &Path, target: &Path) -> Vec<PathBuf> {
    let folder = backups_dir.join(slot_name(Some(target)));
    let mut versions: Vec<PathBuf> = std::fs::read_dir(folder)
        .map(|entries| entries.filter_map(Result::ok).map(|e| e.path()).collect())
        .unwrap_or_default();
    versions.sort();
    versions
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

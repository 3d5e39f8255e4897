//! Earlier versions of a plan, kept in the local data folder (never beside the shared file):
//! the version each save replaced (the newest [`BACKUPS_PER_FILE`]), and the user's own
//! version whenever they chose to reload a colleague's (all of them, never pruned). Each is a
//! real plan file: File ▸ Open opens it, and File ▸ Restore previous version… lists them.
//!
//! Layout: `backups/<slot>/<time>.ron` and `backups/<slot>/yours/<name>`, where the slot is
//! the plan's file name and a hash of its full path (the same file always has the same slot).

use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use super::plan_file::{FileStamp, load_plan};

/// Previous versions kept per file.
pub const BACKUPS_PER_FILE: usize = 10;
/// The sub-folder of a slot with the user's versions kept at a reload.
const YOURS: &str = "yours";

/// A stable short name for a path: the file's stem and a hash of the whole path.
#[must_use]
pub fn slot_name(original: &Path) -> String {
    // FNV-1a of the path: the same name on every run and Rust version.
    let hash = FileStamp::of_bytes(original.to_string_lossy().as_bytes(), None).hash;
    format!("{}-{hash:016x}", safe_stem(original))
}

/// The file's stem with only letters, digits and `-` (at most 40 characters).
fn safe_stem(path: &Path) -> String {
    let stem = path
        .file_stem()
        .map_or_else(|| "plan".into(), |s| s.to_string_lossy());
    stem.chars()
        .map(|c| {
            if c.is_alphanumeric() || c == '-' {
                c
            } else {
                '_'
            }
        })
        .take(40)
        .collect()
}

fn slot(backups_dir: &Path, target: &Path) -> PathBuf {
    backups_dir.join(slot_name(target))
}

/// Copies the current content of `target` (about to be replaced) into its backup slot and
/// keeps the newest [`BACKUPS_PER_FILE`]. `Ok(None)` when there is no file to keep.
///
/// # Errors
/// When the backup cannot be written.
pub fn keep_previous_version(backups_dir: &Path, target: &Path) -> io::Result<Option<PathBuf>> {
    let bytes = match fs::read(target) {
        Ok(bytes) => bytes,
        Err(error) if error.kind() == io::ErrorKind::NotFound => return Ok(None),
        Err(error) => return Err(error),
    };
    let folder = slot(backups_dir, target);
    fs::create_dir_all(&folder)?;
    let backup = folder.join(format!(
        "{}.ron",
        crate::clock::file_name_stamp(crate::clock::now())
    ));
    super::atomic_write::write_atomically(&backup, &bytes).map_err(io::Error::other)?;
    let mut versions = previous_versions(&folder);
    while versions.len() > BACKUPS_PER_FILE {
        let _ = fs::remove_file(versions.remove(0));
    }
    Ok(Some(backup))
}

/// The previous versions in a slot folder, oldest first.
fn previous_versions(folder: &Path) -> Vec<PathBuf> {
    let mut versions: Vec<PathBuf> = fs::read_dir(folder)
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .map(|e| e.path())
                .filter(|p| p.is_file() && p.extension().is_some_and(|e| e == "ron"))
                .collect()
        })
        .unwrap_or_default();
    versions.sort();
    versions
}

/// Keeps `bytes` (the user's version of the plan at `target`) as a plan file of its own,
/// under a name no earlier copy has: `<stem> (yours before reload, <time>).ron`. Never
/// pruned. Returns where it is.
///
/// # Errors
/// When the data folder cannot be written.
pub fn keep_users_version(backups_dir: &Path, target: &Path, bytes: &[u8]) -> io::Result<PathBuf> {
    let folder = slot(backups_dir, target).join(YOURS);
    fs::create_dir_all(&folder)?;
    let stem = target
        .file_stem()
        .map_or_else(|| "plan".into(), |s| s.to_string_lossy());
    let time = crate::clock::file_name_stamp(crate::clock::now());
    for attempt in 1_u32.. {
        let suffix = if attempt == 1 {
            String::new()
        } else {
            format!(" {attempt}")
        };
        let path = folder.join(format!("{stem} (yours before reload, {time}{suffix}).ron"));
        // `create_new`: a name that exists is never reused, however quickly reloads follow.
        match fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&path)
        {
            Ok(file) => {
                drop(file);
                super::atomic_write::write_atomically(&path, bytes).map_err(io::Error::other)?;
                return Ok(path);
            }
            Err(error) if error.kind() == io::ErrorKind::AlreadyExists => {}
            Err(error) => return Err(error),
        }
    }
    Err(io::Error::other("no free name for the kept version"))
}

/// Which kind of kept version a file is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VersionKind {
    /// What was on disk before a save replaced it.
    Replaced,
    /// The user's own version, kept when they reloaded a colleague's save.
    YoursBeforeReload,
}

/// One kept version of a plan, for File ▸ Restore previous version….
#[derive(Debug, Clone, PartialEq)]
pub struct KeptVersion {
    pub path: PathBuf,
    pub kind: VersionKind,
    /// When it was kept.
    pub kept_at: Option<SystemTime>,
    pub size_bytes: u64,
    /// Who saved it last and when (RFC 3339), from its own history; `None` when it records
    /// no save or does not read as a plan.
    pub saved_by: Option<(String, String)>,
}

/// Every kept version of the plan at `target`, newest first.
#[must_use]
pub fn kept_versions(backups_dir: &Path, target: &Path) -> Vec<KeptVersion> {
    let folder = slot(backups_dir, target);
    let yours: Vec<PathBuf> = fs::read_dir(folder.join(YOURS))
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .map(|e| e.path())
                .filter(|p| p.is_file())
                .collect()
        })
        .unwrap_or_default();
    let mut versions: Vec<KeptVersion> = previous_versions(&folder)
        .into_iter()
        .map(|p| (p, VersionKind::Replaced))
        .chain(
            yours
                .into_iter()
                .map(|p| (p, VersionKind::YoursBeforeReload)),
        )
        .map(|(path, kind)| {
            let metadata = fs::metadata(&path).ok();
            let saved_by = load_plan(&path).ok().and_then(|(loaded, _)| {
                loaded
                    .plan
                    .history
                    .last()
                    .map(|h| (h.saved_by.clone(), h.saved_at.clone()))
            });
            KeptVersion {
                kept_at: metadata.as_ref().and_then(|m| m.modified().ok()),
                size_bytes: metadata.map_or(0, |m| m.len()),
                path,
                kind,
                saved_by,
            }
        })
        .collect();
    versions.sort_by(|a, b| b.kept_at.cmp(&a.kept_at).then_with(|| b.path.cmp(&a.path)));
    versions
}

/// The sub-folder of a slot with the sync-client conflict copies merged into the plan.
const MERGED: &str = "merged";

/// Moves a conflict copy that has been merged into the plan at `target` out of the shared
/// folder (so it is no longer pointed out) into `backups/<slot>/merged/`, under its own name
/// (numbered if that is taken). Never pruned. Returns where it is now.
///
/// # Errors
/// When the copy cannot be read or the data folder written; the copy is then where it was.
pub fn keep_merged_copy(backups_dir: &Path, target: &Path, copy: &Path) -> io::Result<PathBuf> {
    let folder = slot(backups_dir, target).join(MERGED);
    fs::create_dir_all(&folder)?;
    let name = copy
        .file_name()
        .map_or_else(|| "copy.ron".into(), |n| n.to_string_lossy());
    let (stem, extension) = name.rsplit_once('.').unwrap_or((&name, "ron"));
    // Far more copies of one plan than anyone keeps; the range only bounds the search.
    let kept = (1_u32..=10_000)
        .map(|n| {
            if n == 1 {
                folder.join(name.as_ref())
            } else {
                folder.join(format!("{stem} {n}.{extension}"))
            }
        })
        .find(|candidate| !candidate.exists())
        .ok_or_else(|| io::Error::other("no free name for the merged copy"))?;
    if fs::rename(copy, &kept).is_err() {
        // Another volume (a network share): copy it, then remove it.
        let bytes = fs::read(copy)?;
        super::atomic_write::write_atomically(&kept, &bytes).map_err(io::Error::other)?;
        fs::remove_file(copy)?;
    }
    Ok(kept)
}

//! The one way a plan is saved, for the app and the command line alike. Every guarantee of
//! PRODUCT.md section 5 is here, so no caller can skip one:
//!
//! 1. the plan is turned into its file text before anything on disk is touched, its last
//!    history entry (the entry of this save) carrying the content id of what is written
//!    ([`super::content_id`]), so a later merge can name this version;
//! 2. the file on disk is checked against what the caller expects ([`Expect`]): a colleague's
//!    change since it was opened, or an existing file where a new one was to be created, is
//!    refused, never overwritten;
//! 3. the version about to be replaced is kept in the backups folder ([`super::backups`]);
//! 4. the bytes are written atomically, through symbolic links, never over a read-only file,
//!    with temporary files that sync clients ignore ([`super::atomic_write`]).

use std::fmt;
use std::io;
use std::path::{Path, PathBuf};

use crate::model::Plan;

use super::atomic_write::{check_writable, resolve_links, write_atomically};
use super::backups;
use super::content_id::{content_id, record_content_id};
use super::plan_file::{FileStamp, describe_io, try_plan_to_ron};

/// What the caller expects to find where it saves.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Expect {
    /// No file: a new plan (`import -o`, a first save). An existing file is not replaced.
    NewFile,
    /// The file as it was read or last saved. If it changed since (a colleague or a sync
    /// client saved over it) or is gone (deleted or moved away), nothing is written.
    Unchanged(FileStamp),
    /// Whatever is there: the user chose to replace it (Save as onto an existing file, or
    /// Overwrite after seeing a colleague's change). Its version is still kept as a backup.
    Replace,
}

/// Why a save failed. The file on disk is untouched in every case.
#[derive(Debug)]
pub enum SaveError {
    Io {
        path: PathBuf,
        source: io::Error,
    },
    /// Someone else changed the file since it was read.
    ChangedOnDisk {
        path: PathBuf,
    },
    /// A new file was to be written, but one with that name exists.
    AlreadyExists {
        path: PathBuf,
    },
    /// The file may not be changed (permissions, the read-only attribute, another owner).
    ReadOnly {
        path: PathBuf,
    },
}

impl fmt::Display for SaveError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Io { path, source } => write!(
                f,
                "{}: could not save: {}; the file on disk is unchanged",
                path.display(),
                describe_io(source)
            ),
            Self::AlreadyExists { path } => write!(
                f,
                "{}: a file with this name already exists; not overwritten",
                path.display()
            ),
            Self::ChangedOnDisk { path } => write!(
                f,
                "{}: the file was changed by someone else since it was opened; not overwritten",
                path.display()
            ),
            Self::ReadOnly { path } => write!(
                f,
                "{}: the file is read-only (its permissions or attributes do not allow changes); nothing was written",
                path.display()
            ),
        }
    }
}

impl std::error::Error for SaveError {}

/// What a successful save did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Saved {
    /// The file written: `path` itself, or the target of the symbolic link `path` is.
    pub written: PathBuf,
    /// The file as it is now, to notice the next colleague's change.
    pub stamp: FileStamp,
    /// Where the replaced version was kept, if a file was replaced.
    pub backup: Option<PathBuf>,
    /// Why the replaced version could not be kept (the save went ahead: the new version is
    /// the user's work, and refusing it would lose that instead).
    pub backup_problem: Option<String>,
}

/// Saves `plan` to `path` (see the module comment for every step). `backups_dir` is the local
/// data folder's `backups/`; `None` keeps no backup (tests, or no home folder).
///
/// # Errors
/// [`SaveError`]; the file on disk is then as it was.
pub fn save_plan_file(
    path: &Path,
    plan: &Plan,
    expect: &Expect,
    backups_dir: Option<&Path>,
) -> Result<Saved, SaveError> {
    if plan.history.last().is_some_and(|e| e.content_id.is_none()) {
        let mut stamped = plan.clone();
        let id = content_id(&stamped);
        record_content_id(&mut stamped, &id);
        return write_plan_file(path, &stamped, expect, backups_dir);
    }
    write_plan_file(path, plan, expect, backups_dir)
}

/// [`save_plan_file`] for a plan as it is (its history entries as given).
fn write_plan_file(
    path: &Path,
    plan: &Plan,
    expect: &Expect,
    backups_dir: Option<&Path>,
) -> Result<Saved, SaveError> {
    let io_error = |source| SaveError::Io {
        path: path.to_owned(),
        source,
    };
    let text = try_plan_to_ron(plan).map_err(|e| io_error(io::Error::other(e)))?;
    let target = resolve_links(path).map_err(io_error)?;
    let on_disk = FileStamp::read(&target);
    match (expect, &on_disk) {
        (Expect::NewFile, Some(_)) => {
            return Err(SaveError::AlreadyExists {
                path: path.to_owned(),
            });
        }
        (Expect::Unchanged(expected), now)
            if now.as_ref().is_none_or(|now| !expected.same_content(now)) =>
        {
            return Err(SaveError::ChangedOnDisk {
                path: path.to_owned(),
            });
        }
        _ => {}
    }
    // Before a backup is made: a file that may not be replaced is left alone entirely.
    check_writable(&target)?;
    let (backup, backup_problem) = match (backups_dir, &on_disk) {
        (Some(dir), Some(_)) => match backups::keep_previous_version(dir, &target) {
            Ok(kept) => (kept, None),
            Err(error) => (
                None,
                Some(format!(
                    "the previous version could not be kept in {}: {error}",
                    dir.display()
                )),
            ),
        },
        _ => (None, None),
    };
    let written = write_atomically(path, text.as_bytes())?;
    let modified = std::fs::metadata(&written).and_then(|m| m.modified()).ok();
    Ok(Saved {
        stamp: FileStamp::of_bytes(text.as_bytes(), modified),
        written,
        backup,
        backup_problem,
    })
}

/// Writes `plan` to `path` through the same path as [`save_plan_file`], replacing whatever is
/// there and keeping no backup, and exactly as given (no content id is added to its history):
/// for files Keyholder creates itself (tests, fixtures, samples).
///
/// # Errors
/// [`SaveError`]; the file on disk is then as it was.
pub fn save_plan(path: &Path, plan: &Plan) -> Result<FileStamp, SaveError> {
    write_plan_file(path, plan, &Expect::Replace, None).map(|saved| saved.stamp)
}

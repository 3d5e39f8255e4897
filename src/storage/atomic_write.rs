//! Writing a file so that readers only ever see the old bytes or the new ones, and so that a
//! shared folder (OneDrive, SharePoint, a network share) is never littered or silently
//! changed in ways the user did not ask for.
//!
//! - A symbolic link is written *through*: the link stays a link and its target (e.g. the
//!   copy in the OneDrive folder) gets the new bytes, atomically, in the target's own folder.
//! - A read-only file (permission bits, the Windows attribute, or a file the user may not
//!   write) is never replaced, although renaming over it would succeed.
//! - The temporary file lies beside the target (a rename is atomic only within a folder) and is
//!   named `~$NAME.XXXXXX.keyholder.tmp`: sync clients skip `~$` and `.tmp` files, so it is never
//!   uploaded as a plan, and nothing takes it for one. Its writer holds a lock on it while it
//!   writes; a temporary file nobody holds is what a killed save left behind, and the next
//!   open or save of that file removes it.

use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::time::Duration;

use super::save::SaveError;

const TEMPORARY_PREFIX: &str = "~$";
const TEMPORARY_SUFFIX: &str = ".keyholder.tmp";
/// How earlier versions of Keyholder named their temporary files (removed after ten minutes).
const LEGACY_SUFFIX: &str = ".keyholder-tmp";
/// Symbolic links followed before giving up (as the OS does).
const MAX_LINKS: usize = 40;

/// Where writing to `path` actually writes: the end of any chain of symbolic links (a link
/// to a file that does not exist yet gives that file).
///
/// # Errors
/// When a link cannot be read, or links loop.
pub fn resolve_links(path: &Path) -> io::Result<PathBuf> {
    let mut current = path.to_path_buf();
    for _ in 0..MAX_LINKS {
        match fs::symlink_metadata(&current) {
            Ok(metadata) if metadata.file_type().is_symlink() => {
                let link = fs::read_link(&current)?;
                current = if link.is_absolute() {
                    link
                } else {
                    folder_of(&current).join(link)
                };
            }
            Ok(_) => return Ok(current),
            Err(error) if error.kind() == io::ErrorKind::NotFound => return Ok(current),
            Err(error) => return Err(error),
        }
    }
    Err(io::Error::other(format!(
        "more than {MAX_LINKS} symbolic links in a row (do they loop?)"
    )))
}

fn folder_of(path: &Path) -> &Path {
    match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    }
}

/// Why `target` may not be replaced, if it may not: it is not a file, or it is read-only.
pub(super) fn check_writable(target: &Path) -> Result<(), SaveError> {
    let metadata = match fs::metadata(target) {
        Ok(metadata) => metadata,
        Err(error) if error.kind() == io::ErrorKind::NotFound => return Ok(()),
        Err(source) => {
            return Err(SaveError::Io {
                path: target.to_owned(),
                source,
            });
        }
    };
    if !metadata.is_file() {
        return Err(SaveError::Io {
            path: target.to_owned(),
            source: io::Error::other("it is not a file (a folder or a device?)"),
        });
    }
    // Renaming over a file needs only the folder's permission, so the file's own is checked:
    // its bits (also what the Windows read-only attribute shows as), and whether this user may
    // open it for writing (another owner's file; opening does not change it).
    let read_only = metadata.permissions().readonly()
        || matches!(
            fs::OpenOptions::new().write(true).open(target),
            Err(error) if error.kind() == io::ErrorKind::PermissionDenied
        );
    if read_only {
        return Err(SaveError::ReadOnly {
            path: target.to_owned(),
        });
    }
    Ok(())
}

/// Writes `bytes` to `path` atomically (see the module comment): a temporary file in the
/// target's folder, fsync, rename over the target, fsync of the folder. On failure the
/// temporary file is removed and the target is as it was. Returns the file written (the
/// target of a symbolic link).
///
/// # Errors
/// [`SaveError::ReadOnly`] for a read-only target, [`SaveError::Io`] with the reason.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> Result<PathBuf, SaveError> {
    let io_error = |source| SaveError::Io {
        path: path.to_owned(),
        source,
    };
    let target = resolve_links(path).map_err(io_error)?;
    check_writable(&target)?;
    sweep_abandoned_temporaries(&target);
    let mut attempt = 0;
    loop {
        attempt += 1;
        match write_once(&target, bytes) {
            Ok(()) => return Ok(target),
            // Sync clients and virus scanners on Windows hold a file for a moment.
            Err(error)
                if attempt < 4
                    && error.kind() == io::ErrorKind::PermissionDenied
                    && cfg!(windows) =>
            {
                std::thread::sleep(Duration::from_millis(150));
            }
            Err(source) => {
                return Err(SaveError::Io {
                    path: target,
                    source,
                });
            }
        }
    }
}

fn write_once(target: &Path, bytes: &[u8]) -> io::Result<()> {
    let folder = folder_of(target);
    let name = file_name(target);
    let prefix = format!("{TEMPORARY_PREFIX}{name}.");
    let mut builder = tempfile::Builder::new();
    builder.prefix(&prefix).suffix(TEMPORARY_SUFFIX);
    // A shared plan keeps its permissions; a new one gets the usual ones (less the umask),
    // not the private 0600 of a temporary file.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = fs::metadata(target).map_or(0o666, |m| m.permissions().mode() & 0o7777);
        builder.permissions(fs::Permissions::from_mode(mode));
    }
    let mut temporary = builder.tempfile_in(folder)?;
    // Held until the rename: a temporary file nobody holds was left by a save that died.
    temporary.as_file().lock()?;
    temporary.write_all(bytes)?;
    temporary.as_file().sync_all()?;
    // On failure `persist` hands the temporary file back, and dropping it deletes it.
    temporary.persist(target).map_err(|e| e.error)?;
    #[cfg(unix)]
    fs::File::open(folder)?.sync_all()?;
    Ok(())
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map_or_else(|| "plan".to_owned(), |n| n.to_string_lossy().into_owned())
}

/// Whether `candidate` (a file name) is one of Keyholder's temporary files for `name`.
#[must_use]
pub fn is_temporary_of(name: &str, candidate: &str) -> bool {
    candidate
        .strip_prefix(TEMPORARY_PREFIX)
        .and_then(|rest| rest.strip_prefix(name))
        .and_then(|rest| rest.strip_prefix('.'))
        .is_some_and(|rest| rest.ends_with(TEMPORARY_SUFFIX))
}

/// Removes the temporary files that saves of `target` killed mid-write left beside it: those
/// no writer holds a lock on. (Files of older Keyholder versions, which took no lock, go once
/// they are ten minutes old.) Called on every open and save of a plan.
pub fn sweep_abandoned_temporaries(target: &Path) {
    let name = file_name(target);
    let Ok(entries) = fs::read_dir(folder_of(target)) else {
        return;
    };
    let legacy_prefix = format!(".{name}.");
    for entry in entries.flatten() {
        let candidate = entry.file_name();
        let candidate = candidate.to_string_lossy();
        if is_temporary_of(&name, &candidate) {
            // A file created this instant may not be locked yet by its writer.
            let settled = age(&entry).is_some_and(|age| age >= Duration::from_secs(2));
            let abandoned =
                settled && fs::File::open(entry.path()).is_ok_and(|file| file.try_lock().is_ok());
            if abandoned {
                let _ = fs::remove_file(entry.path());
            }
        } else if candidate.starts_with(&legacy_prefix)
            && candidate.ends_with(LEGACY_SUFFIX)
            && age(&entry).is_some_and(|age| age > Duration::from_mins(10))
        {
            let _ = fs::remove_file(entry.path());
        }
    }
}

fn age(entry: &fs::DirEntry) -> Option<Duration> {
    entry
        .metadata()
        .and_then(|m| m.modified())
        .ok()?
        .elapsed()
        .ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognises_only_its_own_temporaries() {
        assert!(is_temporary_of(
            "plan.ron",
            "~$plan.ron.a1B2c3.keyholder.tmp"
        ));
        assert!(!is_temporary_of("plan.ron", "plan.ron"));
        assert!(!is_temporary_of("plan.ron", "~$plan.ron.a1B2c3.tmp"));
        assert!(!is_temporary_of(
            "plan.ron",
            "~$other plan.ron.a1B2c3.keyholder.tmp"
        ));
        assert!(!is_temporary_of("plan.ron", "~$plan.ron2.x.keyholder.tmp"));
    }
}

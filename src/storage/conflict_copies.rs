//! Sync clients (OneDrive, Dropbox, SharePoint, Google Drive) keep both versions when two
//! people save the same file: "plan (Dana's conflicted copy 2010-03-01).ron",
//! "plan-DESKTOP-4F2K9QL.ron", "plan (1).ron". Keyholder points them out when a plan opens.

use std::path::{Path, PathBuf};

/// Whether `candidate` (a file name) looks like a sync client's conflict copy of `original`.
#[must_use]
pub fn is_conflict_copy(original: &str, candidate: &str) -> bool {
    let (Some((stem, extension)), Some((other_stem, other_extension))) =
        (original.rsplit_once('.'), candidate.rsplit_once('.'))
    else {
        return false;
    };
    if !extension.eq_ignore_ascii_case(other_extension) || candidate == original {
        return false;
    }
    // Sync clients keep the name's letters but not always its case.
    let same_start = other_stem.len() >= stem.len()
        && other_stem.is_char_boundary(stem.len())
        && other_stem[..stem.len()].eq_ignore_ascii_case(stem);
    if !same_start {
        return false;
    }
    let rest = &other_stem[stem.len()..];
    let lower = rest.to_lowercase();
    // "(Dana's conflicted copy 2010-03-01)", "-conflict-20100301", "(Case Conflict)"
    if lower.contains("conflict") {
        return true;
    }
    // " (1)", "(2)"
    let bracketed = rest
        .trim_start()
        .strip_prefix('(')
        .and_then(|r| r.strip_suffix(')'));
    if bracketed.is_some_and(|n| !n.is_empty() && n.chars().all(|c| c.is_ascii_digit())) {
        return true;
    }
    // OneDrive: "-" and the computer's name, which Windows keeps in capitals (6 to 15
    // characters here, so short tags like "-EU", "-V2" or "-FY26" are not taken for one).
    rest.strip_prefix('-').is_some_and(|machine| {
        (6..=15).contains(&machine.len())
            && machine
                .chars()
                .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '-')
            && machine.chars().any(|c| c.is_ascii_uppercase())
    })
}

/// The conflict copies lying beside `path`, sorted by name.
#[must_use]
pub fn conflict_copies(path: &Path) -> Vec<PathBuf> {
    let (Some(folder), Some(name)) = (path.parent(), path.file_name().map(|n| n.to_string_lossy()))
    else {
        return Vec::new();
    };
    let folder = if folder.as_os_str().is_empty() {
        Path::new(".")
    } else {
        folder
    };
    let Ok(entries) = std::fs::read_dir(folder) else {
        return Vec::new();
    };
    let mut copies: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
        .filter(|e| is_conflict_copy(&name, &e.file_name().to_string_lossy()))
        .map(|e| e.path())
        .collect();
    copies.sort();
    copies
}

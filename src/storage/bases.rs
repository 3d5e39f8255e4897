//! The versions of plans this Keyholder opened or saved, kept by content id in the local data
//! folder (never beside the shared file), so that a colleague's copy can later be merged
//! three-way against the version both started from.
//!
//! Layout: `bases/<slot>/<content id>.ron`, the slot named as for backups (the file's stem
//! and a hash of its path). Each file holds the plan's content without its history (the text
//! the id is the hash of), and is checked against its id when read.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use crate::model::{ContentId, Plan};

use super::backups::slot_name;
use super::content_id::{id_of_content_text, is_well_formed};
use super::plan_file::parse_plan;
use super::text_file::{TextKind, read_bytes};

/// Versions kept per plan file; the oldest go first.
pub const BASES_PER_FILE: usize = 20;

/// Keeps `text` (a [`super::content_text`] whose id is `id`) as a version of the plan at
/// `original`. A version kept before is not written again. Returns where it is.
///
/// # Errors
/// When the data folder cannot be written.
pub fn keep_base(
    bases_dir: &Path,
    original: &Path,
    id: &ContentId,
    text: &str,
) -> io::Result<PathBuf> {
    if !is_well_formed(id) {
        return Err(io::Error::other(format!("{id} is not a content id")));
    }
    let folder = bases_dir.join(slot_name(original));
    fs::create_dir_all(&folder)?;
    let file = folder.join(format!("{id}.ron"));
    if !file.is_file() {
        super::atomic_write::write_atomically(&file, text.as_bytes()).map_err(io::Error::other)?;
    }
    prune(&folder, &file);
    Ok(file)
}

/// Drops the oldest versions beyond [`BASES_PER_FILE`] (never `keep`).
fn prune(folder: &Path, keep: &Path) {
    let Ok(entries) = fs::read_dir(folder) else {
        return;
    };
    let mut versions: Vec<(std::time::SystemTime, PathBuf)> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "ron") && p != keep)
        .filter_map(|p| Some((fs::metadata(&p).ok()?.modified().ok()?, p)))
        .collect();
    versions.sort();
    let excess = (versions.len() + 1).saturating_sub(BASES_PER_FILE);
    for (_, path) in versions.into_iter().take(excess) {
        let _ = fs::remove_file(path);
    }
}

/// The kept version with content id `id`, from any plan's slot, if one is kept and is still
/// the text with that id (a damaged or edited file is not the version it is named after).
/// The text is checked as it was kept, then read as a plan: a version kept by an older
/// Keyholder is migrated like any older file, and still found by the id its saves recorded.
#[must_use]
pub fn find_base(bases_dir: &Path, id: &ContentId) -> Option<Plan> {
    if !is_well_formed(id) {
        return None;
    }
    let name = format!("{id}.ron");
    fs::read_dir(bases_dir)
        .ok()?
        .filter_map(Result::ok)
        .map(|slot| slot.path().join(&name))
        .filter(|candidate| candidate.is_file())
        .find_map(|candidate| {
            let (bytes, _) = read_bytes(&candidate, TextKind::Plan).ok()?;
            let text = std::str::from_utf8(&bytes).ok()?;
            if id_of_content_text(text) != *id {
                return None;
            }
            parse_plan(text).ok().map(|loaded| loaded.plan)
        })
}

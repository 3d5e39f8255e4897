//! The content id of a plan: the SHA-256 of its canonical file text without the history.
//!
//! Leaving the history out makes the id name what a merge works on (the plan itself), so the
//! id of a version can be written into the history entry of the save that wrote it, and two
//! saves of the same content (by different people, at different times) share one id. SHA-256
//! because ids come from colleagues' files: nobody can make a different plan with the id of
//! one a merge would trust as the common version.

use std::fmt::Write as _;

use sha2::{Digest, Sha256};

use crate::model::{ContentId, Plan};

use super::plan_file::plan_to_ron;

/// The text the content id is the hash of: the plan as a file with an empty history.
#[must_use]
pub fn content_text(plan: &Plan) -> String {
    let content = Plan {
        history: Vec::new(),
        ..plan.clone()
    };
    plan_to_ron(&content)
}

/// The id of a [`content_text`].
#[must_use]
pub fn id_of_content_text(text: &str) -> ContentId {
    let digest = Sha256::digest(text.as_bytes());
    let mut hex = String::with_capacity(64);
    for byte in digest {
        let _ = write!(hex, "{byte:02x}");
    }
    ContentId::new(hex)
}

/// The plan's content id.
#[must_use]
pub fn content_id(plan: &Plan) -> ContentId {
    id_of_content_text(&content_text(plan))
}

/// Whether `id` has the form this Keyholder writes (64 lowercase hex digits): only such an
/// id is looked up on disk, as it becomes part of a file name.
#[must_use]
pub fn is_well_formed(id: &ContentId) -> bool {
    id.as_str().len() == 64
        && id
            .as_str()
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

/// Gives the plan's last history entry the id `id` if it has none yet: the entry of the save
/// about to write it, or (for a file saved before ids were recorded) of the save that wrote
/// the version just opened. Returns whether it did.
pub fn record_content_id(plan: &mut Plan, id: &ContentId) -> bool {
    match plan.history.last_mut() {
        Some(entry) if entry.content_id.is_none() => {
            entry.content_id = Some(id.clone());
            true
        }
        _ => false,
    }
}

//! The plan files of a portfolio folder (the shared folder where an MSP keeps every
//! customer's plan): found recursively, conflict copies grouped with their plan, and read
//! strictly read-only.
//!
//! Reading a portfolio changes nothing in the folder: unlike [`super::load_plan`], it does
//! not tidy away what a killed save left behind, since the folder belongs to colleagues and
//! a watcher would take every change for a new save.

use std::collections::{BTreeMap, HashMap};
use std::io;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use crate::model::Plan;

use super::conflict_copies::is_conflict_copy;
use super::plan_file::{
    FileStamp, LoadError, Loaded, ParseError, leading_format_version, parse_plan,
    parse_plan_of_newer_version,
};
use super::price_book_file::parse_price_book;
use super::text_file::{TextKind, read_bytes, utf8_text};

/// More plan files than this in one portfolio are left out (and the scan says so): far more
/// customers than one MSP has, and a bound on the memory a wrong folder (a whole drive) takes.
pub const MAX_PORTFOLIO_FILES: usize = 20_000;
/// Folders deeper than this below the portfolio folder are not searched.
pub const MAX_PORTFOLIO_DEPTH: usize = 32;

/// How a file looked when the folder was scanned: enough to tell that it changed without
/// reading it again.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Fingerprint {
    pub len: u64,
    pub modified: Option<SystemTime>,
}

impl Fingerprint {
    fn of(metadata: &std::fs::Metadata) -> Self {
        Self {
            len: metadata.len(),
            modified: metadata.modified().ok(),
        }
    }
}

/// One plan of the portfolio, with the conflict copies a sync client left beside it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlanFile {
    pub path: PathBuf,
    pub fingerprint: Fingerprint,
    /// Sorted by name.
    pub conflict_copies: Vec<PathBuf>,
}

/// What a scan of the portfolio folder found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Scan {
    /// Sorted by path.
    pub files: Vec<PlanFile>,
    /// What could not be searched (a folder without permission, a link loop) or was left out.
    pub notes: Vec<String>,
}

/// Whether a file or folder name is one Keyholder passes over: hidden (`.git`, `.DS_Store`),
/// or a temporary file of an editor or an unfinished save (`~$…`).
fn is_hidden(name: &str) -> bool {
    name.starts_with('.') || name.starts_with("~$")
}

fn is_plan_name(name: &str) -> bool {
    Path::new(name)
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("ron"))
}

/// Every `.ron` file under `folder` (hidden files and folders left out), each conflict copy
/// grouped with the plan it is a copy of.
///
/// # Errors
/// When `folder` is not a folder that can be read.
pub fn scan_portfolio(folder: &Path) -> Result<Scan, io::Error> {
    let metadata = std::fs::metadata(folder)
        .map_err(|e| io::Error::new(e.kind(), format!("{}: {}", folder.display(), describe(&e))))?;
    if !metadata.is_dir() {
        return Err(io::Error::other(format!(
            "{}: not a folder (a portfolio is a folder of plans)",
            folder.display()
        )));
    }
    let mut notes = Vec::new();
    // Per folder: (file name, fingerprint).
    let mut by_folder: BTreeMap<PathBuf, Vec<(String, Fingerprint)>> = BTreeMap::new();
    let mut count = 0usize;
    let walker = walkdir::WalkDir::new(folder)
        .follow_links(true)
        .max_depth(MAX_PORTFOLIO_DEPTH)
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !is_hidden(&e.file_name().to_string_lossy()));
    for entry in walker {
        let entry = match entry {
            Ok(entry) => entry,
            Err(error) => {
                let at = error
                    .path()
                    .map_or_else(|| folder.display().to_string(), |p| p.display().to_string());
                let why = if error.loop_ancestor().is_some() {
                    "a link back to a folder above it; not followed".to_owned()
                } else {
                    error.io_error().map_or_else(|| error.to_string(), describe)
                };
                notes.push(format!("{at}: {why}"));
                continue;
            }
        };
        let name = entry.file_name().to_string_lossy().into_owned();
        if !entry.file_type().is_file() || !is_plan_name(&name) {
            continue;
        }
        if count == MAX_PORTFOLIO_FILES {
            notes.push(format!(
                "{}: more than {MAX_PORTFOLIO_FILES} plan files; the rest are left out",
                folder.display()
            ));
            break;
        }
        let Ok(metadata) = entry.metadata() else {
            continue;
        };
        count += 1;
        let parent = entry.path().parent().unwrap_or(folder).to_path_buf();
        by_folder
            .entry(parent)
            .or_default()
            .push((name, Fingerprint::of(&metadata)));
    }
    let mut files = Vec::with_capacity(count);
    for (parent, names) in by_folder {
        files.extend(group_conflict_copies(&parent, &names));
    }
    files.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(Scan { files, notes })
}

/// The plans of one folder, each sync-client conflict copy attached to its plan (a copy of
/// a copy to the first plan). A copy whose plan is missing is a plan of its own.
fn group_conflict_copies(folder: &Path, names: &[(String, Fingerprint)]) -> Vec<PlanFile> {
    // Conflict copies start with their plan's stem, whatever its case (ASCII lowercase keeps
    // byte offsets, so prefixes of the lowercase stem are prefixes of the name).
    let stems: Vec<String> = names
        .iter()
        .map(|(name, _)| {
            Path::new(name)
                .file_stem()
                .map_or_else(String::new, |s| s.to_string_lossy().to_ascii_lowercase())
        })
        .collect();
    let mut by_stem: HashMap<&str, usize> = HashMap::with_capacity(names.len());
    for (index, stem) in stems.iter().enumerate() {
        by_stem.entry(stem.as_str()).or_insert(index);
    }
    // The longest stem that is a conflict copy's plan: "plan (1) (1)" belongs to "plan (1)".
    let original_of: Vec<Option<usize>> = stems
        .iter()
        .enumerate()
        .map(|(index, stem)| {
            (1..stem.len())
                .rev()
                .filter(|&end| stem.is_char_boundary(end))
                .filter_map(|end| by_stem.get(&stem[..end]).copied())
                .find(|&original| {
                    original != index && is_conflict_copy(&names[original].0, &names[index].0)
                })
        })
        .collect();
    let root = |mut index: usize| {
        // Each step goes to a strictly shorter stem, so this ends.
        while let Some(original) = original_of[index] {
            index = original;
        }
        index
    };
    let mut copies: Vec<Vec<PathBuf>> = vec![Vec::new(); names.len()];
    for index in 0..names.len() {
        if original_of[index].is_some() {
            copies[root(index)].push(folder.join(&names[index].0));
        }
    }
    names
        .iter()
        .zip(copies)
        .enumerate()
        .filter(|(index, _)| original_of[*index].is_none())
        .map(|(_, ((name, fingerprint), mut conflict_copies))| {
            conflict_copies.sort();
            PlanFile {
                path: folder.join(name),
                fingerprint: *fingerprint,
                conflict_copies,
            }
        })
        .collect()
}

/// What reading one file of a portfolio gave.
#[derive(Debug)]
pub enum PortfolioRead {
    /// A plan this version reads (perhaps migrated from an older one).
    Plan {
        loaded: Box<Loaded>,
        stamp: FileStamp,
    },
    /// A plan from a newer Keyholder: the error to show, and the part this version
    /// understands (for the customer's name), when it reads.
    Newer {
        error: LoadError,
        known: Option<Box<Plan>>,
    },
    /// A price book saved beside the plans (File ▸ Export ▸ Price book): not a customer.
    PriceBook,
    /// Not a plan that can be read: `file:line:col: message` or `file: message`.
    Failed(LoadError),
}

/// Reads one file of a portfolio, read-only, with the size limit and the careful parsing
/// of every plan file.
#[must_use]
pub fn read_portfolio_file(path: &Path) -> PortfolioRead {
    let (bytes, modified) = match read_bytes(path, TextKind::Plan) {
        Ok(read) => read,
        Err(error) => return PortfolioRead::Failed(error),
    };
    let stamp = FileStamp::of_bytes(&bytes, modified);
    let text = match utf8_text(path, &bytes) {
        Ok(text) => text,
        Err(error) => return PortfolioRead::Failed(error),
    };
    let parse_error = |error| LoadError::Parse {
        path: path.to_owned(),
        error,
    };
    match parse_plan(text) {
        Ok(loaded) => PortfolioRead::Plan {
            loaded: Box::new(loaded),
            stamp,
        },
        Err(error @ ParseError::NewerVersion { .. }) => PortfolioRead::Newer {
            known: parse_plan_of_newer_version(text)
                .ok()
                .map(|l| Box::new(l.plan)),
            error: parse_error(error),
        },
        // A file that does not start as a plan may be one of the price books MSPs keep with
        // their plans.
        Err(_) if leading_format_version(text).is_none() && parse_price_book(text).is_ok() => {
            PortfolioRead::PriceBook
        }
        Err(error) => PortfolioRead::Failed(parse_error(error)),
    }
}

fn describe(error: &io::Error) -> String {
    super::plan_file::describe_io(error)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fingerprint() -> Fingerprint {
        Fingerprint {
            len: 1,
            modified: None,
        }
    }

    fn grouped(names: &[&str]) -> Vec<(String, Vec<String>)> {
        let names: Vec<(String, Fingerprint)> = names
            .iter()
            .map(|n| ((*n).to_owned(), fingerprint()))
            .collect();
        group_conflict_copies(Path::new("f"), &names)
            .into_iter()
            .map(|p| {
                let name = |p: &Path| p.file_name().unwrap().to_string_lossy().into_owned();
                (
                    name(&p.path),
                    p.conflict_copies.iter().map(|c| name(c)).collect(),
                )
            })
            .collect()
    }

    #[test]
    fn conflict_copies_join_their_plan() {
        let rows = grouped(&[
            "law-firm.ron",
            "law-firm (Dana's conflicted copy 2010-03-01).ron",
            "Law-Firm (1).ron",
            "law-firm (1) (1).ron",
            "dental.ron",
            "dental-v2.ron",
            "orphan (1).ron",
        ]);
        assert_eq!(
            rows,
            vec![
                (
                    "law-firm.ron".to_owned(),
                    vec![
                        "Law-Firm (1).ron".to_owned(),
                        "law-firm (1) (1).ron".to_owned(),
                        "law-firm (Dana's conflicted copy 2010-03-01).ron".to_owned(),
                    ]
                ),
                ("dental.ron".to_owned(), vec![]),
                // A short tag is a plan of its own, and so is a copy without its plan.
                ("dental-v2.ron".to_owned(), vec![]),
                ("orphan (1).ron".to_owned(), vec![]),
            ]
        );
    }

    #[test]
    fn hidden_and_temporary_names() {
        assert!(is_hidden(".git"));
        assert!(is_hidden("~$plan.ron.x1y2z3.keyholder.tmp"));
        assert!(!is_hidden("plan.ron"));
        assert!(is_plan_name("Plan.RON"));
        assert!(!is_plan_name("plan.ron.bak"));
    }
}

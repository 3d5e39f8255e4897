//! Reading and writing plan files (PRODUCT.md section 5).
//!
//! Files come from colleagues, so they are untrusted: a size limit, RON's nesting limit, the
//! version read before anything else, unknown fields listed rather than dropped silently,
//! and every error as `file:line:col: message`.

use std::fmt;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use serde::Deserialize;

use super::text_file::{TextKind, read_bytes, utf8_text};
use crate::model::{FORMAT_VERSION, Issue, Plan, validate};

pub use super::text_file::MAX_FILE_BYTES;
/// How deeply values may nest; real plans need fewer than 10 levels.
pub const MAX_NESTING: usize = 64;

/// A plan read from text, with what a reader should be told about it.
#[derive(Debug, Clone, PartialEq)]
pub struct Loaded {
    pub plan: Plan,
    /// Fields the file has that this version does not know (they would be lost on save).
    pub unknown_fields: Vec<String>,
    /// The file's version when it was older and has been migrated.
    pub migrated_from: Option<u32>,
}

/// Why text is not a plan this version can use.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ParseError {
    /// Bad RON or a value of the wrong shape, at a 1-based line and column.
    Syntax {
        line: usize,
        col: usize,
        message: String,
    },
    /// Written by a newer Keyholder.
    NewerVersion {
        found: u32,
    },
    NotUtf8 {
        line: usize,
        col: usize,
    },
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Syntax { line, col, message } => write!(f, "{line}:{col}: {message}"),
            Self::NewerVersion { found } => write!(
                f,
                "1:1: this plan was written by a newer Keyholder (format_version {found}; this version reads up to {FORMAT_VERSION}); open it with a newer Keyholder, or read-only"
            ),
            Self::NotUtf8 { line, col } => {
                write!(
                    f,
                    "{line}:{col}: the file is not UTF-8 text (is it a plan file?)"
                )
            }
        }
    }
}

impl std::error::Error for ParseError {}

/// Why a file could not be loaded; displays as `file:line:col: message` or `file: message`.
#[derive(Debug)]
pub enum LoadError {
    Io {
        path: PathBuf,
        source: io::Error,
    },
    /// Over [`MAX_FILE_BYTES`], by its size or while it was read.
    TooLarge {
        path: PathBuf,
        kind: TextKind,
    },
    Parse {
        path: PathBuf,
        error: ParseError,
    },
    /// A spreadsheet file in an encoding Keyholder does not read; `at` is the 1-based line
    /// and column of the first offending byte, when there is one.
    Encoding {
        path: PathBuf,
        at: Option<(usize, usize)>,
        message: String,
    },
}

impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Io { path, source } => write!(
                f,
                "{}: cannot read: {}",
                path.display(),
                describe_io(source)
            ),
            Self::TooLarge { path, kind } => write!(
                f,
                "{}: the file is larger than {} MiB, the limit for {}",
                path.display(),
                MAX_FILE_BYTES / (1024 * 1024),
                kind.plural()
            ),
            Self::Parse { path, error } => write!(f, "{}:{error}", path.display()),
            Self::Encoding {
                path,
                at: Some((line, col)),
                message,
            } => write!(f, "{}:{line}:{col}: {message}", path.display()),
            Self::Encoding {
                path,
                at: None,
                message,
            } => write!(f, "{}: {message}", path.display()),
        }
    }
}

impl std::error::Error for LoadError {}

pub(crate) fn describe_io(error: &io::Error) -> String {
    match error.kind() {
        io::ErrorKind::NotFound => "no such file or folder".to_owned(),
        io::ErrorKind::PermissionDenied => "permission denied".to_owned(),
        _ => error.to_string(),
    }
}

pub(crate) fn ron_options() -> ron::Options {
    ron::Options::default().with_recursion_limit(MAX_NESTING)
}

pub(crate) fn syntax(error: &ron::error::SpannedError) -> ParseError {
    let message = match &error.code {
        // RON's own text speaks of `ron::Options`, which means nothing to a user.
        ron::Error::ExceededRecursionLimit => format!(
            "values are nested more than {MAX_NESTING} levels deep here; a plan needs fewer than 10, so the file is damaged or not a Keyholder plan"
        ),
        code => code.to_string(),
    };
    ParseError::Syntax {
        line: error.span.start.line.max(1),
        col: error.span.start.col.max(1),
        message,
    }
}

/// Parses plan text: the version first, then the plan, listing unknown fields.
///
/// # Errors
/// [`ParseError`] with the position of the problem.
pub fn parse_plan(text: &str) -> Result<Loaded, ParseError> {
    // Named like the real type, so a message about it reads "struct `Plan`".
    #[derive(Deserialize)]
    #[serde(rename = "Plan")]
    struct VersionOnly {
        #[serde(default)]
        format_version: u32,
    }
    if text.trim().is_empty() {
        return Err(ParseError::Syntax {
            line: 1,
            col: 1,
            message: "the file is empty; a plan starts with `(format_version: 1,`".to_owned(),
        });
    }
    let options = ron_options();
    let version = match leading_format_version(text) {
        Some(version) => version,
        // Not where Keyholder writes it: read the whole file for it.
        None => {
            options
                .from_str::<VersionOnly>(text)
                .map_err(|e| syntax(&e))?
                .format_version
        }
    };
    if version == 0 {
        return Err(ParseError::Syntax {
            line: 1,
            col: 1,
            message: "missing `format_version`: this is not a Keyholder plan".to_owned(),
        });
    }
    if version > FORMAT_VERSION {
        return Err(ParseError::NewerVersion { found: version });
    }
    // Older versions are upgraded here, one step at a time, before the typed read. From 1 to
    // 2 and from 2 to 3 nothing moves: every field a version added has a default that means
    // what the older version did.
    let migrated_from = (version < FORMAT_VERSION).then_some(version);
    let mut loaded = parse_typed(text, &options)?;
    loaded.migrated_from = migrated_from;
    Ok(loaded)
}

/// Reads a plan from a newer Keyholder as far as this version understands it, for showing it
/// read-only; what this version does not know is listed in `unknown_fields`.
///
/// # Errors
/// When even the known parts do not read.
pub fn parse_plan_of_newer_version(text: &str) -> Result<Loaded, ParseError> {
    parse_typed(text, &ron_options())
}

fn parse_typed(text: &str, options: &ron::Options) -> Result<Loaded, ParseError> {
    let mut deserializer =
        ron::Deserializer::from_str_with_options(text, options).map_err(|e| syntax(&e))?;
    let mut unknown_fields = Vec::new();
    let plan: Plan = serde_ignored::deserialize(&mut deserializer, |path| {
        unknown_fields.push(path.to_string());
    })
    .map_err(|e| syntax(&deserializer.span_error(e)))?;
    deserializer
        .end()
        .map_err(|e| syntax(&deserializer.span_error(e)))?;
    let mut plan = plan;
    plan.format_version = FORMAT_VERSION;
    Ok(Loaded {
        plan,
        unknown_fields,
        migrated_from: None,
    })
}

/// A problem that validation found in a plan file, with the line and column of its field
/// when the file writes it (a field left to its default has no place of its own, and gets
/// its nearest written parent's).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileIssue {
    /// 1-based line and column.
    pub position: Option<(usize, usize)>,
    pub issue: Issue,
}

impl fmt::Display for FileIssue {
    /// `LINE:COL: field: message`, or `field: message` without a position; prefixed with
    /// `PLAN:` it is what `check` prints.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.position {
            Some((line, col)) => write!(f, "{line}:{col}: {}", self.issue),
            None => write!(f, "{}", self.issue),
        }
    }
}

/// Gives each issue of a plan read from `text` the line and column of its field.
#[must_use]
pub fn locate_issues(text: &str, issues: Vec<Issue>) -> Vec<FileIssue> {
    let paths: Vec<&[crate::model::FieldStep]> =
        issues.iter().map(|issue| issue.path.as_slice()).collect();
    let positions = super::positions::locate(text, &paths);
    issues
        .into_iter()
        .zip(positions)
        .map(|(issue, position)| FileIssue { position, issue })
        .collect()
}

/// Reads, parses and validates a plan file: the plan, its stamp, and every validation
/// problem with its line and column (empty when the plan is valid).
///
/// # Errors
/// [`LoadError`] when the file cannot be read or parsed.
pub fn load_and_validate(path: &Path) -> Result<(Loaded, FileStamp, Vec<FileIssue>), LoadError> {
    let (bytes, modified) = read_bytes(path, TextKind::Plan)?;
    let stamp = FileStamp::of_bytes(&bytes, modified);
    let text = utf8_text(path, &bytes)?;
    let loaded = parse_plan(text).map_err(|error| LoadError::Parse {
        path: path.to_owned(),
        error,
    })?;
    let issues = validate(&loaded.plan);
    // Finding positions walks the text once, only when there is something to point at.
    let issues = if issues.is_empty() {
        Vec::new()
    } else {
        locate_issues(text, issues)
    };
    Ok((loaded, stamp, issues))
}

/// The version of a file that starts as Keyholder writes it, `(` then `format_version: N,`,
/// read without parsing the rest (which may be large, or from a newer format).
pub(crate) fn leading_format_version(text: &str) -> Option<u32> {
    let rest = text.trim_start().strip_prefix('(')?.trim_start();
    let rest = rest
        .strip_prefix("format_version")?
        .trim_start()
        .strip_prefix(':')?
        .trim_start();
    let digits = rest
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(rest.len());
    let after = rest[digits..].trim_start();
    if digits == 0 || !(after.starts_with(',') || after.starts_with(')')) {
        return None;
    }
    rest[..digits].parse().ok()
}

/// The file's text: pretty RON, `\n` line endings, fields in a fixed order, no extensions.
/// The same plan always gives the same bytes.
///
/// # Panics
/// Never: every plan value serializes.
#[must_use]
pub fn plan_to_ron(plan: &Plan) -> String {
    try_plan_to_ron(plan).unwrap_or_else(|e| format!("// the plan could not be written: {e}\n"))
}

/// Like [`plan_to_ron`], with the (never expected) serialization error.
///
/// # Errors
/// When a value cannot be written as RON.
pub fn try_plan_to_ron(plan: &Plan) -> Result<String, ron::Error> {
    to_file_ron(plan)
}

/// Any value as Keyholder writes files: pretty RON, 4-space indents, `\n` line endings, no
/// struct names, a final newline.
pub(crate) fn to_file_ron<T: serde::Serialize>(value: &T) -> Result<String, ron::Error> {
    let config = ron::ser::PrettyConfig::new()
        .new_line("\n".to_owned())
        .indentor("    ".to_owned())
        .struct_names(false)
        .separate_tuple_members(false)
        .enumerate_arrays(false);
    let mut text = ron::Options::default().to_string_pretty(value, config)?;
    text.push('\n');
    Ok(text)
}

/// Identifies the bytes a plan was read from, to notice a colleague's change before saving.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileStamp {
    pub len: u64,
    pub modified: Option<SystemTime>,
    /// FNV-1a of the content: stable across runs and platforms.
    pub hash: u64,
}

impl FileStamp {
    #[must_use]
    pub fn of_bytes(bytes: &[u8], modified: Option<SystemTime>) -> Self {
        let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
        for &byte in bytes {
            hash ^= u64::from(byte);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
        Self {
            len: bytes.len() as u64,
            modified,
            hash,
        }
    }

    /// Whether both stamps describe the same bytes (modification times aside: copying or
    /// syncing a file changes its time, not its content). The one comparison every conflict
    /// check uses.
    #[must_use]
    pub fn same_content(&self, other: &Self) -> bool {
        self.len == other.len && self.hash == other.hash
    }

    /// The stamp of the file as it is on disk now, or `None` if it is gone.
    #[must_use]
    pub fn read(path: &Path) -> Option<Self> {
        let metadata = fs::metadata(path).ok()?;
        let modified = metadata.modified().ok();
        if !metadata.is_file() || metadata.len() > MAX_FILE_BYTES {
            // Not a plan this app could have written: a stamp that matches no plan's.
            return Some(Self {
                len: metadata.len(),
                modified,
                hash: 0,
            });
        }
        let bytes = fs::read(path).ok()?;
        Some(Self::of_bytes(&bytes, modified))
    }
}

/// Reads and parses a plan file.
///
/// # Errors
/// [`LoadError`], displayed as `file:line:col: message`.
pub fn load_plan(path: &Path) -> Result<(Loaded, FileStamp), LoadError> {
    // What a killed save left beside the plan goes when it is next opened.
    if let Ok(target) = super::atomic_write::resolve_links(path) {
        super::atomic_write::sweep_abandoned_temporaries(&target);
    }
    let (bytes, modified) = read_bytes(path, TextKind::Plan)?;
    let stamp = FileStamp::of_bytes(&bytes, modified);
    let text = utf8_text(path, &bytes)?;
    let loaded = parse_plan(text).map_err(|error| LoadError::Parse {
        path: path.to_owned(),
        error,
    })?;
    Ok((loaded, stamp))
}

//! Plan files on disk: reading untrusted RON safely, the one save path (atomic, through
//! symbolic links, never over a read-only file or a colleague's change, the replaced version
//! kept), earlier versions in the data folder, and the price books that ship inside the binary.

mod atomic_write;
pub mod backups;
pub mod bases;
mod builtin;
mod conflict_copies;
mod content_id;
mod plan_file;
pub mod portfolio;
mod positions;
mod price_book_file;
mod save;
mod text_file;

pub use atomic_write::{
    is_temporary_of, resolve_links, sweep_abandoned_temporaries, write_atomically,
};
pub use builtin::{
    BUILTIN_PRICE_BOOKS, SAMPLE_PLAN, builtin_price_book, default_price_book, sample_plan,
};
pub use conflict_copies::{conflict_copies, is_conflict_copy};
pub use content_id::{
    content_id, content_text, id_of_content_text, is_well_formed, record_content_id,
};
pub use plan_file::{
    FileIssue, FileStamp, LoadError, Loaded, MAX_FILE_BYTES, MAX_NESTING, ParseError,
    load_and_validate, load_plan, locate_issues, parse_plan, parse_plan_of_newer_version,
    plan_to_ron, try_plan_to_ron,
};
pub use positions::locate;
pub use price_book_file::{load_price_book, parse_price_book, price_book_to_ron, save_price_book};
pub use save::{Expect, SaveError, Saved, save_plan, save_plan_file};
pub use text_file::{
    DecodedText, EncodingProblem, TextEncoding, TextFile, TextKind, decode_spreadsheet_text,
    read_bytes, read_text, utf8_text,
};

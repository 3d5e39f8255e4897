//! Plan files on disk: reading untrusted RON safely, writing atomically, and the price
//! books that ship inside the binary.

mod builtin;
mod conflict_copies;
mod plan_file;
mod price_book_file;
mod text_file;

pub use builtin::{
    BUILTIN_PRICE_BOOKS, SAMPLE_PLAN, builtin_price_book, default_price_book, sample_plan,
};
pub use conflict_copies::{conflict_copies, is_conflict_copy};
pub use plan_file::{
    FileStamp, LoadError, Loaded, MAX_FILE_BYTES, MAX_NESTING, ParseError, SaveError, load_plan,
    parse_plan, parse_plan_of_newer_version, plan_to_ron, save_plan, save_plan_checked,
    try_plan_to_ron, write_atomically,
};
pub use price_book_file::{load_price_book, parse_price_book, price_book_to_ron, save_price_book};
pub use text_file::{
    DecodedText, EncodingProblem, TextEncoding, TextFile, TextKind, decode_spreadsheet_text,
    read_bytes, read_text, utf8_text,
};

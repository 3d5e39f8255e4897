//! Price books as files of their own (issue 5, item 7): an account manager saves a plan's
//! price book to share it, and loads a colleague's into a plan after seeing which rates
//! change ([`crate::model::price_book_changes`]).
//!
//! The file is the `price_book` part of a plan file, written the same way. Reading is as
//! careful as for plans: a size limit, RON's nesting limit, a UTF-8 check, and errors as
//! `file:line:col: message`. Fields this version does not know are refused rather than
//! dropped, since a misspelt optional field (`msp_fee:`) would otherwise lose rates silently.
//! A whole plan file is accepted too, and gives its price book.

use std::io;
use std::path::Path;

use crate::model::PriceBook;

use super::atomic_write::write_atomically;
use super::plan_file::{
    LoadError, ParseError, leading_format_version, parse_plan, ron_options, syntax, to_file_ron,
};
use super::save::SaveError;
use super::text_file::{TextKind, read_text};

/// The file text of a price book: pretty RON like a plan file (4-space indents, `\n` line
/// endings, no struct names, fields in a fixed order). The same book always gives the same
/// bytes.
#[must_use]
pub fn price_book_to_ron(book: &PriceBook) -> String {
    to_file_ron(book).unwrap_or_else(|e| format!("// the price book could not be written: {e}\n"))
}

/// Writes the price book to `path` atomically (see [`super::write_atomically`]); the file
/// on disk is either the old one or the new one, never half of each.
///
/// # Errors
/// [`SaveError::Io`] with the reason.
pub fn save_price_book(path: &Path, book: &PriceBook) -> Result<(), SaveError> {
    let io_error = |source| SaveError::Io {
        path: path.to_owned(),
        source,
    };
    let text = to_file_ron(book).map_err(|e| io_error(io::Error::other(e)))?;
    write_atomically(path, text.as_bytes()).map(|_| ())
}

/// Parses price book text, or a whole plan's text (giving the plan's price book).
///
/// # Errors
/// [`ParseError`] with the position of the problem; a field this version does not know is
/// an error at that field.
pub fn parse_price_book(text: &str) -> Result<PriceBook, ParseError> {
    if text.trim().is_empty() {
        return Err(ParseError::Syntax {
            line: 1,
            col: 1,
            message: "the file is empty; a price book starts with `(name: \"…\",`".to_owned(),
        });
    }
    if leading_format_version(text).is_some() {
        let loaded = parse_plan(text)?;
        return match loaded
            .unknown_fields
            .iter()
            .find(|field| field.starts_with("price_book."))
        {
            Some(field) => Err(unknown_field(text, field)),
            None => Ok(loaded.plan.price_book),
        };
    }
    let options = ron_options();
    let mut deserializer =
        ron::Deserializer::from_str_with_options(text, &options).map_err(|e| syntax(&e))?;
    let mut unknown_fields = Vec::new();
    let book: PriceBook = serde_ignored::deserialize(&mut deserializer, |path| {
        unknown_fields.push(path.to_string());
    })
    .map_err(|e| syntax(&deserializer.span_error(e)))?;
    deserializer
        .end()
        .map_err(|e| syntax(&deserializer.span_error(e)))?;
    match unknown_fields.first() {
        Some(field) => Err(unknown_field(text, field)),
        None => Ok(book),
    }
}

/// Reads a price book file (or a plan file, for its price book).
///
/// # Errors
/// [`LoadError`], displayed as `file:line:col: message` or `file: message`.
pub fn load_price_book(path: &Path) -> Result<PriceBook, LoadError> {
    let file = read_text(path, TextKind::PriceBook)?;
    parse_price_book(&file.text).map_err(|error| LoadError::Parse {
        path: path.to_owned(),
        error,
    })
}

/// The error for a field this version does not know, at the first place the field's name
/// is written as a key (`name:`), or 1:1 when it cannot be found.
fn unknown_field(text: &str, path: &str) -> ParseError {
    let name = path.rsplit('.').next().unwrap_or(path);
    let (line, col) = key_position(text, name).unwrap_or((1, 1));
    ParseError::Syntax {
        line,
        col,
        message: format!(
            "unknown field `{name}` (at {path}); this Keyholder does not know it, so the price book is not read rather than lose it: check the spelling, or open it with a newer Keyholder"
        ),
    }
}

/// The 1-based line and column of the first `name:` in `text` where `name` is a whole word.
fn key_position(text: &str, name: &str) -> Option<(usize, usize)> {
    if name.is_empty() {
        return None;
    }
    let is_word = |c: char| c.is_alphanumeric() || c == '_';
    let at = text.match_indices(name).map(|(i, _)| i).find(|&i| {
        let before_ok = text[..i].chars().next_back().is_none_or(|c| !is_word(c));
        let after = &text[i + name.len()..];
        let after_ok = after.chars().next().is_none_or(|c| !is_word(c));
        before_ok && after_ok && after.trim_start().starts_with(':')
    })?;
    let before = &text[..at];
    let line = 1 + before.matches('\n').count();
    let line_start = before.rfind('\n').map_or(0, |p| p + 1);
    Some((line, 1 + before[line_start..].chars().count()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_a_key_as_a_whole_word() {
        let text = "(\n    label: \"x\",\n    msp_fee: [],\n    msp_fees: [],\n)";
        assert_eq!(key_position(text, "msp_fee"), Some((3, 5)));
        assert_eq!(key_position(text, "msp_fees"), Some((4, 5)));
        assert_eq!(key_position(text, "fee"), None);
    }
}

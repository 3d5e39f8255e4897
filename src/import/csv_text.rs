//! What every CSV Keyholder reads or writes shares: the separator found from the header row,
//! numbers as spreadsheets write them, line numbers for `\n`, `\r\n` and `\r` files, quotes
//! that are never closed, and the one rule that keeps text cells from running as formulas.

use std::fmt;
use std::str::FromStr;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

use rust_decimal::Decimal;

/// The character between cells.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Separator {
    Comma,
    /// Excel in locales whose decimal separator is a comma.
    Semicolon,
    /// Excel's "Unicode text".
    Tab,
}

impl Separator {
    #[must_use]
    pub const fn byte(self) -> u8 {
        match self {
            Self::Comma => b',',
            Self::Semicolon => b';',
            Self::Tab => b'\t',
        }
    }

    /// How numbers are written in a file with this separator.
    pub(super) const fn number_style(self) -> NumberStyle {
        match self {
            Self::Comma => NumberStyle::DecimalPoint,
            Self::Semicolon => NumberStyle::DecimalComma,
            Self::Tab => NumberStyle::Either,
        }
    }
}

impl fmt::Display for Separator {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Comma => "comma-separated",
            Self::Semicolon => "semicolon-separated",
            Self::Tab => "tab-separated",
        })
    }
}

/// A file that cannot be read as CSV at all, with the 1-based line of the problem.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    pub line: u64,
    pub message: String,
}

/// Where the CSV proper starts and how it is separated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Layout {
    pub separator: Separator,
    /// Byte offset of the header row (past Excel's `sep=;` line when there is one).
    pub start: usize,
    /// 1-based line of the header row.
    pub header_line: u64,
}

/// Finds the separator from the header row: Excel's `sep=X` first line when present, else
/// whichever of comma, semicolon and tab appears most often outside quotes. A header row
/// with none of them is refused, naming the character that seems to separate its columns.
///
/// # Errors
/// [`Refusal`] for an empty file or a separator Keyholder does not read.
pub(super) fn layout(text: &str) -> Result<Layout, Refusal> {
    let mut lines = LineCounter::new(text);
    // Blank lines before the header are skipped, as the CSV reader skips them.
    let start = text.len() - text.trim_start_matches(['\r', '\n']).len();
    let first = first_row(&text[start..]);
    // Excel's hint line, `sep=;`, names the separator and is not part of the table.
    let hint_line = first.trim_matches(' ');
    let hint = hint_line
        .get(..4)
        .filter(|prefix| prefix.eq_ignore_ascii_case("sep="))
        .map(|_| &hint_line[4..]);
    if let Some(hint) = hint {
        let separator = match hint {
            "," => Separator::Comma,
            ";" => Separator::Semicolon,
            "\t" => Separator::Tab,
            other => {
                return Err(Refusal {
                    line: lines.line_at(start),
                    message: format!(
                        "the file's first line says its cells are separated by \"{}\"; Keyholder reads comma-, semicolon- or tab-separated files",
                        other.escape_debug()
                    ),
                });
            }
        };
        let after = start + first.len();
        let header = text.len() - text[after..].trim_start_matches(['\r', '\n']).len();
        return Ok(Layout {
            separator,
            start: header,
            header_line: lines.line_at(header),
        });
    }
    let header_line = lines.line_at(start);
    if first.trim().is_empty() {
        return Err(Refusal {
            line: header_line,
            message: "the file is empty; expected a header row with the column names".to_owned(),
        });
    }
    let count = |wanted: char| {
        let mut quoted = false;
        first
            .chars()
            .filter(|&c| {
                if c == '"' {
                    quoted = !quoted;
                }
                !quoted && c == wanted
            })
            .count()
    };
    let (commas, semicolons, tabs) = (count(','), count(';'), count('\t'));
    let separator = if commas == 0 && semicolons == 0 && tabs == 0 {
        return Err(Refusal {
            line: header_line,
            message: match other_separator(first) {
                Some(found) => format!(
                    "the header row has no comma, semicolon or tab between the column names; it seems to use \"{found}\", which Keyholder does not read: save the file from Excel as CSV"
                ),
                None => format!(
                    "the header row has one column only (\"{}\"); expected comma-, semicolon- or tab-separated column names",
                    first.trim()
                ),
            },
        });
    } else if semicolons > commas && semicolons >= tabs {
        Separator::Semicolon
    } else if tabs > commas {
        Separator::Tab
    } else {
        Separator::Comma
    };
    Ok(Layout {
        separator,
        start,
        header_line,
    })
}

/// The first row of `text`, up to a line break outside quotes.
fn first_row(text: &str) -> &str {
    let mut quoted = false;
    for (i, c) in text.char_indices() {
        match c {
            '"' => quoted = !quoted,
            '\r' | '\n' if !quoted => return &text[..i],
            _ => {}
        }
    }
    text
}

/// The punctuation that most likely separates the columns of a header row without comma,
/// semicolon or tab.
fn other_separator(header: &str) -> Option<char> {
    let mut counts: Vec<(char, usize)> = Vec::new();
    for c in header.chars() {
        if c.is_alphanumeric() || c.is_whitespace() || c.is_control() || "*()-_.'\"/%#".contains(c)
        {
            continue;
        }
        match counts.iter_mut().find(|(found, _)| *found == c) {
            Some((_, n)) => *n += 1,
            None => counts.push((c, 1)),
        }
    }
    counts.into_iter().max_by_key(|&(_, n)| n).map(|(c, _)| c)
}

/// Line numbers of byte offsets, for offsets that only grow (as the rows of a file are
/// read): linear in the file, whatever the number of rows. `\r\n`, `\r` and `\n` each end a
/// line, as in Excel and every editor.
pub(super) struct LineCounter<'a> {
    bytes: &'a [u8],
    at: usize,
    line: u64,
}

impl<'a> LineCounter<'a> {
    pub(super) fn new(text: &'a str) -> Self {
        Self {
            bytes: text.as_bytes(),
            at: 0,
            line: 1,
        }
    }

    /// The 1-based line of the byte at `offset`. Offsets before the last one asked for are
    /// answered with the last line (they do not happen when rows are read in order).
    pub(super) fn line_at(&mut self, offset: usize) -> u64 {
        let end = offset.min(self.bytes.len());
        while self.at < end {
            match self.bytes[self.at] {
                b'\n' => self.line += 1,
                b'\r' if self.bytes.get(self.at + 1) != Some(&b'\n') => self.line += 1,
                _ => {}
            }
            self.at += 1;
        }
        self.line
    }

    /// The line where the record starting at `offset` begins: a record position can point
    /// at the line break that ended the previous record.
    pub(super) fn record_line(&mut self, offset: usize) -> u64 {
        let mut start = offset.min(self.bytes.len());
        while start < self.bytes.len() && matches!(self.bytes[start], b'\r' | b'\n') {
            start += 1;
        }
        self.line_at(start)
    }
}

/// The 1-based line where a quoted cell opens that is never closed, read as the CSV reader
/// reads it: a `"` at the start of a cell opens a quote, `""` inside it is a quote
/// character, and a lone `"` closes it; a `"` elsewhere is an ordinary character.
pub(super) fn unclosed_quote(text: &str, separator: Separator) -> Option<u64> {
    let bytes = text.as_bytes();
    let delimiter = separator.byte();
    let (mut quoted, mut cell_start) = (false, true);
    let mut opened_at = 0;
    let mut i = 0;
    while i < bytes.len() {
        let byte = bytes[i];
        if quoted {
            if byte == b'"' {
                if bytes.get(i + 1) == Some(&b'"') {
                    i += 1;
                } else {
                    quoted = false;
                }
            }
        } else if cell_start && byte == b'"' {
            quoted = true;
            opened_at = i;
            cell_start = false;
        } else {
            cell_start = byte == delimiter || byte == b'\n' || byte == b'\r';
        }
        i += 1;
    }
    quoted.then(|| LineCounter::new(text).line_at(opened_at))
}

/// How a file writes decimals.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum NumberStyle {
    /// `1250.5`, or `1,250.5` with thousands separators (comma-separated files).
    DecimalPoint,
    /// `1250,5` or `1.250,5` (semicolon-separated files, from locales with a decimal comma).
    DecimalComma,
    /// Either (tab-separated files, written in any locale): `250,5` and `250.5` are both
    /// read, and a number that means different things in the two (`1,250`, `1.250`) is
    /// refused rather than guessed.
    Either,
}

/// Why a cell is not a number.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum NotANumber {
    Invalid,
    /// `1,250` or `1.250`: a thousands separator or a decimal one, depending on the locale.
    Ambiguous,
}

/// Whether `digits` is an integer with `mark` between groups of three (`1,250,000`), the
/// first group of 1–3 digits not starting with 0.
fn is_grouped(digits: &str, mark: char) -> bool {
    let digits = digits.strip_prefix(['-', '+']).unwrap_or(digits);
    let mut groups = digits.split(mark);
    let first_ok = groups.next().is_some_and(|g| {
        (1..=3).contains(&g.len()) && g.bytes().all(|b| b.is_ascii_digit()) && !g.starts_with('0')
    });
    first_ok
        && digits.contains(mark)
        && groups.all(|g| g.len() == 3 && g.bytes().all(|b| b.is_ascii_digit()))
}

fn decimal(text: &str) -> Result<Decimal, NotANumber> {
    Decimal::from_str(text)
        .or_else(|_| Decimal::from_scientific(text))
        .map_err(|_| NotANumber::Invalid)
}

/// A number as a spreadsheet writes it in a file of the given style: plain, with thousands
/// separators, with a decimal comma where the style allows it, or in scientific notation.
pub(super) fn parse_decimal(text: &str, style: NumberStyle) -> Result<Decimal, NotANumber> {
    let text = text.trim();
    let last_point = text.rfind('.');
    let last_comma = text.rfind(',');
    match (last_point, last_comma) {
        // Both: the last one is the decimal separator, the other groups thousands.
        (Some(p), Some(_)) if last_comma < last_point => {
            if !is_grouped(&text[..p], ',') {
                return Err(NotANumber::Invalid);
            }
            decimal(&text.replace(',', ""))
        }
        (Some(_), Some(c)) => {
            if style == NumberStyle::DecimalPoint || !is_grouped(&text[..c], '.') {
                return Err(NotANumber::Invalid);
            }
            decimal(&text.replace('.', "").replace(',', "."))
        }
        (None, Some(_)) => {
            let grouped = is_grouped(text, ',');
            match style {
                NumberStyle::DecimalPoint if grouped => decimal(&text.replace(',', "")),
                NumberStyle::DecimalPoint => Err(NotANumber::Invalid),
                NumberStyle::Either if grouped && text.matches(',').count() == 1 => {
                    Err(NotANumber::Ambiguous)
                }
                NumberStyle::Either if grouped => decimal(&text.replace(',', "")),
                NumberStyle::DecimalComma | NumberStyle::Either => decimal(&text.replace(',', ".")),
            }
        }
        (Some(_), None) => {
            let grouped = is_grouped(text, '.');
            let points = text.matches('.').count();
            match style {
                // Two or more points can only group thousands.
                NumberStyle::DecimalComma | NumberStyle::Either if grouped && points > 1 => {
                    decimal(&text.replace('.', ""))
                }
                NumberStyle::DecimalComma | NumberStyle::Either if grouped => {
                    Err(NotANumber::Ambiguous)
                }
                NumberStyle::DecimalPoint | NumberStyle::DecimalComma | NumberStyle::Either => {
                    decimal(text)
                }
            }
        }
        (None, None) => decimal(text),
    }
}

/// Whether a spreadsheet would read `text` as a formula (or, after a leading `'`, as text
/// that looks like one), so that [`neutralize_formula`] guards it.
fn looks_like_formula(text: &str) -> bool {
    text.trim_start_matches('\'')
        .starts_with(['=', '+', '-', '@', '\t', '\r'])
}

/// The one rule for text cells Keyholder writes to CSV: text a spreadsheet would read as a
/// formula (starting with `=`, `+`, `-`, `@`, a tab or a carriage return) gets a leading
/// apostrophe. Text that already starts with apostrophes before such a character gets one
/// more, so [`unneutralize_formula`] gives back exactly the original.
#[must_use]
pub fn neutralize_formula(text: &str) -> String {
    if looks_like_formula(text) {
        format!("'{text}")
    } else {
        text.to_owned()
    }
}

/// Takes off the apostrophe [`neutralize_formula`] added: `'=SUM(A1)` → `=SUM(A1)`. Other
/// text, including an apostrophe before ordinary text (`'t Hooft`), is returned as it is.
#[must_use]
pub fn unneutralize_formula(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(rest) if looks_like_formula(rest) => rest,
        _ => cell,
    }
}

/// How far an import running on another thread has got, and a way to cancel it. Share it
/// (e.g. in an `Arc`) with the thread running the import; no UI toolkit is involved.
#[derive(Debug, Default)]
pub struct ImportProgress {
    done_bytes: AtomicU64,
    total_bytes: AtomicU64,
    cancelled: AtomicBool,
}

impl ImportProgress {
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// Asks the import to stop; it returns [`crate::import::ImportError::Cancelled`] soon
    /// after, and nothing is imported.
    pub fn cancel(&self) {
        self.cancelled.store(true, Ordering::Relaxed);
    }

    #[must_use]
    pub fn is_cancelled(&self) -> bool {
        self.cancelled.load(Ordering::Relaxed)
    }

    /// Bytes of text processed so far and in all (0 until the file is read).
    #[must_use]
    pub fn bytes(&self) -> (u64, u64) {
        (
            self.done_bytes.load(Ordering::Relaxed),
            self.total_bytes.load(Ordering::Relaxed),
        )
    }

    /// The part done, from 0 to 1.
    #[must_use]
    pub fn fraction(&self) -> f32 {
        let (done, total) = self.bytes();
        if total == 0 {
            0.0
        } else {
            #[expect(
                clippy::cast_precision_loss,
                reason = "a progress bar needs no more than f32 precision"
            )]
            let fraction = done.min(total) as f32 / total as f32;
            fraction
        }
    }

    pub(super) fn set_total(&self, total_bytes: u64) {
        self.total_bytes.store(total_bytes, Ordering::Relaxed);
    }

    pub(super) fn set_done(&self, done_bytes: u64) {
        self.done_bytes.store(done_bytes, Ordering::Relaxed);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(text: &str) -> Result<Decimal, NotANumber> {
        Decimal::from_str(text).map_err(|_| NotANumber::Invalid)
    }

    #[test]
    fn numbers_in_a_comma_separated_file() {
        let p = |t| parse_decimal(t, NumberStyle::DecimalPoint);
        assert_eq!(p("1250.5"), d("1250.5"));
        assert_eq!(p("1,250.5"), d("1250.5"));
        assert_eq!(p("1,250,000"), d("1250000"));
        assert_eq!(p("1.250"), d("1.25"));
        assert_eq!(p("1,5"), Err(NotANumber::Invalid));
        assert_eq!(p("1.250,5"), Err(NotANumber::Invalid));
        assert_eq!(p("1.2E+3"), d("1200"));
        assert_eq!(p("abc"), Err(NotANumber::Invalid));
    }

    #[test]
    fn numbers_in_a_semicolon_separated_file() {
        let p = |t| parse_decimal(t, NumberStyle::DecimalComma);
        assert_eq!(p("1,5"), d("1.5"));
        assert_eq!(p("1.250,5"), d("1250.5"));
        assert_eq!(p("1,250.5"), d("1250.5"));
        assert_eq!(p("1.5"), d("1.5"));
        assert_eq!(p("0.125"), d("0.125"));
        assert_eq!(p("1.250.000"), d("1250000"));
        assert_eq!(p("1.250"), Err(NotANumber::Ambiguous));
        assert_eq!(p("12,25,5"), Err(NotANumber::Invalid));
        assert_eq!(p("1,2,3.5"), Err(NotANumber::Invalid));
    }

    #[test]
    fn numbers_in_a_tab_separated_file() {
        let p = |t| parse_decimal(t, NumberStyle::Either);
        assert_eq!(p("250,5"), d("250.5"));
        assert_eq!(p("250.5"), d("250.5"));
        assert_eq!(p("1.250,5"), d("1250.5"));
        assert_eq!(p("1,250.5"), d("1250.5"));
        assert_eq!(p("12,345,678"), d("12345678"));
        assert_eq!(p("1,250"), Err(NotANumber::Ambiguous));
        assert_eq!(p("1.250"), Err(NotANumber::Ambiguous));
        assert_eq!(p("0,250"), d("0.25"));
    }

    #[test]
    fn separators_come_from_the_header_row() {
        let sep = |t| layout(t).map(|l| l.separator);
        assert_eq!(sep("id,name\n"), Ok(Separator::Comma));
        assert_eq!(sep("id;name;notes\r\n"), Ok(Separator::Semicolon));
        assert_eq!(sep("id\tname\n"), Ok(Separator::Tab));
        assert_eq!(sep("\"a;b\",c\n"), Ok(Separator::Comma));
        assert_eq!(sep("a,b;c;d\n1,2\n"), Ok(Separator::Semicolon));
        let with_hint = layout("sep=;\r\nid;name\r\n").expect("a hint");
        assert_eq!(with_hint.separator, Separator::Semicolon);
        assert_eq!(with_hint.header_line, 2);
        assert_eq!(&"sep=;\r\nid;name\r\n"[with_hint.start..], "id;name\r\n");
        let pipes = layout("*Server Name|*Cores|*OS name\n").expect_err("pipes");
        assert!(pipes.message.contains("\"|\""), "{}", pipes.message);
        let one = layout("Name\nFS01\n").expect_err("one column");
        assert!(one.message.contains("one column only"), "{}", one.message);
        assert_eq!(layout("\n\n").expect_err("empty").line, 3);
        assert_eq!(layout("\r\n\r\na,b").map(|l| l.header_line), Ok(3));
    }

    #[test]
    fn line_numbers_for_every_line_ending() {
        let text = "a\rb\r\nc\nd";
        let mut lines = LineCounter::new(text);
        assert_eq!(lines.line_at(0), 1);
        assert_eq!(lines.line_at(2), 2);
        assert_eq!(lines.line_at(5), 3);
        assert_eq!(lines.line_at(7), 4);
        assert_eq!(lines.line_at(100), 4);
        let mut lines = LineCounter::new("h\r\n\r\nrow");
        assert_eq!(lines.record_line(1), 3);
    }

    #[test]
    fn unclosed_quotes_are_found_with_their_line() {
        assert_eq!(unclosed_quote("a,\"open,b\n", Separator::Comma), Some(1));
        assert_eq!(unclosed_quote("h\rx,\"a\"\"b", Separator::Comma), Some(2));
        assert_eq!(
            unclosed_quote("a,\"closed\"\"\",b\n", Separator::Comma),
            None
        );
        assert_eq!(unclosed_quote("Monitor 24\",x\n", Separator::Comma), None);
        assert_eq!(
            unclosed_quote("\"two\r\nlines\"\r\n", Separator::Comma),
            None
        );
        assert_eq!(unclosed_quote("a;\"b", Separator::Semicolon), Some(1));
        assert_eq!(unclosed_quote("a\n\"b\nc\nd", Separator::Tab), Some(2));
    }

    #[test]
    fn neutralizes_and_restores() {
        for text in [
            "=SUM(A1)",
            "+1",
            "-5 dollars",
            "@home",
            "\tTab",
            "\rCR",
            "'=already",
            "''+twice",
        ] {
            let cell = neutralize_formula(text);
            assert!(cell.starts_with('\''), "{text:?} → {cell:?}");
            assert_eq!(unneutralize_formula(&cell), text);
        }
        for text in ["plain", "'t Hooft", "'", "", "5-4", "a=b"] {
            assert_eq!(neutralize_formula(text), text);
            assert_eq!(unneutralize_formula(text), text);
        }
    }
}

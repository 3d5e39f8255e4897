//! One reader for every untrusted text file Keyholder opens: plans, price books, inventories
//! and workload CSVs.
//!
//! Every file is read with the same size limit, counted while reading, so `/dev/zero`, a
//! pipe or a file that grows while it is read is refused after [`MAX_FILE_BYTES`] and never
//! read until memory runs out. RON files must be UTF-8 (a byte-order mark is allowed) and a
//! bad byte is reported as `file:line:col`. Spreadsheet files are decoded the way Excel
//! writes them: UTF-8 with or without a byte-order mark, UTF-16 with a byte-order mark
//! ("Unicode text"), or Windows-1252 ("CSV" on Western Windows) when the bytes are not
//! UTF-8. Anything else is refused with what was found; no character is ever replaced by
//! U+FFFD.

use std::fmt;
use std::fs;
use std::io::{self, Read};
use std::path::Path;
use std::time::SystemTime;

use encoding_rs::{DecoderResult, Encoding};

use super::plan_file::{LoadError, ParseError};

/// Files larger than this are refused; the limit is also counted while reading.
pub const MAX_FILE_BYTES: u64 = 64 * 1024 * 1024;

/// What an untrusted text file is meant to be: it decides the encodings accepted and how
/// messages name the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextKind {
    Plan,
    PriceBook,
    /// An Azure Migrate import CSV.
    Inventory,
    /// A plan's workloads as CSV.
    WorkloadsCsv,
}

impl TextKind {
    /// The kind with an article, for "it is a folder, not …".
    #[must_use]
    pub const fn with_article(self) -> &'static str {
        match self {
            Self::Plan => "a plan file",
            Self::PriceBook => "a price book file",
            Self::Inventory => "an inventory CSV",
            Self::WorkloadsCsv => "a workloads CSV",
        }
    }

    /// The kind in the plural, for "… are limited to 64 MiB".
    #[must_use]
    pub const fn plural(self) -> &'static str {
        match self {
            Self::Plan => "plan files",
            Self::PriceBook => "price book files",
            Self::Inventory => "inventory CSVs",
            Self::WorkloadsCsv => "workloads CSVs",
        }
    }

    /// Whether the file comes from a spreadsheet, so Excel's encodings are read; RON files
    /// are UTF-8 only.
    #[must_use]
    pub const fn is_spreadsheet(self) -> bool {
        matches!(self, Self::Inventory | Self::WorkloadsCsv)
    }
}

/// The encoding a text file was read in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextEncoding {
    Utf8,
    /// UTF-8 starting with a byte-order mark (Excel's "CSV UTF-8").
    Utf8WithBom,
    /// UTF-16 little-endian with a byte-order mark (Excel's "Unicode text" on Windows).
    Utf16Le,
    /// UTF-16 big-endian with a byte-order mark.
    Utf16Be,
    /// Windows-1252, the superset of Latin-1 that Excel's "CSV" writes on Western Windows.
    Windows1252,
}

impl fmt::Display for TextEncoding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Utf8 => "UTF-8",
            Self::Utf8WithBom => "UTF-8 with a byte-order mark",
            Self::Utf16Le => "UTF-16 LE",
            Self::Utf16Be => "UTF-16 BE",
            Self::Windows1252 => "Windows-1252",
        })
    }
}

/// Text decoded from a spreadsheet file's bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecodedText {
    /// The text without a byte-order mark.
    pub text: String,
    pub encoding: TextEncoding,
    /// For text read as Windows-1252: another Latin-script encoding the bytes may be in, as
    /// the statistics of the text suggest (short texts cannot tell them apart), so the person
    /// importing can check the accented letters.
    pub other_possible_encoding: Option<&'static str>,
}

/// Why a spreadsheet file's bytes are not text Keyholder reads; `line` and `col` are
/// 1-based and point at the first offending byte when there is one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EncodingProblem {
    pub at: Option<(usize, usize)>,
    pub message: String,
}

/// A text file read and decoded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TextFile {
    pub text: String,
    pub encoding: TextEncoding,
    /// See [`DecodedText::other_possible_encoding`].
    pub other_possible_encoding: Option<&'static str>,
    /// The size of the file in bytes, as read.
    pub len_bytes: u64,
    pub modified: Option<SystemTime>,
}

/// Reads an untrusted text file of the given kind: at most [`MAX_FILE_BYTES`], decoded as
/// its kind allows (RON: UTF-8 only; spreadsheets: see [`decode_spreadsheet_text`]).
///
/// # Errors
/// [`LoadError`], displayed as `file: message` or `file:line:col: message`.
pub fn read_text(path: &Path, kind: TextKind) -> Result<TextFile, LoadError> {
    let (bytes, modified) = read_bytes(path, kind)?;
    let len_bytes = bytes.len() as u64;
    if kind.is_spreadsheet() {
        let decoded = decode_spreadsheet_text(&bytes).map_err(|problem| LoadError::Encoding {
            path: path.to_owned(),
            at: problem.at,
            message: problem.message,
        })?;
        return Ok(TextFile {
            text: decoded.text,
            encoding: decoded.encoding,
            other_possible_encoding: decoded.other_possible_encoding,
            len_bytes,
            modified,
        });
    }
    let encoding = if bytes.starts_with(UTF8_BOM) {
        TextEncoding::Utf8WithBom
    } else {
        TextEncoding::Utf8
    };
    let text = utf8_text(path, &bytes)?.to_owned();
    Ok(TextFile {
        text,
        encoding,
        other_possible_encoding: None,
        len_bytes,
        modified,
    })
}

/// The bytes of an untrusted file and its modification time, refused when larger than
/// [`MAX_FILE_BYTES`] (by its size when it has one, and always while reading).
///
/// # Errors
/// [`LoadError::Io`] (a folder is refused naming `kind`) or [`LoadError::TooLarge`].
pub fn read_bytes(path: &Path, kind: TextKind) -> Result<(Vec<u8>, Option<SystemTime>), LoadError> {
    let io_error = |source| LoadError::Io {
        path: path.to_owned(),
        source,
    };
    let too_large = || LoadError::TooLarge {
        path: path.to_owned(),
        kind,
    };
    let file = fs::File::open(path).map_err(io_error)?;
    let metadata = file.metadata().map_err(io_error)?;
    if metadata.is_dir() {
        return Err(io_error(io::Error::other(format!(
            "it is a folder, not {}",
            kind.with_article()
        ))));
    }
    if metadata.len() > MAX_FILE_BYTES {
        return Err(too_large());
    }
    // Devices and pipes report no size; capacity comes from what is actually read.
    let mut bytes = Vec::with_capacity(usize::try_from(metadata.len()).unwrap_or(0));
    // The file may grow while it is read, or never end: stop one byte past the limit.
    file.take(MAX_FILE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(io_error)?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(too_large());
    }
    Ok((bytes, metadata.modified().ok()))
}

const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";

/// The text of a RON file's bytes without a leading byte-order mark, or where it stops being
/// UTF-8 (`file:line:col`).
///
/// # Errors
/// [`LoadError::Parse`] with [`ParseError::NotUtf8`].
pub fn utf8_text<'a>(path: &Path, bytes: &'a [u8]) -> Result<&'a str, LoadError> {
    let text = std::str::from_utf8(bytes).map_err(|e| {
        let valid = &bytes[..e.valid_up_to()];
        #[expect(clippy::naive_bytecount, reason = "counted once, for an error message")]
        let line = 1 + valid.iter().filter(|&&b| b == b'\n').count();
        let line_start = valid.iter().rposition(|&b| b == b'\n').map_or(0, |p| p + 1);
        let col = 1 + String::from_utf8_lossy(&valid[line_start..])
            .chars()
            .count();
        LoadError::Parse {
            path: path.to_owned(),
            error: ParseError::NotUtf8 { line, col },
        }
    })?;
    Ok(text.strip_prefix('\u{feff}').unwrap_or(text))
}

/// Decodes the bytes of a file saved from a spreadsheet:
///
/// - a UTF-8 byte-order mark: UTF-8, which must then be valid;
/// - a UTF-16 byte-order mark (LE or BE): UTF-16, which must then be valid;
/// - valid UTF-8: UTF-8 (unless its only non-ASCII characters are C1 controls, which is
///   Windows-1252 that happens to be valid UTF-8, or it mixes those with letters);
/// - otherwise Windows-1252, unless the bytes are something else that can be recognised:
///   UTF-32, UTF-16 without a byte-order mark, binary data (NUL bytes), UTF-8 mixed with
///   another encoding, a byte Windows-1252 does not define, or text whose statistics say it
///   is in a non-Latin encoding (Cyrillic, Greek, Hebrew, Arabic, Thai, Chinese, Japanese,
///   Korean). Those are refused, naming what was found.
///
/// # Errors
/// [`EncodingProblem`] saying what the bytes are and how to save the file instead.
pub fn decode_spreadsheet_text(bytes: &[u8]) -> Result<DecodedText, EncodingProblem> {
    let decoded = decode_spreadsheet_bytes(bytes)?;
    // NUL is a valid character in every encoding, and in no spreadsheet's text.
    if let Some(nul) = decoded.text.find('\0') {
        return Err(EncodingProblem {
            at: Some(line_and_col_at_end(&decoded.text[..nul])),
            message: BINARY.to_owned(),
        });
    }
    Ok(decoded)
}

const BINARY: &str = "the file has a NUL character here: it is binary data (a workbook or a database?), not CSV text; in Excel, use Save As \"CSV UTF-8 (Comma delimited)\" and import that file";

fn decode_spreadsheet_bytes(bytes: &[u8]) -> Result<DecodedText, EncodingProblem> {
    const SAVE_AS: &str =
        "in Excel, use Save As \"CSV UTF-8 (Comma delimited)\" and import that file";
    if bytes.starts_with(b"\xFF\xFE\x00\x00") || bytes.starts_with(b"\x00\x00\xFE\xFF") {
        return Err(EncodingProblem {
            at: None,
            message: format!("the file is UTF-32 text, which Keyholder does not read; {SAVE_AS}"),
        });
    }
    let boms: [(&[u8], &'static Encoding, TextEncoding); 3] = [
        (UTF8_BOM, encoding_rs::UTF_8, TextEncoding::Utf8WithBom),
        (b"\xFF\xFE", encoding_rs::UTF_16LE, TextEncoding::Utf16Le),
        (b"\xFE\xFF", encoding_rs::UTF_16BE, TextEncoding::Utf16Be),
    ];
    for (bom, encoding, found) in boms {
        if let Some(rest) = bytes.strip_prefix(bom) {
            return decode_strictly(rest, encoding).map(|text| DecodedText {
                text,
                encoding: found,
                other_possible_encoding: None,
            });
        }
    }
    if let Ok(text) = std::str::from_utf8(bytes) {
        if let Some(utf16) = utf16_without_bom(bytes) {
            return Err(EncodingProblem {
                at: None,
                message: format!(
                    "the file looks like {utf16} text without a byte-order mark, which Keyholder does not read; {SAVE_AS}"
                ),
            });
        }
        // Valid UTF-8 whose only letters outside ASCII are C1 control characters is
        // Windows-1252 that happens to be valid UTF-8 ("Â–" is C2 96); with other letters
        // as well, it cannot be told.
        let is_c1 = |c: char| ('\u{80}'..='\u{9f}').contains(&c);
        if let Some(c1) = text.find(is_c1) {
            if text.chars().any(|c| c > '\u{9f}') {
                return Err(EncodingProblem {
                    at: Some(line_and_col_at_end(&text[..c1])),
                    message: format!(
                        "the file is UTF-8 but has a control character (U+{:04X}) here, the mark of text converted from another encoding twice, so some letters would come out wrong; {SAVE_AS}",
                        text[c1..].chars().next().map_or(0, u32::from)
                    ),
                });
            }
        } else {
            return Ok(DecodedText {
                text: text.to_owned(),
                encoding: TextEncoding::Utf8,
                other_possible_encoding: None,
            });
        }
    }
    windows_1252(bytes).map_err(|(offset, message)| EncodingProblem {
        at: offset.map(|offset| line_and_col_of_byte(bytes, offset)),
        message: format!("{message}; {SAVE_AS}"),
    })
}

/// Text in `encoding` without replacement characters, or where it is malformed.
fn decode_strictly(bytes: &[u8], encoding: &'static Encoding) -> Result<String, EncodingProblem> {
    if let Some(text) = encoding.decode_without_bom_handling_and_without_replacement(bytes) {
        return Ok(text.into_owned());
    }
    // Decode again to find where it breaks: the text before it gives the line and column.
    let mut decoder = encoding.new_decoder_without_bom_handling();
    let mut text = String::with_capacity(
        decoder
            .max_utf8_buffer_length_without_replacement(bytes.len())
            .unwrap_or(bytes.len()),
    );
    let (result, read) = decoder.decode_to_string_without_replacement(bytes, &mut text, true);
    let name = encoding.name();
    let cut_short = matches!(result, DecoderResult::Malformed(..))
        && read == bytes.len()
        && encoding != encoding_rs::UTF_8;
    let message = if cut_short {
        format!(
            "the file starts with a {name} byte-order mark, but it ends in the middle of a character; the file is damaged (cut short?)"
        )
    } else {
        format!(
            "the file starts with a {name} byte-order mark, but here it is not valid {name}; the file is damaged or was saved in another encoding"
        )
    };
    Err(EncodingProblem {
        at: Some(line_and_col_at_end(&text)),
        message,
    })
}

/// `UTF-16 LE` or `UTF-16 BE` when most of the bytes at even (or odd) offsets at the start
/// are NUL, as in UTF-16 text of Latin letters.
fn utf16_without_bom(bytes: &[u8]) -> Option<&'static str> {
    let sample = &bytes[..bytes.len().min(4096)];
    if sample.len() < 4 {
        return None;
    }
    let pairs = sample.len() / 2;
    let zeros_at = |parity: usize| {
        sample
            .iter()
            .skip(parity)
            .step_by(2)
            .filter(|&&b| b == 0)
            .count()
    };
    if zeros_at(1) * 2 > pairs {
        Some("UTF-16 LE")
    } else if zeros_at(0) * 2 > pairs {
        Some("UTF-16 BE")
    } else {
        None
    }
}

/// Encodings chardetng may guess for text that is in fact Windows-1252 (Latin letters with
/// a few accents are ambiguous between them); a guess outside this list is another script.
const LATIN_SCRIPT: [(&str, &str); 12] = [
    ("windows-1252", "Western European"),
    ("windows-1250", "Central European"),
    ("ISO-8859-2", "Central European"),
    ("windows-1254", "Turkish"),
    ("windows-1257", "Baltic"),
    ("ISO-8859-4", "Baltic"),
    ("ISO-8859-13", "Baltic"),
    ("windows-1258", "Vietnamese"),
    ("ISO-8859-3", "South European"),
    ("ISO-8859-10", "Nordic"),
    ("ISO-8859-15", "Western European"),
    ("ISO-8859-16", "South-Eastern European"),
];

/// The script or region an encoding chardetng can guess is for.
fn script_of(name: &str) -> &'static str {
    if let Some((_, script)) = LATIN_SCRIPT.iter().find(|(n, _)| *n == name) {
        return script;
    }
    match name {
        "windows-1251" | "KOI8-R" | "KOI8-U" | "IBM866" | "ISO-8859-5" | "x-mac-cyrillic" => {
            "Cyrillic"
        }
        "windows-1253" | "ISO-8859-7" => "Greek",
        "windows-1255" | "ISO-8859-8" | "ISO-8859-8-I" => "Hebrew",
        "windows-1256" | "ISO-8859-6" => "Arabic",
        "windows-874" => "Thai",
        "GBK" | "gb18030" => "Simplified Chinese",
        "Big5" => "Traditional Chinese",
        "Shift_JIS" | "EUC-JP" | "ISO-2022-JP" => "Japanese",
        "EUC-KR" => "Korean",
        _ => "another language",
    }
}

/// Bytes that are not UTF-8, read as Windows-1252 when nothing says they are something
/// else; the error is the offset of the offending byte (if one) and what was found.
fn windows_1252(bytes: &[u8]) -> Result<DecodedText, (Option<usize>, String)> {
    if let Some(utf16) = utf16_without_bom(bytes) {
        return Err((
            None,
            format!(
                "the file looks like {utf16} text without a byte-order mark, which Keyholder does not read"
            ),
        ));
    }
    if let Some(offset) = bytes.iter().position(|&b| b == 0) {
        return Err((
            Some(offset),
            "the file has a NUL byte here: it is binary data (a workbook or a database?), not CSV text".to_owned(),
        ));
    }
    // Windows-1252 leaves these five bytes undefined; text that has one is in another
    // encoding.
    if let Some(offset) = bytes
        .iter()
        .position(|b| matches!(b, 0x81 | 0x8D | 0x8F | 0x90 | 0x9D))
    {
        return Err((
            Some(offset),
            format!(
                "the file is neither UTF-8 nor Windows-1252 (byte 0x{:02X} here is not a character in either), so its encoding cannot be told",
                bytes[offset]
            ),
        ));
    }
    let first_bad = std::str::from_utf8(bytes).err().map(|e| e.valid_up_to());
    if let (Some(bad), Some(utf8)) = (first_bad, first_utf8_sequence(bytes)) {
        return Err((
            Some(bad),
            format!(
                "the file mixes UTF-8 (at line {}) with another encoding (here), so some letters would come out wrong",
                line_and_col_of_byte(bytes, utf8).0
            ),
        ));
    }
    let mut detector = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
    // The detector needs only the lines with letters outside ASCII, and a sample of them
    // tells the script as well as all of them (it reads only some MB per second).
    let mut fed = 0;
    for line in bytes.split_inclusive(|&b| b == b'\n') {
        if fed >= DETECTOR_SAMPLE_BYTES {
            break;
        }
        if !line.is_ascii() {
            detector.feed(line, false);
            fed += line.len();
        }
    }
    detector.feed(&[], true);
    let guess = detector.guess(None, chardetng::Utf8Detection::Deny).name();
    if !LATIN_SCRIPT.iter().any(|(name, _)| *name == guess) {
        return Err((
            first_bad,
            format!(
                "the file is not UTF-8 and its letters look like {} text ({guess}), which Keyholder does not read",
                script_of(guess)
            ),
        ));
    }
    let (text, _) = encoding_rs::WINDOWS_1252.decode_without_bom_handling(bytes);
    Ok(DecodedText {
        text: text.into_owned(),
        encoding: TextEncoding::Windows1252,
        other_possible_encoding: (guess != "windows-1252").then_some(guess),
    })
}

/// How many bytes of non-ASCII lines the encoding detector is given at most.
const DETECTOR_SAMPLE_BYTES: usize = 256 * 1024;

/// The offset of the first multi-byte UTF-8 sequence in `bytes`, if any.
fn first_utf8_sequence(bytes: &[u8]) -> Option<usize> {
    let mut i = 0;
    while i < bytes.len() {
        let lead = bytes[i];
        let len = match lead {
            0xC2..=0xDF => 2,
            0xE0..=0xEF => 3,
            0xF0..=0xF4 => 4,
            _ => {
                i += 1;
                continue;
            }
        };
        if bytes
            .get(i..i + len)
            .is_some_and(|s| std::str::from_utf8(s).is_ok())
        {
            return Some(i);
        }
        i += 1;
    }
    None
}

/// The 1-based line and column of the byte at `offset` of single-byte text; `\r\n`, `\r`
/// and `\n` each end a line.
fn line_and_col_of_byte(bytes: &[u8], offset: usize) -> (usize, usize) {
    let before = &bytes[..offset.min(bytes.len())];
    let mut line = 1;
    let mut line_start = 0;
    for (i, &b) in before.iter().enumerate() {
        let crlf_tail = b == b'\n' && i > 0 && before[i - 1] == b'\r';
        if crlf_tail {
            line_start = i + 1;
        } else if b == b'\n' || b == b'\r' {
            line += 1;
            line_start = i + 1;
        }
    }
    (line, before.len() - line_start + 1)
}

/// The 1-based line and column just after `text`; `\r\n`, `\r` and `\n` each end a line.
fn line_and_col_at_end(text: &str) -> (usize, usize) {
    let mut line = 1;
    let mut col = 1;
    let mut after_cr = false;
    for c in text.chars() {
        match c {
            '\n' if after_cr => {}
            '\n' | '\r' => {
                line += 1;
                col = 1;
            }
            _ => col += 1,
        }
        after_cr = c == '\r';
    }
    (line, col)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_end_at_cr_lf_and_crlf() {
        assert_eq!(line_and_col_at_end(""), (1, 1));
        assert_eq!(line_and_col_at_end("ab"), (1, 3));
        assert_eq!(line_and_col_at_end("a\r\nb"), (2, 2));
        assert_eq!(line_and_col_at_end("a\rb\rc"), (3, 2));
        assert_eq!(line_and_col_at_end("a\n\nb"), (3, 2));
        assert_eq!(line_and_col_at_end("a\r\r\nb"), (3, 2));
    }

    #[test]
    fn byte_positions_in_single_byte_text() {
        assert_eq!(line_and_col_of_byte(b"ab\rc\xE9", 4), (2, 2));
        assert_eq!(line_and_col_of_byte(b"\xE9\xE9x", 2), (1, 3));
    }

    #[test]
    fn utf16_is_recognised_without_a_bom() {
        let le: Vec<u8> = "Name,Cores\n"
            .encode_utf16()
            .flat_map(u16::to_le_bytes)
            .collect();
        let be: Vec<u8> = "Name,Cores\n"
            .encode_utf16()
            .flat_map(u16::to_be_bytes)
            .collect();
        assert_eq!(utf16_without_bom(&le), Some("UTF-16 LE"));
        assert_eq!(utf16_without_bom(&be), Some("UTF-16 BE"));
        assert_eq!(utf16_without_bom(b"Name,Cores\n"), None);
    }

    #[test]
    fn utf8_sequences_are_found() {
        assert_eq!(first_utf8_sequence(b"caf\xE9 Z\xC3\xBCrich"), Some(6));
        assert_eq!(first_utf8_sequence(b"caf\xE9"), None);
    }
}

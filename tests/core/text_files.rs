//! The one reader for untrusted text files (`storage::read_text`): the same size limit for
//! plans, price books, inventories and workload CSVs, counted while reading (so a device or a
//! pipe that never ends is refused), UTF-8 only for RON, Excel's encodings for CSV.

use std::path::Path;
use std::time::{Duration, Instant};

use keyholder::storage::{
    LoadError, MAX_FILE_BYTES, ParseError, TextEncoding, TextKind, decode_spreadsheet_text,
    load_plan, load_price_book, read_text,
};
use proptest::prelude::*;

const KINDS: [TextKind; 4] = [
    TextKind::Plan,
    TextKind::PriceBook,
    TextKind::Inventory,
    TextKind::WorkloadsCsv,
];

#[cfg(unix)]
#[test]
fn dev_zero_is_refused_for_every_kind_of_file() {
    for kind in KINDS {
        let started = Instant::now();
        let error = read_text(Path::new("/dev/zero"), kind).expect_err("refused");
        assert!(
            matches!(error, LoadError::TooLarge { kind: k, .. } if k == kind),
            "{kind:?}: {error:?}"
        );
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "{kind:?} read for {:?}",
            started.elapsed()
        );
    }
    assert!(matches!(
        load_plan(Path::new("/dev/zero")),
        Err(LoadError::TooLarge { .. })
    ));
    let error = load_price_book(Path::new("/dev/zero")).expect_err("refused");
    assert_eq!(
        error.to_string(),
        "/dev/zero: the file is larger than 64 MiB, the limit for price book files"
    );
}

/// A pipe whose writer never stops: the reader must stop at the limit by itself.
#[cfg(unix)]
#[test]
fn a_pipe_that_never_ends_is_refused_at_the_limit() {
    use std::io::Write;
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("endless.csv");
    let made = std::process::Command::new("mkfifo")
        .arg(&path)
        .status()
        .expect("mkfifo");
    assert!(made.success(), "mkfifo");
    let writer_path = path.clone();
    let writer = std::thread::spawn(move || {
        let mut pipe = std::fs::OpenOptions::new()
            .write(true)
            .open(&writer_path)
            .expect("open the pipe");
        let chunk = vec![b'a'; 1 << 20];
        let mut written: u64 = 0;
        // Ends when the reader closes the pipe (the write fails), or at a safety stop.
        while written < 4 * MAX_FILE_BYTES && pipe.write_all(&chunk).is_ok() {
            written += chunk.len() as u64;
        }
        written
    });
    let error = read_text(&path, TextKind::Inventory).expect_err("refused");
    assert!(matches!(error, LoadError::TooLarge { .. }), "{error:?}");
    let written = writer.join().expect("writer");
    assert!(
        written <= MAX_FILE_BYTES + (2 << 20),
        "the reader stopped near the limit ({written} bytes written)"
    );
}

#[test]
fn a_file_of_exactly_the_limit_is_read_and_one_byte_more_is_not() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("big.csv");
    let file = std::fs::File::create(&path).expect("create");
    file.set_len(MAX_FILE_BYTES).expect("set_len");
    drop(file);
    // Zeros are read (so not refused for size), then refused as binary.
    let error = read_text(&path, TextKind::Inventory).expect_err("binary");
    assert!(matches!(error, LoadError::Encoding { .. }), "{error:?}");
    std::fs::OpenOptions::new()
        .append(true)
        .open(&path)
        .and_then(|mut f| std::io::Write::write_all(&mut f, b"x"))
        .expect("append");
    let error = read_text(&path, TextKind::Inventory).expect_err("too large");
    assert!(matches!(error, LoadError::TooLarge { .. }), "{error:?}");
}

#[test]
fn ron_files_are_utf8_only_with_the_first_bad_byte_located() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("plan.ron");
    // Windows-1252 "é" (0xE9) on line 2, column 13: a RON file is never decoded as another
    // encoding, since a plan written by Keyholder is always UTF-8.
    std::fs::write(&path, b"(\n  name: \"Caf\xE9\",\n)").expect("write");
    let error = read_text(&path, TextKind::Plan).expect_err("not UTF-8");
    assert!(
        matches!(
            error,
            LoadError::Parse {
                error: ParseError::NotUtf8 { line: 2, col: 13 },
                ..
            }
        ),
        "{error:?}"
    );
    let file = read_text(&path, TextKind::Inventory).expect("a CSV may be Windows-1252");
    assert_eq!(file.encoding, TextEncoding::Windows1252);
    assert!(file.text.contains("Café"));
}

#[test]
fn a_folder_is_refused_naming_the_kind_of_file_expected() {
    let dir = tempfile::tempdir().expect("tempdir");
    let error = read_text(dir.path(), TextKind::Inventory).expect_err("a folder");
    assert!(
        error
            .to_string()
            .ends_with("it is a folder, not an inventory CSV"),
        "{error}"
    );
}

#[test]
fn a_damaged_utf16_file_is_refused_at_the_break() {
    // "ab\nc" in UTF-16 LE, then a lone high surrogate (0xD800) on line 2 after "c".
    let mut bytes = vec![0xFF, 0xFE];
    bytes.extend("ab\nc".encode_utf16().flat_map(u16::to_le_bytes));
    bytes.extend([0x00, 0xD8, b'd', 0x00]);
    let problem = decode_spreadsheet_text(&bytes).expect_err("damaged");
    assert_eq!(problem.at, Some((2, 2)));
    assert!(problem.message.contains("UTF-16LE"), "{}", problem.message);
    // An odd number of bytes ends in the middle of a character.
    let problem = decode_spreadsheet_text(&[0xFF, 0xFE, b'a', 0, b'b']).expect_err("odd");
    assert!(problem.message.contains("middle"), "{}", problem.message);
    // A UTF-8 byte-order mark promises UTF-8: Latin-1 after it is an error, not a guess.
    let problem = decode_spreadsheet_text(b"\xEF\xBB\xBFCaf\xE9").expect_err("not UTF-8");
    assert_eq!(problem.at, Some((1, 4)));
}

#[test]
fn utf16_without_a_byte_order_mark_is_named() {
    let bytes: Vec<u8> = "*Server Name,*Cores\n"
        .encode_utf16()
        .flat_map(u16::to_le_bytes)
        .collect();
    let problem = decode_spreadsheet_text(&bytes).expect_err("no BOM");
    assert!(
        problem
            .message
            .contains("UTF-16 LE text without a byte-order mark"),
        "{}",
        problem.message
    );
}

proptest! {
    /// Any text saved as UTF-8 (with or without a mark) or UTF-16 with a mark comes back
    /// exactly; a NUL is the only character refused.
    #[test]
    fn unicode_text_comes_back_exactly(text in "\\PC{0,40}", form in 0_u8..4) {
        prop_assume!(!text.contains('\0'));
        let bytes: Vec<u8> = match form {
            0 => text.as_bytes().to_vec(),
            1 => [b"\xEF\xBB\xBF".as_slice(), text.as_bytes()].concat(),
            2 => [0xFF, 0xFE].into_iter().chain(text.encode_utf16().flat_map(u16::to_le_bytes)).collect(),
            _ => [0xFE, 0xFF].into_iter().chain(text.encode_utf16().flat_map(u16::to_be_bytes)).collect(),
        };
        match decode_spreadsheet_text(&bytes) {
            Ok(decoded) => prop_assert_eq!(decoded.text, text),
            // Plain UTF-8 of mostly-NUL-free text can still look like UTF-16 without a mark
            // only when half its bytes are NUL, which the assumption rules out; so:
            Err(problem) => prop_assert!(false, "{:?} refused: {}", text, problem.message),
        }
    }
}

#[test]
fn windows_1252_that_happens_to_be_valid_utf8_is_still_windows_1252() {
    // "Â–" in Windows-1252 is C2 96, which is also UTF-8 for the control character U+0096.
    let decoded = decode_spreadsheet_text(b"name\nFS \xC2\x96 01\n").expect("read");
    assert_eq!(decoded.encoding, TextEncoding::Windows1252);
    assert_eq!(decoded.text, "name\nFS Â– 01\n");
    // With a real UTF-8 letter too ("ü" = C3 BC), it cannot be told: refused at the control.
    let problem = decode_spreadsheet_text(b"Z\xC3\xBCrich\nFS \xC2\x96\n").expect_err("mixed");
    assert_eq!(problem.at, Some((2, 4)));
    assert!(problem.message.contains("U+0096"), "{}", problem.message);
}

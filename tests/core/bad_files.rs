//! Broken plan files from colleagues (PRODUCT.md section 5): every one gives a clear error as
//! `file:line:col: message` (or `file: message` when no position applies), never a panic or a
//! hang, and the file is left byte-identical.
//!
//! The corpus lives in `tests/fixtures/bad/`. Most files are `saves/law-firm.ron` with one
//! change, so the line of the problem is known:
//!
//! | file | change | error at |
//! | --- | --- | --- |
//! | `truncated.ron` | cut in the middle of line 497 (`id: "exch`) | 497 |
//! | `wrong_type.ron` | `seats: "many"` | 6 |
//! | `unknown_variant.ron` | `category: mainframe` | 499 |
//! | `unknown_field.ron` | `customer.favourite_colour`, `workloads[0].owner` | loads, listed |
//! | `newer_version.ron` | `format_version: 99` | 1:1 |
//! | `missing_version.ron` | no `format_version` line | 1:1 |
//! | `deeply_nested.ron` | 10,000 `[` in a field this version does not know | 3 |
//! | `not_utf8.ron` | bytes `FF FE` after `Harlow ` in the customer name | 4:23 |
//! | `empty.ron`, `whitespace_only.ron` | nothing but whitespace | 1:1 |
//! | `bad_month.ron` | `start_month: "2010-13"` | 14 |
//! | `negative_number.ron` | `seats: -5` | 6 |
//! | `infinite_number.ron` | `storage_gb: 1e999` | 502 |
//! | `missing_field.ron` | the first workload has no `id` | 512 (its closing bracket) |
//! | `version_as_text.ron` | `format_version: "1"` | 2 |
//! | `trailing_garbage.ron` | `(extra: 1)` after the plan | 774 |
//! | `duplicate_choice.ron` | `"exchange"` listed twice in a scenario's choices | 709 |
//!
//! Files in `tests/fixtures/bad/invalid/` read as RON but are refused by validation, each
//! problem as `LINE:COL: field: message` at the field:
//!
//! | file | change | refused at |
//! | --- | --- | --- |
//! | `hours_per_month_1e28.ron` | `hours_per_month: 1e28` (overflowed every price) | 24:9 |
//! | `override_too_large.ron` | first workload's known cost `Some(9000000000000000000)` | 506:13 |
//! | `users_over_the_bound.ron` | `users: 10000001` | 500:13 |
//! | `workload_too_costly.ron` | `users: 10000000`: every value in bounds, the workload's cost not | 496:9 |
//! | `growth_over_100.ron` | `growth_pct: 250` | 17:9 |
//! | `move_month_too_late.ron` | `move_month: 5000` | 707:21 |
//! | `status_quo_with_moves.ron` | "Status quo" moves Exchange to BPOS | 700:17 |
//!
//! Files too large, folders and missing files are made at test time in a temporary folder.

use std::fs;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use keyholder::model::FieldStep;
use keyholder::storage::{
    LoadError, MAX_FILE_BYTES, ParseError, TextKind, load_and_validate, load_plan, locate,
    parse_plan, plan_to_ron, sample_plan,
};
use proptest::prelude::*;
use proptest::sample::Index;

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/bad")
        .join(name)
}

fn sample_path() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("saves/law-firm.ron")
}

/// Loads a file that must not load, checking that it is untouched; returns the error.
fn load_err(path: &Path) -> LoadError {
    let before = fs::read(path).ok();
    let modified_before = fs::metadata(path).and_then(|m| m.modified()).ok();
    let result = load_plan(path);
    assert_eq!(
        fs::read(path).ok(),
        before,
        "{}: the file changed while loading",
        path.display()
    );
    assert_eq!(
        fs::metadata(path).and_then(|m| m.modified()).ok(),
        modified_before,
        "{}: the modification time changed while loading",
        path.display()
    );
    match result {
        Ok((loaded, _)) => panic!(
            "{} loaded but should not have (unknown fields {:?})",
            path.display(),
            loaded.unknown_fields
        ),
        Err(error) => error,
    }
}

/// The 1-based line of the fixture holding `needle` (the one line the fixture changed).
fn line_of(path: &Path, needle: &str) -> usize {
    let text = String::from_utf8_lossy(&fs::read(path).expect("read fixture")).into_owned();
    let lines: Vec<usize> = text
        .lines()
        .enumerate()
        .filter(|(_, line)| line.contains(needle))
        .map(|(i, _)| i + 1)
        .collect();
    assert_eq!(
        lines.len(),
        1,
        "{}: `{needle}` should be on exactly one line",
        path.display()
    );
    lines[0]
}

fn line_text(path: &Path, line: usize) -> String {
    let text = String::from_utf8_lossy(&fs::read(path).expect("read fixture")).into_owned();
    text.lines().nth(line - 1).unwrap_or_default().to_owned()
}

/// Checks a syntax-type error at `expected_line` and returns its message. The column must
/// lie on that line, and the Display must be `PATH:LINE:COL: message`.
fn assert_syntax_at(path: &Path, expected_line: usize) -> String {
    let error = load_err(path);
    let shown = error.to_string();
    let LoadError::Parse {
        path: error_path,
        error: ParseError::Syntax { line, col, message },
    } = &error
    else {
        panic!("{}: expected a syntax error, got {error:?}", path.display());
    };
    assert_eq!(error_path, path);
    assert_eq!(
        *line,
        expected_line,
        "{}: wrong line in `{shown}`",
        path.display()
    );
    let line_chars = line_text(path, *line).chars().count();
    assert!(
        (1..=line_chars + 1).contains(col),
        "{}: column {col} is not on line {line} ({line_chars} characters): `{shown}`",
        path.display()
    );
    let prefix = format!("{}:{line}:{col}: ", path.display());
    assert!(
        shown.starts_with(&prefix),
        "`{shown}` should start with `{prefix}`"
    );
    assert!(!message.trim().is_empty(), "{shown}");
    message.clone()
}

#[test]
fn truncated_file_points_at_the_cut() {
    let path = fixture("truncated.ron");
    let text = fs::read_to_string(&path).expect("read");
    let last_line = text.lines().count();
    assert_eq!(last_line, 497, "the fixture is cut on line 497");
    assert_eq!(line_of(&path, "id: \"exch"), 497);
    // The cut leaves an open string; the error is on the last line, where the cut is.
    let message = assert_syntax_at(&path, last_line);
    assert!(
        message.to_lowercase().contains("end"),
        "should say the text ended: {message}"
    );
}

#[test]
fn wrong_type_points_at_the_value() {
    let path = fixture("wrong_type.ron");
    let line = line_of(&path, "seats: \"many\"");
    assert_eq!(line, 6);
    let message = assert_syntax_at(&path, line);
    assert!(
        message.to_lowercase().contains("integer"),
        "should say a whole number was expected: {message}"
    );
}

#[test]
fn unknown_variant_names_it_and_the_choices() {
    let path = fixture("unknown_variant.ron");
    let line = line_of(&path, "category: mainframe");
    assert_eq!(line, 499);
    let message = assert_syntax_at(&path, line);
    assert!(message.contains("mainframe"), "{message}");
    assert!(
        message.contains("email") && message.contains("file_server"),
        "should list the categories: {message}"
    );
}

#[test]
fn unknown_fields_load_and_are_listed() {
    let path = fixture("unknown_field.ron");
    let before = fs::read(&path).expect("read");
    let (loaded, stamp) = load_plan(&path).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(fs::read(&path).expect("read"), before);
    assert_eq!(
        loaded.unknown_fields,
        vec![
            "customer.favourite_colour".to_owned(),
            "workloads.0.owner".to_owned()
        ]
    );
    assert_eq!(loaded.migrated_from, None);
    // Everything known is read as in the sample the fixture was made from.
    assert_eq!(loaded.plan, sample_plan().expect("sample"));
    assert_eq!(stamp.len, before.len() as u64);
}

#[test]
fn newer_version_is_refused_with_an_explanation() {
    let path = fixture("newer_version.ron");
    let error = load_err(&path);
    let shown = error.to_string();
    match &error {
        LoadError::Parse {
            error: ParseError::NewerVersion { found },
            ..
        } => assert_eq!(*found, 99),
        other => panic!("expected NewerVersion, got {other:?}"),
    }
    assert!(
        shown.starts_with(&format!("{}:1:1: ", path.display())),
        "{shown}"
    );
    assert!(shown.contains("newer"), "{shown}");
    assert!(shown.contains("format_version 99"), "{shown}");
    // The same from text alone.
    let text = fs::read_to_string(&path).expect("read");
    assert_eq!(
        parse_plan(&text).map(|_| ()),
        Err(ParseError::NewerVersion { found: 99 })
    );
}

#[test]
fn missing_version_is_refused() {
    let path = fixture("missing_version.ron");
    assert!(
        !fs::read_to_string(&path)
            .expect("read")
            .contains("format_version")
    );
    let message = assert_syntax_at(&path, 1);
    assert!(message.contains("format_version"), "{message}");
}

#[test]
fn deeply_nested_file_errors_without_overflowing_the_stack() {
    let path = fixture("deeply_nested.ron");
    assert_eq!(
        fs::read_to_string(&path)
            .expect("read")
            .matches('[')
            .count(),
        10_000
    );
    // An unknown field, so the reader has to skip over the nesting rather than stop at the
    // first bracket of the wrong kind.
    assert_eq!(line_of(&path, "attachments: [[["), 3);
    let message = assert_syntax_at(&path, 3);
    assert_eq!(
        message,
        "values are nested more than 64 levels deep here; a plan needs fewer than 10, so the file is damaged or not a Keyholder plan"
    );
    assert!(!message.contains("ron::"), "{message}");

    // Bare nesting of every kind, far past the limit, straight into the parser.
    for (open, what) in [
        ("[", "list"),
        ("(", "tuple"),
        ("{", "map"),
        ("Some(", "option"),
    ] {
        for text in [
            open.repeat(10_000),
            format!("(format_version: 1, customer: {})", open.repeat(100_000)),
            format!("(format_version: 1, notes: {})", open.repeat(100_000)),
            format!(
                "(\n    format_version: 1,\n    extra: {}",
                open.repeat(100_000)
            ),
            format!("(format_version: 3, extra: {}", open.repeat(100_000)),
        ] {
            let started = Instant::now();
            let result = parse_plan(&text);
            assert!(result.is_err(), "{what}: deep nesting should not load");
            assert!(
                started.elapsed() < Duration::from_secs(2),
                "{what}: took {:?}",
                started.elapsed()
            );
        }
    }
}

#[test]
fn not_utf8_gives_line_and_column() {
    let path = fixture("not_utf8.ron");
    let bytes = fs::read(&path).expect("read");
    assert!(std::str::from_utf8(&bytes).is_err());
    let error = load_err(&path);
    let shown = error.to_string();
    // Line 4 is `        name: "Harlow \xFF\xFE& Finch LLP",`: 22 characters precede 0xFF.
    match &error {
        LoadError::Parse {
            error: ParseError::NotUtf8 { line, col },
            ..
        } => assert_eq!((*line, *col), (4, 23), "{shown}"),
        other => panic!("expected NotUtf8, got {other:?}"),
    }
    assert!(
        shown.starts_with(&format!("{}:4:23: ", path.display())),
        "{shown}"
    );
    assert!(shown.contains("UTF-8"), "{shown}");
}

#[test]
fn empty_files_are_refused() {
    for name in ["empty.ron", "whitespace_only.ron"] {
        let path = fixture(name);
        let message = assert_syntax_at(&path, 1);
        assert!(message.contains("empty"), "{name}: {message}");
    }
}

#[test]
fn other_broken_values_point_at_their_line() {
    // (file, text on the broken line, words the message must contain)
    let cases: [(&str, &str, &[&str]); 6] = [
        ("bad_month.ron", "\"2010-13\"", &["2010-13", "YYYY-MM"]),
        ("negative_number.ron", "seats: -5", &["out of bounds"]),
        ("infinite_number.ron", "1e999", &["finite"]),
        ("version_as_text.ron", "format_version: \"1\"", &["integer"]),
        ("missing_field.ron", "", &["`id`", "Workload"]),
        ("trailing_garbage.ron", "", &["trailing"]),
    ];
    for (name, needle, words) in cases {
        let path = fixture(name);
        let line = match name {
            // The workload without an id is reported at its closing bracket.
            "missing_field.ron" => 512,
            // The plan's closing bracket is on line 774; the garbage follows it.
            "trailing_garbage.ron" => 774,
            _ => line_of(&path, needle),
        };
        if name == "missing_field.ron" {
            assert_eq!(line_text(&path, line).trim(), "),");
        }
        let message = assert_syntax_at(&path, line);
        for word in words {
            assert!(message.contains(word), "{name}: `{message}` lacks `{word}`");
        }
    }
}

#[test]
fn a_workload_listed_twice_in_a_scenario_is_refused_where_it_is_repeated() {
    let path = fixture("duplicate_choice.ron");
    // The second `"exchange": (` of the scenario "All collaboration to BPOS".
    let text = fs::read_to_string(&path).expect("read");
    let lines: Vec<usize> = text
        .lines()
        .enumerate()
        .filter(|(_, l)| l.trim() == "\"exchange\": (")
        .map(|(i, _)| i + 1)
        .collect();
    assert_eq!(lines, vec![705, 709, 743], "the fixture changed");
    let message = assert_syntax_at(&path, 709);
    assert_eq!(
        message,
        "workload \"exchange\" is listed twice in this scenario's choices; keep one (otherwise the next save would drop the other)"
    );
    // Without the repeat the same text loads, with the first choice.
    let once: String = text
        .split_inclusive('\n')
        .enumerate()
        .filter(|(i, _)| !(708..712).contains(i))
        .map(|(_, l)| l)
        .collect();
    let loaded = parse_plan(&once).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(loaded.plan, sample_plan().expect("sample"));
}

/// `tests/fixtures/bad/invalid/NAME` with the position and the start of the one problem.
const INVALID: [(&str, (usize, usize), &str); 7] = [
    (
        "hours_per_month_1e28.ron",
        (24, 9),
        "price_book.hours_per_month: must be at most 744 hours (found 10000000000000000000000000000)",
    ),
    (
        "override_too_large.ron",
        (506, 13),
        "workloads[0] \"Exchange 2007\".current_monthly_override_cents: must be at most 10,000,000.00 (found 9000000000000000000)",
    ),
    (
        "users_over_the_bound.ron",
        (500, 13),
        "workloads[0] \"Exchange 2007\".users: must be at most 10,000,000 (found 10000001)",
    ),
    // On-premises, Exchange (email, 2 servers, 650 GB) with 10,000,000 users: recurring
    // 125 × 2 + 40 × 2 + 0.40 × 650 + 69.17 × 2 + 3.00 × 10,000,000 = 30,000,728.34, MSP
    // fee 150 × 2 = 300.00: 30,001,028.34 a month, over the 10,000,000.00 a workload may cost.
    (
        "workload_too_costly.ron",
        (496, 9),
        "workloads[0] \"Exchange 2007\": its monthly cost on On-premises would be 30,001,028.34; a workload's monthly cost must be from 0 to 10,000,000.00 a month",
    ),
    (
        "growth_over_100.ron",
        (17, 9),
        "assumptions.growth_pct: must be from 0 to 100 % (found 250)",
    ),
    (
        "move_month_too_late.ron",
        (707, 21),
        "scenarios[1] \"All collaboration to BPOS\".choices[\"exchange\"].move_month: must be at most 1,200 months (found 5000)",
    ),
    (
        "status_quo_with_moves.ron",
        (700, 17),
        "scenarios[0] \"Status quo\".choices[\"exchange\"]: \"Status quo\" is the built-in scenario in which nothing moves, but it moves \"Exchange 2007\" to BPOS",
    ),
];

#[test]
fn invalid_plans_name_the_line_and_column_of_the_field() {
    let dir = fixture("invalid");
    let mut names: Vec<String> = fs::read_dir(&dir)
        .expect("tests/fixtures/bad/invalid")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    let mut listed: Vec<String> = INVALID.iter().map(|(n, _, _)| (*n).to_owned()).collect();
    listed.sort();
    assert_eq!(names, listed, "every fixture is listed here");
    for (name, (line, col), start) in INVALID {
        let path = dir.join(name);
        let before = fs::read(&path).expect("read");
        let (_, _, issues) = load_and_validate(&path).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(fs::read(&path).expect("read"), before);
        assert_eq!(issues.len(), 1, "{name}: {issues:#?}");
        let shown = issues[0].to_string();
        assert_eq!(issues[0].position, Some((line, col)), "{name}: {shown}");
        let expected = format!("{line}:{col}: {start}");
        assert!(shown.starts_with(&expected), "{name}:\n{shown}\n{expected}");
        // The position is where the file writes the field (the workload, for its figures).
        let from_col: String = line_text(&path, line).chars().skip(col - 1).collect();
        let written = match name {
            "hours_per_month_1e28.ron" => "hours_per_month: 1e28",
            "override_too_large.ron" => "current_monthly_override_cents:",
            "users_over_the_bound.ron" => "users: 10000001",
            "workload_too_costly.ron" => "(",
            "growth_over_100.ron" => "growth_pct: 250",
            "move_month_too_late.ron" => "move_month: 5000",
            _ => "\"exchange\": (",
        };
        assert!(
            from_col.starts_with(written),
            "{name}: `{from_col}` should start with `{written}`"
        );
    }
}

/// Bytes the calling thread has read through `read` calls so far (Linux).
#[cfg(target_os = "linux")]
fn bytes_read_by_this_thread() -> u64 {
    let io = fs::read_to_string("/proc/thread-self/io").expect("/proc/thread-self/io");
    io.lines()
        .find_map(|line| line.strip_prefix("rchar: "))
        .and_then(|n| n.trim().parse().ok())
        .expect("rchar")
}

#[test]
fn too_large_file_is_refused_without_reading_it() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("huge.ron");
    // A sparse file: no data blocks written, so this is instant.
    let file = fs::File::create(&path).expect("create");
    file.set_len(MAX_FILE_BYTES + 1).expect("set_len");
    drop(file);

    #[cfg(target_os = "linux")]
    let read_before = bytes_read_by_this_thread();
    let started = Instant::now();
    let result = load_plan(&path);
    let elapsed = started.elapsed();
    #[cfg(target_os = "linux")]
    let read_during = bytes_read_by_this_thread() - read_before;

    let Err(error) = result else {
        panic!("a file over the limit loaded");
    };
    match &error {
        LoadError::TooLarge { path: p, kind } => {
            assert_eq!(p, &path);
            assert_eq!(*kind, TextKind::Plan);
        }
        other => panic!("expected TooLarge, got {other:?}"),
    }
    let shown = error.to_string();
    assert_eq!(
        shown,
        format!(
            "{}: the file is larger than 64 MiB, the limit for plan files",
            path.display()
        )
    );
    assert!(elapsed < Duration::from_secs(1), "took {elapsed:?}");
    // Only the /proc file itself was read, not 64 MiB of plan.
    #[cfg(target_os = "linux")]
    assert!(
        read_during < 64 * 1024,
        "{read_during} bytes were read for a file that should be refused unread"
    );
    assert_eq!(
        fs::metadata(&path).expect("metadata").len(),
        MAX_FILE_BYTES + 1
    );
}

#[test]
fn file_exactly_at_the_limit_is_read() {
    // The limit is inclusive: a file of exactly MAX_FILE_BYTES is read (and here, being
    // zeros, refused as not a plan rather than as too large).
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("limit.ron");
    fs::File::create(&path)
        .expect("create")
        .set_len(MAX_FILE_BYTES)
        .expect("set_len");
    let error = load_err(&path);
    assert!(
        matches!(
            error,
            LoadError::Parse {
                error: ParseError::Syntax { line: 1, .. },
                ..
            }
        ),
        "{error:?}"
    );
}

#[test]
fn a_folder_is_not_a_plan() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("Customer plans.ron");
    fs::create_dir(&path).expect("mkdir");
    fs::write(path.join("inside.txt"), "x").expect("write");
    let error = load_err(&path);
    assert!(matches!(error, LoadError::Io { .. }), "{error:?}");
    let shown = error.to_string();
    assert_eq!(
        shown,
        format!(
            "{}: cannot read: it is a folder, not a plan file",
            path.display()
        )
    );
    assert_eq!(
        fs::read_to_string(path.join("inside.txt")).expect("read"),
        "x"
    );
}

#[test]
fn a_missing_file_says_so() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("gone.ron");
    let error = load_err(&path);
    match &error {
        LoadError::Io { path: p, source } => {
            assert_eq!(p, &path);
            assert_eq!(source.kind(), std::io::ErrorKind::NotFound);
        }
        other => panic!("expected Io, got {other:?}"),
    }
    assert_eq!(
        error.to_string(),
        format!("{}: cannot read: no such file or folder", path.display())
    );
    assert!(!path.exists(), "loading must not create the file");
}

#[test]
fn every_bad_file_errors_without_panicking() {
    let dir = fixture("");
    let mut names: Vec<String> = fs::read_dir(&dir)
        .expect("tests/fixtures/bad")
        .map(|entry| entry.expect("entry"))
        // `invalid/` holds files that read but fail validation (tested below).
        .filter(|entry| entry.file_type().is_ok_and(|t| t.is_file()))
        .map(|entry| entry.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    for expected in [
        "truncated.ron",
        "wrong_type.ron",
        "unknown_variant.ron",
        "unknown_field.ron",
        "newer_version.ron",
        "missing_version.ron",
        "deeply_nested.ron",
        "not_utf8.ron",
        "empty.ron",
        "duplicate_choice.ron",
    ] {
        assert!(names.iter().any(|n| n == expected), "{expected} is missing");
    }

    let scratch = tempfile::tempdir().expect("tempdir");
    let folder = scratch.path().join("folder.ron");
    fs::create_dir(&folder).expect("mkdir");
    let mut paths: Vec<PathBuf> = names.iter().map(|n| dir.join(n)).collect();
    paths.push(folder);
    paths.push(scratch.path().join("missing.ron"));

    for path in paths {
        let before = fs::read(&path).ok();
        let outcome = catch_unwind(AssertUnwindSafe(|| load_plan(&path)));
        assert_eq!(fs::read(&path).ok(), before, "{} changed", path.display());
        let result = outcome.unwrap_or_else(|_| panic!("{} panicked", path.display()));
        let is_unknown_field = path.file_name().is_some_and(|n| n == "unknown_field.ron");
        match result {
            Ok((loaded, _)) => assert!(
                is_unknown_field && !loaded.unknown_fields.is_empty(),
                "{} loaded without listing anything",
                path.display()
            ),
            Err(error) => {
                assert!(!is_unknown_field, "unknown fields must not fail: {error}");
                let shown = error.to_string();
                let prefix = format!("{}:", path.display());
                assert!(shown.starts_with(&prefix), "`{shown}` lacks `{prefix}`");
                if matches!(error, LoadError::Parse { .. }) {
                    // PATH:LINE:COL: message
                    let rest = &shown[prefix.len()..];
                    let mut parts = rest.splitn(3, ':');
                    let line = parts.next().and_then(|s| s.parse::<usize>().ok());
                    let col = parts.next().and_then(|s| s.parse::<usize>().ok());
                    assert!(
                        line.is_some_and(|l| l >= 1) && col.is_some_and(|c| c >= 1),
                        "no line:col in `{shown}`"
                    );
                    assert!(parts.next().is_some_and(|m| m.starts_with(' ')), "{shown}");
                }
            }
        }
    }
}

// ---------------------------------------------------------------------------------------
// Fuzzing: arbitrary bytes and mutated samples never panic and finish quickly.

const QUICK: Duration = Duration::from_secs(2);

/// Feeds `bytes` to `load_plan` (through a file) and, when it is text, to `parse_plan`.
/// Whatever parses must write back and read back as the same plan.
fn never_panics(dir: &Path, bytes: &[u8]) -> Result<(), TestCaseError> {
    let path = dir.join("fuzz.ron");
    fs::write(&path, bytes).expect("write");
    let started = Instant::now();
    let loaded = load_plan(&path);
    prop_assert!(
        started.elapsed() < QUICK,
        "load took {:?}",
        started.elapsed()
    );
    prop_assert_eq!(fs::read(&path).expect("read"), bytes);
    if let Err(error) = &loaded {
        let prefix = format!("{}:", path.display());
        prop_assert!(error.to_string().starts_with(&prefix), "{}", error);
    }
    if let Ok(text) = std::str::from_utf8(bytes) {
        let started = Instant::now();
        let parsed = parse_plan(text);
        prop_assert!(
            started.elapsed() < QUICK,
            "parse took {:?}",
            started.elapsed()
        );
        // Finding a field's position walks any text without panicking.
        let users = [
            FieldStep::Field("workloads"),
            FieldStep::Index(0),
            FieldStep::Field("users"),
        ];
        let choice = [
            FieldStep::Field("scenarios"),
            FieldStep::Index(1),
            FieldStep::Field("choices"),
            FieldStep::Key("exchange".to_owned()),
        ];
        let _ = locate(text, &[&users, &choice]);
        // load_plan also strips a byte-order mark; otherwise both agree.
        if !text.starts_with('\u{feff}') {
            prop_assert_eq!(
                parsed.as_ref().map(|l| &l.plan).ok(),
                loaded.as_ref().map(|(l, _)| &l.plan).ok()
            );
        }
        if let Ok(parsed) = parsed {
            let again = plan_to_ron(&parsed.plan);
            let reread = parse_plan(&again);
            prop_assert!(
                reread.is_ok(),
                "written text does not read back: {:?}",
                reread
            );
            prop_assert_eq!(reread.map(|l| l.plan).ok(), Some(parsed.plan));
        }
    }
    Ok(())
}

#[derive(Debug, Clone)]
enum Mutation {
    Flip(Index, u8),
    Delete(Index, usize),
    Truncate(Index),
    Insert(Index, &'static [u8]),
}

/// Bits of text that are most likely to confuse a RON reader.
const TOKENS: [&[u8]; 24] = [
    b"[",
    b"]",
    b"(",
    b")",
    b"{",
    b"}",
    b",",
    b":",
    b"\"",
    b"\\",
    b"r#\"",
    b"/*",
    b"//",
    b"\n",
    b"1e999",
    b"-",
    b"0x",
    b"99999999999999999999999999999999",
    b"\xff",
    b"\xe2\x82",
    b"#![enable(implicit_some)]",
    b"Some(",
    b"b\"",
    b"'",
];

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        (any::<Index>(), any::<u8>()).prop_map(|(at, byte)| Mutation::Flip(at, byte)),
        (any::<Index>(), 1usize..64).prop_map(|(at, len)| Mutation::Delete(at, len)),
        any::<Index>().prop_map(Mutation::Truncate),
        (any::<Index>(), prop::sample::select(TOKENS.to_vec()))
            .prop_map(|(at, token)| Mutation::Insert(at, token)),
    ]
}

fn mutate(mut bytes: Vec<u8>, mutations: &[Mutation]) -> Vec<u8> {
    for m in mutations {
        let len = bytes.len();
        match m {
            Mutation::Flip(at, byte) if len > 0 => bytes[at.index(len)] = *byte,
            Mutation::Delete(at, n) if len > 0 => {
                let start = at.index(len);
                bytes.drain(start..(start + n).min(len));
            }
            Mutation::Truncate(at) if len > 0 => bytes.truncate(at.index(len)),
            Mutation::Insert(at, token) => {
                let at = at.index(len + 1);
                bytes.splice(at..at, token.iter().copied());
            }
            _ => {}
        }
    }
    bytes
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 256,
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..4096)) {
        let dir = tempfile::tempdir().expect("tempdir");
        never_panics(dir.path(), &bytes)?;
    }

    #[test]
    fn token_soup_never_panics(
        tokens in prop::collection::vec(prop::sample::select(TOKENS.to_vec()), 0..400),
        prefix in any::<bool>(),
    ) {
        let mut bytes = if prefix { b"(format_version: 1, ".to_vec() } else { Vec::new() };
        bytes.extend(tokens.concat());
        let dir = tempfile::tempdir().expect("tempdir");
        never_panics(dir.path(), &bytes)?;
    }

    #[test]
    fn mutated_sample_never_panics(mutations in prop::collection::vec(mutation(), 1..8)) {
        let sample = fs::read(sample_path()).expect("sample");
        let bytes = mutate(sample, &mutations);
        let dir = tempfile::tempdir().expect("tempdir");
        never_panics(dir.path(), &bytes)?;
    }
}

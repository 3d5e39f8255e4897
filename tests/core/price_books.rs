//! Price books as files of their own (issue 5, item 7): saved like plans, read as carefully,
//! and compared rate by rate before a colleague's book is taken into a plan.

use std::fs;
use std::path::Path;

use keyholder::model::{
    Category, Decimal, FieldChange, PriceBook, RateLine, price_book_changes, validate_price_book,
};
use keyholder::storage::{
    BUILTIN_PRICE_BOOKS, LoadError, MAX_FILE_BYTES, ParseError, builtin_price_book,
    load_price_book, parse_price_book, plan_to_ron, price_book_to_ron, sample_plan,
    save_price_book,
};

fn book(file_name: &str) -> PriceBook {
    builtin_price_book(file_name).expect("built-in book")
}

fn write(dir: &Path, name: &str, text: &[u8]) -> std::path::PathBuf {
    let path = dir.join(name);
    fs::write(&path, text).expect("write");
    path
}

fn change<'a>(changes: &'a [FieldChange], field: &str) -> &'a FieldChange {
    changes
        .iter()
        .find(|c| c.field == field)
        .unwrap_or_else(|| panic!("no change at {field}: {changes:#?}"))
}

// ---------------------------------------------------------------------------------------
// Saving and loading

#[test]
fn save_then_load_gives_the_same_book_and_stable_bytes() {
    let dir = tempfile::tempdir().expect("tempdir");
    for (name, _) in BUILTIN_PRICE_BOOKS {
        let original = book(name);
        let path = dir.path().join(name);
        save_price_book(&path, &original).expect("save");
        let first = fs::read(&path).expect("read");
        assert_eq!(first, price_book_to_ron(&original).into_bytes());
        let loaded = load_price_book(&path).expect("load");
        assert_eq!(loaded, original, "{name}");
        save_price_book(&path, &loaded).expect("save again");
        assert_eq!(fs::read(&path).expect("read"), first, "{name}: same bytes");
    }
}

#[test]
fn the_file_is_written_like_a_plan() {
    let text = price_book_to_ron(&book("microsoft-2010.ron"));
    assert!(text.starts_with("(\n    name: \"Microsoft cloud at launch (2010)\",\n"));
    assert!(text.ends_with(")\n"));
    assert!(!text.contains('\r'));
    assert!(!text.contains("PriceBook"), "no struct names");
    assert!(
        text.contains("\n        on_premises: (\n"),
        "4-space indents"
    );
    // The same text as the price book inside a plan file, indented one level less.
    let plan = sample_plan().expect("sample");
    let plan_text = plan_to_ron(&plan);
    let book_text = price_book_to_ron(&plan.price_book);
    let lines: Vec<&str> = book_text.lines().collect();
    let inside: String =
        lines[1..lines.len() - 1]
            .iter()
            .fold(String::new(), |mut inside, line| {
                inside.push_str("    ");
                inside.push_str(line);
                inside.push('\n');
                inside
            });
    assert!(inside.len() > 1000);
    assert!(plan_text.contains(&inside), "same layout as in a plan");
}

#[test]
fn built_in_books_load_from_a_file() {
    let dir = tempfile::tempdir().expect("tempdir");
    for (name, text) in BUILTIN_PRICE_BOOKS {
        let path = write(dir.path(), name, text.as_bytes());
        let loaded = load_price_book(&path).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(loaded, book(name));
        assert!(
            validate_price_book(&loaded).is_empty(),
            "{name}: {:?}",
            validate_price_book(&loaded)
        );
    }
}

#[test]
fn a_byte_order_mark_and_crlf_line_ends_are_read() {
    let dir = tempfile::tempdir().expect("tempdir");
    let text = format!(
        "\u{feff}{}",
        price_book_to_ron(&book("microsoft-2026.ron")).replace('\n', "\r\n")
    );
    let path = write(dir.path(), "book.ron", text.as_bytes());
    assert_eq!(
        load_price_book(&path).expect("load"),
        book("microsoft-2026.ron")
    );
}

#[test]
fn a_plan_file_gives_its_price_book() {
    let dir = tempfile::tempdir().expect("tempdir");
    let plan = sample_plan().expect("sample");
    let path = write(dir.path(), "colleague.ron", plan_to_ron(&plan).as_bytes());
    assert_eq!(load_price_book(&path).expect("load"), plan.price_book);
}

#[test]
fn saving_replaces_the_file_atomically_and_reports_failures() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("book.ron");
    save_price_book(&path, &book("microsoft-2010.ron")).expect("save");
    save_price_book(&path, &book("microsoft-2026.ron")).expect("save over");
    assert_eq!(
        load_price_book(&path).expect("load"),
        book("microsoft-2026.ron")
    );
    let leftovers: Vec<_> = fs::read_dir(dir.path())
        .expect("list")
        .map(|e| e.expect("entry").file_name())
        .filter(|n| n != "book.ron")
        .collect();
    assert!(leftovers.is_empty(), "no temporary files: {leftovers:?}");

    let missing = dir.path().join("no-such-folder").join("book.ron");
    let error = save_price_book(&missing, &book("microsoft-2010.ron")).expect_err("no folder");
    let message = error.to_string();
    assert!(
        message.starts_with(&format!("{}: could not save", missing.display())),
        "{message}"
    );
}

// ---------------------------------------------------------------------------------------
// Broken files

fn parse_error(error: &LoadError) -> &ParseError {
    match error {
        LoadError::Parse { error, .. } => error,
        other => panic!("expected a parse error, got {other}"),
    }
}

#[test]
fn a_broken_file_names_its_line_and_column() {
    let dir = tempfile::tempdir().expect("tempdir");
    let good = price_book_to_ron(&book("microsoft-2010.ron"));
    let line = good
        .lines()
        .position(|l| l.contains("msp_rate_per_hour"))
        .expect("line")
        + 1;
    let broken = good.replace("msp_rate_per_hour: 125", "msp_rate_per_hour: \"lots\"");
    let path = write(dir.path(), "broken.ron", broken.as_bytes());
    let error = load_price_book(&path).expect_err("broken");
    let message = error.to_string();
    let prefix = format!("{}:{line}:", path.display());
    assert!(
        message.starts_with(&prefix),
        "{message} should start {prefix}"
    );
    let ParseError::Syntax { line: at, col, .. } = parse_error(&error) else {
        panic!("{error}");
    };
    assert_eq!(*at, line);
    assert!(*col > 1, "{message}");

    // Cut short.
    let path = write(
        dir.path(),
        "truncated.ron",
        &good.as_bytes()[..good.len() / 2],
    );
    let message = load_price_book(&path).expect_err("truncated").to_string();
    assert!(
        message.starts_with(&format!("{}:", path.display())),
        "{message}"
    );
    assert!(
        message
            .split(':')
            .nth(1)
            .is_some_and(|l| l.parse::<usize>().is_ok()),
        "{message}"
    );
}

#[test]
fn an_unknown_field_is_refused_at_its_line() {
    let dir = tempfile::tempdir().expect("tempdir");
    let good = price_book_to_ron(&book("microsoft-2010.ron"));
    // A misspelt optional field would silently drop the MSP fees of the first destination.
    let broken = good.replacen("msp_fees:", "msp_fee:", 1);
    let line = broken
        .lines()
        .position(|l| l.contains("msp_fee:"))
        .expect("line")
        + 1;
    let path = write(dir.path(), "misspelt.ron", broken.as_bytes());
    let message = load_price_book(&path).expect_err("unknown").to_string();
    assert!(
        message.starts_with(&format!(
            "{}:{line}:13: unknown field `msp_fee`",
            path.display()
        )),
        "{message}"
    );
    assert!(
        message.contains("destinations.on_premises.msp_fee"),
        "{message}"
    );
}

#[test]
fn empty_non_utf8_and_oversized_files_are_refused() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = write(dir.path(), "empty.ron", b"  \n");
    let message = load_price_book(&path).expect_err("empty").to_string();
    assert!(
        message.starts_with(&format!("{}:1:1: the file is empty", path.display())),
        "{message}"
    );

    let path = write(dir.path(), "latin1.ron", b"(\n    name: \"Caf\xe9\",\n");
    let error = load_price_book(&path).expect_err("not UTF-8");
    assert_eq!(
        parse_error(&error),
        &ParseError::NotUtf8 { line: 2, col: 15 }
    );

    let path = dir.path().join("huge.ron");
    fs::File::create(&path)
        .and_then(|f| f.set_len(MAX_FILE_BYTES + 1))
        .expect("sparse file");
    assert!(matches!(
        load_price_book(&path),
        Err(LoadError::TooLarge { .. })
    ));

    let message = load_price_book(dir.path()).expect_err("folder").to_string();
    assert!(message.contains("folder"), "{message}");

    let missing = dir.path().join("missing.ron");
    let message = load_price_book(&missing).expect_err("missing").to_string();
    assert!(
        message.starts_with(&format!("{}: cannot read", missing.display())),
        "{message}"
    );
}

#[test]
fn deep_nesting_is_an_error_not_a_crash() {
    let text = format!("(name: {}", "[".repeat(100_000));
    assert!(matches!(
        parse_price_book(&text),
        Err(ParseError::Syntax { line: 1, .. })
    ));
}

// ---------------------------------------------------------------------------------------
// Which rates change

#[test]
fn changes_between_the_built_in_books_list_rates_old_and_new() {
    let old = book("microsoft-2010.ron");
    let new = book("microsoft-2026.ron");
    let changes = price_book_changes(&old, &new);
    assert!(!changes.is_empty());

    let compute = change(&changes, "destinations.azure_iaas.recurring[0].unit_price");
    assert_eq!(compute.old.as_deref(), Some("0.12"));
    assert_eq!(compute.new.as_deref(), Some("0.096"));
    assert_eq!(
        old.destinations.azure_iaas.recurring[0].unit_price,
        Decimal::new(12, 2)
    );
    assert_eq!(
        new.destinations.azure_iaas.recurring[0].unit_price,
        Decimal::new(96, 3)
    );
    let name = change(&changes, "name");
    assert_eq!(
        name.old.as_deref(),
        Some("\"Microsoft cloud at launch (2010)\"")
    );
    let label = change(&changes, "destinations.azure_iaas.recurring[0].label");
    assert_eq!(
        label.old.as_deref(),
        Some("\"Compute, small instance (1.6 GHz, 1.75 GB)\"")
    );
    // Every path names a field of the book; nothing is listed twice.
    let mut fields: Vec<&str> = changes.iter().map(|c| c.field.as_str()).collect();
    let count = fields.len();
    fields.sort_unstable();
    fields.dedup();
    assert_eq!(fields.len(), count);
}

#[test]
fn identical_books_have_no_changes() {
    for (name, _) in BUILTIN_PRICE_BOOKS {
        let a = book(name);
        assert!(price_book_changes(&a, &a.clone()).is_empty(), "{name}");
    }
}

#[test]
fn added_removed_and_recategorised_lines_are_listed() {
    let old = book("microsoft-2010.ron");
    let mut new = old.clone();
    new.msp_rate_per_hour = Decimal::new(1375, 1);
    new.destinations.bpos.recurring.push(RateLine {
        label: "Archiving".to_owned(),
        basis: keyholder::model::Basis::PerUser,
        unit_price: Decimal::new(3, 0),
        categories: [Category::Email].into_iter().collect(),
        source: "a colleague".to_owned(),
        licence: false,
    });
    new.destinations.on_premises.msp_fees.clear();
    new.destinations.azure_paas.hosts.remove(&Category::Crm);
    let changes = price_book_changes(&old, &new);

    let rate = change(&changes, "msp_rate_per_hour");
    assert_eq!(
        (rate.old.as_deref(), rate.new.as_deref()),
        (Some("125"), Some("137.5"))
    );
    let index = old.destinations.bpos.recurring.len();
    let added = change(&changes, &format!("destinations.bpos.recurring[{index}]"));
    assert_eq!(added.old, None);
    assert!(
        added
            .new
            .as_deref()
            .is_some_and(|t| t.contains("Archiving")),
        "{added:?}"
    );
    let removed = change(&changes, "destinations.on_premises.msp_fees[0]");
    assert!(
        removed.old.is_some() && removed.new.is_none(),
        "{removed:?}"
    );
    let hosts = change(&changes, "destinations.azure_paas.hosts");
    assert!(
        hosts.old.as_deref().is_some_and(|t| t.contains("\"crm\"")),
        "{hosts:?}"
    );
    assert!(
        hosts.new.as_deref().is_some_and(|t| !t.contains("\"crm\"")),
        "{hosts:?}"
    );
    assert_eq!(changes.len(), 4, "{changes:#?}");
}

#[test]
fn a_book_with_bad_values_loads_but_its_problems_are_listed() {
    let mut bad = book("microsoft-2010.ron");
    bad.destinations.bpos.recurring[0].unit_price = Decimal::new(-5, 0);
    bad.destinations.bpos.partner_fee_first_year_pct = Decimal::new(180, 0);
    let parsed = parse_price_book(&price_book_to_ron(&bad)).expect("parses");
    assert_eq!(parsed, bad);
    let issues = validate_price_book(&parsed);
    let fields: Vec<&str> = issues.iter().map(|i| i.field.as_str()).collect();
    assert_eq!(issues.len(), 2, "{fields:?}");
    assert!(fields[0].starts_with("price_book.destinations.bpos.recurring[0]"));
    assert!(fields[0].ends_with(".unit_price"));
    assert_eq!(
        fields[1],
        "price_book.destinations.bpos.partner_fee_first_year_pct"
    );
}

//! `keyholder import` with hostile inventories (issue 8, item 5), and the warnings `check`
//! and `report` print: every run says how many rows were read, imported and rejected and in
//! which encoding and separator; a file that cannot be read writes no plan; the plan written
//! always passes `check`.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use crate::keyholder;
use predicates::prelude::*;

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/inventory")
        .join(name)
}

struct Run {
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

fn run(args: &[&std::ffi::OsStr]) -> Run {
    let output = keyholder().args(args).output().expect("run keyholder");
    Run {
        code: output.status.code(),
        stdout: String::from_utf8(output.stdout).expect("UTF-8 stdout"),
        stderr: String::from_utf8(output.stderr).expect("UTF-8 stderr"),
    }
}

fn import(inventory: &Path, plan: &Path) -> Run {
    run(&[
        "import".as_ref(),
        inventory.as_os_str(),
        "-o".as_ref(),
        plan.as_os_str(),
        "--start-month".as_ref(),
        "2010-04".as_ref(),
    ])
}

fn check_passes(plan: &Path, workloads: usize) {
    keyholder()
        .arg("check")
        .arg(plan)
        .assert()
        .code(0)
        .stdout(format!(
            "{}: ok ({workloads} workload{}, 1 scenario)\n",
            plan.display(),
            if workloads == 1 { "" } else { "s" }
        ));
}

#[test]
fn a_windows_1252_inventory_says_how_it_was_read_and_what_was_imported() {
    let dir = tempfile::tempdir().expect("tempdir");
    let csv = fixture("windows-1252.csv");
    let plan = dir.path().join("latin.ron");
    let out = import(&csv, &plan);
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    assert_eq!(
        out.stdout,
        format!(
            "{}: created with 4 workloads from {}: 4 rows read, 4 imported, 0 rejected (Windows-1252, comma-separated)\n",
            plan.display(),
            csv.display()
        )
    );
    // "Zürich – Exchange" is email on 0 users: warned about, exit status unchanged.
    assert_eq!(
        out.stderr,
        format!(
            "{}: warning: workloads[2] \"Zürich – Exchange\".users: 0 users, but On-premises, MSP-hosted and BPOS charge per user for email workloads, so they look cheaper than they really would be; enter how many people use this workload\n",
            plan.display()
        )
    );
    check_passes(&plan, 4);
    let text = std::fs::read_to_string(&plan).expect("UTF-8 plan");
    for name in [
        "Müller-FS01",
        "Café-SQL",
        "Zürich – Exchange",
        "Ørsted-€-Web",
    ] {
        assert!(text.contains(&format!("name: \"{name}\"")), "{name}");
    }
    assert!(!text.contains('\u{fffd}'));
}

#[test]
fn a_utf16_tab_separated_inventory_is_read_and_its_rejected_row_listed() {
    let dir = tempfile::tempdir().expect("tempdir");
    let csv = fixture("utf-16le-unicode-text.txt");
    let plan = dir.path().join("unicode.ron");
    let out = import(&csv, &plan);
    assert_eq!(out.code, Some(1), "a rejected row exits 1");
    assert!(
        out.stderr.starts_with(&format!(
            "{}:4: \"Disk 1 size (In GB)\" is \"1,250\"",
            csv.display()
        )),
        "{}",
        out.stderr
    );
    assert!(
        out.stdout
            .ends_with(": 3 rows read, 2 imported, 1 rejected (UTF-16 LE, tab-separated)\n")
    );
    check_passes(&plan, 2);
}

#[test]
fn files_that_cannot_be_imported_write_no_plan_and_say_where() {
    let dir = tempfile::tempdir().expect("tempdir");
    for (name, expected) in [
        (
            "unclosed-quote.csv",
            ":3: a quoted cell that starts on this line is never closed",
        ),
        (
            "duplicate-header.csv",
            ":1: the header names the column \"Cores\" twice",
        ),
        (
            "pipe-separated.csv",
            ":1: the header row has no comma, semicolon or tab",
        ),
        ("utf-32.csv", ": the file is UTF-32 text"),
        (
            "cyrillic-windows-1251.csv",
            ":2:1: the file is not UTF-8 and its letters look like Cyrillic text",
        ),
        (
            "workbook-renamed.csv",
            ":1:6: the file has a NUL character here",
        ),
        ("mixed-utf-8-and-latin-1.csv", ":3:4: the file mixes UTF-8"),
        (
            "undefined-byte.csv",
            ":2:3: the file is neither UTF-8 nor Windows-1252",
        ),
    ] {
        let csv = fixture(name);
        let plan = dir.path().join(format!("{name}.ron"));
        let out = import(&csv, &plan);
        assert_eq!(out.code, Some(1), "{name}");
        assert_eq!(out.stdout, "", "{name}");
        assert!(
            out.stderr
                .starts_with(&format!("{}{expected}", csv.display())),
            "{name}: {}",
            out.stderr
        );
        assert_eq!(out.stderr.lines().count(), 1, "{name}: {}", out.stderr);
        assert!(!plan.exists(), "{name}: no plan written");
    }
}

#[cfg(unix)]
#[test]
fn dev_zero_is_refused_at_the_size_limit() {
    let dir = tempfile::tempdir().expect("tempdir");
    let plan = dir.path().join("zero.ron");
    let out = import(Path::new("/dev/zero"), &plan);
    assert_eq!(out.code, Some(1));
    assert_eq!(
        out.stderr,
        "/dev/zero: the file is larger than 64 MiB, the limit for inventory CSVs\n"
    );
    assert!(!plan.exists());
}

#[test]
fn an_inventory_whose_rows_are_all_rejected_writes_no_plan() {
    let dir = tempfile::tempdir().expect("tempdir");
    let csv = dir.path().join("bad.csv");
    std::fs::write(
        &csv,
        "*Server Name,*Cores,*Memory (In MB),*OS name\nA,x,1,Windows\nB,0,1,Windows\n",
    )
    .expect("write");
    let plan = dir.path().join("never.ron");
    let out = import(&csv, &plan);
    assert_eq!(out.code, Some(1));
    assert_eq!(
        out.stderr,
        format!(
            "{0}:2: \"Cores\" is not a number: \"x\"\n\
             {0}:3: \"Cores\" must be a whole number above 0, not 0\n\
             {0}: nothing to import: 2 rows read, 0 imported, 2 rejected (UTF-8, comma-separated); no plan written\n",
            csv.display()
        )
    );
    assert!(!plan.exists());
}

#[test]
fn a_row_over_a_bound_is_rejected_so_the_plan_passes_check() {
    let dir = tempfile::tempdir().expect("tempdir");
    let csv = fixture("over-bound-and-lost-letter.csv");
    let plan = dir.path().join("bounded.ron");
    let out = import(&csv, &plan);
    assert_eq!(out.code, Some(1));
    let lines: Vec<&str> = out.stderr.lines().collect();
    assert_eq!(lines.len(), 2, "{}", out.stderr);
    assert!(lines[0].starts_with(&format!(
        "{}:3: not valid in a plan: storage_gb: ",
        csv.display()
    )));
    assert!(lines[1].starts_with(&format!("{}:4: ", csv.display())));
    assert!(
        out.stdout
            .ends_with(": 4 rows read, 2 imported, 2 rejected (UTF-8, comma-separated)\n")
    );
    check_passes(&plan, 2);
}

/// An inventory of `n` mail servers: email, priced per user on three destinations.
fn mail_servers(dir: &Path, n: usize) -> PathBuf {
    let csv = dir.join("mail.csv");
    let mut text = String::from("*Server Name,*Cores,*Memory (In MB),*OS name\n");
    for i in 1..=n {
        let _ = writeln!(text, "EXCH{i:02},4,16384,Windows Server 2008 R2");
    }
    std::fs::write(&csv, text).expect("write");
    csv
}

#[test]
fn import_shows_ten_warnings_and_check_and_report_show_them_all() {
    let dir = tempfile::tempdir().expect("tempdir");
    let csv = mail_servers(dir.path(), 12);
    let plan = dir.path().join("mail.ron");
    let out = import(&csv, &plan);
    assert_eq!(out.code, Some(0), "warnings do not change the exit status");
    let warnings: Vec<&str> = out.stderr.lines().collect();
    assert_eq!(warnings.len(), 11, "{}", out.stderr);
    assert!(warnings[0].starts_with(&format!(
        "{}: warning: workloads[0] \"EXCH01\".users: 0 users, but",
        plan.display()
    )));
    assert_eq!(
        warnings[10],
        format!(
            "{0}: warning: and 2 more warnings like these; `keyholder check {0}` lists them all",
            plan.display()
        )
    );

    let check = run(&["check".as_ref(), plan.as_os_str()]);
    assert_eq!(check.code, Some(0));
    assert_eq!(
        check.stdout,
        format!("{}: ok (12 workloads, 1 scenario)\n", plan.display())
    );
    assert_eq!(check.stderr.lines().count(), 12, "{}", check.stderr);
    assert!(
        check
            .stderr
            .lines()
            .all(|l| l.starts_with(&format!("{}: warning: workloads[", plan.display())))
    );
    assert!(
        check
            .stderr
            .contains("workloads[11] \"EXCH12\".users: 0 users")
    );

    let report = run(&[
        "report".as_ref(),
        plan.as_os_str(),
        "--format".as_ref(),
        "json".as_ref(),
    ]);
    assert_eq!(report.code, Some(0));
    assert_eq!(report.stderr, check.stderr);
    assert!(
        report.stdout.starts_with('{'),
        "the report itself is unchanged on stdout"
    );
}

#[test]
fn the_sample_plans_have_no_warnings() {
    for name in ["accounting-firm.ron", "dental-practice.ron", "law-firm.ron"] {
        let plan = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("saves")
            .join(name);
        keyholder()
            .arg("check")
            .arg(&plan)
            .assert()
            .code(0)
            .stderr("");
    }
}

#[test]
fn a_latin_file_that_could_be_another_encoding_says_so() {
    let dir = tempfile::tempdir().expect("tempdir");
    let csv = dir.path().join("naive.csv");
    // "NAÏVE" in Windows-1252: Ï is 0xCF, which the statistics of so short a text take for
    // a Baltic encoding as readily as for Western European.
    std::fs::write(
        &csv,
        b"*Server Name,*Cores,*Memory (In MB),*OS name\nNA\xCFVE-FS,2,4096,Windows\n",
    )
    .expect("write");
    let plan = dir.path().join("naive.ron");
    let out = import(&csv, &plan);
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    assert!(
        out.stderr.starts_with(&format!(
            "{}: warning: read as Windows-1252, but the letters could also be ",
            csv.display()
        )),
        "{}",
        out.stderr
    );
    assert!(out.stderr.contains("CSV UTF-8"));
    assert!(
        std::fs::read_to_string(&plan)
            .expect("plan")
            .contains("name: \"NAÏVE-FS\"")
    );
    assert!(predicate::str::contains("(Windows-1252, comma-separated)").eval(&out.stdout));
}

//! `keyholder --version` and `-V`: the version, the commit and the built-in price books' dates.

use crate::keyholder;
use keyholder::identity::{COMMIT, VERSION};

#[test]
fn long_version_names_commit_and_price_book_dates() {
    let output = keyholder().arg("--version").output().unwrap();
    assert!(output.status.success());
    assert!(output.stderr.is_empty());
    assert_eq!(
        String::from_utf8(output.stdout).unwrap(),
        format!(
            "keyholder {VERSION}\n\
             commit: {COMMIT}\n\
             price book: Microsoft cloud at launch (2010), as of 2010-02 (microsoft-2010.ron)\n\
             price book: Microsoft cloud today (2026), as of 2026-07 (microsoft-2026.ron)\n"
        )
    );
}

#[test]
fn short_version_is_one_line_with_the_commit() {
    let output = keyholder().arg("-V").output().unwrap();
    assert!(output.status.success());
    assert_eq!(
        String::from_utf8(output.stdout).unwrap(),
        format!("keyholder {VERSION} (commit {COMMIT})\n")
    );
}

#[test]
fn version_is_the_one_in_cargo_toml() {
    let manifest =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/Cargo.toml")).unwrap();
    let line = manifest
        .lines()
        .find(|line| line.starts_with("version = "))
        .unwrap();
    assert_eq!(line, format!("version = \"{VERSION}\""));
}

//! The command line saves through the app's save path (issue 8, item 1): the replaced version
//! is kept in the data folder, a colleague's change is caught the same way, a link is written
//! through and a read-only plan is left alone.

use std::fs;
use std::path::Path;

use assert_cmd::Command;
use predicates::prelude::*;

fn keyholder(home: &Path) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_keyholder"));
    command.env("KEYHOLDER_HOME", home);
    command
}

fn law_firm_copy(folder: &Path) -> std::path::PathBuf {
    let path = folder.join("law-firm.ron");
    fs::copy(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("saves/law-firm.ron"),
        &path,
    )
    .expect("copy");
    path
}

#[test]
fn optimize_save_as_keeps_the_replaced_version_in_the_data_folder() {
    let home = tempfile::tempdir().expect("temp");
    let work = tempfile::tempdir().expect("temp");
    let plan = law_firm_copy(work.path());
    let before = fs::read(&plan).expect("read");
    keyholder(home.path())
        .args(["optimize", "--min-control", "70", "--save-as", "Keep 70"])
        .arg(&plan)
        .assert()
        .success();
    let versions =
        keyholder::storage::backups::kept_versions(&home.path().join("data/backups"), &plan);
    assert_eq!(versions.len(), 1, "{versions:?}");
    assert_eq!(fs::read(&versions[0].path).expect("backup"), before);
    // Only the plan beside the plan.
    let names: Vec<_> = fs::read_dir(work.path())
        .expect("list")
        .map(|e| e.expect("entry").file_name())
        .collect();
    assert_eq!(names, vec!["law-firm.ron"]);
}

#[test]
fn optimize_save_as_prints_the_answer_only_once_it_is_saved() {
    let home = tempfile::tempdir().expect("temp");
    let work = tempfile::tempdir().expect("temp");
    let plan = law_firm_copy(work.path());
    let mut permissions = fs::metadata(&plan).expect("metadata").permissions();
    permissions.set_readonly(true);
    fs::set_permissions(&plan, permissions).expect("chmod");
    let before = fs::read(&plan).expect("read");
    keyholder(home.path())
        .args(["optimize", "--min-control", "70", "--save-as", "Keep 70"])
        .arg(&plan)
        .assert()
        .code(1)
        .stdout(predicate::str::is_empty())
        .stderr(predicate::str::contains("read-only"));
    assert_eq!(fs::read(&plan).expect("read"), before);
}

#[cfg(unix)]
#[test]
fn optimize_save_as_writes_through_a_link() {
    let home = tempfile::tempdir().expect("temp");
    let work = tempfile::tempdir().expect("temp");
    let target = law_firm_copy(work.path());
    let link = work.path().join("shortcut.ron");
    std::os::unix::fs::symlink(&target, &link).expect("symlink");
    keyholder(home.path())
        .args(["optimize", "--min-control", "70", "--save-as", "Keep 70"])
        .arg(&link)
        .assert()
        .success();
    assert!(
        fs::symlink_metadata(&link)
            .expect("link")
            .file_type()
            .is_symlink()
    );
    let (loaded, _) = keyholder::storage::load_plan(&target).expect("target");
    assert!(loaded.plan.scenario("Keep 70").is_some());
}

#[test]
fn import_never_replaces_an_existing_plan() {
    let home = tempfile::tempdir().expect("temp");
    let work = tempfile::tempdir().expect("temp");
    let plan = law_firm_copy(work.path());
    let before = fs::read(&plan).expect("read");
    keyholder(home.path())
        .args(["import"])
        .arg(
            Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("tests/fixtures/inventory/azure-migrate-clean.csv"),
        )
        .arg("-o")
        .arg(&plan)
        .assert()
        .code(1)
        .stderr(predicate::str::contains("already exists"));
    assert_eq!(fs::read(&plan).expect("read"), before);
}

//! The one save path (issue 8, item 1): through symbolic links, never over a read-only file,
//! the replaced version kept, temporary files that sync clients skip and that go once their
//! writer is gone, one conflict check.

use std::fs;
use std::path::Path;
use std::time::{Duration, SystemTime};

use keyholder::storage::{
    Expect, FileStamp, SaveError, backups, is_temporary_of, load_plan, sample_plan, save_plan,
    save_plan_file,
};

fn changed() -> keyholder::model::Plan {
    let mut plan = sample_plan().expect("sample");
    plan.customer.seats = 99;
    plan
}

fn names(folder: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(folder)
        .expect("read_dir")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[cfg(unix)]
#[test]
fn a_plan_opened_through_a_link_is_saved_through_it() {
    let root = tempfile::tempdir().expect("temp");
    // The real file in the synced folder, the link in the user's documents.
    let synced = root.path().join("OneDrive");
    let documents = root.path().join("Documents");
    fs::create_dir_all(&synced).expect("mkdir");
    fs::create_dir_all(&documents).expect("mkdir");
    let target = synced.join("law firm.ron");
    let stamp = save_plan(&target, &sample_plan().expect("sample")).expect("save");
    let link = documents.join("law firm.ron");
    std::os::unix::fs::symlink(&target, &link).expect("symlink");

    let saved = save_plan_file(&link, &changed(), &Expect::Unchanged(stamp), None)
        .unwrap_or_else(|e| panic!("{e}"));

    assert!(
        fs::symlink_metadata(&link)
            .expect("link")
            .file_type()
            .is_symlink(),
        "the link is still a link"
    );
    assert_eq!(saved.written, target);
    assert_eq!(
        load_plan(&target).expect("target").0.plan.customer.seats,
        99
    );
    assert_eq!(load_plan(&link).expect("link").0.plan.customer.seats, 99);
    // Nothing was written beside the link; the target's folder holds just the plan.
    assert_eq!(names(&documents), vec!["law firm.ron"]);
    assert_eq!(names(&synced), vec!["law firm.ron"]);
}

#[cfg(unix)]
#[test]
fn a_relative_link_and_a_chain_of_links_are_followed() {
    let root = tempfile::tempdir().expect("temp");
    let target = root.path().join("real").join("plan.ron");
    fs::create_dir_all(target.parent().expect("parent")).expect("mkdir");
    save_plan(&target, &sample_plan().expect("sample")).expect("save");
    let first = root.path().join("first.ron");
    let second = root.path().join("second.ron");
    std::os::unix::fs::symlink("real/plan.ron", &first).expect("relative link");
    std::os::unix::fs::symlink(&first, &second).expect("link to a link");
    let saved = save_plan_file(&second, &changed(), &Expect::Replace, None).expect("save");
    assert_eq!(saved.written, root.path().join("real/plan.ron"));
    assert!(
        fs::symlink_metadata(&second)
            .expect("link")
            .file_type()
            .is_symlink()
    );
    assert_eq!(
        load_plan(&target).expect("target").0.plan.customer.seats,
        99
    );
}

#[test]
fn a_read_only_file_is_never_replaced() {
    let folder = tempfile::tempdir().expect("temp");
    let path = folder.path().join("plan.ron");
    let stamp = save_plan(&path, &sample_plan().expect("sample")).expect("save");
    let before = fs::read(&path).expect("read");
    let mut permissions = fs::metadata(&path).expect("metadata").permissions();
    permissions.set_readonly(true);
    fs::set_permissions(&path, permissions).expect("chmod");

    let backups_dir = folder.path().join("backups");
    for expect in [Expect::Unchanged(stamp), Expect::Replace] {
        match save_plan_file(&path, &changed(), &expect, Some(&backups_dir)) {
            Err(error @ SaveError::ReadOnly { .. }) => {
                assert!(error.to_string().contains("read-only"), "{error}");
            }
            other => panic!("expected ReadOnly, got {other:?}"),
        }
    }
    assert_eq!(
        fs::read(&path).expect("read"),
        before,
        "the file is as it was"
    );
    assert_eq!(
        names(folder.path()),
        vec!["plan.ron"],
        "no backup, no litter"
    );
}

#[test]
fn every_save_keeps_the_version_it_replaces() {
    let folder = tempfile::tempdir().expect("temp");
    let backups_dir = folder.path().join("data").join("backups");
    let path = folder.path().join("plan.ron");
    let first = save_plan(&path, &sample_plan().expect("sample")).expect("save");
    let first_bytes = fs::read(&path).expect("read");

    let saved = save_plan_file(
        &path,
        &changed(),
        &Expect::Unchanged(first),
        Some(&backups_dir),
    )
    .expect("save");
    let backup = saved.backup.expect("a backup");
    assert_eq!(fs::read(&backup).expect("backup"), first_bytes);
    assert!(backup.starts_with(&backups_dir), "kept in the data folder");
    assert_eq!(names(folder.path()), vec!["data", "plan.ron"]);
    let kept = backups::kept_versions(&backups_dir, &path);
    assert_eq!(kept.len(), 1);
    assert_eq!(kept[0].kind, backups::VersionKind::Replaced);
    assert_eq!(kept[0].size_bytes, first_bytes.len() as u64);

    // No file yet: nothing to keep.
    let fresh = folder.path().join("new.ron");
    let saved =
        save_plan_file(&fresh, &changed(), &Expect::NewFile, Some(&backups_dir)).expect("save");
    assert_eq!(saved.backup, None);
}

#[test]
fn the_users_version_kept_at_a_reload_gets_a_new_name_each_time() {
    let folder = tempfile::tempdir().expect("temp");
    let backups_dir = folder.path().join("backups");
    let target = folder.path().join("plan.ron");
    let text = keyholder::storage::plan_to_ron(&changed());
    let first = backups::keep_users_version(&backups_dir, &target, text.as_bytes()).expect("kept");
    let second = backups::keep_users_version(&backups_dir, &target, text.as_bytes()).expect("kept");
    assert_ne!(first, second, "a second reload never overwrites the first");
    for kept in [&first, &second] {
        // A real plan file that File > Open opens.
        assert_eq!(load_plan(kept).expect("a plan").0.plan.customer.seats, 99);
        assert!(kept.to_string_lossy().contains("yours before reload"));
    }
    let versions = backups::kept_versions(&backups_dir, &target);
    assert_eq!(
        versions
            .iter()
            .filter(|v| v.kind == backups::VersionKind::YoursBeforeReload)
            .count(),
        2
    );
}

/// A temporary file as a killed save leaves it, `age` old.
fn abandoned_temporary(folder: &Path, plan: &str, age: Duration) -> std::path::PathBuf {
    let path = folder.join(format!("~${plan}.x7Yz9q.keyholder.tmp"));
    fs::write(&path, "(format_version: 1, half a pl").expect("write");
    let file = fs::File::options().write(true).open(&path).expect("open");
    file.set_modified(SystemTime::now() - age).expect("mtime");
    path
}

#[test]
fn temporaries_of_killed_saves_go_at_the_next_open_or_save() {
    let folder = tempfile::tempdir().expect("temp");
    let path = folder.path().join("plan.ron");
    save_plan(&path, &sample_plan().expect("sample")).expect("save");
    let name = "plan.ron";
    assert!(is_temporary_of(name, "~$plan.ron.x7Yz9q.keyholder.tmp"));

    // Opening the plan removes what a killed save left, seconds (not minutes) later.
    let left = abandoned_temporary(folder.path(), name, Duration::from_secs(5));
    load_plan(&path).expect("open");
    assert!(!left.exists(), "removed at the next open");

    // So does the next save.
    let left = abandoned_temporary(folder.path(), name, Duration::from_secs(5));
    save_plan(&path, &changed()).expect("save");
    assert!(!left.exists(), "removed at the next save");

    // A temporary file its writer still holds (a save in progress elsewhere) stays.
    let busy = abandoned_temporary(folder.path(), name, Duration::from_secs(5));
    let writer = fs::File::open(&busy).expect("open");
    writer.lock().expect("lock");
    load_plan(&path).expect("open");
    assert!(busy.exists(), "a save in progress is left alone");
    drop(writer);
    load_plan(&path).expect("open");
    assert!(!busy.exists());

    // Another plan's temporary file is not this plan's business.
    let other = abandoned_temporary(folder.path(), "other.ron", Duration::from_secs(5));
    save_plan(&path, &sample_plan().expect("sample")).expect("save");
    assert!(other.exists());
}

#[test]
fn temporary_files_do_not_look_like_plans_to_a_sync_client() {
    // Sync clients skip files starting with `~$` and ending in `.tmp` (Office's lock and
    // temporary files), and no one takes one for a plan.
    let name = "Harlow & Finch.ron";
    let temporary = "~$Harlow & Finch.ron.a1B2c3.keyholder.tmp";
    assert!(is_temporary_of(name, temporary));
    assert!(temporary.starts_with("~$"));
    assert_eq!(
        Path::new(temporary).extension().and_then(|e| e.to_str()),
        Some("tmp")
    );
}

#[test]
fn the_conflict_check_refuses_a_changed_or_missing_file() {
    let folder = tempfile::tempdir().expect("temp");
    let path = folder.path().join("plan.ron");
    let stamp = save_plan(&path, &sample_plan().expect("sample")).expect("save");
    let mut theirs = sample_plan().expect("sample");
    theirs.customer.name = "Their change".to_owned();
    save_plan(&path, &theirs).expect("their save");
    assert!(matches!(
        save_plan_file(&path, &changed(), &Expect::Unchanged(stamp.clone()), None),
        Err(SaveError::ChangedOnDisk { .. })
    ));
    let now = FileStamp::read(&path).expect("stamp");
    assert!(!stamp.same_content(&now));
    assert!(now.same_content(&now.clone()));
}

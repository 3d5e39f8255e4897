//! `keyholder merge BASE MINE THEIRS -o OUT` and `keyholder merge-driver`, the latter under a
//! real `git merge` in a temporary repository.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Output;

use assert_cmd::Command;
use keyholder::model::{Choice, Decimal, Destination, Plan, Workload};
use keyholder::storage::{content_id, load_plan, sample_plan, save_plan};

const BIN: &str = env!("CARGO_BIN_EXE_keyholder");

/// The binary with its own folders in `home` (never the user's).
fn keyholder(home: &Path) -> Command {
    let mut command = Command::new(BIN);
    command.env("KEYHOLDER_HOME", home);
    command
}

fn workload_mut<'a>(plan: &'a mut Plan, id: &str) -> &'a mut Workload {
    plan.workloads
        .iter_mut()
        .find(|w| w.id == id)
        .expect("workload")
}

fn write(folder: &Path, name: &str, plan: &Plan) -> PathBuf {
    let path = folder.join(name);
    save_plan(&path, plan).expect("save");
    path
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// Base, mine (Exchange at `mine_users`, 130 seats) and theirs (Exchange at `theirs_users`, a
/// 48-month horizon, a payroll workload) in `folder`.
fn three_copies(folder: &Path, mine_users: u32, theirs_users: u32) -> [PathBuf; 3] {
    let base = sample_plan().expect("sample");
    let mut mine = base.clone();
    mine.customer.seats = 130;
    workload_mut(&mut mine, "exchange").users = mine_users;
    let mut theirs = base.clone();
    theirs.assumptions.horizon_months = 48;
    workload_mut(&mut theirs, "exchange").users = theirs_users;
    theirs.workloads.push(Workload::new(
        "payroll",
        "Payroll",
        keyholder::model::Category::LineOfBusiness,
    ));
    [
        write(folder, "base.ron", &base),
        write(folder, "mine.ron", &mine),
        write(folder, "theirs.ron", &theirs),
    ]
}

fn run_merge(
    home: &Path,
    [base, mine, theirs]: &[PathBuf; 3],
    out: &Path,
    extra: &[&str],
) -> Output {
    keyholder(home)
        .arg("merge")
        .arg(base)
        .arg(mine)
        .arg(theirs)
        .arg("-o")
        .arg(out)
        .args(extra)
        .output()
        .expect("run")
}

#[test]
fn changes_on_both_sides_merge_with_no_question_and_exit_0() {
    let home = tempfile::tempdir().expect("temp");
    let folder = tempfile::tempdir().expect("temp");
    // Exchange's users changed by theirs only.
    let copies = three_copies(folder.path(), 120, 130);
    let out = folder.path().join("merged.ron");
    let output = run_merge(home.path(), &copies, &out, &[]);
    let stdout = text(&output.stdout);
    assert_eq!(
        output.status.code(),
        Some(0),
        "{stdout}{}",
        text(&output.stderr)
    );
    assert!(
        stdout.contains("1 change from mine, 3 from theirs, 0 made in both, 0 conflicts"),
        "{stdout}"
    );
    assert!(
        stdout.contains("  workloads[exchange].users: 120 -> 130"),
        "{stdout}"
    );
    assert!(stdout.contains("  workloads[payroll]: added"), "{stdout}");
    let merged = load_plan(&out).expect("merged").0.plan;
    assert_eq!(merged.customer.seats, 130);
    assert_eq!(merged.assumptions.horizon_months, 48);
    assert_eq!(merged.workload("exchange").map(|w| w.users), Some(130));
    assert!(merged.workload("payroll").is_some());
    // The merge is a save like any other: recorded, with the content id of what it wrote.
    let last = merged.history.last().expect("entry");
    assert_eq!(
        last.note,
        "Merged theirs.ron into mine.ron (keyholder merge)"
    );
    assert_eq!(last.content_id.as_ref(), Some(&content_id(&merged)));
    keyholder(home.path())
        .arg("check")
        .arg(&out)
        .assert()
        .success();
}

#[test]
fn a_conflict_is_listed_with_base_mine_and_theirs_and_exits_1_until_resolved() {
    let home = tempfile::tempdir().expect("temp");
    let folder = tempfile::tempdir().expect("temp");
    let copies = three_copies(folder.path(), 125, 130);
    let out = folder.path().join("merged.ron");
    let output = run_merge(home.path(), &copies, &out, &[]);
    let stdout = text(&output.stdout);
    assert_eq!(output.status.code(), Some(1), "{stdout}");
    assert!(
        stdout.contains("Conflicts (base -> mine | theirs)\n  workloads[exchange].users: 120 -> 125 | 130  [unresolved: mine kept]"),
        "{stdout}"
    );
    assert!(
        text(&output.stderr).contains("1 conflict left unresolved (the file holds mine for it)"),
        "{}",
        text(&output.stderr)
    );
    // Written all the same, with mine in the conflict and everything else merged.
    let merged = load_plan(&out).expect("merged").0.plan;
    assert_eq!(merged.workload("exchange").map(|w| w.users), Some(125));
    assert_eq!(merged.assumptions.horizon_months, 48);

    for (side, users) in [("theirs", 130), ("mine", 125)] {
        let output = run_merge(home.path(), &copies, &out, &["--prefer", side]);
        assert_eq!(output.status.code(), Some(0), "{}", text(&output.stdout));
        assert!(text(&output.stdout).contains(&format!("[took {side}]")));
        let merged = load_plan(&out).expect("merged").0.plan;
        assert_eq!(merged.workload("exchange").map(|w| w.users), Some(users));
    }
    // A bad side is a usage error.
    let output = run_merge(home.path(), &copies, &out, &["--prefer", "both"]);
    assert_eq!(output.status.code(), Some(2));
}

#[test]
fn json_lists_every_change_for_scripts() {
    let home = tempfile::tempdir().expect("temp");
    let folder = tempfile::tempdir().expect("temp");
    let copies = three_copies(folder.path(), 125, 130);
    let out = folder.path().join("merged.ron");
    let output = run_merge(home.path(), &copies, &out, &["--format", "json"]);
    assert_eq!(output.status.code(), Some(1));
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).expect("json");
    assert_eq!(json["clean"], false);
    assert_eq!(json["unresolved"], 1);
    let exchange = json["parts"]
        .as_array()
        .expect("parts")
        .iter()
        .find(|p| p["part"] == "workloads[exchange]")
        .expect("exchange");
    assert_eq!(exchange["label"], "Exchange 2007 (exchange)");
    let users = &exchange["changes"][0];
    assert_eq!(
        (
            &users["field"],
            &users["kind"],
            &users["base"],
            &users["mine"],
            &users["theirs"],
            &users["resolution"]
        ),
        (
            &"users".into(),
            &"conflict".into(),
            &"120".into(),
            &"125".into(),
            &"130".into(),
            &serde_json::Value::Null
        )
    );
    // The horizon grew by a year: every scenario's TCO changes, and it is reported.
    let totals = json["totals"].as_array().expect("totals");
    assert_eq!(totals.len(), 3);
    assert!(
        totals
            .iter()
            .all(|t| t["old_tco_cents"] != t["new_tco_cents"])
    );
}

#[test]
fn merging_in_place_keeps_the_replaced_version() {
    let home = tempfile::tempdir().expect("temp");
    let folder = tempfile::tempdir().expect("temp");
    let copies = three_copies(folder.path(), 120, 130);
    let before = fs::read(&copies[1]).expect("mine");
    let output = run_merge(home.path(), &copies, &copies[1], &[]);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    let versions =
        keyholder::storage::backups::kept_versions(&home.path().join("data/backups"), &copies[1]);
    assert_eq!(versions.len(), 1, "{versions:?}");
    assert_eq!(fs::read(&versions[0].path).expect("backup"), before);
    assert_eq!(
        load_plan(&copies[1])
            .expect("merged")
            .0
            .plan
            .assumptions
            .horizon_months,
        48
    );
}

#[test]
fn changes_that_clash_only_together_are_reported_as_problems() {
    let home = tempfile::tempdir().expect("temp");
    let folder = tempfile::tempdir().expect("temp");
    let base = sample_plan().expect("sample");
    // Mine: the file server's data must stay on site (it stays on site in every scenario).
    let mut mine = base.clone();
    workload_mut(&mut mine, "file-server")
        .constraints
        .data_must_stay_onsite = true;
    // Theirs: the file server to Azure in month 6 of the BPOS scenario.
    let mut theirs = base.clone();
    theirs.scenarios[1].choices.insert(
        "file-server".to_owned(),
        Choice::new(Destination::AzureIaas, 6),
    );
    let copies = [
        write(folder.path(), "base.ron", &base),
        write(folder.path(), "mine.ron", &mine),
        write(folder.path(), "theirs.ron", &theirs),
    ];
    let out = folder.path().join("merged.ron");
    let output = run_merge(home.path(), &copies, &out, &[]);
    let stdout = text(&output.stdout);
    assert_eq!(output.status.code(), Some(1), "{stdout}");
    assert!(stdout.contains("0 conflicts"), "{stdout}");
    assert!(
        stdout.contains("Problem in the merged plan: scenarios[1] \"All collaboration to BPOS\".choices[\"file-server\"].destination"),
        "{stdout}"
    );
}

#[test]
fn a_file_that_is_not_a_plan_is_refused_with_its_position() {
    let home = tempfile::tempdir().expect("temp");
    let folder = tempfile::tempdir().expect("temp");
    let mut copies = three_copies(folder.path(), 120, 130);
    fs::write(&copies[2], "(format_version: 1, customer: [").expect("write");
    let out = folder.path().join("merged.ron");
    let output = run_merge(home.path(), &copies, &out, &[]);
    assert_eq!(output.status.code(), Some(1));
    let stderr = text(&output.stderr);
    assert!(
        stderr.starts_with(&format!("{}:1:", copies[2].display())),
        "{stderr}"
    );
    assert!(!out.exists(), "nothing is written from a broken copy");
    copies[2] = folder.path().join("missing.ron");
    assert_eq!(
        run_merge(home.path(), &copies, &out, &[]).status.code(),
        Some(1)
    );
}

// ---------------------------------------------------------------------------------------
// git

/// A repository in `folder` with the law firm as `plan.ron` and a price book, committed;
/// with the merge driver configured when `driver` is set.
fn repository(folder: &Path, home: &Path, driver: bool) -> PathBuf {
    let repo = folder.join("repo");
    fs::create_dir_all(&repo).expect("mkdir");
    git(&repo, &["init", "-q", "-b", "main"]);
    git(&repo, &["config", "user.email", "dana@example.com"]);
    git(&repo, &["config", "user.name", "Dana"]);
    if driver {
        fs::write(repo.join(".gitattributes"), "*.ron merge=keyholder\n").expect("attributes");
        git(
            &repo,
            &["config", "merge.keyholder.name", "Keyholder plan merge"],
        );
        // KEYHOLDER_HOME keeps the test's driver away from the user's folders.
        let command = format!(
            "env KEYHOLDER_HOME='{}' '{BIN}' merge-driver %O %A %B %P",
            home.display()
        );
        git(&repo, &["config", "merge.keyholder.driver", &command]);
    }
    write(&repo, "plan.ron", &sample_plan().expect("sample"));
    fs::copy(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/price-books/microsoft-2010.ron"),
        repo.join("book.ron"),
    )
    .expect("book");
    git(&repo, &["add", "-A"]);
    git(&repo, &["commit", "-q", "-m", "The law firm"]);
    repo
}

fn git(repo: &Path, args: &[&str]) -> Output {
    let output = std::process::Command::new("git")
        .current_dir(repo)
        .args(args)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("HOME", repo)
        .output()
        .expect("git");
    assert!(
        output.status.success() || args[0] == "merge",
        "git {args:?}: {}",
        text(&output.stderr)
    );
    output
}

/// Changes the plan in the repository as a colleague's Keyholder would, with a history
/// entry for the save, and commits it.
fn commit_change(repo: &Path, who: &str, change: impl FnOnce(&mut Plan)) {
    let path = repo.join("plan.ron");
    let mut plan = load_plan(&path).expect("plan").0.plan;
    change(&mut plan);
    plan.history.push(keyholder::model::HistoryEntry {
        saved_by: who.to_owned(),
        saved_at: "2010-03-01T09:00:00Z".to_owned(),
        note: format!("{who}'s change"),
        keyholder_version: "0.1.0".to_owned(),
        content_id: Some(content_id(&plan)),
    });
    save_plan(&path, &plan).expect("save");
    git(repo, &["commit", "-q", "-a", "-m", who]);
}

/// Dana on `main` and Sam on `sam`, each with their change.
fn branches(repo: &Path, dana: impl FnOnce(&mut Plan), sam: impl FnOnce(&mut Plan)) {
    git(repo, &["checkout", "-q", "-b", "sam"]);
    commit_change(repo, "Sam", sam);
    git(repo, &["checkout", "-q", "main"]);
    commit_change(repo, "Dana", dana);
}

#[test]
fn git_merges_two_branches_by_workload_with_the_driver() {
    let home = tempfile::tempdir().expect("temp");
    let folder = tempfile::tempdir().expect("temp");
    // Without the driver, git merges line by line: both saves added a history entry at the
    // end of the file, so even these unrelated changes conflict.
    let plain = repository(&folder.path().join("plain"), home.path(), false);
    branches(
        &plain,
        |p| p.customer.seats = 130,
        |p| workload_mut(p, "sql").users = 40,
    );
    let output = git(&plain, &["merge", "-q", "sam", "-m", "Merge Sam"]);
    assert!(
        !output.status.success(),
        "git's own merge conflicts on the history"
    );

    let repo = repository(&folder.path().join("driver"), home.path(), true);
    branches(
        &repo,
        |p| p.customer.seats = 130,
        |p| {
            workload_mut(p, "sql").users = 40;
            p.price_book.destinations.bpos.recurring[0].unit_price = Decimal::from(4);
        },
    );
    let output = git(&repo, &["merge", "sam", "-m", "Merge Sam"]);
    assert!(
        output.status.success(),
        "{}{}",
        text(&output.stdout),
        text(&output.stderr)
    );
    assert!(
        text(&output.stderr)
            .contains("plan.ron: merged as a plan: 1 change from mine, 2 from theirs"),
        "{}",
        text(&output.stderr)
    );
    let merged = load_plan(&repo.join("plan.ron")).expect("merged").0.plan;
    assert_eq!(merged.customer.seats, 130);
    assert_eq!(merged.workload("sql").map(|w| w.users), Some(40));
    assert_eq!(
        merged.price_book.destinations.bpos.recurring[0].unit_price,
        Decimal::from(4)
    );
    let notes: Vec<&str> = merged.history.iter().map(|h| h.note.as_str()).collect();
    assert!(
        notes.contains(&"Dana's change") && notes.contains(&"Sam's change"),
        "{notes:?}"
    );
    assert_eq!(
        merged.history.last().map(|h| h.note.as_str()),
        Some("Merged in git (keyholder merge-driver)")
    );
    // Committed as a merge, nothing left unmerged.
    let status = text(&git(&repo, &["status", "--porcelain"]).stdout);
    assert_eq!(status, "");
    let parents = text(&git(&repo, &["log", "-1", "--format=%P"]).stdout);
    assert_eq!(parents.split_whitespace().count(), 2);
}

#[test]
fn git_stops_at_a_real_conflict_with_ours_in_the_file_and_how_to_take_theirs() {
    let home = tempfile::tempdir().expect("temp");
    let folder = tempfile::tempdir().expect("temp");
    let repo = repository(folder.path(), home.path(), true);
    branches(
        &repo,
        |p| {
            workload_mut(p, "exchange").users = 125;
            p.customer.seats = 125;
        },
        |p| {
            workload_mut(p, "exchange").users = 130;
            p.assumptions.horizon_months = 48;
        },
    );
    let output = git(&repo, &["merge", "sam", "-m", "Merge Sam"]);
    assert!(!output.status.success());
    let stderr = text(&output.stderr);
    assert!(
        stderr.contains("  workloads[exchange].users: 120 -> 125 | 130  [unresolved: mine kept]"),
        "{stderr}"
    );
    assert!(
        stderr.contains("git show :1:plan.ron > base.ron"),
        "{stderr}"
    );
    // The file is a valid plan with ours in the conflict and both sides' other changes.
    let merged = load_plan(&repo.join("plan.ron")).expect("merged").0.plan;
    assert_eq!(merged.workload("exchange").map(|w| w.users), Some(125));
    assert_eq!(
        (merged.customer.seats, merged.assumptions.horizon_months),
        (125, 48)
    );
    assert!(text(&git(&repo, &["status", "--porcelain"]).stdout).contains("UU plan.ron"));

    // The way out the driver printed.
    for (stage, name) in [(":1:plan.ron", "base.ron"), (":3:plan.ron", "theirs.ron")] {
        let shown = git(&repo, &["show", stage]);
        fs::write(folder.path().join(name), shown.stdout).expect("write");
    }
    keyholder(home.path())
        .arg("merge")
        .arg(folder.path().join("base.ron"))
        .arg(repo.join("plan.ron"))
        .arg(folder.path().join("theirs.ron"))
        .arg("-o")
        .arg(repo.join("plan.ron"))
        .args(["--prefer", "theirs"])
        .assert()
        .success();
    let resolved = load_plan(&repo.join("plan.ron")).expect("resolved").0.plan;
    assert_eq!(resolved.workload("exchange").map(|w| w.users), Some(130));
    assert_eq!(
        (resolved.customer.seats, resolved.assumptions.horizon_months),
        (125, 48)
    );
}

#[test]
fn a_file_that_is_not_a_plan_is_merged_line_by_line() {
    let home = tempfile::tempdir().expect("temp");
    let folder = tempfile::tempdir().expect("temp");
    let repo = repository(folder.path(), home.path(), true);
    let book = repo.join("book.ron");
    let original = fs::read_to_string(&book).expect("book");
    // Two edits far apart in the price book file.
    git(&repo, &["checkout", "-q", "-b", "sam"]);
    fs::write(
        &book,
        original.replacen("hours_per_month: 730", "hours_per_month: 744", 1),
    )
    .expect("write");
    git(&repo, &["commit", "-q", "-a", "-m", "Sam"]);
    git(&repo, &["checkout", "-q", "main"]);
    let last_source = original.rfind("source:").expect("a source");
    let mut dana = original.clone();
    dana.insert_str(last_source, "source: \"checked\", // ");
    fs::write(&book, &dana).expect("write");
    git(&repo, &["commit", "-q", "-a", "-m", "Dana"]);
    let output = git(&repo, &["merge", "sam", "-m", "Merge Sam"]);
    assert!(output.status.success(), "{}", text(&output.stderr));
    assert!(
        text(&output.stderr).contains("book.ron: not merged as a plan"),
        "{}",
        text(&output.stderr)
    );
    let merged = fs::read_to_string(&book).expect("book");
    assert!(merged.contains("hours_per_month: 744") && merged.contains("source: \"checked\", // "));
}

#[test]
fn a_broken_version_from_their_branch_is_not_committed() {
    let home = tempfile::tempdir().expect("temp");
    let folder = tempfile::tempdir().expect("temp");
    let repo = repository(folder.path(), home.path(), true);
    let plan = repo.join("plan.ron");
    let original = fs::read_to_string(&plan).expect("plan");
    git(&repo, &["checkout", "-q", "-b", "sam"]);
    // A hand edit gone wrong on their branch.
    fs::write(&plan, original.replacen("seats: 120,", "seats: 1x0,", 1)).expect("write");
    git(&repo, &["commit", "-q", "-a", "-m", "Sam"]);
    git(&repo, &["checkout", "-q", "main"]);
    // Far from their line, so the lines merge cleanly.
    commit_change(&repo, "Dana", |p| workload_mut(p, "backup").users = 5);
    let output = git(&repo, &["merge", "sam", "-m", "Merge Sam"]);
    assert!(!output.status.success(), "{}", text(&output.stderr));
    let stderr = text(&output.stderr);
    assert!(
        stderr.contains("plan.ron: not merged as a plan"),
        "{stderr}"
    );
    assert!(
        stderr.contains("the merged lines are not a plan Keyholder can read"),
        "{stderr}"
    );
    assert!(text(&git(&repo, &["status", "--porcelain"]).stdout).contains("UU plan.ron"));
}

#[test]
fn plan_text_in_what_the_merge_prints_cannot_act_on_the_terminal() {
    let home = tempfile::tempdir().expect("temp");
    let folder = tempfile::tempdir().expect("temp");
    let base = sample_plan().expect("sample");
    let mut theirs = base.clone();
    workload_mut(&mut theirs, "exchange").name = "Mail\u{1b}[2J\nother.ron: ok".to_owned();
    let copies = [
        write(folder.path(), "base.ron", &base),
        write(folder.path(), "mine.ron", &base),
        write(folder.path(), "theirs.ron", &theirs),
    ];
    let out = folder.path().join("merged.ron");
    let output = run_merge(home.path(), &copies, &out, &[]);
    assert_eq!(output.status.code(), Some(0));
    let stdout = text(&output.stdout);
    assert!(!stdout.contains('\u{1b}'), "{stdout:?}");
    assert!(
        !stdout.lines().any(|l| l.starts_with("other.ron: ok")),
        "{stdout}"
    );
    assert!(
        stdout.contains("workloads[exchange].name: \"Exchange 2007\" -> \"Mail"),
        "{stdout}"
    );
}

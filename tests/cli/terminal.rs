//! Terminal output is safe (issue 8, item 7): text from a plan cannot act on the terminal
//! (clear the screen, move the cursor, reorder text) or forge a line, in `check`, `report`,
//! `diff` and `optimize`; and a closed pipe ends a command quietly.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command as Process, Stdio};

use assert_cmd::Command;
use keyholder::storage::{sample_plan, save_plan};

/// A name with an escape sequence that clears the screen, a bell, a carriage return, a
/// right-to-left override and a newline followed by a forged `check` line.
const HOSTILE: &str = "Evil\u{1b}[2J\u{7}\r\u{202e}corp\nother.ron: ok (1 workload, 1 scenario)";

fn keyholder(home: &Path) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_keyholder"));
    command.env("KEYHOLDER_HOME", home);
    command
}

fn hostile_plan(folder: &Path, valid: bool) -> PathBuf {
    let mut plan = sample_plan().expect("sample");
    plan.customer.name = HOSTILE.to_owned();
    plan.workloads[0].name = HOSTILE.to_owned();
    plan.scenarios[1].name = HOSTILE.to_owned();
    if !valid {
        plan.workloads[0].users = 20_000_000;
    }
    let path = folder.join(if valid { "hostile.ron" } else { "invalid.ron" });
    save_plan(&path, &plan).expect("save");
    path
}

/// Nothing in `text` a terminal would act on, and no line that only a plan could have made.
fn assert_safe(text: &[u8], what: &str) {
    let text = String::from_utf8_lossy(text);
    for forbidden in ['\u{1b}', '\u{7}', '\r', '\u{202e}'] {
        assert!(
            !text.contains(forbidden),
            "{what}: raw {forbidden:?} in\n{text}"
        );
    }
    assert!(
        !text.lines().any(|l| l.starts_with("other.ron: ok")),
        "{what}: a forged line in\n{text}"
    );
    assert!(
        text.contains("\\u{1b}"),
        "{what}: the escape is shown:\n{text}"
    );
}

#[test]
fn plan_text_cannot_act_on_the_terminal_or_forge_a_line() {
    let home = tempfile::tempdir().expect("temp");
    let work = tempfile::tempdir().expect("temp");
    let valid = hostile_plan(work.path(), true);
    let invalid = hostile_plan(work.path(), false);
    let sample = Path::new(env!("CARGO_MANIFEST_DIR")).join("saves/law-firm.ron");

    let check = keyholder(home.path())
        .arg("check")
        .arg(&invalid)
        .output()
        .expect("run");
    assert_eq!(check.status.code(), Some(1));
    assert_safe(&check.stderr, "check");

    for format in ["text", "markdown", "html", "csv"] {
        let report = keyholder(home.path())
            .args(["report", "--format", format])
            .arg(&valid)
            .output()
            .expect("run");
        assert!(report.status.success(), "{format}");
        assert_safe(&report.stdout, &format!("report --format {format}"));
    }

    let diff = keyholder(home.path())
        .arg("diff")
        .arg(&sample)
        .arg(&valid)
        .output()
        .expect("run");
    assert_safe(&diff.stdout, "diff");

    let optimize = keyholder(home.path())
        .args(["optimize", "--min-control", "60"])
        .arg(&valid)
        .output()
        .expect("run");
    assert!(optimize.status.success());
    assert_safe(&optimize.stdout, "optimize");
}

#[cfg(unix)]
#[test]
fn a_closed_pipe_ends_quietly() {
    let home = tempfile::tempdir().expect("temp");
    let work = tempfile::tempdir().expect("temp");
    // A long report: many workloads, so the reader closes the pipe long before the end.
    let mut plan = sample_plan().expect("sample");
    let first = plan.workloads[0].clone();
    for i in 0..3_000 {
        let mut copy = first.clone();
        copy.id = format!("copy-{i}");
        plan.workloads.push(copy);
    }
    let path = work.path().join("long.ron");
    save_plan(&path, &plan).expect("save");
    let mut child = Process::new(env!("CARGO_BIN_EXE_keyholder"))
        .env("KEYHOLDER_HOME", home.path())
        .arg("report")
        .arg(&path)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run");
    // `| head -1`: one line read, then the pipe is closed.
    let mut first_line = String::new();
    BufReader::new(child.stdout.take().expect("stdout"))
        .read_line(&mut first_line)
        .expect("read");
    let output = child.wait_with_output().expect("wait");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(stderr.is_empty(), "quiet: {stderr}");
    assert_eq!(output.status.code(), Some(141));
    // The default audience is internal: its first line says so.
    assert_eq!(first_line, "INTERNAL: NOT FOR THE CUSTOMER\n");
}

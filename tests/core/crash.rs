//! Crash safety of saving (PRODUCT.md section 5: "Saving is atomic"): a process that saves in
//! a loop is killed with SIGKILL at random moments, over and over; after every kill the file
//! loads and is exactly the old plan or the new one, never a mix, a stub or nothing.
//!
//! The saving process is this test binary itself, re-run with `KEYHOLDER_CRASH_TARGET` set
//! so that only `crash_child_saves_in_a_loop` runs (it returns at once without the variable).

#![cfg(unix)]

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use keyholder::model::{Plan, Workload};
use keyholder::storage::{load_plan, sample_plan, save_plan};

const TARGET_VAR: &str = "KEYHOLDER_CRASH_TARGET";
const KILLS: usize = 200;
/// The child prints this once its first save has completed.
const READY: &str = "keyholder-crash-child: first save done";

/// The sample with its workloads copied to `count`, each copy with a new id, so a save
/// writes a few hundred kilobytes and takes a moment.
fn big_plan(count: usize, note: &str) -> Plan {
    let mut plan = sample_plan().expect("sample plan");
    let originals: Vec<Workload> = plan.workloads.clone();
    plan.workloads = (0..count)
        .map(|i| {
            let mut w = originals[i % originals.len()].clone();
            w.id = format!("{}-{i}", w.id);
            w.name = format!("{} #{i}", w.name);
            w
        })
        .collect();
    note.clone_into(&mut plan.customer.notes);
    plan
}

fn plan_a() -> Plan {
    big_plan(300, "Plan A: before the review.")
}

/// Differs from A in content and length, so a torn or mixed file cannot pass for either.
fn plan_b() -> Plan {
    big_plan(330, "Plan B: after the review, with thirty more workloads.")
}

/// Not a real test on its own: without `KEYHOLDER_CRASH_TARGET` it returns at once. With it,
/// it saves B and A in turn into that file until it is killed.
#[test]
fn crash_child_saves_in_a_loop() {
    let Some(target) = std::env::var_os(TARGET_VAR) else {
        return;
    };
    let target = Path::new(&target);
    let plans = [plan_b(), plan_a()];
    let mut announced = false;
    for plan in plans.iter().cycle() {
        save_plan(target, plan).unwrap_or_else(|e| panic!("{e}"));
        if !announced {
            println!("{READY}");
            announced = true;
        }
    }
}

/// xorshift64: enough randomness for kill times, and no new dependency.
struct XorShift(u64);

impl XorShift {
    fn from_time() -> Self {
        // Seconds and nanoseconds of the clock, mixed; never zero.
        let seed = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0x9E37_79B9, |d| {
                d.as_secs().wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ u64::from(d.subsec_nanos())
            });
        Self(seed | 1)
    }

    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.0 = x;
        x
    }

    /// A whole number from `low` to `high`, both included.
    fn between(&mut self, low: u64, high: u64) -> u64 {
        low + self.next() % (high - low + 1)
    }
}

#[test]
fn killed_mid_save_leaves_the_old_or_the_new_plan() {
    let dir = tempfile::tempdir().expect("tempdir");
    let target = dir.path().join("Harlow & Finch.ron");
    let (a, b) = (plan_a(), plan_b());
    // The file exists before the first kill, whatever the child managed to do.
    save_plan(&target, &a).expect("first save");

    let exe = std::env::current_exe().expect("current_exe");
    let mut rng = XorShift::from_time();
    let seed = rng.0;
    let started = Instant::now();
    let (mut saw_a, mut saw_b) = (0, 0);

    for round in 1..=KILLS {
        let mut child = Command::new(&exe)
            .args([
                "--exact",
                "crash::crash_child_saves_in_a_loop",
                "--nocapture",
                "--include-ignored",
                "--test-threads=1",
            ])
            .env(TARGET_VAR, &target)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("spawn the saving child");

        // Wait until the child is in its loop, so the kill lands among saves rather than
        // during its start-up. (libtest prints `test NAME ... ` on the same line first.)
        let stdout = child.stdout.take().expect("stdout");
        let (ready_tx, ready_rx) = mpsc::channel();
        let reader = std::thread::spawn(move || {
            let ready = BufReader::new(stdout)
                .lines()
                .any(|line| line.is_ok_and(|l| l.ends_with(READY)));
            let _ = ready_tx.send(ready);
        });
        let ready = ready_rx.recv_timeout(Duration::from_secs(30));
        if ready != Ok(true) {
            let _ = child.kill();
            panic!(
                "round {round}: the child did not report a save ({ready:?}, status {:?})",
                child.wait()
            );
        }

        std::thread::sleep(Duration::from_millis(rng.between(1, 30)));
        child.kill().expect("SIGKILL the child");
        child.wait().expect("reap the child");
        reader.join().expect("stdout reader");

        let (loaded, _) = load_plan(&target).unwrap_or_else(|e| {
            panic!("round {round} (seed {seed}): the file does not load after a kill: {e}")
        });
        assert!(loaded.unknown_fields.is_empty());
        if loaded.plan == a {
            saw_a += 1;
        } else if loaded.plan == b {
            saw_b += 1;
        } else {
            panic!("round {round} (seed {seed}): the file is neither the old nor the new plan");
        }
    }

    let leftovers: Vec<String> = std::fs::read_dir(dir.path())
        .expect("read_dir")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .filter(|name| name != "Harlow & Finch.ron")
        .collect();
    eprintln!(
        "{KILLS} kills in {:.1?} (seed {seed}): plan A {saw_a} times, plan B {saw_b} times; \
         {} temporary file(s) left by killed saves",
        started.elapsed(),
        leftovers.len()
    );
    // Both plans were seen, so the kills really interrupted a stream of saves.
    assert!(saw_a > 0 && saw_b > 0, "A {saw_a} times, B {saw_b} times");
    // Whatever a kill leaves behind is one of Keyholder's temporary files (which sync clients
    // skip and the next open or save removes), never a second plan-looking file.
    for name in &leftovers {
        assert!(
            keyholder::storage::is_temporary_of("Harlow & Finch.ron", name),
            "unexpected file beside the plan: {name}"
        );
    }
}

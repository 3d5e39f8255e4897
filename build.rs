//! Records the commit Keyholder is built from as `KEYHOLDER_COMMIT` (for `--version` and the About
//! box). `KEYHOLDER_COMMIT` in the environment wins (a build from a source archive has no git);
//! without either the commit is `unknown`.

use std::path::{Path, PathBuf};
use std::process::Command;

fn main() {
    println!("cargo::rerun-if-env-changed=KEYHOLDER_COMMIT");
    let commit = std::env::var("KEYHOLDER_COMMIT")
        .ok()
        .filter(|commit| !commit.trim().is_empty())
        .or_else(git_commit)
        .unwrap_or_else(|| "unknown".to_owned());
    println!("cargo::rustc-env=KEYHOLDER_COMMIT={}", commit.trim());
}

/// The abbreviated id of `HEAD`, and rerun triggers on the files that change with it, so a new
/// commit or checkout rebuilds with the new id while an edit to a source file does not rerun this.
fn git_commit() -> Option<String> {
    let commit = git(&["rev-parse", "--short=12", "HEAD"])?;
    let git_dir = PathBuf::from(git(&["rev-parse", "--absolute-git-dir"])?);
    // In a worktree HEAD is in the worktree's folder but branches are in the common one.
    let common_dir = git(&["rev-parse", "--git-common-dir"]).map_or_else(
        || git_dir.clone(),
        |dir| absolute(Path::new(&dir), &git_dir),
    );
    rerun_if_changed(&git_dir.join("HEAD"));
    if let Some(branch) = git(&["symbolic-ref", "--quiet", "HEAD"]) {
        rerun_if_changed(&common_dir.join(branch));
    }
    // Branches can also live in packed-refs (after `git gc`); HEAD's log grows with every commit
    // and checkout whichever file holds the branch.
    rerun_if_changed(&common_dir.join("packed-refs"));
    rerun_if_changed(&git_dir.join("logs").join("HEAD"));
    Some(commit)
}

fn git(args: &[&str]) -> Option<String> {
    let output = Command::new("git").args(args).output().ok()?;
    if !output.status.success() {
        return None;
    }
    let text = String::from_utf8(output.stdout).ok()?;
    let text = text.trim();
    (!text.is_empty()).then(|| text.to_owned())
}

/// `git rev-parse --git-common-dir` is relative to the current folder when it is `.git` itself.
fn absolute(dir: &Path, git_dir: &Path) -> PathBuf {
    if dir.is_absolute() {
        dir.to_path_buf()
    } else {
        std::env::current_dir().map_or_else(|_| git_dir.to_path_buf(), |cwd| cwd.join(dir))
    }
}

fn rerun_if_changed(path: &Path) {
    // Cargo treats a missing file as always changed, so name only files that exist.
    if path.exists() {
        println!("cargo::rerun-if-changed={}", path.display());
    }
}

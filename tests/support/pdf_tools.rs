//! Reading PDFs back as a person would: `pdftotext` for the text of each page and `pdftoppm`
//! for pictures of the pages (Debian's `poppler-utils`, which `.ci/run` installs). Without
//! them the checks that need them are skipped with a message, except in CI, where a missing
//! tool is a failure (the checks must run somewhere).

#![allow(dead_code, reason = "each test module uses part of it")]

use std::path::{Path, PathBuf};
use std::process::Command;

/// The poppler tools, found.
pub struct Poppler {
    folder: tempfile::TempDir,
}

fn runs(tool: &str) -> bool {
    Command::new(tool)
        .arg("-v")
        .output()
        .is_ok_and(|o| o.status.success() || !o.stderr.is_empty())
}

/// The tools, or `None` (with a message) when they are not installed outside CI.
pub fn poppler() -> Option<Poppler> {
    if runs("pdftotext") && runs("pdftoppm") {
        return Some(Poppler {
            folder: tempfile::tempdir().expect("temp"),
        });
    }
    assert!(
        std::env::var_os("CI").is_none(),
        "CI must install poppler-utils (pdftotext, pdftoppm) to check the PDFs"
    );
    eprintln!(
        "skipped: the PDF's text and page pictures are not checked here; install poppler-utils (pdftotext, pdftoppm) to check them"
    );
    None
}

impl Poppler {
    fn write(&self, bytes: &[u8]) -> PathBuf {
        let path = self.folder.path().join("report.pdf");
        std::fs::write(&path, bytes).expect("write the PDF");
        path
    }
}

/// The text of each page, in reading order.
pub fn pdf_pages_text(tools: &Poppler, bytes: &[u8]) -> Vec<String> {
    let path = tools.write(bytes);
    let output = Command::new("pdftotext")
        .args(["-enc", "UTF-8"])
        .arg(&path)
        .arg("-")
        .output()
        .expect("pdftotext");
    assert!(
        output.status.success(),
        "pdftotext: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let text = String::from_utf8(output.stdout).expect("UTF-8 text");
    // Pages end with a form feed.
    let mut pages: Vec<String> = text.split('\u{c}').map(str::to_owned).collect();
    if pages.last().is_some_and(|p| p.trim().is_empty()) {
        pages.pop();
    }
    pages
}

/// Each page as a picture at `dpi`.
pub fn pdf_pages_png(tools: &Poppler, bytes: &[u8], dpi: u32) -> Vec<image::RgbaImage> {
    let path = tools.write(bytes);
    let prefix = tools.folder.path().join("page");
    let status = Command::new("pdftoppm")
        .args(["-png", "-r", &dpi.to_string()])
        .arg(&path)
        .arg(&prefix)
        .status()
        .expect("pdftoppm");
    assert!(status.success(), "pdftoppm failed");
    let mut pages: Vec<PathBuf> = std::fs::read_dir(tools.folder.path())
        .expect("pages")
        .map(|e| e.expect("entry").path())
        .filter(|p| {
            let is_png = p.extension().is_some_and(|e| e.eq_ignore_ascii_case("png"));
            is_png
                && p.file_name()
                    .and_then(|n| n.to_str())
                    .is_some_and(|n| n.starts_with("page"))
        })
        .collect();
    // page-1.png … page-10.png: sort by the number.
    pages.sort_by_key(|p| page_number(p));
    let images = pages
        .iter()
        .map(|p| image::open(p).expect("a page picture").to_rgba8())
        .collect();
    for page in &pages {
        let _ = std::fs::remove_file(page);
    }
    images
}

fn page_number(path: &Path) -> u32 {
    path.file_stem()
        .and_then(|s| s.to_str())
        .and_then(|s| s.rsplit('-').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or(0)
}

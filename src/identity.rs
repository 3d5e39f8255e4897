//! Who Keyholder is, in one place: the app id, name, version and commit, the price books it
//! ships, and its icon. The CLI's `--version`, the window, the About box and the packages
//! (`[package.metadata.deb]` and `[package.metadata.packager]` in Cargo.toml, the `.desktop`
//! entry and the MIME type under `assets/linux/`) all use these; `tests/core/identity.rs` checks
//! that the packaging files agree with them.

use std::fmt::Write as _;
use std::sync::OnceLock;

use crate::storage::{BUILTIN_PRICE_BOOKS, builtin_price_book};

/// Reverse-DNS id: the `.desktop` entry's name (`com.keyholder.Keyholder.desktop`), the icon's
/// name in the icon theme, the Wayland app id and X11 `WM_CLASS`, the macOS bundle identifier.
pub const APP_ID: &str = "com.keyholder.Keyholder";

/// The name people see: window title, menus, packages.
pub const NAME: &str = "Keyholder";

/// The executable and package name, from Cargo.toml.
pub const BINARY: &str = env!("CARGO_PKG_NAME");

/// The version from Cargo.toml, e.g. `0.1.0`.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// The abbreviated commit the binary was built from (`build.rs`), or `unknown` outside git.
pub const COMMIT: &str = env!("KEYHOLDER_COMMIT");

/// `0.1.0 (commit 9ff6ca2d1e3f)`: the short `-V` answer and the About box's version line.
pub const VERSION_AND_COMMIT: &str = concat!(
    env!("CARGO_PKG_VERSION"),
    " (commit ",
    env!("KEYHOLDER_COMMIT"),
    ")"
);

/// One line on what Keyholder does, from Cargo.toml.
pub const DESCRIPTION: &str = env!("CARGO_PKG_DESCRIPTION");

/// The licence expression from Cargo.toml.
pub const LICENSE: &str = env!("CARGO_PKG_LICENSE");

/// The MIME type of a plan file, declared by `assets/linux/com.keyholder.Keyholder.xml`.
pub const PLAN_MIME_TYPE: &str = "application/x-keyholder-plan";

/// The file name extension of a plan, without the dot.
pub const PLAN_EXTENSION: &str = "ron";

/// The icon's SVG source (`assets/icon/keyholder.svg`).
pub const ICON_SVG: &str = include_str!("../assets/icon/keyholder.svg");

/// The icon as a 256 x 256 PNG: the window icon.
pub const ICON_PNG_256: &[u8] = include_bytes!("../assets/icon/keyholder-256.png");

/// The icon as a 64 x 64 PNG: drawn at its own size in the About box (no scaling blur).
pub const ICON_PNG_64: &[u8] = include_bytes!("../assets/icon/keyholder-64.png");

/// A decoded icon: unmultiplied RGBA, 4 bytes a pixel, rows top to bottom.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IconRgba {
    pub width: u32,
    pub height: u32,
    pub rgba: Vec<u8>,
}

/// Decodes one of the icon PNGs above.
///
/// # Errors
/// When the bytes are not a PNG (a build defect that the tests rule out).
pub fn decode_icon(png: &[u8]) -> Result<IconRgba, String> {
    let image = image::load_from_memory_with_format(png, image::ImageFormat::Png)
        .map_err(|e| format!("the icon could not be decoded: {e}"))?
        .into_rgba8();
    Ok(IconRgba {
        width: image.width(),
        height: image.height(),
        rgba: image.into_raw(),
    })
}

/// The 256 x 256 icon for `egui::ViewportBuilder::with_icon`.
///
/// # Errors
/// When the embedded PNG does not decode (ruled out by the tests).
pub fn window_icon() -> Result<egui::IconData, String> {
    let icon = decode_icon(ICON_PNG_256)?;
    Ok(egui::IconData {
        rgba: icon.rgba,
        width: icon.width,
        height: icon.height,
    })
}

/// A price book that ships inside the binary.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BuiltinBook {
    /// e.g. `microsoft-2010.ron` (its file in `assets/price-books/`).
    pub file_name: &'static str,
    /// e.g. `Microsoft cloud at launch (2010)`.
    pub name: String,
    /// When its prices were current, e.g. `2010-02`.
    pub as_of: String,
}

/// Every built-in price book's name and date, in the order they ship.
///
/// # Errors
/// When an embedded book does not parse (a build defect that the tests rule out).
pub fn price_books() -> Result<Vec<BuiltinBook>, String> {
    BUILTIN_PRICE_BOOKS
        .iter()
        .map(|(file_name, _)| {
            builtin_price_book(file_name).map(|book| BuiltinBook {
                file_name,
                name: book.name,
                as_of: book.as_of,
            })
        })
        .collect()
}

/// The `--version` text after the program name: version, commit and one line per built-in
/// price book with its date. Computed once (it parses the books) and kept for clap.
pub fn long_version() -> &'static str {
    static TEXT: OnceLock<String> = OnceLock::new();
    TEXT.get_or_init(|| {
        let mut text = format!("{VERSION}\ncommit: {COMMIT}");
        match price_books() {
            Ok(books) => {
                for book in books {
                    // Writing to a String cannot fail.
                    let _ = write!(
                        text,
                        "\nprice book: {}, as of {} ({})",
                        book.name, book.as_of, book.file_name
                    );
                }
            }
            Err(message) => {
                let _ = write!(text, "\nprice books: {message}");
            }
        }
        text
    })
}

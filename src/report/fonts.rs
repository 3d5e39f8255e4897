//! The one typeface of every drawn report (PDF pages, chart PNGs): `DejaVu Sans`, regular and
//! bold, shipped inside the binary. A report then looks the same on every laptop, whatever
//! fonts it has, and text widths can be measured exactly, so labels and table cells are
//! placed without overlapping or being cut (see `assets/fonts/LICENSE-DejaVu.txt`).

use std::sync::{Arc, OnceLock};

use resvg::usvg::fontdb;
use skrifa::instance::{LocationRef, Size};
use skrifa::{FontRef, MetadataProvider};

pub(super) const REGULAR: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans.ttf");
pub(super) const BOLD: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans-Bold.ttf");

/// The family name inside both files.
pub(super) const FAMILY: &str = "DejaVu Sans";

/// The SVG charts' font list: `DejaVu Sans` where it is (always for the PDF and the PNG),
/// Verdana (the same widths) or the system's sans-serif in a browser.
pub(super) const SVG_FONT_FAMILY: &str =
    "'DejaVu Sans', Verdana, 'Segoe UI', system-ui, -apple-system, Roboto, Arial, sans-serif";

/// The fonts for reading the charts' SVG (usvg): the two shipped faces, also standing in
/// for every generic family, and nothing from the system.
pub(super) fn database() -> Arc<fontdb::Database> {
    static DATABASE: OnceLock<Arc<fontdb::Database>> = OnceLock::new();
    Arc::clone(DATABASE.get_or_init(|| {
        let mut db = fontdb::Database::new();
        db.load_font_data(REGULAR.to_vec());
        db.load_font_data(BOLD.to_vec());
        db.set_sans_serif_family(FAMILY);
        db.set_serif_family(FAMILY);
        db.set_monospace_family(FAMILY);
        db.set_cursive_family(FAMILY);
        db.set_fantasy_family(FAMILY);
        Arc::new(db)
    }))
}

/// The width of `text` set in the shipped face at `size` (pixels or points: the unit of
/// `size`). Characters the face lacks count as the width of an average one.
pub(super) fn text_width(text: &str, size: f32, bold: bool) -> f32 {
    let Ok(font) = FontRef::new(if bold { BOLD } else { REGULAR }) else {
        return fallback_width(text, size);
    };
    let charmap = font.charmap();
    let metrics = font.glyph_metrics(Size::new(size), LocationRef::default());
    text.chars()
        .map(|c| {
            charmap
                .map(c)
                .and_then(|glyph| metrics.advance_width(glyph))
                .unwrap_or(size * 0.6)
        })
        .sum()
}

#[expect(
    clippy::cast_precision_loss,
    reason = "character counts far below 2^24"
)]
fn fallback_width(text: &str, size: f32) -> f32 {
    text.chars().count() as f32 * size * 0.6
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn widths_come_from_the_face() {
        // DejaVu Sans: "0" advances 1303 of 2048 units, so ten zeros at 12 px are
        // 10 × 12 × 1303 / 2048 = 76.35 px.
        let zeros = text_width("0000000000", 12.0, false);
        assert!((zeros - 76.35).abs() < 0.05, "{zeros}");
        assert!(text_width("Status quo", 12.0, true) > text_width("Status quo", 12.0, false));
        assert!(text_width("", 12.0, false).abs() < f32::EPSILON);
    }

    #[test]
    fn the_database_has_both_faces() {
        let db = database();
        assert_eq!(db.len(), 2);
        assert!(
            db.faces()
                .all(|f| f.families.iter().any(|(name, _)| name == FAMILY))
        );
    }
}

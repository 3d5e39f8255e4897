//! File ▸ Export ▸ Chart…: the chart on screen as a PNG. The window's next frame is captured
//! (once the menu or dialog that asked is gone) and the chart's part of it written.

use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, channel};

use super::{DialogKind, KeyholderApp, Tab};

/// A chart export on its way: waiting for the next frame, then for the screenshot.
#[derive(Default)]
pub(super) struct ChartExport {
    pending: Option<PathBuf>,
    receiver: Option<Receiver<Result<PathBuf, String>>>,
}

impl KeyholderApp {
    /// Asks where to save the chart on screen (the trade-off chart when none is shown).
    pub(super) fn export_chart(&mut self, ctx: &egui::Context) {
        if !matches!(self.state.tab, Tab::TradeOff | Tab::CashFlow) {
            self.state.tab = Tab::TradeOff;
            self.state.status = Some(
                "Showing the trade-off chart: choose File > Export > Chart… again to save it."
                    .to_owned(),
            );
            return;
        }
        let kind = if self.state.tab == Tab::CashFlow {
            "cash-flow"
        } else {
            "trade-off"
        };
        let name = format!("{}-{kind}.png", self.stem());
        if let Some(path) = self.ask(DialogKind::ExportChart, &name) {
            self.request_chart_screenshot(ctx, path);
        }
    }

    /// Captures the window in the next frame, once the menu or dialog is gone.
    pub(super) fn request_chart_screenshot(&mut self, ctx: &egui::Context, path: PathBuf) {
        self.chart_export.pending = Some(path);
        ctx.request_repaint();
    }

    /// Takes a screenshot asked for last frame, and reports one that has been written.
    pub(super) fn chart_export_step(&mut self, ctx: &egui::Context) {
        if let Some(path) = self.chart_export.pending.take() {
            match self.views.charts.chart_rect {
                Some(rect) => {
                    let pixels_per_point = ctx.pixels_per_point();
                    let (sender, receiver) = channel();
                    self.chart_export.receiver = Some(receiver);
                    let repaint = ctx.clone();
                    ctx.request_screenshot(move |image| {
                        let _ = sender.send(save_chart_png(&image, rect, pixels_per_point, &path));
                        repaint.request_repaint();
                    });
                }
                None => {
                    self.state.status =
                        Some("Open the trade-off or cash-flow chart first.".to_owned());
                }
            }
        }
        let Some(result) = self
            .chart_export
            .receiver
            .as_ref()
            .and_then(|r| r.try_recv().ok())
        else {
            return;
        };
        self.chart_export.receiver = None;
        match result {
            Ok(path) => self.state.status = Some(format!("Chart saved to {}.", path.display())),
            Err(message) => self.show_error("The chart was not saved", message),
        }
    }
}

/// Crops a window screenshot to the chart's rectangle and writes it as a PNG file.
///
/// # Errors
/// A message when the chart lies outside the image or the file cannot be written.
pub fn save_chart_png(
    image: &egui::ColorImage,
    rect: egui::Rect,
    pixels_per_point: f32,
    path: &Path,
) -> Result<PathBuf, String> {
    let [width, height] = image.size;
    #[expect(
        clippy::cast_possible_truncation,
        clippy::cast_sign_loss,
        reason = "pixel coordinates"
    )]
    let to_pixels =
        |v: f32, limit: usize| ((v * pixels_per_point).round().max(0.0) as usize).min(limit);
    let (x0, y0) = (to_pixels(rect.min.x, width), to_pixels(rect.min.y, height));
    let (x1, y1) = (to_pixels(rect.max.x, width), to_pixels(rect.max.y, height));
    if x1 <= x0 || y1 <= y0 {
        return Err("the chart is not on screen".to_owned());
    }
    let chart = image.region_by_pixels([x0, y0], [x1 - x0, y1 - y0]);
    let bytes = encode_png(&chart)?;
    crate::storage::write_atomically(path, &bytes).map_err(|e| e.to_string())?;
    Ok(path.to_path_buf())
}

/// PNG bytes of an image.
///
/// # Errors
/// When the encoder fails (it does not for valid images).
pub fn encode_png(image: &egui::ColorImage) -> Result<Vec<u8>, String> {
    let [width, height] = image.size;
    let pixels: Vec<u8> = image
        .pixels
        .iter()
        .flat_map(egui::Color32::to_array)
        .collect();
    let mut bytes = Vec::new();
    image::ImageEncoder::write_image(
        image::codecs::png::PngEncoder::new(&mut bytes),
        &pixels,
        u32::try_from(width).map_err(|e| e.to_string())?,
        u32::try_from(height).map_err(|e| e.to_string())?,
        image::ExtendedColorType::Rgba8,
    )
    .map_err(|e| e.to_string())?;
    Ok(bytes)
}

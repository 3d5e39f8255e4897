//! Everything the user can ask of the app from a menu, a button or a shortcut, as one enum;
//! each knows its label, tooltip and shortcut. Views push them as [`super::Action::Command`].

use egui::{Key, KeyboardShortcut, Modifiers};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Command {
    NewPlan,
    Open,
    Save,
    SaveAs,
    ImportInventory,
    ExportReport,
    ExportReportPdf,
    ExportChart,
    CopyChart,
    Quit,
    Undo,
    Redo,
    AddWorkload,
    DuplicateWorkload,
    DeleteWorkload,
    ToggleTheme,
    ShowShortcuts,
    ShowAbout,
    ShowPreferences,
    CompareWith,
    ExportWorkloadsCsv,
    ImportWorkloadsCsv,
    ExportPriceBook,
    ImportPriceBook,
    RestoreVersion,
    OpenPortfolio,
}

impl Command {
    /// Commands with a keyboard shortcut, in the order the shortcuts window lists them.
    pub const ALL: [Self; 26] = [
        Self::NewPlan,
        Self::Open,
        Self::Save,
        Self::SaveAs,
        Self::ImportInventory,
        Self::ExportReport,
        Self::ExportReportPdf,
        Self::ExportChart,
        Self::CopyChart,
        Self::Quit,
        Self::Undo,
        Self::Redo,
        Self::AddWorkload,
        Self::DuplicateWorkload,
        Self::DeleteWorkload,
        Self::ToggleTheme,
        Self::ShowShortcuts,
        Self::ShowAbout,
        Self::ShowPreferences,
        Self::CompareWith,
        Self::ExportWorkloadsCsv,
        Self::ImportWorkloadsCsv,
        Self::ExportPriceBook,
        Self::ImportPriceBook,
        Self::RestoreVersion,
        Self::OpenPortfolio,
    ];

    /// Menu text; "…" marks commands that open a dialog.
    #[must_use]
    pub const fn label(self) -> &'static str {
        match self {
            Self::NewPlan => "New plan",
            Self::Open => "Open…",
            Self::Save => "Save",
            Self::SaveAs => "Save as…",
            Self::ImportInventory => "Import inventory…",
            Self::ExportReport => "Report…",
            Self::ExportReportPdf => "Report as PDF…",
            Self::ExportChart => "Chart…",
            Self::CopyChart => "Copy chart",
            Self::Quit => "Quit",
            Self::Undo => "Undo",
            Self::Redo => "Redo",
            Self::AddWorkload => "Add workload",
            Self::DuplicateWorkload => "Duplicate workload",
            Self::DeleteWorkload => "Delete workload",
            Self::ToggleTheme => "Switch light/dark theme",
            Self::ShowShortcuts => "Keyboard shortcuts",
            Self::ShowAbout => "About Keyholder",
            Self::ShowPreferences => "Preferences…",
            Self::CompareWith => "Compare with…",
            Self::ExportWorkloadsCsv => "Workloads as CSV…",
            Self::ImportWorkloadsCsv => "Update workloads from CSV…",
            Self::ExportPriceBook => "Price book…",
            Self::ImportPriceBook => "Load price book…",
            Self::RestoreVersion => "Restore previous version…",
            Self::OpenPortfolio => "Open portfolio folder…",
        }
    }

    #[must_use]
    pub const fn tooltip(self) -> &'static str {
        match self {
            Self::NewPlan => "Start a plan for a new customer with the 2010 price book",
            Self::Open => "Open a plan file (.ron)",
            Self::Save => "Save the plan to its file",
            Self::SaveAs => "Save the plan under a new name",
            Self::ImportInventory => "Create a plan from an Azure Migrate import CSV",
            Self::ExportReport => {
                "Write the report for the customer (or, internal, for your team) as an HTML page, Markdown or PDF"
            }
            Self::ExportReportPdf => {
                "Write the report as a PDF, for the customer (or, internal, for your team)"
            }
            Self::ExportChart => {
                "Save the chart on screen for a slide (PNG or SVG, 1920 × 1080 or a size you choose, on a light background)"
            }
            Self::CopyChart => "Copy the chart on screen to the clipboard as a picture for a slide",
            Self::Quit => "Close Keyholder",
            Self::Undo => "Undo the last change to the plan",
            Self::Redo => "Redo the change you undid",
            Self::AddWorkload => "Add a workload to the plan",
            Self::DuplicateWorkload => "Copy the selected workload",
            Self::DeleteWorkload => "Delete the selected workload and its scenario choices",
            Self::ToggleTheme => "Switch between the light and dark theme",
            Self::ShowShortcuts => "List the keyboard shortcuts",
            Self::ShowAbout => "Version, and the sources of the price book",
            Self::ShowPreferences => "Your name for plan history, and the theme",
            Self::CompareWith => {
                "See what a colleague changed in their copy of this plan, and take their changes"
            }
            Self::ExportWorkloadsCsv => "The workloads as a CSV file that opens in Excel",
            Self::ImportWorkloadsCsv => {
                "Update workloads by id from a CSV file (e.g. one edited in Excel)"
            }
            Self::ExportPriceBook => "Save this plan's price book as its own file",
            Self::ImportPriceBook => {
                "Use a colleague's price book in this plan, after seeing which rates change"
            }
            Self::RestoreVersion => {
                "The versions of this plan Keyholder kept: each one a save replaced, and yours from before a reload"
            }
            Self::OpenPortfolio => {
                "Every customer's plan in a folder (and the folders below it) in one view, kept up to date as colleagues save"
            }
        }
    }

    /// The main shortcut (Ctrl on Windows and Linux, Cmd on macOS).
    #[must_use]
    pub const fn shortcut(self) -> Option<KeyboardShortcut> {
        let cmd = Modifiers::COMMAND;
        let cmd_shift = Modifiers::COMMAND.plus(Modifiers::SHIFT);
        match self {
            Self::NewPlan => Some(KeyboardShortcut::new(cmd, Key::N)),
            Self::Open => Some(KeyboardShortcut::new(cmd, Key::O)),
            Self::Save => Some(KeyboardShortcut::new(cmd, Key::S)),
            Self::SaveAs => Some(KeyboardShortcut::new(cmd_shift, Key::S)),
            Self::Quit => Some(KeyboardShortcut::new(cmd, Key::Q)),
            Self::Undo => Some(KeyboardShortcut::new(cmd, Key::Z)),
            Self::Redo => Some(KeyboardShortcut::new(cmd_shift, Key::Z)),
            Self::AddWorkload => Some(KeyboardShortcut::new(cmd_shift, Key::N)),
            Self::DuplicateWorkload => Some(KeyboardShortcut::new(cmd, Key::D)),
            Self::ImportInventory => Some(KeyboardShortcut::new(cmd, Key::I)),
            Self::ShowShortcuts => Some(KeyboardShortcut::new(Modifiers::NONE, Key::F1)),
            _ => None,
        }
    }

    /// Other shortcuts for the same command (Ctrl+Y for redo).
    #[must_use]
    pub const fn alternative_shortcut(self) -> Option<KeyboardShortcut> {
        match self {
            Self::Redo => Some(KeyboardShortcut::new(Modifiers::COMMAND, Key::Y)),
            _ => None,
        }
    }

    /// Whether the shortcut should fire while a text field has the keyboard: undo and redo
    /// belong to the field then, and so do Ctrl+D/Ctrl+I.
    #[must_use]
    pub const fn works_while_typing(self) -> bool {
        !matches!(
            self,
            Self::Undo | Self::Redo | Self::DuplicateWorkload | Self::DeleteWorkload
        )
    }
}

//! What a workload is (email, CRM, a file server, …). The price book says which
//! destinations host which categories; a workload has one.

use std::fmt;

use serde::{Deserialize, Serialize};

/// Text as compared when a person may have typed a key or a label: lower case, every run of
/// spaces and punctuation as one `_` (`"Directory / identity"` → `directory_identity`).
pub(crate) fn loose_key(text: &str) -> String {
    text.trim()
        .to_lowercase()
        .split(|c: char| !c.is_alphanumeric())
        .filter(|part| !part.is_empty())
        .collect::<Vec<_>>()
        .join("_")
}

/// What a workload is; the price book says which destinations host which categories.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Category {
    Email,
    /// File sharing, intranet.
    Collaboration,
    /// Instant messaging and presence.
    UnifiedCommunications,
    WebConferencing,
    Crm,
    Database,
    WebApplication,
    LineOfBusiness,
    FileServer,
    Directory,
    Backup,
    Other,
}

impl Category {
    pub const ALL: [Self; 12] = [
        Self::Email,
        Self::Collaboration,
        Self::UnifiedCommunications,
        Self::WebConferencing,
        Self::Crm,
        Self::Database,
        Self::WebApplication,
        Self::LineOfBusiness,
        Self::FileServer,
        Self::Directory,
        Self::Backup,
        Self::Other,
    ];

    #[must_use]
    pub const fn key(self) -> &'static str {
        match self {
            Self::Email => "email",
            Self::Collaboration => "collaboration",
            Self::UnifiedCommunications => "unified_communications",
            Self::WebConferencing => "web_conferencing",
            Self::Crm => "crm",
            Self::Database => "database",
            Self::WebApplication => "web_application",
            Self::LineOfBusiness => "line_of_business",
            Self::FileServer => "file_server",
            Self::Directory => "directory",
            Self::Backup => "backup",
            Self::Other => "other",
        }
    }

    #[must_use]
    pub const fn label(self) -> &'static str {
        match self {
            Self::Email => "Email",
            Self::Collaboration => "Collaboration",
            Self::UnifiedCommunications => "Unified communications",
            Self::WebConferencing => "Web conferencing",
            Self::Crm => "CRM",
            Self::Database => "Database",
            Self::WebApplication => "Web application",
            Self::LineOfBusiness => "Line-of-business application",
            Self::FileServer => "File server",
            Self::Directory => "Directory / identity",
            Self::Backup => "Backup / archive",
            Self::Other => "Other",
        }
    }
}

impl Category {
    /// Parses the file spelling (`line_of_business`) or the label (`Line-of-business
    /// application`), ignoring case, spaces and punctuation.
    #[must_use]
    pub fn parse(text: &str) -> Option<Self> {
        let wanted = loose_key(text);
        Self::ALL
            .into_iter()
            .find(|c| c.key() == wanted || loose_key(c.label()) == wanted)
    }
}

impl fmt::Display for Category {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

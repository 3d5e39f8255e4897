//! The five places a workload can run, and a small "one value per destination" table.

use serde::{Deserialize, Serialize};

/// Where a workload runs. The 7R migration vocabulary is in brackets in the labels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Destination {
    OnPremises,
    MspHosted,
    AzureIaas,
    AzurePaas,
    Bpos,
}

impl Destination {
    pub const ALL: [Self; 5] = [
        Self::OnPremises,
        Self::MspHosted,
        Self::AzureIaas,
        Self::AzurePaas,
        Self::Bpos,
    ];

    /// The spelling used in files, JSON output and on the command line.
    #[must_use]
    pub const fn key(self) -> &'static str {
        match self {
            Self::OnPremises => "on_premises",
            Self::MspHosted => "msp_hosted",
            Self::AzureIaas => "azure_iaas",
            Self::AzurePaas => "azure_paas",
            Self::Bpos => "bpos",
        }
    }

    /// A short label for tables and charts.
    #[must_use]
    pub const fn label(self) -> &'static str {
        match self {
            Self::OnPremises => "On-premises",
            Self::MspHosted => "MSP-hosted",
            Self::AzureIaas => "Azure IaaS",
            Self::AzurePaas => "Azure PaaS",
            Self::Bpos => "BPOS",
        }
    }

    /// The 7R migration strategy the destination stands for.
    #[must_use]
    pub const fn strategy(self) -> &'static str {
        match self {
            Self::OnPremises => "retain",
            Self::MspHosted => "relocate",
            Self::AzureIaas => "rehost",
            Self::AzurePaas => "replatform",
            Self::Bpos => "repurchase",
        }
    }

    #[must_use]
    pub const fn index(self) -> usize {
        self as usize
    }

    /// Parses the file spelling (`azure_iaas`) or the label (`Azure IaaS`), ignoring case.
    #[must_use]
    pub fn parse(text: &str) -> Option<Self> {
        let wanted = text.trim().to_ascii_lowercase().replace(['-', ' '], "_");
        Self::ALL.into_iter().find(|d| {
            d.key() == wanted || d.label().to_ascii_lowercase().replace(['-', ' '], "_") == wanted
        })
    }
}

impl std::fmt::Display for Destination {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.label())
    }
}

/// One value for each destination, written in files as a struct with five named fields.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PerDestination<T> {
    pub on_premises: T,
    pub msp_hosted: T,
    pub azure_iaas: T,
    pub azure_paas: T,
    pub bpos: T,
}

impl<T> PerDestination<T> {
    pub fn from_fn(mut f: impl FnMut(Destination) -> T) -> Self {
        Self {
            on_premises: f(Destination::OnPremises),
            msp_hosted: f(Destination::MspHosted),
            azure_iaas: f(Destination::AzureIaas),
            azure_paas: f(Destination::AzurePaas),
            bpos: f(Destination::Bpos),
        }
    }

    #[must_use]
    pub const fn get(&self, destination: Destination) -> &T {
        match destination {
            Destination::OnPremises => &self.on_premises,
            Destination::MspHosted => &self.msp_hosted,
            Destination::AzureIaas => &self.azure_iaas,
            Destination::AzurePaas => &self.azure_paas,
            Destination::Bpos => &self.bpos,
        }
    }

    pub const fn get_mut(&mut self, destination: Destination) -> &mut T {
        match destination {
            Destination::OnPremises => &mut self.on_premises,
            Destination::MspHosted => &mut self.msp_hosted,
            Destination::AzureIaas => &mut self.azure_iaas,
            Destination::AzurePaas => &mut self.azure_paas,
            Destination::Bpos => &mut self.bpos,
        }
    }

    /// `(destination, value)` pairs in the order of [`Destination::ALL`].
    pub fn iter(&self) -> impl Iterator<Item = (Destination, &T)> {
        Destination::ALL.into_iter().map(|d| (d, self.get(d)))
    }
}

//! The command line (PRODUCT.md section 6). Exit status: 0 success, 1 bad input or a failed
//! check, 2 usage error. Results go to stdout, errors to stderr.

mod commands;
pub mod output;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

#[derive(Debug, Parser)]
#[command(
    name = "keyholder",
    version = crate::identity::VERSION_AND_COMMIT,
    long_version = crate::identity::long_version(),
    about = "Account plans for MSPs: what moving a customer's workloads to Microsoft's cloud saves, and how much control it costs.",
    args_conflicts_with_subcommands = true
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
    /// A plan to open in the app, or a folder of plans to open as the portfolio.
    pub plan: Option<PathBuf>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Validate plan files: `PLAN: ok (N workloads, M scenarios)` or `PLAN:LINE:COL: message`.
    Check {
        #[arg(required = true, value_name = "PLAN")]
        plans: Vec<PathBuf>,
    },
    /// Scenario totals and per-workload figures, for the customer or for the MSP.
    Report {
        plan: PathBuf,
        /// Only this scenario, with each workload's choice in it.
        #[arg(long, value_name = "NAME")]
        scenario: Option<String>,
        #[arg(long, value_enum, default_value_t = PlanReportFormat::Text)]
        format: PlanReportFormat,
        /// customer: no MSP margin, partner fees or terms, internal ids or MSP labour cost
        /// (the default for html, markdown and pdf); internal: everything, marked Internal
        /// on every page (the default for text, csv and json).
        #[arg(long, value_enum)]
        audience: Option<Audience>,
        /// The PDF's paper (default: from the locale, Letter in North America, else A4).
        #[arg(long, value_enum)]
        paper: Option<PaperArg>,
        /// Write the report to this file instead of standard output (required for pdf on a
        /// terminal).
        #[arg(short = 'o', long = "output", value_name = "FILE")]
        output: Option<PathBuf>,
    },
    /// A chart for a slide, as PNG or SVG (by the file's extension): a title, the customer,
    /// the price book's date and the legend inside, on a light background.
    Chart {
        plan: PathBuf,
        #[arg(long, value_enum, default_value_t = ChartArg::TradeOff)]
        chart: ChartArg,
        /// `WIDTHxHEIGHT` in pixels.
        #[arg(long, value_name = "WxH", default_value = "1920x1080")]
        size: String,
        /// The file to write: .png or .svg.
        #[arg(short = 'o', long = "output", value_name = "FILE")]
        output: PathBuf,
    },
    /// The cheapest plan with enough control, or the most control within a budget.
    #[command(group(clap::ArgGroup::new("question").args(["min_control", "max_cost"])))]
    Optimize {
        plan: PathBuf,
        /// Cheapest plan whose control score is at least N (0–100).
        #[arg(long, value_name = "N", required_unless_present_any = ["max_cost", "frontier"], conflicts_with = "max_cost")]
        min_control: Option<String>,
        /// Most control whose cost (in the plan's currency, per the metric) is at most AMOUNT.
        #[arg(long, value_name = "AMOUNT")]
        max_cost: Option<String>,
        #[arg(long, value_enum, default_value_t = Metric::Tco)]
        metric: Metric,
        /// Also list every point of the trade-off frontier.
        #[arg(long)]
        frontier: bool,
        /// Add the answer to the plan as a scenario with this name and save the file.
        #[arg(long, value_name = "NAME", requires = "question")]
        save_as: Option<String>,
        #[arg(long, value_enum, default_value_t = OutputFormat::Text)]
        format: OutputFormat,
    },
    /// What changed between two plans (workloads matched by id, scenarios by name).
    Diff {
        old: PathBuf,
        new: PathBuf,
        #[arg(long, value_enum, default_value_t = OutputFormat::Text)]
        format: OutputFormat,
        /// Exit with status 1 when the plans differ (like `diff`).
        #[arg(long)]
        exit_code: bool,
    },
    /// Merge a colleague's copy of a plan into yours, three-way, against the version you both
    /// started from. Conflicts are listed as `field: base -> mine | theirs`; the exit status
    /// is 1 while any is left unresolved (OUT then holds mine for it).
    Merge {
        /// The version both copies started from.
        base: PathBuf,
        /// Your copy.
        mine: PathBuf,
        /// Their copy.
        theirs: PathBuf,
        /// The merged plan to write (it may be MINE; a replaced file is kept as a backup).
        #[arg(short = 'o', long = "output", value_name = "OUT")]
        output: PathBuf,
        /// Resolve every conflict with this side's value.
        #[arg(long, value_enum)]
        prefer: Option<PreferSide>,
        #[arg(long, value_enum, default_value_t = OutputFormat::Text)]
        format: OutputFormat,
    },
    /// The git merge driver: `keyholder merge-driver %O %A %B %P` (see the README), merges
    /// plans by workload instead of by line and writes the result over %A.
    MergeDriver {
        /// The common ancestor (git's %O).
        ancestor: PathBuf,
        /// Our version, where the result is written (git's %A).
        current: PathBuf,
        /// Their version (git's %B).
        other: PathBuf,
        /// The file's path in the repository (git's %P), for messages.
        path_name: Option<String>,
        /// Resolve every conflict with this side's value instead of leaving it to you.
        #[arg(long, value_enum)]
        prefer: Option<PreferSide>,
    },
    /// Every customer's plan under a folder in one view: figures per customer, totals for
    /// the book and per account manager, the project load by calendar quarter.
    Portfolio {
        /// The folder of plans (searched recursively; files are only read).
        folder: PathBuf,
        #[arg(long, value_enum, default_value_t = ReportFormat::Text)]
        format: ReportFormat,
        /// "This month" for each customer's next move, YYYY-MM (default: this month).
        #[arg(long, value_name = "YYYY-MM")]
        as_of: Option<String>,
    },
    /// Create a plan from an Azure Migrate import CSV.
    Import {
        inventory: PathBuf,
        /// The plan file to create (never overwritten).
        #[arg(short = 'o', long = "output", value_name = "PLAN")]
        output: PathBuf,
        #[arg(long, value_name = "NAME")]
        customer: Option<String>,
        /// The plan's first month, YYYY-MM (default: this month).
        #[arg(long, value_name = "YYYY-MM")]
        start_month: Option<String>,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ReportFormat {
    Text,
    Markdown,
    Html,
    Csv,
    Json,
}

/// A plan report's formats: those of every report, and a PDF.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum PlanReportFormat {
    Text,
    Markdown,
    Html,
    Csv,
    Json,
    Pdf,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Audience {
    /// Safe to hand to the customer.
    Customer,
    /// Everything, for the MSP's own people.
    Internal,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum PaperArg {
    A4,
    Letter,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ChartArg {
    /// Control kept against TCO, with the frontier.
    TradeOff,
    /// Cumulative cost by month.
    CashFlow,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OutputFormat {
    Text,
    Json,
}

/// Which copy a conflict takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum PreferSide {
    Mine,
    Theirs,
}

impl From<PreferSide> for crate::model::Side {
    fn from(side: PreferSide) -> Self {
        match side {
            PreferSide::Mine => Self::Mine,
            PreferSide::Theirs => Self::Theirs,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Metric {
    /// Total cost of ownership over the horizon.
    Tco,
    /// Monthly cost after all moves.
    RunRate,
}

/// Bad input: the lines are printed to stderr (each made safe for a terminal, see
/// [`output`]) and the exit status is 1.
#[derive(Debug)]
pub struct Failure(pub Vec<String>);

impl Failure {
    /// One message (whatever it holds, it is shown as one line).
    pub fn new(message: impl Into<String>) -> Self {
        Self(vec![message.into()])
    }
}

impl<T: std::fmt::Display> From<T> for Failure {
    fn from(error: T) -> Self {
        Self::new(error.to_string())
    }
}

/// Runs a parsed command line. `None` means "open the app", which the binary handles.
#[must_use]
pub fn run(command: Command) -> ExitCode {
    let result = match command {
        Command::Check { plans } => commands::check(&plans),
        Command::Report {
            plan,
            scenario,
            format,
            audience,
            paper,
            output,
        } => commands::report(&commands::ReportArgs {
            plan: &plan,
            scenario: scenario.as_deref(),
            format,
            audience,
            paper,
            output: output.as_deref(),
        }),
        Command::Chart {
            plan,
            chart,
            size,
            output,
        } => commands::chart(&plan, chart, &size, &output),
        Command::Optimize {
            plan,
            min_control,
            max_cost,
            metric,
            frontier,
            save_as,
            format,
        } => commands::optimize(&commands::OptimizeArgs {
            plan: &plan,
            min_control: min_control.as_deref(),
            max_cost: max_cost.as_deref(),
            metric,
            frontier,
            save_as: save_as.as_deref(),
            format,
        }),
        Command::Diff {
            old,
            new,
            format,
            exit_code,
        } => commands::diff(&old, &new, format, exit_code),
        Command::Merge {
            base,
            mine,
            theirs,
            output,
            prefer,
            format,
        } => commands::merge(&commands::MergeArgs {
            base: &base,
            mine: &mine,
            theirs: &theirs,
            output: &output,
            prefer: prefer.map(Into::into),
            format,
        }),
        Command::MergeDriver {
            ancestor,
            current,
            other,
            path_name,
            prefer,
        } => commands::merge_driver(&commands::DriverArgs {
            ancestor: &ancestor,
            current: &current,
            other: &other,
            path_name: path_name.as_deref(),
            prefer: prefer.map(Into::into),
        }),
        Command::Portfolio {
            folder,
            format,
            as_of,
        } => commands::portfolio(&folder, format, as_of.as_deref()),
        Command::Import {
            inventory,
            output,
            customer,
            start_month,
        } => commands::import(
            &inventory,
            &output,
            customer.as_deref(),
            start_month.as_deref(),
        ),
    };
    match result {
        Ok(code) => code,
        Err(Failure(lines)) => {
            for each in &lines {
                output::error_line(each);
            }
            ExitCode::FAILURE
        }
    }
}

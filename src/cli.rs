//! The command line, as clap parses it. Doc comments are the help text; validation into the
//! settings the pipeline trusts happens in `batch::Options::from_cli`.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

/// Monthly KGI/KPI progress reports from Excel workbooks: progress, pace, forecasts,
/// priorities and KPI-practice health checks, as a formatted workbook, an HTML summary
/// (an e-mail body), JSON and a ready-to-send e-mail.
#[derive(Debug, Parser)]
#[command(name = "kpi-report", version, about, long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Read the workbooks and write the reports.
    Run(RunArgs),
    /// Print every finding (read errors and health checks); writes nothing.
    Check(CheckArgs),
    /// Write a fillable input workbook with example rows.
    Init(InitArgs),
    /// Send every .eml file of a folder over SMTP ([smtp] in the config).
    Send(SendArgs),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LangArg {
    En,
    Ja,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FailOn {
    Error,
    Warning,
}

/// Options shared by `run` and `check`.
#[derive(Debug, Args)]
pub struct CommonArgs {
    /// Workbook or CSV files, or folders (a folder means every .xlsx/.xlsm/.xls/.xlsb/.ods/
    /// .csv/.tsv in it).
    /// Default: the current folder.
    #[arg(value_name = "INPUT")]
    pub inputs: Vec<PathBuf>,

    /// Report date: YYYY-MM-DD, `today`, or `prev-month-end` (last day of the previous month).
    #[arg(long, value_name = "DATE", default_value = "today")]
    pub as_of: String,

    /// Config file (default: ./kpi-report.toml when it exists).
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,

    /// Report language (default: the language of the input's headers).
    #[arg(long, value_enum)]
    pub lang: Option<LangArg>,

    /// Exit 1 when a finding at or above this severity is found.
    #[arg(long, value_enum, default_value = "error")]
    pub fail_on: FailOn,

    /// Drop invalid rows instead of refusing the input; list the errors and exit 1.
    #[arg(long)]
    pub keep_going: bool,

    /// Print only errors.
    #[arg(long, short, conflicts_with = "verbose")]
    pub quiet: bool,

    /// Also print info findings and each file written.
    #[arg(long, short)]
    pub verbose: bool,

    /// Actuals from an export for every input: a CSV/TSV (UTF-8, CP932 or UTF-16) or a
    /// workbook, a folder of them, or a glob; repeat for several. Later ones win.
    #[arg(long, value_name = "SOURCE")]
    pub actuals: Vec<PathBuf>,

    /// A plan (budget by period) from an export for every input, read like --actuals: its
    /// values are the plan of each metric and period (they replace the Plan sheet's for the
    /// same period). Repeat for several; later ones win.
    #[arg(long, value_name = "SOURCE")]
    pub plan: Vec<PathBuf>,
}

#[derive(Debug, Args)]
pub struct RunArgs {
    #[command(flatten)]
    pub common: CommonArgs,

    /// Output folder, created when missing.
    #[arg(long, value_name = "DIR", default_value = "reports")]
    pub out: PathBuf,

    /// Also write X-report.json.
    #[arg(long)]
    pub json: bool,

    /// Also write X-report.eml, ready for `sendmail -t`.
    #[arg(long)]
    pub eml: bool,

    /// Folder of Tera templates overriding the built-in ones by name.
    #[arg(long, value_name = "DIR")]
    pub templates: Option<PathBuf>,

    /// Also write one report per owner (X-{owner}-report.xlsx, -summary.html, .eml).
    #[arg(long, value_enum, value_name = "owner")]
    pub burst: Option<crate::config::Burst>,

    /// Send the .eml files this run writes over SMTP ([smtp] in the config); implies --eml.
    #[arg(long)]
    pub send: bool,

    /// With --send: print who would get what, send nothing.
    #[arg(long, requires = "send")]
    pub dry_run: bool,
}

#[derive(Debug, Args)]
pub struct SendArgs {
    /// Folder whose .eml files are sent (e.g. the output folder of `run --eml`).
    #[arg(value_name = "DIR")]
    pub dir: PathBuf,

    /// Config file (default: ./kpi-report.toml when it exists).
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,

    /// Print who would get what, send nothing.
    #[arg(long)]
    pub dry_run: bool,

    /// Language of the messages.
    #[arg(long, value_enum)]
    pub lang: Option<LangArg>,

    /// Print only errors.
    #[arg(long, short)]
    pub quiet: bool,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    #[command(flatten)]
    pub common: CommonArgs,

    /// Print the findings as JSON.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct InitArgs {
    /// Where to write the workbook.
    #[arg(value_name = "PATH", default_value = "kpi-input.xlsx")]
    pub path: PathBuf,

    /// Language of the sheet names, headers and examples.
    #[arg(long, value_enum, default_value = "en")]
    pub lang: LangArg,

    /// Overwrite an existing file.
    #[arg(long)]
    pub force: bool,
}

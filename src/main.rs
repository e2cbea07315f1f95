//! The `kpi-report` binary: parse the command line, run, print the error, exit.

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = kpi_report::cli::Cli::parse();
    let today = chrono::Local::now().date_naive();
    match kpi_report::app::main_with(cli, today) {
        Ok(status) => ExitCode::from(status.code()),
        Err(usage) => {
            eprintln!("kpi-report: error: {usage}");
            ExitCode::from(kpi_report::exit::ExitStatus::Invalid.code())
        }
    }
}

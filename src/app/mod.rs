//! The application layer: the commands (`run`, `check`, `init`, `send`) as the command line gives
//! them. Each input goes read -> analyse -> render through the library's layers; this layer
//! expands inputs, runs them in parallel, writes outputs safely, prints messages in a
//! stable order and decides the exit code.

mod check;
mod init;
mod inputs;
mod options;
mod outcome;
pub mod output;
mod run;
mod send;
mod sources;

use chrono::NaiveDate;

use crate::cli::{Cli, Command};
use crate::exit::{ExitStatus, UsageError};

/// Run `kpi-report` as the command line says; returns the exit status.
pub fn main_with(cli: Cli, today: NaiveDate) -> Result<ExitStatus, UsageError> {
    match cli.command {
        Command::Run(args) => run::run(&args, today),
        Command::Check(args) => check::check(&args, today),
        Command::Init(args) => init::init(&args, today),
        Command::Send(args) => send::send_folder(&args),
    }
}

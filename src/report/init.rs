//! `kpi-report init`: a fillable input workbook.

use crate::batch::{ExitStatus, UsageError};
use crate::cli::InitArgs;

pub fn init(_args: &InitArgs) -> Result<ExitStatus, UsageError> {
    Err(UsageError("init is being written".to_string()))
}

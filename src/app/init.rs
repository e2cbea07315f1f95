//! `kpi-report init [PATH] [--lang en|ja] [--force]`: write the input template (the input
//! contract with example rows) to a new file and say what to do next.

use std::io::Write;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;

use crate::cli::InitArgs;
use crate::config::Settings;
use crate::exit::{ExitStatus, UsageError};
use crate::model::Lang;
use crate::template::{self, date_text, sheet_names, FiscalYear, DEFAULT_FILE_NAME};

use super::options::lang_of;
use super::output::{refusal, remove_temp_files_on_interrupt, write_new_file};

/// `kpi-report init [PATH] [--lang en|ja] [--force]`.
pub(crate) fn init(args: &InitArgs, today: NaiveDate) -> Result<ExitStatus, UsageError> {
    let lang = lang_of(args.lang);
    let path = target_path(&args.path)?;
    if path.exists() && !args.force {
        return Err(refusal(&path));
    }
    // The fiscal year start month of ./kpi-report.toml, as `run` would use it.
    let settings = Settings::load(None).map_err(|e| UsageError(e.message(Some(lang))))?;
    let fy = FiscalYear::containing(today, settings.fiscal_year_start_month);
    let bytes = template::template(lang, today, settings.fiscal_year_start_month)
        .map_err(|e| UsageError(format!("cannot build the workbook: {e}")))?;
    remove_temp_files_on_interrupt();
    write_new_file(&path, &bytes, args.force)?;

    let mut stdout = std::io::stdout().lock();
    let _ = writeln!(stdout, "{}", written_message(&path, fy, lang));
    Ok(ExitStatus::Success)
}

/// PATH as given, or `kpi-input.xlsx` inside it when it is a folder; only `.xlsx` is written.
fn target_path(path: &Path) -> Result<PathBuf, UsageError> {
    let path = if path.is_dir() {
        path.join(DEFAULT_FILE_NAME)
    } else {
        path.to_path_buf()
    };
    let is_xlsx = path
        .extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("xlsx"));
    if !is_xlsx {
        return Err(UsageError(format!(
            "init writes an .xlsx workbook; give a path ending in .xlsx (not {})",
            path.display()
        )));
    }
    Ok(path)
}

/// What was written and the next command, in the workbook's language.
fn written_message(path: &Path, fy: FiscalYear, lang: Lang) -> String {
    let shown = path.display().to_string();
    // The month just ended, like the monthly job: the example actuals run up to it.
    let command = format!(
        "kpi-report run {} --as-of prev-month-end",
        shell_quote(&shown)
    );
    let [guide, kgi, kpi, actuals, plan] = sheet_names(lang);
    match lang {
        Lang::En => format!(
            "Wrote {shown}: sheets {guide}, {kgi}, {kpi}, {actuals} and {plan}, with example rows for the fiscal year {} to {}.\n\
             Next: replace the example rows with your goals (point at a header for help), then run\n  {command}",
            date_text(fy.start, lang),
            date_text(fy.end, lang),
        ),
        Lang::Ja => format!(
            "{shown} を作成しました（{guide}・{kgi}・{kpi}・{actuals}・{plan}、{}〜{} の年度の記入例つき）。\n\
             次に: 記入例を自社の目標に置き換え（見出しにカーソルを合わせると説明が出ます）、次のコマンドで実行します\n  {command}",
            date_text(fy.start, lang),
            date_text(fy.end, lang),
        ),
    }
}

/// Quote a path for a POSIX shell when it needs it.
fn shell_quote(text: &str) -> String {
    let plain = !text.is_empty()
        && text
            .chars()
            .all(|c| c.is_alphanumeric() || "-_./+,:@%".contains(c));
    if plain {
        text.to_string()
    } else {
        format!("'{}'", text.replace('\'', "'\\''"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_quoted_for_the_shell_when_needed() {
        assert_eq!(shell_quote("kpi-input.xlsx"), "kpi-input.xlsx");
        assert_eq!(shell_quote("売上目標.xlsx"), "売上目標.xlsx");
        assert_eq!(shell_quote("my goals.xlsx"), "'my goals.xlsx'");
        assert_eq!(shell_quote("it's.xlsx"), "'it'\\''s.xlsx'");
    }
}

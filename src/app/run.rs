//! `kpi-report run`: analyse every input in parallel and write its reports atomically into
//! the output folder, then print the findings in input order and a closing line.

use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use rayon::prelude::*;

use crate::cli::RunArgs;
use crate::config::Burst;
use crate::delivery::burst;
use crate::exit::{ExitStatus, UsageError};
use crate::input::names::NameTable;
use crate::model::Lang;
use crate::report::{self, ReportContext};
use crate::text::fill_pattern;
use crate::text::quoted;

use super::inputs::{expand_inputs, InputPath};
use super::options::Options;
use super::outcome::{
    analyse_read, display_name, progress_bar, read_input, status_of, worst, Analysed, InputOutcome,
    ReadInput,
};
use super::output::{commit, lock_output_folder, remove_temp_files_on_interrupt, Inputs, Staged};

pub(crate) fn run(args: &RunArgs, today: NaiveDate) -> Result<ExitStatus, UsageError> {
    let mut options = Options::from_common(&args.common, today)?;
    // --send sends the .eml files, so it writes them.
    let outputs =
        report::OutputOptions::new(args.json, args.eml || args.send, args.templates.as_deref())
            .map_err(UsageError)?;
    if args.send {
        super::send::check_setup(&options.settings, args.dry_run)?;
    }
    let burst = args.burst.or(options.settings.email.burst);
    let names = NameTable::new(&options.settings);
    let inputs = expand_inputs(&options.inputs);

    std::fs::create_dir_all(&args.out).map_err(|e| {
        UsageError(format!(
            "cannot create the output folder {}: {e}",
            args.out.display()
        ))
    })?;
    let _lock = lock_output_folder(&args.out)?;
    remove_temp_files_on_interrupt();
    // No output may replace an input, whichever input's output it is.
    let protected = Inputs::new(inputs.iter().filter_map(|input| match input {
        InputPath::File(path) => Some(path.as_path()),
        InputPath::Missing(..) => None,
    }));
    if outputs.eml && !options.quiet {
        if let Some(warning) = report::eml::recipients_warning(&options.settings.email) {
            eprintln!("{warning}");
        }
    }

    // Two inputs that would write the same report names: the later one is refused.
    let mut stems: HashMap<String, PathBuf> = HashMap::new();
    let mut collisions: HashMap<usize, String> = HashMap::new();
    for (i, input) in inputs.iter().enumerate() {
        if let InputPath::File(path) = input {
            let stem = output_stem(&options.settings.output_name, path, options.as_of);
            if let Some(first) = stems.get(&stem) {
                collisions.insert(
                    i,
                    format!(
                        "{}: error E07: its reports would overwrite those of {} (same name {stem}); rename one or set output_name",
                        display_name(path),
                        display_name(first)
                    ),
                );
            } else {
                stems.insert(stem, path.clone());
            }
        }
    }

    // The sources are read while the first inputs (one per core) are: an input needs them
    // only once it is read. The other inputs are read when their turn comes.
    let early = rayon::current_num_threads().min(inputs.len());
    let (sources, early_reads) = rayon::join(
        || super::sources::read_sources(&options, &names),
        || {
            inputs[..early]
                .par_iter()
                .enumerate()
                .map(|(i, input)| match (collisions.get(&i), input) {
                    (None, InputPath::File(path)) => Some(read_input(path, &options, &names)),
                    _ => None,
                })
                .collect::<Vec<_>>()
        },
    );
    options.sources = sources;
    let mut early_reads = early_reads.into_iter();
    let jobs: Vec<(usize, &InputPath, Option<ReadInput>)> = inputs
        .iter()
        .enumerate()
        .map(|(i, input)| (i, input, early_reads.next().flatten()))
        .collect();

    let bar = progress_bar(inputs.len(), &options);
    let outcomes: Vec<InputOutcome> = jobs
        .into_par_iter()
        .map(|(i, input, read)| {
            let lang = options.lang.unwrap_or_default();
            let outcome = match (collisions.get(&i), input) {
                (Some(message), InputPath::File(path)) => {
                    let mut outcome = InputOutcome::failed(display_name(path), lang, Vec::new());
                    outcome.notes.push(message.clone());
                    outcome
                }
                (_, InputPath::Missing(path, why)) => InputOutcome::missing(path, why, lang),
                (None, InputPath::File(path)) => run_one(
                    path, read, &options, &names, &args.out, &outputs, &protected, burst,
                ),
            };
            if let Some(bar) = &bar {
                bar.inc(1);
            }
            outcome
        })
        .collect();
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }

    let mut stderr = std::io::stderr().lock();
    for outcome in &outcomes {
        for line in outcome.lines(&options, false) {
            let _ = writeln!(stderr, "{line}");
        }
    }
    let written = outcomes.iter().filter(|o| !o.written.is_empty()).count();
    let failed = outcomes
        .iter()
        .filter(|o| o.status == ExitStatus::Invalid)
        .count();
    if !options.quiet {
        let _ = writeln!(stderr, "{}", closing_line(written, failed, &args.out));
    }
    drop(stderr);
    let status = worst(&outcomes);
    if !args.send {
        return Ok(status);
    }
    // The messages this run wrote, in input order.
    let messages: Vec<PathBuf> = outcomes
        .iter()
        .flat_map(|o| o.written.iter())
        .filter(|p| p.extension().is_some_and(|e| e == "eml"))
        .cloned()
        .collect();
    let lang = options.lang.unwrap_or_else(|| {
        outcomes
            .iter()
            .find(|o| !o.written.is_empty())
            .map_or(Lang::En, |o| o.lang)
    });
    let delivered = super::send::deliver(
        &messages,
        &options.settings,
        args.dry_run,
        lang,
        options.quiet,
    )?;
    Ok(status.max(delivered))
}

/// Output file stem for an input: the config pattern with `{stem}`, `{as_of}`, `{period}`
/// filled once (the input's own name is never filled in). Names never become paths.
pub(crate) fn output_stem(pattern: &str, input: &Path, as_of: NaiveDate) -> String {
    let stem = input
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or("report");
    fill_pattern(pattern, stem, as_of, "")
        .chars()
        .map(|c| {
            if matches!(c, '/' | '\\' | '\0') {
                '_'
            } else {
                c
            }
        })
        .collect()
}

/// One report per owner (`--burst owner`), each to the owner's addresses; the lines to
/// print (warnings about addresses) come second, each starting with the location in the
/// input (after the file name) or a space.
fn render_owners<C>(
    ctx: &ReportContext,
    analysed: &Analysed,
    stem: &str,
    outputs: &report::OutputOptions,
    create: &C,
    options: &Options,
) -> Result<(Vec<Staged>, Vec<String>), report::OutputError>
where
    C: Fn(&str) -> std::io::Result<Staged> + Sync,
{
    let lang = ctx.lang;
    let owners = burst::owners(&analysed.analysis);
    let parts = burst::file_parts(&owners);
    let (addresses, mut notes) =
        burst::addresses(&options.settings.email, &analysed.recipients, lang);
    if let Some(note) = &analysed.recipients_note {
        notes.push(format!(" warning: {note}"));
    }
    // Owner reports: workbook, HTML and (with an address) the message; no JSON.
    let with_eml = report::OutputOptions {
        json: false,
        ..outputs.clone()
    };
    let without_eml = report::OutputOptions {
        eml: false,
        ..with_eml.clone()
    };
    let mut files = Vec::new();
    for (owner, part) in owners.iter().zip(&parts) {
        let view = burst::owner_view(&analysed.analysis, owner);
        let mailboxes = burst::addresses_of(&addresses, owner);
        if outputs.eml && mailboxes.is_empty() {
            notes.push(match lang {
                Lang::En => format!(
                    " warning: {} has no e-mail address (add it to [email.owners] or a Recipients sheet): their report is written, no message",
                    quoted(owner)
                ),
                Lang::Ja => format!(
                    " 警告: {} のメールアドレスがありません（[email.owners] または宛先シートに追加してください）。レポートは書き出しましたが、メールは作成しません",
                    quoted(owner)
                ),
            });
        }
        let mut settings = ctx.settings.clone();
        settings.email.to = mailboxes.to_vec();
        settings.email.cc = Vec::new();
        let owner_ctx = ReportContext {
            analysis: &view,
            settings: &settings,
            owner: Some(owner),
            ..*ctx
        };
        let chosen = if mailboxes.is_empty() {
            &without_eml
        } else {
            &with_eml
        };
        files.extend(report::render_all(
            &owner_ctx,
            &format!("{stem}-{part}"),
            chosen,
            create,
        )?);
    }
    // Warnings are not printed with --quiet.
    if options.quiet {
        notes.clear();
    }
    Ok((files, notes))
}

fn closing_line(written: usize, failed: usize, out: &Path) -> String {
    let reports = if written == 1 { "report" } else { "reports" };
    let mut line = format!("{written} {reports} written to {}", out.display());
    if failed > 0 {
        let inputs = if failed == 1 { "input" } else { "inputs" };
        line.push_str(&format!(", {failed} {inputs} failed (see above)"));
    }
    line
}

/// Analyse and report one input (`read` when it was read already).
#[allow(clippy::too_many_arguments)]
fn run_one(
    path: &Path,
    read: Option<ReadInput>,
    options: &Options,
    names: &NameTable,
    out: &Path,
    outputs: &report::OutputOptions,
    protected: &Inputs,
    burst: Option<Burst>,
) -> InputOutcome {
    let file = display_name(path);
    let read = read.unwrap_or_else(|| read_input(path, options, names));
    let analysed = match analyse_read(read, options) {
        Ok(a) => a,
        Err((lang, findings)) => return InputOutcome::failed(file, lang, findings),
    };
    let lang = analysed.lang;
    let status = status_of(&analysed.analysis.findings, options);
    let mut outcome = InputOutcome {
        file: file.clone(),
        lang,
        findings: analysed.analysis.findings.clone(),
        notes: Vec::new(),
        status,
        written: Vec::new(),
    };
    if status == ExitStatus::Invalid {
        outcome.notes.push(format!(
            "{file}: not written: fix the errors above, or use --keep-going to skip the invalid rows"
        ));
        return outcome;
    }
    let source = path.file_name().and_then(|n| n.to_str()).unwrap_or("input");
    let ctx = ReportContext {
        source,
        lang,
        analysis: &analysed.analysis,
        settings: &options.settings,
        owner: None,
    };
    let stem = output_stem(&options.settings.output_name, path, options.as_of);
    let create = |name: &str| Staged::create(out, name);
    let rendered = report::render_all(&ctx, &stem, outputs, &create)
        .and_then(|mut files| {
            if burst == Some(Burst::Owner) {
                let (owner_files, notes) =
                    render_owners(&ctx, &analysed, &stem, outputs, &create, options)?;
                files.extend(owner_files);
                outcome
                    .notes
                    .extend(notes.into_iter().map(|n| format!("{file}:{n}")));
            }
            Ok(files)
        })
        .map_err(|e| match e {
            report::OutputError::Render(e) => format!("cannot render the reports: {e}"),
            report::OutputError::Write(e) => format!(
                "cannot write the reports to {}: {e} (previous reports left as they were)",
                out.display()
            ),
        })
        .and_then(|files| commit(files, protected).map_err(|e| e.to_string()));
    // Freeing a large analysis takes tens of milliseconds: it is done off the critical
    // path (a run of one input exits without waiting for it).
    rayon::spawn(move || drop(analysed));
    match rendered {
        Ok(written) => {
            if options.verbose {
                outcome
                    .notes
                    .extend(written.iter().map(|p| format!("wrote {}", p.display())));
            }
            outcome.written = written;
        }
        Err(e) => {
            outcome.notes.push(format!("{file}: error: {e}"));
            outcome.status = ExitStatus::Invalid;
        }
    }
    outcome
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn output_stems_follow_the_pattern() {
        let as_of = d(2026, 10, 31);
        let input = Path::new("in/sales.xlsx");
        assert_eq!(output_stem("{stem}", input, as_of), "sales");
        assert_eq!(
            output_stem("{stem}-{period}", input, as_of),
            "sales-2026-10"
        );
        assert_eq!(
            output_stem("{as_of}_{stem}", input, as_of),
            "2026-10-31_sales"
        );
    }

    #[test]
    fn an_inputs_own_name_is_never_filled_in() {
        let as_of = d(2026, 10, 31);
        assert_eq!(
            output_stem("{stem}", Path::new("q{period}.xlsx"), as_of),
            "q{period}"
        );
    }
}

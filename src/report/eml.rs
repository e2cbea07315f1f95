//! `X-report.eml` (`run --eml`): an RFC 5322 message ready for `sendmail -t` and for a mail
//! client's "open". multipart/mixed holds a multipart/alternative (a plain-text summary
//! written here, and the HTML summary) and the workbook as an attachment. From, To, Cc and
//! Subject come from the config's `[email]`; mail-builder does the MIME work, including
//! RFC 2047 encoded headers and RFC 2231 file names.
//!
//! The same report gives a byte-identical message, so a re-run can be compared or re-sent:
//! - `Date` is the as-of day at 00:00 UTC (09:00 in Japan): the date the report speaks for,
//!   not the moment it was generated (mail-builder writes dates in UTC);
//! - `Message-ID` is `<AS_OF.HASH@DOMAIN>`, HASH a 64-bit FNV-1a digest of the headers,
//!   both bodies and the workbook, DOMAIN the domain of `email.from`;
//! - the MIME boundaries derive from the same digest (mail-builder would draw random ones).

use std::path::Path;

use chrono::NaiveDate;
use mail_builder::headers::address::Address;
use mail_builder::headers::content_type::ContentType;
use mail_builder::headers::date::Date;
use mail_builder::headers::raw::Raw;
use mail_builder::mime::{BodyPart, MimePart};
use mail_builder::MessageBuilder;

use crate::config::{Email, Mailbox};
use crate::display::DASH;
use crate::model::Lang;
use crate::text::fill_pattern;

use super::context::ReportContext;
use super::plan_view::text_lines;
use super::view::{KgiCard, PriorityRow, SummaryView};

/// The MIME type of an .xlsx workbook.
pub const XLSX_CONTENT_TYPE: &str =
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

fn address(mailbox: &Mailbox) -> Address<'static> {
    Address::new_address(mailbox.name.clone(), mailbox.address.clone())
}

/// The warning `run --eml` prints once when the messages would have no recipient.
pub fn recipients_warning(email: &Email) -> Option<String> {
    (email.to.is_empty() && email.cc.is_empty()).then(|| {
        "kpi-report: warning: --eml: email.to and email.cc are empty in the config, so the .eml files \
         have no recipient and `sendmail -t` will refuse them; set email.to in kpi-report.toml"
            .to_string()
    })
}

/// The subject: the config's pattern with `{period}`, `{stem}`, `{as_of}` and `{owner}`
/// filled in one pass (see [`fill_pattern`]).
pub fn subject(pattern: &str, input_stem: &str, as_of: NaiveDate) -> String {
    fill_pattern(pattern, input_stem, as_of, "")
}

/// The subject with `{owner}` filled with the owner's name of a per-owner report (empty in
/// the full report; the spaces it leaves at either end are trimmed).
pub fn owner_subject(pattern: &str, input_stem: &str, as_of: NaiveDate, owner: &str) -> String {
    fill_pattern(pattern, input_stem, as_of, owner)
        .trim()
        .to_string()
}

/// 64-bit FNV-1a over length-prefixed parts (so that parts cannot run into each other).
fn digest(parts: &[&[u8]]) -> u64 {
    const OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
    const PRIME: u64 = 0x0000_0100_0000_01b3;
    let mut hash = OFFSET;
    for part in parts {
        for byte in (part.len() as u64).to_le_bytes().iter().chain(part.iter()) {
            hash ^= u64::from(*byte);
            hash = hash.wrapping_mul(PRIME);
        }
    }
    hash
}

/// A boundary from the digest that none of the bodies contains. `=_` cannot occur in
/// base64 or quoted-printable text; the check covers bodies sent as they are (7bit).
fn boundary(kind: &str, hash: u64, bodies: &[&str]) -> String {
    (0u64..)
        .map(|salt| {
            let value = if salt == 0 {
                hash
            } else {
                digest(&[&hash.to_le_bytes(), &salt.to_le_bytes()])
            };
            format!("=_kpi-report-{kind}-{value:016x}")
        })
        .find(|b| bodies.iter().all(|body| !body.contains(b.as_str())))
        .unwrap_or_else(|| format!("=_kpi-report-{kind}"))
}

/// The input file's stem (`sales` for `sales.xlsx`): `{stem}` of the subject.
fn input_stem(source: &str) -> &str {
    Path::new(source)
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or(source)
}

/// Build the message. `stem` is the output stem (`X` of `X-report.xlsx`); `workbook` is the
/// rendered `X-report.xlsx`, attached under that name.
pub fn render(
    ctx: &ReportContext,
    stem: &str,
    html: &str,
    text: &str,
    workbook: &[u8],
) -> Result<Vec<u8>, String> {
    let email = &ctx.settings.email;
    let (from, to, cc) = (&email.from, &email.to, &email.cc);
    let as_of = ctx.analysis.as_of;
    let subject = owner_subject(
        &email.subject,
        input_stem(ctx.source),
        as_of,
        ctx.owner.unwrap_or(""),
    );
    let file_name = format!("{stem}-report.xlsx");

    let recipients = |list: &[Mailbox]| {
        list.iter()
            .map(|m| format!("{:?} {}", m.name, m.address))
            .collect::<Vec<_>>()
            .join(",")
    };
    let hash = digest(&[
        as_of.to_string().as_bytes(),
        stem.as_bytes(),
        subject.as_bytes(),
        email.from.text.as_bytes(),
        recipients(to).as_bytes(),
        recipients(cc).as_bytes(),
        text.as_bytes(),
        html.as_bytes(),
        workbook,
    ]);
    let domain = match from.domain() {
        "" => "kpi-report.invalid",
        domain => domain,
    };
    let message_id = format!("{as_of}.{hash:016x}@{domain}");
    let midnight_utc = as_of.and_time(chrono::NaiveTime::MIN).and_utc().timestamp();

    let alternative = MimePart::new(
        ContentType::new("multipart/alternative")
            .attribute("boundary", boundary("alt", hash, &[text, html])),
        vec![
            MimePart::new("text/plain", text),
            MimePart::new("text/html", html),
        ],
    );
    let attachment = MimePart::new(
        ContentType::new(XLSX_CONTENT_TYPE).attribute("name", file_name.clone()),
        BodyPart::Binary(workbook.into()),
    )
    .attachment(file_name.clone());
    let parts = vec![alternative, attachment];
    let body = MimePart::new(
        ContentType::new("multipart/mixed")
            .attribute("boundary", boundary("mixed", hash, &[text, html])),
        parts,
    );

    let mut message = MessageBuilder::new().from(address(from));
    if !to.is_empty() {
        message = message.to(Address::new_list(to.iter().map(address).collect()));
    }
    if !cc.is_empty() {
        message = message.cc(Address::new_list(cc.iter().map(address).collect()));
    }
    message
        .subject(subject)
        .date(Date::new(midnight_utc))
        .message_id(message_id)
        // RFC 3834: a scheduled report; out-of-office replies should not answer it.
        .header("Auto-Submitted", Raw::new("auto-generated"))
        .body(body)
        .write_to_vec()
        .map_err(|e| format!("cannot build the e-mail: {e}"))
}

/// The plain-text alternative, worded from the same view model as the HTML summary: the
/// KGIs, the top priorities with why they rank there, and the count of checks.
pub fn text_summary(view: &SummaryView, lang: Lang, attachment: Option<&str>) -> String {
    let mut out = String::new();
    let mut line = |text: String| {
        out.push_str(&text);
        out.push('\n');
    };
    line(match lang {
        Lang::En => format!("KPI report: {}, as of {}", view.source, view.as_of),
        Lang::Ja => format!("KPIレポート: {}（{} 時点）", view.source, view.as_of),
    });
    line(String::new());

    line(lang.pick("KGIs", "KGI").to_string());
    if view.kgis.is_empty() {
        line(lang.pick("  (none)", "  （なし）").to_string());
    }
    for kgi in &view.kgis {
        for text in kgi_lines(kgi, lang) {
            line(text);
        }
    }
    if !view.kgis_more.is_empty() {
        line(format!("  {}", view.kgis_more));
    }

    if !view.priorities.is_empty() {
        line(String::new());
        line(match lang {
            Lang::En => format!("Focus first (top {})", view.priorities.len()),
            Lang::Ja => format!("優先して取り組む指標（上位{}件）", view.priorities.len()),
        });
        for priority in &view.priorities {
            line(priority_line(priority, lang));
            line(format!("     {}", priority.reason));
        }
    }

    line(String::new());
    let (errors, warnings, infos) = (view.errors, view.warnings, view.infos);
    line(match lang {
        Lang::En => format!(
            "Checks: {errors} {}, {warnings} {}, {infos} info",
            plural(errors, "error", "errors"),
            plural(warnings, "warning", "warnings"),
        ),
        Lang::Ja => format!("チェック: エラー {errors}件、警告 {warnings}件、情報 {infos}件"),
    });
    if let Some(attachment) = attachment {
        line(match lang {
            Lang::En => format!("Every figure and check is in the attached workbook {attachment}."),
            Lang::Ja => format!("すべての数値とチェック結果は添付の {attachment} をご覧ください。"),
        });
    }
    out
}

fn plural<'a>(n: usize, one: &'a str, many: &'a str) -> &'a str {
    if n == 1 {
        one
    } else {
        many
    }
}

/// Three lines per KGI: status, progress and pace, forecast and deadline.
fn kgi_lines(kgi: &KgiCard, lang: Lang) -> Vec<String> {
    let mut lines = vec![format!("  {} {}: {}", kgi.id, kgi.name, kgi.status.text)];
    if !kgi.limit.is_empty() {
        lines.extend(limit_lines(kgi, lang));
        lines.extend(text_lines(&kgi.plan, lang));
        return lines;
    }
    let has_progress = kgi.progress != DASH;
    let mut progress = match (kgi.target != DASH, has_progress, lang) {
        // Tracked without a target (W19): its actual only.
        (false, _, Lang::En) if kgi.actual != DASH => {
            format!("no target; actual {}", kgi.actual)
        }
        (false, _, Lang::En) => "no target, no data yet".to_string(),
        (false, _, Lang::Ja) if kgi.actual != DASH => format!("目標未設定（実績 {}）", kgi.actual),
        (false, _, Lang::Ja) => "目標未設定（実績なし）".to_string(),
        (true, has_progress, _) => with_target(kgi, has_progress, lang),
    };
    if kgi.pace != DASH {
        progress.push_str(&match lang {
            Lang::En => format!(", pace {}", kgi.pace),
            Lang::Ja => format!("、ペース {}", kgi.pace),
        });
    }
    lines.push(format!("      {progress}"));
    lines.extend(forecast_line(kgi, lang));
    lines
}

/// "progress 62.0% of 100 (actual 62)" of a KGI with a target.
fn with_target(kgi: &KgiCard, has_progress: bool, lang: Lang) -> String {
    let mut progress = match (has_progress, lang) {
        (true, Lang::En) => format!("progress {} of {}", kgi.progress, kgi.target),
        (true, Lang::Ja) => format!("進捗 {}（目標 {}", kgi.progress, kgi.target),
        (false, Lang::En) => format!("no data yet; target {}", kgi.target),
        (false, Lang::Ja) => format!("実績なし（目標 {}", kgi.target),
    };
    if kgi.actual != DASH {
        progress.push_str(&match lang {
            Lang::En => format!(" (actual {})", kgi.actual),
            Lang::Ja => format!("、実績 {}", kgi.actual),
        });
    }
    if lang == Lang::Ja {
        progress.push('）');
    }
    progress
}

/// The forecast and deadline line of a KGI, then its plan lines.
fn forecast_line(kgi: &KgiCard, lang: Lang) -> Vec<String> {
    let deadline = &kgi.deadline;
    let mut lines = Vec::new();
    lines.push(format!(
        "      {}",
        match (kgi.forecast != DASH, kgi.forecast_progress != DASH, lang) {
            (true, true, Lang::En) => format!(
                "forecast {} ({}) at the deadline {deadline}",
                kgi.forecast, kgi.forecast_progress
            ),
            (true, true, Lang::Ja) => format!(
                "着地見込み {}（{}）、期限 {deadline}",
                kgi.forecast, kgi.forecast_progress
            ),
            (false, true, Lang::En) => format!(
                "forecast {} at the deadline {deadline}",
                kgi.forecast_progress
            ),
            (false, true, Lang::Ja) => {
                format!("着地見込み {}、期限 {deadline}", kgi.forecast_progress)
            }
            // No target: the forecast value alone.
            (true, false, Lang::En) => {
                format!("forecast {} at the deadline {deadline}", kgi.forecast)
            }
            (true, false, Lang::Ja) => format!("着地見込み {}、期限 {deadline}", kgi.forecast),
            (_, _, Lang::En) => format!("deadline {deadline}"),
            (_, _, Lang::Ja) => format!("期限 {deadline}"),
        }
    ));
    lines.extend(text_lines(&kgi.plan, lang));
    lines
}

/// The lines of a ceiling (stay_below) or floor (stay_above) KGI in its own words: what is
/// left under the ceiling or above the floor, and where the forecast lands against it.
fn limit_lines(kgi: &KgiCard, lang: Lang) -> Vec<String> {
    let w = &kgi.words;
    let word = |text: &str| match lang {
        Lang::En => text.to_lowercase(),
        Lang::Ja => text.to_string(),
    };
    let mut first = match lang {
        Lang::En => format!(
            "{} {}, {} {}",
            word(w.actual),
            kgi.actual,
            word(w.target),
            kgi.target
        ),
        Lang::Ja => format!("{} {}、{} {}", w.actual, kgi.actual, w.target, kgi.target),
    };
    if kgi.shortfall != DASH {
        first.push_str(&match lang {
            Lang::En => format!(
                ", {} {} ({} {})",
                word(w.shortfall),
                kgi.shortfall,
                word(w.progress),
                kgi.progress
            ),
            Lang::Ja => format!(
                "、{} {}（{} {}）",
                w.shortfall, kgi.shortfall, w.progress, kgi.progress
            ),
        });
    }
    if kgi.pace != DASH {
        first.push_str(&match lang {
            Lang::En => format!(", pace {}", kgi.pace),
            Lang::Ja => format!("、ペース {}", kgi.pace),
        });
    }
    let deadline = &kgi.deadline;
    let note = if kgi.forecast_note.is_empty() {
        String::new()
    } else {
        lang.pick(" (", "（").to_string() + &kgi.forecast_note + lang.pick(")", "）")
    };
    let second = match (kgi.forecast_main != DASH, lang) {
        (true, Lang::En) => format!(
            "{} {}{note} at the deadline {deadline}",
            word(w.forecast),
            kgi.forecast_main
        ),
        (true, Lang::Ja) => format!(
            "{} {}{note}、期限 {deadline}",
            w.forecast, kgi.forecast_main
        ),
        (false, Lang::En) => format!("deadline {deadline}"),
        (false, Lang::Ja) => format!("期限 {deadline}"),
    };
    vec![format!("      {first}"), format!("      {second}")]
}

/// `  1. B2 New sales: ✕ Off track, progress 40.7%, score 0.240 = 33.0% × 71.0%`.
fn priority_line(priority: &PriorityRow, lang: Lang) -> String {
    match lang {
        Lang::En => format!(
            "  {}. {} {}: {}, progress {}, score {}",
            priority.rank,
            priority.id,
            priority.name,
            priority.status.text,
            priority.progress,
            priority.formula
        ),
        Lang::Ja => format!(
            "  {}. {} {}: {}、進捗 {}、スコア {}",
            priority.rank,
            priority.id,
            priority.name,
            priority.status.text,
            priority.progress,
            priority.formula
        ),
    }
}

#[cfg(test)]
mod tests;

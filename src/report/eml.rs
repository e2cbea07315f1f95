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

use crate::analysis::{MetricReport, Priority};
use crate::config::{Email, Mailbox};
use crate::display;
use crate::findings::Severity;
use crate::model::{Kind, Lang};
use crate::text::fill_pattern;

use super::context::ReportContext;
use super::plan_view::{plan_view, text_lines};

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
    let subject = subject(&email.subject, input_stem(ctx.source), as_of);
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

/// The plain-text alternative: the KGIs, the top priorities and the count of checks, in the
/// report language.
pub fn text_summary(ctx: &ReportContext, attachment: Option<&str>) -> String {
    let lang = ctx.lang;
    let analysis = ctx.analysis;
    let mut out = String::new();
    let mut line = |text: String| {
        out.push_str(&text);
        out.push('\n');
    };
    line(match lang {
        Lang::En => format!("KPI report: {}, as of {}", ctx.source, analysis.as_of),
        Lang::Ja => format!("KPIレポート: {}（{} 時点）", ctx.source, analysis.as_of),
    });
    line(String::new());

    let kgis: Vec<&MetricReport> = analysis
        .metrics
        .iter()
        .filter(|m| m.metric.kind == Kind::Kgi)
        .collect();
    line(lang.pick("KGIs", "KGI").to_string());
    if kgis.is_empty() {
        line(lang.pick("  (none)", "  （なし）").to_string());
    }
    for kgi in kgis {
        for text in kgi_lines(kgi, lang) {
            line(text);
        }
    }

    let top: Vec<&Priority> = analysis
        .priorities
        .iter()
        .take(ctx.settings.top_priorities)
        .collect();
    if !top.is_empty() {
        line(String::new());
        line(match lang {
            Lang::En => format!("Focus first (top {})", top.len()),
            Lang::Ja => format!("優先して取り組む指標（上位{}件）", top.len()),
        });
        for priority in top {
            if let Some(metric) = analysis.metric(&priority.id) {
                line(priority_line(priority, metric, lang));
            }
        }
    }

    line(String::new());
    let count = |severity: Severity| {
        analysis
            .findings
            .iter()
            .filter(|f| f.severity() == severity)
            .count()
    };
    let (errors, warnings, infos) = (
        count(Severity::Error),
        count(Severity::Warning),
        count(Severity::Info),
    );
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
fn kgi_lines(kgi: &MetricReport, lang: Lang) -> Vec<String> {
    let now = &kgi.now;
    let unit = kgi
        .metric
        .unit
        .as_deref()
        .map(|u| format!(" {u}"))
        .unwrap_or_default();
    let mut lines = vec![format!(
        "  {} {} {}: {}",
        now.status.symbol(),
        kgi.metric.id,
        kgi.metric.name,
        now.status.label(lang)
    )];

    let target = format!("{}{unit}", display::figure(kgi.metric.target));
    let mut progress = match (now.progress, lang) {
        (Some(p), Lang::En) => format!("progress {} of {target}", display::percent(p)),
        (Some(p), Lang::Ja) => format!("進捗 {}（目標 {target}", display::percent(p)),
        (None, Lang::En) => format!("no data yet; target {target}"),
        (None, Lang::Ja) => format!("実績なし（目標 {target}"),
    };
    if let Some(actual) = now.actual {
        progress.push_str(&match lang {
            Lang::En => format!(" (actual {}{unit})", display::figure(actual)),
            Lang::Ja => format!("、実績 {}{unit}", display::figure(actual)),
        });
    }
    if lang == Lang::Ja {
        progress.push('）');
    }
    if let Some(pace) = now.pace {
        progress.push_str(&match lang {
            Lang::En => format!(", pace {pace:.2}"),
            Lang::Ja => format!("、ペース {pace:.2}"),
        });
    }
    lines.push(format!("      {progress}"));

    let deadline = now.deadline;
    lines.push(format!(
        "      {}",
        match (now.forecast, now.forecast_progress, lang) {
            (Some(f), Some(fp), Lang::En) => format!(
                "forecast {}{unit} ({}) at the deadline {deadline}",
                display::figure(f),
                display::percent(fp)
            ),
            (Some(f), Some(fp), Lang::Ja) => format!(
                "着地見込み {}{unit}（{}）、期限 {deadline}",
                display::figure(f),
                display::percent(fp)
            ),
            (None, Some(fp), Lang::En) => {
                format!(
                    "forecast {} at the deadline {deadline}",
                    display::percent(fp)
                )
            }
            (None, Some(fp), Lang::Ja) =>
                format!("着地見込み {}、期限 {deadline}", display::percent(fp)),
            (_, _, Lang::En) => format!("deadline {deadline}"),
            (_, _, Lang::Ja) => format!("期限 {deadline}"),
        }
    ));
    let unit = kgi.metric.unit.as_deref();
    let bare = unit.filter(|u| matches!(u.trim(), "%" | "％"));
    let plan = plan_view(
        now,
        &|v| display::amount(v, unit),
        &|v| display::amount(v, bare),
        unit.filter(|_| bare.is_none()).unwrap_or_default(),
        lang,
    );
    lines.extend(text_lines(&plan, lang));
    lines
}

/// `  1. B2 New sales: Off track, progress 40.7%, score 0.24 = impact 0.33 × gap 0.71`.
fn priority_line(priority: &Priority, metric: &MetricReport, lang: Lang) -> String {
    let progress = metric
        .now
        .progress
        .map(display::percent)
        .unwrap_or_else(|| "–".to_string());
    match lang {
        Lang::En => format!(
            "  {}. {} {}: {}, progress {progress}, score {:.2} = impact {:.2} × gap {:.2}",
            priority.rank,
            metric.metric.id,
            metric.metric.name,
            metric.now.status.label(lang),
            priority.score,
            priority.impact,
            priority.shortfall_ratio
        ),
        Lang::Ja => format!(
            "  {}. {} {}: {}、進捗 {progress}、スコア {:.2} = 影響度 {:.2} × 未達率 {:.2}",
            priority.rank,
            metric.metric.id,
            metric.metric.name,
            metric.now.status.label(lang),
            priority.score,
            priority.impact,
            priority.shortfall_ratio
        ),
    }
}

#[cfg(test)]
mod tests;

//! `X-report.json`: the stable `kpi-report/1` schema of SPEC section 6. Fractions are
//! fractions, dates are `YYYY-MM-DD`, absent values are `null`.

use chrono::NaiveDate;
use serde::Serialize;

use crate::findings::Finding;
use crate::model::{Direction, Frequency, Kind, Lang, Rollup, Status};

use super::context::ReportContext;

pub const SCHEMA: &str = "kpi-report/1";

#[derive(Debug, Serialize)]
pub struct JsonReport<'a> {
    pub schema: &'static str,
    pub as_of: NaiveDate,
    pub source: &'a str,
    pub lang: &'static str,
    pub metrics: Vec<JsonMetric<'a>>,
    pub priorities: Vec<JsonPriority<'a>>,
    pub checks: Vec<JsonCheck<'a>>,
}

#[derive(Debug, Serialize)]
pub struct JsonMetric<'a> {
    pub id: &'a str,
    pub name: &'a str,
    pub kind: Kind,
    pub parent: Option<&'a str>,
    pub kgi: Option<&'a str>,
    pub unit: Option<&'a str>,
    pub direction: Direction,
    pub target: f64,
    pub actual: Option<f64>,
    pub baseline: Option<f64>,
    pub start: NaiveDate,
    pub deadline: NaiveDate,
    pub owner: Option<&'a str>,
    pub frequency: Option<Frequency>,
    pub weight: f64,
    pub rollup: Rollup,
    pub progress: Option<f64>,
    pub shortfall: Option<f64>,
    pub elapsed: f64,
    pub pace: Option<f64>,
    pub forecast: Option<f64>,
    pub forecast_progress: Option<f64>,
    pub status: Status,
    pub impact: Option<f64>,
    pub rate_so_far: Option<f64>,
    pub required_rate: Option<f64>,
    pub last_measured: Option<NaiveDate>,
    pub location: String,
    pub previous: JsonPrevious,
}

#[derive(Debug, Serialize)]
pub struct JsonPrevious {
    pub as_of: NaiveDate,
    pub progress: Option<f64>,
    pub status: Status,
}

#[derive(Debug, Serialize)]
pub struct JsonPriority<'a> {
    pub rank: usize,
    pub id: &'a str,
    pub score: f64,
    pub impact: f64,
    pub shortfall_ratio: f64,
    pub deadline: NaiveDate,
}

#[derive(Debug, Serialize)]
pub struct JsonCheck<'a> {
    pub code: &'static str,
    pub severity: &'static str,
    pub id: Option<&'a str>,
    pub message: String,
    pub location: Option<String>,
}

impl<'a> JsonCheck<'a> {
    fn new(finding: &'a Finding, lang: Lang) -> Self {
        JsonCheck {
            code: finding.code().as_str(),
            severity: finding.severity().as_str(),
            id: finding.id.as_deref(),
            message: finding.message(lang),
            location: finding.location.as_ref().map(|l| l.reference()),
        }
    }
}

/// A finding of `check --json`: about which input, in which language.
#[derive(Debug, Clone, Copy)]
pub struct FileFinding<'a> {
    pub file: &'a str,
    pub lang: Lang,
    pub finding: &'a Finding,
}

#[derive(Debug, Serialize)]
struct JsonFileCheck<'a> {
    file: &'a str,
    #[serde(flatten)]
    check: JsonCheck<'a>,
}

#[derive(Debug, Serialize)]
struct JsonCheckDocument<'a> {
    schema: &'static str,
    as_of: NaiveDate,
    checks: Vec<JsonFileCheck<'a>>,
}

/// The document `check --json` prints: every finding of every input, each naming its file.
pub fn check_document(as_of: NaiveDate, findings: &[FileFinding]) -> String {
    let document = JsonCheckDocument {
        schema: SCHEMA,
        as_of,
        checks: findings
            .iter()
            .map(|f| JsonFileCheck {
                file: f.file,
                check: JsonCheck::new(f.finding, f.lang),
            })
            .collect(),
    };
    // The document has no map with non-string keys: serialising it cannot fail.
    serde_json::to_string_pretty(&document).unwrap_or_default()
}

/// Build the JSON document of one report.
pub fn document<'a>(ctx: &ReportContext<'a>) -> JsonReport<'a> {
    let analysis = ctx.analysis;
    let metrics = analysis
        .metrics
        .iter()
        .map(|r| {
            let m = &r.metric;
            let now = &r.now;
            JsonMetric {
                id: &m.id,
                name: &m.name,
                kind: m.kind,
                parent: m.parent.as_deref(),
                kgi: analysis.kgi_of(r).map(|k| k.metric.id.as_str()),
                unit: m.unit.as_deref(),
                direction: m.direction,
                target: m.target,
                actual: now.actual,
                baseline: now.baseline,
                start: now.start,
                deadline: now.deadline,
                owner: m.owner.as_deref(),
                frequency: m.frequency,
                weight: m.weight,
                rollup: m.rollup,
                progress: now.progress,
                shortfall: now.shortfall,
                elapsed: now.elapsed,
                pace: now.pace,
                forecast: now.forecast,
                forecast_progress: now.forecast_progress,
                status: now.status,
                impact: r.impact,
                rate_so_far: now.rate_so_far,
                required_rate: now.required_rate,
                last_measured: now.last_measured,
                location: m.cell_of(crate::model::Field::Id).reference(),
                previous: JsonPrevious {
                    as_of: r.previous.as_of,
                    progress: r.previous.progress,
                    status: r.previous.status,
                },
            }
        })
        .collect();
    let priorities = analysis
        .priorities
        .iter()
        .map(|p| JsonPriority {
            rank: p.rank,
            id: &p.id,
            score: p.score,
            impact: p.impact,
            shortfall_ratio: p.shortfall_ratio,
            deadline: p.deadline,
        })
        .collect();
    let checks = analysis
        .findings
        .iter()
        .map(|f| JsonCheck::new(f, ctx.lang))
        .collect();
    JsonReport {
        schema: SCHEMA,
        as_of: analysis.as_of,
        source: ctx.source,
        lang: ctx.lang.code(),
        metrics,
        priorities,
        checks,
    }
}

/// The JSON text, pretty-printed with a final newline.
pub fn render(ctx: &ReportContext) -> String {
    let mut bytes = Vec::new();
    // Writing into memory cannot fail, and the document has no map with non-string keys.
    let _ = write(ctx, &mut bytes);
    String::from_utf8(bytes).unwrap_or_default()
}

/// Write the JSON text to `out` as it is serialised (the same bytes as [`render`]).
pub fn write(ctx: &ReportContext, mut out: impl std::io::Write) -> std::io::Result<()> {
    serde_json::to_writer_pretty(&mut out, &document(ctx))?;
    out.write_all(b"\n")
}

//! `X-report.json`: the stable `kpi-report/1` schema of SPEC section 6. Fractions are
//! fractions, dates are `YYYY-MM-DD`, absent values are `null`.

use chrono::NaiveDate;
use serde::Serialize;

use crate::analysis::{Analysis, Figures, MetricReport, PeriodFigures};
use crate::findings::Finding;
use crate::model::{Aggregation, Direction, ForecastMethod, Frequency, Kind, Lang, Rollup, Status};

use super::context::ReportContext;

pub const SCHEMA: &str = "kpi-report/1";

#[derive(Debug, Serialize)]
pub struct JsonReport<'a> {
    pub schema: &'static str,
    pub as_of: NaiveDate,
    pub source: &'a str,
    pub lang: &'static str,
    /// Each metric is built as it is written: a 20,000-metric document held whole took
    /// 60 MB at the peak of a run.
    pub metrics: Metrics<'a>,
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
    pub aggregation: Aggregation,
    /// `null` for a metric tracked without a target (status `no_target`).
    pub target: Option<f64>,
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
    pub expected_progress: Option<f64>,
    pub plan_to_date: Option<f64>,
    /// Only with a phased plan.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub plan_total: Option<f64>,
    pub variance: Option<f64>,
    pub attainment: Option<f64>,
    pub pace: Option<f64>,
    pub forecast: Option<f64>,
    pub forecast_method: Option<ForecastMethod>,
    pub forecast_progress: Option<f64>,
    /// (v2) 着地差異: forecast − the plan at the deadline (`plan_total`, else the straight
    /// line's end, the target).
    pub forecast_variance: Option<f64>,
    /// (v2) forecast / the plan at the deadline.
    pub forecast_attainment: Option<f64>,
    pub status: Status,
    pub impact: Option<f64>,
    pub rate_so_far: Option<f64>,
    pub required_rate: Option<f64>,
    pub last_measured: Option<NaiveDate>,
    pub location: String,
    pub previous: JsonPrevious,
    pub periods: Periods<'a>,
}

/// One period of a metric's series; the running totals only for `sum` metrics.
#[derive(Debug, Serialize)]
pub struct JsonPeriod {
    pub period: String,
    pub end: NaiveDate,
    pub plan: Option<f64>,
    pub actual: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub plan_cumulative: Option<Option<f64>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub actual_cumulative: Option<Option<f64>>,
}

impl JsonPeriod {
    fn new(p: &PeriodFigures, sum: bool) -> Self {
        JsonPeriod {
            period: p.period.label(),
            end: p.period.end,
            plan: p.plan,
            actual: p.actual,
            plan_cumulative: sum.then_some(p.plan_cumulative),
            actual_cumulative: sum.then_some(p.actual_cumulative),
        }
    }
}

/// A metric's periods, each built as it is written.
#[derive(Debug)]
pub struct Periods<'a>(&'a Figures);

impl Serialize for Periods<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let sum = self.0.aggregation == Aggregation::Sum;
        serializer.collect_seq(self.0.periods.iter().map(|p| JsonPeriod::new(p, sum)))
    }
}

/// The report's metrics, each built as it is written.
#[derive(Debug)]
pub struct Metrics<'a>(&'a Analysis);

impl Serialize for Metrics<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let analysis = self.0;
        serializer.collect_seq(analysis.metrics.iter().map(|r| metric(analysis, r)))
    }
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

/// The JSON object of one metric.
fn metric<'a>(analysis: &'a Analysis, r: &'a MetricReport) -> JsonMetric<'a> {
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
        aggregation: now.aggregation,
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
        expected_progress: now.expected_progress,
        plan_to_date: now.plan_to_date,
        plan_total: now.plan_total.filter(|_| now.plan_source.is_phased()),
        variance: now.variance,
        attainment: now.attainment,
        pace: now.pace,
        forecast: now.forecast,
        forecast_method: now.forecast_method,
        forecast_progress: now.forecast_progress,
        forecast_variance: now.forecast_variance,
        forecast_attainment: now.forecast_attainment,
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
        periods: Periods(now),
    }
}

/// Build the JSON document of one report.
pub fn document<'a>(ctx: &ReportContext<'a>) -> JsonReport<'a> {
    let analysis = ctx.analysis;
    let metrics = Metrics(analysis);
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
    let mut serializer = serde_json::Serializer::with_formatter(&mut out, OneLinePeriods::new());
    document(ctx)
        .serialize(&mut serializer)
        .map_err(std::io::Error::other)?;
    out.write_all(b"\n")
}

/// Pretty-printed JSON, except that containers nested deeper than a metric's `periods`
/// list (each period) are written on one line: a report of 20,000 metrics has 480,000 of
/// them, and one line each keeps the file readable and half the size.
struct OneLinePeriods {
    pretty: Pretty,
    /// How many containers are open.
    depth: usize,
}

/// The document (1) › metrics (2) › a metric (3) › periods (4) › a period (5).
const ONE_LINE_DEPTH: usize = 5;

type Pretty = serde_json::ser::PrettyFormatter<'static>;

impl OneLinePeriods {
    fn new() -> Self {
        OneLinePeriods {
            pretty: serde_json::ser::PrettyFormatter::new(),
            depth: 0,
        }
    }

    fn inline(&self) -> bool {
        self.depth >= ONE_LINE_DEPTH
    }

    /// Inline, `text`; else what the pretty formatter writes.
    fn either<W: ?Sized + std::io::Write>(
        &mut self,
        w: &mut W,
        text: &[u8],
        pretty: impl FnOnce(&mut Pretty, &mut W) -> std::io::Result<()>,
    ) -> std::io::Result<()> {
        if self.inline() {
            w.write_all(text)
        } else {
            pretty(&mut self.pretty, w)
        }
    }

    /// A container opens: one level deeper, then its bracket.
    fn open<W: ?Sized + std::io::Write>(
        &mut self,
        w: &mut W,
        bracket: &[u8],
        pretty: impl FnOnce(&mut Pretty, &mut W) -> std::io::Result<()>,
    ) -> std::io::Result<()> {
        self.depth += 1;
        self.either(w, bracket, pretty)
    }

    /// A container closes: its bracket at its own level, then one level up.
    fn close<W: ?Sized + std::io::Write>(
        &mut self,
        w: &mut W,
        bracket: &[u8],
        pretty: impl FnOnce(&mut Pretty, &mut W) -> std::io::Result<()>,
    ) -> std::io::Result<()> {
        let result = self.either(w, bracket, pretty);
        self.depth -= 1;
        result
    }
}

impl serde_json::ser::Formatter for OneLinePeriods {
    fn begin_array<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.open(w, b"[", |p, w| p.begin_array(w))
    }

    fn end_array<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.close(w, b"]", |p, w| p.end_array(w))
    }

    fn begin_array_value<W: ?Sized + std::io::Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> std::io::Result<()> {
        let separator: &[u8] = if first { b"" } else { b", " };
        self.either(w, separator, |p, w| p.begin_array_value(w, first))
    }

    fn end_array_value<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.either(w, b"", |p, w| p.end_array_value(w))
    }

    fn begin_object<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.open(w, b"{", |p, w| p.begin_object(w))
    }

    fn end_object<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.close(w, b"}", |p, w| p.end_object(w))
    }

    fn begin_object_key<W: ?Sized + std::io::Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> std::io::Result<()> {
        let separator: &[u8] = if first { b"" } else { b", " };
        self.either(w, separator, |p, w| p.begin_object_key(w, first))
    }

    fn begin_object_value<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.either(w, b": ", |p, w| p.begin_object_value(w))
    }

    fn end_object_value<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.either(w, b"", |p, w| p.end_object_value(w))
    }
}

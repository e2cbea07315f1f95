//! `kpi-report.toml`: every setting with its default, validated into one [`Settings`] value
//! the rest of the code trusts. Unknown keys and wrong types are refused with the key named.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::contract::{Column, SheetRole, FIELDS};
use crate::model::{Aggregation, ForecastMethod, Lang};

mod locate;
pub mod mailbox;
pub mod messages;
pub mod rules;
pub mod smtp;
pub use mailbox::Mailbox;
use messages::{Carried, ReadFault, Step};
pub use messages::{ConfigError, ConfigIssue, Fault};
pub use rules::{GoalEntry, SetRule};
pub use smtp::{Security, Smtp};

/// Status thresholds on pace (progress / elapsed).
#[derive(Debug, Clone, Copy, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Thresholds {
    /// Pace at or above this is `on_track`.
    pub on_track: f64,
    /// Pace at or above this (and below `on_track`) is `at_risk`; below is `off_track`.
    pub at_risk: f64,
}

impl Default for Thresholds {
    fn default() -> Self {
        Thresholds {
            on_track: 0.95,
            at_risk: 0.80,
        }
    }
}

/// Extra sheet and column names, added to the built-in English and Japanese ones.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Names {
    /// `kgi`, `kpi`, `actuals` -> extra sheet names.
    pub sheets: BTreeMap<String, Vec<String>>,
    /// Field (`id`, `name`, `target`, ... `date`, `value`) -> extra column headers.
    pub columns: BTreeMap<String, Vec<String>>,
}

/// E-mail headers for `--eml`; every address is parsed when the config is read, and an
/// error names its key.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(try_from = "RawEmail")]
pub struct Email {
    pub from: Mailbox,
    pub to: Vec<Mailbox>,
    pub cc: Vec<Mailbox>,
    /// Subject pattern: `{period}` (YYYY-MM of as-of), `{stem}`, `{as_of}`, `{owner}`.
    pub subject: String,
    /// `email.burst = "owner"`: also one report per owner (as `run --burst owner`).
    pub burst: Option<Burst>,
    /// `[email.owners]`: an owner's name (as in the Owner column) and their addresses.
    pub owners: BTreeMap<String, Vec<Mailbox>>,
}

/// How the reports of one input are split up (`--burst`, `email.burst`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum Burst {
    /// One report per owner of the Owner column.
    Owner,
}

/// One address or a list of them (`[email.owners]`).
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(untagged)]
enum OneOrMany {
    One(String),
    Many(Vec<String>),
}

impl Default for Email {
    fn default() -> Self {
        Email {
            from: Mailbox {
                name: Some("kpi-report".to_string()),
                address: "kpi-report@localhost".to_string(),
                text: "kpi-report <kpi-report@localhost>".to_string(),
            },
            to: Vec::new(),
            cc: Vec::new(),
            subject: "KPI report {period}: {stem}".to_string(),
            burst: None,
            owners: BTreeMap::new(),
        }
    }
}

/// `[email]` as written, before its addresses are parsed.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, default)]
struct RawEmail {
    from: String,
    to: Vec<String>,
    cc: Vec<String>,
    subject: String,
    burst: Option<Burst>,
    owners: BTreeMap<String, OneOrMany>,
}

impl Default for RawEmail {
    fn default() -> Self {
        let email = Email::default();
        RawEmail {
            from: email.from.text,
            to: Vec::new(),
            cc: Vec::new(),
            subject: email.subject,
            burst: None,
            owners: BTreeMap::new(),
        }
    }
}

impl TryFrom<RawEmail> for Email {
    type Error = Carried;

    fn try_from(raw: RawEmail) -> Result<Self, Self::Error> {
        let parse = |key: &[&str], text: &str| {
            mailbox::parse_mailbox(text).map_err(|reason| {
                Carried::new(
                    key,
                    Fault::Address {
                        value: crate::text::quoted(text),
                        reason,
                    },
                )
            })
        };
        let list = |key: &[&str], texts: &[String]| -> Result<Vec<Mailbox>, Carried> {
            texts.iter().map(|t| parse(key, t)).collect()
        };
        Ok(Email {
            from: parse(&["from"], &raw.from)?,
            to: list(&["to"], &raw.to)?,
            cc: list(&["cc"], &raw.cc)?,
            subject: raw.subject,
            burst: raw.burst,
            owners: raw
                .owners
                .iter()
                .map(|(owner, addresses)| {
                    let key = ["owners", owner.as_str()];
                    let addresses = match addresses {
                        OneOrMany::One(one) => list(&key, std::slice::from_ref(one))?,
                        OneOrMany::Many(many) => list(&key, many)?,
                    };
                    if owner.trim().is_empty() {
                        return Err(Carried::new(&key, Fault::EmptyOwner));
                    }
                    Ok((owner.trim().to_string(), addresses))
                })
                .collect::<Result<_, Carried>>()?,
        })
    }
}

/// The encoding a CSV source is read in: told from the bytes, or given by the config.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(try_from = "String")]
pub enum TextEncoding {
    #[default]
    Auto,
    Utf8,
    /// Windows-31J (Shift_JIS with the NEC and IBM extensions: 髙 﨑 ㎝ Ⅲ).
    Cp932,
    /// UTF-16 with a BOM (little-endian without one).
    Utf16,
    /// Western European Windows text: read only when the config says so.
    Windows1252,
}

impl TextEncoding {
    /// The config's spelling: `auto`, `utf-8`, `cp932` (also `shift_jis`, `sjis`,
    /// `windows-31j`), `utf-16`, `windows-1252` (also `latin1`).
    pub fn parse(text: &str) -> Option<TextEncoding> {
        let key: String = text
            .trim()
            .to_ascii_lowercase()
            .chars()
            .filter(|c| !matches!(c, '-' | '_' | ' '))
            .collect();
        Some(match key.as_str() {
            "auto" => TextEncoding::Auto,
            "utf8" | "utf8bom" => TextEncoding::Utf8,
            "cp932" | "shiftjis" | "sjis" | "windows31j" | "ms932" => TextEncoding::Cp932,
            "utf16" | "utf16le" | "utf16be" | "unicode" => TextEncoding::Utf16,
            "windows1252" | "cp1252" | "latin1" | "iso88591" => TextEncoding::Windows1252,
            _ => return None,
        })
    }
}

impl TryFrom<String> for TextEncoding {
    type Error = Carried;

    fn try_from(text: String) -> Result<Self, Self::Error> {
        TextEncoding::parse(&text).ok_or_else(|| {
            Carried::new(
                &[],
                Fault::UnknownWord {
                    value: crate::text::quoted(&text),
                    expected: ["auto", "utf-8", "cp932", "utf-16", "windows-1252"]
                        .map(String::from)
                        .to_vec(),
                },
            )
        })
    }
}

/// `[[sources]]`: a file, folder or glob of exports whose rows feed every input (SPEC 9).
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct SourceConfig {
    /// File, folder or glob, relative to the config file.
    pub path: String,
    /// `actuals` (the default) or `plan`.
    pub role: String,
    /// `auto` (the default), `long` or `wide`.
    pub shape: String,
    /// Column(s) whose values, joined with `/`, form the key; empty: the id or name column.
    pub key: Vec<String>,
    /// Long shape: the period column.
    pub date: Option<String>,
    /// Long shape: the amount column.
    pub value: Option<String>,
    pub encoding: TextEncoding,
    /// Keep only rows whose column holds one of the values.
    #[serde(rename = "where")]
    pub filter: BTreeMap<String, Vec<String>>,
    /// Workbooks: the sheet to read (default the first).
    pub sheet: Option<String>,
    /// Journal exports: the debit side's key column(s) and amount column.
    pub debit: Option<JournalSide>,
    /// Journal exports: the credit side's key column(s) and amount column.
    pub credit: Option<JournalSide>,
}

/// One side of a journal export (借方 or 貸方): the columns whose values, joined with "/",
/// form the side's key (its account, and its department) and the side's amount column.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct JournalSide {
    pub key: Vec<String>,
    pub amount: String,
}

/// Guards against inputs that would exhaust memory.
#[derive(Debug, Clone, Copy, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Limits {
    /// Largest input file, in megabytes.
    pub max_file_mb: u64,
    /// Largest total uncompressed size of a zip-based workbook, in megabytes.
    pub max_uncompressed_mb: u64,
    /// Most rows read from one sheet.
    pub max_rows: u32,
    /// Most columns read from one sheet.
    pub max_columns: u32,
    /// Most cells held in memory for one workbook: the non-empty cells kept from a sheet,
    /// the rectangle an .xls or .ods sheet spans (those are read whole), and the shared
    /// strings an .xlsx declares.
    pub max_cells: u64,
    /// Most metric rows (KGI and KPI sheets together): each becomes a row of the report's
    /// sheets, so at most Excel's 1,048,575 rows below a header.
    pub max_metrics: u32,
}

/// Rows of an Excel sheet below its header row.
pub const EXCEL_DATA_ROWS: u32 = 1_048_575;

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_file_mb: 200,
            max_uncompressed_mb: 2048,
            max_rows: 1_000_000,
            max_columns: 2_000,
            max_cells: 10_000_000,
            max_metrics: 250_000,
        }
    }
}

/// Every setting, with the SPEC's defaults.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Settings {
    /// Report language; `None` follows the input's headers.
    pub lang: Option<Lang>,
    /// First month of the fiscal year (1-12).
    pub fiscal_year_start_month: u32,
    /// (v2) The calendar year in which the fiscal year of month headers without a year
    /// (`4月`, `Apr`) starts; `None` takes it from a title cell or the as-of date.
    pub fiscal_year: Option<i32>,
    /// (v2) How a metric's values add up over time when its row does not say:
    /// `last` (default), `sum` or `average`.
    pub default_aggregation: Aggregation,
    /// (v2) How forecasts are computed when a metric's row does not say: `auto` (default),
    /// `trend`, `run_rate`, `plan` or `average3`.
    pub forecast_method: ForecastMethod,
    pub thresholds: Thresholds,
    /// Cap on each child's progress in a weighted rollup.
    pub rollup_cap: f64,
    pub max_kpis_per_kgi: usize,
    pub stale_grace_days: i64,
    /// How many priorities the workbook and HTML show (the JSON has them all).
    pub top_priorities: usize,
    /// Output file stem: `{stem}`, `{as_of}`, `{period}`.
    pub output_name: String,
    /// Company name for the workbook's document properties and report headers.
    pub company: String,
    pub names: Names,
    pub email: Email,
    /// `[smtp]`: the relay `run --send` and `send DIR` deliver through.
    pub smtp: Smtp,
    pub limits: Limits,
    /// (v2) Columns whose values, joined with `/`, make a goal row's id
    /// (`["部門", "勘定科目"]` gives `営業1部/売上高`).
    pub id_columns: Vec<String>,
    /// (v2) `[[set]]` rules: fields filled for the metrics they match.
    pub set: Vec<SetRule>,
    /// (v2) `[[goal]]` entries: goals the workbook does not hold, or fields for its metrics.
    pub goal: Vec<GoalEntry>,
    /// `[[sources]]`, in file order.
    pub sources: Vec<SourceConfig>,
    /// The folder of the config file, which source paths are relative to.
    #[serde(skip)]
    pub config_dir: PathBuf,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            lang: None,
            fiscal_year_start_month: 4,
            fiscal_year: None,
            default_aggregation: Aggregation::Last,
            forecast_method: ForecastMethod::Auto,
            thresholds: Thresholds::default(),
            rollup_cap: 1.0,
            max_kpis_per_kgi: 5,
            stale_grace_days: 7,
            top_priorities: 5,
            output_name: "{stem}".to_string(),
            company: String::new(),
            names: Names::default(),
            email: Email::default(),
            smtp: Smtp::default(),
            limits: Limits::default(),
            id_columns: Vec::new(),
            set: Vec::new(),
            goal: Vec::new(),
            sources: Vec::new(),
            config_dir: PathBuf::new(),
        }
    }
}

/// A config file is at most this large (a config is a few dozen lines).
const MAX_CONFIG_BYTES: u64 = 1024 * 1024;

/// The config file's name looked for in the current folder.
pub const DEFAULT_CONFIG: &str = "kpi-report.toml";

/// A key's path in the config: `key(&["smtp", "port"])`.
fn key(steps: &[&str]) -> Vec<Step> {
    steps.iter().map(|s| Step::Key(s.to_string())).collect()
}

/// A key of the n-th table of an array (`[[sources]]`, `[[set]]`), from 0.
fn key_in(array: &str, index: usize, field: &str) -> Vec<Step> {
    let mut path = vec![Step::Key(array.to_string()), Step::Index(index)];
    if !field.is_empty() {
        path.push(Step::Key(field.to_string()));
    }
    path
}

/// An issue at a key.
fn fault(path: Vec<Step>, fault: Fault) -> ConfigIssue {
    ConfigIssue::at(path, fault)
}

impl Settings {
    /// Read `path`, or `./kpi-report.toml` when it exists, or the defaults.
    pub fn load(path: Option<&Path>) -> Result<Settings, ConfigError> {
        let path = match path {
            Some(p) => p.to_path_buf(),
            None => {
                let default = PathBuf::from(DEFAULT_CONFIG);
                if !default.is_file() {
                    return Ok(Settings::default());
                }
                default
            }
        };
        let read_error = |fault: ReadFault| ConfigError::Read {
            path: path.clone(),
            fault,
        };
        let bytes = crate::files::read_regular_or_device(&path, MAX_CONFIG_BYTES).map_err(|e| {
            read_error(match e {
                crate::files::FileError::TooLarge(_) => ReadFault::TooLarge {
                    kb: MAX_CONFIG_BYTES / 1024,
                },
                crate::files::FileError::Folder => ReadFault::Folder,
                crate::files::FileError::NotRegular => ReadFault::NotRegular,
                crate::files::FileError::Io(io) => match io.kind() {
                    std::io::ErrorKind::NotFound => ReadFault::Missing,
                    std::io::ErrorKind::PermissionDenied => ReadFault::PermissionDenied,
                    _ => ReadFault::Other(crate::files::describe_io(&io)),
                },
            })
        })?;
        let text = String::from_utf8(bytes).map_err(|_| read_error(ReadFault::NotUtf8))?;
        let mut settings = Settings::parse(&text).map_err(|issue| ConfigError::Invalid {
            path: path.clone(),
            issue: Box::new(issue),
            lang: locate::lang(&text),
        })?;
        settings.config_dir = path.parent().map(Path::to_path_buf).unwrap_or_default();
        Ok(settings)
    }

    /// Parse and validate config text; the issue names the offending key and its line.
    pub fn parse(text: &str) -> Result<Settings, ConfigIssue> {
        let doc = locate::parse(text)?;
        let settings: Settings =
            toml::from_str(text).map_err(|e| locate::serde_issue(&doc, text, &e))?;
        settings.validate().map_err(|mut issue| {
            issue.line = locate::line_of(&doc, text, &issue.path);
            issue
        })?;
        Ok(settings)
    }

    fn validate(&self) -> Result<(), ConfigIssue> {
        if !(1..=12).contains(&self.fiscal_year_start_month) {
            return Err(fault(
                key(&["fiscal_year_start_month"]),
                Fault::FiscalMonth {
                    value: self.fiscal_year_start_month.to_string(),
                },
            ));
        }
        if let Some(year) = self.fiscal_year.filter(|y| !(1900..=9998).contains(y)) {
            return Err(fault(
                key(&["fiscal_year"]),
                Fault::FiscalYear {
                    value: year.to_string(),
                },
            ));
        }
        let t = self.thresholds;
        if !(t.on_track.is_finite() && t.at_risk.is_finite() && t.at_risk <= t.on_track) {
            return Err(fault(
                key(&["thresholds", "at_risk"]),
                Fault::Thresholds {
                    at_risk: t.at_risk.to_string(),
                    on_track: t.on_track.to_string(),
                },
            ));
        }
        if !(self.rollup_cap.is_finite() && self.rollup_cap > 0.0) {
            return Err(fault(
                key(&["rollup_cap"]),
                Fault::PositiveNumber {
                    value: self.rollup_cap.to_string(),
                },
            ));
        }
        if self.stale_grace_days < 0 {
            return Err(fault(key(&["stale_grace_days"]), Fault::NotNegative));
        }
        if self.output_name.trim().is_empty()
            || self.output_name.contains(['/', '\\'])
            || self.output_name.contains("..")
        {
            return Err(fault(
                key(&["output_name"]),
                Fault::OutputName {
                    value: crate::text::quoted(&self.output_name),
                },
            ));
        }
        for (i, source) in self.sources.iter().enumerate() {
            if source.path.trim().is_empty() {
                return Err(fault(key_in("sources", i, "path"), Fault::SourcePath));
            }
            if !["", "actuals", "plan"].contains(&source.role.as_str()) {
                return Err(fault(
                    key_in("sources", i, "role"),
                    Fault::UnknownWord {
                        value: crate::text::quoted(&source.role),
                        expected: ["actuals", "plan"].map(String::from).to_vec(),
                    },
                ));
            }
            if !["", "auto", "long", "wide", "rows", "grid"].contains(&source.shape.as_str()) {
                return Err(fault(
                    key_in("sources", i, "shape"),
                    Fault::UnknownWord {
                        value: crate::text::quoted(&source.shape),
                        expected: ["auto", "long", "wide", "rows", "grid"]
                            .map(String::from)
                            .to_vec(),
                    },
                ));
            }
            if source.shape == "long" && (source.date.is_none() || source.value.is_none()) {
                return Err(fault(
                    key_in("sources", i, "shape"),
                    Fault::LongShapeColumns,
                ));
            }
            let sides = [("debit", &source.debit), ("credit", &source.credit)];
            if sides.iter().any(|(_, s)| s.is_some()) {
                let extra = [
                    ("key", !source.key.is_empty()),
                    ("value", source.value.is_some()),
                    ("shape", source.shape == "wide"),
                ];
                if let Some((name, _)) = extra.iter().find(|(_, given)| *given) {
                    return Err(fault(key_in("sources", i, name), Fault::JournalColumns));
                }
                for (name, side) in sides {
                    if side
                        .as_ref()
                        .is_some_and(|s| s.key.is_empty() || s.amount.trim().is_empty())
                    {
                        return Err(fault(key_in("sources", i, name), Fault::JournalSide));
                    }
                }
            }
        }
        for (name, names) in &self.names.sheets {
            if SheetRole::from_key(name).is_none() {
                let known = SheetRole::ALL.iter().map(|r| r.key().to_string()).collect();
                return Err(fault(
                    key(&["names", "sheets", name]),
                    Fault::UnknownKey { expected: known },
                ));
            }
            if names.iter().any(|n| n.trim().is_empty()) {
                return Err(fault(key(&["names", "sheets", name]), Fault::EmptyName));
            }
        }
        for (name, names) in &self.names.columns {
            if Column::from_key(name).is_none() {
                let known = FIELDS.iter().map(|f| f.key.to_string()).collect();
                return Err(fault(
                    key(&["names", "columns", name]),
                    Fault::UnknownKey { expected: known },
                ));
            }
            if names.iter().any(|n| n.trim().is_empty()) {
                return Err(fault(key(&["names", "columns", name]), Fault::EmptyName));
            }
        }
        for (i, name) in self.id_columns.iter().enumerate() {
            if name.trim().is_empty() {
                return Err(fault(
                    vec![Step::Key("id_columns".to_string()), Step::Index(i)],
                    Fault::EmptyName,
                ));
            }
        }
        for (i, rule) in self.set.iter().enumerate() {
            rule.fill()
                .map_err(|(field, f)| fault(key_in("set", i, field), f))?;
        }
        for (i, goal) in self.goal.iter().enumerate() {
            goal.fill()
                .map_err(|(field, f)| fault(key_in("goal", i, field), f))?;
        }
        self.smtp
            .validate()
            .map_err(|(field, f)| fault(key(&["smtp", field]), f))?;
        let l = self.limits;
        let zero = [
            ("max_file_mb", l.max_file_mb == 0),
            ("max_uncompressed_mb", l.max_uncompressed_mb == 0),
            ("max_rows", l.max_rows == 0),
            ("max_columns", l.max_columns == 0),
            ("max_cells", l.max_cells == 0),
            ("max_metrics", l.max_metrics == 0),
        ];
        if let Some((name, _)) = zero.iter().find(|(_, zero)| *zero) {
            return Err(fault(key(&["limits", name]), Fault::Positive));
        }
        if l.max_metrics > EXCEL_DATA_ROWS {
            return Err(fault(
                key(&["limits", "max_metrics"]),
                Fault::AtMost {
                    max: EXCEL_DATA_ROWS.to_string(),
                },
            ));
        }
        Ok(())
    }

    /// Extra names for a sheet (`kgi`, `kpi`, `actuals`) or a column field.
    pub fn extra_sheet_names(&self, sheet: &str) -> &[String] {
        self.names
            .sheets
            .get(sheet)
            .map(Vec::as_slice)
            .unwrap_or(&[])
    }

    pub fn extra_column_names(&self, field: &str) -> &[String] {
        self.names
            .columns
            .get(field)
            .map(Vec::as_slice)
            .unwrap_or(&[])
    }
}

#[cfg(test)]
mod tests;

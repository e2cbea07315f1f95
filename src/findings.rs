//! Findings: read errors and health checks, each with a code, a severity, where it stands in
//! the input, and a message in English or Japanese rendered only when the report is written.

use std::fmt;

use serde::Serialize;

use crate::contract::{Column, Heading, SheetRole};
use crate::model::{Frequency, Lang, Location, Status};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
    Info,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        }
    }

    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            Severity::Error => lang.pick("error", "エラー"),
            Severity::Warning => lang.pick("warning", "警告"),
            Severity::Info => lang.pick("info", "情報"),
        }
    }

    /// True when this severity is at or above `threshold` (error is the highest).
    pub fn at_least(self, threshold: Severity) -> bool {
        self <= threshold
    }
}

/// Check codes of SPEC section 5.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Code {
    E01,
    E02,
    E03,
    E04,
    E05,
    E06,
    E07,
    W01,
    W02,
    W03,
    W04,
    W05,
    W06,
    W07,
    W08,
    W09,
    W10,
    W11,
    W12,
    W13,
    W14,
    W15,
    W16,
    W17,
    W18,
    W19,
    W20,
    I01,
    I02,
    I03,
    I04,
}

impl Code {
    pub fn severity(self) -> Severity {
        use Code::*;
        match self {
            E01 | E02 | E03 | E04 | E05 | E06 | E07 => Severity::Error,
            I01 | I02 | I03 | I04 => Severity::Info,
            _ => Severity::Warning,
        }
    }

    pub fn as_str(self) -> &'static str {
        use Code::*;
        match self {
            E01 => "E01",
            E02 => "E02",
            E03 => "E03",
            E04 => "E04",
            E05 => "E05",
            E06 => "E06",
            E07 => "E07",
            W01 => "W01",
            W02 => "W02",
            W03 => "W03",
            W04 => "W04",
            W05 => "W05",
            W06 => "W06",
            W07 => "W07",
            W08 => "W08",
            W09 => "W09",
            W10 => "W10",
            W11 => "W11",
            W12 => "W12",
            W13 => "W13",
            W14 => "W14",
            W15 => "W15",
            W16 => "W16",
            W17 => "W17",
            W18 => "W18",
            W19 => "W19",
            W20 => "W20",
            I01 => "I01",
            I02 => "I02",
            I03 => "I03",
            I04 => "I04",
        }
    }
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What is wrong, with the data its message needs. The code follows from the problem.
#[derive(Debug, Clone, PartialEq)]
pub enum Problem {
    // --- E01..E06: the goal set is inconsistent
    DuplicateId {
        id: String,
        first: String,
    },
    UnknownParent {
        parent: String,
    },
    Cycle {
        path: Vec<String>,
    },
    MissingId,
    UnreadableNumber {
        field: Column,
        raw: String,
    },
    UnreadableDate {
        field: Column,
        raw: String,
    },
    UnknownWord {
        field: Column,
        raw: String,
        expected: String,
    },
    /// A weight that is a number but not a valid weight (below 0).
    InvalidWeight {
        raw: String,
    },
    FormulaWithoutValue {
        formula: String,
    },
    ErrorValue {
        value: String,
    },
    /// A formula whose saved value is an error the reader does not name (.xlsb).
    FormulaErrorValue,
    /// An empty required cell inside a merged area: only the area's first cell holds a value.
    MergedCell {
        field: Column,
        area: String,
    },
    StartNotBeforeDeadline {
        start: String,
        deadline: String,
    },
    TargetEqualsBaseline {
        target: String,
    },
    SumWithoutChildInUnit {
        unit: String,
    },
    // --- E07: the file cannot be used at all
    /// The input path names nothing readable (missing, a folder, no permission, a device).
    InputPath {
        detail: String,
    },
    NotAWorkbook {
        detail: String,
    },
    Encrypted,
    EmptyFile,
    NoSheets,
    TooLarge {
        what: String,
        limit: String,
    },
    /// A zip entry that inflates far beyond what real workbook XML does.
    ZipBomb {
        entry: String,
        compressed: u64,
        size: u64,
    },
    Unreadable {
        detail: String,
    },
    MissingSheet {
        sheet: SheetRole,
        accepted: String,
    },
    /// (v2) No sheet is a goal sheet: the workbook's sheets and the accepted names.
    NoGoalSheet {
        sheets: String,
        kgi: String,
        kpi: String,
    },
    /// Required columns not found, each with the header names accepted for it.
    MissingColumns {
        columns: Vec<(Column, String)>,
        /// The 1-based row that came closest to a header row (naming the most columns).
        row: Option<u32>,
        /// A goal sheet taken for its name: its role and the workbook's sheets, so the
        /// message says how to map another sheet with `names.sheets`.
        goal_sheets: Option<(SheetRole, String)>,
    },
    /// No row of text within the header search names a required column: no header row at
    /// all. The closest text row (its 1-based number and texts), when there is one.
    NoHeaderRow {
        columns: Vec<(Column, String)>,
        closest: Option<(u32, String)>,
        /// As for `MissingColumns`.
        goal_sheets: Option<(SheetRole, String)>,
    },
    /// (v2) An Actuals or Plan sheet whose header fits none of the table shapes: what the
    /// header search saw (`MissingColumns` or `NoHeaderRow`), and the shapes tried.
    NoTableShape {
        seen: Box<Problem>,
    },
    /// Two header cells name the same field: which one holds the data is ambiguous.
    DuplicateColumn {
        column: Heading,
        first: String,
        second: String,
    },
    // --- warnings and info
    KgiWithoutKpi,
    TooManyKpis {
        count: usize,
        max: usize,
    },
    NotLinked,
    NoDeadline,
    DeadlineAfterKgi {
        deadline: String,
        kgi: String,
        kgi_deadline: String,
    },
    NoOwner,
    NoFrequency,
    Stale {
        last: String,
        days: i64,
        allowed: i64,
    },
    NotMece {
        sum: String,
        target: String,
    },
    NotAchievable {
        required: String,
        so_far: String,
        per: Frequency,
    },
    KpisDoNotDrive {
        status: Status,
    },
    NoUnit,
    /// (v2) Two values for one `last`/`average` metric on one date; the later one is used.
    /// Said once per metric: `more` counts the other dates with two values.
    SameDate {
        date: String,
        first: String,
        second: String,
        more: usize,
    },
    /// (v2) The plan does not add up to the target.
    PlanNotTarget {
        /// `sum`: the plan's total; `last`: its last value.
        plan: String,
        target: String,
        sum: bool,
    },
    /// (v2) Periods without a value between the first value and as-of.
    MissingPeriods {
        periods: Vec<String>,
    },
    /// (v2) Values that look like amounts per period on a `last` metric.
    LooksLikeAmounts {
        largest: String,
        target: String,
    },
    /// (v2) A baseline on a `sum` metric is ignored.
    BaselineIgnored,
    /// (v2) The goal set names no KGI.
    NoKgi,
    /// (v2) W19: metrics with neither a target nor a plan, tracked only (`count` of them;
    /// `names` holds the first few).
    NoTarget {
        count: usize,
        names: Vec<String>,
    },
    /// (v2) A `[[set]]` rule of the config that matches no metric.
    RuleMatchesNothing {
        rule: String,
    },
    /// (v2) No sheet name matched: this sheet was taken as the goal sheet.
    GoalSheetGuessed {
        sheet: String,
    },
    /// (v2) I03: no goal sheet, the metrics were taken from a period table's keys.
    GoalSetFromTable {
        sheet: String,
        /// How the table was read: "long", "wide" or "rows" (periods down the rows).
        shape: &'static str,
        metrics: usize,
        /// Of them, those with a plan (target = plan total, aggregation sum).
        planned: usize,
    },
    /// A name, owner, unit, id or parent longer than the outputs carry: cut.
    TextCut {
        field: Column,
        chars: usize,
        max: usize,
    },
    /// Read when `--keep-going` dropped a row.
    RowDropped,
    /// (v2) E04: a month header without a year that is out of fiscal order (the column is
    /// not read: which year it belongs to is a guess).
    MonthOutOfOrder {
        raw: String,
        previous: String,
        first_month: u32,
    },
    /// E07: a CSV (an input or an export given as a source) that cannot be read.
    ExportUnreadable {
        detail: String,
    },
    /// W17: the same metric and period from two sources; the later one is taken.
    SourceOverlap {
        period: String,
        first: String,
        second: String,
    },
    /// I02: rows of a source that no metric collects (the location names the file).
    UnmatchedRows {
        rows: u64,
        total: String,
        keys: Vec<String>,
    },
}

impl Problem {
    pub fn code(&self) -> Code {
        use Problem::*;
        match self {
            DuplicateId { .. } => Code::E01,
            UnknownParent { .. } => Code::E02,
            Cycle { .. } => Code::E03,
            MissingId
            | UnreadableNumber { .. }
            | UnreadableDate { .. }
            | UnknownWord { .. }
            | InvalidWeight { .. }
            | FormulaWithoutValue { .. }
            | ErrorValue { .. }
            | FormulaErrorValue
            | MergedCell { .. }
            | RowDropped
            | MonthOutOfOrder { .. } => Code::E04,
            StartNotBeforeDeadline { .. } | TargetEqualsBaseline { .. } => Code::E05,
            SumWithoutChildInUnit { .. } => Code::E06,
            InputPath { .. }
            | NotAWorkbook { .. }
            | Encrypted
            | EmptyFile
            | NoSheets
            | TooLarge { .. }
            | ZipBomb { .. }
            | Unreadable { .. }
            | MissingSheet { .. }
            | NoGoalSheet { .. }
            | MissingColumns { .. }
            | NoHeaderRow { .. }
            | NoTableShape { .. }
            | DuplicateColumn { .. } => Code::E07,
            KgiWithoutKpi => Code::W01,
            TooManyKpis { .. } => Code::W02,
            NotLinked => Code::W03,
            NoDeadline => Code::W04,
            DeadlineAfterKgi { .. } => Code::W05,
            NoOwner => Code::W06,
            NoFrequency => Code::W07,
            Stale { .. } => Code::W08,
            NotMece { .. } => Code::W09,
            NotAchievable { .. } => Code::W10,
            KpisDoNotDrive { .. } => Code::W11,
            TextCut { .. } => Code::W20,
            NoUnit => Code::I01,
            SameDate { .. } => Code::W12,
            PlanNotTarget { .. } => Code::W13,
            MissingPeriods { .. } => Code::W14,
            LooksLikeAmounts { .. } => Code::W16,
            BaselineIgnored => Code::I04,
            NoKgi => Code::W15,
            RuleMatchesNothing { .. } => Code::W18,
            NoTarget { .. } => Code::W19,
            GoalSheetGuessed { .. } | GoalSetFromTable { .. } => Code::I03,
            ExportUnreadable { .. } => Code::E07,
            SourceOverlap { .. } => Code::W17,
            UnmatchedRows { .. } => Code::I02,
        }
    }

    pub fn message(&self, lang: Lang) -> String {
        use Problem::*;
        let ja = lang == Lang::Ja;
        match self {
            DuplicateId { id, first } => {
                if ja {
                    format!("ID「{id}」が重複しています({first} と同じ)。IDは一意にしてください")
                } else {
                    format!("duplicate id \"{id}\" (already used at {first}); ids must be unique")
                }
            }
            UnknownParent { parent } => {
                if ja {
                    format!("親ID「{parent}」が見つかりません。KGIシートまたはKPIシートのIDを指定してください")
                } else {
                    format!("parent id \"{parent}\" does not exist; use an id from the KGI or KPI sheet")
                }
            }
            Cycle { path } => {
                let chain = path.join(" → ");
                if ja {
                    format!("親子関係が循環しています: {chain}")
                } else {
                    format!("the tree has a cycle: {chain}")
                }
            }
            MissingId => lang
                .pick(
                    "missing id: the row has data but no id",
                    "IDがありません。データのある行にはIDが必要です",
                )
                .to_string(),
            InvalidWeight { raw } => {
                if ja {
                    format!("重み「{raw}」は0以上の数値にしてください")
                } else {
                    format!("Weight \"{raw}\" is not a valid weight; use a number of 0 or more")
                }
            }
            TextCut { field, chars, max } => {
                let field = field.label(lang);
                if ja {
                    format!("{field}が{chars}文字あり長すぎるため、先頭{max}文字に切り詰めました")
                } else {
                    format!("{field} is {chars} characters long; cut to its first {max} characters")
                }
            }
            UnreadableNumber { field, raw } => {
                let field = field.label(lang);
                if ja {
                    format!("{field}「{raw}」を数値として読めません(例: 1,200 / 6,000万円 / 12.5% / △120)")
                } else {
                    format!("{field} \"{raw}\" is not a number (e.g. 1,200 / 12.5% / (120) / 6,000万円)")
                }
            }
            UnreadableDate { field, raw } => {
                let field = field.label(lang);
                if ja {
                    format!("{field}「{raw}」を日付として読めません(例: 2026/4/1 / 2026年4月1日 / R8.4.1)")
                } else {
                    format!("{field} \"{raw}\" is not a date (e.g. 2026-04-01 / 2026/4/1 / an Excel date)")
                }
            }
            UnknownWord {
                field,
                raw,
                expected,
            } => {
                let field = field.label(lang);
                if ja {
                    format!("{field}「{raw}」は使えません。使える値: {expected}")
                } else {
                    format!("{field} \"{raw}\" is not recognised; expected one of: {expected}")
                }
            }
            FormulaWithoutValue { formula } => {
                if ja {
                    format!("数式「={formula}」の計算結果が保存されていません。Excelで開いて再計算・保存するか、値として貼り付けてください")
                } else {
                    format!("formula \"={formula}\" has no saved value; open the file in Excel, recalculate and save, or paste the values")
                }
            }
            ErrorValue { value } => {
                if ja {
                    format!("セルがエラー値 {value} です。元の数式を直すか、値を入力してください")
                } else {
                    format!("the cell holds the error value {value}; fix the formula behind it or type the value")
                }
            }
            FormulaErrorValue => {
                if ja {
                    "セルの数式の結果がエラー値(#DIV/0!、#N/A など)です。数式を直すか、値を入力してください".to_string()
                } else {
                    "the formula in the cell gives an error value (#DIV/0!, #N/A or another); fix the formula or type the value".to_string()
                }
            }
            MergedCell { field, area } => {
                let field = field.label(lang);
                if ja {
                    format!("{field}が空です。このセルは結合セル {area} の中にあり、値は先頭のセルにしかありません。結合を解除して各行に値を入力してください")
                } else {
                    format!("{field} is empty: the cell is inside the merged cells {area}, whose value belongs to the first cell only; unmerge the cells and fill in every row")
                }
            }
            StartNotBeforeDeadline { start, deadline } => {
                if ja {
                    format!("開始日 {start} が期限 {deadline} 以降です")
                } else {
                    format!("start {start} is on or after the deadline {deadline}")
                }
            }
            TargetEqualsBaseline { target } => {
                if ja {
                    format!("目標値 {target} が基準値と同じです。進捗率を計算できません")
                } else {
                    format!("target {target} equals the baseline, so progress cannot be measured")
                }
            }
            SumWithoutChildInUnit { unit } => {
                if ja {
                    format!("集計が「合計」ですが、単位「{unit}」の子指標がありません")
                } else {
                    format!("rollup is sum but no child is in the parent's unit \"{unit}\"")
                }
            }
            InputPath { detail } => {
                if ja {
                    format!("入力を読めません({detail})")
                } else {
                    format!("cannot read the input: {detail}")
                }
            }
            NotAWorkbook { detail } => {
                if ja {
                    format!("ブックとして読めません({detail})。.xlsx / .xlsm / .xlsb / .xls / .ods を指定してください")
                } else {
                    format!("not a readable workbook ({detail}); expected .xlsx, .xlsm, .xlsb, .xls or .ods")
                }
            }
            Encrypted => lang
                .pick(
                    "the workbook is password-protected (encrypted); save a copy without a password",
                    "ブックがパスワードで保護(暗号化)されています。パスワードなしで保存し直してください",
                )
                .to_string(),
            EmptyFile => lang
                .pick("the file is empty (0 bytes)", "ファイルが空です(0バイト)")
                .to_string(),
            NoSheets => lang
                .pick("the workbook has no sheets", "ブックにシートがありません")
                .to_string(),
            TooLarge { what, limit } => {
                if ja {
                    format!("入力が大きすぎます({what}、上限 {limit})。設定 [limits] で上限を変更できます")
                } else {
                    format!("input too large ({what}; limit {limit}); raise it in the config's [limits] if this is expected")
                }
            }
            ZipBomb {
                entry,
                compressed,
                size,
            } => {
                let mb = *size as f64 / (1024.0 * 1024.0);
                let ratio = size / (*compressed).max(1);
                if ja {
                    format!("{entry} が {compressed} バイトから {mb:.0} MB に展開されます(圧縮率 {ratio}:1)。通常のブックではありえない圧縮率のため読み込みません(zip爆弾の可能性)")
                } else {
                    format!("{entry} would inflate from {compressed} bytes to {mb:.0} MB (ratio {ratio}:1), far beyond any real workbook: refused as a likely zip bomb")
                }
            }
            Unreadable { detail } => {
                if ja {
                    format!("ブックが壊れているため読めません({detail})")
                } else {
                    format!("the workbook is damaged and cannot be read ({detail})")
                }
            }
            MissingSheet { sheet, accepted } => {
                let sheet = sheet.label(lang);
                if ja {
                    format!("{sheet}シートがありません。シート名は次のいずれか: {accepted}")
                } else {
                    format!("no {sheet} sheet; name one of: {accepted}")
                }
            }
            NoGoalSheet { sheets, kgi, kpi } => {
                if ja {
                    format!("目標のシートがありません(このブックのシート: {sheets})。KPIの一覧のシート名を次のいずれかにするか({kpi}。KGIは {kgi})、設定ファイルの names.sheets.kpi にシート名を加えてください。名称と目標値の列がある見出し行のシートも目標のシートとして読みます")
                } else {
                    format!("no goal sheet (the workbook's sheets: {sheets}); name the sheet of goals one of: {kpi} (KGIs: {kgi}), or map it in the config with names.sheets.kpi = [\"your sheet\"]; a sheet whose header row has a name and a target column is also read as the goal sheet")
                }
            }
            MissingColumns {
                columns,
                row,
                goal_sheets,
            } => {
                let (list, accepted, map) = column_lists(columns, lang);
                let row = match row {
                    Some(row) if ja => format!("(見出しに最も近いのは{row}行目)"),
                    Some(row) => format!(" (the closest to a header is row {row})"),
                    None => String::new(),
                };
                let other = other_sheet(goal_sheets, lang);
                if ja {
                    format!("必須の列 {list} が先頭20行の見出しにありません{row}。見出しを次のいずれかにするか({accepted})、設定ファイルで見出しを対応付けてください({map}){other}")
                } else {
                    format!("required column(s) {list} not found in a header row within the first 20 rows{row}; name the header one of: {accepted}; or map yours in the config with {map}{other}")
                }
            }
            NoHeaderRow {
                columns,
                closest,
                goal_sheets,
            } => {
                let (list, accepted, map) = column_lists(columns, lang);
                let closest = match closest {
                    Some((row, texts)) if ja => {
                        format!("文字の行で最も近いのは{row}行目({texts})ですが、必須の列を示す見出しがありません。")
                    }
                    Some((row, texts)) => format!(
                        "the closest row of text, row {row} ({texts}), names none of the required columns. "
                    ),
                    None if ja => "先頭20行に文字の行がありません。".to_string(),
                    None => "the first 20 rows hold no row of text. ".to_string(),
                };
                let other = other_sheet(goal_sheets, lang);
                if ja {
                    format!("見出し行が見つかりません。{closest}データの上に {list} の見出し行を置くか(見出しの例: {accepted})、設定ファイルで見出しを対応付けてください({map}){other}")
                } else {
                    format!("no header row found: {closest}Put a header row naming {list} above the data (accepted headers: {accepted}), or map your headers in the config with {map}{other}")
                }
            }
            NoTableShape { seen } => {
                let seen = seen.message(lang);
                if ja {
                    format!("表の形が分かりません。{seen}。試した形: 縦持ち(キー・日付・値の列)、横持ち(キーの列と期間ごとの列)、行に期間(期間の列 — 日付・年月・yyyymm・年と月 — と指標ごとの列)、予実表(期間の下に予算/実績)")
                } else {
                    format!("the table's shape could not be told: {seen}. Shapes tried: long (a key, a date and a value column), wide (a key column and one column per period), periods down the rows (a period column — a date, 年月, yyyymm, or year and month — and one column per metric), 予実 grid (予算/実績 under each period)")
                }
            }
            DuplicateColumn {
                column,
                first,
                second,
            } => {
                let column = column.label(lang);
                if ja {
                    format!("{first} と {second} がどちらも「{column}」の列です。どちらを読むか決められないため、一方の見出しを変更するか列を削除してください")
                } else {
                    format!("two columns are both {column} ({first} and {second}); rename or delete one so it is clear which one to read")
                }
            }
            KgiWithoutKpi => lang
                .pick(
                    "KGI without any KPI: break it down into the KPIs that drive it",
                    "KPIが1つもないKGIです。KGIから逆算してKPIを設定してください",
                )
                .to_string(),
            TooManyKpis { count, max } => {
                if ja {
                    format!("KGIに直接紐づくKPIが{count}個あります(上限{max})。KPIはできる限り絞りましょう")
                } else {
                    format!("{count} KPIs directly under this KGI (more than {max}); keep KPIs few")
                }
            }
            NotLinked => lang
                .pick(
                    "KPI not linked to any KGI (empty parent)",
                    "どのKGIにも紐づいていないKPIです(親IDが空)",
                )
                .to_string(),
            NoDeadline => lang
                .pick(
                    "no deadline here or anywhere up the tree: the goal is not time-bound",
                    "期限が本人にも上位にも設定されていません(期限のない目標です)",
                )
                .to_string(),
            DeadlineAfterKgi {
                deadline,
                kgi,
                kgi_deadline,
            } => {
                if ja {
                    format!("期限 {deadline} がKGI「{kgi}」の期限 {kgi_deadline} より後です")
                } else {
                    format!("deadline {deadline} is later than KGI {kgi}'s deadline {kgi_deadline}")
                }
            }
            NoOwner => lang
                .pick("no owner", "担当者が設定されていません")
                .to_string(),
            NoFrequency => lang
                .pick(
                    "no measurement frequency (daily/weekly/monthly/quarterly/yearly)",
                    "測定頻度が設定されていません(日次・週次・月次・四半期・年次)",
                )
                .to_string(),
            Stale {
                last,
                days,
                allowed,
            } => {
                if ja {
                    format!("最終測定日 {last} から{days}日経過しています(許容{allowed}日)。実績を更新してください")
                } else {
                    format!("stale: last measured {last}, {days} days ago (allowed {allowed}); update the actuals")
                }
            }
            NotMece { sum, target } => {
                if ja {
                    format!("子指標の目標値の合計 {sum} が目標値 {target} と一致しません(MECEになっていません)")
                } else {
                    format!("children's targets add up to {sum}, not the target {target} (not MECE)")
                }
            }
            NotAchievable {
                required,
                so_far,
                per,
            } => {
                let per = per_interval(*per, lang);
                if ja {
                    format!("必要ペース {required}/{per} が現在のペース {so_far}/{per} の2倍を超えています。このままでは達成困難です")
                } else {
                    format!("required rate {required}/{per} is more than twice the rate so far {so_far}/{per}: not achievable at the current rate")
                }
            }
            KpisDoNotDrive { status } => {
                let status = status.label(lang);
                if ja {
                    format!("子指標はすべて順調・達成なのに、この指標は「{status}」です。KPIがKGIを動かしていない可能性があります")
                } else {
                    format!("{status} although all its children are achieved or on track: the KPIs may not drive this goal")
                }
            }
            NoUnit => lang
                .pick("no unit", "単位が設定されていません")
                .to_string(),
            SameDate {
                date,
                first,
                second,
                more,
            } => {
                if ja {
                    let more = if *more > 0 {
                        format!("(ほかに{more}つの日付でも同様)")
                    } else {
                        String::new()
                    };
                    format!("{date} の値が2つあります({first} と {second}){more}。後の {second} を使います。集計方法が「合計」(月次の金額など)なら 集計方法 = 合計 にしてください。そうでなければ一方を削除してください")
                } else {
                    let more = match more {
                        0 => String::new(),
                        1 => " (and on 1 more date)".to_string(),
                        n => format!(" (and on {n} more dates)"),
                    };
                    format!("two values for {date} ({first} and {second}){more}; the later one, {second}, is used. If the values are amounts to add up (journal lines), set aggregation = sum; otherwise delete one")
                }
            }
            PlanNotTarget { plan, target, sum } => {
                if ja {
                    let what = if *sum { "計画の合計" } else { "計画の最終値" };
                    format!("{what} {plan} が目標値 {target} と一致しません(差が0.5%超)。予算シートか目標値を見直してください")
                } else {
                    let what = if *sum { "the plan adds up to" } else { "the plan ends at" };
                    format!("{what} {plan}, not the target {target} (more than 0.5 % apart); correct the Plan sheet or the target")
                }
            }
            MissingPeriods { periods } => {
                let list = periods.join(", ");
                if ja {
                    format!("実績のない期間があります: {list}。合計の指標では欠けた月は0として扱われるため、実績を入力してください(実績が0なら0と入力)")
                } else {
                    format!("no value for {list}: a missing period of a sum metric counts as nothing; enter its amount (0 if it really was 0)")
                }
            }
            LooksLikeAmounts { largest, target } => {
                if ja {
                    format!("値が期間ごとの金額のように見えます(最大 {largest}、目標値 {target} の4分の1未満で、途中で減っています)。月次の金額なら 集計方法 = 合計 にしてください")
                } else {
                    format!("these values look like amounts per period (the largest, {largest}, is under a quarter of the target {target}, and they go down as well as up); if they are monthly amounts, set aggregation = sum")
                }
            }
            BaselineIgnored => lang
                .pick(
                    "the baseline is ignored: a sum metric adds its amounts up from zero",
                    "集計方法が「合計」の指標は0から積み上げるため、基準値は使いません",
                )
                .to_string(),
            NoKgi => lang
                .pick(
                    "no KGI: the goal set names no final goal; mark the goal the others drive with type KGI, add a total row, or add a [[goal]] of type kgi in the config",
                    "KGIがありません(最終目標が示されていません)。他の指標が貢献する目標の種別をKGIにするか、合計行を置くか、設定ファイルに type = \"kgi\" の [[goal]] を加えてください",
                )
                .to_string(),
            NoTarget { count, names } => {
                let more = count.saturating_sub(names.len());
                if ja {
                    let mut list = names.join("、");
                    if more > 0 {
                        list.push_str(&format!(" ほか{more}件"));
                    }
                    format!("目標値のない指標が{count}件あります({list})。実績と推移は集計しますが、目標値も月次予算もないため進捗率・ペース・優先順位は出せません(ステータスは「目標未設定」)。SMARTの「測定可能」のとおり、達成すべき数値を目標値の列(または予算シート)に入れてください")
                } else {
                    let mut list = names.join(", ");
                    if more > 0 {
                        list.push_str(&format!(" and {more} more"));
                    }
                    format!("{count} metric(s) have no target ({list}): their actuals and trend are tracked, but without a target or a plan there is no progress, pace or priority (status \"no target\"); give each a number to reach in the Target column (or a Plan sheet)")
                }
            }
            RuleMatchesNothing { rule } => {
                if ja {
                    format!("設定ファイルの {rule} に当てはまる指標がありません(IDか名称、* と ? のワイルドカード、sheet の指定を確かめてください)")
                } else {
                    format!("{rule} in the config matches no metric (check the ids or names, the * and ? wildcards, and sheet)")
                }
            }
            GoalSheetGuessed { sheet } => {
                if ja {
                    format!("KGI・KPIのシート名が見つからないため、名称と目標値の列があるシート「{sheet}」を目標のシートとして読みました")
                } else {
                    format!("no sheet is named as a KGI or KPI sheet: read sheet \"{sheet}\" as the goal sheet (its header row has a name and a target column)")
                }
            }
            GoalSetFromTable {
                sheet,
                shape,
                metrics,
                planned,
            } => {
                let (shape_en, shape_ja) = match *shape {
                    "rows" => ("periods down the rows", "行に期間が並ぶ表"),
                    "wide" => ("one column per period", "列に期間が並ぶ表"),
                    _ => ("one value per row", "1行1値の表"),
                };
                if ja {
                    let rest = if planned < metrics { "計画のない指標は目標値を設定ファイルの [[goal]] で与えてください" } else { "" };
                    format!("目標のシートがないため、シート「{sheet}」({shape_ja})のキー {metrics} 件を指標として読みました。計画のある {planned} 件は計画の合計を目標値とし、集計方法を合計にしました。{rest}")
                } else {
                    let rest = if planned < metrics { "; give the others a target with [[goal]] in the config" } else { "" };
                    format!("no goal sheet: took the {metrics} key(s) of sheet \"{sheet}\" ({shape_en}) as the metrics; the {planned} with a plan have its total as their target and aggregation sum{rest}")
                }
            }
            MonthOutOfOrder {
                raw,
                previous,
                first_month,
            } => {
                if ja {
                    format!("月の見出し「{raw}」が「{previous}」の後にあり、年度の順({first_month}月始まり)になっていないため、この列を読みませんでした(月を年度の順に並べるか、年付きの見出し 2026年4月 などにしてください)")
                } else {
                    format!("month header \"{raw}\" comes after \"{previous}\", out of fiscal order (the fiscal year starts in month {first_month}): this column is not read (put the months in fiscal order, or write the year, e.g. 2026-04)")
                }
            }
            RowDropped => lang
                .pick(
                    "row skipped (--keep-going)",
                    "この行をスキップしました(--keep-going)",
                )
                .to_string(),
            ExportUnreadable { detail } => {
                if ja {
                    format!("ファイルを読めません({detail})")
                } else {
                    format!("cannot read the file: {detail}")
                }
            }
            SourceOverlap {
                period,
                first,
                second,
            } => {
                if ja {
                    format!("{period} の値が {first} と {second} の両方にあります。後の {second} の値を使います(再出力は置き換え)")
                } else {
                    format!("the value for {period} comes from both {first} and {second}; the later one, {second}, is taken (a re-export replaces)")
                }
            }
            UnmatchedRows { rows, total, keys } => {
                let keys = keys.join(", ");
                if ja {
                    format!("{rows} 行(合計 {total})はどの指標にも集計されません。キー: {keys}")
                } else {
                    format!("{rows} row(s) (total {total}) match no metric; keys: {keys}")
                }
            }
        }
    }
}

/// The unit of a rate: "month" in "1,200/month".
fn per_interval(frequency: Frequency, lang: Lang) -> &'static str {
    match frequency {
        Frequency::Daily => lang.pick("day", "日"),
        Frequency::Weekly => lang.pick("week", "週"),
        Frequency::Monthly => lang.pick("month", "月"),
        Frequency::Quarterly => lang.pick("quarter", "四半期"),
        Frequency::Yearly => lang.pick("year", "年"),
    }
}

/// A finding's line is cut at this many characters (the texts it quotes are cut at 200).
const MAX_LINE_CHARS: usize = 2_000;

/// One finding about one input.
#[derive(Debug, Clone, PartialEq)]
pub struct Finding {
    pub problem: Problem,
    /// The metric concerned, when there is one.
    pub id: Option<String>,
    /// Where in the workbook; `None` for the file as a whole.
    pub location: Option<Location>,
}

impl Finding {
    pub fn new(problem: Problem, id: Option<&str>, location: Option<Location>) -> Self {
        Finding {
            problem,
            id: id.map(str::to_string),
            location,
        }
    }

    /// A finding about the file as a whole.
    pub fn file(problem: Problem) -> Self {
        Finding::new(problem, None, None)
    }

    pub fn code(&self) -> Code {
        self.problem.code()
    }

    pub fn severity(&self) -> Severity {
        self.code().severity()
    }

    pub fn message(&self, lang: Lang) -> String {
        self.problem.message(lang)
    }

    /// `KPI!C7`, or empty for the whole file.
    pub fn reference(&self) -> String {
        self.location
            .as_ref()
            .map(Location::reference)
            .unwrap_or_default()
    }

    /// `FILE:SHEET!CELL: severity CODE: message`, as `check` prints it: always one line
    /// (control characters in a file or sheet name or in quoted cell text are shown
    /// escaped, so a cell cannot forge another finding's line) of bounded length.
    pub fn line(&self, file: &str, lang: Lang) -> String {
        let reference = self.reference();
        let place = if reference.is_empty() {
            file.to_string()
        } else {
            format!("{file}:{reference}")
        };
        let line = format!(
            "{place}: {} {}: {}",
            self.severity().as_str(),
            self.code(),
            self.message(lang)
        );
        crate::text::escape_controls(&crate::text::shorten(&line, MAX_LINE_CHARS))
    }
}

/// Order findings for display: by severity, then code, then place in the workbook.
pub fn sort_findings(findings: &mut [Finding]) {
    findings.sort_by(|a, b| {
        let key = |f: &Finding| {
            (
                f.severity(),
                f.code(),
                f.location.as_ref().map(|l| (l.sheet.clone(), l.row, l.col)),
            )
        };
        key(a).cmp(&key(b))
    });
}

/// For a goal sheet taken for its name whose header cannot be read: the workbook's sheets
/// and how to make another one the goal sheet.
fn other_sheet(goal_sheets: &Option<(SheetRole, String)>, lang: Lang) -> String {
    let Some((role, sheets)) = goal_sheets else {
        return String::new();
    };
    let key = role.key();
    if lang == Lang::Ja {
        format!("。目標が別のシートにある場合は(このブックのシート: {sheets})、設定ファイルの names.sheets.{key} にそのシート名を加えてください")
    } else {
        format!("; if the goals are on another sheet (the workbook's sheets: {sheets}), map it with names.sheets.{key} = [\"that sheet\"]")
    }
}

/// For a missing-column message: the columns' labels, each with its accepted headers (the
/// config's own included), and the config key that maps a header to the first one.
fn column_lists(columns: &[(Column, String)], lang: Lang) -> (String, String, String) {
    let list = columns
        .iter()
        .map(|(c, _)| c.label(lang))
        .collect::<Vec<_>>()
        .join(", ");
    let accepted = columns
        .iter()
        .map(|(c, names)| format!("{} ({names})", c.label(lang)))
        .collect::<Vec<_>>()
        .join("; ");
    let field = columns.first().map_or("name", |(c, _)| c.key());
    let header = lang.pick("your header", "見出し");
    let map = format!("[names.columns] {field} = [\"{header}\"]");
    (list, accepted, map)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Field;

    #[test]
    fn line_names_file_sheet_and_cell() {
        let finding = Finding::new(
            Problem::UnreadableNumber {
                field: Column::Field(Field::Target),
                raw: "12,3.4".into(),
            },
            Some("K1"),
            Some(Location::cell("KPI", 6, 4)),
        );
        assert_eq!(
            finding.line("in.xlsx", Lang::En),
            "in.xlsx:KPI!E7: error E04: Target \"12,3.4\" is not a number (e.g. 1,200 / 12.5% / (120) / 6,000万円)"
        );
    }

    #[test]
    fn whole_file_findings_name_only_the_file() {
        let finding = Finding::file(Problem::EmptyFile);
        assert_eq!(
            finding.line("x.xlsx", Lang::En),
            "x.xlsx: error E07: the file is empty (0 bytes)"
        );
    }

    #[test]
    fn severities_order_error_first() {
        assert!(Severity::Error.at_least(Severity::Warning));
        assert!(Severity::Warning.at_least(Severity::Warning));
        assert!(!Severity::Info.at_least(Severity::Warning));
        assert!(!Severity::Warning.at_least(Severity::Error));
    }
}

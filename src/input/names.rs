//! The English and Japanese names accepted for sheets and columns, plus the extra names from
//! the config, all matched through [`normalize_key`] (NFKC, case- and space-insensitive).

use crate::config::Settings;
use crate::model::Field;

use crate::text::normalize_key;

/// The three sheets of the input contract.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SheetRole {
    Kgi,
    Kpi,
    Actuals,
}

impl SheetRole {
    pub fn key(self) -> &'static str {
        match self {
            SheetRole::Kgi => "kgi",
            SheetRole::Kpi => "kpi",
            SheetRole::Actuals => "actuals",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            SheetRole::Kgi => "KGI",
            SheetRole::Kpi => "KPI",
            SheetRole::Actuals => "Actuals",
        }
    }

    fn builtin_names(self) -> &'static [&'static str] {
        match self {
            SheetRole::Kgi => &[
                "KGI",
                "KGIs",
                "Goals",
                "Goal",
                "KGI一覧",
                "目標",
                "目標一覧",
                "KGIシート",
            ],
            SheetRole::Kpi => &[
                "KPI",
                "KPIs",
                "Metrics",
                "KPI一覧",
                "指標",
                "指標一覧",
                "KPIシート",
                "KPI・KDI",
            ],
            SheetRole::Actuals => &[
                "Actuals",
                "History",
                "実績",
                "実績推移",
                "実績一覧",
                "推移",
                "Actual",
            ],
        }
    }
}

/// A column of one of the sheets: a metric field, or the Actuals sheet's date and value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Column {
    Field(Field),
    Date,
    Value,
}

impl Column {
    pub fn key(self) -> &'static str {
        match self {
            Column::Field(f) => f.key(),
            Column::Date => "date",
            Column::Value => "value",
        }
    }

    /// The English header shown in messages.
    pub fn label(self) -> &'static str {
        match self {
            Column::Field(f) => match f {
                Field::Id => "ID",
                Field::Name => "Name",
                Field::Parent => "Parent",
                Field::Target => "Target",
                Field::Actual => "Actual",
                Field::Measured => "Measured",
                Field::Baseline => "Baseline",
                Field::Unit => "Unit",
                Field::Direction => "Direction",
                Field::Start => "Start",
                Field::Deadline => "Deadline",
                Field::Owner => "Owner",
                Field::Frequency => "Frequency",
                Field::Weight => "Weight",
                Field::Rollup => "Rollup",
                Field::Type => "Type",
            },
            Column::Date => "Date",
            Column::Value => "Value",
        }
    }

    fn builtin_names(self, role: SheetRole) -> Vec<&'static str> {
        let mut names: Vec<&'static str> = match self {
            Column::Field(Field::Id) => vec!["ID", "Code", "コード", "番号", "ID番号"],
            Column::Field(Field::Name) => vec![
                "Name",
                "名称",
                "指標名",
                "目標名",
                "項目",
                "項目名",
                "Title",
            ],
            Column::Field(Field::Parent) => vec![
                "Parent",
                "Parent ID",
                "KGI ID",
                "親",
                "親ID",
                "紐づくKGI",
                "紐付くKGI",
                "紐づくKPI",
                "上位",
                "上位ID",
                "上位指標",
                "親指標",
            ],
            Column::Field(Field::Target) => vec!["Target", "Goal", "目標値", "Target value"],
            Column::Field(Field::Actual) => vec![
                "Actual",
                "Current",
                "実績",
                "実績値",
                "現状値",
                "現在値",
                "Actual value",
            ],
            Column::Field(Field::Measured) => vec![
                "Measured",
                "As of",
                "測定日",
                "計測日",
                "Measured on",
                "実績日",
                "基準日",
            ],
            Column::Field(Field::Baseline) => vec![
                "Baseline",
                "Start value",
                "基準値",
                "開始値",
                "初期値",
                "Last year",
                "前年実績",
            ],
            Column::Field(Field::Unit) => vec!["Unit", "単位"],
            Column::Field(Field::Direction) => vec!["Direction", "方向", "評価方向", "向き"],
            Column::Field(Field::Start) => vec!["Start", "Start date", "開始日", "開始"],
            Column::Field(Field::Deadline) => vec![
                "Deadline",
                "Due",
                "Due date",
                "期限",
                "期日",
                "達成期限",
                "End date",
                "終了日",
            ],
            Column::Field(Field::Owner) => vec!["Owner", "担当", "担当者", "責任者", "Responsible"],
            Column::Field(Field::Frequency) => vec!["Frequency", "測定頻度", "頻度", "計測頻度"],
            Column::Field(Field::Weight) => vec!["Weight", "重み", "ウェイト", "ウエイト"],
            Column::Field(Field::Rollup) => vec!["Rollup", "Roll-up", "集計", "集計方法"],
            Column::Field(Field::Type) => vec!["Type", "種別", "区分", "Kind"],
            Column::Date => vec![
                "Date",
                "Period",
                "Month",
                "日付",
                "年月",
                "期間",
                "月",
                "対象月",
                "計上月",
            ],
            Column::Value => vec!["Value", "Actual", "実績", "実績値", "値", "数値", "Amount"],
        };
        // Names that mean one thing on one sheet and another elsewhere.
        match (self, role) {
            (Column::Field(Field::Id), SheetRole::Kgi) => {
                names.extend(["KGI ID", "KGIコード", "KGI No", "KGI番号"])
            }
            (Column::Field(Field::Id), SheetRole::Kpi) => names.extend([
                "KPI ID",
                "KPIコード",
                "KPI No",
                "KPI番号",
                "指標コード",
                "指標ID",
            ]),
            (Column::Field(Field::Id), SheetRole::Actuals) => {
                names.extend(["KPI ID", "KGI ID", "指標コード", "指標ID", "KPIコード"])
            }
            (Column::Field(Field::Name), SheetRole::Kgi) => names.extend(["KGI", "KGI名"]),
            (Column::Field(Field::Name), SheetRole::Kpi) => {
                names.extend(["KPI", "KPI名", "KDI", "KPI・KDI"])
            }
            (Column::Field(Field::Parent), SheetRole::Kpi) => names.extend(["KGI"]),
            _ => {}
        }
        names
    }
}

/// The columns looked for on each sheet, in matching order.
pub fn columns_of(role: SheetRole) -> Vec<Column> {
    match role {
        SheetRole::Kgi | SheetRole::Kpi => Field::ALL
            .iter()
            .filter(|f| {
                role == SheetRole::Kpi || !matches!(f, Field::Parent | Field::Weight | Field::Type)
            })
            .map(|f| Column::Field(*f))
            .collect(),
        SheetRole::Actuals => vec![Column::Field(Field::Id), Column::Date, Column::Value],
    }
}

/// Required columns for a metric sheet.
pub fn required_columns(role: SheetRole) -> &'static [Column] {
    match role {
        SheetRole::Kgi => &[
            Column::Field(Field::Id),
            Column::Field(Field::Name),
            Column::Field(Field::Target),
        ],
        SheetRole::Kpi => &[
            Column::Field(Field::Id),
            Column::Field(Field::Name),
            Column::Field(Field::Parent),
            Column::Field(Field::Target),
        ],
        SheetRole::Actuals => &[Column::Field(Field::Id)],
    }
}

/// Normalised names of sheets and columns, built once per run from the built-ins and config.
#[derive(Debug, Clone)]
pub struct NameTable {
    sheets: Vec<(SheetRole, Vec<String>)>,
    columns: Vec<(SheetRole, Column, Vec<String>)>,
}

impl NameTable {
    pub fn new(settings: &Settings) -> Self {
        let roles = [SheetRole::Kgi, SheetRole::Kpi, SheetRole::Actuals];
        let sheets = roles
            .iter()
            .map(|role| {
                let names = role
                    .builtin_names()
                    .iter()
                    .map(|n| n.to_string())
                    .chain(settings.extra_sheet_names(role.key()).iter().cloned())
                    .map(|n| normalize_key(&n))
                    .collect();
                (*role, names)
            })
            .collect();
        let mut columns = Vec::new();
        for role in roles {
            for column in columns_of(role) {
                let names = column
                    .builtin_names(role)
                    .iter()
                    .map(|n| n.to_string())
                    .chain(settings.extra_column_names(column.key()).iter().cloned())
                    .map(|n| normalize_key(&n))
                    .collect();
                columns.push((role, column, names));
            }
        }
        NameTable { sheets, columns }
    }

    pub fn sheet_matches(&self, role: SheetRole, sheet_name: &str) -> bool {
        let key = normalize_key(sheet_name);
        self.sheets
            .iter()
            .any(|(r, names)| *r == role && names.contains(&key))
    }

    /// The accepted names of a sheet, for messages.
    pub fn sheet_names_for_message(&self, role: SheetRole, settings: &Settings) -> String {
        role.builtin_names()
            .iter()
            .map(|s| s.to_string())
            .chain(settings.extra_sheet_names(role.key()).iter().cloned())
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// Which column a header cell names on a sheet, if any. A trailing note in brackets
    /// (`Target (JPY)`, `目標値(円)`) and a required-mark `*` are ignored.
    pub fn column_for_header(&self, role: SheetRole, header: &str) -> Option<Column> {
        let key = normalize_key(header);
        if key.is_empty() {
            return None;
        }
        let stripped = strip_note(&key);
        let candidates = [key.as_str(), stripped];
        self.columns
            .iter()
            .filter(|(r, _, _)| *r == role)
            .find(|(_, _, names)| candidates.iter().any(|c| names.iter().any(|n| n == c)))
            .map(|(_, column, _)| *column)
    }

    /// A few accepted headers of the given columns, for messages.
    pub fn column_names_for_message(&self, role: SheetRole, columns: &[Column]) -> String {
        columns
            .iter()
            .map(|c| {
                let names = c.builtin_names(role);
                format!("{} ({})", c.label(), names.join(" / "))
            })
            .collect::<Vec<_>>()
            .join("; ")
    }
}

/// `target(jpy)` -> `target`, `目標値(円)` -> `目標値`, `id*` -> `id`.
fn strip_note(key: &str) -> &str {
    let key = key.trim_end_matches(['*', '※']);
    if key.ends_with(')') || key.ends_with(']') {
        if let Some(open) = key.rfind(['(', '[']) {
            if open > 0 {
                return &key[..open];
            }
        }
    }
    key
}

#[cfg(test)]
mod tests;

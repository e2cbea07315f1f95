//! The config's error messages in English and Japanese, in one table ([`Fault::text`]): an
//! error names the config file, the line and the key, says what is wrong and what to
//! change. The report language decides which one is printed; before it is known (the
//! config does not parse and no `--lang` was given) both are.

use std::fmt;
use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use crate::model::Lang;

/// What is wrong with a config, with what its message needs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Fault {
    /// Not TOML; the parser's own words (English).
    Syntax {
        detail: String,
    },
    /// A key the table does not have; the keys it has.
    UnknownKey {
        expected: Vec<String>,
    },
    /// A value of the wrong kind: as written, and what the key takes.
    WrongType {
        written: String,
        expected: Kind,
    },
    /// A word the key does not know, and the words it does.
    UnknownWord {
        value: String,
        expected: Vec<String>,
    },
    /// A required key left out of its table.
    MissingKey {
        key: String,
    },
    /// An empty sheet or column name in `names`: it matches nothing.
    EmptyName,
    FiscalMonth {
        value: String,
    },
    FiscalYear {
        value: String,
    },
    Thresholds {
        at_risk: String,
        on_track: String,
    },
    PositiveNumber {
        value: String,
    },
    NotNegative,
    Positive,
    OutputName {
        value: String,
    },
    SourcePath,
    LongShapeColumns,
    /// A journal source (debit, credit) that also names key/value or is wide.
    JournalColumns,
    /// A journal side without its key columns or its amount column.
    JournalSide,
    NotADate {
        value: String,
    },
    EmptyMatch,
    Weight,
    NotFinite,
    EmptyId,
    Address {
        value: String,
        reason: AddressFault,
    },
    EmptyOwner,
    SmtpPassword {
        env: String,
    },
    Port,
    RetryDelay,
    AtMost {
        max: String,
    },
    EnvName,
    FileName,
}

/// What a key takes, as a serde type name says it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Kind {
    WholeNumber,
    Port,
    Number,
    Text,
    List,
    Table,
    Boolean,
    Value,
}

impl Kind {
    /// The kind serde expected (`i64`, `a string`, `a sequence`...).
    pub fn from_serde(expected: &str) -> Kind {
        let e = expected.trim();
        match e {
            "u16" => Kind::Port,
            "i8" | "i16" | "i32" | "i64" | "u8" | "u32" | "u64" | "usize" | "isize" => {
                Kind::WholeNumber
            }
            "f32" | "f64" => Kind::Number,
            "a boolean" | "bool" => Kind::Boolean,
            _ if e.contains("string") || e.contains("char") || e.contains("path") => Kind::Text,
            _ if e.contains("sequence") || e.contains("array") => Kind::List,
            _ if e.contains("map") || e.contains("struct") || e.contains("table") => Kind::Table,
            _ => Kind::Value,
        }
    }

    fn text(self, lang: Lang) -> &'static str {
        match self {
            Kind::WholeNumber => lang.pick("a whole number (3)", "整数(例: 3)"),
            Kind::Port => lang.pick("a port number from 1 to 65535", "1〜65535のポート番号"),
            Kind::Number => lang.pick("a number (0.95)", "数値(例: 0.95)"),
            Kind::Text => lang.pick("text in quotes (\"...\")", "引用符で囲んだ文字列(\"...\")"),
            Kind::List => lang.pick(
                "a list in brackets ([\"a\", \"b\"])",
                "角括弧のリスト([\"a\", \"b\"])",
            ),
            Kind::Table => lang.pick(
                "a table ([name] or { key = value })",
                "テーブル([name] または { key = value })",
            ),
            Kind::Boolean => lang.pick("true or false", "true または false"),
            Kind::Value => lang.pick("another kind of value", "別の種類の値"),
        }
    }
}

/// Why an e-mail address is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum AddressFault {
    ControlCharacter,
    NoAt,
    Malformed,
}

impl AddressFault {
    pub fn text(self, lang: Lang) -> &'static str {
        match self {
            AddressFault::ControlCharacter => lang.pick(
                "the display name holds a control character",
                "表示名に制御文字が含まれています",
            ),
            AddressFault::NoAt => lang.pick(
                "not an e-mail address (name@example.com or Name <name@example.com>)",
                "メールアドレスではありません(name@example.com または 名前 <name@example.com>)",
            ),
            AddressFault::Malformed => lang.pick(
                "not an e-mail address (name@example.com or Name <name@example.com>; ASCII only)",
                "メールアドレスとして読めません(name@example.com または 名前 <name@example.com>。アドレスは半角英数字のみ)",
            ),
        }
    }
}

/// English, for messages that have no language (the recipients file's warnings use `text`).
impl fmt::Display for AddressFault {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.text(Lang::En))
    }
}

fn list(words: &[String]) -> String {
    words.join(", ")
}

impl Fault {
    /// What is wrong and what to change, in `lang`.
    pub fn text(&self, lang: Lang) -> String {
        let ja = lang == Lang::Ja;
        use Fault::*;
        match self {
            Syntax { detail } => {
                if ja {
                    format!("TOMLとして読めません({detail})。この行の引用符・括弧・= を確認してください")
                } else {
                    format!("not valid TOML ({detail}); check the quotes, brackets and = on this line")
                }
            }
            UnknownKey { expected } if expected.is_empty() => lang
                .pick(
                    "unknown key; this table takes no keys: delete the line",
                    "不明なキーです。このテーブルにはキーを書けません。この行を削除してください",
                )
                .to_string(),
            UnknownKey { expected } => {
                let keys = list(expected);
                if ja {
                    format!("不明なキーです。ここで使えるキー: {keys}。綴りを直すか、この行を削除してください")
                } else {
                    format!("unknown key; the keys here are: {keys}. Correct the spelling or delete the line")
                }
            }
            WrongType { written, expected } => {
                let kind = expected.text(lang);
                if ja {
                    format!("このキーの値は{kind}です({written} は使えません)")
                } else {
                    format!("this key takes {kind}, not {written}")
                }
            }
            UnknownWord { value, expected } => {
                let words = list(expected);
                if ja {
                    format!("「{value}」は使えません。次のいずれかを書いてください: {words}")
                } else {
                    format!("\"{value}\" is not known here; write one of: {words}")
                }
            }
            MissingKey { key } => {
                if ja {
                    format!("{key} がありません。このテーブルには {key} が必要です")
                } else {
                    format!("{key} is missing; this table needs it")
                }
            }
            EmptyName => lang
                .pick(
                    "an empty name matches nothing; write the sheet name or column header as the workbook spells it",
                    "空の名前は何にも一致しません。ブックにあるとおりのシート名または列見出しを書いてください",
                )
                .to_string(),
            FiscalMonth { value } => {
                if ja {
                    format!("期首の月は1〜12で書いてください({value} は使えません。4月始まりなら 4)")
                } else {
                    format!("must be a month from 1 to 12, not {value} (4 for a year starting in April)")
                }
            }
            FiscalYear { value } => {
                if ja {
                    format!("年度は期首の月がある西暦年(1900〜9998)で書いてください({value} は使えません。2026年4月〜2027年3月なら 2026)")
                } else {
                    format!("must be the calendar year in which the fiscal year starts, 1900 to 9998, not {value} (2026 for April 2026 to March 2027)")
                }
            }
            Thresholds { at_risk, on_track } => {
                if ja {
                    format!("at_risk({at_risk})は on_track({on_track})以下にしてください")
                } else {
                    format!("at_risk ({at_risk}) must not exceed on_track ({on_track}); lower at_risk or raise on_track")
                }
            }
            PositiveNumber { value } => {
                if ja {
                    format!("正の数を書いてください({value} は使えません)")
                } else {
                    format!("must be a positive number, not {value}")
                }
            }
            NotNegative => lang
                .pick("must be 0 or more", "0以上を書いてください")
                .to_string(),
            Positive => lang
                .pick("must be more than 0", "0より大きい値を書いてください")
                .to_string(),
            OutputName { value } => {
                if ja {
                    format!("「{value}」はファイル名のパターンとして使えません。フォルダを含まない名前にしてください(例: \"{{stem}}-{{period}}\")。出力先は --out で指定します")
                } else {
                    format!("\"{value}\" must be a plain file name pattern without folders (\"{{stem}}-{{period}}\"); choose the folder with --out")
                }
            }
            SourcePath => lang
                .pick(
                    "path is required: a file, folder or glob of exports (path = \"exports/*.csv\")",
                    "path が必要です。エクスポートのファイル・フォルダ・グロブを書いてください(path = \"exports/*.csv\")",
                )
                .to_string(),
            LongShapeColumns => lang
                .pick(
                    "shape = \"long\" needs the date and value columns: add date = \"...\" and value = \"...\"",
                    "shape = \"long\" には日付と値の列が必要です。date = \"...\" と value = \"...\" を加えてください",
                )
                .to_string(),
            JournalColumns => lang
                .pick(
                    "a journal source names each side's key and amount columns in debit = { key = [...], amount = \"...\" } and credit = { ... }: remove key, value and shape = \"wide\"",
                    "仕訳データの取込では各側のキー列と金額列を debit = { key = [...], amount = \"...\" } と credit = { ... } に書きます。key、value、shape = \"wide\" を外してください",
                )
                .to_string(),
            JournalSide => lang
                .pick(
                    "each side needs key (its column names) and amount: debit = { key = [\"借方勘定科目\"], amount = \"借方金額\" }",
                    "各側に key(列名)と amount が必要です。例: debit = { key = [\"借方勘定科目\"], amount = \"借方金額\" }",
                )
                .to_string(),
            NotADate { value } => {
                if ja {
                    format!("「{value}」は日付として読めません。YYYY-MM-DD で書いてください(例: \"2027-03-31\")")
                } else {
                    format!("\"{value}\" is not a date; write YYYY-MM-DD (\"2027-03-31\")")
                }
            }
            EmptyMatch => lang
                .pick(
                    "match must name at least one metric or pattern (match = [\"Travel\", \"Office*\"])",
                    "match に指標名またはパターンを1つ以上書いてください(match = [\"旅費\", \"通信*\"])",
                )
                .to_string(),
            Weight => lang
                .pick("weight must be a number of 0 or more", "weight は0以上の数値にしてください")
                .to_string(),
            NotFinite => lang
                .pick(
                    "target and baseline must be finite numbers",
                    "target と baseline は有限の数値にしてください",
                )
                .to_string(),
            EmptyId => lang
                .pick(
                    "id must not be empty: give the goal an id (id = \"KGI-1\")",
                    "id が空です。目標のIDを書いてください(id = \"KGI-1\")",
                )
                .to_string(),
            Address { value, reason } => {
                let why = reason.text(lang);
                if ja {
                    format!("「{value}」: {why}")
                } else {
                    format!("\"{value}\": {why}")
                }
            }
            EmptyOwner => lang
                .pick(
                    "an owner's name is empty; write it as in the Owner column",
                    "担当者名が空です。担当者の列にあるとおりに書いてください",
                )
                .to_string(),
            SmtpPassword { env } => {
                if ja {
                    format!("パスワードは設定ファイルから読みません。この行を削除し、smtp.password_env で指定する環境変数(既定 {env})にパスワードを入れてください")
                } else {
                    format!("the password is never read from the config file; delete this line and put it in the environment variable named by smtp.password_env (default {env})")
                }
            }
            Port => lang
                .pick("must be a port from 1 to 65535", "1〜65535のポート番号にしてください")
                .to_string(),
            RetryDelay => lang
                .pick("must be 0 to 3600 seconds", "0〜3600秒にしてください")
                .to_string(),
            AtMost { max } => {
                if ja {
                    format!("{max} 以下にしてください")
                } else {
                    format!("at most {max}")
                }
            }
            EnvName => lang
                .pick(
                    "must name an environment variable (KPI_REPORT_SMTP_PASSWORD)",
                    "環境変数の名前を書いてください(例: KPI_REPORT_SMTP_PASSWORD)",
                )
                .to_string(),
            FileName => lang
                .pick("must name a file", "ファイル名を書いてください")
                .to_string(),
        }
    }
}

/// One step of a key's path: a key, or the n-th table of an array (`[[sources]]`, from 0).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Step {
    Key(String),
    Index(usize),
}

/// A key's path as a message shows it: `thresholds.on_track`, `[[sources]] #2 path`.
pub fn path_text(path: &[Step]) -> String {
    let mut text = String::new();
    let mut after_index = false;
    for (i, step) in path.iter().enumerate() {
        match step {
            Step::Key(key) => {
                let bare = !key.is_empty()
                    && key
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
                let key = if bare {
                    key.clone()
                } else {
                    format!("\"{}\"", crate::text::quoted(key))
                };
                let table = matches!(path.get(i + 1), Some(Step::Index(_)))
                    && ["sources", "set", "goal"].contains(&key.as_str());
                if after_index {
                    text.push(' ');
                } else if !text.is_empty() {
                    text.push('.');
                }
                if table {
                    text.push_str(&format!("[[{key}]]"));
                } else {
                    text.push_str(&key);
                }
                after_index = false;
            }
            Step::Index(i) => {
                text.push_str(&format!(" #{}", i + 1));
                after_index = true;
            }
        }
    }
    text
}

/// A fault and where it stands: the key's path and (when known) its line, from 1.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ConfigIssue {
    pub path: Vec<Step>,
    pub line: Option<usize>,
    pub fault: Fault,
}

impl ConfigIssue {
    pub fn at(path: Vec<Step>, fault: Fault) -> ConfigIssue {
        ConfigIssue {
            path,
            line: None,
            fault,
        }
    }

    /// `line 3, key thresholds.on_track: ...` in `lang`.
    pub fn text(&self, lang: Lang) -> String {
        let key = path_text(&self.path);
        let ja = lang == Lang::Ja;
        let mut place = Vec::new();
        if let Some(line) = self.line {
            place.push(if ja {
                format!("{line}行目")
            } else {
                format!("line {line}")
            });
        }
        if !key.is_empty() {
            place.push(if ja {
                format!("キー {key}")
            } else {
                format!("key {key}")
            });
        }
        let place = place.join(lang.pick(", ", "、"));
        let fault = self.fault.text(lang);
        if place.is_empty() {
            fault
        } else {
            format!("{place}: {fault}")
        }
    }
}

/// A fault raised inside a value's own deserializer (`try_from`), carried through serde's
/// error message to [`Settings::parse`](super::Settings::parse), which reads it back.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Carried {
    /// The key's path below the value that failed (`to` of `[email]`).
    pub below: Vec<Step>,
    pub fault: Fault,
}

/// Marks a serde error message that carries a [`Carried`].
const CARRIED: &str = "\u{1}kpi-report-config:";

impl Carried {
    pub fn new(below: &[&str], fault: Fault) -> Carried {
        Carried {
            below: below.iter().map(|k| Step::Key(k.to_string())).collect(),
            fault,
        }
    }

    /// The fault in a serde error message, if it carries one.
    pub fn read(message: &str) -> Option<Carried> {
        serde_json::from_str(message.strip_prefix(CARRIED)?).ok()
    }
}

impl fmt::Display for Carried {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match serde_json::to_string(self) {
            Ok(json) => write!(f, "{CARRIED}{json}"),
            Err(_) => f.write_str(&self.fault.text(Lang::En)),
        }
    }
}

/// Why a config file cannot be read at all.
#[derive(Debug, Clone, PartialEq)]
pub enum ReadFault {
    Missing,
    PermissionDenied,
    Folder,
    NotRegular,
    TooLarge { kb: u64 },
    NotUtf8,
    Other(String),
}

impl ReadFault {
    fn text(&self, lang: Lang) -> String {
        let ja = lang == Lang::Ja;
        match self {
            ReadFault::Missing => lang
                .pick(
                    "no such file or folder; check the --config path",
                    "ファイルがありません。--config のパスを確認してください",
                )
                .to_string(),
            ReadFault::PermissionDenied => lang
                .pick("permission denied", "読み取りの権限がありません")
                .to_string(),
            ReadFault::Folder => lang
                .pick(
                    "a folder, not a file; give the config file's path",
                    "フォルダです。設定ファイルのパスを指定してください",
                )
                .to_string(),
            ReadFault::NotRegular => lang
                .pick(
                    "not a regular file (a device, pipe or socket)",
                    "通常のファイルではありません(デバイス・パイプ・ソケット)",
                )
                .to_string(),
            ReadFault::TooLarge { kb } => {
                if ja {
                    format!("{kb} KB を超えています。設定ファイルは数十行のテキストです")
                } else {
                    format!("larger than {kb} KB; a config is a few lines")
                }
            }
            ReadFault::NotUtf8 => lang
                .pick(
                    "not UTF-8 text; save it as UTF-8",
                    "UTF-8 のテキストではありません。UTF-8 で保存し直してください",
                )
                .to_string(),
            ReadFault::Other(detail) => detail.clone(),
        }
    }
}

/// A config that cannot be used: exit 2 before any input is read.
#[derive(Debug, Clone, PartialEq)]
pub enum ConfigError {
    Read {
        path: PathBuf,
        fault: ReadFault,
    },
    Invalid {
        path: PathBuf,
        issue: Box<ConfigIssue>,
        /// The config's own `lang`, when it could be read.
        lang: Option<Lang>,
    },
}

impl ConfigError {
    /// The message in `lang` (the `--lang` flag), else the config's own `lang`, else in
    /// English and Japanese, one line each.
    pub fn message(&self, lang: Option<Lang>) -> String {
        let lang = lang.or(match self {
            ConfigError::Invalid { lang, .. } => *lang,
            ConfigError::Read { .. } => None,
        });
        match lang {
            Some(lang) => self.text(lang),
            // The binary prefixes the first line with `kpi-report: error: `.
            None => format!(
                "{}\nkpi-report: エラー: {}",
                self.text(Lang::En),
                self.text(Lang::Ja)
            ),
        }
    }

    fn text(&self, lang: Lang) -> String {
        let ja = lang == Lang::Ja;
        match self {
            ConfigError::Read { path, fault } => {
                let path = path.display();
                let fault = fault.text(lang);
                if ja {
                    format!("設定ファイル {path} を読めません: {fault}")
                } else {
                    format!("cannot read config {path}: {fault}")
                }
            }
            ConfigError::Invalid { path, issue, .. } => {
                let path = path.display();
                let issue = issue.text(lang);
                if ja {
                    format!("設定ファイル {path}: {issue}")
                } else {
                    format!("config {path}: {issue}")
                }
            }
        }
    }
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message(None))
    }
}

impl std::error::Error for ConfigError {}

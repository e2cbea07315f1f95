//! Sources read from exports laid out like real accounting systems' journals (column names
//! after their public help pages), and joined to metrics. Sums are worked out by hand.

use super::*;

use crate::model::{Direction, Kind, Rollup};

fn from_table(value: f64) -> Measurement {
    Measurement {
        date: Some(month(2026, 4)),
        value,
        source: Source::Table {
            table: 0,
            row: 1,
            col: 1,
        },
    }
}

fn month(y: i32, m: u32) -> NaiveDate {
    crate::dates::month_end(NaiveDate::from_ymd_opt(y, m, 1).unwrap())
}

fn cp932(text: &str) -> Vec<u8> {
    let (bytes, _, unmappable) = encoding_rs::SHIFT_JIS.encode(text);
    assert!(!unmappable, "{text}");
    bytes.into_owned()
}

fn spec(key: &[&str], date: &str, value: &str) -> SourceSpec {
    SourceSpec {
        key: key.iter().map(|k| k.to_string()).collect(),
        date: Some(date.to_string()),
        value: Some(value.to_string()),
        ..SourceSpec::default()
    }
}

fn read(bytes: &[u8], spec: &SourceSpec) -> SourceTable {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("export.csv");
    std::fs::write(&path, bytes).unwrap();
    let settings = Settings::default();
    let names = NameTable::new(&settings);
    let as_of = NaiveDate::from_ymd_opt(2026, 10, 31).unwrap();
    read_source(&path, "export.csv", spec, &settings, &names, as_of)
}

fn sums(table: &SourceTable) -> Vec<(String, Vec<(NaiveDate, f64)>)> {
    assert!(table.findings.is_empty(), "{:?}", table.findings);
    table
        .keys
        .iter()
        .map(|k| {
            let periods = k.periods.iter().map(|(d, v)| (*d, v.sum)).collect();
            (k.key.clone(), periods)
        })
        .collect()
}

#[test]
fn freee_journal_credit_side() {
    // freee 仕訳帳: sales are on the credit side (貸方).
    let text = "取引日,管理番号,借方勘定科目,借方補助科目,借方部門,借方税区分,借方金額,借方税額,\
貸方勘定科目,貸方補助科目,貸方部門,貸方税区分,貸方金額,貸方税額,摘要\r\n\
2026/04/03,1,売掛金,髙島屋,営業1部,対象外,110000,0,売上高,,営業1部,課税売上10%,110000,10000,納品 ㎝\r\n\
2026/04/20,2,売掛金,,営業2部,対象外,\"55,000\",0,売上高,,営業2部,課税売上10%,\"55,000\",5000,\r\n\
2026/05/01,3,普通預金,,,対象外,110000,0,売掛金,髙島屋,,対象外,110000,0,入金\r\n";
    let table = read(&cp932(text), &spec(&["貸方勘定科目"], "取引日", "貸方金額"));
    assert_eq!(
        sums(&table),
        vec![
            ("売上高".to_string(), vec![(month(2026, 4), 165_000.0)]),
            ("売掛金".to_string(), vec![(month(2026, 5), 110_000.0)]),
        ]
    );
}

#[test]
fn money_forward_journal_by_account_and_department() {
    // マネーフォワード クラウド会計 仕訳帳: amounts headed 借方金額(円); costs on the debit side.
    let text = "取引No,取引日,借方勘定科目,借方補助科目,借方部門,借方取引先,借方税区分,借方インボイス,\
借方金額(円),借方税額,貸方勘定科目,貸方補助科目,貸方部門,貸方取引先,貸方税区分,貸方インボイス,\
貸方金額(円),貸方税額,摘要,仕訳メモ,タグ,MF仕訳タイプ,決算整理仕訳\r\n\
1,2026/04/05,旅費交通費,,営業Ⅲ課,,課税仕入 10%,適格,\"12,300\",1118,未払金,,,,対象外,,\"12,300\",0,﨑陽軒,,,,\r\n\
2,2026/04/25,旅費交通費,,営業Ⅲ課,,課税仕入 10%,適格,700,63,未払金,,,,対象外,,700,0,,,,,\r\n\
3,2026/04/25,旅費交通費,,本社,,課税仕入 10%,適格,△100,0,未払金,,,,対象外,,△100,0,戻し,,,,\r\n";
    let table = read(
        &cp932(text),
        &spec(&["借方勘定科目", "借方部門"], "取引日", "借方金額(円)"),
    );
    assert_eq!(
        sums(&table),
        vec![
            (
                "旅費交通費/営業Ⅲ課".to_string(),
                vec![(month(2026, 4), 13_000.0)]
            ),
            (
                "旅費交通費/本社".to_string(),
                vec![(month(2026, 4), -100.0)]
            ),
        ]
    );
}

#[test]
fn kanjo_bugyo_export_with_codes_keeps_leading_zeros() {
    // 勘定奉行: codes beside names, department codes with leading zeros (Excel-style ="001").
    let text =
        "伝票日付,伝票番号,借方部門コード,借方部門名,借方勘定科目コード,借方勘定科目名,借方金額,\
貸方部門コード,貸方部門名,貸方勘定科目コード,貸方勘定科目名,貸方金額,摘要\r\n\
2026/04/10,101,=\"001\",髙﨑支店,5210,計測費,\"2,000\",,,2110,未払金,\"2,000\",㎝ 計測器\r\n\
2026/04/11,102,=\"001\",髙﨑支店,5210,計測費,(500),,,2110,未払金,(500),返品\r\n\
2026/04/12,103,=\"010\",本社,5210,計測費,900,,,2110,未払金,900,\r\n";
    let table = read(
        &cp932(text),
        &spec(
            &["借方勘定科目コード", "借方部門コード"],
            "伝票日付",
            "借方金額",
        ),
    );
    assert_eq!(
        sums(&table),
        vec![
            ("5210/001".to_string(), vec![(month(2026, 4), 1_500.0)]),
            ("5210/010".to_string(), vec![(month(2026, 4), 900.0)]),
        ]
    );
}

#[test]
fn yayoi_import_format_has_no_header_and_era_dates() {
    // 弥生会計 仕訳日記帳 import format: no header row; 識別フラグ, 伝票No, 決算, 取引日付 (R.08/04/01),
    // 借方勘定科目, 借方補助科目, 借方部門, 借方税区分, 借方金額, 借方税金額, 貸方勘定科目, ...
    let text = "2000,1,,R.08/04/01,消耗品費,,営業Ⅲ課,課対仕入内10%,3300,300,現金,,,対象外,3300,0,㎝定規\r\n\
2000,2,,R.08/04/30,消耗品費,,本社,課対仕入内10%,1100,100,現金,,,対象外,1100,0,\r\n\
2000,3,,R.08/05/01,消耗品費,,本社,課対仕入内10%,220,20,現金,,,対象外,220,0,髙\r\n";
    let table = read(&cp932(text), &spec(&["#5"], "#4", "#9"));
    assert_eq!(
        sums(&table),
        vec![(
            "消耗品費".to_string(),
            vec![(month(2026, 4), 4_400.0), (month(2026, 5), 220.0)]
        )]
    );
}

#[test]
fn auto_detects_a_long_export_under_title_rows_and_a_wide_one() {
    let text = "月次実績 2026年度\r\n\r\n勘定科目コード,部門,年月,金額\r\n4110,営業1部,202604,100\r\n4110,営業2部,202604,50\r\n";
    let table = read(text.as_bytes(), &SourceSpec::default());
    assert_eq!(
        sums(&table),
        vec![("4110".to_string(), vec![(month(2026, 4), 150.0)])]
    );
    let wide = "科目コード,科目名,2026年4月,2026年5月,合計\r\n4110,売上高,\"1,000\",△200,800\r\n";
    let table = read(&cp932(wide), &SourceSpec::default());
    assert_eq!(
        sums(&table),
        vec![(
            "4110".to_string(),
            vec![(month(2026, 4), 1000.0), (month(2026, 5), -200.0)]
        )]
    );
}

#[test]
fn errors_name_the_line_and_column() {
    let text =
        "勘定科目コード,月,金額\r\n4110,2026/04,100\r\n4110,2026/13,5\r\n4110,2026/04,abc\r\n";
    let table = read(text.as_bytes(), &SourceSpec::default());
    let found: Vec<String> = table
        .findings
        .iter()
        .map(|f| format!("{} {}", f.reference(), f.code()))
        .collect();
    assert_eq!(
        found,
        [
            "export.csv line 3, column 2 E04",
            "export.csv line 4, column 3 E04"
        ]
    );
    assert_eq!(
        table.keys[0].periods.get(&month(2026, 4)).map(|p| p.sum),
        Some(100.0)
    );
    let missing = read(b"a,b\r\n1,2\r\n", &spec(&["code"], "date", "amount"));
    assert_eq!(missing.findings.len(), 1);
    assert_eq!(missing.findings[0].code().as_str(), "E07");
}

fn metric(id: &str, name: &str) -> Metric {
    Metric {
        id: id.to_string(),
        name: name.to_string(),
        kind: Kind::Kpi,
        parent: None,
        unit: None,
        direction: Direction::Increase,
        target: Some(100.0),
        baseline: None,
        start: None,
        deadline: None,
        owner: None,
        frequency: None,
        weight: 1.0,
        rollup: Rollup::Weighted,
        aggregation: None,
        forecast_method: None,
        source: Vec::new(),
        plan: Vec::new(),
        measurements: vec![from_table(1.0)],
        location: Location::row("KPI", 1),
        columns: Vec::new(),
    }
}

/// A key, its row count and its sums by month.
type Key<'a> = (&'a str, u64, &'a [(NaiveDate, f64)]);

fn table(name: &str, keys: &[Key]) -> SourceTable {
    SourceTable {
        name: name.to_string(),
        role: SourceRole::Actuals,
        location: Location::text_file(name),
        keys: keys
            .iter()
            .map(|(k, rows, periods)| KeySums {
                key: k.to_string(),
                rows: *rows,
                side: Side::Single,
                periods: periods
                    .iter()
                    .map(|(d, v)| (*d, PeriodSum::new(*v, (1, 2))))
                    .collect(),
            })
            .collect(),
        findings: Vec::new(),
    }
}

#[test]
fn later_files_win_with_w17_and_unmatched_rows_are_i02() {
    let mut goal_set = GoalSet {
        metrics: vec![metric("4110", "売上高"), metric("5210", "計測費")],
        header_lang: crate::model::Lang::Ja,
        tables: vec![Location::sheet("Actuals")],
    };
    let (april, may) = (month(2026, 4), month(2026, 5));
    let tables = [
        table(
            "a.csv",
            &[
                ("4110", 3, &[(april, 10.0), (may, 20.0)]),
                ("9999", 2, &[(april, 7.0)]),
            ],
        ),
        // Matched by name; its May replaces a.csv's.
        table(
            "b.csv",
            &[("売上高", 1, &[(may, 25.0)]), ("8888", 1, &[(may, 0.5)])],
        ),
    ];
    let findings = apply_sources(&mut goal_set, &tables, Aggregation::Last);
    let values: Vec<(Option<NaiveDate>, f64)> = goal_set.metrics[0]
        .measurements
        .iter()
        .map(|m| (m.date, m.value))
        .collect();
    // The Actuals sheet's April value (1.0) is replaced by the source's.
    assert_eq!(values, vec![(Some(april), 10.0), (Some(may), 25.0)]);
    // Each value points back at its file: tables 1 and 2 after the Actuals sheet.
    let sources: Vec<Option<String>> = goal_set.metrics[0]
        .measurements
        .iter()
        .map(|m| goal_set.source_location(m.source).map(|l| l.reference()))
        .collect();
    assert_eq!(
        sources,
        [
            Some("a.csv line 2, column 3".to_string()),
            Some("b.csv line 2, column 3".to_string())
        ]
    );
    assert_eq!(goal_set.metrics[1].measurements.len(), 1);
    let codes: Vec<&str> = findings.iter().map(|f| f.code().as_str()).collect();
    assert_eq!(codes, ["I02", "I02", "W17"]);
    assert_eq!(
        findings[0].problem,
        Problem::UnmatchedRows {
            rows: 2,
            total: "7".to_string(),
            keys: vec!["9999".to_string()],
        }
    );
    assert_eq!(
        findings[2].problem,
        Problem::SourceOverlap {
            period: "2026-05".to_string(),
            first: "a.csv".to_string(),
            second: "b.csv".to_string(),
        }
    );
    assert_eq!(findings[0].reference(), "a.csv");
    assert_eq!(findings[2].id.as_deref(), Some("4110"));
}

#[test]
fn amounts_read_fast_agree_with_the_full_parser() {
    for text in [
        "0",
        "-0",
        "1234",
        "-1234",
        "1,234",
        "△1,234",
        "▲12,345,678",
        "12.5",
        "1,234.05",
        "-0.25",
        "999,999,999,999",
        "1,2345",
        "12,34",
        ",123",
        "1,",
        "1.2.3",
        "(1,000)",
        "１２３",
        "1,234円",
        "1e5",
        "",
        "-",
        "△",
        "12.",
        ".5",
        "9007199254740993",
        "01,234",
    ] {
        let fast = simple_amount(text);
        let full = parse_number(text);
        if let Some(v) = fast {
            assert_eq!(Some(v.to_bits()), full.map(f64::to_bits), "{text}");
        }
        assert_eq!(
            amount(text).map(f64::to_bits),
            full.map(f64::to_bits),
            "{text}"
        );
    }
}

#[test]
fn source_cells_split_into_keys_with_sides_and_wildcards() {
    assert_eq!(
        source_keys("4110/営業1部, 4120、4130;4140 + 4150，4160 ,"),
        ["4110/営業1部", "4120", "4130", "4140", "4150", "4160"]
    );
    assert_eq!(
        source_pattern("貸方:4110"),
        (Some(Take::Credit), "4110".to_string(), false)
    );
    assert_eq!(
        source_pattern("debit：営業部/*"),
        (Some(Take::Debit), "営業部/".to_string(), true)
    );
    assert_eq!(source_pattern("4*"), (None, "4".to_string(), true));
    // A colon that names no side is part of the key.
    assert_eq!(source_pattern("A:01"), (None, "a:01".to_string(), false));
}

#[test]
fn a_journal_line_gives_its_debit_and_credit_keys() {
    let side = |key: &str, amount: &str| {
        Some(JournalSide {
            key: vec![key.to_string()],
            amount: amount.to_string(),
        })
    };
    let spec = SourceSpec {
        date: Some("取引日".to_string()),
        debit: side("借方勘定科目", "借方金額"),
        credit: side("貸方勘定科目", "貸方金額"),
        ..SourceSpec::default()
    };
    let text = "取引日,借方勘定科目,借方金額,貸方勘定科目,貸方金額\r\n\
2026/04/03,売掛金,\"1,100\",売上高,\"1,100\"\r\n\
,旅費交通費,300,現金,300\r\n";
    let table = read(&cp932(text), &spec);
    let got: Vec<(Side, String, f64)> = table
        .keys
        .iter()
        .map(|k| (k.side, k.key.clone(), k.periods[&month(2026, 4)].sum))
        .collect();
    // The second line has no date: it continues the first line's slip (April).
    assert_eq!(
        got,
        [
            (Side::Debit, "売掛金".to_string(), 1100.0),
            (Side::Credit, "売上高".to_string(), 1100.0),
            (Side::Debit, "旅費交通費".to_string(), 300.0),
            (Side::Credit, "現金".to_string(), 300.0),
        ]
    );
}

//! Reading .xlsb end to end. No tool at hand saves .xlsb (LibreOffice reads it but cannot
//! write it), so the inputs are written by the test writer in `support::xlsb`: the same
//! tables of cells as `write_book`'s .xlsx must give the same report, the unreadable cells
//! and the formulas of an .xlsb are named by file, sheet and cell like those of an .xlsx, and
//! LibreOffice, a second reader, must read the writer's files as the product does.

use std::io::Cursor;
use std::path::Path;

use calamine::{Data, Reader};
use serde_json::Value;

use crate::support::xlsb::{sum_formula, write_xlsb, xlsb_bytes, Saved, XlsbCell, ERROR_DIV0};
use crate::support::{
    ids, libreoffice_convert, open_workbook, rows, sample, write_book, zip_names, zip_text, Case,
    Run, KGI_HEAD, KPI_HEAD,
};

/// A goal set in both formats' notation: title rows above the KGI header, dates as date
/// cells and as text, numbers as cells and as text (`6,000万円`, `¥500,000`, `4.5%`), a
/// numeric id, and wide Actuals with every form of month header.
fn goal_set() -> Vec<(&'static str, Vec<Vec<&'static str>>)> {
    let kgi = rows(&[
        &["FY2026 goals"],
        &[],
        KGI_HEAD,
        &[
            "G1",
            "Revenue",
            "6,000万円",
            "",
            "increase",
            "d:2026-04-01",
            "d:2027-03-31",
            "Sato",
            "monthly",
            "weighted",
        ],
        &[
            "G2",
            "Churn",
            "n:0.05",
            "%",
            "decrease",
            "2026/4/1",
            "2027年3月31日",
            "Tanaka",
            "月次",
            "",
        ],
    ]);
    let kpi = rows(&[
        KPI_HEAD,
        &[
            "K1",
            "G1",
            "KPI",
            "Deals",
            "n:120",
            "n:0",
            "件",
            "increase",
            "",
            "Suzuki",
            "monthly",
            "n:2",
            "",
            "n:70",
            "d:2026-10-31",
        ],
        &[
            "K2",
            "G1",
            "KPI",
            "Average price",
            "¥500,000",
            "",
            "",
            "",
            "d:2027-03-31",
            "Suzuki",
            "monthly",
            "",
            "",
            "¥410,000",
            "2026-10-15",
        ],
        &[
            "K3", "K1", "KDI", "Calls", "n:2400", "", "", "", "", "Ito", "weekly", "n:0.5", "",
            "n:1234.5", "",
        ],
        &[
            "K4",
            "G2",
            "KPI",
            "Cancel rate",
            "n:0.03",
            "n:0.06",
            "%",
            "decrease",
            "",
            "",
            "monthly",
            "",
            "",
            "4.5%",
            "",
        ],
        &[
            "n:1001",
            "G2",
            "KPI",
            "Support tickets",
            "n:300",
            "n:520",
            "",
            "decrease",
            "",
            "Kato",
            "monthly",
            "n:1.25",
            "",
            "",
            "",
        ],
        &[
            "", "", "", "Total", "n:302820", "", "", "", "", "", "", "", "", "", "",
        ],
    ]);
    let actuals = rows(&[
        &[
            "ID",
            "Name",
            "2026-04",
            "2026/5",
            "2026年6月",
            "Jul-26",
            "d:2026-08-31",
            "202609",
            "Unit",
        ],
        &[
            "G1",
            "Revenue",
            "500万円",
            "1,100万円",
            "1,800万円",
            "2,300万円",
            "n:31000000",
            "3,600万",
            "円",
        ],
        &[
            "K1", "Deals", "n:10", "n:19", "n:31", "n:40", "n:52", "n:61", "件",
        ],
        &[
            "n:1001", "Tickets", "n:510", "n:470", "n:455", "", "n:400", "n:390.5", "",
        ],
        &[
            "K4",
            "Cancel rate",
            "6%",
            "5.5%",
            "n:0.052",
            "5%",
            "",
            "4.8%",
            "%",
        ],
    ]);
    vec![("KGI", kgi), ("KPI", kpi), ("Actuals", actuals)]
}

/// `run --json` on an input, into a folder of its own: how it ended and the report.
fn report(case: &Case, input: &str, out: &str) -> (Run, Value) {
    case.run_json(input, out, &[])
}

/// The parts of a report that hold figures, as text (all but `source`, which names the file).
fn figures(doc: &Value) -> String {
    serde_json::to_string_pretty(&[&doc["metrics"], &doc["priorities"], &doc["checks"]]).unwrap()
}

/// The messages of a run about its input, without the file name.
fn findings(run: &Run, input: &str) -> Vec<String> {
    run.stderr
        .lines()
        .filter_map(|line| line.strip_prefix(input))
        .map(str::to_string)
        .collect()
}

/// Checks that `path` is an .xlsb as calamine reads one: a zip with binary parts, which the
/// xlsx reader refuses and the xlsb reader opens.
fn assert_is_xlsb(path: &Path) {
    let names = zip_names(path);
    assert!(names.iter().any(|n| n == "xl/workbook.bin"), "{names:?}");
    assert!(!names
        .iter()
        .any(|n| n.starts_with("xl/") && n.ends_with(".xml")));
    let bytes = std::fs::read(path).unwrap();
    assert!(calamine::Xlsx::<_>::new(Cursor::new(bytes.clone())).is_err());
    calamine::Xlsb::<_>::new(Cursor::new(bytes)).expect("calamine opens it as .xlsb");
}

/// A sheet's cells as calamine reads them, whole numbers as floats (an .xlsb saves them as
/// integers, which calamine gives as `Data::Int`).
fn cells(path: &Path, sheet: &str) -> Vec<(usize, usize, Data)> {
    let range = open_workbook(path).worksheet_range(sheet).unwrap();
    range
        .used_cells()
        .map(|(r, c, data)| match data {
            Data::Int(i) => (r, c, Data::Float(*i as f64)),
            other => (r, c, other.clone()),
        })
        .collect()
}

#[test]
fn xlsb_writer_cells_read_back_as_the_xlsx_cells() {
    let case = Case::new();
    let mut sheets = goal_set();
    // Numbers in each of the writer's records: RK whole numbers, RK hundredths, RK doubles
    // (34 low bits zero), and BrtCellReal.
    let numbers = [
        "n:100", "n:-7", "n:1.23", "n:-0.05", "n:0.125", "n:0.052", "n:1e10",
    ];
    sheets.push(("Numbers", vec![numbers.to_vec()]));
    write_book(&case.path("goals.xlsx"), &sheets);
    write_xlsb(&case.path("goals.xlsb"), &sheets);
    assert_is_xlsb(&case.path("goals.xlsb"));
    for (name, _) in &sheets {
        assert_eq!(
            cells(&case.path("goals.xlsb"), name),
            cells(&case.path("goals.xlsx"), name),
            "{name}"
        );
    }
}

#[test]
fn xlsb_gives_the_same_report_as_the_xlsx_of_the_same_cells() {
    let case = Case::new();
    let sheets = goal_set();
    write_book(&case.path("goals.xlsx"), &sheets);
    write_xlsb(&case.path("goals.xlsb"), &sheets);

    let (xlsx_run, xlsx_doc) = report(&case, "goals.xlsx", "out-xlsx");
    let (xlsb_run, xlsb_doc) = report(&case, "goals.xlsb", "out-xlsb");
    assert_eq!(xlsx_run.code, 0, "{}", xlsx_run.stderr);
    assert_eq!(xlsb_run.code, 0, "{}", xlsb_run.stderr);
    assert_eq!(figures(&xlsb_doc), figures(&xlsx_doc));
    assert_eq!(
        findings(&xlsb_run, "goals.xlsb"),
        findings(&xlsx_run, "goals.xlsx")
    );
    // The figures are the goal set's, not two equal failures.
    assert_eq!(
        ids(&xlsb_doc["metrics"]),
        ["G1", "K1", "K3", "K2", "G2", "K4", "1001"]
    );
    let metric = |id: &str| {
        let list = xlsb_doc["metrics"].as_array().unwrap();
        list.iter().find(|m| m["id"] == id).unwrap().clone()
    };
    assert_eq!(metric("G1")["target"], 60_000_000.0);
    assert_eq!(metric("G1")["actual"], 36_000_000.0);
    assert_eq!(metric("G1")["last_measured"], "2026-09-30");
    assert_eq!(metric("K2")["actual"], 410_000.0);
    assert_eq!(metric("K4")["actual"], 0.045);
    assert_eq!(metric("1001")["actual"], 390.5);
    assert_eq!(metric("G2")["deadline"], "2027-03-31");
}

/// A sample workbook's sheets as calamine reads them, written as an .xlsb.
fn write_xlsb_copy(sample_path: &Path, out: &Path) {
    let mut workbook = open_workbook(sample_path);
    let sheets: Vec<(String, Vec<Vec<XlsbCell>>)> = workbook
        .worksheets()
        .into_iter()
        .map(|(name, range)| {
            let (row0, col0) = range.start().unwrap_or((0, 0));
            let mut table: Vec<Vec<XlsbCell>> = Vec::new();
            for (r, c, data) in range.used_cells() {
                let (r, c) = (row0 as usize + r, col0 as usize + c);
                if table.len() <= r {
                    table.resize(r + 1, Vec::new());
                }
                if table[r].len() <= c {
                    table[r].resize(c + 1, XlsbCell::Blank);
                }
                table[r][c] = match data {
                    Data::Empty => XlsbCell::Blank,
                    Data::String(s) => XlsbCell::Text(s.clone()),
                    Data::Float(f) => XlsbCell::Number(*f),
                    Data::Int(i) => XlsbCell::Number(*i as f64),
                    Data::DateTime(d) => XlsbCell::Date(d.as_f64()),
                    other => panic!("{name}: no .xlsb form for {other:?} in the sample"),
                };
            }
            (name, table)
        })
        .collect();
    let sheets: Vec<(&str, Vec<Vec<XlsbCell>>)> = sheets
        .iter()
        .map(|(name, table)| (name.as_str(), table.clone()))
        .collect();
    std::fs::write(out, xlsb_bytes(&sheets)).unwrap();
}

#[test]
fn xlsb_copies_of_the_samples_give_the_samples_reports() {
    let case = Case::new();
    for name in ["sales-en", "sales-ja"] {
        let (xlsx, xlsb) = (format!("{name}.xlsx"), format!("{name}.xlsb"));
        std::fs::copy(sample(&xlsx), case.path(&xlsx)).unwrap();
        write_xlsb_copy(&sample(&xlsx), &case.path(&xlsb));
        assert_is_xlsb(&case.path(&xlsb));
        let (xlsx_run, xlsx_doc) = report(&case, &xlsx, "out-xlsx");
        let (xlsb_run, xlsb_doc) = report(&case, &xlsb, "out-xlsb");
        assert_eq!(xlsb_run.code, xlsx_run.code, "{}", xlsb_run.stderr);
        assert_eq!(figures(&xlsb_doc), figures(&xlsx_doc), "{name}");
        // The same warnings, naming the same cells.
        assert_eq!(findings(&xlsb_run, &xlsb), findings(&xlsx_run, &xlsx));
        assert_eq!(findings(&xlsb_run, &xlsb).len(), 7, "{}", xlsb_run.stderr);
    }
}

/// A small goal set with the KPI rows given, in the columns ID, Parent, Name, Target,
/// Actual, and wide Actuals for K1.
fn small_set<'a>(
    kpis: &[&[&'a str]],
    actuals: &[&'a str],
) -> Vec<(&'static str, Vec<Vec<&'a str>>)> {
    let mut kpi = rows(&[&["ID", "Parent", "Name", "Target", "Actual"]]);
    kpi.extend(rows(kpis));
    let mut actual_row = vec!["K1"];
    actual_row.extend(actuals);
    vec![
        (
            "KGI",
            rows(&[&["ID", "Name", "Target"], &["G1", "Revenue", "n:100"]]),
        ),
        ("KPI", kpi),
        (
            "Actuals",
            vec![vec!["ID", "2026-04", "2026-05", "2026-06"], actual_row],
        ),
    ]
}

#[test]
fn xlsb_unreadable_cells_are_named_by_file_sheet_and_cell() {
    let case = Case::new();
    let sheets = small_set(
        &[
            &["K1", "G1", "Deals", "abc", "n:5"],
            &["K2", "G1", "Calls", "n:10", "12,3.4"],
            &["K3", "G1", "Visits", "", "n:1"],
        ],
        &["n:1", "x2", "n:3"],
    );
    write_xlsb(&case.path("bad.xlsb"), &sheets);
    let Run { code, stdout, .. } = case.check(&["bad.xlsb"], &[]);
    assert_eq!(code, 2, "{stdout}");
    for expected in [
        "bad.xlsb:KPI!D2: error E04: Target \"abc\" is not a number",
        "bad.xlsb:KPI!E3: error E04: Actual \"12,3.4\" is not a number",
        // (v2) An empty target: tracked without one (W19), not an error.
        "bad.xlsb:KPI!D4: warning W19: 1 metric(s) have no target (Visits)",
        // The Actuals sheet is read by a parser of its own: its cells are named the same way.
        "bad.xlsb:Actuals!C2: error E04:",
    ] {
        assert!(stdout.contains(expected), "{expected:?} in:\n{stdout}");
    }

    let run = case.run("bad.xlsb", "out", &["--json"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("bad.xlsb:KPI!D2: error E04"),
        "{}",
        run.stderr
    );
    assert!(!run.stderr.contains("panicked"));
    let written: Vec<String> = case
        .files("out")
        .into_iter()
        .filter(|name| !name.starts_with('.'))
        .collect();
    assert!(written.is_empty(), "nothing written: {written:?}");

    // The same cells in an .xlsx give the same messages.
    write_book(&case.path("bad.xlsx"), &sheets);
    let xlsx = case.check(&["bad.xlsx"], &[]);
    assert_eq!(xlsx.stdout.replace("bad.xlsx", "bad.xlsb"), stdout);
}

#[test]
fn xlsb_formula_cells_give_their_saved_values_and_error_values_are_named() {
    let case = Case::new();
    // K1's target is =SUM(D3:D4) saved as 150; K2's is =SUM($D$3:$D$4) saved as #DIV/0!;
    // K3's is a cell of a filled-down (shared) formula saved as #DIV/0!: its tokens only
    // point at the formula's first row (PtgExp), so calamine gives no text for it. (The
    // shared formula's own record, BrtShrFmla, is left out: calamine does not read it.)
    let mut sheets: Vec<(&str, Vec<Vec<XlsbCell>>)> = small_set(
        &[
            &["K1", "G1", "Deals", "sum:D3:D4=150", "n:5"],
            &["K2", "G1", "Calls", "sum:$D$3:$D$4=#DIV/0!", "n:6"],
            &["K3", "G1", "Visits", "", "n:7"],
        ],
        &["n:1", "n:2", "n:3"],
    )
    .into_iter()
    .map(|(name, rows)| {
        let cells = rows
            .iter()
            .map(|row| row.iter().map(|c| XlsbCell::parse(c)).collect())
            .collect();
        (name, cells)
    })
    .collect();
    // And an Actuals cell of K1 the same way: an optional cell, where a lost error would
    // read as "not measured".
    let shared_error = |first_row: u32| {
        let mut rgce = vec![0x01];
        rgce.extend(first_row.to_le_bytes());
        XlsbCell::Formula {
            rgce,
            saved: Saved::Error(ERROR_DIV0),
        }
    };
    sheets[1].1[3][3] = shared_error(2);
    sheets[2].1[1][2] = shared_error(1);
    std::fs::write(case.path("formulas.xlsb"), xlsb_bytes(&sheets)).unwrap();
    let formulas = open_workbook(&case.path("formulas.xlsb"))
        .worksheet_formula("KPI")
        .unwrap();
    assert_eq!(
        formulas.get_value((2, 3)).map(String::as_str),
        Some("SUM($D$3:$D$4)")
    );

    let Run { code, stdout, .. } = case.check(&["formulas.xlsb"], &[]);
    assert_eq!(code, 2, "{stdout}");
    assert!(
        !stdout.contains("KPI!D2"),
        "the saved value is read: {stdout}"
    );
    for cell in ["KPI!D3", "KPI!D4", "Actuals!C2"] {
        let expected = format!(
            "formulas.xlsb:{cell}: error E04: the formula in the cell gives an error value"
        );
        assert!(stdout.contains(&expected), "{expected:?} in:\n{stdout}");
    }
    assert!(!stdout.contains("missing target"), "{stdout}");
}

#[test]
#[cfg_attr(not(soffice), ignore = "LibreOffice (soffice) is not installed")]
fn libreoffice_reads_the_test_xlsb_as_the_product_does() {
    // A second reader of the writer's files: LibreOffice opens them as .xlsb and saves them
    // as .xlsx, and that .xlsx gives the same report.
    let case = Case::new();
    let mut sheets = goal_set();
    // Formulas too, to check their tokens: a relative and an absolute area.
    sheets[2].1[1].extend(["", "sum:C2:D2=1600", "sum:$C$2:$D$2=#DIV/0!"]);
    write_xlsb(&case.path("goals.xlsb"), &sheets);
    let profile = format!("file://{}", case.path("lo-profile").display());
    let converted = libreoffice_convert(&profile, &case.path("goals.xlsb"), &case.path("lo"));
    let actuals = zip_text(&converted, "xl/worksheets/sheet3.xml");
    assert!(actuals.contains(">SUM(C2:D2)</f>"), "{actuals}");
    assert!(actuals.contains(">SUM($C$2:$D$2)</f>"), "{actuals}");

    let (xlsb_run, xlsb_doc) = report(&case, "goals.xlsb", "out-xlsb");
    let (lo_run, lo_doc) = report(&case, "lo/goals.xlsx", "out-lo");
    assert_eq!(xlsb_run.code, 0, "{}", xlsb_run.stderr);
    assert_eq!(lo_run.code, 0, "{}", lo_run.stderr);
    assert_eq!(figures(&lo_doc), figures(&xlsb_doc));
}

/// The tokens of `SUM(D3:D4 F1)` as a reference expression evaluated to an error is saved
/// (#NULL!: the two do not meet): PtgMemErr (0x27: the error, three unused bytes, the size of
/// the expression), then the expression (PtgArea, PtgRef, the intersection PtgIsect 0x0F)
/// and PtgFuncVar SUM. calamine 0.38 does not decode PtgMemErr.
fn sum_of_an_intersection() -> Vec<u8> {
    let mut expression = sum_formula("D3:D4");
    expression.truncate(expression.len() - 4); // the area alone, without SUM
    expression.push(0x24); // PtgRef F1: row 0, column 5, both relative
    expression.extend(0u32.to_le_bytes());
    expression.extend((5u16 | 0xC000).to_le_bytes());
    expression.push(0x0F);
    let mut rgce = vec![0x27, 0x00, 0, 0, 0];
    rgce.extend((expression.len() as u16).to_le_bytes());
    rgce.extend(expression);
    rgce.extend([0x22, 1, 4, 0]);
    rgce
}

#[test]
fn xlsb_formulas_calamine_cannot_decode_keep_their_saved_values() {
    let case = Case::new();
    let mut sheets: Vec<(&str, Vec<Vec<XlsbCell>>)> = small_set(
        &[
            &["K1", "G1", "Deals", "", "n:5"],
            &["K2", "G1", "Calls", "n:10", "n:6", "", "note"],
        ],
        &["n:1", "n:2", "n:3"],
    )
    .into_iter()
    .map(|(name, rows)| {
        let cells = rows
            .iter()
            .map(|row| row.iter().map(|c| XlsbCell::parse(c)).collect())
            .collect();
        (name, cells)
    })
    .collect();
    let formula = |saved: f64| XlsbCell::Formula {
        rgce: sum_of_an_intersection(),
        saved: Saved::Number(saved),
    };
    // K1's target, and a cell of a column the product does not read.
    sheets[1].1[1][3] = formula(42.0);
    sheets[1].1[2][5] = formula(7.0);
    std::fs::write(case.path("memerr.xlsb"), xlsb_bytes(&sheets)).unwrap();
    let decoded = open_workbook(&case.path("memerr.xlsb")).worksheet_formula("KPI");
    assert!(decoded.is_err(), "calamine decodes it now: {decoded:?}");

    let (run, doc) = report(&case, "memerr.xlsb", "out");
    assert_ne!(run.code, 2, "{}", run.stderr);
    assert!(!run.stderr.contains("error"), "{}", run.stderr);
    let k1 = doc["metrics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["id"] == "K1")
        .unwrap();
    assert_eq!(k1["target"], 42.0);
}

#[test]
fn xlsb_sheet_beyond_a_limit_is_refused_naming_the_cell() {
    let case = Case::new();
    case.write("kpi-report.toml", "[limits]\nmax_rows = 3\n");
    let sheets = small_set(
        &[
            &["K1", "G1", "Deals", "n:10", "n:5"],
            &["K2", "G1", "Calls", "n:10", "n:6"],
            &["K3", "G1", "Visits", "n:10", "n:7"],
        ],
        &["n:1", "n:2", "n:3"],
    );
    write_xlsb(&case.path("long.xlsb"), &sheets);
    let Run { code, stdout, .. } = case.check(&["long.xlsb"], &[]);
    assert_eq!(code, 2, "{stdout}");
    assert!(
        stdout.contains("long.xlsb:KPI!A4: error E07") && stdout.contains("max_rows = 3"),
        "{stdout}"
    );
}

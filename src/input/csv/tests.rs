use super::*;

type Rows = Vec<(u64, Vec<String>)>;

fn read_as(bytes: &[u8], encoding: TextEncoding) -> Result<(Detected, Rows), CsvError> {
    let mut rows = Vec::new();
    let detected = read_records(
        || Ok(bytes),
        encoding,
        |record: &Record| -> Result<(), CsvError> {
            let mut fields = Vec::new();
            for i in 0..record.len() {
                let col = u32::try_from(i).unwrap_or(u32::MAX);
                fields.push(record.field(col)?.unwrap_or("").to_string());
            }
            rows.push((record.line, fields));
            Ok(())
        },
    )?;
    Ok((detected, rows))
}

fn read(bytes: &[u8]) -> Result<(Detected, Rows), CsvError> {
    read_as(bytes, TextEncoding::Auto)
}

fn cp932(text: &str) -> Vec<u8> {
    let (bytes, _, unmappable) = SHIFT_JIS.encode(text);
    assert!(!unmappable, "{text}");
    bytes.into_owned()
}

fn utf16(text: &str, little: bool) -> Vec<u8> {
    let mut bytes = if little {
        vec![0xFF, 0xFE]
    } else {
        vec![0xFE, 0xFF]
    };
    for unit in text.encode_utf16() {
        bytes.extend(if little {
            unit.to_le_bytes()
        } else {
            unit.to_be_bytes()
        });
    }
    bytes
}

fn row(fields: &[&str]) -> Vec<String> {
    fields.iter().map(|f| f.to_string()).collect()
}

const JAPANESE: &str = "勘定科目コード,勘定科目名,部門,月,金額\r\n\
    4110,売上高,髙橋商店,2026/04,\"1,234,000\"\r\n\
    5210,﨑山 ㎝ 計測費,営業Ⅲ課,2026/04,\"△1,000\"\r\n";

#[test]
fn cp932_with_extended_characters_is_read_as_windows_31j() {
    let (detected, rows) = read(&cp932(JAPANESE)).unwrap();
    assert_eq!(detected.encoding, SHIFT_JIS);
    assert_eq!(detected.delimiter, b',');
    assert_eq!(rows.len(), 3);
    assert_eq!(
        rows[1].1,
        row(&["4110", "売上高", "髙橋商店", "2026/04", "1,234,000"])
    );
    assert_eq!(
        rows[2],
        (
            3,
            row(&["5210", "﨑山 ㎝ 計測費", "営業Ⅲ課", "2026/04", "△1,000"])
        )
    );
}

#[test]
fn utf8_with_and_without_bom_and_utf16_read_the_same() {
    let expected = read(&cp932(JAPANESE)).unwrap().1;
    let mut bom = UTF8_BOM.to_vec();
    bom.extend_from_slice(JAPANESE.as_bytes());
    for bytes in [
        bom,
        JAPANESE.as_bytes().to_vec(),
        utf16(JAPANESE, true),
        utf16(JAPANESE, false),
    ] {
        let (_, rows) = read(&bytes).unwrap();
        assert_eq!(rows, expected);
    }
    let (detected, _) = read(&utf16(JAPANESE, false)).unwrap();
    assert_eq!(detected.encoding, UTF_16BE);
}

#[test]
fn delimiters_are_sniffed() {
    let tab = "code\tname\tamount\n0012\tA, Inc.\t1,000\n0013\tB\t2\n";
    let (detected, rows) = read(tab.as_bytes()).unwrap();
    assert_eq!(detected.delimiter, b'\t');
    assert_eq!(rows[1].1, row(&["0012", "A, Inc.", "1,000"]));
    let semicolon = "code;name;amount\n1;\"a;b\";1,5\n2;c;2,5\n";
    let (detected, rows) = read(semicolon.as_bytes()).unwrap();
    assert_eq!(detected.delimiter, b';');
    assert_eq!(rows[1].1, row(&["1", "a;b", "1,5"]));
    let excel = "sep=;\r\na;b\r\n1;2\r\n";
    let (detected, rows) = read(excel.as_bytes()).unwrap();
    assert_eq!(detected.delimiter, b';');
    assert_eq!(rows, vec![(2, row(&["a", "b"])), (3, row(&["1", "2"]))]);
}

#[test]
fn quotes_line_breaks_and_excel_codes() {
    let text =
        "id,memo,code\r\n1,\"two\r\nlines\",=\"0012\"\r\n2,\"say \"\"hi\"\"\",\"=\"\"007\"\"\"\r\n";
    let (_, rows) = read(text.as_bytes()).unwrap();
    assert_eq!(rows[1], (2, row(&["1", "two\r\nlines", "0012"])));
    // The record after a quoted line break starts on line 4.
    assert_eq!(rows[2], (4, row(&["2", "say \"hi\"", "007"])));
}

#[test]
fn western_text_is_not_taken_for_cp932() {
    // "Renée" and curly quotes in Windows-1252 happen to be valid CP932 byte pairs.
    let (bytes, _, _) =
        WINDOWS_1252.encode("name,city\nRen\u{e9}e,\u{201c}Caf\u{e9}\u{201d} Paris\n");
    let error = read(&bytes).unwrap_err();
    assert!(error.detail.contains("Windows-1252"), "{}", error.detail);
    assert_eq!(error.line, Some(2));
    let (_, rows) = read_as(&bytes, TextEncoding::Windows1252).unwrap();
    assert_eq!(
        rows[1].1,
        row(&["Ren\u{e9}e", "\u{201c}Caf\u{e9}\u{201d} Paris"])
    );
}

#[test]
fn undecodable_bytes_name_their_line() {
    let mut bytes = b"a,b\n1,2\n3,".to_vec();
    bytes.extend_from_slice(&[0x85, 0x30]);
    bytes.extend_from_slice(b"\n");
    let error = read(&bytes).unwrap_err();
    assert_eq!(error.line, Some(3));
    let mut bytes = cp932("a,b\n売上,2\n");
    bytes.extend_from_slice(b"x,");
    bytes.extend_from_slice(&[0x85, 0x30]);
    let error = read_as(&bytes, TextEncoding::Cp932).unwrap_err();
    assert_eq!(error.line, Some(3), "{error:?}");
    assert!(error.detail.contains("CP932"), "{}", error.detail);
    // UTF-8 asked for, CP932 given: the field is named.
    let error = read_as(&cp932("a,b\n1,売上\n"), TextEncoding::Utf8).unwrap_err();
    assert_eq!((error.line, error.column), (Some(2), Some(2)));
}

#[test]
fn text_is_told_from_binary() {
    assert!(crate::input::open::looks_like_text(b"a,b\r\n1,2\r\n"));
    assert!(crate::input::open::looks_like_text(&cp932(JAPANESE)));
    assert!(crate::input::open::looks_like_text(&utf16("a,b", true)));
    assert!(!crate::input::open::looks_like_text(&[
        0x50, 0x4B, 0x03, 0x04, 0x00
    ]));
    assert!(!crate::input::open::looks_like_text(b""));
}

#[test]
fn encodings_are_named_in_the_config() {
    assert_eq!(TextEncoding::parse("Shift_JIS"), Some(TextEncoding::Cp932));
    assert_eq!(TextEncoding::parse("utf-8"), Some(TextEncoding::Utf8));
    assert_eq!(TextEncoding::parse("UTF-16"), Some(TextEncoding::Utf16));
    assert_eq!(TextEncoding::parse("auto"), Some(TextEncoding::Auto));
    assert_eq!(TextEncoding::parse("ebcdic"), None);
}

#[test]
fn a_csv_loads_as_a_grid_with_line_locations() {
    let settings = crate::config::Settings::default();
    let names = NameTable::new(&settings);
    let text = cp932("指標一覧 2026年度\r\n\r\nコード,指標名,親,目標値,実績,メモ\r\n=\"0012\",売上高,G1,\"1,000\",△5,x\r\n");
    let (grid, header) = load_grid(
        &text,
        "kpi.csv",
        SheetRole::Kpi,
        &crate::contract::required_columns(SheetRole::Kpi),
        &names,
        &settings.limits,
    )
    .map_err(|e| format!("{e:?}"))
    .unwrap();
    assert_eq!(header.row, 2);
    assert_eq!(grid.get(3, 0), Some(&Data::String("0012".to_string())));
    assert_eq!(grid.get(3, 4), Some(&Data::String("△5".to_string())));
    let limits = Limits {
        max_rows: 3,
        ..Limits::default()
    };
    match load_grid(
        &text,
        "kpi.csv",
        SheetRole::Kpi,
        &crate::contract::required_columns(SheetRole::Kpi),
        &names,
        &limits,
    ) {
        Err(GridError::Refused(refusal)) => {
            let location = &refusal.1;
            assert_eq!(location.reference(), "kpi.csv line 4, column 1")
        }
        other => panic!("{:?}", other.map(|_| ())),
    }
}

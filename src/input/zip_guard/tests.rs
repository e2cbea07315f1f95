//! Unit tests of `input::zip_guard`.

use super::*;
use std::io::Write;

fn zip_of(entries: &[(&str, &[u8])]) -> Vec<u8> {
    let mut writer = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for (name, data) in entries {
        writer.start_file(*name, options).unwrap();
        writer.write_all(data).unwrap();
    }
    writer.finish().unwrap().into_inner()
}

#[test]
fn declared_counts() {
    assert_eq!(declared_count("0012"), Some(12));
    assert_eq!(declared_count("+12"), None);
    assert_eq!(declared_count(""), None);
    assert_eq!(declared_count("99999999999999999999999"), Some(u64::MAX));
}

#[test]
fn shared_string_counts_the_part_cannot_hold_are_refused() {
    let sst = br#"<?xml version="1.0"?><sst xmlns="x" count="2000000000" uniqueCount="2000000000"><si><t>a</t></si></sst>"#;
    let bytes = zip_of(&[
        ("[Content_Types].xml", b"<Types/>"),
        ("xl/workbook.xml", b"<workbook/>"),
        ("xl/sharedStrings.xml", sst),
    ]);
    match check_zip(&bytes, &Limits::default()).map(|c| c.kind) {
        Err(Problem::Unreadable { detail }) => {
            assert!(detail.contains("2000000000 shared strings"), "{detail}")
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn bombs_are_refused_from_the_central_directory() {
    let zeros = vec![b' '; 40 * 1024 * 1024];
    let bytes = zip_of(&[("[Content_Types].xml", b"<Types/>"), ("xl/big.xml", &zeros)]);
    assert!(bytes.len() < 200_000);
    match check_zip(&bytes, &Limits::default()).map(|c| c.kind) {
        Err(Problem::ZipBomb { entry, .. }) => assert_eq!(entry, "xl/big.xml"),
        other => panic!("{other:?}"),
    }
}

#[test]
fn kinds_and_other_documents() {
    let xlsx = zip_of(&[("[Content_Types].xml", b"<Types/>"), ("xl/wb.xml", b"<x/>")]);
    assert_eq!(
        check_zip(&xlsx, &Limits::default()).map(|c| c.kind),
        Ok(ZipKind::Xlsx)
    );
    let docx = zip_of(&[
        ("[Content_Types].xml", b"<Types/>"),
        ("word/document.xml", b"<x/>"),
    ]);
    assert!(matches!(
        check_zip(&docx, &Limits::default()).map(|c| c.kind),
        Err(Problem::NotAWorkbook { detail }) if detail.contains("Word")
    ));
    let odt = zip_of(&[
        ("mimetype", b"application/vnd.oasis.opendocument.text"),
        ("content.xml", b"<x/>"),
    ]);
    assert!(matches!(
        check_zip(&odt, &Limits::default()).map(|c| c.kind),
        Err(Problem::NotAWorkbook { .. })
    ));
}

#[test]
fn ods_repeats_are_counted_before_calamine_expands_them() {
    let content = br#"<office:document-content><office:body><office:spreadsheet>
        <table:table table:name="KPI">
          <table:table-row><table:table-cell office:value-type="string"><text:p>ID</text:p></table:table-cell></table:table-row>
          <table:table-row table:number-rows-repeated="1048575"><table:table-cell table:number-columns-repeated="16384" office:value-type="float" office:value="1"/></table:table-row>
        </table:table></office:spreadsheet></office:body></office:document-content>"#;
    let bytes = zip_of(&[
        ("mimetype", ODS_MIMETYPE.as_bytes()),
        ("content.xml", content),
    ]);
    assert!(matches!(
        check_zip(&bytes, &Limits::default()).map(|c| c.kind),
        Err(Problem::TooLarge { .. })
    ));
    let small = br#"<table:table table:name="KPI">
          <table:table-row table:number-rows-repeated="3"><table:table-cell table:number-columns-repeated="2" office:value-type="float" office:value="1"/><table:table-cell table:number-columns-repeated="1000"/></table:table-row>
          <table:table-row table:number-rows-repeated="1048000"><table:table-cell table:number-columns-repeated="1024"/></table:table-row>
        </table:table>"#;
    let bytes = zip_of(&[
        ("mimetype", ODS_MIMETYPE.as_bytes()),
        ("content.xml", small),
    ]);
    assert_eq!(
        check_zip(&bytes, &Limits::default()).map(|c| c.kind),
        Ok(ZipKind::Ods)
    );
}

#[test]
fn the_shared_strings_size_is_reported() {
    let sst =
        br#"<?xml version="1.0"?><sst xmlns="x" count="1" uniqueCount="1"><si><t>a</t></si></sst>"#;
    let with = zip_of(&[
        ("[Content_Types].xml", b"<Types/>"),
        ("xl/workbook.xml", b"<workbook/>"),
        ("xl/sharedStrings.xml", sst),
    ]);
    let check = check_zip(&with, &Limits::default()).unwrap();
    assert_eq!(check.kind, ZipKind::Xlsx);
    assert_eq!(check.shared_strings_bytes, sst.len() as u64);
    let without = zip_of(&[
        ("[Content_Types].xml", b"<Types/>"),
        ("xl/workbook.xml", b"<workbook/>"),
    ]);
    let check = check_zip(&without, &Limits::default()).unwrap();
    assert_eq!(check.shared_strings_bytes, 0);
}

fn styles_zip(records: usize) -> Vec<u8> {
    let mut styles = String::from(
        r#"<?xml version="1.0"?><styleSheet xmlns="x"><fonts count="1"><font/></fonts><cellXfs>"#,
    );
    for _ in 0..records {
        styles.push_str(r#"<xf numFmtId="0"/>"#);
    }
    styles.push_str("</cellXfs></styleSheet>");
    zip_of(&[
        ("[Content_Types].xml", b"<Types/>"),
        ("xl/workbook.xml", b"<workbook/>"),
        ("xl/styles.xml", styles.as_bytes()),
    ])
}

#[test]
fn style_tables_longer_than_excel_allows_are_refused() {
    let limits = Limits::default();
    assert!(check_zip(&styles_zip(1_000), &limits).is_ok());
    match check_zip(&styles_zip(MAX_STYLE_RECORDS as usize + 1), &limits) {
        Err(Problem::TooLarge { what, limit }) => {
            assert!(
                what.contains("xl/styles.xml") && what.contains("cellXfs"),
                "{what}"
            );
            assert!(limit.contains("65536 style records"), "{limit}");
        }
        other => panic!("{other:?}"),
    }
}

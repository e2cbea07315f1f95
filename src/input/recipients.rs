//! The Recipients sheet (SPEC section 10): who gets the per-owner report. A sheet named
//! Recipients, 宛先 or 送付先 with an Owner / 担当者 column and an E-mail / メール /
//! メールアドレス column; one owner may have several rows, and a cell may hold several
//! addresses separated by `;` or `,`. The sheet is optional and small; the addresses are
//! checked where they are used (the delivery layer), so a bad one names its cell there.

use calamine::{Data, Range, Reader};

use crate::model::Location;
use crate::text::normalize_key;

use super::open::Workbook;

/// The sheet names accepted, as keys ([`normalize_key`]).
const SHEET_NAMES: [&str; 4] = ["recipients", "宛先", "送付先", "送信先"];
/// The owner column's headers, as keys.
const OWNER_HEADERS: [&str; 5] = ["owner", "担当者", "担当", "責任者", "オーナー"];
/// The address column's headers, as keys.
const ADDRESS_HEADERS: [&str; 7] = [
    "e-mail",
    "email",
    "mail",
    "メール",
    "メールアドレス",
    "e-mailアドレス",
    "宛先",
];
/// Rows searched for the header row.
const HEADER_ROWS: u32 = 10;
/// At most this many rows are read (a recipients list, not a data sheet).
const MAX_ROWS: usize = 10_000;

/// One address of one owner, as read from the sheet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecipientRow {
    pub owner: String,
    /// One address as written (without the separators).
    pub address: String,
    /// The cell it was read from.
    pub location: Location,
}

/// Whether a sheet name is that of a Recipients sheet.
pub fn is_recipients_sheet(name: &str) -> bool {
    SHEET_NAMES.contains(&normalize_key(name).as_str())
}

/// Read the first Recipients sheet of the workbook, if any. A sheet without the two
/// columns gives no rows and a note saying why.
pub fn read(
    workbook: &mut Workbook,
    sheet_names: &[String],
) -> (Vec<RecipientRow>, Option<String>) {
    let Some(name) = sheet_names.iter().find(|n| is_recipients_sheet(n)) else {
        return (Vec::new(), None);
    };
    match workbook.worksheet_range(name) {
        Ok(range) => rows_of(name, &range),
        Err(e) => (
            Vec::new(),
            Some(format!(
                "{name}: cannot read the recipients sheet: {}",
                crate::text::one_line(&e.to_string())
            )),
        ),
    }
}

fn text_of(data: &Data) -> String {
    match data {
        Data::String(s) => s.trim().to_string(),
        Data::Empty | Data::Error(_) => String::new(),
        other => other.to_string().trim().to_string(),
    }
}

/// The rows of a loaded Recipients sheet.
fn rows_of(name: &str, range: &Range<Data>) -> (Vec<RecipientRow>, Option<String>) {
    let (start_row, start_col) = range.start().unwrap_or((0, 0));
    let header = range
        .rows()
        .take(HEADER_ROWS as usize)
        .enumerate()
        .find_map(|(i, row)| {
            let find = |headers: &[&str]| {
                row.iter()
                    .position(|cell| headers.contains(&normalize_key(&text_of(cell)).as_str()))
            };
            Some((i, find(&OWNER_HEADERS)?, find(&ADDRESS_HEADERS)?))
        });
    let Some((header_row, owner_col, address_col)) = header else {
        return (
            Vec::new(),
            Some(format!(
                "{name}: no Owner / 担当者 and E-mail / メールアドレス columns in the first \
                 {HEADER_ROWS} rows; the sheet is not used"
            )),
        );
    };
    let mut rows = Vec::new();
    for (i, row) in range.rows().enumerate().skip(header_row + 1).take(MAX_ROWS) {
        let cell = |col: usize| row.get(col).map(text_of).unwrap_or_default();
        let (owner, addresses) = (cell(owner_col), cell(address_col));
        if owner.is_empty() && addresses.is_empty() {
            continue;
        }
        let location = Location::cell(name, start_row + i as u32, start_col + address_col as u32);
        // An owner listed without an address is kept, so that the warning names the cell.
        let mut pieces: Vec<&str> = addresses
            .split([';', ',', '；', '、'])
            .map(str::trim)
            .filter(|a| !a.is_empty())
            .collect();
        if pieces.is_empty() {
            pieces.push("");
        }
        for address in pieces {
            rows.push(RecipientRow {
                owner: owner.clone(),
                address: address.to_string(),
                location: location.clone(),
            });
        }
    }
    (rows, None)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn range(rows: &[&[&str]]) -> Range<Data> {
        let mut range = Range::new((0, 0), (rows.len() as u32 - 1, 2));
        for (r, row) in rows.iter().enumerate() {
            for (c, text) in row.iter().enumerate() {
                if !text.is_empty() {
                    range.set_value((r as u32, c as u32), Data::String(text.to_string()));
                }
            }
        }
        range
    }

    #[test]
    fn japanese_headers_and_several_addresses() {
        let sheet = range(&[
            &["送付先一覧", "", ""],
            &["担当者", "部署", "メールアドレス"],
            &["佐藤", "営業", "sato@example.jp; sato2@example.jp"],
            &["", "", ""],
            &["鈴木", "開発", "suzuki@example.jp"],
            &["佐藤", "", "sato3@example.jp"],
            &["田中", "", ""],
        ]);
        let (rows, note) = rows_of("宛先", &sheet);
        assert_eq!(note, None);
        let pairs: Vec<(&str, &str, String)> = rows
            .iter()
            .map(|r| (r.owner.as_str(), r.address.as_str(), r.location.reference()))
            .collect();
        assert_eq!(
            pairs,
            [
                ("佐藤", "sato@example.jp", "宛先!C3".to_string()),
                ("佐藤", "sato2@example.jp", "宛先!C3".to_string()),
                ("鈴木", "suzuki@example.jp", "宛先!C5".to_string()),
                ("佐藤", "sato3@example.jp", "宛先!C6".to_string()),
                ("田中", "", "宛先!C7".to_string()),
            ]
        );
        assert!(is_recipients_sheet("Recipients"));
        assert!(is_recipients_sheet("送付先"));
        assert!(!is_recipients_sheet("KPI"));
    }

    #[test]
    fn a_sheet_without_the_columns_is_noted() {
        let (rows, note) = rows_of("Recipients", &range(&[&["Name", "Phone", ""]]));
        assert!(rows.is_empty());
        assert!(note.is_some_and(|n| n.contains("Owner")));
    }
}

//! Unit tests of `input::grid`.

use super::*;
use crate::config::Settings;
use crate::model::Field;

fn text(s: &str) -> Data {
    Data::String(s.to_string())
}

fn build(cells: &[(u32, u32, Data)], limits: &Limits) -> Result<(SheetGrid, HeaderRow), GridError> {
    let names = NameTable::new(&Settings::default());
    let mut builder = GridBuilder::new("KGI", SheetRole::Kgi, &names, limits, false);
    for (r, c, d) in cells {
        builder.push(*r, *c, d.clone(), None)?;
    }
    builder.finish()
}

#[test]
fn keeps_only_header_columns_below_the_search_rows() {
    let cells = vec![
        (0, 0, text("Title")),
        (2, 0, text("ID")),
        (2, 1, text("Name")),
        (2, 2, text("Notes")),
        (2, 3, text("Target")),
        (3, 0, text("G1")),
        (3, 2, text("kept: above row 21")),
        (25, 0, text("G2")),
        (25, 2, text("dropped: not a header column")),
        (25, 3, Data::Float(5.0)),
    ];
    let (grid, header) = build(&cells, &Limits::default()).unwrap();
    assert_eq!(header.row, 2);
    assert_eq!(header.column(Column::Field(Field::Target)), Some(3));
    assert!(grid.get(3, 2).is_some());
    assert!(grid.get(25, 2).is_none());
    assert_eq!(grid.get(25, 3), Some(&Data::Float(5.0)));
    assert_eq!(grid.rows_after(2), vec![3, 25]);
}

#[test]
fn limits_are_checked_per_cell_with_its_reference() {
    let limits = Limits {
        max_rows: 100,
        ..Limits::default()
    };
    let cells = vec![(0, 0, text("ID")), (100, 0, text("x"))];
    match build(&cells, &limits) {
        Err(GridError::Refused(refusal)) => match *refusal {
            (Problem::TooLarge { what, limit }, location) => {
                assert!(what.contains("row 101"), "{what}");
                assert_eq!(limit, "max_rows = 100");
                assert_eq!(location.reference(), "KGI!A101");
            }
            other => panic!("{other:?}"),
        },
        other => panic!("{other:?}"),
    }
    let limits = Limits {
        max_cells: 3,
        ..Limits::default()
    };
    let cells = vec![
        (0, 0, text("ID")),
        (0, 1, text("Name")),
        (0, 2, text("Target")),
        (1, 0, text("G1")),
    ];
    assert!(matches!(
        build(&cells, &limits),
        Err(GridError::Refused(r)) if matches!(r.0, Problem::TooLarge { .. })
    ));
}

#[test]
fn far_apart_cells_stay_two_cells() {
    let limits = Limits {
        max_rows: 1_048_576,
        max_columns: 16_384,
        ..Limits::default()
    };
    let cells = vec![
        (0, 0, text("ID")),
        (0, 1, text("Name")),
        (0, 16_383, text("Target")),
        (1_048_575, 16_383, Data::Float(1.0)),
    ];
    let (grid, _) = build(&cells, &limits).unwrap();
    assert_eq!(grid.cells.len(), 4);
    assert_eq!(grid.rows_after(0), vec![1_048_575]);
}

#[test]
fn a_late_header_cell_asks_for_a_second_read() {
    let names = NameTable::new(&Settings::default());
    let limits = Limits::default();
    let mut builder = GridBuilder::new("KGI", SheetRole::Kgi, &names, &limits, false);
    for (r, c, d) in [
        (0, 0, text("ID")),
        (0, 1, text("Name")),
        (0, 2, text("Target")),
        (30, 0, text("G1")),
    ] {
        builder.push(r, c, d, None).unwrap();
    }
    assert!(matches!(
        builder.push(5, 3, text("late"), None),
        Err(GridError::ReadAgain)
    ));
    let mut builder = GridBuilder::new("KGI", SheetRole::Kgi, &names, &limits, true);
    for (r, c, d) in [(30, 0, text("G1")), (0, 0, text("ID"))] {
        builder.push(r, c, d, None).unwrap();
    }
    for (r, c, d) in [(0, 1, text("Name")), (0, 2, text("Target"))] {
        builder.push(r, c, d, None).unwrap();
    }
    let (grid, header) = builder.finish().unwrap();
    assert_eq!(header.row, 0);
    assert_eq!(grid.get(30, 0), Some(&text("G1")));
}

#[test]
fn formulas_without_values_are_kept_by_position() {
    let names = NameTable::new(&Settings::default());
    let limits = Limits::default();
    let mut builder = GridBuilder::new("KGI", SheetRole::Kgi, &names, &limits, false);
    for (r, c, d) in [
        (0, 0, text("ID")),
        (0, 1, text("Name")),
        (0, 2, text("Target")),
    ] {
        builder.push(r, c, d, None).unwrap();
    }
    builder
        .push(1, 2, Data::Empty, Some("SUM(B2:B9)".to_string()))
        .unwrap();
    builder.push(1, 1, Data::Empty, None).unwrap();
    let (mut grid, _) = builder.finish().unwrap();
    assert_eq!(
        grid.formula(1, 2),
        Some(FormulaCell::WithoutValue("SUM(B2:B9)"))
    );
    assert_eq!(grid.get(1, 2), None);
    grid.add_formula(40, 7, "A1".to_string());
    assert_eq!(grid.formula(40, 7), None);
    grid.add_formula(40, 2, "A1".to_string());
    assert_eq!(grid.formula(40, 2), Some(FormulaCell::WithoutValue("A1")));
}

#[test]
fn formula_errors_are_kept_where_a_read_column_has_no_value() {
    let cells = [
        (0, 0, text("ID")),
        (0, 1, text("Name")),
        (0, 2, text("Target")),
        (1, 0, text("G1")),
        (1, 2, Data::Float(5.0)),
    ];
    let (mut grid, _) = build(&cells, &Limits::default()).unwrap();
    grid.add_formula_error(1, 2); // has a value
    grid.add_formula_error(40, 7); // a column not read
    grid.add_formula_error(40, 2);
    assert_eq!(grid.formula(1, 2), None);
    assert_eq!(grid.formula(40, 7), None);
    assert_eq!(grid.formula(40, 2), Some(FormulaCell::ErrorValue));
    assert_eq!(grid.rows_after(0), [1, 40]);
}

#[test]
fn a_repeated_position_keeps_the_later_cell() {
    let cell = |row, col, v: f64| GridCell {
        row,
        col,
        value: Value::Own(Data::Float(v)),
    };
    let mut cells = vec![
        cell(2, 0, 1.0),
        cell(1, 0, 2.0),
        cell(2, 0, 3.0),
        cell(1, 1, 4.0),
    ];
    sort_unique(&mut cells);
    assert_eq!(
        cells,
        vec![cell(1, 0, 2.0), cell(1, 1, 4.0), cell(2, 0, 3.0)]
    );
}

#[test]
fn a_shared_string_repeated_in_many_cells_is_held_once() {
    let names = NameTable::new(&Settings::default());
    let limits = Limits::default();
    let long = "x".repeat(10_000);
    let mut builder = GridBuilder::new("KGI", SheetRole::Kgi, &names, &limits, false);
    for (col, header) in ["ID", "Name", "Target"].into_iter().enumerate() {
        builder
            .push(0, col as u32, Data::String(header.to_string()), None)
            .unwrap();
    }
    for row in 1..200 {
        builder.push_shared(row, 1, &long).unwrap();
        builder
            .push(row, 0, text(&format!("K{row}")), None)
            .unwrap();
    }
    let (grid, _) = builder.finish().unwrap();
    // The reader lends the same string each time: one copy for 199 cells.
    assert_eq!(grid.strings.len(), 1);
    assert_eq!(grid.get(150, 1), Some(&Data::String(long.clone())));
}

#[test]
fn merged_areas_are_found_by_cell() {
    let area = |r0, c0, r1, c1| Dimensions {
        start: (r0, c0),
        end: (r1, c1),
    };
    let mut merged = MergedAreas::new(vec![area(10, 0, 12, 1), area(2, 0, 3, 0), area(5, 2, 5, 4)]);
    assert_eq!(merged.covering(11, 1), Some(&area(10, 0, 12, 1)));
    assert_eq!(
        merged.covering(10, 0),
        None,
        "the first cell holds the value"
    );
    assert_eq!(merged.covering(3, 0), Some(&area(2, 0, 3, 0)));
    assert_eq!(merged.covering(4, 0), None);
    assert_eq!(merged.covering(13, 0), None);
    assert_eq!(merged.covering(5, 3), Some(&area(5, 2, 5, 4)));
    assert_eq!(merged.covering(5, 5), None);
}

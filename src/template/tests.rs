//! Unit tests of `template`.

use super::*;
use crate::config::Settings;
use crate::contract::Choices;
use crate::contract::{find_word, AGGREGATION_WORDS};
use crate::input::names::NameTable;
use crate::input::value::{parse_direction, parse_frequency, parse_kind, parse_rollup};
use crate::model::{Aggregation, Direction, Frequency, Kind, Rollup};
use crate::text::normalize_key;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

#[test]
fn every_header_is_one_the_reader_accepts_for_its_field() {
    let names = NameTable::new(&Settings::default());
    for lang in [Lang::En, Lang::Ja] {
        for (role, columns) in [
            (SheetRole::Kgi, columns(SheetRole::Kgi, &KGI_COLUMNS)),
            (SheetRole::Kpi, columns(SheetRole::Kpi, &KPI_COLUMNS)),
        ] {
            for spec in &columns {
                let header = spec.header.get(lang);
                assert_eq!(
                    names.column_for_header(role, header),
                    Some(Column::Field(spec.field)),
                    "{header} on {role:?}"
                );
            }
        }
        let [_, kgi, kpi, actuals, plan] = sheet_names(lang);
        assert!(names.sheet_matches(SheetRole::Kgi, kgi));
        assert!(names.sheet_matches(SheetRole::Kpi, kpi));
        assert!(names.sheet_matches(SheetRole::Actuals, actuals));
        assert!(names.sheet_matches(SheetRole::Plan, plan));
        assert_eq!(
            names.column_for_header(SheetRole::Actuals, lang.pick("ID", "コード")),
            Some(Column::Field(Field::Id))
        );
    }
}

#[test]
fn every_dropdown_word_is_accepted_by_the_reader() {
    for lang in [Lang::En, Lang::Ja] {
        let offered = |c: Choices| c.offered().into_iter().map(|w| w.get(lang));
        assert_eq!(
            offered(Choices::Direction)
                .map(parse_direction)
                .collect::<Vec<_>>(),
            [
                Some(Direction::Increase),
                Some(Direction::Decrease),
                Some(Direction::StayAbove),
                Some(Direction::StayBelow)
            ]
        );
        assert_eq!(
            offered(Choices::Aggregation)
                .map(|w| find_word(&AGGREGATION_WORDS, &normalize_key(w)))
                .collect::<Vec<_>>(),
            [
                Some(Aggregation::Last),
                Some(Aggregation::Sum),
                Some(Aggregation::Average)
            ]
        );
        assert_eq!(
            offered(Choices::Frequency)
                .map(parse_frequency)
                .collect::<Vec<_>>(),
            [
                Some(Frequency::Daily),
                Some(Frequency::Weekly),
                Some(Frequency::Monthly),
                Some(Frequency::Quarterly),
                Some(Frequency::Yearly)
            ]
        );
        assert_eq!(
            offered(Choices::Rollup)
                .map(parse_rollup)
                .collect::<Vec<_>>(),
            [Some(Rollup::Weighted), Some(Rollup::Sum)]
        );
        assert_eq!(
            offered(Choices::Kind).map(parse_kind).collect::<Vec<_>>(),
            [Some(Kind::Kpi), Some(Kind::Kdi)]
        );
    }
}

#[test]
fn fiscal_year_follows_the_start_month() {
    let fy = FiscalYear::containing(d(2026, 11, 26), 4);
    assert_eq!((fy.start, fy.end), (d(2026, 4, 1), d(2027, 3, 31)));
    let fy = FiscalYear::containing(d(2026, 2, 10), 4);
    assert_eq!((fy.start, fy.end), (d(2025, 4, 1), d(2026, 3, 31)));
    let months = FiscalYear::containing(d(2026, 5, 1), 1).month_ends();
    assert_eq!(months.len(), 12);
    assert_eq!(months[0], d(2026, 1, 31));
    assert_eq!(months[1], d(2026, 2, 28));
    assert_eq!(months[11], d(2026, 12, 31));
}

#[test]
fn example_actuals_fill_the_months_ended_before_today() {
    let fy = FiscalYear::containing(d(2026, 11, 26), 4);
    let actuals = example_actuals(fy, d(2026, 11, 26));
    let ids: Vec<&str> = actuals.iter().map(|(id, _, _)| *id).collect();
    assert_eq!(ids, ["B1", "B2", "B3", "B3a", "B4", "C1"]);
    let (_, _, repeat_sales) = &actuals[0];
    assert_eq!(repeat_sales.len(), 7, "April to October");
    // The month's amount: 60,000,000 x 6 % (April) x 1.02 = 3,672,000, rounded to 100,000;
    // October: 60,000,000 x 8 % x 1.02 = 4,896,000.
    assert_eq!(repeat_sales[0], 3_700_000.0);
    assert_eq!(repeat_sales[6], 4_900_000.0);
    let (_, _, negotiations) = &actuals[2];
    // 100 / 12 x 0.88 = 7.33 a month.
    assert_eq!(negotiations[..3], [7.0, 7.0, 7.0]);
    // The gross margin is a level: 30 % x 1.03 = 30.9 % every month.
    assert_eq!(actuals[4].2[..2], [0.309, 0.309]);
    // Advertising runs 4 % over its seasonal budget: April 24,000,000 x 6 % x 1.04 =
    // 1,497,600, rounded to 1,500,000.
    assert_eq!(actuals[5].2[0], 1_500_000.0);
    // On the last day of October, October has not ended yet.
    assert_eq!(example_actuals(fy, d(2026, 10, 31))[0].2.len(), 6);
    assert!(example_actuals(fy, d(2026, 4, 15))[0].2.is_empty());
}

#[test]
fn the_budget_is_seasonal_and_adds_up_to_the_target() {
    let budget = example_budget();
    let ids: Vec<&str> = budget.iter().map(|(id, _, _)| *id).collect();
    assert_eq!(ids, ["B1", "B2", "C1"]);
    let (_, _, repeat) = &budget[0];
    assert_eq!(repeat.iter().sum::<f64>(), 60_000_000.0);
    // April 6 %, September 10 %, March 15 % of 60,000,000.
    assert_eq!(
        (repeat[0], repeat[5], repeat[11]),
        (3_600_000.0, 6_000_000.0, 9_000_000.0)
    );
    assert_eq!(budget[1].2.iter().sum::<f64>(), 40_000_000.0);
}

#[test]
fn template_builds_in_both_languages_within_excel_limits() {
    // Excel's limits on validation titles and messages are checked by the builder.
    for lang in [Lang::En, Lang::Ja] {
        let bytes = template(lang, d(2026, 11, 26), 4).unwrap();
        assert!(bytes.starts_with(b"PK"));
    }
}

#[test]
fn widths_count_east_asian_characters_double() {
    assert_eq!(column_width(["ID"]), 8.0);
    assert_eq!(column_width(["Frequency"]), 12.0);
    assert_eq!(column_width(["測定頻度"]), 11.0);
    assert_eq!(column_width(["新規顧客商談数"]), 17.0);
}

#[test]
fn numbers_in_hints_are_grouped() {
    let grouped = |v: f64| crate::display::decimal(v, 0, false);
    assert_eq!(grouped(100_000_000.0), "100,000,000");
    assert_eq!(grouped(2_400.0), "2,400");
    assert_eq!(grouped(44.0), "44");
    assert_eq!(grouped(-1_000.0), "-1,000");
}

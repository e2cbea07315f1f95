//! Unit tests of `analysis::series`: periods, plan to date, values by date.

use super::*;
use crate::model::{Measurement, Source};

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn plan_value(date: NaiveDate, value: f64) -> PlanValue {
    PlanValue {
        date,
        value,
        source: Source::ActualCell,
    }
}

#[test]
fn months_cover_start_to_deadline() {
    let periods = periods_covering(d(2026, 4, 15), d(2026, 6, 10), PeriodKind::Month, 4);
    let spans: Vec<(NaiveDate, NaiveDate)> = periods.iter().map(|p| (p.start, p.end)).collect();
    assert_eq!(
        spans,
        [
            (d(2026, 4, 1), d(2026, 4, 30)),
            (d(2026, 5, 1), d(2026, 5, 31)),
            (d(2026, 6, 1), d(2026, 6, 30)),
        ]
    );
}

#[test]
fn quarters_start_with_the_fiscal_year() {
    // Fiscal year from April: a start in February belongs to Q4 (Jan–Mar) of fiscal 2025.
    let periods = periods_covering(d(2026, 2, 10), d(2026, 9, 30), PeriodKind::Quarter, 4);
    let labels: Vec<String> = periods.iter().map(Period::label).collect();
    assert_eq!(labels, ["2025-Q4", "2026-Q1", "2026-Q2"]);
    assert_eq!(periods[0].start, d(2026, 1, 1));
    assert_eq!(periods[2].end, d(2026, 9, 30));
    // Calendar fiscal year.
    let periods = periods_covering(d(2026, 1, 1), d(2026, 12, 31), PeriodKind::Year, 1);
    assert_eq!(periods.len(), 1);
    assert_eq!(periods[0].label(), "2026");
}

#[test]
fn plan_to_date_for_sum_and_last() {
    let plan = [
        plan_value(d(2026, 4, 30), 10.0),
        plan_value(d(2026, 5, 31), 20.0),
        plan_value(d(2026, 5, 31), 5.0),
        plan_value(d(2026, 6, 30), 30.0),
    ];
    let start = d(2026, 4, 1);
    // sum: 10 + 20 + 5 by 05-31; nothing is due before 04-30.
    assert_eq!(
        plan_at(&plan, Aggregation::Sum, start, d(2026, 5, 31)),
        Some(35.0)
    );
    assert_eq!(
        plan_at(&plan, Aggregation::Sum, start, d(2026, 4, 29)),
        Some(0.0)
    );
    // last: the latest plan date on or before t (the later row on one date).
    assert_eq!(
        plan_at(&plan, Aggregation::Last, start, d(2026, 6, 15)),
        Some(5.0)
    );
    assert_eq!(
        plan_at(&plan, Aggregation::Last, start, d(2026, 4, 29)),
        None
    );
    assert_eq!(plan_at(&[], Aggregation::Sum, start, d(2026, 6, 15)), None);
}

#[test]
fn the_cell_wins_over_a_table_value_on_its_date() {
    let table = Measurement {
        date: Some(d(2026, 5, 31)),
        value: 1.0,
        source: Source::Table {
            table: 0,
            row: 1,
            col: 1,
        },
    };
    let cell = Measurement {
        date: Some(d(2026, 5, 31)),
        value: 2.0,
        source: Source::ActualCell,
    };
    let values = values_by_date(&[cell, table], d(2026, 6, 1));
    assert_eq!(values, [(d(2026, 5, 31), 2.0)]);
    let values = values_by_date(&[table, cell], d(2026, 6, 1));
    assert_eq!(values, [(d(2026, 5, 31), 2.0)]);
}

fn month(k: usize, plan: Option<f64>, actual: Option<f64>) -> PeriodFigures {
    let periods = periods_covering(d(2026, 4, 1), d(2026, 6, 30), PeriodKind::Month, 4);
    PeriodFigures {
        period: periods[k],
        plan,
        actual,
        plan_cumulative: None,
        actual_cumulative: None,
        plan_line: None,
        variance: None,
        attainment: None,
        favourable: None,
    }
}

#[test]
fn a_periods_variance_is_favourable_by_direction() {
    // Sales 110 against 100: +10, good; a cost of 110 against a budget of 100: +10, bad.
    let sales = month(0, Some(100.0), Some(110.0)).with_variance(Direction::Increase);
    assert_eq!((sales.variance, sales.favourable), (Some(10.0), Some(true)));
    let cost = month(0, Some(100.0), Some(110.0)).with_variance(Direction::StayBelow);
    assert_eq!((cost.variance, cost.favourable), (Some(10.0), Some(false)));
    let no_plan = month(0, None, Some(110.0)).with_variance(Direction::Increase);
    assert_eq!((no_plan.variance, no_plan.favourable), (None, None));
}

#[test]
fn a_sum_parent_adds_its_childrens_periods() {
    let a = [month(0, Some(60.0), Some(50.0)), month(1, Some(60.0), None)];
    let b = [month(0, Some(40.0), Some(45.0)), month(1, Some(40.0), None)];
    let total = sum_of_series(&[&a, &b], Direction::Increase);
    // April: plan 60 + 40 = 100, actual 50 + 45 = 95, variance −5 (unfavourable).
    assert_eq!(total[0].plan, Some(100.0));
    assert_eq!(total[0].actual, Some(95.0));
    assert_eq!(
        (total[0].variance, total[0].favourable),
        (Some(-5.0), Some(false))
    );
    // May: plans only.
    assert_eq!((total[1].plan, total[1].actual), (Some(100.0), None));
    // A child without a plan leaves the parent's plan unknown, not understated.
    let c = [month(0, None, Some(5.0)), month(1, None, None)];
    let partial = sum_of_series(&[&a, &c], Direction::Increase);
    assert_eq!((partial[0].plan, partial[0].actual), (None, Some(55.0)));
    // Series of different periods are not added up.
    assert!(sum_of_series(&[&a, &b[..1]], Direction::Increase).is_empty());
}

#[test]
fn the_year_to_date_adds_up_the_periods_due() {
    let amount = |date: NaiveDate, value: f64, row: u32| Measurement {
        date: Some(date),
        value,
        source: Source::Table {
            table: 0,
            row,
            col: 1,
        },
    };
    let measurements = [
        amount(d(2026, 4, 30), 10.0, 1),
        amount(d(2026, 5, 20), 7.0, 2),
    ];
    let plan = [
        plan_value(d(2026, 4, 30), 12.0),
        plan_value(d(2026, 5, 31), 12.0),
        plan_value(d(2026, 6, 30), 12.0),
    ];
    let input = SeriesInput {
        measurements: &measurements,
        plan: &plan,
        aggregation: Aggregation::Sum,
        frequency: None,
        start: d(2026, 4, 1),
        deadline: d(2026, 6, 30),
        as_of: d(2026, 5, 20),
        fiscal_start_month: 4,
    };
    let periods = period_series(&input);
    // Mid-May: May's amount so far counts, May's plan (due at its end) does not: one
    // period due; P(t) = 12 is April's plan, A = 17 both months' amounts.
    let totals = period_totals(&periods, input.as_of, Some(12.0), Some(17.0));
    assert_eq!(
        totals,
        PeriodTotals {
            due: 1,
            plan_adds_up: true,
            actual_adds_up: true
        }
    );
    // An actual cell's total of 20 is not the periods' 17: the year to date is that figure,
    // not a sum of the cells.
    assert!(!period_totals(&periods, input.as_of, Some(12.0), Some(20.0)).actual_adds_up);
}

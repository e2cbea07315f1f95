//! Unit tests of `analysis::formulas`.

use super::*;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

#[test]
fn progress_increase_decrease_with_and_without_baseline() {
    use Direction::*;
    // 60 of 100 -> 0.6
    assert_eq!(progress(60.0, 100.0, None, Increase), Some(0.6));
    // baseline 50, target 100, actual 75 -> 25/50
    assert_eq!(progress(75.0, 100.0, Some(50.0), Increase), Some(0.5));
    // decrease without baseline: T/A = 2/4
    assert_eq!(progress(4.0, 2.0, None, Decrease), Some(0.5));
    assert_eq!(progress(0.0, 2.0, None, Decrease), Some(1.0));
    assert_eq!(progress(-1.0, 2.0, None, Decrease), Some(1.0));
    // decrease with baseline 5 -> 2, actual 3.5: (3.5-5)/(2-5) = 0.5
    assert_eq!(progress(3.5, 2.0, Some(5.0), Decrease), Some(0.5));
    // not clamped
    assert_eq!(progress(150.0, 100.0, None, Increase), Some(1.5));
    assert_eq!(progress(5.0, 0.0, None, Increase), None);
}

#[test]
fn elapsed_is_clamped() {
    let (s, dl) = (d(2026, 4, 1), d(2027, 3, 31));
    assert_eq!(elapsed(d(2026, 3, 1), s, dl), 0.0);
    assert_eq!(elapsed(d(2027, 5, 1), s, dl), 1.0);
    // 2026-10-31: 213 of 364 days
    assert!((elapsed(d(2026, 10, 31), s, dl) - 213.0 / 364.0).abs() < 1e-12);
}

#[test]
fn least_squares_on_a_known_line() {
    // y = 10 + 2x (x in days from 2026-04-01); at day 100 -> 210
    let o = d(2026, 4, 1);
    let points: Vec<_> = [0i64, 10, 30, 61]
        .iter()
        .map(|x| (o + chrono::Days::new(*x as u64), 10.0 + 2.0 * *x as f64))
        .collect();
    let f = least_squares_at(&points, o + chrono::Days::new(100)).unwrap();
    assert!((f - 210.0).abs() < 1e-9, "{f}");
    assert_eq!(least_squares_at(&points[..1], o), None);
}

#[test]
fn forecast_falls_back_in_order() {
    let dl = d(2027, 3, 31);
    let one = [(d(2026, 9, 30), 40.0)];
    // baseline continuation: 10 + (40 - 10)/0.5 = 70
    assert_eq!(
        forecast_at_deadline(&one, 40.0, Some(10.0), Direction::Increase, 0.5, dl),
        Some(70.0)
    );
    // increase from zero: 40/0.5
    assert_eq!(
        forecast_at_deadline(&one, 40.0, None, Direction::Increase, 0.5, dl),
        Some(80.0)
    );
    // decrease without baseline: A
    assert_eq!(
        forecast_at_deadline(&one, 40.0, None, Direction::Decrease, 0.5, dl),
        Some(40.0)
    );
    assert_eq!(
        forecast_at_deadline(&one, 40.0, None, Direction::Increase, 0.0, dl),
        None
    );
}

#[test]
fn rates_per_interval() {
    let dates = (d(2026, 4, 1), d(2026, 10, 1), d(2027, 3, 31));
    // 183 days elapsed, 181 left; gained 60 -> per 7-day week 60/183*7
    let r = rates(60.0, 100.0, None, Direction::Increase, 7.0, dates);
    assert!((r.so_far.unwrap() - 60.0 / 183.0 * 7.0).abs() < 1e-12);
    assert!((r.required.unwrap() - 40.0 / 181.0 * 7.0).abs() < 1e-12);
    let r = rates(60.0, 100.0, None, Direction::Decrease, 7.0, dates);
    assert!(r.so_far.is_none() && r.required.is_none());
    let outside = (d(2026, 4, 1), d(2027, 4, 1), d(2027, 3, 31));
    assert!(rates(1.0, 2.0, None, Direction::Increase, 7.0, outside)
        .so_far
        .is_none());
}

#[test]
fn status_rules_in_order() {
    let t = Thresholds::default();
    let dates = (d(2026, 4, 1), d(2026, 10, 1), d(2027, 3, 31));
    assert_eq!(status(false, true, dates, None, &t), Status::NoData);
    assert_eq!(status(true, true, dates, None, &t), Status::Achieved);
    assert_eq!(status(true, false, dates, Some(0.95), &t), Status::OnTrack);
    assert_eq!(status(true, false, dates, Some(0.80), &t), Status::AtRisk);
    assert_eq!(status(true, false, dates, Some(0.79), &t), Status::OffTrack);
    let early = (d(2026, 10, 1), d(2026, 10, 1), d(2027, 3, 31));
    assert_eq!(
        status(true, false, early, Some(2.0), &t),
        Status::NotStarted
    );
    let late = (d(2026, 4, 1), d(2027, 4, 1), d(2027, 3, 31));
    assert_eq!(status(true, false, late, Some(2.0), &t), Status::Overdue);
}

//! Unit tests of the v2 figures (予実): aggregation over time, phased plans, floors and
//! ceilings, forecast methods, sum rollups and the checks on values over time. Every
//! expected figure is worked out by hand in the comment beside it (or, for least-squares
//! lines, by `tests/fixtures/yojitsu/expected.py`).

use chrono::NaiveDate;

use crate::analysis::{analyse, Analysis, MetricReport, PlanSource};
use crate::config::Settings;
use crate::findings::Code;
use crate::model::{
    Aggregation, Direction, ForecastMethod, GoalSet, Kind, Location, Measurement, Metric,
    PlanValue, Rollup, Source, Status,
};

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

/// The month ends of fiscal 2026 (April 2026 to March 2027).
fn month_end(i: usize) -> NaiveDate {
    let (y, m) = if i < 9 {
        (2026, 4 + i as u32)
    } else {
        (2027, i as u32 - 8)
    };
    crate::dates::month_end(d(y, m, 1))
}

fn amounts(values: &[f64]) -> Vec<Measurement> {
    values
        .iter()
        .enumerate()
        .map(|(i, v)| table_value(month_end(i), *v, i as u32 + 1))
        .collect()
}

fn table_value(date: NaiveDate, value: f64, row: u32) -> Measurement {
    Measurement {
        date: Some(date),
        value,
        source: Source::Table {
            table: 0,
            row,
            col: 2,
        },
    }
}

fn plan(values: &[f64]) -> Vec<PlanValue> {
    values
        .iter()
        .enumerate()
        .map(|(i, v)| PlanValue {
            date: month_end(i),
            value: *v,
            source: Source::Table {
                table: 1,
                row: 1,
                col: i as u32 + 1,
            },
        })
        .collect()
}

/// A KGI with the given figures, from 2026-04-01 to 2027-03-31, plus one KPI under it so
/// that the goal set is a normal one.
fn kgi(target: f64) -> Metric {
    let mut m = Metric::new("G", "Goal", Kind::Kgi, target);
    m.start = Some(d(2026, 4, 1));
    m.deadline = Some(d(2027, 3, 31));
    m.unit = crate::model::Unit::new("JPY");
    m
}

fn run(metrics: Vec<Metric>, as_of: NaiveDate) -> Analysis {
    run_with(metrics, as_of, &Settings::default())
}

fn run_with(metrics: Vec<Metric>, as_of: NaiveDate, settings: &Settings) -> Analysis {
    let goal_set = GoalSet {
        metrics,
        tables: vec![Location::sheet("Actuals"), Location::sheet("Plan")],
        ..GoalSet::default()
    };
    analyse(goal_set, &[], as_of, settings)
}

fn one(metric: Metric, as_of: NaiveDate) -> (MetricReport, Analysis) {
    let id = metric.id.clone();
    let analysis = run(vec![metric], as_of);
    (analysis.metric(&id).unwrap().clone(), analysis)
}

fn close(actual: Option<f64>, expected: f64) {
    let a = actual.unwrap_or_else(|| panic!("expected {expected}, got None"));
    assert!((a - expected).abs() < 1e-9, "expected {expected}, got {a}");
}

fn codes(analysis: &Analysis, id: &str) -> Vec<Code> {
    analysis
        .findings
        .iter()
        .filter(|f| f.id.as_deref() == Some(id))
        .map(|f| f.code())
        .collect()
}

const SEP_30: (i32, u32, u32) = (2026, 9, 30);

fn sep30() -> NaiveDate {
    d(SEP_30.0, SEP_30.1, SEP_30.2)
}

// ---------------------------------------------------------------- aggregation over time

#[test]
fn monthly_flows_without_a_plan_add_up_against_the_straight_line() {
    let mut m = kgi(1200.0);
    m.aggregation = Some(Aggregation::Sum);
    m.measurements = amounts(&[100.0, 120.0, 80.0, 110.0, 90.0, 100.0]);
    let (r, _) = one(m, sep30());
    let f = &r.now;
    // A = 100+120+80+110+90+100 = 600 (v1 took the latest, 100).
    close(f.actual, 600.0);
    // e = 182/364 days = 0.5; straight line P(t) = T·e = 600; ê = e.
    assert_eq!(f.elapsed, 0.5);
    assert_eq!(f.plan_source, PlanSource::StraightLine);
    close(f.plan_to_date, 600.0);
    close(f.expected_progress, 0.5);
    assert_eq!(f.plan_total, None);
    // p = 600/1200 = 0.5; π = p/ê = 1.0; v = 0; a = 1.0
    close(f.progress, 0.5);
    close(f.pace, 1.0);
    close(f.variance, 0.0);
    close(f.attainment, 1.0);
    assert_eq!(f.status, Status::OnTrack);
    // auto without a plan is trend: the least-squares line through the running totals
    // 100, 220, 300, 410, 500, 600 at the month ends, at 2027-03-31 (expected.py: S1).
    assert_eq!(f.forecast_method, Some(ForecastMethod::Trend));
    close(f.forecast, 1186.4586209697068);
    // The series the forecast and the trend use is the running total.
    assert_eq!(f.history.last(), Some(&(sep30(), 600.0)));
    // Previous period (2026-08-31): A' = 500 of 1200.
    close(r.previous.actual, 500.0);
    close(r.previous.progress, 500.0 / 1200.0);
}

#[test]
fn the_periods_series_holds_amounts_and_running_totals() {
    let mut m = kgi(1200.0);
    m.aggregation = Some(Aggregation::Sum);
    m.measurements = amounts(&[100.0, 120.0, 80.0, 110.0, 90.0, 100.0]);
    m.plan = plan(&[100.0; 12]);
    // A mid-month as-of: October's 30 so far counts, October's plan (due 10-31) does not.
    m.measurements.push(table_value(d(2026, 10, 10), 30.0, 9));
    let (r, _) = one(m, d(2026, 10, 15));
    let periods = &r.now.periods;
    assert_eq!(periods.len(), 12);
    assert_eq!(periods[0].period.label(), "2026-04");
    assert_eq!(periods[11].period.label(), "2027-03");
    assert_eq!(periods[11].period.end, d(2027, 3, 31));
    assert_eq!(periods[1].actual, Some(120.0));
    assert_eq!(periods[1].actual_cumulative, Some(220.0));
    assert_eq!(periods[6].actual, Some(30.0));
    assert_eq!(periods[6].actual_cumulative, Some(630.0));
    assert_eq!(periods[7].actual, None);
    assert_eq!(periods[7].actual_cumulative, None);
    assert_eq!(periods[7].plan, Some(100.0));
    assert_eq!(periods[7].plan_cumulative, Some(800.0));
    // P(t) = the six month-end plans due by 10-15 = 600; A = 630.
    close(r.now.plan_to_date, 600.0);
    close(r.now.actual, 630.0);
}

#[test]
fn quarterly_and_yearly_periods_follow_the_fiscal_year() {
    let mut m = kgi(100.0);
    m.frequency = Some(crate::model::Frequency::Quarterly);
    m.measurements = amounts(&[10.0, 20.0, 30.0, 40.0]);
    let (r, _) = one(m.clone(), sep30());
    let labels: Vec<String> = r.now.periods.iter().map(|p| p.period.label()).collect();
    assert_eq!(labels, ["2026-Q1", "2026-Q2", "2026-Q3", "2026-Q4"]);
    // last: the latest value in the quarter (June 30, July 31).
    assert_eq!(r.now.periods[0].actual, Some(30.0));
    assert_eq!(r.now.periods[1].actual, Some(40.0));
    assert_eq!(r.now.periods[0].actual_cumulative, None);
    m.frequency = Some(crate::model::Frequency::Yearly);
    let (r, _) = one(m, sep30());
    assert_eq!(r.now.periods.len(), 1);
    assert_eq!(r.now.periods[0].period.label(), "2026");
}

#[test]
fn values_before_the_start_belong_to_an_earlier_year() {
    let mut m = kgi(1200.0);
    m.aggregation = Some(Aggregation::Sum);
    m.measurements = amounts(&[100.0, 100.0]);
    m.measurements.push(table_value(d(2026, 3, 31), 999.0, 20));
    let (r, _) = one(m, sep30());
    close(r.now.actual, 200.0);
}

#[test]
fn journal_lines_on_one_date_are_summed_for_sum() {
    let mut m = kgi(1200.0);
    m.aggregation = Some(Aggregation::Sum);
    m.measurements = vec![
        table_value(d(2026, 9, 30), 40.0, 1),
        table_value(d(2026, 9, 30), 60.0, 2),
        table_value(d(2026, 8, 31), 25.0, 3),
    ];
    let (r, analysis) = one(m, sep30());
    // 40 + 60 + 25
    close(r.now.actual, 125.0);
    assert_eq!(r.now.periods[5].actual, Some(100.0));
    assert!(!codes(&analysis, "G").contains(&Code::W12));
}

#[test]
fn two_values_on_one_date_for_last_is_w12_and_the_later_wins() {
    let mut m = kgi(1200.0);
    m.measurements = vec![
        table_value(d(2026, 9, 30), 40.0, 4),
        table_value(d(2026, 9, 30), 60.0, 7),
    ];
    let (r, analysis) = one(m, sep30());
    close(r.now.actual, 60.0);
    let w12: Vec<_> = analysis
        .findings
        .iter()
        .filter(|f| f.code() == Code::W12)
        .collect();
    assert_eq!(w12.len(), 1);
    let message = w12[0].message(crate::model::Lang::En);
    assert!(
        message.contains("Actuals!C5") && message.contains("Actuals!C8"),
        "{message}"
    );
    assert_eq!(w12[0].reference(), "Actuals!C8");
}

#[test]
fn the_actual_cell_of_a_sum_metric_is_a_total_so_far() {
    let mut m = kgi(1200.0);
    m.aggregation = Some(Aggregation::Sum);
    m.measurements = amounts(&[100.0, 100.0, 100.0]);
    // A total typed in the row, dated after the last amount (06-30): used.
    m.measurements.push(Measurement {
        date: Some(d(2026, 7, 15)),
        value: 350.0,
        source: Source::ActualCell,
    });
    let (r, _) = one(m.clone(), sep30());
    close(r.now.actual, 350.0);
    assert_eq!(r.now.history.last(), Some(&(d(2026, 7, 15), 350.0)));
    // The periods come from the amounts only.
    assert_eq!(r.now.periods[6].actual, None);
    assert_eq!(r.now.periods[2].actual_cumulative, Some(300.0));
    // Dated before the last amount: ignored.
    m.measurements.last_mut().unwrap().date = Some(d(2026, 6, 15));
    let (r, _) = one(m, sep30());
    close(r.now.actual, 300.0);
}

#[test]
fn average_is_the_mean_of_the_values_so_far() {
    let mut m = kgi(40.0);
    m.aggregation = Some(Aggregation::Average);
    m.measurements = amounts(&[10.0, 20.0, 30.0, 40.0, 50.0, 60.0]);
    m.forecast_method = Some(ForecastMethod::Average3);
    let (r, _) = one(m, sep30());
    // (10+20+30+40+50+60)/6 = 35; p = 35/40 = 0.875; π = 0.875/0.5 = 1.75
    close(r.now.actual, 35.0);
    close(r.now.progress, 0.875);
    close(r.now.pace, 1.75);
    // average3 on an average metric: the mean of the last three values (40+50+60)/3
    close(r.now.forecast, 50.0);
    assert_eq!(r.now.forecast_method, Some(ForecastMethod::Average3));
    // Previous (08-31): (10+…+50)/5 = 30
    close(r.previous.actual, 30.0);
}

#[test]
fn config_default_aggregation_applies_where_the_row_says_nothing() {
    let mut m = kgi(1200.0);
    m.measurements = amounts(&[100.0, 200.0]);
    let settings = Settings {
        default_aggregation: Aggregation::Sum,
        ..Settings::default()
    };
    let analysis = run_with(vec![m.clone()], sep30(), &settings);
    close(analysis.metric("G").unwrap().now.actual, 300.0);
    m.aggregation = Some(Aggregation::Last);
    let analysis = run_with(vec![m], sep30(), &settings);
    close(analysis.metric("G").unwrap().now.actual, 200.0);
}

// ---------------------------------------------------------------- phased plans

/// Fiscal 2026 sales plan: 50 a month for six months, then 100, 100, 100, 150, 200, 250
/// (total 1,200), and actual amounts of 60, 60, 45, 50, 55, 60 (330) to September.
fn seasonal() -> Metric {
    let mut m = kgi(1200.0);
    m.aggregation = Some(Aggregation::Sum);
    m.plan = plan(&[
        50.0, 50.0, 50.0, 50.0, 50.0, 50.0, 100.0, 100.0, 100.0, 150.0, 200.0, 250.0,
    ]);
    m.measurements = amounts(&[60.0, 60.0, 45.0, 50.0, 55.0, 60.0]);
    m
}

#[test]
fn a_seasonal_plan_and_the_straight_line_disagree_on_the_status() {
    let (r, analysis) = one(seasonal(), sep30());
    let f = &r.now;
    // P(t) = 6 × 50 = 300; plan_total = 1,200; A = 330
    assert_eq!(f.plan_source, PlanSource::Phased);
    close(f.plan_to_date, 300.0);
    close(f.plan_total, 1200.0);
    close(f.actual, 330.0);
    // v = 330 − 300 = 30 (favourable); a = 330/300 = 1.1
    close(f.variance, 30.0);
    close(f.attainment, 1.1);
    assert_eq!(f.favourable, Some(true));
    // ê = 300/1200 = 0.25; p = 330/1200 = 0.275; π = 0.275/0.25 = 1.1 → on_track
    close(f.expected_progress, 0.25);
    close(f.pace, 1.1);
    assert_eq!(f.status, Status::OnTrack);
    // auto with a plan is run_rate: 330 + (1200 − 300) × 330/300 = 1,320
    assert_eq!(f.forecast_method, Some(ForecastMethod::RunRate));
    close(f.forecast, 1320.0);
    close(f.forecast_progress, 1.1);
    // The plan adds up to the target: no W13.
    assert!(!codes(&analysis, "G").contains(&Code::W13));

    // Without the plan: the straight line says 600 by now, π = 0.275/0.5 = 0.55 → off_track.
    let mut m = seasonal();
    m.plan.clear();
    let (r, _) = one(m, sep30());
    close(r.now.plan_to_date, 600.0);
    close(r.now.pace, 0.55);
    assert_eq!(r.now.status, Status::OffTrack);
}

#[test]
fn each_forecast_method_by_hand() {
    let method = |method: ForecastMethod| {
        let mut m = seasonal();
        m.forecast_method = Some(method);
        let (r, _) = one(m, sep30());
        (r.now.forecast, r.now.forecast_method)
    };
    // plan: 330 + (1200 − 300) = 1,230
    let (f, used) = method(ForecastMethod::Plan);
    close(f, 1230.0);
    assert_eq!(used, Some(ForecastMethod::Plan));
    // average3: the last three months 50, 55, 60 → 55 a month for the 6 months left:
    // 330 + 6 × 55 = 660
    let (f, used) = method(ForecastMethod::Average3);
    close(f, 660.0);
    assert_eq!(used, Some(ForecastMethod::Average3));
    // run_rate: 1,320 (above)
    close(method(ForecastMethod::RunRate).0, 1320.0);
    // trend: the least-squares line through the running totals (expected.py: S2)
    let (f, used) = method(ForecastMethod::Trend);
    close(f, 639.1434865589214);
    assert_eq!(used, Some(ForecastMethod::Trend));

    // Without a plan, run_rate and plan fall back to trend and say so.
    let mut m = seasonal();
    m.plan.clear();
    m.forecast_method = Some(ForecastMethod::Plan);
    let (r, _) = one(m, sep30());
    assert_eq!(r.now.forecast_method, Some(ForecastMethod::Trend));
    close(r.now.forecast, 639.1434865589214);

    // The config's method applies where the row says nothing.
    let settings = Settings {
        forecast_method: ForecastMethod::Plan,
        ..Settings::default()
    };
    let analysis = run_with(vec![seasonal()], sep30(), &settings);
    close(analysis.metric("G").unwrap().now.forecast, 1230.0);
}

#[test]
fn trend_through_two_running_totals_is_the_line_through_them() {
    let mut m = kgi(1200.0);
    m.aggregation = Some(Aggregation::Sum);
    m.measurements = vec![
        table_value(d(2026, 8, 31), 500.0, 1),
        table_value(d(2026, 9, 30), 100.0, 2),
    ];
    let (r, _) = one(m, sep30());
    // Running totals 500 (08-31) and 600 (09-30): 100 per 30 days; 182 days to 03-31:
    // 600 + 182 × 100/30
    close(r.now.forecast, 600.0 + 182.0 * 100.0 / 30.0);
    // One value only: A/e = 600/0.5
    let mut m = kgi(1200.0);
    m.aggregation = Some(Aggregation::Sum);
    m.measurements = vec![table_value(d(2026, 9, 30), 600.0, 1)];
    let (r, _) = one(m, sep30());
    close(r.now.forecast, 1200.0);
}

#[test]
fn a_level_metric_with_a_plan_uses_its_latest_plan_value() {
    let mut m = kgi(150.0);
    // Headcount plan: 100 at the start, 120 at 09-30, 150 at 03-31.
    m.plan = vec![
        PlanValue {
            date: d(2026, 4, 30),
            value: 100.0,
            source: Source::ActualCell,
        },
        PlanValue {
            date: d(2026, 9, 30),
            value: 120.0,
            source: Source::ActualCell,
        },
        PlanValue {
            date: d(2027, 3, 31),
            value: 150.0,
            source: Source::ActualCell,
        },
    ];
    m.measurements = amounts(&[100.0, 104.0, 108.0, 110.0, 112.0, 114.0]);
    m.forecast_method = Some(ForecastMethod::Plan);
    let (r, analysis) = one(m, sep30());
    // P(t) = 120; v = 114 − 120 = −6; a = 114/120 = 0.95
    close(r.now.plan_to_date, 120.0);
    close(r.now.plan_total, 150.0);
    close(r.now.variance, -6.0);
    close(r.now.attainment, 0.95);
    assert_eq!(r.now.favourable, Some(false));
    // ê = 120/150 = 0.8; p = 114/150 = 0.76; π = 0.95 → on_track (≥ 0.95)
    close(r.now.expected_progress, 0.8);
    close(r.now.pace, 0.95);
    assert_eq!(r.now.status, Status::OnTrack);
    // plan on a level metric: the plan value at D = 150
    close(r.now.forecast, 150.0);
    // The last plan value equals the target: no W13.
    assert!(!codes(&analysis, "G").contains(&Code::W13));
    // Before the first plan value there is no plan to date.
    let (r, _) = one(
        {
            let mut m = kgi(150.0);
            m.plan = vec![PlanValue {
                date: d(2026, 9, 30),
                value: 120.0,
                source: Source::ActualCell,
            }];
            m.measurements = amounts(&[100.0]);
            m
        },
        d(2026, 5, 15),
    );
    assert_eq!(r.now.plan_to_date, None);
    assert_eq!(r.now.variance, None);
}

#[test]
fn nothing_due_yet_on_a_phased_plan_is_on_track() {
    let mut m = seasonal();
    m.measurements = vec![table_value(d(2026, 4, 10), 20.0, 1)];
    let (r, _) = one(m, d(2026, 4, 15));
    // April's plan is due on 04-30: P(t) = 0, ê = 0, no pace; on plan.
    close(r.now.plan_to_date, 0.0);
    assert_eq!(r.now.pace, None);
    assert_eq!(r.now.attainment, None);
    assert_eq!(r.now.status, Status::OnTrack);
}

#[test]
fn w13_when_the_plan_does_not_add_up_to_the_target() {
    let mut m = seasonal();
    m.target = Some(1000.0);
    let (_, analysis) = one(m, sep30());
    let w13 = analysis
        .findings
        .iter()
        .find(|f| f.code() == Code::W13)
        .unwrap();
    assert_eq!(
        w13.message(crate::model::Lang::En),
        "the plan adds up to 1,200, not the target 1,000 (more than 0.5 % apart); correct the Plan sheet or the target"
    );
    // An average metric's plan is not checked.
    let mut m = seasonal();
    m.target = Some(1000.0);
    m.aggregation = Some(Aggregation::Average);
    let (_, analysis) = one(m, sep30());
    assert!(!codes(&analysis, "G").contains(&Code::W13));
}

// ---------------------------------------------------------------- floors and ceilings

/// A cost budget of 1,200 (100 a month) as a spending ceiling.
fn cost_budget(actuals: &[f64]) -> Metric {
    let mut m = kgi(1200.0);
    m.direction = Direction::StayBelow;
    m.aggregation = Some(Aggregation::Sum);
    m.plan = plan(&[100.0; 12]);
    m.measurements = amounts(actuals);
    m
}

#[test]
fn a_cost_budget_over_plan() {
    let (r, _) = one(
        cost_budget(&[105.0, 100.0, 100.0, 105.0, 100.0, 105.0]),
        sep30(),
    );
    let f = &r.now;
    // A = 615 against P(t) = 600: v = +15, unfavourable for a ceiling; a = 615/600 = 1.025
    close(f.actual, 615.0);
    close(f.variance, 15.0);
    assert_eq!(f.favourable, Some(false));
    close(f.attainment, 1.025);
    // p = 615/1200 (share of the ceiling used); shortfall A − T = −585 (within)
    close(f.progress, 615.0 / 1200.0);
    close(f.shortfall, -585.0);
    // π = P(t)/A = 600/615 = 0.9756…: under 1 but ≥ 0.95 → at_risk
    close(f.pace, 600.0 / 615.0);
    assert_eq!(f.status, Status::AtRisk);
    assert!(!f.achieved);
    assert_eq!(f.rate_so_far, None);
    // run_rate: 615 + 600 × 615/600 = 1,230 → p̂ = 1.025; the priority gap is the
    // projected overrun p̂ − 1 = 0.025.
    close(f.forecast, 1230.0);
    close(f.forecast_progress, 1.025);
}

#[test]
fn a_cost_budget_under_plan() {
    let (r, _) = one(
        cost_budget(&[90.0, 95.0, 100.0, 95.0, 100.0, 100.0]),
        sep30(),
    );
    // A = 580; v = −20 favourable; π = 600/580 = 1.0345 → on_track
    close(r.now.actual, 580.0);
    close(r.now.variance, -20.0);
    assert_eq!(r.now.favourable, Some(true));
    close(r.now.pace, 600.0 / 580.0);
    assert_eq!(r.now.status, Status::OnTrack);
    // As "decrease" v1 would call any partial-year spend achieved; a ceiling is not
    // achieved before the period is over.
    assert!(!r.now.achieved);
}

#[test]
fn a_spending_budget_without_a_plan_follows_t_times_e() {
    let mut m = cost_budget(&[100.0, 100.0, 100.0, 100.0, 100.0, 110.0]);
    m.plan.clear();
    let (r, _) = one(m, sep30());
    // P(t) = T·e = 1200 × 0.5 = 600; A = 610; π = 600/610 → at_risk
    close(r.now.plan_to_date, 600.0);
    close(r.now.pace, 600.0 / 610.0);
    assert_eq!(r.now.status, Status::AtRisk);
}

#[test]
fn ceilings_after_the_deadline() {
    let within = cost_budget(&[95.0; 12]);
    let (r, _) = one(within, d(2027, 4, 15));
    // 12 × 95 = 1,140 ≤ 1,200 once the year is over: achieved.
    close(r.now.actual, 1140.0);
    assert!(r.now.achieved);
    assert_eq!(r.now.status, Status::Achieved);
    let over = cost_budget(&[105.0; 12]);
    let (r, _) = one(over, d(2027, 4, 15));
    // 1,260 > 1,200: overdue, not achieved.
    assert!(!r.now.achieved);
    assert_eq!(r.now.status, Status::Overdue);
}

#[test]
fn a_floor_before_and_after_the_deadline() {
    let floor = |values: &[(NaiveDate, f64)]| {
        let mut m = kgi(0.30);
        m.direction = Direction::StayAbove;
        m.unit = crate::model::Unit::new("%");
        m.measurements = values
            .iter()
            .enumerate()
            .map(|(i, (date, v))| table_value(*date, *v, i as u32))
            .collect();
        m
    };
    let margins = [
        (d(2026, 6, 30), 0.32),
        (d(2026, 7, 31), 0.31),
        (d(2026, 8, 31), 0.33),
        (d(2026, 9, 30), 0.29),
    ];
    let (r, _) = one(floor(&margins), sep30());
    // A = 0.29 (last); P(t) = T = 0.30; π = A/P = 0.29/0.30 = 0.9667 → at_risk
    close(r.now.plan_to_date, 0.30);
    close(r.now.pace, 0.29 / 0.30);
    assert_eq!(r.now.status, Status::AtRisk);
    close(r.now.shortfall, 0.30 - 0.29);
    assert_eq!(r.now.favourable, Some(false));
    // trend: the least-squares line through the four values (expected.py: S4)
    close(r.now.forecast, 0.26115325446925886);
    // Above the floor before the deadline: on track, but not achieved yet.
    let mut above = margins;
    above[3].1 = 0.31;
    let (r, _) = one(floor(&above), sep30());
    assert_eq!(r.now.status, Status::OnTrack);
    assert!(!r.now.achieved);
    // After the deadline: achieved.
    let (r, _) = one(floor(&above), d(2027, 4, 10));
    assert_eq!(r.now.status, Status::Achieved);
}

#[test]
fn a_ceilings_priority_is_its_projected_overrun() {
    let mut g = kgi(2400.0);
    g.rollup = Rollup::Sum;
    g.direction = Direction::StayBelow;
    let mut over = cost_budget(&[105.0, 100.0, 100.0, 105.0, 100.0, 105.0]);
    over.id = "C1".into();
    over.kind = Kind::Kpi;
    over.parent = Some("G".into());
    let mut under = cost_budget(&[90.0, 95.0, 100.0, 95.0, 100.0, 100.0]);
    under.id = "C2".into();
    under.kind = Kind::Kpi;
    under.parent = Some("G".into());
    let analysis = run(vec![g, over, under], sep30());
    let p = &analysis.priorities;
    assert_eq!(p[0].id, "C1");
    // impact 1/2 × overrun (1,230/1,200 − 1) = 0.5 × 0.025
    assert!((p[0].shortfall_ratio - 0.025).abs() < 1e-9);
    assert!((p[0].score - 0.0125).abs() < 1e-9);
    // Under budget: a projected 580 + 600 × 580/600 = 1,160, no overrun.
    assert_eq!(p[1].id, "C2");
    assert_eq!(p[1].score, 0.0);
    // The parent sums the children's plans: 600 + 600 to date.
    let parent = analysis.metric("G").unwrap();
    assert_eq!(parent.now.plan_source, PlanSource::Children);
    close(parent.now.plan_to_date, 1200.0);
    close(parent.now.plan_total, 2400.0);
    close(parent.now.actual, 1195.0);
}

// ---------------------------------------------------------------- rollups

#[test]
fn a_sum_parents_forecast_is_taken_at_its_own_deadline() {
    let mut g = kgi(100.0);
    g.rollup = Rollup::Sum;
    let mut r1 = Metric::new("R1", "Region 1", Kind::Kpi, 66.0);
    r1.parent = Some("G".into());
    r1.unit = crate::model::Unit::new("JPY");
    r1.measurements = vec![table_value(sep30(), 33.0, 1)];
    let mut r2 = Metric::new("R2", "Region 2", Kind::Kpi, 34.0);
    r2.parent = Some("G".into());
    r2.unit = crate::model::Unit::new("JPY");
    r2.deadline = Some(d(2027, 6, 30));
    r2.measurements = vec![table_value(sep30(), 13.0, 2)];
    let analysis = run(vec![g, r1, r2], sep30());
    // R1: one value, A/e = 33/(182/364) = 66 at 2027-03-31.
    close(analysis.metric("R1").unwrap().now.forecast, 66.0);
    // R2 at its own deadline (2027-06-30, 455 days): 13 × 455/182 = 32.5.
    close(analysis.metric("R2").unwrap().now.forecast, 32.5);
    // The KGI (2027-03-31) takes R2 at 2027-03-31: 13/0.5 = 26; 66 + 26 = 92, not 98.5.
    close(analysis.metric("G").unwrap().now.forecast, 92.0);
}

#[test]
fn a_weighted_parent_expects_its_childrens_phased_progress() {
    let mut g = kgi(1.0);
    g.unit = None;
    let mut a = seasonal();
    a.id = "A".into();
    a.kind = Kind::Kpi;
    a.parent = Some("G".into());
    let mut b = kgi(100.0);
    b.id = "B".into();
    b.kind = Kind::Kpi;
    b.parent = Some("G".into());
    b.measurements = amounts(&[50.0]);
    let analysis = run(vec![g, a, b], sep30());
    let parent = &analysis.metric("G").unwrap().now;
    // ê = (0.25 [A's phased plan] + 0.5 [B's straight line]) / 2 = 0.375
    close(parent.expected_progress, 0.375);
    // p = (0.275 + 0.5) / 2 = 0.3875; π = 0.3875/0.375
    close(parent.progress, 0.3875);
    close(parent.pace, 0.3875 / 0.375);
    assert_eq!(parent.plan_to_date, None);
    assert_eq!(parent.variance, None);
}

// ---------------------------------------------------------------- checks

#[test]
fn w14_names_the_missing_periods_of_a_sum_metric() {
    let mut m = kgi(1200.0);
    m.aggregation = Some(Aggregation::Sum);
    // Values for April, May and July; June, August and September are missing.
    m.measurements = vec![
        table_value(month_end(0), 100.0, 1),
        table_value(month_end(1), 100.0, 2),
        table_value(month_end(3), 100.0, 3),
    ];
    let (_, analysis) = one(m, sep30());
    let w14 = analysis
        .findings
        .iter()
        .find(|f| f.code() == Code::W14)
        .unwrap();
    let message = w14.message(crate::model::Lang::En);
    assert!(
        message.starts_with("no value for 2026-06, 2026-08, 2026-09:"),
        "{message}"
    );
}

#[test]
fn w16_for_amounts_on_a_level_metric_but_not_for_a_level_series() {
    let mut m = kgi(1200.0);
    m.measurements = amounts(&[100.0, 120.0, 90.0, 110.0]);
    let (_, analysis) = one(m.clone(), sep30());
    // 1,200 > 4 × 120 and the series falls (120 → 90): W16.
    let w16 = analysis
        .findings
        .iter()
        .find(|f| f.code() == Code::W16)
        .unwrap();
    assert!(w16
        .message(crate::model::Lang::Ja)
        .contains("集計方法 = 合計"));
    // A level series that only rises: no W16.
    m.measurements = amounts(&[100.0, 110.0, 120.0, 130.0]);
    let (_, analysis) = one(m.clone(), sep30());
    assert!(!codes(&analysis, "G").contains(&Code::W16));
    // A headcount that goes up and down near its target: no W16.
    let mut headcount = kgi(60.0);
    headcount.measurements = amounts(&[50.0, 52.0, 51.0, 53.0]);
    let (_, analysis) = one(headcount, sep30());
    assert!(!codes(&analysis, "G").contains(&Code::W16));
    // Once it is a sum metric, no W16 either.
    m.measurements = amounts(&[100.0, 120.0, 90.0, 110.0]);
    m.aggregation = Some(Aggregation::Sum);
    let (_, analysis) = one(m, sep30());
    assert!(!codes(&analysis, "G").contains(&Code::W16));
}

#[test]
fn i04_a_baseline_on_a_sum_metric_is_ignored() {
    let mut m = kgi(1200.0);
    m.aggregation = Some(Aggregation::Sum);
    m.baseline = Some(100.0);
    m.measurements = amounts(&[300.0]);
    let (r, analysis) = one(m, sep30());
    assert_eq!(r.now.baseline, None);
    // p = 300/1200, not (300 − 100)/(1200 − 100)
    close(r.now.progress, 0.25);
    assert!(codes(&analysis, "G").contains(&Code::I04));
}

#[test]
fn v1_metrics_keep_their_figures() {
    // A level metric with no new column: the latest value, the straight line, p/e.
    let mut m = kgi(1200.0);
    m.baseline = Some(200.0);
    m.measurements = amounts(&[300.0, 400.0, 500.0, 600.0, 650.0, 700.0]);
    let (r, analysis) = one(m, sep30());
    close(r.now.actual, 700.0);
    // p = (700 − 200)/(1200 − 200) = 0.5; π = 0.5/0.5
    close(r.now.progress, 0.5);
    close(r.now.pace, 1.0);
    // P(t) = 200 + 1000 × 0.5 = 700
    close(r.now.plan_to_date, 700.0);
    assert_eq!(r.now.forecast_method, Some(ForecastMethod::Trend));
    assert!(!codes(&analysis, "G")
        .iter()
        .any(|c| matches!(c, Code::W12 | Code::W13 | Code::W14 | Code::W16 | Code::I04)));
}

/// SPEC 3 (v2): a metric without a target is tracked. Monthly amounts 10, 20, … summed:
/// as of 2026-09-30 the actual is 10 + 20 + 30 + 40 + 50 + 60 = 210, the periods keep
/// their values, a forecast is made (it needs no target), and everything that needs a
/// target is null; it is not ranked, and W19 is given once.
#[test]
fn a_metric_without_a_target_is_tracked_not_ranked() {
    let mut g = kgi(1000.0);
    g.rollup = Rollup::Weighted;
    let mut tracked = Metric::new("T", "Tracked", Kind::Kpi, 0.0);
    tracked.target = None;
    tracked.parent = Some("G".to_string());
    tracked.aggregation = Some(Aggregation::Sum);
    tracked.measurements = amounts(&[10.0, 20.0, 30.0, 40.0, 50.0, 60.0]);
    let mut other = Metric::new("K", "Other", Kind::Kpi, 100.0);
    other.parent = Some("G".to_string());
    other.measurements = amounts(&[40.0]);
    let as_of = d(SEP_30.0, SEP_30.1, SEP_30.2);
    let analysis = run(vec![g, tracked, other], as_of);
    let t = analysis.metric("T").unwrap();
    assert_eq!(t.now.status, Status::NoTarget);
    close(t.now.actual, 210.0);
    assert!(t.now.forecast.is_some());
    for figure in [
        t.now.progress,
        t.now.pace,
        t.now.shortfall,
        t.now.forecast_progress,
        t.now.rate_so_far,
        t.now.required_rate,
        t.now.plan_to_date,
    ] {
        assert_eq!(figure, None);
    }
    let sums: Vec<Option<f64>> = t.now.periods.iter().take(6).map(|p| p.actual).collect();
    assert_eq!(sums, [10.0, 20.0, 30.0, 40.0, 50.0, 60.0].map(Some));
    // Not ranked; the KGI's weighted progress is K's alone: 40 / 100.
    assert!(analysis.priorities.iter().all(|p| p.id != "T"));
    close(analysis.metric("G").unwrap().now.progress, 0.4);
    let w19: Vec<_> = analysis
        .findings
        .iter()
        .filter(|f| f.code() == Code::W19)
        .collect();
    assert_eq!(w19.len(), 1);
}

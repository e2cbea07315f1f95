//! The formulas of SPEC section 4 for one metric, as small pure functions over numbers and
//! dates, so each can be checked by hand.

use crate::config::Thresholds;
use crate::model::{Direction, Status};
use chrono::NaiveDate;

use crate::dates::days_between;

/// Progress p: with a baseline B ≠ T, (A − B)/(T − B); without, A/T for an increase,
/// stay_above and stay_below (the share of the ceiling used) and T/A for a decrease (1 when
/// A ≤ 0). `None` when it cannot be computed (T = 0 for A/T).
pub fn progress(
    actual: f64,
    target: f64,
    baseline: Option<f64>,
    direction: Direction,
) -> Option<f64> {
    let p = match baseline {
        Some(b) if b != target => (actual - b) / (target - b),
        _ => match direction {
            Direction::Increase | Direction::StayAbove | Direction::StayBelow => actual / target,
            Direction::Decrease if actual <= 0.0 => 1.0,
            Direction::Decrease => target / actual,
        },
    };
    p.is_finite().then_some(p)
}

/// Achieved: A ≥ T for an increase (and a floor), A ≤ T for a decrease (and a ceiling).
pub fn achieved(actual: f64, target: f64, direction: Direction) -> bool {
    match direction {
        Direction::Increase | Direction::StayAbove => actual >= target,
        Direction::Decrease | Direction::StayBelow => actual <= target,
    }
}

/// Achieved as of a date: a floor or a ceiling is kept only once its period is over (t > D).
pub fn achieved_as_of(
    actual: f64,
    target: f64,
    direction: Direction,
    as_of: NaiveDate,
    deadline: NaiveDate,
) -> bool {
    if direction.is_limit() && as_of <= deadline {
        return false;
    }
    achieved(actual, target, direction)
}

/// Remaining gap in the metric's unit; negative beyond target (or within a ceiling):
/// T − A for an increase and a floor, A − T for a decrease and a ceiling (positive = over).
pub fn shortfall(actual: f64, target: f64, direction: Direction) -> f64 {
    match direction {
        Direction::Increase | Direction::StayAbove => target - actual,
        Direction::Decrease | Direction::StayBelow => actual - target,
    }
}

/// The straight-line plan to date P(t) where there is no phased plan: B₀ + (T − B₀)·e for
/// an increase or a decrease (B₀ = B, or 0 for an increase without baseline; a decrease
/// without baseline has none); T for a floor or a ceiling, except a `sum` ceiling (a
/// spending budget), T·e.
pub fn straight_line_plan(
    target: f64,
    baseline: Option<f64>,
    direction: Direction,
    sum: bool,
    elapsed: f64,
) -> Option<f64> {
    match (direction, baseline) {
        (Direction::Increase, b) => {
            let b0 = b.unwrap_or(0.0);
            Some(b0 + (target - b0) * elapsed)
        }
        (Direction::Decrease, Some(b0)) => Some(b0 + (target - b0) * elapsed),
        (Direction::Decrease, None) => None,
        (Direction::StayBelow, _) if sum => Some(target * elapsed),
        (Direction::StayAbove | Direction::StayBelow, _) => Some(target),
    }
}

/// Pace π against the plan: p / ê for an increase or a decrease (when ê > 0); A / P(t) for a
/// floor; P(t) / A for a ceiling (1 or more = within the plan); none when the divisor is 0.
pub fn pace_against_plan(
    direction: Direction,
    progress: Option<f64>,
    expected_progress: Option<f64>,
    actual: f64,
    plan_to_date: Option<f64>,
) -> Option<f64> {
    let pace = match direction {
        Direction::Increase | Direction::Decrease => match (progress, expected_progress) {
            (Some(p), Some(e)) if e > 0.0 => p / e,
            _ => return None,
        },
        Direction::StayAbove => match plan_to_date {
            Some(plan) if plan != 0.0 => actual / plan,
            _ => return None,
        },
        Direction::StayBelow => match plan_to_date {
            Some(plan) if actual != 0.0 => plan / actual,
            _ => return None,
        },
    };
    pace.is_finite().then_some(pace)
}

/// The status thresholds for a direction: a floor or a ceiling is a hard limit, so
/// `on_track` needs π ≥ 1 and `at_risk` is π ≥ the usual on_track threshold.
pub fn thresholds_for(direction: Direction, thresholds: &Thresholds) -> Thresholds {
    if direction.is_limit() {
        Thresholds {
            on_track: 1.0,
            at_risk: thresholds.on_track.min(1.0),
        }
    } else {
        *thresholds
    }
}

/// True when a variance v = A − P(t) is good news: v ≥ 0 for an increase or a floor,
/// v ≤ 0 for a decrease or a ceiling.
pub fn favourable(variance: f64, direction: Direction) -> bool {
    if direction.higher_is_better() {
        variance >= 0.0
    } else {
        variance <= 0.0
    }
}

/// Elapsed share of the period: clamp((t − S)/(D − S), 0, 1).
pub fn elapsed(as_of: NaiveDate, start: NaiveDate, deadline: NaiveDate) -> f64 {
    let span = days_between(start, deadline);
    if span <= 0 {
        return if as_of >= deadline { 1.0 } else { 0.0 };
    }
    (days_between(start, as_of) as f64 / span as f64).clamp(0.0, 1.0)
}

/// Pace π = p / e, when e > 0.
pub fn pace(progress: Option<f64>, elapsed: f64) -> Option<f64> {
    match progress {
        Some(p) if elapsed > 0.0 => Some(p / elapsed),
        _ => None,
    }
}

/// The least-squares line through (day, value) points, evaluated at `at`.
/// `None` with fewer than two distinct days.
pub fn least_squares_at(points: &[(NaiveDate, f64)], at: NaiveDate) -> Option<f64> {
    let origin = points.first()?.0;
    let xs: Vec<f64> = points
        .iter()
        .map(|(d, _)| days_between(origin, *d) as f64)
        .collect();
    let n = points.len() as f64;
    let mean_x = xs.iter().sum::<f64>() / n;
    let mean_y = points.iter().map(|(_, v)| v).sum::<f64>() / n;
    let sxx: f64 = xs.iter().map(|x| (x - mean_x).powi(2)).sum();
    if sxx <= 0.0 {
        return None;
    }
    let sxy: f64 = xs
        .iter()
        .zip(points)
        .map(|(x, (_, y))| (x - mean_x) * (y - mean_y))
        .sum();
    let slope = sxy / sxx;
    let x_at = days_between(origin, at) as f64;
    let value = mean_y + slope * (x_at - mean_x);
    value.is_finite().then_some(value)
}

/// Forecast F at the deadline: the least-squares line with ≥ 2 distinct measurement dates;
/// else B + (A − B)/e with a baseline; else A/e for an increase; else A. None when e = 0.
pub fn forecast_at_deadline(
    points: &[(NaiveDate, f64)],
    actual: f64,
    baseline: Option<f64>,
    direction: Direction,
    elapsed: f64,
    deadline: NaiveDate,
) -> Option<f64> {
    if elapsed <= 0.0 {
        return None;
    }
    if points.len() >= 2 {
        if let Some(f) = least_squares_at(points, deadline) {
            return Some(f);
        }
    }
    let f = match (baseline, direction) {
        (Some(b), _) => b + (actual - b) / elapsed,
        (None, Direction::Increase) => actual / elapsed,
        (None, _) => actual,
    };
    f.is_finite().then_some(f)
}

/// Rates per frequency interval: (so far, required), when S < t < D.
pub struct Rates {
    pub so_far: Option<f64>,
    pub required: Option<f64>,
}

pub fn rates(
    actual: f64,
    target: f64,
    baseline: Option<f64>,
    direction: Direction,
    interval_days: f64,
    (start, as_of, deadline): (NaiveDate, NaiveDate, NaiveDate),
) -> Rates {
    let none = Rates {
        so_far: None,
        required: None,
    };
    if !(start < as_of && as_of < deadline) {
        return none;
    }
    let gained = match (direction, baseline) {
        (Direction::Increase, b) => actual - b.unwrap_or(0.0),
        (Direction::Decrease, Some(b)) => b - actual,
        // A decrease without baseline has no rates; a floor or a ceiling has none either.
        _ => return none,
    };
    let so_far = gained / days_between(start, as_of) as f64 * interval_days;
    let required =
        shortfall(actual, target, direction) / days_between(as_of, deadline) as f64 * interval_days;
    Rates {
        so_far: so_far.is_finite().then_some(so_far),
        required: required.is_finite().then_some(required),
    }
}

/// The status rules in order: no_data, achieved, not_started, overdue, then by pace.
pub fn status(
    has_data: bool,
    is_achieved: bool,
    (start, as_of, deadline): (NaiveDate, NaiveDate, NaiveDate),
    pace: Option<f64>,
    thresholds: &Thresholds,
) -> Status {
    if !has_data {
        Status::NoData
    } else if is_achieved {
        Status::Achieved
    } else if as_of <= start {
        Status::NotStarted
    } else if as_of > deadline {
        Status::Overdue
    } else {
        match pace {
            Some(p) if p >= thresholds.on_track => Status::OnTrack,
            Some(p) if p >= thresholds.at_risk => Status::AtRisk,
            _ => Status::OffTrack,
        }
    }
}

#[cfg(test)]
mod tests;

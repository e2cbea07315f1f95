//! kpi-report: read KGI/KPI workbooks, compute progress, pace, forecasts and priorities,
//! check the goal set against good KPI practice, and write the report.

pub mod model;

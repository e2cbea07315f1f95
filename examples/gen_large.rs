//! Generates a large valid input for the benchmarks: N KPIs under M KGIs (a middle level of
//! KPIs, leaves that are KPIs or KDIs), K months of Actuals in the wide shape, a realistic
//! mix of directions, baselines and rollups. Deterministic (a fixed xorshift seed).
//!
//! `cargo run --release --example gen_large -- OUT.xlsx [KPIS] [KGIS] [MONTHS] [plan]`
//! (defaults 20000 1000 24). The months end with October 2026; goals run from
//! 2025-04-01 to 2027-03-31, so the benchmark runs `--as-of 2026-10-31`.
//!
//! With `plan` (the 予実 variant), half the leaf metrics are `sum` (an Aggregation column;
//! their Actuals are monthly amounts) and a Plan sheet of the same size as the Actuals
//! sheet phases every leaf's target by month (seasonal for the `sum` ones).

use rust_xlsxwriter::{Workbook, XlsxError};

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn unit(&mut self) -> f64 {
        (self.next() % 1_000_000) as f64 / 1_000_000.0
    }
}

struct Row {
    id: String,
    parent: String,
    kind: &'static str,
    target: f64,
    baseline: Option<f64>,
    unit: &'static str,
    decrease: bool,
    rollup: &'static str,
    leaf: bool,
    /// The 予実 variant: its values are monthly amounts (`sum`).
    sum: bool,
}

fn main() -> Result<(), XlsxError> {
    let args: Vec<String> = std::env::args().collect();
    let out = args.get(1).map(String::as_str).unwrap_or("large.xlsx");
    let kpis: usize = args.get(2).and_then(|a| a.parse().ok()).unwrap_or(20_000);
    let kgis: usize = args
        .get(3)
        .and_then(|a| a.parse().ok())
        .unwrap_or(1_000)
        .max(1);
    let months: usize = args.get(4).and_then(|a| a.parse().ok()).unwrap_or(24);
    let with_plan = args.get(5).is_some_and(|a| a == "plan");
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);

    // KPIs per KGI: a fifth of them in the middle level, the rest leaves below them.
    let per_kgi = kpis / kgis;
    let middle = (per_kgi / 5).max(1);
    let mut rows: Vec<Row> = Vec::with_capacity(kpis);
    for g in 0..kgis {
        let kgi = format!("G{g:05}");
        let mut made = 0;
        let mut mids = Vec::new();
        for m in 0..middle.min(per_kgi) {
            let id = format!("{kgi}-K{m}");
            rows.push(Row {
                id: id.clone(),
                parent: kgi.clone(),
                kind: "KPI",
                target: 1_000_000.0 * (1.0 + rng.unit()).round(),
                baseline: None,
                unit: "JPY",
                decrease: false,
                rollup: if m % 2 == 0 { "sum" } else { "weighted" },
                leaf: false,
                sum: false,
            });
            mids.push(id);
            made += 1;
        }
        let mut leaf = 0;
        while made < per_kgi {
            let parent = &mids[leaf % mids.len()];
            let decrease = rng.unit() < 0.2;
            let has_baseline = rng.unit() < 0.5;
            let target = (100.0 + 900.0 * rng.unit()).round();
            // Every other leaf is a flow in the 予実 variant (a sum metric has no baseline).
            let sum = with_plan && leaf % 2 == 0 && !decrease;
            rows.push(Row {
                id: format!("{parent}-{leaf}"),
                parent: parent.clone(),
                kind: if leaf % 3 == 2 { "KDI" } else { "KPI" },
                target,
                baseline: if decrease {
                    Some(target * 2.0)
                } else if has_baseline && !sum {
                    Some((target * 0.3).round())
                } else {
                    None
                },
                unit: "JPY",
                decrease,
                rollup: "",
                leaf: true,
                sum,
            });
            leaf += 1;
            made += 1;
        }
    }

    let mut workbook = Workbook::new();
    {
        let sheet = workbook.add_worksheet_with_constant_memory()?;
        sheet.set_name("KGI")?;
        let head = [
            "ID",
            "Name",
            "Target",
            "Unit",
            "Direction",
            "Start",
            "Deadline",
            "Owner",
            "Frequency",
            "Rollup",
        ];
        for (c, h) in head.iter().enumerate() {
            sheet.write_string(0, c as u16, *h)?;
        }
        for g in 0..kgis {
            let r = g as u32 + 1;
            sheet.write_string(r, 0, format!("G{g:05}"))?;
            sheet.write_string(r, 1, format!("Goal {g}"))?;
            sheet.write_number(r, 2, 10_000_000.0)?;
            sheet.write_string(r, 3, "JPY")?;
            sheet.write_string(r, 4, "increase")?;
            sheet.write_string(r, 5, "2025-04-01")?;
            sheet.write_string(r, 6, "2027-03-31")?;
            sheet.write_string(r, 7, format!("Owner {}", g % 37))?;
            sheet.write_string(r, 8, "monthly")?;
            sheet.write_string(r, 9, if g % 2 == 0 { "sum" } else { "weighted" })?;
        }
    }
    {
        let sheet = workbook.add_worksheet_with_constant_memory()?;
        sheet.set_name("KPI")?;
        let head = [
            "ID",
            "Parent",
            "Type",
            "Name",
            "Target",
            "Baseline",
            "Unit",
            "Direction",
            "Owner",
            "Frequency",
            "Weight",
            "Rollup",
            "Aggregation",
        ];
        let columns = if with_plan {
            head.len()
        } else {
            head.len() - 1
        };
        for (c, h) in head.iter().take(columns).enumerate() {
            sheet.write_string(0, c as u16, *h)?;
        }
        for (i, row) in rows.iter().enumerate() {
            let r = i as u32 + 1;
            sheet.write_string(r, 0, &row.id)?;
            sheet.write_string(r, 1, &row.parent)?;
            sheet.write_string(r, 2, row.kind)?;
            sheet.write_string(r, 3, format!("Metric {}", row.id))?;
            sheet.write_number(r, 4, row.target)?;
            if let Some(b) = row.baseline {
                sheet.write_number(r, 5, b)?;
            }
            sheet.write_string(r, 6, row.unit)?;
            sheet.write_string(r, 7, if row.decrease { "decrease" } else { "increase" })?;
            sheet.write_string(r, 8, format!("Owner {}", i % 53))?;
            sheet.write_string(r, 9, if i % 4 == 0 { "weekly" } else { "monthly" })?;
            sheet.write_number(r, 10, 1.0 + (i % 3) as f64)?;
            if !row.rollup.is_empty() {
                sheet.write_string(r, 11, row.rollup)?;
            }
            if row.sum {
                sheet.write_string(r, 12, "sum")?;
            }
        }
    }
    {
        let sheet = workbook.add_worksheet_with_constant_memory()?;
        sheet.set_name("Actuals")?;
        sheet.write_string(0, 0, "ID")?;
        sheet.write_string(0, 1, "Name")?;
        // Months ending with 2026-10, oldest first.
        let (mut year, mut month) = (2026i32, 10i32);
        let mut headers = Vec::new();
        for _ in 0..months {
            headers.push(format!("{year}-{month:02}"));
            month -= 1;
            if month == 0 {
                month = 12;
                year -= 1;
            }
        }
        headers.reverse();
        for (c, h) in headers.iter().enumerate() {
            sheet.write_string(0, c as u16 + 2, h)?;
        }
        for (r, row) in (1u32..).zip(rows.iter().filter(|row| row.leaf)) {
            sheet.write_string(r, 0, &row.id)?;
            sheet.write_string(r, 1, format!("Metric {}", row.id))?;
            let start = row.baseline.unwrap_or(0.0);
            let pace = 0.6 + 0.6 * rng.unit();
            for m in 0..months {
                let value = if row.sum {
                    // The amount of the month: a 24th of the target at this metric's pace.
                    row.target / 24.0 * pace * (0.9 + 0.2 * rng.unit())
                } else {
                    let share = (m + 1) as f64 / 24.0 * pace;
                    start + (row.target - start) * share * (0.95 + 0.1 * rng.unit())
                };
                sheet.write_number(r, m as u16 + 2, value.round())?;
            }
        }
    }
    if with_plan {
        // The Plan sheet: the same rows and as many month columns, from the first month of
        // the goals (2025-04) on.
        let sheet = workbook.add_worksheet_with_constant_memory()?;
        sheet.set_name("Plan")?;
        sheet.write_string(0, 0, "ID")?;
        sheet.write_string(0, 1, "Name")?;
        for m in 0..months {
            let (year, month) = (2025 + (3 + m as i32) / 12, (3 + m as i32) % 12 + 1);
            sheet.write_string(0, m as u16 + 2, format!("{year}-{month:02}"))?;
        }
        for (r, row) in (1u32..).zip(rows.iter().filter(|row| row.leaf)) {
            sheet.write_string(r, 0, &row.id)?;
            sheet.write_string(r, 1, format!("Metric {}", row.id))?;
            let start = row.baseline.unwrap_or(0.0);
            for m in 0..months {
                // A seasonal phasing: months weigh 0.5 to 1.5, adding up to the target.
                let season = 1.0 + 0.5 * ((m % 12) as f64 / 11.0 * 2.0 - 1.0);
                let value = if row.sum {
                    row.target / months as f64 * season
                } else {
                    start + (row.target - start) * (m + 1) as f64 / months as f64
                };
                sheet.write_number(r, m as u16 + 2, (value * 100.0).round() / 100.0)?;
            }
        }
    }
    workbook.save(out)?;
    eprintln!(
        "wrote {out}: {} KPIs under {kgis} KGIs, {months} months",
        rows.len()
    );
    Ok(())
}

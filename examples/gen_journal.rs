//! Generates a journal export for the sources benchmark: N lines of CP932 CSV laid out like a
//! Japanese accounting system's 仕訳帳 export (取引日, 伝票番号, 勘定科目コード, 勘定科目名, 部門,
//! 摘要, 金額), CRLF line ends, amounts written as `1,234` in quotes, some `△` negatives, names
//! with 髙 﨑 ㎝ Ⅲ. The account codes are the leaf KPI ids of `gen_large`'s workbook (20 KPIs per
//! KGI: `G00000-K1-5`...), plus one line in twenty for accounts no KPI has (I02).
//! Deterministic (a fixed xorshift seed).
//!
//! `cargo run --release --example gen_journal -- OUT.csv [LINES] [KGIS]` (defaults 1000000
//! 1000). Dates run from 2025-04-01 to 2026-10-31.

use std::io::{BufWriter, Write};

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    let out = args.get(1).map(String::as_str).unwrap_or("journal.csv");
    let lines: u64 = args
        .get(2)
        .and_then(|a| a.parse().ok())
        .unwrap_or(1_000_000);
    let kgis: u64 = args
        .get(3)
        .and_then(|a| a.parse().ok())
        .unwrap_or(1_000)
        .max(1);
    let mut rng = Rng(0x2545_F491_4F6C_DD1D);
    let departments = ["営業1部", "営業2部", "髙﨑支店", "営業Ⅲ課", "本社"];
    let memos = [
        "売上計上",
        "計測器 ㎝ 校正",
        "髙島屋 納品",
        "﨑陽軒 会議費",
        "振替",
    ];
    let mut file = BufWriter::with_capacity(1 << 20, std::fs::File::create(out)?);
    let mut write = |text: &str| -> std::io::Result<()> {
        let (bytes, _, _) = encoding_rs::SHIFT_JIS.encode(text);
        file.write_all(&bytes)
    };
    write("取引日,伝票番号,勘定科目コード,勘定科目名,部門,摘要,金額\r\n")?;
    let mut line = String::new();
    for n in 0..lines {
        let r = rng.next();
        // 2025-04 .. 2026-10: 19 months.
        let month = (r % 19) as u32;
        let (year, month) = (2025 + (3 + month) / 12, (3 + month) % 12 + 1);
        let day = 1 + (r >> 8) % 28;
        let code = if (r >> 16).is_multiple_of(20) {
            format!("9{:03}", (r >> 24) % 500)
        } else {
            let g = (r >> 24) % kgis;
            let leaf = (r >> 40) % 16;
            format!("G{g:05}-K{}-{leaf}", leaf % 4)
        };
        let amount = 100 + (r >> 32) % 100_000;
        let amount = if (r >> 48).is_multiple_of(10) {
            format!("\"△{}\"", thousands(amount))
        } else {
            format!("\"{}\"", thousands(amount))
        };
        line.clear();
        line.push_str(&format!(
            "{year}/{month:02}/{day:02},{n},{code},科目{},{},{},{amount}\r\n",
            (r >> 20) % 100,
            departments[((r >> 12) % 5) as usize],
            memos[((r >> 28) % 5) as usize],
        ));
        write(&line)?;
    }
    file.flush()?;
    Ok(())
}

fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

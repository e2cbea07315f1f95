//! Unit tests of `input::value`.

use super::*;

fn date(year: i32, month: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(year, month, day).expect("valid test date")
}

fn exact(text: &str) -> f64 {
    text.parse::<f64>().expect("valid test number")
}

/// Asserts each (input, expected) pair bit for bit, naming the input on failure.
fn assert_numbers(cases: &[(&str, f64)]) {
    for (input, expected) in cases {
        let parsed = parse_number(input);
        assert_eq!(
            parsed.map(f64::to_bits),
            Some(expected.to_bits()),
            "parse_number({input:?}) = {parsed:?}, expected {expected}"
        );
    }
}

fn assert_not_numbers(inputs: &[&str]) {
    for input in inputs {
        assert_eq!(parse_number(input), None, "parse_number({input:?})");
    }
}

fn assert_dates(cases: &[(&str, NaiveDate)], parse: fn(&str) -> Option<NaiveDate>) {
    for (input, expected) in cases {
        assert_eq!(parse(input), Some(*expected), "input {input:?}");
    }
}

fn assert_not_dates(inputs: &[&str], parse: fn(&str) -> Option<NaiveDate>) {
    for input in inputs {
        assert_eq!(parse(input), None, "input {input:?}");
    }
}

// --- normalize_key -----------------------------------------------------------------------

#[test]
fn normalize_key_folds_width_case_and_spaces() {
    assert_eq!(normalize_key("ＫＰＩ　一覧"), "kpi一覧");
    assert_eq!(normalize_key(" Start Date "), "startdate");
    assert_eq!(normalize_key("KGI_ID"), "kgiid");
    assert_eq!(normalize_key("As\tof\n"), "asof");
    assert_eq!(normalize_key("ｳｪｲﾄ"), "ウェイト");
}

#[test]
fn normalize_key_keeps_other_separators() {
    assert_eq!(normalize_key("Higher-is-Better"), "higher-is-better");
    assert_eq!(normalize_key("a.b/c・d"), "a.b/c・d");
}

// --- numbers -----------------------------------------------------------------------------

#[test]
fn plain_numbers() {
    assert_numbers(&[
        ("1000", 1000.0),
        ("-3.5", -3.5),
        ("+2", 2.0),
        (".5", 0.5),
        ("1e6", 1e6),
        ("1.5E-3", exact("1.5E-3")),
        ("0", 0.0),
        ("007", 7.0),
    ]);
}

#[test]
fn surrounding_white_space_is_ignored() {
    assert_numbers(&[(" 42 ", 42.0), ("\u{3000}42\u{3000}", 42.0), ("\t7\n", 7.0)]);
}

#[test]
fn thousands_separators_group_by_three() {
    assert_numbers(&[
        ("1,000", 1000.0),
        ("12,345,678.9", exact("12345678.9")),
        ("-1,000", -1000.0),
        ("999", 999.0),
    ]);
}

#[test]
fn thousands_separators_must_group_by_three() {
    assert_not_numbers(&[
        "12,3.4", "1,00", "1,0000", ",100", "1,,000", "1,000,", "1234,567",
    ]);
}

#[test]
fn space_is_not_a_thousands_separator() {
    assert_not_numbers(&["1 000", "1\u{3000}000"]);
}

#[test]
fn full_width_digits_signs_and_marks() {
    assert_numbers(&[
        ("１，２３４", 1234.0),
        ("－５", -5.0),
        ("１２．５％", 0.125),
        ("＋３", 3.0),
        ("（１，０００）", -1000.0),
    ]);
}

#[test]
fn currency_marks_before_or_after() {
    assert_numbers(&[
        ("¥1,200", 1200.0),
        ("1,200円", 1200.0),
        ("$ 5.00", 5.0),
        ("€3", 3.0),
        ("3€", 3.0),
        ("£7", 7.0),
        ("￥６，０００", 6000.0),
        ("1,200 円", 1200.0),
        ("\\1,200", 1200.0),
        ("-$5", -5.0),
        ("$-5", -5.0),
    ]);
}

#[test]
fn currency_codes_as_prefix_or_suffix_token() {
    assert_numbers(&[
        ("JPY 1,200", 1200.0),
        ("jpy1200", 1200.0),
        ("5.00 USD", 5.0),
        ("5usd", 5.0),
        ("EUR 3", 3.0),
        ("3 Eur", 3.0),
    ]);
}

#[test]
fn only_one_currency_mark() {
    assert_not_numbers(&["¥1,200円", "$$5", "USD 5 USD", "円", "¥", "JPY"]);
}

#[test]
fn trailing_percent_divides_by_one_hundred() {
    assert_numbers(&[
        ("12.5%", 0.125),
        ("-3%", exact("-0.03")),
        ("0.3%", exact("0.003")),
        ("100%", 1.0),
        ("12.5 %", 0.125),
        ("1e2%", 1.0),
    ]);
    assert_not_numbers(&["%", "12%%", "¥12%", "1万%"]);
}

#[test]
fn negatives_in_accounting_forms() {
    assert_numbers(&[
        ("-1,000", -1000.0),
        ("\u{2212}1,000", -1000.0),
        ("(1,000)", -1000.0),
        ("（1,000）", -1000.0),
        ("△1,000", -1000.0),
        ("▲1,000", -1000.0),
        ("▲ 120", -120.0),
        ("△¥1,200", -1200.0),
        ("(¥1,200)", -1200.0),
        ("(1,200)円", -1200.0),
        ("(1,200円)", -1200.0),
        ("▲120万円", -1_200_000.0),
        ("(12.5%)", -0.125),
    ]);
}

#[test]
fn double_negation_is_refused() {
    assert_not_numbers(&[
        "--1", "(-1)", "△-1", "▲△1", "-(1)", "+-1", "((1))", "(1", "1)",
    ]);
}

#[test]
fn negative_zero_reads_as_zero() {
    let zero = parse_number("(0)").expect("zero");
    assert_eq!(zero.to_bits(), 0.0_f64.to_bits());
    assert_eq!(
        parse_number("-0").map(f64::to_bits),
        Some(0.0_f64.to_bits())
    );
}

#[test]
fn japanese_multipliers() {
    assert_numbers(&[
        ("6,000万円", 60_000_000.0),
        ("1億2,000万", 120_000_000.0),
        ("1億2000万5000", 120_005_000.0),
        ("3千", 3000.0),
        ("1.5万", 15000.0),
        ("2万5千", 25000.0),
        ("△120万円", -1_200_000.0),
        ("1兆", 1e12),
        ("1,200千円", 1_200_000.0),
        ("1万5000.5", 10000.0 + 5000.5),
        ("1億2.5万", 100_025_000.0),
    ]);
}

#[test]
fn multipliers_must_decrease_and_not_repeat() {
    assert_not_numbers(&["1万2億", "1万2万", "億億", "万", "1億万", "1万万"]);
}

#[test]
fn multiplier_segments_must_fit_under_the_previous_one() {
    assert_not_numbers(&["1億20000万", "1万10000", "2万10千", "1千1000"]);
}

#[test]
fn only_the_last_figure_of_a_compound_may_have_a_fraction() {
    assert_not_numbers(&["1.5億2000万", "1.5万5000"]);
}

#[test]
fn multiplier_scaling_is_exact() {
    assert_eq!(parse_number("1.1万"), Some(11000.0));
    assert_eq!(parse_number("0.3%"), Some(exact("0.003")));
    assert_eq!(parse_number("12.5%"), Some(0.125));
    assert_eq!(parse_number("1.23456789億"), Some(123_456_789.0));
    assert_eq!(parse_number("0.7万"), Some(7000.0));
}

#[test]
fn not_numbers() {
    assert_not_numbers(&[
        "", "   ", "\u{3000}", "abc", "1..2", "-", "%", "円", "1-2", "12a", "NaN", "nan", "inf",
        "-inf", "infinity", "1e999", "1.", ".", "e6", "1e", "1e+", "1,000e3", "0x10", "1/2",
        "1_000",
    ]);
}

#[test]
fn non_finite_results_are_refused() {
    assert_not_numbers(&["1e999", "１e９９９９", "-1e400", "1e311%"]);
    // The percent scaling is done before rounding, so this is finite.
    assert_eq!(parse_number("1e309%"), Some(1e307));
    assert_eq!(parse_number("1e-400"), Some(0.0));
}

#[test]
fn separated_numbers_round_trip_exactly() {
    // A small linear congruential generator keeps the test free of dependencies.
    let mut state: u64 = 0x2545_f491_4f6c_dd1d;
    let mut next = move || {
        state = state
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        state >> 11
    };
    for round in 0..4000 {
        let integer = next() % 10_u64.pow(u32::try_from(round % 16).unwrap_or(0) + 1);
        let decimals = next() % 4;
        let fraction = next() % 10_u64.pow(u32::try_from(decimals).unwrap_or(0));
        let plain = if decimals == 0 {
            integer.to_string()
        } else {
            format!(
                "{integer}.{fraction:0width$}",
                width = usize::try_from(decimals).unwrap_or(0)
            )
        };
        let digits = integer.to_string();
        let mut grouped = String::new();
        for (index, c) in digits.chars().enumerate() {
            if index > 0 && (digits.len() - index).is_multiple_of(3) {
                grouped.push(',');
            }
            grouped.push(c);
        }
        let separated = match plain.split_once('.') {
            Some((_, fraction)) => format!("{grouped}.{fraction}"),
            None => grouped,
        };
        let expected = exact(&plain);
        assert_eq!(parse_number(&separated), Some(expected), "{separated}");
        if expected != 0.0 {
            assert_eq!(
                parse_number(&format!("△¥{separated}")),
                Some(-expected),
                "{separated}"
            );
            assert_eq!(parse_number(&format!("({separated})")), Some(-expected));
        }
        let percent = exact(&format!("{plain}e-2"));
        assert_eq!(
            parse_number(&format!("{separated}%")),
            Some(percent),
            "{separated}%"
        );
    }
}

#[test]
fn compound_multipliers_round_trip_exactly() {
    let mut state: u64 = 12345;
    let mut next = move || {
        state = state
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        state >> 33
    };
    for _ in 0..2000 {
        let (oku, man, rest) = (next() % 100_000 + 1, next() % 10_000, next() % 10_000);
        let expected = (oku * 100_000_000 + man * 10_000 + rest) as f64;
        assert_eq!(
            parse_number(&format!("{oku}億{man}万{rest}")),
            Some(expected)
        );
        assert_eq!(
            parse_number(&format!("▲{oku}億{man}万{rest}円")),
            Some(-expected)
        );
    }
}

#[test]
fn nasty_inputs_do_not_panic() {
    let nines = "9".repeat(10_000);
    let tiny = format!("0.{}1", "0".repeat(10_000));
    let long_exponent = format!("1e{}", "9".repeat(100));
    let long_negative_exponent = format!("{}e-{}", "1".repeat(50_000), "9".repeat(40));
    let many_groups = format!("1{}", ",000".repeat(5_000));
    let long_fraction_remainder = format!("1万0.{}", "1".repeat(5_000));
    let mut nasty: Vec<&str> = vec![
        &nines,
        &tiny,
        &long_exponent,
        &long_negative_exponent,
        &many_groups,
        &long_fraction_remainder,
        "\u{200b}",
        "1\u{200b}000",
        "\u{feff}12",
        "e\u{301}",
        "1\u{301}",
        "\u{301}",
        "億億",
        "１e９９９９",
        "(((",
        ")))",
        "△",
        "▲▲",
        "万",
        "99999999999999999999億",
        "R99999999999999.4.1",
        "令和99999999999999年4月1日",
        "令和",
        "元",
        "2026-04-01T99:99",
        "9999-12-31",
        "9999-12",
        "0000-01-01",
        "0000-00",
        "000000",
        "999999",
        "4294967295-01-01",
        "Apr-99999999999",
        "(水)",
        "()",
        "2026/4/1(",
        "2026/4/1)",
        "2026/4/1((水))",
        "\u{10ffff}",
        "ｱ",
        "\u{0}",
        "🎌1",
        " ",
        "",
    ];
    let long_digits_date = format!("{nines}-01-01");
    nasty.push(&long_digits_date);
    for input in nasty {
        let _ = parse_number(input);
        let _ = parse_date(input);
        let _ = parse_period_header(input);
        let _ = parse_direction(input);
        let _ = parse_frequency(input);
        let _ = parse_rollup(input);
        let _ = parse_kind(input);
        let _ = has_japanese(input);
        let _ = normalize_key(input);
    }
    assert_eq!(parse_number(&nines), None);
    assert_eq!(parse_number(&tiny), Some(exact(&tiny)));
    assert_eq!(parse_number("9999-12-31"), None);
    assert_eq!(parse_date("9999-12-31"), Some(date(9999, 12, 31)));
    assert_eq!(parse_period_header("9999-12"), Some(date(9999, 12, 31)));
}

// --- dates -------------------------------------------------------------------------------

#[test]
fn iso_slash_and_dot_dates() {
    let april_first = date(2026, 4, 1);
    assert_dates(
        &[
            ("2026-04-01", april_first),
            ("2026-4-1", april_first),
            ("2026/4/1", april_first),
            ("2026/04/01", april_first),
            ("2026.4.1", april_first),
            (" 2026-04-01 ", april_first),
        ],
        parse_date,
    );
}

#[test]
fn mixed_date_separators_are_refused() {
    assert_not_dates(&["2026-4/1", "2026/4.1", "2026 / 4 / 1"], parse_date);
}

#[test]
fn time_of_day_is_ignored() {
    let april_first = date(2026, 4, 1);
    assert_dates(
        &[
            ("2026-04-01 00:00:00", april_first),
            ("2026-04-01T09:30", april_first),
            ("2026/4/1 0:00", april_first),
            ("2026-04-01 23:59:59.999", april_first),
            ("2026年4月1日 9:00", april_first),
        ],
        parse_date,
    );
    assert_not_dates(
        &["2026-04-01 24:00", "2026-04-01T9:3", "2026-04-01 noon"],
        parse_date,
    );
}

#[test]
fn full_width_dates() {
    assert_eq!(parse_date("２０２６／４／１"), Some(date(2026, 4, 1)));
    assert_eq!(parse_date("２０２６年４月１日"), Some(date(2026, 4, 1)));
}

#[test]
fn japanese_kanji_dates() {
    let april_first = date(2026, 4, 1);
    assert_dates(
        &[
            ("2026年4月1日", april_first),
            ("2026年04月01日", april_first),
            ("2026 年 4 月 1 日", april_first),
            ("2026　年　4　月　1　日", april_first),
        ],
        parse_date,
    );
    assert_not_dates(
        &["20 26年4月1日", "2026年4月", "2026年4月1", "4月1日"],
        parse_date,
    );
}

#[test]
fn weekday_in_parentheses_is_allowed_when_it_matches() {
    let april_first = date(2026, 4, 1);
    assert_dates(
        &[
            ("2026/4/1(水)", april_first),
            ("2026年4月1日（水）", april_first),
            ("2026-04-01 (水曜日)", april_first),
            ("2026/4/1(Wed)", april_first),
            ("2026/4/1(水) 9:00", april_first),
            ("令和8年4月1日(水)", april_first),
        ],
        parse_date,
    );
}

#[test]
fn wrong_weekday_is_refused() {
    assert_not_dates(
        &[
            "2026/4/1(木)",
            "2026/4/1(Thu)",
            "2026/4/1(abc)",
            "2026/4/1()",
        ],
        parse_date,
    );
}

#[test]
fn reiwa_long_form() {
    assert_eq!(parse_date("令和8年4月1日"), Some(date(2026, 4, 1)));
    assert_eq!(parse_date("令和 8 年 4 月 1 日"), Some(date(2026, 4, 1)));
    assert_eq!(parse_date("令和1年5月1日"), Some(date(2019, 5, 1)));
    assert_eq!(parse_date("㋿8年4月1日"), Some(date(2026, 4, 1)));
}

#[test]
fn first_year_of_an_era_is_gannen() {
    assert_eq!(parse_date("令和元年5月1日"), Some(date(2019, 5, 1)));
    assert_eq!(parse_date("平成元年1月8日"), Some(date(1989, 1, 8)));
}

#[test]
fn reiwa_short_form() {
    let april_first = date(2026, 4, 1);
    assert_dates(
        &[
            ("R8.4.1", april_first),
            ("R8/4/1", april_first),
            ("R08.04.01", april_first),
            ("r8.4.1", april_first),
            ("Ｒ８．４．１", april_first),
            ("R8-4-1", april_first),
        ],
        parse_date,
    );
}

#[test]
fn older_eras() {
    assert_dates(
        &[
            ("H31.4.30", date(2019, 4, 30)),
            ("平成31年4月30日", date(2019, 4, 30)),
            ("S64.1.7", date(1989, 1, 7)),
            ("昭和1年12月25日", date(1926, 12, 25)),
            ("T1.8.1", date(1912, 8, 1)),
            ("大正15年1月1日", date(1926, 1, 1)),
            ("M45.7.29", date(1912, 7, 29)),
            ("明治1年10月23日", date(1868, 10, 23)),
        ],
        parse_date,
    );
}

#[test]
fn era_year_must_be_at_least_one() {
    assert_not_dates(
        &["R0.4.1", "令和0年4月1日", "X8.4.1", "R123.4.1"],
        parse_date,
    );
}

#[test]
fn invalid_calendar_dates_are_refused() {
    assert_not_dates(
        &[
            "2026-02-30",
            "2026-13-01",
            "2026-00-10",
            "2026-04-00",
            "2025-02-29",
        ],
        parse_date,
    );
    assert_eq!(parse_date("2024-02-29"), Some(date(2024, 2, 29)));
}

#[test]
fn two_digit_years_and_day_month_orders_are_refused() {
    assert_not_dates(
        &["26/4/1", "4/1/2026", "1/4/2026", "01.04.2026", "26-04-01"],
        parse_date,
    );
}

#[test]
fn text_and_bare_numbers_are_not_dates() {
    assert_not_dates(
        &[
            "",
            "  ",
            "today",
            "46113",
            "20260401",
            "2026",
            "April 1, 2026",
            "1-Apr-2026",
            "2026-04",
        ],
        parse_date,
    );
}

// --- Excel serials -----------------------------------------------------------------------

#[test]
fn excel_serials_follow_the_1900_system() {
    assert_eq!(excel_serial_to_date(1.0), Some(date(1900, 1, 1)));
    assert_eq!(excel_serial_to_date(59.0), Some(date(1900, 2, 28)));
    assert_eq!(excel_serial_to_date(61.0), Some(date(1900, 3, 1)));
    assert_eq!(excel_serial_to_date(45292.0), Some(date(2024, 1, 1)));
    assert_eq!(excel_serial_to_date(46113.0), Some(date(2026, 4, 1)));
    assert_eq!(excel_serial_to_date(2_958_465.0), Some(date(9999, 12, 31)));
}

#[test]
fn excel_fictitious_leap_day_is_none() {
    assert_eq!(excel_serial_to_date(60.0), None);
    assert_eq!(excel_serial_to_date(60.5), None);
}

#[test]
fn excel_serial_time_fraction_is_dropped() {
    assert_eq!(excel_serial_to_date(46113.75), Some(date(2026, 4, 1)));
    assert_eq!(excel_serial_to_date(46_113.999_999), Some(date(2026, 4, 1)));
}

#[test]
fn excel_serials_out_of_range_are_none() {
    for serial in [
        0.0,
        0.5,
        -1.0,
        -0.0,
        2_958_466.0,
        1e300,
        f64::NAN,
        f64::INFINITY,
        f64::NEG_INFINITY,
        f64::MIN,
    ] {
        assert_eq!(excel_serial_to_date(serial), None, "{serial}");
    }
}

// --- period headers ----------------------------------------------------------------------

#[test]
fn month_headers_mean_the_last_day() {
    let end_of_april = date(2026, 4, 30);
    assert_dates(
        &[
            ("2026-04", end_of_april),
            ("2026/4", end_of_april),
            ("2026/04", end_of_april),
            ("2026.4", end_of_april),
            ("2026年4月", end_of_april),
            ("2026年4月分", end_of_april),
            ("2026年4月度", end_of_april),
            ("2026年 4月", end_of_april),
            ("202604", end_of_april),
            ("令和8年4月", end_of_april),
            ("R8.4", end_of_april),
            ("Ｒ８．４", end_of_april),
            ("２０２６年４月", end_of_april),
        ],
        parse_period_header,
    );
    assert_eq!(parse_period_header("2026-02"), Some(date(2026, 2, 28)));
    assert_eq!(parse_period_header("2024/2"), Some(date(2024, 2, 29)));
    assert_eq!(parse_period_header("2026-12"), Some(date(2026, 12, 31)));
}

#[test]
fn english_month_headers() {
    let end_of_april = date(2026, 4, 30);
    assert_dates(
        &[
            ("Apr-26", end_of_april),
            ("Apr 26", end_of_april),
            ("Apr-2026", end_of_april),
            ("Apr 2026", end_of_april),
            ("April 2026", end_of_april),
            ("april-2026", end_of_april),
            ("2026-Apr", end_of_april),
            ("APR-26", end_of_april),
            ("Apr. 2026", end_of_april),
            ("Apr '26", end_of_april),
        ],
        parse_period_header,
    );
    assert_eq!(parse_period_header("Sept 2026"), Some(date(2026, 9, 30)));
    assert_eq!(parse_period_header("Dec-25"), Some(date(2025, 12, 31)));
}

#[test]
fn date_headers_mean_that_date() {
    assert_dates(
        &[
            ("2026-04-15", date(2026, 4, 15)),
            ("2026/4/1", date(2026, 4, 1)),
            ("2026年4月10日", date(2026, 4, 10)),
            ("R8.4.1", date(2026, 4, 1)),
            ("2026-04-30 00:00:00", date(2026, 4, 30)),
        ],
        parse_period_header,
    );
}

#[test]
fn non_period_headers_are_none() {
    assert_not_dates(
        &[
            "ID",
            "Name",
            "Unit",
            "単位",
            "合計",
            "Total",
            "4月",
            "2026",
            "2026-13",
            "",
            "202613",
            "202600",
            "26-Apr",
            "Apr",
            "Apr-2",
            "2026年度",
            "Apr-026",
            "12345",
            "1234567",
        ],
        parse_period_header,
    );
}

// --- enumerations ------------------------------------------------------------------------

#[test]
fn direction_words() {
    for word in [
        "increase",
        "Up",
        "HIGHER",
        "higher is better",
        "higher-is-better",
        "↑",
        "増加",
        "高いほど良い",
        "高い方が良い",
        "上昇",
        "増",
        " Increase ",
        "ＵＰ",
    ] {
        assert_eq!(parse_direction(word), Some(Direction::Increase), "{word}");
    }
    for word in [
        "decrease",
        "down",
        "Lower",
        "lower is better",
        "↓",
        "減少",
        "低いほど良い",
        "低い方が良い",
        "削減",
        "減",
    ] {
        assert_eq!(parse_direction(word), Some(Direction::Decrease), "{word}");
    }
    for word in ["", "sideways", "↔", "higher is worse"] {
        assert_eq!(parse_direction(word), None, "{word}");
    }
}

#[test]
fn frequency_words() {
    let cases: &[(Frequency, &[&str])] = &[
        (Frequency::Daily, &["daily", "Day", "日次", "毎日", "日"]),
        (Frequency::Weekly, &["weekly", "week", "週次", "毎週", "週"]),
        (
            Frequency::Monthly,
            &["Monthly", "month", "月次", "毎月", "月"],
        ),
        (
            Frequency::Quarterly,
            &["quarterly", "Quarter", "四半期", "四半期毎", "四半期ごと"],
        ),
        (
            Frequency::Yearly,
            &["yearly", "annual", "Annually", "year", "年次", "毎年", "年"],
        ),
    ];
    for (expected, words) in cases {
        for word in *words {
            assert_eq!(parse_frequency(word), Some(*expected), "{word}");
        }
    }
    assert_eq!(parse_frequency("hourly"), None);
    assert_eq!(parse_frequency(""), None);
}

#[test]
fn rollup_words() {
    for word in [
        "weighted",
        "Weight",
        "weighted average",
        "Weighted_Average",
        "加重",
        "加重平均",
        "重み付け",
        "ウェイト",
        "ｳｪｲﾄ",
    ] {
        assert_eq!(parse_rollup(word), Some(Rollup::Weighted), "{word}");
    }
    for word in ["sum", "SUM", "total", "合計", "合算", "積み上げ", "積上げ"] {
        assert_eq!(parse_rollup(word), Some(Rollup::Sum), "{word}");
    }
    assert_eq!(parse_rollup("average"), None);
}

#[test]
fn kind_words() {
    for word in ["KPI", "kpi", "ＫＰＩ", "指標", "中間指標"] {
        assert_eq!(parse_kind(word), Some(Kind::Kpi), "{word}");
    }
    for word in ["KDI", "action", "Action", "行動", "行動指標", "アクション"] {
        assert_eq!(parse_kind(word), Some(Kind::Kdi), "{word}");
    }
    for word in ["KGI", "目標", "最終目標"] {
        assert_eq!(parse_kind(word), Some(Kind::Kgi), "{word}");
    }
    assert_eq!(parse_kind("OKR"), None);
    assert_eq!(parse_kind(""), None);
}

// --- language ----------------------------------------------------------------------------

#[test]
fn japanese_script_is_detected() {
    for text in [
        "名称",
        "ひらがな",
        "カタカナ",
        "ｶﾀｶﾅ",
        "KPI一覧",
        "々",
        "ー",
    ] {
        assert!(has_japanese(text), "{text}");
    }
}

#[test]
fn latin_and_punctuation_are_not_japanese() {
    for text in [
        "",
        "Name",
        "ＫＰＩ",
        "１２３",
        "、。「」",
        "・",
        "（）",
        "€ ¥",
    ] {
        assert!(!has_japanese(text), "{text}");
    }
}

/// The text forms accounting exports write (SPEC 3), as they arrive in CSV cells.
#[test]
fn export_numbers_in_every_text_form() {
    assert_numbers(&[
        ("1,234", 1234.0),
        ("1,234,000", 1_234_000.0),
        ("△1,000", -1000.0),
        ("▲1,000", -1000.0),
        ("(1,000)", -1000.0),
        ("（１，０００）", -1000.0),
        ("１２３４", 1234.0),
        ("－１，２３４", -1234.0),
        ("¥1,234", 1234.0),
        ("1,234円", 1234.0),
        ("-0", 0.0),
        (" 1234 ", 1234.0),
    ]);
    assert_not_numbers(&["1,2345", "12-34", "=\"0012\"", "4110/営業1部"]);
}

#[test]
fn export_periods_in_every_text_form() {
    let end_of_april = date(2026, 4, 30);
    assert_dates(
        &[
            ("2026/04", end_of_april),
            ("2026年4月", end_of_april),
            ("R8.4", end_of_april),
            ("202604", end_of_april),
            ("２０２６０４", end_of_april),
        ],
        parse_period_header,
    );
    // yyyymm only for 190001–209912 with a month 01–12.
    assert_eq!(parse_period_header("190001"), Some(date(1900, 1, 31)));
    assert_eq!(parse_period_header("209912"), Some(date(2099, 12, 31)));
    for text in ["210001", "189912", "202613", "202600", "999999"] {
        assert_eq!(parse_period_header(text), None, "{text}");
    }
    assert_eq!(yyyymm(202602), Some(date(2026, 2, 28)));
    assert_eq!(yyyymm(210001), None);
}

#[test]
fn yayoi_era_dates_with_a_dot_after_the_initial() {
    // 弥生会計's import format writes dates as `R.01/07/01` (era initial, dot, yy/mm/dd).
    assert_eq!(parse_date("R.01/07/01"), Some(date(2019, 7, 1)));
    assert_eq!(parse_date("R.08/04/30"), Some(date(2026, 4, 30)));
    assert_eq!(parse_date("H.31/04/30"), Some(date(2019, 4, 30)));
    assert_eq!(parse_date("r.8/4/1"), Some(date(2026, 4, 1)));
    assert_eq!(parse_period_header("R.08/04/30"), Some(date(2026, 4, 30)));
    assert_eq!(parse_date("R.00/04/01"), None);
    assert_eq!(parse_date("X.01/07/01"), None);
}

#[test]
fn month_names_without_a_year() {
    for (text, month) in [
        ("4月", 4),
        ("１２月", 12),
        ("4月度", 4),
        ("10月分", 10),
        (" Apr ", 4),
        ("April", 4),
        ("january", 1),
        ("Sept.", 9),
        ("DEC", 12),
    ] {
        assert_eq!(parse_month_name(text), Some(month), "{text}");
    }
    // With a year, not a month at all, or out of range: not a yearless month.
    for text in [
        "2026年4月",
        "Apr-26",
        "13月",
        "0月",
        "4",
        "Q1",
        "Monday",
        "月",
        "4月期",
    ] {
        assert_eq!(parse_month_name(text), None, "{text}");
    }
}

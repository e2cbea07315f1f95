//! Every cell format of the report workbook, defined once and named for what it means, and
//! the choice of number format by a metric's unit. Sheets only pick from these, so no format
//! is built per cell and the whole workbook shares one palette.

use rust_xlsxwriter::{Color, Format, FormatAlign, FormatBorder};

use crate::findings::Severity;
use crate::model::{Direction, Frequency, Lang, Status};
use crate::model::{Unit, UnitKind};
use crate::report::palette;

/// Font of a Japanese report: Excel's default Japanese UI font, which has Japanese glyphs.
pub const FONT_JA: &str = "游ゴシック";
/// Font of an English report: rust_xlsxwriter's (and Excel 2007–2019's) default.
pub const FONT_EN: &str = "Calibri";
/// Windows Excel's default row height and column width, in pixels, for 游ゴシック 11.
pub const JA_DEFAULT_ROW_PX: u32 = 25;
pub const JA_DEFAULT_COLUMN_PX: u32 = 72;

const NAVY: u32 = 0x1F3864;
const GRID: u32 = 0xD9D9D9;
const MUTED: u32 = 0x595959;
/// Indentation levels used for names in the tree; deeper levels share the last one.
pub const MAX_INDENT: usize = 8;

/// How a metric's values are shown, decided by its unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ValueKind {
    /// Currency (円, 万円, JPY, USD, $, €…): thousands separators, no decimals.
    Money,
    /// A `%` unit: the values are fractions (12.5% is 0.125), shown as percentages.
    Percent,
    /// Whole numbers (counts of deals, customers, calls): thousands separators.
    Count,
    /// Anything else: up to two decimals.
    Decimal,
}

impl ValueKind {
    /// The kind for a metric's unit; `whole` says whether its target, baseline and actual
    /// are whole numbers (a count) when the unit is not a currency or `%`.
    pub fn of(unit: Option<&Unit>, whole: bool) -> ValueKind {
        match unit.map(Unit::kind) {
            Some(UnitKind::Percent) => ValueKind::Percent,
            Some(UnitKind::Currency) => ValueKind::Money,
            _ if whole => ValueKind::Count,
            _ => ValueKind::Decimal,
        }
    }

    fn index(self) -> usize {
        match self {
            ValueKind::Money => 0,
            ValueKind::Percent => 1,
            ValueKind::Count => 2,
            ValueKind::Decimal => 3,
        }
    }

    /// Excel number format; Japanese reports show negatives with △, as Japanese
    /// financial statements do.
    fn num_format(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (ValueKind::Money | ValueKind::Count, Lang::En) => "#,##0",
            (ValueKind::Money | ValueKind::Count, Lang::Ja) => "#,##0;\"△\"#,##0",
            (ValueKind::Percent, Lang::En) => "0.0%",
            (ValueKind::Percent, Lang::Ja) => "0.0%;\"△\"0.0%",
            (ValueKind::Decimal, Lang::En) => "#,##0.00",
            (ValueKind::Decimal, Lang::Ja) => "#,##0.00;\"△\"#,##0.00",
        }
    }
}

const KINDS: [ValueKind; 4] = [
    ValueKind::Money,
    ValueKind::Percent,
    ValueKind::Count,
    ValueKind::Decimal,
];
const FREQUENCIES: [Frequency; 5] = [
    Frequency::Daily,
    Frequency::Weekly,
    Frequency::Monthly,
    Frequency::Quarterly,
    Frequency::Yearly,
];

fn frequency_index(frequency: Frequency) -> usize {
    match frequency {
        Frequency::Daily => 0,
        Frequency::Weekly => 1,
        Frequency::Monthly => 2,
        Frequency::Quarterly => 3,
        Frequency::Yearly => 4,
    }
}

/// The per-interval suffix of a rate ("/mo", "/月").
pub fn rate_suffix(frequency: Frequency, lang: Lang) -> &'static str {
    match frequency {
        Frequency::Daily => lang.pick("/day", "/日"),
        Frequency::Weekly => lang.pick("/wk", "/週"),
        Frequency::Monthly => lang.pick("/mo", "/月"),
        Frequency::Quarterly => lang.pick("/qtr", "/四半期"),
        Frequency::Yearly => lang.pick("/yr", "/年"),
    }
}

/// A variance's number format: the sign (+, and − or △ in Japanese) and the word it means
/// for the direction: favourable (F, 有利) or unfavourable (U, 不利); 0 bare. Being a number
/// format, the word follows the value when a plan is edited.
/// A `%` metric's variance is a difference of two percentages: it is held in points (see
/// [`variance_cell`]) and shown as `+1.0 pt` / `+1.0ポイント`.
fn variance_format(kind: ValueKind, higher_is_better: bool, lang: Lang) -> String {
    let (digits, points) = match kind {
        ValueKind::Money | ValueKind::Count => ("#,##0", ""),
        ValueKind::Percent => ("0.0", lang.pick(" pt", "ポイント")),
        ValueKind::Decimal => ("#,##0.00", ""),
    };
    let (good, bad) = (lang.pick(" F", " 有利"), lang.pick(" U", " 不利"));
    let (above, below) = if higher_is_better {
        (good, bad)
    } else {
        (bad, good)
    };
    let minus = lang.pick("-", "△");
    let zero = if points.is_empty() {
        digits.to_string()
    } else {
        format!("{digits}\"{points}\"")
    };
    format!("+{digits}\"{points}{above}\";\"{minus}\"{digits}\"{points}{below}\";{zero}")
}

const DIRECTIONS: [Direction; 4] = [
    Direction::Increase,
    Direction::Decrease,
    Direction::StayAbove,
    Direction::StayBelow,
];

/// A shortfall's number format (the KPIs sheet's "Shortfall" column): for a target the
/// value's own format; for a ceiling (A − T) "left" under it or "over" it, for a floor
/// (T − A) "above" it or "short" of it, so a cost line's negative shortfall reads as the
/// budget still left. A `%` metric's shortfall is in points (see [`variance_cell`]).
fn shortfall_format(kind: ValueKind, direction: Direction, lang: Lang) -> String {
    let (digits, points) = match kind {
        ValueKind::Money | ValueKind::Count => ("#,##0", ""),
        ValueKind::Percent => ("0.0", lang.pick(" pt", "ポイント")),
        ValueKind::Decimal => ("#,##0.00", ""),
    };
    // (positive, negative) words: the shortfall is positive when over a ceiling or under
    // a floor.
    let words = match direction {
        Direction::StayBelow => Some((lang.pick(" over", "超過"), lang.pick(" left", "残り"))),
        Direction::StayAbove => Some((lang.pick(" short", "不足"), lang.pick(" above", "余裕"))),
        Direction::Increase | Direction::Decrease => None,
    };
    match (words, lang) {
        (None, _) if points.is_empty() => kind.num_format(lang).to_string(),
        (None, Lang::En) => format!("{digits}\"{points}\";-{digits}\"{points}\""),
        (None, Lang::Ja) => format!("{digits}\"{points}\";\"△\"{digits}\"{points}\""),
        (Some((over, left)), Lang::En) => format!(
            "{digits}\"{points}{over}\";{digits}\"{points}{left}\";{digits}\"{points}{left}\""
        ),
        (Some((over, left)), Lang::Ja) => format!(
            "\"{over} \"{digits}\"{points}\";\"{left} \"{digits}\"{points}\";\"{left} \"{digits}\"{points}\""
        ),
    }
}

/// The width a variance's number format adds to its digits (the sign, `pt`, the word).
pub fn variance_suffix_width(kind: ValueKind, lang: Lang) -> usize {
    match (kind, lang) {
        (ValueKind::Percent, Lang::En) => 8,
        (ValueKind::Percent, Lang::Ja) => 16,
        (_, Lang::En) => 4,
        (_, Lang::Ja) => 6,
    }
}

/// A variance cell's formula over `difference` (`I2-O2`) and its saved value: a `%`
/// metric's in points (the difference × 100, which its number format shows as `pt`),
/// the others as they are.
pub fn variance_cell(kind: ValueKind, difference: &str, value: f64) -> (String, f64) {
    match kind {
        ValueKind::Percent => (format!("=({difference})*100"), value * 100.0),
        _ => (format!("={difference}"), value),
    }
}

/// A finding's row highlight, in its severity's colours.
fn severity_highlight(severity: Severity) -> Format {
    let colours = palette::severity_colours(severity);
    Format::new()
        .set_background_color(Color::RGB(palette::rgb(colours.fill)))
        .set_font_color(Color::RGB(palette::rgb(colours.ink)))
}

/// A conditional format in a status's fill and ink.
fn status_highlight_format(status: Status) -> Format {
    let (fill, ink) = status_colours(status);
    Format::new()
        .set_background_color(Color::RGB(fill))
        .set_font_color(Color::RGB(ink))
}

/// Fill and font colour of a status cell, from the report's one palette.
fn status_colours(status: Status) -> (u32, u32) {
    let colours = palette::status_colours(status);
    (palette::rgb(colours.fill), palette::rgb(colours.ink))
}

pub const STATUSES: [Status; 8] = [
    Status::NoData,
    Status::Achieved,
    Status::NotStarted,
    Status::Overdue,
    Status::OnTrack,
    Status::AtRisk,
    Status::OffTrack,
    Status::NoTarget,
];

fn status_index(status: Status) -> usize {
    STATUSES.iter().position(|s| *s == status).unwrap_or(0)
}

/// The formats of one workbook.
pub struct Formats {
    /// The workbook's default cell format (font only); Japanese reports set it as default.
    pub base: Format,
    pub font_name: &'static str,
    pub title: Format,
    pub subtitle: Format,
    pub section: Format,
    pub label: Format,
    pub info_text: Format,
    pub info_date: Format,
    pub info_count: Format,
    pub header: Format,
    pub header_month: Format,
    pub text: Format,
    pub text_center: Format,
    pub text_muted: Format,
    pub text_wrap: Format,
    pub name_kgi: Format,
    name_levels: Vec<Format>,
    pub date: Format,
    pub days: Format,
    pub percent: Format,
    pub percent_change: Format,
    pub score: Format,
    pub weight: Format,
    pub rank: Format,
    value: Vec<Format>,
    /// (v2) Variances, by kind and by whether higher is better: signed, with the word
    /// favourable/unfavourable (F/U, 有利/不利) the sign means for the direction.
    variance: Vec<Format>,
    /// (v2) Shortfalls, by kind and by direction (see [`shortfall_format`]).
    shortfall: Vec<Format>,
    rate: Vec<Format>,
    status: Vec<Format>,
    /// Conditional formats (font colour and fill only), by status.
    status_highlight: Vec<Format>,
    pub highlight_kgi_row: Format,
    /// (v2) Conditional formats of a favourable and an unfavourable variance.
    pub highlight_good: Format,
    pub highlight_bad: Format,
    /// (v2) The first row of each metric on the Monthly sheet (a rule above it).
    pub block_top: Format,
    pub highlight_error: Format,
    pub highlight_warning: Format,
    pub highlight_info: Format,
}

impl Formats {
    pub fn new(lang: Lang) -> Formats {
        let font_name = lang.pick(FONT_EN, FONT_JA);
        let mut base = Format::new().set_font_name(font_name).set_font_size(11);
        if lang == Lang::Ja {
            base = base.set_font_charset(128);
        }
        let cell = base
            .clone()
            .set_align(FormatAlign::VerticalCenter)
            .set_border_bottom(FormatBorder::Thin)
            .set_border_bottom_color(Color::RGB(GRID));
        let number = |num_format: &str| cell.clone().set_num_format(num_format);
        let date_format = lang.pick("yyyy-mm-dd", "yyyy/mm/dd");
        // A change of progress is a difference of percentages: in points (× 100).
        let signed_points = lang.pick(
            "+0.0\" pt\";-0.0\" pt\";0.0\" pt\"",
            "+0.0\"ポイント\";\"△\"0.0\"ポイント\";0.0\"ポイント\"",
        );

        let value = KINDS.iter().map(|k| number(k.num_format(lang))).collect();
        let variance = KINDS
            .iter()
            .flat_map(|k| {
                [true, false]
                    .map(|higher_is_better| number(&variance_format(*k, higher_is_better, lang)))
            })
            .collect();
        let shortfall = KINDS
            .iter()
            .flat_map(|k| {
                DIRECTIONS.map(|direction| number(&shortfall_format(*k, direction, lang)))
            })
            .collect();
        let rate = KINDS
            .iter()
            .flat_map(|k| {
                FREQUENCIES.iter().map(move |f| {
                    let suffix = rate_suffix(*f, lang);
                    // Each section of the number format gets the suffix.
                    k.num_format(lang)
                        .split(';')
                        .map(|section| format!("{section}\"{suffix}\""))
                        .collect::<Vec<_>>()
                        .join(";")
                })
            })
            .map(|f| number(&f))
            .collect();
        let status = STATUSES
            .iter()
            .map(|s| {
                let (fill, font) = status_colours(*s);
                cell.clone()
                    .set_align(FormatAlign::Center)
                    .set_background_color(Color::RGB(fill))
                    .set_font_color(Color::RGB(font))
                    .set_bold()
            })
            .collect();
        let status_highlight = STATUSES
            .iter()
            .map(|s| {
                let (fill, font) = status_colours(*s);
                Format::new()
                    .set_background_color(Color::RGB(fill))
                    .set_font_color(Color::RGB(font))
            })
            .collect();
        let name_levels = (0..=MAX_INDENT)
            .map(|level| cell.clone().set_indent(level as u8))
            .collect();

        Formats {
            font_name,
            title: base
                .clone()
                .set_bold()
                .set_font_size(18)
                .set_font_color(Color::RGB(NAVY)),
            subtitle: base.clone().set_font_color(Color::RGB(MUTED)),
            section: base
                .clone()
                .set_bold()
                .set_font_size(13)
                .set_font_color(Color::RGB(NAVY)),
            label: base.clone().set_bold().set_font_color(Color::RGB(MUTED)),
            info_text: base.clone().set_align(FormatAlign::Left),
            info_date: base
                .clone()
                .set_num_format(date_format)
                .set_align(FormatAlign::Left),
            info_count: base
                .clone()
                .set_num_format("#,##0")
                .set_align(FormatAlign::Center)
                .set_bold(),
            header: base
                .clone()
                .set_bold()
                .set_font_color(Color::White)
                .set_background_color(Color::RGB(NAVY))
                .set_text_wrap()
                .set_align(FormatAlign::Center)
                .set_align(FormatAlign::VerticalCenter)
                .set_border(FormatBorder::Thin)
                .set_border_color(Color::RGB(0x8EA9DB)),
            header_month: base
                .clone()
                .set_bold()
                .set_font_color(Color::White)
                .set_background_color(Color::RGB(NAVY))
                .set_num_format(lang.pick("mmm yyyy", "yyyy年m月"))
                .set_align(FormatAlign::Center)
                .set_align(FormatAlign::VerticalCenter)
                .set_border(FormatBorder::Thin)
                .set_border_color(Color::RGB(0x8EA9DB)),
            text: cell.clone(),
            text_center: cell.clone().set_align(FormatAlign::Center),
            text_muted: cell.clone().set_font_color(Color::RGB(MUTED)),
            text_wrap: cell.clone().set_text_wrap(),
            name_kgi: cell.clone().set_bold(),
            name_levels,
            date: number(date_format).set_align(FormatAlign::Center),
            days: number(lang.pick("#,##0", "#,##0;\"△\"#,##0")),
            percent: number(lang.pick("0.0%", "0.0%;\"△\"0.0%")),
            percent_change: number(signed_points),
            score: number("0.000"),
            weight: number("General"),
            rank: cell
                .clone()
                .set_num_format("0")
                .set_align(FormatAlign::Center),
            value,
            variance,
            shortfall,
            rate,
            status,
            status_highlight,
            highlight_kgi_row: Format::new()
                .set_bold()
                .set_background_color(Color::RGB(0xDDEBF7)),
            // A favourable variance in the on-track colours, an unfavourable one in the
            // off-track colours of the report's palette.
            highlight_good: status_highlight_format(Status::OnTrack),
            highlight_bad: status_highlight_format(Status::OffTrack),
            block_top: cell
                .clone()
                .set_border_top(FormatBorder::Thin)
                .set_border_top_color(Color::RGB(0x8EA9DB)),
            highlight_error: severity_highlight(Severity::Error),
            highlight_warning: severity_highlight(Severity::Warning),
            highlight_info: severity_highlight(Severity::Info),
            base,
        }
    }

    /// Every cell format (not the conditional ones), in a fixed order.
    pub fn cell_formats(&self) -> impl Iterator<Item = &Format> {
        [
            &self.title,
            &self.subtitle,
            &self.section,
            &self.label,
            &self.info_text,
            &self.info_date,
            &self.info_count,
            &self.header,
            &self.header_month,
            &self.text,
            &self.text_center,
            &self.text_muted,
            &self.text_wrap,
            &self.name_kgi,
            &self.date,
            &self.days,
            &self.percent,
            &self.percent_change,
            &self.score,
            &self.weight,
            &self.rank,
        ]
        .into_iter()
        .chain(&self.name_levels)
        .chain(&self.value)
        .chain(&self.variance)
        .chain(&self.shortfall)
        .chain(std::iter::once(&self.block_top))
        .chain(&self.rate)
        .chain(&self.status)
    }

    /// Number format of a metric's values (target, actual, shortfall, forecast).
    pub fn value(&self, kind: ValueKind) -> &Format {
        &self.value[kind.index()]
    }

    /// (v2) Number format of a variance: signed, the sign's meaning in a word.
    pub fn variance(&self, kind: ValueKind, higher_is_better: bool) -> &Format {
        &self.variance[kind.index() * 2 + usize::from(!higher_is_better)]
    }

    /// (v2) Number format of a shortfall: what is left to a target, left under a ceiling
    /// or over it, above a floor or short of it.
    pub fn shortfall(&self, kind: ValueKind, direction: Direction) -> &Format {
        let d = DIRECTIONS.iter().position(|x| *x == direction).unwrap_or(0);
        &self.shortfall[kind.index() * DIRECTIONS.len() + d]
    }

    /// Number format of a rate, with its interval (`4,958,692/mo`).
    pub fn rate(&self, kind: ValueKind, frequency: Frequency) -> &Format {
        &self.rate[kind.index() * FREQUENCIES.len() + frequency_index(frequency)]
    }

    /// A status cell coloured directly (for the Summary, read in any viewer).
    pub fn status(&self, status: Status) -> &Format {
        &self.status[status_index(status)]
    }

    /// The conditional format that colours a status label.
    pub fn status_highlight(&self, status: Status) -> &Format {
        &self.status_highlight[status_index(status)]
    }

    /// A metric's name, indented by its depth in the tree; KGIs in bold.
    pub fn name(&self, depth: usize, is_kgi: bool) -> &Format {
        if is_kgi && depth == 0 {
            &self.name_kgi
        } else {
            &self.name_levels[depth.min(MAX_INDENT)]
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn units_choose_number_formats() {
        assert_eq!(
            ValueKind::of(Unit::new("円").as_ref(), false),
            ValueKind::Money
        );
        assert_eq!(
            ValueKind::of(Unit::new("万円").as_ref(), true),
            ValueKind::Money
        );
        assert_eq!(
            ValueKind::of(Unit::new("10k JPY").as_ref(), true),
            ValueKind::Money
        );
        assert_eq!(
            ValueKind::of(Unit::new("USD").as_ref(), false),
            ValueKind::Money
        );
        assert_eq!(
            ValueKind::of(Unit::new("％").as_ref(), false),
            ValueKind::Percent
        );
        assert_eq!(
            ValueKind::of(Unit::new("件").as_ref(), true),
            ValueKind::Count
        );
        assert_eq!(
            ValueKind::of(Unit::new("hours").as_ref(), false),
            ValueKind::Decimal
        );
        assert_eq!(ValueKind::of(None, true), ValueKind::Count);
    }

    #[test]
    fn variances_say_what_their_sign_means_for_the_direction() {
        assert_eq!(
            variance_format(ValueKind::Money, true, Lang::Ja),
            "+#,##0\" 有利\";\"△\"#,##0\" 不利\";#,##0"
        );
        assert_eq!(
            variance_format(ValueKind::Percent, false, Lang::En),
            "+0.0\" pt U\";\"-\"0.0\" pt F\";0.0\" pt\""
        );
        assert_eq!(
            variance_format(ValueKind::Percent, true, Lang::Ja),
            "+0.0\"ポイント 有利\";\"△\"0.0\"ポイント 不利\";0.0\"ポイント\""
        );
        assert_eq!(
            variance_cell(ValueKind::Percent, "I2-O2", 0.0125),
            ("=(I2-O2)*100".to_string(), 1.25)
        );
        assert_eq!(
            shortfall_format(ValueKind::Money, Direction::StayBelow, Lang::En),
            "#,##0\" over\";#,##0\" left\";#,##0\" left\""
        );
        assert_eq!(
            shortfall_format(ValueKind::Percent, Direction::StayAbove, Lang::Ja),
            "\"不足 \"0.0\"ポイント\";\"余裕 \"0.0\"ポイント\";\"余裕 \"0.0\"ポイント\""
        );
        assert_eq!(
            shortfall_format(ValueKind::Money, Direction::Increase, Lang::Ja),
            "#,##0;\"△\"#,##0"
        );
        assert_eq!(
            variance_cell(ValueKind::Money, "I2-O2", -850.0),
            ("=I2-O2".to_string(), -850.0)
        );
    }

    #[test]
    fn rates_carry_their_interval_in_every_section() {
        let formats = Formats::new(Lang::Ja);
        let f = formats.rate(ValueKind::Money, Frequency::Monthly);
        let other = formats.rate(ValueKind::Money, Frequency::Weekly);
        assert_ne!(f, other);
    }
}

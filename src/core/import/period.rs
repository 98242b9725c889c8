//! Assessment periods: canonical names (`2026Q1`, `2026M03`, `2026H1`, `2026`) and the ways
//! clerks write them in cells, file names and sheet names (`2026年第一季度`, `2026-Q1`,
//! `2026年3月`, `2026年上半年`, `2026年度`).

use crate::core::scheme::PeriodKind;
use regex::Regex;
use std::sync::LazyLock;

/// A period in canonical form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Period {
    pub kind: PeriodKind,
    /// `2026Q1`, `2026M03`, `2026H1` or `2026`.
    pub name: String,
}

// A constant pattern, exercised by this module's tests: it cannot fail to compile.
#[allow(clippy::expect_used)]
static QUARTER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(\d{4})\s*(?:年\s*(?:第\s*)?([一二三四1-4])\s*季度?|[-_ ]?\s*[Qq]\s*([1-4]))").expect("valid regex")
});
// A constant pattern, exercised by this module's tests: it cannot fail to compile.
#[allow(clippy::expect_used)]
static HALF: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(\d{4})\s*(?:年\s*([上下])半年|[-_ ]?\s*[Hh]\s*([12]))").expect("valid regex"));
// A constant pattern, exercised by this module's tests: it cannot fail to compile.
#[allow(clippy::expect_used)]
static MONTH: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(\d{4})\s*(?:年\s*(\d{1,2})\s*月|[-/.]\s*(\d{1,2})\b|[-_ ]?\s*[Mm]\s*(\d{1,2}))").expect("valid regex")
});
// A constant pattern, exercised by this module's tests: it cannot fail to compile.
#[allow(clippy::expect_used)]
static YEAR: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"(?:^|\D)(\d{4})\s*(?:年度?|$|\D)").expect("valid regex"));

// A constant pattern, exercised by this module's tests: it cannot fail to compile.
#[allow(clippy::expect_used)]
static BARE_QUARTER: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?:第\s*)?([一二三四1-4])\s*季度").expect("valid regex"));

/// A quarter written without its year ("一季度", "第二季度"): 1–4. Only where no full
/// period is written.
pub fn find_bare_quarter(text: &str) -> Option<u32> {
    let text = crate::core::import::cell::fold_width(text);
    if find_period(&text).is_some_and(|p| p.kind != PeriodKind::Year) {
        return None;
    }
    // A sheet named just "Q1" … "Q4".
    if let [b'Q' | b'q', d @ b'1'..=b'4'] = text.trim().as_bytes() {
        return Some(u32::from(d - b'0'));
    }
    BARE_QUARTER.captures(&text).and_then(|c| digit(&c[1]))
}

fn digit(s: &str) -> Option<u32> {
    match s {
        "一" | "上" => Some(1),
        "二" | "下" => Some(2),
        "三" => Some(3),
        "四" => Some(4),
        _ => s.parse().ok(),
    }
}

fn group<'a>(c: &regex::Captures<'a>, ids: &[usize]) -> Option<&'a str> {
    ids.iter().find_map(|&i| c.get(i)).map(|m| m.as_str())
}

/// Find a period anywhere in `text` (a cell, a file name, a sheet name). The most specific
/// form wins: quarter, half, month, then year.
/// A period as a clerk writes it: `2026年第一季度`, `2026年3月`, `2026年上半年`, `2026年度`; in
/// English `2026 Q1`, `2026-03`, `2026 H1`, `2026`. Text that is not a period stays as it is.
pub fn label(period: &str, lang: crate::Lang) -> String {
    let Some(p) = find_period(period) else { return period.to_owned() };
    let (Some(year), rest) = (p.name.get(..4), p.name.get(4..).unwrap_or("")) else { return period.to_owned() };
    let zh = lang == crate::Lang::Zh;
    match p.kind {
        PeriodKind::Year if zh => format!("{year}年度"),
        PeriodKind::Year => year.to_owned(),
        PeriodKind::Half if zh => format!("{year}年{}", if rest == "H1" { "上半年" } else { "下半年" }),
        PeriodKind::Half => format!("{year} {rest}"),
        PeriodKind::Quarter if zh => {
            let q = ["", "一", "二", "三", "四"].get(rest.get(1..).and_then(|q| q.parse::<usize>().ok()).unwrap_or(0));
            format!("{year}年第{}季度", q.copied().unwrap_or("?"))
        }
        PeriodKind::Quarter => format!("{year} {rest}"),
        PeriodKind::Month => {
            let m: u32 = rest.get(1..).and_then(|m| m.parse().ok()).unwrap_or(0);
            if zh { format!("{year}年{m}月") } else { format!("{year}-{m:02}") }
        }
    }
}

/// The first and the last day of a period, `YYYY-MM-DD` (the last day written as 31 for every
/// month: dates compare as text, so it covers the month whatever its length).
pub fn bounds(period: &str) -> Option<(String, String)> {
    let p = find_period(period)?;
    let year = p.name.get(..4)?;
    let (first, last) = match p.kind {
        PeriodKind::Year => (1, 12),
        PeriodKind::Half => match p.name.get(4..)? {
            "H1" => (1, 6),
            _ => (7, 12),
        },
        PeriodKind::Quarter => {
            let q: u32 = p.name.get(5..)?.parse().ok()?;
            (3 * q - 2, 3 * q)
        }
        PeriodKind::Month => {
            let m: u32 = p.name.get(5..)?.parse().ok()?;
            (m, m)
        }
    };
    Some((format!("{year}-{first:02}-01"), format!("{year}-{last:02}-31")))
}

pub fn find_period(text: &str) -> Option<Period> {
    let text = crate::core::import::cell::fold_width(text);
    if let Some(c) = QUARTER.captures(&text) {
        let q = digit(group(&c, &[2, 3])?)?;
        return Some(Period { kind: PeriodKind::Quarter, name: format!("{}Q{q}", &c[1]) });
    }
    if let Some(c) = HALF.captures(&text) {
        let h = digit(group(&c, &[2, 3])?)?;
        return Some(Period { kind: PeriodKind::Half, name: format!("{}H{h}", &c[1]) });
    }
    if let Some(c) = MONTH.captures(&text) {
        let m = digit(group(&c, &[2, 3, 4])?)?;
        if (1..=12).contains(&m) {
            return Some(Period { kind: PeriodKind::Month, name: format!("{}M{m:02}", &c[1]) });
        }
    }
    YEAR.captures(&text).map(|c| Period { kind: PeriodKind::Year, name: c[1].to_owned() })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn name(s: &str) -> Option<String> {
        find_period(s).map(|p| p.name)
    }

    #[test]
    fn periods_are_labelled_as_clerks_write_them() {
        use crate::Lang::{En, Zh};
        assert_eq!(label("2026Q1", Zh), "2026年第一季度");
        assert_eq!(label("2026Q4", Zh), "2026年第四季度");
        assert_eq!(label("2026M03", Zh), "2026年3月");
        assert_eq!(label("2026H2", Zh), "2026年下半年");
        assert_eq!(label("2026", Zh), "2026年度");
        assert_eq!(label("2026Q1", En), "2026 Q1");
        assert_eq!(label("2026M03", En), "2026-03");
        assert_eq!(label("not a period", Zh), "not a period");
    }

    #[test]
    fn the_ways_clerks_write_periods() {
        assert_eq!(name("2026Q1"), Some("2026Q1".into()));
        assert_eq!(name("服务对象评价_2026年第一季度.xlsx"), Some("2026Q1".into()));
        assert_eq!(name("2026年二季度"), Some("2026Q2".into()));
        assert_eq!(name("２０２６－Ｑ３"), Some("2026Q3".into()));
        assert_eq!(name("2026 q4"), Some("2026Q4".into()));
        assert_eq!(name("2026年上半年"), Some("2026H1".into()));
        assert_eq!(name("2026年3月"), Some("2026M03".into()));
        assert_eq!(name("2026-11"), Some("2026M11".into()));
        assert_eq!(name("2026年度考核"), Some("2026".into()));
        assert_eq!(name("名册"), None);
        assert_eq!(find_period("2026Q1").map(|p| p.kind), Some(PeriodKind::Quarter));
    }

    #[test]
    fn quarters_without_a_year() {
        assert_eq!(find_bare_quarter("一季度服务对象评价（补报）"), Some(1));
        assert_eq!(find_bare_quarter("第三季度部门互评"), Some(3));
        assert_eq!(find_bare_quarter("2026年第一季度"), None);
        assert_eq!(find_bare_quarter("部门互评"), None);
        assert_eq!(find_bare_quarter("Q2"), Some(2));
        assert_eq!(find_bare_quarter("Q2汇总"), None);
    }
}

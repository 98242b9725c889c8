//! Reading the corrections file and the roster events file.
//!
//! The corrections file (复核记录, `corrections.csv` in the workspace or
//! `--corrections`): one approved change a line, checked against the scheme and the roster,
//! every problem located by line and column.
//!
//! Columns (English or Chinese headers): `subject`/编号, `period`/考核期, `indicator`/指标,
//! `rater`/评价主体, `evaluator`/评价人, `value`/值, `grade`/等次, `reason`/理由,
//! `approved_by`/批准人, `date`/日期. A line sets either a value (with its indicator; a rating
//! also names the rater and the evaluator) or a grade.

use crate::core::correction::{Change, Correction};
use crate::core::diag::Severity;
use crate::core::import::ledger::{Issue, Location};
use crate::core::import::period::find_period;
use crate::core::msg::Msg;
use crate::core::roster::{Event, EventKind, Roster};
use crate::core::scheme::{Method, Scheme};
use crate::pipeline::read::{read_side_csv, shown_path};
use anyhow::Result;
use rust_decimal::Decimal;
use std::path::Path;
use std::str::FromStr;

/// The corrections of a file, and the problems found (any problem: none are applied).
/// `annual`: grades name the scheme's levels and periods are years.
pub fn read(path: &Path, scheme: &Scheme, roster: &Roster) -> Result<(Vec<Correction>, Vec<Issue>)> {
    let (headers, records) = read_side_csv(path, ("复核记录", "corrections file"))?;
    let col = |names: &[&str]| headers.iter().position(|h| names.contains(&h.as_str()));
    let cols = [
        col(&["subject", "编号", "对象", "姓名", "单位", "名称"]),
        col(&["period", "考核期"]),
        col(&["indicator", "指标", "指标代码"]),
        col(&["rater", "评价主体"]),
        col(&["evaluator", "评价人"]),
        col(&["value", "值", "分数"]),
        col(&["grade", "等次"]),
        col(&["reason", "理由", "复核理由"]),
        col(&["approved_by", "批准人", "审批人"]),
        col(&["date", "日期", "批准日期"]),
    ];
    let file = shown_path(path);
    let mut out = Vec::new();
    let mut issues = Vec::new();
    for (line, rec) in records {
        let get = |c: Option<usize>| c.and_then(|c| rec.get(c)).unwrap_or("").trim().to_owned();
        let [subject, period, indicator, rater, evaluator, value, grade, reason, approved_by, date] = cols.map(get);
        let at = |c: Option<usize>| Location { file: file.clone(), row: Some(line), column: c, ..Location::default() };
        let mut bad = |msg: Msg, c: Option<usize>, v: &str| {
            issues.push(Issue { severity: Severity::Error, msg, location: at(c), value: v.to_owned() });
        };
        let missing: Vec<&str> = [
            ("subject", &subject),
            ("period", &period),
            ("reason", &reason),
            ("approved_by", &approved_by),
            ("date", &date),
        ]
        .into_iter()
        .filter(|(_, v)| v.is_empty())
        .map(|(k, _)| k)
        .collect();
        if !missing.is_empty() {
            bad(Msg::CorrectionIncomplete { what: missing.join(", ") }, None, "");
            continue;
        }
        let Some(found) = find_period(&period) else {
            bad(Msg::BadPeriod { text: period.clone() }, cols[1], &period);
            continue;
        };
        // One file holds the quarters' corrections and the year's: each scheme takes its own.
        if found.kind != scheme.period {
            continue;
        }
        let Some(s) = roster.subjects.iter().find(|s| s.id == subject || s.name == subject) else {
            bad(Msg::UnknownSubject { text: subject.clone(), suggestion: None }, cols[0], &subject);
            continue;
        };
        let change = match (indicator.is_empty(), value.is_empty(), grade.is_empty()) {
            (true, true, false) => match scheme.grades.levels.iter().position(|l| l.name == grade) {
                Some(g) => Change::Grade(g),
                None => {
                    bad(Msg::UnknownGrade { grade: grade.clone(), suggestion: None }, cols[6], &grade);
                    continue;
                }
            },
            (false, false, true) => {
                let Some(ind) = scheme.indicators.iter().find(|i| i.code == indicator || i.name == indicator) else {
                    bad(Msg::UnknownIndicator { text: indicator.clone(), suggestion: None }, cols[2], &indicator);
                    continue;
                };
                let Ok(v) = Decimal::from_str(&value) else {
                    bad(Msg::CorrectionIncomplete { what: format!("value `{value}`") }, cols[5], &value);
                    continue;
                };
                let rating = matches!(ind.method, Some(Method::Rating { .. }));
                if rating && (rater.is_empty() || evaluator.is_empty()) {
                    bad(Msg::CorrectionIncomplete { what: "rater, evaluator".into() }, cols[3], "");
                    continue;
                }
                if rating && !scheme.raters.iter().any(|r| r.id == rater) {
                    bad(Msg::UnknownRater { rater: rater.clone(), suggestion: None }, cols[3], &rater);
                    continue;
                }
                Change::Value { indicator: ind.code.clone(), rater, evaluator, value: v }
            }
            _ => {
                bad(Msg::CorrectionIncomplete { what: "indicator + value, or grade".into() }, None, "");
                continue;
            }
        };
        out.push(Correction { line, subject: s.id.clone(), period: found.name, change, reason, approved_by, date });
    }
    Ok((out, issues))
}

/// Read the roster events file (人员变动, perf.toml `roster_events`): `subject`/编号,
/// `date`/日期 (2026-05-10, 2026/5/10 or 2026.5.10), `event`/变动 (入职, 离职, 调动, 类别, 职级 …),
/// `value`/新值 (the unit, category or level). Problems are located; with any, none apply.
pub fn read_events(path: &Path, roster: &Roster) -> Result<(Vec<Event>, Vec<Issue>)> {
    let (headers, records) = read_side_csv(path, ("人员变动", "roster events"))?;
    let col = |names: &[&str]| headers.iter().position(|h| names.contains(&h.as_str()));
    let cols = [
        col(&["subject", "编号", "姓名", "对象"]),
        col(&["date", "日期", "变动日期"]),
        col(&["event", "变动", "事项", "类型"]),
        col(&["value", "新值", "去向", "内容"]),
    ];
    let file = shown_path(path);
    let (mut out, mut issues) = (Vec::new(), Vec::new());
    for (line, rec) in records {
        let get = |c: Option<usize>| c.and_then(|c| rec.get(c)).unwrap_or("").trim().to_owned();
        let [subject, date, event, value] = cols.map(get);
        let mut bad = |msg: Msg, c: Option<usize>, v: &str| {
            let location = Location { file: file.clone(), row: Some(line), column: c, ..Location::default() };
            issues.push(Issue { severity: Severity::Error, msg, location, value: v.to_owned() });
        };
        let Some(s) = roster.subjects.iter().position(|s| s.id == subject || s.name == subject) else {
            bad(Msg::UnknownSubject { text: subject.clone(), suggestion: None }, cols[0], &subject);
            continue;
        };
        let Some(day) = iso_date(&date) else {
            bad(Msg::CorrectionIncomplete { what: format!("date `{date}` (YYYY-MM-DD)") }, cols[1], &date);
            continue;
        };
        let Some(kind) = EventKind::parse(&event) else {
            let what = format!("event `{event}` (入职, 离职, 调动, 类别, 职级)");
            bad(Msg::CorrectionIncomplete { what }, cols[2], &event);
            continue;
        };
        if matches!(kind, EventKind::Transfer | EventKind::Category | EventKind::Level) && value.is_empty() {
            bad(Msg::CorrectionIncomplete { what: "value".into() }, cols[3], "");
            continue;
        }
        out.push(Event { subject: s, date: day, kind, value, line });
    }
    Ok((out, issues))
}

/// `2026-05-10`, `2026/5/10`, `2026.5.10`, `2026年5月10日` → `2026-05-10`.
fn iso_date(text: &str) -> Option<String> {
    let parts: Vec<&str> = text.split(['-', '/', '.', '年', '月', '日']).filter(|p| !p.is_empty()).collect();
    let [y, m, d] = parts.as_slice() else { return None };
    let (y, m, d): (u32, u32, u32) = (y.parse().ok()?, m.parse().ok()?, d.parse().ok()?);
    ((1900..=2200).contains(&y) && (1..=12).contains(&m) && (1..=31).contains(&d)).then(|| format!("{y}-{m:02}-{d:02}"))
}

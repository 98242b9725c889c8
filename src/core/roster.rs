//! The roster (名册): who is assessed, and their category, unit and level.
//!
//! The I/O layer reads a roster file into a [`Roster`]; [`check_roster`] compares it with a
//! checked scheme.

use crate::core::diag::{Diagnostic, Source};
use crate::core::msg::Msg;
use crate::core::scheme::{QuotaScope, Scheme};
use crate::core::suggest::closest;
use std::collections::HashMap;

/// One assessed subject (a unit or a person).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Subject {
    pub id: String,
    pub name: String,
    pub category: Option<String>,
    /// The person's agency (persons only).
    pub unit: Option<String>,
    /// Position level (职级), persons only.
    pub level: Option<String>,
    /// Sanctions recorded this year (警告, 记过, …).
    pub sanctions: Vec<String>,
    /// Other names the subject goes by in clerks' sheets (简称: 发改局, 人社局 …).
    pub aliases: Vec<String>,
    /// 1-based line (CSV) or row (spreadsheet) of the subject in its file.
    pub line: usize,
}

/// A roster and where its columns are, for locating messages.
#[derive(Debug, Clone, Default)]
pub struct Roster {
    pub subjects: Vec<Subject>,
    /// 1-based column numbers.
    pub id_column: usize,
    pub category_column: Option<usize>,
    /// 1-based column of the sanctions (处分), when the roster has one.
    pub sanctions_column: Option<usize>,
}

/// Duplicate ids, and categories the scheme does not define.
pub fn check_roster(roster: &Roster, scheme: &Scheme) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    if roster.subjects.is_empty() {
        out.push(Diagnostic::error(Msg::RosterEmpty).in_source(Source::Roster));
        return out;
    }
    let mut seen: HashMap<&str, usize> = HashMap::new();
    for s in &roster.subjects {
        if let Some(&first_line) = seen.get(s.id.as_str()) {
            let msg = Msg::RosterDuplicateId { id: s.id.clone(), first_line };
            out.push(Diagnostic::error(msg).at_cell(Source::Roster, s.line, roster.id_column));
        } else {
            seen.insert(&s.id, s.line);
        }
        // Every key of the quota scope must have a value, or the subject would silently share
        // one pool with everyone else who lacks it (DOMAIN §1.2: pools are not borrowed from).
        for key in &scheme.grades.scope {
            let missing = match key {
                QuotaScope::All => None,
                QuotaScope::Unit => s.unit.is_none().then_some("unit"),
                QuotaScope::Level => s.level.is_none().then_some("level"),
                // With categories declared, a missing category is reported below.
                QuotaScope::Category => (scheme.categories.is_empty() && s.category.is_none()).then_some("category"),
            };
            if let Some(key) = missing {
                let column = if key == "category" { roster.category_column } else { None };
                let msg = Msg::RosterMissingPoolKey { id: s.id.clone(), key };
                out.push(Diagnostic::error(msg).at_cell(Source::Roster, s.line, column.unwrap_or(roster.id_column)));
            }
        }
        if scheme.categories.is_empty() {
            continue;
        }
        let column = roster.category_column.unwrap_or(roster.id_column);
        match s.category.as_deref() {
            None => {
                let msg = Msg::RosterMissingCategory { id: s.id.clone() };
                out.push(Diagnostic::error(msg).at_cell(Source::Roster, s.line, column));
            }
            Some(c) if scheme.find_category(c).is_none() => {
                let names = scheme.categories.iter().flat_map(|k| [k.id.as_str(), k.name.as_str()]);
                let msg =
                    Msg::RosterUnknownCategory { id: s.id.clone(), category: c.into(), suggestion: closest(c, names) };
                out.push(Diagnostic::error(msg).at_cell(Source::Roster, s.line, column));
            }
            Some(_) => {}
        }
    }
    out
}

/// What changes on a date (roster events: 人员变动).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EventKind {
    /// 入职、调入: in the roster from this date.
    Join,
    /// 离职、调出、退休: not in the roster after this date.
    Leave,
    /// 调动: another unit from this date (`value`: the unit).
    Transfer,
    /// 类别变化（如提任领导干部）: another category from this date.
    Category,
    /// 职级变化: another level from this date.
    Level,
}

impl EventKind {
    /// The kind named in a roster-events file (Chinese or English).
    pub fn parse(text: &str) -> Option<EventKind> {
        Some(match text.trim() {
            "入职" | "调入" | "录用" | "join" => EventKind::Join,
            "离职" | "调出" | "退休" | "离开" | "leave" => EventKind::Leave,
            "调动" | "转任" | "transfer" => EventKind::Transfer,
            "类别" | "类别变化" | "提任" | "category" => EventKind::Category,
            "职级" | "职级变化" | "晋升" | "level" => EventKind::Level,
            _ => return None,
        })
    }
}

/// One dated change to the roster.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Event {
    /// Index of the subject in the roster.
    pub subject: usize,
    /// `YYYY-MM-DD`.
    pub date: String,
    pub kind: EventKind,
    /// The new unit, category or level.
    pub value: String,
    /// 1-based line in the events file.
    pub line: usize,
}

/// The roster as of a period running from `start` to `end` (`YYYY-MM-DD`, inclusive), and
/// who belongs to it: a subject belongs when it has joined by `end` and not left before
/// `start`; its unit, category and level are those at `end` (or on the day it left). Without
/// a join event a subject is there from the start; the roster file lists everyone ever in it.
pub fn as_of(roster: &Roster, events: &[Event], start: &str, end: &str) -> (Roster, Vec<bool>) {
    let mut out = roster.clone();
    let mut member = vec![true; roster.subjects.len()];
    let mut sorted: Vec<&Event> = events.iter().collect();
    sorted.sort_by(|a, b| (a.date.as_str(), a.line).cmp(&(b.date.as_str(), b.line)));
    for (k, s) in out.subjects.iter_mut().enumerate() {
        let mine: Vec<&&Event> = sorted.iter().filter(|e| e.subject == k).collect();
        let joined = mine.iter().filter(|e| e.kind == EventKind::Join).map(|e| e.date.as_str()).next_back();
        let left = mine.iter().filter(|e| e.kind == EventKind::Leave).map(|e| e.date.as_str()).next_back();
        let in_from = joined.is_none_or(|d| d <= end);
        let still = left.is_none_or(|d| d >= start) || joined.is_some_and(|j| left.is_some_and(|l| j > l && j <= end));
        member[k] = in_from && still;
        // State at the end of the period, or when the subject left within it.
        let until = match left {
            Some(l) if l < end && joined.is_none_or(|j| j <= l) => l,
            _ => end,
        };
        for e in mine.iter().filter(|e| e.date.as_str() <= until) {
            match e.kind {
                EventKind::Transfer => s.unit = Some(e.value.clone()),
                EventKind::Category => s.category = Some(e.value.clone()),
                EventKind::Level => s.level = Some(e.value.clone()),
                EventKind::Join | EventKind::Leave => {}
            }
        }
    }
    (out, member)
}

#[cfg(test)]
mod event_tests {
    use super::*;

    fn roster() -> Roster {
        let s = |id: &str, unit: &str| Subject {
            id: id.into(),
            name: id.into(),
            category: Some("一般干部".into()),
            unit: Some(unit.into()),
            level: None,
            sanctions: vec![],
            aliases: vec![],
            line: 2,
        };
        Roster {
            subjects: vec![s("P1", "U1"), s("P2", "U1"), s("P3", "U2")],
            id_column: 1,
            category_column: None,
            sanctions_column: None,
        }
    }

    fn ev(subject: usize, date: &str, kind: EventKind, value: &str) -> Event {
        Event { subject, date: date.into(), kind, value: value.into(), line: 2 }
    }

    #[test]
    fn the_roster_of_each_quarter() {
        let events = vec![
            ev(0, "2026-05-10", EventKind::Transfer, "U2"),
            ev(1, "2026-07-01", EventKind::Join, ""),
            ev(2, "2026-02-15", EventKind::Leave, ""),
            ev(0, "2026-08-01", EventKind::Category, "领导干部"),
        ];
        let q = |start: &str, end: &str| as_of(&roster(), &events, start, end);
        // Q1: P2 not yet joined; P3 left in February: still assessed in Q1 (at U2).
        let (r, m) = q("2026-01-01", "2026-03-31");
        assert_eq!(m, [true, false, true]);
        assert_eq!(r.subjects[0].unit.as_deref(), Some("U1"));
        // Q2: P1 transferred to U2 in May: assessed at U2; P3 gone.
        let (r, m) = q("2026-04-01", "2026-06-30");
        assert_eq!(m, [true, false, false]);
        assert_eq!(r.subjects[0].unit.as_deref(), Some("U2"));
        // Q3: P2 joined on 1 July; P1 promoted into a leader post in August.
        let (r, m) = q("2026-07-01", "2026-09-30");
        assert_eq!(m, [true, true, false]);
        assert_eq!(r.subjects[0].category.as_deref(), Some("领导干部"));
    }
}

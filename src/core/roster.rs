//! The roster (名册): who is assessed, and their category, unit and level.
//!
//! The I/O layer reads a roster file into a [`Roster`]; [`check_roster`] compares it with a
//! checked scheme.

use crate::core::diag::{Diagnostic, Source};
use crate::core::msg::Msg;
use crate::core::scheme::Scheme;
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

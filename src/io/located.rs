//! Diagnostics with their file, line and column resolved: the form printed to people and
//! written as JSON for scripts.

use crate::Lang;
use crate::core::diag::{Diagnostic, Pos, Severity, Source};
use crate::io::toml_file::TomlText;
use serde::Serialize;
use std::path::Path;

/// One finding, ready to print. JSON field order is the documented contract.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Located {
    pub severity: &'static str,
    pub code: &'static str,
    pub message: String,
    pub file: Option<String>,
    pub line: Option<usize>,
    pub column: Option<usize>,
    pub indicator: Option<String>,
}

/// The files diagnostics may point into.
#[derive(Default)]
pub struct Files<'a> {
    pub scheme: Option<(&'a Path, Option<&'a TomlText>)>,
    pub roster: Option<&'a Path>,
    pub workspace: Option<(&'a Path, Option<&'a TomlText>)>,
}

impl Files<'_> {
    pub fn locate(&self, d: &Diagnostic, lang: Lang) -> Located {
        let (file, text) = match d.source {
            Source::Scheme => self.scheme.map_or((None, None), |(p, t)| (Some(p), t)),
            Source::Workspace => self.workspace.map_or((None, None), |(p, t)| (Some(p), t)),
            Source::Roster => (self.roster, None),
        };
        let (line, column) = match (&d.pos, text) {
            (Some(Pos::Span(span)), Some(t)) => {
                let (l, c) = t.lines.line_col(&t.text, span.start);
                (Some(l), Some(c))
            }
            (Some(Pos::LineCol { line, column }), _) => (Some(*line), Some(*column)),
            _ => (None, None),
        };
        Located {
            severity: d.severity.as_str(),
            code: d.code(),
            message: d.msg.text(lang),
            file: file.map(|p| p.display().to_string()),
            line,
            column,
            indicator: d.indicator.clone(),
        }
    }
}

impl Located {
    /// `file:line:column: 错误[code] message`
    pub fn render(&self, lang: Lang) -> String {
        let mut at = self.file.clone().unwrap_or_default();
        if let Some(l) = self.line {
            at.push_str(&format!(":{l}"));
            if let Some(c) = self.column {
                at.push_str(&format!(":{c}"));
            }
        }
        let sev = match (self.severity, lang) {
            ("error", Lang::Zh) => "错误",
            ("error", Lang::En) => "error",
            ("warning", Lang::Zh) => "警告",
            ("warning", Lang::En) => "warning",
            (_, Lang::Zh) => "提示",
            (_, Lang::En) => "note",
        };
        let level = match self.severity {
            "error" => Severity::Error,
            "warning" => Severity::Warning,
            _ => Severity::Info,
        };
        let sev = crate::io::term::severity(level, sev);
        if at.is_empty() {
            format!("{sev}[{}]: {}", self.code, self.message)
        } else {
            format!("{at}: {sev}[{}]: {}", self.code, self.message)
        }
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error.as_str()
    }
}

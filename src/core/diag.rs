//! Diagnostics: what the core found wrong, where, and how bad.
//!
//! A [`Diagnostic`] names its input ([`Source`]) and a position inside it ([`Pos`]): a byte
//! span for TOML files, or a line and column for tables. The I/O layer attaches file names;
//! the renderer turns spans into `line:column`.

use super::msg::Msg;
use std::ops::Range;

/// A byte range in a source text.
pub type Span = Range<usize>;

/// How bad a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Error,
    Warning,
    /// Accounted for, nothing wrong (e.g. a sheet with no score table).
    Info,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        }
    }
}

/// Which input a diagnostic is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    Scheme,
    Roster,
    Workspace,
}

/// Where inside the input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Pos {
    /// Byte span in a text file (TOML).
    Span(Span),
    /// 1-based line and column in a table (CSV line, spreadsheet row).
    LineCol { line: usize, column: usize },
}

/// One finding.
#[derive(Debug, Clone)]
pub struct Diagnostic {
    pub severity: Severity,
    pub msg: Msg,
    pub source: Source,
    pub pos: Option<Pos>,
    /// The indicator code it concerns, where there is one.
    pub indicator: Option<String>,
}

impl Diagnostic {
    pub fn error(msg: Msg) -> Self {
        Diagnostic { severity: Severity::Error, msg, source: Source::Scheme, pos: None, indicator: None }
    }

    pub fn warning(msg: Msg) -> Self {
        Diagnostic { severity: Severity::Warning, ..Diagnostic::error(msg) }
    }

    pub fn at(mut self, span: Span) -> Self {
        self.pos = Some(Pos::Span(span));
        self
    }

    pub fn at_cell(mut self, source: Source, line: usize, column: usize) -> Self {
        self.source = source;
        self.pos = Some(Pos::LineCol { line, column });
        self
    }

    pub fn in_source(mut self, source: Source) -> Self {
        self.source = source;
        self
    }

    pub fn indicator(mut self, code: impl Into<String>) -> Self {
        self.indicator = Some(code.into());
        self
    }

    pub fn code(&self) -> &'static str {
        self.msg.code()
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

/// Maps byte offsets of one text to 1-based line and column (columns count characters, as
/// editors show them).
#[derive(Debug, Clone)]
pub struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    pub fn new(text: &str) -> Self {
        let mut starts = vec![0];
        starts.extend(text.bytes().enumerate().filter(|&(_, b)| b == b'\n').map(|(i, _)| i + 1));
        LineIndex { starts }
    }

    /// Line and column of byte `offset` in `text` (the text this index was built from).
    pub fn line_col(&self, text: &str, offset: usize) -> (usize, usize) {
        let offset = offset.min(text.len());
        let line = self.starts.partition_point(|&s| s <= offset);
        let start = self.starts[line - 1];
        let mut end = offset;
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        let column = text[start..end].chars().count() + 1;
        (line, column)
    }

    /// 1-based line of byte `offset`.
    pub fn line(&self, offset: usize) -> usize {
        self.starts.partition_point(|&s| s <= offset)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_count_characters_not_bytes() {
        let text = "a = 1\n权重 = 0.8\n";
        let idx = LineIndex::new(text);
        let off = text.find("0.8").unwrap();
        assert_eq!(idx.line_col(text, off), (2, 6));
        assert_eq!(idx.line_col(text, 0), (1, 1));
        assert_eq!(idx.line(off), 2);
    }
}

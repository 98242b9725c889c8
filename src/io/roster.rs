//! Reading a roster (名册) from a CSV file (UTF-8, UTF-8 with BOM, UTF-16 with BOM or GBK;
//! comma, semicolon or tab), with Chinese and English header aliases.

use crate::core::diag::{Diagnostic, LineIndex, Source};
use crate::core::msg::Msg;
use crate::core::roster::{Roster, Subject};
use crate::io::text::decode;

/// Header aliases, compared after removing spaces and lower-casing.
const ID: &[&str] = &["编号", "代码", "单位代码", "对象编号", "工号", "id", "code"];
const NAME: &[&str] = &["名称", "单位名称", "姓名", "对象", "name"];
const CATEGORY: &[&str] = &["类别", "分类", "考核类别", "category"];
const UNIT: &[&str] = &["所在单位", "单位", "unit"];
const LEVEL: &[&str] = &["职级", "职务层次", "职务", "level"];
const SANCTIONS: &[&str] = &["处分", "处分情况", "处理处分", "sanctions", "sanction"];

fn norm(h: &str) -> String {
    h.trim_start_matches('\u{feff}')
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .to_lowercase()
}

fn find(headers: &[String], aliases: &[&str]) -> Option<usize> {
    headers.iter().position(|h| aliases.contains(&norm(h).as_str()))
}

/// The delimiter that splits the header line into the most fields.
fn sniff_delimiter(text: &str) -> u8 {
    let first = text.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
    [b',', b';', b'\t']
        .into_iter()
        .max_by_key(|d| first.matches(char::from(*d)).count())
        .unwrap_or(b',')
}

/// Read a CSV roster. Problems with the file's content are diagnostics (with
/// `Source::Roster`); the roster is returned when it could be read at all.
pub fn read_csv(bytes: &[u8]) -> Result<Roster, Box<Diagnostic>> {
    let text = decode(bytes)
        .map_err(|e| Box::new(Diagnostic::error(Msg::NotUtf8 { byte: e.byte }).in_source(Source::Roster)))?
        .0;
    // csv's own line numbers skip blank lines; count from the byte offset instead.
    let lines = LineIndex::new(&text);
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(sniff_delimiter(&text))
        .flexible(true)
        .has_headers(false)
        .from_reader(text.as_bytes());
    let mut records = reader.records();
    let headers: Vec<String> = match records.next() {
        Some(Ok(r)) => r.iter().map(str::to_owned).collect(),
        Some(Err(e)) => return Err(csv_error(&e)),
        None => {
            return Err(Box::new(Diagnostic::error(Msg::RosterEmpty).in_source(Source::Roster)));
        }
    };
    let missing = |column: &str| {
        Box::new(
            Diagnostic::error(Msg::RosterMissingColumn {
                column: column.into(),
                found: headers.clone(),
            })
            .at_cell(Source::Roster, 1, 1),
        )
    };
    let id = find(&headers, ID).ok_or_else(|| missing("编号 / id"))?;
    let name = find(&headers, NAME);
    let category = find(&headers, CATEGORY);
    let unit = find(&headers, UNIT);
    let level = find(&headers, LEVEL);
    let sanctions = find(&headers, SANCTIONS);
    let mut roster = Roster {
        subjects: Vec::new(),
        id_column: id + 1,
        category_column: category.map(|c| c + 1),
    };
    for record in records {
        let record = record.map_err(|e| csv_error(&e))?;
        let line = record.position().map_or(0, |p| {
            // The record's position may be at the blank lines before it.
            let at = usize::try_from(p.byte()).unwrap_or(usize::MAX).min(text.len());
            let skipped = text[at..].len() - text[at..].trim_start_matches(['\r', '\n']).len();
            lines.line(at + skipped)
        });
        let cell = |k: Option<usize>| {
            k.and_then(|k| record.get(k))
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_owned)
        };
        let Some(subject_id) = cell(Some(id)) else {
            if record.iter().all(|f| f.trim().is_empty()) {
                continue;
            }
            return Err(missing_id(line, id + 1));
        };
        roster.subjects.push(Subject {
            name: cell(name).unwrap_or_else(|| subject_id.clone()),
            id: subject_id,
            category: cell(category),
            unit: cell(unit),
            level: cell(level),
            sanctions: cell(sanctions)
                .map(|s| {
                    s.split([';', '；', '、', ','])
                        .map(str::trim)
                        .filter(|x| !x.is_empty() && *x != "无")
                        .map(str::to_owned)
                        .collect()
                })
                .unwrap_or_default(),
            line,
        });
    }
    Ok(roster)
}

fn missing_id(line: usize, column: usize) -> Box<Diagnostic> {
    Box::new(
        Diagnostic::error(Msg::MissingKey {
            key: "编号 / id".into(),
        })
        .at_cell(Source::Roster, line, column),
    )
}

fn csv_error(e: &csv::Error) -> Box<Diagnostic> {
    let line = e
        .position()
        .map_or(1, |p| usize::try_from(p.line()).unwrap_or(usize::MAX));
    Box::new(Diagnostic::error(Msg::CsvSyntax { detail: e.to_string() }).at_cell(Source::Roster, line, 1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_aliases_gbk_and_semicolons() {
        let (gbk, _, _) =
            encoding_rs::GB18030.encode("单位代码;单位名称;类别\nU01;区发改局;经济发展类\n\nU02;区民政局;社会民生类\n");
        let r = read_csv(&gbk).unwrap();
        assert_eq!(r.subjects.len(), 2);
        assert_eq!(r.subjects[1].id, "U02");
        assert_eq!(r.subjects[1].line, 4);
        assert_eq!(r.subjects[0].category.as_deref(), Some("经济发展类"));
        assert_eq!(r.category_column, Some(3));
    }

    #[test]
    fn missing_id_column_is_located() {
        let e = read_csv("名称,类别\n甲,乙\n".as_bytes()).unwrap_err();
        assert_eq!(e.code(), "roster-missing-column");
    }
}

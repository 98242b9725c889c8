//! Reading a roster (名册) from any table file perf reads — CSV (UTF-8, UTF-16 or GBK; comma,
//! semicolon or tab) or a spreadsheet's first sheet — with Chinese and English header
//! aliases. Title rows above the header are skipped.

use crate::core::diag::{Diagnostic, Source};
use crate::core::import::header::normalize_header;
use crate::core::msg::Msg;
use crate::core::roster::{Roster, Subject};
use crate::io::table::{self, EncodingChoice};
use anyhow::Result;
use std::path::Path;

/// Header aliases, compared after removing spaces and lower-casing.
const ID: &[&str] = &["编号", "代码", "单位代码", "对象编号", "工号", "人员编号", "id", "code"];
const NAME: &[&str] = &["名称", "单位名称", "姓名", "对象", "name"];
const CATEGORY: &[&str] = &["类别", "分类", "考核类别", "category"];
const UNIT: &[&str] = &["所在单位", "单位", "unit"];
const LEVEL: &[&str] = &["职级", "职务层次", "职务", "level"];
const SANCTIONS: &[&str] = &["处分", "处分情况", "处理处分", "sanctions", "sanction"];
const ALIASES: &[&str] = &["简称", "别名", "其他名称", "又名", "alias", "aliases"];

/// How far down the header may be.
const HEADER_SEARCH_ROWS: usize = 30;

fn find(headers: &[String], aliases: &[&str]) -> Option<usize> {
    headers.iter().position(|h| aliases.contains(&normalize_header(h).to_lowercase().as_str()))
}

fn diag(msg: Msg, line: usize, column: usize) -> Box<Diagnostic> {
    Box::new(Diagnostic::error(msg).at_cell(Source::Roster, line, column))
}

/// Read the roster at `path`. I/O failures are errors; problems in its content are a
/// diagnostic located in the roster.
pub fn load(path: &Path) -> Result<std::result::Result<Roster, Box<Diagnostic>>> {
    crate::io::output::note_input(path);
    match std::fs::metadata(path) {
        Ok(m) if m.is_file() && m.len() > crate::io::MAX_SIDE_FILE_BYTES => anyhow::bail!(crate::tr(
            &format!("名册 {} 超过 {} MB 的上限", path.display(), crate::io::MAX_SIDE_FILE_BYTES >> 20),
            &format!("the roster {} is over the {} MB limit", path.display(), crate::io::MAX_SIDE_FILE_BYTES >> 20)
        )),
        Ok(m) if !m.is_file() => anyhow::bail!(crate::tr(
            &format!("名册 {} 不是普通文件（管道或设备），请给出文件", path.display()),
            &format!("the roster {} is not a regular file (a pipe or a device): name a file", path.display())
        )),
        _ => {}
    }
    if !path.is_file() {
        anyhow::bail!(crate::tr(
            &format!("无法读取名册 {}", path.display()),
            &format!("cannot read roster {}", path.display())
        ));
    }
    let opened = match table::open(path, EncodingChoice::Auto) {
        Ok(o) => o,
        Err(msg) => return Ok(Err(Box::new(Diagnostic::error(msg).in_source(Source::Roster)))),
    };
    let Some(sheet) = opened.sheets.into_iter().next() else {
        return Ok(Err(Box::new(Diagnostic::error(Msg::RosterEmpty).in_source(Source::Roster))));
    };
    let rows = sheet.rows.map(|r| r.map(|(n, cells)| (n, cells.iter().map(|c| c.display()).collect::<Vec<_>>())));
    Ok(from_rows(rows))
}

/// Build a roster from rows of text (line or row number, cells).
pub fn from_rows(
    rows: impl Iterator<Item = std::result::Result<(usize, Vec<String>), Msg>>,
) -> std::result::Result<Roster, Box<Diagnostic>> {
    let mut rows = rows.peekable();
    let mut seen = Vec::new();
    // The header: the first row (of the first 30) with an id column.
    let (header_line, headers) = loop {
        match rows.next() {
            Some(Ok((n, cells))) => {
                if find(&cells, ID).is_some() {
                    break (n, cells);
                }
                if seen.is_empty() && cells.iter().any(|c| !c.trim().is_empty()) {
                    seen = cells;
                }
                if n > HEADER_SEARCH_ROWS {
                    let found = seen.clone();
                    return Err(diag(Msg::RosterMissingColumn { column: "编号 / id".into(), found }, 1, 1));
                }
            }
            Some(Err(msg)) => return Err(Box::new(Diagnostic::error(msg).in_source(Source::Roster))),
            None if seen.is_empty() => {
                return Err(Box::new(Diagnostic::error(Msg::RosterEmpty).in_source(Source::Roster)));
            }
            None => {
                return Err(diag(Msg::RosterMissingColumn { column: "编号 / id".into(), found: seen }, 1, 1));
            }
        }
    };
    let id = find(&headers, ID).unwrap_or(0);
    let name = find(&headers, NAME);
    let category = find(&headers, CATEGORY);
    let unit = find(&headers, UNIT);
    let level = find(&headers, LEVEL);
    let sanctions = find(&headers, SANCTIONS);
    let aliases = find(&headers, ALIASES);
    let _ = header_line;
    let mut roster = Roster {
        subjects: Vec::new(),
        id_column: id + 1,
        category_column: category.map(|c| c + 1),
        sanctions_column: sanctions.map(|c| c + 1),
    };
    for row in rows {
        let (line, cells) = row.map_err(|msg| Box::new(Diagnostic::error(msg).in_source(Source::Roster)))?;
        let cell = |k: Option<usize>| {
            k.and_then(|k| cells.get(k)).map(|s| s.trim()).filter(|s| !s.is_empty()).map(str::to_owned)
        };
        let Some(subject_id) = cell(Some(id)) else {
            if cells.iter().all(|f| f.trim().is_empty()) {
                continue;
            }
            return Err(diag(Msg::MissingKey { key: "编号 / id".into() }, line, id + 1));
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
            aliases: cell(aliases)
                .map(|s| {
                    s.split([';', '；', '、', ',', '，', '/'])
                        .map(str::trim)
                        .filter(|x| !x.is_empty())
                        .map(str::to_owned)
                        .collect()
                })
                .unwrap_or_default(),
            line,
        });
    }
    Ok(roster)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load_bytes(name: &str, bytes: &[u8]) -> std::result::Result<Roster, Box<Diagnostic>> {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(name);
        std::fs::write(&path, bytes).unwrap();
        load(&path).unwrap()
    }

    #[test]
    fn reads_aliases_gbk_semicolons_and_a_title_row() {
        let (gbk, _, _) = encoding_rs::GB18030
            .encode("2026年考核名册;;\n单位代码;单位名称;类别\nU01;区发改局;经济发展类\n\nU02;区民政局;社会民生类\n");
        let r = load_bytes("名册.csv", &gbk).unwrap();
        assert_eq!(r.subjects.len(), 2);
        assert_eq!(r.subjects[1].id, "U02");
        assert_eq!(r.subjects[1].line, 5);
        assert_eq!(r.subjects[0].category.as_deref(), Some("经济发展类"));
        assert_eq!(r.category_column, Some(3));
    }

    #[test]
    fn aliases_split_on_the_separators_clerks_use() {
        let r = load_bytes(
            "r.csv",
            "编号,单位名称,简称\nU08,区人力资源和社会保障局,人社局、区人社局;人力社保局\n".as_bytes(),
        )
        .unwrap();
        assert_eq!(r.subjects[0].aliases, ["人社局", "区人社局", "人力社保局"]);
    }

    #[test]
    fn missing_id_column_is_located() {
        let e = load_bytes("r.csv", "名称,类别\n甲,乙\n".as_bytes()).unwrap_err();
        assert_eq!(e.code(), "roster-missing-column");
        let e = load_bytes("r.csv", b"").unwrap_err();
        assert_eq!(e.code(), "roster-empty");
    }
}

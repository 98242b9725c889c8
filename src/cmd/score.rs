//! `perf score`: score one period — from ledgers or from any file `perf import` reads (the
//! import runs in the same pass) — and print the ranked table, CSV or JSON.
//!
//! CSV/JSON columns (stable): `period,subject,name,category,score,rank,category_rank,grade,
//! veto,bonus,deduction,complete,flags`, then one column per top-level indicator (its code).

use crate::cmd::common::{grade_counts, write_report};
use crate::core::scheme::Scheme;
use crate::core::score::engine::{Flag, SubjectScore, show};
use crate::io::output::OutputFile;
use crate::io::published::{FileRef, Manifest};
use crate::pipeline::read::print_issues;
use crate::pipeline::{ScoreInputs, Scored, run_scoring};
use crate::{Exit, Lang, tr};
use anyhow::Result;
use comfy_table::{Cell, CellAlignment, Table, presets};
use std::io::Write;
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    #[value(help = crate::choice("表格（默认）", "table (the default)"))]
    Table,
    Csv,
    Json,
}

#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    pub inputs: ScoreInputs,
    /// 输出格式。Output format.
    #[arg(long, value_enum, default_value = "table")]
    pub format: Format,
    /// 写入文件（.csv、.json 按扩展名，否则按 --format）。Write to a file.
    #[arg(long, short = 'o')]
    pub output: Option<PathBuf>,
    /// 同时写出 Excel 报告。Also write the Excel report.
    #[arg(long)]
    pub report: Option<PathBuf>,
    /// 表格列出全部列（否决、加分、扣分、完整、各一级指标得分）。 默认只列适合终端宽度的几列。 All columns.
    #[arg(long)]
    pub wide: bool,
    /// CSV 文件开头不写 UTF-8 BOM（默认写，Excel 才能正确显示中文）。No BOM in CSV files.
    #[arg(long)]
    pub no_bom: bool,
    /// 公布这个考核期的结果：写入工作区的 published/<考核期>.csv 与 .toml（结果及其依据的方案、名册、数据的
    /// SHA-256），此后 perf annual 使用公布的结果。只能公布完整、没有待定同分的结果。Publish (freeze) the period.
    #[arg(long)]
    pub publish: bool,
    /// 与 --publish 一起：替换已经公布的结果。Replace a publication.
    #[arg(long, requires = "publish")]
    pub republish: bool,
}

/// Freeze the period's results in the workspace (`io::published`).
fn publish(scored: &Scored, replace: bool) -> Result<()> {
    let Some(ws) = &scored.workspace else {
        anyhow::bail!(tr(
            "--publish 需要工作区（有 perf.toml 的文件夹）：公布的结果保存在工作区的 published 文件夹中",
            "--publish needs a workspace (a folder with perf.toml): results are published in its published folder"
        ));
    };
    let refs: Vec<FileRef> = scored
        .files
        .iter()
        .map(|f| {
            let (sha256, bytes) = crate::io::sha256_file(f)?;
            Ok(FileRef { path: crate::io::published::relative(&ws.dir, f), sha256, bytes })
        })
        .collect::<Result<_>>()?;
    let [scheme, roster, inputs @ ..] = refs.as_slice() else { anyhow::bail!("no scheme and roster") };
    let manifest = Manifest {
        period: scored.period.clone(),
        published: jiff::Timestamp::now().to_string(),
        perf: env!("CARGO_PKG_VERSION").to_owned(),
        scheme: scheme.clone(),
        roster: roster.clone(),
        inputs: inputs.to_vec(),
    };
    let path = crate::io::published::write(&ws.dir, &manifest, &csv_text(scored)?, replace)?;
    crate::say!(
        "{}",
        tr(
            &format!("已公布 {}：{}（perf annual 将使用公布的结果）", scored.period, path.display()),
            &format!("published {}: {} (perf annual uses the published results)", scored.period, path.display())
        )
    );
    Ok(())
}

/// The fixed columns of the score table.
pub const COLUMNS: [&str; 13] = [
    "period",
    "subject",
    "name",
    "category",
    "score",
    "rank",
    "category_rank",
    "grade",
    "veto",
    "bonus",
    "deduction",
    "complete",
    "flags",
];

/// One output row: the fixed columns, then top-level points.
fn row(s: &Scored, r: &SubjectScore) -> Vec<String> {
    let dp = s.scheme.precision;
    let subj = &s.roster.subjects[r.subject];
    let veto: Vec<String> = r
        .flags
        .iter()
        .filter_map(|f| if let Flag::Vetoed { indicator } = f { Some(indicator.clone()) } else { None })
        .collect();
    let mut v = vec![
        s.period.clone(),
        subj.id.clone(),
        subj.name.clone(),
        r.category.map_or_else(String::new, |c| s.scheme.categories[c].name.clone()),
        show(r.score, dp),
        r.rank.map_or_else(String::new, |k| k.to_string()),
        r.category_rank.map_or_else(String::new, |k| k.to_string()),
        r.grade.map_or_else(String::new, |g| s.scheme.grades.levels[g].name.clone()),
        veto.join(";"),
        show(&r.bonus, dp),
        show(&r.deduction, dp),
        r.complete.to_string(),
        r.flags.iter().map(Flag::short).collect::<Vec<_>>().join(";"),
    ];
    for i in top_level(&s.scheme) {
        v.push(r.points[i].as_ref().map_or_else(String::new, |p| show(p, dp)));
    }
    v
}

/// Top-level in-base indicators, in file order.
fn top_level(scheme: &Scheme) -> Vec<usize> {
    scheme.roots().filter(|&i| scheme.indicators[i].in_base()).collect()
}

/// Results in rank order (ties by roster order).
fn ordered(s: &Scored) -> Vec<&SubjectScore> {
    let mut v: Vec<&SubjectScore> = s.results.iter().collect();
    // Ranked subjects first; the incomplete ones (not ranked) after them, in roster order.
    v.sort_by_key(|r| (r.rank.is_none(), r.rank, r.subject));
    v
}

pub fn csv_text(s: &Scored) -> Result<String> {
    let mut w = csv::Writer::from_writer(Vec::new());
    let mut header: Vec<String> = COLUMNS.iter().map(|c| (*c).to_owned()).collect();
    header.extend(top_level(&s.scheme).into_iter().map(|i| s.scheme.indicators[i].code.clone()));
    w.write_record(&header)?;
    for r in ordered(s) {
        // Every text column (subject ids included) defused against CSV injection; numbers as
        // they are.
        let v: Vec<String> = row(s, r).into_iter().map(|x| crate::io::csv_cell(&x).into_owned()).collect();
        w.write_record(v)?;
    }
    Ok(String::from_utf8(w.into_inner().map_err(|e| anyhow::anyhow!(e.to_string()))?)?)
}

pub fn json_text(s: &Scored) -> Result<String> {
    let tops = top_level(&s.scheme);
    let rows: Vec<serde_json::Value> = ordered(s)
        .into_iter()
        .map(|r| {
            let v = row(s, r);
            let mut m = serde_json::Map::new();
            for (k, c) in COLUMNS.iter().enumerate() {
                let value = match *c {
                    "rank" | "category_rank" => {
                        v[k].parse::<u64>().map_or(serde_json::Value::Null, |n| serde_json::json!(n))
                    }
                    "complete" => serde_json::json!(r.complete),
                    "flags" | "veto" => {
                        serde_json::json!(v[k].split(';').filter(|x| !x.is_empty()).collect::<Vec<_>>())
                    }
                    "grade" if v[k].is_empty() => serde_json::Value::Null,
                    _ => serde_json::json!(v[k]),
                };
                m.insert((*c).to_owned(), value);
            }
            let points: serde_json::Map<String, serde_json::Value> = tops
                .iter()
                .enumerate()
                .map(|(k, &i)| {
                    let cell = &v[COLUMNS.len() + k];
                    let val = if cell.is_empty() { serde_json::Value::Null } else { serde_json::json!(cell) };
                    (s.scheme.indicators[i].code.clone(), val)
                })
                .collect();
            m.insert("points".into(), serde_json::Value::Object(points));
            serde_json::Value::Object(m)
        })
        .collect();
    Ok(serde_json::to_string_pretty(&rows)? + "\n")
}

/// The short table (rank, id, name, category, score, category rank, grade, flags) that fits a
/// terminal; with `wide`, every column: veto, bonus, deduction, completeness and the points of
/// each first-level indicator.
pub fn table_text(s: &Scored, lang: Lang, wide: bool) -> String {
    if !wide {
        return short_table(s, lang);
    }
    let zh = lang == Lang::Zh;
    let mut t = Table::new();
    t.load_style(presets::UTF8_FULL_CONDENSED);
    let mut header: Vec<String> = if zh {
        ["排名", "编号", "名称", "类别", "得分", "类别排名", "等次", "否决", "加分", "扣分", "完整", "标记"]
    } else {
        [
            "Rank",
            "ID",
            "Name",
            "Category",
            "Score",
            "Cat. rank",
            "Grade",
            "Veto",
            "Bonus",
            "Deduct",
            "Complete",
            "Flags",
        ]
    }
    .iter()
    .map(|h| (*h).to_owned())
    .collect();
    let tops = top_level(&s.scheme);
    header.extend(tops.iter().map(|&i| s.scheme.indicators[i].name.clone()));
    t.set_header(header);
    for r in ordered(s) {
        let v = row(s, r);
        let mut cells = vec![Cell::new(&v[5]).set_alignment(CellAlignment::Right)];
        cells.push(Cell::new(&v[1]));
        cells.push(Cell::new(&v[2]));
        cells.push(Cell::new(&v[3]));
        cells.push(Cell::new(&v[4]).set_alignment(CellAlignment::Right));
        cells.push(Cell::new(&v[6]).set_alignment(CellAlignment::Right));
        cells.push(Cell::new(grade_text(r, &v, zh)));
        cells.push(Cell::new(&v[8]));
        cells.push(Cell::new(&v[9]).set_alignment(CellAlignment::Right));
        cells.push(Cell::new(&v[10]).set_alignment(CellAlignment::Right));
        cells.push(Cell::new(if r.complete {
            if zh { "是" } else { "yes" }
        } else if zh {
            "否"
        } else {
            "no"
        }));
        cells.push(Cell::new(flag_text(r, lang)));
        for c in &v[COLUMNS.len()..] {
            cells.push(Cell::new(c).set_alignment(CellAlignment::Right));
        }
        t.add_row(cells);
    }
    titled(s, &t, lang)
}

/// The flags column of a table: each flag in words.
fn flag_text(r: &SubjectScore, lang: Lang) -> String {
    let words: Vec<String> = r.flags.iter().map(|f| f.label(lang)).collect();
    words.join(if lang == Lang::Zh { "；" } else { "; " })
}

/// The grade column: the grade, or 待补 for an incomplete subject.
fn grade_text<'a>(r: &SubjectScore, v: &'a [String], zh: bool) -> &'a str {
    if r.complete {
        v[7].as_str()
    } else if zh {
        "待补"
    } else {
        "incomplete"
    }
}

/// A score table with its title (scheme · period) above and the grade counts below.
fn titled(s: &Scored, t: &Table, lang: Lang) -> String {
    let period = crate::core::import::period::label(&s.period, lang);
    format!("{} · {period}\n{t}\n{}\n", s.scheme.name, grade_counts(s, lang))
}

fn short_table(s: &Scored, lang: Lang) -> String {
    let zh = lang == Lang::Zh;
    let mut t = Table::new();
    t.load_style(presets::UTF8_FULL_CONDENSED);
    crate::cmd::common::fit(&mut t);
    let categories = !s.scheme.categories.is_empty();
    let mut header: Vec<&str> = if zh { vec!["排名", "编号", "名称"] } else { vec!["Rank", "ID", "Name"] };
    if categories {
        header.extend(if zh { ["类别", "得分", "类别排名"] } else { ["Category", "Score", "Cat. rank"] });
    } else {
        header.push(if zh { "得分" } else { "Score" });
    }
    header.extend(if zh { ["等次", "标记"] } else { ["Grade", "Flags"] });
    t.set_header(header);
    for r in ordered(s) {
        let v = row(s, r);
        let mut cells = vec![Cell::new(&v[5]).set_alignment(CellAlignment::Right), Cell::new(&v[1]), Cell::new(&v[2])];
        if categories {
            cells.push(Cell::new(&v[3]));
        }
        cells.push(Cell::new(&v[4]).set_alignment(CellAlignment::Right));
        if categories {
            cells.push(Cell::new(&v[6]).set_alignment(CellAlignment::Right));
        }
        cells.push(Cell::new(grade_text(r, &v, zh)));
        cells.push(Cell::new(flag_text(r, lang)));
        t.add_row(cells);
    }
    titled(s, &t, lang)
}

pub fn run(args: &Args, lang_flag: Option<Lang>) -> Result<Exit> {
    let outputs: Vec<&Path> = args.output.iter().chain(&args.report).map(PathBuf::as_path).collect();
    crate::io::output::check_distinct(&outputs)?;
    let kind = crate::cmd::common::output_kind(args.output.as_deref())?;
    // Without a report, leaf details are not needed: dropped as each subject is scored.
    let inputs = ScoreInputs { lean: args.report.is_none(), trend: args.report.is_some(), ..args.inputs.clone() };
    let scored = match run_scoring(&inputs, lang_flag, None)? {
        Ok(s) => s,
        Err(exit) => return Ok(exit),
    };
    let lang = crate::lang();
    let errors = print_issues(&scored.issues, lang);
    let format = match kind {
        Some("csv") => Format::Csv,
        Some("json") => Format::Json,
        _ => args.format,
    };
    let text = match format {
        Format::Table => table_text(&scored, lang, args.wide),
        Format::Csv => csv_text(&scored)?,
        Format::Json => json_text(&scored)?,
    };
    match &args.output {
        Some(path) => {
            let mut f = OutputFile::create(path)?;
            if format == Format::Csv {
                f.write_all(crate::cmd::common::csv_bom(path, args.no_bom))?;
            }
            f.write_all(text.as_bytes())?;
            f.commit()?;
            crate::say!("{}", grade_counts(&scored, lang));
        }
        None => std::io::stdout().lock().write_all(text.as_bytes())?,
    }
    if let Some(path) = &args.report {
        write_report(&scored, path, &[], None)?;
    }
    let incomplete = scored.results.iter().any(|r| !r.complete);
    let ties = scored.results.iter().any(|r| r.flags.contains(&Flag::TieAtQuota));
    let displaced = scored.results.iter().any(|r| r.flags.contains(&Flag::Displaced));
    if args.publish {
        if errors > 0 || incomplete || ties || displaced {
            crate::say!(
                "{}",
                tr(
                    "没有公布：结果有错误、待补的对象或待定的同分，只能公布完整、确定的结果。",
                    "not published: the results have errors, incomplete subjects or undecided ties; only complete, settled results can be published."
                )
            );
            return Ok(Exit::Problems);
        }
        publish(&scored, args.republish)?;
    }
    if ties {
        crate::say!(
            "{}",
            tr(
                "有同分跨越名额线且无法按 tie_break 区分：请用 --decide 文件（subject,grade,reason）裁定。",
                "a tie straddles a quota line and the tie-break chain cannot settle it: decide it with --decide FILE (subject,grade,reason)."
            )
        );
    }
    Ok(if errors > 0 || incomplete || ties || displaced { Exit::Problems } else { Exit::Ok })
}

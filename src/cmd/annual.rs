//! `perf annual`: the three-link mechanism over a year — annual scores and grades from the
//! quarters (and a year-end assessment), link rules with their evidence, awards and the
//! funding pool split to the fen; the history file kept up to date.
//!
//! CSV/JSON columns (stable): `subject,name,unit,annual_score,grade,flags,amount,quarters,
//! quarter_mean,year_end,award,paid,suspended,person_quota,factor,evidence`.

use crate::cmd::common::{evidence, explain_text, flags, grade_text};
use crate::core::annual_result::AnnualResult;
use crate::core::score::engine::{GradeReason, show};
use crate::io::output::OutputFile;
use crate::pipeline::annual::{Annual, AnnualInputs, read_history, run_annual};
use crate::pipeline::read::print_issues;
use crate::{Exit, Lang, tr};
use anyhow::{Result, bail};
use comfy_table::{Table, presets};
use rust_decimal::Decimal;
use std::io::Write;
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Table,
    Csv,
    Json,
}

#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    pub inputs: AnnualInputs,
    /// 输出格式。Output format.
    #[arg(long, value_enum, default_value = "table")]
    pub format: Format,
    /// 写入文件（.csv、.json 按扩展名）。Write to a file.
    #[arg(long, short = 'o')]
    pub output: Option<PathBuf>,
    /// 写出年度工作簿（结果运用、年度等次、季度走势、资金分配、说明）。The annual workbook.
    #[arg(long)]
    pub report: Option<PathBuf>,
    /// 表格也列出各季度等次；默认只列适合终端宽度的几列。Also show the quarters' grades.
    #[arg(long)]
    pub wide: bool,
    /// CSV 文件开头不写 UTF-8 BOM（默认写，Excel 才能正确显示中文）。No BOM in CSV files.
    #[arg(long)]
    pub no_bom: bool,
    /// 把今年的结果追加到历史文件。Append this year to the history file.
    #[arg(long)]
    pub update_history: bool,
    /// 与 --update-history 一起：替换历史文件中已有的该年记录。Replace this year in the history.
    #[arg(long, requires = "update_history")]
    pub replace: bool,
    /// 只输出这个对象的年度推导过程。Explain one subject.
    #[arg(long)]
    pub explain: Option<String>,
}

const COLUMNS: [&str; 16] = [
    "subject",
    "name",
    "unit",
    "annual_score",
    "grade",
    "flags",
    "amount",
    "quarters",
    "quarter_mean",
    "year_end",
    "award",
    "paid",
    "suspended",
    "person_quota",
    "factor",
    "evidence",
];

fn row(a: &Annual, r: &AnnualResult, lang: Lang) -> Vec<String> {
    let dp = a.scheme.precision;
    let subj = &a.roster.subjects[r.subject];
    let money = |d: Decimal| format!("{:.2}", d);
    vec![
        subj.id.clone(),
        subj.name.clone(),
        subj.unit.clone().unwrap_or_default(),
        r.exact.as_ref().map_or_else(String::new, |e| show(e, dp)),
        grade_text(a, r),
        flags(a, r).join(";"),
        money(r.share),
        r.quarters
            .iter()
            .map(|q| format!("{}:{}", q.period, if q.complete { q.grade.clone() } else { "-".into() }))
            .collect::<Vec<_>>()
            .join(";"),
        r.quarter_mean.as_ref().map_or_else(String::new, |m| show(m, dp)),
        r.year_end.as_ref().map_or_else(String::new, |y| show(y, dp)),
        money(r.award),
        money(r.paid),
        money(r.suspended),
        r.person_quota.map_or_else(String::new, |q| q.normalize().to_string()),
        r.factor.map_or_else(String::new, |f| f.normalize().to_string()),
        evidence(a, r, lang).join(" | "),
    ]
}

fn csv_text(a: &Annual, lang: Lang) -> Result<String> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(COLUMNS)?;
    for r in &a.results {
        let v: Vec<String> = row(a, r, lang).into_iter().map(|x| crate::io::csv_cell(&x).into_owned()).collect();
        w.write_record(v)?;
    }
    Ok(String::from_utf8(w.into_inner().map_err(|e| anyhow::anyhow!(e.to_string()))?)?)
}

fn json_text(a: &Annual, lang: Lang) -> Result<String> {
    let rows: Vec<serde_json::Value> = a
        .results
        .iter()
        .map(|r| {
            let v = row(a, r, lang);
            let mut m = serde_json::Map::new();
            for (k, c) in COLUMNS.iter().enumerate() {
                let value = match *c {
                    "flags" => serde_json::json!(flags(a, r)),
                    "evidence" => serde_json::json!(evidence(a, r, lang)),
                    _ => serde_json::json!(v[k]),
                };
                m.insert((*c).to_owned(), value);
            }
            serde_json::Value::Object(m)
        })
        .collect();
    Ok(serde_json::to_string_pretty(&rows)? + "\n")
}

fn table_text(a: &Annual, lang: Lang, wide: bool) -> String {
    let zh = lang == Lang::Zh;
    let mut t = Table::new();
    t.load_style(presets::UTF8_FULL_CONDENSED);
    crate::cmd::common::fit(&mut t);
    // The quarters' grades only with --wide: in 80 columns they wrap into a column of words.
    let mut header = if zh {
        vec!["编号", "姓名/名称", "单位", "年度得分", "等次", "金额", "结果运用"]
    } else {
        vec!["ID", "Name", "Unit", "Score", "Grade", "Amount", "Outcomes"]
    };
    if wide {
        header.insert(3, if zh { "季度等次" } else { "Quarters" });
    }
    t.set_header(header);
    for r in &a.results {
        let v = row(a, r, lang);
        let quarters: Vec<String> =
            r.quarters.iter().map(|q| if q.complete { q.grade.clone() } else { "-".into() }).collect();
        let mut cells =
            vec![v[0].clone(), v[1].clone(), v[2].clone(), v[3].clone(), v[4].clone(), v[6].clone(), v[5].clone()];
        if wide {
            cells.insert(3, quarters.join(" "));
        }
        t.add_row(cells);
    }
    let mut out =
        format!("{} · {}\n{t}\n", a.scheme.name, crate::core::import::period::label(&a.year.to_string(), lang));
    let levels = &a.scheme.grades.levels;
    let counts: Vec<String> = levels
        .iter()
        .enumerate()
        .map(|(g, l)| format!("{} {}", l.name, a.results.iter().filter(|r| r.grade == Some(g)).count()))
        .chain(std::iter::once(format!(
            "{} {}",
            a.rules.ungraded_name,
            a.results.iter().filter(|r| r.grade.is_none()).count()
        )))
        .collect();
    let total: Decimal = a.results.iter().map(|r| r.share).sum();
    out.push_str(&if zh {
        format!("等次：{}；分配合计 {:.2} 元\n", counts.join("、"), total)
    } else {
        format!("Grades: {}; allocated {:.2}\n", counts.join(", "), total)
    });
    out
}

fn update_history(a: &Annual, replace: bool) -> Result<()> {
    let Some(path) = &a.history_path else {
        bail!(tr("没有历史文件：用 --history 指定", "no history file: pass --history"))
    };
    let existing = read_history(path)?;
    if existing.iter().any(|h| h.year == a.year) && !replace {
        bail!(tr(
            &format!("历史文件 {} 中已有 {} 年的记录；要替换请加 --replace", path.display(), a.year),
            &format!("{} already holds {}; use --replace", path.display(), a.year)
        ));
    }
    // The history is read to be updated: the one output that may be an input.
    let mut f = OutputFile::replace(path)?;
    {
        let mut w = csv::Writer::from_writer(&mut f);
        w.write_record(["year", "subject", "grade", "score", "sanctions"])?;
        for h in existing.iter().filter(|h| h.year != a.year) {
            let cells = [
                h.year.to_string(),
                h.subject.clone(),
                h.grade.clone(),
                h.score.map_or_else(String::new, |s| s.normalize().to_string()),
                h.sanctions.join(";"),
            ];
            w.write_record(cells.iter().map(|c| crate::io::csv_cell(c).into_owned()))?;
        }
        for r in &a.results {
            let s = &a.roster.subjects[r.subject];
            let cells = [
                a.year.to_string(),
                s.id.clone(),
                grade_text(a, r),
                r.score.map_or_else(String::new, |x| x.normalize().to_string()),
                s.sanctions.join(";"),
            ];
            w.write_record(cells.iter().map(|c| crate::io::csv_cell(c).into_owned()))?;
        }
        w.flush()?;
    }
    f.commit()
}

pub fn run(args: &Args, lang_flag: Option<Lang>) -> Result<Exit> {
    let outputs: Vec<&Path> = args.output.iter().chain(&args.report).map(PathBuf::as_path).collect();
    crate::io::output::check_distinct(&outputs)?;
    let kind = crate::cmd::common::output_kind(args.output.as_deref())?;
    let a = match run_annual(&args.inputs, lang_flag)? {
        Ok(a) => a,
        Err(exit) => return Ok(exit),
    };
    let lang = crate::lang();
    print_issues(&a.issues, lang);
    if !a.published.is_empty() {
        crate::say!(
            "{}",
            tr(
                &format!("使用公布的结果：{}", a.published.join("、")),
                &format!("published results used: {}", a.published.join(", "))
            )
        );
    }
    for d in &a.drift {
        // At most eight names, the rest as "…".
        let shown = |sep: &str| {
            let names = d.changed[..d.changed.len().min(8)].join(sep);
            if d.changed.len() > 8 { format!("{names} …") } else { names }
        };
        crate::say!(
            "{}",
            tr(
                &format!(
                    "注意：{} 已公布（{}），此后改动了 {}；按今天的方案和数据重算，{} 个对象的得分或等次会不同{}。年度计算仍用公布的结果；确需重算请加 --rescore。",
                    d.period,
                    d.published.display(),
                    if d.files.is_empty() { "（无）".to_owned() } else { d.files.join("、") },
                    d.changed.len(),
                    if d.changed.is_empty() { String::new() } else { format!("（{}）", shown("、")) }
                ),
                &format!(
                    "note: {} is published ({}); changed since: {}; scored today, {} subjects would get another score or grade{}. The annual run keeps the published results; pass --rescore to re-score.",
                    d.period,
                    d.published.display(),
                    if d.files.is_empty() { "(none)".to_owned() } else { d.files.join(", ") },
                    d.changed.len(),
                    if d.changed.is_empty() { String::new() } else { format!(" ({})", shown(", ")) }
                )
            )
        );
    }
    if let Some(who) = &args.explain {
        let Some(r) = a.results.iter().find(|r| {
            let s = &a.roster.subjects[r.subject];
            &s.id == who || &s.name == who
        }) else {
            bail!(tr(&format!("名册中没有 {who}"), &format!("{who} is not in the roster")));
        };
        std::io::stdout().lock().write_all(explain_text(&a, r, lang).as_bytes())?;
        return Ok(Exit::Ok);
    }
    let format = match kind {
        Some("csv") => Format::Csv,
        Some("json") => Format::Json,
        _ => args.format,
    };
    let text = match format {
        Format::Table => table_text(&a, lang, args.wide),
        Format::Csv => csv_text(&a, lang)?,
        Format::Json => json_text(&a, lang)?,
    };
    match &args.output {
        Some(path) => {
            let mut f = OutputFile::create(path)?;
            if format == Format::Csv {
                f.write_all(crate::cmd::common::csv_bom(path, args.no_bom))?;
            }
            f.write_all(text.as_bytes())?;
            f.commit()?;
        }
        None => std::io::stdout().lock().write_all(text.as_bytes())?,
    }
    if let Some(path) = &args.report {
        let rows: Vec<Vec<String>> = a.results.iter().map(|r| row(&a, r, lang)).collect();
        let inputs: Vec<crate::io::report::InputFile> =
            a.inputs.iter().map(|p| crate::cmd::common::hash_file(p)).collect::<Result<_>>()?;
        let book = crate::io::report::AnnualBook {
            scheme: &a.scheme,
            results: &a.results,
            ungraded_name: &a.rules.ungraded_name,
            funding: a.rules.funding.as_ref(),
            links: &a.rules.links,
            corrections: &a.corrections,
            periods: &a.periods,
            roster: &a.roster,
            inputs: &inputs,
        };
        let bytes = crate::io::report::build_annual(&a.scheme.name, a.year, &COLUMNS, &rows, &book, lang)?;
        let mut f = OutputFile::create(path)?;
        f.write_all(&bytes)?;
        f.commit()?;
    }
    let ties: Vec<&str> = a
        .results
        .iter()
        .filter(|r| matches!(r.grade_reason, GradeReason::Undecided { .. }))
        .map(|r| a.roster.subjects[r.subject].id.as_str())
        .collect();
    if !ties.is_empty() {
        crate::say!(
            "{}",
            tr(
                &format!(
                    "同分跨越名额线（{}）：暂列下一等次，这些名额的金额暂不拨付；请用 --decide 文件（subject,grade,reason）裁定后再运行。",
                    ties.join("、")
                ),
                &format!(
                    "a tie straddles a quota line ({}): shown one grade lower, nothing paid for those places; decide it with --decide FILE (subject,grade,reason) and run again.",
                    ties.join(", ")
                )
            )
        );
    }
    if args.update_history {
        if ties.is_empty() {
            update_history(&a, args.replace)?;
            crate::say!("{}", tr("已更新历史文件。", "history updated."));
        } else {
            crate::say!(
                "{}",
                tr("有未裁定的同分：历史文件没有更新。", "undecided ties: the history file was not updated.")
            );
        }
    }
    let errors = a.issues.iter().any(|i| i.severity == crate::core::diag::Severity::Error);
    Ok(if errors || !ties.is_empty() { Exit::Problems } else { Exit::Ok })
}

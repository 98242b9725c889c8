//! Formatting and output shared by several commands (never a command itself, and it imports
//! none): the text-or-JSON choice, the grade-count line under a score table, writing the
//! leaders' workbook for a scoring run (`perf report`, `perf score --report`), and the annual
//! derivation of one subject (`perf annual --explain`, `perf explain --annual`).

use crate::core::annual::Constraint;
use crate::core::annual_result::AnnualResult;
use crate::core::exact::{AsExact, Exact};
use crate::core::score::engine::{Flag, GradeReason, show};
use crate::io::output::OutputFile;
use crate::io::report::{InputFile, ReportData, build};
use crate::pipeline::Scored;
use crate::pipeline::annual::Annual;
use crate::pipeline::read::shown_path;
use crate::{Lang, tr};
use anyhow::{Result, bail};
use rust_decimal::Decimal;
use std::io::Write;
use std::path::Path;

/// What the extension of `-o FILE` asks for: `Some("csv")` / `Some("json")` choose the
/// format; `None` leaves it to `--format`. A workbook or document extension is refused before
/// any work is done: the table is text, and a text file named `.xlsx` is one Excel cannot open
/// (the workbook is `--report FILE.xlsx`).
pub fn output_kind(output: Option<&Path>) -> Result<Option<&'static str>> {
    let Some(path) = output else { return Ok(None) };
    let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("").to_ascii_lowercase();
    match ext.as_str() {
        "csv" => Ok(Some("csv")),
        "json" => Ok(Some("json")),
        "xlsx" | "xlsm" | "xls" | "xlsb" | "ods" | "et" | "pdf" | "doc" | "docx" | "wps" => bail!(tr(
            &format!(
                "-o {} 写出的是文本表格，不能存成 .{ext} 文件；要 Excel 报告请用 --report {}，要表格数据请用 .csv",
                path.display(),
                path.display()
            ),
            &format!(
                "-o {} writes a text table, not a .{ext} file; for the Excel report use --report {}, for the data use .csv",
                path.display(),
                path.display()
            )
        )),
        _ => Ok(None),
    }
}

/// The width a table must fit: the terminal's when standard output is one, else `COLUMNS`
/// when set (a script or a test asking for a width), else none (a pipe takes any width).
pub fn table_width() -> Option<u16> {
    use std::io::IsTerminal;
    if std::io::stdout().is_terminal() {
        return comfy_table::Table::new().width().or(Some(80));
    }
    std::env::var("COLUMNS").ok().and_then(|c| c.trim().parse().ok()).filter(|w| *w >= 20)
}

/// Make a table fit [`table_width`]: columns shrink and their text wraps (CJK widths counted).
pub fn fit(t: &mut comfy_table::Table) {
    if let Some(w) = table_width() {
        t.set_content_arrangement(comfy_table::ContentArrangement::Dynamic);
        t.set_width(w);
    }
}

/// The UTF-8 byte order mark that makes Excel open a CSV file as UTF-8 (without it, Excel on
/// Chinese Windows reads GBK and shows mojibake). Files only: never standard output (`-o -`,
/// `/dev/…`), and not with `--no-bom`. perf's own readers accept it.
pub fn csv_bom(path: &Path, no_bom: bool) -> &'static [u8] {
    let stream = path.as_os_str() == "-" || path.starts_with("/dev");
    if no_bom || stream { b"" } else { b"\xEF\xBB\xBF" }
}

/// Text for people or JSON for scripts (validate, explain).
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum TextOrJson {
    #[value(help = crate::choice("表格与文字（默认）", "tables and text (the default)"))]
    Text,
    Json,
}

/// "等次：优秀 4、良好 8…；不完整 0；同分待定 0"
pub fn grade_counts(s: &Scored, lang: Lang) -> String {
    let zh = lang == Lang::Zh;
    let counts: Vec<String> = s
        .scheme
        .grades
        .levels
        .iter()
        .enumerate()
        .map(|(g, l)| format!("{} {}", l.name, s.results.iter().filter(|r| r.grade == Some(g)).count()))
        .collect();
    let none = s.results.iter().filter(|r| r.complete && r.grade.is_none()).count();
    let incomplete = s.results.iter().filter(|r| !r.complete).count();
    let ties = s.results.iter().filter(|r| r.flags.contains(&Flag::TieAtQuota)).count();
    let open = crate::core::score::rank::open_places(&s.scheme, &s.roster, &s.results, &Default::default());
    let mut out = if zh {
        format!(
            "等次：{}{}\n共 {} 个对象，待补（数据不完整，不排名、不定等次）{incomplete}，同分待定 {ties}",
            counts.join("、"),
            if none > 0 { format!("、未定等次 {none}") } else { String::new() },
            s.results.len()
        )
    } else {
        format!(
            "Grades: {}{}\n{} subjects, {incomplete} incomplete (not ranked, not graded), {ties} undecided ties",
            counts.join(", "),
            if none > 0 { format!(", no grade {none}") } else { String::new() },
            s.results.len()
        )
    };
    for o in &open {
        let level = &s.scheme.grades.levels[o.level].name;
        let pool = o.pool.clone();
        let left = o.places - o.taken;
        out.push('\n');
        out.push_str(&if zh {
            format!(
                "{pool}{level}名额 {} 个，已评 {}，{left} 个空着：{} 个对象数据不完整，补齐后重新计分再定",
                o.places, o.taken, o.incomplete
            )
        } else {
            let pool = if pool.is_empty() { String::new() } else { format!("{pool}: ") };
            format!(
                "{pool}{level}: {} places, {} taken, {left} open while {} subjects are incomplete; score again once complete",
                o.places, o.taken, o.incomplete
            )
        });
    }
    out
}

/// The generation time: --timestamp, else SOURCE_DATE_EPOCH, else now (unix seconds).
fn generation_time(flag: Option<&str>) -> Result<i64> {
    if let Some(t) = flag {
        let ts: jiff::Timestamp = t.parse().map_err(|e| {
            anyhow::anyhow!(tr(
                &format!("--timestamp {t} 不是 RFC 3339 时间（{e}）"),
                &format!("--timestamp {t} is not RFC 3339 ({e})")
            ))
        })?;
        return Ok(ts.as_second());
    }
    if let Ok(epoch) = std::env::var("SOURCE_DATE_EPOCH") {
        return epoch.trim().parse().map_err(|_| {
            anyhow::anyhow!(tr("SOURCE_DATE_EPOCH 不是整数秒", "SOURCE_DATE_EPOCH is not whole seconds"))
        });
    }
    Ok(jiff::Timestamp::now().as_second())
}

pub fn hash_file(path: &Path) -> Result<InputFile> {
    let (sha256, bytes) = crate::io::sha256_file(path)?;
    Ok(InputFile { path: shown_path(path), bytes, sha256 })
}

/// Write the leaders' workbook for a scoring run, atomically, never over an input.
pub fn write_report(scored: &Scored, path: &Path, subjects: &[String], timestamp: Option<&str>) -> Result<()> {
    write_workbook(scored, path, subjects, timestamp, None)
}

/// Write the public version (`perf report --public`): the columns perf.toml's `[public]`
/// declares; refused for persons unless it allows them.
pub fn write_public(scored: &Scored, path: &Path, timestamp: Option<&str>) -> Result<()> {
    use crate::io::workspace::PublicColumn as C;
    let public = scored.workspace.as_ref().and_then(|w| w.doc.public.clone());
    let persons = public.as_ref().is_some_and(|p| p.persons);
    if scored.scheme.subject == crate::core::scheme::SubjectKind::Person && !persons {
        bail!(tr(
            "公务员个人的考核结果默认不公开：公开版只用于单位考核；确需公开时在 perf.toml 的 [public] 中写 persons = true",
            "results of individual civil servants are not published by default: the public version is for units; set persons = true under [public] in perf.toml to allow it"
        ));
    }
    let columns =
        public.and_then(|p| p.columns).unwrap_or_else(|| vec![C::Rank, C::Name, C::Category, C::Score, C::Grade]);
    write_workbook(scored, path, &[], timestamp, Some(&columns))
}

fn write_workbook(
    scored: &Scored,
    path: &Path,
    subjects: &[String],
    timestamp: Option<&str>,
    public: Option<&[crate::io::workspace::PublicColumn]>,
) -> Result<()> {
    let target = path.canonicalize().ok();
    if target.is_some() && scored.files.iter().any(|f| f.canonicalize().ok() == target) {
        bail!(tr(
            &format!("报告文件 {} 是输入文件：拒绝覆盖", path.display()),
            &format!("{} is an input: refusing to overwrite it", path.display())
        ));
    }
    let inputs = scored.files.iter().map(|f| hash_file(f)).collect::<Result<Vec<_>>>()?;
    let data = ReportData {
        scheme: &scored.scheme,
        roster: &scored.roster,
        period: &scored.period,
        results: &scored.results,
        issues: &scored.issues,
        inputs: &inputs,
        generated: generation_time(timestamp)?,
        radar_subjects: subjects,
        lang: crate::lang(),
        corrections: &scored.corrections,
        trend: &scored.trend,
    };
    let bytes = match public {
        Some(columns) => crate::io::report::build_public(&data, columns)?,
        None => build(&data)?,
    };
    let mut f = OutputFile::create(path)?;
    f.write_all(&bytes)?;
    f.commit()?;
    crate::say!("{}", tr(&format!("已写出报告 {}", path.display()), &format!("wrote {}", path.display())));
    Ok(())
}

pub fn grade_text(a: &Annual, r: &AnnualResult) -> String {
    r.grade.map_or_else(|| a.rules.ungraded_name.clone(), |g| a.scheme.grades.levels[g].name.clone())
}

pub fn flags(a: &Annual, r: &AnnualResult) -> Vec<String> {
    let mut out: Vec<String> = r
        .fired
        .iter()
        .map(|(k, _)| {
            let l = &a.rules.links[*k];
            l.then.flag.clone().unwrap_or_else(|| l.name.clone())
        })
        .collect();
    let id = &a.roster.subjects[r.subject].id;
    if a.corrections.iter().any(|c| &c.subject == id) {
        out.push("corrected".into());
    }
    // The same codes as the quarterly table: a tie waiting for --decide, a decided grade.
    match &r.grade_reason {
        GradeReason::Undecided { .. } => out.push("tie_at_quota".into()),
        GradeReason::Decision if !matches!(r.constraint, Constraint::Force(_)) => out.push("decided".into()),
        _ => {}
    }
    out
}

pub fn evidence(a: &Annual, r: &AnnualResult, lang: Lang) -> Vec<String> {
    let mut out: Vec<String> = r
        .fired
        .iter()
        .map(|(k, ev)| {
            let l = &a.rules.links[*k];
            let ev: Vec<String> = ev.iter().map(|e| e.text(lang)).collect();
            let (colon, semicolon) = if lang == Lang::Zh { ("：", "；") } else { (": ", "; ") };
            format!(
                "{}{colon}{} → {}",
                l.name,
                ev.join(semicolon),
                l.then.flag.clone().unwrap_or_else(|| outcome_text(a, &l.then, lang))
            )
        })
        .collect();
    // Every correction of the year, with its audit trail.
    let id = &a.roster.subjects[r.subject].id;
    for c in a.corrections.iter().filter(|c| &c.subject == id) {
        let what = match &c.change {
            crate::core::correction::Change::Grade(g) => a.scheme.grades.levels[*g].name.clone(),
            crate::core::correction::Change::Value { indicator, value, .. } => format!("{indicator} {value}"),
        };
        out.push(match lang {
            Lang::Zh => format!("复核：{what}；理由 {}，批准 {}，{}", c.reason, c.approved_by, c.date),
            Lang::En => format!("correction: {what}; reason {}, approved by {}, {}", c.reason, c.approved_by, c.date),
        });
    }
    out
}

pub fn outcome_text(a: &Annual, t: &crate::core::annual::Then, lang: Lang) -> String {
    let levels = &a.scheme.grades.levels;
    let zh = lang == Lang::Zh;
    match Constraint::of(t) {
        Constraint::Ungraded => a.rules.ungraded_name.clone(),
        Constraint::Force(g) => {
            if zh {
                format!("定为{}", levels[g].name)
            } else {
                format!("graded {}", levels[g].name)
            }
        }
        Constraint::Cap(g) => {
            if zh {
                format!("最高为{}", levels[g].name)
            } else {
                format!("at most {}", levels[g].name)
            }
        }
        Constraint::None => t.amount.map(|x| format!("{} 元", x.normalize())).unwrap_or_default(),
    }
}

/// A number as it is, or to 6 places with "≈" when longer (or never ending).
fn approx(x: impl AsExact) -> String {
    let x: Exact = x.as_exact();
    match x.to_decimal() {
        Some(d) if d.scale() <= 6 => d.to_string(),
        _ => format!("≈{}", x.round(6).normalize()),
    }
}

/// The annual derivation of one subject.
pub fn explain_text(a: &Annual, r: &AnnualResult, lang: Lang) -> String {
    let zh = lang == Lang::Zh;
    let dp = a.scheme.precision;
    let subj = &a.roster.subjects[r.subject];
    let mut out = format!("{} {} · {} · {}\n\n", subj.id, subj.name, a.year, a.scheme.name);
    for q in &r.quarters {
        out.push_str(&format!(
            "  {} {} {}{}\n",
            q.period,
            show(q.score, dp),
            q.grade,
            if q.complete {
                ""
            } else if zh {
                "待补（数据不完整，不计）"
            } else {
                "incomplete (not counted)"
            }
        ));
    }
    let missing: Vec<&String> =
        a.periods.iter().filter(|p| !r.quarters.iter().any(|q| &q.period == *p && q.complete)).collect();
    if !missing.is_empty() {
        let m: Vec<String> = missing.iter().map(|s| (*s).clone()).collect();
        out.push_str(&if zh {
            format!("  缺：{}\n", m.join("、"))
        } else {
            format!("  missing: {}\n", m.join(", "))
        });
    }
    let w = &a.rules;
    match (&r.quarter_mean, &r.year_end) {
        (Some(q), Some(y)) if w.year_end_weight > Decimal::ZERO => out.push_str(&format!(
            "{} = ({} × {} + {} × {}) / 100 = {}\n",
            if zh { "年度得分" } else { "annual score" },
            approx(q),
            w.quarter_weight.normalize(),
            approx(y),
            w.year_end_weight.normalize(),
            r.exact.as_ref().map_or_else(String::new, |e| show(e, dp))
        )),
        (Some(q), _) => out.push_str(&format!(
            "{} = {}\n",
            if zh { "年度得分 = 季度平均" } else { "annual score = quarterly mean" },
            show(q, dp)
        )),
        _ => out.push_str(if zh { "无法计算年度得分\n" } else { "no annual score\n" }),
    }
    for e in evidence(a, r, lang) {
        out.push_str(&format!("· {e}\n"));
    }
    let reason = match &r.grade_reason {
        GradeReason::Threshold => if zh { "按得分" } else { "by score" }.to_owned(),
        GradeReason::Quota { from } => {
            if zh {
                format!("{}名额已满", a.scheme.grades.levels[*from].name)
            } else {
                format!("{} quota full", a.scheme.grades.levels[*from].name)
            }
        }
        GradeReason::Veto => if zh { "受规则限制" } else { "capped by a rule" }.to_owned(),
        GradeReason::Decision => if zh { "由规则确定" } else { "set by a rule" }.to_owned(),
        GradeReason::Undecided { .. } => if zh { "同分待定" } else { "tie undecided" }.to_owned(),
        GradeReason::Incomplete => if zh { "数据不完整" } else { "data incomplete" }.to_owned(),
    };
    let reason = if r.grade.is_none() { String::new() } else { format!("（{reason}）") };
    out.push_str(&format!("{}{}{reason}\n", if zh { "年度等次：" } else { "annual grade: " }, grade_text(a, r)));
    if a.rules.funding.is_some() {
        out.push_str(&if zh {
            format!(
                "分配金额 {:.2} 元（本期拨付 {:.2}，暂停 {:.2}）；奖励 {:.2} 元\n",
                r.share, r.paid, r.suspended, r.award
            )
        } else {
            format!("share {:.2} (paid {:.2}, suspended {:.2}); awards {:.2}\n", r.share, r.paid, r.suspended, r.award)
        });
    }
    out
}

//! `perf annual`: the three-link mechanism over a year — annual scores and grades from the
//! quarters (and a year-end assessment), link rules with their evidence, awards and the
//! funding pool split to the fen; the history file kept up to date.
//!
//! CSV/JSON columns (stable): `subject,name,unit,annual_score,grade,flags,amount,quarters,
//! quarter_mean,year_end,award,paid,suspended,person_quota,factor,evidence`.

use crate::cmd::score::{ScoreInputs, read_all, score_period};
use crate::core::annual::{AnnualRules, Constraint};
use crate::core::annual_result::{AnnualInput, AnnualResult, HistoryRow, QuarterResult, UnitResult, assess};
use crate::core::exact::{AsExact, Exact};
use crate::core::scheme::{PeriodKind, Scheme};
use crate::core::score::engine::{Flag, GradeReason, SubjectScore, show};
use crate::io::output::OutputFile;
use crate::io::workspace::Workspace;
use crate::{Exit, Lang, tr};
use anyhow::{Context as _, Result, bail};
use comfy_table::{Table, presets};
use rust_decimal::Decimal;
use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::str::FromStr;

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Table,
    Csv,
    Json,
}

#[derive(Debug, clap::Args)]
pub struct Args {
    /// 工作区（默认当前文件夹）。Workspace.
    pub workspace: Option<PathBuf>,
    /// 年度考核方案（默认工作区的 annual）。The annual scheme.
    #[arg(long)]
    pub scheme: Option<PathBuf>,
    /// 名册（默认取工作区）。
    #[arg(long)]
    pub roster: Option<PathBuf>,
    /// 各季度的 perf score 结果（CSV）；省略时对工作区数据逐季计分。Quarterly results.
    #[arg(long, num_args = 1..)]
    pub quarters: Vec<PathBuf>,
    /// 年终考核的评分数据（用年度方案计分）。Year-end assessment inputs.
    #[arg(long = "year-end", num_args = 1..)]
    pub year_end: Vec<PathBuf>,
    /// 历年结果文件（year,subject,grade,score,sanctions）。History file.
    #[arg(long)]
    pub history: Option<PathBuf>,
    /// 年度，如 2026（默认取工作区考核期的年份）。
    #[arg(long)]
    pub year: Option<i32>,
    /// 单位年度结果（单位的 perf annual 输出），个人“优秀”名额取其 person_quota。Unit results.
    #[arg(long)]
    pub unit_results: Option<PathBuf>,
    #[arg(long, value_enum, default_value = "table")]
    pub format: Format,
    /// 写入文件（.csv、.json 按扩展名）。
    #[arg(long, short = 'o')]
    pub output: Option<PathBuf>,
    /// 写出含“结果运用”工作表的 Excel。
    #[arg(long)]
    pub report: Option<PathBuf>,
    /// 把今年的结果追加到历史文件。Append this year to the history file.
    #[arg(long)]
    pub update_history: bool,
    /// 与 --update-history 一起：替换历史文件中已有的该年记录。
    #[arg(long, requires = "update_history")]
    pub replace: bool,
    /// 只输出这个对象的年度推导过程。Explain one subject.
    #[arg(long)]
    pub explain: Option<String>,
}

/// A finished annual run.
pub struct Annual {
    pub scheme: Scheme,
    pub rules: AnnualRules,
    pub roster: crate::core::roster::Roster,
    pub year: i32,
    pub periods: Vec<String>,
    pub results: Vec<AnnualResult>,
    pub history_path: Option<PathBuf>,
}

fn read_csv(path: &Path) -> Result<(Vec<String>, Vec<csv::StringRecord>)> {
    let bytes = crate::io::read_whole(path, crate::io::MAX_SIDE_FILE_BYTES, ("文件", "file"))?;
    let text = crate::io::text::decode(&bytes).map_err(|_| anyhow::anyhow!("{}: not text", path.display()))?.0;
    let mut r = csv::ReaderBuilder::new().flexible(true).from_reader(text.as_bytes());
    let headers: Vec<String> = r.headers()?.iter().map(|h| h.trim().to_lowercase()).collect();
    // perf's own CSV outputs guard text against formula injection: read it back as written.
    let rows = r
        .records()
        .map(|x| x.map(|rec| rec.iter().map(crate::io::csv_unsafe).collect::<csv::StringRecord>()))
        .collect::<std::result::Result<Vec<_>, _>>()?;
    Ok((headers, rows))
}

fn col(headers: &[String], names: &[&str], path: &Path) -> Result<usize> {
    headers.iter().position(|h| names.contains(&h.as_str())).ok_or_else(|| {
        anyhow::anyhow!(tr(
            &format!("{} 缺少列 {}", path.display(), names[0]),
            &format!("{} has no column {}", path.display(), names[0])
        ))
    })
}

/// subject id → its quarterly results.
type QuarterMap = HashMap<String, Vec<QuarterResult>>;

/// Quarterly results from `perf score` CSV files, and the periods they cover.
fn read_quarters(paths: &[PathBuf]) -> Result<(QuarterMap, Vec<String>)> {
    let mut out: HashMap<String, Vec<QuarterResult>> = HashMap::new();
    let mut periods = Vec::new();
    for path in paths {
        let (h, rows) = read_csv(path)?;
        let (p, s, sc, g) = (
            col(&h, &["period"], path)?,
            col(&h, &["subject"], path)?,
            col(&h, &["score"], path)?,
            col(&h, &["grade"], path)?,
        );
        let veto = h.iter().position(|x| x == "veto");
        let complete = h.iter().position(|x| x == "complete");
        for (k, r) in rows.iter().enumerate() {
            let get = |c: usize| r.get(c).unwrap_or("").trim().to_owned();
            let score = Decimal::from_str(&get(sc))
                .with_context(|| format!("{}:{}: score `{}`", path.display(), k + 2, get(sc)))?;
            if !periods.contains(&get(p)) {
                periods.push(get(p));
            }
            out.entry(get(s)).or_default().push(QuarterResult {
                period: get(p),
                score,
                grade: get(g),
                vetoed: veto.is_some_and(|v| !get(v).is_empty()),
                complete: complete.is_none_or(|c| get(c) == "true"),
            });
        }
    }
    periods.sort();
    Ok((out, periods))
}

/// The history file (missing file = no history).
pub fn read_history(path: &Path) -> Result<Vec<HistoryRow>> {
    if !path.exists() {
        return Ok(Vec::new());
    }
    let (h, rows) = read_csv(path)?;
    let (y, s, g) =
        (col(&h, &["year", "年度"], path)?, col(&h, &["subject", "编号"], path)?, col(&h, &["grade", "等次"], path)?);
    let sc = h.iter().position(|x| x == "score" || x == "得分");
    let sa = h.iter().position(|x| x == "sanctions" || x == "处分");
    rows.iter()
        .enumerate()
        .map(|(k, r)| {
            let get = |c: usize| r.get(c).unwrap_or("").trim().to_owned();
            Ok(HistoryRow {
                year: get(y).parse().with_context(|| format!("{}:{}: year `{}`", path.display(), k + 2, get(y)))?,
                subject: get(s),
                grade: get(g),
                score: sc.and_then(|c| Decimal::from_str(&get(c)).ok()),
                sanctions: sa
                    .map(|c| {
                        get(c)
                            .split([';', '；', '、'])
                            .map(str::trim)
                            .filter(|x| !x.is_empty())
                            .map(str::to_owned)
                            .collect()
                    })
                    .unwrap_or_default(),
            })
        })
        .collect()
}

fn read_units(path: &Path) -> Result<HashMap<String, UnitResult>> {
    let (h, rows) = read_csv(path)?;
    let (s, g) = (col(&h, &["subject"], path)?, col(&h, &["grade"], path)?);
    let q = h.iter().position(|x| x == "person_quota");
    Ok(rows
        .iter()
        .map(|r| {
            let get = |c: usize| r.get(c).unwrap_or("").trim().to_owned();
            (get(s), UnitResult { grade: get(g), person_quota: q.and_then(|c| Decimal::from_str(&get(c)).ok()) })
        })
        .collect())
}

/// The periods of a year for a scheme's period kind.
fn periods_of(year: i32, kind: PeriodKind) -> Vec<String> {
    match kind {
        PeriodKind::Quarter => (1..=4).map(|q| format!("{year}Q{q}")).collect(),
        PeriodKind::Month => (1..=12).map(|m| format!("{year}M{m:02}")).collect(),
        PeriodKind::Half => (1..=2).map(|h| format!("{year}H{h}")).collect(),
        PeriodKind::Year => vec![year.to_string()],
    }
}

fn quarter_rows(
    scheme: &Scheme,
    roster: &crate::core::roster::Roster,
    period: &str,
    results: &[SubjectScore],
) -> Vec<(String, QuarterResult)> {
    results
        .iter()
        .map(|r| {
            let vetoed = r.flags.iter().any(|f| matches!(f, Flag::Vetoed { .. }));
            (
                roster.subjects[r.subject].id.clone(),
                QuarterResult {
                    period: period.to_owned(),
                    score: r.score,
                    grade: r.grade.map_or_else(String::new, |g| scheme.grades.levels[g].name.clone()),
                    vetoed,
                    complete: r.complete,
                },
            )
        })
        .collect()
}

/// Run the annual assessment.
pub fn run_annual(args: &Args, lang_flag: Option<Lang>) -> Result<std::result::Result<Annual, Exit>> {
    let ws: Option<Workspace> = match &args.workspace {
        Some(d) => Some(crate::io::workspace::load_dir(d)?),
        None => crate::io::workspace::load_dir(Path::new(".")).ok(),
    };
    if lang_flag.is_none()
        && let Some(l) = ws.as_ref().and_then(|w| w.doc.lang)
    {
        crate::set_lang(l);
    }
    let lang = crate::lang();
    let annual_path = args.scheme.clone().or_else(|| ws.as_ref().and_then(Workspace::annual)).ok_or_else(|| {
        anyhow::anyhow!(tr(
            "没有年度考核方案：用 --scheme 指定或在 perf.toml 中写 annual",
            "no annual scheme: pass --scheme or set annual in perf.toml"
        ))
    })?;
    let roster_path = args
        .roster
        .clone()
        .or_else(|| ws.as_ref().and_then(Workspace::roster))
        .ok_or_else(|| anyhow::anyhow!(tr("没有名册", "no roster")))?;
    let year = match (args.year, ws.as_ref().and_then(|w| w.doc.period.clone())) {
        (Some(y), _) => y,
        (None, Some(p)) => p.get(..4).and_then(|y| y.parse().ok()).ok_or_else(|| anyhow::anyhow!("period {p}"))?,
        (None, None) => bail!(tr("请用 --year 指定年度", "pass --year")),
    };

    // Quarterly results: given, or scored from the workspace.
    let (quarters, periods) = if args.quarters.is_empty() {
        let Some(w) = &ws else {
            bail!(tr("请用 --quarters 给出季度结果，或在工作区中运行", "pass --quarters or run in a workspace"))
        };
        let inputs = ScoreInputs {
            paths: vec![w.dir.clone()],
            scheme: None,
            roster: args.roster.clone(),
            period: None,
            rater: None,
            decide: None,
            read: Default::default(),
        };
        let all = match read_all(&inputs, lang_flag, None)? {
            Ok(a) => a,
            Err(exit) => return Ok(Err(exit)),
        };
        let mut map: HashMap<String, Vec<QuarterResult>> = HashMap::new();
        let periods = periods_of(year, all.scheme.period);
        for p in &periods {
            if let Some(agg) = all.periods.get(p) {
                let (results, _) = score_period(&all, agg);
                for (id, q) in quarter_rows(&all.scheme, &all.roster, p, &results) {
                    map.entry(id).or_default().push(q);
                }
            }
        }
        (map, periods)
    } else {
        read_quarters(&args.quarters)?
    };

    // The annual scheme, and the year-end assessment scored with it.
    let year_end_paths = if args.year_end.is_empty() {
        ws.as_ref().map(Workspace::year_end).unwrap_or_default()
    } else {
        args.year_end.clone()
    };
    let (scheme, roster, year_end) = {
        let inputs = ScoreInputs {
            paths: year_end_paths.clone(),
            scheme: Some(annual_path.clone()),
            roster: Some(roster_path.clone()),
            period: Some(year.to_string()),
            rater: None,
            decide: None,
            read: Default::default(),
        };
        if year_end_paths.is_empty() {
            let (scheme, roster) = match crate::cmd::common::load_inputs(&annual_path, &roster_path, lang)? {
                Ok(x) => x,
                Err(exit) => return Ok(Err(exit)),
            };
            (scheme, roster, None)
        } else {
            let mut all = match read_all(&inputs, lang_flag, None)? {
                Ok(a) => a,
                Err(exit) => return Ok(Err(exit)),
            };
            let agg = all.periods.remove(&year.to_string()).unwrap_or_default();
            let (results, issues) = score_period(&all, &agg);
            crate::cmd::score::print_issues(&all.issues, lang);
            crate::cmd::score::print_issues(&issues, lang);
            (all.scheme, all.roster, Some(results))
        }
    };
    let Some(rules) = scheme.annual.clone() else {
        bail!(tr(
            &format!("{} 没有 [annual] 设置，不是年度考核方案", annual_path.display()),
            &format!("{} has no [annual] section", annual_path.display())
        ));
    };
    if rules.year_end_weight > Decimal::ZERO && year_end.is_none() {
        bail!(tr(
            "年度方案中年终考核占比大于 0，但没有年终考核数据（--year-end 或 perf.toml 的 year_end）",
            "the annual scheme weights a year-end assessment but no year-end inputs were given"
        ));
    }
    let history_path = args.history.clone().or_else(|| ws.as_ref().and_then(Workspace::history));
    let history = match &history_path {
        Some(p) => read_history(p)?,
        None => Vec::new(),
    };
    let units = match &args.unit_results {
        Some(p) => read_units(p)?,
        None => HashMap::new(),
    };
    let input = AnnualInput {
        scheme: &scheme,
        rules: &rules,
        roster: &roster,
        year,
        periods: &periods,
        quarters: &quarters,
        year_end: year_end.as_deref(),
        history: &history,
        units: &units,
    };
    let results = assess(&input);
    Ok(Ok(Annual { scheme, rules, roster, year, periods, results, history_path }))
}

fn grade_text(a: &Annual, r: &AnnualResult) -> String {
    r.grade.map_or_else(|| a.rules.ungraded_name.clone(), |g| a.scheme.grades.levels[g].name.clone())
}

fn flags(a: &Annual, r: &AnnualResult) -> Vec<String> {
    r.fired
        .iter()
        .map(|(k, _)| {
            let l = &a.rules.links[*k];
            l.then.flag.clone().unwrap_or_else(|| l.name.clone())
        })
        .collect()
}

fn evidence(a: &Annual, r: &AnnualResult, lang: Lang) -> Vec<String> {
    r.fired
        .iter()
        .map(|(k, ev)| {
            let l = &a.rules.links[*k];
            let ev: Vec<String> = ev.iter().map(|e| e.text(lang)).collect();
            format!(
                "{}：{} → {}",
                l.name,
                ev.join("；"),
                l.then.flag.clone().unwrap_or_else(|| outcome_text(a, &l.then, lang))
            )
        })
        .collect()
}

fn outcome_text(a: &Annual, t: &crate::core::annual::Then, lang: Lang) -> String {
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

fn table_text(a: &Annual, lang: Lang) -> String {
    let zh = lang == Lang::Zh;
    let mut t = Table::new();
    t.load_style(presets::UTF8_FULL_CONDENSED);
    t.set_header(if zh {
        vec!["编号", "姓名/名称", "单位", "季度等次", "年度得分", "等次", "结果运用", "金额"]
    } else {
        vec!["ID", "Name", "Unit", "Quarters", "Score", "Grade", "Outcomes", "Amount"]
    });
    for r in &a.results {
        let v = row(a, r, lang);
        let quarters: Vec<String> =
            r.quarters.iter().map(|q| if q.complete { q.grade.clone() } else { "-".into() }).collect();
        t.add_row(vec![
            v[0].clone(),
            v[1].clone(),
            v[2].clone(),
            quarters.join(" "),
            v[3].clone(),
            v[4].clone(),
            v[5].clone(),
            v[6].clone(),
        ]);
    }
    let mut out = format!("{} · {}\n{t}\n", a.scheme.name, a.year);
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
    let a = match run_annual(args, lang_flag)? {
        Ok(a) => a,
        Err(exit) => return Ok(exit),
    };
    let lang = crate::lang();
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
    let format = match args.output.as_ref().and_then(|p| p.extension()).and_then(|e| e.to_str()) {
        Some("csv") => Format::Csv,
        Some("json") => Format::Json,
        _ => args.format,
    };
    let text = match format {
        Format::Table => table_text(&a, lang),
        Format::Csv => csv_text(&a, lang)?,
        Format::Json => json_text(&a, lang)?,
    };
    match &args.output {
        Some(path) => {
            let mut f = OutputFile::create(path)?;
            f.write_all(text.as_bytes())?;
            f.commit()?;
        }
        None => std::io::stdout().lock().write_all(text.as_bytes())?,
    }
    if let Some(path) = &args.report {
        let rows: Vec<Vec<String>> = a.results.iter().map(|r| row(&a, r, lang)).collect();
        let bytes = crate::io::report::build_annual(&a.scheme.name, a.year, &COLUMNS, &rows, lang)?;
        let mut f = OutputFile::create(path)?;
        f.write_all(&bytes)?;
        f.commit()?;
    }
    if args.update_history {
        update_history(&a, args.replace)?;
        crate::say!("{}", tr("已更新历史文件。", "history updated."));
    }
    Ok(Exit::Ok)
}

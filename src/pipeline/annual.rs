//! The annual half of the pipeline: the quarters (scored from the workspace or read from
//! `perf score` CSVs), the year-end assessment scored with the annual scheme, history and
//! unit results → `core::annual_result::assess`.

use crate::core::annual::AnnualRules;
use crate::core::annual_result::{AnnualInput, AnnualResult, HistoryRow, QuarterResult, UnitResult, assess};
use crate::core::diag::Severity;
use crate::core::import::ledger::{Issue, Location};
use crate::core::msg::Msg;
use crate::core::roster::Roster;
use crate::core::scheme::{PeriodKind, Scheme};
use crate::core::score::engine::{Flag, SubjectScore};
use crate::io::workspace::Workspace;
use crate::pipeline::read::{print_issues, read_side_csv, shown_path};
use crate::pipeline::{ScoreInputs, read_all, score_period};
use crate::{Exit, Lang, tr};
use anyhow::{Context as _, Result, bail};
use rust_decimal::Decimal;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::str::FromStr;

/// Where the year's inputs are (shared by `perf annual` and `perf explain --annual`).
#[derive(Debug, Clone, Default, clap::Args)]
pub struct AnnualInputs {
    /// 工作区（默认当前文件夹或其上级中含 perf.toml 的文件夹）。Workspace.
    pub workspace: Option<PathBuf>,
    /// 工作区，同上（与其他命令一致的写法）。Workspace, as the other commands take it.
    #[arg(long = "workspace", short = 'w', conflicts_with = "workspace")]
    pub workspace_flag: Option<PathBuf>,
    /// 年度考核方案（默认工作区的 annual）。The annual scheme.
    #[arg(long)]
    pub scheme: Option<PathBuf>,
    /// 名册（默认取工作区）。Roster file.
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
    /// 年度，如 2026（默认取工作区考核期的年份）。Year.
    #[arg(long)]
    pub year: Option<i32>,
    /// 单位年度结果（单位的 perf annual 输出），个人“优秀”名额取其 person_quota。Unit results.
    #[arg(long)]
    pub unit_results: Option<PathBuf>,
    /// 同分跨名额线的裁定文件（CSV：subject,grade,reason）。 等次用年度方案的等次名。 Decisions for ties.
    #[arg(long)]
    pub decide: Option<PathBuf>,
    /// 已公布的季度也按今天的方案和数据重新计分。 默认使用公布的结果。 Re-score published periods.
    #[arg(long)]
    pub rescore: bool,
}

/// A published period whose results today's scheme or data would change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Drift {
    pub period: String,
    /// The published results file.
    pub published: PathBuf,
    /// Subjects whose score or grade would differ if scored today.
    pub changed: Vec<String>,
    /// Files whose content differs from the publication's record (scheme, roster, inputs).
    pub files: Vec<String>,
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
    /// Issues met while scoring the year-end assessment (to be printed by the command).
    pub issues: Vec<Issue>,
    /// The year's corrections (复核): grades set by them, with their audit trail.
    pub corrections: Vec<crate::core::correction::Correction>,
    /// Periods taken from their publication (`published/`), and those that would change today.
    pub published: Vec<String>,
    pub drift: Vec<Drift>,
    /// Every file the year was read from (schemes, rosters, data, published results,
    /// history, decisions, corrections), each once, in the order read.
    pub inputs: Vec<PathBuf>,
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
        let (h, rows) = read_side_csv(path, ("季度结果", "quarterly results"))?;
        let (p, s, sc, g) = (
            col(&h, &["period"], path)?,
            col(&h, &["subject"], path)?,
            col(&h, &["score"], path)?,
            col(&h, &["grade"], path)?,
        );
        let veto = h.iter().position(|x| x == "veto");
        let complete = h.iter().position(|x| x == "complete");
        for (line, r) in &rows {
            let line = *line;
            let get = |c: usize| r.get(c).unwrap_or("").trim().to_owned();
            let score = Decimal::from_str(&get(sc)).with_context(|| {
                tr(
                    &format!("{}:{line}: 得分 `{}` 不是数字", path.display(), get(sc)),
                    &format!("{}:{line}: score `{}` is not a number", path.display(), get(sc)),
                )
            })?;
            if !periods.contains(&get(p)) {
                periods.push(get(p));
            }
            let origin = Location { file: shown_path(path), row: Some(line), column: Some(g), ..Location::default() };
            out.entry(get(s)).or_default().push(QuarterResult {
                origin: Some(origin),
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

/// Check the words of the year's files against the annual scheme, replacing aliases by their
/// words: sanctions in the roster and the history must be in the scheme's list (declared or
/// named by a rule); history grades must be annual grades (or 不定等次) with one row per year
/// and person; quarterly grades must be in `quarter_grades`. A word perf does not know is
/// an error — a sanction ignored would give a wrong grade.
#[allow(clippy::too_many_arguments)]
fn check_words(
    rules: &AnnualRules,
    scheme: &Scheme,
    roster: &mut Roster,
    roster_path: &Path,
    history: &mut [HistoryRow],
    history_path: Option<&Path>,
    quarters: &QuarterMap,
    annual_path: &Path,
) -> Vec<Issue> {
    let mut issues = Vec::new();
    let mut error = |msg: Msg, location: Location, value: &str| {
        issues.push(Issue { severity: Severity::Error, msg, location, value: value.to_owned() });
    };
    let word = |w: &str| -> Result<String, Option<String>> {
        let w = w.trim();
        if rules.sanctions.iter().any(|x| x == w) {
            return Ok(w.to_owned());
        }
        if let Some(to) = rules.sanction_aliases.get(w) {
            return Ok(to.clone());
        }
        let known = rules.sanctions.iter().map(String::as_str).chain(rules.sanction_aliases.keys().map(String::as_str));
        Err(crate::core::suggest::closest(w, known))
    };
    let roster_file = shown_path(roster_path);
    for s in &mut roster.subjects {
        let mut kept = Vec::new();
        for w in &s.sanctions {
            match word(w) {
                Ok(w) => kept.push(w),
                Err(suggestion) => {
                    let location = Location {
                        file: roster_file.clone(),
                        row: Some(s.line),
                        column: roster.sanctions_column.map(|c| c - 1),
                        ..Location::default()
                    };
                    error(Msg::UnknownSanction { word: w.clone(), suggestion }, location, w);
                }
            }
        }
        s.sanctions = kept;
    }
    let history_file = history_path.map(shown_path).unwrap_or_default();
    let mut seen: HashMap<(i32, String), usize> = HashMap::new();
    let levels: Vec<&str> = scheme.grades.levels.iter().map(|l| l.name.as_str()).collect();
    for h in history.iter_mut() {
        let at = Location { file: history_file.clone(), row: Some(h.line), ..Location::default() };
        if let Some(&first_line) = seen.get(&(h.year, h.subject.clone())) {
            error(Msg::DuplicateHistoryRow { year: h.year, subject: h.subject.clone(), first_line }, at.clone(), "");
        } else {
            seen.insert((h.year, h.subject.clone()), h.line);
        }
        if !levels.contains(&h.grade.as_str()) && h.grade != rules.ungraded_name {
            let names = levels.iter().copied().chain([rules.ungraded_name.as_str()]);
            let msg = Msg::UnknownGrade {
                grade: h.grade.clone(),
                suggestion: crate::core::suggest::closest(&h.grade, names),
            };
            error(msg, at.clone(), &h.grade);
        }
        let mut kept = Vec::new();
        for w in &h.sanctions {
            match word(w) {
                Ok(w) => kept.push(w),
                Err(suggestion) => error(Msg::UnknownSanction { word: w.clone(), suggestion }, at.clone(), w),
            }
        }
        h.sanctions = kept;
    }
    if !rules.quarter_grades.is_empty() {
        let mut reported: Vec<&str> = Vec::new();
        let mut list: Vec<(&String, &QuarterResult)> =
            quarters.iter().flat_map(|(id, qs)| qs.iter().map(move |q| (id, q))).collect();
        list.sort_by(|a, b| (a.1.period.as_str(), a.0).cmp(&(b.1.period.as_str(), b.0)));
        for (_, q) in list {
            if q.grade.is_empty() || rules.quarter_grades.contains(&q.grade) {
                continue;
            }
            let msg = Msg::UnknownQuarterGrade { grade: q.grade.clone(), expected: rules.quarter_grades.clone() };
            match &q.origin {
                Some(at) => error(msg, at.clone(), &q.grade),
                // Scored here: the quarterly scheme's grade names disagree with the annual scheme.
                None if !reported.contains(&q.grade.as_str()) => {
                    reported.push(&q.grade);
                    let at = Location { file: shown_path(annual_path), ..Location::default() };
                    error(msg, at, &q.grade);
                }
                None => {}
            }
        }
    }
    issues
}

/// The files of a publication's record whose content is not what it was (or that are gone),
/// and data files read today that the publication did not use.
fn changed_files(workspace: &Path, record: &Path, today: &[PathBuf]) -> Result<Vec<String>> {
    let Ok(manifest) = crate::io::published::read_manifest(record) else {
        return Ok(vec![shown_path(record)]);
    };
    let mut out = Vec::new();
    let recorded: Vec<&crate::io::published::FileRef> =
        [&manifest.scheme, &manifest.roster].into_iter().chain(&manifest.inputs).collect();
    for f in &recorded {
        let now = crate::io::sha256_file(&crate::io::published::resolve(workspace, &f.path)).ok().map(|(h, _)| h);
        if now.as_deref() != Some(f.sha256.as_str()) {
            out.push(f.path.clone());
        }
    }
    for f in today {
        let rel = crate::io::published::relative(workspace, f);
        if !recorded.iter().any(|r| r.path == rel) {
            out.push(rel);
        }
    }
    Ok(out)
}

/// The words of a workspace's roster and history checked against its annual scheme (for
/// `perf validate`); nothing when the workspace has no annual scheme or it does not load.
pub fn check_workspace_words(ws: &Workspace) -> Result<Vec<Issue>> {
    let (Some(annual_path), Some(roster_path)) = (ws.annual(), ws.roster()) else { return Ok(Vec::new()) };
    // The annual scheme itself is validated on its own (perf validate annual.toml): here only
    // the words of the files, when both load.
    if !annual_path.is_file() || !roster_path.is_file() {
        return Ok(Vec::new());
    }
    let Some(scheme) = crate::io::scheme_file::load(&annual_path)?.checked.and_then(|c| c.scheme) else {
        return Ok(Vec::new());
    };
    let Ok(mut roster) = crate::io::roster::load(&roster_path)? else { return Ok(Vec::new()) };
    let Some(rules) = scheme.annual.clone() else { return Ok(Vec::new()) };
    let history_path = ws.history();
    let mut history = match &history_path {
        Some(p) => read_history(p)?,
        None => Vec::new(),
    };
    Ok(check_words(
        &rules,
        &scheme,
        &mut roster,
        &roster_path,
        &mut history,
        history_path.as_deref(),
        &HashMap::new(),
        &annual_path,
    ))
}

/// The history file (missing file = no history).
pub fn read_history(path: &Path) -> Result<Vec<HistoryRow>> {
    if !path.exists() {
        return Ok(Vec::new());
    }
    let (h, rows) = read_side_csv(path, ("历史文件", "history file"))?;
    let (y, s, g) =
        (col(&h, &["year", "年度"], path)?, col(&h, &["subject", "编号"], path)?, col(&h, &["grade", "等次"], path)?);
    let sc = h.iter().position(|x| x == "score" || x == "得分");
    let sa = h.iter().position(|x| x == "sanctions" || x == "处分");
    rows.iter()
        .map(|(line, r)| {
            let get = |c: usize| r.get(c).unwrap_or("").trim().to_owned();
            Ok(HistoryRow {
                line: *line,
                year: get(y).parse().with_context(|| {
                    tr(
                        &format!("{}:{line}: 年度 `{}` 不是年份", path.display(), get(y)),
                        &format!("{}:{line}: year `{}` is not a year", path.display(), get(y)),
                    )
                })?,
                subject: get(s),
                grade: get(g),
                // An empty score is none; anything else must be a number (never dropped).
                score: match sc.map(get).filter(|v| !v.is_empty()) {
                    Some(v) => Some(Decimal::from_str(&v).with_context(|| {
                        tr(
                            &format!("{}:{line}: 得分 `{v}` 不是数字", path.display()),
                            &format!("{}:{line}: score `{v}` is not a number", path.display()),
                        )
                    })?),
                    None => None,
                },
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
    let (h, rows) = read_side_csv(path, ("单位结果", "unit results"))?;
    let (s, g) = (col(&h, &["subject"], path)?, col(&h, &["grade"], path)?);
    let q = h.iter().position(|x| x == "person_quota");
    Ok(rows
        .iter()
        .map(|(_, r)| {
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
                    origin: None,
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
pub fn run_annual(args: &AnnualInputs, lang_flag: Option<Lang>) -> Result<std::result::Result<Annual, Exit>> {
    let ws: Option<Workspace> = match args.workspace.as_ref().or(args.workspace_flag.as_ref()) {
        Some(d) => {
            crate::io::workspace::check_exists(std::slice::from_ref(d))?;
            Some(crate::io::workspace::load_dir(d)?)
        }
        None => crate::io::workspace::load_dir(&crate::io::workspace::current()).ok(),
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

    // Quarterly results: given, or scored from the workspace (published periods as published).
    let (mut published, mut drift) = (Vec::new(), Vec::new());
    let mut read_files: Vec<PathBuf> = Vec::new();
    let mut quarter_issues: Vec<Issue> = Vec::new();
    let (quarters, periods) = if args.quarters.is_empty() {
        let Some(w) = &ws else {
            bail!(tr("请用 --quarters 给出季度结果，或在工作区中运行", "pass --quarters or run in a workspace"))
        };
        // Each period with its own scheme (perf.toml period_schemes): one read per scheme.
        let mut reads: Vec<(PathBuf, super::ReadAll)> = Vec::new();
        let read_with =
            |reads: &mut Vec<(PathBuf, super::ReadAll)>, scheme: PathBuf| -> Result<std::result::Result<usize, Exit>> {
                if let Some(k) = reads.iter().position(|(s, _)| *s == scheme) {
                    return Ok(Ok(k));
                }
                let inputs = ScoreInputs {
                    paths: vec![w.dir.clone()],
                    scheme: Some(scheme.clone()),
                    roster: args.roster.clone(),
                    period: None,
                    rater: None,
                    decide: None,
                    corrections: None,
                    roster_events: None,
                    read: Default::default(),
                    lean: false,
                    trend: false,
                    workspace: None,
                };
                match read_all(&inputs, lang_flag, None)? {
                    Ok(a) => {
                        reads.push((scheme, a));
                        Ok(Ok(reads.len() - 1))
                    }
                    Err(exit) => Ok(Err(exit)),
                }
            };
        let first = match read_with(&mut reads, w.scheme())? {
            Ok(k) => k,
            Err(exit) => return Ok(Err(exit)),
        };
        let periods = periods_of(year, reads[first].1.scheme.period);
        let mut map: HashMap<String, Vec<QuarterResult>> = HashMap::new();
        for p in &periods {
            let k = match read_with(&mut reads, w.scheme_for(Some(p)))? {
                Ok(k) => k,
                Err(exit) => return Ok(Err(exit)),
            };
            let all = &reads[k].1;
            let today: Vec<(String, QuarterResult)> = match all.periods.get(p) {
                Some(agg) => {
                    // The quarter's own problems are the year's too: shown, and exit 1 on errors.
                    let (results, issues) = score_period(all, p, agg);
                    quarter_issues.extend(issues);
                    quarter_rows(&all.scheme, &all.roster, p, &results)
                }
                None => Vec::new(),
            };
            let (csv, record) = crate::io::published::paths(&w.dir, p);
            if args.rescore || !csv.is_file() {
                for (id, q) in today {
                    map.entry(id).or_default().push(q);
                }
                continue;
            }
            // Published: its numbers stand; say what today's scheme and data would change.
            let (frozen, _) = read_quarters(std::slice::from_ref(&csv))?;
            let mut changed: Vec<String> = today
                .iter()
                .filter(|(id, q)| {
                    let was = frozen.get(id).and_then(|v| v.iter().find(|x| x.period == *p));
                    was.is_none_or(|x| x.score != q.score || x.grade != q.grade || x.complete != q.complete)
                })
                .map(|(id, _)| id.clone())
                .collect();
            let scored_today: std::collections::HashSet<&String> = today.iter().map(|(t, _)| t).collect();
            changed.extend(frozen.keys().filter(|id| !scored_today.contains(id)).cloned());
            changed.sort();
            changed.dedup();
            let files = changed_files(&w.dir, &record, &all.files)?;
            if !changed.is_empty() || !files.is_empty() {
                drift.push(Drift { period: p.clone(), published: csv.clone(), changed, files });
            }
            published.push(p.clone());
            read_files.push(csv.clone());
            for (id, qs) in frozen {
                map.entry(id).or_default().extend(qs);
            }
        }
        for (_, all) in &reads {
            quarter_issues.extend(all.issues.iter().cloned());
            read_files.extend(all.files.iter().cloned());
            read_files.extend(all.corrections_path.iter().cloned());
        }
        (map, periods)
    } else {
        read_files.extend(args.quarters.iter().cloned());
        read_quarters(&args.quarters)?
    };

    // The annual scheme, and the year-end assessment scored with it.
    let year_end_paths = if args.year_end.is_empty() {
        ws.as_ref().map(Workspace::year_end).unwrap_or_default()
    } else {
        args.year_end.clone()
    };
    let mut year_end_issues = quarter_issues;
    let (scheme, mut roster, year_end) = {
        let inputs = ScoreInputs {
            paths: year_end_paths.clone(),
            scheme: Some(annual_path.clone()),
            roster: Some(roster_path.clone()),
            period: Some(year.to_string()),
            rater: None,
            decide: None,
            // Corrections of year-end values (the period is the year) apply here too.
            corrections: ws.as_ref().and_then(Workspace::corrections),
            roster_events: ws.as_ref().and_then(Workspace::roster_events),
            read: Default::default(),
            lean: false,
            trend: false,
            workspace: None,
        };
        if year_end_paths.is_empty() {
            let (scheme, roster) = match crate::pipeline::read::load_inputs(&annual_path, &roster_path, lang)? {
                Ok(x) => x,
                Err(exit) => return Ok(Err(exit)),
            };
            // The roster as of the year's end (transfers, category changes) when events exist.
            let roster = match (
                ws.as_ref().and_then(Workspace::roster_events),
                crate::core::import::period::bounds(&year.to_string()),
            ) {
                (Some(path), Some((start, end))) => {
                    let (events, problems) = crate::pipeline::corrections::read_events(&path, &roster)?;
                    if !problems.is_empty() {
                        print_issues(&problems, lang);
                        return Ok(Err(Exit::Problems));
                    }
                    crate::core::roster::as_of(&roster, &events, &start, &end).0
                }
                _ => roster,
            };
            (scheme, roster, None)
        } else {
            let mut all = match read_all(&inputs, lang_flag, None)? {
                Ok(a) => a,
                Err(exit) => return Ok(Err(exit)),
            };
            let agg = all.periods.remove(&year.to_string()).unwrap_or_default();
            let (results, issues) = score_period(&all, &year.to_string(), &agg);
            let roster = all.roster_of(&year.to_string()).0.into_owned();
            read_files.extend(all.files.iter().cloned());
            year_end_issues.extend(all.issues);
            year_end_issues.extend(issues);
            (all.scheme, roster, Some(results))
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
    let mut history = match &history_path {
        Some(p) => read_history(p)?,
        None => Vec::new(),
    };
    let word_issues = check_words(
        &rules,
        &scheme,
        &mut roster,
        &roster_path,
        &mut history,
        history_path.as_deref(),
        &quarters,
        &annual_path,
    );
    // Someone scored this year who is no longer in the roster: said, not silently dropped.
    let mut gone: Vec<(&String, Vec<String>)> = quarters
        .iter()
        .filter(|(id, _)| !roster.subjects.iter().any(|s| &s.id == *id))
        .map(|(id, qs)| (id, qs.iter().map(|q| q.period.clone()).collect()))
        .collect();
    gone.sort();
    for (id, periods) in gone {
        let location = Location { file: shown_path(&roster_path), ..Location::default() };
        let msg = Msg::LeftRoster { id: id.clone(), periods };
        year_end_issues.push(Issue { severity: Severity::Warning, msg, location, value: id.clone() });
    }
    if !word_issues.is_empty() {
        // A word perf does not know could change a grade: nothing is assessed.
        print_issues(&year_end_issues, lang);
        print_issues(&word_issues, lang);
        return Ok(Err(Exit::Problems));
    }
    let units = match &args.unit_results {
        Some(p) => read_units(p)?,
        None => HashMap::new(),
    };
    let mut decisions = match &args.decide {
        Some(path) => match crate::pipeline::read_decisions(path, &scheme, &roster, lang)? {
            Ok(d) => d,
            Err(exit) => return Ok(Err(exit)),
        },
        None => Vec::new(),
    };
    // The year's grade corrections (复核) settle a grade like a decision, with their trail.
    let mut year_corrections = Vec::new();
    if let Some(path) = ws.as_ref().and_then(Workspace::corrections) {
        let (found, problems) = crate::pipeline::corrections::read(&path, &scheme, &roster)?;
        if !problems.is_empty() {
            print_issues(&problems, lang);
            return Ok(Err(Exit::Problems));
        }
        for c in found.into_iter().filter(|c| c.period == year.to_string()) {
            if let crate::core::correction::Change::Grade(g) = c.change
                && let Some(subject) = roster.subjects.iter().position(|s| s.id == c.subject)
                && !decisions.iter().any(|d| d.subject == subject)
            {
                decisions.push(crate::core::score::rank::Decision { subject, grade: g, reason: c.audit() });
            }
            year_corrections.push(c);
        }
    }
    let input = AnnualInput {
        decisions: &decisions,
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
    read_files.extend([annual_path, roster_path]);
    read_files.extend(history_path.iter().cloned());
    read_files.extend(args.unit_results.iter().cloned());
    read_files.extend(args.decide.iter().cloned());
    read_files.extend(ws.as_ref().and_then(Workspace::corrections));
    read_files.extend(ws.as_ref().and_then(Workspace::roster_events));
    // Each file once, however it was named.
    let mut seen = std::collections::HashSet::new();
    read_files.retain(|p| p.is_file() && seen.insert(std::fs::canonicalize(p).unwrap_or_else(|_| p.clone())));
    Ok(Ok(Annual {
        scheme,
        rules,
        roster,
        year,
        periods,
        results,
        history_path,
        issues: year_end_issues,
        corrections: year_corrections,
        published,
        drift,
        inputs: read_files,
    }))
}

//! `perf score`: score one period — from ledgers or from any file `perf import` reads (the
//! import runs in the same pass) — and print the ranked table, CSV or JSON.
//!
//! CSV/JSON columns (stable): `period,subject,name,category,score,rank,category_rank,grade,
//! veto,bonus,deduction,complete,flags`, then one column per top-level indicator (its code).

use crate::cmd::common::{
    Periods, ReadOptions, SheetSummary, expand, import_file, load_inputs, rater_index, shown_path,
};
use crate::core::diag::Severity;
use crate::core::import::ledger::{Entry, Importer, Issue, Location, Sink};
use crate::core::import::period::find_period;
use crate::core::msg::Msg;
use crate::core::roster::Roster;
use crate::core::scheme::Scheme;
use crate::core::score::aggregate::{Aggregator, UnknownPart};
use crate::core::score::engine::{Flag, SubjectScore, score_all, show};
use crate::core::score::rank::{Decision, rank_and_grade};
use crate::io::ledger::read_ledger;
use crate::io::output::OutputFile;
use crate::io::workspace::Workspace;
use crate::{Exit, Lang, tr};
use anyhow::{Result, bail};
use comfy_table::{Cell, CellAlignment, Table, presets};
use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// 表格（默认）
    Table,
    Csv,
    Json,
}

/// The inputs of a scoring run (shared with `perf explain`).
#[derive(Debug, Clone, clap::Args)]
pub struct ScoreInputs {
    /// 工作区文件夹和/或输入文件（台账或任何 perf import 能读的文件）。Workspace and inputs.
    pub paths: Vec<PathBuf>,
    /// 考核方案（默认取工作区）。
    #[arg(long)]
    pub scheme: Option<PathBuf>,
    /// 名册（默认取工作区）。
    #[arg(long)]
    pub roster: Option<PathBuf>,
    /// 考核期，如 2026Q1（默认取工作区；数据只有一个考核期时取它）。
    #[arg(long)]
    pub period: Option<String>,
    /// 宽表评价打分的评价主体。Rater of wide sheets.
    #[arg(long)]
    pub rater: Option<String>,
    /// 同分跨名额线的裁定文件（CSV：subject,grade,reason）。Decisions for ties at a quota line.
    #[arg(long)]
    pub decide: Option<PathBuf>,
    #[command(flatten)]
    pub read: ReadOptions,
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
}

/// A finished scoring run.
pub struct Scored {
    pub scheme: Scheme,
    pub roster: Roster,
    pub period: String,
    pub results: Vec<SubjectScore>,
    pub issues: Vec<Issue>,
    /// Raw entries of the subject being explained.
    pub explained: Vec<Entry>,
    pub summaries: Vec<SheetSummary>,
    /// The scheme, the roster and every data file read, in that order.
    pub files: Vec<PathBuf>,
}

/// Entries go to a per-period aggregator; issues are kept; one subject's raw entries too.
struct ScoreSink<'a> {
    scheme: &'a Scheme,
    roster: &'a Roster,
    periods: BTreeMap<String, Aggregator<'a>>,
    issues: Vec<Issue>,
    explain: Option<&'a str>,
    explained: Vec<Entry>,
}

impl Sink for ScoreSink<'_> {
    fn entry(&mut self, e: Entry) {
        if self.explain == Some(e.subject.as_str()) {
            self.explained.push(e.clone());
        }
        let (scheme, roster) = (self.scheme, self.roster);
        self.periods.entry(e.period.clone()).or_insert_with(|| Aggregator::new(scheme, roster, &e.period)).push(e);
    }

    fn issue(&mut self, i: Issue) {
        self.issues.push(i);
    }
}

/// Resolve the workspace among `paths` (a folder with perf.toml), or the current folder's.
fn workspace(inputs: &ScoreInputs) -> Result<(Option<Workspace>, Vec<PathBuf>)> {
    let mut ws = None;
    let mut rest = Vec::new();
    for p in &inputs.paths {
        if ws.is_none() && p.is_dir() && p.join(crate::io::workspace::WORKSPACE_FILE).is_file() {
            ws = Some(crate::io::workspace::load_dir(p)?);
        } else {
            rest.push(p.clone());
        }
    }
    if ws.is_none() && (inputs.scheme.is_none() || inputs.roster.is_none()) {
        ws = crate::io::workspace::load_dir(Path::new(".")).ok();
    }
    Ok((ws, rest))
}

/// Everything read from the inputs, per period, before scoring.
pub struct ReadAll {
    pub scheme: Scheme,
    pub roster: Roster,
    pub periods: BTreeMap<String, crate::core::score::aggregate::Aggregate>,
    pub issues: Vec<Issue>,
    pub explained: Vec<Entry>,
    pub summaries: Vec<SheetSummary>,
    pub files: Vec<PathBuf>,
    pub decisions: Vec<Decision>,
    /// --period, else the workspace's period (canonical).
    pub period: Option<String>,
    pub workspace: Option<Workspace>,
}

/// Read everything and score the chosen period. `Err(exit)` when the scheme, roster or
/// decision file has problems (already printed).
pub fn run_scoring(
    inputs: &ScoreInputs,
    lang_flag: Option<Lang>,
    explain: Option<&str>,
) -> Result<std::result::Result<Scored, Exit>> {
    let mut all = match read_all(inputs, lang_flag, explain)? {
        Ok(a) => a,
        Err(exit) => return Ok(Err(exit)),
    };
    let found: Vec<String> = all.periods.keys().cloned().collect();
    let period = match all.period.clone() {
        Some(p) => p,
        None if found.len() == 1 => found[0].clone(),
        None => bail!(tr(
            &format!("数据中有多个考核期（{}），请用 --period 指定", found.join("、")),
            &format!("the data holds several periods ({}); choose one with --period", found.join(", "))
        )),
    };
    let Some(agg) = all.periods.remove(&period) else {
        // No entries because the inputs were bad: show why (exit 1), rather than a usage error.
        if all.issues.iter().any(|i| i.severity == Severity::Error) {
            print_issues(&all.issues, crate::lang());
            return Ok(Err(Exit::Problems));
        }
        bail!(tr(
            &format!("数据中没有考核期 {period} 的记录（有：{}）", found.join("、")),
            &format!("no entries for period {period} (the data has: {})", found.join(", "))
        ));
    };
    let (results, issues) = score_period(&all, &agg);
    let mut issues_all = all.issues;
    issues_all.extend(issues);
    let explained = all.explained.into_iter().filter(|e| e.period == period).collect();
    Ok(Ok(Scored {
        scheme: all.scheme,
        roster: all.roster,
        period,
        results,
        issues: issues_all,
        explained,
        summaries: all.summaries,
        files: all.files,
    }))
}

/// Score one period's aggregate; the results (roster order) and the issues about entries
/// this scheme and roster do not know.
pub fn score_period(all: &ReadAll, agg: &crate::core::score::aggregate::Aggregate) -> (Vec<SubjectScore>, Vec<Issue>) {
    let mut issues = Vec::new();
    for (e, part) in &agg.unknown {
        let msg = match part {
            UnknownPart::Subject => Msg::UnknownSubject { text: e.subject.clone(), suggestion: None },
            UnknownPart::Indicator => Msg::UnknownIndicator { text: e.indicator.clone(), suggestion: None },
            UnknownPart::Rater => Msg::UnknownRater { rater: e.rater.clone(), suggestion: None },
        };
        let location = Location { file: e.source.clone(), ..Location::default() };
        issues.push(Issue { severity: Severity::Error, msg, location, value: String::new() });
    }
    let mut results = score_all(&all.scheme, &all.roster, agg);
    rank_and_grade(&all.scheme, &all.roster, &mut results, &all.decisions);
    (results, issues)
}

/// Read every input once, keeping one aggregate per period.
pub fn read_all(
    inputs: &ScoreInputs,
    lang_flag: Option<Lang>,
    explain: Option<&str>,
) -> Result<std::result::Result<ReadAll, Exit>> {
    let (ws, paths) = workspace(inputs)?;
    if lang_flag.is_none()
        && let Some(l) = ws.as_ref().and_then(|w| w.doc.lang)
    {
        crate::set_lang(l);
    }
    let lang = crate::lang();
    let scheme_path = inputs.scheme.clone().or_else(|| ws.as_ref().map(Workspace::scheme)).ok_or_else(|| {
        anyhow::anyhow!(tr("没有考核方案：请给出工作区或 --scheme", "no scheme: name a workspace or pass --scheme"))
    })?;
    let roster_path = inputs.roster.clone().or_else(|| ws.as_ref().and_then(Workspace::roster)).ok_or_else(|| {
        anyhow::anyhow!(tr("没有名册：请给出工作区或 --roster", "no roster: name a workspace or pass --roster"))
    })?;
    let (scheme, roster) = match load_inputs(&scheme_path, &roster_path, lang)? {
        Ok(x) => x,
        Err(exit) => return Ok(Err(exit)),
    };
    if let Some(id) = explain
        && !roster.subjects.iter().any(|s| s.id == id || s.name == id)
    {
        bail!(tr(&format!("名册中没有 {id}"), &format!("{id} is not in the roster")));
    }
    let explain_id = explain
        .map(|id| roster.subjects.iter().find(|s| s.id == id || s.name == id).map_or(id.to_owned(), |s| s.id.clone()));
    let paths = if paths.is_empty() {
        ws.as_ref().map(|w| w.doc.inputs.iter().map(|i| w.dir.join(i)).collect()).unwrap_or_default()
    } else {
        paths
    };
    if paths.is_empty() {
        bail!(tr("没有评分数据：请给出台账或评分文件", "no score data: name a ledger or score files"));
    }
    let files = expand(&paths, &[])?;
    for f in &files {
        crate::io::output::note_input(f);
    }
    let canonical = |p: &str| match find_period(p) {
        Some(found) if found.kind == scheme.period => Ok(found.name),
        _ => Err(anyhow::anyhow!(tr(
            &format!("考核期 {p} 不是方案的考核周期"),
            &format!("period {p} is not of the scheme's kind")
        ))),
    };
    let wanted = inputs.period.as_deref().map(canonical).transpose()?;
    let ws_period = ws.as_ref().and_then(|w| w.doc.period.as_deref()).map(canonical).transpose()?;
    let flag_rater = inputs.rater.as_deref().map(|r| rater_index(&scheme, r)).transpose()?;
    let decisions = match &inputs.decide {
        Some(path) => match read_decisions(path, &scheme, &roster, lang)? {
            Ok(d) => d,
            Err(exit) => return Ok(Err(exit)),
        },
        None => Vec::new(),
    };

    let mut sink = ScoreSink {
        scheme: &scheme,
        roster: &roster,
        periods: BTreeMap::new(),
        issues: Vec::new(),
        explain: explain_id.as_deref(),
        explained: Vec::new(),
    };
    let mut importer = Importer::new(&scheme, &roster, false);
    let mut summaries = Vec::new();
    let periods = Periods { flag: None, default: wanted.as_deref().or(ws_period.as_deref()) };
    let mappings = match &ws {
        Some(w) => w.mappings(&scheme)?,
        None => Vec::new(),
    };
    for path in &files {
        if crate::io::ledger::looks_like_ledger(path) {
            let shown = shown_path(path);
            let result = read_ledger(path, |e, _| sink.entry(e))?;
            if let Some(issues) = crate::io::ledger::stale_issues(path) {
                let msg = crate::core::msg::Msg::StaleIssues { issues: shown_path(&issues) };
                let location = Location { file: shown.clone(), ..Location::default() };
                sink.issue(Issue { severity: Severity::Warning, msg, location, value: String::new() });
            }
            if let Err(e) = result {
                let location = Location { file: shown, row: Some(e.line), ..Location::default() };
                sink.issue(Issue { severity: Severity::Error, msg: e.msg, location, value: String::new() });
            }
        } else {
            import_file(
                path,
                &inputs.read,
                &scheme,
                &mut importer,
                periods,
                flag_rater,
                &mappings,
                &mut sink,
                &mut summaries,
            );
        }
    }
    let periods = sink.periods.into_iter().map(|(p, a)| (p, a.agg)).collect();
    let (issues, explained) = (sink.issues, sink.explained);
    let mut all_files = vec![scheme_path, roster_path];
    all_files.extend(files);
    Ok(Ok(ReadAll {
        scheme,
        roster,
        periods,
        issues,
        explained,
        summaries,
        files: all_files,
        decisions,
        period: wanted.or(ws_period),
        workspace: ws,
    }))
}

/// Read the decision file: subject, grade, reason.
fn read_decisions(
    path: &Path,
    scheme: &Scheme,
    roster: &Roster,
    lang: Lang,
) -> Result<std::result::Result<Vec<Decision>, Exit>> {
    let bytes = crate::io::read_whole(path, crate::io::MAX_SIDE_FILE_BYTES, ("裁定文件", "decisions file"))?;
    let text = crate::io::text::decode(&bytes)
        .map_err(|_| anyhow::anyhow!(tr("裁定文件不是文本", "the decision file is not text")))?
        .0;
    let mut reader = csv::ReaderBuilder::new().flexible(true).from_reader(text.as_bytes());
    let headers: Vec<String> = reader.headers()?.iter().map(|h| h.trim().to_lowercase()).collect();
    let col = |names: &[&str]| headers.iter().position(|h| names.contains(&h.as_str()));
    let (Some(sc), Some(gc)) =
        (col(&["subject", "编号", "对象", "姓名", "单位", "名称"]), col(&["grade", "等次", "等级"]))
    else {
        crate::say!(
            "{}: {}",
            path.display(),
            tr("裁定文件须有 subject（对象）和 grade（等次）两列", "the decision file needs subject and grade columns")
        );
        return Ok(Err(Exit::Problems));
    };
    let rc = col(&["reason", "理由", "说明", "依据"]);
    let mut out = Vec::new();
    let mut bad = false;
    for (k, rec) in reader.records().enumerate() {
        let rec = rec?;
        let line = k + 2;
        let get = |c: usize| rec.get(c).unwrap_or("").trim().to_owned();
        let subject_text = get(sc);
        let grade_text = get(gc);
        let Some(subject) = roster.subjects.iter().position(|s| s.id == subject_text || s.name == subject_text) else {
            let msg = Msg::UnknownSubject { text: subject_text, suggestion: None };
            crate::say!("{}:{line}: {}[{}]: {}", path.display(), tr("错误", "error"), msg.code(), msg.text(lang));
            bad = true;
            continue;
        };
        let Some(grade) = scheme.grades.levels.iter().position(|l| l.name == grade_text) else {
            let msg = Msg::UnknownGrade { grade: grade_text, suggestion: None };
            crate::say!("{}:{line}: {}[{}]: {}", path.display(), tr("错误", "error"), msg.code(), msg.text(lang));
            bad = true;
            continue;
        };
        out.push(Decision { subject, grade, reason: rc.map(get).unwrap_or_default() });
    }
    Ok(if bad { Err(Exit::Problems) } else { Ok(out) })
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

pub fn table_text(s: &Scored, lang: Lang) -> String {
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
        cells.push(Cell::new(if r.complete {
            v[7].as_str()
        } else if zh {
            "待补"
        } else {
            "incomplete"
        }));
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
        cells.push(Cell::new(&v[12]));
        for c in &v[COLUMNS.len()..] {
            cells.push(Cell::new(c).set_alignment(CellAlignment::Right));
        }
        t.add_row(cells);
    }
    let mut out = format!("{} · {}\n{t}\n", s.scheme.name, s.period);
    out.push_str(&grade_counts(s, lang));
    out.push('\n');
    out
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
    let pool_name = |p: &str| {
        if p.is_empty() {
            String::new()
        } else {
            s.scheme.categories.iter().find(|c| c.id == p).map_or_else(|| p.to_owned(), |c| c.name.clone())
        }
    };
    let mut out = if zh {
        format!(
            "等次：{}{}；共 {} 个对象，待补（数据不完整，不排名、不定等次）{incomplete}，同分待定 {ties}",
            counts.join("、"),
            if none > 0 { format!("、未定等次 {none}") } else { String::new() },
            s.results.len()
        )
    } else {
        format!(
            "Grades: {}{}; {} subjects, {incomplete} incomplete (not ranked, not graded), {ties} undecided ties",
            counts.join(", "),
            if none > 0 { format!(", no grade {none}") } else { String::new() },
            s.results.len()
        )
    };
    for o in &open {
        let level = &s.scheme.grades.levels[o.level].name;
        let pool = pool_name(&o.pool);
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

/// Print located issues (errors first) to stderr; the count of errors.
pub fn print_issues(issues: &[Issue], lang: Lang) -> usize {
    let mut shown = 0;
    for sev in [Severity::Error, Severity::Warning] {
        for i in issues.iter().filter(|i| i.severity == sev && !i.location.file.is_empty()) {
            if shown >= 30 {
                break;
            }
            let sev_text = match (sev, lang) {
                (Severity::Error, Lang::Zh) => "错误",
                (Severity::Error, Lang::En) => "error",
                (_, Lang::Zh) => "警告",
                (_, Lang::En) => "warning",
            };
            crate::say!("{}: {sev_text}[{}]: {}", i.location.source(), i.msg.code(), i.msg.text(lang));
            shown += 1;
        }
    }
    issues.iter().filter(|i| i.severity == Severity::Error).count()
}

pub fn run(args: &Args, lang_flag: Option<Lang>) -> Result<Exit> {
    let outputs: Vec<&Path> = args.output.iter().chain(&args.report).map(PathBuf::as_path).collect();
    crate::io::output::check_distinct(&outputs)?;
    let scored = match run_scoring(&args.inputs, lang_flag, None)? {
        Ok(s) => s,
        Err(exit) => return Ok(exit),
    };
    let lang = crate::lang();
    let errors = print_issues(&scored.issues, lang);
    let format = match args.output.as_ref().and_then(|p| p.extension()).and_then(|e| e.to_str()) {
        Some("csv") => Format::Csv,
        Some("json") => Format::Json,
        _ => args.format,
    };
    let text = match format {
        Format::Table => table_text(&scored, lang),
        Format::Csv => csv_text(&scored)?,
        Format::Json => json_text(&scored)?,
    };
    match &args.output {
        Some(path) => {
            let mut f = OutputFile::create(path)?;
            f.write_all(text.as_bytes())?;
            f.commit()?;
            crate::say!("{}", grade_counts(&scored, lang));
        }
        None => std::io::stdout().lock().write_all(text.as_bytes())?,
    }
    if let Some(path) = &args.report {
        crate::cmd::report::write(&scored, path, &[], None)?;
    }
    let incomplete = scored.results.iter().any(|r| !r.complete);
    let ties = scored.results.iter().any(|r| r.flags.contains(&Flag::TieAtQuota));
    if ties {
        crate::say!(
            "{}",
            tr(
                "有同分跨越名额线且无法按 tie_break 区分：请用 --decide 文件（subject,grade,reason）裁定。",
                "a tie straddles a quota line and the tie-break chain cannot settle it: decide it with --decide FILE (subject,grade,reason)."
            )
        );
    }
    Ok(if errors > 0 || incomplete || ties { Exit::Problems } else { Exit::Ok })
}

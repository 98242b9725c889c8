//! The one pipeline every command uses: a workspace and inputs (ledgers, or any file
//! `perf import` reads, imported in the same pass) → entries → one aggregate per period →
//! scored subjects → ranked and graded results, with one subject's raw entries on request
//! for `perf explain`. `read` owns the import pass over files; `annual` the year over the
//! quarters. Commands (`crate::cmd`) parse arguments, call this and format the output.

pub mod annual;
pub mod corrections;
pub mod read;

use crate::core::correction::{Applied, Change, Correction};
use crate::core::diag::Severity;
use crate::core::import::ledger::{Entry, EntryRef, Importer, Issue, Location, Sink};
use crate::core::import::period::find_period;
use crate::core::msg::Msg;
use crate::core::roster::Roster;
use crate::core::scheme::Scheme;
use crate::core::score::aggregate::{Aggregator, UnknownPart};
use crate::core::score::engine::{Flag, GradeReason, SubjectScore, score_all};
use crate::core::score::rank::{Decision, rank_and_grade};
use crate::io::ledger::read_ledger;
use crate::io::workspace::Workspace;
use crate::pipeline::read::{
    Periods, ReadOptions, SheetSummary, expand, import_file, load_inputs, print_issues, rater_index, shown_path,
};
use crate::{Exit, Lang, tr};
use anyhow::{Result, bail};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The inputs of a scoring run (shared with `perf explain`).
#[derive(Debug, Clone, clap::Args)]
pub struct ScoreInputs {
    /// 工作区文件夹和/或输入文件（台账或任何 perf import 能读的文件）。Workspace and inputs.
    pub paths: Vec<PathBuf>,
    /// 工作区文件夹（也可以直接写在输入位置）。Workspace folder (or give it among the paths).
    #[arg(long, short = 'w')]
    pub workspace: Option<PathBuf>,
    /// 考核方案（默认取工作区）。Scheme file.
    #[arg(long)]
    pub scheme: Option<PathBuf>,
    /// 名册（默认取工作区）。Roster file.
    #[arg(long)]
    pub roster: Option<PathBuf>,
    /// 考核期，如 2026Q1（默认取工作区；数据只有一个考核期时取它）。Period.
    #[arg(long)]
    pub period: Option<String>,
    /// 宽表评价打分的评价主体。Rater of wide sheets.
    #[arg(long)]
    pub rater: Option<String>,
    /// 同分跨名额线的裁定文件（CSV：subject,grade,reason）。Decisions for ties at a quota line.
    #[arg(long)]
    pub decide: Option<PathBuf>,
    /// 复核记录（默认取工作区的 corrections）。Corrections (review results) to apply.
    #[arg(long)]
    pub corrections: Option<PathBuf>,
    /// 人员变动（默认取工作区的 roster_events）：各考核期按当时的名册计分。Roster events.
    #[arg(long)]
    pub roster_events: Option<PathBuf>,
    #[command(flatten)]
    pub read: ReadOptions,
    /// Keep only what the score table needs: each leaf's detail (for explain and the report)
    /// is dropped as soon as a subject is scored, so memory grows with subjects × first-level
    /// results, not with every rater's part.
    #[arg(skip)]
    pub lean: bool,
    /// Also score every earlier period the data holds (the report's 趋势 sheet).
    #[arg(skip)]
    pub trend: bool,
}

use crate::core::report::PeriodResult;

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
    /// The workspace the run used, if any.
    pub workspace: Option<Workspace>,
    /// The corrections of this period, each with how it was applied (None for a grade).
    pub corrections: Vec<(Correction, Option<Applied>)>,
    /// With [`ScoreInputs::trend`]: every period of the data up to this one, in order (this
    /// one last); empty otherwise.
    pub trend: Vec<PeriodResult>,
}

/// Entries go to a per-period aggregator; issues are kept; one subject's raw entries too.
/// An entry a correction changes goes in corrected, and as it was to the baseline.
struct ScoreSink<'a> {
    scheme: &'a Scheme,
    roster: &'a Roster,
    periods: BTreeMap<String, Aggregator<'a>>,
    issues: Vec<Issue>,
    explain: Option<&'a str>,
    explained: Vec<Entry>,
    corrections: &'a [Correction],
    applied: Vec<(String, Applied)>,
    baseline: BTreeMap<String, Aggregator<'a>>,
}

impl ScoreSink<'_> {
    fn push(&mut self, e: Entry, original: Option<&Entry>) {
        let (scheme, roster) = (self.scheme, self.roster);
        if self.corrections.iter().any(|c| c.period == e.period && matches!(c.change, Change::Value { .. })) {
            let base =
                self.baseline.entry(e.period.clone()).or_insert_with(|| Aggregator::new(scheme, roster, &e.period));
            if let Some(o) = original {
                base.push(o.clone());
            } else if !self.applied.iter().any(|(_, a)| a.source == e.source && a.original.is_none()) {
                base.push(e.clone());
            }
        }
        if self.explain == Some(e.subject.as_str()) {
            self.explained.push(e.clone());
        }
        self.periods.entry(e.period.clone()).or_insert_with(|| Aggregator::new(scheme, roster, &e.period)).push(e);
    }
}

impl ScoreSink<'_> {
    /// A ledger row, borrowed: the usual case (no correction touches its period, not the
    /// subject being explained) goes to its period's aggregator without a copy.
    fn entry_ref(&mut self, e: EntryRef<'_>) {
        let plain = self.explain != Some(e.subject) && !self.corrections.iter().any(|c| c.period == e.period);
        if plain && let Some(agg) = self.periods.get_mut(e.period) {
            agg.push_ref(e);
        } else {
            self.entry_owned(e.to_entry());
        }
    }
}

impl Sink for ScoreSink<'_> {
    fn entry(&mut self, e: EntryRef<'_>) {
        self.entry_ref(e);
    }

    fn issue(&mut self, i: Issue) {
        self.issues.push(i);
    }
}

impl ScoreSink<'_> {
    /// An entry that a correction may change, or of the subject being explained.
    fn entry_owned(&mut self, e: Entry) {
        let hit = self
            .corrections
            .iter()
            .position(|c| c.matches(&e.period, &e.subject, &e.indicator, &e.rater, &e.evaluator));
        match hit.map(|k| (k, &self.corrections[k].change)) {
            Some((k, Change::Value { value, .. })) => {
                let mut fixed = e.clone();
                fixed.value = *value;
                let applied = Applied { correction: k, original: Some(e.value), source: e.source.clone() };
                self.applied.push((e.period.clone(), applied));
                self.push(fixed, Some(&e));
            }
            _ => self.push(e, None),
        }
    }
}

/// Resolve the workspace among `paths` (a folder with perf.toml), or the current folder's.
fn workspace(inputs: &ScoreInputs) -> Result<(Option<Workspace>, Vec<PathBuf>)> {
    crate::io::workspace::check_exists(&inputs.paths)?;
    crate::io::workspace::check_exists(inputs.workspace.as_slice())?;
    let mut ws = match &inputs.workspace {
        Some(dir) => Some(crate::io::workspace::load_dir(dir)?),
        None => None,
    };
    let mut rest = Vec::new();
    for p in &inputs.paths {
        if ws.is_none() && p.is_dir() && p.join(crate::io::workspace::WORKSPACE_FILE).is_file() {
            ws = Some(crate::io::workspace::load_dir(p)?);
        } else {
            rest.push(p.clone());
        }
    }
    if ws.is_none() && (inputs.scheme.is_none() || inputs.roster.is_none()) {
        ws = crate::io::workspace::load_dir(&crate::io::workspace::current()).ok();
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
    /// The corrections read, and how each value correction was applied (period, applied).
    pub corrections: Vec<Correction>,
    pub applied: Vec<(String, Applied)>,
    /// Per period with value corrections: the aggregate of the original values.
    pub baseline: BTreeMap<String, crate::core::score::aggregate::Aggregate>,
    pub corrections_path: Option<PathBuf>,
    /// Dated roster changes: each period is scored with the roster as of then.
    pub events: Vec<crate::core::roster::Event>,
    pub events_path: Option<PathBuf>,
    /// See [`ScoreInputs::lean`].
    pub lean: bool,
}

impl ReadAll {
    /// The roster as of a period (dated events applied) and who belongs to it.
    pub fn roster_of(&self, period: &str) -> (std::borrow::Cow<'_, Roster>, Vec<bool>) {
        match crate::core::import::period::bounds(period) {
            Some((start, end)) if !self.events.is_empty() => {
                let (roster, members) = crate::core::roster::as_of(&self.roster, &self.events, &start, &end);
                (std::borrow::Cow::Owned(roster), members)
            }
            _ => (std::borrow::Cow::Borrowed(&self.roster), vec![true; self.roster.subjects.len()]),
        }
    }
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
    let (results, issues) = score_period(&all, &period, &agg);
    let mut trend = Vec::new();
    if inputs.trend {
        // Earlier periods of the same kind (their names sort in time order).
        for (p, earlier) in all.periods.iter().filter(|(p, _)| p.as_str() < period.as_str()) {
            let (r, _) = score_period(&all, p, earlier);
            trend.push(period_result(&all, p, &r));
        }
        trend.push(period_result(&all, &period, &results));
    }
    // The aggregates are not needed past scoring: free them before the output is built.
    drop(agg);
    all.periods.clear();
    let roster = match all.roster_of(&period).0 {
        std::borrow::Cow::Owned(r) => r,
        std::borrow::Cow::Borrowed(_) => std::mem::take(&mut all.roster),
    };
    let mut issues_all = all.issues;
    issues_all.extend(issues);
    let explained = all.explained.into_iter().filter(|e| e.period == period).collect();
    let corrections = all
        .corrections
        .iter()
        .enumerate()
        .filter(|(_, c)| c.period == period)
        .map(|(k, c)| (c.clone(), all.applied.iter().find(|(_, a)| a.correction == k).map(|(_, a)| a.clone())))
        .collect();
    Ok(Ok(Scored {
        scheme: all.scheme,
        roster,
        period,
        results,
        issues: issues_all,
        explained,
        summaries: all.summaries,
        files: all.files,
        workspace: all.workspace,
        corrections,
        trend,
    }))
}

/// A period's results by subject id (the roster of that period).
fn period_result(all: &ReadAll, period: &str, results: &[SubjectScore]) -> PeriodResult {
    let (roster, _) = all.roster_of(period);
    let scores =
        results.iter().map(|r| (roster.subjects[r.subject].id.clone(), (r.exact.clone(), r.score, r.rank))).collect();
    PeriodResult { period: period.to_owned(), scores }
}

/// Score one period's aggregate; the results (roster order) and the issues about entries
/// this scheme and roster do not know.
pub fn score_period(
    all: &ReadAll,
    period: &str,
    agg: &crate::core::score::aggregate::Aggregate,
) -> (Vec<SubjectScore>, Vec<Issue>) {
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
    let roster = all.roster_of(period);
    let mut results = crate::core::score::engine::score_all_with(&all.scheme, &roster.0, agg, !all.lean);
    // Data for someone who was not there then is refused, never dropped silently.
    let with_data: std::collections::HashSet<usize> = agg.subjects_with_data().collect();
    for (s, subject) in all.roster.subjects.iter().enumerate() {
        if !roster.1[s] && with_data.contains(&s) {
            let msg = Msg::NotInPeriodRoster { id: subject.id.clone(), period: period.to_owned() };
            let file = all.events_path.as_deref().map(shown_path).unwrap_or_default();
            let location = Location { file, ..Location::default() };
            issues.push(Issue { severity: Severity::Error, msg, location, value: subject.id.clone() });
        }
    }
    results.retain(|r| roster.1[r.subject]);
    rank_and_grade(&all.scheme, &roster.0, &mut results, &all.decisions);
    // Corrections: flag each corrected subject; a value correction that would push someone
    // else below the grade they had without it is left for a decision, not applied silently.
    let id_of = |r: &SubjectScore| all.roster.subjects[r.subject].id.clone();
    let mut corrected: Vec<String> = Vec::new();
    for (p, a) in &all.applied {
        let c = &all.corrections[a.correction];
        if p == period
            && let Change::Value { indicator, .. } = &c.change
            && let Some(r) = results.iter_mut().find(|r| all.roster.subjects[r.subject].id == c.subject)
        {
            let flag = Flag::Corrected { what: indicator.clone() };
            if !r.flags.contains(&flag) {
                r.flags.push(flag);
            }
            corrected.push(c.subject.clone());
        }
    }
    for c in all.corrections.iter().filter(|c| c.period == period && matches!(c.change, Change::Grade(_))) {
        if let Some(r) = results.iter_mut().find(|r| all.roster.subjects[r.subject].id == c.subject) {
            r.flags.push(Flag::Corrected { what: "grade".into() });
            corrected.push(c.subject.clone());
        }
    }
    if let Some(base) = all.baseline.get(period) {
        let mut before = score_all(&all.scheme, &roster.0, base);
        before.retain(|r| roster.1[r.subject]);
        rank_and_grade(&all.scheme, &roster.0, &mut before, &all.decisions);
        let mut displaced = Vec::new();
        for (r, b) in results.iter_mut().zip(&before) {
            let worse = matches!((r.grade, b.grade), (Some(now), Some(was)) if now > was);
            if worse && !corrected.contains(&id_of(r)) {
                r.flags.push(Flag::Displaced);
                r.grade_reason = GradeReason::Undecided { from: b.grade.unwrap_or_default() };
                displaced.push(id_of(r));
            }
        }
        if !displaced.is_empty() {
            let file = all.corrections_path.as_deref().or(all.files.first().map(PathBuf::as_path));
            let location = Location { file: file.map(shown_path).unwrap_or_default(), ..Location::default() };
            issues.push(Issue {
                severity: Severity::Error,
                msg: Msg::CorrectionDisplaces { ids: displaced },
                location,
                value: String::new(),
            });
        }
    }
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
    // A workspace may name another scheme for the period asked for (a mid-year change).
    let asked = inputs.period.clone().or_else(|| ws.as_ref().and_then(|w| w.doc.period.clone()));
    let scheme_path = inputs
        .scheme
        .clone()
        .or_else(|| ws.as_ref().map(|w| w.scheme_for(asked.as_deref())))
        .ok_or_else(|| crate::io::workspace::none_found("考核方案", "scheme", "--scheme"))?;
    let roster_path = inputs
        .roster
        .clone()
        .or_else(|| ws.as_ref().and_then(Workspace::roster))
        .ok_or_else(|| crate::io::workspace::none_found("名册", "roster", "--roster"))?;
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

    let corrections_path = inputs.corrections.clone().or_else(|| ws.as_ref().and_then(Workspace::corrections));
    let corrections = match &corrections_path {
        Some(path) => {
            let (found, problems) = corrections::read(path, &scheme, &roster)?;
            if !problems.is_empty() {
                // A correction that cannot be applied as written is not applied at all.
                print_issues(&problems, lang);
                return Ok(Err(Exit::Problems));
            }
            found
        }
        None => Vec::new(),
    };
    let events_path = inputs.roster_events.clone().or_else(|| ws.as_ref().and_then(Workspace::roster_events));
    let events = match &events_path {
        Some(path) => {
            let (found, problems) = corrections::read_events(path, &roster)?;
            if !problems.is_empty() {
                print_issues(&problems, lang);
                return Ok(Err(Exit::Problems));
            }
            found
        }
        None => Vec::new(),
    };
    let mut decisions = decisions;
    for c in &corrections {
        if let Change::Grade(g) = c.change
            && find_period(&c.period).is_some_and(|p| p.kind == scheme.period)
            && let Some(subject) = roster.subjects.iter().position(|s| s.id == c.subject)
            && !decisions.iter().any(|d| d.subject == subject)
        {
            decisions.push(Decision { subject, grade: g, reason: format!("复核：{}", c.audit()) });
        }
    }
    let mut sink = ScoreSink {
        scheme: &scheme,
        roster: &roster,
        periods: BTreeMap::new(),
        issues: Vec::new(),
        explain: explain_id.as_deref(),
        explained: Vec::new(),
        corrections: &corrections,
        applied: Vec::new(),
        baseline: BTreeMap::new(),
    };
    let mut importer = Importer::new(&scheme, &roster, false);
    let mut summaries = Vec::new();
    let periods = Periods { flag: None, default: wanted.as_deref().or(ws_period.as_deref()) };
    let mappings = match &ws {
        Some(w) => w.mappings(&scheme)?,
        None => Vec::new(),
    };
    let _progress = crate::io::progress::start(&files);
    for path in &files {
        crate::io::progress::reading(&shown_path(path));
        if crate::io::ledger::looks_like_ledger(path) {
            let shown = shown_path(path);
            let result = read_ledger(path, |e, _| sink.entry_ref(e))?;
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
    // Value corrections that matched no entry supply the value (a value missing at first).
    let mut supplied = Vec::new();
    for (k, c) in corrections.iter().enumerate() {
        if let Change::Value { indicator, rater, evaluator, value } = &c.change
            && find_period(&c.period).is_some_and(|p| p.kind == scheme.period)
            && !sink.applied.iter().any(|(_, a)| a.correction == k)
        {
            let source =
                format!("{}!{}:{}", corrections_path.as_deref().map(shown_path).unwrap_or_default(), c.line, c.line);
            supplied.push(Entry {
                period: c.period.clone(),
                subject: c.subject.clone(),
                indicator: indicator.clone(),
                rater: rater.clone(),
                evaluator: if evaluator.is_empty() { String::new() } else { evaluator.clone() },
                value: *value,
                source: source.clone(),
            });
            sink.applied.push((c.period.clone(), Applied { correction: k, original: None, source }));
        }
    }
    for e in supplied {
        sink.push(e, None);
    }
    let periods = sink.periods.into_iter().map(|(p, a)| (p, a.agg)).collect();
    let baseline = sink.baseline.into_iter().map(|(p, a)| (p, a.agg)).collect();
    let applied = sink.applied;
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
        corrections,
        applied,
        baseline,
        corrections_path,
        events,
        events_path,
        lean: inputs.lean,
    }))
}

/// Read the decision file: subject, grade, reason (the quarterly and the annual `--decide`).
pub fn read_decisions(
    path: &Path,
    scheme: &Scheme,
    roster: &Roster,
    lang: Lang,
) -> Result<std::result::Result<Vec<Decision>, Exit>> {
    let (headers, records) = read::read_side_csv(path, ("裁定文件", "decisions file"))?;
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
    for (line, rec) in records {
        let get = |c: usize| rec.get(c).unwrap_or("").trim().to_owned();
        let subject_text = get(sc);
        let grade_text = get(gc);
        let Some(subject) = roster.subjects.iter().position(|s| s.id == subject_text || s.name == subject_text) else {
            let msg = Msg::UnknownSubject { text: subject_text, suggestion: None };
            crate::say!("{}:{line}: {}[{}]: {}", path.display(), crate::error_word(), msg.code(), msg.text(lang));
            bad = true;
            continue;
        };
        let Some(grade) = scheme.grades.levels.iter().position(|l| l.name == grade_text) else {
            let msg = Msg::UnknownGrade { grade: grade_text, suggestion: None };
            crate::say!("{}:{line}: {}[{}]: {}", path.display(), crate::error_word(), msg.code(), msg.text(lang));
            bad = true;
            continue;
        };
        out.push(Decision { subject, grade, reason: rc.map(get).unwrap_or_default() });
    }
    Ok(if bad { Err(Exit::Problems) } else { Ok(out) })
}

//! `perf import`: read score files into the canonical ledger, accounting for every entry.
//!
//! Inputs are expanded (folders recursively, Office lock files and hidden files skipped) and
//! read in sorted path order, each sheet's rows in reading order, so the same inputs always
//! give the same ledger bytes. Entries stream to a temporary file beside the ledger, which is
//! renamed into place at the end; with `--strict`, any error leaves no output at all.

use crate::core::diag::Severity;
use crate::core::import::ledger::{CompletenessRow, Counts, EntryRef, Importer, Issue, Sink};
use crate::core::import::period::find_period;
use crate::io::ledger::{IssueWriter, LedgerWriter, read_ledger};
use crate::io::output::OutputFile;
use crate::pipeline::read::{
    Periods, ReadOptions, SheetSummary, expand, import_file, load_inputs, rater_index, shown_path,
};
use crate::{Exit, Lang, tr};
use anyhow::{Context as _, Result, bail};
use comfy_table::{Table, presets};
use std::fs::File;
use std::io::Write;
use std::path::{Path, PathBuf};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// 评分文件或文件夹（CSV、xlsx、xls、xlsb、ods）。 文件夹递归读取。 省略时用工作区的 inputs。
    /// Score files or folders.
    pub inputs: Vec<PathBuf>,
    /// 考核方案（默认取工作区）。Scheme file.
    #[arg(long)]
    pub scheme: Option<PathBuf>,
    /// 名册（默认取工作区）。Roster file.
    #[arg(long)]
    pub roster: Option<PathBuf>,
    /// 工作区文件夹（默认当前文件夹的 perf.toml）。Workspace folder.
    #[arg(long, short = 'w')]
    pub workspace: Option<PathBuf>,
    /// 考核期，如 2026Q1、2026年第一季度（文件中没有写明时使用）。Period.
    #[arg(long)]
    pub period: Option<String>,
    /// 评价主体 id 或名称（宽表中评价打分的来源）。Rater of wide sheets.
    #[arg(long)]
    pub rater: Option<String>,
    /// 输出台账（CSV）；默认为工作区 output 下的 ledger.csv。Ledger to write.
    #[arg(long, short = 'o')]
    pub output: Option<PathBuf>,
    /// 问题清单（CSV）；默认为工作区 output 下的 issues.csv。Issues file.
    #[arg(long)]
    pub issues: Option<PathBuf>,
    /// 问题清单开头不写 UTF-8 BOM（默认写，Excel 才能正确显示中文）。No BOM in the issues file.
    #[arg(long)]
    pub no_bom: bool,
    /// 追加到已有台账；已有的记录算冲突。Append to an existing ledger.
    #[arg(long)]
    pub append: bool,
    /// 与 --append 一起：用新值替换台账中已有的记录。Replace conflicting entries.
    #[arg(long, requires = "append")]
    pub replace: bool,
    /// 有任何错误就什么也不写。Write nothing if there is any error.
    #[arg(long)]
    pub strict: bool,
    #[command(flatten)]
    pub read: ReadOptions,
}

/// The sink: entries to the ledger file, issues to the issues file and a short list for the
/// terminal. The first write error is kept and reported at the end.
struct Output {
    ledger: LedgerWriter<OutputFile>,
    issues: IssueWriter<Vec<u8>>,
    /// The first errors and warnings with a location, for the terminal (completeness
    /// findings are summarised by the completeness table instead).
    shown: [Vec<Issue>; 2],
    counts: [u64; 3],
    error: Option<anyhow::Error>,
}

const SHOWN_ISSUES: usize = 30;

impl Sink for Output {
    fn entry(&mut self, e: EntryRef<'_>) {
        if let Err(err) = self.ledger.write_ref(e) {
            self.error.get_or_insert(err);
        }
    }

    fn issue(&mut self, i: Issue) {
        self.counts[i.severity as usize] += 1;
        if let Err(err) = self.issues.write(&i) {
            self.error.get_or_insert(err);
        }
        let located = !i.location.file.is_empty();
        match i.severity {
            Severity::Error if located && self.shown[0].len() < SHOWN_ISSUES => self.shown[0].push(i),
            Severity::Warning if located && self.shown[1].len() < SHOWN_ISSUES => self.shown[1].push(i),
            _ => {}
        }
    }
}

/// Resolved settings: what the workspace and the flags say together.
struct Plan {
    scheme: PathBuf,
    roster: PathBuf,
    inputs: Vec<PathBuf>,
    /// --period: overrides what files say.
    period: Option<String>,
    /// The workspace's period: used only where nothing else says.
    default_period: Option<String>,
    output: PathBuf,
    issues: Option<PathBuf>,
    workspace: Option<crate::io::workspace::Workspace>,
}

fn plan(args: &Args, lang_flag: Option<Lang>) -> Result<Plan> {
    let explicit = args.scheme.is_some() && args.roster.is_some();
    let ws = crate::io::workspace::resolve(args.workspace.as_deref(), explicit, lang_flag)?;
    let scheme = args.scheme.clone().or_else(|| ws.as_ref().map(|w| w.scheme())).ok_or_else(|| {
        anyhow::anyhow!(tr(
            "没有考核方案：请用 --scheme 指定或在工作区中运行",
            "no scheme: pass --scheme or run in a workspace"
        ))
    })?;
    let roster = args.roster.clone().or_else(|| ws.as_ref().and_then(|w| w.roster())).ok_or_else(|| {
        anyhow::anyhow!(tr(
            "没有名册：请用 --roster 指定或写入 perf.toml",
            "no roster: pass --roster or name one in perf.toml"
        ))
    })?;
    let inputs = if args.inputs.is_empty() {
        ws.as_ref().map(|w| w.doc.inputs.iter().map(|i| w.dir.join(i)).collect()).unwrap_or_default()
    } else {
        args.inputs.clone()
    };
    if inputs.is_empty() {
        bail!(tr("没有输入文件", "no input files"));
    }
    let out_dir = ws.as_ref().and_then(|w| w.doc.output.as_ref().map(|o| w.dir.join(o)));
    let output = args
        .output
        .clone()
        .or_else(|| out_dir.as_ref().map(|d| d.join("ledger.csv")))
        .ok_or_else(|| anyhow::anyhow!(tr("请用 -o 指定输出台账", "pass -o LEDGER.csv")))?;
    let issues = args.issues.clone().or_else(|| out_dir.as_ref().map(|d| d.join("issues.csv")));
    let default_period = ws.as_ref().and_then(|w| w.doc.period.clone());
    Ok(Plan { scheme, roster, inputs, period: args.period.clone(), default_period, output, issues, workspace: ws })
}

pub fn run(args: &Args, lang_flag: Option<Lang>) -> Result<Exit> {
    let plan = plan(args, lang_flag)?;
    let lang = crate::lang();
    let (scheme, roster) = match load_inputs(&plan.scheme, &plan.roster, lang)? {
        Ok(x) => x,
        Err(exit) => return Ok(exit),
    };
    let canonical_period = |p: &str| match find_period(p) {
        Some(found) if found.kind == scheme.period => Ok(found.name),
        _ => Err(anyhow::anyhow!(tr(
            &format!("考核期 {p} 不是方案的考核周期（如 2026Q1）"),
            &format!("period {p} is not a period of the scheme's kind (e.g. 2026Q1)")
        ))),
    };
    let flag_period = plan.period.as_deref().map(canonical_period).transpose()?;
    let default_period = plan.default_period.as_deref().map(canonical_period).transpose()?;
    let periods = Periods { flag: flag_period.as_deref(), default: default_period.as_deref() };
    let flag_rater = match &args.rater {
        Some(r) => Some(rater_index(&scheme, r)?),
        None => None,
    };
    let mut outputs: Vec<&Path> = vec![&plan.output];
    if let Some(i) = &plan.issues {
        outputs.push(i);
    }
    crate::io::output::check_distinct(&outputs)?;
    let files = expand(&plan.inputs, &outputs)?;
    for f in &files {
        crate::io::output::note_input(f);
    }
    let mappings = match &plan.workspace {
        Some(w) => w.mappings(&scheme)?,
        None => Vec::new(),
    };

    // One writer per ledger at a time: a second perf appending to the same ledger waits here
    // (an advisory lock on a file beside it), so rows are never interleaved or lost.
    let _lock = lock_ledger(&plan.output)?;
    let mut importer = Importer::new(&scheme, &roster, args.replace);
    let ledger_name = shown_path(&plan.output);
    importer.set_ledger_name(&ledger_name);
    let mut existing = 0usize;
    if args.append && plan.output.exists() {
        let result = read_ledger(&plan.output, |e, line| {
            importer.preload(&e.to_entry(), line);
            existing += 1;
        })?;
        if let Err(e) = result {
            crate::say!("{}:{}: {}[{}]: {}", ledger_name, e.line, crate::error_word(), e.msg.code(), e.msg.text(lang));
            return Ok(Exit::Usage);
        }
    }

    let appending = args.append && existing > 0;
    let target = if appending { plan.output.with_extension("new-rows") } else { plan.output.clone() };
    let mut out = Output {
        ledger: LedgerWriter::new(OutputFile::create(&target)?, !appending)?,
        issues: IssueWriter::new(Vec::new(), lang)?,
        shown: [Vec::new(), Vec::new()],
        counts: [0; 3],
        error: None,
    };
    let mut summaries = Vec::new();
    let progress = crate::io::progress::start(&files);
    for path in &files {
        crate::io::progress::reading(&shown_path(path));
        import_file(path, &args.read, &scheme, &mut importer, periods, flag_rater, &mappings, &mut out, &mut summaries);
    }
    drop(progress);
    let (completeness, table_rows) = importer.completeness(flag_period.as_deref());
    for i in completeness {
        out.issue(i);
    }
    if let Some(e) = out.error.take() {
        return Err(e);
    }
    let errors = out.counts[Severity::Error as usize];
    print_summary(&summaries, &table_rows, &out, lang, plan.issues.as_deref());
    let mut written = out.ledger.finish()?;
    if args.strict && errors > 0 {
        crate::say!(
            "{}",
            tr("有错误，按 --strict 未写出任何文件。", "errors found: with --strict nothing was written.")
        );
        return Ok(Exit::Problems);
    }
    let mut ledger_file = if appending {
        // Existing rows (less the replaced ones), then the new rows.
        written.flush()?;
        let mut fin = OutputFile::create(&plan.output)?;
        let mut w = LedgerWriter::new(&mut fin, true)?;
        let mut keys = Importer::new(&scheme, &roster, false);
        let mut failed = None;
        read_ledger(&plan.output, |e, _| {
            let e = e.to_entry();
            let keep = keys.ledger_key(&e).is_none_or(|k| !importer.replaced.contains(&k));
            if keep && let Err(err) = w.write(&e) {
                failed.get_or_insert(err);
            }
        })?
        .map_err(|e| anyhow::anyhow!(e.msg.text(lang)))?;
        if let Some(e) = failed {
            return Err(e);
        }
        w.finish()?;
        let rows = written.tmp_path().ok_or_else(|| anyhow::anyhow!("new rows"))?;
        std::io::copy(&mut File::open(rows)?, &mut fin)?;
        fin
    } else {
        written
    };
    // Both files are complete and synced before either is put in place (a full disk or a
    // write error leaves both old files); the issues list ends with the ledger's SHA-256, so a
    // run interrupted between the two renames is recognised when the ledger is read.
    ledger_file.prepare()?;
    let mut issues_file = match &plan.issues {
        Some(path) => {
            let digest = Issue {
                severity: Severity::Info,
                msg: crate::core::msg::Msg::LedgerDigest { ledger: ledger_name.clone(), sha256: ledger_file.sha256() },
                location: crate::core::import::ledger::Location { file: ledger_name.clone(), ..Default::default() },
                value: ledger_file.sha256(),
            };
            out.issues.write(&digest)?;
            let mut f = OutputFile::create(path)?;
            f.write_all(crate::cmd::common::csv_bom(path, args.no_bom))?;
            f.write_all(&out.issues.finish()?)?;
            f.prepare()?;
            Some(f)
        }
        None => None,
    };
    ledger_file.commit()?;
    if let Some(f) = issues_file.take() {
        f.commit()?;
    }
    Ok(if errors > 0 { Exit::Problems } else { Exit::Ok })
}

/// Take the advisory lock of a ledger's folder, waiting for another perf writing there. On
/// Unix the folder itself is locked, so nothing is left behind; elsewhere a `.NAME.lock` file
/// beside the ledger is locked (and left, as removing it would race with a waiting writer).
fn lock_ledger(ledger: &Path) -> Result<std::fs::File> {
    let dir = ledger.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir)?;
    #[cfg(unix)]
    let (path, file) = (dir.to_path_buf(), std::fs::File::open(dir));
    #[cfg(not(unix))]
    let (path, file) = {
        let name = ledger.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        let path = dir.join(format!(".{name}.lock"));
        let file = std::fs::OpenOptions::new().create(true).truncate(false).write(true).open(&path);
        (path, file)
    };
    let file =
        file.with_context(|| tr(&format!("无法锁定 {}", path.display()), &format!("cannot lock {}", path.display())))?;
    file.lock()
        .with_context(|| tr(&format!("无法锁定 {}", path.display()), &format!("cannot lock {}", path.display())))?;
    Ok(file)
}

fn layout_text(layout: &str, zh: bool) -> &str {
    match (layout, zh) {
        ("long", true) => "长表",
        ("wide", true) => "宽表",
        ("responses", true) => "逐份问卷",
        ("transposed", true) => "转置表",
        ("matrix", true) => "互评矩阵",
        ("evaluators", true) => "评委列",
        ("ledger", true) => "台账",
        (other, _) => other,
    }
}

fn print_summary(
    summaries: &[SheetSummary],
    completeness: &[CompletenessRow],
    out: &Output,
    lang: Lang,
    issues: Option<&Path>,
) {
    let zh = lang == Lang::Zh;
    let mut t = Table::new();
    t.load_style(presets::UTF8_FULL_CONDENSED);
    t.set_header(if zh {
        vec!["文件", "工作表", "格式", "布局", "考核期", "读取", "入账", "拒收"]
    } else {
        vec!["File", "Sheet", "Format", "Layout", "Period", "Read", "Accepted", "Rejected"]
    });
    let mut total = Counts::default();
    for s in summaries {
        total.read += s.counts.read;
        total.accepted += s.counts.accepted;
        total.rejected += s.counts.rejected;
        t.add_row(vec![
            s.file.clone(),
            s.sheet.clone(),
            format!("{:?}", s.format).to_lowercase(),
            layout_text(s.layout, zh).to_owned(),
            s.period.clone(),
            s.counts.read.to_string(),
            s.counts.accepted.to_string(),
            s.counts.rejected.to_string(),
        ]);
    }
    crate::say!("{t}");
    crate::say!(
        "{}",
        if zh {
            format!("共读取 {} 项 = 入账 {} + 拒收 {}。", total.read, total.accepted, total.rejected)
        } else {
            format!("Read {} = accepted {} + rejected {}.", total.read, total.accepted, total.rejected)
        }
    );
    let incomplete: Vec<&CompletenessRow> = completeness.iter().filter(|r| r.missing > 0 || r.below_min > 0).collect();
    if !completeness.is_empty() {
        if incomplete.is_empty() {
            crate::say!(
                "{}",
                tr(
                    "数据齐全：每个对象的每个指标和评价主体都有值。",
                    "Complete: every subject has values for every indicator and rater."
                )
            );
        } else {
            let mut c = Table::new();
            c.load_style(presets::UTF8_FULL_CONDENSED);
            c.set_header(if zh {
                vec!["考核期", "指标", "评价主体", "应有", "已有", "缺少", "人数不足"]
            } else {
                vec!["Period", "Indicator", "Rater", "Expected", "Present", "Missing", "Below min"]
            });
            for r in &incomplete {
                c.add_row(vec![
                    r.period.clone(),
                    r.indicator.clone(),
                    r.rater.clone(),
                    r.expected.to_string(),
                    r.present.to_string(),
                    r.missing.to_string(),
                    r.below_min.to_string(),
                ]);
            }
            crate::say!("{c}");
            let rest = completeness.len() - incomplete.len();
            crate::say!("{}", tr(&format!("其余 {rest} 项齐全。"), &format!("{rest} more are complete.")));
        }
    }
    let shown: Vec<&Issue> = out.shown[0].iter().chain(out.shown[1].iter()).take(SHOWN_ISSUES).collect();
    for i in &shown {
        let sev = match (i.severity, zh) {
            (Severity::Error, true) => "错误",
            (Severity::Error, false) => "error",
            (Severity::Warning, true) => "警告",
            (Severity::Warning, false) => "warning",
            (Severity::Info, true) => "提示",
            (Severity::Info, false) => "note",
        };
        let sev = crate::io::term::severity(i.severity, sev);
        let at = i.location.source();
        let at = if at.is_empty() { String::new() } else { format!("{at}: ") };
        crate::say!("{at}{sev}[{}]: {}", i.msg.code(), i.msg.text(lang));
    }
    let total_issues: u64 = out.counts[0] + out.counts[1];
    if total_issues as usize > shown.len() {
        let more = total_issues as usize - shown.len();
        match issues {
            Some(p) => crate::say!(
                "{}",
                tr(&format!("…另有 {more} 条，见 {}", p.display()), &format!("… {more} more in {}", p.display()))
            ),
            None => crate::say!(
                "{}",
                tr(
                    &format!("…另有 {more} 条；用 --issues 写出全部",),
                    &format!("… {more} more; write them all with --issues")
                )
            ),
        }
    }
    crate::say!(
        "{}",
        if zh {
            format!("问题：{} 个错误，{} 个警告，{} 条提示。", out.counts[0], out.counts[1], out.counts[2])
        } else {
            format!(
                "Issues: {}, {}, {}.",
                crate::count_en(out.counts[0], "error"),
                crate::count_en(out.counts[1], "warning"),
                crate::count_en(out.counts[2], "note")
            )
        }
    );
}

//! `perf import`: read score files into the canonical ledger, accounting for every entry.
//!
//! Inputs are expanded (folders recursively, Office lock files and hidden files skipped) and
//! read in sorted path order, each sheet's rows in reading order, so the same inputs always
//! give the same ledger bytes. Entries stream to a temporary file beside the ledger, which is
//! renamed into place at the end; with `--strict`, any error leaves no output at all.

use crate::core::diag::Severity;
use crate::core::import::cell::CellValue;
use crate::core::import::header::{self, HEADER_SEARCH_ROWS, Layout, WideColumn, normalize_header};
use crate::core::import::ledger::{CompletenessRow, Context, Counts, Entry, Importer, Issue, Location, Sink};
use crate::core::import::period::find_period;
use crate::core::roster::Roster;
use crate::core::scheme::Scheme;
use crate::io::ledger::{AtomicFile, IssueWriter, LedgerWriter, read_ledger};
use crate::io::table::{self, EncodingChoice, Format, Row};
use crate::{Exit, Lang, tr};
use anyhow::{Context as _, Result, bail};
use comfy_table::{Table, presets};
use std::collections::HashSet;
use std::fs::File;
use std::io::Write;
use std::path::{Path, PathBuf};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// 评分文件或文件夹（CSV、xlsx、xls、xlsb、ods）；文件夹递归读取。省略时用工作区的 inputs。
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
    /// 追加到已有台账；已有的记录算冲突。Append to an existing ledger.
    #[arg(long)]
    pub append: bool,
    /// 与 --append 一起：用新值替换台账中已有的记录。Replace conflicting entries.
    #[arg(long, requires = "append")]
    pub replace: bool,
    /// 有任何错误就什么也不写。Write nothing if there is any error.
    #[arg(long)]
    pub strict: bool,
    /// 只读这个工作表（名称或从 1 开始的序号）。Only this sheet.
    #[arg(long)]
    pub sheet: Option<String>,
    /// 表头所在行（从 1 开始），不自动识别。Header row.
    #[arg(long)]
    pub header_row: Option<usize>,
    /// CSV 文件的编码（默认自动识别）。Encoding of CSV files.
    #[arg(long, value_enum, default_value = "auto")]
    pub encoding: EncodingChoice,
}

/// Per-sheet figures for the summary table.
struct SheetSummary {
    file: String,
    sheet: String,
    format: Format,
    layout: &'static str,
    counts: Counts,
}

/// The sink: entries to the ledger file, issues to the issues file and a short list for the
/// terminal. The first write error is kept and reported at the end.
struct Output {
    ledger: LedgerWriter<AtomicFile>,
    issues: IssueWriter<Vec<u8>>,
    /// The first errors and warnings with a location, for the terminal (completeness
    /// findings are summarised by the completeness table instead).
    shown: [Vec<Issue>; 2],
    counts: [u64; 3],
    error: Option<anyhow::Error>,
}

const SHOWN_ISSUES: usize = 30;

impl Sink for Output {
    fn entry(&mut self, e: Entry) {
        if let Err(err) = self.ledger.write(&e) {
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
}

fn plan(args: &Args, lang_flag: Option<Lang>) -> Result<Plan> {
    let ws = match (&args.workspace, args.scheme.is_some() && args.roster.is_some()) {
        (Some(dir), _) => Some(crate::io::workspace::load_dir(dir)?),
        (None, false) => Some(crate::io::workspace::load_dir(Path::new("."))?),
        (None, true) => crate::io::workspace::load_dir(Path::new(".")).ok(),
    };
    if lang_flag.is_none()
        && let Some(l) = ws.as_ref().and_then(|w| w.doc.lang)
    {
        crate::set_lang(l);
    }
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
    Ok(Plan { scheme, roster, inputs, period: args.period.clone(), default_period, output, issues })
}

/// Expand folders, skip lock and hidden files and the outputs, sort.
fn expand(inputs: &[PathBuf], outputs: &[&Path]) -> Result<Vec<PathBuf>> {
    let outs: HashSet<PathBuf> = outputs.iter().filter_map(|p| canonical(p)).collect();
    let mut files = Vec::new();
    let mut stack: Vec<PathBuf> = Vec::new();
    for input in inputs {
        if !input.exists() {
            bail!(tr(&format!("找不到输入 {}", input.display()), &format!("no such input: {}", input.display())));
        }
        if input.is_file() {
            if canonical(input).is_some_and(|c| outs.contains(&c)) {
                bail!(tr(
                    &format!("输出文件 {} 也是输入：拒绝覆盖输入", input.display()),
                    &format!("the output {} is also an input: refusing to overwrite an input", input.display())
                ));
            }
            files.push(input.clone());
        } else {
            stack.push(input.clone());
        }
    }
    while let Some(dir) = stack.pop() {
        let entries = std::fs::read_dir(&dir)
            .with_context(|| tr(&format!("无法读取 {}", dir.display()), &format!("cannot read {}", dir.display())))?;
        for entry in entries {
            let path = entry?.path();
            let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
            if name.starts_with('.') || name.starts_with("~$") || name.ends_with(".perf-tmp") {
                continue;
            }
            if path.is_dir() {
                stack.push(path);
            } else if !canonical(&path).is_some_and(|c| outs.contains(&c)) {
                files.push(path);
            }
        }
    }
    files.sort();
    files.dedup();
    Ok(files)
}

/// The canonical form of a path that may not exist yet.
fn canonical(p: &Path) -> Option<PathBuf> {
    p.canonicalize().ok().or_else(|| {
        let parent = p.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
        parent.canonicalize().ok().map(|d| d.join(p.file_name().unwrap_or_default()))
    })
}

/// A path as shown and recorded: relative to the working folder when inside it.
fn shown_path(p: &Path) -> String {
    let cwd = std::env::current_dir().ok();
    let rel = match (cwd, p.canonicalize().ok()) {
        (Some(c), Some(abs)) => abs.strip_prefix(&c).map(Path::to_path_buf).unwrap_or_else(|_| p.to_path_buf()),
        _ => p.to_path_buf(),
    };
    rel.to_string_lossy().replace('\\', "/")
}

pub fn run(args: &Args, lang_flag: Option<Lang>) -> Result<Exit> {
    let plan = plan(args, lang_flag)?;
    let lang = crate::lang();
    let (scheme, roster) = match load_inputs(&plan, lang)? {
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
    let files = expand(&plan.inputs, &outputs)?;

    let mut importer = Importer::new(&scheme, &roster, args.replace);
    let ledger_name = shown_path(&plan.output);
    importer.set_ledger_name(&ledger_name);
    let mut existing = 0usize;
    if args.append && plan.output.exists() {
        let result = read_ledger(&plan.output, |e, line| {
            importer.preload(&e, line);
            existing += 1;
        })?;
        if let Err(e) = result {
            eprintln!("{}:{}: {}[{}]: {}", ledger_name, e.line, tr("错误", "error"), e.msg.code(), e.msg.text(lang));
            return Ok(Exit::Usage);
        }
    }

    let appending = args.append && existing > 0;
    let target = if appending { plan.output.with_extension("new-rows") } else { plan.output.clone() };
    let mut out = Output {
        ledger: LedgerWriter::new(AtomicFile::create(&target)?, !appending)?,
        issues: IssueWriter::new(Vec::new(), lang)?,
        shown: [Vec::new(), Vec::new()],
        counts: [0; 3],
        error: None,
    };
    let progress = indicatif::ProgressBar::new(files.len() as u64);
    progress.set_style(
        indicatif::ProgressStyle::with_template("{bar:30} {pos}/{len} {wide_msg}")
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
    );
    let mut summaries = Vec::new();
    for path in &files {
        progress.set_message(shown_path(path));
        import_file(path, args, &scheme, &mut importer, periods, flag_rater, &mut out, &mut summaries);
        progress.inc(1);
    }
    progress.finish_and_clear();
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
        eprintln!("{}", tr("有错误，按 --strict 未写出任何文件。", "errors found: with --strict nothing was written."));
        return Ok(Exit::Problems);
    }
    if appending {
        // Existing rows (less the replaced ones), then the new rows.
        written.flush()?;
        let mut fin = AtomicFile::create(&plan.output)?;
        let mut w = LedgerWriter::new(&mut fin, true)?;
        let mut keys = Importer::new(&scheme, &roster, false);
        let mut failed = None;
        read_ledger(&plan.output, |e, _| {
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
        std::io::copy(&mut File::open(written.tmp_path())?, &mut fin)?;
        fin.commit()?;
    } else {
        written.commit()?;
    }
    if let Some(path) = &plan.issues {
        let mut f = AtomicFile::create(path)?;
        f.write_all(&out.issues.finish()?)?;
        f.commit()?;
    }
    Ok(if errors > 0 { Exit::Problems } else { Exit::Ok })
}

fn rater_index(scheme: &Scheme, text: &str) -> Result<usize> {
    let t = normalize_header(text);
    scheme.raters.iter().position(|r| r.id.eq_ignore_ascii_case(&t) || normalize_header(&r.name) == t).ok_or_else(
        || {
            let ids: Vec<&str> = scheme.raters.iter().map(|r| r.id.as_str()).collect();
            anyhow::anyhow!(tr(
                &format!("--rater {text} 不是方案中的评价主体（{}）", ids.join("、")),
                &format!("--rater {text} is not a rater of the scheme ({})", ids.join(", "))
            ))
        },
    )
}

/// Load and check the scheme and roster; on problems print them and give the exit code.
fn load_inputs(plan: &Plan, lang: Lang) -> Result<std::result::Result<(Scheme, Roster), Exit>> {
    let loaded = crate::io::scheme_file::load(&plan.scheme)?;
    let files = crate::io::located::Files {
        scheme: Some((&plan.scheme, loaded.text.as_ref())),
        roster: Some(&plan.roster),
        ..Default::default()
    };
    let Some(scheme) = loaded.checked.and_then(|c| c.scheme) else {
        for d in loaded.diagnostics.iter().filter(|d| d.is_error()) {
            eprintln!("{}", files.locate(d, lang).render(lang));
        }
        eprintln!(
            "{}",
            tr(
                "考核方案有错误，请先运行 perf validate 修正。",
                "the scheme has errors: fix them first (perf validate)."
            )
        );
        return Ok(Err(Exit::Problems));
    };
    let roster = crate::io::roster::load(&plan.roster)?;
    let roster = match roster {
        Ok(r) => r,
        Err(d) => {
            eprintln!("{}", files.locate(&d, lang).render(lang));
            return Ok(Err(Exit::Problems));
        }
    };
    let problems = crate::core::roster::check_roster(&roster, &scheme);
    if problems.iter().any(crate::core::diag::Diagnostic::is_error) {
        for d in &problems {
            eprintln!("{}", files.locate(d, lang).render(lang));
        }
        return Ok(Err(Exit::Problems));
    }
    Ok(Ok((scheme, roster)))
}

/// The period from --period (first) and from the workspace (last resort).
#[derive(Debug, Clone, Copy)]
struct Periods<'a> {
    flag: Option<&'a str>,
    default: Option<&'a str>,
}

fn header_row_of(layout: &Layout) -> usize {
    match layout {
        Layout::Long { header_row, .. } | Layout::Wide { header_row, .. } => *header_row,
    }
}

/// The period, rater and evaluator a sheet's surroundings give: flags first, then the
/// workbook's `_perf` sheet, then the sheet and file names, then the title rows above the
/// table (period only).
#[allow(clippy::too_many_arguments)]
fn context(
    scheme: &Scheme,
    path: &Path,
    sheet: &str,
    title: &str,
    several_sheets: bool,
    meta: &std::collections::HashMap<String, String>,
    periods: Periods<'_>,
    flag_rater: Option<usize>,
) -> Context {
    let stem = path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
    let name_period = [sheet, stem.as_str(), title]
        .into_iter()
        .filter_map(find_period)
        .find(|p| p.kind == scheme.period)
        .map(|p| p.name);
    let meta_period = meta.get("period").and_then(|p| find_period(p)).map(|p| p.name);
    let period =
        periods.flag.map(str::to_owned).or(meta_period).or(name_period).or_else(|| periods.default.map(str::to_owned));
    let meta_rater = meta.get("rater").and_then(|r| rater_index(scheme, r).ok());
    let rater =
        flag_rater.or(meta_rater).or_else(|| rater_in_name(scheme, sheet)).or_else(|| rater_in_name(scheme, &stem));
    let evaluator =
        meta.get("evaluator").cloned().filter(|e| !e.is_empty()).unwrap_or_else(|| {
            if several_sheets && !sheet.is_empty() { format!("{stem}/{sheet}") } else { stem.clone() }
        });
    Context { period, rater, evaluator }
}

/// A rater named in a file or sheet name: its full name, its name without 评价, or its id as
/// a separate word. The longest match wins.
fn rater_in_name(scheme: &Scheme, name: &str) -> Option<usize> {
    let n = normalize_header(name);
    let lower = n.to_lowercase();
    let words: Vec<&str> = lower.split(|c: char| !c.is_ascii_alphanumeric()).collect();
    scheme
        .raters
        .iter()
        .enumerate()
        .filter_map(|(i, r)| {
            let full = normalize_header(&r.name);
            let short = full.trim_end_matches("评价").to_owned();
            let len = if n.contains(&full) {
                full.chars().count()
            } else if short.chars().count() >= 2 && n.contains(&short) {
                short.chars().count()
            } else if words.contains(&r.id.to_lowercase().as_str()) {
                r.id.len()
            } else {
                return None;
            };
            Some((len, i))
        })
        .max()
        .map(|(_, i)| i)
}

#[allow(clippy::too_many_arguments)]
fn import_file(
    path: &Path,
    args: &Args,
    scheme: &Scheme,
    importer: &mut Importer<'_>,
    periods: Periods<'_>,
    flag_rater: Option<usize>,
    out: &mut Output,
    summaries: &mut Vec<SheetSummary>,
) {
    let file = shown_path(path);
    let file_issue = |out: &mut Output, severity, msg| {
        out.issue(Issue {
            severity,
            msg,
            location: Location { file: file.clone(), ..Location::default() },
            value: String::new(),
        });
    };
    let opened = match table::open(path, args.encoding) {
        Ok(o) => o,
        Err(msg) => return file_issue(out, Severity::Error, msg),
    };
    let names: Vec<String> = opened.sheets.iter().map(|s| s.name.clone()).collect();
    let selected: Vec<usize> = match &args.sheet {
        None => (0..opened.sheets.len()).collect(),
        Some(s) => match names
            .iter()
            .position(|n| n == s)
            .or_else(|| s.parse::<usize>().ok().and_then(|i| i.checked_sub(1)).filter(|&i| i < names.len()))
        {
            Some(i) => vec![i],
            None => {
                return file_issue(
                    out,
                    Severity::Error,
                    crate::core::msg::Msg::SheetNotFound { sheet: s.clone(), available: names },
                );
            }
        },
    };
    let several = selected.len() > 1;
    let mut tables = 0;
    let mut skipped = Vec::new();
    let format = opened.format;
    for (k, sheet) in opened.sheets.into_iter().enumerate() {
        if !selected.contains(&k) {
            continue;
        }
        let sheet_loc = Location { file: file.clone(), sheet: sheet.name.clone(), ..Location::default() };
        let mut rows = sheet.rows;
        // Look ahead for the header.
        let mut head: Vec<Row> = Vec::new();
        let mut broken = None;
        for r in rows.by_ref() {
            match r {
                Ok(row) => {
                    let done = row.0 > HEADER_SEARCH_ROWS + 1;
                    head.push(row);
                    if done {
                        break;
                    }
                }
                Err(msg) => {
                    broken = Some(msg);
                    break;
                }
            }
        }
        let grid = header_grid(&head, &sheet.merges);
        let Some(layout) =
            header::detect(&grid, scheme, importer.index(), args.header_row.map(|h| h.saturating_sub(1)))
        else {
            if let Some(msg) = broken {
                out.issue(Issue { severity: Severity::Error, msg, location: sheet_loc, value: String::new() });
            } else if args.sheet.is_some() {
                out.issue(Issue {
                    severity: Severity::Error,
                    msg: crate::core::msg::Msg::NoTable,
                    location: sheet_loc,
                    value: String::new(),
                });
            } else {
                skipped.push(sheet_loc);
            }
            continue;
        };
        tables += 1;
        header_issues(&layout, scheme, &grid, &file, &sheet.name, out);
        let title: String = grid.iter().take(header_row_of(&layout)).flatten().cloned().collect::<Vec<_>>().join(" ");
        let ctx = context(scheme, path, &sheet.name, &title, several, &opened.meta, periods, flag_rater);
        let layout_name = if matches!(layout, Layout::Long { .. }) { "long" } else { "wide" };
        let start = layout.data_start();
        let mut st = importer.begin(&file, &sheet.name, layout, ctx);
        for (number, cells) in head.into_iter().filter(|(n, _)| *n > start) {
            importer.row(&mut st, number, &cells, out);
        }
        if let Some(msg) = broken {
            out.issue(Issue { severity: Severity::Error, msg, location: sheet_loc.clone(), value: String::new() });
        } else {
            for r in rows {
                match r {
                    Ok((number, cells)) => importer.row(&mut st, number, &cells, out),
                    Err(msg) => {
                        out.issue(Issue {
                            severity: Severity::Error,
                            msg,
                            location: sheet_loc.clone(),
                            value: String::new(),
                        });
                        break;
                    }
                }
            }
        }
        if let Some(stats) = &opened.encoding {
            let stats = stats.borrow();
            if stats.mixed() {
                let msg = crate::core::msg::Msg::MixedEncoding { first_gbk_line: stats.first_gbk_line.unwrap_or(0) };
                let location = Location { row: stats.first_gbk_line, ..sheet_loc.clone() };
                out.issue(Issue { severity: Severity::Warning, msg, location, value: String::new() });
            }
        }
        if st.counts.read == 0 {
            out.issue(Issue {
                severity: Severity::Error,
                msg: crate::core::msg::Msg::NoData,
                location: sheet_loc,
                value: String::new(),
            });
        }
        summaries.push(SheetSummary {
            file: file.clone(),
            sheet: sheet.name,
            format,
            layout: layout_name,
            counts: st.counts,
        });
    }
    if tables == 0 && args.sheet.is_none() {
        file_issue(out, Severity::Error, crate::core::msg::Msg::NoTable);
    } else {
        // Sheets without a score table beside ones with: noted, not an error.
        for location in skipped {
            out.issue(Issue {
                severity: Severity::Info,
                msg: crate::core::msg::Msg::NoTable,
                location,
                value: String::new(),
            });
        }
    }
}

/// The first rows as text, indexed by row number − 1, merged regions filled with their
/// top-left value.
fn header_grid(head: &[Row], merges: &[(usize, usize, usize, usize)]) -> Vec<Vec<String>> {
    let height = head.last().map_or(0, |r| r.0);
    let mut grid: Vec<Vec<String>> = vec![Vec::new(); height];
    for (n, cells) in head {
        grid[n - 1] = cells.iter().map(CellValue::display).collect();
    }
    for &(r0, c0, r1, c1) in merges {
        let Some(value) = grid.get(r0).and_then(|r| r.get(c0)).cloned() else {
            continue;
        };
        for row in grid.iter_mut().take((r1 + 1).min(height)).skip(r0) {
            if row.len() <= c1 {
                row.resize(c1 + 1, String::new());
            }
            for cell in row.iter_mut().take(c1 + 1).skip(c0) {
                if cell.is_empty() {
                    cell.clone_from(&value);
                }
            }
        }
    }
    grid
}

/// Warnings about the header itself: unknown columns, and "(10分)" that disagrees with the
/// scheme.
fn header_issues(layout: &Layout, scheme: &Scheme, grid: &[Vec<String>], file: &str, sheet: &str, out: &mut Output) {
    let Layout::Wide { header_row, header_rows, columns, .. } = layout else {
        return;
    };
    let at = |col: usize| {
        let row = header_row + header_rows; // 1-based number of the last header row
        Location { file: file.to_owned(), sheet: sheet.to_owned(), row: Some(row), column: Some(col) }
    };
    let text =
        |col: usize| grid.get(header_row + header_rows - 1).and_then(|r| r.get(col)).cloned().unwrap_or_default();
    for c in columns {
        match c {
            WideColumn::Unknown { col, header, suggestion, ambiguous } => {
                let msg = if ambiguous.is_empty() {
                    crate::core::msg::Msg::UnknownColumn { header: header.clone(), suggestion: suggestion.clone() }
                } else {
                    crate::core::msg::Msg::AmbiguousIndicator { text: header.clone(), codes: ambiguous.clone() }
                };
                out.issue(Issue { severity: Severity::Warning, msg, location: at(*col), value: text(*col) });
            }
            WideColumn::Indicator { col, indicator, points: Some(h), .. } => {
                if let Some(p) = scheme.indicators[*indicator].points
                    && p != *h
                {
                    let msg = crate::core::msg::Msg::HeaderPointsMismatch {
                        code: scheme.indicators[*indicator].code.clone(),
                        header: *h,
                        points: p,
                    };
                    out.issue(Issue { severity: Severity::Warning, msg, location: at(*col), value: text(*col) });
                }
            }
            _ => {}
        }
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
        vec!["文件", "工作表", "格式", "布局", "读取", "入账", "拒收"]
    } else {
        vec!["File", "Sheet", "Format", "Layout", "Read", "Accepted", "Rejected"]
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
            s.layout.to_owned(),
            s.counts.read.to_string(),
            s.counts.accepted.to_string(),
            s.counts.rejected.to_string(),
        ]);
    }
    eprintln!("{t}");
    eprintln!(
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
            eprintln!(
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
            eprintln!("{c}");
            let rest = completeness.len() - incomplete.len();
            eprintln!("{}", tr(&format!("其余 {rest} 项齐全。"), &format!("{rest} more are complete.")));
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
        let at = i.location.source();
        let at = if at.is_empty() { String::new() } else { format!("{at}: ") };
        eprintln!("{at}{sev}[{}]: {}", i.msg.code(), i.msg.text(lang));
    }
    let total_issues: u64 = out.counts[0] + out.counts[1];
    if total_issues as usize > shown.len() {
        let more = total_issues as usize - shown.len();
        match issues {
            Some(p) => eprintln!(
                "{}",
                tr(&format!("…另有 {more} 条，见 {}", p.display()), &format!("… {more} more in {}", p.display()))
            ),
            None => eprintln!(
                "{}",
                tr(
                    &format!("…另有 {more} 条；用 --issues 写出全部",),
                    &format!("… {more} more; write them all with --issues")
                )
            ),
        }
    }
    eprintln!(
        "{}",
        if zh {
            format!("问题：{} 个错误，{} 个警告，{} 条提示。", out.counts[0], out.counts[1], out.counts[2])
        } else {
            format!("Issues: {} errors, {} warnings, {} notes.", out.counts[0], out.counts[1], out.counts[2])
        }
    );
}

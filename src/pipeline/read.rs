//! The reading half of the pipeline: finding input files, loading the scheme and roster,
//! reading one input file through the import pass into any [`Sink`] (the ledger writer of
//! `perf import`, the scoring aggregator of the pipeline), and printing located issues.

use crate::core::diag::Severity;
use crate::core::import::cell::CellValue;
use crate::core::import::header::{self, HEADER_SEARCH_ROWS, Layout, WideColumn, normalize_header};
use crate::core::import::ledger::{Context, Counts, Importer, Issue, Location, Sink};
use crate::core::import::period::find_period;
use crate::core::roster::Roster;
use crate::core::scheme::Scheme;
use crate::io::table::{self, EncodingChoice, Format, Row};
use crate::{Exit, Lang, tr};
use anyhow::{Context as _, Result, bail};
use std::collections::HashSet;
use std::path::{Path, PathBuf};

/// How to read input files (shared by import, score and explain).
#[derive(Debug, Clone, Default, clap::Args)]
pub struct ReadOptions {
    /// 只读这个工作表（名称或从 1 开始的序号）。Only this sheet.
    #[arg(long)]
    pub sheet: Option<String>,
    /// 表头所在行（从 1 开始），不自动识别。Header row.
    #[arg(long)]
    pub header_row: Option<usize>,
    /// CSV 文件的编码（默认自动识别）。Encoding of CSV files.
    #[arg(long, value_enum, default_value = "auto")]
    pub encoding: EncodingChoice,
    /// 也读取隐藏的行和列（默认不读，逐行逐列提示）。Read hidden rows and columns too.
    #[arg(long)]
    pub include_hidden: bool,
}

/// Per-sheet figures for the summary table.
pub struct SheetSummary {
    pub file: String,
    pub sheet: String,
    pub format: Format,
    pub layout: &'static str,
    /// The period the sheet's values were filed under (empty when unknown).
    pub period: String,
    pub counts: Counts,
}

/// Expand folders, skip lock and hidden files, sort. Folder walks follow symlinks but stop at
/// loops, and skip FIFOs, sockets and devices (a note on stderr for each); perf's own ledger
/// or issues file met in an input folder is skipped too. Any other output found among the
/// inputs stays in the list, for the output guard to refuse.
pub(crate) fn expand(inputs: &[PathBuf], outputs: &[&Path]) -> Result<Vec<PathBuf>> {
    let outs: HashSet<PathBuf> = outputs.iter().filter_map(|p| canonical(p)).collect();
    let mut files = Vec::new();
    for input in inputs {
        if input.as_os_str() == "-" {
            files.push(crate::io::output::stdin_copy()?);
            continue;
        }
        if !input.exists() {
            bail!(tr(&format!("找不到输入 {}", input.display()), &format!("no such input: {}", input.display())));
        }
        if !input.is_dir() {
            if canonical(input).is_some_and(|c| outs.contains(&c)) {
                bail!(tr(
                    &format!("输出文件 {} 也是输入：拒绝覆盖输入", input.display()),
                    &format!("the output {} is also an input: refusing to overwrite an input", input.display())
                ));
            }
            // An explicit FIFO or device (`perf score <(…)`) is read as given.
            files.push(input.clone());
            continue;
        }
        let walk = walkdir::WalkDir::new(input).follow_links(true).sort_by_file_name().into_iter().filter_entry(|e| {
            let name = e.file_name().to_string_lossy();
            e.depth() == 0 || !(name.starts_with('.') || name.starts_with("~$") || name.ends_with(".perf-tmp"))
        });
        for entry in walk {
            let entry = match entry {
                Ok(e) => e,
                Err(e) => {
                    let at = e.path().map(|p| p.display().to_string()).unwrap_or_default();
                    if e.loop_ancestor().is_some() {
                        crate::say!(
                            "{}",
                            tr(
                                &format!("提示：{at} 是指回上级文件夹的链接（循环），已跳过"),
                                &format!("note: {at} links back to a folder above it (a loop): skipped")
                            )
                        );
                        continue;
                    }
                    return Err(anyhow::anyhow!(e)).with_context(|| {
                        tr(&format!("无法读取 {}", input.display()), &format!("cannot read {}", input.display()))
                    });
                }
            };
            if entry.file_type().is_dir() {
                continue;
            }
            let path = entry.into_path();
            if !std::fs::metadata(&path).is_ok_and(|m| m.is_file()) {
                crate::say!(
                    "{}",
                    tr(
                        &format!("提示：{} 不是普通文件（管道、套接字或设备），已跳过", path.display()),
                        &format!("note: {} is not a regular file (a pipe, socket or device): skipped", path.display())
                    )
                );
                continue;
            }
            if canonical(&path).is_some_and(|c| outs.contains(&c)) && crate::io::ledger::is_perf_output(&path) {
                continue;
            }
            files.push(path);
        }
    }
    files.sort();
    files.dedup();
    Ok(files)
}

/// The canonical form of a path that may not exist yet.
pub(crate) fn canonical(p: &Path) -> Option<PathBuf> {
    p.canonicalize().ok().or_else(|| {
        let parent = p.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
        parent.canonicalize().ok().map(|d| d.join(p.file_name().unwrap_or_default()))
    })
}

/// A path as shown and recorded: relative to the working folder when inside it.
/// A path as messages and the ledger show it: relative to the workspace folder when one is in
/// use (so the ledger's `source` column does not depend on the folder perf ran from), else to
/// the current folder; as given when it is outside both; `-` for standard input.
pub(crate) fn shown_path(p: &Path) -> String {
    if crate::io::output::is_stdin_copy(p) {
        return "-".to_owned();
    }
    let base = crate::io::workspace::root().map(Path::to_path_buf).or_else(|| std::env::current_dir().ok());
    let rel = match (base, p.canonicalize().ok()) {
        (Some(b), Some(abs)) => abs.strip_prefix(&b).map(Path::to_path_buf).unwrap_or_else(|_| p.to_path_buf()),
        _ => p.to_path_buf(),
    };
    rel.to_string_lossy().replace('\\', "/")
}

pub(crate) fn rater_index(scheme: &Scheme, text: &str) -> Result<usize> {
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
pub(crate) fn load_inputs(
    scheme_path: &Path,
    roster_path: &Path,
    lang: Lang,
) -> Result<std::result::Result<(Scheme, Roster), Exit>> {
    let loaded = crate::io::scheme_file::load(scheme_path)?;
    let files = crate::io::located::Files {
        scheme: Some((scheme_path, loaded.text.as_ref())),
        roster: Some(roster_path),
        ..Default::default()
    };
    let Some(scheme) = loaded.checked.and_then(|c| c.scheme) else {
        for d in loaded.diagnostics.iter().filter(|d| d.is_error()) {
            crate::say!("{}", files.locate(d, lang).render(lang));
        }
        crate::say!(
            "{}",
            tr(
                "考核方案有错误，请先运行 perf validate 修正。",
                "the scheme has errors: fix them first (perf validate)."
            )
        );
        return Ok(Err(Exit::Problems));
    };
    let roster = crate::io::roster::load(roster_path)?;
    let roster = match roster {
        Ok(r) => r,
        Err(d) => {
            crate::say!("{}", files.locate(&d, lang).render(lang));
            return Ok(Err(Exit::Problems));
        }
    };
    let problems = crate::core::roster::check_roster(&roster, &scheme);
    if problems.iter().any(crate::core::diag::Diagnostic::is_error) {
        for d in &problems {
            crate::say!("{}", files.locate(d, lang).render(lang));
        }
        return Ok(Err(Exit::Problems));
    }
    Ok(Ok((scheme, roster)))
}

/// The period from --period (first) and from the workspace (last resort).
#[derive(Debug, Clone, Copy)]
pub struct Periods<'a> {
    pub flag: Option<&'a str>,
    pub default: Option<&'a str>,
}

/// The period, rater and evaluator a sheet's surroundings give: flags first, then the
/// workbook's `_perf` sheet, then the sheet and file names, then the title rows above the
/// table (period only).
#[allow(clippy::too_many_arguments)]
pub(crate) fn context(
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
    let (period, period_problem) =
        sheet_period(scheme, meta.get("period").map(String::as_str), sheet, &stem, title, periods);
    let meta_rater = meta.get("rater").and_then(|r| rater_index(scheme, r).ok());
    let rater = flag_rater
        .or(meta_rater)
        .or_else(|| rater_in_name(scheme, sheet))
        .or_else(|| rater_in_name(scheme, &stem))
        .or_else(|| rater_in_name(scheme, title));
    let evaluator =
        meta.get("evaluator").cloned().filter(|e| !e.is_empty()).or_else(|| evaluator_in_title(title)).unwrap_or_else(
            || if several_sheets && !sheet.is_empty() { format!("{stem}/{sheet}") } else { stem.clone() },
        );
    Context { period, period_problem, rater, evaluator }
}

/// The evaluating unit a sheet names above its header: "评价单位：区财政局（盖章）" → 区财政局.
fn evaluator_in_title(title: &str) -> Option<String> {
    let t = crate::core::import::cell::fold_width(title);
    let at = ["评价单位", "打分单位", "评分单位", "测评单位"].iter().find_map(|k| t.find(k).map(|i| i + k.len()))?;
    let rest = t[at..].trim_start_matches([':', ' ']);
    let name: String = rest.chars().take_while(|c| !c.is_whitespace() && !"(（【[,，;；".contains(*c)).collect();
    (!name.is_empty()).then_some(name)
}

/// The period of a sheet. `--period` settles it. Otherwise every place that states one —
/// the template's `_perf` sheet, the sheet name, the file name, the title — must agree; a
/// quarter written without its year (一季度) takes the year from the others or from the
/// workspace and must agree with them; the workspace's period is used only where nothing
/// is written.
fn sheet_period(
    scheme: &Scheme,
    meta: Option<&str>,
    sheet: &str,
    stem: &str,
    title: &str,
    periods: Periods<'_>,
) -> (Option<String>, Option<crate::core::msg::Msg>) {
    use crate::core::import::period::find_bare_quarter;
    use crate::core::msg::{Msg, PeriodPlace};
    use crate::core::scheme::PeriodKind;
    if let Some(p) = periods.flag {
        return (Some(p.to_owned()), None);
    }
    let quarterly = scheme.period == PeriodKind::Quarter;
    let mut stated: Vec<(PeriodPlace, String)> = Vec::new();
    let mut bare: Vec<(PeriodPlace, u32)> = Vec::new();
    // A year alone (a workbook "2026年区领导评价" with sheets 一季度 … 四季度).
    let mut year: Option<String> = None;
    if let Some(p) = meta.and_then(find_period).filter(|p| p.kind == scheme.period) {
        stated.push((PeriodPlace::Template, p.name));
    }
    for (place, text) in [(PeriodPlace::SheetName, sheet), (PeriodPlace::FileName, stem), (PeriodPlace::Title, title)] {
        match find_period(text) {
            Some(p) if p.kind == scheme.period => stated.push((place, p.name)),
            Some(p) if p.kind == PeriodKind::Year && quarterly => match find_bare_quarter(text) {
                Some(q) => stated.push((place, format!("{}Q{q}", p.name))),
                None => {
                    year.get_or_insert(p.name);
                }
            },
            _ if quarterly => {
                if let Some(q) = find_bare_quarter(text) {
                    bare.push((place, q));
                }
            }
            _ => {}
        }
    }
    let conflict = |found: &(PeriodPlace, String), expected: &(PeriodPlace, String)| {
        let msg = Msg::PeriodConflict {
            found: found.1.clone(),
            place: found.0,
            expected: expected.1.clone(),
            from: expected.0,
        };
        (None, Some(msg))
    };
    let base = match (stated.first(), bare.first(), year, periods.default) {
        (Some(first), ..) => first.clone(),
        // A quarter without its year, the year written elsewhere in the names.
        (None, Some((place, q)), Some(y), _) => (*place, format!("{y}Q{q}")),
        // Without a year anywhere: the workspace's, and the quarter must agree with it.
        (None, Some(_), None, Some(d)) => (PeriodPlace::Workspace, d.to_owned()),
        (None, _, _, d) => return (d.map(str::to_owned), None),
    };
    if let Some(other) = stated.iter().find(|s| s.1 != base.1) {
        return conflict(other, &base);
    }
    for (place, q) in bare {
        let year = base.1.get(..4).unwrap_or_default();
        let found = (place, format!("{year}Q{q}"));
        if found.1 != base.1 {
            return conflict(&found, &base);
        }
    }
    (Some(base.1), None)
}

/// A rater named in a file or sheet name: its full name, its name without 评价, or its id as
/// a separate word. The longest match wins.
pub(crate) fn rater_in_name(scheme: &Scheme, name: &str) -> Option<usize> {
    let n = normalize_header(name);
    let lower = n.to_lowercase();
    let words: Vec<&str> = lower.split(|c: char| !c.is_ascii_alphanumeric()).collect();
    scheme
        .raters
        .iter()
        .enumerate()
        .filter_map(|(i, r)| {
            let full = normalize_header(&r.name);
            // The name, without 评价/评分 …, and without a leading 区: 区领导评价 → 区领导 → 领导;
            // 部门互评 → 互评.
            let short = ["评价", "评分", "打分", "测评", "评议"]
                .iter()
                .find_map(|s| full.strip_suffix(s))
                .unwrap_or(&full)
                .to_owned();
            let core =
                ["区直", "区", "县", "市"].iter().find_map(|p| short.strip_prefix(p)).unwrap_or(&short).to_owned();
            let mutual = if full.ends_with("互评") { "互评".to_owned() } else { String::new() };
            let named = [&full, &short, &core, &mutual]
                .into_iter()
                .filter(|c| c.chars().count() >= 2 && n.contains(c.as_str()))
                .map(|c| c.chars().count())
                .max();
            let len = match named {
                Some(len) => len,
                None if words.contains(&r.id.to_lowercase().as_str()) => r.id.len(),
                None => return None,
            };
            Some((len, i))
        })
        .max()
        .map(|(_, i)| i)
}

#[allow(clippy::too_many_arguments)]
pub fn import_file(
    path: &Path,
    args: &ReadOptions,
    scheme: &Scheme,
    importer: &mut Importer<'_>,
    periods: Periods<'_>,
    flag_rater: Option<usize>,
    mappings: &[crate::core::import::mapping::Mapping],
    out: &mut dyn Sink,
    summaries: &mut Vec<SheetSummary>,
) {
    let file = shown_path(path);
    // A workspace mapping for this kind of file: its columns, rater, period and words.
    let mapping = mappings.iter().find(|m| m.applies(&file));
    let flag_rater = flag_rater.or(mapping.and_then(|m| m.rater));
    let periods = Periods { flag: periods.flag.or(mapping.and_then(|m| m.period.as_deref())), ..periods };
    let file_issue = |out: &mut dyn Sink, severity, msg| {
        out.issue(Issue {
            severity,
            msg,
            location: Location { file: file.clone(), ..Location::default() },
            value: String::new(),
        });
    };
    // A ledger perf wrote is read as one, its entries passed on as they are.
    if crate::io::ledger::looks_like_ledger(path) {
        crate::io::output::note_input(path);
        let mut counts = Counts::default();
        let result = crate::io::ledger::read_ledger(path, |e, line| {
            importer.ledger_entry(e.to_entry(), &file, line, &mut counts, out)
        });
        match result {
            Ok(Ok(())) => {}
            Ok(Err(e)) => {
                let location = Location { file: file.clone(), row: Some(e.line), ..Location::default() };
                out.issue(Issue { severity: Severity::Error, msg: e.msg, location, value: String::new() });
            }
            Err(e) => file_issue(out, Severity::Error, crate::core::msg::Msg::UnreadableFile { detail: e.to_string() }),
        }
        summaries.push(SheetSummary {
            file: file.clone(),
            sheet: String::new(),
            format: Format::Csv,
            layout: "ledger",
            period: String::new(),
            counts,
        });
        return;
    }
    let opened = match table::open(path, args.encoding) {
        Ok(o) => o,
        Err(msg) => return file_issue(out, Severity::Error, msg),
    };
    // A perf template: its columns against today's scheme.
    let template_rater = opened.meta.get("rater").and_then(|r| rater_index(scheme, r).ok());
    let fingerprint = |columns: &[usize]| crate::io::template::fingerprint(scheme, columns);
    let template_problems =
        crate::core::template::check_meta(scheme, importer.roster(), &opened.meta, template_rater, &fingerprint);
    let template_refused = template_problems.iter().any(|(s, _)| *s == Severity::Error);
    for (severity, msg) in template_problems {
        file_issue(out, severity, msg);
    }
    if template_refused {
        return;
    }
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
    let mut skipped: Vec<(Location, crate::core::msg::Msg)> = Vec::new();
    let format = opened.format;
    let hint_rows = args.header_row.unwrap_or(0).max(HEADER_SEARCH_ROWS);
    for (k, sheet) in opened.sheets.into_iter().enumerate() {
        if !selected.contains(&k) {
            continue;
        }
        let sheet_loc = Location { file: file.clone(), sheet: sheet.name.clone(), ..Location::default() };
        if let Some(msg) = sheet.problem {
            // A sheet too large to read may hold scores: an error; other skipped sheets
            // (charts, macros) hold none.
            let severity = if matches!(msg, crate::core::msg::Msg::SheetTooLarge { .. }) {
                Severity::Error
            } else {
                Severity::Warning
            };
            out.issue(Issue { severity, msg, location: sheet_loc, value: String::new() });
            continue;
        }
        let mut hidden = Hidden::new(&sheet.hidden_rows, &sheet.hidden_cols, args.include_hidden);
        let mut rows = sheet.rows;
        // Look ahead for the header.
        let mut head: Vec<Row> = Vec::new();
        let mut broken = None;
        for r in rows.by_ref() {
            match r {
                Ok(row) => {
                    let done = row.0 > hint_rows + 1;
                    if let Some(row) = hidden.visible(row) {
                        head.push(row);
                    }
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
        let grid = header_grid(&head, &sheet.merges, hint_rows + 2);
        let is_subject = |t: &str| importer.knows_subject(t);
        let stem = path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
        let names = format!("{} {stem}", sheet.name);
        // --header-row, else the row a perf template records in its `_perf` sheet.
        let header_row = args
            .header_row
            .or_else(|| opened.meta.get("header_row").and_then(|v| v.parse().ok()))
            .map(|h: usize| h.saturating_sub(1));
        let detected = match mapping {
            Some(m) => crate::core::import::mapping::layout(m, &grid),
            None => header::detect(&grid, scheme, importer.index(), header_row, &is_subject, &names),
        };
        let layout = match detected {
            Ok(layout) => layout,
            Err(mut no) => {
                hidden.report(&sheet_loc, out);
                // Rows below the rows searched, and nothing above them.
                if matches!(&no.msg, crate::core::msg::Msg::NoTable { why: crate::core::msg::NoTableWhy::Empty, .. })
                    && head.last().is_some_and(|r| r.0 > grid.len())
                {
                    let why = crate::core::msg::NoTableWhy::TooFarDown { rows: hint_rows };
                    no.msg = crate::core::msg::Msg::NoTable { saw: Vec::new(), why };
                }
                let location = Location { row: no.row.map(|r| r + 1), column: no.col, ..sheet_loc.clone() };
                if let Some(msg) = broken {
                    out.issue(Issue { severity: Severity::Error, msg, location: sheet_loc, value: String::new() });
                } else if args.sheet.is_some() || no.col.is_some() {
                    out.issue(Issue { severity: Severity::Error, msg: no.msg, location, value: String::new() });
                    tables += usize::from(no.col.is_some());
                } else {
                    skipped.push((location, no.msg));
                }
                continue;
            }
        };
        tables += 1;
        header_issues(&layout, scheme, &grid, &file, &sheet.name, out);
        let title: String = grid.iter().take(layout.header_row()).flatten().cloned().collect::<Vec<_>>().join(" ");
        let ctx = context(scheme, path, &sheet.name, &title, several, &opened.meta, periods, flag_rater);
        let layout_name = layout.name();
        let start = layout.data_start();
        let head_rows = head.into_iter().filter(|(n, _)| *n > start);
        let mut st = if !matches!(layout, Layout::Long { .. }) {
            // A wide table or a grid is read whole first: its column rules need every value.
            let mut all: Vec<Row> = head_rows.collect();
            if broken.is_none() {
                for r in rows.by_ref() {
                    if all.len() >= MAX_WIDE_ROWS {
                        broken = Some(crate::core::msg::Msg::TooManyRows { limit: MAX_WIDE_ROWS });
                        all.clear();
                        break;
                    }
                    match r {
                        Ok(row) => all.extend(hidden.visible(row)),
                        Err(msg) => {
                            broken = Some(msg);
                            break;
                        }
                    }
                }
            }
            let plans = match &layout {
                Layout::Wide { columns, .. } => {
                    crate::core::import::columns::plan(columns, all.iter().map(|(_, c)| c.as_slice()), scheme)
                }
                _ => std::collections::HashMap::new(),
            };
            // Subjects repeated down a table without evaluator names: each row is a respondent.
            let repeats = match &layout {
                Layout::Wide { subject, evaluator: None, .. } => {
                    let mut seen = HashSet::new();
                    all.iter().any(|(_, c)| {
                        let t = c.get(*subject).map(CellValue::display).unwrap_or_default();
                        !t.trim().is_empty() && !seen.insert(normalize_header(&t))
                    })
                }
                _ => false,
            };
            let mut st = importer.begin(&file, &sheet.name, layout.clone(), ctx, plans);
            st.rows_are_respondents = repeats;
            st.words = mapping.map(|m| m.words.clone()).unwrap_or_default();
            for (number, cells) in &all {
                importer.row(&mut st, *number, cells, out);
            }
            st
        } else {
            let mut st = importer.begin(&file, &sheet.name, layout, ctx, std::collections::HashMap::new());
            st.words = mapping.map(|m| m.words.clone()).unwrap_or_default();
            for (number, cells) in head_rows {
                importer.row(&mut st, number, &cells, out);
            }
            if broken.is_none() {
                for r in rows.by_ref() {
                    match r {
                        Ok(row) => {
                            if let Some((number, cells)) = hidden.visible(row) {
                                importer.row(&mut st, number, &cells, out);
                            }
                        }
                        Err(msg) => {
                            broken = Some(msg);
                            break;
                        }
                    }
                }
            }
            st
        };
        importer.finish(&mut st, out);
        hidden.report(&sheet_loc, out);
        if let Some(msg) = broken {
            out.issue(Issue { severity: Severity::Error, msg, location: sheet_loc.clone(), value: String::new() });
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
            period: st.context.period.clone().unwrap_or_default(),
            counts: st.counts,
        });
    }
    // Sheets without a score table: an error when no sheet of the file has one, a note
    // beside sheets that do.
    let severity = if tables == 0 { Severity::Error } else { Severity::Info };
    for (location, msg) in skipped {
        out.issue(Issue { severity, msg, location, value: String::new() });
    }
}

/// The most rows a wide table or a grid may have: it is read whole before its column rules
/// are decided (a long table streams, whatever its length).
const MAX_WIDE_ROWS: usize = 500_000;

/// Hidden rows and columns of a sheet: skipped (unless `--include-hidden`), each one that
/// holds values reported once.
struct Hidden<'s> {
    rows: &'s std::collections::BTreeSet<usize>,
    cols: &'s std::collections::BTreeSet<usize>,
    include: bool,
    /// (row, values) of hidden rows with values.
    row_values: Vec<(usize, u64)>,
    /// column → (cells with content, the first text in it: its header).
    col_values: std::collections::BTreeMap<usize, (u64, String)>,
}

impl<'s> Hidden<'s> {
    fn new(
        rows: &'s std::collections::BTreeSet<usize>,
        cols: &'s std::collections::BTreeSet<usize>,
        include: bool,
    ) -> Self {
        Hidden { rows, cols, include, row_values: Vec::new(), col_values: std::collections::BTreeMap::new() }
    }

    /// The row as it is read: `None` for a hidden row, hidden columns blanked.
    fn visible(&mut self, (number, mut cells): Row) -> Option<Row> {
        if self.include {
            return Some((number, cells));
        }
        if self.rows.contains(&number) {
            let n = cells.iter().filter(|c| !c.is_blank()).count() as u64;
            if n > 0 {
                self.row_values.push((number, n));
            }
            return None;
        }
        if !self.cols.is_empty() {
            for (i, c) in cells.iter_mut().enumerate() {
                if self.cols.contains(&i) && !c.is_blank() {
                    let entry = self.col_values.entry(i).or_insert_with(|| (0, c.display()));
                    entry.0 += 1;
                    *c = CellValue::Empty;
                }
            }
        }
        Some((number, cells))
    }

    fn report(&mut self, sheet: &Location, out: &mut dyn Sink) {
        for (row, cells) in self.row_values.drain(..) {
            let location = Location { row: Some(row), ..sheet.clone() };
            let msg = crate::core::msg::Msg::HiddenRow { cells };
            out.issue(Issue { severity: Severity::Warning, msg, location, value: String::new() });
        }
        for (col, (cells, header)) in std::mem::take(&mut self.col_values) {
            let location = Location { column: Some(col), ..sheet.clone() };
            let msg = crate::core::msg::Msg::HiddenColumn { header: header.clone(), cells };
            out.issue(Issue { severity: Severity::Warning, msg, location, value: header });
        }
    }
}

/// The first rows as text, indexed by row number − 1, merged regions filled with their
/// top-left value.
pub(crate) fn header_grid(head: &[Row], merges: &[(usize, usize, usize, usize)], rows: usize) -> Vec<Vec<String>> {
    // Only the rows where a header may be (`rows`): a first row far down, after a million
    // blank lines, must not make a million empty ones.
    let height = head.last().map_or(0, |r| r.0).min(rows);
    let mut grid: Vec<Vec<String>> = vec![Vec::new(); height];
    for (n, cells) in head.iter().filter(|(n, _)| *n <= height) {
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

/// Warnings about the header itself: a "(10分)" that disagrees with the scheme on an
/// indicator that is not a rating (on ratings it declares the scale: see
/// [`crate::core::import::columns`]).
pub(crate) fn header_issues(
    layout: &Layout,
    scheme: &Scheme,
    grid: &[Vec<String>],
    file: &str,
    sheet: &str,
    out: &mut dyn Sink,
) {
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
        if let WideColumn::Indicator { col, indicator, points: Some(h), .. } = c {
            let ind = &scheme.indicators[*indicator];
            if crate::core::import::columns::full_scale(ind).is_none()
                && let Some(p) = ind.points
                && p != *h
            {
                let msg = crate::core::msg::Msg::HeaderPointsMismatch { code: ind.code.clone(), header: *h, points: p };
                out.issue(Issue { severity: Severity::Warning, msg, location: at(*col), value: text(*col) });
            }
        }
    }
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
            let sev_text = crate::io::term::severity(sev, sev_text);
            crate::say!("{}: {sev_text}[{}]: {}", i.location.source(), i.msg.code(), i.msg.text(lang));
            shown += 1;
        }
    }
    issues.iter().filter(|i| i.severity == Severity::Error).count()
}

/// A record of a side file and the 1-based line it starts on.
pub type SideRecord = (usize, csv::StringRecord);

/// A side file (decisions, corrections, roster events, history, quarterly or unit results) read
/// whole as CSV: lower-cased headers, and each record with the 1-based line it starts on (a
/// quoted cell may span lines). perf's own CSV outputs guard text against formula injection:
/// the guard is taken off, so a file perf wrote reads back as written. `what` names the file
/// for people.
pub fn read_side_csv(path: &Path, what: (&str, &str)) -> Result<(Vec<String>, Vec<SideRecord>)> {
    let bytes = crate::io::read_whole(path, crate::io::MAX_SIDE_FILE_BYTES, what)?;
    let text = crate::io::text::decode(&bytes)
        .map_err(|_| {
            anyhow::anyhow!(tr(
                &format!("{}：{} 不是文本文件", what.0, path.display()),
                &format!("{}: {} is not a text file", what.1, path.display())
            ))
        })?
        .0;
    let mut r = csv::ReaderBuilder::new().flexible(true).from_reader(text.as_bytes());
    let headers: Vec<String> =
        r.headers()?.iter().map(|h| h.trim().trim_start_matches('\u{feff}').to_lowercase()).collect();
    let mut rows = Vec::new();
    for (k, rec) in r.records().enumerate() {
        let rec = rec?;
        let line = rec.position().map_or(k + 2, |p| usize::try_from(p.line()).unwrap_or(k + 2));
        rows.push((line, rec.iter().map(crate::io::csv_unsafe).collect::<csv::StringRecord>()));
    }
    Ok((headers, rows))
}

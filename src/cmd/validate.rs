//! `perf validate`: check a scheme (and optionally a roster) and show the SMART table.
//!
//! Text output: the SMART table on stdout, each finding and a summary on stderr.
//! `--format json`: a JSON array of findings on stdout (fields: severity, code, message,
//! file, line, column, indicator), nothing else.

use crate::core::check::lint::{Mark, smart};
use crate::core::roster::check_roster;
use crate::core::scheme::Scheme;
use crate::io::located::{Files, Located};
use crate::io::scheme_file::{self, LoadedScheme};
use crate::io::workspace::{self, Target};
use crate::io::{roster, toml_file::TomlText};
use crate::{Exit, Lang};
use anyhow::Result;
use comfy_table::{Cell, CellAlignment, Table, presets};
use std::io::Write;
use std::path::{Path, PathBuf};

pub use crate::cmd::common::TextOrJson as Format;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// 方案文件（.toml）或工作区文件夹；省略时用当前文件夹的 perf.toml。Scheme file or workspace.
    pub target: Option<PathBuf>,
    /// 工作区文件夹（与其他命令一致的写法）。Workspace folder, as the other commands take it.
    #[arg(long = "workspace", short = 'w', conflicts_with = "target")]
    pub workspace: Option<PathBuf>,
    /// 名册文件（CSV），检查其中的类别。Roster to check against the scheme.
    #[arg(long)]
    pub roster: Option<PathBuf>,
    /// 输出格式。Output format.
    #[arg(long, value_enum, default_value = "text")]
    pub format: Format,
    /// 有警告也以退出码 1 结束。Exit 1 on warnings too.
    #[arg(long)]
    pub deny_warnings: bool,
}

pub fn run(args: &Args, lang_flag: Option<Lang>) -> Result<Exit> {
    let target = workspace::locate(args.target.as_deref().or(args.workspace.as_deref()))?;
    let mut word_errors = 0;
    let (scheme_path, workspace_roster, workspace_file) = match target {
        Ok(Target::Scheme(p)) => (p, None, None),
        Ok(Target::Workspace(ws)) => {
            if lang_flag.is_none()
                && let Some(l) = ws.doc.lang
            {
                crate::set_lang(l);
            }
            // The roster's and the history's words against the annual scheme (sanctions,
            // grades, one history row per person and year).
            let issues = crate::pipeline::annual::check_workspace_words(&ws)?;
            word_errors = crate::pipeline::read::print_issues(&issues, crate::lang());
            (ws.scheme(), ws.roster(), Some(ws.file.clone()))
        }
        Err(bad) => {
            let files = Files { workspace: Some((&bad.file, bad.text.as_ref())), ..Files::default() };
            let located = vec![files.locate(&bad.diagnostic, crate::lang())];
            print(&located, args.format, crate::lang())?;
            return Ok(Exit::Usage);
        }
    };
    let lang = crate::lang();
    let loaded = scheme_file::load(&scheme_path)?;
    let roster_path = args.roster.clone().or(workspace_roster);
    let mut diagnostics = loaded.diagnostics.clone();
    if let Some(path) = &roster_path {
        diagnostics.extend(roster_diagnostics(path, scheme(&loaded))?);
    }
    let files = Files {
        scheme: Some((&scheme_path, loaded.text.as_ref())),
        roster: roster_path.as_deref(),
        workspace: workspace_file.as_deref().map(|p| (p, None::<&TomlText>)),
    };
    let mut located: Vec<Located> = diagnostics.iter().map(|d| files.locate(d, lang)).collect();
    located.sort_by(|a, b| (!a.is_error(), &a.file, a.line, a.column).cmp(&(!b.is_error(), &b.file, b.line, b.column)));
    if args.format == Format::Text
        && let Some(s) = scheme(&loaded)
    {
        let mut out = std::io::stdout().lock();
        writeln!(out, "{}", smart_table(s, lang))?;
    }
    print(&located, args.format, lang)?;
    let located_errors = located.iter().filter(|l| l.is_error()).count();
    let warnings = located.len() - located_errors;
    let errors = located_errors + word_errors;
    if args.format == Format::Text {
        let n = scheme(&loaded).map_or(0, |s| s.indicators.len());
        crate::say!(
            "{}",
            match (errors, lang) {
                (0, Lang::Zh) => format!("方案有效：{n} 个指标，{warnings} 个警告。"),
                (0, Lang::En) => format!(
                    "The scheme is valid: {}, {}.",
                    crate::count_en(n as u64, "indicator"),
                    crate::count_en(warnings as u64, "warning")
                ),
                (_, Lang::Zh) => format!("方案有问题：{errors} 个错误，{warnings} 个警告。"),
                (_, Lang::En) => format!(
                    "The scheme has problems: {}, {}.",
                    crate::count_en(errors as u64, "error"),
                    crate::count_en(warnings as u64, "warning")
                ),
            }
        );
    }
    Ok(if errors > 0 || (args.deny_warnings && warnings > 0) { Exit::Problems } else { Exit::Ok })
}

fn scheme(loaded: &LoadedScheme) -> Option<&Scheme> {
    loaded.checked.as_ref().and_then(|c| c.scheme.as_ref())
}

fn roster_diagnostics(path: &Path, scheme: Option<&Scheme>) -> Result<Vec<crate::core::diag::Diagnostic>> {
    Ok(match roster::load(path)? {
        Ok(r) => scheme.map(|s| check_roster(&r, s)).unwrap_or_default(),
        Err(d) => vec![*d],
    })
}

fn print(located: &[Located], format: Format, lang: Lang) -> Result<()> {
    match format {
        Format::Json => {
            let mut out = std::io::stdout().lock();
            serde_json::to_writer_pretty(&mut out, located)?;
            writeln!(out)?;
        }
        Format::Text => {
            let mut err = std::io::stderr().lock();
            for l in located {
                writeln!(err, "{}", l.render(lang))?;
            }
        }
    }
    Ok(())
}

/// The SMART table: one row per leaf indicator, a mark per letter.
pub fn smart_table(scheme: &Scheme, lang: Lang) -> Table {
    let mut table = Table::new();
    table.load_style(presets::UTF8_FULL_CONDENSED);
    let header = match lang {
        Lang::Zh => ["代码", "指标", "计分方法", "S 明确", "M 可衡量", "A 可实现", "R 相关", "T 时限"],
        Lang::En => ["Code", "Indicator", "Method", "S", "M", "A", "R", "T"],
    };
    table.set_header(header);
    for row in smart(scheme) {
        let ind = &scheme.indicators[row.indicator];
        let method = ind.method.as_ref().map_or("", |m| m.kind().label(lang));
        let mut cells = vec![Cell::new(&ind.code), Cell::new(&ind.name), Cell::new(method)];
        cells.extend(row.marks.iter().map(|m| {
            Cell::new(match m {
                Mark::Yes => "✓",
                Mark::No => "✗",
                Mark::NotApplicable => "—",
            })
            .set_alignment(CellAlignment::Center)
        }));
        table.add_row(cells);
    }
    table
}

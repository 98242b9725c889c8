//! Workspaces: a folder with a `perf.toml` naming its scheme, roster and score inputs, and the
//! default period, output folder and language. Paths in `perf.toml` are relative to it.
//! Explicit command-line flags always override what the workspace says.

use crate::Lang;
use crate::core::diag::{Diagnostic, Source};
use crate::io::toml_file::{self, TomlText};
use anyhow::Result;
use schemars::JsonSchema;
use serde::Deserialize;
use std::path::{Path, PathBuf};

/// The name of the workspace file.
pub const WORKSPACE_FILE: &str = "perf.toml";

/// `perf.toml`: a workspace.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct WorkspaceDoc {
    /// 考核方案文件。The scheme file.
    pub scheme: String,
    /// 名册文件。The roster file.
    #[serde(default)]
    pub roster: Option<String>,
    /// 评分数据：文件或文件夹。Score inputs: files or folders.
    #[serde(default)]
    pub inputs: Vec<String>,
    /// 默认考核期，例如 2026Q1。Default period.
    #[serde(default)]
    pub period: Option<String>,
    /// 输出文件夹。Output folder.
    #[serde(default)]
    pub output: Option<String>,
    /// 语言：zh（默认）或 en。Language.
    #[serde(default)]
    pub lang: Option<Lang>,
    /// 年度考核方案（perf annual）。The annual scheme.
    #[serde(default)]
    pub annual: Option<String>,
    /// 历年考核结果文件（year,subject,grade,score,sanctions）。History file.
    #[serde(default)]
    pub history: Option<String>,
    /// 年终考核的评分数据：文件或文件夹。Year-end assessment inputs.
    #[serde(default)]
    pub year_end: Vec<String>,
    /// 人员变动（编号、日期、变动、新值：入职、离职、调动、类别、职级），各考核期按当时的名册计分。Roster events.
    #[serde(default)]
    pub roster_events: Option<String>,
    /// 复核记录（对象、考核期、改什么、理由、批准人、日期），见 docs/scoring.md。Corrections file.
    #[serde(default)]
    pub corrections: Option<String>,
    /// 某些考核期使用另一个方案（年中调整方案），例如 { "2026Q3" = "scheme-下半年.toml", "2026Q4" =
    /// "scheme-下半年.toml" }；其余考核期用 scheme。Schemes for particular periods.
    #[serde(default)]
    pub period_schemes: std::collections::BTreeMap<String, String>,
    /// 固定格式导出文件的读法（见 docs/import.md）。Column mappings for recurring exports.
    #[serde(default)]
    pub mapping: Vec<crate::core::import::mapping::MappingDoc>,
    /// 公开版报告（perf report --public）列出哪些列、是否允许公开个人结果。The public report.
    #[serde(default)]
    pub public: Option<PublicDoc>,
}

/// `[public]`: what `perf report --public` may show.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PublicDoc {
    /// 列：rank（排名）、id（编号）、name（名称）、category（类别）、score（得分）、category_rank（类别排名）、
    /// grade（等次）、points（各一级指标得分）；默认 rank、name、category、score、grade。Columns, in order.
    #[serde(default)]
    pub columns: Option<Vec<PublicColumn>>,
    /// 允许公开公务员个人的结果（默认不允许：公开版只用于单位考核）。Allow persons.
    #[serde(default)]
    pub persons: bool,
}

/// A column of the public report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum PublicColumn {
    /// 排名
    Rank,
    /// 编号
    Id,
    /// 名称
    Name,
    /// 类别
    Category,
    /// 得分
    Score,
    /// 类别排名
    CategoryRank,
    /// 等次
    Grade,
    /// 各一级指标得分
    Points,
}

/// A loaded workspace.
#[derive(Debug, Clone)]
pub struct Workspace {
    pub dir: PathBuf,
    pub file: PathBuf,
    pub doc: WorkspaceDoc,
}

impl Workspace {
    pub fn scheme(&self) -> PathBuf {
        self.dir.join(&self.doc.scheme)
    }

    /// The scheme of a period: the one `period_schemes` names for it (keys compared as periods,
    /// so 2026年第三季度 and 2026Q3 are the same), else `scheme`.
    pub fn scheme_for(&self, period: Option<&str>) -> PathBuf {
        let canonical = |p: &str| crate::core::import::period::find_period(p).map(|f| f.name);
        let wanted = period.and_then(canonical);
        self.doc
            .period_schemes
            .iter()
            .find(|(k, _)| wanted.is_some() && canonical(k) == wanted)
            .map_or_else(|| self.scheme(), |(_, s)| self.dir.join(s))
    }

    pub fn roster(&self) -> Option<PathBuf> {
        self.doc.roster.as_ref().map(|r| self.dir.join(r))
    }

    pub fn annual(&self) -> Option<PathBuf> {
        self.doc.annual.as_ref().map(|r| self.dir.join(r))
    }

    pub fn roster_events(&self) -> Option<PathBuf> {
        self.doc.roster_events.as_ref().map(|r| self.dir.join(r))
    }

    pub fn corrections(&self) -> Option<PathBuf> {
        self.doc.corrections.as_ref().map(|r| self.dir.join(r))
    }

    pub fn history(&self) -> Option<PathBuf> {
        self.doc.history.as_ref().map(|r| self.dir.join(r))
    }

    pub fn year_end(&self) -> Vec<PathBuf> {
        self.doc.year_end.iter().map(|r| self.dir.join(r)).collect()
    }

    /// The `[[mapping]]` tables checked against the scheme; a wrong one is an error that
    /// names perf.toml.
    pub fn mappings(&self, scheme: &crate::core::scheme::Scheme) -> Result<Vec<crate::core::import::mapping::Mapping>> {
        self.doc
            .mapping
            .iter()
            .enumerate()
            .map(|(i, m)| {
                crate::core::import::mapping::check(m, i + 1, scheme)
                    .map_err(|msg| anyhow::anyhow!("{}: {}", self.file.display(), msg.text(crate::lang())))
            })
            .collect()
    }
}

/// What a command was pointed at.
#[derive(Debug)]
pub enum Target {
    Workspace(Box<Workspace>),
    /// A scheme file given directly.
    Scheme(PathBuf),
}

/// A workspace file that could not be read as one, with its diagnostic.
#[derive(Debug)]
pub struct BadWorkspace {
    pub file: PathBuf,
    pub diagnostic: Diagnostic,
    pub text: Option<TomlText>,
}

/// Resolve a command's target: a folder (its `perf.toml`), a `perf.toml`, any other file (a
/// scheme), or nothing (the current folder's `perf.toml`).
pub fn locate(arg: Option<&Path>) -> Result<std::result::Result<Target, BadWorkspace>> {
    let path = arg.map_or_else(|| PathBuf::from("."), Path::to_path_buf);
    let file = if path.is_dir() {
        let file = path.join(WORKSPACE_FILE);
        if !file.is_file() {
            anyhow::bail!(crate::tr(
                &format!("{} 不是工作区：找不到 {WORKSPACE_FILE}（或直接给出方案文件）", path.display()),
                &format!("{} is not a workspace: no {WORKSPACE_FILE} in it (or name a scheme file)", path.display()),
            ));
        }
        file
    } else if path.file_name().is_some_and(|n| n == WORKSPACE_FILE) {
        path
    } else {
        if !path.exists() {
            anyhow::bail!(crate::tr(
                &format!("找不到文件 {}", path.display()),
                &format!("no such file: {}", path.display())
            ));
        }
        return Ok(Ok(Target::Scheme(path)));
    };
    let bytes = crate::io::read_whole(&file, crate::io::MAX_SETTINGS_BYTES, ("工作区文件", "workspace file"))?;
    let dir = file.parent().map_or_else(|| PathBuf::from("."), Path::to_path_buf);
    Ok(match toml_file::parse::<WorkspaceDoc>(&bytes, Source::Workspace) {
        Ok((doc, _)) => Ok(Target::Workspace(Box::new(Workspace { dir, file, doc }))),
        Err(f) => Err(BadWorkspace { file, diagnostic: f.diagnostic, text: f.text }),
    })
}

/// Load the workspace in `dir` (its `perf.toml`); a missing or malformed file is an error
/// that names the file, line and column.
/// The folder whose workspace applies when none is named: the current folder or the nearest
/// one above it with a `perf.toml` (as cargo and just find theirs); the current folder when
/// there is none (loading it then says that there is no workspace).
pub fn current() -> std::path::PathBuf {
    let cwd = std::env::current_dir().unwrap_or_else(|_| std::path::PathBuf::from("."));
    match cwd.ancestors().find(|d| d.join(WORKSPACE_FILE).is_file()) {
        Some(d) if d == cwd => std::path::PathBuf::from("."),
        Some(d) => d.to_path_buf(),
        None => std::path::PathBuf::from("."),
    }
}

/// The one message for "no workspace here" (every command): what was looked for and how to
/// make one.
/// The workspace of a command that needs a scheme and a roster: the folder given, else the
/// one found from the current folder upward — required unless both files are named on the
/// command line (`explicit`; then a workspace found is still used for its other settings). Its
/// `lang` becomes the message language unless `--lang`/`PERF_LANG` chose one.
pub fn resolve(dir: Option<&Path>, explicit: bool, lang_flag: Option<Lang>) -> Result<Option<Workspace>> {
    let ws = match (dir, explicit) {
        (Some(d), _) => Some(load_dir(d)?),
        (None, false) => {
            let here = current();
            if !here.join(WORKSPACE_FILE).is_file() {
                return Err(none_found("考核方案", "scheme", "--scheme"));
            }
            Some(load_dir(&here)?)
        }
        (None, true) => load_dir(&current()).ok(),
    };
    if lang_flag.is_none()
        && let Some(l) = ws.as_ref().and_then(|w| w.doc.lang)
    {
        crate::set_lang(l);
    }
    Ok(ws)
}

pub fn none_found(what_zh: &str, what_en: &str, flag: &str) -> anyhow::Error {
    anyhow::anyhow!(crate::tr(
        &format!(
            "没有{what_zh}：当前文件夹及其上级都没有工作区文件 {WORKSPACE_FILE}，也没有给出 {flag}。\
             请给出工作区文件夹，或用 `perf init 文件夹` 新建一个示例工作区"
        ),
        &format!(
            "no {what_en}: neither this folder nor any above it has a {WORKSPACE_FILE}, and no {flag} was given. \
             Name a workspace folder, or make one with `perf init FOLDER`"
        )
    ))
}

/// A path given on the command line that does not exist: "not found", before anything else.
pub fn check_exists(paths: &[std::path::PathBuf]) -> Result<()> {
    for p in paths {
        // `-` is standard input.
        if p.as_os_str() != "-" && !p.exists() {
            anyhow::bail!(crate::tr(
                &format!("找不到 {}：没有这个文件或文件夹", p.display()),
                &format!("{} not found: no such file or folder", p.display())
            ));
        }
    }
    Ok(())
}

/// The folder of the workspace in use, once one is loaded: file names in messages and the
/// ledger's `source` column are written relative to it, whichever folder perf runs from.
static ROOT: std::sync::OnceLock<PathBuf> = std::sync::OnceLock::new();

/// The workspace folder paths are shown relative to (the first workspace loaded).
pub fn root() -> Option<&'static Path> {
    ROOT.get().map(PathBuf::as_path)
}

pub fn load_dir(dir: &Path) -> Result<Workspace> {
    let file = if dir.is_dir() { dir.join(WORKSPACE_FILE) } else { dir.to_path_buf() };
    match locate(Some(&file))? {
        Ok(Target::Workspace(ws)) => {
            if let Ok(abs) = ws.dir.canonicalize() {
                let _ = ROOT.set(abs);
            }
            Ok(*ws)
        }
        Ok(Target::Scheme(_)) => anyhow::bail!(crate::tr(
            &format!("{} 不是工作区文件 {WORKSPACE_FILE}", file.display()),
            &format!("{} is not a {WORKSPACE_FILE}", file.display())
        )),
        Err(bad) => {
            let files =
                crate::io::located::Files { workspace: Some((&bad.file, bad.text.as_ref())), ..Default::default() };
            anyhow::bail!(files.locate(&bad.diagnostic, crate::lang()).render(crate::lang()))
        }
    }
}

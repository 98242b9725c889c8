//! `perf init`: a ready workspace from the examples built into the binary, so that someone with
//! only the installed `perf` gets a scored example in two commands. Never overwrites a file.

use crate::{Exit, Lang, tr};
use anyhow::{Context, Result, bail};
use include_dir::{Dir, DirEntry, include_dir};
use std::io::Write;
use std::path::{Path, PathBuf};

static UNITS: Dir<'_> = include_dir!("$CARGO_MANIFEST_DIR/examples/units");
static STAFF: Dir<'_> = include_dir!("$CARGO_MANIFEST_DIR/examples/staff");
const SCHEME_SCHEMA: &str = include_str!("../../schemas/scheme.schema.json");
const WORKSPACE_SCHEMA: &str = include_str!("../../schemas/workspace.schema.json");

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Example {
    #[value(help = crate::choice(
        "区直机关单位季度与年度考核（20 个单位，4 个类别）",
        "agencies, quarterly and annual (20 units in 4 categories)"
    ))]
    Units,
    #[value(help = crate::choice(
        "公务员平时与年度考核（5 个单位，领导干部与一般干部分别计算名额）",
        "civil servants, quarterly and annual (5 units; leaders and staff graded in separate quotas)"
    ))]
    Staff,
}

#[derive(Debug, clap::Args)]
pub struct Args {
    /// 新工作区的文件夹（不存在时创建）。Folder of the new workspace.
    pub dir: PathBuf,
    /// 用哪个示例。Which example.
    #[arg(long, value_enum, default_value = "units")]
    pub example: Example,
    /// 文件夹不是空的也写入。 已有的文件仍然不会被覆盖。 Write into a non-empty folder.
    #[arg(long)]
    pub force: bool,
}

/// The files of the workspace: path relative to its folder, and contents.
fn files(example: Example, lang: Lang) -> Vec<(PathBuf, Vec<u8>)> {
    let dir = match example {
        Example::Units => &UNITS,
        Example::Staff => &STAFF,
    };
    let mut out = Vec::new();
    collect(dir, &mut out);
    // Outputs of earlier runs in the source tree are not part of the example.
    out.retain(|(p, _)| !p.starts_with("out") && !p.starts_with("published"));
    for (path, bytes) in &mut out {
        if path.extension().is_some_and(|e| e == "toml") {
            let text = String::from_utf8_lossy(bytes).replace("#:schema ../../schemas/", "#:schema schemas/");
            let text = if path == Path::new("perf.toml") && lang == Lang::En {
                text.replace("lang = \"zh\"", "lang = \"en\"")
            } else {
                text
            };
            *bytes = text.into_bytes();
        }
    }
    out.push((PathBuf::from("schemas/scheme.schema.json"), SCHEME_SCHEMA.as_bytes().to_vec()));
    out.push((PathBuf::from("schemas/workspace.schema.json"), WORKSPACE_SCHEMA.as_bytes().to_vec()));
    out.push((PathBuf::from("使用说明.md"), guide(example).into_bytes()));
    out.sort();
    out
}

fn collect(dir: &Dir<'_>, out: &mut Vec<(PathBuf, Vec<u8>)>) {
    for entry in dir.entries() {
        match entry {
            DirEntry::Dir(d) => collect(d, out),
            DirEntry::File(f) => out.push((f.path().to_path_buf(), f.contents().to_vec())),
        }
    }
}

fn guide(example: Example) -> String {
    let (what, annual) = match example {
        Example::Units => (
            "区直机关单位的季度绩效考核（20 个单位，4 个类别，各类别分别排名、定等次）",
            "单位年度等次、个人优秀比例、绩效奖励资金",
        ),
        Example::Staff => (
            "公务员平时考核（5 个单位，领导干部与一般干部分别计算“好”等次名额）",
            "年度等次、嘉奖与记功、职级晋升年限、年度考核奖金",
        ),
    };
    format!(
        "# 使用说明\n\n\
         这是 perf 的示例工作区：{what}。\n\n\
         - `perf.toml`：工作区设置（方案、名册、数据文件夹、默认考核期、语言）。\n\
         - `scheme.toml`：考核方案（指标、分值、评价主体、计分方法、等次与名额），逐项说明见 perf 的 docs/scheme.md。\n\
         - `roster.csv`：名册。\n\
         - `data/`：各方报来的评分表（CSV、Excel），perf 直接读取。\n\
         - `annual.toml`：年度考核与结果运用规则（{annual}）。\n\n\
         常用命令（在这个文件夹里运行，或把文件夹作为参数）：\n\n\
         ```\n\
         perf validate .          # 检查方案\n\
         perf score .             # 计分、排名、定等次（默认考核期见 perf.toml）\n\
         perf explain <编号> .    # 一个对象的得分是怎么算出来的\n\
         perf report . -o 考核结果.xlsx\n\
         perf annual .            # 年度考核与结果运用\n\
         ```\n\n\
         改成本单位的考核：编辑 scheme.toml 和 roster.csv，把评分表放进 data/，再运行 `perf validate .`。\n"
    )
}

pub fn run(args: &Args, lang_flag: Option<Lang>) -> Result<Exit> {
    let lang = lang_flag.unwrap_or(Lang::Zh);
    crate::set_lang(lang);
    let dir = &args.dir;
    if dir.exists() && !dir.is_dir() {
        bail!(tr(
            &format!("{} 已存在，但不是文件夹", dir.display()),
            &format!("{} exists and is not a folder", dir.display())
        ));
    }
    let non_empty = dir.is_dir()
        && std::fs::read_dir(dir).with_context(|| tr("无法读取文件夹", "cannot read the folder"))?.next().is_some();
    if non_empty && !args.force {
        bail!(tr(
            &format!("文件夹 {} 不是空的；要在其中加入示例文件请加 --force（已有的文件不会被覆盖）", dir.display()),
            &format!(
                "folder {} is not empty; add --force to put the example's files in it (existing files are never overwritten)",
                dir.display()
            )
        ));
    }
    let files = files(args.example, lang);
    let taken: Vec<String> =
        files.iter().filter(|(p, _)| dir.join(p).exists()).map(|(p, _)| p.display().to_string()).collect();
    if !taken.is_empty() {
        let (first, more) = (taken.iter().take(5).cloned().collect::<Vec<_>>(), taken.len().saturating_sub(5));
        bail!(tr(
            &format!(
                "{} 个文件已经存在，不会覆盖，什么都没有写：{}{}",
                taken.len(),
                first.join("、"),
                if more > 0 { " 等" } else { "" }
            ),
            &format!(
                "{} files already exist and are not overwritten; nothing was written: {}{}",
                taken.len(),
                first.join(", "),
                if more > 0 { ", …" } else { "" }
            )
        ));
    }
    for (rel, bytes) in &files {
        let path = dir.join(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).with_context(|| {
                tr(&format!("无法创建 {}", parent.display()), &format!("cannot create {}", parent.display()))
            })?;
        }
        // create_new: a file that appeared meanwhile is an error, never overwritten.
        let mut f = std::fs::OpenOptions::new().write(true).create_new(true).open(&path).with_context(|| {
            tr(&format!("无法写入 {}", path.display()), &format!("cannot write {}", path.display()))
        })?;
        f.write_all(bytes)?;
    }
    let shown = dir.display().to_string();
    let shown = if shown.contains(char::is_whitespace) { format!("\"{shown}\"") } else { shown };
    let text = tr(
        &format!(
            "已创建示例工作区 {shown}（{} 个文件）。接下来：\n  perf validate {shown}\n  perf score {shown}\n  perf explain {} {shown}\n  perf report {shown} -o 考核结果.xlsx\n  perf annual {shown}\n说明见 {shown}/使用说明.md。",
            files.len(),
            first_subject(args.example)
        ),
        &format!(
            "Created the example workspace {shown} ({} files). Next:\n  perf validate {shown}\n  perf score {shown}\n  perf explain {} {shown}\n  perf report {shown} -o results.xlsx\n  perf annual {shown}\nSee {shown}/使用说明.md.",
            files.len(),
            first_subject(args.example)
        ),
    );
    crate::say!("{text}");
    Ok(Exit::Ok)
}

fn first_subject(example: Example) -> &'static str {
    match example {
        Example::Units => "U01",
        Example::Staff => "P001",
    }
}

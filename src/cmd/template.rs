//! `perf template`: entry workbooks generated from the scheme and roster for one period, so
//! that what comes back imports with no flags (see docs/template.md).

use crate::core::import::period::{find_period, label};
use crate::core::template::{By, plan};
use crate::io::output::OutputFile;
use crate::pipeline::read::{load_inputs, rater_index};
use crate::{Exit, Lang, tr};
use anyhow::{Result, bail};
use std::io::Write;
use std::path::{Path, PathBuf};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// 工作区文件夹（默认从当前文件夹向上找 perf.toml）。Workspace folder.
    pub path: Option<PathBuf>,
    /// 工作区文件夹（也可以直接写在位置参数）。Workspace folder.
    #[arg(long, short = 'w')]
    pub workspace: Option<PathBuf>,
    /// 考核方案（默认取工作区）。Scheme file.
    #[arg(long)]
    pub scheme: Option<PathBuf>,
    /// 名册（默认取工作区）。Roster file.
    #[arg(long)]
    pub roster: Option<PathBuf>,
    /// 考核期，如 2026Q1、2026年第一季度（默认取工作区的 period）。Period.
    #[arg(long)]
    pub period: Option<String>,
    /// 按什么分工作簿：rater 每个评价主体一个；unit 互评、服务对象等按评价单位各一个。Split by.
    #[arg(long, value_enum, default_value = "rater")]
    pub by: By,
    /// 只生成这个评价主体的模板（id 或名称）。Only this rater.
    #[arg(long)]
    pub rater: Option<String>,
    /// 输出文件夹（每个模板一个 .xlsx），或只有一个模板时的 .xlsx 文件名。Output folder or file.
    #[arg(long, short = 'o')]
    pub output: PathBuf,
    /// 工作表保护密码（默认保护但不设密码）。Sheet protection password.
    #[arg(long)]
    pub password: Option<String>,
}

pub fn run(args: &Args, lang_flag: Option<Lang>) -> Result<Exit> {
    let dir = args.workspace.clone().or_else(|| args.path.clone());
    crate::io::workspace::check_exists(dir.as_slice())?;
    let explicit = args.scheme.is_some() && args.roster.is_some();
    let ws = crate::io::workspace::resolve(dir.as_deref(), explicit, lang_flag)?;
    let lang = crate::lang();
    let scheme_path = args.scheme.clone().or_else(|| ws.as_ref().map(|w| w.scheme()));
    let roster_path = args.roster.clone().or_else(|| ws.as_ref().and_then(|w| w.roster()));
    let (Some(scheme_path), Some(roster_path)) = (scheme_path, roster_path) else {
        bail!(tr(
            "需要方案和名册：请用 --scheme、--roster 指定",
            "a scheme and a roster are needed: --scheme, --roster"
        ));
    };
    let (scheme, roster) = match load_inputs(&scheme_path, &roster_path, lang)? {
        Ok(x) => x,
        Err(exit) => return Ok(exit),
    };
    let period_text =
        args.period.clone().or_else(|| ws.as_ref().and_then(|w| w.doc.period.clone())).ok_or_else(|| {
            anyhow::anyhow!(tr("请用 --period 指定考核期，如 2026Q1", "name the period with --period, e.g. 2026Q1"))
        })?;
    let period = match find_period(&period_text) {
        Some(p) if p.kind == scheme.period => p.name,
        _ => bail!(tr(
            &format!("考核期 {period_text} 不是方案的考核周期"),
            &format!("period {period_text} is not of the scheme's kind")
        )),
    };
    let only = args.rater.as_deref().map(|r| rater_index(&scheme, r)).transpose()?;
    let books = plan(&scheme, &roster, &period, args.by, only);
    if books.is_empty() {
        bail!(tr("方案中没有要填写的指标", "the scheme has nothing to fill in"));
    }
    let single = args.output.extension().is_some_and(|e| e.eq_ignore_ascii_case("xlsx"));
    if single && books.len() > 1 {
        let names: Vec<&str> = books.iter().map(|b| b.stem.as_str()).collect();
        bail!(tr(
            &format!("要生成 {} 个模板（{}）：-o 请给文件夹，或用 --rater 只生成一个", books.len(), names.join("、")),
            &format!(
                "{} templates to write ({}): give -o a folder, or choose one with --rater",
                books.len(),
                names.join(", ")
            )
        ));
    }
    let targets: Vec<PathBuf> = if single {
        vec![args.output.clone()]
    } else {
        books.iter().map(|b| args.output.join(format!("{}.xlsx", b.stem))).collect()
    };
    // Never replace a file: a returned template may already be filled in.
    if let Some(existing) = targets.iter().find(|t| t.exists()) {
        bail!(tr(
            &format!("{} 已存在：不会覆盖（可能已经填写），请换一个输出位置", existing.display()),
            &format!("{} exists: not overwritten (it may be filled in); choose another output", existing.display())
        ));
    }
    if !single {
        std::fs::create_dir_all(&args.output)?;
    }
    let period_label = label(&period, Lang::Zh);
    let meta = crate::io::template::Meta {
        scheme: &scheme,
        roster: &roster,
        period: &period,
        period_label: &period_label,
        password: args.password.as_deref(),
    };
    for (book, target) in books.iter().zip(&targets) {
        let bytes = crate::io::template::build(book, &meta)?;
        let mut f = OutputFile::create(target)?;
        f.write_all(&bytes)?;
        f.commit()?;
        crate::say!("{}", tr(&format!("已写出 {}", shown(target)), &format!("wrote {}", shown(target))));
    }
    crate::say!(
        "{}",
        tr(
            "发给各评价主体填写；收回后放进工作区的 data 文件夹，运行 perf import 或 perf score，不需要任何参数。",
            "send them out to be filled in; put the returned files in the workspace's data folder and run perf import or perf score, with no flags."
        )
    );
    Ok(Exit::Ok)
}

fn shown(p: &Path) -> String {
    p.display().to_string()
}

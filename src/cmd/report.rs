//! `perf report` (and `perf score --report`): score, then write the leaders' workbook.

use crate::cmd::common::{grade_counts, write_report};
use crate::pipeline::read::print_issues;
use crate::pipeline::{ScoreInputs, run_scoring};
use crate::{Exit, Lang};
use anyhow::Result;
use std::path::PathBuf;

#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    pub inputs: ScoreInputs,
    /// 报告文件（.xlsx）。The workbook to write.
    #[arg(long, short = 'o')]
    pub output: PathBuf,
    /// 只为这些对象画雷达图（编号或名称，逗号分隔）。Radar charts for these subjects.
    #[arg(long, value_delimiter = ',')]
    pub subjects: Vec<String>,
    /// 生成时间（RFC 3339，如 2026-04-08T09:00:00+08:00），使同样的输入得到完全相同的文件；
    /// 也可用环境变量 SOURCE_DATE_EPOCH。Generation time, for reproducible files.
    #[arg(long)]
    pub timestamp: Option<String>,
    /// 写公开版：只有考核结果（列由 perf.toml 的 [public] 决定），不含评价人、原始分和数据问题；
    /// 默认只用于单位考核。Write the public version.
    #[arg(long)]
    pub public: bool,
}

pub fn run(args: &Args, lang_flag: Option<Lang>) -> Result<Exit> {
    // Every earlier period of the data too, for the 趋势 sheet.
    let inputs = ScoreInputs { trend: true, ..args.inputs.clone() };
    let scored = match run_scoring(&inputs, lang_flag, None)? {
        Ok(s) => s,
        Err(exit) => return Ok(exit),
    };
    let errors = print_issues(&scored.issues, crate::lang());
    if args.public {
        crate::cmd::common::write_public(&scored, &args.output, args.timestamp.as_deref())?;
    } else {
        write_report(&scored, &args.output, &args.subjects, args.timestamp.as_deref())?;
    }
    crate::say!("{}", grade_counts(&scored, crate::lang()));
    let problems = errors > 0
        || scored.results.iter().any(|r| !r.complete)
        || scored.results.iter().any(|r| r.flags.contains(&crate::core::score::engine::Flag::TieAtQuota));
    Ok(if problems { Exit::Problems } else { Exit::Ok })
}

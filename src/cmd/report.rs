//! `perf report` (and `perf score --report`): score, then write the leaders' workbook.

use crate::cmd::score::{ScoreInputs, Scored, print_issues, run_scoring};
use crate::io::output::OutputFile;
use crate::io::report::{InputFile, ReportData, build};
use crate::{Exit, Lang, tr};
use anyhow::{Context as _, Result, bail};
use sha2::{Digest, Sha256};
use std::io::Write;
use std::path::{Path, PathBuf};

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
}

/// The generation time: --timestamp, else SOURCE_DATE_EPOCH, else now (unix seconds).
fn generation_time(flag: Option<&str>) -> Result<i64> {
    if let Some(t) = flag {
        let ts: jiff::Timestamp = t.parse().map_err(|e| {
            anyhow::anyhow!(tr(
                &format!("--timestamp {t} 不是 RFC 3339 时间（{e}）"),
                &format!("--timestamp {t} is not RFC 3339 ({e})")
            ))
        })?;
        return Ok(ts.as_second());
    }
    if let Ok(epoch) = std::env::var("SOURCE_DATE_EPOCH") {
        return epoch.trim().parse().map_err(|_| {
            anyhow::anyhow!(tr("SOURCE_DATE_EPOCH 不是整数秒", "SOURCE_DATE_EPOCH is not whole seconds"))
        });
    }
    Ok(jiff::Timestamp::now().as_second())
}

fn hash_file(path: &Path) -> Result<InputFile> {
    let mut f = std::fs::File::open(path).with_context(|| path.display().to_string())?;
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; 64 * 1024];
    let mut bytes = 0u64;
    loop {
        let n = std::io::Read::read(&mut f, &mut buf)?;
        if n == 0 {
            break;
        }
        hasher.update(&buf[..n]);
        bytes += n as u64;
    }
    let digest = hasher.finalize();
    let sha256 = digest.iter().map(|b| format!("{b:02x}")).collect();
    Ok(InputFile { path: crate::cmd::common::shown_path(path), bytes, sha256 })
}

/// Write the workbook for a scoring run, atomically, never over an input.
pub fn write(scored: &Scored, path: &Path, subjects: &[String], timestamp: Option<&str>) -> Result<()> {
    let target = path.canonicalize().ok();
    if target.is_some() && scored.files.iter().any(|f| f.canonicalize().ok() == target) {
        bail!(tr(
            &format!("报告文件 {} 是输入文件：拒绝覆盖", path.display()),
            &format!("{} is an input: refusing to overwrite it", path.display())
        ));
    }
    let inputs = scored.files.iter().map(|f| hash_file(f)).collect::<Result<Vec<_>>>()?;
    let data = ReportData {
        scheme: &scored.scheme,
        roster: &scored.roster,
        period: &scored.period,
        results: &scored.results,
        issues: &scored.issues,
        inputs: &inputs,
        generated: generation_time(timestamp)?,
        radar_subjects: subjects,
        lang: crate::lang(),
    };
    let bytes = build(&data)?;
    let mut f = OutputFile::create(path)?;
    f.write_all(&bytes)?;
    f.commit()?;
    crate::say!("{}", tr(&format!("已写出报告 {}", path.display()), &format!("wrote {}", path.display())));
    Ok(())
}

pub fn run(args: &Args, lang_flag: Option<Lang>) -> Result<Exit> {
    let scored = match run_scoring(&args.inputs, lang_flag, None)? {
        Ok(s) => s,
        Err(exit) => return Ok(exit),
    };
    let errors = print_issues(&scored.issues, crate::lang());
    write(&scored, &args.output, &args.subjects, args.timestamp.as_deref())?;
    crate::say!("{}", crate::cmd::score::grade_counts(&scored, crate::lang()));
    let problems = errors > 0
        || scored.results.iter().any(|r| !r.complete)
        || scored.results.iter().any(|r| r.flags.contains(&crate::core::score::engine::Flag::TieAtQuota));
    Ok(if problems { Exit::Problems } else { Exit::Ok })
}

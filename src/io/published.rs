//! Published periods: `perf score --publish` freezes a period's results in the workspace, in
//! `published/<period>.csv` (the `perf score` CSV, as published) and `published/<period>.toml`
//! (what they were computed from: the scheme's, the roster's and every input's SHA-256).
//! `perf annual` uses the published results of a period rather than scoring it again, and says
//! when today's scheme or data would give other numbers.

use crate::io::output::OutputFile;
use crate::tr;
use anyhow::{Result, bail};
use serde::{Deserialize, Serialize};
use std::io::Write;
use std::path::{Path, PathBuf};

/// The folder of a workspace that holds its published periods.
pub const DIR: &str = "published";

/// One file a publication was computed from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileRef {
    pub path: String,
    pub sha256: String,
    pub bytes: u64,
}

/// What a published period was computed from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Manifest {
    pub period: String,
    /// When it was published (RFC 3339).
    pub published: String,
    /// The perf version that computed it.
    pub perf: String,
    pub scheme: FileRef,
    pub roster: FileRef,
    #[serde(default)]
    pub inputs: Vec<FileRef>,
}

/// `published/<period>.csv` and `published/<period>.toml` of a workspace.
pub fn paths(workspace: &Path, period: &str) -> (PathBuf, PathBuf) {
    let dir = workspace.join(DIR);
    (dir.join(format!("{period}.csv")), dir.join(format!("{period}.toml")))
}

/// Write a publication: both files are complete before either is put in place. An existing
/// publication is replaced only when `replace`.
pub fn write(workspace: &Path, manifest: &Manifest, results_csv: &str, replace: bool) -> Result<PathBuf> {
    let (csv, toml_path) = paths(workspace, &manifest.period);
    if !replace && (csv.exists() || toml_path.exists()) {
        bail!(tr(
            &format!(
                "考核期 {} 已经公布（{}）：公布的结果不再改动；确需重新公布请加 --republish",
                manifest.period,
                csv.display()
            ),
            &format!(
                "period {} is already published ({}): published results stay as they are; pass --republish to replace them",
                manifest.period,
                csv.display()
            )
        ));
    }
    let text = format!(
        "# perf 公布记录：{} 的结果（同名 .csv）由以下方案、名册与数据算出。请勿手工修改。\n{}",
        manifest.period,
        toml::to_string(manifest)?
    );
    let mut a = OutputFile::create(&csv)?;
    a.write_all(b"\xEF\xBB\xBF")?;
    a.write_all(results_csv.as_bytes())?;
    let mut b = OutputFile::create(&toml_path)?;
    b.write_all(text.as_bytes())?;
    a.prepare()?;
    b.prepare()?;
    a.commit()?;
    b.commit()?;
    Ok(csv)
}

/// A file's path as recorded: relative to the workspace when inside it (so a record reads the
/// same from any folder), else as it is.
pub fn relative(workspace: &Path, path: &Path) -> String {
    let (Ok(ws), Ok(p)) = (workspace.canonicalize(), path.canonicalize()) else {
        return path.display().to_string();
    };
    p.strip_prefix(&ws).map_or_else(|_| p.display().to_string(), |r| r.display().to_string())
}

/// A recorded path, on disk.
pub fn resolve(workspace: &Path, recorded: &str) -> PathBuf {
    workspace.join(recorded)
}

/// Read a publication's record.
pub fn read_manifest(path: &Path) -> Result<Manifest> {
    let bytes = crate::io::read_whole(path, crate::io::MAX_SETTINGS_BYTES, ("公布记录", "publication record"))?;
    let text = String::from_utf8(bytes).map_err(|_| anyhow::anyhow!("{}: not UTF-8", path.display()))?;
    toml::from_str(&text).map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))
}

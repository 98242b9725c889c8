//! Shared helpers: run the built binary, read fixtures, parse JSON findings.

use assert_cmd::Command;
use serde_json::Value;
use std::path::{Path, PathBuf};

/// The `perf` binary, run from the repository root, with a clean environment for language.
pub fn perf() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_perf"));
    cmd.current_dir(env!("CARGO_MANIFEST_DIR"));
    cmd.env_remove("LANG").env_remove("PERF_LANG").env("NO_COLOR", "1");
    cmd
}

/// Path of a fixture under tests/data.
pub fn data(rel: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data").join(rel)
}

/// Run `perf validate ARGS --format json`; the exit code and the findings.
pub fn validate_json(args: &[&str]) -> (i32, Vec<Value>) {
    let out = perf().arg("validate").args(args).args(["--format", "json"]).output().expect("run perf");
    let findings: Vec<Value> = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("stdout is not a JSON array ({e}): {}", String::from_utf8_lossy(&out.stdout)));
    (out.status.code().expect("exit code"), findings)
}

/// (code, line, column, indicator) of each finding, in output order.
pub fn summary(findings: &[Value]) -> Vec<(String, i64, i64, Option<String>)> {
    findings
        .iter()
        .map(|f| {
            (
                f["code"].as_str().unwrap_or_default().to_owned(),
                f["line"].as_i64().unwrap_or(-1),
                f["column"].as_i64().unwrap_or(-1),
                f["indicator"].as_str().map(str::to_owned),
            )
        })
        .collect()
}

/// A temporary folder for a test.
pub fn tempdir() -> tempfile::TempDir {
    tempfile::tempdir().expect("tempdir")
}

/// The rows of a CSV file below its header; none when the file does not exist.
pub fn csv_rows(path: &Path) -> Vec<Vec<String>> {
    if !path.exists() {
        return Vec::new();
    }
    let mut r = csv::ReaderBuilder::new().has_headers(true).from_path(path).unwrap();
    r.records().map(|x| x.unwrap().iter().map(str::to_owned).collect()).collect()
}

/// LibreOffice's command, or None (with a note) when it is not installed; `.ci/run` installs it.
pub fn soffice() -> Option<&'static str> {
    let found = ["soffice", "libreoffice"]
        .into_iter()
        .find(|c| std::process::Command::new(c).arg("--version").output().is_ok());
    if found.is_none() {
        eprintln!("skipped: LibreOffice (soffice) is not installed; .ci/run installs it");
    }
    found
}

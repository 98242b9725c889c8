//! Safety: a closed stream never turns into a signal or a lost output; perf never writes over
//! a file it was given.

use crate::util::tempdir;
use std::process::Stdio;

/// The binary as a plain process (assert_cmd does not let stdout and stderr be redirected).
fn perf() -> std::process::Command {
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_perf"));
    cmd.current_dir(env!("CARGO_MANIFEST_DIR")).env_remove("LANG").env("NO_COLOR", "1");
    cmd
}

/// A pipe whose reading end is already closed (`perf … 2>&1 | head` once head has gone):
/// every write fails with a broken pipe.
fn closed() -> Stdio {
    let (reader, writer) = std::io::pipe().unwrap();
    drop(reader);
    Stdio::from(writer)
}

#[test]
fn a_closed_stderr_changes_nothing_but_the_messages() {
    let tmp = tempdir();
    let ledger = tmp.path().join("ledger.csv");
    let issues = tmp.path().join("issues.csv");
    let out = perf()
        .args(["import", "-w", "examples/units", "-o"])
        .arg(&ledger)
        .arg("--issues")
        .arg(&issues)
        .stderr(closed())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{:?}", out.status);
    assert!(std::fs::read_to_string(&ledger).unwrap().lines().count() > 3000);
    assert!(issues.exists());
    // Problems found still give 1, not a signal.
    let out = perf()
        .args(["import", "tests/data/import/cases/decimal_commas", "--scheme", "examples/units/scheme.toml"])
        .args(["--roster", "examples/units/roster.csv", "-o"])
        .arg(tmp.path().join("l2.csv"))
        .stderr(closed())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{:?}", out.status);
}

#[test]
fn a_closed_stdout_is_not_a_crash() {
    for args in [
        vec!["score", "examples/units", "--period", "2026Q1"],
        vec!["score", "examples/units", "--period", "2026Q1", "--format", "json"],
        vec!["validate", "examples/units"],
        vec!["schema", "scheme"],
    ] {
        let out = perf().args(&args).stdout(closed()).stderr(closed()).output().unwrap();
        assert!(out.status.code().is_some_and(|c| c <= 2), "{args:?}: {:?}", out.status);
    }
}

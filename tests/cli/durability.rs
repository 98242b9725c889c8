//! Nothing lost, nothing half-written: a kill during a write leaves the old ledger intact;
//! two processes appending to one ledger at once serialise (advisory lock) and lose nothing.

use crate::util::tempdir;
use std::fmt::Write as _;
use std::path::Path;
use std::time::{Duration, Instant};

/// A long CSV of `rows` public ratings for the units example, evaluators `{tag}N`.
fn long_csv(path: &Path, rows: usize, tag: &str) {
    let mut s = String::from("period,subject,indicator,rater,evaluator,value\n");
    for n in 0..rows {
        let _ = writeln!(s, "2026Q1,U{:02},G3.2,public,{tag}{},{}", n % 20 + 1, n / 20, 80 + n % 20);
    }
    std::fs::write(path, s).unwrap();
}

fn import_cmd(input: &Path, ledger: &Path, append: bool) -> std::process::Command {
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_perf"));
    cmd.current_dir(env!("CARGO_MANIFEST_DIR"))
        .arg("import")
        .arg(input)
        .args(["--scheme", "examples/units/scheme.toml", "--roster", "examples/units/roster.csv", "-o"])
        .arg(ledger)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null());
    if append {
        cmd.arg("--append");
    }
    cmd
}

#[test]
fn a_kill_during_the_write_leaves_the_old_ledger() {
    let tmp = tempdir();
    let input = tmp.path().join("big.csv");
    long_csv(&input, 400_000, "e");
    let ledger = tmp.path().join("ledger.csv");
    let old = "period,subject,indicator,rater,evaluator,value,source\n2026Q1,U01,E1,,,95,old!A1\n";
    std::fs::write(&ledger, old).unwrap();
    let mut child = import_cmd(&input, &ledger, false).spawn().unwrap();
    // Wait until the run is writing (its temporary file exists), then kill it.
    let start = Instant::now();
    let tmp_seen = loop {
        let writing = std::fs::read_dir(tmp.path())
            .unwrap()
            .any(|e| e.unwrap().file_name().to_string_lossy().ends_with(".perf-tmp"));
        if writing || start.elapsed() > Duration::from_secs(30) {
            break writing;
        }
        assert!(
            child.try_wait().unwrap().is_none(),
            "the import ended before it could be killed: make the input larger"
        );
        std::thread::sleep(Duration::from_millis(20));
    };
    assert!(tmp_seen, "the import never started writing");
    child.kill().unwrap();
    child.wait().unwrap();
    assert_eq!(std::fs::read_to_string(&ledger).unwrap(), old, "the old ledger is intact");
}

#[test]
fn two_appenders_serialise_and_lose_nothing() {
    let tmp = tempdir();
    let (a, b) = (tmp.path().join("a.csv"), tmp.path().join("b.csv"));
    long_csv(&a, 40_000, "a");
    long_csv(&b, 40_000, "b");
    let ledger = tmp.path().join("ledger.csv");
    let mut first = import_cmd(&a, &ledger, true).spawn().unwrap();
    let mut second = import_cmd(&b, &ledger, true).spawn().unwrap();
    let (ra, rb) = (first.wait().unwrap(), second.wait().unwrap());
    assert!(ra.code().is_some() && rb.code().is_some());
    let text = std::fs::read_to_string(&ledger).unwrap();
    let mut lines = text.lines();
    assert_eq!(lines.next(), Some("period,subject,indicator,rater,evaluator,value,source"));
    let rows: Vec<&str> = lines.collect();
    assert_eq!(rows.len(), 80_000, "every row of both inputs, once");
    assert!(rows.iter().all(|r| r.split(',').count() == 7), "no interleaved rows");
    let a_rows = rows.iter().filter(|r| r.contains(",a")).count();
    assert_eq!(a_rows, 40_000);
    // One run's rows come as one block (the runs did not interleave).
    let switches = rows.windows(2).filter(|w| w[0].contains(",a") != w[1].contains(",a")).count();
    assert_eq!(switches, 1);
}

/// Ctrl-C or SIGTERM during a write: the old ledger stays and the temporary file goes with the
/// process (a SIGKILL, above, cannot be caught: its temporary file stays until removed).
#[test]
fn a_sigterm_during_the_write_leaves_the_old_ledger_and_no_debris() {
    let tmp = tempdir();
    let input = tmp.path().join("big.csv");
    long_csv(&input, 400_000, "e");
    let out_dir = tmp.path().join("out");
    std::fs::create_dir(&out_dir).unwrap();
    let ledger = out_dir.join("ledger.csv");
    let old = "period,subject,indicator,rater,evaluator,value,source\n2026Q1,U01,E1,,,95,old!A1\n";
    std::fs::write(&ledger, old).unwrap();
    let mut child = import_cmd(&input, &ledger, false).spawn().unwrap();
    let start = Instant::now();
    let debris = |dir: &Path| {
        std::fs::read_dir(dir)
            .unwrap()
            .filter(|e| e.as_ref().unwrap().file_name().to_string_lossy().ends_with(".perf-tmp"))
            .count()
    };
    while debris(&out_dir) == 0 {
        assert!(child.try_wait().unwrap().is_none(), "the import ended before the signal: make the input larger");
        assert!(start.elapsed() < Duration::from_secs(30), "the import never started writing");
        std::thread::sleep(Duration::from_millis(20));
    }
    let pid = i32::try_from(child.id()).unwrap();
    assert!(std::process::Command::new("kill").args(["-TERM", &pid.to_string()]).status().unwrap().success());
    let status = child.wait().unwrap();
    assert_eq!(status.code(), Some(128 + 15), "{status:?}");
    assert_eq!(std::fs::read_to_string(&ledger).unwrap(), old, "the old ledger is intact");
    assert_eq!(debris(&out_dir), 0, "the temporary file is removed");
}

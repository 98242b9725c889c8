//! `perf init` and finding the workspace: with only the binary, an empty folder becomes a
//! scored example in two commands; commands find perf.toml in a folder above; a path that does
//! not exist is "not found".

use crate::util::{perf, tempdir};
use predicates::prelude::*;

#[test]
fn init_then_score_in_two_commands() {
    let tmp = tempdir();
    perf()
        .current_dir(tmp.path())
        .args(["init", "示例 一"])
        .assert()
        .code(0)
        .stdout(predicate::str::is_empty())
        .stderr(predicate::str::contains("perf score \"示例 一\""));
    let ws = tmp.path().join("示例 一");
    for f in ["perf.toml", "scheme.toml", "roster.csv", "annual.toml", "使用说明.md", "schemas/scheme.schema.json"]
    {
        assert!(ws.join(f).is_file(), "{f}");
    }
    // The schema comment points at the copy beside it, not at the source tree.
    assert!(
        std::fs::read_to_string(ws.join("scheme.toml")).unwrap().starts_with("#:schema schemas/scheme.schema.json")
    );
    // The same results as the bundled example: the first line of the CSV for U14.
    let ours = perf().current_dir(tmp.path()).args(["score", "示例 一", "--format", "csv"]).output().unwrap();
    let bundled = perf().args(["score", "examples/units", "--format", "csv"]).output().unwrap();
    assert_eq!(ours.status.code(), Some(0), "{}", String::from_utf8_lossy(&ours.stderr));
    assert_eq!(String::from_utf8_lossy(&ours.stdout), String::from_utf8_lossy(&bundled.stdout));
    // From a folder inside the workspace, with no path: found upward, as cargo and just do.
    let inner = perf().current_dir(ws.join("data")).args(["score", "--format", "csv"]).output().unwrap();
    assert_eq!(String::from_utf8_lossy(&inner.stdout), String::from_utf8_lossy(&bundled.stdout));
}

#[test]
fn init_never_overwrites() {
    let tmp = tempdir();
    let ws = tmp.path().join("ws");
    std::fs::create_dir(&ws).unwrap();
    std::fs::write(ws.join("roster.csv"), "mine").unwrap();
    // A non-empty folder needs --force; even then an existing file is never replaced and
    // nothing at all is written.
    perf().arg("init").arg(&ws).assert().code(2).stderr(predicate::str::contains("--force"));
    perf().arg("init").arg(&ws).arg("--force").assert().code(2).stderr(predicate::str::contains("roster.csv"));
    assert_eq!(std::fs::read_to_string(ws.join("roster.csv")).unwrap(), "mine");
    assert_eq!(std::fs::read_dir(&ws).unwrap().count(), 1);
    // A file where the folder should be.
    let file = tmp.path().join("file");
    std::fs::write(&file, "x").unwrap();
    perf().arg("init").arg(&file).assert().code(2);
}

#[test]
fn init_staff_in_english_and_annual_runs() {
    let tmp = tempdir();
    let ws = tmp.path().join("staff");
    perf().args(["--lang", "en", "init"]).arg(&ws).args(["--example", "staff"]).assert().code(0);
    assert!(std::fs::read_to_string(ws.join("perf.toml")).unwrap().contains("lang = \"en\""));
    let out = perf().arg("annual").arg(&ws).args(["--format", "csv"]).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    // The same year as the bundled example run in English (the workspace says lang = "en").
    let bundled = perf().args(["--lang", "en", "annual", "examples/staff", "--format", "csv"]).output().unwrap();
    assert_eq!(String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&bundled.stdout));
}

#[test]
fn no_workspace_and_missing_paths_say_so() {
    let tmp = tempdir();
    for cmd in ["score", "import"] {
        perf()
            .current_dir(tmp.path())
            .arg(cmd)
            .assert()
            .code(2)
            .stderr(predicate::str::contains("perf init").and(predicate::str::contains("perf.toml")));
    }
    perf().args(["score", "examples/unit"]).assert().code(2).stderr(predicate::str::contains("找不到 examples/unit"));
}

#[test]
fn every_command_takes_the_workspace_as_w() {
    // Run from an empty folder, so only -w can find the workspace.
    let tmp = tempdir();
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let (units, staff) = (root.join("examples/units"), root.join("examples/staff"));
    let report = tmp.path().join("r.xlsx");
    let runs: Vec<(Vec<&str>, &std::path::Path, Vec<&str>)> = vec![
        (vec!["validate", "-w"], &units, vec![]),
        (vec!["score", "-w"], &units, vec![]),
        (vec!["explain", "U01", "-w"], &units, vec![]),
        (vec!["explain", "P032", "--annual", "-w"], &staff, vec![]),
        (vec!["report", "-o", report.to_str().unwrap(), "-w"], &units, vec![]),
        (vec!["annual", "-w"], &staff, vec![]),
    ];
    for (before, ws, after) in runs {
        let out = perf().current_dir(tmp.path()).args(&before).arg(ws).args(&after).output().unwrap();
        assert_eq!(out.status.code(), Some(0), "{before:?}: {}", String::from_utf8_lossy(&out.stderr));
        assert!(!out.stdout.is_empty() || before[0] == "report" || before[0] == "validate", "{before:?}");
    }
    assert!(report.is_file());
    perf()
        .args(["score", "-w", "examples/nope"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("找不到 examples/nope"));
}

/// The ledger's `source` column is relative to the workspace folder, whichever folder the
/// import runs from (it used to follow the current folder: `data/x.xlsx` or `x.xlsx`).
#[test]
fn ledger_sources_are_relative_to_the_workspace() {
    let tmp = tempdir();
    perf().current_dir(tmp.path()).args(["init", "ws"]).assert().code(0);
    let ws = tmp.path().join("ws");
    let from_root = tmp.path().join("root.csv");
    let from_data = tmp.path().join("data.csv");
    perf().current_dir(&ws).arg("import").arg("-o").arg(&from_root).assert().code(0);
    perf().current_dir(ws.join("data")).arg("import").arg("-o").arg(&from_data).assert().code(0);
    let (a, b) = (std::fs::read_to_string(&from_root).unwrap(), std::fs::read_to_string(&from_data).unwrap());
    assert_eq!(a, b);
    assert!(a.lines().nth(1).unwrap().ends_with("data/区领导评价_2026Q1.xlsx#区领导评价!C4"), "{a}");
}

/// `-` reads standard input: a ledger piped to `perf score -` scores like the file itself; a
/// CSV piped to `perf import -` is located as `-`; `-` twice is refused.
#[test]
fn a_dash_reads_standard_input() {
    let tmp = tempdir();
    let ledger = tmp.path().join("ledger.csv");
    perf().args(["import", "-w", "examples/units", "-o"]).arg(&ledger).assert().code(0);
    let args = ["score", "-w", "examples/units", "--period", "2026Q1", "--format", "csv"];
    let from_file = perf().args(args).arg(&ledger).output().unwrap();
    let piped = perf().args(args).arg("-").pipe_stdin(&ledger).unwrap().output().unwrap();
    assert_eq!(piped.status.code(), Some(0), "{}", String::from_utf8_lossy(&piped.stderr));
    assert_eq!(piped.stdout, from_file.stdout);
    perf()
        .args(["import", "-", "-w", "examples/units", "-o"])
        .arg(tmp.path().join("x.csv"))
        .write_stdin("subject,indicator,value\nU01,XX,3\n")
        .assert()
        .code(1)
        .stderr(predicate::str::contains("-!B2: 错误[unknown-indicator]"));
    perf()
        .args(["import", "-", "-", "-w", "examples/units", "-o"])
        .arg(tmp.path().join("y.csv"))
        .write_stdin("a")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("标准输入（-）只能给一次"));
}

/// 错误 is red with `--color always`; never coloured when standard error is not a terminal
/// (the default `auto`), nor with `--color never`; data on stdout never.
#[test]
fn colour_only_on_terminals_or_when_asked() {
    let bad = "subject,indicator,value\nU01,XX,3\n";
    let run = |color: &[&str]| {
        let out = perf()
            .args(["import", "-", "-w", "examples/units", "-o", "/dev/null", "--issues", "/dev/null"])
            .args(color)
            .env_remove("NO_COLOR")
            .write_stdin(bad)
            .output()
            .unwrap();
        String::from_utf8_lossy(&out.stderr).into_owned()
    };
    assert!(run(&["--color", "always"]).contains("\u{1b}[1m\u{1b}[31m错误\u{1b}[0m[unknown-indicator]"));
    assert!(!run(&[]).contains('\u{1b}'));
    assert!(!run(&["--color", "never"]).contains('\u{1b}'));
    let out = perf().args(["score", "examples/units", "--color", "always", "--format", "csv"]).output().unwrap();
    assert!(!String::from_utf8_lossy(&out.stdout).contains('\u{1b}'));
}

/// A mistake on the command line is told in Chinese (clap writes English), with the fix it
/// suggests and the usage line; `--lang en` or PERF_LANG=en keeps clap's English. Help has
/// Chinese headings in Chinese.
#[test]
fn command_line_mistakes_and_help_in_the_users_language() {
    let zh = |args: &[&str], want: &str| {
        perf().args(args).env_remove("PERF_LANG").assert().code(2).stderr(predicate::str::contains(want));
    };
    zh(
        &["score", "--bogus"],
        "错误：不认识的选项「--bogus」\n\n用法：perf score [OPTIONS] [PATHS]...\n\n详见 --help。",
    );
    zh(&["scroe"], "错误：没有命令「scroe」；是不是想用「schema」、「score」？");
    zh(&["score", "--format", "xml"], "「xml」不是 --format <FORMAT> 可用的值；可用的值：「table」、「csv」、「json」");
    zh(&["explain"], "缺少必需的参数：「<SUBJECT>」");
    zh(&["score", "--format", "csv", "--format", "json"], "--format <FORMAT> 只能给一次");
    perf()
        .args(["--lang", "en", "score", "--bogus"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("error: unexpected argument '--bogus' found"));
    perf()
        .args(["score", "--bogus"])
        .env("PERF_LANG", "en")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("unexpected argument"));
    let help = perf().args(["score", "--help"]).env_remove("PERF_LANG").output().unwrap();
    let help = String::from_utf8_lossy(&help.stdout);
    for want in ["用法：perf score", "参数:", "选项:", "显示帮助"] {
        assert!(help.contains(want), "{want} in {help}");
    }
    assert!(!help.contains("Usage:") && !help.contains("Options:") && !help.contains("Print help"), "{help}");
    let help = perf().args(["--lang", "en", "score", "--help"]).output().unwrap();
    assert!(String::from_utf8_lossy(&help.stdout).contains("Usage: perf score"));
}

//! Safety: a closed stream never turns into a signal or a lost output; perf never writes over
//! a file it was given.

use crate::util::tempdir;
use std::process::Stdio;

/// The binary as a plain process (assert_cmd does not let stdout and stderr be redirected).
fn perf() -> std::process::Command {
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_perf"));
    cmd.current_dir(env!("CARGO_MANIFEST_DIR")).env_remove("LANG").env_remove("PERF_LANG").env("NO_COLOR", "1");
    cmd
}

/// `perf import FILE` for the units example's scheme and roster (period 2026Q1), ledger to
/// `ledger`.
fn import_one(file: &std::path::Path, ledger: &std::path::Path) -> std::process::Output {
    perf()
        .arg("import")
        .arg(file)
        .args(["--scheme", "examples/units/scheme.toml", "--roster", "examples/units/roster.csv"])
        .args(["--period", "2026Q1", "-o"])
        .arg(ledger)
        .output()
        .unwrap()
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

/// A copy of an example workspace in a temporary folder.
fn workspace(example: &str) -> tempfile::TempDir {
    let tmp = tempdir();
    let from = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples").join(example);
    for entry in walk(&from) {
        let rel = entry.strip_prefix(&from).unwrap();
        let to = tmp.path().join(rel);
        std::fs::create_dir_all(to.parent().unwrap()).unwrap();
        std::fs::copy(&entry, &to).unwrap();
    }
    tmp
}

fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            if p.file_name().is_some_and(|n| n != "out") {
                out.extend(walk(&p));
            }
        } else {
            out.push(p);
        }
    }
    out
}

/// Run perf in `dir` with `args`; the exit code and stderr.
fn run_in(dir: &std::path::Path, args: &[&str]) -> (Option<i32>, String) {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_perf"))
        .current_dir(dir)
        .env_remove("LANG")
        .env("NO_COLOR", "1")
        .args(args)
        .output()
        .unwrap();
    (out.status.code(), String::from_utf8_lossy(&out.stderr).into_owned())
}

/// Every way an output can name one of the run's own inputs exits 2 and leaves the input
/// byte-identical.
#[test]
fn no_output_overwrites_an_input() {
    let units = workspace("units");
    let staff = workspace("staff");
    let u = units.path();
    let s = staff.path();
    std::fs::write(s.join("q1.csv"), "period,subject,name,category,score,grade\n2026Q1,P001,x,,90,好\n").unwrap();
    let cases: Vec<(&std::path::Path, Vec<&str>, &str)> = vec![
        (
            u,
            vec![
                "score",
                "data/数据指标_2026Q1.csv",
                "--scheme",
                "scheme.toml",
                "--roster",
                "roster.csv",
                "-o",
                "data/数据指标_2026Q1.csv",
            ],
            "data/数据指标_2026Q1.csv",
        ),
        (u, vec!["score", ".", "-o", "roster.csv"], "roster.csv"),
        (u, vec!["score", ".", "--report", "scheme.toml"], "scheme.toml"),
        (u, vec!["import", "-w", ".", "-o", "roster.csv"], "roster.csv"),
        (u, vec!["import", "-w", ".", "-o", "out/l.csv", "--issues", "scheme.toml"], "scheme.toml"),
        (u, vec!["import", "-w", ".", "-o", "perf.toml"], "perf.toml"),
        (u, vec!["import", "data", "-w", ".", "-o", "data/数据指标_2026Q1.csv"], "data/数据指标_2026Q1.csv"),
        (s, vec!["annual", ".", "-o", "history.csv"], "history.csv"),
        (s, vec!["annual", ".", "--report", "annual.toml"], "annual.toml"),
        (
            s,
            vec!["annual", "--scheme", "annual.toml", "--roster", "roster.csv", "--quarters", "q1.csv", "-o", "q1.csv"],
            "q1.csv",
        ),
    ];
    for (dir, args, input) in cases {
        let before = std::fs::read(dir.join(input)).unwrap();
        let (code, stderr) = run_in(dir, &args);
        assert_eq!(code, Some(2), "{args:?}\n{stderr}");
        assert!(stderr.contains("拒绝覆盖"), "{args:?}\n{stderr}");
        assert_eq!(std::fs::read(dir.join(input)).unwrap(), before, "{args:?} changed {input}");
    }
    // Two outputs of one run that are the same file.
    let (code, stderr) = run_in(u, &["import", "-w", ".", "-o", "out/x.csv", "--issues", "out/x.csv"]);
    assert_eq!(code, Some(2), "{stderr}");
    assert!(stderr.contains("同一个文件"), "{stderr}");
    assert!(!u.join("out/x.csv").exists());
}

#[test]
fn devices_and_symlinks_are_written_not_replaced_and_nothing_is_left_behind() {
    use std::os::unix::fs::FileTypeExt;
    let units = workspace("units");
    let u = units.path();
    // The issues list to /dev/null: written in place, still a device.
    let (code, stderr) = run_in(u, &["import", "-w", ".", "-o", "out/ledger.csv", "--issues", "/dev/null"]);
    assert_eq!(code, Some(0), "{stderr}");
    assert!(std::fs::metadata("/dev/null").unwrap().file_type().is_char_device());
    // An output that is a symlink: its target gets the content, the link stays a link.
    std::fs::create_dir_all(u.join("real")).unwrap();
    std::fs::write(u.join("real/scores.csv"), "old").unwrap();
    std::os::unix::fs::symlink("real/scores.csv", u.join("scores.csv")).unwrap();
    let (code, stderr) = run_in(u, &["score", ".", "--period", "2026Q1", "-o", "scores.csv"]);
    assert_eq!(code, Some(0), "{stderr}");
    assert!(std::fs::symlink_metadata(u.join("scores.csv")).unwrap().file_type().is_symlink());
    // (a CSV file for Excel starts with the UTF-8 BOM)
    assert!(std::fs::read_to_string(u.join("real/scores.csv")).unwrap().starts_with("\u{feff}period,subject"));
    // No temporary or lock file anywhere after these runs.
    let debris: Vec<_> = walk_all(u)
        .into_iter()
        .filter(|p| {
            let n = p.file_name().unwrap().to_string_lossy().into_owned();
            n.ends_with(".perf-tmp") || n.ends_with(".lock")
        })
        .collect();
    assert!(debris.is_empty(), "{debris:?}");
}

fn walk_all(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() && !p.is_symlink() {
            out.extend(walk_all(&p));
        } else {
            out.push(p);
        }
    }
    out
}

#[test]
fn a_fifo_or_a_symlink_loop_in_an_input_folder_does_not_hang() {
    let units = workspace("units");
    let u = units.path();
    let fifo = u.join("data/管道.csv");
    assert!(std::process::Command::new("mkfifo").arg(&fifo).status().unwrap().success());
    std::os::unix::fs::symlink("..", u.join("data/上级")).unwrap();
    let start = std::time::Instant::now();
    let (code, stderr) = run_in(u, &["import", "-w", ".", "-o", "out/ledger.csv"]);
    assert_eq!(code, Some(0), "{stderr}");
    assert!(start.elapsed() < std::time::Duration::from_secs(20));
    assert!(stderr.contains("不是普通文件") && stderr.contains("循环"), "{stderr}");
}

/// No CSV output hands a spreadsheet a formula: ids from the roster included; and a ledger
/// imported again comes back with the same values (no apostrophe added per pass).
#[test]
fn formula_guards_on_every_csv_column_and_a_stable_round_trip() {
    let units = workspace("units");
    let u = units.path();
    let roster = std::fs::read_to_string(u.join("roster.csv")).unwrap().replace("\nU01,", "\n=U01,");
    std::fs::write(u.join("roster.csv"), roster).unwrap();
    std::fs::write(
        u.join("evil.csv"),
        "period,subject,indicator,rater,evaluator,value\n2026Q1,=U01,G3.2,public,=cmd|' /C calc'!A0,90\n",
    )
    .unwrap();
    let (code, stderr) = run_in(u, &["score", ".", "--period", "2026Q1", "--format", "csv", "-o", "scores.csv"]);
    assert!(code.is_some_and(|c| c <= 1), "{stderr}");
    let scores = std::fs::read_to_string(u.join("scores.csv")).unwrap();
    assert!(scores.contains("\n2026Q1,'=U01,") || scores.contains(",'=U01,"), "{scores}");
    for line in scores.lines() {
        for cell in line.split(',') {
            assert!(!cell.starts_with(['=', '@']), "unguarded cell {cell} in {line}");
        }
    }
    // Import the evil rows, then import that ledger again: the same values both times.
    let (code, stderr) = run_in(u, &["import", "evil.csv", "-w", ".", "-o", "l1.csv", "--issues", "i1.csv"]);
    assert!(code.is_some_and(|c| c <= 1), "{stderr}");
    let (code, stderr) = run_in(u, &["import", "l1.csv", "-w", ".", "-o", "l2.csv", "--issues", "i2.csv"]);
    assert!(code.is_some_and(|c| c <= 1), "{stderr}");
    let cut = |p: &str| -> Vec<String> {
        std::fs::read_to_string(u.join(p)).unwrap().lines().map(|l| l.rsplit_once(',').unwrap().0.to_owned()).collect()
    };
    let l1 = cut("l1.csv");
    assert_eq!(l1[1], "2026Q1,'=U01,G3.2,public,'=cmd|' /C calc'!A0,90");
    // A ledger given as an input passes through as it is, its sources included: the same
    // bytes, however often.
    assert_eq!(std::fs::read(u.join("l2.csv")).unwrap(), std::fs::read(u.join("l1.csv")).unwrap());
    let (code, stderr) = run_in(u, &["import", "l2.csv", "-w", ".", "-o", "l3.csv", "--issues", "i3.csv"]);
    assert!(code.is_some_and(|c| c <= 1), "{stderr}");
    assert_eq!(std::fs::read(u.join("l3.csv")).unwrap(), std::fs::read(u.join("l1.csv")).unwrap());
}

/// Files read whole must be regular files within a size limit: /dev/zero or a FIFO given as
/// the scheme, the decisions or the history is refused at once, never read forever.
#[test]
fn devices_and_fifos_as_side_files_are_refused_at_once() {
    let units = workspace("units");
    let staff = workspace("staff");
    let fifo = units.path().join("fifo.csv");
    assert!(std::process::Command::new("mkfifo").arg(&fifo).status().unwrap().success());
    let fifo = fifo.to_str().unwrap().to_owned();
    let cases: Vec<(&std::path::Path, Vec<&str>)> = vec![
        (units.path(), vec!["validate", "/dev/zero"]),
        (units.path(), vec!["score", ".", "--scheme", "/dev/zero"]),
        (units.path(), vec!["score", ".", "--period", "2026Q1", "--decide", &fifo]),
        (units.path(), vec!["score", ".", "--roster", &fifo]),
        (staff.path(), vec!["annual", ".", "--history", &fifo]),
        (staff.path(), vec!["annual", ".", "--history", "/dev/zero"]),
    ];
    for (dir, args) in cases {
        let start = std::time::Instant::now();
        let (code, stderr) = run_in(dir, &args);
        assert!(start.elapsed() < std::time::Duration::from_secs(20), "{args:?} took {:?}", start.elapsed());
        assert_eq!(code, Some(2), "{args:?}\n{stderr}");
        assert!(stderr.contains("不是普通文件"), "{args:?}\n{stderr}");
    }
}

/// Memory follows the table, not the file's shape: a 50 MB line is refused at the 16 MB line
/// limit, and a header after thousands of blank lines is reported, not searched for forever.
#[test]
fn long_lines_and_blank_preambles_are_bounded() {
    let tmp = tempdir();
    let line = tmp.path().join("一行.csv");
    std::fs::write(&line, "a,".repeat(25_000_000)).unwrap();
    let blank = tmp.path().join("空行.csv");
    std::fs::write(&blank, "\n".repeat(200_000) + "单位名称,服务对象满意度\n区商务局,90\n").unwrap();
    for (file, want) in [(&line, "一行超过 16 MB 的上限"), (&blank, "前 100 行都是空的")] {
        let out = import_one(file, &tmp.path().join("l.csv"));
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{stderr}");
        assert!(stderr.contains(want), "{stderr}");
    }
}

/// A huge file that starts like a workbook is refused by its size before it is read.
#[test]
fn a_huge_workbook_is_refused_by_its_size() {
    let tmp = tempdir();
    let path = tmp.path().join("大.xlsx");
    let mut f = std::fs::File::create(&path).unwrap();
    std::io::Write::write_all(&mut f, b"PK\x03\x04").unwrap();
    f.set_len(300 * 1024 * 1024).unwrap(); // sparse: no disk used
    drop(f);
    let start = std::time::Instant::now();
    let out = import_one(&path, &tmp.path().join("l.csv"));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("工作簿超过 256 MB 的上限"), "{stderr}");
    assert!(start.elapsed() < std::time::Duration::from_secs(10));
}

/// `-o -` and `-o /dev/stdout` write to standard output, whatever it is (a pipe or a file).
#[test]
fn standard_output_by_name() {
    let tmp = tempdir();
    for target in ["-", "/dev/stdout"] {
        let file = tmp.path().join("captured.csv");
        let out = perf()
            .args(["score", "examples/units", "--period", "2026Q1", "--format", "csv", "-o", target])
            .stdout(Stdio::from(std::fs::File::create(&file).unwrap()))
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(0), "{target}: {}", String::from_utf8_lossy(&out.stderr));
        let text = std::fs::read_to_string(&file).unwrap();
        assert!(text.starts_with("period,subject"), "{target}: {text}");
    }
}

/// Two outputs in a folder that does not exist yet are still seen to be one file; a device
/// may be named twice (`-o /dev/null --issues /dev/null` only checks).
#[test]
fn same_output_twice_in_a_new_folder_and_a_device_twice() {
    let units = workspace("units");
    let u = units.path();
    let (code, stderr) = run_in(u, &["import", "-w", ".", "-o", "新/x.csv", "--issues", "新/./x.csv"]);
    assert_eq!(code, Some(2), "{stderr}");
    assert!(!u.join("新").exists());
    let (code, stderr) = run_in(u, &["import", "-w", ".", "-o", "/dev/null", "--issues", "/dev/null"]);
    assert_eq!(code, Some(0), "{stderr}");
}

/// An xlsx is read cell by cell: a stray value in the sheet's last cell does not make a
/// grid of 17 billion cells (the sheet is read, within a few megabytes).
#[test]
fn a_far_away_cell_in_an_xlsx_costs_nothing() {
    let tmp = tempdir();
    let path = tmp.path().join("服务对象评价_2026Q1.xlsx");
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    ws.write(0, 0, "单位名称").unwrap();
    ws.write(0, 1, "服务对象满意度").unwrap();
    ws.write(1, 0, "区商务局").unwrap();
    ws.write(1, 1, 90).unwrap();
    ws.write(1_048_575, 16_383, "备注").unwrap();
    wb.save(&path).unwrap();
    let start = std::time::Instant::now();
    let out = import_one(&path, &tmp.path().join("l.csv"));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("共读取 1 项 = 入账 1 + 拒收 0"), "{stderr}");
    assert!(start.elapsed() < std::time::Duration::from_secs(10));
}

/// An xlsx is read in-process (no memory-limited child) only because what it can cost is
/// capped: one shared string of 96 KB in 3,000 cells would be copied into 288 MB of text, so
/// the sheet is refused at the 256 MiB cap instead, with its name, and the others are read.
#[test]
fn a_shared_string_repeated_past_the_text_cap_is_refused() {
    let tmp = tempdir();
    let path = tmp.path().join("服务对象评价_2026Q1.xlsx");
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet().set_name("评价").unwrap();
    ws.write(0, 0, "单位名称").unwrap();
    ws.write(0, 1, "服务对象满意度").unwrap();
    ws.write(1, 0, "区商务局").unwrap();
    ws.write(1, 1, 90).unwrap();
    let big = "备".repeat(32_000); // 96,000 bytes of UTF-8 (Excel's longest text), stored once
    let notes = wb.add_worksheet().set_name("备注").unwrap();
    for r in 0..3_000 {
        notes.write(r, 0, big.as_str()).unwrap();
    }
    wb.save(&path).unwrap();
    assert!(std::fs::metadata(&path).unwrap().len() < 200_000, "the file itself is small");
    let out = import_one(&path, &tmp.path().join("l.csv"));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("#备注") && stderr.contains("单元格文字超过读取上限"), "{stderr}");
    assert!(stderr.contains("入账 1"), "the other sheet is read: {stderr}");
}

/// The issues list ends with its ledger's SHA-256: a ledger whose issues list beside it
/// belongs to another run (an import stopped between the two renames) is named when read.
#[test]
fn a_ledger_and_an_issues_list_from_different_runs_are_recognised() {
    let units = workspace("units");
    let u = units.path();
    let (code, stderr) = run_in(u, &["import", "-w", ".", "-o", "out/ledger.csv", "--issues", "out/issues.csv"]);
    assert_eq!(code, Some(0), "{stderr}");
    let issues = std::fs::read_to_string(u.join("out/issues.csv")).unwrap();
    let last = issues.lines().last().unwrap();
    assert!(last.starts_with("info,ledger-digest,"), "{last}");
    // Scoring the ledger: nothing to say while the pair belongs together.
    let score = |u: &std::path::Path| {
        run_in(
            u,
            &[
                "score",
                "out/ledger.csv",
                "--scheme",
                "scheme.toml",
                "--roster",
                "roster.csv",
                "--period",
                "2026Q1",
                "--format",
                "csv",
                "-o",
                "s.csv",
            ],
        )
    };
    let (_, stderr) = score(u);
    assert!(!stderr.contains("stale-issues"), "{stderr}");
    // A ledger from another run beside the old issues list.
    let ledger = std::fs::read_to_string(u.join("out/ledger.csv")).unwrap();
    std::fs::write(u.join("out/ledger.csv"), ledger.replacen("\n2026Q1,", "\n2026Q2,", 1)).unwrap();
    let (_, stderr) = score(u);
    assert!(stderr.contains("stale-issues") && stderr.contains("请重新运行 perf import"), "{stderr}");
}

#[test]
fn a_value_too_large_to_add_is_refused_not_a_crash() {
    // Two values near Decimal's limit (7.9 × 10^28) overflowed the sum of a rater's values and
    // crashed `perf score`. Values of magnitude ≥ 10^15 are refused at their line, in a ledger
    // and in an imported sheet alike.
    let tmp = tempdir();
    let ledger = tmp.path().join("ledger.csv");
    std::fs::write(
        &ledger,
        "period,subject,indicator,rater,evaluator,value,source\n\
         2026Q1,U01,G3.2,public,R1,70000000000000000000000000000,a!F2\n\
         2026Q1,U01,G3.2,public,R2,70000000000000000000000000000,a!F3\n",
    )
    .unwrap();
    let out = perf().args(["score", "examples/units", "--period", "2026Q1"]).arg(&ledger).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("value-out-of-range") && !stderr.contains("内部错误"), "{stderr}");

    let sheet = tmp.path().join("公众评价.csv");
    std::fs::write(&sheet, "单位名称,G3.1\nU01,70000000000000000000000000000\nU02,88\n").unwrap();
    let out = import_one(&sheet, &tmp.path().join("l.csv"));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("value-out-of-range") && stderr.contains("公众评价.csv"), "{stderr}");
}

#[test]
fn system_errors_are_said_in_chinese() {
    // "No such file or directory (os error 2)" leaked into Chinese output.
    let tmp = tempdir();
    // A file where a folder should be: the system says "File exists (os error 17)".
    std::fs::write(tmp.path().join("文件"), "x").unwrap();
    let missing = tmp.path().join("文件").join("结果.csv");
    let out = perf().args(["score", "examples/units", "-o"]).arg(&missing).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    let line = stderr.lines().find(|l| l.starts_with("错误")).unwrap_or_default();
    assert!(line.contains("（系统错误 ") && !line.contains("os error") && !line.contains("exists"), "{stderr}");
    let out = perf().args(["--lang", "en", "score", "examples/units", "-o"]).arg(&missing).output().unwrap();
    assert!(String::from_utf8_lossy(&out.stderr).contains("os error"));
}

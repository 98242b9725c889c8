//! No language leaks: every Chinese output of the example runs has no English words outside
//! data (ids, codes, file names, what the office wrote in its files) and issue codes; every
//! English output has no Chinese text or full-width punctuation outside data.

use crate::util::perf;
use regex::Regex;
use std::path::Path;

/// Everything the office wrote: the example's settings, roster, data files (CSV text and
/// workbook cells) and file names.
fn data_text(example: &Path) -> String {
    let mut text = String::new();
    for entry in walkdir::WalkDir::new(example).into_iter().flatten() {
        let path = entry.path();
        text.push_str(&path.to_string_lossy());
        text.push('\n');
        match path.extension().and_then(|e| e.to_str()) {
            Some("toml" | "csv") => text.push_str(&std::fs::read_to_string(path).unwrap_or_default()),
            Some("xlsx" | "xls" | "ods") => {
                use calamine::Reader;
                let mut book = calamine::open_workbook_auto(path).unwrap();
                for (name, range) in book.worksheets() {
                    text.push_str(&name);
                    for cell in range.used_cells() {
                        text.push('\n');
                        text.push_str(&cell.2.to_string());
                    }
                }
            }
            _ => {}
        }
    }
    text
}

/// stdout and stderr of every human-facing command on an example, in `lang`.
fn outputs(example: &str, subject: &str, lang: &str) -> Vec<(String, String)> {
    let dir = format!("examples/{example}");
    let tmp = crate::util::tempdir();
    let ledger = tmp.path().join("l.csv").to_string_lossy().into_owned();
    let issues = tmp.path().join("i.csv").to_string_lossy().into_owned();
    let runs: Vec<Vec<&str>> = vec![
        vec!["validate", &dir],
        vec!["score", &dir],
        vec!["score", &dir, "--wide"],
        vec!["explain", subject, &dir],
        vec!["annual", &dir],
        vec!["annual", &dir, "--wide"],
        vec!["import", "-w", &dir, "-o", &ledger, "--issues", &issues],
    ];
    runs.into_iter()
        .map(|args| {
            let out = perf().args(["--lang", lang]).args(&args).env("COLUMNS", "200").output().unwrap();
            let text = String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr);
            // The paths given on the command line are data too.
            (args.join(" "), text.replace(&ledger, "").replace(&issues, ""))
        })
        .collect()
}

#[test]
fn chinese_output_has_no_english_words_outside_data_and_codes() {
    // Issue codes in brackets ([unknown-column]), and the notation of formulas.
    let codes = Regex::new(r"\[[a-z0-9-]+\]").unwrap();
    let word = Regex::new(r"[A-Za-z][A-Za-z_-]{2,}").unwrap();
    let notation = ["min", "max", "csv", "xlsx", "xls", "SHA", "SMART", "JSON", "CSV", "Excel", "perf"];
    for (example, subject) in [("units", "U01"), ("staff", "P001")] {
        let data = data_text(Path::new("examples").join(example).as_path());
        for (run, text) in outputs(example, subject, "zh") {
            let text = codes.replace_all(&text, "");
            let leaks: Vec<&str> = word
                .find_iter(&text)
                .map(|m| m.as_str())
                .filter(|w| !notation.contains(w) && !data.contains(w))
                .collect();
            assert!(leaks.is_empty(), "perf {run}: English in Chinese output: {leaks:?}\n{text}");
        }
    }
}

#[test]
fn english_output_has_no_chinese_outside_data() {
    // A run of Chinese characters and full-width punctuation.
    let chinese = Regex::new(r"[\p{Han}，。：；（）、「」“”！？【】～]+").unwrap();
    for (example, subject) in [("units", "U01"), ("staff", "P001")] {
        let data = data_text(Path::new("examples").join(example).as_path());
        for (run, text) in outputs(example, subject, "en") {
            let leaks: Vec<&str> = chinese.find_iter(&text).map(|m| m.as_str()).filter(|w| !data.contains(w)).collect();
            assert!(leaks.is_empty(), "perf {run}: Chinese in English output: {leaks:?}\n{text}");
        }
    }
}

/// In an 80-column terminal no help line of any command is wider than 80 columns, in either
/// language (Chinese text has no spaces to wrap at, so long sentences are split where a
/// wrap may fall); every help ends with the exit codes.
#[test]
fn help_fits_80_columns_and_shows_the_exit_codes() {
    use unicode_width::UnicodeWidthStr;
    let commands =
        ["", "init", "validate", "import", "score", "explain", "report", "annual", "schema", "completions", "man"];
    for lang in ["zh", "en"] {
        for command in commands {
            for flag in ["-h", "--help"] {
                let out = perf()
                    .args(["--lang", lang])
                    .args(command.split_whitespace())
                    .arg(flag)
                    .env("COLUMNS", "80")
                    .output()
                    .unwrap();
                let text = String::from_utf8_lossy(&out.stdout);
                for line in text.lines() {
                    assert!(line.width() <= 80, "perf {command} {flag} ({lang}): {} columns: {line}", line.width());
                }
                let codes = if lang == "zh" { "退出码：0 正常" } else { "Exit codes: 0 ok" };
                assert!(text.contains(codes), "perf {command} {flag} ({lang}): {text}");
            }
        }
    }
}

/// Help in one language: under `--lang en` no Chinese but the language's own name (简体中文)
/// and examples' data; in Chinese no option's English half (the texts are written
/// “中文。English” and each reader gets their half).
#[test]
fn help_is_in_the_readers_language_alone() {
    let commands = ["", "init", "validate", "import", "score", "explain", "report", "annual", "template", "schema"];
    let cjk = Regex::new(r"[\p{Han}，。；：（）、“”]").unwrap();
    let sentence = Regex::new(r"[A-Z][a-z]+ [a-z]+").unwrap();
    for command in commands {
        let help = |lang: &str| {
            let out = perf().args(["--lang", lang]).args(command.split_whitespace()).arg("--help").output().unwrap();
            String::from_utf8(out.stdout).unwrap()
        };
        for line in help("en").lines().filter(|l| !l.contains("简体中文")) {
            assert!(!cjk.is_match(line), "perf {command} --help --lang en: {line}");
        }
        for line in help("zh").lines() {
            // (clap's own "Possible values" and the option names are not sentences.)
            assert!(!sentence.is_match(line) || line.contains("Possible values"), "perf {command} --help: {line}");
        }
    }
}

//! perf — performance assessment (绩效考核) for district-level government agencies.
//!
//! The crate is a pure domain core ([`core`]: scheme model, checks, lints, roster), adapters
//! that read and write files ([`io`]), and one module per subcommand ([`cmd`]) behind the
//! command-line definition in [`cli`]. `main.rs` only calls [`run`].

// No unwrap/expect outside tests: every failure is a located message. The few `expect`s on
// constant regular expressions carry an allow and a note (their patterns are tested).
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used))]

/// `eprintln!` that never panics: a closed or full stderr loses the message, never the run
/// (`eprintln!` panics, and a panic while reporting a panic aborts).
#[macro_export]
macro_rules! say {
    ($($t:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stderr(), $($t)*);
    }};
}

/// `println!` that never panics: a closed stdout (`perf … | head`) ends the output quietly.
#[macro_export]
macro_rules! out {
    ($($t:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stdout(), $($t)*);
    }};
}

pub mod cli;
pub mod cmd;
pub mod core;
pub mod io;
pub mod pipeline;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};

/// The language of messages, tables and reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, Serialize, JsonSchema, clap::ValueEnum)]
#[serde(rename_all = "snake_case")]
pub enum Lang {
    /// 简体中文（默认）
    #[default]
    Zh,
    /// English
    En,
}

static ENGLISH: AtomicBool = AtomicBool::new(false);

thread_local! {
    static QUIET_PANIC: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Run `f`, turning a panic inside it (a third-party reader meeting a damaged file) into an
/// error message instead of a crash; the panic hook stays silent meanwhile.
pub fn catch_quietly<R>(f: impl FnOnce() -> R) -> Result<R, String> {
    QUIET_PANIC.with(|q| q.set(true));
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(f));
    QUIET_PANIC.with(|q| q.set(false));
    result.map_err(|p| {
        p.downcast_ref::<&str>()
            .map(|s| (*s).to_owned())
            .or_else(|| p.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "panic".to_owned())
    })
}

/// Set the language of the messages the command layer prints (errors without a location).
pub fn set_lang(lang: Lang) {
    ENGLISH.store(lang == Lang::En, Ordering::Relaxed);
}

/// The current message language.
pub fn lang() -> Lang {
    if ENGLISH.load(Ordering::Relaxed) { Lang::En } else { Lang::Zh }
}

/// An English count with the noun in the right number: `1 error`, `2 errors`.
pub fn count_en(n: impl Into<u64>, noun: &str) -> String {
    let n = n.into();
    if n == 1 { format!("1 {noun}") } else { format!("{n} {noun}s") }
}

/// Pick the text for the current language.
/// A choice's description for `--help` in the current language (set before the command line
/// is built): `#[value(help = crate::choice("表格", "table"))]`.
pub fn choice(zh: &'static str, en: &'static str) -> &'static str {
    if lang() == Lang::En { en } else { zh }
}

pub fn tr(zh: &str, en: &str) -> String {
    match lang() {
        Lang::Zh => zh.to_owned(),
        Lang::En => en.to_owned(),
    }
}

/// Exit codes, the same for every command.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    /// 0: done, nothing wrong.
    Ok = 0,
    /// 1: problems found in the data.
    Problems = 1,
    /// 2: usage or I/O error.
    Usage = 2,
}

impl From<Exit> for ExitCode {
    fn from(e: Exit) -> Self {
        ExitCode::from(e as u8)
    }
}

/// Run perf with these arguments (the first is the program name).
pub fn run<I, T>(args: I) -> ExitCode
where
    I: IntoIterator<Item = T>,
    T: Into<std::ffi::OsString> + Clone,
{
    let args: Vec<std::ffi::OsString> = args.into_iter().map(Into::into).collect();
    if args.get(1).is_some_and(|a| a == io::table::PROBE_COMMAND)
        && let Some(path) = args.get(2)
    {
        io::table::run_probe(std::path::Path::new(path));
    }
    io::table::enable_probe();
    io::output::install_signal_cleanup();
    std::panic::set_hook(Box::new(|info| {
        if QUIET_PANIC.with(std::cell::Cell::get) {
            return;
        }
        crate::say!(
            "perf {}: {} ({info})",
            env!("CARGO_PKG_VERSION"),
            tr(
                "内部错误，很抱歉：这是 perf 的缺陷，不是您的数据问题；请把命令和输入文件报告给维护者",
                "internal error, sorry: this is a bug in perf, not in your data; please report the command and its input files",
            )
        );
    }));
    let asked = cli::requested_lang(&args);
    // The choices' descriptions in --help are read in this language.
    set_lang(asked);
    let parsed = cli::command(asked)
        .try_get_matches_from(args)
        .and_then(|m| <cli::Cli as clap::FromArgMatches>::from_arg_matches(&m));
    let cli = match parsed {
        Ok(cli) => cli,
        Err(e) => {
            match (asked, cli::error_zh(&e)) {
                (Lang::Zh, Some(text)) => crate::say!("{}：{text}", error_word()),
                _ => {
                    let _ = e.print();
                }
            }
            return if e.use_stderr() { Exit::Usage.into() } else { Exit::Ok.into() };
        }
    };
    if let Some(l) = cli.lang {
        set_lang(l);
    }
    io::term::set(cli.color);
    let result = cmd::dispatch(cli);
    io::output::remove_stdin_copy();
    match result {
        Ok(exit) => exit.into(),
        Err(e) => {
            if is_broken_pipe(&e) {
                return Exit::Ok.into();
            }
            crate::say!("{}{}", error_word(), tr("：", ": ") + &error_text(&e));
            Exit::Usage.into()
        }
    }
}

/// 错误 / error, coloured on a terminal.
pub fn error_word() -> String {
    io::term::severity(core::diag::Severity::Error, if lang() == Lang::En { "error" } else { "错误" })
}

/// The error and its causes, joined; in Chinese, the operating system's English texts ("No
/// such file or directory (os error 2)") are said in Chinese.
fn error_text(e: &anyhow::Error) -> String {
    if lang() == Lang::En {
        return format!("{e:#}");
    }
    let parts: Vec<String> = e
        .chain()
        .map(|c| match c.downcast_ref::<std::io::Error>() {
            Some(io) => io_error_zh(io),
            None => c.to_string(),
        })
        .collect();
    parts.join("：")
}

/// An I/O error in Chinese: the common kinds by name, with the system's error number.
fn io_error_zh(e: &std::io::Error) -> String {
    use std::io::ErrorKind as K;
    // A library's error around the system's (tempfile: "… (os error 2) at path …"): the
    // system's, in Chinese; one made by perf or a library with its own message keeps it.
    if e.raw_os_error().is_none()
        && let Some(inner) = e.get_ref()
    {
        let text = e.to_string();
        let code = text
            .split_once("(os error ")
            .and_then(|(_, rest)| rest.split_once(')'))
            .and_then(|(n, _)| n.parse::<i32>().ok());
        return match (inner.source().and_then(|s| s.downcast_ref::<std::io::Error>()), code) {
            (Some(os), _) if os.raw_os_error().is_some() => io_error_zh(os),
            (_, Some(code)) => io_error_zh(&std::io::Error::from_raw_os_error(code)),
            _ => text,
        };
    }
    let what = match e.kind() {
        K::NotFound => "文件或文件夹不存在",
        K::PermissionDenied => "没有权限",
        K::AlreadyExists => "已经存在",
        K::IsADirectory => "这是文件夹，不是文件",
        K::NotADirectory => "路径中有一段不是文件夹",
        K::DirectoryNotEmpty => "文件夹不是空的",
        K::ReadOnlyFilesystem => "磁盘或文件夹是只读的",
        K::StorageFull => "磁盘已满",
        K::FileTooLarge => "文件太大",
        K::InvalidData => "内容无效（不是预期的格式或编码）",
        K::InvalidInput => "参数无效",
        K::UnexpectedEof => "文件意外结束（可能已损坏或没有写完）",
        K::TimedOut => "超时",
        K::Interrupted => "被中断",
        K::OutOfMemory => "内存不足",
        K::WouldBlock => "资源暂时不可用",
        K::CrossesDevices => "不能跨磁盘移动",
        K::ResourceBusy => "文件或设备正被占用",
        _ => {
            return e.raw_os_error().map_or_else(|| "系统错误".to_owned(), |code| format!("系统错误 {code}"));
        }
    };
    match e.raw_os_error() {
        Some(code) => format!("{what}（系统错误 {code}）"),
        None => what.to_owned(),
    }
}

fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|c| c.downcast_ref::<std::io::Error>().is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe))
}

#[cfg(test)]
mod count_tests {
    #[test]
    fn english_counts_agree_in_number() {
        assert_eq!(super::count_en(1u32, "error"), "1 error");
        assert_eq!(super::count_en(0u32, "error"), "0 errors");
        assert_eq!(super::count_en(2u64, "evaluator"), "2 evaluators");
    }
}

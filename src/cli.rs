//! The command line: what the user typed, as clap parses it. Commands resolve these into
//! paths and settings in `crate::cmd`.

use crate::Lang;
use clap::{Parser, Subcommand};

/// perf：区直机关绩效考核工具 — performance assessment for district agencies.
///
/// 退出码 Exit codes: 0 正常 ok; 1 数据有问题 problems found in the data; 2 用法或读写错误 usage or I/O error.
#[derive(Debug, Parser)]
#[command(name = "perf", version, about, long_about = None, propagate_version = true)]
pub struct Cli {
    /// 语言：zh（默认）或 en；也可用环境变量 PERF_LANG。Message language (or PERF_LANG).
    #[arg(long, global = true, value_enum, env = "PERF_LANG")]
    pub lang: Option<Lang>,

    /// 着色：auto（默认，终端上着色；设置 NO_COLOR 时不着色）、always 总是、never 从不。
    /// Colour: auto (the default: on a terminal, unless NO_COLOR is set), always or never.
    #[arg(long, global = true, value_enum, default_value = "auto", value_name = "WHEN")]
    pub color: crate::io::term::ColorChoice,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// 新建工作区：写入内置的示例，两条命令就能看到结果。
    ///
    /// 示例含方案、名册、四个季度的评分表和年度规则；已有的文件不会被覆盖。
    ///
    /// 例：perf init 示例 && perf score 示例
    ///     perf init 公务员 --example staff
    #[command(verbatim_doc_comment)]
    Init(crate::cmd::init::Args),
    /// 检查考核方案（也做 SMART 与形式主义检查）。
    ///
    /// 检查指标树、分值、评价主体、计分方法、等次与名额。
    ///
    /// 例：perf validate examples/units
    ///     perf validate 方案.toml --roster 名册.csv --format json
    #[command(verbatim_doc_comment)]
    Validate(crate::cmd::validate::Args),
    /// 读入各方报来的评分表，生成统一的评分台账。
    ///
    /// 读 CSV、Excel、WPS 表格；每个单元格都有交代（入账或拒收，写明原因）。
    ///
    /// 例：perf import data/ --scheme 方案.toml --roster 名册.csv -o 台账.csv --issues 问题.csv
    ///     perf import -w examples/units
    #[command(verbatim_doc_comment)]
    Import(crate::cmd::import::Args),
    /// 计分：一个考核期的得分、排名和等次。
    ///
    /// 可直接读评分文件，导入在同一遍完成。
    ///
    /// 例：perf score examples/units
    ///     perf score 台账.csv --scheme 方案.toml --roster 名册.csv --period 2026Q1 --format csv
    #[command(verbatim_doc_comment)]
    Score(crate::cmd::score::Args),
    /// 说明一个对象的得分是怎么算出来的。
    ///
    /// 列出每个原始值及其出处、去掉的极值、各主体均值、权重、公式、排名和等次。
    ///
    /// 例：perf explain U01 examples/units
    #[command(verbatim_doc_comment)]
    Explain(crate::cmd::explain::Args),
    /// 写出给领导的 Excel 报告。
    ///
    /// 含汇总、分类排名、明细、等次分布、雷达图、整改清单、数据问题、说明。
    ///
    /// 例：perf report examples/units -o 2026Q1考核结果.xlsx
    #[command(verbatim_doc_comment)]
    Report(crate::cmd::report::Args),
    /// 年度考核与结果运用（三挂钩）。
    ///
    /// 年度得分与等次、奖励与任用标记、资金分配、历史记录。
    ///
    /// 例：perf annual examples/staff
    ///     perf annual examples/staff --explain P001
    #[command(verbatim_doc_comment)]
    Annual(crate::cmd::annual::Args),
    /// 生成录入模板：按方案和名册为各评价主体做好的 Excel 评分表。
    ///
    /// 表头、对象、取值范围、考核期都已写好并锁定；收回后不用任何参数即可导入。
    ///
    /// 例：perf template examples/units --period 2026Q1 -o 模板
    ///     perf template --by unit --rater peer -o 互评模板
    #[command(verbatim_doc_comment)]
    Template(crate::cmd::template::Args),
    /// 输出方案文件或工作区文件的 JSON Schema（供编辑器补全与检查）。
    ///
    /// 例：perf schema scheme > schemas/scheme.schema.json
    #[command(verbatim_doc_comment)]
    Schema(crate::cmd::schema::Args),
    /// 输出 shell 补全脚本（bash、zsh、fish、powershell、elvish）。
    ///
    /// 例：perf completions bash > ~/.local/share/bash-completion/completions/perf
    ///     perf completions zsh > ~/.zfunc/_perf
    #[command(verbatim_doc_comment)]
    Completions(crate::cmd::completions::Args),
    /// 输出 man 手册页（roff 格式）。
    ///
    /// 例：perf man > ~/.local/share/man/man1/perf-assess.1
    #[command(verbatim_doc_comment)]
    Man(crate::cmd::completions::ManArgs),
}

/// The command line as clap builds it, with its own words in `lang`: in Chinese the headings
/// (用法、参数、选项、命令) and the help and version flags.
pub fn command(lang: Lang) -> clap::Command {
    use clap::CommandFactory;
    let cmd = in_one_language(Cli::command(), lang);
    if lang == Lang::En {
        return with_exit_codes(cmd);
    }
    let mut cmd = localize(cmd, true);
    // clap adds its `help` command when the command is built, with English words: built
    // here, then given Chinese ones.
    cmd.build();
    cmd.mut_subcommand("help", |h| h.about("显示本帮助或所给命令的帮助"))
}

/// Each option's help in `lang` alone: the texts are written “中文。English”, and a reader
/// of one language gets that half (a text with no English half stays as it is).
fn in_one_language(cmd: clap::Command, lang: Lang) -> clap::Command {
    let cmd = match (lang, english_about(cmd.get_name())) {
        (Lang::En, Some((about, long))) => cmd.about(about).long_about(long),
        // The root's “perf：区直机关绩效考核工具 — performance …”: its Chinese half.
        (Lang::Zh, _) => match cmd.get_about().map(ToString::to_string) {
            Some(about) => {
                let zh = halves(&about).0.to_owned();
                cmd.about(zh)
            }
            None => cmd,
        },
        _ => cmd,
    };
    cmd.mut_args(|a| match a.get_help().map(ToString::to_string) {
        Some(help) => {
            let (zh, en) = halves(&help);
            let shown = if lang == Lang::Zh { zh } else { en.unwrap_or(zh) };
            a.help(shown.to_owned())
        }
        None => a,
    })
    .mut_subcommands(|s| in_one_language(s, lang))
}

/// What each command does, for `--lang en` (the Chinese is the commands' doc comments).
fn english_about(name: &str) -> Option<(&'static str, String)> {
    let (about, more, examples): (&str, &str, &[&str]) = match name {
        "perf" => ("perf: performance assessment for district agencies", "", &[]),
        "init" => (
            "Create a workspace from a bundled example: two commands to a result",
            "The example has a scheme, a roster, four quarters of score sheets and annual rules; existing files are never overwritten.",
            &["perf init example && perf score example", "perf init staff --example staff"],
        ),
        "validate" => (
            "Check a scheme (with SMART and formalism checks)",
            "Checks the indicator tree, points, raters, scoring methods, grades and quotas.",
            &["perf validate examples/units", "perf validate scheme.toml --roster roster.csv --format json"],
        ),
        "import" => (
            "Read the score sheets sent in and write one ledger",
            "Reads CSV, Excel and WPS sheets; every cell is accounted for (entered, or refused with the reason).",
            &[
                "perf import data/ --scheme scheme.toml --roster roster.csv -o ledger.csv --issues issues.csv",
                "perf import -w examples/units",
            ],
        ),
        "score" => (
            "Score one period: scores, ranks and grades",
            "Reads score files directly too, importing in the same pass.",
            &[
                "perf score examples/units",
                "perf score ledger.csv --scheme scheme.toml --roster roster.csv --period 2026Q1 --format csv",
            ],
        ),
        "explain" => (
            "Show how one subject's score was worked out",
            "Every raw value and where it came from, the trimmed extremes, each rater's mean, weights, formulas, rank and grade.",
            &["perf explain U01 examples/units"],
        ),
        "report" => (
            "Write the Excel report for leaders",
            "Summary, by category, trend, detail, grades, radar charts, rectification list, data problems, about.",
            &["perf report examples/units -o 2026Q1-results.xlsx"],
        ),
        "annual" => (
            "The annual assessment and what follows from it (three links)",
            "Annual scores and grades, rewards and appointment flags, funding, history.",
            &["perf annual examples/staff", "perf annual examples/staff --explain P001"],
        ),
        "template" => (
            "Make entry templates: an Excel score sheet per rater",
            "Headers, subjects, ranges and the period are filled in and locked; sent back, they import with no options.",
            &[
                "perf template examples/units --period 2026Q1 -o templates",
                "perf template --by unit --rater peer -o peer-templates",
            ],
        ),
        "schema" => (
            "Print the JSON Schema of a scheme or workspace file (for editors)",
            "",
            &["perf schema scheme > schemas/scheme.schema.json"],
        ),
        "completions" => (
            "Print a shell completion script (bash, zsh, fish, powershell, elvish)",
            "",
            &[
                "perf completions bash > ~/.local/share/bash-completion/completions/perf",
                "perf completions zsh > ~/.zfunc/_perf",
            ],
        ),
        "man" => ("Print the man page (roff)", "", &["perf man > ~/.local/share/man/man1/perf-assess.1"]),
        _ => return None,
    };
    let mut long = about.to_owned();
    if !more.is_empty() {
        long.push_str("\n\n");
        long.push_str(more);
    }
    for (k, e) in examples.iter().enumerate() {
        long.push_str(if k == 0 { "\n\nExamples: " } else { "\n          " });
        long.push_str(e);
    }
    Some((about, long))
}

/// “中文。English” → ("中文。", Some("English")): the English half starts after the last wide
/// (CJK) character and must hold a Latin letter; otherwise there is none.
fn halves(help: &str) -> (&str, Option<&str>) {
    let split = help
        .char_indices()
        .rfind(|(_, c)| unicode_width::UnicodeWidthChar::width(*c) == Some(2))
        .map(|(i, c)| i + c.len_utf8());
    match split {
        Some(at) => {
            let (zh, en) = (help[..at].trim(), help[at..].trim());
            if en.chars().any(|c| c.is_ascii_alphabetic()) { (zh, Some(en)) } else { (help.trim(), None) }
        }
        None => (help.trim(), Some(help.trim())),
    }
}

/// Every command's help ends with the exit codes (English).
fn with_exit_codes(cmd: clap::Command) -> clap::Command {
    cmd.after_help("Exit codes: 0 ok; 1 problems found in the data; 2 usage or I/O error.")
        .mut_subcommands(with_exit_codes)
}

fn localize(cmd: clap::Command, root: bool) -> clap::Command {
    let mut cmd = cmd
        .help_template("{about-with-newline}\n用法：{usage}\n\n{all-args}{after-help}")
        .after_help("退出码：0 正常；1 数据有问题；2 用法或读写错误。")
        .subcommand_help_heading("命令")
        .disable_help_flag(true)
        .arg(
            clap::Arg::new("help")
                .short('h')
                .long("help")
                .action(clap::ArgAction::Help)
                .help("显示帮助（-h 为摘要）")
                .global(false),
        );
    if root {
        cmd = cmd.disable_version_flag(true).arg(
            clap::Arg::new("version").short('V').long("version").action(clap::ArgAction::Version).help("显示版本"),
        );
    }
    cmd.mut_args(|a| {
        if a.get_help_heading().is_some() {
            a
        } else if a.is_positional() {
            a.help_heading("参数")
        } else {
            a.help_heading("选项")
        }
    })
    .mut_subcommands(|s| localize(s, false))
}

/// The language a command line asks for before it is parsed: `--lang en` (or `--lang=en`),
/// else `PERF_LANG`, else Chinese.
pub fn requested_lang(args: &[std::ffi::OsString]) -> Lang {
    let mut wanted = None;
    for (k, a) in args.iter().enumerate() {
        let a = a.to_string_lossy();
        if a == "--" {
            break;
        }
        if a == "--lang" {
            wanted = args.get(k + 1).map(|v| v.to_string_lossy().into_owned());
        } else if let Some(v) = a.strip_prefix("--lang=") {
            wanted = Some(v.to_owned());
        }
    }
    let wanted = wanted.or_else(|| std::env::var("PERF_LANG").ok());
    if wanted.as_deref().is_some_and(|l| l.eq_ignore_ascii_case("en")) { Lang::En } else { Lang::Zh }
}

/// A command-line error in Chinese (clap writes English only): what was wrong, the fix it
/// suggests, the usage line and where to read more. Kinds without a translation, and help or
/// version output, are left to clap.
pub fn error_zh(e: &clap::Error) -> Option<String> {
    use clap::error::{ContextKind as C, ContextValue as V, ErrorKind as K};
    let get = |kind: C| -> Vec<String> {
        match e.get(kind) {
            Some(V::String(s)) => vec![s.clone()],
            Some(V::Strings(v)) => v.clone(),
            Some(V::StyledStr(s)) => vec![s.to_string()],
            Some(V::StyledStrs(v)) => v.iter().map(ToString::to_string).collect(),
            Some(V::Number(n)) => vec![n.to_string()],
            _ => Vec::new(),
        }
    };
    let one = |kind: C| get(kind).into_iter().next().unwrap_or_default();
    let list = |kind: C| get(kind).iter().map(|v| format!("「{v}」")).collect::<Vec<_>>().join("、");
    let mut text = match e.kind() {
        K::UnknownArgument => format!("不认识的选项「{}」", one(C::InvalidArg)),
        K::InvalidSubcommand => format!("没有命令「{}」", one(C::InvalidSubcommand)),
        K::InvalidValue if one(C::InvalidValue).is_empty() => format!("{} 需要一个值", one(C::InvalidArg)),
        K::InvalidValue => format!("「{}」不是 {} 可用的值", one(C::InvalidValue), one(C::InvalidArg)),
        K::ValueValidation => format!("{} 的值「{}」无效", one(C::InvalidArg), one(C::InvalidValue)),
        K::NoEquals => format!("{} 的值要用等号写在一起", one(C::InvalidArg)),
        K::TooManyValues | K::TooFewValues | K::WrongNumberOfValues => {
            format!("{} 的值个数不对", one(C::InvalidArg))
        }
        K::ArgumentConflict if one(C::PriorArg) == one(C::InvalidArg) => format!("{} 只能给一次", one(C::InvalidArg)),
        K::ArgumentConflict => format!("{} 不能与 {} 同时使用", one(C::InvalidArg), list(C::PriorArg)),
        K::MissingRequiredArgument => format!("缺少必需的参数：{}", list(C::InvalidArg)),
        K::MissingSubcommand => "缺少命令".to_owned(),
        K::InvalidUtf8 => "参数不是有效的 UTF-8 文字".to_owned(),
        _ => return None,
    };
    let valid = list(C::ValidValue);
    if !valid.is_empty() {
        text.push_str(&format!("；可用的值：{valid}"));
    }
    for kind in [C::SuggestedArg, C::SuggestedValue, C::SuggestedSubcommand] {
        let s = list(kind);
        if !s.is_empty() {
            text.push_str(&format!("；是不是想用{s}？"));
        }
    }
    let mut out = format!("{text}\n");
    let usage = one(C::Usage);
    if let Some(usage) = usage.trim().strip_prefix("Usage:") {
        out.push_str(&format!("\n用法：{}\n", usage.trim()));
    }
    out.push_str("\n详见 --help。");
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::halves;

    #[test]
    fn a_help_text_splits_into_its_chinese_and_english_halves() {
        assert_eq!(
            halves("报告文件（.xlsx）。The workbook to write."),
            ("报告文件（.xlsx）。", Some("The workbook to write."))
        );
        // Chinese only, or English only.
        assert_eq!(halves("名册（默认取工作区）。"), ("名册（默认取工作区）。", None));
        assert_eq!(halves("Which shell"), ("Which shell", Some("Which shell")));
        // Latin inside the Chinese half stays there; the English half starts after the last
        // Chinese character.
        assert_eq!(
            halves("着色：auto（默认）、always 总是、never 从不。Colour: auto, always or never."),
            ("着色：auto（默认）、always 总是、never 从不。", Some("Colour: auto, always or never."))
        );
        // Digits or punctuation after the Chinese are not an English half.
        assert_eq!(halves("年度，如 2026"), ("年度，如 2026", None));
    }
}

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

    /// 着色：auto（默认，终端上着色；设置 NO_COLOR 时不着色）、always、never。Colour
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

//! The scheme file as written: the TOML contract, key by key.
//!
//! These types mirror `scheme.toml` exactly (serde + JSON Schema). Every value that a later
//! check may complain about is wrapped in [`Spanned`] so that the complaint can point at its
//! line and column. Nothing here judges meaning; `core::check` turns a [`SchemeDoc`] into a
//! checked [`super::Scheme`] and a list of diagnostics.

use indexmap::IndexMap;
use rust_decimal::Decimal;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
pub use toml::Spanned;

/// 考核方案：指标体系、评价主体、类别和等次。A performance-assessment scheme.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SchemeDoc {
    /// 方案的基本设置。General settings.
    #[schemars(with = "HeaderDoc")]
    pub scheme: Spanned<HeaderDoc>,
    /// 评价主体，例如 leader（领导）、peer（互评）、public（服务对象）、third_party（第三方）。
    /// Evaluation sources, keyed by id.
    #[serde(default)]
    #[schemars(with = "BTreeMap<String, RaterDoc>")]
    pub raters: IndexMap<Spanned<String>, Spanned<RaterDoc>>,
    /// 考核对象类别（分类考核），例如 经济发展类。Subject categories, keyed by id.
    #[serde(default)]
    #[schemars(with = "BTreeMap<String, CategoryDoc>")]
    pub categories: IndexMap<Spanned<String>, Spanned<CategoryDoc>>,
    /// 指标：一个平铺的列表，通过 parent 组成指标树。Indicators: a flat list forming a tree.
    #[serde(default)]
    #[schemars(with = "Vec<IndicatorDoc>")]
    pub indicators: Vec<Spanned<IndicatorDoc>>,
    /// 等次与名额。Grade levels and quotas.
    #[schemars(with = "GradesDoc")]
    pub grades: Spanned<GradesDoc>,
    /// 年度考核设置（年度方案才有）：季度与年终的权重、缺季度的处理。Annual settings.
    #[serde(default)]
    #[schemars(with = "Option<AnnualDoc>")]
    pub annual: Option<Spanned<AnnualDoc>>,
    /// 结果运用规则（三挂钩）。Link rules.
    #[serde(default)]
    #[schemars(with = "Vec<LinkDoc>")]
    pub links: Vec<Spanned<LinkDoc>>,
    /// 资金分配（奖金池、分期拨付）。Funding.
    #[serde(default)]
    #[schemars(with = "Option<FundingDoc>")]
    pub funding: Option<Spanned<FundingDoc>>,
    /// 评价打分单元格中可以写的文字及其折算的分数（按该评价打分的分制，百分制为 0–100），
    /// 例如 满意 = 100、基本满意 = 60、不满意 = 0（常见折算 1/0.6/0，UNCONFIRMED，可按本地办法修改）。
    /// 没有列出的文字按“不是数字”拒收。Words accepted in rating cells and the value each
    /// stands for, on the rating's own scale; other words are refused.
    #[serde(default)]
    #[schemars(with = "BTreeMap<String, f64>")]
    pub value_words: IndexMap<Spanned<String>, Spanned<Decimal>>,
}

/// 缺少季度结果时的处理。What happens when quarterly results are missing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum MissingQuarters {
    /// 取已有季度的平均（少于 min_quarters 时不定等次）。Mean of the present quarters.
    #[default]
    Mean,
    /// 缺任何季度即不定等次。Any missing quarter: no grade.
    Ungraded,
}

/// [annual] 表。
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AnnualDoc {
    /// 季度平均分所占百分比，默认 100。Percent of the annual score from the quarterly mean.
    #[serde(default)]
    #[schemars(with = "Option<f64>")]
    pub quarter_weight: Option<Spanned<Decimal>>,
    /// 年终考核所占百分比，默认 0；与 quarter_weight 合计 100。Percent from the year-end assessment.
    #[serde(default)]
    #[schemars(with = "Option<f64>")]
    pub year_end_weight: Option<Spanned<Decimal>>,
    /// 缺季度的处理：mean（默认）或 ungraded。
    #[serde(default)]
    pub missing_quarters: MissingQuarters,
    /// 至少有几个季度结果才定等次，默认 1。Fewest quarters for a grade.
    #[serde(default)]
    #[schemars(with = "Option<u32>")]
    pub min_quarters: Option<Spanned<u32>>,
    /// 季度（平时）考核的等次，从高到低，例如 ["好", "较好", "一般", "较差"]。Quarterly grades.
    #[serde(default)]
    pub quarter_grades: Vec<String>,
    /// 处分与组织处理的用词（名册、历史文件中出现的都必须在这里或规则中），例如 ["警告", "记过", "记大过",
    /// "降级", "撤职", "开除", "诫勉", "调整职务"]。Declared sanction words.
    #[serde(default)]
    pub sanctions: Vec<String>,
    /// 处分用词的别名，例如 { "记过处分" = "记过" }。Aliases of sanction words.
    #[serde(default)]
    pub sanction_aliases: std::collections::BTreeMap<String, String>,
    /// 不定等次的名称，默认 不定等次。Name used for "no grade".
    #[serde(default)]
    pub ungraded_name: Option<String>,
}

/// 规则类别：年度等次、干部任用、资源配置。
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum LinkKind {
    /// 约束年度等次
    Annual,
    /// 干部任用与奖励
    Appointment,
    /// 资源配置
    Resources,
}

/// 季度等次计数条件，例如 { grade = "好", at_least = 2 }。
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct QuarterCountDoc {
    #[schemars(with = "String")]
    pub grade: Spanned<String>,
    #[serde(default)]
    pub at_least: Option<u32>,
    #[serde(default)]
    pub at_most: Option<u32>,
}

/// 历年等次条件：连续 N 年，或最近 N 年中至少 K 年（都含今年）。
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct HistoryDoc {
    /// 等次（任一）。Grades (any of).
    #[schemars(with = "Vec<String>")]
    pub grade: Vec<Spanned<String>>,
    /// 连续年数（含今年）。Consecutive years including this one.
    #[serde(default)]
    pub consecutive: Option<u32>,
    /// 至少几年……
    #[serde(default)]
    pub at_least: Option<u32>,
    /// ……在最近几年中（含今年）。
    #[serde(default)]
    pub of_last: Option<u32>,
    /// 每连续 N 年触发一次（含今年）：连续年数是 N 的倍数时触发，例如 every = 3 在连续第 3、6、9 年
    /// 触发（奖励只发一次，之后重新计）。consecutive 则是“至少连续 N 年”，每年都触发。
    /// Fires once per run of N: when the current run's length is a multiple of N.
    #[serde(default)]
    pub every: Option<u32>,
}

/// 近几年内受过的处分（不含今年），例如 { sanction = ["开除党籍"], years = 2 }。
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SanctionWithinDoc {
    /// 处分（任一）。
    pub sanction: Vec<String>,
    /// 前几年内（1 = 去年）。
    pub years: u32,
}

/// 条件：写出的各项都成立时规则触发。Conditions (all must hold).
#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct WhenDoc {
    /// 季度等次计数（每项都须成立）。
    #[serde(default)]
    #[schemars(with = "Vec<QuarterCountDoc>")]
    pub quarters: Vec<Spanned<QuarterCountDoc>>,
    /// 今年的年度等次（任一；annual 类规则不能用）。
    #[serde(default)]
    #[schemars(with = "Option<Vec<String>>")]
    pub grade: Option<Vec<Spanned<String>>>,
    /// 年度得分不低于。
    #[serde(default)]
    #[schemars(with = "Option<f64>")]
    pub score_at_least: Option<Spanned<Decimal>>,
    /// 年度得分低于。
    #[serde(default)]
    #[schemars(with = "Option<f64>")]
    pub score_below: Option<Spanned<Decimal>>,
    /// 名额池内排名不低于（1 = 第一名）。
    #[serde(default)]
    pub rank_at_most: Option<u32>,
    /// 有季度被一票否决。
    #[serde(default)]
    pub vetoed: Option<bool>,
    /// 名册中今年的处分（任一）。
    #[serde(default)]
    pub sanction: Option<Vec<String>>,
    /// 历史文件中去年的处分（任一）。
    #[serde(default)]
    pub sanction_last_year: Option<Vec<String>>,
    /// 历年等次。
    #[serde(default)]
    #[schemars(with = "Option<HistoryDoc>")]
    pub history: Option<Spanned<HistoryDoc>>,
    /// 历史文件中前几年内（不含今年）的处分（任一），例如留党察看、开除党籍之后的两年。
    #[serde(default)]
    pub sanction_within: Option<SanctionWithinDoc>,
    /// 有季度结果的季度数不少于（例如把新录用人员排除在外）。
    #[serde(default)]
    pub quarters_present_at_least: Option<u32>,
    /// 有季度结果的季度数少于（新录用、长期病假）。
    #[serde(default)]
    pub quarters_present_below: Option<u32>,
    /// 所在单位的年度等次（任一；需要 --unit-results）。
    #[serde(default)]
    pub unit_grade: Option<Vec<String>>,
}

/// 结果：等次约束、标记、金额、名额、预算系数。Outcome.
#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ThenDoc {
    /// 年度等次最高为。
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub max_grade: Option<Spanned<String>>,
    /// 年度等次定为。
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub grade: Option<Spanned<String>>,
    /// 不定等次。
    #[serde(default)]
    pub ungraded: bool,
    /// 标记，例如 记三等功、辞退审查。
    #[serde(default)]
    pub flag: Option<String>,
    /// 金额（元），例如奖励。
    #[serde(default)]
    #[schemars(with = "Option<f64>")]
    pub amount: Option<Spanned<Decimal>>,
    /// 本单位公务员“优秀”名额比例（单位规则）。
    #[serde(default)]
    #[schemars(with = "Option<f64>")]
    pub person_quota: Option<Spanned<Decimal>>,
    /// 下一年度预算系数（单位规则）。
    #[serde(default)]
    #[schemars(with = "Option<f64>")]
    pub factor: Option<Spanned<Decimal>>,
}

/// 一条结果运用规则。A link rule.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct LinkDoc {
    #[schemars(with = "String")]
    pub id: Spanned<String>,
    pub name: String,
    pub kind: LinkKind,
    /// 依据（文件、条款）。Source of the rule.
    #[serde(default)]
    pub source: Option<String>,
    #[serde(default)]
    pub when: WhenDoc,
    pub then: ThenDoc,
    /// 同一年同时触发时，本规则取代这些规则（按 id），例如一等功取代二等功、三等功。
    /// Rules this one replaces when both fire in the same year.
    #[serde(default)]
    pub supersedes: Vec<String>,
}

/// 资金分配方法。
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum FundingMethod {
    /// 按等次系数 × 基数（默认）
    #[default]
    Grade,
    /// 按得分占比
    Score,
}

/// [funding] 表。
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FundingDoc {
    pub name: String,
    /// 资金池总额（元），分配到分。Pool, in yuan.
    #[schemars(with = "f64")]
    pub pool: Spanned<Decimal>,
    #[serde(default)]
    pub method: FundingMethod,
    /// 各等次系数（method = grade），未列出的等次和不定等次为 0。
    #[serde(default)]
    #[schemars(with = "BTreeMap<String, f64>")]
    pub coefficients: IndexMap<Spanned<String>, Spanned<Decimal>>,
    /// 分期拨付比例，合计 1，默认一次拨付。Tranche shares.
    #[serde(default)]
    #[schemars(with = "Vec<f64>")]
    pub tranches: Vec<Spanned<Decimal>>,
    /// 低于该等次的，第一期之后的各期暂停拨付。Later tranches need at least this grade.
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub threshold: Option<Spanned<String>>,
}

/// 考核对象是单位还是个人。Whether the subjects are agencies or persons.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum SubjectKind {
    /// 单位（区直机关）
    Unit,
    /// 个人（公务员）
    Person,
}

/// 考核周期。Assessment period.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum PeriodKind {
    /// 月度
    Month,
    /// 季度
    Quarter,
    /// 半年
    Half,
    /// 年度
    Year,
}

/// 评价主体缺席时的处理。What happens when a rater source gave no values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum MissingRater {
    /// 标记为不完整（默认）。Mark the subject incomplete (default).
    #[default]
    Error,
    /// 其余主体的权重按比例放大到 100。Scale the present raters' weights to 100.
    Renormalize,
    /// 缺席主体记 0 分。The missing rater counts as zero.
    Zero,
}

/// [scheme] 表。
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct HeaderDoc {
    /// 方案名称。Scheme name.
    pub name: String,
    /// 考核对象：unit 或 person。
    pub subject: SubjectKind,
    /// 考核周期：month、quarter、half、year。
    pub period: PeriodKind,
    /// 基础指标满分，通常为 100。Full points of the base indicators.
    #[serde(default)]
    #[schemars(with = "Option<f64>")]
    pub total: Option<Spanned<Decimal>>,
    /// 结果保留的小数位数，默认 2。Decimals in results.
    #[serde(default)]
    #[schemars(with = "Option<u32>")]
    pub precision: Option<Spanned<u32>>,
    /// 是否对每个指标得分也四舍五入，默认 false。Round each indicator too.
    #[serde(default)]
    pub round_each: bool,
    /// 全部加分合计的上限，默认 5。Cap on all bonus points together.
    #[serde(default)]
    #[schemars(with = "Option<f64>")]
    pub bonus_cap: Option<Spanned<Decimal>>,
    /// 评价主体缺席时的处理：error（默认）、renormalize、zero。
    #[serde(default)]
    pub missing_rater: MissingRater,
    /// 低于指标分值的该比例列入整改清单，默认 0.6。Rectification threshold.
    #[serde(default)]
    #[schemars(with = "Option<f64>")]
    pub rectify_below: Option<Spanned<Decimal>>,
}

/// 一个评价主体。An evaluation source.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RaterDoc {
    /// 名称，例如 服务对象评价。
    pub name: String,
    /// 权重（百分比）；全部主体合计 100。Weight in percent; all raters sum to 100.
    #[schemars(with = "f64")]
    pub weight: Spanned<Decimal>,
    /// 两端各去掉几个评价人再平均（1 = 去掉一个最高分和一个最低分），默认 0。
    #[serde(default)]
    #[schemars(with = "Option<u32>")]
    pub trim: Option<Spanned<u32>>,
    /// 最少评价人数，默认 2×trim+1。Fewest evaluators.
    #[serde(default)]
    #[schemars(with = "Option<u32>")]
    pub min_count: Option<Spanned<u32>>,
    /// 至少有几个评价人才去极值，默认 6（多于 5 人才去掉最高分和最低分）；人数不足时用简单平均并标记
    /// not-trimmed。Trim only with at least this many evaluators (default 6); fewer: plain mean.
    #[serde(default)]
    #[schemars(with = "Option<u32>")]
    pub trim_min_count: Option<Spanned<u32>>,
}

/// 一个考核对象类别。A subject category.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CategoryDoc {
    /// 名称，例如 经济发展类。
    pub name: String,
    /// 难度系数，默认 1。Difficulty coefficient.
    #[serde(default)]
    #[schemars(with = "Option<f64>")]
    pub coefficient: Option<Spanned<Decimal>>,
}

/// 指标所属的轨道。Indicator track.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Track {
    /// 共性指标（默认）
    #[default]
    Common,
    /// 个性指标
    Specific,
}

/// 计分方法。Scoring method.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum MethodKind {
    /// 评价打分：评价主体打分，加权平均。
    Rating,
    /// 完成率法。
    Completion,
    /// 功效系数法。
    Efficacy,
    /// 分档计分。
    Bands,
    /// 排名赋分（同类对象内）。
    Ranking,
    /// 扣分。
    Deduction,
    /// 加分。
    Bonus,
    /// 一票否决。
    Veto,
    /// 是/否。
    Boolean,
}

/// 指标方向。Whether higher or lower values are better.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    /// 越高越好（默认）
    #[default]
    Higher,
    /// 越低越好
    Lower,
}

/// 评价值的读法。How a rating value is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Scale {
    /// 百分制（默认）
    #[default]
    Percent,
    /// 按指标分值打分（0 到 points）
    Points,
}

/// 指标性质，用于形式主义检查。Indicator kind (used by the formalism lint).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum IndicatorKind {
    /// 结果
    Outcome,
    /// 产出
    Output,
    /// 过程
    Process,
}

/// 分档：值不低于 min 得 ratio × points，取满足条件的最高档。
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct BandDoc {
    /// 下限（含）。Lower bound, inclusive.
    #[schemars(with = "f64")]
    pub min: Spanned<Decimal>,
    /// 上限（不含），可省略；给出时必须等于下一档的 min。Upper bound, exclusive, optional.
    #[serde(default)]
    #[schemars(with = "Option<f64>")]
    pub max: Option<Spanned<Decimal>>,
    /// 得分比例。Fraction of the points earned.
    #[schemars(with = "f64")]
    pub ratio: Spanned<Decimal>,
}

/// 一个指标。An indicator.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct IndicatorDoc {
    /// 指标代码，全方案唯一。Unique code.
    #[schemars(with = "String")]
    pub code: Spanned<String>,
    /// 指标名称。
    pub name: String,
    /// 上级指标代码；省略表示一级指标。Parent code.
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub parent: Option<Spanned<String>>,
    /// common（共性）或 specific（个性）；下级指标沿用上级的轨道。
    #[serde(default)]
    #[schemars(with = "Option<Track>")]
    pub track: Option<Spanned<Track>>,
    /// 适用的类别；省略表示全部类别。Categories it applies to; absent = all.
    #[serde(default)]
    #[schemars(with = "Option<Vec<String>>")]
    pub categories: Option<Vec<Spanned<String>>>,
    /// 分值。Points.
    #[serde(default)]
    #[schemars(with = "Option<f64>")]
    pub points: Option<Spanned<Decimal>>,
    /// 计分方法（末级指标必填）。Scoring method (leaves).
    #[serde(default)]
    #[schemars(with = "Option<MethodKind>")]
    pub method: Option<Spanned<MethodKind>>,
    /// 方向：higher（默认）或 lower。
    #[serde(default)]
    #[schemars(with = "Option<Direction>")]
    pub direction: Option<Spanned<Direction>>,
    /// 计量单位，例如 %、个、件。Unit of measure.
    #[serde(default)]
    pub unit: Option<String>,
    /// 评价值的读法：percent（默认）或 points。
    #[serde(default)]
    #[schemars(with = "Option<Scale>")]
    pub scale: Option<Spanned<Scale>>,
    /// 目标值（满意值）。Target.
    #[serde(default)]
    #[schemars(with = "Option<f64>")]
    pub target: Option<Spanned<Decimal>>,
    /// 不允许值（功效系数法）。Floor (efficacy).
    #[serde(default)]
    #[schemars(with = "Option<f64>")]
    pub floor: Option<Spanned<Decimal>>,
    /// 上限。completion：最多可得分值的倍数，默认 1.2（超额完成最多按 120% 计）；efficacy、bands：倍数，默认 1；
    /// deduction、bonus：本项扣/加分的分数上限，默认不设（有分值的扣分项扣完为止，加分合计受 bonus_cap 限制）。
    /// Cap: completion 1.2 × points by default; efficacy and bands 1; deduction and bonus: points, none by default.
    #[serde(default)]
    #[schemars(with = "Option<f64>")]
    pub cap: Option<Spanned<Decimal>>,
    /// 分档表。Bands.
    #[serde(default)]
    #[schemars(with = "Option<Vec<BandDoc>>")]
    pub bands: Option<Spanned<Vec<BandDoc>>>,
    /// bands：在相邻两档的下限之间按比例线性插值（分档线性插值），默认 false（按档取值）。
    /// Interpolate linearly between band minimums instead of stepping.
    #[serde(default)]
    #[schemars(with = "Option<bool>")]
    pub interpolate: Option<Spanned<bool>>,
    /// 排名每后一位扣的分。Points lost per rank.
    #[serde(default)]
    #[schemars(with = "Option<f64>")]
    pub step: Option<Spanned<Decimal>>,
    /// 每次（每件）扣分或加分。Points per item.
    #[serde(default)]
    #[schemars(with = "Option<f64>")]
    pub per_item: Option<Spanned<Decimal>>,
    /// 本指标的评价主体权重，覆盖方案的权重，例如 { leader = 40, public = 60 }。
    #[serde(default)]
    #[schemars(with = "Option<BTreeMap<String, f64>>")]
    pub raters: Option<Spanned<IndexMap<Spanned<String>, Spanned<Decimal>>>>,
    /// 一票否决时最高等次，默认最低等次。Highest grade a vetoed subject may get.
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub max_grade: Option<Spanned<String>>,
    /// 一票否决改为扣固定分（例如 30）。Fixed deduction instead of a grade cap.
    #[serde(default)]
    #[schemars(with = "Option<f64>")]
    pub deduct: Option<Spanned<Decimal>>,
    /// 指标说明（SMART：明确性）。
    #[serde(default)]
    pub description: Option<String>,
    /// 计量口径（SMART：明确性）。
    #[serde(default)]
    pub measure: Option<String>,
    /// 数据来源：由谁提供（SMART：可衡量）。
    #[serde(default)]
    pub source: Option<String>,
    /// 服务的战略目标或上级决策部署（SMART：相关性）。
    #[serde(default)]
    pub goal: Option<String>,
    /// outcome（结果）、output（产出）或 process（过程）。
    #[serde(default)]
    pub kind: Option<IndicatorKind>,
    /// 完成时限（SMART：时限性）。
    #[serde(default)]
    pub deadline: Option<String>,
    /// 考核周期说明（SMART：时限性），例如 按季度。
    #[serde(default)]
    pub period: Option<String>,
}

/// 等次名额的统计范围。The pool a quota counts in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum QuotaScope {
    /// 全部对象一个池（默认）
    #[default]
    All,
    /// 每个类别一个池
    Category,
    /// 每个单位一个池（个人考核）
    Unit,
    /// 每个职级一个池（名册的职级列）
    Level,
}

/// 名额统计范围：一个（"unit"）或几个的组合（["unit", "category"]：每个单位的每个类别一个池，互不借用）。
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(untagged)]
pub enum ScopeDoc {
    One(QuotaScope),
    Many(Vec<QuotaScope>),
}

impl Default for ScopeDoc {
    fn default() -> Self {
        ScopeDoc::One(QuotaScope::All)
    }
}

impl ScopeDoc {
    /// The keys that split the pool (none: one pool of everyone).
    pub fn keys(&self) -> Vec<QuotaScope> {
        let all = match self {
            ScopeDoc::One(s) => vec![*s],
            ScopeDoc::Many(v) => v.clone(),
        };
        let mut out: Vec<QuotaScope> = Vec::new();
        for s in all {
            if s != QuotaScope::All && !out.contains(&s) {
                out.push(s);
            }
        }
        out
    }
}

/// 名额取整方式。How quota × pool size is rounded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum QuotaRounding {
    /// 去尾
    Floor,
    /// 四舍五入（默认）
    #[default]
    Round,
    /// 进一
    Ceil,
}

/// 一个等次。A grade level.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct LevelDoc {
    /// 等次名称，例如 优秀。
    #[schemars(with = "String")]
    pub name: Spanned<String>,
    /// 最低分（含）。Lowest score, inclusive.
    #[schemars(with = "f64")]
    pub min: Spanned<Decimal>,
    /// 名额比例 (0, 1]，省略表示不限。Quota share of the pool; absent = no cap.
    #[serde(default)]
    #[schemars(with = "Option<f64>")]
    pub quota: Option<Spanned<Decimal>>,
}

/// [grades] 表。
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct GradesDoc {
    /// 等次，从高到低。Levels, highest first.
    #[schemars(with = "Vec<LevelDoc>")]
    pub levels: Spanned<Vec<LevelDoc>>,
    /// 名额统计范围：all（默认）、category、unit、level，或几个的组合，例如 ["unit", "category"]（每个单位
    /// 的领导干部与其他人员各一个池，名额互不借用）。
    #[serde(default)]
    pub scope: ScopeDoc,
    /// 名额取整：floor、round（默认，四舍五入）、ceil。
    #[serde(default)]
    pub quota_rounding: QuotaRounding,
    /// 同分排序依据：指标代码、评价主体或轨道（common/specific），依次比较。
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    pub tie_break: Vec<Spanned<String>>,
}

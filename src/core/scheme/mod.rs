//! The scheme: the indicator system as the rest of perf uses it.
//!
//! [`doc`] holds the file as written; [`Scheme`] is the checked form built by
//! `core::check::check_scheme`: defaults filled in, references resolved to indices, each
//! leaf's method parsed with its parameters. A `Scheme` exists only when the file had no
//! errors, so scoring never meets a dangling parent or a completion without a target.

pub mod doc;

use crate::core::diag::Span;
pub use doc::{
    Direction, IndicatorKind, MethodKind, MissingRater, PeriodKind, QuotaRounding, QuotaScope, Scale, SubjectKind,
    Track,
};
use rust_decimal::Decimal;

/// A checked scheme.
#[derive(Debug, Clone)]
pub struct Scheme {
    pub name: String,
    pub subject: SubjectKind,
    pub period: PeriodKind,
    pub total: Decimal,
    pub precision: u32,
    pub round_each: bool,
    pub bonus_cap: Decimal,
    pub missing_rater: MissingRater,
    pub rectify_below: Decimal,
    pub raters: Vec<Rater>,
    pub categories: Vec<Category>,
    /// In file order; parents may come after children.
    pub indicators: Vec<Indicator>,
    pub grades: Grades,
    /// Annual settings and link rules (annual schemes only).
    pub annual: Option<crate::core::annual::AnnualRules>,
    /// Words accepted in rating cells (满意, 基本满意 …) with their values, the words as
    /// header text is compared (full-width folded, no spaces).
    pub value_words: Vec<(String, Decimal)>,
}

impl Scheme {
    /// The value a word stands for in a rating cell, if the scheme declares it.
    pub fn word_value(&self, text: &str) -> Option<Decimal> {
        if self.value_words.is_empty() {
            return None;
        }
        let t = crate::core::import::header::normalize_header(text);
        self.value_words.iter().find(|(w, _)| *w == t).map(|(_, v)| *v)
    }
}

/// An evaluation source (评价主体).
#[derive(Debug, Clone)]
pub struct Rater {
    pub id: String,
    pub name: String,
    /// Percent of the rating.
    pub weight: Decimal,
    /// Evaluators dropped at each end before averaging.
    pub trim: u32,
    pub min_count: u32,
    /// Trimming applies only with at least this many evaluators (more than 2 × trim).
    pub trim_min_count: u32,
}

/// A subject category (分类考核).
#[derive(Debug, Clone)]
pub struct Category {
    pub id: String,
    pub name: String,
    /// 难度系数.
    pub coefficient: Decimal,
    /// Span of the id in the scheme file.
    pub span: Span,
}

/// One band of a `bands` indicator: a value at or above `min` earns `ratio` × points.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Band {
    pub min: Decimal,
    pub max: Option<Decimal>,
    pub ratio: Decimal,
}

/// A leaf's scoring method with its parameters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Method {
    /// Raters' weighted mean; `raters` are (rater index, weight) summing to 100.
    Rating {
        scale: Scale,
        raters: Vec<(usize, Decimal)>,
    },
    Completion {
        direction: Direction,
        target: Decimal,
        cap: Decimal,
    },
    Efficacy {
        direction: Direction,
        target: Decimal,
        floor: Decimal,
        cap: Decimal,
    },
    Bands {
        bands: Vec<Band>,
        /// 分档线性插值: between two bands' minimums the ratio moves linearly.
        interpolate: bool,
    },
    Ranking {
        direction: Direction,
        step: Decimal,
    },
    /// With points: p − per_item × count inside the tree (floor 0). Without: taken off the
    /// final score, at most `cap`.
    Deduction {
        per_item: Decimal,
        cap: Option<Decimal>,
    },
    Bonus {
        per_item: Decimal,
        cap: Option<Decimal>,
    },
    /// `max_grade` is a level index; `deduct` replaces the grade cap by a fixed deduction.
    Veto {
        max_grade: usize,
        deduct: Option<Decimal>,
    },
    Boolean,
}

impl Method {
    pub fn kind(&self) -> MethodKind {
        match self {
            Method::Rating { .. } => MethodKind::Rating,
            Method::Completion { .. } => MethodKind::Completion,
            Method::Efficacy { .. } => MethodKind::Efficacy,
            Method::Bands { .. } => MethodKind::Bands,
            Method::Ranking { .. } => MethodKind::Ranking,
            Method::Deduction { .. } => MethodKind::Deduction,
            Method::Bonus { .. } => MethodKind::Bonus,
            Method::Veto { .. } => MethodKind::Veto,
            Method::Boolean => MethodKind::Boolean,
        }
    }
}

impl Method {
    /// The method's parameters in words, for readers (the report's 说明, docs): raters by
    /// name, grades by name, no program internals.
    pub fn describe(&self, scheme: &Scheme, lang: crate::Lang) -> String {
        let zh = lang == crate::Lang::Zh;
        let n = |d: &Decimal| d.normalize().to_string();
        let better = |d: &Direction| match (d, zh) {
            (Direction::Higher, true) => "越高越好",
            (Direction::Lower, true) => "越低越好",
            (Direction::Higher, false) => "higher is better",
            (Direction::Lower, false) => "lower is better",
        };
        let sep = if zh { "；" } else { "; " };
        match self {
            Method::Rating { scale, raters } => {
                let scale = match (scale, zh) {
                    (Scale::Percent, true) => "百分制",
                    (Scale::Points, true) => "按分值打分",
                    (Scale::Percent, false) => "0–100 scale",
                    (Scale::Points, false) => "scored out of the points",
                };
                let parts: Vec<String> =
                    raters.iter().map(|(r, w)| format!("{} {}%", scheme.raters[*r].name, n(w))).collect();
                format!("{scale}{sep}{}", parts.join(if zh { "，" } else { ", " }))
            }
            Method::Completion { direction, target, cap } => match (direction, zh) {
                (Direction::Higher, true) => {
                    format!("完成值 ÷ 目标值 {}（{}），最多 {} 倍", n(target), better(direction), n(cap))
                }
                (Direction::Lower, true) => {
                    format!("目标值 {} ÷ 完成值（{}），最多 {} 倍", n(target), better(direction), n(cap))
                }
                (Direction::Higher, false) => {
                    format!("value ÷ target {} ({}), at most {}×", n(target), better(direction), n(cap))
                }
                (Direction::Lower, false) => {
                    format!("target {} ÷ value ({}), at most {}×", n(target), better(direction), n(cap))
                }
            },
            Method::Efficacy { direction, target, floor, cap } => {
                if zh {
                    format!(
                        "功效系数：目标值 {}，底线值 {}（{}），最多 {} 倍",
                        n(target),
                        n(floor),
                        better(direction),
                        n(cap)
                    )
                } else {
                    format!(
                        "efficacy: target {}, floor {} ({}), at most {}×",
                        n(target),
                        n(floor),
                        better(direction),
                        n(cap)
                    )
                }
            }
            Method::Bands { bands, interpolate } => {
                let parts: Vec<String> = bands
                    .iter()
                    .map(|b| match (&b.max, zh) {
                        (Some(max), true) => format!("{} 至 {}：分值 × {}", n(&b.min), n(max), n(&b.ratio)),
                        (None, true) => format!("{} 以上：分值 × {}", n(&b.min), n(&b.ratio)),
                        (Some(max), false) => format!("{} to {}: points × {}", n(&b.min), n(max), n(&b.ratio)),
                        (None, false) => format!("{} and above: points × {}", n(&b.min), n(&b.ratio)),
                    })
                    .collect();
                let mut text = parts.join(sep);
                if *interpolate {
                    text.push_str(if zh { "；档间线性插值" } else { "; linear between bands" });
                }
                text
            }
            Method::Ranking { direction, step } => {
                if zh {
                    format!("按名次赋分（{}），每差一名少 {} 分", better(direction), n(step))
                } else {
                    format!("by rank ({}), {} points less per place", better(direction), n(step))
                }
            }
            Method::Deduction { per_item, cap } | Method::Bonus { per_item, cap } => {
                let bonus = matches!(self, Method::Bonus { .. });
                let mut text = match (bonus, zh) {
                    (false, true) => format!("每项扣 {} 分", n(per_item)),
                    (true, true) => format!("每项加 {} 分", n(per_item)),
                    (false, false) => format!("{} points off per item", n(per_item)),
                    (true, false) => format!("{} points per item", n(per_item)),
                };
                if let Some(cap) = cap {
                    text.push_str(&match zh {
                        true => format!("，最多 {} 分", n(cap)),
                        false => format!(", at most {}", n(cap)),
                    });
                }
                text
            }
            Method::Veto { max_grade, deduct } => match (deduct, zh) {
                (Some(d), true) => format!("触发时扣 {} 分", n(d)),
                (Some(d), false) => format!("when triggered, {} points off", n(d)),
                (None, true) => format!("触发时等次最高为「{}」", scheme.grades.levels[*max_grade].name),
                (None, false) => {
                    format!("when triggered, the grade is at most {}", scheme.grades.levels[*max_grade].name)
                }
            },
            Method::Boolean => {
                if zh {
                    "完成得全部分值，未完成得 0".to_owned()
                } else {
                    "done: full points; not done: 0".to_owned()
                }
            }
        }
    }
}

impl Track {
    /// 共性/个性 for readers.
    pub fn label(self, lang: crate::Lang) -> &'static str {
        match (self, lang) {
            (Track::Common, crate::Lang::Zh) => "共性",
            (Track::Specific, crate::Lang::Zh) => "个性",
            (Track::Common, crate::Lang::En) => "common",
            (Track::Specific, crate::Lang::En) => "specific",
        }
    }
}

impl MethodKind {
    pub fn as_str(self) -> &'static str {
        match self {
            MethodKind::Rating => "rating",
            MethodKind::Completion => "completion",
            MethodKind::Efficacy => "efficacy",
            MethodKind::Bands => "bands",
            MethodKind::Ranking => "ranking",
            MethodKind::Deduction => "deduction",
            MethodKind::Bonus => "bonus",
            MethodKind::Veto => "veto",
            MethodKind::Boolean => "boolean",
        }
    }

    /// The method's name for readers: 评价打分, 完成率法, … (the `method` key's value in English).
    pub fn label(self, lang: crate::Lang) -> &'static str {
        if lang == crate::Lang::En {
            return self.as_str();
        }
        match self {
            MethodKind::Rating => "评价打分",
            MethodKind::Completion => "完成率法",
            MethodKind::Efficacy => "功效系数法",
            MethodKind::Bands => "分档计分",
            MethodKind::Ranking => "排名赋分",
            MethodKind::Deduction => "扣分",
            MethodKind::Bonus => "加分",
            MethodKind::Veto => "一票否决",
            MethodKind::Boolean => "是否完成",
        }
    }
}

impl Track {
    pub fn as_str(self) -> &'static str {
        match self {
            Track::Common => "common",
            Track::Specific => "specific",
        }
    }
}

impl Direction {
    pub fn as_str(self) -> &'static str {
        match self {
            Direction::Higher => "higher",
            Direction::Lower => "lower",
        }
    }
}

/// An indicator, resolved.
#[derive(Debug, Clone)]
pub struct Indicator {
    pub code: String,
    pub name: String,
    pub parent: Option<usize>,
    pub children: Vec<usize>,
    /// Effective track (inherited from the parent when not set).
    pub track: Track,
    /// Effective categories (own list ∩ parent's); `None` = every category.
    pub categories: Option<Vec<usize>>,
    pub points: Option<Decimal>,
    /// Set on leaves only.
    pub method: Option<Method>,
    pub unit: Option<String>,
    pub target: Option<Decimal>,
    /// Effective kind (inherited from the parent when not set).
    pub kind: Option<IndicatorKind>,
    pub description: Option<String>,
    pub measure: Option<String>,
    pub source: Option<String>,
    pub goal: Option<String>,
    pub deadline: Option<String>,
    pub period: Option<String>,
    /// Span of the code in the scheme file.
    pub span: Span,
}

impl Indicator {
    /// Whether the indicator's points count in its parent's sum and the base score.
    /// Bonus, veto and point-less deduction items stand outside.
    pub fn in_base(&self) -> bool {
        match &self.method {
            Some(Method::Bonus { .. } | Method::Veto { .. }) => false,
            Some(Method::Deduction { .. }) => self.points.is_some(),
            _ => self.points.is_some(),
        }
    }

    pub fn applies_to(&self, category: Option<usize>) -> bool {
        match (&self.categories, category) {
            (None, _) | (_, None) => true,
            (Some(list), Some(c)) => list.contains(&c),
        }
    }
}

/// A grade level.
#[derive(Debug, Clone)]
pub struct Level {
    pub name: String,
    pub min: Decimal,
    /// Share of the pool, in (0, 1]; `None` = no cap.
    pub quota: Option<Decimal>,
}

/// How a tie is broken: by an indicator's points, a rater's mean, or a track's points.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TieBreak {
    Indicator(usize),
    Rater(usize),
    Track(Track),
}

/// Grades and quotas.
#[derive(Debug, Clone)]
pub struct Grades {
    /// Highest first, strictly descending by min.
    pub levels: Vec<Level>,
    /// The keys that split the quota pools (empty: one pool).
    pub scope: Vec<QuotaScope>,
    pub quota_rounding: QuotaRounding,
    pub tie_break: Vec<TieBreak>,
}

impl Scheme {
    /// Indices of the top-level indicators, in file order.
    pub fn roots(&self) -> impl Iterator<Item = usize> + '_ {
        self.indicators.iter().enumerate().filter(|(_, i)| i.parent.is_none()).map(|(n, _)| n)
    }

    /// Indices of the leaves, in file order.
    pub fn leaves(&self) -> impl Iterator<Item = usize> + '_ {
        self.indicators.iter().enumerate().filter(|(_, i)| i.children.is_empty()).map(|(n, _)| n)
    }

    /// The categories to check sums in: every category, or one implicit "all" (`None`).
    pub fn category_pools(&self) -> Vec<Option<usize>> {
        if self.categories.is_empty() { vec![None] } else { (0..self.categories.len()).map(Some).collect() }
    }

    pub fn find_indicator(&self, code: &str) -> Option<usize> {
        self.indicators.iter().position(|i| i.code == code)
    }

    pub fn find_category(&self, id: &str) -> Option<usize> {
        self.categories.iter().position(|c| c.id == id || c.name == id)
    }
}

//! From aggregated ledger values to each subject's points: every method's formula, parents,
//! tracks, the difficulty coefficient, bonus and deductions, rounding (四舍五入) at the
//! documented points only. Exact rationals throughout ([`Exact`]): a quotient is never cut
//! to a number of digits, so an exact half rounds the same way a clerk rounds it by hand.

use crate::core::exact::{AsExact, Exact};
use crate::core::roster::Roster;
use crate::core::scheme::{Direction, Method, MissingRater, Scale, Scheme, Track};
use crate::core::score::aggregate::Aggregate;
use rust_decimal::{Decimal, RoundingStrategy};

/// 四舍五入: round half away from zero to `dp` decimals. The one rounding rule of perf.
pub fn round_score(d: Decimal, dp: u32) -> Decimal {
    d.round_dp_with_strategy(dp, RoundingStrategy::MidpointAwayFromZero)
}

/// A number shown with exactly `dp` decimals, rounded half away from zero on its exact value.
pub fn show(x: impl AsExact, dp: u32) -> String {
    format!("{:.*}", dp as usize, x.as_exact().round(dp))
}

fn hundred() -> Exact {
    Exact::from_int(100)
}

/// One rater's part in a rating leaf.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RaterPart {
    pub rater: usize,
    /// The weight from the scheme (percent).
    pub weight: Decimal,
    /// The weight used (after renormalisation; 0 when missing).
    pub used_weight: Exact,
    pub mean: Option<Exact>,
    pub count: u32,
    /// Whether trimming was applied (enough evaluators).
    pub trimmed: bool,
}

/// How a leaf's points came about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LeafDetail {
    Rating {
        parts: Vec<RaterPart>,
        weighted: Exact,
        renormalized: bool,
        scale: Scale,
    },
    /// completion, efficacy, bands, boolean: the value and the fraction of points earned.
    Value {
        value: Option<Decimal>,
        fraction: Exact,
    },
    Ranking {
        value: Option<Decimal>,
        rank: Option<usize>,
    },
    /// deduction and bonus: the count and the points it is worth (after the item's cap).
    Count {
        count: Decimal,
        amount: Exact,
    },
    Veto {
        vetoed: bool,
    },
}

/// A leaf's result.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Leaf {
    pub indicator: usize,
    /// Points inside the tree (0 for items outside the base).
    pub points: Exact,
    pub detail: LeafDetail,
    /// The value was missing (or conflicting): the subject is incomplete.
    pub missing: bool,
}

/// Something about a subject's result that a reader must know.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Flag {
    /// A rater source or a value is missing (code, rater id or "").
    Missing { indicator: String, rater: String },
    /// Present raters' weights were scaled to 100.
    Renormalized { indicator: String },
    /// Fewer evaluators than min_count.
    FewEvaluators { indicator: String, rater: String, count: u32, min: u32 },
    /// Too few evaluators to trim: plain mean used.
    NotTrimmed { indicator: String, rater: String },
    /// More than one value for a data-driven indicator.
    Conflict { indicator: String },
    /// One veto item fired.
    Vetoed { indicator: String },
    /// The bonus was cut to bonus_cap.
    BonusCapped { total: Exact, cap: Decimal },
    /// Tied across a quota line: needs a decision.
    TieAtQuota,
    /// The grade was set by the decision file.
    Decided { reason: String },
    /// The decision file grades this subject, but its data is incomplete: the decision waits.
    DecisionWaits,
    /// A correction (复核) changed this subject's value of `what` (an indicator code) or its
    /// grade (`what` = "grade").
    Corrected { what: String },
    /// Another subject's correction would push this one below its grade: left for a decision.
    Displaced,
}

impl Flag {
    /// The flag in words, for tables people read (the CSV and JSON keep [`Flag::short`]).
    pub fn label(&self, lang: crate::Lang) -> String {
        let zh = lang == crate::Lang::Zh;
        let pick = |z: &str, e: &str| if zh { z.to_owned() } else { e.to_owned() };
        let of = |ind: &str, rater: &str| if rater.is_empty() { ind.to_owned() } else { format!("{ind}/{rater}") };
        match self {
            Flag::Missing { indicator, rater } => pick("缺值 ", "missing ") + &of(indicator, rater),
            Flag::Renormalized { indicator } => pick("权重按到场主体折算 ", "weights rescaled ") + indicator,
            Flag::FewEvaluators { indicator, rater, count, min } => {
                if zh {
                    format!("评价人不足 {}（{count}/{min}）", of(indicator, rater))
                } else {
                    format!("few evaluators {} ({count}/{min})", of(indicator, rater))
                }
            }
            Flag::NotTrimmed { indicator, rater } => pick("人数少未去极值 ", "not trimmed ") + &of(indicator, rater),
            Flag::Conflict { indicator } => pick("数据冲突 ", "conflicting values ") + indicator,
            Flag::Vetoed { indicator } => pick("否决 ", "veto ") + indicator,
            Flag::BonusCapped { .. } => pick("加分封顶", "bonus capped"),
            Flag::TieAtQuota => pick("名额线并列待定", "tied at the quota line"),
            Flag::Decided { .. } => pick("按决定定等", "graded by decision"),
            Flag::DecisionWaits => pick("决定待数据齐全", "decision waits for data"),
            Flag::Corrected { what } if what == "grade" => pick("等次已复核", "grade corrected"),
            Flag::Corrected { what } => pick("已复核 ", "corrected ") + what,
            Flag::Displaced => pick("复核挤占名额待定", "displaced by a correction"),
        }
    }

    /// What kind of flag it is, in words, without its indicator or rater: several flags of a
    /// kind are summed up as one line (人数少未去极值 ×4).
    pub fn kind_label(&self, lang: crate::Lang) -> &'static str {
        let zh = lang == crate::Lang::Zh;
        let pick = |z: &'static str, e: &'static str| if zh { z } else { e };
        match self {
            Flag::Missing { .. } => pick("缺值", "missing"),
            Flag::Renormalized { .. } => pick("权重按到场主体折算", "weights rescaled"),
            Flag::FewEvaluators { .. } => pick("评价人不足", "few evaluators"),
            Flag::NotTrimmed { .. } => pick("人数少未去极值", "not trimmed"),
            Flag::Conflict { .. } => pick("数据冲突", "conflicting values"),
            Flag::Vetoed { .. } => pick("否决", "veto"),
            Flag::BonusCapped { .. } => pick("加分封顶", "bonus capped"),
            Flag::TieAtQuota => pick("名额线并列待定", "tied at the quota line"),
            Flag::Decided { .. } => pick("按决定定等", "graded by decision"),
            Flag::DecisionWaits => pick("决定待数据齐全", "decision waits for data"),
            Flag::Corrected { .. } => pick("已复核", "corrected"),
            Flag::Displaced => pick("复核挤占名额待定", "displaced by a correction"),
        }
    }

    /// Short form for the `flags` column: `code:detail`.
    pub fn short(&self) -> String {
        match self {
            Flag::Missing { indicator, rater } if rater.is_empty() => format!("missing:{indicator}"),
            Flag::Missing { indicator, rater } => format!("missing:{indicator}/{rater}"),
            Flag::Renormalized { indicator } => format!("renormalized:{indicator}"),
            Flag::FewEvaluators { indicator, rater, .. } => format!("few-evaluators:{indicator}/{rater}"),
            Flag::NotTrimmed { indicator, rater } => format!("not-trimmed:{indicator}/{rater}"),
            Flag::Conflict { indicator } => format!("conflict:{indicator}"),
            Flag::Vetoed { indicator } => format!("veto:{indicator}"),
            Flag::BonusCapped { .. } => "bonus-capped".into(),
            Flag::TieAtQuota => "tie_at_quota".into(),
            Flag::Decided { .. } => "decided".into(),
            Flag::DecisionWaits => "decision-waits".into(),
            Flag::Corrected { what } => format!("corrected:{what}"),
            Flag::Displaced => "correction-displaces".into(),
        }
    }
}

/// One subject's result.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SubjectScore {
    pub subject: usize,
    pub category: Option<usize>,
    /// Per indicator (file order): the leaf result, for applicable leaves.
    pub leaves: Vec<Option<Leaf>>,
    /// Per indicator: points of applicable in-base indicators (leaves and parents).
    pub points: Vec<Option<Exact>>,
    pub tracks: [Exact; 2],
    /// Sum of the tracks.
    pub base: Exact,
    pub coefficient: Decimal,
    /// Bonus after the items' caps and bonus_cap.
    pub bonus: Exact,
    /// Deductions outside the base, including vetoes with a fixed deduction.
    pub deduction: Exact,
    /// base × coefficient + bonus − deduction, not below 0, unrounded.
    pub exact: Exact,
    /// The final score, rounded to the scheme's precision.
    pub score: Decimal,
    /// The highest grade index a veto allows (0 = no cap).
    pub grade_cap: usize,
    pub complete: bool,
    pub flags: Vec<Flag>,
    /// Per rater: the mean of its means over the subject's rating leaves (for tie-breaks).
    pub rater_means: Vec<Option<Exact>>,
    /// Competition ranks among the complete subjects; `None` for an incomplete subject.
    pub rank: Option<usize>,
    pub category_rank: Option<usize>,
    pub pool_rank: Option<usize>,
    /// `None` for an incomplete subject (待补): never graded until its data is complete.
    pub grade: Option<usize>,
    pub grade_reason: GradeReason,
}

impl SubjectScore {
    /// A result with only a score (for the annual assessment without a year-end part).
    pub fn blank(
        subject: usize,
        category: Option<usize>,
        indicators: usize,
        raters: usize,
        exact: Exact,
        dp: u32,
    ) -> Self {
        SubjectScore {
            subject,
            category,
            leaves: vec![None; indicators],
            points: vec![None; indicators],
            tracks: [Exact::zero(), Exact::zero()],
            base: exact.clone(),
            coefficient: Decimal::ONE,
            bonus: Exact::zero(),
            deduction: Exact::zero(),
            score: exact.round(dp),
            exact,
            grade_cap: 0,
            complete: true,
            flags: Vec::new(),
            rater_means: vec![None; raters],
            rank: None,
            category_rank: None,
            pool_rank: None,
            grade: None,
            grade_reason: GradeReason::default(),
        }
    }
}

/// What decided a grade.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum GradeReason {
    /// The score reached the level's minimum (and its quota had room).
    #[default]
    Threshold,
    /// Pushed down from the named level because its quota was full.
    Quota { from: usize },
    /// Capped by a veto.
    Veto,
    /// Set by the decision file.
    Decision,
    /// Tied across a quota line, not yet decided: the grade shown is the lower one.
    Undecided { from: usize },
    /// Data missing or conflicting: not ranked, not graded (待补), holds no quota place.
    Incomplete,
}

/// Ranks within each category for `ranking` indicators: subject → rank (competition ranking:
/// 1 + how many in the category have a strictly better value). One sort per category.
fn ranking_ranks(
    scheme: &Scheme,
    roster: &Roster,
    agg: &Aggregate,
    indicator: usize,
    direction: Direction,
) -> Vec<Option<usize>> {
    let mut ranks = vec![None; roster.subjects.len()];
    let ind = &scheme.indicators[indicator];
    let mut by_category: std::collections::BTreeMap<Option<usize>, Vec<(Decimal, usize)>> =
        std::collections::BTreeMap::new();
    for (s, subject) in roster.subjects.iter().enumerate() {
        let cat = subject.category.as_deref().and_then(|c| scheme.find_category(c));
        if !ind.applies_to(cat) {
            continue;
        }
        if let Some(v) = agg.data_value(s, indicator).filter(|d| d.conflicts.is_empty()).map(|d| d.value) {
            by_category.entry(cat).or_default().push((v, s));
        }
    }
    for mut members in by_category.into_values() {
        // Best first.
        members.sort_by(|a, b| match direction {
            Direction::Higher => b.0.cmp(&a.0),
            Direction::Lower => a.0.cmp(&b.0),
        });
        let mut first_of_value = 0;
        for k in 0..members.len() {
            if k > 0 && members[k].0 != members[k - 1].0 {
                first_of_value = k;
            }
            ranks[members[k].1] = Some(first_of_value + 1);
        }
    }
    ranks
}

/// Score every roster subject.
pub fn score_all(scheme: &Scheme, roster: &Roster, agg: &Aggregate) -> Vec<SubjectScore> {
    score_all_with(scheme, roster, agg, true)
}

/// As [`score_all`]; without `details`, each result's leaves (every rater's part, for explain
/// and the report) are dropped as soon as the subject is scored. Scores, ranks, grades,
/// points per indicator, flags and tie-break means are the same.
pub fn score_all_with(scheme: &Scheme, roster: &Roster, agg: &Aggregate, details: bool) -> Vec<SubjectScore> {
    let mut rankings: Vec<Option<Vec<Option<usize>>>> = vec![None; scheme.indicators.len()];
    for (i, ind) in scheme.indicators.iter().enumerate() {
        if let Some(Method::Ranking { direction, .. }) = &ind.method {
            rankings[i] = Some(ranking_ranks(scheme, roster, agg, i, *direction));
        }
    }
    // Subjects are scored independently: on every core, results in roster order.
    use rayon::prelude::*;
    (0..roster.subjects.len())
        .into_par_iter()
        .map(|s| {
            let mut r = score_subject(scheme, roster, agg, &rankings, s);
            if !details {
                r.leaves = Vec::new();
            }
            r
        })
        .collect()
}

#[allow(clippy::too_many_lines)]
fn score_subject(
    scheme: &Scheme,
    roster: &Roster,
    agg: &Aggregate,
    rankings: &[Option<Vec<Option<usize>>>],
    s: usize,
) -> SubjectScore {
    let category = roster.subjects[s].category.as_deref().and_then(|c| scheme.find_category(c));
    let n = scheme.indicators.len();
    let mut flags = Vec::new();
    let mut leaves: Vec<Option<Leaf>> = vec![None; n];
    let mut rater_sum: Vec<(Exact, u32)> = vec![(Exact::zero(), 0); scheme.raters.len()];
    let dp = scheme.precision;
    let round_leaf = |d: Exact| if scheme.round_each { Exact::from(d.round(dp)) } else { d };

    for i in scheme.leaves() {
        let ind = &scheme.indicators[i];
        if !ind.applies_to(category) {
            continue;
        }
        let p = ind.points.unwrap_or_default();
        let code = ind.code.clone();
        let data = agg.data_value(s, i);
        let conflict = data.is_some_and(|d| !d.conflicts.is_empty());
        if conflict {
            flags.push(Flag::Conflict { indicator: code.clone() });
        }
        let value = data.filter(|d| d.conflicts.is_empty()).map(|d| d.value);
        let Some(method) = &ind.method else { continue };
        let leaf = match method {
            Method::Rating { scale, raters } => {
                let mut parts = Vec::new();
                let mut missing = false;
                for (r, w) in raters {
                    let rater = &scheme.raters[*r];
                    let st = agg.rating(s, i, *r);
                    let mean = st.and_then(|st| st.mean(rater.trim as usize, rater.trim_min_count as usize));
                    let count = st.map_or(0, |st| st.count);
                    if *w > Decimal::ZERO {
                        if mean.is_none() {
                            missing = true;
                            flags.push(Flag::Missing { indicator: code.clone(), rater: rater.id.clone() });
                        } else if count < rater.min_count {
                            flags.push(Flag::FewEvaluators {
                                indicator: code.clone(),
                                rater: rater.id.clone(),
                                count,
                                min: rater.min_count,
                            });
                        }
                        if rater.trim > 0 && mean.as_ref().is_some_and(|m| !m.1) {
                            flags.push(Flag::NotTrimmed { indicator: code.clone(), rater: rater.id.clone() });
                        }
                    }
                    if let Some((m, _)) = &mean {
                        rater_sum[*r].0 += m;
                        rater_sum[*r].1 += 1;
                    }
                    let trimmed = mean.as_ref().is_some_and(|m| m.1);
                    parts.push(RaterPart {
                        rater: *r,
                        weight: *w,
                        used_weight: Exact::from(*w),
                        mean: mean.map(|m| m.0),
                        count,
                        trimmed,
                    });
                }
                let present: Decimal = parts.iter().filter(|p| p.mean.is_some()).map(|p| p.weight).sum();
                let renormalize =
                    missing && scheme.missing_rater == MissingRater::Renormalize && present > Decimal::ZERO;
                if renormalize {
                    flags.push(Flag::Renormalized { indicator: code.clone() });
                }
                for part in &mut parts {
                    part.used_weight = match (&part.mean, renormalize) {
                        (None, _) => Exact::zero(),
                        (Some(_), true) => Exact::from(part.weight) * hundred() / Exact::from(present),
                        (Some(_), false) => Exact::from(part.weight),
                    };
                }
                let weighted: Exact =
                    parts.iter().filter_map(|p| p.mean.as_ref().map(|m| m * &p.used_weight)).sum::<Exact>() / hundred();
                let points = match scale {
                    Scale::Percent => weighted.clone() * p / hundred(),
                    Scale::Points => weighted.clone(),
                };
                // missing_rater: error → incomplete; renormalize → incomplete only when no rater
                // is left; zero → the missing rater counts as 0.
                let incomplete = missing
                    && match scheme.missing_rater {
                        MissingRater::Error => true,
                        MissingRater::Renormalize => present == Decimal::ZERO,
                        MissingRater::Zero => false,
                    };
                Leaf {
                    indicator: i,
                    points: round_leaf(points),
                    detail: LeafDetail::Rating { parts, weighted, renormalized: renormalize, scale: *scale },
                    missing: incomplete,
                }
            }
            Method::Completion { direction, target, cap } => {
                let fraction = value.map_or(Exact::zero(), |v| {
                    let ratio = match direction {
                        Direction::Higher => Exact::from(v) / *target,
                        Direction::Lower if v <= Decimal::ZERO => Exact::from(*cap),
                        Direction::Lower => Exact::from(*target) / v,
                    };
                    ratio.min(Exact::from(*cap)).max(Exact::zero())
                });
                value_leaf(i, &fraction * p, value, fraction, conflict, &code, &mut flags, round_leaf)
            }
            Method::Efficacy { target, floor, cap, .. } => {
                let fraction = value.map_or(Exact::zero(), |v| {
                    let f = (Exact::from_int(60)
                        + Exact::from_int(40) * (Exact::from(v - *floor) / (*target - *floor)))
                        / hundred();
                    f.max(Exact::zero()).min(Exact::from(*cap))
                });
                value_leaf(i, &fraction * p, value, fraction, conflict, &code, &mut flags, round_leaf)
            }
            Method::Bands { bands, interpolate } => {
                let fraction = value.map_or(Exact::zero(), |v| band_fraction(bands, *interpolate, v));
                value_leaf(i, &fraction * p, value, fraction, conflict, &code, &mut flags, round_leaf)
            }
            Method::Boolean => {
                let fraction = if value == Some(Decimal::ONE) { Exact::one() } else { Exact::zero() };
                value_leaf(i, &fraction * p, value, fraction, conflict, &code, &mut flags, round_leaf)
            }
            Method::Ranking { step, .. } => {
                let rank = rankings[i].as_ref().and_then(|r| r[s]);
                if rank.is_none() && !conflict {
                    flags.push(Flag::Missing { indicator: code.clone(), rater: String::new() });
                }
                let points = rank.map_or(Decimal::ZERO, |r| (p - Decimal::from(r - 1) * *step).max(Decimal::ZERO));
                let points = Exact::from(points);
                Leaf {
                    indicator: i,
                    points: round_leaf(points),
                    detail: LeafDetail::Ranking { value, rank },
                    missing: rank.is_none(),
                }
            }
            Method::Deduction { per_item, cap } | Method::Bonus { per_item, cap } => {
                let count = value.unwrap_or(Decimal::ZERO);
                let mut amount = count * *per_item;
                if let Some(c) = cap {
                    amount = amount.min(*c);
                }
                // round_each rounds event items too: the amount is what is added or taken.
                let amount = round_leaf(Exact::from(amount));
                let points = match (method, ind.points) {
                    (Method::Deduction { .. }, Some(p)) => (Exact::from(p) - &amount).max(Exact::zero()),
                    _ => Exact::zero(),
                };
                Leaf { indicator: i, points, detail: LeafDetail::Count { count, amount }, missing: conflict }
            }
            Method::Veto { .. } => {
                let vetoed = value == Some(Decimal::ONE);
                if vetoed {
                    flags.push(Flag::Vetoed { indicator: code.clone() });
                }
                Leaf { indicator: i, points: Exact::zero(), detail: LeafDetail::Veto { vetoed }, missing: conflict }
            }
        };
        leaves[i] = Some(leaf);
    }

    // Parents, bottom-up: a node's points are its applicable in-base children's sum.
    let mut points: Vec<Option<Exact>> = vec![None; n];
    for i in scheme.leaves() {
        if let Some(l) = &leaves[i]
            && scheme.indicators[i].in_base()
        {
            points[i] = Some(l.points.clone());
        }
    }
    let mut order: Vec<usize> = scheme.roots().collect();
    let mut k = 0;
    while k < order.len() {
        let i = order[k];
        order.extend(scheme.indicators[i].children.iter().copied());
        k += 1;
    }
    for &i in order.iter().rev() {
        let ind = &scheme.indicators[i];
        if ind.children.is_empty() || !ind.applies_to(category) || !ind.in_base() {
            continue;
        }
        let sum: Exact = ind.children.iter().filter_map(|&c| points[c].as_ref()).sum();
        points[i] = Some(sum);
    }
    let mut tracks = [Exact::zero(), Exact::zero()];
    for i in scheme.roots() {
        if let Some(p) = &points[i] {
            tracks[usize::from(scheme.indicators[i].track == Track::Specific)] += p;
        }
    }
    let base = &tracks[0] + &tracks[1];
    let coefficient = category.map_or(Decimal::ONE, |c| scheme.categories[c].coefficient);

    let mut bonus = Exact::zero();
    let mut deduction = Exact::zero();
    let mut grade_cap = 0;
    for leaf in leaves.iter().flatten() {
        match (&scheme.indicators[leaf.indicator].method, &leaf.detail) {
            (Some(Method::Bonus { .. }), LeafDetail::Count { amount, .. }) => bonus += amount,
            (Some(Method::Deduction { .. }), LeafDetail::Count { amount, .. })
                if scheme.indicators[leaf.indicator].points.is_none() =>
            {
                deduction += amount;
            }
            (Some(Method::Veto { max_grade, deduct }), LeafDetail::Veto { vetoed: true }) => match deduct {
                Some(d) => deduction += round_leaf(Exact::from(*d)),
                None => grade_cap = grade_cap.max(*max_grade),
            },
            _ => {}
        }
    }
    if bonus > Exact::from(scheme.bonus_cap) {
        flags.push(Flag::BonusCapped { total: bonus, cap: scheme.bonus_cap });
        bonus = Exact::from(scheme.bonus_cap);
    }
    let exact = (&base * coefficient + &bonus - &deduction).max(Exact::zero());
    let score = exact.round(dp);
    let complete = !leaves.iter().flatten().any(|l| l.missing);
    let rater_means = rater_sum.into_iter().map(|(sum, n)| (n > 0).then(|| sum / Exact::from(n))).collect();
    SubjectScore {
        subject: s,
        category,
        leaves,
        points,
        tracks,
        base,
        coefficient,
        bonus,
        deduction,
        exact,
        score,
        grade_cap,
        complete,
        flags,
        rater_means,
        rank: None,
        category_rank: None,
        pool_rank: None,
        grade: None,
        grade_reason: GradeReason::default(),
    }
}

/// The fraction of points a value earns in a bands table: the ratio of the highest band
/// whose minimum it reaches (0 below the lowest); with `interpolate`, between two bands'
/// minimums the ratio moves linearly from the lower band's ratio to the next one's
/// (分档线性插值); at or above the highest minimum, the highest band's ratio.
pub fn band_fraction(bands: &[crate::core::scheme::Band], interpolate: bool, v: Decimal) -> Exact {
    let Some(k) = bands.iter().rposition(|b| v >= b.min) else { return Exact::zero() };
    let here = &bands[k];
    match bands.get(k + 1) {
        Some(next) if interpolate && next.min > here.min => {
            let share = Exact::from(v - here.min) / (next.min - here.min);
            Exact::from(here.ratio) + share * (next.ratio - here.ratio)
        }
        _ => Exact::from(here.ratio),
    }
}

#[allow(clippy::too_many_arguments)]
fn value_leaf(
    i: usize,
    points: Exact,
    value: Option<Decimal>,
    fraction: Exact,
    conflict: bool,
    code: &str,
    flags: &mut Vec<Flag>,
    round_leaf: impl Fn(Exact) -> Exact,
) -> Leaf {
    if value.is_none() && !conflict {
        flags.push(Flag::Missing { indicator: code.to_owned(), rater: String::new() });
    }
    Leaf {
        indicator: i,
        points: round_leaf(points),
        detail: LeafDetail::Value { value, fraction },
        missing: value.is_none(),
    }
}

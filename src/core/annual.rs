//! The three-link mechanism (三挂钩): from quarterly results, a year-end assessment, history
//! and sanctions to the annual grade, awards and appointment flags, and money.
//!
//! The rules are data ([`Link`]s in the annual scheme): a condition over quarterly grades,
//! the score, rank, vetoes, sanctions, history and the unit's grade, and an outcome — a grade
//! constraint (several combine to the strictest), a flag, an amount, an individual quota or a
//! budget factor. Each rule that fires keeps its evidence. Money is split to the fen by the
//! largest-remainder method, so the parts always sum to the pool.

use crate::Lang;
use crate::core::diag::{Diagnostic, Span};
use crate::core::msg::{Expect, Msg, dec};
use crate::core::scheme::Level;
use crate::core::scheme::doc::{FundingMethod, LinkKind, MissingQuarters, SchemeDoc, Spanned};
use crate::core::suggest::closest;
use rust_decimal::{Decimal, RoundingStrategy};
use std::collections::HashSet;

/// Checked annual settings and rules.
#[derive(Debug, Clone)]
pub struct AnnualRules {
    pub quarter_weight: Decimal,
    pub year_end_weight: Decimal,
    pub missing: MissingQuarters,
    pub min_quarters: u32,
    pub quarter_grades: Vec<String>,
    pub ungraded_name: String,
    /// Every sanction word the office uses: those declared and those the rules name.
    pub sanctions: Vec<String>,
    /// Other spellings of sanction words → the word (记过处分 → 记过).
    pub sanction_aliases: std::collections::BTreeMap<String, String>,
    pub links: Vec<Link>,
    pub funding: Option<Funding>,
}

/// A history condition.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HistoryCond {
    pub grades: Vec<String>,
    pub consecutive: Option<u32>,
    pub at_least: Option<u32>,
    pub of_last: Option<u32>,
    /// Once per run of N consecutive years (run length a multiple of N).
    pub every: Option<u32>,
}

/// A rule's condition: every part present must hold.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct When {
    /// (quarterly grade, at least, at most)
    pub quarters: Vec<(String, Option<u32>, Option<u32>)>,
    pub grade: Option<Vec<usize>>,
    pub score_at_least: Option<Decimal>,
    pub score_below: Option<Decimal>,
    pub rank_at_most: Option<u32>,
    pub vetoed: Option<bool>,
    pub sanction: Vec<String>,
    pub sanction_last_year: Vec<String>,
    /// A sanction in one of the last N years (not this one).
    pub sanction_within: Option<(Vec<String>, u32)>,
    pub history: Option<HistoryCond>,
    pub quarters_present_below: Option<u32>,
    pub quarters_present_at_least: Option<u32>,
    pub unit_grade: Vec<String>,
}

/// A rule's outcome.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Then {
    pub max_grade: Option<usize>,
    pub grade: Option<usize>,
    pub ungraded: bool,
    pub flag: Option<String>,
    pub amount: Option<Decimal>,
    pub person_quota: Option<Decimal>,
    pub factor: Option<Decimal>,
}

/// A link rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    pub id: String,
    pub name: String,
    pub kind: LinkKind,
    pub source: Option<String>,
    pub when: When,
    pub then: Then,
    /// Ids of rules this one replaces when both fire for a subject in the same year.
    pub supersedes: Vec<String>,
}

/// Funding settings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Funding {
    pub name: String,
    pub pool: Decimal,
    pub method: FundingMethod,
    /// (level index, coefficient)
    pub coefficients: Vec<(usize, Decimal)>,
    pub tranches: Vec<Decimal>,
    pub threshold: Option<usize>,
}

struct Cx<'a> {
    diags: Vec<Diagnostic>,
    levels: &'a [Level],
    ungraded: String,
}

impl Cx<'_> {
    fn grade(&mut self, g: &Spanned<String>, allow_ungraded: bool) -> Option<usize> {
        let name = g.get_ref().trim();
        if let Some(i) = self.levels.iter().position(|l| l.name == name) {
            return Some(i);
        }
        if allow_ungraded && name == self.ungraded {
            return Some(usize::MAX);
        }
        let suggestion = closest(name, self.levels.iter().map(|l| l.name.as_str()));
        self.diags.push(Diagnostic::error(Msg::UnknownGrade { grade: name.to_owned(), suggestion }).at(g.span()));
        None
    }

    fn error(&mut self, msg: Msg, span: Span) {
        self.diags.push(Diagnostic::error(msg).at(span));
    }
}

/// Check the annual sections of a scheme; `None` when there are none.
pub fn check_annual(doc: &SchemeDoc, levels: &[Level]) -> (Option<AnnualRules>, Vec<Diagnostic>) {
    let Some(annual) = &doc.annual else {
        let mut diags = Vec::new();
        if let Some(l) = doc.links.first() {
            diags.push(Diagnostic::error(Msg::MissingKey { key: "annual".into() }).at(l.span()));
        }
        return (None, diags);
    };
    let a = annual.get_ref();
    let ungraded = a.ungraded_name.clone().unwrap_or_else(|| "不定等次".to_owned());
    let mut cx = Cx { diags: Vec::new(), levels, ungraded: ungraded.clone() };
    let qw = a.quarter_weight.as_ref().map_or(Decimal::ONE_HUNDRED, |w| *w.get_ref());
    let yw = a.year_end_weight.as_ref().map_or(Decimal::ZERO, |w| *w.get_ref());
    if qw + yw != Decimal::ONE_HUNDRED || qw < Decimal::ZERO || yw < Decimal::ZERO {
        cx.error(
            Msg::AnnualWeightsSum { sum: qw + yw },
            a.quarter_weight.as_ref().map_or(annual.span(), Spanned::span),
        );
    }
    let mut ids = HashSet::new();
    let mut links = Vec::new();
    for l in &doc.links {
        let ld = l.get_ref();
        let id = ld.id.get_ref().clone();
        if !ids.insert(id.clone()) {
            cx.error(Msg::DuplicateLink { id: id.clone() }, ld.id.span());
        }
        let w = &ld.when;
        let mut quarters = Vec::new();
        for q in &w.quarters {
            let qd = q.get_ref();
            let g = qd.grade.get_ref().trim().to_owned();
            if !a.quarter_grades.is_empty() && !a.quarter_grades.contains(&g) {
                let msg = Msg::UnknownQuarterGrade { grade: g.clone(), expected: a.quarter_grades.clone() };
                cx.error(msg, qd.grade.span());
            }
            quarters.push((g, qd.at_least, qd.at_most));
        }
        let grade = match &w.grade {
            Some(list) => {
                if ld.kind == LinkKind::Annual {
                    cx.error(
                        Msg::GradeConditionInAnnualRule { id: id.clone() },
                        list.first().map_or(ld.id.span(), Spanned::span),
                    );
                }
                Some(list.iter().filter_map(|g| cx.grade(g, true)).collect())
            }
            None => None,
        };
        let history = w.history.as_ref().map(|h| {
            let hd = h.get_ref();
            for g in &hd.grade {
                cx.grade(g, true);
            }
            HistoryCond {
                grades: hd.grade.iter().map(|g| g.get_ref().trim().to_owned()).collect(),
                consecutive: hd.consecutive,
                at_least: hd.at_least,
                of_last: hd.of_last,
                every: hd.every,
            }
        });
        let t = &ld.then;
        let positive = |cx: &mut Cx<'_>, key: &str, v: &Option<Spanned<Decimal>>| {
            v.as_ref().map(|x| {
                if *x.get_ref() < Decimal::ZERO {
                    let msg =
                        Msg::OutOfRange { key: key.into(), value: dec(*x.get_ref()), expect: Expect::NonNegative };
                    cx.error(msg, x.span());
                }
                *x.get_ref()
            })
        };
        let then = Then {
            max_grade: t.max_grade.as_ref().and_then(|g| cx.grade(g, false)),
            grade: t.grade.as_ref().and_then(|g| cx.grade(g, false)),
            ungraded: t.ungraded,
            flag: t.flag.clone(),
            amount: positive(&mut cx, "amount", &t.amount),
            person_quota: positive(&mut cx, "person_quota", &t.person_quota),
            factor: positive(&mut cx, "factor", &t.factor),
        };
        if then == Then::default() {
            cx.error(Msg::EmptyOutcome { id: id.clone() }, ld.id.span());
        }
        links.push(Link {
            id,
            name: ld.name.clone(),
            kind: ld.kind,
            source: ld.source.clone(),
            when: When {
                quarters,
                grade,
                score_at_least: w.score_at_least.as_ref().map(|x| *x.get_ref()),
                score_below: w.score_below.as_ref().map(|x| *x.get_ref()),
                rank_at_most: w.rank_at_most,
                vetoed: w.vetoed,
                sanction: w.sanction.clone().unwrap_or_default(),
                sanction_last_year: w.sanction_last_year.clone().unwrap_or_default(),
                sanction_within: w.sanction_within.as_ref().map(|s| (s.sanction.clone(), s.years)),
                history,
                quarters_present_below: w.quarters_present_below,
                quarters_present_at_least: w.quarters_present_at_least,
                unit_grade: w.unit_grade.clone().unwrap_or_default(),
            },
            then,
            supersedes: ld.supersedes.clone(),
        });
    }
    let funding = doc.funding.as_ref().map(|f| {
        let fd = f.get_ref();
        if *fd.pool.get_ref() < Decimal::ZERO {
            let msg =
                Msg::OutOfRange { key: "pool".into(), value: dec(*fd.pool.get_ref()), expect: Expect::NonNegative };
            cx.error(msg, fd.pool.span());
        }
        let coefficients =
            fd.coefficients.iter().filter_map(|(g, c)| cx.grade(g, false).map(|i| (i, *c.get_ref()))).collect();
        let tranches: Vec<Decimal> = fd.tranches.iter().map(|t| *t.get_ref()).collect();
        if !tranches.is_empty() && tranches.iter().copied().sum::<Decimal>() != Decimal::ONE {
            cx.error(Msg::TranchesSum { sum: tranches.iter().copied().sum() }, fd.tranches[0].span());
        }
        Funding {
            name: fd.name.clone(),
            pool: *fd.pool.get_ref(),
            method: fd.method,
            coefficients,
            tranches: if tranches.is_empty() { vec![Decimal::ONE] } else { tranches },
            threshold: fd.threshold.as_ref().and_then(|g| cx.grade(g, false)),
        }
    });
    // The sanction vocabulary: the declared words plus those the rules use; with a declared
    // list, a rule may only use declared words (or their aliases).
    let mut sanction_words: Vec<String> = a.sanctions.iter().map(|w| w.trim().to_owned()).collect();
    for l in &links {
        let l: &Link = l;
        let within = l.when.sanction_within.iter().flat_map(|(w, _)| w);
        for w in l.when.sanction.iter().chain(&l.when.sanction_last_year).chain(within) {
            if !sanction_words.contains(w) && !a.sanction_aliases.contains_key(w) {
                sanction_words.push(w.clone());
            }
        }
    }
    let rules = AnnualRules {
        quarter_weight: qw,
        year_end_weight: yw,
        missing: a.missing_quarters,
        min_quarters: a.min_quarters.as_ref().map_or(1, |m| *m.get_ref()),
        quarter_grades: a.quarter_grades.clone(),
        ungraded_name: ungraded,
        sanctions: sanction_words,
        sanction_aliases: a.sanction_aliases.clone(),
        links,
        funding,
    };
    (Some(rules), cx.diags)
}

/// Split `pool` into parts proportional to `weights`, to the fen (0.01), by the largest
/// remainder: each part is first rounded down to the fen, then the fens left over go one
/// each to the largest remainders (ties to the earlier weight). The parts sum to the pool
/// exactly (to the fen). All-zero weights give all-zero parts.
pub fn allocate(pool: Decimal, weights: &[Decimal]) -> Vec<Decimal> {
    let total: Decimal = weights.iter().copied().sum();
    if total <= Decimal::ZERO || pool <= Decimal::ZERO {
        return vec![Decimal::ZERO; weights.len()];
    }
    let pool = pool.round_dp_with_strategy(2, RoundingStrategy::ToZero);
    let raw: Vec<Decimal> = weights.iter().map(|w| pool * *w / total).collect();
    let mut parts: Vec<Decimal> = raw.iter().map(|r| r.round_dp_with_strategy(2, RoundingStrategy::ToZero)).collect();
    let given: Decimal = parts.iter().copied().sum();
    let fen = Decimal::new(1, 2);
    let mut left = ((pool - given) / fen).round_dp(0);
    let mut order: Vec<usize> = (0..weights.len()).filter(|&i| weights[i] > Decimal::ZERO).collect();
    order.sort_by(|&a, &b| (raw[b] - parts[b]).cmp(&(raw[a] - parts[a])).then(a.cmp(&b)));
    for i in order.iter().cycle() {
        if left <= Decimal::ZERO {
            break;
        }
        parts[*i] += fen;
        left -= Decimal::ONE;
    }
    parts
}

/// One piece of evidence for a fired rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Evidence {
    Quarters { grade: String, count: u32, periods: Vec<String> },
    Grade(String),
    ScoreAtLeast(Decimal, Decimal),
    ScoreBelow(Decimal, Decimal),
    Rank(usize),
    Vetoed(Vec<String>),
    Sanction(String),
    SanctionLastYear(i32, String),
    History(Vec<(i32, String)>),
    QuartersPresent(u32),
    UnitGrade(String),
}

impl Evidence {
    pub fn text(&self, lang: Lang) -> String {
        let zh = lang == Lang::Zh;
        match self {
            Evidence::Quarters { grade, count, periods } => {
                if zh {
                    format!("{count} 个季度为{grade}（{}）", periods.join("、"))
                } else {
                    format!("{count} quarters {grade} ({})", periods.join(", "))
                }
            }
            Evidence::Grade(g) => {
                if zh {
                    format!("年度等次 {g}")
                } else {
                    format!("annual grade {g}")
                }
            }
            Evidence::ScoreAtLeast(s, m) => format!("{} ≥ {}", dec(*s), dec(*m)),
            Evidence::ScoreBelow(s, m) => format!("{} < {}", dec(*s), dec(*m)),
            Evidence::Rank(r) => {
                if zh {
                    format!("名额池第 {r} 名")
                } else {
                    format!("pool rank {r}")
                }
            }
            Evidence::Vetoed(p) => {
                if zh {
                    format!("一票否决（{}）", p.join("、"))
                } else {
                    format!("vetoed ({})", p.join(", "))
                }
            }
            Evidence::Sanction(s) => {
                if zh {
                    format!("今年处分：{s}")
                } else {
                    format!("sanction this year: {s}")
                }
            }
            Evidence::SanctionLastYear(y, s) => {
                if zh {
                    format!("{y} 年处分：{s}")
                } else {
                    format!("sanction in {y}: {s}")
                }
            }
            Evidence::History(list) => {
                list.iter().map(|(y, g)| format!("{y} {g}")).collect::<Vec<_>>().join(if zh { "，" } else { ", " })
            }
            Evidence::QuartersPresent(n) => {
                if zh {
                    format!("只有 {n} 个季度的结果")
                } else {
                    format!("results for {n} quarters only")
                }
            }
            Evidence::UnitGrade(g) => {
                if zh {
                    format!("所在单位年度等次 {g}")
                } else {
                    format!("the unit's grade {g}")
                }
            }
        }
    }
}

/// What a rule is evaluated against, for one subject.
#[derive(Debug, Clone, Default)]
pub struct Facts {
    /// (period, quarterly grade or "", vetoed) for the quarters present.
    pub quarters: Vec<(String, String, bool)>,
    pub score: Option<Decimal>,
    pub pool_rank: Option<usize>,
    /// This year's grade name (final), when known.
    pub grade: Option<String>,
    pub sanctions: Vec<String>,
    /// (year, grade, sanctions), earlier years, any order.
    pub history: Vec<(i32, String, Vec<String>)>,
    pub year: i32,
    pub unit_grade: Option<String>,
}

/// Evaluate a condition; the evidence when it holds.
pub fn holds(when: &When, facts: &Facts, levels: &[Level], ungraded: &str) -> Option<Vec<Evidence>> {
    let mut ev = Vec::new();
    for (grade, at_least, at_most) in &when.quarters {
        let periods: Vec<String> = facts.quarters.iter().filter(|q| q.1 == *grade).map(|q| q.0.clone()).collect();
        let n = u32::try_from(periods.len()).unwrap_or(u32::MAX);
        if at_least.is_some_and(|m| n < m) || at_most.is_some_and(|m| n > m) {
            return None;
        }
        ev.push(Evidence::Quarters { grade: grade.clone(), count: n, periods });
    }
    if let Some(list) = &when.grade {
        let g = facts.grade.as_deref()?;
        let idx = levels.iter().position(|l| l.name == g).unwrap_or(usize::MAX);
        let ok = list.contains(&idx) || (g == ungraded && list.contains(&usize::MAX));
        if !ok {
            return None;
        }
        ev.push(Evidence::Grade(g.to_owned()));
    }
    if let Some(m) = when.score_at_least {
        let s = facts.score?;
        if s < m {
            return None;
        }
        ev.push(Evidence::ScoreAtLeast(s, m));
    }
    if let Some(m) = when.score_below {
        let s = facts.score?;
        if s >= m {
            return None;
        }
        ev.push(Evidence::ScoreBelow(s, m));
    }
    if let Some(m) = when.rank_at_most {
        let r = facts.pool_rank?;
        if r > m as usize {
            return None;
        }
        ev.push(Evidence::Rank(r));
    }
    if let Some(v) = when.vetoed {
        let periods: Vec<String> = facts.quarters.iter().filter(|q| q.2).map(|q| q.0.clone()).collect();
        if v == periods.is_empty() {
            return None;
        }
        if v {
            ev.push(Evidence::Vetoed(periods));
        }
    }
    if !when.sanction.is_empty() {
        let s = facts.sanctions.iter().find(|s| when.sanction.contains(s))?;
        ev.push(Evidence::Sanction(s.clone()));
    }
    if !when.sanction_last_year.is_empty() {
        let last = facts.history.iter().find(|h| h.0 == facts.year - 1)?;
        let s = last.2.iter().find(|s| when.sanction_last_year.contains(s))?;
        ev.push(Evidence::SanctionLastYear(last.0, s.clone()));
    }
    if let Some((words, n)) = &when.sanction_within {
        let n = i32::try_from(*n).unwrap_or(i32::MAX);
        let (y, s) = facts
            .history
            .iter()
            .filter(|h| h.0 < facts.year && facts.year - h.0 <= n)
            .flat_map(|h| h.2.iter().map(move |s| (h.0, s)))
            .filter(|(_, s)| words.contains(s))
            .max_by_key(|(y, _)| *y)?;
        ev.push(Evidence::SanctionLastYear(y, s.clone()));
    }
    if let Some(h) = &when.history {
        // Years up to this one, newest first; this year's grade is the final one.
        let mut years: Vec<(i32, String)> = facts.history.iter().map(|(y, g, _)| (*y, g.clone())).collect();
        if let Some(g) = &facts.grade {
            years.push((facts.year, g.clone()));
        }
        years.sort_by_key(|y| std::cmp::Reverse(y.0));
        let matches = |g: &str| h.grades.iter().any(|x| x == g);
        // The run of matching years ending this year, newest first.
        let run: Vec<(i32, String)> = years
            .iter()
            .enumerate()
            .take_while(|(k, (y, g))| *y == facts.year - i32::try_from(*k).unwrap_or(0) && matches(g))
            .map(|(_, x)| x.clone())
            .collect();
        if let Some(n) = h.consecutive {
            if (run.len() as u32) < n {
                return None;
            }
            let mut shown: Vec<(i32, String)> = run.iter().take(n as usize).cloned().collect();
            shown.reverse();
            ev.push(Evidence::History(shown));
        }
        if let Some(n) = h.every.filter(|n| *n > 0) {
            let len = u32::try_from(run.len()).unwrap_or(u32::MAX);
            if len == 0 || len % n != 0 {
                return None;
            }
            let mut shown: Vec<(i32, String)> = run.iter().take(n as usize).cloned().collect();
            shown.reverse();
            ev.push(Evidence::History(shown));
        }
        if let Some(k) = h.at_least {
            let window = h.of_last.unwrap_or(u32::MAX);
            let recent: Vec<(i32, String)> = years
                .iter()
                .filter(|(y, g)| facts.year - *y < i32::try_from(window).unwrap_or(i32::MAX) && matches(g))
                .cloned()
                .collect();
            if (recent.len() as u32) < k {
                return None;
            }
            let mut shown = recent;
            shown.reverse();
            ev.push(Evidence::History(shown));
        }
    }
    if let Some(n) = when.quarters_present_at_least {
        let present = u32::try_from(facts.quarters.len()).unwrap_or(u32::MAX);
        if present < n {
            return None;
        }
        ev.push(Evidence::QuartersPresent(present));
    }
    if let Some(n) = when.quarters_present_below {
        let present = u32::try_from(facts.quarters.len()).unwrap_or(u32::MAX);
        if present >= n {
            return None;
        }
        ev.push(Evidence::QuartersPresent(present));
    }
    if !when.unit_grade.is_empty() {
        let g = facts.unit_grade.as_ref()?;
        if !when.unit_grade.contains(g) {
            return None;
        }
        ev.push(Evidence::UnitGrade(g.clone()));
    }
    Some(ev)
}

/// The combined grade constraint of several annual rules: the strictest wins. Badness: a
/// cap or forced grade at level L counts L; 不定等次 counts between the two lowest levels
/// (heavier than any cap above the lowest level, lighter than the lowest level itself).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Constraint {
    #[default]
    None,
    Cap(usize),
    Force(usize),
    Ungraded,
}

impl Constraint {
    /// Twice the badness, so 不定等次 can sit at half a level.
    fn badness(self, levels: usize) -> i64 {
        let lowest = i64::try_from(levels).unwrap_or(i64::MAX) - 1;
        match self {
            Constraint::None => -1,
            Constraint::Cap(l) => 2 * i64::try_from(l).unwrap_or(0),
            Constraint::Force(l) => 2 * i64::try_from(l).unwrap_or(0) + 1,
            Constraint::Ungraded => 2 * lowest - 1,
        }
    }

    /// The stricter of two constraints.
    pub fn combine(self, other: Constraint, levels: usize) -> Constraint {
        if other.badness(levels) > self.badness(levels) { other } else { self }
    }

    pub fn of(then: &Then) -> Constraint {
        if then.ungraded {
            Constraint::Ungraded
        } else if let Some(g) = then.grade {
            Constraint::Force(g)
        } else if let Some(g) = then.max_grade {
            Constraint::Cap(g)
        } else {
            Constraint::None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn allocation_by_largest_remainder() {
        // 100 among three equal weights: 33.33 each, one fen left → the first.
        let parts = allocate(Decimal::ONE_HUNDRED, &[Decimal::ONE, Decimal::ONE, Decimal::ONE]);
        assert_eq!(parts, [Decimal::new(3334, 2), Decimal::new(3333, 2), Decimal::new(3333, 2)]);
        // Weights 1.2 : 1 : 0 of 1000 → 545.4545… and 454.5454… → 545.45 + 454.55 (larger remainder .5454).
        let parts = allocate(Decimal::from(1000), &[Decimal::new(12, 1), Decimal::ONE, Decimal::ZERO]);
        assert_eq!(parts, [Decimal::new(54545, 2), Decimal::new(45455, 2), Decimal::ZERO]);
        assert_eq!(allocate(Decimal::TEN, &[Decimal::ZERO, Decimal::ZERO]), [Decimal::ZERO, Decimal::ZERO]);
    }

    #[test]
    fn the_strictest_constraint_wins() {
        let n = 4; // 优秀 称职 基本称职 不称职
        let c = Constraint::Cap(1).combine(Constraint::Ungraded, n);
        assert_eq!(c, Constraint::Ungraded, "不定等次 is stricter than 'not 优秀'");
        assert_eq!(
            Constraint::Ungraded.combine(Constraint::Force(3), n),
            Constraint::Force(3),
            "不称职 is stricter than 不定等次"
        );
        assert_eq!(Constraint::Cap(2).combine(Constraint::Cap(1), n), Constraint::Cap(2));
        assert_eq!(Constraint::Cap(2).combine(Constraint::Ungraded, n), Constraint::Ungraded);
        assert_eq!(Constraint::Force(1).combine(Constraint::Cap(1), n), Constraint::Force(1));
    }

    fn levels() -> Vec<Level> {
        ["优秀", "称职", "基本称职", "不称职"]
            .iter()
            .zip([90, 70, 60, 0])
            .map(|(n, m)| Level { name: (*n).into(), min: Decimal::from(m), quota: None })
            .collect()
    }

    fn facts() -> Facts {
        Facts {
            quarters: vec![
                ("2026Q1".into(), "好".into(), false),
                ("2026Q2".into(), "好".into(), false),
                ("2026Q3".into(), "较差".into(), true),
            ],
            score: Some(Decimal::from(85)),
            pool_rank: Some(2),
            grade: Some("优秀".into()),
            sanctions: vec!["警告".into()],
            history: vec![
                (2024, "优秀".into(), vec![]),
                (2025, "优秀".into(), vec!["记大过".into()]),
                (2023, "称职".into(), vec![]),
            ],
            year: 2026,
            unit_grade: Some("优秀".into()),
        }
    }

    fn check(when: When) -> Option<Vec<Evidence>> {
        holds(&when, &facts(), &levels(), "不定等次")
    }

    /// `every = n` over a run of 优秀 years ending this year: fires at run lengths n, 2n, …
    fn every(n: u32, run: i32) -> bool {
        let mut f = facts();
        f.history = (1..run).map(|k| (2026 - k, "优秀".to_owned(), vec![])).collect();
        f.history.push((2026 - run, "称职".into(), vec![]));
        let when = When {
            history: Some(HistoryCond {
                grades: vec!["优秀".into()],
                consecutive: None,
                at_least: None,
                of_last: None,
                every: Some(n),
            }),
            ..When::default()
        };
        holds(&when, &f, &levels(), "不定等次").is_some()
    }

    #[test]
    fn every_n_years_fires_once_per_run_of_n() {
        // 嘉奖-嘉奖-三等功 as a 3-year cycle: run lengths 3, 6, 9 fire; 4, 5, 7, 8 do not.
        let fired: Vec<i32> = (1..=9).filter(|&run| every(3, run)).collect();
        assert_eq!(fired, [3, 6, 9]);
        assert_eq!((1..=10).filter(|&run| every(5, run)).collect::<Vec<_>>(), [5, 10]);
        assert_eq!((1..=8).filter(|&run| every(7, run)).collect::<Vec<_>>(), [7]);
    }

    #[test]
    fn sanctions_some_years_ago_and_quarters_present() {
        let mut f = facts();
        f.history.push((2024, "不称职".into(), vec!["开除党籍".into()]));
        let within = |n| When { sanction_within: Some((vec!["开除党籍".into()], n)), ..When::default() };
        // 2024 is two years before 2026: within 2 years, not within 1.
        assert_eq!(
            holds(&within(2), &f, &levels(), "不定等次"),
            Some(vec![Evidence::SanctionLastYear(2024, "开除党籍".into())])
        );
        assert!(holds(&within(1), &f, &levels(), "不定等次").is_none());
        // This year's sanctions are not "years ago".
        let this_year = When { sanction_within: Some((vec!["警告".into()], 2)), ..When::default() };
        assert!(check(this_year).is_none());
        assert!(check(When { quarters_present_at_least: Some(3), ..When::default() }).is_some());
        assert!(check(When { quarters_present_at_least: Some(4), ..When::default() }).is_none());
    }

    #[test]
    fn every_condition_kind() {
        let q =
            |g: &str, lo: Option<u32>, hi: Option<u32>| When { quarters: vec![(g.into(), lo, hi)], ..When::default() };
        assert_eq!(
            check(q("好", Some(2), None)),
            Some(vec![Evidence::Quarters {
                grade: "好".into(),
                count: 2,
                periods: vec!["2026Q1".into(), "2026Q2".into()]
            }])
        );
        assert!(check(q("好", Some(3), None)).is_none());
        assert!(check(q("较差", None, Some(0))).is_none());
        assert!(check(When { grade: Some(vec![0]), ..When::default() }).is_some());
        assert!(check(When { grade: Some(vec![1, 2]), ..When::default() }).is_none());
        assert!(check(When { score_at_least: Some(Decimal::from(85)), ..When::default() }).is_some());
        assert!(check(When { score_below: Some(Decimal::from(85)), ..When::default() }).is_none());
        assert!(check(When { rank_at_most: Some(2), ..When::default() }).is_some());
        assert!(check(When { rank_at_most: Some(1), ..When::default() }).is_none());
        assert_eq!(
            check(When { vetoed: Some(true), ..When::default() }),
            Some(vec![Evidence::Vetoed(vec!["2026Q3".into()])])
        );
        assert!(check(When { vetoed: Some(false), ..When::default() }).is_none());
        assert_eq!(
            check(When { sanction: vec!["警告".into(), "诫勉".into()], ..When::default() }),
            Some(vec![Evidence::Sanction("警告".into())])
        );
        assert!(check(When { sanction: vec!["记过".into()], ..When::default() }).is_none());
        assert_eq!(
            check(When { sanction_last_year: vec!["记大过".into()], ..When::default() }),
            Some(vec![Evidence::SanctionLastYear(2025, "记大过".into())])
        );
        let hist = |consecutive, at_least, of_last| When {
            history: Some(HistoryCond { grades: vec!["优秀".into()], consecutive, at_least, of_last, every: None }),
            ..When::default()
        };
        // 2024, 2025 and this year 优秀: three in a row (2023 称职 breaks a fourth).
        assert_eq!(
            check(hist(Some(3), None, None)),
            Some(vec![Evidence::History(vec![(2024, "优秀".into()), (2025, "优秀".into()), (2026, "优秀".into())])])
        );
        assert!(check(hist(Some(4), None, None)).is_none());
        assert!(check(hist(None, Some(3), Some(3))).is_some());
        assert!(check(hist(None, Some(3), Some(2))).is_none());
        assert_eq!(
            check(When { quarters_present_below: Some(4), ..When::default() }),
            Some(vec![Evidence::QuartersPresent(3)])
        );
        assert!(check(When { quarters_present_below: Some(3), ..When::default() }).is_none());
        assert!(check(When { unit_grade: vec!["优秀".into()], ..When::default() }).is_some());
        assert!(check(When { unit_grade: vec!["较差".into()], ..When::default() }).is_none());
        // All parts must hold.
        assert!(
            check(When { sanction: vec!["警告".into()], score_below: Some(Decimal::from(60)), ..When::default() })
                .is_none()
        );
        // Evidence reads as the rule's reason.
        let ev = check(hist(Some(3), None, None)).unwrap();
        assert_eq!(ev[0].text(Lang::Zh), "2024 优秀，2025 优秀，2026 优秀");
    }

    #[test]
    fn every_outcome_kind_maps_to_a_constraint_or_a_mark() {
        assert_eq!(Constraint::of(&Then { max_grade: Some(1), ..Then::default() }), Constraint::Cap(1));
        assert_eq!(Constraint::of(&Then { grade: Some(3), ..Then::default() }), Constraint::Force(3));
        assert_eq!(
            Constraint::of(&Then { ungraded: true, max_grade: Some(1), ..Then::default() }),
            Constraint::Ungraded
        );
        for t in [
            Then { flag: Some("嘉奖".into()), ..Then::default() },
            Then { amount: Some(Decimal::from(1500)), ..Then::default() },
            Then { person_quota: Some(Decimal::new(25, 2)), ..Then::default() },
            Then { factor: Some(Decimal::new(105, 2)), ..Then::default() },
        ] {
            assert_eq!(Constraint::of(&t), Constraint::None, "{t:?} does not constrain the grade");
        }
    }

    proptest! {
        #[test]
        fn parts_always_sum_to_the_pool(pool in 0i64..100_000_000, weights in proptest::collection::vec(0i64..1000, 1..40)) {
            let pool = Decimal::new(pool, 2);
            let w: Vec<Decimal> = weights.iter().map(|x| Decimal::new(*x, 1)).collect();
            let parts = allocate(pool, &w);
            let sum: Decimal = parts.iter().copied().sum();
            if w.iter().any(|x| *x > Decimal::ZERO) && pool > Decimal::ZERO {
                prop_assert_eq!(sum, pool);
            } else {
                prop_assert_eq!(sum, Decimal::ZERO);
            }
            prop_assert!(parts.iter().all(|p| p.scale() <= 2 && *p >= Decimal::ZERO));
        }
    }
}

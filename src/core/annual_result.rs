//! The annual assessment of one year: annual scores from the quarters (and the year-end
//! assessment), grade constraints from the annual rules, grades under quotas (with the unit →
//! person quota link), then the appointment and resources rules, awards and the funding pool.

use crate::core::annual::{AnnualRules, Constraint, Evidence, Facts, allocate, holds};
use crate::core::exact::Exact;
use crate::core::roster::Roster;
use crate::core::scheme::Scheme;
use crate::core::scheme::doc::{FundingMethod, LinkKind, MissingQuarters};
use crate::core::score::engine::{GradeReason, SubjectScore};
use crate::core::score::rank::{Decision, pool_of, rank_and_grade_with};
use rust_decimal::Decimal;
use std::collections::{BTreeMap, HashMap};

/// One quarter's result for a subject (a row of `perf score` output).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QuarterResult {
    /// Where it was read (`file!C3`), empty when scored in this run.
    pub origin: Option<crate::core::import::ledger::Location>,
    pub period: String,
    pub score: Decimal,
    pub grade: String,
    pub vetoed: bool,
    pub complete: bool,
}

/// A row of the history file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HistoryRow {
    /// 1-based line in the history file (0 when not read from one).
    pub line: usize,
    pub year: i32,
    pub subject: String,
    pub grade: String,
    pub score: Option<Decimal>,
    pub sanctions: Vec<String>,
}

/// A unit's annual result, for the unit → person quota link.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnitResult {
    pub grade: String,
    pub person_quota: Option<Decimal>,
}

/// What the annual assessment reads.
pub struct AnnualInput<'a> {
    pub scheme: &'a Scheme,
    pub rules: &'a AnnualRules,
    pub roster: &'a Roster,
    pub year: i32,
    /// The periods of the year that were scored (e.g. 2026Q1…Q4).
    pub periods: &'a [String],
    /// subject id → quarterly results.
    pub quarters: &'a HashMap<String, Vec<QuarterResult>>,
    /// Year-end results (each names its roster index), when there is a year-end assessment.
    pub year_end: Option<&'a [SubjectScore]>,
    pub history: &'a [HistoryRow],
    /// unit id → its annual result.
    pub units: &'a HashMap<String, UnitResult>,
    /// Grades settled by the office (`perf annual --decide`): ties at a quota line.
    pub decisions: &'a [Decision],
}

/// One subject's annual result.
#[derive(Debug, Clone)]
pub struct AnnualResult {
    pub subject: usize,
    pub quarters: Vec<QuarterResult>,
    pub quarter_mean: Option<Exact>,
    pub year_end: Option<Exact>,
    /// The annual score, unrounded; None when it cannot be computed.
    pub exact: Option<Exact>,
    pub score: Option<Decimal>,
    pub constraint: Constraint,
    /// None = 不定等次.
    pub grade: Option<usize>,
    pub grade_reason: GradeReason,
    pub pool_rank: Option<usize>,
    /// (link index, evidence), in rule order.
    pub fired: Vec<(usize, Vec<Evidence>)>,
    /// Sum of the amounts of fired rules (awards).
    pub award: Decimal,
    /// Share of the funding pool, and what is paid now and suspended.
    pub share: Decimal,
    pub paid: Decimal,
    pub suspended: Decimal,
    pub person_quota: Option<Decimal>,
    pub factor: Option<Decimal>,
    /// The quota pool the subject was graded in (None: not graded by the quotas — 不定等次 by a
    /// rule, or no annual score).
    pub pool: Option<String>,
    /// The top level's quota in that pool when a unit result set it (优秀单位 25 %), else the
    /// scheme's.
    pub pool_top_quota: Option<Decimal>,
}

fn facts(input: &AnnualInput<'_>, s: usize, quarters: &[QuarterResult], score: Option<Decimal>) -> Facts {
    let subj = &input.roster.subjects[s];
    Facts {
        quarters: quarters
            .iter()
            .filter(|q| q.complete)
            .map(|q| (q.period.clone(), q.grade.clone(), q.vetoed))
            .collect(),
        score,
        pool_rank: None,
        grade: None,
        sanctions: subj.sanctions.clone(),
        history: input
            .history
            .iter()
            .filter(|h| h.subject == subj.id && h.year < input.year)
            .map(|h| (h.year, h.grade.clone(), h.sanctions.clone()))
            .collect(),
        year: input.year,
        unit_grade: subj.unit.as_ref().and_then(|u| input.units.get(u)).map(|u| u.grade.clone()),
    }
}

/// Assess every roster subject.
pub fn assess(input: &AnnualInput<'_>) -> Vec<AnnualResult> {
    let scheme = input.scheme;
    let rules = input.rules;
    let dp = scheme.precision;
    let levels = &scheme.grades.levels;
    let n_levels = levels.len();
    let hundred = Decimal::ONE_HUNDRED;
    let mut out: Vec<AnnualResult> = Vec::new();
    // Year-end results by roster index (they need not be in roster order).
    let year_end_of: HashMap<usize, &SubjectScore> =
        input.year_end.unwrap_or_default().iter().map(|r| (r.subject, r)).collect();
    for (s, subj) in input.roster.subjects.iter().enumerate() {
        let mut quarters: Vec<QuarterResult> = input.quarters.get(&subj.id).cloned().unwrap_or_default();
        quarters.sort_by(|a, b| a.period.cmp(&b.period));
        let present: Vec<&QuarterResult> = quarters.iter().filter(|q| q.complete).collect();
        let quarter_mean = (!present.is_empty())
            .then(|| Exact::from(present.iter().map(|q| q.score).sum::<Decimal>()) / Exact::from(present.len()));
        let year_end = year_end_of.get(&s).filter(|r| r.complete).map(|r| r.exact.clone());
        let exact = match (&quarter_mean, &year_end, rules.year_end_weight > Decimal::ZERO) {
            (Some(q), Some(y), true) => {
                Some((q * rules.quarter_weight + y * rules.year_end_weight) / Exact::from(hundred))
            }
            (Some(q), _, false) => Some(q.clone()),
            _ => None,
        };
        let mut constraint = Constraint::None;
        let mut fired = Vec::new();
        // Built-in: too few quarters, or no score at all → 不定等次.
        let expected = u32::try_from(input.periods.len()).unwrap_or(0);
        let n_present = u32::try_from(present.len()).unwrap_or(0);
        let too_few = match rules.missing {
            MissingQuarters::Mean => n_present < rules.min_quarters,
            MissingQuarters::Ungraded => n_present < expected,
        };
        if too_few || exact.is_none() {
            constraint = Constraint::Ungraded;
        }
        let f = facts(input, s, &quarters, exact.as_ref().map(|e| e.round(dp)));
        for (k, link) in rules.links.iter().enumerate() {
            if link.kind != LinkKind::Annual {
                continue;
            }
            if let Some(ev) = holds(&link.when, &f, levels, &rules.ungraded_name) {
                let c = Constraint::of(&link.then);
                constraint = constraint.combine(c, n_levels);
                // A cap is reported only where it bites: the score reaches a level above it.
                let bites = match (c, &exact) {
                    (Constraint::Cap(cap), Some(e)) => {
                        let e = e.round(dp);
                        levels.iter().position(|l| e >= l.min).is_some_and(|t| t < cap)
                    }
                    (Constraint::Cap(_), None) => false,
                    _ => true,
                };
                if bites {
                    fired.push((k, ev));
                }
            }
        }
        out.push(AnnualResult {
            subject: s,
            quarters,
            quarter_mean,
            year_end,
            score: exact.as_ref().map(|e| e.round(dp)),
            exact,
            constraint,
            grade: None,
            grade_reason: GradeReason::default(),
            pool_rank: None,
            fired,
            award: Decimal::ZERO,
            share: Decimal::ZERO,
            paid: Decimal::ZERO,
            suspended: Decimal::ZERO,
            person_quota: None,
            factor: None,
            pool: None,
            pool_top_quota: None,
        });
    }

    // Grades: the graded subjects ranked and graded under the quotas.
    let graded: Vec<usize> =
        (0..out.len()).filter(|&k| out[k].constraint != Constraint::Ungraded && out[k].exact.is_some()).collect();
    let mut scores: Vec<SubjectScore> = graded
        .iter()
        .map(|&k| {
            let r = &out[k];
            let s = r.subject;
            let category = input.roster.subjects[s].category.as_deref().and_then(|c| scheme.find_category(c));
            let exact = r.exact.clone().unwrap_or_default();
            let mut base = match year_end_of.get(&s).copied() {
                Some(ye) => ye.clone(),
                None => {
                    SubjectScore::blank(s, category, scheme.indicators.len(), scheme.raters.len(), exact.clone(), dp)
                }
            };
            base.score = exact.round(dp);
            base.exact = exact;
            base.grade = None;
            base.flags.clear();
            base.grade_cap = match r.constraint {
                Constraint::Cap(l) => l,
                _ => 0,
            };
            base
        })
        .collect();
    // Grades forced by a rule, then the office's decisions for the others (a rule wins).
    let mut decisions: Vec<Decision> = graded
        .iter()
        .filter_map(|&k| match out[k].constraint {
            Constraint::Force(g) => Some(Decision { subject: out[k].subject, grade: g, reason: String::new() }),
            _ => None,
        })
        .collect();
    for d in input.decisions {
        if graded.iter().any(|&k| out[k].subject == d.subject) && !decisions.iter().any(|x| x.subject == d.subject) {
            decisions.push(d.clone());
        }
    }
    let mut top_quota = BTreeMap::new();
    for r in &scores {
        let unit = input.roster.subjects[r.subject].unit.as_ref();
        if let Some(q) = unit.and_then(|u| input.units.get(u)).and_then(|u| u.person_quota) {
            top_quota.insert(pool_of(scheme, input.roster, r), q);
        }
    }
    rank_and_grade_with(scheme, input.roster, &mut scores, &decisions, &top_quota);
    for (r, &k) in scores.iter().zip(&graded) {
        out[k].grade = r.grade;
        out[k].grade_reason = match (&out[k].constraint, &r.grade_reason) {
            (Constraint::Force(_), _) => GradeReason::Decision,
            (_, reason) => reason.clone(),
        };
        out[k].pool_rank = r.pool_rank;
        let pool = pool_of(scheme, input.roster, r);
        out[k].pool_top_quota = top_quota.get(&pool).copied();
        out[k].pool = Some(pool);
    }

    // Appointment and resources rules, on the final grade.
    for r in &mut out {
        let mut f = facts(input, r.subject, &r.quarters, r.score);
        f.grade = Some(r.grade.map_or_else(|| rules.ungraded_name.clone(), |g| levels[g].name.clone()));
        f.pool_rank = r.pool_rank;
        let mut fired: Vec<(usize, Vec<Evidence>)> = rules
            .links
            .iter()
            .enumerate()
            .filter(|(_, link)| link.kind != LinkKind::Annual)
            .filter_map(|(k, link)| holds(&link.when, &f, levels, &rules.ungraded_name).map(|ev| (k, ev)))
            .collect();
        // A rule that supersedes others (一等功 over 二等功 and 三等功) drops them this year.
        let superseded: Vec<&str> =
            fired.iter().flat_map(|(k, _)| rules.links[*k].supersedes.iter().map(String::as_str)).collect();
        fired.retain(|(k, _)| !superseded.contains(&rules.links[*k].id.as_str()));
        for (k, ev) in fired {
            let link = &rules.links[k];
            r.award += link.then.amount.unwrap_or_default();
            r.person_quota = r.person_quota.or(link.then.person_quota);
            r.factor = r.factor.or(link.then.factor);
            r.fired.push((k, ev));
        }
    }

    // Funding.
    if let Some(funding) = &rules.funding {
        let weights: Vec<Decimal> = out
            .iter()
            .map(|r| match funding.method {
                FundingMethod::Grade => r
                    .grade
                    .and_then(|g| funding.coefficients.iter().find(|(l, _)| *l == g).map(|(_, c)| *c))
                    .unwrap_or_default(),
                FundingMethod::Score => {
                    // In proportion to the published score (what a clerk recomputes by hand).
                    if r.grade.is_some() { r.score.unwrap_or_default() } else { Decimal::ZERO }
                }
            })
            .collect();
        for (r, share) in out.iter_mut().zip(allocate(funding.pool, &weights)) {
            r.share = share;
            let parts = allocate(share, &funding.tranches);
            let eligible = match (funding.threshold, r.grade) {
                (None, _) => true,
                (Some(t), Some(g)) => g <= t,
                (Some(_), None) => false,
            };
            r.paid = if eligible { share } else { parts.first().copied().unwrap_or_default() };
            // A tie at a quota line is not settled: nothing is paid until it is decided.
            if matches!(r.grade_reason, GradeReason::Undecided { .. }) {
                r.paid = Decimal::ZERO;
            }
            r.suspended = share - r.paid;
        }
    }
    out
}

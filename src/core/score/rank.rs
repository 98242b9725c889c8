//! Ranks and grades: competition ranking (1, 2, 2, 4) by score and the tie-break chain, in
//! three scopes (overall, category, quota pool); then grades by threshold, capped by quotas
//! per pool, capped by vetoes, with ties across a quota line left for a decision — never
//! settled by input order.

use crate::core::exact::Exact;
use crate::core::roster::Roster;
use crate::core::scheme::{QuotaRounding, QuotaScope, Scheme, TieBreak, Track};
use crate::core::score::engine::{Flag, GradeReason, SubjectScore};
use rust_decimal::{Decimal, RoundingStrategy};
use std::cmp::Ordering;
use std::collections::BTreeMap;

/// A grade set by the decision file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decision {
    pub subject: usize,
    pub grade: usize,
    pub reason: String,
}

/// The ordering key: the published score, then each tie-break value (missing values rank
/// last). The score is compared as a decimal; the exact tie-break values only on equal scores.
type Key = (Decimal, Vec<Option<Exact>>);

fn key(scheme: &Scheme, r: &SubjectScore) -> Key {
    let mut k = Vec::with_capacity(scheme.grades.tie_break.len());
    for t in &scheme.grades.tie_break {
        k.push(match t {
            TieBreak::Indicator(i) => r.points[*i].clone(),
            TieBreak::Rater(x) => r.rater_means[*x].clone(),
            TieBreak::Track(Track::Common) => Some(r.tracks[0].clone()),
            TieBreak::Track(Track::Specific) => Some(r.tracks[1].clone()),
        });
    }
    (r.score, k)
}

/// Better first: larger values; a missing value below any present one.
fn compare(a: &Key, b: &Key) -> Ordering {
    b.0.cmp(&a.0).then_with(|| b.1.cmp(&a.1))
}

/// Competition ranks of `members` (indices into `results`): 1 + how many are strictly better.
/// Sorted once (n log n), equal keys share the rank of the first of them.
fn ranks(members: &[usize], keys: &[Key]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..members.len()).collect();
    order.sort_by(|&a, &b| compare(&keys[members[a]], &keys[members[b]]));
    let mut out = vec![0; members.len()];
    for (pos, &k) in order.iter().enumerate() {
        out[k] = match pos.checked_sub(1).map(|p| order[p]) {
            Some(prev) if compare(&keys[members[prev]], &keys[members[k]]) == Ordering::Equal => out[prev],
            _ => pos + 1,
        };
    }
    out
}

/// The number of places a quota gives in a pool of `size`.
pub fn quota_places(quota: Decimal, size: usize, rounding: QuotaRounding) -> usize {
    let strategy = match rounding {
        QuotaRounding::Floor => RoundingStrategy::ToNegativeInfinity,
        QuotaRounding::Round => RoundingStrategy::MidpointAwayFromZero,
        QuotaRounding::Ceil => RoundingStrategy::ToPositiveInfinity,
    };
    let places = (quota * Decimal::from(size)).round_dp_with_strategy(0, strategy);
    usize::try_from(places.mantissa()).unwrap_or(0)
}

/// The pool a subject's quota counts in: the values of the scope's keys (category name,
/// unit, level), joined with " · "; "" for one pool of everyone.
pub fn pool_of(scheme: &Scheme, roster: &Roster, r: &SubjectScore) -> String {
    let subject = &roster.subjects[r.subject];
    let parts: Vec<String> = scheme
        .grades
        .scope
        .iter()
        .map(|key| match key {
            QuotaScope::All => String::new(),
            // A scheme without categories (an annual rule pack) pools by the roster's 类别 text.
            QuotaScope::Category => match r.category {
                Some(c) => scheme.categories[c].name.clone(),
                None => subject.category.clone().unwrap_or_default(),
            },
            QuotaScope::Unit => subject.unit.clone().unwrap_or_default(),
            QuotaScope::Level => subject.level.clone().unwrap_or_default(),
        })
        .collect();
    parts.join(" · ")
}

/// Fill in ranks and grades. Returns the pools (name → members in rank order).
pub fn rank_and_grade(
    scheme: &Scheme,
    roster: &Roster,
    results: &mut [SubjectScore],
    decisions: &[Decision],
) -> BTreeMap<String, Vec<usize>> {
    rank_and_grade_with(scheme, roster, results, decisions, &BTreeMap::new())
}

/// As [`rank_and_grade`], with the top level's quota replaced in some pools (pool → share):
/// the unit → person quota link of the annual assessment.
pub fn rank_and_grade_with(
    scheme: &Scheme,
    roster: &Roster,
    results: &mut [SubjectScore],
    decisions: &[Decision],
    top_quota: &BTreeMap<String, Decimal>,
) -> BTreeMap<String, Vec<usize>> {
    let keys: Vec<Key> = results.iter().map(|r| key(scheme, r)).collect();
    // Only complete subjects are ranked and graded; an incomplete one (待补) counts in its
    // pool's size for the quota but holds no place.
    for r in results.iter_mut().filter(|r| !r.complete) {
        (r.rank, r.category_rank, r.pool_rank, r.grade) = (None, None, None, None);
        r.grade_reason = GradeReason::Incomplete;
        // A decision cannot grade a subject whose data is incomplete: say so, never drop it.
        if decisions.iter().any(|d| d.subject == r.subject) && !r.flags.contains(&Flag::DecisionWaits) {
            r.flags.push(Flag::DecisionWaits);
        }
    }
    let complete: Vec<usize> = (0..results.len()).filter(|&i| results[i].complete).collect();
    for (m, rank) in complete.iter().zip(ranks(&complete, &keys)) {
        results[*m].rank = Some(rank);
    }
    let mut by_category: BTreeMap<Option<usize>, Vec<usize>> = BTreeMap::new();
    let mut pools: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for (i, r) in results.iter().enumerate() {
        if r.complete {
            by_category.entry(r.category).or_default().push(i);
        }
        pools.entry(pool_of(scheme, roster, r)).or_default().push(i);
    }
    for members in by_category.values() {
        for (m, rank) in members.iter().zip(ranks(members, &keys)) {
            results[*m].category_rank = Some(rank);
        }
    }
    for (pool, members) in &mut pools {
        let ranked: Vec<usize> = members.iter().copied().filter(|&m| results[m].complete).collect();
        for (m, rank) in ranked.iter().zip(ranks(&ranked, &keys)) {
            results[*m].pool_rank = Some(rank);
        }
        // Ranked members first, in rank order; then the incomplete ones, in roster order.
        members.sort_by(|a, b| {
            results[*b].complete.cmp(&results[*a].complete).then(compare(&keys[*a], &keys[*b])).then(a.cmp(b))
        });
        grade_pool(scheme, results, members, &keys, decisions, top_quota.get(pool).copied());
    }
    pools
}

/// A quota level of one pool whose places are not all taken while some of the pool's
/// subjects are incomplete: those places stay open until the data is complete.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpenPlaces {
    pub pool: String,
    pub level: usize,
    pub places: usize,
    pub taken: usize,
    pub incomplete: usize,
}

/// The open places of every pool (see [`OpenPlaces`]), after [`rank_and_grade`].
pub fn open_places(
    scheme: &Scheme,
    roster: &Roster,
    results: &[SubjectScore],
    top_quota: &BTreeMap<String, Decimal>,
) -> Vec<OpenPlaces> {
    let mut pools: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for (i, r) in results.iter().enumerate() {
        pools.entry(pool_of(scheme, roster, r)).or_default().push(i);
    }
    let mut out = Vec::new();
    for (pool, members) in &pools {
        let incomplete = members.iter().filter(|&&m| !results[m].complete).count();
        if incomplete == 0 {
            continue;
        }
        for (l, level) in scheme.grades.levels.iter().enumerate() {
            let quota = if l == 0 { top_quota.get(pool).copied().or(level.quota) } else { level.quota };
            let Some(q) = quota else { continue };
            let places = quota_places(q, members.len(), scheme.grades.quota_rounding);
            let taken = members.iter().filter(|&&m| results[m].grade == Some(l)).count();
            if taken < places {
                out.push(OpenPlaces { pool: pool.clone(), level: l, places, taken, incomplete });
            }
        }
    }
    out
}

/// The highest level whose minimum the score reaches.
fn threshold_level(scheme: &Scheme, score: Decimal) -> Option<usize> {
    scheme.grades.levels.iter().position(|l| score >= l.min)
}

fn grade_pool(
    scheme: &Scheme,
    results: &mut [SubjectScore],
    members: &[usize],
    keys: &[Key],
    decisions: &[Decision],
    top_quota: Option<Decimal>,
) {
    let levels = &scheme.grades.levels;
    let size = members.len();
    let mut open: Vec<usize> = Vec::new(); // in rank order, not yet graded
    for &m in members {
        if !results[m].complete {
            continue;
        }
        if let Some(d) = decisions.iter().find(|d| d.subject == results[m].subject) {
            results[m].grade = Some(d.grade);
            results[m].grade_reason = GradeReason::Decision;
            results[m].flags.push(Flag::Decided { reason: d.reason.clone() });
        } else {
            open.push(m);
        }
    }
    for (l, level) in levels.iter().enumerate() {
        let decided = members.iter().filter(|&&m| results[m].grade == Some(l)).count();
        let candidates: Vec<usize> = open
            .iter()
            .copied()
            .filter(|&m| {
                let r = &results[m];
                threshold_level(scheme, r.score).is_some_and(|t| t <= l) && r.grade_cap <= l
            })
            .collect();
        let quota = if l == 0 { top_quota.or(level.quota) } else { level.quota };
        let capacity =
            quota.map_or(usize::MAX, |q| quota_places(q, size, scheme.grades.quota_rounding).saturating_sub(decided));
        let (taken, rest) = candidates.split_at(capacity.min(candidates.len()));
        // A tie across the line: the last taken and the first left out compare equal.
        let mut tied: Vec<usize> = Vec::new();
        if let (Some(&last), Some(&first_out)) = (taken.last(), rest.first())
            && compare(&keys[last], &keys[first_out]) == Ordering::Equal
        {
            tied = candidates.iter().copied().filter(|&m| compare(&keys[m], &keys[last]) == Ordering::Equal).collect();
        }
        let tied_set: std::collections::HashSet<usize> = tied.iter().copied().collect();
        for &m in taken {
            if tied_set.contains(&m) {
                continue;
            }
            let r = &mut results[m];
            r.grade = Some(l);
            if matches!(r.grade_reason, GradeReason::Undecided { .. }) {
                continue; // tied at a higher line: this lower grade stands until decided
            }
            let t = threshold_level(scheme, r.score).unwrap_or(l);
            r.grade_reason = if t < l && r.grade_cap == l && r.grade_cap > t {
                GradeReason::Veto
            } else if t < l {
                GradeReason::Quota { from: t }
            } else {
                GradeReason::Threshold
            };
        }
        for &m in &tied {
            results[m].flags.push(Flag::TieAtQuota);
            results[m].grade_reason = GradeReason::Undecided { from: l };
        }
        // Tied subjects wait for the next level, like those left out.
        let taken: std::collections::HashSet<usize> = taken.iter().copied().collect();
        let tied: std::collections::HashSet<usize> = tied.into_iter().collect();
        open.retain(|m| !taken.contains(m) || tied.contains(m));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn competition_ranks_share_the_first_place_of_a_tie() {
        let k = |v: i64| (Decimal::from(v), vec![]);
        let keys = vec![k(80), k(95), k(80), k(70), k(95)];
        assert_eq!(ranks(&[0, 1, 2, 3, 4], &keys), [3, 1, 3, 5, 1]);
        assert_eq!(ranks(&[3, 0], &keys), [2, 1]);
        // A missing tie-break value ranks after a present one.
        let keys = vec![(Decimal::from(90), vec![None]), (Decimal::from(90), vec![Some(Exact::zero())])];
        assert_eq!(ranks(&[0, 1], &keys), [2, 1]);
    }

    #[test]
    fn quota_rounding() {
        let q = Decimal::new(2, 1);
        assert_eq!(quota_places(q, 5, QuotaRounding::Round), 1);
        assert_eq!(quota_places(q, 12, QuotaRounding::Round), 2); // 2.4
        assert_eq!(quota_places(q, 13, QuotaRounding::Round), 3); // 2.6
        assert_eq!(quota_places(Decimal::new(25, 2), 10, QuotaRounding::Round), 3); // 2.5 → 3 (四舍五入)
        assert_eq!(quota_places(q, 13, QuotaRounding::Floor), 2);
        assert_eq!(quota_places(q, 11, QuotaRounding::Ceil), 3); // 2.2
    }
}

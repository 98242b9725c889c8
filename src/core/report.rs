//! What the leaders' workbook shows, computed from scoring results: category statistics,
//! grade counts against quotas per pool, dimension profiles (for radar charts) and the
//! rectification list that starts the next PDCA round. No file access: `crate::io::report`
//! lays these out in Excel.

use crate::core::exact::Exact;
use crate::core::roster::Roster;
use crate::core::scheme::{Method, Scheme};
use crate::core::score::engine::{LeafDetail, SubjectScore};
use crate::core::score::rank::{pool_of, quota_places};
use rust_decimal::Decimal;
use std::collections::BTreeMap;

/// One category's ranking block.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CategoryBlock {
    pub category: Option<usize>,
    /// Indices into the results, by category rank; the incomplete ones (待补) last.
    pub members: Vec<usize>,
    /// Over the complete members only (0 when none is complete).
    pub average: Exact,
    pub max: Decimal,
    pub min: Decimal,
    /// Members not ranked because their data is incomplete.
    pub incomplete: usize,
}

/// Results grouped by category (scheme order; uncategorised last), ranked within.
pub fn category_blocks(scheme: &Scheme, results: &[SubjectScore]) -> Vec<CategoryBlock> {
    let mut groups: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for (i, r) in results.iter().enumerate() {
        groups.entry(r.category.unwrap_or(scheme.categories.len())).or_default().push(i);
    }
    groups
        .into_iter()
        .map(|(c, mut members)| {
            members
                .sort_by_key(|&i| (results[i].category_rank.is_none(), results[i].category_rank, results[i].subject));
            let scores: Vec<Decimal> =
                members.iter().filter(|&&i| results[i].complete).map(|&i| results[i].score).collect();
            let sum: Decimal = scores.iter().copied().sum();
            CategoryBlock {
                category: (c < scheme.categories.len()).then_some(c),
                average: Exact::from(sum) / Exact::from(scores.len().max(1)),
                max: scores.iter().copied().max().unwrap_or_default(),
                min: scores.iter().copied().min().unwrap_or_default(),
                incomplete: members.len() - scores.len(),
                members,
            }
        })
        .collect()
}

/// Grade counts in one quota pool.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PoolGrades {
    /// Pool name: "" for all, else the values of the scope keys (category name, unit, level).
    pub pool: String,
    pub size: usize,
    /// Per level: how many got it, and the places its quota allows (None = no cap).
    pub levels: Vec<(usize, Option<usize>)>,
    /// Complete subjects below the lowest level.
    pub ungraded: usize,
    /// Subjects not graded because their data is incomplete (待补): counted apart.
    pub incomplete: usize,
}

pub fn grade_distribution(scheme: &Scheme, roster: &Roster, results: &[SubjectScore]) -> Vec<PoolGrades> {
    let mut pools: BTreeMap<String, Vec<&SubjectScore>> = BTreeMap::new();
    for r in results {
        pools.entry(pool_of(scheme, roster, r)).or_default().push(r);
    }
    pools
        .into_iter()
        .map(|(pool, members)| {
            let size = members.len();
            let levels = scheme
                .grades
                .levels
                .iter()
                .enumerate()
                .map(|(g, l)| {
                    let count = members.iter().filter(|r| r.grade == Some(g)).count();
                    (count, l.quota.map(|q| quota_places(q, size, scheme.grades.quota_rounding)))
                })
                .collect();
            let ungraded = members.iter().filter(|r| r.complete && r.grade.is_none()).count();
            let incomplete = members.iter().filter(|r| !r.complete).count();
            PoolGrades { pool, size, levels, ungraded, incomplete }
        })
        .collect()
}

/// Top-level in-base indicators (the dimensions of the radar chart), in file order.
pub fn dimensions(scheme: &Scheme) -> Vec<usize> {
    scheme.roots().filter(|&i| scheme.indicators[i].in_base()).collect()
}

/// The axes of a category's radar charts: the first-level indicators that apply to it, or —
/// when there are fewer than five (a triangle or a diamond shows no shape) — their in-base
/// children that apply instead (a first-level indicator without children stays itself).
pub fn radar_dimensions(scheme: &Scheme, category: Option<usize>) -> Vec<usize> {
    let top: Vec<usize> =
        dimensions(scheme).into_iter().filter(|&i| scheme.indicators[i].applies_to(category)).collect();
    if top.len() >= 5 {
        return top;
    }
    top.into_iter()
        .flat_map(|i| {
            let ind = &scheme.indicators[i];
            let children: Vec<usize> = ind
                .children
                .iter()
                .copied()
                .filter(|&c| scheme.indicators[c].in_base() && scheme.indicators[c].applies_to(category))
                .collect();
            if children.is_empty() { vec![i] } else { children }
        })
        .collect()
}

/// A subject's score on each of `dims` as a percentage of its points (None where not
/// applicable or without points).
pub fn profile(scheme: &Scheme, r: &SubjectScore, dims: &[usize]) -> Vec<Option<Exact>> {
    dims.iter()
        .map(|&i| {
            let full = scheme.indicators[i].points.filter(|p| *p > Decimal::ZERO)?;
            r.points[i].as_ref().map(|p| p * Decimal::ONE_HUNDRED / full)
        })
        .collect()
}

/// The reference profiles of a category on `dims`: its average and its best (the highest
/// share on each dimension among its subjects).
pub struct CategoryProfile {
    pub average: Vec<Option<Exact>>,
    pub best: Vec<Option<Exact>>,
}

/// The average and best profile of the subjects in `category`.
pub fn category_profile(
    scheme: &Scheme,
    results: &[SubjectScore],
    category: Option<usize>,
    dims: &[usize],
) -> CategoryProfile {
    let members: Vec<Vec<Option<Exact>>> =
        results.iter().filter(|r| r.category == category).map(|r| profile(scheme, r, dims)).collect();
    let mut average = Vec::with_capacity(dims.len());
    let mut best = Vec::with_capacity(dims.len());
    for d in 0..dims.len() {
        let vals: Vec<&Exact> = members.iter().filter_map(|p| p[d].as_ref()).collect();
        average.push((!vals.is_empty()).then(|| vals.iter().copied().sum::<Exact>() / Exact::from(vals.len())));
        best.push(vals.iter().copied().max().cloned());
    }
    CategoryProfile { average, best }
}

/// One period's results, for trends across periods: by subject id, the exact score, the
/// rounded score and the overall rank (None: incomplete, not ranked).
#[derive(Debug, Clone)]
pub struct PeriodResult {
    pub period: String,
    pub scores: std::collections::HashMap<String, (Exact, Decimal, Option<usize>)>,
}

/// Why an item is on the rectification list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    /// Earned below `rectify_below` of its points.
    Low { earned: Exact, points: Decimal },
    /// A veto item fired.
    Veto,
    /// No value: the subject could not be assessed on it.
    Missing,
}

/// One line of the rectification list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RectItem {
    /// Index into the results.
    pub result: usize,
    pub indicator: usize,
    pub problem: Problem,
}

/// Every (subject, leaf) below the threshold, every veto, in rank order then file order.
pub fn rectification(scheme: &Scheme, results: &[SubjectScore]) -> Vec<RectItem> {
    let mut order: Vec<usize> = (0..results.len()).collect();
    order.sort_by_key(|&i| (results[i].rank.is_none(), results[i].rank, results[i].subject));
    let mut out = Vec::new();
    for k in order {
        let r = &results[k];
        for leaf in r.leaves.iter().flatten() {
            let ind = &scheme.indicators[leaf.indicator];
            let problem = match (&ind.method, &leaf.detail) {
                (Some(Method::Veto { .. }), LeafDetail::Veto { vetoed: true }) => Some(Problem::Veto),
                (Some(Method::Bonus { .. } | Method::Veto { .. }), _) => None,
                (_, _) if leaf.missing => Some(Problem::Missing),
                (_, _) if ind.in_base() => ind
                    .points
                    .filter(|p| leaf.points < Exact::from(*p * scheme.rectify_below))
                    .map(|p| Problem::Low { earned: leaf.points.clone(), points: p }),
                _ => None,
            };
            if let Some(problem) = problem {
                out.push(RectItem { result: k, indicator: leaf.indicator, problem });
            }
        }
    }
    out
}

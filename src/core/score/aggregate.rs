//! Streaming state for scoring: what the ledger says about each subject × indicator, kept
//! in memory that grows with subjects × indicators × raters, never with rows.
//!
//! For a rating, each rater keeps its count, its sum and only the `trim` highest and lowest
//! values (what the trimmed mean needs). For a data-driven indicator, the one value and its
//! source (a second value is a conflict, remembered by its source).

use crate::core::exact::Exact;
use crate::core::import::ledger::{Entry, EntryRef, TOTAL_CODE};
use crate::core::roster::Roster;
use crate::core::scheme::{Method, Scheme};
use rust_decimal::Decimal;
use rustc_hash::FxHashMap as HashMap;
use smallvec::SmallVec;

/// One rater's values for one subject and indicator, reduced to what the mean needs.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RaterValues {
    pub count: u32,
    pub sum: Decimal,
    /// The `trim` smallest values then the `trim` largest, each ascending (as many as were
    /// seen, up to `trim`; inline for the usual trim of 1).
    pub ends: SmallVec<[Decimal; 2]>,
}

impl RaterValues {
    pub fn push(&mut self, v: Decimal, trim: usize) {
        self.count += 1;
        self.sum += v;
        if trim == 0 {
            return;
        }
        let half = self.ends.len() / 2;
        let (low, high) = self.ends.split_at(half);
        let mut low: SmallVec<[Decimal; 2]> = SmallVec::from_slice(low);
        let mut high: SmallVec<[Decimal; 2]> = SmallVec::from_slice(high);
        let at = high.partition_point(|x| *x <= v);
        high.insert(at, v);
        if high.len() > trim {
            high.remove(0);
        }
        let at = low.partition_point(|x| *x <= v);
        low.insert(at, v);
        if low.len() > trim {
            low.pop();
        }
        self.ends = low;
        self.ends.extend(high);
    }

    /// The exact mean after dropping `trim` values at each end, when there are at least
    /// `min_count` values (and more than 2 × trim); otherwise the plain mean. The flag says
    /// whether trimming was applied.
    pub fn mean(&self, trim: usize, min_count: usize) -> Option<(Exact, bool)> {
        if self.count == 0 {
            return None;
        }
        let n = self.count as usize;
        if trim > 0 && n > 2 * trim && n >= min_count {
            let dropped: Decimal = self.ends.iter().copied().sum();
            Some((Exact::from(self.sum - dropped) / Exact::from(n - 2 * trim), true))
        } else {
            Some((Exact::from(self.sum) / Exact::from(n), false))
        }
    }
}

/// A data-driven indicator's value for one subject.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DataValue {
    pub value: Decimal,
    pub source: String,
    /// Sources of further values (a conflict: none of them is used).
    pub conflicts: Vec<String>,
}

/// Everything the ledger said for one period.
#[derive(Debug, Default)]
pub struct Aggregate {
    /// (subject, indicator, rater) → values (indexes as u32: a compact key).
    pub ratings: HashMap<(u32, u32, u32), RaterValues>,
    /// (subject, indicator) → value.
    pub data: HashMap<(u32, u32), DataValue>,
    /// Entries of other periods (skipped), and entries this scheme/roster does not know.
    pub other_periods: u64,
    pub unknown: Vec<(Entry, UnknownPart)>,
    pub used: u64,
}

impl Aggregate {
    /// One rater's values for a subject's indicator.
    pub fn rating(&self, subject: usize, indicator: usize, rater: usize) -> Option<&RaterValues> {
        self.ratings.get(&(index(subject), index(indicator), index(rater)))
    }

    /// A subject's value of a data-driven indicator.
    pub fn data_value(&self, subject: usize, indicator: usize) -> Option<&DataValue> {
        self.data.get(&(index(subject), index(indicator)))
    }

    /// The subjects with any entry.
    pub fn subjects_with_data(&self) -> impl Iterator<Item = usize> + '_ {
        self.ratings.keys().map(|k| k.0 as usize).chain(self.data.keys().map(|k| k.0 as usize))
    }
}

/// What an entry named that the scheme or roster does not know.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UnknownPart {
    Subject,
    Indicator,
    Rater,
}

/// A roster, scheme or rater position as a compact key part (a roster of more than 4 billion
/// cannot be held in memory anyway).
fn index(i: usize) -> u32 {
    u32::try_from(i).unwrap_or(u32::MAX)
}

/// Feeds entries of one period into an [`Aggregate`].
pub struct Aggregator<'a> {
    scheme: &'a Scheme,
    period: String,
    subjects: HashMap<&'a str, u32>,
    indicators: HashMap<&'a str, u32>,
    raters: HashMap<&'a str, u32>,
    pub agg: Aggregate,
}

impl<'a> Aggregator<'a> {
    pub fn new(scheme: &'a Scheme, roster: &'a Roster, period: &str) -> Self {
        Aggregator {
            scheme,
            period: period.to_owned(),
            subjects: roster.subjects.iter().enumerate().map(|(i, s)| (s.id.as_str(), index(i))).collect(),
            indicators: scheme.indicators.iter().enumerate().map(|(i, x)| (x.code.as_str(), index(i))).collect(),
            raters: scheme.raters.iter().enumerate().map(|(i, r)| (r.id.as_str(), index(i))).collect(),
            agg: Aggregate::default(),
        }
    }

    pub fn push(&mut self, e: Entry) {
        self.push_ref(e.as_ref());
    }

    /// As [`Aggregator::push`], borrowing the entry: only what is kept (a data value's
    /// source, an unknown entry) is copied.
    pub fn push_ref(&mut self, e: EntryRef<'_>) {
        if e.period != self.period {
            self.agg.other_periods += 1;
            return;
        }
        let Some(&subject) = self.subjects.get(e.subject) else {
            self.agg.unknown.push((e.to_entry(), UnknownPart::Subject));
            return;
        };
        if e.indicator == TOTAL_CODE {
            // A sheet's own total in a ledger written by an older perf: a check that import
            // now makes against the row's values; nothing to score.
            self.agg.used += 1;
            return;
        }
        let Some(&indicator) = self.indicators.get(e.indicator) else {
            self.agg.unknown.push((e.to_entry(), UnknownPart::Indicator));
            return;
        };
        if matches!(self.scheme.indicators[indicator as usize].method, Some(Method::Rating { .. })) {
            let Some(&rater) = self.raters.get(e.rater) else {
                self.agg.unknown.push((e.to_entry(), UnknownPart::Rater));
                return;
            };
            let trim = self.scheme.raters[rater as usize].trim as usize;
            self.agg.ratings.entry((subject, indicator, rater)).or_default().push(e.value, trim);
        } else {
            match self.agg.data.get_mut(&(subject, indicator)) {
                Some(d) => d.conflicts.push(e.source.to_owned()),
                None => {
                    let d = DataValue { value: e.value, source: e.source.to_owned(), conflicts: Vec::new() };
                    self.agg.data.insert((subject, indicator), d);
                }
            }
        }
        self.agg.used += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn d(n: i64) -> Decimal {
        Decimal::from(n)
    }

    fn ex(n: i64) -> Exact {
        Exact::from_int(n)
    }

    #[test]
    fn trimmed_mean_drops_the_ends_only_when_enough_values() {
        let mut r = RaterValues::default();
        for v in [90, 70, 100, 80, 60, 75] {
            r.push(d(v), 1);
        }
        // Six evaluators (more than 5): drop 100 and 60: (90 + 70 + 80 + 75) / 4 = 78.75
        assert_eq!(r.mean(1, 6), Some((Exact::from(Decimal::new(7875, 2)), true)));
        // A panel of 4 (60/80/90/100) is not trimmed under the domain rule: 330 / 4 = 82.5
        let mut r = RaterValues::default();
        for v in [60, 80, 90, 100] {
            r.push(d(v), 1);
        }
        assert_eq!(r.mean(1, 6), Some((Exact::from(Decimal::new(825, 1)), false)));
        // With trim_min_count = 3 it is: (80 + 90) / 2 = 85
        assert_eq!(r.mean(1, 3), Some((ex(85), true)));
        let mut r = RaterValues::default();
        r.push(d(90), 1);
        r.push(d(70), 1);
        // two values with trim 1: plain mean
        assert_eq!(r.mean(1, 0), Some((ex(80), false)));
    }

    proptest! {
        /// The streaming state gives the same trimmed mean as sorting all values.
        #[test]
        fn streaming_equals_sorting(values in proptest::collection::vec(0i64..=1000, 1..40), trim in 0usize..4) {
            let mut r = RaterValues::default();
            for v in &values {
                r.push(Decimal::new(*v, 1), trim);
            }
            let mut sorted: Vec<Decimal> = values.iter().map(|v| Decimal::new(*v, 1)).collect();
            sorted.sort();
            let kept: &[Decimal] = if trim > 0 && sorted.len() > 2 * trim { &sorted[trim..sorted.len() - trim] } else { &sorted };
            let want = Exact::from(kept.iter().copied().sum::<Decimal>()) / Exact::from(kept.len());
            prop_assert_eq!(r.mean(trim, 0).map(|m| m.0), Some(want));
        }
    }
}

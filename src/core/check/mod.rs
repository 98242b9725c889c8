//! Checks a scheme as written ([`SchemeDoc`]) and builds the checked [`Scheme`].
//!
//! Every problem becomes a [`Diagnostic`] at the span of the offending value; checking goes
//! on after a problem so that one run shows them all. The points sums are checked per
//! category, because in 分类考核 each category sees its own set of indicators. Algorithms are
//! iterative, so a 10,000-deep parent chain is as safe as a shallow one.

pub mod lint;

use crate::core::diag::{Diagnostic, LineIndex, Span};
use crate::core::msg::{BandFault, Expect, Msg, dec};
use crate::core::scheme::doc::{GradesDoc, HeaderDoc, IndicatorDoc, SchemeDoc, Spanned};
use crate::core::scheme::{
    Band, Category, Direction, Grades, Indicator, Level, Method, MethodKind, Rater, Scale, Scheme, TieBreak, Track,
};
use crate::core::suggest::closest;
use rust_decimal::Decimal;
use std::collections::HashMap;

/// The result of checking: the scheme when there were no errors, and every finding.
#[derive(Debug)]
pub struct Checked {
    pub scheme: Option<Scheme>,
    pub diagnostics: Vec<Diagnostic>,
}

/// Check `doc` (parsed from a text whose lines `lines` indexes) and, when it has no errors,
/// build the scheme and run the lints on it.
pub fn check_scheme(doc: &SchemeDoc, lines: &LineIndex) -> Checked {
    let mut cx = Cx { diags: Vec::new(), lines, suggestions_left: 100 };
    let header = cx.header(doc.scheme.get_ref());
    let raters = cx.raters(doc);
    let categories = cx.categories(doc);
    let levels = cx.levels(&doc.grades);
    let indicators = cx.indicators(doc, &raters, &categories, &levels, header.total);
    let tie_break = cx.tie_break(doc.grades.get_ref(), &indicators, &raters);
    let value_words = cx.value_words(doc);
    let (annual, annual_diags) = crate::core::annual::check_annual(doc, &levels);
    cx.diags.extend(annual_diags);
    let errors = cx.diags.iter().any(Diagnostic::is_error);
    let mut diagnostics = cx.diags;
    let scheme = (!errors).then(|| {
        let g = doc.grades.get_ref();
        let h = doc.scheme.get_ref();
        Scheme {
            name: h.name.clone(),
            subject: h.subject,
            period: h.period,
            total: header.total,
            precision: header.precision,
            round_each: h.round_each,
            bonus_cap: header.bonus_cap,
            missing_rater: h.missing_rater,
            rectify_below: header.rectify_below,
            raters,
            categories,
            indicators,
            grades: Grades { levels, scope: g.scope.keys(), quota_rounding: g.quota_rounding, tie_break },
            annual,
            value_words: value_words.clone(),
        }
    });
    if let Some(s) = &scheme {
        diagnostics.extend(lint::lint(s, doc));
    }
    Checked { scheme, diagnostics }
}

/// A points-sum outcome: the parent (`None` = the top level), the sum found and the parts
/// summed. The same outcome in several categories is reported once, naming them all.
type SumOutcome = (Option<usize>, Decimal, Vec<(String, Decimal)>);

struct HeaderValues {
    total: Decimal,
    precision: u32,
    bonus_cap: Decimal,
    rectify_below: Decimal,
}

struct Cx<'a> {
    diags: Vec<Diagnostic>,
    lines: &'a LineIndex,
    /// How many more "did you mean" searches over all indicator codes may run.
    suggestions_left: usize,
}

const HUNDRED: Decimal = Decimal::ONE_HUNDRED;

impl Cx<'_> {
    fn error(&mut self, msg: Msg, span: Span) {
        self.diags.push(Diagnostic::error(msg).at(span));
    }

    fn error_ind(&mut self, code: &str, msg: Msg, span: Span) {
        self.diags.push(Diagnostic::error(msg).at(span).indicator(code));
    }

    /// `value` must satisfy `ok`, else an out-of-range error at its span.
    fn range(&mut self, key: &str, value: &Spanned<Decimal>, expect: Expect, code: Option<&str>) -> bool {
        let v = *value.get_ref();
        let ok = match &expect {
            Expect::Positive => v > Decimal::ZERO,
            Expect::NonNegative => v >= Decimal::ZERO,
            Expect::ZeroToOne => v >= Decimal::ZERO && v <= Decimal::ONE,
            Expect::Share => v > Decimal::ZERO && v <= Decimal::ONE,
            Expect::AtMost(m) => v <= *m,
            Expect::Between(a, b) => v >= *a && v <= *b,
        };
        if !ok {
            let mut d = Diagnostic::error(Msg::OutOfRange { key: key.into(), value: dec(v), expect }).at(value.span());
            if let Some(c) = code {
                d = d.indicator(c);
            }
            self.diags.push(d);
        }
        ok
    }

    /// Words for rating cells: values from 0 to 100 (the percent scale; a points-scale
    /// rating's range check applies when a cell is read).
    fn value_words(&mut self, doc: &SchemeDoc) -> Vec<(String, Decimal)> {
        let mut out = Vec::new();
        for (word, value) in &doc.value_words {
            let key = format!("value_words.{}", word.get_ref());
            self.range(&key, value, Expect::Between(Decimal::ZERO, HUNDRED), None);
            out.push((crate::core::import::header::normalize_header(word.get_ref()), *value.get_ref()));
        }
        out
    }

    fn header(&mut self, h: &HeaderDoc) -> HeaderValues {
        let mut total = Decimal::ONE_HUNDRED;
        if let Some(t) = &h.total {
            self.range("total", t, Expect::Positive, None);
            total = *t.get_ref();
        }
        let mut precision = 2;
        if let Some(p) = &h.precision {
            if *p.get_ref() > 10 {
                let msg = Msg::OutOfRange {
                    key: "precision".into(),
                    value: p.get_ref().to_string(),
                    expect: Expect::AtMost(Decimal::TEN),
                };
                self.error(msg, p.span());
            } else {
                precision = *p.get_ref();
            }
        }
        let mut bonus_cap = Decimal::from(5);
        if let Some(b) = &h.bonus_cap {
            self.range("bonus_cap", b, Expect::NonNegative, None);
            bonus_cap = *b.get_ref();
        }
        let mut rectify_below = Decimal::new(6, 1);
        if let Some(r) = &h.rectify_below {
            self.range("rectify_below", r, Expect::ZeroToOne, None);
            rectify_below = *r.get_ref();
        }
        HeaderValues { total, precision, bonus_cap, rectify_below }
    }

    fn raters(&mut self, doc: &SchemeDoc) -> Vec<Rater> {
        // DOMAIN.md: drop the highest and the lowest only when there are more than 5 raters
        // (UNCONFIRMED default; `trim_min_count` changes it).
        const DEFAULT_TRIM_MIN_COUNT: u32 = 6;
        let mut out = Vec::new();
        let mut sum = Decimal::ZERO;
        for (id, r) in &doc.raters {
            let r = r.get_ref();
            self.range("weight", &r.weight, Expect::Between(Decimal::ZERO, HUNDRED), None);
            sum += *r.weight.get_ref();
            let trim = r.trim.as_ref().map_or(0, |t| *t.get_ref());
            let min_count = match &r.min_count {
                Some(m) => {
                    if u64::from(*m.get_ref()) <= 2 * u64::from(trim) {
                        let msg = Msg::TrimUnsupported { rater: id.get_ref().clone(), trim, min_count: *m.get_ref() };
                        self.error(msg, m.span());
                    }
                    *m.get_ref()
                }
                None => trim.saturating_mul(2).saturating_add(1),
            };
            let trim_min_count = match &r.trim_min_count {
                Some(m) => {
                    if trim > 0 && u64::from(*m.get_ref()) <= 2 * u64::from(trim) {
                        let msg = Msg::TrimUnsupported { rater: id.get_ref().clone(), trim, min_count: *m.get_ref() };
                        self.error(msg, m.span());
                    }
                    *m.get_ref()
                }
                None => DEFAULT_TRIM_MIN_COUNT.max(trim.saturating_mul(2).saturating_add(1)),
            };
            out.push(Rater {
                id: id.get_ref().clone(),
                name: r.name.clone(),
                weight: *r.weight.get_ref(),
                trim,
                min_count,
                trim_min_count,
            });
        }
        if let Some((first, _)) = doc.raters.first()
            && sum != HUNDRED
        {
            self.error(Msg::RaterWeightsSum { sum }, first.span());
        }
        out
    }

    fn categories(&mut self, doc: &SchemeDoc) -> Vec<Category> {
        let mut out = Vec::new();
        for (id, c) in &doc.categories {
            let c = c.get_ref();
            let mut coefficient = Decimal::ONE;
            if let Some(k) = &c.coefficient {
                self.range("coefficient", k, Expect::Positive, None);
                coefficient = *k.get_ref();
            }
            out.push(Category { id: id.get_ref().clone(), name: c.name.clone(), coefficient, span: id.span() });
        }
        out
    }

    fn levels(&mut self, grades: &Spanned<GradesDoc>) -> Vec<Level> {
        let docs = grades.get_ref().levels.get_ref();
        if docs.is_empty() {
            self.error(Msg::NoLevels, grades.get_ref().levels.span());
        }
        let mut out: Vec<Level> = Vec::new();
        for l in docs {
            let name = l.name.get_ref().trim().to_string();
            if out.iter().any(|o| o.name == name) {
                self.error(Msg::DuplicateGrade { name: name.clone() }, l.name.span());
            }
            if let Some(prev) = out.last()
                && *l.min.get_ref() >= prev.min
            {
                let msg = Msg::GradesNotDescending {
                    name: name.clone(),
                    min: *l.min.get_ref(),
                    prev: prev.name.clone(),
                    prev_min: prev.min,
                };
                self.error(msg, l.min.span());
            }
            if let Some(q) = &l.quota {
                self.range("quota", q, Expect::Share, None);
            }
            out.push(Level { name, min: *l.min.get_ref(), quota: l.quota.as_ref().map(|q| *q.get_ref()) });
        }
        out
    }

    fn tie_break(&mut self, g: &GradesDoc, indicators: &[Indicator], raters: &[Rater]) -> Vec<TieBreak> {
        let mut out = Vec::new();
        for token in &g.tie_break {
            let t = token.get_ref().as_str();
            let mut found = Vec::new();
            if let Some(i) = indicators.iter().position(|i| i.code == t) {
                found.push(TieBreak::Indicator(i));
            }
            if let Some(r) = raters.iter().position(|r| r.id == t) {
                found.push(TieBreak::Rater(r));
            }
            match t {
                "common" => found.push(TieBreak::Track(Track::Common)),
                "specific" => found.push(TieBreak::Track(Track::Specific)),
                _ => {}
            }
            match found.len() {
                1 => out.push(found[0]),
                0 => {
                    let names = indicators
                        .iter()
                        .map(|i| i.code.as_str())
                        .chain(raters.iter().map(|r| r.id.as_str()))
                        .chain(["common", "specific"]);
                    let msg = Msg::UnknownTieBreak { token: t.into(), suggestion: closest(t, names) };
                    self.error(msg, token.span());
                }
                _ => self.error(Msg::AmbiguousTieBreak { token: t.into() }, token.span()),
            }
        }
        out
    }

    fn indicators(
        &mut self,
        doc: &SchemeDoc,
        raters: &[Rater],
        categories: &[Category],
        levels: &[Level],
        total: Decimal,
    ) -> Vec<Indicator> {
        let docs: Vec<&IndicatorDoc> = doc.indicators.iter().map(Spanned::get_ref).collect();
        let n = docs.len();
        if n == 0 {
            // An annual scheme without a year-end assessment needs no indicators.
            if doc.annual.is_none() {
                self.error(Msg::NoIndicators, doc.scheme.span());
            }
            return Vec::new();
        }
        let mut tree_ok = true;
        // Each suggestion compares against every code: bound the total work.
        self.suggestions_left = (2_000_000 / n).clamp(1, 100);

        // Codes.
        let mut index: HashMap<&str, usize> = HashMap::with_capacity(n);
        for (i, d) in docs.iter().enumerate() {
            let code = d.code.get_ref().as_str();
            if code.trim().is_empty() {
                self.error(Msg::EmptyCode, d.code.span());
                tree_ok = false;
            } else if let Some(&first) = index.get(code) {
                let first_line = self.lines.line(docs[first].code.span().start);
                self.error_ind(code, Msg::DuplicateCode { code: code.into(), first_line }, d.code.span());
                tree_ok = false;
            } else {
                index.insert(code, i);
            }
        }

        // Parents.
        let mut parent: Vec<Option<usize>> = vec![None; n];
        for (i, d) in docs.iter().enumerate() {
            if let Some(p) = &d.parent {
                match index.get(p.get_ref().as_str()) {
                    Some(&j) => parent[i] = Some(j),
                    None => {
                        let code = d.code.get_ref();
                        // Suggestions search every code: keep them to the first few, so that a
                        // file with thousands of dangling parents stays linear.
                        let suggestion = if self.suggestions_left > 0 {
                            self.suggestions_left -= 1;
                            closest(p.get_ref(), index.keys().copied())
                        } else {
                            None
                        };
                        let msg = Msg::UnknownParent { code: code.clone(), parent: p.get_ref().clone(), suggestion };
                        self.error_ind(code, msg, p.span());
                        tree_ok = false;
                    }
                }
            }
        }

        // Cycles: walk each chain once (iteratively), colouring nodes.
        let mut state = vec![0u8; n]; // 0 unseen, 1 on the current path, 2 done
        for start in 0..n {
            let mut path = Vec::new();
            let mut cur = Some(start);
            while let Some(c) = cur {
                match state[c] {
                    0 => {
                        state[c] = 1;
                        path.push(c);
                        cur = parent[c];
                    }
                    1 => {
                        let at = path.iter().position(|&x| x == c).unwrap_or(0);
                        let cycle = &path[at..];
                        let first = cycle.iter().copied().min().unwrap_or(c);
                        let rot = cycle.iter().position(|&x| x == first).unwrap_or(0);
                        let mut chain: Vec<String> =
                            cycle[rot..].iter().chain(&cycle[..rot]).map(|&x| docs[x].code.get_ref().clone()).collect();
                        chain.push(docs[first].code.get_ref().clone());
                        let span = docs[first].parent.as_ref().map_or(docs[first].code.span(), Spanned::span);
                        self.error_ind(docs[first].code.get_ref(), Msg::ParentCycle { chain }, span);
                        // Cut the cycle where it was reported, so later checks see a tree.
                        parent[first] = None;
                        tree_ok = false;
                        break;
                    }
                    _ => break,
                }
            }
            for p in path {
                state[p] = 2;
            }
        }

        // Children and a parents-first order (nodes in or under a cycle are never reached).
        let mut children: Vec<Vec<usize>> = vec![Vec::new(); n];
        for (i, p) in parent.iter().enumerate() {
            if let Some(p) = p {
                children[*p].push(i);
            }
        }
        let mut order: Vec<usize> = (0..n).filter(|&i| parent[i].is_none()).collect();
        let mut k = 0;
        while k < order.len() {
            let i = order[k];
            order.extend(children[i].iter().copied());
            k += 1;
        }

        // Inherited attributes: track, categories, kind.
        let mut track = vec![Track::Common; n];
        let mut cats: Vec<Option<Vec<usize>>> = vec![None; n];
        let mut kind = vec![None; n];
        for &i in &order {
            let d = docs[i];
            let code = d.code.get_ref();
            let p = parent[i];
            track[i] = match (&d.track, p) {
                (Some(t), Some(p)) => {
                    if *t.get_ref() != track[p] {
                        let msg = Msg::TrackMismatch {
                            code: code.clone(),
                            track: t.get_ref().as_str().into(),
                            parent: docs[p].code.get_ref().clone(),
                            parent_track: track[p].as_str().into(),
                        };
                        self.error_ind(code, msg, t.span());
                    }
                    *t.get_ref()
                }
                (Some(t), None) => *t.get_ref(),
                (None, Some(p)) => track[p],
                (None, None) => Track::Common,
            };
            kind[i] = d.kind.or(p.and_then(|p| kind[p]));
            let own = d.categories.as_ref().map(|list| {
                let mut ids = Vec::new();
                for c in list {
                    match categories.iter().position(|k| k.id == *c.get_ref()) {
                        Some(k) => {
                            if let Some(Some(parent_cats)) = p.map(|p| &cats[p])
                                && !parent_cats.contains(&k)
                            {
                                let msg = Msg::CategoryOutsideParent {
                                    code: code.clone(),
                                    category: c.get_ref().clone(),
                                    parent: docs[p.unwrap_or(i)].code.get_ref().clone(),
                                };
                                self.error_ind(code, msg, c.span());
                            }
                            ids.push(k);
                        }
                        None => {
                            let suggestion = closest(c.get_ref(), categories.iter().map(|k| k.id.as_str()));
                            let msg = Msg::UnknownCategory { category: c.get_ref().clone(), suggestion };
                            self.error_ind(code, msg, c.span());
                        }
                    }
                }
                ids
            });
            cats[i] = match (own, p.and_then(|p| cats[p].clone())) {
                (Some(own), Some(par)) => Some(own.into_iter().filter(|k| par.contains(k)).collect()),
                (Some(own), None) => Some(own),
                (None, par) => par,
            };
        }

        // Methods and points.
        let mut methods: Vec<Option<Method>> = vec![None; n];
        for i in 0..n {
            let d = docs[i];
            let code = d.code.get_ref();
            if let Some(p) = &d.points {
                self.range("points", p, Expect::Positive, Some(code));
            }
            let leaf = children[i].is_empty();
            match (&d.method, leaf) {
                (None, true) => self.error_ind(code, Msg::LeafWithoutMethod { code: code.clone() }, d.code.span()),
                (Some(m), false) => self.error_ind(code, Msg::ParentWithMethod { code: code.clone() }, m.span()),
                (Some(m), true) => methods[i] = self.method(d, *m.get_ref(), raters, levels),
                (None, false) => {}
            }
        }

        // In-base: which items count in their parent's sum.
        let in_base: Vec<bool> = (0..n)
            .map(|i| match docs[i].method.as_ref().map(|m| *m.get_ref()) {
                _ if !children[i].is_empty() => true,
                Some(MethodKind::Bonus | MethodKind::Veto) => false,
                Some(MethodKind::Deduction) => docs[i].points.is_some(),
                Some(_) | None => true,
            })
            .collect();
        for i in 0..n {
            let d = docs[i];
            if d.points.is_none() && !children[i].is_empty() && children[i].iter().any(|&c| in_base[c]) {
                let code = d.code.get_ref();
                self.error_ind(code, Msg::MissingPoints { code: code.clone() }, d.code.span());
            }
        }

        // Points sums, per category.
        if tree_ok {
            self.sums(&docs, &children, &cats, &in_base, categories, total, &doc.scheme);
        }

        (0..n)
            .map(|i| {
                let d = docs[i];
                Indicator {
                    code: d.code.get_ref().clone(),
                    name: d.name.clone(),
                    parent: parent[i],
                    children: children[i].clone(),
                    track: track[i],
                    categories: cats[i].clone(),
                    points: d.points.as_ref().map(|p| *p.get_ref()),
                    method: methods[i].clone(),
                    unit: d.unit.clone(),
                    target: d.target.as_ref().map(|t| *t.get_ref()),
                    kind: kind[i],
                    description: d.description.clone(),
                    measure: d.measure.clone(),
                    source: d.source.clone(),
                    goal: d.goal.clone(),
                    deadline: d.deadline.clone(),
                    period: d.period.clone(),
                    span: d.code.span(),
                }
            })
            .collect()
    }

    #[allow(clippy::too_many_arguments)]
    fn sums(
        &mut self,
        docs: &[&IndicatorDoc],
        children: &[Vec<usize>],
        cats: &[Option<Vec<usize>>],
        in_base: &[bool],
        categories: &[Category],
        total: Decimal,
        header: &Spanned<HeaderDoc>,
    ) {
        let pools: Vec<Option<usize>> =
            if categories.is_empty() { vec![None] } else { (0..categories.len()).map(Some).collect() };
        let applies = |i: usize, c: Option<usize>| match (&cats[i], c) {
            (None, _) | (_, None) => true,
            (Some(list), Some(c)) => list.contains(&c),
        };
        let points = |i: usize| docs[i].points.as_ref().map_or(Decimal::ZERO, |p| *p.get_ref());
        // (node or None for the top level, sum, parts) → categories with that outcome
        // Each mismatch with the names of the categories where it occurs, in discovery order.
        let mut found: Vec<(SumOutcome, Vec<String>)> = Vec::new();
        let mut seen: HashMap<SumOutcome, usize> = HashMap::new();
        let mut record = |outcome: SumOutcome, cat: Option<usize>| {
            let name = cat.map(|c| categories[c].name.clone());
            if let Some(&k) = seen.get(&outcome) {
                found[k].1.extend(name);
            } else {
                seen.insert(outcome.clone(), found.len());
                found.push((outcome, name.into_iter().collect()));
            }
        };
        for &cat in &pools {
            for (i, kids) in children.iter().enumerate() {
                if kids.is_empty() || docs[i].points.is_none() || !applies(i, cat) {
                    continue;
                }
                let parts: Vec<(String, Decimal)> = kids
                    .iter()
                    .filter(|&&k| in_base[k] && applies(k, cat))
                    .map(|&k| (docs[k].code.get_ref().clone(), points(k)))
                    .collect();
                let sum: Decimal = parts.iter().map(|p| p.1).sum();
                if sum != points(i) {
                    record((Some(i), sum, parts), cat);
                }
            }
            let tops: Vec<(String, Decimal)> = (0..docs.len())
                .filter(|&i| docs[i].parent.is_none() && in_base[i] && applies(i, cat))
                .map(|i| (docs[i].code.get_ref().clone(), points(i)))
                .collect();
            let sum: Decimal = tops.iter().map(|p| p.1).sum();
            if sum != total {
                record((None, sum, tops), cat);
            }
        }
        found.sort_by_key(|f| f.0.0.map_or(usize::MAX, |i| i));
        for ((node, sum, parts), cats) in found {
            match node {
                Some(i) => {
                    let d = docs[i];
                    let code = d.code.get_ref();
                    let msg = Msg::ChildrenPointsMismatch(Box::new(crate::core::msg::ChildrenMismatch {
                        parent: code.clone(),
                        name: d.name.clone(),
                        points: points(i),
                        sum,
                        categories: cats,
                        children: parts,
                    }));
                    let span = d.points.as_ref().map_or(d.code.span(), Spanned::span);
                    self.error_ind(code, msg, span);
                }
                None => {
                    let span = header.get_ref().total.as_ref().map_or(header.span(), Spanned::span);
                    self.error(Msg::TotalPointsMismatch { total, sum, categories: cats, tops: parts }, span);
                }
            }
        }
    }

    /// Parse a leaf's method and its parameters.
    fn method(&mut self, d: &IndicatorDoc, kind: MethodKind, raters: &[Rater], levels: &[Level]) -> Option<Method> {
        let code = d.code.get_ref().as_str();
        let name = kind.as_str();
        let needs_points = !matches!(kind, MethodKind::Deduction | MethodKind::Bonus | MethodKind::Veto);
        if needs_points && d.points.is_none() {
            self.error_ind(code, Msg::MissingPoints { code: code.into() }, d.code.span());
        }
        if let (MethodKind::Bonus | MethodKind::Veto, Some(p)) = (kind, &d.points) {
            self.error_ind(code, Msg::PointsNotAllowed { code: code.into(), method: name.into() }, p.span());
        }
        self.unused(d, kind);

        let direction = d.direction.as_ref().map_or(Direction::Higher, |x| *x.get_ref());
        // completion: 超额完成 counts up to 120 % (DOMAIN.md, UNCONFIRMED default).
        let mut cap = if kind == MethodKind::Completion { Decimal::new(12, 1) } else { Decimal::ONE };
        if let Some(c) = &d.cap {
            self.range("cap", c, Expect::Positive, Some(code));
            cap = *c.get_ref();
        }
        let need = |cx: &mut Self, value: &Option<Spanned<Decimal>>, param: &str, expect: Option<Expect>| match value {
            Some(v) => {
                if let Some(e) = expect {
                    cx.range(param, v, e, Some(code));
                }
                Some(*v.get_ref())
            }
            None => {
                let msg = Msg::MissingParameter { code: code.into(), method: name.into(), param: param.into() };
                cx.error_ind(code, msg, d.method.as_ref().map_or(d.code.span(), Spanned::span));
                None
            }
        };
        match kind {
            MethodKind::Rating => {
                let scale = d.scale.as_ref().map_or(Scale::Percent, |s| *s.get_ref());
                let weights = self.rating_raters(d, raters)?;
                Some(Method::Rating { scale, raters: weights })
            }
            MethodKind::Completion => {
                let target = need(self, &d.target, "target", Some(Expect::Positive))?;
                Some(Method::Completion { direction, target, cap })
            }
            MethodKind::Efficacy => {
                let target = need(self, &d.target, "target", None);
                let floor = need(self, &d.floor, "floor", None);
                let (target, floor) = (target?, floor?);
                let span = d.floor.as_ref().map_or(d.code.span(), Spanned::span);
                if target == floor {
                    self.error_ind(code, Msg::TargetEqualsFloor { code: code.into(), value: target }, span);
                    return None;
                }
                let wrong = match direction {
                    Direction::Higher => floor > target,
                    Direction::Lower => floor < target,
                };
                if wrong {
                    let msg =
                        Msg::FloorWrongSide { code: code.into(), direction: direction.as_str().into(), floor, target };
                    self.error_ind(code, msg, span);
                    return None;
                }
                Some(Method::Efficacy { direction, target, floor, cap })
            }
            MethodKind::Bands => {
                let Some(bands) = &d.bands else {
                    need(self, &None, "bands", None);
                    return None;
                };
                if bands.get_ref().is_empty() {
                    need(self, &None, "bands", None);
                    return None;
                }
                let mut out = Vec::new();
                let list = bands.get_ref();
                let mut ok = true;
                for (k, b) in list.iter().enumerate() {
                    ok &= self.range("ratio", &b.ratio, Expect::Between(Decimal::ZERO, cap), Some(code));
                    let (min, max) = (*b.min.get_ref(), b.max.as_ref().map(|m| *m.get_ref()));
                    let mut faults = Vec::new();
                    if let (Some(m), Some(ms)) = (max, &b.max)
                        && m <= min
                    {
                        faults.push((k, BandFault::Empty { min, max: m }, ms.span()));
                    }
                    if let Some(next) = list.get(k + 1) {
                        let next_min = *next.min.get_ref();
                        if next_min < min {
                            faults.push((
                                k + 1,
                                BandFault::Unordered { prev_min: min, min: next_min },
                                next.min.span(),
                            ));
                        } else if next_min == min {
                            faults.push((k, BandFault::Overlap { max: min, next_min }, next.min.span()));
                        } else if let (Some(m), Some(ms)) = (max, &b.max)
                            && m > min
                        {
                            if m > next_min {
                                faults.push((k, BandFault::Overlap { max: m, next_min }, ms.span()));
                            } else if m < next_min {
                                faults.push((k, BandFault::Gap { max: m, next_min }, ms.span()));
                            }
                        }
                    }
                    for (index, fault, span) in faults {
                        self.error_ind(code, Msg::Bands { code: code.into(), index, fault }, span);
                        ok = false;
                    }
                    out.push(Band { min, max, ratio: *b.ratio.get_ref() });
                }
                let interpolate = d.interpolate.as_ref().is_some_and(|i| *i.get_ref());
                ok.then_some(Method::Bands { bands: out, interpolate })
            }
            MethodKind::Ranking => {
                let step = need(self, &d.step, "step", Some(Expect::Positive))?;
                Some(Method::Ranking { direction, step })
            }
            MethodKind::Deduction | MethodKind::Bonus => {
                let per_item = need(self, &d.per_item, "per_item", Some(Expect::Positive))?;
                let cap = d.cap.as_ref().map(|c| *c.get_ref());
                Some(if kind == MethodKind::Bonus {
                    Method::Bonus { per_item, cap }
                } else {
                    Method::Deduction { per_item, cap }
                })
            }
            MethodKind::Veto => {
                if let (Some(_), Some(x)) = (&d.max_grade, &d.deduct) {
                    let msg = Msg::ConflictingParameters {
                        code: code.into(),
                        first: "max_grade".into(),
                        second: "deduct".into(),
                    };
                    self.error_ind(code, msg, x.span());
                }
                let deduct = match &d.deduct {
                    Some(x) => {
                        self.range("deduct", x, Expect::Positive, Some(code));
                        Some(*x.get_ref())
                    }
                    None => None,
                };
                let max_grade = match &d.max_grade {
                    Some(g) => match levels.iter().position(|l| l.name == g.get_ref().trim()) {
                        Some(k) => k,
                        None => {
                            let suggestion = closest(g.get_ref(), levels.iter().map(|l| l.name.as_str()));
                            self.error_ind(
                                code,
                                Msg::UnknownGrade { grade: g.get_ref().clone(), suggestion },
                                g.span(),
                            );
                            return None;
                        }
                    },
                    None => levels.len().saturating_sub(1),
                };
                Some(Method::Veto { max_grade, deduct })
            }
            MethodKind::Boolean => Some(Method::Boolean),
        }
    }

    /// A rating leaf's rater weights: its own table, else the scheme's.
    fn rating_raters(&mut self, d: &IndicatorDoc, raters: &[Rater]) -> Option<Vec<(usize, Decimal)>> {
        let code = d.code.get_ref().as_str();
        let Some(table) = &d.raters else {
            if raters.is_empty() {
                let span = d.method.as_ref().map_or(d.code.span(), Spanned::span);
                self.error_ind(code, Msg::NoRaters { code: code.into() }, span);
                return None;
            }
            return Some(raters.iter().enumerate().map(|(i, r)| (i, r.weight)).collect());
        };
        let mut out = Vec::new();
        let mut ok = true;
        let mut sum = Decimal::ZERO;
        for (id, w) in table.get_ref() {
            ok &= self.range("weight", w, Expect::Between(Decimal::ZERO, HUNDRED), Some(code));
            sum += *w.get_ref();
            match raters.iter().position(|r| r.id == *id.get_ref()) {
                Some(k) => out.push((k, *w.get_ref())),
                None => {
                    let suggestion = closest(id.get_ref(), raters.iter().map(|r| r.id.as_str()));
                    self.error_ind(code, Msg::UnknownRater { rater: id.get_ref().clone(), suggestion }, id.span());
                    ok = false;
                }
            }
        }
        if sum != HUNDRED {
            self.error_ind(code, Msg::IndicatorRaterWeightsSum { code: code.into(), sum }, table.span());
            ok = false;
        }
        ok.then_some(out)
    }

    /// Warn about parameters that the method ignores.
    fn unused(&mut self, d: &IndicatorDoc, kind: MethodKind) {
        use MethodKind as K;
        let present: [(&str, Option<Span>); 11] = [
            ("direction", d.direction.as_ref().map(Spanned::span)),
            ("scale", d.scale.as_ref().map(Spanned::span)),
            ("target", d.target.as_ref().map(Spanned::span)),
            ("floor", d.floor.as_ref().map(Spanned::span)),
            ("cap", d.cap.as_ref().map(Spanned::span)),
            ("bands", d.bands.as_ref().map(Spanned::span)),
            ("step", d.step.as_ref().map(Spanned::span)),
            ("per_item", d.per_item.as_ref().map(Spanned::span)),
            ("raters", d.raters.as_ref().map(Spanned::span)),
            ("max_grade", d.max_grade.as_ref().map(Spanned::span)),
            ("interpolate", d.interpolate.as_ref().map(Spanned::span)),
        ];
        let allowed: &[&str] = match kind {
            K::Rating => &["scale", "raters", "target"],
            K::Completion => &["direction", "target", "cap"],
            K::Efficacy => &["direction", "target", "floor", "cap"],
            K::Bands => &["bands", "cap", "target", "interpolate"],
            K::Ranking => &["direction", "step"],
            K::Deduction | K::Bonus => &["per_item", "cap"],
            K::Veto => &["max_grade"],
            K::Boolean => &[],
        };
        let code = d.code.get_ref();
        for (param, span) in present {
            if let Some(span) = span
                && !allowed.contains(&param)
            {
                let msg =
                    Msg::UnusedParameter { code: code.clone(), method: kind.as_str().into(), param: param.into() };
                self.diags.push(Diagnostic::warning(msg).at(span).indicator(code));
            }
        }
        if kind != K::Veto
            && let Some(x) = &d.deduct
        {
            let msg = Msg::UnusedParameter { code: code.clone(), method: kind.as_str().into(), param: "deduct".into() };
            self.diags.push(Diagnostic::warning(msg).at(x.span()).indicator(code));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const HEAD: &str = "[scheme]\nname = \"t\"\nsubject = \"unit\"\nperiod = \"year\"\ntotal = 10\n\n[grades]\n[[grades.levels]]\nname = \"合格\"\nmin = 0\n";

    fn check(extra: &str) -> Checked {
        let text = format!("{HEAD}\n{extra}");
        let doc: SchemeDoc = toml::from_str(&text).expect("parses");
        check_scheme(&doc, &LineIndex::new(&text))
    }

    fn codes(c: &Checked) -> Vec<&'static str> {
        c.diagnostics.iter().filter(|d| d.is_error()).map(Diagnostic::code).collect()
    }

    #[test]
    fn decimal_weights_are_compared_exactly() {
        let c = check(
            "[raters.a]\nname=\"a\"\nweight=0.1\n[raters.b]\nname=\"b\"\nweight=0.2\n[raters.c]\nname=\"c\"\nweight=99.7\n\
             [[indicators]]\ncode=\"R\"\nname=\"r\"\npoints=10\nmethod=\"rating\"\nraters={a=33.3, b=33.3, c=33.4}\n",
        );
        assert_eq!(codes(&c), Vec::<&str>::new());
        let s = c.scheme.expect("valid");
        assert_eq!(
            s.indicators[0].method,
            Some(Method::Rating {
                scale: Scale::Percent,
                raters: vec![(0, Decimal::new(333, 1)), (1, Decimal::new(333, 1)), (2, Decimal::new(334, 1))]
            })
        );
    }

    #[test]
    fn children_inherit_track_kind_and_categories() {
        let c = check(
            "[categories.a]\nname=\"甲\"\n[categories.b]\nname=\"乙\"\n\
             [[indicators]]\ncode=\"P\"\nname=\"p\"\ntrack=\"specific\"\nkind=\"process\"\ncategories=[\"a\"]\npoints=10\n\
             [[indicators]]\ncode=\"C\"\nname=\"c\"\nparent=\"P\"\npoints=10\nmethod=\"boolean\"\n\
             [[indicators]]\ncode=\"Q\"\nname=\"q\"\ncategories=[\"b\"]\npoints=10\nmethod=\"boolean\"\n",
        );
        assert_eq!(codes(&c), Vec::<&str>::new());
        let s = c.scheme.expect("valid");
        let child = &s.indicators[1];
        assert_eq!(
            (child.track, child.kind, child.categories.clone()),
            (Track::Specific, Some(crate::core::scheme::IndicatorKind::Process), Some(vec![0]))
        );
        assert!(child.applies_to(Some(0)) && !child.applies_to(Some(1)));
    }

    #[test]
    fn items_outside_the_base_do_not_count_in_sums() {
        let c = check(
            "[[indicators]]\ncode=\"A\"\nname=\"a\"\npoints=10\nmethod=\"boolean\"\n\
             [[indicators]]\ncode=\"B\"\nname=\"b\"\nmethod=\"bonus\"\nper_item=1\n\
             [[indicators]]\ncode=\"V\"\nname=\"v\"\nmethod=\"veto\"\n\
             [[indicators]]\ncode=\"D\"\nname=\"d\"\nmethod=\"deduction\"\nper_item=0.5\ncap=2\n",
        );
        assert_eq!(codes(&c), Vec::<&str>::new());
        let s = c.scheme.expect("valid");
        assert_eq!(s.indicators.iter().map(Indicator::in_base).collect::<Vec<_>>(), [true, false, false, false]);
        assert_eq!(s.indicators[2].method, Some(Method::Veto { max_grade: 0, deduct: None }));
    }

    #[test]
    fn a_deduction_with_points_counts_inside_the_tree() {
        let c = check("[[indicators]]\ncode=\"D\"\nname=\"d\"\npoints=10\nmethod=\"deduction\"\nper_item=1\n");
        assert_eq!(codes(&c), Vec::<&str>::new());
        let c = check("[[indicators]]\ncode=\"D\"\nname=\"d\"\npoints=9\nmethod=\"deduction\"\nper_item=1\n");
        assert_eq!(codes(&c), ["total-points-mismatch"]);
    }

    proptest! {
        /// Any split of the total into leaves with two decimals sums exactly: no mismatch.
        #[test]
        fn exact_splits_never_mismatch(cents in proptest::collection::vec(1u32..5000, 1..12)) {
            let total: u32 = cents.iter().sum();
            let mut text = format!("[scheme]\nname=\"t\"\nsubject=\"unit\"\nperiod=\"year\"\ntotal={}\n[grades]\n[[grades.levels]]\nname=\"合格\"\nmin=0\n", Decimal::new(total.into(), 2));
            for (i, c) in cents.iter().enumerate() {
                text.push_str(&format!("[[indicators]]\ncode=\"I{i}\"\nname=\"i\"\npoints={}\nmethod=\"boolean\"\n", Decimal::new((*c).into(), 2)));
            }
            let doc: SchemeDoc = toml::from_str(&text).expect("parses");
            let c = check_scheme(&doc, &LineIndex::new(&text));
            prop_assert!(c.diagnostics.iter().all(|d| !d.is_error()), "{:?}", c.diagnostics);
        }

        /// Changing one leaf's points by any non-zero amount always produces exactly one mismatch.
        #[test]
        fn any_change_is_caught(cents in proptest::collection::vec(1u32..5000, 2..12), which in 0usize..12, delta in 1u32..500) {
            let which = which % cents.len();
            let total: u32 = cents.iter().sum();
            let mut text = format!("[scheme]\nname=\"t\"\nsubject=\"unit\"\nperiod=\"year\"\ntotal={}\n[grades]\n[[grades.levels]]\nname=\"合格\"\nmin=0\n", Decimal::new(total.into(), 2));
            for (i, c) in cents.iter().enumerate() {
                let c = if i == which { c + delta } else { *c };
                text.push_str(&format!("[[indicators]]\ncode=\"I{i}\"\nname=\"i\"\npoints={}\nmethod=\"boolean\"\n", Decimal::new(c.into(), 2)));
            }
            let doc: SchemeDoc = toml::from_str(&text).expect("parses");
            let c = check_scheme(&doc, &LineIndex::new(&text));
            let errors: Vec<_> = c.diagnostics.iter().filter(|d| d.is_error()).map(Diagnostic::code).collect();
            prop_assert_eq!(errors, vec!["total-points-mismatch"]);
        }
    }
}

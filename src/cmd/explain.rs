//! `perf explain SUBJECT`: the derivation of one subject's score, step by step — each leaf's
//! raw values with their sources, the values trimmed, each rater's mean, the weights, the
//! formula with the numbers in it, the points; then parents, tracks, coefficient, bonus and
//! deductions, rounding, ranks and the grade with what decided it. It runs the same scoring
//! as `perf score`, so every number adds up to what `score` printed.

use crate::cmd::common::explain_text;
use crate::core::exact::{AsExact, Exact};
use crate::core::import::ledger::Entry;
use crate::core::scheme::{Method, Scheme, Track};
use crate::core::score::engine::{Flag, GradeReason, LeafDetail, SubjectScore, show};
use crate::core::score::rank::{pool_of, quota_places};
use crate::pipeline::annual::{AnnualInputs, run_annual};
use crate::pipeline::read::print_issues;
use crate::pipeline::{ScoreInputs, Scored, run_scoring};
use crate::{Exit, Lang};
use anyhow::Result;
use rust_decimal::Decimal;
use serde_json::{Value, json};
use std::fmt::Write as _;
use std::io::Write;

pub use crate::cmd::common::TextOrJson as Format;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// 考核对象的编号或名称。Subject id or name.
    pub subject: String,
    #[command(flatten)]
    pub inputs: ScoreInputs,
    /// 输出格式。Output format.
    #[arg(long, value_enum, default_value = "text")]
    pub format: Format,
    /// 说明年度考核（perf annual）的推导：季度、年终、规则与证据、等次、金额。The annual derivation.
    #[arg(long)]
    pub annual: bool,
}

/// A number as it is, or rounded to 6 places with "≈" when it has more (or never ends).
/// Intermediate steps are shown this way; the final exact value in full (see `text`).
fn num(x: impl AsExact) -> String {
    let x: Exact = x.as_exact();
    match x.to_decimal() {
        Some(d) if d.scale() <= 6 => d.to_string(),
        _ => format!("≈{}", x.round(6).normalize()),
    }
}

fn t(lang: Lang, zh: &str, en: &str) -> String {
    if lang == Lang::Zh { zh.to_owned() } else { en.to_owned() }
}

/// The raw values of one rating leaf and rater, sorted, with the trimmed ones marked.
fn rater_values<'a>(
    entries: &'a [Entry],
    code: &str,
    rater: &str,
    trim: usize,
    trim_min_count: usize,
) -> Vec<(&'a Entry, Option<&'static str>)> {
    let mut v: Vec<&Entry> = entries.iter().filter(|e| e.indicator == code && e.rater == rater).collect();
    v.sort_by(|a, b| a.value.cmp(&b.value).then(a.source.cmp(&b.source)));
    let n = v.len();
    // The same rule as the scoring (aggregate::RaterValues::mean).
    let trimming = trim > 0 && n > 2 * trim && n >= trim_min_count;
    v.into_iter()
        .enumerate()
        .map(|(k, e)| {
            let mark = match trimming {
                true if k < trim => Some("low"),
                true if k >= n - trim => Some("high"),
                _ => None,
            };
            (e, mark)
        })
        .collect()
}

/// Indicators in tree order (depth first, file order), applicable ones only.
fn tree_order(scheme: &Scheme, r: &SubjectScore) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut stack: Vec<(usize, usize)> = scheme.roots().collect::<Vec<_>>().into_iter().rev().map(|i| (i, 0)).collect();
    while let Some((i, depth)) = stack.pop() {
        if !scheme.indicators[i].applies_to(r.category) {
            continue;
        }
        out.push((i, depth));
        for &c in scheme.indicators[i].children.iter().rev() {
            stack.push((c, depth + 1));
        }
    }
    out
}

fn leaf_lines(s: &Scored, r: &SubjectScore, i: usize, pad: &str, lang: Lang, out: &mut String) {
    let scheme = &s.scheme;
    let ind = &scheme.indicators[i];
    let Some(leaf) = &r.leaves[i] else { return };
    let p = ind.points.unwrap_or_default();
    let data = s.explained.iter().find(|e| e.indicator == ind.code && e.rater.is_empty());
    let src = |e: Option<&Entry>| e.map_or_else(String::new, |e| format!("  ({})", e.source));
    let missing = t(lang, "（缺）", "(missing)");
    match (&leaf.detail, &ind.method) {
        (LeafDetail::Rating { parts, weighted, renormalized, scale }, _) => {
            for part in parts {
                let rater = &scheme.raters[part.rater];
                let _ = writeln!(
                    out,
                    "{pad}{} {}{}{}{}{}",
                    rater.name,
                    rater.id,
                    t(lang, "，权重 ", ", weight "),
                    num(part.weight),
                    if part.used_weight != Exact::from(part.weight) && part.mean.is_some() {
                        t(
                            lang,
                            &format!("（按比例放大为 {}）", num(&part.used_weight)),
                            &format!(" (scaled to {})", num(&part.used_weight)),
                        )
                    } else {
                        String::new()
                    },
                    t(
                        lang,
                        &format!("：{} 个评价人", part.count),
                        &format!(": {}", crate::count_en(part.count, "evaluator"))
                    ),
                );
                for (e, mark) in
                    rater_values(&s.explained, &ind.code, &rater.id, rater.trim as usize, rater.trim_min_count as usize)
                {
                    let m = match (mark, lang) {
                        (Some("high"), Lang::Zh) => "  ← 去掉（最高）",
                        (Some("low"), Lang::Zh) => "  ← 去掉（最低）",
                        (Some("high"), Lang::En) => "  ← dropped (highest)",
                        (Some(_), _) => "  ← dropped (lowest)",
                        (None, _) => "",
                    };
                    let _ = writeln!(out, "{pad}    {}  {} ({}){m}", num(e.value), e.evaluator, e.source);
                }
                let mean = part.mean.as_ref().map_or_else(|| missing.clone(), num);
                let how = if part.trimmed {
                    t(
                        lang,
                        &format!("去掉最高、最低各 {} 个后的均值", rater.trim),
                        &format!("mean after dropping {} at each end", rater.trim),
                    )
                } else if rater.trim > 0 && part.count > 0 {
                    t(
                        lang,
                        &format!("均值（评价人少于 {} 个，不去极值）", rater.trim_min_count),
                        &format!("mean (fewer than {} evaluators: not trimmed)", rater.trim_min_count),
                    )
                } else {
                    t(lang, "均值", "mean")
                };
                let _ = writeln!(out, "{pad}    {how} = {mean}");
            }
            let terms: Vec<String> = parts
                .iter()
                .filter_map(|p| p.mean.as_ref().map(|m| format!("{} × {}", num(m), num(&p.used_weight))))
                .collect();
            let _ = writeln!(
                out,
                "{pad}{} = ({}) / 100 = {}{}",
                t(lang, "加权", "weighted"),
                terms.join(" + "),
                num(weighted),
                if *renormalized {
                    t(lang, "（缺席主体的权重已按比例分给其余主体）", " (renormalised)")
                } else {
                    String::new()
                }
            );
            let formula = match scale {
                crate::core::scheme::Scale::Percent => format!("{} × {} / 100", num(p), num(weighted)),
                crate::core::scheme::Scale::Points => num(weighted),
            };
            let _ = writeln!(out, "{pad}{} = {formula} = {}", t(lang, "得分", "points"), num(&leaf.points));
        }
        (LeafDetail::Value { value, fraction }, Some(method)) => {
            let v = value.map_or_else(|| missing.clone(), num);
            let _ = writeln!(out, "{pad}{} {v}{}", t(lang, "值", "value"), src(data));
            let formula = match (method, value) {
                (_, None) => "0".to_owned(),
                (Method::Completion { direction, target, cap }, Some(x)) => match direction {
                    crate::core::scheme::Direction::Higher => {
                        format!("{} × min({} / {}, {})", num(p), num(x), num(target), num(cap))
                    }
                    crate::core::scheme::Direction::Lower => {
                        format!("{} × min({} / {}, {})", num(p), num(target), num(x), num(cap))
                    }
                },
                (Method::Efficacy { target, floor, cap, .. }, Some(x)) => format!(
                    "{} × min(max((60 + 40 × ({} − {}) / ({} − {})) / 100, 0), {})",
                    num(p),
                    num(x),
                    num(floor),
                    num(target),
                    num(floor),
                    num(cap)
                ),
                (Method::Bands { .. }, Some(_)) => {
                    format!("{} × {}", num(p), num(fraction))
                }
                (Method::Boolean, Some(x)) => {
                    if *x == Decimal::ONE {
                        format!("{} × 1", num(p))
                    } else {
                        format!("{} × 0", num(p))
                    }
                }
                _ => String::new(),
            };
            let _ = writeln!(out, "{pad}{} = {formula} = {}", t(lang, "得分", "points"), num(&leaf.points));
        }
        (LeafDetail::Ranking { value, rank }, Some(Method::Ranking { step, .. })) => {
            let v = value.map_or_else(|| missing.clone(), num);
            let _ = writeln!(out, "{pad}{} {v}{}", t(lang, "值", "value"), src(data));
            match rank {
                Some(k) => {
                    let _ = writeln!(
                        out,
                        "{pad}{} {k}{} = max({} − ({k} − 1) × {}, 0) = {}",
                        t(lang, "本类别第", "rank in category: "),
                        t(lang, " 名 → 得分", " → points"),
                        num(p),
                        num(step),
                        num(&leaf.points)
                    );
                }
                None => {
                    let _ = writeln!(
                        out,
                        "{pad}{} = 0",
                        t(lang, "没有值，不参加排名，得分", "no value, not ranked: points")
                    );
                }
            }
        }
        (
            LeafDetail::Count { count, amount },
            Some(Method::Deduction { per_item, cap } | Method::Bonus { per_item, cap }),
        ) => {
            let capped = cap.map_or_else(String::new, |c| format!(", {} {}", t(lang, "上限", "cap"), num(c)));
            let _ = writeln!(
                out,
                "{pad}{} {}{} → {} × {} = {}{capped}",
                t(lang, "次数", "count"),
                num(count),
                src(data),
                num(count),
                num(per_item),
                num(amount)
            );
            if let (Method::Deduction { .. }, Some(points)) =
                (ind.method.as_ref().unwrap_or(&Method::Boolean), ind.points)
            {
                let _ = writeln!(
                    out,
                    "{pad}{} = max({} − {}, 0) = {}",
                    t(lang, "得分", "points"),
                    num(points),
                    num(amount),
                    num(&leaf.points)
                );
            }
        }
        (LeafDetail::Veto { vetoed }, Some(Method::Veto { max_grade, deduct })) => {
            let what = match (vetoed, deduct) {
                (false, _) => t(lang, "否（未触发）", "no (not triggered)"),
                (true, Some(d)) => t(lang, &format!("是 → 扣 {} 分", num(d)), &format!("yes → deduct {}", num(d))),
                (true, None) => {
                    let g = &scheme.grades.levels[*max_grade].name;
                    t(lang, &format!("是 → 等次最高为 {g}"), &format!("yes → grade at most {g}"))
                }
            };
            let _ = writeln!(out, "{pad}{what}{}", src(data));
        }
        _ => {}
    }
}

fn text(s: &Scored, r: &SubjectScore, lang: Lang) -> String {
    let scheme = &s.scheme;
    let dp = scheme.precision;
    let subj = &s.roster.subjects[r.subject];
    let cat = r.category.map_or_else(String::new, |c| scheme.categories[c].name.clone());
    let period = crate::core::import::period::label(&s.period, lang);
    let mut out = format!("{} {} · {cat} · {period} · {}\n\n", subj.id, subj.name, scheme.name);
    for (i, depth) in tree_order(scheme, r) {
        let ind = &scheme.indicators[i];
        let pad = "  ".repeat(depth);
        let method = ind.method.as_ref().map_or("", |m| m.kind().label(lang));
        let (open, comma, close) = if lang == Lang::Zh { ("（", "，", "）") } else { (" (", ", ", ")") };
        let head = match (&ind.points, ind.in_base()) {
            (Some(p), true) => format!(
                "{} {}{open}{}{} {}{close}",
                ind.code,
                ind.name,
                if method.is_empty() { String::new() } else { format!("{method}{comma}") },
                num(p),
                t(lang, "分", "pts")
            ),
            _ => format!("{} {}{open}{method}{close}", ind.code, ind.name),
        };
        if ind.children.is_empty() {
            let _ = writeln!(out, "{pad}{head}");
            leaf_lines(s, r, i, &format!("{pad}    "), lang, &mut out);
        } else {
            let parts: Vec<String> = ind
                .children
                .iter()
                .filter_map(|&c| r.points[c].as_ref().map(|p| format!("{} {}", scheme.indicators[c].code, num(p))))
                .collect();
            let sum = r.points[i].as_ref().map_or_else(String::new, num);
            let _ = writeln!(out, "{pad}{head} = {} = {sum}", parts.join(" + "));
        }
    }
    let names = [t(lang, "共性指标", "common track"), t(lang, "个性指标", "specific track")];
    out.push('\n');
    for (k, track) in [Track::Common, Track::Specific].iter().enumerate() {
        let parts: Vec<String> = scheme
            .roots()
            .filter(|&i| scheme.indicators[i].track == *track)
            .filter_map(|i| r.points[i].as_ref().map(|p| format!("{} {}", scheme.indicators[i].code, num(p))))
            .collect();
        if !parts.is_empty() {
            let _ = writeln!(out, "{} = {} = {}", names[k], parts.join(" + "), num(&r.tracks[k]));
        }
    }
    let _ = writeln!(
        out,
        "{} = {} + {} = {}",
        t(lang, "基础分", "base"),
        num(&r.tracks[0]),
        num(&r.tracks[1]),
        num(&r.base)
    );
    let _ = writeln!(
        out,
        "× {} {} = {}",
        t(lang, "难度系数", "coefficient"),
        num(r.coefficient),
        num(&r.base * r.coefficient)
    );
    let capped = r
        .flags
        .iter()
        .find_map(|f| if let Flag::BonusCapped { total, cap } = f { Some((total.clone(), *cap)) } else { None });
    match capped {
        Some((total, cap)) => {
            let _ = writeln!(
                out,
                "+ {} min({}, bonus_cap {}) = {}",
                t(lang, "加分", "bonus"),
                num(&total),
                num(cap),
                num(&r.bonus)
            );
        }
        None => {
            let _ = writeln!(out, "+ {} {}", t(lang, "加分", "bonus"), num(&r.bonus));
        }
    }
    let _ = writeln!(out, "− {} {}", t(lang, "扣分", "deductions"), num(&r.deduction));
    // The exact value: a decimal, or a fraction beside its first six decimals.
    let exact = match r.exact.to_decimal() {
        Some(d) => d.to_string(),
        None => format!("{} = {}", r.exact.exact_text(), num(&r.exact)),
    };
    let _ = writeln!(out, "= {exact}{}", t(lang, "（精确值，不低于 0）", " (exact, not below 0)"));
    let _ = writeln!(
        out,
        "{} {dp} {}：{}",
        t(lang, "四舍五入到", "rounded half away from zero to"),
        t(lang, "位小数", "decimals"),
        show(r.score, dp)
    );
    let line = match (r.rank, r.category_rank, r.pool_rank) {
        (Some(a), Some(c), Some(p)) => t(
            lang,
            &format!("排名：总第 {a} 名，类别第 {c} 名，名额池第 {p} 名"),
            &format!("Ranks: overall {a}, in category {c}, in quota pool {p}"),
        ),
        _ => t(
            lang,
            "排名：不排名——数据不完整，补齐后才与其他对象一起排名",
            "Ranks: not ranked — the data is incomplete; it is ranked once complete",
        ),
    };
    let _ = writeln!(out, "{line}");
    let _ = writeln!(out, "{}", grade_line(s, r, lang));
    let flags: Vec<String> = r.flags.iter().map(|f| f.label(lang)).collect();
    if !flags.is_empty() {
        let _ = writeln!(out, "{}{}", t(lang, "标记：", "Flags: "), flags.join(&t(lang, "；", "; ")));
    }
    // Every correction of this subject, with its audit trail and what it replaced.
    let id = &subj.id;
    for (c, applied) in s.corrections.iter().filter(|(c, _)| &c.subject == id) {
        let what = match (&c.change, applied) {
            (crate::core::correction::Change::Value { indicator, rater, evaluator, value }, Some(a)) => {
                let who = [rater.as_str(), evaluator.as_str()]
                    .iter()
                    .filter(|x| !x.is_empty())
                    .copied()
                    .collect::<Vec<_>>()
                    .join(" ");
                let was = a.original.map_or_else(|| t(lang, "（原来没有）", "(none before)"), num);
                let who = if who.is_empty() { String::new() } else { format!(" {who}") };
                format!("{indicator}{who} {was} → {}  ({})", num(*value), a.source)
            }
            (crate::core::correction::Change::Value { indicator, value, .. }, None) => {
                format!("{indicator} → {}", num(*value))
            }
            (crate::core::correction::Change::Grade(g), _) => {
                format!("{} → {}", t(lang, "等次", "grade"), s.scheme.grades.levels[*g].name)
            }
        };
        let _ = writeln!(
            out,
            "{}{what}{}{}",
            t(lang, "复核：", "Correction: "),
            t(lang, "；", "; "),
            t(
                lang,
                &format!("理由 {}，批准 {}，{}", c.reason, c.approved_by, c.date),
                &format!("reason {}, approved by {}, {}", c.reason, c.approved_by, c.date)
            )
        );
    }
    out
}

fn pool_size(s: &Scored, r: &SubjectScore) -> usize {
    let pool = pool_of(&s.scheme, &s.roster, r);
    s.results.iter().filter(|x| pool_of(&s.scheme, &s.roster, x) == pool).count()
}

fn grade_line(s: &Scored, r: &SubjectScore, lang: Lang) -> String {
    let levels = &s.scheme.grades.levels;
    let name = |g: usize| levels[g].name.clone();
    if r.grade_reason == GradeReason::Incomplete {
        let missing: Vec<String> = r
            .flags
            .iter()
            .filter(|f| matches!(f, Flag::Missing { .. } | Flag::Conflict { .. }))
            .map(Flag::short)
            .collect();
        return t(
            lang,
            &format!("等次：待补——数据不完整（{}），不定等次、不占名额；补齐后重新计分", missing.join("；")),
            &format!(
                "Grade: incomplete — data missing ({}): no grade and no quota place until it is complete",
                missing.join("; ")
            ),
        );
    }
    let Some(g) = r.grade else {
        return t(lang, "等次：未定（得分低于最低等次的下限）", "Grade: none (below the lowest level)");
    };
    let pool_rank = r.pool_rank.unwrap_or_default();
    let places = |l: usize| levels[l].quota.map(|q| quota_places(q, pool_size(s, r), s.scheme.grades.quota_rounding));
    match &r.grade_reason {
        GradeReason::Threshold => {
            let quota = places(g).map_or_else(String::new, |n| {
                t(
                    lang,
                    &format!(
                        "，名额 {n} 名（{} × {} 人），名额池第 {} 名",
                        num(levels[g].quota.unwrap_or_default()),
                        pool_size(s, r),
                        pool_rank
                    ),
                    &format!(", quota {n}, pool rank {}", pool_rank),
                )
            });
            t(
                lang,
                &format!(
                    "等次：{}——得分 {} ≥ {} 的下限 {}{quota}",
                    name(g),
                    show(r.score, s.scheme.precision),
                    name(g),
                    num(levels[g].min)
                ),
                &format!(
                    "Grade: {} — score {} ≥ its minimum {}{quota}",
                    name(g),
                    show(r.score, s.scheme.precision),
                    num(levels[g].min)
                ),
            )
        }
        GradeReason::Quota { from } => t(
            lang,
            &format!(
                "等次：{}——得分达到 {} 的下限，但 {} 名额 {} 名已满（名额池第 {} 名）",
                name(g),
                name(*from),
                name(*from),
                places(*from).unwrap_or(0),
                pool_rank
            ),
            &format!(
                "Grade: {} — the score reaches {} but its {} places are taken (pool rank {})",
                name(g),
                name(*from),
                places(*from).unwrap_or(0),
                pool_rank
            ),
        ),
        GradeReason::Veto => t(
            lang,
            &format!("等次：{}——一票否决，最高为 {}", name(g), name(g)),
            &format!("Grade: {} — vetoed, capped at {}", name(g), name(g)),
        ),
        GradeReason::Decision => {
            let reason = r
                .flags
                .iter()
                .find_map(|f| if let Flag::Decided { reason } = f { Some(reason.clone()) } else { None })
                .unwrap_or_default();
            t(
                lang,
                &format!("等次：{}——按裁定文件：{reason}", name(g)),
                &format!("Grade: {} — by decision: {reason}", name(g)),
            )
        }
        GradeReason::Undecided { from } => t(
            lang,
            &format!(
                "等次：暂列 {}——与他人同分跨越 {} 名额线，tie_break 无法区分，待用 --decide 裁定",
                name(g),
                name(*from)
            ),
            &format!("Grade: {} for now — tied across the {} quota line; decide with --decide", name(g), name(*from)),
        ),
        GradeReason::Incomplete => t(lang, "等次：待补", "Grade: incomplete"),
    }
}

/// An exact number for JSON: a finite decimal (`78.85`) or a fraction (`479/6`), as text.
fn exact_json(x: impl AsExact) -> Value {
    json!(x.as_exact().exact_text())
}

fn json_value(s: &Scored, r: &SubjectScore) -> Value {
    let scheme = &s.scheme;
    let dp = scheme.precision;
    let subj = &s.roster.subjects[r.subject];
    let leaves: Vec<Value> = tree_order(scheme, r)
        .into_iter()
        .filter_map(|(i, _)| r.leaves[i].as_ref().map(|l| (i, l)))
        .map(|(i, l)| {
            let ind = &scheme.indicators[i];
            let raw: Vec<Value> = s
                .explained
                .iter()
                .filter(|e| e.indicator == ind.code)
                .map(|e| json!({"rater": e.rater, "evaluator": e.evaluator, "value": exact_json(e.value), "source": e.source}))
                .collect();
            let detail = match &l.detail {
                LeafDetail::Rating { parts, weighted, renormalized, .. } => json!({
                    "raters": parts.iter().map(|p| json!({
                        "rater": scheme.raters[p.rater].id, "weight": exact_json(p.weight), "used_weight": exact_json(&p.used_weight),
                        "count": p.count, "mean": p.mean.as_ref().map(exact_json), "trimmed": p.trimmed,
                    })).collect::<Vec<_>>(),
                    "weighted": exact_json(weighted), "renormalized": renormalized,
                }),
                LeafDetail::Value { value, fraction } => json!({"value": value.map(exact_json), "fraction": exact_json(fraction)}),
                LeafDetail::Ranking { value, rank } => json!({"value": value.map(exact_json), "rank": rank}),
                LeafDetail::Count { count, amount } => json!({"count": exact_json(count), "amount": exact_json(amount)}),
                LeafDetail::Veto { vetoed } => json!({"vetoed": vetoed}),
            };
            json!({
                "code": ind.code, "name": ind.name, "method": ind.method.as_ref().map(|m| m.kind().as_str()),
                "points": exact_json(&l.points), "missing": l.missing, "detail": detail, "raw": raw,
            })
        })
        .collect();
    let nodes: serde_json::Map<String, Value> = scheme
        .indicators
        .iter()
        .enumerate()
        .filter_map(|(i, ind)| r.points[i].as_ref().map(|p| (ind.code.clone(), exact_json(p))))
        .collect();
    json!({
        "period": s.period, "subject": subj.id, "name": subj.name,
        "category": r.category.map(|c| scheme.categories[c].name.clone()),
        "leaves": leaves, "points": nodes,
        "tracks": {"common": exact_json(&r.tracks[0]), "specific": exact_json(&r.tracks[1])},
        "base": exact_json(&r.base), "coefficient": exact_json(r.coefficient), "bonus": exact_json(&r.bonus), "deduction": exact_json(&r.deduction),
        "exact": exact_json(&r.exact), "score": show(r.score, dp),
        "rank": r.rank, "category_rank": r.category_rank, "pool_rank": r.pool_rank,
        "grade": r.grade.map(|g| scheme.grades.levels[g].name.clone()),
        "grade_reason": format!("{:?}", r.grade_reason),
        "complete": r.complete,
        "flags": r.flags.iter().map(Flag::short).collect::<Vec<_>>(),
    })
}

pub fn run(args: &Args, lang_flag: Option<Lang>) -> Result<Exit> {
    if args.annual {
        let inputs = AnnualInputs {
            workspace: args.inputs.workspace.clone().or_else(|| args.inputs.paths.first().cloned()),
            roster: args.inputs.roster.clone(),
            ..AnnualInputs::default()
        };
        let a = match run_annual(&inputs, lang_flag)? {
            Ok(a) => a,
            Err(exit) => return Ok(exit),
        };
        let lang = crate::lang();
        print_issues(&a.issues, lang);
        let Some(r) = a.results.iter().find(|r| {
            let s = &a.roster.subjects[r.subject];
            s.id == args.subject || s.name == args.subject
        }) else {
            anyhow::bail!(crate::tr("名册中没有这个对象", "no such subject in the roster"));
        };
        std::io::stdout().lock().write_all(explain_text(&a, r, lang).as_bytes())?;
        return Ok(Exit::Ok);
    }
    let scored = match run_scoring(&args.inputs, lang_flag, Some(&args.subject))? {
        Ok(s) => s,
        Err(exit) => return Ok(exit),
    };
    let lang = crate::lang();
    print_issues(&scored.issues, lang);
    let Some(r) = scored.results.iter().find(|r| {
        let s = &scored.roster.subjects[r.subject];
        s.id == args.subject || s.name == args.subject
    }) else {
        anyhow::bail!(crate::tr("名册中没有这个对象", "no such subject in the roster"));
    };
    let out = match args.format {
        Format::Text => text(&scored, r, lang),
        Format::Json => serde_json::to_string_pretty(&json_value(&scored, r))? + "\n",
    };
    std::io::stdout().lock().write_all(out.as_bytes())?;
    Ok(Exit::Ok)
}

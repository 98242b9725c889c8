#!/usr/bin/env python3
"""Write the validate test cases: base.toml with one change each.

Each case: (file name, [(old, new), ...], [(code, indicator, needle, anchor)]).
The expected location of a diagnostic is the first occurrence of `needle` after `anchor`
(or from the start), as line:column with columns counted in characters. The table printed
at the end is pasted into tests/cli/validate.rs; the numbers come from the fixture text,
not from perf.
"""
import pathlib

here = pathlib.Path(__file__).parent
base = (here / "base.toml").read_text(encoding="utf-8")

G1 = 'code = "G1"'
G2 = 'code = "G2"'
E1 = 'code = "E1"'
E2 = 'code = "E2"'
X1 = 'code = "X1"'
X2 = 'code = "X2"'

cases = [
    ("toml_syntax", [('name = "测试方案"', 'name = "测试方案')], [("toml-syntax", None, "\n", 'name = "测试方案')]),
    ("unknown_key", [('name = "满意度"\npoints = 20', 'name = "满意度"\npionts = 20')], [("unknown-key", None, "pionts", None)]),
    ("unknown_value", [('method = "rating"', 'method = "ratting"')], [("unknown-value", None, '"ratting"', None)]),
    ("missing_key", [('name = "测试方案"\n', '')], [("missing-key", None, "[scheme]", None)]),
    ("duplicate_key", [('name = "满意度"\npoints = 20', 'name = "满意度"\npoints = 20\npoints = 20')], [("duplicate-key", None, "points = 20\nmethod", G1)]),
    ("invalid_value", [('name = "满意度"\npoints = 20', 'name = "满意度"\npoints = "abc"')], [("invalid-value", None, '"abc"', None)]),
    ("negative_points", [('name = "满意度"\npoints = 20', 'name = "满意度"\npoints = -20')],
     [("out-of-range", "G1", "-20", None), ("children-points-mismatch", "G", "40", 'code = "G"')]),
    ("total_zero", [("total = 100", "total = 0")], [("out-of-range", None, "0", "total = "), ("total-points-mismatch", None, "0", "total = "), ("total-points-mismatch", None, "0", "total = ")]),
    ("no_indicators", [(base[base.index("[[indicators]]"):base.index("[grades]")], "")], [("no-indicators", None, "[scheme]", None)]),
    ("duplicate_code", [(G2, G1)], [("duplicate-code", "G1", '"G1"', 'name = "满意度"')]),
    ("unknown_parent", [('parent = "G"\nname = "任务完成率"', 'parent = "GG"\nname = "任务完成率"')], [("unknown-parent", "G2", '"GG"', None)]),
    ("parent_cycle", [('code = "G"\nname', 'code = "G"\nparent = "G1"\nname')], [("parent-cycle", "G", '"G1"', 'code = "G"\n')]),
    ("track_mismatch", [('parent = "E"\nname = "预算执行率"', 'parent = "E"\ntrack = "common"\nname = "预算执行率"')], [("track-mismatch", "E1", '"common"', E1)]),
    ("category_outside_parent", [('parent = "E"\nname = "预算执行率"', 'parent = "E"\ncategories = ["social"]\nname = "预算执行率"')],
     [("category-outside-parent", "E1", '"social"', E1), ("children-points-mismatch", "E", "60", 'code = "E"')]),
    ("leaf_without_method", [('method = "completion"\n', '')], [("leaf-without-method", "G2", '"G2"', None)]),
    ("parent_with_method", [('name = "共性指标"\npoints = 40', 'name = "共性指标"\npoints = 40\nmethod = "rating"')], [("parent-with-method", "G", '"rating"', 'code = "G"')]),
    ("missing_points", [('name = "满意度"\npoints = 20\n', 'name = "满意度"\n')],
     [("missing-points", "G1", '"G1"', None), ("children-points-mismatch", "G", "40", 'code = "G"')]),
    ("points_not_allowed", [('name = "创新加分"', 'name = "创新加分"\npoints = 5')], [("points-not-allowed", "X1", "5", 'name = "创新加分"\npoints = ')]),
    ("missing_parameter", [('target = 100\n', '')], [("missing-parameter", "G2", '"completion"', None)]),
    ("ranking_without_step", [("step = 1\n", "")], [("missing-parameter", "S1", '"ranking"', None)]),
    ("target_equals_floor", [("floor = 60", "floor = 95")], [("target-equals-floor", "E1", "95", "floor = ")]),
    ("floor_wrong_side", [("floor = 60", "floor = 99")], [("floor-wrong-side", "E1", "99", None)]),
    ("conflicting_parameters", [('max_grade = "较差"', 'max_grade = "较差"\ndeduct = 30')], [("conflicting-parameters", "X2", "30", "deduct = ")]),
    ("bands_unordered", [("{ min = 5, max = 8, ratio = 0.8 }", "{ min = 3, max = 8, ratio = 0.8 }"), ("{ min = 0, max = 5, ratio = 0.5 }", "{ min = 4, ratio = 0.5 }")],
     [("bands-unordered", "E2", "3", "{ min = ")]),
    ("bands_overlap", [("{ min = 0, max = 5, ratio = 0.5 }", "{ min = 0, max = 6, ratio = 0.5 }")], [("bands-overlap", "E2", "6", "max = ")]),
    ("bands_gap", [("{ min = 0, max = 5, ratio = 0.5 }", "{ min = 0, max = 4, ratio = 0.5 }")], [("bands-gap", "E2", "4", "max = ")]),
    ("children_points_mismatch", [('name = "任务完成率"\npoints = 20', 'name = "任务完成率"\npoints = 21')], [("children-points-mismatch", "G", "40", 'code = "G"')]),
    ("total_points_mismatch", [("total = 100", "total = 90")], [("total-points-mismatch", None, "90", None), ("total-points-mismatch", None, "90", None)]),
    ("rater_weights_sum", [("weight = 60", "weight = 50")], [("rater-weights-sum", None, "leader", None)]),
    ("indicator_rater_weights_sum", [("raters = { leader = 50, public = 50 }", "raters = { leader = 50, public = 40 }")], [("indicator-rater-weights-sum", "G1", "{ leader", None)]),
    ("no_raters", [(base[base.index("[raters.leader]"):base.index("[categories.econ]")], ""), ("raters = { leader = 50, public = 50 }\n", ""), ('tie_break = ["common", "public"]', 'tie_break = ["common"]')],
     [("no-raters", "G1", '"rating"', None)]),
    ("trim_unsupported", [("min_count = 3", "min_count = 2")], [("trim-unsupported", None, "2", "min_count = ")]),
    ("unknown_rater", [("raters = { leader = 50, public = 50 }", "raters = { leader = 50, pubic = 50 }")], [("unknown-rater", "G1", "pubic", None)]),
    ("unknown_category", [('categories = ["econ"]', 'categories = ["ecn"]')],
     [("unknown-category", "E", '"ecn"', None), ("total-points-mismatch", None, "100", "total = ")]),
    ("no_grade_levels", [(base[base.index("[[grades.levels]]"):], ""), ('[grades]\n', '[grades]\nlevels = []\n')],
     [("no-grade-levels", None, "[]", "levels = "), ("unknown-grade", "X2", '"较差"', None)]),
    ("duplicate_grade", [('name = "良好"', 'name = "优秀"')], [("duplicate-grade", None, '"优秀"', 'min = 90')]),
    ("grades_not_descending", [("min = 80", "min = 95")], [("grades-not-descending", None, "95", "min = ")]),
    ("quota_out_of_range", [("quota = 0.2", "quota = 1.5")], [("out-of-range", None, "1.5", None)]),
    ("unknown_grade", [('max_grade = "较差"', 'max_grade = "较查"')], [("unknown-grade", "X2", '"较查"', None)]),
    ("unknown_tie_break", [('tie_break = ["common", "public"]', 'tie_break = ["common", "pubilc"]')], [("unknown-tie-break", None, '"pubilc"', None)]),
    ("ambiguous_tie_break", [('code = "X3"', 'code = "public"')], [("ambiguous-tie-break", None, '"public"', "tie_break")]),
    ("empty_code", [('code = "X3"', 'code = ""')], [("empty-code", None, '""', None)]),
    # warnings (no errors)
    ("unused_parameter", [('method = "rating"', 'method = "rating"\nstep = 1')], [("unused-parameter", "G1", "1", "step = ")]),
    ("smart_missing", [('goal = "重点工作"\n', '')], [("smart-missing", "G2", '"G2"', None)]),
    ("process_share", [('name = "满意度"', 'name = "满意度"\nkind = "process"'), ('name = "任务完成率"', 'name = "任务完成率"\nkind = "process"')],
     [("formalism-process-share", None, "econ", "[categories."), ("formalism-process-share", None, "social", "[categories.")]),
    ("paperwork", [('measure = "完成数 ÷ 任务数"', 'measure = "报送台账份数"')], [("formalism-paperwork", "G2", '"G2"', None)]),
    ("specific_dominant", [('name = "预算执行率"\npoints = 30', 'name = "预算执行率"\npoints = 31'), ('name = "项目落地数"\npoints = 30', 'name = "项目落地数"\npoints = 29')],
     [("formalism-specific-dominant", "E1", '"E1"', None)]),
]


def line_col(text, offset):
    line = text.count("\n", 0, offset) + 1
    start = text.rfind("\n", 0, offset) + 1
    return line, offset - start + 1


rows = []
for name, changes, expected in cases:
    text = base
    for old, new in changes:
        assert text.count(old) >= 1, (name, old)
        text = text.replace(old, new, 1)
    (here / f"{name}.toml").write_text(text, encoding="utf-8")
    exp = []
    for code, indicator, needle, anchor in expected:
        start = text.index(anchor) + len(anchor) if anchor else 0
        off = text.index(needle, start)
        line, col = line_col(text, off)
        ind = 'Some("%s")' % indicator if indicator else "None"
        exp.append(f'("{code}", {line}, {col}, {ind})')
    rows.append(f'    ("{name}", &[{", ".join(exp)}]),')
print("\n".join(rows))

//! `perf validate`: every error and warning, with its code and location; the examples; the
//! output formats and exit codes.

use crate::util::{data, perf, summary, tempdir, validate_json};
use predicates::prelude::*;

/// Each case file in tests/data/validate (made from base.toml by make_cases.py) and the
/// findings it must produce: (code, line, column, indicator), in output order (errors first,
/// then by position). Locations are those of the changed text in the fixture.
/// (code, line, column, indicator)
type Finding = (&'static str, i64, i64, Option<&'static str>);

const CASES: &[(&str, &[Finding])] = &[
    ("toml_syntax", &[("toml-syntax", 4, 13, None)]),
    ("unknown_key", &[("unknown-key", 35, 1, None)]),
    ("unknown_value", &[("unknown-value", 36, 10, None)]),
    ("missing_key", &[("missing-key", 3, 1, None)]),
    ("duplicate_key", &[("duplicate-key", 36, 1, None)]),
    ("invalid_value", &[("invalid-value", 35, 10, None)]),
    ("negative_points", &[("out-of-range", 35, 10, Some("G1")), ("children-points-mismatch", 29, 10, Some("G"))]),
    (
        "total_zero",
        &[("out-of-range", 7, 9, None), ("total-points-mismatch", 7, 9, None), ("total-points-mismatch", 7, 9, None)],
    ),
    ("no_indicators", &[("no-indicators", 3, 1, None)]),
    ("duplicate_code", &[("duplicate-code", 44, 8, Some("G1"))]),
    ("unknown_parent", &[("unknown-parent", 45, 10, Some("G2"))]),
    ("parent_cycle", &[("parent-cycle", 28, 10, Some("G"))]),
    ("track_mismatch", &[("track-mismatch", 66, 9, Some("E1"))]),
    (
        "category_outside_parent",
        &[("category-outside-parent", 66, 15, Some("E1")), ("children-points-mismatch", 61, 10, Some("E"))],
    ),
    ("leaf_without_method", &[("leaf-without-method", 44, 8, Some("G2"))]),
    ("parent_with_method", &[("parent-with-method", 30, 10, Some("G"))]),
    ("missing_points", &[("missing-points", 32, 8, Some("G1")), ("children-points-mismatch", 29, 10, Some("G"))]),
    ("points_not_allowed", &[("points-not-allowed", 142, 10, Some("X1"))]),
    ("missing_parameter", &[("missing-parameter", 48, 10, Some("G2"))]),
    ("ranking_without_step", &[("missing-parameter", 106, 10, Some("S1"))]),
    ("target_equals_floor", &[("target-equals-floor", 70, 9, Some("E1"))]),
    ("floor_wrong_side", &[("floor-wrong-side", 70, 9, Some("E1"))]),
    ("conflicting_parameters", &[("conflicting-parameters", 156, 10, Some("X2"))]),
    ("bands_unordered", &[("bands-unordered", 85, 11, Some("E2"))]),
    ("bands_overlap", &[("bands-overlap", 84, 20, Some("E2"))]),
    ("bands_gap", &[("bands-gap", 84, 20, Some("E2"))]),
    ("children_points_mismatch", &[("children-points-mismatch", 29, 10, Some("G"))]),
    ("total_points_mismatch", &[("total-points-mismatch", 7, 9, None), ("total-points-mismatch", 7, 9, None)]),
    ("rater_weights_sum", &[("rater-weights-sum", 9, 9, None)]),
    ("indicator_rater_weights_sum", &[("indicator-rater-weights-sum", 37, 10, Some("G1"))]),
    ("no_raters", &[("no-raters", 25, 10, Some("G1"))]),
    ("trim_unsupported", &[("trim-unsupported", 18, 13, None)]),
    ("unknown_rater", &[("unknown-rater", 37, 25, Some("G1"))]),
    ("unknown_category", &[("unknown-category", 60, 15, Some("E")), ("total-points-mismatch", 7, 9, None)]),
    ("no_grade_levels", &[("no-grade-levels", 175, 10, None), ("unknown-grade", 155, 13, Some("X2"))]),
    ("duplicate_grade", &[("duplicate-grade", 184, 8, None)]),
    ("grades_not_descending", &[("grades-not-descending", 185, 7, None)]),
    ("quota_out_of_range", &[("out-of-range", 181, 9, None)]),
    ("unknown_grade", &[("unknown-grade", 155, 13, Some("X2"))]),
    ("unknown_tie_break", &[("unknown-tie-break", 176, 24, None)]),
    ("ambiguous_tie_break", &[("ambiguous-tie-break", 176, 24, None)]),
    ("empty_code", &[("empty-code", 163, 8, None)]),
    ("unused_parameter", &[("unused-parameter", 37, 8, Some("G1"))]),
    ("smart_missing", &[("smart-missing", 44, 8, Some("G2"))]),
    ("process_share", &[("formalism-process-share", 20, 13, None), ("formalism-process-share", 23, 13, None)]),
    ("paperwork", &[("formalism-paperwork", 44, 8, Some("G2"))]),
    ("specific_dominant", &[("formalism-specific-dominant", 64, 8, Some("E1"))]),
];

#[test]
fn base_fixture_is_clean() {
    let (code, findings) = validate_json(&[data("validate/base.toml").to_str().unwrap()]);
    assert_eq!((code, findings.len()), (0, 0), "{findings:#?}");
}

#[test]
fn every_case_gives_exactly_its_findings() {
    let mut failures = Vec::new();
    for (name, expected) in CASES {
        let file = data(&format!("validate/{name}.toml"));
        let (code, findings) = validate_json(&[file.to_str().unwrap()]);
        let mut got = summary(&findings);
        let mut want: Vec<(String, i64, i64, Option<String>)> =
            expected.iter().map(|(c, l, col, i)| ((*c).to_owned(), *l, *col, i.map(str::to_owned))).collect();
        got.sort();
        want.sort();
        let errors = expected.iter().any(|(c, ..)| !is_warning(c));
        let want_exit = i32::from(errors);
        if got != want || code != want_exit {
            failures.push(format!("{name}: exit {code} (want {want_exit})\n  got  {got:?}\n  want {want:?}"));
        }
        for f in &findings {
            assert_eq!(f["file"].as_str(), Some(file.to_str().unwrap()), "{name}: file");
            assert!(!f["message"].as_str().unwrap_or_default().is_empty(), "{name}: message");
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

fn is_warning(code: &str) -> bool {
    code.starts_with("formalism-") || code == "smart-missing" || code == "unused-parameter"
}

#[test]
fn roster_categories_ids_and_names_are_checked() {
    let scheme = data("validate/base.toml");
    let (code, findings) =
        validate_json(&[scheme.to_str().unwrap(), "--roster", data("validate/roster_ok.csv").to_str().unwrap()]);
    assert_eq!((code, findings.len()), (0, 0), "{findings:#?}");

    let roster = data("validate/roster_bad.csv");
    let (code, findings) = validate_json(&[scheme.to_str().unwrap(), "--roster", roster.to_str().unwrap()]);
    assert_eq!(code, 1);
    let mut got = summary(&findings);
    got.sort();
    // line 3 col 3: 经济类; line 4 col 1: U01 again; line 5 col 3: empty category
    assert_eq!(
        got,
        vec![
            ("roster-duplicate-id".to_owned(), 4, 1, None),
            ("roster-missing-category".to_owned(), 5, 3, None),
            ("roster-unknown-category".to_owned(), 3, 3, None),
        ]
    );
    let unknown = findings.iter().find(|f| f["code"] == "roster-unknown-category").unwrap();
    assert_eq!(unknown["file"].as_str(), Some(roster.to_str().unwrap()));
    assert!(unknown["message"].as_str().unwrap().contains("经济发展类"), "suggests the closest category");
}

#[test]
fn roster_without_id_column_or_rows() {
    let scheme = data("validate/base.toml");
    for (file, code) in
        [("validate/roster_no_id.csv", "roster-missing-column"), ("validate/roster_empty.csv", "roster-empty")]
    {
        let (exit, findings) = validate_json(&[scheme.to_str().unwrap(), "--roster", data(file).to_str().unwrap()]);
        assert_eq!(exit, 1, "{file}");
        assert_eq!(findings.len(), 1, "{file}: {findings:#?}");
        assert_eq!(findings[0]["code"], code);
    }
}

#[test]
fn examples_are_valid_and_print_the_smart_table() {
    for ex in ["examples/units", "examples/staff"] {
        perf()
            .args(["validate", ex, "--deny-warnings"])
            .assert()
            .code(0)
            .stdout(
                predicate::str::contains("S 明确")
                    .and(predicate::str::contains("T 时限"))
                    .and(predicate::str::contains("✓")),
            )
            .stderr(predicate::str::contains("方案有效"));
    }
}

/// Copy an example workspace into a temp folder with one textual change to its scheme.
fn mutated_example(example: &str, old: &str, new: &str) -> tempfile::TempDir {
    let dir = tempdir();
    let src = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples").join(example);
    for f in ["perf.toml", "roster.csv", "scheme.toml"] {
        std::fs::copy(src.join(f), dir.path().join(f)).unwrap();
    }
    let scheme = dir.path().join("scheme.toml");
    let text = std::fs::read_to_string(&scheme).unwrap();
    assert_eq!(text.matches(old).count(), 1, "{old} must be unique");
    std::fs::write(&scheme, text.replace(old, new)).unwrap();
    dir
}

#[test]
fn changing_a_leafs_points_names_it_its_parent_and_category() {
    // E2 招商引资项目落地数 is at line 207 (code) and its parent E's points at line 188 of the example.
    let dir = mutated_example(
        "units",
        "name = \"招商引资项目落地数\"\npoints = 15",
        "name = \"招商引资项目落地数\"\npoints = 16",
    );
    let out = perf().args(["validate"]).arg(dir.path()).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("scheme.toml:188:10: 错误[children-points-mismatch]"), "{err}");
    assert!(err.contains("E2 16") && err.contains("指标 E「经济发展目标」") && err.contains("经济发展类"), "{err}");

    // A common leaf: its parent G3 applies to every category, so all four are named in one message.
    let dir = mutated_example(
        "units",
        "name = \"12345热线按时办结率\"\npoints = 5",
        "name = \"12345热线按时办结率\"\npoints = 4",
    );
    let (code, findings) = validate_json(&[dir.path().to_str().unwrap()]);
    assert_eq!(code, 1);
    assert_eq!(findings.len(), 1, "{findings:#?}");
    let msg = findings[0]["message"].as_str().unwrap();
    assert_eq!(findings[0]["indicator"], "G3");
    for needle in ["G3.1 4", "经济发展类", "社会民生类", "综合管理类", "执法监管类"] {
        assert!(msg.contains(needle), "{needle} in {msg}");
    }
}

#[test]
fn misspelt_key_in_an_example_is_named_with_a_suggestion() {
    // The line of E3's points is 230 (grep -n); `pionts` starts at column 1.
    let dir = mutated_example("units", "name = \"营商环境测评\"\npoints = 10", "name = \"营商环境测评\"\npionts = 10");
    let text = std::fs::read_to_string(dir.path().join("scheme.toml")).unwrap();
    let line = text[..text.find("pionts").unwrap()].lines().count() + 1;
    assert_eq!(line, 230);
    let (code, findings) = validate_json(&[dir.path().to_str().unwrap()]);
    assert_eq!(code, 1);
    assert_eq!(summary(&findings), vec![("unknown-key".to_owned(), 230, 1, None)]);
    assert!(findings[0]["message"].as_str().unwrap().contains("`pionts`，是否想写 `points`"));
}

#[test]
fn json_findings_have_the_documented_fields() {
    let (_, findings) = validate_json(&[data("validate/specific_dominant.toml").to_str().unwrap()]);
    let keys: Vec<&str> = findings[0].as_object().unwrap().keys().map(String::as_str).collect();
    let mut keys = keys;
    keys.sort_unstable();
    assert_eq!(keys, ["code", "column", "file", "indicator", "line", "message", "severity"]);
    assert_eq!(findings[0]["severity"], "warning");
}

#[test]
fn warnings_exit_zero_unless_denied() {
    let file = data("validate/smart_missing.toml");
    perf().arg("validate").arg(&file).assert().code(0).stdout(predicate::str::contains("✗"));
    perf().arg("validate").arg(&file).arg("--deny-warnings").assert().code(1);
}

#[test]
fn english_messages_with_lang_en() {
    perf()
        .args(["validate", "--lang", "en"])
        .arg(data("validate/unknown_key.toml"))
        .assert()
        .code(1)
        .stderr(predicate::str::contains("error[unknown-key]: unknown key `pionts`; did you mean `points`?"));
}

#[test]
fn workspace_language_and_roster_are_used() {
    // ws_ok says lang = "en" and names roster_bad.csv.
    perf()
        .arg("validate")
        .arg(data("validate/ws_ok"))
        .assert()
        .code(1)
        .stderr(predicate::str::contains("roster_bad.csv:3:3: error[roster-unknown-category]"));
}

#[test]
fn a_bad_workspace_file_is_a_usage_error_with_its_location() {
    let (code, findings) = validate_json(&[data("validate/ws_bad").to_str().unwrap()]);
    assert_eq!(code, 2);
    assert_eq!(summary(&findings), vec![("unknown-key".to_owned(), 2, 1, None)]);
    assert!(findings[0]["message"].as_str().unwrap().contains("roster"), "suggests roster");
}

#[test]
fn missing_files_are_io_errors() {
    perf().args(["validate", "no/such/scheme.toml"]).assert().code(2).stderr(predicate::str::contains("找不到文件"));
    perf().args(["validate", "tests/data"]).assert().code(2).stderr(predicate::str::contains("不是工作区"));
    perf()
        .args(["validate", "tests/data/validate/base.toml", "--roster", "no/such.csv"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("无法读取名册"));
    perf().args(["validate", "--format", "yaml"]).assert().code(2);
}

#[test]
fn junk_never_panics() {
    let dir = tempdir();
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        ("empty.toml", Vec::new(), "missing-key"),
        ("junk.toml", (0..=255u8).cycle().take(4096).collect(), "not-utf8"),
        ("gbk.toml", encoding_rs::GB18030.encode("[scheme]\nname = \"方案\"\n").0.into_owned(), "not-utf8"),
        ("nested.toml", format!("a = {}{}", "[".repeat(50_000), "]".repeat(50_000)).into_bytes(), "toml-syntax"),
    ];
    for (name, bytes, want) in cases {
        let path = dir.path().join(name);
        std::fs::write(&path, bytes).unwrap();
        let (code, findings) = validate_json(&[path.to_str().unwrap()]);
        assert_eq!(code, 1, "{name}");
        assert_eq!(findings[0]["code"], want, "{name}");
    }
}

#[test]
fn a_ten_thousand_deep_parent_chain_is_checked_without_recursion() {
    let mut text = String::from(
        "[scheme]\nname = \"深\"\nsubject = \"unit\"\nperiod = \"year\"\ntotal = 10\n\n[grades]\n[[grades.levels]]\nname = \"合格\"\nmin = 0\n",
    );
    let depth = 10_000;
    for i in 0..depth {
        text.push_str(&format!("\n[[indicators]]\ncode = \"I{i}\"\nname = \"第{i}层\"\npoints = 10\n"));
        if i > 0 {
            text.push_str(&format!("parent = \"I{}\"\n", i - 1));
        }
        if i == depth - 1 {
            text.push_str("method = \"boolean\"\n");
        }
    }
    let dir = tempdir();
    let path = dir.path().join("deep.toml");
    std::fs::write(&path, &text).unwrap();
    let (code, findings) = validate_json(&[path.to_str().unwrap()]);
    assert!(findings.iter().all(|f| f["severity"] == "warning"), "{findings:#?}");
    assert_eq!(code, 0);

    // The same chain closed into a cycle: one error, naming the cycle.
    let cyclic = text.replacen("code = \"I0\"\n", "code = \"I0\"\nparent = \"I9999\"\n", 1);
    std::fs::write(&path, cyclic).unwrap();
    let (code, findings) = validate_json(&[path.to_str().unwrap()]);
    assert_eq!(code, 1);
    let codes: Vec<&str> = findings.iter().map(|f| f["code"].as_str().unwrap()).collect();
    assert_eq!(codes, ["parent-cycle"]);
}

#[test]
fn validate_checks_the_roster_sanctions_against_the_annual_scheme() {
    let tmp = crate::util::tempdir();
    let ws = tmp.path().join("staff");
    for e in walkdir::WalkDir::new("examples/staff") {
        let e = e.unwrap();
        let target = ws.join(e.path().strip_prefix("examples/staff").unwrap());
        if e.file_type().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
        } else {
            std::fs::copy(e.path(), &target).unwrap();
        }
    }
    let roster =
        std::fs::read_to_string(ws.join("roster.csv")).unwrap().replace("四级主任科员,警告", "四级主任科员,警告处分");
    std::fs::write(ws.join("roster.csv"), roster).unwrap();
    let out = crate::util::perf().arg("validate").arg(&ws).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("unknown-sanction") && stderr.contains("警告处分") && stderr.contains("roster.csv!F28"),
        "{stderr}"
    );
}

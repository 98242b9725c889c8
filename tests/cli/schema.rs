//! `perf schema`: the checked-in schemas match the Rust types; `perf completions` and `perf man`.

use crate::util::perf;

fn check(which: &str, file: &str) {
    let out = perf().args(["schema", which]).output().expect("run");
    assert!(out.status.success());
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("schemas").join(file);
    let checked_in = std::fs::read_to_string(&path).expect("schema file");
    assert!(
        checked_in == String::from_utf8_lossy(&out.stdout),
        "{} drifted from the Rust types: run `cargo run -- schema {which} > schemas/{file}`",
        path.display()
    );
}

#[test]
fn scheme_schema_matches_the_types() {
    check("scheme", "scheme.schema.json");
}

#[test]
fn workspace_schema_matches_the_types() {
    check("workspace", "workspace.schema.json");
}

#[test]
fn example_schemes_point_editors_at_the_schema() {
    for ex in ["units", "staff"] {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples").join(ex).join("scheme.toml");
        let text = std::fs::read_to_string(path).expect("example");
        assert!(text.starts_with("#:schema ../../schemas/scheme.schema.json\n"));
    }
}

#[test]
fn completions_for_every_shell_and_a_man_page() {
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let out = perf().args(["completions", shell]).output().unwrap();
        assert_eq!(out.status.code(), Some(0), "{shell}");
        let text = String::from_utf8_lossy(&out.stdout);
        // Every subcommand is offered.
        for cmd in ["init", "validate", "import", "score", "explain", "report", "annual"] {
            assert!(text.contains(cmd), "{shell} lacks {cmd}");
        }
    }
    let out = perf().arg("man").output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains(".TH perf 1") && text.contains("score"), "{text}");
    perf().args(["completions", "tcsh"]).assert().code(2);
}

#[test]
fn the_command_list_fits_eighty_columns() {
    // `perf --help` lists each command with a one-line summary that fits an 80-column
    // terminal (CJK characters are two columns wide).
    let out = perf().env("COLUMNS", "80").arg("--help").output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    for line in text.lines() {
        let width: usize = line.chars().map(|c| if (c as u32) >= 0x2E80 { 2 } else { 1 }).sum();
        assert!(width <= 80, "{width}: {line}");
    }
}

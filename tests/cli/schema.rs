//! `perf schema`: the checked-in schemas match the Rust types.

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

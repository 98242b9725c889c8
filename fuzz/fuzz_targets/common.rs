// Shared by the fuzz targets: the units example's scheme and roster, and a sink that drops
// everything (the targets look for panics, hangs and memory blow-ups, not for output).
use perf::core::check::check_scheme;
use perf::core::diag::LineIndex;
use perf::core::import::ledger::{EntryRef, Issue, Sink};
use perf::core::roster::Roster;
use perf::core::scheme::Scheme;
use perf::core::scheme::doc::SchemeDoc;

pub fn units() -> (Scheme, Roster) {
    let text = include_str!("../../examples/units/scheme.toml");
    let doc: SchemeDoc = toml::from_str(text).unwrap();
    let scheme = check_scheme(&doc, &LineIndex::new(text)).scheme.unwrap();
    let roster = perf::io::roster::load(std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../examples/units/roster.csv")))
        .unwrap()
        .unwrap();
    (scheme, roster)
}

pub struct Drop;

impl Sink for Drop {
    fn entry(&mut self, _: EntryRef<'_>) {}
    fn issue(&mut self, _: Issue) {}
}

/// Write `data` to a per-process file with this name and import it.
///
/// perf catches panics inside third-party readers (`perf::catch_quietly`) and reports the file
/// as damaged; libFuzzer's own panic hook would abort first, so a hook that lets the panic
/// unwind is installed. A panic anywhere else still reaches libFuzzer's boundary and aborts.
pub fn import_file(name: &str, data: &[u8]) {
    use std::sync::{Once, OnceLock};
    static HOOK: Once = Once::new();
    HOOK.call_once(|| std::panic::set_hook(Box::new(|_| {})));
    static SETUP: OnceLock<(Scheme, Roster)> = OnceLock::new();
    let (scheme, roster) = SETUP.get_or_init(units);
    let dir = std::env::temp_dir().join(format!("perf-fuzz-{}", std::process::id()));
    let _ = std::fs::create_dir_all(&dir);
    let path = dir.join(name);
    if std::fs::write(&path, data).is_err() {
        return;
    }
    let mut importer = perf::core::import::ledger::Importer::new(scheme, roster, false);
    let mut summaries = Vec::new();
    perf::pipeline::read::import_file(
        &path,
        &Default::default(),
        scheme,
        &mut importer,
        perf::pipeline::read::Periods { flag: None, default: Some("2026Q1") },
        None,
        &[],
        &mut Drop,
        &mut summaries,
    );
}

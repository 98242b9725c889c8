#![no_main]
//! Any bytes as a scheme file: parse, check, lint. Never a panic, whatever the input.
use libfuzzer_sys::fuzz_target;
use perf::core::check::check_scheme;
use perf::core::diag::LineIndex;
use perf::core::scheme::doc::SchemeDoc;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data)
        && let Ok(doc) = toml::from_str::<SchemeDoc>(text)
    {
        let _ = check_scheme(&doc, &LineIndex::new(text));
    }
});

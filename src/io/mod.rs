//! Adapters between files and the domain core: text decoding, TOML files (schemes and
//! workspaces), rosters, and turning diagnostics into located, printable records.

use std::path::Path;

pub mod ledger;
pub mod located;
pub mod ods_extra;
pub mod output;
pub mod progress;
pub mod published;
pub mod report;
pub mod roster;
pub mod scheme_file;
pub mod table;
pub mod template;
pub mod term;
pub mod text;
pub mod toml_file;
pub mod workspace;
pub mod xls_extra;
pub mod xlsx_extra;

/// SHA-256 (hex) and size of a file, read in blocks.
pub fn sha256_file(path: &Path) -> anyhow::Result<(String, u64)> {
    use anyhow::Context as _;
    use sha2::Digest as _;
    let mut f = std::fs::File::open(path).with_context(|| path.display().to_string())?;
    let mut hasher = sha2::Sha256::new();
    let mut buf = vec![0u8; 64 * 1024];
    let mut bytes = 0u64;
    loop {
        let n = std::io::Read::read(&mut f, &mut buf)?;
        if n == 0 {
            break;
        }
        hasher.update(&buf[..n]);
        bytes += n as u64;
    }
    Ok((hasher.finalize().iter().map(|b| format!("{b:02x}")).collect(), bytes))
}

/// The most a settings file (a scheme, perf.toml, an annual rule set) may hold.
pub const MAX_SETTINGS_BYTES: u64 = 64 * 1024 * 1024;
/// The most a side file read whole (the history, quarterly results, decisions, unit results)
/// may hold.
pub const MAX_SIDE_FILE_BYTES: u64 = 256 * 1024 * 1024;

/// Read a file perf needs whole, noting it as an input: it must be a regular file (a pipe or
/// a device such as /dev/zero would block or never end) no larger than `limit`; the refusal
/// names the file and the limit. `what` names the file for people (方案文件, 历史文件 …).
pub fn read_whole(path: &Path, limit: u64, what: (&str, &str)) -> anyhow::Result<Vec<u8>> {
    use anyhow::Context as _;
    use std::io::Read as _;
    let (zh, en) = what;
    let meta = std::fs::metadata(path).with_context(|| {
        crate::tr(&format!("无法读取{zh} {}", path.display()), &format!("cannot read the {en} {}", path.display()))
    })?;
    if !meta.is_file() {
        anyhow::bail!(crate::tr(
            &format!("{zh} {} 不是普通文件（管道或设备），请给出文件", path.display()),
            &format!("the {en} {} is not a regular file (a pipe or a device): name a file", path.display())
        ));
    }
    if meta.len() > limit {
        anyhow::bail!(crate::tr(
            &format!("{zh} {} 有 {} MB，超过 {} MB 的上限", path.display(), meta.len() >> 20, limit >> 20),
            &format!("the {en} {} is {} MB, over the {} MB limit", path.display(), meta.len() >> 20, limit >> 20)
        ));
    }
    crate::io::output::note_input(path);
    let mut bytes = Vec::new();
    std::fs::File::open(path).and_then(|f| f.take(limit + 1).read_to_end(&mut bytes)).with_context(|| {
        crate::tr(&format!("无法读取{zh} {}", path.display()), &format!("cannot read the {en} {}", path.display()))
    })?;
    if bytes.len() as u64 > limit {
        anyhow::bail!(crate::tr(
            &format!("{zh} {} 超过 {} MB 的上限", path.display(), limit >> 20),
            &format!("the {en} {} is over the {} MB limit", path.display(), limit >> 20)
        ));
    }
    Ok(bytes)
}

/// CSV injection guard (OWASP): a text cell starting with `=`, `+`, `-`, `@`, tab or carriage
/// return gets a leading apostrophe, so a spreadsheet shows it as text and never runs it as a
/// formula. Numeric columns are written as they are. [`csv_unsafe`] undoes it when perf reads
/// its own ledger back.
pub fn csv_safe(s: &str) -> std::borrow::Cow<'_, str> {
    if needs_guard(s) { format!("'{s}").into() } else { s.into() }
}

/// Starts with a formula character, possibly behind apostrophes (so that a text that really
/// begins with an apostrophe still reads back unchanged).
fn needs_guard(s: &str) -> bool {
    s.starts_with(['=', '+', '-', '@', '\t', '\r']) || s.strip_prefix('\'').is_some_and(needs_guard)
}

/// A cell of a CSV output: a number as it is (a spreadsheet reads `-0.5` as a number, never
/// as a formula), any other text through [`csv_safe`].
pub fn csv_cell(s: &str) -> std::borrow::Cow<'_, str> {
    if s.parse::<rust_decimal::Decimal>().is_ok() { s.into() } else { csv_safe(s) }
}

/// The inverse of [`csv_safe`].
pub fn csv_unsafe(s: &str) -> &str {
    match s.strip_prefix('\'') {
        Some(rest) if needs_guard(rest) => rest,
        _ => s,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn numbers_stay_numbers_and_ids_are_defused() {
        assert_eq!(csv_cell("-0.5"), "-0.5");
        assert_eq!(csv_cell("+3"), "+3");
        assert_eq!(csv_cell("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(csv_cell("-2+3+cmd|' /C calc'!A0"), "'-2+3+cmd|' /C calc'!A0");
    }

    #[test]
    fn formula_like_text_is_defused() {
        assert_eq!(csv_safe("=1+1"), "'=1+1");
        assert_eq!(csv_safe("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(csv_safe("区财政局"), "区财政局");
        assert_eq!(csv_unsafe("'=1+1"), "=1+1");
        assert_eq!(csv_unsafe("'abc"), "'abc");
        assert_eq!(csv_unsafe(&csv_safe("'=x")), "'=x");
    }

    proptest! {
        #[test]
        fn safe_then_unsafe_is_the_identity(s in ".*") {
            let safe = csv_safe(&s);
            prop_assert_eq!(csv_unsafe(&safe), s.as_str());
        }
    }
}

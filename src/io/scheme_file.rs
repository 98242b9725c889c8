//! Loading a scheme file: read, decode, parse, check.

use crate::core::check::{Checked, check_scheme};
use crate::core::diag::{Diagnostic, Source};
use crate::core::scheme::doc::SchemeDoc;
use crate::io::toml_file::{self, TomlText};
use anyhow::Result;
use std::path::{Path, PathBuf};

/// A scheme file after reading and checking.
#[derive(Debug)]
pub struct LoadedScheme {
    pub path: PathBuf,
    /// The decoded text, when it was text.
    pub text: Option<TomlText>,
    /// Present when the file parsed into the scheme's shape.
    pub checked: Option<Checked>,
    /// Every finding (the parse error, or the checks' and lints' findings).
    pub diagnostics: Vec<Diagnostic>,
}

/// Read and check the scheme at `path`. I/O failures are errors; problems in the file are
/// diagnostics.
pub fn load(path: &Path) -> Result<LoadedScheme> {
    let bytes = crate::io::read_whole(path, crate::io::MAX_SETTINGS_BYTES, ("方案文件", "scheme"))?;
    Ok(match toml_file::parse::<SchemeDoc>(&bytes, Source::Scheme) {
        Ok((doc, text)) => {
            let checked = check_scheme(&doc, &text.lines);
            let diagnostics = checked.diagnostics.clone();
            LoadedScheme { path: path.to_path_buf(), text: Some(text), checked: Some(checked), diagnostics }
        }
        Err(f) => {
            LoadedScheme { path: path.to_path_buf(), text: f.text, checked: None, diagnostics: vec![f.diagnostic] }
        }
    })
}

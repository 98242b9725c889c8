//! Colour on the terminal: the words 错误/error in red, 警告/warning in yellow and
//! 提示/note in cyan, on standard error only. `--color auto` (the default) colours only when
//! standard error is a terminal and `NO_COLOR` is not set; `always` and `never` decide
//! outright. Data on standard output is never coloured.

use crate::core::diag::Severity;
use std::sync::atomic::{AtomicBool, Ordering};

/// When to colour messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum ColorChoice {
    // (No doc comments: clap would show them under --help in one language only; the option's
    // own help says what each choice does, in both.)
    #[default]
    Auto,
    Always,
    Never,
}

static ON: AtomicBool = AtomicBool::new(false);

/// Decide once, at start-up, whether messages are coloured.
pub fn set(choice: ColorChoice) {
    use std::io::IsTerminal;
    let on = match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()) && std::io::stderr().is_terminal()
        }
    };
    ON.store(on, Ordering::Relaxed);
}

/// Whether messages are coloured.
pub fn on() -> bool {
    ON.load(Ordering::Relaxed)
}

/// A severity's word, coloured when colour is on.
pub fn severity(severity: Severity, word: &str) -> String {
    if !on() {
        return word.to_owned();
    }
    let colour = match severity {
        Severity::Error => anstyle::AnsiColor::Red,
        Severity::Warning => anstyle::AnsiColor::Yellow,
        Severity::Info => anstyle::AnsiColor::Cyan,
    };
    let style = anstyle::Style::new().fg_color(Some(colour.into())).bold();
    format!("{style}{word}{style:#}")
}

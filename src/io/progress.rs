//! Progress on long reads: one bar of bytes read across every input file of a run (a 1M-row
//! ledger moves it as it is read, not only when it is done), with the file being read. Drawn
//! on standard error only when that is a terminal; hidden otherwise, and cleared when done.

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::Read;
use std::path::PathBuf;
use std::sync::Mutex;

static BAR: Mutex<Option<ProgressBar>> = Mutex::new(None);

/// The bar of a run's reading; cleared when dropped.
pub struct Reading;

/// Start the bar for reading `files` (their sizes make the total).
pub fn start(files: &[PathBuf]) -> Reading {
    use std::io::IsTerminal;
    let total: u64 = files.iter().filter_map(|f| std::fs::metadata(f).ok()).map(|m| m.len()).sum();
    let bar = if std::io::stderr().is_terminal() {
        ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::stderr())
    } else {
        ProgressBar::hidden()
    };
    if let Ok(style) = ProgressStyle::with_template("{bar:30} {bytes}/{total_bytes} {wide_msg}") {
        bar.set_style(style);
    }
    if let Ok(mut slot) = BAR.lock() {
        *slot = Some(bar);
    }
    Reading
}

impl Drop for Reading {
    fn drop(&mut self) {
        if let Ok(mut slot) = BAR.lock()
            && let Some(bar) = slot.take()
        {
            bar.finish_and_clear();
        }
    }
}

/// Name the file being read.
pub fn reading(name: &str) {
    if let Some(bar) = current() {
        bar.set_message(name.to_owned());
    }
}

fn current() -> Option<ProgressBar> {
    BAR.lock().ok().and_then(|b| b.clone())
}

/// Move the bar by bytes read without [`counted`] (a file's first bytes, read to sniff it).
pub fn advance(bytes: u64) {
    if let Some(bar) = current() {
        bar.inc(bytes);
    }
}

/// `inner`, moving the bar by every byte read from it.
pub fn counted<R: Read>(inner: R) -> Counted<R> {
    Counted { inner, bar: current() }
}

/// A reader that moves the progress bar.
pub struct Counted<R> {
    inner: R,
    bar: Option<ProgressBar>,
}

impl<R: Read> Read for Counted<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        if let Some(bar) = &self.bar {
            bar.inc(n as u64);
        }
        Ok(n)
    }
}

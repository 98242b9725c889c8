//! Every file perf writes goes through here: an output is never one of the run's inputs
//! (by canonical path or by device and inode), two outputs of one run are never the same
//! file, and an output appears under its name only when complete.
//!
//! * `-` is standard output; an existing device or FIFO (`/dev/null`, `/dev/stdout`) is
//!   written in place, never replaced; a symlink is followed and its target written.
//! * Everything else is written to a temporary file with a random name, created exclusively
//!   in the target's folder (`tempfile`), synced and renamed over the target by `commit`; it
//!   is removed on every error path, on drop, and on Ctrl-C or SIGTERM (a signal-hook thread
//!   removes the live temporary files before the process exits).
//! * Inputs are noted as they are found or opened ([`note_input`]); the check runs when an
//!   output is created ([`OutputFile::create`]) and, for outputs that belong together, before
//!   anything is written ([`check_distinct`]).

use crate::tr;
use anyhow::{Context, Result, bail};
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// What identifies a file: its canonical path and, when it exists, device and inode (so a
/// hard link or another spelling of the path is the same file).
#[derive(Debug, Clone, PartialEq, Eq)]
struct Identity {
    canonical: PathBuf,
    node: Option<(u64, u64)>,
}

impl Identity {
    fn of(path: &Path) -> Option<Identity> {
        let canonical = path.canonicalize().ok().or_else(|| {
            let parent = path.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
            parent.canonicalize().ok().map(|d| d.join(path.file_name().unwrap_or_default()))
        });
        // A path in a folder that does not exist yet: compared as written, made absolute.
        let canonical = canonical.or_else(|| lexical(path))?;
        Some(Identity { node: node(path), canonical })
    }

    fn same(&self, other: &Identity) -> bool {
        self.canonical == other.canonical || (self.node.is_some() && self.node == other.node)
    }
}

/// An absolute path with `.` and `..` resolved by their names.
fn lexical(path: &Path) -> Option<PathBuf> {
    use std::path::Component;
    let abs = if path.is_absolute() { path.to_path_buf() } else { std::env::current_dir().ok()?.join(path) };
    let mut out = PathBuf::new();
    for c in abs.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    Some(out)
}

/// Whether a path names an existing file that is not a regular one (a device, a FIFO): such
/// an output may be named more than once (`-o /dev/null --issues /dev/null`).
fn special(path: &Path) -> bool {
    std::fs::metadata(path).is_ok_and(|m| !m.is_file() && !m.is_dir())
}

#[cfg(unix)]
fn node(path: &Path) -> Option<(u64, u64)> {
    use std::os::unix::fs::MetadataExt;
    std::fs::metadata(path).ok().map(|m| (m.dev(), m.ino()))
}

#[cfg(not(unix))]
fn node(_: &Path) -> Option<(u64, u64)> {
    None
}

static INPUTS: Mutex<Vec<(Identity, PathBuf)>> = Mutex::new(Vec::new());
static OUTPUTS: Mutex<Vec<Identity>> = Mutex::new(Vec::new());
/// Temporary files not yet committed, removed if a signal ends the process.
static TEMPS: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

/// Standard input given as `-`, copied to a temporary file so that every reader (sniffing,
/// re-opening a ledger, a workbook read whole) sees a file; removed when the run ends.
static STDIN_COPY: Mutex<Option<tempfile::TempPath>> = Mutex::new(None);

/// Copy standard input to a temporary file (once a run) and give its path.
pub fn stdin_copy() -> Result<PathBuf> {
    let mut slot = STDIN_COPY.lock().map_err(|_| anyhow::anyhow!("stdin copy"))?;
    if slot.is_some() {
        bail!(tr("标准输入（-）只能给一次", "standard input (-) can be given only once"));
    }
    let mut file = tempfile::Builder::new().prefix("perf-stdin-").tempfile()?;
    if let Ok(mut temps) = TEMPS.lock() {
        temps.push(file.path().to_path_buf());
    }
    std::io::copy(&mut std::io::stdin().lock(), &mut file)
        .with_context(|| tr("无法读取标准输入", "cannot read standard input"))?;
    let path = file.into_temp_path();
    let shown = path.to_path_buf();
    *slot = Some(path);
    Ok(shown)
}

/// Whether `path` is the copy of standard input (shown as `-`).
pub fn is_stdin_copy(path: &Path) -> bool {
    STDIN_COPY.lock().is_ok_and(|s| s.as_ref().is_some_and(|t| **t == *path))
}

/// Remove the copy of standard input (the end of a run).
pub fn remove_stdin_copy() {
    if let Ok(mut slot) = STDIN_COPY.lock()
        && let Some(path) = slot.take()
    {
        if let Ok(mut temps) = TEMPS.lock() {
            temps.retain(|t| *t != *path);
        }
        drop(path);
    }
}

/// Note a file the run reads (a data file, the scheme, the roster, perf.toml, a ledger,
/// the history …): no output may be it. Devices and FIFOs are not noted (`/dev/stdin` as an
/// input and `/dev/null` as an output are not the same thing to protect).
pub fn note_input(path: &Path) {
    if !std::fs::metadata(path).is_ok_and(|m| m.is_file()) {
        return;
    }
    if let Some(id) = Identity::of(path)
        && let Ok(mut inputs) = INPUTS.lock()
        && !inputs.iter().any(|(i, _)| i.same(&id))
    {
        inputs.push((id, path.to_path_buf()));
    }
}

/// Refuse outputs of one run that are the same file, before any is written.
pub fn check_distinct(outputs: &[&Path]) -> Result<()> {
    let ids: Vec<(Identity, &Path)> = outputs
        .iter()
        .filter(|p| p.as_os_str() != "-" && !special(p))
        .filter_map(|p| Identity::of(p).map(|i| (i, *p)))
        .collect();
    for (k, (a, pa)) in ids.iter().enumerate() {
        if let Some((_, pb)) = ids[k + 1..].iter().find(|(b, _)| a.same(b)) {
            bail!(tr(
                &format!("两个输出 {} 和 {} 是同一个文件：请分别指定", pa.display(), pb.display()),
                &format!("the outputs {} and {} are the same file: name them apart", pa.display(), pb.display())
            ));
        }
    }
    Ok(())
}

/// Refuse an output that is one of the run's inputs (unless it is the file the run means to
/// update, `replaces`) or an output already written by this run.
fn check_output(path: &Path, replaces: bool) -> Result<()> {
    let Some(id) = Identity::of(path) else { return Ok(()) };
    if !replaces
        && let Ok(inputs) = INPUTS.lock()
        && let Some((_, input)) = inputs.iter().find(|(i, _)| i.same(&id))
    {
        bail!(tr(
            &format!("输出文件 {} 就是输入文件 {}：拒绝覆盖输入，请换一个输出文件名", path.display(), input.display()),
            &format!(
                "the output {} is the input {}: refusing to overwrite an input; choose another output name",
                path.display(),
                input.display()
            )
        ));
    }
    if special(path) {
        return Ok(());
    }
    let mut outputs = OUTPUTS.lock().map_err(|_| anyhow::anyhow!("output registry"))?;
    if outputs.iter().any(|o| o.same(&id)) {
        bail!(tr(
            &format!("{} 在这次运行中已经写过一次：两个输出不能是同一个文件", path.display()),
            &format!("{} was already written by this run: two outputs cannot be the same file", path.display())
        ));
    }
    outputs.push(id);
    Ok(())
}

/// Remove the live temporary files and end the process when Ctrl-C or SIGTERM arrives.
pub fn install_signal_cleanup() {
    #[cfg(unix)]
    {
        use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
        if let Ok(mut signals) = signal_hook::iterator::Signals::new([SIGINT, SIGTERM, SIGHUP]) {
            std::thread::spawn(move || {
                if let Some(sig) = signals.forever().next() {
                    if let Ok(temps) = TEMPS.lock() {
                        for t in temps.iter() {
                            let _ = std::fs::remove_file(t);
                        }
                    }
                    std::process::exit(128 + sig);
                }
            });
        }
    }
}

enum Target {
    /// A temporary file renamed over `dest` by `commit`.
    Temp { file: Option<BufWriter<tempfile::NamedTempFile>>, dest: PathBuf },
    /// Standard output, a device or a FIFO: written in place.
    Direct(BufWriter<Box<dyn Write>>),
}

/// An output being written.
pub struct OutputFile {
    target: Target,
    /// SHA-256 of everything written, for outputs that must be recognised as a pair.
    digest: sha2::Sha256,
}

impl OutputFile {
    /// Start writing `dest`; refused if `dest` is one of the run's inputs.
    pub fn create(dest: &Path) -> Result<Self> {
        Self::open(dest, false)
    }

    /// Start writing `dest`, which the run read on purpose to update it (the ledger with
    /// `--append`, the history with `--update-history`).
    pub fn replace(dest: &Path) -> Result<Self> {
        Self::open(dest, true)
    }

    fn open(dest: &Path, replaces: bool) -> Result<Self> {
        if dest.as_os_str() == "-" {
            return Ok(OutputFile::new(Target::Direct(BufWriter::new(Box::new(std::io::stdout())))));
        }
        let cannot = |p: &Path| tr(&format!("无法写入 {}", p.display()), &format!("cannot write {}", p.display()));
        check_output(dest, replaces)?;
        // A device or a FIFO is written where it is; so is anything under /dev or /proc
        // (`-o /dev/stdout` while stdout is a file must not become a new file in /proc).
        let special = dest.starts_with("/dev/") || dest.starts_with("/proc/");
        if let Ok(m) = std::fs::metadata(dest)
            && (!m.is_file() || special)
        {
            if m.is_dir() {
                bail!(tr(
                    &format!("{} 是文件夹，不能作为输出文件", dest.display()),
                    &format!("{} is a folder, not an output file", dest.display())
                ));
            }
            let f = std::fs::OpenOptions::new().write(true).open(dest).with_context(|| cannot(dest))?;
            return Ok(OutputFile::new(Target::Direct(BufWriter::new(Box::new(f)))));
        }
        // A symlink: its target is written (atomically), the link stays.
        let dest = match std::fs::symlink_metadata(dest) {
            Ok(m) if m.file_type().is_symlink() => match std::fs::read_link(dest) {
                Ok(t) if t.is_absolute() => t,
                Ok(t) => dest.parent().unwrap_or(Path::new(".")).join(t),
                Err(_) => dest.to_path_buf(),
            },
            _ => dest.to_path_buf(),
        };
        let dir = dest.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
        std::fs::create_dir_all(dir).with_context(|| {
            tr(&format!("无法创建文件夹 {}", dir.display()), &format!("cannot create {}", dir.display()))
        })?;
        let name = dest.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        reap_dead_temps(dir, &name);
        let tmp = tempfile::Builder::new()
            .prefix(&format!(".{name}."))
            .suffix(".perf-tmp")
            .tempfile_in(dir)
            .with_context(|| cannot(&dest))?;
        lock_temp(tmp.as_file());
        if let Ok(mut temps) = TEMPS.lock() {
            temps.push(tmp.path().to_path_buf());
        }
        Ok(OutputFile::new(Target::Temp { file: Some(BufWriter::new(tmp)), dest }))
    }

    fn new(target: Target) -> Self {
        OutputFile { target, digest: sha2::Digest::new() }
    }

    /// SHA-256 (hex) of what has been written so far.
    pub fn sha256(&self) -> String {
        sha2::Digest::finalize(self.digest.clone()).iter().map(|b| format!("{b:02x}")).collect()
    }

    /// Where the content is while it is being written (`None` when written in place).
    pub fn tmp_path(&self) -> Option<&Path> {
        match &self.target {
            Target::Temp { file: Some(f), .. } => Some(f.get_ref().path()),
            _ => None,
        }
    }

    /// Flush and sync the content without putting it in place yet: outputs that belong
    /// together (a ledger and its issues list) are all prepared before the first is committed,
    /// so a full disk or a write error leaves every old file as it was.
    pub fn prepare(&mut self) -> Result<()> {
        match &mut self.target {
            Target::Direct(w) => Ok(w.flush()?),
            Target::Temp { file: Some(f), .. } => {
                f.flush()?;
                Ok(f.get_ref().as_file().sync_all()?)
            }
            Target::Temp { file: None, .. } => Ok(()),
        }
    }

    /// Flush, sync and rename over the destination (or flush a stream written in place).
    pub fn commit(mut self) -> Result<()> {
        match &mut self.target {
            Target::Direct(w) => Ok(w.flush()?),
            Target::Temp { file, dest } => {
                let Some(w) = file.take() else { return Ok(()) };
                let tmp = w.into_inner().map_err(|e| e.into_error())?;
                tmp.as_file().sync_all()?;
                let path = tmp.path().to_path_buf();
                let result = tmp.persist(&*dest).map(|_| ()).map_err(|e| {
                    anyhow::Error::new(e.error).context(tr(
                        &format!("无法写入 {}", dest.display()),
                        &format!("cannot write {}", dest.display()),
                    ))
                });
                forget_temp(&path);
                result
            }
        }
    }
}

/// Hold an exclusive lock on a temporary file while it is written, so that a later run can
/// tell it from one left by a process that was killed (`kill -9` cannot be caught).
fn lock_temp(file: &std::fs::File) {
    #[cfg(unix)]
    {
        use std::os::fd::AsRawFd;
        // SAFETY: flock only takes the descriptor, which `file` keeps open.
        unsafe {
            libc::flock(file.as_raw_fd(), libc::LOCK_EX | libc::LOCK_NB);
        }
    }
    #[cfg(not(unix))]
    let _ = file;
}

/// Remove the temporary files of earlier runs for this output that were killed before they
/// could clean up: `.NAME.*.perf-tmp`, a regular file (never a link), not locked by a live
/// writer and older than a few seconds (a writer locks its file just after creating it).
fn reap_dead_temps(dir: &Path, name: &str) {
    #[cfg(unix)]
    {
        use std::os::fd::AsRawFd;
        use std::os::unix::fs::OpenOptionsExt;
        let Ok(entries) = std::fs::read_dir(dir) else { return };
        let prefix = format!(".{name}.");
        for entry in entries.flatten() {
            let file_name = entry.file_name();
            let Some(n) = file_name.to_str() else { continue };
            if !n.starts_with(&prefix) || !n.ends_with(".perf-tmp") || n.len() <= prefix.len() + ".perf-tmp".len() {
                continue;
            }
            let path = entry.path();
            let Ok(meta) = std::fs::symlink_metadata(&path) else { continue };
            let old = meta.modified().ok().and_then(|m| m.elapsed().ok()).is_some_and(|age| age.as_secs() >= 5);
            if !meta.is_file() || !old {
                continue;
            }
            let Ok(f) = std::fs::OpenOptions::new().read(true).custom_flags(libc::O_NOFOLLOW).open(&path) else {
                continue;
            };
            // SAFETY: flock only takes the descriptor, which `f` keeps open.
            if unsafe { libc::flock(f.as_raw_fd(), libc::LOCK_EX | libc::LOCK_NB) } == 0 {
                let _ = std::fs::remove_file(&path);
            }
        }
    }
    #[cfg(not(unix))]
    let _ = (dir, name);
}

fn forget_temp(path: &Path) {
    if let Ok(mut temps) = TEMPS.lock() {
        temps.retain(|t| t != path);
    }
}

impl Write for OutputFile {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let n = match &mut self.target {
            Target::Direct(w) => w.write(buf)?,
            Target::Temp { file: Some(f), .. } => f.write(buf)?,
            Target::Temp { file: None, .. } => return Err(std::io::Error::other("already committed")),
        };
        sha2::Digest::update(&mut self.digest, &buf[..n]);
        Ok(n)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        match &mut self.target {
            Target::Direct(w) => w.flush(),
            Target::Temp { file: Some(f), .. } => f.flush(),
            Target::Temp { file: None, .. } => Ok(()),
        }
    }
}

impl Drop for OutputFile {
    fn drop(&mut self) {
        // An uncommitted temporary file is removed by NamedTempFile's own drop.
        if let Target::Temp { file: Some(f), .. } = &self.target {
            forget_temp(f.get_ref().path());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn another_spelling_or_a_hard_link_is_the_same_file() {
        let dir = tempfile::tempdir().unwrap();
        let a = dir.path().join("a.csv");
        std::fs::write(&a, "x").unwrap();
        let b = dir.path().join("b.csv");
        std::fs::hard_link(&a, &b).unwrap();
        let ia = Identity::of(&a).unwrap();
        assert!(ia.same(&Identity::of(&b).unwrap()));
        assert!(ia.same(&Identity::of(&dir.path().join(".").join("a.csv")).unwrap()));
        assert!(!ia.same(&Identity::of(&dir.path().join("c.csv")).unwrap()));
        // In folders that do not exist yet: compared by name.
        let new = dir.path().join("new/x.csv");
        assert!(Identity::of(&new).unwrap().same(&Identity::of(&dir.path().join("new/./sub/../x.csv")).unwrap()));
    }

    /// A symlink planted where an older perf put its temporary file (`.NAME.PID.perf-tmp`)
    /// is not followed: temporary names are random and created exclusively.
    #[cfg(unix)]
    #[test]
    fn a_planted_temp_name_symlink_is_not_followed() {
        let dir = tempfile::tempdir().unwrap();
        let victim = dir.path().join("victim.txt");
        std::fs::write(&victim, "keep").unwrap();
        let planted = dir.path().join(format!(".out.csv.{}.perf-tmp", std::process::id()));
        std::os::unix::fs::symlink(&victim, &planted).unwrap();
        let mut f = OutputFile::create(&dir.path().join("out.csv")).unwrap();
        assert_ne!(f.tmp_path(), Some(planted.as_path()));
        f.write_all(b"new").unwrap();
        f.commit().unwrap();
        assert_eq!(std::fs::read_to_string(&victim).unwrap(), "keep");
        assert_eq!(std::fs::read_to_string(dir.path().join("out.csv")).unwrap(), "new");
    }

    #[test]
    fn an_uncommitted_output_leaves_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let dest = dir.path().join("out.csv");
        let mut f = OutputFile::create(&dest).unwrap();
        f.write_all(b"half").unwrap();
        drop(f);
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
        let mut f = OutputFile::create(&dir.path().join("whole.csv")).unwrap();
        f.write_all(b"whole").unwrap();
        f.commit().unwrap();
        let names: Vec<String> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assert_eq!(names, ["whole.csv"]);
    }

    /// A temporary file left by a run killed with `kill -9` is removed by the next run for the
    /// same output; one a live writer holds, a fresh one, and a link are left alone.
    #[cfg(unix)]
    #[test]
    fn temporary_files_of_killed_runs_are_removed_by_the_next_run() {
        let dir = tempfile::tempdir().unwrap();
        let dest = dir.path().join("out.csv");
        let an_hour_ago = std::time::SystemTime::now() - std::time::Duration::from_secs(3600);
        let dead = dir.path().join(".out.csv.Ab3dE9.perf-tmp");
        std::fs::write(&dead, "left by a killed run").unwrap();
        std::fs::File::options().write(true).open(&dead).unwrap().set_modified(an_hour_ago).unwrap();
        let fresh = dir.path().join(".out.csv.Zz9yX1.perf-tmp");
        std::fs::write(&fresh, "being created just now").unwrap();
        let other = dir.path().join(".other.csv.Ab3dE9.perf-tmp");
        std::fs::write(&other, "another output's").unwrap();
        std::fs::File::options().write(true).open(&other).unwrap().set_modified(an_hour_ago).unwrap();
        let victim = dir.path().join("victim.txt");
        std::fs::write(&victim, "keep").unwrap();
        let link = dir.path().join(".out.csv.Lk0000.perf-tmp");
        std::os::unix::fs::symlink(&victim, &link).unwrap();
        // A live writer (another process): its temporary file is old but locked.
        let live_tmp = dir.path().join(".out.csv.Lv1234.perf-tmp");
        std::fs::write(&live_tmp, "live").unwrap();
        let held = std::fs::File::options().write(true).open(&live_tmp).unwrap();
        held.set_modified(an_hour_ago).unwrap();
        lock_temp(&held);

        let mut next = OutputFile::create(&dest).unwrap();
        next.write_all(b"next").unwrap();
        assert!(!dead.exists(), "the killed run's file is removed");
        assert!(fresh.exists() && other.exists() && live_tmp.exists());
        assert!(std::fs::symlink_metadata(&link).is_ok());
        assert_eq!(std::fs::read_to_string(&victim).unwrap(), "keep");
        next.commit().unwrap();
        assert_eq!(std::fs::read_to_string(&dest).unwrap(), "next");
        drop(held);
    }
}

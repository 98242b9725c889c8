//! `perf completions SHELL` and `perf man`: shell completion scripts (clap_complete) and the
//! man page (clap_mangen), written to standard output.

use crate::Exit;
use clap::CommandFactory;
use std::io::Write;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// 哪种 shell。Which shell.
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

pub fn run(args: &Args) -> anyhow::Result<Exit> {
    let mut cmd = crate::cli::Cli::command();
    let mut out = Vec::new();
    clap_complete::generate(args.shell, &mut cmd, "perf", &mut out);
    std::io::stdout().lock().write_all(&out)?;
    Ok(Exit::Ok)
}

#[derive(Debug, clap::Args)]
pub struct ManArgs {}

pub fn run_man(_: &ManArgs) -> anyhow::Result<Exit> {
    let mut out = Vec::new();
    clap_mangen::Man::new(crate::cli::Cli::command()).render(&mut out)?;
    std::io::stdout().lock().write_all(&out)?;
    Ok(Exit::Ok)
}

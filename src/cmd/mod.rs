//! One module per subcommand (it parses its arguments, calls `crate::pipeline` and formats
//! the output; no command module imports another), `common` for the formatting they share;
//! [`dispatch`] runs the one the user chose.

pub mod annual;
pub mod common;
pub mod completions;
pub mod explain;
pub mod import;
pub mod init;
pub mod report;
pub mod schema;
pub mod score;
pub mod template;
pub mod validate;

use crate::Exit;
use crate::cli::{Cli, Command};

/// Run the chosen subcommand.
pub fn dispatch(cli: Cli) -> anyhow::Result<Exit> {
    match cli.command {
        Command::Init(args) => init::run(&args, cli.lang),
        Command::Validate(args) => validate::run(&args, cli.lang),
        Command::Schema(args) => schema::run(&args),
        Command::Completions(args) => completions::run(&args),
        Command::Man(args) => completions::run_man(&args),
        Command::Import(args) => import::run(&args, cli.lang),
        Command::Score(args) => score::run(&args, cli.lang),
        Command::Explain(args) => explain::run(&args, cli.lang),
        Command::Report(args) => report::run(&args, cli.lang),
        Command::Annual(args) => annual::run(&args, cli.lang),
        Command::Template(args) => template::run(&args, cli.lang),
    }
}

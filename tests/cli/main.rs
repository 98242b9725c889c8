//! Integration tests of the `perf` binary, one module per subcommand.

mod annual;
mod bad;
mod durability;
mod exact;
mod import;
mod import_cases;
mod init;
mod language;
mod print;
mod report;
mod safety;
mod schema;
mod score;
mod template;
mod util;
mod validate;

//! Integration tests of the `perf` binary, one module per subcommand.

mod import;
mod schema;
mod util;
mod validate;

//! Integration tests of the `perf` binary, one module per subcommand.

mod schema;
mod util;
mod validate;

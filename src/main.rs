//! The `perf` binary: everything lives in the library.

fn main() -> std::process::ExitCode {
    perf::run(std::env::args_os())
}

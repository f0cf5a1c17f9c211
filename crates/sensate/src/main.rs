//! The `sensate` command. Everything lives in the library so tests can drive it.

fn main() -> std::process::ExitCode {
    sensate::cli::run()
}

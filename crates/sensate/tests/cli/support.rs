//! Running the real binary.

use std::net::TcpListener;
use std::path::Path;
use std::process::{Command, Output};

pub fn sensate() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_sensate"));
    // Settings come only from what each test gives.
    for key in [
        "SENSATE_CONFIG",
        "SENSATE_LISTEN",
        "SENSATE_DATA_DIR",
        "SENSATE_DATABASE_URL",
        "SENSATE_METRICS_LISTEN",
        "SENSATE_TLS_CERT",
        "SENSATE_TLS_KEY",
        "SENSATE_TRUSTED_PROXIES",
        "SENSATE_LOG_FORMAT",
        "RUST_LOG",
    ] {
        command.env_remove(key);
    }
    command
}

pub fn run(args: &[&str]) -> Output {
    sensate().args(args).output().expect("run sensate")
}

pub fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

pub fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// A loopback port nothing is listening on (as of now).
pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// A private temporary data directory.
pub fn data_dir() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    set_mode(dir.path(), 0o700);
    dir
}

pub fn set_mode(path: &Path, mode: u32) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
}

/// A running server's stdout and stderr, read on their own threads as they come: at
/// debug level a server writes more than a pipe holds, and an unread full pipe would
/// stall it mid-request.
pub struct Drained {
    stdout: std::thread::JoinHandle<Vec<u8>>,
    stderr: std::thread::JoinHandle<Vec<u8>>,
}

impl Drained {
    /// Starts reading a child spawned with both streams piped.
    pub fn start(child: &mut std::process::Child) -> Self {
        fn read(mut pipe: impl std::io::Read + Send + 'static) -> std::thread::JoinHandle<Vec<u8>> {
            std::thread::spawn(move || {
                let mut bytes = Vec::new();
                pipe.read_to_end(&mut bytes).unwrap();
                bytes
            })
        }
        Self {
            stdout: read(child.stdout.take().expect("stdout is piped")),
            stderr: read(child.stderr.take().expect("stderr is piped")),
        }
    }

    /// Everything written, once the child has exited: (stdout, stderr).
    pub fn finish(self) -> (Vec<u8>, Vec<u8>) {
        (self.stdout.join().unwrap(), self.stderr.join().unwrap())
    }
}

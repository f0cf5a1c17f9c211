//! The mail port: where outbox messages go once stored.
//!
//! Real SMTP comes later. For development, [`FileMailer`] writes each message as an
//! RFC 5322 file into a folder private to Sensate's user, so a developer can open the
//! invitation links; without a transport, messages simply stay in the outbox, which the
//! practice owner can read.

use std::io::Write;
use std::path::PathBuf;

use uuid::Uuid;

/// Something that takes messages away.
pub trait Mailer: Send + Sync + 'static {
    /// Delivers one message. An error leaves it in the outbox, undelivered.
    fn deliver(&self, id: Uuid, to: &str, subject: &str, body: &str) -> std::io::Result<()>;
}

/// Writes each message to `DIR/<id>.eml` (mode 0600).
#[derive(Debug)]
pub struct FileMailer {
    dir: PathBuf,
}

impl FileMailer {
    /// A transport writing into `dir` (created, private, if missing).
    pub fn new(dir: PathBuf) -> std::io::Result<Self> {
        #[cfg(unix)]
        {
            use std::os::unix::fs::DirBuilderExt;
            std::fs::DirBuilder::new()
                .recursive(true)
                .mode(0o700)
                .create(&dir)?;
        }
        Ok(Self { dir })
    }
}

impl Mailer for FileMailer {
    fn deliver(&self, id: Uuid, to: &str, subject: &str, body: &str) -> std::io::Result<()> {
        let path = self.dir.join(format!("{id}.eml"));
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            options.mode(0o600);
        }
        let mut file = options.open(path)?;
        // Header values come from our own templates and validated addresses; strip line
        // breaks anyway so nothing can add a header.
        let clean = |text: &str| text.replace(['\r', '\n'], " ");
        write!(
            file,
            "To: {}\r\nSubject: {}\r\nMessage-ID: <{id}@sensate.invalid>\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n{}",
            clean(to),
            clean(subject),
            body.replace('\n', "\r\n")
        )?;
        file.sync_all()
    }
}

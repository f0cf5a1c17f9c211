//! The key file's text format, version 1.
//!
//! Text, so that a person who opens the file can tell what it is, which keys it holds and when each
//! was made, and so that it survives copying through a terminal or a password manager:
//!
//! ```text
//! sensate-keys v1
//! # (comment lines explaining the file)
//! kek 1 2026-05-01T10:00:00Z <32 bytes, standard base64 with padding>
//! kek 2 2026-11-01T09:30:00Z <...>
//! ```
//!
//! The first line names the format and its version. Each `kek` line holds a key id, its creation time
//! (UTC) and the key. Ids rise strictly from line to line; the last key is the active one. Blank lines
//! and lines starting with `#` are ignored. A parse error names the line number but never quotes the
//! line, which may hold a key.

use std::path::Path;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use secrecy::ExposeSecretMut;
use zeroize::Zeroizing;

use crate::error::CryptoError;
use crate::kek::{KekId, KeyEncryptionKey};
use crate::key_ring::KeyRing;
use crate::xchacha::{KEY_LEN, SecretKey};

/// The first line of every version-1 key file.
pub(super) const HEADER: &str = "sensate-keys v1";
/// What any version of the header starts with, to tell "newer format" from "not a key file".
const HEADER_PREFIX: &str = "sensate-keys v";
/// Length of a 32-byte key in padded base64.
const ENCODED_KEY_LEN: usize = 44;

const PREAMBLE: &str = "\
# Sensate key-encryption keys. Keep this file secret (mode 0600) and keep it OUT of database
# backups: back it up separately. Without it nothing sealed in the database can be read; with it
# and a database copy, everything can. The last key is the active one.
# Format: kek <id> <created, UTC> <key, base64>. Change keys only with `sensate rotate-key`.
";

/// Reads a key ring from the text of a key file. `path` is only used in error messages.
pub(super) fn parse(path: &Path, text: &str) -> Result<KeyRing, CryptoError> {
    let malformed = |line, reason| CryptoError::KeyFileMalformed {
        path: path.to_path_buf(),
        line,
        reason,
    };
    let mut lines = text
        .lines()
        .enumerate()
        .map(|(index, line)| (index + 1, line));
    match lines.next() {
        Some((_, line)) if line.trim_end() == HEADER => {}
        Some((_, line)) if line.starts_with(HEADER_PREFIX) => {
            return Err(malformed(
                1,
                "it was written by a newer Sensate in a format this version cannot read",
            ));
        }
        _ => return Err(malformed(1, "it does not start with `sensate-keys v1`")),
    }
    let mut keks: Vec<KeyEncryptionKey> = Vec::new();
    for (number, line) in lines {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let kek = parse_kek_line(line).map_err(|reason| malformed(number, reason))?;
        if keks.last().is_some_and(|last| last.id() >= kek.id()) {
            return Err(malformed(
                number,
                "key ids must rise from line to line, without repeats",
            ));
        }
        keks.push(kek);
    }
    KeyRing::from_sorted(keks).ok_or_else(|| malformed(0, "it holds no keys"))
}

fn parse_kek_line(line: &str) -> Result<KeyEncryptionKey, &'static str> {
    let mut fields = line.split_ascii_whitespace();
    let (Some("kek"), Some(id), Some(created), Some(encoded), None) = (
        fields.next(),
        fields.next(),
        fields.next(),
        fields.next(),
        fields.next(),
    ) else {
        return Err("expected `kek <id> <created> <key>`");
    };
    let id = id
        .parse::<u32>()
        .ok()
        .filter(|&id| id > 0)
        .ok_or("the key id is not a positive whole number")?;
    if !crate::utc::is_timestamp(created) {
        return Err("the creation time is not of the form 2026-05-01T10:00:00Z");
    }
    let key = decode_key(encoded)?;
    Ok(KeyEncryptionKey::new(
        KekId::new(id),
        created.to_owned(),
        key,
    ))
}

fn decode_key(encoded: &str) -> Result<SecretKey, &'static str> {
    const BAD_KEY: &str = "the key is not 32 bytes of base64";
    if encoded.len() != ENCODED_KEY_LEN {
        return Err(BAD_KEY);
    }
    // Decoded straight into the wiped-on-drop box; base64 needs a little slack in its output buffer
    // for the padding, so decode into a wiped scratch buffer of 33 bytes first.
    let mut scratch = Zeroizing::new([0u8; KEY_LEN + 1]);
    let decoded = STANDARD
        .decode_slice(encoded, scratch.as_mut_slice())
        .map_err(|_| BAD_KEY)?;
    let bytes = scratch.get(..decoded).unwrap_or_default();
    let mut key = SecretKey::init_with_mut(|_| {});
    if bytes.len() != KEY_LEN {
        return Err(BAD_KEY);
    }
    key.expose_secret_mut().copy_from_slice(bytes);
    Ok(key)
}

/// The text of a key file holding `ring`, in a buffer wiped on drop.
pub(super) fn render(ring: &KeyRing) -> Zeroizing<String> {
    // Sized up front so that the buffer is never reallocated (which would leave a copy of keys behind
    // in freed memory): each line is at most "kek " + 10 digits + 1 + 20 + 1 + 44 + "\n" = 81 bytes.
    let capacity = HEADER.len() + 1 + PREAMBLE.len() + 96 * ring.ids().len();
    let mut text = Zeroizing::new(String::with_capacity(capacity));
    text.push_str(HEADER);
    text.push('\n');
    text.push_str(PREAMBLE);
    for kek in ring.keks() {
        let mut encoded = Zeroizing::new([0u8; ENCODED_KEY_LEN]);
        // `encode_slice` only fails when the output is too small; 44 bytes is exactly enough for 32.
        let written = STANDARD
            .encode_slice(kek.secret(), encoded.as_mut_slice())
            .unwrap_or_default();
        text.push_str("kek ");
        text.push_str(&kek.id().to_string());
        text.push(' ');
        text.push_str(kek.created());
        text.push(' ');
        for &byte in encoded.iter().take(written) {
            text.push(char::from(byte));
        }
        text.push('\n');
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_text(text: &str) -> Result<KeyRing, CryptoError> {
        parse(Path::new("sensate.key"), text)
    }

    fn line_error(result: Result<KeyRing, CryptoError>) -> (usize, &'static str) {
        match result {
            Err(CryptoError::KeyFileMalformed { line, reason, .. }) => (line, reason),
            other => panic!("expected a malformed key file, got {other:?}"),
        }
    }

    const KEY_A: &str = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";

    #[test]
    fn a_rendered_ring_parses_back_to_the_same_keys() {
        let mut ring = KeyRing::generate().unwrap();
        ring.add_kek().unwrap();
        let text = render(&ring);
        let parsed = parse_text(&text).unwrap();
        assert_eq!(parsed.ids(), ring.ids());
        assert_eq!(parsed.active_id(), ring.active_id());
        for (a, b) in parsed.keks().zip(ring.keks()) {
            assert_eq!(a.secret(), b.secret());
            assert_eq!(a.created(), b.created());
        }
    }

    #[test]
    fn the_file_starts_with_its_format_and_says_what_it_is() {
        let text = render(&KeyRing::generate().unwrap());
        assert!(text.starts_with("sensate-keys v1\n# Sensate key-encryption keys."));
        assert!(text.lines().last().unwrap().starts_with("kek 1 "));
    }

    #[test]
    fn comments_blank_lines_and_crlf_line_ends_are_accepted() {
        let text =
            format!("sensate-keys v1\r\n\r\n# a note\r\nkek 3 2026-05-01T10:00:00Z {KEY_A}\r\n");
        let ring = parse_text(&text).unwrap();
        assert_eq!(ring.ids(), vec![KekId::new(3)]);
        assert_eq!(ring.active().unwrap().secret()[31], 31);
    }

    #[test]
    fn a_file_without_the_header_is_refused() {
        let text = format!("kek 1 2026-05-01T10:00:00Z {KEY_A}\n");
        assert_eq!(line_error(parse_text(&text)).0, 1);
        assert_eq!(line_error(parse_text("")).0, 1);
    }

    #[test]
    fn a_file_from_a_newer_version_says_so() {
        let (_, reason) = line_error(parse_text("sensate-keys v2\n"));
        assert!(reason.contains("newer"), "{reason}");
    }

    #[test]
    fn a_file_with_no_keys_is_refused() {
        assert_eq!(line_error(parse_text("sensate-keys v1\n# nothing\n")).0, 0);
    }

    #[test]
    fn ids_that_do_not_rise_are_refused() {
        let text = format!(
            "sensate-keys v1\nkek 2 2026-05-01T10:00:00Z {KEY_A}\nkek 2 2026-05-01T10:00:00Z {KEY_A}\n"
        );
        assert_eq!(line_error(parse_text(&text)).0, 3);
    }

    #[test]
    fn bad_lines_are_refused_with_their_line_number_and_without_their_content() {
        let bad_lines = [
            format!("key 1 2026-05-01T10:00:00Z {KEY_A}"),
            format!("kek 0 2026-05-01T10:00:00Z {KEY_A}"),
            format!("kek x 2026-05-01T10:00:00Z {KEY_A}"),
            format!("kek 1 yesterday {KEY_A}"),
            "kek 1 2026-05-01T10:00:00Z AAEC".to_owned(),
            format!("kek 1 2026-05-01T10:00:00Z {}", "!".repeat(44)),
            format!("kek 1 2026-05-01T10:00:00Z {KEY_A} extra"),
            // 33 bytes of base64 squeezed into 44 characters is not a 32-byte key.
            "kek 1 2026-05-01T10:00:00Z AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8g".to_owned(),
        ];
        for bad in bad_lines {
            let result = parse_text(&format!("sensate-keys v1\n{bad}\n"));
            let message = result.as_ref().unwrap_err().to_string();
            assert_eq!(line_error(result).0, 2, "{bad}");
            assert!(!message.contains("AAEC"), "{message}");
        }
    }
}

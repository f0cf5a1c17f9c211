//! Base32 encoding, five bits to a character, for the two places that show secrets to people:
//! TOTP secrets typed into an authenticator app (RFC 4648 alphabet, which every app expects) and
//! recovery codes (a Crockford-style alphabet without look-alike letters).
//!
//! A dozen lines over a dependency: both inputs are short, fixed-size random bytes, and neither
//! needs padding or a decoder (recovery codes are checked by digest, see `recovery`).

/// RFC 4648 §6, the alphabet of `otpauth://` secrets.
pub(crate) const RFC4648: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

/// Crockford's base32 alphabet in lower case: no `i`, `l`, `o` or `u`, so nothing reads as a
/// digit (and no accidental words). <https://www.crockford.com/base32.html>
pub(crate) const CROCKFORD_LOWER: &[u8; 32] = b"0123456789abcdefghjkmnpqrstvwxyz";

/// `bytes` as base32 in `alphabet`, without padding; the last character is zero-filled when the
/// bit count is not a multiple of five.
pub(crate) fn encode(alphabet: &[u8; 32], bytes: &[u8]) -> String {
    let mut out = String::with_capacity((bytes.len() * 8).div_ceil(5));
    // Bits not yet written, in the low `pending` bits of `buffer` (never more than 12).
    let mut buffer: u32 = 0;
    let mut pending = 0;
    for &byte in bytes {
        buffer = (buffer << 8) | u32::from(byte);
        pending += 8;
        while pending >= 5 {
            pending -= 5;
            out.push(char::from(alphabet[((buffer >> pending) & 31) as usize]));
        }
        buffer &= (1 << pending) - 1;
    }
    if pending > 0 {
        out.push(char::from(
            alphabet[((buffer << (5 - pending)) & 31) as usize],
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_rfc_4648_test_vectors_encode_as_published() {
        // RFC 4648 §10, without the padding.
        for (input, expected) in [
            ("", ""),
            ("f", "MY"),
            ("fo", "MZXQ"),
            ("foo", "MZXW6"),
            ("foob", "MZXW6YQ"),
            ("fooba", "MZXW6YTB"),
            ("foobar", "MZXW6YTBOI"),
        ] {
            assert_eq!(encode(RFC4648, input.as_bytes()), expected, "{input}");
        }
    }

    #[test]
    fn ten_bytes_make_sixteen_characters() {
        assert_eq!(encode(CROCKFORD_LOWER, &[0; 10]), "0000000000000000");
        assert_eq!(encode(CROCKFORD_LOWER, &[0xff; 10]), "zzzzzzzzzzzzzzzz");
    }
}

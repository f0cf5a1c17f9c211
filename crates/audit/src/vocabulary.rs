//! Closed lists of stable codes, and the rule every code follows.
//!
//! What was done ([`Action`](crate::Action)), how it ended ([`Outcome`](crate::Outcome)) and
//! what kind of actor did it ([`ActorKind`](crate::ActorKind)) are each a fixed list, so
//! nothing but a known code can reach an audit row. Each value has a short lowercase code
//! that is stored in the row and hashed into the chain: once released, a code never changes
//! and is never reused, or rows already written would stop verifying (or change meaning).
//! Adding a value is one line in its list, plus one line in that list's golden test.

/// Declares a closed list of values, each with a stable code, and derives `ALL`, `code()`,
/// `Display` (the code) and `FromStr` (from the code).
macro_rules! vocabulary {
    (
        $(#[$meta:meta])*
        pub enum $name:ident ($what:literal) {
            $( $(#[$variant_meta:meta])* $variant:ident = $code:literal, )+
        }
    ) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name {
            $( $(#[$variant_meta])* $variant, )+
        }

        impl $name {
            /// Every value, in the order they are listed.
            pub const ALL: &'static [Self] = &[$(Self::$variant),+];

            /// The stable code kept in the audit row and hashed into the chain.
            pub const fn code(self) -> &'static str {
                match self {
                    $(Self::$variant => $code,)+
                }
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.code())
            }
        }

        impl ::std::str::FromStr for $name {
            type Err = $crate::InvalidField;

            /// Reads a value back from its code, as stored.
            fn from_str(code: &str) -> Result<Self, Self::Err> {
                match code {
                    $($code => Ok(Self::$variant),)+
                    _ => Err($crate::InvalidField::UnknownCode($what)),
                }
            }
        }
    };
}

pub(crate) use vocabulary;

/// Whether `text` is a code: 1 to `max` ASCII characters of `a-z`, `0-9`, `_` or `.`,
/// starting with a letter. A `const fn` so codes written in the source are checked when the
/// program is compiled.
pub(crate) const fn is_code(text: &str, max: usize) -> bool {
    let bytes = text.as_bytes();
    if bytes.is_empty() || bytes.len() > max || !bytes[0].is_ascii_lowercase() {
        return false;
    }
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if !(b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_' || b == b'.') {
            return false;
        }
        i += 1;
    }
    true
}

#[cfg(test)]
mod tests {
    use super::is_code;

    #[test]
    fn a_code_is_short_lowercase_ascii_starting_with_a_letter() {
        assert!(is_code("session_note", 40));
        assert!(is_code("homework.v2", 40));
        for not_a_code in ["", "Client", "2fa", "_x", "note text", "café", "a-b", "x\n"] {
            assert!(!is_code(not_a_code, 40), "{not_a_code:?} passed");
        }
        assert!(!is_code(&"a".repeat(41), 40));
    }
}

//! Profile text as the screen sees it: a list of words, each lowercased, with simple
//! accents folded, and each knowing the byte range it came from in the original text.
//!
//! Matching words rather than characters is what makes "whole words and phrases" cheap
//! and exact: "bodywork" never matches inside "homebodywork", and "hands-on",
//! "Hands On" and "hands‑on" are the same two words. Keeping the original range on every
//! word is what lets a hit be highlighted in the text the therapist wrote, always on char
//! boundaries, whatever was folded. Hand-written rather than a Unicode normalisation
//! crate because the screen only needs Latin letters folded; anything else is kept as is.

use std::ops::Range;

/// How strong the break before a word is; a phrase never spans one, and a negation
/// ("no", "never") does not reach across one.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Pause {
    /// Spaces, hyphens, slashes, symbols.
    None,
    /// A comma, a dash, brackets.
    Clause,
    /// A full stop, semicolon, colon, question or exclamation mark, a line break.
    Sentence,
}

/// One word of the text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Word {
    /// Lowercased and folded: "Bódy" is "body".
    pub(crate) text: String,
    /// Where it is in the original text; both ends are char boundaries.
    pub(crate) range: Range<usize>,
    /// The strongest break between the previous word and this one.
    pub(crate) pause_before: Pause,
}

enum CharKind {
    /// Part of a word.
    Letter,
    /// Kept inside a word but not matched on: apostrophes ("don't" is "dont"), combining
    /// accents, zero-width characters and soft hyphens (so "body\u{200b}work" is "bodywork").
    Joiner,
    /// Ends a word.
    Separator(Pause),
}

fn kind(c: char) -> CharKind {
    match c {
        '\'' | '\u{2019}' | '\u{2018}' | '\u{02bc}' => CharKind::Joiner,
        '\u{00ad}'
        | '\u{200b}'..='\u{200d}'
        | '\u{2060}'
        | '\u{feff}'
        | '\u{fe00}'..='\u{fe0f}' => CharKind::Joiner,
        _ if is_combining_mark(c) => CharKind::Joiner,
        _ if c.is_alphanumeric() => CharKind::Letter,
        '.' | ';' | ':' | '!' | '?' | '\n' | '\r' | '\u{2028}' | '\u{2029}' | '\u{3002}' => {
            CharKind::Separator(Pause::Sentence)
        }
        ',' | '(' | ')' | '[' | ']' | '\u{2013}' | '\u{2014}' | '\u{060c}' | '\u{3001}' => {
            CharKind::Separator(Pause::Clause)
        }
        _ => CharKind::Separator(Pause::None),
    }
}

fn is_combining_mark(c: char) -> bool {
    matches!(c,
        '\u{0300}'..='\u{036f}'
        | '\u{1ab0}'..='\u{1aff}'
        | '\u{1dc0}'..='\u{1dff}'
        | '\u{20d0}'..='\u{20ff}'
        | '\u{fe20}'..='\u{fe2f}')
}

/// Splits text into words.
pub(crate) fn words(text: &str) -> Vec<Word> {
    let mut words = Vec::new();
    let mut current: Option<Word> = None;
    let mut pause = Pause::None;
    for (start, c) in text.char_indices() {
        let end = start + c.len_utf8();
        match kind(c) {
            CharKind::Letter => {
                let word = current.get_or_insert_with(|| Word {
                    text: String::new(),
                    range: start..start,
                    pause_before: std::mem::replace(&mut pause, Pause::None),
                });
                push_folded(&mut word.text, c);
                word.range.end = end;
            }
            CharKind::Joiner => {
                if let Some(word) = current.as_mut() {
                    word.range.end = end;
                }
            }
            CharKind::Separator(this) => {
                words.extend(current.take());
                pause = pause.max(this);
            }
        }
    }
    words.extend(current);
    words
}

/// Lowercases `c` and folds accented Latin letters to plain ones.
fn push_folded(out: &mut String, c: char) {
    for lower in c.to_lowercase() {
        if is_combining_mark(lower) {
            continue; // "İ" lowercases to "i" + a combining dot
        }
        match fold(lower) {
            Some(plain) => out.push_str(plain),
            None => out.push(lower),
        }
    }
}

fn fold(c: char) -> Option<&'static str> {
    Some(match c {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'ā' | 'ă' | 'ą' => "a",
        'ç' | 'ć' | 'ĉ' | 'ċ' | 'č' => "c",
        'ď' | 'đ' | 'ð' => "d",
        'è' | 'é' | 'ê' | 'ë' | 'ē' | 'ĕ' | 'ė' | 'ę' | 'ě' => "e",
        'ĝ' | 'ğ' | 'ġ' | 'ģ' => "g",
        'ĥ' | 'ħ' => "h",
        'ì' | 'í' | 'î' | 'ï' | 'ĩ' | 'ī' | 'ĭ' | 'į' | 'ı' => "i",
        'ĵ' => "j",
        'ķ' => "k",
        'ĺ' | 'ļ' | 'ľ' | 'ŀ' | 'ł' => "l",
        'ñ' | 'ń' | 'ņ' | 'ň' => "n",
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'ō' | 'ŏ' | 'ő' => "o",
        'ŕ' | 'ŗ' | 'ř' => "r",
        'ś' | 'ŝ' | 'ş' | 'š' | 'ș' => "s",
        'ţ' | 'ť' | 'ŧ' | 'ț' => "t",
        'ù' | 'ú' | 'û' | 'ü' | 'ũ' | 'ū' | 'ŭ' | 'ů' | 'ű' | 'ų' => "u",
        'ŵ' => "w",
        'ý' | 'ÿ' | 'ŷ' => "y",
        'ź' | 'ż' | 'ž' => "z",
        'ß' => "ss",
        'æ' => "ae",
        'œ' => "oe",
        'þ' => "th",
        // Fullwidth Latin letters and digits, an easy way to dodge a word list.
        '\u{ff41}'..='\u{ff5a}' | '\u{ff10}'..='\u{ff19}' => return fullwidth(c),
        _ => return None,
    })
}

fn fullwidth(c: char) -> Option<&'static str> {
    const LETTERS: &str = "abcdefghijklmnopqrstuvwxyz";
    const DIGITS: &str = "0123456789";
    let (table, first) = if c >= '\u{ff41}' {
        (LETTERS, '\u{ff41}')
    } else {
        (DIGITS, '\u{ff10}')
    };
    let index = (c as usize).checked_sub(first as usize)?;
    table.get(index..index + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(text: &str) -> Vec<String> {
        words(text).into_iter().map(|w| w.text).collect()
    }

    #[test]
    fn text_is_lowercased_and_split_on_anything_but_letters_and_digits() {
        assert_eq!(
            texts("Hands-ON   healing/sessions!"),
            ["hands", "on", "healing", "sessions"]
        );
        assert_eq!(texts("  "), Vec::<String>::new());
    }

    #[test]
    fn accents_fold_whether_composed_or_combining() {
        assert_eq!(texts("Bódywork"), ["bodywork"]);
        assert_eq!(texts("Bo\u{301}dywork"), ["bodywork"]);
        assert_eq!(texts("Straße Æther"), ["strasse", "aether"]);
    }

    #[test]
    fn apostrophes_and_invisible_characters_join_rather_than_split() {
        assert_eq!(texts("don't I\u{2019}ll"), ["dont", "ill"]);
        assert_eq!(
            texts("body\u{200b}work body\u{ad}work"),
            ["bodywork", "bodywork"]
        );
    }

    #[test]
    fn fullwidth_letters_fold_to_plain_ones() {
        assert_eq!(
            texts("\u{ff42}\u{ff4f}\u{ff44}\u{ff59}\u{ff57}\u{ff4f}\u{ff52}\u{ff4b}"),
            ["bodywork"]
        );
    }

    #[test]
    fn each_word_keeps_its_range_in_the_original_text() {
        let text = "Ça  va, Bo\u{301}dy";
        let found = words(text);
        assert_eq!(&text[found[0].range.clone()], "Ça");
        assert_eq!(&text[found[2].range.clone()], "Bo\u{301}dy");
        assert_eq!(found[2].pause_before, Pause::Clause);
    }

    #[test]
    fn the_strongest_break_between_two_words_is_kept() {
        let found = words("one, two. three four");
        let pauses: Vec<Pause> = found.iter().map(|w| w.pause_before).collect();
        assert_eq!(
            pauses,
            [Pause::None, Pause::Clause, Pause::Sentence, Pause::None]
        );
    }
}

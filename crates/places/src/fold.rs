//! Folding a place name into the key the indexes use, so "SÃO  paulo", "São Paulo" and
//! "Sao Paulo" find the same city, and "St. Louis" finds "Saint Louis".
//!
//! The same function folds the data at load and the visitor's query, so the two always
//! agree. It is deliberately small rather than a full Unicode normalisation (which would
//! need a dependency): lower case; accents dropped from the Latin letters people type
//! (Latin-1 and Latin Extended-A, plus combining marks from decomposed input); dots and
//! apostrophes dropped; hyphens as spaces; one space between words; and the common
//! abbreviations St, Ste, Ft and Mt written out. Names in other scripts stay as they are
//! and match when typed the same way; the data also carries an ASCII spelling of every
//! non-ASCII name (made by `content/places/build.py`), which is indexed too.

/// The index key for a name or a query part.
pub(crate) fn fold(text: &str) -> String {
    let mut letters = String::with_capacity(text.len());
    for ch in text.chars() {
        if ch.is_ascii() {
            push_folded(&mut letters, ch.to_ascii_lowercase());
        } else {
            for lower in ch.to_lowercase() {
                push_folded(&mut letters, lower);
            }
        }
    }
    let mut key = String::with_capacity(letters.len());
    for word in letters.split_whitespace() {
        if !key.is_empty() {
            key.push(' ');
        }
        key.push_str(expand_abbreviation(word));
    }
    key
}

fn push_folded(out: &mut String, ch: char) {
    if ch.is_ascii_alphanumeric() {
        out.push(ch);
        return;
    }
    let folded = match ch {
        '.' | '\'' | '\u{2018}' | '\u{2019}' | '\u{02BB}' | '\u{02BC}' | '`' => "",
        '\u{0300}'..='\u{036F}' => "",
        '-' | '\u{2010}'..='\u{2015}' | '_' | '/' => " ",
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'ā' | 'ă' | 'ą' => "a",
        'æ' => "ae",
        'ç' | 'ć' | 'ĉ' | 'ċ' | 'č' => "c",
        'ď' | 'đ' | 'ð' => "d",
        'è' | 'é' | 'ê' | 'ë' | 'ē' | 'ĕ' | 'ė' | 'ę' | 'ě' | 'ə' => "e",
        'ĝ' | 'ğ' | 'ġ' | 'ģ' => "g",
        'ĥ' | 'ħ' => "h",
        'ì' | 'í' | 'î' | 'ï' | 'ĩ' | 'ī' | 'ĭ' | 'į' | 'ı' => "i",
        'ĳ' => "ij",
        'ĵ' => "j",
        'ķ' => "k",
        'ĺ' | 'ļ' | 'ľ' | 'ŀ' | 'ł' => "l",
        'ñ' | 'ń' | 'ņ' | 'ň' | 'ŉ' => "n",
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'ō' | 'ŏ' | 'ő' => "o",
        'œ' => "oe",
        'ŕ' | 'ŗ' | 'ř' => "r",
        'ś' | 'ŝ' | 'ş' | 'š' | 'ș' => "s",
        'ß' => "ss",
        'ţ' | 'ť' | 'ŧ' | 'ț' => "t",
        'þ' => "th",
        'ù' | 'ú' | 'û' | 'ü' | 'ũ' | 'ū' | 'ŭ' | 'ů' | 'ű' | 'ų' => "u",
        'ŵ' => "w",
        'ý' | 'ÿ' | 'ŷ' => "y",
        'ź' | 'ż' | 'ž' => "z",
        other if other.is_whitespace() => " ",
        other => {
            out.push(other);
            return;
        }
    };
    out.push_str(folded);
}

fn expand_abbreviation(word: &str) -> &str {
    match word {
        "st" => "saint",
        "ste" => "sainte",
        "ft" => "fort",
        "mt" => "mount",
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::fold;

    #[test]
    fn case_accents_and_spacing_fold_away() {
        assert_eq!(fold("  SÃO   Paulo "), "sao paulo");
        assert_eq!(fold("Kraków"), "krakow");
        assert_eq!(fold("Łódź"), "lodz");
        assert_eq!(fold("Straße"), "strasse");
    }

    #[test]
    fn decomposed_accents_fold_like_composed_ones() {
        assert_eq!(fold("Zu\u{0308}rich"), fold("Zürich"));
    }

    #[test]
    fn abbreviations_and_punctuation_fold_to_the_written_out_name() {
        assert_eq!(fold("St. Louis"), "saint louis");
        assert_eq!(fold("Mt Vernon"), fold("Mount Vernon"));
        assert_eq!(fold("Coeur d’Alene"), fold("Coeur d'Alene"));
        assert_eq!(fold("Winston-Salem"), "winston salem");
        assert_eq!(fold("D.C."), "dc");
    }

    #[test]
    fn other_scripts_are_kept() {
        assert_eq!(fold("東京"), "東京");
    }
}

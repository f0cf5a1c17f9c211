//! What every vocabulary entry has in common (a stable id and a display label), and the
//! one way a submitted list of ids becomes entries: parsed at the edge, with an error that
//! names the first value the list does not know.

/// An entry of a fixed list a profile chooses from.
pub trait Term {
    /// What the list is called in an error message, e.g. "approach".
    const KIND: &'static str;
    /// The stable id stored with a profile (snake_case; a language's ISO 639 code).
    fn id(&self) -> &str;
    /// What a person reads.
    fn label(&self) -> &str;
}

/// A submitted value is not in its list.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum TermError {
    /// The value is not an id of the list.
    #[error("{value:?} is not a known {kind}")]
    Unknown {
        /// The list, e.g. "approach".
        kind: &'static str,
        /// The value as submitted.
        value: String,
    },
    /// The same entry was given twice where once is the only sense (a competence with two levels).
    #[error("{kind} {value:?} is given more than once")]
    GivenTwice {
        /// The list, e.g. "affirming competence".
        kind: &'static str,
        /// The repeated id.
        value: String,
    },
}

/// Looks up one id.
pub(crate) fn find<'t, T: Term>(terms: &'t [T], id: &str) -> Option<&'t T> {
    terms.iter().find(|term| term.id() == id)
}

/// Turns submitted ids into entries, in the order given, dropping repeats; the first
/// unknown id is the error.
pub(crate) fn parse_ids<'t, T: Term, S: AsRef<str>>(
    terms: &'t [T],
    submitted: &[S],
) -> Result<Vec<&'t T>, TermError> {
    let mut chosen: Vec<&'t T> = Vec::with_capacity(submitted.len());
    for value in submitted {
        let value = value.as_ref();
        let term = find(terms, value).ok_or_else(|| TermError::Unknown {
            kind: T::KIND,
            value: value.to_owned(),
        })?;
        if !chosen.iter().any(|already| already.id() == term.id()) {
            chosen.push(term);
        }
    }
    Ok(chosen)
}

//! Reading the embedded data files: one error type for "this file is wrong", naming the
//! file, and the shared checks every file's ids go through.
//!
//! An embedded file that fails to parse is a bug in the release, not bad user input, so
//! the error carries enough to find the line and nothing more; each module's tests prove
//! its shipped file reads cleanly.

use std::collections::HashSet;

use serde::de::DeserializeOwned;

/// A bundled data file could not be read, or broke one of its own rules.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("content/{file}: {problem}")]
pub struct DataFileError {
    /// The file under `content/`, e.g. `directory/vocabulary.toml`.
    pub file: &'static str,
    /// What is wrong, with the TOML parser's line and column where it gave one.
    pub problem: String,
}

impl DataFileError {
    pub(crate) fn new(file: &'static str, problem: impl Into<String>) -> Self {
        Self {
            file,
            problem: problem.into(),
        }
    }
}

/// Parses a whole file into its serde shape.
pub(crate) fn parse<T: DeserializeOwned>(
    file: &'static str,
    text: &str,
) -> Result<T, DataFileError> {
    toml::from_str(text).map_err(|error| DataFileError::new(file, error.to_string()))
}

/// Checks that every id is snake_case ASCII and appears once in its list.
pub(crate) fn check_ids<'a>(
    file: &'static str,
    list: &str,
    ids: impl IntoIterator<Item = &'a str>,
) -> Result<(), DataFileError> {
    let mut seen = HashSet::new();
    let mut count = 0;
    for id in ids {
        count += 1;
        if !is_snake_case(id) {
            return Err(DataFileError::new(
                file,
                format!("{list} id {id:?} is not snake_case (a-z, 0-9 and _)"),
            ));
        }
        if !seen.insert(id) {
            return Err(DataFileError::new(
                file,
                format!("{list} id {id:?} appears twice"),
            ));
        }
    }
    if count == 0 {
        return Err(DataFileError::new(
            file,
            format!("the {list} list is empty"),
        ));
    }
    Ok(())
}

/// Checks that a display text is not blank.
pub(crate) fn check_text(
    file: &'static str,
    what: &str,
    owner: &str,
    text: &str,
) -> Result<(), DataFileError> {
    if text.trim().is_empty() {
        return Err(DataFileError::new(
            file,
            format!("{owner} has an empty {what}"),
        ));
    }
    Ok(())
}

fn is_snake_case(id: &str) -> bool {
    id.starts_with(|c: char| c.is_ascii_lowercase())
        && !id.ends_with('_')
        && !id.contains("__")
        && id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snake_case_ids_are_accepted_and_others_are_named() {
        assert!(check_ids("f.toml", "approach", ["cbt", "gottman_method", "dbt2"]).is_ok());
        for bad in ["CBT", "gottman-method", "_x", "x_", "a__b", "2cbt", ""] {
            let error = check_ids("f.toml", "approach", [bad]).unwrap_err();
            assert!(error.problem.contains("snake_case"), "{bad}: {error}");
        }
    }

    #[test]
    fn a_repeated_id_is_named() {
        let error = check_ids("f.toml", "approach", ["cbt", "cbt"]).unwrap_err();
        assert_eq!(
            error.to_string(),
            "content/f.toml: approach id \"cbt\" appears twice"
        );
    }

    #[test]
    fn an_empty_list_is_an_error() {
        assert!(check_ids("f.toml", "approach", []).is_err());
    }
}

//! Consent documents: what a client reads and signs before care begins, versioned so a
//! signature always says exactly which words were agreed to.
//!
//! A practice edits its document as plain text: a title line, then paragraphs separated
//! by blank lines, `## ` headings and `- ` list items. Every saved change is a new
//! version; a client who signed an earlier version is asked to sign again.

use thiserror::Error;

use crate::text::{TextError, single_line};

/// The longest document body we accept, in characters (the default is about 3,500).
pub const MAX_BODY_CHARS: usize = 20_000;

/// The longest title, in characters.
pub const MAX_TITLE_CHARS: usize = 120;

/// Which document this is. There is one today; releases of information and telehealth
/// agreements will join it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ConsentKind {
    /// Informed consent to therapy.
    InformedConsent,
}

impl ConsentKind {
    /// The stored code.
    pub fn code(self) -> &'static str {
        match self {
            ConsentKind::InformedConsent => "informed_consent",
        }
    }

    /// Reads a stored code.
    pub fn parse(code: &str) -> Option<Self> {
        (code == "informed_consent").then_some(ConsentKind::InformedConsent)
    }
}

/// A document's words, checked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConsentText {
    /// Its title.
    pub title: String,
    /// Its body, with line ends normalised to `\n` and trailing spaces removed.
    pub body: String,
}

/// Why a document could not be saved.
#[derive(Clone, Debug, PartialEq, Eq, Error)]
pub enum ConsentTextError {
    /// The title is not one sensible line.
    #[error("{0}")]
    Title(TextError),
    /// The body is empty.
    #[error("The document cannot be empty")]
    EmptyBody,
    /// The body is too long.
    #[error("The document can be at most {MAX_BODY_CHARS} characters (this one has {0})")]
    BodyTooLong(usize),
    /// The body holds a control character other than a line break.
    #[error("The document cannot contain control characters other than line breaks")]
    ControlCharacter,
}

impl ConsentText {
    /// Checks a title and body as typed.
    pub fn parse(title: &str, body: &str) -> Result<Self, ConsentTextError> {
        let title =
            single_line(title, "Title", MAX_TITLE_CHARS).map_err(ConsentTextError::Title)?;
        let body: Vec<&str> = body.lines().map(str::trim_end).collect();
        let body = body.join("\n").trim().to_owned();
        if body.is_empty() {
            return Err(ConsentTextError::EmptyBody);
        }
        let chars = body.chars().count();
        if chars > MAX_BODY_CHARS {
            return Err(ConsentTextError::BodyTooLong(chars));
        }
        if body.chars().any(|c| c.is_control() && c != '\n') {
            return Err(ConsentTextError::ControlCharacter);
        }
        Ok(Self { title, body })
    }

    /// Reads a document kept as a file: its first line is the title, the rest the body.
    pub fn from_file(text: &str) -> Result<Self, ConsentTextError> {
        let (title, body) = text.split_once('\n').unwrap_or((text, ""));
        Self::parse(title, body)
    }

    /// The bytes a signature's content hash is taken over: the title and body, each
    /// with its length first, so no two documents share them.
    pub fn hashed_bytes(&self) -> Vec<u8> {
        let mut bytes = Vec::with_capacity(self.title.len() + self.body.len() + 16);
        for part in [&self.title, &self.body] {
            bytes.extend_from_slice(&(part.len() as u64).to_be_bytes());
            bytes.extend_from_slice(part.as_bytes());
        }
        bytes
    }

    /// The body as blocks to show.
    pub fn blocks(&self) -> Vec<Block> {
        blocks(&self.body)
    }
}

/// One piece of a document as shown.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Block {
    /// A `## ` heading.
    Heading(String),
    /// A paragraph (its lines joined by spaces).
    Paragraph(String),
    /// Consecutive `- ` items.
    List(Vec<String>),
}

/// Splits a body into headings, paragraphs and lists.
pub fn blocks(body: &str) -> Vec<Block> {
    let mut blocks = Vec::new();
    for chunk in body.split("\n\n") {
        let mut paragraph: Vec<&str> = Vec::new();
        let mut items: Vec<String> = Vec::new();
        let flush =
            |paragraph: &mut Vec<&str>, items: &mut Vec<String>, blocks: &mut Vec<Block>| {
                if !paragraph.is_empty() {
                    blocks.push(Block::Paragraph(paragraph.join(" ")));
                    paragraph.clear();
                }
                if !items.is_empty() {
                    blocks.push(Block::List(std::mem::take(items)));
                }
            };
        for line in chunk.lines().map(str::trim).filter(|l| !l.is_empty()) {
            if let Some(heading) = line.strip_prefix("## ") {
                flush(&mut paragraph, &mut items, &mut blocks);
                blocks.push(Block::Heading(heading.trim().to_owned()));
            } else if let Some(item) = line.strip_prefix("- ") {
                if !paragraph.is_empty() {
                    blocks.push(Block::Paragraph(paragraph.join(" ")));
                    paragraph.clear();
                }
                items.push(item.trim().to_owned());
            } else if let Some(last) = items.last_mut().filter(|_| paragraph.is_empty()) {
                // A wrapped list item continues on the next line.
                last.push(' ');
                last.push_str(line);
            } else {
                paragraph.push(line);
            }
        }
        flush(&mut paragraph, &mut items, &mut blocks);
    }
    blocks
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_document_reads_as_headings_paragraphs_and_lists() {
        let text = ConsentText::from_file(include_str!(
            "../../../content/consent/informed-consent.txt"
        ))
        .unwrap();
        assert_eq!(text.title, "Before we begin: how therapy with us works");
        let blocks = text.blocks();
        assert!(blocks.contains(&Block::Heading("Talk therapy, and nothing else".into())));
        assert!(
            blocks
                .iter()
                .any(|b| matches!(b, Block::List(items) if items.len() == 4))
        );
        // The promise every client must read: no touching, no undressing, no sexual contact.
        assert!(text.body.contains("never touch you, ask you to undress"));
        assert!(text.body.contains("report them"));
    }

    #[test]
    fn line_ends_and_trailing_spaces_do_not_make_a_new_document() {
        let a = ConsentText::parse("Consent", "One.  \r\n\r\nTwo.\n").unwrap();
        let b = ConsentText::parse("Consent", "One.\n\nTwo.").unwrap();
        assert_eq!(a, b);
        assert_eq!(a.hashed_bytes(), b.hashed_bytes());
    }

    #[test]
    fn a_different_split_of_title_and_body_hashes_differently() {
        let a = ConsentText::parse("ab", "c").unwrap();
        let b = ConsentText::parse("a", "bc").unwrap();
        assert_ne!(a.hashed_bytes(), b.hashed_bytes());
    }

    #[test]
    fn empty_long_or_odd_documents_are_refused_with_a_reason() {
        assert_eq!(
            ConsentText::parse("Consent", " \n "),
            Err(ConsentTextError::EmptyBody)
        );
        let long = "x".repeat(MAX_BODY_CHARS + 1);
        assert_eq!(
            ConsentText::parse("Consent", &long),
            Err(ConsentTextError::BodyTooLong(MAX_BODY_CHARS + 1))
        );
        assert_eq!(
            ConsentText::parse("Consent", "bell\u{7}"),
            Err(ConsentTextError::ControlCharacter)
        );
        assert!(matches!(
            ConsentText::parse("", "Body"),
            Err(ConsentTextError::Title(_))
        ));
    }

    #[test]
    fn a_wrapped_list_item_stays_one_item() {
        assert_eq!(
            blocks("- first item\n  goes on\n- second"),
            vec![Block::List(vec![
                "first item goes on".into(),
                "second".into()
            ])]
        );
    }
}

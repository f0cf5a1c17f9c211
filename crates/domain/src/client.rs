//! A client's details as the clinician records them when care begins.
//!
//! Only the name is required: many people give a first name and nothing else at a
//! first contact. Everything here identifies a person, so it is sealed before storage
//! and never appears in debug output.

use std::fmt;

use time::{Date, Month};

use crate::PersonName;
use crate::accounts::{EmailAddress, EmailError};
use crate::text::{TextError, single_line};

/// A client's details, checked.
#[derive(Clone, PartialEq, Eq)]
pub struct ClientDetails {
    /// The name they go by.
    pub name: PersonName,
    /// Their pronouns, in their words.
    pub pronouns: Option<String>,
    /// Their date of birth.
    pub date_of_birth: Option<Date>,
    /// An email address for contact.
    pub email: Option<EmailAddress>,
    /// A phone number for contact, as typed.
    pub phone: Option<String>,
}

impl fmt::Debug for ClientDetails {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ClientDetails(..)")
    }
}

/// The details as typed into a form.
#[derive(Clone, Debug, Default)]
pub struct ClientForm {
    /// Name (required).
    pub name: String,
    /// Pronouns (optional).
    pub pronouns: String,
    /// Date of birth as `YYYY-MM-DD` (optional; what a date field submits).
    pub date_of_birth: String,
    /// Email address (optional).
    pub email: String,
    /// Phone number (optional).
    pub phone: String,
}

/// What is wrong with each field; `None` where the field is fine.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ClientProblems {
    /// The name's problem.
    pub name: Option<TextError>,
    /// The pronouns' problem.
    pub pronouns: Option<TextError>,
    /// The date of birth's problem, in words for the person who typed it.
    pub date_of_birth: Option<String>,
    /// The email address's problem.
    pub email: Option<EmailError>,
    /// The phone number's problem, in words.
    pub phone: Option<String>,
}

impl ClientProblems {
    /// True when no field has a problem.
    pub fn is_empty(&self) -> bool {
        *self == ClientProblems::default()
    }
}

/// The longest pronouns we keep ("they/them or she/her, ask me" fits).
pub const MAX_PRONOUNS: usize = 40;

/// Phone numbers: digits with the usual separators, at most this long.
pub const MAX_PHONE: usize = 30;

impl ClientDetails {
    /// Checks a form. `today` bounds the date of birth (no one is born tomorrow).
    #[expect(
        clippy::result_large_err,
        reason = "every field's problem is returned at once, once per form submission"
    )]
    pub fn parse(form: &ClientForm, today: Date) -> Result<Self, ClientProblems> {
        let mut problems = ClientProblems::default();
        let name = PersonName::parse(&form.name)
            .map_err(|e| problems.name = Some(e))
            .ok();
        let pronouns = optional(&form.pronouns)
            .map(|raw| single_line(raw, "Pronouns", MAX_PRONOUNS))
            .transpose()
            .map_err(|e| problems.pronouns = Some(e))
            .ok()
            .flatten();
        let date_of_birth = optional(&form.date_of_birth)
            .map(|raw| parse_birth_date(raw, today))
            .transpose()
            .map_err(|e| problems.date_of_birth = Some(e))
            .ok()
            .flatten();
        let email = optional(&form.email)
            .map(EmailAddress::parse)
            .transpose()
            .map_err(|e| problems.email = Some(e))
            .ok()
            .flatten();
        let phone = optional(&form.phone)
            .map(parse_phone)
            .transpose()
            .map_err(|e| problems.phone = Some(e))
            .ok()
            .flatten();
        match name {
            Some(name) if problems.is_empty() => Ok(ClientDetails {
                name,
                pronouns,
                date_of_birth,
                email,
                phone,
            }),
            _ => Err(problems),
        }
    }
}

fn optional(raw: &str) -> Option<&str> {
    let trimmed = raw.trim();
    (!trimmed.is_empty()).then_some(trimmed)
}

/// Reads `YYYY-MM-DD`, the form a date field submits.
pub fn parse_date(raw: &str) -> Option<Date> {
    let mut parts = raw.trim().splitn(3, '-');
    let (year, month, day) = (parts.next()?, parts.next()?, parts.next()?);
    if year.len() != 4 || month.len() != 2 || day.len() != 2 {
        return None;
    }
    let year: i32 = year.parse().ok()?;
    let month = Month::try_from(month.parse::<u8>().ok()?).ok()?;
    let day: u8 = day.parse().ok()?;
    Date::from_calendar_date(year, month, day).ok()
}

fn parse_birth_date(raw: &str, today: Date) -> Result<Date, String> {
    let date = parse_date(raw)
        .ok_or_else(|| "Date of birth should be a date such as 1987-04-23".to_owned())?;
    if date > today {
        return Err("Date of birth cannot be in the future".into());
    }
    if date.year() < 1900 {
        return Err("Date of birth should be after 1900".into());
    }
    Ok(date)
}

fn parse_phone(raw: &str) -> Result<String, String> {
    if raw.chars().count() > MAX_PHONE {
        return Err(format!("Phone can be at most {MAX_PHONE} characters"));
    }
    let allowed = |c: char| c.is_ascii_digit() || matches!(c, ' ' | '+' | '-' | '(' | ')' | '.');
    if !raw.chars().all(allowed) || !raw.chars().any(|c| c.is_ascii_digit()) {
        return Err("Phone can hold digits, spaces and + - ( ) only".into());
    }
    Ok(raw.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> Date {
        Date::from_calendar_date(2026, Month::November, 30).unwrap()
    }

    #[test]
    fn only_the_name_is_required() {
        let form = ClientForm {
            name: " Sam ".into(),
            ..ClientForm::default()
        };
        let details = ClientDetails::parse(&form, today()).unwrap();
        assert_eq!(details.name.as_str(), "Sam");
        assert_eq!(details.email, None);
        assert_eq!(details.date_of_birth, None);
    }

    #[test]
    fn every_field_with_a_problem_is_named_at_once() {
        let form = ClientForm {
            name: String::new(),
            pronouns: "x".repeat(41),
            date_of_birth: "23/04/1987".into(),
            email: "not an address".into(),
            phone: "call me maybe".into(),
        };
        let problems = ClientDetails::parse(&form, today()).unwrap_err();
        assert!(problems.name.is_some());
        assert!(problems.pronouns.is_some());
        assert_eq!(
            problems.date_of_birth.as_deref(),
            Some("Date of birth should be a date such as 1987-04-23")
        );
        assert!(problems.email.is_some());
        assert!(problems.phone.is_some());
    }

    #[test]
    fn a_birth_date_must_be_real_and_not_in_the_future() {
        let born = |raw: &str| {
            ClientDetails::parse(
                &ClientForm {
                    name: "Sam".into(),
                    date_of_birth: raw.into(),
                    ..ClientForm::default()
                },
                today(),
            )
            .is_ok()
        };
        assert!(born("1987-04-23"));
        assert!(born("2026-11-30"));
        assert!(!born("2026-12-01"));
        assert!(!born("1987-02-30"));
        assert!(!born("1899-12-31"));
    }

    #[test]
    fn a_phone_number_keeps_its_separators() {
        let form = ClientForm {
            name: "Sam".into(),
            phone: "+44 (0)20 7946-0000".into(),
            ..ClientForm::default()
        };
        let details = ClientDetails::parse(&form, today()).unwrap();
        assert_eq!(details.phone.as_deref(), Some("+44 (0)20 7946-0000"));
    }

    #[test]
    fn debug_output_never_shows_details() {
        let form = ClientForm {
            name: "Aroha Ngata".into(),
            ..ClientForm::default()
        };
        let details = ClientDetails::parse(&form, today()).unwrap();
        assert!(!format!("{details:?}").contains("Aroha"));
    }
}

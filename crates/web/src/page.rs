//! What every page shares: the stylesheet and icon addresses, and which part of the
//! navigation is current.

use crate::assets;

/// The parts of the site the main navigation links to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Section {
    Home,
    Directory,
    Clinic,
    Portal,
    Admin,
    /// Error pages and anything else outside the navigation.
    None,
}

/// The shared frame of a page, passed to every template as `chrome`.
pub(crate) struct Chrome {
    pub(crate) stylesheet: &'static str,
    pub(crate) icon: &'static str,
    pub(crate) section: Section,
    /// The session's anti-forgery token when someone is signed in, for the sign-out
    /// button in the header.
    pub(crate) sign_out_csrf: Option<String>,
}

impl Default for Chrome {
    fn default() -> Self {
        Self::plain()
    }
}

impl Chrome {
    /// The frame for a page in `section`.
    pub(crate) fn at(section: Section) -> Self {
        Self {
            stylesheet: assets::stylesheet_path(),
            icon: assets::icon_path(),
            section,
            sign_out_csrf: None,
        }
    }

    /// The frame for a signed-in person's page in `section`.
    pub(crate) fn member(section: Section, member: &crate::session::Member) -> Self {
        Self {
            sign_out_csrf: Some(member.signed_in.csrf_token().to_owned()),
            ..Self::at(section)
        }
    }

    /// The frame for a public page, which anyone may read signed in or not: forms on it
    /// carry the session's anti-forgery token when there is a session.
    pub(crate) fn visitor(section: Section, visitor: &crate::session::Visitor) -> Self {
        Self {
            sign_out_csrf: visitor
                .signed_in
                .as_ref()
                .map(|signed_in| signed_in.csrf_token().to_owned()),
            ..Self::at(section)
        }
    }

    /// The frame for a page outside the navigation.
    pub(crate) fn plain() -> Self {
        Self::at(Section::None)
    }

    /// `aria-current="page"` belongs on the link to the current section; templates ask
    /// with this.
    pub(crate) fn is(&self, name: &str) -> bool {
        let current = match self.section {
            Section::Home => "home",
            Section::Directory => "directory",
            Section::Clinic => "clinic",
            Section::Portal => "portal",
            Section::Admin => "admin",
            Section::None => "",
        };
        current == name
    }
}

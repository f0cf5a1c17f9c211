//! The authorisation matrix: every route of the web application, asked by every kind of
//! person, with the answer each must get. A route missing from the matrix fails the
//! test, so a new page cannot ship without saying who may use it.

use std::collections::HashSet;

use axum::http::StatusCode;
use sensate_app::NewPerson;
use sensate_auth::totp::TotpSecret;
use sensate_domain::accounts::Role;
use sensate_domain::{Practice, PracticeName};

use crate::support::{Browser, TestApp, TestResponse, on_both_databases};

/// What a request must get.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Expect {
    /// This status.
    Status(u16),
    /// A redirect to exactly this address.
    To(&'static str),
}

use Expect::{Status, To};

const OK: Expect = Status(200);
const GONE: Expect = Status(404);
const SIGN_IN: Expect = To("/sign-in");
const AGAIN: Expect = To("/account/two-factor");
const CLEARED: Expect = To("/admin/reliable-change?cleared");

/// The kinds of people, in the order of each row's answers.
const ACTORS: [&str; 7] = [
    "anonymous",
    "owner",
    "clinician",
    "client",
    "owner of another practice",
    "directory verifier",
    "deactivated clinician",
];

/// One row: a route, how to ask it, and the answer for each kind of person.
struct Row {
    method: &'static str,
    path: &'static str,
    /// The concrete address asked (parameters filled in); `None`: the path itself.
    sample: Option<&'static str>,
    /// Form fields for a POST.
    form: &'static [(&'static str, &'static str)],
    /// The JSON body of an API call.
    json: Option<&'static str>,
    expect: [Expect; 7],
}

const fn row(method: &'static str, path: &'static str, expect: [Expect; 7]) -> Row {
    Row {
        method,
        path,
        sample: None,
        form: &[],
        json: None,
        expect,
    }
}

/// Staff pages of one's own practice.
const CLINIC: [Expect; 7] = [SIGN_IN, OK, OK, GONE, OK, GONE, SIGN_IN];
/// The practice owner's pages.
const ADMIN: [Expect; 7] = [SIGN_IN, OK, GONE, GONE, OK, GONE, SIGN_IN];
const EVERYONE: [Expect; 7] = [OK; 7];
/// The client's own portal pages.
const CLIENT_ONLY: [Expect; 7] = [SIGN_IN, GONE, GONE, OK, GONE, GONE, SIGN_IN];
/// A clinical record in the clinician's own care (not the owner's: running a practice
/// is not a reason to read a colleague's cases).
const THEIRS: [Expect; 7] = [SIGN_IN, GONE, OK, GONE, GONE, GONE, SIGN_IN];

/// The JSON API: a script without a session is told to sign in (401), not redirected.
const SIGN_IN_FIRST: Expect = Status(401);
/// The API of one's own practice's clinician app.
const API_CLINIC: [Expect; 7] = [SIGN_IN_FIRST, OK, OK, GONE, OK, GONE, SIGN_IN_FIRST];
/// An API record in the clinician's own care.
const API_THEIRS: [Expect; 7] = [SIGN_IN_FIRST, GONE, OK, GONE, GONE, GONE, SIGN_IN_FIRST];
/// An API write to a record in the clinician's own care, answered with this status.
const fn api_theirs(status: u16) -> [Expect; 7] {
    [
        SIGN_IN_FIRST,
        GONE,
        Status(status),
        GONE,
        GONE,
        GONE,
        SIGN_IN_FIRST,
    ]
}
/// The Chens' case through the portal API: not Sam's, so nobody's here.
const API_NOBODY: [Expect; 7] = [SIGN_IN_FIRST, GONE, GONE, GONE, GONE, GONE, SIGN_IN_FIRST];

/// An unknown invitation token (43 characters of base64url, so it parses).
const UNKNOWN_TOKEN: &str = "/invitations/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";

fn matrix() -> Vec<Row> {
    vec![
        row("GET", "/", EVERYONE),
        row("GET", "/directory", EVERYONE),
        row("GET", "/healthz", EVERYONE),
        Row {
            sample: Some("STYLESHEET"),
            ..row("GET", "/assets/{file}", EVERYONE)
        },
        row("GET", "/setup", [SIGN_IN; 7]),
        row(
            "GET",
            "/sign-in",
            [
                OK,
                To("/clinic"),
                To("/clinic"),
                To("/portal"),
                To("/clinic"),
                To("/verify"),
                OK,
            ],
        ),
        row("GET", "/sign-in/code", [SIGN_IN; 7]),
        row(
            "GET",
            "/account/two-factor",
            [SIGN_IN, OK, OK, OK, OK, OK, SIGN_IN],
        ),
        row("GET", "/clinic", CLINIC),
        // The directory's rows come after a page that gives each signed-in person
        // their form token.
        // No listed profile has the address `{id}`: a missing therapist answers 404,
        // for everyone, whatever is sent.
        row("GET", "/directory/therapists/{id}", [GONE; 7]),
        row("POST", "/directory/therapists/{id}/contact", [GONE; 7]),
        row("GET", "/directory/therapists/{id}/report", [GONE; 7]),
        row("POST", "/directory/therapists/{id}/report", [GONE; 7]),
        Row {
            sample: Some("/directory/guide/first-session"),
            ..row("GET", "/directory/guide/{page}", EVERYONE)
        },
        row("GET", "/clinic/directory", CLINIC),
        row(
            "POST",
            "/clinic/directory/profile",
            [
                SIGN_IN,
                Status(422),
                Status(422),
                GONE,
                Status(422),
                GONE,
                SIGN_IN,
            ],
        ),
        row(
            "POST",
            "/clinic/directory/credentials",
            [
                SIGN_IN,
                Status(422),
                Status(422),
                GONE,
                Status(422),
                GONE,
                SIGN_IN,
            ],
        ),
        row(
            "POST",
            "/clinic/directory/requests/{id}/read",
            [SIGN_IN, GONE, GONE, GONE, GONE, GONE, SIGN_IN],
        ),
        row(
            "GET",
            "/verify",
            [SIGN_IN, GONE, GONE, GONE, GONE, OK, SIGN_IN],
        ),
        row(
            "GET",
            "/verify/credentials/{id}/evidence",
            [SIGN_IN, GONE, GONE, GONE, GONE, GONE, SIGN_IN],
        ),
        row(
            "POST",
            "/verify/credentials/{id}",
            [SIGN_IN, GONE, GONE, GONE, GONE, GONE, SIGN_IN],
        ),
        row(
            "POST",
            "/verify/profiles/{id}/standing",
            [SIGN_IN, GONE, GONE, GONE, GONE, GONE, SIGN_IN],
        ),
        row(
            "POST",
            "/verify/reports/{id}",
            [SIGN_IN, GONE, GONE, GONE, GONE, GONE, SIGN_IN],
        ),
        Row {
            form: &[("name", "Someone"), ("email", "not an address")],
            ..row(
                "POST",
                "/clinic/invite",
                [
                    SIGN_IN,
                    Status(422),
                    Status(422),
                    GONE,
                    Status(422),
                    GONE,
                    SIGN_IN,
                ],
            )
        },
        Row {
            form: &[("text", "Chen"), ("kind", "couple")],
            ..row("POST", "/clinic/search", CLINIC)
        },
        row("GET", "/clinic/cases/new", CLINIC),
        Row {
            // A couple with one partner: refused with the form again, nothing stored.
            form: &[("kind", "couple"), ("client-0-name", "Solo")],
            ..row(
                "POST",
                "/clinic/cases/new",
                [
                    SIGN_IN,
                    Status(422),
                    Status(422),
                    GONE,
                    Status(422),
                    GONE,
                    SIGN_IN,
                ],
            )
        },
        Row {
            // The Chens' couple case, in Theo's (the clinician's) care, not the owner's.
            sample: Some("/clinic/cases/{case}"),
            ..row("GET", "/clinic/cases/{id}", THEIRS)
        },
        Row {
            sample: Some("/clinic/cases/{case}/close"),
            ..row(
                "POST",
                "/clinic/cases/{id}/close",
                [
                    SIGN_IN,
                    GONE,
                    To("/clinic?closed"),
                    GONE,
                    GONE,
                    GONE,
                    SIGN_IN,
                ],
            )
        },
        Row {
            sample: Some("/clinic/cases/{case}/reopen"),
            ..row(
                "POST",
                "/clinic/cases/{id}/reopen",
                [
                    SIGN_IN,
                    GONE,
                    To("/clinic/cases/{case}?reopened"),
                    GONE,
                    GONE,
                    GONE,
                    SIGN_IN,
                ],
            )
        },
        Row {
            // Alex already has a portal account: refused with the page again.
            sample: Some("/clinic/cases/{case}/clients/{client}/invite"),
            form: &[("email", "alex.again@client.example")],
            ..row(
                "POST",
                "/clinic/cases/{id}/clients/{client}/invite",
                [SIGN_IN, GONE, Status(422), GONE, GONE, GONE, SIGN_IN],
            )
        },
        Row {
            // Alex's intake, in the Chens' case: Theo's to read, nobody else's.
            sample: Some("/clinic/cases/{case}/clients/{client}/intake"),
            ..row("GET", "/clinic/cases/{id}/clients/{client}/intake", THEIRS)
        },
        Row {
            // An answer that is not one of the choices: refused, nothing saved.
            sample: Some("/clinic/cases/{case}/clients/{client}/intake"),
            form: &[("onset", "yesterday")],
            ..row(
                "POST",
                "/clinic/cases/{id}/clients/{client}/intake",
                [SIGN_IN, GONE, Status(422), GONE, GONE, GONE, SIGN_IN],
            )
        },
        Row {
            // No such alert: nobody can mark it as seen.
            sample: Some(
                "/clinic/cases/{case}/clients/{client}/alerts/01930000-0000-7000-8000-000000000099/acknowledge",
            ),
            ..row(
                "POST",
                "/clinic/cases/{id}/clients/{client}/alerts/{alert}/acknowledge",
                [SIGN_IN, GONE, GONE, GONE, GONE, GONE, SIGN_IN],
            )
        },
        Row {
            sample: Some("/clinic/cases/{case}/sessions/new"),
            ..row("GET", "/clinic/cases/{id}/sessions/new", THEIRS)
        },
        Row {
            sample: Some("/clinic/cases/{case}/sessions/new"),
            form: &[("date", "2026-11-30"), ("time", "10:00"), ("minutes", "0")],
            ..row(
                "POST",
                "/clinic/cases/{id}/sessions/new",
                [SIGN_IN, GONE, Status(422), GONE, GONE, GONE, SIGN_IN],
            )
        },
        Row {
            // A joint session of the Chens, recorded for the matrix.
            sample: Some("/clinic/cases/{case}/sessions/{session}"),
            ..row("GET", "/clinic/cases/{id}/sessions/{session}", THEIRS)
        },
        Row {
            sample: Some("/clinic/cases/{case}/sessions/{session}/note"),
            form: &[
                ("template", "soap"),
                ("subjective", "Both came."),
                ("action", "save"),
            ],
            ..row(
                "POST",
                "/clinic/cases/{id}/sessions/{session}/note",
                [
                    SIGN_IN,
                    GONE,
                    To("/clinic/cases/{case}/sessions/{session}?saved"),
                    GONE,
                    GONE,
                    GONE,
                    SIGN_IN,
                ],
            )
        },
        Row {
            // The note is a draft: an addendum is refused until it is signed.
            sample: Some("/clinic/cases/{case}/sessions/{session}/addenda"),
            form: &[("text", "Later thought.")],
            ..row(
                "POST",
                "/clinic/cases/{id}/sessions/{session}/addenda",
                [SIGN_IN, GONE, Status(422), GONE, GONE, GONE, SIGN_IN],
            )
        },
        Row {
            sample: Some("/clinic/cases/{case}/sessions/{session}/process-note"),
            form: &[("text", "My own thoughts.")],
            ..row(
                "POST",
                "/clinic/cases/{id}/sessions/{session}/process-note",
                [
                    SIGN_IN,
                    GONE,
                    To("/clinic/cases/{case}/sessions/{session}?saved"),
                    GONE,
                    GONE,
                    GONE,
                    SIGN_IN,
                ],
            )
        },
        Row {
            sample: Some("/clinic/cases/{case}/clients/{client}/formulation"),
            ..row(
                "GET",
                "/clinic/cases/{id}/clients/{client}/formulation",
                THEIRS,
            )
        },
        Row {
            sample: Some("/clinic/cases/{case}/clients/{client}/formulation"),
            form: &[("concern", "not_a_concern")],
            ..row(
                "POST",
                "/clinic/cases/{id}/clients/{client}/formulation",
                [SIGN_IN, GONE, Status(422), GONE, GONE, GONE, SIGN_IN],
            )
        },
        Row {
            sample: Some("/clinic/cases/{case}/plan"),
            ..row("GET", "/clinic/cases/{id}/plan", THEIRS)
        },
        Row {
            // No problem named: refused, nothing saved.
            sample: Some("/clinic/cases/{case}/plan"),
            form: &[("based_on", "0"), ("problems", "")],
            ..row(
                "POST",
                "/clinic/cases/{id}/plan",
                [SIGN_IN, GONE, Status(422), GONE, GONE, GONE, SIGN_IN],
            )
        },
        Row {
            // The Chens' plan is not Sam's (the client here) to read.
            sample: Some("/portal/cases/{case}/plan"),
            ..row(
                "GET",
                "/portal/cases/{id}/plan",
                [SIGN_IN, GONE, GONE, GONE, GONE, GONE, SIGN_IN],
            )
        },
        Row {
            sample: Some("/portal/cases/{case}/plan"),
            form: &[("revision", "01930000-0000-7000-8000-000000000099")],
            ..row(
                "POST",
                "/portal/cases/{id}/plan",
                [SIGN_IN, GONE, GONE, GONE, GONE, GONE, SIGN_IN],
            )
        },
        Row {
            sample: Some("/clinic/cases/{case}/messages"),
            ..row("GET", "/clinic/cases/{id}/messages", THEIRS)
        },
        Row {
            // An empty message: refused with the page again, nothing sent.
            sample: Some("/clinic/cases/{case}/messages"),
            form: &[("to", "case"), ("text", " ")],
            ..row(
                "POST",
                "/clinic/cases/{id}/messages",
                [SIGN_IN, GONE, Status(422), GONE, GONE, GONE, SIGN_IN],
            )
        },
        Row {
            // No such message: nobody can share it.
            sample: Some(
                "/clinic/cases/{case}/messages/01930000-0000-7000-8000-000000000099/share",
            ),
            ..row(
                "POST",
                "/clinic/cases/{id}/messages/{message}/share",
                [SIGN_IN, GONE, GONE, GONE, GONE, GONE, SIGN_IN],
            )
        },
        Row {
            // The Chens' messages are not Sam's (the client here).
            sample: Some("/portal/cases/{case}/messages"),
            ..row(
                "GET",
                "/portal/cases/{id}/messages",
                [SIGN_IN, GONE, GONE, GONE, GONE, GONE, SIGN_IN],
            )
        },
        Row {
            sample: Some("/portal/cases/{case}/messages"),
            form: &[("to", "case"), ("text", "Hello")],
            ..row(
                "POST",
                "/portal/cases/{id}/messages",
                [SIGN_IN, GONE, GONE, GONE, GONE, GONE, SIGN_IN],
            )
        },
        Row {
            sample: Some(
                "/portal/cases/{case}/messages/01930000-0000-7000-8000-000000000099/share",
            ),
            ..row(
                "POST",
                "/portal/cases/{id}/messages/{message}/share",
                [SIGN_IN, GONE, GONE, GONE, GONE, GONE, SIGN_IN],
            )
        },
        Row {
            sample: Some("/clinic/cases/{case}/export"),
            ..row("GET", "/clinic/cases/{id}/export", THEIRS)
        },
        row("GET", "/portal/records", CLIENT_ONLY),
        row("GET", "/portal/records/download", CLIENT_ONLY),
        Row {
            sample: Some("/clinic/cases/{case}/clients/{client}/questionnaires"),
            ..row(
                "GET",
                "/clinic/cases/{id}/clients/{client}/questionnaires",
                THEIRS,
            )
        },
        Row {
            // Not an instrument: refused with the page again, nothing assigned.
            sample: Some("/clinic/cases/{case}/clients/{client}/questionnaires"),
            form: &[("instrument", "phq10")],
            ..row(
                "POST",
                "/clinic/cases/{id}/clients/{client}/questionnaires",
                [SIGN_IN, GONE, Status(422), GONE, GONE, GONE, SIGN_IN],
            )
        },
        Row {
            // No such assignment: nobody can stop it.
            sample: Some(
                "/clinic/cases/{case}/clients/{client}/questionnaires/01930000-0000-7000-8000-000000000099/stop",
            ),
            ..row(
                "POST",
                "/clinic/cases/{id}/clients/{client}/questionnaires/{assignment}/stop",
                [SIGN_IN, GONE, GONE, GONE, GONE, GONE, SIGN_IN],
            )
        },
        Row {
            sample: Some(
                "/clinic/cases/{case}/clients/{client}/questionnaires/paper?instrument=phq9",
            ),
            ..row(
                "GET",
                "/clinic/cases/{id}/clients/{client}/questionnaires/paper",
                THEIRS,
            )
        },
        Row {
            // No answers entered: refused with the form again, nothing saved.
            sample: Some("/clinic/cases/{case}/clients/{client}/questionnaires/paper"),
            form: &[("instrument", "phq9")],
            ..row(
                "POST",
                "/clinic/cases/{id}/clients/{client}/questionnaires/paper",
                [SIGN_IN, GONE, Status(422), GONE, GONE, GONE, SIGN_IN],
            )
        },
        Row {
            // No such response: nothing to export for anyone.
            sample: Some(
                "/clinic/cases/{case}/clients/{client}/questionnaires/01930000-0000-7000-8000-000000000099/fhir",
            ),
            ..row(
                "GET",
                "/clinic/cases/{id}/clients/{client}/questionnaires/{response}/fhir",
                [SIGN_IN, GONE, GONE, GONE, GONE, GONE, SIGN_IN],
            )
        },
        Row {
            // No such assignment for anyone.
            sample: Some("/portal/questionnaires/01930000-0000-7000-8000-000000000099"),
            ..row(
                "GET",
                "/portal/questionnaires/{assignment}",
                [SIGN_IN, GONE, GONE, GONE, GONE, GONE, SIGN_IN],
            )
        },
        Row {
            sample: Some("/portal/questionnaires/01930000-0000-7000-8000-000000000099"),
            form: &[("phq9_1", "1"), ("action", "save")],
            ..row(
                "POST",
                "/portal/questionnaires/{assignment}",
                [SIGN_IN, GONE, GONE, GONE, GONE, GONE, SIGN_IN],
            )
        },
        // The JSON API, on the same case and session as the pages above.
        row("GET", "/api/openapi.json", EVERYONE),
        row(
            "GET",
            "/api/session",
            [SIGN_IN_FIRST, OK, OK, OK, OK, OK, SIGN_IN_FIRST],
        ),
        row("GET", "/api/cases", API_CLINIC),
        Row {
            // A couple with one partner: refused, nothing stored.
            json: Some(r#"{"kind": "couple", "clients": [{"name": "Solo"}]}"#),
            ..row(
                "POST",
                "/api/cases",
                [
                    SIGN_IN_FIRST,
                    Status(422),
                    Status(422),
                    GONE,
                    Status(422),
                    GONE,
                    SIGN_IN_FIRST,
                ],
            )
        },
        Row {
            json: Some(r#"{"text": "Chen", "kind": "couple"}"#),
            ..row("POST", "/api/cases/search", API_CLINIC)
        },
        Row {
            sample: Some("/api/cases/{case}"),
            ..row("GET", "/api/cases/{id}", API_THEIRS)
        },
        Row {
            sample: Some("/api/cases/{case}/close"),
            ..row("POST", "/api/cases/{id}/close", API_THEIRS)
        },
        Row {
            sample: Some("/api/cases/{case}/reopen"),
            ..row("POST", "/api/cases/{id}/reopen", API_THEIRS)
        },
        Row {
            sample: Some("/api/cases/{case}/clients/{client}"),
            ..row("GET", "/api/cases/{id}/clients/{client}", API_THEIRS)
        },
        Row {
            sample: Some("/api/cases/{case}/plan"),
            ..row("GET", "/api/cases/{id}/plan", API_THEIRS)
        },
        Row {
            // No problem named: refused, nothing saved.
            sample: Some("/api/cases/{case}/plan"),
            json: Some(
                r#"{"based_on": 0, "problems": [], "planned_sessions": 12, "frequency": "weekly", "review_date": "2030-01-01"}"#,
            ),
            ..row("POST", "/api/cases/{id}/plan", api_theirs(422))
        },
        Row {
            sample: Some("/api/portal/cases/{case}/plan"),
            ..row("GET", "/api/portal/cases/{id}/plan", API_NOBODY)
        },
        Row {
            sample: Some("/api/portal/cases/{case}/plan/acknowledge"),
            json: Some(r#"{"revision": "01930000-0000-7000-8000-000000000099"}"#),
            ..row(
                "POST",
                "/api/portal/cases/{id}/plan/acknowledge",
                API_NOBODY,
            )
        },
        Row {
            sample: Some("/api/cases/{case}/sessions"),
            ..row("GET", "/api/cases/{id}/sessions", API_THEIRS)
        },
        Row {
            // No minutes and nobody attending: refused, nothing saved.
            sample: Some("/api/cases/{case}/sessions"),
            json: Some(
                r#"{"date": "2026-11-30", "time": "10:00", "minutes": 0, "modality": "video", "session_type": "couple_with_client", "attendees": []}"#,
            ),
            ..row("POST", "/api/cases/{id}/sessions", api_theirs(422))
        },
        Row {
            sample: Some("/api/cases/{case}/sessions/{session}"),
            ..row("GET", "/api/cases/{id}/sessions/{session}", API_THEIRS)
        },
        Row {
            sample: Some("/api/cases/{case}/sessions/{session}/note"),
            json: Some(r#"{"template": "soap", "sections": {"subjective": "Both came."}}"#),
            ..row(
                "PUT",
                "/api/cases/{id}/sessions/{session}/note",
                api_theirs(204),
            )
        },
        Row {
            // The note is a draft: an addendum is refused until it is signed.
            sample: Some("/api/cases/{case}/sessions/{session}/addenda"),
            json: Some(r#"{"text": "Later thought."}"#),
            ..row(
                "POST",
                "/api/cases/{id}/sessions/{session}/addenda",
                api_theirs(422),
            )
        },
        Row {
            sample: Some("/api/cases/{case}/sessions/{session}/process-note"),
            ..row(
                "GET",
                "/api/cases/{id}/sessions/{session}/process-note",
                API_THEIRS,
            )
        },
        Row {
            sample: Some("/api/cases/{case}/sessions/{session}/process-note"),
            json: Some(r#"{"text": "My own thoughts."}"#),
            ..row(
                "PUT",
                "/api/cases/{id}/sessions/{session}/process-note",
                api_theirs(204),
            )
        },
        Row {
            sample: Some("/api/cases/{case}/messages"),
            ..row("GET", "/api/cases/{id}/messages", API_THEIRS)
        },
        Row {
            sample: Some("/api/cases/{case}/messages"),
            json: Some(r#"{"to": "case", "text": " "}"#),
            ..row("POST", "/api/cases/{id}/messages", api_theirs(422))
        },
        Row {
            sample: Some("/api/cases/{case}/messages/01930000-0000-7000-8000-000000000099/share"),
            ..row(
                "POST",
                "/api/cases/{id}/messages/{message}/share",
                API_NOBODY,
            )
        },
        Row {
            sample: Some("/api/portal/cases/{case}/messages"),
            ..row("GET", "/api/portal/cases/{id}/messages", API_NOBODY)
        },
        Row {
            sample: Some("/api/portal/cases/{case}/messages"),
            json: Some(r#"{"to": "case", "text": "Hello"}"#),
            ..row("POST", "/api/portal/cases/{id}/messages", API_NOBODY)
        },
        Row {
            sample: Some(
                "/api/portal/cases/{case}/messages/01930000-0000-7000-8000-000000000099/share",
            ),
            ..row(
                "POST",
                "/api/portal/cases/{id}/messages/{message}/share",
                API_NOBODY,
            )
        },
        Row {
            // Last of the case rows: afterwards the case is Priya's, not Theo's.
            sample: Some("/clinic/cases/{case}/transfer"),
            form: &[("to", "{colleague}")],
            ..row(
                "POST",
                "/clinic/cases/{id}/transfer",
                [
                    SIGN_IN,
                    GONE,
                    To("/clinic?transferred"),
                    GONE,
                    GONE,
                    GONE,
                    SIGN_IN,
                ],
            )
        },
        row(
            "GET",
            "/portal",
            [SIGN_IN, GONE, GONE, OK, GONE, GONE, SIGN_IN],
        ),
        row("GET", "/admin", ADMIN),
        row("GET", "/admin/consent", ADMIN),
        row("GET", "/admin/instruments", ADMIN),
        row("GET", "/admin/crisis-resources", ADMIN),
        Row {
            // Empty: refused with the page again, nothing saved.
            form: &[("text", "")],
            ..row(
                "POST",
                "/admin/crisis-resources",
                [SIGN_IN, Status(422), GONE, GONE, Status(422), GONE, SIGN_IN],
            )
        },
        row("GET", "/admin/reliable-change", ADMIN),
        Row {
            // No numbers: refused with the page again, nothing saved.
            form: &[("measure", "asex:total"), ("source", "Local sample")],
            ..row(
                "POST",
                "/admin/reliable-change",
                [SIGN_IN, Status(422), GONE, GONE, Status(422), GONE, SIGN_IN],
            )
        },
        Row {
            // Nothing set for this score: removing it changes nothing.
            expect: [SIGN_IN, CLEARED, GONE, GONE, CLEARED, GONE, SIGN_IN],
            form: &[("instrument", "asex"), ("score", "total")],
            ..row("POST", "/admin/reliable-change/clear", ADMIN)
        },
        Row {
            // Not a Questionnaire: refused with the page again, nothing imported.
            form: &[("questionnaire", "{\"resourceType\": \"Patient\"}")],
            ..row(
                "POST",
                "/admin/instruments",
                [SIGN_IN, Status(422), GONE, GONE, Status(422), GONE, SIGN_IN],
            )
        },
        Row {
            form: &[("title", ""), ("body", "Talk therapy only.")],
            ..row(
                "POST",
                "/admin/consent",
                [SIGN_IN, Status(422), GONE, GONE, Status(422), GONE, SIGN_IN],
            )
        },
        row("GET", "/portal/consent", CLIENT_ONLY),
        row("GET", "/portal/intake", CLIENT_ONLY),
        Row {
            form: &[("onset", "yesterday"), ("action", "save")],
            ..row(
                "POST",
                "/portal/intake",
                [SIGN_IN, GONE, GONE, Status(422), GONE, GONE, SIGN_IN],
            )
        },
        Row {
            // No name typed: refused with the page again, nothing recorded.
            form: &[("document", "not-an-id"), ("name", ""), ("agree", "yes")],
            ..row(
                "POST",
                "/portal/consent",
                [SIGN_IN, GONE, GONE, Status(422), GONE, GONE, SIGN_IN],
            )
        },
        Row {
            // The Chens' couple case: not Sam's (the client here), so not his to agree to.
            sample: Some("/portal/cases/{case}/secrets-policy"),
            ..row(
                "GET",
                "/portal/cases/{id}/secrets-policy",
                [SIGN_IN, GONE, GONE, GONE, GONE, GONE, SIGN_IN],
            )
        },
        Row {
            sample: Some("/portal/cases/{case}/secrets-policy"),
            form: &[("policy", "limited_secrets"), ("agree", "yes")],
            ..row(
                "POST",
                "/portal/cases/{id}/secrets-policy",
                [SIGN_IN, GONE, GONE, GONE, GONE, GONE, SIGN_IN],
            )
        },
        row("GET", "/admin/people", ADMIN),
        row("GET", "/admin/outbox", ADMIN),
        row("GET", "/admin/audit", ADMIN),
        Row {
            sample: Some(UNKNOWN_TOKEN),
            ..row("GET", "/invitations/{token}", [GONE; 7])
        },
        Row {
            form: &[
                ("practice_name", "Takeover"),
                ("owner_name", "Mallory"),
                ("email", "mallory@evil.example"),
                ("password", "a long enough password"),
            ],
            ..row("POST", "/setup", [SIGN_IN; 7])
        },
        Row {
            // `{actor}` is replaced per person, so the attempts do not add up to a throttle.
            form: &[
                ("email", "nobody-{actor}@nowhere.example"),
                ("password", "not a password here"),
            ],
            ..row("POST", "/sign-in", [Status(401); 7])
        },
        Row {
            form: &[("code", "123456")],
            ..row("POST", "/sign-in/code", [SIGN_IN; 7])
        },
        Row {
            // A tampered secret: the form is stale, so it starts again.
            form: &[("secret", "zz"), ("code", "123456")],
            ..row(
                "POST",
                "/account/two-factor",
                [SIGN_IN, AGAIN, AGAIN, AGAIN, AGAIN, AGAIN, SIGN_IN],
            )
        },
        Row {
            form: &[
                ("name", "Someone"),
                ("email", "not an address"),
                ("role", "clinician"),
            ],
            ..row(
                "POST",
                "/admin/people/invite",
                [SIGN_IN, Status(422), GONE, GONE, Status(422), GONE, SIGN_IN],
            )
        },
        Row {
            // The practice's client: not a clinician, so no one may deactivate them here.
            sample: Some("CLIENT_DEACTIVATE"),
            ..row(
                "POST",
                "/admin/people/{id}/deactivate",
                [SIGN_IN, GONE, GONE, GONE, GONE, GONE, SIGN_IN],
            )
        },
        Row {
            sample: Some(UNKNOWN_TOKEN),
            form: &[("password", "a long enough password")],
            ..row("POST", "/invitations/{token}", [GONE; 7])
        },
        row(
            "GET",
            "/account/password",
            [SIGN_IN, OK, OK, OK, OK, OK, SIGN_IN],
        ),
        Row {
            form: &[
                ("current", "not my password at all"),
                ("password", "a brand new password"),
            ],
            ..row(
                "POST",
                "/account/password",
                [
                    SIGN_IN,
                    Status(422),
                    Status(422),
                    Status(422),
                    Status(422),
                    Status(422),
                    SIGN_IN,
                ],
            )
        },
        row("GET", "/password-reset", EVERYONE),
        Row {
            form: &[("email", "nobody-{actor}@nowhere.example")],
            ..row("POST", "/password-reset", EVERYONE)
        },
        Row {
            sample: Some("/password-reset/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"),
            ..row("GET", "/password-reset/{token}", [GONE; 7])
        },
        Row {
            sample: Some("/password-reset/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"),
            form: &[("password", "a brand new password")],
            ..row("POST", "/password-reset/{token}", [GONE; 7])
        },
        // Last: it ends the session.
        row("POST", "/sign-out", [To("/sign-in?signed-out"); 7]),
    ]
}

fn outcome(response: &TestResponse, case: &str, session: &str) -> Expect {
    if response.status.is_redirection() {
        // A fixed string from our own redirects (with the sample case's id written as
        // `{case}`); leak it to get a &'static str.
        let location = response
            .header("location")
            .replace(case, "{case}")
            .replace(session, "{session}");
        let to: &'static str = Box::leak(location.into_boxed_str());
        To(to)
    } else {
        Status(response.status.as_u16())
    }
}

pub(crate) async fn full_session<'a>(
    app: &'a TestApp,
    email: &str,
    password: &str,
    secret: &[u8; 20],
) -> Browser<'a> {
    let browser = app.browser();
    browser
        .post("/sign-in", &[("email", email), ("password", password)])
        .await;
    browser.get("/sign-in/code").await;
    let code = {
        use sensate_app::Clock;
        sensate_auth::totp::code_at(&TotpSecret::from_bytes(secret).unwrap(), app.clock.now())
    };
    let done = browser.post("/sign-in/code", &[("code", &code)]).await;
    assert!(done.status.is_redirection(), "{email}: {}", done.body);
    browser
}

struct World<'a> {
    browsers: Vec<Browser<'a>>,
    client_id: String,
    case_id: String,
    case_client_id: String,
    session_id: String,
    colleague_id: String,
}

async fn world(app: &TestApp) -> World<'_> {
    sensate::demo::seed(&app.app).await.unwrap();
    let people = sensate::demo::PEOPLE;
    let owner = &people[0];
    let clinician = &people[1];
    let client = &people[3];

    let other = Practice::new(PracticeName::parse("Elsewhere Counselling").unwrap(), false);
    app.app.create_practice(&other).await.unwrap();
    let secret = *b"another-practice-own";
    app.app
        .add_person(NewPerson {
            id: None,
            practice: Some(other.id),
            role: Role::Owner,
            name: "Olu Martins",
            email: "olu@elsewhere.example",
            password: "elsewhere owner password",
            second_factor: Some((&secret, &[])),
            client: None,
        })
        .await
        .unwrap();
    let verifier_secret = *b"directory-verifier-1";
    app.app
        .add_person(NewPerson {
            id: None,
            practice: None,
            role: Role::Verifier,
            name: "Vera Lind",
            email: "vera@directory.example",
            password: "directory verifier password",
            second_factor: Some((&verifier_secret, &[])),
            client: None,
        })
        .await
        .unwrap();
    let leaving_secret = *b"leaving-clinician-01";
    let leaving = app
        .app
        .add_person(NewPerson {
            id: None,
            practice: Some(sensate_domain::PracticeId::from_uuid(
                app.store.practices().await.unwrap()[0].id.as_uuid(),
            )),
            role: Role::Clinician,
            name: "Lee Carter",
            email: "lee@harbour-street.example",
            password: "leaving clinician password",
            second_factor: Some((&leaving_secret, &[])),
            client: None,
        })
        .await
        .unwrap();

    let anonymous = app.browser();
    let owner_browser =
        full_session(app, owner.email, owner.password, owner.totp_secret.unwrap()).await;
    let clinician_browser = full_session(
        app,
        clinician.email,
        clinician.password,
        clinician.totp_secret.unwrap(),
    )
    .await;
    let client_browser = app.browser();
    client_browser
        .post(
            "/sign-in",
            &[("email", client.email), ("password", client.password)],
        )
        .await;
    let other_browser = full_session(
        app,
        "olu@elsewhere.example",
        "elsewhere owner password",
        &secret,
    )
    .await;
    let verifier_browser = full_session(
        app,
        "vera@directory.example",
        "directory verifier password",
        &verifier_secret,
    )
    .await;
    let leaving_browser = full_session(
        app,
        "lee@harbour-street.example",
        "leaving clinician password",
        &leaving_secret,
    )
    .await;
    app.store
        .deactivate_account(leaving, sensate_domain::clock::now())
        .await
        .unwrap();

    let client_id = app
        .store
        .account_by_email(&app.app.vault().email_lookup(client.email))
        .await
        .unwrap()
        .unwrap()
        .id
        .to_string();
    let theo = app
        .store
        .account_by_email(&app.app.vault().email_lookup(clinician.email))
        .await
        .unwrap()
        .unwrap();
    let chens = app
        .store
        .clinician_cases(theo.id)
        .await
        .unwrap()
        .into_iter()
        .find(|case| case.kind == sensate_domain::cases::CaseKind::Couple)
        .expect("the demo gives Theo the Chens' couple case");
    let case_id = chens.id.to_string();
    let case_client_id = chens.clients[0].to_string();
    let session = sensate_store::TherapySessionRecord {
        id: uuid::Uuid::now_v7(),
        practice_id: chens.practice_id,
        case_id: chens.id,
        starts_at: sensate_domain::clock::now(),
        minutes: 50,
        modality: "video".into(),
        session_type: "couple_with_client".into(),
        cpt_code: Some("90847".into()),
        attendees: chens.clients.clone(),
        recorded_by: theo.id,
    };
    app.store
        .record_session(
            &session,
            sensate_store::Audited {
                chain: app.app.vault().audit_chain(),
                events: Vec::new(),
                at: sensate_domain::clock::now(),
            },
        )
        .await
        .unwrap();
    let session_id = session.id.to_string();
    let colleague_id = app
        .store
        .account_by_email(&app.app.vault().email_lookup(people[2].email))
        .await
        .unwrap()
        .unwrap()
        .id
        .to_string();
    World {
        case_id,
        case_client_id,
        session_id,
        colleague_id,
        browsers: vec![
            anonymous,
            owner_browser,
            clinician_browser,
            client_browser,
            other_browser,
            verifier_browser,
            leaving_browser,
        ],
        client_id,
    }
}

fn stylesheet(app_home: &str) -> String {
    app_home
        .split('"')
        .find(|s| s.starts_with("/assets/sensate-"))
        .expect("the home page links its stylesheet")
        .to_owned()
}

#[test]
fn every_route_has_a_row_and_every_row_a_route() {
    let routes: HashSet<(&str, &str)> = sensate_web::route_table()
        .into_iter()
        .map(|route| (route.method, route.path))
        .collect();
    let rows: HashSet<(&str, &str)> = matrix().iter().map(|row| (row.method, row.path)).collect();
    let missing: Vec<_> = routes.difference(&rows).collect();
    assert!(
        missing.is_empty(),
        "routes with no row in the access matrix: {missing:?}"
    );
    let stale: Vec<_> = rows.difference(&routes).collect();
    assert!(
        stale.is_empty(),
        "matrix rows for routes that no longer exist: {stale:?}"
    );
}

on_both_databases! {
    async fn every_route_answers_every_kind_of_person_as_the_matrix_says(app: TestApp) {
        let world = world(&app).await;
        let home = app.get("/").await;
        let stylesheet = stylesheet(&home.body);
        let mut failures = Vec::new();
        for row in matrix() {
            let address = match row.sample {
                Some("STYLESHEET") => stylesheet.clone(),
                Some("CLIENT_DEACTIVATE") => format!("/admin/people/{}/deactivate", world.client_id),
                Some(sample) => sample
                    .replace("{case}", &world.case_id)
                    .replace("{client}", &world.case_client_id)
                    .replace("{session}", &world.session_id),
                None => row.path.to_owned(),
            };
            for (actor, (browser, expected)) in world.browsers.iter().zip(row.expect).enumerate() {
                // Each request starts from a page of the site, as a browser's would, so
                // forms carry the session's current token.
                if row.method != "GET" {
                    browser.get("/").await;
                }
                let form: Vec<(&str, String)> = row
                    .form
                    .iter()
                    .map(|(name, value)| {
                        let value = value
                            .replace("{actor}", &actor.to_string())
                            .replace("{colleague}", &world.colleague_id);
                        (*name, value)
                    })
                    .collect();
                let form: Vec<(&str, &str)> =
                    form.iter().map(|(name, value)| (*name, value.as_str())).collect();
                let response = if row.path.starts_with("/api/") {
                    browser.api(row.method, &address, row.json).await
                } else if row.method == "GET" {
                    browser.get(&address).await
                } else {
                    browser.post(&address, &form).await
                };
                let got = outcome(&response, &world.case_id, &world.session_id);
                if got != expected {
                    failures.push(format!(
                        "{} {} as {}: expected {expected:?}, got {got:?}",
                        row.method, address, ACTORS[actor]
                    ));
                }
            }
        }
        assert!(failures.is_empty(), "{} mismatches:\n{}", failures.len(), failures.join("\n"));
    }

    async fn a_forbidden_id_answers_exactly_like_one_that_does_not_exist(app: TestApp) {
        let world = world(&app).await;
        let clinician = app
            .store
            .account_by_email(&app.app.vault().email_lookup(sensate::demo::PEOPLE[1].email))
            .await
            .unwrap()
            .unwrap();
        let other_owner = &world.browsers[4];
        other_owner.get("/admin/people").await;
        let forbidden = other_owner
            .post(&format!("/admin/people/{}/deactivate", clinician.id), &[])
            .await;
        other_owner.get("/admin/people").await;
        let missing = other_owner
            .post(&format!("/admin/people/{}/deactivate", uuid::Uuid::now_v7()), &[])
            .await;
        assert_eq!(forbidden.status, StatusCode::NOT_FOUND);
        assert_eq!(forbidden.status, missing.status);
        assert_eq!(forbidden.body, missing.body, "same body, so nothing is confirmed");
        assert!(
            app.store.account(clinician.id).await.unwrap().unwrap().is_active(),
            "the other practice's owner changed nothing"
        );
    }

    async fn a_case_someone_may_not_see_answers_exactly_like_one_that_does_not_exist(app: TestApp) {
        let world = world(&app).await;
        // The owner runs the practice but is not the Chens' clinician.
        let owner = &world.browsers[1];
        let forbidden = owner.get(&format!("/clinic/cases/{}", world.case_id)).await;
        let missing = owner.get(&format!("/clinic/cases/{}", uuid::Uuid::now_v7())).await;
        let junk = owner.get("/clinic/cases/not-an-id").await;
        assert_eq!(forbidden.status, StatusCode::NOT_FOUND);
        assert_eq!(forbidden.status, missing.status);
        assert_eq!(forbidden.body, missing.body, "same body, so nothing is confirmed");
        assert_eq!(junk.body, missing.body);
        assert!(!forbidden.body.contains("Chen"));
        owner.get("/clinic").await;
        let close = owner.post(&format!("/clinic/cases/{}/close", world.case_id), &[]).await;
        assert_eq!(close.status, StatusCode::NOT_FOUND);
        let case = app.store.case(world.case_id.parse().unwrap()).await.unwrap().unwrap();
        assert_eq!(case.closed_at, None, "the owner changed nothing");
    }
}

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
    expect: [Expect; 7],
}

const fn row(method: &'static str, path: &'static str, expect: [Expect; 7]) -> Row {
    Row {
        method,
        path,
        sample: None,
        form: &[],
        expect,
    }
}

/// Staff pages of one's own practice.
const CLINIC: [Expect; 7] = [SIGN_IN, OK, OK, GONE, OK, GONE, SIGN_IN];
/// The practice owner's pages.
const ADMIN: [Expect; 7] = [SIGN_IN, OK, GONE, GONE, OK, GONE, SIGN_IN];
const EVERYONE: [Expect; 7] = [OK; 7];

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
                To("/"),
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
        row(
            "GET",
            "/portal",
            [SIGN_IN, GONE, GONE, OK, GONE, GONE, SIGN_IN],
        ),
        row("GET", "/admin", ADMIN),
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

fn outcome(response: &TestResponse) -> Expect {
    if response.status.is_redirection() {
        // A fixed string from our own redirects; leak it to get a &'static str.
        let to: &'static str = Box::leak(response.header("location").to_owned().into_boxed_str());
        To(to)
    } else {
        Status(response.status.as_u16())
    }
}

async fn full_session<'a>(
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
    World {
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
                Some(sample) => sample.to_owned(),
                None => row.path.to_owned(),
            };
            for (actor, (browser, expected)) in world.browsers.iter().zip(row.expect).enumerate() {
                // Each request starts from a page of the site, as a browser's would, so
                // forms carry the session's current token.
                if row.method == "POST" {
                    browser.get("/").await;
                }
                let form: Vec<(&str, String)> = row
                    .form
                    .iter()
                    .map(|(name, value)| (*name, value.replace("{actor}", &actor.to_string())))
                    .collect();
                let form: Vec<(&str, &str)> =
                    form.iter().map(|(name, value)| (*name, value.as_str())).collect();
                let response = match row.method {
                    "GET" => browser.get(&address).await,
                    _ => browser.post(&address, &form).await,
                };
                let got = outcome(&response);
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
}

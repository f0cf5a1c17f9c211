//! Setup, sign-in with a second factor, sessions and their ends, throttling and
//! forged forms, through the real router.

use axum::http::StatusCode;
use sensate_auth::totp::{TotpSecret, code_at};
use time::Duration;

use crate::support::{Browser, TestApp, on_both_databases};

const EMAIL: &str = "maya@harbour.example";
const PASSWORD: &str = "correct horse battery staple";

fn location(response: &crate::support::TestResponse) -> &str {
    response.header("location")
}

fn secret_on(page: &str) -> TotpSecret {
    let start = page.find(r#"name="secret" value=""#).expect("secret field") + 21;
    let hex = &page[start..start + page[start..].find('"').unwrap()];
    let bytes: Vec<u8> = (0..hex.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&hex[i..i + 2], 16).unwrap())
        .collect();
    TotpSecret::from_bytes(&bytes).unwrap()
}

fn code(app: &TestApp, secret: &TotpSecret) -> String {
    use sensate_app::Clock;
    code_at(secret, app.clock.now())
}

/// Sets up the practice and enrols the owner's authenticator; returns its secret.
async fn set_up_owner(app: &TestApp, browser: &Browser<'_>) -> TotpSecret {
    set_up_practice_named(app, browser, "Harbour Street").await
}

/// Sets up a practice with this name, owner signed in with a second factor.
pub(crate) async fn set_up_practice_named(
    app: &TestApp,
    browser: &Browser<'_>,
    practice_name: &str,
) -> TotpSecret {
    let created = browser
        .post(
            "/setup",
            &[
                ("practice_name", practice_name),
                ("owner_name", "Maya Okafor"),
                ("email", EMAIL),
                ("password", PASSWORD),
            ],
        )
        .await;
    assert_eq!(created.status, StatusCode::SEE_OTHER, "{}", created.body);
    assert_eq!(location(&created), "/account/two-factor");
    let enrol = browser.get("/account/two-factor").await;
    assert_eq!(enrol.status, StatusCode::OK);
    assert!(enrol.body.contains("<svg"), "a QR code is shown");
    let secret = secret_on(&enrol.body);
    let codes = browser
        .post(
            "/account/two-factor",
            &[
                ("secret", &hex(secret.expose_bytes())),
                ("code", &code(app, &secret)),
            ],
        )
        .await;
    assert_eq!(codes.status, StatusCode::OK, "{}", codes.body);
    assert_eq!(
        codes.body.matches("<li><code>").count(),
        10,
        "ten recovery codes"
    );
    // Continue to the clinician app, as the page's button does (its forms carry the new
    // session's token).
    assert_eq!(browser.get("/clinic").await.status, StatusCode::OK);
    secret
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

async fn sign_in(
    browser: &Browser<'_>,
    email: &str,
    password: &str,
) -> crate::support::TestResponse {
    browser
        .post("/sign-in", &[("email", email), ("password", password)])
        .await
}

on_both_databases! {
    async fn a_fresh_installation_offers_setup_and_only_once(app: TestApp) {
        let browser = app.browser();
        let sign_in_page = browser.get("/sign-in").await;
        assert_eq!(sign_in_page.status, StatusCode::SEE_OTHER);
        assert_eq!(location(&sign_in_page), "/setup");
        let form = browser.get("/setup").await;
        assert_eq!(form.status, StatusCode::OK);
        assert!(form.body.contains(r#"<label for="password">"#));

        let refused = browser
            .post(
                "/setup",
                &[
                    ("practice_name", "Harbour Street"),
                    ("owner_name", ""),
                    ("email", "not an address"),
                    ("password", "password1234"),
                ],
            )
            .await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(refused.body.contains(r#"id="owner_name-error""#), "{}", refused.body);
        assert!(refused.body.contains(r#"id="email-error""#));
        assert!(refused.body.contains(r#"id="password-error""#));
        assert!(refused.body.contains(r#"value="Harbour Street""#), "typed values are kept");
        assert_eq!(app.store.count_accounts().await.unwrap(), 0, "nothing was stored");

        set_up_owner(&app, &browser).await;
        assert_eq!(app.store.count_accounts().await.unwrap(), 1);

        let again = app.browser();
        let form = again.get("/setup").await;
        assert_eq!(location(&form), "/sign-in", "setup is gone once done");
        let second = again
            .post(
                "/setup",
                &[
                    ("practice_name", "Takeover"),
                    ("owner_name", "Mallory"),
                    ("email", "mallory@evil.example"),
                    ("password", "a long enough password"),
                ],
            )
            .await;
        assert_eq!(location(&second), "/sign-in");
        assert_eq!(app.store.count_accounts().await.unwrap(), 1, "no second owner");
    }

    async fn staff_must_enrol_a_second_factor_before_anything_else(app: TestApp) {
        let browser = app.browser();
        browser
            .post(
                "/setup",
                &[
                    ("practice_name", "Harbour Street"),
                    ("owner_name", "Maya Okafor"),
                    ("email", EMAIL),
                    ("password", PASSWORD),
                ],
            )
            .await;
        let clinic = browser.get("/clinic").await;
        assert_eq!(clinic.status, StatusCode::SEE_OTHER);
        assert_eq!(location(&clinic), "/account/two-factor");
        let enrol = browser.get("/account/two-factor").await;
        let wrong = browser
            .post(
                "/account/two-factor",
                &[("secret", &hex(secret_on(&enrol.body).expose_bytes())), ("code", "000000")],
            )
            .await;
        assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(wrong.body.contains("that code does not match"));
        assert_eq!(location(&browser.get("/clinic").await), "/account/two-factor");
    }

    async fn the_owner_signs_out_and_back_in_with_a_code(app: TestApp) {
        let browser = app.browser();
        let secret = set_up_owner(&app, &browser).await;
        assert_eq!(browser.get("/clinic").await.status, StatusCode::OK);
        assert_eq!(browser.get("/admin").await.status, StatusCode::OK);

        let out = browser.post("/sign-out", &[]).await;
        assert_eq!(out.status, StatusCode::SEE_OTHER);
        assert!(out.header("set-cookie").contains("Max-Age=0"));
        assert_eq!(location(&browser.get("/clinic").await), "/sign-in");

        let password = sign_in(&browser, EMAIL, PASSWORD).await;
        assert_eq!(location(&password), "/sign-in/code");
        assert_eq!(location(&browser.get("/clinic").await), "/sign-in/code", "a code is still due");
        browser.get("/sign-in/code").await;
        app.clock.advance(Duration::seconds(30));
        let coded = browser.post("/sign-in/code", &[("code", &code(&app, &secret))]).await;
        assert_eq!(coded.status, StatusCode::SEE_OTHER, "{}", coded.body);
        assert_eq!(location(&coded), "/clinic");
        assert_eq!(browser.get("/clinic").await.status, StatusCode::OK);
    }

    async fn the_session_id_changes_at_every_step_up(app: TestApp) {
        let browser = app.browser();
        let secret = set_up_owner(&app, &browser).await;
        browser.post("/sign-out", &[]).await;
        sign_in(&browser, EMAIL, PASSWORD).await;
        let after_password = browser.cookie().expect("a session");
        browser.get("/sign-in/code").await;
        app.clock.advance(Duration::seconds(30));
        browser.post("/sign-in/code", &[("code", &code(&app, &secret))]).await;
        let after_code = browser.cookie().expect("a session");
        assert_ne!(after_password, after_code, "a new id after the code");

        let planted = app.browser();
        planted.set_cookie(Some(after_password));
        assert_eq!(location(&planted.get("/clinic").await), "/sign-in", "the old id is dead");
        assert!(
            planted.get("/clinic").await.headers.get("set-cookie").is_none()
                || planted.cookie().is_none()
        );
    }

    async fn a_wrong_password_and_an_unknown_address_get_the_same_answer(app: TestApp) {
        let browser = app.browser();
        set_up_owner(&app, &browser).await;
        let stranger = app.browser();
        let wrong = sign_in(&stranger, EMAIL, "not the password at all").await;
        let unknown = sign_in(&stranger, "nobody@harbour.example", PASSWORD).await;
        assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
        assert_eq!(unknown.status, StatusCode::UNAUTHORIZED);
        let message = "That email address and password do not match an account.";
        assert!(wrong.body.contains(message));
        assert!(unknown.body.contains(message));
        assert_eq!(stranger.cookie(), None, "no session for either");
    }

    async fn a_code_works_once_and_a_recovery_code_once(app: TestApp) {
        let browser = app.browser();
        let secret = set_up_owner(&app, &browser).await;
        // The enrolment's own code cannot be used again to sign in.
        browser.post("/sign-out", &[]).await;
        sign_in(&browser, EMAIL, PASSWORD).await;
        browser.get("/sign-in/code").await;
        let replay = browser.post("/sign-in/code", &[("code", &code(&app, &secret))]).await;
        assert_eq!(replay.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(replay.body.contains("already been used"), "{}", replay.body);
    }

    async fn staff_sessions_idle_out_after_15_minutes(app: TestApp) {
        let browser = app.browser();
        set_up_owner(&app, &browser).await;
        app.clock.advance(Duration::minutes(14));
        assert_eq!(browser.get("/clinic").await.status, StatusCode::OK, "still active at 14");
        app.clock.advance(Duration::minutes(14));
        assert_eq!(browser.get("/clinic").await.status, StatusCode::OK, "use resets the idle clock");
        app.clock.advance(Duration::minutes(15));
        let expired = browser.get("/clinic").await;
        assert_eq!(location(&expired), "/sign-in");
        assert_eq!(browser.cookie(), None, "the browser's cookie is cleared");
    }

    async fn no_session_outlives_12_hours(app: TestApp) {
        let browser = app.browser();
        set_up_owner(&app, &browser).await;
        for _ in 0..(12 * 6) {
            app.clock.advance(Duration::minutes(10));
            let page = browser.get("/clinic").await;
            if page.status != StatusCode::OK {
                assert_eq!(location(&page), "/sign-in");
                return;
            }
        }
        panic!("the session was still open after 12 hours");
    }

    async fn repeated_failures_are_slowed_down_with_a_clear_message(app: TestApp) {
        let browser = app.browser();
        set_up_owner(&app, &browser).await;
        let guesser = app.browser();
        for attempt in 1..=5 {
            let refused = sign_in(&guesser, EMAIL, "wrong password guess").await;
            assert_eq!(refused.status, StatusCode::UNAUTHORIZED, "attempt {attempt}");
        }
        let throttled = sign_in(&guesser, EMAIL, PASSWORD).await;
        assert_eq!(throttled.status, StatusCode::TOO_MANY_REQUESTS);
        assert_eq!(throttled.header("retry-after"), "2");
        assert!(throttled.body.contains("Please try again in 2 seconds"));
        app.clock.advance(Duration::seconds(3));
        let allowed = sign_in(&guesser, EMAIL, PASSWORD).await;
        assert_eq!(location(&allowed), "/sign-in/code", "the right password works after the wait");
    }

    async fn forged_forms_are_refused_and_change_nothing(app: TestApp) {
        let browser = app.browser();
        set_up_owner(&app, &browser).await;
        let forged = browser.post("/sign-out", &[("csrf", "forged")]).await;
        assert_eq!(forged.status, StatusCode::FORBIDDEN);
        assert_eq!(browser.get("/clinic").await.status, StatusCode::OK, "still signed in");

        let request = axum::http::Request::post("/sign-in")
            .header("content-type", "application/x-www-form-urlencoded")
            .header("host", "sensate.test")
            .header("origin", "https://evil.example")
            .body(axum::body::Body::from("email=a%40b.example&password=x"))
            .unwrap();
        assert_eq!(app.send(request).await.status, StatusCode::FORBIDDEN);
    }

    async fn a_deactivated_person_is_signed_out_on_the_next_request(app: TestApp) {
        let browser = app.browser();
        set_up_owner(&app, &browser).await;
        let owner = app
            .store
            .account_by_email(&app.app.vault().email_lookup(EMAIL))
            .await
            .unwrap()
            .unwrap();
        app.store.deactivate_account(owner.id, owner.created_at).await.unwrap();
        assert_eq!(location(&browser.get("/clinic").await), "/sign-in");
        let again = sign_in(&app.browser(), EMAIL, PASSWORD).await;
        assert_eq!(again.status, StatusCode::UNAUTHORIZED);
    }

    async fn the_pages_behind_sign_in_send_visitors_to_sign_in(app: TestApp) {
        for path in ["/clinic", "/portal", "/admin"] {
            let page = app.get(path).await;
            assert_eq!(page.status, StatusCode::SEE_OTHER, "{path}");
            assert_eq!(location(&page), "/sign-in", "{path}");
        }
    }

    async fn sign_in_writes_audit_rows_and_the_trail_verifies(app: TestApp) {
        let browser = app.browser();
        set_up_owner(&app, &browser).await;
        sign_in(&app.browser(), EMAIL, "wrong password guess").await;
        let verified = app
            .store
            .verify_audit_trail(app.app.vault().audit_chain())
            .await
            .unwrap()
            .expect("the trail verifies");
        // Created practice and owner, enrolled the second factor, signed in, opened the
        // caseload (a list of clients is a clinical read), failed once.
        assert_eq!(verified.count, 6);
    }
}

on_both_databases! {
    async fn every_demo_person_can_sign_in_with_the_printed_credentials(app: TestApp) {
        sensate::demo::seed(&app.app).await.unwrap();
        for person in sensate::demo::PEOPLE {
            let browser = app.browser();
            let signed = sign_in(&browser, person.email, person.password).await;
            assert_eq!(signed.status, StatusCode::SEE_OTHER, "{}", person.email);
            match person.totp_secret {
                Some(secret) => {
                    assert_eq!(location(&signed), "/sign-in/code", "{}", person.email);
                    browser.get("/sign-in/code").await;
                    let secret = TotpSecret::from_bytes(secret).unwrap();
                    // Staff land in the clinician app; the directory verifier, in no
                    // practice, on their queue.
                    let home = if person.email.ends_with("@verify.example") { "/verify" } else { "/clinic" };
                    let coded = browser.post("/sign-in/code", &[("code", &code(&app, &secret))]).await;
                    assert_eq!(location(&coded), home, "{}", person.email);
                    assert_eq!(browser.get(home).await.status, StatusCode::OK);
                    // The printed recovery code works too, once.
                    browser.post("/sign-out", &[]).await;
                    sign_in(&browser, person.email, person.password).await;
                    browser.get("/sign-in/code").await;
                    let recovered = browser
                        .post("/sign-in/code", &[("code", person.recovery_codes[0])])
                        .await;
                    assert_eq!(location(&recovered), home, "{}", person.email);
                }
                None => {
                    assert_eq!(location(&signed), "/portal", "{}", person.email);
                    assert_eq!(browser.get("/portal").await.status, StatusCode::OK);
                    assert_eq!(browser.get("/clinic").await.status, StatusCode::NOT_FOUND, "a client has no clinician app");
                }
            }
        }
    }
}

on_both_databases! {
    async fn the_owner_reads_the_audit_trail_and_filters_it(app: TestApp) {
        let browser = app.browser();
        set_up_owner(&app, &browser).await;
        sign_in(&app.browser(), EMAIL, "wrong password guess").await;
        let trail = browser.get("/admin/audit").await;
        assert_eq!(trail.status, StatusCode::OK);
        for action in ["sign_in_failed", "sign_in", "create"] {
            assert!(trail.body.contains(&format!("<td>{action}</td>")), "{action}: {}", trail.body);
        }
        assert!(trail.body.contains("<td>Maya Okafor</td>"), "people are named");
        assert!(!trail.body.contains(EMAIL), "rows hold no addresses");

        let failed = browser.get("/admin/audit?action=sign_in_failed").await;
        assert_eq!(failed.body.matches("<td>sign_in_failed</td>").count(), 1);
        assert!(!failed.body.contains("<td>create</td>"));

        let future = browser.get("/admin/audit?from=2999-01-01").await;
        assert!(future.body.contains("No rows match."));

        let bad = browser.get("/admin/audit?from=yesterday&record=%3Cscript%3E").await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(bad.body.contains("Enter a date as YYYY-MM-DD"));
        assert!(bad.body.contains("That is not a record id"));
        assert!(!bad.body.contains("<script>"), "input is never echoed unescaped");

        // Looking at the trail is itself recorded.
        let listed = browser.get("/admin/audit?action=list").await;
        assert!(listed.body.contains("<td>list</td>"));
    }

    async fn an_owner_invites_a_client_who_gets_the_portal(app: TestApp) {
        let owner = app.browser();
        set_up_owner(&app, &owner).await;
        owner.get("/admin/people").await;
        let sent = owner
            .post(
                "/admin/people/invite",
                &[("name", "Kai Moana"), ("email", "kai@client.example"), ("role", "client")],
            )
            .await;
        assert_eq!(location(&sent), "/admin/people?sent");
        let outbox = owner.get("/admin/outbox").await;
        assert!(outbox.body.contains("Your invitation from Harbour Street"));
        assert!(!outbox.body.to_lowercase().contains("sex"), "the email is discreet");
        let start = outbox.body.find("/invitations/").unwrap();
        let token: String = outbox.body[start + 13..]
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
            .collect();
        let client = app.browser();
        let page = client.get(&format!("/invitations/{token}")).await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(page.body.contains("Welcome, Kai Moana"));
        let weak = client
            .post(&format!("/invitations/{token}"), &[("password", "password")])
            .await;
        assert_eq!(weak.status, StatusCode::UNPROCESSABLE_ENTITY, "a weak password is refused");
        let joined = client
            .post(&format!("/invitations/{token}"), &[("password", "tide pools at low water")])
            .await;
        assert_eq!(location(&joined), "/portal", "clients need no second factor");
        assert_eq!(client.get("/portal").await.status, StatusCode::OK);
        let again = app.browser().get(&format!("/invitations/{token}")).await;
        assert_eq!(again.status, StatusCode::NOT_FOUND, "the link works once");
        let kai = app
            .store
            .account_by_email(&app.app.vault().email_lookup("kai@client.example"))
            .await
            .unwrap()
            .unwrap();
        let owner_account = app
            .store
            .account_by_email(&app.app.vault().email_lookup(EMAIL))
            .await
            .unwrap()
            .unwrap();
        assert_eq!(app.store.clinicians_of(kai.id).await.unwrap(), vec![owner_account.id]);
    }

    async fn an_owner_deactivates_a_clinician_who_is_signed_out_at_once(app: TestApp) {
        let owner = app.browser();
        set_up_owner(&app, &owner).await;
        let practice = app.store.practices().await.unwrap()[0].id;
        let secret = *b"clinician-to-leave-1";
        let clinician = app
            .app
            .add_person(sensate_app::NewPerson {
                id: None,
                practice: Some(practice),
                role: sensate_domain::accounts::Role::Clinician,
                name: "Ari Clinician",
                email: "ari@harbour.example",
                password: "ari has a long password",
                second_factor: Some((&secret, &[])),
                client: None,
            })
            .await
            .unwrap();
        let ari = app.browser();
        sign_in(&ari, "ari@harbour.example", "ari has a long password").await;
        ari.get("/sign-in/code").await;
        let totp = TotpSecret::from_bytes(&secret).unwrap();
        ari.post("/sign-in/code", &[("code", &code(&app, &totp))]).await;
        assert_eq!(ari.get("/clinic").await.status, StatusCode::OK);

        let people = owner.get("/admin/people").await;
        assert!(people.body.contains("Deactivate Ari Clinician"));
        let done = owner
            .post(&format!("/admin/people/{clinician}/deactivate"), &[])
            .await;
        assert_eq!(location(&done), "/admin/people?deactivated");
        assert_eq!(location(&ari.get("/clinic").await), "/sign-in", "signed out on the next request");
        let again = sign_in(&app.browser(), "ari@harbour.example", "ari has a long password").await;
        assert_eq!(again.status, StatusCode::UNAUTHORIZED);
    }
}

fn link_in(body: &str, prefix: &str) -> String {
    let start = body.find(prefix).expect("a link") + prefix.len();
    body[start..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
        .collect()
}

on_both_databases! {
    async fn changing_the_password_signs_out_everywhere_else(app: TestApp) {
        let here = app.browser();
        let secret = set_up_owner(&app, &here).await;
        let elsewhere = app.browser();
        sign_in(&elsewhere, EMAIL, PASSWORD).await;
        elsewhere.get("/sign-in/code").await;
        app.clock.advance(Duration::seconds(30));
        elsewhere.post("/sign-in/code", &[("code", &code(&app, &secret))]).await;
        assert_eq!(elsewhere.get("/clinic").await.status, StatusCode::OK);

        here.get("/account/password").await;
        let wrong = here
            .post("/account/password", &[("current", "not the password"), ("password", "a brand new password")])
            .await;
        assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(wrong.body.contains("current password is not right"));
        let before = here.cookie();
        let changed = here
            .post("/account/password", &[("current", PASSWORD), ("password", "a brand new password")])
            .await;
        assert_eq!(location(&changed), "/clinic");
        assert_ne!(here.cookie(), before, "a new session for this browser");
        assert_eq!(here.get("/clinic").await.status, StatusCode::OK);
        assert_eq!(location(&elsewhere.get("/clinic").await), "/sign-in", "the other device is signed out");
        assert_eq!(sign_in(&app.browser(), EMAIL, PASSWORD).await.status, StatusCode::UNAUTHORIZED);
        assert_eq!(location(&sign_in(&app.browser(), EMAIL, "a brand new password").await), "/sign-in/code");
    }

    async fn a_forgotten_password_is_reset_by_an_emailed_link_once(app: TestApp) {
        let owner = app.browser();
        set_up_owner(&app, &owner).await;
        let stranger = app.browser();
        stranger.get("/password-reset").await;
        let known = stranger.post("/password-reset", &[("email", EMAIL)]).await;
        let unknown = stranger.post("/password-reset", &[("email", "nobody@harbour.example")]).await;
        assert_eq!(known.status, StatusCode::OK);
        assert_eq!(known.body, unknown.body, "the answer never says who has an account");

        let outbox = owner.get("/admin/outbox").await;
        assert!(outbox.body.contains("Choose a new password for Harbour Street"));
        let token = link_in(&outbox.body, "/password-reset/");
        let form = app.browser().get(&format!("/password-reset/{token}")).await;
        assert_eq!(form.status, StatusCode::OK);
        let weak = app
            .browser()
            .post(&format!("/password-reset/{token}"), &[("password", "short")])
            .await;
        assert_eq!(weak.status, StatusCode::UNPROCESSABLE_ENTITY);
        let done = app
            .browser()
            .post(&format!("/password-reset/{token}"), &[("password", "reset to something long")])
            .await;
        assert_eq!(location(&done), "/sign-in?password-changed");
        assert_eq!(location(&owner.get("/clinic").await), "/sign-in", "every session ended");
        assert_eq!(location(&sign_in(&app.browser(), EMAIL, "reset to something long").await), "/sign-in/code");
        let again = app.browser().get(&format!("/password-reset/{token}")).await;
        assert_eq!(again.status, StatusCode::NOT_FOUND, "the link works once");
    }
}

on_both_databases! {
    async fn replacing_the_authenticator_signs_out_everywhere_else(app: TestApp) {
        let here = app.browser();
        let old = set_up_owner(&app, &here).await;
        let elsewhere = app.browser();
        sign_in(&elsewhere, EMAIL, PASSWORD).await;
        elsewhere.get("/sign-in/code").await;
        app.clock.advance(Duration::seconds(30));
        elsewhere.post("/sign-in/code", &[("code", &code(&app, &old))]).await;
        assert_eq!(elsewhere.get("/clinic").await.status, StatusCode::OK);

        let page = here.get("/account/two-factor").await;
        assert!(page.body.contains("Replace your authenticator"));
        let new = secret_on(&page.body);
        app.clock.advance(Duration::seconds(30));
        let replaced = here
            .post(
                "/account/two-factor",
                &[("secret", &hex(new.expose_bytes())), ("code", &code(&app, &new))],
            )
            .await;
        assert_eq!(replaced.status, StatusCode::OK);
        assert_eq!(here.get("/clinic").await.status, StatusCode::OK, "this browser stays in");
        assert_eq!(location(&elsewhere.get("/clinic").await), "/sign-in", "others are out");

        // The old authenticator no longer works.
        let again = app.browser();
        sign_in(&again, EMAIL, PASSWORD).await;
        again.get("/sign-in/code").await;
        app.clock.advance(Duration::seconds(30));
        let stale = again.post("/sign-in/code", &[("code", &code(&app, &old))]).await;
        assert_eq!(stale.status, StatusCode::UNPROCESSABLE_ENTITY);
    }
}

on_both_databases! {
    async fn a_clinician_invites_a_client_and_becomes_their_clinician(app: TestApp) {
        sensate::demo::seed(&app.app).await.unwrap();
        let theo = &sensate::demo::PEOPLE[1];
        let browser = app.browser();
        sign_in(&browser, theo.email, theo.password).await;
        browser.get("/sign-in/code").await;
        let secret = TotpSecret::from_bytes(theo.totp_secret.unwrap()).unwrap();
        browser.post("/sign-in/code", &[("code", &code(&app, &secret))]).await;
        browser.get("/clinic").await;
        let refused = browser
            .post("/clinic/invite", &[("name", "Rua"), ("email", "sam@client.example")])
            .await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(refused.body.contains("already has an account"));
        let sent = browser
            .post("/clinic/invite", &[("name", "Rua Tane"), ("email", "rua@client.example")])
            .await;
        assert_eq!(location(&sent), "/clinic?invited");
        let practice = app.store.practices().await.unwrap()[0].id;
        let invitations = app.store.practice_invitations(practice).await.unwrap();
        assert_eq!(invitations.len(), 1);
        assert_eq!(invitations[0].role, sensate_domain::accounts::Role::Client);
        let theo_id = app
            .store
            .account_by_email(&app.app.vault().email_lookup(theo.email))
            .await
            .unwrap()
            .unwrap()
            .id;
        assert_eq!(invitations[0].invited_by, theo_id);
    }
}

on_both_databases! {
    async fn guessing_across_many_addresses_from_one_network_is_slowed_too(app: TestApp) {
        let browser = app.browser();
        set_up_owner(&app, &browser).await;
        let guesser = app.browser();
        // Each address is new, so no account's count grows; the network's does. A
        // network gets four times an account's allowance (an office may share one).
        for attempt in 0..20 {
            let refused = sign_in(&guesser, &format!("guess{attempt}@harbour.example"), "wrong password guess").await;
            assert_eq!(refused.status, StatusCode::UNAUTHORIZED, "attempt {attempt}");
        }
        let throttled = sign_in(&guesser, "guess20@harbour.example", "wrong password guess").await;
        assert_eq!(throttled.status, StatusCode::TOO_MANY_REQUESTS);
        assert!(throttled.headers.contains_key("retry-after"));
    }
}

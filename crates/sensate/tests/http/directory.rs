//! The public directory through the real router: a clinician writes a profile and
//! submits a licence; a verifier checks it; a seeker finds the therapist by concern,
//! place and video, reads what was checked, sends a message and reports a concern;
//! the verifier handles the report and can suspend the profile at once. Moderation
//! holds red-flag wording with the phrase marked; hostile searches get plain messages.

use axum::http::StatusCode;
use sensate::demo::PEOPLE;

use crate::access_matrix::full_session;
use crate::support::{Browser, TestApp, encode, on_both_databases};

async fn signed_in<'a>(app: &'a TestApp, index: usize) -> Browser<'a> {
    let person = &PEOPLE[index];
    full_session(
        app,
        person.email,
        person.password,
        person.totp_secret.unwrap(),
    )
    .await
}

fn now(app: &TestApp) -> time::OffsetDateTime {
    use sensate_app::Clock;
    app.clock.now()
}

/// Theo's profile, as his form sends it.
fn theo_profile<'a>(about: &'a str, publish: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("display_name", "Theo Lindqvist"),
        ("pronouns", "he/him"),
        ("about", about),
        (
            "first_session",
            "We talk about what brings you, at your pace.",
        ),
        ("concern", "genital_pain"),
        ("concern", "low_desire"),
        ("approach", "cbt"),
        ("approach", "sensate_focus"),
        ("competence_lgbtq", "experienced"),
        ("language", "en"),
        ("language", "es"),
        ("degree", "phd"),
        ("in_person", "yes"),
        ("office", "60614"),
        ("video", "yes"),
        ("video_in", "US-IL"),
        ("fee_low", "120"),
        ("fee_high", "160"),
        ("sliding_scale", "yes"),
        ("insurance", "Aetna, Cigna"),
        ("accepting", "yes"),
        ("action", publish),
    ]
}

fn between<'a>(body: &'a str, start: &str, end: &str) -> &'a str {
    let from = body.find(start).map_or(0, |i| i + start.len());
    let to = body[from..].find(end).map_or(body.len(), |i| from + i);
    &body[from..to]
}

on_both_databases! {
    async fn a_seeker_finds_a_verified_therapist_contacts_them_and_reports_a_concern(app: TestApp) {
        sensate::demo::seed(&app.app).await.unwrap();
        let theo = signed_in(&app, 1).await;
        let vera = signed_in(&app, 6).await;

        // Theo writes his profile; moderation holds "hands-on" wording for review.
        assert_eq!(theo.get("/clinic/directory").await.status, StatusCode::OK);
        let held = theo.post("/clinic/directory/profile", &theo_profile("I offer hands-on bodywork sessions.", "publish")).await;
        assert_eq!(held.header("location"), "/clinic/directory?held");
        let mine = theo.get("/clinic/directory").await.body;
        assert!(mine.contains("waiting for a verifier to review some wording"), "{mine}");
        assert!(mine.contains("bodywork"));
        let queue = vera.get("/verify").await.body;
        assert!(queue.contains("<mark>"), "the phrase is marked for the verifier: {queue}");

        // Reworded, it is released; bad input is refused, naming the field.
        theo.get("/clinic/directory").await;
        let bad = theo.post("/clinic/directory/profile", &[("display_name", ""), ("office", "Qqxyzzy"), ("in_person", "yes"), ("fee_low", "-5"), ("concern", "astrology"), ("action", "publish")]).await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(bad.body.contains("Name: please fill this in"));
        assert!(bad.body.contains("Fees are whole amounts from 0 to 5000"));
        assert!(bad.body.contains("Office:"));
        assert!(bad.body.contains("astrology"));
        theo.get("/clinic/directory").await;
        let about = "Warm, practical help with pain during sex and low desire. Sensate focus homework you do at home.";
        let saved = theo.post("/clinic/directory/profile", &theo_profile(about, "publish")).await;
        assert_eq!(saved.header("location"), "/clinic/directory?saved");

        // Not listed until a licence is verified.
        let search = "/directory?concern=genital_pain&near=60614&radius=10&unit=mi&mode=in_person";
        assert!(!app.get(search).await.body.contains("Theo Lindqvist"));
        theo.get("/clinic/directory").await;
        let expires = (now(&app) + time::Duration::days(400)).date().to_string();
        let not_a_document = theo.post("/clinic/directory/credentials", &[
            ("kind", "licence"), ("licence_type", "lcsw"), ("number", "149.012345"),
            ("jurisdiction", "US-IL"), ("expires_on", &expires),
            ("evidence_note", "Illinois licence lookup"),
            ("evidence", "data:text/html;base64,PHNjcmlwdD4="),
        ]).await;
        assert_eq!(not_a_document.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(not_a_document.body.contains("Upload the licence or certificate as a PDF, PNG or JPEG"));
        theo.get("/clinic/directory").await;
        let submitted = theo.post("/clinic/directory/credentials", &[
            ("kind", "licence"), ("licence_type", "lcsw"), ("number", "149.012345"),
            ("jurisdiction", "US-IL"), ("expires_on", &expires),
            ("evidence_note", "Illinois licence lookup"),
            ("evidence", "data:image/png;base64,iVBORw0KGgo="),
        ]).await;
        assert_eq!(submitted.header("location"), "/clinic/directory?submitted");
        let queue = vera.get("/verify").await.body;
        let credential = between(&queue, "action=\"/verify/credentials/", "\"").to_owned();
        let document = vera.get(&format!("/verify/credentials/{credential}/evidence")).await;
        assert_eq!(document.status, StatusCode::OK);
        assert_eq!(document.header("content-type"), "image/png");
        assert!(document.header("content-disposition").starts_with("attachment;"));
        assert!(document.body.contains("PNG"), "the document as uploaded");
        assert_eq!(theo.get(&format!("/verify/credentials/{credential}/evidence")).await.status, StatusCode::NOT_FOUND);
        let until = (now(&app) + time::Duration::days(365)).date().to_string();
        let refused = vera.post(&format!("/verify/credentials/{credential}"), &[("decision", "verify"), ("until", "2001-01-01"), ("checked", "")]).await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
        vera.get("/verify").await;
        let verified = vera.post(&format!("/verify/credentials/{credential}"), &[
            ("decision", "verify"), ("until", &until),
            ("checked", "the Illinois licensing board's online licence lookup"),
        ]).await;
        assert_eq!(verified.header("location"), "/verify?done");

        // The seeker finds him by concern, postal code and distance, and by video.
        let found = app.get(search).await.body;
        assert!(found.contains("Theo Lindqvist"), "{found}");
        assert!(found.contains("near Chicago, IL 60614"));
        assert!(found.contains("mi away"));
        assert!(app.get("/directory?state=US-IL&q=sensate+focus").await.body.contains("Theo Lindqvist"));
        assert!(!app.get("/directory?state=US-CA").await.body.contains("Theo Lindqvist"), "not licensed for video in California");
        let by_video = app.get("/directory?near=60614&mode=video&concern=genital_pain").await.body;
        assert!(by_video.contains("Theo Lindqvist"), "{by_video}");
        assert!(by_video.contains("by video, licensed in Illinois"));
        assert!(!app.get("/directory?near=94110&mode=video").await.body.contains("Theo Lindqvist"), "a San Francisco seeker is not in his licence area");
        assert!(app.get("/directory?language=es&accepting=yes&max_fee=130").await.body.contains("Theo Lindqvist"));
        assert!(!app.get("/directory?max_fee=100").await.body.contains("Theo Lindqvist"));
        assert!(!app.get("/directory?certification=aasect_certified_sex_therapist").await.body.contains("Theo Lindqvist"), "a certification never checked is never claimed");

        // Hostile and odd input: plain messages or empty results, never an error page.
        for (query, message) in [
            ("/directory?near=Qqxyzzy", "Qqxyzzy"),
            ("/directory?near=60614&radius=-5", ""),
            ("/directory?page=99999", "That page is not one we can show"),
            ("/directory?concern=%3Cscript%3E", "We do not know that concern"),
            ("/directory?max_fee=lots", "whole amount"),
            ("/directory?mode=teleport", "Choose in person, video or either"),
        ] {
            let page = app.get(query).await;
            assert_eq!(page.status, StatusCode::OK, "{query}");
            assert!(page.body.contains(message), "{query}: {}", page.body);
        }
        let markup = app.get(&format!("/directory?q={}", encode("<script>alert(1)</script>\u{7}\"*"))).await;
        assert_eq!(markup.status, StatusCode::OK);
        assert!(!markup.body.contains("<script>alert"), "never echoed unescaped");
        let long = "vaginismus ".repeat(500);
        assert_eq!(app.get(&format!("/directory?q={}", encode(&long))).await.status, StatusCode::OK);

        // The profile says exactly what was checked, and when.
        let link = format!("/directory/therapists/{}", between(&found, "href=\"/directory/therapists/", "\""));
        let profile = app.get(&link).await.body;
        assert!(profile.contains("Licence checked against the Illinois licensing board&#39;s online licence lookup") || profile.contains("Licence checked against the Illinois licensing board's online licence lookup"), "{profile}");
        assert!(profile.contains("valid until"));
        assert!(profile.contains("/directory/guide/red-flags"));

        // A message: too quick is refused, a filled trap is dropped, a person's goes.
        let seeker = app.browser();
        let page = seeker.get(&link).await.body;
        let token = between(&page, "name=\"token\" value=\"", "\"").to_owned();
        let contact = format!("{link}/contact");
        let quick = seeker.post(&contact, &[("alias", "R"), ("reply_to", "r@seeker.example"), ("message", "Hello"), ("token", &token)]).await;
        assert_eq!(quick.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(quick.body.contains("quicker than a person can write"));
        // Past the form's minimum age, and into a new sign-in code step.
        app.clock.advance(time::Duration::seconds(45));
        let bot = seeker.post(&contact, &[("alias", "Bot"), ("reply_to", "b@spam.example"), ("message", "Buy now"), ("token", &token), ("website", "http://spam.example")]).await;
        assert!(bot.body.contains("Your message is on its way"));
        let sent = seeker.post(&contact, &[("alias", "R"), ("reply_to", "r@seeker.example"), ("message", "Do you see people for pain during sex?"), ("token", &token)]).await;
        assert_eq!(sent.status, StatusCode::OK);
        assert!(sent.body.contains("Your message is on its way"));
        let theo = signed_in(&app, 1).await;
        let inbox = theo.get("/clinic/directory").await.body;
        assert!(inbox.contains("Do you see people for pain during sex?"));
        assert!(!inbox.contains("Buy now"), "the trap's catch is not kept");
        for _ in 0..4 {
            seeker.post(&contact, &[("alias", "R"), ("reply_to", "r@seeker.example"), ("message", "Again"), ("token", &token)]).await;
        }
        let flood = seeker.post(&contact, &[("alias", "R"), ("reply_to", "r@seeker.example"), ("message", "Again"), ("token", &token)]).await;
        assert_eq!(flood.status, StatusCode::TOO_MANY_REQUESTS);
        assert!(flood.body.contains("Please wait an hour"));

        // A concern: the reporter sees the board; the verifier suspends at once.
        assert_eq!(seeker.get(&format!("{link}/report")).await.status, StatusCode::OK);
        let empty = seeker.post(&format!("{link}/report"), &[("description", " ")]).await;
        assert_eq!(empty.status, StatusCode::UNPROCESSABLE_ENTITY);
        let reported = seeker.post(&format!("{link}/report"), &[("description", "Suggested we meet at his home.")]).await;
        assert_eq!(reported.status, StatusCode::OK);
        assert!(reported.body.contains("Illinois Department of Financial and Professional Regulation"), "{}", reported.body);
        assert!(reported.body.contains("What happens next"));
        let vera = signed_in(&app, 6).await;
        let queue = vera.get("/verify").await.body;
        assert!(queue.contains("Suggested we meet at his home."));
        assert!(queue.contains("anonymous"));
        let profile_id = &link["/directory/therapists/".len()..];
        vera.post(&format!("/verify/profiles/{profile_id}/standing"), &[("standing", "suspend")]).await;
        assert_eq!(app.get(&link).await.status, StatusCode::NOT_FOUND, "suspended at once");
        assert!(!app.get(search).await.body.contains("Theo Lindqvist"));
        let report = between(&queue, "action=\"/verify/reports/", "\"").to_owned();
        vera.get("/verify").await;
        let unexplained = vera.post(&format!("/verify/reports/{report}"), &[("status", "closed"), ("outcome", "")]).await;
        assert!(unexplained.body.contains("Say what was done before closing the report"));
        vera.get("/verify").await;
        let closed = vera.post(&format!("/verify/reports/{report}"), &[("status", "closed"), ("outcome", "Spoke with the therapist; referred to IDFPR.")]).await;
        assert_eq!(closed.header("location"), "/verify?done");

        // Reinstated, then the check runs out: the listing goes, and the profile says so.
        vera.get("/verify").await;
        vera.post(&format!("/verify/profiles/{profile_id}/standing"), &[("standing", "reinstate")]).await;
        assert!(app.get(search).await.body.contains("Theo Lindqvist"));
        app.clock.advance(time::Duration::days(366));
        assert!(!app.get(search).await.body.contains("Theo Lindqvist"), "an expired check is not listed");
        let expired = app.get(&link).await.body;
        assert!(expired.contains("has expired"), "{expired}");
        assert!(expired.contains("not listed in search results"));
    }
}

on_both_databases! {
    async fn the_guides_are_linked_from_the_search_and_served(app: TestApp) {
        let search = app.get("/directory").await.body;
        for guide in ["what-sex-therapy-is", "first-session", "choosing", "red-flags"] {
            let address = format!("/directory/guide/{guide}");
            assert!(search.contains(&address));
            let page = app.get(&address).await;
            assert_eq!(page.status, StatusCode::OK, "{address}");
            assert!(page.body.contains("<h1"));
        }
        assert_eq!(app.get("/directory/guide/astrology").await.status, StatusCode::NOT_FOUND);
        assert!(search.contains("GeoNames"), "the place data is attributed");
    }
}

on_both_databases! {
    async fn searches_read_the_same_from_the_index_as_from_the_database_and_follow_every_save(app: TestApp) {
        use sensate::bench_directory::{search_path, searches};
        use sensate::synthetic_directory::SyntheticDirectory;

        sensate::demo::seed(&app.app).await.unwrap();
        sensate::demo_directory::seed_directory(&app.app).await.unwrap();
        let database_only = app.app.clone().without_directory_index();
        app.app.prepare_directory_search().await.unwrap();
        assert!(app.app.directory_search_is_indexed().await);
        assert!(!database_only.directory_search_is_indexed().await);

        // The benchmark's mix of searches over the demo's directory, each answered both
        // ways: the same cards in the same order, the same distances and totals.
        let directory = SyntheticDirectory::new(200, 2026, now(&app).date());
        let mut listed = 0;
        for (_, search) in searches(&directory, 80, 7) {
            let indexed = app.app.search_directory(&search).await.unwrap();
            let stored = database_only.search_directory(&search).await.unwrap();
            let shown = |results: &sensate_app::SearchResults| -> Vec<(String, Option<String>)> {
                results.cards.iter().map(|card| (card.display_name.clone(), card.distance.clone())).collect()
            };
            assert_eq!(shown(&indexed), shown(&stored), "{search:?}");
            assert_eq!((indexed.total, indexed.pages, &indexed.messages), (stored.total, stored.pages, &stored.messages));
            listed += indexed.cards.len();
            let page = app.get(&search_path(&search)).await;
            assert_eq!(page.status, StatusCode::OK);
            for (name, _) in shown(&indexed) {
                assert!(page.body.contains(&name.replace('\'', "&#x27;")), "{name} on {}", search_path(&search));
            }
        }
        assert!(listed > 200, "the searches find therapists: {listed}");

        // A verifier's suspension takes effect on the very next search, index or not.
        let first = app.app.search_directory(&sensate_app::DirectorySearch::default()).await.unwrap();
        let suspended = first.cards[0].clone();
        let vera = signed_in(&app, 6).await;
        vera.get("/verify").await;
        let done = vera.post(&format!("/verify/profiles/{}/standing", suspended.id), &[("standing", "suspend")]).await;
        assert_eq!(done.header("location"), "/verify?done");
        assert!(!app.get("/directory").await.body.contains(&format!("/directory/therapists/{}", suspended.id)));
        assert!(app.app.directory_search_is_indexed().await, "the index caught up with the save, without a rebuild");
        let again = app.app.search_directory(&sensate_app::DirectorySearch::default()).await.unwrap();
        assert!(again.cards.iter().all(|card| card.id != suspended.id));
        assert_eq!(again.total + 1, first.total);
    }
}

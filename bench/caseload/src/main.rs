//! Benchmark (issues 4 and 5): in a practice of 10,000 clients, the caseload page and a
//! case page ("client overview") each at most 20 ms median and 50 ms p99 server time, on
//! SQLite and on PostgreSQL, in the same run; and a client's questionnaires page (the
//! progress chart) with 100 PHQ-9 administrations at most 20 ms median.
//!
//!     CARGO_TARGET_DIR=/work/target-bench cargo build --release \
//!         --manifest-path bench/caseload/Cargo.toml
//!     SENSATE_BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres \
//!         /work/target-bench/release/sensate-bench-caseload [CLIENTS] [CLINICIANS] [ITERATIONS]
//!
//! (`python3 bench/caseload.py` does both and records the machine.)
//!
//! For each backend: a fresh database and key file; a practice whose CLIENTS clients are
//! spread over CLINICIANS clinicians in individual and couple cases (every 5th case a
//! couple), opened through the application layer as the product does (sealed, audited);
//! each case with a treatment plan and two sessions with signed notes is too slow to
//! seed 10,000 times, so the measured clinician's cases get them and the rest are bare.
//! The measured clinician signs in through the real router (password, then a TOTP
//! code). Each iteration then times, through the router without a socket,
//! `GET /clinic` (the first caseload page: every case of theirs opened, searched and
//! the page rendered) and `GET /clinic/cases/{id}` for one of their couple cases (both
//! partners' records, consent, sessions, plan, colleagues), in alternating order, then
//! `GET /clinic/cases/{id}/clients/{client}/questionnaires` for the first partner of that
//! couple, who has 100 weekly PHQ-9 administrations, as has their partner (so the page
//! draws the client's chart and the couple's dyadic chart, and reliable change). Server
//! time here is from the request entering the router to the last byte of the body.
//! Every page view writes its audit row, as in production.

use std::hint::black_box;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Instant;

use anyhow::{Context, bail, ensure};
use axum::Router;
use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{HeaderMap, Request, StatusCode, header};
use sensate_app::{App, AuditContext, NewPerson, NoteForm, OpenCase, SessionForm, SystemClock, Vault};
use sensate_auth::totp::{self, TotpSecret};
use sensate_domain::accounts::Role;
use sensate_domain::client::ClientForm;
use sensate_domain::plan::PlanForm;
use sensate_domain::{AccountId, CaseId, Practice, PracticeName};
use sensate_store::{Schema, Store};
use sensate_web::{AppState, WebSettings};
use tower::ServiceExt;

const PASSWORD: &str = "bench clinician passphrase";
const TOTP: &[u8; 20] = b"bench-clinician-one!";

const FIRST: &[&str] = &["Amara", "Benedikt", "Chiara", "Dmitri", "Eleanor", "Farhan", "Giulia", "Hiroshi", "Ingrid", "Joaquín", "Keziah", "Leopold", "Małgorzata", "Nikolai", "Oluwaseun", "Penelope"];
const LAST: &[&str] = &["Abara", "Bergström", "Castillo", "Dimitrov", "Eze", "Fontaine", "Gallo", "Haddad", "Ivanova", "Jensen", "Kowalski", "Lindgren", "Moreau", "Nakamura", "Ortega", "Petrov", "Quispe"];

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let mut args = std::env::args().skip(1);
    let clients: usize = args.next().map_or(Ok(10_000), |a| a.parse())?;
    let clinicians: usize = args.next().map_or(Ok(10), |a| a.parse())?;
    let iterations: usize = args.next().map_or(Ok(300), |a| a.parse())?;
    ensure!(clinicians >= 1 && clients >= clinicians && iterations >= 10, "need clients >= clinicians >= 1 and 10 iterations");

    let work = tempfile::Builder::new().prefix("sensate-bench-").tempdir()?;
    let sqlite = sensate_store_sqlite::SqliteStore::open(&work.path().join("sensate.db")).await?;
    sqlite.migrate().await?;
    report("SQLite", Arc::new(sqlite), &work.path().join("sqlite.key"), clients, clinicians, iterations).await?;

    match std::env::var("SENSATE_BENCH_DATABASE_URL") {
        Ok(_) => {
            let database = sensate_store_postgres::testing::TestDatabase::fresh()
                .await
                .context("a fresh PostgreSQL database (SENSATE_TEST_DATABASE_URL names the server)")?;
            let store = database.store();
            store.migrate().await?;
            report("PostgreSQL", Arc::new(store), &work.path().join("pg.key"), clients, clinicians, iterations).await?;
        }
        Err(_) => println!("PostgreSQL: skipped (set SENSATE_BENCH_DATABASE_URL and SENSATE_TEST_DATABASE_URL)"),
    }
    Ok(())
}

async fn report(backend: &str, store: Arc<dyn Store>, key: &std::path::Path, clients: usize, clinicians: usize, iterations: usize) -> anyhow::Result<()> {
    let vault = Vault::load(store.as_ref(), key, time::OffsetDateTime::now_utc()).await?;
    let app = App::start(store.clone(), Arc::new(vault), Arc::new(SystemClock)).await?;
    let seeding = Instant::now();
    let (email, couple) = seed(&app, clients, clinicians).await?;
    let seeded = seeding.elapsed().as_secs_f64();
    let router = sensate_web::router(AppState::new(app.clone(), WebSettings::default()));
    let cookie = sign_in(&router, &email).await?;
    let case_path = format!("/clinic/cases/{couple}");
    let partner = administrations(&app, couple).await?;
    let chart_path = format!("/clinic/cases/{couple}/clients/{partner}/questionnaires");
    for path in ["/clinic", case_path.as_str(), chart_path.as_str()] {
        let (status, body) = get(&router, path, &cookie).await?;
        ensure!(status == StatusCode::OK, "{path} answered {status}");
        ensure!(body.len() > 2000, "{path} looks empty");
    }
    let warm_up = (iterations / 10).max(10);
    let (mut caseload, mut overview, mut progress) = (Vec::new(), Vec::new(), Vec::new());
    for i in 0..warm_up + iterations {
        let (a, b) = if i % 2 == 0 {
            let a = timed_get(&router, "/clinic", &cookie).await?;
            (a, timed_get(&router, &case_path, &cookie).await?)
        } else {
            let b = timed_get(&router, &case_path, &cookie).await?;
            (timed_get(&router, "/clinic", &cookie).await?, b)
        };
        let c = timed_get(&router, &chart_path, &cookie).await?;
        if i >= warm_up {
            caseload.push(a);
            overview.push(b);
            progress.push(c);
        }
    }
    let mine = clients / clinicians;
    println!("{backend}: {clients} clients over {clinicians} clinicians (the measured one has about {mine}); seeded in {seeded:.0} s; {iterations} iterations after {warm_up} warm-up");
    for (label, values) in [
        ("GET /clinic (caseload, first page)", &caseload),
        ("GET /clinic/cases/{id} (couple case)", &overview),
        ("GET …/questionnaires (100 PHQ-9 each)", &progress),
    ] {
        println!(
            "  {label:<40} median {:>6.2} ms   p95 {:>6.2} ms   p99 {:>6.2} ms   [target: median <= 20, p99 <= 50]",
            percentile(values, 0.5) / 1000.0,
            percentile(values, 0.95) / 1000.0,
            percentile(values, 0.99) / 1000.0
        );
    }
    Ok(())
}

/// The practice: clinicians (the first with TOTP, measured), then cases of one or two
/// clients round-robin over the clinicians. The measured clinician's cases get a plan
/// and two sessions with signed notes.
async fn seed(app: &App, clients: usize, clinicians: usize) -> anyhow::Result<(String, CaseId)> {
    let practice = Practice::new(PracticeName::parse("Bench Street Practice")?, false);
    app.create_practice(&practice).await?;
    let mut staff: Vec<AccountId> = Vec::new();
    for i in 0..clinicians {
        let email = format!("clinician{i}@bench-street.example");
        staff.push(
            app.add_person(NewPerson {
                id: None,
                practice: Some(practice.id),
                role: if i == 0 { Role::Owner } else { Role::Clinician },
                name: &format!("Clinician {i}"),
                email: &email,
                password: PASSWORD,
                second_factor: (i == 0).then_some((&TOTP[..], &[][..])),
                client: None,
            })
            .await?,
        );
    }
    let context = AuditContext::default();
    let measured = app.acting_as(staff[0]).await?.context("the measured clinician")?;
    let (mut made, mut case_number, mut couple) = (0, 0_usize, None);
    while made < clients {
        let size = if case_number % 5 == 0 && made + 2 <= clients { 2 } else { 1 };
        let forms: Vec<ClientForm> = (0..size)
            .map(|k| {
                let n = made + k;
                ClientForm {
                    name: format!("{} {}", FIRST[n % FIRST.len()], LAST[(n / FIRST.len()) % LAST.len()]),
                    pronouns: "they/them".into(),
                    email: format!("client{n}@client.example"),
                    phone: format!("+44 20 7946 {:04}", n % 10_000),
                    ..ClientForm::default()
                }
            })
            .collect();
        let form = OpenCase {
            kind: if size == 2 { "couple" } else { "individual" }.into(),
            secrets_policy: if size == 2 { "limited_secrets" } else { "" }.into(),
            clients: forms,
        };
        let clinician = staff[case_number % clinicians];
        let (case, _) = app.open_case_as(clinician, &form, &context).await.map_err(|e| anyhow::anyhow!("{e}"))?;
        if clinician == staff[0] {
            furnish(app, &measured, case, &context).await?;
            if size == 2 && couple.is_none() {
                couple = Some(case);
            }
        }
        made += size;
        case_number += 1;
    }
    let Some(couple) = couple else { bail!("the measured clinician has no couple case") };
    Ok(("clinician0@bench-street.example".into(), couple))
}

/// 100 weekly PHQ-9 administrations for each partner of the couple, entered as from
/// paper (the same write as the portal's, with a date); the first partner's id.
async fn administrations(app: &App, couple: CaseId) -> anyhow::Result<sensate_domain::ClientId> {
    let record = app.store().case(couple).await?.context("the couple")?;
    let by = app.acting_as(record.clinician_id).await?.context("their clinician")?;
    let context = AuditContext::default();
    let now = time::OffsetDateTime::now_utc();
    for (k, client) in record.clients.iter().enumerate() {
        for week in 0..100_i64 {
            // A course that wanders between none and moderately severe, item 9 at 0.
            let level = ((week + k as i64 * 3) % 7) as u8 / 2;
            let fields: Vec<(String, String)> = (1..=9)
                .map(|n| (format!("phq9_{n}"), if n == 9 { 0 } else { level.min(3) }.to_string()))
                .collect();
            let at = now - time::Duration::weeks(100 - week);
            app.enter_from_paper_at(&by, couple, *client, "phq9", &fields, at, &context)
                .await
                .map_err(|e| anyhow::anyhow!("{e}"))?;
        }
    }
    Ok(record.clients[0])
}

async fn furnish(app: &App, by: &sensate_app::SignedIn, case: CaseId, context: &AuditContext) -> anyhow::Result<()> {
    let today = time::OffsetDateTime::now_utc().date();
    let plan = PlanForm {
        problems: "Low desire".into(),
        goals: vec![("Enjoy touch".into(), "Practice twice a week".into(), (today + time::Duration::weeks(12)).to_string())],
        interventions: vec!["sensate_focus".into()],
        planned_sessions: "12".into(),
        frequency: "weekly".into(),
        review_date: (today + time::Duration::weeks(4)).to_string(),
        ..PlanForm::default()
    };
    app.save_plan(by, case, &plan, 0, context).await.map_err(|e| anyhow::anyhow!("{e}"))?;
    let record = app.store().case(case).await?.context("the case")?;
    for week in 1..=2 {
        let form = SessionForm {
            date: (today - time::Duration::weeks(week)).to_string(),
            time: "10:00".into(),
            minutes: "50".into(),
            modality: "video".into(),
            session_type: if record.clients.len() == 2 { "couple_with_client" } else { "individual" }.into(),
            attendees: record.clients.iter().map(ToString::to_string).collect(),
        };
        let session = app.record_session(by, case, &form, context).await.map_err(|e| anyhow::anyhow!("{e}"))?;
        let sections = vec![("subjective".to_owned(), "Reported progress.".to_owned()), ("plan".to_owned(), "Continue.".to_owned())];
        app.save_note(by, case, session, &NoteForm { template: "soap", sections: &sections, sign: true, goals: &[] }, context)
            .await
            .map_err(|e| anyhow::anyhow!("{e}"))?;
    }
    Ok(())
}

async fn sign_in(router: &Router, email: &str) -> anyhow::Result<String> {
    let form = format!("email={}&password={}", form_encode(email), form_encode(PASSWORD));
    let (status, headers, _) = send(router, post("/sign-in", None, form)?).await?;
    ensure!(status == StatusCode::SEE_OTHER, "POST /sign-in answered {status}");
    let half = session_cookie(&headers).context("no session cookie after the password")?;
    let (status, page) = get(router, "/sign-in/code", &half).await?;
    ensure!(status == StatusCode::OK, "GET /sign-in/code answered {status}");
    let csrf = hidden_field(&page, "csrf").context("no csrf field")?;
    let code = totp::code_at(&TotpSecret::from_bytes(TOTP)?, time::OffsetDateTime::now_utc());
    let form = format!("csrf={}&code={code}", form_encode(&csrf));
    let (status, headers, _) = send(router, post("/sign-in/code", Some(&half), form)?).await?;
    ensure!(status == StatusCode::SEE_OTHER, "POST /sign-in/code answered {status}");
    session_cookie(&headers).context("no session cookie after the code")
}

async fn timed_get(router: &Router, path: &str, cookie: &str) -> anyhow::Result<f64> {
    let request = with_peer(Request::get(path).header(header::COOKIE, format!("__Host-sensate={cookie}")).body(Body::empty())?);
    let started = Instant::now();
    let response = router.clone().oneshot(request).await?;
    let status = response.status();
    let body = axum::body::to_bytes(response.into_body(), usize::MAX).await?;
    let elapsed = started.elapsed().as_secs_f64() * 1e6;
    if status != StatusCode::OK {
        bail!("{path} answered {status} during the run");
    }
    black_box(body);
    Ok(elapsed)
}

async fn get(router: &Router, path: &str, cookie: &str) -> anyhow::Result<(StatusCode, String)> {
    let request = Request::get(path).header(header::COOKIE, format!("__Host-sensate={cookie}")).body(Body::empty())?;
    let (status, _, body) = send(router, request).await?;
    Ok((status, body))
}

fn post(path: &str, cookie: Option<&str>, form: String) -> anyhow::Result<Request<Body>> {
    let mut request = Request::post(path)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header("sec-fetch-site", "same-origin");
    if let Some(cookie) = cookie {
        request = request.header(header::COOKIE, format!("__Host-sensate={cookie}"));
    }
    Ok(request.body(Body::from(form))?)
}

async fn send(router: &Router, request: Request<Body>) -> anyhow::Result<(StatusCode, HeaderMap, String)> {
    let response = router.clone().oneshot(with_peer(request)).await?;
    let status = response.status();
    let headers = response.headers().clone();
    let body = axum::body::to_bytes(response.into_body(), usize::MAX).await?;
    Ok((status, headers, String::from_utf8(body.to_vec())?))
}

fn with_peer(mut request: Request<Body>) -> Request<Body> {
    request.extensions_mut().insert(ConnectInfo(SocketAddr::from(([127, 0, 0, 1], 40000))));
    request
}

fn session_cookie(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(header::SET_COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .filter_map(|value| value.strip_prefix("__Host-sensate="))
        .map(|rest| rest.split(';').next().unwrap_or_default().to_owned())
        .find(|token| !token.is_empty())
}

fn hidden_field(page: &str, name: &str) -> Option<String> {
    let marker = format!("name=\"{name}\" value=\"");
    let start = page.find(&marker)? + marker.len();
    let end = page[start..].find('"')? + start;
    Some(page[start..end].to_owned())
}

fn form_encode(value: &str) -> String {
    value
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => char::from(b).to_string(),
            b' ' => "+".to_owned(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// Nearest-rank percentile.
fn percentile(values: &[f64], p: f64) -> f64 {
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    let rank = ((p * sorted.len() as f64).ceil() as usize).clamp(1, sorted.len());
    sorted[rank - 1]
}

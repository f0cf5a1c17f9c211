//! Benchmark (issue 3): what sealed fields and the access policy cost an authenticated
//! page, measured in one run, in one process, interleaved.
//!
//!     CARGO_TARGET_DIR=/work/target-bench cargo build --release \
//!         --manifest-path bench/sealed-pages/Cargo.toml
//!     /work/target-bench/release/sensate-bench-sealed-pages [ITERATIONS] [PEOPLE]
//!
//! (`python3 bench/sealed_pages.py` does both and records the machine.)
//!
//! The target: "all other authenticated pages unaffected by the policy and sealing
//! layers by more than 10% (the same page with and without sealed fields, same run)".
//!
//! Sensate has no switch that stores names and addresses in the clear, and a benchmark
//! must not change the product to get one. So the page is measured whole, and its
//! sealing work is measured on its own beside it:
//!
//! - **page**: `GET /admin/people` through the real router (`sensate_web::router`)
//!   with `tower::ServiceExt::oneshot`, no socket: request id and logging layer,
//!   security headers, the session guard (cookie → session row → account), the access
//!   policy, the store query for the practice's accounts, opening every person's name
//!   and email (2 × PEOPLE sealed fields), rendering the template, and reading the body.
//!   The owner signs in first through the same router (password, then a TOTP code).
//! - **opens**: exactly the sealing work of that page, and nothing else: for each of
//!   the same stored rows, the practice's data key from the vault (as `open_person`
//!   asks for it, once per person), then `Sealed::from_bytes` and `DataKey::open_str`
//!   for the name and the email, with the same `Binding`s.
//! - **aead**: the same 2 × PEOPLE `open_str` calls on values already parsed, with the
//!   key in hand: how much of *opens* is the XChaCha20-Poly1305 work itself.
//! - **cold**: the same 2 × PEOPLE opens with nothing remembered: each sample seals
//!   the same values under a fresh data key (not timed), then opens them all (timed).
//!   Since a data key remembers what it has opened (`crates/crypto/src/opened.rs`),
//!   *opens* and *aead* measure a warm server, where the page's values were opened
//!   before; *cold* is the first view after a start.
//! - **plain**: what the page would still do with those 2 × PEOPLE values if they were
//!   plain columns: copy each stored value into a `String` and a `SecretString`.
//! - **policy**: `sensate_domain::access::decide` for the owner and the people page's
//!   resource, timed over 1,000 calls per sample (one call is far below the clock's
//!   resolution). The page makes one such decision.
//! - **/admin** and **/clinic**: two other authenticated pages through the same guard
//!   and policy that open no sealed field, for scale (they are other pages, so they are
//!   not the comparison).
//!
//! The same page without sealed fields is then `page − opens + plain`, per iteration,
//! and the overhead of sealing is `(opens − plain) / (page − opens + plain)`.
//! With nothing remembered, the estimate is `(cold − plain) / (page − opens + plain)`. This is a
//! subtraction, not a second build of the product: it assumes the opens cost inside the
//! page what they cost alone (the rows are in cache in both; the page does them in the
//! same order on the same thread). It leaves out the 45 extra bytes each sealed value
//! carries through SQLite, which is small beside 45 + n bytes of AEAD work.
//!
//! Last, apart from the loop, it times one `open_str` at several value lengths, each a
//! miss (fresh key, fresh values), to show how much of an open is a fixed cost per call
//! rather than per byte.
//!
//! Each iteration runs every measurement once, in an order rotated by one each time
//! (ABCDEFG, BCDEFGA, …), so drift in the machine's load falls on all of them alike.
//! After a warm-up, it reports medians and 95th percentiles (nearest rank), and the
//! median of the per-iteration ratios. The database is a fresh SQLite file in a
//! private temporary directory with its own key file, as `sensate serve` makes them.

use std::fmt::Write as _;
use std::hint::black_box;
use std::net::SocketAddr;
use std::path::Path;
use std::sync::Arc;
use std::time::Instant;

use anyhow::{Context, bail, ensure};
use axum::Router;
use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{HeaderMap, Request, StatusCode, header};
use sensate_app::{App, NewPerson, SystemClock, Vault};
use sensate_auth::totp::{self, TotpSecret};
use sensate_crypto::secrecy::{ExposeSecret, SecretString};
use sensate_crypto::{Binding, DataKey, Sealed};
use sensate_domain::access::{self, Actor, Intent, Resource};
use sensate_domain::accounts::Role;
use sensate_domain::{Practice, PracticeId, PracticeName};
use sensate_store::{AccountRecord, Schema, Store};
use sensate_store_sqlite::SqliteStore;
use sensate_web::{AppState, WebSettings};
use tower::ServiceExt;

/// The table and columns `crates/app/src/people.rs` seals a person's details under.
const ACCOUNT_TABLE: &str = "account";
const NAME_COLUMN: &str = "name_sealed";
const EMAIL_COLUMN: &str = "email_sealed";

const OWNER_EMAIL: &str = "margarethe@bench-street.example";
const OWNER_PASSWORD: &str = "bench practice owner password";
const OWNER_TOTP: &[u8; 20] = b"bench-practice-owner";
const OWNER_RECOVERY: &[&str] = &["ab2c-de3f-gh4j-km5n"];

const FIRST_NAMES: &[&str] = &[
    "Amara", "Benedikt", "Chiara", "Dmitri", "Eleanor", "Farhan", "Giulia", "Hiroshi",
    "Ingrid", "Joaquín", "Keziah", "Leopold", "Małgorzata", "Nikolai", "Oluwaseun",
    "Penelope", "Quentin", "Rosalind", "Siddharth", "Thandiwe", "Ulrike", "Valentina",
    "Wilhelmina", "Xavier", "Yolanda",
];
const SURNAMES: &[&str] = &[
    "Abernathy", "Castellanos", "Delacroix", "Fitzgerald", "Hargreaves", "Kowalczyk",
    "Lindqvist", "Montgomery", "Nakamura", "Okonkwo", "Papadopoulos", "Ramaswamy",
];

/// The measurements of one iteration, in the order of this list when not rotated.
const KINDS: [&str; 8] = [
    "page", "opens", "aead", "plain", "policy", "/admin", "/clinic", "cold",
];

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let mut args = std::env::args().skip(1);
    let iterations: usize = args.next().map_or(Ok(3000), |a| a.parse())?;
    let people: usize = args.next().map_or(Ok(50), |a| a.parse())?;
    ensure!(people >= 1 && iterations >= 10, "need at least 1 person and 10 iterations");
    let warm_up = (iterations / 10).max(50);

    let work = tempfile::Builder::new().prefix("sensate-bench-").tempdir()?;
    let store = open_store(work.path()).await?;
    let vault = Vault::load(
        store.as_ref(),
        &work.path().join("keys").join("sensate.key"),
        time::OffsetDateTime::now_utc(),
    )
    .await?;
    let app = App::start(store.clone(), Arc::new(vault), Arc::new(SystemClock)).await?;
    let practice = seed(&app, people).await?;
    let router = sensate_web::router(AppState::new(app.clone(), WebSettings::default()));
    let cookie = sign_in_owner(&router).await?;

    // What the page shows must be what the measurement of opens opens.
    let accounts = store.practice_accounts(practice).await?;
    ensure!(accounts.len() == people, "expected {people} accounts, found {}", accounts.len());
    let opened = open_all(&app, store.as_ref(), practice, &accounts).await?;
    let (status, body) = get(&router, "/admin/people", &cookie).await?;
    ensure!(status == StatusCode::OK, "/admin/people answered {status}");
    for (name, email) in &opened {
        ensure!(
            body.contains(name.expose_secret()) && body.contains(email.expose_secret()),
            "the people page does not show every opened name and address"
        );
    }
    for path in ["/admin", "/clinic"] {
        let (status, body) = get(&router, path, &cookie).await?;
        ensure!(status == StatusCode::OK, "{path} answered {status}");
        ensure!(
            !opened.iter().any(|(name, email)| body.contains(name.expose_secret())
                || body.contains(email.expose_secret())),
            "{path} shows a sealed field; it cannot stand for a page without them"
        );
    }
    let plaintexts: Vec<(Vec<u8>, Vec<u8>)> = opened
        .iter()
        .map(|(name, email)| {
            (
                name.expose_secret().as_bytes().to_vec(),
                email.expose_secret().as_bytes().to_vec(),
            )
        })
        .collect();
    // The same values already parsed, with the key in hand: the AEAD work alone.
    let key = app.vault().practice_key(store.as_ref(), practice).await?;
    let parsed: Vec<(Sealed, Sealed, Binding, Binding)> = accounts
        .iter()
        .map(|account| {
            let row = account.id.as_uuid();
            Ok((
                Sealed::from_bytes(account.name_sealed.clone())?,
                Sealed::from_bytes(account.email_sealed.clone())?,
                Binding::new(ACCOUNT_TABLE, NAME_COLUMN, row),
                Binding::new(ACCOUNT_TABLE, EMAIL_COLUMN, row),
            ))
        })
        .collect::<anyhow::Result<_>>()?;
    let owner = Actor {
        account: accounts[0].id,
        role: Role::Owner,
        practice: Some(practice),
        client: None,
        active: true,
    };

    let mut samples: Vec<Vec<f64>> = vec![Vec::with_capacity(iterations); KINDS.len()];
    for iteration in 0..warm_up + iterations {
        let mut this = [0.0; KINDS.len()];
        for step in 0..KINDS.len() {
            let kind = (iteration + step) % KINDS.len();
            this[kind] = match kind {
                0 => timed_get(&router, "/admin/people", &cookie).await?,
                1 => {
                    let started = Instant::now();
                    black_box(open_all(&app, store.as_ref(), practice, &accounts).await?);
                    micros(started)
                }
                2 => {
                    let started = Instant::now();
                    black_box(aead_only(&key, &parsed)?);
                    micros(started)
                }
                3 => {
                    let started = Instant::now();
                    black_box(plain_all(&plaintexts)?);
                    micros(started)
                }
                4 => {
                    let started = Instant::now();
                    let mut allowed = 0u32;
                    for _ in 0..1000 {
                        let resource = Resource::PracticeAdministration {
                            practice: black_box(practice),
                        };
                        allowed += u32::from(
                            access::decide(black_box(&owner), Intent::Write, &resource).allowed(),
                        );
                    }
                    ensure!(black_box(allowed) == 1000, "the owner was refused their own page");
                    micros(started) / 1000.0
                }
                5 => timed_get(&router, "/admin", &cookie).await?,
                6 => timed_get(&router, "/clinic", &cookie).await?,
                _ => {
                    // Nothing remembered: a fresh key, the same values sealed under it
                    // (not timed), then the same opens, each one a miss.
                    let fresh = DataKey::generate(key.version())?;
                    let cold = reseal(&fresh, &plaintexts, &parsed)?;
                    let started = Instant::now();
                    black_box(aead_only(&fresh, &cold)?);
                    micros(started)
                }
            };
        }
        if iteration >= warm_up {
            for (kind, value) in this.iter().enumerate() {
                samples[kind].push(*value);
            }
        }
    }

    let [page, opens, aead, plain, policy, admin, clinic, cold] =
        [0, 1, 2, 3, 4, 5, 6, 7].map(|k| &samples[k]);
    let cold_overhead: Vec<f64> = (0..iterations)
        .map(|i| (cold[i] - plain[i]) / (page[i] - opens[i] + plain[i]))
        .collect();
    let without: Vec<f64> = (0..iterations)
        .map(|i| page[i] - opens[i] + plain[i])
        .collect();
    let share: Vec<f64> = (0..iterations).map(|i| opens[i] / page[i]).collect();
    let overhead: Vec<f64> = (0..iterations)
        .map(|i| (opens[i] - plain[i]) / without[i])
        .collect();
    let policy_share: Vec<f64> = (0..iterations).map(|i| policy[i] / page[i]).collect();

    let mut out = String::new();
    writeln!(
        out,
        "{iterations} iterations after {warm_up} warm-up, order rotated each iteration; \
         {people} people = {} sealed fields on the page; body {} bytes",
        2 * people,
        body.len()
    )?;
    writeln!(out, "times in microseconds: median (p95)")?;
    for (label, values) in [
        ("GET /admin/people, whole page", page),
        ("  its opens alone (2 per person)", opens),
        ("    of which the AEAD (open_str)", aead),
        ("  the same opens, nothing remembered", cold),
        ("  the same values as plain columns", plain),
        ("  page without sealed fields (est.)", &without),
        ("GET /admin (no sealed field)", admin),
        ("GET /clinic (no sealed field)", clinic),
    ] {
        writeln!(
            out,
            "  {label:<38} {:>9.1} ({:.1})",
            median(values),
            percentile(values, 0.95)
        )?;
    }
    writeln!(
        out,
        "  {:<38} {:>9.3} ({:.3})  = {:.0} ns",
        "access::decide, one call",
        median(policy),
        percentile(policy, 0.95),
        median(policy) * 1000.0
    )?;
    writeln!(
        out,
        "one sealed field opened: {:.2} us (median of opens / {})",
        median(opens) / (2 * people) as f64,
        2 * people
    )?;
    writeln!(
        out,
        "sealing share of the people page: {:.1}% (median of per-iteration ratios; \
         ratio of medians {:.1}%)",
        100.0 * median(&share),
        100.0 * median(opens) / median(page)
    )?;
    writeln!(
        out,
        "sealing overhead on the page: {:.1}% (median of (opens - plain) / (page - opens + plain); \
         p95 {:.1}%)  [target <= 10%]",
        100.0 * median(&overhead),
        100.0 * percentile(&overhead, 0.95)
    )?;
    writeln!(
        out,
        "sealing overhead with nothing remembered (first view after a start): {:.1}% \
         (median of (cold - plain) / (page - opens + plain); p95 {:.1}%)",
        100.0 * median(&cold_overhead),
        100.0 * percentile(&cold_overhead, 0.95)
    )?;
    writeln!(
        out,
        "policy share of the people page: {:.4}% (one decision per request)",
        100.0 * median(&policy_share)
    )?;
    writeln!(
        out,
        "people page / clinic page: {:.2}x (different pages: scale only)",
        median(page) / median(clinic)
    )?;
    writeln!(out, "{}", open_cost_by_size(&key, accounts[0].id.as_uuid())?)?;
    print!("{out}");
    Ok(())
}

/// What one `open_str` costs by the value's length: a fixed part per call and a part
/// per byte. Run after the main loop (not interleaved with it): 21 samples of 1,000
/// opens per length, median per open.
fn open_cost_by_size(key: &DataKey, row: uuid::Uuid) -> anyhow::Result<String> {
    let binding = Binding::new(ACCOUNT_TABLE, NAME_COLUMN, row);
    let mut line = String::from("one open_str by value length (median of 21 x 1,000):");
    for length in [16, 32, 64, 256, 1024, 4096] {
        let mut samples = Vec::with_capacity(21);
        for _ in 0..21 {
            // A fresh key and fresh values each sample: every open is a miss, so this
            // is the AEAD's cost, not the memory's.
            let fresh = DataKey::generate(key.version())?;
            let sealed: Vec<Sealed> = (0..1000)
                .map(|_| fresh.seal_str(&"x".repeat(length), &binding))
                .collect::<Result<_, _>>()?;
            let started = Instant::now();
            for value in &sealed {
                black_box(fresh.open_str(black_box(value), &binding)?);
            }
            samples.push(micros(started) / 1000.0);
        }
        write!(line, " {length} B {:.2} us;", median(&samples))?;
    }
    line.pop();
    Ok(line)
}

/// A fresh SQLite store, as `sensate serve` makes one in a new data directory.
async fn open_store(dir: &Path) -> anyhow::Result<Arc<dyn Store>> {
    let store = SqliteStore::open(&dir.join("sensate.db")).await?;
    store.migrate().await?;
    Ok(Arc::new(store))
}

/// A practice with its owner (TOTP enrolled) and `people - 1` clinicians and clients.
async fn seed(app: &App, people: usize) -> anyhow::Result<PracticeId> {
    let practice = Practice::new(PracticeName::parse("Bench Street Practice")?, false);
    app.create_practice(&practice).await?;
    app.add_person(NewPerson {
        id: None,
        practice: Some(practice.id),
        role: Role::Owner,
        name: "Dr Margarethe Oyelaran-Whitfield",
        email: OWNER_EMAIL,
        password: OWNER_PASSWORD,
        second_factor: Some((&OWNER_TOTP[..], OWNER_RECOVERY)),
        client: None,
    })
    .await?;
    for i in 1..people {
        let first = FIRST_NAMES[i % FIRST_NAMES.len()];
        let last = SURNAMES[(i * 7) % SURNAMES.len()];
        let name = format!("{first} {last}");
        let email = format!(
            "{}.{}.{i}@client.example",
            ascii_lower(first),
            ascii_lower(last)
        );
        let password = format!("bench person passphrase {i:03}");
        app.add_person(NewPerson {
            id: None,
            practice: Some(practice.id),
            role: if i % 5 == 0 { Role::Clinician } else { Role::Client },
            name: &name,
            email: &email,
            password: &password,
            second_factor: None,
            client: None,
        })
        .await
        .with_context(|| format!("adding {name}"))?;
    }
    Ok(practice.id)
}

fn ascii_lower(word: &str) -> String {
    word.chars()
        .filter(char::is_ascii_alphabetic)
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

/// Signs the owner in through the router, as a browser would, and returns the cookie.
async fn sign_in_owner(router: &Router) -> anyhow::Result<String> {
    let form = format!(
        "email={}&password={}",
        form_encode(OWNER_EMAIL),
        form_encode(OWNER_PASSWORD)
    );
    let (status, headers, _) = send(router, post("/sign-in", None, form)?).await?;
    ensure!(status == StatusCode::SEE_OTHER, "POST /sign-in answered {status}");
    let half = session_cookie(&headers).context("no session cookie after the password")?;
    let (status, page) = get(router, "/sign-in/code", &half).await?;
    ensure!(status == StatusCode::OK, "GET /sign-in/code answered {status}");
    let csrf = hidden_field(&page, "csrf").context("no csrf field on the code page")?;
    let code = totp::code_at(
        &TotpSecret::from_bytes(OWNER_TOTP)?,
        time::OffsetDateTime::now_utc(),
    );
    let form = format!("csrf={}&code={code}", form_encode(&csrf));
    let (status, headers, _) = send(router, post("/sign-in/code", Some(&half), form)?).await?;
    ensure!(status == StatusCode::SEE_OTHER, "POST /sign-in/code answered {status}");
    session_cookie(&headers).context("no session cookie after the code")
}

/// The people page's sealing work: per person, the key, then name and email opened.
async fn open_all(
    app: &App,
    store: &dyn Store,
    practice: PracticeId,
    accounts: &[AccountRecord],
) -> anyhow::Result<Vec<(SecretString, SecretString)>> {
    let mut opened = Vec::with_capacity(accounts.len());
    for account in accounts {
        let key = app.vault().practice_key(store, practice).await?;
        let row = account.id.as_uuid();
        let open = |bytes: &[u8], column: &'static str| {
            key.open_str(
                &Sealed::from_bytes(bytes.to_vec())?,
                &Binding::new(ACCOUNT_TABLE, column, row),
            )
        };
        opened.push((
            open(&account.name_sealed, NAME_COLUMN)?,
            open(&account.email_sealed, EMAIL_COLUMN)?,
        ));
    }
    Ok(opened)
}

/// Only the authenticated decryption of the page's values (parsed, key in hand).
/// The same plaintexts sealed under `key` at the same places.
fn reseal(
    key: &DataKey,
    plaintexts: &[(Vec<u8>, Vec<u8>)],
    parsed: &[(Sealed, Sealed, Binding, Binding)],
) -> anyhow::Result<Vec<(Sealed, Sealed, Binding, Binding)>> {
    plaintexts
        .iter()
        .zip(parsed)
        .map(|((name, email), (_, _, name_at, email_at))| {
            Ok((
                key.seal(name, name_at)?,
                key.seal(email, email_at)?,
                *name_at,
                *email_at,
            ))
        })
        .collect()
}

fn aead_only(
    key: &DataKey,
    parsed: &[(Sealed, Sealed, Binding, Binding)],
) -> anyhow::Result<Vec<(SecretString, SecretString)>> {
    parsed
        .iter()
        .map(|(name, email, name_at, email_at)| {
            Ok((key.open_str(name, name_at)?, key.open_str(email, email_at)?))
        })
        .collect()
}

/// What reading the same values from plain columns would still cost.
fn plain_all(values: &[(Vec<u8>, Vec<u8>)]) -> anyhow::Result<Vec<(SecretString, SecretString)>> {
    values
        .iter()
        .map(|(name, email)| {
            Ok((
                SecretString::from(String::from_utf8(name.clone())?),
                SecretString::from(String::from_utf8(email.clone())?),
            ))
        })
        .collect()
}

async fn timed_get(router: &Router, path: &str, cookie: &str) -> anyhow::Result<f64> {
    let request = with_peer(
        Request::get(path)
            .header(header::COOKIE, format!("__Host-sensate={cookie}"))
            .body(Body::empty())?,
    );
    let started = Instant::now();
    let response = router.clone().oneshot(request).await?;
    let status = response.status();
    let body = axum::body::to_bytes(response.into_body(), usize::MAX).await?;
    let elapsed = micros(started);
    if status != StatusCode::OK {
        bail!("{path} answered {status} during the run");
    }
    black_box(body);
    Ok(elapsed)
}

async fn get(router: &Router, path: &str, cookie: &str) -> anyhow::Result<(StatusCode, String)> {
    let request = Request::get(path)
        .header(header::COOKIE, format!("__Host-sensate={cookie}"))
        .body(Body::empty())?;
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

async fn send(
    router: &Router,
    request: Request<Body>,
) -> anyhow::Result<(StatusCode, HeaderMap, String)> {
    let response = router.clone().oneshot(with_peer(request)).await?;
    let status = response.status();
    let headers = response.headers().clone();
    let body = axum::body::to_bytes(response.into_body(), usize::MAX).await?;
    Ok((status, headers, String::from_utf8(body.to_vec())?))
}

/// Requests come from 127.0.0.1, as from a browser on the same machine.
fn with_peer(mut request: Request<Body>) -> Request<Body> {
    request
        .extensions_mut()
        .insert(ConnectInfo(SocketAddr::from(([127, 0, 0, 1], 40000))));
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
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                char::from(b).to_string()
            }
            b' ' => "+".to_owned(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

fn micros(started: Instant) -> f64 {
    started.elapsed().as_secs_f64() * 1e6
}

fn median(values: &[f64]) -> f64 {
    percentile(values, 0.5)
}

/// Nearest-rank percentile.
fn percentile(values: &[f64], p: f64) -> f64 {
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    let rank = ((p * sorted.len() as f64).ceil() as usize).clamp(1, sorted.len());
    sorted[rank - 1]
}

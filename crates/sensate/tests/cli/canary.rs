//! The canary: a unique marker typed into every field that identifies a client must
//! not be found anywhere Sensate writes — the SQLite database, its WAL and
//! shared-memory files, a backup, or the server's log — as raw text, UTF-16 or base64.
//!
//! Today the marker goes into the owner's and a client's names and addresses, the
//! invitation and its email, a password, a couple case's two client records (names,
//! pronouns, addresses), a caseload search, a partner's portal invitation, two of their
//! intake answers, a private message and a message to the case, a joint session's
//! signed note and process note, and what the clinician did about a questionnaire's
//! safety alert.

use std::path::Path;
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

use base64::Engine;
use sensate_auth::totp::{TotpSecret, code_at};

use crate::support::{data_dir, free_port, sensate};

/// The forms of `marker` to look for.
fn encodings(marker: &str) -> Vec<(String, Vec<u8>)> {
    let mut forms = vec![("raw".to_owned(), marker.as_bytes().to_vec())];
    let utf16le: Vec<u8> = marker.encode_utf16().flat_map(u16::to_le_bytes).collect();
    let utf16be: Vec<u8> = marker.encode_utf16().flat_map(u16::to_be_bytes).collect();
    forms.push(("UTF-16LE".to_owned(), utf16le));
    forms.push(("UTF-16BE".to_owned(), utf16be));
    // Base64 depends on where the text starts within a 3-byte group: look for the
    // middle of each of the three alignments, which every encoding of the marker
    // contains whatever surrounds it.
    for engine in [
        &base64::engine::general_purpose::STANDARD,
        &base64::engine::general_purpose::URL_SAFE,
    ] {
        for offset in 0..3 {
            let mut padded = vec![b'\0'; offset];
            padded.extend_from_slice(marker.as_bytes());
            let encoded = engine.encode(&padded);
            let skip = (offset * 4).div_ceil(3) + 1;
            let keep = encoded.len().saturating_sub(skip + 4);
            forms.push((
                format!("base64 (offset {offset})"),
                encoded.as_bytes()[skip..skip + keep].to_vec(),
            ));
        }
    }
    forms
}

fn find(haystack: &[u8], needle: &[u8]) -> bool {
    !needle.is_empty() && haystack.windows(needle.len()).any(|w| w == needle)
}

fn scan(what: &str, bytes: &[u8], forms: &[(String, Vec<u8>)], found: &mut Vec<String>) {
    for (name, needle) in forms {
        if find(bytes, needle) {
            found.push(format!("{what}: {name}"));
        }
    }
}

struct Client {
    http: reqwest::Client,
    base: String,
    cookie: Option<String>,
}

struct Reply {
    status: u16,
    location: String,
    body: String,
}

impl Client {
    async fn send(&mut self, request: reqwest::RequestBuilder) -> Reply {
        let request = match &self.cookie {
            Some(cookie) => request.header("cookie", format!("__Host-sensate={cookie}")),
            None => request,
        };
        let response = request.send().await.unwrap();
        for value in response.headers().get_all("set-cookie") {
            let value = value.to_str().unwrap();
            if let Some(rest) = value.strip_prefix("__Host-sensate=") {
                let token = rest.split(';').next().unwrap_or_default();
                self.cookie = (!token.is_empty()).then(|| token.to_owned());
            }
        }
        Reply {
            status: response.status().as_u16(),
            location: response
                .headers()
                .get("location")
                .map(|v| v.to_str().unwrap().to_owned())
                .unwrap_or_default(),
            body: response.text().await.unwrap(),
        }
    }

    async fn get(&mut self, path: &str) -> Reply {
        let request = self.http.get(format!("{}{path}", self.base));
        self.send(request).await
    }

    async fn post(&mut self, path: &str, fields: &[(&str, &str)]) -> Reply {
        let body = fields
            .iter()
            .map(|(k, v)| format!("{k}={}", encode(v)))
            .collect::<Vec<_>>()
            .join("&");
        let request = self
            .http
            .post(format!("{}{path}", self.base))
            .header("content-type", "application/x-www-form-urlencoded")
            .header("sec-fetch-site", "same-origin")
            .body(body);
        self.send(request).await
    }
}

fn encode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                char::from(b).to_string()
            }
            other => format!("%{other:02X}"),
        })
        .collect()
}

fn hidden(body: &str, name: &str) -> String {
    let key = format!(r#"name="{name}" value=""#);
    let start = body.find(&key).expect("hidden field") + key.len();
    body[start..start + body[start..].find('"').unwrap()].to_owned()
}

fn secret_from_hex(hex: &str) -> TotpSecret {
    let bytes: Vec<u8> = (0..hex.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&hex[i..i + 2], 16).unwrap())
        .collect();
    TotpSecret::from_bytes(&bytes).unwrap()
}

/// Stops the server if the test fails before it does, so no server outlives its test.
struct KillOnDrop(Child);

impl Drop for KillOnDrop {
    fn drop(&mut self) {
        if self.0.try_wait().ok().flatten().is_none() {
            let _ = self.0.kill();
            let _ = self.0.wait();
        }
    }
}

fn stop(child: &mut Child) {
    std::process::Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(30);
    while child.try_wait().unwrap().is_none() {
        assert!(Instant::now() < deadline, "sensate did not stop");
        std::thread::sleep(Duration::from_millis(50));
    }
}

fn read(path: &Path) -> Vec<u8> {
    std::fs::read(path).unwrap_or_default()
}

#[tokio::test]
async fn a_marker_typed_into_client_fields_is_found_nowhere_sensate_writes() {
    let marker = format!("Canary{}", uuid::Uuid::now_v7().simple());
    let dir = data_dir();
    let port = free_port();
    let mut child = sensate()
        .args([
            "serve",
            "--data-dir",
            dir.path().to_str().unwrap(),
            "--listen",
            &format!("127.0.0.1:{port}"),
            "--log-format",
            "json",
        ])
        .env("RUST_LOG", "debug")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let server_output = crate::support::Drained::start(&mut child);
    let mut child = KillOnDrop(child);
    let mut client = Client {
        http: reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap(),
        base: format!("http://127.0.0.1:{port}"),
        cookie: None,
    };
    let deadline = Instant::now() + Duration::from_secs(30);
    while client
        .http
        .get(format!("{}/healthz", client.base))
        .send()
        .await
        .is_err()
    {
        assert!(Instant::now() < deadline, "sensate did not start");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }

    // The owner: the marker in their name, address and password.
    let owner_email = format!("{}@owner.example", marker.to_lowercase());
    // The password rules refuse a password holding the address, so passwords carry a
    // second marker, scanned for as well.
    let password_marker = format!("Pass{}", uuid::Uuid::now_v7().simple());
    let password = format!("{password_marker} is my passphrase");
    let setup = client
        .post(
            "/setup",
            &[
                ("practice_name", "Harbour Street"),
                ("owner_name", &format!("Owner {marker}")),
                ("email", &owner_email),
                ("password", &password),
            ],
        )
        .await;
    assert_eq!(setup.status, 303, "{}", setup.body);
    let enrol = client.get("/account/two-factor").await;
    let secret = secret_from_hex(&hidden(&enrol.body, "secret"));
    let csrf = hidden(&enrol.body, "csrf");
    let code = code_at(&secret, sensate_domain::clock::now());
    let enrolled = client
        .post(
            "/account/two-factor",
            &[
                ("csrf", &csrf),
                ("secret", &hidden(&enrol.body, "secret")),
                ("code", &code),
            ],
        )
        .await;
    assert_eq!(enrolled.status, 200, "{}", enrolled.body);

    // A client, invited with the marker in their name and address, who accepts.
    let people = client.get("/admin/people").await;
    let csrf = hidden(&people.body, "csrf");
    let client_email = format!("client.{}@client.example", marker.to_lowercase());
    let invited = client
        .post(
            "/admin/people/invite",
            &[
                ("csrf", &csrf),
                ("name", &format!("Client {marker}")),
                ("email", &client_email),
                ("role", "client"),
            ],
        )
        .await;
    assert_eq!(invited.status, 303, "{}", invited.body);
    let outbox = client.get("/admin/outbox").await;
    assert!(outbox.body.contains(&marker), "the owner can read it back");
    let start = outbox.body.find("/invitations/").unwrap() + "/invitations/".len();
    let token: String = outbox.body[start..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
        .collect();
    let mut invitee = Client {
        http: client.http.clone(),
        base: client.base.clone(),
        cookie: None,
    };
    let joined = invitee
        .post(
            &format!("/invitations/{token}"),
            &[("password", &format!("{password_marker} client secret"))],
        )
        .await;
    assert_eq!(joined.location, "/portal", "{}", joined.body);
    // A couple case opened by the owner, with the marker in both partners' names,
    // pronouns and addresses; then a caseload search for it.
    let new_case = client.get("/clinic/cases/new?kind=couple").await;
    let csrf = hidden(&new_case.body, "csrf");
    let opened = client
        .post(
            "/clinic/cases/new",
            &[
                ("csrf", &csrf),
                ("kind", "couple"),
                ("secrets_policy", "limited_secrets"),
                ("client-0-name", &format!("Partner {marker}")),
                ("client-0-pronouns", &marker),
                (
                    "client-0-email",
                    &format!("a.{}@client.example", marker.to_lowercase()),
                ),
                ("client-1-name", &format!("Other {marker}")),
                (
                    "client-1-email",
                    &format!("b.{}@client.example", marker.to_lowercase()),
                ),
            ],
        )
        .await;
    assert_eq!(opened.status, 303, "{}", opened.body);
    let case = client.get(&opened.location).await;
    assert!(case.body.contains(&marker), "the clinician reads it back");
    let csrf = hidden(&case.body, "csrf");
    let found = client
        .post("/clinic/search", &[("csrf", &csrf), ("text", &marker)])
        .await;
    assert!(found.body.contains(&format!("Partner {marker}")));

    // The first partner is invited to the portal from the case, accepts, and writes the
    // marker into an intake answer.
    let invite_end = case.body.find("/invite\"").unwrap() + "/invite".len();
    let invite_start = case.body[..invite_end].rfind('"').unwrap() + 1;
    let invite_action = case.body[invite_start..invite_end].to_owned();
    assert!(invite_action.ends_with("/invite"), "{invite_action}");
    let partner_email = format!("a.{}@client.example", marker.to_lowercase());
    let invited = client
        .post(
            &invite_action,
            &[("csrf", &csrf), ("email", &partner_email)],
        )
        .await;
    assert_eq!(invited.status, 303, "{}", invited.body);
    let outbox = client.get("/admin/outbox").await;
    let partner_link = outbox
        .body
        .split(|c: char| c.is_whitespace() || c == '<' || c == '"')
        .filter(|word| word.contains("/invitations/"))
        .map(|word| word[word.find("/invitations/").unwrap()..].to_owned())
        .next()
        .expect("the partner's invitation is in the outbox (newest first)");
    let mut partner = Client {
        http: client.http.clone(),
        base: client.base.clone(),
        cookie: None,
    };
    let joined = partner
        .post(
            &partner_link,
            &[("password", &format!("{password_marker} partner secret"))],
        )
        .await;
    assert_eq!(joined.location, "/portal", "{}", joined.body);
    let intake = partner.get("/portal/intake").await;
    let csrf = hidden(&intake.body, "csrf");
    let saved = partner
        .post(
            "/portal/intake",
            &[
                ("csrf", &csrf),
                ("reason", &format!("{marker} is what brings me")),
                ("medicines", &format!("{marker} 50 mg daily")),
                ("action", "save"),
            ],
        )
        .await;
    assert_eq!(saved.location, "/portal/intake?saved", "{}", saved.body);
    assert!(partner.get("/portal/intake").await.body.contains(&marker));

    // The partner writes to the therapist alone; the clinician writes to the case.
    let case_path = opened.location.trim_end_matches("?opened").to_owned();
    let case_id = case_path.trim_start_matches("/clinic/cases/").to_owned();
    let thread = format!("/portal/cases/{case_id}/messages");
    let page = partner.get(&thread).await;
    let csrf = hidden(&page.body, "csrf");
    let sent = partner
        .post(
            &thread,
            &[
                ("csrf", &csrf),
                ("to", "me"),
                ("text", &format!("{marker} in private")),
            ],
        )
        .await;
    assert_eq!(sent.status, 303, "{}", sent.body);
    let page = client.get(&format!("{case_path}/messages")).await;
    assert!(page.body.contains(&marker), "the clinician reads it");
    let csrf = hidden(&page.body, "csrf");
    let sent = client
        .post(
            &format!("{case_path}/messages"),
            &[
                ("csrf", &csrf),
                ("to", "case"),
                ("text", &format!("{marker} to both")),
            ],
        )
        .await;
    assert_eq!(sent.status, 303, "{}", sent.body);

    // A joint session with a signed note and a process note.
    let attendees: Vec<String> = case
        .body
        .match_indices("/clients/")
        .map(|(i, _)| case.body[i + "/clients/".len()..i + "/clients/".len() + 36].to_owned())
        .collect();
    let form = client.get(&format!("{case_path}/sessions/new")).await;
    let csrf = hidden(&form.body, "csrf");
    let recorded = client
        .post(
            &format!("{case_path}/sessions/new"),
            &[
                ("csrf", &csrf),
                ("date", "2026-11-30"),
                ("time", "10:00"),
                ("minutes", "50"),
                ("modality", "video"),
                ("session_type", "couple_with_client"),
                ("attendee", &attendees[0]),
                ("attendee", &attendees.last().unwrap().clone()),
            ],
        )
        .await;
    assert_eq!(recorded.status, 303, "{}", recorded.body);
    let session = recorded.location.trim_end_matches("?recorded").to_owned();
    let page = client.get(&session).await;
    let csrf = hidden(&page.body, "csrf");
    let signed = client
        .post(
            &format!("{session}/note"),
            &[
                ("csrf", &csrf),
                ("template", "soap"),
                ("subjective", &format!("{marker} said in session")),
                ("action", "sign"),
            ],
        )
        .await;
    assert_eq!(signed.status, 303, "{}", signed.body);
    let page = client.get(&session).await;
    let csrf = hidden(&page.body, "csrf");
    client
        .post(
            &format!("{session}/process-note"),
            &[
                ("csrf", &csrf),
                ("text", &format!("{marker} my own thoughts")),
            ],
        )
        .await;
    assert!(
        client
            .get(&session)
            .await
            .body
            .contains(&format!("{marker} my own thoughts"))
    );

    // The partner answers a PHQ-9 with item 9 above 0; the clinician records, with the
    // marker, what they did about the alert.
    let questionnaires = format!("{case_path}/clients/{}/questionnaires", attendees[0]);
    let page = client.get(&questionnaires).await;
    let csrf = hidden(&page.body, "csrf");
    let assigned = client
        .post(&questionnaires, &[("csrf", &csrf), ("instrument", "phq9")])
        .await;
    assert_eq!(assigned.status, 303, "{}", assigned.body);
    let portal = partner.get("/portal").await;
    let start = portal
        .body
        .find("/portal/questionnaires/")
        .expect("the PHQ-9 waits");
    let sheet = portal.body[start..start + "/portal/questionnaires/".len() + 36].to_owned();
    let form = partner.get(&sheet).await;
    let csrf = hidden(&form.body, "csrf");
    let mut answers: Vec<(String, String)> = (1..=9)
        .map(|n| {
            (
                format!("phq9_{n}"),
                if n == 9 { "1" } else { "2" }.to_owned(),
            )
        })
        .collect();
    answers.push(("csrf".into(), csrf));
    answers.push(("action".into(), "send".into()));
    let fields: Vec<(&str, &str)> = answers
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let sent = partner.post(&sheet, &fields).await;
    assert_eq!(sent.status, 200, "{}", sent.body);
    let results = client.get(&questionnaires).await;
    let end = results.body.find("/acknowledge\"").expect("the alert") + "/acknowledge".len();
    let begin = results.body[..end].rfind('"').unwrap() + 1;
    let acknowledge = results.body[begin..end].to_owned();
    let csrf = hidden(&results.body, "csrf");
    let seen = client
        .post(
            &acknowledge,
            &[
                ("csrf", &csrf),
                ("action", &format!("{marker} called and agreed a plan")),
                ("back", "questionnaires"),
            ],
        )
        .await;
    assert_eq!(seen.status, 303, "{}", seen.body);
    assert!(
        client
            .get(&questionnaires)
            .await
            .body
            .contains(&format!("{marker} called"))
    );

    // A failed sign-in with the marker as the address, too.
    let mut stranger = Client {
        http: client.http.clone(),
        base: client.base.clone(),
        cookie: None,
    };
    stranger
        .post(
            "/sign-in",
            &[
                ("email", &format!("{marker}@nowhere.example")),
                ("password", &marker),
            ],
        )
        .await;

    // An online backup while the server runs.
    let backup = dir.path().join("canary.backup");
    let output = sensate()
        .args([
            "backup",
            "--data-dir",
            dir.path().to_str().unwrap(),
            "--output",
            backup.to_str().unwrap(),
        ])
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );

    // Scan while the server still runs (WAL and shared memory exist), then its logs.
    let mut forms = encodings(&marker);
    forms.extend(encodings(&password_marker));
    let mut found = Vec::new();
    let database = dir.path().join("sensate.db");
    for (name, path) in [
        ("database", database.clone()),
        ("WAL", dir.path().join("sensate.db-wal")),
        ("shared memory", dir.path().join("sensate.db-shm")),
        ("backup", backup.clone()),
    ] {
        scan(name, &read(&path), &forms, &mut found);
    }
    assert!(
        !read(&dir.path().join("sensate.db-wal")).is_empty(),
        "the WAL was scanned with content"
    );
    stop(&mut child.0);
    scan("database after stop", &read(&database), &forms, &mut found);
    let (out, logs) = server_output.finish();
    assert!(logs.len() > 1000, "the server logged its requests");
    scan("server log", &logs, &forms, &mut found);
    scan("server output", &out, &forms, &mut found);
    assert!(found.is_empty(), "the marker leaked: {found:?}");

    // The scan itself works: the marker is found where it is meant to be visible.
    let mut control = Vec::new();
    scan("page", outbox.body.as_bytes(), &forms, &mut control);
    assert!(
        !control.is_empty(),
        "the scanner finds the marker in plain text"
    );
    let encoded = base64::engine::general_purpose::STANDARD.encode(format!("xy{marker}z"));
    let mut control = Vec::new();
    scan("base64 control", encoded.as_bytes(), &forms, &mut control);
    assert!(
        !control.is_empty(),
        "the scanner finds the marker in base64"
    );
}

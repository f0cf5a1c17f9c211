//! `sensate demo`: a fictional practice to explore, seeded fresh each time.
//!
//! The demo seeds only into an empty database or one holding an earlier demo; it
//! refuses a database that holds any real practice. On SQLite an earlier demo is wiped
//! (the files are deleted) so every run starts from the same state. On PostgreSQL it
//! refuses instead: dropping a server's tables is not something a demo should do, so
//! the operator points it at an empty database.
//!
//! Everything seeded is deterministic (fixed ids, names and dates) so screenshots,
//! tests and benchmarks see the same practice. Keep this seed growing as features land.

use std::path::Path;
use std::sync::Arc;

use anyhow::Context;
use sensate_app::{App, AuditContext, NewPerson, OpenCase};
use sensate_domain::accounts::Role;
use sensate_domain::cases::{CaseKind, SecretsPolicy};
use sensate_domain::client::ClientForm;
use sensate_domain::{AccountId, ClientId, Practice, PracticeId, PracticeName};
use sensate_store::{Audited, DatabaseUrl, Store};
use time::macros::datetime;
use uuid::Uuid;

use crate::database;
use crate::settings::ConfigError;

/// The fictional practice's name.
pub const PRACTICE_NAME: &str = "Harbour Street Practice";
/// Its fixed id, so links into the demo stay stable between runs.
pub(crate) const PRACTICE_ID: Uuid = Uuid::from_u128(0x0193_0000_0000_7000_8000_0000_0000_0001);

/// Opens the database and clears an earlier demo (SQLite), ready for [`seed`].
pub async fn prepare(url: &DatabaseUrl) -> anyhow::Result<Arc<dyn Store>> {
    let mut store = database::open_and_migrate(url).await?;
    let practices = store.practices().await?;
    if let Some(real) = practices.iter().find(|p| !p.is_demo) {
        return Err(ConfigError(format!(
            "refusing to seed the demo: the database {url} holds a real practice (\"{}\"). \
             The demo only seeds an empty database or an earlier demo; choose another folder with --data-dir.",
            real.display_name
        ))
        .into());
    }
    if !practices.is_empty() {
        match url {
            DatabaseUrl::Sqlite(path) => {
                store.close().await;
                remove_sqlite_files(path)?;
                store = database::open_and_migrate(url).await?;
            }
            DatabaseUrl::Postgres(_) => {
                return Err(ConfigError(format!(
                    "the database {url} already holds an earlier demo; point the demo at an empty PostgreSQL database"
                ))
                .into());
            }
        }
    }
    Ok(store)
}

/// Someone the demo can sign in as.
pub struct DemoPerson {
    /// Their role, as the welcome text says it.
    pub role: &'static str,
    pub(crate) role_code: Role,
    /// Their fictional name.
    pub name: &'static str,
    /// Their sign-in address.
    pub email: &'static str,
    /// Their password.
    pub password: &'static str,
    /// Their TOTP secret (demo only: pre-enrolled so a newcomer can add it to an app).
    pub totp_secret: Option<&'static [u8; 20]>,
    /// Their recovery codes (demo only: printed, each works once per seeding).
    pub recovery_codes: &'static [&'static str],
    pub(crate) id: u128,
}

/// Everyone in the fictional practice, with fixed fictional credentials.
pub const PEOPLE: &[DemoPerson] = &[
    DemoPerson {
        role: "practice owner",
        role_code: Role::Owner,
        name: "Dr Maya Okafor",
        email: "maya@harbour-street.example",
        password: "harbour street owner demo",
        totp_secret: Some(b"harbour-demo-owner-1"),
        recovery_codes: &["ab2c-de3f-gh4j-km5n", "pq6r-st7v-wx8y-z9a2"],
        id: 0x0193_0000_0000_7000_8000_0000_0001_0001,
    },
    DemoPerson {
        role: "clinician",
        role_code: Role::Clinician,
        name: "Theo Lindqvist",
        email: "theo@harbour-street.example",
        password: "harbour street clinician one",
        totp_secret: Some(b"harbour-demo-clin-02"),
        recovery_codes: &["bc3d-ef4g-hj5k-mn6p", "qr7s-tv8w-xy9z-a2b3"],
        id: 0x0193_0000_0000_7000_8000_0000_0001_0002,
    },
    DemoPerson {
        role: "clinician",
        role_code: Role::Clinician,
        name: "Priya Raman",
        email: "priya@harbour-street.example",
        password: "harbour street clinician two",
        totp_secret: Some(b"harbour-demo-clin-03"),
        recovery_codes: &["cd4e-fg5h-jk6m-np7q", "rs8t-vw9x-yz2a-b3c4"],
        id: 0x0193_0000_0000_7000_8000_0000_0001_0003,
    },
    DemoPerson {
        role: "client",
        role_code: Role::Client,
        name: "Sam Rivera",
        email: "sam@client.example",
        password: "quiet harbour morning walk",
        totp_secret: None,
        recovery_codes: &[],
        id: 0x0193_0000_0000_7000_8000_0000_0002_0001,
    },
    DemoPerson {
        role: "client; a couple with Jordan",
        role_code: Role::Client,
        name: "Alex Chen",
        email: "alex@client.example",
        password: "blue kettle on the stove",
        totp_secret: None,
        recovery_codes: &[],
        id: 0x0193_0000_0000_7000_8000_0000_0002_0002,
    },
    DemoPerson {
        role: "client; a couple with Alex",
        role_code: Role::Client,
        name: "Jordan Chen",
        email: "jordan@client.example",
        password: "paper boats in spring rain",
        totp_secret: None,
        recovery_codes: &[],
        id: 0x0193_0000_0000_7000_8000_0000_0002_0003,
    },
    DemoPerson {
        role: "directory verifier: platform staff, in no practice",
        role_code: Role::Verifier,
        name: "Vera Nakamura",
        email: "vera@verify.example",
        password: "directory verifier demo",
        totp_secret: Some(b"sensate-demo-verify1"),
        recovery_codes: &["de5f-gh6j-km7n-pq8r", "st9v-wx2y-za3b-cd4e"],
        id: 0x0193_0000_0000_7000_8000_0000_0003_0001,
    },
];

/// Seeds the demo data into an empty, migrated database.
pub async fn seed(app: &App) -> anyhow::Result<()> {
    let practice = Practice {
        id: PracticeId::from_uuid(PRACTICE_ID),
        display_name: PracticeName::parse(PRACTICE_NAME)?,
        is_demo: true,
        created_at: datetime!(2026-01-05 09:00 UTC),
    };
    app.create_practice(&practice)
        .await
        .context("seeding the demo practice")?;
    // Staff first: cases need their clinician.
    for person in PEOPLE.iter().filter(|p| p.role_code != Role::Client) {
        add(app, &practice, person, None).await?;
    }
    let clients = seed_caseload(app).await?;
    for (person, client) in PEOPLE
        .iter()
        .filter(|p| p.role_code == Role::Client)
        .zip(clients)
    {
        add(app, &practice, person, Some(client)).await?;
    }
    Ok(())
}

async fn add(
    app: &App,
    practice: &Practice,
    person: &DemoPerson,
    client: Option<ClientId>,
) -> anyhow::Result<()> {
    app.add_person(NewPerson {
        id: Some(AccountId::from_uuid(Uuid::from_u128(person.id))),
        // A verifier is platform staff: in no practice.
        practice: (person.role_code != Role::Verifier).then_some(practice.id),
        role: person.role_code,
        name: person.name,
        email: person.email,
        password: person.password,
        second_factor: person
            .totp_secret
            .map(|secret| (&secret[..], person.recovery_codes)),
        client,
    })
    .await
    .with_context(|| format!("seeding the demo {}", person.role))?;
    Ok(())
}

fn staff_id(index: usize) -> AccountId {
    AccountId::from_uuid(Uuid::from_u128(PEOPLE[index].id))
}

/// Fictional first names and family names the caseload is made from, in a fixed
/// order, so every run seeds the same people.
const GIVEN: &[&str] = &[
    "Ana", "Bilal", "Carmen", "Dev", "Elif", "Femi", "Grace", "Hiro", "Ines", "Jonas", "Kemi",
    "Lars", "Mei", "Nadia", "Oscar", "Paula", "Quinn", "Rosa", "Samir", "Tamsin", "Umar", "Vera",
    "Wren", "Yusuf", "Zoe", "Ravi", "Ilse", "Malik", "Noor", "Tomas", "Aiko", "Ben",
];
const FAMILY: &[&str] = &[
    "Abara",
    "Bergstrom",
    "Castillo",
    "Dimitrov",
    "Eze",
    "Fontaine",
    "Gallo",
    "Haddad",
    "Ivanova",
    "Jensen",
    "Kowalski",
    "Lindgren",
    "Moreau",
    "Nakamura",
    "Ortega",
    "Petrov",
];
const PRONOUNS: &[&str] = &["she/her", "he/him", "they/them", "", "she/they", ""];

fn fictional(index: usize, family: &str) -> ClientForm {
    let given = GIVEN[index % GIVEN.len()];
    ClientForm {
        name: format!("{given} {family}"),
        pronouns: PRONOUNS[index % PRONOUNS.len()].to_owned(),
        date_of_birth: format!(
            "{}-{:02}-{:02}",
            1960 + (index * 7) % 40,
            1 + index % 12,
            1 + (index * 3) % 28
        ),
        email: format!(
            "{}.{}@client.example",
            given.to_lowercase(),
            family.to_lowercase()
        ),
        phone: format!("+44 20 7946 {:04}", 1000 + index),
    }
}

/// The practice's caseload: Sam on their own and the Chens as a couple with Theo, then
/// 37 more fictional clients across the three clinicians (8 couples in all, some
/// cases closed). Returns the records of Sam, Alex and Jordan, whose portal accounts
/// belong to them.
async fn seed_caseload(app: &App) -> anyhow::Result<Vec<ClientId>> {
    let context = AuditContext::default();
    let open = |clinician: usize,
                kind: CaseKind,
                policy: Option<SecretsPolicy>,
                clients: Vec<ClientForm>| {
        let form = OpenCase {
            kind: kind.code().to_owned(),
            secrets_policy: policy
                .map(SecretsPolicy::code)
                .unwrap_or_default()
                .to_owned(),
            clients,
        };
        let context = context.clone();
        async move {
            app.open_case_as(staff_id(clinician), &form, &context)
                .await
                .map_err(|e| anyhow::anyhow!("seeding a demo case: {e}"))
        }
    };
    let sam = ClientForm {
        name: "Sam Rivera".into(),
        pronouns: "they/them".into(),
        date_of_birth: "1991-06-14".into(),
        email: "sam@client.example".into(),
        phone: String::new(),
    };
    let (_, sam) = open(1, CaseKind::Individual, None, vec![sam]).await?;
    let chens = vec![
        ClientForm {
            name: "Alex Chen".into(),
            pronouns: "he/him".into(),
            date_of_birth: "1984-02-03".into(),
            email: "alex@client.example".into(),
            phone: String::new(),
        },
        ClientForm {
            name: "Jordan Chen".into(),
            pronouns: "she/her".into(),
            date_of_birth: "1986-09-21".into(),
            email: "jordan@client.example".into(),
            phone: String::new(),
        },
    ];
    let (_, chens) = open(
        1,
        CaseKind::Couple,
        Some(SecretsPolicy::LimitedSecrets),
        chens,
    )
    .await?;
    let mut index = 0;
    for case in 0..30_usize {
        let clinician = case % 3;
        let family = FAMILY[case % FAMILY.len()];
        let (kind, policy, clients) = if case % 4 == 1 && case < 28 {
            let policy = SecretsPolicy::ALL[case % SecretsPolicy::ALL.len()];
            index += 2;
            (
                CaseKind::Couple,
                Some(policy),
                vec![fictional(index - 2, family), fictional(index - 1, family)],
            )
        } else {
            index += 1;
            (
                CaseKind::Individual,
                None,
                vec![fictional(index - 1, family)],
            )
        };
        let (id, _) = open(clinician, kind, policy, clients).await?;
        if case % 5 == 4 {
            // A finished case, kept on record. Seeding is not a person's action, so it
            // records no audit row of its own.
            app.store()
                .set_case_closed(
                    id,
                    Some(app.now()),
                    Audited {
                        chain: app.vault().audit_chain(),
                        events: Vec::new(),
                        at: app.now(),
                    },
                )
                .await?;
        }
    }
    Ok(sam.into_iter().chain(chens).collect())
}

fn remove_sqlite_files(path: &Path) -> anyhow::Result<()> {
    for suffix in ["", "-wal", "-shm"] {
        let mut name = path.as_os_str().to_owned();
        name.push(suffix);
        match std::fs::remove_file(&name) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => {
                return Err(e)
                    .with_context(|| format!("removing the earlier demo database {path:?}"));
            }
        }
    }
    Ok(())
}

/// What the demo prints once it is listening.
pub fn welcome(address: std::net::SocketAddr, url: &DatabaseUrl, https: bool) -> String {
    let scheme = if https { "https" } else { "http" };
    let people: String = PEOPLE.iter().map(describe).collect();
    format!(
        "\nSensate demo: a fictional practice, seeded fresh.\n\n\
         \x20 Open {scheme}://{address}/ in your browser.\n\n\
         \x20 Practice  {PRACTICE_NAME} (fictional: no real person's data)\n\
         \x20 Database  {url}\n\n\
         \x20 Where to look:\n\
         \x20   /            the public home page: what sex therapy is and is not\n\
         \x20   /directory   find a therapist: about 200 fictional therapists across US cities,\n\
         \x20                each with what was verified; try concern, postal code 60614, video\n\
         \x20   /clinic      the clinician app: each clinician's caseload (40 fictional clients\n\
         \x20                in 32 cases, 8 of them couples, with plans, about 300 sessions with\n\
         \x20                notes, intakes and questionnaires), case pages, portal invitations,\n\
         \x20                and Theo's directory listing with a message from a seeker\n\
         \x20   /portal      the client portal: consent, intake, plan, messages, questionnaires\n\
         \x20                (the Chens each have a PHQ-9 open before their next session)\n\
         \x20   /admin       practice admin: people and invitations, consent document,\n\
         \x20                questionnaire wording, reliable change, crisis resources, outbox,\n\
         \x20                audit trail\n\
         \x20   /verify      the directory verifier: credentials to check, a profile held by\n\
         \x20                moderation, a reported concern\n\n\
         \x20 Sign in at {scheme}://{address}/sign-in as any of these fictional people:\n\
         {people}\n\
         \x20 Staff also need a code: add their app key to any authenticator app, or use one\n\
         \x20 of their recovery codes (each works once, until the demo is seeded again).\n\
         \x20 Stop with Ctrl+C.\n"
    )
}

fn describe(person: &DemoPerson) -> String {
    let mut text = format!(
        "\n    {} ({})\n      email     {}\n      password  {}\n",
        person.name, person.role, person.email, person.password
    );
    if let Some(secret) = person.totp_secret {
        text.push_str(&format!(
            "      app key   {}\n      recovery  {}\n",
            base32(secret),
            person.recovery_codes.join(", ")
        ));
    }
    text
}

/// RFC 4648 base32 without padding, as authenticator apps take a key.
fn base32(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    let mut out = String::new();
    let mut buffer: u32 = 0;
    let mut bits = 0;
    for &byte in bytes {
        buffer = (buffer << 8) | u32::from(byte);
        bits += 8;
        while bits >= 5 {
            bits -= 5;
            out.push(char::from(ALPHABET[((buffer >> bits) & 31) as usize]));
        }
    }
    if bits > 0 {
        out.push(char::from(ALPHABET[((buffer << (5 - bits)) & 31) as usize]));
    }
    out
}

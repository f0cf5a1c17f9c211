//! `sensate bench directory`: how fast the public directory searches a large directory,
//! measured in process through the same `App::search_directory` the web page calls.
//!
//! It builds a fresh database (a private temporary data directory by default), imports
//! N synthetic therapists ([`crate::synthetic_directory`]) through the product's own
//! profile, screening and verification code, then runs M searches from a fixed,
//! deterministic mix (words only, filters only, a place with a radius, and all three
//! together), timing each after running the first K of them once untimed (`--warm-up`),
//! and prints one JSON line to stdout:
//! `{"profiles": N, "queries": M, "p50_ms": …, "p99_ms": …, "qps": …}`. Everything
//! else (progress, import time, a per-kind summary) goes to stderr, so a script reads
//! stdout as it is.
//!
//! Why it is shaped so: the load and the searches go through the application layer
//! rather than straight into the store, so the figures include what a visitor's search
//! really costs (vocabulary lookups, the place resolved, the profiles of a page
//! fetched) and the data is exactly what the product would have stored. `--keep DIR`
//! leaves the populated data directory and the searches as `/directory?…` paths in
//! `DIR/queries.txt`, so `sensate serve` and an HTTP load tool can measure the same
//! searches over the network (`bench/directory.py`).
//!
//! PostgreSQL: `--database-url postgres://…` must name an empty database (the command
//! refuses one that holds any practice); create it before and drop it after, as
//! `bench/directory.py` does.

use std::io::{self, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use indicatif::{ProgressBar, ProgressStyle};
use sensate_app::{App, DirectoryError, DirectorySearch, NewPerson, ProfileSaved};
use sensate_domain::accounts::Role;
use sensate_domain::{AccountId, Practice, PracticeId, PracticeName};

use crate::settings::{ConfigError, Flags, Settings, prepare_data_dir};
use crate::synthetic_directory::{Draw, SyntheticDirectory};
use crate::{database, keys};

/// What `sensate bench directory` was asked to do.
#[derive(Clone, Debug)]
pub struct DirectoryBench {
    /// How many therapists to import.
    pub profiles: usize,
    /// How many searches to time.
    pub queries: usize,
    /// The seed of the data and of the searches.
    pub seed: u64,
    /// A PostgreSQL database to fill instead of a temporary SQLite one.
    pub database_url: Option<String>,
    /// Leave the data directory here, with the searches in `queries.txt`.
    pub keep: Option<PathBuf>,
    /// The share of licences left waiting for a verifier.
    pub pending: f64,
    /// How many searches (the first of the mix) run untimed first, so the timed ones see
    /// warm caches as a running server would.
    pub warm_up: usize,
    /// Time searches over the directory an earlier run kept in `keep`, importing nothing.
    pub reuse: bool,
    /// Time the database's own search, never building the in-memory index.
    pub without_index: bool,
}

/// The kinds of search in the mix, in the order they take turns.
const KINDS: [&str; 4] = ["words", "filters", "place", "combined"];

/// Words seekers type: concerns, approaches and how people say them.
const WORDS: &[&str] = &[
    "sensate focus",
    "erectile",
    "vaginismus",
    "low desire",
    "premature ejaculation",
    "couples",
    "trauma",
    "menopause",
    "gottman",
    "orgasm",
    "pain",
    "gender identity",
    "mindfulness",
    "desire",
    "emdr",
    "out of control",
];

const CONCERN_IDS: &[&str] = &[
    "low_desire",
    "desire_discrepancy",
    "erectile_difficulties",
    "premature_ejaculation",
    "genital_pain",
    "orgasm_difficulties",
    "trauma_recovery",
    "compulsive_sexual_behaviour",
    "life_transitions",
    "lgbtq_gender",
];

/// Runs the benchmark; see the module comment.
pub async fn run(bench: &DirectoryBench) -> anyhow::Result<()> {
    let temporary;
    let data_dir: PathBuf = match &bench.keep {
        Some(dir) => {
            if !bench.reuse
                && dir.exists()
                && std::fs::read_dir(dir)
                    .with_context(|| format!("reading {}", dir.display()))?
                    .next()
                    .is_some()
            {
                return Err(ConfigError(format!(
                    "--keep {}: the folder is not empty; give a new or empty folder",
                    dir.display()
                ))
                .into());
            }
            dir.clone()
        }
        None => {
            temporary = tempfile::Builder::new()
                .prefix("sensate-bench-directory-")
                .tempdir()
                .context("making a temporary data directory")?;
            // Private like any data directory, whatever the umask made it.
            #[cfg(unix)]
            {
                use std::os::unix::fs::PermissionsExt;
                std::fs::set_permissions(temporary.path(), std::fs::Permissions::from_mode(0o700))
                    .context("making the temporary data directory private")?;
            }
            temporary.path().to_path_buf()
        }
    };
    let settings = Settings::resolve(
        Flags {
            data_dir: Some(data_dir.clone()),
            database_url: bench.database_url.clone(),
            ..Flags::default()
        },
        // Only the flags count: an operator's SENSATE_DATABASE_URL must never be filled
        // with fictional therapists.
        &|_| None,
    )?;
    prepare_data_dir(&settings.data_dir)?;
    let store = database::open_and_migrate(&settings.database).await?;
    let filled = !store.practices().await?.is_empty();
    if bench.reuse && !filled {
        store.close().await;
        return Err(ConfigError(format!(
            "--reuse: {} holds no directory yet; run once with --keep and without --reuse",
            settings.database
        ))
        .into());
    }
    if filled && !bench.reuse {
        store.close().await;
        return Err(ConfigError(format!(
            "the database {} already holds a practice; the directory benchmark fills only \
             an empty database",
            settings.database
        ))
        .into());
    }
    let mut app = keys::open_app(&settings, store.clone()).await?;
    if bench.without_index {
        app = app.without_directory_index();
    }
    let result = fill_and_search(&app, bench).await;
    store.close().await;
    println!("{}", serde_json::to_string(&result?)?);
    if let Some(dir) = &bench.keep {
        let database = match &bench.database_url {
            Some(url) => format!(" --database-url '{url}'"),
            None => String::new(),
        };
        eprintln!(
            "Kept the data directory {dir}; the searches are in {dir}/queries.txt. Serve it \
             with: sensate serve --data-dir {dir}{database}",
            dir = dir.display()
        );
    }
    Ok(())
}

async fn fill_and_search(app: &App, bench: &DirectoryBench) -> anyhow::Result<Figures> {
    let today = sensate_domain::clock::now().date();
    let mut directory =
        SyntheticDirectory::new(bench.profiles, bench.seed, today).pending(bench.pending);
    // One profile says something the red-flag screen holds, as in a real directory.
    if bench.profiles >= 2 {
        directory = directory.held(bench.profiles / 2);
    }
    if !bench.reuse {
        import(app, bench, &directory).await?;
    }
    if !bench.without_index {
        let started = Instant::now();
        app.prepare_directory_search().await?;
        eprintln!(
            "Built the in-memory search index in {:.0} ms.",
            started.elapsed().as_secs_f64() * 1000.0
        );
    }

    let searches = searches(&directory, bench.queries, bench.seed);
    if let Some(dir) = &bench.keep {
        write_queries(&dir.join("queries.txt"), &searches)?;
    }
    for (_, search) in searches.iter().take(bench.warm_up) {
        app.search_directory(search).await?;
    }
    let mut times: Vec<(usize, Duration, u64)> = Vec::with_capacity(searches.len());
    let timed = Instant::now();
    for (kind, search) in &searches {
        let start = Instant::now();
        let results = app.search_directory(search).await?;
        times.push((*kind, start.elapsed(), results.total));
    }
    let wall = timed.elapsed();

    for (kind, name) in KINDS.iter().enumerate() {
        let mut of_kind: Vec<Duration> =
            times.iter().filter(|t| t.0 == kind).map(|t| t.1).collect();
        let mut totals: Vec<u64> = times.iter().filter(|t| t.0 == kind).map(|t| t.2).collect();
        if of_kind.is_empty() {
            continue;
        }
        of_kind.sort();
        totals.sort_unstable();
        eprintln!(
            "{name:>8}: {} searches, p50 {:.3} ms, p99 {:.3} ms, median {} matches",
            of_kind.len(),
            millis(percentile(&of_kind, 50)),
            millis(percentile(&of_kind, 99)),
            totals[totals.len() / 2],
        );
    }
    let mut all: Vec<Duration> = times.iter().map(|t| t.1).collect();
    all.sort();
    let qps = if wall.is_zero() {
        0.0
    } else {
        all.len() as f64 / wall.as_secs_f64()
    };
    Ok(Figures {
        profiles: bench.profiles,
        queries: bench.queries,
        p50_ms: round3(millis(percentile(&all, 50))),
        p99_ms: round3(millis(percentile(&all, 99))),
        qps: round3(qps),
    })
}

/// Imports the synthetic directory through the product's own code.
async fn import(
    app: &App,
    bench: &DirectoryBench,
    directory: &SyntheticDirectory,
) -> anyhow::Result<()> {
    let (verifier, practices) = people(app, bench.profiles).await?;
    let started = Instant::now();
    let bar = progress_bar(bench.profiles as u64);
    let (mut published, mut held) = (0usize, 0usize);
    for index in 0..directory.len() {
        let therapist = directory.therapist(index);
        let practice = practices[index % practices.len()];
        match app.import_therapist(practice, verifier, &therapist).await {
            Ok((_, ProfileSaved::Published)) => published += 1,
            Ok((_, ProfileSaved::Held(_))) => held += 1,
            Ok((_, other)) => bail!("profile {index} was saved as {other:?}"),
            Err(DirectoryError::Invalid(problems)) => {
                bail!("synthetic profile {index} was refused: {problems:?}")
            }
            Err(error) => {
                return Err(error).with_context(|| format!("importing synthetic profile {index}"));
            }
        }
        bar.inc(1);
    }
    bar.finish_and_clear();
    let import = started.elapsed();
    eprintln!(
        "Imported {} profiles in {:.1} s ({:.2} ms each): {published} published, {held} held \
         for the verifier; about {:.0}% of licences left waiting for a verifier.",
        directory.len(),
        import.as_secs_f64(),
        import.as_secs_f64() * 1000.0 / directory.len().max(1) as f64,
        bench.pending * 100.0,
    );

    Ok(())
}

/// The one line printed to stdout, its keys in this order.
#[derive(Debug, serde::Serialize)]
pub struct Figures {
    /// Therapists imported.
    pub profiles: usize,
    /// Searches timed.
    pub queries: usize,
    /// Median search time, in milliseconds.
    pub p50_ms: f64,
    /// 99th percentile (nearest rank), in milliseconds.
    pub p99_ms: f64,
    /// Searches per second, one after another on one connection.
    pub qps: f64,
}

/// The verifier who checks every licence, and a few practices the therapists belong to.
async fn people(app: &App, profiles: usize) -> anyhow::Result<(AccountId, Vec<PracticeId>)> {
    // Nobody signs in as the benchmark's verifier: its password is random and never shown.
    let password = sensate_auth::token::OpaqueToken::generate()
        .map_err(|error| anyhow::anyhow!("cannot make a password: {error}"))?
        .token;
    let verifier = app
        .add_person(NewPerson {
            id: None,
            practice: None,
            role: Role::Verifier,
            name: "Directory Benchmark Verifier",
            email: "verifier@directory.example",
            password: &password,
            second_factor: None,
            client: None,
        })
        .await
        .context("adding the benchmark's verifier")?;
    let mut practices = Vec::new();
    for number in 1..=profiles.clamp(1, 5) {
        let practice = Practice {
            id: PracticeId::new(),
            display_name: PracticeName::parse(&format!("Benchmark Practice {number}"))?,
            is_demo: false,
            created_at: sensate_domain::clock::now(),
        };
        app.create_practice(&practice).await?;
        practices.push(practice.id);
    }
    Ok((verifier, practices))
}

/// `count` searches, the kinds taking turns, the same for the same seed and directory.
pub fn searches(
    directory: &SyntheticDirectory,
    count: usize,
    seed: u64,
) -> Vec<(usize, DirectorySearch)> {
    // A different stream from the therapists' (whose indexes start at 0).
    let mut draw = Draw::new(seed, u64::MAX);
    let place = |draw: &mut Draw| {
        let index = draw.below(directory.len().max(1));
        let near = directory.search_place(index, draw);
        let radius = *draw.pick(&["10", "25", "50"]);
        (near, radius.to_owned())
    };
    (0..count)
        .map(|i| {
            let kind = i % KINDS.len();
            let mut search = DirectorySearch::default();
            match kind {
                0 => search.q = (*draw.pick(WORDS)).to_owned(),
                1 => {
                    search.concern = (*draw.pick(CONCERN_IDS)).to_owned();
                    match draw.below(6) {
                        0 => search.mode = "video".into(),
                        1 => search.language = "es".into(),
                        2 => search.accepting = "yes".into(),
                        3 => search.max_fee = "150".into(),
                        4 => search.insurance = "Aetna".into(),
                        _ => {
                            search.competence = "lgbtq".into();
                            search.sliding_scale = "yes".into();
                        }
                    }
                    if draw.chance(0.3) {
                        search.certification = "aasect_certified_sex_therapist".into();
                    }
                }
                2 => (search.near, search.radius) = place(&mut draw),
                _ => {
                    search.q = (*draw.pick(WORDS)).to_owned();
                    search.concern = (*draw.pick(CONCERN_IDS)).to_owned();
                    (search.near, search.radius) = place(&mut draw);
                    if draw.chance(0.5) {
                        search.accepting = "yes".into();
                    }
                }
            }
            if draw.chance(0.1) {
                search.page = "2".into();
            }
            (kind, search)
        })
        .collect()
}

/// The search as the web page's link has it: `/directory?q=…&concern=…`.
pub fn search_path(search: &DirectorySearch) -> String {
    let mut query = url::form_urlencoded::Serializer::new(String::new());
    for (name, value) in [
        ("q", &search.q),
        ("concern", &search.concern),
        ("approach", &search.approach),
        ("competence", &search.competence),
        ("language", &search.language),
        ("mode", &search.mode),
        ("state", &search.state),
        ("insurance", &search.insurance),
        ("max_fee", &search.max_fee),
        ("sliding_scale", &search.sliding_scale),
        ("accepting", &search.accepting),
        ("certification", &search.certification),
        ("near", &search.near),
        ("radius", &search.radius),
        ("unit", &search.unit),
        ("page", &search.page),
    ] {
        if !value.is_empty() {
            query.append_pair(name, value);
        }
    }
    format!("/directory?{}", query.finish())
}

fn write_queries(path: &Path, searches: &[(usize, DirectorySearch)]) -> anyhow::Result<()> {
    let mut file = io::BufWriter::new(
        std::fs::File::create(path).with_context(|| format!("creating {}", path.display()))?,
    );
    for (_, search) in searches {
        writeln!(file, "{}", search_path(search))?;
    }
    file.flush()
        .with_context(|| format!("writing {}", path.display()))
}

/// The nearest-rank percentile of sorted durations.
fn percentile(sorted: &[Duration], p: usize) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let rank = (p * sorted.len()).div_ceil(100).max(1);
    sorted[rank.min(sorted.len()) - 1]
}

fn millis(duration: Duration) -> f64 {
    duration.as_secs_f64() * 1000.0
}

fn round3(value: f64) -> f64 {
    (value * 1000.0).round() / 1000.0
}

/// A bar on a terminal; nothing when stderr is a pipe or a file.
fn progress_bar(profiles: u64) -> ProgressBar {
    if !io::stderr().is_terminal() || profiles == 0 {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new(profiles);
    if let Ok(style) = ProgressStyle::with_template(
        "importing {bar:40} {pos}/{len} profiles, {per_sec}, {eta} left",
    ) {
        bar.set_style(style);
    }
    bar
}

//! The command line: `sensate serve | demo | migrate | rotate-key | audit verify | backup |
//! restore | score | bench directory`.
//!
//! Exit codes: 0 success; 2 a usage error or a refused configuration (the message says
//! how to fix it); 1 anything else (the database unreachable, a port in use).

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};

use crate::settings::{ConfigError, Flags, Settings, prepare_data_dir};
use crate::{backup, bench_directory, database, demo, instruments, keys, score, server, telemetry};

/// Sensate: a private, self-hosted platform for sex therapy.
#[derive(Debug, Parser)]
#[command(name = "sensate", version, about, long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Run Sensate: migrate the database, then serve the web application.
    Serve(ServerArgs),
    /// Seed a fresh fictional practice into the data directory, then serve it.
    Demo(ServerArgs),
    /// Apply database migrations and exit.
    Migrate(DatabaseArgs),
    /// Add a new key to the key file and re-wrap every data key under it. Safe while
    /// the server runs.
    RotateKey(DatabaseArgs),
    /// Check the audit trail.
    #[command(subcommand)]
    Audit(AuditCommand),
    /// Questionnaires: import a practice's validated wording, list what is installed.
    #[command(subcommand)]
    Instruments(InstrumentsCommand),
    /// Manage the directory's credential verifiers (platform staff, in no practice).
    #[command(subcommand)]
    Verifier(VerifierCommand),
    /// Write an encrypted, authenticated backup of the SQLite database. Safe while the
    /// server runs. The key file is not in the backup: keep it separately, as the backup
    /// cannot be restored without it. (PostgreSQL: use pg_dump or pg_basebackup.)
    Backup(BackupArgs),
    /// Restore a backup made by `sensate backup`, after checking it: a cut, changed or
    /// wrong-key backup is refused, and so is a database whose audit trail does not
    /// verify. An existing database is replaced only with --replace.
    Restore(RestoreArgs),
    /// Score a questionnaire response, or a CSV file of responses, and print the result.
    ///
    /// Instruments: phq9, phq2, gad7, gad2, pcl5, csi4, csi16, fsfi, iief15, iief5, asex.
    /// Example: sensate score phq9 1,0,2,1,0,0,1,0,0
    Score(ScoreArgs),
    /// Benchmarks, run by hand on a fresh database (docs/BENCHMARKS.md).
    #[command(subcommand)]
    Bench(BenchCommand),
}

/// The benchmarks.
#[derive(Debug, Subcommand)]
enum BenchCommand {
    /// Fill a fresh database with synthetic therapists, time directory searches in
    /// process, and print one JSON line: profiles, queries, p50_ms, p99_ms, qps.
    ///
    /// The therapists are fictional, spread over real US places by population, and go
    /// through the product's own profile checks. Progress goes to stderr.
    Directory(BenchDirectoryArgs),
}

/// What `bench directory` takes.
#[derive(Debug, Args)]
struct BenchDirectoryArgs {
    /// How many therapists to import
    #[arg(long, value_name = "N", default_value_t = 1000)]
    profiles: usize,
    /// How many searches to time
    #[arg(long, value_name = "M", default_value_t = 1000)]
    queries: usize,
    /// How many of them to run once untimed first, to warm the caches
    #[arg(long, value_name = "K", default_value_t = 100)]
    warm_up: usize,
    /// The seed of the therapists and the searches
    #[arg(long, value_name = "S", default_value_t = 1)]
    seed: u64,
    /// Fill this PostgreSQL database instead (postgres://USER@HOST/DATABASE); it must be
    /// empty [default: SQLite in a temporary data directory]
    #[arg(long, value_name = "URL")]
    database_url: Option<String>,
    /// Keep the data directory here (a new or empty folder), with the searches as
    /// /directory?… paths in DIR/queries.txt, for `sensate serve --data-dir DIR`
    #[arg(long, value_name = "DIR")]
    keep: Option<PathBuf>,
    /// The share of licences left waiting for a verifier, from 0 to 1 (those profiles
    /// are not listed)
    #[arg(long, value_name = "SHARE", default_value_t = 0.01, value_parser = share)]
    pending: f64,
    /// Import nothing: time the searches again over the directory an earlier run left in
    /// --keep DIR (give the same --profiles, --seed and --pending)
    #[arg(long, requires = "keep")]
    reuse: bool,
    /// Time the database's own full-text search: the in-memory index is never built
    #[arg(long)]
    without_index: bool,
}

fn share(text: &str) -> Result<f64, String> {
    match text.parse::<f64>() {
        Ok(value) if (0.0..=1.0).contains(&value) => Ok(value),
        _ => Err("give a share from 0 to 1, such as 0.05".into()),
    }
}

/// The audit trail's commands.
#[derive(Debug, Subcommand)]
enum AuditCommand {
    /// Verify every row of the audit trail and its sealed head; exits 1 and names the
    /// first bad row when anything was edited, deleted, inserted, reordered or cut off.
    Verify(DatabaseArgs),
}

/// The instrument commands.
#[derive(Debug, Subcommand)]
enum InstrumentsCommand {
    /// Import the validated wording of a questionnaire from a FHIR R4 Questionnaire (JSON).
    /// It is matched to a built-in instrument by canonical URL or LOINC code (or
    /// --instrument) and checked item by item; a mismatch is refused, naming the first
    /// difference.
    Import(ImportArgs),
    /// List the built-in instruments and whether validated wording has been imported.
    List(DatabaseArgs),
}

/// What `instruments import` takes.
#[derive(Debug, Args)]
struct ImportArgs {
    #[command(flatten)]
    database: DatabaseArgs,
    /// The Questionnaire, as FHIR R4 JSON
    file: PathBuf,
    /// The built-in instrument it holds (phq9, gad7, …), when its URL or code does not say
    #[arg(long, value_name = "ID")]
    instrument: Option<String>,
}

/// The verifier commands.
#[derive(Debug, Subcommand)]
enum VerifierCommand {
    /// Create a directory verifier and print a temporary password, shown once. They
    /// set up two-step sign-in at their first sign-in.
    Add(VerifierArgs),
}

/// What `verifier add` takes.
#[derive(Debug, Args)]
struct VerifierArgs {
    #[command(flatten)]
    database: DatabaseArgs,
    /// Their name, as colleagues will see it
    #[arg(long)]
    name: String,
    /// The address they sign in with
    #[arg(long)]
    email: String,
}

/// What `backup` takes.
#[derive(Debug, Args)]
struct BackupArgs {
    #[command(flatten)]
    database: DatabaseArgs,
    /// Write the backup to this file; it must not exist yet (a backup is never overwritten)
    #[arg(long, value_name = "FILE")]
    output: PathBuf,
}

/// What `restore` takes.
#[derive(Debug, Args)]
struct RestoreArgs {
    #[command(flatten)]
    database: DatabaseArgs,
    /// The backup file to restore, made by `sensate backup`
    #[arg(long, value_name = "FILE")]
    input: PathBuf,
    /// Replace the database already in the data directory; it is kept beside the restored
    /// one as sensate.db.before-restore-TIME. Stop the server first
    #[arg(long)]
    replace: bool,
}

/// What `score` takes.
#[derive(Debug, Args)]
struct ScoreArgs {
    /// The instrument's id, e.g. phq9 or fsfi
    instrument: String,
    /// Coded item values in item order, comma-separated; leave a field empty for a missing item
    #[arg(
        allow_hyphen_values = true,
        required_unless_present = "csv",
        conflicts_with = "csv"
    )]
    values: Option<String>,
    /// Score every row of this CSV file (a header row of item ids, one response per row)
    #[arg(long, value_name = "IN")]
    csv: Option<PathBuf>,
    /// Write the CSV results here instead of standard output
    #[arg(long, value_name = "OUT", requires = "csv")]
    output: Option<PathBuf>,
}

/// Where the data lives; shared by every command that opens the database.
#[derive(Debug, Args)]
struct DatabaseArgs {
    /// A TOML file with any of the settings below (flags and environment win over it)
    /// [env: SENSATE_CONFIG]
    #[arg(long, value_name = "FILE")]
    config: Option<PathBuf>,
    /// The private folder for the database and Sensate's files [env: SENSATE_DATA_DIR]
    /// [default: ./sensate-data]
    #[arg(long, value_name = "DIR")]
    data_dir: Option<PathBuf>,
    /// postgres://USER@HOST/DATABASE, or sqlite:PATH [env: SENSATE_DATABASE_URL]
    /// [default: SQLite at DIR/sensate.db]
    #[arg(long, value_name = "URL")]
    database_url: Option<String>,
    /// The key file that wraps every data key [env: SENSATE_KEY_FILE]
    /// [default: DIR/keys/sensate.key]
    #[arg(long, value_name = "FILE")]
    key_file: Option<PathBuf>,
    /// Log lines as `text` or `json` (filter with RUST_LOG) [env: SENSATE_LOG_FORMAT]
    /// [default: text]
    #[arg(long, value_name = "FORMAT")]
    log_format: Option<String>,
}

/// Everything `serve` and `demo` take.
#[derive(Debug, Args)]
struct ServerArgs {
    #[command(flatten)]
    database: DatabaseArgs,
    /// The address people open, for links in emails [env: SENSATE_PUBLIC_URL]
    /// [default: this server's own address]
    #[arg(long, value_name = "URL")]
    public_url: Option<String>,
    /// Development only: write every outgoing email as a file in this folder
    /// [env: SENSATE_MAIL_DIR] [default: emails stay in the practice's outbox]
    #[arg(long, value_name = "DIR")]
    mail_dir: Option<PathBuf>,
    /// Address and port to serve on [env: SENSATE_LISTEN] [default: 127.0.0.1:8080]
    #[arg(long, value_name = "ADDR:PORT")]
    listen: Option<String>,
    /// Serve Prometheus metrics here; loopback addresses only [env: SENSATE_METRICS_LISTEN]
    #[arg(long, value_name = "ADDR:PORT")]
    metrics_listen: Option<String>,
    /// PEM certificate chain, to serve HTTPS [env: SENSATE_TLS_CERT]
    #[arg(long, value_name = "FILE")]
    tls_cert: Option<PathBuf>,
    /// PEM private key for --tls-cert [env: SENSATE_TLS_KEY]
    #[arg(long, value_name = "FILE")]
    tls_key: Option<PathBuf>,
    /// The address of a TLS-terminating proxy in front of Sensate; repeat for several
    /// [env: SENSATE_TRUSTED_PROXIES, comma-separated]
    #[arg(long = "trusted-proxy", value_name = "IP")]
    trusted_proxies: Vec<String>,
}

impl DatabaseArgs {
    fn into_flags(self) -> Flags {
        Flags {
            config: self.config,
            data_dir: self.data_dir,
            database_url: self.database_url,
            key_file: self.key_file,
            log_format: self.log_format,
            ..Flags::default()
        }
    }
}

impl ServerArgs {
    fn into_flags(self) -> Flags {
        Flags {
            listen: self.listen,
            public_url: self.public_url,
            mail_dir: self.mail_dir,
            metrics_listen: self.metrics_listen,
            tls_cert: self.tls_cert,
            tls_key: self.tls_key,
            trusted_proxies: self.trusted_proxies,
            ..self.database.into_flags()
        }
    }
}

/// Parses the command line, runs the command, and says how it ended.
pub fn run() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(error) => {
            let _ = error.print();
            return if error.use_stderr() {
                ExitCode::from(2)
            } else {
                ExitCode::SUCCESS
            };
        }
    };
    if let Command::Score(args) = cli.command {
        let input = match (args.values, args.csv) {
            (_, Some(input)) => score::Input::Csv {
                input,
                output: args.output,
            },
            (Some(values), None) => score::Input::Values(values),
            (None, None) => unreachable_usage(),
        };
        return score::run(&args.instrument, input);
    }
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("error: cannot start the async runtime: {error}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(execute(cli.command)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            if let Some(config) = error.downcast_ref::<ConfigError>() {
                eprintln!("error: {config}");
                ExitCode::from(2)
            } else if let Some(bind) = error.downcast_ref::<server::BindError>() {
                eprintln!("error: {bind}");
                ExitCode::FAILURE
            } else {
                eprintln!("error: {error:#}");
                ExitCode::FAILURE
            }
        }
    }
}

/// clap already refuses a `score` with neither values nor `--csv`
/// (`required_unless_present`); should that ever change, this is still a usage error.
fn unreachable_usage() -> ! {
    eprintln!("error: give the item values, or --csv FILE");
    std::process::exit(2)
}

fn env(key: &str) -> Option<String> {
    std::env::var(key).ok()
}

async fn execute(command: Command) -> anyhow::Result<()> {
    // rustls is built with `ring` only; naming it here makes the choice explicit for
    // every TLS user in the process (HTTPS serving and PostgreSQL connections).
    let _ = rustls::crypto::ring::default_provider().install_default();
    match command {
        Command::Serve(args) => {
            let settings = Settings::resolve(args.into_flags(), &env)?;
            start(&settings, Mode::Serve).await
        }
        Command::Demo(args) => {
            let settings = Settings::resolve(args.into_flags(), &env)?;
            start(&settings, Mode::Demo).await
        }
        Command::Score(_) => Ok(()),
        Command::Bench(BenchCommand::Directory(args)) => {
            bench_directory::run(&bench_directory::DirectoryBench {
                profiles: args.profiles,
                queries: args.queries,
                seed: args.seed,
                database_url: args.database_url,
                keep: args.keep,
                pending: args.pending,
                warm_up: args.warm_up,
                reuse: args.reuse,
                without_index: args.without_index,
            })
            .await
        }
        Command::RotateKey(args) => {
            let settings = Settings::resolve(args.into_flags(), &env)?;
            telemetry::init_logging(settings.log_format);
            keys::rotate(&settings).await
        }
        Command::Instruments(InstrumentsCommand::Import(args)) => {
            let settings = Settings::resolve(args.database.into_flags(), &env)?;
            telemetry::init_logging(settings.log_format);
            instruments::import(&settings, &args.file, args.instrument.as_deref()).await
        }
        Command::Instruments(InstrumentsCommand::List(args)) => {
            let settings = Settings::resolve(args.into_flags(), &env)?;
            telemetry::init_logging(settings.log_format);
            instruments::list(&settings).await
        }
        Command::Verifier(VerifierCommand::Add(args)) => {
            let settings = Settings::resolve(args.database.into_flags(), &env)?;
            telemetry::init_logging(settings.log_format);
            keys::add_verifier(&settings, &args.name, &args.email).await
        }
        Command::Audit(AuditCommand::Verify(args)) => {
            let settings = Settings::resolve(args.into_flags(), &env)?;
            telemetry::init_logging(settings.log_format);
            keys::verify_audit(&settings).await
        }
        Command::Backup(args) => {
            let settings = Settings::resolve(args.database.into_flags(), &env)?;
            telemetry::init_logging(settings.log_format);
            backup::backup(&settings, &args.output).await
        }
        Command::Restore(args) => {
            let settings = Settings::resolve(args.database.into_flags(), &env)?;
            telemetry::init_logging(settings.log_format);
            backup::restore(&settings, &args.input, args.replace).await
        }
        Command::Migrate(args) => {
            let settings = Settings::resolve(args.into_flags(), &env)?;
            telemetry::init_logging(settings.log_format);
            prepare_data_dir(&settings.data_dir)?;
            let store = database::open_and_migrate(&settings.database).await?;
            let status = store.schema_status().await?;
            println!(
                "{}: {} migration(s) applied, {} pending.",
                settings.database,
                status.migrations.len() - status.pending(),
                status.pending()
            );
            store.close().await;
            Ok(())
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    Serve,
    Demo,
}

async fn start(settings: &Settings, mode: Mode) -> anyhow::Result<()> {
    telemetry::init_logging(settings.log_format);
    prepare_data_dir(&settings.data_dir)?;
    // Bind first: a port in use should fail before anything touches the database.
    let listener = server::bind(settings.listen, "web application", "--listen")?;
    let store = match mode {
        Mode::Serve => database::open_and_migrate(&settings.database).await?,
        Mode::Demo => demo::prepare(&settings.database).await?,
    };
    let app = keys::open_app(settings, store.clone()).await?;
    if mode == Mode::Demo {
        demo::seed(&app).await?;
        crate::demo_history::seed_history(&app).await?;
        crate::demo_directory::seed_directory(&app).await?;
    }
    let https = settings.tls.is_some();
    let database = settings.database.clone();
    server::serve(settings, app, store, listener, |address| {
        let scheme = if https { "https" } else { "http" };
        tracing::info!(%address, %database, "Sensate is listening on {scheme}://{address}/");
        if mode == Mode::Demo {
            println!("{}", demo::welcome(address, &database, https));
        }
    })
    .await
}

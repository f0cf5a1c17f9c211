//! The browser and server harness.

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use sensate_app::{App, SystemClock, Vault};
use sensate_crypto::KeyFile;
use sensate_store::Store;
use sensate_store_sqlite::testing::TestDatabase;
use sensate_web::{AppState, WebSettings};
use thirtyfour::prelude::*;
use thirtyfour::{ChromiumLikeCapabilities, LoggingPrefsLogLevel};

/// The real application, served over TCP on a loopback port, with the demo seeded.
pub struct TestServer {
    pub base: String,
    pub app: App,
    _database: TestDatabase,
    _keys: tempfile::TempDir,
}

impl TestServer {
    /// The server over a fresh database with the demo practice seeded.
    pub async fn start() -> Self {
        Self::start_with(true).await
    }

    /// The server over a fresh database, empty (setup is offered) or with the demo.
    pub async fn start_with(demo: bool) -> Self {
        let database = TestDatabase::fresh().await.expect("SQLite");
        let store: Arc<dyn Store> = Arc::new(database.store());
        let keys = tempfile::tempdir().unwrap();
        let key_file = KeyFile::open_or_create(keys.path().join("sensate.key")).unwrap();
        let vault = Vault::with_key_file(store.as_ref(), key_file, sensate_domain::clock::now())
            .await
            .unwrap();
        let app = App::start(store, Arc::new(vault), Arc::new(SystemClock))
            .await
            .unwrap();
        if demo {
            sensate::demo::seed(&app).await.expect("seed the demo");
        }
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let settings = WebSettings {
            public_url: base.clone(),
            ..WebSettings::default()
        };
        let router = sensate_web::router(AppState::new(app.clone(), settings));
        tokio::spawn(async move {
            axum::serve(
                listener,
                router.into_make_service_with_connect_info::<std::net::SocketAddr>(),
            )
            .await
            .unwrap();
        });
        Self {
            base,
            app,
            _database: database,
            _keys: keys,
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }
}

/// Headless Chromium under chromedriver, closed when dropped.
pub struct Browser {
    driver: Option<WebDriver>,
    chromedriver: Child,
    _profile: tempfile::TempDir,
}

fn find(candidates: &[&str], env: &str) -> Option<PathBuf> {
    if let Ok(path) = std::env::var(env) {
        return Some(PathBuf::from(path));
    }
    candidates
        .iter()
        .map(Path::new)
        .find(|p| p.exists())
        .map(Path::to_path_buf)
}

impl Browser {
    /// Starts a browser, or returns `None` (with a notice) where none is installed.
    pub async fn start() -> Option<Self> {
        let chromium = find(
            &["/usr/bin/chromium", "/usr/bin/chromium-browser"],
            "SENSATE_CHROMIUM",
        );
        let chromedriver = find(&["/usr/bin/chromedriver"], "SENSATE_CHROMEDRIVER");
        let (Some(chromium), Some(chromedriver)) = (chromium, chromedriver) else {
            if std::env::var("SENSATE_REQUIRE_BROWSER").is_ok_and(|v| v == "1") {
                panic!("SENSATE_REQUIRE_BROWSER=1 but chromium or chromedriver is not installed");
            }
            eprintln!(
                "note: chromium and chromedriver are not installed; skipping this browser test"
            );
            return None;
        };
        let port = TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let mut child = Command::new(chromedriver)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start chromedriver");
        let status = format!("http://127.0.0.1:{port}/status");
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            if reqwest::get(&status)
                .await
                .is_ok_and(|r| r.status().is_success())
            {
                break;
            }
            if Instant::now() > deadline {
                let _ = child.kill();
                panic!("chromedriver did not start");
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }

        let profile = tempfile::tempdir().unwrap();
        let mut caps = DesiredCapabilities::chrome();
        caps.set_binary(chromium.to_str().unwrap()).unwrap();
        for arg in [
            "--headless=new",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-quic",
            "--window-size=1280,900",
        ] {
            caps.add_arg(arg).unwrap();
        }
        caps.add_arg(&format!("--user-data-dir={}", profile.path().display()))
            .unwrap();
        caps.set_browser_log_level(LoggingPrefsLogLevel::All)
            .unwrap();
        let driver = WebDriver::new(format!("http://127.0.0.1:{port}"), caps)
            .await
            .expect("start a Chromium session");
        Some(Self {
            driver: Some(driver),
            chromedriver: child,
            _profile: profile,
        })
    }

    /// The WebDriver session.
    pub fn driver(&self) -> &WebDriver {
        self.driver
            .as_ref()
            .expect("the session is open until quit")
    }

    /// Opens a page and waits for it to load.
    pub async fn open(&self, url: &str) {
        self.driver().goto(url).await.expect("page loads");
    }

    /// Console errors and failed loads since the last call.
    pub async fn console_errors(&self) -> Vec<String> {
        self.driver()
            .browser_log()
            .await
            .expect("browser log")
            .into_iter()
            .filter(|entry| entry.level == "SEVERE")
            .map(|entry| entry.message)
            .collect()
    }

    /// Evaluates a JavaScript expression in the page and returns its JSON value.
    pub async fn eval(&self, expression: &str) -> serde_json::Value {
        self.driver()
            .execute(format!("return {expression};"), Vec::new())
            .await
            .expect("script runs")
            .json()
            .clone()
    }

    /// Presses a key on whatever has focus.
    pub async fn press(&self, key: Key) {
        self.driver()
            .active_element()
            .await
            .expect("something has focus")
            .send_keys(key)
            .await
            .expect("key press");
    }

    /// Ends the session.
    pub async fn quit(mut self) {
        if let Some(driver) = self.driver.take() {
            let _ = driver.quit().await;
        }
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = self.chromedriver.kill();
        let _ = self.chromedriver.wait();
    }
}

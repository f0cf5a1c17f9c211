//! `TestApp`: the real router over a fresh database, driven without a socket.

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use axum::Router;
use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{HeaderMap, Request, StatusCode};
use sensate_app::{App, ManualClock, Vault};
use sensate_crypto::KeyFile;
use sensate_store::Store;
use sensate_web::{AppState, WebSettings};
use tower::ServiceExt;

/// Keeps the test database alive (and drops it afterwards).
enum Database {
    Sqlite(
        #[expect(dead_code, reason = "held for its Drop")]
        sensate_store_sqlite::testing::TestDatabase,
    ),
    Postgres(
        #[expect(dead_code, reason = "held for its Drop")]
        sensate_store_postgres::testing::TestDatabase,
    ),
}

/// The application under test.
pub struct TestApp {
    router: Router,
    pub store: Arc<dyn Store>,
    pub app: App,
    pub clock: Arc<ManualClock>,
    _keys: tempfile::TempDir,
    _database: Database,
}

/// A response, read whole.
pub struct TestResponse {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: String,
}

impl TestResponse {
    pub fn header(&self, name: &str) -> &str {
        self.headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_else(|| panic!("no {name} header"))
    }
}

impl TestApp {
    pub async fn sqlite() -> Self {
        Self::sqlite_with(WebSettings::default()).await
    }

    pub async fn sqlite_with(settings: WebSettings) -> Self {
        let database = sensate_store_sqlite::testing::TestDatabase::fresh()
            .await
            .expect("SQLite is always available");
        let store: Arc<dyn Store> = Arc::new(database.store());
        Self::over(store, Database::Sqlite(database), settings).await
    }

    pub async fn postgres() -> Option<Self> {
        let database = sensate_store_postgres::testing::TestDatabase::fresh().await?;
        let store: Arc<dyn Store> = Arc::new(database.store());
        Some(Self::over(store, Database::Postgres(database), WebSettings::default()).await)
    }

    async fn over(store: Arc<dyn Store>, database: Database, settings: WebSettings) -> Self {
        let keys = tempfile::tempdir().unwrap();
        let key_file = KeyFile::open_or_create(keys.path().join("sensate.key")).unwrap();
        let clock = Arc::new(ManualClock::starting_now());
        let vault = Vault::with_key_file(store.as_ref(), key_file, clock_now(&clock))
            .await
            .unwrap();
        let app = App::start(store.clone(), Arc::new(vault), clock.clone())
            .await
            .unwrap();
        let router = sensate_web::router(AppState::new(app.clone(), settings));
        Self {
            router,
            store,
            app,
            clock,
            _keys: keys,
            _database: database,
        }
    }

    pub async fn get(&self, path: &str) -> TestResponse {
        let request = Request::get(path).body(Body::empty()).unwrap();
        self.send(request).await
    }

    /// Sends a request as if from 192.0.2.10 (a documentation address).
    pub async fn send(&self, mut request: Request<Body>) -> TestResponse {
        request
            .extensions_mut()
            .insert(ConnectInfo(SocketAddr::from(([192, 0, 2, 10], 40000))));
        let response = self.router.clone().oneshot(request).await.unwrap();
        let status = response.status();
        let headers = response.headers().clone();
        let bytes = axum::body::to_bytes(response.into_body(), usize::MAX)
            .await
            .unwrap();
        TestResponse {
            status,
            headers,
            // Downloads may be binary (a licence document); text is compared as text.
            body: String::from_utf8_lossy(&bytes).into_owned(),
        }
    }
}

fn clock_now(clock: &ManualClock) -> time::OffsetDateTime {
    use sensate_app::Clock;
    clock.now()
}

/// A browser: keeps the session cookie between requests and sends forms.
pub struct Browser<'a> {
    app: &'a TestApp,
    cookie: Mutex<Option<String>>,
    /// The last page's anti-forgery token, when it had one.
    csrf: Mutex<Option<String>>,
}

impl TestApp {
    /// A browser with no cookies.
    pub fn browser(&self) -> Browser<'_> {
        Browser {
            app: self,
            cookie: Mutex::new(None),
            csrf: Mutex::new(None),
        }
    }
}

impl Browser<'_> {
    /// The session cookie's current value.
    pub fn cookie(&self) -> Option<String> {
        self.cookie.lock().unwrap().clone()
    }

    /// Replaces the session cookie (to replay an old one, say).
    pub fn set_cookie(&self, value: Option<String>) {
        *self.cookie.lock().unwrap() = value;
    }

    /// The anti-forgery token of the last page that had one.
    pub fn csrf(&self) -> String {
        self.csrf.lock().unwrap().clone().unwrap_or_default()
    }

    pub async fn get(&self, path: &str) -> TestResponse {
        let mut request = Request::get(path);
        if let Some(cookie) = self.cookie() {
            request = request.header("cookie", format!("__Host-sensate={cookie}"));
        }
        self.remember(self.app.send(request.body(Body::empty()).unwrap()).await)
    }

    /// Posts a form from this site's own pages, adding the page's token.
    pub async fn post(&self, path: &str, fields: &[(&str, &str)]) -> TestResponse {
        let mut fields: Vec<(&str, String)> =
            fields.iter().map(|(k, v)| (*k, (*v).to_owned())).collect();
        if !fields.iter().any(|(k, _)| *k == "csrf") {
            fields.push(("csrf", self.csrf()));
        }
        let body: String = fields
            .iter()
            .map(|(k, v)| format!("{}={}", encode(k), encode(v)))
            .collect::<Vec<_>>()
            .join("&");
        let mut request = Request::post(path)
            .header("content-type", "application/x-www-form-urlencoded")
            .header("host", "sensate.test")
            .header("origin", "https://sensate.test")
            .header("sec-fetch-site", "same-origin");
        if let Some(cookie) = self.cookie() {
            request = request.header("cookie", format!("__Host-sensate={cookie}"));
        }
        self.remember(self.app.send(request.body(Body::from(body)).unwrap()).await)
    }

    /// Calls the JSON API as a script would after signing in: the session cookie, a
    /// JSON body (when given) and the session's anti-forgery token as a header.
    pub async fn api(&self, method: &str, path: &str, json: Option<&str>) -> TestResponse {
        let mut request = Request::builder()
            .method(method)
            .uri(path)
            .header("host", "sensate.test")
            .header("x-csrf-token", self.csrf());
        if json.is_some() {
            request = request.header("content-type", "application/json");
        }
        if let Some(cookie) = self.cookie() {
            request = request.header("cookie", format!("__Host-sensate={cookie}"));
        }
        let body = json.map_or_else(Body::empty, |json| Body::from(json.to_owned()));
        self.remember(self.app.send(request.body(body).unwrap()).await)
    }

    fn remember(&self, response: TestResponse) -> TestResponse {
        for value in response.headers.get_all("set-cookie") {
            let value = value.to_str().unwrap();
            if let Some(rest) = value.strip_prefix("__Host-sensate=") {
                let token = rest.split(';').next().unwrap_or_default();
                *self.cookie.lock().unwrap() = (!token.is_empty()).then(|| token.to_owned());
            }
        }
        if let Some(token) = hidden_csrf(&response.body).or_else(|| api_csrf(&response.body)) {
            *self.csrf.lock().unwrap() = Some(token);
        }
        response
    }
}

/// The token `GET /api/session` hands out.
fn api_csrf(body: &str) -> Option<String> {
    let value: serde_json::Value = serde_json::from_str(body).ok()?;
    value.get("csrf_token")?.as_str().map(str::to_owned)
}

fn hidden_csrf(body: &str) -> Option<String> {
    let start = body.find(r#"name="csrf" value=""#)? + r#"name="csrf" value=""#.len();
    let end = body[start..].find('"')?;
    Some(body[start..start + end].to_owned())
}

/// Percent-encodes a form value.
pub fn encode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                char::from(b).to_string()
            }
            b' ' => "+".to_owned(),
            other => format!("%{other:02X}"),
        })
        .collect()
}

/// Runs each test body once on SQLite and once on PostgreSQL (skipped with a notice
/// when no PostgreSQL test server is configured).
macro_rules! on_both_databases {
    ($(async fn $name:ident($app:ident: TestApp) $body:block)*) => {
        $(
            mod $name {
                #[allow(unused_imports)]
                use super::*;

                #[tokio::test]
                async fn on_sqlite() {
                    let $app = $crate::support::TestApp::sqlite().await;
                    $body
                }

                #[tokio::test]
                async fn on_postgres() {
                    let Some($app) = $crate::support::TestApp::postgres().await else { return };
                    $body
                }
            }
        )*
    };
}
pub(crate) use on_both_databases;

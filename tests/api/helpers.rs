//! `spawn_app()` and a small GraphQL client: every test starts the real server on
//! `127.0.0.1:0` with a database of its own and speaks HTTP to it.
//!
//! SQLite always runs (a file in a fresh temporary directory). PostgreSQL and MySQL/MariaDB
//! run when `SWCAT_TEST_POSTGRES_URL` / `SWCAT_TEST_MYSQL_URL` name a server (any database
//! on it): each test then creates a database of its own there, and drops it when it passes.

use std::net::SocketAddr;
use std::time::Duration;

use sea_orm::{ConnectionTrait, Database, DatabaseConnection, Statement};
use serde_json::{Value, json};
use swcat::settings::{FeedSettings, Limits, Settings};
use swcat::startup::Application;
use uuid::Uuid;

/// A database kind the suite runs against.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
    MySql,
}

impl Backend {
    fn env_var(self) -> Option<&'static str> {
        match self {
            Backend::Sqlite => None,
            Backend::Postgres => Some("SWCAT_TEST_POSTGRES_URL"),
            Backend::MySql => Some("SWCAT_TEST_MYSQL_URL"),
        }
    }

    /// The server URL to test this backend against, or `None` (announced) when not set.
    pub fn server_url(self) -> Option<String> {
        let var = self.env_var()?;
        match std::env::var(var) {
            Ok(url) if !url.is_empty() => Some(url),
            _ => {
                announce_skip(self, var);
                None
            }
        }
    }
}

/// Says once per backend, on the real stderr (the test harness captures `eprintln!`), that
/// its tests pass without running.
fn announce_skip(backend: Backend, var: &str) {
    use std::io::Write;
    static ANNOUNCED: std::sync::Mutex<Vec<Backend>> = std::sync::Mutex::new(Vec::new());
    let mut announced = ANNOUNCED
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    if !announced.contains(&backend) {
        announced.push(backend);
        let _ = writeln!(
            std::io::stderr(),
            "SKIPPED: the {backend:?} tests did not run; set {var} to run them"
        );
    }
}

/// A fresh, empty database for one test.
pub struct TestDatabase {
    /// The URL the server under test connects to.
    pub url: String,
    /// Where the database lives, so it can be dropped after the test.
    cleanup: Cleanup,
}

enum Cleanup {
    /// The temporary directory is removed when dropped.
    TempDir(#[allow(dead_code)] tempfile::TempDir),
    Drop {
        admin_url: String,
        name: String,
        backend: Backend,
    },
}

impl TestDatabase {
    /// Creates an empty database, or `None` when `backend` is not configured.
    pub async fn create(backend: Backend) -> Option<Self> {
        if backend == Backend::Sqlite {
            let dir = tempfile::tempdir().expect("a temporary directory");
            let url = format!("sqlite://{}", dir.path().join("swcat.db").display());
            return Some(Self {
                url,
                cleanup: Cleanup::TempDir(dir),
            });
        }
        let admin_url = backend.server_url()?;
        let name = format!("swcat_test_{}", Uuid::new_v4().simple());
        let admin = Database::connect(&admin_url)
            .await
            .unwrap_or_else(|err| panic!("cannot reach the {backend:?} test server: {err}"));
        admin
            .execute_unprepared(&format!("CREATE DATABASE {name}"))
            .await
            .expect("create the test database");
        admin.close().await.ok();
        let url = with_database(&admin_url, &name);
        Some(Self {
            url,
            cleanup: Cleanup::Drop {
                admin_url,
                name,
                backend,
            },
        })
    }

    /// Drops the database (kept when the test fails, to look at).
    pub async fn drop_database(self) {
        if let Cleanup::Drop {
            admin_url,
            name,
            backend,
        } = self.cleanup
        {
            let Ok(admin) = Database::connect(&admin_url).await else {
                return;
            };
            let sql = match backend {
                Backend::Postgres => format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"),
                _ => format!("DROP DATABASE IF EXISTS {name}"),
            };
            admin.execute_unprepared(&sql).await.ok();
            admin.close().await.ok();
        }
    }
}

/// `url` with its database (the path) replaced by `name`, query string kept.
pub fn with_database(url: &str, name: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((base, query)) => (base, Some(query)),
        None => (url, None),
    };
    let scheme_end = base.find("://").map_or(0, |i| i + 3);
    let host_end = base[scheme_end..]
        .find('/')
        .map_or(base.len(), |i| scheme_end + i);
    let mut out = format!("{}/{name}", &base[..host_end]);
    if let Some(query) = query {
        out.push('?');
        out.push_str(query);
    }
    out
}

/// How to start a server under test: its settings, and the database it serves.
/// [`AppBuilder::spawn`] is the one place where tests start a server.
pub struct AppBuilder {
    settings: Settings,
    /// The database the app drops on teardown, if it owns one.
    database: Option<TestDatabase>,
    /// A pool that is already connected and migrated, served instead of connecting.
    pool: Option<DatabaseConnection>,
}

impl AppBuilder {
    /// A server on the database at `url`, which the test owns (or which needs no cleanup).
    pub fn new(url: impl Into<String>) -> Self {
        let mut settings = Settings::new(url);
        settings.listen = "127.0.0.1:0".to_owned();
        Self {
            settings,
            database: None,
            pool: None,
        }
    }

    /// A server on `database`, which the app drops when the test passes.
    pub fn owning(database: TestDatabase) -> Self {
        let mut builder = Self::new(database.url.clone());
        builder.database = Some(database);
        builder
    }

    /// Mutations need `Authorization: Bearer <one of tokens>`.
    pub fn api_tokens(mut self, tokens: &[&str]) -> Self {
        self.settings.api_tokens = tokens.iter().map(|token| token.to_string()).collect();
        self
    }

    /// Runs only the documents of this `persisted-documents.json`.
    pub fn trusted_documents(mut self, path: &std::path::Path) -> Self {
        self.settings.trusted_documents = Some(path.to_owned());
        self
    }

    /// Queries and subscriptions need a token too.
    pub fn private_reads(mut self) -> Self {
        self.settings.private_reads = true;
        self
    }

    pub fn request_timeout(mut self, timeout: Duration) -> Self {
        self.settings.request_timeout = timeout;
        self
    }

    pub fn pool(mut self, max_connections: u32, acquire_timeout: Duration) -> Self {
        self.settings.database.max_connections = max_connections;
        self.settings.database.acquire_timeout = acquire_timeout;
        self
    }

    /// Changes the request limits (each test states only the ones it is about).
    pub fn limits(mut self, change: impl FnOnce(&mut Limits)) -> Self {
        change(&mut self.settings.limits);
        self
    }

    /// Changes the change feed's and WebSocket endpoint's settings.
    pub fn feed(mut self, change: impl FnOnce(&mut FeedSettings)) -> Self {
        change(&mut self.settings.feed);
        self
    }

    /// Browsers may call from these origins only.
    pub fn cors_origins(mut self, origins: &[&str]) -> Self {
        self.settings.cors_origins = origins.iter().map(|origin| origin.to_string()).collect();
        self
    }

    /// Connects through `url` (a proxy, say) instead of the database's own URL.
    pub fn connect_to(mut self, url: impl Into<String>) -> Self {
        self.settings.database.url = url.into();
        self
    }

    /// Serves `pool` (connected and migrated) instead of connecting.
    pub fn with_pool(mut self, pool: DatabaseConnection) -> Self {
        self.pool = Some(pool);
        self
    }

    /// Starts the server on `127.0.0.1:0`, in the background, for the rest of the test.
    pub async fn spawn(self) -> TestApp {
        let app = match self.pool {
            Some(pool) => Application::with_database(pool, &self.settings).await,
            None => Application::build(&self.settings).await,
        }
        .expect("the server starts");
        let addr = app.local_addr().expect("a local address");
        let db = app.db().clone();
        tokio::spawn(app.run_until(std::future::pending()));
        let url = match &self.database {
            Some(database) => database.url.clone(),
            None => self.settings.database.url.clone(),
        };
        TestApp {
            addr,
            db,
            http: reqwest::Client::new(),
            url,
            database: self.database,
        }
    }
}

/// The server under test, its database and an HTTP client.
pub struct TestApp {
    pub addr: SocketAddr,
    /// The server's own connection pool, for plain SQL checks.
    pub db: DatabaseConnection,
    pub http: reqwest::Client,
    /// The URL of the database the server serves (not of a proxy in between).
    pub url: String,
    /// Dropped on teardown, when the app owns it.
    database: Option<TestDatabase>,
}

/// A server with default settings on a new database of `backend`, or `None` when that
/// backend is not configured.
pub async fn spawn_app(backend: Backend) -> Option<TestApp> {
    let database = TestDatabase::create(backend).await?;
    Some(AppBuilder::owning(database).spawn().await)
}

impl TestApp {
    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    /// POSTs a GraphQL request and answers the decoded response.
    pub async fn graphql(&self, query: &str, variables: Value) -> GqlResponse {
        graphql_at(&self.http, self.addr, query, variables).await
    }

    /// The text of `/metrics`.
    pub async fn metrics(&self) -> String {
        let response = self.http.get(self.url("/metrics")).send().await.unwrap();
        response.text().await.unwrap()
    }

    /// `catalogChangeCursor`: where the change feed stands now.
    pub async fn change_cursor(&self) -> String {
        let response = self.graphql("{ catalogChangeCursor }", json!({})).await;
        response.data()["catalogChangeCursor"]
            .as_str()
            .expect("a cursor")
            .to_owned()
    }

    /// Runs `sql` through the server's own pool. Quote identifiers with `"`: `release` is
    /// a reserved word in MySQL, where the quotes become backticks.
    pub async fn execute(&self, sql: &str) {
        self.db
            .execute_unprepared(&portable(&self.db, sql))
            .await
            .expect("plain SQL runs");
    }

    /// Counts the rows of `table` with plain SQL, bypassing the API.
    pub async fn count_rows(&self, table: &str) -> i64 {
        count_rows(&self.db, table).await
    }

    /// Creates a software through the API and answers its id.
    pub async fn create_software(&self, name: &str, releases: &[(&str, &str)]) -> String {
        let releases: Vec<Value> = releases
            .iter()
            .map(|(version, date)| json!({"version": version, "releaseDate": date}))
            .collect();
        let response = self
            .graphql(
                "mutation($input: CreateSoftwareInput!) { createSoftware(input: $input) { id } }",
                json!({"input": {
                    "displayName": name,
                    "maintainerEmail": "maintainer@example.org",
                    "releases": releases,
                }}),
            )
            .await;
        response.data()["createSoftware"]["id"]
            .as_str()
            .expect("an id")
            .to_owned()
    }

    /// Creates a release through the API and answers its id.
    pub async fn create_release(&self, software_id: &str, version: &str, date: &str) -> String {
        let response = self
            .graphql(
                "mutation($input: CreateReleaseInput!) { createRelease(input: $input) { id } }",
                json!({"input": {"softwareId": software_id, "version": version, "releaseDate": date}}),
            )
            .await;
        response.data()["createRelease"]["id"]
            .as_str()
            .expect("an id")
            .to_owned()
    }

    /// POSTs `query` with `Authorization: <authorization>` and answers the decoded body.
    pub async fn graphql_as(
        &self,
        authorization: &str,
        query: &str,
        variables: Value,
    ) -> GqlResponse {
        let request = self
            .http
            .post(self.url("/graphql"))
            .header("authorization", authorization)
            .json(&json!({"query": query, "variables": variables}));
        send(request).await
    }

    /// Drops the test's database (on PostgreSQL and MySQL), if the app owns it; called when
    /// a test passed.
    pub async fn teardown(self) {
        self.db.close().await.ok();
        if let Some(database) = self.database {
            database.drop_database().await;
        }
    }
}

/// `sql` with `"`-quoted identifiers turned into backticks on MySQL.
pub fn portable(db: &DatabaseConnection, sql: &str) -> String {
    match db.get_database_backend() {
        sea_orm::DatabaseBackend::MySql => sql.replace('"', "`"),
        _ => sql.to_owned(),
    }
}

pub async fn count_rows(db: &DatabaseConnection, table: &str) -> i64 {
    let backend = db.get_database_backend();
    let row = db
        .query_one_raw(Statement::from_string(
            backend,
            portable(db, &format!("SELECT COUNT(*) AS n FROM \"{table}\"")),
        ))
        .await
        .expect("count query")
        .expect("a row");
    row.try_get::<i64>("", "n").expect("a count")
}

pub async fn graphql_at(
    http: &reqwest::Client,
    addr: SocketAddr,
    query: &str,
    variables: Value,
) -> GqlResponse {
    let request = http
        .post(format!("http://{addr}/graphql"))
        .json(&json!({"query": query, "variables": variables}));
    send(request).await
}

/// Sends a GraphQL request and decodes the answer.
async fn send(request: reqwest::RequestBuilder) -> GqlResponse {
    let response = request.send().await.expect("the server answers");
    let status = response.status().as_u16();
    let body = response.json().await.expect("a JSON body");
    GqlResponse { status, body }
}

/// A decoded GraphQL response.
#[derive(Debug)]
pub struct GqlResponse {
    pub status: u16,
    pub body: Value,
}

impl GqlResponse {
    /// The `data` of a response that must have no errors.
    pub fn data(&self) -> &Value {
        assert_eq!(self.status, 200, "HTTP status of {:#}", self.body);
        assert!(
            self.body.get("errors").is_none(),
            "unexpected errors: {:#}",
            self.body
        );
        &self.body["data"]
    }

    /// The `extensions.code` of the first error; fails when there is none.
    pub fn error_code(&self) -> &str {
        assert_eq!(self.status, 200, "HTTP status of {:#}", self.body);
        self.body["errors"][0]["extensions"]["code"]
            .as_str()
            .unwrap_or_else(|| panic!("expected an error with a code: {:#}", self.body))
    }

    /// Asserts the response failed with `code`, and that no error leaks internals.
    pub fn assert_error(&self, code: &str) {
        assert_eq!(self.error_code(), code, "{:#}", self.body);
        self.assert_no_internals();
    }

    /// No error message mentions SQL, tables or drivers.
    pub fn assert_no_internals(&self) {
        let text = self.body.to_string().to_lowercase();
        for leak in [
            "sqlx",
            "sqlite",
            "postgres",
            "mysql",
            "select ",
            "insert ",
            "constraint",
            "panicked",
        ] {
            assert!(!text.contains(leak), "response leaks {leak:?}: {text}");
        }
    }
}

/// Declares each listed `async fn name(app: &TestApp)` as one test per backend:
/// `sqlite::name`, `postgres::name`, `mysql::name`.
#[macro_export]
macro_rules! backend_tests {
    ($($name:ident),* $(,)?) => {
        $crate::backend_tests!(@backend sqlite, Sqlite, $($name),*);
        $crate::backend_tests!(@backend postgres, Postgres, $($name),*);
        $crate::backend_tests!(@backend mysql, MySql, $($name),*);
    };
    (@backend $module:ident, $backend:ident, $($name:ident),*) => {
        mod $module {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    let backend = $crate::helpers::Backend::$backend;
                    if let Some(app) = $crate::helpers::spawn_app(backend).await {
                        super::$name(&app).await;
                        app.teardown().await;
                    }
                }
            )*
        }
    };
}

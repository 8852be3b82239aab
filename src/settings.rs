//! What a running server is configured with. [`crate::cli`] builds these from the command
//! line and the environment; tests build them directly.

use std::time::Duration;

/// Everything `swcat serve` runs from.
#[derive(Debug, Clone)]
pub struct Settings {
    /// Address and port to listen on; port 0 picks a free one (tests use it).
    pub listen: String,
    /// How long one GraphQL request may run before it is abandoned and rolled back, so a
    /// frozen database cannot hold a request (and its connection) forever.
    pub request_timeout: Duration,
    /// Bearer tokens that may run mutations. Empty: mutations are open, for local use.
    pub api_tokens: Vec<String>,
    /// Queries and subscriptions need one of `api_tokens` too (mutations always do).
    pub private_reads: bool,
    /// Which database to serve, and how to pool connections to it.
    pub database: DatabaseSettings,
    /// What one request may ask of the server; see [`Limits`].
    pub limits: Limits,
    /// Origins that browsers may call the API from. Empty: any origin (the API uses no
    /// cookies, so a foreign page can only send what its own user could send anyway).
    pub cors_origins: Vec<String>,
    /// The live change feed and its WebSocket endpoint; see [`FeedSettings`].
    pub feed: FeedSettings,
    /// The only documents to run (graphql-codegen's `persisted-documents.json`); `None`
    /// runs any document, and registers persisted queries (APQ) in the database.
    pub trusted_documents: Option<std::path::PathBuf>,
    /// How long HTTP caches may keep the answer to a `GET` of a persisted query.
    pub persisted_get_max_age: Duration,
}

impl Settings {
    /// Defaults: 127.0.0.1:8000, a 30 s request timeout, no API tokens.
    pub const DEFAULT_LISTEN: &'static str = "127.0.0.1:8000";
    pub const DEFAULT_REQUEST_TIMEOUT: Duration = Duration::from_secs(30);
    pub const DEFAULT_PERSISTED_GET_MAX_AGE: Duration = Duration::from_secs(10);

    /// The defaults, serving the database at `database_url`.
    pub fn new(database_url: impl Into<String>) -> Self {
        Self {
            listen: Self::DEFAULT_LISTEN.to_owned(),
            request_timeout: Self::DEFAULT_REQUEST_TIMEOUT,
            api_tokens: Vec::new(),
            private_reads: false,
            database: DatabaseSettings::new(database_url),
            limits: Limits::default(),
            cors_origins: Vec::new(),
            feed: FeedSettings::default(),
            trusted_documents: None,
            persisted_get_max_age: Self::DEFAULT_PERSISTED_GET_MAX_AGE,
        }
    }
}

/// What one request may ask of the server. Every limit is checked before any resolver or
/// SQL runs, so a refused request costs the server next to nothing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Limits {
    /// Largest request body, in bytes (413 beyond it).
    pub max_body_bytes: usize,
    /// Largest GraphQL document (the `query` text), in bytes.
    pub max_document_bytes: usize,
    /// Most requests in one batch (a JSON array); 0 turns batching off.
    pub max_batch: usize,
    /// Most aliased fields in one document.
    pub max_aliases: usize,
    /// Deepest nesting of fields.
    pub max_depth: usize,
    /// Highest cost: every field counts 1, times how many items each list around it can
    /// return (`first`, or the list's default bound when `first` is not given).
    pub max_cost: usize,
    /// Most expensive operations (costing over a tenth of `max_cost`) executing at once;
    /// the others wait briefly for a turn, then are answered `SERVICE_UNAVAILABLE`.
    pub max_expensive_requests: usize,
    /// Whether `__schema` and `__type` are answered (GraphiQL and code generators need them).
    pub introspection: bool,
    /// Most GraphQL requests executing at once on this instance.
    pub max_concurrent_requests: usize,
    /// Most GraphQL requests waiting for a turn; beyond that, 503 with `Retry-After`.
    pub max_queued_requests: usize,
}

impl Limits {
    /// Operations that cost more than this take turns (see `max_expensive_requests`).
    pub fn expensive_cost(&self) -> usize {
        self.max_cost / 10
    }
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            max_body_bytes: 1024 * 1024,
            max_document_bytes: 32 * 1024,
            max_batch: 10,
            max_aliases: 30,
            max_depth: 16,
            max_cost: 500_000,
            max_expensive_requests: 1,
            introspection: true,
            max_concurrent_requests: 32,
            max_queued_requests: 128,
        }
    }
}

/// The change feed (`catalogChanges`) and the WebSocket endpoint that serves it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeedSettings {
    /// On MySQL/MariaDB and SQLite, how often the instance reads the change log for new
    /// changes while anyone is subscribed (PostgreSQL is woken by `NOTIFY` instead). This is
    /// the feed's added latency on those databases.
    pub poll_interval: Duration,
    /// How long changes stay in the log; a client that resumes from an older cursor gets
    /// `CURSOR_EXPIRED` and reloads.
    pub retention: Duration,
    /// Most WebSocket connections open on this instance; beyond, the upgrade is answered 503.
    pub max_connections: usize,
    /// Most operations (subscriptions, or queries in flight) one connection runs at once.
    pub max_operations_per_connection: usize,
    /// How long a new connection may take to send `connection_init` (then closed with 4408).
    pub init_timeout: Duration,
    /// How often the server pings an idle connection, so proxies keep it open and a dead
    /// peer is noticed.
    pub keepalive: Duration,
    /// How long one message may wait for the client to take it; a client that reads
    /// nothing for that long is disconnected, so nothing is buffered for it without bound.
    pub send_timeout: Duration,
}

impl Default for FeedSettings {
    fn default() -> Self {
        Self {
            poll_interval: Duration::from_millis(100),
            retention: Duration::from_secs(7 * 24 * 60 * 60),
            max_connections: 10_000,
            max_operations_per_connection: 100,
            init_timeout: Duration::from_secs(3),
            keepalive: Duration::from_secs(15),
            send_timeout: Duration::from_secs(10),
        }
    }
}

/// How to reach the database.
#[derive(Debug, Clone)]
pub struct DatabaseSettings {
    /// `sqlite://FILE`, `postgres://…` or `mysql://…` (`mariadb://` is accepted too). May hold
    /// a password: log it only through [`crate::database::redact`].
    pub url: String,
    /// Most connections this instance opens, so that several instances together stay under
    /// the database server's own connection limit.
    pub max_connections: u32,
    /// How long a request waits for a pooled connection (and a new connection for the
    /// database) before failing, so an outage fails requests fast instead of piling them up.
    pub acquire_timeout: Duration,
}

impl DatabaseSettings {
    pub const DEFAULT_URL: &'static str = "sqlite://swcat.db";
    pub const DEFAULT_MAX_CONNECTIONS: u32 = 10;
    pub const DEFAULT_ACQUIRE_TIMEOUT: Duration = Duration::from_secs(5);

    /// The defaults, for the database at `url`.
    pub fn new(url: impl Into<String>) -> Self {
        Self {
            url: url.into(),
            max_connections: Self::DEFAULT_MAX_CONNECTIONS,
            acquire_timeout: Self::DEFAULT_ACQUIRE_TIMEOUT,
        }
    }
}

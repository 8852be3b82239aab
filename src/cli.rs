//! The command line (clap): commands, options and their environment variables. It only
//! parses; the server runs from the [`Settings`] it produces.

use std::time::Duration;

use clap::builder::TypedValueParser;
use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::settings::{DatabaseSettings, FeedSettings, Limits, Settings};

/// A software catalog served as a GraphQL API.
///
/// Without a command, `swcat` serves (as `swcat serve`). Every option can also be set
/// through the environment variable named in its help.
#[derive(Debug, Parser)]
#[command(name = "swcat", version, args_conflicts_with_subcommands = true)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
    #[command(flatten)]
    pub serve: ServeArgs,
    /// How log lines are written to stderr: `text` for people (coloured only on a
    /// terminal), `json` (one object a line) for log collectors.
    #[arg(long, global = true, env = "SWCAT_LOG_FORMAT", default_value = "text")]
    pub log_format: LogFormat,
}

/// How log lines are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LogFormat {
    Text,
    Json,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Serve the GraphQL API (the default). Migrates the database first.
    Serve(Box<ServeArgs>),
    /// Apply pending database migrations, then exit. Safe to run at any time, and
    /// concurrently with other instances: migrations run once, under a database lock.
    Migrate(DatabaseArgs),
    /// Print the GraphQL schema (SDL) to standard output, for client code generation.
    Schema,
}

#[derive(Debug, Clone, Args)]
pub struct ServeArgs {
    /// Address and port to listen on (port 0 picks a free one).
    #[arg(long, env = "SWCAT_LISTEN", default_value = Settings::DEFAULT_LISTEN)]
    pub listen: String,
    /// Seconds a GraphQL request may run before it is abandoned (its transaction rolled
    /// back) and answered with INTERNAL_SERVER_ERROR; bounds requests on a frozen database.
    #[arg(long, env = "SWCAT_REQUEST_TIMEOUT", default_value = "30", value_parser = parse_seconds)]
    pub request_timeout: Duration,
    /// API tokens (comma-separated in the environment variable). When any is set, every
    /// mutation needs `Authorization: Bearer <one of them>`; queries stay open.
    #[arg(
        long = "api-token",
        env = "SWCAT_API_TOKENS",
        value_delimiter = ',',
        hide_env_values = true
    )]
    pub api_tokens: Vec<String>,
    /// Queries and subscriptions need a token too (`Authorization: Bearer`, or
    /// `authorization` in the WebSocket's `connection_init`). Needs --api-token.
    #[arg(long, env = "SWCAT_PRIVATE_READS", requires = "api_tokens")]
    pub private_reads: bool,
    /// Origins that browsers may call the API from, e.g. `https://app.example.org`
    /// (repeat the option, or comma-separate in the environment variable). Without any,
    /// every origin may: the API uses no cookies, so that is safe.
    #[arg(
        long = "cors-origin",
        env = "SWCAT_CORS_ORIGINS",
        value_delimiter = ','
    )]
    pub cors_origins: Vec<String>,
    #[command(flatten)]
    pub database: DatabaseArgs,
    #[command(flatten)]
    pub limits: LimitArgs,
    #[command(flatten)]
    pub feed: FeedArgs,
    /// Run only these documents: the JSON object of SHA-256 hashes to documents that
    /// graphql-codegen's client preset writes (persisted-documents.json, sha256). Clients
    /// send `documentId: "sha256:<hash>"` (or the hash as an APQ); anything else is refused.
    #[arg(long, env = "SWCAT_TRUSTED_DOCUMENTS")]
    pub trusted_documents: Option<std::path::PathBuf>,
    /// Seconds HTTP caches may keep the answer to a GET of a persisted query (sent by hash).
    #[arg(long, env = "SWCAT_PERSISTED_GET_MAX_AGE", default_value = "10", value_parser = parse_seconds)]
    pub persisted_get_max_age: Duration,
}

impl From<ServeArgs> for Settings {
    fn from(args: ServeArgs) -> Self {
        Self {
            listen: args.listen,
            request_timeout: args.request_timeout,
            api_tokens: args.api_tokens,
            private_reads: args.private_reads,
            database: args.database.into(),
            limits: args.limits.into(),
            cors_origins: args.cors_origins,
            feed: args.feed.into(),
            trusted_documents: args.trusted_documents,
            persisted_get_max_age: args.persisted_get_max_age,
        }
    }
}

/// What one request may ask of the server. Each is checked before anything runs.
#[derive(Debug, Clone, Args)]
pub struct LimitArgs {
    /// Largest request body in bytes; larger bodies are answered 413.
    #[arg(long, env = "SWCAT_MAX_BODY_BYTES", default_value_t = Limits::default().max_body_bytes,
          value_parser = clap::value_parser!(u32).range(1..).map(|n| n as usize))]
    pub max_body_bytes: usize,
    /// Largest GraphQL document (the query text) in bytes.
    #[arg(long, env = "SWCAT_MAX_DOCUMENT_BYTES",
          default_value_t = Limits::default().max_document_bytes,
          value_parser = clap::value_parser!(u32).range(1..).map(|n| n as usize))]
    pub max_document_bytes: usize,
    /// Most requests in one batch (a JSON array of requests); 0 turns batching off.
    #[arg(long, env = "SWCAT_MAX_BATCH", default_value_t = Limits::default().max_batch)]
    pub max_batch: usize,
    /// Most aliased fields in one document.
    #[arg(long, env = "SWCAT_MAX_ALIASES", default_value_t = Limits::default().max_aliases)]
    pub max_aliases: usize,
    /// Deepest nesting of fields in one operation.
    #[arg(long, env = "SWCAT_MAX_DEPTH", default_value_t = Limits::default().max_depth,
          value_parser = clap::value_parser!(u32).range(1..).map(|n| n as usize))]
    pub max_depth: usize,
    /// Highest cost of one operation: each field counts 1, times the number of items each
    /// list around it can return.
    #[arg(long, env = "SWCAT_MAX_COST", default_value_t = Limits::default().max_cost,
          value_parser = clap::value_parser!(u32).range(1..).map(|n| n as usize))]
    pub max_cost: usize,
    /// Most expensive operations (costing over a tenth of --max-cost) executing at once;
    /// others wait up to 2 s for a turn, then are answered SERVICE_UNAVAILABLE.
    #[arg(long, env = "SWCAT_MAX_EXPENSIVE_REQUESTS",
          default_value_t = Limits::default().max_expensive_requests,
          value_parser = clap::value_parser!(u32).range(1..).map(|n| n as usize))]
    pub max_expensive_requests: usize,
    /// Whether introspection (`__schema`, `__type`) is answered.
    #[arg(long, env = "SWCAT_INTROSPECTION", default_value_t = Limits::default().introspection,
          action = clap::ArgAction::Set)]
    pub introspection: bool,
    /// Most GraphQL requests executing at once.
    #[arg(long, env = "SWCAT_MAX_CONCURRENT_REQUESTS",
          default_value_t = Limits::default().max_concurrent_requests,
          value_parser = clap::value_parser!(u32).range(1..).map(|n| n as usize))]
    pub max_concurrent_requests: usize,
    /// Most GraphQL requests waiting for their turn; beyond, 503 with `Retry-After`.
    #[arg(long, env = "SWCAT_MAX_QUEUED_REQUESTS",
          default_value_t = Limits::default().max_queued_requests,
          value_parser = clap::value_parser!(u32).range(1..).map(|n| n as usize))]
    pub max_queued_requests: usize,
}

impl From<LimitArgs> for Limits {
    fn from(args: LimitArgs) -> Self {
        Self {
            max_body_bytes: args.max_body_bytes,
            max_document_bytes: args.max_document_bytes,
            max_batch: args.max_batch,
            max_aliases: args.max_aliases,
            max_depth: args.max_depth,
            max_cost: args.max_cost,
            max_expensive_requests: args.max_expensive_requests,
            introspection: args.introspection,
            max_concurrent_requests: args.max_concurrent_requests,
            max_queued_requests: args.max_queued_requests,
        }
    }
}

/// The change feed and its WebSocket endpoint (`/graphql/ws`).
#[derive(Debug, Clone, Args)]
pub struct FeedArgs {
    /// Seconds between reads of the change log for new changes, on MySQL/MariaDB and SQLite
    /// (PostgreSQL is woken by NOTIFY); only while anyone is subscribed.
    #[arg(long, env = "SWCAT_CHANGES_POLL_INTERVAL", default_value = "0.1", value_parser = parse_seconds)]
    pub changes_poll_interval: Duration,
    /// Seconds that changes are kept (default 7 days); resuming from an older cursor is
    /// CURSOR_EXPIRED.
    #[arg(long, env = "SWCAT_CHANGES_RETENTION", default_value = "604800", value_parser = parse_retention)]
    pub changes_retention: Duration,
    /// Most WebSocket connections on this instance; beyond, the upgrade is answered 503.
    #[arg(long, env = "SWCAT_MAX_WS_CONNECTIONS",
          default_value_t = FeedSettings::default().max_connections,
          value_parser = clap::value_parser!(u32).range(1..).map(|n| n as usize))]
    pub max_ws_connections: usize,
    /// Most operations one WebSocket connection runs at once.
    #[arg(long, env = "SWCAT_MAX_WS_OPERATIONS",
          default_value_t = FeedSettings::default().max_operations_per_connection,
          value_parser = clap::value_parser!(u32).range(1..).map(|n| n as usize))]
    pub max_ws_operations: usize,
    /// Seconds a new WebSocket connection may take to send `connection_init` (then 4408).
    #[arg(long, env = "SWCAT_WS_INIT_TIMEOUT", default_value = "3", value_parser = parse_seconds)]
    pub ws_init_timeout: Duration,
    /// Seconds between the server's keep-alive pings on a WebSocket connection.
    #[arg(long, env = "SWCAT_WS_KEEPALIVE", default_value = "15", value_parser = parse_seconds)]
    pub ws_keepalive: Duration,
    /// Seconds a message may wait for a client that does not read; then it is disconnected.
    #[arg(long, env = "SWCAT_WS_SEND_TIMEOUT", default_value = "10", value_parser = parse_seconds)]
    pub ws_send_timeout: Duration,
}

impl From<FeedArgs> for FeedSettings {
    fn from(args: FeedArgs) -> Self {
        Self {
            poll_interval: args.changes_poll_interval,
            retention: args.changes_retention,
            max_connections: args.max_ws_connections,
            max_operations_per_connection: args.max_ws_operations,
            init_timeout: args.ws_init_timeout,
            keepalive: args.ws_keepalive,
            send_timeout: args.ws_send_timeout,
        }
    }
}

#[derive(Debug, Clone, Args)]
pub struct DatabaseArgs {
    /// Database to serve: `sqlite://FILE` (created if missing), `postgres://USER@HOST/DB` or
    /// `mysql://USER@HOST/DB` (MySQL or MariaDB). The database must exist; its tables are
    /// created and migrated on start.
    #[arg(
        long,
        env = "DATABASE_URL",
        default_value = DatabaseSettings::DEFAULT_URL,
        hide_env_values = true
    )]
    pub database_url: String,
    /// Most database connections this instance opens.
    #[arg(long, env = "SWCAT_DB_MAX_CONNECTIONS",
          default_value_t = DatabaseSettings::DEFAULT_MAX_CONNECTIONS,
          value_parser = clap::value_parser!(u32).range(1..))]
    pub db_max_connections: u32,
    /// Seconds a request waits for a database connection (or a new connection waits for
    /// the database) before it fails with INTERNAL_SERVER_ERROR.
    #[arg(long, env = "SWCAT_DB_ACQUIRE_TIMEOUT", default_value = "5", value_parser = parse_seconds)]
    pub db_acquire_timeout: Duration,
}

impl From<DatabaseArgs> for DatabaseSettings {
    fn from(args: DatabaseArgs) -> Self {
        Self {
            url: args.database_url,
            max_connections: args.db_max_connections,
            acquire_timeout: args.db_acquire_timeout,
        }
    }
}

/// A retention in seconds: at least one second, at most 10 years.
fn parse_retention(text: &str) -> Result<Duration, String> {
    let seconds: u64 = text
        .parse()
        .map_err(|_| format!("{text:?} is not a whole number of seconds"))?;
    if !(1..=10 * 366 * 24 * 60 * 60).contains(&seconds) {
        return Err("must be from 1 second to 10 years".into());
    }
    Ok(Duration::from_secs(seconds))
}

fn parse_seconds(text: &str) -> Result<Duration, String> {
    let seconds: f64 = text
        .parse()
        .map_err(|_| format!("{text:?} is not a number of seconds"))?;
    if !(seconds > 0.0 && seconds <= 3600.0) {
        return Err("must be more than 0 and at most 3600 seconds".into());
    }
    Ok(Duration::from_secs_f64(seconds))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_command_means_serve_with_the_settings_defaults() {
        let cli = Cli::try_parse_from(["swcat"]).unwrap();
        assert!(cli.command.is_none());
        let settings = Settings::from(cli.serve);
        let defaults = Settings::new(DatabaseSettings::DEFAULT_URL);
        assert_eq!(settings.listen, defaults.listen);
        assert_eq!(settings.request_timeout, defaults.request_timeout);
        assert_eq!(settings.database.url, defaults.database.url);
        assert_eq!(
            settings.database.acquire_timeout,
            defaults.database.acquire_timeout
        );
        assert_eq!(
            settings.database.max_connections,
            defaults.database.max_connections
        );
        assert_eq!(settings.limits, defaults.limits);
        assert!(settings.cors_origins.is_empty());
    }

    #[test]
    fn limits_and_origins_are_options() {
        let cli = Cli::try_parse_from([
            "swcat",
            "--max-batch",
            "0",
            "--max-cost",
            "1000",
            "--introspection",
            "false",
            "--cors-origin",
            "https://a.example",
            "--cors-origin",
            "https://b.example",
            "--log-format",
            "json",
        ])
        .unwrap();
        assert_eq!(cli.log_format, LogFormat::Json);
        let settings = Settings::from(cli.serve);
        assert_eq!(settings.limits.max_batch, 0);
        assert_eq!(settings.limits.max_cost, 1000);
        assert!(!settings.limits.introspection);
        assert_eq!(
            settings.cors_origins,
            ["https://a.example", "https://b.example"]
        );
    }

    #[test]
    fn serve_takes_its_options() {
        let cli = Cli::try_parse_from([
            "swcat",
            "serve",
            "--listen",
            "0.0.0.0:9000",
            "--database-url",
            "postgres://postgres@localhost/swcat",
            "--db-acquire-timeout",
            "0.5",
            "--api-token",
            "t1",
        ])
        .unwrap();
        let Some(Command::Serve(args)) = cli.command else {
            panic!("expected serve");
        };
        let settings = Settings::from(*args);
        assert_eq!(settings.listen, "0.0.0.0:9000");
        assert_eq!(settings.api_tokens, ["t1"]);
        assert_eq!(
            settings.database.acquire_timeout,
            Duration::from_millis(500)
        );
    }

    #[test]
    fn nonsense_timeouts_are_refused() {
        for bad in ["0", "-1", "soon", "99999"] {
            assert!(Cli::try_parse_from(["swcat", "--db-acquire-timeout", bad]).is_err());
        }
    }
}

//! Startup in one place: configuration to database, migrations, listener and router.

use std::future::Future;
use std::io::IsTerminal;
use std::net::SocketAddr;
use std::process::ExitCode;
use std::sync::Arc;

use sea_orm::{DatabaseConnection, DbErr};
use tokio::net::TcpListener;
use tokio::sync::Semaphore;
use tracing_subscriber::EnvFilter;

use axum::http::HeaderValue;
use tower_http::cors::CorsLayer;

use crate::cli::{Cli, Command, LogFormat};
use crate::database::ConnectError;
use crate::feed::ChangeFeed;
use crate::graphql::{ApiTokens, PersistedDocuments, TrustedDocumentsError};
use crate::http::AppState;
use crate::metrics::Metrics;
use crate::report::ErrorChain;
use crate::settings::{DatabaseSettings, Settings};
use crate::{database, graphql, http};

/// Why the server could not start. Each is printed as one line before exiting non-zero.
#[derive(Debug, thiserror::Error)]
pub enum StartupError {
    #[error(transparent)]
    Connect(#[from] ConnectError),
    #[error("cannot migrate the database: {}", ErrorChain(.0))]
    Migrate(DbErr),
    #[error("cannot listen on {addr}: {source}")]
    Listen {
        addr: String,
        #[source]
        source: std::io::Error,
    },
    #[error("the server stopped: {0}")]
    Serve(#[source] std::io::Error),
    #[error("invalid CORS origin {0:?}: expected e.g. https://app.example.org")]
    CorsOrigin(String),
    #[error(transparent)]
    TrustedDocuments(#[from] TrustedDocumentsError),
}

/// A server that is connected, migrated and bound, ready to run.
pub struct Application {
    listener: TcpListener,
    state: AppState,
    cors: CorsLayer,
}

impl Application {
    /// Connects to and migrates the database, then binds the listener.
    pub async fn build(settings: &Settings) -> Result<Self, StartupError> {
        let db = connect_and_migrate(&settings.database).await?;
        Self::with_database(db, settings).await
    }

    /// A server on a pool that is already connected and migrated (`settings.database.url`
    /// is not used).
    pub async fn with_database(
        db: DatabaseConnection,
        settings: &Settings,
    ) -> Result<Self, StartupError> {
        let origins = settings
            .cors_origins
            .iter()
            .map(|origin| {
                HeaderValue::from_str(origin.trim_end_matches('/'))
                    .ok()
                    .filter(|_| origin.starts_with("http://") || origin.starts_with("https://"))
                    .ok_or_else(|| StartupError::CorsOrigin(origin.clone()))
            })
            .collect::<Result<Vec<_>, _>>()?;
        let listener = TcpListener::bind(&settings.listen)
            .await
            .map_err(|source| StartupError::Listen {
                addr: settings.listen.clone(),
                source,
            })?;
        let mut persisted = PersistedDocuments::new(db.clone());
        if let Some(path) = &settings.trusted_documents {
            persisted = persisted.trusted_only(path)?;
        }
        let state = AppState::from(http::Shared {
            schema: graphql::schema(
                db.clone(),
                ChangeFeed::start(db.clone(), &settings.feed),
                &settings.limits,
            ),
            db,
            request_timeout: settings.request_timeout,
            api_tokens: ApiTokens::new(settings.api_tokens.iter().cloned())
                .with_private_reads(settings.private_reads),
            limits: settings.limits.clone(),
            max_connections: settings.database.max_connections,
            metrics: Metrics::default(),
            feed_settings: settings.feed.clone(),
            persisted: Arc::new(persisted),
            persisted_get_max_age: settings.persisted_get_max_age,
            ws_connections: Arc::new(Semaphore::new(settings.feed.max_connections)),
            admission: http::Admission::new(
                settings.limits.max_concurrent_requests,
                settings.limits.max_queued_requests,
            ),
        });
        Ok(Self {
            listener,
            state,
            cors: http::cors(&origins),
        })
    }

    /// Where the server listens (useful when asked for port 0).
    pub fn local_addr(&self) -> std::io::Result<SocketAddr> {
        self.listener.local_addr()
    }

    /// The server's connection pool.
    pub fn db(&self) -> &DatabaseConnection {
        &self.state.db
    }

    /// Serves until `shutdown` completes, then finishes the requests in flight.
    pub async fn run_until(
        self,
        shutdown: impl Future<Output = ()> + Send + 'static,
    ) -> Result<(), StartupError> {
        let router = http::router(self.state, self.cors);
        axum::serve(self.listener, router)
            .with_graceful_shutdown(shutdown)
            .await
            .map_err(StartupError::Serve)
    }
}

/// Connects to the database `settings` names and applies pending migrations.
pub async fn connect_and_migrate(
    settings: &DatabaseSettings,
) -> Result<DatabaseConnection, StartupError> {
    let db = database::connect(settings).await?;
    database::migrate(&db)
        .await
        .map_err(StartupError::Migrate)?;
    Ok(db)
}

/// The process: logs to stderr (filtered by `SWCAT_LOG`, default `info`; as text, coloured
/// only on a terminal, or as JSON), runs the command line, and turns a failure into one
/// line and a non-zero exit code.
pub async fn main(cli: Cli) -> ExitCode {
    let filter = EnvFilter::try_from_env("SWCAT_LOG").unwrap_or_else(|_| EnvFilter::new("info"));
    let logs = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    match cli.log_format {
        LogFormat::Json => logs
            .json()
            .with_current_span(true)
            .with_span_list(false)
            .init(),
        LogFormat::Text => logs.with_ansi(std::io::stderr().is_terminal()).init(),
    }
    match run(cli).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("error: {err}");
            ExitCode::FAILURE
        }
    }
}

/// Runs the command line: serve (the default), migrate, or print the schema.
pub async fn run(cli: Cli) -> Result<(), StartupError> {
    match cli.command {
        Some(Command::Schema) => {
            print!("{}", graphql::sdl());
            Ok(())
        }
        Some(Command::Migrate(args)) => {
            let settings = DatabaseSettings::from(args);
            connect_and_migrate(&settings).await?;
            tracing::info!(database = %database::redact(&settings.url), "migrations applied");
            Ok(())
        }
        Some(Command::Serve(args)) => serve((*args).into()).await,
        None => serve(cli.serve.into()).await,
    }
}

async fn serve(settings: Settings) -> Result<(), StartupError> {
    let app = Application::build(&settings).await?;
    let addr = app.local_addr().map_err(StartupError::Serve)?;
    tracing::info!(
        database = %database::redact(&settings.database.url),
        "swcat is listening; GraphiQL at http://{addr}/graphql"
    );
    app.run_until(shutdown_signal()).await
}

/// Completes on Ctrl-C or SIGTERM (how orchestrators stop a container).
async fn shutdown_signal() {
    let ctrl_c = async {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutting down");
}

//! Startup in one place: configuration to database, migrations, listener and router.

use std::future::Future;
use std::net::SocketAddr;
use std::process::ExitCode;
use std::time::Duration;

use sea_orm::{DatabaseConnection, DbErr};
use tokio::net::TcpListener;
use tracing_subscriber::EnvFilter;

use crate::cli::{Cli, Command};
use crate::database::ConnectError;
use crate::graphql::ApiTokens;
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
}

/// A server that is connected, migrated and bound, ready to run.
pub struct Application {
    listener: TcpListener,
    db: DatabaseConnection,
    request_timeout: Duration,
    api_tokens: ApiTokens,
}

impl Application {
    /// Connects to and migrates the database, then binds the listener.
    pub async fn build(settings: &Settings) -> Result<Self, StartupError> {
        let db = connect_and_migrate(&settings.database).await?;
        Self::with_database(db, settings).await
    }

    /// A server on a pool that is already connected and migrated (`settings.database` is
    /// not used).
    pub async fn with_database(
        db: DatabaseConnection,
        settings: &Settings,
    ) -> Result<Self, StartupError> {
        let listener = TcpListener::bind(&settings.listen)
            .await
            .map_err(|source| StartupError::Listen {
                addr: settings.listen.clone(),
                source,
            })?;
        Ok(Self {
            listener,
            db,
            request_timeout: settings.request_timeout,
            api_tokens: ApiTokens::new(settings.api_tokens.iter().cloned()),
        })
    }

    /// Where the server listens (useful when asked for port 0).
    pub fn local_addr(&self) -> std::io::Result<SocketAddr> {
        self.listener.local_addr()
    }

    /// The server's connection pool.
    pub fn db(&self) -> &DatabaseConnection {
        &self.db
    }

    /// Serves until `shutdown` completes, then finishes the requests in flight.
    pub async fn run_until(
        self,
        shutdown: impl Future<Output = ()> + Send + 'static,
    ) -> Result<(), StartupError> {
        let router = http::router(
            graphql::schema(self.db.clone()),
            self.db,
            self.request_timeout,
            self.api_tokens,
        );
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

/// The process: logs to stderr (filtered by `SWCAT_LOG`, default `info`), runs the command
/// line, and turns a failure into one line and a non-zero exit code.
pub async fn main(cli: Cli) -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            EnvFilter::try_from_env("SWCAT_LOG").unwrap_or_else(|_| EnvFilter::new("info")),
        )
        .with_writer(std::io::stderr)
        .init();
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
        Some(Command::Serve(args)) => serve(args.into()).await,
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

//! Startup in one place: configuration to database, migrations, listener and router.

use std::future::Future;
use std::net::SocketAddr;
use std::time::Duration;

use sea_orm::{DatabaseConnection, DbErr};
use tokio::net::TcpListener;

use crate::config::{Cli, Command, DatabaseArgs, ServeArgs};
use crate::graphql::ApiTokens;
use crate::{database, graphql, http};

/// Why the server could not start. Each is printed as one line before exiting non-zero.
#[derive(Debug, thiserror::Error)]
pub enum StartupError {
    #[error("invalid database URL {url:?}: {reason}")]
    DatabaseUrl { url: String, reason: String },
    #[error("cannot connect to the database {url}: {reason}")]
    Connect {
        url: String,
        /// The driver's own words for the innermost cause (password redacted).
        reason: String,
    },
    #[error("cannot migrate the database: {}", root_cause(.0))]
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

/// The innermost cause of an error: SeaORM's errors repeat their sources in their own
/// messages, so the last one in the chain says what is wrong, once.
pub(crate) fn root_cause(err: &(dyn std::error::Error + 'static)) -> String {
    let mut cause = err;
    while let Some(source) = cause.source() {
        cause = source;
    }
    cause.to_string()
}

/// A server that is connected, migrated and bound, ready to run.
pub struct Application {
    listener: TcpListener,
    db: DatabaseConnection,
    request_timeout: Duration,
    api_tokens: ApiTokens,
}

impl Application {
    pub async fn build(args: &ServeArgs) -> Result<Self, StartupError> {
        let db = connect_and_migrate(&args.database).await?;
        Self::with_database(db, args).await
    }

    /// A server on a pool that is already connected and migrated (`args.database` unused).
    pub async fn with_database(
        db: DatabaseConnection,
        args: &ServeArgs,
    ) -> Result<Self, StartupError> {
        let listener =
            TcpListener::bind(&args.listen)
                .await
                .map_err(|source| StartupError::Listen {
                    addr: args.listen.clone(),
                    source,
                })?;
        Ok(Self {
            listener,
            db,
            request_timeout: args.request_timeout,
            api_tokens: ApiTokens::new(args.api_tokens.iter().cloned()),
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

/// Connects to the database `args` names and applies pending migrations.
pub async fn connect_and_migrate(args: &DatabaseArgs) -> Result<DatabaseConnection, StartupError> {
    let db = database::connect(args).await?;
    database::migrate(&db)
        .await
        .map_err(StartupError::Migrate)?;
    Ok(db)
}

/// Runs the command line: serve (the default), migrate, or print the schema.
pub async fn run(cli: Cli) -> Result<(), StartupError> {
    match cli.command {
        Some(Command::Schema) => {
            print!("{}", graphql::sdl());
            Ok(())
        }
        Some(Command::Migrate(args)) => {
            connect_and_migrate(&args).await?;
            tracing::info!(database = %database::redact(&args.database_url), "migrations applied");
            Ok(())
        }
        Some(Command::Serve(args)) => serve(args).await,
        None => serve(cli.serve).await,
    }
}

async fn serve(args: ServeArgs) -> Result<(), StartupError> {
    let app = Application::build(&args).await?;
    let addr = app.local_addr().map_err(StartupError::Serve)?;
    tracing::info!(
        database = %database::redact(&args.database.database_url),
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

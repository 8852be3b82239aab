//! Connecting to the database and migrating it.

use std::time::Duration;

use migration::{Migrator, MigratorTrait};
use sea_orm::sqlx::sqlite::{SqliteJournalMode, SqliteSynchronous};
use sea_orm::{
    ConnectOptions, ConnectionTrait, Database, DatabaseBackend, DatabaseConnection, DbErr,
    SqliteTransactionMode, Statement, TransactionOptions, TransactionTrait,
};

use crate::config::DatabaseArgs;
use crate::startup::{StartupError, root_cause};

/// How long a SQLite writer waits for another one to finish before giving up.
const SQLITE_BUSY_TIMEOUT: Duration = Duration::from_secs(10);

/// Opens a connection pool on the database named by `args`.
///
/// SQLite gets what a concurrent server needs on every pooled connection: foreign keys
/// enforced (for ON DELETE CASCADE), the WAL journal (readers run beside the writer) and a
/// busy timeout (writers queue instead of failing). An in-memory SQLite database keeps one
/// connection open for the life of the pool, so it is neither lost when idle nor split into
/// one database per connection.
pub async fn connect(args: &DatabaseArgs) -> Result<DatabaseConnection, StartupError> {
    let url = normalize_url(&args.database_url)?;
    let mut options = ConnectOptions::new(url.clone());
    options
        .max_connections(args.db_max_connections)
        .acquire_timeout(args.db_acquire_timeout)
        .connect_timeout(args.db_acquire_timeout)
        .sqlx_logging(false)
        .map_sqlx_sqlite_opts(|sqlite| {
            sqlite
                .create_if_missing(true)
                .foreign_keys(true)
                .journal_mode(SqliteJournalMode::Wal)
                .synchronous(SqliteSynchronous::Normal)
                .busy_timeout(SQLITE_BUSY_TIMEOUT)
        });
    if url.starts_with("sqlite:") && (url.contains(":memory:") || url.contains("mode=memory")) {
        options
            .min_connections(1)
            .idle_timeout(None)
            .max_lifetime(None);
    }
    Database::connect(options)
        .await
        .map_err(|source| StartupError::Connect {
            url: redact(&url),
            // A driver that cannot parse the URL quotes it whole, password included.
            reason: root_cause(&source).replace(&url, &redact(&url)),
        })
}

/// Checks the URL's scheme, so a typo is reported as such rather than as a driver error.
/// `mariadb://` is accepted as a synonym of `mysql://`.
fn normalize_url(url: &str) -> Result<String, StartupError> {
    let bad = |reason: &str| StartupError::DatabaseUrl {
        url: redact(url),
        reason: reason.to_owned(),
    };
    let Some((scheme, rest)) = url.split_once(':') else {
        return Err(bad("expected sqlite://FILE, postgres://... or mysql://..."));
    };
    match scheme {
        "sqlite" | "postgres" | "postgresql" | "mysql" => Ok(url.to_owned()),
        "mariadb" => Ok(format!("mysql:{rest}")),
        _ => Err(bad(&format!(
            "unsupported scheme {scheme:?}; use sqlite, postgres or mysql"
        ))),
    }
}

/// The URL with its password, if any, replaced by `***`, fit for logs and error messages.
pub fn redact(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_owned();
    };
    let authority_end = rest.find('/').unwrap_or(rest.len());
    let Some(at) = rest[..authority_end].rfind('@') else {
        return url.to_owned();
    };
    match rest[..at].split_once(':') {
        Some((user, _password)) => format!("{scheme}://{user}:***{}", &rest[at..]),
        None => url.to_owned(),
    }
}

/// Applies pending migrations, once, even when several instances start together.
///
/// The migrations run inside a transaction that first takes a database-wide lock:
/// `pg_advisory_xact_lock` on PostgreSQL (where DDL is transactional, so a failed migration
/// leaves nothing behind), `GET_LOCK` on MySQL/MariaDB, and the write lock of a
/// `BEGIN IMMEDIATE` on SQLite. A second instance waits, then finds nothing left to do.
pub async fn migrate(db: &DatabaseConnection) -> Result<(), DbErr> {
    const LOCK_KEY: i64 = 0x5377_6361_7400; // "Swcat", any constant shared by all instances
    match db.get_database_backend() {
        DatabaseBackend::Postgres => {
            let txn = db.begin().await?;
            txn.execute_unprepared(&format!("SELECT pg_advisory_xact_lock({LOCK_KEY})"))
                .await?;
            Migrator::up(&txn, None).await?;
            txn.commit().await
        }
        DatabaseBackend::MySql => {
            // GET_LOCK belongs to the session; the transaction pins one connection for it.
            let txn = db.begin().await?;
            let locked = txn
                .query_one_raw(Statement::from_string(
                    DatabaseBackend::MySql,
                    "SELECT GET_LOCK('swcat_migrate', 300) AS locked",
                ))
                .await?
                .and_then(|row| row.try_get::<Option<i64>>("", "locked").ok().flatten());
            if locked != Some(1) {
                return Err(DbErr::Migration(
                    "another instance held the migration lock for 5 minutes".into(),
                ));
            }
            let migrated = Migrator::up(&txn, None).await;
            txn.execute_unprepared("DO RELEASE_LOCK('swcat_migrate')")
                .await?;
            txn.commit().await?;
            migrated
        }
        _ => {
            let txn = db
                .begin_with_options(TransactionOptions {
                    sqlite_transaction_mode: Some(SqliteTransactionMode::Immediate),
                    ..Default::default()
                })
                .await?;
            Migrator::up(&txn, None).await?;
            txn.commit().await
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_are_redacted() {
        assert_eq!(
            redact("postgres://app:s3cret@db:5432/swcat"),
            "postgres://app:***@db:5432/swcat"
        );
        assert_eq!(redact("postgres://app@db/swcat"), "postgres://app@db/swcat");
        assert_eq!(redact("sqlite://swcat.db"), "sqlite://swcat.db");
    }

    #[test]
    fn unknown_schemes_are_refused_and_mariadb_means_mysql() {
        assert!(normalize_url("oracle://x").is_err());
        assert!(normalize_url("swcat.db").is_err());
        assert_eq!(
            normalize_url("mariadb://root@h/db").unwrap(),
            "mysql://root@h/db"
        );
    }
}

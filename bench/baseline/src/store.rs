//! The database side: connection pools and the statements swcat runs for the five documents.
//!
//! The statements are written once, in `ops.rs`, and compiled twice: for SQLite and for
//! PostgreSQL, each with its own placeholders (`?` / `$1`), its own way to begin a write
//! (`BEGIN IMMEDIATE` / `BEGIN`) and row locks (none / `FOR UPDATE`). Both modules work on
//! concrete sqlx types, so there are no generic bounds to spell out.

use std::str::FromStr;
use std::time::Duration;

use chrono::NaiveDate;
use sqlx::error::ErrorKind;
use sqlx::postgres::PgPoolOptions;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use uuid::Uuid;

/// Like swcat's defaults: `--db-max-connections 10`, `--db-acquire-timeout 5`.
const MAX_CONNECTIONS: u32 = 10;
const ACQUIRE_TIMEOUT: Duration = Duration::from_secs(5);
/// Like swcat: how long a SQLite writer waits for another one.
const SQLITE_BUSY_TIMEOUT: Duration = Duration::from_secs(10);
/// swcat's `PING_WHEN_IDLE_FOR`: a connection is pinged before use only after this long idle.
const PING_WHEN_IDLE_FOR: Duration = Duration::from_secs(30);

/// swcat's pool check (SeaORM's `test_before_acquire_if_idle_for`): ping a connection
/// before use only when it has been idle for [`PING_WHEN_IDLE_FOR`].
async fn ping_when_idle<C: sqlx::Connection>(
    conn: &mut C,
    meta: sqlx::pool::PoolConnectionMetadata,
) -> Result<bool, sqlx::Error> {
    if meta.idle_for >= PING_WHEN_IDLE_FOR {
        conn.ping().await?;
    }
    Ok(true)
}
/// Like swcat: a transaction refused by a concurrent one is run again, up to 5 times.
const ATTEMPTS: u32 = 5;

/// A row of `software`. Its `maintainer_name` is read (swcat reads whole rows) but no
/// document asks for it.
#[derive(Debug, Clone)]
pub struct SoftwareRow {
    pub software_id: Uuid,
    pub display_name: String,
    pub maintainer_email: String,
}

/// A row of `release`.
#[derive(Debug, Clone)]
pub struct ReleaseRow {
    pub release_id: Uuid,
    pub version: String,
    pub release_date: NaiveDate,
    pub software_id: Uuid,
}

type SoftwareTuple = (Uuid, String, Option<String>, String);
type ReleaseTuple = (Uuid, String, NaiveDate, Uuid);

impl From<SoftwareTuple> for SoftwareRow {
    fn from(
        (software_id, display_name, _maintainer_name, maintainer_email): SoftwareTuple,
    ) -> Self {
        Self {
            software_id,
            display_name,
            maintainer_email,
        }
    }
}

impl From<ReleaseTuple> for ReleaseRow {
    fn from((release_id, version, release_date, software_id): ReleaseTuple) -> Self {
        Self {
            release_id,
            version,
            release_date,
            software_id,
        }
    }
}

/// A release to create with its software.
#[derive(Debug, Clone)]
pub struct NewRelease {
    pub version: String,
    pub release_date: NaiveDate,
}

/// A software to create, with its releases.
#[derive(Debug, Clone)]
pub struct NewSoftware {
    pub display_name: String,
    pub maintainer_name: Option<String>,
    pub maintainer_email: String,
    pub releases: Vec<NewRelease>,
}

/// Why an operation did not succeed.
#[derive(Debug)]
pub enum Failure {
    NotFound { entity: &'static str, id: Uuid },
    Conflict(String),
    Database(sqlx::Error),
}

impl From<sqlx::Error> for Failure {
    fn from(err: sqlx::Error) -> Self {
        Failure::Database(err)
    }
}

impl Failure {
    /// What a write's database error means to the client, as swcat words it.
    fn from_write(err: sqlx::Error, conflict: impl FnOnce() -> String, missing: Failure) -> Self {
        match &err {
            sqlx::Error::Database(db) => match db.kind() {
                ErrorKind::UniqueViolation => Failure::Conflict(conflict()),
                ErrorKind::ForeignKeyViolation => missing,
                _ => Failure::Database(err),
            },
            _ => Failure::Database(err),
        }
    }

    /// A concurrent transaction made this one fail; the same work succeeds when run again:
    /// SQLite's `SQLITE_BUSY` / `SQLITE_LOCKED`, PostgreSQL's serialization failure or
    /// deadlock (what swcat retries).
    fn is_transient(&self) -> bool {
        let Failure::Database(sqlx::Error::Database(db)) = self else {
            return false;
        };
        let code = db.code().unwrap_or_default();
        if db.try_downcast_ref::<sqlx::sqlite::SqliteError>().is_some() {
            return code.parse::<u32>().is_ok_and(|c| matches!(c & 0xff, 5 | 6));
        }
        matches!(code.as_ref(), "40001" | "40P01")
    }
}

/// Runs `op` until it succeeds, fails for good, or has been tried [`ATTEMPTS`] times.
async fn retry<T, F, Fut>(op: F) -> Result<T, Failure>
where
    F: Fn() -> Fut,
    Fut: Future<Output = Result<T, Failure>>,
{
    let mut attempt = 1;
    loop {
        match op().await {
            Err(err) if attempt < ATTEMPTS && err.is_transient() => {
                tokio::time::sleep(Duration::from_millis(10 * u64::from(attempt))).await;
                attempt += 1;
            }
            other => return other,
        }
    }
}

/// `?, ?, ?` or `$3, $4, $5`: `n` placeholders, the first being number `first`.
fn placeholders(postgres: bool, first: usize, n: usize) -> String {
    let mut out = String::with_capacity(n * 5);
    for i in 0..n {
        if i > 0 {
            out.push_str(", ");
        }
        if postgres {
            out.push('$');
            out.push_str(&(first + i).to_string());
        } else {
            out.push('?');
        }
    }
    out
}

/// The first `first` releases of each software in `ids`, newest first, in one statement:
/// swcat's window query.
fn releases_of_sql(postgres: bool, n: usize) -> String {
    format!(
        "SELECT \"ranked\".\"release_id\", \"ranked\".\"version\", \"ranked\".\"release_date\", \
         \"ranked\".\"software_id\" FROM (SELECT \"release_id\", \"version\", \"release_date\", \
         \"software_id\", ROW_NUMBER() OVER (PARTITION BY \"software_id\" ORDER BY \
         \"release_date\" DESC, \"release_id\" DESC) AS \"rank_in_software\" FROM \"release\" \
         WHERE \"software_id\" IN ({})) AS \"ranked\" WHERE \"ranked\".\"rank_in_software\" <= {} \
         ORDER BY \"ranked\".\"rank_in_software\" ASC",
        placeholders(postgres, 1, n),
        placeholders(postgres, n + 1, 1),
    )
}

/// The software whose id is in a list of `n`.
fn software_many_sql(postgres: bool, n: usize) -> String {
    format!(
        "SELECT \"software\".\"software_id\", \"software\".\"display_name\", \
         \"software\".\"maintainer_name\", \"software\".\"maintainer_email\" FROM \"software\" \
         WHERE \"software\".\"software_id\" IN ({})",
        placeholders(postgres, 1, n)
    )
}

mod sqlite {
    type Db = sqlx::Sqlite;
    const POSTGRES: bool = false;
    const BEGIN_WRITE: &str = "BEGIN IMMEDIATE";
    const SOFTWARE_BY_ID: &str = "SELECT \"software\".\"software_id\", \"software\".\"display_name\", \"software\".\"maintainer_name\", \"software\".\"maintainer_email\" FROM \"software\" WHERE \"software\".\"software_id\" = ? LIMIT ?";
    const SOFTWARE_PAGE: &str = "SELECT \"software\".\"software_id\", \"software\".\"display_name\", \"software\".\"maintainer_name\", \"software\".\"maintainer_email\" FROM \"software\" ORDER BY \"software\".\"display_name\" ASC, \"software\".\"software_id\" ASC LIMIT ?";
    const RELEASE_PAGE: &str = "SELECT \"release\".\"release_id\", \"release\".\"version\", \"release\".\"release_date\", \"release\".\"software_id\" FROM \"release\" ORDER BY \"release\".\"release_date\" DESC, \"release\".\"release_id\" DESC LIMIT ?";
    const INSERT_SOFTWARE: &str = "INSERT INTO \"software\" (\"software_id\", \"display_name\", \"maintainer_name\", \"maintainer_email\") VALUES (?, ?, ?, ?)";
    const INSERT_RELEASE: &str = "INSERT INTO \"release\" (\"release_id\", \"version\", \"release_date\", \"software_id\") VALUES (?, ?, ?, ?)";
    const LOCK_RELEASE: &str = "SELECT \"release\".\"release_id\", \"release\".\"version\", \"release\".\"release_date\", \"release\".\"software_id\" FROM \"release\" WHERE \"release\".\"release_id\" = ? LIMIT ?";
    const DELETE_RELEASE: &str = "DELETE FROM \"release\" WHERE \"release\".\"release_id\" = ?";
    const LOCK_SOFTWARE: &str = "SELECT \"software\".\"software_id\", \"software\".\"display_name\", \"software\".\"maintainer_name\", \"software\".\"maintainer_email\" FROM \"software\" WHERE \"software\".\"software_id\" = ? LIMIT ?";
    const LOCK_RELEASE_IDS: &str =
        "SELECT \"release\".\"release_id\" FROM \"release\" WHERE \"release\".\"software_id\" = ?";
    const DELETE_SOFTWARE: &str = "DELETE FROM \"software\" WHERE \"software\".\"software_id\" = ?";
    const LOCK_HEAD: &str = "SELECT \"change_log_head\".\"position\" FROM \"change_log_head\" WHERE \"change_log_head\".\"id\" = ? LIMIT ?";
    const UPDATE_HEAD: &str =
        "UPDATE \"change_log_head\" SET \"position\" = ? WHERE \"change_log_head\".\"id\" = ?";
    const INSERT_CHANGE: &str = "INSERT INTO \"change_log\" (\"position\", \"kind\", \"software_id\", \"release_ids\", \"committed_at\") VALUES (?, ?, ?, ?, ?)";
    const NOTIFY: &str = "";
    include!("ops.rs");
}

mod postgres {
    type Db = sqlx::Postgres;
    const POSTGRES: bool = true;
    const BEGIN_WRITE: &str = "BEGIN";
    const SOFTWARE_BY_ID: &str = "SELECT \"software\".\"software_id\", \"software\".\"display_name\", \"software\".\"maintainer_name\", \"software\".\"maintainer_email\" FROM \"software\" WHERE \"software\".\"software_id\" = $1 LIMIT $2";
    const SOFTWARE_PAGE: &str = "SELECT \"software\".\"software_id\", \"software\".\"display_name\", \"software\".\"maintainer_name\", \"software\".\"maintainer_email\" FROM \"software\" ORDER BY \"software\".\"display_name\" ASC, \"software\".\"software_id\" ASC LIMIT $1";
    const RELEASE_PAGE: &str = "SELECT \"release\".\"release_id\", \"release\".\"version\", \"release\".\"release_date\", \"release\".\"software_id\" FROM \"release\" ORDER BY \"release\".\"release_date\" DESC, \"release\".\"release_id\" DESC LIMIT $1";
    const INSERT_SOFTWARE: &str = "INSERT INTO \"software\" (\"software_id\", \"display_name\", \"maintainer_name\", \"maintainer_email\") VALUES ($1, $2, $3, $4)";
    const INSERT_RELEASE: &str = "INSERT INTO \"release\" (\"release_id\", \"version\", \"release_date\", \"software_id\") VALUES ($1, $2, $3, $4)";
    const LOCK_RELEASE: &str = "SELECT \"release\".\"release_id\", \"release\".\"version\", \"release\".\"release_date\", \"release\".\"software_id\" FROM \"release\" WHERE \"release\".\"release_id\" = $1 LIMIT $2 FOR UPDATE";
    const DELETE_RELEASE: &str = "DELETE FROM \"release\" WHERE \"release\".\"release_id\" = $1";
    const LOCK_SOFTWARE: &str = "SELECT \"software\".\"software_id\", \"software\".\"display_name\", \"software\".\"maintainer_name\", \"software\".\"maintainer_email\" FROM \"software\" WHERE \"software\".\"software_id\" = $1 LIMIT $2 FOR UPDATE";
    const LOCK_RELEASE_IDS: &str = "SELECT \"release\".\"release_id\" FROM \"release\" WHERE \"release\".\"software_id\" = $1 FOR UPDATE";
    const DELETE_SOFTWARE: &str =
        "DELETE FROM \"software\" WHERE \"software\".\"software_id\" = $1";
    const LOCK_HEAD: &str = "SELECT \"change_log_head\".\"position\" FROM \"change_log_head\" WHERE \"change_log_head\".\"id\" = $1 LIMIT $2 FOR UPDATE";
    const UPDATE_HEAD: &str =
        "UPDATE \"change_log_head\" SET \"position\" = $1 WHERE \"change_log_head\".\"id\" = $2";
    const INSERT_CHANGE: &str = "INSERT INTO \"change_log\" (\"position\", \"kind\", \"software_id\", \"release_ids\", \"committed_at\") VALUES ($1, $2, $3, $4, $5)";
    const NOTIFY: &str = "SELECT pg_notify($1, $2)";
    include!("ops.rs");
}

/// A connection pool on SQLite or PostgreSQL.
pub enum Store {
    Sqlite(sqlx::SqlitePool),
    Postgres(sqlx::PgPool),
}

/// Calls the function of the same name in the module of the store's database.
macro_rules! dispatch {
    ($store:expr, $op:ident($($arg:expr),*)) => {
        match $store {
            Store::Sqlite(pool) => sqlite::$op(pool, $($arg),*).await,
            Store::Postgres(pool) => postgres::$op(pool, $($arg),*).await,
        }
    };
}

impl Store {
    /// Opens a pool on `sqlite://FILE` (the file and its tables must exist: swcat migrates)
    /// or `postgres://...`, configured like swcat's.
    pub async fn connect(url: &str) -> Result<Self, sqlx::Error> {
        if url.starts_with("sqlite:") {
            // swcat's process-wide SQLite settings (its `database.rs` says why).
            swcat::database::sqlite_process_settings();
            let options = SqliteConnectOptions::from_str(url)?
                .foreign_keys(true)
                .journal_mode(SqliteJournalMode::Wal)
                .synchronous(SqliteSynchronous::Normal)
                .busy_timeout(SQLITE_BUSY_TIMEOUT);
            let pool = SqlitePoolOptions::new()
                .max_connections(MAX_CONNECTIONS)
                .acquire_timeout(ACQUIRE_TIMEOUT)
                .test_before_acquire(false)
                .before_acquire(|conn, meta| Box::pin(ping_when_idle(conn, meta)))
                // swcat's own setting (its `database.rs` says why): stable plans, so that binding
                // `LIMIT ?` does not make SQLite prepare the statement again on every run.
                .after_connect(|conn, _| Box::pin(swcat::database::plans_ignore_bound_values(conn)))
                .connect_with(options)
                .await?;
            Ok(Store::Sqlite(pool))
        } else {
            let pool = PgPoolOptions::new()
                .max_connections(MAX_CONNECTIONS)
                .acquire_timeout(ACQUIRE_TIMEOUT)
                .test_before_acquire(false)
                .before_acquire(|conn, meta| Box::pin(ping_when_idle(conn, meta)))
                .connect(url)
                .await?;
            Ok(Store::Postgres(pool))
        }
    }

    pub async fn software(&self, id: Uuid) -> Result<Option<SoftwareRow>, Failure> {
        dispatch!(self, software(id))
    }

    /// The first `limit` software by display name, then id.
    pub async fn software_page(&self, limit: i64) -> Result<Vec<SoftwareRow>, Failure> {
        dispatch!(self, software_page(limit))
    }

    /// The software among `ids` that exist, in no particular order.
    pub async fn software_many(&self, ids: &[Uuid]) -> Result<Vec<SoftwareRow>, Failure> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        dispatch!(self, software_many(ids))
    }

    /// The first `first` releases of each of `ids`, newest first; for each software its
    /// releases come in that order.
    pub async fn releases_of(&self, ids: &[Uuid], first: i64) -> Result<Vec<ReleaseRow>, Failure> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        dispatch!(self, releases_of(ids, first))
    }

    /// The first `limit` releases, newest first.
    pub async fn release_page(&self, limit: i64) -> Result<Vec<ReleaseRow>, Failure> {
        dispatch!(self, release_page(limit))
    }

    pub async fn create_release(
        &self,
        software_id: Uuid,
        new: &NewRelease,
    ) -> Result<ReleaseRow, Failure> {
        let release_id = Uuid::new_v4();
        retry(|| async move { dispatch!(self, create_release(release_id, software_id, new)) }).await
    }

    /// Deletes a release and answers it as it was.
    pub async fn delete_release(&self, id: Uuid) -> Result<ReleaseRow, Failure> {
        retry(|| async move { dispatch!(self, delete_release(id)) }).await
    }

    /// Creates a software and its releases in one transaction; answers its id.
    pub async fn create_software(&self, new: &NewSoftware) -> Result<Uuid, Failure> {
        let mut versions = std::collections::HashSet::new();
        for release in &new.releases {
            if !versions.insert(release.version.as_str()) {
                return Err(Failure::Conflict(format!(
                    "the releases repeat the version {:?}",
                    release.version
                )));
            }
        }
        let software_id = Uuid::new_v4();
        retry(|| async move { dispatch!(self, create_software(software_id, new)) }).await?;
        Ok(software_id)
    }

    /// Deletes a software (its releases go by the cascade); answers the ids of its releases.
    pub async fn delete_software(&self, id: Uuid) -> Result<Vec<Uuid>, Failure> {
        retry(|| async move { dispatch!(self, delete_software(id)) }).await
    }
}

//! Connecting to the database and migrating it.

use std::time::Duration;

use migration::{Migrator, MigratorTrait};
use sea_orm::sqlx::sqlite::{SqliteConnection, SqliteJournalMode, SqliteSynchronous};
use sea_orm::{
    ConnectOptions, ConnectionTrait, Database, DatabaseBackend, DatabaseConnection, DbErr,
    RuntimeErr, SqliteTransactionMode, Statement, TransactionOptions, TransactionTrait,
};

use crate::report::ErrorChain;
use crate::settings::DatabaseSettings;

/// How long a SQLite writer waits for another one to finish before giving up.
const SQLITE_BUSY_TIMEOUT: Duration = Duration::from_secs(10);

/// A pooled connection idle this long is pinged before it is handed out: one a server, a
/// proxy or a firewall may have dropped meanwhile. A connection in steady use is not: the
/// pool's default pings before every statement, a round trip each time (on SQLite, a hop
/// to the connection's thread and back) that a connection used a moment ago does not need.
const PING_WHEN_IDLE_FOR: Duration = Duration::from_secs(30);

/// Why no connection pool could be opened. Each is one line for the operator, without the
/// password of the URL.
#[derive(Debug, thiserror::Error)]
pub enum ConnectError {
    #[error("invalid database URL {url:?}: {reason}")]
    Url { url: String, reason: String },
    #[error("cannot connect to the database {url}: {reason}")]
    Connect {
        url: String,
        /// The driver's own words, password redacted.
        reason: String,
    },
}

/// Opens a connection pool on the database named by `args`.
///
/// SQLite gets what a concurrent server needs on every pooled connection: foreign keys
/// enforced (for ON DELETE CASCADE), the WAL journal (readers run beside the writer) and a
/// busy timeout (writers queue instead of failing). An in-memory SQLite database keeps one
/// connection open for the life of the pool, so it is neither lost when idle nor split into
/// one database per connection.
///
/// Instances started together on one new SQLite file race to create it and switch it to
/// WAL; the loser sees `SQLITE_BUSY` while connecting, which the busy timeout does not cover.
/// That is retried until [`SQLITE_BUSY_TIMEOUT`], like any other wait for SQLite's lock.
pub async fn connect(settings: &DatabaseSettings) -> Result<DatabaseConnection, ConnectError> {
    let url = normalize_url(&settings.url)?;
    if url.starts_with("sqlite:") {
        sqlite_process_settings();
    }
    let mut options = ConnectOptions::new(url.clone());
    options
        .max_connections(settings.max_connections)
        .acquire_timeout(settings.acquire_timeout)
        .connect_timeout(settings.acquire_timeout)
        .test_before_acquire_if_idle_for(PING_WHEN_IDLE_FOR)
        .sqlx_logging(false)
        .map_sqlx_sqlite_opts(|sqlite| {
            sqlite
                .create_if_missing(true)
                .foreign_keys(true)
                .journal_mode(SqliteJournalMode::Wal)
                .synchronous(SqliteSynchronous::Normal)
                .busy_timeout(SQLITE_BUSY_TIMEOUT)
        })
        .map_sqlx_sqlite_pool_opts(|pool| {
            pool.after_connect(|conn, _| Box::pin(plans_ignore_bound_values(conn)))
        });
    if url.starts_with("sqlite:") && (url.contains(":memory:") || url.contains("mode=memory")) {
        options
            .min_connections(1)
            .idle_timeout(None)
            .max_lifetime(None);
    }
    let started = tokio::time::Instant::now();
    loop {
        match Database::connect(options.clone()).await {
            Ok(db) => return Ok(db),
            Err(err) if is_transient(&err) && started.elapsed() < SQLITE_BUSY_TIMEOUT => {
                tracing::debug!(error = %err, "the database is busy; connecting again");
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
            Err(err) => {
                return Err(ConnectError::Connect {
                    url: redact(&url),
                    // A driver that cannot parse the URL quotes it whole, password included.
                    reason: ErrorChain(&err).to_string().replace(&url, &redact(&url)),
                });
            }
        }
    }
}

/// SQLite's process-wide settings, made once, before its first connection (SQLite accepts
/// them only before it initializes; if something in the process opened a SQLite database
/// first, its defaults stay, which is slower, not wrong):
///
/// - **No memory statistics** (`SQLITE_CONFIG_MEMSTATUS`; `SQLITE_DEFAULT_MEMSTATUS=0` is
///   among SQLite's recommended options). With them on, every allocation SQLite makes takes
///   one process-wide mutex to count it, and the pool's connections, each on its own
///   thread, queue on it under load: `perf stat` counted about a thousand `futex` calls per
///   `softwareList(first:50)`. What is given up is `sqlite3_memory_used()` and the heap
///   limits, which swcat does not use.
/// - **mimalloc for SQLite's own allocations** (`SQLITE_CONFIG_MALLOC`), the allocator the
///   rest of the server uses: SQLite allocates and frees a value for every column of every
///   row it hands to sqlx, and glibc's `malloc` was about a twelfth of the CPU time of a
///   `softwareList(first:50)` in `perf`.
pub fn sqlite_process_settings() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        // SAFETY: SQLITE_CONFIG_MEMSTATUS takes one int (0: off), and SQLITE_CONFIG_MALLOC a
        // pointer to a `sqlite3_mem_methods`, which SQLite copies; the methods below keep
        // its contract (see `sqlite_memory`). SQLite refuses either with SQLITE_MISUSE,
        // changing nothing, once it is initialized; `Once` keeps a second call in this
        // process from racing the first.
        let statistics = unsafe {
            libsqlite3_sys::sqlite3_config(
                libsqlite3_sys::SQLITE_CONFIG_MEMSTATUS,
                0 as std::ffi::c_int,
            )
        };
        let methods = sqlite_memory::methods();
        let allocator = unsafe {
            libsqlite3_sys::sqlite3_config(
                libsqlite3_sys::SQLITE_CONFIG_MALLOC,
                &methods as *const libsqlite3_sys::sqlite3_mem_methods,
            )
        };
        if statistics != libsqlite3_sys::SQLITE_OK || allocator != libsqlite3_sys::SQLITE_OK {
            tracing::debug!(
                statistics,
                allocator,
                "SQLite kept its default memory settings (already initialized)"
            );
        }
    });
}

/// SQLite's memory methods on mimalloc. SQLite asks for blocks aligned to 8 bytes (every
/// mimalloc block is), frees only what it allocated, and reads a block's usable size to
/// grow strings in place, which `mi_usable_size` gives.
mod sqlite_memory {
    use std::ffi::{c_int, c_void};

    use libmimalloc_sys as mi;
    use libsqlite3_sys::{SQLITE_OK, sqlite3_mem_methods};

    /// The methods, for `SQLITE_CONFIG_MALLOC` (which copies them).
    pub(super) fn methods() -> sqlite3_mem_methods {
        sqlite3_mem_methods {
            xMalloc: Some(malloc),
            xFree: Some(free),
            xRealloc: Some(realloc),
            xSize: Some(size),
            xRoundup: Some(roundup),
            xInit: Some(init),
            xShutdown: Some(shutdown),
            pAppData: std::ptr::null_mut(),
        }
    }

    /// A size SQLite asks for; it never asks for a negative one.
    fn bytes(n: c_int) -> usize {
        usize::try_from(n).unwrap_or(0)
    }

    unsafe extern "C" fn malloc(n: c_int) -> *mut c_void {
        // SAFETY: any size; null when out of memory, which SQLite handles.
        unsafe { mi::mi_malloc(bytes(n)) }
    }

    unsafe extern "C" fn free(p: *mut c_void) {
        // SAFETY: SQLite frees only blocks these methods gave it.
        unsafe { mi::mi_free(p) }
    }

    unsafe extern "C" fn realloc(p: *mut c_void, n: c_int) -> *mut c_void {
        // SAFETY: as `free`; the block keeps its contents up to the smaller size.
        unsafe { mi::mi_realloc(p, bytes(n)) }
    }

    unsafe extern "C" fn size(p: *mut c_void) -> c_int {
        // SAFETY: as `free`. SQLite's blocks are far below `c_int::MAX`.
        c_int::try_from(unsafe { mi::mi_usable_size(p) }).unwrap_or(c_int::MAX)
    }

    unsafe extern "C" fn roundup(n: c_int) -> c_int {
        // SAFETY: a pure function of the size.
        c_int::try_from(unsafe { mi::mi_good_size(bytes(n)) }).unwrap_or(n)
    }

    unsafe extern "C" fn init(_: *mut c_void) -> c_int {
        SQLITE_OK
    }

    unsafe extern "C" fn shutdown(_: *mut c_void) {}
}

/// Turns on SQLite's query planner stability guarantee (`SQLITE_DBCONFIG_ENABLE_QPSG`) for
/// one connection: a statement's plan then never depends on the values bound to it.
///
/// Without it, SQLite (3.51, as bundled) plans `LIMIT ?` with the bound number, so binding
/// a value there marks the prepared statement as expired, and every run prepares it again
/// from its text, the very work sqlx's statement cache is there to save. SeaORM's `.one()`
/// binds `LIMIT 1`, and every page binds its size, so nearly every read paid it: about a
/// tenth of the instructions of a `software(id)` request (`bench/profile.sh`). What the
/// planner gives up is planning with a bound value, which no statement here benefits from
/// (substring filters cannot use an index, and there is no `ANALYZE` data to consult).
pub async fn plans_ignore_bound_values(
    conn: &mut SqliteConnection,
) -> Result<(), sea_orm::sqlx::Error> {
    use std::ffi::c_int;

    let mut handle = conn.lock_handle().await?;
    let db = handle.as_raw_handle().as_ptr();
    // SAFETY: `db` is this connection's open handle, and the lock keeps sqlx's worker off it
    // for the call. SQLITE_DBCONFIG_ENABLE_QPSG takes an int (1: on) and an int pointer that
    // may be null (where SQLite would write the setting back).
    let rc = unsafe {
        libsqlite3_sys::sqlite3_db_config(
            db,
            libsqlite3_sys::SQLITE_DBCONFIG_ENABLE_QPSG,
            1 as c_int,
            std::ptr::null_mut::<c_int>(),
        )
    };
    if rc == libsqlite3_sys::SQLITE_OK {
        Ok(())
    } else {
        Err(sea_orm::sqlx::Error::Configuration(
            format!("SQLite refused SQLITE_DBCONFIG_ENABLE_QPSG (code {rc})").into(),
        ))
    }
}

/// Whether the database refused only because of a concurrent transaction, so the same work
/// succeeds when tried again: PostgreSQL's serialization failure or deadlock, MySQL's
/// deadlock or lock wait timeout, SQLite's `SQLITE_BUSY` / `SQLITE_LOCKED`.
pub(crate) fn is_transient(err: &DbErr) -> bool {
    let (DbErr::Exec(RuntimeErr::SqlxError(e))
    | DbErr::Query(RuntimeErr::SqlxError(e))
    | DbErr::Conn(RuntimeErr::SqlxError(e))) = err
    else {
        return false;
    };
    let sea_orm::sqlx::Error::Database(db_err) = e.as_ref() else {
        return false;
    };
    if let Some(mysql) = db_err.try_downcast_ref::<sea_orm::sqlx::mysql::MySqlDatabaseError>() {
        // Lock wait timeout, deadlock.
        return matches!(mysql.number(), 1205 | 1213);
    }
    let code = db_err.code().unwrap_or_default();
    if db_err
        .try_downcast_ref::<sea_orm::sqlx::sqlite::SqliteError>()
        .is_some()
    {
        // SQLITE_BUSY and SQLITE_LOCKED, with their extended codes.
        return code.parse::<u32>().is_ok_and(|c| matches!(c & 0xff, 5 | 6));
    }
    // PostgreSQL: serialization failure, deadlock.
    matches!(code.as_ref(), "40001" | "40P01")
}

/// Checks the URL's scheme, so a typo is reported as such rather than as a driver error.
/// `mariadb://` is accepted as a synonym of `mysql://`.
fn normalize_url(url: &str) -> Result<String, ConnectError> {
    let bad = |reason: &str| ConnectError::Url {
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

    /// What SQLite says of `SQLITE_DBCONFIG_ENABLE_QPSG` on one pooled connection.
    async fn qpsg_of(db: &DatabaseConnection) -> std::ffi::c_int {
        let mut conn = db.get_sqlite_connection_pool().acquire().await.unwrap();
        let mut handle = conn.lock_handle().await.unwrap();
        let mut enabled: std::ffi::c_int = -1;
        // SAFETY: the connection's own handle, locked; -1 asks without changing the setting.
        let rc = unsafe {
            libsqlite3_sys::sqlite3_db_config(
                handle.as_raw_handle().as_ptr(),
                libsqlite3_sys::SQLITE_DBCONFIG_ENABLE_QPSG,
                -1 as std::ffi::c_int,
                &mut enabled as *mut std::ffi::c_int,
            )
        };
        assert_eq!(rc, libsqlite3_sys::SQLITE_OK);
        enabled
    }

    #[tokio::test]
    async fn every_sqlite_connection_plans_without_looking_at_bound_values() {
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}", dir.path().join("qpsg.db").display());
        let db = connect(&DatabaseSettings::new(url)).await.unwrap();
        assert_eq!(qpsg_of(&db).await, 1);
        // A connection opened later, beside one in use, gets it too.
        let _busy = db.get_sqlite_connection_pool().acquire().await.unwrap();
        assert_eq!(qpsg_of(&db).await, 1);
    }

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

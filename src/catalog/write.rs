//! One transaction per write, retried when the database says "try again".
//!
//! Under concurrent writers every database sometimes refuses a transaction that would have
//! succeeded a moment later: PostgreSQL with a serialization failure or deadlock, MySQL with
//! a deadlock or lock wait timeout, SQLite with `SQLITE_BUSY`. Such a transaction changed
//! nothing, so it is run again from the start, a few times, before the error is reported.

use std::future::Future;
use std::pin::Pin;
use std::time::Duration;

use sea_orm::{
    DbErr, RuntimeErr, SqliteTransactionMode, TransactionOptions, TransactionSession,
    TransactionTrait,
};

use super::CatalogError;

/// The future of one attempt of a transactional operation.
pub(crate) type TxFuture<'t, T> =
    Pin<Box<dyn Future<Output = Result<T, CatalogError>> + Send + 't>>;

const ATTEMPTS: u32 = 5;

/// SQLite writes begin `IMMEDIATE`: the transaction takes the write lock up front (waiting
/// for it under the busy timeout) instead of failing when a read turns into a write.
const OPTIONS: TransactionOptions = TransactionOptions {
    isolation_level: None,
    access_mode: None,
    sqlite_transaction_mode: Some(SqliteTransactionMode::Immediate),
};

/// Runs `op` in a transaction and commits it; rolls back on error. A transient database
/// error runs the whole of `op` again, so `op` must do everything from the start each time.
pub(crate) async fn in_transaction<C, T, F>(db: &C, op: F) -> Result<T, CatalogError>
where
    C: TransactionTrait,
    F: for<'t> Fn(&'t C::Transaction) -> TxFuture<'t, T> + Send + Sync,
    T: Send,
{
    let mut attempt = 1;
    loop {
        let outcome = attempt_once(db, &op).await;
        match outcome {
            Err(CatalogError::Internal(err)) if attempt < ATTEMPTS && is_transient(&err) => {
                tracing::debug!(attempt, error = %err, "transient database conflict; retrying");
                tokio::time::sleep(Duration::from_millis(10 * u64::from(attempt))).await;
                attempt += 1;
            }
            other => return other,
        }
    }
}

async fn attempt_once<C, T, F>(db: &C, op: &F) -> Result<T, CatalogError>
where
    C: TransactionTrait,
    F: for<'t> Fn(&'t C::Transaction) -> TxFuture<'t, T> + Send + Sync,
    T: Send,
{
    let txn = db.begin_with_options(OPTIONS).await?;
    match op(&txn).await {
        Ok(value) => {
            txn.commit().await?;
            Ok(value)
        }
        Err(err) => {
            // A failed rollback leaves nothing to undo either: the connection is discarded.
            if let Err(rollback) = txn.rollback().await {
                tracing::warn!(error = %rollback, "rollback failed");
            }
            Err(err)
        }
    }
}

/// Whether the database refused the transaction only because of a concurrent one.
fn is_transient(err: &DbErr) -> bool {
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

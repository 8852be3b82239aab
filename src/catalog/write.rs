//! One transaction per write, retried when the database says "try again".
//!
//! Under concurrent writers every database sometimes refuses a transaction that would have
//! succeeded a moment later: PostgreSQL with a serialization failure or deadlock, MySQL with
//! a deadlock or lock wait timeout, SQLite with `SQLITE_BUSY`. Such a transaction changed
//! nothing, so it is run again from the start, a few times, before the error is reported.

use std::future::Future;
use std::pin::Pin;
use std::time::Duration;

use sea_orm::{SqliteTransactionMode, TransactionOptions, TransactionSession, TransactionTrait};

use super::CatalogError;
use crate::database::is_transient;

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

//! The SQL text of the catalog's frequent reads, rendered once per shape, and their rows
//! read by position.
//!
//! sea-query builds a statement anew on every call: it allocates the statement's tree,
//! quotes every identifier and writes the text, and SeaORM then reads each column of each
//! row by its name. For the reads behind every page of the API (a software by id, the
//! releases and counts of a page's software, the software of a page's releases) the text
//! depends only on the backend and a few facts, such as how many ids are asked for and in
//! which order, so it is rendered once per such shape and kept; each read then only binds
//! its values. `bench/` measured the building and the reading by name at about a tenth of
//! swcat's own work for `software(id)`.
//!
//! The statements are still written once, with sea-query, in the modules that own them:
//! this module only remembers their text.

use std::any::Any;
use std::pin::Pin;
use std::sync::{Arc, LazyLock, RwLock};

use entity::{release, software};
use foldhash::{HashMap, HashMapExt};
use sea_orm::sea_query::SelectStatement;
use sea_orm::sqlx::{Decode, Postgres, Row, Sqlite, Type};
use sea_orm::{
    ConnectionTrait, DatabaseConnection, DatabaseConnectionType, DbBackend, DbErr, QueryResult,
    RuntimeErr, Statement, TryGetable, Value,
};

/// What the text of a statement depends on besides the backend: the statement's name, and
/// a number that tells its variants apart (how many ids, which order).
pub(crate) type Shape = (&'static str, u64);

/// Most texts kept. Shapes are few (a handful of statements, times at most a page's worth
/// of id counts, times four orders); this only bounds a mistake.
const CAPACITY: usize = 4096;

/// Texts by backend and shape.
static TEXTS: LazyLock<RwLock<HashMap<(u8, Shape), String>>> =
    LazyLock::new(|| RwLock::new(HashMap::new()));

/// A key per backend; `None` for a backend this cache does not know (never cached).
fn backend_key(backend: DbBackend) -> Option<u8> {
    match backend {
        DbBackend::Sqlite => Some(0),
        DbBackend::Postgres => Some(1),
        DbBackend::MySql => Some(2),
        _ => None,
    }
}

/// The statement of `shape` on `backend`, binding `values`. `build` makes the same
/// statement with sea-query; it runs only the first time a shape is seen, and its text is
/// kept only when the values it binds are `values`, so a caller whose `values` are wrong
/// costs speed, never a wrong answer (and fails the tests, which run debug builds).
pub(crate) fn statement(
    backend: DbBackend,
    shape: Shape,
    values: Vec<Value>,
    build: impl FnOnce() -> SelectStatement,
) -> Statement {
    let key = backend_key(backend).map(|backend| (backend, shape));
    if let Some(key) = key {
        let texts = TEXTS
            .read()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if let Some(sql) = texts.get(&key) {
            return Statement::from_sql_and_values(backend, sql.clone(), values);
        }
    }
    let built = backend.build(&build());
    let same = built
        .values
        .as_ref()
        .map_or(values.is_empty(), |built| built.0 == values);
    debug_assert!(same, "{shape:?}: the values differ from the statement's");
    if let Some(key) = key.filter(|_| same) {
        let mut texts = TEXTS
            .write()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if texts.len() < CAPACITY {
            texts.insert(key, built.sql.clone());
        }
    }
    built
}

/// Runs `statement` and reads each row with `row`: on the pool's own driver when `db` is
/// the pool (the reads of every request), through SeaORM's dispatch otherwise (inside a
/// transaction).
pub(crate) async fn all<T>(
    db: &(impl ConnectionTrait + 'static),
    statement: Statement,
    row: impl Fn(&QueryResult) -> Result<T, DbErr>,
) -> Result<Vec<T>, DbErr> {
    let rows = match (db as &dyn Any).downcast_ref::<DatabaseConnection>() {
        Some(pool) => on_pool(pool, statement).await?,
        None => db.query_all_raw(statement).await?,
    };
    // Sized at once: collecting through `Result` would start small and grow.
    let mut read = Vec::with_capacity(rows.len());
    for one in &rows {
        read.push(row(one)?);
    }
    Ok(read)
}

/// `statement` run by the pool's own driver, in a boxed future of that driver's size.
///
/// `DatabaseConnection::query_all_raw` awaits the driver's future inside one that could
/// hold any backend's, so it is as large as the largest of them; building it, boxing it
/// and moving the driver's future into it copies all of that for every statement.
/// `bench/profile.sh` counted those copies at 70 k of the 512 k instructions of
/// `software(id)` (SQLite's driver future is 3.4 KiB). What this leaves out is SeaORM's
/// `trace`-level span around the statement.
fn on_pool(
    pool: &DatabaseConnection,
    statement: Statement,
) -> Pin<Box<dyn Future<Output = Result<Vec<QueryResult>, DbErr>> + Send + '_>> {
    match &pool.inner {
        DatabaseConnectionType::SqlxSqlitePoolConnection(pool) => {
            Box::pin(pool.query_all(statement))
        }
        DatabaseConnectionType::SqlxPostgresPoolConnection(pool) => {
            Box::pin(pool.query_all(statement))
        }
        DatabaseConnectionType::SqlxMySqlPoolConnection(pool) => {
            Box::pin(pool.query_all(statement))
        }
        _ => pool.query_all_raw(statement),
    }
}

/// A release from a row whose first columns are those of `release::Model`, in its order.
pub(crate) fn release_at(row: &QueryResult) -> Result<release::Model, DbErr> {
    Ok(release::Model {
        release_id: column(row, 0)?,
        version: column(row, 1)?,
        release_date: date_column(row, 2)?,
        software_id: column(row, 3)?,
    })
}

/// A software from a row whose first columns are those of `software::Model`, in its order.
pub(crate) fn software_at(row: &QueryResult) -> Result<software::Model, DbErr> {
    Ok(software::Model {
        software_id: column(row, 0)?,
        display_name: column(row, 1)?,
        maintainer_name: column(row, 2)?,
        maintainer_email: column(row, 3)?,
    })
}

/// Column `index` of `row`. On SQLite and PostgreSQL the driver decodes it, as SeaORM's
/// `try_get_by_index` has it do there, without what SeaORM adds around it: it decodes every
/// column as an `Option` and writes an error message for each null it meets, even where the
/// column is nullable and `None` is the answer. `bench/profile.sh` counted reading the 100
/// software of `releases(first: 100)` (none with a maintainer's name) at 144 k instructions
/// through SeaORM, 93 k this way.
/// MySQL/MariaDB rows keep SeaORM's decoding, which also reads UUIDs that MariaDB stores as
/// text.
fn column<T>(row: &QueryResult, index: usize) -> Result<T, DbErr>
where
    T: TryGetable
        + for<'r> Decode<'r, Sqlite>
        + Type<Sqlite>
        + for<'r> Decode<'r, Postgres>
        + Type<Postgres>,
{
    let decoded = if let Some(row) = row.try_as_sqlite_row() {
        row.try_get::<T, _>(index)
    } else if let Some(row) = row.try_as_pg_row() {
        row.try_get::<T, _>(index)
    } else {
        return row.try_get_by_index(index);
    };
    decoded.map_err(|error| DbErr::Query(RuntimeErr::SqlxError(Arc::new(error))))
}

/// Column `index` of `row`, a date. SQLite keeps dates as `YYYY-MM-DD` text (sqlx writes
/// them so), which sqlx reads back through chrono's format-string parser: about 900
/// instructions a date, counted by `bench/profile.sh`, where reading the ten digits takes a
/// tenth of that. Text of any other shape, and the other databases' native dates, are
/// left to the driver.
fn date_column(row: &QueryResult, index: usize) -> Result<chrono::NaiveDate, DbErr> {
    if let Some(sqlite) = row.try_as_sqlite_row()
        && let Ok(text) = sqlite.try_get::<&str, _>(index)
        && let Some(date) = iso_date(text)
    {
        return Ok(date);
    }
    column(row, index)
}

/// `text` as a date when it is exactly `YYYY-MM-DD`, a valid one.
fn iso_date(text: &str) -> Option<chrono::NaiveDate> {
    let [y1, y2, y3, y4, b'-', m1, m2, b'-', d1, d2] = *text.as_bytes() else {
        return None;
    };
    let number = |digits: &[u8]| {
        digits.iter().try_fold(0_u32, |number, digit| {
            digit
                .is_ascii_digit()
                .then(|| number * 10 + u32::from(digit - b'0'))
        })
    };
    let year = i32::try_from(number(&[y1, y2, y3, y4])?).ok()?;
    chrono::NaiveDate::from_ymd_opt(year, number(&[m1, m2])?, number(&[d1, d2])?)
}

#[cfg(test)]
mod tests {
    use sea_orm::sea_query::{Alias, Expr, ExprTrait, Query};

    use super::*;

    fn select(n: i64) -> SelectStatement {
        let mut query = Query::select();
        query
            .column(Alias::new("a"))
            .from(Alias::new("t"))
            .and_where(Expr::col(Alias::new("a")).eq(n));
        query
    }

    #[test]
    fn a_date_read_from_its_digits_is_the_date_the_driver_reads() {
        use chrono::NaiveDate;
        let driver = |text: &str| NaiveDate::parse_from_str(text, "%F").ok();
        for year in [0, 1, 999, 1582, 1900, 1970, 2000, 2023, 2024, 2100, 9999] {
            for month in 0..=13 {
                for day in 0..=32 {
                    let text = format!("{year:04}-{month:02}-{day:02}");
                    assert_eq!(iso_date(&text), driver(&text), "{text}");
                }
            }
        }
        // What sqlx writes is always read here, never left to the driver.
        let date = NaiveDate::from_ymd_opt(2024, 2, 29).unwrap();
        assert_eq!(iso_date(&date.format("%F").to_string()), Some(date));
        // Other shapes are the driver's to read (it reads some of them).
        for text in [
            "2024-1-01",
            "2024-01-1",
            "+2024-01-01",
            " 2024-01-01",
            "2024/01/01",
            "2024-01-01T",
            "24-01-01",
            "",
            "2024-0a-01",
            "١٢٣٤-01-01",
        ] {
            assert_eq!(iso_date(text), None, "{text}");
        }
    }

    #[test]
    fn a_shape_is_rendered_once_and_binds_each_call_its_own_values() {
        let shape = ("sql::tests::once", 1);
        let first = statement(DbBackend::Postgres, shape, vec![Value::from(1_i64)], || {
            select(1)
        });
        let again = statement(DbBackend::Postgres, shape, vec![Value::from(2_i64)], || {
            panic!("rendered twice")
        });
        assert_eq!(first.sql, again.sql);
        assert_eq!(again.values.map(|v| v.0), Some(vec![Value::from(2_i64)]));
        // Another backend has its own text.
        let mysql = statement(DbBackend::MySql, shape, vec![Value::from(3_i64)], || {
            select(3)
        });
        assert_ne!(mysql.sql, first.sql);
    }
}

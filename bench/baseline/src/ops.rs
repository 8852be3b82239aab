// The statements of the five documents, included by `store.rs` once per database, where
// `Db`, `POSTGRES`, `BEGIN_WRITE` and the SQL constants are defined. The SQL is what swcat
// (SeaORM) sends, minus SeaORM's own habits noted where they differ.

use chrono::NaiveDate;
use sqlx::{AssertSqlSafe, Pool, Transaction};
use uuid::Uuid;

use super::{
    Failure, NewRelease, NewSoftware, ReleaseRow, ReleaseTuple, SoftwareRow, SoftwareTuple,
};

pub async fn software(pool: &Pool<Db>, id: Uuid) -> Result<Option<SoftwareRow>, Failure> {
    let row = sqlx::query_as::<_, SoftwareTuple>(SOFTWARE_BY_ID)
        .bind(id)
        .bind(1_i64)
        .fetch_optional(pool)
        .await?;
    Ok(row.map(SoftwareRow::from))
}

pub async fn software_page(pool: &Pool<Db>, limit: i64) -> Result<Vec<SoftwareRow>, Failure> {
    let rows = sqlx::query_as::<_, SoftwareTuple>(SOFTWARE_PAGE)
        .bind(limit)
        .fetch_all(pool)
        .await?;
    Ok(rows.into_iter().map(SoftwareRow::from).collect())
}

pub async fn software_many(pool: &Pool<Db>, ids: &[Uuid]) -> Result<Vec<SoftwareRow>, Failure> {
    let sql = super::software_many_sql(POSTGRES, ids.len());
    let mut query = sqlx::query_as::<_, SoftwareTuple>(AssertSqlSafe(sql));
    for id in ids {
        query = query.bind(*id);
    }
    let rows = query.fetch_all(pool).await?;
    Ok(rows.into_iter().map(SoftwareRow::from).collect())
}

pub async fn releases_of(
    pool: &Pool<Db>,
    ids: &[Uuid],
    first: i64,
) -> Result<Vec<ReleaseRow>, Failure> {
    let sql = super::releases_of_sql(POSTGRES, ids.len());
    let mut query = sqlx::query_as::<_, ReleaseTuple>(AssertSqlSafe(sql));
    for id in ids {
        query = query.bind(*id);
    }
    let rows = query.bind(first).fetch_all(pool).await?;
    Ok(rows.into_iter().map(ReleaseRow::from).collect())
}

pub async fn release_page(pool: &Pool<Db>, limit: i64) -> Result<Vec<ReleaseRow>, Failure> {
    let rows = sqlx::query_as::<_, ReleaseTuple>(RELEASE_PAGE)
        .bind(limit)
        .fetch_all(pool)
        .await?;
    Ok(rows.into_iter().map(ReleaseRow::from).collect())
}

/// A write transaction: on SQLite it takes the write lock up front (`BEGIN IMMEDIATE`).
async fn begin_write(pool: &Pool<Db>) -> Result<Transaction<'static, Db>, Failure> {
    Ok(pool.begin_with(BEGIN_WRITE).await?)
}

/// Inserts one release inside `txn`. (SeaORM answers an insert by `RETURNING` the row on
/// PostgreSQL and by reading it back on SQLite; the values are known, so neither is done
/// here.)
async fn insert_release(
    txn: &mut Transaction<'static, Db>,
    release_id: Uuid,
    software_id: Uuid,
    version: &str,
    release_date: NaiveDate,
) -> Result<(), Failure> {
    sqlx::query(INSERT_RELEASE)
        .bind(release_id)
        .bind(version.to_owned())
        .bind(release_date)
        .bind(software_id)
        .execute(&mut **txn)
        .await
        .map_err(|err| {
            Failure::from_write(
                err,
                || format!("this software already has a release with version {version:?}"),
                Failure::NotFound {
                    entity: "software",
                    id: software_id,
                },
            )
        })?;
    Ok(())
}

pub async fn create_release(
    pool: &Pool<Db>,
    release_id: Uuid,
    software_id: Uuid,
    new: &NewRelease,
) -> Result<ReleaseRow, Failure> {
    let mut txn = begin_write(pool).await?;
    insert_release(
        &mut txn,
        release_id,
        software_id,
        &new.version,
        new.release_date,
    )
    .await?;
    txn.commit().await?;
    Ok(ReleaseRow {
        release_id,
        version: new.version.clone(),
        release_date: new.release_date,
        software_id,
    })
}

pub async fn delete_release(pool: &Pool<Db>, id: Uuid) -> Result<ReleaseRow, Failure> {
    let mut txn = begin_write(pool).await?;
    let row = sqlx::query_as::<_, ReleaseTuple>(LOCK_RELEASE)
        .bind(id)
        .bind(1_i64)
        .fetch_optional(&mut *txn)
        .await?
        .ok_or(Failure::NotFound {
            entity: "release",
            id,
        })?;
    sqlx::query(DELETE_RELEASE)
        .bind(id)
        .execute(&mut *txn)
        .await?;
    txn.commit().await?;
    Ok(ReleaseRow::from(row))
}

pub async fn create_software(
    pool: &Pool<Db>,
    software_id: Uuid,
    new: &NewSoftware,
) -> Result<(), Failure> {
    let mut txn = begin_write(pool).await?;
    sqlx::query(INSERT_SOFTWARE)
        .bind(software_id)
        .bind(new.display_name.clone())
        .bind(new.maintainer_name.clone())
        .bind(new.maintainer_email.clone())
        .execute(&mut *txn)
        .await
        .map_err(|err| {
            Failure::from_write(
                err,
                || format!("a software named {:?} already exists", new.display_name),
                Failure::NotFound {
                    entity: "software",
                    id: software_id,
                },
            )
        })?;
    for release in &new.releases {
        insert_release(
            &mut txn,
            Uuid::new_v4(),
            software_id,
            &release.version,
            release.release_date,
        )
        .await?;
    }
    txn.commit().await?;
    Ok(())
}

/// The software row is locked first, then its releases, so that the ids answered are
/// exactly those the cascade deletes (on SQLite, `BEGIN IMMEDIATE` holds the write lock).
pub async fn delete_software(pool: &Pool<Db>, id: Uuid) -> Result<Vec<Uuid>, Failure> {
    let mut txn = begin_write(pool).await?;
    sqlx::query_as::<_, SoftwareTuple>(LOCK_SOFTWARE)
        .bind(id)
        .bind(1_i64)
        .fetch_optional(&mut *txn)
        .await?
        .ok_or(Failure::NotFound {
            entity: "software",
            id,
        })?;
    let release_ids = sqlx::query_as::<_, (Uuid,)>(LOCK_RELEASE_IDS)
        .bind(id)
        .fetch_all(&mut *txn)
        .await?
        .into_iter()
        .map(|(release_id,)| release_id)
        .collect();
    sqlx::query(DELETE_SOFTWARE)
        .bind(id)
        .execute(&mut *txn)
        .await?;
    txn.commit().await?;
    Ok(release_ids)
}

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

/// The change-log entry every write makes as its last statement, as swcat's
/// `catalog::changes::record` does: the next position under the head row's lock, the row,
/// and on PostgreSQL the `NOTIFY`.
async fn record_change(
    txn: &mut Transaction<'static, Db>,
    kind: &str,
    software_id: Uuid,
    release_ids: &[Uuid],
) -> Result<(), Failure> {
    let (position,): (i64,) = sqlx::query_as(LOCK_HEAD)
        .bind(1_i32)
        .bind(1_i64)
        .fetch_one(&mut **txn)
        .await?;
    let position = position + 1;
    sqlx::query(UPDATE_HEAD)
        .bind(position)
        .bind(1_i32)
        .execute(&mut **txn)
        .await?;
    sqlx::query(INSERT_CHANGE)
        .bind(position)
        .bind(kind)
        .bind(software_id)
        .bind(serde_json::to_string(release_ids).unwrap_or_default())
        .bind(chrono::Utc::now().timestamp_millis())
        .execute(&mut **txn)
        .await?;
    if POSTGRES {
        sqlx::query(NOTIFY)
            .bind("swcat_changes")
            .bind(position.to_string())
            .execute(&mut **txn)
            .await?;
    }
    Ok(())
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
    record_change(&mut txn, "RELEASE_CREATED", software_id, &[release_id]).await?;
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
    let row = ReleaseRow::from(row);
    record_change(&mut txn, "RELEASE_DELETED", row.software_id, &[id]).await?;
    txn.commit().await?;
    Ok(row)
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
    let mut release_ids = Vec::with_capacity(new.releases.len());
    for release in &new.releases {
        let release_id = Uuid::new_v4();
        insert_release(
            &mut txn,
            release_id,
            software_id,
            &release.version,
            release.release_date,
        )
        .await?;
        release_ids.push(release_id);
    }
    record_change(&mut txn, "SOFTWARE_CREATED", software_id, &release_ids).await?;
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
        .collect::<Vec<_>>();
    sqlx::query(DELETE_SOFTWARE)
        .bind(id)
        .execute(&mut *txn)
        .await?;
    record_change(&mut txn, "SOFTWARE_DELETED", id, &release_ids).await?;
    txn.commit().await?;
    Ok(release_ids)
}

//! The tables, read and written with plain SQL, have each database's native types and the
//! database's own constraints: the API is not what keeps the data consistent.

use std::collections::HashMap;

use sea_orm::{ConnectionTrait, DatabaseBackend, Statement, Value};
use uuid::Uuid;

use crate::backend_tests;
use crate::helpers::{TestApp, portable};

backend_tests!(
    columns_have_the_databases_native_types,
    constraints_are_enforced_by_the_database_itself,
);

/// Runs a parameterized statement written with `?` placeholders and `"` identifiers.
async fn sql(app: &TestApp, text: &str, values: Vec<Value>) -> Result<(), sea_orm::DbErr> {
    let backend = app.db.get_database_backend();
    let mut text = portable(&app.db, text);
    if backend == DatabaseBackend::Postgres {
        let mut numbered = String::new();
        for (i, part) in text.split('?').enumerate() {
            if i > 0 {
                numbered.push_str(&format!("${i}"));
            }
            numbered.push_str(part);
        }
        text = numbered;
    }
    app.db
        .execute_raw(Statement::from_sql_and_values(backend, text, values))
        .await
        .map(|_| ())
}

/// column name → (type, collation) of `table`, from the database's catalog.
async fn columns(app: &TestApp, table: &str) -> HashMap<String, (String, Option<String>)> {
    let backend = app.db.get_database_backend();
    let query = match backend {
        DatabaseBackend::Postgres => format!(
            "SELECT column_name AS name, data_type AS ty, collation_name AS coll \
             FROM information_schema.columns WHERE table_name = '{table}'"
        ),
        DatabaseBackend::MySql => format!(
            "SELECT COLUMN_NAME AS name, COLUMN_TYPE AS ty, COLLATION_NAME AS coll \
             FROM information_schema.columns \
             WHERE table_schema = DATABASE() AND table_name = '{table}'"
        ),
        _ => format!("SELECT name, type AS ty, NULL AS coll FROM pragma_table_info('{table}')"),
    };
    let rows = app
        .db
        .query_all_raw(Statement::from_string(backend, query))
        .await
        .unwrap();
    rows.iter()
        .map(|row| {
            let name: String = row.try_get("", "name").unwrap();
            let ty: String = row.try_get("", "ty").unwrap();
            let coll: Option<String> = row.try_get("", "coll").unwrap();
            (name, (ty.to_lowercase(), coll))
        })
        .collect()
}

async fn columns_have_the_databases_native_types(app: &TestApp) {
    let software = columns(app, "software").await;
    let release = columns(app, "release").await;
    let ty =
        |table: &HashMap<String, (String, Option<String>)>, column: &str| table[column].0.clone();
    match app.db.get_database_backend() {
        DatabaseBackend::Postgres => {
            assert_eq!(ty(&software, "software_id"), "uuid");
            assert_eq!(ty(&release, "release_id"), "uuid");
            assert_eq!(ty(&release, "software_id"), "uuid");
            assert_eq!(ty(&release, "release_date"), "date");
            // Uniqueness and order by code point.
            assert_eq!(software["display_name"].1.as_deref(), Some("C"));
            assert_eq!(release["version"].1.as_deref(), Some("C"));
        }
        DatabaseBackend::MySql => {
            assert_eq!(ty(&software, "software_id"), "binary(16)");
            assert_eq!(ty(&release, "release_id"), "binary(16)");
            assert_eq!(ty(&release, "release_date"), "date");
            assert_eq!(software["display_name"].1.as_deref(), Some("utf8mb4_bin"));
            assert_eq!(release["version"].1.as_deref(), Some("utf8mb4_bin"));
        }
        _ => {
            assert!(ty(&release, "release_date").contains("date"));
            let fks = app
                .db
                .query_all_raw(Statement::from_string(
                    DatabaseBackend::Sqlite,
                    "SELECT \"table\" AS parent, on_delete FROM pragma_foreign_key_list('release')",
                ))
                .await
                .unwrap();
            assert_eq!(fks.len(), 1);
            assert_eq!(fks[0].try_get::<String>("", "parent").unwrap(), "software");
            assert_eq!(
                fks[0].try_get::<String>("", "on_delete").unwrap(),
                "CASCADE"
            );
        }
    }
    if app.db.get_database_backend() != DatabaseBackend::Sqlite {
        let rule = app
            .db
            .query_one_raw(Statement::from_string(
                app.db.get_database_backend(),
                "SELECT delete_rule AS rule FROM information_schema.referential_constraints \
                 WHERE constraint_name = 'fk_release_software'",
            ))
            .await
            .unwrap()
            .expect("the foreign key exists");
        assert_eq!(rule.try_get::<String>("", "rule").unwrap(), "CASCADE");
    }
}

async fn constraints_are_enforced_by_the_database_itself(app: &TestApp) {
    let date = chrono::NaiveDate::from_ymd_opt(2024, 1, 1).unwrap();
    let insert_software = r#"INSERT INTO "software" ("software_id", "display_name", "maintainer_email") VALUES (?, ?, ?)"#;
    let insert_release = r#"INSERT INTO "release" ("release_id", "version", "release_date", "software_id") VALUES (?, ?, ?, ?)"#;
    let curl = Uuid::new_v4();
    sql(
        app,
        insert_software,
        vec![curl.into(), "curl".into(), "a@b.co".into()],
    )
    .await
    .unwrap();
    // Unique display name, case-sensitive.
    assert!(
        sql(
            app,
            insert_software,
            vec![Uuid::new_v4().into(), "curl".into(), "a@b.co".into()]
        )
        .await
        .is_err()
    );
    sql(
        app,
        insert_software,
        vec![Uuid::new_v4().into(), "CURL".into(), "a@b.co".into()],
    )
    .await
    .unwrap();
    // Unique version within a software, case-sensitive.
    sql(
        app,
        insert_release,
        vec![
            Uuid::new_v4().into(),
            "1.0-rc".into(),
            date.into(),
            curl.into(),
        ],
    )
    .await
    .unwrap();
    assert!(
        sql(
            app,
            insert_release,
            vec![
                Uuid::new_v4().into(),
                "1.0-rc".into(),
                date.into(),
                curl.into()
            ]
        )
        .await
        .is_err()
    );
    sql(
        app,
        insert_release,
        vec![
            Uuid::new_v4().into(),
            "1.0-RC".into(),
            date.into(),
            curl.into(),
        ],
    )
    .await
    .unwrap();
    // No release without its software.
    assert!(
        sql(
            app,
            insert_release,
            vec![
                Uuid::new_v4().into(),
                "1".into(),
                date.into(),
                Uuid::new_v4().into()
            ]
        )
        .await
        .is_err()
    );
    assert_eq!(app.count_rows("release").await, 2);
    // The cascade is the database's own.
    sql(
        app,
        r#"DELETE FROM "software" WHERE "software_id" = ?"#,
        vec![curl.into()],
    )
    .await
    .unwrap();
    assert_eq!(app.count_rows("release").await, 0);
    assert_eq!(app.count_rows("software").await, 1);
}

/// Every pooled SQLite connection enforces foreign keys, uses the WAL journal and waits
/// (busy timeout) for a concurrent writer instead of failing.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_pooled_sqlite_connection_has_foreign_keys_wal_and_a_busy_timeout() {
    let app = crate::helpers::spawn_app(crate::helpers::Backend::Sqlite)
        .await
        .unwrap();
    let mut tasks = tokio::task::JoinSet::new();
    for _ in 0..8 {
        let db = app.db.clone();
        tasks.spawn(async move {
            // Held open together, so that each runs on a connection of its own.
            let txn = sea_orm::TransactionTrait::begin(&db).await.unwrap();
            let mut settings = Vec::new();
            for pragma in ["foreign_keys", "journal_mode", "busy_timeout"] {
                let row = txn
                    .query_one_raw(Statement::from_string(
                        DatabaseBackend::Sqlite,
                        format!("SELECT * FROM pragma_{pragma}()"),
                    ))
                    .await
                    .unwrap()
                    .unwrap();
                let value = row
                    .try_get_by_index::<String>(0)
                    .or_else(|_| row.try_get_by_index::<i64>(0).map(|n| n.to_string()))
                    .unwrap();
                settings.push(value);
            }
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
            sea_orm::TransactionSession::rollback(txn).await.unwrap();
            settings
        });
    }
    while let Some(settings) = tasks.join_next().await {
        assert_eq!(settings.unwrap(), ["1", "wal", "10000"]);
    }
    app.teardown().await;
}
